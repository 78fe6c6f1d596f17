"""Score article-body extraction on saved news pages with human ground truth
(the scrapinghub article-extraction-benchmark layout): DIR holds
`html/<id>.html.gz` and `ground-truth.json` (`{"<id>": {"articleBody": ...}}`).

Each page is read exactly as `digest build` reads an .html file, then cleaned;
its text (without the headline) is scored with the benchmark's own metric:
precision, recall and F1 over 4-token shingles of `\\w+` tokens, each page's
counts normalised to sum to one, precision and recall averaged over pages
and F1 taken from the two means (as the benchmark's evaluate.py does).
Plain `trafilatura.extract(html, include_comments=False)` is scored in the
same run, beside it. Also lists the pages where digest lost the most text
and kept the most furniture.

A page that is not gzip or not HTML, or an id missing from the ground
truth, gets a warning naming it and is left out of the means (and counted).

Example: digest bench extraction --pages ../shared/data/extraction-dev --save out.json
Prints JSON."""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import statistics
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

from digest.clean.cleaner import clean_article
from digest.config import Config
from digest.errors import DigestError
from digest.ingest.files import read_data

log = logging.getLogger(__name__)

TOKEN = re.compile(r"\w+")
SHINGLE = 4
WORST = 8  # pages listed under each kind of error

Counts = tuple[float, float, float]  # true positives, false positives, false negatives


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pages",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder with html/<id>.html.gz and ground-truth.json",
    )
    parser.add_argument(
        "--save", type=Path, metavar="OUT.json", help='write digest\'s text as {"<id>": {"articleBody": ...}}'
    )


# --- the benchmark's metric ------------------------------------------------------------


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)))


def shingle_counts(true: str, pred: str) -> Counts:
    """Shingle true/false positives and false negatives, normalised to sum to one
    so that a long page weighs no more than a short one."""
    want, got = shingles(true), shingles(pred)
    want.pop((), None)
    got.pop((), None)
    tp = float(sum((want & got).values()))
    fp = float(sum((got - want).values()))
    fn = float(sum((want - got).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def scores(counts: list[Counts]) -> dict[str, float]:
    kept = [precision(*c) for c in counts if c[0] + c[1] > 0]
    found = [recall(*c) for c in counts if c[0] + c[2] > 0]
    p = statistics.mean(kept) if kept else 0.0
    r = statistics.mean(found) if found else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"f1": round(f1, 4), "precision": round(p, 4), "recall": round(r, 4)}


# --- reading the pages -------------------------------------------------------------------


def load_truth(folder: Path) -> dict[str, str]:
    path = folder / "ground-truth.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DigestError(f"{path}: cannot read the ground truth ({exc})") from exc
    if not isinstance(data, dict):
        raise DigestError(f'{path}: expected an object {{"<id>": {{"articleBody": ...}}}}')
    return {
        key: str(value.get("articleBody") or "") if isinstance(value, dict) else ""
        for key, value in data.items()
    }


def read_page(path: Path) -> bytes | None:
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as exc:
        log.warning("%s: left out, not a readable gzip file (%s)", path, exc)
        return None
    if b"<" not in data[:4096] or b"\x00" in data[:4096]:
        log.warning("%s: left out, not an HTML page", path)
        return None
    return data


def digest_text(data: bytes, page_id: str) -> str:
    """The page as `digest build` reads an .html file, then cleaned."""
    raws = read_data(data, Path(f"{page_id}.html"))
    article = clean_article(raws[0]) if raws else None
    return article.text if article else ""


def trafilatura_text(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(data, include_comments=False) or ""


# --- report ---------------------------------------------------------------------------


def worst(counts: dict[str, Counts], which: int) -> list[dict[str, Any]]:
    """The pages with the largest share of lost text (which=2) or kept furniture (which=1)."""
    ranked = sorted(counts.items(), key=lambda item: item[1][which], reverse=True)[:WORST]
    return [
        {"id": key, "precision": round(precision(*c), 3), "recall": round(recall(*c), 3)}
        for key, c in ranked
        if c[which] > 0
    ]


def main(args: argparse.Namespace, config: Config) -> int:
    truth = load_truth(args.pages)
    files = sorted((args.pages / "html").glob("*.html.gz"))
    if not files:
        raise DigestError(f"{args.pages / 'html'}: no <id>.html.gz pages")
    ours: dict[str, Counts] = {}
    theirs: dict[str, Counts] = {}
    saved: dict[str, dict[str, str]] = {}
    left_out = 0
    seconds = {"digest": 0.0, "trafilatura": 0.0}
    for path in files:
        page_id = path.name.removesuffix(".html.gz")
        if page_id not in truth:
            log.warning("%s: left out, id %s is not in the ground truth", path, page_id)
            left_out += 1
            continue
        data = read_page(path)
        if data is None:
            left_out += 1
            continue
        start = time.perf_counter()
        text = digest_text(data, page_id)
        seconds["digest"] += time.perf_counter() - start
        start = time.perf_counter()
        plain = trafilatura_text(data)
        seconds["trafilatura"] += time.perf_counter() - start
        ours[page_id] = shingle_counts(truth[page_id], text)
        theirs[page_id] = shingle_counts(truth[page_id], plain)
        saved[page_id] = {"articleBody": text}
    report = {
        "pages": len(ours),
        "left_out": left_out,
        "digest": scores(list(ours.values())),
        "trafilatura": scores(list(theirs.values())),
        "seconds": {name: round(value, 2) for name, value in seconds.items()},
        "digest_lost_most_text": worst(ours, 2),
        "digest_kept_most_furniture": worst(ours, 1),
    }
    if args.save:
        try:
            args.save.write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError as exc:
            raise DigestError(f"{args.save}: cannot write ({exc.strerror or exc})") from exc
    print(json.dumps(report, indent=2))
    return 0
