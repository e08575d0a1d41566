"""The Kube tab's forms: a new Kube, members in and out, officers and the manager's stage
override. The meeting screen lives in kube_meeting, the aid, PHBK and visit forms in kube_aid
and the group-fund forms in kube_funds; their names are offered here too.

Each small form runs one service call on the serial worker (``PostingDialog``): Enter
confirms, Esc cancels.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.kube_stage import stage_label
from bmt_desktop.gui.tabs.kube_aid import AidDialog, BankLinkDialog, VisitDialog
from bmt_desktop.gui.tabs.kube_common import (
    HINT_STYLE,
    MAX_FOUND,
    WARN_STYLE,
    DateField,
    FormDialog,
    Member,
    choice,
    hbox,
    line_edit,
    role_label,
)
from bmt_desktop.gui.tabs.kube_meeting import MeetingDialog, MeetingSaved, SheetLine
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.member_detail import member_status_label
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import (
    ERROR_STYLE,
    GOOD_STYLE,
    Call,
    EnterKey,
    error_text,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import kube
from bmt_desktop.services.members import MemberRow, MemberSearch, search_members
from bmt_desktop.services.session import Session

__all__ = [
    "GOOD_STYLE", "HINT_STYLE", "WARN_STYLE", "AddMemberDialog", "AidDialog", "BankLinkDialog",
    "DateField", "FormDialog", "MeetingDialog", "MeetingSaved", "Member", "NewKubeDialog",
    "OfficerDialog", "RemoveMemberDialog", "SheetLine", "StageDialog", "VisitDialog",
    "find_members", "role_label",
]

# ---------------------------------------------------------------------------- the Kube


class NewKubeDialog(FormDialog):
    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("New Kube"), _("Save"), parent)
        self.name = line_edit(100, _("e.g. Kube Mawar"))
        self.business = line_edit(100, _("e.g. vegetable stall, sewing, duck raising"))
        self.rt, self.rw = line_edit(3), line_edit(3)
        for edit in (self.rt, self.rw):
            edit.setMaximumWidth(60)
        self.desa = line_edit(100)
        self.formed = DateField(session.today)
        self.pendamping = line_edit(100, _("Name of the field mentor"))
        self.form.addRow(_("Name:"), self.name)
        self.form.addRow(_("Business type:"), self.business)
        self.form.addRow(_("RT / RW:"), hbox(self.rt, QLabel("/"), self.rw))
        self.form.addRow(_("Village:"), self.desa)
        self.form.addRow(_("Date formed:"), self.formed)
        self.form.addRow(_("Mentor (pendamping):"), self.pendamping)
        order = [self.name, self.business, self.rt, self.rw, self.desa, self.formed,
                 self.pendamping, self.ok_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.name.setFocus()

    def call(self) -> Call:
        data = kube.KubeInput(self.name.text(), self.business.text(), self.rt.text(),
                              self.rw.text(), self.desa.text(),
                              self.formed.read(_("Date formed")), self.pendamping.text())
        return kube.create_kube, (data,), {}


# ---------------------------------------------------------------------------- members


def find_members(session: Session, text: str) -> MemberSearch:
    return search_members(session, text, MAX_FOUND)


class AddMemberDialog(QDialog):
    """Find a member by name, number or NIK and add them; stays open for the next one."""

    added = Signal(str, object)  # the member's name, the warnings of add_member

    def __init__(self, session: Session, worker: Worker, kube_row: kube.KubeRow,
                 members: Sequence[Member], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker, self.kube_row = session, worker, kube_row
        self.in_kube = {m[0] for m in members}
        self.busy = False
        self._asked = 0
        self.setModal(True)
        self.setWindowTitle(_("Add members to {name}").format(name=kube_row.name))
        self.search = line_edit(100, _("Member's name, number or NIK, then Enter"))
        self.found = RowsModel([
            Column(_("Number"), lambda r: r.number),
            Column(_("Name"), lambda r: r.name),
            Column(_("Address"), lambda r: r.address),
            Column(_("Status"), lambda r: _("in this Kube") if r.id in self.in_kube
                   else member_status_label(r.status)),
        ])
        self.found.setParent(self)
        self.table = QTableView()
        self.table.setModel(self.found)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(180)
        self.joined = DateField(session.today)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Close)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Add"))
        self.ok_button.setDefault(True)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(_("Done"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        date_row = hbox(QLabel(_("Join date:")), self.joined)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Search:")))
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(date_row)
        layout.addWidget(self.info)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        EnterKey(self.search, self.run_search)
        QWidget.setTabOrder(self.search, self.table)
        QWidget.setTabOrder(self.table, self.joined)
        QWidget.setTabOrder(self.joined, self.ok_button)
        self.search.setFocus()

    def run_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            self.error.setText(_("Type a member's name, number or NIK."))
            return
        self._asked += 1
        asked = self._asked
        self.error.clear()
        self.worker.submit(find_members, self.session, text,
                           on_done=lambda found: self._found(asked, found),
                           on_error=lambda error: self._failed(error))

    @when_alive
    def _found(self, asked: int, found: MemberSearch) -> None:
        if asked != self._asked:
            return
        self.found.set_rows(found.rows)
        if not found.rows:
            self.error.setText(_("No member found for “{text}”.").format(
                text=self.search.text().strip()[:40]))
            return
        self.table.selectRow(0)
        self.table.setFocus()

    def selected(self) -> MemberRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.found.row_at(rows[0].row()) if rows else None

    def submit(self) -> None:
        if self.busy:
            return
        member = self.selected()
        if member is None:
            self.error.setText(_("Find the member first: type a name and press Enter."))
            self.search.setFocus()
            return
        try:
            day = self.joined.read(_("Join date"))
        except ValidationError as error:
            self.error.setText(error.message)
            self.joined.setFocus()
            return
        self.busy = True
        self.ok_button.setEnabled(False)
        self.error.clear()
        self.worker.submit(kube.add_member, self.session, self.kube_row.id, member.id, day,
                           on_done=lambda warnings: self._added(member, warnings),
                           on_error=self._failed)

    @when_alive
    def _added(self, member: MemberRow, warnings: list[str]) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.in_kube.add(member.id)
        self.found.set_rows([])
        lines = [_("{name} is added to {kube}.").format(name=member.name,
                                                        kube=self.kube_row.name), *warnings]
        self.info.setText("\n".join(lines))
        self.info.setStyleSheet(WARN_STYLE if warnings else GOOD_STYLE)
        self.added.emit(member.name, list(warnings))
        self.search.clear()
        self.search.setFocus()

    @when_alive
    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.error.setText(error_text(error))


class RemoveMemberDialog(FormDialog):
    def __init__(self, session: Session, worker: Worker, kube_row: kube.KubeRow,
                 member: Member, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("{name} leaves {kube}").format(
            name=member[2], kube=kube_row.name), _("Leaves the Kube"), parent)
        self.kube_row, self.member = kube_row, member
        self.left = DateField(session.today)
        note = QLabel(_("{name} ({number}) leaves the Kube; their savings and their BMT "
                        "membership stay. An officer's term ends on this day.").format(
            name=member[2], number=member[1]))
        note.setWordWrap(True)
        self.form.addRow(note)
        self.form.addRow(_("Leave date:"), self.left)
        self.left.setFocus()

    def call(self) -> Call:
        return (kube.remove_member, (self.kube_row.id, self.member[0],
                                     self.left.read(_("Leave date"))), {})


class OfficerDialog(FormDialog):
    def __init__(self, session: Session, worker: Worker, kube_row: kube.KubeRow,
                 members: Sequence[Member], parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Officer of {kube}").format(kube=kube_row.name),
                         _("Save"), parent)
        self.kube_row = kube_row
        self.role = choice([(r, role_label(r)) for r in kube.OFFICER_ROLES])
        self.member = choice([(str(m[0]), f"{m[2]} ({m[1]})") for m in members])
        self.start = DateField(session.today)
        note = QLabel(_("The officer is chosen by the members' deliberation; the previous "
                        "holder's term ends the day before."))
        note.setWordWrap(True)
        note.setStyleSheet(HINT_STYLE)
        self.form.addRow(_("Role:"), self.role)
        self.form.addRow(_("Member:"), self.member)
        self.form.addRow(_("Term starts:"), self.start)
        self.form.addRow(note)
        self.role.setFocus()

    def call(self) -> Call:
        if self.member.currentData() is None:
            raise ValidationError(_("The Kube has no members yet."))
        return (kube.set_officer, (self.kube_row.id, int(self.member.currentData()),
                                   self.role.currentData(), self.start.read(_("Term start"))),
                {})



class StageDialog(FormDialog):
    """The manager sets the stage by hand, with a reason, or lets the rules decide again."""

    def __init__(self, session: Session, worker: Worker, kube_row: kube.KubeRow,
                 stage: kube.KubeStage, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Stage of {kube}").format(kube=kube_row.name),
                         _("Save"), parent)
        self.kube_row = kube_row
        current = stage.stage if stage.override_reason else ""
        state = QLabel(_("The books show {computed}; in force now: {stage}.").format(
            computed=stage_label(stage.computed.stage), stage=stage_label(stage.stage)))
        state.setWordWrap(True)
        state.setStyleSheet(HINT_STYLE)
        self.form.addRow(state)
        self.stage = choice([("", _("As the rules compute it (no override)")),
                              *[(s, stage_label(s)) for s in ("tumbuh", "berkembang", "maju")]])
        index = self.stage.findData(current)
        self.stage.setCurrentIndex(index if index > 0 else 0)
        self.reason = line_edit(500, _("Why the stage differs from what the books show"))
        self.form.addRow(_("Stage:"), self.stage)
        self.form.addRow(_("Reason:"), self.reason)
        self.stage.setFocus()

    def call(self) -> Call:
        return (kube.override_stage, (self.kube_row.id, self.stage.currentData() or None,
                                      self.reason.text()), {})
