"""Page set-up and printer remembered per kind of document (receipt, passbook, A4 report).

Kept in ``QSettings()`` under ``page_setup/<kind>/``: the page size (a Qt page size name such
as ``A4``, or ``Custom`` with its width and height in mm), the orientation, the four margins
in mm and the printer's name. Anything missing or unreadable falls back to the default.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QMarginsF, QSettings, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from bmt_desktop.i18n import _

GROUP = "page_setup"
_MM = QPageLayout.Unit.Millimeter
_PORTRAIT = QPageLayout.Orientation.Portrait
_LANDSCAPE = QPageLayout.Orientation.Landscape


class DocumentKind(StrEnum):
    RECEIPT = "receipt"
    PASSBOOK = "passbook"
    A4 = "a4"


def _custom_size(width_mm: float, height_mm: float, name: str = "") -> QPageSize:
    return QPageSize(QSizeF(width_mm, height_mm), QPageSize.Unit.Millimeter, name,
                     QPageSize.SizeMatchPolicy.ExactMatch)


def default_layout(kind: DocumentKind) -> QPageLayout:
    """Receipt: 210 × 140 mm (a kuitansi, A4 width); passbook: 140 × 200 mm; A4 report.

    Every document is drawn at its paper size with its own margins (a line on a pre-printed
    passbook page must land where it belongs; an A4 report has its letterhead margins), so
    all print edge to edge at full scale; the printer raises the margins to its own minimum
    where it must.
    """
    if kind is DocumentKind.RECEIPT:
        size, margins = _custom_size(210, 140, _("Receipt 210 × 140 mm")), QMarginsF()
    elif kind is DocumentKind.PASSBOOK:
        size, margins = _custom_size(140, 200, _("Passbook 140 × 200 mm")), QMarginsF()
    else:
        size, margins = QPageSize(QPageSize.PageSizeId.A4), QMarginsF()
    return QPageLayout(size, _PORTRAIT, margins, _MM)


def _key(kind: DocumentKind, name: str) -> str:
    return f"{GROUP}/{DocumentKind(kind).value}/{name}"


def _float(settings: QSettings, key: str) -> float:
    value = float(settings.value(key))  # raises on a missing or garbled value
    if not 0 <= value < 10_000:
        raise ValueError(key)
    return value


def load_layout(kind: DocumentKind) -> QPageLayout:
    """The page layout last saved for ``kind``, or its default."""
    settings = QSettings()
    kind = DocumentKind(kind)
    if settings.value(_key(kind, "page_size")) is None:
        return default_layout(kind)
    try:
        size_name = str(settings.value(_key(kind, "page_size")))
        width = _float(settings, _key(kind, "width_mm"))
        height = _float(settings, _key(kind, "height_mm"))
        if size_name == "Custom" or size_name not in QPageSize.PageSizeId.__members__:
            if width <= 0 or height <= 0:
                raise ValueError("empty page")
            size = _custom_size(width, height, str(settings.value(_key(kind, "page_name"), "")))
        else:
            size = QPageSize(QPageSize.PageSizeId[size_name])
        orientation = (
            _LANDSCAPE if settings.value(_key(kind, "orientation")) == "landscape" else _PORTRAIT
        )
        margins = QMarginsF(*(
            _float(settings, _key(kind, f"margin_{side}_mm"))
            for side in ("left", "top", "right", "bottom")
        ))
    except (TypeError, ValueError, KeyError):
        return default_layout(kind)
    layout = QPageLayout(size, orientation, margins, _MM)
    return layout if layout.isValid() else default_layout(kind)


def save_layout(kind: DocumentKind, layout: QPageLayout, printer_name: str | None) -> None:
    """Remember ``layout`` (and the printer, when named) for ``kind``."""
    settings = QSettings()
    kind = DocumentKind(kind)
    size = layout.pageSize()
    width_height = size.size(QPageSize.Unit.Millimeter)
    size_id = size.id()
    settings.setValue(
        _key(kind, "page_size"),
        "Custom" if size_id == QPageSize.PageSizeId.Custom else size_id.name,
    )
    settings.setValue(_key(kind, "page_name"), size.name())
    settings.setValue(_key(kind, "width_mm"), round(width_height.width(), 2))
    settings.setValue(_key(kind, "height_mm"), round(width_height.height(), 2))
    settings.setValue(
        _key(kind, "orientation"),
        "landscape" if layout.orientation() == _LANDSCAPE else "portrait",
    )
    margins = layout.margins(_MM)
    for side, value in (("left", margins.left()), ("top", margins.top()),
                        ("right", margins.right()), ("bottom", margins.bottom())):
        settings.setValue(_key(kind, f"margin_{side}_mm"), round(value, 2))
    if printer_name:
        settings.setValue(_key(kind, "printer"), printer_name)
    settings.sync()


def remembered_printer_name(kind: DocumentKind) -> str | None:
    value = QSettings().value(_key(kind, "printer"))
    return str(value) if value else None


def printer_for(kind: DocumentKind) -> QPrinter:
    """A high-resolution printer with ``kind``'s layout, on the remembered printer if present."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    name = remembered_printer_name(kind)
    # The printer first: choosing one may reset the page to that printer's default.
    if name and name in QPrinterInfo.availablePrinterNames():
        printer.setPrinterName(name)
    printer.setPageLayout(load_layout(kind))
    return printer


def remember_printer(kind: DocumentKind, printer: QPrinter) -> None:
    """Save the printer's layout for ``kind``, and its name when it is a real printer."""
    native = printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
    save_layout(kind, printer.pageLayout(), printer.printerName() if native else None)
