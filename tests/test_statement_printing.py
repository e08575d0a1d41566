"""A member's monthly account statement, read back from the PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from bmt_desktop.printing.statement import (
    StatementData,
    StatementLine,
    format_period,
    render_statement,
)

LINES = (
    StatementLine(dt.date(2026, 11, 2), "SS-2026-000101", "Setoran tunai", credit=150_000),
    StatementLine(dt.date(2026, 11, 9), "SS-2026-000140", "Penarikan tunai", debit=50_000),
    StatementLine(dt.date(2026, 11, 30), "BH-2026-000011", "Bagi hasil November",
                  credit=1_968),
    StatementLine(dt.date(2026, 11, 30), "ADM-2026-000011", "Biaya administrasi",
                  debit=2_500),
)
STATEMENT = StatementData(
    office_name="BMT Al-Ikhlas Sukajaya",
    office_address="Kp. Sukajaya RT 02 RW 01, Desa Sukajaya, Kec. Cadasari, Kab. Pandeglang",
    office_registration="518/BH/XII/2019",
    is_demo=False,
    member_name="Siti Aminah",
    member_number="A-000123",
    account_number="SS-000123",
    product_name="Simpanan Sukarela (wadiah)",
    year=2026,
    month=11,
    opening_balance=2_350_000,
    printed_at=dt.datetime(2026, 12, 1, 9, 30),
    lines=LINES,
)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_period() -> None:
    assert format_period(2026, 11) == "November 2026"
    assert format_period(2026, 5) == "Mei 2026"


def test_statement_lists_the_month() -> None:
    # When a month with four postings is printed
    pdf = render_statement(STATEMENT)
    text = _text(pdf)
    # Then the header names the member, the account and the period
    for value in ("Siti Aminah", "A-000123", "SS-000123", "Simpanan Sukarela (wadiah)",
                  "November 2026", "BMT Al-Ikhlas Sukajaya", "Laporan Mutasi Rekening"):
        assert value in text
    # And every line is there with its running balance
    for line in LINES:
        assert line.document_number in text and line.description in text
    for balance in ("2.500.000", "2.450.000", "2.451.968", "2.449.468"):
        assert balance in text
    # And the totals and the closing balance add up
    assert STATEMENT.closing_balance == 2_449_468
    assert "Saldo awal" in text and "Saldo akhir" in text
    assert "Rp2.350.000" in text and "Rp2.449.468" in text
    assert "52.500" in text and "151.968" in text  # total debit and credit
    assert "2 Nov 2026" in text and "30 Nov 2026" in text
    assert "Halaman 1 dari 1" in text
    for english in ("Opening balance", "Closing balance", "Account Statement", "Member"):
        assert english not in text
    assert pdf == render_statement(STATEMENT)


def test_empty_month_prints_opening_equal_to_closing() -> None:
    empty = dataclasses.replace(STATEMENT, lines=())
    text = _text(render_statement(empty))
    assert "Tidak ada transaksi pada periode ini." in text
    assert empty.closing_balance == empty.opening_balance
    assert text.count("2.350.000") >= 4  # opening and closing, in the header and the table


def test_long_month_runs_over_pages() -> None:
    many = tuple(
        StatementLine(dt.date(2026, 11, 1 + n % 30), f"SS-2026-{n:06d}",
                      "Setoran tunai angsuran kelompok Kube Mawar di pertemuan mingguan",
                      credit=10_000)
        for n in range(80)
    )
    data = dataclasses.replace(STATEMENT, lines=many, is_demo=True)
    pdf = render_statement(data)
    text = _text(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    assert "Halaman 2 dari" in text and "DEMO" in text
    assert "SS-2026-000079" in text
    assert data.closing_balance == 2_350_000 + 800_000
    assert "3.150.000" in text


def test_huge_amounts_still_print() -> None:
    data = dataclasses.replace(STATEMENT, opening_balance=999_999_999_999, lines=(
        StatementLine(dt.date(2026, 11, 3), "SS-2026-000001", "Setoran", credit=99_999_999_999),
    ))
    assert "1.099.999.999.998" in _text(render_statement(data))


@pytest.mark.parametrize("change", [
    {"month": 13},
    {"lines": (StatementLine(dt.date(2026, 12, 1), "X-1", "bulan lain", credit=1),)},
    {"lines": (StatementLine(dt.date(2026, 11, 1), "X-1", "negatif", debit=-1),)},
])
def test_bad_data_is_refused(change: dict) -> None:
    with pytest.raises(ValueError):
        render_statement(dataclasses.replace(STATEMENT, **change))


def test_statement_renders_to_png(tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: apt-get install poppler-utils"
    source = tmp_path / "statement.pdf"
    source.write_bytes(render_statement(STATEMENT))
    subprocess.run([pdftoppm, "-png", "-r", "80", str(source), str(tmp_path / "statement")],
                   check=True, capture_output=True)
    assert (tmp_path / "statement-1.png").read_bytes().startswith(b"\x89PNG")
