"""Dates written in a text, explicit or relative, as calendar days.

`mentions(text, language, anchor)` finds:
- explicit dates: "July 29, 2004", "29 July 2004", "29. Juli 2004",
  "29 de julio de 2004", "2004-07-29", "2004年7月29日"; month names come
  from the CLDR data (babel) of the text's language, plus English;
- a month and a year without a day ("January 2009"): the year only;
- a day and a month without a year ("on July 29"): the nearest such day
  to the anchor;
- weekdays ("died Saturday") and relative words ("yesterday", "today",
  "last night"), resolved against the anchor: news tells what happened, so a
  weekday is the latest such day on or before the anchor.

The anchor is the publication date. When a text gives full dates and every
one of them lies more than a year from the publication date, the text was
written at another time than its stated publication (an archive page, a
re-published report, a wrong feed date): its latest full date is the anchor
then, so its "Saturday" is the Saturday of its own time.

Everything is regular expressions over a table built once per language:
microseconds per article, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from babel.core import UnknownLocaleError
from babel.dates import get_day_names, get_month_names

YEARS = (1900, 2100)  # four-digit numbers outside are not years of news
FAR_DAYS = 366  # full dates this far from the publication date move the anchor

# Relative day words: (word, days from the anchor). Only unambiguous words.
RELATIVE = {
    "en": {"yesterday": -1, "today": 0, "tonight": 0, "last night": -1, "this morning": 0, "tomorrow": 1},
    "de": {"gestern": -1, "heute": 0, "morgen": 1, "vorgestern": -2},
    "fr": {"hier": -1, "aujourd'hui": 0, "demain": 1, "avant-hier": -2},
    "es": {"ayer": -1, "hoy": 0, "mañana": 1, "anoche": -1},
    "it": {"ieri": -1, "oggi": 0, "domani": 1, "stanotte": 0},
    "pt": {"ontem": -1, "hoje": 0, "amanhã": 1},
    "nl": {"gisteren": -1, "vandaag": 0, "morgen": 1},
    "pl": {"wczoraj": -1, "dzisiaj": 0, "dziś": 0, "jutro": 1},
    "ru": {"вчера": -1, "сегодня": 0, "завтра": 1},
    "tr": {"dün": -1, "bugün": 0, "yarın": 1},
}


@dataclass(frozen=True)
class DateMention:
    """One date in a text: a day (ordinal) when known, else only its year."""

    year: int
    day: int | None  # date.toordinal(), None for "January 2009"
    explicit: bool  # written with its year; False when resolved against the anchor


@dataclass(frozen=True)
class _Table:
    months: dict[str, int]  # casefolded name or abbreviation -> 1..12
    weekdays: dict[str, int]  # casefolded name -> 0 (Monday) .. 6
    relative: dict[str, int]
    month_re: str
    weekday_re: re.Pattern[str] | None
    relative_re: re.Pattern[str] | None


def mentions(text: str, language: str = "en", anchor: date | None = None) -> list[DateMention]:
    """The dates the text gives, in text order (explicit first, then resolved ones)."""
    table = _table(language)
    explicit, partial = _explicit(text, table)
    full = [d for d in explicit if d.day is not None]
    if full and anchor is not None and all(abs(d.day - anchor.toordinal()) > FAR_DAYS for d in full if d.day):
        anchor = date.fromordinal(max(d.day for d in full if d.day))
    if anchor is None:
        return explicit
    resolved = [_nearest(anchor, month, day) for month, day in partial]
    resolved += _relative(text, table, anchor)
    return explicit + [DateMention(d.year, d.toordinal(), False) for d in resolved if d]


def _explicit(text: str, table: _Table) -> tuple[list[DateMention], list[tuple[int, int]]]:
    found: list[DateMention] = []
    partial: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []  # spans already read, so "July 29, 2004" is not also "July 29"
    for pattern, order in _patterns(table.month_re):
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            parts = _numeric_day_month(dict(zip(order, match.groups(), strict=True)))
            month = _month(parts["m"], table)
            if month is None:
                continue
            year = int(parts["y"]) if parts.get("y") else None
            day = int(parts["d"]) if parts.get("d") else None
            if year is not None and not YEARS[0] <= year <= YEARS[1]:
                continue
            if year is None and day is not None:
                partial.append((month, day))
            elif year is not None:
                found.append(DateMention(year, _ordinal(year, month, day), True))
            else:
                continue
            taken.append(match.span())
    return found, partial


def _numeric_day_month(parts: dict[str, str]) -> dict[str, str]:
    """3/27/2012 is March 27 and 27.03.2012 too; 3/4/2012 could be either: its year only."""
    if "a" not in parts:
        return parts
    a, b = int(parts.pop("a")), int(parts.pop("b"))
    if a > 12 >= b:
        return parts | {"d": str(a), "m": str(b)}
    if b > 12 >= a:
        return parts | {"d": str(b), "m": str(a)}
    return parts | {"m": "1"}  # the month does not matter: no day, so only the year is kept


def _month(token: str, table: _Table) -> int | None:
    if token.isdigit():
        value = int(token)
        return value if 1 <= value <= 12 else None
    if token == "may":  # the English verb, not the month (which is written May)
        return None
    return table.months.get(token.casefold().rstrip("."))


def _ordinal(year: int, month: int, day: int | None) -> int | None:
    if day is None:
        return None
    try:
        return date(year, month, day).toordinal()
    except ValueError:
        return None


def _nearest(anchor: date, month: int, day: int) -> date | None:
    """The day with this month and day nearest to the anchor (last, this or next year)."""
    options = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - anchor).days), default=None)


def _relative(text: str, table: _Table, anchor: date) -> list[date]:
    found = []
    if table.weekday_re is not None:
        for match in table.weekday_re.finditer(text):
            weekday = table.weekdays[match.group(0).casefold()]
            found.append(anchor - timedelta(days=(anchor.weekday() - weekday) % 7))
    if table.relative_re is not None:
        for match in table.relative_re.finditer(text):
            found.append(anchor + timedelta(days=table.relative[match.group(0).casefold()]))
    return found


_B, _E = r"(?<!\w)", r"(?!\w)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er|º|\.)?"
_YEAR = r"(\d{4})"


@lru_cache(maxsize=64)
def _patterns(month_re: str) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """(pattern, the order of its groups): day, month, year in the orders news writes them."""
    m = f"({month_re})"
    flags = re.IGNORECASE
    return (
        (re.compile(rf"{_B}{_YEAR}-(\d{{1,2}})-(\d{{1,2}}){_E}"), ("y", "m", "d")),
        (re.compile(rf"{_YEAR}\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日"), ("y", "m", "d")),
        (re.compile(rf"{_B}(\d{{1,2}})[/.](\d{{1,2}})[/.]{_YEAR}{_E}"), ("a", "b", "y")),
        (re.compile(rf"{_B}{m}\.?\s+{_DAY},?\s+{_YEAR}{_E}", flags), ("m", "d", "y")),
        (
            re.compile(rf"{_B}{_DAY}\s+(?:de\s+)?{m}\.?,?\s+(?:de\s+|del\s+)?{_YEAR}{_E}", flags),
            ("d", "m", "y"),
        ),
        (re.compile(rf"{_B}{m}\.?,?\s+(?:de\s+)?{_YEAR}{_E}", flags), ("m", "y")),
        (re.compile(rf"{_B}{m}\.?\s+{_DAY}{_E}", flags), ("m", "d")),
        (re.compile(rf"{_B}{_DAY}\s+(?:de\s+)?{m}{_E}", flags), ("d", "m")),
    )


@lru_cache(maxsize=64)
def _table(language: str) -> _Table:
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    for locale in dict.fromkeys(("en", language.split("-")[0].lower() or "en")):
        try:
            for width in ("wide", "abbreviated"):
                for context in ("format", "stand-alone"):
                    for number, name in get_month_names(width, context, locale).items():
                        months.setdefault(name.casefold().rstrip("."), number)
            for number, name in get_day_names("wide", "format", locale).items():
                weekdays.setdefault(name.casefold(), number)
        except (UnknownLocaleError, ValueError):
            continue  # a language babel does not know: English names only
    # short abbreviations ("de", "mi") are ordinary words in many languages
    months = {name: n for name, n in months.items() if len(name) >= 3}
    relative = RELATIVE.get(language.split("-")[0].lower(), {}) | RELATIVE["en"]
    return _Table(
        months=months,
        weekdays=weekdays,
        relative=relative,
        month_re=_alternation(months),
        weekday_re=re.compile(rf"{_B}(?:{_alternation(weekdays)}){_E}", re.IGNORECASE) if weekdays else None,
        relative_re=re.compile(rf"{_B}(?:{_alternation(relative)}){_E}", re.IGNORECASE),
    )


def _alternation(words: dict[str, int]) -> str:
    """Longest first, so "sept" is tried before "sep"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
