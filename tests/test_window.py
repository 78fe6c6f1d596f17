"""The publication window: when it starts and ends, and what it lets in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from digest.ingest.window import Window, window_for

UTC = UTC


def test_a_past_day_ends_at_midnight_in_the_configured_zone(make_config) -> None:
    config = make_config(digest={"timezone": "Europe/London", "window_hours": 24})
    now = datetime(2026, 7, 20, 9, 0, tzinfo=UTC)
    window = window_for(config, date(2026, 7, 14), now=now)
    # London is on summer time (UTC+1): the 14th ends at 23:00 UTC
    assert window.end == datetime(2026, 7, 14, 23, 0, tzinfo=UTC)
    assert window.start == datetime(2026, 7, 13, 23, 0, tzinfo=UTC)


def test_today_ends_at_the_build_time(make_config) -> None:
    config = make_config(digest={"timezone": "America/Los_Angeles", "window_hours": 6})
    now = datetime(2026, 3, 10, 18, 30, tzinfo=UTC)  # 11:30 in Los Angeles
    window = window_for(config, date(2026, 3, 10), now=now)
    assert window.end == now
    assert window.start == now - timedelta(hours=6)


def test_the_window_spans_a_dst_change_in_real_hours(make_config) -> None:
    config = make_config(digest={"timezone": "Europe/London", "window_hours": 24})
    # the clocks went forward on 29 March 2026: that day had 23 hours
    window = window_for(config, date(2026, 3, 29), now=datetime(2026, 4, 2, tzinfo=UTC))
    assert window.end == datetime(2026, 3, 29, 23, 0, tzinfo=UTC)
    assert window.start == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)  # 24 real hours, not 23
    assert window.start.tzinfo is UTC


def test_contains() -> None:
    end = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    window = Window(start=end - timedelta(hours=24), end=end)
    assert window.contains(None)  # undated: always in
    assert window.contains(end - timedelta(hours=23, minutes=59))
    assert not window.contains(end - timedelta(hours=24, minutes=1))
    assert window.contains(end + timedelta(minutes=10))  # a clock a little ahead
    assert not window.contains(end + timedelta(hours=2))  # dated in the future: not yet news
    assert window.contains(datetime(2026, 3, 10, 11, 0))  # naive: taken as UTC
    assert window.contains(datetime(2026, 3, 10, 6, 0, tzinfo=ZoneInfo("America/New_York")))  # 11:00 UTC
