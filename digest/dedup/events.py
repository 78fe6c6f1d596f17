"""Event facts: when, where and how many, read from a text, and compared.

Two reports of one event agree on its date, its place and its figures; two
events of one kind (two earthquakes in one region, two releases of one
product, two deaths of two old politicians) share a topic, names and
wording, and differ on exactly these. A sentence embedding reads the topic;
these facts tell the events apart.

Public API (used by the deduplicator and by the memory across days):

- `facts_of(article)` -> `EventFacts` of one article (`facts(...)` from raw
  title, text, language and publication date);
- `combine(facts)` -> the `EventFacts` of a group of articles (a story);
  `story_facts(articles)` is `combine` over `facts_of` each;
- `compare(a, b)` -> `Evidence`: for each kind of fact both sides give,
  whether they agree or contradict each other. `Evidence.agree` and
  `Evidence.conflict` name the kinds; `Evidence.verdict` is "same",
  "different" or "unknown" for callers that need one word.

Kinds of fact (all optional: a text without them gives no evidence):
- `year`: the latest year of the dates the text writes in full or as month
  and year ("July 29, 2004", "January 2009"); news texts look back, so
  their latest dated year is their own. Bare numbers are not read as years
  ("the 2030 target" is not a date).
- `date`: the days written in full with their year ("July 29, 2004"),
  compared like `day`;
- `day`: every calendar day the text gives (explicit, or relative to the
  publication date: "Saturday", "yesterday"; see `digest.text.dates`).
  Days agree when two are at most `DAY_SLACK` apart and contradict when
  every pair is more than `DAY_GAP` apart (reports of one event give the
  day it happened, the day before, the day after, in other time zones).
- `place`: capitalised words after a place preposition or in a dateline
  ("in Biloxi", "LONDON -") in the head of the text; compared only between
  texts in one language (Moskau and Moscow share no letters).
- `occasion`: named occasions ("the Critics' Circle Theatre Awards", "the
  Davis Cup"): a capitalised name ending in an occasion word (English
  words); compared within one language, like places. Two names are one
  occasion when one's words are all in the other ("the Missouri Valley
  Conference" and its tournament) or one is the other's initials ("the MVC
  Tournament"). They agree when the two texts name one occasion anywhere;
  they contradict only when both heads name an occasion and nothing either
  text names matches: an article is about the occasion its head names, and
  its body names others in passing (last year's final, the other awards a
  winner took), which say nothing against one event.
- figures by what they count, read next to their keyword (English, and
  the main European languages for magnitudes and tolls): `magnitude`
  (6.1-magnitude, within 0.3: agencies revise), `age` ("75-year-old",
  ", 75,", "dies at 75", "at age 75"; within 1), `toll` (people killed or
  dead: a toll rises during a day, so only a factor of more than 2
  contradicts),
  `score` ("3-1", "21-17"), `money` ("$1.5 billion", within 5%).
- `lead_money`: the sums both heads report (the offer, the deal, the price
  the article is about) contradict when neither is among the other text's
  sums. `money` compares every sum a text gives, and one story's texts give
  many (last week's offer, each model's price); two offers by two clubs
  differ in their heads.

Two sets of values contradict only when no value of one matches any value
of the other: a text gives several dates and figures (the event's, and
earlier ones), and one shared value is enough to agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from digest.dedup.signals import fold
from digest.models import Article
from digest.text.dates import mentions

HEAD_CHARS = 600  # places are read from the headline and the lead
DAY_SLACK = 1
DAY_GAP = 3
KINDS = (
    "year", "date", "day", "place", "occasion", "magnitude", "age", "toll", "score", "money", "lead_money",
)  # fmt: skip

Values = frozenset[float]


@dataclass(frozen=True)
class EventFacts:
    """What one article (or one story) says about when, where and how many."""

    years: frozenset[int] = frozenset()  # the latest dated year (one; several for a story)
    dates: frozenset[int] = frozenset()  # date.toordinal() of the days written in full, with their year
    days: frozenset[int] = frozenset()  # date.toordinal() of every day given, explicit or relative
    places: frozenset[str] = frozenset()  # folded place words
    occasions: frozenset[str] = frozenset()  # named occasions: "critics circle theatre award"
    lead_occasions: frozenset[str] = frozenset()  # those named in the head: what the text is about
    lead_sums: Values = frozenset()  # sums of money the head gives: the deal, offer or price it reports
    languages: frozenset[str] = frozenset()  # place words are compared within one language only
    figures: dict[str, Values] = field(default_factory=dict)  # kind -> values

    def is_empty(self) -> bool:
        return not (self.years or self.days or self.places or any(self.figures.values()))


@dataclass(frozen=True)
class Evidence:
    """How two sets of facts relate: the kinds they agree on and the kinds they contradict."""

    agree: frozenset[str]
    conflict: frozenset[str]

    @property
    def verdict(self) -> Literal["same", "different", "unknown"]:
        """ "different" on any contradiction, "same" on agreement without one, else "unknown"."""
        if self.conflict:
            return "different"
        return "same" if self.agree else "unknown"


def facts_of(article: Article) -> EventFacts:
    day = article.published.date() if article.published else None
    return facts(article.title, article.text, article.language, day)


def facts(title: str, text: str, language: str = "en", published: date | None = None) -> EventFacts:
    whole = f"{title}\n{text}".strip()
    found = mentions(whole, language, published)
    dated = [m.year for m in found if m.explicit]
    return EventFacts(
        years=frozenset([max(dated)]) if dated else frozenset(),
        dates=frozenset(m.day for m in found if m.day is not None and m.explicit),
        days=frozenset(m.day for m in found if m.day is not None),
        places=places(whole[:HEAD_CHARS]),
        occasions=occasions(whole),
        lead_occasions=occasions(whole[:HEAD_CHARS]),
        lead_sums=figures_of("money", whole[:HEAD_CHARS]),
        languages=frozenset([language]),
        figures={kind: values for kind, values in event_figures(whole).items() if values},
    )


def combine(group: Iterable[EventFacts]) -> EventFacts:
    """The facts of a group of articles: every value any member gives."""
    group = list(group)
    kinds = {k for f in group for k in f.figures}
    return EventFacts(
        years=frozenset().union(*(f.years for f in group)),
        dates=frozenset().union(*(f.dates for f in group)),
        days=frozenset().union(*(f.days for f in group)),
        places=frozenset().union(*(f.places for f in group)),
        occasions=frozenset().union(*(f.occasions for f in group)),
        lead_occasions=frozenset().union(*(f.lead_occasions for f in group)),
        lead_sums=frozenset().union(*(f.lead_sums for f in group)),
        languages=frozenset().union(*(f.languages for f in group)),
        figures={k: frozenset().union(*(f.figures.get(k, frozenset()) for f in group)) for k in kinds},
    )


def story_facts(articles: Iterable[Article]) -> EventFacts:
    """The facts of a story: every value any of its articles gives."""
    return combine(facts_of(a) for a in articles)


def compare(a: EventFacts, b: EventFacts) -> Evidence:
    agree: set[str] = set()
    conflict: set[str] = set()
    checks: list[tuple[str, frozenset[float], frozenset[float], _Match]] = [
        ("year", frozenset(map(float, a.years)), frozenset(map(float, b.years)), _equal),
        ("date", frozenset(map(float, a.dates)), frozenset(map(float, b.dates)), _days),
        ("day", frozenset(map(float, a.days)), frozenset(map(float, b.days)), _days),
    ]
    for kind in ("magnitude", "age", "toll", "score", "money"):
        checks.append((kind, a.figures.get(kind, frozenset()), b.figures.get(kind, frozenset()), MATCH[kind]))
    for kind, first, second, match in checks:
        outcome = _relate(first, second, match)
        if outcome == "agree":
            agree.add(kind)
        elif outcome == "conflict":
            conflict.add(kind)
    if a.lead_sums and b.lead_sums and not _lead_sums_named(a, b):
        conflict.add("lead_money")
    if a.languages & b.languages or not (a.languages and b.languages):
        # names are spelt differently across languages (Moskau, Moscow): no evidence there
        if a.places and b.places:
            (agree if a.places & b.places else conflict).add("place")
        occasion = _occasions(a, b)
        if occasion:
            (agree if occasion == "agree" else conflict).add("occasion")
    return Evidence(frozenset(agree), frozenset(conflict))


def _lead_sums_named(a: EventFacts, b: EventFacts) -> bool:
    """Whether a sum one head reports is among the other text's sums."""
    return any(
        _relate(mine, theirs.figures.get("money", frozenset()), MATCH["money"]) == "agree"
        for mine, theirs in ((a.lead_sums, b), (b.lead_sums, a))
    )


def _occasions(a: EventFacts, b: EventFacts) -> str:
    """ "agree" when the texts name one occasion anywhere, "conflict" when both heads name an
    occasion and nothing either text names matches (a head's occasion is in the whole text)."""
    if any(same_occasion(x, y) for x in a.occasions for y in b.occasions):
        return "agree"
    return "conflict" if a.lead_occasions and b.lead_occasions else ""


def same_occasion(first: str, second: str) -> bool:
    """Whether two folded occasion names name one occasion: one's words all in the other,
    or a word of one is the other's initials ("mvc tournament", "missouri valley conference")."""
    words, others = first.split(), second.split()
    if set(words) <= set(others) or set(others) <= set(words):
        return True
    return _initials_of(words, others) or _initials_of(others, words)


def _initials_of(words: list[str], name: list[str]) -> bool:
    initials = "".join(w[0] for w in name)
    return any(len(w) >= 2 and initials.startswith(w) for w in words)


# A match function says, for two values, "agree", "conflict" or "" (neither).
_Match = Callable[[float, float], str]


def _relate(first: frozenset[float], second: frozenset[float], match: _Match) -> str:
    if not first or not second:
        return ""
    outcomes = {match(x, y) for x in first for y in second}
    if "agree" in outcomes:
        return "agree"
    return "conflict" if outcomes == {"conflict"} else ""


def _equal(x: float, y: float) -> str:
    return "agree" if x == y else "conflict"


def _days(x: float, y: float) -> str:
    gap = abs(x - y)
    return "agree" if gap <= DAY_SLACK else "conflict" if gap > DAY_GAP else ""


def _within(absolute: float = 0.0, relative: float = 0.0) -> _Match:
    def match(x: float, y: float) -> str:
        return "agree" if abs(x - y) <= max(absolute, relative * max(abs(x), abs(y))) else "conflict"

    return match


def _toll(x: float, y: float) -> str:
    low, high = sorted((x, y))
    if high <= 1.5 * low:
        return "agree"
    return "conflict" if high > 2 * low + 1 else ""  # a toll rises during the day


MATCH: dict[str, _Match] = {
    "magnitude": _within(absolute=0.3),
    "age": _within(absolute=1.0),
    "toll": _toll,
    "score": _equal,  # scores are stored as one number: 100 * winner + loser
    "money": _within(relative=0.05),
}

# --- reading places --------------------------------------------------------

_CAP = r"[^\W\d_a-z][\w'’-]*"
_PLACE = re.compile(
    rf"(?<!\w)(?:in|at|near|outside|off|from|à|en|près de|bei|nahe|em|na|no|nel|nella|a)\s+"
    rf"(?:the\s+)?((?:{_CAP})(?:\s+{_CAP}){{0,2}})"
)
_DATELINE = re.compile(
    r"(?:^|\n)\s*([A-Z][A-Z .'-]{2,30}[A-Z])(?:,\s*[A-Z][\w. ]{1,20})?\s*(?:\([^)]{1,20}\))?\s*[-–—]"
)
# Capitalised words after "in" that are not places: times, and words every text uses.
_NOT_PLACES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "the", "his", "her", "their", "its", "this", "that", "a", "an", "january's",
}  # fmt: skip


def places(head: str) -> frozenset[str]:
    """Folded words of the place names in the head of a text."""
    found: set[str] = set()
    for match in _PLACE.finditer(head):
        words = [w for w in match.group(1).split() if w.casefold() not in _NOT_PLACES]
        found.update(fold(w.strip("'’")) for w in words if len(w) > 2)
    for match in _DATELINE.finditer(head):
        found.update(fold(w) for w in match.group(1).split() if len(w) > 2)
    return frozenset(found)


# --- reading named occasions ----------------------------------------------------

# A capitalised name that ends in the kind of occasion news reports: the
# "what" of an event (two award nights, two summits, two finals of a cup), on
# one line (a headline's last word and the lead's first are not one name).
# Not "Congress": it names parties and parliaments far more often (the African
# National Congress, the US Congress) than a meeting.
_OCCASION = re.compile(
    rf"((?:{_CAP}[^\S\n]+){{1,4}}(?:Awards?|Prizes?|Cup|Festival|Summit|Conference|Championships?|Games|"
    r"Olympics|Expo|Trophy|Tournament|Open|Marathon|Grand[^\S\n]+Prix|Forum|Convention|Election))(?!\w)"
)


def occasions(text: str) -> frozenset[str]:
    """Folded names of the occasions a text names ("the Critics' Circle Theatre Awards")."""
    found = set()
    for match in _OCCASION.finditer(text):
        words = [fold(w.strip("'’")) for w in match.group(1).split()]
        words = [w for w in words if w not in _NOT_PLACES]
        if len(words) >= 2:
            found.add(" ".join(words).rstrip("s"))
    return frozenset(found)


# --- reading figures by what they count --------------------------------------

_NUM = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozens": 24, "hundreds": 200,
}  # fmt: skip
_COUNT = rf"({_NUM[1:-1]}|{'|'.join(_WORD_NUMBERS)})"
_FIGURES: dict[str, list[re.Pattern[str]]] = {
    "magnitude": [
        re.compile(r"(?<![\d.])(\d\.\d)\s*(?:-|\s)?\s*(?:magnitude|on the richter)", re.IGNORECASE),
        re.compile(
            r"(?:magnitude|magnitud|magnitudo|magnitud[eo]|stärke|магнитуд\w*)\s*(?:of\s+|de\s+|di\s+)?"
            r"(\d\.\d)(?![\d.])",
            re.IGNORECASE,
        ),
    ],
    "age": [
        re.compile(r"(?<![\d.])(\d{1,3})[ -]year[ -]old"),
        re.compile(r"(?<=[a-z]), (\d{1,3}), (?=[a-z])"),
        re.compile(r"\b(?:aged|age of|at age|dies at|died at|dead at|die at) (\d{1,3})\b", re.IGNORECASE),
        re.compile(r"\b(?:He|She) was (\d{1,3})\b"),
    ],
    "toll": [
        re.compile(
            rf"\b{_COUNT}\s+(?:people\s+|persons\s+|others\s+)?(?:were\s+|are\s+|have been\s+)?"
            r"(?:killed|dead|died|deaths)\b",
            re.IGNORECASE,
        ),
        re.compile(
            rf"\b(?:killing|killed|death toll (?:rose to|of|at|to)) (?:at least )?{_COUNT}\b", re.IGNORECASE
        ),
    ],
    "score": [re.compile(r"(?<![\d.:/-])(\d{1,3}) ?[-–] ?(\d{1,3})(?![\d:/-]|\.\d| ?(?:year|percent|%))")],
    "money": [
        re.compile(r"([$€£¥])\s?" + _NUM + r"(?:\s?(million|billion|bn|m|trillion)\b)?", re.IGNORECASE),
    ],
}
_SCALE = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}


def event_figures(text: str) -> dict[str, Values]:
    """Figures by kind; an empty set for each kind the text does not give."""
    return {kind: figures_of(kind, text) for kind in _FIGURES}


def figures_of(kind: str, text: str) -> Values:
    """The figures of one kind the text gives ("money": its sums)."""
    values = (_value(kind, match) for pattern in _FIGURES[kind] for match in pattern.finditer(text))
    return frozenset(value for value in values if value is not None)


def _value(kind: str, match: re.Match[str]) -> float | None:
    if kind == "score":
        high, low = sorted((int(match.group(1)), int(match.group(2))), reverse=True)
        return None if high > 200 else float(100 * high + low)
    if kind == "money":
        scale = _SCALE.get((match.group(3) or "").casefold(), 1.0)
        return float(match.group(2).replace(",", "")) * scale
    token = match.group(1).casefold()
    if token in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[token])
    value = float(token.replace(",", ""))
    if kind == "age" and not 1 <= value <= 115:
        return None
    return value
