"""A real HTTP server on 127.0.0.1 for the fetch and feed tests.

The `http_server` fixture starts a stdlib ThreadingHTTPServer in a thread on
an ephemeral port. Tests declare what each path answers with `server.add()`:
a list of `Reply` objects served in turn (the last one repeats), so "500
then 200" is `[Reply(status=500), Reply(body=...)]`. Replies with an ETag or
Last-Modified answer 304 to a matching conditional GET. Every request is
recorded (path and headers) so tests can check what the client sent.

Import the fixture into a test module: `from http_server import http_server`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data" / "feeds"


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    hang: bool = False  # never answer: hold the connection until the server stops
    stream_bytes: int = 0  # send this many filler bytes after `body`, in chunks
    delay: float = 0.0  # seconds to wait before answering


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]


class LocalServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.served: dict[str, int] = {}
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests handled at once
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer((host, 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://{host}:{self.port}"

    def add(self, path: str, *replies: Reply) -> str:
        """Serve `replies` in turn at `path`; returns the full URL."""
        self.routes[path] = list(replies)
        return self.url(path)

    def url(self, path: str) -> str:
        return self.base_url + path

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def next_reply(self, path: str) -> Reply | None:
        with self.lock:
            replies = self.routes.get(path)
            if not replies:
                return None
            count = self.served.get(path, 0)
            self.served[path] = count + 1
            return replies[min(count, len(replies) - 1)]

    def start(self) -> None:
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            with server.lock:
                server.requests.append(Request(self.path, headers))
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                self._answer(headers, server.next_reply(self.path))
            finally:
                with server.lock:
                    server.in_flight -= 1

        def _answer(self, headers: dict[str, str], reply: Reply | None) -> None:
            if reply and reply.delay:
                server.stopping.wait(reply.delay)
            if reply is None:
                self._send(404, b"not here", {"Content-Type": "text/plain"})
            elif reply.hang:
                server.stopping.wait(30)
            elif _not_modified(reply, headers):
                self._send(304, b"", {"ETag": reply.etag or "", "Last-Modified": reply.last_modified or ""})
            else:
                self._send_reply(reply)

        def _send_reply(self, reply: Reply) -> None:
            extra = dict(reply.headers)
            if reply.etag:
                extra["ETag"] = reply.etag
            if reply.last_modified:
                extra["Last-Modified"] = reply.last_modified
            extra["Content-Type"] = reply.content_type
            if not reply.stream_bytes:
                self._send(reply.status, reply.body, extra)
                return
            # A large body with no Content-Length, as a misbehaving server sends it.
            self.send_response(reply.status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                self.wfile.write(reply.body)
                for _ in range(reply.stream_bytes // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:
                pass  # the client gave up, as it should

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if value:
                    self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    return Handler


def _not_modified(reply: Reply, headers: dict[str, str]) -> bool:
    if reply.etag and headers.get("if-none-match") == reply.etag:
        return True
    return bool(reply.last_modified and headers.get("if-modified-since") == reply.last_modified)


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    server = LocalServer()
    server.start()
    yield server
    server.stop()
