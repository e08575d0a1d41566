"""What the Kube tab's pages and forms share: styles, labels of the coded values, a date
field, small widget helpers and the one-call form dialog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.member_form import parse_typed_date, typed_date
from bmt_desktop.gui.tabs.rows_model import RowsModel
from bmt_desktop.gui.tabs.teller_forms import (
    Call,
    PostingDialog,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
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


def line_edit(limit: int = 100, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(limit)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def choice(items: Sequence[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    for key, label in items:
        combo.addItem(label, key)
    return combo


def hbox(*widgets: QWidget) -> QWidget:
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



def date_text(text: str | None) -> str:
    try:
        return format_date_id(dt.date.fromisoformat(text or ""))
    except ValueError:
        return text or "–"


def table_view(model: RowsModel, stretch: int) -> QTableView:
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


def text_label(style: str = "", *, wrap: bool = True, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def button_bar(*widgets: QWidget) -> QWidget:
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
