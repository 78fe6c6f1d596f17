"""Time one-click unsubscribes (RFC 8058) against a real `digest serve` app
(uvicorn on 127.0.0.1, in this process): N readers subscribed, then one POST
`List-Unsubscribe=One-Click` each, as a mail client sends it, over one
keep-alive connection. Each answer is checked (200) and, after the run, every
reader must be unsubscribed in the state database.
Prints JSON: median and 95th percentile milliseconds per request."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from digest.config import Config, parse_config
from digest.deliver.message import list_key
from digest.deliver.readers import UNSUBSCRIBED, Readers
from digest.deliver.recipients import Recipient
from digest.deliver.tokens import UNSUBSCRIBE, Signer
from digest.state import StateDB
from digest.web.runner import background, bind
from digest.web.serve import make_app, make_site

SECRET_ENV = "DIGEST_BENCH_WEB_SECRET"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--requests", type=int, default=1000, metavar="N", help="readers and POSTs (default 1000)"
    )


def main(args: argparse.Namespace, config: Config) -> int:
    os.environ[SECRET_ENV] = secrets.token_hex(32)  # this process only
    with tempfile.TemporaryDirectory() as tmp:
        probe = bind("127.0.0.1", 0)
        port = probe.getsockname()[1]
        probe.close()
        bench = bench_config(Path(tmp), port)
        readers = [Recipient(f"reader{i}@example.org") for i in range(args.requests)]
        with StateDB(bench.state_dir) as state:
            Readers(state).add_many(readers, "benchmark")
        signer = Signer(os.environ[SECRET_ENV], list_key("Top Ten", "example.org"))
        paths = [f"/unsubscribe?token={signer.make(UNSUBSCRIBE, r.email)}" for r in readers]
        with background(make_app(make_site(bench)), port=port) as url:
            times = post_all(url, paths)
        with StateDB(bench.state_dir) as state:
            left = Readers(state).counts()[UNSUBSCRIBED]
    if left != args.requests:
        raise SystemExit(f"only {left} of {args.requests} readers were unsubscribed")
    times.sort()
    print(
        json.dumps(
            {
                "requests": len(times),
                "ms_median": round(statistics.median(times) * 1000, 2),
                "ms_p95": round(times[int(len(times) * 0.95) - 1] * 1000, 2),
                "unsubscribed_in_database": left,
            },
            indent=2,
        )
    )
    return 0


def bench_config(folder: Path, port: int) -> Config:
    return parse_config(
        {
            "digest": {"state": str(folder / "state"), "out": str(folder / "out")},
            "smtp": {"host": "127.0.0.1", "port": 25, "sender": "Top Ten <news@example.org>"},
            "web": {"base_url": f"http://127.0.0.1:{port}", "secret_env": SECRET_ENV},
        }
    )


def post_all(url: str, paths: list[str]) -> list[float]:
    """Seconds per POST, each from sending the request to reading the whole answer."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    times = []
    for path in paths:
        start = time.perf_counter()
        conn.request("POST", path, body=b"List-Unsubscribe=One-Click", headers=headers)
        response = conn.getresponse()
        response.read()
        times.append(time.perf_counter() - start)
        if response.status != 200:
            raise SystemExit(f"POST {path[:40]}... answered {response.status}")
    conn.close()
    return times
