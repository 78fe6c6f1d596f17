"""List every configured source ([[sources]] in the config) with the outcome of
its last fetch: status, entry count and the date of its newest entry, as
recorded by the last build (or by --fetch). URLs are shown without any
credentials they hold.

Status "never fetched" means no build has read the source yet with this
state folder ([digest] state)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from digest.config import Config
from digest.errors import ConfigError
from digest.ingest.sources import SourceStatus, Status, read_sources, source_key, source_label
from digest.ingest.window import window_for
from digest.state import StateDB


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fetch",
        action="store_true",
        help="fetch and read every source now (no issue is built), then list them",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def main(args: argparse.Namespace, config: Config) -> int:
    if not config.sources:
        where = config.path or "the config (no --config given and no ./digest.toml)"
        raise ConfigError(f"{where}: no [[sources]] configured")
    with StateDB(config.state_dir) as state:
        if args.fetch:
            read_sources(config, state, window_for(config, config.today()))
        statuses = SourceStatus(state)
        rows = [(source_label(s), statuses.get(source_key(s, config))) for s in config.sources]
    print(as_json(rows) if args.json else as_table(rows))
    return 0


def as_json(rows: list[tuple[str, Status | None]]) -> str:
    return json.dumps(
        [
            {
                "source": label,
                "checked": status.checked.isoformat(timespec="seconds") if status else None,
                "status": status.status if status else "never fetched",
                "entries": status.entries if status else None,
                "articles": status.articles if status else None,
                "newest": status.newest.isoformat() if status and status.newest else None,
            }
            for label, status in rows
        ],
        indent=2,
        ensure_ascii=False,
    )


def as_table(rows: list[tuple[str, Status | None]]) -> str:
    header = ("SOURCE", "LAST FETCH", "STATUS", "ENTRIES", "NEWEST ENTRY")
    lines = [header]
    for label, status in rows:
        if status is None:
            lines.append((label, "-", "never fetched", "-", "-"))
            continue
        lines.append(
            (
                label,
                when(status.checked),
                status.status,
                str(status.entries),
                when(status.newest) if status.newest else "-",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
    return "\n".join(
        # the last cell is not padded, so there is one width fewer than cells
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False)) + "  " + line[-1]
        for line in lines
    )


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()
