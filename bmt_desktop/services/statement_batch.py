"""Every active savings account's monthly statement at once: one PDF per member (all of the
member's accounts, each statement on its own pages) or one combined PDF for the office.

The data comes from the book in three set-based queries on the caller's thread (the book is
never touched by another thread or process); the PDFs are laid out by
:func:`bmt_desktop.printing.statement_book.render_statements`, in two helper processes when
the batch is large (spawned, so the same on Windows and with Qt threads running). Progress
goes from 0 to 1; ``cancelled()`` is asked between pieces of work: files already written
stay, a combined file is written only when complete (never partially).
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from bmt_desktop import i18n
from bmt_desktop.domain.dates import month_end
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.printing.statement import StatementData, StatementLine
from bmt_desktop.printing.statement_book import render_statements
from bmt_desktop.services.office import get_logo, get_profile
from bmt_desktop.services.report_export import write_file
from bmt_desktop.services.session import Session

WORKERS = 2
POOL_FROM = 400  # statements: below this, starting helper processes costs more than it saves
CHUNK = 60  # statements per piece of work in a combined file
IN_FLIGHT = 3  # pieces of work queued per helper process (bounds memory and cancel latency)


def _period(session: Session, year: object, month: object) -> tuple[dt.date, dt.date]:
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 9999 \
            or isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError(_("Choose a period as year and month, e.g. 2026-11."))
    first = dt.date(year, month, 1)
    if first > session.today:
        raise ValidationError(_("The period {period} is in the future.").format(
            period=f"{year:04d}-{month:02d}"))
    return first, month_end(year, month)


def statement_data(session: Session, year: int, month: int) -> list[list[StatementData]]:
    """The month's statement of every active account opened by the month's end, grouped by
    member (in member-number order), the same data as ``documents.statement_data`` gives
    for one account."""
    session.require(Action.LEDGER_VIEW, writes=False)
    first, last = _period(session, year, month)
    conn = session.book.raw()
    accounts = conn.execute(
        "SELECT s.id, s.number, m.id, m.number, m.name, p.name FROM savings_account s "
        "JOIN member m ON m.id = s.member_id JOIN savings_product p ON p.id = s.product_id "
        "WHERE s.status = 'aktif' AND s.opened_on <= ? ORDER BY m.number, s.number",
        (last.isoformat(),)).fetchall()
    opening = dict(conn.execute(
        "SELECT l.savings_account_id, sum(l.credit) - sum(l.debit) FROM journal_line l "
        "JOIN journal j ON j.id = l.journal_id WHERE l.savings_account_id IS NOT NULL "
        "AND j.date < ? GROUP BY l.savings_account_id", (first.isoformat(),)))
    lines: dict[int, list[StatementLine]] = {}
    for account, date, doc, description, debit, credit in conn.execute(
            "SELECT l.savings_account_id, j.date, j.doc_number, j.description, l.debit, "
            "l.credit FROM journal_line l JOIN journal j ON j.id = l.journal_id "
            "WHERE l.savings_account_id IS NOT NULL AND j.date BETWEEN ? AND ? "
            "ORDER BY l.savings_account_id, j.date, l.id",
            (first.isoformat(), last.isoformat())):
        lines.setdefault(account, []).append(StatementLine(
            dt.date.fromisoformat(date), doc, description, int(debit), int(credit)))
    profile = get_profile(session.book)
    logo = get_logo(session.book)
    printed_at = dt.datetime.now().replace(microsecond=0)
    members: dict[int, list[StatementData]] = {}
    for account, number, member, member_number, name, product in accounts:
        members.setdefault(member, []).append(StatementData(
            office_name=profile.name, office_address=profile.address,
            office_registration=profile.registration_number, is_demo=profile.is_demo,
            member_name=name, member_number=member_number, account_number=number,
            product_name=product, year=year, month=month,
            opening_balance=int(opening.get(account, 0)), printed_at=printed_at,
            lines=tuple(lines.get(account, ())), logo=logo))
    return list(members.values())


def file_name(member_number: str, year: int, month: int) -> str:
    """``statement-2026-11-AG-000001.pdf`` (in the user's language); characters a file
    name cannot hold become ``_``."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", member_number).strip("._") or "_"
    return _("statement-{period}-{member}.pdf").format(period=f"{year:04d}-{month:02d}",
                                                       member=safe)


def combined_name(year: int, month: int) -> str:
    return _("statements-{period}.pdf").format(period=f"{year:04d}-{month:02d}")


def _chunks(members: list[list[StatementData]], size: int) -> Iterator[list[StatementData]]:
    """Whole members, about ``size`` statements a piece."""
    piece: list[StatementData] = []
    for items in members:
        piece += items
        if len(piece) >= size:
            yield piece
            piece = []
    if piece:
        yield piece


def _init_worker(language: str) -> None:
    i18n.install(language)


def _language() -> str:
    return str(getattr(i18n._translation, "info", dict)().get("language") or "en")


def statements_pdf(session: Session, year: int, month: int, out_folder: str | Path, *,
                   combined: bool, progress: Callable[[float], None] | None = None,
                   cancelled: Callable[[], bool] | None = None,
                   workers: int | None = None) -> list[Path]:
    """Write the month's statements into ``out_folder``: one PDF per member, or one
    combined PDF; returns the files written (fewer than planned when cancelled).

    ``workers`` helper processes render (default: 2 from :data:`POOL_FROM` statements on,
    else none); 0 or 1 renders here."""
    folder = Path(out_folder).expanduser()
    if not folder.is_dir():
        raise ValidationError(_("The folder {folder} does not exist.").format(folder=folder))
    report = progress or (lambda _f: None)
    stop = cancelled or (lambda: False)
    members = statement_data(session, year, month)
    total = sum(len(items) for items in members)
    report(0.0)
    if not members:
        report(1.0)
        return []
    pieces = list(_chunks(members, CHUNK)) if combined else members
    if workers is None:
        workers = WORKERS if total >= POOL_FROM else 0
    written: list[Path] = []
    rendered: dict[int, tuple[bytes, int]] = {}
    done = 0

    def finish(index: int, result: tuple[bytes, int]) -> None:
        nonlocal done
        if combined:
            rendered[index] = result
        else:
            member = pieces[index][0].member_number
            written.append(write_file(folder / file_name(member, year, month), result[0]))
        done += len(pieces[index])
        report(min(done / total, 0.99))

    if workers <= 1:
        for index, piece in enumerate(pieces):
            if stop():
                return written
            finish(index, render_statements(piece))
    elif not _in_pool(pieces, workers, finish, stop):
        return written
    if combined:
        pdf = _merge([rendered[i][0] for i in range(len(pieces))])
        written.append(write_file(folder / combined_name(year, month), pdf))
    report(1.0)
    return written


def _in_pool(pieces: Sequence[list[StatementData]], workers: int,
             finish: Callable[[int, tuple[bytes, int]], None],
             stop: Callable[[], bool]) -> bool:
    """Render the pieces in helper processes, a few at a time; False when cancelled."""
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_init_worker, initargs=(_language(),))
    pending: dict[Future, int] = {}
    queue = iter(enumerate(pieces))
    try:
        while True:
            while len(pending) < workers * IN_FLIGHT and not stop():
                item = next(queue, None)
                if item is None:
                    break
                pending[pool.submit(render_statements, item[1])] = item[0]
            if stop():
                return False
            if not pending:
                return True
            finished, _rest = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in finished:
                finish(pending.pop(future), future.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _merge(parts: Sequence[bytes]) -> bytes:
    """One PDF of the parts, in order (each part already has its fonts once)."""
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
