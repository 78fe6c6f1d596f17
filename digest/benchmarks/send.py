"""Time `digest send` to N recipients through a real local SMTP server (aiosmtpd
on 127.0.0.1, in this process): message building, the ledger and SMTP, each run
with an empty ledger. Sends the issue in --issue (a built issue folder, e.g.
out/2026-11-22) or else a synthetic ten-story issue rendered by the real
templates (about 24 KB of HTML). With --links every reader gets a signed
unsubscribe link in the header and the footer. With --suppressed M, M readers have
unsubscribed and exactly N - M must be sent; --subscribers takes the N from
the readers table instead of [recipients].
Prints JSON: median seconds and messages per second."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from digest.config import Config, parse_config
from digest.deliver.readers import Readers
from digest.deliver.recipients import Recipient
from digest.deliver.send import deliver
from digest.edition.render import Renderer
from digest.edition.write import read_issue, write_issue
from digest.models import Issue, IssueStory, RenderedEmail, SourceRef
from digest.state import StateDB

DAY = date(2026, 1, 1)
BENCH_SECRET_ENV = "DIGEST_BENCH_SEND_SECRET"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--recipients", type=int, default=1000, metavar="N", help="number of recipients (default 1000)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="number of runs, each with an empty ledger (default 3)"
    )
    parser.add_argument(
        "--suppressed",
        type=int,
        default=0,
        metavar="M",
        help="mark M of the N readers unsubscribed before sending; exactly N - M must be sent",
    )
    parser.add_argument(
        "--subscribers",
        action="store_true",
        help="the N readers are confirmed subscribers in the state database, not [recipients] to",
    )
    parser.add_argument(
        "--links",
        action="store_true",
        help="give every reader a signed unsubscribe link ([web] base_url), in the header and the "
        "footer of the body, as `digest serve` users get (a throwaway secret)",
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


def run_once(port: int, args: argparse.Namespace) -> float:
    count, source = args.recipients, args.issue
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        if source is not None:
            built = read_issue(source)
            day = built.issue.date
            shutil.copytree(source, out / day.isoformat())
        else:
            issue = synthetic_issue()[0]
            day = issue.date
        readers = [Recipient(f"reader{i}@example.org") for i in range(count)]
        config = bench_config(out, Path(tmp) / "state", port, readers, args)
        if source is None:
            write_issue(issue, Renderer(config).render(issue), out)  # the footer's link when --links
        store_readers(config, readers, args.subscribers, args.suppressed)
        start = time.perf_counter()
        report = deliver(config, day)
        seconds = time.perf_counter() - start
    expected = count - min(args.suppressed, count)
    if report.sent != expected:
        raise SystemExit(f"{report.sent} sent, {expected} expected: {report.failures[:3]}")
    return seconds


def bench_config(
    out: Path, state: Path, port: int, readers: list[Recipient], args: argparse.Namespace
) -> Config:
    data: dict[str, dict[str, object]] = {
        "digest": {"out": str(out), "state": str(state)},
        "smtp": {"host": "127.0.0.1", "port": port, "sender": "Top Ten <news@example.org>"},
        "recipients": {"to": [] if args.subscribers else [r.email for r in readers]},
    }
    if args.links:
        # A throwaway secret for this process only, in its own variable.
        os.environ[BENCH_SECRET_ENV] = secrets.token_hex(32)
        data["web"] = {"base_url": "https://news.example.org", "secret_env": BENCH_SECRET_ENV}
    return parse_config(data)


def store_readers(config: Config, readers: list[Recipient], subscribed: bool, suppressed: int) -> None:
    """Readers as subscribers (when asked), and the first `suppressed` unsubscribed."""
    with StateDB(config.state_dir) as state:
        table = Readers(state)
        if subscribed:
            table.add_many(readers, "benchmark")
        for reader in readers[:suppressed]:
            table.unsubscribe(reader.email, "benchmark")


def main(args: argparse.Namespace, config: Config) -> int:
    try:
        from digest.benchmarks.smtp_sink import CountingHandler, LoopbackController
    except ImportError:
        raise SystemExit("the send benchmark needs aiosmtpd: pip install -e '.[dev]'") from None
    handler = CountingHandler()
    server = LoopbackController(handler)
    server.start()
    try:
        times = [run_once(server.port, args) for _ in range(args.runs)]
    finally:
        server.stop()
    median = statistics.median(times)
    print(
        json.dumps(
            {
                "recipients": args.recipients,
                "suppressed": args.suppressed,
                "from_subscribers": args.subscribers,
                "unsubscribe_links": args.links,
                "runs": args.runs,
                "seconds_median": round(median, 2),
                "seconds_all": [round(t, 2) for t in times],
                "messages_per_second": round((args.recipients - args.suppressed) / median, 1),
                "received_by_server": handler.count,
            },
            indent=2,
        )
    )
    return 0
