"""A hypothesis state machine over the services, on a real book: members register and save,
withdraw, borrow, repay, reverse; days pass and months close. After every step the books
balance, no savings balance is below its minimum, the stored balances equal the lines, every
financing's state adds up; at the end `verify` passes.

``BMT_STATEFUL_EXAMPLES`` runs more examples than CI's default.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
)

from bmt_desktop.domain.dates import month_end
from bmt_desktop.domain.errors import BmtError
from bmt_desktop.services import (
    drawer,
    financing,
    financing_payments,
    ledger,
    members,
    savings,
)
from bmt_desktop.services import (
    month_end as month_end_service,
)
from bmt_desktop.services.auth import create_user
from bmt_desktop.services.financing_state import facts
from bmt_desktop.services.setup import init_book
from bmt_desktop.store.book import open_book
from bmt_desktop.store.verify import verify_book
from tests.conftest import PASSWORD, session_of
from tests.helpers.figures import count

START = dt.date(2026, 1, 5)
EXAMPLES = int(os.environ.get("BMT_STATEFUL_EXAMPLES", "25"))
_TEMPLATE: list[Path] = []


def _template() -> Path:
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="bmt-stateful-"))
        path = folder / "template.bmt"
        book = init_book(path, office_name="BMT Uji Keadaan", admin_username="admin",
                         admin_password=PASSWORD)
        admin = session_of(book, "admin")
        create_user(admin, "manajer", "Manajer", "manager", PASSWORD)
        create_user(admin, "kasir", "Kasir", "teller", PASSWORD)
        book.close()
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


class Books(RuleBasedStateMachine):
    accounts = Bundle("accounts")
    loans = Bundle("loans")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="bmt-state-"))
        self.path = self.folder / "buku.bmt"
        shutil.copyfile(_template(), self.path)
        self.book = open_book(self.path)
        self.teller = session_of(self.book, "kasir")
        self.manager = session_of(self.book, "manajer")
        self.today = START
        self._set_day(START)
        self.members = 0
        self.posted: list[int] = []  # journal ids a manager may reverse, newest last
        count("stateful_examples")

    def _set_day(self, day: dt.date) -> None:
        self.today = day
        self.teller.today = self.manager.today = day
        drawer.open_drawer(self.teller, 100_000_000)

    def _try(self, action, *args, **kwargs):  # noqa: ANN001, ANN202 - any service call
        count("stateful_steps")
        try:
            return action(*args, **kwargs)
        except BmtError:
            count("stateful_refusals")  # a clear refusal is a fine outcome; the invariants hold
            return None

    @rule(target=accounts)
    def register(self) -> str:
        self.members += 1
        nik = f"3601141803{95:02d}{self.members:04d}"
        member = members.register_member(self.teller, members.MemberInput(
            name=f"Anggota {self.members}", nik=nik))
        account = savings.open_account(self.teller, member.id, "SS")
        posted = savings.deposit(self.teller, account.number, 50_000)
        self.posted.append(posted.id)
        return account.number

    @rule(account=accounts, amount=st.integers(-10, 5_000_000))
    def deposit(self, account: str, amount: int) -> None:
        posted = self._try(savings.deposit, self.teller, account, amount)
        if posted is not None:
            self.posted.append(posted.id)

    @rule(account=accounts, amount=st.integers(1, 3_000_000))
    def withdraw(self, account: str, amount: int) -> None:
        posted = self._try(savings.withdraw, self.teller, account, amount)
        if posted is not None:
            self.posted.append(posted.id)

    @rule(target=loans, account=accounts, principal=st.integers(2_000_000, 20_000_000),
          instalments=st.integers(6, 24), rate=st.integers(1200, 2400),
          unit=st.sampled_from([1, 100, 500, 1000]), method=st.sampled_from(["MRI", "MRA"]))
    def borrow(self, account: str, principal: int, instalments: int, rate: int, unit: int,
               method: str) -> int:
        member = savings.find_account(self.teller, account).member_id
        fid = self._try(financing.apply, self.teller, financing.ApplicationInput(
            method, principal, instalments, "bulanan", "Modal usaha", member_id=member,
            rate_bp=rate, goods="Barang dagangan", supplier="Toko", cost_price=principal,
            collateral=[financing.Collateral("BPKB", principal, principal // 2)]))
        if fid is None:
            return -1
        financing.decide(self.manager, fid, True)
        posted = self._try(financing.disburse, self.teller, fid)
        if posted is not None:
            self.posted.append(posted.id)
        return fid

    @rule(loan=loans, amount=st.integers(1, 3_000_000), advance=st.booleans())
    def repay(self, loan: int, amount: int, advance: bool) -> None:
        if loan < 0:
            return
        posted = self._try(financing_payments.repay, self.teller, loan, amount,
                           advance=advance)
        if posted is not None:
            self.posted.append(posted.id)

    @rule(loan=loans)
    def settle(self, loan: int) -> None:
        if loan < 0:
            return
        posted = self._try(financing_payments.settle_early, self.teller, loan)
        if posted is not None:
            self.posted.append(posted.id)

    @precondition(lambda self: bool(self.posted))
    @rule()
    def reverse_last(self) -> None:
        journal = self.posted.pop()
        self._try(ledger.reverse_journal, self.manager, journal, "Koreksi uji")

    @rule(days=st.integers(1, 45))
    def next_day(self, days: int) -> None:
        state = drawer.current_drawer(self.teller)
        self._count_drawer(state.expected_cash)
        self.posted.clear()  # yesterday's cash is counted; corrections go through a manager
        self._set_day(self.today + dt.timedelta(days=days))

    def _count_drawer(self, expected: int) -> None:
        """Count the drawer in Rp100.000 notes and Rp100 coins; odd rupiah wait for the
        manager's approval as a difference."""
        state = drawer.close_drawer(self.teller, {100_000: expected // 100_000,
                                                  100: expected % 100_000 // 100})
        if state.status == "menunggu":
            drawer.approve_difference(self.manager, state.id)

    @rule()
    def close_month(self) -> None:
        closed = ledger.closed_until(self.book)
        first = (closed + dt.timedelta(days=1)) if closed else dt.date(START.year, 1, 1)
        if month_end(first.year, first.month) >= self.today:
            return
        self._count_drawer(drawer.current_drawer(self.teller).expected_cash)
        self._try(month_end_service.run_month_end, self.manager, first.year, first.month)
        self.posted.clear()
        drawer.open_drawer(self.teller, 100_000_000)

    @invariant()
    def books_balance(self) -> None:
        conn = self.book.raw()
        (debit, credit) = conn.execute(
            "SELECT sum(debit), sum(credit) FROM journal_line").fetchone()
        assert debit == credit
        for code, stored, computed in conn.execute(
                "SELECT a.code, a.balance, coalesce((SELECT sum(debit - credit) FROM "
                "journal_line l WHERE l.account_id = a.id), 0) FROM account a"):
            assert stored == computed, code
        for number, balance, _minimum, computed in conn.execute(
                "SELECT s.number, s.balance, p.min_balance, coalesce((SELECT sum(credit - "
                "debit) FROM journal_line l WHERE l.savings_account_id = s.id), 0) "
                "FROM savings_account s JOIN savings_product p ON p.id = s.product_id"):
            assert balance == computed, number
            assert balance >= 0, number

    @invariant()
    def financing_adds_up(self) -> None:
        conn = self.book.raw()
        for fid, status in conn.execute("SELECT id, status FROM financing "
                                        "WHERE status IN ('cair', 'lunas')"):
            f = facts(conn, fid)
            assert 0 <= f.left_principal <= f.principal
            assert f.left_margin >= 0
            assert (f.owed == 0) == (status == "lunas"), f.number
            assert sum(s.left for s in f.states) == f.left_principal + f.left_margin

    def teardown(self) -> None:
        report = verify_book(self.path)
        self.book.close()
        assert report.ok, [p.message for p in report.problems][:5]
        shutil.rmtree(self.folder, ignore_errors=True)


Books.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestBooks = Books.TestCase
