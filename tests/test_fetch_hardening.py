"""Fetching pages that strangers control, against real HTTP servers on 127.0.0.1:
stacked compression, internal addresses, slow links, credentials with odd
characters, and what the HTTP cache keeps."""

from __future__ import annotations

import base64
import json
import logging
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from http_server import LocalServer, Reply, http_server

from digest.cli import main
from digest.config import FetchSettings
from digest.ingest.sources import collect
from digest.ingest.window import window_for
from digest.net.fetch import Fetched, Fetcher, FetchError, safe_url
from digest.state import StateDB

REPO = Path(__file__).resolve().parent.parent
DAY = date(2026, 3, 10)
RSS = "application/rss+xml"
LOCAL = FetchSettings(allow_private=True, timeout=2.0, retries=0, backoff=0.01)
ADMIN_TEXT = "Internal admin console: the root password is swordfish"

__all__ = ["http_server"]  # the fixture, imported for the tests below


# --- 1. stacked compression -------------------------------------------------------------------


def gzip_stream(chunks: Iterator[bytes]) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return b"".join(packer.compress(c) for c in chunks) + packer.flush()


@cache
def zeros_gzipped(layers: int) -> bytes:
    """1 GiB of zeros, gzipped `layers` times over (about 2 KB for two layers)."""
    body = gzip_stream(bytes(1 << 20) for _ in range(1024))
    for _ in range(layers - 1):
        body = gzip_stream(iter([body]))
    return body


# The peak is read from /proc (VmHWM, this process's own memory since exec):
# getrusage's ru_maxrss would carry over the test runner's size through fork.
PEAK_SCRIPT = """
import json, re, sys
from digest.config import FetchSettings
from digest.net.fetch import Fetcher
settings = FetchSettings(allow_private=True, max_bytes=10_000_000)
result = Fetcher(settings).fetch_all([sys.argv[1]])[sys.argv[1]]
status = open("/proc/self/status").read()
peak_mb = int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) / 1024
outcome = str(result) if isinstance(result, Exception) else len(result.body)
print(json.dumps({"peak_mb": peak_mb, "result": outcome}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc")
@pytest.mark.parametrize("encoding", ["gzip", "gzip, gzip", "gzip, gzip, gzip"])
def test_stacked_gzip_of_a_gibibyte_stays_under_200_mb(http_server: LocalServer, encoding: str) -> None:
    layers = encoding.count("gzip")
    url = http_server.add("/bomb", Reply(body=zeros_gzipped(layers), headers={"Content-Encoding": encoding}))
    done = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, url],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert "larger than 10000000 bytes (fetch.max_bytes)" in report["result"]
    assert report["peak_mb"] < 200, report


def test_compressed_bodies_within_the_limit_are_decoded(http_server: LocalServer) -> None:
    text = b"<p>" + b"A paragraph of the article. " * 2000 + b"</p>"
    twice = gzip_stream(iter([gzip_stream(iter([text]))]))
    http_server.add("/twice", Reply(body=twice, headers={"Content-Encoding": "gzip, gzip"}))
    http_server.add("/deflate", Reply(body=zlib.compress(text), headers={"Content-Encoding": "deflate"}))
    http_server.add("/br", Reply(body=text, headers={"Content-Encoding": "br"}))
    layers = gzip_stream(iter([text]))
    for _ in range(3):
        layers = gzip_stream(iter([layers]))
    http_server.add("/four", Reply(body=layers, headers={"Content-Encoding": "gzip, gzip, gzip, gzip"}))
    results = Fetcher(LOCAL).fetch_all([http_server.url(p) for p in ("/twice", "/deflate", "/br", "/four")])
    twice_result, deflate_result, br, four = results.values()
    assert isinstance(twice_result, Fetched) and twice_result.body == text
    assert isinstance(deflate_result, Fetched) and deflate_result.body == text
    assert isinstance(br, FetchError) and "content-coding" in str(br)
    assert isinstance(four, FetchError) and "compressed 4 times over" in str(four)
    assert http_server.hits("/twice")[0].headers["accept-encoding"] == "gzip, deflate"


# --- 2. internal addresses --------------------------------------------------------------------


@pytest.fixture
def inside() -> Iterator[LocalServer]:
    """An 'internal' service on another loopback address, which no feed may reach."""
    server = LocalServer(host="127.0.0.2")
    server.start()
    server.add(
        "/admin", Reply(body=f"<html><body><article><p>{ADMIN_TEXT}</p></article></body></html>".encode())
    )
    yield server
    server.stop()


def test_internal_addresses_are_refused_before_connecting(http_server: LocalServer) -> None:
    http_server.add("/admin", Reply(body=b"secret"))
    for url in (http_server.url("/admin"), f"http://localhost:{http_server.port}/admin"):
        with pytest.raises(FetchError, match=r"refused: .*127\.0\.0\.1.* is a loopback address"):
            Fetcher(FetchSettings(timeout=2.0)).fetch(url)
    with pytest.raises(FetchError, match=r"169\.254\.169\.254 is a link-local address"):
        Fetcher(FetchSettings(timeout=2.0)).fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(FetchError, match=r"0\.0\.0\.0 is an unspecified address"):
        Fetcher(FetchSettings(timeout=2.0)).fetch(f"http://0.0.0.0:{http_server.port}/admin")
    assert http_server.hits("/admin") == []  # no request ever reached the server


def test_a_redirect_to_an_internal_address_is_refused(http_server: LocalServer, inside: LocalServer) -> None:
    # 127.0.0.1 is let through as an allowed network; the redirect's target is not.
    settings = replace(LOCAL, allow_private=False, allow_networks=["127.0.0.1/32"])
    http_server.add("/go", Reply(status=302, headers={"Location": inside.url("/admin")}))
    http_server.add("/fine", Reply(body=b"public page"))
    assert Fetcher(settings).fetch(http_server.url("/fine")).body == b"public page"
    with pytest.raises(FetchError) as refused:
        Fetcher(settings).fetch(http_server.url("/go"))
    assert str(refused.value) == (
        f"redirected to {inside.url('/admin')}: refused: 127.0.0.2 is a loopback address "
        "(fetch.allow_networks or fetch.allow_private would allow it)"
    )
    assert inside.hits("/admin") == []


def teaser_feed(links: list[tuple[str, str]]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        "<pubDate>Tue, 10 Mar 2026 09:00:00 +0000</pubDate>"
        f"<description>Teaser of {title}.</description></item>"
        for title, link in links
    )
    return f'<rss version="2.0"><channel><title>Bulletin</title>{items}</channel></rss>'.encode()


def read(make_config, sources: list[dict], **fetch: object) -> list:
    config = make_config(sources=sources, fetch={"timeout": 2.0, "retries": 0, "teaser_chars": 200, **fetch})
    with StateDB(config.state_dir) as state:
        return collect(config, [], state, window_for(config, DAY))


def test_a_feed_cannot_make_digest_fetch_internal_pages(
    http_server: LocalServer, inside: LocalServer, make_config, caplog: pytest.LogCaptureFixture
) -> None:
    http_server.add("/go", Reply(status=302, headers={"Location": inside.url("/admin")}))
    feed = http_server.add(
        "/feed.xml",
        Reply(
            body=teaser_feed(
                [
                    ("Direct", inside.url("/admin")),
                    ("Redirected", http_server.url("/go")),
                    ("Metadata", "http://169.254.169.254/latest/meta-data/"),
                ]
            ),
            content_type=RSS,
        ),
    )
    raws = read(make_config, [{"url": feed, "name": "Bulletin"}], allow_networks=["127.0.0.1"])
    assert sorted(r.text for r in raws) == [f"Teaser of {t}." for t in ("Direct", "Metadata", "Redirected")]
    assert all(ADMIN_TEXT not in r.text for r in raws)
    assert inside.requests == []
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warning.startswith(f"source 'Bulletin' ({feed}): 3 linked page(s) could not be read")
    assert (
        "refused: 127.0.0.2 is a loopback address" in warning or "169.254.169.254 is a link-local" in warning
    )


def test_by_default_a_feed_on_an_internal_address_is_refused_with_one_warning(
    http_server: LocalServer, make_config, caplog: pytest.LogCaptureFixture
) -> None:
    feed = http_server.add("/feed.xml", Reply(body=teaser_feed([]), content_type=RSS))
    assert read(make_config, [{"url": feed}]) == []
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warning == (
        f"source {feed}: refused: 127.0.0.1 is a loopback address "
        "(fetch.allow_networks or fetch.allow_private would allow it); skipped"
    )
    assert http_server.requests == []


# --- 3. one deadline --------------------------------------------------------------------------


def test_the_deadline_bounds_a_feed_of_slow_links(
    http_server: LocalServer, make_config, caplog: pytest.LogCaptureFixture
) -> None:
    links = [(f"Slow {i}", http_server.add(f"/slow/{i}", Reply(body=b"late", delay=4.0))) for i in range(12)]
    feed = http_server.add("/feed.xml", Reply(body=teaser_feed(links), content_type=RSS))
    start = time.monotonic()
    raws = read(
        make_config,
        [{"url": feed, "name": "Slow"}],
        allow_private=True,
        timeout=10.0,
        per_host=1,
        deadline=3.0,
    )
    elapsed = time.monotonic() - start
    # Without the deadline: 12 links one at a time, 4 s each, 48 s.
    assert elapsed < 20, elapsed
    assert sorted(r.text for r in raws) == sorted(f"Teaser of Slow {i}." for i in range(12))
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warning.startswith("source 'Slow' (") and "12 linked page(s) could not be read" in warning
    assert "not fetched within the 3 s for all fetching (fetch.deadline)" in warning


def test_a_feed_not_arrived_by_the_deadline_is_skipped_and_the_rest_read(
    http_server: LocalServer, make_config, caplog: pytest.LogCaptureFixture
) -> None:
    stalled = http_server.add("/stalled.xml", Reply(hang=True))
    quick = http_server.add("/quick.xml", Reply(body=teaser_feed([("Quick", "")]), content_type=RSS))
    raws = read(
        make_config,
        [{"url": stalled, "name": "Stalled"}, {"url": quick}],
        allow_private=True,
        timeout=20.0,
        deadline=1.0,
    )
    assert [r.text for r in raws] == ["Teaser of Quick."]
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warning == (
        f"source 'Stalled' ({stalled}): not fetched within the 1 s for all fetching (fetch.deadline); skipped"
    )


# --- 5. credentials ---------------------------------------------------------------------------

PASSWORD = "Ab/Se#cr?et"


def test_a_password_with_slash_hash_and_question_mark_appears_nowhere(
    http_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    http_server.add("/private.xml", Reply(body=teaser_feed([]), content_type=RSS))
    base = f"127.0.0.1:{http_server.port}"
    sources = [
        f"http://editor:{PASSWORD}@{base}/private.xml",  # works: the password is sent as Basic auth
        f"http://editor:{PASSWORD}@{base}/gone.xml",  # a 404, named in a warning
        f"http://editor:{PASSWORD}@127.0.0.1:99999/x.xml",  # cannot be parsed at all
    ]
    config = tmp_path / "digest.toml"
    config.write_text(
        f'[digest]\nstate = "{tmp_path / "state"}"\n[fetch]\nallow_private = true\ntimeout = 2.0\n'
        + "".join(f"[[sources]]\nurl = {json.dumps(url)}\n" for url in sources),
        encoding="utf-8",
    )
    log = tmp_path / "digest.log"
    common = ["--config", str(config), "--log-file", str(log), "-v"]
    assert main(["sources", *common, "--fetch", "--json"]) == 0
    shown = capsys.readouterr()
    listed = json.loads(shown.out)
    assert main(["sources", *common]) == 0
    table = capsys.readouterr()
    assert [row["status"] for row in listed][:2] == ["ok", "failed: HTTP 404 Not Found"]
    assert listed[0]["source"] == http_server.url("/private.xml")
    assert listed[2]["source"] == "http://127.0.0.1:99999/x.xml"
    expected = "Basic " + base64.b64encode(f"editor:{PASSWORD}".encode()).decode()
    assert http_server.hits("/private.xml")[0].headers["authorization"] == expected
    state = b"".join(p.read_bytes() for p in (tmp_path / "state").iterdir() if p.is_file())
    texts = [shown.out, shown.err, table.out, table.err, log.read_text(encoding="utf-8")]
    for secret in ("Se#cr", "cr?et", "Ab/Se", "Ab%2FSe"):
        assert all(secret not in text for text in texts), secret
        assert secret.encode() not in state, secret
    assert "gone.xml" in log.read_text(encoding="utf-8")  # the failing source is named, without it


def test_a_status_row_keyed_by_a_leaked_password_is_dropped(tmp_path: Path) -> None:
    from digest.ingest.sources import SourceStatus

    with StateDB(tmp_path / "state") as state:
        leaked = "https://user:Ab/Secret@news.example/feed.xml"
        SourceStatus(state).record(leaked, "failed: not a valid URL", [])
        SourceStatus(state).record("https://news.example/@alice/feed.xml", "ok", [])
        rows = [key for (key,) in state.connection.execute("SELECT source FROM source_status")]
    assert rows == ["https://news.example/@alice/feed.xml"]


@pytest.mark.parametrize(
    "url, shown",
    [
        ("https://user:Ab/Secret@news.example/feed.xml", "https://news.example/feed.xml"),
        ("https://user:12#Se?cret@news.example/feed.xml", "https://news.example/feed.xml"),
        ("https://user:p@ss/w?rd@news.example/feed.xml", "https://news.example/feed.xml"),
        ("https://news.example:8080/@alice/feed.xml", "https://news.example:8080/@alice/feed.xml"),
        ("https://news.example/@alice?u=a:b@c", "https://news.example/@alice?u=a:b@c"),
        ("https://user:Ab/Secret@news.example:99999/feed.xml", "https://news.example:99999/feed.xml"),
    ],
)
def test_safe_url_drops_credentials_whatever_they_hold(url: str, shown: str) -> None:
    assert safe_url(url) == shown


# --- 8. the HTTP cache ------------------------------------------------------------------------


def cache_rows(state_dir: Path) -> dict[str, int]:
    with StateDB(state_dir) as state:
        return dict(state.connection.execute("SELECT url, length(body) FROM http_cache"))


def test_teaser_bodies_that_gave_no_article_are_not_kept(http_server: LocalServer, make_config) -> None:
    junk = b"<html><head><script>" + b"var x = 1;\n" * 30_000 + b"</script></head><body></body></html>"
    links = [(f"Page {i}", http_server.add(f"/p/{i}", Reply(body=junk, etag=f'"{i}"'))) for i in range(30)]
    feed = http_server.add("/feed.xml", Reply(body=teaser_feed(links), content_type=RSS, etag='"feed"'))
    plain = http_server.add("/notes.txt", Reply(body=b"not a feed", content_type="text/plain", etag='"n"'))
    config = make_config(
        sources=[{"url": feed}, {"url": plain}],
        fetch={"allow_private": True, "timeout": 5.0, "teaser_chars": 200},
    )
    with StateDB(config.state_dir) as state:
        raws = collect(config, [], state, window_for(config, DAY))
    assert len(raws) == 30  # the teasers, since no page held an article
    assert list(cache_rows(config.state_dir)) == [feed]  # the feed, read: kept for conditional GET
    size = sum(p.stat().st_size for p in config.state_dir.iterdir() if p.is_file())
    assert size < 1_000_000, size  # 9 MB of pages were downloaded


def test_the_cache_is_capped_by_size_and_age(http_server: LocalServer, tmp_path: Path) -> None:
    settings = replace(LOCAL, cache_max_bytes=25_000, cache_days=2)
    urls = [http_server.add(f"/f{i}", Reply(body=bytes([65 + i]) * 10_000, etag=f'"{i}"')) for i in range(3)]
    with StateDB(tmp_path / "state") as state:
        for url in urls:  # one after the other: f0 is the least recently confirmed
            Fetcher(settings, state).fetch(url)
            time.sleep(0.01)
        assert sorted(cache_rows(tmp_path / "state")) == urls[1:]
        big = http_server.add("/big", Reply(body=b"z" * 30_000, etag='"big"'))
        Fetcher(settings, state).fetch(big)  # larger than the whole cache: not kept
        assert big not in cache_rows(tmp_path / "state")
        state.connection.execute(
            "UPDATE http_cache SET stored = stored - 3 * 86400 WHERE url = ?", (urls[1],)
        )
        state.connection.commit()
        Fetcher(settings, state).fetch(urls[2])  # a 304: confirmed, and the pruning runs
    assert sorted(cache_rows(tmp_path / "state")) == [urls[2]]
