"""Pick the blurb's sentences: cover what most outlets say, under a word budget.

In the style of the ICSI summariser (Gillick and Favre 2009): every content
word, and every pair of adjacent words not both stop words, in the story's
sentences is a concept, worth the geometric mean of how many outlets state it
and in how many sentences (see `concept_weights`). An integer program picks
the sentences that cover the most concept weight within `max_words` and
`max_sentences`: a concept counts once however many picked sentences hold it,
so restating a fact earns nothing, and pairs that must never stand together
(two sentences saying the same thing, or giving two outlets' figures) are
excluded outright. A small bonus for a sentence near the top of its article
breaks ties the way news is written. Solved with `scipy.optimize.milp`
(HiGHS), stopping within `GAP` of the best possible worth, on the
`MAX_CONCEPTS` weightiest concepts: tenths of a second for a story of twenty
outlets. A greedy pick stands in if the solver fails.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

POSITION_BONUS = 0.5  # times the best concept weight, for an article's first sentence; / (1 + position)
MIN_WEIGHT = 2.0  # see concept_weights
MAX_CONCEPTS = 200  # the weightiest concepts kept: a large story's many small ones only slow the solver
GAP = 0.05  # stop within 5% of the best possible worth: proving the last % costs the most time
TIME_LIMIT = 1.0  # seconds the solver may take before its best answer so far is used


@dataclass(frozen=True)
class Option:
    """A sentence the blurb may take."""

    words: int
    concepts: frozenset[str]
    position: int  # sentence number in its article (0: the lead)


def concept_weights(stated: dict[str, tuple[int, int]]) -> dict[str, float]:
    """Concept -> its weight, from (outlets stating it, sentences stating it).

    The geometric mean of the two: a fact many outlets give counts most, and
    among those, one they each come back to. Below 2 (one outlet saying it up
    to three times) it is no evidence of what the story is about and is dropped.
    """
    weights = {c: math.sqrt(outlets * sentences) for c, (outlets, sentences) in stated.items()}
    kept = sorted((w, c) for c, w in weights.items() if w >= MIN_WEIGHT)[-MAX_CONCEPTS:]
    return {c: w for w, c in kept}


def select(
    options: Sequence[Option],
    weights: dict[str, float],
    conflicts: set[tuple[int, int]],
    max_words: int,
    max_sentences: int,
) -> list[int]:
    """Indices of the options that cover the most weight within the budget, no conflicting pair."""
    fits = [i for i, o in enumerate(options) if o.words <= max_words]
    if not fits:
        return []
    try:
        return _solve(options, fits, weights, conflicts, max_words, max_sentences)
    except Exception as exc:  # noqa: BLE001 - a solver failure must not cost the blurb
        log.warning("blurb: the sentence solver failed (%s); picking greedily", exc)
        return _greedy(options, fits, weights, conflicts, max_words, max_sentences)


def _bonus(option: Option, top: float) -> float:
    return POSITION_BONUS * top / (1 + option.position)


def _solve(
    options: Sequence[Option],
    fits: list[int],
    weights: dict[str, float],
    conflicts: set[tuple[int, int]],
    max_words: int,
    max_sentences: int,
) -> list[int]:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    holders: dict[str, list[int]] = {}
    for k, i in enumerate(fits):
        for c in options[i].concepts:
            if c in weights:
                holders.setdefault(c, []).append(k)
    # A concept only one sentence holds is simply part of that sentence's worth;
    # only shared concepts need a variable (fewer columns, a faster solve).
    top = max(weights.values(), default=1.0)
    own = np.array([_bonus(options[i], top) for i in fits])
    names = sorted(c for c, held in holders.items() if len(held) > 1)
    for c, held in holders.items():
        if len(held) == 1:
            own[held[0]] += weights[c]
    gain = np.concatenate([own, [weights[c] for c in names]])
    where = {i: k for k, i in enumerate(fits)}
    pairs = [(where[a], where[b]) for a, b in conflicts if a in where and b in where]
    rows = lil_matrix((2 + len(names) + len(pairs), len(gain)))
    for k, i in enumerate(fits):
        rows[0, k] = options[i].words
        rows[1, k] = 1
    for n, c in enumerate(names):  # a concept counts only if a chosen sentence holds it
        rows[2 + n, len(fits) + n] = 1
        for k in holders[c]:
            rows[2 + n, k] = -1
    for n, (a, b) in enumerate(pairs):
        rows[2 + len(names) + n, a] = 1
        rows[2 + len(names) + n, b] = 1
    upper = np.concatenate([[max_words, max_sentences], np.zeros(len(names)), np.ones(len(pairs))])
    result = milp(
        -gain,
        constraints=LinearConstraint(rows.tocsr(), -np.inf, upper),
        integrality=np.array([1] * len(fits) + [0] * len(names)),
        bounds=Bounds(0, 1),
        options={"time_limit": TIME_LIMIT, "mip_rel_gap": GAP},
    )
    if result.x is None:
        raise RuntimeError(result.message)
    return [i for k, i in enumerate(fits) if result.x[k] > 0.5]


def _greedy(
    options: Sequence[Option],
    fits: list[int],
    weights: dict[str, float],
    conflicts: set[tuple[int, int]],
    max_words: int,
    max_sentences: int,
) -> list[int]:
    """Best new weight per word first, while it fits."""
    top = max(weights.values(), default=1.0)
    picked: list[int] = []
    covered: set[str] = set()
    budget = max_words
    pool = set(fits)
    while pool and len(picked) < max_sentences:

        def value(i: int, covered: set[str] = covered) -> float:
            new = sum(weights.get(c, 0.0) for c in options[i].concepts - covered)
            return (new + _bonus(options[i], top)) / max(1, options[i].words)

        best = max(pool, key=value)
        pool.discard(best)
        clash = any((min(best, j), max(best, j)) in conflicts for j in picked)
        if options[best].words > budget or clash:
            continue
        picked.append(best)
        covered |= options[best].concepts
        budget -= options[best].words
    return picked
