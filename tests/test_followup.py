"""Follow-ups across days: the same event moves on, another event of the same kind is new.

Real multilingual encoder, real deduplicator, real SQLite state, and the
texts of `event_texts` (a robbery, its retelling, its follow-up, and
another robbery of the same kind), written for these tests.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from event_texts import CHARGED, OFFER, OTHER_OFFER, OTHER_ROBBERY, RETOLD, ROBBERY, SIGNED

from digest.config import DedupSettings
from digest.dedup.deduplicator import load_deduplicator
from digest.dedup.events import EventFacts
from digest.dedup.similarity import full_text
from digest.edition.followup import (
    SAME_PROTAGONISTS,
    SURE,
    TOPICAL,
    Clues,
    by_words,
    excluded,
    follows,
    weigh,
)
from digest.edition.memory import Memory
from digest.models import Article, Story
from digest.state import StateDB

DAY1 = date(2026, 3, 3)
DAY2 = DAY1 + timedelta(days=1)


@pytest.fixture
def memory(tmp_path: Path):
    with StateDB(tmp_path / "state") as state:
        memory = Memory(state, days=7, deduplicator=load_deduplicator(DedupSettings(), state))
        memory.remember(DAY1, [Story(members=[ROBBERY])])
        yield memory


def cosine(memory: Memory, a: Article, b: Article) -> float:
    rows = memory.encoder.encode([full_text(a), full_text(b)])
    return float(np.dot(rows[0], rows[1]))


def test_the_other_robbery_is_as_close_in_words_as_a_follow_up(memory: Memory) -> None:
    # what makes the next tests worth having: the words alone would call it a follow-up
    assert cosine(memory, OTHER_ROBBERY, ROBBERY) >= TOPICAL
    assert cosine(memory, OTHER_ROBBERY, ROBBERY) > cosine(memory, CHARGED, ROBBERY) - 0.1


def test_a_follow_up_of_the_same_robbery_is_developing(memory: Memory) -> None:
    (decision,) = memory.decide([Story(members=[CHARGED])], DAY2, "en")
    assert decision.verdict == "update"
    assert decision.kept is not None and decision.kept.headline == CHARGED.title
    assert [f.story.headline for f in decision.continues] == [ROBBERY.title]


def test_another_robbery_of_the_same_kind_is_new(memory: Memory) -> None:
    story = Story(members=[OTHER_ROBBERY])
    (decision,) = memory.decide([story], DAY2, "en")
    assert decision.verdict == "new" and decision.kept is story and not story.update
    assert decision.continues == ()


def test_a_retelling_of_the_robbery_is_left_out(memory: Memory) -> None:
    (decision,) = memory.decide([Story(members=[RETOLD])], DAY2, "en")
    assert decision.verdict == "left out" and decision.kept is None
    assert [f.story.headline for f in decision.continues] == [ROBBERY.title]


def test_another_club_s_offer_to_the_same_player_is_new(memory: Memory) -> None:
    memory.remember(DAY1, [Story(members=[ROBBERY]), Story(members=[OFFER])])
    # close in words (the cosine alone would call it a follow-up) and below the
    # deduplicator's threshold: only who the two are about tells them apart
    assert cosine(memory, OTHER_OFFER, OFFER) >= TOPICAL
    assert memory.dedup.score(OTHER_OFFER, OFFER) < memory.dedup.threshold
    other, signed = memory.decide([Story(members=[OTHER_OFFER]), Story(members=[SIGNED])], DAY2, "en")
    assert other.verdict == "new" and other.continues == ()
    assert signed.verdict == "update"
    assert [f.story.headline for f in signed.continues] == [OFFER.title]


def test_a_day_with_all_three_keeps_two(memory: Memory) -> None:
    stories = [Story(members=[RETOLD]), Story(members=[OTHER_ROBBERY]), Story(members=[CHARGED])]
    kept = memory.recall(stories, DAY2, "en")
    assert [(s.headline, s.update) for s in kept] == [(OTHER_ROBBERY.title, False), (CHARGED.title, True)]


def facts(year: int | None = None, toll: float | None = None, place: str | None = None) -> EventFacts:
    return EventFacts(
        years=frozenset([year] if year else []),
        places=frozenset([place] if place else []),
        figures={"toll": frozenset([toll])} if toll else {},
    )


def test_another_year_is_another_event_however_close_the_words() -> None:
    clues = Clues(cosine=0.95, names=0.9, evidence=weigh(facts(year=2009), facts(year=2013)))
    assert excluded(clues, same_story=True) and follows(clues, score=0.99, threshold=0.65) is None


def test_the_next_year_is_not_a_contradiction() -> None:
    # a page updated in January, a look back at last year: not enough to call it another event
    clues = Clues(cosine=0.8, names=0.6, evidence=weigh(facts(year=2009), facts(year=2010)))
    assert not excluded(clues, same_story=True) and follows(clues, score=0.8, threshold=0.65) is not None


def test_a_year_that_differs_is_outweighed_by_a_shared_date_or_two_facts() -> None:
    from digest.dedup.events import compare

    # the latest year a text writes may be a look back or ahead ("until 2011")
    day = frozenset([date(2008, 12, 11).toordinal()])
    dated, later = (
        EventFacts(years=frozenset([2009]), dates=day),
        EventFacts(years=frozenset([2011]), dates=day),
    )
    assert "year" in compare(dated, later).conflict
    assert "year" not in weigh(dated, later).conflict  # the same full date: one event
    two = {"age": frozenset([75.0]), "magnitude": frozenset([6.1])}
    first = EventFacts(years=frozenset([2009]), figures=two)
    assert "year" not in weigh(first, EventFacts(years=frozenset([2012]), figures=two)).conflict
    one = {"age": frozenset([75.0])}
    first = EventFacts(years=frozenset([2009]), figures=one)
    assert "year" in weigh(first, EventFacts(years=frozenset([2012]), figures=one)).conflict


def test_close_words_alone_need_the_same_protagonists() -> None:
    from digest.dedup.events import compare

    evidence = compare(facts(year=2013), facts(year=2013))
    assert by_words(Clues(cosine=0.8, names=0.6, evidence=evidence, who=0.2)) is None
    assert by_words(Clues(cosine=0.8, names=0.6, evidence=evidence, who=0.6)) is not None
    # nothing to weigh (a wire flash, another language): words and facts decide, as before
    assert by_words(Clues(cosine=0.8, names=0.6, evidence=evidence, who=None)) is not None
    # the deduplicator's judgement stands on its own, when sure enough for two articles about others
    clues = Clues(cosine=0.8, names=0.6, evidence=evidence, who=0.3)
    assert follows(clues, score=0.7, threshold=0.65) is not None
    assert follows(clues, score=0.5, threshold=0.65) is None


def test_a_same_story_score_for_articles_about_others_must_be_sure() -> None:
    from digest.dedup.events import compare

    evidence = compare(facts(year=2013), facts(year=2013))
    others = Clues(cosine=0.55, names=0.6, evidence=evidence, who=0.1)  # another club's offer
    assert follows(others, score=0.7, threshold=0.65) is None
    assert follows(others, score=SURE, threshold=0.65) is not None
    unknown = Clues(cosine=0.55, names=0.6, evidence=evidence, who=None)  # nothing to weigh: as before
    assert follows(unknown, score=0.7, threshold=0.65) is not None


def test_a_follow_up_in_other_words_about_the_same_people_is_linked() -> None:
    from digest.dedup.events import compare

    evidence = compare(facts(year=2013), facts(year=2013))
    # under the topical cosine, but the same names throughout (the arrest 41 years after the killings)
    same = Clues(cosine=0.53, names=1.0, evidence=evidence, who=1.0)
    assert same.cosine < TOPICAL and by_words(same) is not None
    assert by_words(Clues(cosine=0.53, names=1.0, evidence=evidence, who=0.5)) is None
    assert by_words(Clues(cosine=0.53, names=0.4, evidence=evidence, who=1.0)) is None


def test_one_place_disagreement_is_forgiven_for_the_same_protagonists() -> None:
    from digest.dedup.events import compare

    places = compare(facts(year=2013, place="palmer"), facts(year=2013, place="anchorage"))
    assert "place" in places.conflict
    assert excluded(Clues(cosine=0.8, names=0.4, evidence=places, who=0.3), same_story=True)
    assert not excluded(Clues(cosine=0.8, names=0.4, evidence=places, who=SAME_PROTAGONISTS), same_story=True)


def test_a_rising_toll_and_later_days_do_not_break_a_follow_up() -> None:
    from digest.dedup.events import compare

    evidence = compare(facts(year=2013, toll=80, place="aceh"), facts(year=2013, toll=24, place="aceh"))
    link = follows(Clues(cosine=0.7, names=0.6, evidence=evidence), score=0.8, threshold=0.65)
    assert link is not None and link.certain


def test_without_names_in_common_a_close_story_is_another_event() -> None:
    from digest.dedup.events import compare

    clues = Clues(cosine=0.8, names=0.1, evidence=compare(facts(year=2013), facts(year=2013)))
    assert follows(clues, score=0.7, threshold=0.65) is None


def test_a_link_found_by_words_alone_is_not_certain() -> None:
    from digest.dedup.events import compare

    clues = Clues(cosine=0.65, names=None, evidence=compare(facts(), facts()))
    link = follows(clues, score=0.5, threshold=0.65)
    assert link is not None and not link.certain


# --- memory that cannot be read: one warning, and nothing is left out ------------------


def test_an_unreadable_earlier_issue_is_one_warning_and_nothing_is_left_out(
    memory: Memory, caplog: pytest.LogCaptureFixture
) -> None:
    memory.state.connection.execute("UPDATE memory SET article = '{\"title\": broken'")
    memory.state.connection.commit()
    story = Story(members=[ROBBERY])
    with caplog.at_level(logging.WARNING):
        assert memory.recall([story], DAY2, "en") == [story]
    (warning,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert DAY1.isoformat() in warning.getMessage() and "as if nothing had been sent" in warning.getMessage()


def test_memory_of_an_older_version_is_set_aside_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "state"
    with StateDB(folder) as state:  # the shape of an older memory table
        state.connection.execute("CREATE TABLE memory (day TEXT, headline TEXT, hash TEXT)")
        state.connection.execute("INSERT INTO memory VALUES (?, ?, ?)", (DAY1.isoformat(), "x", "y"))
        state.connection.commit()
    with StateDB(folder) as state, caplog.at_level(logging.WARNING):
        memory = Memory(state, days=7, deduplicator=load_deduplicator(DedupSettings(), state))
        story = Story(members=[ROBBERY])
        assert memory.recall([story], DAY2, "en") == [story]
        memory.remember(DAY2, [story])  # and it remembers again from now on
        assert memory.recall([Story(members=[ROBBERY])], DAY2 + timedelta(days=1), "en") == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "another version" in warnings[0] and str(folder) in warnings[0]
    with sqlite3.connect(folder / "digest.sqlite3") as db:
        assert db.execute("SELECT headline FROM memory_outdated").fetchall() == [("x",)]


def test_an_issue_built_but_not_remembered_is_one_warning(
    memory: Memory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"
    for day in (DAY1, DAY1 - timedelta(days=1), DAY1 - timedelta(days=30)):
        (out / day.isoformat()).mkdir(parents=True)
        (out / day.isoformat() / "issue.json").write_text("{}")
    with caplog.at_level(logging.WARNING):
        memory.check_issues(out, DAY2)
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    # DAY1 is remembered, the issue 30 days ago is out of memory_days: only the day before DAY1
    assert (DAY1 - timedelta(days=1)).isoformat() in warning and DAY1.isoformat() not in warning
