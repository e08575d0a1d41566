"""Office profile and users: validated, audited with before and after, nothing written on error."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bmt_desktop.domain.errors import AuthenticationError, ValidationError
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.services import auth, ledger, office
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from tests.conftest import PASSWORD, TODAY

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _last_audit(book: Book) -> dict:
    row = book.raw().execute(
        "SELECT action, before, after, username FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return {"action": row[0], "before": json.loads(row[1] or "null"),
            "after": json.loads(row[2] or "null"), "username": row[3]}


def test_profile_update_is_audited_with_before_and_after(book: Book, admin: Session) -> None:
    profile = office.update_profile(admin, name="BMT Al-Amanah", registration_number="518/BH/2026",
                                    fiscal_year_start_month=7, logo=PNG)
    assert (profile.name, profile.registration_number) == ("BMT Al-Amanah", "518/BH/2026")
    assert profile.fiscal_year_start_month == 7 and profile.has_logo
    assert office.get_logo(book) == PNG
    entry = _last_audit(book)
    assert entry["action"] == "office.update" and entry["username"] == "admin"
    assert entry["before"]["name"] == "BMT Uji Coba"
    assert entry["after"]["name"] == "BMT Al-Amanah"
    assert "logo_sha256" in entry["after"]


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "   "},
        {"name": "x" * 10_000},
        {"fiscal_year_start_month": 13},
        {"fiscal_year_start_month": 0},
        {"logo": b"GIF89a not allowed"},
        {"logo": PNG + b"\x00" * 600_000},
        {"address": "Jl. Raya\x00Cadasari"},
    ],
)
def test_bad_profile_input_writes_nothing(book: Book, admin: Session, changes: dict) -> None:
    head = ledger.current_chain_head(book)
    with pytest.raises(ValidationError):
        office.update_profile(admin, **changes)
    assert ledger.current_chain_head(book) == head
    assert office.get_profile(book).name == "BMT Uji Coba"


def test_quotes_and_sql_in_names_are_just_text(book: Book, admin: Session) -> None:
    name = "BMT 'Al-Ikhlas\"; DROP TABLE journal; --"
    assert office.update_profile(admin, name=name).name == name
    assert book.raw().execute("SELECT count(*) FROM journal").fetchone()[0] == 0


def test_users_passwords_are_argon2id_and_wrong_ones_refused(book: Book, admin: Session) -> None:
    stored = book.raw().execute("SELECT password_hash FROM user WHERE username = 'kasir'").fetchone()
    assert stored[0].startswith("$argon2id$")
    with pytest.raises(AuthenticationError):
        auth.login(book, "kasir", "salah-sandi")
    with pytest.raises(AuthenticationError):
        auth.login(book, "tidak-ada", PASSWORD)
    assert auth.login(book, "KASIR", PASSWORD).username == "kasir"


@pytest.mark.parametrize(
    ("username", "role", "password"),
    [
        ("kasir", "teller", PASSWORD),  # taken
        ("Bad Name", "teller", PASSWORD),
        ("baru", "superuser", PASSWORD),
        ("baru", "teller", "pendek"),
        ("b" * 40, "teller", PASSWORD),
    ],
)
def test_bad_user_input_writes_nothing(book: Book, admin: Session, username: str, role: str,
                                       password: str) -> None:
    head = ledger.current_chain_head(book)
    with pytest.raises(ValidationError):
        auth.create_user(admin, username, "Pengguna Baru", role, password)
    assert ledger.current_chain_head(book) == head


def test_deactivated_user_cannot_log_in(book: Book, admin: Session) -> None:
    auth.set_user_active(admin, "kasir", False)
    with pytest.raises(AuthenticationError):
        auth.login(book, "kasir", PASSWORD)
    entry = _last_audit(book)
    assert entry["before"] == {"active": True} and entry["after"] == {"active": False}
    with pytest.raises(ValidationError):
        auth.set_user_active(admin, "admin", False)


def test_password_change_needs_the_old_password(book: Book, teller: Session) -> None:
    with pytest.raises(AuthenticationError):
        auth.change_password(teller, "salah-sandi", "sandi-baru-123")
    auth.change_password(teller, PASSWORD, "sandi-baru-123")
    assert auth.login(book, "kasir", "sandi-baru-123").username == "kasir"
    assert "sandi-baru" not in json.dumps(_last_audit(book))


def test_a_duplicate_document_number_is_refused(book: Book, manager: Session) -> None:
    # Given a posted journal and a sequence counter wound back from outside the program
    ledger.post_journal(manager, TODAY, "Pertama", [LineSpec("101", debit=1000),
                                                   LineSpec("301", credit=1000)])
    book.raw().execute("UPDATE doc_sequence SET last_number = 0")
    head = ledger.current_chain_head(book)
    # When the next posting would reuse JU-2026-000001
    with pytest.raises(ValidationError):
        ledger.post_journal(manager, TODAY, "Kedua", [LineSpec("101", debit=1000),
                                                     LineSpec("301", credit=1000)])
    # Then nothing is written
    assert ledger.current_chain_head(book) == head
    assert book.raw().execute("SELECT count(*) FROM journal").fetchone()[0] == 1


def test_the_chart_keeps_maal_apart(book: Book) -> None:
    rows = book.raw().execute("SELECT code, type, fund FROM account").fetchall()
    maal = {code: kind for code, kind, fund in rows if fund == "maal"}
    assert {"241", "242", "243", "244", "131"} <= set(maal)
    assert not {"income", "expense"} & set(maal.values())


def test_immutability_triggers_refuse_edits_from_outside(book: Book, manager: Session,
                                                         book_path) -> None:
    ledger.post_journal(manager, TODAY, "Pertama", [LineSpec("101", debit=1000),
                                                   LineSpec("301", credit=1000)])
    conn = sqlite3.connect(book_path)
    try:
        for sql in ("UPDATE journal_line SET debit = 5", "DELETE FROM journal",
                    "UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.DatabaseError, match="BMT"):
                conn.execute(sql)
    finally:
        conn.close()
