"""What the preview shows of the message `digest send` would send: to a
placeholder subscriber, with placeholder addresses until [smtp] is set up, and
with that subscriber's unsubscribe link in the footer (or none, when no link
can be made here), never the raw placeholder (digest.edition.unsubscribe)."""

from __future__ import annotations

import logging
from dataclasses import replace
from email import policy
from email.headerregistry import Address
from pathlib import Path

from digest.config import Config
from digest.deliver.message import (
    MessageSettings,
    build_message,
    check_unsubscribe_url,
    list_id,
    list_key,
    message_settings,
    unsubscribe_link,
)
from digest.deliver.recipients import Recipient
from digest.deliver.tokens import ReaderLinks, reader_links
from digest.edition.unsubscribe import PLACEHOLDER, fill_html, fill_text, strip_html, strip_text, with_link
from digest.edition.write import HTML_FILE, BuiltIssue, read_issue
from digest.errors import ConfigError, DigestError

log = logging.getLogger(__name__)

PREVIEW_SENDER = Address(display_name="Preview", username="digest", domain="example.invalid")
PREVIEW_RECIPIENT = Recipient(email="subscriber@example.invalid", name="Subscriber")


def preview_message_settings(config: Config, built: BuiltIssue) -> MessageSettings:
    """The [smtp] settings when they are complete, else placeholder addresses
    (the preview works before anything is set up for sending)."""
    if config.smtp is not None:
        try:
            return message_settings(config, built)
        except ConfigError as exc:
            log.info("the .eml uses placeholder addresses: %s", exc)
    url, links = preview_links(config)
    return MessageSettings(
        sender=PREVIEW_SENDER,
        list_id=list_id(built.issue.title, PREVIEW_SENDER.domain),
        subject=built.email.subject,
        issue_key=built.issue.date.isoformat(),
        unsubscribe_url=url,
        reader_links=links,
    )


def preview_links(config: Config) -> tuple[str | None, ReaderLinks | None]:
    """The unsubscribe settings that are usable without [smtp] (no link when one is wrong)."""
    try:
        url = check_unsubscribe_url(config.recipients.unsubscribe_url)
        links = reader_links(config, list_key(config.digest.title, PREVIEW_SENDER.domain))
    except ConfigError as exc:
        log.info("the preview shows no unsubscribe link: %s", exc)
        return None, None
    return url, links


def preview_link(config: Config, built: BuiltIssue) -> str | None:
    """The placeholder subscriber's unsubscribe link, or None when none can be made."""
    return unsubscribe_link(preview_message_settings(config, built), PREVIEW_RECIPIENT)


def eml_bytes(config: Config, built: BuiltIssue) -> bytes:
    """The message `digest send` would send (to a placeholder subscriber)."""
    settings = preview_message_settings(config, built)
    if unsubscribe_link(settings, PREVIEW_RECIPIENT) is None:
        # No link can be made here (say the secret is not set): show none rather than the placeholder.
        built = replace(built, email=with_link(built.email, None))
    message = build_message(built, settings, PREVIEW_RECIPIENT)
    return message.as_bytes(policy=policy.SMTP)


def email_part(config: Config, folder: Path, name: str) -> bytes | None:
    """`email.html` or `email.txt` of an issue folder as the placeholder subscriber gets it;
    None when the folder has no such file."""
    path = folder / name
    if not path.is_file():
        return None
    content = path.read_bytes()
    if PLACEHOLDER.encode("ascii") not in content:
        return content  # byte for byte
    try:
        link = preview_link(config, read_issue(folder))
    except DigestError:
        link = None  # a broken folder: show the email without the link
    text = content.decode("utf-8", errors="replace")
    if name == HTML_FILE:
        text = fill_html(text, link) if link else strip_html(text)
    else:
        text = fill_text(text, link) if link else strip_text(text)
    return text.encode("utf-8")
