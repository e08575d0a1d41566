"""The teller's papers: receipts (kuitansi), passbook lines, monthly statements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bmt_desktop.domain.dates import month_end
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.permissions import Action
from bmt_desktop.domain.stamp_duty import needs_stamp_duty
from bmt_desktop.i18n import _
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
    return ReceiptData(
        office_name=profile.name, office_address=profile.address,
        office_registration=profile.registration_number, is_demo=profile.is_demo,
        number=number, date=dt.date.fromisoformat(date), show_hijri=show_hijri,
        kind_title=title, received_from=party, direction=direction, amount=amount,
        purpose=description, lines=breakdown, balance_after=balance_after,
        teller=User.get_by_id(user_id).full_name,
        stamp_duty=needs_stamp_duty("savings", amount), reprint=reprinted,
    )


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
