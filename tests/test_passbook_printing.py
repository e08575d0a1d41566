"""Passbook lines: where they go in the book, and what is printed on the pre-printed page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from bmt_desktop.printing.passbook import (
    PassbookEntry,
    PassbookLayout,
    PassbookPosition,
    format_passbook_amount,
    format_passbook_date,
    plan_passbook,
    render_passbook,
    render_passbook_cover,
)

MM = 72 / 25.4
LAYOUT = PassbookLayout()


def _entries(count: int, first_id: int = 100) -> list[PassbookEntry]:
    codes = [("SETOR", 0, 1_500_000), ("TARIK", 250_000, 0), ("BH", 0, 1_968),
             ("ADM", 2_500, 0), ("PB", 0, 100_000)]
    balance = 350_000
    entries = []
    for n in range(count):
        code, debit, credit = codes[n % len(codes)]
        balance += credit - debit
        entries.append(PassbookEntry(first_id + n, dt.date(2026, 11, 1) + dt.timedelta(days=n),
                                     code, debit, credit, balance))
    return entries


def _pages(pdf: bytes) -> list:
    return list(PdfReader(io.BytesIO(pdf)).pages)


# --------------------------------------------------------------------------- the plan


def test_plan_across_a_page_break() -> None:
    # Given a book whose page 1 is printed up to line 18, and five new lines
    entries = _entries(5)
    plan = plan_passbook(entries, PassbookPosition(1, 18), LAYOUT)
    # Then lines 19-20 of page 1 and 1-3 of page 2 are used, and page 2 needs a turn
    assert plan.pages == (
        (1, ((19, entries[0]), (20, entries[1]))),
        (2, ((1, entries[2]), (2, entries[3]), (3, entries[4]))),
    )
    assert plan.end == PassbookPosition(2, 3)
    assert plan.needs_new_page_before == (2,)


def test_plan_from_a_full_page_starts_on_the_next() -> None:
    entries = _entries(2)
    plan = plan_passbook(entries, PassbookPosition(3, 20), LAYOUT)
    assert plan.pages == ((4, ((1, entries[0]), (2, entries[1]))),)
    assert plan.end == PassbookPosition(4, 2)
    assert plan.needs_new_page_before == (4,)


def test_plan_on_an_empty_page_needs_no_turn() -> None:
    plan = plan_passbook(_entries(3), PassbookPosition(1, 0), LAYOUT)
    assert [line for line, _entry in plan.pages[0][1]] == [1, 2, 3]
    assert plan.end == PassbookPosition(1, 3)
    assert plan.needs_new_page_before == ()


def test_plan_over_several_pages() -> None:
    layout = dataclasses.replace(LAYOUT, lines_per_page=4)
    plan = plan_passbook(_entries(10), PassbookPosition(1, 3), layout)
    assert [(page, len(lines)) for page, lines in plan.pages] == [(1, 1), (2, 4), (3, 4), (4, 1)]
    assert plan.needs_new_page_before == (2, 3, 4)
    assert plan.end == PassbookPosition(4, 1)


def test_no_entries_give_an_empty_plan_and_no_pdf() -> None:
    start = PassbookPosition(2, 7)
    plan = plan_passbook([], start, LAYOUT)
    assert plan.pages == () and plan.is_empty
    assert plan.end == start and plan.needs_new_page_before == ()
    with pytest.raises(ValueError):
        render_passbook(plan, LAYOUT, is_demo=False)


@pytest.mark.parametrize("start", [PassbookPosition(0, 1), PassbookPosition(1, -1),
                                   PassbookPosition(1, 21)])
def test_impossible_positions_are_refused(start: PassbookPosition) -> None:
    with pytest.raises(ValueError):
        plan_passbook(_entries(1), start, LAYOUT)


def test_impossible_layouts_are_refused() -> None:
    with pytest.raises(ValueError):
        plan_passbook(_entries(1), PassbookPosition(1, 0),
                      dataclasses.replace(LAYOUT, lines_per_page=0))
    with pytest.raises(ValueError):
        plan_passbook(_entries(1), PassbookPosition(1, 0),
                      dataclasses.replace(LAYOUT, column_x_mm=(0, 8, 30)))


# --------------------------------------------------------------------------- the page


def test_formats() -> None:
    assert format_passbook_date(dt.date(2026, 11, 29)) == "29-11-26"
    assert format_passbook_date(dt.date(2030, 1, 5)) == "05-01-30"
    assert format_passbook_amount(1_500_000) == "1.500.000"
    assert format_passbook_amount(0) == ""


def test_render_one_page_per_physical_page() -> None:
    # Given the plan across the page break
    entries = _entries(5)
    plan = plan_passbook(entries, PassbookPosition(1, 18), LAYOUT)
    # When it is printed
    pdf = render_passbook(plan, LAYOUT, is_demo=False)
    pages = _pages(pdf)
    # Then there is a page per page of the book, of the book's size
    assert len(pages) == 2
    for page in pages:
        assert float(page.mediabox.width) == pytest.approx(140 * MM, abs=1)
        assert float(page.mediabox.height) == pytest.approx(200 * MM, abs=1)
    first, second = (page.extract_text() for page in pages)
    # And each entry's text is on its page, with the running line number of the book
    for text, part, numbers in ((first, entries[:2], (19, 20)),
                                (second, entries[2:], (21, 22, 23))):
        for entry, number in zip(part, numbers, strict=True):
            assert format_passbook_date(entry.date) in text
            assert entry.code in text
            assert format_passbook_amount(entry.balance) in text
            assert str(number) in text.split()
    assert "1.500.000" in first and "250.000" in first and "100.000" in second
    # And nothing else: no "Rp", no headers, no watermark (the paper is pre-printed)
    for word in ("Rp", "Tanggal", "Saldo", "DEMO"):
        assert word not in first + second
    assert pdf == render_passbook(plan, LAYOUT, is_demo=False)


def test_demo_book_is_marked() -> None:
    plan = plan_passbook(_entries(1), PassbookPosition(1, 0), LAYOUT)
    assert "DEMO" in _pages(render_passbook(plan, LAYOUT, is_demo=True))[0].extract_text()


def _positions(page) -> dict[str, tuple[float, float]]:
    """Where each piece of text starts (x, y in points from the bottom left)."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm, tm, _font, _size) -> None:
        if text.strip():
            found.setdefault(text.strip(), (tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return found


def test_lines_sit_at_their_positions() -> None:
    # Given a layout with offsets and a fold after line 10
    layout = dataclasses.replace(LAYOUT, left_offset_mm=10, top_offset_mm=3,
                                 middle_gap_after_line=10, middle_gap_mm=12)
    entries = _entries(2)
    plan = plan_passbook(entries, PassbookPosition(1, 10), layout)
    where = _positions(_pages(render_passbook(plan, layout, is_demo=False))[0])
    height = 200 * MM
    # Then line 11 is one line and the fold below line 10
    assert "10" not in where  # line 10 was printed before
    x11, y11 = where["11"]
    x12, y12 = where["12"]
    assert x11 == pytest.approx(10 * MM, abs=0.5)  # the No column at the left offset
    top11 = 3 + 40 + 10 * 7 + 12
    assert height - y11 == pytest.approx((top11 + 7 * 0.72) * MM, abs=0.5)
    assert y11 - y12 == pytest.approx(7 * MM, abs=0.5)
    assert where[format_passbook_date(entries[0].date)][0] == pytest.approx(18 * MM, abs=0.5)
    assert where["SETOR"][0] == pytest.approx(40 * MM, abs=0.5)


def test_amounts_stay_inside_the_page() -> None:
    entry = PassbookEntry(1, dt.date(2026, 11, 29), "SETOR", 0, 999_999_999_999,
                          999_999_999_999_999)
    plan = plan_passbook([entry], PassbookPosition(1, 0), LAYOUT)
    page = _pages(render_passbook(plan, LAYOUT, is_demo=False))[0]
    assert "999.999.999.999.999" in page.extract_text()
    x, _y = _positions(page)["999.999.999.999.999"]
    assert x < 140 * MM


def test_cover_holds_the_identity() -> None:
    pdf = render_passbook_cover("SS-000123", "Siti Aminah", "A-000123",
                                "BMT Al-Ikhlas Sukajaya", "Simpanan Sukarela", LAYOUT)
    pages = _pages(pdf)
    assert len(pages) == 1
    assert float(pages[0].mediabox.width) == pytest.approx(140 * MM, abs=1)
    text = pages[0].extract_text()
    for value in ("SS-000123", "Siti Aminah", "A-000123", "BMT Al-Ikhlas Sukajaya",
                  "Simpanan Sukarela", "Nomor rekening", "Nomor anggota"):
        assert value in text


def test_passbook_renders_to_png(tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: apt-get install poppler-utils"
    plan = plan_passbook(_entries(5), PassbookPosition(1, 18), LAYOUT)
    source = tmp_path / "passbook.pdf"
    source.write_bytes(render_passbook(plan, LAYOUT, is_demo=True))
    subprocess.run([pdftoppm, "-png", "-r", "80", str(source), str(tmp_path / "passbook")],
                   check=True, capture_output=True)
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["passbook-1.png",
                                                              "passbook-2.png"]
