"""The login dialog and the main window, driven as a person would (offscreen)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableView

from bmt_desktop.gui.forms import load_form
from bmt_desktop.gui.ledger_view import TrialBalanceModel
from bmt_desktop.gui.login import LoginDialog
from bmt_desktop.gui.main_window import MainWindow
from bmt_desktop.i18n import _
from bmt_desktop.locator import ui_dir
from bmt_desktop.services import auth, ledger
from bmt_desktop.store.book import Book, open_book
from tests.conftest import PASSWORD, TODAY


@pytest.mark.parametrize("form", sorted(p.stem for p in ui_dir().glob("*.ui")))
def test_every_form_loads(qtbot, form: str) -> None:
    widget = load_form(form)
    qtbot.addWidget(widget)
    assert widget.objectName()


def test_login_refuses_a_wrong_password_then_accepts(qtbot, book: Book) -> None:
    dialog = LoginDialog("BMT Uji Coba", lambda u, p: auth.login(book, u, p))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "kasir")
    qtbot.keyClicks(dialog.password, "salah-sandi")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.session is None
    assert dialog.error.text() == _("Wrong user name or password.")
    assert dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.session is not None and dialog.session.username == "kasir"


def test_main_window_shows_the_trial_balance(qtbot, book: Book, manager, tmp_path: Path) -> None:
    ledger.post_journal(manager, TODAY, "Modal", [
        ledger.LineSpec("101", debit=1_500_000), ledger.LineSpec("301", credit=1_500_000)])
    window = MainWindow(manager)
    qtbot.addWidget(window)
    window.show()
    model = window.findChild(QTableView).model()
    assert isinstance(model, TrialBalanceModel)
    qtbot_model_rows = [model.index(r, 0).data() for r in range(model.rowCount())]
    row = qtbot_model_rows.index("101")
    assert model.index(row, 3).data() == "Rp1.500.000"
    total = model.rowCount() - 1
    assert model.index(total, 3).data() == model.index(total, 4).data() == "Rp1.500.000"
    window.grab().save(str(tmp_path / "main.png"))


def test_trial_balance_model_passes_the_model_tester(qtmodeltester, manager) -> None:
    qtmodeltester.check(TrialBalanceModel(ledger.trial_balance(manager)))


def test_read_only_book_says_so(qtbot, book: Book, book_path: Path, tmp_path: Path) -> None:
    book.close()
    copy = tmp_path / "salinan.bmt"
    shutil.copyfile(book_path, copy)
    frozen = open_book(copy, read_only=True)
    try:
        session = auth.login(frozen, "auditor", PASSWORD)
        window = MainWindow(session)
        qtbot.addWidget(window)
        assert _("SALINAN AUDITOR — HANYA BACA") in window.windowTitle()
        badges = [label.text() for label in window.statusBar().findChildren(QLabel)]
        assert _("READ-ONLY") in badges
    finally:
        frozen.close()
