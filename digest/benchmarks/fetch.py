"""Time reading web sources: FEEDS feeds of ENTRIES entries each, served by
local HTTP servers on 127.0.0.1 (stdlib `http.server` in child processes,
which answer 304 to If-Modified-Since), where a share of the feeds carry
only teasers, so their linked pages are fetched and extracted too.

Each run starts from an empty state folder ("cold": every feed and page is
downloaded, parsed and extracted), then reads the same sources again
("warm": the feeds answer 304 and nothing else is requested). Both time
`digest.sources.collect` in this process, after the libraries are imported.
Prints JSON: median wall seconds cold and warm, the CPU seconds of this
process and of the servers (figures that do not depend on other load on the
machine), and the articles read."""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from digest.config import Config, SourceSettings
from digest.ingest.sources import collect
from digest.ingest.window import window_for
from digest.state import StateDB

WORDS = (
    "council harbour storm bridge school river market ferry station library museum road rail "
    "farm orchard festival hospital budget election court police weather flood fire energy "
    "water housing village town city county minister report plan repair opening closure"
).split()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--feeds", type=int, default=50, help="number of feeds (default 50)")
    parser.add_argument("--entries", type=int, default=40, help="entries per feed (default 40)")
    parser.add_argument(
        "--teaser-share",
        type=float,
        default=0.5,
        help="share of the feeds whose entries are teasers with a linked page (default 0.5)",
    )
    parser.add_argument(
        "--hosts",
        type=int,
        default=5,
        help="local servers (each its own host:port) the feeds are spread over (default 5)",
    )
    parser.add_argument("--runs", type=int, default=3, help="cold+warm runs (default 3)")


def main(args: argparse.Namespace, config: Config) -> int:
    import feedparser  # noqa: F401 - imported before timing: this measures reading, not imports
    import trafilatura  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        servers = [start_server(root / f"host{h}") for h in range(args.hosts)]
        try:
            urls = write_feeds(root, [base for _, base in servers], args)
            sources = [SourceSettings(url=url) for url in urls]
            runs = [one_run(config, sources, root / f"state{r}") for r in range(args.runs)]
        finally:
            for process, _ in servers:
                process.terminate()
                process.wait()
    server_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_seconds = server_cpu.ru_utime + server_cpu.ru_stime
    teaser_feeds = round(args.feeds * args.teaser_share)
    report = {
        "feeds": args.feeds,
        "entries_per_feed": args.entries,
        "teaser_pages": teaser_feeds * args.entries,
        "hosts": args.hosts,
        "per_host": config.fetch.per_host,
        "concurrency": config.fetch.concurrency,
        "runs": args.runs,
        "cold_seconds_median": round(statistics.median(r["cold"] for r in runs), 2),
        "warm_seconds_median": round(statistics.median(r["warm"] for r in runs), 2),
        "cold_seconds_all": [round(r["cold"], 2) for r in runs],
        "warm_seconds_all": [round(r["warm"], 2) for r in runs],
        # CPU time does not depend on what else the machine runs: with nothing
        # else running, wall time is at least (client + servers) / cores.
        "cold_client_cpu_seconds_median": round(statistics.median(r["cold_cpu"] for r in runs), 2),
        "warm_client_cpu_seconds_median": round(statistics.median(r["warm_cpu"] for r in runs), 2),
        "servers_cpu_seconds_per_run": round(server_seconds / args.runs, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "articles": runs[0]["articles"],
    }
    print(json.dumps(report, indent=2))
    return 0


def one_run(config: Config, sources: list[SourceSettings], state_dir: Path) -> dict[str, Any]:
    config = replace(
        config,
        sources=sources,
        digest=replace(config.digest, state=str(state_dir)),
        # The servers are on 127.0.0.1: let that network through the address check
        # (which stays on, as by default) rather than switching the check off.
        fetch=replace(config.fetch, allow_networks=["127.0.0.0/8"]),
    )
    window = window_for(config, config.today())
    timings = {}
    for name in ("cold", "warm"):
        with StateDB(config.state_dir) as state:
            start, cpu = time.perf_counter(), time.process_time()
            raws = collect(config, [], state, window)
            timings[name] = time.perf_counter() - start
            timings[f"{name}_cpu"] = time.process_time() - cpu
    if len(raws) == 0:
        raise SystemExit("the benchmark read no article: see the warnings above")
    return {**timings, "articles": len(raws)}


def start_server(folder: Path) -> tuple[subprocess.Popen[str], str]:
    """`python -m http.server` on 127.0.0.1 and an ephemeral port; returns it and its base URL."""
    folder.mkdir(parents=True)
    process = subprocess.Popen(
        # HTTP/1.0 (one connection per request), the module's default: its HTTP/1.1 mode
        # writes headers and body apart and stalls on delayed ACKs (measured 2-3x slower).
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline() if process.stdout else ""
    # "Serving HTTP on 127.0.0.1 port 43121 (http://127.0.0.1:43121/) ..."
    try:
        port = int(line.split(" port ")[1].split()[0])
    except (IndexError, ValueError):
        process.kill()
        raise SystemExit(f"the local HTTP server did not start: {line!r}") from None
    return process, f"http://127.0.0.1:{port}"


def write_feeds(root: Path, bases: list[str], args: argparse.Namespace) -> list[str]:
    """Write the feeds (and teaser pages) into the servers' folders; returns the feed URLs."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    teaser_feeds = round(args.feeds * args.teaser_share)
    urls = []
    for f in range(args.feeds):
        host = f % len(bases)
        folder, base = root / f"host{host}", bases[host]
        items = []
        for e in range(args.entries):
            title = f"Feed {f} story {e}: " + " ".join(rng.choice(WORDS) for _ in range(6))
            body = paragraphs(rng, 4)
            published = format_datetime(now - timedelta(minutes=10 * e + f))
            link = f"{base}/f{f}/e{e}.html"
            if f < teaser_feeds:
                (folder / f"f{f}").mkdir(exist_ok=True)
                (folder / f"f{f}" / f"e{e}.html").write_text(page(title, body, f), encoding="utf-8")
                text = f"<description>{escape(body[0][:140])}</description>"
            else:
                text = (
                    f"<description>{escape(body[0])}</description>"
                    + f"<content:encoded><![CDATA[{''.join(f'<p>{p}</p>' for p in body)}]]></content:encoded>"
                )
            items.append(
                f"<item><title>{escape(title)}</title><link>{link}</link>"
                f"<pubDate>{published}</pubDate>{text}</item>"
            )
        (folder / f"feed{f}.xml").write_text(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Feed {f}</title><link>{base}/</link><description>benchmark feed</description>"
            + "".join(items)
            + "</channel></rss>",
            encoding="utf-8",
        )
        urls.append(f"{base}/feed{f}.xml")
    return urls


def paragraphs(rng: random.Random, count: int) -> list[str]:
    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
        return " ".join(words).capitalize() + "."

    return [" ".join(sentence() for _ in range(rng.randint(3, 5))) for _ in range(count)]


def page(title: str, body: list[str], feed: int) -> str:
    article = "".join(f"<p>{escape(p)}</p>" for p in body)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta property="og:site_name" content="Feed {feed}"></head><body>'
        '<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>'
        f"<main><article><h1>{escape(title)}</h1>{article}</article></main>"
        "<footer><p>Subscribe to our newsletter.</p><p>All rights reserved.</p></footer>"
        "</body></html>"
    )


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
