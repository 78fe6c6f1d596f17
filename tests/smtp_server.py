"""Real SMTP servers for the tests: aiosmtpd on 127.0.0.1 at an ephemeral port.

`Mailbox` keeps every message it accepts; the fault handlers below it misbehave
the way real servers do (drop the connection, defer with 451, refuse one
address with 550, or kill the sending process mid-message).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import AuthResult, LoginPassword

from digest.benchmarks.smtp_sink import LoopbackController

USER, PASSWORD = "digest-user", "s3cret pass\u00e9"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    tls: bool = False  # came over an encrypted connection

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.content, policy=policy.default)  # type: ignore[return-value]


class Mailbox:
    """Accepts and keeps every message."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.logins: list[str] = []  # AUTH mechanisms that succeeded

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return self.accept(envelope, session)

    def accept(self, envelope: Any, session: Any = None) -> str:
        tls = getattr(session, "ssl", None) is not None
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.content, tls)
            )
        return "250 2.0.0 OK"

    def per_recipient(self) -> Counter:
        return Counter(r for message in self.received for r in message.rcpt_tos)

    def messages(self) -> list[EmailMessage]:
        return [r.message for r in self.received]


class DropAfter(Mailbox):
    """Closes every connection, without an answer, when its (k+1)th message arrives."""

    def __init__(self, k: int) -> None:
        super().__init__()
        self.k = k
        self.drops = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        taken = getattr(session, "taken", 0)
        if taken >= self.k:
            self.drops += 1
            server.transport.close()  # the message is lost with the connection
            return "421 4.3.0 closing"
        session.taken = taken + 1
        return self.accept(envelope)


class DeferFirst(Mailbox):
    """Answers 451 to each recipient's first message, then 250."""

    def __init__(self) -> None:
        super().__init__()
        self.deferred: set[str] = set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        rcpt = envelope.rcpt_tos[0]
        if rcpt not in self.deferred:
            self.deferred.add(rcpt)
            return "451 4.3.2 try again later"
        return self.accept(envelope)


class RefuseOne(Mailbox):
    """Refuses one address at RCPT with 550."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address
        self.refusals = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list) -> str:
        if address.lower() == self.address.lower():
            self.refusals += 1
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class KillAfter(Mailbox):
    """Accepts k messages, then SIGKILLs the sending process in the middle of the next one.

    The kill happens before the server answers, so that message was never
    accepted: after a re-run its recipient must have it exactly once."""

    def __init__(self, k: int) -> None:
        super().__init__()
        self.k = k
        self.pid: int | None = None
        self.killed = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if len(self.received) >= self.k and not self.killed:
            for _ in range(200):  # the test sets the pid right after starting the process
                if self.pid is not None:
                    break
                time.sleep(0.01)
            assert self.pid is not None
            os.kill(self.pid, signal.SIGKILL)
            self.killed = True
            return "451 4.3.0 not taken"
        return self.accept(envelope)


def authenticator(mailbox: Mailbox):
    """Accepts USER/PASSWORD with any mechanism and notes which one was used."""

    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and data.login == USER.encode()
            and data.password == PASSWORD.encode()
        )
        if ok:
            mailbox.logins.append(mechanism)
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd sends the 535

    return check


@contextmanager
def smtp_server(handler: Any, **kwargs: Any) -> Iterator[LoopbackController]:
    controller = LoopbackController(handler, **kwargs)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def write_test_issue(
    out_dir: Any,
    day: Any,
    *,
    title: str = "Top Ten",
    html: str | None = None,
    headline: str = "Rivers rise in the north",
    subject: str | None = None,
) -> Any:
    """A built issue folder made from test data (no models), like `digest build` writes."""
    from digest.edition.write import write_issue
    from digest.models import Issue, IssueStory, RenderedEmail, SourceRef

    source = SourceRef(
        title=headline,
        url="https://example.org/rivers",
        path=None,
        outlet="Example",
        language="en",
        published=None,
    )
    story = IssueStory(
        rank=1,
        headline=headline,
        summary="Water is high. Roads are closed.",
        language="en",
        sources=(source,),
    )
    issue = Issue(date=day, title=title, language="en", stories=(story,))
    html = (
        html
        if html is not None
        else (
            "<!doctype html><html><body><h1>Top Ten</h1><p>Caf\u00e9 cr\u00e8me \u2014 "
            '<a href="https://example.org/rivers">Rivers rise</a></p></body></html>'
        )
    )
    text = f"{title}\n\n1. {headline}\nWater is high. Caf\u00e9 cr\u00e8me.\nhttps://example.org/rivers\n"
    subject = subject if subject is not None else f"{title} \u2014 {day}"
    return write_issue(issue, RenderedEmail(html=html, text=text, subject=subject), out_dir)
