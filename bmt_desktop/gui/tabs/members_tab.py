"""Anggota: find a member as you type, see their data and accounts, register a new one.

The list loads page by page (fifty thousand members stay instant); the member chosen in it
is shown below with the actions the user's role may take.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.permissions import Action, is_allowed
from bmt_desktop.gui.tabs.base import Tab
from bmt_desktop.gui.tabs.lazy_model import LazyRowsModel
from bmt_desktop.gui.tabs.member_detail import MemberDetail, member_status_label
from bmt_desktop.gui.tabs.member_form import MemberForm, Registered, group_digits
from bmt_desktop.gui.tabs.rows_model import SORT_ROLE, Column
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.members import MemberRow, MemberSearch, search_key, search_members
from bmt_desktop.services.session import Session

SEARCH_DELAY_MS = 200
NAME_COLUMN = 1


def fetch_page(session: Session, text: str, offset: int) -> MemberSearch:
    """One page of the member search (runs on the worker)."""
    return search_members(session, text, offset=offset)


def _date(text: str) -> str:
    try:
        return format_date_id(dt.date.fromisoformat(text))
    except (TypeError, ValueError):
        return text or ""


class MembersTab(Tab):
    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        self.form: MemberForm | None = None
        self._want_id: int | None = None  # the member to choose when the next search arrives
        self._want_first = False
        self._notice: tuple[str, bool] | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText(_(
            "Search by number, name, NIK, phone or neighbourhood (\"rt 3\", \"rw 2\")"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.count = QLabel()
        self.count.setObjectName("memberCount")
        self.new_button = QPushButton(_("New member…"))
        self.new_button.setToolTip(_("Register a new member (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_member)
        self.may_register = (is_allowed(session.role, Action.MEMBER_REGISTER)
                             and not session.book.read_only)
        self.new_button.setVisible(self.may_register)
        bar = QWidget()
        top = QHBoxLayout(bar)
        top.setContentsMargins(0, 0, 0, 0)
        label = QLabel(_("Search:"))
        label.setBuddy(self.search)
        top.addWidget(label)
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addSpacing(12)
        top.addWidget(self.new_button)

        self.model = LazyRowsModel([
            Column(_("Number"), lambda r: r.number),
            Column(_("Name"), lambda r: r.name, lambda r: search_key(r.name)),
            Column(_("NIK"), lambda r: r.nik),
            Column(_("Address"), lambda r: r.address),
            Column(_("Occupation"), lambda r: r.occupation),
            Column(_("Joined"), lambda r: _date(r.join_date), lambda r: r.join_date),
            Column(_("Status"), lambda r: member_status_label(r.status)),
        ], worker, partial(fetch_page, session), self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no measuring: stays quick
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for column, sample in ((0, "AG-0000000"), (2, "3601145206790001"),
                               (3, "RT 003/RW 001, Sukajaya"), (4, "Pedagang sayur"),
                               (5, "29 September 2026"), (6, "keluar")):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

        self.detail = MemberDetail(session, worker)
        self.detail.changed.connect(self._member_changed)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(bar)
        layout.addWidget(self.splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.activated.connect(lambda _index: self.detail.focus_first())
        find = QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new = QShortcut(QKeySequence.StandardKey.New, self, self.new_member)
        new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # ------------------------------------------------------------------ searching
    def refresh(self) -> None:
        """Search again and reload the member shown (the window calls this on showing the tab)."""
        self.run_search()
        self.detail.reload()

    def run_search(self) -> None:
        """Search with the text typed now; the member shown stays chosen if still found."""
        self._timer.stop()
        if self.detail.row is not None and self._want_id is None:
            self._want_id = self.detail.row.id
        self.model.search(self.search.text())

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_now(self) -> None:
        self._want_first = True
        self.run_search()

    def _loaded(self, first_page: bool) -> None:
        self.count.setStyleSheet("")
        self.count.setText(_("{shown} of {total} members").format(
            shown=group_digits(self.model.rowCount()), total=group_digits(self.model.total)))
        if not first_page:
            return
        target = -1
        if self._want_id is not None:
            target = self.model.row_of(lambda r: r.id == self._want_id)
        if target < 0 and (self._want_first or self.model.rowCount() == 1) \
                and self.model.rowCount():
            target = 0
        focus_list = self._want_first
        self._want_id, self._want_first = None, False
        if target < 0:
            self.table.clearSelection()
            self.detail.show_member(None)
            return
        index = self.proxy.mapFromSource(self.model.index(target, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        self._current_changed(index)
        if focus_list:
            self.table.setFocus()
        if self._notice is not None:
            self.detail.notify(*self._notice)
            self._notice = None

    def _failed(self, message: str) -> None:
        self.count.setStyleSheet("color: #b00020;")
        self.count.setText(message)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex | None = None
                         ) -> None:
        self.detail.show_member(self.selected())

    def selected(self) -> MemberRow | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        source = self.proxy.mapToSource(index)
        return self.model.row_at(source.row()) if source.isValid() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down \
                and self.proxy.rowCount():
            self.table.setFocus()
            if not self.table.selectionModel().currentIndex().isValid():
                self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ registering
    def new_member(self) -> None:
        if not self.may_register:
            return
        self.form = MemberForm(self.session, self.worker, None, self)
        self.form.saved.connect(self._registered)
        self.form.open()

    def _registered(self, result: Registered) -> None:
        member = result.member
        lines = [_("{name} is registered as member {number}.").format(
            name=member.name, number=member.number)]
        if result.accounts:
            lines.append(_("Accounts opened: {numbers}.").format(
                numbers=", ".join(a.number for a in result.accounts)))
        lines.extend(result.failures)
        self._notice = ("\n".join(lines), bool(result.failures))
        self._want_id = member.id
        self.search.setText(member.number)
        self.run_search()

    def _member_changed(self, member_id: int) -> None:
        self._want_id = member_id
        self.model.refresh()
