"""Text signals that survive translation: numbers and name-like words.

Numbers are written with the same digits in nearly every language the
encoder covers ("2,000", "2.000" and "2 000" all become "2000"), and names of
people, places and organisations keep their spelling across Latin-script
languages. Both are cheap, and both catch what a sentence embedding blurs:
two earthquakes, two football matches or two award ceremonies read alike to
the encoder, but not to their numbers and names.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from digest.text.figures import figures

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
_ELISION = re.compile(r"^[^\W\d_]{1,2}['’]")
STEM = 6  # name-like words are compared by their first letters: Ukraine/Ukrainian/Ukrainy
MIN_NAME = 3


def numbers(text: str) -> frozenset[str]:
    """The figures of 10 or more: smaller ones are too common to tell two events apart."""
    return frozenset(f for f in figures(text) if float(f) >= 10)


def names(text: str) -> frozenset[str]:
    """Capitalised words that never appear lower-case in the text (names, not sentence starts).

    Words in a Latin script inside a text in another script (a name left in
    the original in a Chinese or Arabic article) count as names too.
    """
    return frozenset(name_counts(text))


def name_counts(text: str) -> Counter[str]:
    """Each name of `names` (folded, first STEM letters) with how often the text writes it."""
    words = _WORD.findall(text)
    lower = {w for w in words if w[0].islower()}
    found: Counter[str] = Counter()
    for word in words:
        word = _ELISION.sub("", word)  # l'Ukraine, d'Italia
        if len(word) < MIN_NAME:
            continue
        if word[0].isupper() and word.lower() not in lower:
            found[fold(word)[:STEM]] += 1
    return found


def fold(word: str) -> str:
    """Lower-case without accents: Zürich -> zurich, Łódź -> lodz."""
    word = word.casefold().replace("ł", "l").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    """Share of the smaller set found in the other; None when either is empty."""
    if not a or not b:
        return None
    return len(a & b) / min(len(a), len(b))
