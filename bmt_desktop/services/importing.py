"""Moving in: spreadsheets (XLSX or CSV) read into tables, columns mapped to fields, every row
checked into a report of (row, column, problem), then one atomic import: all rows or none.

A dry run does the whole import inside a transaction and rolls it back, so it finds exactly
what the import would refuse and writes nothing. Members are imported here; opening balances
in ``opening_balances``, the Kube's field collection sheet in ``field_sheet``; cell values
are read by ``import_values``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bmt_desktop.domain.dates import check_posting_date, format_date_id
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.nik import check_nik_matches, parse_nik
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services import import_values as values
from bmt_desktop.services.members import STATUSES, MemberInput, register_member
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append

MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_BYTES = 50 * 1024 * 1024
IGNORED_SHEETS = ("petunjuk", "keterangan", "instructions")
Progress = Callable[[float], None]


# ------------------------------------------------------------------------------- tables
@dataclass(frozen=True)
class Field:
    """A column the import understands: its key, the template's Indonesian header, how its
    cells are read, and other headers that mean the same (compared without case or spaces)."""

    key: str
    header: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


@dataclass
class Table:
    """One sheet (or a CSV file): its header row and data rows with their row numbers."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[object]]]
    mapping: dict[int, str] = field(default_factory=dict)  # column index → field key
    section: str = ""  # which part of an import the table holds (opening balances)

    def value(self, cells: Sequence[object], key: str) -> object:
        for index, mapped in self.mapping.items():
            if mapped == key:
                return cells[index] if index < len(cells) else None
        return None

    def header_of(self, key: str, fields: Sequence[Field]) -> str:
        for index, mapped in self.mapping.items():
            if mapped == key:
                return self.headers[index]
        return next((f.header for f in fields if f.key == key), key)


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet's row number (the header is row 1); None: the file
    column: str
    message: str
    sheet: str = ""

    def text(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet {name}").format(name=self.sheet))
        if self.row is not None:
            where.append(_("row {row}").format(row=self.row))
        if self.column:
            where.append(_("column {column}").format(column=self.column))
        place = ", ".join(where)
        return f"{place[:1].upper()}{place[1:]}: {self.message}" if place else self.message


@dataclass
class ImportReport:
    """What an import (or its dry run) found and did; ``preview`` shows what is written."""

    kind: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    preview_columns: list[str] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    journals: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The report as text lines (command line, logs)."""
        return [*self.summary, *self.notes, *(p.text() for p in self.problems)]


class ImportRefused(ValidationError):
    """The import found problems and wrote nothing; ``report`` names each row and problem."""

    def __init__(self, report: ImportReport) -> None:
        head = _("Nothing was imported: {n} problems.").format(n=len(report.problems))
        shown = [p.text() for p in report.problems[:20]]
        more = len(report.problems) - len(shown)
        if more > 0:
            shown.append(_("… and {n} more.").format(n=more))
        super().__init__("\n".join([head, *shown]))
        self.report = report


class _Rollback(Exception):
    """Raised inside the import's transaction to undo a dry run or a refused import."""


@contextmanager
def atomic_import(session: Session, report: ImportReport, dry_run: bool) -> Iterator[None]:
    """Run the body in one transaction; keep it only when it is not a dry run and the report
    has no problems. A refused import raises ImportRefused, a dry run returns normally."""
    try:
        with session.book.transaction():
            yield
            if dry_run or report.problems:
                raise _Rollback
    except _Rollback:
        if report.problems and not dry_run:
            raise ImportRefused(report) from None
        return
    report.committed = True


# ------------------------------------------------------------------------------- reading
def read_path(path: str | Path) -> bytes:
    """A file's bytes, with an Indonesian message when it cannot be read."""
    target = Path(path).expanduser()
    if not target.is_file():
        raise ValidationError(_("There is no file {path}.").format(path=target))
    if target.stat().st_size > MAX_BYTES:
        raise ValidationError(_("{path} is larger than 50 MB; split it into smaller files.")
                              .format(path=target))
    try:
        return target.read_bytes()
    except OSError as error:
        raise ValidationError(_("{path} cannot be read: {reason}.").format(
            path=target, reason=error.strerror or error)) from None


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def load_tables(data: bytes, name: str = "") -> list[Table]:
    """The tables of an XLSX workbook (each visible sheet) or of a CSV file (one table)."""
    if not data or not data.strip():
        raise ValidationError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 50 MB; split it into smaller files."))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValidationError(_("This is an old Excel file (.xls). Open it in Excel or "
                                "LibreOffice and save it as .xlsx or .csv."))
    tables = _xlsx_tables(data) if is_xlsx(data) else [_csv_table(_decode(data),
                                                                   name or "CSV")]
    tables = [t for t in tables if t.headers]
    if not tables:
        raise ValidationError(_("The file has no header row: the first row names the columns."))
    return tables


def open_workbook(data: bytes):  # noqa: ANN201 - openpyxl.Workbook
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ValidationError(_("The file is not a readable XLSX workbook (damaged, or "
                                "another kind of file).")) from None


def _xlsx_tables(data: bytes) -> list[Table]:
    workbook = open_workbook(data)
    tables = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible" or values.norm(sheet.title) in IGNORED_SHEETS:
            continue
        if sheet.max_row > MAX_ROWS + 1:
            raise ValidationError(_("Sheet {name} has more than {n} rows.").format(
                name=sheet.title, n=MAX_ROWS))
        rows = [(number, list(cells)) for number, cells in enumerate(
            sheet.iter_rows(values_only=True, max_col=min(sheet.max_column, MAX_COLUMNS)),
            start=1)]
        tables.append(_table(sheet.title, rows))
    return tables


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise ValidationError(_("The file is not a spreadsheet: save it as .xlsx or .csv."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows writes "CSV" in the ANSI code page.
        text = data.decode("cp1252", errors="replace")
    if sum(1 for ch in text[:4096] if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\r\n\t")) \
            > 8:
        raise ValidationError(_("The file is not a spreadsheet: save it as .xlsx or .csv."))
    return text


def _csv_table(text: str, name: str) -> Table:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: _outside_quotes(first).count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
    if not counts[delimiter]:
        delimiter = ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise ValidationError(_("The CSV file cannot be read: check its quotation marks."
                                )) from None
    if len(records) > MAX_ROWS + 1:
        raise ValidationError(_("The file has more than {n} rows.").format(n=MAX_ROWS))
    return _table(name, [(number, list(cells[:MAX_COLUMNS]))
                         for number, cells in enumerate(records, start=1)])


def _outside_quotes(line: str) -> str:
    return re.sub(r'"[^"]*"', "", line)


def _table(name: str, rows: list[tuple[int, list[object]]]) -> Table:
    """The header is the first row filled about as wide as the table (title lines above it,
    as in an exported report, are passed over); empty rows are skipped."""
    filled = [(n, cells) for n, cells in rows if any(not values.blank(c) for c in cells)]
    if not filled:
        return Table(name, [], [])
    counts = [sum(1 for c in cells if not values.blank(c)) for _n, cells in filled[:30]]
    wide = max(1, min(2, max(counts)), (max(counts) + 1) // 2)
    start = next(i for i, count in enumerate(counts) if count >= wide)
    filled = filled[start:]
    _header_row, header = filled[0]
    width = max((i + 1 for i, c in enumerate(header) if not values.blank(c)), default=0)
    headers = [values.text(c) for c in header[:width]]
    data = [(n, (list(cells) + [None] * width)[:width]) for n, cells in filled[1:]
            if any(not values.blank(c) for c in cells[:width])]
    return Table(name, headers, data)


# ------------------------------------------------------------------------------- mapping
def guess_mapping(headers: Sequence[str], fields: Sequence[Field]) -> dict[int, str]:
    """Columns whose header names a field (case, spaces and punctuation ignored)."""
    names: dict[str, str] = {}
    for f in fields:
        for name in (f.key, f.header, *f.synonyms):
            names.setdefault(values.norm(name), f.key)
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        key = names.get(values.norm(header))
        if key is not None and key not in mapping.values():
            mapping[index] = key
    return mapping


def apply_mapping(table: Table, fields: Sequence[Field],
                  given: Mapping[int | str, str] | None = None) -> None:
    """Set the table's mapping: guessed from the headers, or as given ({column number or
    header: field key}; an empty key ignores the column)."""
    if given is None:
        if not table.mapping:
            table.mapping = guess_mapping(table.headers, fields)
        return
    known = {f.key for f in fields}
    mapping: dict[int, str] = {}
    for column, key in given.items():
        if isinstance(column, int):
            index = column
        else:
            wanted = values.norm(column)
            index = next((i for i, h in enumerate(table.headers) if values.norm(h) == wanted),
                         -1)
        if not 0 <= index < len(table.headers):
            raise ValidationError(_("The file has no column {column}.").format(
                column=str(column)[:40]))
        if key and key not in known:
            raise ValidationError(_("Unknown field {key}.").format(key=str(key)[:40]))
        if key:
            mapping[index] = key
    table.mapping = mapping


def mapping_problems(table: Table, fields: Sequence[Field], sheet: str | None = None
                     ) -> list[Problem]:
    """Required columns missing, or one field taken from two columns."""
    sheet = table.name if sheet is None else sheet
    problems = []
    taken: dict[str, int] = {}
    for index, key in sorted(table.mapping.items()):
        if key in taken:
            problems.append(Problem(1, table.headers[index], _(
                "this column and column {other} are both read as {field}.").format(
                other=table.headers[taken[key]], field=_field_header(fields, key)),
                sheet))
        taken.setdefault(key, index)
    for f in fields:
        if f.required and f.key not in taken:
            problems.append(Problem(1, f.header, _("the required column is missing."),
                                    sheet))
    return problems


def _field_header(fields: Sequence[Field], key: str) -> str:
    return next((f.header for f in fields if f.key == key), key)


def ignored_columns(table: Table) -> list[str]:
    return [h for i, h in enumerate(table.headers) if h and i not in table.mapping]


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------------- members
MEMBER_FIELDS: tuple[Field, ...] = (
    Field("name", "Nama", True, ("nama lengkap", "nama anggota", "name")),
    Field("nik", "NIK", True, ("no ktp", "nomor ktp", "no nik", "nomor nik",
                               "nomor induk kependudukan")),
    Field("sex", "Jenis Kelamin (L/P)", False, ("jenis kelamin", "jk", "l/p", "kelamin")),
    Field("birth_place", "Tempat Lahir", False, ("tmp lahir",)),
    Field("birth_date", "Tanggal Lahir", False, ("tgl lahir",)),
    Field("kk_number", "Nomor KK", False, ("no kk", "nomor kartu keluarga", "kk")),
    Field("rt", "RT"),
    Field("rw", "RW"),
    Field("desa", "Desa/Kelurahan", False, ("desa", "kelurahan")),
    Field("kecamatan", "Kecamatan"),
    Field("kabupaten", "Kabupaten/Kota", False, ("kabupaten", "kota")),
    Field("phone", "Telepon", False, ("telp", "no telp", "hp", "no hp", "nomor hp",
                                      "nomor telepon")),
    Field("occupation", "Pekerjaan"),
    Field("business_type", "Jenis Usaha", False, ("usaha",)),
    Field("household_size", "Jumlah Anggota Keluarga", False, ("jumlah jiwa",
                                                               "anggota keluarga")),
    Field("dtks", "Terdaftar DTKS (ya/tidak)", False, ("dtks", "terdaftar dtks")),
    Field("monthly_income", "Penghasilan per Bulan", False, ("penghasilan",
                                                             "pendapatan per bulan")),
    Field("heir", "Ahli Waris"),
    Field("join_date", "Tanggal Masuk", False, ("tgl masuk", "tanggal daftar",
                                                "tanggal bergabung")),
    Field("status", "Status (aktif/calon)", False, ("status",)),
)
_TEXT_FIELDS = ("name", "birth_place", "desa", "kecamatan", "kabupaten", "occupation",
                "business_type", "heir")
_DIGIT_FIELDS = ("kk_number", "rt", "rw", "phone")


def _member_input(table: Table, number: int, cells: list[object], today: dt.date,
                  problems: list[Problem]) -> MemberInput | None:
    """The member form's fields from one row; each unreadable cell is one problem."""
    found: dict[str, object] = {}
    start = len(problems)

    def read(key: str, reader: Callable[[object], object]) -> None:
        raw = table.value(cells, key)
        try:
            found[key] = reader(raw)
        except ValidationError as error:
            problems.append(Problem(number, table.header_of(key, MEMBER_FIELDS), error.message,
                                    ""))

    for key in _TEXT_FIELDS:
        read(key, values.text)
    for key in _DIGIT_FIELDS:
        read(key, values.digits_text)
    read("nik", values.digits_text)
    read("sex", lambda v: values.text(v).upper()[:1] if values.text(v) else "")
    read("birth_date", values.date_or_none)
    read("join_date", values.date_or_none)
    read("household_size", lambda v: values.whole_or_none(v, 1, 50))
    read("dtks", values.yes_no)
    read("monthly_income", values.amount_or_none)
    read("status", lambda v: _status(values.text(v).lower()))
    if not found.get("name") and "name" in found:
        problems.append(Problem(number, table.header_of("name", MEMBER_FIELDS),
                                _("the name is empty."), ""))
    if found.get("sex") and found["sex"] not in ("L", "P"):
        problems.append(Problem(number, table.header_of("sex", MEMBER_FIELDS),
                                _("Sex is L (male) or P (female)."), ""))
    if "nik" in found:
        try:
            info = parse_nik(str(found["nik"]), today=today)
            birth = found.get("birth_date")
            try:
                check_nik_matches(info, birth, None)  # type: ignore[arg-type]
            except ValidationError as error:
                problems.append(Problem(number, table.header_of("birth_date", MEMBER_FIELDS),
                                        error.message, ""))
            if found.get("sex") in ("L", "P") and found["sex"] != info.sex:
                problems.append(Problem(number, table.header_of("sex", MEMBER_FIELDS), _(
                    "The sex does not match the NIK, which says {sex}.").format(
                    sex=_("female") if info.sex == "P" else _("male")), ""))
            found["nik"] = info.nik
        except ValidationError as error:
            problems.append(Problem(number, table.header_of("nik", MEMBER_FIELDS),
                                    error.message, ""))
    joined = found.get("join_date")
    if isinstance(joined, dt.date):
        try:
            check_posting_date(joined, today)
        except ValidationError as error:
            problems.append(Problem(number, table.header_of("join_date", MEMBER_FIELDS),
                                    error.message, ""))
    if len(problems) > start:
        return None
    return MemberInput(**found)  # type: ignore[arg-type]


def _status(text: str) -> str:
    if not text:
        return "aktif"
    if text not in STATUSES or text == "keluar":
        raise ValidationError(_("the status is aktif or calon (a member who left is not "
                                "imported)."))
    return text


def import_members(session: Session, source: bytes | Sequence[Table], *, dry_run: bool,
                   mapping: Mapping[int | str, str] | None = None, file_name: str = "",
                   progress: Progress | None = None) -> ImportReport:
    """Register every member of the file, or none. Each row is checked (NIK valid and not
    twice in the file nor already in the book, required fields, dates, numbers); a dry run
    reports what the import would do and writes nothing; a refused import raises
    ImportRefused naming each row and problem."""
    session.require(Action.MEMBER_REGISTER)
    tables = load_tables(source, file_name) if isinstance(source, bytes) else list(source)
    table = tables[0]
    apply_mapping(table, MEMBER_FIELDS, mapping)
    report = ImportReport("members", rows=len(table.rows))
    report.preview_columns = [_("Row"), "Nama", "NIK", _("Birth date"), _("Address"),
                              "Status"]
    report.problems.extend(mapping_problems(table, MEMBER_FIELDS, sheet=""))
    if len(tables) > 1:
        report.notes.append(_("Only the first sheet ({name}) is read.").format(
            name=table.name))
    ignored = ignored_columns(table)
    if ignored:
        report.notes.append(_("Columns not read: {names}.").format(names=", ".join(ignored)))
    if not table.rows:
        report.problems.append(Problem(None, "", _("The file has no data rows under the "
                                                   "header."), ""))
    if report.problems:
        return _finish(report, dry_run)
    inputs: list[tuple[int, MemberInput]] = []
    first_row: dict[str, int] = {}
    for number, cells in table.rows:
        data = _member_input(table, number, cells, session.today, report.problems)
        if data is None:
            continue
        if data.nik in first_row:
            report.problems.append(Problem(number, table.header_of("nik", MEMBER_FIELDS), _(
                "NIK {nik} is also on row {row} of the file.").format(
                nik=data.nik, row=first_row[data.nik]), ""))
            continue
        first_row[data.nik] = number
        inputs.append((number, data))
    registered: list[str] = []
    with atomic_import(session, report, dry_run):
        for position, (number, data) in enumerate(inputs, start=1):
            try:
                member = register_member(session, data)
            except ValidationError as error:
                column = table.header_of("nik", MEMBER_FIELDS) if "NIK" in error.message \
                    else ""
                report.problems.append(Problem(number, column, error.message, ""))
                continue
            registered.append(member.number)
            report.preview.append([str(number), member.name, member.nik,
                                   _born(data), member.address, member.status])
            if progress is not None and position % 50 == 0:
                progress(position / len(inputs))
        if not report.problems and not dry_run:
            append(session.book.raw(), session.actor, "import.members", "import", None,
                   after={"file": file_name, "rows": len(inputs),
                          "first": registered[0] if registered else None,
                          "last": registered[-1] if registered else None})
    if report.committed:
        report.summary.append(_("{n} members registered: {first} to {last}.").format(
            n=len(registered), first=registered[0], last=registered[-1]) if registered
            else _("No members registered."))
    elif report.ok:
        report.summary.append(_("Dry run: {n} members can be registered; nothing was "
                                "written.").format(n=len(inputs)))
    return report


def _born(data: MemberInput) -> str:
    info = parse_nik(data.nik)
    return format_date_id(info.birth_date)


def _finish(report: ImportReport, dry_run: bool) -> ImportReport:
    if report.problems and not dry_run:
        raise ImportRefused(report)
    return report


# ------------------------------------------------------------------------------- templates
FIXED_TIME = dt.datetime(2026, 1, 1)


def stable_xlsx(workbook) -> bytes:  # noqa: ANN001 - openpyxl.Workbook
    """The workbook's bytes, the same on every run (fixed dates inside and in the zip)."""
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    workbook.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z",
                              data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)
    return out.getvalue()
