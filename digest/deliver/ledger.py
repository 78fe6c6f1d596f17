"""The send ledger: one row per (issue, recipient) in the state database.

A row is written as `sending` (and committed) before the message goes out,
and becomes `sent` only after the server accepted it. So after a crash or a
kill -9, a re-run sends to everyone not `sent`. A `sending` row left by a crash
means the outcome is unknown; it is sent again with the same Message-ID,
which lets mail systems recognise the copy.

Failures: `deferred` (transient: 4xx, drop, timeout, after the retries) and
`failed` (the server refused the message or the sender with 5xx: retrying in
the same run would not help, but a re-run after a fix may) are retried by the
next run; `refused` (5xx to the address itself) is never retried for the issue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from digest.state import StateDB

SENDING = "sending"
SENT = "sent"
DEFERRED = "deferred"
FAILED = "failed"
REFUSED = "refused"


@dataclass(frozen=True)
class LedgerEntry:
    issue: str
    recipient: str
    message_id: str
    status: str
    attempts: int
    last_error: str | None
    updated: str


class Ledger:
    def __init__(self, state: StateDB):
        self.db = state.connection
        with self.db:
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS send_ledger ("
                " issue TEXT NOT NULL, recipient TEXT NOT NULL, message_id TEXT NOT NULL,"
                " status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
                " last_error TEXT, updated TEXT NOT NULL,"
                " PRIMARY KEY (issue, recipient))"
            )

    def entries(self, issue: str) -> dict[str, LedgerEntry]:
        """Rows of one issue, by recipient key (lower-case address)."""
        rows = self.db.execute(
            "SELECT issue, recipient, message_id, status, attempts, last_error, updated"
            " FROM send_ledger WHERE issue = ?",
            (issue,),
        )
        return {row[1]: LedgerEntry(*row) for row in rows}

    def begin(self, issue: str, recipient: str, message_id: str) -> None:
        """Record an attempt before it is made, so a crash leaves a trace.

        Committed without fsync (it survives the process dying, not the machine):
        the trace only makes a re-run's warning more precise, and the fsync
        would double the cost of each message. The outcome is synced."""
        self.db.execute("PRAGMA synchronous = NORMAL")
        with self.db:
            self.db.execute(
                "INSERT INTO send_ledger (issue, recipient, message_id, status, attempts, updated)"
                " VALUES (?, ?, ?, ?, 1, ?)"
                " ON CONFLICT (issue, recipient) DO UPDATE SET"
                " message_id = excluded.message_id, status = excluded.status,"
                " attempts = attempts + 1, updated = excluded.updated",
                (issue, recipient, message_id, SENDING, _now()),
            )

    def mark_sent(self, issue: str, recipient: str) -> None:
        self._set(issue, recipient, SENT, None)

    def mark_failed(self, issue: str, recipient: str, error: str, status: str) -> None:
        assert status in (DEFERRED, FAILED, REFUSED)
        self._set(issue, recipient, status, error)

    def _set(self, issue: str, recipient: str, status: str, error: str | None) -> None:
        self.db.execute("PRAGMA synchronous = FULL")  # `sent` must survive a power cut
        with self.db:
            self.db.execute(
                "UPDATE send_ledger SET status = ?, last_error = COALESCE(?, last_error), updated = ?"
                " WHERE issue = ? AND recipient = ?",
                (status, error, _now(), issue, recipient),
            )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
