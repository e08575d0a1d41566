"""Create an office's book: schema, office profile, chart of accounts, first administrator."""

from __future__ import annotations

import csv
from pathlib import Path

from bmt_desktop.domain.journal_rules import check_text
from bmt_desktop.domain.permissions import Role
from bmt_desktop.i18n import _
from bmt_desktop.locator import db_dir
from bmt_desktop.services.auth import insert_user
from bmt_desktop.store.audit import SYSTEM, Actor, append, utc_now
from bmt_desktop.store.book import Book, create_book
from bmt_desktop.store.models import Account, Office


def chart_rows(path: Path | None = None) -> list[dict[str, str]]:
    path = path or db_dir() / "seed" / "chart_of_accounts.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_chart(book: Book, actor: Actor) -> int:
    """Insert the chart of accounts from db/seed (parents before children)."""
    ids: dict[str, int] = {}
    rows = chart_rows()
    for row in rows:
        parent = row["parent"].strip()
        account = Account.create(
            code=row["code"],
            name=row["name"],
            type=row["type"],
            normal_side=row["normal_side"],
            fund=row["fund"],
            parent=ids[parent] if parent else None,
            is_header=row["is_header"] == "1",
            is_contra=row["is_contra"] == "1",
        )
        ids[row["code"]] = int(account.id)
    append(book.raw(), actor, "chart.seed", "account", None, after={"accounts": len(rows)})
    return len(rows)


def init_book(
    path: str | Path,
    *,
    office_name: str,
    admin_username: str,
    admin_password: str,
    admin_full_name: str = "Administrator",
    registration_number: str = "",
    address: str = "",
    fiscal_year_start_month: int = 1,
    is_demo: bool = False,
) -> Book:
    """Create a new book and return it open for writing; nothing is left behind on failure."""
    name = check_text(office_name, _("Office name"), required=True, limit=200)
    reg = check_text(registration_number, _("Registration number"), limit=100)
    addr = check_text(address, _("Address"), limit=500)
    book = create_book(path)
    try:
        with book.transaction():
            Office.create(
                id=1, name=name, registration_number=reg, address=addr,
                fiscal_year_start_month=fiscal_year_start_month, is_demo=is_demo,
                created_at=utc_now(),
            )
            append(book.raw(), SYSTEM, "office.create", "office", 1,
                   after={"name": name, "registration_number": reg, "address": addr,
                          "fiscal_year_start_month": fiscal_year_start_month, "is_demo": is_demo})
            seed_chart(book, SYSTEM)
            insert_user(book, SYSTEM, admin_username, admin_full_name, Role.ADMIN, admin_password)
    except BaseException:
        book.close()
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    return book
