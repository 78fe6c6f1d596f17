"""One run: build today's issue and send it, as one idempotent step.

What `digest run` and each firing of the scheduler do. Safe to repeat:
- The run lock (digest/lock.py) keeps two runs from overlapping.
- An issue already built for the day is sent as it is, never rebuilt, so
  every recipient of a day gets the same issue, also after a crash mid-send.
  (To change a built issue, run `digest build` for that day before sending.)
- The send ledger skips recipients who already have the issue, so a re-run
  after success sends nothing and says so.
- With `[schedule] skip_if_empty = true`, a day with no new articles sends
  nothing, logs why, and counts as success (exit 0).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date

from digest.config import Config
from digest.console import Timings
from digest.deliver.readers import SUBSCRIBED, Readers
from digest.deliver.send import SendReport, check_ready, deliver, load_or_build
from digest.edition.write import BuiltIssue, finish_writes
from digest.errors import ConfigError, NoArticlesError
from digest.lock import RunLock
from digest.state import StateDB

log = logging.getLogger(__name__)

SENT = "sent"
NOTHING_NEW = "nothing new"
EMPTY = "empty"
FAILED = "failed"


@dataclass(frozen=True)
class RunOutcome:
    day: date
    status: str  # SENT | NOTHING_NEW | EMPTY | FAILED
    summary: str  # the final log line
    report: SendReport | None = None

    @property
    def exit_code(self) -> int:
        return 1 if self.status == FAILED else 0


def run_once(config: Config, day: date | None = None, timings: Timings | None = None) -> RunOutcome:
    """Build (when needed) and send the issue of `day` (default: today in [digest] timezone)."""
    check_can_send(config)
    day = day or config.today()
    timings = timings or Timings()
    start = time.perf_counter()
    with RunLock(config.state_dir, config.schedule.lock_timeout):
        finish_writes(config.state_dir)  # an issue whose write a crash cut short
        built, why_empty = build_or_skip(config, day, timings)
        if built is None:
            outcome = RunOutcome(
                day, EMPTY, f"run {day}: nothing sent (schedule.skip_if_empty = true): {why_empty}"
            )
        else:
            with timings.stage("send"):
                report = deliver(config, day, built=built)
            outcome = RunOutcome(day, status_of(report), describe(day, report), report)
    elapsed = time.perf_counter() - start
    log_line = log.error if outcome.status == FAILED else log.info
    log_line("%s (%.1f s)", outcome.summary, elapsed)
    return outcome


def check_can_send(config: Config) -> None:
    """Fail before building anything when the run could not send anyway."""
    where = config.path or "config"
    check_ready(config, dry_run=False)  # [smtp], sender, security, password variable
    if not config.recipients.to and not config.recipients.file and not has_subscribers(config):
        raise ConfigError(f"{where}: no recipients: set [recipients] to or file, or let readers subscribe")
    config.zone  # noqa: B018 - raises ConfigError naming digest.timezone when unknown


def has_subscribers(config: Config) -> bool:
    with StateDB(config.state_dir) as state:
        return Readers(state).counts()[SUBSCRIBED] > 0


def build_or_skip(config: Config, day: date, timings: Timings) -> tuple[BuiltIssue | None, str]:
    """The issue to send, or None and why there is none (skip_if_empty)."""
    try:
        built = load_or_build(config, day, timings)
    except NoArticlesError as exc:
        if not config.schedule.skip_if_empty:
            raise
        return None, str(exc)
    if not built.issue.stories and config.schedule.skip_if_empty:
        return None, "the issue has no stories (all were in earlier issues)"
    return built, ""


def status_of(report: SendReport) -> str:
    if not report.ok:  # a failed send or an invalid address, as `digest send` counts them
        return FAILED
    return SENT if report.sent else NOTHING_NEW


def describe(day: date, report: SendReport) -> str:
    if report.sent == 0 and report.ok:
        return f"run {day}: nothing new to send: all {report.skipped} recipients already have this issue"
    line = f"run {day}: sent {report.sent}, already sent {report.skipped}, failed {report.failed}"
    return line + (f", invalid addresses {report.invalid}" if report.invalid else "")
