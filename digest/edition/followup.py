"""Does a story of today continue an event sent in an earlier issue?

A follow-up tells the same event on a later day: the same robbery (its
arrest, its trial), the same election (its count), the same acquisition (its
approval). It is told in other words than the first reports, so its text
is only loosely close to them; but it keeps the event's identity: the same
people and organisations, the same year, the same ages and scores, the
same magnitude. A new event of the same kind (another robbery, another
earthquake in the same region, another offer to the same player) is just as
close in words, and differs on exactly these. So a story continues a
remembered one when all of these hold:

- *what*: their closest pair of articles is topically close (full-text
  embedding cosine >= `TOPICAL`), or the deduplicator judges them one story
  (it scores the pair alone, without the day's names to weigh them
  against, so for two articles whose protagonists hardly overlap, a share
  under `FEW_PROTAGONISTS`, its score must reach `SURE`);
- *who*: that pair shares the names that make the event (`NAMES` of the
  capitalised names of the shorter one, `digest.dedup.signals.names`, not
  counting the names of months and weekdays, which every report has;
  `NAMES_SAME_STORY` when the deduplicator, which weighs names and figures
  too, judges the pair one story). Closeness in words alone, without the
  deduplicator's judgement, also needs the pair to repeat the same people:
  their protagonists' share (`digest.dedup.protagonists`, weighed over
  today's and the remembered articles) at least `CLOSE_PROTAGONISTS`.
  Another offer to the same player by another club, another fight of the
  same champion, repeats other names. A follow-up
  told in other words (cosine under `TOPICAL`) is still linked when it
  names the same people throughout: `STRONG_NAMES` of the names and
  `SAME_PROTAGONISTS` of the protagonists' weight;
- *when, where, how many* (`digest.dedup.events`, read from the texts, not
  from publication times): no contradiction on what an event keeps from
  one day to the next (its year, give or take `YEAR_SLACK`, the ages of
  its people, a score, a magnitude), and no more contradictions on what
  reports of one event often differ on (its place or occasion as each
  outlet names it) than agreements on what tells one event from another of
  its kind (place, occasion, ages, figures; not the year or the days, which
  the events of one week share), one disagreement being outweighed by
  `STRONG_NAMES` or `SAME_PROTAGONISTS`. The year read is the latest a
  text writes, and a text looks back or ahead ("since 2004", "until
  2010"), so a full date both give, or `OUTWEIGH_YEAR` kinds of
  distinctive facts agreeing, outweigh a year that differs. The days an
  event's texts give move on in a follow-up (the arrest comes days after
  the robbery), a death toll rises and sums get revised (an offer
  raised, damages estimated), so none of these counts against it.

A continuation is *certain* when the two stories share an article, or when
the deduplicator scores them one story and their facts agree without a single
contradiction; only a certain continuation with nothing new is left out of
the issue. An uncertain one with nothing new is kept, as "Developing": a
reader who sees a story twice loses a line, one who never sees a new event
loses the news.

Measured on consecutive days of ECB+ news with gold stories (`digest bench
memory`, see README, "Stories already sent").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel.core import Locale, UnknownLocaleError

from digest.dedup.events import EventFacts, Evidence, compare
from digest.dedup.signals import STEM, fold, names
from digest.dedup.similarity import full_text
from digest.models import Article

TOPICAL = 0.6  # full-text cosine of a follow-up and the first reports (retellings: 0.75 and up)
NAMES = 0.3  # share of the names of one article of the pair found in the other, on words alone
NAMES_SAME_STORY = 0.15  # the same, when the deduplicator (which weighs names too) judges one story
YEAR_SLACK = 1  # a page updated in the next year, a look back to last year: not another event
STRONG_NAMES = 0.5  # names shared this much outweigh one disagreement on place or occasion
KEPT = frozenset({"year", "age", "score", "magnitude"})  # one event keeps these from day to day
VARY = frozenset({"place", "occasion"})  # reports of one event often name these differently
MOVE_ON = frozenset({"date", "day", "toll", "money", "lead_money"})  # later days, higher tolls, new offers
SHARED_BY_A_WEEK = frozenset({"year", "date", "day"})  # agreeing on these tells two events of a week apart
CLOSE_PROTAGONISTS = 0.45  # protagonists' share that close words alone need (sampled days; README)
SAME_PROTAGONISTS = 0.7  # protagonists' share that names one event's people (see above)
FEW_PROTAGONISTS = 0.25  # protagonists' share under which a same-story score must be SURE
SURE = 0.8  # (fitted on sampled ECB+ days: 0.15 to 0.25 cost no continuation, 0.3 one; README)
OUTWEIGH_YEAR = 2  # distinctive kinds of facts agreeing (place, age, magnitude...) that outweigh the year


@dataclass(frozen=True)
class Clues:
    """What is known about a story of today and a remembered story, before scoring them."""

    cosine: float  # full-text embedding cosine of their closest pair of articles
    names: float | None  # share of shared names in that pair; None when one has none
    evidence: Evidence  # `compare` of the facts of the whole story of today and the remembered one
    who: float | None = None  # protagonists' share of that pair; None: nothing to compare (or languages)


@dataclass(frozen=True)
class Link:
    """A remembered story that a story of today continues."""

    certain: bool  # sure enough to leave the story out when it adds nothing
    why: str  # for the log


def weigh(today: EventFacts, sent: EventFacts) -> Evidence:
    """`compare` across days: years one apart do not contradict (see `YEAR_SLACK`), nor years
    of texts that agree on a full date or on `OUTWEIGH_YEAR` distinctive kinds of facts."""
    evidence = compare(today, sent)
    if "year" not in evidence.conflict:
        return evidence
    near = any(abs(a - b) <= YEAR_SLACK for a in today.years for b in sent.years)
    agreed = "date" in evidence.agree or len(evidence.agree - SHARED_BY_A_WEEK) >= OUTWEIGH_YEAR
    if near or agreed:
        return Evidence(evidence.agree, evidence.conflict - {"year"})
    return evidence


def excluded(clues: Clues, same_story: bool) -> bool:
    """Whether names or facts show another event. `same_story`: the deduplicator's judgement."""
    evidence = clues.evidence
    if evidence.conflict & KEPT:
        return True  # another event of the same kind: another year, another score...
    if clues.names is not None and clues.names < (NAMES_SAME_STORY if same_story else NAMES):
        return True  # about other people or organisations
    strong = clues.names is not None and clues.names >= STRONG_NAMES
    tolerated = 1 if strong or (clues.who is not None and clues.who >= SAME_PROTAGONISTS) else 0
    return len(evidence.conflict & VARY) > len(evidence.agree - SHARED_BY_A_WEEK) + tolerated


def follows(clues: Clues, score: float, threshold: float) -> Link | None:
    """The link when the story continues the remembered event, else None.

    `score` is the deduplicator's same-story score of the closest pair, `threshold` its decision.
    """
    same_story = score >= threshold and (clues.who is None or clues.who >= FEW_PROTAGONISTS or score >= SURE)
    if excluded(clues, same_story) or not (same_story or topical(clues)):
        return None
    return Link(same_story and may_be_certain(clues), describe(clues, score))


def by_words(clues: Clues) -> Link | None:
    """The link that holds whatever the deduplicator's score (close words, the same
    protagonists, names and facts that fit), not certain yet: the score can only make it
    certain (`may_be_certain`), and is needed only for a story with nothing new (scoring
    is the costly part)."""
    if excluded(clues, same_story=False):
        return None
    if topical(clues) or same_people(clues):
        return Link(False, describe(clues, None))
    return None


def topical(clues: Clues) -> bool:
    """Close in words, about the same people: the pair's protagonists share is at least
    `CLOSE_PROTAGONISTS` (unknown counts as met: a wire flash, two languages)."""
    return clues.cosine >= TOPICAL and (clues.who is None or clues.who >= CLOSE_PROTAGONISTS)


def same_people(clues: Clues) -> bool:
    """Whether the pair names the same people throughout: `STRONG_NAMES` of its names and
    `SAME_PROTAGONISTS` of its protagonists' weight (a follow-up told in other words)."""
    return (
        clues.names is not None
        and clues.names >= STRONG_NAMES
        and clues.who is not None
        and clues.who >= SAME_PROTAGONISTS
    )


def may_be_certain(clues: Clues) -> bool:
    """Whether a same-story score would make the link certain: nothing contradicts."""
    return clues.names is not None and not clues.evidence.conflict - MOVE_ON


def describe(clues: Clues, score: float | None) -> str:
    facts = ", ".join(sorted(clues.evidence.agree)) or "no facts to compare"
    scored = f", score {score:.2f}" if score is not None else ""
    who = f", who {clues.who:.2f}" if clues.who is not None else ""
    return f"cosine {clues.cosine:.2f}{scored}{who}, agree on {facts}"


def who(article: Article) -> frozenset[str]:
    """The names of an article (`signals.names`) without the names of months and weekdays."""
    return names(full_text(article)) - calendar_words(article.language)


@lru_cache(maxsize=32)
def calendar_words(language: str) -> frozenset[str]:
    """Month and weekday names in `language` and English, as `signals.names` writes them."""
    words: set[str] = set()
    for code in {"en", language}:
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        for table in (locale.months["format"]["wide"], locale.days["format"]["wide"]):
            words.update(fold(str(w))[:STEM] for w in table.values())
    return frozenset(words)
