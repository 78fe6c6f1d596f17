"""The faithfulness guard on summaries written here (no model needed)."""

from __future__ import annotations

from digest.summarise.abstractive import trim
from digest.summarise.faithfulness import unsupported

SOURCE = (
    "About 2,000 Russian soldiers called the hotline in September, Andriy Yusov said "
    "on Friday. Ukraine's army advanced near Kharkiv."
)


def test_a_faithful_summary_passes():
    assert unsupported("Some 2000 Russian soldiers called the hotline, Yusov said.", SOURCE) == []
    assert unsupported("Ukraine's army advanced in September.", SOURCE) == []


def test_an_invented_figure_is_caught():
    assert unsupported("About 6,500 soldiers called the hotline.", SOURCE) == ["figure 6500"]


def test_figures_written_the_french_or_german_way_are_the_same_figures():
    source = "Près de 2 000 soldats russes ont appelé la ligne, 3,5 % de plus qu'en août."
    assert unsupported("Près de 2 000 soldats ont appelé, soit 3,5 % de plus.", source, "fr") == []
    assert unsupported("Près de 2000 soldats ont appelé.", source, "fr") == []
    assert unsupported("Près de 3 000 soldats ont appelé.", source, "fr") == ["figure 3000"]
    assert unsupported("Etwa 2.000 Soldaten riefen an.", "Etwa 2.000 Soldaten riefen an.", "de") == []


def test_an_invented_name_is_caught_even_first_in_a_sentence():
    assert unsupported("Putin's army retreated from Kharkiv.", SOURCE) == ["name Putin"]
    assert unsupported("The hotline is run by Vitaly Matvienko.", SOURCE) == ["name Vitaly", "name Matvienko"]


def test_an_invented_date_is_caught():
    assert unsupported("Soldiers called the hotline in October.", SOURCE) == ["name October"]
    assert unsupported("Les soldats ont appelé en janvier.", "Les soldats ont appelé.", "fr") == [
        "date janvier"
    ]


def test_trim_keeps_whole_sentences_within_the_budget():
    text = "The council voted on Tuesday. It banned cars from the river. Then the mayor said"
    assert trim(text, "en", 3, 70) == "The council voted on Tuesday. It banned cars from the river."
    assert trim(text, "en", 1, 70) == "The council voted on Tuesday."
    assert trim(text, "en", 3, 6) == "The council voted on Tuesday."
    assert trim("no full stop at all here", "en", 3, 70) == ""
