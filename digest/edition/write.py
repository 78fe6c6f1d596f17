"""Write a built issue to `out/<YYYY-MM-DD>/` and read it back.

An issue is written as a whole: its files go to a sibling folder
(`out/.<date>.new`), synced, then swapped in with one rename (on Linux an
atomic exchange with the old folder), so a reader (`digest send`, the
archive, the preview) sees the old issue or the new one, never a mix.

The memory of the stories sent (digest.edition.memory) must change with the
folder, or a crash between the two sends the same stories again the next
day. So the memory rows and a note of the swap to come (table
`pending_issue`) are committed in one transaction before the swap, and a
note still there later (the process died between commit and swap) is
finished by `finish_writes`, which every command that reads issues runs
first. A crash before the commit leaves the old issue and the old memory;
after it, the new ones.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from digest.errors import DigestError
from digest.lock import StateLock
from digest.models import Issue, RenderedEmail
from digest.state import DB_NAME, StateDB

log = logging.getLogger(__name__)

HTML_FILE = "email.html"
TEXT_FILE = "email.txt"
JSON_FILE = "issue.json"
SUBJECT_KEY = "subject"


@dataclass(frozen=True)
class BuiltIssue:
    """An issue as it lies on disk: what `digest send` and the preview read."""

    folder: Path
    issue: Issue
    email: RenderedEmail


def issue_folder(out_dir: Path, day: date) -> Path:
    return Path(out_dir) / day.isoformat()


WRITE_LOCK = "write.lock"
BUILD_FILE = ".build"  # a random id per write: tells which build a folder holds
PENDING_TABLE = (
    "CREATE TABLE IF NOT EXISTS pending_issue"
    " (folder TEXT PRIMARY KEY, staged TEXT NOT NULL, build TEXT NOT NULL)"
)


def write_issue(
    issue: Issue,
    email: RenderedEmail,
    out_dir: Path,
    state: StateDB | None = None,
    remember: Callable[[sqlite3.Connection], None] | None = None,
) -> Path:
    """Write the issue's folder as a whole; with `state`, `remember(db)` writes
    the memory rows, committed with the note of the swap (see the module doc)."""
    folder = issue_folder(out_dir, issue.date)
    staged = folder.with_name(f".{folder.name}.new")
    build = uuid.uuid4().hex
    data = issue.to_dict()
    data[SUBJECT_KEY] = email.subject
    files = {
        HTML_FILE: email.html,
        TEXT_FILE: email.text,
        JSON_FILE: json.dumps(data, ensure_ascii=False, indent=2) + "\n",
        BUILD_FILE: build + "\n",
    }
    stage_folder(staged, files)
    if state is None:
        swap_in(staged, folder)
        return folder
    db = state.connection
    with db:  # one transaction: the memory rows and the swap to come
        db.execute(PENDING_TABLE)
        if remember is not None:
            remember(db)
        db.execute("INSERT OR REPLACE INTO pending_issue VALUES (?, ?, ?)", (str(folder), str(staged), build))
    finish_pending(state)
    return folder


def stage_folder(staged: Path, files: dict[str, str]) -> None:
    """Write `files` into a fresh folder `staged`, each file and the folder synced."""
    if staged.exists():
        shutil.rmtree(staged)  # left by a write that died before its commit
    staged.mkdir(parents=True)
    for name, content in files.items():
        with (staged / name).open("w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    sync_folder(staged)


def finish_pending(state: StateDB) -> None:
    """Swap in every staged issue whose memory was committed (a crash may have
    stopped it between commit and swap); then forget the note."""
    db = state.connection
    db.execute(PENDING_TABLE)
    if not db.execute("SELECT 1 FROM pending_issue LIMIT 1").fetchone():
        return
    # Two processes finishing the same swap would exchange the folders back.
    with StateLock(state.folder, WRITE_LOCK, 60.0, "another digest process holds {path}"):
        for folder_name, staged_name, build in db.execute("SELECT * FROM pending_issue").fetchall():
            folder, staged = Path(folder_name), Path(staged_name)
            if build_of(staged) == build:
                swap_in(staged, folder)
            elif build_of(folder) != build:
                log.warning(
                    "%s: the issue written with the memory was removed; keeping what is there", folder
                )
            with db:
                db.execute("DELETE FROM pending_issue WHERE folder = ?", (folder_name,))
            if staged.exists():
                shutil.rmtree(staged, ignore_errors=True)


def finish_writes(state_dir: Path) -> None:
    """`finish_pending` for commands that only read issues (send, archive, preview)."""
    if (Path(state_dir) / DB_NAME).is_file():
        with StateDB(state_dir) as state:
            finish_pending(state)


def build_of(folder: Path) -> str | None:
    try:
        return (folder / BUILD_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def swap_in(staged: Path, folder: Path) -> None:
    """Put `staged` where `folder` is, in one step; the old folder ends up at
    `staged` (and is removed) or, where there is no atomic exchange, is
    renamed away first."""
    if not folder.exists():
        os.rename(staged, folder)
    elif not exchange(staged, folder):
        old = folder.with_name(f".{folder.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(folder, old)
        os.rename(staged, folder)
        shutil.rmtree(old, ignore_errors=True)
    sync_folder(folder.parent)
    shutil.rmtree(staged, ignore_errors=True)


RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where not available."""
    libc_name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(libc_name, use_errno=True) if libc_name else None
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if done != 0:
        errno = ctypes.get_errno()
        if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot
            return False
        raise OSError(errno, os.strerror(errno), str(second))
    return True


def sync_folder(folder: Path) -> None:
    """fsync a folder, so the names in it survive a power cut (where the OS allows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_issue(folder: Path) -> BuiltIssue:
    """Load a built issue; a missing or broken file is named in the error."""
    folder = Path(folder)
    try:
        data = json.loads((folder / JSON_FILE).read_text(encoding="utf-8"))
        issue = Issue.from_dict(data)
        html = (folder / HTML_FILE).read_text(encoding="utf-8")
        text = (folder / TEXT_FILE).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DigestError(f"{exc.filename}: missing from the built issue; rebuild it") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise DigestError(f"{folder / JSON_FILE}: not a valid issue file ({exc})") from None
    subject = data.get(SUBJECT_KEY) or f"{issue.title} \u2014 {issue.date.isoformat()}"
    return BuiltIssue(folder, issue, RenderedEmail(html=html, text=text, subject=subject))


def write_atomic(path: Path, content: str) -> None:
    """Write through a temporary name, so no reader sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(content, encoding="utf-8")
    os.replace(tmp, path)
