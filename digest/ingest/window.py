"""The publication window: which feed entries and web pages are new enough.

Only articles published in the last `[digest] window_hours` go into an issue.
The window ends at the build time, or at the end of the issue's day (in
`[digest] timezone`) when that day is already over, so rebuilding a past
day with `--date` reads what was new on that day.

Undated articles are always in. Local files (paths on the command line or
`[[sources]] path`) are not filtered at all: the user chose them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from digest.config import Config

log = logging.getLogger(__name__)

# Clocks differ: an entry stamped a few minutes "in the future" is still news.
CLOCK_SKEW = timedelta(minutes=15)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    def contains(self, published: datetime | None) -> bool:
        if published is None:
            return True
        if published.tzinfo is None:  # naive times are taken as UTC, like everywhere else
            published = published.replace(tzinfo=UTC)
        return self.start <= published <= self.end + CLOCK_SKEW

    def describe(self) -> str:
        return f"{self.start.isoformat(timespec='minutes')} to {self.end.isoformat(timespec='minutes')}"


def window_for(config: Config, day: date, now: datetime | None = None) -> Window:
    """The window of the issue for `day`, built at `now` (default: the current time)."""
    zone = config.zone
    now = (now or datetime.now(UTC)).astimezone(zone)
    # The end of `day` is the start of the next day, in the configured zone.
    day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    # In UTC: arithmetic on zoned datetimes is wall-clock time, off by an hour across DST.
    end = min(now, day_end).astimezone(UTC)
    return Window(start=end - timedelta(hours=config.digest.window_hours), end=end)
