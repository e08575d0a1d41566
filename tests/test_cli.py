"""The command line: exit 0 success, 1 problems found, 2 could not run; nothing written on error."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest

from bmt_desktop import __version__
from bmt_desktop.cli import main
from bmt_desktop.services.demo import DEMO_PASSWORD

END = "2026-11-29"


def _counts(path: Path) -> tuple[int, int, str]:
    conn = sqlite3.connect(path)
    try:
        journals = conn.execute("SELECT count(*) FROM journal").fetchone()[0]
        users = conn.execute("SELECT count(*) FROM user").fetchone()[0]
        head = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    return journals, users, head


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.bmt"
    assert main(["demo", "--db", str(path), "--members", "20", "--years", "1", "--end", END]) == 0
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_init_creates_a_book_that_verifies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BMT_PASSWORD", "kata-sandi-1")
    path = tmp_path / "kantor.bmt"
    assert main(["init", "--db", str(path), "--office", "BMT Al-Ikhlas", "--user", "admin"]) == 0
    assert main(["verify", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert str(path) in out


def test_init_refuses_an_existing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BMT_PASSWORD", "kata-sandi-1")
    path = tmp_path / "kantor.bmt"
    path.write_bytes(b"bukan buku")
    assert main(["init", "--db", str(path), "--office", "BMT", "--user", "admin"]) == 2
    assert path.read_bytes() == b"bukan buku"
    assert "Traceback" not in capsys.readouterr().err


def test_init_with_a_short_password_leaves_nothing(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BMT_PASSWORD", "pendek")
    path = tmp_path / "kantor.bmt"
    assert main(["init", "--db", str(path), "--office", "BMT", "--user", "admin"]) == 2
    assert list(tmp_path.iterdir()) == []


def test_write_command_without_password_cannot_run(tmp_path: Path, demo_db: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BMT_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", None)
    before = _counts(demo_db)
    assert main(["user", "add", "--db", str(demo_db), "--user", "admin", "--username", "baru",
                 "--name", "Kasir Baru", "--role", "teller"]) == 2
    assert _counts(demo_db) == before


def test_user_add_needs_the_right_password_and_role(demo_db: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    before = _counts(demo_db)
    monkeypatch.setenv("BMT_NEW_PASSWORD", "kasir-baru-1")
    args = ["user", "add", "--db", str(demo_db), "--username", "baru", "--name", "Kasir Baru",
            "--role", "teller"]
    monkeypatch.setenv("BMT_PASSWORD", "salah-sandi")
    assert main([*args, "--user", "admin"]) == 2
    monkeypatch.setenv("BMT_PASSWORD", DEMO_PASSWORD)
    assert main([*args, "--user", "kasir"]) == 2  # a teller may not manage users
    assert _counts(demo_db) == before
    assert main([*args, "--user", "admin"]) == 0
    assert _counts(demo_db)[1] == before[1] + 1


def test_demo_is_deterministic_per_seed(tmp_path: Path, demo_db: Path) -> None:
    again = tmp_path / "lagi.bmt"
    assert main(["demo", "--db", str(again), "--members", "20", "--years", "1", "--end", END]) == 0
    assert _counts(again)[2] == _counts(demo_db)[2]
    other = tmp_path / "lain.bmt"
    assert main(["demo", "--db", str(other), "--members", "20", "--years", "1", "--end", END,
                 "--seed", "2"]) == 0
    assert _counts(other)[2] != _counts(demo_db)[2]


@pytest.mark.parametrize("members", ["0", "-5", "abc"])
def test_demo_refuses_bad_sizes(tmp_path: Path, members: str) -> None:
    path = tmp_path / "x.bmt"
    assert main(["demo", "--db", str(path), "--members", members]) == 2
    assert not path.exists()


def test_verify_a_path_that_is_not_a_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "catatan.txt"
    text.write_text("bukan buku")
    assert main(["verify", "--db", str(text)]) == 2
    assert main(["verify", "--db", str(tmp_path / "tidak-ada.bmt")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()


def test_backup_writes_a_verified_copy(tmp_path: Path, demo_db: Path) -> None:
    folder = tmp_path / "cadangan"
    assert main(["backup", "--db", str(demo_db), "--to", str(folder)]) == 0
    (copy,) = folder.glob("demo-*.bmt")
    assert _counts(copy) == _counts(demo_db)
    assert main(["verify", "--db", str(copy)]) == 0


def test_snapshot_prints_and_writes_its_sha256(tmp_path: Path, demo_db: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "audit" / "salinan.bmt"
    assert main(["snapshot", "--db", str(demo_db), "--out", str(out)]) == 0
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert digest in capsys.readouterr().out
    assert (out.parent / "salinan.bmt.sha256").read_text().split()[0] == digest
    # A second snapshot to the same name is refused, the first left intact
    assert main(["snapshot", "--db", str(demo_db), "--out", str(out)]) == 2
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest


def test_demo_end_date_must_be_a_date(tmp_path: Path) -> None:
    assert main(["demo", "--db", str(tmp_path / "x.bmt"), "--end", "29-11-2026"]) == 2
    assert dt.date.fromisoformat(END)


def test_print_commands_write_pdfs(tmp_path: Path, demo_db: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader

    conn = sqlite3.connect(demo_db)
    number = conn.execute("SELECT doc_number FROM journal WHERE doc_kind = 'KW' "
                          "ORDER BY id LIMIT 1").fetchone()[0]
    account = conn.execute("SELECT number FROM savings_account WHERE balance > 0 "
                           "AND number LIKE 'SS-%' LIMIT 1").fetchone()[0]
    conn.close()
    receipt = tmp_path / "kw.pdf"
    assert main(["print", "receipt", "--db", str(demo_db), "--number", number,
                 "--out", str(receipt)]) == 0
    assert number in PdfReader(receipt).pages[0].extract_text()
    statement = tmp_path / "rk.pdf"
    assert main(["print", "statement", "--db", str(demo_db), "--account", account,
                 "--period", "2026-11", "--out", str(statement)]) == 0
    assert account in PdfReader(statement).pages[0].extract_text()
    passbook = tmp_path / "bt.pdf"
    assert main(["print", "passbook", "--db", str(demo_db), "--account", account,
                 "--out", str(passbook)]) == 0
    # nothing was written to the book by printing
    assert main(["verify", "--db", str(demo_db)]) == 0
    for bad in (["--period", "2026-13"], ["--period", "November"]):
        assert main(["print", "statement", "--db", str(demo_db), "--account", account,
                     *bad, "--out", str(tmp_path / "x.pdf")]) == 2
    assert main(["print", "receipt", "--db", str(demo_db), "--number", "KW-1999-000001",
                 "--out", str(tmp_path / "y.pdf")]) == 2
