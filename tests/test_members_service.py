"""The member register: registration, numbering, audited edits, refusals, search, roles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.services.book_settings import get_setting, set_setting
from bmt_desktop.services.ledger import current_chain_head
from bmt_desktop.services.member_exit import exit_member
from bmt_desktop.services.members import (
    MemberInput,
    get_member,
    register_member,
    search_members,
    update_member,
)
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from bmt_desktop.store.verify import verify_book
from tests.conftest import TODAY

SITI_NIK = "3601145406791782"  # a woman born 14-06-1979
ASEP_NIK = "3601141803951501"  # a man born 18-03-1995
TABLES = ("member", "audit_log", "journal", "setting", "savings_account")


def nik(day: int, month: int, year: int, *, female: bool, serial: int = 1) -> str:
    """A NIK of Cadasari (360114): DDMMYY with 40 added to a woman's day, then a serial."""
    return f"360114{day + 40 if female else day:02d}{month:02d}{year % 100:02d}{serial:04d}"


def snapshot(book: Book) -> tuple:
    """Everything a refused request must leave untouched."""
    conn = book.raw()
    counts = tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)
    members = tuple(conn.execute("SELECT * FROM member ORDER BY id"))
    return current_chain_head(book), counts, members


def last_audit(book: Book) -> tuple[str, dict | None, dict | None]:
    action, before, after = book.raw().execute(
        "SELECT action, before, after FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return action, json.loads(before) if before else None, json.loads(after) if after else None


def full_input(**changes: object) -> MemberInput:
    data = MemberInput(
        name="Siti Rühmah", nik=SITI_NIK, sex="P", birth_place="Pandeglang",
        birth_date=dt.date(1979, 6, 14), kk_number="3601140101080001", rt="3", rw="1",
        desa="Sukajaya", kecamatan="Cadasari", kabupaten="Pandeglang", phone="081234567890",
        occupation="Pedagang sayur", business_type="warung", household_size=4, dtks=True,
        monthly_income=600_000, heir="Ahmad (suami)", join_date=dt.date(2026, 8, 29),
    )
    return dataclasses.replace(data, **changes)


# ------------------------------------------------------------------------- registering
def test_register_with_all_fields_audits_every_field(
    teller: Session, book: Book, book_path: Path
) -> None:
    row = register_member(teller, full_input())

    assert row.number == "AG-000001"
    assert row.name == "Siti Rühmah"
    assert row.address == "RT 003/RW 001, Sukajaya"
    assert row.join_date == "2026-08-29"
    assert row.status == "aktif"
    action, before, after = last_audit(book)
    assert action == "member.create"
    assert before is None
    assert after == {
        "name": "Siti Rühmah", "nik": SITI_NIK, "sex": "P", "birth_place": "Pandeglang",
        "birth_date": "1979-06-14", "kk_number": "3601140101080001", "rt": "003", "rw": "001",
        "desa": "Sukajaya", "kecamatan": "Cadasari", "kabupaten": "Pandeglang",
        "phone": "081234567890", "occupation": "Pedagang sayur", "business_type": "warung",
        "household_size": 4, "dtks": True, "monthly_income": 600_000, "heir": "Ahmad (suami)",
        "join_date": "2026-08-29", "status": "aktif", "number": "AG-000001",
    }
    (entity, entity_id, username) = book.raw().execute(
        "SELECT entity, entity_id, username FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert (entity, str(entity_id), username) == ("member", str(row.id), "kasir")
    # What the edit form shows is what was typed (normalised)
    form = get_member(teller, row.id)
    assert form.birth_date == "1979-06-14" and form.rt == "003" and form.dtks is True
    assert verify_book(book_path).ok


def test_only_the_nik_is_required_and_it_supplies_birth_date_and_sex(
    teller: Session, book: Book
) -> None:
    row = register_member(teller, MemberInput(name="Asep Saepudin", nik=ASEP_NIK))

    _action, _before, after = last_audit(book)
    assert after["birth_date"] == "1995-03-18"
    assert after["sex"] == "L"
    assert after["join_date"] == TODAY.isoformat()
    assert row.join_date == TODAY.isoformat()


def test_member_numbers_follow_the_pattern_setting(
    teller: Session, manager: Session, book: Book
) -> None:
    first = register_member(teller, MemberInput(name="Siti", nik=SITI_NIK))
    assert first.number == "AG-000001"
    # A teller may not change the office's settings
    before = snapshot(book)
    with pytest.raises(PermissionDenied):
        set_setting(teller, "member_number_pattern", "X-{seq}")
    assert snapshot(book) == before

    set_setting(manager, "member_number_pattern", "BMT-{seq:05d}")

    assert get_setting(book, "member_number_pattern") == "BMT-{seq:05d}"
    assert last_audit(book) == ("setting.update",
                                {"member_number_pattern": "AG-{seq:06d}"},
                                {"member_number_pattern": "BMT-{seq:05d}"})
    second = register_member(teller, MemberInput(name="Asep", nik=ASEP_NIK))
    third = register_member(teller, MemberInput(
        name="Ujang", nik=nik(2, 1, 1988, female=False)))
    assert (second.number, third.number) == ("BMT-00002", "BMT-00003")


@pytest.mark.parametrize("pattern", ["AG-000", "{seq:q}", "{nomor}", "", "{seq}\x00"])
def test_a_pattern_without_a_usable_seq_is_refused(
    manager: Session, book: Book, pattern: str
) -> None:
    before = snapshot(book)
    with pytest.raises(ValidationError):
        set_setting(manager, "member_number_pattern", pattern)
    assert snapshot(book) == before


# ------------------------------------------------------------------------------ editing
def test_edit_audits_before_and_after_of_the_changed_fields_only(
    teller: Session, book: Book, book_path: Path
) -> None:
    row = register_member(teller, full_input())
    form = get_member(teller, row.id)
    form.phone = "085711112222"
    form.household_size = 5
    form.dtks = False

    updated = update_member(teller, row.id, form)

    assert updated.phone == "085711112222"
    assert last_audit(book) == (
        "member.update",
        {"phone": "081234567890", "household_size": 4, "dtks": True},
        {"phone": "085711112222", "household_size": 5, "dtks": False},
    )
    # Saving the form unchanged writes nothing at all
    before = snapshot(book)
    update_member(teller, row.id, get_member(teller, row.id))
    assert snapshot(book) == before
    assert verify_book(book_path).ok


def test_renaming_is_audited_and_searchable_under_the_new_name(
    teller: Session, book: Book
) -> None:
    row = register_member(teller, full_input())
    form = get_member(teller, row.id)
    form.name = "Siti Rohmah"

    update_member(teller, row.id, form)

    assert last_audit(book) == ("member.update", {"name": "Siti Rühmah"},
                                {"name": "Siti Rohmah"})
    assert [r.id for r in search_members(teller, "rohmah").rows] == [row.id]
    assert search_members(teller, "ruhmah").total == 0


def test_edit_to_the_nik_of_another_member_is_refused(teller: Session, book: Book) -> None:
    register_member(teller, MemberInput(name="Siti", nik=SITI_NIK))
    asep = register_member(teller, MemberInput(name="Asep", nik=ASEP_NIK))
    form = get_member(teller, asep.id)
    form.nik = SITI_NIK
    form.birth_date = None
    form.sex = ""
    before = snapshot(book)

    with pytest.raises(ValidationError, match="AG-000001"):
        update_member(teller, asep.id, form)

    assert snapshot(book) == before


def test_an_edit_cannot_mark_a_member_as_gone(teller: Session, book: Book) -> None:
    """Leaving is the manager's exit (savings paid out, accounts closed, exit date set); the
    teller's edit form must not mark a member keluar and so freeze her savings."""
    row = register_member(teller, full_input())
    form = get_member(teller, row.id)
    form.status = "keluar"
    before = snapshot(book)

    with pytest.raises((ValidationError, PermissionDenied)):
        update_member(teller, row.id, form)

    assert snapshot(book) == before
    assert get_member(teller, row.id).status == "aktif"


def test_an_edit_cannot_bring_back_a_member_who_left(
    teller: Session, manager: Session, book: Book
) -> None:
    row = register_member(teller, full_input())
    exit_member(manager, row.id, "Pindah ke Serang")  # no savings: nothing to pay out
    form = get_member(teller, row.id)
    form.status = "aktif"
    before = snapshot(book)

    with pytest.raises((ValidationError, PermissionDenied)):
        update_member(teller, row.id, form)

    assert snapshot(book) == before
    assert get_member(teller, row.id).status == "keluar"


def test_edit_of_a_missing_member_is_refused(teller: Session, book: Book) -> None:
    before = snapshot(book)
    with pytest.raises(ValidationError):
        update_member(teller, 999, MemberInput(name="Siapa", nik=ASEP_NIK))
    assert snapshot(book) == before


# ----------------------------------------------------------------------------- refusals
INVALID = {
    "nik with 15 digits": {"nik": SITI_NIK[:15]},
    "nik with 17 digits": {"nik": SITI_NIK + "1"},
    "nik with letters": {"nik": "36011454067917AB"},
    "nik empty": {"nik": ""},
    "nik month 13": {"nik": "3601141813951501", "birth_date": None, "sex": ""},
    "nik day 32": {"nik": "3601143203951501", "birth_date": None, "sex": ""},
    "nik day 00": {"nik": "3601140003951501", "birth_date": None, "sex": ""},
    "nik day 40 (a woman's day 0)": {"nik": "3601144003951501", "birth_date": None, "sex": ""},
    "nik day 72 (a woman's day 32)": {"nik": "3601147203951501", "birth_date": None,
                                      "sex": ""},
    "nik 30 February": {"nik": "3601143002951501", "birth_date": None, "sex": ""},
    "nik 29 February of a common year": {"nik": "3601142902951501", "birth_date": None,
                                         "sex": ""},
    "nik of an unknown region": {"nik": "9901145406791782"},
    "birth date contradicts nik": {"birth_date": dt.date(1979, 6, 15)},
    "birth year contradicts nik": {"birth_date": "1978-06-14"},
    "sex contradicts nik": {"sex": "L"},
    "sex unknown": {"sex": "X"},
    "join date in the future": {"join_date": TODAY + dt.timedelta(days=1)},
    "join date not a date": {"join_date": "kemarin"},
    "household size 0": {"household_size": 0},
    "household size 51": {"household_size": 51},
    "household size text": {"household_size": "4"},
    "negative income": {"monthly_income": -1},
    "income as float": {"monthly_income": 1.5},
    "income True": {"monthly_income": True},
    "name of 10 000 characters": {"name": "A" * 10_000},
    "name of 101 characters": {"name": "A" * 101},
    "name empty": {"name": ""},
    "name only spaces": {"name": "   "},
    "name with NUL": {"name": "Siti\x00Aminah"},
    "name with escape sequence": {"name": "Siti \x1b[31mAminah"},
    "name with bell": {"name": "Siti\x07"},
    "family card 15 digits": {"kk_number": "360114010108000"},
    "phone with letters": {"phone": "0812abc"},
    "rt of 4 digits": {"rt": "1234"},
    "status unknown": {"status": "mati"},
}


def test_invalid_registrations_are_refused_and_nothing_written(
    teller: Session, book: Book
) -> None:
    """Each case alone; each starts from a NIK no one holds, so a wrongly accepted case
    cannot hide the next one behind a duplicate-NIK refusal."""
    register_member(teller, MemberInput(name="Asep", nik=ASEP_NIK))
    wrong = {}
    for serial, (case, changes) in enumerate(INVALID.items(), start=10):
        before = snapshot(book)
        try:
            register_member(teller, full_input(**{"nik": SITI_NIK[:-2] + str(serial),
                                                  **changes}))
        except ValidationError:
            if snapshot(book) != before:
                wrong[case] = "refused, but something was written"
        else:
            wrong[case] = "accepted"

    assert wrong == {}


def test_a_nik_with_day_81_is_refused(teller: Session, book: Book) -> None:
    """Day digits 01-31 are a man's, 41-71 a woman's; 81 is neither (python-stdnum
    takes the day modulo 40 and reads it as the 1st)."""
    before = snapshot(book)
    with pytest.raises(ValidationError):
        register_member(teller, MemberInput(name="Nyai", nik="3601148103951501"))
    assert snapshot(book) == before


def test_a_household_size_of_true_is_refused(teller: Session, book: Book) -> None:
    before = snapshot(book)
    with pytest.raises(ValidationError):
        register_member(teller, full_input(household_size=True))
    assert snapshot(book) == before


@pytest.mark.parametrize("control", ["\n", "\r", "\x7f", "\x85"],
                         ids=["newline", "carriage-return", "DEL", "C1-next-line"])
def test_a_name_with_a_line_break_or_other_control_character_is_refused(
    teller: Session, book: Book, control: str
) -> None:
    before = snapshot(book)
    with pytest.raises(ValidationError):
        register_member(teller, full_input(name=f"Siti{control}Aminah"))
    assert snapshot(book) == before


def test_a_duplicate_nik_is_refused_naming_the_holder(teller: Session, book: Book) -> None:
    register_member(teller, MemberInput(name="Siti Rühmah", nik=SITI_NIK))
    before = snapshot(book)

    with pytest.raises(ValidationError, match="AG-000001"):
        register_member(teller, MemberInput(name="Orang Lain", nik=SITI_NIK))
    with pytest.raises(ValidationError):  # the same NIK typed with spaces
        register_member(teller, MemberInput(name="Orang Lain", nik="3601 1454 0679 1782"))

    assert snapshot(book) == before


def test_a_member_born_this_century_keeps_the_birth_date_of_the_nik(
    teller: Session, book: Book
) -> None:
    """A man born 18-03-2005: the NIK says ...180305...; he is 21, not 121."""
    young = nik(18, 3, 2005, female=False)

    row = register_member(teller, MemberInput(name="Dede", nik=young, sex="L",
                                              birth_date=dt.date(2005, 3, 18)))

    assert get_member(teller, row.id).birth_date == "2005-03-18"


def test_the_birth_date_read_from_a_young_members_nik_is_in_this_century(
    teller: Session,
) -> None:
    row = register_member(teller, MemberInput(name="Neng", nik=nik(1, 1, 2001, female=True)))

    assert get_member(teller, row.id).birth_date == "2001-01-01"


def test_emoji_in_a_name_are_accepted_and_searchable(teller: Session) -> None:
    row = register_member(teller, MemberInput(name="Ai 🌸 Nurhayati", nik=SITI_NIK))

    assert row.name == "Ai 🌸 Nurhayati"
    assert [r.id for r in search_members(teller, "🌸").rows] == [row.id]


def test_quotes_and_sql_in_names_are_just_text(teller: Session, book: Book) -> None:
    names = ["Robert'); DROP TABLE member;--", 'Ujang "Ucok" O\'Neil', "50% _Persen_"]
    for number, name in enumerate(names, start=1):
        register_member(teller, MemberInput(name=name, nik=nik(number, 1, 1990, female=False)))

    assert [r.name for r in search_members(teller, "drop table").rows] == [names[0]]
    assert [r.name for r in search_members(teller, '"ucok" o\'').rows] == [names[1]]
    # LIKE wildcards in the search text match themselves, not everything
    assert [r.name for r in search_members(teller, "50%").rows] == [names[2]]
    assert [r.name for r in search_members(teller, "_persen_").rows] == [names[2]]
    assert search_members(teller, "%").total == 1
    assert search_members(teller, "_").total == 1
    (count,) = book.raw().execute("SELECT count(*) FROM member").fetchone()
    assert count == 3


# ------------------------------------------------------------------------------- search
@pytest.fixture
def village(teller: Session) -> dict[str, int]:
    """Four members of Sukajaya in two RTs and RWs."""
    people = {
        "Siti Rühmah": MemberInput(name="Siti Rühmah", nik=SITI_NIK, rt="3", rw="1",
                                   phone="081234567890"),
        "Asep Saepudin": MemberInput(name="Asep Saepudin", nik=ASEP_NIK, rt="003", rw="2",
                                     phone="085711112222"),
        "Ai Ruhiyat": MemberInput(name="Ai Ruhiyat", nik=nik(2, 2, 1980, female=True),
                                  rt="5", rw="1", phone="081399998888"),
        "ENCEP": MemberInput(name="ENCEP", nik=nik(3, 3, 1970, female=False), rt="3",
                             rw="1"),
    }
    return {name: register_member(teller, data).id for name, data in people.items()}


def found(teller: Session, text: str) -> list[str]:
    return [row.name for row in search_members(teller, text).rows]


SEARCHES = [
    ("ruhmah", ["Siti Rühmah"]),
    ("RÜHMAH", ["Siti Rühmah"]),
    ("ti rüh", ["Siti Rühmah"]),
    ("ruh", ["Siti Rühmah", "Ai Ruhiyat"]),
    ("encep", ["ENCEP"]),
    ("saepu", ["Asep Saepudin"]),
    ("36011454", ["Siti Rühmah"]),
    ("3601141803", ["Asep Saepudin"]),
    ("AG-000002", ["Asep Saepudin"]),
    ("ag-000003", ["Ai Ruhiyat"]),
    ("0857", ["Asep Saepudin"]),
    ("08123", ["Siti Rühmah"]),
    ("rt 3", ["Siti Rühmah", "Asep Saepudin", "ENCEP"]),
    ("RT 03", ["Siti Rühmah", "Asep Saepudin", "ENCEP"]),
    ("3/1", ["Siti Rühmah", "ENCEP"]),
    ("rt 3 rw 2", ["Asep Saepudin"]),
    ("rw 1", ["Siti Rühmah", "Ai Ruhiyat", "ENCEP"]),
    ("tidak ada", []),
    ("", ["Siti Rühmah", "Asep Saepudin", "Ai Ruhiyat", "ENCEP"]),
]


def test_search_finds_by_name_nik_number_phone_and_neighbourhood(
    teller: Session, village: dict[str, int]
) -> None:
    wrong = {}
    for text, names in SEARCHES:
        result = search_members(teller, text)
        got = [r.name for r in result.rows]  # ordered by member number
        if got != names or result.total != len(names):
            wrong[text] = (got, result.total)

    assert wrong == {}


def test_search_is_open_to_the_auditor(auditor: Session, village: dict[str, int]) -> None:
    assert found(auditor, "ruhmah") == ["Siti Rühmah"]


# -------------------------------------------------------------------------------- roles
def test_a_teller_may_register_an_auditor_may_not(
    teller: Session, auditor: Session, book: Book
) -> None:
    row = register_member(teller, MemberInput(name="Siti", nik=SITI_NIK))
    before = snapshot(book)

    with pytest.raises(PermissionDenied):
        register_member(auditor, MemberInput(name="Asep", nik=ASEP_NIK))
    form = get_member(auditor, row.id)
    form.phone = "0811"
    with pytest.raises(PermissionDenied):
        update_member(auditor, row.id, form)

    assert snapshot(book) == before
