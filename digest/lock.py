"""Locks in the state folder: at most one `digest run` (or scheduled run) at a
time, and one `digest send` per issue.

An exclusive `fcntl` lock on a file in the state folder. The kernel drops the
lock when its holder exits, even by a crash or `kill -9`, so a stale lock file
never blocks the next run. A second run waits up to `[schedule] lock_timeout`
seconds, then gives up with `LockedError` (exit code 75, "try again later").
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from pathlib import Path
from types import TracebackType

from digest.errors import ConfigError, LockedError

log = logging.getLogger(__name__)

LOCK_NAME = "run.lock"
POLL_SECONDS = 0.2


class StateLock:
    """`with StateLock(state_dir, name, timeout, busy):` holds state_dir/name for
    the block. `busy` is the LockedError message when the wait runs out; it may
    name {path}, {holder} (" (pid N)" or "") and {timeout}."""

    def __init__(self, state_dir: Path, name: str, timeout: float, busy: str):
        self.path = Path(state_dir) / name
        self.timeout = timeout
        self.busy = busy
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = self._open()
        deadline = time.monotonic() + max(self.timeout, 0.0)
        waiting_logged = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_holder(fd)
                    os.close(fd)
                    raise LockedError(
                        self.busy.format(path=self.path, holder=holder, timeout=self.timeout)
                    ) from None
                if not waiting_logged:
                    log.info("another run holds %s; waiting up to %g s", self.path, self.timeout)
                    waiting_logged = True
                time.sleep(POLL_SECONDS)
        # Say who holds it, for the message a waiting run prints.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def check(self) -> None:
        """Raise ConfigError now if the lock file cannot be created (for a long-running process)."""
        os.close(self._open())

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise ConfigError(
                f"state folder {self.path.parent} (setting digest.state) is not usable: {exc.strerror}"
            ) from None

    def __enter__(self) -> StateLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


class RunLock(StateLock):
    """`with RunLock(state_dir, timeout):` at most one run at a time."""

    def __init__(self, state_dir: Path, timeout: float):
        super().__init__(
            state_dir,
            LOCK_NAME,
            timeout,
            "another digest run{holder} holds {path}; gave up after {timeout:g} s "
            "(setting schedule.lock_timeout)",
        )


def _read_holder(fd: int) -> str:
    """' (pid N)' when the holder wrote its pid, else ''."""
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
