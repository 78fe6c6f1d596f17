"""Run in the foreground and send the issue at every [schedule] cron time.

The cron expression has the usual five crontab fields (minute hour day month
weekday; 0 and 7 are Sunday) and is read in [digest] timezone, so "0 7 * * *"
means 07:00 local time all year, across daylight-saving changes. Each firing
does what `digest run` does. If the process was down at today's time and
starts later the same day, it catches up once at start (recipients who
already have the issue are skipped). SIGTERM or SIGINT stops it cleanly after
any send in progress. `python scheduler.py` is the same command."""

from __future__ import annotations

import argparse

from digest.config import Config
from digest.lock import RunLock
from digest.schedule.run import check_can_send
from digest.schedule.scheduler import crontab_trigger, next_fire_times, serve, show_time


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--next",
        type=int,
        nargs="?",
        const=5,
        metavar="N",
        help="print the next N run times (default 5) and exit",
    )
    parser.add_argument(
        "--no-catch-up",
        dest="catch_up",
        action="store_false",
        help="do not run at start when today's time has already passed",
    )


def main(args: argparse.Namespace, config: Config) -> int:
    trigger = crontab_trigger(config)  # a bad cron or timezone fails here, naming the setting
    if args.next is not None:
        for moment in next_fire_times(trigger, max(args.next, 1)):
            print(show_time(moment))
        return 0
    check_can_send(config)
    RunLock(config.state_dir, config.schedule.lock_timeout).check()
    return serve(config, catch_up=args.catch_up)
