"""The Kube tab's forms: a new Kube, members in and out, officers, aid, bank linkage, a
monitoring visit, the manager's stage override, and the meeting screen with attendance and
the collection sheet.

Each small form runs one service call on the serial worker (``PostingDialog``): Enter
confirms, Esc cancels. The meeting screen is longer: Enter moves down the form and the sheet
row by row and confirms on the OK button. The meeting and its sheet are saved together: a
wrong sheet line refuses both, so nothing is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.kube_stage import stage_label
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.domain.terbilang import terbilang_rupiah
from bmt_desktop.gui.tabs.drawer_dialogs import may
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.member_detail import member_status_label
from bmt_desktop.gui.tabs.member_form import RupiahEdit, parse_typed_date, typed_date
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import (
    ERROR_STYLE,
    GOOD_STYLE,
    WORDS_STYLE,
    AmountField,
    Call,
    EnterKey,
    PostingDialog,
    error_text,
    offer_receipt,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import kube
from bmt_desktop.services.drawer import DrawerState, current_drawer
from bmt_desktop.services.members import MemberRow, MemberSearch, search_members
from bmt_desktop.services.savings import list_products
from bmt_desktop.services.session import Session

WARN_STYLE = "color: #8a4b00;"
HINT_STYLE = "color: #555;"
MAX_FOUND = 30
Member = tuple[int, str, str]  # (id, number, name), as current_members returns them


def role_label(role: str) -> str:
    return {"ketua": _("Chair (ketua)"), "sekretaris": _("Secretary (sekretaris)"),
            "bendahara": _("Treasurer (bendahara)")}.get(role, role)


def business_status_label(status: str) -> str:
    return {"belum": _("not started"), "berjalan": _("running"),
            "berkembang": _("growing"), "berhenti": _("stopped")}.get(status, status)


def link_model_label(model: str) -> str:
    return {"langsung": _("direct"), "perantara": _("through the BMT"),
            "tanggung_renteng": _("joint liability (tanggung renteng)")}.get(model, model)


def link_status_label(status: str) -> str:
    return {"usulan": _("proposed"), "berjalan": _("running"), "lunas": _("repaid"),
            "ditolak": _("refused")}.get(status, status)


class DateField(QLineEdit):
    """A date typed as 29-11-2026 (or 29/11/2026, 29112026); today unless told otherwise."""

    def __init__(self, day: dt.date | None = None) -> None:
        super().__init__()
        self.setPlaceholderText(_("DD-MM-YYYY"))
        self.setMaxLength(10)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("29-11-2026") + 40)
        if day is not None:
            self.setText(typed_date(day))

    def read(self, label: str) -> dt.date:
        day = parse_typed_date(self.text(), label)
        if day is None:
            raise ValidationError(_("{field} must be filled in.").format(field=label))
        return day


def _line(limit: int = 100, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(limit)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def _choice(items: Sequence[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    for key, label in items:
        combo.addItem(label, key)
    return combo


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        line.addWidget(widget)
    line.addStretch(1)
    return row


class FormDialog(PostingDialog):
    """A small form for one Kube service call; closes when the call succeeds."""

    def __init__(self, session: Session, worker: Worker, title: str, ok_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, title, ok_text, parent)
        self.setModal(True)

    def call(self) -> Call:
        """The service call for what the form holds; raise ValidationError when it is wrong."""
        raise NotImplementedError

    def collect(self) -> Call | None:
        try:
            return self.call()
        except ValidationError as error:
            self.error.setText(error.message)
            return None

    def after_success(self, result: Any) -> None:
        self.accept()

    @when_alive
    def _done(self, result: object) -> None:  # a late answer for a form already gone
        super()._done(result)

    @when_alive
    def _failed(self, error: BaseException) -> None:
        super()._failed(error)


# ---------------------------------------------------------------------------- the Kube


class NewKubeDialog(FormDialog):
    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("New Kube"), _("Save"), parent)
        self.name = _line(100, _("e.g. Kube Mawar"))
        self.business = _line(100, _("e.g. vegetable stall, sewing, duck raising"))
        self.rt, self.rw = _line(3), _line(3)
        for edit in (self.rt, self.rw):
            edit.setMaximumWidth(60)
        self.desa = _line(100)
        self.formed = DateField(session.today)
        self.pendamping = _line(100, _("Name of the field mentor"))
        self.form.addRow(_("Name:"), self.name)
        self.form.addRow(_("Business type:"), self.business)
        self.form.addRow(_("RT / RW:"), _row(self.rt, QLabel("/"), self.rw))
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
        self.search = _line(100, _("Member's name, number or NIK, then Enter"))
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
        date_row = _row(QLabel(_("Join date:")), self.joined)
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
        self.role = _choice([(r, role_label(r)) for r in kube.OFFICER_ROLES])
        self.member = _choice([(str(m[0]), f"{m[2]} ({m[1]})") for m in members])
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


# ---------------------------------------------------------------------------- aid, PHBK, visits


class AidDialog(FormDialog):
    def __init__(self, session: Session, worker: Worker, kube_row: kube.KubeRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Stimulant aid for {kube}").format(
            kube=kube_row.name), _("Save"), parent)
        self.kube_row = kube_row
        self.kind = _choice([("barang", _("Goods (production tools)")), ("uang", _("Cash"))])
        self.item = _line(200, _("e.g. vegetable cart, sewing machine"))
        self.amount = AmountField()
        self.source = _line(200, _("e.g. Dinas Sosial, Kementerian Sosial"))
        self.received = DateField(session.today)
        self.condition = _line(200)
        self.outcome = _line(2000, _("What the Kube did with it"))
        self.form.addRow(_("Kind:"), self.kind)
        self.form.addRow(_("Item:"), self.item)
        self.form.addRow(_("Value:"), self.amount)
        self.form.addRow(_("Source:"), self.source)
        self.form.addRow(_("Date received:"), self.received)
        self.form.addRow(_("Condition:"), self.condition)
        self.form.addRow(_("What became of it:"), self.outcome)
        self.kind.setFocus()

    def call(self) -> Call:
        value = self.amount.read()
        if value is None:
            raise ValidationError(_("Check the value."))
        return (kube.record_aid, (self.kube_row.id, self.kind.currentData(), self.item.text(),
                                  value, self.source.text(),
                                  self.received.read(_("Date received")),
                                  self.condition.text(), self.outcome.text()), {})


class BankLinkDialog(FormDialog):
    def __init__(self, session: Session, worker: Worker, kube_row: kube.KubeRow,
                 missing: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Bank linkage (PHBK) of {kube}").format(
            kube=kube_row.name), _("Save"), parent)
        self.kube_row = kube_row
        self.model = _choice([(m, link_model_label(m)) for m in kube.LINK_MODELS])
        self.bank = _line(100, _("e.g. Bank Muamalat, BRI Syariah"))
        self.linked = DateField(session.today)
        self.amount = AmountField()
        self.status = _choice([(s, link_status_label(s)) for s in kube.LINK_STATUSES])
        self.form.addRow(_("Model:"), self.model)
        self.form.addRow(_("Bank:"), self.bank)
        self.form.addRow(_("Date:"), self.linked)
        self.form.addRow(_("Amount:"), self.amount)
        self.form.addRow(_("Status:"), self.status)
        if missing:
            note = QLabel(_("Not yet eligible: {what}.").format(what="; ".join(missing)))
            note.setWordWrap(True)
            note.setStyleSheet(WARN_STYLE)
            self.form.addRow(note)
        self.model.setFocus()

    def call(self) -> Call:
        value = self.amount.read()
        if value is None:
            raise ValidationError(_("Check the amount."))
        return (kube.link_bank, (self.kube_row.id, self.model.currentData(), self.bank.text(),
                                 self.linked.read(_("Date")), value,
                                 self.status.currentData()), {})


class VisitDialog(FormDialog):
    def __init__(self, session: Session, worker: Worker, members: Sequence[Member],
                 chosen: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Monitoring visit"), _("Save"), parent)
        self.member = _choice([(str(m[0]), f"{m[2]} ({m[1]})") for m in members])
        if chosen is not None:
            self.member.setCurrentIndex(max(0, self.member.findData(str(chosen))))
        self.visited = DateField(session.today)
        self.amount = AmountField(allow_zero=True)
        self.business = _choice([(s, business_status_label(s))
                                 for s in kube.BUSINESS_STATUSES])
        self.business.setCurrentIndex(1)
        self.notes = _line(2000, _("What the mentor saw and advised"))
        self.form.addRow(_("Member:"), self.member)
        self.form.addRow(_("Visit date:"), self.visited)
        self.form.addRow(_("Household income a month:"), self.amount)
        self.form.addRow(_("Business:"), self.business)
        self.form.addRow(_("Notes:"), self.notes)
        self.amount.setFocus()

    def call(self) -> Call:
        if self.member.currentData() is None:
            raise ValidationError(_("The Kube has no members yet."))
        income = self.amount.read()
        if income is None:
            raise ValidationError(_("Check the income."))
        return (kube.record_visit, (int(self.member.currentData()),
                                    self.visited.read(_("Visit date")), income,
                                    self.business.currentData(), self.notes.text()), {})


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
        self.stage = _choice([("", _("As the rules compute it (no override)")),
                              *[(s, stage_label(s)) for s in ("tumbuh", "berkembang", "maju")]])
        index = self.stage.findData(current)
        self.stage.setCurrentIndex(index if index > 0 else 0)
        self.reason = _line(500, _("Why the stage differs from what the books show"))
        self.form.addRow(_("Stage:"), self.stage)
        self.form.addRow(_("Reason:"), self.reason)
        self.stage.setFocus()

    def call(self) -> Call:
        return (kube.override_stage, (self.kube_row.id, self.stage.currentData() or None,
                                      self.reason.text()), {})


# ---------------------------------------------------------------------------- the meeting


@dataclass(frozen=True)
class MeetingContext:
    drawer: DrawerState | None
    wajib_monthly: int


def meeting_context(session: Session) -> MeetingContext:
    """The user's drawer and the simpanan wajib a month, for the meeting screen's notes."""
    monthly = next((p.fixed_amount for p in list_products(session)
                    if p.kind == "wajib" and p.active), 0)
    return MeetingContext(current_drawer(session), monthly)


MeetingSaved = kube.MeetingSaved


def save_meeting(session: Session, data: kube.MeetingInput, rows: Sequence[kube.SheetRow],
                 request_id: str) -> kube.MeetingSaved:
    """The service records the meeting and posts its sheet as one unit."""
    return kube.hold_meeting(session, data, rows, request_id=request_id)


class SheetLine:
    """One member's line: present, wajib, sukarela, IKS and the line's total."""

    def __init__(self, number: int, member: Member) -> None:
        self.number, self.member = number, member
        self.present = QCheckBox()
        self.present.setChecked(True)
        self.present.setToolTip(_("Present at the meeting"))
        self.wajib, self.sukarela, self.iks = RupiahEdit(), RupiahEdit(), RupiahEdit()
        self.total = QLabel(format_rupiah(0))
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    @property
    def amounts(self) -> list[RupiahEdit]:
        return [self.wajib, self.sukarela, self.iks]

    def sheet_row(self) -> kube.SheetRow:
        wajib, sukarela, iks = (edit.value() or 0 for edit in self.amounts)
        return kube.SheetRow(self.member[0], wajib, sukarela, iks)


class MeetingDialog(QDialog):
    """One screen for a meeting: date, attendance, problems, decisions and the sheet."""

    succeeded = Signal(object)  # MeetingSaved

    def __init__(self, session: Session, worker: Worker, kube_row: kube.KubeRow,
                 members: Sequence[Member], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker, self.kube_row = session, worker, kube_row
        self.request_id = str(uuid.uuid4())
        self.busy = False
        self.result_value: MeetingSaved | None = None
        self.context: MeetingContext | None = None
        self.setModal(True)
        self.setWindowTitle(_("Meeting of {kube}").format(kube=kube_row.name))
        self.drawer_note = QLabel(_("Checking your cash drawer…"))
        self.drawer_note.setWordWrap(True)
        self.date = DateField(session.today)
        self.raised, self.solved = QSpinBox(), QSpinBox()
        for spin in (self.raised, self.solved):
            spin.setRange(0, 1000)
            spin.setMinimumWidth(70)
        self.problems = _line(2000, _("Problems the members raised"))
        self.solutions = _line(2000, _("How they were solved"))
        self.decisions = _line(2000, _("What the meeting decided"))
        top = QWidget()
        form = QGridLayout(top)
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(QLabel(_("Meeting date:")), 0, 0)
        form.addWidget(_row(self.date, QLabel(_("Problems raised:")), self.raised,
                            QLabel(_("of them solved:")), self.solved), 0, 1)
        for row, (label, edit) in enumerate(((_("Problems:"), self.problems),
                                             (_("Solutions:"), self.solutions),
                                             (_("Decisions:"), self.decisions)), start=1):
            form.addWidget(QLabel(label), row, 0)
            form.addWidget(edit, row, 1)
        form.setColumnStretch(1, 1)

        self.lines = [SheetLine(n, m) for n, m in enumerate(members, start=1)]
        self.column_totals = [QLabel(), QLabel(), QLabel()]
        self.grand_total = QLabel()
        self.words = QLabel()
        self.words.setStyleSheet(WORDS_STYLE)
        self.words.setWordWrap(True)
        self.sheet_hint = QLabel()
        self.sheet_hint.setStyleSheet(HINT_STYLE)
        self.sheet_hint.setWordWrap(True)
        sheet = self._sheet()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(sheet)
        self.scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll.setMinimumHeight(min(sheet.sizeHint().height() + 6, 440))

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_note = QLabel()
        self.done_note.setStyleSheet(GOOD_STYLE + " font-weight: bold;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Save the meeting"))
        self.ok_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(_("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        heading = QLabel(_("Attendance and collection sheet"))
        heading.setStyleSheet("font-weight: bold;")
        self.attendance = QLabel()
        title = QLabel(_("Meeting of {code} · {name}").format(code=kube_row.code,
                                                               name=kube_row.name))
        title.setStyleSheet("font-size: 12pt; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.drawer_note)
        layout.addWidget(top)
        layout.addWidget(_row(heading, self.attendance))
        layout.addWidget(self.sheet_hint)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.words)
        layout.addWidget(self.error)
        layout.addWidget(self.done_note)
        layout.addWidget(self.buttons)
        self._chain_keys()
        self._update()
        self.sheet_enabled = may(session, Action.CASH_TRANSACTION)
        self._set_sheet_enabled(False)
        worker.submit(meeting_context, session, on_done=self._context,
                      on_error=lambda error: self._context(None))
        self.resize(960, min(760, self.sizeHint().height() + 20))
        self.date.setFocus()
        self.date.selectAll()

    def _sheet(self) -> QWidget:
        sheet = QWidget()
        grid = QGridLayout(sheet)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        headers = (_("No."), _("Present"), _("Member"), _("Name"), _("Wajib"), _("Sukarela"),
                   _("IKS"), _("Line total"))
        for column, text in enumerate(headers):
            label = QLabel(f"<b>{text}</b>")
            if column >= 4:
                label.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(label, 0, column)
        for row, line in enumerate(self.lines, start=1):
            grid.addWidget(QLabel(str(line.number)), row, 0)
            grid.addWidget(line.present, row, 1, Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(QLabel(line.member[1]), row, 2)
            name = QLabel(line.member[2])
            name.setBuddy(line.wajib)
            grid.addWidget(name, row, 3)
            for column, edit in enumerate(line.amounts, start=4):
                edit.setMinimumWidth(110)
                edit.textChanged.connect(lambda _text: self._update())
                grid.addWidget(edit, row, column)
            grid.addWidget(line.total, row, 7)
            line.present.toggled.connect(lambda _on: self._update())
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        last = len(self.lines) + 1
        grid.addWidget(rule, last, 0, 1, 8)
        grid.addWidget(QLabel(f"<b>{_('Total')}</b>"), last + 1, 3)
        for column, label in enumerate([*self.column_totals, self.grand_total], start=4):
            label.setAlignment(Qt.AlignmentFlag.AlignRight)
            label.setStyleSheet("font-weight: bold;")
            grid.addWidget(label, last + 1, column)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(last + 2, 1)
        return sheet

    def _chain_keys(self) -> None:
        """Tab visits every field; Enter moves down the form and the sheet, then to OK."""
        fields: list[QWidget] = [self.date, self.raised, self.solved, self.problems,
                                 self.solutions, self.decisions]
        for line in self.lines:
            fields.extend([line.present, *line.amounts])
        order = [*fields, self.ok_button, self.cancel_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._enter_fields = [f for f in fields if not isinstance(f, QCheckBox)]
        for line in self.lines:  # Enter on a tick box goes on to the member's wajib
            EnterKey(line.present, lambda w=line.wajib: self._next(w))
        for field in self._enter_fields:
            EnterKey(field, lambda f=field: self._next(self._after(f)))

    def _after(self, field: QWidget) -> QWidget:
        enabled = [f for f in self._enter_fields if f.isEnabled()]
        if field in enabled and enabled.index(field) + 1 < len(enabled):
            return enabled[enabled.index(field) + 1]
        return self.ok_button

    @staticmethod
    def _next(widget: QWidget) -> None:
        widget.setFocus()
        if isinstance(widget, QLineEdit | QSpinBox):
            widget.selectAll()

    @when_alive
    def _context(self, context: MeetingContext | None) -> None:
        self.context = context
        drawer = context.drawer if context is not None else None
        ready = (drawer is not None and drawer.status == "buka"
                 and drawer.business_date == self.session.today.isoformat())
        if not self.sheet_enabled:
            text, style = _("You may record the meeting; the collection sheet is posted by a "
                            "teller or the manager."), WARN_STYLE
        elif ready:
            text, style = _("The sheet's money goes into your cash drawer."), GOOD_STYLE
        else:
            text, style = _("Your cash drawer is not open, so the collection sheet cannot be "
                            "posted. Open it in the Kas tab first; a meeting without money "
                            "can still be recorded."), ERROR_STYLE + " font-weight: bold;"
        self.drawer_note.setText(text)
        self.drawer_note.setStyleSheet(style)
        self._set_sheet_enabled(self.sheet_enabled and ready)
        if context is not None and context.wajib_monthly:
            self.sheet_hint.setText(_("Simpanan wajib is {amount} a month (or a multiple for "
                                      "several months). Untick the members who are absent."
                                      ).format(amount=format_rupiah(context.wajib_monthly)))

    def _set_sheet_enabled(self, enabled: bool) -> None:
        for line in self.lines:
            for edit in line.amounts:
                edit.setEnabled(enabled)

    def _update(self) -> None:
        sums = [0, 0, 0]
        for line in self.lines:
            values = [edit.value() or 0 for edit in line.amounts]
            for index, value in enumerate(values):
                sums[index] += value
            line.total.setText(format_rupiah(sum(values)))
        for label, value in zip(self.column_totals, sums, strict=True):
            label.setText(format_rupiah(value))
        total = sum(sums)
        self.grand_total.setText(format_rupiah(total))
        self.words.setText(terbilang_rupiah(total) if total else "")
        present = sum(line.present.isChecked() for line in self.lines)
        self.ok_button.setText(_("Save the meeting and post {amount}").format(
            amount=format_rupiah(total)) if total else _("Save the meeting"))
        self.attendance.setText(_("{present} of {members} present").format(
            present=present, members=len(self.lines)))

    def total(self) -> int:
        return sum(edit.value() or 0 for line in self.lines for edit in line.amounts)

    def submit(self) -> None:
        if self.busy or self.result_value is not None:
            return
        self.error.clear()
        try:
            day = self.date.read(_("Meeting date"))
        except ValidationError as error:
            self.error.setText(error.message)
            self.date.setFocus()
            return
        data = kube.MeetingInput(
            self.kube_row.id, day, [line.member[0] for line in self.lines
                                    if line.present.isChecked()],
            self.problems.text(), self.solutions.text(), self.decisions.text(),
            self.raised.value(), self.solved.value())
        rows = [line.sheet_row() for line in self.lines]
        self.busy = True
        self.ok_button.setEnabled(False)
        self.worker.submit(save_meeting, self.session, data, rows, self.request_id,
                           on_done=self._done, on_error=self._failed)

    @when_alive
    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.error.setText(error_text(error))

    @when_alive
    def _done(self, result: MeetingSaved) -> None:
        self.busy = False
        self.result_value = result
        self.succeeded.emit(result)
        if result.posted is None:
            self.accept()
            return
        self.done_note.setText(_("Saved as {number}.").format(number=result.posted.doc_number))
        offer_receipt(self, self.session, self.worker, result.posted.doc_number, self.accept)
