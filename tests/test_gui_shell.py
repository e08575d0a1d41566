"""The shell driven as a person would (offscreen): login, tabs, idle lock, roles, read-only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from bmt_desktop.domain.errors import ReadOnlyBookError
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.domain.permissions import Role
from bmt_desktop.gui.forms import load_form
from bmt_desktop.gui.ledger_view import TrialBalanceModel
from bmt_desktop.gui.login import LoginDialog
from bmt_desktop.gui.main_window import MainWindow
from bmt_desktop.gui.settings import AppSettings
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.locator import ui_dir
from bmt_desktop.services import auth, ledger
from bmt_desktop.services.demo import DEMO_PASSWORD
from bmt_desktop.services.office import get_profile
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book, open_book
from tests.conftest import PASSWORD, TODAY, demo_session

END = dt.date(2026, 11, 29)


_session = demo_session


def _window(qtbot, session: Session, worker: Worker, idle_ms: int | None = None) -> MainWindow:
    window = MainWindow(session, get_profile(session.book), worker, AppSettings(), idle_ms)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.mark.parametrize("form", sorted(p.stem for p in ui_dir().glob("*.ui")))
def test_every_form_loads(qtbot, form: str) -> None:
    widget = load_form(form)
    qtbot.addWidget(widget)
    assert widget.objectName()


def test_login_refuses_a_wrong_password_then_accepts(qtbot, book: Book, worker: Worker) -> None:
    dialog = LoginDialog("BMT Uji Coba", lambda u, p: auth.login(book, u, p), worker)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "kasir")
    qtbot.keyClicks(dialog.password, "salah-sandi")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.failures == 1)
    assert dialog.session is None
    assert dialog.error.text() == _("Wrong user name or password.")
    assert dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.session is not None and dialog.session.username == "kasir"


def test_three_wrong_passwords_close_the_dialog(qtbot, book: Book, worker: Worker) -> None:
    dialog = LoginDialog("BMT Uji Coba", lambda u, p: auth.login(book, u, p), worker)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "kasir")
    for attempt in range(1, 4):
        qtbot.keyClicks(dialog.password, f"salah-{attempt}")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda a=attempt: dialog.failures == a)
    assert dialog.locked_out and dialog.result() == LoginDialog.DialogCode.Rejected
    assert dialog.session is None


def test_tabs_switch_with_the_keyboard_and_show_data(qtbot, demo: Book, worker: Worker,
                                                     tmp_path: Path) -> None:
    window = _window(qtbot, _session(demo, "kasir"), worker)
    names = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]
    assert names == ["Anggota", "Kube", "Pembiayaan", "Pelatihan", "Laporan", "Kas"]
    # the members tab fills from the worker
    qtbot.waitUntil(lambda: window.members.model.rowCount() == 40)
    qtbot.keyClicks(window.members.search, "AG-00001")
    qtbot.waitUntil(lambda: window.members.model.rowCount() == 10)  # AG-000010..19 and 1
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for number in range(1, 7):
        qtbot.keyClick(window.focusWidget() or window, Qt.Key(Qt.Key.Key_0 + number),
                       Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentIndex() == number - 1
    qtbot.waitUntil(lambda: window.drawer.balance.text() != "")
    assert "Rp" in window.drawer.balance.text()
    window.tabs.setCurrentWidget(window.reports)
    model = window.reports.trial.table.model()
    qtbot.waitUntil(lambda: isinstance(model := window.reports.trial.table.model(),
                                       TrialBalanceModel) and model.rowCount() > 1)
    model = window.reports.trial.table.model()
    total = model.rowCount() - 1
    assert model.index(total, 3).data() == model.index(total, 4).data()


def test_the_session_locks_when_idle_and_unlocks_with_the_password(qtbot, demo: Book,
                                                                    worker: Worker) -> None:
    window = _window(qtbot, _session(demo, "kasir"), worker, idle_ms=150)
    qtbot.waitUntil(window.is_locked, timeout=3000)
    assert not window.menuBar().isEnabled()
    page = window.lock_page
    qtbot.keyClicks(page.password, "salah-sandi")
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.error.text() != "")
    assert window.is_locked()
    qtbot.keyClicks(page.password, DEMO_PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.is_locked())
    assert window.menuBar().isEnabled()


def test_three_wrong_unlocks_close_the_window(qtbot, demo: Book, worker: Worker,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("bmt_desktop.gui.dialogs.show_error", lambda _p, text: shown.append(text))
    window = _window(qtbot, _session(demo, "kasir"), worker)
    window.lock()
    with qtbot.waitSignal(window.closing, timeout=10_000):
        for attempt in range(3):
            qtbot.keyClicks(window.lock_page.password, f"salah-{attempt}")
            qtbot.keyClick(window.lock_page.password, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: window.lock_page.unlock_button.isEnabled()
                            or not window.isVisible())
    assert shown and not window.isVisible()


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        ("kasir", set()),
        ("manajer", {"backup", "verify"}),
        ("admin", {"backup", "restore", "verify"}),
        ("auditor", {"verify"}),
    ],
)
def test_each_role_sees_only_its_actions(qtbot, demo: Book, worker: Worker, username: str,
                                         visible: set[str]) -> None:
    window = _window(qtbot, _session(demo, username), worker)
    actions = {"backup": window.backup_action, "restore": window.restore_action,
               "verify": window.verify_action}
    assert {name for name, action in actions.items() if action.isVisible()} == visible


def test_read_only_copy_hides_every_write_and_the_store_refuses(qtbot, demo: Book, worker: Worker,
                                                                 tmp_path: Path) -> None:
    demo.close()
    frozen = open_book(demo.path, read_only=True)
    try:
        session = _session(frozen, "admin")
        window = _window(qtbot, session, worker)
        assert _("SALINAN AUDITOR — HANYA BACA") in window.windowTitle()
        assert window.findChild(QLabel, "readOnlyBadge").text() == _("READ-ONLY")
        writes = [g for g in window.guarded_actions() if g.writes]
        assert writes and all(not g.action.isVisible() for g in writes)
        # a write that slips past the window is refused by the services and the store
        manager = _session(frozen, "manajer")
        with pytest.raises(ReadOnlyBookError):
            ledger.post_journal(manager, END, "Tidak boleh",
                                [LineSpec("101", debit=1), LineSpec("301", credit=1)])
        with pytest.raises(ReadOnlyBookError), frozen.transaction():
            pass
        window.grab().save(str(tmp_path / "read_only.png"))
    finally:
        frozen.close()


def test_window_state_is_remembered(qtbot, demo: Book, worker: Worker) -> None:
    window = _window(qtbot, _session(demo, "kasir"), worker)
    window.resize(720, 520)
    window.close()
    again = _window(qtbot, _session(demo, "kasir"), worker)
    assert (again.width(), again.height()) == (720, 520)


def test_trial_balance_model_passes_the_model_tester(qtmodeltester, manager) -> None:
    ledger.post_journal(manager, TODAY, "Modal", [LineSpec("101", debit=5),
                                                 LineSpec("301", credit=5)])
    qtmodeltester.check(TrialBalanceModel(ledger.trial_balance(manager)))


def test_roles_are_complete() -> None:
    assert {r.value for r in Role} == {"admin", "manager", "teller", "auditor"}


def test_english_can_be_chosen(qtbot, demo: Book, worker: Worker) -> None:
    from bmt_desktop import i18n

    i18n.install("en")
    try:
        window = _window(qtbot, _session(demo, "kasir"), worker)
        assert window.tabs.tabText(0) == "&Members"
    finally:
        i18n.install("id")
    again = _window(qtbot, _session(demo, "kasir"), worker)
    assert again.tabs.tabText(0) == "&Anggota"


def test_a_tampered_book_shows_a_red_warning(qtbot, demo: Book, worker: Worker) -> None:
    import sqlite3

    path = demo.path
    demo.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE account SET balance = balance + 1000 WHERE code = '101'")
    conn.commit()
    conn.close()
    book = open_book(path, read_only=True)
    try:
        window = _window(qtbot, _session(book, "kasir"), worker)
        qtbot.waitUntil(lambda: window.tamper_banner is not None, timeout=20_000)
        assert "verifikasi" in window.tamper_banner.text().lower()
    finally:
        book.close()


def test_a_sound_book_shows_no_warning(qtbot, demo: Book, worker: Worker) -> None:
    window = _window(qtbot, _session(demo, "kasir"), worker)
    window._checker.wait()
    qtbot.wait(50)
    assert window.tamper_banner is None


def test_qt_standard_buttons_are_translated_and_never_blank(qtbot) -> None:
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from bmt_desktop.gui.qt_translator import CatalogTranslator

    translator = CatalogTranslator()
    QApplication.instance().installTranslator(translator)
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        texts = {b.text().replace("&", "") for b in box.buttons()}
        assert texts == {"OK", "Batal"}
    finally:
        QApplication.instance().removeTranslator(translator)
