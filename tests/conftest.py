"""Shared fixtures. Tests never need ../shared: the data they use is in the
repo (seeds/) or written by the test itself."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.config import Config, DedupSettings, parse_config
from digest.dedup.deduplicator import Deduplicator, load_deduplicator

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(autouse=True)
def keep_root_logging() -> Iterator[None]:
    """`digest.cli.main` replaces the root log handlers; put pytest's back after
    every test, so no handler is left writing to a closed captured stream."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(scope="session")
def dedup() -> Deduplicator:
    """The deduplicator with the shipped calibration and the real encoder (loaded once)."""
    return load_deduplicator(DedupSettings(), None)


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def make_config(tmp_path: Path):
    """Build a Config from TOML-like sections, with out/ and state/ in tmp_path."""

    def factory(**sections: dict) -> Config:
        data = {name: dict(values) for name, values in sections.items() if name != "sources"}
        data.setdefault("digest", {})
        data["digest"].setdefault("out", str(tmp_path / "out"))
        data["digest"].setdefault("state", str(tmp_path / "state"))
        if "sources" in sections:
            data["sources"] = sections["sources"]
        return parse_config(data, tmp_path / "digest.toml")

    return factory
