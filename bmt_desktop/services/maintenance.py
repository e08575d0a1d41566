"""Verify and back up the open book on behalf of a logged-in user (the window's menu items).

The command line's ``verify``, ``backup`` and ``snapshot`` read the file directly and need no
login: whoever can read the file can copy it anyway.
"""

from __future__ import annotations

from pathlib import Path

from bmt_desktop.domain.permissions import Action
from bmt_desktop.paths import backups_dir
from bmt_desktop.services.session import Session
from bmt_desktop.store.backup import (
    BackupResult,
    RestoreResult,
    backup_book,
    check_restorable,
    restore_backup,
)
from bmt_desktop.store.verify import VerifyReport, verify_book


def verify(session: Session) -> VerifyReport:
    session.require(Action.BOOK_VERIFY, writes=False)
    return verify_book(session.book.path)


def restore(session: Session, backup_file: Path) -> RestoreResult:
    """Close the session's book and put the verified backup in its place.

    The session is finished afterwards: the caller opens the book again and logs in.
    """
    session.require(Action.BACKUP_RESTORE)
    path = session.book.path
    verified = check_restorable(backup_file)  # refuse before closing anything
    session.book.close()
    return restore_backup(backup_file, path, verified=verified)


def backup(session: Session, folder: Path | None = None) -> BackupResult:
    session.require(Action.BACKUP_RUN, writes=False)
    return backup_book(session.book.path, folder or backups_dir())
