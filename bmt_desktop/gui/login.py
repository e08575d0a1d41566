"""The login dialog: user name and password, checked by the auth service on the worker."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from bmt_desktop.domain.errors import AuthenticationError
from bmt_desktop.gui.forms import load_form
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.session import Session

MAX_TRIES = 3


class LoginDialog(QDialog):
    """Accepts with ``session`` set; after three wrong passwords it rejects with ``locked_out``."""

    def __init__(self, office_name: str, authenticate: Callable[[str, str], Session],
                 worker: Worker, hint: str = "") -> None:
        super().__init__()
        self._authenticate = authenticate
        self._worker = worker
        self.session: Session | None = None
        self.failures = 0
        self.locked_out = False
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
        self.buttons: QDialogButtonBox = form.findChild(QDialogButtonBox, "buttons")
        self.buttons.accepted.connect(self._try_login)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        self.username.returnPressed.connect(self.password.setFocus)
        self.resize(440, 250)

    def _try_login(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if not ok.isEnabled():
            return  # a check is already running: one press, one attempt
        ok.setEnabled(False)
        self.error.setText(_("Checking…"))
        self._worker.submit(self._authenticate, self.username.text(), self.password.text(),
                            on_done=self._accepted, on_error=self._refused)

    def _accepted(self, session: Session) -> None:
        self.session = session
        self.accept()

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, AuthenticationError):
            self.error.setText(str(error))
        else:
            self.failures += 1
            if self.failures >= MAX_TRIES:
                self.locked_out = True
                self.error.setText(_("Wrong password three times."))
                self.reject()
                return
            self.error.setText(error.message)
        self.password.clear()
        self.password.setFocus()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    @staticmethod
    def demo_hint() -> str:
        return _("Demo book: users admin, manajer, kasir, auditor; password demo1234.")
