"""Run a benchmark and print its figures as JSON (medians on this machine).

Data is read from the paths you give; see README, "Benchmarks"."""

from __future__ import annotations

import argparse
import importlib

from digest.cli import common_options
from digest.config import Config

# name -> (module, one-line help). Speed and operations are measured by digest/benchmarks/,
# quality against gold data by digest/evaluation/.
BENCHMARKS: dict[str, tuple[str, str]] = {
    "build": (
        "digest.benchmarks.build",
        "time `digest build` from cold in fresh processes (wall, peak RSS, stages)",
    ),
    "send": (
        "digest.benchmarks.send",
        "send an issue to N recipients through a local aiosmtpd server: seconds, messages/s",
    ),
    "unsubscribe": (
        "digest.benchmarks.unsubscribe",
        "1,000 one-click unsubscribe POSTs to a local `digest serve`: ms per request",
    ),
    "readers": ("digest.benchmarks.readers", "`digest readers import` of 10,000 readers from CSV: seconds"),
    "fetch": (
        "digest.benchmarks.fetch",
        "read 50 local feeds x 40 entries (+ teaser pages): seconds cold and warm (conditional GET)",
    ),
    "cluster": ("digest.benchmarks.cluster", "group the articles of folders into stories and list them"),
    "clean": (
        "digest.benchmarks.clean",
        "ms per article to read and clean files; with --pairs, how often the language is right",
    ),
    "dedup": (
        "digest.evaluation.dedup",
        "score labelled article pairs (SemEval layout) against human ratings",
    ),
    "stories": (
        "digest.evaluation.stories",
        "story-level figures (B-cubed, pairwise, top ten) of the stories against gold stories",
    ),
    "summaries": (
        "digest.evaluation.summaries",
        "ROUGE against reference summaries, Lead-3 side by side, speed and memory",
    ),
    "memory": (
        "digest.evaluation.memory",
        "build consecutive days in one state folder; judge memory's decisions against gold stories",
    ),
    "blurbs": (
        "digest.evaluation.blurbs",
        "ROUGE of story blurbs on multi-document clusters, Lead and round robin side by side",
    ),
    "extraction": (
        "digest.evaluation.extraction",
        "article-body precision/recall/F1 on saved pages with ground truth, trafilatura beside",
    ),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    names = parser.add_subparsers(dest="benchmark", metavar="BENCHMARK", required=True)
    for name, (module_name, help_text) in BENCHMARKS.items():
        module = importlib.import_module(module_name)
        sub = names.add_parser(
            name,
            help=help_text,
            description=(module.__doc__ or help_text).strip(),
            parents=[common_options(nested=True)],
        )
        module.add_arguments(sub)
        sub.set_defaults(bench_module=module)


def main(args: argparse.Namespace, config: Config) -> int:
    code: int = args.bench_module.main(args, config)
    return code
