"""Plain data classes that flow between the pipeline stages.

ingest -> RawArticle -> clean -> Article -> summarise -> Article(summary=...)
-> deduplicate -> Story -> rank -> Issue -> render -> RenderedEmail -> write.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from typing import Any

from digest.text.headline import stand_in


@dataclass(frozen=True)
class RawArticle:
    """An article as read from a file, feed or page, before cleaning.

    `text` is already plain text (HTML and JSON are unpacked by the reader);
    `title` is None when the reader could not tell it (e.g. a .txt file), in
    which case the cleaner picks the first line that is not page furniture.
    """

    text: str
    title: str | None = None
    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    weight: float = 1.0

    @property
    def origin(self) -> str:
        return self.url or self.path or "<unknown>"


@dataclass(frozen=True)
class Article:
    """A clean article: headline, body text free of page furniture, language."""

    title: str
    text: str
    language: str
    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    weight: float = 1.0
    summary: str = ""

    @property
    def origin(self) -> str:
        return self.url or self.path or "<unknown>"

    @property
    def content_hash(self) -> str:
        """Stable key for caches: the same title and text give the same hash."""
        digest = hashlib.sha256()
        digest.update(self.title.encode("utf-8"))
        digest.update(b"\0")
        digest.update(self.text.encode("utf-8"))
        return digest.hexdigest()

    def with_summary(self, summary: str) -> Article:
        return replace(self, summary=summary)


@dataclass
class Story:
    """One event, told by one or more articles (its sources)."""

    members: list[Article]
    best: int = 0  # index in members of the article that gives the headline
    summary: str = ""
    language: str = ""
    update: bool = False  # a story sent before that has new facts ("Developing")

    @property
    def headline(self) -> str:
        """The best member's title; its first sentence when the title is a time stamp, not a headline."""
        lead = self.members[self.best]
        return stand_in(lead.title, lead.text, lead.language)

    @property
    def lead(self) -> Article:
        return self.members[self.best]

    @property
    def outlets(self) -> set[str]:
        return {m.outlet or m.origin for m in self.members}

    @property
    def newest(self) -> datetime | None:
        dates = [m.published for m in self.members if m.published is not None]
        return max(dates) if dates else None


@dataclass(frozen=True)
class SourceRef:
    """One source line under a story in the issue."""

    title: str
    url: str | None
    path: str | None
    outlet: str | None
    language: str
    published: str | None  # ISO 8601

    @classmethod
    def from_article(cls, article: Article) -> SourceRef:
        published = article.published.isoformat() if article.published else None
        return cls(
            title=article.title,
            url=article.url,
            path=article.path,
            outlet=article.outlet,
            language=article.language,
            published=published,
        )


@dataclass(frozen=True)
class IssueStory:
    rank: int
    headline: str
    summary: str
    language: str
    sources: tuple[SourceRef, ...]
    update: bool = False


@dataclass(frozen=True)
class Issue:
    """What `issue.json` holds, and what the templates receive."""

    date: date
    title: str
    language: str
    stories: tuple[IssueStory, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        for story in data["stories"]:
            story["sources"] = list(story["sources"])
        data["stories"] = list(data["stories"])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Issue:
        stories = tuple(
            IssueStory(
                rank=s["rank"],
                headline=s["headline"],
                summary=s["summary"],
                language=s["language"],
                sources=tuple(SourceRef(**src) for src in s["sources"]),
                update=s.get("update", False),
            )
            for s in data["stories"]
        )
        return cls(
            date=date.fromisoformat(data["date"]),
            title=data["title"],
            language=data["language"],
            stories=stories,
        )


@dataclass(frozen=True)
class RenderedEmail:
    html: str
    text: str
    subject: str
