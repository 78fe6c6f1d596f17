"""Time reading and cleaning articles on this machine: milliseconds per
article for ingest (read + decode + extract) and clean (repair, furniture,
headline, language), as medians over several passes. The first pass also
counts model and library loading; it is reported on its own.

With --pairs FILE (a CSV in the SemEval 2022 task 8 layout: lang1, lang2,
text1, text2), each text is also cleaned and its detected language compared
with the labelled one: how many texts stay usable, and how often the
language agrees.

Example: digest bench clean seeds ../shared/data/bbc-dev/article --passes 5
         digest bench clean --pairs ../shared/data/semeval-dev.csv
Prints JSON."""

from __future__ import annotations

import argparse
import csv
import json
import logging
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from digest.clean.cleaner import clean_article
from digest.config import Config
from digest.errors import DigestError
from digest.ingest.files import read_paths
from digest.models import RawArticle


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="article files or folders to read and clean"
    )
    parser.add_argument(
        "--passes", type=int, default=5, help="timed passes over all articles after the first (default 5)"
    )
    parser.add_argument(
        "--pairs",
        type=Path,
        metavar="CSV",
        help="labelled article pairs (lang1, lang2, text1, text2) to check "
        "usable texts and language detection on",
    )


def one_pass(paths: list[Path]) -> tuple[float, list[float], int, int]:
    """(ingest seconds, clean seconds per article, articles read, articles usable)."""
    start = time.perf_counter()
    raws = read_paths(paths)
    ingest = time.perf_counter() - start
    clean_times = []
    usable = 0
    for raw in raws:
        start = time.perf_counter()
        usable += clean_article(raw) is not None
        clean_times.append(time.perf_counter() - start)
    return ingest, clean_times, len(raws), usable


def speed(paths: list[Path], passes: int) -> dict[str, Any]:
    first_ingest, first_clean, read, usable = one_pass(paths)
    runs = [one_pass(paths) for _ in range(max(passes, 1))]
    ms = sorted(t * 1000 for _, times, _, _ in runs for t in times)
    return {
        "articles": read,
        "usable": usable,
        "passes": len(runs),
        "first_pass_seconds": {"ingest": round(first_ingest, 3), "clean": round(sum(first_clean), 3)},
        "ingest_ms_per_article_median": round(statistics.median(r[0] / max(r[2], 1) for r in runs) * 1000, 2),
        "clean_ms_per_article_median": round(statistics.median(ms), 2) if ms else None,
        "clean_ms_per_article_p95": round(ms[int(len(ms) * 0.95)], 2) if ms else None,
        "clean_ms_per_article_max": round(ms[-1], 2) if ms else None,
    }


def labelled_texts(path: Path) -> dict[str, str]:
    """Each distinct text of the pairs file with its labelled language."""
    csv.field_size_limit(sys.maxsize)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DigestError(f"{path}: cannot read the pairs file ({exc})") from exc
    if rows and not {"lang1", "lang2", "text1", "text2"} <= rows[0].keys():
        raise DigestError(f"{path}: expected columns lang1, lang2, text1, text2")
    texts: dict[str, str] = {}
    for row in rows:
        texts.setdefault(row["text1"], row["lang1"])
        texts.setdefault(row["text2"], row["lang2"])
    return texts


def languages(path: Path) -> dict[str, Any]:
    texts = labelled_texts(path)
    agree, usable = 0, 0
    confusions: Counter[str] = Counter()
    logging.getLogger("digest.clean.cleaner").setLevel(
        logging.ERROR
    )  # one warning per dropped text is noise here
    for number, (text, label) in enumerate(texts.items()):
        article = clean_article(RawArticle(text=text, path=f"text {number}"))
        if article is None:
            continue
        usable += 1
        if article.language == label:
            agree += 1
        else:
            confusions[f"{label}->{article.language}"] += 1
    return {
        "texts": len(texts),
        "usable": usable,
        "language_agrees": agree,
        "language_accuracy": round(agree / max(usable, 1), 4),
        "confusions": dict(confusions.most_common(10)),
    }


def main(args: argparse.Namespace, config: Config) -> int:
    if not args.paths and not args.pairs:
        raise DigestError("give article files or folders, or --pairs CSV")
    report: dict[str, Any] = {}
    if args.paths:
        report["speed"] = speed(args.paths, args.passes)
    if args.pairs:
        report["pairs"] = languages(args.pairs)
    print(json.dumps(report, indent=2))
    return 0
