"""The headline a reader sees: no wire dateline, never cut at an abbreviation.

The cleaner takes a headline from the page, or when there is none the first
sentence of the first paragraph; agency copy then gives "LONDON (AP) _ An
influential lawmaker ... dictator Gen." (a cheap split stops at "Gen."). Here
the dateline goes, and a headline ending on an abbreviation is completed from
the article's own sentence (split by Punkt, which knows "Gen." waits for a
name), shortened at a word that is not an abbreviation if it is too long.
"""

from __future__ import annotations

from digest.text.dateline import ABBREVIATIONS, ends_at_abbreviation, strip_dateline
from digest.text.sentences import split_sentences

MAX_WORDS = 25  # as the cleaner's headlines
ELLIPSIS = "\u2026"


def tidy_headline(title: str, text: str, language: str) -> str:
    title = strip_dateline(title.strip())
    if not ends_at_abbreviation(title):
        return title
    start = title.rstrip(ELLIPSIS + " ")
    opening = split_sentences(text, language)[:3]
    for sentence in opening:
        if sentence.startswith(start):
            return shorten(sentence)
    if " " not in start and opening:  # nothing but the abbreviation: the article's first sentence
        return shorten(opening[0])
    return shorten(start, cut=True)


def shorten(sentence: str, cut: bool = False) -> str:
    """At most MAX_WORDS words, never ending on an abbreviation ("Gen.", "Oct.")."""
    words = sentence.split()
    if len(words) <= MAX_WORDS and not cut:
        return sentence
    words = words[:MAX_WORDS]
    while len(words) > 1 and (words[-1].rstrip(".,;:").lower() in ABBREVIATIONS or cut):
        words.pop()
        cut = False
    return " ".join(words).rstrip(",;:") + ELLIPSIS
