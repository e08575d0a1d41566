"""Online backups (SQLite backup API, never a file copy), rotation, and the auditor's snapshot."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bmt_desktop.domain.errors import BookError
from bmt_desktop.domain.rotation import backups_to_keep
from bmt_desktop.i18n import _
from bmt_desktop.store.book import inspect_file, read_only_uri
from bmt_desktop.store.lock import WriterLock
from bmt_desktop.store.verify import VerifyReport, verify_book

STAMP_FORMAT = "%Y%m%d-%H%M%S"
BACKUP_SUFFIX = ".bmt"


@dataclass
class BackupResult:
    path: Path
    report: VerifyReport
    removed: list[Path]


def _copy(source: Path, target: Path) -> None:
    """Copy a live book page by page with the backup API; readers and the writer go on."""
    src = sqlite3.connect(read_only_uri(source), uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()


def _single_file(path: Path) -> None:
    """Put a copy in rollback-journal mode: one self-contained file, no -wal/-shm beside it.

    A book opened for writing switches back to WAL by itself.
    """
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def _stamp_of(path: Path, stem: str) -> dt.datetime | None:
    match = re.fullmatch(re.escape(stem) + r"-(\d{8}-\d{6})" + re.escape(BACKUP_SUFFIX), path.name)
    if not match:
        return None
    return dt.datetime.strptime(match.group(1), STAMP_FORMAT)


def newest_backup(folder: Path, stem: str) -> dt.datetime | None:
    """When the newest backup of ``stem`` in ``folder`` was made (None if there is none)."""
    if not folder.is_dir():
        return None
    stamps = [s for p in folder.iterdir() if (s := _stamp_of(p, stem)) is not None]
    return max(stamps, default=None)


def rotate(folder: Path, stem: str) -> list[Path]:
    """Delete the backups of ``stem`` in ``folder`` that rotation no longer keeps."""
    found = {p: s for p in folder.iterdir() if (s := _stamp_of(p, stem)) is not None}
    keep = backups_to_keep(found.values())
    removed = []
    for path, stamp in sorted(found.items()):
        if stamp not in keep:
            path.unlink()
            removed.append(path)
    return removed


def backup_book(source: str | Path, folder: str | Path, *, now: dt.datetime | None = None) -> BackupResult:
    """Back up, verify the copy, then rotate; a copy that fails verification is kept aside."""
    source, folder = Path(source), Path(folder)
    inspect_file(source)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise PermissionError(folder)
    except OSError:
        raise BookError(_("The backup folder {folder} cannot be made or written (is it a "
                          "file, a read-only drive, or a USB stick that was removed?).")
                        .format(folder=folder)) from None
    stamp = (now or dt.datetime.now()).strftime(STAMP_FORMAT)
    target = folder / f"{source.stem}-{stamp}{BACKUP_SUFFIX}"
    if target.exists():
        raise BookError(_("A backup named {name} already exists.").format(name=target.name))
    partial = target.with_name(target.name + ".part")
    _copy(source, partial)
    _single_file(partial)
    report = verify_book(partial)
    if not report.ok:
        failed = target.with_name(target.name + ".gagal-verifikasi")
        partial.rename(failed)
        return BackupResult(failed, report, [])
    partial.rename(target)
    return BackupResult(target, report, rotate(folder, source.stem))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class SnapshotResult:
    path: Path
    sha256: str
    sha_file: Path
    report: VerifyReport


def snapshot_book(source: str | Path, out: str | Path) -> SnapshotResult:
    """A frozen copy for the auditor: rollback-journal mode, integrity-checked, hashed."""
    source, out = Path(source), Path(out)
    inspect_file(source)
    if out.exists():
        raise BookError(_("{path} already exists; choose another name.").format(path=out))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    partial.unlink(missing_ok=True)
    _copy(source, partial)
    _single_file(partial)
    conn = sqlite3.connect(read_only_uri(partial, immutable=True), uri=True)
    try:
        (result,) = conn.execute("PRAGMA integrity_check").fetchone()
    finally:
        conn.close()
    if result != "ok":
        partial.unlink()
        raise BookError(_("The snapshot failed the integrity check: {msg}").format(msg=result))
    partial.rename(out)
    report = verify_book(out)
    digest = sha256_of(out)
    sha_file = out.with_name(out.name + ".sha256")
    sha_file.write_text(f"{digest}  {out.name}\n", encoding="utf-8")
    return SnapshotResult(out, digest, sha_file, report)


@dataclass
class RestoreResult:
    path: Path
    safety_copy: Path | None
    report: VerifyReport


def check_restorable(backup: str | Path) -> VerifyReport:
    """Verify a backup before anything is touched; refuse one with problems."""
    backup = Path(backup)
    report = verify_book(backup)
    if not report.ok:
        raise BookError(
            _("The backup {name} fails verification ({n} problems); it was not restored.").format(
                name=backup.name, n=len(report.problems)
            )
        )
    return report


def restore_backup(
    backup: str | Path, target: str | Path, *, verified: VerifyReport | None = None
) -> RestoreResult:
    """Put a verified backup in place of the (closed) book at ``target``.

    The current book is first copied aside (``…sebelum-pulih-…bak``) so a restore can itself
    be undone. Refused while another program holds the book, or if the backup fails verify.
    """
    backup, target = Path(backup), Path(target)
    if verified is None:
        check_restorable(backup)
    lock = WriterLock(target)
    lock.acquire()
    try:
        safety = None
        if target.exists():
            stamp = dt.datetime.now().strftime(STAMP_FORMAT)
            safety = target.with_name(f"{target.name}.sebelum-pulih-{stamp}.bak")
            try:
                _copy(target, safety)
            except sqlite3.DatabaseError:
                # A book too damaged to open is kept aside byte for byte, then replaced
                # whole (with its WAL, which belongs to the damaged file).
                safety.unlink(missing_ok=True)
                shutil.copyfile(target, safety)
                for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                    stale.unlink(missing_ok=True)
        src = sqlite3.connect(read_only_uri(backup, immutable=True), uri=True)
        try:
            dest = sqlite3.connect(target)
            try:
                src.backup(dest)
                dest.execute("PRAGMA journal_mode = WAL")
            finally:
                dest.close()
        finally:
            src.close()
    finally:
        lock.release()
    return RestoreResult(target, safety, verify_book(target))
