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
    QLabel,
    QWidget,
)

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.kube_stage import stage_label
from bmt_desktop.gui.tabs.kube_aid import AidDialog, BankLinkDialog, VisitDialog
from bmt_desktop.gui.tabs.kube_common import (
    HINT_STYLE,
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
from bmt_desktop.gui.tabs.member_picker import MemberPickerDialog, Work
from bmt_desktop.gui.tabs.teller_forms import (
    GOOD_STYLE,
    Call,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import kube
from bmt_desktop.services.members import MemberRow
from bmt_desktop.services.session import Session

__all__ = [
    "GOOD_STYLE", "HINT_STYLE", "WARN_STYLE", "AddMemberDialog", "AidDialog", "BankLinkDialog",
    "DateField", "FormDialog", "MeetingDialog", "MeetingSaved", "Member", "NewKubeDialog",
    "OfficerDialog", "RemoveMemberDialog", "SheetLine", "StageDialog", "VisitDialog",
    "role_label",
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


class AddMemberDialog(MemberPickerDialog):
    """Find a member by name, number or NIK and add them; stays open for the next one."""

    added = Signal(str, object)  # the member's name, the warnings of add_member

    def __init__(self, session: Session, worker: Worker, kube_row: kube.KubeRow,
                 members: Sequence[Member], parent: QWidget | None = None) -> None:
        self.kube_row = kube_row
        self.joined = DateField(session.today)
        super().__init__(session, worker, _("Add members to {name}").format(
            name=kube_row.name), {m[0] for m in members}, _("in this Kube"), parent,
            extra=[hbox(QLabel(_("Join date:")), self.joined)])
        self.in_kube = self.taken
        QWidget.setTabOrder(self.table, self.joined)
        QWidget.setTabOrder(self.joined, self.ok_button)

    def add(self, member: MemberRow) -> Work | None:
        try:
            day = self.joined.read(_("Join date"))
        except ValidationError as error:
            self.error.setText(error.message)
            self.joined.setFocus()
            return None
        return (kube.add_member, (self.session, self.kube_row.id, member.id, day),
                lambda warnings: self._added(member, list(warnings)))

    def _added(self, member: MemberRow, warnings: list[str]) -> None:
        lines = [_("{name} is added to {kube}.").format(name=member.name,
                                                        kube=self.kube_row.name), *warnings]
        self.info.setText("\n".join(lines))
        self.info.setStyleSheet(WARN_STYLE if warnings else GOOD_STYLE)
        self.added.emit(member.name, warnings)


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
