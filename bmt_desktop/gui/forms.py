"""Load Qt Designer forms from ui/ (one helper, so every form is found the same way).

Texts in the forms are English msgids; ``translate_form`` runs them through the gettext
catalog so the user reads Indonesian.
"""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from bmt_desktop.i18n import _
from bmt_desktop.locator import ui_dir


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    path = ui_dir() / f"{name}.ui"
    handle = QFile(str(path))
    if not handle.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(str(path))
    try:
        widget = QUiLoader().load(handle, parent)
    finally:
        handle.close()
    if widget is None:
        raise RuntimeError(f"cannot load form {path}")
    translate_form(widget)
    return widget


def translate_form(root: QWidget) -> None:
    if root.windowTitle():
        root.setWindowTitle(_(root.windowTitle()))
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLabel | QAbstractButton) and widget.text():
            widget.setText(_(widget.text()))
        elif isinstance(widget, QGroupBox) and widget.title():
            widget.setTitle(_(widget.title()))
        elif isinstance(widget, QLineEdit) and widget.placeholderText():
            widget.setPlaceholderText(_(widget.placeholderText()))
        if isinstance(widget, QDialogButtonBox):
            for button in widget.buttons():
                role = widget.standardButton(button)
                if role == QDialogButtonBox.StandardButton.Ok:
                    button.setText(_("OK"))
                elif role == QDialogButtonBox.StandardButton.Cancel:
                    button.setText(_("Cancel"))
