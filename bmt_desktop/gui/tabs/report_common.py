"""Pieces the Laporan tab's page and dialogs share: the month-and-year chooser, the modal
questions tests answer instead of a person, and the closing summary as a PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from bmt_desktop.domain.errors import BmtError
from bmt_desktop.gui.page_setup import DocumentKind
from bmt_desktop.i18n import N_, _
from bmt_desktop.services import report_export
from bmt_desktop.services.report_model import Column, Report
from bmt_desktop.services.session import Session

ERROR_STYLE = "color: #b00020;"
GOOD_STYLE = "color: #1b7f3b;"
HINT_STYLE = "color: #555;"
TITLE_STYLE = "font-size: 12pt; font-weight: bold;"
MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
          N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
          N_("December"))


def month_label(year: int, month: int) -> str:
    """"November 2026" in the user's language."""
    return f"{_(MONTHS[month - 1])} {year}"


def error_text(error: BaseException) -> str:
    """What the user reads of an error (services raise BmtError with an Indonesian message)."""
    return error.message if isinstance(error, BmtError) else str(error)


def previous_month(day: dt.date) -> tuple[int, int]:
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


class PeriodChooser(QWidget):
    """A month (hidden for a yearly period) and a year; ``changed`` when either moves."""

    changed = Signal()

    def __init__(self, year: int, month: int, *, yearly: bool = False) -> None:
        super().__init__()
        self.month = QComboBox()
        self.month.addItems([_(name) for name in MONTHS])
        self.month.setAccessibleName(_("Month"))
        self.year = QSpinBox()
        self.year.setRange(1990, 9999)
        self.year.setAccessibleName(_("Year"))
        self.year.setMinimumWidth(80)
        self.set_period(year, month)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.month)
        layout.addWidget(self.year)
        self.set_yearly(yearly)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.month.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.year.valueChanged.connect(lambda _v: self.changed.emit())
        self.setFocusProxy(self.month)

    def set_period(self, year: int, month: int) -> None:
        self.year.setValue(year)
        self.month.setCurrentIndex(month - 1)

    def set_yearly(self, yearly: bool) -> None:
        self.yearly = yearly
        self.month.setVisible(not yearly)
        self.setFocusProxy(self.year if yearly else self.month)

    def value(self) -> tuple[int, int]:
        return self.year.value(), self.month.currentIndex() + 1

    def text(self) -> str:
        """As the command line writes it: 2026-11, or 2026 for a yearly period."""
        year, month = self.value()
        return f"{year:04d}" if self.yearly else f"{year:04d}-{month:02d}"


def labelled(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


# ------------------------------------------------------------------ questions tests answer


def show_preview(pdf: bytes, title: str, parent: QWidget | None) -> None:
    """A report on screen with Print and Save; module-level so tests can replace it."""
    from bmt_desktop.gui.pdf_preview import PdfPreviewDialog

    PdfPreviewDialog(pdf, title, DocumentKind.A4, parent).exec()


def documents_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def ask_save_path(parent: QWidget | None, suggested: str, filters: Sequence[str],
                  selected: str) -> tuple[str, str] | None:
    """The chosen path and the chosen file type's filter, or None when cancelled."""
    path, chosen = QFileDialog.getSaveFileName(parent, _("Export the report"), suggested,
                                               ";;".join(filters), selected)
    return (path, chosen) if path else None


def ask_folder(parent: QWidget | None, start: str) -> str | None:
    folder = QFileDialog.getExistingDirectory(parent, _("Choose the folder"), start)
    return folder or None


def open_folder(folder: Path) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


# ------------------------------------------------------------------ worker side


def summary_pdf(session: Session, name: str, title: str, start: dt.date, end: dt.date,
                lines: Sequence[str], notes: Sequence[str] = ()) -> bytes:
    """A closing summary (month-end, year-end) on the house report template."""
    report = Report(name, title, start, end, [Column("line", _("Summary"))],
                    rows=[{"line": line} for line in lines], notes=list(notes))
    return report_export.render(session, report, "pdf")
