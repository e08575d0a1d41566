"""The printed result of ``verify``: what was checked, what was found, and a clear verdict."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import PureWindowsPath

from babel.numbers import format_decimal
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from bmt_desktop.i18n import _
from bmt_desktop.printing.layout import (
    BAD,
    GOOD,
    Letterhead,
    OfficeLike,
    build_report,
    data_table,
    format_printed_at,
    report_styles,
    text,
)
from bmt_desktop.store.verify import MAX_LISTED, VerifyReport

WIDTH = 180 * mm  # A4 less the two 15 mm margins


def check_label(check: str) -> str:
    """The Indonesian name of a check of ``store.verify`` (its code when unknown)."""
    labels = {
        "integrity_check": _("SQLite file integrity"),
        "foreign_key_check": _("References between tables"),
        "triggers": _("Protecting triggers in place"),
        "journal_balance": _("Every journal balances"),
        "account_balance": _("Account balances match their journal lines"),
        "doc_numbers": _("Document numbers without gaps"),
        "closed_periods": _("Closed periods left untouched"),
        "hash_chain": _("Hash chain of the audit log"),
        "journal_chain": _("Journals match the audit chain"),
    }
    return labels.get(check, check)


def _number(value: int) -> str:
    return format_decimal(value, locale="id_ID")


def _coloured(escaped: str, colour: Color) -> Paragraph:
    return Paragraph(f'<font color="#{colour.hexval()[2:]}"><b>{escaped}</b></font>',
                     report_styles().cell)


def _sha_cell(actual: str | None, expected: str | None) -> list[Flowable]:
    styles = report_styles()
    if actual is None:
        return [Paragraph(text(_("not computed")), styles.cell)]
    cell: list[Flowable] = [Paragraph(text(actual), styles.mono)]
    if expected is None:
        note = text(_("no .sha256 file to compare with"))
        cell.append(Paragraph(note, styles.small))
    elif actual.lower() == expected.strip().lower():
        note = text(_("matches the .sha256 file"))
        cell.append(_coloured(note, GOOD))
    else:
        note = text(_("does NOT match the .sha256 file; expected:"))
        cell.append(_coloured(note, BAD))
        cell.append(Paragraph(text(expected.strip()), styles.mono))
    return cell


def _verdict(report: VerifyReport, failed_checks: int, sha_mismatch: bool) -> Table:
    styles = report_styles()
    if report.ok and not sha_mismatch:
        message, fill = _("RESULT: PASSED — the book is whole, every check passed."), GOOD
    else:
        reasons = []
        if not report.ok:
            reasons.append(_("problems in {n} of {total} checks").format(
                n=failed_checks, total=len(report.checks)))
        if sha_mismatch:
            reasons.append(_("the file's SHA-256 does not match"))
        message = _("RESULT: NOT PASSED — {reasons}.").format(reasons="; ".join(reasons))
        fill = BAD
    box = Table([[Paragraph(text(message), styles.verdict)]], colWidths=[WIDTH])
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
    ]))
    return box


def _summary(report: VerifyReport, printed_at: dt.datetime, sha: str | None,
             expected: str | None) -> Table:
    styles = report_styles()

    def label(value: str) -> Paragraph:
        return Paragraph(text(value), styles.cell_bold)

    rows = [
        [label(_("Book file")), Paragraph(text(report.path), styles.mono)],
        [label(_("Printed at")), Paragraph(text(format_printed_at(printed_at)), styles.cell)],
        [label(_("Journals")), Paragraph(_number(report.journals), styles.cell)],
        [label(_("Audit log entries")), Paragraph(_number(report.chain_length), styles.cell)],
        [label(_("Head of the hash chain")), [
            Paragraph(text(report.chain_head), styles.mono),
            Paragraph(text(_("Write this value down outside the book (on the signed month-end "
                             "report): a later check proves that nothing before it was "
                             "removed or altered.")), styles.small),
        ]],
        [label(_("SHA-256 of the file")), _sha_cell(sha, expected)],
    ]
    table = data_table(rows, [45 * mm, WIDTH - 45 * mm], header=False)
    return table


def _check_rows(report: VerifyReport) -> tuple[list[list], list[tuple], int]:
    styles = report_styles()
    counts = Counter(problem.check for problem in report.problems)
    rows: list[list] = [[_("No."), _("Check"), _("Result")]]
    colours: list[tuple] = []
    for number, check in enumerate(report.checks, start=1):
        found = counts.get(check, 0)
        if not found:
            result = _("Passed")
        elif found > MAX_LISTED:  # the last line only says how many more there were
            result = _("more than {n} problems").format(n=MAX_LISTED)
        else:
            result = _("{n} problems").format(n=found)
        rows.append([str(number), Paragraph(text(check_label(check)), styles.cell), result])
        colours.append(("TEXTCOLOR", (2, number), (2, number), BAD if found else GOOD))
    failed = sum(1 for check in report.checks if counts.get(check))
    return rows, colours, failed


def _problem_table(report: VerifyReport) -> Table:
    styles = report_styles()
    rows: list[list] = [[_("No."), _("Check"), _("Description")]]
    for number, problem in enumerate(report.problems, start=1):
        rows.append([
            str(number),
            Paragraph(text(check_label(problem.check)), styles.cell),
            Paragraph(text(problem.message), styles.cell),
        ])
    return data_table(rows, [12 * mm, 50 * mm, WIDTH - 62 * mm])


def render_verify_report(
    report: VerifyReport,
    office: OfficeLike,
    *,
    logo: bytes | None,
    printed_at: dt.datetime,
    snapshot_sha256: str | None,
    snapshot_sha256_expected: str | None,
) -> bytes:
    """An A4 PDF "Laporan Verifikasi Buku"; the verdict fails on any problem or SHA mismatch."""
    styles = report_styles()
    sha_mismatch = (
        snapshot_sha256 is not None
        and snapshot_sha256_expected is not None
        and snapshot_sha256.lower() != snapshot_sha256_expected.strip().lower()
    )
    check_rows, colours, failed = _check_rows(report)
    checks = data_table(check_rows, [12 * mm, WIDTH - 52 * mm, 40 * mm])
    checks.setStyle(TableStyle(colours))
    story: list[Flowable] = [
        _verdict(report, failed, sha_mismatch),
        Spacer(1, 4 * mm),
        _summary(report, printed_at, snapshot_sha256, snapshot_sha256_expected),
        Paragraph(text(_("Checks")), styles.heading),
        checks,
        Paragraph(text(_("Problems found")), styles.heading),
    ]
    if report.problems:
        story.append(_problem_table(report))
    else:
        story.append(Paragraph(text(_("No problems were found.")), styles.body))
    name = PureWindowsPath(report.path).name or report.path
    return build_report(
        story,
        letterhead=Letterhead.of(office, logo),
        title=_("Book Verification Report"),
        subtitle=_("Book file: {name}").format(name=name),
        printed_at=printed_at,
    )
