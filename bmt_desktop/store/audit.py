"""Append entries to the audit log, the one hash chain over every write."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bmt_desktop.domain.hashing import GENESIS_HASH, entry_hash

AUDIT_COLUMNS = (
    "seq",
    "ts",
    "user_id",
    "username",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "journal_id",
    "journal_digest",
    "prev_hash",
)
_INSERT = (
    f"INSERT INTO audit_log ({', '.join(AUDIT_COLUMNS)}, hash) "
    f"VALUES ({', '.join('?' for _c in AUDIT_COLUMNS)}, ?)"
)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who writes: ``user_id`` is None only for the system itself (creating the book)."""

    user_id: int | None
    username: str


SYSTEM = Actor(None, "sistem")


def _system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_clock: Callable[[], dt.datetime] = _system_clock


def utc_now() -> str:
    return _clock().isoformat(timespec="microseconds")


@contextmanager
def fixed_clock(clock: Callable[[], dt.datetime]) -> Iterator[None]:
    """Let a deterministic writer (the demo generator) choose every timestamp it writes."""
    global _clock
    previous, _clock = _clock, clock
    try:
        yield
    finally:
        _clock = previous


def to_json(value: object) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def chain_head(conn: sqlite3.Connection) -> tuple[int, str]:
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)


class ChainWriter:
    """Builds and writes chained entries; keeps the head so bulk writers avoid a read per row."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.seq, self.head = chain_head(conn)

    def entry(
        self,
        actor: Actor,
        action: str,
        entity: str,
        entity_id: object = None,
        *,
        before: object = None,
        after: object = None,
        journal_id: int | None = None,
        journal_digest: str | None = None,
        ts: str | None = None,
    ) -> tuple:
        """Return the row tuple (columns of AUDIT_COLUMNS, then hash) and advance the head."""
        self.seq += 1
        values = {
            "seq": self.seq,
            "ts": ts or utc_now(),
            "user_id": actor.user_id,
            "username": actor.username,
            "action": action,
            "entity": entity,
            "entity_id": None if entity_id is None else str(entity_id),
            "before": to_json(before),
            "after": to_json(after),
            "journal_id": journal_id,
            "journal_digest": journal_digest,
            "prev_hash": self.head,
        }
        self.head = entry_hash(values)
        return (*values.values(), self.head)

    def write(self, rows: list[tuple]) -> None:
        self.conn.executemany(_INSERT, rows)


def append(conn: sqlite3.Connection, actor: Actor, action: str, entity: str, entity_id: object = None,
           **kwargs: object) -> str:
    """Write one audit entry inside the caller's transaction; return the new chain head."""
    writer = ChainWriter(conn)
    writer.write([writer.entry(actor, action, entity, entity_id, **kwargs)])  # type: ignore[arg-type]
    return writer.head
