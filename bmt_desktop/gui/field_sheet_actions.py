"""The Kube tab's field collection sheet: "Export collection sheet…" writes the XLSX for the
chosen Kube's next meeting; "Import collection sheet…" opens the import wizard on a filled
sheet of that Kube. Both are called from the Meetings sub-tab (kube_pages)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.gui import import_dialog
from bmt_desktop.gui.tabs.kube_common import DateField, hbox
from bmt_desktop.gui.tabs.teller_forms import ERROR_STYLE, error_text
from bmt_desktop.i18n import _
from bmt_desktop.services.field_sheet import export_collection_sheet
from bmt_desktop.services.report_export import write_file
from bmt_desktop.services.session import Session

if TYPE_CHECKING:
    from bmt_desktop.gui.tabs.kube_tab import KubeDetail


def save_sheet(session: Session, kube_id: int, day: dt.date, path: str) -> str:
    """Export the sheet and write it (on the worker): the id is recorded, then the file."""
    return str(write_file(path, export_collection_sheet(session, kube_id, day)))


def ask_meeting_date(parent: QWidget | None, default: dt.date) -> dt.date | None:
    """The date of the meeting the sheet is for (a small modal question tests can answer)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(_("Export collection sheet"))
    field = DateField(default)
    error = QLabel()
    error.setStyleSheet(ERROR_STYLE)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Export…"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    chosen: list[dt.date] = []

    def accept() -> None:
        try:
            chosen.append(field.read(_("Meeting date")))
        except ValidationError as problem:
            error.setText(problem.message)
            return
        dialog.accept()

    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(_("The sheet lists the Kube's members with what is expected of "
                              "them at this meeting; the field mentor fills it in.")))
    layout.addWidget(hbox(QLabel(_("Meeting date:")), field))
    layout.addWidget(error)
    layout.addWidget(buttons)
    return chosen[0] if dialog.exec() == QDialog.DialogCode.Accepted and chosen else None


def export_sheet(detail: KubeDetail) -> None:
    row = detail.row
    if row is None:
        return
    day = ask_meeting_date(detail, detail.session.today)
    if day is None:
        return
    name = f"lembar-tagihan-{row.code}-{day.isoformat()}.xlsx"
    path = import_dialog.choose_save_path(detail, _("Save the collection sheet"), name,
                                          _("Excel workbook (*.xlsx)"))
    if not path:
        return
    if not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    detail.worker.submit(
        save_sheet, detail.session, row.id, day, path,
        on_done=lambda written: detail.say(_("Collection sheet written: {path}. It can be "
                                             "imported once.").format(path=written)),
        on_error=lambda error: detail.say(error_text(error), ERROR_STYLE),
        label=_("Writing the collection sheet…"), parent=detail)


def import_sheet(detail: KubeDetail) -> None:
    row = detail.row
    if row is None:
        return
    dialog = import_dialog.ImportDialog(detail.session, detail.worker, detail,
                                        kind="collection_sheet", kube_id=row.id)
    dialog.finished.connect(lambda _result: detail.after_change())
    detail.dialog = dialog
    dialog.open()
    dialog.choose()
