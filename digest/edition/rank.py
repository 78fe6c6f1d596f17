"""Rank stories: most-covered first, then the most recent, then source weight."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.models import Story

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return _EPOCH
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def rank_key(story: Story) -> tuple[int, float, float, str]:
    """Sort key, ascending: the best story has the smallest key."""
    coverage = len(story.outlets)
    weight = sum(m.weight for m in story.members)
    return (-coverage, -_aware(story.newest).timestamp(), -weight, story.headline)


def rank_stories(stories: list[Story], top: int) -> list[Story]:
    """The `top` stories, best first. Ties fall back to the headline so the
    order is the same on every run."""
    ordered = sorted(stories, key=rank_key)
    return ordered[:top]
