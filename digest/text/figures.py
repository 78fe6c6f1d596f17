"""Figures in text, written one way in every language: "2,000", "2.000" and "2 000" are all "2000".

Shared by the stages that compare figures: the deduplicator (two events with
different death tolls are two stories), the blurbs (never set one outlet's
figure beside another's) and the faithfulness guard (a summary states no
figure its source does not give).
"""

from __future__ import annotations

import re

# 1,234,567 / 1.234 / 1 234 / 1.234,5 / 3.5 / 3,5 / 2020
_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:(?:[,.' \u00a0\u202f])\d{3})+(?:[.,]\d+)?(?![\d])|\d+(?:[.,]\d+)?"
)


def figures(text: str) -> frozenset[str]:
    """Every number in `text`, written one way: "2,000", "2.000" and "2 000" are all "2000".

    A group of three digits after a comma, dot, space or apostrophe is read as
    thousands; any other comma is a decimal point ("3,5" is "3.5"). The same
    rule on both sides is what matters: it lets a summary be checked against
    its source, and two articles in different languages share their figures.
    """
    found = set()
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"[,.' \u00a0\u202f](?=\d{3}(?!\d))", "", match.group())
        whole, _, fraction = digits.replace(",", ".").partition(".")
        try:
            whole = str(int(whole))  # int() reads Arabic-Indic and other Unicode digits too
            fraction = "".join(str(int(d)) for d in fraction).rstrip("0")
        except ValueError:
            continue
        found.add(f"{whole}.{fraction}" if fraction else whole)
    return frozenset(found)
