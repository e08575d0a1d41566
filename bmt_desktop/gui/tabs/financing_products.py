"""The manager sets up the financing products: ranges of amount, tenor, margin rate or nisbah,
frequencies, rounding, admin fee, the ta'zir written into the akad, collateral, who may apply.
Financing already agreed keeps its own akad terms."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.financing_schedule import FREQUENCIES, ROUNDING_UNITS
from bmt_desktop.gui.tabs.financing_common import akad_label, freq_text
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.teller_forms import ERROR_STYLE, GOOD_STYLE, error_text
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.financing import FinancingProduct, list_products, update_product
from bmt_desktop.services.session import Session

MONEY_MAX = 2_000_000_000  # a QSpinBox holds 32 bits


def _money_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, MONEY_MAX)
    box.setSingleStep(100_000)
    box.setGroupSeparatorShown(True)
    box.setPrefix("Rp")
    box.setLocale(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia))
    return box


def _rate_box() -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0, 100)
    box.setDecimals(2)
    box.setSingleStep(0.5)
    box.setSuffix(" %")
    box.setLocale(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia))
    return box


def _spin(low: int, high: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    return box


def _pair(first: QWidget, second: QWidget) -> QWidget:
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(first)
    line.addWidget(QLabel("–"))
    line.addWidget(second)
    line.addStretch(1)
    return row


class FinancingProductsDialog(QDialog):
    """Choose a product, change its terms, save; the audit log keeps before and after."""

    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker = session, worker
        self.setWindowTitle(_("Financing products"))
        self.products: list[FinancingProduct] = []
        self.choice = QComboBox()
        self.akad = QLabel()
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.method = QComboBox()
        self.method.addItem(_("flat (proportional)"), "flat")
        self.method.addItem(_("annuity (effective)"), "anuitas")
        self.min_rate, self.max_rate = _rate_box(), _rate_box()
        self.min_nisbah, self.max_nisbah = _spin(0, 100, " %"), _spin(0, 100, " %")
        self.min_tenor = _spin(1, 120, " " + _("months"))
        self.max_tenor = _spin(1, 120, " " + _("months"))
        self.min_amount, self.max_amount = _money_box(), _money_box()
        self.frequencies = {key: QCheckBox(freq_text(key)) for key in FREQUENCIES}
        self.rounding = QComboBox()
        for unit in ROUNDING_UNITS:
            self.rounding.addItem(f"Rp{unit:,}".replace(",", "."), unit)
        self.fee = _money_box()
        self.tazir = _money_box()
        self.training = QLineEdit()
        self.training.setPlaceholderText(_("topic codes, e.g. USAHA, KEUANGAN"))
        self.collateral = QCheckBox(_("Collateral required"))
        self.for_kube = QCheckBox(_("For Kube"))
        self.for_individual = QCheckBox(_("For individual members"))
        self.active = QCheckBox(_("Offered for new applications"))
        frequencies = QWidget()
        line = QHBoxLayout(frequencies)
        line.setContentsMargins(0, 0, 0, 0)
        for box in self.frequencies.values():
            line.addWidget(box)
        line.addStretch(1)
        form = QFormLayout()
        form.addRow(_("Product:"), self.choice)
        form.addRow(_("Akad:"), self.akad)
        form.addRow(_("Name:"), self.name)
        form.addRow(_("Margin method:"), self.method)
        form.addRow(_("Margin rate a year:"), _pair(self.min_rate, self.max_rate))
        form.addRow(_("BMT's nisbah:"), _pair(self.min_nisbah, self.max_nisbah))
        form.addRow(_("Tenor:"), _pair(self.min_tenor, self.max_tenor))
        form.addRow(_("Amount:"), _pair(self.min_amount, self.max_amount))
        form.addRow(_("Frequencies:"), frequencies)
        form.addRow(_("Round instalments up to:"), self.rounding)
        form.addRow(_("Admin fee:"), self.fee)
        form.addRow(_("Ta'zir in the akad:"), self.tazir)
        form.addRow(_("Required training:"), self.training)
        for box in (self.collateral, self.for_kube, self.for_individual, self.active):
            form.addRow("", box)
        self.form = form
        note = QLabel(_("Financing already agreed keeps the terms of its akad; the new terms "
                        "apply to applications from now on."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.choice.currentIndexChanged.connect(self._show)
        worker.submit(list_products, session, on_done=self._loaded,
                      on_error=lambda e: self._say(error_text(e), ERROR_STYLE))

    @when_alive
    def _loaded(self, products: list[FinancingProduct]) -> None:
        self.products = products
        self.choice.clear()
        self.choice.addItems([f"{p.code} — {p.name}" for p in products])

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.products):
            return
        p = self.products[index]
        self.akad.setText(akad_label(p.akad))
        self.name.setText(p.name)
        self.method.setCurrentIndex(max(0, self.method.findData(p.method)))
        self.min_rate.setValue(p.min_rate_bp / 100)
        self.max_rate.setValue(p.max_rate_bp / 100)
        self.min_nisbah.setValue(p.min_nisbah_pct)
        self.max_nisbah.setValue(p.max_nisbah_pct)
        self.min_tenor.setValue(p.min_tenor_months)
        self.max_tenor.setValue(p.max_tenor_months)
        for box, value in ((self.min_amount, p.min_amount), (self.max_amount, p.max_amount)):
            box.setValue(min(value, MONEY_MAX))
        for key, box in self.frequencies.items():
            box.setChecked(key in p.frequencies)
        self.rounding.setCurrentIndex(max(0, self.rounding.findData(p.rounding_unit)))
        self.fee.setValue(p.admin_fee)
        self.tazir.setValue(p.tazir_amount)
        self.training.setText(", ".join(p.required_training))
        self.collateral.setChecked(p.collateral_required)
        self.for_kube.setChecked(p.for_kube)
        self.for_individual.setChecked(p.for_individual)
        self.active.setChecked(p.active)
        margin = p.akad in ("murabahah", "ijarah")
        self.form.setRowVisible(self.method, p.akad == "murabahah")
        self.form.setRowVisible(self.min_rate.parentWidget(), margin)
        self.form.setRowVisible(self.min_nisbah.parentWidget(),
                                p.akad in ("mudharabah", "musyarakah"))
        self.message.clear()

    def changes(self) -> dict[str, object]:
        return {
            "name": self.name.text(), "method": self.method.currentData(),
            "min_rate_bp": round(self.min_rate.value() * 100),
            "max_rate_bp": round(self.max_rate.value() * 100),
            "min_nisbah_pct": self.min_nisbah.value(), "max_nisbah_pct": self.max_nisbah.value(),
            "min_tenor_months": self.min_tenor.value(),
            "max_tenor_months": self.max_tenor.value(),
            "min_amount": self.min_amount.value(), "max_amount": self.max_amount.value(),
            "frequencies": [k for k, box in self.frequencies.items() if box.isChecked()],
            "rounding_unit": self.rounding.currentData(), "admin_fee": self.fee.value(),
            "tazir_amount": self.tazir.value(), "required_training": self.training.text(),
            "collateral_required": self.collateral.isChecked(),
            "for_kube": self.for_kube.isChecked(),
            "for_individual": self.for_individual.isChecked(), "active": self.active.isChecked(),
        }

    def save(self) -> None:
        index = self.choice.currentIndex()
        if not 0 <= index < len(self.products):
            return
        self.buttons.setEnabled(False)
        self.worker.submit(update_product, self.session, self.products[index].code,
                           on_done=lambda p: self._saved(index, p), on_error=self._failed,
                           **self.changes())

    @when_alive
    def _saved(self, index: int, product: FinancingProduct) -> None:
        self.products[index] = product
        self.buttons.setEnabled(True)
        self._say(_("Saved: {name}.").format(name=product.name), GOOD_STYLE)

    @when_alive
    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._say(error_text(error), ERROR_STYLE)

    def _say(self, text: str, style: str) -> None:
        self.message.setStyleSheet(style)
        self.message.setText(text)
