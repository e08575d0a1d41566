"""Looking members up (the register itself grows with the members issue)."""

from __future__ import annotations

from dataclasses import dataclass

from bmt_desktop.domain.journal_rules import check_text
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services.session import Session
from bmt_desktop.store.models import Member

MAX_RESULTS = 500


@dataclass(frozen=True)
class MemberRow:
    id: int
    number: str
    name: str
    nik: str
    address: str
    occupation: str
    join_date: str
    status: str


@dataclass(frozen=True)
class MemberSearch:
    rows: list[MemberRow]
    total: int  # all members matching, of which ``rows`` holds at most MAX_RESULTS


def search_members(session: Session, text: str = "", limit: int = MAX_RESULTS) -> MemberSearch:
    """Members whose number, name or NIK contains ``text``, ordered by member number."""
    session.require(Action.LEDGER_VIEW, writes=False)
    needle = check_text(text or "", _("Search text"), limit=100)
    query = Member.select()
    if needle:
        like = f"%{needle}%"
        query = query.where(
            Member.number.contains(needle) | Member.name ** like | Member.nik.contains(needle)
        )
    total = query.count()
    rows = [
        MemberRow(
            m.id, m.number, m.name, m.nik or "",
            ", ".join(p for p in (f"RT {m.rt}/RW {m.rw}" if m.rt else "", m.desa) if p),
            m.occupation, m.join_date, m.status,
        )
        for m in query.order_by(Member.number).limit(max(1, min(limit, MAX_RESULTS)))
    ]
    return MemberSearch(rows, total)
