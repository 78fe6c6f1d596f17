"""The HTTP cache: validators and bodies of earlier answers, for conditional GET.

Only what a later run can use is kept: answers with an ETag or Last-Modified
that the caller asked to keep (feeds and pages read as sources; not teaser
pages, whose extracted article is remembered instead) and that gave
something (`forget` drops a body that was neither a feed nor an article).
The cache is capped: a row not confirmed (200 or 304) for `[fetch]
cache_days` is dropped, and past `[fetch] cache_max_bytes` of bodies in all
the least recently confirmed go first; a body larger than the cap alone is
not kept.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from digest.state import StateDB


@dataclass(frozen=True)
class CachedBody:
    final_url: str
    etag: str | None
    last_modified: str | None
    media_type: str
    charset: str | None
    body: bytes

    def validators(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class ToStore:
    """An answer to keep: the body under `url` (as asked for, without credentials)."""

    url: str
    cached: CachedBody


class HttpCache:
    """Validators and bodies of earlier answers, by URL (without credentials)."""

    def __init__(self, state: StateDB, max_bytes: int = 50_000_000, keep_days: float = 30):
        self.db = state.connection
        self.max_bytes = max_bytes
        self.keep_days = keep_days
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS http_cache ("
            " url TEXT PRIMARY KEY, final_url TEXT NOT NULL, etag TEXT, last_modified TEXT,"
            " media_type TEXT NOT NULL, charset TEXT, body BLOB NOT NULL, stored REAL NOT NULL)"
        )
        self.db.commit()

    def lookup(self, url: str) -> CachedBody | None:
        row = self.db.execute(
            "SELECT final_url, etag, last_modified, media_type, charset, body FROM http_cache WHERE url = ?",
            (url,),
        ).fetchone()
        return CachedBody(*row) if row else None

    def update(self, items: Sequence[ToStore], confirmed: Sequence[str]) -> None:
        """Keep each answer in `items`, mark the `confirmed` URLs (answered 304) as
        still in use, and prune by age and size, in one transaction."""
        now = time.time()
        rows = [
            (i.url, c.final_url, c.etag, c.last_modified, c.media_type, c.charset, c.body, now)
            for i in items
            if len((c := i.cached).body) <= self.max_bytes
        ]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO http_cache VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self.db.executemany(
                "UPDATE http_cache SET stored = ? WHERE url = ?", [(now, url) for url in confirmed]
            )
            self.db.execute("DELETE FROM http_cache WHERE stored < ?", (now - self.keep_days * 86400,))
            # Past the cap, the least recently confirmed bodies go first.
            self.db.execute(
                "DELETE FROM http_cache WHERE url IN (SELECT url FROM (SELECT url, SUM(length(body))"
                " OVER (ORDER BY stored DESC, url) AS total FROM http_cache) WHERE total > ?)",
                (self.max_bytes,),
            )

    def forget(self, urls: Sequence[str]) -> None:
        """Drop the bodies of `urls`: they gave nothing, so a 304 would give nothing again."""
        if urls:
            with self.db:
                self.db.executemany("DELETE FROM http_cache WHERE url = ?", [(u,) for u in urls])
