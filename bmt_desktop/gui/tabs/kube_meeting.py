"""The Kube meeting screen: date, attendance, problems, decisions and the collection sheet.

Enter moves down the form and the sheet row by row and confirms on the OK button. The
meeting and its sheet are saved together: a wrong sheet line refuses both, so nothing is
written.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.domain.terbilang import terbilang_rupiah
from bmt_desktop.gui.tabs.drawer_dialogs import may
from bmt_desktop.gui.tabs.kube_common import (
    HINT_STYLE,
    WARN_STYLE,
    DateField,
    Member,
    hbox,
    line_edit,
)
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.member_form import RupiahEdit
from bmt_desktop.gui.tabs.teller_forms import (
    ERROR_STYLE,
    GOOD_STYLE,
    WORDS_STYLE,
    EnterKey,
    error_text,
    offer_receipt,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import kube
from bmt_desktop.services.drawer import DrawerState, current_drawer
from bmt_desktop.services.savings import list_products
from bmt_desktop.services.session import Session

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
        self.problems = line_edit(2000, _("Problems the members raised"))
        self.solutions = line_edit(2000, _("How they were solved"))
        self.decisions = line_edit(2000, _("What the meeting decided"))
        top = QWidget()
        form = QGridLayout(top)
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(QLabel(_("Meeting date:")), 0, 0)
        form.addWidget(hbox(self.date, QLabel(_("Problems raised:")), self.raised,
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
        layout.addWidget(hbox(heading, self.attendance))
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
