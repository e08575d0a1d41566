"""About the program: version, the open book, the libraries and the fonts' licence."""

from __future__ import annotations

import html
import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop import APP_NAME, __version__
from bmt_desktop.i18n import _
from bmt_desktop.locator import resources_dir

NOTE_STYLE = "color: #5f6368;"


def fonts_licence_path() -> Path:
    return resources_dir() / "fonts" / "DejaVu-LICENSE.txt"


def reportlab_version() -> str:
    try:
        import reportlab
    except ImportError:  # pragma: no cover - a dependency; only a broken install lacks it
        return "—"
    return str(reportlab.Version)


def _value(text: str, monospace: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if monospace:
        label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return label


class AboutDialog(QDialog):
    def __init__(self, book_path: str | None = None, schema_version: int | None = None,
                 chain_head: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About {program}").format(program=APP_NAME))
        none = _("(no book open)")

        title = QLabel(APP_NAME)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        self.version_label = QLabel(_("Version {version}").format(version=__version__))
        description = QLabel(_(
            "Bookkeeping for one BMT office and its Kube empowerment programme, kept on this "
            "computer."
        ))
        description.setWordWrap(True)

        book = QGroupBox(_("The open book"))
        book_form = QFormLayout(book)
        self.book_label = _value(book_path or none)
        book_form.addRow(_("File"), self.book_label)
        self.schema_label = _value(str(schema_version) if schema_version is not None else "—")
        book_form.addRow(_("Schema version"), self.schema_label)
        self.chain_label = _value(chain_head or "—", monospace=bool(chain_head))
        book_form.addRow(_("Audit chain head"), self.chain_label)

        parts = QGroupBox(_("Components"))
        parts_form = QFormLayout(parts)
        parts_form.addRow("Python", _value(platform.python_version()))
        parts_form.addRow("Qt", _value(f"{qVersion()} (PySide6 {pyside_version})"))
        parts_form.addRow("ReportLab", _value(reportlab_version()))

        licence_file = fonts_licence_path()
        url = html.escape(QUrl.fromLocalFile(str(licence_file)).toString())
        link = f'<a href="{url}">{html.escape(licence_file.name)}</a>'
        licence = QLabel(_(
            "The printouts use the DejaVu fonts, free to use and to pass on under the "
            "Bitstream Vera licence; the full text is in {link}."
        ).format(link=link))
        licence.setWordWrap(True)
        licence.setOpenExternalLinks(True)
        licence.setStyleSheet(NOTE_STYLE)
        self.licence_label = licence

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        self.close_button = close

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 12)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.version_label)
        layout.addWidget(description)
        layout.addWidget(book)
        layout.addWidget(parts)
        layout.addWidget(licence)
        layout.addWidget(buttons)
        close.setFocus()
        self.resize(560, 0)
