"""Financing and empowerment reports: collectibility (NPF, PPAP, health), aging of arrears,
Kube performance, the seed study's five success indicators, and training (domain.md §3–§5).

A report shows the books as they stood on its day: the period's last day, or today while the
period is still running. A financing is running on that day when it was disbursed by then and
not yet repaid or written off; what was paid is read from its journal lines dated up to that
day, on the schedule version in force then (``financing_state.facts`` reads the present; for a
financing that moved since, the past is rebuilt from the same lines).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from babel.numbers import format_decimal

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.financing_rules import (
    CLASSES,
    NON_PERFORMING,
    CollectibilityRules,
    arrears,
    class_label,
    classify,
    health,
    npf,
    reserve,
)
from bmt_desktop.domain.kube_stage import stage_label
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import N_, _
from bmt_desktop.services.financing_state import (
    PPAP_RESERVE,
    FinancingFacts,
    collectibility_rules,
    overdue_days,
    running_on,
)
from bmt_desktop.services.kube import GROUP_SAVINGS_ACCOUNT, IKS_ACCOUNT, kube_stage
from bmt_desktop.services.report_model import Chart, Column, Report, register
from bmt_desktop.services.session import Session
from bmt_desktop.services.training import COMPLETED_SQL, kind_label
from bmt_desktop.services.training_reports import (
    kube_training,
    sessions_in_period,
    untrained_members,
)

AKAD_NAMES = {"murabahah": "Murabahah", "mudharabah": "Mudharabah",
              "musyarakah": "Musyarakah", "ijarah": "Ijarah", "qardh": "Qardhul hasan"}
# Age buckets of arrears: (first day, last day or None, label).
BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (0, 0, N_("Not overdue")), (1, 30, N_("1–30 days")), (31, 60, N_("31–60 days")),
    (61, 90, N_("61–90 days")), (91, 120, N_("91–120 days")), (121, 180, N_("121–180 days")),
    (181, None, N_("> 180 days")))
LINK_STATUS = {"usulan": N_("proposed"), "berjalan": N_("running"), "lunas": N_("repaid"),
               "ditolak": N_("rejected")}
MAX_CHART_BARS = 12


# Column widths are in points of the landscape page (relative, as the PDF scales them): a
# column is at least its longest header word in bold 8.5 pt plus the cell's padding.


def _conn(session: Session) -> sqlite3.Connection:
    session.require(Action.LEDGER_VIEW, writes=False)
    return session.book.raw()


def _day_of(session: Session, end: dt.date) -> dt.date:
    """The day a position is read on: the period's last day, or today while it runs."""
    return min(end, session.today)


def _pct(part: int | Fraction, whole: int | Fraction) -> float | None:
    """``part`` of ``whole`` in percent to two decimals; None when there is no whole."""
    if not whole:
        return None
    return round(float(Fraction(part) * 100 / Fraction(whole)), 2)


def _pct_text(value: float | Fraction | None) -> str:
    if value is None:
        return "–"
    return format_decimal(round(float(value), 2), locale="id_ID") + "\u00a0%"  # no break


def _in_kube_on(alias: str = "km") -> str:
    """SQL: the membership row ``alias`` is open on the day bound as ``:on``."""
    return f"{alias}.joined_on <= :on AND ({alias}.left_on IS NULL OR {alias}.left_on > :on)"


def _chart(title: str, series: Iterable[tuple[str, int | float]], unit: str = "") -> Chart:
    return Chart(title, list(series)[-MAX_CHART_BARS:], unit)


# ------------------------------------------------------------------------------ the portfolio
@dataclass(frozen=True)
class Loan:
    """A financing running on a day, as the books stood then."""

    facts: FinancingFacts
    applicant: str  # "name (number)" of the member, or of the Kube
    kube_id: int | None  # the Kube it is booked to (group financing) or None
    member_id: int | None
    collateral: int  # eligible value
    days: int
    klass: str
    reserve: int
    arrears_principal: int
    arrears_margin: int
    due_to_date: int  # principal + margin of the instalments fallen due by the day

    @property
    def number(self) -> str:
        return self.facts.number

    @property
    def outstanding(self) -> int:
        return self.facts.left_principal

    @property
    def arrears(self) -> int:
        return self.arrears_principal + self.arrears_margin


def running_loans(session: Session, on: dt.date,
                  rules: CollectibilityRules | None = None) -> list[Loan]:
    """Every financing running on ``on`` with its class, reserve and arrears, by number."""
    conn = _conn(session)
    rules = rules or collectibility_rules(session.book)
    loans = []
    for running in running_on(conn, on):
        f, name, code, member_id, kube_id = (running.facts, running.name, running.code,
                                             running.member_id, running.kube_id)
        collateral = running.collateral
        days = overdue_days(f, on)
        klass = classify(days, rules)
        late_p, late_m = arrears(f.states, on)
        due = sum(s.principal + s.margin for s in f.states if s.due_on <= on)
        loans.append(Loan(f, f"{name} ({code})", kube_id, member_id, int(collateral), days,
                          klass, reserve(f.left_principal, int(collateral), klass, rules),
                          late_p, late_m, due))
    return loans


def _account_balance(conn: sqlite3.Connection, code: str, on: dt.date) -> int:
    """Credit − debit of an account's lines up to ``on``."""
    (value,) = conn.execute(
        "SELECT coalesce(sum(l.credit - l.debit), 0) FROM journal_line l JOIN journal j "
        "ON j.id = l.journal_id JOIN account a ON a.id = l.account_id "
        "WHERE a.code = ? AND j.date <= ?", (code, on.isoformat())).fetchone()
    return int(value)


def _classes(rules: CollectibilityRules) -> list[str]:
    return [c for c in CLASSES if rules.classes == 5 or c != "dpk"]


def _rules_note(rules: CollectibilityRules) -> str:
    bp = rules.ppap_bp

    def rate(klass: str) -> str:
        return format_decimal(bp[klass] / 100, locale="id_ID") + "\u00a0%"

    if rules.classes == 5:
        bounds = _("Five classes (OJK): {l} 0 days overdue ({lr}), {dpk} 1–{a} ({dr}), "
                   "{kl} {a1}–{b} ({kr}), {d} {b1}–{c} ({drr}), {m} above {c} ({mr})").format(
            l=class_label("lancar"), lr=rate("lancar"), dpk=class_label("dpk"), a=rules.dpk_max,
            dr=rate("dpk"), kl=class_label("kurang_lancar"), a1=rules.dpk_max + 1,
            b=rules.kl_max, kr=rate("kurang_lancar"), d=class_label("diragukan"),
            b1=rules.kl_max + 1, c=rules.d_max, drr=rate("diragukan"),
            m=class_label("macet"), mr=rate("macet"))
    else:
        bounds = _("Four classes (Kemenkop Juknis 15/2021, no DPK): {l} up to {a} days "
                   "overdue ({lr}), {kl} {a1}–{b} ({kr}), {d} {b1}–{c} ({drr}), {m} above {c} "
                   "({mr})").format(
            l=class_label("lancar"), a=rules.dpk_max, lr=rate("lancar"),
            kl=class_label("kurang_lancar"), a1=rules.dpk_max + 1, b=rules.kl_max,
            kr=rate("kurang_lancar"), d=class_label("diragukan"), b1=rules.kl_max + 1,
            c=rules.d_max, drr=rate("diragukan"), m=class_label("macet"), mr=rate("macet"))
    return _("{bounds}. PPAP is the class's rate of the outstanding principal less the "
             "eligible collateral.").format(bounds=bounds)


@register("collectibility", N_("Collectibility of financing"))
def collectibility(session: Session, start: dt.date, end: dt.date) -> Report:
    on = _day_of(session, end)
    conn = _conn(session)
    rules = collectibility_rules(session.book)
    report = Report("collectibility", _("Collectibility of financing"), on, on, [
        Column("number", _("Financing no."), width=94),
        Column("applicant", _("Member / Kube"), width=215),
        Column("akad", _("Akad"), width=67),
        Column("outstanding", _("Outstanding principal"), "money", width=72),
        Column("days", _("Days overdue"), "int", width=66),
        Column("klass", _("Class"), width=93),
        Column("collateral", _("Eligible collateral"), "money", width=86),
        Column("reserve", _("PPAP required"), "money", width=64)], landscape=True)
    loans = running_loans(session, on, rules)
    loans.sort(key=lambda loan: (-loan.days, loan.number))
    for loan in loans:
        report.rows.append({
            "section": "financing", "financing_id": loan.facts.id, "number": loan.number,
            "applicant": loan.applicant, "akad": AKAD_NAMES.get(loan.facts.akad, loan.facts.akad),
            "outstanding": loan.outstanding, "days": loan.days, "klass": class_label(loan.klass),
            "class_code": loan.klass, "collateral": loan.collateral, "reserve": loan.reserve})
    per_class: dict[str, dict[str, int]] = {}
    if loans:
        report.rows.append({"section": "class", "applicant": _("Per collectibility class"),
                            "_style": "heading"})
        for klass in _classes(rules):
            own = [loan for loan in loans if loan.klass == klass]
            per_class[klass] = {"count": len(own),
                                "outstanding": sum(loan.outstanding for loan in own),
                                "collateral": sum(loan.collateral for loan in own),
                                "reserve": sum(loan.reserve for loan in own)}
            report.rows.append({
                "section": "class", "class_code": klass, "klass": class_label(klass),
                "applicant": _("{count} financing").format(count=len(own)),
                **per_class[klass], "_style": "subtotal"})
    ratio = npf((loan.klass, loan.outstanding) for loan in loans)
    total = sum(loan.outstanding for loan in loans)
    bad = sum(loan.outstanding for loan in loans if loan.klass in NON_PERFORMING)
    required = sum(loan.reserve for loan in loans)
    held = _account_balance(conn, PPAP_RESERVE, on)  # a contra asset: a credit balance
    report.totals = {
        "count": len(loans), "outstanding": total,
        "collateral": sum(loan.collateral for loan in loans), "reserve": required,
        "non_performing": bad, "npf_pct": round(float(ratio * 100), 2),
        "health": health(ratio) if loans else "", "ppap_held": held, "ppap_required": required,
        "ppap_difference": required - held, "classes": per_class,
        "class_mode": rules.classes}
    if loans:
        report.notes.append(_("NPF = (Substandard + Doubtful + Loss) ÷ total outstanding = "
                              "{bad} ÷ {total} = {pct}: {health} (Juknis 15/2021: up to 5 % "
                              "healthy, up to 10 % fairly healthy, up to 15 % less healthy, "
                              "above 15 % unhealthy).").format(
            bad=format_rupiah(bad), total=format_rupiah(total), pct=_pct_text(ratio * 100),
            health=health(ratio)))
        report.charts.append(_chart(_("Outstanding principal per class (Rp)"), [
            (class_label(k), v["outstanding"]) for k, v in per_class.items()], "Rp"))
    if required > held:
        gap = _("{amount} still to be formed").format(amount=format_rupiah(required - held))
    elif held > required:
        gap = _("{amount} to be released").format(amount=format_rupiah(held - required))
    else:
        gap = _("in balance")
    report.notes.append(_("PPAP held on account 119 on {date}: {held}; required: {required}; "
                          "{gap}.").format(date=format_date_id(on), held=format_rupiah(held),
                                           required=format_rupiah(required), gap=gap))
    report.notes.append(_rules_note(rules))
    return report


# ----------------------------------------------------------------------------------- aging
def bucket_of(days: int) -> int:
    """The index in :data:`BUCKETS` of ``days`` overdue."""
    for index, (low, high, _label) in enumerate(BUCKETS):
        if days >= low and (high is None or days <= high):
            return index
    return len(BUCKETS) - 1


@register("aging", N_("Aging of financing arrears"))
def aging(session: Session, start: dt.date, end: dt.date) -> Report:
    on = _day_of(session, end)
    report = Report("aging", _("Aging of financing arrears"), on, on, [
        Column("number", _("Financing no."), width=94),
        Column("applicant", _("Member / Kube"), width=200),
        Column("days", _("Days overdue"), "int", width=66),
        Column("bucket", _("Age"), width=76),
        Column("outstanding", _("Outstanding principal"), "money", width=75),
        Column("overdue_principal", _("Principal overdue"), "money", width=75),
        Column("overdue_margin", _("Margin / share overdue"), "money", width=78),
        Column("overdue", _("Total overdue"), "money", width=75)], landscape=True)
    loans = running_loans(session, on)
    late = sorted((loan for loan in loans if loan.days or loan.arrears),
                  key=lambda loan: (-loan.days, loan.number))
    for loan in late:
        report.rows.append({
            "section": "financing", "financing_id": loan.facts.id, "number": loan.number,
            "applicant": loan.applicant, "days": loan.days,
            "bucket": _(BUCKETS[bucket_of(loan.days)][2]), "outstanding": loan.outstanding,
            "overdue_principal": loan.arrears_principal, "overdue_margin": loan.arrears_margin,
            "overdue": loan.arrears})
    buckets = []
    for index, (_low, _high, label) in enumerate(BUCKETS):
        own = [loan for loan in loans if bucket_of(loan.days) == index]
        buckets.append({"section": "bucket", "bucket": _(label),
                        "applicant": _("{count} financing").format(count=len(own)),
                        "count": len(own), "outstanding": sum(x.outstanding for x in own),
                        "overdue_principal": sum(x.arrears_principal for x in own),
                        "overdue_margin": sum(x.arrears_margin for x in own),
                        "overdue": sum(x.arrears for x in own), "_style": "subtotal"})
    if loans:
        report.rows.append({"section": "bucket", "applicant": _("Per age bucket"),
                            "_style": "heading"})
        report.rows += buckets
    total = sum(loan.outstanding for loan in loans)
    at_risk = sum(loan.outstanding for loan in loans if loan.days > 30)
    report.totals = {
        "count": len(loans), "in_arrears": len(late), "outstanding": total,
        "overdue_principal": sum(x.arrears_principal for x in loans),
        "overdue_margin": sum(x.arrears_margin for x in loans),
        "overdue": sum(x.arrears for x in loans),
        "par30_pct": _pct(at_risk, total),
        "buckets": [{k: v for k, v in b.items() if k not in ("section", "_style", "applicant")}
                    for b in buckets]}
    if loans:
        report.notes.append(_("The list shows the financing with arrears; the outstanding "
                              "principal per bucket and in the total is of every financing "
                              "running on {date}. Arrears are instalments fallen due up to that "
                              "day and not paid; the age is counted from the oldest unpaid "
                              "instalment.").format(date=format_date_id(on)))
        report.notes.append(_("Portfolio at risk over 30 days (outstanding of financing more "
                              "than 30 days overdue ÷ total outstanding): {pct}.").format(
            pct=_pct_text(_pct(at_risk, total))))
        report.charts.append(_chart(_("Overdue principal and margin per age bucket (Rp)"), [
            (b["bucket"], b["overdue"]) for b in buckets[1:]], "Rp"))  # type: ignore[misc]
    return report


# ---------------------------------------------------------------------------- Kube figures
def _kubes(conn: sqlite3.Connection, on: dt.date) -> list[tuple[int, str, str, str]]:
    """(id, code, name, status) of the Kube formed by ``on``."""
    return conn.execute("SELECT id, code, name, status FROM kube WHERE formed_on <= ? "
                        "ORDER BY code", (on.isoformat(),)).fetchall()


def _households(conn: sqlite3.Connection, on: dt.date) -> dict[int, int]:
    """Kube id → the households in it on ``on``."""
    return dict(conn.execute(f"SELECT km.kube_id, count(*) FROM kube_member km WHERE "
                             f"{_in_kube_on()} GROUP BY km.kube_id", {"on": on.isoformat()}))


def _kube_of_member(conn: sqlite3.Connection, on: dt.date) -> dict[int, int]:
    return dict(conn.execute(f"SELECT km.member_id, km.kube_id FROM kube_member km WHERE "
                             f"{_in_kube_on()}", {"on": on.isoformat()}))


def _loans_by_kube(loans: Iterable[Loan], member_kube: dict[int, int]) -> dict[int, list[Loan]]:
    """A Kube's group financing and its households' own financing."""
    out: dict[int, list[Loan]] = {}
    for loan in loans:
        kube_id = loan.kube_id if loan.kube_id is not None else member_kube.get(
            loan.member_id or 0)
        if kube_id is not None:
            out.setdefault(kube_id, []).append(loan)
    return out


def _links(conn: sqlite3.Connection, on: dt.date) -> dict[int, tuple[str, str]]:
    """Kube id → (bank, status) of its newest bank linkage (PHBK) made by ``on``."""
    return {kube_id: (bank, status) for kube_id, bank, status in conn.execute(
        "SELECT kube_id, bank, status FROM (SELECT kube_id, bank, status, row_number() OVER "
        "(PARTITION BY kube_id ORDER BY linked_on DESC, id DESC) AS n FROM bank_linkage "
        "WHERE linked_on <= ?) WHERE n = 1", (on.isoformat(),))}


def _link_text(link: tuple[str, str] | None) -> str:
    if link is None:
        return _("none")
    bank, status = link
    return f"{bank} ({_(LINK_STATUS.get(status, status))})"


def _stage_text(session: Session, kube_id: int) -> tuple[str, str]:
    stage = kube_stage(session, kube_id)
    label = stage_label(stage.stage)
    return stage.stage, (label + " *" if stage.override_reason is not None else label)


@register("kube-performance", N_("Kube performance"))
def kube_performance(session: Session, start: dt.date, end: dt.date) -> Report:
    on = _day_of(session, end)
    conn = _conn(session)
    report = Report("kube-performance", _("Kube performance"), start, max(start, on), [
        Column("kube", _("Kube"), width=130),
        Column("stage", _("Stage"), width=75),
        Column("members", _("Households (KK)"), "int", width=35),
        Column("meetings", _("Meetings"), "int", width=66),
        Column("attendance", _("Attendance"), "pct", width=64),
        Column("iks", _("IKS balance"), "money", width=70),
        Column("group_savings", _("Group savings"), "money", width=70),
        Column("outstanding", _("Financing outstanding"), "money", width=76),
        Column("arrears", _("Arrears"), "money", width=66),
        Column("phbk", _("PHBK"), width=100)], landscape=True)
    params = {"start": start.isoformat(), "on": on.isoformat()}
    households = _households(conn, on)
    meetings = {k: (n, present, slots) for k, n, present, slots in conn.execute(
        "SELECT m.kube_id, count(DISTINCT m.id), coalesce(sum(a.present), 0), count(a.member_id) "
        "FROM kube_meeting m LEFT JOIN kube_attendance a ON a.meeting_id = m.id "
        "WHERE m.held_on BETWEEN :start AND :on GROUP BY m.kube_id", params)}
    funds: dict[tuple[int, str], int] = {(k, code): int(v) for k, code, v in conn.execute(
        "SELECT l.kube_id, a.code, sum(l.credit - l.debit) FROM journal_line l "
        "JOIN journal j ON j.id = l.journal_id JOIN account a ON a.id = l.account_id "
        "WHERE l.kube_id IS NOT NULL AND a.code IN (?, ?) AND j.date <= ? "
        "GROUP BY l.kube_id, a.code", (IKS_ACCOUNT, GROUP_SAVINGS_ACCOUNT, on.isoformat()))}
    loans = _loans_by_kube(running_loans(session, on), _kube_of_member(conn, on))
    links = _links(conn, on)
    present_all = slots_all = 0
    for kube_id, code, name, status in _kubes(conn, on):
        held, present, slots = meetings.get(kube_id, (0, 0, 0))
        present_all += present
        slots_all += slots
        own = loans.get(kube_id, [])
        stage, stage_text = _stage_text(session, kube_id)
        link = links.get(kube_id)
        report.rows.append({
            "section": "kube", "kube_id": kube_id, "code": code,
            "kube": f"{code} {name}" + ("" if status == "aktif" else f" ({_('dissolved')})"),
            "stage_code": stage, "stage": stage_text, "members": households.get(kube_id, 0),
            "meetings": held, "attendance": _pct(present, slots),
            "iks": funds.get((kube_id, IKS_ACCOUNT), 0),
            "group_savings": funds.get((kube_id, GROUP_SAVINGS_ACCOUNT), 0),
            "financing": len(own), "outstanding": sum(x.outstanding for x in own),
            "arrears": sum(x.arrears for x in own), "phbk": _link_text(link),
            "phbk_status": link[1] if link else None})
    rows = report.rows
    if rows:
        report.totals = {key: sum(r[key] for r in rows)  # type: ignore[misc]
                         for key in ("members", "meetings", "iks", "group_savings",
                                     "financing", "outstanding", "arrears")}
        report.totals.update(kube_count=len(rows), attendance=_pct(present_all, slots_all),
                             phbk=_("{n} linked").format(n=sum(
                                 1 for r in rows if r["phbk_status"] in ("berjalan", "lunas"))))
        report.notes.append(_(
            "Households on {date}; meetings and attendance from {start} to {date}; IKS and "
            "group savings are the Kube's balances on accounts 205 and 206; financing "
            "outstanding (principal) and arrears (principal and margin fallen due, unpaid) of "
            "the Kube's group financing and of its households' own financing. The stage is "
            "today's, computed from the books; * marks a manager's override.").format(
            date=format_date_id(on), start=format_date_id(start)))
        if any(r["attendance"] is not None for r in rows):
            report.charts.append(_chart(_("Attendance at meetings in the period per Kube (%)"),
                                        [(str(r["code"]), r["attendance"] or 0) for r in rows],
                                        "%"))
    return report


# ----------------------------------------------------------------------------- empowerment
def _quarter(day: str) -> str:
    year, month = int(day[:4]), int(day[5:7])
    return _("Q{quarter} {year}").format(quarter=(month - 1) // 3 + 1, year=year)


@register("empowerment", N_("Empowerment indicators"))
def empowerment(session: Session, start: dt.date, end: dt.date) -> Report:
    """The seed study's five success indicators (Gutomo & Suyanto 2014, Bagan Pola
    Pemberdayaan) per Kube and for the programme, as far as the books show them."""
    on = _day_of(session, end)
    conn = _conn(session)
    report = Report("empowerment", _("Empowerment indicators"), start, max(start, on), [
        Column("kube", _("Kube"), width=70),
        Column("members", _("Households (KK)"), "int", width=30),
        Column("knowledge", _("1. Insight (training completed)"), "pct", width=62),
        Column("skills", _("2. Skills (training completed)"), "pct", width=78),
        Column("solved", _("3. Problems solved"), "pct", width=54),
        Column("attendance", _("Meeting attendance"), "pct", width=65),
        Column("income_entry", _("4. Income at entry"), "money", width=70),
        Column("income_latest", _("Latest income"), "money", width=70),
        Column("income_growth", _("Income growth"), "pct", width=71),
        Column("savings_growth", _("Savings growth"), "money", width=60),
        Column("repayment", _("Instalments paid"), "pct", width=60),
        Column("phbk", _("5. Bank linkage (PHBK)"), width=62)], landscape=True)
    params = {"on": on.isoformat()}
    households = _households(conn, on)
    trained = {k: (knowledge, skills) for k, knowledge, skills in conn.execute(
        "SELECT km.kube_id, count(DISTINCT CASE WHEN s.kind IN ('sosial', 'manajemen') "
        "THEN km.member_id END), count(DISTINCT CASE WHEN s.kind = 'keterampilan' "
        "THEN km.member_id END) FROM kube_member km JOIN training_participant p "
        "ON p.member_id = km.member_id JOIN training_session s ON s.id = p.session_id "
        f"WHERE {_in_kube_on()} AND s.status = 'aktif' AND s.end_date <= :on "
        f"AND {COMPLETED_SQL} GROUP BY km.kube_id", params)}
    meetings = {k: (int(raised), int(solved), int(present), slots)
                for k, raised, solved, present, slots in conn.execute(
        "SELECT m.kube_id, sum(m.problems_raised), sum(m.problems_solved), "
        "coalesce(sum((SELECT sum(a.present) FROM kube_attendance a "
        "WHERE a.meeting_id = m.id)), 0), coalesce(sum((SELECT count(*) FROM kube_attendance a "
        "WHERE a.meeting_id = m.id)), 0) FROM kube_meeting m WHERE m.held_on <= :on "
        "GROUP BY m.kube_id", params)}
    latest_visit = ("SELECT member_id, monthly_income AS income, visited_on FROM (SELECT "
                    "member_id, monthly_income, visited_on, row_number() OVER (PARTITION BY "
                    "member_id ORDER BY visited_on DESC, id DESC) AS n FROM monitoring_visit "
                    "WHERE visited_on <= :on) WHERE n = 1")
    income = {k: (n, int(entry), int(latest)) for k, n, entry, latest in conn.execute(
        "SELECT km.kube_id, count(*), sum(m.monthly_income), "
        "sum(coalesce(v.income, m.monthly_income)) FROM kube_member km "
        f"JOIN member m ON m.id = km.member_id LEFT JOIN ({latest_visit}) v "
        f"ON v.member_id = m.id WHERE {_in_kube_on()} AND m.monthly_income IS NOT NULL "
        "GROUP BY km.kube_id", params)}
    savings = {k: (int(at_entry), int(now)) for k, at_entry, now in conn.execute(
        "SELECT km.kube_id, coalesce(sum(CASE WHEN j.date <= km.joined_on "
        "THEN l.credit - l.debit END), 0), coalesce(sum(l.credit - l.debit), 0) "
        "FROM kube_member km JOIN savings_account sa ON sa.member_id = km.member_id "
        "JOIN journal_line l ON l.savings_account_id = sa.id JOIN journal j "
        f"ON j.id = l.journal_id WHERE {_in_kube_on()} AND j.date <= :on "
        "GROUP BY km.kube_id", params)}
    loans = _loans_by_kube(running_loans(session, on), _kube_of_member(conn, on))
    links = _links(conn, on)
    sums = dict.fromkeys(("members", "knowledge", "skills", "raised", "solved", "present",
                          "slots", "income_n", "income_entry", "income_latest",
                          "savings_entry", "savings_now", "due", "paid"), 0)
    for kube_id, code, name, _status in _kubes(conn, on):
        members = households.get(kube_id, 0)
        knowledge, skills = trained.get(kube_id, (0, 0))
        raised, solved, present, slots = meetings.get(kube_id, (0, 0, 0, 0))
        n, entry, latest = income.get(kube_id, (0, 0, 0))
        saved_entry, saved_now = savings.get(kube_id, (0, 0))
        own = loans.get(kube_id, [])
        due = sum(x.due_to_date for x in own)
        paid = due - sum(x.arrears for x in own)
        link = links.get(kube_id)
        for key, value in (("members", members), ("knowledge", knowledge), ("skills", skills),
                           ("raised", raised), ("solved", solved), ("present", present),
                           ("slots", slots), ("income_n", n), ("income_entry", entry),
                           ("income_latest", latest), ("savings_entry", saved_entry),
                           ("savings_now", saved_now), ("due", due), ("paid", paid)):
            sums[key] += value
        report.rows.append({
            "section": "kube", "kube_id": kube_id, "code": code, "kube": f"{code} {name}",
            "members": members, "knowledge": _pct(knowledge, members),
            "skills": _pct(skills, members), "solved": _pct(solved, raised),
            "problems_raised": raised, "problems_solved": solved,
            "attendance": _pct(present, slots),
            "income_entry": entry // n if n else None,
            "income_latest": latest // n if n else None,
            "income_growth": _pct(latest - entry, entry),
            "savings_entry": saved_entry, "savings_now": saved_now,
            "savings_growth": saved_now - saved_entry, "repayment": _pct(paid, due),
            "phbk": _link_text(link), "phbk_status": link[1] if link else None})
    if not report.rows:
        return report
    s = sums
    linked = sum(1 for r in report.rows if r["phbk_status"] in ("berjalan", "lunas"))
    report.totals = {
        "kube_count": len(report.rows), "members": s["members"],
        "knowledge": _pct(s["knowledge"], s["members"]), "skills": _pct(s["skills"], s["members"]),
        "solved": _pct(s["solved"], s["raised"]), "problems_raised": s["raised"],
        "problems_solved": s["solved"], "attendance": _pct(s["present"], s["slots"]),
        "income_entry": s["income_entry"] // s["income_n"] if s["income_n"] else None,
        "income_latest": s["income_latest"] // s["income_n"] if s["income_n"] else None,
        "income_growth": _pct(s["income_latest"] - s["income_entry"], s["income_entry"]),
        "savings_entry": s["savings_entry"], "savings_now": s["savings_now"],
        "savings_growth": s["savings_now"] - s["savings_entry"],
        "repayment": _pct(s["paid"], s["due"]), "phbk": _("{n} linked").format(n=linked),
        "bank_linked": linked}
    (pinbuk,) = conn.execute(
        "SELECT count(*) FROM training_session WHERE status = 'aktif' AND end_date <= ? "
        "AND (upper(institution) LIKE '%PINBUK%' OR upper(trainer) LIKE '%PINBUK%')",
        (on.isoformat(),)).fetchone()
    report.totals["pinbuk_sessions"] = pinbuk
    t = report.totals
    report.notes += [
        _("The five success indicators of the seed study (Gutomo & Suyanto 2014), on {date}, "
          "for the households in a Kube on that day; the total row is the programme as a "
          "whole (percentages and averages over all households, not sums).").format(
            date=format_date_id(on)),
        _("1. More knowledge and insight: {pct} of households completed social guidance or "
          "management training (proxy: training completion; meeting attendance {att} as "
          "the seed links knowledge to taking part in the meetings).").format(
            pct=_pct_text(t["knowledge"]), att=_pct_text(t["attendance"])),
        _("2. Better skills through the Kube: {pct} of households completed skills training "
          "(proxy: training completion, not a test of the skill).").format(
            pct=_pct_text(t["skills"])),
        _("3. Able to solve the group's own problems: {solved} of {raised} problems raised "
          "at the meetings were solved ({pct}).").format(
            solved=t["problems_solved"], raised=t["problems_raised"],
            pct=_pct_text(t["solved"])),
        _("4. Higher family income: average monthly household income {entry} at entry, "
          "{latest} at the last monitoring visit ({growth}) — as the households reported it "
          "(proxy); supporting: the households' savings grew by {savings} since they joined, "
          "and {repay} of the instalments fallen due on their running financing were "
          "paid.").format(
            entry=format_rupiah(t["income_entry"] or 0),
            latest=format_rupiah(t["income_latest"] or 0), growth=_pct_text(t["income_growth"]),
            savings=format_rupiah(t["savings_growth"]), repay=_pct_text(t["repayment"])),
        _("5. Cooperation with PINBUK and banks: {linked} of {kube} Kube linked with a bank "
          "(PHBK running or repaid); {pinbuk} training sessions given by PINBUK (proxy: the "
          "institution named on the session).").format(
            linked=linked, kube=t["kube_count"], pinbuk=pinbuk)]
    report.charts += _empowerment_charts(conn, on, report.rows)
    return report


def _empowerment_charts(conn: sqlite3.Connection, on: dt.date,
                        rows: list[dict[str, object]]) -> list[Chart]:
    params = {"on": on.isoformat()}
    charts = []
    (baseline,) = conn.execute(
        "SELECT avg(m.monthly_income) FROM kube_member km JOIN member m ON m.id = km.member_id "
        f"WHERE {_in_kube_on()} AND m.monthly_income IS NOT NULL", params).fetchone()
    visits = conn.execute(
        "SELECT substr(v.visited_on, 1, 4) || '-' || ((CAST(substr(v.visited_on, 6, 2) AS "
        "INTEGER) + 2) / 3), min(v.visited_on), avg(v.monthly_income) FROM monitoring_visit v "
        "JOIN kube_member km ON km.member_id = v.member_id "
        f"WHERE {_in_kube_on()} AND v.visited_on <= :on GROUP BY 1 ORDER BY 1", params).fetchall()
    if baseline is not None or visits:
        series = [(_("At entry"), int(baseline or 0))]
        series += [(_quarter(first), int(avg)) for _key, first, avg in visits]
        charts.append(Chart(_("Average monthly household income per quarter (Rp)"),
                            series[:1] + series[1:][-(MAX_CHART_BARS - 1):], "Rp"))
    years = conn.execute(
        "SELECT substr(j.date, 1, 4), sum(l.credit - l.debit) FROM kube_member km "
        "JOIN savings_account sa ON sa.member_id = km.member_id JOIN journal_line l "
        "ON l.savings_account_id = sa.id JOIN journal j ON j.id = l.journal_id "
        f"WHERE {_in_kube_on()} AND j.date <= :on GROUP BY 1 ORDER BY 1", params).fetchall()
    if years:
        running, series = 0, []
        for year, change in years:
            running += int(change)
            series.append((year if year != str(on.year) else on.strftime("%d/%m/%Y"), running))
        charts.append(_chart(_("Savings of the Kube households at year end (Rp)"), series, "Rp"))
    repay = [(str(r["code"]), r["repayment"]) for r in rows if r["repayment"] is not None]
    if repay:
        charts.append(_chart(_("Repayment rate per Kube (%)"), repay, "%"))  # type: ignore[arg-type]
    return charts


# -------------------------------------------------------------------------------- training
@register("training", N_("Training"))
def training(session: Session, start: dt.date, end: dt.date) -> Report:
    conn = _conn(session)
    report = Report("training", _("Training"), start, end, [
        Column("name", _("Session / Kube / member"), width=220),
        Column("detail", _("Details"), width=280),
        Column("people", _("Participants / households"), "int", width=70),
        Column("took_part", _("Took part"), "int", width=60),
        Column("attendance", _("Attendance"), "pct", width=66),
        Column("completed", _("Completed"), "int", width=60)], landscape=True)
    sessions = sessions_in_period(session, start, end)
    if sessions:
        report.rows.append({"section": "session", "name": _("Sessions in the period"),
                            "_style": "heading"})
    for row in sessions:
        first, last = dt.date.fromisoformat(row.start_date), dt.date.fromisoformat(row.end_date)
        dates = format_date_id(first) if first == last else _("{start} to {end}").format(
            start=format_date_id(first), end=format_date_id(last))
        state = _("cancelled") if row.status == "batal" else (
            _("planned") if first > session.today else "")
        report.rows.append({
            "section": "session", "session_id": row.id, "name": row.title,
            "detail": " · ".join(p for p in (kind_label(row.kind), dates, row.institution,
                                             state) if p),
            "people": row.participants, "attendance": (
                float(row.attendance_pct) if row.attendance_pct is not None else None),
            "completed": row.completed, "status": row.status})
    active = [r for r in sessions if r.status != "batal"]
    if sessions:
        report.rows.append({
            "section": "session", "name": _("{n} sessions").format(n=len(active)),
            "people": sum(r.participants for r in active),
            "attendance": _pct(sum(r.present_slots for r in active),
                               sum(r.held_slots for r in active)),
            "completed": sum(r.completed for r in active), "_style": "subtotal"})
    untrained = untrained_members(session)
    kube_of = dict(conn.execute("SELECT member_id, kube_id FROM kube_member "
                                "WHERE left_on IS NULL"))
    missing: dict[int, int] = {}
    for member in untrained:
        kube_id = kube_of.get(member.member_id)
        if kube_id is not None:
            missing[kube_id] = missing.get(kube_id, 0) + 1
    formed = {kube_id for (kube_id,) in conn.execute(
        "SELECT id FROM kube WHERE formed_on <= ?", (end.isoformat(),))}
    kubes = [row for row in kube_training(session, start, end) if row.kube_id in formed]
    if kubes:
        report.rows.append({"section": "kube", "name": _("Attendance and completion per Kube"),
                            "_style": "heading"})
    for row in kubes:
        by_kind = ", ".join(f"{kind_label(kind)} {n}" for kind, n in row.by_kind.items() if n)
        report.rows.append({
            "section": "kube", "kube_id": row.kube_id, "name": f"{row.code} {row.name}",
            "detail": (_("completed: {what}").format(what=by_kind) if by_kind else "")
            + ("; " if by_kind and missing.get(row.kube_id) else "")
            + (_("{n} not yet trained").format(n=missing[row.kube_id])
               if missing.get(row.kube_id) else ""),
            "people": row.members, "took_part": row.took_part,
            "attendance": (float(row.attendance_pct) if row.attendance_pct is not None
                           else None),
            "completed": row.completed, "not_trained": missing.get(row.kube_id, 0)})
    if kubes:
        report.rows.append({
            "section": "kube", "name": _("{n} Kube").format(n=len(kubes)),
            "people": sum(r.members for r in kubes), "took_part": sum(r.took_part for r in kubes),
            "attendance": _pct(sum(r.present_days for r in kubes),
                               sum(r.held_days for r in kubes)),
            "completed": sum(r.completed for r in kubes),
            "not_trained": sum(missing.get(r.kube_id, 0) for r in kubes), "_style": "subtotal"})
    in_kube = [m for m in untrained if m.kube_name]
    if in_kube:
        report.rows.append({"section": "untrained",
                            "name": _("Kube households not yet trained"), "_style": "heading"})
    for member in in_kube:
        report.rows.append({
            "section": "untrained", "member_id": member.member_id, "name": member.name,
            "detail": " · ".join(p for p in (member.number, member.kube_name, _(
                "RT {rt} / RW {rw}").format(rt=member.rt or "–", rw=member.rw or "–")) if p),
            "took_part": member.attempts})
    others = len(untrained) - len(in_kube)
    report.totals = {
        "sessions": len(active), "cancelled": len(sessions) - len(active),
        "participants": sum(r.participants for r in active),
        "session_completions": sum(r.completed for r in active),
        "households": sum(r.members for r in kubes),
        "households_completed": sum(r.completed for r in kubes),
        "untrained_in_kube": len(in_kube), "untrained_other": others}
    if report.rows:
        report.notes.append(_(
            "Sessions that overlap the period (cancelled ones marked); per Kube its present "
            "households in the sessions that were not cancelled: households that took part, "
            "attendance over the days held so far, households that completed a session. Not "
            "yet trained: households that have completed no session up to {today}; "
            "“took part” counts their sessions not completed.").format(
            today=format_date_id(session.today)))
    if others:
        report.notes.append(_("Besides them, {n} members outside any Kube have not completed "
                              "a session.").format(n=others))
    return report
