"""`digest send` and `digest run` started together on a day not yet built: the
issue is built once, and what readers get is what out/ and the memory hold
(real processes, the real pipeline, a real SMTP server on 127.0.0.1)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from run_helpers import READERS, smtp_sections, write_toml
from smtp_server import Mailbox, smtp_server

from digest.state import StateDB

DAY = date(2026, 11, 22)


def digest(command: str, toml: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "digest", command, "--config", str(toml), "--date", DAY.isoformat()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_send_and_run_on_one_day_build_once(tmp_path: Path, seeds_dir: Path) -> None:
    box = Mailbox()
    with smtp_server(box) as server:
        sections = smtp_sections(server.port, lock_timeout=600.0)
        sections["digest"] = {"out": str(tmp_path / "out"), "state": str(tmp_path / "state")}
        sections["sources"] = [{"path": str(seeds_dir)}]  # type: ignore[assignment]
        toml = write_toml(tmp_path / "digest.toml", sections)
        processes = [digest("run", toml), digest("send", toml)]
        results = [p.communicate(timeout=900) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], results
    logs = "\n".join(err for _, err in results)
    assert logs.count("no issue built for 2026-11-22 yet; building it") == 1, logs
    assert box.per_recipient() == dict.fromkeys(READERS, 1)
    issue = json.loads((tmp_path / "out" / DAY.isoformat() / "issue.json").read_text(encoding="utf-8"))
    headlines = [s["headline"] for s in issue["stories"]]
    sent = box.messages()[0].get_body(("plain",)).get_content()
    assert headlines and all(h in sent for h in headlines)
    with StateDB(tmp_path / "state") as state:
        rows = state.connection.execute(
            "SELECT DISTINCT headline FROM memory WHERE day = ?", (DAY.isoformat(),)
        )
        assert {h for (h,) in rows} == set(headlines)
