"""Deliver a built issue: one message per recipient, exactly once.

`deliver` reads the issue built for a day (building it when missing), skips
everyone the ledger records as sent, and sends to the rest over one reused
SMTP connection. Transient failures are retried with exponential backoff,
permanent ones recorded and not retried. A lock file keeps two runs for the
same day from sending at once.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from digest.config import Config, SmtpSettings
from digest.console import Timings
from digest.deliver.audience import recipients_for
from digest.deliver.ledger import DEFERRED, FAILED, REFUSED, SENDING, SENT, Ledger
from digest.deliver.message import (
    Composer,
    MessageSettings,
    message_id,
    message_settings,
    parse_sender,
)
from digest.deliver.recipients import Recipient, RecipientList, parse_addresses
from digest.deliver.transport import (
    ConnectionFailed,
    PermanentError,
    RecipientRefused,
    SmtpTransport,
    TransientError,
    check_settings,
    read_password,
)
from digest.edition.write import JSON_FILE, BuiltIssue, issue_folder, read_issue
from digest.errors import ConfigError, DigestError
from digest.lock import StateLock
from digest.state import StateDB

log = logging.getLogger(__name__)

# Mail clients clip HTML past about 100 KB (Gmail: 102 KB); worth a warning, not a refusal.
CLIPPED_BYTES = 102_000


@dataclass(frozen=True)
class SendReport:
    sent: int
    skipped: int  # already sent for this issue by an earlier run
    failed: int
    invalid: int = 0  # addresses rejected before sending
    failures: tuple[str, ...] = ()  # "address: reason", one per failed recipient
    files: tuple[Path, ...] = ()  # .eml files written by a dry run

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.invalid == 0


class RunAborted(Exception):
    """The server cannot be reached any more: stop, leave the rest for the next run."""


def deliver(
    config: Config,
    day: date,
    *,
    to: list[str] | None = None,
    dry_run: bool = False,
    built: BuiltIssue | None = None,
) -> SendReport:
    """Send the issue of `day` to every recipient not yet sent it (or only to `to`).
    `built` is that issue when the caller has already loaded it."""
    check_ready(config, dry_run)  # before building: a bad setting should not wait for the models
    listed = recipients_for(config, to)
    built = built or load_or_build(config, day)
    settings = message_settings(config, built)
    warn_if_large(built)
    if dry_run:
        return write_eml_files(built, settings, listed)
    assert config.smtp is not None  # message_settings checked it
    with send_lock(config.state_dir, day), StateDB(config.state_dir) as state:
        ledger = Ledger(state)
        pending, skipped, refused = sort_by_ledger(ledger, settings.issue_key, listed.recipients)
        failures = [f"{r.email}: refused in an earlier run, not retried ({why})" for r, why in refused]
        sent = 0
        if pending:
            outcome = send_all(config, built, settings, ledger, pending)
            sent, failures = outcome[0], failures + outcome[1]
    for line in failures:
        log.error("%s", line)
    return SendReport(
        sent=sent,
        skipped=skipped,
        failed=len(failures),
        invalid=len(listed.problems),
        failures=tuple(failures),
    )


def send_test(config: Config, day: date, address: str) -> SendReport:
    """One copy to `address`, outside the ledger, with its own Message-ID."""
    check_ready(config, dry_run=False)
    listed = parse_addresses([address], "--test")
    if not listed.recipients:
        raise DigestError(listed.problems[0])
    built = load_or_build(config, day)
    settings = message_settings(config, built)
    assert config.smtp is not None
    msg = Composer(built, settings).message(listed.recipients[0], test=True)
    policy = Retry.from_settings(config.smtp)
    with SmtpTransport(config.smtp, ca_file(config)) as transport:
        error = policy.run(lambda: transport.send(settings.sender.addr_spec, address, msg))
    if error:
        return SendReport(sent=0, skipped=0, failed=1, failures=(f"{address}: {error}",))
    return SendReport(sent=1, skipped=0, failed=0)


def check_ready(config: Config, dry_run: bool) -> None:
    """Every sending setting, checked without the network; raises ConfigError naming it."""
    if config.smtp is None:
        raise ConfigError(
            f"{config.path or 'config'}: no [smtp] section: add one (host, port, sender...) to send"
        )
    parse_sender(config.smtp.sender or config.smtp.username)
    if not dry_run:
        check_settings(config.smtp)
        read_password(config.smtp)


def load_or_build(config: Config, day: date, timings: Timings | None = None) -> BuiltIssue:
    """The issue of `day` as built; built now only when it is not yet (an issue
    already built is sent as it is, never rebuilt). NoArticlesError when it
    cannot be built."""
    folder = issue_folder(config.out_dir, day)
    if (folder / JSON_FILE).is_file():
        log.info("issue of %s already built in %s; sending it as it is", day, folder)
    else:
        log.info("no issue built for %s yet; building it", day.isoformat())
        # Imported here: the models' libraries take seconds to import, and a
        # re-run with the issue already built needs none of them.
        from digest.pipeline import build_issue

        folder = build_issue(config, day, timings=timings).folder
    return read_issue(folder)


def warn_if_large(built: BuiltIssue) -> None:
    size = len(built.email.html.encode("utf-8"))
    if size > CLIPPED_BYTES:
        log.warning(
            "%s: the HTML is %.0f KB; mail clients clip messages past about 100 KB", built.folder, size / 1000
        )


def sort_by_ledger(
    ledger: Ledger, issue: str, recipients: list[Recipient]
) -> tuple[list[Recipient], int, list[tuple[Recipient, str]]]:
    """(to send, how many already sent, permanently refused earlier with why)."""
    entries = ledger.entries(issue)
    pending, skipped, refused = [], 0, []
    for recipient in recipients:
        entry = entries.get(recipient.key)
        if entry is None or entry.status not in (SENT, REFUSED):
            if entry is not None and entry.status == SENDING:
                log.warning(
                    "%s: an earlier run stopped while sending; sending again with the same Message-ID",
                    recipient.email,
                )
            pending.append(recipient)
        elif entry.status == SENT:
            skipped += 1
        else:
            refused.append((recipient, entry.last_error or "refused"))
    if skipped:
        log.info("%d recipients already have the %s issue; skipped", skipped, issue)
    return pending, skipped, refused


def send_all(
    config: Config, built: BuiltIssue, settings: MessageSettings, ledger: Ledger, pending: list[Recipient]
) -> tuple[int, list[str]]:
    """Send over one connection; returns (sent, failure lines)."""
    assert config.smtp is not None
    sent, failures = 0, []
    with SmtpTransport(config.smtp, ca_file(config)) as transport:
        outbox = Outbox(
            transport,
            ledger,
            settings,
            Composer(built, settings),
            Retry.from_settings(config.smtp),
            Pacer(config.smtp.rate_per_minute),
        )
        for done, recipient in enumerate(pending):
            try:
                error = outbox.send(recipient)
            except RunAborted as exc:
                failures += [f"{r.email}: not sent, {exc}" for r in pending[done:]]
                break
            if error is None:
                sent += 1
            else:
                failures.append(f"{recipient.email}: {error}")
    log.info("sent %d of %d", sent, len(pending))
    return sent, failures


@dataclass
class Outbox:
    """One run's sending: each message recorded in the ledger around its attempts."""

    transport: SmtpTransport
    ledger: Ledger
    settings: MessageSettings
    composer: Composer
    retry: Retry
    pacer: Pacer

    def send(self, recipient: Recipient) -> str | None:
        """None once the server accepted the message, else why not (also in the ledger)."""
        issue, key = self.settings.issue_key, recipient.key
        data = self.composer.message(recipient)
        mid = message_id(self.settings, recipient)

        def attempt() -> None:
            self.pacer.wait()
            self.ledger.begin(issue, key, mid)
            self.transport.send(self.settings.sender.addr_spec, recipient.email, data)

        def failed(exc: Exception) -> None:
            self.ledger.mark_failed(issue, key, str(exc), failure_status(exc))

        error = self.retry.run(attempt, on_fail=failed)
        if error is None:
            self.ledger.mark_sent(issue, key)
        return error


@dataclass(frozen=True)
class Retry:
    """Up to `retries` more attempts after a transient failure, waiting delay, 2 delay, 4 delay..."""

    retries: int
    delay: float

    @classmethod
    def from_settings(cls, settings: SmtpSettings) -> Retry:
        return cls(retries=max(0, settings.retries), delay=max(0.0, settings.retry_delay))

    def run(
        self, attempt: Callable[[], None], on_fail: Callable[[Exception], None] | None = None
    ) -> str | None:
        """None when `attempt` succeeded, else the last error. Raises RunAborted when the
        server stayed unreachable through every retry."""
        for number in range(self.retries + 1):
            try:
                attempt()
                return None
            except PermanentError as exc:
                if on_fail:
                    on_fail(exc)
                return str(exc)
            except TransientError as exc:
                if on_fail:
                    on_fail(exc)
                last = exc
                if number < self.retries:
                    wait = self.delay * 2**number
                    log.info("%s; retrying in %.1f s", exc, wait)
                    time.sleep(wait)
        if isinstance(last, ConnectionFailed):
            raise RunAborted(str(last))
        return str(last)


def failure_status(exc: Exception) -> str:
    """The ledger status for a failure: see digest.ledger."""
    if isinstance(exc, RecipientRefused):
        return REFUSED
    return FAILED if isinstance(exc, PermanentError) else DEFERRED


class Pacer:
    """Spaces messages evenly to stay under `rate_per_minute` (0: no limit)."""

    def __init__(self, per_minute: int):
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.next = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if now < self.next:
            time.sleep(self.next - now)
        self.next = max(now, self.next) + self.interval


def send_lock(state_dir: Path, day: date) -> StateLock:
    """One sender per issue at a time; the OS drops the lock if the process dies."""
    return StateLock(
        state_dir,
        f"send-{day.isoformat()}.lock",
        timeout=0,
        busy=f"{{path}}: another `digest send` is delivering the {day.isoformat()} issue; "
        "try again when it ends",
    )


def ca_file(config: Config) -> Path | None:
    assert config.smtp is not None
    return config.resolve(config.smtp.ca_file) if config.smtp.ca_file else None


def write_eml_files(built: BuiltIssue, settings: MessageSettings, listed: RecipientList) -> SendReport:
    """Dry run: one .eml per recipient in the issue folder; nothing is sent or recorded."""
    files = []
    composer = Composer(built, settings)
    for recipient in listed.recipients:
        path = built.folder / f"{safe_name(recipient.email)}.eml"
        path.write_bytes(composer.message(recipient))
        files.append(path)
    log.info("dry run: wrote %d .eml files to %s", len(files), built.folder)
    return SendReport(sent=0, skipped=0, failed=0, invalid=len(listed.problems), files=tuple(files))


def safe_name(address: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._+-]", "_", address)
