"""Savings at the counter: accounts, deposits, withdrawals, transfers, dues, reversals."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.domain.permissions import Role
from bmt_desktop.services import drawer
from bmt_desktop.services.ledger import current_chain_head, reverse_journal
from bmt_desktop.services.member_exit import exit_member
from bmt_desktop.services.members import MemberInput, register_member
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
from bmt_desktop.store.book import Book, open_book
from bmt_desktop.store.verify import verify_book
from tests.conftest import TODAY

SITI_NIK = "3601145406791782"  # a woman born 14-06-1979
ASEP_NIK = "3601141803951501"  # a man born 18-03-1995
TABLES = ("member", "savings_account", "journal", "journal_line", "audit_log",
          "teller_drawer", "doc_sequence")


def snapshot(book: Book) -> tuple:
    """Everything a refused request must leave untouched."""
    conn = book.raw()
    return (
        current_chain_head(book),
        tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES),
        tuple(conn.execute("SELECT code, balance FROM account ORDER BY code")),
        tuple(conn.execute("SELECT number, balance, status FROM savings_account ORDER BY id")),
        tuple(conn.execute("SELECT id, status FROM member ORDER BY id")),
    )


def new_member(teller: Session, name: str = "Siti Rühmah", nik: str = SITI_NIK,
               join_date: dt.date | None = None) -> int:
    return register_member(teller, MemberInput(name=name, nik=nik, join_date=join_date)).id


def open_all(teller: Session, member_id: int, *codes: str) -> dict[str, str]:
    """Open accounts of the given products; their numbers by product code."""
    return {code: open_account(teller, member_id, code).number for code in codes}


def balance(session: Session, number: str) -> int:
    return find_account(session, number).balance


def sum_of_lines(book: Book, number: str) -> int:
    (total,) = book.raw().execute(
        "SELECT coalesce(sum(l.credit) - sum(l.debit), 0) FROM journal_line l "
        "JOIN savings_account s ON s.id = l.savings_account_id WHERE s.number = ?",
        (number,)).fetchone()
    return int(total)


def journal_count(book: Book) -> int:
    return int(book.raw().execute("SELECT count(*) FROM journal").fetchone()[0])


@pytest.fixture
def siti(teller: Session) -> dict[str, str]:
    """Siti with pokok, wajib, sukarela and tabungan accounts, and the teller's drawer open."""
    accounts = open_all(teller, new_member(teller), "SP", "SW", "SS", "TM")
    drawer.open_drawer(teller, 1_000_000)
    return accounts


# ------------------------------------------------------------------------------ accounts
def test_one_account_of_each_kind_per_member(
    teller: Session, book: Book, book_path: Path
) -> None:
    member_id = new_member(teller)
    accounts = open_all(teller, member_id, "SP", "SW", "SS", "TM")

    assert accounts == {"SP": "SP-000001", "SW": "SW-000001", "SS": "SS-000001",
                        "TM": "TM-000001"}
    rows = {a.product_code: a for a in member_accounts(teller, member_id)}
    assert {r.status for r in rows.values()} == {"aktif"}
    assert {r.balance for r in rows.values()} == {0}
    assert rows["TM"].nisbah_pct == 40
    assert rows["SS"].min_balance == 10_000 and rows["TM"].min_balance == 20_000
    assert all(r.maturity_date is None for r in rows.values())
    before = snapshot(book)
    for code in ("SP", "SW", "SS", "TM"):
        with pytest.raises(ValidationError):
            open_account(teller, member_id, code)
    assert snapshot(book) == before
    # Another member gets the next numbers
    other = open_all(teller, new_member(teller, "Asep", ASEP_NIK), "SS")
    assert other == {"SS": "SS-000002"}
    assert verify_book(book_path).ok


def test_a_deposito_matures_twelve_months_after_opening(teller: Session) -> None:
    member_id = new_member(teller)

    first = open_account(teller, member_id, "DM")
    second = open_account(teller, member_id, "DM")  # a member may hold several

    assert first.maturity_date == "2027-11-29"
    assert first.nisbah_pct == 50
    assert second.number == "DM-000002"


def test_a_deposito_opened_on_31_january_matures_at_the_end_of_january(
    teller: Session,
) -> None:
    member_id = new_member(teller, join_date=dt.date(2026, 1, 31))
    teller.today = dt.date(2026, 1, 31)

    assert open_account(teller, member_id, "DM").maturity_date == "2027-01-31"


def test_unknown_product_and_unknown_member_are_refused(teller: Session, book: Book) -> None:
    member_id = new_member(teller)
    before = snapshot(book)
    with pytest.raises(ValidationError):
        open_account(teller, member_id, "XX")
    with pytest.raises(ValidationError):
        open_account(teller, 999, "SS")
    assert snapshot(book) == before


def test_the_auditor_opens_no_account_and_posts_nothing(
    teller: Session, auditor: Session, book: Book, siti: dict[str, str]
) -> None:
    before = snapshot(book)
    with pytest.raises(PermissionDenied):
        open_account(auditor, 1, "DM")
    with pytest.raises(PermissionDenied):
        deposit(auditor, siti["SS"], 10_000)
    assert snapshot(book) == before


# ---------------------------------------------------------------- deposits, withdrawals
def test_deposit_and_withdrawal_within_what_is_available(
    teller: Session, book: Book, book_path: Path, siti: dict[str, str]
) -> None:
    posted = deposit(teller, siti["SS"], "Rp150.000")

    assert posted.doc_number == "KW-2026-000001"
    assert posted.total == 150_000
    assert balance(teller, siti["SS"]) == 150_000
    assert find_account(teller, siti["SS"]).available == 140_000

    withdraw(teller, siti["SS"], 140_000)  # down to exactly the minimum

    assert balance(teller, siti["SS"]) == 10_000
    assert find_account(teller, siti["SS"]).available == 0
    assert sum_of_lines(book, siti["SS"]) == 10_000
    state = drawer.current_drawer(teller)
    assert (state.cash_in, state.cash_out, state.expected_cash) == (150_000, 140_000,
                                                                   1_010_000)
    assert verify_book(book_path).ok


@pytest.mark.parametrize(("code", "minimum"), [("SS", 10_000), ("TM", 20_000)])
def test_withdrawal_over_the_balance_less_the_minimum_is_refused(
    teller: Session, book: Book, book_path: Path, siti: dict[str, str], code: str,
    minimum: int,
) -> None:
    deposit(teller, siti[code], 100_000)
    before = snapshot(book)

    with pytest.raises(ValidationError):
        withdraw(teller, siti[code], 100_000 - minimum + 1)
    with pytest.raises(ValidationError):
        withdraw(teller, siti[code], 100_000)

    assert snapshot(book) == before
    withdraw(teller, siti[code], 100_000 - minimum)
    assert balance(teller, siti[code]) == minimum
    assert verify_book(book_path).ok


def test_wadiah_never_goes_negative(
    teller: Session, book: Book, siti: dict[str, str]
) -> None:
    with pytest.raises(ValidationError):
        withdraw(teller, siti["SS"], 1)  # nothing in it
    deposit(teller, siti["SS"], 5_000)  # a small deposit below the minimum balance
    before = snapshot(book)

    for amount in (1, 5_000, 6_000):
        with pytest.raises(ValidationError):
            withdraw(teller, siti["SS"], amount)

    assert snapshot(book) == before
    assert balance(teller, siti["SS"]) == 5_000


def test_simpanan_pokok_is_exactly_rp100000_and_paid_once(
    teller: Session, book: Book, book_path: Path, siti: dict[str, str]
) -> None:
    before = snapshot(book)
    for wrong in (50_000, 100_001, 150_000):
        with pytest.raises(ValidationError, match="100.000"):
            deposit(teller, siti["SP"], wrong)
    assert snapshot(book) == before

    deposit(teller, siti["SP"], 100_000)
    assert balance(teller, siti["SP"]) == 100_000
    deposit(teller, siti["SS"], 200_000)
    after_pokok = snapshot(book)
    with pytest.raises(ValidationError):
        deposit(teller, siti["SP"], 100_000)
    with pytest.raises(ValidationError):  # nor by a transfer
        transfer(teller, siti["SS"], siti["SP"], 100_000)
    assert snapshot(book) == after_pokok
    # The pokok sits in equity account 301
    (equity,) = book.raw().execute("SELECT balance FROM account WHERE code = '301'").fetchone()
    assert equity == -100_000
    assert verify_book(book_path).ok


@pytest.mark.parametrize("code", ["SP", "SW"])
def test_pokok_and_wajib_are_not_withdrawable(
    teller: Session, book: Book, siti: dict[str, str], code: str
) -> None:
    deposit(teller, siti["SP"], 100_000)
    pay_wajib(teller, 1, 3)
    before = snapshot(book)

    with pytest.raises(ValidationError):
        withdraw(teller, siti[code], 10_000)
    with pytest.raises(ValidationError):
        transfer(teller, siti[code], siti["SS"], 10_000)

    assert snapshot(book) == before


def test_a_deposito_takes_one_placement_and_pays_out_only_at_maturity(
    teller: Session, book: Book, book_path: Path, siti: dict[str, str]
) -> None:
    number = open_account(teller, 1, "DM").number
    deposit(teller, number, 5_000_000)
    before = snapshot(book)

    with pytest.raises(ValidationError):
        deposit(teller, number, 1_000)
    with pytest.raises(ValidationError, match="29 November 2027"):
        withdraw(teller, number, 5_000_000)
    teller.today = dt.date(2027, 11, 28)  # the day before
    with pytest.raises(ValidationError):
        withdraw(teller, number, 5_000_000)
    assert snapshot(book) == before

    # At maturity (with a drawer for that day) the whole placement is paid out
    teller.today = TODAY
    drawer.close_drawer(teller, {100_000: 60})
    teller.today = dt.date(2027, 11, 29)
    drawer.open_drawer(teller, 5_000_000)
    withdraw(teller, number, 5_000_000)
    assert balance(teller, number) == 0
    assert verify_book(book_path).ok


def test_an_immature_deposito_cannot_be_emptied_by_a_transfer(
    teller: Session, book: Book, siti: dict[str, str]
) -> None:
    """Moving the placement to the sukarela account and drawing it in cash would be an
    early withdrawal without the manager."""
    number = open_account(teller, 1, "DM").number
    deposit(teller, number, 1_000_000)
    before = snapshot(book)

    with pytest.raises(ValidationError):
        transfer(teller, number, siti["SS"], 1_000_000)

    assert snapshot(book) == before
    assert balance(teller, number) == 1_000_000


def test_a_wajib_deposit_is_a_whole_number_of_months(
    teller: Session, book: Book, siti: dict[str, str]
) -> None:
    """Simpanan wajib is a fixed monthly amount (Rp10.000): Rp15.000 would count as one
    month paid with Rp5.000 nowhere (wajib_status divides the balance by the amount)."""
    before = snapshot(book)
    with pytest.raises(ValidationError):
        deposit(teller, siti["SW"], 15_000)
    assert snapshot(book) == before


def test_a_placed_deposito_takes_no_top_up_by_transfer(
    teller: Session, book: Book, siti: dict[str, str]
) -> None:
    number = open_account(teller, 1, "DM").number
    deposit(teller, number, 1_000_000)
    deposit(teller, siti["SS"], 500_000)
    before = snapshot(book)

    with pytest.raises(ValidationError):  # as a second cash placement is refused
        transfer(teller, siti["SS"], number, 400_000)

    assert snapshot(book) == before


# ----------------------------------------------------------------------------- transfers
def test_transfer_between_a_members_own_accounts(
    teller: Session, book: Book, book_path: Path, siti: dict[str, str]
) -> None:
    deposit(teller, siti["SS"], 300_000)
    cash_before = drawer.current_drawer(teller).expected_cash

    posted = transfer(teller, siti["SS"], siti["TM"], 250_000)

    assert posted.doc_number.startswith("PB-2026-")
    assert (balance(teller, siti["SS"]), balance(teller, siti["TM"])) == (50_000, 250_000)
    assert drawer.current_drawer(teller).expected_cash == cash_before  # no cash moved
    memos = {m for (m,) in book.raw().execute(
        "SELECT memo FROM journal_line WHERE journal_id = ?", (posted.id,))}
    assert memos == {"PB"}
    # The wajib may be paid by transfer too
    transfer(teller, siti["SS"], siti["SW"], 10_000)
    assert balance(teller, siti["SW"]) == 10_000
    assert verify_book(book_path).ok


def test_transfer_to_another_members_account_or_over_available_is_refused(
    teller: Session, book: Book, siti: dict[str, str]
) -> None:
    other = open_all(teller, new_member(teller, "Asep", ASEP_NIK), "SS")["SS"]
    deposit(teller, siti["SS"], 100_000)
    before = snapshot(book)

    with pytest.raises(ValidationError):
        transfer(teller, siti["SS"], other, 10_000)
    with pytest.raises(ValidationError):
        transfer(teller, siti["SS"], siti["SS"], 10_000)
    with pytest.raises(ValidationError):
        transfer(teller, siti["SS"], siti["TM"], 90_001)
    with pytest.raises(ValidationError):
        transfer(teller, siti["SS"], "SS-999999", 10_000)

    assert snapshot(book) == before


# ----------------------------------------------------------------------- simpanan wajib
def test_pay_wajib_takes_1_to_120_months(
    teller: Session, book: Book, siti: dict[str, str]
) -> None:
    before = snapshot(book)
    for months in (0, 121, -1, True, 1.0, "1", None):
        with pytest.raises(ValidationError):
            pay_wajib(teller, 1, months)  # type: ignore[arg-type]
    assert snapshot(book) == before


def test_wajib_arrears_count_the_join_month(
    teller: Session, book_path: Path
) -> None:
    member_id = new_member(teller, join_date=dt.date(2026, 8, 29))  # 3 months before TODAY
    number = open_all(teller, member_id, "SW")["SW"]
    drawer.open_drawer(teller, 0)
    assert wajib_status(teller, member_id).arrears_months == 4  # Aug, Sep, Oct, Nov

    pay_wajib(teller, member_id, 1)

    status = wajib_status(teller, member_id)
    assert (status.monthly, status.months_due, status.months_paid) == (10_000, 4, 1)
    assert (status.arrears_months, status.arrears_amount) == (3, 30_000)
    pay_wajib(teller, member_id, 120)
    assert balance(teller, number) == 1_210_000
    status = wajib_status(teller, member_id)
    assert (status.months_paid, status.arrears_months, status.arrears_amount) == (121, 0, 0)
    assert verify_book(book_path).ok


def test_wajib_without_an_account_is_refused(teller: Session, book: Book) -> None:
    member_id = new_member(teller)
    drawer.open_drawer(teller, 0)
    before = snapshot(book)
    with pytest.raises(ValidationError):
        pay_wajib(teller, member_id, 1)
    assert snapshot(book) == before


# --------------------------------------------------------------------- bad amounts, once
BAD_AMOUNTS = [0, -1, 1.5, "abc", 10**16, True, None, "", "1,5", "Rp-5.000"]


def test_bad_amounts_are_refused_and_nothing_written(
    teller: Session, book: Book, siti: dict[str, str]
) -> None:
    deposit(teller, siti["SS"], 100_000)
    posts = {
        "deposit": lambda amount: deposit(teller, siti["SS"], amount),
        "pokok": lambda amount: deposit(teller, siti["SP"], amount),
        "withdraw": lambda amount: withdraw(teller, siti["SS"], amount),
        "transfer": lambda amount: transfer(teller, siti["SS"], siti["TM"], amount),
    }
    wrong = {}
    for amount in BAD_AMOUNTS:
        for name, post in posts.items():
            before = snapshot(book)
            try:
                post(amount)
            except ValidationError:
                if snapshot(book) != before:
                    wrong[(name, amount)] = "refused, but something was written"
            else:
                wrong[(name, amount)] = "accepted"

    assert wrong == {}


def test_the_same_request_twice_posts_once(
    teller: Session, book: Book, book_path: Path, siti: dict[str, str]
) -> None:
    calls = {
        "setor": lambda: deposit(teller, siti["SS"], 200_000, request_id="setor-1"),
        "tarik": lambda: withdraw(teller, siti["SS"], 50_000, request_id="tarik-1"),
        "pindah": lambda: transfer(teller, siti["SS"], siti["TM"], 30_000,
                                   request_id="pindah-1"),
        "wajib": lambda: pay_wajib(teller, 1, 2, request_id="wajib-1"),
        "pokok": lambda: deposit(teller, siti["SP"], 100_000, request_id="pokok-1"),
    }
    for name, call in calls.items():
        first = call()
        journals = journal_count(book)
        balances = snapshot(book)[3]

        again = call()

        assert (again.id, again.doc_number, again.date, again.total) == (
            first.id, first.doc_number, first.date, first.total), name
        assert journal_count(book) == journals, name
        assert snapshot(book)[3] == balances, name
    assert balance(teller, siti["SS"]) == 120_000
    assert balance(teller, siti["TM"]) == 30_000
    assert balance(teller, siti["SW"]) == 20_000
    assert verify_book(book_path).ok


# -------------------------------------------------------------------- what blocks posting
def test_no_cash_posting_without_an_open_drawer(teller: Session, book: Book) -> None:
    member_id = new_member(teller)
    accounts = open_all(teller, member_id, "SP", "SW", "SS")
    before = snapshot(book)

    for post in (lambda: deposit(teller, accounts["SS"], 10_000),
                 lambda: deposit(teller, accounts["SP"], 100_000),
                 lambda: withdraw(teller, accounts["SS"], 10_000),
                 lambda: pay_wajib(teller, member_id, 1)):
        with pytest.raises(ValidationError):
            post()

    assert snapshot(book) == before
    # Nor once the drawer has been closed again
    drawer.open_drawer(teller, 0)
    drawer.close_drawer(teller, {})
    before = snapshot(book)
    with pytest.raises(ValidationError):
        deposit(teller, accounts["SS"], 10_000)
    assert snapshot(book) == before


def test_a_closed_account_and_an_exited_member_are_refused(
    teller: Session, manager: Session, book: Book, book_path: Path
) -> None:
    member_id = new_member(teller)
    accounts = open_all(teller, member_id, "SW", "SS")
    exit_member(manager, member_id, "pindah ke Serang")  # no balances: nothing paid out
    drawer.open_drawer(teller, 100_000)
    before = snapshot(book)

    with pytest.raises(ValidationError, match="ditutup"):
        deposit(teller, accounts["SS"], 10_000)
    with pytest.raises(ValidationError):
        withdraw(teller, accounts["SS"], 10_000)
    with pytest.raises(ValidationError):
        pay_wajib(teller, member_id, 1)
    with pytest.raises(ValidationError, match="keluar"):
        open_account(teller, member_id, "SS")

    assert snapshot(book) == before
    assert verify_book(book_path).ok


# ------------------------------------------------------------------------------ reversal
def test_reversing_a_deposit_restores_the_balance(
    teller: Session, manager: Session, book: Book, book_path: Path, siti: dict[str, str]
) -> None:
    deposit(teller, siti["SS"], 20_000)
    wrong = deposit(teller, siti["SS"], 500_000)

    storno = reverse_journal(manager, wrong.id, "Salah ketik nominal")

    assert storno.doc_number.startswith("KR-2026-")
    assert balance(teller, siti["SS"]) == 20_000
    assert sum_of_lines(book, siti["SS"]) == 20_000
    with pytest.raises(ValidationError):  # only once
        reverse_journal(manager, wrong.id, "Lagi")
    with pytest.raises(PermissionDenied):
        reverse_journal(teller, wrong.id, "Kasir tidak boleh")
    assert verify_book(book_path).ok


def test_reversing_a_deposit_already_withdrawn_is_refused(
    teller: Session, manager: Session, book: Book, book_path: Path, siti: dict[str, str]
) -> None:
    money = deposit(teller, siti["SS"], 100_000)
    withdraw(teller, siti["SS"], 90_000)
    before = snapshot(book)

    with pytest.raises(ValidationError) as refused:
        reverse_journal(manager, money.id, "Setoran ganda")

    assert "saldo" in str(refused.value).lower()
    assert snapshot(book) == before
    assert balance(teller, siti["SS"]) == 10_000
    assert verify_book(book_path).ok


# ------------------------------------------------------------------- a random day's work
def _session(book: Book, username: str) -> Session:
    """A session without the (slow, already tested) password check."""
    user_id, full_name, role = book.raw().execute(
        "SELECT id, full_name, role FROM user WHERE username = ?", (username,)).fetchone()
    return Session(book, int(user_id), username, full_name, Role(role), today=TODAY)


MINIMUM = {"SS": 10_000, "TM": 20_000}
amounts = st.integers(min_value=1, max_value=400_000)
products = st.sampled_from(sorted(MINIMUM))


def test_random_counter_work_keeps_every_balance_whole(
    template_book: Path, tmp_path: Path
) -> None:
    folder = tmp_path

    class CounterDay(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.path = Path(tempfile.mkdtemp(dir=folder)) / "kantor.bmt"
            shutil.copyfile(template_book, self.path)
            self.book = open_book(self.path)
            self.teller = _session(self.book, "kasir")
            siti_id = new_member(self.teller)
            self.accounts = open_all(self.teller, siti_id, "SS", "TM")
            self.other = open_all(self.teller, new_member(self.teller, "Asep", ASEP_NIK),
                                  "SS")["SS"]
            drawer.open_drawer(self.teller, 1_000_000)
            self.model = {code: 0 for code in MINIMUM}
            self.cash = 1_000_000

        def available(self, code: str) -> int:
            return max(0, self.model[code] - MINIMUM[code])

        @rule(code=products, amount=amounts)
        def put_in(self, code: str, amount: int) -> None:
            deposit(self.teller, self.accounts[code], amount)
            self.model[code] += amount
            self.cash += amount

        @rule(code=products, amount=amounts)
        def take_out(self, code: str, amount: int) -> None:
            if amount <= self.available(code):
                withdraw(self.teller, self.accounts[code], amount)
                self.model[code] -= amount
                self.cash -= amount
                assert self.model[code] >= MINIMUM[code]
            else:
                before = snapshot(self.book)
                with pytest.raises(ValidationError):
                    withdraw(self.teller, self.accounts[code], amount)
                assert snapshot(self.book) == before

        @rule(source=products, amount=amounts)
        def move(self, source: str, amount: int) -> None:
            target = "TM" if source == "SS" else "SS"
            if amount <= self.available(source):
                transfer(self.teller, self.accounts[source], self.accounts[target], amount)
                self.model[source] -= amount
                self.model[target] += amount
            else:
                before = snapshot(self.book)
                with pytest.raises(ValidationError):
                    transfer(self.teller, self.accounts[source], self.accounts[target], amount)
                assert snapshot(self.book) == before

        @rule(source=products, amount=amounts)
        def move_to_a_stranger(self, source: str, amount: int) -> None:
            before = snapshot(self.book)
            with pytest.raises(ValidationError):
                transfer(self.teller, self.accounts[source], self.other, amount)
            assert snapshot(self.book) == before

        @invariant()
        def balances_match_the_model_and_the_lines(self) -> None:
            for code, number in self.accounts.items():
                stored = balance(self.teller, number)
                assert stored == self.model[code] == sum_of_lines(self.book, number)
                assert stored >= 0
            assert drawer.current_drawer(self.teller).expected_cash == self.cash

        def teardown(self) -> None:
            self.book.close()
            report = verify_book(self.path)
            assert report.ok, report.problems

    run_state_machine_as_test(CounterDay, settings=settings(
        max_examples=25, stateful_step_count=12, deadline=None,
        suppress_health_check=[HealthCheck.too_slow]))
