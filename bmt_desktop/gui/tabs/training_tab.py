"""Pelatihan: the training sessions by date (filtered by text, kind and year) with the chosen
session below — its participants and attendance register, scores, completion and
certificates — and pages for a member's training record, the reports and the curriculum.

Everything is read and written through the training services on the serial worker; the
buttons the role may not use, and every write on a read-only book, are hidden. The register
is in training_grid, the forms in training_forms, the other pages in training_pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.permissions import Action
from bmt_desktop.gui import dialogs
from bmt_desktop.gui.page_setup import DocumentKind
from bmt_desktop.gui.pdf_preview import PdfPreviewDialog
from bmt_desktop.gui.tabs import drawer_dialogs
from bmt_desktop.gui.tabs.base import Tab
from bmt_desktop.gui.tabs.drawer_dialogs import may
from bmt_desktop.gui.tabs.kube_common import (
    HINT_STYLE,
    WARN_STYLE,
    button_bar,
    line_edit,
    table_view,
    text_label,
)
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.record_panel import RecordPanel
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import ERROR_STYLE, GOOD_STYLE, EnterKey, error_text
from bmt_desktop.gui.tabs.training_forms import (
    AddMembersDialog,
    KubeParticipantsDialog,
    SessionDialog,
    StaffDialog,
)
from bmt_desktop.gui.tabs.training_grid import RegisterModel, RegisterView
from bmt_desktop.gui.tabs.training_pages import (
    CurriculumPage,
    MemberRecordPage,
    ReportsPage,
    dates_text,
    pct_text,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import kube, training, training_reports
from bmt_desktop.services.session import Session
from bmt_desktop.services.training import SessionDetail, SessionRow, TopicRow


def show_certificate(pdf: bytes, title: str, parent: QWidget | None) -> None:
    """The certificate on screen with Print; module-level so tests can replace it."""
    PdfPreviewDialog(pdf, title, DocumentKind.A4, parent).exec()


# --------------------------------------------------------------------------- the session


class SessionPanel(RecordPanel):
    """The chosen session: what it is, its register, and what may be done with it."""

    changed = Signal(int)  # the session's figures changed: the list reloads its row

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker, training.session_detail)
        self.row: SessionRow | None = None
        self.file: SessionDetail | None = None
        self.dialog: QDialog | None = None
        self.topics: list[TopicRow] = []
        self.may_record = may(session, Action.TRAINING_RECORD)
        self.may_print = may(session, Action.TRAINING_RECORD, writes=False)
        self.empty = QLabel(_("Choose a session in the list to see its participants and "
                              "attendance."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #555;")
        self.title = text_label("font-size: 13pt; font-weight: bold;")
        self.subtitle = text_label(HINT_STYLE)
        self.topics_text = text_label()
        self.rule = text_label(HINT_STYLE)
        self.model = RegisterModel(self)
        self.view = RegisterView(self.model)
        self.model.changed.connect(self._register_changed)
        self.model.refused.connect(lambda text: self.say(text, ERROR_STYLE))
        self.message = text_label()
        self.message.setObjectName("trainingMessage")
        self.message.setVisible(False)
        self.buttons: list[QPushButton] = []
        record = Action.TRAINING_RECORD
        self.add_members_button = self._button(_("Add members…"), self.add_members, record)
        self.add_kube_button = self._button(_("Add from a Kube…"), self.add_from_kube, record)
        self.add_staff_button = self._button(_("Add staff…"), self.add_staff, record)
        self.remove_button = self._button(_("Take off the list"), self.remove_participant,
                                          record)
        self.all_button = self._button(_("All present on this day"), self.all_present, record)
        self.save_button = self._button(_("Save attendance and scores"), self.save, record)
        self.drop_button = self._button(_("Undo changes"), self.model.drop_changes, record)
        self.certificate_button = self._button(_("Print certificate…"), self.certificate,
                                               record, writes=False)
        self.edit_button = self._button(_("Change the session…"), self.edit_session, record)
        self.cancel_button = self._button(_("Cancel the session…"), self.cancel_session,
                                          record)
        head = QWidget()
        line = QHBoxLayout(head)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.title, 1)
        line.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        line.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignTop)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(head)
        column.addWidget(self.subtitle)
        column.addWidget(self.topics_text)
        column.addWidget(self.rule)
        column.addWidget(self.view, 1)
        column.addWidget(self.message)
        column.addWidget(button_bar(self.add_members_button, self.add_kube_button,
                                    self.add_staff_button, self.remove_button))
        column.addWidget(button_bar(self.all_button, self.save_button, self.drop_button,
                                    self.certificate_button))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.stack)
        save = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._register_changed()

    def _button(self, text: str, slot: Callable[[], None], action: Action, *,
                writes: bool = True) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        allowed = may(self.session, action, writes=writes)
        button.setVisible(allowed)
        button.setProperty("allowed", allowed)
        self.buttons.append(button)
        return button

    def visible_actions(self) -> list[str]:
        """The texts of the buttons this user sees (for tests and the read-only check)."""
        return [b.text() for b in self.buttons if b.property("allowed")]

    # ------------------------------------------------------------------ showing a session
    def cleared(self) -> None:
        self.say("")

    def show_file(self, row: SessionRow, file: SessionDetail) -> None:
        self.row = file.row  # the figures as just read
        data = file.row
        self.title.setText(data.title)
        parts = [training.kind_label(data.kind).capitalize(),
                 _("{dates} ({days} days)").format(
                     dates=dates_text(data.start_date, data.end_date), days=data.days),
                 data.venue,
                 _("trainer: {name}").format(name=data.trainer) if data.trainer else "",
                 data.institution]
        self.subtitle.setText(" · ".join(p for p in parts if p))
        self.topics_text.setText(_("Topics: {topics}").format(
            topics="; ".join(t.name for t in file.topics)))
        needed = -(-data.completion_pct * data.days // 100)
        rule = _("Completed with at least {pct} % attendance ({n} of {days} days). "
                 "{people} of {capacity} places taken.").format(
            pct=data.completion_pct, n=needed, days=data.days, people=data.participants,
            capacity=data.capacity)
        if data.status == "batal":
            self.rule.setStyleSheet(ERROR_STYLE)
            rule = _("Cancelled: {reason}").format(reason=file.cancel_reason or "–")
        else:
            self.rule.setStyleSheet(HINT_STYLE)
        self.rule.setText(rule)
        self.model.show_detail(file, self.session.today, self.may_record)
        self.stack.setCurrentIndex(1)

    def show_failure(self, error: BaseException) -> None:
        self.say(error_text(error), ERROR_STYLE)

    def say(self, text: str, style: str = GOOD_STYLE) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.message.setVisible(bool(text))

    def _register_changed(self) -> None:
        open_session = self.file is not None and self.file.row.status != "batal"
        dirty = self.model.has_changes()
        self.save_button.setEnabled(dirty)
        self.drop_button.setEnabled(dirty)
        for button in (self.add_members_button, self.add_kube_button, self.add_staff_button,
                       self.remove_button, self.all_button, self.edit_button,
                       self.cancel_button):
            button.setEnabled(open_session)
        self.certificate_button.setEnabled(open_session)
        if dirty:
            self.say(_("Not saved yet: {n} changes.").format(
                n=len(self.model.marks) + len(self.model.scores)), WARN_STYLE)
        elif self.message.styleSheet() == WARN_STYLE:
            self.say("")

    def after_change(self, text: str = "", style: str = GOOD_STYLE) -> None:
        if text:
            self.say(text, style)
        if self.row is not None:
            self.changed.emit(self.row.id)
        self.reload()

    def _open(self, dialog: QDialog, done: Callable[[Any], None]) -> None:
        self.dialog = dialog
        dialog.succeeded.connect(done)  # type: ignore[attr-defined]
        dialog.open()

    def _then(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None]) -> None:
        """Read something for a form on the worker, then open the form."""
        self.worker.submit(fn, self.session, *args,
                           on_done=lambda result: self._read(done, result),
                           on_error=self._failed_here)

    @when_alive
    def _read(self, done: Callable[[Any], None], result: Any) -> None:
        if self.file is not None:
            done(result)

    @when_alive
    def _failed_here(self, error: BaseException) -> None:
        self.show_failure(error)

    # ------------------------------------------------------------------ the register
    def save(self, then: Callable[[], None] | None = None) -> None:
        if self.file is None or not self.model.has_changes():
            return
        session_id = self.file.row.id
        self.save_button.setEnabled(False)
        self.worker.submit(training.save_register, self.session, session_id,
                           self.model.pending_marks(), self.model.pending_scores(),
                           on_done=lambda count: self._saved(count, then),
                           on_error=self._save_failed)

    @when_alive
    def _saved(self, count: int, then: Callable[[], None] | None) -> None:
        self.after_change(_("Saved: {n} changes.").format(n=count))
        if then is not None:
            then()

    @when_alive
    def _save_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(self.model.has_changes())
        self.say(error_text(error), ERROR_STYLE)

    def all_present(self) -> None:
        index = self.view.currentIndex()
        column = index.column() if index.isValid() else -1
        if self.model.day_of(column) is None:
            today = self.session.today
            column = next((c for c in range(self.model.columnCount())
                           if self.model.day_of(c) == today), -1)
        if not self.model.mark_day(column):
            self.say(_("Choose a cell in the column of a day that has come."), ERROR_STYLE)

    # ------------------------------------------------------------------ participants
    def add_members(self) -> None:
        if self.file is None:
            return
        dialog = AddMembersDialog(self.session, self.worker, self.file, self)
        self.dialog = dialog
        dialog.added.connect(lambda name: self.after_change(
            _("{name} takes part.").format(name=name)))
        dialog.open()

    def add_from_kube(self) -> None:
        self._then(kube.list_kube, done=lambda kubes: self._open(
            KubeParticipantsDialog(self.session, self.worker, self.file, kubes, self),
            lambda ids: self.after_change(_("{n} participants added.").format(n=len(ids)))))

    def add_staff(self) -> None:
        self._then(training.staff_users, done=lambda users: self._open(
            StaffDialog(self.session, self.worker, self.file, users, self),
            lambda _id: self.after_change(_("Staff added."))))

    def remove_participant(self) -> None:
        person = self.view.current_person()
        if person is None:
            self.say(_("Choose the participant in the register first."), ERROR_STYLE)
            return
        if not dialogs.ask_yes_no(self, _("Take {name} off the list of this session?").format(
                name=person.name)):
            return
        self.worker.submit(training.remove_participant, self.session, person.id,
                           on_done=lambda _r: self.after_change(
                               _("{name} is off the list.").format(name=person.name)),
                           on_error=self._failed_here)

    def certificate(self) -> None:
        person = self.view.current_person()
        if person is None:
            self.say(_("Choose the participant in the register first."), ERROR_STYLE)
            return
        if self.model.has_changes():
            self.say(_("Save the attendance first."), ERROR_STYLE)
            return

        def show(pdf: bytes) -> None:
            show_certificate(pdf, _("Certificate of {name}").format(name=person.name), self)

        self.worker.submit(training_reports.certificate_pdf, self.session, person.id,
                           on_done=show, on_error=self._failed_here)

    # ------------------------------------------------------------------ the session
    def edit_session(self) -> None:
        self._then(training.list_topics, done=lambda topics: self._open(
            SessionDialog(self.session, self.worker, topics, self.file, self),
            lambda _none: self.after_change(_("Session saved."))))

    def cancel_session(self) -> None:
        if self.file is None:
            return
        reason = drawer_dialogs.ask_reason(self, _("Why is “{title}” cancelled?").format(
            title=self.file.row.title))
        if reason is None:
            return
        self.worker.submit(training.cancel_session, self.session, self.file.row.id, reason,
                           on_done=lambda _r: self.after_change(_("The session is cancelled.")),
                           on_error=self._failed_here)


# --------------------------------------------------------------------------- the sessions


class SessionsPage(QWidget):
    """The sessions by date, newest first, with a filter; the chosen one below."""

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__()
        self.session, self.worker = session, worker
        self.loaded = False
        self.form: QDialog | None = None
        self._want_id: int | None = None
        self._asked = 0
        self.search = line_edit(100, _("Title, venue, trainer or institution, then Enter"))
        self.search.setMinimumWidth(160)
        self.search.setToolTip(self.search.placeholderText())
        self.kind = QComboBox()
        self.kind.addItem(_("all kinds"), None)
        for kind in training.KINDS:
            self.kind.addItem(training.kind_label(kind), kind)
        self.year = QComboBox()
        self.year.addItem(_("all years"), None)
        for year in range(session.today.year + 1, session.today.year - 10, -1):
            self.year.addItem(str(year), year)
        self.count = text_label(HINT_STYLE, wrap=False)
        self.new_button = QPushButton(_("New session…"))
        self.new_button.setToolTip(_("Plan or record a training session (Ctrl+N)"))
        self.new_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.new_session)
        self.may_record = may(session, Action.TRAINING_RECORD)
        self.new_button.setVisible(self.may_record)
        bar = QWidget()
        top = QHBoxLayout(bar)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel(_("Find:")))
        top.addWidget(self.search, 1)
        for widget in (self.kind, self.year, self.count, self.new_button):
            top.addWidget(widget)
        today = session.today
        self.model = RowsModel([
            Column(_("Dates"), lambda r: dates_text(r.start_date, r.end_date),
                   lambda r: r.start_date),
            Column(_("Training"), lambda r: r.title),
            Column(_("Kind"), lambda r: training.kind_label(r.kind)),
            Column(_("Venue"), lambda r: r.venue or "–"),
            Column(_("Participants"), lambda r: f"{r.participants}/{r.capacity}",
                   lambda r: r.participants, numeric=True),
            Column(_("Completed"), lambda r: str(r.completed), lambda r: r.completed,
                   numeric=True),
            Column(_("Attendance"), lambda r: pct_text(r.attendance_pct),
                   lambda r: r.attendance_pct or 0, numeric=True),
            Column(_("Status"), lambda r: training.state_label(r.state(today))),
        ])
        self.model.setParent(self)
        self.table = table_view(self.model, 1)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 240)  # a long venue is cut, the title gets the room
        self.panel = SessionPanel(session, worker)
        self.panel.changed.connect(self._session_changed)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setChildrenCollapsible(False)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.splitter.setSizes([rows * 6 + 8, rows * 20])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(self.splitter, 1)
        self.table.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._chosen())
        EnterKey(self.search, self.refresh)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        new = QShortcut(QKeySequence.StandardKey.New, self, self.new_session)
        new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def refresh(self) -> None:
        if self.panel.row is not None and self._want_id is None:
            self._want_id = self.panel.row.id
        self._list()
        self.panel.reload()

    def _list(self) -> None:
        self._asked += 1
        asked = self._asked
        year = self.year.currentData()
        start = dt.date(year, 1, 1) if year else None
        end = dt.date(year, 12, 31) if year else None
        self.worker.submit(training.list_sessions, self.session, start=start, end=end,
                           kind=self.kind.currentData(), text=self.search.text(),
                           on_done=lambda rows: self._listed(asked, rows),
                           on_error=self._failed)

    @when_alive
    def _listed(self, asked: int, rows: list[SessionRow]) -> None:
        if asked != self._asked:
            return
        self.loaded = True
        want = self._want_id
        self._want_id = None
        self.model.set_rows(rows)
        self.count.setStyleSheet(HINT_STYLE)
        self.count.setText("  " + _("{n} sessions").format(n=len(rows)))
        target = next((i for i, r in enumerate(rows) if r.id == want), 0 if rows else -1)
        if target < 0:
            self._show(None)
            return
        index = self.model.index(target, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        self._show(rows[target])
        if self.panel.loading:  # a list that arrived, not arrow keys held down: read it now
            self.panel.reload()

    @when_alive
    def _failed(self, error: BaseException) -> None:
        self.count.setStyleSheet(ERROR_STYLE)
        self.count.setText(error_text(error))

    def selected(self) -> SessionRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select(self, session_id: int) -> None:
        """Show the session with ``session_id`` (the filter is cleared so the list has it)."""
        self._want_id = session_id
        for combo in (self.kind, self.year):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.clear()
        self._list()

    def _chosen(self) -> None:
        self._show(self.selected())

    def _show(self, row: SessionRow | None) -> None:
        panel = self.panel
        leaving = panel.file is not None and (row is None or row.id != panel.file.row.id)
        if leaving and panel.model.has_changes():
            assert panel.file is not None
            if dialogs.ask_yes_no(self, _("The attendance and scores of “{title}” are not "
                                          "saved. Save them now?").format(
                    title=panel.file.row.title)):
                panel.save()  # runs on the worker before the next session is read
            else:
                panel.model.drop_changes()
        panel.show_row(row)

    def _session_changed(self, session_id: int) -> None:
        self._want_id = session_id
        self._list()

    def new_session(self) -> None:
        if not self.may_record:
            return
        self.worker.submit(training.list_topics, self.session,
                           on_done=self._new_form, on_error=self._failed)

    @when_alive
    def _new_form(self, topics: list[TopicRow]) -> None:
        self.form = SessionDialog(self.session, self.worker, topics, None, self)
        self.form.succeeded.connect(self._created)  # type: ignore[attr-defined]
        self.form.open()

    def _created(self, session_id: int) -> None:
        self.panel.say(_("Session saved. Add its participants next."))
        self.select(session_id)


# --------------------------------------------------------------------------- the tab


class TrainingTab(Tab):
    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        self.sessions = SessionsPage(session, worker)
        self.record = MemberRecordPage(session, worker)
        self.reports = ReportsPage(session, worker)
        self.curriculum = CurriculumPage(session, worker)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        for page, label in ((self.sessions, _("Sessions")),
                            (self.record, _("Member's record")),
                            (self.reports, _("Reports")),
                            (self.curriculum, _("Curriculum"))):
            self.pages.addTab(page, label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.pages.currentChanged.connect(lambda _i: self.refresh())
        self.record.open_session.connect(self.open_session)
        self.curriculum.topics_loaded.connect(self.reports.set_topics)

    @property
    def panel(self) -> SessionPanel:
        return self.sessions.panel

    def refresh(self) -> None:
        """Reload the page in view (the window calls this on showing the tab)."""
        page = self.pages.currentWidget()
        if page is self.reports and not self.curriculum.loaded:
            self.curriculum.refresh()  # the report's topic choice
        page.refresh()  # type: ignore[attr-defined]

    def open_session(self, session_id: int) -> None:
        self.pages.setCurrentWidget(self.sessions)
        self.sessions.select(session_id)
