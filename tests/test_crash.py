"""Kill a writing teller at random moments: no committed receipt is lost, no journal is half
written, and the book verifies every time. ``BMT_CRASH_RUNS`` raises the count (default 50)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bmt_desktop.services import drawer, members, savings
from bmt_desktop.store.book import open_book
from bmt_desktop.store.verify import verify_book
from tests.conftest import PASSWORD, demo_session
from tests.helpers.figures import count

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BMT_CRASH_RUNS", "50"))


@pytest.fixture
def crash_book(book, book_path: Path) -> tuple[Path, str]:
    teller = demo_session(book, "kasir", PASSWORD)
    member = members.register_member(teller, members.MemberInput(
        name="Siti Tahan Banting", nik="3601145406791782"))
    account = savings.open_account(teller, member.id, "SS")
    drawer.open_drawer(teller, 1_000_000)
    savings.deposit(teller, account.number, 100_000)
    book.close()
    return book_path, account.number


@pytest.mark.slow
def test_a_killed_writer_loses_nothing_it_reported(crash_book: tuple[Path, str]) -> None:
    path, account = crash_book
    rng = random.Random(20261129)
    reported: list[str] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _run in range(RUNS):
        writer = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "helpers" / "crash_writer.py"), str(path),
             PASSWORD, account], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            text=True)
        time.sleep(rng.uniform(0.3, 1.2))  # start-up takes most of the first ~0.3 s
        writer.send_signal(signal.SIGKILL)
        out, err = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL, err[-2000:]
        count("kills")
        reported.extend(line for line in out.split() if line)
        # After every kill the book is whole and verifies
        report = verify_book(path)
        assert report.ok, report.problems
    conn = sqlite3.connect(path)
    try:
        stored = {row[0] for row in conn.execute("SELECT doc_number FROM journal")}
        (half,) = conn.execute(
            "SELECT count(*) FROM journal j WHERE (SELECT count(*) FROM journal_line l "
            "WHERE l.journal_id = j.id) < 2").fetchone()
    finally:
        conn.close()
    # Most runs must have got to posting, or the kills proved nothing.
    assert len(reported) >= RUNS, f"only {len(reported)} postings in {RUNS} runs"
    assert set(reported) <= stored
    assert half == 0
    # the lock left by the last killed writer can be broken and the book opened again
    book = open_book(path, break_stale_lock=True)
    book.close()
