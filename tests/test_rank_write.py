"""Ranking order and the issue folder round trip."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timezone

import pytest

from digest.edition.rank import rank_stories
from digest.edition.write import read_issue, write_issue
from digest.errors import DigestError
from digest.models import Article, Issue, IssueStory, RenderedEmail, SourceRef, Story
from digest.state import StateDB


def article(title: str, outlet: str, hour: int = 0, weight: float = 1.0) -> Article:
    return Article(
        title=title,
        text=f"{title} text.",
        language="en",
        outlet=outlet,
        published=datetime(2026, 11, 22, hour, tzinfo=UTC),
        weight=weight,
    )


def test_most_covered_first_then_recent_then_weight():
    wide = Story([article("Wide", "A"), article("Wide", "B"), article("Wide", "C")])
    recent = Story([article("Recent", "A", hour=9)])
    heavy = Story([article("Heavy", "A", hour=5, weight=3.0)])
    light = Story([article("Light", "B", hour=5)])
    ranked = rank_stories([light, heavy, recent, wide], top=10)
    assert [s.headline for s in ranked] == ["Wide", "Recent", "Heavy", "Light"]


def test_same_outlet_twice_counts_once_and_top_cuts():
    twice = Story([article("Twice", "A"), article("Twice again", "A")])
    two = Story([article("Two", "A"), article("Two", "B")])
    ranked = rank_stories([twice, two], top=1)
    assert [s.headline for s in ranked] == ["Two"]


def test_issue_round_trips_through_its_folder(tmp_path):
    source = SourceRef(
        title="T",
        url="https://example.org/a",
        path=None,
        outlet="Ex",
        language="en",
        published="2026-11-22T07:00:00+00:00",
    )
    issue = Issue(
        date=date(2026, 11, 22),
        title="Top Ten",
        language="en",
        stories=(IssueStory(rank=1, headline="H", summary="S.", language="en", sources=(source,)),),
    )
    email = RenderedEmail(html="<html></html>", text="text", subject="Top Ten \u2014 2026-11-22")
    folder = write_issue(issue, email, tmp_path)
    assert folder == tmp_path / "2026-11-22"
    data = json.loads((folder / "issue.json").read_text())
    assert data["stories"][0]["sources"][0]["url"] == "https://example.org/a"
    built = read_issue(folder)
    assert built.issue == issue
    assert built.email == email
    assert not list(folder.glob(".*.tmp"))


def test_missing_file_in_issue_folder_is_named(tmp_path):
    (tmp_path / "issue.json").write_text(
        '{"date": "2026-11-22", "title": "T", "language": "en", "stories": []}'
    )
    with pytest.raises(DigestError, match=r"email\.html: missing"):
        read_issue(tmp_path)
    (tmp_path / "issue.json").write_text("{}")
    with pytest.raises(DigestError, match=r"issue\.json: not a valid issue file"):
        read_issue(tmp_path)


def test_state_cache_survives_reopening(tmp_path):
    with StateDB(tmp_path / "state") as state:
        state.put_many("summary", {f"k{i}": f"v{i}".encode() for i in range(1200)})
    with StateDB(tmp_path / "state") as state:
        found = state.get_many("summary", [f"k{i}" for i in range(0, 1200, 7)] + ["absent"])
        assert found["k7"] == b"v7" and "absent" not in found and len(found) == 172
        assert state.get("embedding", "k7") is None
