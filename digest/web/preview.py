"""The preview server: the issues in `out/`, viewed as subscribers get them.

A Starlette app served by uvicorn on 127.0.0.1 only. Routes:

    /                          index of built issues, newest first
    /issue/<date>/?view=V      viewer; V is desktop (default), mobile or text
    /issue/<date>/issue.eml    the message as a download (what `digest send` sends)
    /out/<date>/email.html     the email's parts as the preview's placeholder subscriber gets
    /out/<date>/email.txt        them: with their unsubscribe link in place of the placeholder
    /out/<date>/<file>         any other file of out/, byte for byte (issue.json)
    /api/version               a counter that goes up after each rebuild (--watch)
    POST /build                build the issue of the preview's day

The email is shown in a sandboxed iframe (no scripts, its own origin) loaded
from /out/, so the bytes on screen are the bytes that are sent (to the
placeholder subscriber: the footer's unsubscribe link is each reader's own). Nothing
outside out/ is ever served: `..`, absolute and percent-encoded paths are refused.
"""

from __future__ import annotations

import html
import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import date
from http import HTTPStatus
from os import PathLike
from pathlib import Path, PurePosixPath

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from digest.config import Config
from digest.edition.render import render_template, template_position
from digest.edition.write import HTML_FILE, TEXT_FILE, read_issue
from digest.errors import DigestError
from digest.web.archive import IssueEntry, issue_day, list_issues
from digest.web.preview_mail import email_part, eml_bytes
from digest.web.runner import PortInUse, bind, make_server
from digest.web.watch import BuildState, Watcher

log = logging.getLogger(__name__)

__all__ = ["PreviewServer", "PreviewSite", "Watcher", "resolve_under", "start_server"]

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


class PreviewSite:
    """The pages of the preview, as Starlette endpoints (run in a thread pool:
    a build takes seconds)."""

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

    # -- pages -------------------------------------------------------------
    def index(self, request: Request) -> Response:
        issues = list_issues(self.out_dir)
        return self.page(
            "preview_index.html",
            issues=issues,
            out_dir=str(self.out_dir.resolve()),
            day=self.day.isoformat(),
            can_build=self.build is not None,
            day_built=any(e.day == self.day for e in issues),
        )

    def viewer(self, request: Request) -> Response:
        day = self.day_of(request)
        view = request.query_params.get("view", "desktop")
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

    def day_of(self, request: Request) -> date:
        day = issue_day(Path(request.path_params["day"]))
        if day is None:
            raise HTTPException(HTTPStatus.NOT_FOUND, f"Nothing here: {request.url.path}")
        return day

    def entry(self, day: date) -> IssueEntry | None:
        folder = self.out_dir / day.isoformat()
        if not folder.is_dir():
            return None
        try:
            return IssueEntry(day, folder, read_issue(folder))
        except DigestError as exc:
            return IssueEntry(day, folder, None, str(exc))

    def eml(self, request: Request) -> Response:
        day = self.day_of(request)
        try:
            built = read_issue(self.out_dir / day.isoformat())
            body = eml_bytes(self.config, built)
        except DigestError as exc:
            return self.error_page(HTTPStatus.NOT_FOUND, str(exc))
        name = f"{built.issue.title or 'digest'}-{day.isoformat()}.eml"
        safe_name = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)
        return Response(
            body,
            media_type="message/rfc822",
            headers={"Content-Disposition": f'attachment; filename="{safe_name}"'},
        )

    def email_file(self, request: Request) -> Response:
        day = self.day_of(request)
        name = request.url.path.rsplit("/", 1)[1]
        # The same refusals as every file of out/ (a symlink leading out, say).
        path = resolve_under(self.out_dir, f"{day.isoformat()}/{name}")
        content = email_part(self.config, path.parent, name) if path else None
        if content is None:
            return self.not_found(request.url.path)
        suffix = Path(name).suffix
        headers = {"X-Content-Type-Options": "nosniff"}
        if suffix == ".html":
            headers["Content-Security-Policy"] = EMAIL_CSP
        return Response(content, headers=headers, media_type=CONTENT_TYPES[suffix])

    def version(self, request: Request) -> Response:
        with self.state.lock:
            data = {"version": self.state.version, "error": self.state.error}
        return JSONResponse(data)

    def build_now(self, request: Request) -> Response:
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
        return RedirectResponse(f"/issue/{folder.name}/", status_code=HTTPStatus.SEE_OTHER)

    # -- helpers -------------------------------------------------------------
    def page(self, template: str, **context: object) -> Response:
        """A page from a template; a broken template becomes an error page naming its file and line."""
        with self.state.lock:
            error = self.state.error
        try:
            body = render_template(
                self.env, template, title=self.config.digest.title, build_error=error, **context
            )
        except DigestError as exc:
            return self.error_page(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        except Exception as exc:  # noqa: BLE001 - an error raised inside a template (say 1/0) is shown, not fatal
            where = template_position(exc, template)
            return self.error_page(HTTPStatus.INTERNAL_SERVER_ERROR, f"{where}: template error: {exc!r}")
        return HTMLResponse(body, headers={"Content-Security-Policy": PAGE_CSP})

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
        return HTMLResponse(body, status_code=status)

    async def http_error(self, request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return self.error_page(exc.status_code, exc.detail)
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return self.error_page(HTTPStatus.INTERNAL_SERVER_ERROR, f"{type(exc).__name__}: {exc}")


class OutFiles(StaticFiles):
    """Files of out/, byte for byte, by Starlette's own file serving (which
    refuses paths and symlinks leading out of the folder); `resolve_under`
    checks the path again, and the email runs no script even opened alone."""

    def __init__(self, out_dir: Path) -> None:
        super().__init__(directory=out_dir, check_dir=False)
        self.out_dir = out_dir

    async def get_response(self, path: str, scope: Scope) -> Response:
        if resolve_under(self.out_dir, path) is None:
            raise HTTPException(HTTPStatus.NOT_FOUND, f"Not a file in {self.out_dir}: {path}")
        return await super().get_response(path, scope)

    def file_response(
        self,
        full_path: str | PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        suffix = Path(full_path).suffix
        if suffix in CONTENT_TYPES:
            response.headers["Content-Type"] = CONTENT_TYPES[suffix]
        if suffix == ".html":
            response.headers["Content-Security-Policy"] = EMAIL_CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


class LocalOnly:
    """Refuses foreign Host headers (a web page cannot reach the preview through
    DNS rebinding) and cross-site POSTs; marks every answer no-store."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        port = scope["server"][1] if scope.get("server") else 0
        local = (f"127.0.0.1:{port}", f"localhost:{port}")
        headers = Headers(scope=scope)
        allowed = headers.get("host", "") in local
        if allowed and scope["method"] == "POST":
            allowed = headers.get("origin") in (None, *(f"http://{h}" for h in local))
        if not allowed:
            page = PreviewSite.error_page(HTTPStatus.FORBIDDEN, "Requests must come from this machine.")
            await page(scope, receive, send)
            return

        async def no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"cache-control", b"no-store")]
            await send(message)

        await self.app(scope, receive, no_store)


def make_preview_app(site: PreviewSite) -> Starlette:
    routes = [
        Route("/", site.index),
        Route("/api/version", site.version),
        Route("/issue/{day}/", site.viewer),
        Route("/issue/{day}/issue.eml", site.eml),
        Route("/build", site.build_now, methods=["POST"]),
        # The email's parts, before the Mount: with the unsubscribe link filled in.
        Route(f"/out/{{day}}/{HTML_FILE}", site.email_file),
        Route(f"/out/{{day}}/{TEXT_FILE}", site.email_file),
        Mount("/out", app=OutFiles(site.out_dir)),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(LocalOnly)],
        exception_handlers={HTTPException: site.http_error, Exception: site.http_error},
    )


class PreviewServer:
    """uvicorn serving a PreviewSite on a socket bound to 127.0.0.1."""

    def __init__(self, site: PreviewSite, sock: socket.socket) -> None:
        self.site = site
        self.socket = sock
        self.server_address = sock.getsockname()[:2]
        self.server = make_server(make_preview_app(site))
        self.done = threading.Event()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def serve_forever(self) -> None:
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self.done.set()

    def shutdown(self) -> None:
        self.server.should_exit = True
        self.done.wait(timeout=10)

    def server_close(self) -> None:
        self.socket.close()


def start_server(site: PreviewSite, port: int) -> PreviewServer:
    """Bind 127.0.0.1:port (0: any free port); a port in use is a DigestError."""
    try:
        sock = bind(HOST, port)
    except PortInUse:
        raise DigestError(
            f"port {port} on {HOST} is already in use; try another one, e.g. --port {suggest_port(port)}"
        ) from None
    return PreviewServer(site, sock)


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
