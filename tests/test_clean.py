"""The cleaner on the seeds and on texts written here: furniture goes, the
article's sentences (quotes included) stay."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digest.clean import clean_article
from digest.ingest import read_paths
from digest.models import RawArticle

# What a reader sees as furniture in the seeds; the cleaner does not know
# these phrases, this list only checks its output.
SEED_FURNITURE = re.compile(
    r"read more|read next|related posts|more stories|sign up|leave a reply|"
    r"email address will not|pictured|pic\.twitter|@\w+|see also|log in|"
    r"read full article|newsletter|award-winning|lisa's top ten|tdpel|bumble dee|"
    r"first task of the day|unlimited free access|\u00bbThousands|\U0001f1fa|IBC$",
    re.IGNORECASE | re.MULTILINE,
)

SEED_HEADLINES = {
    "000": "Thousands of Russian soldiers have surrendered to Ukraine",
    "001": "Thousands of Russian Soldiers Surrendering via Ukrainian Hotline",
    "002": "Russians call in to Ukrainian surrender hotline in droves after 100k mates slain",
    "003": "According to the Ukrainian government, 6,500 Russian soldiers have already tried",
    "004": "L\u2019Ukraine a mis en place une hotline permettant aux soldats russes",
}


@pytest.fixture(scope="module")
def seed_articles():
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    return {Path(raw.path).name[:3]: clean_article(raw) for raw in read_paths([seeds])}


def test_every_seed_gives_an_article(seed_articles):
    assert sorted(seed_articles) == ["000", "001", "002", "003", "004"]
    assert all(article is not None for article in seed_articles.values())


@pytest.mark.parametrize("seed", sorted(SEED_HEADLINES))
def test_seed_headline_is_the_real_one(seed_articles, seed):
    assert seed_articles[seed].title.startswith(SEED_HEADLINES[seed])


@pytest.mark.parametrize("seed", sorted(SEED_HEADLINES))
def test_seed_text_has_no_furniture(seed_articles, seed):
    text = seed_articles[seed].text
    assert not SEED_FURNITURE.search(text), SEED_FURNITURE.search(text)


def test_seed_languages(seed_articles):
    languages = {seed: article.language for seed, article in seed_articles.items()}
    assert languages == {"000": "en", "001": "en", "002": "en", "003": "en", "004": "fr"}


def test_seed_headline_is_not_repeated_in_the_body(seed_articles):
    article = seed_articles["000"]
    assert article.title not in article.text


def test_seed_quotes_and_sentences_are_kept(seed_articles):
    assert "\u201cI will surrender.\u201d" in seed_articles["003"].text
    assert '"We have already received more than two thousand applications,"' in seed_articles["001"].text
    assert "Ukrainska Pravda" in seed_articles["004"].text
    assert "They can make contact via a chatbot on the website or by telephone." in seed_articles["002"].text
    # the last real paragraph before the link list survives
    assert "could not be independently verified." in seed_articles["003"].text


def test_article_keeps_its_origin():
    published = __import__("datetime").datetime(2022, 10, 7, tzinfo=__import__("datetime").UTC)
    raw = RawArticle(text="A short but real sentence about the harbour.", title="Harbour news",
                     path="a.json", url="https://example.com/a", outlet="The Port",
                     published=published, weight=2.0)
    article = clean_article(raw)
    assert (article.path, article.url, article.outlet, article.published, article.weight) == (
        "a.json", "https://example.com/a", "The Port", published, 2.0)


def test_nothing_usable_is_none_with_a_warning_naming_the_origin(caplog):
    raw = RawArticle(text="Sign up for our newsletter\n\nRead more\n\nLeave a Reply\n", path="junk.txt")
    assert clean_article(raw) is None
    assert "junk.txt" in caplog.text
