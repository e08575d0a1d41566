"""Errors that carry a message for the user (already in Indonesian) and an exit code."""

from __future__ import annotations

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_CANNOT_RUN = 2


class BmtError(Exception):
    """Base class: ``str(error)`` is the message shown to the user."""

    exit_code = EXIT_CANNOT_RUN

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(BmtError):
    """Input the service refuses; nothing was written."""


class PermissionDenied(BmtError):
    """The user's role does not allow the action."""


class AuthenticationError(BmtError):
    """Unknown user, wrong password or inactive account."""


class PeriodClosedError(ValidationError):
    """A posting dated inside a closed period."""


class UnbalancedJournalError(ValidationError):
    """Debits and credits of a journal differ."""


class BookError(BmtError):
    """The book cannot be opened or used as asked."""


class NotABookError(BookError):
    """The path is missing, not SQLite, or SQLite but not a BMT book."""


class CorruptBookError(BookError):
    """SQLite reports the file as damaged."""


class ReadOnlyBookError(BookError):
    """A write was attempted on a book opened read-only."""


class BookLockedError(BookError):
    """Another program holds the book for writing."""

    def __init__(self, message: str, holder: dict, stale: bool) -> None:
        super().__init__(message)
        self.holder = holder
        self.stale = stale
