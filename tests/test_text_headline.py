"""Titles that are time stamps, not headlines (digest.text.headline), and what stands in for them."""

from __future__ import annotations

import pytest

from digest.dedup.deduplicator import best_member
from digest.dedup.similarity import HEAD_CHARS, head_text
from digest.models import Article, Story
from digest.text.headline import STAND_IN_CHARS, is_headline, stand_in

LEAD = "Firefighters fought a blaze at the old harbour warehouse for six hours on Saturday. Nobody was hurt."


@pytest.mark.parametrize(
    "title",
    [
        "June 06, 2013",
        "3/27/2012 @ 10: 05AM",
        "8: 24am:",
        "Posted at 3: 21 PM ET, 01/5/2011",
        "3 July 2013 Last updated at 13: 38 GMT",
        "Sunday, March 17, 2013 | 5: 00 PM",
        "HARBOURTOWN, July 2, 2013",
        "Publié le 12 mars 2026 à 14h05",
        "Aktualisiert am 12. März 2026, 14:05 Uhr",
        "",
    ],
)
def test_time_stamps_and_datelines_are_not_headlines(title: str) -> None:
    language = "fr" if title.startswith("Publié") else "de" if title.startswith("Aktual") else "en"
    assert not is_headline(title, language)


@pytest.mark.parametrize(
    "title",
    [
        "Warehouse burns in harbour blaze",
        "Mayor resigns",
        "Sunday trading returns",
        "Beben in Chile",
        "Earthquake",
    ],
)
def test_headlines_are_headlines(title: str) -> None:
    assert is_headline(title, "de" if title.startswith("Beben") else "en")


def test_the_first_sentence_stands_in_for_a_time_stamp() -> None:
    assert stand_in("June 06, 2013", LEAD) == (
        "Firefighters fought a blaze at the old harbour warehouse for six hours on Saturday."
    )
    assert stand_in("Harbour warehouse burns", LEAD) == "Harbour warehouse burns"
    long = "Firefighters " + "and volunteers " * 30 + "fought the blaze."
    cut = stand_in("8: 24am:", long)
    assert cut.endswith("\u2026") and len(cut) <= STAND_IN_CHARS + 1 and cut.startswith("Firefighters and")


def test_nothing_to_stand_in_keeps_the_title() -> None:
    assert stand_in("June 06, 2013", "") == "June 06, 2013"


def test_a_story_never_shows_a_time_stamp_as_its_headline() -> None:
    stamped = Article(title="June 06, 2013", text=LEAD + " " + "The roof fell in. " * 20, language="en")
    titled = Article(
        title="Harbour warehouse burns", text=LEAD + " " + "The roof fell in. " * 19, language="en"
    )
    # both texts are complete; the one with a real headline leads the story
    assert best_member([stamped, titled], "en") == 1
    alone = Story(members=[stamped])
    assert alone.headline.startswith("Firefighters fought a blaze")


def test_the_head_signal_reads_the_lead_when_the_title_is_a_time_stamp() -> None:
    stamped = Article(title="June 06, 2013", text=LEAD, language="en")
    assert head_text(stamped) == LEAD[:HEAD_CHARS]
    titled = Article(title="Harbour warehouse burns", text=LEAD, language="en")
    assert head_text(titled).startswith("Harbour warehouse burns\nFirefighters")
    title_only = Article(title="June 06, 2013", text="", language="en")
    assert head_text(title_only) == "June 06, 2013"
