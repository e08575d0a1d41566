"""The teller's cash drawer: opening, counting, closing, differences and their approval."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.services import drawer
from bmt_desktop.services.ledger import current_chain_head, reverse_journal
from bmt_desktop.services.members import MemberInput, register_member
from bmt_desktop.services.savings import deposit, open_account, withdraw
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from bmt_desktop.store.verify import verify_book
from tests.conftest import TODAY

SITI_NIK = "3601145406791782"  # a woman born 14-06-1979
TABLES = ("journal", "journal_line", "audit_log", "teller_drawer", "doc_sequence")


def snapshot(book: Book) -> tuple:
    conn = book.raw()
    return (
        current_chain_head(book),
        tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES),
        tuple(conn.execute("SELECT code, balance FROM account ORDER BY code")),
        tuple(conn.execute("SELECT * FROM teller_drawer ORDER BY id")),
    )


def account_balance(book: Book, code: str) -> int:
    (value,) = book.raw().execute("SELECT balance FROM account WHERE code = ?",
                                  (code,)).fetchone()
    return int(value)


def closing_journal(book: Book, drawer_id: int) -> dict[str, tuple[int, int]]:
    """The KS journal of a drawer: (debit, credit) by account code."""
    rows = book.raw().execute(
        "SELECT a.code, l.debit, l.credit FROM journal j JOIN journal_line l "
        "ON l.journal_id = j.id JOIN account a ON a.id = l.account_id "
        "WHERE j.drawer_id = ? AND j.doc_kind = 'KS' ORDER BY l.line_no", (drawer_id,)
    ).fetchall()
    return {code: (debit, credit) for code, debit, credit in rows}


@pytest.fixture
def sukarela(teller: Session) -> str:
    """Siti's sukarela account."""
    member = register_member(teller, MemberInput(name="Siti Rühmah", nik=SITI_NIK))
    return open_account(teller, member.id, "SS").number


# ---------------------------------------------------------------------------- opening
def test_opening_moves_counted_cash_from_the_vault(
    teller: Session, book: Book, book_path: Path
) -> None:
    state = drawer.open_drawer(teller, 1_000_000)

    assert (state.status, state.business_date, state.teller) == ("buka", "2026-11-29", "kasir")
    assert (state.opening_cash, state.cash_in, state.cash_out, state.expected_cash) == (
        1_000_000, 0, 0, 1_000_000)
    assert account_balance(book, "102") == 1_000_000
    assert account_balance(book, "101") == -1_000_000
    assert drawer.current_drawer(teller) == state
    assert verify_book(book_path).ok


def test_a_second_drawer_is_refused_while_one_is_open(teller: Session, book: Book) -> None:
    drawer.open_drawer(teller, 500_000)
    before = snapshot(book)

    with pytest.raises(ValidationError):
        drawer.open_drawer(teller, 500_000)
    with pytest.raises(ValidationError):
        drawer.open_drawer(teller, 0)

    assert snapshot(book) == before


def test_opening_cash_must_be_whole_rupiah(teller: Session, book: Book) -> None:
    before = snapshot(book)
    for cash in (-1, 1.5, True, "1000", None, 10**16):
        with pytest.raises(ValidationError):
            drawer.open_drawer(teller, cash)  # type: ignore[arg-type]
    assert snapshot(book) == before


def test_opening_twice_with_the_same_request_opens_once(teller: Session, book: Book) -> None:
    first = drawer.open_drawer(teller, 300_000, request_id="buka-1")
    before = snapshot(book)

    again = drawer.open_drawer(teller, 300_000, request_id="buka-1")

    assert again == first
    assert snapshot(book) == before


def test_auditor_cannot_operate_a_drawer(auditor: Session, book: Book) -> None:
    before = snapshot(book)
    with pytest.raises(PermissionDenied):
        drawer.open_drawer(auditor, 100_000)
    assert snapshot(book) == before


# ---------------------------------------------------------------------------- closing
def test_an_exact_count_closes_the_drawer_and_returns_the_cash_to_the_vault(
    teller: Session, book: Book, book_path: Path, sukarela: str
) -> None:
    teller_cash_before = account_balance(book, "102")
    vault_before = account_balance(book, "101")
    opened = drawer.open_drawer(teller, 1_000_000)
    deposit(teller, sukarela, 250_000)
    withdraw(teller, sukarela, 100_000)

    state = drawer.close_drawer(teller, {100_000: 11, 50_000: 1})  # 1.150.000

    assert state.status == "tutup"
    assert (state.expected_cash, state.counted_cash, state.difference) == (1_150_000,
                                                                          1_150_000, 0)
    assert closing_journal(book, opened.id) == {"101": (1_150_000, 0), "102": (0, 1_150_000)}
    assert account_balance(book, "102") == teller_cash_before
    assert account_balance(book, "101") == vault_before + 150_000
    assert drawer.current_drawer(teller) is None
    assert drawer.pending_approvals(teller) == []
    (status, approved_by) = book.raw().execute(
        "SELECT status, approved_by FROM teller_drawer WHERE id = ?", (opened.id,)).fetchone()
    assert (status, approved_by) == ("tutup", None)
    # A new drawer may be opened afterwards
    assert drawer.open_drawer(teller, 0).status == "buka"
    assert verify_book(book_path).ok


def test_an_empty_drawer_closes_without_a_journal(teller: Session, book: Book) -> None:
    opened = drawer.open_drawer(teller, 0)

    state = drawer.close_drawer(teller, {})

    assert state.status == "tutup"
    assert closing_journal(book, opened.id) == {}


@pytest.mark.parametrize(("counts", "difference"), [
    ({100_000: 11, 20_000: 1, 10_000: 1}, -20_000),  # short
    ({100_000: 12, 500: 1}, 50_500),  # over
])
def test_a_difference_waits_for_a_manager_and_goes_to_account_106(
    teller: Session, manager: Session, book: Book, book_path: Path, sukarela: str,
    counts: dict[int, int], difference: int,
) -> None:
    opened = drawer.open_drawer(teller, 1_000_000)
    deposit(teller, sukarela, 150_000)  # expected 1.150.000

    state = drawer.close_drawer(teller, counts)

    assert state.status == "menunggu"
    assert state.difference == difference
    assert state.counted_cash == 1_150_000 + difference
    assert [p.id for p in drawer.pending_approvals(manager)] == [opened.id]
    assert closing_journal(book, opened.id) == {}  # nothing moves before approval
    # The teller may neither approve nor go on working
    before = snapshot(book)
    with pytest.raises(PermissionDenied):
        drawer.approve_difference(teller, opened.id)
    with pytest.raises(ValidationError):
        deposit(teller, sukarela, 10_000)
    with pytest.raises(ValidationError):
        drawer.open_drawer(teller, 0)
    assert snapshot(book) == before

    approved = drawer.approve_difference(manager, opened.id)

    assert approved.status == "tutup"
    journal = closing_journal(book, opened.id)
    assert journal["101"] == (1_150_000 + difference, 0)
    assert journal["102"] == (0, 1_150_000)
    if difference < 0:
        assert journal["106"] == (-difference, 0)  # short: debit
    else:
        assert journal["106"] == (0, difference)  # over: credit
    assert account_balance(book, "106") == -difference
    assert account_balance(book, "102") == 0
    (approved_by,) = book.raw().execute(
        "SELECT approved_by FROM teller_drawer WHERE id = ?", (opened.id,)).fetchone()
    assert approved_by == manager.user_id
    with pytest.raises(ValidationError):  # decided once
        drawer.approve_difference(manager, opened.id)
    assert verify_book(book_path).ok


def test_a_manager_cannot_approve_the_difference_of_an_own_drawer(
    manager: Session, book: Book
) -> None:
    opened = drawer.open_drawer(manager, 200_000)
    drawer.close_drawer(manager, {100_000: 1})
    before = snapshot(book)

    with pytest.raises(PermissionDenied):
        drawer.approve_difference(manager, opened.id)

    assert snapshot(book) == before


BAD_COUNTS = {
    "Rp1.500 is no note": {1_500: 1},
    "Rp75.000 is no note": {75_000: 1},
    "zero denomination": {0: 3},
    "negative pieces": {100_000: -1},
    "fractional pieces": {100_000: 2.5},
    "pieces as text": {100_000: "10"},
    "pieces as True": {100_000: True},
    "pieces None": {100_000: None},
    "denomination as text": {"100000": 10},
    "too many pieces": {100: 1_000_001},
}


def test_a_bad_count_is_refused_and_the_drawer_stays_open(
    teller: Session, book: Book
) -> None:
    drawer.open_drawer(teller, 1_000_000)
    before = snapshot(book)
    accepted = []

    for case, counts in BAD_COUNTS.items():
        try:
            drawer.close_drawer(teller, counts)
        except ValidationError:
            pass
        else:
            accepted.append(case)

    assert accepted == []
    assert snapshot(book) == before
    assert drawer.current_drawer(teller).status == "buka"


def test_closing_without_an_open_drawer_is_refused(teller: Session, book: Book) -> None:
    before = snapshot(book)
    with pytest.raises(ValidationError):
        drawer.close_drawer(teller, {100_000: 1})
    assert snapshot(book) == before


# ------------------------------------------------------------------------ the next day
def test_a_drawer_left_open_yesterday_blocks_today(
    teller: Session, book: Book, book_path: Path, sukarela: str
) -> None:
    drawer.open_drawer(teller, 1_000_000)
    deposit(teller, sukarela, 100_000)
    teller.today = TODAY + dt.timedelta(days=1)
    before = snapshot(book)

    with pytest.raises(ValidationError, match="29 November 2026") as refused:
        deposit(teller, sukarela, 50_000)
    assert "laci" in str(refused.value).lower()
    with pytest.raises(ValidationError):
        withdraw(teller, sukarela, 50_000)
    with pytest.raises(ValidationError):
        drawer.open_drawer(teller, 1_000_000)
    assert snapshot(book) == before

    # Closing yesterday's drawer lets today's work begin
    assert drawer.close_drawer(teller, {100_000: 11}).status == "tutup"
    assert account_balance(book, "102") == 0
    assert drawer.open_drawer(teller, 500_000).business_date == "2026-11-30"
    deposit(teller, sukarela, 50_000)
    assert verify_book(book_path).ok


def test_each_teller_has_an_own_drawer(
    teller: Session, manager: Session, book: Book, sukarela: str
) -> None:
    drawer.open_drawer(teller, 100_000)
    before = snapshot(book)
    with pytest.raises(ValidationError):  # the manager's drawer is not open
        deposit(manager, sukarela, 10_000)
    assert snapshot(book) == before
    drawer.open_drawer(manager, 200_000)
    deposit(manager, sukarela, 10_000)
    assert drawer.current_drawer(manager).cash_in == 10_000
    assert drawer.current_drawer(teller).cash_in == 0


# --------------------------------------------------------------------------- corrections
def test_a_reversed_deposit_leaves_the_drawer_in_step_with_kas_teller(
    teller: Session, manager: Session, book: Book, book_path: Path, sukarela: str
) -> None:
    """The manager reverses a mistaken deposit and the money goes back to the member: the
    drawer holds its opening cash again and closes exactly, and Kas Teller ends at zero."""
    opened = drawer.open_drawer(teller, 1_000_000)
    wrong = deposit(teller, sukarela, 50_000)
    reverse_journal(manager, wrong.id, "Salah rekening")
    assert account_balance(book, "102") == 1_000_000

    state = drawer.close_drawer(teller, {100_000: 10})

    assert drawer.current_drawer(teller) is None, state
    assert state.status == "tutup"
    assert account_balance(book, "102") == 0
    assert account_balance(book, "106") == 0
    assert closing_journal(book, opened.id) == {"101": (1_000_000, 0), "102": (0, 1_000_000)}
    assert verify_book(book_path).ok
