"""Config: every key optional, typed, unknown keys and wrong types named with the file."""

from __future__ import annotations

from datetime import UTC, datetime, timezone
from pathlib import Path

import pytest

from digest.config import Config, load_config
from digest.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "digest.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_documented_defaults():
    config = load_config(None)
    assert config.digest.title == "Top Ten"
    assert config.digest.top == 10
    assert config.summariser.model == "extractive"
    assert config.summariser.max_words == 70
    assert config.smtp is None


def test_example_config_parses_and_matches_defaults():
    config = load_config(REPO / "digest.example.toml")
    defaults = Config()
    assert config.digest == defaults.digest
    assert config.summariser == defaults.summariser
    assert config.schedule == defaults.schedule
    assert config.fetch == defaults.fetch
    assert config.dedup == defaults.dedup
    assert [s.path for s in config.sources] == ["seeds"]


def test_values_are_read_and_relative_paths_follow_the_file(tmp_path):
    path = write(
        tmp_path,
        '[digest]\ntitle = "Morning"\ntop = 5\nout = "issues"\n'
        '[[sources]]\npath = "articles"\nname = "Mine"\nweight = 2\n',
    )
    config = load_config(path)
    assert config.digest.title == "Morning"
    assert config.digest.top == 5
    assert config.out_dir == tmp_path / "issues"
    assert config.sources[0].weight == 2.0 and isinstance(config.sources[0].weight, float)


@pytest.mark.parametrize(
    "text, words",
    [
        ("[digest]\ntitel = 'x'\n", ["digest.titel", "unknown key"]),
        ("[digest]\ntop = 'ten'\n", ["digest.top", "an integer"]),
        ("[digest]\ntop = true\n", ["digest.top"]),
        ("[summariser]\nmax_words = 7.5\n", ["summariser.max_words"]),
        ("[recipients]\nto = 'a@b.org'\n", ["recipients.to", "list"]),
        ("[mail]\nhost = 'x'\n", ["[mail]", "unknown section"]),
        ("[digest\n", ["not valid TOML"]),
    ],
)
def test_bad_config_names_file_and_key(tmp_path, text, words):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert str(path) in message
    for word in words:
        assert word in message


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"nowhere\.toml: config file not found"):
        load_config(tmp_path / "nowhere.toml")


def test_today_follows_the_configured_timezone(tmp_path):
    config = load_config(write(tmp_path, '[digest]\ntimezone = "Pacific/Auckland"\n'))
    late_utc = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # already 2 March in Auckland
    assert config.today(late_utc).isoformat() == "2026-03-02"


def test_unknown_timezone_names_the_setting(tmp_path):
    config = load_config(write(tmp_path, '[digest]\ntimezone = "Mars/Olympus"\n'))
    with pytest.raises(ConfigError, match=r"digest\.timezone"):
        config.today()
