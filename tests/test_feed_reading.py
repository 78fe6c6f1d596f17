"""Feed text read as the feed declares it: charsets without a byte-order mark,
plain-text titles, markup inside iframes, stray bad bytes, title-only
entries, and the outlet an aggregator names for each entry. Small feeds
written here, served over a real loopback HTTP server where the path matters."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from http_server import LocalServer, Reply, http_server

from digest.clean.cleaner import clean_article
from digest.ingest.feeds import parse_feed
from digest.ingest.sources import collect
from digest.ingest.window import window_for
from digest.net.fetch import Fetched
from digest.state import StateDB
from digest.text.charsets import decode_body

DAY = date(2026, 3, 10)
# allow_private: the test server is on 127.0.0.1, as an intranet feed would be
FAST = {"allow_private": True, "timeout": 1.0, "retries": 1, "backoff": 0.01, "teaser_chars": 200}
TEXT = "The harbour board agreed on a winter timetable with four crossings a day. " * 4


def fetched(body: bytes, media_type: str = "application/rss+xml", charset: str | None = None) -> Fetched:
    return Fetched(
        url="u",
        final_url="https://news.example/feed",
        status=200,
        body=body,
        media_type=media_type,
        charset=charset,
    )


def rss(items: str, encoding: str = "utf-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>World Wire</title>'
        f"{items}</channel></rss>"
    )


def item(title: str, extra: str = "", text: str = TEXT) -> str:
    pub = "<pubDate>Tue, 10 Mar 2026 08:00:00 GMT</pubDate>"
    return f"<item><title>{title}</title>{pub}<description>{text}</description>{extra}</item>"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_a_utf16_or_utf32_feed_without_a_byte_order_mark(encoding):
    body = rss(item("Ferry caf\u00e9 reopens"), encoding=encoding.split("-")[0] + "-" + encoding[-2:]).encode(
        encoding
    )
    assert not body.startswith((b"\xff\xfe", b"\xfe\xff"))
    (entry,) = parse_feed(fetched(body)).entries
    assert entry.title == "Ferry caf\u00e9 reopens"


@pytest.mark.parametrize("tag", ["blink", "title", "textarea", "script", "style"])
def test_an_atom_plain_text_title_keeps_its_angle_brackets(tag):
    body = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>'
        f'<entry><title type="text">History of the &lt;{tag}&gt; tag</title>'
        f'<content type="text">Why &lt;{tag}&gt; was added &amp; how it went.</content>'
        '<link href="https://blog.example/1"/><updated>2026-03-10T08:00:00Z</updated></entry></feed>'
    ).encode()
    (entry,) = parse_feed(fetched(body, "application/atom+xml")).entries
    assert entry.title == f"History of the <{tag}> tag"
    assert entry.text == f"Why <{tag}> was added & how it went."


def test_an_atom_html_title_is_still_markup():
    body = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>'
        b'<entry><title type="html">A &lt;b&gt;bold&lt;/b&gt; plan</title>'
        b'<link href="https://blog.example/1"/></entry></feed>'
    )
    (entry,) = parse_feed(fetched(body, "application/atom+xml")).entries
    assert entry.title == "A bold plan"


@pytest.mark.parametrize("tag", ["iframe", "textarea"])
def test_markup_inside_an_iframe_or_textarea_is_not_literal_text(tag):
    text = f"&lt;{tag}&gt;safe &lt;b&gt;description&lt;/b&gt;&lt;/{tag}&gt;"
    (entry,) = parse_feed(fetched(rss(item("Teaser", text=text)).encode())).entries
    assert entry.text == "safe description"


def test_a_utf8_feed_with_one_bad_byte_stays_utf8():
    body = rss(item("\u041c\u043e\u0441\u0442 \u2014 na\u00efve caf\u00e9")).encode()
    body = body.replace(b"four crossings", b"four \xff crossings", 1)
    assert "\u041c\u043e\u0441\u0442 \u2014 na\u00efve caf\u00e9" in decode_body(body)
    short = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Bad \xe9 byte</title>'
    )
    short += b"</item></channel></rss>"
    assert decode_body(short).count("\ufffd") == 1 and "Bad \ufffd byte" in decode_body(short)


def test_a_declared_single_byte_charset_is_still_honoured():
    body = rss(item("Caf\u00e9 ferm\u00e9"), encoding="iso-8859-1").encode("latin-1")
    (entry,) = parse_feed(fetched(body)).entries
    assert entry.title == "Caf\u00e9 ferm\u00e9"


def read(http_server: LocalServer, make_config, body: str) -> list:
    url = http_server.add("/feed.xml", Reply(body=body.encode(), content_type="application/rss+xml"))
    config = make_config(sources=[{"url": url, "name": "World Wire"}], fetch=FAST)
    with StateDB(config.state_dir) as state:
        return collect(config, [], state, window_for(config, DAY))


def test_each_entry_takes_the_outlet_its_aggregator_names(http_server: LocalServer, make_config):
    body = rss(
        item(
            "From the source element",
            '<source url="https://gazette.example/rss">The Harbour Gazette</source>',
        )
        + item("From a publisher", "<dc:publisher>Island News Network</dc:publisher>")
        + item("A person is not an outlet", "<dc:creator>Jane Doe</dc:creator>")
        + item("A malformed source", '<source url="https://x.example/rss"></source>')
    )
    outlets = {raw.title: raw.outlet for raw in read(http_server, make_config, body)}
    assert outlets == {
        "From the source element": "The Harbour Gazette",
        "From a publisher": "Island News Network",
        "A person is not an outlet": "World Wire",
        "A malformed source": "World Wire",
    }


def test_an_atom_aggregator_names_the_source_feed_title():
    body = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Planet</title>'
        b'<entry><title>Post</title><link href="https://blog.example/1"/>'
        b"<source><title>Jane's Harbour Blog</title><id>tag:blog</id></source></entry></feed>"
    )
    (entry,) = parse_feed(fetched(body, "application/atom+xml")).entries
    assert entry.outlet == "Jane's Harbour Blog"


def test_title_only_entries(http_server: LocalServer, make_config, caplog):
    dead = http_server.add("/gone.html", Reply(status=404, body=b"gone"))
    flash = "<item><title>Quake of magnitude 6 hits the north coast</title>"
    flash += "<pubDate>Tue, 10 Mar 2026 08:00:00 GMT</pubDate></item>"
    teaser = f"<item><title>Ferry sinks in storm, crew rescued</title><link>{dead}</link>"
    teaser += "<pubDate>Tue, 10 Mar 2026 09:00:00 GMT</pubDate></item>"
    raws = read(http_server, make_config, rss(flash + teaser))
    articles = {a.title: a for raw in raws if (a := clean_article(raw))}
    assert (
        articles["Quake of magnitude 6 hits the north coast"].text
        == "Quake of magnitude 6 hits the north coast"
    )
    assert articles["Ferry sinks in storm, crew rescued"].url == dead


def test_a_title_only_entry_without_link_or_date_is_named_when_skipped(caplog):
    body = rss("<item><title>Lonely headline</title></item>").encode()
    (entry,) = parse_feed(fetched(body)).entries
    from digest.models import RawArticle

    raw = RawArticle(text=entry.text, title=entry.title, path="World Wire (entry 'Lonely headline')")
    # (The cleaner's logger, by name: `digest bench clean --pairs` quietens it for its run.)
    with caplog.at_level(logging.WARNING, logger="digest.clean.cleaner"):
        assert clean_article(raw) is None
    assert "World Wire (entry 'Lonely headline'): skipped, only a headline" in caplog.text
