"""Deduplication with the real multilingual encoder: seeds, other stories, best member."""

from __future__ import annotations

import warnings
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from digest.config import DedupSettings
from digest.dedup.deduplicator import Deduplicator, best_member, load_deduplicator
from digest.models import Article

# Written for these tests: three unrelated events, one of them told twice.
MATCH_EN = Article(
    title="Rovers win the cup on penalties",
    text=(
        "Rovers won the national cup on Saturday, beating City 5-4 on penalties after a 1-1 draw "
        "in front of 80,000 fans at the national stadium. Goalkeeper Tom Ellis saved two penalties "
        "in the shoot-out. City had led through an early header before Rovers equalised late on."
    ),
    language="en",
)
MATCH_ES = Article(
    title="Rovers gana la copa en los penaltis",
    text=(
        "El Rovers ganó la copa nacional el sábado al vencer al City 5-4 en la tanda de penaltis tras "
        "un empate 1-1 ante 80.000 aficionados en el estadio nacional. El portero Tom Ellis detuvo dos "
        "penaltis. El City se había adelantado con un cabezazo temprano antes del empate tardío."
    ),
    language="es",
)
FLOOD = Article(
    title="River bursts its banks after a week of rain",
    text=(
        "Hundreds of homes were evacuated on Tuesday after the river burst its banks following a week "
        "of heavy rain. Emergency services used boats to reach people trapped upstairs, and the "
        "railway line to the coast was closed. Forecasters expect more rain at the weekend."
    ),
    language="en",
)
BAKERY = Article(
    title="Village bakery marks a hundred years",
    text=(
        "A family bakery in the village celebrated its hundredth anniversary with free bread for "
        "everyone on Sunday. The fourth generation of the family now runs the shop, which still "
        "uses the original wood-fired oven installed in 1925."
    ),
    language="en",
)


def read_txt(path: Path, language: str) -> Article:
    """Headline on the first non-empty line (the cleaner is tested elsewhere)."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return Article(title=lines[0], text="\n".join(lines[1:]), language=language, path=str(path))


@pytest.fixture
def seeds(seeds_dir: Path) -> list[Article]:
    paths = sorted(seeds_dir.glob("*.txt"))
    assert len(paths) == 5
    return [read_txt(p, "fr" if p.name.startswith("004") else "en") for p in paths]


def test_the_five_seeds_are_one_story(dedup, seeds):
    stories = dedup.group(seeds, "en")
    assert len(stories) == 1
    assert [m.path for m in stories[0].members] == [a.path for a in seeds]
    assert stories[0].lead.language == "en"


def test_seeds_do_not_absorb_unrelated_stories(dedup, seeds):
    articles = [FLOOD, *seeds, BAKERY, MATCH_EN]
    stories = dedup.group(articles, "en")
    assert sorted(len(s.members) for s in stories) == [1, 1, 1, 5]
    seed_story = next(s for s in stories if len(s.members) == 5)
    assert {m.path for m in seed_story.members} == {a.path for a in seeds}


def test_a_translation_is_the_same_story_and_others_are_not(dedup):
    stories = dedup.group([MATCH_ES, FLOOD, MATCH_EN, BAKERY], "en")
    assert [[m.title for m in s.members] for s in stories] == [
        [MATCH_ES.title, MATCH_EN.title],
        [FLOOD.title],
        [BAKERY.title],
    ]
    assert stories[0].headline == MATCH_EN.title  # the language wins
    assert dedup.score(MATCH_EN, MATCH_ES) > dedup.score(MATCH_EN, FLOOD)


def test_every_article_is_in_exactly_one_story(dedup, seeds):
    articles = [*seeds, MATCH_EN, MATCH_ES, FLOOD, BAKERY]
    members = [id(m) for s in dedup.group(articles, "en") for m in s.members]
    assert sorted(members) == sorted(id(a) for a in articles)


def test_no_articles_no_stories(dedup):
    assert dedup.group([], "en") == []


def test_best_member_prefers_language_then_complete_text_then_weight():
    short_en = Article(title="a", text="x" * 100, language="en", weight=3.0)
    long_en = Article(title="b", text="x" * 1000, language="en")
    long_en_heavy = Article(title="c", text="x" * 950, language="en", weight=2.0)
    long_fr = Article(title="d", text="x" * 5000, language="fr", weight=5.0)
    assert best_member([long_fr, short_en], "en") == 1
    assert best_member([long_fr, short_en, long_en], "en") == 2
    assert best_member([long_fr, short_en, long_en, long_en_heavy], "en") == 3
    assert best_member([short_en, long_fr], "de") == 1


WIRE = Article(
    title="Fire at chemical plant",
    text=(
        "Firefighters battled a blaze at a chemical plant on the edge of the city for six hours on "
        "Thursday. Two workers were taken to hospital with minor burns, the fire service said. "
        "Residents within a mile were told to keep their windows closed while the smoke cleared."
    ),
    language="en",
    outlet="Wire A",
)


def test_syndicated_copies_are_extra_sources_of_one_story(dedup):
    copy = Article(title=WIRE.title, text=WIRE.text + " (AP)", language="en", outlet="Paper B")
    same = Article(title=WIRE.title, text=WIRE.text, language="en", outlet="Paper C")
    stories = dedup.group([WIRE, FLOOD, copy, BAKERY, same], "en")
    assert [m.outlet for m in stories[0].members] == ["Wire A", "Paper B", "Paper C"]
    assert len(stories) == 3
    assert dedup.score(WIRE, copy) == 1.0


@pytest.mark.parametrize(
    "text, language",
    [
        ("", "en"),  # empty
        ("Fire", "en"),  # one word
        ("Moto wa kiwanda cha kemikali uliwaka kwa saa sita siku ya Alhamisi.", "sw"),  # Swahili: not covered
        ("火" * 1000, "zh"),
        ("A chemical plant burned. " * 45_000, "en"),  # about 1 MB
    ],
)
def test_bad_input_still_gets_a_score(dedup, text, language):
    odd = Article(title="", text=text, language=language)
    score = dedup.score(WIRE, odd)
    assert 0.0 <= score <= 1.0
    assert [len(s.members) for s in dedup.group([WIRE, odd, FLOOD], "en")] in ([1, 1, 1], [2, 1])


def test_empty_articles_are_not_one_story(dedup):
    empty = [Article(title="", text="", language="en", path=f"e{i}") for i in range(3)]
    assert len(dedup.group(empty, "en")) == 3
    assert dedup.score(empty[0], empty[1]) < dedup.threshold


def test_identical_texts_score_one(dedup):
    assert dedup.score(FLOOD, FLOOD) == 1.0


def test_the_threshold_setting_overrides_the_calibrated_one():
    set_one = load_deduplicator(DedupSettings(threshold=0.9), None)
    assert (set_one.threshold, set_one.link_threshold) == (0.9, 0.9)
    calibrated = load_deduplicator(DedupSettings(), None)
    # grouping a day is stricter than one pair's decision; facts-checked joins go below both
    assert 0.0 < calibrated.scorer.join_floor < calibrated.threshold <= calibrated.link_threshold < 1.0


def test_days_apart_lower_the_score_and_one_outlet_does_not(dedup):
    day = datetime(2026, 3, 1, 9, tzinfo=UTC)
    a = replace(MATCH_EN, published=day, outlet="Daily")
    b = replace(MATCH_ES, published=day + timedelta(hours=5), outlet="Diario")
    base = dedup.score(a, b)
    assert dedup.score(a, replace(b, published=day + timedelta(days=6))) < base - 0.2
    # an outlet writes one event twice in a day (a report, a live page): still one story
    assert dedup.score(a, replace(b, outlet="daily ")) == pytest.approx(base)


def test_articles_years_apart_score_near_zero_without_overflow(dedup):
    day = datetime(2026, 3, 1, 9, tzinfo=UTC)
    a = replace(MATCH_EN, published=day)
    far = replace(MATCH_ES, published=day - timedelta(days=20 * 365))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy overflow warning fails the test
        score = dedup.score(a, far)
    assert 0.0 <= score < 0.01


# Written for these tests: two reports of one earthquake, and a report of another one of the same kind.
QUAKE_A = Article(
    title="Earthquake shakes Aceh province",
    text=(
        "A 6.1-magnitude earthquake struck Aceh province in Indonesia on July 2, 2013, killing at least "
        "22 people and destroying hundreds of houses in the mountain district of Bener Meriah, officials said. "
        "Rescuers searched collapsed buildings through the night."
    ),
    language="en",
)
QUAKE_A_AGAIN = Article(
    title="Indonesia quake toll rises in Aceh",
    text=(
        "The death toll from the 6.1-magnitude earthquake that hit Aceh province in Indonesia on July 2, 2013 "
        "rose to 24, the disaster agency said, as rescuers dug through collapsed houses in Bener Meriah."
    ),
    language="en",
)
QUAKE_B = Article(
    title="Earthquake shakes Aceh province",
    text=(
        "A 7.2-magnitude earthquake struck Aceh province in Indonesia on January 11, 2012, killing "
        "3 people and damaging dozens of houses in the coastal district of Simeulue, officials said. "
        "Rescuers searched damaged buildings through the night."
    ),
    language="en",
)


def test_two_events_of_one_kind_score_below_two_reports_of_one(dedup):
    same = dedup.score(QUAKE_A, QUAKE_A_AGAIN)
    other = dedup.score(QUAKE_A, QUAKE_B)
    assert same >= dedup.threshold > other
    stories = dedup.group([QUAKE_A, QUAKE_B, QUAKE_A_AGAIN], "en")
    assert sorted(len(s.members) for s in stories) == [1, 2]
