"""The state database: one SQLite file under `[digest] state`.

Stages keep what must survive a run here: caches of expensive results keyed
by content hash (embeddings, summaries), the send ledger, feed validators,
the memory of stories already sent. Each module creates its own tables with
`CREATE TABLE IF NOT EXISTS` through `StateDB.connection`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from digest.errors import ConfigError

DB_NAME = "digest.sqlite3"


class StateDB:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.connection = sqlite3.connect(self.folder / DB_NAME, timeout=30.0)
            self.connection.execute("PRAGMA journal_mode=WAL")
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"state folder {self.folder} (setting digest.state) is not usable: {exc}"
            ) from None
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS cache ("
            " kind TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
            " PRIMARY KEY (kind, key))"
        )
        self.connection.commit()

    def get(self, kind: str, key: str) -> bytes | None:
        row = self.connection.execute(
            "SELECT value FROM cache WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        return row[0] if row else None

    def get_many(self, kind: str, keys: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), 500):  # SQLite caps bound parameters
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.connection.execute(
                f"SELECT key, value FROM cache WHERE kind = ? AND key IN ({marks})",
                (kind, *chunk),
            )
            found.update(rows)
        return found

    def put(self, kind: str, key: str, value: bytes) -> None:
        self.put_many(kind, {key: value})

    def put_many(self, kind: str, items: dict[str, bytes]) -> None:
        with self.connection:
            self.connection.executemany(
                "INSERT OR REPLACE INTO cache (kind, key, value) VALUES (?, ?, ?)",
                [(kind, k, v) for k, v in items.items()],
            )

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> StateDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
