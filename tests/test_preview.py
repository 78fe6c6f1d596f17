"""The preview server, over real HTTP on 127.0.0.1, and in a real headless
Chromium: index, viewer switches, exact bytes in a sandboxed frame, .eml,
paths outside out/, bad input (port in use, nothing built, missing file,
broken template), --watch."""

from __future__ import annotations

import email
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from email import policy
from html import escape
from pathlib import Path

import pytest
from browser import artifact, chromium, needs_chromium
from sample_issue import HEADLINES, sample_issue

from digest import cli
from digest.config import Config
from digest.edition.render import Renderer, make_environment
from digest.edition.write import write_issue
from digest.web.archive import list_issues
from digest.web.preview import PreviewServer, PreviewSite, Watcher, resolve_under, start_server

DAY = date(2026, 11, 22)
EARLIER = date(2026, 11, 21)


def write_sample(config: Config, day: date, stories: int = 10) -> Path:
    issue = sample_issue(stories, day=day)
    return write_issue(issue, Renderer(config).render(issue), config.out_dir)


@pytest.fixture
def config(make_config) -> Config:
    return make_config()


@pytest.fixture
def serve(config: Config) -> Iterator:
    """Start a PreviewServer on a free port; returns its base URL."""
    servers: list[PreviewServer] = []

    def start(site: PreviewSite | None = None) -> str:
        site = site or PreviewSite(config, make_environment(config), DAY)
        server = start_server(site, 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def get(
    url: str, path: str, method: str = "GET", headers: dict | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """A raw request: http.client sends the path as is (no normalising of ../)."""
    host, port = url.split("//")[1].rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    # Header names are case-insensitive (uvicorn sends them in lower case): compare them so.
    return response.status, response.msg, body


def test_index_lists_issues_newest_first(config, serve):
    write_sample(config, EARLIER, stories=3)
    write_sample(config, DAY)
    status, _, body = get(serve(), "/")
    page = body.decode()
    assert status == 200
    assert page.index("Sunday 22 November 2026") < page.index("Saturday 21 November 2026")
    assert "10 stories" in page and "3 stories" in page
    assert 'href="/issue/2026-11-22/"' in page


def test_viewer_frames_the_exact_email_in_a_sandbox(config, serve):
    folder = write_sample(config, DAY)
    url = serve()
    status, _, body = get(url, "/issue/2026-11-22/")
    assert status == 200
    (frame,) = re.findall(r"<iframe[^>]*>", body.decode())
    assert 'src="/out/2026-11-22/email.html"' in frame
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in frame  # no scripts, own origin
    assert "width: 640px" in frame
    status, headers, html = get(url, "/out/2026-11-22/email.html")
    assert status == 200 and html == (folder / "email.html").read_bytes()
    assert headers["Content-Security-Policy"].startswith("sandbox")


@pytest.mark.parametrize(
    "view, src, width",
    [
        ("mobile", "email.html", "375px"),
        ("text", "email.txt", "100%"),
        ("nonsense", "email.html", "640px"),
    ],
)
def test_viewer_switches(config, serve, view, src, width):
    write_sample(config, DAY)
    _, _, body = get(serve(), f"/issue/2026-11-22/?view={view}")
    (frame,) = re.findall(r"<iframe[^>]*>", body.decode())
    assert f'src="/out/2026-11-22/{src}"' in frame and f"width: {width}" in frame


def test_eml_download_is_the_message_that_would_be_sent(config, serve):
    folder = write_sample(config, DAY)
    status, headers, body = get(serve(), "/issue/2026-11-22/issue.eml")
    assert status == 200 and headers["Content-Type"] == "message/rfc822"
    assert headers["Content-Disposition"] == 'attachment; filename="Top-Ten-2026-11-22.eml"'
    message = email.message_from_bytes(body, policy=policy.default)
    assert message["Subject"] == "Top Ten \u2014 2026-11-22"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert html.replace("\r\n", "\n") == (folder / "email.html").read_text(encoding="utf-8")
    assert text.replace("\r\n", "\n") == (folder / "email.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    [
        "/out/../digest.toml",
        "/out/%2e%2e/secret.txt",
        "/out/%2E%2E%2Fsecret.txt",
        "/out//etc/passwd",
        "/out/%2Fetc%2Fpasswd",
        "/out/2026-11-22/../../secret.txt",
        "/out/2026-11-22/..%2f..%2fsecret.txt",
        "/out/..\\secret.txt",
        "/out/2026-11-22/escape.txt",
        "/../secret.txt",
        "/out/2026-11-22",
        "/out/",
        "/issue/../../secret.txt",
    ],
)
def test_nothing_outside_out_is_served(config, serve, tmp_path, path):
    folder = write_sample(config, DAY)
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    (folder / "escape.txt").symlink_to(tmp_path / "secret.txt")
    status, _, body = get(serve(), path)
    assert status == 404
    assert b"TOP SECRET" not in body


def test_resolve_under_accepts_only_files_inside(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.txt").write_text("x")
    assert resolve_under(tmp_path, "a/b.txt") == (tmp_path / "a" / "b.txt").resolve()
    for bad in ("", "a", "../a/b.txt", "a/../../x", "/etc/passwd", "a\\b.txt", "a/b.txt\0"):
        assert resolve_under(tmp_path, bad) is None


def test_foreign_host_header_is_refused(config, serve):
    write_sample(config, DAY)
    status, _, _ = get(serve(), "/", headers={"Host": "attacker.example:8000"})
    assert status == 403


def test_no_issue_yet_says_so_and_offers_to_build(config, serve):
    built = []

    def build() -> Path:
        built.append(True)
        return write_sample(config, DAY)

    url = serve(PreviewSite(config, make_environment(config), DAY, build=build))
    page = get(url, "/")[2].decode()
    assert "No issues built yet" in page and 'action="/build"' in page
    status, headers, _ = get(url, "/build", method="POST")
    assert status == 303 and headers["Location"] == "/issue/2026-11-22/"
    index = get(url, "/")[2].decode()
    assert built and "Sunday 22 November 2026" in index and "Rebuild the 2026-11-22 issue" in index


def test_no_issue_and_nothing_to_build_from_explains_how(serve):
    page = get(serve(), "/")[2].decode()
    assert "No issues built yet" in page and "digest preview PATH" in page
    assert 'action="/build"' not in page


def test_issue_folder_missing_a_file_is_shown_not_fatal(config, serve):
    folder = write_sample(config, DAY)
    write_sample(config, EARLIER)
    (folder / "email.txt").unlink()
    url = serve()
    index = get(url, "/")[2].decode()
    assert "email.txt: missing from the built issue" in index
    assert "Saturday 21 November 2026" in index  # the good issue is still listed
    status, _, body = get(url, "/issue/2026-11-22/")
    assert status == 200 and "email.txt: missing from the built issue" in body.decode()
    assert get(url, "/issue/2026-11-22/issue.eml")[0] == 404


def test_broken_page_template_is_shown_with_file_and_line(make_config, serve, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "preview_index.html").write_text("ok\n{% if %}\n")
    config = make_config(digest={"templates": str(folder)})
    write_sample(make_config(), DAY)
    url = serve(PreviewSite(config, make_environment(config), DAY))
    status, _, body = get(url, "/")
    assert status == 500
    assert re.search(r"mine/preview_index\.html:2: template syntax error", body.decode())
    assert get(url, "/issue/2026-11-22/")[0] == 200  # the rest of the preview still works


def test_error_raised_inside_a_template_is_a_500_page_with_file_and_line(make_config, serve, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "preview_index.html").write_text("ok\n{{ 1 // 0 }}\n")
    config = make_config(digest={"templates": str(folder)})
    write_sample(make_config(), DAY)
    url = serve(PreviewSite(config, make_environment(config), DAY))
    status, _, body = get(url, "/")
    assert status == 500
    assert re.search(r"mine/preview_index\.html:2: template error: ZeroDivisionError", body.decode())
    assert "Traceback" not in body.decode()
    assert get(url, "/issue/2026-11-22/")[0] == 200  # the rest of the preview still works


@pytest.mark.parametrize("length", ["abc", "-1", "1e3"])
def test_malformed_request_is_a_400(config, serve, length):
    url = serve(PreviewSite(config, make_environment(config), DAY, build=lambda: write_sample(config, DAY)))
    host, port = url.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        raw.sendall(
            f"POST /build HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {length}\r\n\r\n".encode()
        )
        answer = raw.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 400"), answer
    assert list_issues(config.out_dir) == []  # nothing was built
    assert get(url, "/")[0] == 200  # and the preview still answers


def test_failed_build_is_reported_on_the_pages(config, serve):
    from digest.errors import NoArticlesError

    def build() -> Path:
        raise NoArticlesError("no usable article among 1 read")

    url = serve(PreviewSite(config, make_environment(config), DAY, build=build))
    status, _, body = get(url, "/build", method="POST")
    assert status == 422 and "no usable article among 1 read" in body.decode()
    assert "Last build failed: no usable article" in get(url, "/")[2].decode()
    assert json.loads(get(url, "/api/version")[2])["error"] == "no usable article among 1 read"


def test_cross_site_post_is_refused(config, serve):
    url = serve(PreviewSite(config, make_environment(config), DAY, build=lambda: write_sample(config, DAY)))
    status, _, _ = get(url, "/build", method="POST", headers={"Origin": "https://evil.example"})
    assert status == 403
    assert list_issues(config.out_dir) == []


def test_port_in_use_is_a_clear_error(config, capsys, tmp_path):
    (tmp_path / "digest.toml").write_text(
        f'[digest]\nout = "{config.out_dir}"\nstate = "{config.state_dir}"\n'
    )
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = cli.main(["preview", "--config", str(tmp_path / "digest.toml"), "--port", str(port)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"port {port} on 127.0.0.1 is already in use; try another one, e.g. --port " in err
    assert "Traceback" not in err


def touch_later(path: Path, seconds: int) -> None:
    """A new mtime without sleeping, even on file systems with coarse timestamps."""
    stamp = path.stat().st_mtime_ns + seconds * 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_watcher_rebuilds_for_articles_and_rerenders_for_templates(config, tmp_path):
    articles, templates = tmp_path / "articles", tmp_path / "templates"
    articles.mkdir(), templates.mkdir()
    (articles / "a.txt").write_text("one")
    (templates / "email.txt").write_text("{{ title }}")
    calls: list[str] = []

    def action(name: str):
        return lambda: calls.append(name) or write_sample(config, DAY)

    site = PreviewSite(config, make_environment(config), DAY, build=action("build"))
    watcher = Watcher(site, [templates], [articles], rerender=action("render"), interval=0.05)
    watcher.start()
    try:
        time.sleep(0.2)
        assert calls == []
        touch_later(articles / "a.txt", 2)
        wait_for(lambda: calls == ["build"])
        touch_later(templates / "email.txt", 2)
        wait_for(lambda: calls == ["build", "render"])
        (articles / ".a.txt.swp").write_text("editor noise")  # hidden files are ignored
        time.sleep(0.3)
        assert calls == ["build", "render"]
        (articles / "b.txt").write_text("a new article")
        wait_for(lambda: calls == ["build", "render", "build"])
        # `calls` grows when an action starts, the version when its write has ended.
        wait_for(lambda: site.state.version == 3)
        assert site.state.error is None
    finally:
        watcher.stop()
        watcher.join(timeout=5)


# --- the real command, in a subprocess ---------------------------------------


def write_config(tmp_path: Path, **digest: str) -> Path:
    lines = [f'out = "{tmp_path / "out"}"', f'state = "{tmp_path / "state"}"']
    lines += [f'{key} = "{value}"' for key, value in digest.items()]
    path = tmp_path / "digest.toml"
    path.write_text("[digest]\n" + "\n".join(lines) + "\n")
    return path


def start_preview(*args: str, cwd: Path, timeout: float = 240) -> tuple[subprocess.Popen, str]:
    """Run `digest preview ... --port 0`; returns the process and its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "digest", "preview", "--port", "0", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if match:
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
            return proc, match.group(1)
    proc.kill()
    pytest.fail("digest preview did not start:\n" + "".join(lines))


@pytest.fixture
def preview(tmp_path: Path) -> Iterator:
    procs: list[subprocess.Popen] = []

    def start(*args: str, timeout: float = 240) -> str:
        proc, url = start_preview(*args, cwd=tmp_path, timeout=timeout)
        procs.append(proc)
        return url

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail("condition not met in time")


def test_watch_rerenders_when_a_template_changes(make_config, preview, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "email.txt").write_text("first {{ title }}\n")
    config_path = write_config(tmp_path, templates=str(mine))
    write_sample(make_config(digest={"templates": str(mine)}), DAY)
    url = preview("--config", str(config_path), "--date", DAY.isoformat(), "--watch")
    assert get(url, "/out/2026-11-22/email.txt")[2] == b"first Top Ten\n"
    time.sleep(1.1)  # a new mtime, even on coarse-grained file systems
    (mine / "email.txt").write_text("second {{ title }}\n")
    wait_for(lambda: get(url, "/out/2026-11-22/email.txt")[2] == b"second Top Ten\n")
    assert json.loads(get(url, "/api/version")[2])["version"] >= 1
    # a syntax error is shown, with the file and line; the preview keeps running
    (mine / "email.txt").write_text("third\n{{ title \n")
    wait_for(lambda: json.loads(get(url, "/api/version")[2])["error"])
    error = json.loads(get(url, "/api/version")[2])["error"]
    assert re.search(r"mine/email\.txt:2: template syntax error", error)
    assert "template syntax error" in get(url, "/issue/2026-11-22/")[2].decode()
    assert get(url, "/out/2026-11-22/email.txt")[2] == b"second Top Ten\n"


def test_preview_builds_the_seeds_when_not_built(preview, tmp_path, seeds_dir):
    """What `make run` does: build from seeds with the real models, then serve."""
    config_path = write_config(tmp_path)
    url = preview("--config", str(config_path), "--date", DAY.isoformat(), str(seeds_dir), timeout=400)
    built = json.loads(get(url, "/out/2026-11-22/issue.json")[2])
    count = len(built["stories"])
    assert count >= 1
    status, _, body = get(url, "/issue/2026-11-22/")
    assert status == 200 and f"2026-11-22 · {count} {'story' if count == 1 else 'stories'} ·" in body.decode()
    html = get(url, "/out/2026-11-22/email.html")[2].decode()
    for story in built["stories"]:
        assert escape(story["headline"], quote=False) in html


# --- in a real browser --------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.mark.browser
@needs_chromium
def test_in_chromium_index_viewer_and_switches(make_config, preview, browser, tmp_path):
    config_path = write_config(tmp_path)
    config = make_config()
    write_sample(config, EARLIER, stories=4)
    write_sample(config, DAY)
    url = preview("--config", str(config_path), "--date", DAY.isoformat())
    page = browser.new_page()
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(url)
    issues = page.locator("a.issue h2")
    assert issues.all_inner_texts() == ["Sunday 22 November 2026", "Saturday 21 November 2026"]
    issues.first.click()
    page.wait_for_url("**/issue/2026-11-22/")

    frame = page.frame_locator("#email")
    headlines = frame.locator("h2.headline")
    assert headlines.all_inner_texts() == list(HEADLINES)
    for k in range(10):
        assert headlines.nth(k).is_visible()
    hrefs = frame.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    page.screenshot(path=artifact("preview-desktop.png"), full_page=True)

    page.click("#view-mobile")
    page.wait_for_url("**view=mobile")
    email_frame = next(f for f in page.frames if f.url.endswith("/email.html"))
    email_frame.wait_for_load_state()
    width = email_frame.evaluate("document.documentElement.clientWidth")
    scroll = email_frame.evaluate("document.documentElement.scrollWidth")
    assert width == 375 and scroll <= width, "horizontal scroll at 375 px"
    assert frame.locator("h2.headline").count() == 10
    # a full-length screenshot of the email at 375 px
    mobile = browser.new_page()
    mobile.set_viewport_size({"width": 375, "height": 800})
    mobile.goto(url + "out/2026-11-22/email.html")
    mobile.screenshot(path=artifact("preview-mobile.png"), full_page=True)
    mobile.close()

    page.click("#view-text")
    page.wait_for_url("**view=text")
    text_frame = next(f for f in page.frames if f.url.endswith("/email.txt"))
    text_frame.wait_for_load_state()
    assert "1. " + HEADLINES[0] in text_frame.inner_text("body")

    with page.expect_download() as download:
        page.click("#download-eml")
    saved = download.value.path()
    message = email.message_from_bytes(Path(saved).read_bytes(), policy=policy.default)
    assert message["Subject"] == "Top Ten \u2014 2026-11-22"
    page.close()


@pytest.mark.browser
@needs_chromium
def test_in_chromium_email_frame_cannot_run_scripts(config, serve, browser):
    write_sample(config, DAY)
    url = serve()
    page = browser.new_page()
    page.goto(url + "issue/2026-11-22/")
    email_frame = next(f for f in page.frames if f.url.endswith("/email.html"))
    email_frame.wait_for_load_state()
    # Sandboxed without allow-same-origin: the frame's origin is opaque ("null").
    assert email_frame.evaluate("window.origin") == "null"
    page.close()


def test_the_preview_builds_under_the_run_lock(make_config, tmp_path):
    """A build from the preview (at start, POST /build, --watch) waits for a run or a send
    of the same state folder, as `digest build` does, and gives up with the lock's message."""
    from digest.commands.preview import builder
    from digest.errors import LockedError
    from digest.lock import RunLock

    config = make_config(schedule={"lock_timeout": 0.2})
    (tmp_path / "articles").mkdir()
    build = builder(config, DAY, [tmp_path / "articles"])
    assert build is not None
    with RunLock(config.state_dir, 5), pytest.raises(LockedError, match=r"schedule\.lock_timeout"):
        build()
