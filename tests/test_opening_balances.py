"""Opening balances at the cut-over date from a real workbook: savings (accounts opened as
needed, journals of at most 400 lines), running financing with their remaining schedules,
Kube shares and other accounts, all against 309; bad rows each named, nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.services import kube, opening_balances
from bmt_desktop.services.financing_state import facts
from bmt_desktop.services.importing import ImportRefused
from bmt_desktop.services.kube import KubeInput
from bmt_desktop.services.members import MemberInput, register_member
from bmt_desktop.services.opening_balances import import_opening_balances
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from bmt_desktop.store.verify import verify_book
from tests.helpers.spreadsheets import snapshot, xlsx

CUT = dt.date(2026, 10, 31)
NIKS = ("3601145206790001", "3601140101800002", "3601145502850003", "3601140202810004",
        "3601144303820005")
SAVINGS = ["Anggota (NIK atau nomor)", "Nama", "Produk", "Saldo", "Jatuh Tempo (deposito)"]
FINANCING = ["Nomor Pembiayaan Lama", "Anggota (NIK atau nomor)", "Kube (kode)", "Produk",
             "Tujuan", "Margin % per Tahun", "Jatuh Tempo", "Pokok", "Margin", "Sisa Pokok"]
SHARES = ["Nomor Pembiayaan Lama", "Anggota (NIK atau nomor)", "Porsi Sisa Pokok"]
ACCOUNTS = ["Kode Akun", "Nama Akun", "Kube (kode)", "Debit", "Kredit"]


@pytest.fixture
def office(manager: Session, book: Book) -> Session:
    """Five members who joined in January and one Kube of three of them."""
    ids = [register_member(manager, MemberInput(f"Anggota {i}", nik, join_date="2026-01-05")
                           ).id for i, nik in enumerate(NIKS, start=1)]
    kube_id = kube.create_kube(manager, KubeInput("Kube Melati", formed_on="2026-01-10"))
    for member_id in ids[2:]:
        kube.add_member(manager, kube_id, member_id, "2026-01-10")
    return manager


def months(first: dt.date, n: int) -> list[dt.date]:
    return [dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1,
                    first.day) for i in range(n)]


def good_file() -> bytes:
    a, b, c, d, e = NIKS
    savings = [SAVINGS, [a, "Anggota 1", "SP", 100_000, None], [a, "", "SW", "Rp120.000", None],
               [a, "", "SS", "250.000", None], ["AG-000002", "", "SW", 50_000, None],
               ["AG-000002", "", "TM", 1_000_000, None],
               [a, "", "DM", 5_000_000, dt.datetime(2027, 3, 31)], [e, "", "ss", 75_000, None]]
    financing = [FINANCING] + [
        ["PB-17", a if i == 0 else None, None, "MRI" if i == 0 else None, "Modal warung",
         "15", due, 400_000, 50_000, 2_000_000 if i == 0 else None]
        for i, due in enumerate(months(dt.date(2026, 11, 25), 5))] + [
        ["PB-21", None, "KUBE-001", "MRK", "Usaha bersama", 18, due, 500_000, 60_000, None]
        for due in months(dt.date(2026, 11, 20), 4)]
    shares = [SHARES, ["PB-21", c, 700_000], ["PB-21", d, 700_000], ["PB-21", e, 600_000]]
    accounts = [ACCOUNTS, ["101", "Kas Besar", None, 5_000_000, None],
                [103, "Bank", None, "20.000.000", None], ["121", "", None, 15_000_000, None],
                ["122", "", None, None, 3_000_000], ["204", "", None, None, 1_000_000],
                ["205", "IKS", "KUBE-001", None, 300_000]]
    return xlsx(("Simpanan", savings), ("Pembiayaan", financing), ("Porsi Kube", shares),
                ("Akun", accounts))


def test_a_good_workbook_dry_run_then_posted(office: Session, book: Book) -> None:
    data = good_file()
    before = snapshot(book)

    report = import_opening_balances(office, data, CUT, dry_run=True)

    assert report.ok and not report.committed, report.lines()
    assert snapshot(book) == before
    assert len(report.preview) == 7 + 6 + 2

    done = import_opening_balances(office, data, CUT, dry_run=False, file_name="saldo.xlsx")

    assert done.committed
    conn = book.raw()
    balances = conn.execute(
        "SELECT m.number, p.code, s.balance, s.opened_on, s.maturity_date FROM savings_account "
        "s JOIN member m ON m.id = s.member_id JOIN savings_product p ON p.id = s.product_id "
        "ORDER BY m.number, p.id").fetchall()
    assert balances == [
        ("AG-000001", "SP", 100_000, "2026-10-31", None),
        ("AG-000001", "SW", 120_000, "2026-10-31", None),
        ("AG-000001", "SS", 250_000, "2026-10-31", None),
        ("AG-000001", "DM", 5_000_000, "2026-10-31", "2027-03-31"),
        ("AG-000002", "SW", 50_000, "2026-10-31", None),
        ("AG-000002", "TM", 1_000_000, "2026-10-31", None),
        ("AG-000005", "SS", 75_000, "2026-10-31", None)]
    journals = conn.execute("SELECT doc_number, date FROM journal ORDER BY id").fetchall()
    assert len(journals) == 4 and {d for _n, d in journals} == {"2026-10-31"}
    assert done.journals == [n for n, _d in journals]
    savings_total = 100_000 + 120_000 + 250_000 + 5_000_000 + 50_000 + 1_000_000 + 75_000
    others = 5_000_000 + 20_000_000 + 15_000_000 - 3_000_000 - 1_000_000 - 300_000
    (equity,) = conn.execute("SELECT balance FROM account WHERE code = '309'").fetchone()
    assert -equity == 2_000_000 + 2_000_000 + others - savings_total
    migrated = {number: facts(conn, fid) for fid, number in conn.execute(
        "SELECT f.id, json_extract(a.after, '$.original') FROM financing f JOIN audit_log a "
        "ON a.entity = 'financing' AND a.entity_id = CAST(f.id AS TEXT) "
        "AND a.action = 'financing.opening'")}
    assert (migrated["PB-17"].left_principal, migrated["PB-17"].left_margin) == (2_000_000,
                                                                                  250_000)
    assert migrated["PB-17"].schedule[0].due_on == dt.date(2026, 11, 25)
    assert migrated["PB-21"].kube_id is not None and len(migrated["PB-21"].schedule) == 4
    (iks,) = conn.execute("SELECT sum(credit) FROM journal_line WHERE kube_id IS NOT NULL"
                          ).fetchone()
    assert iks == 300_000
    assert any("309" in line for line in done.summary)
    assert verify_book(book.path).ok

    # The same file again: the accounts have balances, the financing exist; nothing changes.
    after = snapshot(book)
    with pytest.raises(ImportRefused) as refused:
        import_opening_balances(office, data, CUT, dry_run=False)
    columns = {(p.sheet, p.column) for p in refused.value.report.problems}
    assert ("Pembiayaan", "Nomor Pembiayaan Lama") in columns
    assert ("Simpanan", "Anggota (NIK atau nomor)") in columns  # balances already there
    assert ("Simpanan", "Saldo") in columns  # the same deposito
    assert ("", "") in columns and ("Akun", "") in columns  # the same file; accounts done
    edited = xlsx(("Akun", [ACCOUNTS, ["101", "", None, 1, None]]))
    report = import_opening_balances(office, edited, CUT, dry_run=True)
    assert [(p.sheet, p.row) for p in report.problems] == [("Akun", None)]
    assert snapshot(book) == after


def test_savings_are_posted_in_chunks(office: Session, book: Book,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opening_balances, "CHUNK_LINES", 3)
    rows = [SAVINGS] + [[nik, "", product, 10_000, None] for nik in NIKS
                        for product in ("SW", "SS")]
    report = import_opening_balances(office, xlsx(("Simpanan", rows)), CUT, dry_run=False)
    lines = book.raw().execute(
        "SELECT j.doc_number, count(*) FROM journal j JOIN journal_line l ON l.journal_id = "
        "j.id GROUP BY j.id ORDER BY j.id").fetchall()
    assert [n for n, _c in lines] == report.journals
    assert [c for _n, c in lines] == [3, 3, 3, 3, 3]  # two balances and 309 each
    assert verify_book(book.path).ok


def test_a_csv_file_holds_one_sheet(office: Session, book: Book) -> None:
    text = "Anggota;Produk;Saldo Awal\r\nAG-000001;SW;Rp100.000\r\nAG-000002;SS;1.250.000\r\n"
    report = import_opening_balances(office, text.encode("utf-8-sig"), CUT, dry_run=False,
                                     file_name="simpanan.csv")
    assert report.committed, report.lines()
    assert book.raw().execute("SELECT sum(balance) FROM savings_account").fetchone() == (
        1_350_000,)


def test_bad_rows_are_each_named_and_nothing_is_written(office: Session, book: Book) -> None:
    a, b, c, d, e = NIKS
    late = register_member(office, MemberInput("Anggota Baru", "3601140505900006")).number
    savings = [SAVINGS,
               ["3601145206790009", "", "SW", 10_000, None],    # 2: unknown NIK
               [a, "", "XX", 10_000, None],                     # 3: unknown product
               [a, "", "SS", "banyak", None],                   # 4: text in an amount
               [a, "", "SP", 0, None],                          # 5: zero
               [a, "", "DM", 1_000_000, None],                  # 6: deposito, no maturity
               [b, "", "SW", 10_000, "2027-01-01"],             # 7: maturity, not deposito
               [b, "", "SS", 10_000, None],                     # 8: good
               [b, "", "SS", 20_000, None],                     # 9: SS of b twice
               [late, "", "SW", 10_000, None]]                  # 10: joined after the cut
    dues = months(dt.date(2026, 11, 25), 3)
    financing = [FINANCING,
                 ["PB-1", a, None, "ZZZ", "x", None, dues[0], 100_000, 0, None],     # 2
                 ["PB-2", None, None, "MRI", "x", 12, dues[0], 100_000, 0, None],    # 3
                 ["PB-3", a, None, "MRI", "x", 12, dues[0], 400_000, 10_000, 900_000],  # 4
                 ["PB-3", None, None, None, None, None, dues[1], 400_000, 10_000, None],
                 ["PB-4", a, None, "MRI", "x", 12, CUT, 100_000, 0, None],           # 6
                 ["PB-5", a, None, "MRI", "x", 12, dues[0], 100_000, 0, None],       # 7
                 ["PB-5", b, None, None, None, None, dues[1], 100_000, 0, None],     # 8
                 ["PB-6", None, "KUBE-001", "MRK", "x", 18, dues[0], 900_000, 0, None],  # 9
                 ["PB-7", a, None, "MRI", "x", 12, "tanggal?", 100_000, 0, None]]    # 10
    shares = [SHARES, ["PB-6", c, 500_000], ["PB-6", d, 300_000],  # 800.000, not 900.000
              ["PB-9", e, 100_000]]                                 # 4: no such financing
    accounts = [ACCOUNTS, ["999", "", None, 1_000, None],           # 2: no such account
                ["201", "", None, None, 1_000],                     # 3: a savings account
                ["401", "", None, None, 1_000],                     # 4: income
                ["101", "", None, 1_000, 1_000],                    # 5: both sides
                ["205", "", None, None, 1_000],                     # 6: no Kube
                ["101", "", None, 2_000, None]]                     # 7: good
    data = xlsx(("Simpanan", savings), ("Pembiayaan", financing), ("Porsi Kube", shares),
                ("Akun", accounts))
    before = snapshot(book)

    report = import_opening_balances(office, data, CUT, dry_run=True)

    found = {(p.sheet, p.row, p.column) for p in report.problems}
    member, product = "Anggota (NIK atau nomor)", "Produk"
    expected = {
        ("Simpanan", 2, member), ("Simpanan", 3, product), ("Simpanan", 4, "Saldo"),
        ("Simpanan", 5, "Saldo"), ("Simpanan", 6, "Jatuh Tempo (deposito)"),
        ("Simpanan", 7, "Jatuh Tempo (deposito)"), ("Simpanan", 9, member),
        ("Simpanan", 10, member),
        ("Pembiayaan", 2, product), ("Pembiayaan", 3, member), ("Pembiayaan", 4, "Sisa Pokok"),
        ("Pembiayaan", 6, "Jatuh Tempo"), ("Pembiayaan", 8, member),
        ("Pembiayaan", 9, "Pokok"), ("Pembiayaan", 10, "Jatuh Tempo"),
        ("Porsi Kube", 4, "Nomor Pembiayaan Lama"),
        ("Akun", 2, "Kode Akun"), ("Akun", 3, "Kode Akun"), ("Akun", 4, "Kode Akun"),
        ("Akun", 5, "Debit"), ("Akun", 6, "Kube (kode)")}
    assert found == expected, "\n".join(report.lines())
    text = {(p.sheet, p.row): p.text() for p in report.problems}
    assert "Rp800.000" in text["Pembiayaan", 9] and "Rp900.000" in text["Pembiayaan", 9]
    assert "Rp800.000" in text["Pembiayaan", 4]  # the instalments add up to 800.000
    assert snapshot(book) == before
    with pytest.raises(ImportRefused):
        import_opening_balances(office, data, CUT, dry_run=False)
    assert snapshot(book) == before


def test_the_file_and_the_date_are_checked_first(office: Session, book: Book,
                                                 teller: Session) -> None:
    before = snapshot(book)
    with pytest.raises(ValidationError):
        import_opening_balances(office, good_file(), office.today + dt.timedelta(days=1),
                                dry_run=True)
    with pytest.raises(PermissionDenied):
        import_opening_balances(teller, good_file(), CUT, dry_run=True)
    for data in (b"", b"\x00\x01\x02garbage\x00" * 20, xlsx(("Lain", [["Apa", "Ini"], [1, 2]]))):
        with pytest.raises(ValidationError):
            import_opening_balances(office, data, CUT, dry_run=False)
    no_amount = xlsx(("Simpanan", [["Anggota (NIK atau nomor)", "Produk"], [NIKS[0], "SW"]]))
    report = import_opening_balances(office, no_amount, CUT, dry_run=True)
    assert [(p.row, p.column) for p in report.problems] == [(1, "Saldo")]
    assert snapshot(book) == before


def test_the_command_line(book_path, template_book, tmp_path,  # noqa: ANN001
                          monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from bmt_desktop.cli import main
    from bmt_desktop.store.book import open_book
    from tests.conftest import PASSWORD, session_of

    shutil.copyfile(template_book, book_path)
    with open_book(book_path) as opened:
        register_member(session_of(opened, "manajer"),
                        MemberInput("Ani", NIKS[0], join_date="2026-01-05"))
    monkeypatch.setenv("BMT_PASSWORD", PASSWORD)
    good = tmp_path / "saldo.xlsx"
    good.write_bytes(xlsx(("Simpanan", [SAVINGS, [NIKS[0], "", "SW", 50_000, None]])))
    bad = tmp_path / "salah.xlsx"
    bad.write_bytes(xlsx(("Simpanan", [SAVINGS, [NIKS[1], "", "SW", 50_000, None]])))
    base = ["import", "opening-balances", "--db", str(book_path), "--date", CUT.isoformat()]
    assert main([*base, str(good), "--user", "kasir"]) == 2  # a teller may not post journals
    assert main([*base, str(bad), "--user", "manajer"]) == 1
    err = capsys.readouterr().err
    assert NIKS[1] in err and ("baris 2" in err.lower() or "row 2" in err.lower())
    assert main([*base[:-1], "31-31-2026", str(good), "--user", "manajer"]) == 2
    assert main([*base, str(good), "--user", "manajer", "--dry-run"]) == 0
    assert main([*base, str(good), "--user", "manajer"]) == 0
    assert "JU-2026-000001" in capsys.readouterr().out
    assert main(["verify", "--db", str(book_path)]) == 0
