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
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digest.encoders.sentence_encoder import SentenceEncoder
from digest.models import Article
from digest.text.sentences import is_usable, leans_back, quote_share, split_sentences, word_count

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Weights:
    """How much each signal counts (tuned on half of the BBC dev set only)."""

    centrality: float = 1.0
    lexical: float = 4.0  # shared content words with the rest of the article
    headline: float = 0.25
    position: float = 0.1
    length: float = 0.8
    full_length: int = 15  # words at which a sentence gets the whole length score
    quote: float = 0.3  # per unit of quote share: a summary reports, it does not quote
    leans_back: float = 0.1  # opens with "He", "But"...: needs the sentence before
    redundancy: float = 0.3  # MMR: penalty per unit of similarity to a picked sentence
    duplicate: float = 0.85  # a sentence this similar to a picked one is never added
    shortlist: int = 8  # sentences embedded per article (the rest lose on cheap signals)


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
        sentences = [
            _close(s) if is_usable(_close(s)) and word_count(s) <= max_words else s for s in sentences
        ]
        usable = [is_usable(s) for s in sentences]
    return Document(article.title, sentences, usable)


def _close(sentence: str) -> str:
    return sentence if sentence[-1:] in ".!?" else sentence + "."


class ExtractiveSummariser:
    def __init__(
        self, encoder: SentenceEncoder, sentences: int = 3, max_words: int = 70, weights: Weights = Weights()
    ):
        self.encoder = encoder
        self.max_sentences = sentences
        self.max_words = max_words
        self.weights = weights

    def summarise(self, articles: Sequence[Article]) -> list[str]:
        """One summary per article ("" when no complete sentence fits)."""
        docs = [prepare(a, self.max_words) for a in articles]
        cheap = [self.cheap_scores(d) for d in docs]
        shortlists = [self.shortlist(d, c) for d, c in zip(docs, cheap, strict=True)]
        # One encoder call for the whole batch: fewer, fuller batches are faster.
        texts = [
            t
            for d, short in zip(docs, shortlists, strict=True)
            for t in (d.title, *(d.sentences[i] for i in short))
        ]
        vectors = self.encoder.encode(texts)
        summaries, start = [], 0
        for doc, short, scores, article in zip(docs, shortlists, cheap, articles, strict=True):
            end = start + 1 + len(short)
            picked = self.pick(doc, short, vectors[start], vectors[start + 1 : end], scores)
            if not picked:
                log.warning(
                    "%s: no complete sentence of at most %d words to summarise with; summary left empty",
                    article.origin,
                    self.max_words,
                )
            summaries.append(" ".join(doc.sentences[i] for i in picked))
            start = end
        return summaries

    def shortlist(self, doc: Document, cheap: np.ndarray) -> list[int]:
        """The usable sentences worth embedding, best first by the cheap signals.

        The encoder is nearly all the cost, so only the `shortlist` sentences
        the word-level signals rank highest are embedded and scored by it.
        """
        fits = [i for i, ok in enumerate(doc.usable) if ok and word_count(doc.sentences[i]) <= self.max_words]
        return sorted(fits, key=lambda i: -cheap[i])[: self.weights.shortlist]

    def pick(
        self, doc: Document, short: list[int], title_vec: np.ndarray, vectors: np.ndarray, cheap: np.ndarray
    ) -> list[int]:
        """Indices (into doc.sentences) of the chosen sentences, in document order.

        `vectors` holds one row per index in `short`; `cheap` one score per sentence."""
        if not short:
            return []
        scores = cheap[short] + self.model_scores(doc, title_vec, vectors)
        words = [word_count(doc.sentences[i]) for i in short]
        chosen = mmr(
            list(range(len(short))), scores, vectors, words, self.max_sentences, self.max_words, self.weights
        )
        return sorted(short[j] for j in chosen)

    def model_scores(self, doc: Document, title_vec: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """Centrality among the shortlisted sentences, and closeness to the headline."""
        w = self.weights
        centroid = vectors.mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        headline = vectors @ title_vec if doc.title.strip() else 0.0
        result: np.ndarray = w.centrality * (vectors @ centroid) + w.headline * headline
        return result

    def cheap_scores(self, doc: Document) -> np.ndarray:
        """The signals that need no model: shared words, position, length, quotes."""
        w = self.weights
        n = len(doc.sentences)
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        position = 1.0 / np.sqrt(np.arange(1, n + 1))
        length = np.array([min(1.0, word_count(s) / w.full_length) for s in doc.sentences])
        quotes = np.array([quote_share(s) for s in doc.sentences])
        leaning = np.array([leans_back(s) for s in doc.sentences], dtype=np.float32)
        return (
            w.lexical * lexical_centrality(doc.sentences)
            + w.position * position
            + w.length * length
            - w.quote * quotes
            - w.leans_back * leaning
        )


def lexical_centrality(sentences: list[str]) -> np.ndarray:
    """Cosine between each sentence's content words and the rest of the article's.

    The encoder sees meaning; this sees the names and figures a sentence
    shares with the rest of the story, which the encoder blurs.
    """
    bags = [Counter(w for w in _WORD.findall(s.lower()) if len(w) > 3) for s in sentences]
    total: Counter[str] = Counter()
    for bag in bags:
        total.update(bag)
    total_sq = sum(c * c for c in total.values())
    out = np.zeros(len(sentences), dtype=np.float32)
    for i, bag in enumerate(bags):
        # rest = total - bag, without building it: O(words in the sentence).
        dot = sum(c * (total[w] - c) for w, c in bag.items())
        rest_sq = total_sq - sum(total[w] ** 2 - (total[w] - c) ** 2 for w, c in bag.items())
        norm = np.sqrt(sum(c * c for c in bag.values()) * rest_sq)
        out[i] = dot / norm if norm else 0.0
    return out


def mmr(
    candidates: list[int],
    scores: np.ndarray,
    vectors: np.ndarray,
    words: list[int],
    max_sentences: int,
    max_words: int,
    weights: Weights,
) -> list[int]:
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
