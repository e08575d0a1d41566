"""Numbered SQL migrations from db/migrations, run at open, each in its own transaction."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bmt_desktop import __version__
from bmt_desktop.locator import db_dir

# "BMTD": written into the SQLite header so any other SQLite file is recognised as not a book.
APPLICATION_ID = 0x424D5444

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def available_migrations(folder: Path | None = None) -> list[Migration]:
    folder = folder or db_dir() / "migrations"
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), path))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 0001, 0002, … without gaps: {versions}")
    return found


def latest_version() -> int:
    migrations = available_migrations()
    return migrations[-1].version if migrations else 0


def current_version(conn: sqlite3.Connection) -> int:
    row = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if row is None:
        return 0
    (version,) = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(version)


def apply_migration(conn: sqlite3.Connection, migration: Migration) -> None:
    """Run one migration atomically: its SQL, its data step and its version row commit together.

    A data step (``migration_data.STEPS[version]``) fills in rows from db/seed for books that
    already have the data the step builds on; new books get the same rows at set-up.
    """
    from bmt_desktop.store.migration_data import STEPS

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    script = (
        "BEGIN IMMEDIATE;\n"
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
        "applied_at TEXT NOT NULL, app_version TEXT NOT NULL);\n"
        f"{migration.sql()}\n;\n"
        f"INSERT INTO schema_version VALUES ({migration.version}, '{now}', '{__version__}');\n"
        f"PRAGMA application_id = {APPLICATION_ID};\n"
    )
    try:
        conn.executescript(script)  # leaves the transaction open
        step = STEPS.get(migration.version)
        if step is not None:
            step(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def pending(conn: sqlite3.Connection) -> list[Migration]:
    version = current_version(conn)
    return [m for m in available_migrations() if m.version > version]
