"""The long-running scheduler: `scheduler.py` / `digest schedule`.

An APScheduler 3.x `BlockingScheduler` fires `[schedule] cron` (five-field
crontab) in `[digest] timezone`, and each firing does what `digest run` does.
Job defaults: `coalesce` (runs missed while the machine slept fire once),
`max_instances=1` (never two runs at once in this process; the run lock
covers other processes) and `misfire_grace_time` from the config (a run
delayed by a busy or sleeping machine still happens).

Two things APScheduler 3.x does not do as a person expects, fixed here:
- `CronTrigger.from_crontab` counts weekdays from Monday = 0; crontab counts
  from Sunday = 0. The weekday field is translated to names first.
- In the repeated hour when clocks go back, a wall time such as 01:30 happens
  twice and APScheduler fires at both. `WallClockCronTrigger` fires once.
- With both a day of the month and a weekday, crontab fires when either
  matches and APScheduler when both do; such an expression is refused.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import FrameType
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from digest.config import Config
from digest.errors import ConfigError, DigestError
from digest.schedule.run import run_once

log = logging.getLogger(__name__)

JOB_ID = "digest-run"
CRONTAB_FIELDS = ("minute", "hour", "day", "month", "day_of_week")
WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]  # crontab order: Sunday = 0


class WallClockCronTrigger(CronTrigger):  # type: ignore[misc]  # APScheduler 3 ships no type hints
    """A CronTrigger that fires at most once per local wall-clock time.

    When clocks go back, the second pass through the repeated hour is skipped,
    so a daily run at 01:30 happens once that day, not twice. (A time in the
    hour skipped when clocks go forward still fires once, an hour later on the
    wall clock, as cron does.)
    """

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        fire = super().get_next_fire_time(previous_fire_time, now)
        while fire is not None and _second_pass(fire):
            fire = super().get_next_fire_time(fire, fire)
        result: datetime | None = fire
        return result


def _second_pass(moment: datetime) -> bool:
    """True for the later of two instants that share one local wall time."""
    first = moment.replace(fold=0)
    return first.utcoffset() != moment.replace(fold=1).utcoffset() and moment.fold == 1


def crontab_trigger(config: Config) -> WallClockCronTrigger:
    """The trigger for `[schedule] cron`; a bad expression names the setting."""
    zone = config.zone
    cron = config.schedule.cron
    where = config.path or "config"
    fields = cron.split()
    try:
        if len(fields) != 5:
            raise ValueError(f"needs 5 fields (minute hour day month weekday), got {len(fields)}")
        values = dict(zip(CRONTAB_FIELDS, fields, strict=True))
        if values["day"] != "*" and values["day_of_week"] != "*":
            # crontab runs when either matches, APScheduler only when both do: refuse, not guess.
            raise ValueError(
                "set the day of the month or the weekday, not both "
                "(crontab and APScheduler combine them differently)"
            )
        values["day_of_week"] = crontab_weekdays(values["day_of_week"])
        for name, value in values.items():  # one at a time, to name the bad field
            _check_field(name, value)
        return WallClockCronTrigger(**values, timezone=zone)
    except ValueError as exc:
        raise ConfigError(f"{where}: schedule.cron: invalid crontab expression {cron!r}: {exc}") from None


def _check_field(name: str, value: str) -> None:
    try:
        CronTrigger(**{name: value}, timezone=UTC)
    except ValueError as exc:
        raise ValueError(f"{name.replace('_', ' ')} field {value!r}: {exc}") from None


def crontab_weekdays(field: str) -> str:
    """Translate a crontab weekday field (0 or 7 = Sunday) to APScheduler names.

    "1-5" -> "mon,tue,wed,thu,fri"; names ("mon-fri") are accepted too.
    """
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = _number(step_text, "step") if step_text else 1
        if step < 1:
            raise ValueError(f"weekday step must be 1 or more in {part!r}")
        if span == "*":
            first, last = 0, 6
        else:
            low, dash, high = span.partition("-")
            first = _weekday(low)
            last = _weekday(high) if dash else (6 if step_text else first)
            if last < first:
                raise ValueError(f"weekday range {span!r} runs backwards")
        days.update(day % 7 for day in range(first, last + 1, step))
    return ",".join(WEEKDAYS[d] for d in sorted(days))


def _weekday(text: str) -> int:
    text = text.strip().lower()
    if text[:3] in WEEKDAYS and text.isalpha():
        return WEEKDAYS.index(text[:3])
    number = _number(text, "weekday")
    if not 0 <= number <= 7:
        raise ValueError(f"weekday {text!r} is not 0-7 (0 and 7 are Sunday)")
    return number


def _number(text: str, what: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"{what} {text!r} is not a number")
    return int(text)


def next_fire_times(trigger: CronTrigger, count: int, now: datetime | None = None) -> list[datetime]:
    """The next `count` fire times after `now`, in the trigger's timezone."""
    now = now or datetime.now(UTC)
    times: list[datetime] = []
    fire = trigger.get_next_fire_time(None, now.astimezone(trigger.timezone))
    while fire is not None and len(times) < count:
        times.append(_local(fire, trigger.timezone))
        fire = trigger.get_next_fire_time(fire, fire)
    return times


def last_fire_time(trigger: CronTrigger, now: datetime, since: datetime) -> datetime | None:
    """The latest fire time in [since, now], or None."""
    last = None
    fire = trigger.get_next_fire_time(None, since.astimezone(trigger.timezone))
    # Timestamps: datetimes in a repeated hour never compare equal across zones (PEP 495).
    while fire is not None and fire.timestamp() <= now.timestamp():
        last = fire
        fire = trigger.get_next_fire_time(fire, fire)
    return last


def missed_today(trigger: CronTrigger, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The fire time earlier today (local) that a process started now missed."""
    local_now = now.astimezone(zone)
    midnight = datetime.combine(local_now.date(), datetime.min.time(), tzinfo=zone)
    return last_fire_time(trigger, now, midnight - timedelta(microseconds=1))


def issue_day(config: Config, trigger: CronTrigger, now: datetime) -> date:
    """The date of the issue a run starting now is for.

    The local date of the firing it belongs to, so a 23:50 run delayed past
    midnight (within the misfire grace time) still sends the issue of its day.
    """
    since = now - timedelta(seconds=config.schedule.misfire_grace_time + 1)
    fired = last_fire_time(trigger, now, since)
    return (fired or now).astimezone(config.zone).date()


class Scheduler:
    """The BlockingScheduler with the one job, and a clean shutdown."""

    def __init__(
        self,
        config: Config,
        trigger: CronTrigger | None = None,
        run: Callable[[Config, date], object] = run_once,
    ):
        self.config = config
        self.trigger = trigger or crontab_trigger(config)
        self.run = run
        self.executor = ThreadPoolExecutor(max_workers=1)
        self.scheduler = BlockingScheduler(
            timezone=config.zone,
            executors={"default": self.executor},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": config.schedule.misfire_grace_time,
            },
        )
        self.stopping = threading.Event()

    def start(self, catch_up: bool = True) -> None:
        """Run until `stop()` (or SIGTERM/SIGINT via `serve`), then wait for a run in progress."""
        self.plan(catch_up, datetime.now(UTC))
        if not self.stopping.is_set():
            self.scheduler.start()  # blocks until stop()
        log.info("waiting for the run in progress, if any, to finish")
        self.executor.shutdown(wait=True)
        log.info("scheduler stopped")

    def plan(self, catch_up: bool, now: datetime) -> Job:
        """Add the job; it runs at once when today's run time passed before `now`."""
        missed = missed_today(self.trigger, self.config.zone, now) if catch_up else None
        # next_run_time=now makes the first run immediate; later ones follow the trigger.
        # (Passing None would pause the job, so the argument is left out instead.)
        first = {"next_run_time": now} if missed else {}
        job = self.scheduler.add_job(self.job, self.trigger, id=JOB_ID, name="digest run", **first)
        if missed:
            log.info("missed the run of %s while not running; catching up now", show_time(missed))
        upcoming = next_fire_times(self.trigger, 1, now)
        log.info(
            "scheduler started (%s, %s); next run %s",
            self.trigger,
            self.config.digest.timezone,
            show_time(upcoming[0]) if upcoming else "never",
        )
        return job

    def stop(self) -> None:
        """Ask the loop to end; safe from a signal handler (waits for nothing)."""
        if self.stopping.is_set():
            log.info("already stopping; waiting for the run in progress to finish")
            return
        self.stopping.set()
        if self.scheduler.running:  # a signal during start-up finds it not yet running
            self.scheduler.shutdown(wait=False)

    def job(self) -> None:
        """One scheduled run: the same code path as `digest run`."""
        now = datetime.now(UTC)
        day = issue_day(self.config, self.trigger, now)
        try:
            self.run(self.config, day)
        except DigestError as exc:
            log.error("scheduled run for %s failed: %s", day, exc)
        except Exception:
            log.exception("scheduled run for %s failed", day)
        upcoming = next_fire_times(self.trigger, 1)
        if upcoming:
            log.info("next run %s", show_time(upcoming[0]))


def serve(config: Config, catch_up: bool = True) -> int:
    """Run the scheduler in the foreground until SIGTERM or SIGINT."""
    scheduler = Scheduler(config)

    def on_signal(number: int, frame: FrameType | None) -> None:
        log.info("received %s; shutting down", signal.Signals(number).name)
        scheduler.stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        scheduler.start(catch_up)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The real wall time of `moment` (one set inside a DST gap moves forward)."""
    # Through UTC: astimezone() to the same tzinfo object would change nothing.
    return moment.astimezone(UTC).astimezone(zone)


def show_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %Z (UTC%z)")
