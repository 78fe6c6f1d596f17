"""The SMTP connection: security (none / starttls / ssl) independent of login,
certificates verified by default, one connection reused across messages and
reopened when the server drops it.

`send` sorts every failure into TransientError (4xx, disconnects, timeouts:
worth a retry) or PermanentError (5xx: a retry would not help). The password
comes only from the environment variable named by `smtp.password_env`; it is
never logged and never put in a message.
"""

from __future__ import annotations

import base64
import logging
import os
import smtplib
import socket
import ssl
from pathlib import Path

from digest.config import SmtpSettings
from digest.errors import ConfigError, DigestError

log = logging.getLogger(__name__)

SECURITY = ("none", "starttls", "ssl")


class Utf8Auth:
    """smtplib's `auth`, sending UTF-8 (RFC 4616, 4954) instead of ASCII, so a
    password may hold any character. Only the encoding differs."""

    def auth(self, mechanism: str, authobject, *, initial_response_ok: bool = True):  # type: ignore[no-untyped-def]
        mechanism = mechanism.upper()
        initial = authobject() if initial_response_ok else None
        if initial is not None:
            code, reply = self.docmd("AUTH", f"{mechanism} {_base64(initial)}")  # type: ignore[attr-defined]
            self._auth_challenge_count = 1  # auth_login reads it to tell user from password
        else:
            code, reply = self.docmd("AUTH", mechanism)  # type: ignore[attr-defined]
            self._auth_challenge_count = 0
        while code == 334 and self._auth_challenge_count <= 5:
            self._auth_challenge_count += 1
            code, reply = self.docmd(_base64(authobject(base64.decodebytes(reply))))  # type: ignore[attr-defined]
        if code in (235, 503):
            return code, reply
        raise smtplib.SMTPAuthenticationError(code, reply)


class SMTP(Utf8Auth, smtplib.SMTP):
    pass


class SMTP_SSL(Utf8Auth, smtplib.SMTP_SSL):
    pass


def _base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


class TransientError(Exception):
    """Worth retrying later: 4xx replies, dropped connections, timeouts."""


class ConnectionFailed(TransientError):
    """The server could not be reached again after a drop."""


class PermanentError(Exception):
    """A 5xx reply (or a message the server can never take): not retried in this run."""


class RecipientRefused(PermanentError):
    """A 5xx reply to this address (RCPT): no later run retries it either."""


def check_settings(settings: SmtpSettings) -> None:
    if settings.security not in SECURITY:
        raise ConfigError(f"smtp.security: {settings.security!r} is not one of {', '.join(SECURITY)}")
    if not 0 < settings.port < 65536:
        raise ConfigError(f"smtp.port: {settings.port} is not a TCP port (1 to 65535)")
    if settings.timeout <= 0:
        raise ConfigError(f"smtp.timeout: must be more than 0 seconds, got {settings.timeout}")
    if settings.rate_per_minute < 0:
        raise ConfigError(
            f"smtp.rate_per_minute: must be 0 (no limit) or more, got {settings.rate_per_minute}"
        )


def read_password(settings: SmtpSettings) -> str | None:
    """The password from the environment, or None when no login is configured."""
    if settings.username and not settings.password_env:
        raise ConfigError(
            "smtp.username is set but smtp.password_env is not: "
            "name the environment variable that holds the password"
        )
    if settings.password_env and not settings.username:
        raise ConfigError("smtp.password_env is set but smtp.username is not")
    if not settings.password_env:
        return None
    password = os.environ.get(settings.password_env)
    if not password:
        raise ConfigError(
            f"smtp.password_env: the environment variable {settings.password_env} "
            "is not set (it must hold the SMTP password)"
        )
    return password


def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """The system's trusted CAs, plus `ca_file` when given; hostnames are checked."""
    context = ssl.create_default_context()
    if ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(ca_file))
        except FileNotFoundError:
            raise ConfigError(f"smtp.ca_file: {ca_file} not found") from None
        except (ssl.SSLError, OSError) as exc:
            raise ConfigError(f"smtp.ca_file: {ca_file} is not a readable PEM certificate ({exc})") from None
    return context


class SmtpTransport:
    """One reusable SMTP session; `open` fails loudly, `send` retries are the caller's."""

    def __init__(self, settings: SmtpSettings, ca_file: Path | None = None):
        check_settings(settings)
        self.settings = settings
        self.password = read_password(settings)
        self.context = tls_context(ca_file) if settings.security != "none" else None
        self.local_hostname = socket.getfqdn()  # once: smtplib would look it up per connection
        self.smtp: smtplib.SMTP | None = None
        if settings.username and settings.security == "none":
            log.warning(
                "smtp.username with smtp.security = 'none': the password crosses the "
                "network unencrypted; use 'starttls' or 'ssl' unless the server is local"
            )

    @property
    def where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def open(self) -> None:
        """Connect (and log in); raises DigestError naming the setting at fault."""
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except Exception as exc:  # noqa: BLE001 - every cause gets a one-line message
                raise DigestError(describe_connect_error(exc, self.settings)) from None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        log.debug("connecting to %s (security %s)", self.where, s.security)
        if s.security == "ssl":
            smtp: smtplib.SMTP = SMTP_SSL(
                s.host, s.port, local_hostname=self.local_hostname, timeout=s.timeout, context=self.context
            )
        else:
            smtp = SMTP(s.host, s.port, local_hostname=self.local_hostname, timeout=s.timeout)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=self.context)
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, self.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, sender: str, recipient: str, data: bytes) -> None:
        """Hand one message to the server for one recipient."""
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except Exception as exc:  # noqa: BLE001
                raise ConnectionFailed(describe_connect_error(exc, self.settings)) from None
        self._check_size(len(data))
        try:
            self.smtp.sendmail(sender, [recipient], data)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise self._reply_error(code, reply, RecipientRefused) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise self._reply_error(exc.smtp_code, exc.smtp_error) from None
        except smtplib.SMTPResponseException as exc:
            raise self._reply_error(exc.smtp_code, exc.smtp_error) from None
        except (smtplib.SMTPException, OSError) as exc:  # dropped connection, timeout, reset
            self.close()
            raise TransientError(f"connection to {self.where} lost ({exc or type(exc).__name__})") from None

    def _check_size(self, size: int) -> None:
        assert self.smtp is not None
        limit = self.smtp.esmtp_features.get("size", "")
        if limit.isdigit() and 0 < int(limit) < size:
            raise PermanentError(
                f"the message is {size / 1e6:.1f} MB, more than the "
                f"{int(limit) / 1e6:.1f} MB {self.where} accepts"
            )

    def _reply_error(
        self, code: int, reply: bytes | str, permanent: type[PermanentError] = PermanentError
    ) -> Exception:
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        message = f"{self.where} replied {code} {' '.join(text.split())}"
        if code == 421:  # the server is closing this session
            self.close()
        if 400 <= code < 500:
            return TransientError(message)
        if 500 <= code < 600:
            return permanent(message)
        self.close()
        return TransientError(message)

    def close(self) -> None:
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            self.smtp.close()
        self.smtp = None

    def __enter__(self) -> SmtpTransport:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def describe_connect_error(exc: BaseException, s: SmtpSettings) -> str:
    """One line naming the setting most likely at fault; never the password."""
    where = f"{s.host}:{s.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            f"{where}: login refused for smtp.username {s.username!r} "
            f"({exc.smtp_code}); check the password in ${s.password_env}"
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if "STARTTLS" in str(exc):
            return f"{where}: smtp.security = 'starttls' but the server does not offer STARTTLS"
        return (
            f"{where}: the server offers no login (AUTH) on this connection; "
            f"check smtp.security ({s.security!r}) or remove smtp.username"
        )
    # smtplib reports a read that timed out as a disconnection.
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return (
            f"{where}: no answer within {s.timeout:g} s (smtp.timeout); "
            f"check smtp.host, smtp.port and smtp.security ({s.security!r})"
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return (
            f"{where}: the server closed the connection while greeting; "
            f"check smtp.port and smtp.security ({s.security!r})"
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = (
            exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        )
        return f"{where}: the server refused the session ({exc.smtp_code} {' '.join(str(reply).split())})"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (
            f"{where}: the server's TLS certificate is not trusted ({exc.verify_message}); "
            "check smtp.host, or set smtp.ca_file to trust its CA"
        )
    if isinstance(exc, ssl.SSLError):
        return (
            f"{where}: TLS failed ({exc.reason or exc}); smtp.security = {s.security!r} "
            "may not match this port (usually ssl: 465, starttls: 587, none: 25)"
        )
    if isinstance(exc, socket.gaierror):
        return f"smtp.host: cannot find the host {s.host!r} ({exc.strerror})"
    if isinstance(exc, ConnectionRefusedError):
        return f"{where}: connection refused; check smtp.host and smtp.port"
    if isinstance(exc, OSError):
        return f"{where}: cannot connect ({exc.strerror or exc}); check smtp.host and smtp.port"
    return f"{where}: cannot connect ({type(exc).__name__}: {exc})"
