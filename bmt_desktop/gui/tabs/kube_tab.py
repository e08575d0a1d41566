"""Kube: the register of groups above, the chosen Kube below with its members, officers,
meetings and collection sheets, aid and bank linkage, monitoring visits, group funds, and its
stage with the empowerment indicators and the income chart.

Everything is read and written through the Kube services on the serial worker; the buttons
the role may not use, and every write on a read-only book, are hidden. The sub-tab pages are
in kube_pages, kube_indicators and kube_funds, the forms in kube_forms, kube_aid and
kube_meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.kube_stage import stage_label
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.gui.tabs.base import Tab
from bmt_desktop.gui.tabs.drawer_dialogs import may
from bmt_desktop.gui.tabs.kube_common import (
    HINT_STYLE,
    WARN_STYLE,
    date_text,
    table_view,
    text_label,
)
from bmt_desktop.gui.tabs.kube_forms import (
    AddMemberDialog,
    AidDialog,
    BankLinkDialog,
    MeetingDialog,
    MeetingSaved,
    NewKubeDialog,
    OfficerDialog,
    RemoveMemberDialog,
    StageDialog,
    VisitDialog,
)
from bmt_desktop.gui.tabs.kube_funds import FundsPage
from bmt_desktop.gui.tabs.kube_indicators import IndicatorsPage
from bmt_desktop.gui.tabs.kube_pages import (
    AidPage,
    FinancingPage,
    KubeFile,
    MeetingsPage,
    MembersPage,
    OfficersPage,
    Page,
    VisitsPage,
    load_kube_file,
)
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.record_panel import RecordPanel
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import (
    ERROR_STYLE,
    GOOD_STYLE,
    error_text,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import kube
from bmt_desktop.services.kube import KubeRow
from bmt_desktop.services.session import Session

# --------------------------------------------------------------------------- the detail


class KubeDetail(RecordPanel):
    """The chosen Kube under the list, with a sub-tab for each part of its file."""

    changed = Signal(int)  # a Kube's data changed: the list reloads its row

    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker, load_kube_file)
        self.row: KubeRow | None = None
        self.file: KubeFile | None = None
        self.dialog: QDialog | None = None
        self.empty = QLabel(_("Choose a Kube in the list to see its members, meetings and "
                              "indicators."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #555;")
        self.title = text_label("font-size: 13pt; font-weight: bold;", wrap=False)
        self.subtitle = text_label(HINT_STYLE)
        self.message = text_label()
        self.message.setObjectName("kubeMessage")
        self.message.setVisible(False)
        self.members_page = MembersPage(self)
        self.officers_page = OfficersPage(self)
        self.meetings_page = MeetingsPage(self)
        self.aid_page = AidPage(self)
        self.visits_page = VisitsPage(self)
        self.funds_page = FundsPage(self)
        self.indicators_page = IndicatorsPage(self)
        self.financing_page = FinancingPage(self)
        self.pages = QTabWidget()
        for page, label in ((self.members_page, _("Members")),
                            (self.officers_page, _("Officers")),
                            (self.meetings_page, _("Meetings")),
                            (self.aid_page, _("Aid && PHBK")),
                            (self.visits_page, _("Visits")),
                            (self.funds_page, _("Group funds")),
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
                self.visits_page, self.funds_page, self.indicators_page,
                self.financing_page]

    def visible_actions(self) -> list[str]:
        """The texts of the buttons this user sees (for tests and the read-only check)."""
        return [b.text() for p in self.all_pages() for b in p.buttons if b.property("allowed")]

    # ------------------------------------------------------------------ showing a Kube
    def show_kube(self, row: KubeRow | None) -> None:
        self.show_row(row)

    def cleared(self) -> None:
        self.say("")

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        self.title.setText(f"{row.code} · {row.name}")
        place = _("RW {rw} / RT {rt}").format(rw=row.rw or "–", rt=row.rt or "–")
        parts = [row.business_type, place, _("formed {date}").format(date=date_text(row.formed_on)),
                 _("mentor: {name}").format(name=row.pendamping) if row.pendamping
                 else _("no mentor yet"), _("stage {stage}").format(
                     stage=stage_label(file.stage.stage))]
        self.subtitle.setText(" · ".join(p for p in parts if p))
        for page in self.all_pages():
            page.show_file(row, file)
        self.stack.setCurrentIndex(1)

    def show_failure(self, error: BaseException) -> None:
        self.say(error_text(error), ERROR_STYLE)

    def say(self, text: str, style: str = GOOD_STYLE) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.message.setVisible(bool(text))

    def after_change(self, text: str = "", style: str = GOOD_STYLE) -> None:
        if text:
            self.say(text, style)
        if self.row is not None:
            self.changed.emit(self.row.id)
        self.reload()

    def open_form(self, dialog: QDialog, done: Callable[[Any], None]) -> None:
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
        self.after_change(text, WARN_STYLE if warnings else GOOD_STYLE)

    def remove_member(self) -> None:
        if (ready := self._ready()) is None:
            return
        member = self.members_page.selected()
        if member is None:
            self.say(_("Choose the member who leaves in the list first."), ERROR_STYLE)
            return
        self.open_form(RemoveMemberDialog(self.session, self.worker, ready[0], member, self),
                   lambda _none: self.after_change(_("{name} has left the Kube.").format(
                       name=member[2])))

    def set_officer(self) -> None:
        if (ready := self._ready()) is not None:
            self.open_form(OfficerDialog(self.session, self.worker, ready[0], ready[1].members,
                                     self), lambda _none: self.after_change(_("Officer saved.")))

    def new_meeting(self) -> None:
        if (ready := self._ready()) is not None:
            self.open_form(MeetingDialog(self.session, self.worker, ready[0], ready[1].members,
                                     self), self._meeting_saved)

    def _meeting_saved(self, result: MeetingSaved) -> None:
        if result.posted is not None:
            self.after_change(_("Meeting saved; the collection sheet is posted as {number} "
                            "({amount}).").format(number=result.posted.doc_number,
                                                 amount=format_rupiah(result.posted.total)))
        else:
            self.after_change(_("Meeting saved."))

    def record_aid(self) -> None:
        if (ready := self._ready()) is not None:
            self.open_form(AidDialog(self.session, self.worker, ready[0], self),
                       lambda _id: self.after_change(_("Stimulant aid recorded.")))

    def link_bank(self) -> None:
        if (ready := self._ready()) is not None:
            self.open_form(BankLinkDialog(self.session, self.worker, ready[0],
                                      ready[1].phbk_missing, self),
                       lambda _id: self.after_change(_("Bank linkage recorded.")))

    def record_visit(self) -> None:
        if (ready := self._ready()) is not None:
            self.open_form(VisitDialog(self.session, self.worker, ready[1].members,
                                   self.visits_page.selected(), self),
                       lambda _id: self.after_change(_("Visit recorded.")))

    def override_stage(self) -> None:
        if (ready := self._ready()) is not None:
            row, file = ready
            self.open_form(StageDialog(self.session, self.worker, row, file.stage, self),
                       lambda _none: self.after_change(_("Stage saved.")))


# --------------------------------------------------------------------------- the tab


class KubeTab(Tab):
    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        self.form: QDialog | None = None
        self._want_id: int | None = None
        self._notice: str | None = None  # said under the Kube chosen when the list arrives
        self._asked = 0
        self.loaded = False
        self.count = text_label(wrap=False)
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
        self.table = table_view(self.model, 1)
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
