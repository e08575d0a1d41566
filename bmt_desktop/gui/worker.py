"""One serial worker for all database work, so the window never freezes.

Like Anki's task manager: a click hands a service call to the worker; the result (or the
error) comes back on the UI thread by signal. Work that runs longer than a second shows a
progress dialog, with a Cancel button only where the task says cancelling is safe.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from bmt_desktop.domain.errors import BmtError
from bmt_desktop.i18n import _

PROGRESS_DELAY_MS = 1000


class Cancelled(BmtError):
    """The user cancelled a task that allowed it; nothing was committed."""


@dataclass
class Progress:
    """Handed to a task that takes a ``progress`` keyword: report fractions, check cancel."""

    _report: Callable[[float], None]
    _cancel: threading.Event = field(default_factory=threading.Event)

    def __call__(self, fraction: float) -> None:
        if self._cancel.is_set():
            raise Cancelled(_("Cancelled."))
        self._report(max(0.0, min(1.0, fraction)))

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(float)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict,
                 signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.fn, self.args, self.kwargs, self.signals = fn, args, kwargs, signals

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the UI
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


@dataclass
class TaskHandle:
    signals: _Signals
    progress: Progress | None
    dialog: QProgressDialog | None = None
    finished: bool = False

    def cancel(self) -> None:
        if self.progress is not None:
            self.progress._cancel.set()


class Worker(QObject):
    """Runs tasks one after another on a single thread that lives as long as the worker."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)  # keep the one thread: the book's connection lives there
        self._running: set[int] = set()
        self._handles: dict[int, TaskHandle] = {}
        self._next = 0

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        label: str | None = None,
        cancellable: bool = False,
        parent: QWidget | None = None,
        **kwargs: Any,
    ) -> TaskHandle:
        """Queue ``fn(*args, **kwargs)``; callbacks run on the UI thread.

        A ``fn`` with a ``progress`` parameter gets a :class:`Progress`; with ``label`` a
        progress dialog appears if the task is still running after a second.
        """
        signals = _Signals()
        takes_progress = "progress" in inspect.signature(fn).parameters
        progress = Progress(signals.progress.emit) if takes_progress else None
        if progress is not None:
            kwargs["progress"] = progress
        handle = TaskHandle(signals, progress)
        key = self._next
        self._next += 1
        self._handles[key] = handle

        def finish() -> None:
            handle.finished = True
            if handle.dialog is not None:
                handle.dialog.reset()
                handle.dialog.deleteLater()
                handle.dialog = None
            self._handles.pop(key, None)

        @Slot(object)
        def done(result: object) -> None:
            finish()
            if on_done is not None:
                on_done(result)

        @Slot(object)
        def failed(error: BaseException) -> None:
            finish()
            if on_error is not None:
                on_error(error)
            else:
                raise error

        signals.done.connect(done)
        signals.failed.connect(failed)
        if label is not None:
            QTimer.singleShot(
                PROGRESS_DELAY_MS, lambda: self._show_progress(handle, label, cancellable, parent)
            )
        self._pool.start(_Job(fn, args, kwargs, signals))
        return handle

    def _show_progress(self, handle: TaskHandle, label: str, cancellable: bool,
                       parent: QWidget | None) -> None:
        if handle.finished:
            return
        dialog = QProgressDialog(label, _("Cancel") if cancellable else "", 0, 1000, parent)
        dialog.setWindowTitle(_("Please wait"))
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if cancellable:
            dialog.canceled.connect(handle.cancel)
        else:
            dialog.setCancelButton(None)
        if handle.progress is None:
            dialog.setRange(0, 0)  # busy indicator: the task reports no fractions
        else:
            handle.signals.progress.connect(lambda f: dialog.setValue(int(f * 1000)))
        handle.dialog = dialog
        dialog.show()

    def busy(self) -> bool:
        return bool(self._handles)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the queue is empty (for shutdown and tests); signals still need events."""
        return self._pool.waitForDone(timeout_ms)


def run_and_wait(worker: Worker, fn: Callable[..., Any], *args: Any, label: str | None = None,
                 cancellable: bool = False, parent: QWidget | None = None, **kwargs: Any) -> Any:
    """Run ``fn`` on the worker and wait for it with the event loop turning (no frozen window).

    For steps that must finish before the next can start (open a book, then log in).
    """
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def done(result: Any) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(error: BaseException) -> None:
        outcome["error"] = error
        loop.quit()

    handle = worker.submit(fn, *args, on_done=done, on_error=failed, label=label,
                           cancellable=cancellable, parent=parent, **kwargs)
    if not handle.finished:
        loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
