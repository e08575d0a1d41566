"""What a financing stands at, read from the book: its schedule version, what was paid per
component (from journal lines naming it), its charges, arrears and collectibility.

Shared by the financing services, the lists and the reports; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, replace

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.financing_rules import (
    Allocation,
    Charge,
    CollectibilityRules,
    InstalmentState,
    classify,
    days_overdue,
    schedule_state,
)
from bmt_desktop.domain.financing_schedule import Instalment
from bmt_desktop.i18n import _
from bmt_desktop.services import book_settings
from bmt_desktop.store.book import Book

# Accounts of each akad: the receivable (principal) and the income of its margin or share.
RECEIVABLE = {"murabahah": "111", "mudharabah": "113", "musyarakah": "114", "ijarah": "115",
              "qardh": "132"}
INCOME = {"murabahah": "401", "mudharabah": "402", "musyarakah": "402", "ijarah": "403",
          "qardh": "405"}
DEFERRED_MARGIN = "112"
ADMIN_INCOME = "405"
TAZIR_FUND = "244"
TAWIDH_INCOME = "404"
PROFIT_SHARE_INCOME = "402"
PPAP_RESERVE = "119"
PPAP_EXPENSE = "511"
RECOVERY_INCOME = "409"
CHARGE_ACCOUNT = {"tazir": TAZIR_FUND, "tawidh": TAWIDH_INCOME,
                  "bagi_hasil": PROFIT_SHARE_INCOME}
# Memo codes of the lines (what part of a financing a line moves).
DISBURSE, PRINCIPAL, MARGIN, DISCOUNT, WRITE_OFF, RECOVERY, ADMIN = (
    "CAIR", "POKOK", "MARGIN", "DISKON", "HAPUS", "PEMULIHAN", "ADM")
PROFIT_SHARING = ("mudharabah", "musyarakah")
STATUSES = ("pengajuan", "disetujui", "ditolak", "cair", "lunas", "hapus_buku", "batal")


@dataclass(frozen=True)
class FinancingFacts:
    id: int
    number: str
    akad: str
    status: str
    member_id: int | None
    kube_id: int | None
    principal: int
    margin_total: int
    margin_discount: int
    version: int
    paid_principal: int  # since disbursement, all versions
    paid_margin: int
    written_off: int
    recovered: int
    schedule: list[Instalment]
    states: list[InstalmentState]
    charges: list[tuple[int, str, dt.date, int, int, bool]]  # id, kind, date, amount, paid, waived
    base_principal: int = 0  # paid when the current schedule version began
    base_margin: int = 0

    def after(self, allocation: Allocation) -> FinancingFacts:
        """The state once ``allocation`` is paid (several payments on one sheet)."""
        paid_p = self.paid_principal + allocation.principal
        paid_m = self.paid_margin + allocation.margin
        return replace(
            self, paid_principal=paid_p, paid_margin=paid_m,
            states=schedule_state(self.schedule, paid_p - self.base_principal,
                                  paid_m + self.margin_discount - self.base_margin),
            charges=[(cid, kind, day, amount, paid + allocation.charges.get(cid, 0), waived)
                     for cid, kind, day, amount, paid, waived in self.charges])

    @property
    def left_principal(self) -> int:
        return self.principal - self.paid_principal - self.written_off_principal

    @property
    def written_off_principal(self) -> int:
        return self.written_off if self.status == "hapus_buku" else 0

    @property
    def left_margin(self) -> int:
        if self.status == "hapus_buku":
            return 0
        return self.margin_total - self.paid_margin - self.margin_discount

    def open_charges(self) -> list[Charge]:
        return [Charge(cid, day, amount - paid) for cid, _k, day, amount, paid, waived
                in self.charges if not waived and amount > paid]

    @property
    def charges_left(self) -> int:
        return sum(c.left for c in self.open_charges())

    @property
    def owed(self) -> int:
        return self.left_principal + self.left_margin + self.charges_left


def collectibility_rules(book: Book) -> CollectibilityRules:
    days = [int(v) for v in book_settings.get_setting(book, "collectibility_days").split(",")]
    pct = book_settings.get_setting(book, "ppap_pct").split(",")
    return CollectibilityRules(
        classes=int(book_settings.get_setting(book, "collectibility_classes")),
        dpk_max=days[0], kl_max=days[1], d_max=days[2],
        ppap_bp=dict(zip(("lancar", "dpk", "kurang_lancar", "diragukan", "macet"),
                         (_bp(p) for p in pct), strict=True)))


def _bp(text: str) -> int:
    """'0,5' or '0.5' percent → 50 basis points."""
    whole, _sep, frac = text.strip().replace(",", ".").partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def facts(conn: sqlite3.Connection, financing_id: int) -> FinancingFacts:
    row = conn.execute(
        "SELECT id, number, akad, status, member_id, kube_id, principal, margin_total, "
        "margin_discount, schedule_version FROM financing WHERE id = ?",
        (financing_id,)).fetchone()
    if row is None:
        raise ValidationError(_("Financing {id} does not exist.").format(id=financing_id))
    fid, number, akad, status, member_id, kube_id, principal, margin_total, discount, version = row
    # Lines of this financing only (its partial index), then by account: a murabahah's
    # accounts hold every other financing's lines too.
    paid = dict(conn.execute(
        "SELECT l.memo, coalesce(sum(l.credit - l.debit), 0) FROM journal_line l "
        "WHERE l.financing_id = ? AND ("
        "(l.memo = 'POKOK' AND l.account_id = (SELECT id FROM account WHERE code = ?)) "
        "OR (l.memo = 'MARGIN' AND l.account_id = (SELECT id FROM account WHERE code = ?)) "
        "OR (l.memo = 'HAPUS' AND l.account_id = (SELECT id FROM account WHERE code = ?)) "
        "OR l.memo = 'PEMULIHAN') GROUP BY l.memo",
        (fid, RECEIVABLE[akad], INCOME[akad], RECEIVABLE[akad])).fetchall())
    written_off = int(paid.get(WRITE_OFF, 0))
    if akad == "murabahah" and written_off:
        # The murabahah receivable carries the margin too; what was written off of principal
        # is the receivable written off less its deferred margin.
        (deferred,) = conn.execute(
            "SELECT coalesce(sum(l.debit - l.credit), 0) FROM journal_line l "
            "WHERE l.financing_id = ? AND l.memo = 'HAPUS' "
            "AND l.account_id = (SELECT id FROM account WHERE code = ?)",
            (fid, DEFERRED_MARGIN)).fetchone()
        written_off -= int(deferred)
    schedule, states = [], []
    base_p = base_m = 0
    if version:
        schedule = [Instalment(n, dt.date.fromisoformat(d), p, m) for n, d, p, m in conn.execute(
            "SELECT number, due_on, principal, margin FROM financing_schedule "
            "WHERE financing_id = ? AND version = ? ORDER BY number", (fid, version))]
        base_p, base_m = conn.execute(
            "SELECT paid_principal_before, paid_margin_before FROM financing_schedule_version "
            "WHERE financing_id = ? AND version = ?", (fid, version)).fetchone()
        paid_p = int(paid.get(PRINCIPAL, 0))
        settled_m = int(paid.get(MARGIN, 0)) + int(discount)
        states = schedule_state(schedule, paid_p - base_p, settled_m - base_m)
    charges = []
    for cid, kind, day, amount, waived in conn.execute(
            "SELECT id, kind, charged_on, amount, waived_by IS NOT NULL FROM financing_charge "
            "WHERE financing_id = ? ORDER BY charged_on, id", (fid,)):
        (charge_paid,) = conn.execute(
            "SELECT coalesce(sum(credit - debit), 0) FROM journal_line "
            "WHERE financing_id = ? AND memo = ?", (fid, f"{kind.upper()}#{cid}")).fetchone()
        charges.append((cid, kind, dt.date.fromisoformat(day), amount, int(charge_paid),
                        bool(waived)))
    return FinancingFacts(fid, number, akad, status, member_id, kube_id, principal,
                          margin_total, discount, version, int(paid.get(PRINCIPAL, 0)),
                          int(paid.get(MARGIN, 0)), written_off,
                          int(paid.get(RECOVERY, 0)), schedule, states, charges,
                          int(base_p), int(base_m))


def overdue_days(f: FinancingFacts, on: dt.date) -> int:
    return days_overdue(f.states, on) if f.status == "cair" else 0


def collectibility(f: FinancingFacts, on: dt.date, rules: CollectibilityRules) -> str:
    return classify(overdue_days(f, on), rules)


def last_financing_journal(conn: sqlite3.Connection, financing_id: int) -> int | None:
    """The newest journal of a financing that is neither a storno nor reversed by one."""
    # From the financing's own lines (its index), never a scan of the journal table.
    (last,) = conn.execute(
        "SELECT max(l.journal_id) FROM journal_line l WHERE l.financing_id = ? "
        "AND NOT EXISTS (SELECT 1 FROM journal j WHERE j.id = l.journal_id "
        "AND j.reverses_id IS NOT NULL) "
        "AND NOT EXISTS (SELECT 1 FROM journal r WHERE r.reverses_id = l.journal_id)",
        (financing_id,)).fetchone()
    return last


def facts_on(conn: sqlite3.Connection, f: FinancingFacts, on: dt.date) -> FinancingFacts:
    """``f`` as it stood at the end of ``on``: payments dated up to then, the schedule
    version in force then, running (it was disbursed by then and not yet closed)."""
    day = on.isoformat()
    paid = dict(conn.execute(
        "SELECT l.memo, coalesce(sum(l.credit - l.debit), 0) FROM journal_line l "
        "JOIN journal j ON j.id = l.journal_id JOIN account a ON a.id = l.account_id "
        "WHERE l.financing_id = ? AND j.date <= ? AND ((l.memo = 'POKOK' AND a.code = ?) "
        "OR (l.memo = 'MARGIN' AND a.code = ?)) GROUP BY l.memo",
        (f.id, day, RECEIVABLE[f.akad], INCOME[f.akad])).fetchall())
    paid_p, paid_m = int(paid.get("POKOK", 0)), int(paid.get("MARGIN", 0))
    version_row = conn.execute(
        "SELECT version, paid_principal_before, paid_margin_before "
        "FROM financing_schedule_version WHERE financing_id = ? AND started_on <= ? "
        "ORDER BY version DESC LIMIT 1", (f.id, day)).fetchone()
    version, base_p, base_m = version_row or (0, 0, 0)
    schedule = [Instalment(n, dt.date.fromisoformat(d), p, m) for n, d, p, m in conn.execute(
        "SELECT number, due_on, principal, margin FROM financing_schedule "
        "WHERE financing_id = ? AND version = ? ORDER BY number", (f.id, version))]
    # An early settlement's discount is written when the financing closes: not yet then.
    discount = f.margin_discount if f.status == "cair" else 0
    states = schedule_state(schedule, paid_p - base_p, paid_m + discount - base_m)
    return replace(f, status="cair", paid_principal=paid_p, paid_margin=paid_m, written_off=0,
                   recovered=0, margin_discount=discount, version=version, schedule=schedule,
                   states=states, charges=[c for c in f.charges if c[2] <= on],
                   base_principal=int(base_p), base_margin=int(base_m))


@dataclass(frozen=True)
class RunningOn:
    facts: FinancingFacts
    name: str  # the member's or the Kube's
    code: str  # member number or Kube code
    member_id: int | None
    kube_id: int | None
    collateral: int  # eligible collateral


def running_on(conn: sqlite3.Connection, on: dt.date) -> list[RunningOn]:
    """Every financing running at the end of ``on`` (disbursed by then, not yet closed), as it
    stood then: month-end reserves and reports of a past month read the books of that day."""
    day = on.isoformat()
    moved = {fid for (fid,) in conn.execute(
        "SELECT DISTINCT l.financing_id FROM journal j JOIN journal_line l "
        "ON l.journal_id = j.id WHERE j.date > ? AND l.financing_id IS NOT NULL "
        "UNION SELECT financing_id FROM financing_schedule_version WHERE started_on > ?",
        (day, day))}
    found = []
    for fid, status, name, code, member_id, kube_id, collateral in conn.execute(
            "SELECT f.id, f.status, coalesce(m.name, k.name, ''), "
            "coalesce(m.number, k.code, ''), f.member_id, f.kube_id, "
            "coalesce((SELECT sum(c.eligible_value) FROM financing_collateral c "
            "WHERE c.financing_id = f.id), 0) FROM financing f "
            "LEFT JOIN member m ON m.id = f.member_id LEFT JOIN kube k ON k.id = f.kube_id "
            "WHERE f.status IN ('cair', 'lunas', 'hapus_buku') AND f.disbursed_on <= ? "
            "AND (f.closed_on IS NULL OR f.closed_on > ?) ORDER BY f.number", (day, day)):
        f = facts(conn, fid)
        if status != "cair" or fid in moved:
            f = facts_on(conn, f, on)
        found.append(RunningOn(f, name, code, member_id, kube_id, int(collateral)))
    return found
