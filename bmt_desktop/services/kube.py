"""Kube: groups, members and officers, meetings and collection sheets, visits, aid, PHBK,
stage and the empowerment indicators (domain.md §1, §4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bmt_desktop.domain.dates import check_posting_date, format_date_id, parse_date
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import LineSpec, check_text
from bmt_desktop.domain.kube_stage import STAGES, KubeFacts, StageResult, compute_stage
from bmt_desktop.domain.money import MAX_AMOUNT, format_rupiah, parse_amount
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services import financing_payments
from bmt_desktop.services.book_settings import get_setting
from bmt_desktop.services.drawer import TELLER_CASH, existing_posting, post_cash
from bmt_desktop.services.savings import SETOR, check_whole_months, wajib_status
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append
from bmt_desktop.store.ledger import PostedJournal

IKS_ACCOUNT = "205"
GROUP_SAVINGS_ACCOUNT = "206"
OFFICER_ROLES = ("ketua", "sekretaris", "bendahara")
BUSINESS_STATUSES = ("belum", "berjalan", "berkembang", "berhenti")
LINK_MODELS = ("langsung", "perantara", "tanggung_renteng")
LINK_STATUSES = ("usulan", "berjalan", "lunas", "ditolak")


def _conn(session: Session):  # noqa: ANN202 - sqlite3.Connection
    return session.book.raw()


def _date(session: Session, value: object, field: str) -> dt.date:
    day = parse_date(value, field=field)
    check_posting_date(day, session.today)
    return day


def _kube(session: Session, kube_id: int) -> tuple:
    row = _conn(session).execute(
        "SELECT id, code, name, formed_on, status, desa FROM kube WHERE id = ?", (kube_id,)
    ).fetchone()
    if row is None:
        raise ValidationError(_("Kube {id} does not exist.").format(id=kube_id))
    return row


def _member_name(session: Session, member_id: int) -> tuple[str, str, str]:
    row = _conn(session).execute("SELECT name, status, desa FROM member WHERE id = ?",
                                 (member_id,)).fetchone()
    if row is None:
        raise ValidationError(_("Member {id} does not exist.").format(id=member_id))
    return row


# ----------------------------------------------------------------------------- register
@dataclass
class KubeInput:
    name: str
    business_type: str = ""
    rt: str = ""
    rw: str = ""
    desa: str = ""
    formed_on: dt.date | str | None = None
    pendamping: str = ""
    federation_id: int | None = None


@dataclass(frozen=True)
class KubeRow:
    id: int
    code: str
    name: str
    business_type: str
    rw: str
    rt: str
    formed_on: str
    status: str
    members: int
    pendamping: str
    stage: str


def create_federation(session: Session, name: str, level: str, coordinator: str = "",
                      supervisor: str = "", formed_on: object = None) -> int:
    session.require(Action.KUBE_MANAGE)
    name = check_text(name, _("Name"), required=True, limit=100, single_line=True)
    if level not in ("rw", "desa"):
        raise ValidationError(_("A federation is at RW or village level."))
    day = _date(session, formed_on or session.today, _("Date formed"))
    with session.book.transaction():
        cursor = _conn(session).execute(
            "INSERT INTO kube_federation (name, level, coordinator, supervisor, formed_on) "
            "VALUES (?, ?, ?, ?, ?)",
            (name, level, check_text(coordinator, _("Coordinator"), limit=100, single_line=True),
             check_text(supervisor, _("Supervisor"), limit=100, single_line=True),
             day.isoformat()))
        append(_conn(session), session.actor, "kube_federation.create", "kube_federation",
               cursor.lastrowid, after={"name": name, "level": level})
        return int(cursor.lastrowid)


def create_kube(session: Session, data: KubeInput) -> int:
    session.require(Action.KUBE_MANAGE)
    name = check_text(data.name, _("Name"), required=True, limit=100, single_line=True)
    formed = _date(session, data.formed_on or session.today, _("Date formed"))
    values = {
        "name": name,
        "business_type": check_text(data.business_type, _("Business type"), limit=100,
                                    single_line=True),
        "rt": (data.rt or "").strip().zfill(3) if (data.rt or "").strip() else "",
        "rw": (data.rw or "").strip().zfill(3) if (data.rw or "").strip() else "",
        "desa": check_text(data.desa, _("Village"), limit=100, single_line=True),
        "formed_on": formed.isoformat(),
        "pendamping": check_text(data.pendamping, _("Mentor"), limit=100, single_line=True),
        "federation_id": data.federation_id,
    }
    for key in ("rt", "rw"):
        if values[key] and (not values[key].isdigit() or len(values[key]) > 3):
            raise ValidationError(_("{field} must be {n} digits.").format(field=key.upper(), n=3))
    with session.book.transaction():
        conn = _conn(session)
        if data.federation_id is not None and not conn.execute(
                "SELECT 1 FROM kube_federation WHERE id = ?", (data.federation_id,)).fetchone():
            raise ValidationError(_("The federation does not exist."))
        (count,) = conn.execute("SELECT count(*) FROM kube").fetchone()
        values["code"] = f"KUBE-{int(count) + 1:03d}"
        columns = ", ".join(values)
        cursor = conn.execute(f"INSERT INTO kube ({columns}) VALUES "
                              f"({', '.join('?' for _v in values)})", tuple(values.values()))
        append(conn, session.actor, "kube.create", "kube", cursor.lastrowid, after=values)
        return int(cursor.lastrowid)


def list_kube(session: Session) -> list[KubeRow]:
    session.require(Action.LEDGER_VIEW, writes=False)
    rows = _conn(session).execute(
        "SELECT k.id, k.code, k.name, k.business_type, k.rw, k.rt, k.formed_on, k.status, "
        "(SELECT count(*) FROM kube_member m WHERE m.kube_id = k.id AND m.left_on IS NULL), "
        "k.pendamping FROM kube k ORDER BY k.code").fetchall()
    return [KubeRow(*row, stage=kube_stage(session, row[0]).stage) for row in rows]


# ----------------------------------------------------------------------------- membership
def current_members(session: Session, kube_id: int, on: dt.date | None = None
                    ) -> list[tuple[int, str, str]]:
    """(member id, number, name) of the households in the Kube on a day (today by default)."""
    day = (on or session.today).isoformat()
    return _conn(session).execute(
        "SELECT m.id, m.number, m.name FROM kube_member k JOIN member m ON m.id = k.member_id "
        "WHERE k.kube_id = ? AND k.joined_on <= ? AND (k.left_on IS NULL OR k.left_on > ?) "
        "ORDER BY m.number", (kube_id, day, day)).fetchall()


def add_member(session: Session, kube_id: int, member_id: int, joined_on: object = None
               ) -> list[str]:
    """Add a household; returns warnings (size, village). Refused if it is in another Kube."""
    session.require(Action.KUBE_MANAGE)
    day = _date(session, joined_on or session.today, _("Join date"))
    warnings: list[str] = []
    with session.book.transaction():
        conn = _conn(session)
        _kid, code, kube_name, formed, status, desa = _kube(session, kube_id)
        if status != "aktif":
            raise ValidationError(_("Kube {name} is dissolved.").format(name=kube_name))
        if day.isoformat() < formed:
            raise ValidationError(_("{date} is before the Kube was formed.").format(
                date=format_date_id(day)))
        name, member_status, member_desa = _member_name(session, member_id)
        if member_status == "keluar":
            raise ValidationError(_("{name} has left the BMT.").format(name=name))
        other = conn.execute(
            "SELECT k.name FROM kube_member km JOIN kube k ON k.id = km.kube_id "
            "WHERE km.member_id = ? AND km.left_on IS NULL", (member_id,)).fetchone()
        if other is not None:
            raise ValidationError(_("{name} is already in {kube}; a household belongs to one "
                                    "Kube at a time.").format(name=name, kube=other[0]))
        (left_last,) = conn.execute("SELECT max(left_on) FROM kube_member WHERE member_id = ?",
                                    (member_id,)).fetchone()
        if left_last and day.isoformat() < left_last:
            raise ValidationError(_("{name} left the previous Kube on {date}; the new "
                                    "membership cannot start earlier.").format(
                name=name, date=format_date_id(dt.date.fromisoformat(left_last))))
        size = len(current_members(session, kube_id)) + 1
        low = int(get_setting(session.book, "kube_min_members"))
        high = int(get_setting(session.book, "kube_max_members"))
        if size > high:
            text = _("Kube {name} would have {n} households; the rule is {low}–{high}.").format(
                name=kube_name, n=size, low=low, high=high)
            if get_setting(session.book, "kube_hard_limit") == "ya":
                raise ValidationError(text)
            warnings.append(text)
        if desa and member_desa and desa.lower() != member_desa.lower():
            warnings.append(_("{name} lives in {village}, not in {kube_village}.").format(
                name=name, village=member_desa, kube_village=desa))
        cursor = conn.execute(
            "INSERT INTO kube_member (kube_id, member_id, joined_on) VALUES (?, ?, ?)",
            (kube_id, member_id, day.isoformat()))
        append(conn, session.actor, "kube.member_add", "kube_member", cursor.lastrowid,
               after={"kube": code, "member_id": member_id, "joined_on": day.isoformat()})
    return warnings


def remove_member(session: Session, kube_id: int, member_id: int, left_on: object = None) -> None:
    session.require(Action.KUBE_MANAGE)
    day = _date(session, left_on or session.today, _("Leave date"))
    with session.book.transaction():
        conn = _conn(session)
        row = conn.execute(
            "SELECT id, joined_on FROM kube_member WHERE kube_id = ? AND member_id = ? "
            "AND left_on IS NULL", (kube_id, member_id)).fetchone()
        if row is None:
            raise ValidationError(_("The member is not in this Kube."))
        if day.isoformat() < row[1]:
            raise ValidationError(_("{date} is before the member joined.").format(
                date=format_date_id(day)))
        (term,) = conn.execute("SELECT max(term_start) FROM kube_officer WHERE kube_id = ? "
                               "AND member_id = ? AND term_end IS NULL",
                               (kube_id, member_id)).fetchone()
        if term and day.isoformat() < term:
            raise ValidationError(_("{date} is before the member's term as officer began "
                                    "({start}).").format(
                date=format_date_id(day), start=format_date_id(dt.date.fromisoformat(term))))
        conn.execute("UPDATE kube_member SET left_on = ? WHERE id = ?", (day.isoformat(), row[0]))
        conn.execute("UPDATE kube_officer SET term_end = ? WHERE kube_id = ? AND member_id = ? "
                     "AND term_end IS NULL", (day.isoformat(), kube_id, member_id))
        append(conn, session.actor, "kube.member_leave", "kube_member", row[0],
               before={"left_on": None}, after={"left_on": day.isoformat()})


def set_officer(session: Session, kube_id: int, member_id: int, role: str,
                term_start: object = None) -> None:
    """Give a role to a current member; the previous holder's term ends the day before."""
    session.require(Action.KUBE_MANAGE)
    if role not in OFFICER_ROLES:
        raise ValidationError(_("An officer is ketua, sekretaris or bendahara."))
    day = _date(session, term_start or session.today, _("Term start"))
    with session.book.transaction():
        conn = _conn(session)
        _kube(session, kube_id)
        name = _member_name(session, member_id)[0]
        still_in = conn.execute(
            "SELECT 1 FROM kube_member WHERE kube_id = ? AND member_id = ? AND left_on IS NULL "
            "AND joined_on <= ?", (kube_id, member_id, day.isoformat())).fetchone()
        if still_in is None:
            raise ValidationError(_("{name} is not a member of this Kube on {date}.").format(
                name=name, date=format_date_id(day)))
        previous = conn.execute(
            "SELECT id, term_start FROM kube_officer WHERE kube_id = ? AND role = ? "
            "AND term_end IS NULL", (kube_id, role)).fetchone()
        if previous is not None:
            if day.isoformat() <= previous[1]:
                raise ValidationError(_("The new term must start after the current one began "
                                        "({date}).").format(
                    date=format_date_id(dt.date.fromisoformat(previous[1]))))
            end = (day - dt.timedelta(days=1)).isoformat()
            conn.execute("UPDATE kube_officer SET term_end = ? WHERE id = ?", (end, previous[0]))
        cursor = conn.execute(
            "INSERT INTO kube_officer (kube_id, member_id, role, term_start) VALUES (?, ?, ?, ?)",
            (kube_id, member_id, role, day.isoformat()))
        append(conn, session.actor, "kube.officer", "kube_officer", cursor.lastrowid,
               after={"kube_id": kube_id, "member_id": member_id, "role": role,
                      "term_start": day.isoformat()})


def officers(session: Session, kube_id: int) -> list[tuple[str, str, str, str | None]]:
    """(role, member name, term start, term end) — all terms, newest first."""
    session.require(Action.LEDGER_VIEW, writes=False)
    return _conn(session).execute(
        "SELECT o.role, m.name, o.term_start, o.term_end FROM kube_officer o "
        "JOIN member m ON m.id = o.member_id WHERE o.kube_id = ? "
        "ORDER BY o.term_end IS NOT NULL, o.term_start DESC", (kube_id,)).fetchall()


def override_stage(session: Session, kube_id: int, stage: str | None, reason: str) -> None:
    session.require(Action.KUBE_STAGE)
    if stage is not None and stage not in STAGES[1:]:
        raise ValidationError(_("Choose tumbuh, berkembang or maju."))
    reason = check_text(reason, _("Reason"), required=True)
    with session.book.transaction():
        conn = _conn(session)
        before = conn.execute("SELECT stage_override FROM kube WHERE id = ?",
                              (_kube(session, kube_id)[0],)).fetchone()[0]
        conn.execute("UPDATE kube SET stage_override = ?, stage_override_reason = ?, "
                     "stage_override_by = ? WHERE id = ?",
                     (stage, reason if stage else None, session.user_id if stage else None,
                      kube_id))
        append(conn, session.actor, "kube.stage_override", "kube", kube_id,
               before={"stage_override": before},
               after={"stage_override": stage, "reason": reason})


# ----------------------------------------------------------------------------- meetings
@dataclass
class MeetingInput:
    kube_id: int
    held_on: dt.date | str
    present: Sequence[int]  # member ids present; the other current members are absent
    problems: str = ""
    solutions: str = ""
    decisions: str = ""
    problems_raised: int = 0
    problems_solved: int = 0


def record_meeting(session: Session, data: MeetingInput) -> int:
    session.require(Action.KUBE_MEETING)
    day = _date(session, data.held_on, _("Meeting date"))
    raised, solved = data.problems_raised, data.problems_solved
    for value in (raised, solved):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
            raise ValidationError(_("Problems are counted in whole numbers, 0 or more."))
    if solved > raised:
        raise ValidationError(_("More problems solved than raised."))
    texts = {key: check_text(getattr(data, key), label, limit=2000) for key, label in (
        ("problems", _("Problems")), ("solutions", _("Solutions")),
        ("decisions", _("Decisions")))}
    with session.book.transaction():
        conn = _conn(session)
        kube_id, code, _name, formed, _status, _desa = _kube(session, data.kube_id)
        if day.isoformat() < formed:
            raise ValidationError(_("{date} is before the Kube was formed.").format(
                date=format_date_id(day)))
        members = {m[0] for m in current_members(session, kube_id, day)}
        strangers = set(data.present) - members
        if strangers:
            raise ValidationError(_("Only members of the Kube on {date} can attend.").format(
                date=format_date_id(day)))
        cursor = conn.execute(
            "INSERT INTO kube_meeting (kube_id, held_on, problems, solutions, decisions, "
            "problems_raised, problems_solved) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kube_id, day.isoformat(), texts["problems"], texts["solutions"],
             texts["decisions"], raised, solved))
        meeting_id = int(cursor.lastrowid)
        conn.executemany(
            "INSERT INTO kube_attendance (meeting_id, member_id, present) VALUES (?, ?, ?)",
            [(meeting_id, member, int(member in set(data.present))) for member in members])
        append(conn, session.actor, "kube.meeting", "kube_meeting", meeting_id,
               after={"kube": code, "held_on": day.isoformat(), "present": len(data.present),
                      "members": len(members), "problems_raised": raised,
                      "problems_solved": solved})
        return meeting_id


@dataclass(frozen=True)
class SheetRow:
    """One member's line of a meeting's collection sheet (whole rupiah, 0 = nothing)."""

    member_id: int
    wajib: int = 0
    sukarela: int = 0
    iks: int = 0
    angsuran: int = 0  # financing instalment: the Kube's group financing, else the member's

    @property
    def total(self) -> int:
        return self.wajib + self.sukarela + self.iks + self.angsuran


def post_collection_sheet(session: Session, meeting_id: int, rows: Sequence[SheetRow], *,
                          request_id: str | None = None) -> PostedJournal:
    """Post a meeting's collection sheet as one journal through the drawer.

    Every line is checked first; one wrong line refuses the whole sheet and names the line.
    """
    session.require(Action.CASH_TRANSACTION)
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return done
        conn = _conn(session)
        meeting = conn.execute("SELECT kube_id, held_on, journal_id FROM kube_meeting "
                               "WHERE id = ?", (meeting_id,)).fetchone()
        if meeting is None:
            raise ValidationError(_("Meeting {id} does not exist.").format(id=meeting_id))
        kube_id, held_on, posted = meeting
        if posted is not None:
            raise ValidationError(_("This meeting's collection sheet is already posted."))
        members = {m[0]: m[2] for m in current_members(session, kube_id,
                                                        dt.date.fromisoformat(held_on))}
        lines: list[LineSpec] = []
        total = 0
        seen: set[int] = set()
        instalments = financing_payments.SheetInstalments(session, kube_id,
                                                          dt.date.fromisoformat(held_on))
        for number, row in enumerate(rows, start=1):
            label = members.get(row.member_id) or _label(session, row.member_id)
            try:
                lines.extend(_sheet_lines(session, kube_id, row, members, seen))
                if row.angsuran:
                    lines.extend(instalments.pay(row.member_id, row.angsuran))
            except ValidationError as error:
                raise ValidationError(_("Line {line} ({name}): {problem}").format(
                    line=number, name=label, problem=error.message)) from None
            total += row.total
        if not total:
            raise ValidationError(_("The collection sheet has no amounts."))
        (code,) = conn.execute("SELECT code FROM kube WHERE id = ?", (kube_id,)).fetchone()
        posted_journal = post_cash(
            session, _("Collection sheet of {kube}, meeting {date}").format(
                kube=code, date=format_date_id(dt.date.fromisoformat(held_on))),
            [LineSpec(TELLER_CASH, debit=total), *lines], request_id=request_id)
        conn.execute("UPDATE kube_meeting SET journal_id = ? WHERE id = ?",
                     (posted_journal.id, meeting_id))
        instalments.close_settled()
        return posted_journal


def _label(session: Session, member_id: object) -> str:
    row = _conn(session).execute("SELECT name FROM member WHERE id = ?",
                                 (member_id,)).fetchone() if isinstance(member_id, int) else None
    return row[0] if row else str(member_id)


def _sheet_lines(session: Session, kube_id: int, row: SheetRow, members: dict[int, str],
                 seen: set[int]) -> list[LineSpec]:
    if row.member_id not in members:
        raise ValidationError(_("not a member of this Kube on the meeting's date."))
    if row.member_id in seen:
        raise ValidationError(_("the member is on the sheet twice."))
    seen.add(row.member_id)
    for value in (row.wajib, row.sukarela, row.iks, row.angsuran):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AMOUNT:
            raise ValidationError(_("amounts are whole rupiah, 0 or more."))
    lines = []
    accounts = dict(_conn(session).execute(
        "SELECT p.kind, s.id FROM savings_account s JOIN savings_product p "
        "ON p.id = s.product_id WHERE s.member_id = ? AND s.status = 'aktif'",
        (row.member_id,)).fetchall())
    for kind, amount, gl in (("wajib", row.wajib, "302"), ("sukarela", row.sukarela, "201")):
        if not amount:
            continue
        if kind not in accounts:
            raise ValidationError(_("the member has no simpanan {kind} account.").format(kind=kind))
        if kind == "wajib":
            (monthly,) = _conn(session).execute(
                "SELECT fixed_amount FROM savings_product WHERE kind = 'wajib'").fetchone()
            check_whole_months(amount, int(monthly))
        lines.append(LineSpec(gl, credit=amount, memo=SETOR, member_id=row.member_id,
                              savings_account_id=accounts[kind]))
    if row.iks:
        lines.append(LineSpec(IKS_ACCOUNT, credit=row.iks, memo="IKS", member_id=row.member_id,
                              kube_id=kube_id))
    return lines


@dataclass(frozen=True)
class MeetingSaved:
    meeting_id: int | None  # None when a second press found the posting already made
    posted: PostedJournal | None  # None for a meeting without money


def hold_meeting(session: Session, data: MeetingInput, rows: Sequence[SheetRow], *,
                 request_id: str | None = None) -> MeetingSaved:
    """Record a meeting and post its collection sheet as one unit: a refused line writes
    neither; a sheet without amounts records the meeting alone; a second press returns the
    posting already made."""
    session.require(Action.KUBE_MEETING)
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return MeetingSaved(None, done)
        meeting_id = record_meeting(session, data)
        if not any(row.total for row in rows):
            return MeetingSaved(meeting_id, None)
        return MeetingSaved(meeting_id, post_collection_sheet(session, meeting_id, rows,
                                                             request_id=request_id))


def meetings(session: Session, kube_id: int) -> list[tuple]:
    """(id, date, present, members, raised, solved, posted doc number or None), newest first."""
    session.require(Action.LEDGER_VIEW, writes=False)
    return _conn(session).execute(
        "SELECT km.id, km.held_on, (SELECT count(*) FROM kube_attendance a "
        "WHERE a.meeting_id = km.id AND a.present = 1), (SELECT count(*) FROM kube_attendance a "
        "WHERE a.meeting_id = km.id), km.problems_raised, km.problems_solved, j.doc_number "
        "FROM kube_meeting km LEFT JOIN journal j ON j.id = km.journal_id "
        "WHERE km.kube_id = ? ORDER BY km.held_on DESC", (kube_id,)).fetchall()


# ----------------------------------------------------------------------------- visits, aid, PHBK
def record_visit(session: Session, member_id: int, visited_on: object, monthly_income: object,
                 business_status: str, notes: str = "") -> int:
    session.require(Action.KUBE_MEETING)
    day = _date(session, visited_on, _("Visit date"))
    if (isinstance(monthly_income, int) and not isinstance(monthly_income, bool)
            and monthly_income == 0) or (isinstance(monthly_income, str)
                                         and monthly_income.strip() in ("0", "Rp0")):
        income = 0  # a business that earns nothing this month is a fact to record
    else:
        income = parse_amount(monthly_income, field=_("Monthly income"))
    if business_status not in BUSINESS_STATUSES:
        raise ValidationError(_("The business status is belum, berjalan, berkembang or "
                                "berhenti."))
    notes = check_text(notes, _("Notes"), limit=2000)
    with session.book.transaction():
        _member_name(session, member_id)
        cursor = _conn(session).execute(
            "INSERT INTO monitoring_visit (member_id, visited_on, monthly_income, "
            "business_status, notes, visited_by) VALUES (?, ?, ?, ?, ?, ?)",
            (member_id, day.isoformat(), income, business_status, notes, session.user_id))
        append(_conn(session), session.actor, "kube.visit", "monitoring_visit",
               cursor.lastrowid, after={"member_id": member_id, "visited_on": day.isoformat(),
                                        "monthly_income": income, "status": business_status})
        return int(cursor.lastrowid)


def training_missing(session: Session, kube_id: int, on: dt.date | None = None) -> list[str]:
    """Training the Kube's members on ``on`` (today by default) have not completed by then:
    the topics of the setting ``aid_required_training``, one line per member and topic."""
    from bmt_desktop.services.training import missing_training, parse_requirement

    required = parse_requirement(get_setting(session.book, "aid_required_training"),
                                 book=session.book)
    members = [member[0] for member in current_members(session, kube_id, on)]
    return missing_training(session, members, required, on=on)


def record_aid(session: Session, kube_id: int, kind: str, item: str, value: object,
               source: str, received_on: object, condition: str = "", outcome: str = "") -> int:
    session.require(Action.KUBE_AID)
    if kind not in ("barang", "uang"):
        raise ValidationError(_("Aid is barang (goods) or uang (cash)."))
    amount = parse_amount(value, field=_("Value"))
    day = _date(session, received_on, _("Date received"))
    texts = [check_text(item, _("Item"), required=True, limit=200),
             check_text(source, _("Source"), required=True, limit=200),
             check_text(condition, _("Condition"), limit=200),
             check_text(outcome, _("What became of it"), limit=2000)]
    with session.book.transaction():
        _kube(session, kube_id)
        missing = training_missing(session, kube_id, day)
        if missing:
            raise ValidationError(_("Aid waits for training: {what}.").format(
                what="; ".join(missing)))
        cursor = _conn(session).execute(
            "INSERT INTO stimulant_aid (kube_id, kind, item, value, source, received_on, "
            "condition, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (kube_id, kind, texts[0], amount, texts[1], day.isoformat(), texts[2], texts[3]))
        append(_conn(session), session.actor, "kube.aid", "stimulant_aid", cursor.lastrowid,
               after={"kube_id": kube_id, "kind": kind, "item": texts[0], "value": amount,
                      "source": texts[1]})
        return int(cursor.lastrowid)


def phbk_eligibility(session: Session, kube_id: int) -> list[str]:
    """What keeps a Kube from a bank linkage (empty = eligible): years, repayment, stage."""
    session.require(Action.LEDGER_VIEW, writes=False)
    _kid, _code, _name, formed, _status, _desa = _kube(session, kube_id)
    missing = []
    years = int(get_setting(session.book, "phbk_min_years"))
    formed_day = dt.date.fromisoformat(formed)
    try:
        anniversary = formed_day.replace(year=formed_day.year + years)
    except ValueError:  # formed on 29 February
        anniversary = dt.date(formed_day.year + years, 3, 1)
    if session.today < anniversary:
        missing.append(_("active for at least {n} years").format(n=years))
    behind = [name for member_id, _number, name in current_members(session, kube_id)
              if wajib_status(session, member_id).arrears_months > 3]
    if behind:
        missing.append(_("dues paid regularly (behind: {names})").format(
            names=", ".join(behind[:5])))
    wanted = get_setting(session.book, "phbk_min_stage")
    stage = kube_stage(session, kube_id).stage
    if STAGES.index(stage) < STAGES.index(wanted):
        missing.append(_("stage at least {stage}").format(stage=wanted))
    return missing


def link_bank(session: Session, kube_id: int, model: str, bank: str, linked_on: object,
              amount: object, status: str = "usulan") -> int:
    session.require(Action.KUBE_AID)
    if model not in LINK_MODELS:
        raise ValidationError(_("The PHBK model is langsung, perantara or tanggung_renteng."))
    if status not in LINK_STATUSES:
        raise ValidationError(_("Unknown PHBK status {status}.").format(status=status))
    value = parse_amount(amount)
    day = _date(session, linked_on, _("Date"))
    bank = check_text(bank, _("Bank"), required=True, limit=100, single_line=True)
    _kube(session, kube_id)
    if status in ("usulan", "berjalan"):
        missing = phbk_eligibility(session, kube_id)
        if missing:
            raise ValidationError(_("The Kube is not yet eligible for PHBK: {what}.").format(
                what="; ".join(missing)))
    with session.book.transaction():
        cursor = _conn(session).execute(
            "INSERT INTO bank_linkage (kube_id, model, bank, linked_on, amount, status) "
            "VALUES (?, ?, ?, ?, ?, ?)", (kube_id, model, bank, day.isoformat(), value, status))
        append(_conn(session), session.actor, "kube.phbk", "bank_linkage", cursor.lastrowid,
               after={"kube_id": kube_id, "model": model, "bank": bank, "amount": value,
                      "status": status})
        return int(cursor.lastrowid)


# ----------------------------------------------------------------------------- stage, indicators
def kube_facts(session: Session, kube_id: int) -> KubeFacts:
    conn = _conn(session)
    today = session.today
    half_year = (today - dt.timedelta(days=183)).isoformat()
    year_ago = (today - dt.timedelta(days=365)).isoformat()
    pendamping, = conn.execute("SELECT pendamping FROM kube WHERE id = ?", (kube_id,)).fetchone()
    roles = {r for (r,) in conn.execute(
        "SELECT role FROM kube_officer WHERE kube_id = ? AND term_end IS NULL", (kube_id,))}
    aid, = conn.execute("SELECT count(*) FROM stimulant_aid WHERE kube_id = ?",
                        (kube_id,)).fetchone()
    total, recent, raised, solved = conn.execute(
        "SELECT count(*), count(CASE WHEN held_on >= ? THEN 1 END), "
        "coalesce(sum(problems_raised), 0), coalesce(sum(problems_solved), 0) "
        "FROM kube_meeting WHERE kube_id = ?", (half_year, kube_id)).fetchone()
    present, slots = conn.execute(
        "SELECT coalesce(sum(a.present), 0), count(*) FROM kube_attendance a JOIN kube_meeting m "
        "ON m.id = a.meeting_id WHERE m.kube_id = ? AND m.held_on >= ?",
        (kube_id, half_year)).fetchone()
    iks_paid, = conn.execute(
        "SELECT coalesce(sum(l.credit), 0) FROM journal_line l JOIN journal j "
        "ON j.id = l.journal_id JOIN account a ON a.id = l.account_id "
        "WHERE l.kube_id = ? AND a.code = ? AND j.date >= ?",
        (kube_id, IKS_ACCOUNT, year_ago)).fetchone()
    iks_used, = conn.execute(
        "SELECT coalesce(sum(l.debit), 0) FROM journal_line l JOIN account a "
        "ON a.id = l.account_id WHERE l.kube_id = ? AND a.code = ?",
        (kube_id, IKS_ACCOUNT)).fetchone()
    members = [m[0] for m in current_members(session, kube_id)]
    growth = 0
    if members:
        marks = ",".join("?" for _m in members)
        growth, = conn.execute(
            f"SELECT coalesce(sum(l.credit - l.debit), 0) FROM journal_line l "
            f"JOIN journal j ON j.id = l.journal_id WHERE l.member_id IN ({marks}) "
            f"AND l.savings_account_id IS NOT NULL AND j.date >= ?",
            (*members, year_ago)).fetchone()
    linked = conn.execute("SELECT 1 FROM bank_linkage WHERE kube_id = ? AND status IN "
                          "('berjalan', 'lunas')", (kube_id,)).fetchone() is not None
    return KubeFacts(
        has_pendamping=bool(pendamping.strip()), has_ketua="ketua" in roles,
        has_bendahara="bendahara" in roles, aid_received=aid > 0, meetings_total=total,
        meetings_last_6_months=recent, attendance_pct=100 * present // slots if slots else 0,
        iks_paid=int(iks_paid), iks_used=int(iks_used), savings_growth=int(growth),
        problems_raised=raised, problems_solved=solved, bank_linked=linked)


@dataclass(frozen=True)
class KubeStage:
    stage: str  # what is in force: the override if any, else the computed stage
    computed: StageResult
    override_reason: str | None


def kube_stage(session: Session, kube_id: int) -> KubeStage:
    session.require(Action.LEDGER_VIEW, writes=False)
    computed = compute_stage(kube_facts(session, kube_id))
    override, reason = _conn(session).execute(
        "SELECT stage_override, stage_override_reason FROM kube WHERE id = ?",
        (kube_id,)).fetchone()
    return KubeStage(override or computed.stage, computed, reason if override else None)


@dataclass(frozen=True)
class Indicators:
    """The seed study's success indicators as the books can show them."""

    members: int
    trained: int | None  # knowledge and skills: members who completed the required training
    problems_raised: int
    problems_solved: int
    income_baseline: int  # average monthly household income at entry
    income_latest: int  # average of each member's latest monitoring visit (baseline if none)
    savings_total: int
    iks_balance: int
    bank_linkage: str | None


def _trained(session: Session, members: list[int]) -> int:
    """Members who completed the training the office requires before aid (the knowledge and
    skills indicator); the skills topic when no requirement is set."""
    from bmt_desktop.services import training

    codes = training.parse_requirement(get_setting(session.book, "aid_required_training"),
                                       book=session.book) or ["USAHA"]
    return sum(1 for member in members
               if not training.missing_training(session, [member], codes))


def indicators(session: Session, kube_id: int) -> Indicators:
    session.require(Action.LEDGER_VIEW, writes=False)
    conn = _conn(session)
    members = [m[0] for m in current_members(session, kube_id)]
    facts = kube_facts(session, kube_id)
    baseline = latest = savings = 0
    if members:
        marks = ",".join("?" for _m in members)
        baseline, latest = conn.execute(
            f"SELECT coalesce(avg(m.monthly_income), 0), coalesce(avg(coalesce(("
            f"SELECT v.monthly_income FROM monitoring_visit v WHERE v.member_id = m.id "
            f"ORDER BY v.visited_on DESC, v.id DESC LIMIT 1), m.monthly_income)), 0) "
            f"FROM member m WHERE m.id IN ({marks})", members).fetchone()
        savings, = conn.execute(
            f"SELECT coalesce(sum(balance), 0) FROM savings_account WHERE member_id IN ({marks})",
            members).fetchone()
    iks, = conn.execute(
        "SELECT coalesce(sum(l.credit - l.debit), 0) FROM journal_line l JOIN account a "
        "ON a.id = l.account_id WHERE l.kube_id = ? AND a.code = ?",
        (kube_id, IKS_ACCOUNT)).fetchone()
    link = conn.execute("SELECT bank || ' (' || status || ')' FROM bank_linkage "
                        "WHERE kube_id = ? ORDER BY linked_on DESC LIMIT 1",
                        (kube_id,)).fetchone()
    return Indicators(len(members), _trained(session, members), facts.problems_raised,
                      facts.problems_solved,
                      int(baseline), int(latest), int(savings), int(iks),
                      link[0] if link else None)


def income_series(session: Session, kube_id: int) -> list[tuple[str, int]]:
    """Average monthly income of the Kube's members by month of the visits, for the chart;
    the first point is the baseline at entry."""
    session.require(Action.LEDGER_VIEW, writes=False)
    members = [m[0] for m in current_members(session, kube_id)]
    if not members:
        return []
    marks = ",".join("?" for _m in members)
    conn = _conn(session)
    baseline, = conn.execute(f"SELECT coalesce(avg(monthly_income), 0) FROM member "
                             f"WHERE id IN ({marks})", members).fetchone()
    joined, = conn.execute("SELECT formed_on FROM kube WHERE id = ?", (kube_id,)).fetchone()
    series = [(joined[:7], int(baseline))]
    series += [(month, int(avg)) for month, avg in conn.execute(
        f"SELECT substr(visited_on, 1, 7), avg(monthly_income) FROM monitoring_visit "
        f"WHERE member_id IN ({marks}) GROUP BY 1 ORDER BY 1", members)]
    return series


# ----------------------------------------------------------------------------- group funds
GROUP_FUNDS = {"iks": IKS_ACCOUNT, "tabungan": GROUP_SAVINGS_ACCOUNT}


def group_fund_balance(session: Session, kube_id: int, fund: str) -> int:
    session.require(Action.LEDGER_VIEW, writes=False)
    account = _group_account(fund)
    (balance,) = _conn(session).execute(
        "SELECT coalesce(sum(l.credit - l.debit), 0) FROM journal_line l JOIN account a "
        "ON a.id = l.account_id WHERE l.kube_id = ? AND a.code = ?", (kube_id, account)
    ).fetchone()
    return int(balance)


def _group_account(fund: str) -> str:
    if fund not in GROUP_FUNDS:
        raise ValidationError(_("A group fund is iks or tabungan."))
    return GROUP_FUNDS[fund]


def group_fund_deposit(session: Session, kube_id: int, fund: str, amount: object, payer: str,
                       *, request_id: str | None = None) -> PostedJournal:
    """Cash into a Kube's IKS or group savings outside a meeting, with its own receipt."""
    session.require(Action.CASH_TRANSACTION)
    account = _group_account(fund)
    value = parse_amount(amount)
    payer = check_text(payer, _("Payer"), required=True, limit=100, single_line=True)
    with session.book.transaction():
        code = _kube(session, kube_id)[1]
        return post_cash(session, _("{fund} of {kube} from {payer}").format(
            fund=fund.upper() if fund == "iks" else _("Group savings"), kube=code, payer=payer),
            [LineSpec(TELLER_CASH, debit=value),
             LineSpec(account, credit=value, memo=fund.upper(), kube_id=kube_id)],
            request_id=request_id)


def group_fund_payout(session: Session, kube_id: int, fund: str, amount: object, purpose: str,
                      *, request_id: str | None = None) -> PostedJournal:
    """Cash out of a group fund (IKS for a poor family, group savings for the group's need);
    never more than the fund holds."""
    session.require(Action.CASH_TRANSACTION)
    account = _group_account(fund)
    value = parse_amount(amount)
    purpose = check_text(purpose, _("Purpose"), required=True, limit=200, single_line=True)
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return done
        code = _kube(session, kube_id)[1]
        holds = group_fund_balance(session, kube_id, fund)
        if value > holds:
            raise ValidationError(_("The fund holds only {amount}.").format(
                amount=format_rupiah(holds)))
        return post_cash(session, _("{fund} of {kube}: {purpose}").format(
            fund=fund.upper() if fund == "iks" else _("Group savings"), kube=code,
            purpose=purpose),
            [LineSpec(account, debit=value, memo=fund.upper(), kube_id=kube_id),
             LineSpec(TELLER_CASH, credit=value)], request_id=request_id)


def update_aid_outcome(session: Session, aid_id: int, condition: str, outcome: str) -> None:
    """Record what became of stimulant aid (condition, use); before and after are audited."""
    session.require(Action.KUBE_AID)
    condition = check_text(condition, _("Condition"), limit=200)
    outcome = check_text(outcome, _("What became of it"), limit=2000)
    with session.book.transaction():
        conn = _conn(session)
        row = conn.execute("SELECT condition, outcome FROM stimulant_aid WHERE id = ?",
                           (aid_id,)).fetchone()
        if row is None:
            raise ValidationError(_("Aid {id} does not exist.").format(id=aid_id))
        conn.execute("UPDATE stimulant_aid SET condition = ?, outcome = ? WHERE id = ?",
                     (condition, outcome, aid_id))
        append(conn, session.actor, "kube.aid_update", "stimulant_aid", aid_id,
               before={"condition": row[0], "outcome": row[1]},
               after={"condition": condition, "outcome": outcome})


def update_link_status(session: Session, link_id: int, status: str) -> None:
    session.require(Action.KUBE_AID)
    if status not in LINK_STATUSES:
        raise ValidationError(_("Unknown PHBK status {status}.").format(status=status))
    with session.book.transaction():
        conn = _conn(session)
        row = conn.execute("SELECT status FROM bank_linkage WHERE id = ?", (link_id,)).fetchone()
        if row is None:
            raise ValidationError(_("Bank linkage {id} does not exist.").format(id=link_id))
        conn.execute("UPDATE bank_linkage SET status = ? WHERE id = ?", (status, link_id))
        append(conn, session.actor, "kube.phbk_status", "bank_linkage", link_id,
               before={"status": row[0]}, after={"status": status})


# ----------------------------------------------------------------------------- lists for the screen
@dataclass(frozen=True)
class AidRow:
    id: int
    kind: str  # barang or uang
    item: str
    value: int
    source: str
    received_on: str
    condition: str
    outcome: str


def aid_list(session: Session, kube_id: int) -> list[AidRow]:
    """The stimulant aid a Kube received, newest first."""
    session.require(Action.LEDGER_VIEW, writes=False)
    rows = _conn(session).execute(
        "SELECT id, kind, item, value, source, received_on, condition, outcome "
        "FROM stimulant_aid WHERE kube_id = ? ORDER BY received_on DESC, id DESC",
        (kube_id,)).fetchall()
    return [AidRow(*row) for row in rows]


@dataclass(frozen=True)
class LinkRow:
    id: int
    model: str
    bank: str
    linked_on: str
    amount: int
    status: str


def links_list(session: Session, kube_id: int) -> list[LinkRow]:
    """A Kube's bank linkages (PHBK), newest first."""
    session.require(Action.LEDGER_VIEW, writes=False)
    rows = _conn(session).execute(
        "SELECT id, model, bank, linked_on, amount, status FROM bank_linkage "
        "WHERE kube_id = ? ORDER BY linked_on DESC, id DESC", (kube_id,)).fetchall()
    return [LinkRow(*row) for row in rows]


@dataclass(frozen=True)
class VisitRow:
    id: int
    member_name: str
    member_number: str
    visited_on: str
    monthly_income: int
    business_status: str
    notes: str


def visits_list(session: Session, kube_id: int) -> list[VisitRow]:
    """The monitoring visits of the Kube's members made while they were in it, newest first."""
    session.require(Action.LEDGER_VIEW, writes=False)
    rows = _conn(session).execute(
        "SELECT v.id, m.name, m.number, v.visited_on, v.monthly_income, v.business_status, "
        "v.notes FROM monitoring_visit v JOIN member m ON m.id = v.member_id "
        "WHERE EXISTS (SELECT 1 FROM kube_member k WHERE k.kube_id = ? "
        "AND k.member_id = v.member_id AND k.joined_on <= v.visited_on "
        "AND (k.left_on IS NULL OR k.left_on >= v.visited_on)) "
        "ORDER BY v.visited_on DESC, v.id DESC", (kube_id,)).fetchall()
    return [VisitRow(*row) for row in rows]
