"""The command line's report, month-end and year-end on a real demo book."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bmt_desktop.cli import main
from bmt_desktop.services.demo import DEMO_PASSWORD
from bmt_desktop.store.book import Book


@pytest.fixture
def db(demo: Book) -> Path:
    path = demo.path
    demo.close()
    return path


def test_report_in_every_format(db: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    for ext in ("pdf", "xlsx", "csv", "json"):
        out = tmp_path / f"neraca.{ext}"
        assert main(["report", "balance-sheet", "--db", str(db), "--period", "2026-10",
                     "--out", str(out)]) == 0
        assert out.stat().st_size > 0
    data = json.loads((tmp_path / "neraca.json").read_text(encoding="utf-8"))
    assert {"report", "period", "rows", "totals"} <= set(data)
    assert data["report"] == "balance-sheet" and data["period"] == "2026-10"
    assert data["totals"]["balanced"] is True
    day = tmp_path / "kas.json"
    assert main(["report", "daily-cash", "--db", str(db), "--period", "2026-10-15",
                 "--out", str(day)]) == 0
    shu = tmp_path / "shu.json"
    assert main(["report", "shu", "--db", str(db), "--period", "2025", "--out",
                 str(shu)]) == 0
    assert json.loads(shu.read_text(encoding="utf-8"))["period"] == "2025"


@pytest.mark.parametrize("args", [
    ["--period", "2099-01"],  # the future
    ["--period", "2026-13"],
    ["--period", "kemarin"],
])
def test_bad_report_periods_are_refused(db: Path, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "x.json"
    assert main(["report", "trial-balance", "--db", str(db), "--out", str(out), *args]) == 1
    assert not out.exists()


def test_bad_report_targets(db: Path, tmp_path: Path) -> None:
    assert main(["report", "trial-balance", "--db", str(db), "--period", "2026-10",
                 "--out", str(tmp_path / "x.docx")]) == 1
    assert main(["report", "trial-balance", "--db", str(db), "--period", "2026-10",
                 "--out", str(tmp_path / "no" / "such" / "x.pdf")]) == 1
    assert main(["report", "no-such-report", "--db", str(db), "--period", "2026-10",
                 "--out", str(tmp_path / "x.pdf")]) == 2


def test_month_end_and_year_end(db: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BMT_PASSWORD", DEMO_PASSWORD)
    assert main(["month-end", "--db", str(db), "--period", "2026-10", "--user",
                 "manajer"]) == 0
    out = capsys.readouterr().out
    assert "2026-10" in out and "hash" in out.lower()
    assert main(["month-end", "--db", str(db), "--period", "2026-10", "--user",
                 "manajer"]) == 1  # run twice
    assert main(["month-end", "--db", str(db), "--period", "2026-10", "--user",
                 "kasir"]) == 1  # a teller may not
    assert main(["year-end", "--db", str(db), "--year", "2026", "--user", "manajer"]) == 1
    assert "Desember" in capsys.readouterr().err


def test_restore_from_the_command_line(db: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    from bmt_desktop.store.verify import verify_book

    monkeypatch.setenv("BMT_PASSWORD", DEMO_PASSWORD)
    assert main(["backup", "--db", str(db), "--to", str(tmp_path / "cadangan")]) == 0
    (copy,) = (tmp_path / "cadangan").glob("*.bmt")
    head = verify_book(copy).chain_head
    assert main(["month-end", "--db", str(db), "--period", "2026-10", "--user",
                 "manajer"]) == 0
    assert verify_book(db).chain_head != head
    assert main(["restore", "--from", str(copy), "--db", str(db), "--user", "kasir"]) == 1
    assert main(["restore", "--from", str(copy), "--db", str(db), "--user", "admin"]) == 0
    assert verify_book(db).chain_head == head
    assert "sebelum" in capsys.readouterr().out  # the replaced book kept aside
    # A book damaged beyond opening is restored with the backup's administrator.
    db.write_bytes(b"bukan buku")
    assert main(["restore", "--from", str(copy), "--db", str(db), "--user", "admin"]) == 0
    assert verify_book(db).ok
    tampered = tmp_path / "rusak.bmt"
    tampered.write_bytes(copy.read_bytes()[:5000])
    assert main(["restore", "--from", str(tampered), "--db", str(db), "--user",
                 "admin"]) in (1, 2)
    assert verify_book(db).chain_head == head
