"""Importing members from XLSX and CSV: headers recognised, every row checked (NIK valid and
not twice, required fields, dates, numbers), a dry run that writes nothing, then all rows or
none. Bad files give a clear Indonesian message."""

from __future__ import annotations

import datetime as dt

import pytest

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.services import importing
from bmt_desktop.services.importing import ImportRefused, import_members, load_tables
from bmt_desktop.services.member_list import export_members
from bmt_desktop.services.members import MemberInput, register_member
from bmt_desktop.services.report_export import write_file
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from bmt_desktop.store.verify import verify_book
from tests.helpers.spreadsheets import snapshot, xlsx

HEADERS = [f.header for f in importing.MEMBER_FIELDS]
ANI = "3601145206790001"  # woman, born 12 June 1979
BUDI = "3601140101800002"  # man, born 1 January 1980
CICI = "3601145502850003"  # woman, born 15 February 1985


def row(**cells: object) -> list[object]:
    values = {"Nama": "Ani Suryani", "NIK": ANI}
    values.update({k.replace("_", " "): v for k, v in cells.items()})
    return [values.get(h, values.get(h.split(" (")[0])) for h in HEADERS]


def nik(serial: int) -> str:
    return f"360114{1 + serial % 28:02d}{1 + serial % 12:02d}{70 + serial % 30:02d}" \
           f"{serial:04d}"


def test_a_good_file_dry_run_then_import(teller: Session, book: Book) -> None:
    data = xlsx(("Anggota", [
        HEADERS,
        row(**{"Jenis Kelamin": "p", "Tanggal Lahir": dt.datetime(1979, 6, 12), "RT": 3,
               "RW": "1", "Desa/Kelurahan": "Sukajaya", "Telepon": "081234567890",
               "Jumlah Anggota Keluarga": 4, "Terdaftar DTKS": "ya",
               "Penghasilan per Bulan": "Rp1.500.000", "Tanggal Masuk": "02-01-2026"}),
        [None] * len(HEADERS),  # an empty row is skipped
        row(Nama="Budi Santoso", NIK=int(BUDI), **{"Tanggal Lahir": "1980-01-01",
                                                  "Penghasilan per Bulan": 750000,
                                                  "Status": "calon"}),
    ]))
    before = snapshot(book)

    report = import_members(teller, data, dry_run=True, file_name="anggota.xlsx")

    assert report.ok and not report.committed, report.lines()
    assert [r[1] for r in report.preview] == ["Ani Suryani", "Budi Santoso"]
    assert report.preview[0][0] == "2" and report.preview[1][0] == "4"
    assert snapshot(book) == before

    done = import_members(teller, data, dry_run=False, file_name="anggota.xlsx")

    assert done.committed and done.ok
    rows = book.raw().execute(
        "SELECT number, name, nik, sex, birth_date, rt, rw, phone, household_size, dtks, "
        "monthly_income, join_date, status FROM member ORDER BY id").fetchall()
    assert rows == [
        ("AG-000001", "Ani Suryani", ANI, "P", "1979-06-12", "003", "001", "081234567890", 4,
         1, 1_500_000, "2026-01-02", "aktif"),
        ("AG-000002", "Budi Santoso", BUDI, "L", "1980-01-01", "", "", "", None, 0, 750_000,
         "2026-11-29", "calon")]
    assert book.raw().execute("SELECT count(*) FROM audit_log WHERE action = 'import.members'"
                              ).fetchone() == (1,)
    assert "AG-000001" in done.summary[0]
    assert verify_book(book.path).ok


def test_csv_with_either_delimiter_and_encoding(teller: Session, book: Book) -> None:
    serial = 100
    for encoding in ("utf-8-sig", "utf-8", "cp1252"):
        for d in (";", ","):
            first, second = nik(serial), nik(serial + 1)
            serial += 2
            text = (f'NAMA LENGKAP{d}No. KTP{d}Tgl Lahir{d}Desa\r\n'
                    f'"Siti Aminah{d} S.Pd"{d}{first}{d}{d}Cadasari\r\n'
                    f'José Rizal{d}{second}{d}{d}Sukajaya\r\n')
            report = import_members(teller, text.encode(encoding), dry_run=False,
                                    file_name="a.csv")
            assert report.committed, (encoding, d, report.lines())
            assert book.raw().execute(
                "SELECT name, desa FROM member ORDER BY id DESC LIMIT 2").fetchall() == [
                ("José Rizal", "Sukajaya"), (f"Siti Aminah{d} S.Pd", "Cadasari")]
    tab = f"Nama\tNIK\r\nUmi\t{nik(200)}\r\n".encode("utf-16")  # Excel's "Unicode text"
    assert import_members(teller, tab, dry_run=False).committed


def test_an_explicit_mapping_reads_any_headers(teller: Session, book: Book) -> None:
    data = xlsx(("Data", [["Kolom A", "Kolom B", "Catatan"], ["Ani", ANI, "x"]]))
    refused = import_members(teller, data, dry_run=True)
    assert {(p.row, p.column) for p in refused.problems} == {(1, "Nama"), (1, "NIK")}
    report = import_members(teller, data, dry_run=False,
                            mapping={"Kolom A": "name", 1: "nik", "Catatan": ""})
    assert report.committed
    with pytest.raises(ValidationError, match="(?i)Kolom Z"):
        import_members(teller, data, dry_run=True, mapping={"Kolom Z": "name"})


def test_bad_rows_are_each_named_and_nothing_is_written(teller: Session, book: Book) -> None:
    register_member(teller, MemberInput("Cici Lestari", CICI))
    data = xlsx(("Anggota", [
        HEADERS,
        row(),                                                       # 2: good
        row(Nama="Dedi", NIK="3601140101800003"),                     # 3: good
        row(Nama="Ani Kembar"),                                      # 4: NIK of row 2
        row(Nama="Edi", NIK="1234"),                                 # 5: invalid NIK
        row(Nama="Fitri", NIK=CICI),                                 # 6: in the book
        row(Nama="", NIK=nik(7)),                                    # 7: no name
        row(Nama="Gita", NIK=nik(8), **{"Jumlah Anggota Keluarga": "empat"}),  # 8
        row(Nama="Hadi", NIK=nik(9), **{"Tanggal Lahir": "31-02-1980"}),      # 9
        row(Nama="Ida", NIK=BUDI, **{"Tanggal Lahir": "1981-01-01"}),          # 10
        row(Nama="Joko", NIK="3601140101800004", **{"Jenis Kelamin": "P"}),    # 11
        row(Nama="Kiki", NIK=nik(12), Status="keluar"),                        # 12
        row(Nama="Lala", NIK=nik(13), **{"Penghasilan per Bulan": "banyak"}),  # 13
        row(Nama="Mimi", NIK="3,60114E+15"),                                   # 14
        row(Nama="Nana", NIK=nik(15), **{"Tanggal Masuk": "2027-01-01"}),      # 15
    ]))
    before = snapshot(book)

    report = import_members(teller, data, dry_run=True)

    found = {(p.row, p.column) for p in report.problems}
    assert found == {(4, "NIK"), (5, "NIK"), (6, "NIK"), (7, "Nama"),
                     (8, "Jumlah Anggota Keluarga"), (9, "Tanggal Lahir"),
                     (10, "Tanggal Lahir"), (11, "Jenis Kelamin (L/P)"),
                     (12, "Status (aktif/calon)"), (13, "Penghasilan per Bulan"),
                     (14, "NIK"), (15, "Tanggal Masuk")}, report.lines()
    messages = {p.row: p.message for p in report.problems}
    assert "2" in messages[4] and "Cici Lestari" in messages[6]
    assert snapshot(book) == before
    with pytest.raises(ImportRefused) as refused:
        import_members(teller, data, dry_run=False)
    assert "Baris 4, kolom NIK" in str(refused.value) or "Row 4, column NIK" in str(
        refused.value)
    assert snapshot(book) == before


def test_missing_columns_and_empty_files(teller: Session, book: Book) -> None:
    before = snapshot(book)
    no_nik = import_members(teller, xlsx(("A", [["Nama", "Desa"], ["Ani", "Sukajaya"]])),
                            dry_run=True)
    assert [(p.row, p.column) for p in no_nik.problems] == [(1, "NIK")]
    header_only = import_members(teller, xlsx(("A", [HEADERS])), dry_run=True)
    assert not header_only.ok
    bad_files = {
        "empty": b"",
        "blank": b"  \r\n",
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "zip that is no workbook": b"PK\x03\x04" + b"\x00" * 100,
        "empty workbook": xlsx(("Kosong", [])),
    }
    for name, data in bad_files.items():
        with pytest.raises(ValidationError) as refused:
            import_members(teller, data, dry_run=False, file_name=name)
        assert refused.value.message and "Traceback" not in refused.value.message, name
    assert snapshot(book) == before


def test_a_few_hundred_rows_import_at_once(teller: Session, book: Book) -> None:
    rows = [["Nama", "NIK", "Desa"]] + [[f"Anggota {i}", nik(i), "Sukajaya"]
                                         for i in range(1, 301)]
    report = import_members(teller, xlsx(("Anggota", rows)), dry_run=False)
    assert report.committed
    assert book.raw().execute("SELECT count(*) FROM member").fetchone() == (300,)


def test_auditors_and_read_only_books_import_nothing(auditor: Session) -> None:
    with pytest.raises(PermissionDenied):
        import_members(auditor, xlsx(("A", [HEADERS, row()])), dry_run=True)


def test_templates_match_the_script() -> None:
    from bmt_desktop.services.import_templates import templates_dir
    from tools.make_templates import TEMPLATES, build

    for name in TEMPLATES:
        made = build(name)
        assert (templates_dir() / name).read_bytes() == made, \
            "run: python tools/make_templates.py"
        tables = load_tables(made, name)
        assert tables and all(t.headers for t in tables)


def test_the_members_list_exports_to_xlsx_and_csv(teller: Session, book: Book,
                                                  tmp_path) -> None:  # noqa: ANN001
    register_member(teller, MemberInput("Cici Lestari", CICI, rt="2"))
    for suffix in ("xlsx", "csv"):
        path = write_file(tmp_path / f"anggota.{suffix}",
                          export_members(teller, suffix))
        back = load_tables(path.read_bytes(), path.name)
        assert any("Cici Lestari" in [str(c) for c in cells] for t in back
                   for _n, cells in t.rows)


def test_the_command_line_imports_members(book_path, template_book, tmp_path,  # noqa: ANN001
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from bmt_desktop.cli import main
    from tests.conftest import PASSWORD

    shutil.copyfile(template_book, book_path)
    monkeypatch.setenv("BMT_PASSWORD", PASSWORD)
    good = tmp_path / "anggota.csv"
    good.write_text(f"Nama;NIK\r\nAni;{ANI}\r\nBudi;{BUDI}\r\n", encoding="utf-8-sig")
    bad = tmp_path / "salah.xlsx"
    bad.write_bytes(xlsx(("Anggota", [["Nama", "NIK"], ["Ani", ANI], ["Ani lagi", ANI]])))
    junk = tmp_path / "foto.xlsx"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    base = ["import", "members", "--db", str(book_path), "--user", "kasir"]

    def members() -> int:
        import sqlite3

        conn = sqlite3.connect(book_path)
        try:
            return conn.execute("SELECT count(*) FROM member").fetchone()[0]
        finally:
            conn.close()

    assert main([*base, str(good), "--dry-run"]) == 0
    assert members() == 0
    assert main([*base, str(bad)]) == 1
    err = capsys.readouterr().err
    assert "3" in err and "NIK" in err and members() == 0
    assert main([*base, str(junk)]) == 1
    assert main([*base, str(tmp_path / "tidak-ada.csv")]) == 2
    assert main(["import", "members", str(good), "--db", str(book_path)]) == 2  # no --user
    assert main([*base, str(good)]) == 0
    assert members() == 2
    assert "AG-000001" in capsys.readouterr().out
