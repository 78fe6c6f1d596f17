"""Logging, progress bars and stage timings for the command line.

Progress bars show only when stderr is a terminal, so cron and CI stay quiet.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")
log = logging.getLogger("digest")


def setup_logging(verbose: int = 0, quiet: bool = False, log_file: str | None = None) -> None:
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    handlers[0].setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    if log_file:
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        file_handler.setLevel(logging.INFO)
        handlers.append(file_handler)
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    handlers[0].setLevel(level)
    # Hugging Face libraries read these at import: no hub look-ups (everything
    # is local by design) and no weight-loading bars in cron logs.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    # Libraries that chatter at INFO.
    for noisy in ("httpx", "httpcore", "trafilatura", "cssutils", "apscheduler.scheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def progress_enabled() -> bool:
    return sys.stderr.isatty() and logging.getLogger().getEffectiveLevel() <= logging.INFO


def progress(items: Iterable[T], desc: str, total: int | None = None) -> Iterator[T]:
    """Wrap `items` in a progress bar when run in a terminal."""
    if not progress_enabled():
        yield from items
        return
    yield from tqdm(items, desc=desc, total=total, leave=False, file=sys.stderr)


class Timings:
    """Wall time per pipeline stage, in the order the stages ran.

    `quiet` keeps the stages out of the log (for steps inside one stage,
    reported together in one line with `str(timings)`)."""

    def __init__(self, quiet: bool = False) -> None:
        self.stages: dict[str, float] = {}
        self.quiet = quiet

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.stages[name] = self.stages.get(name, 0.0) + elapsed
            if not self.quiet:
                log.info("stage %s: %.2f s", name, elapsed)

    @property
    def total(self) -> float:
        return sum(self.stages.values())

    def __str__(self) -> str:
        return ", ".join(f"{name} {sec:.2f} s" for name, sec in self.stages.items())

    def table(self) -> str:
        lines = [f"{name:<12} {seconds:8.2f} s" for name, seconds in self.stages.items()]
        lines.append(f"{'total':<12} {self.total:8.2f} s")
        return "\n".join(lines)
