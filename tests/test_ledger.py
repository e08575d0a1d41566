"""The ledger through the services, on real books: post, reverse, close a period."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bmt_desktop.domain.dates import month_end
from bmt_desktop.domain.errors import (
    BmtError,
    PeriodClosedError,
    PermissionDenied,
    UnbalancedJournalError,
    ValidationError,
)
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.domain.permissions import Role
from bmt_desktop.i18n import _
from bmt_desktop.services.ledger import (
    close_period,
    closed_until,
    current_chain_head,
    post_journal,
    reverse_journal,
    trial_balance,
)
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book, open_book
from bmt_desktop.store.verify import verify_book
from tests.conftest import TODAY


def D(code: str, amount: int, **kw: object) -> LineSpec:  # noqa: N802
    return LineSpec(code, debit=amount, **kw)  # type: ignore[arg-type]


def C(code: str, amount: int, **kw: object) -> LineSpec:  # noqa: N802
    return LineSpec(code, credit=amount, **kw)  # type: ignore[arg-type]


def state(book: Book) -> dict[str, object]:
    """Everything a refused operation must leave untouched."""
    conn = book.raw()

    def count(table: str) -> int:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    return {
        "journal": count("journal"),
        "journal_line": count("journal_line"),
        "audit_log": count("audit_log"),
        "period_close": count("period_close"),
        "doc_sequence": conn.execute(
            "SELECT kind, year, last_number FROM doc_sequence ORDER BY kind, year"
        ).fetchall(),
        "balances": conn.execute("SELECT code, balance FROM account ORDER BY code").fetchall(),
        "head": current_chain_head(book),
    }


def balances(book: Book) -> dict[str, int]:
    return dict(book.raw().execute("SELECT code, balance FROM account").fetchall())


def doc_numbers(book: Book) -> list[str]:
    return [r[0] for r in book.raw().execute("SELECT doc_number FROM journal ORDER BY id")]


SIMPLE = [D("101", 1_000_000), C("301", 1_000_000)]


# --------------------------------------------------------------------------------------
# posting
# --------------------------------------------------------------------------------------


def test_post_balanced_journals_gets_gapless_numbers_and_updates_balances(
    book: Book, manager: Session
) -> None:
    # Given an empty book
    head_before = current_chain_head(book)
    # When the manager posts two balanced journals
    first = post_journal(manager, dt.date(2026, 11, 2), "Setoran modal", SIMPLE)
    second = post_journal(
        manager, "2026-11-03", "Kas ke teller",
        [D("102", 300_000), C("101", 250_000), C("101", 50_000)],
    )
    # Then they are numbered JU-2026-000001, JU-2026-000002 and balances follow the lines
    assert (first.doc_number, second.doc_number) == ("JU-2026-000001", "JU-2026-000002")
    assert (first.total, second.total) == (1_000_000, 300_000)
    assert second.date == dt.date(2026, 11, 3)
    assert doc_numbers(book) == ["JU-2026-000001", "JU-2026-000002"]
    bal = balances(book)
    assert bal["101"] == 1_000_000 - 300_000
    assert bal["102"] == 300_000
    assert bal["301"] == -1_000_000
    assert sum(bal.values()) == 0
    # and each posting advanced the one audit chain by one entry
    seq, head = current_chain_head(book)
    assert seq == head_before[0] + 2
    assert head == second.chain_head != first.chain_head
    assert book.raw().execute(
        "SELECT kind, year, last_number FROM doc_sequence"
    ).fetchall() == [("JU", 2026, 2)]


def test_posted_journal_rows_and_audit_entry(book: Book, manager: Session) -> None:
    posted = post_journal(
        manager, TODAY, "  Setoran modal  ",
        [D("101", 500, memo=" kas "), C("301", 500, memo="pokok")],
    )
    conn = book.raw()
    row = conn.execute(
        "SELECT doc_kind, date, description, reverses_id, reason, created_by FROM journal "
        "WHERE id = ?", (posted.id,),
    ).fetchone()
    assert row == ("JU", "2026-11-29", "Setoran modal", None, None, manager.user_id)
    lines = conn.execute(
        "SELECT l.line_no, a.code, l.debit, l.credit, l.memo FROM journal_line l "
        "JOIN account a ON a.id = l.account_id WHERE journal_id = ? ORDER BY line_no",
        (posted.id,),
    ).fetchall()
    assert lines == [(1, "101", 500, 0, "kas"), (2, "301", 0, 500, "pokok")]
    entry = conn.execute(
        "SELECT action, entity, entity_id, user_id, username, journal_digest FROM audit_log "
        "WHERE journal_id = ?", (posted.id,),
    ).fetchone()
    assert entry[:5] == ("journal.post", "journal", str(posted.id), manager.user_id, "manajer")
    assert len(entry[5]) == 64


def test_numbers_restart_each_year_and_kinds_are_separate(book: Book, manager: Session) -> None:
    a = post_journal(manager, "2025-12-31", "Akhir tahun", SIMPLE)
    b = post_journal(manager, "2026-01-01", "Awal tahun", SIMPLE)
    c = post_journal(manager, "2025-12-30", "Susulan", SIMPLE)
    d = post_journal(manager, "2026-01-02", "Kuitansi", SIMPLE, doc_kind="KW")
    assert [a.doc_number, b.doc_number, c.doc_number, d.doc_number] == [
        "JU-2025-000001", "JU-2026-000001", "JU-2025-000002", "KW-2026-000001",
    ]


REFUSED = {
    "unbalanced": ([D("101", 100), C("301", 99)], UnbalancedJournalError),
    "one line": ([D("101", 100)], UnbalancedJournalError),
    "no lines": ([], UnbalancedJournalError),
    "two debits": ([D("101", 100), D("102", 100)], UnbalancedJournalError),
    "zero": ([D("101", 0), C("301", 0)], ValidationError),
    "negative": ([D("101", -100), C("301", -100)], ValidationError),
    "float": ([D("101", 100.0), C("301", 100.0)], ValidationError),
    "bool": ([D("101", True), C("301", True)], ValidationError),
    "debit and credit": ([LineSpec("101", debit=5, credit=5), C("301", 5)], ValidationError),
    "too large": ([D("101", 10**15 + 1), C("301", 10**15 + 1)], ValidationError),
    "unknown account": ([D("999", 100), C("301", 100)], ValidationError),
    "header account": ([D("1", 100), C("301", 100)], ValidationError),
    "maal as income": ([D("131", 100), C("401", 100)], ValidationError),
    "control char memo": ([D("101", 100), C("301", 100, memo="a\x07")], ValidationError),
    # good lines, but the balance check fails only on the last one: still nothing written
    "bad last line": ([D("101", 100), C("301", 100), D("102", 5)], UnbalancedJournalError),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_journal_writes_nothing(book: Book, manager: Session, case: str) -> None:
    lines, error = REFUSED[case]
    post_journal(manager, "2026-11-01", "Jurnal sebelumnya", SIMPLE)
    before = state(book)
    with pytest.raises(error) as info:
        post_journal(manager, "2026-11-02", "Jurnal ditolak", lines)
    assert isinstance(info.value, ValidationError)
    assert str(info.value) == info.value.message and info.value.message.strip()
    assert state(book) == before
    # and the refused journal did not use up a number
    assert post_journal(manager, "2026-11-03", "Berikut", SIMPLE).doc_number == "JU-2026-000002"


def test_refused_header_account_message_is_indonesian(book: Book, manager: Session) -> None:
    with pytest.raises(ValidationError) as info:
        post_journal(manager, TODAY, "Ke akun induk", [D("1", 100), C("301", 100)])
    expected = _("Line {line}: account {code} is a heading and takes no postings.")
    assert str(info.value) == expected.format(line=1, code="1")


def test_inactive_account_refused(book: Book, manager: Session) -> None:
    book.raw().execute("UPDATE account SET active = 0 WHERE code = '103'")
    before = state(book)
    with pytest.raises(ValidationError):
        post_journal(manager, TODAY, "Ke bank lama", [D("103", 100), C("101", 100)])
    assert state(book) == before


@pytest.mark.parametrize(
    "description", ["", "   ", "x" * 501, "baris\x00baru", 123],
)
def test_bad_description_refused(book: Book, manager: Session, description: object) -> None:
    before = state(book)
    with pytest.raises(ValidationError):
        post_journal(manager, TODAY, description, SIMPLE)  # type: ignore[arg-type]
    assert state(book) == before


def test_unknown_member_refused_without_raw_sqlite_error(book: Book, manager: Session) -> None:
    before = state(book)
    with pytest.raises(BmtError):
        post_journal(manager, TODAY, "Anggota fiktif",
                     [D("101", 100), C("201", 100, member_id=424242)])
    assert state(book) == before


def test_unknown_doc_kind_refused(book: Book, manager: Session) -> None:
    before = state(book)
    with pytest.raises(ValidationError):
        post_journal(manager, TODAY, "Jenis aneh", SIMPLE, doc_kind="XX")
    assert state(book) == before


@pytest.mark.parametrize(
    "date",
    [
        TODAY + dt.timedelta(days=1),
        "2027-01-01",
        dt.date(1989, 12, 31),
        "1900-01-01",
        "2026-02-30",
        "29/11/2026",
        "",
    ],
)
def test_bad_dates_refused(book: Book, manager: Session, date: object) -> None:
    before = state(book)
    with pytest.raises(ValidationError):
        post_journal(manager, date, "Tanggal salah", SIMPLE)  # type: ignore[arg-type]
    assert state(book) == before


def test_future_date_message_is_indonesian(book: Book, manager: Session) -> None:
    with pytest.raises(ValidationError) as info:
        post_journal(manager, "2026-11-30", "Besok", SIMPLE)
    assert str(info.value) == _("The date {date} is in the future.").format(
        date="30 November 2026"
    )


def test_edge_dates_accepted(book: Book, manager: Session) -> None:
    assert post_journal(manager, TODAY, "Hari ini", SIMPLE).date == TODAY
    assert post_journal(manager, "1990-01-01", "Awal", SIMPLE).doc_number == "JU-1990-000001"


@pytest.mark.parametrize("role", ["teller", "auditor", "admin"])
def test_only_the_manager_may_post(
    book: Book, request: pytest.FixtureRequest, role: str
) -> None:
    session: Session = request.getfixturevalue(role)
    before = state(book)
    with pytest.raises(PermissionDenied):
        post_journal(session, TODAY, "Tanpa hak", SIMPLE)
    with pytest.raises(PermissionDenied):
        close_period(session, 2026, 10)
    assert state(book) == before


def test_only_the_manager_may_reverse(book: Book, manager: Session, teller: Session) -> None:
    posted = post_journal(manager, TODAY, "Asli", SIMPLE)
    before = state(book)
    with pytest.raises(PermissionDenied):
        reverse_journal(teller, posted.id, "Salah")
    assert state(book) == before


# --------------------------------------------------------------------------------------
# reversal
# --------------------------------------------------------------------------------------


def test_reversal_nets_every_account_to_zero(book: Book, manager: Session) -> None:
    original = post_journal(
        manager, "2026-11-10", "Gaji dan kas",
        [D("521", 400_000), D("102", 100_000), C("101", 450_000), C("204", 50_000)],
    )
    reversal = reverse_journal(manager, original.id, "  Salah akun  ")
    assert reversal.doc_number == "KR-2026-000001"
    assert reversal.date == TODAY  # dated on the session's business day
    assert reversal.total == original.total
    assert all(v == 0 for v in balances(book).values())
    conn = book.raw()
    row = conn.execute(
        "SELECT doc_kind, reverses_id, reason, description, date FROM journal WHERE id = ?",
        (reversal.id,),
    ).fetchone()
    assert row == ("KR", original.id, "Salah akun",
                   _("Reversal of {doc}").format(doc=original.doc_number), "2026-11-29")
    swapped = conn.execute(
        "SELECT a.code, l.debit, l.credit FROM journal_line l JOIN account a "
        "ON a.id = l.account_id WHERE journal_id = ? ORDER BY line_no", (reversal.id,),
    ).fetchall()
    assert swapped == [("521", 0, 400_000), ("102", 0, 100_000), ("101", 450_000, 0),
                       ("204", 50_000, 0)]


def test_reversal_with_explicit_date(book: Book, manager: Session) -> None:
    original = post_journal(manager, "2026-11-10", "Asli", SIMPLE)
    reversal = reverse_journal(manager, original.id, "Salah", date="2026-11-12")
    assert reversal.date == dt.date(2026, 11, 12)
    with pytest.raises(ValidationError):
        reverse_journal(manager, post_journal(manager, TODAY, "B", SIMPLE).id, "x",
                        date=TODAY + dt.timedelta(days=1))


def test_second_reversal_and_reversal_of_reversal_refused(book: Book, manager: Session) -> None:
    original = post_journal(manager, TODAY, "Asli", SIMPLE)
    reversal = reverse_journal(manager, original.id, "Salah nominal")
    before = state(book)
    with pytest.raises(ValidationError) as info:
        reverse_journal(manager, original.id, "Sekali lagi")
    assert str(info.value) == _("{doc} was already reversed by {rev}.").format(
        doc=original.doc_number, rev=reversal.doc_number
    )
    with pytest.raises(ValidationError):
        reverse_journal(manager, reversal.id, "Balik storno")
    with pytest.raises(ValidationError):
        reverse_journal(manager, 9999, "Tidak ada")
    assert state(book) == before
    # The next reversal still gets the next number: refusals used none
    other = post_journal(manager, TODAY, "Lain", SIMPLE)
    assert reverse_journal(manager, other.id, "Salah").doc_number == "KR-2026-000002"


@pytest.mark.parametrize("reason", ["", "   ", "\n", "x" * 501, None])
def test_reversal_needs_a_reason(book: Book, manager: Session, reason: object) -> None:
    original = post_journal(manager, TODAY, "Asli", SIMPLE)
    before = state(book)
    with pytest.raises(ValidationError):
        reverse_journal(manager, original.id, reason)  # type: ignore[arg-type]
    assert state(book) == before


# --------------------------------------------------------------------------------------
# closing periods
# --------------------------------------------------------------------------------------


def test_close_period_refuses_postings_in_the_closed_month(book: Book, manager: Session) -> None:
    post_journal(manager, "2026-10-15", "Oktober", SIMPLE)
    assert closed_until(book) is None
    assert close_period(manager, 2026, 10) == dt.date(2026, 10, 31)
    assert closed_until(book) == dt.date(2026, 10, 31)
    entry = book.raw().execute(
        "SELECT action, entity, after FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert entry[:2] == ("period.close", "period_close") and "2026-10-31" in entry[2]
    before = state(book)
    for day in ("2026-10-31", "2026-10-01", "2025-05-05"):
        with pytest.raises(PeriodClosedError):
            post_journal(manager, day, "Ke periode tutup", SIMPLE)
    assert state(book) == before
    # the first day after the close is open
    assert post_journal(manager, "2026-11-01", "November", SIMPLE).doc_number == "JU-2026-000002"


@pytest.mark.parametrize(("year", "month"), [(2026, 11), (2026, 12), (2027, 1)])
def test_cannot_close_a_month_that_has_not_ended(
    book: Book, manager: Session, year: int, month: int
) -> None:
    before = state(book)
    with pytest.raises(ValidationError):
        close_period(manager, year, month)
    assert state(book) == before


def test_month_closes_the_day_after_it_ends(book: Book, manager: Session) -> None:
    manager.today = dt.date(2026, 11, 30)
    with pytest.raises(ValidationError):
        close_period(manager, 2026, 11)
    manager.today = dt.date(2026, 12, 1)
    assert close_period(manager, 2026, 11) == dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("year", "month"), [(2026, 0), (2026, 13), (1989, 12), ("2026", 10), (2026, None)]
)
def test_close_period_bad_month(book: Book, manager: Session, year: object, month: object) -> None:
    before = state(book)
    with pytest.raises(ValidationError):
        close_period(manager, year, month)  # type: ignore[arg-type]
    assert state(book) == before


def test_cannot_close_an_already_closed_month(book: Book, manager: Session) -> None:
    close_period(manager, 2026, 10)
    before = state(book)
    with pytest.raises(ValidationError):
        close_period(manager, 2026, 10)
    with pytest.raises(ValidationError):
        close_period(manager, 2026, 9)
    assert state(book) == before


def test_reversal_of_a_closed_month_journal_is_dated_in_the_open_period(
    book: Book, manager: Session
) -> None:
    original = post_journal(manager, "2026-10-20", "Oktober", SIMPLE)
    close_period(manager, 2026, 10)
    reversal = reverse_journal(manager, original.id, "Ditemukan saat audit")
    assert reversal.date == TODAY
    assert all(v == 0 for v in balances(book).values())
    # but a reversal dated inside the closed month is refused, and writes nothing
    other = post_journal(manager, "2026-11-02", "November", SIMPLE)
    before = state(book)
    with pytest.raises(PeriodClosedError):
        reverse_journal(manager, other.id, "Salah", date="2026-10-31")
    assert state(book) == before


def test_trial_balance_balances(book: Book, manager: Session, auditor: Session) -> None:
    post_journal(manager, "2026-11-02", "Modal", SIMPLE)
    post_journal(manager, "2026-11-03", "Beban", [D("521", 70_000), C("101", 70_000)])
    rows = trial_balance(auditor)
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows) == 1_000_000
    by_code = {r.code: r for r in rows}
    assert (by_code["101"].debit, by_code["101"].credit) == (930_000, 0)
    assert (by_code["301"].debit, by_code["301"].credit) == (0, 1_000_000)


# --------------------------------------------------------------------------------------
# property: random sequences of postings, reversals and closes keep the book whole
# --------------------------------------------------------------------------------------

TAMWIL = ["101", "102", "103", "201", "301", "401", "521"]
MAAL = ["131", "241", "242"]
_counter = itertools.count()


@st.composite
def _lines(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    codes = st.sampled_from(draw(st.sampled_from([TAMWIL, MAAL])))
    debits = draw(st.lists(st.integers(1, 10**12), min_size=1, max_size=3))
    n_credit = draw(st.integers(1, 3))
    total = sum(debits)
    if total < n_credit:
        n_credit = 1
    cuts = sorted(draw(st.lists(st.integers(1, total - 1), min_size=n_credit - 1,
                                max_size=n_credit - 1, unique=True))) if n_credit > 1 else []
    credits = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    return [(draw(codes), d, 0) for d in debits] + [(draw(codes), 0, c) for c in credits]


_days = st.dates(min_value=dt.date(2025, 10, 1), max_value=TODAY)
_months = st.sampled_from([(2025, m) for m in (10, 11, 12)] + [(2026, m) for m in range(1, 13)])
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("post"), _days, _lines()),
        st.tuples(st.just("reverse"), st.integers(0, 50)),
        st.tuples(st.just("close"), _months),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ops=_ops)
def test_random_postings_keep_the_book_whole(
    template_book: Path, tmp_path_factory: pytest.TempPathFactory, ops: list[tuple]
) -> None:
    path = tmp_path_factory.mktemp(f"prop{next(_counter)}") / "kantor.bmt"
    shutil.copyfile(template_book, path)
    book = open_book(path)
    try:
        (manager_id,) = book.raw().execute(
            "SELECT id FROM user WHERE username = 'manajer'"
        ).fetchone()
        session = Session(book, manager_id, "manajer", "Manajer Uji", Role.MANAGER, today=TODAY)
        model: dict[str, int] = {}
        posted: list[dict] = []  # id, reversal?, reversed?
        sequences: dict[tuple[str, int], int] = {}
        closed: dt.date | None = None
        for op in ops:
            before = state(book)
            if op[0] == "post":
                _, day, raw_lines = op
                lines = [LineSpec(code, debit=d, credit=c) for code, d, c in raw_lines]
                if closed is not None and day <= closed:
                    event("post refused: period closed")
                    with pytest.raises(PeriodClosedError):
                        post_journal(session, day, "Acak", lines)
                    assert state(book) == before
                    continue
                event("post")
                result = post_journal(session, day, "Acak", lines)
                key = ("JU", day.year)
                sequences[key] = sequences.get(key, 0) + 1
                assert result.doc_number == f"JU-{day.year}-{sequences[key]:06d}"
                for code, d, c in raw_lines:
                    model[code] = model.get(code, 0) + d - c
                posted.append({"id": result.id, "lines": raw_lines, "rev": False, "done": False})
            elif op[0] == "reverse":
                if not posted:
                    continue
                target = posted[op[1] % len(posted)]
                if target["rev"] or target["done"]:
                    event("reversal refused")
                    with pytest.raises(ValidationError):
                        reverse_journal(session, target["id"], "Acak")
                    assert state(book) == before
                    continue
                event("reversal")
                result = reverse_journal(session, target["id"], "Acak")
                key = ("KR", TODAY.year)
                sequences[key] = sequences.get(key, 0) + 1
                assert result.doc_number == f"KR-{TODAY.year}-{sequences[key]:06d}"
                target["done"] = True
                for code, d, c in target["lines"]:
                    model[code] = model.get(code, 0) - d + c
                posted.append({"id": result.id, "lines": [], "rev": True, "done": False})
            else:
                year, month = op[1]
                through = month_end(year, month)
                if through >= TODAY or (closed is not None and through <= closed):
                    event("close refused")
                    with pytest.raises(ValidationError):
                        close_period(session, year, month)
                    assert state(book) == before
                    continue
                event("close")
                assert close_period(session, year, month) == through
                closed = through
        stored = balances(book)
        assert sum(stored.values()) == 0
        for code, value in stored.items():
            assert value == model.get(code, 0), code
        # every (kind, year) sequence is exactly 1..n
        found: dict[tuple[str, int], list[int]] = {}
        for doc in doc_numbers(book):
            kind, year, number = doc.split("-")
            found.setdefault((kind, int(year)), []).append(int(number))
        assert {k: sorted(v) for k, v in found.items()} == {
            k: list(range(1, n + 1)) for k, n in sequences.items()
        }
    finally:
        book.close()
    report = verify_book(path)
    assert report.ok, report.problems
    assert report.journals == len(posted)
