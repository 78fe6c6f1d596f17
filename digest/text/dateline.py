"""Wire datelines, tags and time stamps at the head of a sentence, and headlines cut at an abbreviation.

Agency copy opens its first paragraph with where it was filed and by whom:
`ZURICH, Switzerland (AP) _`, `LONDON _`, `WASHINGTON (Reuters) -`,
`BILLINGS, Mont. (AP) —`, `(CNN) --`. That is page furniture, not the
sentence: `strip_dateline` removes it and keeps the sentence. A place named
inside the sentence ("In London, police said...") is text and stays; a
dateline is recognised by its form only: a place in capitals (or a tag in
brackets) at the very start, followed by a dash or underscore.
"""

from __future__ import annotations

import re

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_CITY = r"[A-Z][A-Z'.\-]+(?:\s+[A-Z][A-Z'.\-]+){0,3}"  # LONDON, NEW YORK, ST. LOUIS
_REGION = r"(?:,\s*[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,2})?"  # , Switzerland / , Mont.
_DATE = rf"(?:,?\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
_TAG = r"\((?:[A-Z][\w&.'\- ]{0,30})\)"  # (AP), (Reuters), (CNN)
_DASH = r"\s*(?:_|--|-|\u2014|\u2013|:)\s+"
# A capitals place with an agency tag, or a capitals place of 3+ letters and a
# dash, or a tag alone; then the dash that ends the dateline.
# A page's time stamp glued to the first sentence: "February 29, 2012 04: 23pm EST
# Advanced Micro Devices on Wednesday announced...". A full date with its year, an
# optional time and zone; a date without a year may be the sentence's own ("May 5 saw...").
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
_STAMP = re.compile(
    rf"^\s*(?:(?:Posted|Updated|Published|Last updated)(?: on| at)?:?\s*)?(?:{_WEEKDAY},?\s+)?"
    rf"{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    r"(?:,?\s*(?:at\s+)?\d{1,2}\s?:\s?\d{2}\s?(?:[aApP]\.?[mM]\.?)?(?:\s*\b(?:[A-Z]{2,3}T|GMT|UTC|ET|PT|CT)\b)?)?"
    r"\s*(?:[|\u2022\u2013\u2014-]\s*)?(?=[A-Z])"
)
_DATELINE = re.compile(
    rf"^\s*(?:{_CITY}{_REGION}{_DATE}\s*{_TAG}|(?=[A-Z'.\-]{{3}}){_CITY}{_REGION}{_DATE}|{_TAG}){_DASH}(?=\S)"
)
# A title, month or the like that never ends a sentence: it waits for a name or a number.
ABBREVIATIONS = frozenset(
    [
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "maj",
        "adm",
        "cmdr",
        "cpl",
        "pvt",
        "gov",
        "sen",
        "rep",
        "rev",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "supt",
        "insp",
        "det",
        "atty",
        "pres",
        "hon",
        "msgr",
        "fr",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "no",
        "nos",
        "vs",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_LAST_WORD = re.compile(r"(\w+)\.\s*[\u2026]?$|(\w+)\.\.\.$")


def strip_dateline(text: str) -> str:
    """`text` without a page's time stamp, wire dateline or agency tag at its head."""
    stamp = _STAMP.match(text)
    if stamp:
        text = text[stamp.end() :]
    match = _DATELINE.match(text)
    if not match:
        return text
    rest = text[match.end() :]
    # "LONDON - the..." would leave a lower-case start: keep it as it was then.
    return rest if rest[:1].isupper() or rest[:1] in "\"'\u201c\u2018(" or rest[:1].isdigit() else text


def has_dateline(text: str) -> bool:
    return strip_dateline(text) != text


def ends_at_abbreviation(text: str) -> bool:
    """Ends on "Gen." or "Oct." (a cut headline), not on a sentence's last word."""
    match = _LAST_WORD.search(text.rstrip())
    if not match:
        return False
    word = (match.group(1) or match.group(2)).lower()
    return word in ABBREVIATIONS
