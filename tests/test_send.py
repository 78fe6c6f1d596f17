"""Delivery against a real aiosmtpd server on 127.0.0.1: what arrives, exactly
once, through faults, TLS and login; and clear one-line errors for bad input."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from datetime import date
from html import escape

import pytest
from smtp_server import (
    DeferFirst,
    DropAfter,
    KillAfter,
    Mailbox,
    RefuseOne,
    smtp_server,
    write_test_issue,
)

from digest.cli import main as cli_main
from digest.deliver.ledger import DEFERRED, FAILED, REFUSED, SENT, Ledger
from digest.deliver.send import deliver, send_lock
from digest.errors import ConfigError, DigestError, LockedError
from digest.state import StateDB

DAY = date(2026, 11, 22)
SENDER = "Top Ten <news@example.org>"
GOOD = ["ann@example.org", "bob@example.com", "cy@example.net"]


@pytest.fixture
def send_config(make_config, tmp_path):
    """Config for a server; writes the built issue for DAY first."""

    def factory(server, recipients=GOOD, **smtp):
        smtp = {
            "host": "127.0.0.1",
            "port": server.port,
            "sender": SENDER,
            "retry_delay": 0.01,
            "timeout": 5.0,
            **smtp,
        }
        config = make_config(smtp=smtp, recipients={"to": list(recipients)})
        if not (config.out_dir / DAY.isoformat()).exists():
            write_test_issue(config.out_dir, DAY)
        return config

    return factory


@pytest.fixture
def cli(capsys):
    """`digest ...` in this process; the root logging it sets up is put back afterwards,
    so no handler is left writing to pytest's closed capture."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield cli_main
    root.handlers[:] = handlers
    root.setLevel(level)


def ledger_of(config) -> dict:
    with StateDB(config.state_dir) as state:
        return Ledger(state).entries(DAY.isoformat())


# --- plain delivery -------------------------------------------------------------------------


def test_each_recipient_gets_one_message_addressed_to_them(send_config):
    box = Mailbox()
    with smtp_server(box) as server:
        report = deliver(send_config(server), DAY)
    assert (report.sent, report.skipped, report.failed) == (3, 0, 0)
    assert sorted(r.rcpt_tos for r in box.received) == [(a,) for a in sorted(GOOD)]
    for received in box.received:
        msg = received.message
        assert received.mail_from == "news@example.org"
        assert msg["To"].addresses[0].addr_spec == received.rcpt_tos[0]
        assert msg.get_content_type() == "multipart/alternative"
        assert msg["Subject"] == "Top Ten \u2014 2026-11-22"


def test_a_second_run_sends_nothing_and_counts_skipped(send_config):
    box = Mailbox()
    with smtp_server(box) as server:
        config = send_config(server)
        deliver(config, DAY)
        again = deliver(config, DAY)
    assert (again.sent, again.skipped, again.failed) == (0, 3, 0)
    assert box.per_recipient() == dict.fromkeys(GOOD, 1)
    assert {e.status for e in ledger_of(config).values()} == {SENT}


def test_one_connection_is_reused_for_every_message(send_config):
    box = Mailbox()
    sessions = []

    class Counting(Mailbox):
        async def handle_DATA(self, server, session, envelope):
            sessions.append(id(session))
            return box.accept(envelope)

    with smtp_server(Counting()) as server:
        deliver(send_config(server), DAY)
    assert len(sessions) == 3 and len(set(sessions)) == 1


def test_to_option_sends_only_to_those_and_records_them(send_config):
    box = Mailbox()
    with smtp_server(box) as server:
        config = send_config(server)
        report = deliver(config, DAY, to=["bob@example.com"])
        rest = deliver(config, DAY)
    assert report.sent == 1
    assert (rest.sent, rest.skipped) == (2, 1)
    assert box.per_recipient() == dict.fromkeys(GOOD, 1)


def test_dry_run_writes_one_eml_per_recipient_and_sends_nothing(send_config):
    box = Mailbox()
    with smtp_server(box) as server:
        config = send_config(server)
        report = deliver(config, DAY, dry_run=True)
    assert box.received == [] and ledger_of(config) == {}
    assert sorted(p.name for p in report.files) == sorted(f"{a}.eml" for a in GOOD)
    from email import message_from_bytes, policy

    msg = message_from_bytes(report.files[0].read_bytes(), policy=policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    assert report.files[0].parent == config.out_dir / DAY.isoformat()


def test_digest_send_command_prints_counts(send_config, tmp_path, capsys, cli):
    box = Mailbox()
    with smtp_server(box) as server:
        config = send_config(server)
        toml = tmp_path / "send.toml"
        toml.write_text(
            f'[digest]\nout = "{config.out_dir}"\nstate = "{config.state_dir}"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsender = "{SENDER}"\n'
            f"[recipients]\nto = {GOOD!r}\n".replace("'", '"')
        )
        code = cli(["send", "--config", str(toml), "--date", "2026-11-22", "--quiet"])
    assert code == 0
    assert "sent 3, skipped 0 (already sent), failed 0" in capsys.readouterr().out
    assert box.per_recipient() == dict.fromkeys(GOOD, 1)


def test_test_option_sends_one_marked_copy_outside_the_ledger(send_config, tmp_path):
    box = Mailbox()
    with smtp_server(box) as server:
        config = send_config(server)
        from digest.deliver.send import send_test

        report = send_test(config, DAY, "editor@example.org")
        real = deliver(config, DAY)
    assert report.sent == 1 and real.sent == 3
    test_copy = box.messages()[0]
    assert test_copy["Subject"].startswith("[test] ")
    assert "editor@example.org" not in ledger_of(config)


# --- faults ---------------------------------------------------------------------------------


def test_dropped_connections_are_reopened_and_nobody_gets_two(send_config):
    many = [f"reader{i}@example.org" for i in range(7)]
    box = DropAfter(2)
    with smtp_server(box) as server:
        report = deliver(send_config(server, recipients=many), DAY)
    assert report.sent == 7 and report.failed == 0
    assert box.drops >= 3
    assert box.per_recipient() == dict.fromkeys(many, 1)


def test_451_is_retried_and_then_accepted(send_config):
    box = DeferFirst()
    with smtp_server(box) as server:
        config = send_config(server)
        report = deliver(config, DAY)
    assert report.sent == 3 and report.failed == 0
    assert box.per_recipient() == dict.fromkeys(GOOD, 1)
    assert {e.attempts for e in ledger_of(config).values()} == {2}


def test_a_550_is_recorded_not_retried_and_the_others_still_get_it(send_config):
    box = RefuseOne("bob@example.com")
    with smtp_server(box) as server:
        config = send_config(server)
        first = deliver(config, DAY)
        again = deliver(config, DAY)
    assert (first.sent, first.failed) == (2, 1)
    assert "bob@example.com" in first.failures[0] and "550" in first.failures[0]
    assert box.refusals == 1  # neither retried in the run nor by the re-run
    assert (again.sent, again.skipped, again.failed) == (0, 2, 1)
    entry = ledger_of(config)["bob@example.com"]
    assert (entry.status, entry.attempts) == (REFUSED, 1)
    assert box.per_recipient() == {"ann@example.org": 1, "cy@example.net": 1}


def test_transient_failures_past_the_retries_are_deferred_then_sent_by_a_rerun(send_config):
    class AlwaysDefer(Mailbox):
        async def handle_DATA(self, server, session, envelope):
            return "451 4.3.2 busy"

    with smtp_server(AlwaysDefer()) as server:
        config = send_config(server, recipients=["ann@example.org"], retries=2)
        report = deliver(config, DAY)
    assert report.failed == 1 and report.sent == 0
    entry = ledger_of(config)["ann@example.org"]
    assert (entry.status, entry.attempts) == (DEFERRED, 3)
    box = Mailbox()
    with smtp_server(box) as server:
        config = send_config(server, recipients=["ann@example.org"])
        assert deliver(config, DAY).sent == 1
    assert box.per_recipient() == {"ann@example.org": 1}


def test_killed_mid_run_then_rerun_gives_everyone_exactly_one(send_config, tmp_path):
    many = [f"reader{i}@example.org" for i in range(8)]
    box = KillAfter(3)
    with smtp_server(box) as server:
        config = send_config(server, recipients=many)
        toml = tmp_path / "kill.toml"
        toml.write_text(
            f'[digest]\nout = "{config.out_dir}"\nstate = "{config.state_dir}"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsender = "{SENDER}"\nretry_delay = 0.01\n'
            f"[recipients]\nto = {many!r}\n".replace("'", '"')
        )
        command = [sys.executable, "-m", "digest", "send", "--config", str(toml), "--date", "2026-11-22"]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        box.pid = process.pid
        process.wait(timeout=120)
        assert process.returncode == -9 and box.killed
        assert len(box.received) == 3
        rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert "sent 5, skipped 3" in rerun.stdout
    assert "reader3@example.org: an earlier run stopped while sending" in rerun.stderr
    assert box.per_recipient() == dict.fromkeys(many, 1)


# --- bad input ------------------------------------------------------------------------------


def test_missing_smtp_section_names_it_before_building_anything(make_config, seeds_dir):
    config = make_config(recipients={"to": GOOD}, sources=[{"path": str(seeds_dir)}])
    with pytest.raises(ConfigError, match=r"digest\.toml: no \[smtp\] section"):
        deliver(config, DAY)
    assert not config.out_dir.exists()  # failed fast: no model was loaded, nothing built


def test_wrong_port_names_host_and_port_and_marks_nothing(send_config):
    with smtp_server(Mailbox()) as server:
        config = send_config(server)
    with pytest.raises(DigestError, match=rf"127\.0\.0\.1:{server.port}: connection refused.*smtp\.port"):
        deliver(config, DAY)
    assert ledger_of(config) == {}


def test_unknown_host_names_smtp_host(send_config):
    with smtp_server(Mailbox()) as server:
        config = send_config(server, host="no-such-host.invalid")
        with pytest.raises(DigestError, match=r"smtp\.host: cannot find the host 'no-such-host\.invalid'"):
            deliver(config, DAY)


def test_malformed_addresses_are_reported_and_the_rest_still_sent(send_config, caplog):
    box = Mailbox()
    with smtp_server(box) as server:
        listed = ["ann@example.org", "bob@@example.com", "x\r\nBcc: e@v.l"]
        report = deliver(send_config(server, recipients=listed), DAY)
    assert (report.sent, report.invalid) == (1, 2) and not report.ok
    assert "recipients.to[1]: 'bob@@example.com' is not a valid email address" in caplog.text
    assert box.per_recipient() == {"ann@example.org": 1}


def test_empty_recipient_list_is_a_clear_error(send_config):
    with smtp_server(Mailbox()) as server:
        with pytest.raises(ConfigError, match=r"no recipients: \[recipients\] to and file"):
            deliver(send_config(server, recipients=[]), DAY)


def test_a_10_mb_issue_over_the_server_limit_fails_clearly_and_a_rerun_sends_it(send_config, make_config):
    two = GOOD[:2]
    small = Mailbox()
    with smtp_server(small, data_size_limit=1_000_000) as server:
        config = send_config(server, recipients=two)
        html = "<p>" + ("Caf\u00e9 news, story words and more words. " * 5 + "\n") * 50_000 + "</p>"
        assert len(html.encode()) > 10_000_000
        write_test_issue(config.out_dir, DAY, html=html)
        first = deliver(config, DAY)
    assert (first.sent, first.failed) == (0, 2) and small.received == []
    assert all(f"more than the 1.0 MB 127.0.0.1:{server.port} accepts" in line for line in first.failures)
    assert {e.status for e in ledger_of(config).values()} == {FAILED}
    big = Mailbox()  # aiosmtpd's default limit is 32 MiB
    with smtp_server(big) as server:
        rerun = deliver(send_config(server, recipients=two), DAY)
    assert rerun.sent == 2 and big.per_recipient() == dict.fromkeys(two, 1)
    part = list(big.messages()[0].iter_parts())[1]
    assert part.get_content().replace("\r\n", "\n") == html + "\n"


def test_rate_per_minute_spaces_the_messages(send_config):
    arrivals = []

    class Clocked(Mailbox):
        async def handle_DATA(self, server, session, envelope):
            arrivals.append(time.monotonic())
            return self.accept(envelope, session)

    with smtp_server(Clocked()) as server:
        report = deliver(send_config(server, rate_per_minute=600), DAY)  # one per 0.1 s
    assert report.sent == 3
    # A lower bound only: sleeping never makes the gaps shorter, however busy the machine.
    assert arrivals[-1] - arrivals[0] >= 0.2 * 0.95


def test_test_command_line_option(send_config, tmp_path, capsys, cli):
    box = Mailbox()
    with smtp_server(box) as server:
        config = send_config(server)
        toml = tmp_path / "t.toml"
        toml.write_text(
            f'[digest]\nout = "{config.out_dir}"\nstate = "{config.state_dir}"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsender = "{SENDER}"\n'
        )
        code = cli(["send", "--config", str(toml), "--date", "2026-11-22", "--test", "ed@example.org"])
        bad = cli(["send", "--config", str(toml), "--date", "2026-11-22", "--test", "ed@@example.org"])
    assert code == 0 and box.per_recipient() == {"ed@example.org": 1}
    assert bad == 2
    assert "--test: 'ed@@example.org' is not a valid email address" in capsys.readouterr().err
    assert ledger_of(config) == {}


def test_a_second_sender_of_the_same_day_is_refused_while_the_first_runs(send_config):
    box = Mailbox()
    with smtp_server(box) as server:
        config = send_config(server)
        with send_lock(config.state_dir, DAY):
            with pytest.raises(
                LockedError, match=r"another `digest send` is delivering the 2026-11-22 issue"
            ):
                deliver(config, DAY)
        assert deliver(config, DAY).sent == 3  # the lock is gone with its holder


def test_send_builds_the_issue_first_when_missing(make_config, seeds_dir):
    """The one end-to-end test: the real pipeline (models included) builds, then sends."""
    box = Mailbox()
    with smtp_server(box) as server:
        config = make_config(
            sources=[{"path": str(seeds_dir)}],
            recipients={"to": ["ann@example.org"]},
            smtp={"host": "127.0.0.1", "port": server.port, "sender": SENDER},
        )
        day = config.today()
        report = deliver(config, day)
    assert report.sent == 1
    issue = json.loads((config.out_dir / day.isoformat() / "issue.json").read_text(encoding="utf-8"))
    html = list(box.messages()[0].iter_parts())[1].get_content()
    assert issue["stories"] and escape(issue["stories"][0]["headline"]) in html


def test_a_server_gone_mid_run_stops_the_run_and_a_rerun_finishes_it(send_config):
    many = [f"reader{i}@example.org" for i in range(5)]

    class GoneAfterTwo(Mailbox):
        """Takes two messages, then stops listening and drops the connection."""

        async def handle_DATA(self, server, session, envelope):
            if len(self.received) == 2:
                controller.server.close()
                server.transport.close()
                return "421 4.3.0 going away"
            return self.accept(envelope, session)

    box = GoneAfterTwo()
    with smtp_server(box) as controller:
        config = send_config(controller, recipients=many, retries=2)
        first = deliver(config, DAY)
    assert (first.sent, first.failed) == (2, 3)
    assert all("not sent" in line and "connection refused" in line for line in first.failures)
    assert {a for a, e in ledger_of(config).items() if e.status == SENT} == set(many[:2])
    later = Mailbox()
    with smtp_server(later) as server:
        rerun = deliver(send_config(server, recipients=many), DAY)
    assert (rerun.sent, rerun.skipped) == (3, 2)
    assert later.per_recipient() == dict.fromkeys(many[2:], 1) and box.per_recipient() == dict.fromkeys(
        many[:2], 1
    )


def test_to_with_no_valid_address_is_a_clear_error(send_config):
    with smtp_server(Mailbox()) as server:
        with pytest.raises(DigestError, match=r"--to: no valid address given \(--to: 'ann@' is not a valid"):
            deliver(send_config(server), DAY, to=["ann@"])
