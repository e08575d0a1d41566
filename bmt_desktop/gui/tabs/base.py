"""What every tab shares: the session, the worker, and a refresh the window can call."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from bmt_desktop.gui.worker import Worker
from bmt_desktop.services.session import Session


class Tab(QWidget):
    def __init__(self, session: Session, worker: Worker) -> None:
        super().__init__()
        self.session = session
        self.worker = worker

    def refresh(self) -> None:
        """Reload the tab's data (through the worker)."""


class PlannedTab(Tab):
    """A tab whose screens arrive with a later part of the programme; says what will be here."""

    def __init__(self, session: Session, worker: Worker, text: str) -> None:
        super().__init__(session, worker)
        layout = QVBoxLayout(self)
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet("color: #555; font-size: 11pt; padding: 24px;")
        layout.addWidget(label)
        layout.addStretch(1)
