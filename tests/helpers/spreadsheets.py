"""Real XLSX files made with openpyxl for the import tests, and a snapshot of what a book
holds, to prove that a refused import writes nothing."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from openpyxl import Workbook, load_workbook

from bmt_desktop.services.ledger import current_chain_head
from bmt_desktop.store.book import Book

COUNTED = ("journal", "journal_line", "audit_log", "member", "savings_account", "financing",
           "financing_schedule", "financing_share", "kube_meeting", "kube_attendance",
           "field_sheet", "doc_sequence")


def xlsx(*sheets: tuple[str, Sequence[Sequence[object]]]) -> bytes:
    """A workbook with one sheet per (name, rows)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edit(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    """Open an XLSX, change it as a person would in Excel, save it again."""
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def snapshot(book: Book) -> tuple:
    conn = book.raw()
    return (current_chain_head(book),
            tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED),
            tuple(conn.execute("SELECT code, balance FROM account ORDER BY code")),
            tuple(conn.execute("SELECT id, balance FROM savings_account ORDER BY id")),
            tuple(conn.execute("SELECT id, imported_at FROM field_sheet ORDER BY id")))
