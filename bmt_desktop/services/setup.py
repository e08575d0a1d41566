"""Create an office's book: schema, office profile, chart of accounts, first administrator."""

from __future__ import annotations

from pathlib import Path

from bmt_desktop.domain.journal_rules import check_text
from bmt_desktop.domain.permissions import Role
from bmt_desktop.i18n import _
from bmt_desktop.services.auth import insert_user
from bmt_desktop.store import seed as store_seed
from bmt_desktop.store.audit import SYSTEM, Actor, append, utc_now
from bmt_desktop.store.book import Book, create_book
from bmt_desktop.store.models import Office


def seed_chart(book: Book, actor: Actor) -> int:
    """Chart of accounts and default savings products from db/seed, audited as one entry."""
    conn = book.raw()
    accounts = store_seed.seed_chart(conn)
    products = store_seed.seed_savings_products(conn)
    financing = store_seed.seed_financing_products(conn)
    append(conn, actor, "chart.seed", "account", None,
           after={"accounts": accounts, "savings_products": products,
                  "financing_products": financing})
    return accounts


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
