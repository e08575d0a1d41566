"""Month-end, as one atomic step: pre-checks, profit sharing of mudharabah savings by average
daily balance and nisbah, the monthly admin fee of savings products, collectibility and the
PPAP reserve, and the period closed. Refused when the month is closed, not yet ended, or
anything is still open (a drawer, a difference or proposal waiting for approval).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from bmt_desktop.domain.dates import format_date_id, month_end
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import MAX_LINES, LineSpec
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.domain.profit_sharing import average_daily_balance, member_shares
from bmt_desktop.i18n import _
from bmt_desktop.services import financing_payments
from bmt_desktop.services.ledger import close_period
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append, chain_head
from bmt_desktop.store.ledger import JournalSpec, LedgerWriter, closed_through

# Revenue shared with mudharabah savers: financing income received in the month.
SHARED_REVENUE = ("401", "402", "403")
PROFIT_EXPENSE = {"tabungan": "501", "deposito": "502"}
ADMIN_INCOME = "405"
BAGI_HASIL, ADMIN = "BH", "ADM"  # passbook codes (see services.savings)
CHUNK = MAX_LINES - 2  # credit lines per journal, beside the one debit line


@dataclass(frozen=True)
class ProductShare:
    code: str
    name: str
    adb: int  # the product's average daily balance, in whole rupiah
    revenue: int  # revenue allocated to the product
    shared: int  # posted to the members, to the rupiah
    accounts: int


@dataclass
class MonthEndResult:
    period: str  # YYYY-MM
    closed_through: dt.date
    revenue: int
    fund_adb: int
    products: list[ProductShare] = field(default_factory=list)
    admin_fees: int = 0
    reserve_change: int = 0
    reserve_total: int = 0
    chain_head: str = ""
    journals: list[str] = field(default_factory=list)


def _conn(session: Session):  # noqa: ANN202 - sqlite3.Connection
    return session.book.raw()


def _period(year: object, month: object) -> tuple[dt.date, dt.date]:
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 9999 \
            or isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError(_("Choose a period as year and month, e.g. 2026-11."))
    return dt.date(year, month, 1), month_end(year, month)


def parse_period(text: str) -> tuple[int, int]:
    """'2026-11' → (2026, 11), with an Indonesian message for anything else."""
    try:
        year, month = (int(part) for part in str(text).strip().split("-"))
        _period(year, month)
    except (ValueError, ValidationError):
        raise ValidationError(_("{text} is not a period; write YYYY-MM, e.g. 2026-11.").format(
            text=str(text)[:20])) from None
    return year, month


def precheck(session: Session, year: int, month: int) -> list[str]:
    """What stops the month-end of this period (empty: it may run)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    start, end = _period(year, month)
    conn = _conn(session)
    problems = []
    if end >= session.today:
        problems.append(_("{date} has not passed yet; a month is closed after it ends.").format(
            date=format_date_id(end)))
    closed = closed_through(conn)
    if closed is not None and end <= closed:
        problems.append(_("The books are already closed through {date}.").format(
            date=format_date_id(closed)))
    elif closed is not None and closed < start - dt.timedelta(days=1):
        problems.append(_("Close {date} first: months are closed in order.").format(
            date=format_date_id(start - dt.timedelta(days=1))))
    elif closed is None:
        (first,) = conn.execute("SELECT min(date) FROM journal").fetchone()
        if first is not None and first < start.isoformat():
            problems.append(_("Close the months before {date} first: months are closed in "
                              "order.").format(date=format_date_id(start)))
    if month == 1:
        from bmt_desktop.services.year_end import needs_year_end

        if needs_year_end(session, year - 1):
            problems.append(_("Run the year-end of {year} before closing January.").format(
                year=year - 1))
    for teller, day, status in conn.execute(
            "SELECT u.username, d.business_date, d.status FROM teller_drawer d "
            "JOIN user u ON u.id = d.teller_id WHERE d.status != 'tutup' "
            "AND d.business_date <= ?", (end.isoformat(),)):
        if status == "buka":
            problems.append(_("The drawer of {user} of {date} is still open.").format(
                user=teller, date=format_date_id(dt.date.fromisoformat(day))))
        else:
            problems.append(_("The cash difference of {user} of {date} waits for approval.")
                            .format(user=teller, date=format_date_id(dt.date.fromisoformat(day))))
    (proposals,) = conn.execute("SELECT count(*) FROM maal_distribution WHERE status = 'usulan'"
                                ).fetchone()
    if proposals:
        problems.append(_("{n} Maal distribution proposals wait for a decision.").format(
            n=proposals))
    (reschedules,) = conn.execute(
        "SELECT count(*) FROM financing_reschedule WHERE status = 'menunggu'").fetchone()
    if reschedules:
        problems.append(_("{n} financing reschedulings wait for a decision.").format(
            n=reschedules))
    return problems


def _account_adb(session: Session, start: dt.date, end: dt.date
                 ) -> dict[int, Fraction]:
    """The average daily balance of every savings account over the month. Only postings from
    the month's first day on are read (the opening balance is the stored balance less them),
    so a month-end costs the same in the tenth year as in the first."""
    conn = _conn(session)
    later: dict[int, int] = defaultdict(int)
    moves: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for account, day, delta in conn.execute(
            "SELECT l.savings_account_id, j.date, sum(l.credit - l.debit) FROM journal_line l "
            "JOIN journal j ON j.id = l.journal_id "
            "WHERE l.account_id IN (SELECT account_id FROM savings_product) "
            "AND l.journal_id IN (SELECT id FROM journal WHERE date >= ?) "
            "AND l.savings_account_id IS NOT NULL GROUP BY l.savings_account_id, j.date",
            (start.isoformat(),)):
        later[account] += delta
        if day <= end.isoformat():
            moves[account].append((dt.date.fromisoformat(day), delta))
    result = {}
    for account, balance in conn.execute("SELECT id, balance FROM savings_account"):
        opening = int(balance) - later.get(account, 0)
        if opening or account in moves:
            result[account] = average_daily_balance(moves.get(account, []), opening, start,
                                                    end)
    return result


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def run_month_end(session: Session, year: int, month: int,
                  progress: Callable[[float], None] | None = None) -> MonthEndResult:
    """Share the month's profit, charge admin fees, set the PPAP reserve and close the month,
    all or nothing."""
    session.require(Action.PERIOD_CLOSE)
    session.require(Action.JOURNAL_POST)
    start, end = _period(year, month)
    report = progress or (lambda _f: None)
    with session.book.transaction():
        problems = precheck(session, year, month)
        if problems:
            raise ValidationError(_("Month-end cannot run: {problems}").format(
                problems="; ".join(problems)))
        conn = _conn(session)
        (revenue,) = conn.execute(
            "SELECT coalesce(sum(l.credit - l.debit), 0) FROM journal_line l "
            "JOIN journal j ON j.id = l.journal_id JOIN account a ON a.id = l.account_id "
            f"WHERE a.code IN ({', '.join('?' for _c in SHARED_REVENUE)}) "
            "AND j.date BETWEEN ? AND ? AND j.doc_kind != 'TB'",
            (*SHARED_REVENUE, start.isoformat(), end.isoformat())).fetchone()
        revenue = max(0, int(revenue))
        report(0.1)
        adb = _account_adb(session, start, end)
        fund_adb = sum(adb.values())
        result = MonthEndResult(f"{year:04d}-{month:02d}", end, revenue, int(fund_adb))
        writer = LedgerWriter(conn)
        accounts = conn.execute(
            "SELECT s.id, s.member_id, s.nisbah_pct, p.code, p.name, p.kind, a.code, "
            "s.status, s.balance, p.admin_fee, p.min_balance FROM savings_account s "
            "JOIN savings_product p ON p.id = s.product_id JOIN account a "
            "ON a.id = p.account_id ORDER BY p.id, s.id").fetchall()
        by_product: dict[str, list[tuple]] = defaultdict(list)
        for row in accounts:
            by_product[row[3]].append(row)
        for code, rows in by_product.items():
            kind, gl, name = rows[0][5], rows[0][6], rows[0][4]
            if kind not in PROFIT_EXPENSE:
                continue
            product_adb = sum(adb.get(r[0], Fraction(0)) for r in rows)
            pool = int(Fraction(revenue) * product_adb / fund_adb) if fund_adb else 0
            shares, total = member_shares(
                pool, {r[0]: r[2] for r in rows}, {r[0]: adb.get(r[0], Fraction(0))
                                                   for r in rows})
            owners = {r[0]: r[1] for r in rows}
            paid = [(account, amount) for account, amount in shares.items() if amount > 0]
            for part in _chunks(paid, CHUNK):
                amount = sum(a for _acc, a in part)
                lines = [LineSpec(PROFIT_EXPENSE[kind], debit=amount, memo=BAGI_HASIL)] + [
                    LineSpec(gl, credit=a, memo=BAGI_HASIL, member_id=owners[acc],
                             savings_account_id=acc) for acc, a in part]
                posted = writer.post(JournalSpec(end, _("Profit share {product} {period}").format(
                    product=name, period=result.period), lines), session.actor)
                result.journals.append(posted.doc_number)
            result.products.append(ProductShare(code, name, int(product_adb), pool, total,
                                                len(paid)))
        report(0.5)
        fees = []
        for row in accounts:
            account, member, _n, code, name, _kind, gl, status, balance, fee, _minimum = row
            if status == "aktif" and fee > 0 and balance > 0:
                fees.append((gl, account, member, min(fee, int(balance)), name))
        by_gl: dict[str, list[tuple]] = defaultdict(list)
        for fee_row in fees:
            by_gl[fee_row[0]].append(fee_row)
        for gl, rows in by_gl.items():
            for part in _chunks(rows, CHUNK):
                amount = sum(r[3] for r in part)
                lines = [LineSpec(gl, debit=r[3], memo=ADMIN, member_id=r[2],
                                  savings_account_id=r[1]) for r in part]
                lines.append(LineSpec(ADMIN_INCOME, credit=amount, memo=ADMIN))
                posted = writer.post(JournalSpec(end, _("Monthly admin fee {period}").format(
                    period=result.period), lines), session.actor)
                result.journals.append(posted.doc_number)
                result.admin_fees += amount
        writer.flush()
        report(0.7)
        (before,) = conn.execute("SELECT -balance FROM account WHERE code = '119'").fetchone()
        reserve = financing_payments.post_reserve(session, end)
        if reserve is not None:
            result.journals.append(reserve.doc_number)
        (after,) = conn.execute("SELECT -balance FROM account WHERE code = '119'").fetchone()
        result.reserve_change, result.reserve_total = after - before, after
        report(0.9)
        close_period(session, year, month)
        append(conn, session.actor, "month_end.run", "period_close", result.period,
               after={"revenue": revenue, "shared": sum(p.shared for p in result.products),
                      "admin_fees": result.admin_fees, "reserve": after,
                      "journals": len(result.journals)})
        result.chain_head = chain_head(conn)[1]
        report(1.0)
        return result


def describe(result: MonthEndResult) -> list[str]:
    """The closing summary in the manager's words (the closing report and the dialog)."""
    lines = [_("Period {period} closed through {date}.").format(
        period=result.period, date=format_date_id(result.closed_through)),
        _("Financing revenue received: {amount}.").format(amount=format_rupiah(result.revenue))]
    for p in result.products:
        lines.append(_("{product}: {shared} shared to {n} accounts (revenue allocated "
                       "{pool}).").format(product=p.name, shared=format_rupiah(p.shared),
                                          n=p.accounts, pool=format_rupiah(p.revenue)))
    if result.admin_fees:
        lines.append(_("Savings admin fees: {amount}.").format(
            amount=format_rupiah(result.admin_fees)))
    lines.append(_("PPAP reserve: {total} (change {change}).").format(
        total=format_rupiah(result.reserve_total), change=format_rupiah(result.reserve_change)))
    lines.append(_("Hash-chain head: {head}").format(head=result.chain_head))
    return lines
