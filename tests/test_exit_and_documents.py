"""A member's exit, and the teller's papers: receipts, passbook lines, monthly statements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.printing.passbook import PassbookLayout, PassbookPosition
from bmt_desktop.services import documents, drawer
from bmt_desktop.services.ledger import current_chain_head
from bmt_desktop.services.member_exit import exit_member
from bmt_desktop.services.members import MemberInput, get_member, register_member
from bmt_desktop.services.savings import (
    deposit,
    find_account,
    member_accounts,
    open_account,
    pay_wajib,
    transfer,
    wajib_status,
    withdraw,
)
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from bmt_desktop.store.verify import verify_book
from tests.conftest import TODAY

SITI_NIK = "3601145406791782"  # a woman born 14-06-1979
TABLES = ("member", "savings_account", "journal", "journal_line", "audit_log",
          "teller_drawer", "receipt_print", "doc_sequence")


def snapshot(book: Book) -> tuple:
    conn = book.raw()
    return (
        current_chain_head(book),
        tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES),
        tuple(conn.execute("SELECT code, balance FROM account ORDER BY code")),
        tuple(conn.execute("SELECT * FROM savings_account ORDER BY id")),
        tuple(conn.execute("SELECT id, status, exit_date FROM member ORDER BY id")),
    )


@pytest.fixture
def siti(teller: Session) -> dict[str, str]:
    """Siti with pokok, wajib, sukarela and tabungan accounts; the teller's drawer open."""
    member = register_member(teller, MemberInput(name="Siti Rühmah", nik=SITI_NIK))
    accounts = {code: open_account(teller, member.id, code).number
                for code in ("SP", "SW", "SS", "TM")}
    drawer.open_drawer(teller, 1_000_000)
    return accounts


# ---------------------------------------------------------------------------------- exit
@pytest.fixture
def saver(teller: Session, siti: dict[str, str]) -> dict[str, str]:
    """Siti's savings: pokok 100.000, wajib 30.000, sukarela 250.000, tabungan 80.000."""
    deposit(teller, siti["SP"], 100_000)
    pay_wajib(teller, 1, 3)
    deposit(teller, siti["SS"], 250_000)
    deposit(teller, siti["TM"], 80_000)
    return siti


def test_exit_pays_out_every_balance_in_one_journal(
    teller: Session, manager: Session, book: Book, book_path: Path, saver: dict[str, str]
) -> None:
    drawer.open_drawer(manager, 1_000_000)
    journals_before = book.raw().execute("SELECT count(*) FROM journal").fetchone()[0]

    posted = exit_member(manager, 1, "Pindah ke Serang")

    assert posted is not None and posted.total == 460_000
    assert book.raw().execute("SELECT count(*) FROM journal").fetchone()[0] == \
        journals_before + 1
    lines = book.raw().execute(
        "SELECT a.code, l.debit, l.credit, s.number FROM journal_line l JOIN account a "
        "ON a.id = l.account_id LEFT JOIN savings_account s ON s.id = l.savings_account_id "
        "WHERE l.journal_id = ? ORDER BY l.line_no", (posted.id,)).fetchall()
    assert sorted(lines) == sorted([
        ("301", 100_000, 0, saver["SP"]), ("302", 30_000, 0, saver["SW"]),
        ("201", 250_000, 0, saver["SS"]), ("251", 80_000, 0, saver["TM"]),
        ("102", 0, 460_000, None),
    ])
    accounts = member_accounts(teller, 1)
    assert {(a.status, a.balance) for a in accounts} == {("tutup", 0)}
    (closed_on,) = {r[0] for r in book.raw().execute("SELECT closed_on FROM savings_account")}
    assert closed_on == TODAY.isoformat()
    form = get_member(teller, 1)
    assert form.status == "keluar"
    (exit_date,) = book.raw().execute("SELECT exit_date FROM member WHERE id = 1").fetchone()
    assert exit_date == TODAY.isoformat()
    # The cash left the manager's drawer, not the teller's
    assert drawer.current_drawer(manager).cash_out == 460_000
    assert drawer.current_drawer(teller).cash_out == 0
    assert verify_book(book_path).ok


def test_after_the_exit_nothing_more_is_accepted(
    teller: Session, manager: Session, book: Book, book_path: Path, saver: dict[str, str]
) -> None:
    drawer.open_drawer(manager, 1_000_000)
    exit_member(manager, 1, "Meninggal dunia")
    before = snapshot(book)

    with pytest.raises(ValidationError):
        exit_member(manager, 1, "Lagi")
    for post in (lambda: deposit(teller, saver["SS"], 10_000),
                 lambda: withdraw(teller, saver["TM"], 10_000),
                 lambda: transfer(teller, saver["SS"], saver["TM"], 10_000),
                 lambda: pay_wajib(teller, 1, 1),
                 lambda: open_account(teller, 1, "SS")):
        with pytest.raises(ValidationError):
            post()

    assert snapshot(book) == before
    assert verify_book(book_path).ok


def test_exit_needs_a_manager_a_reason_and_the_managers_drawer(
    teller: Session, manager: Session, book: Book, saver: dict[str, str]
) -> None:
    before = snapshot(book)
    with pytest.raises(PermissionDenied):
        exit_member(teller, 1, "Pindah")
    with pytest.raises(ValidationError):
        exit_member(manager, 1, "  ")
    with pytest.raises(ValidationError):  # the manager's drawer is not open
        exit_member(manager, 1, "Pindah")
    with pytest.raises(ValidationError):
        exit_member(manager, 999, "Pindah")
    assert snapshot(book) == before


def test_a_member_who_left_owes_no_wajib(
    teller: Session, manager: Session, saver: dict[str, str]
) -> None:
    """Siti joined this month and paid 3 months of wajib; after the exit paid it back she
    owes nothing (the status must not count the returned wajib as unpaid)."""
    assert wajib_status(teller, 1).arrears_months == 0
    drawer.open_drawer(manager, 1_000_000)

    exit_member(manager, 1, "Pindah ke Serang")

    status = wajib_status(teller, 1)
    assert (status.arrears_months, status.arrears_amount) == (0, 0)


# ------------------------------------------------------------------------------ receipts
def test_a_deposit_receipt_shows_money_in_with_the_balance_after(
    teller: Session, siti: dict[str, str]
) -> None:
    deposit(teller, siti["SS"], 40_000)
    posted = deposit(teller, siti["SS"], 6_000_000)  # far above the stamp-duty threshold

    data = documents.receipt_data(teller, posted.doc_number)

    assert data.number == posted.doc_number
    assert data.date == TODAY
    assert data.direction == "in"
    assert data.amount == 6_000_000
    assert "Siti Rühmah" in data.received_from and "AG-000001" in data.received_from
    assert data.balance_after == 6_040_000
    assert data.teller == "Kasir Uji"
    assert data.stamp_duty is False
    assert data.reprint is False


def test_a_withdrawal_receipt_shows_money_out(teller: Session, siti: dict[str, str]) -> None:
    deposit(teller, siti["TM"], 7_000_000)
    posted = withdraw(teller, siti["TM"], 5_500_000)

    data = documents.receipt_data(teller, posted.doc_number.lower())

    assert data.direction == "out"
    assert data.amount == 5_500_000
    assert data.balance_after == 1_500_000
    assert "Siti Rühmah" in data.received_from
    assert data.stamp_duty is False  # savings paid out by a cooperative are exempt


def test_no_stamp_duty_on_any_savings_receipt(
    teller: Session, siti: dict[str, str]
) -> None:
    postings = [deposit(teller, siti["SP"], 100_000), pay_wajib(teller, 1, 120),
                deposit(teller, siti["SS"], 9_000_000),
                withdraw(teller, siti["SS"], 8_000_000),
                transfer(teller, siti["SS"], siti["TM"], 900_000)]
    for posted in postings:
        assert documents.receipt_data(teller, posted.doc_number).stamp_duty is False


def test_the_second_print_of_a_receipt_is_marked_reprint(
    teller: Session, book: Book, siti: dict[str, str]
) -> None:
    posted = deposit(teller, siti["SS"], 100_000)

    first = documents.receipt_pdf(teller, posted.doc_number)

    assert first.startswith(b"%PDF")
    assert documents.receipt_data(teller, posted.doc_number).reprint is True
    second = documents.receipt_pdf(teller, posted.doc_number)
    assert second.startswith(b"%PDF") and second != first
    (prints,) = book.raw().execute("SELECT count(*) FROM receipt_print").fetchone()
    assert prints == 2
    # Another receipt is still an original
    other = deposit(teller, siti["SS"], 5_000)
    assert documents.receipt_data(teller, other.doc_number).reprint is False


def test_a_receipt_of_an_unknown_document_is_refused(
    teller: Session, book: Book, siti: dict[str, str]
) -> None:
    before = snapshot(book)
    with pytest.raises(ValidationError):
        documents.receipt_data(teller, "KW-2026-999999")
    with pytest.raises(ValidationError):
        documents.receipt_pdf(teller, "KW-2026-999999")
    assert snapshot(book) == before


# ------------------------------------------------------------------------------ passbook
def test_pending_lines_are_printed_once_and_the_position_moves(
    teller: Session, book: Book, siti: dict[str, str]
) -> None:
    for amount in (50_000, 20_000, 30_000):
        deposit(teller, siti["SS"], amount)
    withdraw(teller, siti["SS"], 15_000)
    state = documents.passbook_state(teller, siti["SS"])
    assert (state.serial, state.position, state.pending) == (1, PassbookPosition(1, 0), 4)

    plan, pdf = documents.passbook_pending(teller, siti["SS"])

    assert pdf is not None and pdf.startswith(b"%PDF")
    ((page, lines),) = plan.pages
    assert page == 1
    assert [line for line, _entry in lines] == [1, 2, 3, 4]
    assert [(e.code, e.debit, e.credit, e.balance) for _line, e in lines] == [
        ("SETOR", 0, 50_000, 50_000), ("SETOR", 0, 20_000, 70_000),
        ("SETOR", 0, 30_000, 100_000), ("TARIK", 15_000, 0, 85_000)]
    assert plan.needs_new_page_before == ()
    # Nothing is marked before the teller confirms
    assert documents.passbook_state(teller, siti["SS"]).pending == 4

    documents.confirm_passbook_printed(teller, siti["SS"], plan)

    state = documents.passbook_state(teller, siti["SS"])
    assert (state.position, state.pending) == (PassbookPosition(1, 4), 0)
    assert state.last_line_id == lines[-1][1].line_id
    before = snapshot(book)
    with pytest.raises(ValidationError):
        documents.confirm_passbook_printed(teller, siti["SS"], plan)
    assert snapshot(book) == before
    # Nothing is pending now; the next deposit goes on line 5
    empty, no_pdf = documents.passbook_pending(teller, siti["SS"])
    assert empty.is_empty and no_pdf is None
    deposit(teller, siti["SS"], 1_000)
    plan, _pdf = documents.passbook_pending(teller, siti["SS"])
    assert [(page, [line for line, _e in lines]) for page, lines in plan.pages] == [(1, [5])]


def test_twenty_five_postings_turn_to_the_next_page(
    teller: Session, siti: dict[str, str]
) -> None:
    layout = PassbookLayout(lines_per_page=20)
    for day in range(25):
        deposit(teller, siti["SS"], 10_000 + day)

    plan, _pdf = documents.passbook_pending(teller, siti["SS"], layout)

    assert [(page, len(lines)) for page, lines in plan.pages] == [(1, 20), (2, 5)]
    assert plan.needs_new_page_before == (2,)
    assert plan.end == PassbookPosition(2, 5)
    assert plan.pages[1][1][0][0] == 1  # page 2 starts on its first line
    documents.confirm_passbook_printed(teller, siti["SS"], plan)
    assert documents.passbook_state(teller, siti["SS"]).position == PassbookPosition(2, 5)


def test_a_replaced_passbook_starts_on_page_one(
    teller: Session, book: Book, siti: dict[str, str]
) -> None:
    deposit(teller, siti["TM"], 100_000)
    plan, _pdf = documents.passbook_pending(teller, siti["TM"])
    documents.confirm_passbook_printed(teller, siti["TM"], plan)
    deposit(teller, siti["TM"], 25_000)  # not printed in the lost book
    before = snapshot(book)
    with pytest.raises(ValidationError):
        documents.replace_passbook(teller, siti["TM"], " ")
    assert snapshot(book) == before

    cover = documents.replace_passbook(teller, siti["TM"], "Hilang terbawa banjir")

    assert cover.startswith(b"%PDF")
    state = documents.passbook_state(teller, siti["TM"])
    assert (state.serial, state.position, state.pending) == (2, PassbookPosition(1, 0), 1)
    plan, _pdf = documents.passbook_pending(teller, siti["TM"])
    ((page, ((line, entry),)),) = plan.pages
    assert (page, line) == (1, 1)
    assert (entry.credit, entry.balance) == (25_000, 125_000)
    action, after = book.raw().execute(
        "SELECT action, after FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert action == "passbook.replace" and "banjir" in after


def test_an_auditor_prints_no_passbook(
    auditor: Session, teller: Session, siti: dict[str, str]
) -> None:
    deposit(teller, siti["SS"], 100_000)
    plan, _pdf = documents.passbook_pending(teller, siti["SS"])
    with pytest.raises(PermissionDenied):
        documents.confirm_passbook_printed(auditor, siti["SS"], plan)
    with pytest.raises(PermissionDenied):
        documents.replace_passbook(auditor, siti["SS"], "Hilang")


# ----------------------------------------------------------------------------- statement
def test_statement_opening_balance_and_lines_add_up_to_the_closing_balance(
    teller: Session, book_path: Path
) -> None:
    # October: Siti joins, the teller works a day and closes the drawer exactly
    teller.today = dt.date(2026, 10, 15)
    member = register_member(teller, MemberInput(name="Siti Rühmah", nik=SITI_NIK))
    number = open_account(teller, member.id, "SS").number
    drawer.open_drawer(teller, 0)
    deposit(teller, number, 300_000)
    withdraw(teller, number, 120_000)
    drawer.close_drawer(teller, {100_000: 1, 50_000: 1, 20_000: 1, 10_000: 1})
    # November
    teller.today = TODAY
    drawer.open_drawer(teller, 500_000)
    deposit(teller, number, 75_000)
    withdraw(teller, number, 45_000)
    deposit(teller, number, 5_000)

    october = documents.statement_data(teller, number, 2026, 10)
    november = documents.statement_data(teller, number, 2026, 11)

    assert october.opening_balance == 0
    assert october.closing_balance == 180_000
    assert november.opening_balance == 180_000
    assert [(line.debit, line.credit) for line in november.lines] == [
        (0, 75_000), (45_000, 0), (0, 5_000)]
    moved = sum(line.credit - line.debit for line in november.lines)
    assert november.opening_balance + moved == november.closing_balance == 215_000
    assert november.closing_balance == find_account(teller, number).balance
    assert (november.member_name, november.account_number) == ("Siti Rühmah", number)
    december = documents.statement_data(teller, number, 2026, 12)
    assert (december.opening_balance, december.lines) == (215_000, ())
    for month in (0, 13):
        with pytest.raises(ValidationError):
            documents.statement_data(teller, number, 2026, month)
    assert verify_book(book_path).ok


def test_the_hijri_date_on_receipts_is_an_office_setting(book, manager, teller) -> None:
    from bmt_desktop.domain.errors import ValidationError
    from bmt_desktop.services.book_settings import set_setting
    from bmt_desktop.services.documents import receipt_data
    from bmt_desktop.services.maal import receive

    drawer.open_drawer(teller, 0)
    posted = receive(teller, "infak", "Hamba Allah", 5_000)
    assert receipt_data(teller, posted.doc_number).show_hijri
    set_setting(manager, "receipt_hijri", "tidak")
    assert not receipt_data(teller, posted.doc_number).show_hijri
    with pytest.raises(ValidationError):
        set_setting(manager, "receipt_hijri", "mungkin")
