"""Collect raw articles from the configured sources or the paths given.

Local paths are read by `digest.ingest`. URLs are fetched in one polite batch
(`digest.fetch`); a feed's entries become articles (`digest.feeds`), and a
URL that holds a web page, or a "feed" that turns out to be an HTML page, is
read as one article (`digest.ingest.read_html`). Feeds and pages are kept to
the publication window (`digest.window`); local files are always read.

A failure in one source is one warning naming that source; it never sinks
the others. Each source's last status is kept in the state database for
`digest sources`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from digest.config import Config, SourceSettings
from digest.errors import NoArticlesError
from digest.ingest.feeds import FeedMemo, FeedReader, FeedSource, NotAFeed, is_html, parse_feed
from digest.ingest.files import read_html, read_paths
from digest.ingest.window import Window
from digest.models import RawArticle
from digest.net.fetch import Fetched, Fetcher, FetchError, check_url, safe_url
from digest.state import StateDB

log = logging.getLogger(__name__)

REFUSED = ": refused: "  # in "url: reason" when the guard refused an internal address


def collect(
    config: Config, paths: list[Path], state: StateDB, window: Window | None = None
) -> list[RawArticle]:
    """Paths given on the command line win over the configured sources."""
    if paths:
        return read_paths(paths)
    if not config.sources:
        where = config.path or "the config"
        raise NoArticlesError(
            f"nothing to read: give article files or folders, or add [[sources]] to {where}"
        )
    found = read_sources(config, state, window)
    return [raw for raws in found for raw in raws]


def read_sources(config: Config, state: StateDB, window: Window | None) -> list[list[RawArticle]]:
    """The articles of each configured source, in the config's order."""
    statuses = SourceStatus(state)
    found: list[list[RawArticle]] = [[] for _ in config.sources]
    web: list[int] = []
    for i, source in enumerate(config.sources):
        if source.path:
            found[i] = read_source(source, config, state)
            statuses.record(source_key(source, config), "ok" if found[i] else "no articles", found[i])
        elif source.url:
            web.append(i)
        else:
            log.warning(
                "source #%d%s in %s: has neither 'path' nor 'url'; skipped",
                i + 1,
                f" ('{source.name}')" if source.name else "",
                config.path or "the config",
            )
            statuses.record(source_key(source, config), "skipped: neither 'path' nor 'url'", [])
    if web:
        articles = read_web([config.sources[i] for i in web], config, state, window, statuses)
        for i, raws in zip(web, articles, strict=True):
            found[i] = raws
    return found


def read_source(source: SourceSettings, config: Config, state: StateDB) -> list[RawArticle]:
    """One source on its own (a local path, or a URL fetched by itself)."""
    if source.path:
        return read_paths([config.resolve(source.path)], outlet=source.name, weight=source.weight)
    if source.url:
        return read_web([source], config, state, None, SourceStatus(state))[0]
    log.warning("source %s: has neither 'path' nor 'url'; skipped", source.name or "?")
    return []


def read_web(
    sources: list[SourceSettings],
    config: Config,
    state: StateDB,
    window: Window | None,
    statuses: SourceStatus,
) -> list[list[RawArticle]]:
    """Fetch every URL at once, then read each body as a feed or a page."""
    fetcher = Fetcher(config.fetch, state)
    # Unfetchable URLs (file:, ftp:, no host) come back as FetchErrors like any failure.
    fetched = fetcher.fetch_all([s.url for s in sources if s.url])
    memo = FeedMemo(state)
    memo.prune()
    results: list[list[RawArticle]] = [[] for _ in sources]
    feeds: list[tuple[int, FeedSource, Fetched]] = []
    gave_nothing: list[str] = []  # their cached bodies are dropped
    for i, source in enumerate(sources):
        label = source_label(source)
        answer = fetched.get(source.url or "")
        if not isinstance(answer, Fetched):
            reason = answer or "not fetched"
            log.warning("source %s: %s; skipped", label, reason)
            statuses.record(source_key(source, config), f"failed: {reason}", [])
            continue
        try:
            feed = parse_feed(answer, memo)
        except NotAFeed as exc:
            results[i] = read_page(source, answer, window, exc, statuses, config)
            if not results[i]:
                gave_nothing.append(answer.url)
            continue
        if feed.problem:
            log.warning(
                "source %s: the feed is malformed (%s); read %d entries anyway",
                label,
                feed.problem,
                len(feed.entries),
            )
        outlet = source.name or feed.title or host_of(answer.final_url)
        feeds.append((i, FeedSource(label=label, outlet=outlet, weight=source.weight, feed=feed), answer))
    fetcher.forget(gave_nothing)
    FeedReader(fetcher, memo, config.fetch, window).read([f for _, f, _ in feeds])
    for i, feed_source, answer in feeds:
        results[i] = feed_source.articles
        report_feed(sources[i], feed_source, answer, statuses, config)
    return results


def read_page(
    source: SourceSettings,
    answer: Fetched,
    window: Window | None,
    why: NotAFeed,
    statuses: SourceStatus,
    config: Config,
) -> list[RawArticle]:
    """A URL that holds a web page (or a feed that is really a page) is one article."""
    label = source_label(source)
    key = source_key(source, config)
    if not is_html(answer):
        log.warning("source %s: %s; skipped", label, why)
        statuses.record(key, f"failed: {why}", [])
        return []
    page = read_html(answer.text, url=answer.final_url, outlet=source.name, weight=source.weight)
    if page is None:
        statuses.record(key, "failed: no article text found in the page", [])
        return []
    if window is not None and not window.contains(page.published):
        log.info(
            "source %s: the page was published %s, outside the window; skipped",
            label,
            page.published.isoformat() if page.published else "?",
        )
        statuses.record(key, "ok, page outside the window", [page], count=1)
        return []
    statuses.record(key, status_of(answer, "ok, page"), [page], count=1)
    return [page]


def report_feed(
    source: SourceSettings, feed: FeedSource, answer: Fetched, statuses: SourceStatus, config: Config
) -> None:
    if feed.failed_pages:
        # A refused link (an internal address) is named first: it may be an attack.
        failed = sorted(feed.failed_pages, key=lambda line: REFUSED not in line)
        log.warning(
            "source %s: %d linked page(s) could not be read, their teasers used instead (first: %s)",
            feed.label,
            len(failed),
            failed[0],
        )
    status = status_of(answer, "ok")
    if feed.failed_pages:
        status += f", {len(feed.failed_pages)} page(s) failed"
    statuses.record(
        source_key(source, config), status, feed.articles, count=len(feed.feed.entries), newest=newest(feed)
    )


def status_of(answer: Fetched, status: str) -> str:
    return f"{status} (not modified)" if answer.from_cache else status


def newest(feed: FeedSource) -> datetime | None:
    dates = [e.published for e in feed.feed.entries if e.published]
    return max(dates) if dates else None


def source_label(source: SourceSettings) -> str:
    """How messages name a source: its name and URL (never credentials) or path."""
    where = source.path or (safe_url(source.url) if source.url else "no path or url")
    return f"'{source.name}' ({where})" if source.name else where


def source_key(source: SourceSettings, config: Config) -> str:
    if source.path:
        return str(config.resolve(source.path))
    if source.url:
        return safe_url(source.url)
    return f"(neither path nor url) {source.name or ''}".strip()


def host_of(url: str) -> str:
    try:
        return check_url(url).host
    except FetchError:
        return url


@dataclass(frozen=True)
class Status:
    source: str
    checked: datetime
    status: str
    entries: int
    articles: int
    newest: datetime | None


class SourceStatus:
    """The last outcome of each source, for `digest sources`."""

    def __init__(self, state: StateDB):
        self.db = state.connection
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS source_status ("
            " source TEXT PRIMARY KEY, checked REAL NOT NULL, status TEXT NOT NULL,"
            " entries INTEGER NOT NULL, articles INTEGER NOT NULL, newest TEXT)"
        )
        self.db.commit()
        self.drop_leaked_keys()

    def drop_leaked_keys(self) -> None:
        """Rows keyed by a URL that still holds a password: earlier versions missed
        passwords with an unencoded / ? or #, and such a row outlived the fix."""
        keys = [key for (key,) in self.db.execute("SELECT source FROM source_status")]
        leaked = [(key,) for key in keys if "@" in key and safe_url(key) != key]
        if leaked:
            with self.db:
                self.db.executemany("DELETE FROM source_status WHERE source = ?", leaked)

    def record(
        self,
        source: str,
        status: str,
        articles: list[RawArticle],
        count: int | None = None,
        newest: datetime | None = None,
    ) -> None:
        dates = [a.published for a in articles if a.published]
        newest = newest or (max(dates) if dates else None)
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO source_status VALUES (?, ?, ?, ?, ?, ?)",
                (
                    source,
                    time.time(),
                    status,
                    len(articles) if count is None else count,
                    len(articles),
                    newest.isoformat() if newest else None,
                ),
            )

    def get(self, source: str) -> Status | None:
        row = self.db.execute("SELECT * FROM source_status WHERE source = ?", (source,)).fetchone()
        if row is None:
            return None
        return Status(
            source=row[0],
            checked=datetime.fromtimestamp(row[1], UTC),
            status=row[2],
            entries=row[3],
            articles=row[4],
            newest=datetime.fromisoformat(row[5]) if row[5] else None,
        )
