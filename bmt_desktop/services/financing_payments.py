"""Repaying financing: at the counter or from savings, partial and advance payments shared out
in the office's order; early settlement without the margin of periods not yet passed (Fatwa
DSN 153/2022); ta'zir to the social fund (waivable for hardship) and ta'widh as real cost;
profit reports of mudharabah/musyarakah; rescheduling with approval (the old schedule kept);
write-off and recovery; reserves (PPAP); the guard on reversing financing journals.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.domain.financing_rules import (
    Allocation,
    allocate,
    early_settlement,
    profit_share,
    reserve,
)
from bmt_desktop.domain.financing_schedule import FREQUENCIES, frequency_label, term_months
from bmt_desktop.domain.journal_rules import LineSpec, check_text
from bmt_desktop.domain.money import MAX_AMOUNT, format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services import book_settings
from bmt_desktop.services.drawer import TELLER_CASH, existing_posting, post_cash
from bmt_desktop.services.financing import _check_first_due, _financing_row, write_schedule
from bmt_desktop.services.financing_state import (
    CHARGE_ACCOUNT,
    DEFERRED_MARGIN,
    DISCOUNT,
    INCOME,
    MARGIN,
    PPAP_EXPENSE,
    PPAP_RESERVE,
    PRINCIPAL,
    PROFIT_SHARING,
    RECEIVABLE,
    RECOVERY,
    RECOVERY_INCOME,
    TAZIR_FUND,
    WRITE_OFF,
    FinancingFacts,
    collectibility,
    collectibility_rules,
    facts,
    last_financing_journal,
    overdue_days,
    running_on,
)
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append
from bmt_desktop.store.ledger import JournalSpec, LedgerWriter, PostedJournal


def _conn(session: Session):  # noqa: ANN202 - sqlite3.Connection
    return session.book.raw()


def _amount(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_AMOUNT:
        raise ValidationError(_("{field} must be a whole number of rupiah above 0.").format(
            field=field))
    return value


def _active(session: Session, financing_id: int) -> FinancingFacts:
    f = facts(_conn(session), financing_id)
    if f.status == "lunas":
        raise ValidationError(_("{number} is settled; nothing is owed.").format(
            number=f.number))
    if f.status == "hapus_buku":
        raise ValidationError(_("{number} is written off; record a recovery instead of a "
                                "payment.").format(number=f.number))
    if f.status != "cair":
        raise ValidationError(_("{number} has not been disbursed.").format(number=f.number))
    return f


def payment_lines(f: FinancingFacts, allocation: Allocation, member_id: int | None
                  ) -> list[LineSpec]:
    """The credit side of a payment: principal, margin (murabahah: out of the deferred margin
    into income), and each charge to its own account."""
    lines = []
    receivable, fid = RECEIVABLE[f.akad], f.id
    if allocation.principal:
        lines.append(LineSpec(receivable, credit=allocation.principal, memo=PRINCIPAL,
                              member_id=member_id, financing_id=fid))
    if allocation.margin:
        if f.akad == "murabahah":
            lines.append(LineSpec(receivable, credit=allocation.margin, memo="MARGIN-PIUTANG",
                                  member_id=member_id, financing_id=fid))
            lines.append(LineSpec(DEFERRED_MARGIN, debit=allocation.margin,
                                  memo="MARGIN-TANGGUH", member_id=member_id,
                                  financing_id=fid))
        lines.append(LineSpec(INCOME[f.akad], credit=allocation.margin, memo=MARGIN,
                              member_id=member_id, financing_id=fid))
    kinds = {cid: kind for cid, kind, *_rest in f.charges}
    for charge_id, part in allocation.charges.items():
        kind = kinds[charge_id]
        lines.append(LineSpec(CHARGE_ACCOUNT[kind], credit=part, memo=f"{kind.upper()}#{charge_id}",
                              member_id=member_id, financing_id=fid))
    return lines


def _order(session: Session) -> str:
    return book_settings.get_setting(session.book, "financing_allocation_order")


def _payer(session: Session, f: FinancingFacts, member_id: int | None) -> int | None:
    if f.member_id is not None:
        return f.member_id
    if member_id is None:
        return None
    (share,) = _conn(session).execute(
        "SELECT count(*) FROM financing_share WHERE financing_id = ? AND member_id = ?",
        (f.id, member_id)).fetchone()
    if not share:
        raise ValidationError(_("Member {id} has no share in {number}.").format(
            id=member_id, number=f.number))
    return member_id


def _close_if_settled(session: Session, financing_id: int) -> None:
    f = facts(_conn(session), financing_id)
    if f.status == "cair" and f.owed == 0:
        _conn(session).execute("UPDATE financing SET status = 'lunas', closed_on = ? "
                               "WHERE id = ?", (session.today.isoformat(), financing_id))
        append(_conn(session), session.actor, "financing.settled", "financing", financing_id,
               before={"status": "cair"}, after={"status": "lunas"})


@dataclass(frozen=True)
class PaymentQuote:
    due_now: int  # charges + instalments fallen due, unpaid
    owed: int  # everything still owed on the schedule and in charges
    allocation: Allocation | None


def quote(session: Session, financing_id: int, amount: int | None = None, *,
          advance: bool = False) -> PaymentQuote:
    """What falls due today, and how ``amount`` would be shared out (nothing is written)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    f = _active(session, financing_id)
    due = sum(c.left for c in f.open_charges()) + sum(
        s.left for s in f.states if s.due_on <= session.today)
    allocation = None
    if amount is not None:
        allocation = allocate(amount, f.states, f.open_charges(), session.today,
                              _order(session), advance=advance)
    return PaymentQuote(due, f.owed, allocation)


def repay(session: Session, financing_id: int, amount: object, *, advance: bool = False,
          from_savings: int | None = None, member_id: int | None = None,
          request_id: str | None = None) -> PostedJournal:
    """A repayment at the counter (cash through the drawer) or from the member's savings."""
    session.require(Action.CASH_TRANSACTION)
    value = _amount(amount, _("The payment"))
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return done
        f = _active(session, financing_id)
        payer = _payer(session, f, member_id)
        allocation = allocate(value, f.states, f.open_charges(), session.today,
                              _order(session), advance=advance)
        lines = payment_lines(f, allocation, payer)
        description = _("Instalment of {number}").format(number=f.number)
        posted = _post_payment(session, f, description, lines, request_id,
                               from_savings=from_savings)
        _close_if_settled(session, financing_id)
        return posted


MAAL_ACCOUNTS = (TAZIR_FUND,)
BENEVOLENCE_FUND = "243"  # Dana Kebajikan: what a qardh lends, and bears when lost


def _post_payment(session: Session, f: FinancingFacts, description: str,
                  lines: list[LineSpec], request_id: str | None, *,
                  from_savings: int | None = None) -> PostedJournal:
    """Post what the member pays (the sum of ``lines``' credits less debits), in cash through
    the drawer or from savings. A ta'zir goes to the social fund, which may never meet income
    in one journal: it is posted as a second journal of the same press, in the same
    transaction. Returns the main posting (the ta'zir's alone when it is all there is)."""
    maal = [line for line in lines if line.account_code in MAAL_ACCOUNTS]
    rest = [line for line in lines if line.account_code not in MAAL_ACCOUNTS]
    posted = None
    for part, suffix in ((rest, ""), (maal, "#tazir")):
        if not part:
            continue
        value = sum(line.credit - line.debit for line in part)
        key = (request_id + suffix) if (request_id and posted is not None) else request_id
        text = description if not suffix else _("Ta'zir of {number} (social fund)").format(
            number=f.number)
        if from_savings is None:
            cash = LineSpec(TELLER_CASH, debit=value) if value >= 0 \
                else LineSpec(TELLER_CASH, credit=-value)
            this = post_cash(session, text, [cash, *part], request_id=key)
        else:
            this = _from_savings(session, f, from_savings, value, text, part, key)
        posted = posted or this
    if posted is None:
        raise ValidationError(_("Nothing is owed on {number}.").format(number=f.number))
    return posted


def _from_savings(session: Session, f: FinancingFacts, account_id: int, value: int,
                  description: str, lines: list[LineSpec], request_id: str | None
                  ) -> PostedJournal:
    row = _conn(session).execute(
        "SELECT a.code, p.kind, s.member_id, s.status, s.balance, p.min_balance "
        "FROM savings_account s JOIN savings_product p ON p.id = s.product_id "
        "JOIN account a ON a.id = p.account_id WHERE s.id = ?", (account_id,)).fetchone()
    if row is None or row[1] not in ("sukarela", "tabungan") or row[3] != "aktif":
        raise ValidationError(_("Choose an active sukarela or tabungan account."))
    code, _kind, owner, _status, balance, minimum = row
    if f.member_id is not None and owner != f.member_id:
        raise ValidationError(_("The savings account belongs to another member."))
    if value > balance - minimum:
        raise ValidationError(_("Only {available} can be taken from the savings.").format(
            available=format_rupiah(max(0, balance - minimum))))
    writer = LedgerWriter(_conn(session))
    posted = writer.post(JournalSpec(session.today, description, [
        LineSpec(code, debit=value, memo="PB", member_id=owner, savings_account_id=account_id),
        *lines], "PB", request_id=request_id), session.actor)
    writer.flush()
    return posted


class SheetInstalments:
    """Instalments paid on one Kube collection sheet, member after member: each goes to the
    Kube's running group financing the member has a share in, else to the member's own
    running financing. Paying ahead is normal at a meeting; never more than is owed."""

    def __init__(self, session: Session, kube_id: int, on: dt.date) -> None:
        self.session, self.kube_id, self.on = session, kube_id, on
        self.current: dict[int, FinancingFacts] = {}

    def _target(self, member_id: int) -> int:
        conn = _conn(self.session)
        group = conn.execute(
            "SELECT f.id FROM financing f JOIN financing_share s ON s.financing_id = f.id "
            "WHERE f.kube_id = ? AND s.member_id = ? AND f.status = 'cair'",
            (self.kube_id, member_id)).fetchall()
        own = conn.execute("SELECT id FROM financing WHERE member_id = ? AND status = 'cair'",
                           (member_id,)).fetchall()
        for found in (group, own):
            if len(found) == 1:
                return int(found[0][0])
            if len(found) > 1:
                raise ValidationError(_("the member has several running financings; take "
                                        "this instalment at the counter."))
        raise ValidationError(_("the member has no running financing."))

    def pay(self, member_id: int, amount: int) -> list[LineSpec]:
        fid = self._target(member_id)
        f = self.current.get(fid) or facts(_conn(self.session), fid)
        # Instalments only: charges (a ta'zir to the social fund) are settled at the counter.
        allocation = allocate(amount, f.states, [], self.on, _order(self.session),
                              advance=True)
        self.current[fid] = f.after(allocation)
        return payment_lines(f, allocation, member_id)

    def close_settled(self) -> None:
        for fid in self.current:
            _close_if_settled(self.session, fid)


# ------------------------------------------------------------------------------ early settlement
def settlement_quote(session: Session, financing_id: int) -> tuple[int, int, int, int]:
    """(principal still to pay, margin due, charges, margin not charged) of settling today;
    their first three add up to what the member pays. Margin paid ahead for periods not yet
    passed counts towards the principal and is part of the margin not charged."""
    session.require(Action.LEDGER_VIEW, writes=False)
    f = _active(session, financing_id)
    result = early_settlement(f.states, session.today)
    return (result.principal - result.prepaid, result.margin, f.charges_left,
            result.discount + result.prepaid)


def settle_early(session: Session, financing_id: int, *, member_id: int | None = None,
                 request_id: str | None = None) -> PostedJournal:
    """Pay off everything now: the principal left, the margin of periods passed and the
    charges; the margin of periods not yet passed is not charged (Fatwa DSN 153/2022), and
    margin already paid for them is taken back out of income and counted as principal."""
    session.require(Action.CASH_TRANSACTION)
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return done
        f = _active(session, financing_id)
        result = early_settlement(f.states, session.today)
        charges = {c.id: c.left for c in f.open_charges()}
        allocation = Allocation(result.principal, result.margin, charges)
        payer = _payer(session, f, member_id)
        lines = payment_lines(f, allocation, payer)
        if result.discount and f.akad == "murabahah":
            lines += [LineSpec(DEFERRED_MARGIN, debit=result.discount, memo=DISCOUNT,
                               member_id=payer, financing_id=f.id),
                      LineSpec(RECEIVABLE[f.akad], credit=result.discount, memo=DISCOUNT,
                               member_id=payer, financing_id=f.id)]
        if result.prepaid:
            lines.append(LineSpec(INCOME[f.akad], debit=result.prepaid, memo=MARGIN,
                                  member_id=payer, financing_id=f.id))
        if not any(line.credit or line.debit for line in lines):
            raise ValidationError(_("Nothing is owed on {number}.").format(number=f.number))
        posted = _post_payment(session, f, _("Early settlement of {number}").format(
            number=f.number), lines, request_id)
        not_charged = result.discount + result.prepaid
        _conn(session).execute("UPDATE financing SET margin_discount = margin_discount + ? "
                               "WHERE id = ?", (not_charged, f.id))
        append(_conn(session), session.actor, "financing.early_settlement", "financing", f.id,
               after={"journal": posted.doc_number, "discount": result.discount,
                      "prepaid_margin": result.prepaid})
        _close_if_settled(session, financing_id)
        return posted


# ------------------------------------------------------------------------------------- charges
def _add_charge(session: Session, f: FinancingFacts, kind: str, amount: int, reason: str,
                day: dt.date | None = None) -> int:
    cursor = _conn(session).execute(
        "INSERT INTO financing_charge (financing_id, kind, amount, charged_on, reason, "
        "imposed_by) VALUES (?, ?, ?, ?, ?, ?)",
        (f.id, kind, amount, (day or session.today).isoformat(), reason, session.user_id))
    append(_conn(session), session.actor, f"financing.{kind}", "financing_charge",
           cursor.lastrowid, after={"financing": f.number, "amount": amount, "reason": reason})
    return int(cursor.lastrowid)


def impose_tazir(session: Session, financing_id: int, reason: str) -> int:
    """The ta'zir agreed in the akad, for a member able to pay who delays on purpose. It goes
    to the social fund, never to income."""
    session.require(Action.FINANCING_APPROVE)
    reason = check_text(reason, _("Reason"), required=True, limit=500)
    with session.book.transaction():
        f = _active(session, financing_id)
        (amount,) = _conn(session).execute("SELECT tazir_amount FROM financing WHERE id = ?",
                                           (financing_id,)).fetchone()
        if not amount:
            raise ValidationError(_("The akad of {number} sets no ta'zir.").format(
                number=f.number))
        if not overdue_days(f, session.today):
            raise ValidationError(_("{number} has no overdue instalment.").format(
                number=f.number))
        return _add_charge(session, f, "tazir", amount, reason)


def record_tawidh(session: Session, financing_id: int, amount: object, reason: str) -> int:
    """A real, provable collection cost (only on murabahah and ijarah)."""
    session.require(Action.FINANCING_APPROVE)
    value = _amount(amount, _("The ta'widh"))
    reason = check_text(reason, _("The real cost"), required=True, limit=500)
    with session.book.transaction():
        f = _active(session, financing_id)
        if f.akad not in ("murabahah", "ijarah"):
            raise ValidationError(_("Ta'widh applies only to murabahah and ijarah."))
        return _add_charge(session, f, "tawidh", value, reason)


def waive_charge(session: Session, charge_id: int, reason: str) -> None:
    """A manager waives what is left of a charge (hardship); what was paid stays paid."""
    session.require(Action.FINANCING_APPROVE)
    reason = check_text(reason, _("Reason"), required=True, limit=500)
    with session.book.transaction():
        row = _conn(session).execute(
            "SELECT financing_id, kind, waived_by, imposed_by FROM financing_charge "
            "WHERE id = ?", (charge_id,)).fetchone()
        if row is None:
            raise ValidationError(_("Charge {id} does not exist.").format(id=charge_id))
        if row[2] is not None:
            raise ValidationError(_("The charge is already waived."))
        _conn(session).execute(
            "UPDATE financing_charge SET waived_by = ?, waived_on = ?, waive_reason = ? "
            "WHERE id = ?", (session.user_id, session.today.isoformat(), reason, charge_id))
        append(_conn(session), session.actor, "financing.waive", "financing_charge", charge_id,
               after={"reason": reason})
        _close_if_settled(session, row[0])


def report_profit(session: Session, financing_id: int, period_end: object,
                  realised_profit: object) -> int:
    """A mudharabah/musyarakah member's realised profit for a period; the BMT's share by the
    akad's nisbah becomes due. A loss gives no share."""
    session.require(Action.FINANCING_APPLY)
    try:
        day = period_end if isinstance(period_end, dt.date) \
            else dt.date.fromisoformat(str(period_end))
    except ValueError:
        raise ValidationError(_("The period end is not a date.")) from None
    if day > session.today:
        raise ValidationError(_("Profit is reported for a period that has ended."))
    if isinstance(realised_profit, bool) or not isinstance(realised_profit, int) \
            or abs(realised_profit) > MAX_AMOUNT:
        raise ValidationError(_("The realised profit is whole rupiah (a loss is negative)."))
    with session.book.transaction():
        f = _active(session, financing_id)
        if f.akad not in PROFIT_SHARING:
            raise ValidationError(_("Only mudharabah and musyarakah share profit."))
        row = _financing_row(session, financing_id)
        share = profit_share(realised_profit, row["nisbah_pct"])
        try:
            cursor = _conn(session).execute(
                "INSERT INTO financing_profit_report (financing_id, period_end, "
                "realised_profit, share_due, reported_by, reported_on) "
                "VALUES (?, ?, ?, ?, ?, ?)", (financing_id, day.isoformat(), realised_profit,
                                              share, session.user_id,
                                              session.today.isoformat()))
        except Exception as error:  # the unique (financing, period) index
            if "UNIQUE" not in str(error):
                raise
            raise ValidationError(_("Profit for {date} is already reported.").format(
                date=format_date_id(day))) from None
        append(_conn(session), session.actor, "financing.profit_report",
               "financing_profit_report", cursor.lastrowid,
               after={"profit": realised_profit, "share": share})
        if share:
            _add_charge(session, f, "bagi_hasil", share,
                        _("Profit share for the period ending {date}").format(
                            date=format_date_id(day)), day)
        return share


# ---------------------------------------------------------------------------------- reschedule
def request_reschedule(session: Session, financing_id: int, instalments: int, frequency: str,
                       first_due: dt.date, reason: str) -> int:
    session.require(Action.FINANCING_APPLY)
    reason = check_text(reason, _("Reason"), required=True, limit=1000)
    if frequency not in FREQUENCIES:
        raise ValidationError(_("The repayment frequency is monthly, fortnightly or weekly."))
    if isinstance(instalments, bool) or not isinstance(instalments, int) \
            or not 1 <= instalments <= 520:
        raise ValidationError(_("The number of instalments must be from 1 to {n}.").format(n=520))
    with session.book.transaction():
        f = _active(session, financing_id)
        _check_first_due(session, first_due, session.today)
        _check_product_terms(session, financing_id, instalments, frequency)
        if _conn(session).execute("SELECT 1 FROM financing_reschedule WHERE financing_id = ? "
                                  "AND status = 'menunggu'", (f.id,)).fetchone():
            raise ValidationError(_("A rescheduling of {number} already waits for a "
                                    "decision.").format(number=f.number))
        cursor = _conn(session).execute(
            "INSERT INTO financing_reschedule (financing_id, requested_by, requested_on, "
            "reason, instalments, frequency, first_due_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (f.id, session.user_id, session.today.isoformat(), reason, instalments, frequency,
             first_due.isoformat()))
        append(_conn(session), session.actor, "financing.reschedule_request",
               "financing_reschedule", cursor.lastrowid,
               after={"financing": f.number, "instalments": instalments,
                      "frequency": frequency, "first_due": first_due.isoformat()})
        return int(cursor.lastrowid)


def _check_product_terms(session: Session, financing_id: int, instalments: int,
                         frequency: str) -> None:
    """New terms stay within the product's tenor range and frequencies."""
    name, low, high, frequencies = _conn(session).execute(
        "SELECT p.name, p.min_tenor_months, p.max_tenor_months, p.frequencies FROM financing f "
        "JOIN financing_product p ON p.id = f.product_id WHERE f.id = ?",
        (financing_id,)).fetchone()
    if frequency not in frequencies.split(","):
        raise ValidationError(_("{product} is repaid {allowed}.").format(
            product=name, allowed=", ".join(frequency_label(f)
                                            for f in frequencies.split(",") if f)))
    months = term_months(instalments, frequency)
    if not low <= months <= high:
        raise ValidationError(_("{product} runs {low} to {high} months; {n} instalments "
                                "{freq} is {months} months.").format(
            product=name, low=low, high=high, n=instalments, freq=frequency_label(frequency),
            months=months))


def decide_reschedule(session: Session, reschedule_id: int, approve: bool,
                      reason: str = "") -> None:
    """Another manager approves: what is left (principal and margin, never more margin —
    Fatwa DSN 48/2005) is spread over the new instalments; the old schedule stays."""
    session.require(Action.FINANCING_APPROVE)
    reason = check_text(reason, _("Reason"), required=not approve, limit=1000)
    with session.book.transaction():
        row = _conn(session).execute(
            "SELECT financing_id, requested_by, status, instalments, frequency, first_due_on "
            "FROM financing_reschedule WHERE id = ?", (reschedule_id,)).fetchone()
        if row is None or row[2] != "menunggu":
            raise ValidationError(_("No rescheduling {id} waits for a decision.").format(
                id=reschedule_id))
        financing_id, requested_by, _status, instalments, frequency, first_due = row
        if requested_by == session.user_id:
            raise PermissionDenied(_("You requested this rescheduling; another manager must "
                                     "decide it."))
        if approve:
            f = _active(session, financing_id)
            first = dt.date.fromisoformat(first_due)
            _check_first_due(session, first, session.today)
            fin = _financing_row(session, financing_id)
            settled_margin = f.paid_margin + f.margin_discount
            write_schedule(session, financing_id, f.version + 1, f.left_principal, 0,
                           instalments, frequency, first, "flat", fin["rounding_unit"],
                           margin_total=f.left_margin,
                           paid_before=(f.paid_principal, settled_margin), reason=reason)
            # The akad's own terms stay as agreed; the new terms live in the reschedule row
            # and the new schedule version.
            _conn(session).execute("UPDATE financing SET schedule_version = ? WHERE id = ?",
                                   (f.version + 1, financing_id))
        _conn(session).execute(
            "UPDATE financing_reschedule SET status = ?, decided_by = ?, decided_on = ?, "
            "decision_reason = ? WHERE id = ?",
            ("disetujui" if approve else "ditolak", session.user_id,
             session.today.isoformat(), reason, reschedule_id))
        append(_conn(session), session.actor,
               f"financing.reschedule_{'approve' if approve else 'reject'}",
               "financing_reschedule", reschedule_id, after={"reason": reason})


# ---------------------------------------------------------------------------- write-off, recovery
def write_off(session: Session, financing_id: int, reason: str) -> PostedJournal:
    """Take a Macet financing off the balance sheet: the reserve (PPAP) first, then expense.
    The member still owes it; recoveries are recorded as they come."""
    session.require(Action.FINANCING_WRITE_OFF)
    reason = check_text(reason, _("Reason"), required=True, limit=1000)
    with session.book.transaction():
        f = _active(session, financing_id)
        rules = collectibility_rules(session.book)
        klass = collectibility(f, session.today, rules)
        if klass != "macet":
            raise ValidationError(_("Only a financing in class Macet is written off ({number} "
                                    "is {days} days overdue).").format(
                number=f.number, days=overdue_days(f, session.today)))
        principal, margin = f.left_principal, f.left_margin
        (reserve_left,) = _conn(session).execute(
            "SELECT -balance FROM account WHERE code = ?", (PPAP_RESERVE,)).fetchone()
        # A qardh is lent from the Maal side: its loss falls on the benevolence fund.
        from_reserve = 0 if f.akad == "qardh" else max(0, min(principal, reserve_left))
        lines = []
        if from_reserve:
            lines.append(LineSpec(PPAP_RESERVE, debit=from_reserve, memo=WRITE_OFF,
                                  member_id=f.member_id, financing_id=f.id))
        if principal - from_reserve:
            lines.append(LineSpec(BENEVOLENCE_FUND if f.akad == "qardh" else PPAP_EXPENSE,
                                  debit=principal - from_reserve, memo=WRITE_OFF,
                                  member_id=f.member_id, financing_id=f.id))
        receivable = principal
        if f.akad == "murabahah" and margin:
            lines.append(LineSpec(DEFERRED_MARGIN, debit=margin, memo=WRITE_OFF,
                                  member_id=f.member_id, financing_id=f.id))
            receivable += margin
        lines.append(LineSpec(RECEIVABLE[f.akad], credit=receivable, memo=WRITE_OFF,
                              member_id=f.member_id, financing_id=f.id))
        writer = LedgerWriter(_conn(session))
        posted = writer.post(JournalSpec(session.today, _("Write-off of {number}: {reason}")
                                         .format(number=f.number, reason=reason)[:500], lines),
                             session.actor)
        writer.flush()
        _conn(session).execute("UPDATE financing SET status = 'hapus_buku', closed_on = ? "
                               "WHERE id = ?", (session.today.isoformat(), f.id))
        append(_conn(session), session.actor, "financing.write_off", "financing", f.id,
               before={"status": "cair"}, after={"status": "hapus_buku", "principal": principal,
                                                 "journal": posted.doc_number})
        return posted


def recover(session: Session, financing_id: int, amount: object, *,
            request_id: str | None = None) -> PostedJournal:
    """Cash received on a written-off financing: income, up to what was written off."""
    session.require(Action.CASH_TRANSACTION)
    value = _amount(amount, _("The recovery"))
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return done
        f = facts(_conn(session), financing_id)
        if f.status != "hapus_buku":
            raise ValidationError(_("{number} is not written off.").format(number=f.number))
        left = f.written_off - f.recovered
        if value > left:
            raise ValidationError(_("Only {left} of {number} is still to recover.").format(
                left=format_rupiah(left), number=f.number))
        return post_cash(session, _("Recovery on written-off {number}").format(number=f.number),
                         [LineSpec(TELLER_CASH, debit=value),
                          LineSpec(BENEVOLENCE_FUND if f.akad == "qardh" else RECOVERY_INCOME,
                                   credit=value, memo=RECOVERY,
                                   member_id=f.member_id, financing_id=f.id)],
                         request_id=request_id)


# ------------------------------------------------------------------------------ reversal guard
def check_reversal(session: Session, journal_id: int) -> list[int]:
    """A financing journal may be reversed only while it is the latest of its financing and
    no rescheduling came after it. Returns the financings it touches."""
    conn = _conn(session)
    ids = [fid for (fid,) in conn.execute(
        "SELECT DISTINCT financing_id FROM journal_line WHERE journal_id = ? "
        "AND financing_id IS NOT NULL", (journal_id,))]
    for fid in ids:
        number, status, version = conn.execute(
            "SELECT number, status, schedule_version FROM financing WHERE id = ?",
            (fid,)).fetchone()
        if last_financing_journal(conn, fid) != journal_id:
            raise ValidationError(_("Reverse the later postings of {number} first (newest "
                                    "first).").format(number=number))
        (since,) = conn.execute(
            "SELECT last_journal_id FROM financing_schedule_version WHERE financing_id = ? "
            "AND version = ?", (fid, version)).fetchone() or (None,)
        if version > 1 and since is not None and journal_id <= since:
            raise ValidationError(_("{number} was rescheduled after this posting; it cannot be "
                                    "reversed.").format(number=number))
        if status == "hapus_buku" and not conn.execute(
                "SELECT 1 FROM journal_line WHERE journal_id = ? AND memo = ?",
                (journal_id, WRITE_OFF)).fetchone():
            raise ValidationError(_("{number} is written off.").format(number=number))
    return ids


def after_reversal(session: Session, journal_id: int, financing_ids: list[int]) -> None:
    """Put each financing back in the state its journals now say."""
    conn = _conn(session)
    for fid in financing_ids:
        memos = {m for (m,) in conn.execute(
            "SELECT memo FROM journal_line WHERE journal_id = ? AND financing_id = ?",
            (journal_id, fid))}
        status = conn.execute("SELECT status FROM financing WHERE id = ?", (fid,)).fetchone()[0]
        if "CAIR" in memos:
            conn.execute("UPDATE financing SET status = 'disetujui', disbursed_on = NULL, "
                         "disbursed_to = NULL, savings_account_id = NULL, first_due_on = NULL "
                         "WHERE id = ?", (fid,))
            new = "disetujui"
        elif WRITE_OFF in memos:
            conn.execute("UPDATE financing SET status = 'cair', closed_on = NULL WHERE id = ?",
                         (fid,))
            new = "cair"
        elif DISCOUNT in memos or status == "lunas":
            discount = settlement_not_charged(conn, fid, journal_id) or 0
            conn.execute("UPDATE financing SET status = 'cair', closed_on = NULL, "
                         "margin_discount = margin_discount - ? WHERE id = ?", (discount, fid))
            new = "cair"
        else:
            continue
        append(conn, session.actor, "financing.reversal", "financing", fid,
               before={"status": status}, after={"status": new, "journal": journal_id})


def settlement_not_charged(conn, financing_id: int, journal_id: int  # noqa: ANN001
                           ) -> int | None:
    """The margin an early settlement did not charge (unpaid margin of periods not yet
    passed, and margin paid ahead for them), kept in its audit entry; None when the journal
    was not an early settlement. Only the entries written beside the journal are read."""
    row = conn.execute("SELECT j.doc_number, a.seq FROM journal j LEFT JOIN audit_log a "
                       "ON a.journal_id = j.id WHERE j.id = ?", (journal_id,)).fetchone()
    if row is None or row[1] is None:
        return None
    doc, seq = row
    for (after,) in conn.execute(
            "SELECT after FROM audit_log WHERE seq BETWEEN ? AND ? "
            "AND action = 'financing.early_settlement' AND entity_id = ?",
            (seq - 50, seq + 50, str(financing_id))):
        data = json.loads(after or "{}")
        if data.get("journal") == doc:
            return int(data.get("discount", 0)) + int(data.get("prepaid_margin", 0))
    return None


# ---------------------------------------------------------------------------------------- PPAP
@dataclass(frozen=True)
class ReserveRow:
    financing_id: int
    number: str
    outstanding: int
    collateral: int
    days: int
    klass: str
    reserve: int


def reserve_rows(session: Session, on: dt.date | None = None) -> list[ReserveRow]:
    """Collectibility and PPAP of every disbursed financing on a day."""
    session.require(Action.LEDGER_VIEW, writes=False)
    day = on or session.today
    rules = collectibility_rules(session.book)
    rows = []
    for running in running_on(_conn(session), day):
        f = running.facts
        days = overdue_days(f, day)
        klass = collectibility(f, day, rules)
        rows.append(ReserveRow(f.id, f.number, f.left_principal, running.collateral, days,
                               klass, reserve(f.left_principal, running.collateral, klass,
                                              rules)))
    return rows


def post_reserve(session: Session, on: dt.date | None = None) -> PostedJournal | None:
    """Bring the PPAP reserve (119) to what the collectibility on ``on`` requires, dated that
    day (month-end passes the month's last day); None when it already is."""
    session.require(Action.JOURNAL_POST)
    day = on or session.today
    with session.book.transaction():
        required = sum(r.reserve for r in reserve_rows(session, day))
        (held,) = _conn(session).execute("SELECT -balance FROM account WHERE code = ?",
                                         (PPAP_RESERVE,)).fetchone()
        change = required - held
        if not change:
            return None
        lines = [LineSpec(PPAP_EXPENSE, debit=change), LineSpec(PPAP_RESERVE, credit=change)] \
            if change > 0 else [LineSpec(PPAP_RESERVE, debit=-change),
                                LineSpec(PPAP_EXPENSE, credit=-change)]
        writer = LedgerWriter(_conn(session))
        posted = writer.post(JournalSpec(day, _("PPAP reserve to {amount}").format(
            amount=format_rupiah(required)), lines), session.actor)
        writer.flush()
        return posted
