"""Build an issue: read the articles, summarise them, merge the outlets that
tell the same story, rank the top stories, render the email and write
out/<YYYY-MM-DD>/ (email.html, email.txt, issue.json). Prints the folder.

With no PATH, the [[sources]] of the config are read."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from digest.commands import add_date_option, positive_int, require_paths
from digest.config import Config
from digest.console import Timings
from digest.lock import RunLock


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="article files or folders (.txt, .md, .html, .json)",
    )
    add_date_option(parser)
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default: [digest] out, 'out')"
    )
    parser.add_argument(
        "--top", type=positive_int, metavar="N", help="number of stories (default: [digest] top, 10)"
    )
    parser.add_argument(
        "--timings", action="store_true", help="print the wall time of each pipeline stage to stderr"
    )


def main(args: argparse.Namespace, config: Config) -> int:
    require_paths(args.paths)
    from digest.pipeline import build_issue  # the models' libraries load only for a build

    timings = Timings()
    with RunLock(config.state_dir, config.schedule.lock_timeout):  # not while a run or send builds
        result = build_issue(
            config,
            day=args.date or config.today(),
            paths=args.paths,
            out_dir=args.out,
            top=args.top,
            timings=timings,
        )
    if args.timings:
        print(timings.table(), file=sys.stderr)
    print(result.folder)
    return 0
