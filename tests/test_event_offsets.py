"""The event offsets of the pair score (digest.dedup.similarity.event_matrix): agreement on
a place both heads name counts for one story only when nothing contradicts, and two heads
that name different occasions count against one story.

Texts: the arrest reports of test_protagonists (two reports in Millbrook, another arrest
in Riverton), and a third Millbrook text that gives another age for the accused; two
reports of one theatre award night and a preview of another award night with the same
play, people and city."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_protagonists import ARREST, ARREST_RETOLD, OTHER_ARREST

from digest.config import DedupSettings
from digest.dedup.calibration import CALIBRATION
from digest.dedup.deduplicator import Deduplicator, Embedded, load_deduplicator
from digest.dedup.similarity import EVENT_FEATURES, Pair, PairScorer, event_matrix
from digest.models import Article

OTHER_AGE = Article(
    title="Millbrook man charged over warehouse fire",
    text="Police in Millbrook have charged a man, 61, with arson after a fire at a warehouse on Friday.",
    language="en",
)
AWARDS = Article(
    title="Harbour play sweeps theatre prizes",
    text=(
        "The Harbour by Nina Castell has been named best new play at the Critics' Circle Theatre Awards "
        "in London. The play, which opened at the Lyric Theatre in the spring, also won best actress for "
        "Maria Okafor. Castell said she had written the play in a caravan on the coast. The musical "
        "Paper Kings won best musical, and Tom Reyes was named best director for Paper Kings."
    ),
    language="en",
)
AWARDS_RETOLD = Article(
    title="Critics crown Castell's The Harbour",
    text=(
        "Nina Castell's The Harbour was the big winner at the Critics' Circle Theatre Awards in London, "
        "taking best new play, while Maria Okafor was named best actress for her role as the widow. "
        "Paper Kings won best musical and its director Tom Reyes took the directing prize. Castell "
        "thanked the Lyric Theatre for staging a first play."
    ),
    language="en",
)
OTHER_AWARDS = Article(
    title="West End prepares to honour its finest shows",
    text=(
        "The West End will honour its best stars and shows at the Evening Standard Theatre Awards in "
        "London on Monday. Nina Castell's The Harbour is shortlisted for best play against two revivals, "
        "and Maria Okafor is up for best actress. The musical Paper Kings competes with three shows for "
        "best musical. Last year's ceremony was held at the Savoy, and this year's guests include the "
        "mayor."
    ),
    language="en",
)
PLACE = EVENT_FEATURES.index("agree_place")
OCCASION = EVENT_FEATURES.index("conflict_occasion")


def test_the_same_place_counts_only_without_a_contradiction(dedup: Deduplicator) -> None:
    embedded = Embedded(dedup.encoder, [ARREST, ARREST_RETOLD, OTHER_ARREST, OTHER_AGE])
    same, other_town, other_age = embedded.pair(0, 1), embedded.pair(0, 2), embedded.pair(0, 3)
    rows = event_matrix([same, other_town, other_age])
    assert rows[0, PLACE] == 1.0  # both name Millbrook
    assert rows[1, PLACE] == 0.0  # Riverton
    assert rows[2, PLACE] == 0.0 and rows[2, EVENT_FEATURES.index("conflict_age")] == 1.0  # 44 against 61


def test_the_fitted_place_weight_raises_the_score_of_one_story(dedup: Deduplicator) -> None:
    assert CALIBRATION["events"]["agree_place"] > 0  # fitted with its sign fixed: never against
    same = Embedded(dedup.encoder, [ARREST, ARREST_RETOLD]).pair(0, 1)
    without = {**CALIBRATION, "events": {**CALIBRATION["events"], "agree_place": 0.0}}
    assert PairScorer(CALIBRATION).score([same])[0] > PairScorer(without).score([same])[0]


def without_occasions(pair: Pair) -> Pair:
    """The pair as it scores when no occasion is read from either text."""
    first, second = (
        replace(p, facts=replace(p.facts, occasions=frozenset(), lead_occasions=frozenset()))
        for p in (pair.first, pair.second)
    )
    return pair._replace(first=first, second=second)


def test_two_award_nights_are_two_stories(dedup: Deduplicator) -> None:
    embedded = Embedded(dedup.encoder, [AWARDS, AWARDS_RETOLD, OTHER_AWARDS])
    same, other_night = embedded.pair(0, 1), embedded.pair(0, 2)
    rows = event_matrix([same, other_night])
    assert rows[0, OCCASION] == 0.0 and rows[0, PLACE] == 1.0
    assert rows[1, OCCASION] == 1.0 and rows[1, PLACE] == 0.0  # London counts no more
    assert CALIBRATION["events"]["conflict_occasion"] < 0  # fitted with its sign fixed: never for
    # the play, the people and the city are the same: read without its occasions, the other
    # night would join the story; with them, it stays a story of its own
    scorer = PairScorer(CALIBRATION)
    assert scorer.score([without_occasions(other_night)], in_day=True)[0] >= scorer.link_threshold
    assert scorer.score([other_night], in_day=True)[0] < scorer.join_floor
    stories = dedup.group([AWARDS, AWARDS_RETOLD, OTHER_AWARDS], "en")
    assert sorted(len(s.members) for s in stories) == [1, 2]
