"""Verify and back up the open book on behalf of a logged-in user (the window's menu items).

The command line's ``verify``, ``backup`` and ``snapshot`` read the file directly and need no
login: whoever can read the file can copy it anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bmt_desktop.domain.permissions import Action
from bmt_desktop.paths import backups_dir
from bmt_desktop.printing.verify_report import render_verify_report
from bmt_desktop.services.office import get_logo, get_profile
from bmt_desktop.services.session import Session
from bmt_desktop.store.backup import (
    BackupResult,
    RestoreResult,
    backup_book,
    check_restorable,
    newest_backup,
    restore_backup,
    sha256_of,
)
from bmt_desktop.store.book import Book
from bmt_desktop.store.verify import VerifyReport, verify_book

# A full verify reads the whole file; above this size (years of a large office, a minute or
# more) it is left to Laporan → Verifikasi buku and the nightly backup's check.
STARTUP_CHECK_MAX_BYTES = 200 * 1024 * 1024


def startup_check(book: Book) -> VerifyReport | None:
    """The program's own check when a book opens, for every role: its result only warns.

    It reads through its own read-only connection, so it may run beside the serial worker;
    a book too large to check quickly returns None.
    """
    if book.path.stat().st_size > STARTUP_CHECK_MAX_BYTES:
        return None
    return verify_book(book.path)


def automatic_backup(book: Book, folder: Path) -> BackupResult:
    """The program's own backup (on close, daily), for every role: verified and rotated.

    Uses its own connections to the file, so it may run beside the serial worker.
    """
    return backup_book(book.path, folder)


def backup_is_due(book: Book, folder: Path, *, now: dt.datetime | None = None) -> bool:
    """True when the newest backup of this book in ``folder`` is a day old or missing."""
    newest = newest_backup(folder, book.path.stem)
    return newest is None or (now or dt.datetime.now()) - newest >= dt.timedelta(days=1)


def verify(session: Session) -> VerifyReport:
    session.require(Action.BOOK_VERIFY, writes=False)
    return verify_book(session.book.path)


@dataclass(frozen=True)
class BookCheck:
    """A verify report with, for a frozen copy, its SHA-256 and the one written beside it."""

    report: VerifyReport
    sha256: str | None
    expected_sha256: str | None

    @property
    def sha_matches(self) -> bool | None:
        if self.sha256 is None or self.expected_sha256 is None:
            return None
        return self.sha256 == self.expected_sha256


def check_book(session: Session) -> BookCheck:
    """Verify the open book; a read-only copy is also fingerprinted (its file never changes)."""
    report = verify(session)
    path = session.book.path
    if not session.book.read_only:
        return BookCheck(report, None, None)
    sha_file = path.with_name(path.name + ".sha256")
    expected = None
    if sha_file.is_file():
        words = sha_file.read_text(encoding="utf-8", errors="replace").split()
        expected = words[0].lower() if words else None
    return BookCheck(report, sha256_of(path), expected)


def check_report_pdf(session: Session, check: BookCheck) -> bytes:
    """The verification as an A4 PDF with the office header (Laporan → Verifikasi buku)."""
    session.require(Action.BOOK_VERIFY, writes=False)
    return render_verify_report(
        check.report,
        get_profile(session.book),
        logo=get_logo(session.book),
        printed_at=dt.datetime.now(),
        snapshot_sha256=check.sha256,
        snapshot_sha256_expected=check.expected_sha256,
    )


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
