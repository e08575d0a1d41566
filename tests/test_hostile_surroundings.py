"""Hostile surroundings: a full disk, a read-only folder, a book held by another program, an
export or backup target that cannot be written. Each gives a clear Indonesian message and
does no damage: the book verifies and every posting reported as done is in it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bmt_desktop.domain.errors import BmtError
from bmt_desktop.services import drawer, maintenance, report_export, savings
from bmt_desktop.store.book import Book, open_book
from bmt_desktop.store.verify import verify_book
from tests.conftest import END, PASSWORD, session_of
from tests.helpers.figures import count

ROOT = Path(__file__).resolve().parents[1]
WRITER = ROOT / "tests" / "helpers" / "hostile_writer.py"
ENGLISH = ("the ", " must ", " not ", "error")


@pytest.fixture
def teller_book(book: Book, tmp_path: Path) -> tuple[Path, str]:
    """A closed book with a member's sukarela account and the teller's password."""
    from bmt_desktop.services import members

    teller = session_of(book, "kasir")
    teller.today = END
    member = members.register_member(teller, members.MemberInput(
        name="Asep Saepudin", nik="3601141803950001"))
    account = savings.open_account(teller, member.id, "SS").number
    path = book.path
    book.close()
    return path, account


def _run(path: Path, account: str, mode: str, value: str = "0",
         cwd: Path | None = None) -> tuple[list[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(WRITER), str(path), PASSWORD, account, mode,
                           value], capture_output=True, text=True, env=env, timeout=300,
                          cwd=cwd or ROOT)
    lines = done.stdout.split("\n")
    refused = [line for line in lines if line.startswith("REFUSED ")]
    assert refused, (done.stdout[-2000:], done.stderr[-3000:])
    return [line for line in lines if line and not line.startswith("REFUSED ")], \
        refused[0].removeprefix("REFUSED ")


def _whole(path: Path, reported: list[str]) -> None:
    report = verify_book(path)
    assert report.ok, report.problems
    conn = sqlite3.connect(path)
    try:
        stored = {row[0] for row in conn.execute("SELECT doc_number FROM journal")}
    finally:
        conn.close()
    assert set(reported) <= stored


def test_a_full_disk_stops_the_teller_with_a_message_and_loses_nothing(
        teller_book: tuple[Path, str]) -> None:
    path, account = teller_book
    limit = path.stat().st_size + 300_000  # room for a few hundred pages, then "full"
    reported, message = _run(path, account, "fsize", str(limit))
    assert "penuh" in message.lower(), message
    assert len(reported) > 5  # it worked until the disk filled
    _whole(path, reported)
    count("hostile")
    # With room again, work goes on where it stopped.
    book = open_book(path, break_stale_lock=True)
    teller = session_of(book, "kasir")
    teller.today = END
    assert savings.deposit(teller, account, 5_000).total == 5_000
    book.close()


@contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` read-only for real: a read-only bind mount when running as root (root
    ignores file modes), the file modes otherwise."""
    if os.geteuid() != 0:
        for item in folder.iterdir():
            item.chmod(0o444)
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
            for item in folder.iterdir():
                item.chmod(0o644)
        return
    subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True,
                   capture_output=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True,
                       capture_output=True)
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True, capture_output=True)


def test_a_read_only_folder_is_said_plainly(teller_book: tuple[Path, str],
                                           tmp_path: Path) -> None:
    path, account = teller_book
    folder = tmp_path / "hanya-baca"
    folder.mkdir()
    target = folder / path.name
    shutil.copyfile(path, target)
    with _read_only(folder):
        reported, message = _run(target, account, "plain")
    assert reported == []
    assert not any(word in message.lower() for word in ENGLISH), message
    assert "baca" in message.lower() or "folder" in message.lower(), message
    _whole(target, reported)
    count("hostile")


def test_a_book_held_by_another_program(teller_book: tuple[Path, str]) -> None:
    path, account = teller_book
    book = open_book(path, break_stale_lock=True)
    teller = session_of(book, "kasir")
    teller.today = END
    drawer.open_drawer(teller, 100_000)
    book.raw().execute("PRAGMA busy_timeout = 300")  # do not wait the full 10 s in a test
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # e.g. a spreadsheet tool or a copy program
    try:
        (before,) = other.execute("SELECT count(*) FROM journal").fetchone()
        with pytest.raises(BmtError) as refused:
            savings.deposit(teller, account, 10_000)
        assert "program lain" in refused.value.message, refused.value.message
    finally:
        other.execute("ROLLBACK")
        other.close()
    (after,) = book.raw().execute("SELECT count(*) FROM journal").fetchone()
    assert after == before
    assert savings.deposit(teller, account, 10_000).total == 10_000  # and then it works
    book.close()
    assert verify_book(path).ok
    count("hostile")


def test_unwritable_targets_for_reports_and_backups(book: Book, tmp_path: Path) -> None:
    manager = session_of(book, "manajer")
    manager.today = END
    for target in (tmp_path / "tidak-ada" / "laporan.pdf", tmp_path):
        with pytest.raises(BmtError) as refused:
            report_export.write_file(target, b"%PDF-1.4")
        assert not any(word in refused.value.message.lower() for word in ENGLISH)
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("ini berkas, bukan folder", encoding="utf-8")
    with pytest.raises(BmtError) as refused:
        maintenance.backup(manager, blocker / "cadangan")
    assert refused.value.message
    assert verify_book(book.path).ok
    count("hostile")
