"""Write a built issue to `out/<YYYY-MM-DD>/` and read it back.

Files are written to a temporary name and renamed, so a reader (the preview,
`digest send`) never sees half an issue.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from digest.errors import DigestError
from digest.models import Issue, RenderedEmail

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


def write_issue(issue: Issue, email: RenderedEmail, out_dir: Path) -> Path:
    folder = issue_folder(out_dir, issue.date)
    folder.mkdir(parents=True, exist_ok=True)
    data = issue.to_dict()
    data[SUBJECT_KEY] = email.subject
    write_atomic(folder / HTML_FILE, email.html)
    write_atomic(folder / TEXT_FILE, email.text)
    write_atomic(folder / JSON_FILE, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return folder


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
