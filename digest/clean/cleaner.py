"""Clean a raw article: repair its text, strip page furniture, pick the
headline, detect the language.

Works line by line (a line is a paragraph): `furniture` and `notices` judge
each line on its own, `context` adds what its neighbours say. This module
keeps the rest of the article (lists, subheads and unpunctuated paragraphs
included), drops what precedes the headline, short labels after the last
paragraph and paragraphs pasted twice. It costs a few milliseconds per
article.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import pairwise

import ftfy

from digest.clean.context import mark_furniture
from digest.clean.furniture import (
    CLOSERS,
    OPENERS,
    ends_like_sentence,
    is_bullet,
    sentences,
    word_count,
)
from digest.clean.language import detect_language
from digest.models import Article, RawArticle

log = logging.getLogger(__name__)

MAX_RAW_CHARS = 200_000  # read at most this much of one article (a long feature is ~60,000)
MAX_TEXT_CHARS = 100_000  # and keep at most this much clean text (~15,000 words)
MIN_PROSE_WORDS = 8  # a line of prose: ends like a sentence, at least this many words
MAX_TAIL_LABELS = 2  # more lines than this without a stop after the last prose form a block
TAIL_LABEL_WORDS = 3  # a line this short without a final stop after the last prose is a label
MAX_TITLE_WORDS = 25
MIN_REPEAT_WORDS = 20  # shorter paragraphs may repeat
NEAR_REPEAT = 0.7  # share of a paragraph's word triples already seen in one earlier paragraph

SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
TITLE_SEPARATOR = re.compile(r"\s+[|\u2013\u2014:-]{1,2}\s+")
NON_WORD = re.compile(r"[\W_]+")
WORD_CHAR = re.compile(r"\w")
BARE_LINK = re.compile(r"^(?:https?://|www\.)\S+$")


@dataclass(frozen=True)
class Page:
    """The lines of an article and which of them are furniture."""

    lines: list[str]  # "" for a blank line
    furniture: list[bool]


def clean_article(raw: RawArticle) -> Article | None:
    """The article without page furniture, or None (with a warning) if nothing is left."""
    page = read_page(raw)
    title, used = pick_title(raw, page)
    paragraphs = body_paragraphs(page, title, used)
    if not paragraphs and used is not None:
        # The headline was all there was: a one-sentence article.
        paragraphs = [page.lines[used]]
    if not paragraphs and title and (raw.url or raw.published or key(raw.text) == key(title)):
        # A wire flash, or a feed entry whose page could not be read: the
        # headline is the news, and the link or date makes it a source.
        paragraphs = [title]
    if not title or not paragraphs:
        if title and not raw.text.strip():
            log.warning("%s: skipped, only a headline (no text, link or date)", raw.origin)
        else:
            log.warning("%s: skipped, no article text left after removing page furniture", raw.origin)
        return None
    text = cap_length("\n\n".join(paragraphs), raw.origin)
    return Article(
        title=title,
        text=text,
        language=detect_language(f"{title}. {text[:3000]}"),
        path=raw.path,
        url=raw.url,
        outlet=raw.outlet,
        published=raw.published,
        weight=raw.weight,
    )


# --- lines ------------------------------------------------------------------------


def read_page(raw: RawArticle) -> Page:
    text = raw.text
    if len(text) > MAX_RAW_CHARS:
        # Not a warning of its own: cap_length will say the text was cut.
        log.debug("%s: only the first %d characters are read", raw.origin, MAX_RAW_CHARS)
        text = text[:MAX_RAW_CHARS]
    lines = unwrap([normalise(line) for line in fix_text(text).split("\n")])
    return Page(lines=lines, furniture=mark_furniture(lines))


def fix_text(text: str) -> str:
    """Repair mojibake (UTF-8 read as Latin-1 or cp1252) and HTML entities;
    curly quotes are kept, they are not an error."""
    return ftfy.fix_text(text, uncurl_quotes=False)


def normalise(line: str) -> str:
    return SPACES.sub(" ", INVISIBLE.sub("", line)).strip()


def unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped paragraphs (text broken at a fixed width, as in
    e-mails and some text dumps) so that a line is a paragraph again."""
    filled = [line for line in lines if line]
    if len(filled) < 6:
        return lines
    width = max(len(line) for line in filled)
    if width > 100 or wrapped_breaks(lines, width) < len(filled) * 0.25:
        return lines
    joined: list[str] = []
    carry = False  # the previous line ran to the margin: this one continues it
    for line in lines:
        if carry and line:
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
        carry = bool(line) and len(line) >= width * 0.6
    return joined


def wrapped_breaks(lines: list[str], width: int) -> int:
    """Line breaks that cut a sentence: a line near the margin without a
    final stop, followed by a line that goes on in lower case."""
    return sum(
        len(line) >= width * 0.6 and not ends_like_sentence(line) and nxt[:1].islower()
        for line, nxt in pairwise(lines)
    )


# --- headline --------------------------------------------------------------------


def pick_title(raw: RawArticle, page: Page) -> tuple[str, int | None]:
    """The headline, and the index of the line it was taken from (if taken whole)."""
    if raw.title and (title := tidy_title(fix_text(raw.title), raw.outlet)):
        return title, None
    for i, line in enumerate(page.lines):
        if not line or page.furniture[i] or word_count(line) < 2:  # "World", "IBC"
            continue
        if len(sentences(line)) == 1 and word_count(line) <= MAX_TITLE_WORDS and len(line) <= 250:
            return tidy_title(line, None), i
        # A paragraph, not a headline: its first sentence stands in, the
        # paragraph stays in the body.
        return shorten(first_sentence(line)), None
    return "", None


def tidy_title(title: str, outlet: str | None) -> str:
    title = normalise(re.sub(r"^#+\s*", "", title.replace("\n", " ")))
    title = strip_site_name(title, outlet)
    head, bar, _ = title.partition(" | ")
    if bar and word_count(head) >= 3:  # "Headline | Site | Section"
        title = head
    if title[:1] in "\u00bb\u00ab" and title[-1:] in "\u00bb\u00ab":
        title = title[1:-1].strip()
    return shorten(title)


def strip_site_name(title: str, outlet: str | None) -> str:
    """ "Headline | The Daily" -> "Headline" when the tail is the site's name."""
    parts = TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    tail = parts[-1].casefold()
    if outlet and len(tail) >= 3 and (tail in outlet.casefold() or outlet.casefold() in tail):
        return title[: title.rfind(parts[-1])].rstrip(" |:-\u2013\u2014")
    return title


def first_sentence(line: str) -> str:
    """The first sentence long enough to be a headline."""
    parts = sentences(line)
    title = parts[0]
    for part in parts[1:]:
        if word_count(title) >= 5:
            break
        title = f"{title} {part}"
    return title


def shorten(title: str) -> str:
    words = title.split()
    if len(words) <= MAX_TITLE_WORDS:
        return title
    return " ".join(words[:MAX_TITLE_WORDS]).rstrip(",;:") + "\u2026"


# --- body -------------------------------------------------------------------------


def body_paragraphs(page: Page, title: str, used: int | None) -> list[str]:
    title_key = key(title)
    start = headline_line(page, title_key)
    lines = [
        line
        for i, line in enumerate(page.lines)
        if i > start and line and not page.furniture[i] and i != used and key(line) != title_key
    ]
    # A line without a letter or digit ("-", "* * *") separates parts of the
    # page (which trim_edges looks at) but says nothing itself.
    return drop_repeats([line for line in trim_edges(lines) if WORD_CHAR.search(line)])


def headline_line(page: Page, title_key: str) -> int:
    """The index of the headline in the first third of the page, or -1. What
    comes before it is the page above the article (a sidebar, teasers)."""
    filled = [i for i, line in enumerate(page.lines) if line]
    early = filled[: -(-len(filled) // 3)]  # the first third, rounded up
    return next((i for i in early if key(page.lines[i]) == title_key), -1)


def is_prose(line: str) -> bool:
    return ends_like_sentence(line) and word_count(line) >= MIN_PROSE_WORDS


def trim_edges(lines: list[str]) -> list[str]:
    """Inside the article, a line that does not end like a sentence is a list
    item, a subhead, a schedule line or a paragraph without its final stop,
    and stays. Past the last paragraph of prose, a short one is a label the
    page left behind (a section name, a tag, a channel's logo), unless it
    is a bullet or a table row, or a list is under way."""
    last = next((i for i in range(len(lines) - 1, -1, -1) if is_prose(lines[i])), None)
    if last is None:
        # A text with no sentence at all (a feed snippet, a bare list) is still
        # the article: keep its lines rather than lose it.
        return lines
    if any(line.endswith(":") for line in lines[last:]):
        return lines  # a list is under way
    # An image or logo address left from the page's metadata.
    tail = [line for line in lines[last + 1 :] if not BARE_LINK.match(line)]
    if sum(not ends_like_sentence(line) for line in tail) <= MAX_TAIL_LABELS:
        # More would be a block of its own (opening hours, prices, contacts).
        tail = [line for line in tail if not is_label(line)]
    return lines[: last + 1] + tail


def is_label(line: str) -> bool:
    return not (
        ends_like_sentence(line) or word_count(line) > TAIL_LABEL_WORDS or is_bullet(line) or "|" in line
    )


def key(text: str) -> str:
    """Case, quotes and punctuation do not make a line different."""
    return NON_WORD.sub(" ", text.strip(OPENERS + CLOSERS).casefold()).strip()


def drop_repeats(paragraphs: list[str]) -> list[str]:
    """Keep the first of exact or near-exact repeated paragraphs.

    Near-exact: most of a paragraph's word triples occur in one earlier
    paragraph (pasted twice with a word changed, or a pull quote lifted from
    the text). A longer paragraph that adds to an earlier one is kept. An
    index from triple to paragraph keeps this linear in practice.
    """
    kept: list[str] = []
    seen: set[str] = set()
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for paragraph in paragraphs:
        if not ends_like_sentence(paragraph) or word_count(paragraph) < MIN_REPEAT_WORDS:
            # Short lines and list items repeat on purpose (the questions of
            # an interview, the same dish in each day's menu); a paragraph of
            # prose that comes twice was pasted twice.
            kept.append(paragraph)
            continue
        normal = key(paragraph)
        if normal in seen:
            continue
        triples = word_triples(normal)
        if len(triples) >= 4 and is_near_repeat(triples, index):
            continue
        seen.add(normal)
        for triple in triples:
            index[triple].append(len(kept))
        kept.append(paragraph)
    return kept


def word_triples(normal: str) -> set[tuple[str, ...]]:
    words = normal.split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def is_near_repeat(
    triples: set[tuple[str, ...]],
    index: dict[tuple[str, ...], list[int]],
) -> bool:
    shared = Counter(j for triple in triples for j in index.get(triple, ()))
    return any(common >= NEAR_REPEAT * len(triples) for common in shared.values())


def cap_length(text: str, origin: str) -> str:
    if len(text) <= MAX_TEXT_CHARS:
        return text
    log.warning("%s: article text over %d characters; the rest is left out", origin, MAX_TEXT_CHARS)
    cut = text.rfind("\n\n", 0, MAX_TEXT_CHARS)
    return text[: cut if cut > 0 else MAX_TEXT_CHARS]
