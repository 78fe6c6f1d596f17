"""Serve the readers' pages: sign-up with double opt-in, confirmation, and
one-click unsubscribe (RFC 8058), on [web] host:port (127.0.0.1:8080 by
default), meant to run behind a TLS reverse proxy at [web] base_url.

Needs [smtp] (confirmations are sent through it), [web] base_url, and the
signing secret in the environment variable [web] secret_env names. The
unsubscribe links `digest send` writes point here. Stop with Ctrl+C."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys

from digest.commands import port_number
from digest.config import Config
from digest.web.runner import bind, make_server, url_of
from digest.web.serve import make_app, make_site

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (default: [web] host, 127.0.0.1)")
    parser.add_argument(
        "--port", type=port_number, help="port (default: [web] port, 8080; 0 picks a free one)"
    )


def main(args: argparse.Namespace, config: Config) -> int:
    site = make_site(config)
    host = args.host or config.web.host
    port = config.web.port if args.port is None else args.port
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("listening on %s: the pages are meant to be reached through a TLS proxy only", host)
    sock = bind(host, port, "setting web.port or --port")
    server = make_server(make_app(site), proxied=True)
    print(f"Serving {site.links.base_url} at {url_of(sock)} (Ctrl+C to stop)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])  # returns when uvicorn got Ctrl+C or SIGTERM
    print("Stopped.", file=sys.stderr)
    return 0
