"""Profit sharing by average daily balance and SHU: the domain page's worked examples, and
largest-remainder sharing that never creates or loses a rupiah."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from bmt_desktop.domain.profit_sharing import (
    average_daily_balance,
    largest_remainder,
    member_shares,
    shu_split,
)


def test_bank_kalsel_worked_example() -> None:
    # Rp1.000.000 held for 19 of 31 days → ADB 612.903,23; revenue allocated Rp15.000.000,
    # nisbah 50 %, total ADB Rp100.000.000 → share 45.967,74 → posted Rp45.968.
    adb = average_daily_balance([(dt.date(2026, 1, 13), 1_000_000)], 0,
                                dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert adb == Fraction(19_000_000, 31)
    assert round(float(adb), 2) == 612_903.23
    shares, total = member_shares(15_000_000, {"anggota": 50, "lain": 50},
                                  {"anggota": adb, "lain": 100_000_000 - adb})
    assert shares["anggota"] == 45_968
    assert total == 7_500_000 == sum(shares.values())


def test_adb_with_several_movements() -> None:
    start, end = dt.date(2026, 2, 1), dt.date(2026, 2, 28)
    adb = average_daily_balance([(dt.date(2026, 2, 15), -50_000), (dt.date(2026, 2, 1), 10_000)],
                                100_000, start, end)
    assert adb == Fraction(110_000 * 14 + 60_000 * 14, 28)
    assert average_daily_balance([], 5_000, start, end) == 5_000


def test_shu_worked_example() -> None:
    # Members' share Rp40 juta, JUA 60 % / JMA 40 %; a member paid Rp1,2 juta of Rp60 juta
    # margin and holds Rp600.000 of Rp150 juta pokok + wajib → 480.000 + 64.000 = 544.000.
    result = shu_split(40_000_000, 60, {"anggota": 1_200_000, "lain": 58_800_000},
                       {"anggota": 600_000, "lain": 149_400_000})
    assert result["anggota"] == (480_000, 64_000)
    assert sum(a + b for a, b in result.values()) == 40_000_000


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**13), st.dictionaries(st.integers(1, 10_000),
                                               st.integers(0, 10**12), max_size=40))
def test_largest_remainder_shares_exactly(pool: int, weights: dict[int, int]) -> None:
    shares = largest_remainder(pool, weights)
    assert set(shares) == set(weights)
    if sum(weights.values()):
        assert sum(shares.values()) == pool
        total = sum(weights.values())
        for key, weight in weights.items():
            assert abs(shares[key] - Fraction(pool * weight, total)) < 1
    else:
        assert not any(shares.values())
