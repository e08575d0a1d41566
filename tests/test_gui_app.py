"""The shell's book handling: bad files, held locks, newer books, switching and restoring."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bmt_desktop.gui.app import Shell
from bmt_desktop.gui.settings import AppSettings
from bmt_desktop.gui.worker import Cancelled, Progress, Worker, run_and_wait


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    record: dict[str, list] = {"errors": [], "questions": [], "yes": []}

    def ask(_parent: object, text: str) -> bool:
        record["questions"].append(text)
        return record["yes"].pop(0) if record["yes"] else False

    monkeypatch.setattr("bmt_desktop.gui.dialogs.show_error",
                        lambda _p, text: record["errors"].append(text))
    monkeypatch.setattr("bmt_desktop.gui.dialogs.ask_yes_no", ask)
    return record


@pytest.fixture
def shell(qtbot) -> Iterator[Shell]:
    worker = Worker()
    yield Shell(AppSettings(), worker)
    worker.wait()


def test_a_file_that_is_not_a_book_gives_a_clear_dialog(shell: Shell, answers: dict,
                                                        tmp_path: Path) -> None:
    text = tmp_path / "catatan.bmt"
    text.write_text("bukan buku")
    assert shell.open(text) is None
    assert len(answers["errors"]) == 1 and "catatan.bmt" in answers["errors"][0]
    assert text.read_text() == "bukan buku"


def test_a_book_held_by_another_program_can_be_opened_read_only(
    shell: Shell, answers: dict, book, book_path: Path
) -> None:
    # the `book` fixture holds the writer lock, as another program would
    answers["yes"].append(True)
    opened = shell.open(book_path)
    try:
        assert opened is not None and opened.read_only
        assert "read" in answers["questions"][0].lower() or "baca" in answers["questions"][0]
    finally:
        if opened is not None:
            opened.close()


def test_declining_read_only_opens_nothing(shell: Shell, answers: dict, book,
                                          book_path: Path) -> None:
    assert shell.open(book_path) is None
    assert answers["questions"] and not answers["errors"]


def test_a_book_from_a_newer_version_opens_read_only_with_a_warning(
    shell: Shell, answers: dict, template_book: Path, tmp_path: Path
) -> None:
    path = tmp_path / "baru.bmt"
    shutil.copyfile(template_book, path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (999, '2030-01-01', '9.0')")
    conn.commit()
    conn.close()
    opened = shell.open(path)
    try:
        assert opened is not None and opened.read_only and opened.warnings
    finally:
        opened.close()


def test_a_stale_lock_is_offered_to_be_broken(shell: Shell, answers: dict, template_book: Path,
                                              tmp_path: Path) -> None:
    import json
    import socket

    path = tmp_path / "kantor.bmt"
    shutil.copyfile(template_book, path)
    (tmp_path / "kantor.bmt.lock").write_text(json.dumps(
        {"host": socket.gethostname(), "user": "kasir", "pid": 999999, "since": "kemarin"}))
    answers["yes"].append(True)
    opened = shell.open(path)
    try:
        assert opened is not None and not opened.read_only
        assert len(answers["questions"]) == 1
    finally:
        opened.close()


def test_a_cancelled_demo_leaves_no_book(shell: Shell, tmp_path: Path, qtbot) -> None:
    from bmt_desktop.services.demo import build_demo

    path = tmp_path / "demo.bmt"
    calls = []

    def cancelling(fraction: float) -> None:
        calls.append(fraction)
        if len(calls) == 3:
            raise Cancelled("dibatalkan")

    with pytest.raises(Cancelled):
        build_demo(path, members=20, years=1, progress=cancelling)
    assert not path.exists() and not (tmp_path / "demo.bmt-wal").exists()


def test_the_worker_hands_a_cancel_to_the_task(shell: Shell, qtbot) -> None:
    started: list[bool] = []

    def slow(progress: Progress) -> str:
        started.append(True)
        for step in range(1000):
            progress(step / 1000)
            time.sleep(0.002)
        return "selesai"

    errors: list[BaseException] = []
    handle = shell.worker.submit(slow, on_error=errors.append, on_done=errors.append)
    qtbot.waitUntil(lambda: bool(started))
    handle.cancel()
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], Cancelled)
    assert run_and_wait(shell.worker, lambda: 42) == 42


def test_progress_reports_and_cancels() -> None:
    seen: list[float] = []
    progress = Progress(seen.append)
    progress(0.5)
    progress(2.0)
    assert seen == [0.5, 1.0]
    progress._cancel.set()
    with pytest.raises(Cancelled):
        progress(0.7)


def test_closing_a_book_leaves_a_verified_backup(shell: Shell, answers: dict, book,
                                                 tmp_path: Path) -> None:
    from bmt_desktop.services import maintenance

    folder = tmp_path / "usb"
    shell.settings.backup_folder = folder
    assert maintenance.backup_is_due(book, folder)
    shell._backup_on_close(book)
    (copy,) = folder.glob("kantor-*.bmt")
    assert not answers["errors"]
    assert not maintenance.backup_is_due(book, folder)
    from bmt_desktop.store.verify import verify_book

    assert verify_book(copy).ok


def test_a_read_only_copy_is_not_backed_up(shell: Shell, book, book_path: Path,
                                          tmp_path: Path) -> None:
    from bmt_desktop.store.book import open_book

    book.close()
    frozen = open_book(book_path, read_only=True)
    try:
        shell.settings.backup_folder = tmp_path / "usb"
        shell._backup_on_close(frozen)
        assert not (tmp_path / "usb").exists()
    finally:
        frozen.close()
