"""Feeds: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom, read with feedparser.

`parse_feed` turns a fetched body into a `Feed` (or raises `NotAFeed`, so
the caller can read it as a web page instead). `FeedReader.read` turns the
entries of many feeds into RawArticles at once:

- an entry's date is, in this order, pubDate / published, then updated /
  dc:date; an entry with none is dated by the time it was first seen
  (remembered in the state database), so it is new once and not every day;
- entries outside the publication window are dropped before anything is
  fetched for them, and at most `[fetch] max_entries` of the newest are kept;
- an entry whose text is shorter than `[fetch] teaser_chars` is a teaser: its
  linked page is fetched (all feeds' pages in one polite batch) and its
  article text extracted by `digest.ingest.read_html`. Extracted pages are
  remembered by link and entry date, so a later run fetches only new links.

A parsed feed is kept with the sha256 of its body, so a feed that answers
304 costs neither a download nor a parse. What is kept between runs (parsed
feeds, extracted pages, first-seen dates) lives in a table of its own whose
rows are dropped once unused for `FeedMemo.KEEP_DAYS` days.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import feedparser

from digest.config import FetchSettings
from digest.ingest.entries import Entry, make_entry, plain
from digest.ingest.files import read_html
from digest.ingest.window import Window
from digest.models import RawArticle
from digest.net.fetch import Fetched, Fetcher, FetchError, safe_url
from digest.state import StateDB

log = logging.getLogger(__name__)

PARSE_CACHE = "feed:v2"  # bump when the parse result changes shape
PAGE_CACHE = "page:v1"
FIRST_SEEN = "first-seen"
HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)", re.IGNORECASE | re.DOTALL)
# Servers often label feeds text/html: a feed's root element says what it is.
FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
XML_DECLARED = re.compile(rb"""\A(\s*<\?xml[^>]*encoding\s*=\s*["'])[\w.:-]+""")


class NotAFeed(Exception):
    """The body is not a feed; the message says why, in one line."""


@dataclass(frozen=True)
class Feed:
    title: str | None
    entries: list[Entry]
    problem: str | None = None  # why the feed is malformed, when it was read anyway


@dataclass
class FeedSource:
    """One configured feed, fetched and parsed, on its way to articles."""

    label: str  # names the source in messages: its name or its URL (no credentials)
    outlet: str
    weight: float
    feed: Feed
    articles: list[RawArticle] = field(default_factory=list)
    failed_pages: list[str] = field(default_factory=list)  # "url: reason"


def is_html(fetched: Fetched) -> bool:
    return fetched.media_type in ("text/html", "application/xhtml+xml") or bool(
        HTML_START.match(fetched.body)
    )


def parse_feed(fetched: Fetched, memo: FeedMemo | None = None) -> Feed:
    """The feed in `fetched`; raises NotAFeed when it holds none."""
    digest = hashlib.sha256(fetched.body).hexdigest().encode()
    memo = memo or FeedMemo(None)
    cached = memo.get_many(PARSE_CACHE, [fetched.final_url]).get(fetched.final_url, b"")
    if cached.startswith(digest + b"\n"):  # one row per feed: its last body's parse
        return feed_from_json(cached[len(digest) + 1 :])
    feed = _parse(fetched)
    memo.put_many(PARSE_CACHE, {fetched.final_url: digest + b"\n" + feed_to_json(feed)})
    return feed


def _parse(fetched: Fetched) -> Feed:
    if is_html(fetched) and not FEED_ROOT.search(fetched.body[:4096]):
        raise NotAFeed("an HTML page, not a feed")
    # Decoded by our own charset rules, then handed over as UTF-8 with a header
    # that says so. A BytesIO, never a str: feedparser treats a str as a URL or path.
    # The XML declaration must then say UTF-8 too, or feedparser would decode
    # the bytes again by what it says ("utf-16").
    data = XML_DECLARED.sub(rb"\1utf-8", fetched.text.encode("utf-8"), count=1)
    headers = {"content-type": "application/xml; charset=utf-8", "content-location": fetched.final_url}
    # No sanitising: entries become plain text (html_to_text drops scripts and
    # styles), and it costs a third of the parse time on a large feed.
    parsed = feedparser.parse(
        io.BytesIO(data), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    problem = bozo_reason(parsed) if parsed.get("bozo") else None
    if not parsed.get("version") and not parsed.entries:
        raise NotAFeed(f"not a readable feed ({problem or 'no RSS or Atom element found'})")
    atom = str(parsed.get("version", "")).startswith("atom")
    entries = [e for item in parsed.entries if (e := make_entry(item, atom))]
    return Feed(title=plain(parsed.feed.get("title")), entries=entries, problem=problem)


def bozo_reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    message = str(exc) if exc else "malformed"
    return re.sub(r"^<unknown>:", "line ", message).splitlines()[0][:200]


def feed_to_json(feed: Feed) -> bytes:
    data = asdict(feed)
    for entry in data["entries"]:
        entry["published"] = entry["published"].isoformat() if entry["published"] else None
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def feed_from_json(blob: bytes) -> Feed:
    data = json.loads(blob)
    entries = [
        Entry(
            title=e["title"],
            link=e["link"],
            text=e["text"],
            published=datetime.fromisoformat(e["published"]) if e["published"] else None,
            outlet=e.get("outlet"),
        )
        for e in data["entries"]
    ]
    return Feed(title=data["title"], entries=entries, problem=data["problem"])


class FeedReader:
    """Turns the entries of many feeds into RawArticles, fetching teasers' pages in one batch."""

    def __init__(
        self,
        fetcher: Fetcher,
        memo: FeedMemo,
        settings: FetchSettings,
        window: Window | None,
        now: datetime | None = None,
    ):
        self.fetcher = fetcher
        self.memo = memo
        self.settings = settings
        self.window = window
        self.now = now or datetime.now(UTC)

    def read(self, sources: Sequence[FeedSource]) -> None:
        """Fill each source's `articles` (and `failed_pages`)."""
        teasers: list[tuple[FeedSource, Entry]] = []
        for source in sources:
            for entry in self.entries_in_window(source):
                if len(entry.text) < self.settings.teaser_chars and entry.link:
                    teasers.append((source, entry))
                else:
                    source.articles.append(self.article(source, entry, entry.text))
        self.read_teasers(teasers)

    def entries_in_window(self, source: FeedSource) -> list[Entry]:
        entries = self.dated(source)
        if self.window is not None:
            entries = [e for e in entries if self.window.contains(e.published)]
        entries.sort(key=lambda e: e.published or self.now, reverse=True)
        cap = self.settings.max_entries
        if len(entries) > cap:
            log.warning(
                "source %s: %d entries in the window; only the newest %d are read (fetch.max_entries)",
                source.label,
                len(entries),
                cap,
            )
            entries = entries[:cap]
        return entries

    def dated(self, source: FeedSource) -> list[Entry]:
        """Entries without a date get the time they were first seen (and a log line says so)."""
        entries = source.feed.entries
        undated = [e for e in entries if e.published is None]
        if not undated:
            return list(entries)
        keys = [e.key for e in undated]
        seen = self.memo.get_many(FIRST_SEEN, keys)
        fresh = {k: self.now.isoformat().encode() for k in keys if k not in seen}
        self.memo.put_many(FIRST_SEEN, fresh)
        first = {k: datetime.fromisoformat(v.decode()) for k, v in {**seen, **fresh}.items()}
        log.info(
            "source %s: %d entries carry no date; dated by when digest first saw them",
            source.label,
            len(undated),
        )
        return [e if e.published else _with_date(e, first[e.key]) for e in entries]

    def article(
        self, source: FeedSource, entry: Entry, text: str, page: RawArticle | None = None
    ) -> RawArticle:
        return RawArticle(
            text=text,
            title=entry.title or (page.title if page else None),
            # Without a link, messages about the article name its feed and entry.
            path=None if entry.link else f"{source.label} (entry {entry.title or entry.text[:60]!r})",
            url=entry.link,
            outlet=entry.outlet or source.outlet,
            published=entry.published or (page.published if page else None),
            weight=source.weight,
        )

    def read_teasers(self, teasers: list[tuple[FeedSource, Entry]]) -> None:
        if not teasers:
            return
        keys = [page_key(entry) for _, entry in teasers]
        known = self.memo.get_many(PAGE_CACHE, keys)
        todo = [
            entry.link
            for (_, entry), key in zip(teasers, keys, strict=True)
            if key not in known and entry.link
        ]
        # Each page is extracted as it arrives, while the others download. Bodies are
        # not cached (keep=False): the extracted article is remembered instead.
        extracted = self.fetcher.fetch_each(todo, self.extract, keep=False) if todo else {}
        fresh: dict[str, bytes] = {}
        for (source, entry), key in zip(teasers, keys, strict=True):
            if key in known:
                cached = page_from_json(known[key])
                source.articles.append(self.article(source, entry, cached.text, cached))
                continue
            page, reason = extracted.get(entry.link or "", (None, "no link"))
            if page is not None and len(page.text) < len(entry.text):
                page, reason = None, "the page holds less text than the feed (a paywall?)"
            if page is None:
                source.failed_pages.append(f"{safe_url(entry.link or '')}: {reason}")
                if entry.text or entry.title:  # the teaser, even a bare headline, is better than nothing
                    source.articles.append(self.article(source, entry, entry.text))
                continue
            fresh[key] = page_to_json(page)
            source.articles.append(self.article(source, entry, page.text, page))
        self.memo.put_many(PAGE_CACHE, fresh)

    def extract(self, result: Fetched | FetchError) -> tuple[RawArticle | None, str]:
        """The article of a fetched page, or None and why not."""
        if isinstance(result, FetchError):
            return None, str(result)
        try:
            page = read_html(result.text, url=result.final_url)
        except Exception as exc:
            log.debug("extraction of %s failed", result.final_url, exc_info=True)
            return None, f"could not extract the article ({type(exc).__name__})"
        if page is None:
            return None, "no article text found in the page"
        return page, ""


class FeedMemo:
    """What feeds keep between runs, by kind and key, each row stamped with its last use.

    Rows unused for KEEP_DAYS are pruned: feeds come and go, and pages are
    read once. (Without a state folder nothing is kept.)
    """

    KEEP_DAYS = 30

    def __init__(self, state: StateDB | None):
        self.db = state.connection if state is not None else None
        if self.db is not None:
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS feed_memo (kind TEXT NOT NULL, key TEXT NOT NULL,"
                " value BLOB NOT NULL, used REAL NOT NULL, PRIMARY KEY (kind, key))"
            )
            self.db.commit()

    def get_many(self, kind: str, keys: list[str]) -> dict[str, bytes]:
        if self.db is None or not keys:
            return {}
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), 500):  # SQLite caps bound parameters
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                self.db.execute(
                    f"SELECT key, value FROM feed_memo WHERE kind = ? AND key IN ({marks})", (kind, *chunk)
                )
            )
        with self.db:
            self.db.executemany(
                "UPDATE feed_memo SET used = ? WHERE kind = ? AND key = ?",
                [(time.time(), kind, k) for k in found],
            )
        return found

    def put_many(self, kind: str, items: dict[str, bytes]) -> None:
        if self.db is None or not items:
            return
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO feed_memo VALUES (?, ?, ?, ?)",
                [(kind, k, v, time.time()) for k, v in items.items()],
            )

    def prune(self) -> None:
        if self.db is not None:
            with self.db:
                self.db.execute(
                    "DELETE FROM feed_memo WHERE used < ?", (time.time() - self.KEEP_DAYS * 86400,)
                )


def page_key(entry: Entry) -> str:
    """A linked page is read again only when its entry's date changes."""
    when = entry.published.isoformat() if entry.published else ""
    return f"{entry.link}\n{when}"


def page_to_json(page: RawArticle) -> bytes:
    published = page.published.isoformat() if page.published else None
    return json.dumps(
        {"text": page.text, "title": page.title, "published": published}, ensure_ascii=False
    ).encode("utf-8")


def page_from_json(blob: bytes) -> RawArticle:
    data = json.loads(blob)
    published = datetime.fromisoformat(data["published"]) if data["published"] else None
    return RawArticle(text=data["text"], title=data["title"], published=published)


def _with_date(entry: Entry, published: datetime) -> Entry:
    return replace(entry, published=published)
