"""Pure domain rules: money, dates, the journal balance check, rotation, doc numbers, hashing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bmt_desktop.domain import docnum, rotation
from bmt_desktop.domain.dates import EARLIEST_DATE, check_posting_date, format_date_id, parse_date
from bmt_desktop.domain.errors import BmtError, UnbalancedJournalError, ValidationError
from bmt_desktop.domain.hashing import GENESIS_HASH, entry_hash, journal_digest
from bmt_desktop.domain.journal_rules import MAX_LINES, AccountInfo, LineSpec, check_journal
from bmt_desktop.domain.money import MAX_AMOUNT, format_rupiah, parse_amount

# --------------------------------------------------------------------------------------
# money
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (1_500_000, "Rp1.500.000"),
        (1, "Rp1"),
        (999, "Rp999"),
        (1_000, "Rp1.000"),
        (0, "Rp0"),
        (-1_500_000, "-Rp1.500.000"),
        (MAX_AMOUNT, "Rp1.000.000.000.000.000"),
    ],
)
def test_format_rupiah_uses_indonesian_grouping(amount: int, text: str) -> None:
    assert format_rupiah(amount) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_500_000, 1_500_000),
        ("1500000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("Rp1.500.000", 1_500_000),
        ("rp 1.500.000", 1_500_000),
        ("  Rp 1 500 000 ", 1_500_000),
        (Decimal("5"), 5),
        (Decimal("5.000"), 5),
        (1, 1),
        (MAX_AMOUNT, MAX_AMOUNT),
        ("1.000.000.000.000.000", MAX_AMOUNT),
    ],
)
def test_parse_amount_accepts(value: object, expected: int) -> None:
    result = parse_amount(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        1500000.0,  # a float is refused even when it is whole
        True,
        False,
        0,
        "0",
        "000",
        -1,
        "-5",
        "Rp-5",
        MAX_AMOUNT + 1,
        10**16,
        "1.000.000.000.000.001",
        "abc",
        "1,5",
        "1.5",
        "1.500.000,00",
        "1.50.000",
        "+5",
        "",
        "   ",
        "１２３",  # full-width digits
        "٣",  # Arabic-Indic digit
        Decimal("1.5"),
        Decimal("-5"),
        Decimal("0"),
        Decimal("NaN"),
        None,
        [1],
        b"100",
    ],
)
def test_parse_amount_refuses(value: object) -> None:
    with pytest.raises(ValidationError):
        parse_amount(value)


@pytest.mark.parametrize("value", [Decimal("Infinity"), Decimal("-Infinity"), Decimal("sNaN")])
def test_parse_amount_refuses_special_decimals_with_a_validation_error(value: Decimal) -> None:
    # Given a Decimal that is not a finite number
    # When it is parsed as an amount
    # Then the user gets a ValidationError, not an OverflowError / decimal.InvalidOperation
    with pytest.raises(ValidationError):
        parse_amount(value)


def test_parse_amount_error_names_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        parse_amount("abc", field="Setoran")
    assert "Setoran" in str(info.value)
    assert info.value.message == str(info.value)


@given(st.integers(min_value=1, max_value=MAX_AMOUNT))
def test_format_then_parse_roundtrips(amount: int) -> None:
    assert parse_amount(format_rupiah(amount)) == amount
    assert parse_amount(str(amount)) == amount


# --------------------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------------------


def test_format_date_id() -> None:
    day = dt.date(2026, 11, 29)
    assert format_date_id(day) == "29 November 2026"
    assert format_date_id(day, weekday=True) == "Minggu, 29 November 2026"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 1, 1), "Kamis, 1 Januari 2026"),
        (dt.date(2026, 2, 2), "Senin, 2 Februari 2026"),
        (dt.date(2026, 8, 17), "Senin, 17 Agustus 2026"),
        (dt.date(2026, 12, 31), "Kamis, 31 Desember 2026"),
    ],
)
def test_format_date_id_month_and_weekday_names(day: dt.date, text: str) -> None:
    assert format_date_id(day, weekday=True) == text


def test_parse_and_check_posting_date() -> None:
    today = dt.date(2026, 11, 29)
    assert parse_date("2026-11-29") == today
    assert parse_date(dt.datetime(2026, 11, 29, 13, 5)) == today
    for bad in ("29-11-2026", "2026-13-01", "", None, 20261129):
        with pytest.raises(ValidationError):
            parse_date(bad)
    check_posting_date(today, today)
    check_posting_date(EARLIEST_DATE, today)
    with pytest.raises(ValidationError):
        check_posting_date(today + dt.timedelta(days=1), today)
    with pytest.raises(ValidationError):
        check_posting_date(EARLIEST_DATE - dt.timedelta(days=1), today)


# --------------------------------------------------------------------------------------
# journal_rules.check_journal
# --------------------------------------------------------------------------------------

ACCOUNTS = {
    a.code: a
    for a in (
        AccountInfo(1, "1", "ASET", "asset", "tamwil", True, True),
        AccountInfo(2, "101", "Kas Besar", "asset", "tamwil", False, True),
        AccountInfo(3, "102", "Kas Teller", "asset", "tamwil", False, True),
        AccountInfo(4, "131", "Kas Dana Maal", "asset", "maal", False, True),
        AccountInfo(5, "242", "Dana Infak", "liability", "maal", False, True),
        AccountInfo(6, "301", "Simpanan Pokok", "equity", "tamwil", False, True),
        AccountInfo(7, "401", "Pendapatan Margin", "income", "tamwil", False, True),
        AccountInfo(8, "521", "Beban Gaji", "expense", "tamwil", False, True),
        AccountInfo(9, "199", "Akun Lama", "asset", "tamwil", False, False),
    )
}


def D(code: str, amount: int, memo: str = "") -> LineSpec:  # noqa: N802
    return LineSpec(code, debit=amount, memo=memo)


def C(code: str, amount: int, memo: str = "") -> LineSpec:  # noqa: N802
    return LineSpec(code, credit=amount, memo=memo)


@pytest.mark.parametrize(
    ("lines", "total"),
    [
        ([D("101", 100), C("301", 100)], 100),
        ([D("101", 70), D("102", 30), C("301", 100)], 100),
        ([D("131", 5_000), C("242", 5_000)], 5_000),  # Maal with Maal
        ([D("131", 5_000), C("101", 5_000)], 5_000),  # Maal with a Tamwil asset
        ([D("521", 1), C("401", 1)], 1),
        ([D("101", MAX_AMOUNT), C("301", MAX_AMOUNT)], MAX_AMOUNT),
        ([D("101", 10), C("301", 10, memo="  catatan  ")], 10),
    ],
)
def test_check_journal_accepts(lines: list[LineSpec], total: int) -> None:
    assert check_journal(lines, ACCOUNTS) == total


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        ([], UnbalancedJournalError),
        ([D("101", 100)], UnbalancedJournalError),
        ([C("301", 100)], UnbalancedJournalError),
        ([D("101", 100), D("102", 100)], UnbalancedJournalError),
        ([D("101", 100), C("301", 99)], UnbalancedJournalError),
        ([D("101", 100), C("301", 60), C("301", 39)], UnbalancedJournalError),
        ([D("101", 0), C("301", 0)], ValidationError),
        ([LineSpec("101", debit=5, credit=5), C("301", 0)], ValidationError),
        ([LineSpec("101", debit=100, credit=100), C("301", 100)], ValidationError),
        ([D("101", -100), C("301", -100)], ValidationError),
        ([D("101", 1.5), C("301", 1.5)], ValidationError),  # type: ignore[arg-type]
        ([D("101", 100.0), C("301", 100)], ValidationError),  # type: ignore[arg-type]
        ([D("101", True), C("301", True)], ValidationError),  # type: ignore[arg-type]
        ([D("101", Decimal(100)), C("301", 100)], ValidationError),  # type: ignore[arg-type]
        ([D("101", "100"), C("301", 100)], ValidationError),  # type: ignore[arg-type]
        ([D("101", MAX_AMOUNT + 1), C("301", MAX_AMOUNT + 1)], ValidationError),
        ([D("999", 100), C("301", 100)], ValidationError),  # unknown account
        ([D("1", 100), C("301", 100)], ValidationError),  # header account
        ([D("199", 100), C("301", 100)], ValidationError),  # inactive account
        ([D("131", 100), C("401", 100)], ValidationError),  # Maal money as income
        ([D("521", 100), C("131", 100)], ValidationError),  # expense paid from Maal
        ([D("101", 100), C("242", 50), C("401", 50)], ValidationError),  # Maal + income
        ([D("101", 100), C("301", 100, memo="a\x00b")], ValidationError),
        ([D("101", 100), C("301", 100, memo="x" * 501)], ValidationError),
        ([D("101", 1), C("301", 1)] * (MAX_LINES // 2 + 1), ValidationError),
    ],
)
def test_check_journal_refuses(lines: list[LineSpec], error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        check_journal(lines, ACCOUNTS)
    assert isinstance(info.value, ValidationError)
    assert info.value.message


def _oracle(lines: list[LineSpec]) -> int | None:
    """Independent statement of the rules: the total if the journal is valid, else None."""
    if not lines or len(lines) > MAX_LINES:
        return None
    for line in lines:
        for amount in (line.debit, line.credit):
            if type(amount) is not int or not 0 <= amount <= MAX_AMOUNT:
                return None
        if (line.debit > 0) == (line.credit > 0):
            return None
        account = ACCOUNTS.get(line.account_code)
        if account is None or account.is_header or not account.active:
            return None
    debit = sum(line.debit for line in lines)
    credit = sum(line.credit for line in lines)
    if debit != credit or debit == 0:
        return None
    used = [ACCOUNTS[line.account_code] for line in lines]
    if any(a.fund == "maal" for a in used) and any(a.type in ("income", "expense") for a in used):
        return None
    return debit


_amounts = st.one_of(
    st.integers(min_value=0, max_value=2_000),
    st.integers(min_value=-5, max_value=-1),
    st.sampled_from([MAX_AMOUNT, MAX_AMOUNT + 1, 1.0, 2.5, True]),
)


@st.composite
def _line(draw: st.DrawFn) -> LineSpec:
    code = draw(st.sampled_from([*ACCOUNTS, "999"]))
    if draw(st.booleans()):
        return LineSpec(code, debit=draw(_amounts), credit=draw(st.sampled_from([0, 0, 0, 7])))
    return LineSpec(code, debit=draw(st.sampled_from([0, 0, 0, 7])), credit=draw(_amounts))


@st.composite
def _balanced(draw: st.DrawFn) -> list[LineSpec]:
    """Mostly-valid journals, so the accepting branch is exercised often."""
    codes = st.sampled_from(["101", "102", "301", "131", "242", "401", "521"])
    debits = draw(st.lists(st.integers(1, 10**9), min_size=1, max_size=4))
    total = sum(debits)
    cut = sorted(draw(st.lists(st.integers(1, total - 1), max_size=3, unique=True))) if total > 1 else []
    credits = [b - a for a, b in zip([0, *cut], [*cut, total], strict=True)]
    lines = [LineSpec(draw(codes), debit=d) for d in debits]
    lines += [LineSpec(draw(codes), credit=c) for c in credits]
    return draw(st.permutations(lines))


@settings(max_examples=300)
@given(st.one_of(st.lists(_line(), max_size=6), _balanced()))
def test_check_journal_either_returns_the_total_or_refuses(lines: list[LineSpec]) -> None:
    expected = _oracle(lines)
    try:
        total = check_journal(lines, ACCOUNTS)
    except (UnbalancedJournalError, ValidationError) as error:
        assert expected is None, f"valid journal refused: {error}"
        return
    assert expected is not None, "invalid journal accepted"
    assert total == expected
    assert total == sum(line.debit for line in lines) == sum(line.credit for line in lines)


# --------------------------------------------------------------------------------------
# rotation
# --------------------------------------------------------------------------------------

_stamps = st.lists(
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2027, 12, 31)),
    max_size=200,
)


@given(_stamps)
def test_rotation_keeps_few_includes_newest_and_only_inputs(stamps: list[dt.datetime]) -> None:
    keep = rotation.backups_to_keep(stamps)
    assert keep <= set(stamps)
    assert len(keep) <= 7 + 4 + 12 + 1
    if stamps:
        assert max(stamps) in keep
    else:
        assert keep == set()


@given(_stamps)
def test_rotation_is_stable_when_applied_again(stamps: list[dt.datetime]) -> None:
    # Rotating what rotation kept must not delete anything more (run it every day).
    keep = rotation.backups_to_keep(stamps)
    assert rotation.backups_to_keep(keep) == keep


@given(_stamps)
def test_rotation_keeps_the_newest_of_each_recent_day(stamps: list[dt.datetime]) -> None:
    keep = rotation.backups_to_keep(stamps)
    days = sorted({s.date() for s in stamps}, reverse=True)[:7]
    for day in days:
        assert max(s for s in stamps if s.date() == day) in keep


def test_rotation_over_400_daily_backups() -> None:
    # Given one backup a day at 02:00 for 400 days up to Sunday 29 November 2026
    last = dt.datetime(2026, 11, 29, 2, 0)
    stamps = [last - dt.timedelta(days=n) for n in range(400)]
    # When rotation runs
    keep = rotation.backups_to_keep(stamps)
    # Then it keeps the last 7 days, the newest of the last 4 ISO weeks, of the last 12 months
    daily = {dt.datetime(2026, 11, d, 2, 0) for d in range(23, 30)}
    weekly = {dt.datetime(2026, 11, d, 2, 0) for d in (29, 22, 15, 8)}
    monthly = {
        dt.datetime(2026, 11, 29, 2, 0),
        *(dt.datetime(2026, m, d, 2, 0) for m, d in
          ((10, 31), (9, 30), (8, 31), (7, 31), (6, 30), (5, 31), (4, 30), (3, 31), (2, 28),
           (1, 31))),
        dt.datetime(2025, 12, 31, 2, 0),
    }
    assert len(daily) == 7 and len(weekly) == 4 and len(monthly) == 12
    assert keep == daily | weekly | monthly
    assert len(keep) == 7 + 3 + 11


def test_rotation_of_nothing_and_of_one() -> None:
    assert rotation.backups_to_keep([]) == set()
    one = dt.datetime(2026, 1, 1)
    assert rotation.backups_to_keep([one, one]) == {one}


# --------------------------------------------------------------------------------------
# document numbers
# --------------------------------------------------------------------------------------


def test_format_doc_number() -> None:
    assert docnum.format_doc_number("JU", 2026, 1) == "JU-2026-000001"
    assert docnum.format_doc_number("KW", 2026, 123) == "KW-2026-000123"
    assert docnum.format_doc_number("KR", 2026, 1_234_567) == "KR-2026-1234567"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("JU-2026-000001", ("JU", 2026, 1)),
        ("KW-2026-000123", ("KW", 2026, 123)),
        ("KR-1999-999999", ("KR", 1999, 999_999)),
        ("KR-2026-1234567", ("KR", 2026, 1_234_567)),
        ("ju-2026-000001", None),
        ("JU-26-000001", None),
        ("JU-2026-00001", None),
        ("JU-2026-000001x", None),
        (" JU-2026-000001", None),
        ("JU_2026_000001", None),
        ("J-2026-000001", None),
        ("", None),
    ],
)
def test_parse_doc_number(text: str, parsed: tuple[str, int, int] | None) -> None:
    assert docnum.parse_doc_number(text) == parsed


@pytest.mark.parametrize("text", ["JU-2026-000001\n", "JU-2026-0000001", "JU-2026-0000123"])
def test_parse_doc_number_refuses_non_canonical_forms(text: str) -> None:
    # Given text that format_doc_number never produces (trailing newline, extra zero padding)
    # Then it is not a document number: otherwise two different stored numbers parse to the
    # same (kind, year, number) and verify's doc_numbers check counts them as well-formed.
    assert docnum.parse_doc_number(text) is None


@given(
    st.sampled_from(sorted(docnum.DOC_KINDS)),
    st.integers(min_value=1000, max_value=9999),
    st.integers(min_value=1, max_value=10**8),
)
def test_doc_number_roundtrip(kind: str, year: int, number: int) -> None:
    text = docnum.format_doc_number(kind, year, number)
    assert docnum.parse_doc_number(text) == (kind, year, number)


@given(st.from_regex(r"^[A-Z]{2,4}-[0-9]{4}-[0-9]{6,9}\n?\Z"))
def test_every_parsed_doc_number_is_canonical(text: str) -> None:
    # Whatever parse_doc_number accepts must be exactly what format_doc_number writes.
    parsed = docnum.parse_doc_number(text)
    if parsed is not None:
        assert docnum.format_doc_number(*parsed) == text


@pytest.mark.parametrize(
    ("numbers", "last", "gaps"),
    [
        ([], 0, []),
        ([], 3, [1, 2, 3]),
        ([1, 2, 3], 3, []),
        ([1, 2, 4], 5, [3, 5]),
        ([3, 1, 1], 3, [2]),
        ([2, 3], 3, [1]),
    ],
)
def test_find_gaps(numbers: list[int], last: int, gaps: list[int]) -> None:
    assert docnum.find_gaps(numbers, last) == gaps


@given(st.sets(st.integers(1, 200)), st.integers(0, 200))
def test_find_gaps_property(numbers: set[int], last: int) -> None:
    gaps = docnum.find_gaps(sorted(numbers), last)
    assert gaps == sorted(gaps)
    assert set(gaps) | (numbers & set(range(1, last + 1))) == set(range(1, last + 1))
    assert not set(gaps) & numbers


# --------------------------------------------------------------------------------------
# hashing
# --------------------------------------------------------------------------------------

JOURNAL = {
    "id": 1,
    "doc_number": "JU-2026-000001",
    "doc_kind": "JU",
    "date": "2026-11-29",
    "description": "Setoran modal",
    "reverses_id": None,
    "reason": None,
    "created_by": 2,
    "created_at": "2026-11-29T01:00:00.000000+00:00",
}
LINES = [
    {"id": 1, "journal_id": 1, "line_no": 1, "account_id": 2, "member_id": None,
     "debit": 1_000, "credit": 0, "memo": ""},
    {"id": 2, "journal_id": 1, "line_no": 2, "account_id": 6, "member_id": None,
     "debit": 0, "credit": 1_000, "memo": "catatan"},
]


def test_journal_digest_is_hex_sha256_and_deterministic() -> None:
    digest = journal_digest(JOURNAL, LINES)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert journal_digest(dict(reversed(JOURNAL.items())), list(reversed(LINES))) == digest


def test_journal_digest_ignores_null_extra_columns() -> None:
    # A column added by a later migration is null in old rows: old digests stay valid.
    digest = journal_digest(JOURNAL, LINES)
    journal = {**JOURNAL, "new_column": None}
    lines = [{**line, "another_new": None} for line in LINES]
    assert journal_digest(journal, lines) == digest


@pytest.mark.parametrize("key", sorted(JOURNAL))
def test_journal_digest_changes_when_a_header_value_changes(key: str) -> None:
    digest = journal_digest(JOURNAL, LINES)
    for new in ("x", 999, "2026-11-28", 0):
        if JOURNAL[key] != new:
            assert journal_digest({**JOURNAL, key: new}, LINES) != digest


@pytest.mark.parametrize("index", [0, 1])
@pytest.mark.parametrize("key", sorted(LINES[0]))
def test_journal_digest_changes_when_a_line_value_changes(index: int, key: str) -> None:
    digest = journal_digest(JOURNAL, LINES)
    for new in (7, 1_001, "memo lain"):
        if key == "line_no" and not isinstance(new, int):
            continue
        if LINES[index][key] == new:
            continue
        lines = [dict(line) for line in LINES]
        lines[index][key] = new
        assert journal_digest(JOURNAL, lines) != digest


def test_journal_digest_changes_when_a_line_is_added_or_removed() -> None:
    digest = journal_digest(JOURNAL, LINES)
    assert journal_digest(JOURNAL, LINES[:1]) != digest
    extra = {**LINES[1], "id": 3, "line_no": 3}
    assert journal_digest(JOURNAL, [*LINES, extra]) != digest


_values = st.one_of(st.none(), st.integers(-(10**15), 10**15), st.text(max_size=10))


@given(
    st.dictionaries(st.text(min_size=1, max_size=8), _values, min_size=1, max_size=6),
    st.data(),
)
def test_entry_hash_changes_with_any_non_null_value(entry: dict, data: st.DataObject) -> None:
    base = entry_hash(entry)
    # null-valued extra keys do not change the hash
    assert entry_hash({**entry, "zz_extra_column": None}) == base
    key = data.draw(st.sampled_from(sorted(entry)))
    new = data.draw(_values)
    assume(new != entry[key] or type(new) is not type(entry[key]))
    assume(not (new is None and entry[key] is None))
    assert entry_hash({**entry, key: new}) != base


def test_genesis_hash() -> None:
    assert GENESIS_HASH == "0" * 64


def test_errors_are_bmt_errors() -> None:
    assert issubclass(UnbalancedJournalError, ValidationError)
    assert issubclass(ValidationError, BmtError)
