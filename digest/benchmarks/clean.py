"""Time reading and cleaning articles on this machine: milliseconds per
article for ingest (read + decode + extract) and clean (repair, furniture,
headline, language), as medians over several passes. The first pass also
counts model and library loading; it is reported on its own.

Example: digest bench clean seeds ../shared/data/bbc-dev/article --passes 5
Prints JSON."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from digest.clean import clean_article
from digest.config import Config
from digest.ingest import read_paths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="article files or folders to read and clean")
    parser.add_argument("--passes", type=int, default=5,
                        help="timed passes over all articles after the first (default 5)")


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


def main(args: argparse.Namespace, config: Config) -> int:
    first_ingest, first_clean, read, usable = one_pass(args.paths)
    passes = [one_pass(args.paths) for _ in range(max(args.passes, 1))]
    per_article = [t for _, times, _, _ in passes for t in times]
    ms = sorted(t * 1000 for t in per_article)
    report = {
        "articles": read,
        "usable": usable,
        "passes": len(passes),
        "first_pass_seconds": {"ingest": round(first_ingest, 3), "clean": round(sum(first_clean), 3)},
        "ingest_ms_per_article_median": round(
            statistics.median(p[0] / max(p[2], 1) for p in passes) * 1000, 2),
        "clean_ms_per_article_median": round(statistics.median(ms), 2) if ms else None,
        "clean_ms_per_article_p95": round(ms[int(len(ms) * 0.95)], 2) if ms else None,
        "clean_ms_per_article_max": round(ms[-1], 2) if ms else None,
    }
    print(json.dumps(report, indent=2))
    return 0
