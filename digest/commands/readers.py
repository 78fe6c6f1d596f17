"""The readers in the state database: who subscribed (when, and how they
consented), who is waiting to confirm, and who unsubscribed (never sent to
again, whatever [recipients] lists).

  digest readers list [--status S]       one line each, then the counts
  digest readers add ADDR [--name N]     subscribe someone who asked you
  digest readers remove ADDR             unsubscribe (suppress) an address
  digest readers import FILE.csv         email[,name] rows; counts of each outcome
  digest readers export [FILE.csv]       every reader as CSV (stdout without FILE)

An import never re-subscribes someone who unsubscribed."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from digest.cli import common_options
from digest.config import Config
from digest.deliver.readers import ADDED, STATUSES, UNSUBSCRIBED, Readers
from digest.deliver.recipients import Recipient, clean_name, parse_entry
from digest.errors import DigestError
from digest.state import StateDB

MAX_NAME = 200


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    common = [common_options(nested=True)]
    listing = actions.add_parser("list", help="list readers and count them", parents=common)
    listing.add_argument("--status", choices=STATUSES, help="only readers with this status")
    add = actions.add_parser("add", help="subscribe an address (consent given to you)", parents=common)
    add.add_argument("address")
    add.add_argument("--name", default="", help="the reader's name")
    remove = actions.add_parser("remove", help="unsubscribe an address: never sent to again", parents=common)
    remove.add_argument("address")
    imports = actions.add_parser("import", help="subscribe every row of a CSV (email[,name])", parents=common)
    imports.add_argument("file", type=Path)
    export = actions.add_parser("export", help="write every reader as CSV", parents=common)
    export.add_argument("file", type=Path, nargs="?", help="where to write (default: standard output)")


def main(args: argparse.Namespace, config: Config) -> int:
    with StateDB(config.state_dir) as state:
        readers = Readers(state)
        action = {"list": list_readers, "add": add, "remove": remove, "import": import_csv, "export": export}
        return action[args.action](args, readers)


def list_readers(args: argparse.Namespace, readers: Readers) -> int:
    for reader in readers.all(args.status):
        when = reader.consent_at if reader.status == "subscribed" else reader.updated
        name = f" ({reader.name})" if reader.name else ""
        print(f"{reader.email}{name}\t{reader.status}\t{when or ''}\t{reader.source}")
    print(counts_line(readers))
    return 0


def counts_line(readers: Readers) -> str:
    return ", ".join(f"{count} {status}" for status, count in readers.counts().items())


def one_address(value: str, name: str = "") -> Recipient:
    """A valid address (DigestError naming what is wrong) with a clean name."""
    try:
        reader = parse_entry(value)
    except ValueError as exc:
        raise DigestError(f"{value[:80]!r} is not a valid email address: it {exc}") from None
    if len(name) > MAX_NAME:
        raise DigestError(f"the name is longer than {MAX_NAME} characters")
    return Recipient(reader.email, clean_name(name) or reader.name)


def add(args: argparse.Namespace, readers: Readers) -> int:
    reader = one_address(args.address, args.name)
    outcome = readers.add(reader, "added by the editor")
    print(f"{reader.email}: {outcome}")
    return 0 if outcome == ADDED or outcome.startswith("already") else 1


def remove(args: argparse.Namespace, readers: Readers) -> int:
    reader = one_address(args.address)
    changed = readers.unsubscribe(reader.email, "removed by the editor")
    print(f"{reader.email}: {'unsubscribed' if changed else 'already unsubscribed'}")
    return 0


def import_csv(args: argparse.Namespace, readers: Readers) -> int:
    rows = read_rows(args.file)
    subscribe: list[Recipient] = []
    leave: list[Recipient] = []
    problems: list[str] = []
    for where, row in rows:
        try:
            reader = one_address(row.get("email", ""), row.get("name", ""))
        except DigestError as exc:
            problems.append(f"{where}: {exc}")
            continue
        # A row an export marked unsubscribed is imported as such: moving lists keeps suppressions.
        (leave if row.get("status") == UNSUBSCRIBED else subscribe).append(reader)
    for problem in problems:
        print(problem, file=sys.stderr)
    outcomes = Counter(readers.add_many(subscribe, f"import from {args.file.name}"))
    for reader in leave:
        readers.unsubscribe(reader.email, f"import from {args.file.name}")
    parts = [f"{count} {outcome}" for outcome, count in outcomes.items()]
    parts += [f"{len(leave)} marked unsubscribed"] if leave else []
    parts += [f"{len(problems)} invalid"] if problems else []
    print(f"{args.file}: " + (", ".join(parts) or "no rows"))
    print(counts_line(readers))
    return 1 if problems else 0


def read_rows(path: Path) -> list[tuple[str, dict[str, str]]]:
    """(file:line, {email, name, status...}) per row. Columns are email[,name] or
    named by a header row (an export's header: email,name,status,...)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DigestError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DigestError(f"{path}: cannot read it as UTF-8 CSV: {exc}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    columns, rows = ["email", "name"], []
    for row in reader:
        if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
            continue
        if reader.line_num == 1 and row[0].strip().lower() in ("email", "address", "e-mail"):
            columns = ["email"] + [c.strip().lower() for c in row[1:]]
            continue
        rows.append((f"{path}:{reader.line_num}", dict(zip(columns, (c.strip() for c in row), strict=False))))
    return rows


def export(args: argparse.Namespace, readers: Readers) -> int:
    if args.file is None:
        write_csv(readers, sys.stdout)
        return 0
    with args.file.open("w", encoding="utf-8", newline="") as handle:
        write_csv(readers, handle)
    print(f"wrote {args.file}: {counts_line(readers)}", file=sys.stderr)
    return 0


def write_csv(readers: Readers, handle: TextIO) -> None:
    writer = csv.writer(handle)
    writer.writerow(["email", "name", "status", "consent_at", "source", "updated"])
    for r in readers.all():
        writer.writerow(
            [r.email, spreadsheet_safe(r.name), r.status, r.consent_at or "", r.source, r.updated]
        )


def spreadsheet_safe(value: str) -> str:
    """Names come from a web form: one a spreadsheet would run as a formula is quoted."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
