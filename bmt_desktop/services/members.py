"""The member register: register, edit (audited before/after), search, look up, exit."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import asdict, dataclass, fields

from bmt_desktop.domain.dates import check_posting_date, parse_date
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import check_text
from bmt_desktop.domain.nik import check_nik_matches, parse_nik
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services.book_settings import get_setting
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append
from bmt_desktop.store.models import Member

MAX_RESULTS = 500
STATUSES = ("calon", "aktif", "keluar")


def search_key(text: str) -> str:
    """Lower case with accents folded, so "Ai Ruhiyat" is found by "ruhi" or "rühi"."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()


@dataclass
class MemberInput:
    """What the registration form holds; texts as typed, checked by the service."""

    name: str
    nik: str
    sex: str = ""
    birth_place: str = ""
    birth_date: dt.date | str | None = None
    kk_number: str = ""
    rt: str = ""
    rw: str = ""
    desa: str = ""
    kecamatan: str = ""
    kabupaten: str = ""
    phone: str = ""
    occupation: str = ""
    business_type: str = ""
    household_size: int | None = None
    dtks: bool = False
    monthly_income: int | None = None
    heir: str = ""
    join_date: dt.date | str | None = None
    status: str = "aktif"


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
    phone: str = ""


@dataclass(frozen=True)
class MemberSearch:
    rows: list[MemberRow]
    total: int  # all members matching, of which ``rows`` holds at most MAX_RESULTS


def _digits(value: str, label: str, length: int | None = None, *, limit: int = 20) -> str:
    text = (value or "").strip().replace(" ", "").replace("-", "")
    if text and (not text.isdigit() or not text.isascii() or len(text) > limit
                 or (length is not None and len(text) != length)):
        raise ValidationError(_("{field} must be {n} digits.").format(
            field=label, n=length or limit))
    return text


def _clean(data: MemberInput, today: dt.date) -> dict[str, object]:
    name = check_text(data.name, _("Name"), required=True, limit=100, single_line=True)
    info = parse_nik(data.nik, today=today)
    birth = parse_date(data.birth_date, field=_("Birth date")) if data.birth_date else None
    sex = (data.sex or "").strip().upper()
    if sex and sex not in ("L", "P"):
        raise ValidationError(_("Sex is L (male) or P (female)."))
    check_nik_matches(info, birth, sex or None)
    join = parse_date(data.join_date, field=_("Join date")) if data.join_date else today
    check_posting_date(join, today)
    if data.status not in STATUSES:
        raise ValidationError(_("Unknown member status {status}.").format(status=data.status))
    household = data.household_size
    if household is not None and (isinstance(household, bool) or not isinstance(household, int)
                                  or not 1 <= household <= 50):
        raise ValidationError(_("Household size is a number from 1 to 50."))
    income = data.monthly_income
    if income is not None and (isinstance(income, bool) or not isinstance(income, int)
                               or not 0 <= income <= 10**12):
        raise ValidationError(_("Monthly income is a whole number of rupiah, 0 or more."))
    short = {field: check_text(getattr(data, field), label, limit=100, single_line=True)
             for field, label in (
        ("birth_place", _("Birth place")), ("desa", _("Village")),
        ("kecamatan", _("District")), ("kabupaten", _("Regency")),
        ("occupation", _("Occupation")), ("business_type", _("Business type")),
        ("heir", _("Heir")))}
    return {
        "name": name, "nik": info.nik, "sex": info.sex, "birth_date": info.birth_date.isoformat(),
        "kk_number": _digits(data.kk_number, _("Family card number"), 16),
        "rt": _digits(data.rt, "RT", limit=3).zfill(3) if data.rt.strip() else "",
        "rw": _digits(data.rw, "RW", limit=3).zfill(3) if data.rw.strip() else "",
        "phone": _digits(data.phone, _("Phone"), limit=15),
        "household_size": household, "dtks": bool(data.dtks), "monthly_income": income,
        "join_date": join.isoformat(), "status": data.status, "search_key": search_key(name),
        **short,
    }


def _next_number(session: Session) -> str:
    pattern = get_setting(session.book, "member_number_pattern")
    (count,) = session.book.raw().execute("SELECT count(*) FROM member").fetchone()
    seq = int(count) + 1
    while True:
        number = pattern.format(seq=seq)
        if not Member.select().where(Member.number == number).exists():
            return number
        seq += 1


def _nik_taken(nik: str, except_id: int | None = None) -> None:
    query = Member.select().where(Member.nik == nik)
    if except_id is not None:
        query = query.where(Member.id != except_id)
    other = query.first()
    if other is not None:
        raise ValidationError(_("NIK {nik} is already registered to {name} ({number}).").format(
            nik=nik, name=other.name, number=other.number))


def register_member(session: Session, data: MemberInput) -> MemberRow:
    """Register a member; the audit log keeps every field written."""
    session.require(Action.MEMBER_REGISTER)
    values = _clean(data, session.today)
    with session.book.transaction():
        _nik_taken(str(values["nik"]))
        values["number"] = _next_number(session)
        member = Member.create(**values)
        after = {k: v for k, v in values.items() if k != "search_key"}
        append(session.book.raw(), session.actor, "member.create", "member", member.id,
               after=after)
    return member_row(member)


def update_member(session: Session, member_id: int, data: MemberInput) -> MemberRow:
    """Change a member's data; only the fields that changed are audited, before and after."""
    session.require(Action.MEMBER_REGISTER)
    values = _clean(data, session.today)
    with session.book.transaction():
        member = Member.get_or_none(Member.id == member_id)
        if member is None:
            raise ValidationError(_("Member {id} does not exist.").format(id=member_id))
        _nik_taken(str(values["nik"]), member_id)
        # Leaving goes through the exit (savings paid out); an edit only confirms a candidate.
        allowed = {member.status} | ({"aktif"} if member.status == "calon" else set())
        if values["status"] not in allowed:
            raise ValidationError(_("The status cannot be changed here: a member leaves through "
                                    "the exit, which settles the savings."))
        before = {k: getattr(member, k) for k in values}
        changed = {k: v for k, v in values.items() if before[k] != v and k != "search_key"}
        if not changed:
            return member_row(member)
        Member.update(**values).where(Member.id == member_id).execute()
        append(session.book.raw(), session.actor, "member.update", "member", member_id,
               before={k: before[k] for k in changed}, after=changed)
        member = Member.get_by_id(member_id)
    return member_row(member)


def member_row(m: Member) -> MemberRow:
    address = ", ".join(p for p in (f"RT {m.rt}/RW {m.rw}" if m.rt else "", m.desa) if p)
    return MemberRow(m.id, m.number, m.name, m.nik or "", address, m.occupation, m.join_date,
                     m.status, m.phone or "")


def get_member(session: Session, member_id: int) -> MemberInput:
    """A member's data as the edit form shows it."""
    session.require(Action.LEDGER_VIEW, writes=False)
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        raise ValidationError(_("Member {id} does not exist.").format(id=member_id))
    values = {f.name: getattr(member, f.name) for f in fields(MemberInput)}
    values["dtks"] = bool(values["dtks"])
    return MemberInput(**values)


def search_members(session: Session, text: str = "", limit: int = MAX_RESULTS,
                   offset: int = 0) -> MemberSearch:
    """Members by any part of the name (case and accents ignored), NIK, number, phone or RT/RW.

    "rt 3", "rw 2" or "3/2" find by neighbourhood; ordered by member number. ``offset`` skips
    that many matches (the next page of a long list); ``total`` counts them all.
    """
    session.require(Action.LEDGER_VIEW, writes=False)
    needle = check_text(text or "", _("Search text"), limit=100)
    query = Member.select()
    if needle:
        rt_rw = _rt_rw(needle)
        if rt_rw is not None:
            rt, rw = rt_rw
            if rt:
                query = query.where(Member.rt == rt)
            if rw:
                query = query.where(Member.rw == rw)
        else:
            key = search_key(needle)
            query = query.where(
                Member.search_key.contains(key) | Member.number.contains(needle.upper())
                | Member.nik.startswith(needle) | Member.phone.startswith(needle)
            )
    total = query.count()
    rows = [member_row(m) for m in
            query.order_by(Member.number).limit(max(1, min(limit, MAX_RESULTS)))
            .offset(max(0, int(offset)))]
    return MemberSearch(rows, total)


def _rt_rw(text: str) -> tuple[str, str] | None:
    words = text.lower().replace("/", " / ").split()
    if len(words) == 3 and words[1] == "/" and words[0].isdigit() and words[2].isdigit():
        return words[0].zfill(3), words[2].zfill(3)
    found: dict[str, str] = {}
    for label, value in zip(words, words[1:], strict=False):
        if label in ("rt", "rw") and value.isdigit():
            found[label] = value.zfill(3)
    if not found:
        return None
    return found.get("rt", ""), found.get("rw", "")


def as_dict(data: MemberInput) -> dict[str, object]:
    return asdict(data)
