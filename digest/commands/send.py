"""Send the issue built for a date over SMTP (building it first when missing),
once to each recipient of [recipients]: everyone the send ledger records as
sent for that issue is skipped, so a re-run after a crash or a dropped
connection finishes the rest and duplicates nobody. Prints the sent / skipped /
failed counts; exits 1 when any recipient failed or was invalid. Holds the
run lock of `digest run` while it builds and sends (waiting up to
[schedule] lock_timeout seconds, then exit 75).

The SMTP password is read from the environment variable named by
[smtp] password_env, never from the config file."""

from __future__ import annotations

import argparse

from digest.commands import add_date_option
from digest.config import Config
from digest.deliver.send import SendReport, deliver, send_test
from digest.edition.write import finish_writes
from digest.errors import DigestError
from digest.lock import RunLock


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_date_option(parser)
    parser.add_argument(
        "--to",
        action="append",
        metavar="ADDR",
        help="send only to ADDR (repeatable) instead of [recipients]; still recorded in the ledger",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="write one .eml file per recipient into the issue folder; send nothing",
    )
    parser.add_argument(
        "--test",
        metavar="ADDR",
        help="send one copy, subject marked [test], to ADDR only, "
        "outside the ledger (recipients are not touched)",
    )


def main(args: argparse.Namespace, config: Config) -> int:
    day = args.date or config.today()
    if args.test and (args.to or args.dry_run):
        raise DigestError("--test sends one copy on its own; it does not combine with --to or --dry-run")
    # The run lock, as `digest run` takes it: a send that builds while a run
    # builds the same day would mail one version and leave the other in out/.
    with RunLock(config.state_dir, config.schedule.lock_timeout):
        finish_writes(config.state_dir)
        if args.test:
            report = send_test(config, day, args.test)
        else:
            report = deliver(config, day, to=args.to, dry_run=args.dry_run)
    print(summary(report, args.dry_run))
    return 0 if report.ok else 1


def summary(report: SendReport, dry_run: bool) -> str:
    line = f"sent {report.sent}, skipped {report.skipped} (already sent), failed {report.failed}"
    if report.invalid:
        line += f", invalid addresses {report.invalid}"
    if dry_run:
        folder = report.files[0].parent if report.files else "the issue folder"
        line += f"\ndry run: wrote {len(report.files)} .eml files to {folder}"
    return line
