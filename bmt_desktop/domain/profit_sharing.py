"""Monthly profit sharing (bagi hasil) of mudharabah savings, and SHU at year-end.

Per product: share of a member = revenue allocated to the product × the member's nisbah ×
(member's average daily balance ÷ sum of all average daily balances in the product).
Revenue shared is revenue received in cash in the month (Fatwa DSN 14/2000). Whole-rupiah
postings must add up exactly to the pool, so the pool is shared by largest remainder.

SHU (UU 25/1992 Pasal 45): the members' share splits into jasa usaha (JUA, by each member's
transactions) and jasa modal (JMA, by each member's pokok + wajib).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K")


def average_daily_balance(movements: Sequence[tuple[dt.date, int]], opening: int,
                          start: dt.date, end: dt.date) -> Fraction:
    """Average of the end-of-day balances from ``start`` to ``end`` (inclusive), given the
    balance before ``start`` and the day-dated movements within the period."""
    days = (end - start).days + 1
    if days <= 0:
        raise ValueError("empty period")
    total = 0
    balance = opening
    day = start
    for when, delta in sorted(movements):
        if when < start or when > end:
            continue
        total += balance * (when - day).days
        balance += delta
        day = when
    total += balance * ((end - day).days + 1)
    return Fraction(total, days)


def largest_remainder(pool: int, weights: Mapping[K, Fraction | int]) -> dict[K, int]:
    """Share ``pool`` rupiah in proportion to ``weights``: floors first, then the rupiah
    left go one each to the largest remainders (ties by key order, for a stable result)."""
    positive = {k: Fraction(w) for k, w in weights.items() if w > 0}
    total = sum(positive.values())
    if pool <= 0 or not total:
        return {k: 0 for k in weights}
    exact = {k: pool * w / total for k, w in positive.items()}
    shares = {k: int(v) for k, v in exact.items()}
    left = pool - sum(shares.values())
    order = sorted(positive, key=lambda k: (-(exact[k] - shares[k]), _sort_key(k)))
    for k in order[:left]:
        shares[k] += 1
    return {k: shares.get(k, 0) for k in weights}


def _sort_key(key: object) -> tuple:
    return (str(type(key)), key) if isinstance(key, (int, str)) else (str(type(key)), str(key))


def member_shares(pool: int, nisbah: Mapping[K, int], adb: Mapping[K, Fraction]
                  ) -> tuple[dict[K, int], int]:
    """Each account's whole-rupiah share of a product's revenue ``pool``; the exact total of
    the members' parts (pool × nisbah × ADB share, summed) is floored once and shared out by
    largest remainder, so the postings add up to it. Returns (shares, total)."""
    total_adb = sum(adb.values())
    if not total_adb or pool <= 0:
        return {k: 0 for k in adb}, 0
    exact = {k: Fraction(pool) * Fraction(nisbah[k], 100) * adb[k] / total_adb for k in adb}
    total = int(sum(exact.values()))
    return largest_remainder(total, exact), total


def shu_split(members_share: int, jua_pct: int, transactions: Mapping[K, int],
              capital: Mapping[K, int]) -> dict[K, tuple[int, int]]:
    """(JUA, JMA) of each member; each pool is shared by largest remainder."""
    jua_pool = members_share * jua_pct // 100
    jma_pool = members_share - jua_pool
    jua = largest_remainder(jua_pool, transactions)
    jma = largest_remainder(jma_pool, capital)
    keys: Iterable[K] = dict.fromkeys([*transactions, *capital])
    return {k: (jua.get(k, 0), jma.get(k, 0)) for k in keys}
