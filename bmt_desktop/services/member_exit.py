"""A member leaves: every savings balance is paid out in one posting and the accounts close."""

from __future__ import annotations

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services.drawer import TELLER_CASH, existing_posting, post_cash
from bmt_desktop.services.savings import TARIK
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append
from bmt_desktop.store.ledger import PostedJournal
from bmt_desktop.store.models import Member, SavingsAccount, SavingsProduct


def open_obligations(session: Session, member_id: int) -> list[str]:
    """What keeps a member from leaving: own financing not settled, or a share in a Kube's
    financing still running (the group stands guarantor for it)."""
    conn = session.book.raw()
    found = [_("financing {number} ({status})").format(number=number, status=status)
             for number, status in conn.execute(
                 "SELECT number, status FROM financing WHERE member_id = ? "
                 "AND status IN ('pengajuan', 'disetujui', 'cair')", (member_id,))]
    found += [_("a share in the Kube financing {number}").format(number=number)
              for (number,) in conn.execute(
                  "SELECT f.number FROM financing f JOIN financing_share s "
                  "ON s.financing_id = f.id WHERE s.member_id = ? "
                  "AND f.status IN ('pengajuan', 'disetujui', 'cair')", (member_id,))]
    return found


def exit_member(session: Session, member_id: int, reason: str, *,
                request_id: str | None = None) -> PostedJournal | None:
    """Pay out all savings in cash and close the accounts; refused while obligations are open."""
    session.require(Action.MEMBER_EXIT)
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError(_("Give the reason the member leaves."))
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return done
        member = Member.get_or_none(Member.id == member_id)
        if member is None:
            raise ValidationError(_("Member {id} does not exist.").format(id=member_id))
        if member.status == "keluar":
            raise ValidationError(_("{name} has already left.").format(name=member.name))
        blocking = open_obligations(session, member_id)
        if blocking:
            raise ValidationError(_("{name} cannot leave yet: {what}.").format(
                name=member.name, what="; ".join(blocking)))
        accounts = list(SavingsAccount.select(SavingsAccount, SavingsProduct)
                        .join(SavingsProduct)
                        .where((SavingsAccount.member == member_id)
                               & (SavingsAccount.status == "aktif")))
        lines = [LineSpec(a.product.account.code, debit=int(a.balance), memo=TARIK,
                          member_id=member_id, savings_account_id=a.id)
                 for a in accounts if a.balance > 0]
        total = sum(line.debit for line in lines)
        posted = None
        if total:
            posted = post_cash(session, _("Savings paid out: {name} leaves ({reason})").format(
                name=member.name, reason=reason.strip()),
                [*lines, LineSpec(TELLER_CASH, credit=total)], request_id=request_id)
        today = session.today.isoformat()
        for account in accounts:
            SavingsAccount.update(status="tutup", closed_on=today).where(
                SavingsAccount.id == account.id).execute()
        Member.update(status="keluar", exit_date=today).where(Member.id == member_id).execute()
        append(session.book.raw(), session.actor, "member.exit", "member", member_id,
               before={"status": member.status},
               after={"status": "keluar", "exit_date": today, "reason": reason.strip(),
                      "paid_out": total})
        return posted
