"""The run lock: a real fcntl lock on a real file, across threads and processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from digest.errors import ConfigError, LockedError
from digest.lock import LOCK_NAME, RunLock


def test_second_holder_gives_up_after_the_timeout_naming_the_setting_and_holder(tmp_path):
    with RunLock(tmp_path, timeout=10):
        start = time.monotonic()
        with pytest.raises(LockedError) as caught:
            RunLock(tmp_path, timeout=0.3).acquire()
        waited = time.monotonic() - start
    message = str(caught.value)
    assert "schedule.lock_timeout" in message
    assert f"(pid {os.getpid()})" in message
    assert str(tmp_path / LOCK_NAME) in message
    assert caught.value.exit_code == 75
    assert waited >= 0.3  # it waited, rather than failing at once


def test_a_waiting_run_gets_the_lock_when_the_first_one_ends(tmp_path):
    first = RunLock(tmp_path, timeout=0)
    first.acquire()
    releaser = threading.Timer(0.3, first.release)
    releaser.start()
    try:
        with RunLock(tmp_path, timeout=30) as second:
            assert second.path.read_text().strip() == str(os.getpid())
    finally:
        releaser.join()


def test_released_lock_is_free_again(tmp_path):
    with RunLock(tmp_path, timeout=0):
        pass
    with RunLock(tmp_path, timeout=0):
        pass


def test_a_killed_holder_never_leaves_a_stale_lock(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from digest.lock import RunLock\n"
            f"RunLock({str(tmp_path)!r}, 0).acquire(); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockedError, match=rf"pid {holder.pid}"):
            RunLock(tmp_path, timeout=0).acquire()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    assert (tmp_path / LOCK_NAME).exists()  # the file stays, the lock does not
    with RunLock(tmp_path, timeout=0):
        pass


def test_state_folder_that_cannot_be_created_names_the_setting(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    lock = RunLock(blocker / "state", timeout=0)
    with pytest.raises(ConfigError, match=r"setting digest\.state"):
        lock.check()
    with pytest.raises(ConfigError, match=r"a-file/state"):
        lock.acquire()
