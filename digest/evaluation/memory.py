"""Memory across days, judged against gold stories.

`--day DIR GOLD.csv` (at least two, in order): each day is built from the
articles under DIR on consecutive dates, in one fresh state folder, exactly
as `digest build` does (`build_issue`, with your config but a fresh
state and out folder).
GOLD.csv has the columns `file, story_id` (`file` relative to DIR): the gold
story of each article. For every day after the first, each story the
deduplicator made is judged by its gold story (the one most of its
articles have): it is a *continuation* when that gold story had an article
in an earlier day's issue, else it is *new*. Memory's decision is "new",
"update" (shown as "Developing") or "left out":
- update precision: updates that are continuations / updates;
- continuation recall: continuations left out or updated / continuations;
- lost: new stories left out (the worst error: the reader never sees them).
Prints JSON: the figures over all later days and per day, the worst cases
with headlines (lost first, then false updates, then missed continuations),
and the memory stage's seconds, cold and again with the embeddings cached
(median of 3). The first day's date is the newest publication date of its
articles unless --start is given."""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from digest.commands import parse_date, positive_int
from digest.config import Config
from digest.console import Timings
from digest.dedup.deduplicator import load_deduplicator
from digest.edition.memory import Decision, Memory
from digest.errors import DigestError, NothingNewError
from digest.evaluation.stories import read_gold as read_story_gold
from digest.ingest.files import read_paths
from digest.models import Article
from digest.state import StateDB

EVERY_STORY = 10_000  # the default --top: every story is shown, so only memory decides
WORST = 15  # cases listed
TIMING_RUNS = 3


@dataclass(frozen=True)
class Day:
    folder: Path
    gold: dict[str, str]  # file (relative to folder) -> gold story id

    def label(self, article: Article) -> str | None:
        if article.path is None:
            return None
        path = Path(article.path)
        try:
            return self.gold.get(path.relative_to(self.folder).as_posix())
        except ValueError:
            return None


@dataclass(frozen=True)
class Case:
    day: str
    verdict: str  # "new", "update", "left out"
    continuation: bool  # the gold story was in an earlier issue
    gold: str
    headline: str
    continues: tuple[str, ...]  # "date: headline" of the remembered stories it was matched with

    @property
    def error(self) -> str | None:
        if self.verdict == "left out" and not self.continuation:
            return "lost"
        if self.verdict == "update" and not self.continuation:
            return "false update"
        if self.verdict == "new" and self.continuation:
            return "missed continuation"
        return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--day",
        nargs=2,
        action="append",
        required=True,
        metavar=("DIR", "GOLD.csv"),
        help="a day's articles and their gold stories (give two or more, in order)",
    )
    parser.add_argument(
        "--top",
        type=positive_int,
        default=EVERY_STORY,
        metavar="N",
        help="stories per issue (default: every story, so only memory leaves one out)",
    )
    parser.add_argument(
        "--start", type=parse_date, metavar="YYYY-MM-DD", help="the first day's date (see above)"
    )


def main(args: argparse.Namespace, config: Config) -> int:
    if len(args.day) < 2:
        raise DigestError("bench memory: give at least two --day DIR GOLD.csv, in order")
    days = [Day(Path(folder), read_gold(Path(gold), Path(folder))) for folder, gold in args.day]
    start = args.start or first_date(days[0].folder)
    with tempfile.TemporaryDirectory(prefix="digest-bench-memory-") as tmp:
        settings = dataclasses.replace(config.digest, state=f"{tmp}/state", out=f"{tmp}/out")
        fresh = dataclasses.replace(config, digest=settings)
        report = run_days(fresh, days, start, args.top)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def run_days(config: Config, days: list[Day], start: date, top: int) -> dict[str, Any]:
    from digest.pipeline import build_issue  # the models' libraries load only for a run

    sent: set[str] = set()  # gold stories with an article in an earlier issue
    cases: list[Case] = []
    per_day: list[dict[str, Any]] = []
    for n, day in enumerate(days):
        when = start + timedelta(days=n)
        timings = Timings(quiet=True)
        shown: list[Article] = []
        try:
            result = build_issue(config, when, paths=[day.folder], top=top, timings=timings)
            decisions = result.memory
            shown = [a for s in decisions if s.kept for a in s.kept.members if in_issue(a, result.issue)]
        except NothingNewError as exc:
            decisions = tuple(d for d in exc.decisions if isinstance(d, Decision))
        if n:
            judged = [c for d in decisions if (c := judge(d, day, sent, when))]
            cases.extend(judged)
            figures = score(judged)
            figures["date"] = when.isoformat()
            figures["memory_seconds_cold"] = round(timings.stages.get("memory", 0.0), 3)
            figures["memory_seconds_cached"] = time_memory(config, decisions, when)
            per_day.append(figures)
        sent |= {g for a in shown if (g := day.label(a))}
    report = score(cases)
    report["days"] = per_day
    report["worst"] = [dataclasses.asdict(c) | {"error": c.error} for c in worst(cases)]
    return report


def in_issue(article: Article, issue: Any) -> bool:
    """Whether `article` is a source of a story of `issue` (not cut by --top)."""
    return any(src.path == article.path for story in issue.stories for src in story.sources)


def judge(decision: Decision, day: Day, sent: set[str], when: date) -> Case | None:
    """The case of one story, or None when none of its articles has a gold story."""
    labels = [g for m in decision.story.members if (g := day.label(m))]
    if not labels:
        return None
    gold = Counter(labels).most_common(1)[0][0]  # ties: the first member's
    return Case(
        day=when.isoformat(),
        verdict=decision.verdict,
        continuation=gold in sent,
        gold=gold,
        headline=(decision.kept or decision.story).headline,
        continues=tuple(
            f"{f.story.day.isoformat()}: {f.story.headline} ({f.link.why})" for f in decision.continues
        ),
    )


def score(cases: list[Case]) -> dict[str, Any]:
    updates = [c for c in cases if c.verdict == "update"]
    continuations = [c for c in cases if c.continuation]
    errors = Counter(c.error for c in cases if c.error)
    return {
        "stories": len(cases),
        "continuations": len(continuations),
        "new": len(cases) - len(continuations),
        "updates": len(updates),
        "left_out": sum(1 for c in cases if c.verdict == "left out"),
        "update_precision": ratio(sum(1 for c in updates if c.continuation), len(updates)),
        "continuation_recall": ratio(sum(1 for c in continuations if c.verdict != "new"), len(continuations)),
        "lost": errors["lost"],
        "false_updates": errors["false update"],
        "missed_continuations": errors["missed continuation"],
    }


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def worst(cases: list[Case]) -> list[Case]:
    order = {"lost": 0, "false update": 1, "missed continuation": 2}
    wrong = [c for c in cases if c.error]
    return sorted(wrong, key=lambda c: (order[c.error or ""], c.day))[:WORST]


def time_memory(config: Config, decisions: tuple[Decision, ...], when: date) -> float:
    """The memory stage again on the same stories, embeddings cached: median seconds."""
    stories = [d.story for d in decisions]
    runs = []
    with StateDB(config.state_dir) as state:
        dedup = load_deduplicator(config.dedup, state)
        for _ in range(TIMING_RUNS):
            begin = time.perf_counter()
            Memory(state, config.digest.memory_days, dedup).decide(stories, when, config.digest.language)
            runs.append(time.perf_counter() - begin)
    return round(statistics.median(runs), 3)


def first_date(folder: Path) -> date:
    dates = [a.published.date() for a in read_paths([folder]) if a.published]
    return max(dates) if dates else date.today()


def read_gold(path: Path, folder: Path) -> dict[str, str]:
    """file -> story id, read as `digest bench stories` reads GOLD.csv (columns, empty
    cells, duplicates: one line naming the file and row); every file must be under `folder`."""
    if not folder.is_dir():
        raise DigestError(f"{folder}: not a folder of articles")
    gold = read_story_gold(path)
    for name, row in gold.items():
        if not (folder / name).is_file():
            raise DigestError(f"{path}:{row.row}: {name} is not a file under {folder}")
    return {Path(name).as_posix(): row.story for name, row in gold.items()}
