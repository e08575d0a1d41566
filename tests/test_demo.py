"""The demo book: deterministic per seed, whole, with demo users and closed periods."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from bmt_desktop.domain.errors import AuthenticationError, PeriodClosedError
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.domain.permissions import Role
from bmt_desktop.services.auth import login
from bmt_desktop.services.demo import DEMO_PASSWORD, DEMO_USERS, build_demo
from bmt_desktop.services.ledger import closed_until, current_chain_head, post_journal
from bmt_desktop.services.office import get_profile
from bmt_desktop.store.book import open_book
from bmt_desktop.store.verify import verify_book

END = dt.date(2026, 11, 29)


def _build(path: Path, seed: int) -> str:
    result = build_demo(path, members=30, years=1, seed=seed, end=END)
    try:
        assert result.members == 30 and result.journals > 0
        return result.chain_head
    finally:
        result.book.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("demo") / "demo.bmt"
    return path, _build(path, 7)


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_same_seed_same_book(demo: tuple[Path, str], tmp_path: Path) -> None:
    path, head = demo
    again = tmp_path / "lagi.bmt"
    assert _build(again, 7) == head
    for sql in (
        "SELECT * FROM member ORDER BY id",
        "SELECT * FROM journal ORDER BY id",
        "SELECT * FROM journal_line ORDER BY id",
        "SELECT seq, hash FROM audit_log ORDER BY seq",
        "SELECT code, balance FROM account ORDER BY code",
    ):
        assert _rows(path, sql) == _rows(again, sql), sql
    assert verify_book(again).chain_head == head


def test_other_seed_other_book(demo: tuple[Path, str], tmp_path: Path) -> None:
    path, head = demo
    other = tmp_path / "lain.bmt"
    assert _build(other, 8) != head
    assert _rows(path, "SELECT * FROM member ORDER BY id") != _rows(
        other, "SELECT * FROM member ORDER BY id"
    )


def test_demo_book_verifies(demo: tuple[Path, str]) -> None:
    path, head = demo
    report = verify_book(path)
    assert report.ok, report.problems
    assert report.chain_head == head
    (members,) = _rows(path, "SELECT count(*) FROM member")[0]
    assert members == 30
    balances = _rows(path, "SELECT sum(balance) FROM account")[0][0]
    assert balances == 0
    # Maal money never meets income or expense in one journal
    assert _rows(
        path,
        "SELECT count(*) FROM journal_line l1 JOIN account a1 ON a1.id = l1.account_id "
        "JOIN journal_line l2 ON l2.journal_id = l1.journal_id "
        "JOIN account a2 ON a2.id = l2.account_id "
        "WHERE a1.fund = 'maal' AND a2.type IN ('income', 'expense')",
    )[0][0] == 0
    # every journal is dated within the demo's history
    first, last = _rows(path, "SELECT min(date), max(date) FROM journal")[0]
    assert dt.date(2025, 11, 1) <= dt.date.fromisoformat(first)
    assert dt.date.fromisoformat(last) <= END


def test_demo_users_office_and_closed_periods(demo: tuple[Path, str], tmp_path: Path) -> None:
    path = tmp_path / "demo.bmt"
    shutil.copyfile(demo[0], path)  # this test writes: keep the shared demo book untouched
    with open_book(path) as book:
        assert get_profile(book).is_demo is True
        for username, _full_name, role in DEMO_USERS:
            session = login(book, username, DEMO_PASSWORD)
            assert session.role == Role(role)
        with pytest.raises(AuthenticationError):
            login(book, "admin", "salah-sandi")
        closed = closed_until(book)
        assert closed is not None
        assert closed == dt.date(2026, 9, 30)  # every month but the last two
        assert len(_rows(path, "SELECT id FROM period_close")) == 11
        manager = login(book, "manajer", DEMO_PASSWORD)
        manager.today = END
        before = current_chain_head(book)
        (journals,) = book.raw().execute("SELECT count(*) FROM journal").fetchone()
        with pytest.raises(PeriodClosedError):
            post_journal(manager, closed, "Ke periode tutup",
                         [LineSpec("101", debit=1_000), LineSpec("301", credit=1_000)])
        assert current_chain_head(book) == before
        assert book.raw().execute("SELECT count(*) FROM journal").fetchone()[0] == journals
        # the open period still takes postings
        post_journal(manager, closed + dt.timedelta(days=1), "Periode terbuka",
                     [LineSpec("101", debit=1_000), LineSpec("301", credit=1_000)])
    assert verify_book(path).ok
