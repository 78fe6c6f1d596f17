"""Exact and near-exact copies (syndicated wire stories), found before any model runs.

Each text becomes a set of word 5-gram shingles (character 10-grams for
scripts written without spaces), summarised by a 64-value MinHash signature.
Locality-sensitive hashing over 16 bands of 4 values proposes candidate
pairs (pairs with Jaccard 0.8 are proposed with probability > 0.999), and a
candidate is a copy when its estimated Jaccard similarity is at least
`COPY_JACCARD`. Everything is numpy over integer hashes: linear in the text
length, no pairwise loop over all articles.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

SHINGLE_WORDS = 5
SHINGLE_CHARS = 10
PERMUTATIONS = 64
BANDS = 16
COPY_JACCARD = 0.8
_PRIME = (1 << 31) - 1
_SEED = 20260101  # fixed, so signatures are the same on every run and machine
_WORD = re.compile(r"\w+")
_NO_SPACES = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(_SEED)
    a = rng.integers(1, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
    b = rng.integers(0, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
    return a, b


def tokens(text: str) -> tuple[list[str], int]:
    """The text's tokens and the shingle size for them."""
    words = _WORD.findall(text.casefold())
    if len(_NO_SPACES.findall(text)) > 0.3 * sum(map(len, words)):
        # a script written without spaces between words (Chinese, Japanese,
        # Thai): shingle characters instead
        return [c for c in text if not c.isspace()], SHINGLE_CHARS
    return words, SHINGLE_WORDS


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the text's shingles (empty for a text without words)."""
    toks, size = tokens(text)
    if not toks:
        return np.zeros(0, dtype=np.uint64)
    size = min(size, len(toks))
    words = np.fromiter((zlib.crc32(t.encode("utf-8")) for t in toks), dtype=np.uint64, count=len(toks))
    # a polynomial rolling combination of the word hashes, mod 2^32
    count = len(toks) - size + 1
    combined = np.zeros(count, dtype=np.uint64)
    for k in range(size):
        combined = (combined * np.uint64(1_000_003) + words[k : k + count]) & np.uint64(0xFFFFFFFF)
    return np.unique(combined)


def signature(text: str) -> np.ndarray | None:
    """MinHash signature, or None for a text with nothing to compare."""
    hashes = shingle_hashes(text)
    if hashes.size == 0:
        return None
    a, b = _permutations()
    out = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, hashes.size, 8192):  # bounded memory for a 1 MB text
        chunk = hashes[start : start + 8192]
        values = (np.outer(chunk, a) + b) % np.uint64(_PRIME)
        np.minimum(out, values.min(axis=0), out=out)
    return out


def jaccard(first: np.ndarray | None, second: np.ndarray | None) -> float:
    """Estimated Jaccard similarity of two signatures (0 when either is missing)."""
    if first is None or second is None:
        return 0.0
    return float(np.mean(first == second))


def find_copies(texts: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of texts that are copies or near-copies of each other."""
    signatures = [signature(t) for t in texts]
    rows = PERMUTATIONS // BANDS
    candidates: set[tuple[int, int]] = set()
    for band in range(BANDS):
        buckets: dict[bytes, list[int]] = {}
        for i, sig in enumerate(signatures):
            if sig is not None:
                buckets.setdefault(sig[band * rows : (band + 1) * rows].tobytes(), []).append(i)
        for members in buckets.values():
            candidates.update((members[x], m) for x in range(len(members)) for m in members[x + 1 :])
    return sorted((i, j) for i, j in candidates if jaccard(signatures[i], signatures[j]) >= COPY_JACCARD)
