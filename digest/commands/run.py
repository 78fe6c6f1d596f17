"""Build today's issue and send it, as one idempotent step (for cron).

Today is the date in [digest] timezone. An issue already built for the day is
sent as it is; recipients who already have it are skipped, so running again
after success sends nothing and says so. Only one run at a time: a second one
waits up to [schedule] lock_timeout seconds for the first, then gives up.

exit codes:
  0   sent, or nothing new to send, or no new articles today
      (with [schedule] skip_if_empty = true, the default)
  1   at least one recipient failed (the next run retries them)
  2   bad configuration or input (the message names the setting)
  3   no usable articles and [schedule] skip_if_empty = false
  75  another run held the lock for longer than [schedule] lock_timeout"""

from __future__ import annotations

import argparse
import sys

from digest.commands import add_date_option
from digest.config import Config
from digest.console import Timings
from digest.schedule.run import run_once


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_date_option(parser)
    parser.add_argument(
        "--timings", action="store_true", help="print the wall time of each stage to stderr at the end"
    )


def main(args: argparse.Namespace, config: Config) -> int:
    timings = Timings()
    outcome = run_once(config, args.date, timings)
    if args.timings:
        print(timings.table(), file=sys.stderr)
    return outcome.exit_code
