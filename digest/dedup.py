"""Deduplicate: merge articles that tell the same story, in any language.

Each article is embedded once with the multilingual encoder (full text),
candidate pairs are those whose cosine passes a low floor, each candidate
pair gets a same-story score, and `digest.cluster.average_linkage` groups the
articles into stories at the decision threshold. Every article ends up in
exactly one story; a story's `best` member gives its headline.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from digest.cluster import average_linkage
from digest.config import DedupSettings
from digest.embed import Encoder, load_encoder
from digest.models import Article, Story
from digest.state import StateDB

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.73
CANDIDATE_FLOOR = 0.3  # cosine below which a pair is never the same story
COMPLETE_SHARE = 0.8  # a text this long relative to the longest counts as complete


def full_text(article: Article) -> str:
    return f"{article.title}\n{article.text}".strip()


class Deduplicator:
    def __init__(self, encoder: Encoder, threshold: float = DEFAULT_THRESHOLD):
        self.encoder = encoder
        self.threshold = threshold

    def score(self, a: Article, b: Article) -> float:
        """Same-story score of two articles, 0..1."""
        rows = self.encoder.encode([full_text(a), full_text(b)])
        return float(np.clip(rows[0] @ rows[1], 0.0, 1.0))

    def group(self, articles: Sequence[Article], language: str) -> list[Story]:
        articles = list(articles)
        if not articles:
            return []
        rows = self.encoder.encode([full_text(a) for a in articles])
        groups = average_linkage(len(articles), candidate_pairs(rows), self.threshold)
        stories = [make_story([articles[i] for i in g], language) for g in groups]
        log.info("%d articles -> %d stories", len(articles), len(stories))
        return stories


def candidate_pairs(rows: np.ndarray, floor: float = CANDIDATE_FLOOR, block: int = 512):
    """(i, j, cosine) for i < j with cosine >= floor, computed block by block."""
    pairs = []
    for start in range(0, len(rows), block):
        sims = rows[start : start + block] @ rows.T
        for bi, j in zip(*np.nonzero(sims >= floor)):
            i = start + int(bi)
            if i < j:
                pairs.append((i, int(j), float(sims[bi, j])))
    return pairs


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
    threshold = DEFAULT_THRESHOLD if settings.threshold is None else settings.threshold
    return Deduplicator(load_encoder(state), threshold)
