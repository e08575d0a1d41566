"""Show a ReportLab PDF on screen and print it through Qt (QtPdf paints its pages).

The dialogs a test must get past (print, page set-up, save, error box) are opened through
small module-level functions that tests replace.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEventLoop,
    QIODevice,
    QPointF,
    QRect,
    QSize,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QAction, QGuiApplication, QImage, QKeySequence, QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPageSetupDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.errors import BmtError
from bmt_desktop.gui.page_setup import DocumentKind, printer_for, remember_printer, save_layout
from bmt_desktop.i18n import _

# Pages are painted as images; beyond this the paper shows no difference, only memory does
# (an A4 page at a 1200 dpi printer resolution would be a 550 MB image).
MAX_RENDER_DPI = 300
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 6.0)


# --------------------------------------------------------------------------- printing


def load_pdf(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    """Open ``pdf`` with QtPdf; keep the buffer alive as long as the document (it reads it)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if (
        document.status() != QPdfDocument.Status.Ready
        or document.error() != QPdfDocument.Error.None_
        or document.pageCount() < 1
    ):
        raise BmtError(_("The document cannot be shown or printed: it is not a valid PDF."))
    return document, buffer


def _fit(page: QSize, area: QRect) -> QRect:
    """The largest rectangle of ``page``'s proportions centred in ``area``."""
    scaled = page.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = area.x() + (area.width() - scaled.width()) // 2
    y = area.y() + (area.height() - scaled.height()) // 2
    return QRect(x, y, scaled.width(), scaled.height())


def _page_image(document: QPdfDocument, page: int, target: QSize, dpi: int) -> QImage:
    """Page ``page`` rendered for ``target`` printer pixels (at most MAX_RENDER_DPI), on white."""
    factor = min(1.0, MAX_RENDER_DPI / dpi)
    size = QSize(max(1, round(target.width() * factor)), max(1, round(target.height() * factor)))
    rendered = document.render(page, size)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.drawImage(QPointF(0, 0), rendered)
    painter.end()
    return image


def print_pdf(
    pdf: bytes,
    printer: QPrinter,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Paint every page of ``pdf`` (or the printer's page range) onto ``printer``.

    Each page is fitted into the printer's printable area, keeping its proportions. Returns
    the number of pages printed; raises BmtError when the PDF cannot be read or the printer
    cannot be started.
    """
    document, _buffer = load_pdf(pdf)
    count = document.pageCount()
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage(), min(count, printer.toPage() or count)
    pages = list(range(first - 1, last))
    if not pages:
        raise BmtError(_("The chosen page range holds no page of this document."))
    # A landscape document (ledgers, collectibility) turns portrait paper sideways instead
    # of printing shrunk; paper already wider than tall (a receipt) stays as it is.
    first_size = document.pagePointSize(pages[0])
    paper = printer.pageLayout().fullRectPoints()
    if first_size.width() > first_size.height() and paper.height() > paper.width():
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    dpi = printer.resolution()
    area = printer.pageLayout().paintRectPixels(dpi)
    if not printer.fullPage():  # the painter's origin is already the printable area's corner
        area.moveTo(0, 0)
    painter = QPainter()
    if not painter.begin(printer):
        raise BmtError(_("The printer cannot be started. Check that it is on and connected."))
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for done, page in enumerate(pages):
            if done and not printer.newPage():
                raise BmtError(_("The printer stopped after {n} pages.").format(n=done))
            points = document.pagePointSize(page)
            pixels = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            target = _fit(pixels, area)
            painter.drawImage(target, _page_image(document, page, target.size(), dpi))
            if progress is not None:
                progress(done + 1, len(pages))
    finally:
        painter.end()
    return len(pages)


# --------------------------------------------------------------------------- dialogs tests bypass


def _ask_print_dialog(printer: QPrinter, parent: QWidget | None, pages: int = 0) -> bool:
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print"))
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, False)
    if pages:
        dialog.setMinMax(1, pages)
    return dialog.exec() == QDialog.DialogCode.Accepted


def _ask_page_setup(printer: QPrinter, parent: QWidget | None) -> bool:
    dialog = QPageSetupDialog(printer, parent)
    dialog.setWindowTitle(_("Page set-up"))
    return dialog.exec() == QDialog.DialogCode.Accepted


def _ask_save_path(parent: QWidget | None, suggested: str) -> str | None:
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Save as PDF"), suggested, _("PDF documents (*.pdf)")
    )
    return path or None


def _show_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.warning(parent, _("Print"), message)


# --------------------------------------------------------------------------- the dialog


def suggested_file_name(title: str) -> str:
    """A safe file name from a document title: "Laporan Verifikasi Buku.pdf"."""
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', " ", title)
    name = " ".join(name.split()).strip(". ") or "dokumen"
    return name[:120] + ".pdf"


class PdfPreviewDialog(QDialog):
    """All pages of a PDF, fitted to the width, with Print, Page set-up, Zoom and Save."""

    def __init__(self, pdf: bytes, title: str, kind: DocumentKind,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.title = title
        self.kind = DocumentKind(kind)
        self.document, self._buffer = load_pdf(pdf)
        self.document.setParent(self)
        self._buffer.setParent(self)
        self.setWindowTitle(_("Preview: {title}").format(title=title))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.print_action = self._action(_("Print…"), self.print_document,
                                         QKeySequence.StandardKey.Print)
        self.page_setup_action = self._action(_("Page set-up…"), self.page_setup)
        self.toolbar.addSeparator()
        self.zoom_in_action = self._action(_("Zoom in"), self.zoom_in,
                                           QKeySequence.StandardKey.ZoomIn, "Ctrl+=")
        self.zoom_out_action = self._action(_("Zoom out"), self.zoom_out,
                                            QKeySequence.StandardKey.ZoomOut)
        self.fit_width_action = self._action(_("Fit width"), self.fit_width, "Ctrl+0")
        self.toolbar.addSeparator()
        self.save_action = self._action(_("Save as PDF…"), self.save_as,
                                        QKeySequence.StandardKey.Save)
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.page_label = QLabel(self.toolbar)
        self.page_label.setContentsMargins(8, 0, 8, 0)
        self.toolbar.addWidget(self.page_label)
        self.close_action = self._action(_("Close"), self.reject, "Esc")

        self.status_label = QLabel(self)
        self.status_label.setContentsMargins(8, 2, 8, 4)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)

        self.view.pageNavigator().currentPageChanged.connect(self._show_page)
        self._show_page(0)
        self.resize(820, 900)

    def _action(self, label: str, slot: Callable[[], object],
                *shortcuts: QKeySequence.StandardKey | str) -> QAction:
        action = QAction(label, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(key) for key in shortcuts])
            shown = QKeySequence(shortcuts[0]).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{label} ({shown})")
        action.triggered.connect(lambda _checked=False: slot())
        self.toolbar.addAction(action)
        return action

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def _show_page(self, page: int) -> None:
        self.page_label.setText(
            _("Page {page} of {pages}").format(page=page + 1, pages=self.page_count)
        )

    # ------------------------------------------------------------------ zoom

    def _current_zoom(self) -> float:
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            return self.view.zoomFactor()
        screen = QGuiApplication.primaryScreen()
        per_point = (screen.logicalDotsPerInch() if screen else 96) / 72
        widest = max(self.document.pagePointSize(p).width() for p in range(self.page_count))
        margins = self.view.documentMargins()
        room = self.view.viewport().width() - margins.left() - margins.right()
        return max(ZOOM_RANGE[0], room / (widest * per_point)) if widest > 0 else 1.0

    def _zoom_to(self, factor: float) -> None:
        factor = min(max(factor, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)

    def zoom_in(self) -> None:
        self._zoom_to(self._current_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_to(self._current_zoom() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # ------------------------------------------------------------------ print, set-up, save

    def _progress(self, done: int, total: int) -> None:
        self.status_label.setText(_("Printing page {page} of {pages}…").format(
            page=done, pages=total))
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def print_document(self) -> int:
        """Ask for the printer, print every page, remember the printer; pages printed or 0."""
        printer = printer_for(self.kind)
        printer.setDocName(self.title)
        if not _ask_print_dialog(printer, self, self.page_count):
            return 0
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pages = print_pdf(self.pdf, printer, progress=self._progress)
        except BmtError as error:
            QGuiApplication.restoreOverrideCursor()
            self.status_label.setText("")
            _show_error(self, error.message)
            return 0
        QGuiApplication.restoreOverrideCursor()
        remember_printer(self.kind, printer)
        self.status_label.setText(_("{n} pages sent to the printer.").format(n=pages))
        return pages

    def page_setup(self) -> bool:
        printer = printer_for(self.kind)
        if not _ask_page_setup(printer, self):
            return False
        native = printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
        save_layout(self.kind, printer.pageLayout(), printer.printerName() if native else None)
        self.status_label.setText(_("Page set-up saved for this kind of document."))
        return True

    def save_as(self) -> str | None:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        suggested = str(Path(folder) / suggested_file_name(self.title))
        path = _ask_save_path(self, suggested)
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            Path(path).write_bytes(self.pdf)
        except OSError as error:
            _show_error(self, _("The file could not be saved: {error}").format(
                error=error.strerror or error))
            return None
        self.status_label.setText(_("Saved to {path}.").format(path=path))
        return path
