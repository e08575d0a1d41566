"""The Pelatihan tab's other pages: a member's training record, the three reports and the
curriculum with the office's training rules. Each reads through the training services on the
serial worker; the curriculum's buttons are the manager's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.permissions import Action
from bmt_desktop.gui.tabs.drawer_dialogs import may
from bmt_desktop.gui.tabs.kube_common import (
    HINT_STYLE,
    DateField,
    button_bar,
    date_text,
    hbox,
    line_edit,
    table_view,
    text_label,
)
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import ERROR_STYLE, GOOD_STYLE, EnterKey, error_text
from bmt_desktop.gui.tabs.training_forms import RulesDialog, TopicDialog
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.printing.certificate import format_date_range
from bmt_desktop.services import training, training_reports
from bmt_desktop.services.members import MemberRow, search_members
from bmt_desktop.services.session import Session
from bmt_desktop.services.training import SessionRow, TopicRow
from bmt_desktop.services.training_reports import KubeTrainingRow, RecordRow, UntrainedRow

MAX_FOUND = 30


def dates_text(start: str, end: str) -> str:
    return format_date_range(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def pct_text(value: int | None) -> str:
    return "–" if value is None else f"{value} %"


def scores_text(pre: int | None, post: int | None) -> str:
    if pre is None and post is None:
        return "–"
    return f"{'–' if pre is None else pre} → {'–' if post is None else post}"


def result_text(row: RecordRow, today: dt.date) -> str:
    if row.status == "batal":
        return _("cancelled")
    if row.start_date > today.isoformat():
        return _("scheduled")
    if row.completed and row.end_date <= today.isoformat():
        return _("completed")
    return _("running") if row.end_date >= today.isoformat() else _("not completed")


class _Page(QWidget):
    """A page of the tab: ``refresh`` reloads it through the worker."""

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__()
        self.session, self.worker = session, worker
        self.loaded = False

    def refresh(self) -> None:
        """Reload what the page shows."""

    def run(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None],
            **kwargs: Any) -> None:
        """``fn(session, *args, **kwargs)`` on the worker; ``done(result)`` if the page still
        exists when the answer comes."""

        def finish(result: Any) -> None:
            if shiboken6.isValid(self):
                done(result)

        self.worker.submit(fn, self.session, *args, on_done=finish, on_error=self._failed,
                           **kwargs)

    @when_alive
    def _failed(self, error: BaseException) -> None:
        self.say(error_text(error), ERROR_STYLE)

    def say(self, text: str, style: str = GOOD_STYLE) -> None:
        raise NotImplementedError


# ---------------------------------------------------------------------------- member record


class MemberRecordPage(_Page):
    """Find a member; see every session they took part in, with attendance and result."""

    open_session = Signal(int)  # a record row was opened: show that session

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        self.member: MemberRow | None = None
        self._asked = 0
        self.search = line_edit(100, _("Member's name, number or NIK, then Enter"))
        self.found = RowsModel([
            Column(_("Number"), lambda r: r.number),
            Column(_("Name"), lambda r: r.name),
            Column(_("Address"), lambda r: r.address),
        ])
        self.found.setParent(self)
        self.members = table_view(self.found, 1)
        self.record = RowsModel([
            Column(_("Dates"), lambda r: dates_text(r.start_date, r.end_date),
                   lambda r: r.start_date),
            Column(_("Training"), lambda r: r.title),
            Column(_("Kind"), lambda r: training.kind_label(r.kind)),
            Column(_("As"), lambda r: training.role_label(r.role)),
            Column(_("Present"), lambda r: _("{present} of {days} ({pct} %)").format(
                present=r.present_days, days=r.days, pct=r.attendance_pct), numeric=True),
            Column(_("Scores"), lambda r: scores_text(r.pre_score, r.post_score)),
            Column(_("Result"), lambda r: result_text(r, self.session.today)),
        ])
        self.record.setParent(self)
        self.sessions = table_view(self.record, 1)
        self.sessions.selectionModel().currentRowChanged.connect(self._topics)
        self.topics = text_label(HINT_STYLE)
        self.sessions.doubleClicked.connect(self._open)
        self.heading = text_label("font-weight: bold;", wrap=False)
        self.summary = text_label(HINT_STYLE)
        self.message = text_label()
        self.message.setVisible(False)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(_("Search:")))
        column.addWidget(self.search)
        column.addWidget(self.members, 1)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.sessions, 1)
        column.addWidget(self.topics)
        column.addWidget(self.summary)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([370, 810])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        EnterKey(self.search, self.run_search)
        self.members.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.show_member(
                self.found.row_at(current.row()) if current.isValid() else None))
        self.heading.setText(_("Choose a member to see their training."))

    def say(self, text: str, style: str = GOOD_STYLE) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.message.setVisible(bool(text))

    def refresh(self) -> None:
        if self.member is not None:
            self.show_member(self.member)

    def run_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            self.say(_("Type a member's name, number or NIK."), ERROR_STYLE)
            return
        self.say("")
        self.run(search_members, text, MAX_FOUND,
                 done=lambda found: self.found_members(found.rows))

    def found_members(self, rows: list[MemberRow]) -> None:
        self.found.set_rows(rows)
        if not rows:
            self.say(_("No member found for “{text}”.").format(
                text=self.search.text().strip()[:40]), ERROR_STYLE)
            return
        self.members.selectRow(0)
        self.members.setFocus()

    def show_member(self, member: MemberRow | None) -> None:
        self.member = member
        if member is None:
            return
        self._asked += 1
        asked = self._asked
        self.run(training_reports.member_record, member.id,
                 done=lambda rows: self.show_record(asked, member, rows))

    def show_record(self, asked: int, member: MemberRow, rows: list[RecordRow]) -> None:
        if asked != self._asked:
            return
        self.loaded = True
        self.heading.setText(f"{member.name} ({member.number})")
        self.record.set_rows(rows)
        self.topics.clear()
        if rows:
            self.sessions.selectRow(0)
        today = self.session.today.isoformat()
        done = sorted({training.kind_label(r.kind) for r in rows
                       if r.completed and r.end_date <= today})
        self.summary.setText(
            _("{n} sessions; completed: {kinds}.").format(
                n=len(rows), kinds=", ".join(done) if done else _("none yet"))
            + " " + _("Double-click a session to open it."))

    def _topics(self, current: Any, _previous: Any = None) -> None:
        row = self.record.row_at(current.row()) if current.isValid() else None
        self.topics.setText(_("Topics: {topics}").format(topics="; ".join(row.topics))
                            if row is not None else "")

    def _open(self, index: Any) -> None:
        if index.isValid():
            self.open_session.emit(self.record.row_at(index.row()).session_id)


# ---------------------------------------------------------------------------- reports


class ReportsPage(_Page):
    """Sessions in a period, attendance and completion per Kube, members not yet trained."""

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        today = session.today
        self.choice = QComboBox()
        self.choice.addItem(_("Sessions in a period"), "sessions")
        self.choice.addItem(_("Attendance and completion per Kube"), "kube")
        self.choice.addItem(_("Members not yet trained"), "untrained")
        self.first = DateField(dt.date(today.year - 1, 1, 1))  # this year and the last
        self.last = DateField(today)
        self.which = QComboBox()
        self.which.addItem(_("any training"), None)
        self.show_button = QPushButton(_("Show"))
        self.show_button.setAutoDefault(False)
        self.show_button.clicked.connect(self.refresh)
        self.period = hbox(QLabel(_("From")), self.first, QLabel(_("to")), self.last)
        self.filter = hbox(QLabel(_("Not completed:")), self.which)
        self.count = text_label(HINT_STYLE, wrap=False)
        self.message = text_label()
        self.message.setVisible(False)
        self.models = {
            "sessions": RowsModel([
                Column(_("Dates"), lambda r: dates_text(r.start_date, r.end_date),
                       lambda r: r.start_date),
                Column(_("Training"), lambda r: r.title),
                Column(_("Kind"), lambda r: training.kind_label(r.kind)),
                Column(_("Venue"), lambda r: r.venue or "–"),
                Column(_("Trainer"), lambda r: r.trainer or "–"),
                Column(_("Participants"), lambda r: str(r.participants),
                       lambda r: r.participants, numeric=True),
                Column(_("Completed"), lambda r: str(r.completed), lambda r: r.completed,
                       numeric=True),
                Column(_("Attendance"), lambda r: pct_text(r.attendance_pct),
                       lambda r: r.attendance_pct or 0, numeric=True),
                Column(_("Status"), lambda r: training.state_label(
                    r.state(self.session.today))),
            ]),
            "kube": RowsModel([
                Column(_("Code"), lambda r: r.code),
                Column(_("Kube"), lambda r: r.name),
                Column(_("Households"), lambda r: str(r.members), lambda r: r.members,
                       numeric=True),
                Column(_("Took part"), lambda r: str(r.took_part), lambda r: r.took_part,
                       numeric=True),
                Column(_("Attendance"), lambda r: pct_text(r.attendance_pct),
                       lambda r: r.attendance_pct or 0, numeric=True),
                Column(_("Completed any"), lambda r: str(r.completed), lambda r: r.completed,
                       numeric=True),
                *[Column(training.kind_label(kind).capitalize(),
                         lambda r, k=kind: str(r.by_kind[k]), lambda r, k=kind: r.by_kind[k],
                         numeric=True) for kind in training.KINDS],
            ]),
            "untrained": RowsModel([
                Column(_("Number"), lambda r: r.number),
                Column(_("Name"), lambda r: r.name),
                Column(_("Kube"), lambda r: r.kube_name or "–"),
                Column(_("RT/RW"), lambda r: f"{r.rt or '–'}/{r.rw or '–'}"),
                Column(_("Member since"), lambda r: date_text(r.join_date),
                       lambda r: r.join_date),
                Column(_("Took part without completing"), lambda r: str(r.attempts),
                       lambda r: r.attempts, numeric=True),
            ]),
        }
        self.stack = QStackedWidget()
        self.views = {}
        for key, model in self.models.items():
            model.setParent(self)
            self.views[key] = table_view(model, 1)
            self.stack.addWidget(self.views[key])
        controls = hbox(QLabel(_("Report:")), self.choice, self.period, self.filter,
                        self.show_button)
        layout = QVBoxLayout(self)
        layout.addWidget(controls)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.message)
        self.choice.currentIndexChanged.connect(self._chosen)
        self.which.currentIndexChanged.connect(lambda _i: self._chosen())
        for edit in (self.first, self.last):
            EnterKey(edit, self.refresh)
        self._chosen()

    @property
    def report(self) -> str:
        return self.choice.currentData()

    def say(self, text: str, style: str = GOOD_STYLE) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.message.setVisible(bool(text))

    def _chosen(self) -> None:
        report = self.report
        self.period.setVisible(report != "untrained")
        self.filter.setVisible(report == "untrained")
        self.stack.setCurrentWidget(self.views[report])
        if self.loaded:
            self.refresh()

    def set_topics(self, topics: list[TopicRow]) -> None:
        """Offer the kinds and the topics for the members-not-yet-trained report."""
        current = self.which.currentData()
        self.which.blockSignals(True)
        self.which.clear()
        self.which.addItem(_("any training"), None)
        for kind in training.KINDS:
            self.which.addItem(training.kind_label(kind), f"kind:{kind}")
        for topic in topics:
            self.which.addItem(f"{topic.name} ({topic.code})", f"topic:{topic.code}")
        self.which.setCurrentIndex(max(0, self.which.findData(current)))
        self.which.blockSignals(False)

    def refresh(self) -> None:
        self.say("")
        report = self.report
        if report == "untrained":
            what = self.which.currentData() or ""
            kind = what[5:] if what.startswith("kind:") else None
            topic = what[6:] if what.startswith("topic:") else None
            self.run(training_reports.untrained_members, topic=topic, kind=kind,
                     done=lambda rows: self.show_rows("untrained", rows))
            return
        try:
            first = self.first.read(_("From"))
            last = self.last.read(_("To"))
        except Exception as error:  # noqa: BLE001 - a typed date the user fixes
            self.say(error_text(error), ERROR_STYLE)
            return
        fn = (training_reports.sessions_in_period if report == "sessions"
              else training_reports.kube_training)
        self.run(fn, first, last, done=lambda rows: self.show_rows(report, rows))

    def show_rows(self, report: str, rows: list[SessionRow | KubeTrainingRow | UntrainedRow]
                  ) -> None:
        self.loaded = True
        self.models[report].set_rows(rows)
        if report != self.report:
            return
        self.count.setText({
            "sessions": _("{n} sessions in the period."),
            "kube": _("{n} Kube; households counted as they are now."),
            "untrained": _("{n} members have not completed it."),
        }[report].format(n=len(rows)))


# ---------------------------------------------------------------------------- curriculum


class CurriculumPage(_Page):
    """The topics by kind; the manager adds, renames and retires them and sets the rules."""

    topics_loaded = Signal(object)  # list[TopicRow], for the other pages' choices

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        self.topics: list[TopicRow] = []
        self.rules: training.Rules | None = None
        self.dialog: QDialog | None = None
        self.rules_text = text_label()
        self.model = RowsModel([
            Column(_("Code"), lambda t: t.code),
            Column(_("Topic"), lambda t: t.name),
            Column(_("Kind"), lambda t: training.kind_label(t.kind)),
            Column(_("Description"), lambda t: t.description or "–"),
            Column(_("Taught"), lambda t: _("yes") if t.active else _("no longer")),
        ])
        self.model.setParent(self)
        self.view = table_view(self.model, 3)
        self.message = text_label()
        self.message.setVisible(False)
        self.buttons: list[QPushButton] = []
        self.add_button = self._button(_("New topic…"), self.add_topic,
                                       Action.TRAINING_CURRICULUM)
        self.edit_button = self._button(_("Change…"), self.edit_topic,
                                        Action.TRAINING_CURRICULUM)
        self.active_button = self._button(_("No longer taught"), self.toggle_topic,
                                          Action.TRAINING_CURRICULUM)
        self.rules_button = self._button(_("Change the rules…"), self.edit_rules,
                                         Action.SETTINGS_EDIT)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rules_text)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addWidget(button_bar(self.add_button, self.edit_button, self.active_button,
                                    self.rules_button))
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._selected())
        self.view.doubleClicked.connect(lambda _i: self.edit_topic())

    def _button(self, text: str, slot: Callable[[], None], action: Action) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        allowed = may(self.session, action)
        button.setVisible(allowed)
        button.setProperty("allowed", allowed)
        self.buttons.append(button)
        return button

    def say(self, text: str, style: str = GOOD_STYLE) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.message.setVisible(bool(text))

    def refresh(self) -> None:
        self.run(load_curriculum, done=lambda loaded: self.show_curriculum(*loaded))

    def show_curriculum(self, topics: list[TopicRow], rules: training.Rules) -> None:
        self.loaded = True
        chosen = self.selected()
        self.topics, self.rules = topics, rules
        self.model.set_rows(topics)
        required = ", ".join(f"{t.name} ({t.code})" for t in rules.aid_required) or _("none")
        self.rules_text.setText(
            _("A participant completes a session with at least {pct} % attendance (new "
              "sessions). Before stimulant aid every household of the Kube completes: "
              "{topics}.").format(pct=rules.completion_pct, topics=required))
        row = next((i for i, t in enumerate(topics) if chosen and t.id == chosen.id), 0)
        if topics:
            self.view.selectRow(row)
        self._selected()
        self.topics_loaded.emit(topics)

    def selected(self) -> TopicRow | None:
        index = self.view.selectionModel().currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _selected(self) -> None:
        topic = self.selected()
        self.edit_button.setEnabled(topic is not None)
        self.active_button.setEnabled(topic is not None)
        self.active_button.setText(_("No longer taught") if topic is None or topic.active
                                   else _("Taught again"))

    def _open(self, dialog: QDialog, text: str) -> None:
        self.dialog = dialog
        dialog.succeeded.connect(lambda _r: self._changed(text))  # type: ignore[attr-defined]
        dialog.open()

    def _changed(self, text: str) -> None:
        self.say(text)
        self.refresh()

    def add_topic(self) -> None:
        self._open(TopicDialog(self.session, self.worker, None, self), _("Topic added."))

    def edit_topic(self) -> None:
        topic = self.selected()
        if topic is not None and self.edit_button.property("allowed"):
            self._open(TopicDialog(self.session, self.worker, topic, self), _("Topic saved."))

    def toggle_topic(self) -> None:
        topic = self.selected()
        if topic is None:
            return
        self.worker.submit(training.set_topic_active, self.session, topic.id, not topic.active,
                           on_done=lambda _r: self._changed(
                               _("{code} is taught again.").format(code=topic.code)
                               if not topic.active else
                               _("{code} is no longer taught.").format(code=topic.code)),
                           on_error=self._failed)

    def edit_rules(self) -> None:
        if self.rules is not None:
            self._open(RulesDialog(self.session, self.worker, self.rules, self),
                       _("Training rules saved."))


def load_curriculum(session: Session) -> tuple[list[TopicRow], training.Rules]:
    return training.list_topics(session), training.rules(session)
