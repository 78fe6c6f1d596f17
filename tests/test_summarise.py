"""The extractive summariser and story blurbs, with the real MiniLM encoder."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from digest.config import SummariserSettings
from digest.models import Article, Story
from digest.state import StateDB
from digest.summarise.summariser import load_summariser
from digest.text.figures import figures
from digest.text.sentences import leans_back, split_sentences

FURNITURE = re.compile(r"sign up|read more|related posts|pictured|pic\.twitter|@\w|subscribe", re.IGNORECASE)


@pytest.fixture(scope="session")
def summariser():
    return load_summariser(SummariserSettings(), None)


def article(text: str, title: str = "", language: str = "en", path: str = "test.txt") -> Article:
    return Article(title=title, text=text, language=language, path=path)


def seed_articles(seeds: Path) -> list[Article]:
    """The raw seeds (furniture and all): headline = first line, French by name."""
    found = []
    for path in sorted(seeds.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        language = "fr" if path.name.startswith("004") else "en"
        found.append(article("\n".join(lines[1:]), lines[0], language, str(path)))
    return found


def squash(text: str) -> str:
    return " ".join(text.split())


def assert_clean_summary(summary: str, sources: list[str], max_words: int = 70) -> None:
    sentences = split_sentences(summary)
    assert 1 <= len(sentences) <= 3
    assert len(summary.split()) <= max_words
    for sentence in sentences:
        assert sentence[-1] in '.!?"”’', sentence  # never a cut sentence
        assert any(sentence in squash(s) for s in sources), sentence  # taken whole from a source
    assert not FURNITURE.search(summary)


PARIS = """The city council of Paris voted on Tuesday to ban cars from the banks of the Seine for good.
Sign up for our newsletter to get the best stories every morning.
The ban covers 3.3 kilometres of road that carried 43,000 cars a day, the council said.
Mayor Anne Hidalgo called the vote a victory for clean air and for the people who walk along the river.
(Pictured: cyclists on the riverbank)
Opponents, led by the regional council, say traffic has simply moved to nearby streets.
Read more
The council plans to plant 2,000 trees along the route by next summer.
"""


def test_article_summary_is_whole_sentences_without_furniture(summariser):
    [done] = summariser.summarise_articles([article(PARIS, "Paris bans cars from the Seine")])
    assert_clean_summary(done.summary, [PARIS])
    assert len(split_sentences(done.summary)) >= 2
    assert "Paris" in done.summary  # the sentence that matches the headline is in


def test_summaries_keep_order_and_respect_the_budget(summariser):
    short = article(
        "The bridge reopened on Monday after two years of repairs. Traffic was light.",
        "Bridge reopens",
        path="a.txt",
    )
    long = article(PARIS, "Paris bans cars from the Seine", path="b.txt")
    done = summariser.summarise_articles([short, long])
    assert [a.path for a in done] == ["a.txt", "b.txt"]
    assert done[0].summary == "The bridge reopened on Monday after two years of repairs."
    assert all(len(a.summary.split()) <= 70 for a in done)


def test_seed_story_gets_a_clean_english_blurb_from_several_sources(summariser, seeds_dir):
    members = summariser.summarise_articles(seed_articles(seeds_dir))
    story = Story(members=members, best=0, language="en")
    blurb = summariser.summarise_story(story)
    english = [m.text for m in members if m.language == "en"]
    assert_clean_summary(blurb, english)
    assert 2 <= len(split_sentences(blurb)) <= 3
    assert not re.search(r"\b(les|des|une|soldats)\b", blurb)  # nothing from the French seed
    used = {m.path for m in members if any(s in squash(m.text) for s in split_sentences(blurb))}
    assert len(used) >= 2  # draws on several outlets, not only the first
    assert not any(leans_back(s) for s in split_sentences(blurb))  # nothing points at nothing


def test_blurb_never_mixes_conflicting_figures(summariser):
    first = article(
        "About 2,000 Russian soldiers have called the Ukrainian surrender hotline, "
        "officials in Kyiv said on Friday.\nThe hotline opened in September and "
        "takes calls around the clock.\nOfficials said 2,000 calls came in the first weeks.",
        "Russian soldiers call surrender hotline",
        path="a.txt",
    )
    second = article(
        "Some 6,500 Russian soldiers have called the Ukrainian surrender hotline, "
        "the Guardian reported.\nThe call centre has ten operators who answer "
        "in Russian.\nBetween September and January, 6,500 soldiers got in touch.",
        "Thousands call Ukraine's surrender line",
        path="b.txt",
    )
    members = summariser.summarise_articles([first, second])
    blurb = summariser.summarise_story(Story(members=members, best=0, language="en"))
    found = figures(blurb)
    assert not ({"2000", "6500"} <= found), blurb
    assert {m.path for m in members if any(s in blurb for s in split_sentences(m.summary))} == {
        "a.txt",
        "b.txt",
    }  # still draws on both sources


def test_blurb_says_a_repeated_fact_once(summariser):
    same = "The central bank raised its main interest rate to 4.5% on Thursday."
    first = article(
        f"{same}\nIt is the fourth rise this year.\nMarkets had expected the move.",
        "Bank raises rates",
        path="a.txt",
    )
    second = article(
        f"{same}\nShop prices rose faster than wages in October.\n"
        "Unions called the decision a blow to households.",
        "Rates up again",
        path="b.txt",
    )
    members = summariser.summarise_articles([first, second])
    blurb = summariser.summarise_story(Story(members=members, best=0, language="en"))
    assert blurb.count(same) == 1


def test_blurb_prefers_the_issue_language(summariser):
    french = article(
        "Le gouvernement a annoncé mardi une hausse des salaires des enseignants. "
        "La mesure coûtera deux milliards d'euros par an.",
        "Hausse des salaires",
        "fr",
        "fr.txt",
    )
    english = article(
        "The government announced a pay rise for teachers on Tuesday. "
        "The measure will cost two billion euros a year.",
        "Teachers get a pay rise",
        "en",
        "en.txt",
    )
    members = summariser.summarise_articles([french, english])
    blurb = summariser.summarise_story(Story(members=members, best=0, language="en"))
    assert blurb.startswith("The government announced")
    assert "gouvernement" not in blurb


def test_a_rerun_summarises_nothing_again(tmp_path, summariser, caplog):
    texts = [
        article(PARIS, "Paris bans cars", path="p.txt"),
        article("The bridge reopened on Monday after two years of repairs.", "Bridge", path="b.txt"),
    ]
    settings = SummariserSettings()
    with StateDB(tmp_path / "state") as state:
        first = load_summariser(settings, state).summarise_articles(texts)
    with StateDB(tmp_path / "state") as state:
        again = load_summariser(settings, state)
        engine_calls = []
        real = again.engine.summarise
        again.engine.summarise = lambda batch: engine_calls.append(batch) or real(batch)
        second = again.summarise_articles(texts)
        assert engine_calls == []  # everything came from the state database
        other = load_summariser(SummariserSettings(max_words=30), state)
        assert other.cache_key(texts[0]) != again.cache_key(texts[0])  # settings are in the key
    assert [a.summary for a in first] == [a.summary for a in second]


@pytest.mark.parametrize(
    "text, language",
    [
        ("The lone sentence of this article says the museum will reopen in May.", "en"),
        (
            "the storm knocked out power to thousands of homes across the region and crews worked "
            "through the night to restore it while schools stayed closed and roads were blocked",
            "en",
        ),
        (
            "Tlhonbogh ghaH yIqaw naDev wa'maH. Qapla' veQ vIlegh jIH DaH jajvam. "
            "Heghlu'meH QaQ jajvam naDev Hoch.",
            "tlh",
        ),
        ("Kiamaa oli tänään suljettu koko päivän. Kauppa avataan huomenna taas kello yhdeksän.", "fi"),
    ],
    ids=["one-sentence", "no-punctuation", "unknown-language", "finnish"],
)
def test_odd_articles_get_a_sensible_summary(summariser, text, language):
    [done] = summariser.summarise_articles([article(text, "", language)])
    assert done.summary
    assert done.summary.rstrip(".") in squash(text)  # whole sentences, at most a full stop added
    assert done.summary[-1] in ".!?"
    assert len(done.summary.split()) <= 70


def test_unsummarisable_articles_are_skipped_with_a_warning(summariser, caplog):
    long = " ".join(["and the council kept on debating the matter"] * 12) + "."
    boilerplate = "Sign up for our newsletter\nRead more\nRelated posts\nFollow us on @news"
    with caplog.at_level(logging.WARNING):
        done = summariser.summarise_articles(
            [article("It " + long, path="long.txt"), article(boilerplate, path="boiler.txt")]
        )
    assert [a.summary for a in done] == ["", ""]
    assert "long.txt" in caplog.text and "boiler.txt" in caplog.text


def test_a_story_with_nothing_to_say_gets_an_empty_blurb(summariser):
    boilerplate = article("Sign up for our newsletter\nRead more\nFollow us", "Newsletter")
    [done] = summariser.summarise_articles([boilerplate])
    assert summariser.summarise_story(Story(members=[done], language="en")) == ""


def test_a_story_with_no_member_in_the_issue_language_is_blurbed_in_the_lead_language(summariser):
    french = article(
        "Le gouvernement a annoncé mardi une hausse des salaires des enseignants. "
        "La mesure coûtera deux milliards d'euros par an.",
        "Hausse des salaires",
        "fr",
    )
    [done] = summariser.summarise_articles([french])
    blurb = summariser.summarise_story(Story(members=[done], language="en"))
    assert blurb.startswith("Le gouvernement a annoncé mardi")
