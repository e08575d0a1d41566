"""A real book written by the schema-1 program (tests/data/schema1.bmt, made by the commit
before migration 0002) upgrades whole: new tables, its seed rows, old hashes intact."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.services import drawer, savings
from bmt_desktop.services.auth import login
from bmt_desktop.services.ledger import post_journal
from bmt_desktop.services.members import MemberInput, register_member
from bmt_desktop.store import migrations
from bmt_desktop.store.book import open_book
from bmt_desktop.store.verify import verify_book
from tests.conftest import TODAY

SCHEMA_1 = Path(__file__).parent / "data" / "schema1.bmt"


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    finally:
        conn.close()


def test_schema_1_book_upgrades_and_keeps_working(tmp_path: Path) -> None:
    # Given a copy of a book made by the schema-1 program
    path = tmp_path / "lama.bmt"
    shutil.copyfile(SCHEMA_1, path)
    assert _version(path) == 1 and verify_book(path).ok
    # When today's program opens it
    book = open_book(path)
    try:
        assert book.schema_version == migrations.latest_version()
        conn = book.raw()
        codes = {r[0] for r in conn.execute("SELECT code FROM savings_product")}
        assert {"SP", "SW", "SS", "TM", "DM"} <= codes
        assert conn.execute("SELECT 1 FROM account WHERE code = '106'").fetchone()
        # Then old and new work live side by side
        manager = login(book, "manajer", "rahasia-123")
        manager.today = TODAY
        post_journal(manager, TODAY, "Jurnal baru", [LineSpec("101", debit=1000),
                                                     LineSpec("309", credit=1000)])
        member = register_member(manager, MemberInput(
            name="Anggota Baru", nik="3601145406791782", sex="P"))
        account = savings.open_account(manager, member.id, "SS")
        drawer.open_drawer(manager, 100_000)
        savings.deposit(manager, account.number, 50_000)
    finally:
        book.close()
    report = verify_book(path)
    assert report.ok, report.problems
    assert report.journals == 5  # two old, one general, the drawer opening, the deposit
    # and the untouched schema-1 copy lies beside it
    (copy,) = path.parent.glob("lama.bmt.sebelum-v*.bak")
    assert _version(copy) == 1
