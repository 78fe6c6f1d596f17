"""Fit the event offsets and the decision threshold on a day's batch with gold stories.

Used by `python -m digest.fitting.calibrate PAIRS.csv --stories DIR --gold GOLD.csv`.

The batch is read and cleaned as `digest build` reads it; its candidate pairs
(as the deduplicator finds them) are labelled 1 when gold puts both articles
in one story. The SemEval fit pairs join them (soft targets, as in
`calibrate`), so that a fact which tells two events apart in the batch but
not across the SemEval pairs (where two events of one day share the date)
gets a weight both can live with.

The offsets are an L2-regularised logistic regression, with the sign of
each weight fixed (agreement for, contradiction against), on the event
columns (`digest.dedup.similarity.EVENT_FEATURES`) with the SemEval score's
logit as a fixed offset, so they say only how much each agreement or
contradiction moves the odds of "one story" beyond what the text says.

The threshold is then chosen on the stories: the batch's articles are
grouped by average linkage at each threshold from 0.30 to 0.90 and scored by
pairwise F0.5 (precision weighs more: a wrong merge loses a story, a missed
one shows it twice); with the SemEval pairs, the F0.5 of the decision on
them (same against related-or-unrelated, as in `calibrate`) is averaged in,
so the threshold suits both a day of near-identical events and a mixed
day. The best wins, ties to the higher.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from digest.dedup.cluster import average_linkage
from digest.dedup.deduplicator import Embedded, candidate_pairs
from digest.dedup.similarity import EVENT_FEATURES, Pair, PairScorer, Profile, event_matrix
from digest.encoders.embed import Encoder
from digest.errors import DigestError
from digest.evaluation.stories import GoldRow, evaluate, read_gold
from digest.fitting.semeval import LabelledPair
from digest.ingest.files import read_paths
from digest.models import Article
from digest.pipeline import clean_or_skip

log = logging.getLogger(__name__)

PairRows = tuple[np.ndarray, np.ndarray, np.ndarray]  # event columns, logits, targets
L2 = 1.0
BETA = 0.5
THRESHOLDS = np.round(np.arange(0.30, 0.901, 0.01), 2)


def fit_signed(
    x: np.ndarray, offset: np.ndarray, target: np.ndarray, signs: np.ndarray, l2: float = L2
) -> np.ndarray:
    """`fit_offsets` with each weight's sign fixed: +1 (agreement) or -1 (contradiction).

    An agreement is never evidence of two events, a contradiction never of
    one; a weight fitted with the wrong sign comes from correlated or rare
    columns (a full date that contradicts also makes the days contradict),
    so its column is left out (weight 0) and the rest refitted.
    """
    active = np.ones(x.shape[1], dtype=bool)
    while True:
        weights = np.zeros(x.shape[1])
        weights[active] = fit_offsets(x[:, active], offset, target, l2)
        wrong = active & (weights * signs < 0)
        if not wrong.any():
            return weights
        active &= ~wrong


def fit_offsets(x: np.ndarray, offset: np.ndarray, target: np.ndarray, l2: float = L2) -> np.ndarray:
    """Logistic regression without bias on `x`, with a fixed per-row logit `offset` (Newton's method)."""
    weights = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ weights + offset)))
        gradient = x.T @ (p - target) + l2 * weights
        hessian = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights


def f_beta(precision: float, recall: float, beta: float = BETA) -> float:
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall) if precision + recall else 0.0


def semeval_f_beta(extra: PairRows, weights: np.ndarray, threshold: float) -> float:
    """F-beta of the decision on the labelled pairs: rated same (<= 1.5) against rated 2.5 or more."""
    events, logits, target = extra
    scores = 1.0 / (1.0 + np.exp(-(logits + events @ weights)))
    same, different = target >= (4.0 - 1.5) / 3.0, target <= (4.0 - 2.5) / 3.0 + 1e-9
    chosen = scores >= threshold
    tp = float(np.sum(chosen & same))
    precision = tp / max(float(np.sum(chosen & (same | different))), 1.0)
    return f_beta(precision, tp / max(float(same.sum()), 1.0))


def semeval_rows(pairs: list[LabelledPair], calibration: dict[str, Any], rows: np.ndarray) -> PairRows:
    """Event columns, score logits and soft targets of labelled pairs (their feature `rows` given)."""
    profiles = [Pair(Profile.of(p.first), Profile.of(p.second), 0.0, 0.0, (0.0, 0.0, 0.0)) for p in pairs]
    target = np.array([(4.0 - p.overall) / 3.0 for p in pairs]).clip(0, 1)
    return event_matrix(profiles), PairScorer(calibration).logits(rows), target


def read_batch(folder: Path, gold_csv: Path) -> tuple[list[tuple[str, Article]], dict[str, GoldRow]]:
    """The batch's articles that GOLD.csv names, cleaned as `digest build` cleans them, with their
    file names; and GOLD.csv itself."""
    gold = read_gold(gold_csv)
    named = [(Path(raw.path or raw.origin).name, raw) for raw in read_paths([folder])]
    kept = [(name, a) for name, raw in named if name in gold and (a := clean_or_skip(raw))]
    if len(kept) < 2:
        raise DigestError(f"{folder}: fewer than two usable articles named in {gold_csv}")
    return kept, gold


def calibrate_events(
    encoder: Encoder,
    calibration: dict[str, Any],
    folder: Path,
    gold_csv: Path,
    extra: PairRows | None = None,
) -> dict[str, Any]:
    """`calibration` with "events" weights and "threshold" fitted on the batch (plus `extra` pairs)."""
    kept, gold = read_batch(folder, gold_csv)
    names = [name for name, _ in kept]
    labels = [gold[name].story for name in names]
    embedded = Embedded(encoder, [a for _, a in kept])
    pairs = candidate_pairs(embedded.full)
    scored = [embedded.pair(i, j) for i, j in pairs]
    scorer = PairScorer({**calibration, "events": {}})
    base = scorer.base_logits(scored)
    events = event_matrix(scored)
    target = np.array([float(labels[i] == labels[j]) for i, j in pairs])
    signs = np.array([1.0 if name.startswith("agree_") else -1.0 for name in EVENT_FEATURES])
    if extra is None:
        weights = fit_signed(events, base, target, signs)
    else:  # fitted on both: the SemEval pairs keep the offsets from reading the batch's quirks as rules
        weights = fit_signed(
            np.vstack([events, extra[0]]),
            np.concatenate([base, extra[1]]),
            np.concatenate([target, extra[2]]),
            signs,
        )
    log.info("event offsets fitted on %d candidate pairs of %d articles", len(pairs), len(kept))
    scores = 1.0 / (1.0 + np.exp(-(base + events @ weights)))
    truth = dict(zip(names, labels, strict=True))
    best = (-1.0, 0.5)
    for threshold in THRESHOLDS:
        linked = average_linkage(
            len(names), [(i, j, float(s)) for (i, j), s in zip(pairs, scores, strict=True)], threshold
        )
        figures = evaluate([[names[m] for m in group] for group in linked], truth, {})["pairwise"]
        f = f_beta(figures["precision"], figures["recall"])
        if extra is not None:
            f = (f + semeval_f_beta(extra, weights, threshold)) / 2
        best = max(best, (round(f, 6), float(threshold)))
    return {
        **calibration,
        "events_fitted_on": (
            f"{len(pairs)} pairs of {len(kept)} articles in {folder.parent.name}"
            + (f" + {len(extra[2])} SemEval fit pairs" if extra is not None else "")
        ),
        "events": dict(zip(EVENT_FEATURES, weights.round(6).tolist(), strict=True)),
        "threshold": best[1],
    }
