"""Feeds and web pages as sources, from a real HTTP server on 127.0.0.1.

The feeds in tests/data/feeds/ are dated 10 March 2026; the tests build the
window of that day, so they do not depend on today's date.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from http_server import DATA, LocalServer, Reply, http_server

from digest.config import FetchSettings
from digest.ingest.feeds import FeedMemo, FeedReader, FeedSource, parse_feed
from digest.ingest.sources import SourceStatus, collect
from digest.ingest.window import window_for
from digest.models import RawArticle
from digest.net.fetch import Fetcher
from digest.state import StateDB

DAY = date(2026, 3, 10)
FAST = {
    "allow_private": True,  # the test server is on 127.0.0.1, as an intranet feed would be
    "timeout": 1.0,
    "retries": 1,
    "backoff": 0.01,
    "max_bytes": 2_000_000,
    "max_redirects": 3,
    "teaser_chars": 200,
}
RSS = "application/rss+xml"


def serve(server: LocalServer, path: str, name: str, content_type: str, **options: object) -> str:
    """Serve a file of tests/data/feeds with {base} replaced by the server's address."""
    body = (DATA / name).read_bytes().replace(b"{base}", server.base_url.encode())
    return server.add(path, Reply(body=body, content_type=content_type, **options))


def read(make_config, sources: list[dict], fetch: dict | None = None, day: date = DAY):
    config = make_config(sources=sources, fetch={**FAST, **(fetch or {})})
    with StateDB(config.state_dir) as state:
        return collect(config, [], state, window_for(config, day))


def by_title(raws: list[RawArticle]) -> dict[str, RawArticle]:
    return {r.title: r for r in raws}


def test_rss2_atom_and_rss1_entries_become_articles(http_server: LocalServer, make_config) -> None:
    rss = serve(http_server, "/rss2.xml", "rss2.xml", RSS)
    atom = serve(http_server, "/atom.xml", "atom.xml", "application/atom+xml")
    rdf = serve(http_server, "/rss1.rdf", "rss1.rdf", "application/rdf+xml")
    raws = read(
        make_config, [{"url": rss, "name": "The Gazette", "weight": 2.0}, {"url": atom}, {"url": rdf}]
    )
    found = by_title(raws)
    assert set(found) == {
        "Ferry service to Marrow Island resumes after storm repairs",
        "Council approves cycle lanes on Quay Street",
        "Valley school wins national robotics final",
        "Bridge over the Wend to close for inspection",
        "Community orchard plants two hundred apple trees",
    }  # the museum entry of 1 March is outside the window
    ferry = found["Ferry service to Marrow Island resumes after storm repairs"]
    assert ferry.outlet == "The Gazette" and ferry.weight == 2.0
    assert ferry.url == http_server.url("/news/ferry-resumes")
    assert ferry.published == datetime(2026, 3, 10, 7, 30, tzinfo=UTC)
    # content:encoded wins over the one-line description; paragraphs stay apart
    assert ferry.text.startswith("The ferry link between")
    assert "\n\u201cWe have been" in ferry.text.replace('"', "\u201c")
    lanes = found["Council approves cycle lanes on Quay Street"]
    assert lanes.published == datetime(2026, 3, 10, 8, 15, tzinfo=UTC)  # +0100 normalised
    assert "<p>" not in lanes.text and "sixty parking spaces" in lanes.text
    robotics = found["Valley school wins national robotics final"]
    assert robotics.outlet == "Valley Courier"  # the feed's title when the source has no name
    assert robotics.published == datetime(2026, 3, 10, 5, 0, tzinfo=UTC)  # published, not updated
    bridge = found["Bridge over the Wend to close for inspection"]
    assert bridge.published == datetime(2026, 3, 10, 8, 45, tzinfo=UTC)  # only <updated>
    orchard = found["Community orchard plants two hundred apple trees"]
    assert orchard.outlet == "Northern Wire" and orchard.published.hour == 10  # dc:date


def test_a_teaser_is_replaced_by_the_linked_page(
    http_server: LocalServer, make_config, caplog: pytest.LogCaptureFixture
) -> None:
    feed = serve(http_server, "/teasers.xml", "teasers.xml", RSS)
    serve(http_server, "/articles/solar-farm.html", "solar-farm.html", "text/html")
    raws = read(make_config, [{"url": feed}])
    found = by_title(raws)
    solar = found["Solar farm on Ridge Road gets the go-ahead"]
    assert "twenty thousand panels" in solar.text and "Read more on our site" not in solar.text
    assert "Most read" not in solar.text and "Contact us" not in solar.text
    assert solar.outlet == "Quick Bulletin" and solar.url == http_server.url("/articles/solar-farm.html")
    # the other page is a 404: its teaser is used, and one line says so
    library = found["Library extends its opening hours"]
    assert library.text == "The town library will open until eight in the evening on weekdays from April."
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and feed in warnings[0] and "gone.html: HTTP 404" in warnings[0]


def test_a_second_run_uses_conditional_get_and_fetches_no_page_again(
    http_server: LocalServer, make_config
) -> None:
    feed = serve(http_server, "/teasers.xml", "teasers.xml", RSS, etag='"abc"')
    serve(http_server, "/articles/solar-farm.html", "solar-farm.html", "text/html")
    serve(http_server, "/articles/gone.html", "solar-farm.html", "text/html")
    config = make_config(sources=[{"url": feed}], fetch=FAST)
    runs = []
    for _ in range(2):
        with StateDB(config.state_dir) as state:
            runs.append(collect(config, [], state, window_for(config, DAY)))
    assert runs[0] == runs[1] and len(runs[0]) == 2
    hits = http_server.hits("/teasers.xml")
    assert len(hits) == 2 and hits[1].headers["if-none-match"] == '"abc"'
    assert len(http_server.hits("/articles/solar-farm.html")) == 1
    with StateDB(config.state_dir) as state:
        status = SourceStatus(state).get(feed)
    assert status.status == "ok (not modified)" and status.entries == 2 and status.articles == 2
    assert status.newest == datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_a_url_that_holds_a_page_is_read_as_one_article(http_server: LocalServer, make_config) -> None:
    # served as a feed, but it is an HTML page: read with the page extractor instead
    url = serve(http_server, "/feed.xml", "solar-farm.html", RSS)
    (raw,) = read(make_config, [{"url": url}])
    assert raw.title.startswith("Solar farm on Ridge Road gets the go-ahead")
    assert raw.outlet == "Quick Bulletin" and "twenty thousand panels" in raw.text
    assert raw.published == datetime(2026, 3, 10, 10, 55, tzinfo=UTC)


def test_a_page_in_windows_1251_declared_as_utf8(http_server: LocalServer, make_config) -> None:
    paragraph = (
        "Городской совет утвердил строительство нового моста через реку. "
        "Работы начнутся весной и продлятся два года, сообщили в администрации. "
    )
    page = (
        f'<html><head><meta charset="utf-8"><title>Новый мост</title></head><body><article>'
        f"<h1>Новый мост</h1><p>{paragraph * 3}</p><p>{paragraph * 2}</p></article></body></html>"
    )
    url = http_server.add(
        "/ru.html", Reply(body=page.encode("cp1251"), content_type="text/html; charset=utf-8")
    )
    (raw,) = read(make_config, [{"url": url}])
    assert "Городской совет утвердил строительство" in raw.text


def test_every_failure_is_one_warning_naming_its_source_and_the_rest_is_read(
    http_server: LocalServer, make_config, caplog: pytest.LogCaptureFixture
) -> None:
    good = serve(http_server, "/rss1.rdf", "rss1.rdf", "application/rdf+xml")
    flaky = http_server.add(
        "/flaky.xml",
        Reply(status=500),
        Reply(body=(DATA / "atom.xml").read_bytes(), content_type="application/atom+xml"),
    )
    bad = {
        "missing": http_server.url("/missing.xml"),
        "silent": http_server.add("/silent.xml", Reply(hang=True)),
        "huge": http_server.add("/huge.xml", Reply(stream_bytes=30_000_000, content_type=RSS)),
        "malformed": serve(http_server, "/malformed.xml", "malformed.xml", RSS),
        "loop": http_server.add("/loop", Reply(status=302, headers={"Location": "/loop"})),
        "file": "file:///etc/passwd",
        "ftp": "ftp://127.0.0.1/feed.xml",
        "secret": f"http://editor:hunter2@127.0.0.1:{http_server.port}/private.xml",
        "not-a-feed": http_server.add(
            "/plain.txt", Reply(body=b"just some words", content_type="text/plain")
        ),
    }
    sources = [{"url": good}, {"url": flaky}] + [{"url": u, "name": n} for n, u in bad.items()]
    with caplog.at_level(logging.INFO):
        raws = read(make_config, sources)
    assert {r.outlet for r in raws} == {"Northern Wire", "Valley Courier"}  # 500 then 200 is read
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    for name in bad:
        lines = [w for w in warnings if f"'{name}'" in w]
        assert len(lines) == 1, (name, warnings)
        assert "\n" not in lines[0]
    text = "\n".join(warnings)
    assert "HTTP 404" in text and "no answer within 1 s" in text and "fetch.max_bytes" in text
    assert "redirects" in text and "only http and https" in text and "not a readable feed" in text
    assert "malformed (line" in text
    assert "hunter2" not in caplog.text and "editor" not in caplog.text.replace("'secret'", "")


def test_undated_entries_are_dated_by_when_they_were_first_seen(tmp_path: Path) -> None:
    body = (
        b'<rss version="2.0"><channel><title>No Dates</title><item><title>Timeless</title>'
        b"<link>http://127.0.0.1:9/t</link><description>" + b"word " * 60 + b"</description></item>"
        b"</channel></rss>"
    )
    from digest.net.fetch import Fetched

    fetched = Fetched(
        url="u", final_url="http://127.0.0.1:9/feed", status=200, body=body, media_type=RSS, charset=None
    )
    feed = parse_feed(fetched)
    assert feed.entries[0].published is None
    first = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    settings = FetchSettings(teaser_chars=100)
    with StateDB(tmp_path / "state") as state:
        for now in (first, first + timedelta(days=1)):
            source = FeedSource(label="No Dates", outlet="No Dates", weight=1.0, feed=feed)
            FeedReader(Fetcher(settings, state), FeedMemo(state), settings, None, now=now).read([source])
            assert source.articles[0].published == first
        # the day after, the entry is no longer in the window: it is not news again
        later = first + timedelta(days=1, hours=10)
        window = window_for(_config(tmp_path), date(2026, 3, 11), now=later)
        source = FeedSource(label="No Dates", outlet="No Dates", weight=1.0, feed=feed)
        FeedReader(Fetcher(settings, state), FeedMemo(state), settings, window, now=later).read([source])
        assert source.articles == []


def test_a_feed_with_10000_entries_keeps_the_newest_in_the_window(
    http_server: LocalServer, make_config, caplog: pytest.LogCaptureFixture
) -> None:
    start = datetime(2026, 3, 10, 23, 59, tzinfo=UTC)
    items = "".join(
        f"<item><title>Item {i}</title><link>{http_server.base_url}/i/{i}</link>"
        f"<pubDate>{(start - timedelta(minutes=i)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        f"<description>{f'Words of the item number {i}. ' * 10}</description></item>"
        for i in range(10_000)
    )
    body = f'<rss version="2.0"><channel><title>Firehose</title>{items}</channel></rss>'.encode()
    url = http_server.add("/firehose.xml", Reply(body=body, content_type=RSS))
    raws = read(make_config, [{"url": url}], fetch={"max_entries": 50, "max_bytes": 20_000_000})
    assert [r.title for r in raws] == [f"Item {i}" for i in range(50)]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"source {url}: 1440 entries in the window; only the newest 50 are read (fetch.max_entries)"
    ]


def _config(tmp_path: Path):
    from digest.config import parse_config

    return parse_config({"digest": {"state": str(tmp_path / "state")}}, tmp_path / "digest.toml")


def test_digest_sources_lists_each_source_with_its_last_status(
    http_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    import json

    from digest.cli import main

    feed = serve(http_server, "/rss2.xml", "rss2.xml", RSS)
    secret = f"http://editor:hunter2@127.0.0.1:{http_server.port}/private.xml"
    (tmp_path / "local").mkdir()
    config = tmp_path / "digest.toml"
    config.write_text(
        f'[digest]\nstate = "{tmp_path / "state"}"\n'
        "[fetch]\nallow_private = true\n"
        f'[[sources]]\nurl = "{feed}"\nname = "Gazette"\n'
        f'[[sources]]\nurl = "{secret}"\n'
        f'[[sources]]\npath = "local"\n',
        encoding="utf-8",
    )
    assert main(["sources", "--config", str(config)]) == 0
    assert capsys.readouterr().out.count("never fetched") == 3
    assert main(["sources", "--config", str(config), "--fetch", "--json"]) == 0
    out = capsys.readouterr().out
    assert "hunter2" not in out
    gazette, private, local = json.loads(out)
    assert gazette["source"] == f"'Gazette' ({feed})"
    # the feed's entries are from March 2026, long before today's window
    assert (gazette["status"], gazette["entries"], gazette["articles"]) == ("ok", 3, 0)
    assert gazette["newest"] == "2026-03-10T08:15:00+00:00"
    assert private["source"] == http_server.url("/private.xml")
    assert private["status"] == "failed: HTTP 404 Not Found" and private["entries"] == 0
    assert local["status"] == "no articles"
    assert main(["sources", "--config", str(config)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["SOURCE", "LAST", "FETCH", "STATUS", "ENTRIES", "NEWEST", "ENTRY"]
    assert "2026-03-10 08:15 UTC" in table[1] and "failed: HTTP 404" in table[2]


def test_a_source_with_neither_path_nor_url_is_skipped_with_a_warning(
    http_server: LocalServer, make_config, caplog: pytest.LogCaptureFixture
) -> None:
    # The config file loader refuses such a source outright; a Config built in
    # code (or by a future loader) can still hold one, and the rest is read.
    from dataclasses import replace

    from digest.config import SourceSettings

    good = serve(http_server, "/rss1.rdf", "rss1.rdf", "application/rdf+xml")
    config = make_config(sources=[{"url": good}], fetch=FAST)
    config = replace(config, sources=[SourceSettings(name="Nowhere"), *config.sources])
    with StateDB(config.state_dir) as state:
        raws = collect(config, [], state, window_for(config, DAY))
    assert [r.outlet for r in raws] == ["Northern Wire"]
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.startswith("source #1 ('Nowhere') in ") and "neither 'path' nor 'url'" in warning


def test_an_issue_is_built_from_the_feeds_that_work(
    http_server: LocalServer, make_config, caplog: pytest.LogCaptureFixture
) -> None:
    from digest.pipeline import build_issue

    rss = serve(http_server, "/rss2.xml", "rss2.xml", RSS)
    atom = serve(http_server, "/atom.xml", "atom.xml", "application/atom+xml")
    config = make_config(
        sources=[{"url": rss}, {"url": http_server.url("/gone.xml"), "name": "Gone"}, {"url": atom}],
        fetch=FAST,
    )
    result = build_issue(config, DAY)
    headlines = {s.headline for s in result.issue.stories}
    assert "Ferry service to Marrow Island resumes after storm repairs" in headlines
    assert "Valley school wins national robotics final" in headlines
    assert "Lighthouse museum closes for the winter" not in headlines  # outside the window
    sources = {src.url for s in result.issue.stories for src in s.sources}
    assert http_server.url("/news/ferry-resumes") in sources
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(w.startswith("source 'Gone' (") and "HTTP 404" in w for w in warnings)


def test_entries_keep_only_web_links_without_credentials_and_no_script_text() -> None:
    from digest.net.fetch import Fetched

    body = (
        b'<rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><link>https://u:pw@news.example/a</link>"
        b"<description>&lt;p&gt;Kept.&lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt;&lt;p&gt;Also kept.&lt;/p&gt;"
        b"</description></item>"
        b"<item><title>B</title><link>javascript:alert(1)</link><description>b</description></item>"
        b"<item><title>C</title><link>/relative/c</link><description>c</description></item>"
        b"</channel></rss>"
    )
    fetched = Fetched(
        url="u",
        final_url="https://news.example/feed.xml",
        status=200,
        body=body,
        media_type=RSS,
        charset=None,
    )
    a, b, c = parse_feed(fetched).entries
    assert a.link == "https://news.example/a" and a.text == "Kept.\nAlso kept."
    assert b.link is None
    assert c.link == "https://news.example/relative/c"


@pytest.mark.parametrize("name, entries", [("rss2.xml", 2), ("atom.xml", 2), ("rss1.rdf", 1)])
def test_a_feed_labelled_text_html_is_still_read_as_a_feed(
    http_server: LocalServer, make_config, name: str, entries: int
) -> None:
    url = serve(http_server, f"/{name}", name, "text/html; charset=utf-8")
    raws = read(make_config, [{"url": url}])
    assert len(raws) == entries  # its entries in the window, not one page
    assert all(r.url != url and r.title for r in raws)
