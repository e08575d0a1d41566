"""The import templates in resources/templates: an empty sheet per part with the Indonesian
headers the import recognises, and a Petunjuk sheet (not read by the import) that explains
each column with an example. ``tools/make_templates.py`` writes them; a test checks that the
files are what this module makes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bmt_desktop.locator import resources_dir
from bmt_desktop.services.importing import MEMBER_FIELDS, Field, stable_xlsx
from bmt_desktop.services.opening_balances import SECTIONS

TEXT_COLUMNS = {"nik", "kk_number", "rt", "rw", "phone", "member", "account", "old_number"}

# Per column: (required, example, explanation) as the Petunjuk sheet shows them.
MEMBER_HELP = {
    "name": ("ya", "Ani Suryani", "nama lengkap sesuai KTP"),
    "nik": ("ya", "3601145206790001", "16 digit; diperiksa dan tidak boleh dua kali"),
    "sex": ("", "P", "L atau P; harus sesuai NIK"),
    "birth_place": ("", "Pandeglang", ""),
    "birth_date": ("", "12-06-1979", "harus sesuai NIK"),
    "kk_number": ("", "3601140101090001", "16 digit"),
    "rt": ("", "3", "sampai 3 digit"),
    "rw": ("", "1", "sampai 3 digit"),
    "desa": ("", "Sukajaya", ""),
    "kecamatan": ("", "Cadasari", ""),
    "kabupaten": ("", "Pandeglang", ""),
    "phone": ("", "081234567890", "sampai 15 digit"),
    "occupation": ("", "Pedagang sayur", ""),
    "business_type": ("", "Warung", ""),
    "household_size": ("", "4", "1 sampai 50 orang"),
    "dtks": ("", "ya", "ya atau tidak"),
    "monthly_income": ("", "1.500.000", "rupiah utuh"),
    "heir": ("", "Budi Santoso", ""),
    "join_date": ("", "02-01-2026", "kosong: hari ini"),
    "status": ("", "aktif", "aktif atau calon; kosong: aktif"),
}
BALANCE_HELP = {
    "savings": {
        "member": ("ya", "3601145206790001", "NIK atau nomor anggota (AG-000001)"),
        "name": ("", "Ani Suryani", "hanya untuk dibaca orang"),
        "product": ("ya", "SW", "kode produk simpanan: SP, SW, SS, TM, DM"),
        "balance": ("ya", "120.000", "saldo pada tanggal saldo awal, rupiah utuh"),
        "maturity": ("", "30-06-2027", "hanya deposito: wajib diisi"),
        "old_number": ("", "TAB-0017", "nomor rekening di buku lama"),
    },
    "financing": {
        "old_number": ("ya", "PB-17", "satu baris per angsuran yang tersisa"),
        "member": ("", "3601145206790001", "NIK atau nomor anggota; atau isi Kube"),
        "kube": ("", "KUBE-001", "pembiayaan kelompok; porsi di lembar Porsi Kube"),
        "product": ("ya", "MRI", "kode produk pembiayaan"),
        "purpose": ("", "Modal warung", ""),
        "goods": ("", "Etalase", ""),
        "rate": ("", "15", "margin setahun dalam persen"),
        "nisbah": ("", "40", "bagian BMT (mudharabah, musyarakah)"),
        "due": ("ya", "31-12-2026", "tanggal jatuh tempo angsuran"),
        "principal": ("ya", "400.000", "pokok angsuran"),
        "margin": ("", "50.000", "margin angsuran"),
        "principal_left": ("", "2.000.000", "kontrol: jumlah pokok semua angsuran"),
        "margin_left": ("", "250.000", "kontrol: jumlah margin semua angsuran"),
    },
    "shares": {
        "old_number": ("ya", "PB-21", "nomor pembiayaan Kube di lembar Pembiayaan"),
        "member": ("ya", "AG-000003", "NIK atau nomor anggota Kube"),
        "share": ("ya", "500.000", "sisa pokok bagian anggota; jumlahnya = sisa pokok"),
    },
    "accounts": {
        "account": ("ya", "101", "akun neraca selain simpanan, pembiayaan, 102 dan 309"),
        "name": ("", "Kas Besar", "hanya untuk dibaca orang"),
        "kube": ("", "KUBE-001", "hanya akun 205 dan 206 (dana Kube)"),
        "debit": ("", "5.000.000", "isi debit atau kredit"),
        "credit": ("", "", ""),
        "memo": ("", "Kas di brankas", ""),
    },
}
TEMPLATES = ("anggota.xlsx", "saldo_awal.xlsx")


def templates_dir() -> Path:
    return resources_dir() / "templates"


def _sheet(book, title: str, fields: Sequence[Field]) -> None:  # noqa: ANN001 - Workbook
    from openpyxl.styles import Font, PatternFill

    sheet = book.create_sheet(title)
    sheet.append([f.header for f in fields])
    for index, f in enumerate(fields, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE8E2")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, min(32, len(f.header) + 4))
        if f.key in TEXT_COLUMNS:  # keep 16 digits and leading zeros as typed
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"


def _help(book, parts: Sequence[tuple[str, Sequence[Field], dict]]) -> None:  # noqa: ANN001
    from openpyxl.styles import Font

    sheet = book.create_sheet("Petunjuk")
    sheet.append(["Lembar ini tidak dibaca saat impor. Baris pertama tiap lembar data adalah "
                  "judul kolom; urutan kolom bebas; kolom yang tidak dikenal diabaikan."])
    sheet.append([])
    for title, fields, help_text in parts:
        sheet.append([f"Lembar {title}"])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append(["Kolom", "Wajib", "Contoh", "Keterangan"])
        for f in fields:
            required, example, note = help_text.get(f.key, ("", "", ""))
            sheet.append([f.header, "ya" if f.required else required, example, note])
        sheet.append([])
    for letter, width in zip("ABCD", (30, 8, 22, 60), strict=True):
        sheet.column_dimensions[letter].width = width


def build(name: str) -> bytes:
    """The template's bytes, the same on every run."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    if name == "anggota.xlsx":
        _sheet(book, "Anggota", MEMBER_FIELDS)
        _help(book, [("Anggota", MEMBER_FIELDS, MEMBER_HELP)])
    elif name == "saldo_awal.xlsx":
        for title, fields in SECTIONS.values():
            _sheet(book, title, fields)
        _help(book, [(title, fields, BALANCE_HELP[section])
                     for section, (title, fields) in SECTIONS.items()])
    else:
        raise ValueError(name)
    return stable_xlsx(book)
