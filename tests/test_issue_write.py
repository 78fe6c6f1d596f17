"""An issue and its memory are written together: a real process, killed with
SIGKILL at each point of the write, leaves the old issue and the old memory
or the new ones, never a mix (real files, real SQLite)."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from digest.edition.write import finish_writes, read_issue
from digest.state import StateDB
from digest.web.archive import list_issues

REPO = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 22)

# Writes the issue of DAY, version argv[3], with its memory, through the real
# write_issue and Memory; argv[4] names the point where the process kills itself.
WRITER = r"""
import os, signal, sys
from datetime import date
from pathlib import Path
from digest.edition import write
from digest.edition.memory import Memory
from digest.models import Article, Issue, IssueStory, RenderedEmail, SourceRef, Story
from digest.state import StateDB

out, state_dir, version, point = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
day = date(2026, 11, 22)


def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def then_die(function):
    def wrapped(*args, **kwargs):
        function(*args, **kwargs)
        die()
    return wrapped


if point == "after-first-file":  # one file of the new issue written
    write.os.fsync = then_die(os.fsync)
elif point == "after-staging":  # every file written, the memory not yet committed
    write.sync_folder = then_die(write.sync_folder)
elif point == "after-commit":  # the memory committed, the folder not yet swapped in
    write.finish_pending = die
elif point == "after-swap":  # the folders exchanged, the old one and the note still there
    write.exchange = then_die(write.exchange)

headlines = [f"{version} story {i}" for i in range(3)]
articles = [Article(title=h, text=f"{h}: the text.", language="en") for h in headlines]
issue = Issue(
    date=day,
    title="Top Ten",
    language="en",
    stories=tuple(
        IssueStory(rank=i + 1, headline=h, summary=f"{version} summary", language="en",
                   sources=(SourceRef.from_article(a),))
        for i, (h, a) in enumerate(zip(headlines, articles))
    ),
)
email = RenderedEmail(html=f"<p>{version}</p>\n", text=f"{version}\n", subject=f"Top Ten {version}")
stories = [Story(members=[a]) for a in articles]
with StateDB(state_dir) as state:
    memory = Memory(state, 7, None)
    write.write_issue(issue, email, out, state, lambda db: memory.remember_in(db, day, stories))
"""


def write_version(tmp_path: Path, version: str, point: str = "none") -> int:
    done = subprocess.run(
        [sys.executable, "-c", WRITER, str(tmp_path / "out"), str(tmp_path / "state"), version, point],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode in (0, -signal.SIGKILL), done.stderr
    return done.returncode


def on_disk(tmp_path: Path) -> set[str]:
    """The versions the issue folder's three files hold (one when consistent)."""
    built = read_issue(tmp_path / "out" / DAY.isoformat())
    versions = {s.headline.split()[0] for s in built.issue.stories}
    versions |= {built.email.html.strip()[3:-4], built.email.text.strip(), built.email.subject.split()[-1]}
    return versions


def remembered(tmp_path: Path) -> set[str]:
    with StateDB(tmp_path / "state") as state:
        rows = state.connection.execute("SELECT headline FROM memory WHERE day = ?", (DAY.isoformat(),))
        return {headline.split()[0] for (headline,) in rows}


@pytest.mark.parametrize(
    "point, outcome",
    [
        ("after-first-file", "old"),
        ("after-staging", "old"),
        ("after-commit", "new"),
        ("after-swap", "new"),
    ],
)
def test_a_kill_at_each_point_of_the_write_leaves_issue_and_memory_consistent(
    tmp_path: Path, point: str, outcome: str
) -> None:
    assert write_version(tmp_path, "old") == 0
    assert on_disk(tmp_path) == remembered(tmp_path) == {"old"}
    assert write_version(tmp_path, "new", point) == -signal.SIGKILL
    # What send and the archive would read right now is one whole issue...
    assert len(on_disk(tmp_path)) == 1
    assert [e.day for e in list_issues(tmp_path / "out")] == [DAY]
    # ...and once the interrupted write is finished (every command that reads
    # issues does this first), the issue and the memory agree.
    finish_writes(tmp_path / "state")
    assert on_disk(tmp_path) == remembered(tmp_path) == {outcome}
    # A staged folder of a write killed before its commit stays hidden until the next write.
    assert [p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")] == [DAY.isoformat()]


def test_a_write_after_a_killed_one_replaces_its_leftovers(tmp_path: Path) -> None:
    write_version(tmp_path, "old")
    write_version(tmp_path, "new", "after-staging")
    assert write_version(tmp_path, "third") == 0
    assert on_disk(tmp_path) == remembered(tmp_path) == {"third"}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [DAY.isoformat()]
