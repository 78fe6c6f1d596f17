"""Fit the same-story score on the fit part of SemEval-layout dev pairs.

    python -m digest.fitting.calibrate PAIRS.csv [--stories DIR --gold GOLD.csv]
        [--out digest/dedup/calibration.py]

Only pairs whose id falls in the "fit" split (`digest.fitting.semeval.split_of`) are
used, so `digest bench dedup --split holdout` measures the shipped model on
pairs it never saw. The model is an L2-regularised logistic regression on
standardised features (`digest.similarity.FEATURES`) with soft targets: a
pair rated `Overall` r (1 same .. 4 unrelated) counts as (4 - r) / 3 of a
positive and the rest of a negative, so the score follows the whole human
scale, not only its two ends.

The decision threshold is the one with the best F0.5 on the fit pairs rated
same (<= 1.5) against those rated 2.5 or more. Two choices for a digest:
- related but different events (rated 2.5 to 3.4: two award ceremonies, two
  speeches in one campaign) count as "different", not only unrelated pairs;
- precision weighs more than recall: two events glued together lose one of
  them from the issue (it appears under the other's headline and summary),
  while a missed merge shows the same event twice but loses nothing.
The F1-best threshold on the unrelated-vs-same pairs alone is lower (about
0.55): it scores better on that benchmark and glues more related stories.

With `--stories DIR --gold GOLD.csv` (a day's batch with gold stories), the
event offsets are then fitted on that batch and the threshold is chosen
there, on the stories themselves (see `digest.fitting.calibrate_events`);
without, the event offsets are zero and the threshold is the one above.

The publication-date offset is not fitted (the dev pairs carry no dates); it
is written as set here and explained in `digest.similarity`. There is no
outlet offset: a shared outlet is no evidence against one story. The
protagonists offset is carried over from the shipped module; it is fitted on
the grouping of whole batches by `python -m digest.fitting.calibrate_who`,
to be run again after this.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from digest.dedup.calibration import CALIBRATION
from digest.dedup.deduplicator import pair_feature_rows
from digest.dedup.similarity import FEATURES
from digest.encoders.embed import Encoder, load_encoder
from digest.fitting.calibrate_events import calibrate_events, semeval_rows
from digest.fitting.semeval import SAME_AT_MOST, LabelledPair, read_pairs, split_of
from digest.state import StateDB

log = logging.getLogger(__name__)

L2 = 1.0
RELATED_AT_LEAST = 2.5  # pairs rated this or more are not the same event
BETA = 0.5  # F-beta of the threshold: precision counts more than recall (see above)
# Grouping a day's articles: average linkage cut at LINK_THRESHOLD, then
# groups whose facts allow it join down to an average of JOIN_FLOOR
# (`cluster.merge_compatible`). Not fitted per run: chosen with the
# protagonists offset (`calibrate_who --link --floor`, link 0.60..0.65,
# floor 0.30..0.45) for the best B-cubed F1 at a pairwise precision of at
# least 0.96 on the ecbplus dev batch, then checked on its two day batches
# and the BBC articles (README, Deduplication). Without that offset, 0.60
# and 0.35 merge two events of day 1; with it, link 0.55 glues two
# different BBC politics stories.
LINK_THRESHOLD = 0.60
JOIN_FLOOR = 0.35
OFFSETS = {
    "days_apart_free": 2.0,  # days apart that cost nothing (time zones, late reports)
    "per_day_beyond": -1.0,  # logit per further day apart
}
OUT = Path(__file__).resolve().parent.parent / "dedup" / "calibration.py"


def fit_logistic(
    x: np.ndarray, target: np.ndarray, l2: float = L2, steps: int = 50
) -> tuple[np.ndarray, float]:
    """Newton's method on the cross-entropy with soft targets in 0..1."""
    design = np.hstack([x, np.ones((len(x), 1))])
    theta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ theta))
        gradient = design.T @ (p - target) + penalty * theta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return theta[:-1], float(theta[-1])


def best_threshold(scores: np.ndarray, labels: np.ndarray, beta: float = BETA) -> float:
    """Threshold with the best F-beta on labelled (0/1) pairs; ties go to the higher one."""
    best = (-1.0, 0.5)
    for t in np.round(np.arange(0.05, 0.951, 0.01), 2):
        same = scores >= t
        tp = np.sum(same & (labels == 1))
        precision = tp / max(same.sum(), 1)
        recall = tp / max((labels == 1).sum(), 1)
        f = (1 + beta**2) * precision * recall / max(beta**2 * precision + recall, 1e-12)
        best = max(best, (round(float(f), 6), float(t)))
    return best[1]


def calibrate(
    pairs: list[LabelledPair], state: StateDB | None, stories: tuple[Path, Path] | None = None
) -> dict[str, Any]:
    encoder = load_encoder(state)
    fit, rows = fit_rows(pairs, encoder)
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale == 0] = 1.0
    target = np.array([(4.0 - p.overall) / 3.0 for p in fit]).clip(0, 1)
    weights, bias = fit_logistic((rows - mean) / scale, target)
    scores = 1.0 / (1.0 + np.exp(-(((rows - mean) / scale) @ weights + bias)))
    # The threshold separates "same event" from everything rated at least
    # RELATED_AT_LEAST: topically related but different events must not merge.
    labelled = np.array([p.overall <= SAME_AT_MOST or p.overall >= RELATED_AT_LEAST for p in fit])
    labels = np.array([int(p.overall <= SAME_AT_MOST) for p in fit])
    calibration = {
        "fitted_on": f"{len(fit)} fit-split pairs",
        "mean": dict(zip(FEATURES, mean.round(6).tolist(), strict=True)),
        "scale": dict(zip(FEATURES, scale.round(6).tolist(), strict=True)),
        "weights": dict(zip(FEATURES, weights.round(6).tolist(), strict=True)),
        "bias": round(bias, 6),
        "threshold": best_threshold(scores[labelled], labels[labelled]),
        "link_threshold": LINK_THRESHOLD,
        "join_floor": JOIN_FLOOR,
        "offsets": OFFSETS,
        # kept from the shipped module: refit it on the new score with `calibrate_who`
        "who": CALIBRATION.get("who", {}),
    }
    if stories is None:
        return calibration
    return with_events(encoder, calibration, fit, rows, stories)


def refit_events(
    pairs: list[LabelledPair], state: StateDB | None, stories: tuple[Path, Path]
) -> dict[str, Any]:
    """The shipped calibration with only its event offsets refitted (a new kind of fact, new data):
    the text model, the thresholds and the who offset stay as they are."""
    encoder = load_encoder(state)
    shipped = {key: value for key, value in CALIBRATION.items() if key != "events"}
    refitted = with_events(encoder, shipped, *fit_rows(pairs, encoder), stories)
    return {**refitted, "threshold": CALIBRATION["threshold"]}


def fit_rows(pairs: list[LabelledPair], encoder: Encoder) -> tuple[list[LabelledPair], np.ndarray]:
    """The SemEval fit-split pairs and their feature rows."""
    fit = [p for p in pairs if split_of(p.pair_id) == "fit"]
    log.info("fitting on %d of %d pairs", len(fit), len(pairs))
    return fit, pair_feature_rows(encoder, [(p.first, p.second) for p in fit])


def with_events(
    encoder: Encoder,
    calibration: dict[str, Any],
    fit: list[LabelledPair],
    rows: np.ndarray,
    stories: tuple[Path, Path],
) -> dict[str, Any]:
    """`calibration` with event offsets fitted on the batch `stories`, the SemEval fit pairs beside."""
    extra = semeval_rows(fit, calibration, rows)
    return calibrate_events(encoder, calibration, stories[0], stories[1], extra)


def write_module(calibration: dict[str, Any], out: Path) -> None:
    body = json.dumps(calibration, indent=4)
    out.write_text(
        '"""Coefficients of the same-story score, written by `python -m digest.fitting.calibrate`.\n\n'
        "Fitted on the fit split of the SemEval-2022 Task 8 dev pairs; the event offsets and the\n"
        'threshold, when given, on a day\'s batch with gold stories; the protagonists offset ("who")\n'
        "by `python -m digest.fitting.calibrate_who`; see digest.similarity.\n"
        '"""\n\n'
        f"CALIBRATION = {body}\n",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m digest.fitting.calibrate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("pairs", type=Path, help="CSV in the SemEval-2022 Task 8 layout")
    parser.add_argument("--out", type=Path, default=OUT, help=f"module to write (default: {OUT})")
    parser.add_argument("--stories", type=Path, metavar="DIR", help="a day's articles with gold stories")
    parser.add_argument("--gold", type=Path, metavar="GOLD.csv", help="the gold stories of --stories")
    parser.add_argument("--state", type=Path, help="state folder for the embedding cache (default: none)")
    parser.add_argument(
        "--events-only",
        action="store_true",
        help="keep the shipped text model, thresholds and who offset; refit only the event offsets "
        "on --stories (with the SemEval fit pairs)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    state = StateDB(args.state) if args.state else None
    if (args.stories is None) != (args.gold is None):
        parser.error("--stories and --gold go together")
    stories = (args.stories, args.gold) if args.stories is not None else None
    if args.events_only:
        if stories is None:
            parser.error("--events-only needs --stories and --gold")
        calibration = refit_events(read_pairs(args.pairs), state, stories)
    else:
        calibration = calibrate(read_pairs(args.pairs), state, stories)
    write_module(calibration, args.out)
    print(f"wrote {args.out} (threshold {calibration['threshold']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
