"""``verify``: prove the book is whole and unaltered, and list every problem found.

Reads through a read-only connection, streaming large tables in key order so a ten-year
book is checked in bounded memory.
"""

from __future__ import annotations

import bisect
import itertools
import json
import multiprocessing
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bmt_desktop.domain.docnum import find_gaps, parse_doc_number
from bmt_desktop.domain.hashing import GENESIS_HASH, entry_hash, journal_digest
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.i18n import _
from bmt_desktop.store.book import inspect_file, read_only_uri
from bmt_desktop.store.sqlite_errors import sqlite_errors

PROTECTING_TRIGGERS = (
    "journal_no_update",
    "journal_no_delete",
    "journal_line_no_update",
    "journal_line_no_delete",
    "audit_no_update",
    "audit_no_delete",
    "period_close_no_update",
    "period_close_no_delete",
    "journal_closed_period",
)
# Triggers of tables that later schema versions add: checked when the table exists.
TABLE_TRIGGERS = {
    "financing_schedule": ("financing_schedule_no_update", "financing_schedule_no_delete"),
}
MAX_LISTED = 50  # per check; the count says how many more there were


@dataclass
class Problem:
    check: str
    message: str


@dataclass
class VerifyReport:
    path: str
    problems: list[Problem] = field(default_factory=list)
    chain_head: str = GENESIS_HASH
    chain_length: int = 0
    journals: int = 0
    checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        return data


class _Collector:
    def __init__(self, report: VerifyReport, check: str) -> None:
        self.report, self.check, self.count = report, check, 0
        report.checks.append(check)

    def add(self, message: str) -> None:
        self.count += 1
        if self.count <= MAX_LISTED:
            self.report.problems.append(Problem(self.check, message))

    def finish(self) -> None:
        if self.count > MAX_LISTED:
            self.report.problems.append(
                Problem(
                    self.check,
                    _("… and {n} more problems of this kind.").format(n=self.count - MAX_LISTED),
                )
            )


def _rows(conn: sqlite3.Connection, sql: str, args: tuple = ()) -> Iterator[dict]:
    cursor = conn.execute(sql, args)
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def _check_integrity(conn: sqlite3.Connection, report: VerifyReport) -> None:
    found = _Collector(report, "integrity_check")
    for (message,) in conn.execute("PRAGMA integrity_check"):
        if message != "ok":
            found.add(_("SQLite integrity: {msg}").format(msg=message))
    found.finish()


def _check_schema(conn: sqlite3.Connection, report: VerifyReport) -> None:
    found = _Collector(report, "foreign_key_check")
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        found.add(
            _("Row {rowid} of {table} points to a missing row of {parent}.").format(
                rowid=rowid, table=table, parent=parent
            )
        )
    found.finish()
    found = _Collector(report, "triggers")
    present = {
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    tables = {name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    expected = list(PROTECTING_TRIGGERS) + [
        name for table, names in TABLE_TRIGGERS.items() if table in tables for name in names]
    for name in expected:
        if name not in present:
            found.add(_("The protecting trigger {name} has been removed.").format(name=name))
    found.finish()


def _check_balances(conn: sqlite3.Connection, report: VerifyReport) -> None:
    found = _Collector(report, "journal_balance")
    for doc, debit, credit, n_debit, n_credit in conn.execute(
        "SELECT j.doc_number, coalesce(sum(l.debit), 0), coalesce(sum(l.credit), 0), "
        "count(CASE WHEN l.debit > 0 THEN 1 END), count(CASE WHEN l.credit > 0 THEN 1 END) "
        "FROM journal j LEFT JOIN journal_line l ON l.journal_id = j.id GROUP BY j.id "
        "HAVING sum(l.debit) IS NULL OR sum(l.debit) != sum(l.credit) "
        "OR count(CASE WHEN l.debit > 0 THEN 1 END) = 0 "
        "OR count(CASE WHEN l.credit > 0 THEN 1 END) = 0"
    ):
        found.add(
            _("Journal {doc} does not balance: debit {debit}, credit {credit}.").format(
                doc=doc, debit=format_rupiah(debit), credit=format_rupiah(credit)
            )
            if n_debit and n_credit
            else _("Journal {doc} lacks a debit or a credit line.").format(doc=doc)
        )
    for (line_id,) in conn.execute(
        "SELECT id FROM journal_line WHERE typeof(debit) != 'integer' OR typeof(credit) != "
        "'integer' OR debit < 0 OR credit < 0 OR (debit = 0) = (credit = 0)"
    ):
        found.add(_("Journal line {id} has an invalid amount.").format(id=line_id))
    for (line_id,) in conn.execute(
        "SELECT l.id FROM journal_line l LEFT JOIN journal j ON j.id = l.journal_id "
        "WHERE j.id IS NULL"
    ):
        found.add(_("Journal line {id} belongs to no journal.").format(id=line_id))
    found.finish()

    found = _Collector(report, "account_balance")
    for code, stored, summed in conn.execute(
        "SELECT a.code, a.balance, coalesce(s.total, 0) FROM account a LEFT JOIN "
        "(SELECT account_id, sum(debit) - sum(credit) AS total FROM journal_line "
        "GROUP BY account_id) s ON s.account_id = a.id WHERE a.balance != coalesce(s.total, 0)"
    ):
        found.add(
            _("Account {code}: stored balance {stored}, sum of its lines {summed}.").format(
                code=code, stored=format_rupiah(stored), summed=format_rupiah(summed)
            )
        )
    found.finish()


def _check_savings(conn: sqlite3.Connection, report: VerifyReport) -> None:
    found = _Collector(report, "savings_balance")
    has_savings = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'savings_account'"
    ).fetchone()
    if has_savings:
        for number, stored, summed in conn.execute(
            "SELECT s.number, s.balance, coalesce(t.total, 0) FROM savings_account s LEFT JOIN "
            "(SELECT savings_account_id, sum(credit) - sum(debit) AS total FROM journal_line "
            "WHERE savings_account_id IS NOT NULL GROUP BY savings_account_id) t "
            "ON t.savings_account_id = s.id WHERE s.balance != coalesce(t.total, 0)"
        ):
            found.add(
                _("Savings account {number}: stored balance {stored}, sum of its lines "
                  "{summed}.").format(number=number, stored=format_rupiah(stored),
                                      summed=format_rupiah(summed))
            )
        for line_id, number in conn.execute(
            "SELECT l.id, s.number FROM journal_line l JOIN savings_account s "
            "ON s.id = l.savings_account_id JOIN savings_product p ON p.id = s.product_id "
            "WHERE l.account_id != p.account_id"
        ):
            found.add(
                _("Journal line {id} is on savings account {number} but another ledger "
                  "account.").format(id=line_id, number=number)
            )
    found.finish()


def _check_doc_numbers(conn: sqlite3.Connection, report: VerifyReport) -> None:
    found = _Collector(report, "doc_numbers")
    numbers: dict[tuple[str, int], list[int]] = defaultdict(list)
    for doc, kind, date in conn.execute("SELECT doc_number, doc_kind, date FROM journal"):
        parsed = parse_doc_number(doc)
        if parsed is None or parsed[0] != kind or parsed[1] != int(str(date)[:4]):
            found.add(_("Document number {doc} is malformed.").format(doc=doc))
            continue
        numbers[(parsed[0], parsed[1])].append(parsed[2])
    sequences = {
        (kind, year): last
        for kind, year, last in conn.execute("SELECT kind, year, last_number FROM doc_sequence")
    }
    for key in sorted(set(numbers) | set(sequences)):
        kind, year = key
        used = numbers.get(key, [])
        last = sequences.get(key, 0)
        highest = max(used, default=0)
        if highest > last:
            found.add(
                _("{kind}-{year}: number {n} was used beyond the counter ({last}).").format(
                    kind=kind, year=year, n=highest, last=last
                )
            )
        gaps = find_gaps(used, max(last, highest))
        if gaps:
            shown = ", ".join(str(g) for g in gaps[:10])
            found.add(
                _("{kind}-{year}: {n} missing numbers ({shown}).").format(
                    kind=kind, year=year, n=len(gaps), shown=shown
                )
            )
    found.finish()


@dataclass
class _Closes:
    """Period closes in chain order, to find journals posted into a period already closed."""

    found: _Collector
    seqs: list[int]
    through: list[str]

    def bound_before(self, seq: int) -> str | None:
        """The closed-through date in force when audit entry ``seq`` was written."""
        index = bisect.bisect_left(self.seqs, seq)
        return self.through[index - 1] if index else None


def _check_closed_periods(conn: sqlite3.Connection, report: VerifyReport) -> _Closes:
    """Closes as the audit chain recorded them must all still stand in ``period_close``.

    The bounds used for journals come from the chain, so deleting or moving a close in the
    table (to post into a closed month) cannot hide the postings made after it.
    """
    found = _Collector(report, "closed_periods")
    table = dict(conn.execute("SELECT CAST(id AS TEXT), closed_through FROM period_close"))
    seqs: list[int] = []
    through: list[str] = []
    highest = ""
    chained: set[str] = set()
    for seq, entity_id, after in conn.execute(
        "SELECT seq, entity_id, after FROM audit_log WHERE action = 'period.close' ORDER BY seq"
    ):
        try:
            date = str(json.loads(after)["closed_through"])
        except (TypeError, ValueError, KeyError):
            found.add(_("Audit entry {seq} of a period close is unreadable.").format(seq=seq))
            continue
        chained.add(entity_id)
        if table.get(entity_id) != date:
            found.add(
                _("The close through {date} was removed or changed after it was made.").format(
                    date=date
                )
            )
        # Closes only move forward; keep the running maximum so a bisect finds the bound.
        highest = max(highest, date)
        seqs.append(seq)
        through.append(highest)
    for row_id, date in sorted(table.items()):
        if row_id not in chained:
            found.add(_("The close through {date} is not in the audit chain.").format(date=date))
    return _Closes(found, seqs, through)


def _check_audit_chain(
    conn: sqlite3.Connection, report: VerifyReport, anchors: frozenset[str]
) -> None:
    found = _Collector(report, "hash_chain")
    expected_seq, previous = 1, GENESIS_HASH
    missing_anchors = set(anchors)
    for row in _rows(conn, "SELECT * FROM audit_log ORDER BY seq"):
        stored = row.pop("hash")
        seq = row["seq"]
        if seq != expected_seq:
            found.add(
                _("Audit entries {first}–{last} are missing.").format(
                    first=expected_seq, last=seq - 1
                )
            )
        if row["prev_hash"] != previous:
            found.add(_("Audit entry {seq} does not follow the previous one.").format(seq=seq))
        if entry_hash(row) != stored:
            found.add(_("Audit entry {seq} was altered.").format(seq=seq))
        expected_seq, previous = seq + 1, stored
        missing_anchors.discard(stored)
        report.chain_length += 1
    report.chain_head = previous
    for anchor in sorted(missing_anchors):
        found.add(
            _("The chain head {head} printed earlier is not in the chain: entries were removed "
              "or altered.").format(head=anchor)
        )
    found.finish()


def _check_journal_chain(conn: sqlite3.Connection, report: VerifyReport, closes: _Closes) -> None:
    found = _Collector(report, "journal_chain")
    entries = conn.execute(
        "SELECT journal_id, journal_digest, seq FROM audit_log WHERE journal_id IS NOT NULL "
        "ORDER BY journal_id"
    )
    lines = itertools.groupby(
        _rows(conn, "SELECT * FROM journal_line ORDER BY journal_id, line_no"),
        key=lambda r: r["journal_id"],
    )
    pending_lines = next(lines, None)
    entry = entries.fetchone()
    for journal in _rows(conn, "SELECT * FROM journal ORDER BY id"):
        report.journals += 1
        jid = journal["id"]
        own_lines: list[dict] = []
        while pending_lines is not None and pending_lines[0] <= jid:
            if pending_lines[0] == jid:
                own_lines = list(pending_lines[1])
            pending_lines = next(lines, None)
        while entry is not None and entry[0] < jid:
            found.add(_("Journal {id} in the audit chain has been deleted.").format(id=entry[0]))
            entry = entries.fetchone()
        if entry is None or entry[0] != jid:
            found.add(
                _("Journal {doc} is not in the audit chain (inserted outside the program).").format(
                    doc=journal["doc_number"]
                )
            )
            continue
        bound = closes.bound_before(entry[2])
        if bound is not None and str(journal["date"]) <= bound:
            closes.found.add(
                _("Journal {doc} was posted into the period closed through {date}.").format(
                    doc=journal["doc_number"], date=bound
                )
            )
        if journal_digest(journal, own_lines) != entry[1]:
            found.add(
                _("Journal {doc} or its lines were altered after posting.").format(
                    doc=journal["doc_number"]
                )
            )
        entry = entries.fetchone()
    while entry is not None:
        found.add(_("Journal {id} in the audit chain has been deleted.").format(id=entry[0]))
        entry = entries.fetchone()
    found.finish()
    closes.found.finish()


# The checks in report order. The two heaviest (SQLite's own integrity check and the audit
# chain's hashes) can run in processes of their own on a large book: two cores, half the wait.
ORDER = ("integrity_check", "foreign_key_check", "triggers", "journal_balance",
         "account_balance", "savings_balance", "doc_numbers", "closed_periods", "hash_chain",
         "journal_chain")
HEAVY = ("integrity", "audit_chain")
PARALLEL_FROM_BYTES = 100 * 1024 * 1024


def _run(conn: sqlite3.Connection, report: VerifyReport, anchors: frozenset[str],
         parts: tuple[str, ...]) -> None:
    if "integrity" in parts:
        _check_integrity(conn, report)
    if "rest" in parts:
        _check_schema(conn, report)
        _check_balances(conn, report)
        _check_savings(conn, report)
        _check_doc_numbers(conn, report)
        _check_journal_chain(conn, report, _check_closed_periods(conn, report))
    if "audit_chain" in parts:
        _check_audit_chain(conn, report, anchors)


def verify_connection(
    conn: sqlite3.Connection, path: str, anchors: frozenset[str] = frozenset()
) -> VerifyReport:
    report = VerifyReport(path=path)
    _run(conn, report, anchors, ("integrity", "rest", "audit_chain"))
    return _ordered(report)


def _ordered(report: VerifyReport) -> VerifyReport:
    report.checks.sort(key=ORDER.index)
    report.problems.sort(key=lambda p: ORDER.index(p.check))
    return report


def _part(uri: str, path: str, anchors: frozenset[str], part: str) -> VerifyReport:
    """One heavy part in a process of its own (spawned: safe beside Qt's threads)."""
    conn = sqlite3.connect(uri, uri=True)
    try:
        report = VerifyReport(path=path)
        _run(conn, report, anchors, (part,))
        return report
    finally:
        conn.close()


def _merge(main: VerifyReport, parts: list[VerifyReport]) -> VerifyReport:
    for part in parts:
        main.problems.extend(part.problems)
        main.checks.extend(part.checks)
        if "hash_chain" in part.checks:
            main.chain_head, main.chain_length = part.chain_head, part.chain_length
    return _ordered(main)


def verify_book(path: str | Path, anchors: Iterable[str] = (), *,
                parallel: bool | None = None) -> VerifyReport:
    """Run every check on the book at ``path`` without writing to it.

    ``anchors`` are chain heads printed earlier (on a closing report, say): each must still
    be in the chain, which catches entries cut from its end. A large book is checked in
    three processes at once (``parallel`` forces the choice either way).
    """
    path = Path(path)
    info = inspect_file(path)
    uri = read_only_uri(path, immutable=info.journal_mode != "wal")
    wanted = frozenset(a.strip().lower() for a in anchors)
    if parallel is None:
        parallel = path.stat().st_size >= PARALLEL_FROM_BYTES
    with sqlite_errors():
        if not parallel:
            conn = sqlite3.connect(uri, uri=True)
            try:
                return verify_connection(conn, str(path), wanted)
            finally:
                conn.close()
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=len(HEAVY), mp_context=context) as pool:
            futures = [pool.submit(_part, uri, str(path), wanted, part) for part in HEAVY]
            report = _part(uri, str(path), wanted, "rest")
            return _merge(report, [future.result() for future in futures])
