"""Month-end and year-end on a real book: profit shared equals the pool and goes by average
daily balance and nisbah; PPAP follows collectibility; the period closes; refusals write
nothing; SHU distributed equals the members' share."""

from __future__ import annotations

import datetime as dt

import pytest

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.services import (
    drawer,
    financing_payments,
    month_end,
    savings,
    year_end,
)
from bmt_desktop.services.book_settings import set_setting
from bmt_desktop.services.financing_state import facts
from bmt_desktop.services.ledger import closed_until, post_journal, trial_balance
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from bmt_desktop.store.verify import verify_book
from tests.test_financing_service import World, snapshot


def _close_drawer(world: World) -> None:
    state = drawer.current_drawer(world.teller)
    if state is not None and state.status == "buka":
        state = drawer.close_drawer(world.teller, {100: state.expected_cash // 100})
    if state is not None and state.status == "menunggu":
        drawer.approve_difference(world.manager, state.id)


def _savers(world: World, count: int = 3) -> list[str]:
    members = [m for (m,) in world.book.raw().execute(
        "SELECT id FROM member WHERE status = 'aktif' ORDER BY id LIMIT ?", (count,))]
    numbers = []
    for i, member in enumerate(members):
        account = savings.open_account(world.teller, member, "TM")
        savings.deposit(world.teller, account.number, 1_000_000 * (i + 1))
        numbers.append(account.number)
    return numbers


def _good_year(world: World) -> Session:
    """A financing repaid once in December, the drawer closed, and other income that turns
    the demo's loss into SHU; the manager on 10 January 2027."""
    fid = world.running()
    f = facts(world.book.raw(), fid)
    world.go_to(f.schedule[0].due_on)
    financing_payments.repay(world.teller, fid, f.schedule[0].amount)
    _close_drawer(world)
    manager = world.manager
    manager.today = dt.date(2027, 1, 10)
    post_journal(manager, dt.date(2026, 12, 30), "Pendapatan sewa gedung",
                 [LineSpec("103", debit=60_000_000), LineSpec("409", credit=60_000_000)])
    return manager


@pytest.fixture
def world(demo: Book) -> World:
    return World(demo)


def test_month_end_shares_the_revenue_and_closes(world: World, demo: Book) -> None:
    savers = _savers(world)
    fid = world.running()
    f = facts(demo.raw(), fid)
    world.go_to(f.schedule[0].due_on)  # 29 December 2026
    financing_payments.repay(world.teller, fid, f.schedule[0].amount)
    _close_drawer(world)
    manager = world.manager
    manager.today = dt.date(2027, 1, 5)
    with pytest.raises(ValidationError, match="(?i)urut|order"):
        month_end.run_month_end(manager, 2026, 12)  # October and November first
    month_end.run_month_end(manager, 2026, 10)
    month_end.run_month_end(manager, 2026, 11)
    before = snapshot(demo)
    with pytest.raises(ValidationError, match="(?i)ditutup|closed"):
        month_end.run_month_end(manager, 2026, 11)
    with pytest.raises(ValidationError, match="(?i)belum lewat|not passed"):
        month_end.run_month_end(manager, 2027, 1)
    assert snapshot(demo) == before
    result = month_end.run_month_end(manager, 2026, 12)
    assert result.revenue == 100_000  # the margin received in December
    (tm,) = [p for p in result.products if p.code == "TM"]
    assert tm.shared > 0
    shared = dict(demo.raw().execute(
        "SELECT s.number, l.credit FROM journal_line l JOIN savings_account s "
        "ON s.id = l.savings_account_id JOIN journal j ON j.id = l.journal_id "
        "WHERE l.memo = 'BH' AND j.date = '2026-12-31'"))
    assert sum(shared.values()) == tm.shared
    assert shared[savers[2]] > shared[savers[1]] > shared[savers[0]]  # by balance held
    assert closed_until(demo) == dt.date(2026, 12, 31)
    (expense,) = demo.raw().execute(
        "SELECT sum(l.debit) FROM journal_line l JOIN account a ON a.id = l.account_id "
        "JOIN journal j ON j.id = l.journal_id WHERE a.code = '501' AND j.date = '2026-12-31'"
    ).fetchone()
    assert expense == tm.shared
    assert result.chain_head and month_end.describe(result)[-1].endswith(result.chain_head)
    assert verify_book(demo.path).ok


def test_month_end_refuses_an_open_drawer(world: World, demo: Book) -> None:
    world.manager.today = dt.date(2026, 12, 2)
    problems = month_end.precheck(world.manager, 2026, 10)
    assert problems == []  # the drawer is of 29 November, after October
    month_end.run_month_end(world.manager, 2026, 10)
    before = snapshot(demo)
    with pytest.raises(ValidationError, match="(?i)laci|drawer"):
        month_end.run_month_end(world.manager, 2026, 11)
    assert snapshot(demo) == before  # the refusal wrote nothing
    for bad in ("2026-13", "abc", "26-11", ""):
        with pytest.raises(ValidationError):
            month_end.parse_period(bad)


def test_ppap_follows_collectibility_at_month_end(world: World, demo: Book) -> None:
    fid = world.running()
    _close_drawer(world)
    world.manager.today = dt.date(2027, 3, 2)
    for month in (10, 11, 12):
        month_end.run_month_end(world.manager, 2026, month)
    year_end.run_year_end(world.manager, 2026)
    result = month_end.run_month_end(world.manager, 2027, 1)
    rows = {r.financing_id: r for r in financing_payments.reserve_rows(
        world.manager, dt.date(2027, 1, 31))}
    assert rows[fid].klass == "dpk"  # first instalment of 29 Dec unpaid for 33 days
    assert result.reserve_total == sum(r.reserve for r in rows.values())
    assert facts(demo.raw(), fid).status == "cair"


def test_year_end_distributes_exactly(world: World, demo: Book) -> None:
    manager = _good_year(world)
    with pytest.raises(ValidationError, match="(?i)Desember|December"):
        year_end.run_year_end(manager, 2026)
    for month in (10, 11, 12):
        month_end.run_month_end(manager, 2026, month)
    with pytest.raises(ValidationError, match="(?i)tutup buku|year-end"):
        month_end.run_month_end(manager, 2027, 1)  # not before the year-end
    set_setting(manager, "shu_social_pct", "10")
    before = snapshot(demo)
    with pytest.raises(ValidationError, match="100"):
        year_end.run_year_end(manager, 2026)
    assert snapshot(demo) == before
    set_setting(manager, "shu_social_pct", "5")
    nets, income, expense = year_end.year_figures(manager, 2026)
    result = year_end.run_year_end(manager, 2026)
    assert result.shu == income - expense
    members_share = result.shu * 40 // 100
    assert result.jua + result.jma == result.members == members_share
    assert result.reserve + result.members + sum(result.funds.values()) == result.shu
    payable = demo.raw().execute(
        "SELECT sum(credit) FROM journal_line WHERE account_id = (SELECT id FROM account "
        "WHERE code = '210')").fetchone()[0]
    assert payable == members_share
    borrower_jua = {m: jua for m, jua, _jma in result.member_rows}.get(world.loner, 0)
    assert borrower_jua > 0  # the only member who paid margin takes the whole JUA
    # Every income and expense account of 2026 is closed out by the TB journals.
    left = dict(demo.raw().execute(
        "SELECT a.code, sum(l.credit - l.debit) FROM journal_line l JOIN journal j ON "
        "j.id = l.journal_id JOIN account a ON a.id = l.account_id WHERE a.type IN "
        "('income', 'expense') AND ((j.date BETWEEN '2026-01-01' AND '2026-12-31' AND "
        "j.doc_kind != 'TB') OR (j.doc_kind = 'TB' AND j.date = '2027-01-01')) "
        "GROUP BY a.code"))
    assert set(nets) <= set(left) and not any(left.values())
    assert sum(row.debit for row in trial_balance(manager)) == sum(
        row.credit for row in trial_balance(manager))
    with pytest.raises(ValidationError, match="(?i)sudah|already"):
        year_end.run_year_end(manager, 2026)
    manager.today = dt.date(2027, 2, 1)
    month_end.run_month_end(manager, 2027, 1)  # January may close after the year-end
    assert verify_book(demo.path).ok


def test_a_loss_waits_for_the_rat(world: World, demo: Book) -> None:
    _close_drawer(world)
    world.manager.today = dt.date(2027, 1, 10)
    for month in (10, 11, 12):
        month_end.run_month_end(world.manager, 2026, month)
    (before,) = demo.raw().execute("SELECT balance FROM account WHERE code = '305'").fetchone()
    result = year_end.run_year_end(world.manager, 2026)
    assert result.shu < 0 and result.members == 0
    (unshared,) = demo.raw().execute(
        "SELECT balance FROM account WHERE code = '305'").fetchone()
    assert unshared - before == -result.shu  # a debit on the equity account


def test_balance_sheet_balances_before_and_after_the_year_end(world: World, demo: Book) -> None:
    from bmt_desktop.services import report_model

    manager = _good_year(world)
    for month in (10, 11, 12):
        month_end.run_month_end(manager, 2026, month)
    for day in (dt.date(2026, 12, 31), dt.date(2027, 1, 1)):
        before = report_model.build(manager, "balance-sheet", day, day).totals
        assert before["balanced"], before
    year_end.run_year_end(manager, 2026)
    for day in (dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2027, 1, 9)):
        sheet = report_model.build(manager, "balance-sheet", day, day)
        assert sheet.totals["balanced"], (day, sheet.totals)
    tb = report_model.build(manager, "trial-balance", dt.date(2027, 1, 1), dt.date(2027, 1, 9))
    assert tb.totals["debit"] == tb.totals["credit"]
    year = report_model.build(manager, "income-statement", dt.date(2026, 1, 1),
                              dt.date(2026, 12, 31))
    assert year.totals["shu"] == year_end.year_figures(manager, 2026)[1] \
        - year_end.year_figures(manager, 2026)[2]
