"""Kube in the books (domain.md §1, §4): groups, membership, officers, meetings and collection
sheets, monitoring visits, stimulant aid, stage, indicators and bank linkage (PHBK).

Every test works on a copy of the 40-member demo book (members of Sukajaya, each with SP, SW
and SS accounts; simpanan wajib Rp10.000 a month; business date 29 November 2026). The demo
already has Kube of its own; a test builds its own Kube from the members outside them."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.i18n import _
from bmt_desktop.services import drawer, kube, training
from bmt_desktop.services.book_settings import set_setting
from bmt_desktop.services.kube import KubeInput, MeetingInput, SheetRow
from bmt_desktop.services.ledger import current_chain_head
from bmt_desktop.services.member_exit import exit_member, open_obligations
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from bmt_desktop.store.verify import verify_book
from tests.conftest import END, demo_session

FORMED = dt.date(2026, 11, 1)
WAJIB = 10_000  # the demo's simpanan wajib a month

# Everything a refused request must leave as it was.
COUNTED = ("journal", "journal_line", "audit_log", "teller_drawer", "setting", "member")
KUBE_TABLES = ("kube", "kube_federation", "kube_member", "kube_officer", "kube_meeting",
               "kube_attendance", "monitoring_visit", "stimulant_aid", "bank_linkage")


def snapshot(book: Book) -> tuple:
    conn = book.raw()
    return (
        current_chain_head(book),
        tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED),
        tuple(tuple(conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall())
              for t in KUBE_TABLES),
        tuple(conn.execute("SELECT id, balance, status FROM savings_account ORDER BY id")),
        tuple(conn.execute("SELECT code, balance FROM account ORDER BY code")),
        tuple(conn.execute("SELECT id, status FROM member ORDER BY id")),
    )


def free_members(book: Book, count: int, joined_by: dt.date = FORMED) -> list[int]:
    """Active members in no open Kube who joined the BMT by ``joined_by``, lowest ids first."""
    rows = book.raw().execute(
        "SELECT id FROM member WHERE status = 'aktif' AND join_date <= ? AND id NOT IN "
        "(SELECT member_id FROM kube_member WHERE left_on IS NULL) ORDER BY id LIMIT ?",
        (joined_by.isoformat(), count)).fetchall()
    assert len(rows) == count, "the demo book has too few members outside its Kube"
    return [row[0] for row in rows]


def demo_kube_member(book: Book) -> tuple[int, str]:
    """(member id, Kube name) of a member in one of the demo's own Kube."""
    return book.raw().execute(
        "SELECT km.member_id, k.name FROM kube_member km JOIN kube k ON k.id = km.kube_id "
        "WHERE km.left_on IS NULL ORDER BY km.member_id LIMIT 1").fetchone()


def name_of(book: Book, member_id: int) -> str:
    return book.raw().execute("SELECT name FROM member WHERE id = ?", (member_id,)).fetchone()[0]


def make_kube(session: Session, name: str = "Kube Seroja", members: tuple[int, ...] = (),
              formed: dt.date = FORMED, **fields: object) -> int:
    kube_id = kube.create_kube(session, KubeInput(name=name, formed_on=formed, **fields))
    for member_id in members:
        assert kube.add_member(session, kube_id, member_id, formed) == []
    return kube_id


def trained(session: Session, members: tuple[int, ...] | list[int],
            last_day: dt.date = FORMED - dt.timedelta(days=7)) -> None:
    """The members complete the four-day skills practice that stimulant aid waits for
    (the setting aid_required_training, USAHA by default)."""
    first = last_day - dt.timedelta(days=3)
    session_id = training.create_session(session, training.SessionInput(
        "Praktik keterampilan", "keterampilan", first, last_day, capacity=20,
        topics=["USAHA"]))
    people = [training.add_participant(session, session_id, member) for member in members]
    training.save_register(session, session_id, [
        training.Mark(person, first + dt.timedelta(days=n), True)
        for person in people for n in range(4)])


def member_ids(session: Session, kube_id: int, on: dt.date | None = None) -> list[int]:
    return sorted(row[0] for row in kube.current_members(session, kube_id, on))


def open_terms(book: Book, kube_id: int) -> list[tuple[int, str]]:
    return book.raw().execute(
        "SELECT member_id, role FROM kube_officer WHERE kube_id = ? AND term_end IS NULL "
        "ORDER BY role", (kube_id,)).fetchall()


def savings_balance(book: Book, member_id: int, code: str) -> int:
    return book.raw().execute(
        "SELECT s.balance FROM savings_account s JOIN savings_product p ON p.id = s.product_id "
        "WHERE s.member_id = ? AND p.code = ?", (member_id, code)).fetchone()[0]


def line_prefix(line: int, name: str) -> str:
    return _("Line {line} ({name}): {problem}").format(line=line, name=name, problem="")


def release(session: Session, count: int) -> list[int]:
    """Take ``count`` members out of the demo's own Kube on FORMED, free to join another."""
    rows = session.book.raw().execute(
        "SELECT kube_id, member_id FROM kube_member WHERE left_on IS NULL "
        "ORDER BY member_id LIMIT ?", (count,)).fetchall()
    assert len(rows) == count
    for kube_id, member_id in rows:
        kube.remove_member(session, kube_id, member_id, FORMED)
    return [member_id for _kube_id, member_id in rows]


def kube_count(book: Book) -> int:
    return book.raw().execute("SELECT count(*) FROM kube").fetchone()[0]


# =============================================================================== register
def test_create_kube_numbers_it_and_pads_rt_rw(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    existing = kube_count(demo)

    first = kube.create_kube(teller, KubeInput(
        name="Kube Seroja", business_type="Warung sayuran", rt="3", rw="1", desa="Sukajaya",
        formed_on="2026-11-01", pendamping="Bu Euis"))
    second = kube.create_kube(teller, KubeInput(name="Kube Kemuning"))

    rows = {row.id: row for row in kube.list_kube(teller)}
    assert rows[first].code == f"KUBE-{existing + 1:03d}"
    assert rows[second].code == f"KUBE-{existing + 2:03d}"
    assert (rows[first].name, rows[first].business_type) == ("Kube Seroja", "Warung sayuran")
    assert (rows[first].rt, rows[first].rw) == ("003", "001")
    assert rows[first].formed_on == "2026-11-01"
    assert rows[first].status == "aktif"
    assert rows[first].members == 0
    assert rows[first].pendamping == "Bu Euis"
    assert rows[first].stage == "belum"
    assert rows[second].formed_on == END.isoformat()  # formed today by default


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"name": "Kube Seroja", "formed_on": END + dt.timedelta(days=1)},
                     "30 November 2026", id="formed-in-the-future"),
        pytest.param({"name": "   "}, None, id="empty-name"),
        pytest.param({"name": ""}, None, id="no-name"),
        pytest.param({"name": "Kube Seroja", "rt": "12345"}, "RT", id="rt-five-digits"),
        pytest.param({"name": "Kube Seroja", "rt": "1a"}, "RT", id="rt-not-digits"),
        pytest.param({"name": "Kube Seroja", "rw": "1234"}, "RW", id="rw-four-digits"),
        pytest.param({"name": "Kube Seroja", "formed_on": "besok"}, None, id="not-a-date"),
    ],
)
def test_create_kube_refusals_write_nothing(demo: Book, fields: dict,
                                            expected: str | None) -> None:
    teller = demo_session(demo, "kasir")
    before = snapshot(demo)

    with pytest.raises(ValidationError) as refused:
        kube.create_kube(teller, KubeInput(**fields))

    if expected:
        assert expected in str(refused.value)
    assert snapshot(demo) == before


# =============================================================================== membership
def test_add_members_to_a_kube(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    members = free_members(demo, 3)
    kube_id = make_kube(teller, desa="Sukajaya")

    for member_id in members:
        assert kube.add_member(teller, kube_id, member_id, "2026-11-05") == []

    assert member_ids(teller, kube_id) == members
    assert member_ids(teller, kube_id, dt.date(2026, 11, 4)) == []
    assert [row.members for row in kube.list_kube(teller) if row.id == kube_id] == [3]


def test_a_member_of_another_open_kube_is_refused_and_nothing_written(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    a, b, c = free_members(demo, 3)
    make_kube(teller, "Kube Seroja", members=(a, b))
    kemuning = make_kube(teller, "Kube Kemuning", members=(c,))
    taken, demo_kube = demo_kube_member(demo)
    before = snapshot(demo)

    for member_id, other in ((a, "Kube Seroja"), (taken, demo_kube)):
        with pytest.raises(ValidationError) as refused:
            kube.add_member(teller, kemuning, member_id, "2026-11-10")
        assert name_of(demo, member_id) in str(refused.value)
        assert other in str(refused.value)

    assert snapshot(demo) == before
    assert member_ids(teller, kemuning) == [c]


def test_the_same_member_twice_in_one_kube_is_refused(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    (a,) = free_members(demo, 1)
    kube_id = make_kube(teller, members=(a,))
    before = snapshot(demo)

    with pytest.raises(ValidationError, match=name_of(demo, a)):
        kube.add_member(teller, kube_id, a)

    assert snapshot(demo) == before


def test_a_member_who_left_a_kube_may_join_another(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    a, b, c = free_members(demo, 3)
    seroja = make_kube(teller, "Kube Seroja", members=(a, b))
    kemuning = make_kube(teller, "Kube Kemuning", members=(c,))

    kube.remove_member(teller, seroja, a, "2026-11-20")
    assert kube.add_member(teller, kemuning, a, "2026-11-20") == []

    assert member_ids(teller, seroja) == [b]
    assert member_ids(teller, kemuning) == sorted([a, c])
    # History stays: on 19 November the member was still in Seroja, not yet in Kemuning.
    assert member_ids(teller, seroja, dt.date(2026, 11, 19)) == sorted([a, b])
    assert member_ids(teller, kemuning, dt.date(2026, 11, 19)) == [c]
    # And may go back to the first Kube after leaving the second.
    kube.remove_member(teller, kemuning, a, "2026-11-25")
    kube.add_member(teller, seroja, a, "2026-11-26")
    assert member_ids(teller, seroja) == sorted([a, b])


def test_a_member_of_a_demo_kube_may_move_after_leaving_it(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    taken, _demo_kube = demo_kube_member(demo)
    (home,) = demo.raw().execute("SELECT kube_id FROM kube_member WHERE member_id = ? "
                                 "AND left_on IS NULL", (taken,)).fetchone()
    kube_id = make_kube(teller)

    kube.remove_member(teller, home, taken, "2026-11-15")
    kube.add_member(teller, kube_id, taken, "2026-11-15")

    assert taken not in member_ids(teller, home)
    assert member_ids(teller, kube_id) == [taken]


def test_rejoining_before_leaving_the_previous_kube_is_refused(demo: Book) -> None:
    """A household belongs to one Kube at a time (migration 0003, domain.md §4): a join dated
    before the day it left its previous Kube would put it in two Kube at once."""
    teller = demo_session(demo, "kasir")
    a, b, c = free_members(demo, 3)
    seroja = make_kube(teller, "Kube Seroja", members=(a, b))
    kemuning = make_kube(teller, "Kube Kemuning", members=(c,))
    kube.remove_member(teller, seroja, a, "2026-11-20")
    before = snapshot(demo)

    with pytest.raises(ValidationError):
        kube.add_member(teller, kemuning, a, "2026-11-10")

    assert snapshot(demo) == before
    day = dt.date(2026, 11, 15)
    assert not (a in member_ids(teller, seroja, day) and a in member_ids(teller, kemuning, day))


def test_a_join_date_before_the_kube_was_formed_is_refused(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    (a,) = free_members(demo, 1)
    kube_id = make_kube(teller)
    before = snapshot(demo)

    with pytest.raises(ValidationError, match="31 Oktober 2026"):
        kube.add_member(teller, kube_id, a, "2026-10-31")

    assert snapshot(demo) == before


def test_a_future_join_date_is_refused(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    (a,) = free_members(demo, 1)
    kube_id = make_kube(teller)
    before = snapshot(demo)

    with pytest.raises(ValidationError, match="30 November 2026"):
        kube.add_member(teller, kube_id, a, END + dt.timedelta(days=1))

    assert snapshot(demo) == before


def test_a_member_who_left_the_bmt_is_refused(demo: Book) -> None:
    manager = demo_session(demo, "manajer")
    # A member outside any Kube with no financing of their own, so nothing blocks the exit.
    gone = next(m for m in free_members(demo, 10)
                if not open_obligations(manager, m))
    (savings,) = demo.raw().execute("SELECT coalesce(sum(balance), 0) FROM savings_account "
                                    "WHERE member_id = ?", (gone,)).fetchone()
    drawer.open_drawer(manager, int(savings))
    exit_member(manager, gone, "pindah ke Serang")
    kube_id = make_kube(manager)
    before = snapshot(demo)

    with pytest.raises(ValidationError, match=name_of(demo, gone)):
        kube.add_member(manager, kube_id, gone)

    assert snapshot(demo) == before


def test_an_unknown_member_or_kube_is_refused(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    (a,) = free_members(demo, 1)
    kube_id = make_kube(teller)
    before = snapshot(demo)

    with pytest.raises(ValidationError):
        kube.add_member(teller, kube_id, 9_999)
    with pytest.raises(ValidationError):
        kube.add_member(teller, 9_999, a)

    assert snapshot(demo) == before


def test_more_than_20_is_a_warning_then_a_refusal_with_the_hard_limit(demo: Book) -> None:
    manager = demo_session(demo, "manajer")
    free = free_members(demo, 10)
    members = free + release(manager, 12)
    kube_id = make_kube(manager, members=tuple(members[:20]))  # 20: the default maximum

    warnings = kube.add_member(manager, kube_id, members[20])

    assert warnings == [_("Kube {name} would have {n} households; the rule is {low}–{high}.")
                        .format(name="Kube Seroja", n=21, low=5, high=20)]
    assert members[20] in member_ids(manager, kube_id)

    set_setting(manager, "kube_hard_limit", "ya")
    before = snapshot(demo)
    with pytest.raises(ValidationError, match="22"):
        kube.add_member(manager, kube_id, members[21])
    assert snapshot(demo) == before
    assert len(member_ids(manager, kube_id)) == 21


def test_the_maximum_comes_from_the_setting(demo: Book) -> None:
    manager = demo_session(demo, "manajer")
    a, b, c, d, e = free_members(demo, 5)
    set_setting(manager, "kube_min_members", "2")
    set_setting(manager, "kube_max_members", "3")
    kube_id = make_kube(manager, members=(a, b, c))

    warnings = kube.add_member(manager, kube_id, d)

    assert warnings == [_("Kube {name} would have {n} households; the rule is {low}–{high}.")
                        .format(name="Kube Seroja", n=4, low=2, high=3)]
    set_setting(manager, "kube_hard_limit", "ya")
    before = snapshot(demo)
    with pytest.raises(ValidationError):
        kube.add_member(manager, kube_id, e)
    assert snapshot(demo) == before


def test_a_member_from_another_village_is_a_warning(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    a, b = free_members(demo, 2)
    (village,) = demo.raw().execute("SELECT desa FROM member WHERE id = ?", (a,)).fetchone()
    other = make_kube(teller, "Kube Seroja", desa="Kaduagung")
    same = make_kube(teller, "Kube Kemuning", desa=village.upper())  # case does not matter

    warnings = kube.add_member(teller, other, a)

    assert warnings == [_("{name} lives in {village}, not in {kube_village}.").format(
        name=name_of(demo, a), village=village, kube_village="Kaduagung")]
    assert member_ids(teller, other) == [a]  # a warning, not a refusal
    assert kube.add_member(teller, same, b) == []


# =============================================================================== officers
def test_officers_are_current_members_only(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    a, b, c, stranger = free_members(demo, 4)
    kube_id = make_kube(teller, members=(a, b, c))
    kube.remove_member(teller, kube_id, c, "2026-11-20")
    before = snapshot(demo)

    with pytest.raises(ValidationError, match=name_of(demo, stranger)):
        kube.set_officer(teller, kube_id, stranger, "ketua")  # never a member
    with pytest.raises(ValidationError, match=name_of(demo, c)):
        kube.set_officer(teller, kube_id, c, "ketua")  # has left the Kube
    with pytest.raises(ValidationError):
        kube.set_officer(teller, kube_id, a, "wakil")  # not an officer's role
    with pytest.raises(ValidationError):
        kube.set_officer(teller, kube_id, a, "ketua", END + dt.timedelta(days=1))

    assert snapshot(demo) == before


def test_a_new_ketua_ends_the_previous_term_the_day_before(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    a, b, c = free_members(demo, 3)
    kube_id = make_kube(teller, members=(a, b, c))
    kube.set_officer(teller, kube_id, a, "ketua", "2026-11-01")
    kube.set_officer(teller, kube_id, c, "bendahara", "2026-11-01")

    kube.set_officer(teller, kube_id, b, "ketua", "2026-11-15")

    assert kube.officers(teller, kube_id) == [
        ("ketua", name_of(demo, b), "2026-11-15", None),
        ("bendahara", name_of(demo, c), "2026-11-01", None),
        ("ketua", name_of(demo, a), "2026-11-01", "2026-11-14"),
    ]
    assert open_terms(demo, kube_id) == [(c, "bendahara"), (b, "ketua")]


@pytest.mark.parametrize("start", ["2026-11-15", "2026-11-10"], ids=["same-day", "earlier"])
def test_a_term_starting_on_or_before_the_current_one_is_refused(demo: Book, start: str) -> None:
    teller = demo_session(demo, "kasir")
    a, b = free_members(demo, 2)
    kube_id = make_kube(teller, members=(a, b))
    kube.set_officer(teller, kube_id, a, "ketua", "2026-11-15")
    before = snapshot(demo)

    with pytest.raises(ValidationError, match="15 November 2026"):
        kube.set_officer(teller, kube_id, b, "ketua", start)

    assert snapshot(demo) == before


def test_removing_a_member_ends_their_officer_term(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    a, b, c = free_members(demo, 3)
    kube_id = make_kube(teller, members=(a, b, c), pendamping="Bu Euis")
    kube.set_officer(teller, kube_id, a, "ketua", "2026-11-01")
    kube.set_officer(teller, kube_id, b, "bendahara", "2026-11-01")
    assert kube.kube_facts(teller, kube_id).has_ketua

    kube.remove_member(teller, kube_id, a, "2026-11-20")

    assert open_terms(demo, kube_id) == [(b, "bendahara")]
    (ketua,) = [row for row in kube.officers(teller, kube_id) if row[0] == "ketua"]
    assert ketua[3] is not None and ketua[3] <= "2026-11-20"
    facts = kube.kube_facts(teller, kube_id)
    assert not facts.has_ketua and facts.has_bendahara


def test_leaving_before_an_officer_term_began_is_a_clear_refusal(demo: Book) -> None:
    """Ending the term on a leave date before its start breaks the CHECK on kube_officer; the
    service must refuse with a ValidationError, not leave it to the database."""
    teller = demo_session(demo, "kasir")
    a, b = free_members(demo, 2)
    kube_id = make_kube(teller, members=(a, b))
    kube.set_officer(teller, kube_id, a, "ketua", "2026-11-20")
    before = snapshot(demo)

    with pytest.raises(ValidationError):
        kube.remove_member(teller, kube_id, a, "2026-11-10")

    assert snapshot(demo) == before


def test_a_backdated_term_of_a_member_who_has_left_is_not_left_open(demo: Book) -> None:
    """Removing a member ends their officer terms; appointing one who has since left the Kube
    (dated while they were in it) must not give the Kube an open term held by a non-member."""
    teller = demo_session(demo, "kasir")
    a, b = free_members(demo, 2)
    kube_id = make_kube(teller, members=(a, b))
    kube.remove_member(teller, kube_id, a, "2026-11-20")

    # Refusing is one right answer, ending the term with the membership another.
    with contextlib.suppress(ValidationError):
        kube.set_officer(teller, kube_id, a, "ketua", "2026-11-10")

    assert (a, "ketua") not in open_terms(demo, kube_id)
    assert not kube.kube_facts(teller, kube_id).has_ketua


# =============================================================================== meetings
def test_record_a_meeting_with_attendance(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    a, b, c, d = free_members(demo, 4)
    kube_id = make_kube(teller, members=(a, b, c, d))

    meeting_id = kube.record_meeting(teller, MeetingInput(
        kube_id, "2026-11-25", present=[a, b, c], problems="Harga sayur turun",
        solutions="Jual ke pasar Cadasari", decisions="Iuran IKS Rp2.000",
        problems_raised=2, problems_solved=1))

    assert kube.meetings(teller, kube_id) == [(meeting_id, "2026-11-25", 3, 4, 2, 1, None)]
    attendance = dict(demo.raw().execute(
        "SELECT member_id, present FROM kube_attendance WHERE meeting_id = ?", (meeting_id,)))
    assert attendance == {a: 1, b: 1, c: 1, d: 0}
    facts = kube.kube_facts(teller, kube_id)
    assert (facts.meetings_total, facts.attendance_pct) == (1, 75)
    assert (facts.problems_raised, facts.problems_solved) == (2, 1)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"held_on": END + dt.timedelta(days=1)}, "30 November 2026",
                     id="future-date"),
        pytest.param({"held_on": "2026-10-31"}, "31 Oktober 2026",
                     id="before-the-kube-was-formed"),
        pytest.param({"present": "stranger"}, None, id="a-non-member-attends"),
        pytest.param({"problems_raised": 2, "problems_solved": 3}, None,
                     id="more-solved-than-raised"),
        pytest.param({"problems_raised": -1}, None, id="negative-count"),
        pytest.param({"held_on": "kemarin"}, None, id="not-a-date"),
    ],
)
def test_meeting_refusals_write_nothing(demo: Book, changes: dict, expected: str | None) -> None:
    teller = demo_session(demo, "kasir")
    a, b, stranger = free_members(demo, 3)
    kube_id = make_kube(teller, members=(a, b))
    if changes.get("present") == "stranger":
        changes = {"present": [a, stranger]}
    data = {"kube_id": kube_id, "held_on": "2026-11-25", "present": [a, b], **changes}
    before = snapshot(demo)

    with pytest.raises(ValidationError) as refused:
        kube.record_meeting(teller, MeetingInput(**data))

    if expected:
        assert expected in str(refused.value)
    assert snapshot(demo) == before


def test_a_member_who_joined_later_does_not_attend_an_earlier_meeting(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    a, b, late = free_members(demo, 3)
    kube_id = make_kube(teller, members=(a, b))
    kube.add_member(teller, kube_id, late, "2026-11-20")
    before = snapshot(demo)

    with pytest.raises(ValidationError):
        kube.record_meeting(teller, MeetingInput(kube_id, "2026-11-10", present=[a, late]))

    assert snapshot(demo) == before


# =============================================================================== collection sheet
def sheet_world(demo: Book) -> tuple[Session, int, int, list[int]]:
    """Kube Seroja with four members, a meeting on 25 November, the teller's drawer open."""
    teller = demo_session(demo, "kasir")
    members = free_members(demo, 5)
    kube_id = make_kube(teller, members=tuple(members[:4]))
    meeting_id = kube.record_meeting(teller, MeetingInput(kube_id, "2026-11-25",
                                                          present=members[:4]))
    drawer.open_drawer(teller, 0)
    return teller, kube_id, meeting_id, members


def good_rows(members: list[int]) -> list[SheetRow]:
    a, b, c = members[:3]
    return [SheetRow(a, wajib=WAJIB, sukarela=5_000, iks=2_000),
            SheetRow(b, wajib=3 * WAJIB, iks=2_000),
            SheetRow(c, sukarela=15_000)]


def test_a_collection_sheet_posts_one_journal(demo: Book) -> None:
    teller, kube_id, meeting_id, members = sheet_world(demo)
    a, b, c = members[:3]
    conn = demo.raw()
    (journals,) = conn.execute("SELECT count(*) FROM journal").fetchone()
    balances = {(m, p): savings_balance(demo, m, p) for m in (a, b, c) for p in ("SW", "SS")}

    posted = kube.post_collection_sheet(teller, meeting_id, good_rows(members))

    assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == journals + 1
    assert posted.total == 64_000
    assert posted.date == END
    lines = conn.execute(
        "SELECT a.code, l.debit, l.credit, l.member_id, p.code, l.kube_id "
        "FROM journal_line l JOIN account a ON a.id = l.account_id "
        "LEFT JOIN savings_account s ON s.id = l.savings_account_id "
        "LEFT JOIN savings_product p ON p.id = s.product_id "
        "WHERE l.journal_id = ? ORDER BY l.line_no", (posted.id,)).fetchall()
    assert sorted(lines, key=repr) == sorted([
        ("102", 64_000, 0, None, None, None),
        ("302", 0, WAJIB, a, "SW", None),
        ("201", 0, 5_000, a, "SS", None),
        ("205", 0, 2_000, a, None, kube_id),
        ("302", 0, 3 * WAJIB, b, "SW", None),
        ("205", 0, 2_000, b, None, kube_id),
        ("201", 0, 15_000, c, "SS", None),
    ], key=repr)
    assert savings_balance(demo, a, "SW") == balances[a, "SW"] + WAJIB
    assert savings_balance(demo, a, "SS") == balances[a, "SS"] + 5_000
    assert savings_balance(demo, b, "SW") == balances[b, "SW"] + 3 * WAJIB
    assert savings_balance(demo, b, "SS") == balances[b, "SS"]
    assert savings_balance(demo, c, "SS") == balances[c, "SS"] + 15_000
    (meeting,) = kube.meetings(teller, kube_id)
    assert meeting[6] == posted.doc_number
    # The drawer expects the cash; the Kube's IKS fund holds the levy.
    assert drawer.current_drawer(teller).expected_cash == 64_000
    assert kube.kube_facts(teller, kube_id).iks_paid == 4_000
    assert kube.indicators(teller, kube_id).iks_balance == 4_000
    assert verify_book(demo.path).ok


def test_a_meeting_is_posted_once(demo: Book) -> None:
    teller, _kube_id, meeting_id, members = sheet_world(demo)
    kube.post_collection_sheet(teller, meeting_id, good_rows(members))
    before = snapshot(demo)

    with pytest.raises(ValidationError):
        kube.post_collection_sheet(teller, meeting_id, [SheetRow(members[3], sukarela=1_000)])

    assert snapshot(demo) == before


def test_the_same_request_twice_posts_one_journal(demo: Book) -> None:
    teller, _kube_id, meeting_id, members = sheet_world(demo)

    first = kube.post_collection_sheet(teller, meeting_id, good_rows(members),
                                       request_id="lembar-1")
    after_first = snapshot(demo)
    second = kube.post_collection_sheet(teller, meeting_id, good_rows(members),
                                        request_id="lembar-1")

    assert (second.id, second.doc_number, second.total) == (first.id, first.doc_number,
                                                            first.total)
    assert snapshot(demo) == after_first
    assert demo.raw().execute("SELECT count(*) FROM journal WHERE request_id = 'lembar-1'"
                              ).fetchone()[0] == 1


@pytest.mark.parametrize(
    ("bad", "line"),
    [
        pytest.param("stranger", 2, id="not-in-the-kube"),
        pytest.param("wajib-15000", 2, id="wajib-not-whole-months"),
        pytest.param("sukarela-negative", 2, id="negative-sukarela"),
        pytest.param("iks-negative", 2, id="negative-iks"),
        pytest.param("twice", 3, id="member-twice"),
    ],
)
def test_one_wrong_line_refuses_the_whole_sheet(demo: Book, bad: str, line: int) -> None:
    teller, _kube_id, meeting_id, members = sheet_world(demo)
    a, b, c, d, stranger = members
    wrong, who = {
        "stranger": (SheetRow(stranger, wajib=WAJIB), stranger),
        "wajib-15000": (SheetRow(b, wajib=15_000), b),
        "sukarela-negative": (SheetRow(b, sukarela=-5_000), b),
        "iks-negative": (SheetRow(b, iks=-1), b),
        "twice": (SheetRow(a, iks=1_000), a),
    }[bad]
    rows = [SheetRow(a, wajib=WAJIB, iks=2_000)]
    if line == 3:
        rows.append(SheetRow(c, sukarela=5_000))
    rows += [wrong, SheetRow(d, sukarela=5_000)]
    before = snapshot(demo)

    with pytest.raises(ValidationError) as refused:
        kube.post_collection_sheet(teller, meeting_id, rows)

    assert str(refused.value).startswith(line_prefix(line, name_of(demo, who)))
    assert snapshot(demo) == before


def test_a_sheet_without_amounts_is_refused(demo: Book) -> None:
    teller, _kube_id, meeting_id, members = sheet_world(demo)
    before = snapshot(demo)

    with pytest.raises(ValidationError):
        kube.post_collection_sheet(teller, meeting_id, [SheetRow(members[0]),
                                                        SheetRow(members[1])])

    assert snapshot(demo) == before


def test_a_closed_drawer_refuses_the_sheet(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    a, b = free_members(demo, 2)
    kube_id = make_kube(teller, members=(a, b))
    meeting_id = kube.record_meeting(teller, MeetingInput(kube_id, "2026-11-25", present=[a]))
    not_open = _("Your cash drawer is not open. Open it first (Kas tab).")
    before = snapshot(demo)

    with pytest.raises(ValidationError) as refused:  # never opened today
        kube.post_collection_sheet(teller, meeting_id, [SheetRow(a, wajib=WAJIB)])
    assert str(refused.value) == not_open
    assert snapshot(demo) == before

    drawer.open_drawer(teller, 0)
    drawer.close_drawer(teller, {})
    before = snapshot(demo)
    with pytest.raises(ValidationError) as refused:  # opened and closed again
        kube.post_collection_sheet(teller, meeting_id, [SheetRow(a, wajib=WAJIB)])
    assert str(refused.value) == not_open
    assert snapshot(demo) == before
    assert kube.meetings(teller, kube_id)[0][6] is None


def test_the_book_verifies_after_kube_work(demo: Book) -> None:
    teller, kube_id, meeting_id, members = sheet_world(demo)
    kube.post_collection_sheet(teller, meeting_id, good_rows(members), request_id="lembar-9")
    kube.set_officer(teller, kube_id, members[0], "ketua")
    kube.record_visit(teller, members[0], "2026-11-26", 2_500_000, "berkembang")
    kube.remove_member(teller, kube_id, members[3], "2026-11-27")

    report = verify_book(demo.path)

    assert report.ok, report.as_dict()


# =============================================================================== visits
def test_record_a_visit(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    a, b = free_members(demo, 2)

    first = kube.record_visit(teller, a, "2026-11-20", "Rp1.750.000", "berjalan", "Warung ramai")
    second = kube.record_visit(teller, b, "2026-11-21", 0, "berhenti")

    rows = demo.raw().execute(
        "SELECT id, member_id, visited_on, monthly_income, business_status, notes, visited_by "
        "FROM monitoring_visit WHERE id IN (?, ?) ORDER BY id", (first, second)).fetchall()
    assert rows == [
        (first, a, "2026-11-20", 1_750_000, "berjalan", "Warung ramai", teller.user_id),
        (second, b, "2026-11-21", 0, "berhenti", "", teller.user_id)]


@pytest.mark.parametrize(
    ("member", "day", "income", "status"),
    [
        pytest.param(None, "2026-11-20", -5_000, "berjalan", id="negative-income"),
        pytest.param(None, "2026-11-20", "-5000", "berjalan", id="negative-income-text"),
        pytest.param(None, "2026-11-20", "banyak", "berjalan", id="income-is-text"),
        pytest.param(None, "2026-11-20", 1_500_000.5, "berjalan", id="income-with-sen"),
        pytest.param(None, "2026-11-20", True, "berjalan", id="income-is-a-bool"),
        pytest.param(None, "2026-11-20", 1_500_000, "lancar", id="unknown-status"),
        pytest.param(None, "2026-11-20", 1_500_000, "", id="no-status"),
        pytest.param(None, END + dt.timedelta(days=1), 1_500_000, "berjalan", id="future-date"),
        pytest.param(9_999, "2026-11-20", 1_500_000, "berjalan", id="unknown-member"),
    ],
)
def test_visit_refusals_write_nothing(demo: Book, member: int | None, day: object,
                                      income: object, status: str) -> None:
    teller = demo_session(demo, "kasir")
    member = member or free_members(demo, 1)[0]
    before = snapshot(demo)

    with pytest.raises(ValidationError):
        kube.record_visit(teller, member, day, income, status)

    assert snapshot(demo) == before


# =============================================================================== aid
def test_record_stimulant_aid(demo: Book) -> None:
    manager = demo_session(demo, "manajer")
    kube_id = make_kube(manager, members=tuple(free_members(demo, 2)))
    trained(manager, member_ids(manager, kube_id))
    assert not kube.kube_facts(manager, kube_id).aid_received

    aid_id = kube.record_aid(manager, kube_id, "barang", "Mesin jahit 2 unit", "Rp4.000.000",
                             "Kemensos", "2026-11-10", "baru", "dipakai bergiliran")

    row = demo.raw().execute("SELECT kube_id, kind, item, value, source, received_on, "
                             "condition, outcome FROM stimulant_aid WHERE id = ?",
                             (aid_id,)).fetchone()
    assert row == (kube_id, "barang", "Mesin jahit 2 unit", 4_000_000, "Kemensos",
                   "2026-11-10", "baru", "dipakai bergiliran")
    assert kube.kube_facts(manager, kube_id).aid_received


@pytest.mark.parametrize(
    ("kind", "value", "item", "source", "day"),
    [
        pytest.param("uang", 0, "Modal usaha", "Kemensos", "2026-11-10", id="value-zero"),
        pytest.param("uang", -2_000_000, "Modal usaha", "Kemensos", "2026-11-10",
                     id="value-negative"),
        pytest.param("uang", "dua juta", "Modal usaha", "Kemensos", "2026-11-10",
                     id="value-text"),
        pytest.param("jasa", 2_000_000, "Pelatihan", "Kemensos", "2026-11-10", id="kind-jasa"),
        pytest.param("Barang", 2_000_000, "Mesin jahit", "Kemensos", "2026-11-10",
                     id="kind-capitalised"),
        pytest.param("barang", 2_000_000, " ", "Kemensos", "2026-11-10", id="no-item"),
        pytest.param("barang", 2_000_000, "Mesin jahit", "", "2026-11-10", id="no-source"),
        pytest.param("barang", 2_000_000, "Mesin jahit", "Kemensos",
                     END + dt.timedelta(days=1), id="future-date"),
    ],
)
def test_aid_refusals_write_nothing(demo: Book, kind: str, value: object, item: str,
                                    source: str, day: object) -> None:
    manager = demo_session(demo, "manajer")
    kube_id = make_kube(manager)
    before = snapshot(demo)

    with pytest.raises(ValidationError):
        kube.record_aid(manager, kube_id, kind, item, value, source, day)

    assert snapshot(demo) == before


# =============================================================================== stage
def tumbuh_kube(session: Session, members: list[int]) -> int:
    """Mentor, ketua and bendahara, aid received, one meeting held."""
    kube_id = make_kube(session, members=tuple(members), pendamping="Bu Euis Nurhayati")
    kube.set_officer(session, kube_id, members[0], "ketua", "2026-11-01")
    kube.set_officer(session, kube_id, members[1], "bendahara", "2026-11-01")
    trained(session, members)
    kube.record_aid(session, kube_id, "uang", "Modal usaha", 10_000_000, "Kemensos",
                    "2026-11-05")
    kube.record_meeting(session, MeetingInput(kube_id, "2026-11-20", present=members[:4],
                                              problems_raised=1, problems_solved=1))
    return kube_id


def test_a_kube_with_mentor_officers_aid_and_a_meeting_is_tumbuh(demo: Book) -> None:
    manager = demo_session(demo, "manajer")
    a, b, c = free_members(demo, 3)
    kube_id = make_kube(manager, members=(a, b, c), pendamping="Bu Euis")
    kube.set_officer(manager, kube_id, a, "ketua", "2026-11-01")
    kube.set_officer(manager, kube_id, b, "bendahara", "2026-11-01")
    kube.record_meeting(manager, MeetingInput(kube_id, "2026-11-20", present=[a, b]))
    without_aid = kube.kube_stage(manager, kube_id)
    assert without_aid.stage == "belum"
    assert without_aid.computed.missing == (_("received stimulant aid"),)
    trained(manager, (a, b, c))

    kube.record_aid(manager, kube_id, "uang", "Modal usaha", 10_000_000, "Kemensos",
                    "2026-11-05")

    stage = kube.kube_stage(manager, kube_id)
    assert stage.stage == "tumbuh"
    assert stage.override_reason is None
    assert _("pays the solidarity levy (IKS)") in stage.computed.missing
    assert [row.stage for row in kube.list_kube(manager) if row.id == kube_id] == ["tumbuh"]


def test_the_manager_overrides_the_stage_with_a_reason(demo: Book) -> None:
    manager = demo_session(demo, "manajer")
    kube_id = tumbuh_kube(manager, free_members(demo, 5))

    kube.override_stage(manager, kube_id, "berkembang", "Modal kelompok bertambah")

    stage = kube.kube_stage(manager, kube_id)
    assert (stage.stage, stage.override_reason) == ("berkembang", "Modal kelompok bertambah")
    assert stage.computed.stage == "tumbuh"  # the computed stage is still shown
    assert demo.raw().execute("SELECT stage_override_by FROM kube WHERE id = ?",
                              (kube_id,)).fetchone()[0] == manager.user_id
    assert [row.stage for row in kube.list_kube(manager) if row.id == kube_id] == ["berkembang"]
    # Lifting the override returns to the computed stage.
    kube.override_stage(manager, kube_id, None, "Dinilai ulang")
    assert kube.kube_stage(manager, kube_id).stage == "tumbuh"
    assert kube.kube_stage(manager, kube_id).override_reason is None


@pytest.mark.parametrize(("stage", "reason"), [("maju", ""), ("maju", "   "),
                                               ("mandiri", "Sudah mandiri"),
                                               ("belum", "Bubar")])
def test_an_override_needs_a_known_stage_and_a_reason(demo: Book, stage: str,
                                                      reason: str) -> None:
    manager = demo_session(demo, "manajer")
    kube_id = tumbuh_kube(manager, free_members(demo, 5))
    before = snapshot(demo)

    with pytest.raises(ValidationError):
        kube.override_stage(manager, kube_id, stage, reason)

    assert snapshot(demo) == before


def test_a_teller_cannot_override_the_stage(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    kube_id = tumbuh_kube(demo_session(demo, "manajer"), free_members(demo, 5))
    before = snapshot(demo)

    with pytest.raises(PermissionDenied):
        kube.override_stage(teller, kube_id, "maju", "Sudah mandiri")

    assert snapshot(demo) == before
    assert kube.kube_stage(teller, kube_id).stage == "tumbuh"


# =============================================================================== indicators
def test_indicators_show_baseline_and_latest_income(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    a, b, c, outsider = free_members(demo, 4)
    conn = demo.raw()
    assert not conn.execute("SELECT count(*) FROM monitoring_visit WHERE member_id IN "
                            "(?, ?, ?)", (a, b, c)).fetchone()[0]
    kube_id = make_kube(teller, members=(a, b, c))
    baseline = {m: conn.execute("SELECT monthly_income FROM member WHERE id = ?",
                                (m,)).fetchone()[0] for m in (a, b, c)}
    kube.record_visit(teller, a, "2026-11-10", 2_000_000, "berjalan")
    kube.record_visit(teller, a, "2026-11-25", 3_100_000, "berkembang")  # the latest counts
    kube.record_visit(teller, b, "2026-11-20", 2_600_000, "berjalan")
    kube.record_visit(teller, outsider, "2026-11-20", 9_000_000, "berjalan")  # not in it
    kube.record_meeting(teller, MeetingInput(kube_id, "2026-11-20", present=[a, b],
                                             problems_raised=3, problems_solved=2))

    shown = kube.indicators(teller, kube_id)

    assert shown.members == 3
    assert shown.income_baseline == int(sum(baseline.values()) / 3)
    assert shown.income_latest == int((3_100_000 + 2_600_000 + baseline[c]) / 3)
    assert (shown.problems_raised, shown.problems_solved) == (3, 2)
    assert shown.savings_total == conn.execute(
        "SELECT sum(balance) FROM savings_account WHERE member_id IN (?, ?, ?)",
        (a, b, c)).fetchone()[0]
    assert shown.bank_linkage is None
    assert shown.iks_balance == 0


def test_income_series_starts_with_the_baseline(demo: Book) -> None:
    teller = demo_session(demo, "kasir")
    formed = dt.date(2026, 9, 1)
    a, b = free_members(demo, 2, joined_by=formed)
    kube_id = make_kube(teller, members=(a, b), formed=formed)
    conn = demo.raw()
    assert not conn.execute("SELECT count(*) FROM monitoring_visit WHERE member_id IN "
                            "(?, ?)", (a, b)).fetchone()[0]
    (baseline,) = conn.execute("SELECT avg(monthly_income) FROM member WHERE id IN (?, ?)",
                               (a, b)).fetchone()
    kube.record_visit(teller, a, "2026-10-05", 2_000_000, "berjalan")
    kube.record_visit(teller, b, "2026-10-12", 3_000_000, "berjalan")
    kube.record_visit(teller, a, "2026-11-20", 2_400_000, "berkembang")

    series = kube.income_series(teller, kube_id)

    assert series == [("2026-09", int(baseline)), ("2026-10", 2_500_000),
                      ("2026-11", 2_400_000)]
    assert series[0][1] == kube.indicators(teller, kube_id).income_baseline
    empty = make_kube(teller, "Kube Kosong")
    assert kube.income_series(teller, empty) == []


# =============================================================================== PHBK
YEARS_4 = _("active for at least {n} years").format(n=4)


def test_a_young_kube_is_not_eligible_for_phbk(demo: Book) -> None:
    manager = demo_session(demo, "manajer")
    kube_id = tumbuh_kube(manager, free_members(demo, 5))

    missing = kube.phbk_eligibility(manager, kube_id)

    assert missing == [YEARS_4, _("stage at least {stage}").format(stage="berkembang")]


def test_phbk_settings_change_the_shortfalls(demo: Book) -> None:
    manager = demo_session(demo, "manajer")
    kube_id = tumbuh_kube(manager, free_members(demo, 5))
    set_setting(manager, "phbk_min_stage", "tumbuh")
    set_setting(manager, "phbk_min_years", "1")
    old = make_kube(manager, "Kube Lama", formed=dt.date(2025, 11, 1))

    assert kube.phbk_eligibility(manager, kube_id) == [
        _("active for at least {n} years").format(n=1)]
    assert kube.phbk_eligibility(manager, old) == [
        _("stage at least {stage}").format(stage="tumbuh")]


@pytest.mark.parametrize(("formed", "short"), [("2022-11-29", False), ("2022-11-30", True),
                                               ("2023-11-29", True)],
                         ids=["four-years-to-the-day", "one-day-short", "three-years"])
def test_phbk_years_are_counted_in_calendar_years(demo: Book, formed: str, short: bool) -> None:
    """Four years from 30 November 2022 end on 30 November 2026; on 29 November 2026 the Kube
    is one day short (2024 is a leap year, so 4 × 365 days is not four years)."""
    manager = demo_session(demo, "manajer")
    kube_id = make_kube(manager, formed=dt.date.fromisoformat(formed))

    missing = kube.phbk_eligibility(manager, kube_id)

    assert (YEARS_4 in missing) is short


def test_link_bank_is_refused_while_not_eligible_but_a_rejection_is_recorded(demo: Book) -> None:
    manager = demo_session(demo, "manajer")
    kube_id = tumbuh_kube(manager, free_members(demo, 5))
    before = snapshot(demo)

    for status in ("usulan", "berjalan"):
        with pytest.raises(ValidationError) as refused:
            kube.link_bank(manager, kube_id, "langsung", "BRI Syariah", "2026-11-25",
                           10_000_000, status)
        assert YEARS_4 in str(refused.value)
    assert snapshot(demo) == before

    link_id = kube.link_bank(manager, kube_id, "tanggung_renteng", "BRI Syariah",
                             "2026-11-26", "Rp10.000.000", "ditolak")

    assert demo.raw().execute("SELECT kube_id, model, bank, linked_on, amount, status "
                              "FROM bank_linkage WHERE id = ?", (link_id,)).fetchone() == (
        kube_id, "tanggung_renteng", "BRI Syariah", "2026-11-26", 10_000_000, "ditolak")
    assert kube.indicators(manager, kube_id).bank_linkage == "BRI Syariah (ditolak)"
    assert not kube.kube_facts(manager, kube_id).bank_linked  # a rejection links nothing


@pytest.mark.parametrize(("model", "status", "amount"), [
    ("kredit", "ditolak", 10_000_000), ("langsung", "batal", 10_000_000),
    ("langsung", "ditolak", 0), ("langsung", "ditolak", "sepuluh juta")])
def test_link_bank_refuses_unknown_models_statuses_and_amounts(demo: Book, model: str,
                                                              status: str,
                                                              amount: object) -> None:
    manager = demo_session(demo, "manajer")
    kube_id = make_kube(manager)
    before = snapshot(demo)

    with pytest.raises(ValidationError):
        kube.link_bank(manager, kube_id, model, "BRI Syariah", "2026-11-25", amount, status)

    assert snapshot(demo) == before


def test_a_rejection_for_an_unknown_kube_is_a_clear_refusal(demo: Book) -> None:
    manager = demo_session(demo, "manajer")
    before = snapshot(demo)

    with pytest.raises(ValidationError):
        kube.link_bank(manager, 9_999, "langsung", "BRI Syariah", "2026-11-25", 10_000_000,
                       "ditolak")

    assert snapshot(demo) == before


# =============================================================================== permissions
@pytest.mark.parametrize("username", ["auditor", "kasir"])
def test_only_the_manager_overrides_stages_and_records_aid_and_phbk(demo: Book,
                                                                   username: str) -> None:
    kube_id = make_kube(demo_session(demo, "manajer"), members=tuple(free_members(demo, 2)))
    session = demo_session(demo, username)
    before = snapshot(demo)

    with pytest.raises(PermissionDenied):
        kube.override_stage(session, kube_id, "maju", "Sudah mandiri")
    with pytest.raises(PermissionDenied):
        kube.record_aid(session, kube_id, "barang", "Mesin jahit", 2_000_000, "Kemensos",
                        "2026-11-10")
    with pytest.raises(PermissionDenied):
        kube.link_bank(session, kube_id, "langsung", "BRI Syariah", "2026-11-25", 10_000_000,
                       "ditolak")

    assert snapshot(demo) == before
    # Both may still look.
    assert kube.kube_stage(session, kube_id).stage == "belum"
    assert kube.indicators(session, kube_id).members == 2


def test_the_auditor_reads_but_writes_no_kube_data(demo: Book) -> None:
    a, b, c = free_members(demo, 3)
    kube_id = make_kube(demo_session(demo, "kasir"), members=(a, b))
    auditor = demo_session(demo, "auditor")
    before = snapshot(demo)

    with pytest.raises(PermissionDenied):
        kube.create_kube(auditor, KubeInput(name="Kube Auditor"))
    with pytest.raises(PermissionDenied):
        kube.add_member(auditor, kube_id, c)
    with pytest.raises(PermissionDenied):
        kube.set_officer(auditor, kube_id, a, "ketua")
    with pytest.raises(PermissionDenied):
        kube.record_meeting(auditor, MeetingInput(kube_id, "2026-11-25", present=[a]))
    with pytest.raises(PermissionDenied):
        kube.record_visit(auditor, a, "2026-11-25", 1_000_000, "berjalan")

    assert snapshot(demo) == before
    assert member_ids(auditor, kube_id) == sorted([a, b])


def test_indicators_count_the_members_who_completed_the_required_training(demo: Book) -> None:
    session = demo_session(demo, "manajer")
    session.today = END
    kube_id = demo.raw().execute("SELECT id FROM kube ORDER BY id LIMIT 1").fetchone()[0]
    found = kube.indicators(session, kube_id)
    # Every demo Kube member completed the skills practice before the aid (USAHA).
    assert found.trained == found.members > 0
    set_setting(session, "aid_required_training", "PHBK")
    assert kube.indicators(session, kube_id).trained < found.members
