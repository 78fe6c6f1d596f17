"""`digest run`: build when needed, send once, under the lock; against a real
aiosmtpd server on 127.0.0.1 and real `digest run` processes."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from run_helpers import (
    READERS,
    SlowMailbox,
    config_sections,
    smtp_sections,
    write_toml,
)
from smtp_server import Mailbox, RefuseOne, smtp_server, write_test_issue

from digest.cli import main as cli_main
from digest.errors import ConfigError, NoArticlesError
from digest.schedule.run import EMPTY, FAILED, NOTHING_NEW, SENT, run_once

DAY = date(2026, 11, 22)


def digest_run(toml, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "digest", "run", "--config", str(toml), "--date", DAY.isoformat(), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_run_sends_once_and_a_rerun_sends_nothing_and_says_so(make_config, caplog):
    box = Mailbox()
    with smtp_server(box) as server:
        config = make_config(**smtp_sections(server.port))
        folder = write_test_issue(config.out_dir, DAY, headline="Ferry timetable changes")
        before = (folder / "issue.json").read_bytes()
        caplog.set_level("INFO")
        first = run_once(config, DAY)
        again = run_once(config, DAY)
    assert (first.status, first.report.sent, first.exit_code) == (SENT, 3, 0)
    assert (again.status, again.report.sent, again.report.skipped, again.exit_code) == (NOTHING_NEW, 0, 3, 0)
    assert box.per_recipient() == dict.fromkeys(READERS, 1)
    # The issue already built was sent as it was, not rebuilt (there are no sources to build from).
    assert (folder / "issue.json").read_bytes() == before
    assert "Ferry timetable changes" in box.messages()[0].get_body(("plain",)).get_content()
    assert "run 2026-11-22: sent 3, already sent 0, failed 0" in caplog.text
    assert "nothing new to send: all 3 recipients already have this issue" in caplog.text
    assert "stage send:" in caplog.text


def test_a_refused_recipient_fails_the_run_but_not_the_others(make_config):
    box = RefuseOne("bob@example.com")
    with smtp_server(box) as server:
        config = make_config(**smtp_sections(server.port))
        write_test_issue(config.out_dir, DAY)
        outcome = run_once(config, DAY)
    assert (outcome.status, outcome.exit_code, outcome.report.sent, outcome.report.failed) == (
        FAILED,
        1,
        2,
        1,
    )
    assert box.per_recipient() == {"ann@example.org": 1, "cy@example.net": 1}


def test_a_day_with_no_articles_sends_nothing_and_says_why(make_config, tmp_path, caplog):
    (tmp_path / "news").mkdir()
    box = Mailbox()
    with smtp_server(box) as server:
        config = make_config(sources=[{"path": str(tmp_path / "news")}], **smtp_sections(server.port))
        caplog.set_level("INFO")
        outcome = run_once(config, DAY)
        assert (outcome.status, outcome.exit_code) == (EMPTY, 0)
        assert (
            "run 2026-11-22: nothing sent (schedule.skip_if_empty = true): no usable article" in caplog.text
        )
        strict = make_config(
            sources=[{"path": str(tmp_path / "news")}], **smtp_sections(server.port, skip_if_empty=False)
        )
        with pytest.raises(NoArticlesError):
            run_once(strict, DAY)
    assert box.received == []
    assert not (config.out_dir / DAY.isoformat()).exists()


def test_run_command_exit_codes_for_an_empty_day(make_config, tmp_path, capsys):
    (tmp_path / "news").mkdir()
    with smtp_server(Mailbox()) as server:
        config = make_config(**smtp_sections(server.port))
        sections = config_sections(config, server.port)
        sections["sources"] = [{"path": str(tmp_path / "news")}]
        lenient = write_toml(tmp_path / "lenient.toml", sections)
        sections["schedule"]["skip_if_empty"] = False
        strict = write_toml(tmp_path / "strict.toml", sections)
        assert cli_main(["run", "--config", str(lenient), "--date", DAY.isoformat()]) == 0
        assert cli_main(["run", "--config", str(strict), "--date", DAY.isoformat()]) == 3
    assert "no usable article" in capsys.readouterr().err


def test_quiet_run_logs_stages_and_a_summary_to_the_log_file(make_config, tmp_path, capsys):
    with smtp_server(Mailbox()) as server:
        config = make_config(**smtp_sections(server.port))
        write_test_issue(config.out_dir, DAY)
        toml = write_toml(tmp_path / "digest.toml", config_sections(config, server.port))
        log_file = tmp_path / "digest.log"
        code = cli_main(
            ["run", "--config", str(toml), "--date", DAY.isoformat(), "--quiet", "--log-file", str(log_file)]
        )
    assert code == 0
    assert capsys.readouterr().err == ""  # cron mails nothing on success
    lines = log_file.read_text().splitlines()
    assert any("stage send:" in line for line in lines)
    assert "run 2026-11-22: sent 3, already sent 0, failed 0" in lines[-1]


# --- two runs at once -------------------------------------------------------------------------


def test_two_runs_started_together_send_each_reader_one_message(make_config, tmp_path):
    box = SlowMailbox(0.3)
    with smtp_server(box) as server:
        config = make_config(**smtp_sections(server.port))
        write_test_issue(config.out_dir, DAY)
        toml = write_toml(tmp_path / "digest.toml", config_sections(config, server.port, lock_timeout=120.0))
        runs = [digest_run(toml), digest_run(toml)]
        results = [run.communicate(timeout=180) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    errs = sorted(err for _, err in results)
    assert sum("run 2026-11-22: sent 3" in err for err in errs) == 1
    assert sum("nothing new to send" in err for err in errs) == 1
    assert box.per_recipient() == dict.fromkeys(READERS, 1)


def test_a_run_that_waits_too_long_exits_75_and_sends_nothing(make_config, tmp_path):
    box = SlowMailbox(hold=True)  # the first message waits until the test releases it
    with smtp_server(box) as server:
        config = make_config(**smtp_sections(server.port))
        write_test_issue(config.out_dir, DAY)
        toml = write_toml(tmp_path / "digest.toml", config_sections(config, server.port, lock_timeout=0.5))
        first = digest_run(toml)
        try:
            assert box.started.wait(timeout=60)  # the first run holds the lock and is sending
            second = digest_run(toml)
            _, second_err = second.communicate(timeout=120)
        finally:
            box.release()
        first.communicate(timeout=120)
    assert second.returncode == 75
    assert second_err.strip().splitlines()[-1].startswith("digest: error: another digest run (pid ")
    assert "schedule.lock_timeout" in second_err
    assert first.returncode == 0
    assert box.per_recipient() == dict.fromkeys(READERS, 1)


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sections, message",
    [
        ({"recipients": {"to": READERS}}, r"no \[smtp\] section"),
        ({"smtp": {"host": "127.0.0.1"}, "recipients": {"to": READERS}}, r"smtp\.sender"),
        ({"smtp": {"host": "127.0.0.1", "sender": "news@example.org"}}, r"no recipients"),
    ],
)
def test_a_run_that_could_not_send_fails_before_building(make_config, seeds_dir, sections, message):
    config = make_config(sources=[{"path": str(seeds_dir)}], **sections)
    with pytest.raises(ConfigError, match=message):
        run_once(config, DAY)
    assert not config.out_dir.exists()


def test_bad_input_gives_one_line_naming_the_setting_and_builds_nothing(tmp_path, seeds_dir, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    base = {
        "digest": {"out": str(tmp_path / "out"), "state": str(tmp_path / "state")},
        **smtp_sections(2525),
        "sources": [{"path": str(seeds_dir)}],
    }
    cases = {
        "digest.state": {**base, "digest": {**base["digest"], "state": str(blocker / "state")}},
        "digest.timezone": {**base, "digest": {**base["digest"], "timezone": "Mars/Olympus"}},
    }
    for setting, sections in cases.items():
        toml = write_toml(tmp_path / f"{setting}.toml", sections)
        assert cli_main(["run", "--config", str(toml)]) == 2
        err = capsys.readouterr().err.strip()
        assert setting in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert cli_main(["run", "--config", str(tmp_path / "missing.toml")]) == 2
    assert "missing.toml: config file not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_run_date_option_is_checked(capsys):
    with pytest.raises(SystemExit) as exited:
        cli_main(["run", "--date", "22/11/2026"])
    assert exited.value.code == 2
    assert "not a date in YYYY-MM-DD form" in capsys.readouterr().err
