"""The multilingual encoder with its content-hash cache (real USE model)."""

from __future__ import annotations

import numpy as np
import pytest

from digest.encoders.embed import (
    CACHE_KIND,
    DIM,
    MAX_WORKERS,
    Encoder,
    balanced_parts,
    default_workers,
    load_encoder,
    text_key,
)
from digest.state import StateDB

ENGLISH = "The central bank raised interest rates by half a point to fight inflation."
FRENCH = "La banque centrale a relevé ses taux d'intérêt d'un demi-point pour lutter contre l'inflation."
OTHER = "The home team won the cup final after a penalty shoot-out in front of 80,000 fans."


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return load_encoder(None)


def test_rows_are_unit_float32_and_translation_is_close(encoder):
    rows = encoder.encode([ENGLISH, FRENCH, OTHER])
    assert rows.shape == (3, DIM) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert rows[0] @ rows[1] > rows[0] @ rows[2] + 0.2


def test_text_without_words_gets_a_zero_row(encoder):
    rows = encoder.encode(["", "  \n ", "...", ENGLISH])
    assert not rows[:3].any()
    assert rows[3].any()


def test_huge_text_is_embedded_from_its_beginning(encoder):
    huge = ENGLISH + " " + "word " * 250_000  # over 1 MB
    rows = encoder.encode([huge, ENGLISH])
    assert rows.shape == (2, DIM)
    assert np.isfinite(rows).all()


class NoModelEncoder(Encoder):
    """Fails if asked to run the model: proves a result came from the cache."""

    def _embed(self, texts):
        raise AssertionError(f"embedded {len(texts)} texts again")


def test_embeddings_are_cached_by_content_hash(tmp_path, encoder):
    with StateDB(tmp_path) as state:
        first = Encoder(state).encode([ENGLISH, FRENCH, ENGLISH])
        assert state.get(CACHE_KIND, text_key(ENGLISH)) is not None
        again = NoModelEncoder(state).encode([FRENCH, ENGLISH])
    assert np.array_equal(again, first[[1, 0]])
    assert np.allclose(first[0], encoder.encode([ENGLISH])[0], atol=1e-6)


def test_a_changed_text_is_embedded_again(tmp_path):
    with StateDB(tmp_path) as state:
        Encoder(state).encode([ENGLISH])
        with pytest.raises(AssertionError, match="embedded 1 texts again"):
            NoModelEncoder(state).encode([ENGLISH + " Markets fell."])


def test_worker_threads_give_the_same_rows_as_one():
    texts = [f"{ENGLISH} Item {i}." if i % 2 else f"{FRENCH} Point {i}." for i in range(40)]
    alone = Encoder(None, workers=1).encode(texts)
    shared = Encoder(None, workers=3).encode(texts)
    assert np.allclose(alone, shared, atol=1e-6)


def test_texts_are_split_in_order_into_runs_of_about_equal_length():
    texts = ["a" * 1000] + ["b"] * 30 + ["c" * 500] * 4
    parts = balanced_parts(texts, 2)
    assert [t for part in parts for t in part] == texts
    assert len(parts) == 2 and abs(sum(map(len, parts[0])) - sum(map(len, parts[1]))) <= 1000
    assert balanced_parts(texts[:5], 4) == [texts[:5]]  # too few texts to share out


def test_the_worker_count_follows_the_cores_even_without_an_affinity_call(monkeypatch):
    assert 1 <= default_workers() <= MAX_WORKERS
    monkeypatch.delattr("os.sched_getaffinity", raising=False)  # as on macOS and Windows
    monkeypatch.setattr("os.cpu_count", lambda: 64)
    assert default_workers() == MAX_WORKERS
    monkeypatch.setattr("os.cpu_count", lambda: None)  # "undeterminable", as the docs allow
    assert default_workers() == 1
