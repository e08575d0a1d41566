"""Small modal questions in one place, so tests can answer them instead of a person."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from bmt_desktop import APP_NAME
from bmt_desktop.i18n import _

BOOK_FILTER = "BMT books (*.bmt);;All files (*)"


def ask_yes_no(parent: QWidget | None, text: str) -> bool:
    answer = QMessageBox.question(parent, APP_NAME, text)
    return answer == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget | None, text: str) -> None:
    QMessageBox.critical(parent, APP_NAME, text)


def show_info(parent: QWidget | None, text: str) -> None:
    QMessageBox.information(parent, APP_NAME, text)


def ask_open_path(parent: QWidget | None, title: str, folder: str = "") -> str | None:
    path, _filter = QFileDialog.getOpenFileName(parent, title, folder, _(BOOK_FILTER))
    return path or None
