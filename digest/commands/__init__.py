"""One module per `digest` sub-command; see `digest.cli`.

The argument types shared by several commands live here, so a command does
not import another command (and its libraries) just to parse a date."""

from __future__ import annotations

import argparse
from datetime import date


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more: {value!r}")
    return int(value)
