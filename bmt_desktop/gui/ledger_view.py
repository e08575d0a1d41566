"""The trial balance (neraca saldo) as a table: every account with its debit or credit."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTableView

from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.i18n import _
from bmt_desktop.services.ledger import AccountBalance

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class TrialBalanceModel(QAbstractTableModel):
    def __init__(self, rows: list[AccountBalance]) -> None:
        super().__init__()
        self._rows = rows
        self._headers = [_("Code"), _("Account"), _("Fund"), _("Debit"), _("Credit")]
        self._total_debit = sum(r.debit for r in rows)
        self._total_credit = sum(r.credit for r in rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows) + 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        total_row = row == len(self._rows)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and (total_row or self._rows[row].is_header):
            font = QFont()
            font.setBold(True)
            return font
        if total_row:
            if role == Qt.ItemDataRole.DisplayRole:
                return {1: _("Total"), 3: format_rupiah(self._total_debit),
                        4: format_rupiah(self._total_credit)}.get(column, "")
            return None
        item = self._rows[row]
        if role == SORT_ROLE:
            return (item.code, item.name, item.fund, item.debit, item.credit)[column]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return item.code
        if column == 1:
            return item.name
        if column == 2:
            return _("Maal") if item.fund == "maal" else _("Tamwil")
        if item.is_header:
            return ""
        amount = item.debit if column == 3 else item.credit
        return format_rupiah(amount) if amount else "–"


def configure_trial_balance_view(view: QTableView, model: TrialBalanceModel) -> None:
    """Put ``model`` into ``view`` with the trial balance's column layout."""
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    for column in (0, 2, 3, 4):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
