"""Data steps that run inside a migration's transaction, after its SQL.

A book created before a migration gets the new seed rows here; a book created after gets
them at set-up. Both read the same files in db/seed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from bmt_desktop.store.seed import seed_chart, seed_financing_products, seed_savings_products


def _has_chart(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM account LIMIT 1").fetchone() is not None


def _members_and_savings(conn: sqlite3.Connection) -> None:
    if _has_chart(conn):
        seed_chart(conn)
        seed_savings_products(conn)


def _kube(conn: sqlite3.Connection) -> None:
    if _has_chart(conn):
        seed_chart(conn)  # the IKS and group-savings accounts


def _financing(conn: sqlite3.Connection) -> None:
    if _has_chart(conn):
        seed_chart(conn)  # the SHU funds and the members' SHU payable
        seed_financing_products(conn)


STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {
    2: _members_and_savings,
    3: _kube,
    5: _financing,
}
