"""Reading financing for the screens: the pipeline list with its counts, one financing's whole
file, the decisions waiting for a manager, and the collectibility overview. Nothing here
writes.

The list works on sets: what was paid, the state of each instalment of the current schedule
version, days overdue and the next instalment come from a few SQL statements over all the
rows of a page (or over every disbursed financing for the arrears view), never one query per
row. The same arithmetic as ``financing_state.facts`` (which the file of one financing uses):
each component fills the instalments oldest first from what was paid since the version began.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.financing_rules import (
    CLASSES,
    InstalmentState,
    classify,
    health,
    npf,
    reserve,
)
from bmt_desktop.domain.financing_schedule import FREQUENCIES, Instalment, build_schedule
from bmt_desktop.domain.financing_schedule import first_due_after as _first_due_after
from bmt_desktop.domain.journal_rules import check_text
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services import book_settings
from bmt_desktop.services.financing_state import (
    DEFERRED_MARGIN,
    INCOME,
    RECEIVABLE,
    STATUSES,
    collectibility_rules,
    facts,
    overdue_days,
)
from bmt_desktop.services.members import search_key
from bmt_desktop.services.session import Session

ARREARS = "menunggak"  # a view, not a status: disbursed and with an instalment overdue
CLOSED_UNPAID = "ditolak,batal"  # the applications that ended without a disbursement
DISBURSED = ("cair", "lunas", "hapus_buku")
MAX_PAGE = 500


def _conn(session: Session) -> sqlite3.Connection:
    return session.book.raw()


def _case(mapping: dict[str, str]) -> str:
    """An SQL CASE over f.akad giving the account code of each akad (codes are constants)."""
    whens = " ".join(f"WHEN '{akad}' THEN '{code}'" for akad, code in mapping.items())
    return f"CASE f.akad {whens} END"


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


# ------------------------------------------------------------------------------------ the list
@dataclass(frozen=True)
class FinancingRow:
    id: int
    number: str
    applicant: str  # the member's name or the Kube's name
    applicant_code: str  # the member's number or the Kube's code
    member_id: int | None
    kube_id: int | None
    akad: str
    product_code: str
    product_name: str
    principal: int
    outstanding: int  # principal still owed; 0 before disbursement and once closed
    status: str
    days_overdue: int
    klass: str | None  # collectibility class while disbursed
    next_due_on: dt.date | None  # the oldest instalment not fully paid
    next_due_amount: int  # what is left of it
    arrears: int  # instalments fallen due by today and unpaid (principal and margin)
    applied_on: dt.date
    submitted_by: int


@dataclass(frozen=True)
class FinancingPage:
    rows: list[FinancingRow]
    total: int  # every financing that matches, of which ``rows`` is one page


@dataclass(frozen=True)
class _Derived:
    paid_principal: int
    written_off: int
    next_due_on: dt.date | None
    next_due_amount: int
    oldest_late: dt.date | None
    arrears: int


def _derive(conn: sqlite3.Connection, where: str, params: Sequence[object], today: dt.date
            ) -> dict[int, _Derived]:
    """What was paid and where the current schedule stands, for the financing ``where``
    selects (a condition on ``financing f``), in three set-based statements (no join between
    two of them: SQLite would scan one for each row of the other)."""
    receivable, income = _case(RECEIVABLE), _case(INCOME)
    base = f"SELECT f.id, f.akad, f.margin_discount, f.schedule_version FROM financing f " \
           f"WHERE {where}"
    paid = {row[0]: row[1:] for row in conn.execute(
        f"WITH f AS ({base}) SELECT l.financing_id, "
        f"coalesce(sum(CASE WHEN l.memo = 'POKOK' AND a.code = {receivable} "
        f"THEN l.credit - l.debit END), 0), "
        f"coalesce(sum(CASE WHEN l.memo = 'MARGIN' AND a.code = {income} "
        f"THEN l.credit - l.debit END), 0), "
        f"coalesce(sum(CASE WHEN l.memo = 'HAPUS' AND a.code = {receivable} "
        f"THEN l.credit - l.debit END), 0) - "
        f"coalesce(sum(CASE WHEN l.memo = 'HAPUS' AND f.akad = 'murabahah' "
        f"AND a.code = '{DEFERRED_MARGIN}' THEN l.debit - l.credit END), 0) "
        f"FROM f JOIN journal_line l ON l.financing_id = f.id "
        f"JOIN account a ON a.id = l.account_id GROUP BY l.financing_id", params)}
    bases = {fid: (discount, bp, bm) for fid, discount, bp, bm in conn.execute(
        f"WITH f AS ({base}) SELECT f.id, f.margin_discount, v.paid_principal_before, "
        f"v.paid_margin_before FROM f JOIN financing_schedule_version v "
        f"ON v.financing_id = f.id AND v.version = f.schedule_version", params)}
    states = conn.execute(
        f"WITH f AS ({base}) SELECT s.financing_id, s.number, s.due_on, s.principal, "
        f"s.margin, sum(s.principal) OVER w, sum(s.margin) OVER w "
        f"FROM f JOIN financing_schedule s ON s.financing_id = f.id "
        f"AND s.version = f.schedule_version "
        f"WINDOW w AS (PARTITION BY s.financing_id ORDER BY s.number) "
        f"ORDER BY s.financing_id, s.number", params)
    # per financing: paid principal, written off, next due, what is left of it, oldest late,
    # arrears
    acc: dict[int, list] = {}
    for fid, _number, due_on, principal, margin, cp, cm in states:
        if fid not in bases:
            continue
        discount, bp, bm = bases[fid]
        pp, pm, wo = paid.get(fid, (0, 0, 0))
        values = acc.setdefault(fid, [int(pp), int(wo), None, 0, None, 0])
        paid_p, paid_m = int(pp) - bp, int(pm) + discount - bm
        left = min(principal, max(0, cp - paid_p)) + min(margin, max(0, cm - paid_m))
        if not left:
            continue
        day = dt.date.fromisoformat(due_on)
        if values[2] is None:
            values[2], values[3] = day, left
        if day < today and values[4] is None:
            values[4] = day
        if day <= today:
            values[5] += left
    out = {fid: _Derived(*values) for fid, values in acc.items()}
    for fid, (pp, _pm, wo) in paid.items():  # disbursed and reversed: no schedule rows left
        out.setdefault(fid, _Derived(int(pp), int(wo), None, 0, None, 0))
    return out


_ROW_SQL = (
    "SELECT f.id, f.number, coalesce(m.name, k.name, ''), coalesce(m.number, k.code, ''), "
    "f.member_id, f.kube_id, f.akad, p.code, p.name, f.principal, f.status, f.applied_on, "
    "f.submitted_by FROM financing f JOIN financing_product p ON p.id = f.product_id "
    "LEFT JOIN member m ON m.id = f.member_id LEFT JOIN kube k ON k.id = f.kube_id")


def _filters(status: str | None, text: str, kube_id: int | None, member_id: int | None
             ) -> tuple[str, list[object]]:
    clauses, params = ["1 = 1"], []
    if status:
        wanted = ("cair",) if status == ARREARS else tuple(s.strip() for s in status.split(","))
        unknown = [s for s in wanted if s not in STATUSES]
        if unknown:
            raise ValidationError(_("Unknown financing status {status}.").format(
                status=unknown[0][:20]))
        clauses.append(f"f.status IN ({', '.join('?' for _s in wanted)})")
        params.extend(wanted)
    needle = check_text(text or "", _("Search text"), limit=100).strip()
    if needle:
        key = f"%{search_key(needle)}%"
        clauses.append("(f.number LIKE ? OR m.search_key LIKE ? OR m.number LIKE ? "
                       "OR lower(k.name) LIKE ? OR k.code LIKE ?)")
        params.extend([f"%{needle}%", key, f"%{needle}%", key, f"%{needle}%"])
    if kube_id is not None:
        clauses.append("f.kube_id = ?")
        params.append(kube_id)
    if member_id is not None:
        clauses.append("(f.member_id = ? OR f.id IN (SELECT financing_id FROM financing_share "
                       "WHERE member_id = ?))")
        params.extend([member_id, member_id])
    return " AND ".join(clauses), params


def _rows(session: Session, raw: list[tuple]) -> list[FinancingRow]:
    """Rows from the base columns, with the derived figures of the disbursed ones."""
    conn, today = _conn(session), session.today
    ids = [r[0] for r in raw if r[10] in DISBURSED]
    derived: dict[int, _Derived] = {}
    if ids:
        marks = ", ".join("?" for _i in ids)
        derived = _derive(conn, f"f.id IN ({marks})", ids, today)
    rules = collectibility_rules(session.book)
    rows = []
    for (fid, number, applicant, code, member_id, kube_id, akad, product_code, product_name,
         principal, status, applied_on, submitted_by) in raw:
        d = derived.get(fid)
        outstanding = days = next_amount = arrears = 0
        klass = next_on = None
        if d is not None:
            outstanding = principal - d.paid_principal - (d.written_off if status == "hapus_buku"
                                                          else 0)
            if status == "cair":
                days = (today - d.oldest_late).days if d.oldest_late else 0
                klass = classify(days, rules)
                next_on, next_amount, arrears = d.next_due_on, d.next_due_amount, d.arrears
        rows.append(FinancingRow(fid, number, applicant, code, member_id, kube_id, akad,
                                 product_code, product_name, principal, outstanding, status,
                                 days, klass, next_on, next_amount, arrears,
                                 dt.date.fromisoformat(applied_on), submitted_by))
    return rows


def search_financing(session: Session, status: str | None = None, text: str = "",
                     offset: int = 0, limit: int = 200, *, kube_id: int | None = None,
                     member_id: int | None = None) -> FinancingPage:
    """One page of the pipeline: by status (a status, several joined by commas, or
    ``menunggak`` for disbursed financing in arrears, most days first), by text (number,
    member's name or number, Kube's name or code), by Kube or by member (own or a share)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    limit = max(1, min(int(limit), MAX_PAGE))
    offset = max(0, int(offset))
    where, params = _filters(status, text, kube_id, member_id)
    conn = _conn(session)
    if status == ARREARS:
        rows = [r for r in _rows(session, conn.execute(
            f"{_ROW_SQL} WHERE {where} ORDER BY f.id DESC", params).fetchall())
                if r.days_overdue > 0]
        rows.sort(key=lambda r: (-r.days_overdue, -r.id))
        return FinancingPage(rows[offset:offset + limit], len(rows))
    (total,) = conn.execute(
        "SELECT count(*) FROM financing f LEFT JOIN member m ON m.id = f.member_id "
        f"LEFT JOIN kube k ON k.id = f.kube_id WHERE {where}", params).fetchone()
    raw = conn.execute(f"{_ROW_SQL} WHERE {where} ORDER BY f.id DESC LIMIT ? OFFSET ?",
                       [*params, limit, offset]).fetchall()
    return FinancingPage(_rows(session, raw), int(total))


def list_financing(session: Session, status: str | None, text: str = "", offset: int = 0,
                   limit: int = 200, *, kube_id: int | None = None) -> list[FinancingRow]:
    """The rows of :func:`search_financing` (without the count)."""
    return search_financing(session, status, text, offset, limit, kube_id=kube_id).rows


def status_counts(session: Session, *, kube_id: int | None = None) -> dict[str, int]:
    """How many financing are in each status, and in arrears (``menunggak``)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    where, params = ("f.kube_id = ?", [kube_id]) if kube_id is not None else ("1 = 1", [])
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({s: int(n) for s, n in _conn(session).execute(
        f"SELECT f.status, count(*) FROM financing f WHERE {where} GROUP BY f.status", params)})
    derived = _derive(_conn(session), f"f.status = 'cair' AND {where}", params, session.today)
    counts[ARREARS] = sum(1 for d in derived.values() if d.oldest_late is not None)
    return counts


# ------------------------------------------------------------------------------- one financing
@dataclass(frozen=True)
class ScheduleLine:
    number: int
    due_on: dt.date
    principal: int
    margin: int
    paid_principal: int
    paid_margin: int
    overdue: bool  # fell due before today and not fully paid

    @property
    def amount(self) -> int:
        return self.principal + self.margin

    @property
    def paid(self) -> int:
        return self.paid_principal + self.paid_margin

    @property
    def left(self) -> int:
        return self.amount - self.paid


@dataclass(frozen=True)
class ScheduleVersion:
    version: int
    started_on: dt.date
    reason: str
    paid_principal_before: int
    paid_margin_before: int
    lines: list[Instalment]


@dataclass(frozen=True)
class Posting:
    """A journal with lines naming the financing, split into what it moved."""

    journal_id: int
    doc_number: str
    date: dt.date
    kind: str  # pencairan, angsuran, pelunasan, hapus_buku, pemulihan, storno
    description: str
    principal: int  # principal repaid (negative in a reversal)
    margin: int
    charges: int
    discount: int  # margin not charged at an early settlement
    disbursed: int
    admin_fee: int
    written_off: int
    recovered: int
    member_id: int | None  # the one member the lines name (the payer of a Kube's instalment)
    member_name: str
    reversed_by: str | None  # the storno's document number
    reverses: str | None  # for a storno: the document it reverses

    @property
    def paid(self) -> int:
        return self.principal + self.margin + self.charges

    @property
    def amount(self) -> int:
        """The figure that says what the posting was about, for the list."""
        return self.paid or self.disbursed or self.written_off or self.recovered


@dataclass(frozen=True)
class ChargeLine:
    id: int
    kind: str  # tazir, tawidh, bagi_hasil
    charged_on: dt.date
    amount: int
    paid: int
    waived: bool
    reason: str
    imposed_by: str
    waived_by: str
    waived_on: dt.date | None
    waive_reason: str

    @property
    def left(self) -> int:
        return 0 if self.waived else self.amount - self.paid


@dataclass(frozen=True)
class ShareLine:
    member_id: int
    member_number: str
    member_name: str
    amount: int  # the member's share of the principal
    outstanding: int  # their share of the principal still owed (largest remainder)
    owed: int  # their share of everything still owed
    paid: int  # what they paid themselves (lines naming them)


@dataclass(frozen=True)
class CollateralLine:
    description: str
    value: int
    eligible_value: int


@dataclass(frozen=True)
class RescheduleLine:
    id: int
    requested_by_id: int
    requested_by: str
    requested_on: dt.date
    reason: str
    instalments: int
    frequency: str
    first_due_on: dt.date
    status: str  # menunggu, disetujui, ditolak
    decided_by: str
    decided_on: dt.date | None
    decision_reason: str


@dataclass(frozen=True)
class ProfitLine:
    period_end: dt.date
    realised_profit: int
    share_due: int
    reported_by: str
    reported_on: dt.date


@dataclass(frozen=True)
class HistoryLine:
    when: str  # UTC timestamp of the audit entry
    user: str
    action: str


@dataclass(frozen=True)
class FinancingDetail:
    id: int
    number: str
    status: str
    akad: str
    product_code: str
    product_name: str
    method: str
    member_id: int | None
    kube_id: int | None
    applicant: str
    applicant_code: str
    purpose: str
    goods: str
    supplier: str
    cost_price: int
    principal: int
    rate_bp: int
    nisbah_pct: int
    instalments: int
    frequency: str
    rounding_unit: int
    margin_total: int
    admin_fee: int
    tazir_amount: int
    monthly_income: int
    monthly_expense: int
    assessment: str
    coordinator_name: str
    coordinator_approved_on: dt.date | None
    applied_on: dt.date
    submitted_by_id: int
    submitted_by: str
    decided_by_id: int | None
    decided_by: str
    decided_on: dt.date | None
    decision_reason: str
    disbursed_on: dt.date | None
    disbursed_to: str | None
    savings_account: str | None
    first_due_on: dt.date | None
    closed_on: dt.date | None
    schedule_version: int
    margin_discount: int
    paid_principal: int
    paid_margin: int
    left_principal: int
    left_margin: int
    charges_left: int
    owed: int
    written_off: int
    recovered: int
    days_overdue: int
    klass: str | None
    arrears: int
    next_due_on: dt.date | None
    next_due_amount: int
    instalment: int  # the usual instalment (of the schedule, or as it would be if disbursed)
    burden: Fraction | None  # instalment per month ÷ (income − expenses); None: no surplus
    max_burden_pct: int
    schedule: list[ScheduleLine] = field(default_factory=list)
    versions: list[ScheduleVersion] = field(default_factory=list)  # the older ones
    postings: list[Posting] = field(default_factory=list)
    charges: list[ChargeLine] = field(default_factory=list)
    shares: list[ShareLine] = field(default_factory=list)
    group_paid: int = 0  # a Kube's payments that name no member
    collateral: list[CollateralLine] = field(default_factory=list)
    reschedules: list[RescheduleLine] = field(default_factory=list)
    profit_reports: list[ProfitLine] = field(default_factory=list)
    history: list[HistoryLine] = field(default_factory=list)

    @property
    def waiting_reschedule(self) -> RescheduleLine | None:
        return next((r for r in self.reschedules if r.status == "menunggu"), None)


def split_by_shares(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` shared in proportion to ``weights``, whole rupiah that add up exactly: each
    gets the floor of its part, the rupiah left over go to the largest remainders (ties: the
    earlier one)."""
    whole = sum(weights)
    if not weights:
        return []
    if whole <= 0:
        raise ValidationError(_("The shares add up to nothing."))
    floors = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def _users(conn: sqlite3.Connection) -> dict[int, str]:
    return {uid: name for uid, name in conn.execute("SELECT id, full_name FROM user")}


def per_month(instalment: int, frequency: str) -> Fraction:
    """An instalment as an amount per month (weekly: × 52 ÷ 12)."""
    return Fraction(instalment * FREQUENCIES[frequency], 12)


def burden_of(instalment: int, frequency: str, income: int, expense: int) -> Fraction | None:
    """The instalment per month as a share of the household's monthly surplus."""
    surplus = income - expense
    if surplus <= 0:
        return None
    return per_month(instalment, frequency) / surplus


def _kind(memos: set[str], reverses: int | None) -> str:
    if reverses is not None:
        return "storno"
    for memo, kind in (("CAIR", "pencairan"), ("HAPUS", "hapus_buku"),
                       ("PEMULIHAN", "pemulihan"), ("DISKON", "pelunasan")):
        if memo in memos:
            return kind
    return "angsuran"


def _postings(conn: sqlite3.Connection, financing_id: int, akad: str) -> list[Posting]:
    rec, inc = RECEIVABLE[akad], INCOME[akad]
    rows = conn.execute(
        "SELECT j.id, j.doc_number, j.date, j.description, j.reverses_id, "
        "(SELECT r.doc_number FROM journal r WHERE r.reverses_id = j.id), "
        "(SELECT o.doc_number FROM journal o WHERE o.id = j.reverses_id), "
        "coalesce(sum(CASE WHEN l.memo = 'POKOK' AND a.code = ? THEN l.credit - l.debit END), 0),"
        "coalesce(sum(CASE WHEN l.memo = 'MARGIN' AND a.code = ? THEN l.credit - l.debit END), 0),"
        "coalesce(sum(CASE WHEN instr(l.memo, '#') > 0 THEN l.credit - l.debit END), 0), "
        "coalesce(sum(CASE WHEN l.memo = 'DISKON' AND a.code = ? THEN l.credit - l.debit END), 0),"
        "coalesce(sum(CASE WHEN l.memo = 'CAIR' AND a.code = ? THEN l.debit - l.credit END), 0) - "
        "coalesce(sum(CASE WHEN l.memo = 'CAIR' AND a.code = ? THEN l.credit - l.debit END), 0),"
        "coalesce(sum(CASE WHEN l.memo = 'ADM' THEN l.credit - l.debit END), 0), "
        "coalesce(sum(CASE WHEN l.memo = 'HAPUS' AND a.code = ? THEN l.credit - l.debit END), 0) -"
        "coalesce(sum(CASE WHEN l.memo = 'HAPUS' AND a.code = ? THEN l.debit - l.credit END), 0),"
        "coalesce(sum(CASE WHEN l.memo = 'PEMULIHAN' THEN l.credit - l.debit END), 0), "
        "group_concat(DISTINCT l.memo), count(DISTINCT l.member_id), max(l.member_id) "
        "FROM journal j JOIN journal_line l ON l.journal_id = j.id "
        "JOIN account a ON a.id = l.account_id WHERE l.financing_id = ? "
        "GROUP BY j.id ORDER BY j.id",
        (rec, inc, rec, rec, DEFERRED_MARGIN, rec, DEFERRED_MARGIN, financing_id)).fetchall()
    ids = sorted({r[-1] for r in rows if r[-2] == 1 and r[-1] is not None})
    names = dict(conn.execute(f"SELECT id, name FROM member WHERE id IN "
                              f"({', '.join('?' for _i in ids)})", ids)) if ids else {}
    out = []
    for (jid, doc, day, description, reverses_id, reversed_by, reverses, principal, margin,
         charges, discount, disbursed, admin, written_off, recovered, memos, members,
         member_id) in rows:
        one = members == 1 and member_id is not None
        out.append(Posting(jid, doc, dt.date.fromisoformat(day),
                           _kind(set((memos or "").split(",")), reverses_id), description,
                           principal, margin, charges, discount, disbursed, admin, written_off,
                           recovered, member_id if one else None,
                           names.get(member_id, "") if one else "", reversed_by, reverses))
    return out


def detail(session: Session, financing_id: int) -> FinancingDetail:
    """Everything about one financing: akad terms, the schedule with what is paid and left,
    older schedule versions, postings, charges, members' shares, collateral, rescheduling,
    profit reports and the history of decisions."""
    session.require(Action.LEDGER_VIEW, writes=False)
    conn = _conn(session)
    cursor = conn.execute(
        "SELECT f.*, p.code AS product_code, p.name AS product_name, "
        "coalesce(m.name, k.name, '') AS applicant, coalesce(m.number, k.code, '') AS code, "
        "(SELECT s.number FROM savings_account s WHERE s.id = f.savings_account_id) AS savings "
        "FROM financing f JOIN financing_product p ON p.id = f.product_id "
        "LEFT JOIN member m ON m.id = f.member_id LEFT JOIN kube k ON k.id = f.kube_id "
        "WHERE f.id = ?", (financing_id,))
    values = cursor.fetchone()
    if values is None:
        raise ValidationError(_("Financing {id} does not exist.").format(id=financing_id))
    row = dict(zip([c[0] for c in cursor.description], values, strict=True))
    users = _users(conn)
    f = facts(conn, financing_id)
    today = session.today
    rules = collectibility_rules(session.book)
    disbursed = f.status in DISBURSED
    schedule = [ScheduleLine(s.number, s.due_on, s.principal, s.margin, s.paid_principal,
                             s.paid_margin, bool(s.left) and s.due_on < today)
                for s in f.states]
    days = overdue_days(f, today)
    open_lines: list[InstalmentState] = [s for s in f.states if s.left]
    next_due = open_lines[0] if open_lines and f.status == "cair" else None
    arrears = sum(s.left for s in f.states if s.due_on <= today) if f.status == "cair" else 0
    versions = []
    for version, started, reason, bp, bm in conn.execute(
            "SELECT version, started_on, reason, paid_principal_before, paid_margin_before "
            "FROM financing_schedule_version WHERE financing_id = ? AND version < ? "
            "ORDER BY version", (financing_id, f.version)).fetchall():
        lines = [Instalment(n, dt.date.fromisoformat(d), p, m) for n, d, p, m in conn.execute(
            "SELECT number, due_on, principal, margin FROM financing_schedule "
            "WHERE financing_id = ? AND version = ? ORDER BY number", (financing_id, version))]
        versions.append(ScheduleVersion(version, dt.date.fromisoformat(started), reason, bp, bm,
                                        lines))
    charge_rows = {cid: rest for cid, *rest in conn.execute(
        "SELECT id, reason, imposed_by, waived_by, waived_on, waive_reason "
        "FROM financing_charge WHERE financing_id = ?", (financing_id,))}
    charges = []
    for cid, kind, day, amount, paid, waived in f.charges:
        reason, imposed, waived_by, waived_on, waive_reason = charge_rows[cid]
        charges.append(ChargeLine(cid, kind, day, amount, paid, waived, reason,
                                  users.get(imposed, ""), users.get(waived_by, ""),
                                  _day(waived_on), waive_reason))
    left_principal = f.left_principal if disbursed else 0
    owed = f.owed if f.status == "cair" else 0
    shares, group_paid = _shares(conn, f.id, f.akad, f.principal, left_principal, owed)
    instalment = _usual_instalment(row, f.schedule, today)
    income, expense = row["monthly_income"], row["monthly_expense"]
    return FinancingDetail(
        id=f.id, number=f.number, status=f.status, akad=f.akad,
        product_code=row["product_code"], product_name=row["product_name"],
        method=row["method"], member_id=f.member_id, kube_id=f.kube_id,
        applicant=row["applicant"], applicant_code=row["code"], purpose=row["purpose"],
        goods=row["goods"], supplier=row["supplier"], cost_price=row["cost_price"],
        principal=f.principal, rate_bp=row["rate_bp"], nisbah_pct=row["nisbah_pct"],
        instalments=row["instalments"], frequency=row["frequency"],
        rounding_unit=row["rounding_unit"], margin_total=f.margin_total,
        admin_fee=row["admin_fee"], tazir_amount=row["tazir_amount"], monthly_income=income,
        monthly_expense=expense, assessment=row["assessment"],
        coordinator_name=row["coordinator_name"],
        coordinator_approved_on=_day(row["coordinator_approved_on"]),
        applied_on=dt.date.fromisoformat(row["applied_on"]),
        submitted_by_id=row["submitted_by"], submitted_by=users.get(row["submitted_by"], ""),
        decided_by_id=row["decided_by"], decided_by=users.get(row["decided_by"], ""),
        decided_on=_day(row["decided_on"]), decision_reason=row["decision_reason"],
        disbursed_on=_day(row["disbursed_on"]), disbursed_to=row["disbursed_to"],
        savings_account=row["savings"], first_due_on=_day(row["first_due_on"]),
        closed_on=_day(row["closed_on"]), schedule_version=f.version,
        margin_discount=f.margin_discount, paid_principal=f.paid_principal,
        paid_margin=f.paid_margin, left_principal=left_principal,
        left_margin=f.left_margin if f.status == "cair" else 0,
        charges_left=f.charges_left, owed=owed, written_off=f.written_off_principal,
        recovered=f.recovered, days_overdue=days,
        klass=classify(days, rules) if f.status == "cair" else None, arrears=arrears,
        next_due_on=next_due.due_on if next_due else None,
        next_due_amount=next_due.left if next_due else 0, instalment=instalment,
        burden=burden_of(instalment, row["frequency"], income, expense),
        max_burden_pct=int(book_settings.get_setting(session.book,
                                                     "financing_max_burden_pct")),
        schedule=schedule, versions=versions, postings=_postings(conn, f.id, f.akad),
        charges=charges, shares=shares, group_paid=group_paid,
        collateral=[CollateralLine(*c) for c in conn.execute(
            "SELECT description, value, eligible_value FROM financing_collateral "
            "WHERE financing_id = ? ORDER BY id", (financing_id,))],
        reschedules=[RescheduleLine(rid, by, users.get(by, ""), dt.date.fromisoformat(on),
                                    reason, n, freq, dt.date.fromisoformat(first), status,
                                    users.get(dby, ""), _day(don), dreason)
                     for rid, by, on, reason, n, freq, first, status, dby, don, dreason
                     in conn.execute(
                         "SELECT id, requested_by, requested_on, reason, instalments, "
                         "frequency, first_due_on, status, decided_by, decided_on, "
                         "decision_reason FROM financing_reschedule WHERE financing_id = ? "
                         "ORDER BY id", (financing_id,))],
        profit_reports=[ProfitLine(dt.date.fromisoformat(end), profit, share,
                                   users.get(by, ""), dt.date.fromisoformat(on))
                        for end, profit, share, by, on in conn.execute(
                            "SELECT period_end, realised_profit, share_due, reported_by, "
                            "reported_on FROM financing_profit_report WHERE financing_id = ? "
                            "ORDER BY period_end", (financing_id,))],
        history=_history(conn, financing_id),
    )


def _usual_instalment(row: dict, schedule: Sequence[Instalment], today: dt.date) -> int:
    if schedule:
        return schedule[0].amount
    try:
        return build_schedule(row["principal"], row["rate_bp"], row["instalments"],
                              row["frequency"], _first_due_after(today, row["frequency"]),
                              method=row["method"], rounding_unit=row["rounding_unit"])[0].amount
    except ValidationError:
        return 0


def _shares(conn: sqlite3.Connection, financing_id: int, akad: str, principal: int,
            left_principal: int, owed: int) -> tuple[list[ShareLine], int]:
    rows = conn.execute(
        "SELECT s.member_id, m.number, m.name, s.amount FROM financing_share s "
        "JOIN member m ON m.id = s.member_id WHERE s.financing_id = ? ORDER BY m.number",
        (financing_id,)).fetchall()
    paid = {member: int(amount) for member, amount in conn.execute(
        "SELECT l.member_id, sum(l.credit - l.debit) FROM journal_line l "
        "JOIN account a ON a.id = l.account_id WHERE l.financing_id = ? AND ("
        "(l.memo = 'POKOK' AND a.code = ?) OR (l.memo = 'MARGIN' AND a.code = ?) "
        "OR instr(l.memo, '#') > 0) GROUP BY l.member_id",
        (financing_id, RECEIVABLE[akad], INCOME[akad]))}
    if not rows:
        return [], 0
    weights = [amount for *_rest, amount in rows]
    outstanding = split_by_shares(left_principal, weights)
    owed_parts = split_by_shares(owed, weights)
    shares = [ShareLine(member, number, name, amount, out, due, paid.get(member, 0))
              for (member, number, name, amount), out, due
              in zip(rows, outstanding, owed_parts, strict=True)]
    return shares, paid.get(None, 0)


def _history(conn: sqlite3.Connection, financing_id: int) -> list[HistoryLine]:
    key = str(financing_id)
    return [HistoryLine(ts, user, action) for ts, user, action in conn.execute(
        "SELECT ts, username, action FROM audit_log WHERE (entity = 'financing' "
        "AND entity_id = ?) OR (entity = 'financing_charge' AND entity_id IN "
        "(SELECT CAST(id AS TEXT) FROM financing_charge WHERE financing_id = ?)) "
        "OR (entity = 'financing_reschedule' AND entity_id IN "
        "(SELECT CAST(id AS TEXT) FROM financing_reschedule WHERE financing_id = ?)) "
        "OR (entity = 'financing_profit_report' AND entity_id IN "
        "(SELECT CAST(id AS TEXT) FROM financing_profit_report WHERE financing_id = ?)) "
        "ORDER BY seq", (key, financing_id, financing_id, financing_id))]


# --------------------------------------------------------------------------- waiting decisions
@dataclass(frozen=True)
class PendingDecision:
    kind: str  # pengajuan (an application) or jadwal_ulang (a rescheduling)
    id: int  # the financing's id for an application, the request's id for a rescheduling
    financing_id: int
    number: str
    applicant: str
    akad: str
    product_name: str
    principal: int  # the amount applied for, or the principal left to reschedule
    instalments: int
    frequency: str
    rate_bp: int
    nisbah_pct: int
    instalment: int  # the usual instalment the schedule would have
    burden: Fraction | None
    submitted_by_id: int
    submitted_by: str
    submitted_on: dt.date
    text: str  # the purpose of an application, the reason of a rescheduling


def pending_decisions(session: Session) -> list[PendingDecision]:
    """Applications waiting for approval and rescheduling requests waiting for a decision,
    oldest first, with who submitted them (a manager never decides their own)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    conn = _conn(session)
    users = _users(conn)
    today = session.today
    out = []
    for (fid, number, applicant, akad, product, principal, instalments, frequency, rate,
         nisbah, method, unit, income, expense, by, applied, purpose) in conn.execute(
            "SELECT f.id, f.number, coalesce(m.name, k.name, ''), f.akad, p.name, f.principal, "
            "f.instalments, f.frequency, f.rate_bp, f.nisbah_pct, f.method, f.rounding_unit, "
            "f.monthly_income, f.monthly_expense, f.submitted_by, f.applied_on, f.purpose "
            "FROM financing f JOIN financing_product p ON p.id = f.product_id "
            "LEFT JOIN member m ON m.id = f.member_id LEFT JOIN kube k ON k.id = f.kube_id "
            "WHERE f.status = 'pengajuan' ORDER BY f.applied_on, f.id"):
        instalment = _usual_instalment(
            {"principal": principal, "rate_bp": rate, "instalments": instalments,
             "frequency": frequency, "method": method, "rounding_unit": unit}, [], today)
        out.append(PendingDecision("pengajuan", fid, fid, number, applicant, akad, product,
                                   principal, instalments, frequency, rate, nisbah, instalment,
                                   burden_of(instalment, frequency, income, expense), by,
                                   users.get(by, ""), dt.date.fromisoformat(applied), purpose))
    for (rid, fid, number, applicant, akad, product, rate, nisbah, unit, income, expense,
         instalments, frequency, first, by, requested, reason) in conn.execute(
            "SELECT r.id, f.id, f.number, coalesce(m.name, k.name, ''), f.akad, p.name, "
            "f.rate_bp, f.nisbah_pct, f.rounding_unit, f.monthly_income, f.monthly_expense, "
            "r.instalments, r.frequency, r.first_due_on, r.requested_by, r.requested_on, "
            "r.reason FROM financing_reschedule r JOIN financing f ON f.id = r.financing_id "
            "JOIN financing_product p ON p.id = f.product_id "
            "LEFT JOIN member m ON m.id = f.member_id LEFT JOIN kube k ON k.id = f.kube_id "
            "WHERE r.status = 'menunggu' ORDER BY r.requested_on, r.id"):
        state = facts(conn, fid)
        instalment = 0
        if state.left_principal > 0:
            try:
                instalment = build_schedule(
                    state.left_principal, 0, instalments, frequency,
                    dt.date.fromisoformat(first), method="flat", rounding_unit=unit,
                    margin_total=max(0, state.left_margin))[0].amount
            except ValidationError:
                instalment = 0
        out.append(PendingDecision("jadwal_ulang", rid, fid, number, applicant, akad, product,
                                   state.left_principal, instalments, frequency, rate, nisbah,
                                   instalment, burden_of(instalment, frequency, income, expense),
                                   by, users.get(by, ""), dt.date.fromisoformat(requested),
                                   reason))
    return out


# ------------------------------------------------------------------------------ collectibility
@dataclass(frozen=True)
class CollectibilityRow:
    financing_id: int
    number: str
    applicant: str
    akad: str
    outstanding: int
    collateral: int
    days: int
    klass: str
    reserve: int


@dataclass(frozen=True)
class ClassTotal:
    klass: str
    count: int
    outstanding: int
    reserve: int


@dataclass(frozen=True)
class Collectibility:
    on: dt.date
    classes: int  # five (OJK) or four (Kemenkop, no DPK)
    rows: list[CollectibilityRow]
    totals: list[ClassTotal]
    outstanding: int
    reserve: int
    npf: Fraction
    health: str


def collectibility_report(session: Session, on: dt.date | None = None) -> Collectibility:
    """Each disbursed financing's class, days overdue, outstanding and reserve (PPAP), the
    totals per class, NPF and the health it gives (Juknis 15/2021). The same figures as
    ``financing_payments.reserve_rows``, read set-based (a few statements for the book)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    day = on or session.today
    conn = _conn(session)
    rules = collectibility_rules(session.book)
    derived = _derive(conn, "f.status = 'cair'", [], day)
    rows = []
    for fid, number, applicant, akad, principal, collateral in conn.execute(
            "SELECT f.id, f.number, coalesce(m.name, k.name, ''), f.akad, f.principal, "
            "coalesce(c.eligible, 0) FROM financing f "
            "LEFT JOIN member m ON m.id = f.member_id LEFT JOIN kube k ON k.id = f.kube_id "
            "LEFT JOIN (SELECT financing_id, sum(eligible_value) AS eligible "
            "FROM financing_collateral GROUP BY financing_id) c ON c.financing_id = f.id "
            "WHERE f.status = 'cair'"):
        d = derived.get(fid)
        outstanding = principal - (d.paid_principal if d else 0)
        days = (day - d.oldest_late).days if d and d.oldest_late else 0
        klass = classify(days, rules)
        rows.append(CollectibilityRow(fid, number, applicant, akad, outstanding, collateral,
                                      days, klass, reserve(outstanding, collateral, klass,
                                                           rules)))
    rows.sort(key=lambda r: (-r.days, r.number))
    classes = [c for c in CLASSES if rules.classes == 5 or c != "dpk"]
    totals = [ClassTotal(c, sum(1 for r in rows if r.klass == c),
                         sum(r.outstanding for r in rows if r.klass == c),
                         sum(r.reserve for r in rows if r.klass == c)) for c in classes]
    ratio = npf((r.klass, r.outstanding) for r in rows)
    return Collectibility(day, rules.classes, rows, totals, sum(r.outstanding for r in rows),
                          sum(r.reserve for r in rows), ratio, health(ratio))


# ------------------------------------------------------------------------- for the application
@dataclass(frozen=True)
class ApplicantInfo:
    """What the application form shows about the one who applies."""

    income: int  # the latest monitoring visit's monthly income (summed over a Kube's members)
    income_known: bool
    kube_id: int | None  # the Kube a member belongs to now
    kube_name: str
    coordinator: str  # the Kube's chair now, the usual coordinator who approves
    members: list[tuple[int, str, str]] = field(default_factory=list)  # a Kube's (id, no, name)


def applicant_info(session: Session, *, member_id: int | None = None,
                   kube_id: int | None = None) -> ApplicantInfo:
    session.require(Action.LEDGER_VIEW, writes=False)
    conn = _conn(session)
    members: list[tuple[int, str, str]] = []
    if member_id is not None:
        row = conn.execute("SELECT kube_id FROM kube_member WHERE member_id = ? "
                           "AND left_on IS NULL", (member_id,)).fetchone()
        kube_id = row[0] if row else None
        ids = [member_id]
    else:
        members = [tuple(r) for r in conn.execute(  # type: ignore[misc]
            "SELECT m.id, m.number, m.name FROM kube_member k JOIN member m "
            "ON m.id = k.member_id WHERE k.kube_id = ? AND k.left_on IS NULL "
            "AND m.status = 'aktif' ORDER BY m.number", (kube_id,))]
        ids = [m[0] for m in members]
    income, known = _latest_income(conn, ids)
    name = coordinator = ""
    if kube_id is not None:
        (name,) = conn.execute("SELECT name FROM kube WHERE id = ?", (kube_id,)).fetchone()
        chair = conn.execute(
            "SELECT m.name FROM kube_officer o JOIN member m ON m.id = o.member_id "
            "WHERE o.kube_id = ? AND o.role = 'ketua' AND o.term_end IS NULL "
            "ORDER BY o.term_start DESC LIMIT 1", (kube_id,)).fetchone()
        coordinator = chair[0] if chair else ""
    return ApplicantInfo(income, known, kube_id, name, coordinator, members)


def _latest_income(conn: sqlite3.Connection, member_ids: Iterable[int]) -> tuple[int, bool]:
    total, known = 0, False
    for member_id in member_ids:
        row = conn.execute("SELECT monthly_income FROM monitoring_visit WHERE member_id = ? "
                           "ORDER BY visited_on DESC, id DESC LIMIT 1", (member_id,)).fetchone()
        if row is None:
            row = conn.execute("SELECT monthly_income FROM member WHERE id = ? "
                               "AND monthly_income IS NOT NULL", (member_id,)).fetchone()
        if row is not None:
            total += int(row[0])
            known = True
    return total, known
