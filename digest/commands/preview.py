"""Preview the built issues in a browser, as subscribers will get them.

Builds the issue of --date (default: today) first when it is not built yet,
from the PATHs given or else from the [[sources]] of the config; then serves,
on 127.0.0.1 only, an index of every issue in out/ (newest first) and a viewer
with desktop (600 px column), mobile (375 px) and plain-text switches and a
download of the .eml. The email is shown in a sandboxed frame with the exact
bytes of out/<date>/email.html. Stop with Ctrl+C."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import webbrowser
from collections.abc import Callable
from datetime import date
from pathlib import Path

from digest.commands import add_date_option, port_number, require_paths
from digest.config import Config
from digest.edition.render import Renderer, make_environment, template_dirs
from digest.edition.write import JSON_FILE, read_issue, write_issue
from digest.errors import DigestError
from digest.lock import RunLock
from digest.web.preview import PreviewServer, PreviewSite, Watcher, start_server

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="article files or folders to build from when the issue is not "
        "built yet (default: the [[sources]] of the config)",
    )
    add_date_option(parser, "the issue to build and open")
    parser.add_argument(
        "--port", type=port_number, default=8000, help="port on 127.0.0.1 (default: 8000; 0 picks a free one)"
    )
    parser.add_argument(
        "--open", action="store_true", help="open the issue in the default web browser, when there is one"
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="rebuild when an article changes and re-render when a template "
        "changes; the viewer reloads by itself",
    )


def main(args: argparse.Namespace, config: Config) -> int:
    require_paths(args.paths)
    day = args.date or config.today()
    site = PreviewSite(
        config, make_environment(config), day, build=builder(config, day, args.paths), watch=args.watch
    )
    build_if_missing(site, config.out_dir / day.isoformat())
    server = start_server(site, args.port)
    watcher = start_watcher(site, config, args.paths) if args.watch else None
    url = (
        f"{server.url}issue/{day.isoformat()}/" if (config.out_dir / day.isoformat()).is_dir() else server.url
    )
    print(f"Previewing {config.out_dir} at {server.url} (Ctrl+C to stop)", flush=True)
    if args.open:
        open_browser(url)
    serve(server, watcher)
    return 0


def builder(config: Config, day: date, paths: list[Path]) -> Callable[[], Path] | None:
    """A function that builds the day's issue, or None with nothing to build from."""
    if not paths and not config.sources:
        return None

    def build() -> Path:
        from digest.pipeline import build_issue  # loads the models' libraries: only when needed

        # The preview's builds (at start, POST /build, --watch) take the run lock like
        # `digest build`: never two builds of one day at once with a run or a send.
        with RunLock(config.state_dir, config.schedule.lock_timeout):
            return build_issue(config, day, paths=list(paths)).folder

    return build


def build_if_missing(site: PreviewSite, folder: Path) -> None:
    if site.build is None or (folder / JSON_FILE).exists():
        return
    print(f"Building {folder} ...", file=sys.stderr, flush=True)
    try:
        site.build()
    except DigestError as exc:
        # Still serve: the index shows the error and offers to build again.
        log.error("%s", exc)
        site.state.failed(str(exc))
        return
    site.state.succeeded()


def start_watcher(site: PreviewSite, config: Config, paths: list[Path]) -> Watcher:
    articles = list(paths) or [config.resolve(s.path) for s in config.sources if s.path]

    def rerender() -> Path:
        built = read_issue(config.out_dir / site.day.isoformat())
        email = Renderer(config).render(built.issue)
        return write_issue(built.issue, email, config.out_dir)

    watcher = Watcher(site, template_dirs(config), articles, rerender)
    watcher.start()
    return watcher


def open_browser(url: str) -> None:
    """Open `url` when a graphical session can show it; say so otherwise."""
    graphical = (
        sys.platform in ("darwin", "win32") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if not graphical or not webbrowser.open(url):
        print(f"No web browser to open here; visit {url}", flush=True)


def serve(server: PreviewServer, watcher: Watcher | None) -> None:
    try:
        server.serve_forever()  # returns when uvicorn got Ctrl+C or SIGTERM
    except KeyboardInterrupt:
        pass
    finally:
        print("Stopped.", file=sys.stderr)
        if watcher:
            watcher.stop()
        server.server_close()
