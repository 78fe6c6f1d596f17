"""The `digest` command: parses the command line and dispatches to a command.

Each command lives in `digest/commands/<name>.py` with two functions:
`add_arguments(parser)` and `main(args, config) -> int`. User errors
(`DigestError`) are printed as one line, without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sqlite3
import sys
from pathlib import Path
from typing import Any

from digest import __version__
from digest.config import Config, load_config
from digest.console import setup_logging
from digest.errors import DigestError
from digest.state import DB_NAME

# name -> one-line help. Order is the order shown by `digest --help`.
COMMANDS: dict[str, str] = {
    "build": "build an issue from articles and write it to out/<date>/",
    "send": "send the built issue over SMTP, once per recipient (re-run safe)",
    "run": "build today's issue and send it, as one idempotent step (for cron)",
    "schedule": "run in the foreground and send at every [schedule] cron time",
    "preview": "serve the built issues on 127.0.0.1 to look at before sending",
    "archive": "write a static site of every built issue, ready to publish",
    "serve": "serve the readers' sign-up, confirmation and unsubscribe pages ([web])",
    "readers": "list, add, remove, import or export the readers who subscribed or left",
    "sources": "list the configured sources with their last fetch status and newest entry",
    "bench": "run a benchmark and print its figures as JSON",
}

DEFAULT_CONFIG = "digest.toml"


def common_options(nested: bool = False) -> argparse.ArgumentParser:
    """--config, -v, --quiet, --log-file. `nested` is for a sub-command's own
    sub-commands (`digest bench NAME`): there the options take no defaults,
    so a value given before NAME is not reset by NAME's parser."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("common options")
    unset: dict[str, Any] = {"default": argparse.SUPPRESS} if nested else {}
    group.add_argument(
        "--config",
        "-c",
        metavar="FILE",
        **unset,
        help=f"TOML config file (default: ./{DEFAULT_CONFIG} when present, else built-in defaults)",
    )
    group.add_argument(
        "--verbose", "-v", action="count", help="log debug messages", **(unset or {"default": 0})
    )
    group.add_argument(
        "--quiet", "-q", action="store_true", **unset, help="log warnings and errors only (for cron)"
    )
    group.add_argument("--log-file", metavar="FILE", **unset, help="also append log lines to FILE")
    return common


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only `command`'s module is imported, so a run loads only
    what it needs (the top-level --help needs just the names)."""
    parser = argparse.ArgumentParser(
        prog="digest",
        description="Writes and sends a daily Top Ten newsletter, offline, on an ordinary CPU.",
        epilog="`digest COMMAND --help` explains each command's options.",
    )
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_options()
    for name, help_text in COMMANDS.items():
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            parents=[common],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if name == command:
            module = importlib.import_module(f"digest.commands.{name}")
            sub.description = (module.__doc__ or help_text).strip()
            module.add_arguments(sub)
            sub.set_defaults(module=module)
    return parser


def chosen_command(argv: list[str]) -> str | None:
    return next((arg for arg in argv if arg in COMMANDS), None)


def read_config(path: str | None) -> Config:
    if path is None and Path(DEFAULT_CONFIG).is_file():
        path = DEFAULT_CONFIG
    return load_config(path)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(chosen_command(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    config: Config | None = None
    try:
        setup_logging(args.verbose, args.quiet, args.log_file)
        config = read_config(args.config)
        code: int = args.module.main(args, config)
        return code
    except DigestError as exc:
        print(f"digest: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.DatabaseError as exc:
        # A damaged state database (or one another program locked): a state
        # problem, exit 2, not "a recipient failed" (1).
        logging.getLogger("digest").debug("database error", exc_info=True)
        where = config.state_dir / DB_NAME if config else "the state database"
        print(
            f"digest: error: {where} (setting digest.state): {exc}; restore it from a backup "
            "or move it away to start afresh",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("digest: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        # e.g. a log file or output folder that cannot be written
        logging.getLogger("digest").debug("OS error", exc_info=True)
        where = f" {exc.filename}" if exc.filename else ""
        print(f"digest: error:{where} {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
