"""Ledger reports from the journal lines: daily cash, general ledger, cash flow (direct
method), changes in equity, the Maal funds (zakat; infak, sedekah, qardhul hasan, ta'zir and
non-halal income), profit sharing of the month, the year's SHU and the members' statements.

Every figure is a set-based sum over journal/journal_line/account (never a query per member
or per account), dated by the journal, so a report of a past period says what the books said
then. Each report reconciles with another: the cash reports with the cash accounts' balances,
the general ledger with the trial balance, equity changes with the balance sheet, profit
sharing with the BH journals, the SHU with the year-end's TB journals.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections import defaultdict
from collections.abc import Sequence

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.i18n import N_, _
from bmt_desktop.services import book_settings
from bmt_desktop.services.report_model import Column, Report, register
from bmt_desktop.services.reports_accounting import CLOSING, _conn, balance_sheet
from bmt_desktop.services.session import Session

DAILY_CASH = ("101", "102", "131")  # the vault, the tellers' cash, the Maal cash
TELLER_CASH = "102"
CASH = ("101", "102", "103", "131")  # cash and cash equivalents of the cash-flow statement
ZAKAT = "241"
BENEVOLENCE = ("242", "243", "244", "245")
QARDH_LOANS = "132"
SHARED_REVENUE = ("401", "402", "403")
BAGI_HASIL = "BH"
RESERVE = "303"
SHU_FUNDS = ("207", "208", "209")
MEMBERS_PAYABLE = "210"
_JUA_JMA = re.compile(r"JUA\s+(-?\d+)\s+JMA\s+(-?\d+)")


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _v in values)


def _accounts(conn: sqlite3.Connection, codes: Sequence[str]) -> list[tuple[int, str, str]]:
    """(id, code, name) of the accounts ``codes``, in code order."""
    return [(int(i), c, n) for i, c, n in conn.execute(
        f"SELECT id, code, name FROM account WHERE code IN ({_marks(codes)}) ORDER BY code",
        tuple(codes))]


def _balances_before(conn: sqlite3.Connection, account_ids: Sequence[int], day: dt.date
                     ) -> dict[int, int]:
    """debit − credit of each account over the journals dated before ``day``."""
    if not account_ids:
        return {}
    return {int(a): int(v) for a, v in conn.execute(
        "SELECT l.account_id, sum(l.debit - l.credit) FROM journal_line l JOIN journal j "
        f"ON j.id = l.journal_id WHERE l.account_id IN ({_marks(account_ids)}) AND j.date < ? "
        "GROUP BY l.account_id", (*account_ids, _iso(day)))}


# ------------------------------------------------------------------------------ daily cash
@register("daily-cash", N_("Daily cash report"))
def daily_cash(session: Session, start: dt.date, end: dt.date) -> Report:
    """Per day: opening, in, out and closing of the vault, the tellers' cash and the Maal
    cash, and of each teller's drawer; for one day, that day's postings one by one."""
    conn = _conn(session)
    accounts = _accounts(conn, DAILY_CASH)
    ids = [a for a, _c, _n in accounts]
    opening = _balances_before(conn, ids, start)
    if start == end:
        return _cash_day(conn, accounts, opening, end)
    report = Report("daily-cash", _("Daily cash report"), start, end, [
        Column("date", _("Date"), "date", width=35), Column("cash", _("Cash account"), width=41),
        Column("opening", _("Opening"), "money", width=26),
        Column("in", _("Cash in"), "money", width=26),
        Column("out", _("Cash out"), "money", width=26),
        Column("closing", _("Closing"), "money", width=26)])
    names = {a: f"{c} {n}" for a, c, n in accounts}
    moves: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
    for day, account, debit, credit in conn.execute(
            "SELECT j.date, l.account_id, sum(l.debit), sum(l.credit) FROM journal_line l "
            f"JOIN journal j ON j.id = l.journal_id WHERE l.account_id IN ({_marks(ids)}) "
            "AND j.date BETWEEN ? AND ? GROUP BY j.date, l.account_id ORDER BY j.date",
            (*ids, _iso(start), _iso(end))):
        moves[day][int(account)] = (int(debit), int(credit))
    drawers = _drawer_moves(conn, start, end)
    balance = {a: opening.get(a, 0) for a in ids}
    period_in = dict.fromkeys(ids, 0)
    period_out = dict.fromkeys(ids, 0)
    for day in sorted(moves):
        date = dt.date.fromisoformat(day)
        day_rows = []
        for account in ids:
            if account not in moves[day]:
                continue
            cash_in, cash_out = moves[day][account]
            before = balance[account]
            balance[account] = before + cash_in - cash_out
            period_in[account] += cash_in
            period_out[account] += cash_out
            day_rows.append({"date": date, "cash": names[account], "opening": before,
                             "in": cash_in, "out": cash_out, "closing": balance[account]})
        report.rows += day_rows
        for label, before, cash_in, cash_out in drawers.get(day, []):
            report.rows.append({"date": None, "cash": label, "opening": before, "in": cash_in,
                                "out": cash_out, "closing": before + cash_in - cash_out})
        day_in = sum(int(r["in"]) for r in day_rows)  # type: ignore[call-overload]
        day_out = sum(int(r["out"]) for r in day_rows)  # type: ignore[call-overload]
        total = sum(balance.values())
        report.rows.append({"date": None, "cash": _("Total cash of the day"),
                            "opening": total - day_in + day_out, "in": day_in, "out": day_out,
                            "closing": total, "_style": "subtotal"})
    summary = [{"date": None, "cash": names[a], "opening": opening.get(a, 0),
                "in": period_in[a], "out": period_out[a], "closing": balance[a]}
               for a in ids if opening.get(a, 0) or period_in[a] or period_out[a]]
    if summary:
        report.rows.append({"date": None, "cash": _("Summary of the period per cash account"),
                            "_style": "heading"})
        report.rows += summary
    report.totals = {"opening": sum(opening.get(a, 0) for a in ids),
                     "in": sum(period_in.values()), "out": sum(period_out.values()),
                     "closing": sum(balance.values())}
    if moves:
        report.notes.append(_("Days without cash movements are left out. A drawer's lines are "
                              "part of Kas Teller (102): they are not added to the totals."))
    return report


def _drawer_moves(conn: sqlite3.Connection, start: dt.date, end: dt.date
                  ) -> dict[str, list[tuple[str, int, int, int]]]:
    """Per day, each teller drawer's cash (account 102) through the journals that name it:
    (label, opening, in, out)."""
    rows = conn.execute(
        "SELECT j.date, j.drawer_id, u.username, d.business_date, sum(l.debit), "
        "sum(l.credit) FROM journal j JOIN journal_line l ON l.journal_id = j.id "
        "JOIN account a ON a.id = l.account_id JOIN teller_drawer d ON d.id = j.drawer_id "
        "JOIN user u ON u.id = d.teller_id WHERE j.drawer_id IS NOT NULL AND a.code = ? "
        "AND j.date BETWEEN ? AND ? GROUP BY j.date, j.drawer_id ORDER BY j.date, j.drawer_id",
        (TELLER_CASH, _iso(start), _iso(end))).fetchall()
    if not rows:
        return {}
    drawer_ids = sorted({int(r[1]) for r in rows})
    before = {int(d): int(v) for d, v in conn.execute(
        "SELECT j.drawer_id, sum(l.debit - l.credit) FROM journal j JOIN journal_line l "
        "ON l.journal_id = j.id JOIN account a ON a.id = l.account_id "
        f"WHERE j.drawer_id IN ({_marks(drawer_ids)}) AND a.code = ? AND j.date < ? "
        "GROUP BY j.drawer_id", (*drawer_ids, TELLER_CASH, _iso(start)))}
    result: dict[str, list[tuple[str, int, int, int]]] = defaultdict(list)
    for day, drawer, user, business_date, debit, credit in rows:
        opening = before.get(int(drawer), 0)
        label = _("Drawer of {user} ({date})").format(
            user=user, date=format_date_id(dt.date.fromisoformat(business_date)))
        result[day].append((label, opening, int(debit), int(credit)))
        before[int(drawer)] = opening + int(debit) - int(credit)
    return result


def _cash_day(conn: sqlite3.Connection, accounts: list[tuple[int, str, str]],
              opening: dict[int, int], day: dt.date) -> Report:
    """One day's cash: each cash account's postings with a running balance, then drawers."""
    report = Report("daily-cash", _("Daily cash report"), day, day, [
        Column("doc", _("Document no."), width=32),
        Column("description", _("Description"), width=70),
        Column("in", _("Cash in"), "money", width=26),
        Column("out", _("Cash out"), "money", width=26),
        Column("closing", _("Balance"), "money", width=26)])
    ids = [a for a, _c, _n in accounts]
    lines: dict[int, list[tuple]] = defaultdict(list)
    for account, doc, description, debit, credit in conn.execute(
            "SELECT l.account_id, j.doc_number, j.description, l.debit, l.credit "
            "FROM journal_line l JOIN journal j ON j.id = l.journal_id "
            f"WHERE l.account_id IN ({_marks(ids)}) AND j.date = ? ORDER BY j.id, l.line_no",
            (*ids, _iso(day))):
        lines[int(account)].append((doc, description, int(debit), int(credit)))
    total_in = total_out = closing_total = 0
    for account, code, name in accounts:
        balance = opening.get(account, 0)
        if not balance and not lines[account]:
            continue
        report.rows.append({"doc": code, "description": name, "_style": "heading"})
        report.rows.append({"doc": "", "description": _("Opening balance"), "closing": balance})
        cash_in = cash_out = 0
        for doc, description, debit, credit in lines[account]:
            balance += debit - credit
            cash_in, cash_out = cash_in + debit, cash_out + credit
            report.rows.append({"doc": doc, "description": description, "in": debit or None,
                                "out": credit or None, "closing": balance})
        report.rows.append({"doc": "", "description": _("Closing balance of {code}").format(
            code=code), "in": cash_in, "out": cash_out, "closing": balance,
            "_style": "subtotal"})
        total_in, total_out, closing_total = (total_in + cash_in, total_out + cash_out,
                                              closing_total + balance)
    drawers = _drawer_moves(conn, day, day).get(_iso(day), [])
    if drawers:
        report.rows.append({"doc": "", "description": _("Teller drawers (part of 102)"),
                            "_style": "heading"})
        for label, before, cash_in, cash_out in drawers:
            report.rows.append({"doc": "", "description": _("{drawer}, opening {amount}").format(
                drawer=label, amount=format_rupiah(before)), "in": cash_in, "out": cash_out,
                "closing": before + cash_in - cash_out})
    report.totals = {"opening": sum(opening.get(a, 0) for a in ids), "in": total_in,
                     "out": total_out, "closing": closing_total}
    return report


# -------------------------------------------------------------------------- general ledger
@register("general-ledger", N_("General ledger"))
def general_ledger(session: Session, start: dt.date, end: dt.date) -> Report:
    """Per account: opening balance, each posting with its running balance, closing; only
    accounts with a balance or a movement."""
    conn = _conn(session)
    report = Report("general-ledger", _("General ledger"), start, end, [
        Column("date", _("Date"), "date", width=35),
        Column("doc", _("Document no."), width=32),
        Column("description", _("Description"), width=116),
        Column("debit", _("Debit"), "money", width=28),
        Column("credit", _("Credit"), "money", width=28),
        Column("balance", _("Balance"), "money", width=28)], landscape=True)
    accounts = conn.execute("SELECT id, code, name, normal_side FROM account "
                            "WHERE is_header = 0 ORDER BY code").fetchall()
    opening = _balances_before(conn, [a[0] for a in accounts], start)
    postings: dict[int, list[tuple]] = defaultdict(list)
    for account, date, doc, description, member, debit, credit in conn.execute(
            "SELECT l.account_id, j.date, j.doc_number, j.description, m.number, l.debit, "
            "l.credit FROM journal_line l JOIN journal j ON j.id = l.journal_id "
            "LEFT JOIN member m ON m.id = l.member_id WHERE j.date BETWEEN ? AND ? "
            "ORDER BY l.account_id, j.date, j.id, l.line_no", (_iso(start), _iso(end))):
        postings[int(account)].append((date, doc, description, member, int(debit),
                                       int(credit)))
    total_debit = total_credit = count = 0
    for account, code, name, side in accounts:
        sign = 1 if side == "D" else -1
        balance = sign * opening.get(account, 0)
        lines = postings.get(account, [])
        if not balance and not lines:
            continue
        count += 1
        report.rows.append({"date": None, "doc": code, "description": name,
                            "_style": "heading"})
        report.rows.append({"date": start, "doc": "", "description": _("Opening balance"),
                            "balance": balance})
        debits = credits = 0
        for date, doc, description, member, debit, credit in lines:
            balance += sign * (debit - credit)
            debits, credits = debits + debit, credits + credit
            report.rows.append({
                "date": dt.date.fromisoformat(date), "doc": doc,
                "description": f"{description} · {member}" if member else description,
                "debit": debit or None, "credit": credit or None, "balance": balance})
        report.rows.append({"date": None, "doc": "", "description": _(
            "Movements and closing balance of {code}").format(code=code), "debit": debits,
            "credit": credits, "balance": balance, "_style": "subtotal",
            "_account": code, "_net": sign * balance})
        total_debit, total_credit = total_debit + debits, total_credit + credits
    report.totals = {"debit": total_debit, "credit": total_credit, "accounts": count}
    if count:
        report.notes.append(_("Balances are on the account's normal side (debit for assets "
                              "and expenses, credit for the others and for contra accounts); "
                              "a negative balance lies on the other side."))
    return report


# ------------------------------------------------------------------------------- cash flow
# What the other side of a cash journal is, by account code: (section, item).
_OPERATING, _INVESTING, _FINANCING = "operating", "investing", "financing"
_FLOW_ITEMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (_OPERATING, "savings", ("201", "202", "205", "206", "251", "252")),
    (_OPERATING, "financing", ("111", "112", "113", "114", "115", "119")),
    (_OPERATING, "income", ("4",)),
    (_OPERATING, "expense", ("5",)),
    (_OPERATING, "maal", ("24",)),
    (_OPERATING, "qardh", (QARDH_LOANS,)),
    (_INVESTING, "fixed_assets", ("121", "122")),
    (_FINANCING, "capital", ("301", "302")),
    (_FINANCING, "other_equity", ("303", "304", "305", "309")),
    (_FINANCING, "shu_members", (MEMBERS_PAYABLE,)),
    (_FINANCING, "shu_funds", SHU_FUNDS),
)
_OTHER = (_OPERATING, "other")


def _flow_item(code: str) -> tuple[str, str]:
    for section, item, prefixes in _FLOW_ITEMS:
        if any(code == p or (len(p) < 3 and code.startswith(p)) for p in prefixes):
            return section, item
    return _OTHER


def _flow_labels() -> dict[tuple[str, int], str]:
    """(item, sign) → label: +1 cash received, −1 cash paid."""
    return {
        ("savings", 1): _("Savings deposits received (sukarela, mudharabah, Kube funds)"),
        ("savings", -1): _("Savings withdrawals paid"),
        ("financing", 1): _("Financing principal repaid"),
        ("financing", -1): _("Financing disbursed"),
        ("income", 1): _("Income received (margin, profit share, fees, other)"),
        ("income", -1): _("Income refunded"),
        ("expense", 1): _("Expenses refunded"),
        ("expense", -1): _("Expenses paid (salaries, operations, profit share)"),
        ("maal", 1): _("Maal funds received (zakat, infak, sedekah, ta'zir, non-halal)"),
        ("maal", -1): _("Maal funds distributed"),
        ("qardh", 1): _("Qardhul hasan loans repaid"),
        ("qardh", -1): _("Qardhul hasan loans lent"),
        ("other", 1): _("Other operating receipts"),
        ("other", -1): _("Other operating payments"),
        ("fixed_assets", 1): _("Fixed assets sold"),
        ("fixed_assets", -1): _("Fixed assets bought"),
        ("capital", 1): _("Simpanan pokok and wajib received"),
        ("capital", -1): _("Simpanan pokok and wajib returned"),
        ("other_equity", 1): _("Other capital received"),
        ("other_equity", -1): _("Other capital returned"),
        ("shu_members", 1): _("Members' SHU payable received"),
        ("shu_members", -1): _("SHU paid to members"),
        ("shu_funds", 1): _("Board, education and social funds received"),
        ("shu_funds", -1): _("Board, education and social funds used"),
    }


@register("cash-flow", N_("Cash flow statement"))
def cash_flow(session: Session, start: dt.date, end: dt.date) -> Report:
    """Direct method: every journal that moves cash (101, 102, 103, 131) is classified by its
    other lines; transfers between cash accounts have none and drop out."""
    conn = _conn(session)
    report = Report("cash-flow", _("Cash flow statement"), start, end, [
        Column("description", _("Description"), width=145),
        Column("amount", _("Amount"), "money", width=35)])
    cash = _accounts(conn, CASH)
    ids = [a for a, _c, _n in cash]
    opening_by = _balances_before(conn, ids, start)
    opening = sum(opening_by.values())
    per_journal: dict[tuple[int, str, str], int] = defaultdict(int)
    for journal, code, net in conn.execute(
            "SELECT l.journal_id, a.code, sum(l.credit - l.debit) FROM journal_line l "
            "JOIN account a ON a.id = l.account_id WHERE l.journal_id IN ("
            "SELECT DISTINCT c.journal_id FROM journal_line c JOIN journal j "
            f"ON j.id = c.journal_id WHERE c.account_id IN ({_marks(ids)}) "
            f"AND j.date BETWEEN ? AND ?) AND l.account_id NOT IN ({_marks(ids)}) "
            "GROUP BY l.journal_id, a.code", (*ids, _iso(start), _iso(end), *ids)):
        section, item = _flow_item(code)
        per_journal[(int(journal), section, item)] += int(net)
    flows: dict[tuple[str, str, int], int] = defaultdict(int)
    for (_journal, section, item), net in per_journal.items():
        if net:
            flows[(section, item, 1 if net > 0 else -1)] += net
    closing_by = {a: opening_by.get(a, 0) for a in ids}
    for account, net in conn.execute(
            "SELECT l.account_id, sum(l.debit - l.credit) FROM journal_line l JOIN journal j "
            f"ON j.id = l.journal_id WHERE l.account_id IN ({_marks(ids)}) "
            "AND j.date BETWEEN ? AND ? GROUP BY l.account_id", (*ids, _iso(start), _iso(end))):
        closing_by[int(account)] += int(net)
    closing = sum(closing_by.values())
    labels = _flow_labels()
    sections = ((_OPERATING, _("Cash flows from operating activities"),
                 _("Net cash from operating activities")),
                (_INVESTING, _("Cash flows from investing activities"),
                 _("Net cash from investing activities")),
                (_FINANCING, _("Cash flows from financing activities"),
                 _("Net cash from financing activities")))
    order = [item for _s, item, _p in _FLOW_ITEMS] + ["other"]
    subtotals: dict[str, int] = {}
    for section, heading, subtotal in sections:
        report.rows.append({"description": heading, "_style": "heading"})
        total = 0
        for item in order:
            for sign in (1, -1):
                amount = flows.get((section, item, sign), 0)
                if amount:
                    report.rows.append({"description": labels[(item, sign)], "amount": amount,
                                        "_item": f"{item}{'+' if sign > 0 else '-'}"})
                    total += amount
        report.rows.append({"description": subtotal, "amount": total, "_style": "subtotal"})
        subtotals[section] = total
    net = sum(subtotals.values())
    report.rows += [
        {"description": _("Net increase (decrease) in cash"), "amount": net,
         "_style": "subtotal"},
        {"description": _("Cash at the beginning of the period"), "amount": opening},
        {"description": _("Cash at the end of the period"), "amount": opening + net,
         "_style": "total"},
        {"description": _("Cash at the end of the period, per account"), "_style": "heading"}]
    report.rows += [{"description": f"{code} {name}", "amount": closing_by[account]}
                    for account, code, name in cash]
    report.rows.append({"description": _("Total cash accounts"), "amount": closing,
                        "_style": "subtotal"})
    report.totals = {"opening": opening, "operating": subtotals[_OPERATING],
                     "investing": subtotals[_INVESTING], "financing": subtotals[_FINANCING],
                     "net": net, "closing": opening + net, "cash_accounts": closing}
    if opening + net != closing:
        report.notes.append(_("Opening cash and the net flow do not reach the cash accounts' "
                              "balance: verify the book."))
    if not opening and not closing and not flows:
        report.rows = []
    else:
        report.notes.append(_("Direct method: each journal that moves cash (101, 102, 103, "
                              "131) is classified by its other lines; transfers between cash "
                              "accounts are left out."))
    return report


# -------------------------------------------------------------------------- equity changes
def _unclosed_result(conn: sqlite3.Connection, on: dt.date) -> int:
    """Income less expenses of every line up to ``on``: the results not yet closed into
    equity by a year-end (the balance sheet's "earlier years" and "current year")."""
    (value,) = conn.execute(
        "SELECT coalesce(sum(l.credit - l.debit), 0) FROM journal_line l JOIN account a "
        "ON a.id = l.account_id JOIN journal j ON j.id = l.journal_id WHERE a.type IN "
        "('income', 'expense') AND j.date <= ?", (_iso(on),)).fetchone()
    return int(value)


@register("equity-changes", N_("Statement of changes in equity"))
def equity_changes(session: Session, start: dt.date, end: dt.date) -> Report:
    conn = _conn(session)
    report = Report("equity-changes", _("Statement of changes in equity"), start, end, [
        Column("code", _("Account"), width=15), Column("name", _("Account name"), width=53),
        Column("opening", _("Opening"), "money", width=28),
        Column("additions", _("Additions"), "money", width=28),
        Column("reductions", _("Reductions"), "money", width=28),
        Column("closing", _("Closing"), "money", width=28)])
    rows = conn.execute(
        "SELECT a.code, a.name, "
        "coalesce(sum(CASE WHEN j.date < ? THEN l.credit - l.debit END), 0), "
        "coalesce(sum(CASE WHEN j.date >= ? THEN l.credit END), 0), "
        "coalesce(sum(CASE WHEN j.date >= ? THEN l.debit END), 0) "
        "FROM account a LEFT JOIN journal_line l ON l.account_id = a.id "
        "LEFT JOIN journal j ON j.id = l.journal_id AND j.date <= ? "
        "WHERE a.type = 'equity' AND a.is_header = 0 GROUP BY a.id ORDER BY a.code",
        (_iso(start), _iso(start), _iso(start), _iso(end))).fetchall()
    for code, name, opening, additions, reductions in rows:
        if opening or additions or reductions:
            report.rows.append({"code": code, "name": name, "opening": int(opening),
                                "additions": int(additions), "reductions": int(reductions),
                                "closing": int(opening) + int(additions) - int(reductions)})
    before = _unclosed_result(conn, start - dt.timedelta(days=1))
    period, closed = conn.execute(
        "SELECT coalesce(sum(CASE WHEN j.doc_kind != ? THEN l.credit - l.debit END), 0), "
        "coalesce(sum(CASE WHEN j.doc_kind = ? THEN l.credit - l.debit END), 0) "
        "FROM journal_line l JOIN account a ON a.id = l.account_id JOIN journal j "
        "ON j.id = l.journal_id WHERE a.type IN ('income', 'expense') "
        "AND j.date BETWEEN ? AND ?", (CLOSING, CLOSING, _iso(start), _iso(end))).fetchone()
    period, closed = int(period), int(closed)
    if before or period or closed:
        additions = max(period, 0) + max(closed, 0)
        reductions = max(-period, 0) + max(-closed, 0)
        report.rows.append({"code": "", "name": _("Results not yet closed (SHU of the period; "
                                                  "closed at year-end)"),
                            "opening": before, "additions": additions,
                            "reductions": reductions, "closing": before + period + closed})
    keys = ("opening", "additions", "reductions", "closing")
    report.totals = {k: sum(int(r[k]) for r in report.rows) for k in keys}  # type: ignore[call-overload]
    report.totals["shu"] = period
    if report.rows:
        report.notes.append(_("SHU of the period (income less expenses, year-end closing left "
                              "out): {amount}.").format(amount=format_rupiah(period)))
        if closed:
            report.notes.append(_("The year-end closed {amount} of results into equity in this "
                                  "period.").format(amount=format_rupiah(-closed)))
        equity = balance_sheet(session, end, end).totals["equity"]
        if equity == report.totals["closing"]:
            report.notes.append(_("Closing equity equals the equity of the statement of "
                                  "financial position of {date}.").format(
                date=format_date_id(end)))
        else:
            report.notes.append(_("Closing equity differs from the statement of financial "
                                  "position ({amount}): verify the book.").format(
                amount=format_rupiah(int(equity))))
    return report


# ------------------------------------------------------------------------------ Maal funds
def _fund_columns(received: str, used: str) -> list[Column]:
    return [Column("date", _("Date"), "date", width=35),
            Column("doc", _("Document no."), width=32),
            Column("description", _("Description"), width=116),
            Column("in", received, "money", width=28), Column("out", used, "money", width=28),
            Column("balance", _("Balance"), "money", width=28)]


def _fund_sections(conn: sqlite3.Connection, report: Report, codes: Sequence[str],
                   start: dt.date, end: dt.date) -> dict[str, tuple[int, int, int, int]]:
    """For each account: heading, opening, each posting (in = to the fund, out = from it,
    on the account's normal side), closing; returns code → (opening, in, out, closing)."""
    accounts = conn.execute(
        f"SELECT id, code, name, normal_side FROM account WHERE code IN ({_marks(codes)}) "
        "ORDER BY code", tuple(codes)).fetchall()
    opening = _balances_before(conn, [a[0] for a in accounts], start)
    lines: dict[int, list[tuple]] = defaultdict(list)
    for account, date, doc, description, debit, credit in conn.execute(
            "SELECT l.account_id, j.date, j.doc_number, j.description, l.debit, l.credit "
            f"FROM journal_line l JOIN journal j ON j.id = l.journal_id WHERE l.account_id IN "
            f"({_marks(accounts)}) AND j.date BETWEEN ? AND ? ORDER BY j.date, j.id, l.line_no",
            (*[a[0] for a in accounts], _iso(start), _iso(end))):
        lines[int(account)].append((date, doc, description, int(debit), int(credit)))
    result = {}
    for account, code, name, side in accounts:
        sign = 1 if side == "D" else -1
        balance = first = sign * opening.get(account, 0)
        if not balance and not lines[account]:
            result[code] = (0, 0, 0, 0)
            continue
        report.rows.append({"date": None, "doc": code, "description": name,
                            "_style": "heading"})
        report.rows.append({"date": start, "doc": "", "description": _("Opening balance"),
                            "balance": balance})
        total_in = total_out = 0
        for date, doc, description, debit, credit in lines[account]:
            # A fund (credit side) receives by credit; a loan pool (debit side) is repaid
            # by credit too: "in" is always money coming back to the fund.
            amount_in, amount_out = (credit, debit)
            balance += amount_in - amount_out if sign < 0 else amount_out - amount_in
            total_in, total_out = total_in + amount_in, total_out + amount_out
            report.rows.append({"date": dt.date.fromisoformat(date), "doc": doc,
                                "description": description, "in": amount_in or None,
                                "out": amount_out or None, "balance": balance})
        report.rows.append({"date": None, "doc": "", "description": _(
            "Total and closing balance of {code}").format(code=code), "in": total_in,
            "out": total_out, "balance": balance, "_style": "subtotal"})
        result[code] = (first, total_in, total_out, balance)
    return result


@register("zakat", N_("Sources and uses of zakat funds"))
def zakat(session: Session, start: dt.date, end: dt.date) -> Report:
    conn = _conn(session)
    report = Report("zakat", _("Sources and uses of zakat funds"), start, end,
                    _fund_columns(_("Received"), _("Distributed")), landscape=True)
    opening, received, used, closing = _fund_sections(conn, report, (ZAKAT,), start, end)[ZAKAT]
    report.totals = {"opening": opening, "receipts": received, "distributions": used,
                     "closing": closing}
    if report.rows:
        report.notes.append(_("Zakat is kept apart from the business accounts and never "
                              "becomes income (PSAK 109)."))
    return report


@register("benevolence", N_("Sources and uses of benevolence funds"))
def benevolence(session: Session, start: dt.date, end: dt.date) -> Report:
    """Infak/sedekah (242), qardhul hasan fund (243), ta'zir (244), non-halal income (245),
    then the qardhul hasan loans (132): lent (out) and repaid (in)."""
    conn = _conn(session)
    report = Report("benevolence", _("Sources and uses of benevolence funds"), start, end,
                    _fund_columns(_("Received"), _("Used")), landscape=True)
    funds = _fund_sections(conn, report, BENEVOLENCE, start, end)
    opening = sum(f[0] for f in funds.values())
    received = sum(f[1] for f in funds.values())
    used = sum(f[2] for f in funds.values())
    closing = sum(f[3] for f in funds.values())
    if report.rows:
        report.rows.append({"date": None, "doc": "", "description": _(
            "Total benevolence funds (opening {amount})").format(amount=format_rupiah(opening)),
            "in": received, "out": used, "balance": closing, "_style": "total"})
    loans = Report("benevolence", "", start, end, report.columns)
    lent = _fund_sections(conn, loans, (QARDH_LOANS,), start, end)[QARDH_LOANS]
    if loans.rows:
        loans.rows[0]["description"] = _("{name}: repaid (in) and lent (out)").format(
            name=loans.rows[0]["description"])
        report.rows += loans.rows
    report.totals = {"opening": opening, "receipts": received, "uses": used,
                     "closing": closing, "qardh_opening": lent[0], "qardh_repaid": lent[1],
                     "qardh_lent": lent[2], "qardh_outstanding": lent[3]}
    if report.rows:
        report.notes.append(_("Ta'zir fines and non-halal income go to the social funds, "
                              "never to income. The qardhul hasan loans are the fund's money "
                              "lent to members; their balance is what is still owed."))
    return report


# -------------------------------------------------------------------------- profit sharing
@register("profit-sharing", N_("Profit sharing (bagi hasil)"))
def profit_sharing(session: Session, start: dt.date, end: dt.date) -> Report:
    """The bagi hasil posted by month-end (memo BH) per product and per member account, and
    the reconciliation with the financing revenue received in the period."""
    conn = _conn(session)
    report = Report("profit-sharing", _("Profit sharing (bagi hasil)"), start, end, [
        Column("account", _("Account"), width=28), Column("member", _("Member no."), width=26),
        Column("name", _("Name"), width=82), Column("nisbah", _("Nisbah"), "pct", width=16),
        Column("share", _("Profit share"), "money", width=28)])
    period = (_iso(start), _iso(end))
    shares = conn.execute(
        "SELECT p.code, p.name, s.number, m.number, m.name, s.nisbah_pct, "
        "sum(l.credit - l.debit) FROM journal_line l JOIN journal j ON j.id = l.journal_id "
        "JOIN savings_account s ON s.id = l.savings_account_id "
        "JOIN savings_product p ON p.id = s.product_id JOIN member m ON m.id = s.member_id "
        "WHERE l.memo = ? AND j.date BETWEEN ? AND ? GROUP BY s.id "
        "HAVING sum(l.credit - l.debit) != 0 ORDER BY p.id, s.number",
        (BAGI_HASIL, *period)).fetchall()
    (journals_total,) = conn.execute(
        "SELECT coalesce(sum(l.debit - l.credit), 0) FROM journal_line l JOIN journal j "
        "ON j.id = l.journal_id JOIN account a ON a.id = l.account_id "
        "WHERE l.memo = ? AND a.type = 'expense' AND j.date BETWEEN ? AND ?",
        (BAGI_HASIL, *period)).fetchone()
    revenue_rows = conn.execute(
        "SELECT a.code, a.name, coalesce(sum(l.credit - l.debit), 0) FROM account a "
        "JOIN journal_line l ON l.account_id = a.id JOIN journal j ON j.id = l.journal_id "
        f"WHERE a.code IN ({_marks(SHARED_REVENUE)}) AND j.date BETWEEN ? AND ? "
        "AND j.doc_kind != ? GROUP BY a.code ORDER BY a.code",
        (*SHARED_REVENUE, *period, CLOSING)).fetchall()
    shared = 0
    by_product: dict[str, list[tuple]] = defaultdict(list)
    for row in shares:
        by_product[f"{row[0]} {row[1]}"].append(row)
    for product, rows in by_product.items():
        report.rows.append({"account": "", "name": product, "_style": "heading"})
        subtotal = 0
        for _code, _name, number, member, name, nisbah, amount in rows:
            report.rows.append({"account": number, "member": member, "name": name,
                                "nisbah": int(nisbah), "share": int(amount)})
            subtotal += int(amount)
        report.rows.append({"account": "", "name": _("Total {product} ({n} accounts)").format(
            product=product, n=len(rows)), "share": subtotal, "_style": "subtotal"})
        shared += subtotal
    revenue = sum(int(r[2]) for r in revenue_rows)
    if shares:
        report.rows.append({"account": "", "name": _("Total profit share paid to savers"),
                            "share": shared, "_style": "total"})
    if shares or revenue:
        report.rows.append({"account": "", "name": _("Reconciliation of revenue and profit "
                                                     "sharing"), "_style": "heading"})
        report.rows += [{"account": code, "name": name, "share": int(amount)}
                        for code, name, amount in revenue_rows if amount]
        report.rows += [
            {"account": "", "name": _("Financing revenue received (shared revenue)"),
             "share": revenue, "_style": "subtotal"},
            {"account": "", "name": _("Shared with mudharabah savers (pool)"),
             "share": shared},
            {"account": "", "name": _("The BMT's part of the revenue"),
             "share": revenue - shared, "_style": "subtotal"}]
    report.totals = {"shared": shared, "bh_journals": int(journals_total), "revenue": revenue,
                     "bmt_share": revenue - shared, "accounts": len(shares)}
    if shared != int(journals_total):
        report.notes.append(_("The shares of the accounts ({shares}) differ from the profit "
                              "sharing journals ({journals}): verify the book.").format(
            shares=format_rupiah(shared), journals=format_rupiah(int(journals_total))))
    if revenue and not shares:
        report.notes.append(_("No profit share has been posted in this period yet: it is "
                              "posted by the month-end."))
    elif shares:
        report.notes.append(_("Each account's share is its average daily balance's part of "
                              "the revenue allocated to its product, times its nisbah, as "
                              "posted by the month-end (BH journals)."))
    return report


# --------------------------------------------------------------------------------------- SHU
@register("shu", N_("SHU distribution"), yearly=True)
def shu(session: Session, start: dt.date, end: dt.date) -> Report:
    """The year's SHU: income, expenses, SHU, its distribution (reserve, funds, members) and
    each member's JUA and JMA from the year-end's TB journals; before the year-end, the SHU
    computed so far and how the AD/ART percentages would split it."""
    from bmt_desktop.services import year_end

    conn = _conn(session)
    year = end.year
    report = Report("shu", _("SHU distribution {year}").format(year=year),
                    dt.date(year, 1, 1), dt.date(year, 12, 31), [
                        Column("member", _("Number"), width=26),
                        Column("name", _("Name / description"), width=73),
                        Column("jua", _("JUA"), "money", width=27),
                        Column("jma", _("JMA"), "money", width=27),
                        Column("total", _("Amount"), "money", width=27)])
    _nets, income, expense = year_end.year_figures(session, year)
    result = income - expense
    done = year in year_end.done_years(session)
    day = _iso(dt.date(year + 1, 1, 1))
    names = dict(conn.execute("SELECT code, name FROM account"))
    credits = dict(conn.execute(
        "SELECT a.code, coalesce(sum(l.credit - l.debit), 0) FROM journal_line l "
        "JOIN journal j ON j.id = l.journal_id JOIN account a ON a.id = l.account_id "
        "WHERE j.doc_kind = ? AND j.date = ? AND a.code IN (?, ?, ?, ?, ?) "
        "GROUP BY a.code", (CLOSING, day, RESERVE, *SHU_FUNDS, MEMBERS_PAYABLE))) \
        if done else {}
    members = conn.execute(
        "SELECT m.number, m.name, l.memo, l.credit - l.debit FROM journal_line l "
        "JOIN journal j ON j.id = l.journal_id JOIN account a ON a.id = l.account_id "
        "JOIN member m ON m.id = l.member_id WHERE j.doc_kind = ? AND j.date = ? "
        "AND a.code = ? ORDER BY m.number, l.id", (CLOSING, day, MEMBERS_PAYABLE)).fetchall() \
        if done else []
    if not done and not income and not expense:
        report.totals = {"income": 0, "expense": 0, "shu": 0, "distributed": False,
                         "members": 0, "jua": 0, "jma": 0, "total": 0}
        return report
    report.rows += [
        {"name": _("SHU of {year}").format(year=year), "_style": "heading"},
        {"name": _("Income"), "total": income},
        {"name": _("Expenses"), "total": expense},
        {"name": _("SHU (surplus) of the year") if result >= 0 else _("Deficit of the year"),
         "total": result, "_style": "subtotal"}]
    funds = {code: int(credits.get(code, 0)) for code in SHU_FUNDS}
    reserve = int(credits.get(RESERVE, 0))
    rows = []
    for number, name, memo, amount in members:
        match = _JUA_JMA.search(memo or "")
        jua, jma = (int(match.group(1)), int(match.group(2))) if match else (int(amount), 0)
        rows.append({"member": number, "name": name, "jua": jua, "jma": jma,
                     "total": int(amount)})
    paid = sum(int(r["total"]) for r in rows)  # type: ignore[call-overload]
    jua_total = sum(int(r["jua"]) for r in rows)  # type: ignore[call-overload]
    jma_total = sum(int(r["jma"]) for r in rows)  # type: ignore[call-overload]
    if not done and result > 0:
        # What the year-end would do with the AD/ART percentages (settings).
        def pct(key: str) -> int:
            return int(book_settings.get_setting(session.book, key))

        planned_members = result * pct("shu_members_pct") // 100
        funds = {code: result * pct(key) // 100 for key, code in (
            ("shu_board_pct", "207"), ("shu_education_pct", "208"), ("shu_social_pct", "209"))}
        reserve = result - planned_members - sum(funds.values())
        paid = planned_members
    if result > 0:
        report.rows.append({"name": _("Distribution of the SHU") if done else _(
            "Distribution by the AD/ART percentages (planned)"), "_style": "heading"})
        report.rows.append({"member": RESERVE, "name": names.get(RESERVE, ""),
                            "total": reserve})
        report.rows += [{"member": code, "name": names.get(code, ""), "total": amount}
                        for code, amount in funds.items()]
        report.rows.append({"member": MEMBERS_PAYABLE, "name": _("Members' share (JUA and JMA)"),
                            "jua": jua_total if done else None,
                            "jma": jma_total if done else None, "total": paid})
        report.rows.append({"name": _("Total distributed"), "total": reserve + paid + sum(
            funds.values()), "_style": "subtotal"})
    elif result < 0 and done:
        report.rows.append({"member": "305", "name": _("Deficit moved to {name}, for the RAT")
                            .format(name=names.get("305", "305")), "total": result})
    if rows:
        report.rows.append({"name": _("SHU of each member"), "_style": "heading"})
        report.rows += rows
    report.totals = {"income": income, "expense": expense, "shu": result, "distributed": done,
                     "reserve": reserve, **{f"fund_{c}": a for c, a in funds.items()},
                     "members": paid, "member_count": len(rows)}
    if rows:
        report.totals.update({"jua": jua_total, "jma": jma_total, "total": paid})
    if done and result <= 0:
        report.notes.append(_("The year-end of {year} closed a deficit: nothing is distributed "
                              "and the RAT decides how it is covered.").format(year=year))
    elif done:
        report.notes.append(_("From the year-end's closing journals dated {date}: JUA by each "
                              "member's margin and profit share paid in the year, JMA by "
                              "simpanan pokok and wajib held at year-end.").format(
            date=format_date_id(dt.date(year + 1, 1, 1))))
    else:
        report.notes.append(_("The year-end of {year} has not been run: the SHU is computed "
                              "from the books so far and is not yet distributed.").format(
            year=year))
    return report


# --------------------------------------------------------------------------------- statements
@register("statement", N_("Members' account statements"))
def statements(session: Session, start: dt.date, end: dt.date) -> Report:
    """One row per savings account: opening, debit, credit and closing of the period, by
    product (the members' monthly statements in one list; PDFs per member come from
    services.statement_batch)."""
    conn = _conn(session)
    report = Report("statement", _("Members' account statements"), start, end, [
        Column("account", _("Account"), width=32), Column("member", _("Member no."), width=28),
        Column("name", _("Name"), width=87), Column("opening", _("Opening"), "money", width=30),
        Column("debit", _("Debit"), "money", width=30),
        Column("credit", _("Credit"), "money", width=30),
        Column("closing", _("Closing"), "money", width=30)], landscape=True)
    rows = conn.execute(
        "SELECT p.code, p.name, s.number, m.number, m.name, s.status, "
        "coalesce(t.opening, 0), coalesce(t.debit, 0), coalesce(t.credit, 0) "
        "FROM savings_account s JOIN savings_product p ON p.id = s.product_id "
        "JOIN member m ON m.id = s.member_id LEFT JOIN ("
        "SELECT l.savings_account_id AS id, "
        "sum(CASE WHEN j.date < ? THEN l.credit - l.debit ELSE 0 END) AS opening, "
        "sum(CASE WHEN j.date >= ? THEN l.debit ELSE 0 END) AS debit, "
        "sum(CASE WHEN j.date >= ? THEN l.credit ELSE 0 END) AS credit "
        "FROM journal_line l JOIN journal j ON j.id = l.journal_id "
        "WHERE l.savings_account_id IS NOT NULL AND j.date <= ? "
        "GROUP BY l.savings_account_id) t ON t.id = s.id WHERE s.opened_on <= ? "
        "ORDER BY p.id, s.number", (_iso(start), _iso(start), _iso(start), _iso(end),
                                    _iso(end))).fetchall()
    keys = ("opening", "debit", "credit", "closing")
    product_rows: dict[str, list[dict[str, object]]] = defaultdict(list)
    for code, product, number, member, name, status, opening, debit, credit in rows:
        if status != "aktif" and not (opening or debit or credit):
            continue
        product_rows[f"{code} {product}"].append({
            "account": number, "member": member, "name": name, "opening": int(opening),
            "debit": int(debit), "credit": int(credit),
            "closing": int(opening) - int(debit) + int(credit)})
    for product, items in product_rows.items():
        report.rows.append({"account": "", "name": product, "_style": "heading"})
        report.rows += items
        report.rows.append({"account": "", "name": _("Total {product} ({n} accounts)").format(
            product=product, n=len(items)), **{k: sum(int(r[k]) for r in items)  # type: ignore[call-overload]
                                               for k in keys}, "_style": "subtotal"})
    every = [r for items in product_rows.values() for r in items]
    report.totals = {k: sum(int(r[k]) for r in every) for k in keys}  # type: ignore[call-overload]
    report.totals["accounts"] = len(every)
    if every:
        report.notes.append(_("The statements with every posting are printed per member, or "
                              "all in one file, from the statement batch."))
    return report
