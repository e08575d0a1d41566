"""Training (domain.md §5): the curriculum, sessions, participants, the attendance register
and scores, the completion rule, and the gating of stimulant aid and financing.

Every test works on a fresh office book (business date 29 November 2026) with a small
world: four members of Sukajaya, three of them in Kube Mawar with Siti Aminah as ketua.
Every refusal is checked to leave the book as it was (row counts and the chain head)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.i18n import _
from bmt_desktop.services import kube, members, training
from bmt_desktop.services.book_settings import get_setting, set_setting
from bmt_desktop.services.ledger import current_chain_head
from bmt_desktop.services.session import Session
from bmt_desktop.services.training import Mark, Score, SessionInput
from bmt_desktop.store.book import Book
from bmt_desktop.store.verify import verify_book
from tests.conftest import TODAY, session_of

TABLES = ("training_topic", "training_session", "training_session_topic",
          "training_participant", "training_attendance", "stimulant_aid", "setting",
          "audit_log")
NAMES = ("Siti Aminah", "Euis Nurhayati", "Asep Saepudin", "Ujang Suryana")


def snapshot(book: Book) -> tuple:
    """What a refused request must leave as it was."""
    conn = book.raw()
    return (current_chain_head(book),
            tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES),
            tuple(conn.execute("SELECT * FROM training_participant ORDER BY id")),
            tuple(conn.execute("SELECT * FROM training_attendance ORDER BY 1, 2")),
            tuple(conn.execute("SELECT * FROM training_session ORDER BY id")))


def nik(serial: int) -> str:
    """A valid NIK of Cadasari (a woman born 14 June 1979), one serial per member."""
    return f"3601145406790{serial:03d}"


@dataclass
class World:
    members: list[int]  # Siti, Euis, Asep, Ujang
    kube_id: int  # Kube Mawar: Siti (ketua), Euis, Asep


def make_world(manager: Session) -> World:
    ids = [members.register_member(manager, members.MemberInput(name=name, nik=nik(n))).id
           for n, name in enumerate(NAMES, start=1)]
    kube_id = kube.create_kube(manager, kube.KubeInput(
        "Kube Mawar", "Warung sayuran", "2", "1", "Sukajaya", "2026-06-01", "Bu Neneng"))
    for member_id in ids[:3]:
        kube.add_member(manager, kube_id, member_id, "2026-06-01")
    kube.set_officer(manager, kube_id, ids[0], "ketua", "2026-06-01")
    return World(ids, kube_id)


# Sessions without the password check (argon2 is slow on purpose; logging in is tested
# elsewhere): these tests are about what each role may do with training.
@pytest.fixture
def manager(book: Book) -> Session:
    return session_of(book, "manajer")


@pytest.fixture
def teller(book: Book) -> Session:
    return session_of(book, "kasir")


@pytest.fixture
def auditor(book: Book) -> Session:
    return session_of(book, "auditor")


@pytest.fixture
def world(manager: Session) -> World:
    return make_world(manager)


def plan(session: Session, first: str = "2026-10-05", last: str = "2026-10-08",
         topics: tuple[str, ...] = ("USAHA",), kind: str = "keterampilan",
         capacity: int = 20, title: str = "Praktik keterampilan warung sayuran") -> int:
    return training.create_session(session, SessionInput(
        title, kind, first, last, "Kios sayur Bu Entin", "Ibu Entin", "BMT Sukajaya",
        capacity, topics))


def days_of(first: str, count: int) -> list[dt.date]:
    start = dt.date.fromisoformat(first)
    return [start + dt.timedelta(days=n) for n in range(count)]


def attend(session: Session, session_id: int, participant: int, days: list[dt.date]) -> None:
    training.save_register(session, session_id, [Mark(participant, day, True) for day in days])


def completed_training(session: Session, member_ids: list[int], topics: tuple[str, ...] =
                       ("USAHA",), first: str = "2026-10-05", days: int = 4) -> int:
    """A session the members attended every day of."""
    last = (dt.date.fromisoformat(first) + dt.timedelta(days=days - 1)).isoformat()
    session_id = plan(session, first, last, topics)
    for member_id in member_ids:
        person = training.add_participant(session, session_id, member_id)
        attend(session, session_id, person, days_of(first, days))
    return session_id


# =============================================================================== curriculum
def test_the_curriculum_holds_the_pinbuk_topics_and_the_skills_practice(teller: Session
                                                                         ) -> None:
    topics = training.list_topics(teller)
    by_code = {t.code: t for t in topics}
    assert len(topics) == 14 and all(t.active for t in topics)
    assert by_code["PRINSIP-KUBE"].name == "Prinsip Kube"
    assert by_code["PHBK"].name == "Mekanisme kredit pedesaan dan PHBK"
    assert by_code["USAHA"].kind == "keterampilan"
    assert {t.kind for t in topics} == set(training.KINDS)
    assert [t.code for t in topics][:5] == ["DIRI", "KERJASAMA", "KOMUNIKASI",
                                           "KEPEMIMPINAN", "PRINSIP-KUBE"]


def test_the_manager_adds_changes_and_retires_a_topic(book: Book, manager: Session) -> None:
    topic_id = training.add_topic(manager, " pembukuan ", "Pembukuan usaha sederhana",
                                  "keterampilan", "Buku kas harian")
    training.edit_topic(manager, topic_id, "Pembukuan usaha kecil", "manajemen")
    row = next(t for t in training.list_topics(manager) if t.id == topic_id)
    assert (row.code, row.name, row.kind, row.description) == (
        "PEMBUKUAN", "Pembukuan usaha kecil", "manajemen", "")
    session_id = plan(manager, topics=("PEMBUKUAN",))

    training.set_topic_active(manager, topic_id, False)

    assert topic_id not in {t.id for t in training.list_topics(manager, active_only=True)}
    with pytest.raises(ValidationError, match="PEMBUKUAN"):
        plan(manager, topics=("PEMBUKUAN",))
    # a past session keeps its topic, also when it is changed
    detail = training.session_detail(manager, session_id)
    training.edit_session(manager, session_id, SessionInput(
        "Praktik pembukuan", "keterampilan", "2026-10-05", "2026-10-08", capacity=20,
        topics=["PEMBUKUAN"]))
    assert [t.code for t in training.session_detail(manager, session_id).topics] == [
        t.code for t in detail.topics] == ["PEMBUKUAN"]
    actions = [a for (a,) in book.raw().execute(
        "SELECT action FROM audit_log WHERE entity = 'training_topic' ORDER BY seq")]
    assert actions == ["training.topic_add", "training.topic_edit", "training.topic_active"]


def test_a_topic_the_aid_requires_is_not_retired(book: Book, manager: Session) -> None:
    usaha = next(t for t in training.list_topics(manager) if t.code == "USAHA")
    before = snapshot(book)
    with pytest.raises(ValidationError, match="aid_required_training"):
        training.set_topic_active(manager, usaha.id, False)
    assert snapshot(book) == before


@pytest.mark.parametrize(("code", "name", "kind"), [
    pytest.param("USAHA", "Lagi", "keterampilan", id="code-taken"),
    pytest.param("X", "Satu huruf", "sosial", id="code-short"),
    pytest.param("KODE DENGAN SPASI", "Spasi", "sosial", id="code-space"),
    pytest.param("", "Tanpa kode", "sosial", id="code-empty"),
    pytest.param("BARU", " ", "sosial", id="no-name"),
    pytest.param("BARU", "Topik", "agama", id="kind-unknown"),
])
def test_topic_refusals_write_nothing(book: Book, manager: Session, code: str, name: str,
                                      kind: str) -> None:
    before = snapshot(book)
    with pytest.raises(ValidationError):
        training.add_topic(manager, code, name, kind)
    assert snapshot(book) == before


def test_only_the_manager_edits_the_curriculum(book: Book, teller: Session,
                                               auditor: Session) -> None:
    before = snapshot(book)
    for session in (teller, auditor):
        with pytest.raises(PermissionDenied):
            training.add_topic(session, "BARU", "Topik baru", "sosial")
        with pytest.raises(PermissionDenied):
            training.set_topic_active(session, 1, False)
    assert snapshot(book) == before


# =============================================================================== sessions
def test_a_session_copies_the_completion_threshold_in_force(manager: Session) -> None:
    first = plan(manager)
    set_setting(manager, "training_completion_pct", "75")
    second = plan(manager)
    set_setting(manager, "training_completion_pct", "90")

    assert training.get_session(manager, first).completion_pct == 80
    assert training.get_session(manager, second).completion_pct == 75
    row = training.get_session(manager, second)
    assert (row.title, row.kind, row.days, row.capacity, row.topics, row.participants) == (
        "Praktik keterampilan warung sayuran", "keterampilan", 4, 20,
        ("Praktik keterampilan usaha",), 0)
    assert row.state(TODAY) == "selesai" and row.state(dt.date(2026, 10, 6)) == "berlangsung"


@pytest.mark.parametrize("data", [
    pytest.param(SessionInput("Terlalu lama", "keterampilan", "2026-10-01", "2026-10-16",
                              topics=["USAHA"]), id="sixteen-days"),
    pytest.param(SessionInput("Terbalik", "sosial", "2026-10-05", "2026-10-04",
                              topics=["DIRI"]), id="end-before-start"),
    pytest.param(SessionInput("Kosong", "sosial", "2026-10-05", "2026-10-05", capacity=0,
                              topics=["DIRI"]), id="capacity-zero"),
    pytest.param(SessionInput("Besar", "sosial", "2026-10-05", "2026-10-05", capacity=501,
                              topics=["DIRI"]), id="capacity-too-big"),
    pytest.param(SessionInput("Ya", "sosial", "2026-10-05", "2026-10-05", capacity=True,
                              topics=["DIRI"]), id="capacity-bool"),
    pytest.param(SessionInput("Tanpa materi", "sosial", "2026-10-05", "2026-10-05"),
                 id="no-topic"),
    pytest.param(SessionInput("Materi asing", "sosial", "2026-10-05", "2026-10-05",
                              topics=["MEMASAK"]), id="unknown-topic"),
    pytest.param(SessionInput("Jenis asing", "agama", "2026-10-05", "2026-10-05",
                              topics=["DIRI"]), id="unknown-kind"),
    pytest.param(SessionInput(" ", "sosial", "2026-10-05", "2026-10-05", topics=["DIRI"]),
                 id="no-title"),
    pytest.param(SessionInput("Tanggal", "sosial", "5-10-2026", "2026-10-05",
                              topics=["DIRI"]), id="bad-date"),
    pytest.param(SessionInput("Jauh", "sosial", "2028-01-05", "2028-01-05", topics=["DIRI"]),
                 id="too-far-ahead"),
])
def test_session_refusals_write_nothing(book: Book, manager: Session, data: SessionInput
                                        ) -> None:
    before = snapshot(book)
    with pytest.raises(ValidationError):
        training.create_session(manager, data)
    assert snapshot(book) == before


def test_fifteen_days_and_a_session_planned_ahead_are_fine(manager: Session) -> None:
    long = training.create_session(manager, SessionInput(
        "Praktik menjahit", "keterampilan", "2026-10-01", "2026-10-15", topics=["USAHA"]))
    ahead = training.create_session(manager, SessionInput(
        "Bimbingan sosial", "sosial", "2026-12-10", "2026-12-12", topics=["DIRI"]))
    assert training.get_session(manager, long).days == 15
    assert training.get_session(manager, ahead).state(TODAY) == "dijadwalkan"


def test_changing_a_session_keeps_its_register_whole(book: Book, manager: Session,
                                                     world: World) -> None:
    session_id = plan(manager, capacity=3)
    first = training.add_participant(manager, session_id, world.members[0])
    training.add_participant(manager, session_id, world.members[1])
    attend(manager, session_id, first, [dt.date(2026, 10, 8)])
    before = snapshot(book)

    with pytest.raises(ValidationError):  # attendance on 8 October
        training.edit_session(manager, session_id, SessionInput(
            "Praktik", "keterampilan", "2026-10-05", "2026-10-07", capacity=3,
            topics=["USAHA"]))
    with pytest.raises(ValidationError):
        training.edit_session(manager, session_id, SessionInput(
            "Praktik", "keterampilan", "2026-10-05", "2026-10-08", capacity=1,
            topics=["USAHA"]))
    assert snapshot(book) == before

    training.edit_session(manager, session_id, SessionInput(
        "Praktik warung", "keterampilan", "2026-10-04", "2026-10-08", "Balai Desa", "Bu Entin",
        "Dinas Sosial", 5, ["USAHA", "PRINSIP-KUBE"], "Bawa buku catatan"))
    detail = training.session_detail(manager, session_id)
    assert (detail.row.title, detail.row.days, detail.row.capacity, detail.notes) == (
        "Praktik warung", 5, 5, "Bawa buku catatan")
    assert [t.code for t in detail.topics] == ["PRINSIP-KUBE", "USAHA"]
    assert detail.row.completion_pct == 80  # the threshold stays as it was
    (before_json, after_json) = book.raw().execute(
        "SELECT before, after FROM audit_log WHERE action = 'training.session_edit'").fetchone()
    assert "Praktik keterampilan warung sayuran" in before_json and "Praktik warung" in after_json


def test_a_session_nobody_attended_is_cancelled_and_then_closed_to_records(
        book: Book, manager: Session, world: World) -> None:
    attended = plan(manager)
    person = training.add_participant(manager, attended, world.members[0])
    attend(manager, attended, person, [dt.date(2026, 10, 5)])
    with pytest.raises(ValidationError):
        training.cancel_session(manager, attended, "Pelatih sakit")
    planned = plan(manager, "2026-12-07", "2026-12-10")
    with pytest.raises(ValidationError):
        training.cancel_session(manager, planned, "  ")

    training.cancel_session(manager, planned, "Pelatih berhalangan")

    row = training.get_session(manager, planned)
    assert (row.status, row.state(TODAY)) == ("batal", "batal")
    assert training.session_detail(manager, planned).cancel_reason == "Pelatih berhalangan"
    before = snapshot(book)
    with pytest.raises(ValidationError):
        training.add_participant(manager, planned, world.members[1])
    with pytest.raises(ValidationError):
        training.cancel_session(manager, planned, "Lagi")
    assert snapshot(book) == before


# =============================================================================== participants
def test_members_officers_and_staff_take_part(book: Book, manager: Session, teller: Session,
                                              world: World) -> None:
    session_id = plan(teller, kind="manajemen", topics=("ADART", "PHBK"))
    siti, euis, asep, ujang = world.members

    in_kube = training.add_participant(teller, session_id, euis)
    outside = training.add_participant(teller, session_id, ujang)
    officers = training.add_kube_members(teller, session_id, world.kube_id, officers_only=True)
    staff = training.add_staff(teller, session_id, user_id=manager.user_id)
    guest = training.add_staff(teller, session_id, name="Bapak Ujang Sobari (Sekretaris Desa)")

    people = {p.id: p for p in training.session_detail(teller, session_id).participants}
    assert (people[in_kube].role, people[in_kube].kube_name) == ("anggota", "Kube Mawar")
    assert (people[outside].kube_id, people[outside].kube_name) == (None, "")
    assert [(people[p].role, people[p].member_id, people[p].kube_name) for p in officers] == [
        ("pengurus", siti, "Kube Mawar")]
    assert (people[staff].role, people[staff].name, people[staff].member_id) == (
        "staf", "Manajer Uji", None)
    assert people[guest].name == "Bapak Ujang Sobari (Sekretaris Desa)"
    # the rest of the Kube's households join; those already in are skipped
    rest = training.add_kube_members(teller, session_id, world.kube_id)
    assert len(rest) == 1  # Asep
    assert training.get_session(teller, session_id).participants == 6
    assert asep in {p.member_id for p in training.session_detail(teller, session_id)
                    .participants}


@pytest.mark.parametrize("case", ["twice", "staff-twice", "guest-twice", "no-one",
                                  "both", "not-officer", "unknown-member", "unknown-user",
                                  "left-bmt", "kube-unknown", "all-in"])
def test_participant_refusals_write_nothing(book: Book, manager: Session, world: World,
                                            case: str) -> None:
    session_id = plan(manager)
    siti, euis, asep, ujang = world.members
    training.add_participant(manager, session_id, siti)
    training.add_staff(manager, session_id, user_id=manager.user_id)
    training.add_staff(manager, session_id, name="Pak Lurah")
    if case == "left-bmt":
        book.raw().execute("UPDATE member SET status = 'keluar' WHERE id = ?", (ujang,))
    if case == "all-in":
        training.add_kube_members(manager, session_id, world.kube_id)
    before = snapshot(book)
    calls = {
        "twice": lambda: training.add_participant(manager, session_id, siti),
        "staff-twice": lambda: training.add_staff(manager, session_id, user_id=manager.user_id),
        "guest-twice": lambda: training.add_staff(manager, session_id, name="Pak Lurah"),
        "no-one": lambda: training.add_staff(manager, session_id),
        "both": lambda: training.add_staff(manager, session_id, user_id=manager.user_id,
                                           name="Pak Lurah"),
        "not-officer": lambda: training.add_participant(manager, session_id, euis,
                                                        role="pengurus",
                                                        kube_id=world.kube_id),
        "unknown-member": lambda: training.add_participant(manager, session_id, 9_999),
        "unknown-user": lambda: training.add_staff(manager, session_id, user_id=9_999),
        "left-bmt": lambda: training.add_participant(manager, session_id, ujang),
        "kube-unknown": lambda: training.add_kube_members(manager, session_id, 9_999),
        "all-in": lambda: training.add_kube_members(manager, session_id, world.kube_id),
    }
    with pytest.raises(ValidationError):
        calls[case]()
    assert snapshot(book) == before


def test_a_participant_over_capacity_is_refused_and_nothing_written(
        book: Book, manager: Session, world: World) -> None:
    session_id = plan(manager, capacity=2)
    training.add_participant(manager, session_id, world.members[3])
    training.add_participant(manager, session_id, world.members[0])
    before = snapshot(book)

    with pytest.raises(ValidationError) as refused:
        training.add_participant(manager, session_id, world.members[1])
    with pytest.raises(ValidationError):
        training.add_staff(manager, session_id, name="Pak Lurah")

    assert "2" in refused.value.message
    assert snapshot(book) == before


def test_a_kube_that_does_not_fit_whole_adds_nobody(book: Book, manager: Session,
                                                    world: World) -> None:
    session_id = plan(manager, capacity=3)
    training.add_participant(manager, session_id, world.members[3])
    before = snapshot(book)
    with pytest.raises(ValidationError):
        training.add_kube_members(manager, session_id, world.kube_id)  # three households
    assert snapshot(book) == before


def test_a_participant_recorded_present_stays_on_the_list(book: Book, manager: Session,
                                                          world: World) -> None:
    session_id = plan(manager)
    present = training.add_participant(manager, session_id, world.members[0])
    mistake = training.add_participant(manager, session_id, world.members[3])
    attend(manager, session_id, present, [dt.date(2026, 10, 5)])
    training.save_register(manager, session_id, [Mark(mistake, "2026-10-05", False)])
    before = snapshot(book)
    with pytest.raises(ValidationError):
        training.remove_participant(manager, present)
    assert snapshot(book) == before

    training.remove_participant(manager, mistake)

    assert [p.id for p in training.session_detail(manager, session_id).participants] == [
        present]
    (entry,) = book.raw().execute("SELECT before FROM audit_log WHERE action = "
                                  "'training.participant_remove'").fetchone()
    assert str(world.members[3]) in entry


# =============================================================================== register
def test_the_register_records_days_and_scores(book: Book, teller: Session, world: World
                                              ) -> None:
    session_id = plan(teller)
    siti = training.add_participant(teller, session_id, world.members[0])
    euis = training.add_participant(teller, session_id, world.members[1])

    changed = training.save_register(teller, session_id, [
        Mark(siti, "2026-10-05", True), Mark(euis, dt.date(2026, 10, 5), False),
        Mark(siti, "2026-10-06", True)], [Score(siti, 40, 85), Score(euis, None, 70)])
    again = training.save_register(teller, session_id, [Mark(siti, "2026-10-05", True)],
                                   [Score(siti, 40, 85)])
    per_day = training.record_day(teller, session_id, "2026-10-07", [euis])

    assert (changed, again, per_day) == (5, 0, 2)
    detail = training.session_detail(teller, session_id)
    assert detail.attendance == {(siti, "2026-10-05"): True, (euis, "2026-10-05"): False,
                                 (siti, "2026-10-06"): True, (siti, "2026-10-07"): False,
                                 (euis, "2026-10-07"): True}
    people = {p.id: p for p in detail.participants}
    assert (people[siti].pre_score, people[siti].post_score, people[siti].present_days) == (
        40, 85, 2)
    assert (people[euis].pre_score, people[euis].post_score) == (None, 70)
    assert detail.days == [dt.date(2026, 10, d) for d in (5, 6, 7, 8)]
    actions = [a for (a,) in book.raw().execute(
        "SELECT action FROM audit_log WHERE entity = 'training_session' ORDER BY seq")]
    assert actions == ["training.session_create", "training.attendance", "training.scores",
                       "training.attendance"]
    assert verify_book(book.path).ok


@pytest.mark.parametrize("day", ["2026-10-04", "2026-10-09", "2026-12-01", "kemarin"])
def test_attendance_for_a_day_outside_the_session_is_refused(book: Book, teller: Session,
                                                             world: World, day: str) -> None:
    session_id = plan(teller)
    person = training.add_participant(teller, session_id, world.members[0])
    before = snapshot(book)

    with pytest.raises(ValidationError) as refused:
        # a good cell first: the whole register is refused, not only the wrong day
        training.save_register(teller, session_id, [Mark(person, "2026-10-05", True),
                                                     Mark(person, day, True)])

    if day == "2026-10-04":
        assert "4 Oktober 2026" in refused.value.message
        assert "5 Oktober 2026" in refused.value.message  # the session's own days
    assert snapshot(book) == before


def test_attendance_for_a_day_still_to_come_is_refused(book: Book, teller: Session,
                                                       world: World) -> None:
    session_id = plan(teller, "2026-11-28", "2026-12-01")
    person = training.add_participant(teller, session_id, world.members[0])
    attend(teller, session_id, person, [dt.date(2026, 11, 28), TODAY])
    before = snapshot(book)
    with pytest.raises(ValidationError, match="30 November 2026"):
        training.save_register(teller, session_id, [Mark(person, "2026-11-30", True)])
    assert snapshot(book) == before


@pytest.mark.parametrize("score", [101, -1, "80", 50.5, True, 1_000])
def test_a_score_out_of_range_is_refused_and_nothing_written(book: Book, teller: Session,
                                                             world: World, score: object
                                                             ) -> None:
    session_id = plan(teller)
    person = training.add_participant(teller, session_id, world.members[0])
    before = snapshot(book)

    with pytest.raises(ValidationError) as refused:
        training.save_register(teller, session_id, [Mark(person, "2026-10-05", True)],
                               [Score(person, 40, score)])  # type: ignore[arg-type]

    assert "Siti Aminah" in refused.value.message and "100" in refused.value.message
    assert snapshot(book) == before


@pytest.mark.parametrize("case", ["stranger", "twice", "unknown-session", "present-text"])
def test_other_register_refusals_write_nothing(book: Book, teller: Session, world: World,
                                               case: str) -> None:
    session_id = plan(teller)
    other = plan(teller, title="Sesi lain")
    person = training.add_participant(teller, session_id, world.members[0])
    stranger = training.add_participant(teller, other, world.members[1])
    before = snapshot(book)
    marks = {"stranger": ([Mark(stranger, "2026-10-05", True)], session_id),
             "twice": ([Mark(person, "2026-10-05", True), Mark(person, "2026-10-05", False)],
                       session_id),
             "unknown-session": ([Mark(person, "2026-10-05", True)], 9_999),
             "present-text": ([Mark(person, "2026-10-05", "ya")], session_id)}  # type: ignore
    cells, target = marks[case]
    with pytest.raises(ValidationError):
        training.save_register(teller, target, cells)
    with pytest.raises(ValidationError):
        training.save_register(teller, session_id, scores=[Score(stranger, 50, 60)])
    assert snapshot(book) == before


# =============================================================================== completion
@pytest.mark.parametrize(("present", "days", "pct", "done"), [
    (4, 5, 80, True), (3, 5, 80, False), (8, 10, 80, True), (7, 10, 80, False),
    (3, 4, 75, True), (3, 4, 80, False), (1, 1, 100, True), (0, 1, 1, False), (0, 0, 80, False),
])
def test_the_completion_rule(present: int, days: int, pct: int, done: bool) -> None:
    assert training.is_complete(present, days, pct) is done


def test_completion_follows_attendance_against_the_sessions_threshold(
        manager: Session, world: World) -> None:
    session_id = plan(manager, "2026-10-05", "2026-10-09")  # five days
    siti = training.add_participant(manager, session_id, world.members[0])
    euis = training.add_participant(manager, session_id, world.members[1])
    attend(manager, session_id, siti, days_of("2026-10-05", 4))
    attend(manager, session_id, euis, days_of("2026-10-05", 3))
    set_setting(manager, "training_completion_pct", "60")  # later sessions only

    people = {p.id: p for p in training.session_detail(manager, session_id).participants}
    row = training.get_session(manager, session_id)

    assert people[siti].completed and not people[euis].completed
    assert (row.completed, row.present_slots, row.held_slots, row.attendance_pct) == (
        1, 7, 10, 70)


# =============================================================================== gating
def test_missing_training_names_each_member_and_topic(manager: Session, auditor: Session,
                                                      world: World) -> None:
    siti, euis, asep, _ujang = world.members
    completed_training(manager, [siti], ("USAHA", "PRINSIP-KUBE"))
    partial = plan(manager, topics=("PRINSIP-KUBE",))
    person = training.add_participant(manager, partial, euis)
    attend(manager, partial, person, days_of("2026-10-05", 3))  # 3 of 4 days: not enough

    # the auditor reads it too: gating needs no write permission
    missing = training.missing_training(auditor, [siti, euis, asep, euis],
                                        ["usaha", "PRINSIP-KUBE"])

    assert missing == ["Euis Nurhayati: Praktik keterampilan usaha",
                       "Euis Nurhayati: Prinsip Kube",
                       "Asep Saepudin: Praktik keterampilan usaha",
                       "Asep Saepudin: Prinsip Kube"]
    assert training.missing_training(auditor, [siti], ["USAHA", "PRINSIP-KUBE"]) == []
    assert training.missing_training(auditor, [euis], "usaha, PRINSIP-KUBE") == missing[:2]
    assert training.missing_training(auditor, [siti, euis], []) == []
    assert training.missing_training(auditor, [], ["USAHA"]) == []


def test_a_session_counts_from_its_last_day(manager: Session,
                                                                   world: World) -> None:
    siti = world.members[0]
    completed_training(manager, [siti], first="2026-10-05")
    # before the last day the session does not count yet
    assert training.missing_training(manager, [siti], ["USAHA"], on=dt.date(2026, 10, 7)) == [
        "Siti Aminah: Praktik keterampilan usaha"]
    assert training.missing_training(manager, [siti], ["USAHA"], on=dt.date(2026, 10, 8)) == []


@pytest.mark.parametrize(("member", "codes"), [(9_999, ["USAHA"]), (None, ["MEMASAK"])])
def test_missing_training_refuses_unknown_members_and_topics(manager: Session, world: World,
                                                             member: int | None,
                                                             codes: list[str]) -> None:
    with pytest.raises(ValidationError):
        training.missing_training(manager, [member or world.members[0]], codes)


def test_parse_requirement_reads_topic_codes_of_the_curriculum(book: Book,
                                                                manager: Session) -> None:
    assert training.parse_requirement(" usaha, Prinsip-Kube ;usaha ,, ") == [
        "USAHA", "PRINSIP-KUBE"]
    assert training.parse_requirement("") == [] == training.parse_requirement(" , ")
    with pytest.raises(ValidationError) as refused:
        training.parse_requirement("USAHA, MEMASAK, MENARI", book=book)
    assert "MEMASAK, MENARI" in refused.value.message
    assert "PRINSIP-KUBE" in refused.value.message  # the codes there are


def test_the_training_settings_are_checked(book: Book, manager: Session) -> None:
    assert get_setting(book, "aid_required_training") == "USAHA"
    assert get_setting(book, "training_completion_pct") == "80"
    before = snapshot(book)
    for key, value in (("aid_required_training", "USAHA, MEMASAK"),
                       ("training_completion_pct", "0"), ("training_completion_pct", "101"),
                       ("training_completion_pct", "delapan puluh")):
        with pytest.raises(ValidationError):
            set_setting(manager, key, value)
    assert snapshot(book) == before
    set_setting(manager, "aid_required_training", " prinsip-kube , usaha")
    assert get_setting(book, "aid_required_training") == "PRINSIP-KUBE,USAHA"
    set_setting(manager, "aid_required_training", "")
    assert get_setting(book, "aid_required_training") == ""


def test_stimulant_aid_waits_for_the_kubes_training(book: Book, manager: Session,
                                                    world: World) -> None:
    siti, euis, asep, _ujang = world.members
    completed_training(manager, [siti])
    before = snapshot(book)

    with pytest.raises(ValidationError) as refused:
        kube.record_aid(manager, world.kube_id, "barang", "Etalase", 2_000_000, "Kemensos",
                        "2026-11-10")

    assert snapshot(book) == before
    text = refused.value.message
    assert "Euis Nurhayati: Praktik keterampilan usaha" in text
    assert "Asep Saepudin: Praktik keterampilan usaha" in text
    assert "Siti Aminah" not in text
    assert text.startswith(_("Aid waits for training: {what}.").split("{")[0])

    completed_training(manager, [euis, asep], first="2026-10-20")
    # aid dated before that training ended still waits; after it, it is recorded
    with pytest.raises(ValidationError):
        kube.record_aid(manager, world.kube_id, "barang", "Etalase", 2_000_000, "Kemensos",
                        "2026-10-22")
    aid_id = kube.record_aid(manager, world.kube_id, "barang", "Etalase", 2_000_000,
                             "Kemensos", "2026-11-10")
    assert kube.aid_list(manager, world.kube_id)[0].id == aid_id


def test_an_office_may_require_other_training_or_none(manager: Session, world: World) -> None:
    siti = world.members[0]
    set_setting(manager, "aid_required_training", "PRINSIP-KUBE")
    assert kube.training_missing(manager, world.kube_id) == [
        f"{name}: Prinsip Kube" for name in NAMES[:3]]  # by member number
    set_setting(manager, "aid_required_training", "")
    assert kube.training_missing(manager, world.kube_id) == []
    kube.record_aid(manager, world.kube_id, "uang", "Modal usaha", 1_000_000, "Kemensos",
                    "2026-11-10")
    assert siti  # the Kube had not trained at all


# =============================================================================== permissions
def test_the_auditor_reads_training_but_writes_none(book: Book, manager: Session,
                                                    auditor: Session, world: World) -> None:
    session_id = plan(manager)
    person = training.add_participant(manager, session_id, world.members[0])
    before = snapshot(book)
    refused = [
        lambda: plan(auditor),
        lambda: training.add_participant(auditor, session_id, world.members[1]),
        lambda: training.add_staff(auditor, session_id, name="Pak Lurah"),
        lambda: training.save_register(auditor, session_id, [Mark(person, "2026-10-05", True)]),
        lambda: training.record_day(auditor, session_id, "2026-10-05", [person]),
        lambda: training.remove_participant(auditor, person),
        lambda: training.cancel_session(auditor, session_id, "Uji"),
        lambda: training.edit_session(auditor, session_id, SessionInput(
            "X", "sosial", "2026-10-05", "2026-10-05", topics=["DIRI"])),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot(book) == before
    assert training.list_sessions(auditor)[0].id == session_id
    assert training.session_detail(auditor, session_id).participants[0].id == person
    assert len(training.list_topics(auditor)) == 14


def test_sessions_are_found_by_period_kind_and_text(manager: Session) -> None:
    october = plan(manager, "2026-10-05", "2026-10-08")
    social = plan(manager, "2026-09-28", "2026-10-01", ("DIRI",), "sosial",
                  title="Bimbingan sosial 100% di Balai_Desa")
    december = plan(manager, "2026-12-07", "2026-12-10", title="Praktik menjahit")

    def ids(**filters: object) -> list[int]:
        return [row.id for row in training.list_sessions(manager, **filters)]

    assert ids() == [december, october, social]
    assert ids(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31)) == [october, social]
    assert ids(kind="sosial") == [social]
    assert ids(text="menjahit") == [december]
    assert ids(text="100%") == [social] == ids(text="balai_desa")
    assert ids(text="Bu Entin") == [december, october, social]  # the venue
    with pytest.raises(ValidationError):
        training.list_sessions(manager, kind="agama")
