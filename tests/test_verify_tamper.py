"""``verify`` catches edits made behind the program's back with plain ``sqlite3``.

A base book is built once through the services (journals, a reversal, a period close); each
case copies it, tampers with it the way a person with a SQLite browser could, and checks that
the report is not ok and names the check that must catch that edit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bmt_desktop.cli import main
from bmt_desktop.domain.hashing import entry_hash, journal_digest
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.services.auth import login
from bmt_desktop.services.ledger import close_period, post_journal, reverse_journal
from bmt_desktop.store.book import open_book
from bmt_desktop.store.ledger import JOURNAL_COLUMNS, LINE_COLUMNS
from bmt_desktop.store.verify import PROTECTING_TRIGGERS, verify_book
from tests.conftest import PASSWORD, TODAY
from tests.helpers.figures import count

ALL_CHECKS = {
    "integrity_check", "foreign_key_check", "triggers", "journal_balance", "account_balance",
    "doc_numbers", "closed_periods", "hash_chain", "journal_chain", "savings_balance",
}


@pytest.fixture(scope="module")
def base_book(template_book: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """JU-2026-000001..000005, KR-2026-000001 (reversing 000002), September 2026 closed."""
    path = tmp_path_factory.mktemp("tamper-base") / "kantor.bmt"
    shutil.copyfile(template_book, path)
    book = open_book(path)
    try:
        manager = login(book, "manajer", PASSWORD)
        manager.today = TODAY
        post_journal(manager, "2026-09-05", "Modal awal",
                     [LineSpec("101", debit=1_000_000), LineSpec("301", credit=1_000_000)])
        gaji = post_journal(manager, "2026-09-20", "Gaji September",
                            [LineSpec("521", debit=250_000), LineSpec("101", credit=250_000)])
        close_period(manager, 2026, 9)
        post_journal(manager, "2026-10-10", "Setor ke bank",
                     [LineSpec("103", debit=500_000), LineSpec("101", credit=500_000)])
        post_journal(manager, "2026-11-02", "Infak Jumat",
                     [LineSpec("131", debit=75_000), LineSpec("242", credit=75_000)])
        reverse_journal(manager, gaji.id, "Salah akun gaji")
        post_journal(manager, "2026-11-20", "Titipan dan simpanan",
                     [LineSpec("101", debit=300_000), LineSpec("201", credit=200_000),
                      LineSpec("202", credit=100_000)])
    finally:
        book.close()
    return path


@pytest.fixture
def book_copy(base_book: Path, tmp_path: Path) -> Path:
    path = tmp_path / "kantor.bmt"
    shutil.copyfile(base_book, path)
    return path


# --------------------------------------------------------------------------------------
# helpers for the tamperer
# --------------------------------------------------------------------------------------


@dataclass
class Tamperer:
    conn: sqlite3.Connection
    dropped: dict[str, str]

    def drop(self, *names: str) -> None:
        for name in names:
            (sql,) = self.conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
            ).fetchone()
            self.dropped[name] = sql
            self.conn.execute(f"DROP TRIGGER {name}")

    def restore(self) -> None:
        for sql in self.dropped.values():
            self.conn.execute(sql)
        self.dropped.clear()

    def journal(self, doc: str) -> int:
        return self.conn.execute("SELECT id FROM journal WHERE doc_number = ?", (doc,)).fetchone()[0]

    def account(self, code: str) -> int:
        return self.conn.execute("SELECT id FROM account WHERE code = ?", (code,)).fetchone()[0]

    def change(self, sql: str, args: tuple = ()) -> None:
        cursor = self.conn.execute(sql, args)
        assert cursor.rowcount >= 1, f"tamper changed nothing: {sql}"

    def insert_journal(self, doc: str, date: str, lines: list[tuple[str, int, int]],
                       *, careful: bool, chained: bool = False) -> None:
        """Insert a journal like the program would. ``careful`` also fixes the doc counter and
        the stored balances; ``chained`` also appends a correctly hashed audit entry."""
        conn = self.conn
        jid = conn.execute("SELECT max(id) + 1 FROM journal").fetchone()[0]
        (user,) = conn.execute("SELECT id FROM user WHERE username = 'manajer'").fetchone()
        journal = dict(zip(JOURNAL_COLUMNS, (
            jid, doc, doc[:2], date, "Sisipan", None, None, user,
            dt.datetime(2026, 11, 28, tzinfo=dt.UTC).isoformat(timespec="microseconds"),
            *(None,) * (len(JOURNAL_COLUMNS) - 9),
        ), strict=True))
        first_line = conn.execute("SELECT max(id) + 1 FROM journal_line").fetchone()[0]
        rows = [
            dict(zip(LINE_COLUMNS, (first_line + n, jid, n + 1, self.account(code), None, d, c, "",
                                    *(None,) * (len(LINE_COLUMNS) - 8)), strict=True))
            for n, (code, d, c) in enumerate(lines)
        ]
        conn.execute(f"INSERT INTO journal ({', '.join(journal)}) VALUES "
                     f"({', '.join('?' for _k in journal)})", tuple(journal.values()))
        for row in rows:
            conn.execute(f"INSERT INTO journal_line ({', '.join(row)}) VALUES "
                         f"({', '.join('?' for _k in row)})", tuple(row.values()))
        if careful:
            kind, year, number = doc.split("-")
            conn.execute("UPDATE doc_sequence SET last_number = max(last_number, ?) "
                         "WHERE kind = ? AND year = ?", (int(number), kind, int(year)))
            for code, d, c in lines:
                conn.execute("UPDATE account SET balance = balance + ? WHERE code = ?",
                             (d - c, code))
        if chained:
            seq, prev = conn.execute(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            entry = {
                "seq": seq + 1, "ts": journal["created_at"], "user_id": user,
                "username": "manajer", "action": "journal.post", "entity": "journal",
                "entity_id": str(jid), "before": None, "after": None, "journal_id": jid,
                "journal_digest": journal_digest(journal, rows), "prev_hash": prev,
            }
            entry["hash"] = entry_hash(entry)
            conn.execute(f"INSERT INTO audit_log ({', '.join(entry)}) VALUES "
                         f"({', '.join('?' for _k in entry)})", tuple(entry.values()))


def tamper(path: Path, edit: Callable[[Tamperer], None], *, restore_triggers: bool = False) -> set[str]:
    """Apply ``edit`` with plain sqlite3; return the names of the triggers it dropped."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        t = Tamperer(conn, {})
        conn.execute("BEGIN")
        edit(t)
        dropped = set(t.dropped)
        if restore_triggers:
            t.restore()
        conn.execute("COMMIT")
    finally:
        conn.close()
    return dropped


# --------------------------------------------------------------------------------------
# the cases: edit, and the checks that must report it
# --------------------------------------------------------------------------------------


def line_amount_with_twin(t: Tamperer) -> None:
    # Both lines of JU-2026-000001 grow by the same amount: the journal still balances.
    t.drop("journal_line_no_update")
    jid = t.journal("JU-2026-000001")
    t.change("UPDATE journal_line SET debit = debit + 1000 WHERE journal_id = ? AND debit > 0",
             (jid,))
    t.change("UPDATE journal_line SET credit = credit + 1000 WHERE journal_id = ? AND credit > 0",
             (jid,))


def journal_date(t: Tamperer) -> None:
    t.drop("journal_no_update")
    t.change("UPDATE journal SET date = '2026-10-11' WHERE doc_number = 'JU-2026-000003'")


def journal_date_into_closed_period(t: Tamperer) -> None:
    t.drop("journal_no_update")
    t.change("UPDATE journal SET date = '2026-09-15' WHERE doc_number = 'JU-2026-000004'")


def journal_date_other_year(t: Tamperer) -> None:
    t.drop("journal_no_update")
    t.change("UPDATE journal SET date = '2025-11-02' WHERE doc_number = 'JU-2026-000004'")


def line_account(t: Tamperer) -> None:
    t.drop("journal_line_no_update")
    t.change("UPDATE journal_line SET account_id = ? WHERE journal_id = ? AND debit > 0",
             (t.account("102"), t.journal("JU-2026-000003")))


def journal_description(t: Tamperer) -> None:
    t.drop("journal_no_update")
    t.change("UPDATE journal SET description = 'Setor ke bank (diubah)' "
             "WHERE doc_number = 'JU-2026-000003'")


def journal_doc_number_renumbered(t: Tamperer) -> None:
    t.drop("journal_no_update")
    t.change("UPDATE journal SET doc_number = 'JU-2026-000099' "
             "WHERE doc_number = 'JU-2026-000003'")


def journal_doc_number_malformed(t: Tamperer) -> None:
    # A trailing newline: the printed receipt and the book no longer agree on the number.
    t.drop("journal_no_update")
    t.change("UPDATE journal SET doc_number = 'JU-2026-000003' || char(10) "
             "WHERE doc_number = 'JU-2026-000003'")


def journal_doc_number_zero_padded(t: Tamperer) -> None:
    # 'JU-2026-0000003' is not what the program writes, yet reads as number 3.
    t.drop("journal_no_update")
    t.change("UPDATE journal SET doc_number = 'JU-2026-0000003' "
             "WHERE doc_number = 'JU-2026-000003'")


def audit_after_text(t: Tamperer) -> None:
    t.drop("audit_no_update")
    t.change("UPDATE audit_log SET after = '{\"doc_number\": \"JU-2026-000002\", "
             "\"total\": 25000}' WHERE journal_id = ?", (t.journal("JU-2026-000002"),))


def audit_username(t: Tamperer) -> None:
    t.drop("audit_no_update")
    t.change("UPDATE audit_log SET username = 'admin' WHERE action = 'period.close'")


def delete_journal_line(t: Tamperer) -> None:
    t.drop("journal_line_no_delete")
    t.change("DELETE FROM journal_line WHERE journal_id = ? AND line_no = 3",
             (t.journal("JU-2026-000005"),))


def delete_audit_row(t: Tamperer) -> None:
    t.drop("audit_no_delete")
    t.change("DELETE FROM audit_log WHERE seq = 3")  # a user.create entry


def delete_audit_row_of_a_journal(t: Tamperer) -> None:
    t.drop("audit_no_delete")
    t.change("DELETE FROM audit_log WHERE journal_id = ?", (t.journal("JU-2026-000003"),))


def insert_journal(t: Tamperer) -> None:
    t.insert_journal("JU-2026-000006", "2026-11-25", [("101", 10_000, 0), ("301", 0, 10_000)],
                     careful=False)


def insert_journal_carefully(t: Tamperer) -> None:
    # Counter and balances fixed too: only the chain can tell.
    t.insert_journal("JU-2026-000006", "2026-11-25", [("101", 10_000, 0), ("301", 0, 10_000)],
                     careful=True)


def account_balance(t: Tamperer) -> None:
    t.change("UPDATE account SET balance = balance + 1 WHERE code = '101'")


def delete_journal(t: Tamperer) -> None:
    t.drop("journal_no_delete", "journal_line_no_delete")
    jid = t.journal("JU-2026-000003")
    t.change("DELETE FROM journal_line WHERE journal_id = ?", (jid,))
    t.change("DELETE FROM journal WHERE id = ?", (jid,))


def delete_reversal(t: Tamperer) -> None:
    t.drop("journal_no_delete", "journal_line_no_delete")
    jid = t.journal("KR-2026-000001")
    t.change("DELETE FROM journal_line WHERE journal_id = ?", (jid,))
    t.change("DELETE FROM journal WHERE id = ?", (jid,))


def insert_into_closed_period(t: Tamperer) -> None:
    t.drop("journal_closed_period")
    t.insert_journal("JU-2026-000006", "2026-09-25", [("521", 90_000, 0), ("101", 0, 90_000)],
                     careful=True)


def insert_into_closed_period_chained(t: Tamperer) -> None:
    # Someone who knows the hashing appends a valid audit entry: the close still tells.
    t.drop("journal_closed_period")
    t.insert_journal("JU-2026-000006", "2026-09-25", [("521", 90_000, 0), ("101", 0, 90_000)],
                     careful=True, chained=True)


def reopen_closed_period(t: Tamperer) -> None:
    t.drop("period_close_no_delete")
    t.change("DELETE FROM period_close")


def move_period_close(t: Tamperer) -> None:
    t.drop("period_close_no_update")
    t.change("UPDATE period_close SET closed_through = '2026-08-31'")


CASES: dict[str, tuple[Callable[[Tamperer], None], set[str]]] = {
    "line_amount_with_twin": (line_amount_with_twin,
                              {"triggers", "journal_chain", "account_balance"}),
    "journal_date": (journal_date, {"triggers", "journal_chain"}),
    "journal_date_into_closed_period": (journal_date_into_closed_period,
                                        {"triggers", "journal_chain", "closed_periods"}),
    "journal_date_other_year": (journal_date_other_year,
                                {"triggers", "journal_chain", "doc_numbers"}),
    "line_account": (line_account, {"triggers", "journal_chain", "account_balance"}),
    "journal_description": (journal_description, {"triggers", "journal_chain"}),
    "journal_doc_number_renumbered": (journal_doc_number_renumbered,
                                      {"triggers", "journal_chain", "doc_numbers"}),
    "journal_doc_number_malformed": (journal_doc_number_malformed,
                                     {"triggers", "journal_chain", "doc_numbers"}),
    "journal_doc_number_zero_padded": (journal_doc_number_zero_padded,
                                       {"triggers", "journal_chain", "doc_numbers"}),
    "audit_after_text": (audit_after_text, {"triggers", "hash_chain"}),
    "audit_username": (audit_username, {"triggers", "hash_chain"}),
    "delete_journal_line": (delete_journal_line,
                            {"triggers", "journal_balance", "account_balance", "journal_chain"}),
    "delete_audit_row": (delete_audit_row, {"triggers", "hash_chain"}),
    "delete_audit_row_of_a_journal": (delete_audit_row_of_a_journal,
                                      {"triggers", "hash_chain", "journal_chain"}),
    "insert_journal": (insert_journal, {"journal_chain", "doc_numbers", "account_balance"}),
    "insert_journal_carefully": (insert_journal_carefully, {"journal_chain"}),
    "account_balance": (account_balance, {"account_balance"}),
    "delete_journal": (delete_journal, {"triggers", "foreign_key_check", "doc_numbers",
                                        "account_balance", "journal_chain"}),
    "delete_reversal": (delete_reversal, {"triggers", "foreign_key_check", "doc_numbers",
                                          "account_balance", "journal_chain"}),
    "insert_into_closed_period": (insert_into_closed_period, {"triggers", "journal_chain"}),
    "insert_into_closed_period_chained": (insert_into_closed_period_chained,
                                          {"triggers", "closed_periods"}),
    "reopen_closed_period": (reopen_closed_period, {"triggers", "closed_periods"}),
    "move_period_close": (move_period_close, {"triggers", "closed_periods"}),
}


def test_base_book_verifies_ok(base_book: Path) -> None:
    report = verify_book(base_book)
    assert report.ok, report.problems
    assert report.journals == 6
    assert set(report.checks) == ALL_CHECKS
    conn = sqlite3.connect(base_book)
    try:
        seq, head = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
                                 ).fetchone()
    finally:
        conn.close()
    assert (report.chain_length, report.chain_head) == (seq, head)


def test_fresh_book_verifies_ok(template_book: Path) -> None:
    report = verify_book(template_book)
    assert report.ok, report.problems
    assert report.journals == 0
    assert report.chain_length >= 1


def test_verify_does_not_change_the_book(book_copy: Path) -> None:
    before = hashlib.sha256(book_copy.read_bytes()).hexdigest()
    verify_book(book_copy)
    assert hashlib.sha256(book_copy.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("case", list(CASES))
def test_tampering_is_caught(book_copy: Path, case: str) -> None:
    # Given a verified book
    edit, expected = CASES[case]
    # When it is edited with plain sqlite3 (dropping the triggers that block the edit)
    dropped = tamper(book_copy, edit)
    # Then verify is not ok and names the checks that must catch the edit
    report = verify_book(book_copy)
    found = {p.check for p in report.problems}
    assert not report.ok
    assert found <= ALL_CHECKS
    assert expected <= found, f"missing {expected - found}; got {report.problems}"
    count("tampers")
    # and every dropped trigger is named
    messages = " ".join(p.message for p in report.problems if p.check == "triggers")
    for name in dropped:
        assert name in messages
    assert bool(dropped) == ("triggers" in found)


RESTORABLE = [name for name, (_e, expected) in CASES.items() if "triggers" in expected]


@pytest.mark.parametrize("case", RESTORABLE)
def test_tampering_is_caught_even_with_triggers_put_back(book_copy: Path, case: str) -> None:
    # Given a tamperer who re-creates the triggers after the edit
    edit, expected = CASES[case]
    tamper(book_copy, edit, restore_triggers=True)
    report = verify_book(book_copy)
    found = {p.check for p in report.problems}
    # Then the triggers check is quiet, but the deeper checks still catch the edit
    assert "triggers" not in found
    assert not report.ok, f"{case} went unnoticed once the triggers were back"
    assert expected - {"triggers"} <= found, report.problems
    count("tampers")


def test_reopened_period_then_posting_through_the_program_is_caught(book_copy: Path) -> None:
    # Given September 2026 was closed, and someone deletes the close row (triggers put back)
    tamper(book_copy, reopen_closed_period, restore_triggers=True)
    # When a manager then posts into September through the program
    book = open_book(book_copy)
    try:
        manager = login(book, "manajer", PASSWORD)
        manager.today = TODAY
        post_journal(manager, "2026-09-30", "Susulan September",
                     [LineSpec("521", debit=1_000), LineSpec("101", credit=1_000)])
    finally:
        book.close()
    # Then verify reports the broken close: the audit chain still says September is closed
    report = verify_book(book_copy)
    assert not report.ok
    assert "closed_periods" in {p.check for p in report.problems}


def test_all_triggers_dropped_are_all_reported(book_copy: Path) -> None:
    def drop_all(t: Tamperer) -> None:
        t.drop(*PROTECTING_TRIGGERS)

    tamper(book_copy, drop_all)
    report = verify_book(book_copy)
    named = [p.message for p in report.problems if p.check == "triggers"]
    assert len(named) == len(PROTECTING_TRIGGERS)
    for name in PROTECTING_TRIGGERS:
        assert any(name in m for m in named)
    assert {p.check for p in report.problems} == {"triggers"}


def test_triggers_block_plain_edits(book_copy: Path) -> None:
    conn = sqlite3.connect(book_copy)
    try:
        for sql in (
            "UPDATE journal SET description = 'x'",
            "DELETE FROM journal_line",
            "UPDATE audit_log SET after = NULL",
            "DELETE FROM audit_log",
            "DELETE FROM period_close",
            "UPDATE period_close SET closed_through = '2000-01-31'",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="BMT:"):
                conn.execute(sql)
        with pytest.raises(sqlite3.DatabaseError, match="period is closed"):
            conn.execute("INSERT INTO journal (doc_number, doc_kind, date, description, "
                         "created_by, created_at) VALUES ('JU-2026-000010', 'JU', '2026-09-01', "
                         "'x', 1, 'now')")
    finally:
        conn.close()
    assert verify_book(book_copy).ok


# --------------------------------------------------------------------------------------
# the command line
# --------------------------------------------------------------------------------------


def test_cli_verify_exit_codes(book_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--db", str(book_copy)]) == 0
    capsys.readouterr()
    tamper(book_copy, account_balance)
    assert main(["verify", "--db", str(book_copy)]) == 1
    out = capsys.readouterr().out
    assert "[account_balance]" in out


def test_cli_verify_json(book_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--db", str(book_copy), "--json"]) == 0
    clean = json.loads(capsys.readouterr().out)
    assert {"ok", "problems", "chain_head"} <= set(clean)
    assert clean["ok"] is True and clean["problems"] == []
    assert len(clean["chain_head"]) == 64

    tamper(book_copy, journal_description)
    assert main(["verify", "--db", str(book_copy), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert data["chain_head"] == clean["chain_head"]  # the chain itself was not touched
    checks = {p["check"] for p in data["problems"]}
    assert {"triggers", "journal_chain"} <= checks
    assert all(set(p) == {"check", "message"} for p in data["problems"])


def test_cli_verify_missing_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--db", str(tmp_path / "tidak-ada.bmt")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_an_anchored_head_catches_entries_cut_from_the_end(book_copy: Path) -> None:
    # Given the chain head printed when the book was whole
    head = verify_book(book_copy).chain_head
    assert verify_book(book_copy, [head]).ok
    # When the last audit entry is cut off behind the program's back
    conn = sqlite3.connect(book_copy)
    try:
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
        conn.execute(
            "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'BMT: the audit log is append-only'); END"
        )
        conn.commit()
    finally:
        conn.close()
    # Then the anchored head is missed and the CLI reports a problem
    report = verify_book(book_copy, [head.upper()])
    assert any(p.check == "hash_chain" and head in p.message for p in report.problems)
    assert main(["verify", "--db", str(book_copy), "--anchor", head]) == 1


@pytest.mark.parametrize("case", ["clean", "tampered"])
def test_parallel_verify_reports_exactly_what_the_serial_one_does(book_copy: Path,
                                                                 case: str) -> None:
    if case == "tampered":
        conn = sqlite3.connect(book_copy)
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit_log SET username = 'x' WHERE seq = 3")
        conn.execute("UPDATE account SET balance = balance + 1 WHERE code = '101'")
        conn.commit()
        conn.close()
    serial = verify_book(book_copy, parallel=False)
    together = verify_book(book_copy, parallel=True)
    assert together.as_dict() == serial.as_dict()
    assert together.ok == (case == "clean")
