"""A book made before members and savings (schema 1) upgrades whole, with its seed rows."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.locator import db_dir
from bmt_desktop.services.auth import login
from bmt_desktop.services.ledger import post_journal
from bmt_desktop.services.setup import init_book
from bmt_desktop.store import migrations
from bmt_desktop.store import seed as store_seed
from bmt_desktop.store.book import open_book
from bmt_desktop.store.verify import verify_book
from tests.conftest import TODAY


def test_schema_1_book_upgrades_with_products_and_old_hashes_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a book made by a program that knew only migration 0001
    only_first = tmp_path / "db"
    (only_first / "migrations").mkdir(parents=True)
    shutil.copy(db_dir() / "migrations" / "0001_core.sql", only_first / "migrations")
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "db_dir", lambda: only_first)
        patch.setattr(store_seed, "seed_savings_products", lambda conn: 0)
        path = tmp_path / "lama.bmt"
        book = init_book(path, office_name="BMT Lama", admin_username="admin",
                         admin_password="rahasia-123")
        assert book.schema_version == 1
        from bmt_desktop.services.auth import create_user

        create_user(login(book, "admin", "rahasia-123"), "manajer", "M", "manager",
                    "rahasia-123")
        manager = login(book, "manajer", "rahasia-123")
        manager.today = TODAY
        post_journal(manager, TODAY, "Jurnal lama", [LineSpec("101", debit=7000),
                                                     LineSpec("301", credit=7000)])
        book.close()
    # When today's program opens it
    upgraded = open_book(path)
    try:
        assert upgraded.schema_version == migrations.latest_version()
        codes = {r[0] for r in upgraded.raw().execute("SELECT code FROM savings_product")}
        assert {"SP", "SW", "SS", "TM", "DM"} <= codes
    finally:
        upgraded.close()
    # Then the old journal still verifies, and the pre-upgrade copy is beside it
    assert verify_book(path).ok
    (copy,) = path.parent.glob("lama.bmt.sebelum-v*.bak")
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
    conn.close()
