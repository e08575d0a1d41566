"""The import wizard: choose a file and what it holds, see its columns and rows with the field
each column is read as (change it where the header was not recognised), check it with a dry
run whose report names each row and problem, then import it in one step.

Everything is read and written on the serial worker; a long import shows the worker's
progress bar. The file dialogs are module functions so that tests can answer them.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.permissions import Action, is_allowed
from bmt_desktop.gui import dialogs
from bmt_desktop.gui.tabs.kube_common import HINT_STYLE, DateField, table_view, text_label
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import ERROR_STYLE, GOOD_STYLE, error_text
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import field_sheet, import_values, importing, opening_balances
from bmt_desktop.services.field_sheet_xlsx import HIDDEN
from bmt_desktop.services.import_templates import templates_dir
from bmt_desktop.services.importing import Field, ImportRefused, ImportReport, Problem, Table
from bmt_desktop.services.session import Session

KINDS = ("members", "opening_balances", "collection_sheet")
PERMISSION = {"members": Action.MEMBER_REGISTER, "opening_balances": Action.JOURNAL_POST,
              "collection_sheet": Action.KUBE_MEETING}
TEMPLATE = {"members": "anggota.xlsx", "opening_balances": "saldo_awal.xlsx"}
SHEET_FILTER = "Spreadsheets (*.xlsx *.csv *.txt);;All files (*)"
PREVIEW_ROWS = 50


def kind_label(kind: str) -> str:
    return {"members": _("Members"), "opening_balances": _("Opening balances"),
            "collection_sheet": _("Kube collection sheet (filled in)")}[kind]


def choose_file(parent: QWidget | None) -> str | None:
    path, _filter = QFileDialog.getOpenFileName(parent, _("Choose the file to import"), "",
                                                _(SHEET_FILTER))
    return path or None


def choose_save_path(parent: QWidget | None, title: str, name: str,
                     file_filter: str) -> str | None:
    path, _filter = QFileDialog.getSaveFileName(parent, title, name, file_filter)
    return path or None


# ------------------------------------------------------------------------------- worker side
def read_file(path: str) -> tuple[bytes, list[Table]]:
    """The file's bytes and its tables (none for a collection sheet, read by its service)."""
    data = importing.read_path(path)
    tables = [] if _is_sheet(data) else importing.load_tables(data, Path(path).name)
    return data, tables


def _is_sheet(data: bytes) -> bool:
    """An exported collection sheet: an XLSX whose workbook names the hidden sheet."""
    if not importing.is_xlsx(data):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = archive.read("xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    return f'name="{HIDDEN}"'.encode() in workbook


def fields_of(kind: str, table: Table) -> tuple[Field, ...]:
    if kind == "members":
        return importing.MEMBER_FIELDS
    section = table.section or opening_balances.section_of(table) or ""
    return opening_balances.SECTIONS[section][1] if section else ()


def run_import(session: Session, kind: str, data: bytes, tables: list[Table], *,
               dry_run: bool, cut_over: dt.date | None = None, kube_id: int | None = None,
               file_name: str = "", progress: Callable[[float], None] | None = None
               ) -> ImportReport:
    """One import (or its dry run); a refused import comes back as its report."""
    try:
        if kind == "members":
            return importing.import_members(session, tables, dry_run=dry_run,
                                            file_name=file_name, progress=progress)
        if kind == "opening_balances":
            if cut_over is None:
                raise ValidationError(_("Give the cut-over date."))
            return opening_balances.import_opening_balances(
                session, tables, cut_over, dry_run=dry_run, file_name=file_name,
                digest=importing.file_digest(data), progress=progress)
        return field_sheet.import_collection_sheet(session, data, dry_run=dry_run,
                                                   kube_id=kube_id)
    except ImportRefused as refused:
        return refused.report


# ------------------------------------------------------------------------------- the dialog
class ImportDialog(QDialog):
    """Choose a file, map its columns, check it (dry run), import it."""

    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None, *,
                 kind: str = "members", kube_id: int | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker, self.kube_id = session, worker, kube_id
        self.data: bytes = b""
        self.tables: list[Table] = []
        self.path = ""
        self.report: ImportReport | None = None
        self.busy = False
        self.done_importing = False
        self.setWindowTitle(_("Import from a spreadsheet"))

        self.kind = QComboBox()
        for key in KINDS:
            if is_allowed(session.role, PERMISSION[key]) or key == kind:
                self.kind.addItem(kind_label(key), key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.file = QLineEdit()
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(_("No file chosen"))
        self.choose_button = QPushButton(_("Choose file…"))
        self.choose_button.clicked.connect(self.choose)
        self.template_button = QPushButton(_("Save the template…"))
        self.template_button.clicked.connect(self.save_template)
        self.cut_over_label = QLabel(_("Cut-over date:"))
        self.cut_over = DateField(_month_end_before(session.today))
        step1 = QGroupBox(_("1. File"))
        grid = QGridLayout(step1)
        grid.addWidget(QLabel(_("What the file holds:")), 0, 0)
        grid.addWidget(self.kind, 0, 1)
        grid.addWidget(self.cut_over_label, 0, 2)
        grid.addWidget(self.cut_over, 0, 3)
        grid.addWidget(self.template_button, 0, 5)
        grid.addWidget(QLabel(_("File:")), 1, 0)
        grid.addWidget(self.file, 1, 1, 1, 4)
        grid.addWidget(self.choose_button, 1, 5)
        grid.setColumnStretch(4, 1)

        self.sheet = QComboBox()
        self.sheet.currentIndexChanged.connect(self._show_table)
        self.sheet_label = QLabel(_("Sheet:"))
        self.columns_hint = text_label(HINT_STYLE)
        self.grid = QTableWidget()
        self.grid.setAlternatingRowColors(True)
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.step2 = step2 = QGroupBox(_("2. Columns and preview"))
        column = QVBoxLayout(step2)
        top = QHBoxLayout()
        top.addWidget(self.sheet_label)
        top.addWidget(self.sheet)
        top.addWidget(self.columns_hint, 1)
        column.addLayout(top)
        column.addWidget(self.grid, 1)

        self.check_button = QPushButton(_("Check (dry run)"))
        self.check_button.clicked.connect(self.check)
        self.import_button = QPushButton(_("Import"))
        self.import_button.clicked.connect(self.run)
        self.summary = text_label()
        self.summary.setObjectName("importSummary")
        self.problems = RowsModel([
            Column(_("Sheet"), lambda p: p.sheet),
            Column(_("Row"), lambda p: "" if p.row is None else str(p.row),
                   lambda p: -1 if p.row is None else p.row, numeric=True),
            Column(_("Column"), lambda p: p.column),
            Column(_("Problem"), lambda p: p.message[:1].upper() + p.message[1:])], self)
        self.problem_view = table_view(self.problems, 3)
        self.problem_view.setWordWrap(True)
        self.written = QTableWidget()
        self.written.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.written.setAlternatingRowColors(True)
        self.written.verticalHeader().setVisible(False)
        self.written.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.results = QTabWidget()
        self.results.addTab(self.problem_view, _("Problems"))
        self.results.addTab(self.written, _("What is written"))
        self.step3 = step3 = QGroupBox(_("3. Check and import"))
        column = QVBoxLayout(step3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.summary, 1)
        column.addLayout(buttons)
        column.addWidget(self.results, 1)

        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(step1)
        layout.addWidget(step2, 3)
        layout.addWidget(step3, 2)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)
        self.resize(1080, 760)
        self._kind_changed()

    # ------------------------------------------------------------------ state
    @property
    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _kind_changed(self) -> None:
        kind = self.current_kind
        for widget in (self.cut_over_label, self.cut_over):
            widget.setVisible(kind == "opening_balances")
        self.template_button.setVisible(kind in TEMPLATE)
        self.step2.setVisible(kind != "collection_sheet")
        self.step3.setTitle(_("2. Check and import") if kind == "collection_sheet"
                            else _("3. Check and import"))
        self._forget_report()
        for table in self.tables:  # read the columns afresh for what the file now holds
            table.mapping, table.section = {}, ""
        if self.data:
            self._loaded((self.data, self.tables))

    def _forget_report(self) -> None:
        self.report = None
        self.problems.set_rows([])
        self.written.clear()
        self.written.setRowCount(0)
        self.written.setColumnCount(0)
        self.summary.clear()
        self._enable()

    def _enable(self) -> None:
        ready = bool(self.data) and not self.busy and not self.done_importing
        self.check_button.setEnabled(ready)
        self.import_button.setEnabled(ready and self.report is not None and self.report.ok)
        self.choose_button.setEnabled(not self.busy)
        self.kind.setEnabled(not self.busy and not self.done_importing)

    # ------------------------------------------------------------------ the file
    def choose(self) -> None:
        path = choose_file(self)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> None:
        self.path = path
        self.file.setText(path)
        self.data, self.tables = b"", []
        self.done_importing = False
        self._forget_report()
        self.busy = True
        self._enable()
        self.worker.submit(read_file, path, on_done=self._loaded, on_error=self._failed,
                           label=_("Reading the file…"), parent=self)

    @when_alive
    def _loaded(self, result: tuple[bytes, list[Table]]) -> None:
        self.busy = False
        self.data, self.tables = result
        sheet_kind = self.kind.findData("collection_sheet")
        if not self.tables and self.current_kind != "collection_sheet" and sheet_kind >= 0:
            self.kind.blockSignals(True)
            self.kind.setCurrentIndex(sheet_kind)
            self.kind.blockSignals(False)
            self._kind_changed()
            return
        self.sheet.blockSignals(True)
        self.sheet.clear()
        for table in self.tables:
            if self.current_kind == "opening_balances":
                table.section = table.section or opening_balances.section_of(table) or ""
            fields = fields_of(self.current_kind, table)
            importing.apply_mapping(table, fields)
            self.sheet.addItem(table.name)
        self.sheet.blockSignals(False)
        several = len(self.tables) > 1
        self.sheet.setVisible(several)
        self.sheet_label.setVisible(several)
        self._show_table()
        self._enable()
        if self.current_kind == "collection_sheet":
            self.check()

    @when_alive
    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self._enable()
        self.summary.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.summary.setText(error_text(error))

    def current_table(self) -> Table | None:
        index = self.sheet.currentIndex()
        return self.tables[index] if 0 <= index < len(self.tables) else None

    def _show_table(self) -> None:
        table = self.current_table()
        self.grid.clear()
        if self.current_kind == "collection_sheet" or table is None:
            self.grid.setRowCount(0)
            self.grid.setColumnCount(0)
            self.columns_hint.setText(_("A collection sheet is read as it was exported; "
                                        "its rows are shown under What is written."))
            return
        fields = fields_of(self.current_kind, table)
        rows = table.rows[:PREVIEW_ROWS]
        self.grid.setColumnCount(len(table.headers))
        self.grid.setRowCount(len(rows) + 1)
        self.grid.setHorizontalHeaderLabels(table.headers)
        self.grid.setVerticalHeaderLabels([_("Read as"), *(str(n) for n, _c in rows)])
        for index in range(len(table.headers)):
            combo = QComboBox()
            combo.addItem(_("— not read —"), "")
            for f in fields:
                combo.addItem(f.header + (" *" if f.required else ""), f.key)
            combo.setCurrentIndex(max(0, combo.findData(table.mapping.get(index, ""))))
            combo.currentIndexChanged.connect(
                lambda _i, c=index, box=combo: self._map(c, str(box.currentData())))
            self.grid.setCellWidget(0, index, combo)
        for line, (_number, cells) in enumerate(rows, start=1):
            for index, value in enumerate(cells[:len(table.headers)]):
                self.grid.setItem(line, index, QTableWidgetItem(import_values.text(value)))
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(140)
        shown = _("{n} rows; the first {shown} are shown.").format(
            n=len(table.rows), shown=len(rows)) if len(table.rows) > len(rows) else \
            _("{n} rows.").format(n=len(table.rows))
        self.columns_hint.setText(_("Each column is read as the field chosen above it (* "
                                    "required). {rows}").format(rows=shown))

    def _map(self, column: int, key: str) -> None:
        table = self.current_table()
        if table is None:
            return
        mapping = {i: k for i, k in table.mapping.items() if i != column}
        if key:
            mapping[column] = key
        table.mapping = mapping
        self._forget_report()

    # ------------------------------------------------------------------ check and import
    def _call(self, dry_run: bool) -> None:
        cut_over = None
        if self.current_kind == "opening_balances":
            try:
                cut_over = self.cut_over.read(_("Cut-over date"))
            except ValidationError as error:
                self._failed(error)
                return
        self.busy = True
        self._enable()
        self.worker.submit(
            run_import, self.session, self.current_kind, self.data, self.tables,
            dry_run=dry_run, cut_over=cut_over, kube_id=self.kube_id,
            file_name=Path(self.path).name, on_done=self._reported, on_error=self._failed,
            label=_("Checking the file…") if dry_run else _("Importing…"), parent=self)

    def check(self) -> None:
        if self.data and not self.busy:
            self._call(True)

    def run(self) -> None:
        if self.report is None or not self.report.ok or self.busy:
            return
        if not confirm(self, _("Import {file} now? The whole file is written in one step.")
                       .format(file=Path(self.path).name)):
            return
        self._call(False)

    @when_alive
    def _reported(self, report: ImportReport) -> None:
        self.busy = False
        self.report = report
        self.done_importing = report.committed
        order: dict[str, int] = {}
        for problem in report.problems:
            order.setdefault(problem.sheet, len(order))
        self.problems.set_rows(sorted(report.problems, key=lambda p: (
            order[p.sheet], -1 if p.row is None else p.row)))
        self.problem_view.setColumnHidden(0, not any(p.sheet for p in report.problems))
        self.problem_view.resizeRowsToContents()
        self._show_written(report)
        if report.problems:
            self.summary.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
            self.summary.setText(_("{n} problems: nothing is written. Correct the file and "
                                   "check again.").format(n=len(report.problems)))
            self.results.setCurrentIndex(0)
        else:
            self.summary.setStyleSheet(GOOD_STYLE + " font-weight: bold;")
            self.summary.setText("\n".join(report.summary + report.notes))
            self.results.setCurrentIndex(1)
        self._enable()

    def _show_written(self, report: ImportReport) -> None:
        self.written.clear()
        self.written.setColumnCount(len(report.preview_columns))
        self.written.setHorizontalHeaderLabels(report.preview_columns)
        self.written.setRowCount(len(report.preview))
        for line, cells in enumerate(report.preview):
            for index, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if text.startswith(("Rp", "-Rp")):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.written.setItem(line, index, item)
        self.written.resizeColumnsToContents()
        header = self.written.horizontalHeader()
        for index in range(len(report.preview_columns)):
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.Interactive)
        if report.preview:  # the name (else the widest text) column takes the room left
            names = {"Nama", _("Name"), _("Who"), _("What")}
            widest = next((i for i, h in enumerate(report.preview_columns) if h in names),
                          max(range(len(report.preview_columns)), key=lambda i: sum(
                              len(cells[i]) for cells in report.preview if i < len(cells))))
            header.setSectionResizeMode(widest, QHeaderView.ResizeMode.Stretch)

    # ------------------------------------------------------------------ templates
    def save_template(self) -> None:
        name = TEMPLATE.get(self.current_kind)
        if name is None:
            return
        path = choose_save_path(self, _("Save the template"), name,
                                _("Excel workbook (*.xlsx)"))
        if not path:
            return
        from bmt_desktop.services.report_export import write_file

        try:
            write_file(path, (templates_dir() / name).read_bytes())
        except (ValidationError, OSError) as error:
            self._failed(error)
            return
        self.summary.setStyleSheet(GOOD_STYLE)
        self.summary.setText(_("Template saved: {path}").format(path=path))

    def problem_rows(self) -> list[Problem]:
        return [self.problems.row_at(i) for i in range(self.problems.rowCount())]


def confirm(parent: QWidget | None, text: str) -> bool:
    return dialogs.ask_yes_no(parent, text)


def _month_end_before(day: dt.date) -> dt.date:
    return day.replace(day=1) - dt.timedelta(days=1)


def write_member_list(session: Session, path: str) -> str:
    """The member register written to ``path`` (XLSX or CSV by its extension; worker)."""
    from bmt_desktop.services.member_list import export_members
    from bmt_desktop.services.report_export import write_file

    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise ValidationError(_("Save the list as .xlsx or .csv."))
    return str(write_file(path, export_members(session, fmt)))


def export_member_list(session: Session, worker: Worker, parent: QWidget | None = None
                       ) -> None:
    path = choose_save_path(parent, _("Export the member list"), "anggota.xlsx",
                            _("Excel workbook (*.xlsx);;CSV, semicolons (*.csv)"))
    if not path:
        return
    if Path(path).suffix.lower() not in (".xlsx", ".csv"):
        path += ".xlsx"
    worker.submit(write_member_list, session, path,
                  on_done=lambda written: dialogs.show_info(
                      parent, _("Member list written: {path}").format(path=written)),
                  on_error=lambda error: dialogs.show_error(parent, error_text(error)),
                  label=_("Writing the member list…"), parent=parent)


def open_import(session: Session, worker: Worker, parent: QWidget | None = None,
                **options: Any) -> ImportDialog:
    dialog = ImportDialog(session, worker, parent, **options)
    dialog.open()
    return dialog
