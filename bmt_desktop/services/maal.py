"""Baitul Maal at the counter: zakat, infak and sedekah in; distributions to mustahik out.

The money sits in the Maal funds (24x), never in the business accounts and never as income.
A distribution is proposed (teller), approved by a manager who is not the proposer, then paid
in cash from a drawer.
"""

from __future__ import annotations

from dataclasses import dataclass

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.domain.journal_rules import LineSpec, check_text
from bmt_desktop.domain.money import format_rupiah, parse_amount
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services.drawer import TELLER_CASH, existing_posting, post_cash
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append, utc_now
from bmt_desktop.store.ledger import PostedJournal
from bmt_desktop.store.models import Account, MaalDistribution

FUNDS = {"zakat": "241", "infak": "242", "sedekah": "242", "kebajikan": "243"}


def _fund_label(fund: str) -> str:
    return {"zakat": _("zakat"), "infak": _("infak"), "sedekah": _("sedekah"),
            "kebajikan": _("dana kebajikan")}[fund]


def _fund(fund: str) -> str:
    if fund not in FUNDS:
        raise ValidationError(_("Unknown Maal fund {fund}; choose zakat, infak, sedekah or "
                                "kebajikan.").format(fund=str(fund)[:20]))
    return FUNDS[fund]


def receive(session: Session, fund: str, payer: str, amount: object, *,
            request_id: str | None = None) -> PostedJournal:
    """Cash received for a Maal fund, with its own receipt."""
    session.require(Action.MAAL_RECEIVE)
    code = _fund(fund)
    payer = check_text(payer, _("Payer"), required=True, limit=100)
    value = parse_amount(amount)
    with session.book.transaction():
        return post_cash(
            session, _("Receipt of {fund} from {payer}").format(fund=_fund_label(fund),
                                                                payer=payer),
            [LineSpec(TELLER_CASH, debit=value), LineSpec(code, credit=value, memo=fund)],
            request_id=request_id,
        )


@dataclass(frozen=True)
class DistributionRow:
    id: int
    fund: str
    recipient: str
    purpose: str
    amount: int
    status: str
    proposed_by: str
    decided_by: str | None
    reason: str | None


def _row(d: MaalDistribution) -> DistributionRow:
    return DistributionRow(d.id, d.fund_account.name, d.recipient, d.purpose, d.amount, d.status,
                           d.proposed_by.username, d.decided_by.username if d.decided_by else None,
                           d.reason)


def _check_fund(account_id: int, amount: int, *, approving: bool) -> None:
    """A distribution never takes more than the fund holds; approving one also counts the
    approved distributions not yet paid."""
    account = Account.get_by_id(account_id)
    available = -int(account.balance)
    if approving:
        (committed,) = Account._meta.database.connection().execute(
            "SELECT coalesce(sum(amount), 0) FROM maal_distribution WHERE fund_account_id = ? "
            "AND status = 'disetujui'", (account_id,)).fetchone()
        available -= int(committed)
    if amount > available:
        raise ValidationError(_("The {fund} fund holds only {amount}.").format(
            fund=account.name, amount=format_rupiah(max(available, 0))))


def fund_balance(session: Session, fund: str) -> int:
    session.require(Action.LEDGER_VIEW, writes=False)
    return -int(Account.get(Account.code == _fund(fund)).balance)


def propose(session: Session, fund: str, recipient: str, purpose: str, amount: object
            ) -> DistributionRow:
    session.require(Action.MAAL_PROPOSE)
    code = _fund(fund)
    recipient = check_text(recipient, _("Recipient"), required=True, limit=100)
    purpose = check_text(purpose, _("Purpose"), required=True, limit=200)
    value = parse_amount(amount)
    with session.book.transaction():
        account = Account.get(Account.code == code)
        if value > -int(account.balance):
            raise ValidationError(_("The {fund} fund holds only {amount}.").format(
                fund=account.name, amount=format_rupiah(-int(account.balance))))
        row = MaalDistribution.create(fund_account=account.id, recipient=recipient,
                                      purpose=purpose, amount=value, status="usulan",
                                      proposed_by=session.user_id, proposed_at=utc_now())
        append(session.book.raw(), session.actor, "maal.propose", "maal_distribution", row.id,
               after={"fund": code, "recipient": recipient, "purpose": purpose,
                      "amount": value})
        return _row(MaalDistribution.get_by_id(row.id))


def decide(session: Session, distribution_id: int, approve: bool, reason: str = ""
           ) -> DistributionRow:
    """A manager approves or rejects (with a reason); never the one who proposed."""
    session.require(Action.MAAL_APPROVE)
    with session.book.transaction():
        row = MaalDistribution.get_or_none(MaalDistribution.id == distribution_id)
        if row is None or row.status != "usulan":
            raise ValidationError(_("No proposal {id} waits for a decision.").format(
                id=distribution_id))
        if row.proposed_by_id == session.user_id:
            raise PermissionDenied(_("You cannot decide on your own proposal."))
        text = check_text(reason, _("Reason"), required=not approve)
        if approve:
            _check_fund(row.fund_account_id, row.amount, approving=True)
        status = "disetujui" if approve else "ditolak"
        MaalDistribution.update(status=status, decided_by=session.user_id, decided_at=utc_now(),
                                reason=text or None).where(
            MaalDistribution.id == distribution_id).execute()
        append(session.book.raw(), session.actor, "maal.decide", "maal_distribution",
               distribution_id, before={"status": "usulan"},
               after={"status": status, "reason": text})
        return _row(MaalDistribution.get_by_id(distribution_id))


def pay(session: Session, distribution_id: int, *, request_id: str | None = None
        ) -> PostedJournal:
    """Pay an approved distribution in cash from the teller's drawer."""
    session.require(Action.CASH_TRANSACTION)
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return done
        row = MaalDistribution.get_or_none(MaalDistribution.id == distribution_id)
        if row is None or row.status != "disetujui":
            raise ValidationError(_("Distribution {id} is not approved for payment.").format(
                id=distribution_id))
        _check_fund(row.fund_account_id, row.amount, approving=False)
        code = row.fund_account.code
        posted = post_cash(
            session, _("Maal distribution to {recipient}: {purpose}").format(
                recipient=row.recipient, purpose=row.purpose),
            [LineSpec(code, debit=row.amount), LineSpec(TELLER_CASH, credit=row.amount)],
            request_id=request_id,
        )
        MaalDistribution.update(status="dibayar", journal=posted.id).where(
            MaalDistribution.id == distribution_id).execute()
        append(session.book.raw(), session.actor, "maal.pay", "maal_distribution",
               distribution_id, before={"status": "disetujui"},
               after={"status": "dibayar", "journal": posted.doc_number})
        return posted


def distributions(session: Session, status: str | None = None) -> list[DistributionRow]:
    session.require(Action.LEDGER_VIEW, writes=False)
    query = MaalDistribution.select().order_by(MaalDistribution.id.desc())
    if status:
        query = query.where(MaalDistribution.status == status)
    return [_row(d) for d in query.limit(500)]
