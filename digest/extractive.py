"""Model-based extractive summarisation: pick an article's best sentences.

Each sentence is embedded with the MiniLM sentence encoder and scored by
- centrality: similarity to the centroid of the article's sentences (what the
  article is mostly about),
- similarity to the headline (what the editor said it is about),
- position: news puts the essentials first,
- length: very short sentences say little.
Then sentences are picked greedily by maximal marginal relevance (score minus
similarity to what is already picked, near-duplicates skipped) while they
fit in the word budget, and printed in the article's order. Only complete
sentences that pass `sentences.is_usable` are ever picked, so a summary
never holds a cut sentence, a caption or a piece of furniture.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digest.models import Article
from digest.sentence_encoder import SentenceEncoder
from digest.sentences import is_usable, leans_back, quote_share, split_sentences, word_count

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Weights:
    """How much each signal counts (tuned on half of the BBC dev set only)."""

    centrality: float = 1.0
    headline: float = 0.5
    position: float = 0.3
    length: float = 0.1
    quote: float = 0.3  # per unit of quote share: a summary reports, it does not quote
    leans_back: float = 0.1  # opens with "He", "But"...: needs the sentence before
    redundancy: float = 0.5  # MMR: penalty per unit of similarity to a picked sentence
    duplicate: float = 0.85  # a sentence this similar to a picked one is never added


@dataclass
class Document:
    """One article split for scoring: all its sentences, and which may be picked."""

    title: str
    sentences: list[str]
    usable: list[bool]


def prepare(article: Article, max_words: int) -> Document:
    sentences = split_sentences(article.text, article.language)
    usable = [is_usable(s) for s in sentences]
    if not any(usable):
        # Text with no sentence punctuation at all (a transcript, a list): its
        # lines are the only sentences it has. Take whole ones that fit, with a
        # full stop, rather than give the reader nothing.
        sentences = [_close(s) if is_usable(_close(s)) and word_count(s) <= max_words else s
                     for s in sentences]
        usable = [is_usable(s) for s in sentences]
    return Document(article.title, sentences, usable)


def _close(sentence: str) -> str:
    return sentence if sentence[-1:] in ".!?" else sentence + "."


class ExtractiveSummariser:
    def __init__(self, encoder: SentenceEncoder, sentences: int = 3, max_words: int = 70,
                 weights: Weights = Weights()):
        self.encoder = encoder
        self.max_sentences = sentences
        self.max_words = max_words
        self.weights = weights

    def summarise(self, articles: Sequence[Article]) -> list[str]:
        """One summary per article ("" when no complete sentence fits)."""
        docs = [prepare(a, self.max_words) for a in articles]
        # One encoder call for the whole batch: fewer, fuller batches are faster.
        texts = [t for d in docs for t in (d.title, *d.sentences)]
        vectors = self.encoder.encode(texts)
        summaries, start = [], 0
        for doc, article in zip(docs, articles):
            end = start + 1 + len(doc.sentences)
            summaries.append(self._one(doc, vectors[start], vectors[start + 1 : end], article))
            start = end
        return summaries

    def _one(self, doc: Document, title_vec: np.ndarray, vectors: np.ndarray, article: Article) -> str:
        picked = self.pick(doc, title_vec, vectors)
        if not picked:
            log.warning("%s: no complete sentence of at most %d words to summarise with; "
                        "summary left empty", article.origin, self.max_words)
        return " ".join(doc.sentences[i] for i in picked)

    def pick(self, doc: Document, title_vec: np.ndarray, vectors: np.ndarray) -> list[int]:
        """Indices of the chosen sentences, in document order."""
        scores = self.scores(doc, title_vec, vectors)
        words = [word_count(s) for s in doc.sentences]
        candidates = [i for i, ok in enumerate(doc.usable) if ok and words[i] <= self.max_words]
        return sorted(mmr(candidates, scores, vectors, words, self.max_sentences, self.max_words,
                          self.weights))

    def scores(self, doc: Document, title_vec: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        w = self.weights
        n = len(doc.sentences)
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        centroid = vectors.mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        position = 1.0 / np.sqrt(np.arange(1, n + 1))
        length = np.array([min(1.0, word_count(s) / 15) for s in doc.sentences])
        quotes = np.array([quote_share(s) for s in doc.sentences])
        leaning = np.array([leans_back(s) for s in doc.sentences], dtype=np.float32)
        has_title = bool(doc.title.strip())
        return (w.centrality * (vectors @ centroid)
                + (w.headline * (vectors @ title_vec) if has_title else 0.0)
                + w.position * position
                + w.length * length
                - w.quote * quotes
                - w.leans_back * leaning)


def mmr(candidates: list[int], scores: np.ndarray, vectors: np.ndarray, words: list[int],
        max_sentences: int, max_words: int, weights: Weights) -> list[int]:
    """Greedy maximal marginal relevance under a sentence count and word budget."""
    picked: list[int] = []
    budget = max_words
    pool = list(candidates)
    while pool and len(picked) < max_sentences:
        best, best_value = -1, -np.inf
        for i in pool:
            overlap = max((float(vectors[i] @ vectors[j]) for j in picked), default=0.0)
            value = scores[i] - weights.redundancy * overlap
            if value > best_value:
                best, best_value = i, value
        pool.remove(best)
        overlap = max((float(vectors[best] @ vectors[j]) for j in picked), default=0.0)
        if words[best] > budget or overlap >= weights.duplicate:
            continue
        picked.append(best)
        budget -= words[best]
    return picked
