"""Time `digest send` to N recipients through a real local SMTP server (aiosmtpd
on 127.0.0.1, in this process): message building, the ledger and SMTP, each run
with an empty ledger. Sends the issue in --issue (a built issue folder, e.g.
out/2026-11-22) or else a synthetic ten-story issue rendered by the real
templates (about 24 KB of HTML).
Prints JSON: median seconds and messages per second."""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from digest.config import Config, parse_config
from digest.deliver.send import deliver
from digest.edition.render import Renderer
from digest.edition.write import read_issue, write_issue
from digest.models import Issue, IssueStory, RenderedEmail, SourceRef

DAY = date(2026, 1, 1)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--recipients", type=int, default=1000, metavar="N", help="number of recipients (default 1000)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="number of runs, each with an empty ledger (default 3)"
    )
    parser.add_argument(
        "--issue",
        type=Path,
        metavar="FOLDER",
        help="a built issue folder to send (default: a synthetic ten-story issue, about 24 KB of HTML)",
    )


def synthetic_issue() -> tuple[Issue, RenderedEmail]:
    """Ten stories of ordinary length, through the real templates."""
    stories = tuple(
        IssueStory(
            rank=n,
            headline=f"Story {n}: a headline of ordinary length for a news item",
            summary="A summary sentence of about twenty words, as the summariser writes them. " * 3,
            language="en",
            sources=tuple(
                SourceRef(
                    title=f"Source {n}.{k}",
                    url=f"https://example.org/{n}/{k}",
                    path=None,
                    outlet=f"Outlet {k}",
                    language="en",
                    published=None,
                )
                for k in range(3)
            ),
        )
        for n in range(1, 11)
    )
    issue = Issue(date=DAY, title="Top Ten", language="en", stories=stories)
    return issue, Renderer(Config()).render(issue)


def run_once(port: int, count: int, source: Path | None) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        if source is not None:
            built = read_issue(source)
            day = built.issue.date
            shutil.copytree(source, out / day.isoformat())
        else:
            issue, email = synthetic_issue()
            day = issue.date
            write_issue(issue, email, out)
        config: Config = parse_config(
            {
                "digest": {"out": str(out), "state": f"{tmp}/state"},
                "smtp": {"host": "127.0.0.1", "port": port, "sender": "Top Ten <news@example.org>"},
                "recipients": {"to": [f"reader{i}@example.org" for i in range(count)]},
            }
        )
        start = time.perf_counter()
        report = deliver(config, day)
        seconds = time.perf_counter() - start
    if report.sent != count:
        raise SystemExit(f"only {report.sent} of {count} sent: {report.failures[:3]}")
    return seconds


def main(args: argparse.Namespace, config: Config) -> int:
    try:
        from digest.benchmarks.smtp_sink import CountingHandler, LoopbackController
    except ImportError:
        raise SystemExit("the send benchmark needs aiosmtpd: pip install -e '.[dev]'") from None
    handler = CountingHandler()
    server = LoopbackController(handler)
    server.start()
    try:
        times = [run_once(server.port, args.recipients, args.issue) for _ in range(args.runs)]
    finally:
        server.stop()
    median = statistics.median(times)
    print(
        json.dumps(
            {
                "recipients": args.recipients,
                "runs": args.runs,
                "seconds_median": round(median, 2),
                "seconds_all": [round(t, 2) for t in times],
                "messages_per_second": round(args.recipients / median, 1),
                "received_by_server": handler.count,
            },
            indent=2,
        )
    )
    return 0
