"""End to end, with the real models: the seeds come out as one clean story
with five sources, through the same command a newcomer runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from digest.clean.language import detect_language

REPO = Path(__file__).resolve().parent.parent

# Page furniture found in the seeds, as a reader would notice it. The cleaner
# must not know these phrases; this list only checks the result.
FURNITURE = re.compile(
    r"read more|read next|related posts|more stories|sign up|leave a reply|"
    r"email address will not|pictured|pic\.twitter|@\w+|see also|log in|"
    r"read full article|newsletter|award-winning|lisa's top ten|tdpel",
    re.IGNORECASE,
)


def run_digest(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "digest", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    config = tmp / "digest.toml"
    config.write_text(f'[digest]\nout = "{tmp}/out"\nstate = "{tmp}/state"\n')
    done = run_digest(
        "build", str(REPO / "seeds"), "--config", str(config), "--date", "2026-11-22", "--timings", cwd=tmp
    )
    return tmp, done


def test_build_prints_the_folder_it_wrote(seeds_build):
    tmp, done = seeds_build
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip())
    assert folder == tmp / "out" / "2026-11-22"
    assert {p.name for p in folder.iterdir()} >= {"email.html", "email.txt", "issue.json"}
    assert "Traceback" not in done.stderr
    for stage in ("ingest", "clean", "summarise", "deduplicate", "rank", "render", "write"):
        assert re.search(rf"^{stage}\s+[\d.]+ s$", done.stderr, re.MULTILINE), stage


def test_seeds_make_one_story_with_five_sources(seeds_build):
    tmp, _ = seeds_build
    issue = json.loads((tmp / "out" / "2026-11-22" / "issue.json").read_text())
    assert issue["date"] == "2026-11-22" and issue["language"] == "en"
    assert len(issue["stories"]) == 1
    story = issue["stories"][0]
    assert story["rank"] == 1
    paths = sorted(Path(s["path"]).name for s in story["sources"])
    assert paths == sorted(p.name for p in (REPO / "seeds").iterdir())
    assert {s["language"] for s in story["sources"]} == {"en", "fr"}
    assert re.search(r"surrender|hotline", story["headline"], re.IGNORECASE)


def test_story_summary_is_clean_english(seeds_build):
    tmp, _ = seeds_build
    story = json.loads((tmp / "out" / "2026-11-22" / "issue.json").read_text())["stories"][0]
    summary = story["summary"]
    assert story["language"] == "en"
    assert detect_language(summary) == "en"
    assert not FURNITURE.search(summary), summary
    words = summary.split()
    assert 15 <= len(words) <= 70, summary
    assert summary.rstrip()[-1] in ".!?\"\u201d'\u2019", summary
    assert re.search(r"hotline|surrender", summary, re.IGNORECASE)


def test_email_carries_the_story(seeds_build):
    tmp, _ = seeds_build
    folder = tmp / "out" / "2026-11-22"
    story = json.loads((folder / "issue.json").read_text())["stories"][0]
    html = (folder / "email.html").read_text()
    text = (folder / "email.txt").read_text()
    assert len(html.encode()) < 100_000
    assert '<html lang="en"' in html
    first_words = " ".join(story["headline"].split()[:4])
    assert first_words in text
    assert "5 sources" in text or "5 sources" in html


def test_rebuild_reuses_the_cache(seeds_build):
    tmp, _ = seeds_build
    config = tmp / "digest.toml"
    again = run_digest("build", str(REPO / "seeds"), "--config", str(config), "--date", "2026-11-22", cwd=tmp)
    assert again.returncode == 0, again.stderr
    assert json.loads((tmp / "out" / "2026-11-22" / "issue.json").read_text())["stories"][0]["sources"]
