"""Telling the charset of bytes that do not say, or lie: shared by local files
(ingest/files.py) and fetched pages and feeds (ingest/fetch.py)."""

from __future__ import annotations

import re

# Byte-order marks that make NUL bytes legitimate (UTF-16/32 text). UTF-32
# comes first: its little-endian mark starts with UTF-16's.
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_bom(data: bytes) -> str | None:
    """The text when `data` opens with a byte-order mark (without the mark), else None."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    return None


def detect_charset(data: bytes) -> str | None:
    """The charset charset-normalizer finds; among near-equal candidates a
    Windows code page, the likeliest source of legacy news text (it takes
    cp1251 Russian for mac_cyrillic otherwise)."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:200_000]))
    if not matches:
        return None
    best = matches[0]
    close = [m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence - 0.05]
    windows = [m for m in close if m.encoding.startswith("cp125")]
    return (windows or [best])[0].encoding


# UTF-16 and UTF-32 without a byte-order mark: a document starts with ASCII
# ("<?xml", "<rss", a letter), so its first four bytes show where the NULs
# fall. Tried before UTF-8, which would take "<\0?\0x\0" for valid text.
WIDE = (
    (re.compile(rb"\A\x00\x00\x00[^\x00]"), "utf-32-be"),
    (re.compile(rb"\A[^\x00]\x00\x00\x00"), "utf-32-le"),
    (re.compile(rb"\A\x00[^\x00]\x00[^\x00]"), "utf-16-be"),
    (re.compile(rb"\A[^\x00]\x00[^\x00]\x00"), "utf-16-le"),
)
MAX_BAD_UTF8 = 3  # invalid sequences in a body that is otherwise UTF-8
BAD_UTF8_SHARE = 0.005


def decode_wide(data: bytes) -> str | None:
    """The text when `data` is UTF-16 or UTF-32 without a byte-order mark, else None."""
    for pattern, encoding in WIDE:
        if pattern.match(data):
            return data.decode(encoding, errors="replace")
    return None


def mostly_utf8(data: bytes) -> str | None:
    """The text as UTF-8 with its few bad bytes replaced, when only a few
    are bad: a stray byte must not send a UTF-8 body to charset detection,
    which reads a short one as a Cyrillic code page."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    return text if bad <= max(MAX_BAD_UTF8, len(data) * BAD_UTF8_SHARE) else None
