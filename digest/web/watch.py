"""`digest preview --watch`: watchfiles (inotify, FSEvents...) on the templates
and the articles. A changed article rebuilds the issue; a changed template
only re-renders it (no models to run). A failure is kept in the BuildState
and shown on the pages; the watcher carries on."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from watchfiles import Change, watch

from digest.errors import DigestError

log = logging.getLogger(__name__)


@dataclass
class BuildState:
    """What the last (re)build did; shared by the request threads and the watcher."""

    version: int = 0
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def succeeded(self) -> None:
        with self.lock:
            self.version += 1
            self.error = None

    def failed(self, message: str) -> None:
        with self.lock:
            self.error = message


class Buildable(Protocol):
    build: Callable[[], Path] | None
    build_lock: threading.Lock
    state: BuildState


class Watcher(threading.Thread):
    def __init__(
        self,
        site: Buildable,
        templates: list[Path],
        articles: list[Path],
        rerender: Callable[[], Path],
        interval: float = 0.3,
    ) -> None:
        super().__init__(name="digest-watch", daemon=True)
        self.site = site
        self.templates = [p.resolve() for p in templates]
        self.articles = [p.resolve() for p in articles]
        self.rerender = rerender
        self.interval = interval  # seconds of quiet before acting on a burst of changes
        self.stopped = threading.Event()

    def run(self) -> None:
        roots = [p for p in self.templates + self.articles if p.exists()]
        if not roots:
            return
        pause = max(50, int(self.interval * 1000))
        for changes in watch(
            *roots,
            watch_filter=self.wanted,
            stop_event=self.stopped,
            debounce=pause,
            step=50,
            rust_timeout=500,
        ):
            paths = [Path(path) for _, path in changes]
            if self.site.build is not None and any(self.under(p, self.articles) for p in paths):
                self.apply("articles changed: rebuilding", self.site.build)
            elif any(self.under(p, self.templates) for p in paths):
                self.apply("templates changed: re-rendering", self.rerender)

    def wanted(self, change: Change, path: str) -> bool:
        """Hidden files and folders (editor swap files, .git) are not the user's edits."""
        target = Path(path)
        for root in self.templates + self.articles:
            if target == root or target.is_relative_to(root):
                return not any(part.startswith(".") for part in target.relative_to(root).parts)
        return False

    @staticmethod
    def under(path: Path, roots: list[Path]) -> bool:
        return any(path == root or path.is_relative_to(root) for root in roots)

    def apply(self, what: str, action: Callable[[], Path]) -> None:
        log.info("%s", what)
        with self.site.build_lock:
            try:
                folder = action()
            except DigestError as exc:
                log.error("%s", exc)
                self.site.state.failed(str(exc))
                return
            except Exception as exc:  # a broken rebuild must not end the preview
                log.exception("rebuild failed")
                self.site.state.failed(f"rebuild failed: {exc}")
                return
        log.info("rebuilt %s", folder)
        self.site.state.succeeded()

    def stop(self) -> None:
        self.stopped.set()
