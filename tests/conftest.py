"""Shared fixtures. Tests never need ../shared: the data they use is in the
repo (seeds/) or written by the test itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import Config, parse_config

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


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
