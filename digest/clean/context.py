"""Page furniture in context: each line's own verdict (`furniture`,
`notices`) plus what its neighbours say. A "read more" header and the link
list under it, a comment form and everything after it, short lines stuck
to a furniture line, an unannounced list of links near the end, excerpts of
other posts, and an embedded post in another language than the article.
"""

from __future__ import annotations

from collections import defaultdict

from digest.clean.furniture import (
    CAPTION_WORDS,
    bare,
    ends_like_sentence,
    furniture_kind,
    is_bullet,
    is_comment_header,
    is_link_like,
    is_post_signature,
    read_more_header,
    word_count,
)
from digest.clean.language import UNDETERMINED, detect_language
from digest.clean.notices import notice_kind

MIN_EXCERPT_WORDS = 20  # a teaser cut to length is at least this long
MIN_TEASERS = 3  # bullets in a row that make a list of links
POST_LINES = 4  # lines of an embedded post above its signature line


def mark_furniture(lines: list[str]) -> list[bool]:
    counts = [word_count(line) for line in lines]
    marks = [
        bool(line) and line_kind(line, words) is not None for line, words in zip(lines, counts, strict=True)
    ]
    spaced = lines.count("") * 3 >= len(lines) - lines.count("")
    for i, line in enumerate(lines):
        if not line:
            continue
        words = counts[i]
        if read_more_header(line, words) == "list":
            mark_link_list(lines, marks, i + 1)
        elif is_comment_header(line, words) and i >= len(lines) / 2:
            # A comment form ends the article: what follows is comments.
            marks[i:] = [True] * (len(lines) - i)
            break
        elif spaced and marks[i]:
            mark_attached(lines, marks, i + 1)
    mark_teaser_lists(lines, marks)
    mark_excerpts(lines, marks)
    if any(map(is_post_signature, lines)):
        mark_foreign_posts(lines, marks)
    return marks


def mark_teaser_lists(lines: list[str], marks: list[bool]) -> None:
    """A bulleted list in the last third of the page that nothing introduces
    (no line ending with a colon above it) is a list of links to other
    stories; a list the article announces ("The five are:") stays."""
    i = len(lines) * 2 // 3
    while i < len(lines):
        if not is_bullet(lines[i]):
            i += 1
            continue
        end = i
        while end < len(lines) and (is_bullet(lines[end]) or not lines[end]):
            end += 1
        above = next((line for line in reversed(lines[:i]) if line), "")
        items = sum(map(is_bullet, lines[i:end]))
        if items >= MIN_TEASERS and not above.endswith(":"):
            marks[i:end] = [True] * (end - i)
        i = end


def mark_excerpts(lines: list[str], marks: list[bool]) -> None:
    """Excerpts of other posts: a site cuts each teaser to the same number of
    words and ends it with an ellipsis. Two or more paragraphs cut that way
    (same length, at least MIN_EXCERPT_WORDS) start the list of other posts,
    which runs to the end of the page; the article comes before them."""
    cut: dict[int, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        if line.endswith(("\u2026", "...", "[\u2026]")) and (words := word_count(line)) >= MIN_EXCERPT_WORDS:
            cut[words].append(i)
    starts = [found[0] for found in cut.values() if len(found) >= 2 and found[0] > 0]
    if starts:
        start = min(starts)
        marks[start:] = [True] * (len(lines) - start)


def mark_foreign_posts(lines: list[str], marks: list[bool]) -> None:
    """An embedded post is a quotation and stays, with its signature line,
    unless it is in another language than the article (an English tweet in a
    French report): then it is not the article's text. Its lines are those
    just above the signature, in the post's language."""
    article = detect_language(
        " ".join(line for line, mark in zip(lines, marks, strict=True) if line and not mark)
    )
    for end, line in enumerate(lines):
        if is_post_signature(line) and mark_post_above(lines, marks, end, article):
            marks[end] = True


def mark_post_above(lines: list[str], marks: list[bool], end: int, article: str) -> bool:
    """Mark the lines of the post above signature line `end` if they are in a
    language other than the article's; whether any were."""
    found = False
    for i in range(end - 1, max(end - 1 - POST_LINES, -1), -1):
        if not lines[i] or word_count(lines[i]) > CAPTION_WORDS:
            break
        if marks[i]:  # a link line of the post ("pic.twitter.com/...")
            continue
        if detect_language(lines[i]) in (article, UNDETERMINED):
            break
        marks[i] = found = True
    return found


def line_kind(line: str, words: int | None = None) -> str | None:
    """What kind of furniture a line is on its own (None for article text)."""
    lower = bare(line)
    words = word_count(line) if words is None else words
    return furniture_kind(line, lower, words) or notice_kind(line, lower, words)


def mark_link_list(lines: list[str], marks: list[bool], start: int) -> None:
    """The links under a "read more"/"related" header, up to the next prose.
    Past a blank line only bullets go on the list: an unmarked line there may
    be the headline of the article itself."""
    gap = False
    for i in range(start, len(lines)):
        line = lines[i]
        if not line:
            gap = True
            continue
        if not (marks[i] or is_bullet(line) or (is_link_like(line) and not gap)):
            return
        marks[i] = True


def mark_attached(lines: list[str], marks: list[bool], start: int) -> None:
    """In a page whose paragraphs are set apart by blank lines, short lines
    stuck to a furniture line (no blank between) belong to that furniture:
    a slogan's second line, a caption's credit."""
    for i in range(start, len(lines)):
        line = lines[i]
        if not line or ends_like_sentence(line) or word_count(line) > 12 or is_post_signature(line):
            return
        marks[i] = True
