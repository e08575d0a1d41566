"""The layout of a Kube's field collection sheet (XLSX): written for the field mentor, read
back when the filled sheet returns.

The sheet's id, Kube and date sit in a very hidden sheet ``bmt`` (and, for people, in locked
cells at the top); only the cells to fill in are unlocked: hadir, wajib, sukarela, iks,
angsuran, catatan and the meeting's problems and decisions. Columns are found by their
headers, so a sheet whose columns were moved still reads.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.i18n import _
from bmt_desktop.services import import_values as values

MARK = "bmt-desktop/lembar-tagihan"
FORMAT = 1
HIDDEN = "bmt"
TITLE = "Lembar Tagihan"
COLUMNS = ("No", "Nomor Anggota", "Nama", "Wajib Diharapkan", "Angsuran Diharapkan",
           "IKS Diharapkan", "Hadir (ya/tidak)", "Wajib", "Sukarela", "IKS", "Angsuran",
           "Catatan")
FILLED = ("hadir", "wajib", "sukarela", "iks", "angsuran", "catatan")
_KEYS = ("no", "member", "name", "expected_wajib", "expected_angsuran", "expected_iks",
         *FILLED)
LABELS = {"kube": "Kube", "date": "Tanggal pertemuan", "id": "Id lembar",
          "raised": "Masalah dibahas (jumlah)", "solved": "Masalah terselesaikan (jumlah)",
          "problems": "Masalah", "solutions": "Penyelesaian", "decisions": "Keputusan"}
INSTRUCTION = ("Isi kolom Hadir (ya/tidak), Wajib, Sukarela, IKS dan Angsuran dalam rupiah "
               "utuh (10000 atau 10.000; kosong = 0). Jangan mengubah kolom lain. Lembar ini "
               "hanya dapat diimpor satu kali.")


@dataclass(frozen=True)
class ExpectedRow:
    member_id: int
    number: str
    name: str
    wajib: int
    angsuran: int
    iks: int
    note: str = ""


@dataclass(frozen=True)
class SheetHeader:
    sheet_id: str
    office: str
    kube_id: int
    kube_code: str
    kube_name: str
    meeting_date: dt.date
    exported: str  # who and when, for people


def write_sheet(header: SheetHeader, rows: list[ExpectedRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = TITLE
    bold = Font(bold=True)
    open_cell = Protection(locked=False)
    fill = PatternFill("solid", fgColor="FFF4CE")
    sheet["A1"] = "LEMBAR TAGIHAN PERTEMUAN KUBE"
    sheet["A1"].font = Font(bold=True, size=13)
    top = [("Kantor", header.office),
           (LABELS["kube"], f"{header.kube_code} · {header.kube_name}"),
           (LABELS["date"], header.meeting_date),
           (LABELS["id"], header.sheet_id),
           ("Dibuat", header.exported),
           (LABELS["raised"], None), (LABELS["solved"], None),
           (LABELS["problems"], None), (LABELS["solutions"], None),
           (LABELS["decisions"], None)]
    for row, (label, value) in enumerate(top, start=2):
        sheet.cell(row=row, column=1, value=label).font = bold
        cell = sheet.cell(row=row, column=2, value=value)
        if label == LABELS["date"]:
            cell.number_format = "DD-MM-YYYY"
            sheet.cell(row=row, column=3, value=format_date_id(header.meeting_date,
                                                               weekday=True))
        if value is None:
            cell.protection = open_cell
            cell.fill = fill
            if label in (LABELS["problems"], LABELS["solutions"], LABELS["decisions"]):
                sheet.merge_cells(start_row=row, start_column=2, end_row=row,
                                  end_column=len(COLUMNS))
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    head = len(top) + 3
    for column, text in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=head, column=column, value=text)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDE8E2")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    hadir = DataValidation(type="list", formula1='"ya,tidak"', allow_blank=True,
                           errorTitle="Hadir", error="Tulis ya atau tidak.")
    money = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                           allow_blank=True, errorTitle="Rupiah",
                           error="Tulis jumlah rupiah utuh, 0 atau lebih.")
    sheet.add_data_validation(hadir)
    sheet.add_data_validation(money)
    for number, row in enumerate(rows, start=1):
        line = head + number
        cells = (number, row.number, row.name, row.wajib, row.angsuran, row.iks, None, None,
                 None, None, None, row.note or None)
        for column, value in enumerate(cells, start=1):
            cell = sheet.cell(row=line, column=column, value=value)
            if 4 <= column <= 11:
                cell.number_format = "#,##0"
            if column >= 7:
                cell.protection = open_cell
                cell.fill = fill
        hadir.add(f"G{line}")
        money.add(f"H{line}:K{line}")
    total = head + len(rows) + 1
    sheet.cell(row=total, column=3, value="Jumlah").font = bold
    for column in (4, 5, 6, 8, 9, 10, 11):
        letter = sheet.cell(row=head, column=column).column_letter
        cell = sheet.cell(row=total, column=column,
                          value=f"=SUM({letter}{head + 1}:{letter}{head + len(rows)})")
        cell.font = bold
        cell.number_format = "#,##0"
    sheet.cell(row=total + 2, column=1, value=INSTRUCTION).alignment = Alignment(
        wrap_text=False)
    for letter, width in zip("ABCDEFGHIJKL", (24, 16, 28, 12, 12, 12, 10, 12, 12, 12, 12, 24),
                             strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.row_dimensions[head].height = 32
    sheet.freeze_panes = sheet.cell(row=head + 1, column=4)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.print_title_rows = f"{head}:{head}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    hidden = book.create_sheet(HIDDEN)
    for row, (key, value) in enumerate((
            (MARK, FORMAT), ("id", header.sheet_id), ("kube_id", header.kube_id),
            ("kube", header.kube_code), ("tanggal", header.meeting_date.isoformat())), start=1):
        hidden.cell(row=row, column=1, value=key)
        hidden.cell(row=row, column=2, value=value)
    hidden.sheet_state = "veryHidden"
    hidden.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------- reading
@dataclass
class FilledRow:
    row: int  # the spreadsheet's row number
    cells: dict[str, object]


@dataclass
class FilledSheet:
    sheet_id: str
    kube_id: object
    kube_code: str
    meeting_date: str
    shown: dict[str, object] = field(default_factory=dict)  # the labelled cells at the top
    header_row: int = 0
    missing: list[str] = field(default_factory=list)  # columns to fill that are not there
    rows: list[FilledRow] = field(default_factory=list)


def read_sheet(data: bytes) -> FilledSheet:
    """The filled sheet's id, Kube, date and rows; refuse a file that is not one."""
    from bmt_desktop.services.importing import is_xlsx, open_workbook

    not_sheet = ValidationError(_("The file is not a collection sheet exported by BMT Desktop "
                                  "(it has no sheet id)."))
    if not data or not data.strip():
        raise ValidationError(_("The file is empty."))
    if not is_xlsx(data):
        raise not_sheet
    book = open_workbook(data)
    if HIDDEN not in book.sheetnames:
        raise not_sheet
    hidden = {values.text(a): b for a, b in book[HIDDEN].iter_rows(max_col=2, values_only=True)}
    if MARK not in hidden:
        raise not_sheet
    if values.whole_or_none(hidden[MARK], 1, 1000) != FORMAT:
        raise ValidationError(_("The collection sheet was made by another version of BMT "
                                "Desktop; export it again."))
    main = next((s for s in book.worksheets if s.title != HIDDEN), None)
    if main is None:
        raise not_sheet
    found = FilledSheet(values.text(hidden.get("id")), hidden.get("kube_id"),
                        values.text(hidden.get("kube")), values.text(hidden.get("tanggal")))
    wanted = {values.norm(label): key for key, label in LABELS.items()}
    columns = {values.norm(c): key for c, key in zip(COLUMNS, _KEYS, strict=True)}
    index: dict[str, int] = {}
    for number, cells in enumerate(main.iter_rows(values_only=True, max_col=40), start=1):
        cells = list(cells)
        if not found.header_row:
            key = wanted.get(values.norm(cells[0] if cells else None))
            if key is not None:
                found.shown[key] = cells[1] if len(cells) > 1 else None
                continue
            if any(values.norm(c) == "nomoranggota" for c in cells):
                found.header_row = number
                index = {columns[values.norm(c)]: i for i, c in enumerate(cells)
                         if values.norm(c) in columns}
            continue
        member = cells[index["member"]] if "member" in index else None
        if values.blank(member):
            break  # the total row and the instruction follow the members
        found.rows.append(FilledRow(number, {key: cells[i] for key, i in index.items()}))
    if not found.header_row:
        raise ValidationError(_("The collection sheet has no member table (the header row "
                                "with Nomor Anggota is missing)."))
    found.missing = [label for label, key in zip(COLUMNS, _KEYS, strict=True)
                     if key in FILLED[:5] and key not in index]
    return found
