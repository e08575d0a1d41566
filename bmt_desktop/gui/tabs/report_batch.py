"""Cetak rekening koran semua anggota: every member's statement of a month into a folder,
one PDF per member or one combined, on the worker with a progress bar and Cancel."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.gui.tabs import report_common
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.report_common import (
    ERROR_STYLE,
    GOOD_STYLE,
    HINT_STYLE,
    PeriodChooser,
    error_text,
    month_label,
    previous_month,
)
from bmt_desktop.gui.worker import Cancelled, Progress, TaskHandle, Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import statement_batch
from bmt_desktop.services.session import Session

SHOWN_FILES = 5


@dataclass
class BatchResult:
    folder: Path
    files: list[Path]
    cancelled: bool


def write_statements(session: Session, year: int, month: int, folder: str, combined: bool,
                     progress: Progress) -> BatchResult:
    """The service's batch, its ``cancelled`` reading the worker's cancel flag: files already
    written stay and are counted."""

    def report(fraction: float) -> None:
        # Once cancelled, the batch stops at its next check and says what it wrote.
        with contextlib.suppress(Cancelled):
            progress(fraction)

    files = statement_batch.statements_pdf(session, year, month, folder, combined=combined,
                                           progress=report,
                                           cancelled=lambda: progress.cancelled)
    return BatchResult(Path(folder), files, progress.cancelled)


class StatementBatchDialog(QDialog):
    """Month, folder, one file per member or combined; Start, Cancel while running, Close."""

    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, worker
        self.handle: TaskHandle | None = None
        self.result_value: BatchResult | None = None
        self.setWindowTitle(_("Print all members' statements"))
        explain = QLabel(_("The month's statement of every active savings account, written as "
                           "PDF files into a folder: one file per member (to hand out or send) "
                           "or one combined file for the office."))
        explain.setWordWrap(True)
        self.period = PeriodChooser(*previous_month(session.today))
        self.folder = QLineEdit(report_common.documents_folder())
        self.folder.setMinimumWidth(320)
        self.folder.setAccessibleName(_("Folder"))
        self.browse_button = QPushButton(_("C&hoose…"))
        self.browse_button.setAutoDefault(False)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse_button)
        self.per_member = QRadioButton(_("One PDF per &member"))
        self.combined = QRadioButton(_("One &combined PDF"))
        self.per_member.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.per_member)
        group.addButton(self.combined)
        kinds = QVBoxLayout()
        kinds.setContentsMargins(0, 0, 0, 0)
        kinds.addWidget(self.per_member)
        kinds.addWidget(self.combined)
        form = QFormLayout()
        form.addRow(_("Month:"), self.period)
        form.addRow(_("Folder:"), folder_row)
        form.addRow(_("Files:"), kinds)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p %")
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.start_button = QPushButton(_("&Start"))
        self.start_button.setDefault(True)
        self.cancel_button = QPushButton(_("&Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.setAutoDefault(False)
        self.open_button = QPushButton(_("&Open the folder"))
        self.open_button.setAutoDefault(False)
        self.open_button.hide()
        self.close_button = QPushButton(_("Close"))
        self.close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        for button in (self.start_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.browse_button.clicked.connect(self.browse)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.open_button.clicked.connect(
            lambda: report_common.open_folder(Path(self.folder.text())))
        self.period.changed.connect(lambda: self._say(""))
        self.setTabOrder(self.period.month, self.period.year)
        self.setTabOrder(self.period.year, self.folder)
        self.setTabOrder(self.folder, self.browse_button)
        self.setTabOrder(self.browse_button, self.per_member)
        self.setTabOrder(self.per_member, self.combined)
        self.setTabOrder(self.combined, self.start_button)
        self.resize(560, 330)
        self.period.setFocus()

    @property
    def running(self) -> bool:
        return self.handle is not None and not self.handle.finished

    def _say(self, text: str, style: str = "") -> None:
        self.status.setText(text)
        self.status.setStyleSheet(style)

    def browse(self) -> None:
        folder = report_common.ask_folder(self, self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _lock(self, running: bool) -> None:
        for widget in (self.period, self.folder, self.browse_button, self.per_member,
                       self.combined, self.start_button, self.close_button):
            widget.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def start(self) -> None:
        if self.running:
            return
        folder = self.folder.text().strip()
        if not folder:
            self._say(_("Choose the folder to write the statements into."), ERROR_STYLE)
            return
        year, month = self.period.value()
        self.result_value = None
        self.open_button.hide()
        self.progress.setValue(0)
        self.progress.show()
        self._say(_("Writing the statements of {month}…").format(
            month=month_label(year, month)), HINT_STYLE)
        self._lock(True)
        self.handle = self.worker.submit(
            write_statements, self.session, year, month, folder, self.combined.isChecked(),
            on_done=self._done, on_error=self._failed)
        self.handle.signals.progress.connect(self._progress)
        self.cancel_button.setFocus()

    @when_alive
    def _progress(self, fraction: float) -> None:
        self.progress.setValue(round(fraction * 1000))

    def cancel(self) -> None:
        if self.running and self.handle is not None:
            self.handle.cancel()
            self.cancel_button.setEnabled(False)
            self._say(_("Stopping after the file being written…"), HINT_STYLE)

    @when_alive
    def _done(self, result: BatchResult) -> None:
        self.result_value = result
        self._lock(False)
        count = len(result.files)
        names = ", ".join(p.name for p in result.files[:SHOWN_FILES])
        if len(result.files) > SHOWN_FILES:
            names += ", …"
        if result.cancelled:
            text = _("Cancelled. Files written before stopping: {n}, in {folder}.")
            style = ERROR_STYLE
        elif count:
            self.progress.setValue(1000)
            text = _("Done. Files written: {n}, in {folder}.")
            style = GOOD_STYLE
        else:
            text = _("No statements for this month: no savings account was open then.")
            style = HINT_STYLE
        text = text.format(n=count, folder=result.folder)
        if names:
            text += "\n" + names
        self._say(text, style)
        self.open_button.setVisible(count > 0)
        self.close_button.setFocus()

    @when_alive
    def _failed(self, error: BaseException) -> None:
        self._lock(False)
        self.progress.hide()
        self._say(error_text(error), ERROR_STYLE)

    def reject(self) -> None:
        """Esc or Close: while running, Esc cancels instead (the files written stay)."""
        if self.running:
            self.cancel()
            return
        super().reject()
