"""Memory across days: a story already sent is not sent again, unless it moved on.

What counts as sent: the stories of every issue *built* (its top stories,
the ones in issue.json) are remembered under the issue's date when the build
ends. Building is the step every path shares (`digest build`, `digest send`,
`digest run`), and `send` never rebuilds an issue that exists, so what is
remembered is what was (or will be) sent. Rebuilding a day replaces that
day's memory, and only *earlier* days are consulted, so rebuilding is
idempotent.

Each story of today is compared with the stories of the last
`[digest] memory_days` issues (kept by `digest.edition.sent`):
- it continues a remembered story when one of its articles was in it (same
  content hash), or when it tells the same *event* (`digest.edition.followup`:
  close in words, the same people and organisations, the same protagonists
  when the words alone link them (names weighed over today's and the
  remembered articles, `Readings.who`), and no contradiction on the year,
  ages, scores or magnitude the texts give). Another event of the
  same kind (another robbery, another earthquake in the region) is new.
  Embeddings are compared in one matrix first, so only near pairs (cosine
  `NEAR`) are read for names and facts, and only those that pass are put
  to the deduplicator (`Deduplicator.score_pairs`, the same-story judgement);
- a story that surely continues a remembered one (`Link.certain`) and whose
  articles all come back, or whose new articles only retell it, is left out
  (a line says so);
- a story with new articles that carry new facts, or that may continue a
  remembered story without certainty, is kept and marked as an update
  (`Story.update`, shown as "Developing"): its new articles come first, give
  the headline, and alone feed the blurb (`Memory.news`). Nothing is left
  out on a doubt: a repeat costs the reader a line, a lost story the news.

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

import itertools
import logging
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from digest.dedup.deduplicator import Deduplicator
from digest.dedup.events import EventFacts, combine, facts_of
from digest.dedup.protagonists import Rarity, protagonists, shared
from digest.dedup.signals import overlap
from digest.dedup.similarity import full_text
from digest.edition.followup import (
    NAMES_SAME_STORY,
    Clues,
    Link,
    by_words,
    excluded,
    follows,
    may_be_certain,
    weigh,
    who,
)
from digest.edition.sent import Remembered, SentStories
from digest.encoders.embed import Encoder, load_encoder
from digest.models import Article, Story
from digest.state import StateDB
from digest.text.sentences import split_sentences

log = logging.getLogger(__name__)

# Embedding cosine below which two articles are never put to the deduplicator:
# of 600 SemEval dev pairs, none it judged the same story had a cosine under 0.55.
NEAR = 0.5
SAME_SENTENCE = 0.6  # cosine at which two sentences say the same thing (in any language)
MIN_NEW_SENTENCES = 2
MIN_SENTENCE_WORDS = 5
WORD = re.compile(r"\w{4,}|\d+(?:[.,]\d+)*", re.UNICODE)


@dataclass(frozen=True)
class Decision:
    """What memory did with one of today's stories, for the log and for benchmarks."""

    story: Story  # as the deduplicator grouped it
    kept: Story | None  # what goes on to ranking (itself, or marked as an update); None: left out
    continues: tuple[Found, ...] = ()  # the remembered stories it was found to continue

    @property
    def verdict(self) -> str:
        """ "new", "update" ("Developing") or "left out"."""
        if self.kept is None:
            return "left out"
        return "update" if self.kept.update else "new"


@dataclass(frozen=True)
class Found:
    """A remembered story that a story of today continues, and how that was found."""

    story: Remembered
    link: Link
    pending: tuple[Article, Article] | None = None  # a pair whose score may make the link certain


SAME_ARTICLE = Link(certain=True, why="the same article")


class Memory:
    """Recalls earlier issues' stories for today's build, and remembers today's."""

    def __init__(self, state: StateDB, days: int, deduplicator: Deduplicator):
        self.state = state
        self.days = days
        self.dedup = deduplicator
        self.encoder = load_encoder(state)
        # id(update) -> (the update, its new articles); the story is kept so its id stays unique
        self.fresh: dict[int, tuple[Story, list[Article]]] = {}
        self.readings = Readings()
        self.sent = SentStories(state, days)

    # --- recall -------------------------------------------------------------

    def recall(self, stories: list[Story], day: date, language: str) -> list[Story]:
        """Today's stories without repeats; stories that moved on are marked updates.

        `language` is the issue's: an update's headline comes from a new article in it.
        """
        return [d.kept for d in self.decide(stories, day, language) if d.kept is not None]

    def decide(self, stories: list[Story], day: date, language: str) -> list[Decision]:
        """One decision per story of today, in their order (see `recall`)."""
        earlier = self.sent.earlier(day)
        if not earlier or not stories:
            return [Decision(story, story) for story in stories]
        # Many small matrix products: a BLAS thread pool only adds waiting (10x on 2 busy cores).
        with threadpool_limits(limits=1, user_api="blas"):
            return self.decide_each(stories, earlier, language)

    def decide_each(self, stories: list[Story], earlier: list[Remembered], language: str) -> list[Decision]:
        matches = self.match(stories, earlier)
        decisions = [
            Decision(
                story, self.as_update(story, list(f.values()), language) if f else story, tuple(f.values())
            )
            for story, f in zip(stories, matches, strict=True)
        ]
        log.info(
            "memory: %d stories already sent in the last %d days left out, %d kept as updates",
            sum(1 for d in decisions if d.kept is None),
            self.days,
            sum(1 for d in decisions if d.verdict == "update"),
        )
        return decisions

    def match(self, stories: Sequence[Story], earlier: Sequence[Remembered]) -> list[dict[int, Found]]:
        """For each story, the remembered stories it continues (by id), with how sure that is."""
        old = [(r, a) for r in earlier for a in r.articles]
        new = [(s, m) for s, story in enumerate(stories) for m in story.members]
        vectors = self.encoder.encode([full_text(a) for _, a in old] + [full_text(m) for _, m in new])
        near = vectors[len(old) :] @ vectors[: len(old)].T
        # For each (story, remembered story) only their closest pair of articles
        # is put to the deduplicator: its score follows the cosine closely.
        closest: dict[tuple[int, int], tuple[float, int, int]] = {}
        for i, (s, _) in enumerate(new):
            for j in map(int, np.nonzero(near[i] >= NEAR)[0]):
                if closest.get((s, id(old[j][0])), (-1.0,))[0] < near[i, j]:
                    closest[(s, id(old[j][0]))] = (float(near[i, j]), i, j)
        who = self.readings.who([a for _, a in old] + [m for _, m in new])
        found: list[dict[int, Found]] = [{} for _ in stories]
        for s, story in enumerate(stories):  # identical articles, even with an empty text
            keys = {m.content_hash for m in story.members}
            found[s].update({id(r): Found(r, SAME_ARTICLE) for r in earlier if r.keys & keys})
        candidates: list[tuple[int, Remembered, Clues, int, int]] = []
        for (s, rid), (cosine, i, j) in closest.items():
            if rid in found[s]:
                continue
            remembered = old[j][0]
            common = overlap(self.readings.names(new[i][1]), self.readings.names(old[j][1]))
            if common is not None and common < NAMES_SAME_STORY:
                continue  # about other people: no need to read the facts (the costly part)
            evidence = weigh(
                self.readings.facts(stories[s].members), self.readings.facts(remembered.articles)
            )
            clues = Clues(cosine, common, evidence, who(new[i][1], old[j][1]))
            if (link := by_words(clues)) is not None:
                pending = (new[i][1], old[j][1]) if may_be_certain(clues) else None
                found[s][rid] = Found(remembered, link, pending)
            elif not excluded(clues, same_story=True):  # only the deduplicator can link them
                candidates.append((s, remembered, clues, i, j))
        if candidates:  # one batch: each distinct article is embedded once
            scores = self.dedup.score_pairs([(new[i][1], old[j][1]) for *_, i, j in candidates])
            for (s, remembered, clues, *_), score in zip(candidates, scores, strict=True):
                if (link := follows(clues, float(score), self.dedup.threshold)) is not None:
                    found[s][id(remembered)] = Found(remembered, link)
        return found

    def as_update(self, story: Story, found: Sequence[Found], language: str) -> Story | None:
        """The story marked as an update, or None when it surely continues `found` and tells
        nothing new (when not sure, it is kept as an update)."""
        known = set().union(*(f.story.keys for f in found))
        sent = ", ".join(sorted({f.story.day.isoformat() for f in found}))
        certain = any(f.link.certain for f in found)
        new = [m for m in story.members if m.content_hash not in known]
        if not new:
            log.info("memory: left out %r, sent on %s", story.headline, sent)
            return None
        said = Said.of([a for f in found for a in f.story.articles], self.encoder, self.readings)
        facts = {id(m): self.new_facts(m, said) for m in new}
        fresh = [m for m in new if facts[id(m)]]
        if sum(len(f) for f in facts.values()) < MIN_NEW_SENTENCES:
            if not (
                certain or self.confirmed(found)
            ):  # when unsure, keep it: a repeat costs a line, a lost event the news
                log.info(
                    "memory: kept %r as an update: it adds no new facts to a story sent on %s (%s), "
                    "but that it is the same event is not certain",
                    story.headline,
                    sent,
                    "; ".join(f.link.why for f in found),
                )
                return self.updated(story, new, language)
            log.info(
                "memory: left out %r, sent on %s; its %d new source(s) add no new facts",
                story.headline,
                sent,
                len(new),
            )
            return None
        fresh.sort(key=lambda m: len(facts[id(m)]), reverse=True)
        log.info(
            "memory: %r continues a story sent on %s (%s); kept as an update with %d new source(s)",
            fresh[0].title,
            sent,
            "; ".join(f.link.why for f in found),
            len(fresh),
        )
        return self.updated(story, fresh, language)

    def updated(self, story: Story, fresh: list[Article], language: str) -> Story:
        """`story` marked as an update, led by its `fresh` articles, which alone feed its blurb."""
        rest = [m for m in story.members if all(m is not f for f in fresh)]
        update = Story(
            members=fresh + rest,
            best=lead_index(fresh, language),
            summary=story.summary,
            language=story.language,
            update=True,
        )
        self.fresh[id(update)] = (update, fresh)
        return update

    def confirmed(self, found: Sequence[Found]) -> bool:
        """Whether the deduplicator scores a pending pair one story, which makes its link certain."""
        pairs = [f.pending for f in found if f.pending is not None]
        if not pairs:
            return False
        return bool((self.dedup.score_pairs(pairs) >= self.dedup.threshold).any())

    def new_facts(self, article: Article, said: Said) -> list[str]:
        """The sentences of `article` that no remembered article says."""
        sentences = [s for s in self.readings.sentences(article) if len(s.split()) >= MIN_SENTENCE_WORDS]
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
        self.sent.remember(day, stories)

    def remember_in(self, db: sqlite3.Connection, day: date, stories: Sequence[Story]) -> None:
        """`remember` inside the caller's transaction, uncommitted: the issue's
        folder is swapped in with it (digest.edition.write)."""
        self.sent.remember_in(db, day, stories)

    def check_issues(self, out_dir: Path, day: date) -> None:
        """Warn about issues in `out_dir` that memory has no record of (see `SentStories`)."""
        self.sent.check_issues(out_dir, day)


class Readings:
    """The sentences and event facts of articles, each article read once per build
    (a remembered story is compared with several of today's)."""

    def __init__(self) -> None:
        self.split: dict[str, list[str]] = {}
        self.read: dict[str, EventFacts] = {}
        self.named: dict[str, frozenset[str]] = {}
        self.cast: dict[str, frozenset[str]] = {}  # protagonists

    def who(self, articles: Sequence[Article]) -> Callable[[Article, Article], float | None]:
        """The protagonists' share of two of `articles` (`digest.dedup.protagonists`), each name
        weighed by its rarity among all of them; None across languages (names are spelt
        differently in another script) or when either repeats no name."""
        for a in articles:
            if a.content_hash not in self.cast:
                self.cast[a.content_hash] = protagonists(full_text(a))
        rarity = Rarity({a.content_hash: self.cast[a.content_hash] for a in articles}.values())

        def share(first: Article, second: Article) -> float | None:
            if first.language != second.language:
                return None
            return shared(self.cast[first.content_hash], self.cast[second.content_hash], rarity)

        return share

    def names(self, article: Article) -> frozenset[str]:
        key = article.content_hash
        if key not in self.named:
            self.named[key] = who(article)
        return self.named[key]

    def sentences(self, article: Article) -> list[str]:
        key = article.content_hash
        if key not in self.split:
            self.split[key] = split_sentences(article.text, article.language)
        return self.split[key]

    def facts(self, articles: Sequence[Article]) -> EventFacts:
        """The facts of a group of articles (a story)."""
        for a in articles:
            if a.content_hash not in self.read:
                self.read[a.content_hash] = facts_of(a)
        return combine(self.read[a.content_hash] for a in articles)


@dataclass(frozen=True)
class Said:
    """What remembered articles said: their sentence embeddings and their words."""

    vectors: np.ndarray  # one row per sentence and per pair of consecutive sentences
    words: frozenset[str]

    @classmethod
    def of(cls, articles: Sequence[Article], encoder: Encoder, readings: Readings) -> Said:
        sentences = [s for a in articles for s in sentence_windows(readings.sentences(a))]
        words = frozenset(w.lower() for a in articles for w in WORD.findall(f"{a.title} {a.text}"))
        return cls(encoder.encode(sentences) if sentences else np.zeros((0, 0)), words)


def sentence_windows(sentences: list[str]) -> list[str]:
    """Each sentence, and each pair of consecutive sentences."""
    return sentences + [f"{a} {b}" for a, b in itertools.pairwise(sentences)]


def lead_index(members: Sequence[Article], language: str) -> int:
    """The first member in the issue's language, else the first."""
    return next((i for i, m in enumerate(members) if m.language == language), 0)
