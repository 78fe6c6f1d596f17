"""Sentence alignment with the real multilingual encoder."""

from __future__ import annotations

import numpy as np
import pytest

from digest.dedup.alignment import alignment, sentences_for_alignment, split_rows
from digest.encoders.embed import Encoder

MATCH_EN = (
    "Rovers won the national cup on Saturday, beating City 5-4 on penalties after a 1-1 draw. "
    "Goalkeeper Tom Ellis saved two penalties in the shoot-out. "
    "City had led through an early header before Rovers equalised late on."
)
MATCH_ES = (
    "El Rovers ganó la copa nacional el sábado al vencer al City 5-4 en la tanda de penaltis. "
    "El portero Tom Ellis detuvo dos penaltis. "
    "El City se había adelantado con un cabezazo temprano antes del empate tardío."
)
# Another match: same topic, different event.
OTHER_MATCH = (
    "United drew 2-2 with Albion in the league on Wednesday night. "
    "Albion's striker scored twice in the first half before United came back. "
    "The result leaves United third in the table with five games to play."
)
LONG_REPORT = MATCH_EN + (
    " Thousands of fans lined the streets for the open-top bus parade on Sunday. "
    "The club's chairman promised a new stadium within five years. "
    "Ticket prices for next season will be announced in June."
)


@pytest.fixture(scope="module")
def rows_of():
    encoder = Encoder(None)

    def embed(text: str, language: str) -> np.ndarray:
        return encoder.encode(sentences_for_alignment(text, language))

    return embed


def test_a_translation_aligns_better_than_another_event_on_the_same_topic(rows_of):
    en, es, other = rows_of(MATCH_EN, "en"), rows_of(MATCH_ES, "es"), rows_of(OTHER_MATCH, "en")
    same, different = alignment(en, es), alignment(en, other)
    assert all(s > d for s, d in zip(same, different, strict=True)), (same, different)


def test_a_short_report_inside_a_long_one_aligns_high_one_way_only(rows_of):
    low, high, top = alignment(rows_of(MATCH_EN, "en"), rows_of(LONG_REPORT, "en"))
    assert high > 0.99 and top > 0.99  # every sentence of the short one is in the long one
    assert low < high - 0.1  # half the long one is not in the short one


def test_short_fragments_are_left_out_and_a_text_without_sentences_keeps_its_head():
    text = "Photo: AFP\nRovers won the national cup on Saturday after penalties.\nShare"
    assert sentences_for_alignment(text, "en") == ["Rovers won the national cup on Saturday after penalties."]
    assert sentences_for_alignment("Short. Bits. Only.", "en") == ["Short. Bits. Only."]
    assert sentences_for_alignment("", "en") == []


def test_an_article_without_sentences_aligns_with_nothing():
    assert alignment(np.zeros((0, 512)), np.ones((2, 512))) == (0.0, 0.0, 0.0)


def test_stacked_rows_split_back_per_article():
    rows = np.arange(10).reshape(5, 2)
    parts = split_rows(rows, [2, 0, 3])
    assert [p.shape[0] for p in parts] == [2, 0, 3]
    assert parts[2][0].tolist() == [4, 5]
