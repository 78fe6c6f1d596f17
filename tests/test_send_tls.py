"""Security and login against a real aiosmtpd server: STARTTLS and implicit TLS
with a certificate made by the test (trustme), AUTH PLAIN and LOGIN, and the
one-line errors for a wrong password, an untrusted or expired certificate,
and a security setting that does not match the server."""

from __future__ import annotations

import logging
import socket
import ssl
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import trustme
from smtp_server import PASSWORD, USER, Mailbox, authenticator, smtp_server, write_test_issue

from digest.deliver.ledger import Ledger
from digest.deliver.send import deliver
from digest.errors import ConfigError, DigestError
from digest.state import StateDB

# aiosmtpd warns whenever a test server takes AUTH without TLS; those tests mean to.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

DAY = date(2026, 11, 22)
GOOD = ["ann@example.org", "bob@example.com"]


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def server_context(ca: trustme.CA, **cert_options) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost", **cert_options).configure_cert(context)
    return context


@pytest.fixture
def ca_file(ca, tmp_path):
    path = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def config_for(make_config, monkeypatch):
    monkeypatch.setenv("DIGEST_TEST_PASSWORD", PASSWORD)

    def factory(port, **smtp):
        smtp = {
            "host": "127.0.0.1",
            "port": port,
            "sender": "news@example.org",
            "timeout": 5.0,
            "retry_delay": 0.01,
            **smtp,
        }
        config = make_config(smtp=smtp, recipients={"to": GOOD})
        write_test_issue(config.out_dir, DAY)
        return config

    return factory


def login(**smtp):
    return {"username": USER, "password_env": "DIGEST_TEST_PASSWORD", **smtp}


def nothing_recorded(config) -> bool:
    with StateDB(config.state_dir) as state:
        return not any(e.status == "sent" for e in Ledger(state).entries(DAY.isoformat()).values())


def test_starttls_verified_with_ca_file(ca, ca_file, config_for):
    box = Mailbox()
    with smtp_server(box, tls_context=server_context(ca), require_starttls=True) as server:
        report = deliver(config_for(server.port, security="starttls", ca_file=ca_file), DAY)
    assert report.sent == 2
    assert all(r.tls for r in box.received)


def test_implicit_tls_verified_with_ca_file(ca, ca_file, config_for):
    box = Mailbox()
    with smtp_server(box, ssl_context=server_context(ca)) as server:
        report = deliver(config_for(server.port, security="ssl", ca_file=ca_file), DAY)
    assert report.sent == 2 and len(box.received) == 2


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_login_over_starttls(mechanism, ca, ca_file, config_for, caplog):
    box = Mailbox()
    other = {"PLAIN": "LOGIN", "LOGIN": "PLAIN"}[mechanism]
    caplog.set_level(logging.DEBUG)
    with smtp_server(
        box,
        tls_context=server_context(ca),
        require_starttls=True,
        auth_required=True,
        authenticator=authenticator(box),
        auth_exclude_mechanism=[other],
    ) as server:
        report = deliver(config_for(server.port, security="starttls", ca_file=ca_file, **login()), DAY)
    assert report.sent == 2
    assert box.logins == [mechanism]  # one login: the connection is reused
    assert PASSWORD not in caplog.text


def test_login_over_implicit_tls(ca, ca_file, config_for):
    box = Mailbox()
    # aiosmtpd only advertises AUTH on an implicit-TLS port with auth_require_tls=False.
    with smtp_server(
        box,
        ssl_context=server_context(ca),
        auth_required=True,
        auth_require_tls=False,
        authenticator=authenticator(box),
    ) as server:
        report = deliver(config_for(server.port, security="ssl", ca_file=ca_file, **login()), DAY)
    assert report.sent == 2 and len(box.logins) == 1


def test_login_without_tls_is_allowed_but_warned(config_for, caplog):
    box = Mailbox()
    with smtp_server(
        box, auth_required=True, auth_require_tls=False, authenticator=authenticator(box)
    ) as server:
        report = deliver(config_for(server.port, **login()), DAY)
    assert report.sent == 2 and len(box.logins) == 1
    assert "password crosses the network unencrypted" in caplog.text


def test_wrong_password_is_one_line_without_the_password(ca, ca_file, config_for, monkeypatch):
    monkeypatch.setenv("DIGEST_WRONG", "not-the-password")
    box = Mailbox()
    with smtp_server(
        box,
        tls_context=server_context(ca),
        require_starttls=True,
        auth_required=True,
        authenticator=authenticator(box),
    ) as server:
        config = config_for(
            server.port, security="starttls", ca_file=ca_file, **login(password_env="DIGEST_WRONG")
        )
        with pytest.raises(DigestError) as error:
            deliver(config, DAY)
    message = str(error.value)
    assert f"login refused for smtp.username '{USER}' (535)" in message and "$DIGEST_WRONG" in message
    assert "not-the-password" not in message and "\n" not in message
    assert box.received == [] and nothing_recorded(config)


def test_password_env_not_set_names_the_variable(config_for, monkeypatch):
    monkeypatch.delenv("DIGEST_NOT_SET", raising=False)
    with smtp_server(Mailbox()) as server:
        config = config_for(server.port, **login(password_env="DIGEST_NOT_SET"))
        with pytest.raises(
            ConfigError, match=r"smtp\.password_env: the environment variable DIGEST_NOT_SET is not"
        ):
            deliver(config, DAY)


def test_untrusted_certificate_names_ca_file(ca, config_for):
    with smtp_server(Mailbox(), tls_context=server_context(ca), require_starttls=True) as server:
        config = config_for(server.port, security="starttls")
        with pytest.raises(DigestError, match=r"certificate is not trusted \(.*\).*smtp\.ca_file"):
            deliver(config, DAY)
    assert nothing_recorded(config)


def test_expired_certificate_is_refused(ca, ca_file, config_for):
    past = datetime.now(UTC) - timedelta(days=30)
    context = server_context(ca, not_before=past - timedelta(days=60), not_after=past)
    with smtp_server(Mailbox(), ssl_context=context) as server:
        config = config_for(server.port, security="ssl", ca_file=ca_file)
        with pytest.raises(DigestError, match=r"certificate is not trusted \(certificate has expired\)"):
            deliver(config, DAY)


def test_ssl_against_a_plain_server_names_smtp_security(config_for):
    box = Mailbox()
    with smtp_server(box) as server:
        config = config_for(server.port, security="ssl")
        with pytest.raises(DigestError, match=r"TLS failed .*smtp\.security = 'ssl' may not match this port"):
            deliver(config, DAY)
    assert box.received == [] and nothing_recorded(config)


def test_starttls_against_a_server_without_it(config_for):
    with smtp_server(Mailbox()) as server:
        config = config_for(server.port, security="starttls")
        with pytest.raises(
            DigestError, match=r"smtp\.security = 'starttls' but the server does not offer STARTTLS"
        ):
            deliver(config, DAY)


def test_a_server_that_never_answers_times_out_naming_smtp_timeout(config_for):
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never greets
        config = config_for(silent.getsockname()[1], timeout=0.5)
        with pytest.raises(DigestError, match=r"no answer within 0\.5 s \(smtp\.timeout\)"):
            deliver(config, DAY)


def test_bad_security_value_names_the_setting(config_for):
    with pytest.raises(ConfigError, match=r"smtp\.security: 'tls' is not one of none, starttls, ssl"):
        deliver(config_for(2525, security="tls"), DAY)


def test_missing_ca_file_names_the_setting(config_for, tmp_path):
    config = config_for(2525, security="starttls", ca_file=str(tmp_path / "nope.pem"))
    with pytest.raises(ConfigError, match=r"smtp\.ca_file: .*nope\.pem not found"):
        deliver(config, DAY)
