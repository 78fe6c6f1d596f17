"""Sentence alignment: how much of one article the other one also tells.

One embedding of a whole article blurs it into a topic; two reports of the
same event share *sentences* (the same facts, told in other words or another
language), while two stories on one topic share only the topic. So each
article is also embedded sentence by sentence, and for a pair we measure:

- `low` and `high`: for each sentence of one article, the cosine of its best
  match in the other, averaged over the article; `low` is the smaller of the
  two directions (a short report inside a long one scores high one way only);
- `top`: the mean of the three best-matching sentence pairs (one shared fact,
  a quote or a figure, told by both).

On the SemEval-2022 dev pairs these add about 0.01 to the held-out ROC AUC of
the same-story score (see `digest.similarity`). Cost: about 2.5 ms per
sentence on 2 cores, cached by content hash like every embedding.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from digest.dedup.similarity import HEAD_CHARS
from digest.text.sentences import split_sentences

MIN_CHARS = 20  # shorter "sentences" are captions, datelines and buttons
MAX_SENTENCES = 40  # a news article's first 40 sentences say what it reports
MAX_SCAN_CHARS = 20_000  # split only this much of a huge text
TOP = 3


def sentences_for_alignment(text: str, language: str) -> list[str]:
    """The sentences to embed; the head of the text when none is long enough."""
    text = text[:MAX_SCAN_CHARS]
    found = [s for s in split_sentences(text, language) if len(s) >= MIN_CHARS]
    if found:
        return found[:MAX_SENTENCES]
    head = " ".join(text.split())[:HEAD_CHARS]
    return [head] if head else []


def alignment(first: np.ndarray, second: np.ndarray) -> tuple[float, float, float]:
    """(low, high, top) for two articles' sentence rows (unit length); zeros if either has none."""
    if not len(first) or not len(second):
        return 0.0, 0.0, 0.0
    sims = first @ second.T
    forward, backward = float(sims.max(axis=1).mean()), float(sims.max(axis=0).mean())
    best = np.sort(sims, axis=None)[-TOP:]
    return min(forward, backward), max(forward, backward), float(best.mean())


def split_rows(rows: np.ndarray, counts: Sequence[int]) -> list[np.ndarray]:
    """Cut one matrix of stacked sentence rows back into one block per article."""
    bounds = np.cumsum([0, *counts])
    return [rows[start:end] for start, end in pairwise(bounds)]
