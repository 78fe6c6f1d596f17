"""Cheap signals before and beside the model: near-copies, numbers, names."""

from __future__ import annotations

from digest.dedup.nearcopy import find_copies, jaccard, signature
from digest.dedup.signals import fold, names, numbers, overlap
from digest.text.figures import figures

WIRE = (
    "Firefighters battled a blaze at a chemical plant on the edge of the city for six hours on "
    "Thursday. Two workers were taken to hospital with minor burns, the fire service said. "
    "Residents within a mile were told to keep their windows closed while the smoke cleared. "
    "The company said production would resume next week after an inspection of the site."
)


def test_a_syndicated_copy_with_small_edits_is_a_near_copy():
    edited = WIRE.replace("Thursday", "Thursday night") + " (Reuters)"
    other = "The city council approved a new budget on Monday, raising spending on schools and parks."
    assert find_copies([WIRE, other, edited, WIRE]) == [(0, 2), (0, 3), (2, 3)]


def test_a_rewrite_of_the_same_event_is_not_a_copy():
    rewrite = (
        "A fire at a chemical works burned for six hours on Thursday and sent two staff to hospital. "
        "People living nearby were asked to shut their windows until the smoke was gone."
    )
    assert find_copies([WIRE, rewrite]) == []
    assert jaccard(signature(WIRE), signature(rewrite)) < 0.5


def test_texts_without_words_are_never_copies_and_chinese_is_shingled_by_characters():
    chinese = (
        "英国的街道上堆满了圣诞垃圾，新年前夜后瓶装水满溢，由于议会指责工作人员生病，圣诞节后垃圾堆积如山。"
    )
    assert signature("") is None and signature("!!! ...") is None
    assert find_copies(["", "", "...", chinese, chinese + "图片来源：网络"]) == [(3, 4)]


def test_a_one_megabyte_text_gets_a_signature():
    assert signature(WIRE * 2500).shape == (64,)


def test_numbers_survive_the_way_each_language_writes_them():
    assert numbers("2,000 soldiers") == numbers("2.000 Soldaten") == numbers("2 000 soldats") == {"2000"}
    assert numbers("in 2022, 15 September, 6,500 calls") == {"2022", "15", "6500"}
    assert numbers("3 people, 1.5 million") == frozenset()  # too common to tell events apart
    assert numbers("٢٠٢٠") == {"2020"}  # Arabic-Indic digits
    assert numbers("1 234 567 et 1 234 568") == {"1234567", "1234568"}  # exact, not rounded


def test_figures_keep_small_numbers_and_decimals_in_one_spelling():
    assert figures("3 people, 1.5 million") == figures("3 personnes, 1,5 million") == {"3", "1.5"}
    assert figures("1.200,50 euros") == figures("1,200.50 dollars") == {"1200.5"}
    assert figures("0.50 and 007") == {"0.5", "7"}
    assert figures("no figure here") == frozenset()


def test_names_are_capitalised_words_never_written_in_lower_case():
    text = "The army said Andriy Yusov spoke in Kyiv. The hotline works. L’Ukraine aussi. the end"
    assert names(text) == {"andriy", "yusov", "kyiv", "ukrain"}
    assert fold("Łódź") == "lodz" and fold("Zürich") == "zurich"


def test_overlap_is_the_share_of_the_smaller_set():
    assert overlap(frozenset({"a", "b"}), frozenset({"a", "b", "c", "d"})) == 1.0
    assert overlap(frozenset({"a", "b"}), frozenset({"b", "c"})) == 0.5
    assert overlap(frozenset(), frozenset({"a"})) is None
