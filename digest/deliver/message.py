"""Build the email for one recipient: multipart/alternative, text then HTML.

Headers: From, To (one recipient), Subject (the one the build filled in from
`[smtp] subject`, so the email's <title> and the header agree), Date,
a Message-ID that is the same every time for the same (issue, recipient) so a
message sent twice after a crash can be recognised as one, List-Id, and
List-Unsubscribe (+ List-Unsubscribe-Post, RFC 8058) when configured.
Every header value passes through `clean_header`: no CR/LF from any input
ever reaches a header. The same link as List-Unsubscribe goes in the body's
footer, where the issue was rendered with one (digest.edition.unsubscribe).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import quote, urlsplit

from digest.config import Config
from digest.deliver.body import ReaderBody
from digest.deliver.recipients import Recipient, clean_name, require_valid
from digest.deliver.tokens import ReaderLinks, reader_links
from digest.edition.render import safe_url
from digest.edition.write import HTML_FILE, JSON_FILE, BuiltIssue
from digest.errors import ConfigError

log = logging.getLogger(__name__)

# Headers set as objects are folded as usual; a raw one (List-Unsubscribe) is written as it is.
HEAD_POLICY = policy.SMTP.clone(refold_source="none")
_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_NAMED = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<addr>[^<>]*)>\s*$")


@dataclass(frozen=True)
class MessageSettings:
    """What every message of one issue shares; checked once, before sending."""

    sender: Address
    list_id: str
    subject: str
    issue_key: str  # the issue's date, ISO 8601: the ledger's key too
    unsubscribe_url: str | None = None  # may hold `{email}`
    unsubscribe_mailto: str | None = None
    reader_links: ReaderLinks | None = None  # per-reader signed links to `digest serve`

    @property
    def domain(self) -> str:
        return self.sender.domain


def clean_header(value: str) -> str:
    """One line: control characters and line breaks become spaces."""
    return " ".join(_BREAKS.sub(" ", value).split())


def message_settings(config: Config, built: BuiltIssue) -> MessageSettings:
    """Check the sending settings against this issue; raises ConfigError naming the setting."""
    if config.smtp is None:
        where = config.path or "config"
        raise ConfigError(f"{where}: no [smtp] section: add one (host, port, sender...) to send")
    sender = parse_sender(config.smtp.sender or config.smtp.username)
    recipients = config.recipients
    return MessageSettings(
        sender=sender,
        list_id=list_id(built.issue.title, sender.domain),
        subject=make_subject(built),
        issue_key=built.issue.date.isoformat(),
        unsubscribe_url=check_unsubscribe_url(recipients.unsubscribe_url),
        unsubscribe_mailto=(
            require_valid(recipients.unsubscribe_mailto, "recipients.unsubscribe_mailto")
            if recipients.unsubscribe_mailto
            else None
        ),
        reader_links=reader_links(config, list_key(config.digest.title, sender.domain)),
    )


def parse_sender(value: str | None) -> Address:
    if not value:
        raise ConfigError("smtp.sender: not set; the From address is needed to send")
    match = _NAMED.match(value)
    name, addr = (match["name"].strip('"'), match["addr"]) if match else ("", value)
    local, _, domain = require_valid(addr, "smtp.sender").rpartition("@")
    return Address(display_name=clean_name(name), username=local, domain=domain)


def list_id(title: str, domain: str) -> str:
    """RFC 2919 `Title <label.domain>`; the label is the title in ASCII."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    label = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "digest"
    phrase = clean_header(title).replace('"', "'")
    return f'"{phrase}" <{label}.{domain}>'


def list_key(title: str, domain: str) -> str:
    """The list's identifier (List-Id without the phrase): what reader tokens are signed for."""
    return list_id(title, domain).rpartition("<")[2].rstrip(">")


def make_subject(built: BuiltIssue) -> str:
    """The subject the build wrote (`[smtp] subject` filled in by the renderer), on one line."""
    subject = clean_header(built.email.subject)
    if subject != built.email.subject.strip():
        log.warning(
            "%s: the subject %r held a line break or control character; replaced by a space",
            built.folder / JSON_FILE,
            built.email.subject,
        )
    return subject or f"{built.issue.title} \u2014 {built.issue.date.isoformat()}"


def check_unsubscribe_url(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url.replace("{email}", "x"))
    if parts.scheme not in ("http", "https") or not parts.netloc or _BREAKS.search(url):
        raise ConfigError(f"recipients.unsubscribe_url: {url!r} is not an http(s) URL")
    if parts.scheme != "https":
        log.warning(
            "recipients.unsubscribe_url is not https: mail providers ignore one-click "
            "unsubscribe (RFC 8058) over plain http"
        )
    return url


def message_id(settings: MessageSettings, recipient: Recipient) -> str:
    """The same (issue, list, recipient) always gives the same Message-ID."""
    seed = f"{settings.list_id}\0{settings.issue_key}\0{recipient.key}".encode()
    token = hashlib.sha256(seed).hexdigest()[:24]
    return f"<digest.{settings.issue_key}.{token}@{settings.domain}>"


def unsubscribe_link(settings: MessageSettings, recipient: Recipient) -> str | None:
    """The reader's own http(s) unsubscribe URL: signed for `digest serve`, else the editor's."""
    if settings.reader_links:
        link = settings.reader_links.unsubscribe_url(recipient.email)
    elif settings.unsubscribe_url:
        link = settings.unsubscribe_url.replace("{email}", quote(recipient.email, safe=""))
    else:
        return None
    return safe_url(link)  # both were checked: this only guards against a future slip


def unsubscribe_header(settings: MessageSettings, recipient: Recipient, link: str | None) -> str | None:
    """List-Unsubscribe: the reader's `link` (see unsubscribe_link), then the mailto one."""
    links = [link] if link else []
    if settings.unsubscribe_mailto:
        subject = quote(f"unsubscribe {recipient.email}", safe="")
        links.append(f"mailto:{settings.unsubscribe_mailto}?subject={subject}")
    return ", ".join(f"<{link}>" for link in links) or None


class Composer:
    """Messages of one issue: the MIME body is encoded once, the headers and the
    footer's unsubscribe link per recipient (see digest.deliver.body)."""

    def __init__(self, built: BuiltIssue, settings: MessageSettings):
        self.settings = settings
        self.body = ReaderBody(built.email)
        if self.body.has_link and not (settings.reader_links or settings.unsubscribe_url):
            raise ConfigError(
                f"{built.folder / HTML_FILE}: the issue was built with an unsubscribe link in its footer, "
                "but neither web.base_url nor recipients.unsubscribe_url is set now; set one again, "
                "or delete the folder and build the issue again"
            )

    def message(self, recipient: Recipient, *, now: datetime | None = None, test: bool = False) -> bytes:
        """The whole message for one recipient. A test copy gets its own Message-ID."""
        settings = self.settings
        head = EmailMessage(policy=HEAD_POLICY)
        head["From"] = settings.sender
        head["To"] = Address(display_name=clean_name(recipient.name), addr_spec=recipient.email)
        head["Subject"] = ("[test] " if test else "") + settings.subject
        head["Date"] = format_datetime(now or datetime.now(UTC))
        head["Message-ID"] = (
            make_msgid("digest-test", settings.domain) if test else message_id(settings, recipient)
        )
        head["List-Id"] = settings.list_id
        # One link for the header and the footer (a signed token differs each time it is made).
        link = unsubscribe_link(settings, recipient)
        unsubscribe = unsubscribe_header(settings, recipient, link)
        if unsubscribe:
            value = clean_header(unsubscribe)
            if value.isascii() and len(value) < 900:
                # Raw: a long signed link folded as RFC 2047 encoded-words would be no link at all.
                head.set_raw("List-Unsubscribe", value)
            else:
                head["List-Unsubscribe"] = value
            if unsubscribe.startswith("<https:"):
                head["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        # The head serialises as its header lines and a blank line; the body's own
        # header lines (MIME-Version, Content-Type) continue the block.
        return head.as_bytes().removesuffix(b"\r\n") + self.body.fill(link)


def build_message(
    built: BuiltIssue,
    settings: MessageSettings,
    recipient: Recipient,
    *,
    now: datetime | None = None,
    test: bool = False,
) -> EmailMessage:
    """One message as an object (the preview's download); `Composer` for sending many."""
    data = Composer(built, settings).message(recipient, now=now, test=test)
    return message_from_bytes(data, policy=policy.SMTP)
