"""The ledger reports on real books, cross-checked against figures computed another way:
daily cash and cash flow against the cash accounts' balances, the general ledger against the
trial balance, equity changes against the balance sheet, profit sharing against the BH
journals and what month-end returned, the SHU against the year-end, the Maal funds rolled
forward to their account balances; every report exported and read back; the statement batch
(files per member, combined pages, cancel).

The World book (the 40-member demo plus savers, Maal receipts and a distribution, financing
and its repayment, a fixed asset, a qardhul hasan loan, month-ends October–December 2026, the
year-end 2026 and an SHU payment) is built once for the module and only read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from openpyxl import load_workbook
from pypdf import PdfReader

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.printing.statement import StatementData, StatementLine, render_statement
from bmt_desktop.printing.statement_book import render_statements
from bmt_desktop.services import (
    documents,
    drawer,
    financing_payments,
    maal,
    month_end,
    report_export,
    report_model,
    savings,
    statement_batch,
    year_end,
)
from bmt_desktop.services.financing_state import facts
from bmt_desktop.services.ledger import post_journal
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book, open_book
from tests.conftest import open_demo_copy, session_of
from tests.test_financing_service import World

LEDGER_REPORTS = ("daily-cash", "general-ledger", "cash-flow", "equity-changes", "zakat",
                  "benevolence", "profit-sharing", "shu", "statement")
NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
DEC = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
JAN = (dt.date(2027, 1, 1), dt.date(2027, 1, 31))
AFTER = dt.date(2027, 1, 10)  # the World's business date once everything is posted


@dataclass
class Books:
    world: Book
    demo: Book
    month_ends: dict[int, month_end.MonthEndResult]
    year_end: year_end.YearEndResult
    shu_paid: int
    auditor: Session  # on the World book
    demo_auditor: Session


def _build_world(book: Book) -> tuple[dict[int, month_end.MonthEndResult],
                                      year_end.YearEndResult, int]:
    world = World(book)
    teller, manager = world.teller, world.manager
    members = [m for (m,) in book.raw().execute(
        "SELECT id FROM member WHERE status = 'aktif' ORDER BY id LIMIT 3")]
    for i, member in enumerate(members):
        account = savings.open_account(teller, member, "TM")
        savings.deposit(teller, account.number, 1_000_000 * (i + 1))
    maal.receive(teller, "zakat", "H. Maman", 2_500_000)
    maal.receive(teller, "infak", "Hamba Allah", 300_000)
    proposal = maal.propose(teller, "zakat", "Ibu Onih", "Modal usaha mustahik", 1_000_000)
    maal.decide(manager, proposal.id, True)
    maal.pay(teller, proposal.id)
    fid = world.running()
    post_journal(manager, teller.today, "Pembelian komputer kantor",
                 [LineSpec("121", debit=7_500_000), LineSpec("103", credit=7_500_000)])
    post_journal(manager, teller.today, "Pinjaman qardhul hasan Ibu Titin",
                 [LineSpec("132", debit=400_000), LineSpec("131", credit=400_000)])
    post_journal(manager, teller.today, "Jasa giro bank konvensional (non-halal)",
                 [LineSpec("131", debit=12_345), LineSpec("245", credit=12_345)])
    first = facts(book.raw(), fid).schedule[0]
    world.go_to(first.due_on)  # 29 December 2026
    financing_payments.repay(teller, fid, first.amount)
    post_journal(manager, teller.today, "Pengembalian qardhul hasan Ibu Titin",
                 [LineSpec("131", debit=100_000), LineSpec("132", credit=100_000)])
    state = drawer.current_drawer(teller)
    assert state is not None
    drawer.close_drawer(teller, {100: state.expected_cash // 100})
    manager.today = AFTER
    post_journal(manager, dt.date(2026, 12, 30), "Pendapatan sewa gedung",
                 [LineSpec("103", debit=60_000_000), LineSpec("409", credit=60_000_000)])
    results = {month: month_end.run_month_end(manager, 2026, month) for month in (10, 11, 12)}
    closing = year_end.run_year_end(manager, 2026)
    member, amount, _jua, _jma = max(
        ((m, jua + jma, jua, jma) for m, jua, jma in closing.member_rows), key=lambda r: r[1])
    post_journal(manager, dt.date(2027, 1, 8), "Pembayaran SHU anggota",
                 [LineSpec("210", debit=amount, member_id=member),
                  LineSpec("101", credit=amount)])
    return results, closing, amount


@pytest.fixture(scope="module")
def books(demo_templates: Callable[[int], Path], tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[Books]:
    world_book = open_demo_copy(demo_templates(40), tmp_path_factory.mktemp("world"))
    results, closing, paid = _build_world(world_book)
    demo_path = tmp_path_factory.mktemp("demo") / "demo.bmt"
    shutil.copyfile(demo_templates(40), demo_path)
    demo_book = open_book(demo_path)
    auditor = session_of(world_book, "auditor")
    auditor.today = AFTER
    demo_auditor = session_of(demo_book, "auditor")
    yield Books(world_book, demo_book, results, closing, paid, auditor, demo_auditor)
    world_book.close()
    demo_book.close()


def build(session: Session, name: str, period: tuple[dt.date, dt.date]
          ) -> report_model.Report:
    return report_model.build(session, name, *period)


def balances(book: Book, codes: tuple[str, ...], on: dt.date) -> dict[str, int]:
    """debit − credit of each account up to ``on``, straight from the lines."""
    marks = ", ".join("?" for _c in codes)
    found = dict(book.raw().execute(
        "SELECT a.code, coalesce(sum(l.debit - l.credit), 0) FROM account a "
        "LEFT JOIN journal_line l ON l.account_id = a.id AND l.journal_id IN "
        f"(SELECT id FROM journal WHERE date <= ?) WHERE a.code IN ({marks}) GROUP BY a.code",
        (on.isoformat(), *codes)))
    return {code: int(found.get(code, 0)) for code in codes}


def stored_balances(book: Book, codes: tuple[str, ...]) -> dict[str, int]:
    """The balances the ledger keeps on the account rows (updated with every posting)."""
    marks = ", ".join("?" for _c in codes)
    return dict(book.raw().execute(
        f"SELECT code, balance FROM account WHERE code IN ({marks})", codes))


# ------------------------------------------------------------------------------ registered
def test_every_ledger_report_is_registered() -> None:
    names = report_model.report_names()
    assert set(LEDGER_REPORTS) <= set(names)
    assert report_model.REPORTS["shu"].yearly
    assert not report_model.REPORTS["daily-cash"].yearly


# ------------------------------------------------------------------------------ daily cash
@pytest.mark.parametrize("period", [NOV, DEC, JAN])
def test_daily_cash_closes_on_the_cash_accounts(books: Books,
                                                period: tuple[dt.date, dt.date]) -> None:
    report = build(books.auditor, "daily-cash", period)
    start, end = period
    cash = ("101", "102", "131")
    closing = balances(books.world, cash, end)
    opening = balances(books.world, cash, start - dt.timedelta(days=1))
    summary = {str(r["cash"])[:3]: r for r in report.rows if r.get("date") is None
               and str(r.get("cash", ""))[:3] in cash and "_style" not in r}
    for code in cash:
        if code in summary:
            assert summary[code]["closing"] == closing[code], code
            assert summary[code]["opening"] == opening[code], code
    assert report.totals["closing"] == sum(closing.values())
    assert report.totals["opening"] == sum(opening.values())
    assert report.totals["opening"] + report.totals["in"] - report.totals["out"] \
        == report.totals["closing"]
    for row in report.rows:
        if row.get("opening") is not None:
            assert row["opening"] + row["in"] - row["out"] == row["closing"], row
    if period == JAN:  # nothing is posted after January: the ledger's own balances
        assert report.totals["closing"] == sum(stored_balances(books.world, cash).values())


def test_daily_cash_shows_the_drawers_and_one_day_in_detail(books: Books) -> None:
    day = dt.date(2026, 11, 29)
    month = build(books.auditor, "daily-cash", NOV)
    drawers = [r for r in month.rows if str(r.get("cash", "")).startswith(("Laci", "Drawer"))]
    assert drawers and all(r["date"] is None for r in drawers)
    (teller_drawer,) = drawers  # the World's teller opened one drawer on 29 November
    assert teller_drawer["in"] > 0 and teller_drawer["closing"] == 0  # closed on the same day
    detail = build(books.auditor, "daily-cash", (day, day))
    assert [c.key for c in detail.columns] == ["doc", "description", "in", "out", "closing"]
    closing = balances(books.world, ("101", "102", "131"), day)
    ends = {r["description"][-3:]: r["closing"] for r in detail.rows
            if r.get("_style") == "subtotal"}
    assert ends == closing
    docs = {r["doc"] for r in detail.rows if str(r.get("doc", "")).startswith("KW-")}
    (posted,) = books.world.raw().execute(
        "SELECT count(DISTINCT j.doc_number) FROM journal j JOIN journal_line l "
        "ON l.journal_id = j.id JOIN account a ON a.id = l.account_id WHERE j.date = ? "
        "AND a.code IN ('101', '102', '131') AND j.doc_number LIKE 'KW-%'",
        (day.isoformat(),)).fetchone()
    assert len(docs) == posted > 0
    # The running balance of each account adds up posting by posting.
    balance = None
    for row in detail.rows:
        if row.get("_style") == "heading":
            balance = None
        elif balance is None and row.get("closing") is not None:
            balance = row["closing"]
        elif row.get("_style") is None and balance is not None:
            balance += (row.get("in") or 0) - (row.get("out") or 0)
            assert row["closing"] == balance


# -------------------------------------------------------------------------- general ledger
@pytest.mark.parametrize("period", [DEC, JAN])
def test_general_ledger_closes_on_the_trial_balance(books: Books,
                                                    period: tuple[dt.date, dt.date]) -> None:
    ledger = build(books.auditor, "general-ledger", period)
    assert ledger.landscape
    tb = build(books.auditor, "trial-balance", period)
    trial = {r["code"]: r["debit"] - r["credit"] for r in tb.rows}
    closing = {r["_account"]: r["_net"] for r in ledger.rows if "_account" in r}
    assert {code: net for code, net in closing.items() if net} == trial
    assert ledger.totals["debit"] == ledger.totals["credit"] > 0
    (lines,) = books.world.raw().execute(
        "SELECT sum(l.debit) FROM journal_line l JOIN journal j ON j.id = l.journal_id "
        "WHERE j.date BETWEEN ? AND ?", (period[0].isoformat(), period[1].isoformat())
    ).fetchone()
    assert ledger.totals["debit"] == lines
    postings = [r for r in ledger.rows if r.get("doc") and "_style" not in r]
    assert len(postings) == books.world.raw().execute(
        "SELECT count(*) FROM journal_line l JOIN journal j ON j.id = l.journal_id "
        "WHERE j.date BETWEEN ? AND ?", (period[0].isoformat(), period[1].isoformat())
    ).fetchone()[0]
    if period == JAN:  # the year-end's closing journals are January postings
        assert any(r.get("doc", "").startswith("TB-") for r in postings)


# ------------------------------------------------------------------------------- cash flow
def _items(report: report_model.Report) -> dict[str, int]:
    return {str(r["_item"]): int(r["amount"]) for r in report.rows if "_item" in r}


@pytest.mark.parametrize("period", [NOV, DEC, JAN])
def test_cash_flow_reaches_the_cash_balances(books: Books,
                                             period: tuple[dt.date, dt.date]) -> None:
    flow = build(books.auditor, "cash-flow", period)
    cash = ("101", "102", "103", "131")
    t = flow.totals
    assert t["opening"] == sum(balances(books.world, cash, period[0] - dt.timedelta(1)).values())
    assert t["closing"] == sum(balances(books.world, cash, period[1]).values())
    assert t["opening"] + t["net"] == t["closing"] == t["cash_accounts"]
    assert t["operating"] + t["investing"] + t["financing"] == t["net"]
    if period == NOV:  # what the World added to the demo's November
        demo = build(books.demo_auditor, "cash-flow", period)
        assert t["investing"] - demo.totals["investing"] == -7_500_000  # the office computer
        added = _items(flow)
        for label, amount in _items(demo).items():
            added[label] = added.get(label, 0) - amount
        assert {k: v for k, v in added.items() if v} == {
            "savings+": 6_000_000,  # the three savers' deposits
            "financing-": -10_000_000,  # the murabahah's principal
            "income+": 50_000,  # its admin fee
            "maal+": 2_500_000 + 300_000 + 12_345,  # zakat, infak, non-halal
            "maal-": -1_000_000,  # the zakat distribution
            "qardh-": -400_000,
            "fixed_assets-": -7_500_000}  # the office computer
    if period == JAN:
        assert t["financing"] == -books.shu_paid  # the SHU paid to a member
        assert t["operating"] == t["investing"] == 0
    assert len(flow.notes) == 1  # the method; no "does not reach the cash balances"


# -------------------------------------------------------------------------- equity changes
@pytest.mark.parametrize("period", [NOV, DEC, JAN])
def test_equity_changes_reconcile_with_the_balance_sheet(
        books: Books, period: tuple[dt.date, dt.date]) -> None:
    start, end = period
    changes = build(books.auditor, "equity-changes", period)
    sheet = report_model.build(books.auditor, "balance-sheet", end, end).totals
    before = start - dt.timedelta(days=1)
    earlier = report_model.build(books.auditor, "balance-sheet", before, before).totals
    assert changes.totals["closing"] == sheet["equity"]
    assert changes.totals["opening"] == earlier["equity"]
    for row in changes.rows:
        assert row["opening"] + row["additions"] - row["reductions"] == row["closing"]
    shu = report_model.build(books.auditor, "income-statement", start, end).totals["shu"]
    assert changes.totals["shu"] == shu
    if period == JAN:  # the year-end moved the SHU into the reserve and out to members
        reserve = next(r for r in changes.rows if r["code"] == "303")
        assert reserve["additions"] == books.year_end.reserve


# --------------------------------------------------------------------------- profit sharing
def test_profit_sharing_equals_the_bh_journals_and_month_end(books: Books) -> None:
    december = books.month_ends[12]
    report = build(books.auditor, "profit-sharing", DEC)
    shared = sum(p.shared for p in december.products)
    assert shared > 0
    assert report.totals["shared"] == report.totals["bh_journals"] == shared
    assert report.totals["revenue"] == december.revenue == 100_000
    assert report.totals["accounts"] == sum(p.accounts for p in december.products)
    accounts = [r for r in report.rows if "_style" not in r and r.get("nisbah")]
    assert sum(r["share"] for r in accounts) == shared
    assert all(r["nisbah"] == 40 for r in accounts)  # the TM product's nisbah
    (lines,) = books.world.raw().execute(
        "SELECT sum(l.credit) FROM journal_line l JOIN journal j ON j.id = l.journal_id "
        "WHERE l.memo = 'BH' AND l.savings_account_id IS NOT NULL AND j.date "
        "BETWEEN '2026-12-01' AND '2026-12-31'").fetchone()
    assert lines == shared
    assert report.totals["bmt_share"] == december.revenue - shared
    for month, period in ((10, (dt.date(2026, 10, 1), dt.date(2026, 10, 31))), (11, NOV)):
        other = build(books.auditor, "profit-sharing", period)
        result = books.month_ends[month]
        assert other.totals["shared"] == other.totals["bh_journals"] == sum(
            p.shared for p in result.products)
        assert other.totals["revenue"] == result.revenue


# --------------------------------------------------------------------------------------- SHU
def test_shu_report_is_the_year_end(books: Books) -> None:
    closing = books.year_end
    report = report_model.build(books.auditor, "shu", *report_model.parse_report_period(
        "2026", yearly=True))
    t = report.totals
    assert t["distributed"] is True
    assert (t["income"], t["expense"], t["shu"]) == (closing.income, closing.expense,
                                                     closing.shu)
    assert t["members"] == closing.members == closing.shu * 40 // 100  # shu_members_pct
    assert (t["jua"], t["jma"], t["reserve"]) == (closing.jua, closing.jma, closing.reserve)
    assert t["reserve"] + t["members"] + t["fund_207"] + t["fund_208"] + t["fund_209"] \
        == closing.shu
    members = [r for r in report.rows if str(r.get("member", "")).startswith("AG-")]
    assert len(members) == t["member_count"] == len(closing.member_rows)
    assert all(r["jua"] + r["jma"] == r["total"] for r in members)
    assert sum(r["total"] for r in members) == t["members"] == t["total"]
    by_number = {r["member"]: (r["jua"], r["jma"]) for r in members}
    numbers = dict(books.world.raw().execute("SELECT id, number FROM member"))
    assert by_number == {numbers[m]: (jua, jma) for m, jua, jma in closing.member_rows}
    assert report.period == "2026"


def test_shu_before_the_year_end_is_computed_not_distributed(books: Books) -> None:
    report = build(books.demo_auditor, "shu", (dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    income, expense = year_end.year_figures(books.demo_auditor, 2026)[1:]
    assert report.totals["distributed"] is False
    assert report.totals["shu"] == income - expense
    assert report.totals["member_count"] == 0
    assert any("belum" in note or "not" in note for note in report.notes)


# ------------------------------------------------------------------------------ Maal funds
def _sections(report: report_model.Report) -> dict[str, tuple[int, int, int, int]]:
    """code → (opening, in, out, closing) read back from the rows."""
    found, code, opening = {}, None, 0
    for row in report.rows:
        if row.get("_style") == "heading":
            code = row["doc"]
        elif row.get("description") in ("Saldo awal", "Opening balance"):
            opening = row["balance"]
        elif row.get("_style") == "subtotal":
            found[code] = (opening, row["in"], row["out"], row["balance"])
    return found


@pytest.mark.parametrize("period", [NOV, DEC, (dt.date(2026, 11, 1), dt.date(2027, 1, 31))])
def test_maal_funds_roll_forward_to_their_balances(books: Books,
                                                    period: tuple[dt.date, dt.date]) -> None:
    start, end = period
    before = start - dt.timedelta(days=1)
    codes = ("241", "242", "243", "244", "245", "132")
    closing, opening = balances(books.world, codes, end), balances(books.world, codes, before)
    zakat = build(books.auditor, "zakat", period)
    benevolence = build(books.auditor, "benevolence", period)
    sections = {**_sections(zakat), **_sections(benevolence)}
    for code, (first, received, used, last) in sections.items():
        sign = 1 if code == "132" else -1  # the loans are an asset, the funds are owed
        assert first == sign * opening[code], code
        assert last == sign * closing[code], code
        assert (first + received - used if sign < 0 else first - received + used) == last
    t = zakat.totals
    assert t["opening"] + t["receipts"] - t["distributions"] == t["closing"] == -closing["241"]
    b = benevolence.totals
    assert b["opening"] + b["receipts"] - b["uses"] == b["closing"] \
        == -sum(closing[c] for c in ("242", "243", "244", "245"))
    assert b["qardh_opening"] + b["qardh_lent"] - b["qardh_repaid"] == b["qardh_outstanding"] \
        == closing["132"]
    if period == NOV:  # what the World added to the demo's November
        zakat_demo = build(books.demo_auditor, "zakat", period).totals
        assert (t["receipts"] - zakat_demo["receipts"],
                t["distributions"] - zakat_demo["distributions"]) == (2_500_000, 1_000_000)
        demo = build(books.demo_auditor, "benevolence", period).totals
        assert (b["receipts"] - demo["receipts"], b["qardh_lent"] - demo["qardh_lent"],
                b["qardh_repaid"] - demo["qardh_repaid"]) == (300_000 + 12_345, 400_000, 0)


# -------------------------------------------------------------------------- statement list
def test_statement_list_adds_up_to_the_savings_accounts(books: Books) -> None:
    report = build(books.auditor, "statement", JAN)
    accounts = [r for r in report.rows if "_style" not in r]
    for row in accounts:
        assert row["opening"] - row["debit"] + row["credit"] == row["closing"]
    (held, count) = books.world.raw().execute(
        "SELECT sum(balance), count(*) FROM savings_account WHERE status = 'aktif'").fetchone()
    assert report.totals["closing"] == held  # nothing posted after January
    assert report.totals["accounts"] == len(accounts) == count
    december = build(books.auditor, "statement", DEC)
    assert december.totals["credit"] - december.totals["debit"] == december.totals["closing"] \
        - december.totals["opening"]
    bh = sum(p.shared for p in books.month_ends[12].products)
    tm = next(r for r in december.rows if r.get("_style") == "subtotal"
              and "TM" in str(r["name"]))
    assert tm["credit"] - tm["debit"] == bh  # December's only TM movement is the profit share


# ------------------------------------------------------------------------ empty and on demo
def test_reports_on_an_empty_book_and_an_empty_period(books: Books, book: Book) -> None:
    fresh = session_of(book, "auditor")
    for name in LEDGER_REPORTS:
        for session, period in ((fresh, NOV), (books.auditor, (dt.date(2001, 1, 1),
                                                                dt.date(2001, 1, 31)))):
            report = build(session, name, period)
            assert report.rows == [], (name, report.rows[:2])
            assert all(not v for k, v in report.totals.items() if isinstance(v, int)), name
    day = build(fresh, "daily-cash", (dt.date(2026, 11, 3), dt.date(2026, 11, 3)))
    assert day.rows == []


def test_demo_book_cross_checks(books: Books) -> None:
    session = books.demo_auditor
    period = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    cash = build(session, "daily-cash", period)
    assert cash.totals["closing"] == sum(balances(books.demo, ("101", "102", "131"),
                                                  period[1]).values())
    flow = build(session, "cash-flow", period)
    assert flow.totals["opening"] + flow.totals["net"] == flow.totals["cash_accounts"]
    ledger = build(session, "general-ledger", period)
    trial = {r["code"]: r["debit"] - r["credit"]
             for r in build(session, "trial-balance", period).rows}
    assert {r["_account"]: r["_net"] for r in ledger.rows if r.get("_net")} == trial
    equity = build(session, "equity-changes", period)
    sheet = report_model.build(session, "balance-sheet", period[1], period[1]).totals
    assert equity.totals["closing"] == sheet["equity"]
    zakat = build(session, "zakat", period)  # the harvest zakat of September
    assert zakat.totals["receipts"] > 0
    assert zakat.totals["closing"] == -balances(books.demo, ("241",), period[1])["241"]


# -------------------------------------------------------------------------------- exports
@pytest.mark.parametrize("name,period", [
    ("daily-cash", NOV), ("general-ledger", DEC), ("cash-flow", NOV),
    ("equity-changes", JAN), ("zakat", NOV), ("benevolence", NOV),
    ("profit-sharing", DEC), ("shu", (dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
    ("statement", NOV)])
def test_every_report_exports(books: Books, tmp_path: Path, name: str,
                              period: tuple[dt.date, dt.date]) -> None:
    report = build(books.auditor, name, period)
    assert report.rows
    money = [c.key for c in report.columns if c.kind == "money"]
    assert money
    data = json.loads(report_export.export(books.auditor, report, tmp_path / "r.json")
                      .read_text(encoding="utf-8"))
    assert {"report", "period", "rows", "totals"} <= set(data)
    assert data["report"] == name and len(data["rows"]) == len(report.rows)
    assert not any(k.startswith("_") for row in data["rows"] for k in row)
    book = load_workbook(report_export.export(books.auditor, report, tmp_path / "r.xlsx"))
    sheet = book.active
    assert sheet["B1"].value is None and sheet["A2"].value == report.title
    assert [c.value for c in sheet[5]] == [c.label for c in report.columns]
    assert sheet.max_row >= 5 + len(report.rows)
    text = report_export.export(books.auditor, report, tmp_path / "r.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [c.label for c in report.columns] and len(rows) >= 1 + len(report.rows)
    pdf = PdfReader(report_export.export(books.auditor, report, tmp_path / "r.pdf"))
    first = pdf.pages[0].extract_text()
    assert report.title in first
    figure = next(int(r[k]) for r in report.rows for k in money
                  if isinstance(r.get(k), int) and abs(int(r[k])) >= 1000)
    assert format_decimal(figure, locale="id_ID") in " ".join(
        p.extract_text() for p in pdf.pages)
    for word in ("Opening", "Closing", "Balance", "Total cash", "Drawer of"):
        assert word not in first, word  # translated


# ------------------------------------------------------------------------- statement batch
def test_batch_data_is_what_one_statement_shows(books: Books) -> None:
    members = statement_batch.statement_data(books.auditor, 2026, 12)
    flat = [d for items in members for d in items]
    (active,) = books.world.raw().execute(
        "SELECT count(*) FROM savings_account WHERE status = 'aktif'").fetchone()
    assert len(flat) == active
    for data in [flat[0], *[d for d in flat if d.lines][:5]]:
        one = documents.statement_data(books.auditor, data.account_number, 2026, 12)
        assert data.__dict__ | {"printed_at": None} == one.__dict__ | {"printed_at": None}


def test_batch_writes_one_file_per_member_and_a_combined_file(books: Books,
                                                               tmp_path: Path) -> None:
    members = statement_batch.statement_data(books.auditor, 2026, 12)
    seen: list[float] = []
    one = tmp_path / "one"
    one.mkdir()
    files = statement_batch.statements_pdf(books.auditor, 2026, 12, one, combined=False,
                                           progress=seen.append, workers=0)
    assert len(files) == len(members) == len(list(one.iterdir()))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    pages = sum(len(PdfReader(f).pages) for f in files)
    assert pages >= sum(len(items) for items in members)
    first = PdfReader(files[0])
    assert len(first.pages) == len(members[0])  # one page a statement: a quiet month
    assert members[0][0].member_name in first.pages[0].extract_text()
    both = tmp_path / "combined"
    both.mkdir()
    (combined,) = statement_batch.statements_pdf(books.auditor, 2026, 12, both,
                                                 combined=True, workers=0)
    assert len(PdfReader(combined).pages) == pages
    assert combined.stat().st_size < sum(f.stat().st_size for f in files) / 5  # fonts once


def test_batch_in_helper_processes_gives_the_same_pages(books: Books, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.setattr(statement_batch, "CHUNK", 40)  # several pieces of work
    inline = statement_batch.statements_pdf(books.auditor, 2026, 12, tmp_path, combined=True,
                                            workers=0)
    reader = PdfReader(inline[0])
    sample = (0, 39, 40, 41, len(reader.pages) - 1)  # across the pieces' seams
    expected = [reader.pages[i].extract_text().split("Dicetak")[0] for i in sample]
    inline[0].unlink()
    (pooled,) = statement_batch.statements_pdf(books.auditor, 2026, 12, tmp_path,
                                               combined=True, workers=2)
    pages = PdfReader(pooled).pages
    assert len(pages) == len(reader.pages)
    assert [pages[i].extract_text().split("Dicetak")[0] for i in sample] == expected


def test_cancel_stops_the_batch_and_leaves_no_partial_combined_file(books: Books,
                                                                    tmp_path: Path) -> None:
    calls: list[float] = []

    def after_three() -> bool:
        return len(calls) > 3

    written = statement_batch.statements_pdf(books.auditor, 2026, 12, tmp_path,
                                             combined=False, progress=calls.append,
                                             cancelled=after_three, workers=0)
    assert 0 < len(written) < 40 and sorted(tmp_path.iterdir()) == sorted(written)
    assert calls[-1] < 1.0
    calls.clear()
    combined = tmp_path / "combined"
    combined.mkdir()
    assert statement_batch.statements_pdf(books.auditor, 2026, 12, combined, combined=True,
                                          progress=calls.append, cancelled=lambda: True,
                                          workers=0) == []
    assert list(combined.iterdir()) == []


def test_batch_refuses_bad_input(books: Books, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="(?i)folder|folder"):
        statement_batch.statements_pdf(books.auditor, 2026, 12, tmp_path / "nope",
                                       combined=True)
    for year, month in ((2026, 13), (2027, 3), ("2026", 1)):
        with pytest.raises(ValidationError):
            statement_batch.statements_pdf(books.auditor, year, month, tmp_path,  # type: ignore[arg-type]
                                           combined=True)
    assert list(tmp_path.iterdir()) == []


def test_statements_in_one_file_number_their_own_pages() -> None:
    lines = tuple(StatementLine(dt.date(2026, 11, 1 + i % 28), f"KW-2026-{i:06d}",
                                f"Setoran ke-{i}", 0, 10_000) for i in range(70))
    base = dict(office_name="BMT Uji", office_address="Jl. Uji", office_registration="",
                is_demo=False, member_number="AG-000001", product_name="Simpanan Sukarela",
                year=2026, month=11, printed_at=dt.datetime(2026, 12, 1, 9, 0))
    long = StatementData(member_name="Siti Aminah", account_number="SS-000001",
                         opening_balance=5_000, lines=lines, **base)  # type: ignore[arg-type]
    short = StatementData(member_name="Siti Aminah", account_number="SW-000001",
                          opening_balance=120_000, **base)  # type: ignore[arg-type]
    pdf, pages = render_statements([long, short])
    alone = len(PdfReader(io.BytesIO(render_statement(long))).pages)
    assert alone >= 2 and pages == alone + 1
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(texts) == pages
    for number, page in enumerate(texts[:alone], start=1):
        assert "SS-000001 · Siti Aminah" in page
        assert f"{number} dari {alone}" in page
    assert "SW-000001 · Siti Aminah" in texts[-1] and "1 dari 1" in texts[-1]
    one = PdfReader(io.BytesIO(render_statement(short))).pages[0].extract_text()
    assert one == texts[-1]


def test_shu_of_a_loss_year_shows_the_deficit_waiting_for_the_rat(demo: Book) -> None:
    world = World(demo)
    state = drawer.current_drawer(world.teller)
    assert state is not None
    drawer.close_drawer(world.teller, {100: state.expected_cash // 100})
    world.manager.today = AFTER
    for month in (10, 11, 12):
        month_end.run_month_end(world.manager, 2026, month)
    closing = year_end.run_year_end(world.manager, 2026)
    assert closing.shu < 0
    report = build(world.manager, "shu", (dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    assert report.totals["shu"] == closing.shu and report.totals["members"] == 0
    (deficit,) = [r for r in report.rows if r.get("member") == "305"]
    assert deficit["total"] == closing.shu
    assert "RAT" in report.notes[0] and "JUA" not in report.notes[0]
