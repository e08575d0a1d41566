"""Field collection: a Kube's sheet exported as XLSX, filled in with openpyxl as a field mentor
would in Excel, imported back: exactly what was filled in is posted, once; bad sheets are
refused with the row and the problem and write nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from openpyxl import Workbook, load_workbook

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.services import drawer, field_sheet, kube
from bmt_desktop.services.financing_state import facts
from bmt_desktop.services.importing import ImportRefused
from bmt_desktop.store.book import Book
from bmt_desktop.store.verify import verify_book
from tests.conftest import END, session_of
from tests.helpers.spreadsheets import edit, snapshot
from tests.test_financing_service import FLOAT, World

WAJIB = 10_000


class SheetWorld(World):
    """The financing tests' world, logged in without the (slow on purpose) password hash."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.teller = session_of(book, "kasir")
        self.manager = session_of(book, "manajer")
        drawer.open_drawer(self.teller, FLOAT)
        conn = book.raw()
        self.kube_id = conn.execute(
            "SELECT kube_id FROM kube_member WHERE left_on IS NULL GROUP BY kube_id "
            "ORDER BY kube_id LIMIT 1").fetchone()[0]
        self.kube_members = [m for (m,) in conn.execute(
            "SELECT member_id FROM kube_member WHERE kube_id = ? AND left_on IS NULL "
            "ORDER BY member_id", (self.kube_id,))]
        self.loner = conn.execute(
            "SELECT id FROM member WHERE status = 'aktif' AND id NOT IN (SELECT member_id FROM "
            "kube_member WHERE left_on IS NULL) ORDER BY id LIMIT 1").fetchone()[0]


@pytest.fixture
def world(demo: Book) -> Iterator[World]:
    yield SheetWorld(demo)


def _table(book: Workbook) -> tuple[object, int, dict[str, int]]:
    sheet = book["Lembar Tagihan"]
    for row in sheet.iter_rows():
        names = {str(c.value): c.column for c in row if c.value is not None}
        if "Nomor Anggota" in names:
            return sheet, row[0].row, names
    raise AssertionError("no header row")


def member_rows(data: bytes) -> list[dict[str, object]]:
    """The sheet's member rows as {header: value}."""
    sheet, head, columns = _table(load_workbook(io.BytesIO(data)))
    rows = []
    for line in range(head + 1, sheet.max_row + 1):
        if not sheet.cell(row=line, column=columns["Nomor Anggota"]).value:
            break
        rows.append({name: sheet.cell(row=line, column=c).value for name, c in columns.items()})
    return rows


def fill(data: bytes, values: dict[str, dict[str, object]], **top: object) -> bytes:
    """Type values into the sheet: {member number: {header: value}} and labelled top cells."""
    def change(book: Workbook) -> None:
        sheet, head, columns = _table(book)
        for line in range(head + 1, sheet.max_row + 1):
            number = sheet.cell(row=line, column=columns["Nomor Anggota"]).value
            for header, value in values.get(str(number), {}).items():
                sheet.cell(row=line, column=columns[header]).value = value
        for line in range(1, head):
            label = sheet.cell(row=line, column=1).value
            if label in top:
                sheet.cell(row=line, column=2).value = top[label]
    return edit(data, change)


def export_group(world: World) -> tuple[bytes, int]:
    """A running Kube financing, the teller on its first due date, the sheet for that day."""
    fid = world.running(world.group())
    world.go_to(facts(world.book.raw(), fid).schedule[0].due_on)
    return field_sheet.export_collection_sheet(world.teller, world.kube_id,
                                               world.teller.today), fid


def test_round_trip_posts_exactly_what_was_filled_in(world: World, demo: Book) -> None:
    data, fid = export_group(world)
    rows = member_rows(data)
    due = facts(demo.raw(), fid).schedule[0].amount
    # Given the expected instalments: the members' shares of what the Kube owes today
    assert sum(int(r["Angsuran Diharapkan"]) for r in rows) == due
    assert [r["No"] for r in rows] == list(range(1, len(rows) + 1))
    filled: dict[str, dict[str, object]] = {}
    for index, row in enumerate(rows):
        filled[str(row["Nomor Anggota"])] = {
            "Hadir (ya/tidak)": "tidak" if index == 1 else "ya",
            "Wajib": WAJIB * (index % 3), "Sukarela": "Rp5.000" if index % 2 else None,
            "IKS": 2_000, "Angsuran": row["Angsuran Diharapkan"]}
    data = fill(data, filled, **{"Masalah dibahas (jumlah)": 2,
                                 "Masalah terselesaikan (jumlah)": 1,
                                 "Keputusan": "Arisan pindah ke rumah Bu Ketua"})
    before = snapshot(demo)

    preview = field_sheet.import_collection_sheet(world.teller, data, dry_run=True)

    assert preview.ok and not preview.committed, preview.lines()
    assert snapshot(demo) == before
    assert len(preview.preview) == len(rows)
    report = field_sheet.import_collection_sheet(world.teller, data, dry_run=False)
    assert report.committed and report.journals
    conn = demo.raw()
    journal_id = conn.execute("SELECT id FROM journal WHERE doc_number = ?",
                              report.journals).fetchone()[0]
    posted = conn.execute(
        "SELECT m.number, a.code, l.credit - l.debit FROM journal_line l JOIN account a "
        "ON a.id = l.account_id LEFT JOIN member m ON m.id = l.member_id "
        "WHERE l.journal_id = ? AND a.code != '102'", (journal_id,)).fetchall()
    per_member: dict[tuple[str, str], int] = {}
    for number, code, credit in posted:  # murabahah margin moves 112 → 401: net it
        kind = {"302": "Wajib", "201": "Sukarela", "205": "IKS"}.get(code, "Angsuran")
        per_member[number, kind] = per_member.get((number, kind), 0) + credit
    expected = {(number, kind): {"Rp5.000": 5_000}.get(value, value)
                for number, cells in filled.items() for kind, value in cells.items()
                if kind != "Hadir (ya/tidak)" and value}
    assert per_member == expected
    (cash,) = conn.execute("SELECT l.debit FROM journal_line l JOIN account a ON a.id = "
                           "l.account_id WHERE l.journal_id = ? AND a.code = '102'",
                           (journal_id,)).fetchone()
    assert cash == sum(expected.values())
    # The meeting's attendance and notes are what the sheet said; the sheet is spent.
    meeting = conn.execute("SELECT id, problems_raised, problems_solved, decisions, journal_id "
                           "FROM kube_meeting WHERE kube_id = ? AND held_on = ?",
                           (world.kube_id, world.teller.today.isoformat())).fetchone()
    assert meeting[1:] == (2, 1, "Arisan pindah ke rumah Bu Ketua", journal_id)
    absent = conn.execute("SELECT m.number FROM kube_attendance a JOIN member m "
                          "ON m.id = a.member_id WHERE a.meeting_id = ? AND a.present = 0",
                          (meeting[0],)).fetchall()
    assert absent == [(rows[1]["Nomor Anggota"],)]
    assert facts(conn, fid).states[0].paid
    assert conn.execute("SELECT journal_id, imported_by IS NOT NULL FROM field_sheet"
                        ).fetchall() == [(journal_id, 1)]
    assert verify_book(demo.path).ok

    # When the same sheet comes back a second time, it is refused and nothing changes.
    after = snapshot(demo)
    with pytest.raises(ImportRefused, match="(?i)sudah diimpor|already imported") as refused:
        field_sheet.import_collection_sheet(world.teller, data, dry_run=False)
    assert report.journals[0] in str(refused.value)
    again = field_sheet.import_collection_sheet(world.teller, data, dry_run=True)
    assert not again.ok
    assert snapshot(demo) == after


def test_a_sheet_without_money_records_the_meeting(world: World, demo: Book) -> None:
    data = field_sheet.export_collection_sheet(world.teller, world.kube_id, END)
    numbers = [str(r["Nomor Anggota"]) for r in member_rows(data)]
    data = fill(data, {n: {"Hadir (ya/tidak)": "ya"} for n in numbers[:3]})
    if demo.raw().execute("SELECT 1 FROM kube_meeting WHERE kube_id = ? AND held_on = ?",
                          (world.kube_id, END.isoformat())).fetchone():
        pytest.skip("the demo already holds a meeting of this Kube today")
    report = field_sheet.import_collection_sheet(world.teller, data, dry_run=False)
    assert report.committed and not report.journals
    (present,) = demo.raw().execute(
        "SELECT count(*) FROM kube_attendance a JOIN kube_meeting m ON m.id = a.meeting_id "
        "WHERE m.kube_id = ? AND m.held_on = ? AND a.present = 1",
        (world.kube_id, END.isoformat())).fetchone()
    assert present == 3


def test_bad_cells_are_each_named_by_row_and_column(world: World, demo: Book) -> None:
    data, _fid = export_group(world)
    rows = member_rows(data)
    first, second = str(rows[0]["Nomor Anggota"]), str(rows[1]["Nomor Anggota"])
    data = fill(data, {
        first: {"Wajib": "sepuluh ribu", "Sukarela": 1500.5, "IKS": -2000},
        second: {"Wajib": 15_000, "Angsuran": 900_000_000, "Hadir (ya/tidak)": "mungkin"}})
    _sheet, head, _columns = _table(load_workbook(io.BytesIO(data)))
    before = snapshot(demo)

    report = field_sheet.import_collection_sheet(world.teller, data, dry_run=True)

    assert sorted((p.row, p.column) for p in report.problems) == sorted([
        (head + 1, "Wajib"), (head + 1, "Sukarela"), (head + 1, "IKS"),
        (head + 2, "Wajib"), (head + 2, "Angsuran"), (head + 2, "Hadir")]), report.lines()
    texts = {p.column: p.text() for p in report.problems if p.row == head + 1}
    assert "sepuluh ribu" in texts["Wajib"]
    assert texts["Wajib"].startswith((f"Baris {head + 1}, kolom Wajib",
                                      f"Row {head + 1}, column Wajib"))
    with pytest.raises(ImportRefused) as refused:
        field_sheet.import_collection_sheet(world.teller, data, dry_run=False)
    assert len(refused.value.report.problems) == 6
    assert snapshot(demo) == before


def test_a_member_who_left_is_refused(world: World, demo: Book) -> None:
    data = field_sheet.export_collection_sheet(world.teller, world.kube_id, END)
    rows = member_rows(data)
    leaver = demo.raw().execute("SELECT id FROM member WHERE number = ?",
                                (rows[0]["Nomor Anggota"],)).fetchone()[0]
    kube.remove_member(world.manager, world.kube_id, leaver, END)
    data = fill(data, {str(rows[0]["Nomor Anggota"]): {"Hadir (ya/tidak)": "ya", "IKS": 1000}})
    before = snapshot(demo)
    report = field_sheet.import_collection_sheet(world.teller, data, dry_run=True)
    assert [(p.column, "Kube" in p.message) for p in report.problems] == [
        ("Nomor Anggota", True)]
    assert snapshot(demo) == before


def test_a_sheet_for_another_kube_is_refused(world: World, demo: Book) -> None:
    conn = demo.raw()
    other_id, other_code = conn.execute(
        "SELECT k.id, k.code FROM kube k WHERE k.id != ? AND EXISTS (SELECT 1 FROM kube_member "
        "m WHERE m.kube_id = k.id AND m.left_on IS NULL) ORDER BY k.id LIMIT 1",
        (world.kube_id,)).fetchone()
    data = field_sheet.export_collection_sheet(world.teller, world.kube_id, END)
    before = snapshot(demo)
    # Imported from the other Kube's screen: refused.
    report = field_sheet.import_collection_sheet(world.teller, data, dry_run=True,
                                                 kube_id=other_id)
    assert [p.column for p in report.problems] == ["Kube"]

    # The file edited to name the other Kube: refused as well.
    def to_other(book: Workbook) -> None:
        book["bmt"]["B3"].value = other_id
        book["bmt"]["B4"].value = other_code
    edited = edit(data, to_other)
    with pytest.raises(ImportRefused, match="(?i)Kube"):
        field_sheet.import_collection_sheet(world.teller, edited, dry_run=False)
    assert snapshot(demo) == before


def test_unknown_or_changed_sheets_are_refused(world: World, demo: Book) -> None:
    data = field_sheet.export_collection_sheet(world.teller, world.kube_id, END)
    before = snapshot(demo)

    def new_id(book: Workbook) -> None:
        book["bmt"]["B2"].value = "00000000-0000-4000-8000-000000000000"

    def new_date(book: Workbook) -> None:
        book["bmt"]["B5"].value = (END - dt.timedelta(days=7)).isoformat()

    for change, column in ((new_id, "Id lembar"), (new_date, "Tanggal pertemuan")):
        report = field_sheet.import_collection_sheet(world.teller, edit(data, change),
                                                     dry_run=True)
        assert [p.column for p in report.problems] == [column]

    def no_hidden_sheet(book: Workbook) -> None:
        book.remove(book["bmt"])

    for bad in (b"", b"bukan lembar kerja", edit(data, no_hidden_sheet),
                b"PK\x03\x04 rusak"):
        with pytest.raises(ValidationError) as refused:
            field_sheet.import_collection_sheet(world.teller, bad, dry_run=False)
        assert "Traceback" not in refused.value.message
    assert snapshot(demo) == before


def test_a_sheet_for_a_later_meeting_waits(world: World, demo: Book) -> None:
    later = END + dt.timedelta(days=7)
    data = field_sheet.export_collection_sheet(world.teller, world.kube_id, later)
    report = field_sheet.import_collection_sheet(world.teller, data, dry_run=True)
    assert [p.column for p in report.problems] == ["Tanggal pertemuan"]


def test_money_needs_an_open_drawer_and_the_right_role(world: World, demo: Book) -> None:
    data = field_sheet.export_collection_sheet(world.teller, world.kube_id, END)
    first = str(member_rows(data)[0]["Nomor Anggota"])
    data = fill(data, {first: {"Hadir (ya/tidak)": "ya", "IKS": 2_000}})
    manager = world.manager  # no drawer open
    report = field_sheet.import_collection_sheet(manager, data, dry_run=True)
    assert any("laci" in p.message.lower() or "drawer" in p.message.lower()
               for p in report.problems)
    auditor = session_of(demo, "auditor")
    with pytest.raises(PermissionDenied):
        field_sheet.import_collection_sheet(auditor, data, dry_run=True)
    with pytest.raises(PermissionDenied):
        field_sheet.export_collection_sheet(auditor, world.kube_id, END)


def test_the_exported_sheet_protects_what_is_not_filled_in(world: World) -> None:
    data = field_sheet.export_collection_sheet(world.teller, world.kube_id, END)
    book = load_workbook(io.BytesIO(data))
    assert book["bmt"].sheet_state == "veryHidden"
    sheet, head, columns = _table(book)
    assert sheet.protection.sheet
    assert sheet.cell(row=head + 1, column=columns["Nomor Anggota"]).protection.locked
    assert sheet.cell(row=head + 1, column=columns["Wajib Diharapkan"]).protection.locked
    for name in ("Hadir (ya/tidak)", "Wajib", "Sukarela", "IKS", "Angsuran"):
        assert not sheet.cell(row=head + 1, column=columns[name]).protection.locked


def test_the_command_line_round_trip(demo_templates, tmp_path,  # noqa: ANN001
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    import shutil
    import sqlite3

    from bmt_desktop.cli import main
    from bmt_desktop.services.demo import DEMO_PASSWORD

    path = tmp_path / "demo.bmt"
    shutil.copyfile(demo_templates(40), path)
    today = dt.date.today().isoformat()
    conn = sqlite3.connect(path)
    code = conn.execute(
        "SELECT k.code FROM kube k WHERE k.status = 'aktif' AND NOT EXISTS (SELECT 1 FROM "
        "kube_meeting m WHERE m.kube_id = k.id AND m.held_on = ?) ORDER BY k.id LIMIT 1",
        (today,)).fetchone()[0]
    conn.close()
    monkeypatch.setenv("BMT_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "lembar.xlsx"
    export = ["export", "collection-sheet", "--db", str(path), "--kube", code, "--date", today,
              "--user", "kasir"]
    assert main([*export, "--out", str(tmp_path / "lembar.pdf")]) == 2
    assert main([*export[:-2], "--out", str(out)]) == 2  # the sheet's id needs a user
    assert main([*export, "--out", str(out)]) == 0
    first = str(member_rows(out.read_bytes())[0]["Nomor Anggota"])
    out.write_bytes(fill(out.read_bytes(), {first: {"Hadir (ya/tidak)": "ya"}}))
    base = ["import", "collection-sheet", str(out), "--db", str(path), "--user", "kasir"]
    assert main([*base, "--dry-run"]) == 0
    assert main(base) == 0
    capsys.readouterr()
    assert main(base) == 1  # the same sheet twice
    err = capsys.readouterr().err
    assert "diimpor" in err or "already imported" in err
    assert main(["verify", "--db", str(path)]) == 0
