"""Restore puts a verified backup in place and keeps the replaced book aside."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bmt_desktop.domain.errors import BookError, BookLockedError
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.services import ledger, maintenance
from bmt_desktop.services.session import Session
from bmt_desktop.store.backup import restore_backup
from bmt_desktop.store.book import Book, open_book
from bmt_desktop.store.verify import verify_book
from tests.conftest import TODAY


def _journals(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    finally:
        conn.close()


def _post(session: Session, amount: int) -> None:
    ledger.post_journal(session, TODAY, "Setoran", [LineSpec("101", debit=amount),
                                                   LineSpec("301", credit=amount)])


def test_restore_brings_back_the_backup_and_keeps_the_replaced_book(
    book: Book, book_path: Path, manager: Session, admin: Session, tmp_path: Path
) -> None:
    # Given a backup with one journal, and a book that has gone on to two
    _post(manager, 1000)
    backup = maintenance.backup(manager, tmp_path / "cadangan").path
    _post(manager, 2000)
    # When the administrator restores the backup
    result = maintenance.restore(admin, backup)
    # Then the book is the backup again, whole, and the replaced book is kept aside
    assert result.report.ok
    assert _journals(book_path) == 1
    assert result.safety_copy is not None and _journals(result.safety_copy) == 2
    reopened = open_book(book_path)
    try:
        assert reopened.raw().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        reopened.close()


def test_a_tampered_backup_is_refused_and_the_book_left_alone(
    book: Book, book_path: Path, manager: Session, admin: Session, tmp_path: Path
) -> None:
    _post(manager, 1000)
    backup = maintenance.backup(manager, tmp_path / "cadangan").path
    conn = sqlite3.connect(backup)
    conn.execute("UPDATE account SET balance = balance + 1 WHERE code = '101'")
    conn.commit()
    conn.close()
    with pytest.raises(BookError):
        maintenance.restore(admin, backup)
    # the session's book is still open and usable
    _post(manager, 5)
    assert _journals(book_path) == 2


def test_restore_is_refused_while_another_program_holds_the_book(
    book: Book, book_path: Path, manager: Session, tmp_path: Path
) -> None:
    _post(manager, 1000)
    backup = maintenance.backup(manager, tmp_path / "cadangan").path
    with pytest.raises(BookLockedError):
        restore_backup(backup, book_path)
    assert verify_book(book_path).ok
