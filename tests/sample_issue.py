"""A ten-story Issue written by hand, for the render, preview and archive
tests: they check the email, not the models, so they do not run them."""

from __future__ import annotations

from datetime import date

from digest.models import Issue, IssueStory, SourceRef

OUTLETS = ("BBC News", "Reuters", "Le Monde", "The Guardian")
HEADLINES = (
    "Parliament passes the winter budget after a night of talks",
    "Flood defences hold as the river peaks in the north",
    "Central bank leaves interest rates unchanged",
    "Rail strike called off after a late pay offer",
    "Researchers map the deepest known cave system",
    "City council votes to pedestrianise the old town",
    "Wildfire season ends early after heavy autumn rain",
    "New vaccine plant opens with three hundred jobs",
    "Chess prodigy, 14, wins the national title",
    "Museum returns looted bronzes to their home city",
)
SUMMARY = (
    "The vote came after weeks of negotiation between the parties. "
    "Ministers said the plan would shorten waiting lists by spring. "
    "Critics called it a gamble with public money."
)


def source(story: int, index: int) -> SourceRef:
    outlet = OUTLETS[index % len(OUTLETS)]
    slug = outlet.lower().replace(" ", "")
    return SourceRef(
        title=f"{HEADLINES[story - 1]} ({outlet})",
        url=f"https://www.{slug}.example/2026/11/22/story-{story}",
        path=None,
        outlet=outlet,
        language="en",
        published="2026-11-22T06:00:00+00:00",
    )


def sample_issue(stories: int = 10, day: date = date(2026, 11, 22), title: str = "Top Ten") -> Issue:
    """`stories` stories; story 2 is an update, story k has 1 + k % 4 linked sources."""
    return Issue(
        date=day,
        title=title,
        language="en",
        stories=tuple(
            IssueStory(
                rank=k,
                headline=HEADLINES[(k - 1) % len(HEADLINES)],
                summary=SUMMARY,
                language="en",
                sources=tuple(source(k, i) for i in range(1 + k % 4)),
                update=(k == 2),
            )
            for k in range(1, stories + 1)
        ),
    )
