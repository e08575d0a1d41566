"""The manager changes a savings product's terms in the window; a bad value writes nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from bmt_desktop.gui.products_dialog import ProductsDialog
from bmt_desktop.gui.worker import Worker
from bmt_desktop.services import ledger
from bmt_desktop.services.savings import list_products


def test_manager_changes_the_minimum_balance(qtbot, book, manager) -> None:
    worker = Worker()
    dialog = ProductsDialog(manager, worker)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.choice.count() >= 5)
    codes = [p.code for p in dialog.products]
    dialog.choice.setCurrentIndex(codes.index("SS"))
    dialog.minimum.setValue(25_000)
    head = ledger.current_chain_head(book)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled())
    assert "Rp25.000" in dialog.error.text()
    assert next(p for p in list_products(manager) if p.code == "SS").min_balance == 25_000
    assert ledger.current_chain_head(book) != head  # audited
    # an empty name is refused with a message, nothing written
    dialog.name.setText("  ")
    head = ledger.current_chain_head(book)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled())
    assert dialog.error.text() and "Rp25.000" not in dialog.error.text()
    assert ledger.current_chain_head(book) == head
    worker.wait()
