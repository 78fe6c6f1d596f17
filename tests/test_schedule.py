"""The scheduler: crontab meaning, timezones and DST, catch-up, and real firings
that send through a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from run_helpers import (
    READERS,
    SlowMailbox,
    config_sections,
    smtp_sections,
    wait_for,
    write_toml,
)
from smtp_server import KillAfter, Mailbox, smtp_server, write_test_issue

from digest.cli import main as cli_main
from digest.config import parse_config
from digest.edition.write import read_issue
from digest.errors import ConfigError
from digest.schedule.scheduler import (
    JOB_ID,
    Scheduler,
    crontab_trigger,
    crontab_weekdays,
    issue_day,
    missed_today,
    next_fire_times,
)

REPO = Path(__file__).resolve().parent.parent
UTC = UTC
LONDON = "Europe/London"
LOS_ANGELES = "America/Los_Angeles"


def trigger(cron: str, zone: str) -> CronTrigger:
    return crontab_trigger(parse_config({"digest": {"timezone": zone}, "schedule": {"cron": cron}}))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def in_utc(moment: datetime) -> datetime:
    """Compare instants in UTC: an aware datetime in a repeated hour never equals
    one in another zone (PEP 495), even for the same instant."""
    return moment.astimezone(UTC)


# --- timezones and daylight saving ------------------------------------------------------------
# 2026: Europe/London goes forward on 29 March and back on 25 October at 01:00 UTC;
# America/Los_Angeles forward on 8 March and back on 1 November at 02:00 local.


@pytest.mark.parametrize("zone", [LONDON, LOS_ANGELES])
def test_daily_run_is_at_seven_local_every_day_through_both_dst_changes(zone):
    times = next_fire_times(trigger("0 7 * * *", zone), 300, now=utc(2026, 2, 1))
    local_days = [t.date() for t in times]
    assert local_days == [date(2026, 2, 1) + timedelta(days=i) for i in range(300)]  # none skipped or doubled
    assert {(t.hour, t.minute) for t in times} == {(7, 0)}
    assert {t.utcoffset() for t in times} == {
        LONDON: {timedelta(0), timedelta(hours=1)},
        LOS_ANGELES: {timedelta(hours=-8), timedelta(hours=-7)},
    }[zone]


@pytest.mark.parametrize(
    "zone, day, expected_utc",
    [
        (LONDON, date(2026, 3, 29), utc(2026, 3, 29, 6)),  # 07:00 BST, first day of summer time
        (LONDON, date(2026, 10, 25), utc(2026, 10, 25, 7)),  # 07:00 GMT, first day of winter time
        (LOS_ANGELES, date(2026, 3, 8), utc(2026, 3, 8, 14)),  # 07:00 PDT
        (LOS_ANGELES, date(2026, 11, 1), utc(2026, 11, 1, 15)),  # 07:00 PST
    ],
)
def test_fire_instant_on_the_day_clocks_change(zone, day, expected_utc):
    (fire,) = next_fire_times(
        trigger("0 7 * * *", zone), 1, now=datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone))
    )
    assert in_utc(fire) == expected_utc


@pytest.mark.parametrize(
    "zone, cron, day, expected_utc",
    [
        # 01:30 happens twice in London on 25 October: once at 00:30 UTC (BST) and again at 01:30 UTC.
        (LONDON, "30 1 * * *", date(2026, 10, 25), utc(2026, 10, 25, 0, 30)),
        (LOS_ANGELES, "30 1 * * *", date(2026, 11, 1), utc(2026, 11, 1, 8, 30)),
    ],
)
def test_a_wall_time_that_happens_twice_fires_once(zone, cron, day, expected_utc):
    times = next_fire_times(
        trigger(cron, zone), 3, now=datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone))
    )
    assert in_utc(times[0]) == expected_utc
    assert [t.date() for t in times] == [day, day + timedelta(days=1), day + timedelta(days=2)]


@pytest.mark.parametrize(
    "zone, cron, day, expected_utc, expected_local",
    [
        # 01:30 does not exist in London on 29 March (01:00 GMT -> 02:00 BST): the run is at 02:30 BST.
        (LONDON, "30 1 * * *", date(2026, 3, 29), utc(2026, 3, 29, 1, 30), "02:30"),
        # 02:30 does not exist in Los Angeles on 8 March: the run is at 03:30 PDT.
        (LOS_ANGELES, "30 2 * * *", date(2026, 3, 8), utc(2026, 3, 8, 10, 30), "03:30"),
    ],
)
def test_a_wall_time_skipped_by_the_clock_change_still_fires_once_that_day(
    zone, cron, day, expected_utc, expected_local
):
    times = next_fire_times(
        trigger(cron, zone), 2, now=datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone))
    )
    assert in_utc(times[0]) == expected_utc
    assert times[0].strftime("%H:%M") == expected_local
    assert [t.date() for t in times] == [day, day + timedelta(days=1)]


@pytest.mark.parametrize(
    "zone, now, expected",
    [
        (LOS_ANGELES, utc(2026, 11, 1, 7, 30), date(2026, 11, 1)),  # 00:30 PDT
        (LOS_ANGELES, utc(2026, 11, 2, 7, 30), date(2026, 11, 1)),  # 23:30 PST, same UTC hour a day later
        (LOS_ANGELES, utc(2026, 3, 8, 7, 30), date(2026, 3, 7)),  # 23:30 PST the evening before
        (LONDON, utc(2026, 3, 28, 23, 30), date(2026, 3, 28)),  # 23:30 GMT
        (LONDON, utc(2026, 3, 29, 23, 30), date(2026, 3, 30)),  # 00:30 BST
        (LONDON, utc(2026, 10, 24, 23, 30), date(2026, 10, 25)),  # 00:30 BST
        (LONDON, utc(2026, 10, 25, 23, 30), date(2026, 10, 25)),  # 23:30 GMT
    ],
)
def test_issue_date_is_the_local_date(make_config, zone, now, expected):
    assert make_config(digest={"timezone": zone}).today(now) == expected


def test_a_late_night_run_delayed_past_midnight_sends_the_issue_of_its_day(make_config):
    config = make_config(digest={"timezone": LOS_ANGELES}, schedule={"cron": "50 23 * * *"})
    fired_late = datetime(2026, 11, 2, 0, 20, tzinfo=ZoneInfo(LOS_ANGELES))  # 30 minutes late
    assert issue_day(config, crontab_trigger(config), fired_late) == date(2026, 11, 1)


# --- crontab meaning --------------------------------------------------------------------------


def test_crontab_weekdays_count_from_sunday():
    # APScheduler 3.x alone would read 0 as Monday; crontab reads it as Sunday.
    assert crontab_weekdays("1-5") == "mon,tue,wed,thu,fri"
    assert crontab_weekdays("0") == crontab_weekdays("7") == crontab_weekdays("sun") == "sun"
    assert crontab_weekdays("*/2") == "sun,tue,thu,sat"
    assert crontab_weekdays("5-7,mon") == "sun,mon,fri,sat"


def test_weekday_schedule_runs_monday_to_friday(make_config):
    times = next_fire_times(trigger("0 7 * * 1-5", LONDON), 10, now=utc(2026, 11, 22))  # a Sunday
    assert [t.strftime("%a %d") for t in times] == [
        "Mon 23",
        "Tue 24",
        "Wed 25",
        "Thu 26",
        "Fri 27",
        "Mon 30",
        "Tue 01",
        "Wed 02",
        "Thu 03",
        "Fri 04",
    ]


def test_missed_run_counts_only_when_it_was_today():
    seven = trigger("0 7 * * *", LONDON)
    zone = ZoneInfo(LONDON)
    assert in_utc(missed_today(seven, zone, utc(2026, 11, 22, 10))) == utc(2026, 11, 22, 7)
    assert missed_today(seven, zone, utc(2026, 11, 22, 6)) is None  # yesterday's 07:00 is not today's


def test_a_missed_run_today_is_caught_up_at_start(make_config):
    config = make_config(digest={"timezone": LONDON})
    ten = utc(2026, 11, 22, 10)
    assert Scheduler(config).plan(catch_up=True, now=ten).next_run_time == ten  # 07:00 passed
    early = utc(2026, 11, 22, 6)
    assert not hasattr(
        Scheduler(config).plan(catch_up=True, now=early), "next_run_time"
    )  # left to the trigger


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cron, why",
    [
        ("61 7 * * *", "minute"),
        ("0 7 * *", "needs 5 fields"),
        ("0 7 * * 8", "weekday"),
        ("0 7 * * fri-mon", "backwards"),
        ("every day", "needs 5 fields"),
        ("0 7 1 * mon", "not both"),
    ],
)
def test_invalid_cron_names_the_setting(make_config, cron, why):
    with pytest.raises(ConfigError, match=rf"schedule\.cron: invalid crontab expression .*{why}"):
        crontab_trigger(make_config(schedule={"cron": cron}))


def test_schedule_command_reports_bad_input_in_one_line_and_starts_nothing(tmp_path, capsys):
    bad_zone = tmp_path / "zone.toml"
    bad_zone.write_text('[digest]\ntimezone = "Europe/Londres"\n')
    bad_cron = tmp_path / "cron.toml"
    bad_cron.write_text('[schedule]\ncron = "0 25 * * *"\n')
    for path, setting in [
        (bad_zone, "digest.timezone"),
        (bad_cron, "schedule.cron"),
        (tmp_path / "missing.toml", "config file not found"),
    ]:
        assert cli_main(["schedule", "--next", "--config", str(path)]) == 2
        err = capsys.readouterr().err.strip()
        assert setting in err and str(path) in err
        assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_scheduler_refuses_to_start_with_a_state_folder_it_cannot_write(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    sections = {"digest": {"state": str(blocker / "state")}, **smtp_sections(2525)}
    toml = write_toml(tmp_path / "digest.toml", sections)
    assert cli_main(["schedule", "--config", str(toml)]) == 2  # at once, not at the first run time
    err = capsys.readouterr().err.strip()
    assert "setting digest.state" in err and len(err.splitlines()) == 1


def test_schedule_next_prints_local_times(tmp_path, capsys):
    path = tmp_path / "digest.toml"
    path.write_text(f'[digest]\ntimezone = "{LOS_ANGELES}"\n[schedule]\ncron = "15 6 * * *"\n')
    assert cli_main(["schedule", "--next", "3", "--config", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert all(" 06:15 P" in line for line in lines)  # PST or PDT


# --- real firings -----------------------------------------------------------------------------


def seconds_ahead(zone: ZoneInfo, seconds: float) -> CronTrigger:
    """A trigger that fires once, `seconds` from now (crontab has no seconds field)."""
    at = datetime.now(zone) + timedelta(seconds=seconds)
    return CronTrigger(
        year=at.year,
        month=at.month,
        day=at.day,
        hour=at.hour,
        minute=at.minute,
        second=at.second,
        timezone=zone,
    )


def smtp_config(make_config, server, **schedule):
    return make_config(digest={"timezone": LONDON}, **smtp_sections(server.port, **schedule))


def run_in_thread(scheduler: Scheduler) -> threading.Thread:
    thread = threading.Thread(target=scheduler.start, kwargs={"catch_up": False}, daemon=True)
    thread.start()
    return thread


def test_scheduler_fires_builds_todays_issue_and_each_reader_gets_it_once(make_config, seeds_dir, caplog):
    """The one test here that runs the whole pipeline, models included."""
    box = Mailbox()
    with smtp_server(box) as server:
        config = make_config(
            digest={"timezone": LONDON}, sources=[{"path": str(seeds_dir)}], **smtp_sections(server.port)
        )
        today = config.today()
        scheduler = Scheduler(config, trigger=seconds_ahead(config.zone, 3))
        thread = run_in_thread(scheduler)
        wait_for(lambda: len(box.received) == len(READERS) or "run for" in caplog.text, timeout=900)
        scheduler.stop()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert box.per_recipient() == dict.fromkeys(READERS, 1), caplog.text
    built = read_issue(config.out_dir / today.isoformat())
    assert built.issue.date == today and built.issue.stories
    assert {m["Subject"] for m in box.messages()} == {f"Top Ten \u2014 {today.isoformat()}"}
    text = box.messages()[0].get_body(("plain",)).get_content()
    assert " ".join(built.issue.stories[0].headline.split()) in " ".join(text.split())


def test_the_running_job_has_the_configured_defaults(make_config):
    config = make_config(schedule={"misfire_grace_time": 5400})
    scheduler = Scheduler(config)
    thread = run_in_thread(scheduler)
    wait_for(lambda: scheduler.scheduler.running and scheduler.scheduler.get_job(JOB_ID) is not None)
    job = scheduler.scheduler.get_job(JOB_ID)
    scheduler.stop()
    thread.join(timeout=30)
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 5400)
    assert not thread.is_alive()


def test_crash_mid_send_then_next_scheduled_run_sends_the_rest_once(make_config, tmp_path):
    box = KillAfter(1)  # takes one message, then kills the sender during the second
    with smtp_server(box) as server:
        config = smtp_config(make_config, server)
        today = config.today()
        write_test_issue(config.out_dir, today)
        toml = write_toml(tmp_path / "crash.toml", config_sections(config, server.port))
        crashed = subprocess.Popen(
            [sys.executable, "-m", "digest", "run", "--config", str(toml)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        box.pid = crashed.pid
        crashed.wait(timeout=120)
        assert crashed.returncode == -signal.SIGKILL and len(box.received) == 1

        scheduler = Scheduler(config, trigger=seconds_ahead(config.zone, 3))
        thread = run_in_thread(scheduler)
        wait_for(lambda: len(box.received) == len(READERS))
        scheduler.stop()
        thread.join(timeout=30)
    assert box.per_recipient() == dict.fromkeys(READERS, 1)


def test_restart_catches_up_once_and_sigterm_waits_for_the_send_in_progress(make_config, tmp_path):
    box = SlowMailbox(0.5)
    with smtp_server(box) as server:
        config = smtp_config(make_config, server)
        # Every minute: whenever the test runs, a run time earlier today has passed
        # (the first minute after local midnight included).
        toml = write_toml(tmp_path / "digest.toml", config_sections(config, server.port, cron="* * * * *"))
        today = config.today()
        write_test_issue(config.out_dir, today)
        process = subprocess.Popen(
            [sys.executable, "scheduler.py", "--config", str(toml)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(REPO),
        )
        try:
            assert box.started.wait(timeout=60), "the catch-up run never started"
            process.send_signal(signal.SIGTERM)  # while the first message is in flight
            _, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, err
    assert box.per_recipient() == dict.fromkeys(READERS, 1)  # the run finished before exit
    assert "catching up now" in err
    assert "received SIGTERM" in err
    assert f"run {today}: sent 3" in err
    assert err.rstrip().endswith("scheduler stopped")
