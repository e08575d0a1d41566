"""What the end-of-day paper of a teller drawer shows, read from the book (nothing written)."""

from __future__ import annotations

import datetime as dt
import json

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.printing.drawer_report import (
    DrawerMovement,
    DrawerReportData,
    render_drawer_report,
)
from bmt_desktop.printing.layout import Letterhead
from bmt_desktop.services.drawer import DENOMINATIONS, TELLER_CASH
from bmt_desktop.services.office import get_logo, get_profile
from bmt_desktop.services.session import Session

# The opening transfer from the vault (JU) and the closing one back (KS) are not movements.
_NOT_MOVEMENTS = ("JU", "KS")


def _local_time(stamp: str | None) -> str:
    """A stored UTC time as the office's local "HH.MM" ("" when missing or unreadable)."""
    if not stamp:
        return ""
    try:
        when = dt.datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return ""
    return f"{when.hour:02d}.{when.minute:02d}"


def drawer_report_data(session: Session, drawer_id: int, *,
                       printed_at: dt.datetime | None = None) -> DrawerReportData:
    """A drawer with its cash movements, totals and (once counted) the count by denomination."""
    session.require(Action.LEDGER_VIEW, writes=False)
    conn = session.book.raw()
    row = conn.execute(
        "SELECT d.id, d.business_date, d.opened_at, d.opening_cash, d.status, d.closing_count, "
        "d.counted_cash, d.expected_cash, d.difference, d.closed_at, t.full_name, a.full_name "
        "FROM teller_drawer d JOIN user t ON t.id = d.teller_id "
        "LEFT JOIN user a ON a.id = d.approved_by WHERE d.id = ?", (drawer_id,)).fetchone()
    if row is None:
        raise ValidationError(_("Cash drawer {id} does not exist.").format(id=drawer_id))
    (_id, business_date, opened_at, opening_cash, status, closing_count, counted, expected,
     difference, closed_at, teller, approver) = row
    movements = tuple(
        DrawerMovement(doc, _local_time(created), description, int(cash_in), int(cash_out))
        for doc, created, description, cash_in, cash_out in conn.execute(
            "SELECT j.doc_number, j.created_at, j.description, coalesce(sum(l.debit), 0), "
            "coalesce(sum(l.credit), 0) FROM journal j "
            "JOIN journal_line l ON l.journal_id = j.id "
            "JOIN account a ON a.id = l.account_id "
            f"WHERE j.drawer_id = ? AND a.code = ? AND j.doc_kind NOT IN "
            f"({', '.join('?' for _k in _NOT_MOVEMENTS)}) GROUP BY j.id ORDER BY j.id",
            (drawer_id, TELLER_CASH, *_NOT_MOVEMENTS)))
    cash_in = sum(m.cash_in for m in movements)
    cash_out = sum(m.cash_out for m in movements)
    counts = None
    if closing_count:
        stored = {int(k): int(v) for k, v in json.loads(closing_count).items()}
        counts = tuple((value, stored.get(value, 0)) for value in DENOMINATIONS)
    profile = get_profile(session.book)
    return DrawerReportData(
        letterhead=Letterhead.of(profile, get_logo(session.book)),
        drawer_id=int(drawer_id), teller=teller,
        business_date=dt.date.fromisoformat(business_date), status=status,
        opened_at=_local_time(opened_at), closed_at=_local_time(closed_at),
        opening_cash=int(opening_cash), cash_in=cash_in, cash_out=cash_out,
        expected_cash=int(expected) if expected is not None
        else int(opening_cash) + cash_in - cash_out,
        movements=movements, counts=counts,
        counted_cash=int(counted) if counted is not None else None,
        difference=int(difference) if difference is not None else None,
        approved_by=approver,
        printed_at=printed_at or dt.datetime.now().replace(microsecond=0),
    )


def drawer_report_pdf(session: Session, drawer_id: int) -> bytes:
    """The A4 end-of-day report of a drawer as PDF."""
    return render_drawer_report(drawer_report_data(session, drawer_id))
