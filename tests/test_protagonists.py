"""Who an article is about (digest.dedup.protagonists) and its offset when a day is grouped.

Texts written for these tests: two reports of one arrest, and an arrest of
another person in another town that reads much like it.
"""

from __future__ import annotations

import pytest

from digest.config import DedupSettings
from digest.dedup.calibration import CALIBRATION
from digest.dedup.deduplicator import Deduplicator, Embedded, load_deduplicator
from digest.dedup.protagonists import Rarity, protagonists, shared
from digest.dedup.similarity import PairScorer
from digest.models import Article

ARREST = Article(
    title="Millbrook woman charged over warehouse fire",
    text=(
        "Police in Millbrook have charged Dana Kowalski, 44, with arson after a fire destroyed the old "
        "Harland grain warehouse on Monday night. Kowalski, a former Harland employee, was arrested at her "
        "home on Tuesday. Fire crews from Millbrook and two neighbouring towns fought the blaze for six "
        "hours. Harland said the building had stood empty since the spring."
    ),
    language="en",
)
ARREST_RETOLD = Article(
    title="Ex-worker accused of burning Harland warehouse",
    text=(
        "A former employee of Harland has been accused of setting the fire that gutted the company's "
        "disused grain warehouse in Millbrook. Dana Kowalski appeared in court on Wednesday; prosecutors "
        "said Kowalski had argued with Harland managers before she was let go. Nobody was hurt in the "
        "fire, which Millbrook firefighters needed six hours to put out."
    ),
    language="en",
)
OTHER_ARREST = Article(
    title="Riverton man charged over lumber yard fire",
    text=(
        "Police in Riverton have charged Tom Baxter, 37, with arson after a fire destroyed the Crestwood "
        "lumber yard on Saturday night. Baxter, a former Crestwood driver, was arrested at a friend's "
        "house on Sunday. Fire crews from Riverton fought the blaze for five hours. Crestwood said the "
        "yard would reopen within a month."
    ),
    language="en",
)
FLOOD = Article(
    title="River bursts its banks after a week of rain",
    text=(
        "Hundreds of homes were evacuated on Tuesday after the river burst its banks following a week "
        "of heavy rain. Emergency services used boats to reach people trapped upstairs, and the "
        "railway line to the coast was closed."
    ),
    language="en",
)


def test_protagonists_are_the_names_a_text_repeats() -> None:
    found = protagonists(ARREST.title + "\n" + ARREST.text)
    assert {"millbr", "kowals", "harlan"} <= found
    assert "dana" not in found and "monday" not in found  # named once


def test_a_text_that_repeats_no_name_keeps_all_its_names() -> None:
    assert protagonists("Heavy rain hit Lisbon as storms crossed Portugal; heavy rain is due.") == {
        "lisbon",
        "portug",
    }
    assert protagonists("no names at all here.") == frozenset()


def test_a_name_in_every_article_weighs_less_than_a_rare_one() -> None:
    rarity = Rarity([frozenset({"obama", "gupta"}), frozenset({"obama", "benjam"}), frozenset({"obama"})])
    assert rarity.weight("obama") < rarity.weight("gupta")
    assert rarity.weight("gupta") == rarity.weight("benjam")
    assert rarity.weight("obama") > 0  # it still counts a little


def test_shared_weight_is_a_share_of_the_smaller_article() -> None:
    rarity = Rarity([frozenset({"obama", "gupta"}), frozenset({"obama", "benjam"}), frozenset({"obama"})])
    assert shared(frozenset({"obama", "gupta"}), frozenset({"obama", "gupta"}), rarity) == pytest.approx(1.0)
    same_president = shared(frozenset({"obama", "gupta"}), frozenset({"obama", "benjam"}), rarity)
    assert same_president is not None and 0.0 < same_president < 0.5  # only the common name is shared
    assert shared(frozenset(), frozenset({"obama"}), rarity) is None


def test_other_protagonists_lower_the_score_in_a_day_and_shared_ones_do_not(dedup: Deduplicator) -> None:
    embedded = Embedded(dedup.encoder, [ARREST, ARREST_RETOLD, OTHER_ARREST, FLOOD])
    same, other = embedded.pair(0, 1), embedded.pair(0, 2)
    assert same.who is not None and other.who is not None and same.who > other.who
    scorer = PairScorer(CALIBRATION)
    assert scorer.who_weight > 0
    in_day, alone = scorer.score([same, other], in_day=True), scorer.score([same, other])
    assert in_day[0] == pytest.approx(alone[0])  # the same arrest: shared names are no bonus
    assert in_day[1] < alone[1]  # another arrest of the same kind: less likely one story
    assert in_day[0] >= dedup.threshold > in_day[1]


def test_pairs_scored_on_their_own_have_no_offset(dedup: Deduplicator) -> None:
    pair = Embedded(dedup.encoder, [ARREST, OTHER_ARREST]).pair(0, 1)
    without = PairScorer({**CALIBRATION, "who": {}})
    assert PairScorer(CALIBRATION).score([pair]).tolist() == without.score([pair], in_day=True).tolist()


def test_the_day_groups_the_two_reports_and_keeps_the_other_arrest_apart(dedup: Deduplicator) -> None:
    stories = dedup.group([ARREST, OTHER_ARREST, FLOOD, ARREST_RETOLD], "en")
    groups = sorted(sorted(m.title for m in s.members) for s in stories)
    assert sorted([ARREST.title, ARREST_RETOLD.title]) in groups
    assert [OTHER_ARREST.title] in groups and [FLOOD.title] in groups


def test_no_offset_across_languages(dedup: Deduplicator) -> None:
    # the same names in the same script, but another language: the offset stays out
    french = Article(title="Incendie à Millbrook", text=ARREST.text, language="fr")
    embedded = Embedded(dedup.encoder, [ARREST, french])
    assert PairScorer(CALIBRATION).who_offsets([embedded.pair(0, 1)]).tolist() == [0.0]
