"""What the training records show: a member's training record, the three reports (sessions
in a period, attendance and completion per Kube, members not yet trained) and the
certificate of a participant who completed a session. Readers only: nothing is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bmt_desktop.domain.dates import format_date_id, parse_date
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.printing.certificate import CertificateData, render_certificate
from bmt_desktop.services.office import get_logo, get_profile
from bmt_desktop.services.session import Session
from bmt_desktop.services.training import (
    COMPLETED_SQL,
    KINDS,
    PRESENT_SQL,
    SEPARATOR,
    SessionRow,
    attendance_pct,
    kind_label,
    list_sessions,
    parse_requirement,
)

_TOPICS_SQL = (
    "(SELECT group_concat(name, char(31)) FROM (SELECT t.name FROM training_session_topic st "
    "JOIN training_topic t ON t.id = st.topic_id WHERE st.session_id = s.id "
    "ORDER BY t.position))"
)


def _split(names: str | None) -> tuple[str, ...]:
    return tuple(names.split(SEPARATOR)) if names else ()


# ----------------------------------------------------------------------------- a member
@dataclass(frozen=True)
class RecordRow:
    """One session a member took part in."""

    session_id: int
    participant_id: int
    title: str
    kind: str
    start_date: str
    end_date: str
    status: str  # the session: aktif or batal
    role: str
    kube_name: str
    present_days: int
    days: int
    completion_pct: int
    completed: bool
    pre_score: int | None
    post_score: int | None
    topics: tuple[str, ...]

    @property
    def attendance_pct(self) -> int:
        return attendance_pct(self.present_days, self.days)


def member_record(session: Session, member_id: int) -> list[RecordRow]:
    """Every session the member took part in, newest first, with attendance and result."""
    session.require(Action.LEDGER_VIEW, writes=False)
    conn = session.book.raw()
    if conn.execute("SELECT 1 FROM member WHERE id = ?", (member_id,)).fetchone() is None:
        raise ValidationError(_("Member {id} does not exist.").format(id=member_id))
    rows = conn.execute(
        "SELECT s.id, p.id, s.title, s.kind, s.start_date, s.end_date, s.status, p.role, "
        f"coalesce(k.name, ''), {PRESENT_SQL}, "
        "CAST(julianday(s.end_date) - julianday(s.start_date) + 1 AS INTEGER), "
        f"s.completion_pct, s.status = 'aktif' AND {COMPLETED_SQL}, p.pre_score, p.post_score, "
        f"{_TOPICS_SQL} FROM training_participant p "
        "JOIN training_session s ON s.id = p.session_id LEFT JOIN kube k ON k.id = p.kube_id "
        "WHERE p.member_id = ? ORDER BY s.start_date DESC, s.id DESC", (member_id,)).fetchall()
    return [RecordRow(*row[:12], bool(row[12]), row[13], row[14], _split(row[15]))
            for row in rows]


# ----------------------------------------------------------------------------- the reports
def _period(start: object, end: object) -> tuple[dt.date, dt.date]:
    first = parse_date(start, field=_("From"))
    last = parse_date(end, field=_("To"))
    if last < first:
        raise ValidationError(_("The period ends before it begins."))
    return first, last


def sessions_in_period(session: Session, start: object, end: object) -> list[SessionRow]:
    """Sessions that overlap the period (cancelled ones too, marked), oldest first."""
    first, last = _period(start, end)
    rows = list_sessions(session, start=first, end=last)
    return sorted(rows, key=lambda r: (r.start_date, r.id))


@dataclass(frozen=True)
class KubeTrainingRow:
    """The training of a Kube's current households in a period."""

    kube_id: int
    code: str
    name: str
    members: int
    took_part: int  # households that took part in at least one session
    present_days: int
    held_days: int  # participant-days held so far
    completed: int  # households that completed at least one session
    by_kind: dict[str, int]  # households that completed a session of each kind

    @property
    def attendance_pct(self) -> int | None:
        return attendance_pct(self.present_days, self.held_days) if self.held_days else None


def kube_training(session: Session, start: object = None, end: object = None
                  ) -> list[KubeTrainingRow]:
    """Attendance and completion per active Kube, counted over its current households in
    the sessions (not cancelled) that overlap the period (all sessions without one)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    first, last = (_period(start, end) if start is not None or end is not None
                   else (dt.date.min, dt.date.max))
    conn = session.book.raw()
    today = session.today.isoformat()
    kubes = conn.execute(
        "SELECT k.id, k.code, k.name, (SELECT count(*) FROM kube_member km "
        "WHERE km.kube_id = k.id AND km.left_on IS NULL) FROM kube k "
        "WHERE k.status = 'aktif' ORDER BY k.code").fetchall()
    facts: dict[int, list[tuple]] = {}
    for kube_id, member_id, kind, present, held, completed in conn.execute(
            f"SELECT km.kube_id, p.member_id, s.kind, {PRESENT_SQL}, "
            "max(0, CAST(julianday(min(s.end_date, ?)) - julianday(s.start_date) + 1 "
            f"AS INTEGER)), {COMPLETED_SQL} FROM kube_member km "
            "JOIN training_participant p ON p.member_id = km.member_id "
            "JOIN training_session s ON s.id = p.session_id "
            "WHERE km.left_on IS NULL AND s.status = 'aktif' AND s.end_date >= ? "
            "AND s.start_date <= ?", (today, first.isoformat(), last.isoformat())):
        facts.setdefault(kube_id, []).append((member_id, kind, present, held, completed))
    rows = []
    for kube_id, code, name, members in kubes:
        own = facts.get(kube_id, [])
        done = [(member, kind) for member, kind, _p, _h, completed in own if completed]
        rows.append(KubeTrainingRow(
            kube_id, code, name, members, len({f[0] for f in own}),
            sum(f[2] for f in own), sum(f[3] for f in own), len({m for m, _k in done}),
            {kind: len({m for m, k in done if k == kind}) for kind in KINDS}))
    return rows


@dataclass(frozen=True)
class UntrainedRow:
    member_id: int
    number: str
    name: str
    kube_name: str
    rt: str
    rw: str
    join_date: str
    attempts: int  # sessions of the kind asked for taken part in without completing


def untrained_members(session: Session, *, topic: str | None = None,
                      kind: str | None = None) -> list[UntrainedRow]:
    """Members (not those who left) who have not completed any session — or none with the
    ``topic`` code, or none of the ``kind`` — by member number."""
    session.require(Action.LEDGER_VIEW, writes=False)
    match, params = "1", []
    if topic:
        codes = parse_requirement(topic, book=session.book)
        if len(codes) != 1:
            raise ValidationError(_("Choose one topic."))
        match = ("EXISTS (SELECT 1 FROM training_session_topic st JOIN training_topic t "
                 "ON t.id = st.topic_id WHERE st.session_id = s.id AND t.code = ?)")
        params = [codes[0]]
    elif kind:
        if kind not in KINDS:
            raise ValidationError(_("The kind of training is sosial, keterampilan or "
                                    "manajemen."))
        match, params = "s.kind = ?", [kind]
    rows = session.book.raw().execute(
        "SELECT m.id, m.number, m.name, coalesce(k.name, ''), m.rt, m.rw, m.join_date, "
        "(SELECT count(*) FROM training_participant p JOIN training_session s "
        f"ON s.id = p.session_id WHERE p.member_id = m.id AND s.status = 'aktif' AND {match}) "
        "FROM member m LEFT JOIN kube_member km ON km.member_id = m.id AND km.left_on IS NULL "
        "LEFT JOIN kube k ON k.id = km.kube_id WHERE m.status != 'keluar' AND NOT EXISTS ("
        "SELECT 1 FROM training_participant p JOIN training_session s ON s.id = p.session_id "
        f"WHERE p.member_id = m.id AND s.status = 'aktif' AND s.end_date <= ? AND {match} "
        f"AND {COMPLETED_SQL}) ORDER BY m.number",
        (*params, session.today.isoformat(), *params)).fetchall()
    return [UntrainedRow(*row) for row in rows]


# ----------------------------------------------------------------------------- certificate
def certificate_number(session_id: int, participant_id: int, end: dt.date) -> str:
    return f"{session_id:04d}/{participant_id:05d}/PLT/{end.year}"


def certificate_data(session: Session, participant_id: int,
                     printed_at: dt.datetime | None = None, *,
                     session_id: int | None = None) -> CertificateData:
    """What a participant's certificate shows; refused unless the session is over and the
    participant completed it (and, with ``session_id``, took part in that session)."""
    session.require(Action.TRAINING_RECORD, writes=False)
    conn = session.book.raw()
    row = conn.execute(
        "SELECT s.id, s.title, s.kind, s.start_date, s.end_date, s.venue, s.trainer, "
        "s.institution, s.completion_pct, s.status, p.role, coalesce(m.name, u.full_name, "
        f"p.name), coalesce(m.number, ''), coalesce(k.name, ''), {PRESENT_SQL}, "
        f"p.pre_score, p.post_score, {_TOPICS_SQL}, p.user_id FROM training_participant p "
        "JOIN training_session s ON s.id = p.session_id LEFT JOIN member m "
        "ON m.id = p.member_id LEFT JOIN user u ON u.id = p.user_id LEFT JOIN kube k "
        "ON k.id = p.kube_id WHERE p.id = ?", (participant_id,)).fetchone()
    if row is None:
        raise ValidationError(_("Participant {id} does not exist.").format(id=participant_id))
    if session_id is not None and row[0] != session_id:
        raise ValidationError(_("Participant {id} is not in session {session}.").format(
            id=participant_id, session=session_id))
    (session_id, title, kind, start, end, venue, trainer, institution, threshold, status,
     role, name, number, kube_name, present, pre, post, topics, user_id) = row
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    days = (last - first).days + 1
    if status == "batal":
        raise ValidationError(_("The session “{title}” is cancelled; it gives no "
                                "certificate.").format(title=title))
    if last > session.today:
        raise ValidationError(_("The session ends on {date}; its certificates are printed "
                                "after it.").format(date=format_date_id(last)))
    if present * 100 < threshold * days:
        raise ValidationError(_("{name} did not complete “{title}”: present {present} of "
                                "{days} days ({pct} %), at least {needed} % is needed; no "
                                "certificate.").format(
            name=name, title=title, present=present, days=days,
            pct=attendance_pct(present, days), needed=threshold))
    profile = get_profile(session.book)
    if role == "staf":
        detail = _("BMT staff") if user_id is not None else ""
    elif role == "pengurus":
        detail = _("officer of {kube} · member no. {number}").format(kube=kube_name,
                                                                     number=number)
    else:
        detail = _("member no. {number}").format(number=number) + (
            f" · {kube_name}" if kube_name else "")
    return CertificateData(
        office_name=profile.name, office_address=profile.address,
        office_registration=profile.registration_number, is_demo=profile.is_demo,
        logo=get_logo(session.book),
        number=certificate_number(session_id, participant_id, last),
        participant_name=name, participant_detail=detail, title=title,
        kind_label=kind_label(kind), start=first, end=last, venue=venue,
        institution=institution, trainer=trainer, topics=_split(topics), days=days,
        present_days=present, completion_pct=threshold, pre_score=pre, post_score=post,
        printed_at=printed_at or dt.datetime.now().replace(microsecond=0))


def certificate_pdf(session: Session, participant_id: int,
                    printed_at: dt.datetime | None = None, *,
                    session_id: int | None = None) -> bytes:
    """The certificate (sertifikat) as an A4 PDF."""
    return render_certificate(certificate_data(session, participant_id, printed_at,
                                               session_id=session_id))
