"""Read articles from local files and folders into RawArticle objects.

Supported: .txt and .md (plain text; the cleaner picks the headline), .html
and .htm (main text, title, date and site name found by trafilatura), and
.json (one object or a list of objects with title, text, url, published,
source). Every bad file gets a one-line warning naming it and is skipped;
the other files are still read.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from digest.ingest.split_body import join_split_body
from digest.models import RawArticle
from digest.text.charsets import decode_bom, decode_wide, detect_charset

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES

# A page saved as .txt is still a page: its markup must not become text.
HTML_START = re.compile(
    r"\A\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)

# No news article is this big: past it we read the start only (and say so),
# so one stray dump cannot stall the run or fill memory.
MAX_FILE_BYTES = 5 * 1024 * 1024

CONTROL_BYTES = tuple(bytes([code]) for code in range(32) if code not in b"\t\n\r\x0c\x1b")


def read_paths(paths: Sequence[Path], outlet: str | None = None, weight: float = 1.0) -> list[RawArticle]:
    """Read every article in the files and folders given, in a stable order.
    A file named twice (itself and through its folder) is read once."""
    articles: list[RawArticle] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            articles.extend(read_folder(path, outlet, weight, seen))
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                log.warning("%s: skipped, not an article file (expected %s)", path, suffix_list())
            elif first_time(path, seen):
                articles.extend(read_file(path, outlet, weight))
        else:
            log.warning("%s: skipped, no such file or folder", path)
    return articles


def first_time(path: Path, seen: set[Path]) -> bool:
    real = path.resolve()
    if real in seen:
        log.debug("%s: already read", path)
        return False
    seen.add(real)
    return True


def read_folder(folder: Path, outlet: str | None, weight: float, seen: set[Path]) -> list[RawArticle]:
    articles: list[RawArticle] = []
    found = fresh = 0
    for path in folder_files(folder):
        if path.suffix.lower() not in SUFFIXES:
            log.debug("%s: not an article file; ignored", path)
            continue
        found += 1
        if first_time(path, seen):
            fresh += 1
            articles.extend(read_file(path, outlet, weight))
    if not found:
        log.warning("%s: no article files in this folder (looked for %s)", folder, suffix_list())
    elif fresh and not articles:
        log.warning("%s: none of its %d article files could be read", folder, fresh)
    return articles


def folder_files(folder: Path) -> Iterator[Path]:
    """Files under `folder`, recursively, sorted; hidden files and folders left out."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative):
            continue
        if path.is_file():
            yield path


def suffix_list() -> str:
    return ", ".join(sorted(SUFFIXES))


def read_file(path: Path, outlet: str | None = None, weight: float = 1.0) -> list[RawArticle]:
    """Read one file; a problem is a warning naming the file, never an exception."""
    data = read_capped(path)
    if data is None:
        return []
    return read_data(data, path, outlet, weight)


def read_data(data: bytes, path: Path, outlet: str | None = None, weight: float = 1.0) -> list[RawArticle]:
    """Read the bytes of a file named `path` (its suffix says the format)."""
    text = decode(data, path)
    if text is None:
        return []
    if not text.strip():
        log.warning("%s: skipped, the file is empty", path)
        return []
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix in TEXT_SUFFIXES and HTML_START.match(text)):
        article = read_html(text, path=str(path), outlet=outlet, weight=weight)
        if article is None:
            log.warning("%s: skipped, no article text found in the page", path)
            return []
        return [article]
    if suffix in JSON_SUFFIXES:
        return read_json(text, path, outlet, weight)
    raw = RawArticle(text=text, title=None, path=str(path), outlet=outlet, weight=weight)
    return [read_markdown(raw) if suffix == ".md" else raw]


def read_capped(path: Path) -> bytes | None:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        log.warning("%s: skipped, cannot be read (%s)", path, exc.strerror or exc)
        return None
    if len(data) > MAX_FILE_BYTES:
        # Cut at a line end so no character or paragraph is cut in half.
        data = data[:MAX_FILE_BYTES]
        data = data[: data.rfind(b"\n") + 1] or data
        log.warning(
            "%s: larger than %d MB; truncated, only the first %d MB are read",
            path,
            MAX_FILE_BYTES // 2**20,
            MAX_FILE_BYTES // 2**20,
        )
    return data


def decode(data: bytes, path: Path) -> str | None:
    """UTF-8 first; else cp1252 when it reads as Western text; else the charset
    detected; Latin-1 as the last resort (it decodes any byte)."""
    text = decode_bom(data)
    if text is None:
        text = decode_wide(data)
    if text is not None:
        return text
    if b"\x00" in data[:65536] or looks_binary(data):
        log.warning("%s: skipped, a binary file (control bytes), not text", path)
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = western(data)
    if text is not None:
        log.warning("%s: not UTF-8; read as cp1252 (Western European)", path)
        return text
    encoding = detect_charset(data) or "latin-1"
    log.warning("%s: not UTF-8; read as %s (detected)", path, encoding)
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return data.decode("latin-1")


def western(data: bytes) -> str | None:
    """The text as cp1252 (a superset of Latin-1's printable range) if it
    reads as Western European text: a few accented letters among many plain
    ones. Charset detection guesses badly on short texts of this kind (it
    takes "fermé après" for Baltic cp1257), so this is tried first; text in
    another script decodes to nearly all accented letters and fails here."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = sum(ch.isalpha() for ch in text)
    accented = sum(ch.isalpha() and not ch.isascii() for ch in text)
    return text if letters and accented <= letters * 0.2 else None


def looks_binary(data: bytes) -> bool:
    """Many C0 control bytes (other than tab/CR/LF/FF/ESC) mean this is not text."""
    sample = data[:65536]
    controls = sum(sample.count(byte) for byte in CONTROL_BYTES)
    return controls > len(sample) * 0.01


# --- HTML --------------------------------------------------------------------


def read_html(
    html: str,
    *,
    path: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    weight: float = 1.0,
) -> RawArticle | None:
    """The main text of a web page, with its title, date and site name;
    None when the page holds no article text (the caller says so, naming
    the file or feed it came from)."""
    # Imported here: trafilatura takes about a second to import, and most
    # runs read no HTML at all.
    import trafilatura

    try:
        page = join_split_body(html)
        doc = trafilatura.bare_extraction(
            html if page is None else page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            deduplicate=False,
            date_extraction_params={"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True},
        )
    except Exception as exc:  # noqa: BLE001 - a broken page must not stop the others
        log.debug("%s: the HTML could not be parsed (%s)", url or path, exc)
        return None
    if doc is None or isinstance(doc, dict):  # a dict only with as_dict=True, which is not asked for
        return None
    text = (doc.text or "").strip()
    if not text:
        return None
    return RawArticle(
        text=text,
        title=(doc.title or "").strip() or None,
        path=path,
        url=url or web_url(doc.url),
        outlet=outlet or (doc.sitename or "").strip() or None,
        published=parse_published(doc.date),
        weight=weight,
    )


def web_url(value: str | None) -> str | None:
    """A page's canonical URL is worth keeping only if it is http(s)."""
    if value and re.match(r"https?://", value, re.IGNORECASE):
        return value
    return None


# --- JSON --------------------------------------------------------------------


def read_json(text: str, path: Path, outlet: str | None, weight: float) -> list[RawArticle]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        log.warning(
            "%s: skipped, invalid JSON at line %d column %d (%s)", path, exc.lineno, exc.colno, exc.msg
        )
        return []
    items = data if isinstance(data, list) else [data]
    articles = []
    for number, item in enumerate(items, start=1):
        article = json_article(item, path, number, outlet, weight)
        if article:
            articles.append(article)
    if not articles:
        log.warning("%s: no usable article in this JSON file", path)
    return articles


def json_article(item: Any, path: Path, number: int, outlet: str | None, weight: float) -> RawArticle | None:
    where = f"{path} (item {number})"
    if not isinstance(item, dict):
        log.warning("%s: skipped, expected an object with title and text", where)
        return None
    url = web_url(text_field(item, "url", "link"))
    text = text_field(item, "text", "content", "body")
    if not text and text_field(item, "html"):
        raw = read_html(item["html"], path=str(path), url=url, outlet=outlet, weight=weight)
        if raw is None:
            log.warning('%s: skipped, no article text found in its "html"', where)
            return None
        return json_fields(raw, item, outlet)
    if not text:
        log.warning('%s: skipped, no "text" field', where)
        return None
    raw = RawArticle(text=text, path=str(path), url=url, outlet=outlet, weight=weight)
    return json_fields(raw, item, outlet)


def json_fields(raw: RawArticle, item: dict[str, Any], outlet: str | None) -> RawArticle:
    """Fill title, outlet and date from the item, the caller's outlet first."""
    source = item.get("source")
    if isinstance(source, dict):  # the NewsAPI shape: {"id": ..., "name": ...}
        source = source.get("name")
    return replace(
        raw,
        title=text_field(item, "title", "headline") or raw.title,
        outlet=outlet or as_text(source) or text_field(item, "outlet") or raw.outlet,
        published=parse_published(item.get("published") or item.get("publishedAt") or item.get("date"))
        or raw.published,
    )


def text_field(item: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = as_text(item.get(name))
        if value:
            return value
    return None


def as_text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


# --- dates and markdown ------------------------------------------------------


def parse_published(value: Any) -> datetime | None:
    """An aware datetime from ISO 8601, RFC 2822 or a Unix time; naive times are UTC."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            log.debug("unreadable date %r", value)
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
MD_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")
MD_RULE = re.compile(r"^\s*([-*_]\s*){3,}$", re.MULTILINE)
MD_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
FRONT_MATTER_FIELD = re.compile(r"^(title|date|published)\s*:\s*(.+?)\s*$", re.MULTILINE)


def read_markdown(raw: RawArticle) -> RawArticle:
    """Title and date from YAML front matter (as Jekyll and Hugo write it),
    and the text without Markdown markup."""
    text = raw.text.replace("\r\n", "\n")
    fields: dict[str, str] = {}
    if front := MD_FRONT_MATTER.match(text):
        fields = {name: value.strip("\"'") for name, value in FRONT_MATTER_FIELD.findall(front[1])}
        text = text[front.end() :]
    return replace(
        raw,
        text=unwrap_markdown(text),
        title=fields.get("title") or None,
        published=parse_published(fields.get("date") or fields.get("published")),
    )


def unwrap_markdown(text: str) -> str:
    """Markdown to plain text: keep the words, drop the markup and images."""
    text = MD_IMAGE.sub("", text)
    text = MD_LINK.sub(r"\1", text)
    text = MD_HEADING.sub("", text)
    text = MD_RULE.sub("", text)
    return MD_EMPHASIS.sub("", text)
