"""General journals, reversals, period closing and ledger queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bmt_desktop.domain.dates import check_posting_date, format_date_id, month_end, parse_date
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import LineSpec, check_text
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services import financing_payments
from bmt_desktop.services.drawer import require_open_drawer
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append, chain_head, utc_now
from bmt_desktop.store.book import Book
from bmt_desktop.store.ledger import (
    JournalSpec,
    LedgerWriter,
    PostedJournal,
    closed_through,
    reversal_spec,
)
from bmt_desktop.store.models import Account, PeriodClose


def post_journal(
    session: Session,
    date: dt.date | str,
    description: str,
    lines: Sequence[LineSpec],
    *,
    doc_kind: str = "JU",
    action: Action = Action.JOURNAL_POST,
) -> PostedJournal:
    """Post one balanced journal in one transaction; refused whole on any bad line."""
    session.require(action)
    day = parse_date(date)
    check_posting_date(day, session.today)
    with session.book.transaction():
        writer = LedgerWriter(session.book.raw())
        posted = writer.post(JournalSpec(day, description, list(lines), doc_kind), session.actor)
        writer.flush()
    return posted


def reverse_journal(
    session: Session, journal_id: int, reason: str, *, date: dt.date | str | None = None
) -> PostedJournal:
    """Post the storno of a journal, linking the original, the reason and the user."""
    session.require(Action.JOURNAL_REVERSE)
    reason = check_text(reason, _("Reason"), required=True)
    day = parse_date(date) if date is not None else session.today
    check_posting_date(day, session.today)
    with session.book.transaction():
        conn = session.book.raw()
        spec = reversal_spec(conn, journal_id, reason, day)
        financing = financing_payments.check_reversal(session, journal_id)
        spec = replace(spec, drawer_id=_reversal_drawer(session, journal_id))
        writer = LedgerWriter(conn)
        posted = writer.post(spec, session.actor)
        writer.flush()
        financing_payments.after_reversal(session, journal_id, financing)
    return posted


def _reversal_drawer(session: Session, journal_id: int) -> int | None:
    """Cash taken back goes through a drawer: the original one while it is open, else the
    reverser's own open drawer (the money changes hands at the counter today)."""
    conn = session.book.raw()
    row = conn.execute(
        "SELECT j.drawer_id, d.status, j.doc_kind FROM journal j "
        "LEFT JOIN teller_drawer d ON d.id = j.drawer_id WHERE j.id = ?", (journal_id,)
    ).fetchone()
    if row is None or row[0] is None or row[2] == "KS":
        return None
    if row[1] == "buka":
        return int(row[0])
    return int(require_open_drawer(session).id)


def close_period(session: Session, year: int, month: int) -> dt.date:
    """Close the books through the end of a month that has passed; months close in order."""
    session.require(Action.PERIOD_CLOSE)
    if not (isinstance(year, int) and isinstance(month, int) and 1 <= month <= 12):
        raise ValidationError(_("Choose a month from 1 to 12."))
    if not 1990 <= year <= 9999:
        raise ValidationError(_("The year {year} is not valid.").format(year=year))
    through = month_end(year, month)
    if through >= session.today:
        raise ValidationError(
            _("{date} has not passed yet; a month is closed after it ends.").format(
                date=format_date_id(through)
            )
        )
    with session.book.transaction():
        conn = session.book.raw()
        current = closed_through(conn)
        if current is not None and through <= current:
            raise ValidationError(
                _("The books are already closed through {date}.").format(
                    date=format_date_id(current)
                )
            )
        row = PeriodClose.create(
            closed_through=through.isoformat(), closed_by=session.user_id, closed_at=utc_now()
        )
        append(conn, session.actor, "period.close", "period_close", row.id,
               before={"closed_through": current.isoformat() if current else None},
               after={"closed_through": through.isoformat()})
    return through


def closed_until(book: Book) -> dt.date | None:
    return closed_through(book.raw())


@dataclass(frozen=True)
class AccountBalance:
    code: str
    name: str
    type: str
    fund: str
    is_header: bool
    debit: int
    credit: int


def trial_balance(session: Session) -> list[AccountBalance]:
    """Every account with its balance on its debit or credit side (from stored balances)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    result = []
    for account in Account.select().order_by(Account.code):
        balance = int(account.balance)
        result.append(
            AccountBalance(
                account.code, account.name, account.type, account.fund, bool(account.is_header),
                max(balance, 0), max(-balance, 0),
            )
        )
    return result


def current_chain_head(book: Book) -> tuple[int, str]:
    return chain_head(book.raw())


@dataclass(frozen=True)
class ActivityLine:
    journal_id: int
    doc_number: str
    date: str
    description: str
    debit: int
    credit: int
    username: str


def account_activity(session: Session, code: str, day: dt.date) -> tuple[int, list[ActivityLine]]:
    """An account's balance now and its lines posted on ``day`` (the teller's drawer view)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    conn = session.book.raw()
    row = conn.execute("SELECT id, balance FROM account WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise ValidationError(_("Account {code} does not exist.").format(code=code))
    lines = [
        ActivityLine(*r)
        for r in conn.execute(
            "SELECT j.id, j.doc_number, j.date, j.description, l.debit, l.credit, u.username "
            "FROM journal_line l JOIN journal j ON j.id = l.journal_id "
            "JOIN user u ON u.id = j.created_by "
            "WHERE l.account_id = ? AND j.date = ? ORDER BY j.id, l.line_no",
            (row[0], day.isoformat()),
        )
    ]
    return int(row[1]), lines
