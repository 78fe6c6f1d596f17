"""Who gets an issue: `[recipients]` plus the confirmed subscribers of the
readers table, minus everyone who unsubscribed (whichever list names them)."""

from __future__ import annotations

import logging

from digest.config import Config
from digest.deliver.readers import Readers
from digest.deliver.recipients import RecipientList, dedupe, load_recipients, parse_addresses
from digest.errors import ConfigError, DigestError
from digest.state import StateDB

log = logging.getLogger(__name__)


def recipients_for(config: Config, to: list[str] | None) -> RecipientList:
    """Everyone to send to (or only `to`), suppressed readers left out."""
    with StateDB(config.state_dir) as state:
        readers = Readers(state)
        subscribers = readers.subscribers() if to is None else []
        suppressed = readers.suppressed()
    if to is not None:
        listed = parse_addresses(to, "--to")
        if not listed.recipients:
            raise DigestError(
                "--to: no valid address given" + (f" ({listed.problems[0]})" if listed.problems else "")
            )
    else:
        listed = load_recipients(config, allow_empty=True)
        listed.recipients = dedupe(listed.recipients + subscribers)
    kept = [r for r in listed.recipients if r.key not in suppressed]
    left_out = len(listed.recipients) - len(kept)
    if left_out:
        log.info("%d listed readers unsubscribed earlier; not sent to", left_out)
    listed.recipients = kept
    if not kept and to is not None:
        raise DigestError("--to: every address given unsubscribed earlier; nobody to send to")
    if not kept:
        bad = f", {len(listed.problems)} invalid (see the warnings above)" if listed.problems else ""
        raise ConfigError(
            f"{config.path or 'config'}: no recipients: [recipients] to and file list nobody valid "
            f"and no reader has subscribed ({len(suppressed)} unsubscribed{bad})"
        )
    return listed
