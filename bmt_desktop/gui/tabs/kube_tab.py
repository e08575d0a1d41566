"""Kube: the register of groups above, the chosen Kube below with its members, officers,
meetings and collection sheets, aid and bank linkage, monitoring visits, and its stage
with the empowerment indicators and the income chart.

Everything is read and written through the Kube services on the serial worker; the buttons
the role may not use, and every write on a read-only book, are hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.kube_stage import STAGES, stage_label
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.gui.tabs.base import Tab
from bmt_desktop.gui.tabs.drawer_dialogs import may
from bmt_desktop.gui.tabs.kube_chart import IncomeChart, month_label
from bmt_desktop.gui.tabs.kube_forms import (
    GOOD_STYLE,
    HINT_STYLE,
    WARN_STYLE,
    AddMemberDialog,
    AidDialog,
    BankLinkDialog,
    MeetingDialog,
    MeetingSaved,
    Member,
    NewKubeDialog,
    OfficerDialog,
    RemoveMemberDialog,
    StageDialog,
    VisitDialog,
    role_label,
)
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import ERROR_STYLE, error_text
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import kube
from bmt_desktop.services.book_settings import get_setting
from bmt_desktop.services.kube import Indicators, KubeRow, KubeStage
from bmt_desktop.services.session import Session

LOAD_DELAY_MS = 80


def _date(text: str | None) -> str:
    try:
        return format_date_id(dt.date.fromisoformat(text or ""))
    except ValueError:
        return text or "–"


def _table(model: RowsModel, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setWordWrap(False)
    rows = view.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def _label(style: str = "", *, wrap: bool = True, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _bar(*widgets: QWidget) -> QWidget:
    bar = QWidget()
    line = QHBoxLayout(bar)
    line.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        line.addWidget(widget)
    line.addStretch(1)
    return bar


def pct_change(before: int, after: int) -> str:
    """``+25 %`` from 1.000.000 to 1.250.000; "–" without a starting figure."""
    if not before:
        return "–"
    change = round(100 * (after - before) / before)
    return f"{change:+d} %"


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class KubeFile:
    """Everything the detail shows about one Kube (read in one go on the worker)."""

    members: list[Member]
    officers: list[tuple[str, str, str, str | None]]
    meetings: list[tuple]
    stage: KubeStage
    indicators: Indicators
    series: list[tuple[str, int]]
    phbk_missing: list[str]
    aid_received: bool
    size: tuple[int, int]  # the office's rule for the households in a Kube


def load_kube_file(session: Session, kube_id: int) -> KubeFile:
    return KubeFile(kube.current_members(session, kube_id), kube.officers(session, kube_id),
                    kube.meetings(session, kube_id), kube.kube_stage(session, kube_id),
                    kube.indicators(session, kube_id), kube.income_series(session, kube_id),
                    kube.phbk_eligibility(session, kube_id),
                    kube.kube_facts(session, kube_id).aid_received,
                    (int(get_setting(session.book, "kube_min_members")),
                     int(get_setting(session.book, "kube_max_members"))))


# --------------------------------------------------------------------------- the sub-tabs


class Page(QWidget):
    """A sub-tab: a few read-outs and the buttons the role may use."""

    def __init__(self, detail: KubeDetail) -> None:
        super().__init__()
        self.detail = detail
        self.buttons: list[QPushButton] = []

    def button(self, text: str, slot: Callable[[], None], action: Action) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        allowed = may(self.detail.session, action)
        button.setVisible(allowed)
        button.setProperty("allowed", allowed)
        self.buttons.append(button)
        return button

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        raise NotImplementedError


class MembersPage(Page):
    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.roles: dict[str, str] = {}
        self.model = RowsModel([
            Column(_("Member"), lambda m: m[1]),
            Column(_("Name"), lambda m: m[2]),
            Column(_("Officer"), lambda m: self.roles.get(m[2], "")),
        ])
        self.model.setParent(self)
        self.view = _table(self.model, 1)
        self.note = _label(HINT_STYLE)
        self.add_button = self.button(_("Add members…"), detail.add_members, Action.KUBE_MANAGE)
        self.remove_button = self.button(_("Leaves the Kube…"), detail.remove_member,
                                         Action.KUBE_MANAGE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addWidget(_bar(self.add_button, self.remove_button))

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        self.roles = {name: role_label(role) for role, name, _start, end in file.officers
                      if end is None}
        self.model.set_rows(file.members)
        self.note.setText(_("{n} households. A Kube has {low} to {high} households from one "
                            "village; a household belongs to one Kube at a time.").format(
            n=len(file.members), low=file.size[0], high=file.size[1]))

    def selected(self) -> Member | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None


class OfficersPage(Page):
    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.model = RowsModel([
            Column(_("Role"), lambda o: role_label(o[0])),
            Column(_("Name"), lambda o: o[1]),
            Column(_("Term start"), lambda o: _date(o[2])),
            Column(_("Term end"), lambda o: _date(o[3]) if o[3] else _("in office")),
        ])
        self.model.setParent(self)
        self.view = _table(self.model, 1)
        self.note = _label(HINT_STYLE)
        self.set_button = self.button(_("Set an officer…"), detail.set_officer,
                                      Action.KUBE_MANAGE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addWidget(_bar(self.set_button))

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        self.model.set_rows(file.officers)
        serving = {o[0] for o in file.officers if o[3] is None}
        missing = [role_label(r) for r in kube.OFFICER_ROLES if r not in serving]
        self.note.setText(_("Still to choose: {roles}.").format(roles=", ".join(missing))
                          if missing else _("Chair, secretary and treasurer are in office."))
        self.set_button.setEnabled(bool(file.members))


class MeetingsPage(Page):
    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.model = RowsModel([
            Column(_("Date"), lambda m: _date(m[1])),
            Column(_("Present"), lambda m: _("{present} of {members}").format(
                present=m[2], members=m[3]), numeric=True),
            Column(_("Problems raised"), lambda m: str(m[4]), numeric=True),
            Column(_("Solved"), lambda m: str(m[5]), numeric=True),
            Column(_("Collection sheet"), lambda m: m[6] or _("no money collected")),
        ])
        self.model.setParent(self)
        self.view = _table(self.model, 4)
        self.new_button = self.button(_("New meeting…"), detail.new_meeting,
                                      Action.KUBE_MEETING)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(_bar(self.new_button))

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        self.model.set_rows(file.meetings)
        self.new_button.setEnabled(bool(file.members))


class AidPage(Page):
    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.aid = _label()
        self.bank = _label()
        self.phbk = _label()
        self.aid_button = self.button(_("Record stimulant aid…"), detail.record_aid,
                                      Action.KUBE_AID)
        self.link_button = self.button(_("Link with a bank…"), detail.link_bank,
                                       Action.KUBE_AID)
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(10)
        for row, (title, value) in enumerate(((_("Stimulant aid"), self.aid),
                                              (_("Bank linkage"), self.bank),
                                              (_("PHBK eligibility"), self.phbk))):
            name = QLabel(f"<b>{title}</b>")
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(grid_box)
        layout.addStretch(1)
        layout.addWidget(_bar(self.aid_button, self.link_button))

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        self.aid.setText(_("Received: tools or cash from the programme are recorded.")
                         if file.aid_received else _("No stimulant aid recorded yet."))
        self.aid.setStyleSheet("" if file.aid_received else WARN_STYLE)
        self.bank.setText(file.indicators.bank_linkage or _("not linked with a bank yet"))
        if file.phbk_missing:
            self.phbk.setText(_("Not yet eligible. Missing:") + "\n" + "\n".join(
                f"✘ {what}" for what in file.phbk_missing))
            self.phbk.setStyleSheet(WARN_STYLE)
        else:
            self.phbk.setText(_("Eligible for a bank linkage (PHBK)."))
            self.phbk.setStyleSheet(GOOD_STYLE)


class VisitsPage(Page):
    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.model = RowsModel([
            Column(_("Member"), lambda m: m[1]),
            Column(_("Name"), lambda m: m[2]),
        ])
        self.model.setParent(self)
        self.view = _table(self.model, 1)
        self.months = RowsModel([
            Column(_("Month"), lambda p: month_label(p[0]) if p is not self.first
                   else _("at entry ({month})").format(month=month_label(p[0]))),
            Column(_("Average income"), lambda p: format_rupiah(p[1]), numeric=True),
        ])
        self.months.setParent(self)
        self.first: tuple[str, int] | None = None
        self.months_view = _table(self.months, 0)
        self.visit_button = self.button(_("Record a visit…"), detail.record_visit,
                                        Action.KUBE_MEETING)
        self.view.doubleClicked.connect(lambda _index: self._visit())
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(_label(text=_("Choose a member and record what the visit "
                                            "found:")))
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(_bar(self.visit_button))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(_label(text=_("Members' average monthly income by visit "
                                             "month:")))
        right_layout.addWidget(self.months_view, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(left, 3)
        layout.addWidget(right, 2)

    def _visit(self) -> None:
        if self.visit_button.property("allowed"):
            self.detail.record_visit()

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        self.model.set_rows(file.members)
        self.first = file.series[0] if file.series else None
        self.months.set_rows(file.series)
        self.visit_button.setEnabled(bool(file.members))

    def selected(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row())[0] if rows else None


class IndicatorsPage(Page):
    """The stage in force, what is met and missing, the success indicators and the chart."""

    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.stage = _label("font-size: 12pt; font-weight: bold;")
        self.override = _label(WARN_STYLE)
        self.met = _label(GOOD_STYLE)
        self.missing = _label(WARN_STYLE)
        self.stage_button = self.button(_("Override the stage…"), detail.override_stage,
                                        Action.KUBE_STAGE)
        self.values: dict[str, QLabel] = {}
        numbers = QWidget()
        grid = QGridLayout(numbers)
        grid.setContentsMargins(0, 6, 0, 0)
        grid.setVerticalSpacing(4)
        for row, (key, title) in enumerate((
                ("trained", _("Knowledge and skills")), ("problems", _("Problems solved")),
                ("income", _("Family income")), ("savings", _("Members' savings")),
                ("iks", _("IKS balance")), ("bank", _("Bank linkage")))):
            name = QLabel(title)
            name.setStyleSheet(HINT_STYLE)
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.values[key] = _label()
            grid.addWidget(name, row, 0)
            grid.addWidget(self.values[key], row, 1)
        grid.setColumnStretch(1, 1)
        self.chart = IncomeChart()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.stage)
        column.addWidget(self.override)
        column.addWidget(self.met)
        column.addWidget(self.missing)
        column.addWidget(_bar(self.stage_button))
        heading = QLabel(_("Success indicators"))
        heading.setStyleSheet("font-weight: bold;")
        column.addWidget(heading)
        column.addWidget(numbers)
        column.addStretch(1)
        scroll = QScrollArea()  # a small window scrolls the read-outs rather than clip them
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.viewport().setAutoFillBackground(False)  # the tab page's colour shows through
        left.setAutoFillBackground(False)
        self.scroll = scroll
        layout = QHBoxLayout(self)
        layout.addWidget(scroll, 5)
        layout.addWidget(self.chart, 6)

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        stage, found = file.stage, file.indicators
        self.stage.setText(_("Stage: {stage}").format(stage=stage_label(stage.stage)))
        if stage.override_reason:
            self.override.setText(_("Set by the manager (the books show {computed}): "
                                    "{reason}").format(
                computed=stage_label(stage.computed.stage), reason=stage.override_reason))
        self.override.setVisible(bool(stage.override_reason))
        self.met.setText("\n".join(f"✔ {text}" for text in stage.computed.met))
        self.met.setVisible(bool(stage.computed.met))
        if stage.computed.missing:
            following = STAGES[min(STAGES.index(stage.computed.stage) + 1, len(STAGES) - 1)]
            self.missing.setText(_("Missing for {stage}:").format(
                stage=stage_label(following)) + "\n" + "\n".join(
                f"✘ {text}" for text in stage.computed.missing))
        else:
            self.missing.setText(_("Every condition of the highest stage is met."))
        trained = (_("waiting for the training module") if found.trained is None else
                   _("{n} of {members} members trained").format(n=found.trained,
                                                                members=found.members))
        raised, solved = found.problems_raised, found.problems_solved
        self.values["trained"].setText(trained)
        self.values["problems"].setText(
            _("{solved} of {raised} raised ({pct} %)").format(
                solved=solved, raised=raised, pct=100 * solved // raised)
            if raised else _("no problems recorded yet"))
        self.values["income"].setText(_("{before} at entry → {after} now ({change})").format(
            before=format_rupiah(found.income_baseline), after=format_rupiah(found.income_latest),
            change=pct_change(found.income_baseline, found.income_latest)))
        self.values["savings"].setText(format_rupiah(found.savings_total))
        self.values["iks"].setText(format_rupiah(found.iks_balance))
        self.values["bank"].setText(found.bank_linkage or _("not linked with a bank yet"))
        self.chart.set_points(file.series)


class FinancingPage(Page):
    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        text = _label("color: #555; font-size: 11pt; padding: 16px;")
        text.setText(_("Financing for a Kube (group and joint-liability financing) arrives "
                       "with the financing part of the programme."))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addStretch(1)

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        return


# --------------------------------------------------------------------------- the detail


class KubeDetail(QWidget):
    """The chosen Kube under the list, with a sub-tab for each part of its file."""

    changed = Signal(int)  # a Kube's data changed: the list reloads its row

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__()
        self.session, self.worker = session, worker
        self.row: KubeRow | None = None
        self.file: KubeFile | None = None
        self.dialog: QDialog | None = None
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LOAD_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.empty = QLabel(_("Choose a Kube in the list to see its members, meetings and "
                              "indicators."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #555;")
        self.title = _label("font-size: 13pt; font-weight: bold;", wrap=False)
        self.subtitle = _label(HINT_STYLE)
        self.message = _label()
        self.message.setObjectName("kubeMessage")
        self.message.setVisible(False)
        self.members_page = MembersPage(self)
        self.officers_page = OfficersPage(self)
        self.meetings_page = MeetingsPage(self)
        self.aid_page = AidPage(self)
        self.visits_page = VisitsPage(self)
        self.indicators_page = IndicatorsPage(self)
        self.financing_page = FinancingPage(self)
        self.pages = QTabWidget()
        for page, label in ((self.members_page, _("Members")),
                            (self.officers_page, _("Officers")),
                            (self.meetings_page, _("Meetings")),
                            (self.aid_page, _("Aid && PHBK")),
                            (self.visits_page, _("Visits")),
                            (self.indicators_page, _("Indicators")),
                            (self.financing_page, _("Financing"))):
            self.pages.addTab(page, label)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        column.addWidget(self.pages, 1)
        column.addWidget(self.message)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.stack)

    def all_pages(self) -> list[Page]:
        return [self.members_page, self.officers_page, self.meetings_page, self.aid_page,
                self.visits_page, self.indicators_page, self.financing_page]

    def visible_actions(self) -> list[str]:
        """The texts of the buttons this user sees (for tests and the read-only check)."""
        return [b.text() for p in self.all_pages() for b in p.buttons if b.property("allowed")]

    # ------------------------------------------------------------------ showing a Kube
    def show_kube(self, row: KubeRow | None) -> None:
        if row is not None and row == self.row and self.file is not None:
            return
        if row is None or self.row is None or row.id != self.row.id:
            self.say("")
            self.file = None
        self.row = row
        self._generation += 1
        if row is None:
            self._timer.stop()
            self.stack.setCurrentWidget(self.empty)
            return
        self._timer.start()

    def reload(self) -> None:
        if self.row is None:
            return
        self._timer.stop()
        self._generation += 1
        generation, kube_id = self._generation, self.row.id
        self.worker.submit(load_kube_file, self.session, kube_id,
                           on_done=lambda f: self._loaded(generation, f),
                           on_error=lambda e: self._load_failed(generation, e))

    @property
    def loading(self) -> bool:
        return self._timer.isActive() or (self.row is not None and self.file is None)

    @when_alive
    def _loaded(self, generation: int, file: KubeFile) -> None:
        if generation != self._generation or self.row is None:
            return
        row = self.row
        self.file = file
        self.title.setText(f"{row.code} · {row.name}")
        place = _("RW {rw} / RT {rt}").format(rw=row.rw or "–", rt=row.rt or "–")
        parts = [row.business_type, place, _("formed {date}").format(date=_date(row.formed_on)),
                 _("mentor: {name}").format(name=row.pendamping) if row.pendamping
                 else _("no mentor yet"), _("stage {stage}").format(
                     stage=stage_label(file.stage.stage))]
        self.subtitle.setText(" · ".join(p for p in parts if p))
        for page in self.all_pages():
            page.show_file(row, file)
        self.stack.setCurrentIndex(1)

    @when_alive
    def _load_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self.say(error_text(error), ERROR_STYLE)

    def say(self, text: str, style: str = GOOD_STYLE) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.message.setVisible(bool(text))

    def _changed(self, text: str = "", style: str = GOOD_STYLE) -> None:
        if text:
            self.say(text, style)
        if self.row is not None:
            self.changed.emit(self.row.id)
        self.reload()

    def _open(self, dialog: QDialog, done: Callable[[Any], None]) -> None:
        self.dialog = dialog
        dialog.succeeded.connect(done)  # type: ignore[attr-defined]
        dialog.open()

    # ------------------------------------------------------------------ actions
    def _ready(self) -> tuple[KubeRow, KubeFile] | None:
        if self.row is None or self.file is None:
            return None
        return self.row, self.file

    def add_members(self) -> None:
        if (ready := self._ready()) is None:
            return
        row, file = ready
        dialog = AddMemberDialog(self.session, self.worker, row, file.members, self)
        self.dialog = dialog
        dialog.added.connect(self._member_added)
        dialog.open()

    def _member_added(self, name: str, warnings: Sequence[str]) -> None:
        assert self.row is not None
        text = "\n".join([_("{name} is added to {kube}.").format(name=name, kube=self.row.name),
                          *warnings])
        self._changed(text, WARN_STYLE if warnings else GOOD_STYLE)

    def remove_member(self) -> None:
        if (ready := self._ready()) is None:
            return
        member = self.members_page.selected()
        if member is None:
            self.say(_("Choose the member who leaves in the list first."), ERROR_STYLE)
            return
        self._open(RemoveMemberDialog(self.session, self.worker, ready[0], member, self),
                   lambda _none: self._changed(_("{name} has left the Kube.").format(
                       name=member[2])))

    def set_officer(self) -> None:
        if (ready := self._ready()) is not None:
            self._open(OfficerDialog(self.session, self.worker, ready[0], ready[1].members,
                                     self), lambda _none: self._changed(_("Officer saved.")))

    def new_meeting(self) -> None:
        if (ready := self._ready()) is not None:
            self._open(MeetingDialog(self.session, self.worker, ready[0], ready[1].members,
                                     self), self._meeting_saved)

    def _meeting_saved(self, result: MeetingSaved) -> None:
        if result.posted is not None:
            self._changed(_("Meeting saved; the collection sheet is posted as {number} "
                            "({amount}).").format(number=result.posted.doc_number,
                                                 amount=format_rupiah(result.posted.total)))
        else:
            self._changed(_("Meeting saved."))

    def record_aid(self) -> None:
        if (ready := self._ready()) is not None:
            self._open(AidDialog(self.session, self.worker, ready[0], self),
                       lambda _id: self._changed(_("Stimulant aid recorded.")))

    def link_bank(self) -> None:
        if (ready := self._ready()) is not None:
            self._open(BankLinkDialog(self.session, self.worker, ready[0],
                                      ready[1].phbk_missing, self),
                       lambda _id: self._changed(_("Bank linkage recorded.")))

    def record_visit(self) -> None:
        if (ready := self._ready()) is not None:
            self._open(VisitDialog(self.session, self.worker, ready[1].members,
                                   self.visits_page.selected(), self),
                       lambda _id: self._changed(_("Visit recorded.")))

    def override_stage(self) -> None:
        if (ready := self._ready()) is not None:
            row, file = ready
            self._open(StageDialog(self.session, self.worker, row, file.stage, self),
                       lambda _none: self._changed(_("Stage saved.")))


# --------------------------------------------------------------------------- the tab


class KubeTab(Tab):
    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        self.form: QDialog | None = None
        self._want_id: int | None = None
        self._notice: str | None = None  # said under the Kube chosen when the list arrives
        self._asked = 0
        self.loaded = False
        self.count = _label(wrap=False)
        self.new_button = QPushButton(_("New Kube…"))
        self.new_button.setToolTip(_("Register a new Kube (Ctrl+N)"))
        self.new_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.new_kube)
        self.may_manage = may(session, Action.KUBE_MANAGE)
        self.new_button.setVisible(self.may_manage)
        bar = QWidget()
        top = QHBoxLayout(bar)
        top.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(_("Joint business groups (Kube)"))
        heading.setStyleSheet("font-weight: bold;")
        top.addWidget(heading)
        top.addWidget(self.count, 1)
        top.addWidget(self.new_button)

        self.model = RowsModel([
            Column(_("Code"), lambda r: r.code),
            Column(_("Name"), lambda r: r.name),
            Column(_("Business"), lambda r: r.business_type),
            Column(_("RW/RT"), lambda r: f"{r.rw or '–'}/{r.rt or '–'}"),
            Column(_("Members"), lambda r: str(r.members), lambda r: r.members, numeric=True),
            Column(_("Stage"), lambda r: stage_label(r.stage)),
            Column(_("Mentor"), lambda r: r.pendamping or "–"),
        ])
        self.model.setParent(self)
        self.table = _table(self.model, 1)
        self.detail = KubeDetail(session, worker)
        self.detail.changed.connect(self._kube_changed)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setChildrenCollapsible(False)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.splitter.setSizes([rows * 6 + 8, rows * 20])  # about five Kube in view
        layout = QVBoxLayout(self)
        layout.addWidget(bar)
        layout.addWidget(self.splitter, 1)
        self.table.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self.detail.show_kube(self.selected()))
        new = QShortcut(QKeySequence.StandardKey.New, self, self.new_kube)
        new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # ------------------------------------------------------------------ the list
    def refresh(self) -> None:
        """Reload the list (the window calls this on showing the tab) and the Kube shown."""
        if self.detail.row is not None and self._want_id is None:
            self._want_id = self.detail.row.id
        self._asked += 1
        asked = self._asked
        self.worker.submit(kube.list_kube, self.session,
                           on_done=lambda rows: self._listed(asked, rows),
                           on_error=self._failed)
        self.detail.reload()

    @when_alive
    def _listed(self, asked: int, rows: list[KubeRow]) -> None:
        if asked != self._asked:
            return
        self.loaded = True
        want = self._want_id
        self._want_id = None
        self.model.set_rows(rows)
        self.count.setStyleSheet(HINT_STYLE)
        self.count.setText("  " + _("{n} Kube").format(n=len(rows)))
        target = next((i for i, r in enumerate(rows) if r.id == want), 0 if rows else -1)
        if target < 0:
            self.detail.show_kube(None)
            return
        index = self.model.index(target, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        self.detail.show_kube(rows[target])
        if self._notice is not None:
            self.detail.say(self._notice)
            self._notice = None

    @when_alive
    def _failed(self, error: BaseException) -> None:
        self.count.setStyleSheet(ERROR_STYLE)
        self.count.setText(error_text(error))

    def selected(self) -> KubeRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select(self, kube_id: int) -> None:
        """Choose the Kube with ``kube_id`` once the list has it (reloads the list)."""
        self._want_id = kube_id
        self.refresh()

    def _kube_changed(self, kube_id: int) -> None:
        self._want_id = kube_id
        self._asked += 1
        asked = self._asked
        self.worker.submit(kube.list_kube, self.session,
                           on_done=lambda rows: self._listed(asked, rows),
                           on_error=self._failed)

    # ------------------------------------------------------------------ registering
    def new_kube(self) -> None:
        if not self.may_manage:
            return
        self.form = NewKubeDialog(self.session, self.worker, self)
        self.form.succeeded.connect(self._created)
        self.form.open()

    def _created(self, kube_id: int) -> None:
        self._notice = _("Kube registered. Add its members next.")
        self._kube_changed(kube_id)
