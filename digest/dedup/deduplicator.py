"""Deduplicate: merge articles that tell the same story, in any language.

1. Exact and near-exact copies (syndicated wire stories) are found with
   MinHash (`digest.nearcopy`) before any model runs; each group of copies is
   embedded and scored once, through its first member, and all its members
   become sources of the same story.
2. The remaining texts are embedded with the multilingual encoder (full text,
   headline plus lead, and sentence by sentence), cached by content hash.
3. Candidate pairs are those whose full-text cosine passes `CANDIDATE_FLOOR`
   (below it the calibrated score is far under any sensible threshold);
   each gets the calibrated same-story score of `digest.similarity`, which
   reads the text signals and the event facts of `digest.dedup.events`
   (two texts that give different years, dates, magnitudes, ages, tolls,
   scores or prices need much more textual evidence to merge); within a
   day's batch, two articles that repeat different names (another suspect,
   another town) lose some more (`digest.dedup.protagonists`);
4. `digest.cluster.average_linkage` groups them at the link threshold
   (why average linkage: see that module; the link threshold is the pair
   decision's unless calibrated otherwise, see `PairScorer`); `digest.cluster.merge_compatible`
   then lets groups whose average score lies between the calibrated
   `join_floor` and the threshold join when their event facts allow it
   (`similarity.may_join`: no member contradicts another on when or how
   many, and the two agree on the day or a figure). This brings back the
   parts of a story worded far from the rest (short items, time-stamp
   titles) without lowering the bar for two similar events.

Every article ends up in exactly one story, members in input order; a
story's `best` member (issue's language, complete text, source weight) gives
its headline.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digest.config import DedupSettings
from digest.console import Timings
from digest.dedup.alignment import alignment, sentences_for_alignment, split_rows
from digest.dedup.calibration import CALIBRATION
from digest.dedup.cluster import average_linkage, components, merge_compatible
from digest.dedup.nearcopy import find_copies
from digest.dedup.protagonists import Rarity, shared
from digest.dedup.similarity import Pair, PairScorer, Profile, feature_matrix, full_text, head_text, may_join
from digest.encoders.embed import Encoder, load_encoder
from digest.models import Article, Story
from digest.state import StateDB
from digest.text.headline import is_headline

log = logging.getLogger(__name__)

# Full-text cosine below which a pair is never the same story: on the dev
# pairs no pair under 0.30 scores above 0.35, far under the threshold.
CANDIDATE_FLOOR = 0.30
NEIGHBOURS = 50  # most similar articles considered per article (a story's sources)
COMPLETE_SHARE = 0.8  # a text this long relative to the longest counts as complete
COPY_SCORE = 1.0


class Embedded:
    """Profiles and embeddings of a list of articles, computed in three batched calls.

    The articles are also the batch whose names weigh the protagonists
    (`digest.dedup.protagonists.Rarity`); each pair carries its `who`, which
    the score reads only when the batch is a day's articles being grouped
    (`PairScorer.score(..., in_day=True)`).
    """

    def __init__(self, encoder: Encoder, articles: Sequence[Article]):
        self.profiles = [Profile.of(a) for a in articles]
        distinct = {full_text(a): p.protagonists for a, p in zip(articles, self.profiles, strict=True)}
        self.rarity = Rarity(distinct.values())  # an article in several pairs counts once
        self.full = encoder.encode([full_text(a) for a in articles])
        self.head = encoder.encode([head_text(a) for a in articles])
        sentences = [sentences_for_alignment(full_text(a), a.language) for a in articles]
        rows = encoder.encode([s for group in sentences for s in group])
        self.sentences = split_rows(rows, [len(group) for group in sentences])

    def pair(self, i: int, j: int) -> Pair:
        cos = float(self.full[i] @ self.full[j])
        head = float(self.head[i] @ self.head[j])
        align = alignment(self.sentences[i], self.sentences[j])
        first, second = self.profiles[i], self.profiles[j]
        who = shared(first.protagonists, second.protagonists, self.rarity)
        return Pair(first, second, cos, head, align, who)


class Deduplicator:
    def __init__(self, encoder: Encoder, scorer: PairScorer, threshold: float | None = None):
        self.encoder = encoder
        self.scorer = scorer
        self.threshold = scorer.threshold if threshold is None else threshold  # one pair: same story?
        # a day's articles: where average linkage cuts (a set threshold overrides both)
        self.link_threshold = scorer.link_threshold if threshold is None else threshold

    def score(self, a: Article, b: Article) -> float:
        """Calibrated same-story score of two articles: ~1 same event, ~0 unrelated."""
        return float(self.score_pairs([(a, b)])[0])

    def score_pairs(self, pairs: Sequence[tuple[Article, Article]]) -> np.ndarray:
        """Scores for many pairs, embedding every distinct article once."""
        articles = [a for pair in pairs for a in pair]
        embedded = Embedded(self.encoder, articles)
        copies = set(find_copies([full_text(a) for a in articles]))
        scores = self.scorer.score([embedded.pair(2 * k, 2 * k + 1) for k in range(len(pairs))])
        for k in range(len(pairs)):
            if (2 * k, 2 * k + 1) in copies:
                scores[k] = COPY_SCORE
        return scores

    def group(self, articles: Sequence[Article], language: str) -> list[Story]:
        articles = list(articles)
        if not articles:
            return []
        steps = Timings(quiet=True)
        batch = self.candidates(articles, steps)
        with steps.stage("score"):
            scores = self.scorer.score(batch.pairs, in_day=True)
        with steps.stage("link"):
            groups = self.link(batch, scores)
        stories = [make_story([articles[m] for m in members], language) for members in groups]
        log.info(
            "dedup: %d articles (%d after near-copies) -> %d stories from %d candidate pairs; %s",
            len(articles),
            len(batch.leaders),
            len(stories),
            len(batch.pairs),
            steps,
        )
        return stories

    def candidates(self, articles: Sequence[Article], steps: Timings | None = None) -> Candidates:
        """Near-copies, embeddings and the candidate pairs of a day's articles, ready to score."""
        steps = steps or Timings(quiet=True)
        with steps.stage("near-copies"):
            copy_groups = components(len(articles), find_copies([full_text(a) for a in articles]))
            leaders = [g[0] for g in copy_groups]  # components() lists members in order
        with steps.stage("embed"):
            embedded = Embedded(self.encoder, [articles[i] for i in leaders])
        with steps.stage("candidates"):
            indices = candidate_pairs(embedded.full)
            pairs = [embedded.pair(i, j) for i, j in indices]
        return Candidates(copy_groups, leaders, embedded, indices, pairs)

    def link(self, batch: Candidates, scores: np.ndarray) -> list[list[int]]:
        """Groups of article indices (sorted) from the candidates' scores: linkage, then joins."""
        scored = [(i, j, float(s)) for (i, j), s in zip(batch.indices, scores, strict=True)]
        linked = average_linkage(len(batch.leaders), scored, self.link_threshold)
        facts = [p.facts for p in batch.embedded.profiles]
        linked = merge_compatible(
            linked,
            scored,
            min(self.scorer.join_floor, self.link_threshold),
            lambda a, b: may_join([facts[i] for i in a], [facts[j] for j in b]),
        )
        return sorted(sorted(m for g in group for m in batch.copy_groups[g]) for group in linked)


@dataclass(frozen=True)
class Candidates:
    """A day's articles ready to score: near-copy groups, their leaders' embeddings and pairs."""

    copy_groups: list[list[int]]  # article indices, each group's first member its leader
    leaders: list[int]
    embedded: Embedded  # of the leaders, in order
    indices: list[tuple[int, int]]  # candidate pairs, as positions in `leaders`
    pairs: list[Pair]  # what the scorer reads for each


def candidate_pairs(
    rows: np.ndarray, floor: float = CANDIDATE_FLOOR, neighbours: int = NEIGHBOURS, block: int = 512
) -> list[tuple[int, int]]:
    """(i, j), i < j: j among i's `neighbours` most similar (or i among j's) with cosine >= floor.

    Cosines are computed block by block, so memory stays at block x n; the cap
    on neighbours keeps the pairs to score (the costly part) linear in n even
    on a day when many articles share one broad topic.
    """
    keep: set[tuple[int, int]] = set()
    k = min(neighbours + 1, len(rows))  # +1: each row's best match is itself
    for start in range(0, len(rows), block):
        sims = rows[start : start + block] @ rows.T
        best = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for bi, js in enumerate(best):
            i = start + bi
            for j in js[sims[bi, js] >= floor]:
                if i != j:
                    keep.add((min(i, int(j)), max(i, int(j))))
    return sorted(keep)


def pair_feature_rows(encoder: Encoder, pairs: Sequence[tuple[Article, Article]]) -> np.ndarray:
    """The model's input for each pair (used to fit the calibration)."""
    embedded = Embedded(encoder, [a for pair in pairs for a in pair])
    return feature_matrix([embedded.pair(2 * k, 2 * k + 1) for k in range(len(pairs))])


def make_story(members: list[Article], language: str) -> Story:
    return Story(members=members, best=best_member(members, language))


def best_member(members: Sequence[Article], language: str) -> int:
    """In the issue's language if any, then a complete text, then a title that is a headline, then weight.

    Among complete texts, one titled by a time stamp ("June 06, 2013") does
    not lead a story that has one with a real headline (and a story led by
    one shows its first sentence instead: `Story.headline`).
    """
    in_language = [m for m in members if m.language == language] or list(members)
    longest = max(len(m.text) for m in in_language)

    def key(k: int) -> tuple[bool, bool, bool, float, int, int]:
        m = members[k]
        # completeness is judged among the candidates still in the running
        complete = len(m.text) >= COMPLETE_SHARE * longest
        return (m.language == language, complete, is_headline(m.title, m.language), m.weight, len(m.text), -k)

    return max(range(len(members)), key=key)


def load_deduplicator(settings: DedupSettings, state: StateDB | None) -> Deduplicator:
    """The shipped calibration; `[dedup] threshold` overrides its decision threshold."""
    return Deduplicator(load_encoder(state), PairScorer(CALIBRATION), settings.threshold)
