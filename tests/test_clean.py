"""The cleaner on the seeds and on texts written here: furniture goes, the
article's sentences (quotes included) stay."""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.benchmarks import clean as clean_benchmark
from digest.clean.cleaner import MAX_TEXT_CHARS, clean_article
from digest.clean.furniture import furniture_kind
from digest.clean.notices import notice_kind
from digest.ingest.files import read_paths
from digest.models import Article, RawArticle

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
    published = datetime(2022, 10, 7, tzinfo=UTC)
    raw = RawArticle(
        text="A short but real sentence about the harbour.",
        title="Harbour news",
        path="a.json",
        url="https://example.com/a",
        outlet="The Port",
        published=published,
        weight=2.0,
    )
    article = clean_article(raw)
    assert (article.path, article.url, article.outlet, article.published, article.weight) == (
        "a.json",
        "https://example.com/a",
        "The Port",
        published,
        2.0,
    )


def test_nothing_usable_is_none_with_a_warning_naming_the_origin(caplog):
    raw = RawArticle(text="Sign up for our newsletter\n\nRead more\n\nLeave a Reply\n", path="junk.txt")
    assert clean_article(raw) is None
    assert "junk.txt" in caplog.text


# --- furniture rules on texts written here --------------------------------------

ENGLISH_PAGE = """Welcome to The Harbour Gazette, your weekly newsletter from the coast.
News you can trust

Subscribe now and get 30 days free

Council approves new ferry route to the islands

By Jane Miller
Updated 21 November 2026, 09:12

The town council voted on Thursday to approve a new ferry route linking the harbour with the three outer islands.

A ferry at the harbour entrance (pictured, the old vessel in 2019)
Photo: John Smith/Getty Images

"Our subscribers have asked for this for years," said the operator's chief executive, Anna Berg. "You will be able to cross in forty minutes."

READ MORE: Storm damage closes coastal road for a week

The route will start in March, with four crossings a day in winter and eight in summer.

Related Stories
\u2022 Fishermen protest new quotas
\u2022 Harbour wall repairs delayed again
\u2022 Why are ferry tickets so expensive?

Residents of the islands have campaigned for a direct link since the last service stopped in 2015.

The town council voted on Thursday to approve the new ferry route linking the harbour with the three outer islands.

Sign up to our morning briefing to get the latest news straight to your inbox.

Journalist. Coffee lover. Ferry enthusiast. Part-time sailor.

Leave a Reply

Your email address will not be published. Required fields are marked *

Great news, finally something for us islanders.
"""

FRENCH_PAGE = """Inondations : la ville de N\u00eemes sous l'eau
Par Claire Dubois
Les pluies torrentielles ont provoqu\u00e9 des inondations dans le centre de N\u00eemes dans la nuit de lundi \u00e0 mardi.
Lire aussi : M\u00e9t\u00e9o : alerte orange dans le Gard
Selon la pr\u00e9fecture, plus de 300 personnes ont d\u00fb \u00eatre \u00e9vacu\u00e9es et deux \u00e9coles resteront ferm\u00e9es jeudi.
Inscrivez-vous \u00e0 notre newsletter pour recevoir l'essentiel de l'actualit\u00e9 chaque matin.
\u00ab Nous n'avions jamais vu cela \u00bb, a confi\u00e9 une habitante au journal local.
Huge floods in N\u00eemes tonight, stay safe everyone \U0001f1eb\U0001f1f7
Rescue teams worked through the night \U0001f692 pic.twitter.com/abc123
\u2014 M\u00e9t\u00e9o Express (@MeteoExpress) November 21, 2026
Le maire a demand\u00e9 l'\u00e9tat de catastrophe naturelle d\u00e8s mardi matin.
Une rue du centre-ville inond\u00e9e | AFP
Sur le m\u00eame sujet
Les inondations de 2002 dans le Gard
Comment se prot\u00e9ger des crues ?
"""

GERMAN_PAGE = """Bahnstreik legt Fernverkehr lahm

Der Streik der Lokf\u00fchrer hat am Mittwoch den Fernverkehr in ganz Deutschland weitgehend zum Erliegen gebracht.

Weiterlesen

Nach Angaben der Bahn fielen rund 80 Prozent der Fernz\u00fcge aus, im Regionalverkehr war die Lage unterschiedlich.

Jetzt abonnieren und keinen Artikel mehr verpassen!

Die Gewerkschaft k\u00fcndigte weitere Streiks f\u00fcr die kommende Woche an.

Mehr zum Thema
Bahnstreik: Was Fahrg\u00e4ste jetzt wissen m\u00fcssen
Tarifstreit: Die wichtigsten Fragen
"""


def clean_text(text: str, **fields) -> Article:
    article = clean_article(RawArticle(text=text, path="page.txt", **fields))
    assert article is not None
    return article


def test_english_page_keeps_the_article_and_drops_the_furniture():
    article = clean_text(ENGLISH_PAGE)
    assert article.title == "Council approves new ferry route to the islands"
    assert article.language == "en"
    assert article.text.split("\n\n") == [
        "The town council voted on Thursday to approve a new ferry route linking the harbour "
        "with the three outer islands.",
        '"Our subscribers have asked for this for years," said the operator\'s chief executive, '
        'Anna Berg. "You will be able to cross in forty minutes."',
        "The route will start in March, with four crossings a day in winter and eight in summer.",
        "Residents of the islands have campaigned for a direct link since the last service stopped in 2015.",
    ]


def test_french_page_with_an_english_embedded_tweet():
    article = clean_text(FRENCH_PAGE)
    assert article.title == "Inondations : la ville de N\u00eemes sous l'eau"
    assert article.language == "fr"
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Les pluies torrentielles")
    assert paragraphs[2].startswith("\u00ab Nous n'avions jamais vu cela \u00bb")
    assert paragraphs[3].startswith("Le maire a demand\u00e9")
    assert not re.search(r"Huge floods|Rescue teams|@|AFP|Lire aussi|newsletter|crues", article.text)


def test_german_page_read_more_and_subscribe_prompts():
    article = clean_text(GERMAN_PAGE)
    assert article.language == "de"
    assert [p[:20] for p in article.text.split("\n\n")] == [
        "Der Streik der Lokf\u00fc",
        "Nach Angaben der Bah",
        "Die Gewerkschaft k\u00fcn",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for The Morning Post",
        "To stay up to date, make sure you sign up to one of our newsletters here.",
        "Log in or create an account and never miss a story.",
        "Unlimited free access to The Post? Here it is!",
        "Abonnez-vous pour lire la suite.",
        "Suscr\u00edbete a nuestro bolet\u00edn.",
        "READ MORE: Storm closes road",
        "\u21af\u21af Read More On The Topic On Some Site \u21af\u21af",
        "See also. All about the storm in pictures",
        "Lire aussi : la temp\u00eate en images",
        "Related Posts",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "pic.twitter.com/AbC123",
        "\U0001f4f9: @janedoe pic.twitter.com/AbC123",
        "View this post on Instagram",
        "Rescuers at the scene on Monday (pictured, a fire engine)",
        "Photo: Jane Doe/Reuters",
        "Flooded street | Jane Doe",
        "Source: Read Full Article",
        "Home of the Daily Brief, the morning email that brings you the world.",
        "Copyright 2026 The Daily. All rights reserved.",
        "Creator. Award-winning problem solver. Music evangelist. Incurable introvert.",
        "Image source, Getty Images",
        "Image copyright AFP/Getty Image caption The harbour at dawn, before the first crossing",
        "Image caption Goce needed its engine power to stay in orbit",
        "Media playback is unsupported on your device Media caption The ferry's first crossing",
        "The post Ferry route approved appeared first on The Harbour Gazette.",
        "This article was originally published on The Conversation.",
        "Story continues below advertisement",
        "ADVERTISEMENT",
    ],
)
def test_furniture_lines(line):
    assert furniture_kind(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "The minister told Reuters that the deal was off.",
        '"Sign up now, or you will regret it," the recruiter told our reporter.',
        "Users who sign up to the service get a month free, the company said.",
        "More than 300 people were evacuated from the old town.",
        "Related to the case, police arrested two men on Friday.",
        "By the end of the day, the river had risen by two metres.",
        "\u00ab Nous n'avions jamais vu cela \u00bb, a confi\u00e9 une habitante.",
        "Der Minister sagte, die Lage sei ernst.",
        'He said: "We will not surrender."',
        "The post office will close on Monday, the council said.",
        "This article of the treaty was published in 1957.",
        "Our team is on the ground and safe tonight \U0001f1fa\U0001f1e6",
        "\u2014 Jane Doe (@janedoe) March 3, 2024",
        "| 3 | Kevin Harvick | 5033 | 4 |",
    ],
)
def test_sentences_are_not_furniture(line):
    assert furniture_kind(line) is None


def test_link_list_after_a_bare_header_ends_at_the_next_prose():
    text = (
        "Storm closes coastal road\n\nThe road will stay closed for a week, officials said.\n\n"
        "More Stories\nTrain fares rise again\nIs the ferry worth it?\n\n"
        "Engineers will inspect the sea wall on Monday.\n"
    )
    article = clean_text(text)
    assert article.text == (
        "The road will stay closed for a week, officials said.\n\n"
        "Engineers will inspect the sea wall on Monday."
    )


def test_comments_after_a_comment_form_are_dropped():
    body = "\n\n".join(f"Paragraph {n} of the report says something new." for n in range(6))
    text = f"Report finds rising seas\n\n{body}\n\nLeave a comment\n\nI disagree with this report entirely.\n"
    article = clean_text(text)
    assert "disagree" not in article.text
    assert article.text.count("Paragraph") == 6


def test_exact_and_near_exact_repeats_are_dropped_but_longer_versions_kept():
    text = (
        "Bridge reopens\n\n"
        "The old bridge over the river reopened to traffic on Saturday morning after two long years "
        "of repairs to its piers.\n\n"
        "The old bridge over the river reopened to traffic on Saturday morning after two long years "
        "of repairs to its piers.\n\n"
        "The old bridge over the river reopened to cars on Saturday morning after two long years "
        "of repairs to its piers.\n\n"
        "The mayor said the repairs cost four million euros. The old bridge over the river reopened to "
        "traffic on Saturday morning after two long years of repairs to its piers, and cyclists "
        "have a new lane.\n"
    )
    paragraphs = clean_text(text).text.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[1].startswith("The mayor said")


def test_headline_echoes_are_dropped():
    text = (
        "Bridge reopens after repairs\n\nBridge reopens after repairs\n\n"
        "The old bridge reopened on Saturday.\n\n\u00bbBridge reopens after repairs\u00ab\n"
    )
    article = clean_text(text)
    assert article.title == "Bridge reopens after repairs"
    assert article.text == "The old bridge reopened on Saturday."


def test_given_title_loses_the_site_name_and_its_echo():
    article = clean_text(
        "Bridge reopens\nThe old bridge reopened on Saturday.",
        title="Bridge reopens | The Daily",
        outlet="The Daily",
    )
    assert article.title == "Bridge reopens"
    assert article.text == "The old bridge reopened on Saturday."


def test_headline_from_a_first_paragraph_keeps_the_paragraph():
    text = (
        "According to officials, the dam held through the night. Water levels fell by morning "
        "and residents were allowed home.\nEngineers will inspect the dam on Monday."
    )
    article = clean_text(text)
    assert article.title == "According to officials, the dam held through the night."
    assert article.text.startswith("According to officials")


def test_mojibake_is_repaired():
    # UTF-8 read as Latin-1, as a careless page or feed does it.
    broken = "Putin\u2019s army \u2014 \u201cforever\u201d".encode("utf-8").decode("latin-1")
    article = clean_text(f"Caf\u00c3\u00a9 closes\n\n{broken} is what he said.")
    assert article.title == "Caf\u00e9 closes"
    assert article.text == "Putin\u2019s army \u2014 \u201cforever\u201d is what he said."


def test_hard_wrapped_text_is_unwrapped():
    paragraph = (
        "The harbour authority said on Monday that the new pier would be finished by the "
        "end of next year, two years later than planned, because the contractor had gone "
        "bankrupt and a new one had to be found after a long tender process."
    )
    wrapped = textwrap.fill(paragraph, 60)
    text = f"Pier delayed\n\n{wrapped}\n\n{wrapped.replace('harbour', 'port')}\n"
    article = clean_text(text)
    assert article.text.split("\n\n")[0] == paragraph


def test_lists_subheads_and_unpunctuated_paragraphs_inside_the_article_stay():
    text = (
        "Fire at the docks\n\n"
        "A fire broke out at the docks on Sunday night, and crews from three towns were called in.\n\n"
        "What we know so far\n\n"
        "The owner said the warehouse held timber, paint and several tonnes of fertiliser\n\n"
        "Road closures tonight:\n\n"
        "- Dock Road from the roundabout to the quay\n\n"
        "- Harbour Street between 6pm and midnight\n\n"
        "Residents were told to keep windows shut until the smoke clears.\n"
    )
    assert clean_text(text).text.split("\n\n") == [
        "A fire broke out at the docks on Sunday night, and crews from three towns were called in.",
        "What we know so far",
        "The owner said the warehouse held timber, paint and several tonnes of fertiliser",
        "Road closures tonight:",
        "- Dock Road from the roundabout to the quay",
        "- Harbour Street between 6pm and midnight",
        "Residents were told to keep windows shut until the smoke clears.",
    ]


def test_a_short_label_after_the_last_paragraph_goes():
    text = (
        "Ferry route approved\n\n"
        "The council approved the new ferry route to the islands on Thursday evening.\n\n"
        "Crossings start in March, with four a day in winter.\n\nHarbour TV\n"
    )
    assert clean_text(text).text.endswith("four a day in winter.")


def test_repeated_short_lines_stay():
    text = (
        "Three cooks, three questions\n\n"
        "We asked three cooks from the market the same questions about their trade.\n\n"
        "What got you started?\n\nMy grandmother ran the stall before me.\n\n"
        "What got you started?\n\nI needed work after the factory closed.\n\n"
        "Monday\n\n1 cup oats, 1 banana, 1 tsp.\n\nTuesday\n\n1 cup oats, 1 banana, 1 tsp.\n"
    )
    paragraphs = clean_text(text).text.split("\n\n")
    assert paragraphs.count("What got you started?") == 2
    assert paragraphs.count("1 cup oats, 1 banana, 1 tsp.") == 2


def test_an_embedded_post_in_the_articles_language_stays_a_foreign_one_goes():
    post = (
        "Rescue teams worked through the night to reach the village \U0001f692\n"
        "pic.twitter.com/abc123\n"
        "\u2014 City Fire Service (@cityfire) November 21, 2026\n"
    )
    english = (
        "Floods hit the valley\n\nHeavy rain flooded the valley on Monday and hundreds of people "
        "left their homes.\n" + post + "The river is expected to fall by Wednesday, forecasters said.\n"
    )
    text = clean_text(english).text
    assert "Rescue teams worked through the night" in text and "(@cityfire)" in text
    assert "pic.twitter.com" not in text
    french = (
        "Inondations dans la vall\u00e9e\n\nDe fortes pluies ont inond\u00e9 la vall\u00e9e lundi et des "
        "centaines d'habitants ont quitt\u00e9 leur maison.\n" + post + "La rivi\u00e8re devrait baisser "
        "d'ici mercredi, selon les pr\u00e9visionnistes.\n"
    )
    text = clean_text(french).text
    assert "Rescue teams" not in text and "@cityfire" not in text
    assert text.endswith("selon les pr\u00e9visionnistes.")


def test_text_without_any_sentence_is_kept_rather_than_lost():
    text = "Storm warning for the north\n\nHeavy rain expected tonight\n\nWinds up to 100 km/h\n"
    assert clean_text(text).text == "Heavy rain expected tonight\n\nWinds up to 100 km/h"


def test_very_long_text_is_capped_with_a_warning(caplog):
    words = ["harbour", "ferry", "council", "storm", "bridge", "river", "road", "school", "mayor", "market"]
    paragraphs = (" ".join(random.Random(n).choices(words, k=20)) + "." for n in range(3000))
    text = "Long read\n\n" + "\n\n".join(paragraphs)
    article = clean_text(text)
    assert len(article.text) <= MAX_TEXT_CHARS
    assert "page.txt" in caplog.text and "characters" in caplog.text


def test_a_link_list_at_the_top_does_not_swallow_the_headline():
    text = (
        "Trending Now\nElection night live\nStorm latest\n\n"
        "Council approves new ferry route\n\nThe council voted on Thursday to approve the route.\n"
    )
    article = clean_text(text)
    assert article.title == "Council approves new ferry route"
    assert article.text == "The council voted on Thursday to approve the route."


def test_one_line_article_keeps_its_text():
    # A whole article on one line, as some dumps have it: its "(pictured ...)"
    # does not make it a caption.
    text = (
        "Ferry route approved The council voted on Thursday to approve a ferry route. "
        "Crossings start in March (pictured, the harbour) and tickets cost six euros. "
        "The operator will order a new vessel that can carry three hundred passengers and forty "
        "cars, and islanders say the link will let their children go to school on the mainland "
        "without staying there all week, which they have asked for since the old service stopped."
    )
    article = clean_text(text)
    assert article.title == "Ferry route approved The council voted on Thursday to approve a ferry route."
    assert article.text == text


def test_one_sentence_article_is_kept():
    article = clean_text("Fire destroys warehouse in the port.")
    assert article.title == article.text == "Fire destroys warehouse in the port."


def test_headline_with_site_name_after_a_bar():
    article = clean_text(
        "Bulgarian premier criticises border plan | Tiroler Tageszeitung Online\n\n"
        "The premier said the plan came too early."
    )
    assert article.title == "Bulgarian premier criticises border plan"


def test_chinese_text_is_split_into_sentences_and_kept():
    text = (
        "\u4e1b\u6797\u5927\u706b\u5b9e\u65f6\u66f4\u65b0\n\n"
        "\u90e8\u961f\u51c6\u5907\u6d77\u4e0a\u7d27\u6025\u758f\u6563\u3002"
        "\u65e9\u4e0a\u597d\uff0c\u6b22\u8fce\u6765\u5230\u6211\u4eec\u4eca\u5929\u7684\u535a\u5ba2\u3002\n"
    )
    article = clean_text(text)
    assert article.title == "\u4e1b\u6797\u5927\u706b\u5b9e\u65f6\u66f4\u65b0"
    assert article.text.endswith("\u535a\u5ba2\u3002")
    assert article.language == "zh"


def test_clean_benchmark_reports_speed_and_language_agreement(tmp_path, seeds_dir, capsys, make_config):
    pairs = tmp_path / "pairs.csv"
    with pairs.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["pair_id", "lang1", "lang2", "text1", "text2"])
        writer.writerow(
            [
                "1_2",
                "en",
                "fr",
                "The bridge reopened on Saturday after repairs.",
                "Le pont a rouvert samedi apr\u00e8s des travaux.",
            ]
        )
    args = argparse.Namespace(paths=[seeds_dir], passes=1, pairs=pairs)
    assert clean_benchmark.main(args, make_config()) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["speed"]["articles"] == report["speed"]["usable"] == 5
    assert report["speed"]["clean_ms_per_article_median"] > 0
    assert report["pairs"] == {
        "texts": 2,
        "usable": 2,
        "language_agrees": 2,
        "language_accuracy": 1.0,
        "confusions": {},
    }


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Get Harbour Monthly delivered through your letterbox every month. 12 issues for £19.99.", "offer"),
        ("Get access to our premium analysis for as little as $2 a week.", "offer"),
        ("If you enjoyed this article, we have a proposition for you: join our club.", "offer"),
        ("This copy is for your personal, non-commercial use only.", "print-copy notice"),
        ("Order Reprints", "print-copy notice"),
        ("Tell us what YOU think in the comments below.", "feedback prompt"),
        ("Like this story? Share it with a friend!", "feedback prompt"),
        ("Dites-nous ce que vous en pensez.", "feedback prompt"),
        ("Write to Jane Doe at jane.doe@example.com", "contact line"),
        ("Follow her on Twitter @janedoe or on Facebook.", "contact line"),
        ("An error has occurred, please try again later.", "notice"),
        ("Une erreur s'est produite, veuillez réessayer.", "notice"),
        ("Ein Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.", "notice"),
        ("Se ha producido un error. Inténtalo de nuevo más tarde.", "notice"),
        ("Comentários ofensivos não serão aprovados pelo moderador.", "notice"),
        ("Les commentaires sont modérés avant publication.", "notice"),
        ("Tweet with a location", "notice"),
        ("You can add location information to your Tweets, such as your city.", "notice"),
        ("Click image above to view graphic", "notice"),
        ("You always have the option to delete your Tweet location history. Learn more", "notice"),
        ("Vous pouvez ajouter des informations de localisation à vos Tweets.", "notice"),
        ("Du kannst deinen Tweets Standortinformationen hinzufügen.", "notice"),
        ("Puedes añadir información de ubicación a tus Tweets.", "notice"),
        ("Cliquez sur l'image pour l'agrandir.", "notice"),
        ("Klicken Sie auf das Bild, um es zu vergrößern.", "notice"),
        ("Haz clic en la imagen para ampliarla.", "notice"),
        ("(Reporting by Jane Doe; editing by John Roe)", "credit"),
        ("Sam Smith contributed to this report.", "credit"),
        ("Reading time: 3 minutes", "credit"),
        ("If you buy something through this post, we may get a share of the sale.", "credit"),
    ],
)
def test_furniture_that_ends_like_a_sentence(line, kind):
    assert notice_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "The magazine sold 12,000 copies of its first issue, the publisher said.",
        "Those who paid $129 for the founder's edition will get access to the service first.",
        "Police said an error in the signal software caused the crash.",
        "She told the court she had written to the council twice.",
        "Comments by the minister on Tuesday angered the unions.",
        "The reporting by local papers was cited in the ruling.",
    ],
)
def test_sentences_about_the_same_things_are_not_notices(line):
    assert notice_kind(line) is None


def test_notices_are_dropped_from_a_page():
    text = (
        "Ferry route approved\n\n"
        "The council approved the new ferry route to the islands on Thursday evening.\n\n"
        "Like this story? Share it with a friend!\n\n"
        "Crossings start in March, with four a day in winter.\n\n"
        "An error has occurred, please try again later.\n"
    )
    assert clean_text(text).text.split("\n\n") == [
        "The council approved the new ferry route to the islands on Thursday evening.",
        "Crossings start in March, with four a day in winter.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Storm closes coastal road [VIDEO]",
        "Ferry fares to rise in spring [PICTURES]|",
        "Listen: http://example.com/podcast/615",
        "More coverage: https://example.com/storms",
        "Updated at 1:23 p.m.",
        "5:45 AM PST 11/19/2026 by Jane Doe",
        "sexta-feira, 22 de outubro de 2026 às 20:13",
        "2026-11-19T08:57:40+01:00",
        "DON'T MISS",
        "Follow The Harbour Gazette on Facebook, Twitter and Instagram.",
    ],
)
def test_teasers_links_and_stamps_are_furniture(line):
    assert furniture_kind(line) is not None or notice_kind(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "The figures were first reported by Bloomberg [Bloomberg]",
        "For more information on the project, as well as on the harbour's plans for the coming decade, "
        "please visit: www.example.com",
    ],
)
def test_cited_sources_and_long_pointers_stay(line):
    assert furniture_kind(line) is None and notice_kind(line) is None


def test_an_announced_list_stays_an_unannounced_one_at_the_end_goes():
    text = (
        "Moon landers chosen\n\n"
        "The agency picked five more companies to carry its experiments to the moon, officials said.\n\n"
        "The five are:\n\n- Blue Harbour, Kent\n\n- Ceres Works, Palo Alto\n\n- Sierra Yards, Louisville\n\n"
        "The first landing is planned for 2028, and each company will fly at least once.\n\n"
        "- How the moon got its craters\n\n- Why rockets fail\n\n- The race to the lunar south pole\n"
    )
    paragraphs = clean_text(text).text.split("\n\n")
    assert "- Ceres Works, Palo Alto" in paragraphs
    assert paragraphs[-1].startswith("The first landing")


def test_excerpts_of_other_posts_end_the_article():
    excerpt = " ".join(["word"] * 23)
    text = (
        "Small joys of gratitude\n\n"
        "Gratitude is in the details: the smile on waking, the thanks for one more day.\n\n"
        f"Hope asks for courage and for patience {excerpt}\u2026\n\n"
        "A family is held together by love and by the small kindnesses of every day.\n\n"
        f"Strength to win and faith to believe {excerpt}\u2026\n"
    )
    assert clean_text(text).text == (
        "Gratitude is in the details: the smile on waking, the thanks for one more day."
    )


def test_a_caption_with_its_credit_run_on_and_bare_separators_go():
    text = (
        "Ferry route approved\n\n"
        "A ferry waits at the quay in the early morning.Reuters\n\n"
        "The council approved the new ferry route to the islands on Thursday evening.\n\n"
        "-\n\n"
        "Crossings start in March, with four a day in winter.\n"
    )
    assert clean_text(text).text.split("\n\n") == [
        "The council approved the new ferry route to the islands on Thursday evening.",
        "Crossings start in March, with four a day in winter.",
    ]


def test_what_comes_before_the_headline_in_the_text_is_the_page_above_the_article():
    text = (
        "Night mode lets the new camera take brighter photos in the dark, the maker says.\n\n"
        "New laptop now available\n\n"
        "Ferry route approved by the council\n\n"
        "The council approved the new ferry route to the islands on Thursday evening.\n\n"
        "Crossings start in March, with four a day in winter.\n\n"
        "Tickets will cost six euros for a single crossing, the operator said.\n\n"
        "The first boat is already in the harbour for its trials.\n"
    )
    article = clean_text(text, title="Ferry route approved by the council")
    assert article.text.startswith("The council approved")
    assert "Night mode" not in article.text and "laptop" not in article.text


def test_a_bbc_caption_line_above_an_untitled_article_is_neither_headline_nor_text():
    text = (
        "Image copyright AFP/Getty Image caption The quay at dawn, before the first crossing\n\n"
        "The council approved the new ferry route to the islands on Thursday evening.\n\n"
        "Crossings start in March, with four a day in winter, the operator said.\n\n"
        "Tickets will cost six euros for a single crossing.\n"
    )
    article = clean_text(text)
    assert "caption" not in article.title.lower() and "caption" not in article.text.lower()
    assert "Crossings start in March" in article.text
