"""Qt's own texts (standard buttons, the line-edit menu, file and print dialogs) in Indonesian.

Qt ships no Indonesian catalog for qtbase, so these texts live in our gettext catalog and a
QTranslator hands them to Qt.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from bmt_desktop import i18n


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark, translate later"
    return message


# The Qt source texts a BMT user meets; contexts do not matter for these words.
QT_MESSAGES = (
    N_("OK"), N_("&OK"), N_("Cancel"), N_("&Cancel"), N_("&Yes"), N_("&No"), N_("Yes"),
    N_("No"), N_("Yes to &All"), N_("N&o to All"), N_("Close"), N_("&Close"), N_("Save"),
    N_("&Save"), N_("Open"), N_("&Open"), N_("Apply"), N_("Reset"), N_("Help"), N_("Abort"),
    N_("Retry"), N_("Ignore"), N_("Discard"), N_("Don't Save"), N_("Close without Saving"),
    N_("Restore Defaults"), N_("Show Details..."), N_("Hide Details..."),
    N_("&Undo"), N_("&Redo"), N_("Cu&t"), N_("&Copy"), N_("&Paste"), N_("Delete"),
    N_("Select All"), N_("Look in:"), N_("File &name:"), N_("Files of type:"),
    N_("All Files (*)"), N_("Back"), N_("Forward"), N_("Parent Directory"),
    N_("Create New Folder"), N_("List View"), N_("Detail View"), N_("Name"), N_("Size"),
    N_("Type"), N_("Date Modified"), N_("&Print"), N_("Print"), N_("Page Setup"),
    N_("Printer"), N_("&Name:"), N_("&Properties"), N_("Location:"), N_("Type:"),
    N_("Output &file:"), N_("Copies"), N_("Copies:"), N_("Collate"), N_("Pages"),
    N_("Print all"), N_("Pages from"), N_("to"), N_("Print range"), N_("Options"),
    N_("Paper"), N_("Page size:"), N_("Width:"), N_("Height:"), N_("Orientation"),
    N_("Portrait"), N_("Landscape"), N_("Margins"), N_("top margin"),
    N_("bottom margin"), N_("left margin"), N_("right margin"),
)


class CatalogTranslator(QTranslator):
    """Answers Qt's ``tr()`` look-ups from the gettext catalog."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        # None (a null QString) lets Qt keep its own text; an empty string would blank it
        # (an "OK" that translates to itself came out as a button without a label).
        if not source:
            return None
        translated = i18n._(source)
        return translated if translated and translated != source else None

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API)
        return False
