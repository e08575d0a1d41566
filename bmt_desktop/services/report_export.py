"""Writing a report to a file: PDF, XLSX, CSV or JSON, chosen by the file's extension.

The file is written beside its target and moved into place only when complete, so a full
disk or a refused folder leaves nothing half-written; the message says what went wrong in
Indonesian. JSON has the shape ``{"report", "period", "rows", "totals"}``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import tempfile
from pathlib import Path

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.i18n import _
from bmt_desktop.printing.layout import Letterhead
from bmt_desktop.services.office import get_logo, get_profile
from bmt_desktop.services.report_model import Report
from bmt_desktop.services.session import Session

FORMATS = ("pdf", "xlsx", "csv", "json")


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _public(row: dict[str, object]) -> dict[str, object]:
    return {k: _plain(v) for k, v in row.items() if not k.startswith("_")}


def to_json(report: Report) -> bytes:
    data = {"report": report.name, "period": report.period,
            "start": report.start.isoformat(), "end": report.end.isoformat(),
            "title": report.title,
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind}
                        for c in report.columns],
            "rows": [_public(r) for r in report.rows],
            "totals": _public(report.totals), "notes": report.notes}
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def to_csv(report: Report) -> bytes:
    """Semicolon-separated with a BOM, as Excel in Indonesia opens it; amounts as plain
    integers so that they stay numbers."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.label for c in report.columns])
    for row in report.rows:
        writer.writerow(["" if row.get(c.key) is None else _plain(row.get(c.key))
                         for c in report.columns])
    if report.totals and any(c.key in report.totals for c in report.columns):
        writer.writerow([_plain(report.totals.get(c.key, "")) if c.key in report.totals
                         else (_("Total") if i == 0 else "")
                         for i, c in enumerate(report.columns)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: Report, office: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = report.name[:31]
    sheet.append([office])
    sheet.append([report.title])
    sheet.append([report.period_label])
    sheet.append([])
    sheet.append([c.label for c in report.columns])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE8E2")
    sheet["A1"].font = Font(bold=True, size=12)
    sheet["A2"].font = Font(bold=True)
    formats = {"money": "#,##0", "int": "#,##0", "pct": "0.00", "date": "DD/MM/YYYY"}

    def put(row: dict[str, object], bold: bool) -> None:
        values = []
        for c in report.columns:
            value = row.get(c.key)
            if c.kind == "date" and isinstance(value, str) and len(value) == 10:
                with contextlib.suppress(ValueError):
                    value = dt.date.fromisoformat(value)
            values.append(value)
        sheet.append(values)
        for c, cell in zip(report.columns, sheet[sheet.max_row], strict=False):
            if c.kind in formats:
                cell.number_format = formats[c.kind]
            if bold:
                cell.font = Font(bold=True)

    for row in report.rows:
        put(row, row.get("_style") in ("heading", "subtotal", "total"))
    if report.totals and any(c.key in report.totals for c in report.columns):
        put({**{c.key: report.totals.get(c.key) for c in report.columns},
             report.columns[0].key: report.totals.get(report.columns[0].key, _("Total"))},
            True)
    for note in report.notes:
        sheet.append([note])
    for index, c in enumerate(report.columns, start=1):
        letter = sheet.cell(row=header_row, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, min(60, 14 * c.width))
        if c.kind in formats:
            sheet.cell(row=header_row, column=index).alignment = Alignment(horizontal="right")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def letterhead(session: Session) -> Letterhead:
    return Letterhead.of(get_profile(session.book), get_logo(session.book))


def render(session: Session, report: Report, fmt: str) -> bytes:
    if fmt == "pdf":
        from bmt_desktop.printing.report_pdf import render_report

        return render_report(report, letterhead(session),
                             dt.datetime.now().replace(microsecond=0))
    if fmt == "xlsx":
        return to_xlsx(report, get_profile(session.book).name)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "json":
        return to_json(report)
    raise ValidationError(_("Save as .pdf, .xlsx, .csv or .json (not {ext}).").format(
        ext=fmt[:10] or "-"))


def format_of(path: str | Path) -> str:
    ext = Path(path).suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise ValidationError(_("Save as .pdf, .xlsx, .csv or .json (not {ext}).").format(
            ext=ext[:10] or "-"))
    return ext


def write_file(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` completely or not at all."""
    target = Path(path).expanduser()
    folder = target.parent
    if not folder.is_dir():
        raise ValidationError(_("The folder {folder} does not exist.").format(folder=folder))
    if target.is_dir():
        raise ValidationError(_("{path} is a folder, not a file name.").format(path=target))
    try:
        handle, temp = tempfile.mkstemp(prefix=".bmt-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except PermissionError:
        raise ValidationError(_("{path} cannot be written: no permission (is the folder "
                                "read-only or the file open in another program?).").format(
            path=target)) from None
    except OSError as error:
        raise ValidationError(_("{path} cannot be written: {reason}.").format(
            path=target, reason=error.strerror or error)) from None
    return target


def export(session: Session, report: Report, path: str | Path) -> Path:
    return write_file(path, render(session, report, format_of(path)))
