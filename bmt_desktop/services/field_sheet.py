"""Field collection: a Kube's collection sheet exported as XLSX for its next meeting, filled in
by the field mentor, and imported back as the meeting with its collection sheet.

The export records the sheet's id (table ``field_sheet``); the import checks the sheet (id
known, not imported before, the Kube's, members still members, amounts valid), then holds
the meeting: one atomic posting through the teller's drawer with one group receipt. A sheet
is imported once; a dry run shows what would be posted and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, replace

from bmt_desktop.domain.dates import EARLIEST_DATE, format_date_id, parse_date
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.financing_rules import arrears
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action, is_allowed
from bmt_desktop.domain.profit_sharing import largest_remainder
from bmt_desktop.i18n import _
from bmt_desktop.services import field_sheet_xlsx as layout
from bmt_desktop.services import import_values as values
from bmt_desktop.services import kube
from bmt_desktop.services.drawer import require_open_drawer
from bmt_desktop.services.financing_payments import SheetInstalments
from bmt_desktop.services.financing_state import facts
from bmt_desktop.services.importing import ImportRefused, ImportReport, Problem, atomic_import
from bmt_desktop.services.office import get_profile
from bmt_desktop.services.savings import check_whole_months, wajib_status
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append, utc_now


def _conn(session: Session):  # noqa: ANN202 - sqlite3.Connection
    return session.book.raw()


# ------------------------------------------------------------------------------- export
def expected_rows(session: Session, kube_id: int, day: dt.date) -> list[layout.ExpectedRow]:
    """Each member of the Kube on ``day`` with what is expected of them at the meeting: the
    wajib in arrears (the meeting's month included), the instalment fallen due (their share
    of the Kube's financing, else their own financing) and the IKS they paid last time."""
    session.require(Action.LEDGER_VIEW, writes=False)
    conn = _conn(session)
    members = kube.current_members(session, kube_id, day)
    on_day = replace(session, today=day)
    group, notes = _group_instalments(conn, kube_id, day)
    rows = []
    for member_id, number, name in members:
        note = notes.get(member_id, "")
        has_wajib = conn.execute(
            "SELECT 1 FROM savings_account s JOIN savings_product p ON p.id = s.product_id "
            "WHERE s.member_id = ? AND p.kind = 'wajib' AND s.status = 'aktif'",
            (member_id,)).fetchone() is not None
        wajib = wajib_status(on_day, member_id).arrears_amount if has_wajib else 0
        if not has_wajib:
            note = note or "tidak punya rekening simpanan wajib"
        if member_id in group:
            angsuran = group[member_id]
        else:
            angsuran, own_note = _own_instalment(conn, member_id, day)
            note = note or own_note
        (iks,) = conn.execute(
            "SELECT coalesce((SELECT l.credit FROM journal_line l JOIN account a "
            "ON a.id = l.account_id WHERE a.code = ? AND l.kube_id = ? AND l.member_id = ? "
            "AND l.credit > 0 ORDER BY l.journal_id DESC LIMIT 1), 0)",
            (kube.IKS_ACCOUNT, kube_id, member_id)).fetchone()
        rows.append(layout.ExpectedRow(member_id, number, name, wajib, angsuran, int(iks),
                                       note))
    return rows


def _due(conn, financing_id: int, day: dt.date) -> int:  # noqa: ANN001 - sqlite3.Connection
    f = facts(conn, financing_id)
    principal, margin = arrears(f.states, day)
    return principal + margin + f.charges_left


def _group_instalments(conn, kube_id: int, day: dt.date  # noqa: ANN001
                       ) -> tuple[dict[int, int], dict[int, str]]:
    """Each member's share of what the Kube's running financing has due on ``day``."""
    expected: dict[int, int] = {}
    count: dict[int, int] = {}
    for (fid,) in conn.execute("SELECT id FROM financing WHERE kube_id = ? AND status = 'cair' "
                               "ORDER BY id", (kube_id,)).fetchall():
        shares = dict(conn.execute("SELECT member_id, amount FROM financing_share "
                                   "WHERE financing_id = ?", (fid,)).fetchall())
        for member, part in largest_remainder(_due(conn, fid, day), shares).items():
            expected[member] = expected.get(member, 0) + part
            count[member] = count.get(member, 0) + 1
    notes = {m: "beberapa pembiayaan kelompok: angsuran dibayar di kantor"
             for m, n in count.items() if n > 1}
    return expected, notes


def _own_instalment(conn, member_id: int, day: dt.date) -> tuple[int, str]:  # noqa: ANN001
    own = conn.execute("SELECT id FROM financing WHERE member_id = ? AND status = 'cair'",
                       (member_id,)).fetchall()
    if len(own) > 1:
        return 0, "beberapa pembiayaan: angsuran dibayar di kantor"
    return (_due(conn, own[0][0], day), "") if own else (0, "")


def export_collection_sheet(session: Session, kube_id: int, meeting_date: object) -> bytes:
    """The XLSX collection sheet of the Kube's meeting on ``meeting_date``; its id is
    recorded in the book so the filled sheet can be imported once."""
    session.require(Action.KUBE_MEETING)
    day = parse_date(meeting_date, field=_("Meeting date"))
    if day < EARLIEST_DATE or day > session.today + dt.timedelta(days=366):
        raise ValidationError(_("The meeting date {date} is not plausible.").format(
            date=format_date_id(day)))
    conn = _conn(session)
    row = conn.execute("SELECT code, name, status, formed_on FROM kube WHERE id = ?",
                       (kube_id,)).fetchone()
    if row is None:
        raise ValidationError(_("Kube {id} does not exist.").format(id=kube_id))
    code, name, status, formed = row
    if status != "aktif":
        raise ValidationError(_("Kube {name} is dissolved.").format(name=name))
    if day.isoformat() < formed:
        raise ValidationError(_("{date} is before the Kube was formed.").format(
            date=format_date_id(day)))
    rows = expected_rows(session, kube_id, day)
    if not rows:
        raise ValidationError(_("Kube {name} has no members on {date}.").format(
            name=name, date=format_date_id(day)))
    sheet_id = str(uuid.uuid4())
    now = utc_now()
    with session.book.transaction():
        conn.execute("INSERT INTO field_sheet (id, kube_id, meeting_date, exported_by, "
                     "exported_at) VALUES (?, ?, ?, ?, ?)",
                     (sheet_id, kube_id, day.isoformat(), session.user_id, now))
        append(conn, session.actor, "field_sheet.export", "field_sheet", sheet_id,
               after={"kube": code, "meeting_date": day.isoformat(), "members": len(rows)})
    header = layout.SheetHeader(sheet_id, get_profile(session.book).name, kube_id, code, name,
                                day, f"{session.full_name}, {format_date_id(session.today)}")
    return layout.write_sheet(header, rows)


# ------------------------------------------------------------------------------- import
@dataclass
class _Line:
    row: int
    member_id: int
    number: str
    name: str
    present: bool
    sheet_row: kube.SheetRow


def import_collection_sheet(session: Session, data: bytes, *, dry_run: bool,
                            kube_id: int | None = None) -> ImportReport:
    """Hold the meeting of a filled collection sheet: attendance, problems and decisions, and
    its money posted once through the teller's drawer with one group receipt. A sheet
    unknown to the book, imported before, of another Kube (``kube_id``, when given), with
    a member who left or an amount that is not whole rupiah, is refused and writes
    nothing. Raises ImportRefused (not for a dry run) when there are problems."""
    session.require(Action.KUBE_MEETING)
    sheet = layout.read_sheet(data)
    report = ImportReport("collection_sheet", rows=len(sheet.rows))
    report.preview_columns = [_("Row"), "No", _("Member"), _("Name"), "Hadir", "Wajib",
                              "Sukarela", "IKS", "Angsuran", _("Total")]
    found = _check_sheet(session, sheet, kube_id, report)
    if found is None:
        return _close(report, dry_run)
    sheet_kube, day, code, kube_name = found
    lines = _read_lines(session, sheet, sheet_kube, day, report)
    meeting = _meeting_input(sheet, sheet_kube, day, lines, report)
    total = sum(line.sheet_row.total for line in lines)
    if total:
        if not is_allowed(session.role, Action.CASH_TRANSACTION):
            report.problems.append(Problem(None, "", _(
                "the sheet holds money; a teller or the manager posts it.")))
        else:
            try:
                require_open_drawer(session)
            except ValidationError as error:
                report.problems.append(Problem(None, "", error.message))
    by_position = {position: line for position, line in enumerate(lines, start=1)}
    posted = None
    with atomic_import(session, report, dry_run):
        if not report.problems:
            try:
                saved = kube.hold_meeting(session, meeting, [ln.sheet_row for ln in lines],
                                          request_id=f"lembar-{sheet.sheet_id}")
            except ValidationError as error:
                report.problems.append(_service_problem(error.message, by_position))
            else:
                posted = saved.posted
                _conn(session).execute(
                    "UPDATE field_sheet SET imported_at = ?, imported_by = ?, meeting_id = ?, "
                    "journal_id = ? WHERE id = ? AND imported_at IS NULL",
                    (utc_now(), session.user_id, saved.meeting_id,
                     posted.id if posted else None, sheet.sheet_id))
                append(_conn(session), session.actor, "field_sheet.import", "field_sheet",
                       sheet.sheet_id, after={"kube": code, "meeting_id": saved.meeting_id,
                                              "journal": posted.doc_number if posted else None,
                                              "total": total})
    if posted is not None and report.committed:
        report.journals.append(posted.doc_number)
    present = sum(1 for line in lines if line.present)
    report.summary.append(_("{kube} · {name}, meeting of {date}: {present} of {n} present, "
                            "total {total}.").format(
        kube=code, name=kube_name, date=format_date_id(day), present=present, n=len(lines),
        total=format_rupiah(total)))
    if report.committed:
        report.summary.append(_("Posted as {number} with one group receipt; the sheet is marked "
                                "imported.").format(number=posted.doc_number) if posted
                              else _("The meeting is recorded (no money); the sheet is marked "
                                     "imported."))
    elif report.ok:
        report.summary.append(_("Dry run: the meeting can be recorded and {total} posted "
                                "through your cash drawer; nothing was written.").format(
            total=format_rupiah(total)))
    return report


def _close(report: ImportReport, dry_run: bool) -> ImportReport:
    if report.problems and not dry_run:
        raise ImportRefused(report)
    return report


def _check_sheet(session: Session, sheet: layout.FilledSheet, kube_id: int | None,
                 report: ImportReport) -> tuple[int, dt.date, str, str] | None:
    """The sheet as the book knows it; a file-level problem stops here."""
    conn = _conn(session)
    id_label = layout.LABELS["id"]
    row = conn.execute(
        "SELECT f.kube_id, f.meeting_date, f.imported_at, u.full_name, j.doc_number, k.code, "
        "k.name FROM field_sheet f JOIN kube k ON k.id = f.kube_id "
        "LEFT JOIN user u ON u.id = f.imported_by LEFT JOIN journal j ON j.id = f.journal_id "
        "WHERE f.id = ?", (sheet.sheet_id,)).fetchone()
    if row is None:
        report.problems.append(Problem(None, id_label, _(
            "the sheet {id} was not exported from this book.").format(id=sheet.sheet_id[:40])))
        return None
    sheet_kube, meeting_date, imported_at, imported_by, doc, code, name = row
    day = dt.date.fromisoformat(meeting_date)
    if imported_at is not None:
        report.problems.append(Problem(None, id_label, _(
            "this sheet was already imported on {date} by {user}{doc}; a sheet is imported "
            "once.").format(date=imported_at[:10], user=imported_by,
                            doc=f" ({doc})" if doc else "")))
        return None
    shown_kube = values.text(sheet.shown.get("kube")).split(" ")[0].upper()
    if str(sheet.kube_id) != str(sheet_kube) or sheet.kube_code.upper() != code.upper() \
            or (shown_kube and shown_kube != code.upper()):
        report.problems.append(Problem(None, layout.LABELS["kube"], _(
            "the sheet was exported for {code} {name}, but the file names another Kube.")
            .format(code=code, name=name)))
        return None
    if kube_id is not None and kube_id != sheet_kube:
        (other,) = conn.execute("SELECT name FROM kube WHERE id = ?", (kube_id,)).fetchone() \
            or ("?",)
        report.problems.append(Problem(None, layout.LABELS["kube"], _(
            "this is the sheet of {code} {name}, not of {other}.").format(
            code=code, name=name, other=other)))
        return None
    try:
        shown_date = values.date_or_none(sheet.shown.get("date"))
    except ValidationError:
        shown_date = None
    if sheet.meeting_date != meeting_date or shown_date != day:
        report.problems.append(Problem(None, layout.LABELS["date"], _(
            "the meeting date was changed; the sheet was exported for {date}.").format(
            date=format_date_id(day))))
        return None
    if day > session.today:
        report.problems.append(Problem(None, layout.LABELS["date"], _(
            "the meeting of {date} has not taken place yet.").format(date=format_date_id(day))))
    held = conn.execute("SELECT 1 FROM kube_meeting WHERE kube_id = ? AND held_on = ?",
                        (sheet_kube, meeting_date)).fetchone()
    if held:
        report.problems.append(Problem(None, layout.LABELS["date"], _(
            "a meeting of {code} on {date} is already recorded; the sheet would record it "
            "twice.").format(code=code, date=format_date_id(day))))
    for label in sheet.missing:
        report.problems.append(Problem(sheet.header_row, label, _(
            "the column to fill in is missing.")))
    return sheet_kube, day, code, name


def _read_lines(session: Session, sheet: layout.FilledSheet, kube_id: int, day: dt.date,
                report: ImportReport) -> list[_Line]:
    conn = _conn(session)
    members = {number: (mid, name) for mid, number, name in
               kube.current_members(session, kube_id, day)}
    (monthly,) = conn.execute("SELECT fixed_amount FROM savings_product WHERE kind = 'wajib'"
                              ).fetchone() or (0,)
    instalments = SheetInstalments(session, kube_id, day)
    lines: list[_Line] = []
    seen: dict[str, int] = {}
    for filled in sheet.rows:
        cells, number = filled.cells, filled.row
        start = len(report.problems)

        def problem(column: str, message: str, row: int = number) -> None:
            report.problems.append(Problem(row, column, message))

        member_number = values.text(cells.get("member")).upper()
        if member_number in seen:
            problem("Nomor Anggota", _("the member is also on row {row}.").format(
                row=seen[member_number]))
            continue
        seen[member_number] = number
        if member_number not in members:
            known = conn.execute("SELECT name, status FROM member WHERE number = ?",
                                 (member_number,)).fetchone()
            problem("Nomor Anggota", _("{number} is not a member of this Kube on the meeting "
                                       "date.").format(number=member_number) if known else
                    _("there is no member {number}.").format(number=member_number[:30]))
            continue
        member_id, name = members[member_number]
        amounts: dict[str, int] = {}
        for key, label in (("wajib", "Wajib"), ("sukarela", "Sukarela"), ("iks", "IKS"),
                           ("angsuran", "Angsuran")):
            try:
                amounts[key] = values.amount_or_none(cells.get(key)) or 0
            except ValidationError as error:
                problem(label, error.message)
        try:
            present = values.yes_no(cells.get("hadir"))
        except ValidationError as error:
            problem("Hadir", error.message)
            present = False
        accounts = {kind for (kind,) in conn.execute(
            "SELECT p.kind FROM savings_account s JOIN savings_product p ON p.id = s.product_id "
            "WHERE s.member_id = ? AND s.status = 'aktif'", (member_id,))}
        for kind, label in (("wajib", "Wajib"), ("sukarela", "Sukarela")):
            if amounts.get(kind) and kind not in accounts:
                problem(label, _("{name} has no simpanan {kind} account.").format(
                    name=name, kind=kind))
        if amounts.get("wajib") and "wajib" in accounts:
            try:
                check_whole_months(amounts["wajib"], int(monthly))
            except ValidationError as error:
                problem("Wajib", error.message)
        if amounts.get("angsuran"):
            try:
                instalments.pay(member_id, amounts["angsuran"])
            except ValidationError as error:
                problem("Angsuran", error.message)
        if len(report.problems) > start:
            continue
        row = kube.SheetRow(member_id, **amounts)
        lines.append(_Line(number, member_id, member_number, name, present, row))
        report.preview.append([str(number), values.text(cells.get("no")), member_number, name,
                               "ya" if present else "tidak",
                               *(format_rupiah(amounts[k]) for k in ("wajib", "sukarela",
                                                                      "iks", "angsuran")),
                               format_rupiah(row.total)])
    missing = [f"{number} {name}" for number, (_mid, name) in members.items()
               if number not in seen]
    if missing:
        report.notes.append(_("Not on the sheet (recorded as absent): {names}.").format(
            names=", ".join(missing)))
    return lines


def _meeting_input(sheet: layout.FilledSheet, kube_id: int, day: dt.date,
                   lines: list[_Line], report: ImportReport) -> kube.MeetingInput:
    counts = {}
    for key in ("raised", "solved"):
        try:
            counts[key] = values.whole_or_none(sheet.shown.get(key), 0, 1000) or 0
        except ValidationError as error:
            report.problems.append(Problem(None, layout.LABELS[key], error.message))
            counts[key] = 0
    if counts["solved"] > counts["raised"]:
        report.problems.append(Problem(None, layout.LABELS["solved"], _(
            "More problems solved than raised.")))
    texts = {key: values.text(sheet.shown.get(key))[:2000]
             for key in ("problems", "solutions", "decisions")}
    return kube.MeetingInput(kube_id, day, [ln.member_id for ln in lines if ln.present],
                             texts["problems"], texts["solutions"], texts["decisions"],
                             counts["raised"], counts["solved"])


def _service_problem(message: str, by_position: dict[int, _Line]) -> Problem:
    """A refusal of the meeting service, with the spreadsheet row of the line it names."""
    prefix = _("Line {line} ({name}): {problem}").split("{line}")[0]
    if prefix and message.startswith(prefix):
        match = re.match(r"\d+", message[len(prefix):])
        line = by_position.get(int(match.group())) if match else None
        if line is not None:
            return Problem(line.row, "", message)
    return Problem(None, "", message)


def sheet_rows(session: Session, kube_id: int) -> list[tuple[str, str, str, str | None]]:
    """The Kube's exported sheets, newest first: (id, meeting date, exported at, imported at)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    return _conn(session).execute(
        "SELECT id, meeting_date, exported_at, imported_at FROM field_sheet WHERE kube_id = ? "
        "ORDER BY exported_at DESC", (kube_id,)).fetchall()


def find_kube(session: Session, text: object) -> int:
    """A Kube by its number or code (KUBE-001)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    key = str(text or "").strip().upper()
    row = _conn(session).execute("SELECT id FROM kube WHERE upper(code) = ? "
                                 "OR CAST(id AS TEXT) = ?", (key, key)).fetchone()
    if row is None:
        raise ValidationError(_("There is no Kube {code}.").format(code=key[:30] or "–"))
    return int(row[0])
