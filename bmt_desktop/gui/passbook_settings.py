"""Passbook printer settings of this PC: lines per page, line positions and offsets.

No standard exists (20 and 30 lines are both in use; dot-matrix printers each feed a little
differently), so they are set per PC and kept in QSettings.
"""

from __future__ import annotations

from dataclasses import fields, replace

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.i18n import _
from bmt_desktop.printing.passbook import PassbookLayout

_KEY = "passbook_printer/"
_EDITABLE = ("lines_per_page", "first_line_top_mm", "line_height_mm", "left_offset_mm",
             "top_offset_mm", "middle_gap_after_line", "middle_gap_mm", "page_width_mm",
             "page_height_mm")


def passbook_layout() -> PassbookLayout:
    """The layout saved on this PC (defaults for what was never set or cannot be read)."""
    settings = QSettings()
    layout = PassbookLayout()
    changes = {}
    for item in fields(PassbookLayout):
        if item.name not in _EDITABLE:
            continue
        raw = settings.value(_KEY + item.name)
        if raw is None:
            continue
        try:
            value = float(raw) if item.name.endswith("_mm") else int(raw)
        except (TypeError, ValueError):
            continue
        changes[item.name] = value
    try:
        return replace(layout, **changes)
    except (TypeError, ValueError):
        return layout


def save_passbook_layout(layout: PassbookLayout) -> None:
    settings = QSettings()
    for name in _EDITABLE:
        settings.setValue(_KEY + name, getattr(layout, name))
    settings.sync()


class PassbookPrinterDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Passbook printer"))
        current = passbook_layout()
        self.boxes: dict[str, QSpinBox | QDoubleSpinBox] = {}
        form = QFormLayout()
        labels = {
            "lines_per_page": (_("Lines per page"), 5, 60, ""),
            "first_line_top_mm": (_("First line from the top"), 0, 150, " mm"),
            "line_height_mm": (_("Line height"), 3, 20, " mm"),
            "left_offset_mm": (_("Shift to the right"), -30, 30, " mm"),
            "top_offset_mm": (_("Shift down"), -30, 30, " mm"),
            "middle_gap_after_line": (_("Fold after line (0 = none)"), 0, 59, ""),
            "middle_gap_mm": (_("Extra gap at the fold"), 0, 50, " mm"),
            "page_width_mm": (_("Page width"), 80, 250, " mm"),
            "page_height_mm": (_("Page height"), 80, 350, " mm"),
        }
        for name, (label, low, high, suffix) in labels.items():
            value = getattr(current, name)
            box: QSpinBox | QDoubleSpinBox
            if not name.endswith("_mm"):  # counts of lines; the rest are millimetres
                box = QSpinBox()
            else:
                box = QDoubleSpinBox()
                box.setDecimals(1)
                box.setSingleStep(0.5)
            box.setRange(low, high)
            box.setSuffix(suffix)
            box.setValue(value)
            self.boxes[name] = box
            form.addRow(label, box)
        note = QLabel(_("Print a test page after a change: the lines must land on the book's "
                        "printed rows."))
        note.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen(self) -> PassbookLayout:
        return replace(PassbookLayout(), **{name: box.value() for name, box in self.boxes.items()})

    def save(self) -> None:
        try:
            layout = self.chosen()
        except (TypeError, ValueError) as error:
            self.error.setText(str(error))
            return
        save_passbook_layout(layout)
        self.accept()
