"""Opening books: not-a-book, corruption, newer versions, read-only, pragmas, the writer lock,
migrations, backups with rotation and the auditor's snapshot."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bmt_desktop.cli import main
from bmt_desktop.domain.errors import (
    BmtError,
    BookError,
    BookLockedError,
    CorruptBookError,
    NotABookError,
    ReadOnlyBookError,
)
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.domain.rotation import backups_to_keep
from bmt_desktop.i18n import _
from bmt_desktop.locator import db_dir
from bmt_desktop.services.auth import login
from bmt_desktop.services.ledger import post_journal, trial_balance
from bmt_desktop.services.session import Session
from bmt_desktop.store import migrations
from bmt_desktop.store.backup import backup_book, snapshot_book
from bmt_desktop.store.book import Book, open_book
from bmt_desktop.store.lock import lock_path_for
from bmt_desktop.store.verify import verify_book
from tests.conftest import PASSWORD, TODAY

SIMPLE = [LineSpec("101", debit=1_000), LineSpec("301", credit=1_000)]


def _version(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    finally:
        conn.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def closed_copy(template_book: Path, book_path: Path) -> Path:
    """A book file nobody holds open."""
    shutil.copyfile(template_book, book_path)
    return book_path


# --------------------------------------------------------------------------------------
# not a book
# --------------------------------------------------------------------------------------


def test_missing_path_is_not_a_book(tmp_path: Path) -> None:
    with pytest.raises(NotABookError):
        open_book(tmp_path / "tidak-ada.bmt")
    with pytest.raises(NotABookError):
        open_book(tmp_path)  # a folder
    assert not (tmp_path / "tidak-ada.bmt").exists()
    assert not (tmp_path / "tidak-ada.bmt.lock").exists()


@pytest.mark.parametrize(
    "content", [b"", b"Ini bukan buku BMT.\n" * 20, b"SQLite format 3\x00", b"\x00" * 4096]
)
def test_text_or_junk_file_is_not_a_book(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "catatan.bmt"
    path.write_bytes(content)
    with pytest.raises(NotABookError):
        open_book(path)
    with pytest.raises(NotABookError):
        verify_book(path)
    assert path.read_bytes() == content


def test_other_sqlite_file_is_not_a_book(tmp_path: Path) -> None:
    path = tmp_path / "lain.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    before = _sha(path)
    for opener in (open_book, lambda p: open_book(p, read_only=True), verify_book):
        with pytest.raises(NotABookError):
            opener(path)
    assert _sha(path) == before  # not migrated into a book behind the user's back


# --------------------------------------------------------------------------------------
# corruption
# --------------------------------------------------------------------------------------

PAGE = 4096


def _overwrite_page(index: int):
    def damage(path: Path) -> None:
        with path.open("r+b") as handle:
            handle.seek(index * PAGE)
            handle.write(b"\xa5" * PAGE)
    return damage


def _truncate(fraction: float):
    def damage(path: Path) -> None:
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.truncate(max(PAGE, int(size * fraction) // PAGE * PAGE))
    return damage


def _zero_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2 // PAGE * PAGE)
        handle.write(b"\x00" * 3 * PAGE)


def _overwrite_header_body(path: Path) -> None:
    # keep the 100-byte header (magic, application id) but destroy the schema page
    with path.open("r+b") as handle:
        handle.seek(100)
        handle.write(b"\xa5" * (PAGE - 100))


DAMAGE = {
    "schema page": _overwrite_header_body,
    "page 2": _overwrite_page(2),
    "page 9": _overwrite_page(9),
    "zeroed middle": _zero_middle,
    "truncated to half": _truncate(0.5),
    "truncated to one page": _truncate(0.0),
}


def _corrupt_book(template_book: Path, path: Path, case: str) -> None:
    shutil.copyfile(template_book, path)
    with open_book(path) as book:  # a real book, written and closed normally
        manager = login(book, "manajer", PASSWORD)
        manager.today = TODAY
        for n in range(30):
            post_journal(manager, TODAY, f"Jurnal {n}", SIMPLE)
    assert verify_book(path).ok
    DAMAGE[case](path)


@pytest.mark.parametrize("case", list(DAMAGE))
def test_corrupted_book_fails_with_a_book_error(
    template_book: Path, book_path: Path, case: str
) -> None:
    # Given a real book damaged on disk after it was closed
    _corrupt_book(template_book, book_path, case)
    # When it is opened and verified
    # Then each step either refuses with CorruptBookError/NotABookError or reports the damage,
    # and no raw sqlite3 error reaches the caller
    failed = False
    try:
        opened = open_book(book_path)
    except (CorruptBookError, NotABookError):
        failed = True
    else:
        opened.close()
    try:
        report = verify_book(book_path)
    except (CorruptBookError, NotABookError):
        failed = True
    else:
        failed = failed or not report.ok
        assert report.ok or "integrity_check" in {p.check for p in report.problems}
    assert failed


def test_cli_verify_on_a_corrupted_book_exits_2_without_traceback(
    template_book: Path, book_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _corrupt_book(template_book, book_path, "page 9")
    assert main(["verify", "--db", str(book_path)]) in (1, 2)
    assert "Traceback" not in capsys.readouterr().err


# --------------------------------------------------------------------------------------
# read-only: newer book, explicit read-only
# --------------------------------------------------------------------------------------


def _read_only_checks(book: Book) -> None:
    manager = login(book, "manajer", PASSWORD)
    manager.today = TODAY
    with pytest.raises(ReadOnlyBookError):
        post_journal(manager, TODAY, "Tidak boleh", SIMPLE)
    with pytest.raises(ReadOnlyBookError), book.transaction():
        pass
    # reading still works
    auditor = login(book, "auditor", PASSWORD)
    assert sum(r.debit for r in trial_balance(auditor)) == 0


def test_book_from_a_newer_version_opens_read_only(closed_copy: Path) -> None:
    conn = sqlite3.connect(closed_copy)
    conn.execute("INSERT INTO schema_version VALUES (999, '2030-01-01T00:00:00', '9.9.9')")
    conn.commit()
    conn.close()
    before = _sha(closed_copy)
    book = open_book(closed_copy)
    try:
        assert book.read_only
        assert book.schema_version == 999
        assert book.lock is None
        assert any("999" in w for w in book.warnings)
        _read_only_checks(book)
    finally:
        book.close()
    assert _sha(closed_copy) == before
    assert _version(closed_copy) == 999  # not "migrated" down or touched


def test_read_only_open_refuses_writes(closed_copy: Path) -> None:
    before = _sha(closed_copy)
    book = open_book(closed_copy, read_only=True)
    try:
        assert book.read_only and book.warnings == []
        _read_only_checks(book)
    finally:
        book.close()
    assert _sha(closed_copy) == before


def test_read_only_open_while_a_writer_holds_the_book(book: Book, manager: Session) -> None:
    post_journal(manager, TODAY, "Dari penulis", SIMPLE)
    reader = open_book(book.path, read_only=True)
    try:
        (count,) = reader.raw().execute("SELECT count(*) FROM journal").fetchone()
        assert count == 1
    finally:
        reader.close()
    # the writer goes on after the reader closed
    assert post_journal(manager, TODAY, "Lagi", SIMPLE).doc_number == "JU-2026-000002"


def test_writable_book_pragmas(book: Book) -> None:
    conn = book.raw()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    assert not book.read_only and book.lock is not None


# --------------------------------------------------------------------------------------
# the writer lock
# --------------------------------------------------------------------------------------


def test_second_open_in_the_same_process_is_locked(book: Book) -> None:
    lock_file = lock_path_for(book.path)
    content = lock_file.read_text(encoding="utf-8")
    with pytest.raises(BookLockedError) as info:
        open_book(book.path)
    error = info.value
    assert error.stale is False
    assert error.holder["host"] == socket.gethostname()
    assert error.holder["pid"] == os.getpid()
    assert str(os.getpid()) in str(error)
    # the refused open left the holder's lock file alone and the first book still works
    assert lock_file.read_text(encoding="utf-8") == content
    with pytest.raises(BookLockedError):
        open_book(book.path, break_stale_lock=True)  # a live lock is never broken
    assert book.raw().execute("SELECT count(*) FROM account").fetchone()[0] > 0


def test_lock_released_on_close(closed_copy: Path) -> None:
    open_book(closed_copy).close()
    assert lock_path_for(closed_copy).read_text(encoding="utf-8") == ""
    open_book(closed_copy).close()


def _write_holder(path: Path, host: str) -> dict:
    holder = {"host": host, "user": "x", "pid": 999999, "since": "2026-11-28T08:00:00"}
    lock_path_for(path).write_text(json.dumps(holder), encoding="utf-8")
    return holder


def test_stale_lock_on_this_host_can_be_broken(closed_copy: Path) -> None:
    holder = _write_holder(closed_copy, socket.gethostname())
    with pytest.raises(BookLockedError) as info:
        open_book(closed_copy)
    assert info.value.stale is True
    assert info.value.holder == holder
    book = open_book(closed_copy, break_stale_lock=True)
    try:
        now = json.loads(lock_path_for(closed_copy).read_text(encoding="utf-8"))
        assert now["pid"] == os.getpid() and now["host"] == socket.gethostname()
    finally:
        book.close()


def test_lock_from_another_host_is_not_stale(closed_copy: Path) -> None:
    holder = _write_holder(closed_copy, "komputer-lain-" + socket.gethostname())
    for kwargs in ({}, {"break_stale_lock": True}):
        with pytest.raises(BookLockedError) as info:
            open_book(closed_copy, **kwargs)
        assert info.value.stale is False
        assert info.value.holder == holder
    assert json.loads(lock_path_for(closed_copy).read_text(encoding="utf-8")) == holder
    # read-only is still possible
    open_book(closed_copy, read_only=True).close()


@pytest.mark.parametrize("content", ["", "{kepotong", "null", "[]", "123", '"teks"', "[1]"])
def test_lock_file_with_unexpected_content_never_crashes_open(
    closed_copy: Path, content: str
) -> None:
    # Given a lock file nobody holds, with content the program never writes
    lock_path_for(closed_copy).write_text(content, encoding="utf-8")
    # Then opening either succeeds or refuses with a BookError -- never AttributeError & co.
    try:
        book = open_book(closed_copy)
    except BookError:
        return
    book.close()


HOLDER_SCRIPT = """
import sys
from bmt_desktop.store.book import open_book
book = open_book(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
book.close()
"""


@pytest.fixture
def holder_process(closed_copy: Path) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT, str(closed_copy)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.strip() == "ready", proc.stderr.read() if proc.stderr else ""
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


def test_book_held_by_another_process_is_locked(
    closed_copy: Path, holder_process: subprocess.Popen
) -> None:
    with pytest.raises(BookLockedError) as info:
        open_book(closed_copy)
    assert info.value.stale is False
    assert info.value.holder["pid"] == holder_process.pid
    assert info.value.holder["host"] == socket.gethostname()
    with pytest.raises(BookLockedError):
        open_book(closed_copy, break_stale_lock=True)
    # Given the holder is killed without closing, its lock file is left behind: stale
    holder_process.kill()
    holder_process.wait(timeout=30)
    with pytest.raises(BookLockedError) as info:
        open_book(closed_copy)
    assert info.value.stale is True
    assert info.value.holder["pid"] == holder_process.pid
    book = open_book(closed_copy, break_stale_lock=True)
    book.close()
    assert verify_book(closed_copy).ok


def test_book_released_by_another_process_opens(
    closed_copy: Path, holder_process: subprocess.Popen
) -> None:
    holder_process.communicate(input="", timeout=30)  # the holder closes the book and exits
    assert holder_process.returncode == 0
    open_book(closed_copy).close()


# --------------------------------------------------------------------------------------
# migrations
# --------------------------------------------------------------------------------------


# The program's own schema version, and the one a fake newer migration takes.
CURRENT = migrations.latest_version()
NEXT = CURRENT + 1


def _fake_db_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, sql: str) -> Path:
    folder = tmp_path / "db"
    shutil.copytree(db_dir() / "migrations", folder / "migrations")
    (folder / "migrations" / name).write_text(sql, encoding="utf-8")
    monkeypatch.setattr(migrations, "db_dir", lambda: folder)
    assert migrations.latest_version() == NEXT
    return folder


def test_upgrade_writes_a_backup_first(
    closed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a version-1 book with a journal, and a program that knows migration 2
    with open_book(closed_copy) as book:
        manager = login(book, "manajer", PASSWORD)
        manager.today = TODAY
        post_journal(manager, TODAY, "Sebelum upgrade", SIMPLE)
    _fake_db_dir(tmp_path, monkeypatch, f"{NEXT:04d}_test.sql",
                 "ALTER TABLE journal ADD COLUMN note TEXT;\n"
                 "CREATE TABLE extra_test (id INTEGER PRIMARY KEY);\n")
    # When the book is opened
    book = open_book(closed_copy)
    try:
        # Then it is upgraded to schema 2 with a note telling where the earlier copy is
        assert book.schema_version == NEXT
        copies = list(closed_copy.parent.glob(f"{closed_copy.name}.sebelum-v{NEXT}-*.bak"))
        assert len(copies) == 1
        assert any(str(copies[0]) in w for w in book.warnings)
        manager = login(book, "manajer", PASSWORD)
        manager.today = TODAY
        post_journal(manager, TODAY, "Sesudah upgrade", SIMPLE)
    finally:
        book.close()
    assert _version(closed_copy) == NEXT
    # the copy is the untouched version-1 book, whole
    assert _version(copies[0]) == CURRENT
    assert verify_book(copies[0]).ok
    # old hashes survive the new (null) column
    report = verify_book(closed_copy)
    assert report.ok, report.problems
    assert report.journals == 2


def test_fresh_open_of_current_book_writes_no_backup(closed_copy: Path) -> None:
    open_book(closed_copy).close()
    assert not list(closed_copy.parent.glob("*.bak"))


def test_book_upgraded_by_a_newer_program_opens_read_only_here(
    closed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_db_dir(tmp_path, monkeypatch, f"{NEXT:04d}_test.sql", "CREATE TABLE extra_test (id);\n")
    open_book(closed_copy).close()
    monkeypatch.undo()
    assert migrations.latest_version() == CURRENT
    with open_book(closed_copy) as book:
        assert book.read_only and book.schema_version == NEXT and book.warnings


def test_failing_migration_changes_nothing(
    closed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_db_dir(tmp_path, monkeypatch, f"{NEXT:04d}_bad.sql",
                 "CREATE TABLE half_done (id INTEGER);\n"
                 "INSERT INTO half_done VALUES (1);\n"
                 "INSERT INTO no_such_table VALUES (1);\n")
    with pytest.raises(BmtError) as info:
        open_book(closed_copy)
    assert isinstance(info.value, BookError)
    assert not isinstance(info.value, BookLockedError)
    # the version and the schema are unchanged, the lock was released
    assert _version(closed_copy) == CURRENT
    conn = sqlite3.connect(f"file:{closed_copy}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert "half_done" not in tables
    with pytest.raises(BookError) as again:
        open_book(closed_copy)
    assert not isinstance(again.value, BookLockedError)
    monkeypatch.undo()
    with open_book(closed_copy) as book:
        assert book.schema_version == CURRENT and not book.read_only
    assert verify_book(closed_copy).ok


def test_migrations_must_be_numbered_without_gaps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "db"
    shutil.copytree(db_dir() / "migrations", folder / "migrations")
    (folder / "migrations" / f"{NEXT + 1:04d}_skip.sql").write_text("SELECT 1;", encoding="utf-8")
    monkeypatch.setattr(migrations, "db_dir", lambda: folder)
    with pytest.raises(RuntimeError):
        migrations.available_migrations()


# --------------------------------------------------------------------------------------
# backups and rotation
# --------------------------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 29, 2, 0, 0)


def test_backup_writes_a_verified_copy(book: Book, manager: Session, tmp_path: Path) -> None:
    post_journal(manager, TODAY, "Sebelum cadangan", SIMPLE)
    folder = tmp_path / "cadangan"
    result = backup_book(book.path, folder, now=NOW)
    assert result.path == folder / "kantor-20261129-020000.bmt"
    assert result.report.ok and result.removed == []
    with open_book(result.path, read_only=True) as copy:
        (count,) = copy.raw().execute("SELECT count(*) FROM journal").fetchone()
    assert count == 1
    assert verify_book(result.path).ok
    # the same stamp twice is refused, not overwritten
    with pytest.raises(BookError):
        backup_book(book.path, folder, now=NOW)


def test_backup_leaves_no_partial_files(book: Book, tmp_path: Path) -> None:
    folder = tmp_path / "cadangan"
    backup_book(book.path, folder, now=NOW)
    backup_book(book.path, folder, now=NOW + dt.timedelta(hours=1))
    names = sorted(p.name for p in folder.iterdir())
    assert all(".part" not in name for name in names), names


def test_backup_rotation_deletes_old_backups(book: Book, tmp_path: Path) -> None:
    folder = tmp_path / "cadangan"
    first = backup_book(book.path, folder, now=NOW - dt.timedelta(days=400)).path
    # Given 60 daily and some older backups of this book, and files that are not its backups
    stamps = [NOW - dt.timedelta(days=d, hours=1) for d in range(1, 60)]
    stamps += [NOW - dt.timedelta(days=d) for d in range(90, 400, 17)]
    for stamp in stamps:
        shutil.copyfile(first, folder / f"kantor-{stamp:%Y%m%d-%H%M%S}.bmt")
    stamps.append(NOW - dt.timedelta(days=400))
    others = ["lain-20200101-000000.bmt", "kantor-catatan.txt", "kantor-20200101-000000.bmt.bak"]
    for name in others:
        (folder / name).write_text("bukan cadangan", encoding="utf-8")
    # When a new backup is made
    result = backup_book(book.path, folder, now=NOW)
    # Then rotation keeps exactly what backups_to_keep keeps, and leaves other files alone
    keep = backups_to_keep([*stamps, NOW])
    expected = {f"kantor-{s:%Y%m%d-%H%M%S}.bmt" for s in keep}
    backups = {p.name for p in folder.glob("kantor-*.bmt")}
    assert backups == expected
    assert result.path.name in backups
    assert {p.name for p in result.removed} == {
        f"kantor-{s:%Y%m%d-%H%M%S}.bmt" for s in stamps
    } - expected
    assert len(result.removed) == len(stamps) + 1 - len(keep)
    for name in others:
        assert (folder / name).exists()


def test_backup_of_a_damaged_book_is_set_aside(
    closed_copy: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "cadangan"
    old = backup_book(closed_copy, folder, now=NOW - dt.timedelta(days=30)).path
    conn = sqlite3.connect(closed_copy)
    conn.execute("UPDATE account SET balance = 5 WHERE code = '101'")
    conn.commit()
    conn.close()
    result = backup_book(closed_copy, folder, now=NOW)
    assert not result.report.ok
    assert result.path.name.endswith(".gagal-verifikasi")
    assert result.removed == [] and old.exists()
    assert not (folder / "kantor-20261129-020000.bmt").exists()


# --------------------------------------------------------------------------------------
# the auditor's snapshot
# --------------------------------------------------------------------------------------


def test_snapshot_is_frozen_hashed_and_verifies(
    book: Book, manager: Session, tmp_path: Path
) -> None:
    post_journal(manager, TODAY, "Untuk auditor", SIMPLE)
    out = tmp_path / "audit" / "snapshot.bmt"
    result = snapshot_book(book.path, out)
    assert result.path == out and result.report.ok
    conn = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "delete"
    finally:
        conn.close()
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert result.sha256 == digest
    assert result.sha_file == out.with_name("snapshot.bmt.sha256")
    assert result.sha_file.read_text(encoding="utf-8") == f"{digest}  snapshot.bmt\n"
    # the auditor opens it read-only: it verifies, reads, refuses writes, and never changes
    with open_book(out, read_only=True) as snap:
        assert snap.read_only
        (count,) = snap.raw().execute("SELECT count(*) FROM journal").fetchone()
        assert count == 1
        auditor = login(snap, "auditor", PASSWORD)
        assert trial_balance(auditor)
        with pytest.raises(ReadOnlyBookError), snap.transaction():
            pass
    report = verify_book(out)
    assert report.ok, report.problems
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in out.parent.iterdir()) == ["snapshot.bmt", "snapshot.bmt.sha256"]
    # the live book is unchanged in mode and still writable
    assert book.raw().execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    post_journal(manager, TODAY, "Sesudah snapshot", SIMPLE)


def test_snapshot_refuses_to_overwrite(book: Book, tmp_path: Path) -> None:
    out = tmp_path / "snapshot.bmt"
    out.write_text("punya orang", encoding="utf-8")
    with pytest.raises(BookError):
        snapshot_book(book.path, out)
    assert out.read_text(encoding="utf-8") == "punya orang"


def test_newer_version_warning_text(closed_copy: Path) -> None:
    conn = sqlite3.connect(closed_copy)
    conn.execute("INSERT INTO schema_version VALUES (999, '2030-01-01T00:00:00', '9.9.9')")
    conn.commit()
    conn.close()
    with open_book(closed_copy) as book:
        expected = _(
            "This book was written by a newer version of BMT Desktop (schema {book}, this "
            "program knows {known}); it is opened read-only."
        ).format(book=999, known=migrations.latest_version())
        assert expected in book.warnings
