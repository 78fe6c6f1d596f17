"""Event facts (digest.dedup.events, digest.text.dates) on small texts written for the tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from digest.dedup.events import combine, compare, event_figures, facts, facts_of, places, story_facts
from digest.dedup.similarity import may_join
from digest.models import Article
from digest.text.dates import mentions

PUBLISHED = date(2026, 3, 12)  # a Thursday


def days(text: str, language: str = "en", anchor: date | None = PUBLISHED) -> set[date]:
    return {date.fromordinal(m.day) for m in mentions(text, language, anchor) if m.day is not None}


def test_explicit_dates_in_the_orders_news_writes_them() -> None:
    assert days("The fire broke out on July 29, 2004 at noon.") == {date(2004, 7, 29)}
    assert days("Le séisme du 3 mars 2026 a fait des victimes.", "fr") == {date(2026, 3, 3)}
    assert days("Das Spiel am 14. Februar 2026 endete torlos.", "de") == {date(2026, 2, 14)}
    assert days("El 5 de enero de 2025 se inauguró el puente.", "es") == {date(2025, 1, 5)}
    assert days("Report filed 2026-03-10 by the agency.") == {date(2026, 3, 10)}
    assert days("Posted 3/27/2012 in the morning.") == {date(2012, 3, 27)}


def test_month_and_year_give_the_year_only() -> None:
    found = mentions("The plant closed in January 2009 after a long strike.", "en", PUBLISHED)
    assert [(m.year, m.day) for m in found] == [(2009, None)]


def test_may_the_verb_is_not_a_month() -> None:
    assert mentions("Officials say the bridge may 2 be closed soon.", "en", None) == []


def test_weekdays_and_relative_words_resolve_against_the_publication_date() -> None:
    assert days("The mayor resigned on Tuesday after the vote.") == {date(2026, 3, 10)}
    assert days("The ship sank yesterday near the harbour.") == {date(2026, 3, 11)}
    assert days("Der Zug entgleiste gestern Abend.", "de") == {date(2026, 3, 11)}
    assert days("The match was played on March 8.") == {date(2026, 3, 8)}


def test_no_publication_date_means_relative_dates_are_not_guessed() -> None:
    assert days("The mayor resigned on Tuesday.", anchor=None) == set()


def test_a_text_dated_years_before_its_publication_resolves_weekdays_in_its_own_time() -> None:
    text = "June 11, 2012. The company showed its new laptop on Monday in San Francisco."
    assert date(2012, 6, 11) in days(text)
    assert all(d.year == 2012 for d in days(text))


def test_figures_by_what_they_count() -> None:
    found = event_figures(
        "A 6.1-magnitude earthquake struck the island, killing 12 people. "
        "The mayor, 58, said the damage reached $1.5 million. United won 3-1."
    )
    assert found["magnitude"] == {6.1}
    assert found["toll"] == {12.0}
    assert found["age"] == {58.0}
    assert found["money"] == {1_500_000.0}
    assert found["score"] == {301.0}


def test_places_from_prepositions_and_datelines() -> None:
    assert places("BILOXI, Miss. (AP) - A former official died at a hotel in Biloxi.") == {"biloxi"}
    assert "aceh" in places("A strong quake struck in Aceh province on Tuesday.")
    assert places("The vote was held in January.") == frozenset()


def test_two_reports_of_one_event_agree() -> None:
    first = facts(
        "Quake hits Aceh",
        "A 6.1-magnitude earthquake struck in Aceh on July 2, 2013, killing 22 people.",
        "en",
        date(2013, 7, 2),
    )
    second = facts(
        "Indonesia earthquake toll rises",
        "The magnitude 6.2 quake that hit in Aceh on Tuesday has killed 30 people, officials said.",
        "en",
        date(2013, 7, 3),
    )
    evidence = compare(first, second)
    assert {"magnitude", "place", "day", "toll"} <= evidence.agree
    assert evidence.conflict == frozenset()
    assert evidence.verdict == "same"


def test_two_events_of_one_kind_contradict() -> None:
    first = facts("Quake", "A 6.1-magnitude earthquake struck in Aceh on July 2, 2013.", "en", None)
    second = facts("Quake", "A 7.3-magnitude earthquake struck in Aceh on January 11, 2012.", "en", None)
    evidence = compare(first, second)
    assert {"magnitude", "year", "day"} <= evidence.conflict
    assert evidence.verdict == "different"


def test_two_deaths_differ_by_age_even_without_dates() -> None:
    first = facts("Former aide dies at 75", "The former campaign aide died at a hotel. He was 75.")
    second = facts("Former FBI official dead at 95", "The former FBI official died at his home, aged 95.")
    assert "age" in compare(first, second).conflict
    # "at age 95", as an obituary's lead writes it, and an age earlier in the same life
    third = facts(
        "Deep Throat dies", "The former FBI official has died at age 95. Only at age 91 did he speak."
    )
    assert third.figures["age"] == {95.0, 91.0}
    assert "age" in compare(first, third).conflict


def test_texts_without_facts_give_no_evidence() -> None:
    empty = facts("Opinion", "Some thoughts on the state of things.")
    assert empty.is_empty()
    assert compare(empty, facts("x", "A 6.1-magnitude quake in Aceh.")).verdict == "unknown"


def test_a_story_combines_its_members_facts() -> None:
    one = facts("a", "The 6.1-magnitude quake hit in Aceh.")
    two = facts("b", "Rescuers said 22 people were killed.")
    story = combine([one, two])
    assert story.figures["magnitude"] == {6.1} and story.figures["toll"] == {22.0}
    assert (
        compare(story, facts("c", "At least 25 people died in the quake, of magnitude 6.1.")).verdict
        == "same"
    )


def test_facts_of_an_article_use_its_language_and_publication_date() -> None:
    article = Article(
        title="Tren descarrila",
        text="Un tren descarriló ayer cerca de la estación.",
        language="es",
        published=datetime(2026, 3, 12, 9, tzinfo=UTC),
    )
    assert facts_of(article).days == {date(2026, 3, 11).toordinal()}


def test_named_occasions_tell_two_award_nights_apart() -> None:
    first = facts("Winners named", "The play was named best new play in the Critics' Circle Theatre Awards.")
    second = facts(
        "Nominees named", "The play is shortlisted at the Evening Standard Theatre Awards tonight."
    )
    again = facts("More winners", "Judges of the Critics' Circle Theatre Awards also named a best musical.")
    assert "occasion" in compare(first, second).conflict
    assert "occasion" in compare(first, again).agree


def test_an_occasion_named_only_in_the_body_does_not_contradict() -> None:
    # an article is about the occasion its head names; its body names others in passing
    final = facts("Cup final", "Spain beat Italy 3-1 to win the Davis Cup in Madrid on Sunday.")
    background = (
        "Ferrer and Lopez won both singles and the doubles before a full house in Madrid. " * 8
        + "Spain lost last year's Hopman Cup final to the same opponents."
    )
    later = facts("Spain celebrate", background)
    assert not later.lead_occasions and later.occasions == {"hopman cup"}
    assert "occasion" not in compare(final, later).conflict
    preview = facts("Next up", "Spain prepare for the Hopman Cup. They won the Davis Cup on Sunday.")
    assert "occasion" in compare(final, preview).agree  # its head names another, its body this one


def test_an_occasion_agrees_with_its_longer_name_and_its_initials() -> None:
    longer = facts("Bluejays win", "Creighton beat Drake in the Missouri Valley Conference Tournament.")
    shorter = facts("Bluejays roll", "Creighton won again in the Missouri Valley Conference on Friday.")
    initials = facts("McDermott fuels Creighton", "McDermott scored 41 in the MVC Tournament.")
    other = facts("Shockers win", "Wichita State won the Big East Conference on Friday.")
    assert "occasion" in compare(longer, shorter).agree
    assert "occasion" in compare(initials, shorter).agree
    assert "occasion" in compare(initials, other).conflict


def test_a_party_or_a_parliament_is_no_occasion() -> None:
    assert not facts("Vote", "The African National Congress won the vote in Johannesburg.").occasions


def test_place_words_are_not_compared_across_languages() -> None:
    english = facts("Quake", "A strong quake struck in Moscow on Tuesday.", "en")
    german = facts("Beben", "Ein starkes Beben erschütterte am Dienstag in Moskau die Stadt.", "de")
    assert "place" not in compare(english, german).conflict


def test_a_follow_up_and_a_new_event_of_the_same_kind_are_told_apart_by_story() -> None:
    day1 = [
        Article(
            "Quake hits Aceh", "A 6.1-magnitude quake struck Aceh on July 2, 2013, killing 22 people.", "en"
        ),
        Article("Aceh quake", "Rescuers in Aceh searched for survivors of the 6.1-magnitude quake.", "en"),
    ]
    follow_up = [
        Article("Aceh toll rises", "The toll of the 6.1-magnitude quake rose to 30 people killed.", "en")
    ]
    new_event = [Article("Quake hits Aceh", "A 5.3-magnitude quake struck Aceh on July 9, 2013.", "en")]
    assert compare(story_facts(day1), story_facts(follow_up)).verdict == "same"
    assert compare(story_facts(day1), story_facts(new_event)).verdict == "different"


def test_groups_join_below_the_threshold_only_when_facts_allow() -> None:
    # may_join: no member contradicts another on what one event keeps (a magnitude, an age, a score...),
    # and the groups agree on the day or a figure
    day = date(2013, 7, 3)
    story = [
        facts("Quake hits Aceh", "A 6.1-magnitude earthquake struck Aceh on Tuesday, killing 22.", "en", day),
        facts("Aceh quake", "Tuesday's magnitude 6.1 quake in Aceh killed at least 24 people.", "en", day),
    ]
    wire = [facts("Flash", "Officials say the 6.2-magnitude quake killed 30 in Aceh.", "en", day)]
    other_quake = [facts("Quake", "A 7.3-magnitude earthquake struck Aceh in January 2012.", "en", day)]
    no_facts = [facts("Aceh", "Rescuers are searching the rubble in the hills.", "en", day)]
    assert may_join(story, wire)
    assert not may_join(story, other_quake)  # the magnitude and the year contradict
    assert not may_join(story, no_facts)  # nothing agrees: the text score alone must pass the threshold
    # one member that contradicts is enough to keep the groups apart
    assert not may_join([*story, other_quake[0]], wire)


def test_dates_and_sums_of_what_led_to_an_event_do_not_keep_its_reports_apart() -> None:
    # a story's texts give the day of the crime beside the day of the sentencing, and the
    # price of each model of a product: these count in a pair's score, not as a veto on a join
    day = date(2013, 3, 14)
    sentencing = [
        facts(
            "Killer sentenced", "A judge on Tuesday sentenced Ray Orozco to death for the killing.", "en", day
        ),
        facts(
            "Death for Orozco",
            "Orozco shot the deputy on June 29, 2005. He was sentenced Tuesday.",
            "en",
            day,
        ),
    ]
    trial = [facts("Orozco", "Orozco was convicted on March 1, 2013 and sentenced on Tuesday.", "en", day)]
    assert "date" in compare(sentencing[1], trial[0]).conflict
    assert may_join(sentencing, trial)
    review = "Reviewers praised the brighter screen, the quieter fans and the longer battery life. " * 7
    laptop = [
        facts("New laptop", f"Apple unveiled the laptop on Tuesday. {review} It costs $1,999.", "en", day)
    ]
    cheaper = [facts("Laptop prices", "The 13-inch model, unveiled Tuesday, starts at $1,199.", "en", day)]
    assert "money" in compare(laptop[0], cheaper[0]).conflict  # the price of each model
    assert may_join(laptop, cheaper)


def test_the_sums_two_heads_report_tell_two_offers_apart() -> None:
    day = date(2008, 12, 10)
    boston = facts(
        "Red Sox offer Teixeira $200 million",
        "The Boston Red Sox offered Mark Teixeira an eight-year contract worth $200 million on Tuesday.",
        "en",
        day,
    )
    angels = facts(
        "Angels offer Teixeira $160 million",
        "The Los Angeles Angels offered Mark Teixeira an eight-year deal worth $160 million on Tuesday.",
        "en",
        day,
    )
    weighs = facts(
        "Teixeira weighs his offers",
        "Mark Teixeira is weighing the Red Sox's $200 million offer. The Angels offered $160 million on Monday.",
        "en",
        day,
    )
    assert "lead_money" in compare(boston, angels).conflict
    assert not may_join([boston], [angels])  # they agree on the day: only the sums tell them apart
    assert "lead_money" not in compare(boston, weighs).conflict  # its head's sum is Boston's
    assert may_join([boston], [weighs])
