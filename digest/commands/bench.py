"""Run a benchmark and print its figures as JSON (medians on this machine).

Data is read from the paths you give; see README, "Benchmarks"."""

from __future__ import annotations

import argparse
import importlib

from digest.cli import common_options
from digest.config import Config

# name -> one-line help; each lives in digest/benchmarks/<name>.py
BENCHMARKS: dict[str, str] = {
    "build": "time `digest build` from cold in fresh processes (wall, peak RSS, stages)",
    "send": "send an issue to N recipients through a local aiosmtpd server: seconds, messages/s",
    "fetch": "read 50 local feeds x 40 entries (+ teaser pages): seconds cold and warm (conditional GET)",
    "dedup": "score labelled article pairs (SemEval layout) against human ratings",
    "cluster": "group the articles of folders into stories and list them",
    "stories": "story-level figures (B-cubed, pairwise, top ten) of the stories against gold stories",
    "summaries": "ROUGE against reference summaries, Lead-3 side by side, speed and memory",
    "memory": "build consecutive days in one state folder; judge memory's decisions against gold stories",
    "clean": "ms per article to read and clean files; with --pairs, how often the language is right",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    names = parser.add_subparsers(dest="benchmark", metavar="BENCHMARK", required=True)
    for name, help_text in BENCHMARKS.items():
        module = importlib.import_module(f"digest.benchmarks.{name}")
        sub = names.add_parser(
            name,
            help=help_text,
            description=(module.__doc__ or help_text).strip(),
            parents=[common_options(nested=True)],
        )
        module.add_arguments(sub)
        sub.set_defaults(bench_module=module)


def main(args: argparse.Namespace, config: Config) -> int:
    return args.bench_module.main(args, config)
