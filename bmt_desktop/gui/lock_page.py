"""The page that covers the window while the session is locked."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from bmt_desktop.i18n import _


class LockPage(QWidget):
    unlock_requested = Signal(str)
    quit_requested = Signal()

    def __init__(self, full_name: str, username: str) -> None:
        super().__init__()
        title = QLabel(_("The session is locked"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        who = QLabel(_("{name} ({user}): type your password to go on.").format(
            name=full_name, user=username))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("Password"))
        self.password.setMaximumWidth(320)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.unlock_button = QPushButton(_("Unlock"))
        self.unlock_button.setDefault(True)
        self.quit_button = QPushButton(_("Close the program"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, who, self.password, self.error):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.unlock_button.clicked.connect(self._unlock)
        self.password.returnPressed.connect(self._unlock)
        self.quit_button.clicked.connect(self.quit_requested)

    def _unlock(self) -> None:
        self.unlock_button.setEnabled(False)
        self.unlock_requested.emit(self.password.text())

    def refused(self, message: str) -> None:
        self.error.setText(message)
        self.password.clear()
        self.password.setFocus()
        self.unlock_button.setEnabled(True)

    def reset(self) -> None:
        self.error.clear()
        self.password.clear()
        self.unlock_button.setEnabled(True)
        self.password.setFocus()
