"""Past issues: list what `out/` holds, and write a static site of them.

Every built issue keeps its folder `out/<YYYY-MM-DD>/`. `write_site` turns
them into a folder that can be published as is: `index.html` (newest first)
and `<YYYY-MM-DD>/index.html`, the email as subscribers got it plus a link
back to the index, with its plain-text part beside it. With `[digest]
archive_url` set to where the site is published, each email links to its page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from digest.config import Config
from digest.edition.render import make_environment, render_template
from digest.edition.unsubscribe import with_link
from digest.edition.write import HTML_FILE, TEXT_FILE, BuiltIssue, read_issue, write_atomic
from digest.errors import DigestError

log = logging.getLogger(__name__)

INDEX_TEMPLATE = "archive_index.html"
PAGE_FILE = "index.html"
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class IssueEntry:
    """One folder of out/: the issue, or why it cannot be read."""

    day: date
    folder: Path
    built: BuiltIssue | None
    problem: str | None = None

    @property
    def title(self) -> str:
        return self.built.issue.title if self.built else ""

    @property
    def story_count(self) -> int:
        return len(self.built.issue.stories) if self.built else 0

    @property
    def headlines(self) -> list[str]:
        return [s.headline for s in self.built.issue.stories] if self.built else []


def issue_day(folder: Path) -> date | None:
    """The date a folder is named for, or None for any other folder."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", folder.name):
        return None
    try:
        return date.fromisoformat(folder.name)
    except ValueError:
        return None


def list_issues(out_dir: Path) -> list[IssueEntry]:
    """Every issue folder in `out_dir`, newest first; broken ones say why."""
    if not out_dir.is_dir():
        return []
    entries = []
    for folder in out_dir.iterdir():
        day = issue_day(folder)
        if day is None or not folder.is_dir():
            continue
        try:
            entries.append(IssueEntry(day, folder, read_issue(folder)))
        except DigestError as exc:
            entries.append(IssueEntry(day, folder, None, str(exc)))
    return sorted(entries, key=lambda e: e.day, reverse=True)


def web_version(html: str, index_href: str, label: str = "All issues") -> str:
    """The email's HTML with a small bar linking back to the archive index."""
    bar = (
        '<div style="max-width:600px;margin:0 auto;padding:12px 8px 0 8px;'
        'font-family:Helvetica,Arial,sans-serif;font-size:14px;line-height:20px;">'
        f'<a href="{index_href}" style="color:#1d5388;text-decoration:underline;">'
        f"&larr; {label}</a></div>"
    )
    match = _BODY_OPEN.search(html)
    if match is None:
        return bar + html
    return html[: match.end()] + bar + html[match.end() :]


def check_site_dir(site_dir: Path, out_dir: Path) -> None:
    site, out = site_dir.resolve(), out_dir.resolve()
    if site == out or out.is_relative_to(site) or site.is_relative_to(out):
        raise DigestError(
            f"{site_dir}: the site folder must not be, contain or sit inside "
            f"the issues folder {out_dir}; choose another --out"
        )


def write_site(config: Config, site_dir: Path, out_dir: Path | None = None) -> list[IssueEntry]:
    """Write the static archive to `site_dir`; returns the issues it holds."""
    out_dir = out_dir or config.out_dir
    check_site_dir(site_dir, out_dir)
    entries = list_issues(out_dir)
    good = [e for e in entries if e.built is not None]
    for entry in entries:
        if entry.problem:
            log.warning("%s: left out of the archive: %s", entry.folder, entry.problem)
    site_dir.mkdir(parents=True, exist_ok=True)
    for entry in good:
        assert entry.built is not None  # `good` holds only the built ones
        write_page(entry.built, site_dir)
    env = make_environment(config)
    index = render_template(
        env, INDEX_TEMPLATE, title=config.digest.title, issues=good, archive_url=config.digest.archive_url
    )
    write_atomic(site_dir / PAGE_FILE, index)
    return good


def write_page(built: BuiltIssue, site_dir: Path) -> None:
    """`<date>/index.html` (web version), and the sent email.html and email.txt, without
    the unsubscribe link: each reader's is their own, and a web page has no reader."""
    folder = site_dir / built.issue.date.isoformat()
    folder.mkdir(exist_ok=True)
    email = with_link(built.email, None)
    write_atomic(folder / PAGE_FILE, web_version(email.html, "../index.html"))
    write_atomic(folder / TEXT_FILE, email.text)
    write_atomic(folder / HTML_FILE, email.html)
