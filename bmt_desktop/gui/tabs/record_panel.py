"""A panel that shows the record chosen in a list (a member, a Kube).

The record's file is loaded through the worker a moment after the choice settles, so arrow
keys held down in the list stay quick; an answer for an earlier choice is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.worker import Worker
from bmt_desktop.services.session import Session

LOAD_DELAY_MS = 80


class RecordPanel(QWidget):
    """Subclasses set ``empty`` and ``stack`` and implement ``show_file`` and ``show_failure``;
    ``cleared`` and ``selected`` are hooks for what else changes with the choice."""

    def __init__(self, session: Session, worker: Worker,
                 load: Callable[[Session, int], Any]) -> None:
        super().__init__()
        self.session, self.worker = session, worker
        self.row: Any = None
        self.file: Any = None
        self._load = load
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LOAD_DELAY_MS)
        self._timer.timeout.connect(self.reload)

    def show_row(self, row: Any) -> None:
        if row is not None and row == self.row and self.file is not None:
            return
        if row is None or self.row is None or row.id != self.row.id:
            self.cleared()
            self.file = None  # the page still shows the last record until this one arrives
        self.row = row
        self._generation += 1
        self.selected()
        if row is None:
            self._timer.stop()
            self.stack.setCurrentWidget(self.empty)
            return
        self._timer.start()

    def reload(self) -> None:
        if self.row is None:
            return
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        self.worker.submit(self._load, self.session, self.row.id,
                           on_done=lambda f: self._loaded(generation, f),
                           on_error=lambda e: self._failed(generation, e))

    @property
    def loading(self) -> bool:
        return self._timer.isActive() or (self.row is not None and self.file is None)

    @when_alive
    def _loaded(self, generation: int, file: Any) -> None:
        if generation != self._generation or self.row is None:
            return
        self.file = file
        self.show_file(self.row, file)

    @when_alive
    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self.show_failure(error)

    # hooks
    def cleared(self) -> None:
        """The choice moved to another record: forget its messages."""

    def selected(self) -> None:
        """Called on every change of choice (enable or disable buttons, say)."""

    def show_file(self, row: Any, file: Any) -> None:
        raise NotImplementedError

    def show_failure(self, error: BaseException) -> None:
        raise NotImplementedError
