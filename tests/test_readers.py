"""Readers in the state database: `digest readers` (list, add, remove, import,
export), and who `deliver` sends to: [recipients] plus confirmed subscribers,
minus everyone unsubscribed, each with their own signed unsubscribe link."""

from __future__ import annotations

import csv
import io
import logging
import sqlite3
from datetime import date

import pytest
from reader_site import SECRET
from smtp_server import Mailbox, smtp_server, write_test_issue

from digest.cli import main as cli_main
from digest.deliver.message import list_key
from digest.deliver.readers import PENDING, SUBSCRIBED, UNSUBSCRIBED, Readers
from digest.deliver.recipients import Recipient
from digest.deliver.send import deliver
from digest.deliver.tokens import UNSUBSCRIBE, Signer
from digest.errors import ConfigError, DigestError
from digest.state import StateDB

DAY = date(2026, 11, 22)
SENDER = "Top Ten <news@example.org>"


@pytest.fixture
def cli(tmp_path, capsys):
    """`digest readers ...` in this process against a config in tmp_path; returns (code, out, err)."""
    (tmp_path / "digest.toml").write_text(f'[digest]\nstate = "{tmp_path / "state"}"\n')
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level

    def run(*args: str) -> tuple[int, str, str]:
        code = cli_main(["readers", *args, "--config", str(tmp_path / "digest.toml")])
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    root.handlers[:] = handlers
    root.setLevel(level)


def statuses(tmp_path) -> dict[str, str]:
    with StateDB(tmp_path / "state") as state:
        return {r.key: r.status for r in Readers(state).all()}


def test_import_counts_and_never_resubscribes_someone_who_left(cli, tmp_path):
    rows = tmp_path / "list.csv"
    rows.write_text("email,name\nann@example.org,Ann\nBob@Example.org,Bob\nnot-an-address\n\n# a comment\n")
    code, out, err = cli("import", str(rows))
    assert code == 1  # one invalid row, reported with its line
    assert f"{rows}:4: 'not-an-address' is not a valid email address" in err
    assert "2 added, 1 invalid" in out
    assert cli("remove", "ANN@example.org")[1].strip() == "ANN@example.org: unsubscribed"
    code, out, _ = cli("import", str(rows))
    assert "1 unsubscribed earlier, not re-subscribed" in out and "1 already subscribed" in out
    assert statuses(tmp_path) == {"ann@example.org": UNSUBSCRIBED, "bob@example.org": SUBSCRIBED}
    assert cli("add", "ann@example.org")[1].strip().endswith("not re-subscribed")


def test_list_and_export_round_trip_keeps_suppressions(cli, tmp_path):
    cli("add", "cy@example.org", "--name", "=HYPERLINK(1)")
    cli("add", "dee@example.org")
    cli("remove", "dee@example.org")
    code, out, _ = cli("list")
    assert code == 0 and out.splitlines()[-1] == "1 subscribed, 0 pending, 1 unsubscribed"
    assert (
        cli("list", "--status", "unsubscribed")[1].splitlines()[0].startswith("dee@example.org\tunsubscribed")
    )
    exported = tmp_path / "export.csv"
    assert cli("export", str(exported))[0] == 0
    rows = list(csv.DictReader(io.StringIO(exported.read_text())))
    assert [(r["email"], r["status"]) for r in rows] == [
        ("cy@example.org", SUBSCRIBED),
        ("dee@example.org", UNSUBSCRIBED),
    ]
    assert rows[0]["name"] == "'=HYPERLINK(1)"  # a spreadsheet shows it, does not run it
    # Moving to a fresh state folder: the one who left stays out.
    (tmp_path / "digest.toml").write_text(f'[digest]\nstate = "{tmp_path / "state2"}"\n')
    cli("import", str(exported))
    with StateDB(tmp_path / "state2") as state:
        assert {r.key: r.status for r in Readers(state).all()} == {
            "cy@example.org": SUBSCRIBED,
            "dee@example.org": UNSUBSCRIBED,
        }


def test_bad_input_is_one_line(cli, tmp_path):
    code, _, err = cli("add", "bad@@example.org")
    assert code == 2 and err.count("\n") == 1 and "not a valid email address" in err
    code, _, err = cli("import", str(tmp_path / "missing.csv"))
    assert code == 2 and "missing.csv: file not found" in err
    (tmp_path / "latin1.csv").write_bytes("caf\xe9@example.org\n".encode("latin-1"))
    code, _, err = cli("import", str(tmp_path / "latin1.csv"))
    assert code == 2 and "cannot read it as UTF-8" in err


def test_an_old_state_folder_gains_the_readers_table(tmp_path):
    """A state database from before readers existed keeps working."""
    folder = tmp_path / "state"
    folder.mkdir()
    with sqlite3.connect(folder / "digest.sqlite3") as db:
        db.execute("CREATE TABLE cache (kind TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL)")
        db.execute("INSERT INTO cache VALUES ('k', 'x', ?)", (b"v",))
    with StateDB(folder) as state:
        readers = Readers(state)
        readers.add(Recipient("ann@example.org"), "test")
        assert state.get("k", "x") == b"v" and readers.counts()[SUBSCRIBED] == 1


def test_a_pending_reader_gets_nothing_until_confirmed(tmp_path):
    with StateDB(tmp_path) as state:
        readers = Readers(state)
        assert readers.request(Recipient("p@example.org"), "nonce-1")
        assert readers.get("p@example.org").status == PENDING
        assert readers.subscribers() == []
        # Signing up again keeps the first link good: nobody can void someone's link by re-submitting.
        assert readers.request(Recipient("p@example.org"), "nonce-2") == "nonce-1"
        assert readers.confirm("p@example.org", "wrong", "test") == "refused"
        assert readers.confirm("p@example.org", "nonce-1", "test") == "confirmed"
        assert readers.subscribers() == [Recipient("p@example.org")]


# --- who deliver sends to ---------------------------------------------------------------------


@pytest.fixture
def sending(make_config, monkeypatch):
    monkeypatch.setenv("DIGEST_WEB_SECRET", SECRET)

    def config_for(server, to, **web):
        smtp = {"host": "127.0.0.1", "port": server.port, "sender": SENDER, "retry_delay": 0.01}
        config = make_config(smtp=smtp, recipients={"to": to}, web=web)
        write_test_issue(config.out_dir, DAY)
        return config

    return config_for


def test_send_goes_to_recipients_plus_subscribers_minus_the_suppressed(sending):
    box = Mailbox()
    with smtp_server(box) as server:
        config = sending(server, ["ann@example.org", "bob@example.org", "Cy@Example.org"])
        with StateDB(config.state_dir) as state:
            readers = Readers(state)
            readers.add_many([Recipient("dee@example.org", "Dee"), Recipient("ann@example.org")], "test")
            readers.request(Recipient("pending@example.org"), "n")
            readers.unsubscribe("bob@example.org", "test")  # listed in [recipients], left anyway
            readers.unsubscribe("cy@example.org", "test")
        report = deliver(config, DAY)
    assert report.sent == 2 and report.ok
    assert box.per_recipient() == {"ann@example.org": 1, "dee@example.org": 1}


def test_to_skips_the_suppressed_and_says_so_when_nobody_is_left(sending):
    with smtp_server(Mailbox()) as server:
        config = sending(server, [])
        with StateDB(config.state_dir) as state:
            Readers(state).unsubscribe("gone@example.org", "test")
        with pytest.raises(DigestError, match="every address given unsubscribed"):
            deliver(config, DAY, to=["Gone@example.org"])
        with pytest.raises(ConfigError, match=r"no recipients: .*no reader has subscribed \(1 unsubscribed"):
            deliver(config, DAY)


def test_each_reader_gets_their_own_signed_one_click_link(sending):
    box = Mailbox()
    with smtp_server(box) as server:
        config = sending(server, ["ann@example.org", "bob@example.org"], base_url="https://news.example.org/")
        deliver(config, DAY)
    for received in box.received:  # on one line as it is, not folded into RFC 2047 encoded-words
        assert b"\r\nList-Unsubscribe: <https://news.example.org/unsubscribe?token=" in received.content
    signer = Signer(SECRET, list_key("Top Ten", "example.org"))
    links = {}
    for message in box.messages():
        header = message["List-Unsubscribe"]
        assert header.startswith("<https://news.example.org/unsubscribe?token=") and "@" not in header
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        token = header.split("token=")[1].rstrip(">")
        links[message["To"]] = signer.read(token, UNSUBSCRIBE).email
    assert links == {"ann@example.org": "ann@example.org", "bob@example.org": "bob@example.org"}


def test_a_base_url_without_its_secret_stops_the_send_before_anything_goes(sending, monkeypatch):
    box = Mailbox()
    with smtp_server(box) as server:
        config = sending(server, ["ann@example.org"], base_url="https://news.example.org")
        monkeypatch.delenv("DIGEST_WEB_SECRET")
        with pytest.raises(ConfigError, match=r"web\.secret_env: the environment variable DIGEST_WEB_SECRET"):
            deliver(config, DAY)
    assert box.received == []


def test_run_sends_to_subscribers_with_no_recipients_configured(make_config):
    from digest.schedule.run import SENT as RUN_SENT
    from digest.schedule.run import run_once

    box = Mailbox()
    with smtp_server(box) as server:
        config = make_config(smtp={"host": "127.0.0.1", "port": server.port, "sender": SENDER})
        write_test_issue(config.out_dir, DAY)
        with StateDB(config.state_dir) as state:
            Readers(state).add_many([Recipient("sub@example.org"), Recipient("left@example.org")], "test")
            Readers(state).unsubscribe("left@example.org", "test")
        outcome = run_once(config, DAY)
    assert outcome.status == RUN_SENT
    assert box.per_recipient() == {"sub@example.org": 1}


def test_someone_who_left_can_come_back_only_by_confirming_again(tmp_path):
    with StateDB(tmp_path) as state:
        readers = Readers(state)
        readers.add(Recipient("back@example.org"), "test")
        readers.unsubscribe("back@example.org", "test")
        assert readers.request(Recipient("back@example.org"), "fresh")
        assert readers.get("back@example.org").status == UNSUBSCRIBED  # still suppressed meanwhile
        assert readers.confirm("back@example.org", "fresh", "web") == "confirmed"
        assert readers.get("back@example.org").status == SUBSCRIBED


def test_sign_ups_never_confirmed_are_forgotten_after_the_link_expires(tmp_path):
    with StateDB(tmp_path) as state:
        readers = Readers(state)
        readers.request(Recipient("old@example.org"), "n1")
        readers.request(Recipient("new@example.org"), "n2")
        readers.add(Recipient("sub@example.org"), "test")
        state.connection.execute(
            "UPDATE readers SET updated = '2026-01-01T00:00:00+00:00'"
            " WHERE key IN ('old@example.org', 'sub@example.org')"
        )
        state.connection.commit()
        assert readers.forget_stale(7) == 1
        assert {r.key for r in readers.all()} == {"new@example.org", "sub@example.org"}
