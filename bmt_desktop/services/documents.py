"""The teller's papers: receipts (kuitansi), passbook lines, monthly statements."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, replace

from bmt_desktop.domain.dates import month_end
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.permissions import Action
from bmt_desktop.domain.stamp_duty import needs_stamp_duty
from bmt_desktop.i18n import N_, _
from bmt_desktop.printing.passbook import (
    PassbookEntry,
    PassbookLayout,
    PassbookPosition,
    PassbookPrintPlan,
    plan_passbook,
    render_passbook,
    render_passbook_cover,
)
from bmt_desktop.printing.receipt import ReceiptData, render_receipt
from bmt_desktop.printing.statement import StatementData, StatementLine, render_statement
from bmt_desktop.services.book_settings import get_setting
from bmt_desktop.services.financing_payments import settlement_not_charged
from bmt_desktop.services.office import get_logo, get_profile
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append, utc_now
from bmt_desktop.store.models import Member, ReceiptPrint, SavingsAccount, SavingsProduct, User

TELLER_CASH = "102"


def _journal(session: Session, doc_number: str) -> tuple:
    row = session.book.raw().execute(
        "SELECT j.id, j.doc_number, j.date, j.description, j.created_by, j.reverses_id, "
        "j.doc_kind FROM journal j WHERE j.doc_number = ?", ((doc_number or "").strip().upper(),)
    ).fetchone()
    if row is None:
        raise ValidationError(_("Document {number} does not exist.").format(
            number=(doc_number or "")[:30]))
    return row


def receipt_data(session: Session, doc_number: str, *, show_hijri: bool | None = None,
                 member_id: int | None = None) -> ReceiptData:
    """What the kuitansi of a posted journal shows: cash in or out, party, amount, purpose.

    With ``member_id`` (a Kube's collection sheet) it is that member's own receipt: their
    lines and their amount, under the sheet's document number.
    """
    session.require(Action.LEDGER_VIEW, writes=False)
    if show_hijri is None:  # the office's setting decides
        show_hijri = get_setting(session.book, "receipt_hijri") == "ya"
    journal_id, number, date, description, user_id, reverses_id, kind = _journal(
        session, doc_number)
    conn = session.book.raw()
    lines = conn.execute(
        "SELECT a.code, a.name, l.debit, l.credit, l.member_id, l.savings_account_id, l.memo "
        "FROM journal_line l JOIN account a ON a.id = l.account_id WHERE l.journal_id = ? "
        "ORDER BY l.line_no", (journal_id,)).fetchall()
    member_id_asked = member_id
    if member_id is not None:
        own = [line for line in lines if line[4] == member_id]
        if not own:
            raise ValidationError(_("The member has no line in {number}.").format(
                number=number))
        paid = sum(c - d for _code, _n, d, c, *_rest in own)
        lines = [(TELLER_CASH, "", max(paid, 0), max(-paid, 0), None, None, ""), *own]
    cash_in = sum(d for code, _n, d, _c, *_rest in lines if code == TELLER_CASH)
    cash_out = sum(c for code, _n, _d, c, *_rest in lines if code == TELLER_CASH)
    direction = "in" if cash_in >= cash_out else "out"
    amount = abs(cash_in - cash_out) or sum(d for _c, _n, d, *_rest in lines)
    member_ids = {m for *_x, m, _s, _memo in lines if m}
    member_id = next(iter(member_ids)) if len(member_ids) == 1 else None
    savings_ids = {s for *_x, s, _memo in lines if s}
    # A balance after is shown only when the receipt concerns one savings account.
    savings_id = next(iter(savings_ids)) if len(savings_ids) == 1 else None
    party = description
    balance_after = None
    if member_id:
        member = Member.get_by_id(member_id)
        party = f"{member.name} ({member.number})"
    elif member_ids:  # a Kube's collection sheet: one group receipt
        kube = conn.execute(
            "SELECT k.name FROM kube k JOIN kube_meeting m ON m.kube_id = k.id "
            "WHERE m.journal_id = ?", (journal_id,)).fetchone()
        party = _("{group} ({n} members)").format(
            group=kube[0] if kube else _("Group"), n=len(member_ids))
    if savings_id and kind != "PB":
        (balance_after,) = conn.execute(
            "SELECT coalesce(sum(credit) - sum(debit), 0) FROM journal_line "
            "WHERE savings_account_id = ? AND id <= (SELECT max(id) FROM journal_line "
            "WHERE journal_id = ?)", (savings_id, journal_id)).fetchone()
    breakdown = tuple((name, d or c) for code, name, d, c, *_r in lines
                      if code != TELLER_CASH) if len(lines) > 2 else ()
    profile = get_profile(session.book)
    title = {("in", False): _("Cash receipt"), ("out", False): _("Cash payment voucher")}[
        (direction, False)]
    if reverses_id:
        title = _("Correction (reversal)")
    reprinted = ReceiptPrint.select().where(ReceiptPrint.journal == journal_id).exists()
    data = ReceiptData(
        office_name=profile.name, office_address=profile.address,
        office_registration=profile.registration_number, is_demo=profile.is_demo,
        number=number, date=dt.date.fromisoformat(date), show_hijri=show_hijri,
        kind_title=title, received_from=party, direction=direction, amount=amount,
        purpose=description, lines=breakdown, balance_after=balance_after,
        teller=User.get_by_id(user_id).full_name,
        stamp_duty=needs_stamp_duty("savings", amount), reprint=reprinted,
    )
    return _financing_receipt(conn, journal_id, data, kind, bool(reverses_id), member_id_asked)


# ----------------------------------------------------------------------- financing on receipts
# What each kind of financing line is called on the member's receipt (memo code → label).
# MARGIN-PIUTANG / MARGIN-TANGGUH move the deferred margin inside the books: never shown.
# A receipt of one financing names it in its purpose; one of several (a Kube's collection
# sheet) names it on each line.
_FINANCING_LABELS = {
    "CAIR": N_("Financing disbursement"),
    "ADM": N_("Admin fee"),
    "POKOK": N_("Principal instalment"),
    "MARGIN": N_("Margin"),
    "DISKON": N_("Early settlement — margin discount"),
    "TAZIR": N_("Ta'zir (social fund)"),
    "TAWIDH": N_("Ta'widh"),
    "BAGI_HASIL": N_("Profit share"),
    "PEMULIHAN": N_("Recovery of written-off financing"),
    "HAPUS": N_("Write-off"),
}
_RENT_LABEL = N_("Rent (ujrah)")
_HIDDEN_MEMOS = frozenset({"MARGIN-PIUTANG", "MARGIN-TANGGUH"})
_ORDER = tuple(_FINANCING_LABELS)
_REPAYMENT_KINDS = frozenset({"POKOK", "MARGIN", "DISKON", "TAZIR", "TAWIDH", "BAGI_HASIL",
                              "PEMULIHAN"})


def _settlement_discount(conn: sqlite3.Connection, financing_id: int, journal_id: int,
                         doc_number: str) -> int | None:
    """The margin not charged when ``doc_number`` settled the financing early (unpaid margin
    of periods not yet passed, and margin paid ahead for them); None when it was not an
    early settlement."""
    return settlement_not_charged(conn, financing_id, journal_id)


def _outstanding_after(conn: sqlite3.Connection, financing_id: int, akad: str,
                       margin_total: int, journal_id: int) -> int:
    """Principal and margin still owed on a financing once ``journal_id`` was posted."""
    from bmt_desktop.services.financing_state import INCOME, RECEIVABLE

    (receivable,) = conn.execute(
        "SELECT coalesce(sum(l.debit - l.credit), 0) FROM journal_line l JOIN account a "
        "ON a.id = l.account_id WHERE l.financing_id = ? AND l.journal_id <= ? AND a.code = ?",
        (financing_id, journal_id, RECEIVABLE[akad])).fetchone()
    if akad == "murabahah" or receivable <= 0:  # the murabahah receivable holds the margin
        return max(0, int(receivable))
    (margin_paid,) = conn.execute(
        "SELECT coalesce(sum(l.credit - l.debit), 0) FROM journal_line l JOIN account a "
        "ON a.id = l.account_id WHERE l.financing_id = ? AND l.journal_id <= ? "
        "AND a.code = ? AND l.memo = 'MARGIN'",
        (financing_id, journal_id, INCOME[akad])).fetchone()
    return int(receivable) + max(0, margin_total - int(margin_paid))


def _financing_receipt(conn: sqlite3.Connection, journal_id: int, data: ReceiptData,
                       kind: str, reversal: bool, member_id: int | None) -> ReceiptData:
    """A receipt whose journal moves financing: its lines in the member's words (principal,
    margin, charges; the deferred-margin movements left out), the financing's number, what is
    still owed after it, and the stamp box for a repayment above the threshold. A write-off
    (an internal memo) keeps the plain receipt."""
    from bmt_desktop.services.financing_state import RECEIVABLE

    rows = conn.execute(
        "SELECT a.code, a.name, l.debit, l.credit, l.memo, l.member_id, l.savings_account_id, "
        "l.financing_id FROM journal_line l JOIN account a ON a.id = l.account_id "
        "WHERE l.journal_id = ? ORDER BY l.line_no", (journal_id,)).fetchall()
    if not any(r[7] for r in rows):
        return data
    if member_id is not None:
        rows = [r for r in rows if r[5] == member_id]
    ids = list(dict.fromkeys(r[7] for r in rows if r[7]))
    if not ids or any(r[4] == "HAPUS" for r in rows):  # a write-off is an internal memo
        return data
    info = {fid: conn.execute(
        "SELECT number, akad, kube_id, margin_total FROM financing WHERE id = ?",
        (fid,)).fetchone() for fid in ids}
    # Lines outside any financing other than the money's way in or out (cash; the savings of
    # a transfer): a mixed journal such as a Kube's collection sheet keeps its own totals.
    funding = [i for i, r in enumerate(rows) if r[7] is None and (
        r[0] == TELLER_CASH or (kind == "PB" and r[6] is not None))]
    others = [i for i, r in enumerate(rows) if r[7] is None and i not in funding]
    direction, amount = data.direction, data.amount
    if not others:
        total = sum(r[3] - r[2] for r in rows if r[7])
        direction, amount = ("in" if total >= 0 else "out"), abs(total)

    def signed(debit: int, credit: int) -> int:
        return credit - debit if direction == "in" else debit - credit

    buckets: dict[tuple[int, int, str], list] = {}

    def add(fid: int, code: str, amount_: int) -> None:
        number, akad = info[fid][0], info[fid][1]
        message = _RENT_LABEL if (code, akad) == ("MARGIN", "ijarah") \
            else _FINANCING_LABELS[code]
        label = _(message)
        if len(ids) > 1:
            label = f"{label} {number}"
        key = (ids.index(fid), _ORDER.index(code), code)
        buckets.setdefault(key, [label, 0])[1] += amount_

    plain: list[tuple[str, int]] = []
    kinds: set[str] = set()
    settled = {fid: found for fid in ids
               if (found := _settlement_discount(conn, fid, journal_id, data.number))
               is not None}
    for index, (code, name, debit, credit, memo, _m, _s, fid) in enumerate(rows):
        if fid is None:
            if index in others:
                plain.append((name, debit or credit))
            continue
        base = (memo or "").split("#")[0]
        if base in _HIDDEN_MEMOS:
            continue
        if base not in _FINANCING_LABELS:
            plain.append((name, signed(debit, credit)))
            continue
        kinds.add(base)
        if base == "DISKON" and code == RECEIVABLE[info[fid][1]]:
            # The discount is shown against the whole margin that was left: margin less
            # the discount is what was paid.
            add(fid, "MARGIN", signed(debit, credit))
        elif base == "MARGIN" and debit and fid in settled and info[fid][1] == "murabahah":
            # Margin paid ahead and taken back at an early settlement: part of the discount.
            add(fid, "DISKON", signed(debit, credit))
        else:
            add(fid, base, signed(debit, credit))
    for fid, discount in settled.items():
        if discount and info[fid][1] != "murabahah":  # no DISKON lines: from the record
            add(fid, "MARGIN", discount)
            add(fid, "DISKON", -discount)
    breakdown = tuple((label, value) for _key, (label, value) in sorted(buckets.items())
                      if value) + tuple(plain)
    changes: dict = {"lines": breakdown, "direction": direction, "amount": amount}
    if not others:
        changes["balance_after"] = None
    first = ids[0]
    number, akad, kube_id, margin_total = info[first]
    if len(ids) == 1 and not kinds & {"HAPUS", "PEMULIHAN"}:
        changes["balance_after"] = _outstanding_after(conn, first, akad, margin_total,
                                                      journal_id)
        changes["balance_label"] = _("Still owed")
    if kube_id is not None and not any(r[5] for r in rows):
        kube = conn.execute("SELECT name, code FROM kube WHERE id = ?", (kube_id,)).fetchone()
        changes["received_from"] = f"{kube[0]} ({kube[1]})"
    repayment = direction == "in" and bool(kinds & _REPAYMENT_KINDS) and not reversal
    changes["stamp_duty"] = needs_stamp_duty("repayment" if repayment else "financing",
                                             amount)
    if reversal or others or len(ids) > 1:
        return replace(data, **changes)
    if "CAIR" in kinds:
        title, purpose = _("Financing disbursement voucher"), _(
            "Disbursement of {akad} financing {number}")
    elif "PEMULIHAN" in kinds:
        title, purpose = _("Cash receipt"), _("Recovery of written-off financing {number}")
    elif first in settled:
        title, purpose = _("Financing settlement receipt"), _(
            "Early settlement of {akad} financing {number}")
    elif kinds & {"POKOK", "MARGIN"}:
        title, purpose = _("Financing instalment receipt"), _(
            "Instalment of {akad} financing {number}")
    else:  # charges only: a ta'zir, a ta'widh, a profit share
        title, purpose = _("Financing payment receipt"), _(
            "Payment on {akad} financing {number}")
    purpose = purpose.format(akad=akad, number=number)
    accounts = [rows[i][6] for i in funding if rows[i][6] is not None]
    if accounts:
        (account,) = conn.execute("SELECT number FROM savings_account WHERE id = ?",
                                  (accounts[0],)).fetchone()
        purpose = (_("{purpose}, into savings account {account}") if direction == "out"
                   else _("{purpose}, from savings account {account}")).format(
            purpose=purpose, account=account)
    changes.update(kind_title=title, purpose=purpose)
    return replace(data, **changes)


def receipt_pdf(session: Session, doc_number: str, *, show_hijri: bool | None = None,
                member_id: int | None = None) -> bytes:
    """The receipt as PDF; printing it is remembered so a second print says CETAK ULANG."""
    session.require(Action.PASSBOOK_PRINT if not session.book.read_only else Action.LEDGER_VIEW,
                    writes=False)
    data = receipt_data(session, doc_number, show_hijri=show_hijri, member_id=member_id)
    pdf = render_receipt(data)
    if not session.book.read_only:
        with session.book.transaction():
            journal_id = _journal(session, doc_number)[0]
            ReceiptPrint.create(journal=journal_id, printed_at=utc_now(), user=session.user_id)
    return pdf


# ---------------------------------------------------------------------------- passbook
def _account(session: Session, number: str) -> SavingsAccount:
    account = (SavingsAccount.select(SavingsAccount, SavingsProduct).join(SavingsProduct)
               .where(SavingsAccount.number == (number or "").strip().upper()).first())
    if account is None:
        raise ValidationError(_("Savings account {number} does not exist.").format(
            number=(number or "")[:30]))
    return account


def _entries(session: Session, account: SavingsAccount, after_line_id: int = 0,
             until_line_id: int | None = None) -> list[PassbookEntry]:
    rows = session.book.raw().execute(
        "SELECT l.id, j.date, l.memo, l.debit, l.credit, j.reverses_id FROM journal_line l "
        "JOIN journal j ON j.id = l.journal_id WHERE l.savings_account_id = ? ORDER BY l.id",
        (account.id,)).fetchall()
    entries, balance = [], 0
    for line_id, date, memo, debit, credit, reverses in rows:
        balance += credit - debit
        if line_id <= after_line_id or (until_line_id is not None and line_id > until_line_id):
            continue
        code = "KOR" if reverses else (memo or "SETOR")[:6]
        entries.append(PassbookEntry(line_id, dt.date.fromisoformat(date), code, debit, credit,
                                     balance))
    return entries


@dataclass(frozen=True)
class PassbookState:
    number: str
    serial: int
    position: PassbookPosition
    last_line_id: int
    pending: int


def passbook_state(session: Session, number: str) -> PassbookState:
    session.require(Action.LEDGER_VIEW, writes=False)
    account = _account(session, number)
    pending = len(_entries(session, account, account.passbook_last_line_id))
    return PassbookState(account.number, account.passbook_serial,
                         PassbookPosition(account.passbook_page, account.passbook_line),
                         account.passbook_last_line_id, pending)


def passbook_pending(session: Session, number: str, layout: PassbookLayout | None = None
                     ) -> tuple[PassbookPrintPlan, bytes | None]:
    """The lines not yet printed, laid out from the next free line (nothing is marked yet)."""
    session.require(Action.PASSBOOK_PRINT, writes=False)
    layout = layout or PassbookLayout()
    account = _account(session, number)
    entries = _entries(session, account, account.passbook_last_line_id)
    plan = plan_passbook(entries, PassbookPosition(account.passbook_page,
                                                   account.passbook_line), layout)
    if not plan.pages:
        return plan, None
    return plan, render_passbook(plan, layout, is_demo=get_profile(session.book).is_demo)


def confirm_passbook_printed(session: Session, number: str, plan: PassbookPrintPlan) -> None:
    """The teller saw the lines come out right: remember where the book now ends."""
    session.require(Action.PASSBOOK_PRINT)
    if not plan.pages:
        return
    last_line = plan.pages[-1][1][-1][1].line_id
    with session.book.transaction():
        account = _account(session, number)
        if last_line <= account.passbook_last_line_id:
            raise ValidationError(_("These lines were already marked as printed."))
        before = {"page": account.passbook_page, "line": account.passbook_line,
                  "last_line_id": account.passbook_last_line_id}
        SavingsAccount.update(passbook_page=plan.end.page, passbook_line=plan.end.line,
                              passbook_last_line_id=last_line).where(
            SavingsAccount.id == account.id).execute()
        append(session.book.raw(), session.actor, "passbook.print", "savings_account",
               account.id, before=before,
               after={"page": plan.end.page, "line": plan.end.line, "last_line_id": last_line})


def passbook_reprint(session: Session, number: str, first_line_id: int, last_line_id: int,
                     start: PassbookPosition, layout: PassbookLayout | None = None) -> bytes:
    """Print a range again at a chosen place (a smudged line); the book's state is unchanged."""
    session.require(Action.PASSBOOK_PRINT, writes=False)
    layout = layout or PassbookLayout()
    account = _account(session, number)
    entries = _entries(session, account, first_line_id - 1, last_line_id)
    if not entries:
        raise ValidationError(_("No lines in that range."))
    plan = plan_passbook(entries, start, layout)
    return render_passbook(plan, layout, is_demo=get_profile(session.book).is_demo)


def replace_passbook(session: Session, number: str, reason: str) -> bytes:
    """A lost or full book is replaced: a new serial, printing starts on page 1 line 1.

    Returns the new book's identity page; the next print carries the lines not yet printed.
    """
    session.require(Action.PASSBOOK_PRINT)
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError(_("Give the reason the book is replaced."))
    with session.book.transaction():
        account = _account(session, number)
        serial = account.passbook_serial + 1
        SavingsAccount.update(passbook_serial=serial, passbook_page=1, passbook_line=0).where(
            SavingsAccount.id == account.id).execute()
        append(session.book.raw(), session.actor, "passbook.replace", "savings_account",
               account.id, before={"serial": account.passbook_serial},
               after={"serial": serial, "reason": reason.strip()})
    member = Member.get_by_id(account.member_id)
    return render_passbook_cover(account.number, member.name, member.number,
                                 get_profile(session.book).name, account.product.name,
                                 PassbookLayout())


# ---------------------------------------------------------------------------- statement
def statement_data(session: Session, number: str, year: int, month: int) -> StatementData:
    session.require(Action.LEDGER_VIEW, writes=False)
    if not (isinstance(month, int) and 1 <= month <= 12 and isinstance(year, int)
            and 1990 <= year <= 9999):
        raise ValidationError(_("Choose a month from 1 to 12."))
    account = _account(session, number)
    first, last = dt.date(year, month, 1).isoformat(), month_end(year, month).isoformat()
    conn = session.book.raw()
    (opening,) = conn.execute(
        "SELECT coalesce(sum(l.credit) - sum(l.debit), 0) FROM journal_line l JOIN journal j "
        "ON j.id = l.journal_id WHERE l.savings_account_id = ? AND j.date < ?",
        (account.id, first)).fetchone()
    lines = tuple(
        StatementLine(dt.date.fromisoformat(date), doc, description, debit, credit)
        for date, doc, description, debit, credit in conn.execute(
            "SELECT j.date, j.doc_number, j.description, l.debit, l.credit FROM journal_line l "
            "JOIN journal j ON j.id = l.journal_id WHERE l.savings_account_id = ? "
            "AND j.date BETWEEN ? AND ? ORDER BY j.date, l.id", (account.id, first, last))
    )
    member = Member.get_by_id(account.member_id)
    profile = get_profile(session.book)
    return StatementData(
        office_name=profile.name, office_address=profile.address,
        office_registration=profile.registration_number, is_demo=profile.is_demo,
        member_name=member.name, member_number=member.number, account_number=account.number,
        product_name=account.product.name, year=year, month=month, opening_balance=int(opening),
        printed_at=dt.datetime.now().replace(microsecond=0), lines=lines,
        logo=get_logo(session.book),
    )


def statement_pdf(session: Session, number: str, year: int, month: int) -> bytes:
    return render_statement(statement_data(session, number, year, month))
