"""Tutup bulan and tutup buku tahunan (manager): choose the period, see the services'
pre-checks (Run stays disabled while anything stops it), confirm, run on the worker with a
progress bar, read the summary with the hash-chain head and print it as the closing report.

Refusals are the services' own messages; a refused run writes nothing (one transaction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.dates import month_end as last_day
from bmt_desktop.domain.money import format_rupiah
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
    month_label,
    previous_month,
)
from bmt_desktop.gui.worker import TaskHandle, Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import ledger, month_end, year_end
from bmt_desktop.services.session import Session


@dataclass
class Check:
    problems: list[str]
    facts: list[str] = field(default_factory=list)  # figures shown beside the pre-check


# ------------------------------------------------------------------ worker side


def next_open_month(session: Session) -> tuple[int, int]:
    """The month after the last closed one (else last month)."""
    closed = ledger.closed_until(session.book)
    if closed is None:
        return previous_month(session.today)
    following = closed + dt.timedelta(days=1)
    return following.year, following.month


def month_check(session: Session, year: int, month: int) -> Check:
    return Check(month_end.precheck(session, year, month))


def month_run(session: Session, year: int, month: int,
              progress: Callable[[float], None]) -> list[str]:
    return month_end.describe(month_end.run_month_end(session, year, month, progress))


def next_closing_year(session: Session) -> tuple[int, int]:
    """The year whose December is the last closed month (else last year)."""
    closed = ledger.closed_until(session.book)
    if closed is not None and (closed.month, closed.day) == (12, 31) \
            and closed.year not in year_end.done_years(session):
        return closed.year, 12
    return session.today.year - 1, 12


def year_check(session: Session, year: int, _month: int = 12) -> Check:
    problems = year_end.precheck(session, year)
    _nets, income, expense = year_end.year_figures(session, year)
    facts = [_("Income {income}, expenses {expense}: SHU {shu}.").format(
        income=format_rupiah(income), expense=format_rupiah(expense),
        shu=format_rupiah(income - expense))]
    return Check(problems, facts)


def year_run(session: Session, year: int, _month: int,
             progress: Callable[[float], None]) -> list[str]:
    return year_end.describe(year_end.run_year_end(session, year, progress))


# ------------------------------------------------------------------ the dialog


class ClosingDialog(QDialog):
    """What month-end and year-end share; the subclasses name the service calls."""

    yearly = False
    report_name = "closing"

    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, worker
        self.check: Check | None = None
        self.lines: list[str] = []
        self.handle: TaskHandle | None = None
        self.running = False
        self._generation = 0
        self.setWindowTitle(self.heading())
        title = QLabel(self.heading())
        title.setStyleSheet(TITLE_STYLE)
        explain = QLabel(self.explanation())
        explain.setWordWrap(True)
        self.period = PeriodChooser(session.today.year, session.today.month, yearly=self.yearly)
        self.period.setEnabled(False)
        form = QFormLayout()
        form.addRow(_("Year:") if self.yearly else _("Month:"), self.period)
        self.check_title = QLabel(_("Pre-check"))
        self.check_title.setStyleSheet("font-weight: bold;")
        self.problems = QLabel(_("Checking…"))
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFormat("%p %")
        self.progress.hide()
        self.result = QTextBrowser()
        self.result.setMinimumHeight(150)
        self.result.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.result.hide()
        self.recheck_button = QPushButton(_("Check &again"))
        self.run_button = QPushButton(self.run_text())
        self.run_button.setDefault(True)
        self.run_button.setEnabled(False)
        self.report_button = QPushButton(_("Closing &report…"))
        self.report_button.hide()
        self.close_button = QPushButton(_("Close"))
        for button in (self.recheck_button, self.report_button, self.close_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.recheck_button)
        buttons.addStretch(1)
        for button in (self.report_button, self.run_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.check_title)
        layout.addWidget(self.problems)
        layout.addWidget(self.facts)
        layout.addWidget(self.progress)
        layout.addWidget(self.result, 1)
        layout.addStretch(0)
        layout.addLayout(buttons)
        self.period.changed.connect(self.recheck)
        self.recheck_button.clicked.connect(self.recheck)
        self.run_button.clicked.connect(self.run)
        self.report_button.clicked.connect(self.closing_report)
        self.close_button.clicked.connect(self.reject)
        self.setTabOrder(self.period.month, self.period.year)
        self.setTabOrder(self.period.year, self.run_button)
        self.setTabOrder(self.run_button, self.recheck_button)
        self.setTabOrder(self.recheck_button, self.close_button)
        self.resize(620, 360)
        self.worker.submit(self.default_period, self.session, on_done=self._start,
                           on_error=self._start_failed)

    # -------------------------------------------------------------- what differs

    def heading(self) -> str:
        raise NotImplementedError

    def explanation(self) -> str:
        raise NotImplementedError

    def run_text(self) -> str:
        raise NotImplementedError

    def period_text(self) -> str:
        raise NotImplementedError

    def confirm_text(self) -> str:
        raise NotImplementedError

    def report_title(self) -> str:
        raise NotImplementedError

    def bounds(self) -> tuple[dt.date, dt.date]:
        raise NotImplementedError

    default_period: Callable[[Session], tuple[int, int]]
    check_call: Callable[..., Check]
    run_call: Callable[..., list[str]]

    # -------------------------------------------------------------- behaviour

    @when_alive
    def _start(self, period: tuple[int, int]) -> None:
        self.period.blockSignals(True)
        self.period.set_period(*period)
        self.period.blockSignals(False)
        self.period.setEnabled(True)
        self.period.setFocus()
        self.recheck()

    @when_alive
    def _start_failed(self, error: BaseException) -> None:
        self.period.setEnabled(True)
        self._show_problems([error_text(error)])

    def recheck(self) -> None:
        if self.running or self.lines:
            return
        self._generation += 1
        generation = self._generation
        self.check = None
        self.run_button.setEnabled(False)
        self.problems.setStyleSheet(HINT_STYLE)
        self.problems.setText(_("Checking…"))
        year, month = self.period.value()
        self.worker.submit(type(self).check_call, self.session, year, month,
                           on_done=lambda check: self._checked(generation, check),
                           on_error=lambda error: self._checked(
                               generation, Check([error_text(error)])))

    @when_alive
    def _checked(self, generation: int, check: Check) -> None:
        if generation != self._generation:
            return
        self.check = check
        self._show_problems(check.problems, check.facts)
        self.run_button.setEnabled(not check.problems)

    def _show_problems(self, problems: list[str], facts: list[str] | None = None) -> None:
        self.facts.setText("\n".join(facts or []))
        self.facts.setVisible(bool(facts))
        if problems:
            self.problems.setStyleSheet(ERROR_STYLE)
            self.problems.setText(
                "<p>" + _html(_("Not possible yet to close {period}:").format(
                    period=self.period_text())) + "</p><ul>"
                + "".join(f"<li>{_html(p)}</li>" for p in problems) + "</ul>")
        else:
            self.problems.setStyleSheet(GOOD_STYLE)
            self.problems.setText("<p>✔ " + _html(_(
                "Every check passed: {period} can be closed.").format(
                period=self.period_text())) + "</p>")

    def run(self) -> None:
        if self.running or self.check is None or self.check.problems or self.lines:
            return
        if not dialogs.ask_yes_no(self, self.confirm_text()):
            return
        self.running = True
        for widget in (self.period, self.run_button, self.recheck_button, self.close_button):
            widget.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        year, month = self.period.value()
        self.handle = self.worker.submit(type(self).run_call, self.session, year, month,
                                         on_done=self._done, on_error=self._failed)
        self.handle.signals.progress.connect(self._progress)

    @when_alive
    def _progress(self, fraction: float) -> None:
        self.progress.setValue(round(fraction * 1000))

    @when_alive
    def _done(self, lines: list[str]) -> None:
        self.running = False
        self.lines = lines
        self.progress.setValue(1000)
        self.check_title.setText(_("Result"))
        self.facts.hide()
        self.problems.setStyleSheet(GOOD_STYLE)
        self.problems.setText("✔ " + _html(_("Done: {period} is closed.").format(
            period=self.period_text())))
        self.result.setHtml("".join(f"<p>{_html(line)}</p>" for line in lines))
        self.result.show()
        self.resize(self.width(), max(self.height(), 480))
        self.report_button.show()
        self.close_button.setEnabled(True)
        self.report_button.setAutoDefault(True)
        self.report_button.setDefault(True)
        self.report_button.setFocus()

    @when_alive
    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.progress.hide()
        for widget in (self.period, self.recheck_button, self.close_button):
            widget.setEnabled(True)
        self._show_problems([error_text(error)])

    def closing_report(self) -> None:
        if not self.lines:
            return
        start, end = self.bounds()
        title = self.report_title()
        notes = [_("Keep this page: the hash-chain head above anchors the book. "
                   "\"bmt-desktop verify --anchor HEAD\" later proves that nothing was cut "
                   "from it.")]

        def show(pdf: bytes) -> None:
            report_common.show_preview(pdf, title, self)

        self.worker.submit(report_common.summary_pdf, self.session, self.report_name, title,
                           start, end, self.lines, notes, on_done=show,
                           on_error=lambda error: dialogs.show_error(self, error_text(error)),
                           label=_("Preparing the preview…"), parent=self)

    def reject(self) -> None:
        """Esc and Close; not while the closing runs (it is one step that must finish)."""
        if self.running:
            return
        super().reject()


class MonthEndDialog(ClosingDialog):
    report_name = "month-end"
    default_period = staticmethod(next_open_month)
    check_call = staticmethod(month_check)
    run_call = staticmethod(month_run)

    def heading(self) -> str:
        return _("Close the month")

    def explanation(self) -> str:
        return _("Month-end shares the profit of the mudharabah savings, charges the savings "
                 "admin fees, sets the PPAP reserve and closes the month: afterwards nothing "
                 "can be posted into it. Months are closed in order, after they end, with "
                 "every drawer closed and nothing waiting for approval.")

    def run_text(self) -> str:
        return _("&Run month-end")

    def period_text(self) -> str:
        return month_label(*self.period.value())

    def confirm_text(self) -> str:
        return _("Close {period} now? Profit sharing, admin fees and the PPAP reserve are "
                 "posted and the month is closed; this cannot be undone.").format(
            period=self.period_text())

    def report_title(self) -> str:
        return _("Month-end closing {period}").format(period=self.period_text())

    def bounds(self) -> tuple[dt.date, dt.date]:
        year, month = self.period.value()
        return dt.date(year, month, 1), last_day(year, month)


class YearEndDialog(ClosingDialog):
    yearly = True
    report_name = "year-end"
    default_period = staticmethod(next_closing_year)
    check_call = staticmethod(year_check)
    run_call = staticmethod(year_run)

    def heading(self) -> str:
        return _("Close the year")

    def explanation(self) -> str:
        return _("Year-end computes the year's SHU, closes income and expenses into it and "
                 "distributes it by the AD/ART percentages (reserve, members by JUA and JMA, "
                 "the funds). It runs once, after December is closed and before January is.")

    def run_text(self) -> str:
        return _("&Run year-end")

    def period_text(self) -> str:
        return _("the year {year}").format(year=self.period.value()[0])

    def confirm_text(self) -> str:
        return _("Run the year-end of {year} now? The SHU is distributed and the closing "
                 "journals are posted; this cannot be undone.").format(
            year=self.period.value()[0])

    def report_title(self) -> str:
        return _("Year-end closing {year}").format(year=self.period.value()[0])

    def bounds(self) -> tuple[dt.date, dt.date]:
        year = self.period.value()[0]
        return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

