"""Compare the stories `digest build` would make with human gold stories.

Reads every article under the paths given and cleans it as `digest build`
does, groups the articles with the shipped deduplicator (from cold, no
embedding cache unless --cache; the summaries are not needed: the
deduplicator reads headline and text) and ranks the stories as the issue
does. GOLD.csv has the columns `file,story_id,language`; a row's `file` is
matched with the name of an article's file. Prints JSON:

- `bcubed` and `pairwise`: precision, recall and F1 of the predicted stories
  against the gold ones (B-cubed averages over articles, pairwise counts the
  pairs put together);
- `stories`: predicted and gold story counts; `skipped`: articles cleaning
  left out, or that could not be read (each counts as a story of its own), `not_in_gold`: articles read
  that GOLD.csv does not name (left out of every figure);
- `wrong_merges`: the five predicted stories that glue the most pairs of
  different gold stories, with each gold story's part and a headline;
  `wrong_splits`: the five gold stories cut into parts that lose the most
  pairs, with the parts;
- `top_ten`: how many of the ten gold stories ranked first (ranked as the
  issue ranks, by distinct outlets) lead one of the ten predicted stories
  ranked first; a predicted story is led by the gold story most of its
  articles belong to.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digest.config import Config
from digest.dedup.deduplicator import load_deduplicator, make_story
from digest.edition.rank import rank_stories
from digest.errors import DigestError, NoArticlesError
from digest.ingest.files import read_paths
from digest.models import Article, Story
from digest.pipeline import clean_or_skip
from digest.state import StateDB

log = logging.getLogger(__name__)

GOLD_COLUMNS = ("file", "story_id", "language")
WORST = 5
TOP = 10


@dataclass(frozen=True)
class GoldRow:
    story: str
    language: str
    row: int


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="DIR", help="article files or folders")
    parser.add_argument("--gold", type=Path, required=True, metavar="GOLD.csv", help="file,story_id,language")
    parser.add_argument("--save", type=Path, metavar="OUT.json", help="also write the report to this file")
    parser.add_argument("--language", default=None, help="the issue's language (default: [digest] language)")
    parser.add_argument("--cache", action="store_true", help="use the embedding cache in the state folder")


def read_gold(path: Path) -> dict[str, GoldRow]:
    """file name -> its gold story; one clear line for a bad file, naming the row."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            unknown = [c for c in columns if c not in GOLD_COLUMNS]
            missing = [c for c in GOLD_COLUMNS[:2] if c not in columns]
            if unknown or missing:
                problem = f"unknown column(s) {', '.join(unknown)}" if unknown else ""
                problem += ("; " if problem else "") + (f"missing {', '.join(missing)}" if missing else "")
                raise DigestError(f"{path}: {problem} (expected columns {','.join(GOLD_COLUMNS)})")
            gold: dict[str, GoldRow] = {}
            for number, row in enumerate(reader, start=2):
                name, story = (row.get("file") or "").strip(), (row.get("story_id") or "").strip()
                if not name or not story:
                    raise DigestError(f"{path}:{number}: empty file or story_id")
                if name in gold:
                    raise DigestError(
                        f"{path}:{number}: {name} is listed twice (first on row {gold[name].row})"
                    )
                gold[name] = GoldRow(story, (row.get("language") or "").strip(), number)
    except OSError as exc:
        raise DigestError(f"{path}: cannot read gold file: {exc.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DigestError(f"{path}: not a readable CSV file ({exc})") from None
    if not gold:
        raise DigestError(f"{path}: no gold row")
    return gold


def main(args: argparse.Namespace, config: Config) -> int:
    gold = read_gold(args.gold)
    raws = read_paths(args.paths)
    names = [Path(r.path or r.origin).name for r in raws]
    present = set(names) | files_under(args.paths)
    twice = sorted(n for n, c in Counter(names).items() if c > 1 and n in gold)
    if twice:
        raise DigestError(f"{args.gold}: {twice[0]} names two article files under the paths given")
    for name, row in gold.items():
        if name not in present:
            raise DigestError(f"{args.gold}:{row.row}: no article file named {name} under the paths given")
    kept = [
        (name, a) for name, raw in zip(names, raws, strict=True) if name in gold and (a := clean_or_skip(raw))
    ]
    if not kept:
        raise NoArticlesError(f"no usable article under {', '.join(map(str, args.paths))}")
    state = StateDB(config.state_dir) if args.cache else None
    dedup = load_deduplicator(config.dedup, state)
    dedup.encoder.encode(["warm up"])  # load the model outside the timing
    language = args.language or config.digest.language
    start = time.perf_counter()
    stories = dedup.group([a for _, a in kept], language)
    seconds = time.perf_counter() - start
    if state is not None:
        state.close()
    by_article = {id(a): name for name, a in kept}
    predicted = [[by_article[id(m)] for m in s.members] for s in stories]
    skipped = sorted(set(gold) - {n for n, _ in kept})
    predicted += [[name] for name in skipped]  # cleaning left them out: each is a story of its own
    report = evaluate(predicted, {n: r.story for n, r in gold.items()}, dict(kept))
    report["top_ten"] = top_ten(stories, by_article, gold, dict(kept), language)
    report["skipped"] = len(skipped)
    report["not_in_gold"] = sum(1 for n in names if n not in gold)
    report["seconds"] = round(seconds, 3)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.save:
        args.save.write_text(text + "\n", encoding="utf-8")
    return 0


def files_under(paths: Sequence[Path]) -> set[str]:
    """Every file name under the paths: a gold file there that could not be read is skipped, not missing."""
    found: set[str] = set()
    for path in paths:
        if path.is_dir():
            found.update(p.name for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            found.add(path.name)
    return found


def evaluate(
    predicted: Sequence[Sequence[str]], gold: dict[str, str], articles: dict[str, Article]
) -> dict[str, Any]:
    """Story-level figures of `predicted` (lists of file names) against file -> gold story."""
    cluster = {name: k for k, members in enumerate(predicted) for name in members}
    gold_size = Counter(gold.values())
    pred_size = Counter(cluster.values())
    both = Counter((cluster[n], gold[n]) for n in gold)
    precision = sum(both[cluster[n], gold[n]] / pred_size[cluster[n]] for n in gold) / len(gold)
    recall = sum(both[cluster[n], gold[n]] / gold_size[gold[n]] for n in gold) / len(gold)
    together = sum(c * (c - 1) // 2 for c in both.values())
    pred_pairs = sum(c * (c - 1) // 2 for c in pred_size.values())
    gold_pairs = sum(c * (c - 1) // 2 for c in gold_size.values())
    return {
        "bcubed": _prf(precision, recall),
        "pairwise": _prf(
            together / pred_pairs if pred_pairs else 1.0, together / gold_pairs if gold_pairs else 1.0
        ),
        "stories": {"predicted": len(predicted), "gold": len(gold_size)},
        "wrong_merges": wrong_merges(predicted, gold, articles),
        "wrong_splits": wrong_splits(predicted, gold, articles),
    }


def _prf(precision: float, recall: float) -> dict[str, float]:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _part(story: str, names: list[str], articles: dict[str, Article]) -> dict[str, Any]:
    headline = next((articles[n].title for n in names if n in articles), "")
    return {"gold": story, "articles": len(names), "headline": headline, "files": sorted(names)[:5]}


def wrong_merges(
    predicted: Sequence[Sequence[str]], gold: dict[str, str], articles: dict[str, Article]
) -> list[dict[str, Any]]:
    found = []
    for members in predicted:
        parts: dict[str, list[str]] = {}
        for name in members:
            parts.setdefault(gold[name], []).append(name)
        if len(parts) > 1:
            sizes = [len(p) for p in parts.values()]
            wrong = (sum(sizes) ** 2 - sum(s * s for s in sizes)) // 2
            found.append((wrong, [_part(g, p, articles) for g, p in parts.items()]))
    found.sort(key=lambda item: -item[0])
    return [{"wrong_pairs": wrong, "parts": parts} for wrong, parts in found[:WORST]]


def wrong_splits(
    predicted: Sequence[Sequence[str]], gold: dict[str, str], articles: dict[str, Article]
) -> list[dict[str, Any]]:
    parts: dict[str, dict[int, list[str]]] = {}
    for k, members in enumerate(predicted):
        for name in members:
            parts.setdefault(gold[name], {}).setdefault(k, []).append(name)
    found = []
    for story, pieces in parts.items():
        if len(pieces) > 1:
            sizes = [len(p) for p in pieces.values()]
            lost = (sum(sizes) ** 2 - sum(s * s for s in sizes)) // 2
            found.append((lost, story, [_part(story, p, articles) for p in pieces.values()]))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [{"gold": story, "lost_pairs": lost, "parts": pieces} for lost, story, pieces in found[:WORST]]


def top_ten(
    stories: list[Story],
    by_article: dict[int, str],
    gold: dict[str, GoldRow],
    articles: dict[str, Article],
    language: str,
) -> dict[str, Any]:
    """How many of the gold top ten lead a story of the predicted top ten (both ranked as the issue ranks)."""
    groups: dict[str, list[Article]] = {}
    for name, article in articles.items():
        groups.setdefault(gold[name].story, []).append(article)
    gold_stories = {story_id: make_story(members, language) for story_id, members in groups.items()}
    story_of = {id(s): story_id for story_id, s in gold_stories.items()}
    gold_top = {story_of[id(s)] for s in rank_stories(list(gold_stories.values()), TOP)}
    leaders = []
    for story in rank_stories(stories, TOP):
        votes = Counter(gold[by_article[id(m)]].story for m in story.members)
        leaders.append(votes.most_common(1)[0][0])
    held = sorted(gold_top & set(leaders))
    return {"held": len(held), "of": len(gold_top), "missing": sorted(gold_top - set(leaders))}
