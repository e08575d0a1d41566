"""One report on screen: the period, Tampilkan (the table and its notes), Pratinjau/Cetak
(the PDF in the preview) and Ekspor (PDF, XLSX, CSV or JSON, by the file type chosen).

Every build and every file goes through the worker; the period is checked first with the
service's own words, so a month that has not begun is refused before anything runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.gui import dialogs
from bmt_desktop.gui.tabs import report_common
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.report_common import (
    ERROR_STYLE,
    GOOD_STYLE,
    HINT_STYLE,
    TITLE_STYLE,
    PeriodChooser,
    error_text,
    labelled,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import N_, _
from bmt_desktop.printing.report_pdf import cell_text, column_label
from bmt_desktop.services import report_export, report_model
from bmt_desktop.services.report_model import Report
from bmt_desktop.services.session import Session

_Index = QModelIndex | QPersistentModelIndex
EMPHASIS = ("heading", "subtotal", "total")
SHADE = QColor("#e8f0ec")

# The list of reports, grouped as the office reads them: (group, [(name, label, file stem)]).
GROUPS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (N_("Financial"), (
        ("trial-balance", N_("Trial balance"), N_("trial-balance")),
        ("general-ledger", N_("General ledger"), N_("general-ledger")),
        ("balance-sheet", N_("Balance sheet"), N_("balance-sheet")),
        ("income-statement", N_("Income statement"), N_("income-statement")),
        ("cash-flow", N_("Cash flow"), N_("cash-flow")),
        ("equity-changes", N_("Changes in equity"), N_("equity-changes")),
        ("daily-cash", N_("Daily cash"), N_("daily-cash")),
    )),
    (N_("Social funds"), (
        ("zakat", N_("Zakat"), N_("zakat")),
        ("benevolence", N_("Benevolence fund"), N_("benevolence")),
    )),
    (N_("Financing"), (
        ("collectibility", N_("Collectibility and PPAP"), N_("collectibility")),
        ("aging", N_("Arrears aging"), N_("aging")),
        ("profit-sharing", N_("Profit sharing"), N_("profit-sharing")),
    )),
    (N_("Programme"), (
        ("kube-performance", N_("Kube performance"), N_("kube-performance")),
        ("empowerment", N_("Empowerment indicators"), N_("empowerment")),
        ("training", N_("Training"), N_("training")),
    )),
    (N_("Members"), (
        ("statement", N_("Member statements"), N_("statement")),
    )),
    (N_("Yearly"), (
        ("shu", N_("SHU distribution"), N_("shu")),
    )),
)
OTHER_GROUP = N_("Other reports")
# Labels the report services give their rows and read through _() (marked here so that the
# catalog holds them).
FORMATS = (("xlsx", N_("Excel workbook (*.xlsx)")), ("pdf", N_("PDF document (*.pdf)")),
           ("csv", N_("CSV, semicolons (*.csv)")), ("json", N_("JSON data (*.json)")))


@dataclass(frozen=True)
class Entry:
    name: str
    label: str
    stem: str
    yearly: bool


def catalog() -> list[tuple[str, list[Entry]]]:
    """The groups and their reports in the user's language; a report the services know but
    the list does not goes under "Other reports"."""
    report_model.report_names()  # the report modules register when first asked
    specs = report_model.REPORTS
    groups: list[tuple[str, list[Entry]]] = []
    listed = set()
    for group, items in GROUPS:
        entries = [Entry(name, _(label), _(stem), specs[name].yearly)
                   for name, label, stem in items if name in specs]
        listed.update(e.name for e in entries)
        if entries:
            groups.append((_(group), entries))
    rest = [Entry(name, _(spec.title), name, spec.yearly) for name, spec in sorted(specs.items())
            if name not in listed]
    if rest:
        groups.append((_(OTHER_GROUP), rest))
    return groups


# ------------------------------------------------------------------ worker side


def build_report(session: Session, name: str, start: dt.date, end: dt.date) -> Report:
    return report_model.build(session, name, start, end)


def preview_report(session: Session, name: str, start: dt.date, end: dt.date
                   ) -> tuple[Report, bytes]:
    report = report_model.build(session, name, start, end)
    return report, report_export.render(session, report, "pdf")


def export_report(session: Session, name: str, start: dt.date, end: dt.date, path: str
                  ) -> tuple[Report, Path]:
    report_export.format_of(path)  # a wrong file type is refused before the report is built
    report = report_model.build(session, name, start, end)
    return report, report_export.export(session, report, path)


# ------------------------------------------------------------------ the table


class ReportModel(QAbstractTableModel):
    """A report's rows as the PDF shows them: amounts 1.500.000 on the right, dates
    29 November 2026, headings and subtotals bold, the totals row last."""

    def __init__(self, report: Report | None = None) -> None:
        super().__init__()
        self.report = report
        self._rows: list[dict[str, object]] = []
        self._strong: list[bool] = []
        self._shaded: list[bool] = []
        if report is None:
            return
        columns = report.columns
        for row in report.rows:
            self._rows.append(row)
            self._strong.append(row.get("_style") in EMPHASIS)
            self._shaded.append(row.get("_style") in ("subtotal", "total"))
        if report.totals and any(c.key in report.totals for c in columns):
            total = {c.key: report.totals[c.key] for c in columns if c.key in report.totals}
            first = next((c for c in columns if c.kind not in ("money", "int", "pct")), None)
            if first is not None and first.key not in report.totals:
                total[first.key] = _("Total")
            self._rows.append(total)
            self._strong.append(True)
            self._shaded.append(True)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() or self.report is None:
            return 0
        return len(self.report.columns)

    def _numeric(self, column: int) -> bool:
        assert self.report is not None
        return self.report.columns[column].kind in ("money", "int", "pct")

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if self.report is None or orientation != Qt.Orientation.Horizontal \
                or not 0 <= section < len(self.report.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_label(self.report.columns[section])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if self._numeric(section) \
                else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self.report is None or index.row() >= len(self._rows) \
                or index.column() >= len(self.report.columns):
            return None
        row, column = index.row(), self.report.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cell_text(column, self._rows[row].get(column.key))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if self._numeric(index.column()) \
                else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self._strong[row]:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and self._shaded[row]:
            return SHADE
        return None


class ReportTable(QTableView):
    """Columns as wide as their contents; when the report is narrower than the view, its
    main text column takes the rest (a wide report scrolls instead of eliding names)."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(22)
        self.setWordWrap(False)
        self.horizontalHeader().setResizeContentsPrecision(300)
        self._natural = 0
        self._main: int | None = None

    def show_model(self, model: ReportModel) -> None:
        self.setModel(model)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        report = model.report
        columns = report.columns if report is not None else []
        texts = [i for i, c in enumerate(columns) if c.kind == "text"]
        self._main = max(texts, key=lambda i: columns[i].width) if texts else None
        self._natural = 0
        for index in range(len(columns)):
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.ResizeToContents)
            self._natural += max(self.sizeHintForColumn(index), header.sectionSizeHint(index))
        self._fit()

    def _fit(self) -> None:
        if self._main is None:
            return
        room = self.viewport().width()
        mode = QHeaderView.ResizeMode.Stretch if self._natural < room \
            else QHeaderView.ResizeMode.ResizeToContents
        self.horizontalHeader().setSectionResizeMode(self._main, mode)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit()


# ------------------------------------------------------------------ the page


class ReportPage(QWidget):
    """The chosen report: period, buttons, the table and the notes."""

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__()
        self.session, self.worker = session, worker
        self.entry: Entry | None = None
        self.report: Report | None = None
        self.busy = False
        self._generation = 0
        today = session.today
        self.title = QLabel()
        self.title.setStyleSheet(TITLE_STYLE)
        self.period = PeriodChooser(today.year, today.month)
        self.show_button = QPushButton(_("&Show"))
        self.preview_button = QPushButton(_("&Preview/Print…"))
        self.export_button = QPushButton(_("E&xport…"))
        for button in (self.show_button, self.preview_button, self.export_button):
            button.setAutoDefault(True)  # Enter on a focused button presses it
        self.show_button.setToolTip(_("Build the report (Enter)"))
        row = QHBoxLayout()
        row.addWidget(labelled(_("Period:"), self.period))
        row.addWidget(self.period)
        row.addStretch(1)
        actions = QHBoxLayout()  # a row of its own, so that a narrow window still fits
        actions.addWidget(self.show_button)
        actions.addWidget(self.preview_button)
        actions.addWidget(self.export_button)
        actions.addStretch(1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.table = ReportTable()
        self.model = ReportModel()
        self.table.show_model(self.model)
        self.notes = QTextBrowser()
        self.notes.setMaximumHeight(130)
        self.notes.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.notes.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        self.show_button.clicked.connect(self.show_report)
        self.preview_button.clicked.connect(self.preview)
        self.export_button.clicked.connect(self.export)
        self.period.changed.connect(self._period_changed)
        self.setTabOrder(self.period.month, self.period.year)
        self.setTabOrder(self.period.year, self.show_button)
        self.setTabOrder(self.show_button, self.preview_button)
        self.setTabOrder(self.preview_button, self.export_button)
        self.setTabOrder(self.export_button, self.table)
        self._enable()

    # -------------------------------------------------------------- state

    def set_entry(self, entry: Entry) -> None:
        """Choose the report; the table empties until it is shown."""
        if self.entry == entry:
            return
        self.entry = entry
        self.title.setText(entry.label)
        self.period.set_yearly(entry.yearly)
        self._clear(_("Choose the period and press Enter or Show."), HINT_STYLE)

    def _clear(self, message: str, style: str) -> None:
        self._generation += 1
        self.report = None
        self.model = ReportModel()
        self.table.show_model(self.model)
        self.heading.setText("")
        self.notes.hide()
        self._say(message, style)
        self.busy = False
        self._enable()

    def _period_changed(self) -> None:
        if self.report is not None or self.busy:
            self._clear(_("Choose the period and press Enter or Show."), HINT_STYLE)

    def _enable(self) -> None:
        ready = self.entry is not None and not self.busy
        for button in (self.show_button, self.preview_button, self.export_button):
            button.setEnabled(ready)

    def _say(self, message: str, style: str = "") -> None:
        self.status.setText(message)
        self.status.setStyleSheet(style)
        self.status.setVisible(bool(message))

    def _dates(self) -> tuple[dt.date, dt.date] | None:
        """The chosen period, or None with the service's message (a future month...)."""
        assert self.entry is not None
        try:
            return report_model.parse_report_period(self.period.text(), yearly=self.entry.yearly,
                                                    today=self.session.today)
        except ValidationError as error:
            self._clear(error.message, ERROR_STYLE)
            return None

    def file_stem(self) -> str:
        assert self.entry is not None
        return f"{self.entry.stem}-{self.period.text()}"

    # -------------------------------------------------------------- actions

    def _start(self, message: str) -> tuple[int, dt.date, dt.date] | None:
        if self.entry is None or self.busy:
            return None
        dates = self._dates()
        if dates is None:
            return None
        self.busy = True
        self._generation += 1
        self._enable()
        self._say(message, HINT_STYLE)
        return self._generation, dates[0], dates[1]

    def show_report(self) -> None:
        started = self._start(_("Building the report…"))
        if started is None:
            return
        generation, start, end = started
        assert self.entry is not None
        self.worker.submit(build_report, self.session, self.entry.name, start, end,
                           on_done=lambda report: self._shown(generation, report, ""),
                           on_error=lambda error: self._failed(generation, error),
                           label=_("Building the report…"), parent=self)

    def preview(self) -> None:
        started = self._start(_("Preparing the preview…"))
        if started is None:
            return
        generation, start, end = started
        assert self.entry is not None

        def done(result: tuple[Report, bytes]) -> None:
            report, pdf = result
            if self._shown(generation, report, ""):
                report_common.show_preview(pdf, report.title, self)

        self.worker.submit(preview_report, self.session, self.entry.name, start, end,
                           on_done=done, on_error=lambda error: self._failed(generation, error),
                           label=_("Preparing the preview…"), parent=self)

    def export(self) -> None:
        if self.entry is None or self.busy or self._dates() is None:
            return
        filters = [_(text) for _ext, text in FORMATS]
        suggested = str(Path(report_common.documents_folder()) / f"{self.file_stem()}.xlsx")
        answer = report_common.ask_save_path(self, suggested, filters, filters[0])
        if answer is None:
            return
        path, chosen = answer
        if Path(path).suffix.lower().lstrip(".") not in report_export.FORMATS:
            ext = next((ext for ext, text in FORMATS if _(text) == chosen), "xlsx")
            path = f"{path}.{ext}"
        started = self._start(_("Writing {path}…").format(path=path))
        if started is None:
            return
        generation, start, end = started
        assert self.entry is not None

        def done(result: tuple[Report, Path]) -> None:
            report, written = result
            self._shown(generation, report, _("Saved to {path}.").format(path=written))

        def failed(error: BaseException) -> None:
            if self._failed(generation, error, keep_table=True):
                dialogs.show_error(self, error_text(error))

        self.worker.submit(export_report, self.session, self.entry.name, start, end, path,
                           on_done=done, on_error=failed, label=_("Writing {path}…").format(
                               path=path), parent=self)

    # -------------------------------------------------------------- answers

    @when_alive
    def _shown(self, generation: int, report: Report, message: str) -> bool:
        if generation != self._generation:
            return False
        self.busy = False
        self.report = report
        self.model = ReportModel(report)
        self.table.show_model(self.model)
        self.heading.setText(f"{report.title} — {report.period_label}")
        notes = list(report.notes)
        if report.charts:
            notes.append(_("The charts of this report are in the preview and the PDF."))
        if not report.rows:
            notes.insert(0, _("No data for this period."))
        if notes:
            self.notes.setHtml("".join(f"<p>{_html(note)}</p>" for note in notes))
            self.notes.show()
        else:
            self.notes.hide()
        self._say(message, GOOD_STYLE if message else "")
        self._enable()
        return True

    @when_alive
    def _failed(self, generation: int, error: BaseException, *, keep_table: bool = False
                ) -> bool:
        if generation != self._generation:
            return False
        if keep_table:  # a file that could not be written: what is shown stays shown
            self.busy = False
            self._say(error_text(error), ERROR_STYLE)
            self._enable()
        else:
            self._clear(error_text(error), ERROR_STYLE)
        return True


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
