"""Pembiayaan: the pipeline of financing (pengajuan → disetujui → cair → lunas, menunggak,
hapus buku) with a count on each step, a search, and the chosen financing below; the manager's
inbox of decisions; the collectibility overview with NPF and PPAP.

Everything is read and written through the financing services on the serial worker; what the
role may not do, and every write on a read-only book, is hidden.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.permissions import Action
from bmt_desktop.gui.tabs.base import Tab
from bmt_desktop.gui.tabs.drawer_dialogs import may
from bmt_desktop.gui.tabs.financing_apply import ApplicationDialog
from bmt_desktop.gui.tabs.financing_common import Strip, status_label
from bmt_desktop.gui.tabs.financing_detail import FinancingPanel
from bmt_desktop.gui.tabs.financing_inbox import ApprovalsPage
from bmt_desktop.gui.tabs.financing_list import FinancingList
from bmt_desktop.gui.tabs.financing_products import FinancingProductsDialog
from bmt_desktop.gui.tabs.financing_reserve import CollectibilityPage
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.financing_queries import ARREARS, CLOSED_UNPAID, status_counts
from bmt_desktop.services.session import Session

SEARCH_DELAY_MS = 250
# The steps of the pipeline: (filter, separator before it).
STEPS = (("", ""), ("pengajuan", ""), ("disetujui", "→"), ("cair", "→"), ("lunas", "→"),
         (ARREARS, "/"), ("hapus_buku", "/"), (CLOSED_UNPAID, "·"))


def step_label(key: str) -> str:
    if key == "":
        return _("All")
    if key == CLOSED_UNPAID:
        return _("rejected / cancelled")
    return status_label(key)


class FinancingTab(Tab):
    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__(session, worker)
        self.form: QDialog | None = None
        self.counts: dict[str, int] = {}
        self._notice: str | None = None  # said under the financing chosen when the list arrives
        self._asked = 0
        self.may_apply = may(session, Action.FINANCING_APPLY)

        # ---- the pipeline's steps and the search
        self.steps: dict[str, QPushButton] = {}
        self.step_group = QButtonGroup(self)
        self.step_group.setExclusive(True)
        steps = QWidget()
        line = QHBoxLayout(steps)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(4)
        for key, separator in STEPS:
            if separator:
                mark = QLabel(separator)
                mark.setStyleSheet("color: #777; padding: 0 2px;")
                line.addWidget(mark)
            button = QPushButton(step_label(key))
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setProperty("status", key)
            self.step_group.addButton(button)
            self.steps[key] = button
            line.addWidget(button)
        line.addStretch(1)
        self.steps[""].setChecked(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by number, member's name or number, Kube"))
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton(_("New application…"))
        self.new_button.setToolTip(_("Enter a financing application (Ctrl+N)"))
        self.new_button.setAutoDefault(False)
        self.new_button.setVisible(self.may_apply)
        self.new_button.clicked.connect(self.new_application)
        self.products_button = QPushButton(_("Financing products…"))
        self.products_button.setAutoDefault(False)
        self.products_button.setVisible(may(session, Action.FINANCING_PRODUCT))
        self.products_button.clicked.connect(self.edit_products)
        bar = QWidget()
        top = QHBoxLayout(bar)
        top.setContentsMargins(0, 0, 0, 0)
        label = QLabel(_("Search:"))
        label.setBuddy(self.search)
        top.addWidget(label)
        top.addWidget(self.search, 1)
        top.addSpacing(12)
        top.addWidget(self.new_button)
        top.addWidget(self.products_button)

        self.list = FinancingList(session, worker)
        self.panel = FinancingPanel(session, worker)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setChildrenCollapsible(False)
        rows = self.list.view.verticalHeader().defaultSectionSize()
        self.splitter.setSizes([rows * 7 + 30, rows * 22])
        pipeline = QWidget()
        column = QVBoxLayout(pipeline)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(Strip(steps))
        column.addWidget(Strip(bar))
        column.addWidget(self.splitter, 1)

        self.inbox = ApprovalsPage(session, worker)
        self.collectibility = CollectibilityPage(session, worker)
        self.pages = QTabWidget()
        self.pages.addTab(pipeline, _("Pipeline"))
        self.pages.addTab(self.inbox, _("Approvals"))
        self.pages.addTab(self.collectibility, _("Collectibility"))
        self.pipeline_page = pipeline
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.step_group.buttonClicked.connect(lambda _button: self.run_search())
        self.list.current_changed.connect(self.panel.show_financing)
        self.list.loaded.connect(self._list_loaded)
        self.list.activated.connect(lambda _row: self.panel.pages.setFocus())
        self.panel.changed.connect(lambda _id: self._changed())
        self.inbox.decided.connect(lambda _id: self._changed(reload_inbox=False))
        self.inbox.counted.connect(self._inbox_counted)
        self.inbox.open_requested.connect(self.show_financing)
        self.collectibility.open_requested.connect(self.show_financing)
        self.pages.currentChanged.connect(self._page_changed)
        for keys, slot in ((QKeySequence.StandardKey.New, self.new_application),
                           (QKeySequence.StandardKey.Find, self.focus_search)):
            shortcut = QShortcut(QKeySequence(keys), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # ------------------------------------------------------------------ loading
    @property
    def status(self) -> str | None:
        checked = self.step_group.checkedButton()
        key = checked.property("status") if checked is not None else ""
        return key or None

    def refresh(self) -> None:
        """Reload counts, the list, the financing shown and the inbox (on showing the tab)."""
        self._load_counts()
        self.run_search()
        self.panel.reload()
        self.inbox.refresh()
        if self.pages.currentWidget() is self.collectibility:
            self.collectibility.refresh()

    def run_search(self) -> None:
        self._timer.stop()
        self.list.load(self.status, self.search.text())

    def _search_now(self) -> None:
        self.run_search()
        self.list.view.setFocus()

    def focus_search(self) -> None:
        self.pages.setCurrentWidget(self.pipeline_page)
        self.search.setFocus()
        self.search.selectAll()

    def _load_counts(self) -> None:
        self._asked += 1
        asked = self._asked
        self.worker.submit(status_counts, self.session,
                           on_done=lambda counts: self._counted(asked, counts),
                           on_error=lambda _e: None)

    @when_alive
    def _counted(self, asked: int, counts: dict[str, int]) -> None:
        if asked != self._asked:
            return
        self.counts = counts
        for key, button in self.steps.items():
            if key == "":
                number = sum(n for status, n in counts.items() if status != ARREARS)
            else:
                number = sum(counts.get(part, 0) for part in key.split(","))
            button.setText(f"{step_label(key)} ({number})")

    @when_alive
    def _inbox_counted(self, count: int) -> None:
        index = self.pages.indexOf(self.inbox)
        self.pages.setTabText(index, _("Approvals ({n})").format(n=count) if count
                              else _("Approvals"))

    def _page_changed(self, _index: int) -> None:
        if self.pages.currentWidget() is self.collectibility:
            self.collectibility.refresh()
        elif self.pages.currentWidget() is self.inbox:
            self.inbox.refresh()

    def _changed(self, reload_inbox: bool = True) -> None:
        self._load_counts()
        self.list.reload()
        if reload_inbox:
            self.inbox.refresh()
        self.panel.reload()

    def show_financing(self, financing_id: int, status: str | None = None) -> None:
        """Choose a financing in the pipeline (all statuses, or ``status``)."""
        self.pages.setCurrentWidget(self.pipeline_page)
        self.steps[status or ""].setChecked(True)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.list.want_id = financing_id
        self.run_search()

    # ------------------------------------------------------------------ actions
    def new_application(self) -> None:
        if not self.may_apply:
            return
        self.form = ApplicationDialog(self.session, self.worker, self)
        self.form.succeeded.connect(self._applied)
        self.form.open()

    def _applied(self, financing_id: int) -> None:
        self._load_counts()
        self.inbox.refresh()
        self._notice = _("Application submitted; it waits for a manager who did not submit it.")
        self.show_financing(financing_id, "pengajuan")

    def _list_loaded(self) -> None:
        if self._notice is not None:
            self.panel.say(self._notice)
            self._notice = None

    def edit_products(self) -> None:
        self.form = FinancingProductsDialog(self.session, self.worker, self)
        self.form.open()
