"""The manager sets up the savings products: amounts, minimum balance, fees, nisbah, term."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.errors import BmtError
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.savings import ProductRow, list_products, update_product
from bmt_desktop.services.session import Session

MONEY_MAX = 1_000_000_000


def _money_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, MONEY_MAX)
    box.setSingleStep(1_000)
    box.setGroupSeparatorShown(True)
    box.setPrefix("Rp")
    # Grouping with dots (Rp20.000), whatever the computer's own locale.
    box.setLocale(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia))
    return box


class ProductsDialog(QDialog):
    """Choose a product, change its terms, save; the audit log keeps before and after."""

    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, worker
        self.setWindowTitle(_("Savings products"))
        self.products: list[ProductRow] = []
        self.choice = QComboBox()
        self.name = QLineEdit()
        self.fixed = _money_box()
        self.minimum = _money_box()
        self.fee = _money_box()
        self.dormant = QSpinBox()
        self.dormant.setRange(1, 36_500)
        self.dormant.setSuffix(_(" days"))
        self.nisbah = QSpinBox()
        self.nisbah.setRange(0, 100)
        self.nisbah.setSuffix(" %")
        self.term = QSpinBox()
        self.term.setRange(0, 120)
        self.term.setSuffix(_(" months"))
        self.term.setSpecialValueText("–")
        self.penalty = QSpinBox()
        self.penalty.setRange(0, 100)
        self.penalty.setSuffix(" %")
        self.active = QCheckBox(_("Open for new accounts"))
        self.kind = QLabel()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Product:"), self.choice)
        form.addRow(_("Kind:"), self.kind)
        form.addRow(_("Name:"), self.name)
        form.addRow(_("Fixed amount (pokok, wajib per month):"), self.fixed)
        form.addRow(_("Minimum balance:"), self.minimum)
        form.addRow(_("Monthly admin fee:"), self.fee)
        form.addRow(_("Dormant after:"), self.dormant)
        form.addRow(_("Member's nisbah:"), self.nisbah)
        form.addRow(_("Term (deposito):"), self.term)
        form.addRow(_("Early withdrawal penalty:"), self.penalty)
        form.addRow("", self.active)
        note = QLabel(_("A changed nisbah applies to accounts opened from now on; the nisbah "
                        "agreed at opening is not lowered without the member's consent."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.choice.currentIndexChanged.connect(self._show)
        self.resize(560, 480)
        worker.submit(list_products, session, on_done=self._loaded,
                      on_error=lambda e: self.error.setText(str(e)))

    def _loaded(self, products: list[ProductRow]) -> None:
        self.products = products
        self.choice.clear()
        self.choice.addItems([f"{p.code} — {p.name}" for p in products])

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.products):
            return
        p = self.products[index]
        self.kind.setText(p.kind)
        self.name.setText(p.name)
        self.fixed.setValue(p.fixed_amount)
        self.minimum.setValue(p.min_balance)
        self.fee.setValue(p.admin_fee)
        self.dormant.setValue(p.dormant_days)
        self.nisbah.setValue(p.nisbah_pct)
        self.term.setValue(p.term_months or 0)
        self.penalty.setValue(p.early_penalty_pct)
        self.active.setChecked(p.active)
        self.error.clear()

    def save(self) -> None:
        index = self.choice.currentIndex()
        if not 0 <= index < len(self.products):
            return
        code = self.products[index].code
        changes = {
            "name": self.name.text(), "fixed_amount": self.fixed.value(),
            "min_balance": self.minimum.value(), "admin_fee": self.fee.value(),
            "dormant_days": self.dormant.value(), "nisbah_pct": self.nisbah.value(),
            "term_months": self.term.value() or None,
            "early_penalty_pct": self.penalty.value(), "active": self.active.isChecked(),
        }
        self.buttons.setEnabled(False)

        def done(row: ProductRow) -> None:
            self.products[index] = row
            self.buttons.setEnabled(True)
            self.error.setStyleSheet("color: #1b7f3b;")
            self.error.setText(_("Saved: {name}, minimum {minimum}.").format(
                name=row.name, minimum=format_rupiah(row.min_balance)))

        def failed(error: BaseException) -> None:
            self.buttons.setEnabled(True)
            self.error.setStyleSheet("color: #b00020;")
            self.error.setText(error.message if isinstance(error, BmtError) else str(error))

        self.worker.submit(update_product, self.session, code, on_done=done, on_error=failed,
                           **changes)
