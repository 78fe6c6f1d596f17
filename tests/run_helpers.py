"""Helpers for the run and scheduler tests: a config file for subprocesses,
a slow SMTP handler, and waiting for a condition."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smtp_server import Mailbox

READERS = ["ann@example.org", "bob@example.com", "cy@example.net"]
SENDER = "Top Ten <news@example.org>"


def smtp_sections(port: int, **schedule: Any) -> dict[str, dict[str, Any]]:
    """Config sections (for make_config or write_toml) sending to READERS via 127.0.0.1:port."""
    return {
        "smtp": {"host": "127.0.0.1", "port": port, "sender": SENDER, "timeout": 10.0, "retry_delay": 0.01},
        "recipients": {"to": list(READERS)},
        "schedule": dict(schedule),
    }


def write_toml(path: Path, sections: dict[str, Any]) -> Path:
    """A TOML file from sections of strings, numbers, booleans and string lists;
    a list of tables (such as "sources") becomes [[name]] blocks."""
    lines: list[str] = []
    for name, values in sections.items():
        tables = values if isinstance(values, list) else [values]
        for table in tables:
            lines.append(f"[[{name}]]" if isinstance(values, list) else f"[{name}]")
            # JSON spells strings, numbers, booleans and lists of strings as TOML does.
            lines += [f"{key} = {json.dumps(value)}" for key, value in table.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def config_sections(config: Any, port: int, **schedule: Any) -> dict[str, dict[str, Any]]:
    """The sections of a make_config() config, for a subprocess to read from a file."""
    digest = {"timezone": config.digest.timezone, "out": str(config.out_dir), "state": str(config.state_dir)}
    return {"digest": digest, **smtp_sections(port, **schedule)}


class SlowMailbox(Mailbox):
    """Takes `seconds` over each message, so a signal or a second run arrives
    mid-send; with `hold=True` each message waits until `release()`."""

    def __init__(self, seconds: float = 0.0, hold: bool = False) -> None:
        super().__init__()
        self.seconds = seconds
        self.started = threading.Event()
        self.released = threading.Event()
        if not hold:
            self.released.set()

    def release(self) -> None:
        self.released.set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.started.set()
        await asyncio.sleep(self.seconds)
        while not self.released.is_set():
            await asyncio.sleep(0.05)
        return self.accept(envelope)


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)
