"""Year-end: the year's SHU computed, income and expenses closed into SHU tahun berjalan, and
the SHU distributed by the AD/ART percentages (settings): reserve, members (JUA by each
member's financing margin and profit share paid in the year, JMA by pokok + wajib held at
year-end), the board and staff, education, social. Runs once per year after December is
closed; its journals (kind TB) are dated the first day of the next year, so the closed year
stays untouched and the reports of the next year leave them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import MAX_LINES, LineSpec
from bmt_desktop.domain.permissions import Action
from bmt_desktop.domain.profit_sharing import shu_split
from bmt_desktop.i18n import _
from bmt_desktop.services import book_settings
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append, chain_head
from bmt_desktop.store.ledger import JournalSpec, LedgerWriter, closed_through

SHU_CURRENT = "304"
SHU_UNSHARED = "305"  # a loss waits here for the RAT
RESERVE = "303"
FUNDS = {"shu_board_pct": "207", "shu_education_pct": "208", "shu_social_pct": "209"}
MEMBERS_PAYABLE = "210"
MEMBER_REVENUE = ("401", "402", "403")  # what a member paid in margin and profit share
CLOSING = "TB"
CHUNK = MAX_LINES - 2


@dataclass
class YearEndResult:
    year: int
    income: int
    expense: int
    shu: int
    reserve: int = 0
    members: int = 0
    jua: int = 0
    jma: int = 0
    funds: dict[str, int] = field(default_factory=dict)
    member_rows: list[tuple[int, int, int]] = field(default_factory=list)  # member, JUA, JMA
    journals: list[str] = field(default_factory=list)
    chain_head: str = ""


def _conn(session: Session):  # noqa: ANN202 - sqlite3.Connection
    return session.book.raw()


def _pct(session: Session, key: str) -> int:
    return int(book_settings.get_setting(session.book, key))


def done_years(session: Session) -> set[int]:
    return {int(y) for (y,) in _conn(session).execute(
        "SELECT entity_id FROM audit_log WHERE action = 'year_end.run'")}


def precheck(session: Session, year: object) -> list[str]:
    session.require(Action.LEDGER_VIEW, writes=False)
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 9999:
        raise ValidationError(_("The year {year} is not valid.").format(year=str(year)[:10]))
    problems = []
    closed = closed_through(_conn(session))
    december = dt.date(year, 12, 31)
    if closed is None or closed < december:
        problems.append(_("Close December {year} first (month-end).").format(year=year))
    if year in done_years(session):
        problems.append(_("The year-end of {year} has already been run.").format(year=year))
    if closed is not None and closed >= dt.date(year + 1, 1, 1):
        problems.append(_("January {next} is already closed; the year-end of {year} comes "
                          "before it.").format(next=year + 1, year=year))
    if needs_year_end(session, year - 1):
        problems.append(_("Run the year-end of {year} first.").format(year=year - 1))
    total = sum(_pct(session, k) for k in ("shu_reserve_pct", "shu_members_pct", *FUNDS))
    if total != 100:
        problems.append(_("The SHU percentages add up to {total} %, not 100 % (Settings).")
                        .format(total=total))
    return problems


def needs_year_end(session: Session, year: int) -> bool:
    """A year with postings whose year-end has not been run and still can be (a book closed
    past the next January before year-end existed is left as it is)."""
    if year in done_years(session):
        return False
    closed = closed_through(_conn(session))
    if closed is not None and closed >= dt.date(year + 1, 1, 31):
        return False
    return _conn(session).execute(
        "SELECT 1 FROM journal WHERE date BETWEEN ? AND ? AND doc_kind != ? LIMIT 1",
        (f"{year}-01-01", f"{year}-12-31", CLOSING)).fetchone() is not None


def year_figures(session: Session, year: int) -> tuple[dict[str, int], int, int]:
    """Each income/expense account's net for the year (closing journals left out), and the
    totals of income and expense."""
    rows = _conn(session).execute(
        "SELECT a.code, a.type, coalesce(sum(l.credit - l.debit), 0) FROM journal_line l "
        "JOIN journal j ON j.id = l.journal_id JOIN account a ON a.id = l.account_id "
        "WHERE a.type IN ('income', 'expense') AND j.date BETWEEN ? AND ? "
        "AND j.doc_kind != ? GROUP BY a.code, a.type ORDER BY a.code",
        (f"{year}-01-01", f"{year}-12-31", CLOSING)).fetchall()
    nets = {code: int(net) for code, _t, net in rows if net}
    income = sum(int(net) for _c, kind, net in rows if kind == "income")
    expense = -sum(int(net) for _c, kind, net in rows if kind == "expense")
    return nets, income, expense


def run_year_end(session: Session, year: int,
                 progress: Callable[[float], None] | None = None) -> YearEndResult:
    session.require(Action.PERIOD_CLOSE)
    session.require(Action.JOURNAL_POST)
    report = progress or (lambda _f: None)
    with session.book.transaction():
        problems = precheck(session, year)
        if problems:
            raise ValidationError(_("Year-end cannot run: {problems}").format(
                problems="; ".join(problems)))
        conn = _conn(session)
        nets, income, expense = year_figures(session, year)
        shu = income - expense
        result = YearEndResult(year, income, expense, shu)
        day = dt.date(year + 1, 1, 1)
        writer = LedgerWriter(conn)
        # 1. Close every income and expense account into SHU tahun berjalan.
        lines = []
        for code, net in nets.items():
            lines.append(LineSpec(code, debit=net) if net > 0 else LineSpec(code, credit=-net))
        if shu > 0:
            lines.append(LineSpec(SHU_CURRENT, credit=shu))
        elif shu < 0:
            lines.append(LineSpec(SHU_CURRENT, debit=-shu))
        if len(lines) >= 2:
            result.journals.append(writer.post(JournalSpec(
                day, _("Closing of income and expenses {year}").format(year=year), lines,
                CLOSING), session.actor).doc_number)
        report(0.3)
        if shu < 0:
            result.journals.append(writer.post(JournalSpec(
                day, _("Loss of {year} to unshared SHU, for the RAT").format(year=year),
                [LineSpec(SHU_UNSHARED, debit=-shu), LineSpec(SHU_CURRENT, credit=-shu)],
                CLOSING), session.actor).doc_number)
        elif shu > 0:
            _distribute(session, writer, result, day)
        writer.flush()
        append(conn, session.actor, "year_end.run", "journal", str(year),
               after={"income": income, "expense": expense, "shu": shu,
                      "members": result.members, "journals": result.journals})
        result.chain_head = chain_head(conn)[1]
        report(1.0)
        return result


def _distribute(session: Session, writer: LedgerWriter, result: YearEndResult,
                day: dt.date) -> None:
    conn, year, shu = _conn(session), result.year, result.shu
    members_pool = shu * _pct(session, "shu_members_pct") // 100
    funds = {code: shu * _pct(session, key) // 100 for key, code in FUNDS.items()}
    reserve = shu - members_pool - sum(funds.values())  # the rupiah of rounding: the reserve
    transactions = dict(conn.execute(
        "SELECT l.member_id, sum(l.credit - l.debit) FROM journal_line l JOIN journal j "
        "ON j.id = l.journal_id JOIN account a ON a.id = l.account_id "
        f"WHERE a.code IN ({', '.join('?' for _c in MEMBER_REVENUE)}) "
        "AND l.member_id IS NOT NULL AND j.date BETWEEN ? AND ? GROUP BY l.member_id "
        "HAVING sum(l.credit - l.debit) > 0",
        (*MEMBER_REVENUE, f"{year}-01-01", f"{year}-12-31")))
    capital = dict(conn.execute(
        "SELECT l.member_id, sum(l.credit - l.debit) FROM journal_line l JOIN journal j "
        "ON j.id = l.journal_id JOIN account a ON a.id = l.account_id "
        "WHERE a.code IN ('301', '302') AND l.member_id IS NOT NULL AND j.date <= ? "
        "GROUP BY l.member_id HAVING sum(l.credit - l.debit) > 0", (f"{year}-12-31",)))
    if not transactions:
        # Nobody paid margin this year: the whole members' share goes by capital.
        split = shu_split(members_pool, 0, {}, capital)
    elif not capital:
        split = shu_split(members_pool, 100, transactions, {})
    else:
        split = shu_split(members_pool, _pct(session, "shu_jua_pct"), transactions, capital)
    rows = sorted((m, jua, jma) for m, (jua, jma) in split.items() if jua + jma)
    paid = sum(jua + jma for _m, jua, jma in rows)
    reserve += members_pool - paid  # nobody to pay (no members): stays in the reserve
    head = [LineSpec(SHU_CURRENT, debit=shu - paid)]
    if reserve:
        head.append(LineSpec(RESERVE, credit=reserve))
    head += [LineSpec(code, credit=amount) for code, amount in funds.items() if amount]
    if len(head) >= 2:
        result.journals.append(writer.post(JournalSpec(
            day, _("SHU {year} to the reserve and funds").format(year=year), head, CLOSING),
            session.actor).doc_number)
    for i in range(0, len(rows), CHUNK):
        part = rows[i:i + CHUNK]
        amount = sum(jua + jma for _m, jua, jma in part)
        lines = [LineSpec(SHU_CURRENT, debit=amount)] + [
            LineSpec(MEMBERS_PAYABLE, credit=jua + jma, memo=f"JUA {jua} JMA {jma}",
                     member_id=member) for member, jua, jma in part]
        result.journals.append(writer.post(JournalSpec(
            day, _("Members' SHU {year}").format(year=year), lines, CLOSING),
            session.actor).doc_number)
    result.reserve = reserve
    result.members = paid
    result.jua = sum(r[1] for r in rows)
    result.jma = sum(r[2] for r in rows)
    result.funds = funds
    result.member_rows = rows


def describe(result: YearEndResult) -> list[str]:
    from bmt_desktop.domain.money import format_rupiah

    return [
        _("Year {year}: income {income}, expenses {expense}, SHU {shu}.").format(
            year=result.year, income=format_rupiah(result.income),
            expense=format_rupiah(result.expense), shu=format_rupiah(result.shu)),
        _("Reserve {reserve}; members {members} (JUA {jua}, JMA {jma}) to {n} members.").format(
            reserve=format_rupiah(result.reserve), members=format_rupiah(result.members),
            jua=format_rupiah(result.jua), jma=format_rupiah(result.jma),
            n=len(result.member_rows)),
        _("Closing journals dated {date}: {docs}.").format(
            date=format_date_id(dt.date(result.year + 1, 1, 1)),
            docs=", ".join(result.journals) or "-"),
        _("Hash-chain head: {head}").format(head=result.chain_head),
    ]
