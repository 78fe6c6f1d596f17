"""The record of the stories sent, in the state database, day by day.

Each built issue's stories are kept with their articles (title, text,
language, origin, publication time) under the issue's date, so a later
build can tell which of its stories were sent and what they said. Memory
that cannot be read (a table left by another version of digest, a broken
row, a database error) is one warning, and the issue is built as if nothing
had been sent: a story is never left out because memory could not be read.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from digest.models import Article, Story
from digest.state import StateDB

log = logging.getLogger(__name__)

COLUMNS = ("day", "story", "position", "headline", "article")
TABLE = (
    "CREATE TABLE IF NOT EXISTS memory ("
    " day TEXT NOT NULL, story INTEGER NOT NULL, position INTEGER NOT NULL,"
    " headline TEXT NOT NULL, article TEXT NOT NULL,"
    " PRIMARY KEY (day, story, position))"
)
KEEP_DAYS = 60  # rows older than memory_days + this are pruned


@dataclass(frozen=True)
class Remembered:
    """A story of an earlier issue, with the content hashes of its articles."""

    day: date
    headline: str
    articles: tuple[Article, ...]
    keys: frozenset[str]

    @classmethod
    def of(cls, day: date, headline: str, articles: list[Article]) -> Remembered:
        return cls(day, headline, tuple(articles), frozenset(a.content_hash for a in articles))


class SentStories:
    """The stories of the issues built so far, kept in the state database."""

    def __init__(self, state: StateDB, days: int):
        self.state = state
        self.days = days  # [digest] memory_days
        self.warned = False  # one warning per build about memory that cannot be read
        self.usable = self.prepare()

    def prepare(self) -> bool:
        """Create the table; one left by another version of digest is set aside (one warning)."""
        db = self.state.connection
        try:
            columns = tuple(row[1] for row in db.execute("PRAGMA table_info(memory)"))
            with db:
                if columns and columns != COLUMNS:
                    self.warned = True
                    log.warning(
                        "%s: the stories sent before were remembered by another version of digest and "
                        "cannot be read; this issue is built as if nothing had been sent (the old memory "
                        "is kept aside in table memory_outdated)",
                        self.state.folder,
                    )
                    db.execute("DROP TABLE IF EXISTS memory_outdated")
                    db.execute("ALTER TABLE memory RENAME TO memory_outdated")
                db.execute(TABLE)
        except sqlite3.Error as exc:
            self.warned = True
            log.warning(
                "%s: the memory of stories sent before cannot be used (%s); this issue is built as if "
                "nothing had been sent",
                self.state.folder,
                exc,
            )
            return False
        return True

    def earlier(self, day: date) -> list[Remembered]:
        """Stories of the issues of the `days` days before `day`; none when one cannot be read
        (one warning): a story is never left out because memory could not be read."""
        if not self.usable:
            return []
        since = (day - timedelta(days=self.days)).isoformat()
        issue = "?"
        try:
            rows = self.state.connection.execute(
                "SELECT day, story, headline, article FROM memory WHERE day >= ? AND day < ?"
                " ORDER BY day, story, position",
                (since, day.isoformat()),
            ).fetchall()
            grouped: dict[tuple[str, int], tuple[str, list[Article]]] = {}
            for issue, story, headline, article in rows:
                grouped.setdefault((issue, story), (str(headline), []))[1].append(article_from_json(article))
            return [
                Remembered.of(date.fromisoformat(d), headline, articles)
                for (d, _), (headline, articles) in grouped.items()
            ]
        except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError) as exc:
            self.warned = True
            log.warning(
                "%s: the issue of %s remembered there cannot be read (%s: %s); this issue is built "
                "as if nothing had been sent",
                self.state.folder,
                issue,
                type(exc).__name__,
                exc,
            )
            return []

    def check_issues(self, out_dir: Path, day: date) -> None:
        """One warning when an issue built in `out_dir` in the last `days` days is not
        remembered (a new or reset state folder): its stories cannot be left out today."""
        if self.warned:
            return
        since = day - timedelta(days=self.days)
        built = {d for d in self.built_days(out_dir) if since <= d < day}
        try:
            rows = self.state.connection.execute("SELECT DISTINCT day FROM memory").fetchall()
            remembered = {str(row[0]) for row in rows}
        except sqlite3.Error:
            return  # already warned about: memory is unusable
        missing = sorted(d.isoformat() for d in built if d.isoformat() not in remembered)
        if missing:
            log.warning(
                "%s: the issue(s) of %s are not in the memory of sent stories (%s: a new or reset "
                "state folder?); their stories are not left out today",
                out_dir,
                ", ".join(missing),
                self.state.folder,
            )

    @staticmethod
    def built_days(out_dir: Path) -> set[date]:
        days: set[date] = set()
        for folder in out_dir.glob("????-??-??"):
            try:
                if (folder / "issue.json").is_file():
                    days.add(date.fromisoformat(folder.name))
            except ValueError:
                continue
        return days

    def remember(self, day: date, stories: Sequence[Story]) -> None:
        """Keep the stories of the issue of `day` (replacing an earlier build of that day)."""
        with self.state.connection as db:
            self.remember_in(db, day, stories)

    def remember_in(self, db: sqlite3.Connection, day: date, stories: Sequence[Story]) -> None:
        """`remember` inside the caller's transaction, uncommitted: a build commits the
        rows with the swap of the issue's folder (digest.edition.write), so a crash
        leaves the old issue with the old memory or the new with the new."""
        rows = [
            (day.isoformat(), s, p, story.headline, article_to_json(m))
            for s, story in enumerate(stories)
            for p, m in enumerate(story.members)
        ]
        oldest = (day - timedelta(days=self.days + KEEP_DAYS)).isoformat()
        db.execute("DELETE FROM memory WHERE day = ? OR day < ?", (day.isoformat(), oldest))
        db.executemany("INSERT INTO memory VALUES (?, ?, ?, ?, ?)", rows)
        log.debug("memory: remembered %d stories of %s", len(stories), day)


def article_to_json(article: Article) -> str:
    return json.dumps(
        {
            "title": article.title,
            "text": article.text,
            "language": article.language,
            "url": article.url,
            "path": article.path,
            "outlet": article.outlet,
            "published": article.published.isoformat() if article.published else None,
        },
        ensure_ascii=False,
    )


def article_from_json(blob: str) -> Article:
    data = json.loads(blob)
    published = datetime.fromisoformat(data.pop("published")) if data.get("published") else None
    data.pop("published", None)
    return Article(**data, published=published)
