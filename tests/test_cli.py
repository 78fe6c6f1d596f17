"""The command line: help for every command, and user errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from digest.cli import COMMANDS, build_parser, main


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "digest", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def test_help_lists_every_command():
    done = run("--help")
    assert done.returncode == 0
    for name in COMMANDS:
        assert name in done.stdout


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_option_of_every_command_has_help(name):
    parser = build_parser(name)
    sub = parser._subparsers._group_actions[0].choices[name]
    for action in sub._actions:
        if action.dest != "help" and action.option_strings:
            assert action.help, f"digest {name} {action.option_strings[0]} has no help"


def test_missing_path_is_named_without_traceback(tmp_path):
    done = run("build", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 2
    assert "nope: no such file or folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_config_is_reported_and_nothing_runs(tmp_path):
    config = tmp_path / "digest.toml"
    config.write_text("[digest]\ntop = 'ten'\n")
    done = run("build", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 2
    assert f"{config}: 'digest.top' must be an integer" in done.stderr
    assert not (tmp_path / "out").exists()


def test_folder_with_no_articles_exits_non_zero_saying_why(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("   \n")
    code = main(["build", str(empty), "--out", str(tmp_path / "out"), "--config", str(_config(tmp_path))])
    err = capsys.readouterr().err
    assert code == 3
    assert "no usable article" in err or "no article" in err
    assert not (tmp_path / "out").exists()


def test_no_sources_at_all_is_explained(tmp_path, capsys):
    code = main(["build", "--config", str(_config(tmp_path))])
    assert code == 3
    assert "nothing to read" in capsys.readouterr().err


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "digest.toml"
    config.write_text(f'[digest]\nout = "{tmp_path}/out"\nstate = "{tmp_path}/state"\n')
    return config


@pytest.mark.parametrize(
    "argv",
    [
        ["bench", "--quiet", "build", "seeds"],
        ["bench", "build", "seeds", "--quiet"],
    ],
)
def test_common_options_before_or_after_a_benchmark_name(argv):
    args = build_parser("bench").parse_args(argv)
    assert args.quiet is True
    assert args.verbose == 0 and args.config is None


def test_a_benchmark_with_no_common_option_keeps_the_defaults():
    args = build_parser("bench").parse_args(["bench", "build", "seeds"])
    assert args.quiet is False and args.verbose == 0 and args.log_file is None
