"""The event offsets of the pair score (digest.dedup.similarity.event_matrix): agreement on
a place both heads name counts for one story only when nothing contradicts.

Texts: the arrest reports of test_protagonists (two reports in Millbrook, another arrest
in Riverton), and a third Millbrook text that gives another age for the accused."""

from __future__ import annotations

import pytest
from test_protagonists import ARREST, ARREST_RETOLD, OTHER_ARREST

from digest.config import DedupSettings
from digest.dedup.calibration import CALIBRATION
from digest.dedup.deduplicator import Deduplicator, Embedded, load_deduplicator
from digest.dedup.similarity import EVENT_FEATURES, PairScorer, event_matrix
from digest.models import Article

OTHER_AGE = Article(
    title="Millbrook man charged over warehouse fire",
    text="Police in Millbrook have charged a man, 61, with arson after a fire at a warehouse on Friday.",
    language="en",
)
PLACE = EVENT_FEATURES.index("agree_place")


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
