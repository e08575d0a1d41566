"""Translate SQLite's English errors into the program's Indonesian ones."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import peewee

from bmt_desktop.domain.errors import (
    BmtError,
    BookError,
    CorruptBookError,
    NotABookError,
    PeriodClosedError,
    ReadOnlyBookError,
    ValidationError,
)
from bmt_desktop.i18n import _

_DB_ERRORS = (sqlite3.DatabaseError, peewee.DatabaseError)


def translate(error: Exception) -> BmtError:
    text = str(error)
    if "file is not a database" in text:
        return NotABookError(_("The file is not a BMT book."))
    if "malformed" in text or "disk image" in text:
        return CorruptBookError(
            _("The book is damaged (SQLite: {detail}). Restore it from a backup.").format(
                detail=text
            )
        )
    if "readonly" in text or "read-only" in text:
        return ReadOnlyBookError(_("The book is open read-only; nothing was written."))
    if "BMT: the period is closed" in text:
        return PeriodClosedError(_("The period is closed; nothing was written."))
    if "BMT: posted journals are immutable" in text:
        return ValidationError(
            _("A posted journal cannot be changed or deleted; post a reversal instead.")
        )
    if "BMT: the audit log is append-only" in text:
        return ValidationError(_("The audit log cannot be changed."))
    if "CHECK constraint failed" in text and "balance" in text:
        return ValidationError(
            _("The balance is not enough for this; nothing was written.")
        )
    if "database is locked" in text or "busy" in text:
        return BookError(_("The book is busy in another program; try again."))
    if "UNIQUE constraint failed: journal.doc_number" in text:
        return ValidationError(_("The document number is already used; nothing was written."))
    return BookError(_("The book refused the change ({detail}); nothing was written.").format(
        detail=text
    ))


@contextmanager
def sqlite_errors() -> Iterator[None]:
    try:
        yield
    except _DB_ERRORS as error:
        raise translate(error) from error
