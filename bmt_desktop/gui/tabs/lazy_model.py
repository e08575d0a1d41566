"""A table model that loads a long search result page by page through the worker.

The search service returns at most one page of rows and the number of all matches. The
model shows the first page, and when the view scrolls to the end (``canFetchMore`` /
``fetchMore``, as in Qt's fetchMore example and Anki's browser) it asks the worker for the
next page and appends it. Every search gets a generation number: a page that arrives for an
older search is dropped, so a slow answer never overwrites a newer one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Signal,
)

from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.worker import Worker

_Index = QModelIndex | QPersistentModelIndex


class Page(Protocol):
    """What the search service returns: one page of rows and the count of all matches."""

    rows: list[Any]
    total: int


Fetch = Callable[[str, int], Page]  # (search text, offset) -> page; runs on the worker
_Method = TypeVar("_Method", bound=Callable[..., Any])


def when_alive(method: _Method) -> _Method:
    """Skip a worker's answer that arrives after Qt deleted the object it was meant for."""

    @functools.wraps(method)
    def call(self: QObject, *args: Any, **kwargs: Any) -> Any:
        return method(self, *args, **kwargs) if shiboken6.isValid(self) else None

    return call  # type: ignore[return-value]


class LazyRowsModel(RowsModel):
    """Rows of the current search, loaded on demand; ``total`` counts every match."""

    loaded = Signal(bool)  # a page arrived: True for a new search's first page, False appended
    failed = Signal(str)  # the service refused (the message is for the user)

    def __init__(self, columns: Sequence[Column], worker: Worker, fetch: Fetch,
                 parent: QObject | None = None) -> None:
        super().__init__(columns, parent)
        self._worker = worker
        self._fetch = fetch
        self._total = 0
        self._text = ""
        self._generation = 0
        self._searching = False
        self._fetching = False

    # ------------------------------------------------------------------ searching
    @property
    def text(self) -> str:
        return self._text

    @property
    def total(self) -> int:
        return self._total

    @property
    def busy(self) -> bool:
        """A search or a next page is on its way."""
        return self._searching or self._fetching

    def search(self, text: str) -> None:
        """Start a new search; the rows shown stay until its first page arrives."""
        self._generation += 1
        generation = self._generation
        self._text = text
        self._searching, self._fetching = True, False
        self._worker.submit(self._fetch, text, 0,
                            on_done=lambda page: self._first_page(generation, page),
                            on_error=lambda error: self._refused(generation, error))

    def refresh(self) -> None:
        """Run the current search again (after a change to the data)."""
        self.search(self._text)

    @when_alive
    def _first_page(self, generation: int, page: Page) -> None:
        if generation != self._generation:
            return
        self._searching = False
        self.beginResetModel()
        self._rows = list(page.rows)
        self._total = max(page.total, len(self._rows))
        self.endResetModel()
        self.loaded.emit(True)

    @when_alive
    def _refused(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._searching = self._fetching = False
        self.failed.emit(str(error))

    # ------------------------------------------------------------------ loading on demand
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return (not parent.isValid() and not self._searching and not self._fetching
                and len(self._rows) < self._total)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation, offset = self._generation, len(self._rows)
        self._worker.submit(self._fetch, self._text, offset,
                            on_done=lambda page: self._next_page(generation, offset, page),
                            on_error=lambda error: self._refused(generation, error))

    @when_alive
    def _next_page(self, generation: int, offset: int, page: Page) -> None:
        if generation != self._generation or offset != len(self._rows):
            return
        self._fetching = False
        # Rows registered since the first page may shift the list: never show one twice.
        seen = {getattr(row, "id", None) for row in self._rows} - {None}
        new = [row for row in page.rows if getattr(row, "id", None) not in seen]
        if new:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        # Nothing new means the list shrank since it was counted: stop asking for more.
        self._total = max(len(self._rows), page.total) if new else len(self._rows)
        self.loaded.emit(False)

    # ------------------------------------------------------------------ the model
    def row_of(self, key: Callable[[Any], bool]) -> int:
        """The first loaded row for which ``key`` is true, or -1."""
        return next((i for i, row in enumerate(self._rows) if key(row)), -1)
