"""Score labelled article pairs and compare with the human ratings.

Reads a CSV in the SemEval-2022 Task 8 layout (pair_id, lang1, lang2, text1,
text2, ..., Overall; 1 = same event .. 4 = unrelated) and prints JSON:
Pearson r between the score and Overall, ROC AUC of same (Overall <= 1.5)
against different (Overall >= 3.5), precision, recall and F1 of the shipped
decision threshold on those two groups, the same three for cross-language
pairs alone, and pairs per second (embedding included, no cache).
The shipped calibration was fitted on the "fit" split of the dev pairs:
use `--split holdout` for figures on pairs it never saw."""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from digest.config import Config
from digest.dedup.deduplicator import load_deduplicator
from digest.fitting.semeval import LabelledPair, read_pairs, split_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pairs",
        type=Path,
        required=True,
        metavar="FILE.csv",
        help="labelled pairs in the SemEval-2022 Task 8 layout",
    )
    parser.add_argument(
        "--save",
        type=Path,
        metavar="SCORES.csv",
        help="also write pair_id,score,same (same = the shipped decision, 0/1) for every row",
    )
    parser.add_argument(
        "--split",
        choices=("all", "fit", "holdout"),
        default="all",
        help="score every row (default), or only the pairs of one calibration split",
    )


def main(args: argparse.Namespace, config: Config) -> int:
    pairs = read_pairs(args.pairs)
    if args.split != "all":
        pairs = [p for p in pairs if split_of(p.pair_id) == args.split]
    dedup = load_deduplicator(config.dedup, None)
    dedup.score(pairs[0].first, pairs[0].second)  # load the model outside the timing
    start = time.perf_counter()
    scores = dedup.score_pairs([(p.first, p.second) for p in pairs])
    seconds = time.perf_counter() - start
    if args.save:
        save_scores(args.save, pairs, scores, dedup.threshold)
    report = {"pairs": len(pairs), "split": args.split, "threshold": dedup.threshold}
    report.update(metrics(pairs, scores, dedup.threshold))
    report["pairs_per_second"] = round(len(pairs) / seconds, 2)
    print(json.dumps(report, indent=2))
    return 0


def metrics(pairs: list[LabelledPair], scores: np.ndarray, threshold: float) -> dict[str, Any]:
    overall = np.array([p.overall for p in pairs])
    labels = np.array([-1 if p.label is None else p.label for p in pairs])
    cross = np.array([p.cross_language for p in pairs])
    ends = labels >= 0
    result: dict[str, Any] = {
        "pearson_r": round(float(np.corrcoef(scores, overall)[0, 1]), 4) if len(pairs) > 1 else None,
        "roc_auc": roc_auc(scores[ends], labels[ends]),
    }
    result.update(decision_figures(scores[ends], labels[ends], threshold))
    result["cross_language"] = {"pairs": int((ends & cross).sum())}
    result["cross_language"].update(decision_figures(scores[ends & cross], labels[ends & cross], threshold))
    return result


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float | None:
    """Probability that a same pair outscores a different one (ties count half)."""
    same, different = scores[labels == 1], scores[labels == 0]
    if not len(same) or not len(different):
        return None
    order = np.argsort(np.concatenate([same, different]), kind="mergesort")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    values = np.concatenate([same, different])
    for value in np.unique(values):  # average ranks of ties
        tied = values == value
        ranks[tied] = ranks[tied].mean()
    wins = ranks[: len(same)].sum() - len(same) * (len(same) + 1) / 2
    return round(float(wins / (len(same) * len(different))), 4)


def decision_figures(scores: np.ndarray, labels: np.ndarray, threshold: float) -> dict[str, Any]:
    same = scores >= threshold
    tp = int(np.sum(same & (labels == 1)))
    precision = tp / same.sum() if same.sum() else 0.0
    recall = tp / (labels == 1).sum() if (labels == 1).sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "f1": round(float(f1), 4),
    }


def save_scores(path: Path, pairs: list[LabelledPair], scores: np.ndarray, threshold: float) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["pair_id", "score", "same"])
        for pair, score in zip(pairs, scores, strict=True):
            writer.writerow([pair.pair_id, f"{score:.6f}", int(score >= threshold)])
