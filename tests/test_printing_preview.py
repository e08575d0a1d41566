"""The shared A4 layout, the verification report, page set-up per document and the preview.

Settings go to a temporary folder (never the real user's), printers print to PDF files, and
every PDF is read back with pypdf; one is rendered to PNG with pdftoppm.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication, QMarginsF, QSettings, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter

from bmt_desktop.domain.errors import BmtError
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.gui import pdf_preview
from bmt_desktop.gui.page_setup import (
    DocumentKind,
    default_layout,
    load_layout,
    printer_for,
    remember_printer,
    save_layout,
)
from bmt_desktop.gui.pdf_preview import PdfPreviewDialog, print_pdf
from bmt_desktop.i18n import _
from bmt_desktop.printing.verify_report import render_verify_report
from bmt_desktop.services.ledger import post_journal
from bmt_desktop.services.office import OfficeProfile, get_logo, get_profile
from bmt_desktop.store.verify import Problem, VerifyReport, verify_book

PRINTED_AT = dt.datetime(2026, 11, 29, 14, 5)
MM = 72 / 25.4


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path, qapp) -> Iterator[None]:
    """QSettings() of this module write into the test's folder, never the user's.

    The ini format and its path stay set afterwards: safer than the real settings.
    """
    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName("BMT Desktop Tests")
    QCoreApplication.setApplicationName("bmt-desktop-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    QSettings().clear()
    yield
    QCoreApplication.setOrganizationName(names[0])
    QCoreApplication.setApplicationName(names[1])


@dataclasses.dataclass
class Verified:
    report: VerifyReport
    office: OfficeProfile
    logo: bytes | None
    sha256: str


@pytest.fixture
def verified(book, manager, book_path: Path) -> Verified:
    """A book with one journal, closed and verified."""
    post_journal(manager, "2026-11-02", "Modal awal",
                 [LineSpec("101", debit=1_000_000), LineSpec("301", credit=1_000_000)])
    office = dataclasses.replace(
        get_profile(book), registration_number="518/BH/XII/2019",
        address="Jl. Merdeka No. 17, Sukamaju, Bandung",
    )
    logo = get_logo(book)
    book.close()
    report = verify_book(book_path)
    assert report.ok
    return Verified(report, office, logo,
                    hashlib.sha256(book_path.read_bytes()).hexdigest())


def _render(data: Verified, office: OfficeProfile | None = None) -> bytes:
    return render_verify_report(data.report, office or data.office, logo=data.logo,
                                printed_at=PRINTED_AT, snapshot_sha256=data.sha256,
                                snapshot_sha256_expected=data.sha256)


def _text(pdf: bytes | Path) -> str:
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return "".join(text.split())


def _tampered(report: VerifyReport, count: int) -> VerifyReport:
    problems = [Problem("hash_chain", f"Catatan audit {n} telah diubah.") for n in range(count)]
    return dataclasses.replace(report, problems=problems)


# --------------------------------------------------------------------------- the report


def test_verify_report_shows_the_book_and_its_chain(verified: Verified) -> None:
    # When the verification of a real book is printed
    pdf = _render(verified)
    text = _text(pdf)
    # Then the chain head (in full), the office and the page count are on it, in Indonesian
    assert verified.report.chain_head in _flat(text)
    assert verified.sha256 in _flat(text)
    assert "Verifikasi" in text
    assert verified.office.name in text
    assert "Halaman 1 dari" in text
    assert _("matches the .sha256 file") in text
    assert "DEMO" not in text
    assert "Verification" not in text and "Passed" not in text  # no English leaks through
    assert text.count(_("Passed")) == len(verified.report.checks)


def test_verify_report_is_byte_stable(verified: Verified) -> None:
    assert _render(verified) == _render(verified)


def test_demo_office_gets_the_watermark(verified: Verified) -> None:
    demo = dataclasses.replace(verified.office, is_demo=True)
    assert "DEMO" in _text(_render(verified, office=demo))


def test_tampered_report_lists_every_problem(verified: Verified) -> None:
    # Given a report with many problems and a file that is not the one hashed
    report = _tampered(verified.report, 45)
    pdf = render_verify_report(report, verified.office, logo=None, printed_at=PRINTED_AT,
                               snapshot_sha256=verified.sha256,
                               snapshot_sha256_expected="0" * 64)
    text = _text(pdf)
    # Then every message is printed, across pages, and the verdict says so
    for problem in report.problems:
        assert problem.message in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 1
    assert "Halaman 2 dari" in text
    assert _("does NOT match the .sha256 file; expected:") in text
    assert _("{n} problems").format(n=45) in text
    assert "TIDAK" in text


def test_verify_report_renders_to_png(verified: Verified, tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: apt-get install poppler-utils"
    source = tmp_path / "verify.pdf"
    source.write_bytes(_render(verified))
    subprocess.run([pdftoppm, "-png", "-r", "60", str(source), str(tmp_path / "verify")],
                   check=True, capture_output=True)
    png = tmp_path / "verify-1.png"
    assert png.exists() and png.read_bytes().startswith(b"\x89PNG")


# --------------------------------------------------------------------------- printing


def _pdf_printer(path: Path, layout: QPageLayout) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageLayout(layout)
    return printer


def _page_size(path: Path) -> tuple[float, float]:
    box = PdfReader(path).pages[0].mediabox
    return float(box.width), float(box.height)


def test_print_pdf_on_a4(verified: Verified, tmp_path: Path) -> None:
    # Given a two-page report and a printer writing A4 PDF
    source = render_verify_report(_tampered(verified.report, 45), verified.office, logo=None,
                                  printed_at=PRINTED_AT, snapshot_sha256=None,
                                  snapshot_sha256_expected=None)
    out = tmp_path / "printed.pdf"
    printer = _pdf_printer(out, load_layout(DocumentKind.A4))
    seen: list[tuple[int, int]] = []
    # When it is printed
    pages = print_pdf(source, printer, progress=lambda done, total: seen.append((done, total)))
    # Then every page came out on A4
    source_pages = len(PdfReader(io.BytesIO(source)).pages)
    assert pages == source_pages >= 2
    assert seen == [(n, source_pages) for n in range(1, source_pages + 1)]
    assert len(PdfReader(out).pages) == source_pages
    width, height = _page_size(out)
    assert width == pytest.approx(595, abs=2) and height == pytest.approx(842, abs=2)


def test_print_pdf_on_a_receipt_page(verified: Verified, tmp_path: Path) -> None:
    out = tmp_path / "receipt.pdf"
    printer = _pdf_printer(out, load_layout(DocumentKind.RECEIPT))
    assert print_pdf(_render(verified), printer) == 1
    width, height = _page_size(out)
    assert width == pytest.approx(210 * MM, abs=2) and height == pytest.approx(140 * MM, abs=2)


def test_garbage_is_not_printed(tmp_path: Path) -> None:
    printer = _pdf_printer(tmp_path / "never.pdf", load_layout(DocumentKind.A4))
    with pytest.raises(BmtError) as error:
        print_pdf(b"not a pdf", printer)
    assert "PDF" in error.value.message
    assert not (tmp_path / "never.pdf").exists()


def test_unwritable_printer_raises(verified: Verified, tmp_path: Path) -> None:
    printer = _pdf_printer(tmp_path / "missing" / "folder" / "out.pdf",
                           load_layout(DocumentKind.A4))
    with pytest.raises(BmtError):
        print_pdf(_render(verified), printer)


# --------------------------------------------------------------------------- page set-up


def _mm(layout: QPageLayout) -> tuple:
    full = layout.fullRect(QPageLayout.Unit.Millimeter)
    margins = layout.margins(QPageLayout.Unit.Millimeter)
    return (round(full.width(), 1), round(full.height(), 1), layout.orientation(),
            round(margins.left(), 1), round(margins.top(), 1),
            round(margins.right(), 1), round(margins.bottom(), 1))


def test_defaults_per_kind() -> None:
    portrait = QPageLayout.Orientation.Portrait
    assert _mm(load_layout(DocumentKind.RECEIPT)) == (210, 140, portrait, 0, 0, 0, 0)
    assert _mm(load_layout(DocumentKind.PASSBOOK)) == (140, 200, portrait, 0, 0, 0, 0)
    assert _mm(load_layout(DocumentKind.A4)) == (210, 297, portrait, 0, 0, 0, 0)
    assert load_layout(DocumentKind.A4).pageSize().id() == QPageSize.PageSizeId.A4


def test_layouts_round_trip_per_kind() -> None:
    # Given a custom receipt and a landscape A5 for the passbook
    receipt = QPageLayout(
        QPageSize(QSizeF(241.3, 139.7), QPageSize.Unit.Millimeter, "Kontinu",
                  QPageSize.SizeMatchPolicy.ExactMatch),
        QPageLayout.Orientation.Portrait, QMarginsF(3, 4, 5, 6), QPageLayout.Unit.Millimeter,
    )
    passbook = QPageLayout(QPageSize(QPageSize.PageSizeId.A5),
                           QPageLayout.Orientation.Landscape, QMarginsF(10, 8, 10, 8),
                           QPageLayout.Unit.Millimeter)
    # When they are saved
    save_layout(DocumentKind.RECEIPT, receipt, "Epson LX-310")
    save_layout(DocumentKind.PASSBOOK, passbook, None)
    # Then each kind gets its own back, and the A4 report keeps its default
    assert _mm(load_layout(DocumentKind.RECEIPT)) == _mm(receipt)
    assert _mm(load_layout(DocumentKind.PASSBOOK)) == (210, 148, QPageLayout.Orientation.Landscape,
                                                       10, 8, 10, 8)
    assert load_layout(DocumentKind.PASSBOOK).pageSize().id() == QPageSize.PageSizeId.A5
    assert _mm(load_layout(DocumentKind.A4)) == _mm(default_layout(DocumentKind.A4))
    assert QSettings().value("page_setup/receipt/printer") == "Epson LX-310"
    assert QSettings().value("page_setup/passbook/printer") is None


def test_garbled_settings_fall_back_to_the_default() -> None:
    settings = QSettings()
    settings.setValue("page_setup/receipt/page_size", "Custom")
    settings.setValue("page_setup/receipt/width_mm", "lebar")
    assert _mm(load_layout(DocumentKind.RECEIPT)) == _mm(default_layout(DocumentKind.RECEIPT))


def test_printer_for_applies_the_layout_and_skips_a_missing_printer() -> None:
    save_layout(DocumentKind.PASSBOOK, default_layout(DocumentKind.PASSBOOK), "Tidak Ada")
    printer = printer_for(DocumentKind.PASSBOOK)
    assert printer.resolution() >= 300
    assert printer.printerName() != "Tidak Ada"
    assert _mm(printer.pageLayout()) == _mm(default_layout(DocumentKind.PASSBOOK))


def test_remember_printer_keeps_the_layout_not_a_pdf_file() -> None:
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.Letter),
                                      QPageLayout.Orientation.Portrait, QMarginsF(5, 5, 5, 5)))
    remember_printer(DocumentKind.A4, printer)
    assert load_layout(DocumentKind.A4).pageSize().id() == QPageSize.PageSizeId.Letter
    assert QSettings().value("page_setup/a4/printer") is None


# --------------------------------------------------------------------------- the preview


@pytest.fixture
def report_pdf(verified: Verified) -> bytes:
    return render_verify_report(_tampered(verified.report, 45), verified.office, logo=None,
                                printed_at=PRINTED_AT, snapshot_sha256=verified.sha256,
                                snapshot_sha256_expected=None)


def test_preview_prints_saves_and_closes(qtbot, monkeypatch, report_pdf: bytes,
                                         tmp_path: Path) -> None:
    # Given the preview of a two-page report
    dialog = PdfPreviewDialog(report_pdf, "Laporan Verifikasi Buku", DocumentKind.A4)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    pages = len(PdfReader(io.BytesIO(report_pdf)).pages)
    assert dialog.page_count == pages
    assert dialog.page_label.text() == f"Halaman 1 dari {pages}"
    labels = {action.text() for action in dialog.toolbar.actions()}
    assert {"Print…", "Close", "Zoom in"}.isdisjoint(labels)  # Indonesian, not English

    # When Print is chosen and the print dialog picks a PDF file
    printed = tmp_path / "dicetak.pdf"

    def choose_pdf_file(printer: QPrinter, parent, pages: int = 0) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(pdf_preview, "_ask_print_dialog", choose_pdf_file)
    dialog.print_action.trigger()
    # Then the file holds every page on the A4 layout
    assert len(PdfReader(printed).pages) == pages
    assert _page_size(printed)[0] == pytest.approx(595, abs=2)
    assert str(pages) in dialog.status_label.text()

    # When it is saved as PDF
    saved = tmp_path / "disimpan"
    monkeypatch.setattr(pdf_preview, "_ask_save_path", lambda parent, suggested: str(saved))
    dialog.save_action.trigger()
    assert (tmp_path / "disimpan.pdf").read_bytes() == report_pdf

    # And zooming moves away from fit-to-width and back
    dialog.zoom_in_action.trigger()
    assert dialog.view.zoomFactor() > 0
    dialog.fit_width_action.trigger()

    # When Esc is pressed, the preview closes
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_preview_reports_a_print_failure(qtbot, monkeypatch, report_pdf: bytes,
                                         tmp_path: Path) -> None:
    dialog = PdfPreviewDialog(report_pdf, "Laporan", DocumentKind.A4)
    qtbot.addWidget(dialog)
    shown: list[str] = []

    def unwritable(printer: QPrinter, parent, pages: int = 0) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "no" / "such" / "folder.pdf"))
        return True

    monkeypatch.setattr(pdf_preview, "_ask_print_dialog", unwritable)
    monkeypatch.setattr(pdf_preview, "_show_error", lambda parent, message: shown.append(message))
    assert dialog.print_document() == 0
    assert shown and "printer" not in shown[0]


def test_preview_refuses_garbage(qtbot) -> None:
    with pytest.raises(BmtError):
        PdfPreviewDialog(b"not a pdf", "Rusak", DocumentKind.RECEIPT)


def test_a_landscape_report_prints_on_landscape_a4(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4))
    canvas.drawString(72, 72, "Buku besar")
    canvas.showPage()
    canvas.save()
    out = tmp_path / "wide.pdf"
    printer = _pdf_printer(out, load_layout(DocumentKind.A4))
    assert print_pdf(buffer.getvalue(), printer) == 1
    width, height = _page_size(out)
    assert width == pytest.approx(842, abs=2) and height == pytest.approx(595, abs=2)
