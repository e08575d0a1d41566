"""Seed data from db/seed: the chart of accounts and the default savings products.

Idempotent (rows already present by code are left alone), so set-up and a migration that
brings new seed rows to an existing book use the same code and the same files.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from bmt_desktop.locator import db_dir


def _rows(name: str) -> list[dict[str, str]]:
    path: Path = db_dir() / "seed" / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def chart_rows() -> list[dict[str, str]]:
    return _rows("chart_of_accounts.csv")


def seed_chart(conn: sqlite3.Connection) -> int:
    """Insert the accounts not yet in the book (parents come before children in the file)."""
    added = 0
    for row in chart_rows():
        if conn.execute("SELECT 1 FROM account WHERE code = ?", (row["code"],)).fetchone():
            continue
        parent = row["parent"].strip()
        parent_id = None
        if parent:
            parent_id = conn.execute("SELECT id FROM account WHERE code = ?",
                                     (parent,)).fetchone()[0]
        conn.execute(
            "INSERT INTO account (code, name, type, normal_side, fund, parent_id, is_header, "
            "is_contra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (row["code"], row["name"], row["type"], row["normal_side"], row["fund"], parent_id,
             int(row["is_header"]), int(row["is_contra"])),
        )
        added += 1
    return added


def seed_savings_products(conn: sqlite3.Connection) -> int:
    added = 0
    for row in _rows("savings_products.csv"):
        if conn.execute("SELECT 1 FROM savings_product WHERE code = ?", (row["code"],)).fetchone():
            continue
        (account_id,) = conn.execute("SELECT id FROM account WHERE code = ?",
                                     (row["account"],)).fetchone()
        conn.execute(
            "INSERT INTO savings_product (code, name, kind, account_id, fixed_amount, "
            "min_balance, admin_fee, dormant_days, nisbah_pct, term_months, early_penalty_pct) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row["code"], row["name"], row["kind"], account_id, int(row["fixed_amount"]),
             int(row["min_balance"]), int(row["admin_fee"]), int(row["dormant_days"]),
             int(row["nisbah_pct"]), int(row["term_months"]) if row["term_months"] else None,
             int(row["early_penalty_pct"])),
        )
        added += 1
    return added


def seed_financing_products(conn: sqlite3.Connection) -> int:
    added = 0
    columns = ("code", "name", "akad", "method", "min_rate_bp", "max_rate_bp", "min_nisbah_pct",
               "max_nisbah_pct", "min_tenor_months", "max_tenor_months", "min_amount",
               "max_amount", "frequencies", "rounding_unit", "admin_fee", "tazir_amount",
               "collateral_required", "for_kube", "for_individual")
    for row in _rows("financing_products.csv"):
        if conn.execute("SELECT 1 FROM financing_product WHERE code = ?",
                        (row["code"],)).fetchone():
            continue
        values = [row[c].replace(";", ",") if c == "frequencies" else row[c] for c in columns]
        conn.execute(f"INSERT INTO financing_product ({', '.join(columns)}) "
                     f"VALUES ({', '.join('?' for _c in columns)})", values)
        added += 1
    return added
