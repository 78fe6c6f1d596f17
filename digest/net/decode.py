"""Undo a response's content-codings step by step, never more than a limit.

A body compressed twice (`Content-Encoding: gzip, gzip`) grows a thousand
times per layer: 2.6 KB can hold 1 GiB of zeros. Decoding a network chunk
through all layers in one step, as HTTP libraries do, builds the whole
expansion in memory before any size is checked. Here each layer hands on at
most `STEP` bytes at a time and the caller counts the decoded bytes as they
come out, so memory stays within a few `STEP`s per layer plus `max_bytes`.

Only what `ACCEPT_ENCODING` asks for is decoded (gzip, deflate, identity);
any other coding is refused, and so are more than `MAX_LAYERS` of them.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

ACCEPT_ENCODING = "gzip, deflate"
STEP = 64 * 1024  # bytes a layer hands on at once
MAX_LAYERS = 3
GZIP_WBITS = zlib.MAX_WBITS | 16
ZLIB_WBITS = zlib.MAX_WBITS
RAW_WBITS = -zlib.MAX_WBITS


class DecodeError(Exception):
    """The body cannot be decoded; the message says why in one line."""


class _Layer:
    """One content-coding, undone in bounded steps."""

    def __init__(self, coding: str):
        self.coding = coding
        self.wbits = GZIP_WBITS if coding == "gzip" else ZLIB_WBITS
        self.inflater = zlib.decompressobj(self.wbits)
        self.started = False
        self.members = 1

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded bytes of `data`, in pieces of at most STEP bytes."""
        while True:
            try:
                out = self.inflater.decompress(data, STEP)
            except zlib.error as exc:
                if self.coding == "deflate" and not self.started and self.wbits == ZLIB_WBITS:
                    # "deflate" is often sent as raw deflate, without the zlib header.
                    self.wbits = RAW_WBITS
                    self.inflater = zlib.decompressobj(RAW_WBITS)
                    continue
                if self.members > 1:
                    return  # junk after a complete gzip member: ignored, as browsers do
                raise DecodeError(f"the {self.coding} body is corrupt ({exc})") from None
            self.started = True
            data = self.inflater.unconsumed_tail
            if self.inflater.eof and self.inflater.unused_data:
                # Another gzip member follows (concatenated streams are valid gzip).
                data = self.inflater.unused_data
                self.inflater = zlib.decompressobj(self.wbits)
                self.members += 1
            if out:
                yield out
            # A full STEP may leave output pending inside the inflater even with no input left.
            if not data and len(out) < STEP:
                return


class BodyDecoder:
    """Decodes the chunks of one body in order; `decode(chunk)` yields decoded pieces."""

    def __init__(self, content_encoding: str):
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = ["gzip" if c == "x-gzip" else c for c in codings if c != "identity"]
        unknown = [c for c in codings if c not in ("gzip", "deflate")]
        if unknown:
            raise DecodeError(f"the body uses a content-coding digest does not accept ({unknown[0][:40]})")
        if len(codings) > MAX_LAYERS:
            raise DecodeError(f"the body is compressed {len(codings)} times over; refused")
        # The last coding listed was applied last, so it is undone first.
        self.layers = [_Layer(c) for c in reversed(codings)]

    def decode(self, chunk: bytes) -> Iterator[bytes]:
        yield from self._through(chunk, 0)

    def _through(self, data: bytes, depth: int) -> Iterator[bytes]:
        if depth == len(self.layers):
            yield data
            return
        for piece in self.layers[depth].feed(data):
            yield from self._through(piece, depth + 1)
