"""The static archive: `digest archive` writes an index and one web page per
issue from out/; broken issue folders are left out with a warning."""

from __future__ import annotations

import logging
import re
from datetime import date

import pytest
from browser import artifact, chromium, needs_chromium
from sample_issue import HEADLINES, sample_issue

from digest import cli
from digest.edition.render import Renderer
from digest.edition.write import write_issue
from digest.errors import DigestError
from digest.web.archive import list_issues, web_version, write_site

DAYS = (date(2026, 11, 20), date(2026, 11, 22), date(2026, 11, 21))


@pytest.fixture
def config(make_config):
    config = make_config(digest={"archive_url": "https://news.example.org/top-ten"})
    for k, day in enumerate(DAYS):
        issue = sample_issue(10 - k, day=day)
        write_issue(issue, Renderer(config).render(issue), config.out_dir)
    (config.out_dir / "notes").mkdir()  # not an issue: ignored
    return config


def test_list_issues_newest_first_and_names_a_broken_folder(config):
    (config.out_dir / "2026-11-19").mkdir()
    entries = list_issues(config.out_dir)
    assert [e.day.isoformat() for e in entries] == ["2026-11-22", "2026-11-21", "2026-11-20", "2026-11-19"]
    assert [e.story_count for e in entries[:3]] == [9, 8, 10]
    assert entries[3].built is None and "issue.json: missing from the built issue" in entries[3].problem


def test_archive_command_writes_index_and_pages(config, tmp_path, capsys):
    site = tmp_path / "site"
    config_file = tmp_path / "digest.toml"
    config_file.write_text(f'[digest]\nout = "{config.out_dir}"\nstate = "{config.state_dir}"\n')
    assert cli.main(["archive", "--config", str(config_file), "--out", str(site)]) == 0
    assert capsys.readouterr().out.strip() == f"{site} (3 issues)"
    index = (site / "index.html").read_text()
    links = re.findall(r'href="([^"]+)"', index)
    # relative, to index.html: works from any folder, on a web server or from disk
    assert links == ["2026-11-22/index.html", "2026-11-21/index.html", "2026-11-20/index.html"]
    for day in DAYS:
        page = (site / day.isoformat() / "index.html").read_text()
        sent = (config.out_dir / day.isoformat() / "email.html").read_text()
        assert page == web_version(sent, "../index.html")
        assert (site / day.isoformat() / "email.txt").read_bytes() == (
            config.out_dir / day.isoformat() / "email.txt"
        ).read_bytes()


def test_view_in_browser_link_points_at_the_archive_page(config, tmp_path):
    write_site(config, tmp_path / "site")
    sent = (config.out_dir / "2026-11-22" / "email.html").read_text()
    (link,) = re.findall(r'href="(https://news\.example\.org/[^"]*)"[^>]*>View this issue', sent)
    relative = link.removeprefix("https://news.example.org/top-ten/")
    assert (tmp_path / "site" / relative / "index.html").is_file()


def test_web_version_adds_a_link_back_after_body(config):
    html = '<html><body class="x" style="margin:0">mail</body></html>'
    page = web_version(html, "../")
    assert page.startswith('<html><body class="x" style="margin:0"><div')
    assert '<a href="../"' in page and page.endswith("mail</body></html>")


def test_broken_issue_is_left_out_with_a_warning(config, tmp_path, caplog):
    (config.out_dir / "2026-11-21" / "email.html").unlink()
    with caplog.at_level(logging.WARNING):
        entries = write_site(config, tmp_path / "site")
    assert [e.day.isoformat() for e in entries] == ["2026-11-22", "2026-11-20"]
    assert "2026-11-21/email.html: missing from the built issue" in caplog.text
    assert not (tmp_path / "site" / "2026-11-21").exists()


def test_empty_archive_says_so(make_config, tmp_path):
    assert write_site(make_config(), tmp_path / "site") == []
    assert "No issues yet." in (tmp_path / "site" / "index.html").read_text()


@pytest.mark.parametrize("inside", ["", "2026-11-22", ".."])
def test_site_folder_must_not_overlap_the_issues(config, inside):
    with pytest.raises(DigestError, match="must not be, contain or sit inside"):
        write_site(config, config.out_dir / inside if inside != ".." else config.out_dir.parent)


@pytest.mark.browser
@needs_chromium
def test_in_chromium_archive_index_and_page(config, tmp_path):
    site = tmp_path / "site"
    write_site(config, site)
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.set_viewport_size({"width": 1000, "height": 800})
        page.goto((site / "index.html").as_uri())
        page.screenshot(path=artifact("archive-index.png"))
        page.locator("a.issue").first.click()
        page.wait_for_url("**/2026-11-22/index.html")
        assert page.locator("h2.headline").all_inner_texts() == list(HEADLINES[:9])
        page.click("text=All issues")
        page.wait_for_url("**/site/index.html")
        assert page.locator("a.issue").count() == 3
