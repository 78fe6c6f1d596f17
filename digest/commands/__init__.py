"""One module per `digest` sub-command; see `digest.cli`.

The argument types shared by several commands live here, so a command does
not import another command (and its libraries) just to parse a date."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from digest.errors import DigestError


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more: {value!r}")
    return int(value)


def add_date_option(parser: argparse.ArgumentParser, what: str = "the issue's date") -> None:
    """`--date`, the issue's day, as build, run, send and preview take it."""
    parser.add_argument(
        "--date",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help=f"{what} (default: today in [digest] timezone)",
    )


def port_number(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0-65535): {value!r}")
    return int(value)


def require_paths(paths: Sequence[Path]) -> None:
    """Article paths named on the command line must exist (inside a folder a
    missing file is only a warning; a mistyped argument is an error)."""
    for path in paths:
        if not path.exists():
            raise DigestError(f"{path}: no such file or folder")
