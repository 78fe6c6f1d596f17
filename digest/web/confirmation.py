"""The confirmation message a sign-up sends: one link to /confirm, through `[smtp]`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape

from digest.config import Config
from digest.deliver.message import clean_header
from digest.deliver.recipients import Recipient, clean_name
from digest.deliver.send import Retry, RunAborted, ca_file
from digest.deliver.transport import PermanentError, SmtpTransport, TransientError
from digest.errors import DigestError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Confirmation:
    title: str
    sender: Address
    days: int  # how long the link works


def compose(confirmation: Confirmation, reader: Recipient, link: str) -> bytes:
    title = clean_header(confirmation.title)
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = confirmation.sender
    message["To"] = Address(display_name=clean_name(reader.name), addr_spec=reader.email)
    message["Subject"] = f"Confirm your subscription to {title}"
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid("digest-confirm", confirmation.sender.domain)
    message["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to it
    days = f"{confirmation.days} day{'s' if confirmation.days != 1 else ''}"
    text = (
        f"Someone, probably you, asked to receive {title} at this address.\n\n"
        f"To confirm, open this link and press the button:\n{link}\n\n"
        f"The link works for {days}. If you did not ask, ignore this message: "
        "nothing will be sent to you.\n"
    )
    html = (
        f'<!DOCTYPE html><html><body style="font-family:Helvetica,Arial,sans-serif">'
        f"<p>Someone, probably you, asked to receive <b>{escape(title)}</b> at this address.</p>"
        f'<p><a href="{escape(link)}">Confirm your subscription</a></p>'
        f"<p>The link works for {days}. If you did not ask, ignore this message: "
        "nothing will be sent to you.</p></body></html>"
    )
    message.set_content(text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message.as_bytes()


def send_confirmation(config: Config, confirmation: Confirmation, reader: Recipient, link: str) -> str | None:
    """Send it now; None when the server accepted it, else why not (logged, without the link)."""
    assert config.smtp is not None
    data = compose(confirmation, reader, link)
    retry = Retry(retries=1, delay=0.5)  # the reader is waiting for the page
    try:
        with SmtpTransport(config.smtp, ca_file(config)) as transport:
            error = retry.run(lambda: transport.send(confirmation.sender.addr_spec, reader.email, data))
    except (DigestError, RunAborted, TransientError, PermanentError, OSError) as exc:
        error = str(exc)
    if error:
        log.error("confirmation to %s not sent: %s", reader.email, error)
    return error
