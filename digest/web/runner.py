"""Running a web app with uvicorn: on a socket bound here (so a port in use is
one clear line, and port 0 picks a free one), in the foreground or, for tests
and benchmarks, in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

from digest.errors import DigestError

IN_USE = (98, 48, 10048)  # EADDRINUSE on Linux, macOS, Windows


class PortInUse(DigestError):
    pass


def bind(host: str, port: int, setting: str = "--port") -> socket.socket:
    """A listening socket, or a DigestError saying why not."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        # IPPROTO_TCP named explicitly: asyncio turns Nagle off (TCP_NODELAY) only on sockets
        # that say so, and with Nagle on, each answer waits ~40 ms for the client's delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
    except OSError as exc:
        if exc.errno in IN_USE:
            raise PortInUse(f"port {port} on {host} is already in use ({setting})") from None
        raise DigestError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    return sock


def make_server(app: ASGIApp, proxied: bool = False) -> uvicorn.Server:
    return uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,  # request lines can hold tokens: they stay out of the logs
            # Behind a proxy on this machine, the client's address comes from X-Forwarded-For.
            proxy_headers=proxied,
            forwarded_allow_ips="127.0.0.1",
            server_header=False,
        )
    )


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{host}:{port}/"


@contextmanager
def background(app: ASGIApp, host: str = "127.0.0.1", port: int = 0, proxied: bool = False) -> Iterator[str]:
    """Serve `app` in a thread while the block runs; yields its URL."""
    sock = bind(host, port)
    server = make_server(app, proxied)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise DigestError("the web server did not start")
        time.sleep(0.01)
    try:
        yield url_of(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
