"""Deduplicate: merge articles that tell the same story, in any language.

1. Exact and near-exact copies (syndicated wire stories) are found with
   MinHash (`digest.nearcopy`) before any model runs; each group of copies is
   embedded and scored once, through its first member, and all its members
   become sources of the same story.
2. The remaining texts are embedded with the multilingual encoder (full text,
   and headline plus lead), cached by content hash.
3. Candidate pairs are those whose full-text cosine passes `CANDIDATE_FLOOR`
   (below it the calibrated score is far under any sensible threshold);
   each gets the calibrated same-story score of `digest.similarity`.
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

from digest.cluster import average_linkage, components
from digest.config import DedupSettings
from digest.dedup_calibration import CALIBRATION
from digest.embed import Encoder, load_encoder
from digest.models import Article, Story
from digest.nearcopy import find_copies
from digest.similarity import FEATURES, PairScorer, Profile, features, full_text, head_text
from digest.state import StateDB

log = logging.getLogger(__name__)

CANDIDATE_FLOOR = 0.25  # full-text cosine below which a pair is never the same story
COMPLETE_SHARE = 0.8  # a text this long relative to the longest counts as complete
COPY_SCORE = 1.0


class Embedded:
    """Profiles and embeddings of a list of articles, computed in two batched calls."""

    def __init__(self, encoder: Encoder, articles: Sequence[Article]):
        self.profiles = [Profile.of(a) for a in articles]
        self.full = encoder.encode([full_text(a) for a in articles])
        self.head = encoder.encode([head_text(a) for a in articles])

    def pair(self, i: int, j: int) -> tuple[Profile, Profile, float, float]:
        cos = float(self.full[i] @ self.full[j])
        head = float(self.head[i] @ self.head[j])
        return self.profiles[i], self.profiles[j], cos, head


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
        copy_groups = components(len(articles), find_copies([full_text(a) for a in articles]))
        leaders = [g[0] for g in copy_groups]  # components() lists members in order
        embedded = Embedded(self.encoder, [articles[i] for i in leaders])
        pairs = candidate_pairs(embedded.full)
        scores = self.scorer.score([embedded.pair(i, j) for i, j in pairs])
        scored = [(i, j, float(s)) for (i, j), s in zip(pairs, scores)]
        groups = [
            sorted(m for g in group for m in copy_groups[g])
            for group in average_linkage(len(leaders), scored, self.threshold)
        ]
        groups.sort(key=lambda members: members[0])
        stories = [make_story([articles[m] for m in members], language) for members in groups]
        log.info(
            "%d articles (%d after near-copies) -> %d stories, %d candidate pairs",
            len(articles), len(leaders), len(stories), len(pairs),
        )
        return stories


def candidate_pairs(rows: np.ndarray, floor: float = CANDIDATE_FLOOR, block: int = 512) -> list[tuple[int, int]]:
    """(i, j), i < j, with cosine >= floor, computed block by block to bound memory."""
    pairs = []
    for start in range(0, len(rows), block):
        sims = rows[start : start + block] @ rows.T
        for bi, j in zip(*np.nonzero(sims >= floor)):
            i = start + int(bi)
            if i < j:
                pairs.append((i, int(j)))
    return pairs


def pair_feature_rows(encoder: Encoder, pairs: Sequence[tuple[Article, Article]]) -> np.ndarray:
    """The model's input for each pair (used to fit the calibration)."""
    embedded = Embedded(encoder, [a for pair in pairs for a in pair])
    rows = []
    for k in range(len(pairs)):
        values = features(*embedded.pair(2 * k, 2 * k + 1))
        rows.append([values[f] for f in FEATURES])
    return np.array(rows)


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
