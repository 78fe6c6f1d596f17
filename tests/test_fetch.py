"""The fetcher against a real HTTP server on 127.0.0.1 (tests/http_server.py)."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest
from http_server import LocalServer, Reply, http_server

from digest.config import FetchSettings
from digest.net.fetch import Fetched, Fetcher, FetchError, safe_url
from digest.state import StateDB
from digest.text.charsets import decode_body

# Small limits so the failure cases take about a second (a timeout well above
# what a loopback request takes even on a busy machine). The test server is on
# 127.0.0.1, which digest fetches only when allowed, as for an intranet feed.
LOCAL = FetchSettings(allow_private=True)
FAST = replace(LOCAL, timeout=1.0, retries=1, backoff=0.01, max_bytes=1_000_000, max_redirects=3)
RUSSIAN = "Вчера в Москве открылась новая библиотека. Читатели пришли рано утром и ждали у дверей. "


@pytest.fixture
def state(tmp_path: Path):
    with StateDB(tmp_path / "state") as db:
        yield db


def test_a_page_is_fetched_with_the_user_agent(http_server: LocalServer) -> None:
    url = http_server.add("/page", Reply(body=b"<p>hello</p>"))
    fetched = Fetcher(FAST).fetch(url)
    assert fetched.status == 200
    assert fetched.text == "<p>hello</p>"
    assert fetched.media_type == "text/html"
    assert http_server.hits("/page")[0].headers["user-agent"] == FAST.user_agent


@pytest.mark.parametrize("validator", ["etag", "last_modified"])
def test_a_conditional_get_answered_304_gives_the_cached_body(
    http_server: LocalServer, state: StateDB, validator: str
) -> None:
    value = '"v1"' if validator == "etag" else "Tue, 10 Mar 2026 08:00:00 GMT"
    url = http_server.add(
        "/feed", Reply(body=b"<rss>one</rss>", content_type="application/rss+xml", **{validator: value})
    )
    first = Fetcher(FAST, state).fetch(url)
    second = Fetcher(FAST, state).fetch(url)
    assert (first.status, second.status) == (200, 304)
    assert second.body == b"<rss>one</rss>" and second.media_type == "application/rss+xml"
    sent = http_server.hits("/feed")[1].headers
    header = "if-none-match" if validator == "etag" else "if-modified-since"
    assert sent[header] == value


def test_a_404_is_an_error_without_retry(http_server: LocalServer) -> None:
    result = Fetcher(FAST).fetch_all([http_server.url("/missing")])
    error = result[http_server.url("/missing")]
    assert isinstance(error, FetchError) and "404" in str(error)
    assert len(http_server.hits("/missing")) == 1


def test_a_500_then_200_is_retried(http_server: LocalServer) -> None:
    url = http_server.add("/flaky", Reply(status=500), Reply(body=b"fine"))
    assert Fetcher(FAST).fetch(url).body == b"fine"
    assert len(http_server.hits("/flaky")) == 2


def test_a_server_that_keeps_failing_gives_up_after_the_retries(http_server: LocalServer) -> None:
    url = http_server.add("/down", Reply(status=503))
    with pytest.raises(FetchError, match=r"HTTP 503.*after 2 attempts"):
        Fetcher(FAST).fetch(url)


def test_a_server_that_never_answers_times_out(http_server: LocalServer) -> None:
    url = http_server.add("/silent", Reply(hang=True))
    with pytest.raises(FetchError, match=r"no answer within 1 s \(fetch.timeout\)"):
        Fetcher(FAST).fetch(url)
    assert len(http_server.hits("/silent")) == 2  # the first attempt and one retry


def test_a_body_over_the_cap_is_abandoned(http_server: LocalServer) -> None:
    url = http_server.add("/huge", Reply(stream_bytes=30_000_000))
    with pytest.raises(FetchError, match="larger than 1000000 bytes"):
        Fetcher(FAST).fetch(url)


def test_a_declared_length_over_the_cap_is_refused_before_reading(http_server: LocalServer) -> None:
    url = http_server.add("/big", Reply(body=b"y" * 1_500_000))
    with pytest.raises(FetchError, match=r"fetch\.max_bytes"):
        Fetcher(FAST).fetch(url)


def test_a_redirect_is_followed_and_a_loop_is_stopped(http_server: LocalServer) -> None:
    http_server.add("/old", Reply(status=301, headers={"Location": "/new"}))
    http_server.add("/new", Reply(body=b"moved here"))
    fetched = Fetcher(FAST).fetch(http_server.url("/old"))
    assert fetched.body == b"moved here" and fetched.final_url == http_server.url("/new")

    http_server.add("/a", Reply(status=302, headers={"Location": "/b"}))
    http_server.add("/b", Reply(status=302, headers={"Location": "/a"}))
    with pytest.raises(FetchError, match=r"more than 3 redirects"):
        Fetcher(FAST).fetch(http_server.url("/a"))
    assert len(http_server.hits("/a")) + len(http_server.hits("/b")) == 4


def test_a_redirect_to_another_scheme_is_refused(http_server: LocalServer) -> None:
    url = http_server.add("/to-ftp", Reply(status=302, headers={"Location": "ftp://127.0.0.1/x"}))
    with pytest.raises(FetchError, match="ftp"):
        Fetcher(FAST).fetch(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed.xml", "feed.xml"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        Fetcher(FAST).fetch(url)


def test_credentials_are_sent_as_basic_auth_and_never_logged(
    http_server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    http_server.add("/private", Reply(status=500), Reply(body=b"members only"))
    url = f"http://reader:s3cret-pw@127.0.0.1:{http_server.port}/private"
    with caplog.at_level(logging.DEBUG):
        fetched = Fetcher(FAST).fetch(url)
    assert fetched.body == b"members only"
    assert fetched.url == fetched.final_url == http_server.url("/private")
    assert http_server.hits("/private")[-1].headers["authorization"] == "Basic cmVhZGVyOnMzY3JldC1wdw=="
    assert "s3cret" not in caplog.text and "/private" in caplog.text  # the retry was logged
    assert safe_url(url) == http_server.url("/private")


def test_credentials_are_not_sent_to_another_origin(http_server: LocalServer) -> None:
    other = LocalServer()
    other.start()
    try:
        other.add("/landing", Reply(body=b"elsewhere"))
        http_server.add("/go", Reply(status=302, headers={"Location": other.url("/landing")}))
        Fetcher(FAST).fetch(f"http://reader:pw@127.0.0.1:{http_server.port}/go")
        assert "authorization" in http_server.hits("/go")[0].headers
        assert "authorization" not in other.hits("/landing")[0].headers
    finally:
        other.stop()


def test_requests_to_one_host_are_limited(http_server: LocalServer) -> None:
    urls = [http_server.add(f"/slow{i}", Reply(body=b"ok", delay=0.3)) for i in range(6)]
    results = Fetcher(replace(LOCAL, per_host=2, concurrency=16)).fetch_all(urls)
    assert all(isinstance(r, Fetched) for r in results.values())
    assert http_server.max_in_flight == 2


def test_one_failure_does_not_sink_the_batch(http_server: LocalServer) -> None:
    good = http_server.add("/good", Reply(body=b"ok"))
    results = Fetcher(FAST).fetch_all([good, http_server.url("/nope"), "ftp://x/y"])
    assert isinstance(results[good], Fetched)
    assert [type(r) for r in results.values()] == [Fetched, FetchError, FetchError]


def test_a_page_in_windows_1251_declared_as_utf8_is_decoded(http_server: LocalServer) -> None:
    page = f'<html><head><meta charset="utf-8"><title>Новости</title></head><body><p>{RUSSIAN * 3}</p></body></html>'
    url = http_server.add("/ru", Reply(body=page.encode("cp1251"), content_type="text/html; charset=utf-8"))
    text = Fetcher(FAST).fetch(url).text
    assert RUSSIAN.strip() in text


def test_decode_body_follows_declarations_the_bytes_agree_with() -> None:
    assert decode_body("café".encode(), "iso-8859-1") == "café"  # single-byte labels prove nothing
    xml = '<?xml version="1.0" encoding="windows-1251"?><rss>Привет</rss>'.encode("cp1251")
    assert "Привет" in decode_body(xml, None)
    assert decode_body(b"\xef\xbb\xbfhello", "latin-1") == "hello"


def test_cached_bodies_unused_for_a_month_are_dropped(http_server: LocalServer, state: StateDB) -> None:
    old = http_server.add("/old", Reply(body=b"old", etag='"1"'))
    kept = http_server.add("/kept", Reply(body=b"kept", etag='"2"'))
    Fetcher(FAST, state).fetch_all([old, kept])
    state.connection.execute("UPDATE http_cache SET stored = stored - 31 * 86400")
    state.connection.commit()
    assert Fetcher(FAST, state).fetch(kept).status == 304  # confirmed: kept another month
    urls = [row[0] for row in state.connection.execute("SELECT url FROM http_cache")]
    assert urls == [kept]
