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
   scores or prices need much more textual evidence to merge).
4. `digest.cluster.average_linkage` groups them at the decision threshold
   (why average linkage: see that module).

Every article ends up in exactly one story, members in input order; a
story's `best` member (issue's language, complete text, source weight) gives
its headline.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from digest.config import DedupSettings
from digest.console import Timings
from digest.dedup.alignment import alignment, sentences_for_alignment, split_rows
from digest.dedup.calibration import CALIBRATION
from digest.dedup.cluster import average_linkage, components
from digest.dedup.nearcopy import find_copies
from digest.dedup.similarity import Pair, PairScorer, Profile, feature_matrix, full_text, head_text
from digest.encoders.embed import Encoder, load_encoder
from digest.models import Article, Story
from digest.state import StateDB

log = logging.getLogger(__name__)

# Full-text cosine below which a pair is never the same story: on the dev
# pairs no pair under 0.30 scores above 0.35, far under the threshold.
CANDIDATE_FLOOR = 0.30
NEIGHBOURS = 50  # most similar articles considered per article (a story's sources)
COMPLETE_SHARE = 0.8  # a text this long relative to the longest counts as complete
COPY_SCORE = 1.0


class Embedded:
    """Profiles and embeddings of a list of articles, computed in three batched calls."""

    def __init__(self, encoder: Encoder, articles: Sequence[Article]):
        self.profiles = [Profile.of(a) for a in articles]
        self.full = encoder.encode([full_text(a) for a in articles])
        self.head = encoder.encode([head_text(a) for a in articles])
        sentences = [sentences_for_alignment(full_text(a), a.language) for a in articles]
        rows = encoder.encode([s for group in sentences for s in group])
        self.sentences = split_rows(rows, [len(group) for group in sentences])

    def pair(self, i: int, j: int) -> Pair:
        cos = float(self.full[i] @ self.full[j])
        head = float(self.head[i] @ self.head[j])
        align = alignment(self.sentences[i], self.sentences[j])
        return Pair(self.profiles[i], self.profiles[j], cos, head, align)


class Deduplicator:
    def __init__(self, encoder: Encoder, scorer: PairScorer, threshold: float | None = None):
        self.encoder = encoder
        self.scorer = scorer
        self.threshold = scorer.threshold if threshold is None else threshold

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
        with steps.stage("near-copies"):
            copy_groups = components(len(articles), find_copies([full_text(a) for a in articles]))
            leaders = [g[0] for g in copy_groups]  # components() lists members in order
        with steps.stage("embed"):
            embedded = Embedded(self.encoder, [articles[i] for i in leaders])
        with steps.stage("candidates"):
            pairs = candidate_pairs(embedded.full)
        with steps.stage("score"):
            scores = self.scorer.score([embedded.pair(i, j) for i, j in pairs])
        with steps.stage("link"):
            scored = [(i, j, float(s)) for (i, j), s in zip(pairs, scores)]
            linked = average_linkage(len(leaders), scored, self.threshold)
        groups = sorted(sorted(m for g in group for m in copy_groups[g]) for group in linked)
        stories = [make_story([articles[m] for m in members], language) for members in groups]
        log.info(
            "dedup: %d articles (%d after near-copies) -> %d stories from %d candidate pairs; %s",
            len(articles),
            len(leaders),
            len(stories),
            len(pairs),
            steps,
        )
        return stories


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
    """In the issue's language if any, then a complete text, then source weight."""
    in_language = [m for m in members if m.language == language] or list(members)
    longest = max(len(m.text) for m in in_language)

    def key(k: int) -> tuple:
        m = members[k]
        # completeness is judged among the candidates still in the running
        complete = len(m.text) >= COMPLETE_SHARE * longest
        return (m.language == language, complete, m.weight, len(m.text), -k)

    return max(range(len(members)), key=key)


def load_deduplicator(settings: DedupSettings, state: StateDB | None) -> Deduplicator:
    """The shipped calibration; `[dedup] threshold` overrides its decision threshold."""
    return Deduplicator(load_encoder(state), PairScorer(CALIBRATION), settings.threshold)
