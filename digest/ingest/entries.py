"""Feed entries: one item of an RSS or Atom feed, as plain text with its date and outlet.

`make_entry` reads what feedparser parsed: the title and text as the feed
declares them (plain text stays literal, HTML becomes text), the link when it
is a web link, the date (pubDate / published, then updated / dc:date), and
the outlet an aggregator names for the entry (RSS `<source>`, Atom
`<source><title>`, a `dc:publisher` or `dc:creator` that names a publication).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import lxml.html

from digest.net.credentials import safe_url

MAX_OUTLET_CHARS = 80  # a longer "source name" is not a name
BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre")


@dataclass(frozen=True)
class Entry:
    title: str | None
    link: str | None
    published: datetime | None  # None: the feed gives no date
    text: str  # plain text: the entry's content, else its summary
    outlet: str | None = None  # the publication it comes from, when an aggregator names it

    @property
    def key(self) -> str:
        """Identity of the entry, for 'first seen' dates."""
        return self.link or hashlib.sha256(f"{self.title}\0{self.text}".encode()).hexdigest()


def make_entry(item: Any, atom: bool = False) -> Entry | None:
    """The entry as plain text. In Atom, `type="text"` (the default) means the
    text is plain: "History of the <blink> tag" keeps its "<blink>". An RSS
    title says nothing of its type, so markup in it is markup."""
    parts = [(c.get("value", ""), c.get("type")) for c in item.get("content", [])]
    # feedparser copies an Atom entry's content to its summary, without a type.
    summary_type = (item.get("summary_detail") or {}).get("type") or (parts[0][1] if parts else None)
    parts.append((item.get("summary", ""), summary_type))
    text = max(
        (as_text(value, atom and kind == "text/plain") for value, kind in parts if value), key=len, default=""
    )
    title_type = (item.get("title_detail") or {}).get("type")
    title = plain(item.get("title"), literal=atom and title_type == "text/plain")
    if not text and not title:
        return None
    link = item.get("link")
    # Only http(s) links reach the issue, and never with a password in them.
    return Entry(
        title=title,
        link=safe_url(link) if is_web_link(link) else None,
        published=entry_date(item),
        text=text,
        outlet=entry_outlet(item),
    )


def as_text(value: str, literal: bool) -> str:
    if literal:
        return "\n".join(line for line in (" ".join(part.split()) for part in value.splitlines()) if line)
    return html_to_text(value)


# dc:publisher / dc:creator name a publication when they read like one, not
# like a person ("Jane Doe") or a list of people.
PUBLICATION_WORDS = re.compile(
    r"\b(?:news|times|post|press|herald|journal|gazette|tribune|daily|weekly|review|telegraph|guardian"
    r"|chronicle|observer|express|mail|reuters|associated press|agence|agency|magazine|radio|tv|television"
    r"|broadcasting|media|network|wire|monde|zeitung|diario|peri[oó]dico)\b|\.(?:com|org|net|co\.uk)\b",
    re.IGNORECASE,
)


def entry_outlet(item: Any) -> str | None:
    """The publication an aggregator's entry comes from: RSS 2.0 `<source>`,
    Atom `<source><title>`, or a dc:publisher / dc:creator that names a
    publication. A `<source>` without a usable name is ignored."""
    source = item.get("source")
    if isinstance(source, dict):
        name = plain(source.get("title")) if isinstance(source.get("title"), str) else None
        if name and len(name) <= MAX_OUTLET_CHARS:
            return name
    for field_name in ("publisher", "author"):
        value = plain(item.get(field_name))
        if value and len(value) <= MAX_OUTLET_CHARS and PUBLICATION_WORDS.search(value):
            return value
    return None


def entry_date(item: Any) -> datetime | None:
    """pubDate / published, then updated / dc:date (feedparser files dc:date under updated)."""
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = item.get(name)
        if value:
            try:
                year, month, day, hour, minute, second = value[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def is_web_link(link: Any) -> bool:
    return isinstance(link, str) and link.lower().startswith(("http://", "https://"))


def plain(value: Any, literal: bool = False) -> str | None:
    """A title that may hold markup or entities, as one line of text
    (`literal`: the feed declares it plain text, markup characters and all)."""
    if not isinstance(value, str):
        return None
    text = html_to_text(value) if not literal and ("<" in value or "&" in value) else value
    return " ".join(text.split()) or None


def html_to_text(fragment: str) -> str:
    """An entry's HTML as plain text, one paragraph a line, without scripts and styles."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return fragment.strip()
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    # The parser keeps what is inside <iframe> and <textarea> as raw text,
    # markup and all: read that text as HTML in its turn.
    for raw in root.xpath(".//iframe|.//textarea"):
        if raw.text and "<" in raw.text:
            raw.text = html_to_text(raw.text)
    for block in root.iter(*BLOCK_TAGS):
        block.tail = "\n" + (block.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)
