"""A real aiosmtpd server on 127.0.0.1 at a free port, for the send benchmark
and the tests. aiosmtpd is a dev dependency: `pip install -e '.[dev]'`."""

from __future__ import annotations

import threading
from typing import Any

from aiosmtpd.controller import Controller


class LoopbackController(Controller):
    """aiosmtpd's threaded controller, bound to 127.0.0.1 on an ephemeral port."""

    def __init__(self, handler: Any, **kwargs: Any):
        kwargs.setdefault("server_hostname", "localhost")  # no DNS lookup at start
        super().__init__(handler, hostname="127.0.0.1", port=0, **kwargs)

    def _trigger_server(self) -> None:
        # port=0 lets the OS choose; learn which before aiosmtpd connects to itself.
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]  # an asyncio Server
        super()._trigger_server()  # type: ignore[no-untyped-call]  # unannotated in aiosmtpd


class CountingHandler:
    """Accepts every message and counts them (thread-safe); keeps no content."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.count += len(envelope.rcpt_tos)
        return "250 OK"
