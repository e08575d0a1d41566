"""The login dialog: user name and password, checked by the auth service."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from bmt_desktop.domain.errors import AuthenticationError
from bmt_desktop.gui.forms import load_form
from bmt_desktop.i18n import _
from bmt_desktop.services.session import Session


class LoginDialog(QDialog):
    def __init__(self, office_name: str, authenticate: Callable[[str, str], Session],
                 hint: str = "") -> None:
        super().__init__()
        self._authenticate = authenticate
        self.session: Session | None = None
        form = load_form("login_dialog")
        self.setWindowTitle(form.windowTitle())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(form)
        self.username: QLineEdit = form.findChild(QLineEdit, "usernameEdit")
        self.password: QLineEdit = form.findChild(QLineEdit, "passwordEdit")
        self.error: QLabel = form.findChild(QLabel, "errorLabel")
        form.findChild(QLabel, "officeLabel").setText(f"<b>{office_name}</b>")
        form.findChild(QLabel, "hintLabel").setText(hint)
        buttons: QDialogButtonBox = form.findChild(QDialogButtonBox, "buttons")
        buttons.accepted.connect(self._try_login)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        buttons.rejected.connect(self.reject)
        self.username.returnPressed.connect(self.password.setFocus)
        self.resize(420, 240)

    def _try_login(self) -> None:
        try:
            self.session = self._authenticate(self.username.text(), self.password.text())
        except AuthenticationError as error:
            self.error.setText(error.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()

    @staticmethod
    def demo_hint() -> str:
        return _("Demo book: users admin, manajer, kasir, auditor; password demo1234.")
