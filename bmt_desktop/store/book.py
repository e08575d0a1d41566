"""Open, create and close a book: one SQLite file per office."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import peewee

from bmt_desktop.domain.errors import BookError, NotABookError, ReadOnlyBookError
from bmt_desktop.i18n import _
from bmt_desktop.store import migrations
from bmt_desktop.store.lock import WriterLock
from bmt_desktop.store.models import database
from bmt_desktop.store.netdrive import network_drive_warning
from bmt_desktop.store.sqlite_errors import sqlite_errors, translate

WRITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: a printed receipt must survive a power cut
    "foreign_keys": 1,
    "busy_timeout": 10_000,
}
READ_PRAGMAS = {"foreign_keys": 1, "busy_timeout": 10_000}


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    uri = path.resolve().as_uri()
    if uri.startswith("file://") and not uri.startswith("file:///"):
        # A Windows share (\\server\share, or a mapped drive resolved to one) comes out as
        # file://server/share/…; SQLite takes no authority but reads file:////server/share/….
        uri = "file:////" + uri[len("file://"):]
    uri += "?mode=ro"
    return uri + "&immutable=1" if immutable else uri


@dataclass
class BookInfo:
    """What a read-only look at a file tells before it is opened for real."""

    schema_version: int
    journal_mode: str


def inspect_file(path: Path) -> BookInfo:
    """Check that ``path`` is a BMT book without changing it; raise NotABookError otherwise."""
    if not path.is_file():
        raise NotABookError(_("No book at {path}.").format(path=path))
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise NotABookError(_("{path} is not a BMT book.").format(path=path))
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            (app_id,) = conn.execute("PRAGMA application_id").fetchone()
            if app_id != migrations.APPLICATION_ID:
                raise NotABookError(
                    _("{path} is an SQLite file but not a BMT book.").format(path=path)
                )
            version = migrations.current_version(conn)
            (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise translate(error) from error
    return BookInfo(schema_version=version, journal_mode=str(mode).lower())


@dataclass
class Book:
    path: Path
    db: peewee.SqliteDatabase
    read_only: bool
    schema_version: int
    warnings: list[str] = field(default_factory=list)
    lock: WriterLock | None = None

    def use(self) -> Book:
        """Point the Peewee models at this book (a process may hold more than one open)."""
        if database.obj is not self.db:
            database.initialize(self.db)
        return self

    @contextmanager
    def transaction(self) -> Iterator[peewee.SqliteDatabase]:
        """One writer transaction (``BEGIN IMMEDIATE``); refused on a read-only book."""
        if self.read_only:
            raise ReadOnlyBookError(_("The book is open read-only; nothing was written."))
        self.use()
        with sqlite_errors(), self.db.atomic():
            yield self.db

    def raw(self) -> sqlite3.Connection:
        return self.db.connection()

    def close(self) -> None:
        if not self.db.is_closed():
            if not self.read_only:
                # Fold the WAL back into the file so a copied book is complete on its own.
                self.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            self.db.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(path: Path, *, read_only: bool, immutable: bool = False) -> peewee.SqliteDatabase:
    if read_only:
        db = peewee.SqliteDatabase(
            read_only_uri(path, immutable=immutable),
            pragmas=READ_PRAGMAS,
            uri=True,
            check_same_thread=False,
            thread_safe=False,
        )
    else:
        # One connection shared by whichever thread runs the work: the window hands all
        # database work to one serial worker, so it is never used by two threads at once.
        db = peewee.SqliteDatabase(
            str(path), pragmas=WRITE_PRAGMAS, lock_type="IMMEDIATE", check_same_thread=False,
            thread_safe=False,
        )
    with sqlite_errors():
        db.connect()
    database.initialize(db)
    return db


def _backup_before_migration(conn: sqlite3.Connection, path: Path, target: int) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    copy = path.with_name(f"{path.name}.sebelum-v{target}-{stamp}.bak")
    dest = sqlite3.connect(copy)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return copy


def _migrate(db: peewee.SqliteDatabase, path: Path, *, fresh: bool) -> list[str]:
    conn = db.connection()
    todo = migrations.pending(conn)
    notes: list[str] = []
    if todo and not fresh:
        copy = _backup_before_migration(conn, path, todo[-1].version)
        notes.append(
            _("The book was upgraded to schema {version}; the earlier copy is in {copy}.").format(
                version=todo[-1].version, copy=copy
            )
        )
    with sqlite_errors():
        for migration in todo:
            migrations.apply_migration(conn, migration)
    return notes


def open_book(
    path: str | Path, *, read_only: bool = False, break_stale_lock: bool = False
) -> Book:
    """Open an existing book. A book from a newer version opens read-only, with a warning."""
    path = Path(path)
    info = inspect_file(path)
    warnings: list[str] = []
    latest = migrations.latest_version()
    if info.schema_version > latest:
        warnings.append(
            _(
                "This book was written by a newer version of BMT Desktop (schema {book}, this "
                "program knows {known}); it is opened read-only."
            ).format(book=info.schema_version, known=latest)
        )
        read_only = True
    net = network_drive_warning(path)
    if net:
        warnings.append(net)
    if read_only:
        # A frozen rollback-journal copy (the auditor's snapshot) never changes: immutable=1.
        db = _connect(path, read_only=True, immutable=info.journal_mode != "wal")
        return Book(path, db, True, info.schema_version, warnings)
    lock = WriterLock(path)
    lock.acquire(break_stale=break_stale_lock)
    try:
        db = _connect(path, read_only=False)
        warnings.extend(_migrate(db, path, fresh=False))
    except BaseException:
        lock.release()
        raise
    version = migrations.current_version(db.connection())
    return Book(path, db, False, version, warnings, lock)


def create_book(path: str | Path) -> Book:
    """Create an empty book with the current schema; refuses to overwrite any file."""
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise BookError(_("{path} already exists; choose another name.").format(path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = WriterLock(path)
    lock.acquire()
    try:
        db = _connect(path, read_only=False)
        _migrate(db, path, fresh=True)
    except BaseException:
        lock.release()
        raise
    return Book(path, db, False, migrations.current_version(db.connection()), [], lock)
