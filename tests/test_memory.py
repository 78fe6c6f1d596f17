"""Memory across days, with the real multilingual encoder and deduplicator.

The stories are written for these tests: a landslide on a coast road
(day one), its retellings (another outlet in English, one in French), and a
real follow-up two days later with new facts.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from digest.config import DedupSettings
from digest.dedup.deduplicator import load_deduplicator
from digest.edition.memory import Memory
from digest.models import Article, Story
from digest.state import StateDB

DAY1 = date(2026, 3, 9)
DAY2 = DAY1 + timedelta(days=1)

LANDSLIDE = Article(
    title="Landslide blocks coast road between Porthallow and Cadgwith",
    text="A landslide blocked the coast road between Porthallow and Cadgwith on Monday night after two days "
    "of heavy rain. No one was hurt, but about three hundred homes were left without power when the slide "
    "brought down a line. The county council said the road would stay closed while geologists checked "
    "the cliff.",
    language="en",
    url="https://gazette.example/landslide",
    outlet="Gazette",
)
RETOLD = Article(
    title="Cliff collapse shuts road after weekend rain",
    text="Heavy rain over the weekend caused part of the cliff to collapse onto the road between Porthallow "
    "and Cadgwith late on Monday. The council has closed the road and sent geologists to inspect the cliff "
    "face. About 300 homes had their electricity cut when the landslide brought down a power line, but there "
    "were no injuries.",
    language="en",
    url="https://courier.example/cliff",
    outlet="Courier",
)
FRENCH = Article(
    title="Un glissement de terrain bloque la route côtière",
    text="Un glissement de terrain a bloqué lundi soir la route côtière entre Porthallow et Cadgwith après "
    "deux jours de fortes pluies. Personne n'a été blessé, mais environ trois cents foyers ont été privés "
    "d'électricité. Le conseil du comté a indiqué que la route resterait fermée pendant que des géologues "
    "examinent la falaise.",
    language="fr",
    url="https://journal.example/glissement",
    outlet="Journal",
)
FOLLOW_UP = Article(
    title="Coast road to stay shut for three weeks after second crack found",
    text="The coast road between Porthallow and Cadgwith will stay closed for at least three weeks, the "
    "county council said on Wednesday, after geologists found a second crack above the landslide. Power was "
    "restored to all homes on Tuesday evening. A free minibus will run between the two villages from "
    "Thursday, and the council has asked for emergency funding of 1.2 million pounds to stabilise the cliff.",
    language="en",
    url="https://gazette.example/landslide-update",
    outlet="Gazette",
)
ROBOTICS = Article(
    title="Valley school wins national robotics final",
    text="A team of six pupils from Valley High School won the national schools robotics final on Monday, "
    "beating forty other teams with a robot that sorts recycling by colour and weight. The pupils built the "
    "robot in after-school sessions over five months, using parts from old printers and a donated camera.",
    language="en",
    url="https://courier.example/robotics",
    outlet="Courier",
)


@pytest.fixture
def memory(tmp_path: Path):
    with StateDB(tmp_path / "state") as state:
        yield Memory(state, days=7, deduplicator=load_deduplicator(DedupSettings(), state))


def remember_day_one(memory: Memory) -> None:
    memory.remember(DAY1, [Story(members=[LANDSLIDE]), Story(members=[ROBOTICS])])


def test_nothing_is_remembered_at_first(memory: Memory) -> None:
    stories = [Story(members=[LANDSLIDE])]
    assert memory.recall(stories, DAY2, "en") == stories


def test_a_story_sent_yesterday_is_left_out(memory: Memory) -> None:
    remember_day_one(memory)
    assert memory.recall([Story(members=[LANDSLIDE])], DAY2, "en") == []


@pytest.mark.parametrize("retelling", [RETOLD, FRENCH], ids=["english", "french"])
def test_a_new_source_that_only_retells_the_story_is_left_out(memory: Memory, retelling: Article) -> None:
    remember_day_one(memory)
    assert memory.recall([Story(members=[retelling])], DAY2, "en") == []
    assert memory.recall([Story(members=[LANDSLIDE, retelling])], DAY2, "en") == []


def test_a_follow_up_with_new_facts_is_an_update_with_its_news_first(memory: Memory) -> None:
    remember_day_one(memory)
    (update,) = memory.recall([Story(members=[LANDSLIDE, RETOLD, FOLLOW_UP])], DAY2, "en")
    assert update.update
    assert update.members[0] is FOLLOW_UP and update.headline == FOLLOW_UP.title
    assert {m.url for m in update.members} == {LANDSLIDE.url, RETOLD.url, FOLLOW_UP.url}
    assert memory.news(update).members == [FOLLOW_UP]  # the blurb is drawn from the new facts


def test_a_follow_up_on_its_own_is_an_update_too(memory: Memory) -> None:
    remember_day_one(memory)
    (update,) = memory.recall([Story(members=[FOLLOW_UP])], DAY2, "en")
    assert update.update and update.headline == FOLLOW_UP.title


def test_other_stories_are_kept_as_they_are(memory: Memory) -> None:
    remember_day_one(memory)
    other = Story(
        members=[
            Article(
                title="Council approves cycle lanes on Quay Street",
                text="The town council voted by nine to four on Monday evening to build protected cycle lanes along "
                "the whole of Quay Street, removing sixty parking spaces. Work is due to start in June.",
                language="en",
            )
        ]
    )
    assert memory.recall([other, Story(members=[ROBOTICS])], DAY2, "en") == [other]
    assert not other.update and memory.news(other) is other


def test_only_the_last_memory_days_count(memory: Memory) -> None:
    remember_day_one(memory)
    story = Story(members=[LANDSLIDE])
    assert memory.recall([story], DAY1 + timedelta(days=7), "en") == []
    assert memory.recall([story], DAY1 + timedelta(days=8), "en") == [story]


def test_rebuilding_a_day_neither_drops_its_own_stories_nor_keeps_the_old_build(memory: Memory) -> None:
    remember_day_one(memory)
    story = Story(members=[LANDSLIDE])
    assert memory.recall([story], DAY1, "en") == [story]  # only earlier days are consulted
    memory.remember(DAY1, [Story(members=[ROBOTICS])])  # the day rebuilt without the landslide
    assert memory.recall([story], DAY2, "en") == [story]


CYCLE_LANES = Article(
    title="Council approves cycle lanes on Quay Street",
    text="The town council voted by nine to four on Monday evening to build protected cycle lanes along the "
    "whole of Quay Street, removing sixty parking spaces. Shop owners warned that fewer parking spaces would "
    "cost them customers, and the council promised a loading bay for deliveries. Work is due to start in June.",
    language="en",
)


def write_articles(folder: Path, articles: list[Article]) -> Path:
    folder.mkdir(parents=True)
    for i, article in enumerate(articles):
        (folder / f"{i}.txt").write_text(f"{article.title}\n\n{article.text}\n", encoding="utf-8")
    return folder


def test_two_consecutive_days_drop_the_repeat_and_keep_the_update(tmp_path: Path, make_config) -> None:
    from digest.edition.write import read_issue
    from digest.errors import NoArticlesError
    from digest.pipeline import build_issue

    config = make_config()
    day1 = write_articles(tmp_path / "day1", [LANDSLIDE, ROBOTICS])
    day2 = write_articles(tmp_path / "day2", [LANDSLIDE, RETOLD, FOLLOW_UP, ROBOTICS, CYCLE_LANES])
    first = build_issue(config, DAY1, paths=[day1])
    assert not any(s.update for s in first.issue.stories)
    second = build_issue(config, DAY2, paths=[day2])
    stories = {s.headline: s for s in read_issue(second.folder).issue.stories}
    assert set(stories) == {FOLLOW_UP.title, CYCLE_LANES.title}
    assert stories[FOLLOW_UP.title].update and not stories[CYCLE_LANES.title].update
    update = stories[FOLLOW_UP.title]
    assert "three weeks" in update.summary or "second crack" in update.summary or "minibus" in update.summary
    assert update.sources[0].title == FOLLOW_UP.title  # the new source first
    # a third day with nothing new: nothing to send, and the error says why
    with pytest.raises(NoArticlesError, match="memory_days"):
        build_issue(config, DAY2 + timedelta(days=1), paths=[day1])
