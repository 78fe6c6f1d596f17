"""Who gets the issue: `[recipients] to` and/or `file`, validated and deduplicated.

A bad address is reported (naming the setting or the file and line) and
skipped; it never stops the others. Duplicates are dropped case-insensitively,
keeping the first spelling and name.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from digest.config import Config
from digest.errors import ConfigError

log = logging.getLogger(__name__)

# RFC 5322 dot-atom local part (no quoted strings: real lists never need them).
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"^{_ATEXT}(\.{_ATEXT})*$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
# "Name <addr>" as written in a config list.
_NAMED = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<addr>[^<>]*)>\s*$")
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


@dataclass(frozen=True)
class Recipient:
    email: str  # validated addr-spec, domain in ASCII (IDNA)
    name: str = ""

    @property
    def key(self) -> str:
        """What the ledger and the deduplication compare."""
        return self.email.lower()


@dataclass
class RecipientList:
    recipients: list[Recipient] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line per rejected entry


def normalise_address(value: str) -> str:
    """Return the address with an ASCII domain, or raise ValueError saying why."""
    value = value.strip()
    if _LINE_BREAKS.search(value):
        raise ValueError("contains a control character or line break")
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise ValueError("needs the form name@domain")
    if not local.isascii() or not _LOCAL.match(local) or len(local) > 64:
        raise ValueError("has an invalid part before the @")
    try:
        domain = domain.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError("has an invalid domain") from None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ValueError("has an invalid domain")
    address = f"{local}@{domain}"
    if len(address) > 254:
        raise ValueError("is longer than 254 characters")
    return address


def clean_name(name: str) -> str:
    """A display name with no line breaks or control characters."""
    return " ".join(_LINE_BREAKS.sub(" ", name).split())


def parse_entry(entry: str) -> Recipient:
    """`addr` or `Name <addr>`; raises ValueError with the reason."""
    match = _NAMED.match(entry)
    if match:
        return Recipient(normalise_address(match["addr"]), clean_name(match["name"].strip('"')))
    return Recipient(normalise_address(entry))


def load_recipients(config: Config, allow_empty: bool = False) -> RecipientList:
    """Everyone in `[recipients] to` and `file`; raises when nobody is left
    (unless `allow_empty`: subscribers may fill the list)."""
    settings = config.recipients
    found = RecipientList()
    for i, entry in enumerate(settings.to):
        _add(found, f"recipients.to[{i}]", entry, "")
    if settings.file:
        path = config.resolve(settings.file)
        for where, address, name in read_file(path):
            _add(found, where, address, name)
    found.recipients = dedupe(found.recipients)
    if not found.recipients and not allow_empty:
        origin = config.path or "config"
        bad = f" ({len(found.problems)} invalid, see the warnings above)" if found.problems else ""
        raise ConfigError(f"{origin}: no recipients: [recipients] to and file list nobody valid{bad}")
    return found


def parse_addresses(entries: list[str], where: str) -> RecipientList:
    """Addresses given on the command line (`--to`)."""
    found = RecipientList()
    for entry in entries:
        _add(found, where, entry, "")
    found.recipients = dedupe(found.recipients)
    return found


def read_file(path: Path) -> list[tuple[str, str, str]]:
    """Rows of a subscribers CSV as (file:line, address, name); a header row is skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path}: recipients file not found (setting recipients.file)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read recipients file (setting recipients.file): {exc}") from None
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""))
    for row in reader:
        number = reader.line_num
        if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
            continue
        if number == 1 and row[0].strip().lower() in ("email", "address", "e-mail"):
            continue
        name = row[1] if len(row) > 1 else ""
        rows.append((f"{path}:{number}", row[0], name))
    return rows


def dedupe(recipients: list[Recipient]) -> list[Recipient]:
    seen: dict[str, Recipient] = {}
    for recipient in recipients:
        if recipient.key in seen:
            log.info("%s: listed more than once; sent once", recipient.email)
            continue
        seen[recipient.key] = recipient
    return list(seen.values())


def _add(found: RecipientList, where: str, entry: str, name: str) -> None:
    try:
        recipient = parse_entry(entry)
    except ValueError as exc:
        problem = f"{where}: {_printable(entry)} is not a valid email address: it {exc}"
        log.warning("%s; skipped", problem)
        found.problems.append(problem)
        return
    if name and not recipient.name:
        recipient = Recipient(recipient.email, clean_name(name))
    found.recipients.append(recipient)


def _printable(value: str) -> str:
    return repr(value[:80])


def require_valid(value: str, setting: str) -> str:
    """An address from a setting (sender, mailto); a bad one is a config error."""
    try:
        return normalise_address(value)
    except ValueError as exc:
        raise ConfigError(f"{setting}: {_printable(value)} is not a valid email address: it {exc}") from None
