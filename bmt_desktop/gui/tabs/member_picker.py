"""A dialog that finds members by name, number or NIK and adds them one after another (to a
Kube, to a training session): one search, one result table, one Add button; subclasses say
what adding means."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from bmt_desktop.gui.tabs.kube_common import MAX_FOUND, line_edit, table_view
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.member_detail import member_status_label
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import ERROR_STYLE, EnterKey, error_text
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.members import MemberRow, MemberSearch, search_members
from bmt_desktop.services.session import Session

# What ``add`` hands back: the service to call, its arguments, and what to do with its answer.
Work = tuple[Callable[..., object], tuple, Callable[[object], None]]


def find_members(session: Session, text: str) -> MemberSearch:
    return search_members(session, text, MAX_FOUND)


class MemberPickerDialog(QDialog):
    def __init__(self, session: Session, worker: Worker, title: str, taken: set[int],
                 taken_label: str, parent: QWidget | None = None,
                 extra: Sequence[QWidget] = ()) -> None:
        super().__init__(parent)
        self.session, self.worker = session, worker
        self.taken = taken
        self.busy = False
        self._asked = 0
        self.setModal(True)
        self.setWindowTitle(title)
        self.search = line_edit(100, _("Member's name, number or NIK, then Enter"))
        self.found = RowsModel([
            Column(_("Number"), lambda r: r.number),
            Column(_("Name"), lambda r: r.name),
            Column(_("Address"), lambda r: r.address),
            Column(_("Status"), lambda r: taken_label if r.id in self.taken
                   else member_status_label(r.status)),
        ])
        self.found.setParent(self)
        self.table = table_view(self.found, 1)
        self.table.setMinimumHeight(180)
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
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Search:")))
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        for widget in extra:
            layout.addWidget(widget)
        layout.addWidget(self.info)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        EnterKey(self.search, self.run_search)
        QWidget.setTabOrder(self.search, self.table)
        QWidget.setTabOrder(self.table, self.ok_button)
        self.search.setFocus()

    def add(self, member: MemberRow) -> Work | None:
        """The work that adds ``member``; None when the dialog's own fields refuse it."""
        raise NotImplementedError

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
                           on_error=self._failed)

    @when_alive
    def _found(self, asked: int, found: MemberSearch) -> None:
        if asked != self._asked:  # an answer to an older search
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
        work = self.add(member)
        if work is None:
            return
        function, args, done = work
        self.busy = True
        self.ok_button.setEnabled(False)
        self.error.clear()
        self.worker.submit(function, *args,
                           on_done=lambda answer: self._finished(member, done, answer),
                           on_error=self._failed)

    @when_alive
    def _finished(self, member: MemberRow, done: Callable[[object], None],
                  answer: object) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.taken.add(member.id)
        self.found.set_rows([])
        done(answer)
        self.search.clear()
        self.search.setFocus()

    @when_alive
    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.info.clear()
        self.error.setText(error_text(error))
