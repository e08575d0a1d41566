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
    if "disk is full" in text or "File too large" in text:
        return BookError(_("The disk is full; nothing was written. Free some space (or move "
                           "the book to a larger drive) and try again."))
    if "disk I/O error" in text:
        return BookError(_("The disk could not be written (it may be full or failing); "
                           "nothing was written. Free some space or check the drive, then "
                           "try again."))
    if "unable to open database file" in text:
        return BookError(_("The book's file or folder cannot be opened for writing; check "
                           "that the folder is not read-only."))
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
        # SQLite rolls back by itself on a full disk or an I/O error; the ROLLBACK that
        # follows then fails and would hide the cause: report the cause.
        cause = error
        while "no transaction is active" in str(cause) and isinstance(
                cause.__context__, _DB_ERRORS):
            cause = cause.__context__
        raise translate(cause) from error
