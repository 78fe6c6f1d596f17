"""Memory across days: a story already sent is not sent again, unless it moved on.

What counts as sent: the stories of every issue *built* (its top stories,
the ones in issue.json) are remembered under the issue's date when the build
ends. Building is the step every path shares (`digest build`, `digest send`,
`digest run`), and `send` never rebuilds an issue that exists, so what is
remembered is what was (or will be) sent. Rebuilding a day replaces that
day's memory, and only *earlier* days are consulted, so rebuilding is
idempotent.

Each story of today is compared with the stories of the last
`[digest] memory_days` issues:
- it continues a remembered story when one of its articles was in it (same
  content hash), when the deduplicator (`Deduplicator.score_pairs`, the
  pairwise same-story judgement that groups today's articles) scores one of its
  articles with a remembered one at or above its threshold, or when their
  full-text embeddings are within `FOLLOW_UP` cosine: a follow-up tells the
  story's next day in other words and scores lower than a retelling
  (measured: a follow-up 0.67, retellings 0.75 to 0.81, other events on the
  same theme 0.42 to 0.53; on 600 SemEval dev pairs, 0.6 is reached by 74%
  of same-story pairs, 38% of related ones and 3% of different stories).
  A false match costs little: only a story with no new facts is left out,
  so at worst a new story wears a "Developing" badge. Embeddings are
  compared in one matrix first, so only near pairs are scored;
- a remembered story whose articles all come back, or whose new articles
  only retell it, is left out (a line says so);
- a story with new articles that carry new facts is kept and marked as an
  update (`Story.update`, shown as "Developing"): its new articles come
  first, give the headline, and alone feed the blurb (`Memory.news`).

"New facts" are sentences of the new articles that say something no
remembered sentence says: the multilingual sentence encoder finds no
remembered sentence, or pair of consecutive sentences (a retelling often
merges two), within `SAME_SENTENCE` cosine, so a translation or a paraphrase
is not new; and the sentence has a figure or a word that no remembered
article has. An update needs `MIN_NEW_SENTENCES` of them: one odd sentence of
background in a retelling is not news. (Measured on a hand-written story: an
English retelling and a French translation score 0.61 to 0.88 against the
remembered sentences, the sentences of a real follow-up 0.32 to 0.58.)
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from digest.dedup.deduplicator import Deduplicator, full_text
from digest.encoders.embed import Encoder, load_encoder
from digest.models import Article, Story
from digest.state import StateDB
from digest.text.sentences import split_sentences

log = logging.getLogger(__name__)

# Embedding cosine below which two articles are never put to the deduplicator:
# of 600 SemEval dev pairs, none it judged the same story had a cosine under 0.55.
NEAR = 0.5
FOLLOW_UP = 0.6  # embedding cosine at which an article continues a remembered story
SAME_SENTENCE = 0.6  # cosine at which two sentences say the same thing (in any language)
MIN_NEW_SENTENCES = 2
MIN_SENTENCE_WORDS = 5
KEEP_DAYS = 60  # rows older than memory_days + this are pruned
WORD = re.compile(r"\w{4,}|\d+(?:[.,]\d+)*", re.UNICODE)


@dataclass(frozen=True)
class Remembered:
    """A story of an earlier issue, with the content hashes of its articles."""

    day: date
    headline: str
    articles: tuple[Article, ...]
    keys: frozenset[str]

    @classmethod
    def of(cls, day: date, headline: str, articles: list[Article]) -> Remembered:
        return cls(day, headline, tuple(articles), frozenset(a.content_hash for a in articles))


@dataclass(frozen=True)
class Decision:
    """What memory did with one of today's stories, for the log and for benchmarks."""

    story: Story  # as the deduplicator grouped it
    kept: Story | None  # what goes on to ranking (itself, or marked as an update); None: left out
    continues: tuple[Remembered, ...] = ()  # the remembered stories it was found to continue

    @property
    def verdict(self) -> str:
        """ "new", "update" ("Developing") or "left out"."""
        if self.kept is None:
            return "left out"
        return "update" if self.kept.update else "new"


class Memory:
    """Recalls earlier issues' stories for today's build, and remembers today's."""

    def __init__(self, state: StateDB, days: int, deduplicator: Deduplicator):
        self.state = state
        self.days = days
        self.dedup = deduplicator
        self.encoder = load_encoder(state)
        # id(update) -> (the update, its new articles); the story is kept so its id stays unique
        self.fresh: dict[int, tuple[Story, list[Article]]] = {}
        state.connection.execute(
            "CREATE TABLE IF NOT EXISTS memory ("
            " day TEXT NOT NULL, story INTEGER NOT NULL, position INTEGER NOT NULL,"
            " headline TEXT NOT NULL, article TEXT NOT NULL,"
            " PRIMARY KEY (day, story, position))"
        )
        state.connection.commit()

    # --- recall -------------------------------------------------------------

    def recall(self, stories: list[Story], day: date, language: str) -> list[Story]:
        """Today's stories without repeats; stories that moved on are marked updates.

        `language` is the issue's: an update's headline comes from a new article in it.
        """
        return [d.kept for d in self.decide(stories, day, language) if d.kept is not None]

    def decide(self, stories: list[Story], day: date, language: str) -> list[Decision]:
        """One decision per story of today, in their order (see `recall`)."""
        earlier = self.earlier(day)
        if not earlier or not stories:
            return [Decision(story, story) for story in stories]
        matches = self.match(stories, earlier)
        decisions = [
            Decision(story, self.as_update(story, found, language) if found else story, tuple(found))
            for story, found in zip(stories, matches, strict=True)
        ]
        log.info(
            "memory: %d stories already sent in the last %d days left out, %d kept as updates",
            sum(1 for d in decisions if d.kept is None),
            self.days,
            sum(1 for d in decisions if d.verdict == "update"),
        )
        return decisions

    def earlier(self, day: date) -> list[Remembered]:
        """Stories of the issues of the `days` days before `day`."""
        since = (day - timedelta(days=self.days)).isoformat()
        rows = self.state.connection.execute(
            "SELECT day, story, headline, article FROM memory WHERE day >= ? AND day < ?"
            " ORDER BY day, story, position",
            (since, day.isoformat()),
        ).fetchall()
        grouped: dict[tuple[str, int], tuple[str, list[Article]]] = {}
        for row_day, story, headline, article in rows:
            grouped.setdefault((row_day, story), (headline, []))[1].append(article_from_json(article))
        return [
            Remembered.of(date.fromisoformat(d), headline, articles)
            for (d, _), (headline, articles) in grouped.items()
        ]

    def match(self, stories: Sequence[Story], earlier: Sequence[Remembered]) -> list[list[Remembered]]:
        """For each story, the remembered stories it continues."""
        old = [(r, a) for r in earlier for a in r.articles]
        new = [(s, m) for s, story in enumerate(stories) for m in story.members]
        vectors = self.encoder.encode([full_text(a) for _, a in old] + [full_text(m) for _, m in new])
        near = vectors[len(old) :] @ vectors[: len(old)].T
        found: list[dict[int, Remembered]] = [{} for _ in stories]
        # For each (story, remembered story) only their closest pair of articles
        # is put to the deduplicator: its score follows the cosine closely.
        closest: dict[tuple[int, int], tuple[float, int, int]] = {}
        for i, (s, _) in enumerate(new):
            for j in map(int, np.nonzero(near[i] >= NEAR)[0]):
                remembered = old[j][0]
                if near[i, j] >= FOLLOW_UP:
                    found[s][id(remembered)] = remembered
                elif closest.get((s, id(remembered)), (-1.0,))[0] < near[i, j]:
                    closest[(s, id(remembered))] = (float(near[i, j]), i, j)
        to_score = [(i, j) for (s, r), (_, i, j) in closest.items() if r not in found[s]]
        if to_score:  # one batch: each distinct article is embedded once
            scores = self.dedup.score_pairs([(new[i][1], old[j][1]) for i, j in to_score])
            for (i, j), score in zip(to_score, scores, strict=True):
                if score >= self.dedup.threshold:
                    found[new[i][0]][id(old[j][0])] = old[j][0]
        for s, story in enumerate(stories):  # identical articles, even with an empty text
            keys = {m.content_hash for m in story.members}
            found[s].update({id(r): r for r in earlier if r.keys & keys})
        return [list(f.values()) for f in found]

    def as_update(self, story: Story, found: list[Remembered], language: str) -> Story | None:
        """The story marked as an update, or None when it tells nothing new."""
        known = set().union(*(r.keys for r in found))
        sent = ", ".join(sorted({r.day.isoformat() for r in found}))
        new = [m for m in story.members if m.content_hash not in known]
        if not new:
            log.info("memory: left out %r, sent on %s", story.headline, sent)
            return None
        said = Said.of([a for r in found for a in r.articles], self.encoder)
        facts = {id(m): self.new_facts(m, said) for m in new}
        fresh = [m for m in new if facts[id(m)]]
        if len(sum(facts.values(), [])) < MIN_NEW_SENTENCES:
            log.info(
                "memory: left out %r, sent on %s; its %d new source(s) add no new facts",
                story.headline,
                sent,
                len(new),
            )
            return None
        fresh.sort(key=lambda m: len(facts[id(m)]), reverse=True)
        rest = [m for m in story.members if all(m is not f for f in fresh)]
        members = fresh + rest
        update = Story(
            members=members,
            best=lead_index(fresh, language),
            summary=story.summary,
            language=story.language,
            update=True,
        )
        self.fresh[id(update)] = (update, fresh)
        log.info(
            "memory: %r continues a story sent on %s; kept as an update with %d new source(s)",
            update.headline,
            sent,
            len(fresh),
        )
        return update

    def new_facts(self, article: Article, said: Said) -> list[str]:
        """The sentences of `article` that no remembered article says."""
        sentences = [
            s for s in split_sentences(article.text, article.language) if len(s.split()) >= MIN_SENTENCE_WORDS
        ]
        if not sentences or not len(said.vectors):
            return sentences
        closest = (self.encoder.encode(sentences) @ said.vectors.T).max(axis=1)
        return [
            s
            for s, sim in zip(sentences, closest, strict=True)
            if sim < SAME_SENTENCE and any(w.lower() not in said.words for w in WORD.findall(s))
        ]

    def news(self, story: Story) -> Story:
        """What the blurb of `story` is drawn from: for an update, its new articles only."""
        found = self.fresh.get(id(story))
        if found is None or found[0] is not story:
            return story
        fresh = found[1]
        return Story(
            members=fresh, best=min(story.best, len(fresh) - 1), language=story.language, update=True
        )

    # --- remember -----------------------------------------------------------

    def remember(self, day: date, stories: Sequence[Story]) -> None:
        """Keep the stories of the issue of `day` (replacing an earlier build of that day)."""
        rows = [
            (day.isoformat(), s, p, story.headline, article_to_json(m))
            for s, story in enumerate(stories)
            for p, m in enumerate(story.members)
        ]
        oldest = (day - timedelta(days=self.days + KEEP_DAYS)).isoformat()
        with self.state.connection as db:
            db.execute("DELETE FROM memory WHERE day = ? OR day < ?", (day.isoformat(), oldest))
            db.executemany("INSERT INTO memory VALUES (?, ?, ?, ?, ?)", rows)
        log.debug("memory: remembered %d stories of %s", len(stories), day)


@dataclass(frozen=True)
class Said:
    """What remembered articles said: their sentence embeddings and their words."""

    vectors: np.ndarray  # one row per sentence and per pair of consecutive sentences
    words: frozenset[str]

    @classmethod
    def of(cls, articles: Sequence[Article], encoder: Encoder) -> Said:
        sentences = [s for a in articles for s in sentence_windows(split_sentences(a.text, a.language))]
        words = frozenset(w.lower() for a in articles for w in WORD.findall(f"{a.title} {a.text}"))
        return cls(encoder.encode(sentences) if sentences else np.zeros((0, 0)), words)


def sentence_windows(sentences: list[str]) -> list[str]:
    """Each sentence, and each pair of consecutive sentences."""
    return sentences + [f"{a} {b}" for a, b in zip(sentences, sentences[1:])]


def lead_index(members: Sequence[Article], language: str) -> int:
    """The first member in the issue's language, else the first."""
    return next((i for i, m in enumerate(members) if m.language == language), 0)


def article_to_json(article: Article) -> str:
    return json.dumps(
        {
            "title": article.title,
            "text": article.text,
            "language": article.language,
            "url": article.url,
            "path": article.path,
            "outlet": article.outlet,
            "published": article.published.isoformat() if article.published else None,
        },
        ensure_ascii=False,
    )


def article_from_json(blob: str) -> Article:
    data = json.loads(blob)
    published = datetime.fromisoformat(data.pop("published")) if data.get("published") else None
    data.pop("published", None)
    return Article(**data, published=published)
