"""Join an article body that the page splits into several containers.

Some sites cut the article into sibling blocks of the same class (to put an
advert or a "most popular" rail between them): trafilatura takes the first
block for the article and loses the rest. Blocks of one article-body class
that are not nested in each other, and each hold paragraphs of text (not a
list of teasers), are joined into the first before extraction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

BODY_CLASS = re.compile(
    r"(?:article|story|post|entry|content)[-_]{0,2}(?:body|content|text)\b", re.IGNORECASE
)
MIN_PARAGRAPHS = 2  # a block of the article holds paragraphs; a teaser holds one
MIN_WORDS = 40


def join_split_body(html: str) -> Any | None:
    """The page's parsed tree with its split body joined, or None when the
    body is not split (the caller then extracts from the page as it is)."""
    from trafilatura.utils import load_html  # imported late: trafilatura loads slowly

    tree = load_html(html)
    if tree is None:
        return None
    groups: dict[str, list[Any]] = defaultdict(list)
    for element in tree.iter("div", "section", "article"):
        name = element.get("class") or ""
        if BODY_CLASS.search(name):
            groups[name].append(element)
    joined = False
    for blocks in groups.values():
        if len(blocks) > 1 and are_article_blocks(blocks):
            first = blocks[0]
            for block in blocks[1:]:
                first.extend(list(block))
                block.getparent().remove(block)
            joined = True
    return tree if joined else None


def are_article_blocks(blocks: list[Any]) -> bool:
    if any(block in other.iterancestors() for block in blocks for other in blocks):
        return False
    return all(
        len(block.findall(".//p")) >= MIN_PARAGRAPHS and len(" ".join(block.itertext()).split()) >= MIN_WORDS
        for block in blocks
    )
