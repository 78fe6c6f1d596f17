"""Readers who signed up or left: the `readers` table of the state database.

A reader is `pending` (asked to subscribe, has not confirmed), `subscribed`
(with the time and source of their consent) or `unsubscribed` (suppressed:
never sent to again, whatever lists them, until they sign up and confirm
anew). Rows are keyed by the lower-case address, like the send ledger.
An unsubscribe is committed with a full sync before the caller answers, so a
crash right after it loses nothing. Imports never re-subscribe a reader who
left.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from digest.deliver.recipients import Recipient
from digest.state import StateDB

PENDING = "pending"
SUBSCRIBED = "subscribed"
UNSUBSCRIBED = "unsubscribed"
STATUSES = (SUBSCRIBED, PENDING, UNSUBSCRIBED)

# Outcomes of add / import
ADDED = "added"
ALREADY = "already subscribed"
SUPPRESSED = "unsubscribed earlier, not re-subscribed"
# Outcomes of confirm
CONFIRMED = "confirmed"
REFUSED = "refused"


@dataclass(frozen=True)
class Reader:
    email: str
    name: str
    status: str
    source: str
    consent_at: str | None
    updated: str

    @property
    def key(self) -> str:
        return self.email.lower()


_COLUMNS = "address, name, status, source, consent_at, updated"


class Readers:
    def __init__(self, state: StateDB):
        self.db = state.connection
        with self.db:
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS readers ("
                " key TEXT PRIMARY KEY, address TEXT NOT NULL, name TEXT NOT NULL DEFAULT '',"
                " status TEXT NOT NULL, source TEXT NOT NULL DEFAULT '',"
                " consent_at TEXT, nonce TEXT, unsubscribed_at TEXT, updated TEXT NOT NULL)"
            )

    # -- reading -----------------------------------------------------------
    def get(self, email: str) -> Reader | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM readers WHERE key = ?", (email.lower(),)).fetchone()
        return Reader(*row) if row else None

    def all(self, status: str | None = None) -> list[Reader]:
        where, args = ("WHERE status = ?", (status,)) if status else ("", ())
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM readers {where} ORDER BY key", args)
        return [Reader(*row) for row in rows]

    def counts(self) -> dict[str, int]:
        found = Counter(dict(self.db.execute("SELECT status, COUNT(*) FROM readers GROUP BY status")))
        return {status: found.get(status, 0) for status in STATUSES}

    def subscribers(self) -> list[Recipient]:
        rows = self.db.execute(
            "SELECT address, name FROM readers WHERE status = ? ORDER BY consent_at, key", (SUBSCRIBED,)
        )
        return [Recipient(address, name) for address, name in rows]

    def suppressed(self) -> set[str]:
        rows = self.db.execute("SELECT key FROM readers WHERE status = ?", (UNSUBSCRIBED,))
        return {key for (key,) in rows}

    # -- the editor's changes ------------------------------------------------
    def add(self, recipient: Recipient, source: str) -> str:
        return self.add_many([recipient], source)[0]

    def add_many(self, recipients: Iterable[Recipient], source: str) -> list[str]:
        """Subscribe each (one transaction); a reader who unsubscribed stays out."""
        now = _now()
        outcomes, rows = [], []
        with self.db:
            known = dict(self.db.execute("SELECT key, status FROM readers"))
            for recipient in recipients:
                status = known.get(recipient.key)
                if status == UNSUBSCRIBED:
                    outcomes.append(SUPPRESSED)
                elif status == SUBSCRIBED:
                    outcomes.append(ALREADY)
                else:
                    known[recipient.key] = SUBSCRIBED
                    rows.append(
                        (recipient.key, recipient.email, recipient.name, SUBSCRIBED, source, now, now)
                    )
                    outcomes.append(ADDED)
            self.db.executemany(
                "INSERT INTO readers (key, address, name, status, source, consent_at, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET address = excluded.address, name = excluded.name,"
                " status = excluded.status, source = excluded.source, consent_at = excluded.consent_at,"
                " nonce = NULL, updated = excluded.updated",
                rows,
            )
        return outcomes

    def unsubscribe(self, email: str, source: str) -> bool:
        """Suppress the address (known or not); True when it was not suppressed already.
        Synced to disk before returning: the caller may answer "done" right after."""
        now, key = _now(), email.lower()
        self.db.execute("PRAGMA synchronous = FULL")
        with self.db:
            before = self.db.execute("SELECT status FROM readers WHERE key = ?", (key,)).fetchone()
            if before is not None and before[0] == UNSUBSCRIBED:
                return False
            self.db.execute(
                "INSERT INTO readers (key, address, status, source, unsubscribed_at, updated)"
                " VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET status = excluded.status, nonce = NULL,"
                " unsubscribed_at = excluded.unsubscribed_at, updated = excluded.updated",
                (key, email, UNSUBSCRIBED, source, now, now),
            )
        return True

    # -- sign-up by the reader ---------------------------------------------------
    def request(self, recipient: Recipient, nonce: str) -> str | None:
        """Note a sign-up waiting for confirmation; returns the nonce its link must
        carry (a pending one is kept, so a second sign-up cannot void the first
        link), or None when the reader is already subscribed. A reader who left
        stays suppressed until they confirm."""
        with self.db:
            row = self.db.execute(
                "SELECT status, nonce FROM readers WHERE key = ?", (recipient.key,)
            ).fetchone()
            if row is not None and row[0] == SUBSCRIBED:
                return None
            waiting = row[1] if row is not None and row[1] else nonce
            self.db.execute(
                "INSERT INTO readers (key, address, name, status, nonce, updated) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET name = excluded.name, nonce = excluded.nonce,"
                " updated = excluded.updated",
                (recipient.key, recipient.email, recipient.name, PENDING, waiting, _now()),
            )
        return waiting

    def forget_stale(self, days: int) -> int:
        """Drop sign-ups never confirmed within `days`: no consent, so nothing to keep.
        Returns how many were dropped."""
        cutoff = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
        with self.db:
            gone = self.db.execute(
                "DELETE FROM readers WHERE status = ? AND updated < ?", (PENDING, cutoff)
            ).rowcount
        return int(gone)

    def confirm(self, email: str, nonce: str, source: str) -> str:
        """CONFIRMED, ALREADY (subscribed, nothing changed) or REFUSED (the nonce is
        not the one waiting: a link already used, or voided by an unsubscribe)."""
        key = email.lower()
        self.db.execute("PRAGMA synchronous = FULL")
        with self.db:
            row = self.db.execute("SELECT status, nonce FROM readers WHERE key = ?", (key,)).fetchone()
            if row is None:
                return REFUSED
            status, waiting = row
            if not nonce or waiting != nonce:
                return ALREADY if status == SUBSCRIBED else REFUSED
            self.db.execute(
                "UPDATE readers SET status = ?, source = ?, consent_at = ?, nonce = NULL,"
                " unsubscribed_at = NULL, updated = ? WHERE key = ?",
                (SUBSCRIBED, source, _now(), _now(), key),
            )
        return CONFIRMED


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
