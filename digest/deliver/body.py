"""The MIME body of one issue (text and HTML, quoted-printable), per reader.

Encoding the body is most of the cost of a message (quoted-printable in pure
Python), and all readers share it except the lines holding the unsubscribe
link placeholder. Quoted-printable encodes every line on its own (soft line
breaks stay within the line), so the body is encoded once with each such line
replaced by a marker, and for each reader only those few lines are encoded
and put in the markers' places: the bytes are exactly those of encoding the
whole filled-in body, at a fraction of the cost.
"""

from __future__ import annotations

import re
import secrets
from email import policy, quoprimime
from email.message import EmailMessage

from digest.edition.unsubscribe import PLACEHOLDER, fill_html, fill_text, with_link
from digest.models import RenderedEmail

# The same line breaks bytes.splitlines() knows, which the MIME encoder splits on.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_POLICY = policy.SMTP  # CRLF line ends, lines of at most 78 characters


def encode_body(text: str, html: str) -> bytes:
    """multipart/alternative, text then HTML: the MIME-Version and Content-Type lines,
    a blank line, the parts."""
    body = EmailMessage(policy=_POLICY)
    # Quoted-printable keeps every line under the 998-octet SMTP limit whatever the HTML.
    body.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    body.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return body.as_bytes()


def encode_line(line: str) -> bytes:
    """One line as the MIME encoder writes it in a utf-8 quoted-printable part."""
    latin = line.encode("utf-8").decode("latin-1")  # what the encoder sees: one char per byte
    encoded: str = quoprimime.body_encode(latin, _POLICY.max_line_length or 78, eol="\r\n")
    return encoded.encode("ascii")


class ReaderBody:
    """The encoded body with the link lines left open; `fill(url)` closes them."""

    def __init__(self, email: RenderedEmail) -> None:
        self.email = email
        self.unlinked: bytes | None = None
        marker = f"digestlink{secrets.token_hex(12)}n"  # letters and digits only: encoded as it is
        self.lines: list[tuple[str, bool]] = []  # (line with the placeholder, is HTML)
        text = self._take(email.text, marker, html=False)
        page = self._take(email.html, marker, html=True)
        # Pieces alternate: shared bytes, the index of a link line, shared bytes, ...
        self.pieces = re.split(rf"{marker}(\d+)".encode("ascii"), encode_body(text, page))

    def _take(self, content: str, marker: str, html: bool) -> str:
        """`content` with each line holding the placeholder replaced by a numbered marker."""
        lines = _LINE_BREAK.split(content)
        for number, line in enumerate(lines):
            if PLACEHOLDER in line:
                lines[number] = f"{marker}{len(self.lines)}"
                self.lines.append((line, html))
        return "\n".join(lines)

    @property
    def has_link(self) -> bool:
        return bool(self.lines)

    def fill(self, url: str | None) -> bytes:
        """The body with `url` in place of the placeholder; with None, without the link."""
        if not self.lines:
            return self.pieces[0]
        if url is None:
            if self.unlinked is None:  # rare (no link for a reader): encoded whole, once
                email = with_link(self.email, None)
                self.unlinked = encode_body(email.text, email.html)
            return self.unlinked
        filled = [
            encode_line(fill_html(line, url) if html else fill_text(line, url)) for line, html in self.lines
        ]
        out = bytearray(self.pieces[0])
        for index in range(1, len(self.pieces), 2):
            out += filled[int(self.pieces[index])]
            out += self.pieces[index + 1]
        return bytes(out)
