"""The kuitansi: its domain pieces (Hijri date, stamp duty) and the printed page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hijridate import Gregorian
from pypdf import PdfReader

from bmt_desktop.domain.hijri import HIJRI_MONTHS, hijri_date_id
from bmt_desktop.domain.stamp_duty import STAMP_DUTY, STAMP_DUTY_THRESHOLD, needs_stamp_duty
from bmt_desktop.domain.terbilang import LIMIT, terbilang_rupiah
from bmt_desktop.printing.receipt import ReceiptData, render_receipt

MM = 72 / 25.4

# --------------------------------------------------------------------------- Hijri date


def test_hijri_literal() -> None:
    # 29 November 2026 is 19 Jumada al-Akhirah 1448 in hijridate's Umm al-Qura calendar
    assert hijri_date_id(dt.date(2026, 11, 29)) == "19 Jumadilakhir 1448 H"


@pytest.mark.parametrize("day", [dt.date(2024, 3, 11), dt.date(2025, 3, 30)])
def test_hijri_matches_hijridate(day: dt.date) -> None:
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    assert hijri_date_id(day) == f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year} H"


def test_hijri_known_days() -> None:
    assert hijri_date_id(dt.date(2024, 3, 11)) == "1 Ramadan 1445 H"
    assert hijri_date_id(dt.date(2025, 3, 30)) == "1 Syawal 1446 H"


@pytest.mark.parametrize("day", [dt.date(1900, 1, 1), dt.date(2100, 1, 1)])
def test_hijri_outside_the_range_is_empty(day: dt.date) -> None:
    assert hijri_date_id(day) == ""


# --------------------------------------------------------------------------- stamp duty


@pytest.mark.parametrize(("purpose", "amount", "expected"), [
    ("repayment", STAMP_DUTY_THRESHOLD + 1, True),
    ("repayment", 25_000_000, True),
    ("repayment", STAMP_DUTY_THRESHOLD, False),  # "more than" Rp5.000.000
    ("repayment", 1_000_000, False),
    ("deposit", 25_000_000, False),  # cooperative savings are exempt
    ("withdrawal", 25_000_000, False),
    ("zakat", 25_000_000, False),
    ("infak", 25_000_000, False),
    ("disbursement", 25_000_000, False),
    ("", 25_000_000, False),
])
def test_needs_stamp_duty(purpose: str, amount: int, expected: bool) -> None:
    assert needs_stamp_duty(purpose, amount) is expected


def test_stamp_duty_amounts() -> None:
    assert (STAMP_DUTY, STAMP_DUTY_THRESHOLD) == (10_000, 5_000_000)


# --------------------------------------------------------------------------- the receipt

DEPOSIT = ReceiptData(
    office_name="BMT Al-Ikhlas Sukajaya",
    office_address="Kp. Sukajaya RT 02 RW 01, Desa Sukajaya, Kec. Cadasari, Kab. Pandeglang",
    office_registration="518/BH/XII/2019",
    is_demo=False,
    number="KW-2026-000123",
    date=dt.date(2026, 11, 29),
    show_hijri=False,
    kind_title="Bukti Setoran Tunai",
    received_from="Siti Aminah (A-000123)",
    direction="in",
    amount=1_500_000,
    purpose="Setoran simpanan sukarela SS-000123",
    balance_after=2_350_000,
    teller="Rina Marlina",
)
WITHDRAWAL = dataclasses.replace(
    DEPOSIT, kind_title="Bukti Penarikan Tunai", direction="out", amount=750_000,
    purpose="Penarikan simpanan sukarela SS-000123", balance_after=1_600_000)
INSTALMENT = dataclasses.replace(
    DEPOSIT, kind_title="Bukti Angsuran Pembiayaan", amount=6_125_000, balance_after=None,
    purpose="Angsuran ke-7 pembiayaan murabahah PB-2026-000045",
    lines=(("Pokok", 5_000_000), ("Margin", 1_000_000), ("Ta'widh", 25_000),
           ("Infak", 100_000)),
    stamp_duty=True)
LONG = dataclasses.replace(
    INSTALMENT,
    office_name="Koperasi Simpan Pinjam dan Pembiayaan Syariah BMT Al-Ikhlas Sukajaya " * 2,
    office_address="Kampung Sukajaya Hilir RT 002 RW 001 " * 6,
    kind_title="Bukti Pelunasan Pembiayaan Murabahah Dipercepat Sebelum Jatuh Tempo",
    number="KW-2026-" + "9" * 30,
    received_from="Hajjah Siti Aminah binti Muhammad Abdurrahman Al-Bantani " * 4,
    amount=LIMIT - 1,
    purpose="Pelunasan" * 30 + " pembiayaan " * 20,
    lines=tuple((f"Rincian {n} " * 8, n * 1_000_000) for n in range(1, 13)),
    balance_after=LIMIT - 1,
    teller="Kasir Dengan Nama Yang Sangat Panjang Sekali Sampai Tidak Muat " * 2,
    show_hijri=True, is_demo=True, reprint=True)

VARIANTS = {
    "deposit": DEPOSIT,
    "withdrawal": WITHDRAWAL,
    "demo-hijri": dataclasses.replace(DEPOSIT, is_demo=True, show_hijri=True),
    "stamp": INSTALMENT,
    "reprint": dataclasses.replace(WITHDRAWAL, reprint=True),
    "long": LONG,
}


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_receipt_shows_number_amount_and_words() -> None:
    text = _text(render_receipt(DEPOSIT))
    assert "KW-2026-000123" in text
    assert "Rp1.500.000" in text
    assert "satu juta lima ratus ribu rupiah" in _flat(text)
    assert "Terbilang" in text
    assert "Telah terima dari" in text and "Dibayarkan kepada" not in text
    assert "Siti Aminah (A-000123)" in text
    assert "Setoran simpanan sukarela SS-000123" in text
    assert "Rp2.350.000" in text  # the balance after
    assert "Penyetor" in text and "Rina Marlina" in text
    assert "29 November 2026" in text
    assert "518/BH/XII/2019" in text and "BMT Al-Ikhlas Sukajaya" in text
    # Then nothing is there that was not asked for, and no English leaks through
    for absent in ("Meterai", "DEMO", "SALINAN", "CETAK ULANG", "Jumadilakhir", " H\n"):
        assert absent not in text
    for english in ("Received", "Paid to", "In words", "Purpose", "Depositor", "Balance"):
        assert english not in text


def test_withdrawal_names_the_recipient() -> None:
    text = _text(render_receipt(WITHDRAWAL))
    assert "Dibayarkan kepada" in text and "Telah terima dari" not in text
    assert "Penerima" in text and "Penyetor" not in text
    assert "Rp750.000" in text and "tujuh ratus lima puluh ribu rupiah" in _flat(text)


def test_stamp_box_only_when_asked() -> None:
    text = _text(render_receipt(INSTALMENT))
    assert "Meterai" in text and "Rp10.000" in text
    for label, _amount in INSTALMENT.lines:
        assert label in text
    assert "Rp5.000.000" in text and "Rp25.000" in text
    assert "Meterai" not in _text(render_receipt(dataclasses.replace(INSTALMENT,
                                                                     stamp_duty=False)))


def test_hijri_demo_and_reprint_marks() -> None:
    text = _text(render_receipt(dataclasses.replace(DEPOSIT, show_hijri=True, is_demo=True,
                                                    reprint=True)))
    assert "19 Jumadilakhir 1448 H" in text and "29 November 2026" in text
    assert "DEMO" in text
    assert "SALINAN / CETAK ULANG" in text


def test_page_size_and_byte_stability() -> None:
    pdf = render_receipt(INSTALMENT)
    assert pdf == render_receipt(INSTALMENT)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1
    box = pages[0].mediabox
    assert float(box.width) == pytest.approx(210 * MM, abs=1)
    assert float(box.height) == pytest.approx(140 * MM, abs=1)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        render_receipt(dataclasses.replace(DEPOSIT, direction="sideways"))
    with pytest.raises(ValueError):
        render_receipt(dataclasses.replace(DEPOSIT, amount=-1))


def _word_boxes(pdf: Path) -> tuple[float, float, list[tuple[str, float, float, float, float]]]:
    """Page size and every word with its box, as pdftotext -bbox sees them."""
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing: apt-get install poppler-utils"
    html = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    assert page
    words = [(m[5], float(m[1]), float(m[2]), float(m[3]), float(m[4])) for m in re.finditer(
        r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>',
        html)]
    return float(page[1]), float(page[2]), words


def test_long_texts_stay_on_the_page(tmp_path: Path) -> None:
    # Given a receipt where every text is far too long
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render_receipt(dataclasses.replace(LONG, is_demo=False)))
    # Then every word lies inside the page, with a 5 mm margin
    width, height, words = _word_boxes(pdf)
    margin = 5 * MM
    outside = [w for w in words if w[1] < margin or w[3] > width - margin
               or w[2] < margin or w[4] > height - margin]
    assert words and outside == []
    # And the amount in words is never shortened: it is what the receipt is for
    text = _flat(_text(pdf.read_bytes()))
    assert terbilang_rupiah(LIMIT - 1) in text
    assert "…" in text  # the long name, title and purpose were shortened


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_variant_renders_to_png(name: str, tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: apt-get install poppler-utils"
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(render_receipt(VARIANTS[name]))
    subprocess.run([pdftoppm, "-png", "-r", "80", "-singlefile", str(source),
                    str(tmp_path / name)], check=True, capture_output=True)
    png = tmp_path / f"{name}.png"
    assert png.read_bytes().startswith(b"\x89PNG")
