"""Financing and empowerment reports on real books: the 40-member demo book with financing of
our own on top (applied by the teller, approved by the manager, disbursed and repaid through
the drawer while time moves on), cross-checked against the financing services: NPF from the
rows, class counts, PPAP against ``reserve_rows``, aging against the arrears of ``facts()``,
Kube households against ``kube_member``; a past month read as the books stood then; and every
report exported as PDF, XLSX, CSV and JSON, with data and for a period without any."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bmt_desktop.domain.financing_rules import NON_PERFORMING, arrears, health
from bmt_desktop.services import drawer, financing_payments, kube, report_export, report_model
from bmt_desktop.services import financing as fin
from bmt_desktop.services.book_settings import set_setting
from bmt_desktop.services.financing import ApplicationInput, Collateral
from bmt_desktop.services.financing_state import facts, facts_on
from bmt_desktop.services.reports_programme import BUCKETS, bucket_of, running_loans
from bmt_desktop.services.session import Session
from bmt_desktop.services.training_reports import (
    kube_training,
    sessions_in_period,
    untrained_members,
)
from bmt_desktop.store.book import Book, open_book
from tests.conftest import END, session_of

NAMES = ("collectibility", "aging", "kube-performance", "empowerment", "training")
FLOAT = 50_000_000


@dataclass(frozen=True)
class Scenario:
    path: Path
    today: dt.date  # the last day the scenario moved to
    late: int  # individual, never paid: Kurang Lancar by ``today``
    settled: int  # individual, two instalments paid on time, then settled early
    group: int  # a Kube's financing, never paid
    kube_id: int
    first_due: dt.date  # of ``late`` and ``settled`` (disbursed the same day, monthly)
    second_due: dt.date
    settled_on: dt.date
    principal_paid: tuple[int, int]  # principal of ``settled``'s first two instalments


class Teller:
    """The teller's day on a demo book: the drawer closed and opened as time moves."""

    def __init__(self, book: Book) -> None:
        self.teller = session_of(book, "kasir")
        self.manager = session_of(book, "manajer")
        drawer.open_drawer(self.teller, FLOAT)

    def go_to(self, day: dt.date) -> None:
        state = drawer.current_drawer(self.teller)
        if state is not None and state.status == "buka":
            state = drawer.close_drawer(self.teller, {100: state.expected_cash // 100})
        if state is not None and state.status == "menunggu":
            drawer.approve_difference(self.manager, state.id)
        self.teller.today = self.manager.today = day
        drawer.open_drawer(self.teller, FLOAT)

    def running(self, data: ApplicationInput) -> int:
        fid = fin.apply(self.teller, data)
        fin.decide(self.manager, fid, True)
        fin.disburse(self.teller, fid)
        return fid


def individual(member_id: int, principal: int, eligible: int) -> ApplicationInput:
    return ApplicationInput(
        product_code="MRI", principal=principal, instalments=12, frequency="bulanan",
        purpose="Modal warung sembako", member_id=member_id, rate_bp=1200,
        goods="Etalase dan stok", supplier="Toko Makmur", cost_price=principal,
        collateral=[Collateral("BPKB motor", eligible + 1_000_000, eligible)])


@pytest.fixture(scope="module")
def scenario(demo_templates: Callable[[int], Path],
             tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    path = tmp_path_factory.mktemp("programme") / "demo.bmt"
    shutil.copyfile(demo_templates(40), path)
    book = open_book(path)
    try:
        desk = Teller(book)
        conn = book.raw()
        loners = [m for (m,) in conn.execute(
            "SELECT id FROM member WHERE status = 'aktif' AND id NOT IN (SELECT member_id "
            "FROM kube_member WHERE left_on IS NULL) ORDER BY id LIMIT 2")]
        kube_id = conn.execute("SELECT kube_id FROM kube_member WHERE left_on IS NULL "
                               "GROUP BY kube_id ORDER BY kube_id LIMIT 1").fetchone()[0]
        members = [m for (m,) in conn.execute(
            "SELECT member_id FROM kube_member WHERE kube_id = ? AND left_on IS NULL "
            "ORDER BY member_id", (kube_id,))]
        late = desk.running(individual(loners[0], 10_000_000, 5_000_000))
        settled = desk.running(individual(loners[1], 6_000_000, 1_000_000))
        shares = [(m, 5_000_000 // len(members)) for m in members]
        shares[0] = (shares[0][0], shares[0][1] + 5_000_000 - sum(a for _m, a in shares))
        group = desk.running(ApplicationInput(
            product_code="MRK", principal=5_000_000, instalments=25, frequency="mingguan",
            purpose="Modal usaha bersama", kube_id=kube_id, rate_bp=1800, goods="Bahan baku",
            supplier="Pasar Induk", cost_price=5_000_000, shares=shares))
        schedule = facts(conn, settled).schedule
        for instalment in schedule[:2]:
            desk.go_to(instalment.due_on)
            financing_payments.repay(desk.teller, settled, instalment.amount)
        settled_on = schedule[2].due_on - dt.timedelta(days=10)
        desk.go_to(settled_on)
        financing_payments.settle_early(desk.teller, settled)
        today = schedule[0].due_on + dt.timedelta(days=100)
        desk.go_to(today)
        return Scenario(path, today, late, settled, group, kube_id, schedule[0].due_on,
                        schedule[1].due_on, settled_on,
                        (schedule[0].principal, schedule[1].principal))
    finally:
        book.close()


@pytest.fixture
def books(scenario: Scenario, tmp_path: Path) -> Iterator[Book]:
    """A copy of the scenario's book, open for writing."""
    path = tmp_path / "demo.bmt"
    shutil.copyfile(scenario.path, path)
    book = open_book(path)
    yield book
    book.close()


@pytest.fixture
def manager(books: Book, scenario: Scenario) -> Session:
    session = session_of(books, "manajer")
    session.today = scenario.today
    return session


def build(session: Session, name: str, period: str) -> report_model.Report:
    start, end = report_model.parse_report_period(period, today=session.today)
    return report_model.build(session, name, start, end)


def financing_rows(report: report_model.Report) -> list[dict]:
    return [r for r in report.rows if r.get("section") == "financing"]


# ------------------------------------------------------------------------------ collectibility
def test_collectibility_agrees_with_reserve_rows_and_its_own_rows(manager: Session,
                                                                  scenario: Scenario) -> None:
    report = build(manager, "collectibility", f"{scenario.today:%Y-%m}")
    rows = financing_rows(report)
    assert report.end == scenario.today  # the month still runs: the position of today
    # The same financing, figures and classes as the service that posts the reserve.
    reserves = {r.number: r for r in financing_payments.reserve_rows(manager, scenario.today)}
    assert {r["number"] for r in rows} == set(reserves)
    for row in rows:
        expected = reserves[row["number"]]
        assert (row["outstanding"], row["collateral"], row["days"], row["class_code"],
                row["reserve"]) == (expected.outstanding, expected.collateral, expected.days,
                                    expected.klass, expected.reserve)
    assert report.totals["reserve"] == sum(r.reserve for r in reserves.values())
    # NPF from the rows: (KL + D + M) ÷ total.
    total = sum(r["outstanding"] for r in rows)
    bad = sum(r["outstanding"] for r in rows if r["class_code"] in NON_PERFORMING)
    assert report.totals["outstanding"] == total and report.totals["non_performing"] == bad
    assert report.totals["npf_pct"] == round(float(Fraction(bad * 100, total)), 2)
    assert report.totals["health"] == health(Fraction(bad, total))
    # Class counts and sums add up to the rows and to the total.
    classes = [r for r in report.rows if r.get("section") == "class" and "class_code" in r]
    assert [c["class_code"] for c in classes] == ["lancar", "dpk", "kurang_lancar",
                                                  "diragukan", "macet"]
    for c in classes:
        own = [r for r in rows if r["class_code"] == c["class_code"]]
        assert c["count"] == len(own)
        assert c["outstanding"] == sum(r["outstanding"] for r in own)
        assert c["reserve"] == sum(r["reserve"] for r in own)
    assert sum(c["count"] for c in classes) == len(rows) == report.totals["count"]
    # Our own financing: the one never paid is ~100 days late, the settled one is gone.
    mine = {r["financing_id"]: r for r in rows}
    assert mine[scenario.late]["class_code"] == "kurang_lancar"
    assert mine[scenario.late]["days"] == (scenario.today - scenario.first_due).days
    assert scenario.settled not in mine and scenario.group in mine
    # The chart shows the outstanding per class.
    (chart,) = report.charts
    assert [v for _label, v in chart.series] == [c["outstanding"] for c in classes]


def test_four_class_mode_and_the_reserve_held(manager: Session, scenario: Scenario) -> None:
    period = f"{scenario.today:%Y-%m}"
    before = build(manager, "collectibility", period)
    set_setting(manager, "collectibility_classes", "4")
    four = build(manager, "collectibility", period)
    classes = [r["class_code"] for r in four.rows if r.get("section") == "class"
               and "class_code" in r]
    assert classes == ["lancar", "kurang_lancar", "diragukan", "macet"]
    dpk = {r["number"] for r in financing_rows(before) if r["class_code"] == "dpk"}
    assert all(r["class_code"] == "lancar" for r in financing_rows(four) if r["number"] in dpk)
    assert four.totals["npf_pct"] == before.totals["npf_pct"]  # DPK is performing either way
    assert any("Juknis 15/2021" in note for note in four.notes)
    set_setting(manager, "collectibility_classes", "5")
    # Once month-end's reserve posting has run, account 119 holds what is required.
    financing_payments.post_reserve(manager)
    after = build(manager, "collectibility", period)
    assert after.totals["ppap_held"] == after.totals["ppap_required"] > 0
    assert after.totals["ppap_difference"] == 0


def test_a_past_month_shows_the_books_as_they_stood(manager: Session,
                                                    scenario: Scenario) -> None:
    conn = manager.book.raw()
    principal = facts(conn, scenario.settled).principal
    first, second = scenario.principal_paid
    month = scenario.first_due.strftime("%Y-%m")
    report = build(manager, "collectibility", month)
    rows = {r["financing_id"]: r for r in financing_rows(report)}
    month_end = report.end
    assert month_end.strftime("%Y-%m") == month and month_end < scenario.today
    # Repaid since, running then: one instalment paid by the month's end.
    settled = rows[scenario.settled]
    assert settled["outstanding"] == principal - first and settled["days"] == 0
    late = rows[scenario.late]
    assert late["days"] == (month_end - scenario.first_due).days
    # The month of the second instalment: two paid; of the early settlement: gone.
    second_month = build(manager, "collectibility", f"{scenario.second_due:%Y-%m}")
    assert second_month.end < scenario.settled_on
    paid = {r["financing_id"]: r for r in financing_rows(second_month)}[scenario.settled]
    assert paid["outstanding"] == principal - first - second
    gone = build(manager, "collectibility", f"{scenario.settled_on:%Y-%m}")
    assert scenario.settled not in {r["financing_id"] for r in financing_rows(gone)}
    # For a day after which nothing moved, the rebuilt past is what facts() reads today.
    for loan in running_loans(manager, scenario.today):
        assert facts_on(conn, loan.facts, scenario.today).states == loan.facts.states


# ------------------------------------------------------------------------------------- aging
def test_aging_buckets_sum_to_the_arrears_of_facts(manager: Session, scenario: Scenario) -> None:
    report = build(manager, "aging", f"{scenario.today:%Y-%m}")
    conn = manager.book.raw()
    running = [fid for (fid,) in conn.execute("SELECT id FROM financing WHERE status = 'cair'")]
    owed = [arrears(facts(conn, fid).states, scenario.today) for fid in running]
    buckets = [r for r in report.rows if r.get("section") == "bucket" and "count" in r]
    assert len(buckets) == len(BUCKETS)
    assert sum(b["overdue_principal"] for b in buckets) == sum(p for p, _m in owed)
    assert sum(b["overdue_margin"] for b in buckets) == sum(m for _p, m in owed)
    assert sum(b["overdue"] for b in buckets) == report.totals["overdue"] == sum(
        p + m for p, m in owed) > 0
    assert sum(b["count"] for b in buckets) == len(running) == report.totals["count"]
    assert sum(b["outstanding"] for b in buckets) == report.totals["outstanding"]
    listed = financing_rows(report)
    assert sum(r["overdue"] for r in listed) == report.totals["overdue"]
    for row in listed:
        assert row["overdue"] == row["overdue_principal"] + row["overdue_margin"]
        assert row["bucket"] == buckets[bucket_of(row["days"])]["bucket"]
    late = next(r for r in listed if r["financing_id"] == scenario.late)
    assert late["bucket"] == buckets[4]["bucket"]  # 91–120 days


# ---------------------------------------------------------------------------------- Kube
def test_kube_performance_counts_households_and_funds(manager: Session,
                                                      scenario: Scenario) -> None:
    report = build(manager, "kube-performance", f"{scenario.today:%Y-%m}")
    conn = manager.book.raw()
    day = report.end.isoformat()
    expected = dict(conn.execute(
        "SELECT k.id, (SELECT count(*) FROM kube_member m WHERE m.kube_id = k.id "
        "AND m.joined_on <= ? AND (m.left_on IS NULL OR m.left_on > ?)) FROM kube k "
        "WHERE k.formed_on <= ?", (day, day, day)))
    assert {r["kube_id"]: r["members"] for r in report.rows} == expected
    for key in ("members", "meetings", "iks", "group_savings", "outstanding", "arrears"):
        assert report.totals[key] == sum(r[key] for r in report.rows)
    for row in report.rows:
        assert row["iks"] == kube.group_fund_balance(manager, row["kube_id"], "iks")
        assert row["group_savings"] == kube.group_fund_balance(manager, row["kube_id"],
                                                               "tabungan")
        assert row["stage_code"] == kube.kube_stage(manager, row["kube_id"]).stage
    own = {r["kube_id"]: r for r in report.rows}[scenario.kube_id]
    group = facts(conn, scenario.group)
    assert own["outstanding"] >= group.left_principal > 0
    assert own["arrears"] >= sum(arrears(group.states, scenario.today)) > 0


def test_empowerment_shows_the_five_indicators(manager: Session, scenario: Scenario) -> None:
    report = build(manager, "empowerment", f"{scenario.today:%Y-%m}")
    assert [note[:2] for note in report.notes[1:6]] == ["1.", "2.", "3.", "4.", "5."]
    assert report.totals["members"] == sum(r["members"] for r in report.rows) > 0
    assert report.totals["savings_growth"] == sum(r["savings_growth"] for r in report.rows)
    conn = manager.book.raw()
    for row in report.rows:
        entry = kube.indicators(manager, row["kube_id"])
        assert row["members"] == entry.members
        (unknown,) = conn.execute(
            "SELECT count(*) FROM kube_member k JOIN member m ON m.id = k.member_id "
            "WHERE k.kube_id = ? AND k.left_on IS NULL AND m.monthly_income IS NULL",
            (row["kube_id"],)).fetchone()
        if not unknown and row["members"]:
            assert row["income_entry"] == entry.income_baseline
            assert row["income_latest"] == entry.income_latest
        assert 0 <= (row["knowledge"] or 0) <= 100 and 0 <= (row["skills"] or 0) <= 100
    mine = {r["kube_id"]: r for r in report.rows}[scenario.kube_id]
    assert mine["repayment"] is not None and mine["repayment"] < 100  # the group never paid
    titles = [c.title for c in report.charts]
    assert len(titles) == 3 and all(c.series for c in report.charts)


def test_training_uses_the_training_reports(manager: Session) -> None:
    manager.today = END
    report = build(manager, "training", "2026-02")
    sessions = sessions_in_period(manager, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    listed = [r for r in report.rows if r.get("section") == "session" and "session_id" in r]
    assert [r["session_id"] for r in listed] == [s.id for s in sessions] and sessions
    assert [r["completed"] for r in listed] == [s.completed for s in sessions]
    kubes = {k.kube_id: k for k in kube_training(manager, dt.date(2026, 2, 1),
                                                 dt.date(2026, 2, 28))}
    per_kube = [r for r in report.rows if r.get("section") == "kube" and "kube_id" in r]
    assert per_kube and all(r["completed"] == kubes[r["kube_id"]].completed
                            and r["people"] == kubes[r["kube_id"]].members for r in per_kube)
    untrained = [m for m in untrained_members(manager) if m.kube_name]
    assert [r["member_id"] for r in report.rows if r.get("section") == "untrained"
            and "member_id" in r] == [m.member_id for m in untrained]
    assert report.totals["untrained_in_kube"] == len(untrained)


# ---------------------------------------------------------------------------------- export
@pytest.mark.parametrize("period", ["now", "2025-01"])
def test_every_report_exports_to_every_format(manager: Session, scenario: Scenario,
                                              tmp_path: Path, period: str) -> None:
    when = f"{scenario.today:%Y-%m}" if period == "now" else period
    for name in NAMES:
        report = build(manager, name, when)
        if period != "now" and name != "training":
            assert report.rows == [] and report.charts == []  # before the programme began
        for fmt in report_export.FORMATS:
            path = report_export.export(manager, report, tmp_path / f"{name}.{fmt}")
            data = path.read_bytes()
            if fmt == "json":
                doc = json.loads(data)
                assert {"report", "period", "rows", "totals"} <= set(doc)
                assert doc["report"] == name and doc["period"] == when
                assert len(doc["rows"]) == len(report.rows)
            elif fmt == "pdf":
                text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
                assert report.title in text.replace("\n", " ")
            elif fmt == "xlsx":
                sheet = load_workbook(io.BytesIO(data)).active
                assert sheet["A2"].value == report.title
                assert [c.value for c in sheet[5]] == [c.label for c in report.columns]
            else:
                header = data.decode("utf-8-sig").splitlines()[0].split(";")
                assert header == [c.label for c in report.columns]
