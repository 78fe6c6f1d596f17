"""Headless Debian Chromium for the browser tests, driven by Playwright.

Playwright's own browser download is never used: `executable_path` points at
/usr/bin/chromium (apt), started with a fresh user-data dir each session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


@contextmanager
def chromium(user_data_dir: Path) -> Iterator[object]:
    """A running headless Chromium (a Playwright BrowserContext)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
        )
        try:
            yield context
        finally:
            context.close()


def artifact(name: str) -> Path:
    """Where a test saves a screenshot (git-ignored, kept by CI)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
