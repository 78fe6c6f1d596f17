"""Story blurbs: what they choose, the order they read in, openings that stand
alone, and wire clutter kept out of headlines and blurbs. Small texts written here."""

from __future__ import annotations

import json

import pytest

from digest.cli import main
from digest.config import SummariserSettings
from digest.models import Article, Story
from digest.summarise.blurb import Candidate, order, stand_alone
from digest.summarise.standalone import context_gaps, names_in, opening_gap
from digest.summarise.summariser import load_summariser
from digest.text.concepts import overlap
from digest.text.dateline import ends_at_abbreviation, strip_dateline
from digest.text.headline import tidy_headline
from digest.text.sentences import split_sentences


@pytest.fixture(scope="module")
def summariser():
    return load_summariser(SummariserSettings(), None)


def article(text: str, title: str = "", path: str = "a.txt", **fields) -> Article:
    return Article(title=title, text=text, language="en", path=path, **fields)


# --- wire datelines and tags -----------------------------------------------------------


@pytest.mark.parametrize(
    "line, sentence",
    [
        ("ZURICH, Switzerland (AP) _ The bank froze the accounts.", "The bank froze the accounts."),
        ("LONDON _ Police closed the bridge on Sunday.", "Police closed the bridge on Sunday."),
        ("WASHINGTON (Reuters) - The Senate passed the bill.", "The Senate passed the bill."),
        ("BILLINGS, Mont. (AP) \u2014 Scientists began the survey.", "Scientists began the survey."),
        ("(CNN) -- The storm reached the coast.", "The storm reached the coast."),
        ("SAN FRANCISCO, June 9 (UPI) -- The museum opened.", "The museum opened."),
        ("PORT-AU-PRINCE, Haiti (AP) _ Roads were rebuilt.", "Roads were rebuilt."),
        # a page's time stamp glued to the first sentence
        (
            "February 29, 2012 04: 23pm EST The chip maker bought a start-up.",
            "The chip maker bought a start-up.",
        ),
        ("Posted: Monday, June 6, 2013 at 3:21 PM ET Police closed the road.", "Police closed the road."),
        ("Updated January 3, 2012 - The council met again.", "The council met again."),
        ("Updated: July 02, 2013 15: 50 IST A strong quake hit the coast.", "A strong quake hit the coast."),
    ],
)
def test_wire_datelines_are_stripped(line, sentence):
    assert strip_dateline(line) == sentence
    assert split_sentences(f"{line} A second sentence follows here.") == [
        sentence,
        "A second sentence follows here.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "In London, police closed the bridge on Sunday.",  # the place is part of the sentence
        "London police closed the bridge on Sunday.",
        "US - China talks resumed in Geneva on Monday.",  # two letters: an acronym, not a dateline
        "The vote - the third this year - failed.",
        "June 6, 2013 was the wettest day of the year.",  # the date is the sentence's subject
        "May 5 protests drew thousands to the square.",  # no year: the sentence's own date
    ],
)
def test_a_place_in_the_sentence_stays(sentence):
    assert strip_dateline(sentence) == sentence


def test_a_headline_never_ends_at_an_abbreviation():
    text = (
        "LONDON (AP) _ Britain arrested former Chilean dictator Gen. Augusto Pinochet in London on Friday.\n"
        "Spain wants him extradited."
    )
    cut = "LONDON (AP) _ Britain arrested former Chilean dictator Gen."
    headline = tidy_headline(cut, text, "en")
    assert headline == "Britain arrested former Chilean dictator Gen. Augusto Pinochet in London on Friday."
    assert not ends_at_abbreviation(headline)
    # No sentence of the text to complete it from: the abbreviation goes, the cut shows.
    alone = tidy_headline("Opening a door to hedge his bets, Sen.", "Nothing related here at all.", "en")
    assert alone == "Opening a door to hedge his bets\u2026"
    assert tidy_headline("Storm hits the U.S.", "", "en") == "Storm hits the U.S."  # a sentence may end so
    # A dateline and one abbreviation were all the cut left.
    guarded = "BUENOS AIRES, Argentina _ Gen. Augusto Pinochet stayed under guard on Sunday.\nHe is 82."
    assert tidy_headline("BUENOS AIRES, Argentina _ Gen.", guarded, "en") == (
        "Gen. Augusto Pinochet stayed under guard on Sunday."
    )


# --- stand-alone openings ---------------------------------------------------------------

SOURCES = [
    article(
        "Former dictator Augusto Pinochet was arrested in London on Friday.\n"
        "Pinochet, 82, had gone to London for back surgery.\n"
        "Ann Clywd, a Labour lawmaker, backed the Spanish request.",
        "Pinochet arrested",
    )
]


def test_openings_that_lean_on_missing_context_are_named():
    names = names_in(SOURCES)
    assert opening_gap("He added that the court would sit on Monday.", "", names)
    assert opening_gap("True, the court has not yet ruled on the request.", "", names)
    assert opening_gap("But the court has not yet ruled on the request.", "", names)
    assert opening_gap("She\u2019s in hospital, in and out of sleep.", "", names)  # a clitic hides no pronoun
    assert opening_gap("Pinochet, 82, had gone to London for back surgery.", "Chile protests", names)
    assert opening_gap("Ms. Clywd said the request was fair.", "Chile protests", names)
    # Introduced by the headline or an earlier sentence: stands.
    assert not opening_gap("Pinochet, 82, had gone to London.", "Augusto Pinochet arrested", names)
    # A place or a thing is no surname: "London" never follows a first name.
    assert not opening_gap("London police guarded the clinic on Friday.", "", names)


def test_an_unintroduced_surname_is_expanded_or_the_sentence_dropped():
    names = names_in(SOURCES)
    sentences = ["Pinochet, 82, had gone to London for back surgery.", "Ms. Clywd said the request was fair."]
    fixed, failed = stand_alone("Chile protests", sentences, names, 70)
    assert fixed == [
        "Augusto Pinochet, 82, had gone to London for back surgery.",
        "Ann Clywd said the request was fair.",
    ]
    assert failed == []
    # A surname the sources never give in full cannot be expanded: that sentence fails.
    fixed, failed = stand_alone("Chile protests", ["Mr. Garzon filed the request on Wednesday."], names, 70)
    assert fixed == [] and failed == [0]
    # No room in the budget for the first name: it fails too.
    assert stand_alone("Chile protests", sentences[:1], names, 9) == ([], [0])


def test_blurb_sentences_stand_alone(summariser):
    first = article(
        "Floods closed the main railway line between Leeds and York on Monday.\n"
        "He added that repairs would take a week.\n"
        "True, the line has flooded twice before.\n"
        "Engineers said repairs to the railway line would take a week.",
        "Floods close railway",
        path="a.txt",
    )
    second = article(
        "The railway line between Leeds and York was closed by floods on Monday.\n"
        "But engineers said the railway line would reopen within a week.\n"
        "Buses replaced trains between Leeds and York.",
        "Line shut",
        path="b.txt",
    )
    members = summariser.summarise_articles([first, second])
    story = Story(members=members, best=0, language="en")
    blurb = split_sentences(summariser.summarise_story(story))
    assert blurb
    assert context_gaps(story.headline, blurb, members) == []
    assert not any(s.startswith(("He ", "True", "But ")) for s in blurb)


# --- choice and order -------------------------------------------------------------------


def test_blurb_covers_what_most_outlets_say_once(summariser):
    shared = "The mayor of Lisbon announced a ban on new holiday lets in the old town on Tuesday."
    outlets = [
        article(
            f"{shared}\nThe ban starts in March.\nLocal {extra} welcomed the plan.",
            "Lisbon bans holiday lets",
            path=f"{n}.txt",
            outlet=f"Outlet {n}",
        )
        for n, extra in enumerate(["residents", "shopkeepers", "tenants"])
    ]
    lone = article(
        "A yacht race starts from the harbour of Lisbon on Sunday with twelve crews.",
        "Yacht race",
        path="lone.txt",
        outlet="Outlet 9",
    )
    members = summariser.summarise_articles([*outlets, lone])
    blurb = summariser.summarise_story(Story(members=members, best=0, language="en"))
    sentences = split_sentences(blurb)
    assert sentences[0] == shared  # stated by three outlets, and says what happened
    assert blurb.count(shared) == 1
    assert all(overlap(a, b) <= 0.5 for i, a in enumerate(sentences) for b in sentences[i + 1 :])
    assert len(blurb.split()) <= 70


def candidate(text: str, member: int, position: int) -> Candidate:
    return Candidate(text, member, position, len(text.split()), frozenset(), frozenset(), frozenset())


def test_order_puts_what_happened_first_then_the_articles_order(summariser):
    from datetime import datetime

    older = article("x", path="old.txt", published=datetime(2024, 5, 1, 8))
    newer = article("x", path="new.txt", published=datetime(2024, 5, 1, 12))
    story = Story(members=[newer, older])
    pool = [
        candidate("Detail from the newer article, third sentence.", 0, 2),
        candidate("Detail from the older article, fourth sentence.", 1, 3),
        candidate("What happened, where and when: the newer article's lead.", 0, 0),
        candidate("The older article's second sentence.", 1, 1),
        candidate("The newer article's second sentence.", 0, 1),
    ]
    assert order(story, pool, [0, 1, 2, 3, 4]) == [2, 3, 4, 0, 1]


# --- the benchmark ----------------------------------------------------------------------

CLUSTER = [
    "PARIS (AP) _ The city council of Paris voted on Tuesday to ban cars from the banks of the Seine.\n"
    "The ban covers three kilometres of road along the river.\nCyclists cheered the vote.",
    "The Paris city council voted on Tuesday to ban cars from the Seine river banks.\n"
    "Drivers' groups said they would appeal against the ban.\nThe mayor called it a victory for clean air.",
]


def write_cluster(folder, references: list[str], texts: list[str]) -> None:
    (folder / "articles").mkdir(parents=True)
    for n, text in enumerate(texts, start=1):
        item = {"title": f"Paris bans cars, report {n}", "text": text}
        (folder / "articles" / f"{n:02}.json").write_text(json.dumps(item))
    for n, reference in enumerate(references, start=1):
        (folder / f"reference-{n}.txt").write_text(reference)


def test_bench_blurbs_scores_saves_and_leaves_bad_clusters_out(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    reference = "Paris voted on Tuesday to ban cars from the banks of the Seine. Drivers will appeal."
    write_cluster(corpus / "news" / "c1", [reference, reference], CLUSTER)
    write_cluster(corpus / "news" / "c2", [], CLUSTER)  # no reference
    write_cluster(corpus / "news" / "c3", ["  "], CLUSTER)  # an empty one
    saved = tmp_path / "blurbs.json"
    assert main(["bench", "blurbs", "--corpus", str(corpus), "--save", str(saved)]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    news = report["news"]
    assert news["clusters"] == 1 and report["left_out"] == ["news/c2", "news/c3"]
    assert "c2: left out" in err and "c3: left out" in err and "empty reference" in err
    assert set(news["rouge_f1"]) == {"blurb", "lead", "round_robin"}
    assert 0 < news["rouge_f1"]["blurb"]["rouge2"] <= 100
    assert news["clusters_with_furniture"] == 0 and news["cut_or_over_budget"] == 0
    [row] = json.loads(saved.read_text())
    assert row["dataset"] == "news" and row["cluster"] == "c1"
    assert row["headline"].startswith("Paris bans cars")
    assert "(AP)" not in row["blurb"] and "PARIS" not in row["blurb"]
    assert row["blurb"].startswith("The ") and "voted on Tuesday" in row["blurb"]


def test_bench_blurbs_names_a_corpus_with_no_cluster(tmp_path, capsys):
    assert main(["bench", "blurbs", "--corpus", str(tmp_path)]) == 2
    assert str(tmp_path) in capsys.readouterr().err


def test_a_decimal_written_with_a_space_does_not_end_a_sentence():
    """Some feeds and corpora tokenise "6.1" as "6. 1": one sentence, not "A 6." and "1-magnitude..."."""
    text = "A 6. 1-magnitude earthquake hit the coast on Tuesday. It damaged the harbour. The toll rose in 2008. 12 more died."
    assert split_sentences(text) == [
        "A 6. 1-magnitude earthquake hit the coast on Tuesday.",
        "It damaged the harbour.",
        "The toll rose in 2008.",  # a year, not a decimal: the next sentence stands apart
        "12 more died.",
    ]
