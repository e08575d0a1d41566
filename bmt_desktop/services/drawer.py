"""The teller's drawer: opened with counted cash, every cash posting passes through it, closed
with a count by denomination; a difference waits for the manager's approval."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.domain.money import MAX_AMOUNT, format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append, chain_head, utc_now
from bmt_desktop.store.ledger import JournalSpec, LedgerWriter, PostedJournal
from bmt_desktop.store.models import TellerDrawer, User

VAULT = "101"
TELLER_CASH = "102"
CASH_DIFFERENCE = "106"
# Rupiah notes and coins a drawer is counted in (Rp100.000 down to Rp100).
DENOMINATIONS = (100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100)
MAX_PIECES = 1_000_000


@dataclass(frozen=True)
class DrawerState:
    id: int
    teller: str
    business_date: str
    status: str  # buka, menunggu (difference awaits approval), tutup
    opening_cash: int
    cash_in: int
    cash_out: int
    expected_cash: int
    counted_cash: int | None
    difference: int | None


def existing_posting(session: Session, request_id: str | None) -> PostedJournal | None:
    """The posting a button press already made: a second press returns it, posts nothing."""
    if not request_id:
        return None
    row = session.book.raw().execute(
        "SELECT j.id, j.doc_number, j.date, coalesce(sum(l.debit), 0) FROM journal j "
        "JOIN journal_line l ON l.journal_id = j.id WHERE j.request_id = ? GROUP BY j.id",
        (request_id,),
    ).fetchone()
    if row is None:
        return None
    return PostedJournal(int(row[0]), str(row[1]), dt.date.fromisoformat(row[2]), int(row[3]),
                         chain_head(session.book.raw())[1])


def _open_drawer_row(session: Session) -> TellerDrawer | None:
    return (TellerDrawer.select()
            .where((TellerDrawer.teller == session.user_id) & (TellerDrawer.status == "buka"))
            .first())


def require_open_drawer(session: Session) -> TellerDrawer:
    drawer = _open_drawer_row(session)
    if drawer is None:
        raise ValidationError(_("Your cash drawer is not open. Open it first (Kas tab)."))
    if drawer.business_date != session.today.isoformat():
        raise ValidationError(
            _("Your cash drawer is still open for {date}. Close it before working today.")
            .format(date=format_date_id(session.today.fromisoformat(drawer.business_date))))
    return drawer


def post_cash(session: Session, description: str, lines: Sequence[LineSpec], *,
              request_id: str | None, doc_kind: str = "KW") -> PostedJournal:
    """Post a journal that moves cash through the user's open drawer, once per request.

    Runs inside the caller's transaction.
    """
    done = existing_posting(session, request_id)
    if done is not None:
        return done
    drawer = require_open_drawer(session)
    paid_out = sum(line.credit - line.debit for line in lines if line.account_code == TELLER_CASH)
    if paid_out > 0:
        in_drawer = _state(drawer).expected_cash
        if paid_out > in_drawer:
            raise ValidationError(_("The drawer holds only {cash}; it cannot pay {amount}.")
                                  .format(cash=format_rupiah(in_drawer),
                                          amount=format_rupiah(paid_out)))
    writer = LedgerWriter(session.book.raw())
    posted = writer.post(
        JournalSpec(session.today, description, list(lines), doc_kind, drawer_id=drawer.id,
                    request_id=request_id),
        session.actor,
    )
    writer.flush()
    return posted


def _state(drawer: TellerDrawer) -> DrawerState:
    conn = TellerDrawer._meta.database.connection()
    cash_in, cash_out = conn.execute(
        "SELECT coalesce(sum(l.debit), 0), coalesce(sum(l.credit), 0) FROM journal j "
        "JOIN journal_line l ON l.journal_id = j.id JOIN account a ON a.id = l.account_id "
        "WHERE j.drawer_id = ? AND a.code = ? AND j.doc_kind != 'KS'",
        (drawer.id, TELLER_CASH),
    ).fetchone()
    # The opening transfer from the vault is not a customer movement.
    cash_in -= drawer.opening_cash
    expected = drawer.opening_cash + cash_in - cash_out
    return DrawerState(drawer.id, User.get_by_id(drawer.teller_id).username,
                       drawer.business_date, drawer.status, drawer.opening_cash, cash_in,
                       cash_out, expected, drawer.counted_cash, drawer.difference)


def current_drawer(session: Session) -> DrawerState | None:
    """The user's drawer that is open or waiting for approval, if any."""
    session.require(Action.LEDGER_VIEW, writes=False)
    drawer = (TellerDrawer.select()
              .where((TellerDrawer.teller == session.user_id) & (TellerDrawer.status != "tutup"))
              .first())
    return _state(drawer) if drawer is not None else None


def open_drawer(session: Session, opening_cash: int, *, request_id: str | None = None
                ) -> DrawerState:
    """Take counted cash from the vault into the drawer for today's business."""
    session.require(Action.DRAWER_OPERATE)
    if isinstance(opening_cash, bool) or not isinstance(opening_cash, int) \
            or not 0 <= opening_cash <= MAX_AMOUNT:
        raise ValidationError(_("The opening cash must be a whole number of rupiah, 0 or more."))
    with session.book.transaction():
        if existing_posting(session, request_id) is not None:
            return _state(_open_drawer_row(session))
        pending = (TellerDrawer.select()
                   .where((TellerDrawer.teller == session.user_id)
                          & (TellerDrawer.status != "tutup")).first())
        if pending is not None:
            raise ValidationError(_("You already have a drawer from {date} that is not closed.")
                                  .format(date=pending.business_date))
        drawer = TellerDrawer.create(teller=session.user_id,
                                     business_date=session.today.isoformat(),
                                     opened_at=utc_now(), opening_cash=opening_cash,
                                     status="buka")
        append(session.book.raw(), session.actor, "drawer.open", "teller_drawer", drawer.id,
               after={"opening_cash": opening_cash, "business_date": drawer.business_date})
        if opening_cash:
            post_cash(session, _("Cash from the vault to the drawer of {user}").format(
                user=session.username), [LineSpec(TELLER_CASH, debit=opening_cash),
                                         LineSpec(VAULT, credit=opening_cash)],
                request_id=request_id, doc_kind="JU")
        return _state(drawer)


def count_total(counts: Mapping[int, int]) -> int:
    total = 0
    for denomination, pieces in counts.items():
        if denomination not in DENOMINATIONS:
            raise ValidationError(_("Rp{value} is not a rupiah note or coin.").format(
                value=denomination))
        if isinstance(pieces, bool) or not isinstance(pieces, int) \
                or not 0 <= pieces <= MAX_PIECES:
            raise ValidationError(_("The count of {value} must be a whole number, 0 or more.")
                                  .format(value=format_rupiah(denomination)))
        total += denomination * pieces
    return total


def close_drawer(session: Session, counts: Mapping[int, int]) -> DrawerState:
    """Count the drawer. Equal to what the books expect: the cash goes back to the vault and
    the drawer closes. Different: the drawer waits for a manager to approve the difference."""
    session.require(Action.DRAWER_OPERATE)
    counted = count_total(counts)
    with session.book.transaction():
        drawer = _open_drawer_row(session)
        if drawer is None:
            raise ValidationError(_("Your cash drawer is not open."))
        state = _state(drawer)
        difference = counted - state.expected_cash
        TellerDrawer.update(
            closing_count=json.dumps({str(k): v for k, v in sorted(counts.items())}),
            counted_cash=counted, expected_cash=state.expected_cash, difference=difference,
            status="menunggu",
        ).where(TellerDrawer.id == drawer.id).execute()
        append(session.book.raw(), session.actor, "drawer.count", "teller_drawer", drawer.id,
               after={"counted": counted, "expected": state.expected_cash,
                      "difference": difference})
        if difference == 0:
            _settle(session, TellerDrawer.get_by_id(drawer.id), approver=None)
        return _state(TellerDrawer.get_by_id(drawer.id))


def approve_difference(session: Session, drawer_id: int) -> DrawerState:
    """A manager (never the drawer's own teller) accepts a counted difference."""
    session.require(Action.DRAWER_APPROVE)
    with session.book.transaction():
        drawer = TellerDrawer.get_or_none(TellerDrawer.id == drawer_id)
        if drawer is None or drawer.status != "menunggu":
            raise ValidationError(_("No drawer {id} waits for approval.").format(id=drawer_id))
        if drawer.teller_id == session.user_id:
            raise PermissionDenied(_("You cannot approve the difference of your own drawer."))
        _settle(session, drawer, approver=session.user_id)
        return _state(TellerDrawer.get_by_id(drawer_id))


def pending_approvals(session: Session) -> list[DrawerState]:
    session.require(Action.LEDGER_VIEW, writes=False)
    return [_state(d) for d in TellerDrawer.select().where(TellerDrawer.status == "menunggu")
            .order_by(TellerDrawer.id)]


def _settle(session: Session, drawer: TellerDrawer, approver: int | None) -> None:
    """Return the counted cash to the vault; a difference goes to the cash-difference account."""
    expected, counted = int(drawer.expected_cash), int(drawer.counted_cash)
    difference = counted - expected
    lines = []
    if counted:
        lines.append(LineSpec(VAULT, debit=counted))
    if difference < 0:
        lines.append(LineSpec(CASH_DIFFERENCE, debit=-difference, memo=_("Cash short")))
    if expected:
        lines.append(LineSpec(TELLER_CASH, credit=expected))
    if difference > 0:
        lines.append(LineSpec(CASH_DIFFERENCE, credit=difference, memo=_("Cash over")))
    if len(lines) >= 2:
        teller = User.get_by_id(drawer.teller_id).username
        writer = LedgerWriter(session.book.raw())
        writer.post(JournalSpec(session.today, _("Drawer of {user} closed, cash to the vault")
                                .format(user=teller), lines, "KS", drawer_id=drawer.id),
                    session.actor)
        writer.flush()
    TellerDrawer.update(status="tutup", closed_at=utc_now(), approved_by=approver,
                        approved_at=utc_now() if approver else None).where(
        TellerDrawer.id == drawer.id).execute()
    append(session.book.raw(), session.actor, "drawer.close", "teller_drawer", drawer.id,
           after={"difference": difference, "approved_by": approver})
