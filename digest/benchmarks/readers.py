"""Time `digest readers import` of a CSV of N readers (generated, with names),
in fresh processes each with an empty state folder, as the editor runs it.
Prints JSON: median wall seconds, and how many readers the state then holds."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from digest.config import Config
from digest.deliver.readers import SUBSCRIBED, Readers
from digest.state import StateDB


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--readers", type=int, default=10_000, metavar="N", help="rows (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="fresh imports to time (default 3)")


def main(args: argparse.Namespace, config: Config) -> int:
    times, held = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        csv_file = Path(tmp) / "readers.csv"
        rows = "".join(f"reader{i}@example.org,Reader {i}\n" for i in range(args.readers))
        csv_file.write_text("email,name\n" + rows, encoding="utf-8")
        for run in range(args.runs):
            state = Path(tmp) / f"state{run}"
            (Path(tmp) / "digest.toml").write_text(f'[digest]\nstate = "{state}"\n')
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "digest", "readers", "import", str(csv_file), "--quiet"],
                cwd=tmp,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - start)
            with StateDB(state) as db:
                held = Readers(db).counts()[SUBSCRIBED]
    if held != args.readers:
        raise SystemExit(f"{held} of {args.readers} readers imported")
    median = statistics.median(times)
    print(
        json.dumps(
            {
                "readers": args.readers,
                "seconds_median": round(median, 2),
                "seconds_all": [round(t, 2) for t in times],
                "subscribed_in_database": held,
            },
            indent=2,
        )
    )
    return 0
