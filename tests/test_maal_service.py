"""Baitul Maal at the counter: zakat, infak and sedekah in; approved distributions out."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.services import drawer, maal
from bmt_desktop.services.ledger import current_chain_head
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from bmt_desktop.store.verify import verify_book

TABLES = ("journal", "journal_line", "audit_log", "maal_distribution", "doc_sequence")


def snapshot(book: Book) -> tuple:
    conn = book.raw()
    return (
        current_chain_head(book),
        tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES),
        tuple(conn.execute("SELECT code, balance FROM account ORDER BY code")),
        tuple(conn.execute("SELECT * FROM maal_distribution ORDER BY id")),
    )


def balances_of_type(book: Book, kind: str) -> dict[str, int]:
    return dict(book.raw().execute(
        "SELECT code, balance FROM account WHERE type = ? ORDER BY code", (kind,)))


def account_balance(book: Book, code: str) -> int:
    (value,) = book.raw().execute("SELECT balance FROM account WHERE code = ?",
                                  (code,)).fetchone()
    return int(value)


@pytest.fixture
def counter(teller: Session) -> Session:
    """The teller with an open drawer."""
    drawer.open_drawer(teller, 500_000)
    return teller


@pytest.fixture
def zakat_fund(counter: Session) -> Session:
    """Rp1.000.000 of zakat received."""
    maal.receive(counter, "zakat", "H. Dadang", 1_000_000)
    return counter


# ---------------------------------------------------------------------------- receiving
@pytest.mark.parametrize(("fund", "code"), [
    ("zakat", "241"), ("infak", "242"), ("sedekah", "242"), ("kebajikan", "243")])
def test_receipts_go_to_the_maal_fund_never_to_income(
    counter: Session, book: Book, book_path: Path, fund: str, code: str
) -> None:
    income = balances_of_type(book, "income")
    expense = balances_of_type(book, "expense")

    posted = maal.receive(counter, fund, "Bu Imas", "Rp250.000")

    assert posted.total == 250_000
    assert posted.doc_number.startswith("KW-2026-")
    assert maal.fund_balance(counter, fund) == 250_000
    assert account_balance(book, code) == -250_000  # a credit balance: money held in trust
    assert balances_of_type(book, "income") == income
    assert balances_of_type(book, "expense") == expense
    assert drawer.current_drawer(counter).cash_in == 250_000
    assert verify_book(book_path).ok


def test_infak_and_sedekah_share_one_fund(counter: Session) -> None:
    maal.receive(counter, "infak", "Jamaah Jumat", 120_000)
    maal.receive(counter, "sedekah", "Hamba Allah", 30_000)

    assert maal.fund_balance(counter, "infak") == 150_000
    assert maal.fund_balance(counter, "sedekah") == 150_000
    assert maal.fund_balance(counter, "zakat") == 0


BAD_RECEIPTS = [
    ("wakaf", "Pak Haji", 100_000),
    ("Zakat", "Pak Haji", 100_000),
    ("", "Pak Haji", 100_000),
    ("zakat", "", 100_000),
    ("zakat", "x" * 101, 100_000),
    ("zakat", "Pak\x00Haji", 100_000),
    ("zakat", "Pak Haji", 0),
    ("zakat", "Pak Haji", -5_000),
    ("zakat", "Pak Haji", 2.5),
    ("zakat", "Pak Haji", True),
]


def test_bad_receipts_are_refused_and_nothing_written(counter: Session, book: Book) -> None:
    before = snapshot(book)
    for fund, payer, amount in BAD_RECEIPTS:
        with pytest.raises(ValidationError):
            maal.receive(counter, fund, payer, amount)
    assert snapshot(book) == before


def test_receiving_needs_an_open_drawer(teller: Session, book: Book) -> None:
    before = snapshot(book)
    with pytest.raises(ValidationError):
        maal.receive(teller, "zakat", "Pak Haji", 100_000)
    assert snapshot(book) == before


def test_an_unknown_fund_is_refused_everywhere(zakat_fund: Session, book: Book) -> None:
    before = snapshot(book)
    with pytest.raises(ValidationError):
        maal.fund_balance(zakat_fund, "wakaf")
    with pytest.raises(ValidationError):
        maal.propose(zakat_fund, "modal", "Pak Udin", "Modal usaha", 10_000)
    assert snapshot(book) == before


# ------------------------------------------------------------------------ distributions
def test_a_proposal_above_what_the_fund_holds_is_refused(
    zakat_fund: Session, book: Book
) -> None:
    before = snapshot(book)

    with pytest.raises(ValidationError, match="1.000.000"):
        maal.propose(zakat_fund, "zakat", "Mak Onah", "Biaya berobat", 1_000_001)
    with pytest.raises(ValidationError):  # the infak fund is empty
        maal.propose(zakat_fund, "infak", "Mak Onah", "Biaya berobat", 1)

    assert snapshot(book) == before
    row = maal.propose(zakat_fund, "zakat", "Mak Onah", "Biaya berobat", 1_000_000)
    assert (row.status, row.amount, row.proposed_by) == ("usulan", 1_000_000, "kasir")


def test_a_bad_proposal_is_refused(zakat_fund: Session, book: Book) -> None:
    before = snapshot(book)
    for recipient, purpose, amount in [
        ("", "Biaya berobat", 10_000),
        ("Mak Onah", "", 10_000),
        ("Mak Onah", "x" * 201, 10_000),
        ("Mak Onah", "Biaya berobat", 0),
        ("Mak Onah", "Biaya berobat", "sepuluh ribu"),
    ]:
        with pytest.raises(ValidationError):
            maal.propose(zakat_fund, "zakat", recipient, purpose, amount)
    assert snapshot(book) == before


def test_the_proposer_cannot_decide(
    zakat_fund: Session, manager: Session, book: Book
) -> None:
    by_teller = maal.propose(zakat_fund, "zakat", "Mak Onah", "Biaya berobat", 100_000)
    by_manager = maal.propose(manager, "zakat", "Abah Karta", "Perbaikan rumah", 200_000)
    before = snapshot(book)

    with pytest.raises(PermissionDenied):  # a teller never decides
        maal.decide(zakat_fund, by_teller.id, True)
    with pytest.raises(PermissionDenied):  # a manager not on an own proposal
        maal.decide(manager, by_manager.id, True)
    with pytest.raises(PermissionDenied):
        maal.decide(manager, by_manager.id, False, "Tidak layak")

    assert snapshot(book) == before
    approved = maal.decide(manager, by_teller.id, True)
    assert (approved.status, approved.decided_by) == ("disetujui", "manajer")


def test_a_rejection_needs_a_reason(
    zakat_fund: Session, manager: Session, book: Book
) -> None:
    row = maal.propose(zakat_fund, "zakat", "Mak Onah", "Biaya berobat", 100_000)
    before = snapshot(book)

    for reason in ("", "   ", "\x00"):
        with pytest.raises(ValidationError):
            maal.decide(manager, row.id, False, reason)
    assert snapshot(book) == before

    rejected = maal.decide(manager, row.id, False, "Sudah dibantu desa")

    assert (rejected.status, rejected.reason) == ("ditolak", "Sudah dibantu desa")
    with pytest.raises(ValidationError):  # decided once
        maal.decide(manager, row.id, True)
    with pytest.raises(ValidationError):
        maal.decide(manager, 999, True)


def test_only_an_approved_distribution_is_paid(
    zakat_fund: Session, manager: Session, book: Book
) -> None:
    proposed = maal.propose(zakat_fund, "zakat", "Mak Onah", "Biaya berobat", 100_000)
    rejected = maal.propose(zakat_fund, "zakat", "Abah Karta", "Rokok", 50_000)
    maal.decide(manager, rejected.id, False, "Bukan mustahik")
    before = snapshot(book)

    for distribution_id in (proposed.id, rejected.id, 999):
        with pytest.raises(ValidationError):
            maal.pay(zakat_fund, distribution_id)

    assert snapshot(book) == before


def test_paying_reduces_the_fund_and_the_drawer(
    zakat_fund: Session, manager: Session, book: Book, book_path: Path
) -> None:
    row = maal.propose(zakat_fund, "zakat", "Mak Onah", "Biaya berobat", 300_000)
    maal.decide(manager, row.id, True)
    cash_before = drawer.current_drawer(zakat_fund).expected_cash
    income = balances_of_type(book, "income")

    posted = maal.pay(zakat_fund, row.id, request_id="bayar-1")

    assert posted.total == 300_000
    assert maal.fund_balance(zakat_fund, "zakat") == 700_000
    state = drawer.current_drawer(zakat_fund)
    assert state.expected_cash == cash_before - 300_000
    assert state.cash_out == 300_000
    assert balances_of_type(book, "income") == income
    (paid,) = maal.distributions(zakat_fund, "dibayar")
    assert paid.id == row.id
    # The same button pressed again pays nothing more; another payment is refused
    before = snapshot(book)
    assert maal.pay(zakat_fund, row.id, request_id="bayar-1").doc_number == posted.doc_number
    assert snapshot(book) == before
    with pytest.raises(ValidationError):
        maal.pay(zakat_fund, row.id)
    assert snapshot(book) == before
    assert verify_book(book_path).ok


def test_approved_distributions_never_overdraw_the_fund(
    zakat_fund: Session, manager: Session, book: Book
) -> None:
    """Two proposals each within the fund, together above it: the fund may not go below
    zero (Maal money given out must first have been received)."""
    first = maal.propose(zakat_fund, "zakat", "Mak Onah", "Biaya berobat", 800_000)
    second = maal.propose(zakat_fund, "zakat", "Abah Karta", "Perbaikan rumah", 800_000)
    maal.decide(manager, first.id, True)
    maal.pay(zakat_fund, first.id)
    before = snapshot(book)

    with pytest.raises(ValidationError):
        maal.decide(manager, second.id, True)
        maal.pay(zakat_fund, second.id)

    assert maal.fund_balance(zakat_fund, "zakat") == 200_000
    assert snapshot(book)[2] == before[2]  # no account moved
