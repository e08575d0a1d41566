"""The first start without a book: create the office book, or open the demo book.

Nothing is written until the form is valid; the book itself is created by the set-up service
on the worker's database thread, and the open ``Book`` it returns is closed there too. The
caller reads ``result_path`` and ``result_is_demo`` after the dialog is accepted.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop import paths
from bmt_desktop.domain.errors import BmtError
from bmt_desktop.gui.worker import Progress, Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.auth import MIN_PASSWORD, check_username
from bmt_desktop.services.demo import build_demo
from bmt_desktop.services.setup import init_book

BOOK_SUFFIX = ".bmt"
ERROR_STYLE = "color: #b00020;"
NOTE_STYLE = "color: #5f6368;"
MAX_PASSWORD = 256
MIN_WIDTH = 560


def _ask_save_path(parent: QWidget | None, suggested: str) -> str | None:
    """Ask where to keep the new book; ``None`` when the user cancels (tests replace this)."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        _("Where to keep the office book"),
        suggested,
        _("BMT books (*.bmt)"),
        options=QFileDialog.Option.DontConfirmOverwrite,  # the service refuses to overwrite
    )
    return chosen or None


def _create_office_book(path: Path, **fields: str) -> Path:
    """Worker task: create the book and close it on the database thread."""
    init_book(path, **fields).close()
    return path


def _create_demo_book(path: Path, progress: Progress | None = None) -> Path:
    """Worker task: build the demo book (about a second) and close it."""
    build_demo(path, progress=progress).book.close()
    return path


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _form_row(form: QFormLayout, text: str, field: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(field)
    form.addRow(label, field)
    return label


class FirstRunDialog(QDialog):
    """Two choices; "create" leads to the office form. Accepted once a book exists."""

    def __init__(self, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._busy = False
        self.result_path: Path | None = None
        self.result_is_demo = False
        self.setWindowTitle(_("Welcome to BMT Desktop"))

        self.choice_page = self._build_choice_page()
        self.form_page = self._build_form_page()

        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(
            _("Create the book"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.back_button = self.buttons.addButton(
            _("Back"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.cancel_button = self.buttons.addButton(
            _("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.ok_button.clicked.connect(self._create)
        self.back_button.clicked.connect(self.show_choices)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 12)
        layout.setSpacing(12)
        layout.addWidget(self.choice_page)
        layout.addWidget(self.form_page)
        self.status = QLabel()  # outside the pages: still readable while they are disabled
        self.status.setWordWrap(True)
        self.status.hide()
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._set_tab_order()
        self.setMinimumWidth(MIN_WIDTH)
        self.show_choices()

    # ------------------------------------------------------------------ pages

    def _build_choice_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(_heading(_("Welcome to BMT Desktop")))
        intro = QLabel(_("There is no office book on this computer yet. How do you want to start?"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.create_choice = QCommandLinkButton(
            _("Create the office book"),
            _("For the office's real books: enter the office name, the administrator and "
              "where the book is kept."),
        )
        self.demo_choice = QCommandLinkButton(
            _("Open the demo book"),
            _("A practice book with invented members and transactions, for learning the "
              "program. Nothing in it is real."),
        )
        for button in (self.create_choice, self.demo_choice):
            button.setAutoDefault(True)
            button.setMinimumHeight(64)
            layout.addWidget(button)
        self.create_choice.clicked.connect(self.show_form)
        self.demo_choice.clicked.connect(self._open_demo)
        self.choice_error = _error_label()
        layout.addWidget(self.choice_error)
        layout.addStretch(1)
        return page

    def _build_form_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(_heading(_("Create the office book")))

        office = QGroupBox(_("Office"))
        office_form = QFormLayout(office)
        self.office_name = QLineEdit()
        self.office_name.setMaxLength(200)
        self.office_name.setPlaceholderText(_("required"))
        self.registration = QLineEdit()
        self.registration.setMaxLength(100)
        self.address = QLineEdit()
        self.address.setMaxLength(500)
        labels = [
            _form_row(office_form, _("Office name"), self.office_name),
            _form_row(office_form, _("Registration number"), self.registration),
            _form_row(office_form, _("Address"), self.address),
        ]
        layout.addWidget(office)

        admin = QGroupBox(_("Administrator"))
        admin_form = QFormLayout(admin)
        self.username = QLineEdit("admin")
        self.username.setMaxLength(32)
        self.full_name = QLineEdit()
        self.full_name.setMaxLength(100)
        self.full_name.setPlaceholderText(_("required"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(MAX_PASSWORD)
        self.password.setPlaceholderText(
            _("at least {n} characters").format(n=MIN_PASSWORD)
        )
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again.setMaxLength(MAX_PASSWORD)
        labels += [
            _form_row(admin_form, _("User name"), self.username),
            _form_row(admin_form, _("Full name"), self.full_name),
            _form_row(admin_form, _("Password"), self.password),
            _form_row(admin_form, _("Repeat password"), self.password_again),
        ]
        layout.addWidget(admin)
        # The two groups' fields line up: every label as wide as the widest.
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)

        place = QGroupBox(_("Where the book is kept"))
        place_layout = QVBoxLayout(place)
        row = QHBoxLayout()
        self.location = QLineEdit(str(paths.default_book()))
        self.location.setReadOnly(True)
        self.location.setCursorPosition(0)
        self.change_location = QPushButton(_("Change…"))
        self.change_location.setAutoDefault(False)
        self.change_location.clicked.connect(self._change_path)
        row.addWidget(self.location, 1)
        row.addWidget(self.change_location)
        place_layout.addLayout(row)
        place_layout.addWidget(_note(_(
            "Keep the book on this computer's own disk, not on a network folder, and back it "
            "up regularly."
        )))
        layout.addWidget(place)

        self.error = _error_label()
        layout.addWidget(self.error)
        for edit in (self.office_name, self.registration, self.address, self.username,
                     self.full_name, self.password, self.password_again):
            edit.textEdited.connect(self._clear_error)
        return page

    def _set_tab_order(self) -> None:
        chain = [self.create_choice, self.demo_choice, self.office_name, self.registration,
                 self.address, self.username, self.full_name, self.password,
                 self.password_again, self.location, self.change_location, self.ok_button,
                 self.back_button, self.cancel_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _show_page(self, page: QWidget) -> None:
        # Only the page shown takes room, so the dialog is as tall as that page.
        for each in (self.choice_page, self.form_page):
            each.setVisible(each is page)
        self.layout().activate()
        width = max(self.width(), MIN_WIDTH) if self.isVisible() else MIN_WIDTH
        height = self.layout().totalHeightForWidth(width)
        self.resize(width, max(height, self.layout().totalMinimumSize().height()))

    def on_form(self) -> bool:
        return self.form_page.isVisibleTo(self)

    def show_choices(self) -> None:
        self.ok_button.hide()
        self.back_button.hide()
        self.ok_button.setDefault(False)
        self._show_page(self.choice_page)
        self.create_choice.setFocus()

    def show_form(self) -> None:
        self.choice_error.clear()
        self.ok_button.show()
        self.back_button.show()
        self._show_page(self.form_page)
        self.ok_button.setDefault(True)
        self.office_name.setFocus()

    # ------------------------------------------------------------------ create

    def _change_path(self) -> None:
        chosen = _ask_save_path(self, self.location.text())
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != BOOK_SUFFIX:
            path = path.with_name(path.name + BOOK_SUFFIX)
        self.location.setText(str(path))
        self.location.setCursorPosition(0)
        self._clear_error()

    def _clear_error(self) -> None:
        self.error.clear()

    def problems(self) -> list[tuple[str, QWidget]]:
        """What is wrong with the form, in form order, each with the field to fix."""
        found: list[tuple[str, QWidget]] = []
        if not self.office_name.text().strip():
            found.append((_("Enter the office name."), self.office_name))
        try:
            check_username(self.username.text())
        except BmtError as error:
            found.append((error.message, self.username))
        if not self.full_name.text().strip():
            found.append((_("Enter the administrator's full name."), self.full_name))
        password = self.password.text()
        if len(password) < MIN_PASSWORD:
            found.append((
                _("The password must have at least {n} characters.").format(n=MIN_PASSWORD),
                self.password,
            ))
        elif password != self.password_again.text():
            found.append((_("The two passwords differ."), self.password_again))
        if not self.location.text().strip():
            found.append((_("Choose where to keep the book."), self.change_location))
        return found

    def _create(self) -> None:
        if self._busy or not self.on_form():
            return
        found = self.problems()
        if found:
            self.error.setText("\n".join(message for message, _widget in found))
            found[0][1].setFocus()
            if isinstance(found[0][1], QLineEdit):
                found[0][1].selectAll()
            return
        self.error.clear()
        path = Path(self.location.text().strip())
        self._set_busy(True, _("Creating the book…"))
        self._worker.submit(
            _create_office_book,
            path,
            office_name=self.office_name.text().strip(),
            registration_number=self.registration.text().strip(),
            address=self.address.text().strip(),
            admin_username=self.username.text().strip().lower(),
            admin_full_name=self.full_name.text().strip(),
            admin_password=self.password.text(),
            on_done=lambda created: self._finish(Path(created), is_demo=False),
            on_error=self._create_failed,
            label=_("Creating the book…"),
            parent=self,
        )

    def _create_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.error.setText(_message(error, _("The book could not be created: {error}")))
        self.office_name.setFocus()

    # ------------------------------------------------------------------ demo

    def _open_demo(self) -> None:
        if self._busy:
            return
        self.choice_error.clear()
        path = paths.demo_book()
        if path.exists():
            self._finish(path, is_demo=True)
            return
        self._set_busy(True, _("Creating the demo book…"))
        self._worker.submit(
            _create_demo_book,
            path,
            on_done=lambda created: self._finish(Path(created), is_demo=True),
            on_error=self._demo_failed,
            label=_("Creating the demo book…"),
            parent=self,
        )

    def _demo_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.choice_error.setText(
            _message(error, _("The demo book could not be created: {error}"))
        )
        self.demo_choice.setFocus()

    # ------------------------------------------------------------------ common

    def _finish(self, path: Path, *, is_demo: bool) -> None:
        self._set_busy(False)
        self.result_path = path
        self.result_is_demo = is_demo
        self.accept()

    def _set_busy(self, busy: bool, status: str = "") -> None:
        self._busy = busy
        self.choice_page.setEnabled(not busy)
        self.form_page.setEnabled(not busy)
        for button in (self.ok_button, self.back_button, self.cancel_button):
            button.setEnabled(not busy)
        self.status.setText(status)
        self.status.setVisible(bool(status))

    @property
    def busy(self) -> bool:
        return self._busy

    def reject(self) -> None:
        if self._busy:  # the book is being written: let the task finish first
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)


def _message(error: BaseException, fallback: str) -> str:
    if isinstance(error, BmtError):
        return error.message
    return fallback.format(error=error)
