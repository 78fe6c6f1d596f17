"""Telling the charset of bytes that do not say, or lie: shared by local files
(ingest/files.py) and fetched pages and feeds (net/fetch.py)."""

from __future__ import annotations

import codecs
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


SNIFF_BYTES = 4096
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']""")
# Single-byte charsets decode anything, so success proves nothing.
ANY_BYTES_DECODE = {"latin-1", "iso8859-1", "cp1252", "ascii"}


def decode_body(body: bytes, declared: str | None = None) -> str:
    """Decode a body, trusting a declared charset only when the bytes agree.

    Order: byte-order mark (or the NULs of UTF-16/32 without one); the
    charset declared in the header, else in the document (<meta charset>,
    <?xml encoding?>); UTF-8, also with a few bad bytes replaced; then a
    detector (charset-normalizer) for pages that lie or say nothing.
    """
    text = decode_bom(body)
    if text is None:
        text = decode_wide(body)
    if text is not None:
        return text
    sniffed = sniff_charset(body)
    for name in (declared, sniffed, "utf-8"):
        codec = codec_name(name)
        if codec is None or codec in ANY_BYTES_DECODE:
            continue
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    if codec_name(declared or sniffed) in (None, "utf-8"):
        text = mostly_utf8(body)
        if text is not None:
            return text
    codec = codec_name(detect_charset(body)) or codec_name(declared) or "utf-8"
    return body.decode(codec, errors="replace")


def sniff_charset(body: bytes) -> str | None:
    head = body[:SNIFF_BYTES]
    match = XML_ENCODING.match(head) or META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def codec_name(name: str | None) -> str | None:
    """Python's name for a charset label, or None when unknown."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("'\"")).name
    except LookupError:
        return None
