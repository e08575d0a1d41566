"""Training (pelatihan, domain.md §5): the curriculum, sessions of one to fifteen days with
their participants (members, Kube officers, BMT staff), attendance per day and optional
pre- and post-test scores, the completion rule, and the gating that stimulant aid and
financing call (``missing_training``, ``parse_requirement``).

A participant completes a session when the days present reach the session's threshold
(``completion_pct`` of its days, copied from the setting ``training_completion_pct`` when
the session was created). Completion is computed, never stored. The reports, a member's
record and the certificate are in ``training_reports``.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bmt_desktop.domain.dates import EARLIEST_DATE, format_date_id, parse_date
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import check_text
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services.book_settings import get_setting
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append
from bmt_desktop.store.book import Book
from bmt_desktop.store.models import database

KINDS = ("sosial", "keterampilan", "manajemen")
ROLES = ("anggota", "pengurus", "staf")
MAX_DAYS = 15
MAX_CAPACITY = 500
PLAN_AHEAD_DAYS = 366  # a session may be planned up to a year ahead
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
_CHUNK = 500  # ids per IN (...) list
SEPARATOR = "\x1f"  # between topic names read in one go (char(31) in SQL)

# A participant (p) of a session (s) completed it: days present against the threshold.
COMPLETED_SQL = (
    "((SELECT count(*) FROM training_attendance a WHERE a.participant_id = p.id "
    "AND a.present = 1) * 100 >= s.completion_pct * "
    "(julianday(s.end_date) - julianday(s.start_date) + 1))"
)
PRESENT_SQL = ("(SELECT count(*) FROM training_attendance a WHERE a.participant_id = p.id "
               "AND a.present = 1)")


def kind_label(kind: str) -> str:
    return {"sosial": _("social guidance"), "keterampilan": _("skills training"),
            "manajemen": _("management training")}.get(kind, kind)


def role_label(role: str) -> str:
    return {"anggota": _("member"), "pengurus": _("Kube officer"),
            "staf": _("BMT staff")}.get(role, role)


def is_complete(present_days: int, days: int, completion_pct: int) -> bool:
    """The completion rule: days present are at least ``completion_pct`` % of the days."""
    return days > 0 and present_days * 100 >= completion_pct * days


def attendance_pct(present_days: int, days: int) -> int:
    """Whole per cent, rounded down (80 % means at least 80 %)."""
    return 100 * present_days // days if days else 0


def _conn(session: Session) -> sqlite3.Connection:
    return session.book.raw()


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" for _v in values)


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


# ----------------------------------------------------------------------------- curriculum
@dataclass(frozen=True)
class TopicRow:
    id: int
    code: str
    name: str
    kind: str
    description: str
    active: bool
    position: int


def list_topics(session: Session, *, active_only: bool = False) -> list[TopicRow]:
    """The curriculum in its order (kinds as the seed gives them, then by position)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    rows = _conn(session).execute(
        "SELECT id, code, name, kind, description, active, position FROM training_topic "
        + ("WHERE active = 1 " if active_only else "") + "ORDER BY position, id").fetchall()
    return [TopicRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]


def _topic_fields(name: str, kind: str, description: str) -> tuple[str, str, str]:
    name = check_text(name, _("Topic"), required=True, limit=150, single_line=True)
    if kind not in KINDS:
        raise ValidationError(_("The kind of training is sosial, keterampilan or manajemen."))
    return name, kind, check_text(description, _("Description"), limit=500)


def add_topic(session: Session, code: str, name: str, kind: str, description: str = "") -> int:
    """A new topic at the end of the curriculum; the code names it in settings (e.g. USAHA)."""
    session.require(Action.TRAINING_CURRICULUM)
    code = check_text(code, _("Code"), required=True, limit=20, single_line=True).upper()
    if not CODE.match(code):
        raise ValidationError(_("A topic code is 2 to 20 capital letters, digits or hyphens, "
                                "e.g. USAHA or PRINSIP-KUBE."))
    name, kind, description = _topic_fields(name, kind, description)
    with session.book.transaction():
        conn = _conn(session)
        if conn.execute("SELECT 1 FROM training_topic WHERE code = ?", (code,)).fetchone():
            raise ValidationError(_("The curriculum already has a topic {code}.").format(
                code=code))
        (position,) = conn.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM training_topic").fetchone()
        cursor = conn.execute(
            "INSERT INTO training_topic (code, name, kind, description, position) "
            "VALUES (?, ?, ?, ?, ?)", (code, name, kind, description, position))
        append(conn, session.actor, "training.topic_add", "training_topic", cursor.lastrowid,
               after={"code": code, "name": name, "kind": kind, "description": description})
        return int(cursor.lastrowid)


def _topic(conn: sqlite3.Connection, topic_id: int) -> tuple:
    row = conn.execute("SELECT code, name, kind, description, active FROM training_topic "
                       "WHERE id = ?", (topic_id,)).fetchone()
    if row is None:
        raise ValidationError(_("Topic {id} does not exist.").format(id=topic_id))
    return row


def edit_topic(session: Session, topic_id: int, name: str, kind: str,
               description: str = "") -> None:
    """Name, kind and description change; the code stays (settings and records use it)."""
    session.require(Action.TRAINING_CURRICULUM)
    name, kind, description = _topic_fields(name, kind, description)
    with session.book.transaction():
        conn = _conn(session)
        code, old_name, old_kind, old_description, _active = _topic(conn, topic_id)
        conn.execute("UPDATE training_topic SET name = ?, kind = ?, description = ? "
                     "WHERE id = ?", (name, kind, description, topic_id))
        append(conn, session.actor, "training.topic_edit", "training_topic", topic_id,
               before={"code": code, "name": old_name, "kind": old_kind,
                       "description": old_description},
               after={"code": code, "name": name, "kind": kind, "description": description})


def set_topic_active(session: Session, topic_id: int, active: bool) -> None:
    """An inactive topic is offered for no new session; past sessions keep it."""
    session.require(Action.TRAINING_CURRICULUM)
    with session.book.transaction():
        conn = _conn(session)
        code, *_rest, was = _topic(conn, topic_id)
        if bool(was) == bool(active):
            return
        if not active:
            for key in _requirement_settings():
                if code in parse_requirement(get_setting(session.book, key), book=session.book):
                    raise ValidationError(_(
                        "{code} is required by the setting {key}; change the setting first."
                    ).format(code=code, key=key))
        conn.execute("UPDATE training_topic SET active = ? WHERE id = ?",
                     (int(bool(active)), topic_id))
        append(conn, session.actor, "training.topic_active", "training_topic", topic_id,
               before={"code": code, "active": bool(was)},
               after={"code": code, "active": bool(active)})


def _requirement_settings() -> tuple[str, ...]:
    from bmt_desktop.services.book_settings import TRAINING_REQUIREMENT_KEYS

    return TRAINING_REQUIREMENT_KEYS


# ----------------------------------------------------------------------------- gating
def parse_requirement(text: str, *, book: Book | None = None) -> list[str]:
    """Topic codes from ``"USAHA, prinsip-kube"``: upper-cased, in order, each once; empty
    text requires nothing. Every code must be in the curriculum of ``book`` (by default the
    book in use); an unknown code is refused with the codes there are."""
    if not isinstance(text, str):
        raise ValidationError(_("The required training is a list of topic codes."))
    codes: list[str] = []
    for part in text.replace(";", ",").split(","):
        code = part.strip().upper()
        if code and code not in codes:
            codes.append(code)
    if not codes:
        return []
    conn = book.use().raw() if book is not None else database.connection()
    known = [code for (code,) in conn.execute(
        "SELECT code FROM training_topic ORDER BY position, id")]
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(_("Unknown training topic {codes}; the curriculum has: "
                                "{known}.").format(codes=", ".join(unknown)[:100],
                                                   known=", ".join(known)))
    return codes


def missing_training(session: Session, member_ids: Sequence[int], required: Sequence[str],
                     *, on: dt.date | None = None) -> list[str]:
    """One line per member and required topic not yet completed, e.g.
    ``"Siti Aminah: Prinsip Kube"``; empty when every member completed every topic.

    ``required`` are topic codes (see ``parse_requirement``). A topic counts when the member
    completed (not merely attended) a session that is not cancelled, has the topic and
    ended on or before ``on`` (today by default). Members keep the order given.
    """
    session.require(Action.LEDGER_VIEW, writes=False)
    text = required if isinstance(required, str) else ",".join(required)
    codes = parse_requirement(text, book=session.book)
    members = list(dict.fromkeys(member_ids))
    if not codes or not members:
        return []
    conn = _conn(session)
    topics = [conn.execute("SELECT id, name FROM training_topic WHERE code = ?",
                           (code,)).fetchone() for code in codes]
    topic_ids = [topic_id for topic_id, _name in topics]
    day = (on or session.today).isoformat()
    names: dict[int, str] = {}
    done: set[tuple[int, int]] = set()
    for chunk in _chunks(members):
        names.update(conn.execute(f"SELECT id, name FROM member WHERE id IN ({_marks(chunk)})",
                                  tuple(chunk)).fetchall())
        done.update(conn.execute(
            f"SELECT DISTINCT p.member_id, st.topic_id FROM training_participant p "
            f"JOIN training_session s ON s.id = p.session_id "
            f"JOIN training_session_topic st ON st.session_id = s.id "
            f"WHERE p.member_id IN ({_marks(chunk)}) AND st.topic_id IN ({_marks(topic_ids)}) "
            f"AND s.status = 'aktif' AND s.end_date <= ? AND {COMPLETED_SQL}",
            (*chunk, *topic_ids, day)).fetchall())
    unknown = [m for m in members if m not in names]
    if unknown:
        raise ValidationError(_("Member {id} does not exist.").format(id=unknown[0]))
    return [f"{names[member]}: {name}" for member in members for topic_id, name in topics
            if (member, topic_id) not in done]


# ----------------------------------------------------------------------------- sessions
@dataclass
class SessionInput:
    title: str
    kind: str
    start_date: dt.date | str
    end_date: dt.date | str
    venue: str = ""
    trainer: str = ""
    institution: str = ""
    capacity: int = 30
    topics: Sequence[str] = ()  # topic codes
    notes: str = ""


@dataclass(frozen=True)
class SessionRow:
    id: int
    title: str
    kind: str
    start_date: str
    end_date: str
    venue: str
    trainer: str
    institution: str
    capacity: int
    completion_pct: int
    status: str  # aktif or batal
    participants: int
    completed: int
    present_slots: int  # participant-days present so far
    held_slots: int  # participant-days held so far (up to today)
    topics: tuple[str, ...]  # topic names

    @property
    def days(self) -> int:
        return (dt.date.fromisoformat(self.end_date)
                - dt.date.fromisoformat(self.start_date)).days + 1

    @property
    def attendance_pct(self) -> int | None:
        return attendance_pct(self.present_slots, self.held_slots) if self.held_slots else None

    def state(self, today: dt.date) -> str:
        """batal, dijadwalkan (not begun), berlangsung (running) or selesai (over)."""
        if self.status == "batal":
            return "batal"
        if today.isoformat() < self.start_date:
            return "dijadwalkan"
        return "berlangsung" if today.isoformat() <= self.end_date else "selesai"


def state_label(state: str) -> str:
    return {"batal": _("cancelled"), "dijadwalkan": _("scheduled"),
            "berlangsung": _("running"), "selesai": _("held")}.get(state, state)


def _clean_session(session: Session, data: SessionInput) -> dict[str, object]:
    title = check_text(data.title, _("Title"), required=True, limit=150, single_line=True)
    if data.kind not in KINDS:
        raise ValidationError(_("The kind of training is sosial, keterampilan or manajemen."))
    start = parse_date(data.start_date, field=_("First day"))
    end = parse_date(data.end_date, field=_("Last day"))
    if start < EARLIEST_DATE:
        raise ValidationError(_("The date {date} is too early.").format(
            date=format_date_id(start)))
    if start > session.today + dt.timedelta(days=PLAN_AHEAD_DAYS):
        raise ValidationError(_("A session is planned at most a year ahead."))
    if end < start:
        raise ValidationError(_("The last day is before the first day."))
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError(_("A session lasts one to {n} days; this one would last "
                                "{days}.").format(n=MAX_DAYS, days=(end - start).days + 1))
    capacity = data.capacity
    if isinstance(capacity, bool) or not isinstance(capacity, int) \
            or not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationError(_("The capacity is a whole number from 1 to {n}.").format(
            n=MAX_CAPACITY))
    codes = list(dict.fromkeys(str(code).strip().upper() for code in data.topics))
    if not codes:
        raise ValidationError(_("Choose at least one topic of the curriculum."))
    return {
        "title": title, "kind": data.kind, "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "venue": check_text(data.venue, _("Venue"), limit=150, single_line=True),
        "trainer": check_text(data.trainer, _("Trainer"), limit=150, single_line=True),
        "institution": check_text(data.institution, _("Institution"), limit=150,
                                  single_line=True),
        "capacity": capacity, "notes": check_text(data.notes, _("Notes"), limit=2000),
        "topics": codes,
    }


def _topic_ids(conn: sqlite3.Connection, codes: Sequence[str], allowed_inactive: set[int]
               ) -> list[int]:
    ids = []
    for code in codes:
        row = conn.execute("SELECT id, active FROM training_topic WHERE code = ?",
                           (code,)).fetchone()
        if row is None:
            raise ValidationError(_("Unknown training topic {codes}; the curriculum has: "
                                    "{known}.").format(codes=code[:30], known=", ".join(
                                        c for (c,) in conn.execute(
                                            "SELECT code FROM training_topic WHERE active = 1 "
                                            "ORDER BY position, id"))))
        if not row[1] and row[0] not in allowed_inactive:
            raise ValidationError(_("The topic {code} is no longer taught.").format(code=code))
        ids.append(int(row[0]))
    return ids


def create_session(session: Session, data: SessionInput) -> int:
    """A new session; its completion threshold is the setting in force today."""
    session.require(Action.TRAINING_RECORD)
    values = _clean_session(session, data)
    codes = values.pop("topics")
    values["completion_pct"] = int(get_setting(session.book, "training_completion_pct"))
    values["created_by"] = session.user_id
    with session.book.transaction():
        conn = _conn(session)
        topic_ids = _topic_ids(conn, codes, set())  # type: ignore[arg-type]
        columns = ", ".join(values)
        cursor = conn.execute(f"INSERT INTO training_session ({columns}) VALUES "
                              f"({_marks(list(values))})", tuple(values.values()))
        session_id = int(cursor.lastrowid)
        conn.executemany("INSERT INTO training_session_topic (session_id, topic_id) "
                         "VALUES (?, ?)", [(session_id, t) for t in topic_ids])
        append(conn, session.actor, "training.session_create", "training_session", session_id,
               after={**values, "topics": codes})
        return session_id


def _session(conn: sqlite3.Connection, session_id: int, *, writable: bool = True) -> tuple:
    """(title, start, end, capacity, status, completion_pct) of a session."""
    row = conn.execute("SELECT title, start_date, end_date, capacity, status, completion_pct "
                       "FROM training_session WHERE id = ?", (session_id,)).fetchone()
    if row is None:
        raise ValidationError(_("Training session {id} does not exist.").format(id=session_id))
    if writable and row[4] == "batal":
        raise ValidationError(_("The session “{title}” is cancelled; nothing can be recorded "
                                "in it.").format(title=row[0]))
    return row


def _session_audit(conn: sqlite3.Connection, session_id: int) -> dict[str, object]:
    row = conn.execute("SELECT title, kind, start_date, end_date, venue, trainer, institution, "
                       "capacity, notes FROM training_session WHERE id = ?",
                       (session_id,)).fetchone()
    keys = ("title", "kind", "start_date", "end_date", "venue", "trainer", "institution",
            "capacity", "notes")
    topics = [code for (code,) in conn.execute(
        "SELECT t.code FROM training_session_topic st JOIN training_topic t "
        "ON t.id = st.topic_id WHERE st.session_id = ? ORDER BY t.position", (session_id,))]
    return {**dict(zip(keys, row, strict=True)), "topics": topics}


def edit_session(session: Session, session_id: int, data: SessionInput) -> None:
    """Change what a session is; refused when attendance lies outside the new dates or more
    people take part than the new capacity. The completion threshold stays."""
    session.require(Action.TRAINING_RECORD)
    values = _clean_session(session, data)
    codes = values.pop("topics")
    with session.book.transaction():
        conn = _conn(session)
        _session(conn, session_id)
        before = _session_audit(conn, session_id)
        (outside,) = conn.execute(
            "SELECT count(*) FROM training_attendance a JOIN training_participant p "
            "ON p.id = a.participant_id WHERE p.session_id = ? AND (a.day < ? OR a.day > ?)",
            (session_id, values["start_date"], values["end_date"])).fetchone()
        if outside:
            raise ValidationError(_("Attendance is recorded on days outside the new dates; "
                                    "the dates stay as they are."))
        (people,) = conn.execute("SELECT count(*) FROM training_participant WHERE "
                                 "session_id = ?", (session_id,)).fetchone()
        if people > int(values["capacity"]):  # type: ignore[call-overload]
            raise ValidationError(_("{n} people already take part; the capacity cannot be "
                                    "lower.").format(n=people))
        kept = {t for (t,) in conn.execute("SELECT topic_id FROM training_session_topic "
                                           "WHERE session_id = ?", (session_id,))}
        topic_ids = _topic_ids(conn, codes, kept)  # type: ignore[arg-type]
        assignments = ", ".join(f"{key} = ?" for key in values)
        conn.execute(f"UPDATE training_session SET {assignments} WHERE id = ?",
                     (*values.values(), session_id))
        conn.execute("DELETE FROM training_session_topic WHERE session_id = ?", (session_id,))
        conn.executemany("INSERT INTO training_session_topic (session_id, topic_id) "
                         "VALUES (?, ?)", [(session_id, t) for t in topic_ids])
        append(conn, session.actor, "training.session_edit", "training_session", session_id,
               before=before, after=_session_audit(conn, session_id))


def cancel_session(session: Session, session_id: int, reason: str) -> None:
    """Cancel a session nobody has attended yet (one with attendance is history)."""
    session.require(Action.TRAINING_RECORD)
    reason = check_text(reason, _("Reason"), required=True, limit=500)
    with session.book.transaction():
        conn = _conn(session)
        _session(conn, session_id)
        (present,) = conn.execute(
            "SELECT count(*) FROM training_attendance a JOIN training_participant p "
            "ON p.id = a.participant_id WHERE p.session_id = ? AND a.present = 1",
            (session_id,)).fetchone()
        if present:
            raise ValidationError(_("Participants have attended this session; it cannot be "
                                    "cancelled."))
        conn.execute("UPDATE training_session SET status = 'batal', cancel_reason = ? "
                     "WHERE id = ?", (reason, session_id))
        append(conn, session.actor, "training.session_cancel", "training_session", session_id,
               before={"status": "aktif"}, after={"status": "batal", "reason": reason})


_SESSION_SELECT = (
    "SELECT s.id, s.title, s.kind, s.start_date, s.end_date, s.venue, s.trainer, "
    "s.institution, s.capacity, s.completion_pct, s.status, "
    "(SELECT count(*) FROM training_participant p WHERE p.session_id = s.id), "
    f"(SELECT count(*) FROM training_participant p WHERE p.session_id = s.id "
    f"AND {COMPLETED_SQL}), "
    "(SELECT count(*) FROM training_attendance a JOIN training_participant p "
    "ON p.id = a.participant_id WHERE p.session_id = s.id AND a.present = 1 AND a.day <= ?), "
    "(SELECT count(*) FROM training_participant p WHERE p.session_id = s.id) * max(0, "
    "julianday(min(s.end_date, ?)) - julianday(s.start_date) + 1), "
    "(SELECT group_concat(name, char(31)) FROM (SELECT t.name FROM training_session_topic st "
    "JOIN training_topic t ON t.id = st.topic_id WHERE st.session_id = s.id "
    "ORDER BY t.position)) FROM training_session s "
)


def _session_rows(session: Session, where: str, params: Sequence[object]) -> list[SessionRow]:
    today = session.today.isoformat()
    rows = _conn(session).execute(
        _SESSION_SELECT + where + " ORDER BY s.start_date DESC, s.id DESC",
        (today, today, *params)).fetchall()
    return [SessionRow(*row[:14], int(row[14]),
                       tuple(row[15].split(SEPARATOR)) if row[15] else ()) for row in rows]


def list_sessions(session: Session, *, start: dt.date | None = None,
                  end: dt.date | None = None, kind: str | None = None, text: str = ""
                  ) -> list[SessionRow]:
    """Sessions newest first; with ``start``/``end`` those overlapping the period, with
    ``kind`` of that kind, with ``text`` those whose title, venue, trainer or institution
    contain it."""
    session.require(Action.LEDGER_VIEW, writes=False)
    clauses, params = [], []
    if start is not None:
        clauses.append("s.end_date >= ?")
        params.append(start.isoformat())
    if end is not None:
        clauses.append("s.start_date <= ?")
        params.append(end.isoformat())
    if kind:
        if kind not in KINDS:
            raise ValidationError(_("The kind of training is sosial, keterampilan or "
                                    "manajemen."))
        clauses.append("s.kind = ?")
        params.append(kind)
    needle = check_text(text or "", _("Search text"), limit=100)
    if needle:
        clauses.append("(s.title || ' ' || s.venue || ' ' || s.trainer || ' ' || "
                       "s.institution) LIKE ? ESCAPE '\\'")
        params.append("%" + needle.replace("\\", "\\\\").replace("%", "\\%")
                      .replace("_", "\\_") + "%")
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return _session_rows(session, where, params)


def get_session(session: Session, session_id: int) -> SessionRow:
    session.require(Action.LEDGER_VIEW, writes=False)
    rows = _session_rows(session, "WHERE s.id = ?", (session_id,))
    if not rows:
        raise ValidationError(_("Training session {id} does not exist.").format(id=session_id))
    return rows[0]


# ----------------------------------------------------------------------------- participants
@dataclass(frozen=True)
class ParticipantRow:
    id: int
    role: str
    member_id: int | None
    number: str  # member number, or "" for staff
    name: str
    kube_id: int | None
    kube_name: str
    user_id: int | None
    pre_score: int | None
    post_score: int | None
    present_days: int
    completed: bool


@dataclass(frozen=True)
class SessionDetail:
    """A session with its topics, participants and the attendance register."""

    row: SessionRow
    topics: list[TopicRow]
    participants: list[ParticipantRow]
    days: list[dt.date]
    attendance: dict[tuple[int, str], bool]  # (participant id, ISO day) -> present
    notes: str
    cancel_reason: str | None


def _participants(conn: sqlite3.Connection, session_id: int) -> list[ParticipantRow]:
    rows = conn.execute(
        "SELECT p.id, p.role, p.member_id, coalesce(m.number, ''), "
        "coalesce(m.name, u.full_name, p.name), p.kube_id, coalesce(k.name, ''), p.user_id, "
        f"p.pre_score, p.post_score, {PRESENT_SQL}, {COMPLETED_SQL} "
        "FROM training_participant p JOIN training_session s ON s.id = p.session_id "
        "LEFT JOIN member m ON m.id = p.member_id LEFT JOIN user u ON u.id = p.user_id "
        "LEFT JOIN kube k ON k.id = p.kube_id WHERE p.session_id = ? "
        "ORDER BY CASE p.role WHEN 'staf' THEN 1 ELSE 0 END, k.code, "
        "coalesce(m.name, u.full_name, p.name), p.id", (session_id,)).fetchall()
    return [ParticipantRow(*row[:11], bool(row[11])) for row in rows]


def session_detail(session: Session, session_id: int) -> SessionDetail:
    row = get_session(session, session_id)
    conn = _conn(session)
    topics = [TopicRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in conn.execute(
        "SELECT t.id, t.code, t.name, t.kind, t.description, t.active, t.position "
        "FROM training_session_topic st JOIN training_topic t ON t.id = st.topic_id "
        "WHERE st.session_id = ? ORDER BY t.position, t.id", (session_id,))]
    start = dt.date.fromisoformat(row.start_date)
    days = [start + dt.timedelta(days=n) for n in range(row.days)]
    attendance = {(pid, day): bool(present) for pid, day, present in conn.execute(
        "SELECT a.participant_id, a.day, a.present FROM training_attendance a "
        "JOIN training_participant p ON p.id = a.participant_id WHERE p.session_id = ?",
        (session_id,))}
    notes, reason = conn.execute("SELECT notes, cancel_reason FROM training_session "
                                 "WHERE id = ?", (session_id,)).fetchone()
    return SessionDetail(row, topics, _participants(conn, session_id), days, attendance,
                         notes, reason)


def _room(conn: sqlite3.Connection, session_id: int, title: str, capacity: int,
          adding: int) -> None:
    (count,) = conn.execute("SELECT count(*) FROM training_participant WHERE session_id = ?",
                            (session_id,)).fetchone()
    if count + adding > capacity:
        raise ValidationError(_("“{title}” takes {capacity} participants and has {count}; "
                                "{adding} more do not fit.").format(
            title=title, capacity=capacity, count=count, adding=adding))


def _member(conn: sqlite3.Connection, member_id: object) -> tuple[int, str, str]:
    row = conn.execute("SELECT id, name, status FROM member WHERE id = ?",
                       (member_id,)).fetchone() if isinstance(member_id, int) else None
    if row is None:
        raise ValidationError(_("Member {id} does not exist.").format(id=member_id))
    if row[2] == "keluar":
        raise ValidationError(_("{name} has left the BMT.").format(name=row[1]))
    return row


def _insert_participant(session: Session, conn: sqlite3.Connection, session_id: int,
                        values: dict[str, object]) -> int:
    cursor = conn.execute(
        f"INSERT INTO training_participant (session_id, {', '.join(values)}) "
        f"VALUES (?, {_marks(list(values))})", (session_id, *values.values()))
    append(conn, session.actor, "training.participant_add", "training_participant",
           cursor.lastrowid, after={"session_id": session_id, **values})
    return int(cursor.lastrowid)


def add_participant(session: Session, session_id: int, member_id: int, *,
                    role: str = "anggota", kube_id: int | None = None) -> int:
    """A member (role ``anggota``; the Kube they are in is noted) or a Kube's officer (role
    ``pengurus`` with the Kube they serve). Refused when the session is full."""
    session.require(Action.TRAINING_RECORD)
    if role not in ("anggota", "pengurus"):
        raise ValidationError(_("A member takes part as anggota or pengurus."))
    with session.book.transaction():
        conn = _conn(session)
        title, start, _end, capacity, _status, _pct = _session(conn, session_id)
        member_id, name, _member_status = _member(conn, member_id)
        if conn.execute("SELECT 1 FROM training_participant WHERE session_id = ? AND "
                        "member_id = ?", (session_id, member_id)).fetchone():
            raise ValidationError(_("{name} already takes part in this session.").format(
                name=name))
        if role == "pengurus":
            if kube_id is None or not conn.execute(
                    "SELECT 1 FROM kube_officer WHERE kube_id = ? AND member_id = ? "
                    "AND (term_end IS NULL OR term_end >= ?)",
                    (kube_id, member_id, start)).fetchone():
                raise ValidationError(_("{name} is not an officer of that Kube.").format(
                    name=name))
        elif kube_id is None:
            found = conn.execute("SELECT kube_id FROM kube_member WHERE member_id = ? "
                                 "AND left_on IS NULL", (member_id,)).fetchone()
            kube_id = found[0] if found else None
        elif not conn.execute("SELECT 1 FROM kube_member WHERE kube_id = ? AND member_id = ?",
                              (kube_id, member_id)).fetchone():
            raise ValidationError(_("{name} is not a member of that Kube.").format(name=name))
        _room(conn, session_id, title, capacity, 1)
        return _insert_participant(session, conn, session_id, {
            "role": role, "member_id": member_id, "kube_id": kube_id})


def add_kube_members(session: Session, session_id: int, kube_id: int, *,
                     officers_only: bool = False) -> list[int]:
    """The Kube's current households (or only its officers in office) who are not in the
    session yet; all or none: refused when they do not all fit."""
    session.require(Action.TRAINING_RECORD)
    with session.book.transaction():
        conn = _conn(session)
        title, _start, _end, capacity, _status, _pct = _session(conn, session_id)
        kube = conn.execute("SELECT name FROM kube WHERE id = ?", (kube_id,)).fetchone()
        if kube is None:
            raise ValidationError(_("Kube {id} does not exist.").format(id=kube_id))
        if officers_only:
            people = conn.execute(
                "SELECT DISTINCT o.member_id FROM kube_officer o JOIN member m "
                "ON m.id = o.member_id WHERE o.kube_id = ? AND o.term_end IS NULL "
                "AND m.status != 'keluar' ORDER BY m.name", (kube_id,)).fetchall()
        else:
            people = conn.execute(
                "SELECT km.member_id FROM kube_member km JOIN member m ON m.id = km.member_id "
                "WHERE km.kube_id = ? AND km.left_on IS NULL AND m.status != 'keluar' "
                "ORDER BY m.name", (kube_id,)).fetchall()
        taken = {m for (m,) in conn.execute("SELECT member_id FROM training_participant "
                                            "WHERE session_id = ? AND member_id IS NOT NULL",
                                            (session_id,))}
        new = [m for (m,) in people if m not in taken]
        if not new:
            raise ValidationError((_("The officers of {kube} already take part (or it has "
                                     "none in office).") if officers_only else
                                   _("The households of {kube} already take part (or it has "
                                     "none).")).format(kube=kube[0]))
        _room(conn, session_id, title, capacity, len(new))
        role = "pengurus" if officers_only else "anggota"
        return [_insert_participant(session, conn, session_id, {
            "role": role, "member_id": member, "kube_id": kube_id}) for member in new]


def add_staff(session: Session, session_id: int, *, user_id: int | None = None,
              name: str = "") -> int:
    """BMT staff by their user account, or someone else by name (e.g. a village official)."""
    session.require(Action.TRAINING_RECORD)
    name = check_text(name, _("Name"), limit=100, single_line=True)
    if (user_id is None) == (not name):
        raise ValidationError(_("Choose a user of the program or type a name."))
    with session.book.transaction():
        conn = _conn(session)
        title, _start, _end, capacity, _status, _pct = _session(conn, session_id)
        if user_id is not None:
            user = conn.execute("SELECT full_name, active FROM user WHERE id = ?",
                                (user_id,)).fetchone()
            if user is None or not user[1]:
                raise ValidationError(_("User {id} does not exist or is inactive.").format(
                    id=user_id))
            name_shown, same = user[0], ("user_id = ?", user_id)
        else:
            name_shown, same = name, ("member_id IS NULL AND user_id IS NULL AND name = ?",
                                      name)
        if conn.execute(f"SELECT 1 FROM training_participant WHERE session_id = ? AND "
                        f"{same[0]}", (session_id, same[1])).fetchone():
            raise ValidationError(_("{name} already takes part in this session.").format(
                name=name_shown))
        _room(conn, session_id, title, capacity, 1)
        return _insert_participant(session, conn, session_id, {
            "role": "staf", "user_id": user_id, "name": "" if user_id is not None else name})


def remove_participant(session: Session, participant_id: int) -> None:
    """Take someone off the list (a mistake); refused once they are recorded present."""
    session.require(Action.TRAINING_RECORD)
    with session.book.transaction():
        conn = _conn(session)
        row = conn.execute("SELECT session_id, role, member_id, user_id, name FROM "
                           "training_participant WHERE id = ?", (participant_id,)).fetchone()
        if row is None:
            raise ValidationError(_("Participant {id} does not exist.").format(
                id=participant_id))
        _session(conn, row[0])
        if conn.execute("SELECT 1 FROM training_attendance WHERE participant_id = ? "
                        "AND present = 1", (participant_id,)).fetchone():
            raise ValidationError(_("This participant is recorded present; clear the "
                                    "attendance first."))
        conn.execute("DELETE FROM training_attendance WHERE participant_id = ?",
                     (participant_id,))
        conn.execute("DELETE FROM training_participant WHERE id = ?", (participant_id,))
        append(conn, session.actor, "training.participant_remove", "training_participant",
               participant_id, before={"session_id": row[0], "role": row[1],
                                       "member_id": row[2], "user_id": row[3],
                                       "name": row[4]})


def staff_users(session: Session) -> list[tuple[int, str]]:
    """(user id, full name) of the active users, who may take part as BMT staff."""
    session.require(Action.LEDGER_VIEW, writes=False)
    return _conn(session).execute("SELECT id, full_name FROM user WHERE active = 1 "
                                  "ORDER BY full_name").fetchall()


# ----------------------------------------------------------------------------- the register
@dataclass(frozen=True)
class Mark:
    """One cell of the attendance register."""

    participant_id: int
    day: dt.date | str
    present: bool


@dataclass(frozen=True)
class Score:
    """A participant's pre- and post-test scores (0–100; None = not taken)."""

    participant_id: int
    pre: int | None
    post: int | None


def _names(conn: sqlite3.Connection, session_id: int) -> dict[int, str]:
    return dict(conn.execute(
        "SELECT p.id, coalesce(m.name, u.full_name, p.name) FROM training_participant p "
        "LEFT JOIN member m ON m.id = p.member_id LEFT JOIN user u ON u.id = p.user_id "
        "WHERE p.session_id = ?", (session_id,)).fetchall())


def _check_marks(session: Session, session_row: tuple, names: dict[int, str],
                 marks: Sequence[Mark]) -> list[tuple[int, str, int]]:
    _title, start, end, *_rest = session_row
    seen: set[tuple[int, str]] = set()
    cells = []
    for mark in marks:
        if mark.participant_id not in names:
            raise ValidationError(_("Participant {id} is not in this session.").format(
                id=mark.participant_id))
        day = parse_date(mark.day, field=_("Day"))
        if not start <= day.isoformat() <= end:
            raise ValidationError(_("{date} is outside the session ({start} – {end}); "
                                    "attendance is recorded for the session's days only.")
                                  .format(date=format_date_id(day),
                                          start=format_date_id(dt.date.fromisoformat(start)),
                                          end=format_date_id(dt.date.fromisoformat(end))))
        if day > session.today:
            raise ValidationError(_("{date} has not come yet; attendance is recorded on the "
                                    "day or after.").format(date=format_date_id(day)))
        if not isinstance(mark.present, bool | int) or mark.present not in (0, 1):
            raise ValidationError(_("Present is yes or no."))
        key = (mark.participant_id, day.isoformat())
        if key in seen:
            raise ValidationError(_("{name} is marked twice for {date}.").format(
                name=names[mark.participant_id], date=format_date_id(day)))
        seen.add(key)
        cells.append((mark.participant_id, day.isoformat(), int(bool(mark.present))))
    return cells


def _score(value: object, name: str, label: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError(_("{name}: the {test} score is a whole number from 0 to 100, "
                                "not {value}.").format(name=name, test=label,
                                                       value=str(value)[:20]))
    return value


def _write_marks(session: Session, conn: sqlite3.Connection, session_id: int,
                 cells: list[tuple[int, str, int]]) -> int:
    old = {(pid, day): present for pid, day, present in conn.execute(
        "SELECT a.participant_id, a.day, a.present FROM training_attendance a "
        "JOIN training_participant p ON p.id = a.participant_id WHERE p.session_id = ?",
        (session_id,))}
    changed = [cell for cell in cells if old.get(cell[:2]) != cell[2]]
    if not changed:
        return 0
    conn.executemany(
        "INSERT INTO training_attendance (participant_id, day, present) VALUES (?, ?, ?) "
        "ON CONFLICT (participant_id, day) DO UPDATE SET present = excluded.present", changed)
    append(conn, session.actor, "training.attendance", "training_session", session_id,
           before={"cells": [[pid, day, old.get((pid, day))] for pid, day, _p in changed]},
           after={"cells": [list(cell) for cell in changed]})
    return len(changed)


def _write_scores(session: Session, conn: sqlite3.Connection, session_id: int,
                  names: dict[int, str], scores: Sequence[Score]) -> int:
    old = {pid: (pre, post) for pid, pre, post in conn.execute(
        "SELECT id, pre_score, post_score FROM training_participant WHERE session_id = ?",
        (session_id,))}
    wanted: dict[int, tuple[int | None, int | None]] = {}
    for score in scores:
        if score.participant_id not in names:
            raise ValidationError(_("Participant {id} is not in this session.").format(
                id=score.participant_id))
        name = names[score.participant_id]
        wanted[score.participant_id] = (_score(score.pre, name, _("pre-test")),
                                        _score(score.post, name, _("post-test")))
    changed = {pid: pair for pid, pair in wanted.items() if old[pid] != pair}
    if not changed:
        return 0
    conn.executemany("UPDATE training_participant SET pre_score = ?, post_score = ? "
                     "WHERE id = ?", [(pre, post, pid) for pid, (pre, post) in changed.items()])
    append(conn, session.actor, "training.scores", "training_session", session_id,
           before={str(pid): list(old[pid]) for pid in changed},
           after={str(pid): list(pair) for pid, pair in changed.items()})
    return len(changed)


def save_register(session: Session, session_id: int, marks: Sequence[Mark] = (),
                  scores: Sequence[Score] = ()) -> int:
    """Attendance cells and scores together, all or nothing: a day outside the session, a
    day still to come or a score outside 0–100 refuses the whole register. Returns how many
    cells and scores changed (0 writes nothing)."""
    session.require(Action.TRAINING_RECORD)
    with session.book.transaction():
        conn = _conn(session)
        row = _session(conn, session_id)
        names = _names(conn, session_id)
        cells = _check_marks(session, row, names, marks)
        count = _write_marks(session, conn, session_id, cells)
        return count + _write_scores(session, conn, session_id, names, scores)


def record_day(session: Session, session_id: int, day: dt.date | str,
               present: Sequence[int]) -> int:
    """One day's register: the participants in ``present`` attended, everyone else not."""
    session.require(Action.TRAINING_RECORD)
    names = set(_names(_conn(session), session_id)) if isinstance(session_id, int) else set()
    marks = [Mark(pid, day, pid in set(present)) for pid in sorted(names)]
    strangers = set(present) - names
    if strangers:
        raise ValidationError(_("Participant {id} is not in this session.").format(
            id=min(strangers)))
    return save_register(session, session_id, marks)


# ----------------------------------------------------------------------------- the rules
@dataclass(frozen=True)
class Rules:
    """The office's training rules (book settings), for the screen."""

    completion_pct: int  # for sessions created from now on
    aid_required: list[TopicRow]  # topics a Kube's households complete before stimulant aid


def rules(session: Session) -> Rules:
    session.require(Action.LEDGER_VIEW, writes=False)
    codes = parse_requirement(get_setting(session.book, "aid_required_training"),
                              book=session.book)
    topics = {topic.code: topic for topic in list_topics(session)}
    return Rules(int(get_setting(session.book, "training_completion_pct")),
                 [topics[code] for code in codes])
