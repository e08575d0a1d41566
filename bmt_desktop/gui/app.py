"""Start the window: choose the book, handle a held lock, log in, show the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from bmt_desktop import APP_NAME
from bmt_desktop.domain.errors import BmtError, BookLockedError
from bmt_desktop.gui.login import LoginDialog
from bmt_desktop.gui.main_window import MainWindow
from bmt_desktop.i18n import _
from bmt_desktop.paths import default_book, demo_book
from bmt_desktop.services.auth import login
from bmt_desktop.services.office import get_profile
from bmt_desktop.store.book import Book, open_book


def _choose_path(db: Path | None, demo: bool) -> tuple[Path, bool]:
    if demo:
        return demo_book(), True
    if db is not None:
        return Path(db), False
    if default_book().exists():
        return default_book(), False
    # First run without an office book: the demo book (the set-up wizard is its own issue).
    return demo_book(), True


def _open(path: Path, read_only: bool) -> Book | None:
    try:
        return open_book(path, read_only=read_only)
    except BookLockedError as error:
        if error.stale:
            answer = QMessageBox.question(
                None, APP_NAME, error.message + "\n\n" + _("Break the lock and open the book?")
            )
            if answer == QMessageBox.StandardButton.Yes:
                return open_book(path, break_stale_lock=True)
            return None
        answer = QMessageBox.question(None, APP_NAME, error.message + "\n\n" + _("Open read-only?"))
        if answer == QMessageBox.StandardButton.Yes:
            return open_book(path, read_only=True)
        return None


def run(db: Path | None = None, read_only: bool = False, demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    path, is_demo = _choose_path(db, demo)
    try:
        if is_demo and not path.exists():
            from bmt_desktop.services.demo import build_demo

            build_demo(path).book.close()
        book = _open(path, read_only)
    except BmtError as error:
        QMessageBox.critical(None, APP_NAME, error.message)
        return 2
    if book is None:
        return 0
    try:
        profile = get_profile(book)
        dialog = LoginDialog(
            profile.name,
            lambda user, password: login(book, user, password),
            LoginDialog.demo_hint() if profile.is_demo else "",
        )
        if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.session is None:
            return 0
        window = MainWindow(dialog.session)
        window.show()
        return app.exec()
    finally:
        book.close()
