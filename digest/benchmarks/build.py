"""Time `digest build PATH...` from cold: each run is a fresh process with an
empty state folder (so no cached summary or embedding), on this machine.
Prints JSON: median wall seconds, peak RSS in MB, median per-stage seconds."""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from digest.config import Config

STAGE_LINE = re.compile(r"^(\w+)\s+([\d.]+) s$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="articles to build from")
    parser.add_argument("--runs", type=int, default=3, help="number of cold runs (default 3)")


def one_run(paths: list[Path]) -> tuple[float, float, dict[str, float]]:
    """One cold build in a child process: (wall s, peak RSS MB, stage seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "digest.toml"
        config.write_text(f'[digest]\nout = "{tmp}/out"\nstate = "{tmp}/state"\n')
        command = [
            sys.executable,
            "-m",
            "digest",
            "build",
            "--quiet",
            "--timings",
            "--config",
            str(config),
            *map(str, paths),
        ]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"digest build failed:\n{done.stderr}")
    # ru_maxrss of children is the largest child so far, in KiB on Linux.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    stages = {m[1]: float(m[2]) for line in done.stderr.splitlines() if (m := STAGE_LINE.match(line))}
    return wall, peak_mb, stages


def main(args: argparse.Namespace, config: Config) -> int:
    runs = [one_run(args.paths) for _ in range(args.runs)]
    stage_names = runs[0][2].keys()
    report = {
        "runs": args.runs,
        "wall_seconds_median": round(statistics.median(r[0] for r in runs), 2),
        "wall_seconds_all": [round(r[0], 2) for r in runs],
        "peak_rss_mb": round(max(r[1] for r in runs), 1),
        "stages_median": {
            name: round(statistics.median(r[2].get(name, 0.0) for r in runs), 2) for name in stage_names
        },
    }
    print(json.dumps(report, indent=2))
    return 0
