"""The one way journals enter the book: checked, numbered, balanced, chained.

Every writer of journals (a teller's deposit, a reversal, the demo generator's bulk load)
goes through ``LedgerWriter``, so the balance check, the closed-period rule, gapless
document numbers, account balances and the hash chain cannot be skipped.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.docnum import DOC_KINDS, format_doc_number
from bmt_desktop.domain.errors import PeriodClosedError, ValidationError
from bmt_desktop.domain.hashing import journal_digest
from bmt_desktop.domain.journal_rules import AccountInfo, LineSpec, check_journal, check_text
from bmt_desktop.i18n import _
from bmt_desktop.store.audit import Actor, ChainWriter, utc_now

JOURNAL_COLUMNS = (
    "id",
    "doc_number",
    "doc_kind",
    "date",
    "description",
    "reverses_id",
    "reason",
    "created_by",
    "created_at",
    "drawer_id",
    "request_id",
)
LINE_COLUMNS = (
    "id", "journal_id", "line_no", "account_id", "member_id", "debit", "credit", "memo",
    "savings_account_id",
    "kube_id",
    "financing_id",
)


@dataclass(frozen=True, slots=True)
class JournalSpec:
    date: dt.date
    description: str
    lines: Sequence[LineSpec]
    doc_kind: str = "JU"
    reverses_id: int | None = None
    reason: str | None = None
    drawer_id: int | None = None
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class PostedJournal:
    id: int
    doc_number: str
    date: dt.date
    total: int
    chain_head: str


def load_accounts(conn: sqlite3.Connection) -> dict[str, AccountInfo]:
    rows = conn.execute(
        "SELECT id, code, name, type, fund, is_header, active FROM account"
    ).fetchall()
    return {
        r[1]: AccountInfo(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6])) for r in rows
    }


def closed_through(conn: sqlite3.Connection) -> dt.date | None:
    (value,) = conn.execute("SELECT max(closed_through) FROM period_close").fetchone()
    return dt.date.fromisoformat(value) if value else None


@dataclass
class LedgerWriter:
    """Writes journals inside the caller's ``BEGIN IMMEDIATE`` transaction.

    Rows are buffered and written with ``flush()`` so a bulk load costs few statements;
    a single posting calls ``post`` then ``flush`` at once.
    """

    conn: sqlite3.Connection
    chain: ChainWriter = field(init=False)
    accounts: dict[str, AccountInfo] = field(init=False)
    closed: dt.date | None = field(init=False)
    _next_journal: int = field(init=False)
    _next_line: int = field(init=False)
    _sequences: dict[tuple[str, int], int] = field(init=False, default_factory=dict)
    _journals: list[tuple] = field(init=False, default_factory=list)
    _lines: list[tuple] = field(init=False, default_factory=list)
    _audit: list[tuple] = field(init=False, default_factory=list)
    _balances: dict[int, int] = field(init=False, default_factory=dict)
    _savings: dict[int, int] = field(init=False, default_factory=dict)
    _savings_info: dict[int, tuple[int, str, str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.chain = ChainWriter(self.conn)
        self.accounts = load_accounts(self.conn)
        self.closed = closed_through(self.conn)
        self._next_journal = self._max_id("journal") + 1
        self._next_line = self._max_id("journal_line") + 1

    def _max_id(self, table: str) -> int:
        (value,) = self.conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
        return int(value)

    def _next_doc_number(self, kind: str, year: int) -> str:
        key = (kind, year)
        if key not in self._sequences:
            row = self.conn.execute(
                "SELECT last_number FROM doc_sequence WHERE kind = ? AND year = ?", key
            ).fetchone()
            self._sequences[key] = int(row[0]) if row else 0
        self._sequences[key] += 1
        return format_doc_number(kind, year, self._sequences[key])

    def _savings_account(self, savings_id: int, line_no: int, account_id: int) -> None:
        """A line on a member's savings account must use the product's ledger account."""
        info = self._savings_info.get(savings_id)
        if info is None:
            row = self.conn.execute(
                "SELECT p.account_id, s.status, s.number FROM savings_account s "
                "JOIN savings_product p ON p.id = s.product_id WHERE s.id = ?", (savings_id,)
            ).fetchone()
            if row is None:
                raise ValidationError(
                    _("Line {line}: the savings account does not exist.").format(line=line_no)
                )
            info = self._savings_info[savings_id] = (int(row[0]), str(row[1]), str(row[2]))
        product_account, status, number = info
        if status != "aktif":
            raise ValidationError(
                _("Savings account {number} is closed.").format(number=number)
            )
        if product_account != account_id:
            raise ValidationError(
                _("Line {line}: savings account {number} belongs to another ledger account.")
                .format(line=line_no, number=number)
            )

    def forget_savings(self, savings_id: int) -> None:
        """Drop a cached account after its status changed in this transaction."""
        self._savings_info.pop(savings_id, None)

    def post(
        self, spec: JournalSpec, actor: Actor, *, created_at: str | None = None
    ) -> PostedJournal:
        if actor.user_id is None:
            raise ValidationError(_("A journal must be posted by a user."))
        if spec.doc_kind not in DOC_KINDS:
            raise ValidationError(_("Unknown document kind {kind}.").format(kind=spec.doc_kind))
        description = check_text(spec.description, _("Description"), required=True)
        reason = None
        if spec.reason is not None:
            reason = check_text(spec.reason, _("Reason"), required=True)
        if not isinstance(spec.date, dt.date):
            raise ValidationError(_("The journal date is not a date."))
        if self.closed is not None and spec.date <= self.closed:
            raise PeriodClosedError(
                _("The books are closed through {closed}; a posting dated {date} is refused.").format(
                    closed=format_date_id(self.closed), date=format_date_id(spec.date)
                )
            )
        total = check_journal(spec.lines, self.accounts)

        journal_id = self._next_journal
        self._next_journal += 1
        journal = {
            "id": journal_id,
            "doc_number": self._next_doc_number(spec.doc_kind, spec.date.year),
            "doc_kind": spec.doc_kind,
            "date": spec.date.isoformat(),
            "description": description,
            "reverses_id": spec.reverses_id,
            "reason": reason,
            "created_by": actor.user_id,
            "created_at": created_at or utc_now(),
            "drawer_id": spec.drawer_id,
            "request_id": spec.request_id,
        }
        lines = []
        for number, spec_line in enumerate(spec.lines, start=1):
            account_id = self.accounts[spec_line.account_code].id
            line = {
                "id": self._next_line,
                "journal_id": journal_id,
                "line_no": number,
                "account_id": account_id,
                "member_id": spec_line.member_id,
                "debit": spec_line.debit,
                "credit": spec_line.credit,
                "memo": spec_line.memo.strip(),
                "savings_account_id": spec_line.savings_account_id,
                "kube_id": spec_line.kube_id,
                "financing_id": spec_line.financing_id,
            }
            if spec_line.savings_account_id is not None:
                self._savings_account(spec_line.savings_account_id, number, account_id)
                self._savings[spec_line.savings_account_id] = (
                    self._savings.get(spec_line.savings_account_id, 0)
                    + spec_line.credit - spec_line.debit
                )
            self._next_line += 1
            lines.append(line)
            self._balances[account_id] = (
                self._balances.get(account_id, 0) + spec_line.debit - spec_line.credit
            )
        digest = journal_digest(journal, lines)
        self._journals.append(tuple(journal.values()))
        self._lines.extend(tuple(line.values()) for line in lines)
        self._audit.append(
            self.chain.entry(
                actor,
                "journal.post",
                "journal",
                journal_id,
                after={"doc_number": journal["doc_number"], "total": total},
                journal_id=journal_id,
                journal_digest=digest,
                ts=journal["created_at"],
            )
        )
        return PostedJournal(
            journal_id, str(journal["doc_number"]), spec.date, total, self.chain.head
        )

    def flush(self) -> None:
        """Write the buffered rows; the caller's transaction makes them atomic."""
        conn = self.conn
        conn.executemany(
            f"INSERT INTO journal ({', '.join(JOURNAL_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _c in JOURNAL_COLUMNS)})",
            self._journals,
        )
        conn.executemany(
            f"INSERT INTO journal_line ({', '.join(LINE_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _c in LINE_COLUMNS)})",
            self._lines,
        )
        self.chain.write(self._audit)
        conn.executemany(
            "UPDATE account SET balance = balance + ? WHERE id = ?",
            [(delta, account_id) for account_id, delta in self._balances.items() if delta],
        )
        conn.executemany(
            "UPDATE savings_account SET balance = balance + ? WHERE id = ?",
            [(delta, savings_id) for savings_id, delta in self._savings.items() if delta],
        )
        conn.executemany(
            "INSERT INTO doc_sequence (kind, year, last_number) VALUES (?, ?, ?) "
            "ON CONFLICT (kind, year) DO UPDATE SET last_number = excluded.last_number",
            [(kind, year, last) for (kind, year), last in self._sequences.items()],
        )
        self._journals.clear()
        self._lines.clear()
        self._audit.clear()
        self._balances.clear()
        self._savings.clear()


def reversal_spec(
    conn: sqlite3.Connection, journal_id: int, reason: str, day: dt.date
) -> JournalSpec:
    """The storno of a posted journal: same accounts, debit and credit swapped."""
    row = conn.execute(
        "SELECT doc_number, reverses_id FROM journal WHERE id = ?", (journal_id,)
    ).fetchone()
    if row is None:
        raise ValidationError(_("Journal {id} does not exist.").format(id=journal_id))
    doc_number, reverses_id = row
    if reverses_id is not None:
        raise ValidationError(
            _("{doc} is itself a reversal and cannot be reversed; post a new journal.").format(
                doc=doc_number
            )
        )
    done = conn.execute(
        "SELECT doc_number FROM journal WHERE reverses_id = ?", (journal_id,)
    ).fetchone()
    if done is not None:
        raise ValidationError(
            _("{doc} was already reversed by {rev}.").format(doc=doc_number, rev=done[0])
        )
    lines = [
        LineSpec(code, debit=credit, credit=debit, memo=memo, member_id=member_id,
                 savings_account_id=savings_id, kube_id=kube_id, financing_id=financing_id)
        for code, debit, credit, memo, member_id, savings_id, kube_id, financing_id
        in conn.execute(
            "SELECT a.code, l.debit, l.credit, l.memo, l.member_id, l.savings_account_id, "
            "l.kube_id, l.financing_id "
            "FROM journal_line l "
            "JOIN account a ON a.id = l.account_id WHERE l.journal_id = ? ORDER BY l.line_no",
            (journal_id,),
        )
    ]
    return JournalSpec(
        date=day,
        description=_("Reversal of {doc}").format(doc=doc_number),
        lines=lines,
        doc_kind="KR",
        reverses_id=journal_id,
        reason=reason,
    )
