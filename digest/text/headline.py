"""Headlines: whether a title is one, what stands in for one that is not, and tidying.

`tidy_headline` makes the headline a reader sees: no wire dateline, never cut
at an abbreviation. The cleaner takes a headline from the page, or when there
is none the first sentence of the first paragraph; agency copy then gives
"LONDON (AP) _ An influential lawmaker ... dictator Gen." (a cheap split stops
at "Gen."). The dateline goes, and a headline ending on an abbreviation is
completed from the article's own sentence (split by Punkt, which knows "Gen."
waits for a name), shortened at a word that is not an abbreviation if too long.

Some pages carry no headline where the title should be: the title a reader
sees is a time stamp ("June 06, 2013", "3/27/2012 @ 10: 05AM", "Posted at
3: 21 PM ET, 01/5/2011", "INDONESIA, July 2, 2013"). Such a title says
nothing about the event: compared with another text it adds only noise (two
stamps of one day look alike, and a stamp looks like no headline), and an
issue must never show it as a story's headline.

A title is a headline when, once the calendar words (month and weekday
names of its language and English), the words of time stamps ("posted",
"updated", "am", "GMT") and every digit and mark are set aside, a word
remains, or `MIN_WORDS` words when a date or time was set aside: a place
name before a date ("INDONESIA, July 2") is a dateline, not a headline. No
model: a few regular expressions.
"""

from __future__ import annotations

import re

from digest.text.dateline import ABBREVIATIONS, ends_at_abbreviation, strip_dateline
from digest.text.dates import calendar_words
from digest.text.sentences import split_sentences

MIN_WORDS = 2
STAND_IN_CHARS = 160  # a first sentence standing in for a headline is cut at a word near this
MAX_WORDS = 25  # a tidied headline, as the cleaner's headlines
ELLIPSIS = "\u2026"

# Words of time stamps and bylines, in English and the main European languages.
STAMP_WORDS = frozenset(
    """
    am pm a p m gmt utc bst cet cest est edt cst cdt mst mdt pst pdt et ct pt ist jst aest
    posted updated published last modified created at on by hours hour ago minutes min
    article update breaking edition
    publié mis à jour le veröffentlicht aktualisiert am um uhr publicado actualizado el
    pubblicato aggiornato il alle ore
    """.split()
)
_WORD = re.compile(r"[^\W\d_]+")


def is_headline(title: str, language: str = "en") -> bool:
    """False for an empty title, one that is only a date, a time and stamp words, or a dateline.

    A single word is a headline on its own ("Earthquake"), but not beside a
    date or a time: "INDONESIA, July 2, 2013" is a dateline.
    """
    ignore = STAMP_WORDS | calendar_words(language)
    found = _WORD.findall(title.casefold())
    words = [w for w in found if w not in ignore]
    stamped = len(words) < len(found) or any(c.isdigit() for c in title)
    return len(words) >= (MIN_WORDS if stamped else 1)


def stand_in(title: str, text: str, language: str = "en") -> str:
    """The title when it is a headline, else the text's first sentence (cut near STAND_IN_CHARS)."""
    if is_headline(title, language):
        return title
    first = next((s.strip() for s in split_sentences(text, language) if is_headline(s, language)), "")
    if not first:
        return title
    if len(first) <= STAND_IN_CHARS:
        return first
    cut = first[:STAND_IN_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return f"{cut}{ELLIPSIS}"


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
