"""Bad settings and damaged state: one line naming the file or key, exit code 2,
no traceback (the digest command in this process, real files, real SQLite)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from run_helpers import READERS, smtp_sections, write_toml
from smtp_server import Mailbox, smtp_server, write_test_issue

from digest.cli import main
from digest.config import parse_config
from digest.edition.render import Renderer
from digest.errors import ConfigError
from digest.state import DB_NAME

DAY = date(2026, 11, 22)


@pytest.fixture
def cli() -> Iterator:
    """`digest ...` here; the root logging it sets up is put back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield main
    root.handlers[:] = handlers
    root.setLevel(level)


def one_line(capsys: pytest.CaptureFixture) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    "section, key, value, rule",
    [
        ("fetch", "concurrency", "0", "at least 1"),
        ("fetch", "per_host", "0", "at least 1"),
        ("fetch", "retries", "-1", "at least 0"),
        ("fetch", "timeout", "0", "above 0"),
        ("fetch", "deadline", "-5.0", "above 0"),
        ("fetch", "max_bytes", "0", "at least 1"),
        ("fetch", "timeout", "inf", "a finite number"),
        ("fetch", "backoff", "nan", "a finite number"),
        ("fetch", "cache_max_bytes", "-1", "at least 0"),
        ("smtp", "port", "70000", "at most 65535"),
        ("smtp", "retries", "-2", "at least 0"),
        ("digest", "top", "0", "at least 1"),
        ("schedule", "lock_timeout", "-1", "at least 0"),
        ("summariser", "batch_size", "0", "at least 1"),
        ("dedup", "threshold", "1.5", "at most 1"),
    ],
)
def test_each_bad_number_is_one_line_naming_the_key_and_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture, cli, section: str, key: str, value: str, rule: str
) -> None:
    config = tmp_path / "digest.toml"
    config.write_text(f"[{section}]\n{key} = {value}\n", encoding="utf-8")
    assert cli(["sources", "--config", str(config)]) == 2
    line = one_line(capsys)
    assert line.startswith(f"digest: error: {config}: '{section}.{key}' must be {rule}, got ")


def test_a_source_weight_below_zero_and_a_bad_network_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"'sources\[1\]\.weight' must be at least 0, got -1\.0"):
        parse_config({"sources": [{"path": "a"}, {"path": "b", "weight": -1}]}, tmp_path / "d.toml")
    with pytest.raises(ConfigError, match=r"'fetch\.allow_networks': 'intranet' is not an address"):
        parse_config({"fetch": {"allow_networks": ["10.0.0.0/8", "intranet"]}}, tmp_path / "d.toml")
    ok = parse_config({"fetch": {"allow_networks": ["10.1.0.0/16", "fd00::/8", "192.168.1.5"]}})
    assert ok.fetch.allow_networks == ["10.1.0.0/16", "fd00::/8", "192.168.1.5"]


def test_a_config_file_that_is_not_utf8_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture, cli
) -> None:
    config = tmp_path / "digest.toml"
    config.write_bytes('[digest]\ntitle = "Caf\u00e9 du matin"\n'.encode("latin-1"))
    assert cli(["sources", "--config", str(config)]) == 2
    assert one_line(capsys) == (f"digest: error: {config}: not UTF-8 (byte 0xe9 on line 2); save it as UTF-8")


def test_an_unknown_placeholder_in_labels_is_named_before_anything_is_built(
    tmp_path: Path, make_config
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "labels.toml").write_text(
        '[fr]\nkicker = "La journ\u00e9e en {count} sujets"\n', encoding="utf-8"
    )
    config = make_config(digest={"templates": str(templates)})
    with pytest.raises(ConfigError) as error:
        Renderer(config)
    assert str(error.value) == (
        f"{templates / 'labels.toml'}: [fr] kicker: unknown placeholder {{count}} (it may use {{n}})"
    )


def test_a_build_with_a_bad_label_stops_before_reading_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture, cli
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "labels.toml").write_text('[en]\nfooter = "{title} by {author}"\n', encoding="utf-8")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("A title\n\nSome words of an article.\n", encoding="utf-8")
    toml = write_toml(
        tmp_path / "digest.toml",
        {"digest": {"templates": str(templates), "out": str(tmp_path / "out"), "state": str(tmp_path / "s")}},
    )
    assert cli(["build", "--config", str(toml), str(tmp_path / "news")]) == 2
    line = one_line(capsys)
    assert line == (
        f"digest: error: {templates / 'labels.toml'}: [en] footer: unknown placeholder {{author}} "
        "(it may use {title})"
    )
    assert not (tmp_path / "out").exists()


def corrupt_pages(database: Path) -> None:
    """Overwrite every page after the first (the header stays readable)."""
    size = database.stat().st_size
    assert size > 8192, size
    with database.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xa5" * (size - 4096))


def test_a_damaged_state_database_during_send_is_one_line_and_exit_2(
    make_config, tmp_path: Path, capsys: pytest.CaptureFixture, cli
) -> None:
    box = Mailbox()
    with smtp_server(box) as server:
        config = make_config(**smtp_sections(server.port))
        write_test_issue(config.out_dir, DAY)
        sections = {
            "digest": {"out": str(config.out_dir), "state": str(config.state_dir)},
            **smtp_sections(server.port),
        }
        toml = write_toml(tmp_path / "digest.toml", sections)
        assert cli(["send", "--config", str(toml), "--date", DAY.isoformat(), "--to", READERS[0]]) == 0
        capsys.readouterr()
        corrupt_pages(config.state_dir / DB_NAME)
        code = cli(["send", "--quiet", "--config", str(toml), "--date", DAY.isoformat()])
    line = one_line(capsys)
    assert code == 2
    assert line.startswith("digest: error: ") and str(config.state_dir) in line
    assert "malformed" in line or "not a database" in line
    assert box.per_recipient() == {READERS[0]: 1}  # nobody else was sent a copy blind
