"""The preview server: the issues in `out/`, viewed as subscribers get them.

Serves on 127.0.0.1 only. Routes:

    /                          index of built issues, newest first
    /issue/<date>/?view=V      viewer; V is desktop (default), mobile or text
    /issue/<date>/issue.eml    the message as a download (what `digest send` sends)
    /out/<date>/<file>         a file of out/, byte for byte (email.html, email.txt, issue.json)
    /api/version               a counter that goes up after each rebuild (--watch)
    POST /build                build the issue of the preview's day

The email is shown in a sandboxed iframe (no scripts, its own origin) loaded
from /out/, so the bytes on screen are the bytes that are sent. Nothing
outside out/ is ever served: `..`, absolute and percent-encoded paths are refused.
"""

from __future__ import annotations

import html
import json
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from email import policy
from email.headerregistry import Address
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, unquote, urlsplit

import jinja2

from digest.config import Config
from digest.deliver.message import MessageSettings, build_message, list_id, message_settings
from digest.deliver.recipients import Recipient
from digest.edition.render import render_template
from digest.edition.write import BuiltIssue, read_issue
from digest.errors import ConfigError, DigestError
from digest.web.archive import IssueEntry, issue_day, list_issues

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
VIEWS = {"desktop": 640, "mobile": 375, "text": None}  # iframe width in px
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}
# The email page, even when opened on its own, runs no script and reaches nothing.
EMAIL_CSP = (
    "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; "
    "style-src 'unsafe-inline'; img-src data: https: http:"
)
PAGE_CSP = "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-src 'self'"
PREVIEW_SENDER = Address(display_name="Preview", username="digest", domain="example.invalid")
PREVIEW_RECIPIENT = Recipient(email="subscriber@example.invalid", name="Subscriber")


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def resolve_under(root: Path, relative: str) -> Path | None:
    """The file `relative` names inside `root`, or None when it is not a file
    there: absolute paths, `..`, backslashes and symlinks out are refused.
    `relative` must already be percent-decoded (once)."""
    if not relative or "\0" in relative or "\\" in relative:
        return None
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts:
        return None
    base = root.resolve()
    candidate = (base / pure).resolve()
    if not candidate.is_relative_to(base) or not candidate.is_file():
        return None
    return candidate


def preview_message_settings(config: Config, built: BuiltIssue) -> MessageSettings:
    """The [smtp] settings when they are complete, else placeholder addresses
    (the preview works before anything is set up for sending)."""
    if config.smtp is not None:
        try:
            return message_settings(config, built)
        except ConfigError as exc:
            log.info("the .eml uses placeholder addresses: %s", exc)
    return MessageSettings(
        sender=PREVIEW_SENDER,
        list_id=list_id(built.issue.title, PREVIEW_SENDER.domain),
        subject=built.email.subject,
        issue_key=built.issue.date.isoformat(),
    )


def eml_bytes(config: Config, built: BuiltIssue) -> bytes:
    """The message `digest send` would send (to a placeholder subscriber)."""
    settings = preview_message_settings(config, built)
    message = build_message(built, settings, PREVIEW_RECIPIENT)
    return message.as_bytes(policy=policy.SMTP)


@dataclass
class BuildState:
    """What the last (re)build did; shared by the handler threads and the watcher."""

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


class PreviewSite:
    """Turns a request (method, path) into a Response. No sockets here."""

    def __init__(
        self,
        config: Config,
        env: jinja2.Environment,
        day: date,
        build: Callable[[], Path] | None = None,
        watch: bool = False,
    ) -> None:
        self.config = config
        self.out_dir = config.out_dir
        self.env = env
        self.day = day
        self.build = build  # None: nothing to build from (no PATH, no [[sources]])
        self.watch = watch
        self.state = BuildState()
        self.build_lock = threading.Lock()

    # -- routing ---------------------------------------------------------
    def get(self, target: str) -> Response:
        parts = urlsplit(target)
        path = unquote(parts.path)  # decoded exactly once; checks run on the result
        query = parse_qs(parts.query)
        if path == "/":
            return self.index()
        if path == "/api/version":
            return self.version()
        if path.startswith("/out/"):
            return self.out_file(path[len("/out/") :])
        pieces = path.strip("/").split("/")
        if len(pieces) >= 2 and pieces[0] == "issue":
            day = issue_day(Path(pieces[1]))
            if day is not None and len(pieces) == 2:
                return self.viewer(day, query.get("view", ["desktop"])[0])
            if day is not None and pieces[2:] == ["issue.eml"]:
                return self.eml(day)
        return self.not_found(path)

    def post(self, target: str) -> Response:
        if urlsplit(target).path == "/build":
            return self.build_now()
        return self.error_page(HTTPStatus.METHOD_NOT_ALLOWED, "Only POST /build is accepted.")

    # -- pages -------------------------------------------------------------
    def index(self) -> Response:
        issues = list_issues(self.out_dir)
        return self.page(
            "preview_index.html",
            issues=issues,
            out_dir=str(self.out_dir.resolve()),
            day=self.day.isoformat(),
            can_build=self.build is not None,
            day_built=any(e.day == self.day for e in issues),
        )

    def viewer(self, day: date, view: str) -> Response:
        if view not in VIEWS:
            view = "desktop"
        entry = self.entry(day)
        if entry is None:
            return self.not_found(f"/issue/{day.isoformat()}/")
        return self.page(
            "preview_issue.html",
            entry=entry,
            view=view,
            width=VIEWS[view],
            views=list(VIEWS),
            day=day.isoformat(),
            watch=self.watch,
        )

    def entry(self, day: date) -> IssueEntry | None:
        folder = self.out_dir / day.isoformat()
        if not folder.is_dir():
            return None
        try:
            return IssueEntry(day, folder, read_issue(folder))
        except DigestError as exc:
            return IssueEntry(day, folder, None, str(exc))

    def out_file(self, relative: str) -> Response:
        path = resolve_under(self.out_dir, relative)
        if path is None:
            return self.error_page(HTTPStatus.NOT_FOUND, f"Not a file in {self.out_dir}: {relative}")
        content_type = CONTENT_TYPES.get(path.suffix, "application/octet-stream")
        headers = {"Content-Security-Policy": EMAIL_CSP} if path.suffix == ".html" else {}
        headers["X-Content-Type-Options"] = "nosniff"
        return Response(HTTPStatus.OK, path.read_bytes(), content_type, headers)

    def eml(self, day: date) -> Response:
        try:
            built = read_issue(self.out_dir / day.isoformat())
            body = eml_bytes(self.config, built)
        except DigestError as exc:
            return self.error_page(HTTPStatus.NOT_FOUND, str(exc))
        name = f"{built.issue.title or 'digest'}-{day.isoformat()}.eml"
        safe_name = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)
        return Response(
            HTTPStatus.OK,
            body,
            "message/rfc822",
            {"Content-Disposition": f'attachment; filename="{safe_name}"'},
        )

    def version(self) -> Response:
        with self.state.lock:
            data = {"version": self.state.version, "error": self.state.error}
        return Response(HTTPStatus.OK, json.dumps(data).encode(), "application/json")

    def build_now(self) -> Response:
        if self.build is None:
            return self.error_page(
                HTTPStatus.BAD_REQUEST,
                "Nothing to build from: run `digest preview PATH` or add [[sources]] to the config.",
            )
        with self.build_lock:
            try:
                folder = self.build()
            except DigestError as exc:
                self.state.failed(str(exc))
                return self.error_page(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc))
        self.state.succeeded()
        return Response(HTTPStatus.SEE_OTHER, b"", headers={"Location": f"/issue/{folder.name}/"})

    # -- helpers -------------------------------------------------------------
    def page(self, template: str, **context: object) -> Response:
        """A page from a template; a broken template becomes an error page."""
        with self.state.lock:
            error = self.state.error
        try:
            body = render_template(
                self.env, template, title=self.config.digest.title, build_error=error, **context
            )
        except DigestError as exc:
            return self.error_page(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        return Response(HTTPStatus.OK, body.encode("utf-8"), headers={"Content-Security-Policy": PAGE_CSP})

    def not_found(self, path: str) -> Response:
        return self.error_page(HTTPStatus.NOT_FOUND, f"Nothing here: {path}")

    @staticmethod
    def error_page(status: int, message: str) -> Response:
        """Plain markup, no template: it must work when the templates do not."""
        text = html.escape(message)
        body = (
            f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>{int(status)}</title>'
            f'<body style="font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em">'
            f"<h1>{int(status)} {html.escape(HTTPStatus(status).phrase)}</h1>"
            f'<p class="error">{text}</p><p><a href="/">All issues</a></p></body></html>'
        )
        return Response(status, body.encode("utf-8"))


class PreviewHandler(BaseHTTPRequestHandler):
    """Hands requests to the server's PreviewSite; refuses foreign Host headers
    (a web page cannot reach the preview through DNS rebinding)."""

    server: PreviewServer
    server_version = "digest-preview"

    def do_GET(self) -> None:
        self.respond(self.server.site.get(self.path) if self.host_ok() else self.bad_host())

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(min(length, 65536))
        allowed = self.host_ok() and self.origin_ok()
        self.respond(self.server.site.post(self.path) if allowed else self.bad_host())

    def host_ok(self) -> bool:
        port = self.server.server_address[1]
        return self.headers.get("Host", "") in (f"127.0.0.1:{port}", f"localhost:{port}")

    def origin_ok(self) -> bool:
        origin = self.headers.get("Origin")
        port = self.server.server_address[1]
        return origin in (None, f"http://127.0.0.1:{port}", f"http://localhost:{port}")

    def bad_host(self) -> Response:
        return PreviewSite.error_page(HTTPStatus.FORBIDDEN, "Requests must come from this machine.")

    def respond(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: PreviewSite, port: int) -> None:
        self.site = site
        super().__init__((HOST, port), PreviewHandler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


def start_server(site: PreviewSite, port: int) -> PreviewServer:
    """Bind 127.0.0.1:port (0: any free port); a port in use is a DigestError."""
    try:
        return PreviewServer(site, port)
    except OSError as exc:
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise DigestError(
                f"port {port} on {HOST} is already in use; try another one, e.g. --port {suggest_port(port)}"
            ) from None
        raise DigestError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None


def suggest_port(busy: int) -> int:
    """A free port near the busy one, for the error message."""
    for candidate in range(busy + 1, busy + 50):
        with socket.socket() as probe:
            try:
                probe.bind((HOST, candidate))
            except OSError:
                continue
            return candidate
    return 0


def snapshot(roots: list[Path]) -> dict[Path, float]:
    """Modification times of every file under `roots` (files or folders)."""
    times: dict[Path, float] = {}
    for root in roots:
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for path in files:
            if not any(part.startswith(".") for part in path.relative_to(root).parts):
                try:
                    times[path] = path.stat().st_mtime_ns
                except OSError:  # deleted between listing and stat
                    continue
    return times


class Watcher(threading.Thread):
    """Polls templates and articles; a changed article rebuilds the issue, a
    changed template only re-renders it (no models to run). A failure is kept
    in the site's BuildState and shown on the pages; the watcher carries on."""

    def __init__(
        self,
        site: PreviewSite,
        templates: list[Path],
        articles: list[Path],
        rerender: Callable[[], Path],
        interval: float = 1.0,
    ) -> None:
        super().__init__(name="digest-watch", daemon=True)
        self.site = site
        self.templates = templates
        self.articles = articles
        self.rerender = rerender
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        templates, articles = snapshot(self.templates), snapshot(self.articles)
        while not self.stopped.wait(self.interval):
            new_templates, new_articles = snapshot(self.templates), snapshot(self.articles)
            if new_articles != articles and self.site.build is not None:
                self.apply("articles changed: rebuilding", self.site.build)
            elif new_templates != templates:
                self.apply("templates changed: re-rendering", self.rerender)
            templates, articles = new_templates, new_articles

    def apply(self, what: str, action: Callable[[], Path]) -> None:
        log.info("%s", what)
        with self.site.build_lock:
            try:
                folder = action()
            except DigestError as exc:
                log.error("%s", exc)
                self.site.state.failed(str(exc))
                return
            except Exception as exc:
                log.exception("rebuild failed")
                self.site.state.failed(f"rebuild failed: {exc}")
                return
        log.info("rebuilt %s", folder)
        self.site.state.succeeded()

    def stop(self) -> None:
        self.stopped.set()
