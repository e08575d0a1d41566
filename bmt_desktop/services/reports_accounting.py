"""Accounting reports from the journal lines: trial balance, balance sheet (posisi keuangan,
with dana syirkah temporer between liabilities and equity) and income statement (laba rugi /
SHU). Balances are sums of posted lines up to a date, so a report of a past period is what
the books said then; year-end closing journals (TB) are left out of income and expenses.
"""

from __future__ import annotations

import datetime as dt

from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import N_, _
from bmt_desktop.services.report_model import Column, Report, register
from bmt_desktop.services.session import Session

CLOSING = "TB"
SECTIONS = (("asset", N_("Assets")), ("liability", N_("Liabilities")),
            ("syirkah", N_("Temporary syirkah funds")), ("equity", N_("Equity")))


def _conn(session: Session):  # noqa: ANN202 - sqlite3.Connection
    session.require(Action.LEDGER_VIEW, writes=False)
    return session.book.raw()


def balances(session: Session, on: dt.date, *, since: dt.date | None = None,
             types: tuple[str, ...] | None = None, closing: bool = True
             ) -> list[tuple[str, str, str, bool, int]]:
    """(code, name, type, contra, debit − credit) of every posting account, up to ``on``
    (and from ``since``); ``closing=False`` leaves the year-end closing journals out."""
    sql = ("SELECT a.code, a.name, a.type, a.is_contra, coalesce(sum(l.debit - l.credit), 0) "
           "FROM account a LEFT JOIN journal_line l ON l.account_id = a.id AND l.journal_id IN "
           "(SELECT id FROM journal WHERE date <= ?" + (" AND date >= ?" if since else "")
           + ("" if closing else " AND doc_kind != 'TB'") + ") WHERE a.is_header = 0")
    params: list[object] = [on.isoformat()] + ([since.isoformat()] if since else [])
    if types:
        sql += f" AND a.type IN ({', '.join('?' for _t in types)})"
        params += list(types)
    sql += " GROUP BY a.id ORDER BY a.code"
    return [(c, n, t, bool(k), int(v)) for c, n, t, k, v in _conn(session).execute(sql, params)]


@register("trial-balance", N_("Trial balance"))
def trial_balance(session: Session, start: dt.date, end: dt.date) -> Report:
    report = Report("trial-balance", _("Trial balance"), start, end, [
        Column("code", _("Account"), width=0.6), Column("name", _("Account name"), width=2.6),
        Column("debit", _("Debit"), "money"), Column("credit", _("Credit"), "money")])
    report.start = end  # a trial balance is a position on one day
    for code, name, _type, _contra, net in balances(session, end):
        if net:
            report.rows.append({"code": code, "name": name, "debit": max(net, 0),
                                "credit": max(-net, 0)})
    report.totals = {"debit": sum(r["debit"] for r in report.rows),  # type: ignore[misc]
                     "credit": sum(r["credit"] for r in report.rows)}  # type: ignore[misc]
    return report


def year_to_date_result(session: Session, end: dt.date) -> int:
    """Income less expenses from the start of ``end``'s year, closing journals left out:
    the SHU of the current year, not yet closed into equity."""
    rows = balances(session, end, since=dt.date(end.year, 1, 1),
                    types=("income", "expense"), closing=False)
    return -sum(net for *_rest, net in rows)


@register("balance-sheet", N_("Balance sheet"))
def balance_sheet(session: Session, start: dt.date, end: dt.date) -> Report:
    report = Report("balance-sheet", _("Statement of financial position"), end, end, [
        Column("code", _("Account"), width=0.6), Column("name", _("Account name"), width=3.0),
        Column("amount", _("Amount"), "money", width=1.2)])
    rows = balances(session, end, types=("asset", "liability", "syirkah", "equity"))
    current = year_to_date_result(session, end)
    # Income and expenses of earlier years not yet closed by a year-end stay in equity too
    # (a year-end's closing journal, dated 1 January, brings them to zero).
    (earlier,) = _conn(session).execute(
        "SELECT coalesce(sum(l.credit - l.debit), 0) FROM journal_line l JOIN account a "
        "ON a.id = l.account_id JOIN journal j ON j.id = l.journal_id WHERE a.type IN "
        "('income', 'expense') AND (j.date < ? OR (j.doc_kind = 'TB' AND j.date <= ?))",
        (f"{end.year}-01-01", end.isoformat())).fetchone()
    totals: dict[str, int] = {}
    for kind, label in SECTIONS:
        report.rows.append({"code": "", "name": _(label), "amount": None, "_style": "heading"})
        total = 0
        for code, name, account_type, _contra, net in rows:
            if account_type != kind:
                continue
            amount = net if kind == "asset" else -net
            if amount:
                report.rows.append({"code": code, "name": name, "amount": amount})
                total += amount
        if kind == "equity":
            if earlier:
                report.rows.append({"code": "", "name": _("Results of earlier years not yet "
                                                          "closed"), "amount": int(earlier)})
                total += int(earlier)
            report.rows.append({"code": "", "name": _("SHU of the current year"),
                                "amount": current})
            total += current
        report.rows.append({"code": "", "name": _("Total {section}").format(
            section=_(label).lower()), "amount": total, "_style": "subtotal"})
        totals[kind] = total
    claims = totals["liability"] + totals["syirkah"] + totals["equity"]
    report.rows.append({"code": "", "name": _("Total liabilities, temporary syirkah funds and "
                                              "equity"), "amount": claims, "_style": "total"})
    report.totals = {"assets": totals["asset"], "liabilities": totals["liability"],
                     "syirkah": totals["syirkah"], "equity": totals["equity"],
                     "liabilities_syirkah_equity": claims,
                     "balanced": totals["asset"] == claims}
    if totals["asset"] != claims:
        report.notes.append(_("The balance sheet does not balance: verify the book."))
    return report


@register("income-statement", N_("Income statement"))
def income_statement(session: Session, start: dt.date, end: dt.date) -> Report:
    report = Report("income-statement", _("Income statement (SHU)"), start, end, [
        Column("code", _("Account"), width=0.6), Column("name", _("Account name"), width=3.0),
        Column("amount", _("Amount"), "money", width=1.2)])
    rows = balances(session, end, since=start, types=("income", "expense"), closing=False)
    totals = {}
    for kind, label in (("income", _("Income")), ("expense", _("Expenses"))):
        report.rows.append({"code": "", "name": label, "amount": None, "_style": "heading"})
        total = 0
        for code, name, account_type, _contra, net in rows:
            if account_type == kind and net:
                amount = -net if kind == "income" else net
                report.rows.append({"code": code, "name": name, "amount": amount})
                total += amount
        report.rows.append({"code": "", "name": _("Total {section}").format(
            section=label.lower()), "amount": total, "_style": "subtotal"})
        totals[kind] = total
    result = totals["income"] - totals["expense"]
    report.rows.append({"code": "", "name": _("SHU (surplus) of the period") if result >= 0
                        else _("Deficit of the period"), "amount": result, "_style": "total"})
    report.totals = {"income": totals["income"], "expense": totals["expense"], "shu": result}
    return report
