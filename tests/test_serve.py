"""`digest serve` for real: uvicorn on 127.0.0.1, aiosmtpd receiving the
confirmations, headless Chromium filling the form, then `deliver` sending to
the new reader and skipping the one who clicked unsubscribe."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from urllib.parse import urlencode

import pytest
from browser import artifact, chromium, needs_chromium
from reader_site import (
    SECRET,
    confirm_link,
    open_form,
    post_form,
    request,
    sign_up,
    unsubscribe_link,
    wait_for,
)
from smtp_server import Mailbox, smtp_server, write_test_issue

from digest.deliver.message import list_key
from digest.deliver.readers import PENDING, SUBSCRIBED, UNSUBSCRIBED, Readers
from digest.deliver.recipients import Recipient
from digest.deliver.send import deliver
from digest.deliver.tokens import CONFIRM, UNSUBSCRIBE, Signer
from digest.state import StateDB
from digest.web.runner import background
from digest.web.serve import make_app, make_site

DAY, NEXT = date(2026, 11, 22), date(2026, 11, 23)
SENDER = "Top Ten <news@example.org>"
LIST = list_key("Top Ten", "example.org")
ONE_CLICK = {"Content-Type": "application/x-www-form-urlencoded"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def site(make_config, monkeypatch) -> Iterator:
    """start(**web) -> (config, base URL, mailbox): a reader site and its SMTP server."""
    monkeypatch.setenv("DIGEST_WEB_SECRET", SECRET)
    with ExitStack() as stack:

        def start(to: tuple[str, ...] = (), proxied: bool = False, **web):
            box = Mailbox()
            server = stack.enter_context(smtp_server(box))
            port = free_port()
            config = make_config(
                smtp={"host": "127.0.0.1", "port": server.port, "sender": SENDER, "retry_delay": 0.01},
                recipients={"to": list(to)},
                web={"base_url": f"http://127.0.0.1:{port}", **web},
            )
            url = stack.enter_context(background(make_app(make_site(config)), port=port, proxied=proxied))
            return config, url, box

        yield start


def status_of(config, address: str) -> str | None:
    with StateDB(config.state_dir) as state:
        reader = Readers(state).get(address)
        return reader.status if reader else None


def received_by(box: Mailbox, address: str) -> list:
    return [r.message for r in box.received if address in r.rcpt_tos]


# --- the whole flow, in a browser -------------------------------------------------------


@pytest.mark.browser
@needs_chromium
def test_in_chromium_sign_up_confirm_then_send_delivers(site, tmp_path):
    config, url, box = site(to=("editor@example.org",))
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(url + "subscribe")
        page.fill("#email", "new.reader@example.com")
        page.fill("#name", "New Reader")
        page.screenshot(path=artifact("serve-subscribe.png"), full_page=True)
        page.click("#subscribe")
        assert page.inner_text("#heading") == "Check your inbox"
        wait_for(lambda: received_by(box, "new.reader@example.com"))
        (confirmation,) = received_by(box, "new.reader@example.com")
        assert confirmation["Subject"] == "Confirm your subscription to Top Ten"
        link = confirm_link(confirmation)
        assert "new.reader" not in link  # the address is not readable in the URL
        assert status_of(config, "new.reader@example.com") == PENDING

        page.goto(link)  # what a link scanner does: it confirms nothing
        assert page.inner_text("#heading") == "Confirm your subscription"
        assert status_of(config, "new.reader@example.com") == PENDING
        page.click("#confirm-button")
        assert page.inner_text("#heading") == "You are subscribed"
    assert status_of(config, "new.reader@example.com") == SUBSCRIBED

    write_test_issue(config.out_dir, DAY)
    report = deliver(config, DAY)
    assert report.sent == 2
    (issue,) = [m for m in received_by(box, "new.reader@example.com") if "Confirm" not in m["Subject"]]
    assert issue["To"] == "New Reader <new.reader@example.com>"
    assert "new.reader" not in issue["List-Unsubscribe"]


# --- one-click unsubscribe ----------------------------------------------------------------


def test_one_click_post_as_a_mail_client_sends_it_then_send_skips_the_reader(site):
    config, _url, box = site(to=("ann@example.org", "bob@example.org"))
    write_test_issue(config.out_dir, DAY)
    assert deliver(config, DAY).sent == 2
    (message,) = received_by(box, "ann@example.org")
    link = unsubscribe_link(message)
    answer = request(link, "POST", b"List-Unsubscribe=One-Click", ONE_CLICK)
    assert answer.status == 200 and "You are unsubscribed" in answer.body
    assert status_of(config, "ann@example.org") == UNSUBSCRIBED
    again = request(link, "POST", b"List-Unsubscribe=One-Click", ONE_CLICK)
    assert again.status == 200  # a second time is harmless

    write_test_issue(config.out_dir, NEXT)
    report = deliver(config, NEXT)
    assert report.sent == 1
    assert [m["Subject"] for m in received_by(box, "ann@example.org")] == [message["Subject"]]
    assert len(received_by(box, "bob@example.org")) == 2


def test_unsubscribe_page_shows_a_button_and_get_changes_nothing(site):
    config, url, _ = site()
    token = Signer(SECRET, LIST).make(UNSUBSCRIBE, "cy@example.org")
    page = request(f"{url}unsubscribe?token={token}")
    assert page.status == 200 and 'id="confirm-button"' in page.body and "cy@example.org" in page.body
    assert status_of(config, "cy@example.org") is None
    form = post_form(f"{url}unsubscribe?token={token}", {"token": token, "List-Unsubscribe": "One-Click"})
    assert form.status == 200 and status_of(config, "cy@example.org") == UNSUBSCRIBED


# --- tokens ---------------------------------------------------------------------------------


def test_tampered_expired_foreign_and_misused_tokens_are_refused(site):
    config, url, _ = site(confirm_days=7)
    signer = Signer(SECRET, LIST)
    good = signer.make(UNSUBSCRIBE, "ann@example.org")
    tampered = good[:40] + ("A" if good[40] != "A" else "B") + good[41:]
    cases = {
        "unsubscribe?token=" + tampered: "incomplete or damaged",
        "unsubscribe?token=": "incomplete or damaged",
        "unsubscribe?token="
        + Signer("another secret, sixteen+ chars", LIST).make(UNSUBSCRIBE, "a@b.org"): "damaged",
        "unsubscribe?token="
        + Signer(SECRET, "other-list.example.org").make(UNSUBSCRIBE, "a@b.org"): "another",
        "confirm?token=" + good: "not meant for this page",
        "confirm?token="
        + signer.make(CONFIRM, "ann@example.org", "n1", now=int(time.time()) - 8 * 86400): "expired",
    }
    for target, reason in cases.items():
        for method in ("GET", "POST"):
            answer = request(url + target, method, b"List-Unsubscribe=One-Click", ONE_CLICK)
            assert answer.status == 400, target
            assert reason in answer.body, (target, answer.body)
    assert status_of(config, "ann@example.org") is None and status_of(config, "a@b.org") is None


def test_a_replayed_confirmation_cannot_resubscribe_someone_who_left(site):
    config, url, box = site()
    assert sign_up(url, "dee@example.org").status == 200
    wait_for(lambda: received_by(box, "dee@example.org"))
    link = confirm_link(received_by(box, "dee@example.org")[0])
    token = link.split("token=")[1]
    assert "You are subscribed" in post_form(url + "confirm", {"token": token}).body
    assert "already subscribed" in post_form(url + "confirm", {"token": token}).body  # double click
    unsubscribe = Signer(SECRET, LIST).make(UNSUBSCRIBE, "dee@example.org")
    assert (
        request(f"{url}unsubscribe?token={unsubscribe}", "POST", b"List-Unsubscribe=One-Click").status == 200
    )
    replay = post_form(url + "confirm", {"token": token})
    assert replay.status == 400 and "already used" in replay.body
    assert status_of(config, "dee@example.org") == UNSUBSCRIBED


# --- the sign-up form's defences ------------------------------------------------------------------


def test_csrf_missing_or_mismatched_is_refused_and_nothing_is_stored(site):
    config, url, box = site()
    token, cookie = open_form(url)
    _, other_cookie = open_form(url)
    attempts = [
        post_form(url + "subscribe", {"email": "eve@example.org"}),
        post_form(url + "subscribe", {"email": "eve@example.org", "csrf": token}),
        post_form(url + "subscribe", {"email": "eve@example.org", "csrf": token}, other_cookie),
        post_form(url + "subscribe", {"email": "eve@example.org", "csrf": token + "x"}, cookie),
    ]
    assert [a.status for a in attempts] == [403, 403, 403, 403]
    assert "security token" in attempts[0].body
    time.sleep(0.3)
    assert status_of(config, "eve@example.org") is None and box.received == []


def test_honeypot_gets_the_same_answer_and_nothing_happens(site):
    config, url, box = site()
    bot = sign_up(url, "target@example.org", website="http://spam.example")
    assert bot.status == 200 and "Check your inbox" in bot.body
    time.sleep(0.3)
    assert status_of(config, "target@example.org") is None and box.received == []


def test_the_answer_is_the_same_for_known_and_unknown_addresses(site):
    config, url, box = site()
    with StateDB(config.state_dir) as state:
        Readers(state).add(Recipient("known@example.org"), "test")
    known, unknown = sign_up(url, "known@example.org"), sign_up(url, "unknown@example.org")
    assert known.status == unknown.status == 200
    assert known.body == unknown.body
    wait_for(lambda: received_by(box, "unknown@example.org"))
    assert received_by(box, "known@example.org") == []  # a subscriber is not mailed again


def test_rate_limits_per_client_and_per_target_address(site):
    _config, url, box = site(signups_per_client=3, signups_per_address=1)
    answers = [sign_up(url, "victim@example.org") for _ in range(3)]
    assert [a.status for a in answers] == [200, 200, 200]
    assert len({a.body for a in answers}) == 1
    wait_for(lambda: received_by(box, "victim@example.org"))
    time.sleep(0.3)
    assert len(received_by(box, "victim@example.org")) == 1  # the inbox is not flooded
    limited = sign_up(url, "someone.else@example.org")
    assert limited.status == 429 and "try again later" in limited.body


def test_behind_a_proxy_each_client_has_its_own_limit(site):
    """As `digest serve` runs: X-Forwarded-For from a proxy on 127.0.0.1 names the client."""
    _, url, _ = site(proxied=True, signups_per_client=1)

    def from_client(ip: str, email: str):
        token, cookie = open_form(url)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "X-Forwarded-For": ip,
        }
        return request(url + "subscribe", "POST", urlencode({"csrf": token, "email": email}), headers).status

    assert from_client("203.0.113.1", "one@example.org") == 200
    assert from_client("203.0.113.2", "two@example.org") == 200  # another reader, not limited
    assert from_client("203.0.113.1", "three@example.org") == 429


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email, name, message",
    [
        ("not an address", "", "not a valid email address"),
        ("a@@example.org", "", "not a valid email address"),
        ("x" * 250 + "@example.org", "", "longer than 254 characters"),
        ("ok@example.org", "n" * 101, "longer than 100 characters"),
        ("", "", "enter your email address"),
        ("a@example.org\r\nBcc: v@example.org", "", "not a valid email address"),
    ],
)
def test_bad_sign_up_input_is_a_400_page_and_nothing_is_stored(site, email, name, message):
    config, url, _box = site()
    answer = sign_up(url, email, name)
    assert answer.status == 400 and message in answer.body and 'id="form-error"' in answer.body
    with StateDB(config.state_dir) as state:
        assert Readers(state).all() == []


def test_malformed_requests_get_4xx_pages(site):
    _, url, _ = site()
    bad_length = request(url + "unsubscribe?token=x", "POST", None, {"Content-Length": "abc"})
    assert bad_length.status == 400
    huge = request(url + "subscribe", "POST", b"x" * 20_000, ONE_CLICK)
    assert huge.status == 413
    assert request(url + "nowhere").status == 404
    assert request(url + "subscribe", "PUT", b"").status == 405
    assert request(url + "subscribe", headers={"Host": "evil.example"}).status == 400


def run_digest(*args: str, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "digest", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


@pytest.mark.parametrize(
    "web, env, message",
    [
        (
            'base_url = "https://news.example.org"',
            {},
            "web.secret_env: the environment variable DIGEST_WEB_SECRET",
        ),
        ('base_url = "https://news.example.org"', {"DIGEST_WEB_SECRET": "short"}, "too short"),
        ('base_url = "http://news.example.org"', {"DIGEST_WEB_SECRET": SECRET}, "must be https"),
        ('base_url = "ftp://news.example.org"', {"DIGEST_WEB_SECRET": SECRET}, "not an http(s) address"),
        ("port = 8080", {"DIGEST_WEB_SECRET": SECRET}, "web.base_url: not set"),
    ],
)
def test_bad_settings_are_one_line(tmp_path, web, env, message):
    config = tmp_path / "digest.toml"
    config.write_text(
        f'[digest]\nstate = "{tmp_path / "state"}"\n'
        f'[smtp]\nhost = "127.0.0.1"\nsender = "{SENDER}"\n[web]\n{web}\n'
    )
    environment = {k: v for k, v in os.environ.items() if k != "DIGEST_WEB_SECRET"}
    result = subprocess.run(
        [sys.executable, "-m", "digest", "serve", "--config", str(config), "--port", "0"],
        capture_output=True,
        text=True,
        env={**environment, **env},
        timeout=120,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr


# --- a crash right after "unsubscribed" ------------------------------------------------------------


def test_a_crash_right_after_unsubscribed_loses_nothing(tmp_path):
    """The real command in a process, killed with SIGKILL the moment it answered."""
    box = Mailbox()
    with smtp_server(box) as smtp:
        port = free_port()
        config_path = tmp_path / "digest.toml"
        config_path.write_text(
            f'[digest]\nout = "{tmp_path / "out"}"\nstate = "{tmp_path / "state"}"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\nsender = "{SENDER}"\n'
            f'[recipients]\nto = ["ann@example.org", "bob@example.org"]\n'
            f'[web]\nbase_url = "http://127.0.0.1:{port}"\n'
        )
        env = {**os.environ, "DIGEST_WEB_SECRET": SECRET}
        proc = subprocess.Popen(
            [sys.executable, "-m", "digest", "serve", "--config", str(config_path), "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        try:
            assert proc.stdout is not None
            lines = [proc.stdout.readline() for _ in range(2)]  # the warning about http, then the address
            assert f"at http://127.0.0.1:{port}/" in lines[-1], lines
            token = Signer(SECRET, LIST).make(UNSUBSCRIBE, "ann@example.org")
            answer = request(
                f"http://127.0.0.1:{port}/unsubscribe?token={token}", "POST", b"List-Unsubscribe=One-Click"
            )
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait(timeout=10)
        assert answer.status == 200
        write_test_issue(tmp_path / "out", DAY)
        send = run_digest(
            "send", "--config", str(config_path), "--date", DAY.isoformat(), env=env, cwd=tmp_path
        )
    assert send.returncode == 0, send.stderr
    assert "sent 1," in send.stdout
    assert box.per_recipient() == {"bob@example.org": 1}
