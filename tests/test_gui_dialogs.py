"""The first-run, settings and about dialogs, driven as a person would (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QWidget

from bmt_desktop import __version__, paths
from bmt_desktop.gui import first_run
from bmt_desktop.gui.about import AboutDialog
from bmt_desktop.gui.first_run import FirstRunDialog
from bmt_desktop.gui.settings import AppSettings
from bmt_desktop.gui.settings_dialog import SettingsDialog
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.auth import MIN_PASSWORD, login
from bmt_desktop.services.office import get_profile
from bmt_desktop.store.book import open_book
from bmt_desktop.store.verify import verify_book

OFFICE = "BMT Harapan Umat Cadasari"
ADMIN = "ketua"
SECRET = "sandi-kuat-2026"
WAIT_MS = 60_000


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """QSettings in tmp (INI files), and the default and demo books in tmp too."""
    QCoreApplication.setOrganizationName("BMT Desktop Test")
    QCoreApplication.setApplicationName("BMT Desktop Test")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    books = tmp_path / "buku"
    monkeypatch.setattr(paths, "default_book", lambda: books / "kantor.bmt")
    monkeypatch.setattr(paths, "demo_book", lambda: books / "demo.bmt")
    # first_run reads both through the module (``paths.default_book()``): the same objects.
    assert first_run.paths is paths

    def no_file_dialog(parent: QWidget | None, suggested: str) -> str | None:
        raise AssertionError("a test opened the real file dialog")

    monkeypatch.setattr(first_run, "_ask_save_path", no_file_dialog)
    yield books


@pytest.fixture
def worker() -> Iterator[Worker]:
    worker = Worker()
    yield worker
    worker.wait()


def _first_run(qtbot, worker: Worker) -> FirstRunDialog:
    dialog = FirstRunDialog(worker)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # focus and Tab need the active window
    return dialog


def _open_form(qtbot, dialog: FirstRunDialog) -> None:
    qtbot.mouseClick(dialog.create_choice, Qt.MouseButton.LeftButton)
    assert dialog.form_page.isVisible() and not dialog.choice_page.isVisible()


def _fill(qtbot, dialog: FirstRunDialog, *, office: str = OFFICE, username: str = ADMIN,
          password: str = SECRET, again: str | None = None) -> None:
    qtbot.keyClicks(dialog.office_name, office)
    qtbot.keyClicks(dialog.registration, "518/BH/KSPPS/2026")
    qtbot.keyClicks(dialog.address, "Jl. Raya Cadasari No. 7, Pandeglang")
    dialog.username.selectAll()
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.full_name, "Ujang Hermawan")
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClicks(dialog.password_again, password if again is None else again)


def _texts(widget: QWidget) -> set[str]:
    found = {label.text() for label in widget.findChildren(QLabel)}
    found |= {button.text() for button in widget.findChildren(QAbstractButton)}
    return found


# --------------------------------------------------------------------------- first run


def test_choices_are_in_indonesian(qtbot, worker) -> None:
    dialog = _first_run(qtbot, worker)
    texts = _texts(dialog)
    assert "Buat buku kantor baru" in texts and "Buka buku demo" in texts
    assert "Create the office book" not in texts and "Cancel" not in texts
    assert not dialog.ok_button.isVisible()
    assert dialog.create_choice.hasFocus()


def test_creating_the_office_book(qtbot, worker, isolated: Path) -> None:
    dialog = _first_run(qtbot, worker)
    _open_form(qtbot, dialog)
    assert dialog.location.text() == str(isolated / "kantor.bmt")
    assert dialog.username.text() == "admin"
    _fill(qtbot, dialog)
    qtbot.keyClick(dialog.password_again, Qt.Key.Key_Return)  # Enter confirms
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=WAIT_MS)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_path == isolated / "kantor.bmt"
    assert dialog.result_is_demo is False
    assert not worker.busy()
    assert verify_book(dialog.result_path).ok
    book = open_book(dialog.result_path)  # the dialog closed its Book: the lock is free
    try:
        profile = get_profile(book)
        assert profile.name == OFFICE and not profile.is_demo
        assert profile.registration_number == "518/BH/KSPPS/2026"
        session = login(book, ADMIN, SECRET)
        assert session.username == ADMIN
    finally:
        book.close()


def test_the_book_goes_where_the_user_chose(qtbot, worker, tmp_path: Path,
                                            monkeypatch) -> None:
    chosen = tmp_path / "data kantor" / "Harapan Umat"  # no suffix: .bmt is added
    answers: list[str | None] = [None, str(chosen)]
    monkeypatch.setattr(first_run, "_ask_save_path", lambda parent, suggested: answers.pop(0))
    dialog = _first_run(qtbot, worker)
    _open_form(qtbot, dialog)
    before = dialog.location.text()
    qtbot.mouseClick(dialog.change_location, Qt.MouseButton.LeftButton)  # cancelled
    assert dialog.location.text() == before
    qtbot.mouseClick(dialog.change_location, Qt.MouseButton.LeftButton)
    assert dialog.location.text() == str(chosen.with_name("Harapan Umat.bmt"))
    _fill(qtbot, dialog)
    qtbot.keyClick(dialog.office_name, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=WAIT_MS)
    assert dialog.result_path == chosen.with_name("Harapan Umat.bmt")
    assert verify_book(dialog.result_path).ok
    assert not paths.default_book().exists()


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"password": "rahasia-1", "again": "rahasia-2"}, "The two passwords differ.",
         "password_again"),
        ({"password": "x" * (MIN_PASSWORD - 1)},
         "The password must have at least {n} characters.", "password"),
        ({"office": "   "}, "Enter the office name.", "office_name"),
        ({"username": "Kepala Kantor"}, None, "username"),  # the auth service's own message
    ],
)
def test_invalid_input_is_shown_inline_and_nothing_is_created(
    qtbot, worker, isolated: Path, fields: dict, message: str | None, field: str
) -> None:
    dialog = _first_run(qtbot, worker)
    _open_form(qtbot, dialog)
    _fill(qtbot, dialog, **fields)
    qtbot.keyClick(dialog.password_again, Qt.Key.Key_Return)
    shown = dialog.error.text()
    if message is not None:
        assert shown == _(message).format(n=MIN_PASSWORD) != message.format(n=MIN_PASSWORD)
    else:
        assert "Kepala Kantor" in shown and "not valid" not in shown
    assert getattr(dialog, field).hasFocus()
    assert dialog.isVisible() and dialog.result_path is None
    assert not worker.busy()
    assert not isolated.exists()  # not even the folder


def test_an_empty_form_lists_every_problem(qtbot, worker, isolated: Path) -> None:
    dialog = _first_run(qtbot, worker)
    _open_form(qtbot, dialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    lines = dialog.error.text().splitlines()
    assert _("Enter the office name.") in lines
    assert _("Enter the administrator's full name.") in lines
    assert _("The password must have at least {n} characters.").format(n=MIN_PASSWORD) in lines
    assert dialog.office_name.hasFocus()
    qtbot.keyClicks(dialog.office_name, "B")  # typing clears the message
    assert dialog.error.text() == ""
    assert not isolated.exists()


def test_an_existing_file_is_refused_and_left_alone(qtbot, worker, tmp_path: Path,
                                                    monkeypatch) -> None:
    existing = tmp_path / "lama.bmt"
    existing.write_bytes(b"buku lama yang tidak boleh ditimpa")
    monkeypatch.setattr(first_run, "_ask_save_path", lambda parent, suggested: str(existing))
    dialog = _first_run(qtbot, worker)
    _open_form(qtbot, dialog)
    qtbot.mouseClick(dialog.change_location, Qt.MouseButton.LeftButton)
    _fill(qtbot, dialog)
    qtbot.keyClick(dialog.password_again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.text() != "" and not dialog.busy, timeout=WAIT_MS)

    assert "lama.bmt" in dialog.error.text()
    assert dialog.error.text() == _("{path} already exists; choose another name.").format(
        path=existing)
    assert existing.read_bytes() == b"buku lama yang tidak boleh ditimpa"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("lama")) == [
        "lama.bmt"]
    assert dialog.isVisible() and dialog.result_path is None
    assert dialog.form_page.isEnabled() and dialog.ok_button.isEnabled()


def test_back_returns_to_the_choices_and_escape_cancels(qtbot, worker, isolated: Path) -> None:
    dialog = _first_run(qtbot, worker)
    _open_form(qtbot, dialog)
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    assert dialog.choice_page.isVisible() and not dialog.ok_button.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()
    assert dialog.result_path is None
    assert not isolated.exists()


def test_tab_follows_the_form(qtbot, worker) -> None:
    dialog = _first_run(qtbot, worker)
    _open_form(qtbot, dialog)
    assert dialog.office_name.hasFocus()
    order = [dialog.office_name, dialog.registration, dialog.address, dialog.username,
             dialog.full_name, dialog.password, dialog.password_again, dialog.location,
             dialog.change_location]
    for here, there in zip(order, order[1:], strict=False):
        assert here.hasFocus(), here
        qtbot.keyClick(here, Qt.Key.Key_Tab)
        assert there.hasFocus(), there


def test_the_demo_choice_builds_the_demo_book(qtbot, worker, isolated: Path) -> None:
    dialog = _first_run(qtbot, worker)
    qtbot.mouseClick(dialog.demo_choice, Qt.MouseButton.LeftButton)
    assert dialog.busy
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # ignored while the book is being written
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=WAIT_MS)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_path == isolated / "demo.bmt"
    assert dialog.result_is_demo is True
    book = open_book(dialog.result_path)
    try:
        assert get_profile(book).is_demo
    finally:
        book.close()

    # A second start finds the demo book and opens it without building it again.
    stamp = dialog.result_path.stat().st_mtime_ns
    again = _first_run(qtbot, worker)
    again.demo_choice.setFocus()
    qtbot.keyClick(again.demo_choice, Qt.Key.Key_Return)
    assert again.result() == QDialog.DialogCode.Accepted and not again.busy
    assert again.result_path == isolated / "demo.bmt" and again.result_is_demo
    assert dialog.result_path.stat().st_mtime_ns == stamp


# --------------------------------------------------------------------------- settings


def test_settings_round_trip(qtbot) -> None:
    settings = AppSettings()
    assert settings.idle_minutes == 15 and settings.language == "id"
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.idle_minutes.value() == 15
    assert dialog.idle_minutes.suffix() == " menit"
    assert dialog.language.currentData() == "id"
    dialog.idle_minutes.selectAll()
    qtbot.keyClicks(dialog.idle_minutes, "45")
    qtbot.keyClick(dialog.language, Qt.Key.Key_Down)
    assert dialog.language.currentData() == "en"
    qtbot.keyClick(dialog.idle_minutes, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.language_changed

    fresh = AppSettings()  # a new QSettings reads what was saved
    assert fresh.idle_minutes == 45 and fresh.language == "en"
    reopened = SettingsDialog(fresh)
    qtbot.addWidget(reopened)
    assert reopened.idle_minutes.value() == 45 and reopened.language.currentData() == "en"


def test_settings_escape_changes_nothing(qtbot) -> None:
    dialog = SettingsDialog(AppSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.idle_minutes.selectAll()
    qtbot.keyClicks(dialog.idle_minutes, "99")
    qtbot.keyClick(dialog.language, Qt.Key.Key_Down)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert AppSettings().idle_minutes == 15 and AppSettings().language == "id"


def test_settings_limit_the_idle_minutes(qtbot) -> None:
    dialog = SettingsDialog(AppSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.idle_minutes.selectAll()
    qtbot.keyClicks(dialog.idle_minutes, "999")
    assert dialog.idle_minutes.value() <= 240
    assert (dialog.idle_minutes.minimum(), dialog.idle_minutes.maximum()) == (1, 240)
    texts = _texts(dialog)
    assert _("A change of language applies after the program is restarted.") in texts
    assert "Language" not in texts and "OK" in texts and "Batal" in texts


# --------------------------------------------------------------------------- about


def test_about_shows_the_version_and_the_book(qtbot) -> None:
    head = "ab12" * 16
    dialog = AboutDialog("C:/Data/kantor.bmt", 3, head)
    qtbot.addWidget(dialog)
    dialog.show()
    assert __version__ in dialog.version_label.text()
    assert dialog.version_label.text() == _("Version {version}").format(version=__version__)
    texts = _texts(dialog)
    assert {"C:/Data/kantor.bmt", "3", head} <= texts
    assert "DejaVu-LICENSE.txt" in dialog.licence_label.text()
    assert "Close" not in texts and _("Close") in texts
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_about_without_a_book(qtbot) -> None:
    dialog = AboutDialog(None, None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.book_label.text() == _("(no book open)") != "(no book open)"
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
