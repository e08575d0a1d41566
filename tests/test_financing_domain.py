"""Schedules, allocation, collectibility and early settlement: the domain page's worked
examples and properties over any terms."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.financing_rules import (
    ALLOCATION_ORDERS,
    Charge,
    CollectibilityRules,
    allocate,
    arrears,
    classify,
    days_overdue,
    early_settlement,
    health,
    npf,
    profit_share,
    reserve,
    schedule_state,
)
from bmt_desktop.domain.financing_schedule import (
    ROUNDING_UNITS,
    add_months,
    build_schedule,
    first_due_after,
    flat_margin,
    term_months,
)

JAN = dt.date(2026, 1, 31)


def test_flat_worked_example() -> None:
    # Rp10.000.000, 12 % p.a., 12 months → margin 1.200.000; 11 × 933.333 and 933.337.
    schedule = build_schedule(10_000_000, 1200, 12, "bulanan", JAN)
    assert [i.amount for i in schedule] == [933_333] * 11 + [933_337]
    assert all(i.margin == 100_000 for i in schedule)
    assert sum(i.principal for i in schedule) == 10_000_000
    assert sum(i.margin for i in schedule) == 1_200_000 == flat_margin(
        10_000_000, 1200, 12, "bulanan")


def test_anuitas_worked_example() -> None:
    # r = 1 % a month: instalment 888.487,89; month 1 margin 100.000 / principal 788.487,89;
    # month 2 margin 92.115,12; total margin 661.854,64.
    schedule = build_schedule(10_000_000, 1200, 12, "bulanan", JAN, method="anuitas")
    assert schedule[0].margin == 100_000
    assert schedule[0].principal == 788_488
    assert schedule[1].margin == 92_115
    assert all(i.amount == 888_488 for i in schedule[:-1])
    assert sum(i.principal for i in schedule) == 10_000_000
    assert abs(sum(i.margin for i in schedule) - 661_854.64) < 12  # rupiah rounding per period


def test_rounding_unit_goes_up_and_the_last_takes_the_rest() -> None:
    schedule = build_schedule(10_000_000, 1200, 12, "bulanan", JAN, rounding_unit=1000)
    assert [i.amount for i in schedule[:-1]] == [934_000] * 11
    assert schedule[-1].amount == 11_200_000 - 11 * 934_000


def test_monthly_dates_keep_the_day_and_clamp() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 12, 31), 2) == dt.date(2028, 2, 29)
    schedule = build_schedule(1_000_000, 0, 3, "bulanan", JAN)
    assert [i.due_on for i in schedule] == [JAN, dt.date(2026, 2, 28), dt.date(2026, 3, 31)]
    weekly = build_schedule(1_000_000, 0, 3, "mingguan", JAN)
    assert weekly[2].due_on - weekly[0].due_on == dt.timedelta(days=14)
    assert first_due_after(dt.date(2026, 1, 15), "dua_mingguan") == dt.date(2026, 1, 29)
    assert term_months(50, "mingguan") == 12 and term_months(12, "bulanan") == 12


@pytest.mark.parametrize("terms", [
    (0, 1200, 12, "bulanan", 1, "flat"),
    (-5, 1200, 12, "bulanan", 1, "flat"),
    (10**16, 1200, 12, "bulanan", 1, "flat"),
    (1_000_000, -1, 12, "bulanan", 1, "flat"),
    (1_000_000, 1200, 0, "bulanan", 1, "flat"),
    (1_000_000, 1200, 12, "harian", 1, "flat"),
    (1_000_000, 1200, 12, "bulanan", 250, "flat"),
    (1_000_000, 1200, 12, "bulanan", 1, "efektif-ish"),
    (True, 1200, 12, "bulanan", 1, "flat"),
    ("1000000", 1200, 12, "bulanan", 1, "flat"),
])
def test_bad_terms_are_refused(terms: tuple) -> None:
    principal, rate, n, freq, unit, method = terms
    with pytest.raises(ValidationError):
        build_schedule(principal, rate, n, freq, JAN, method=method, rounding_unit=unit)


def test_a_rounding_unit_larger_than_the_loan_is_refused() -> None:
    with pytest.raises(ValidationError, match="Rp0"):
        build_schedule(1_500, 0, 3, "bulanan", JAN, rounding_unit=1000)


terms = st.tuples(
    st.integers(1, 10**12),  # principal
    st.integers(0, 5_000),  # rate bp
    st.integers(1, 120),  # instalments
    st.sampled_from(["bulanan", "dua_mingguan", "mingguan"]),
    st.sampled_from(ROUNDING_UNITS),
    st.sampled_from(["flat", "anuitas"]),
)


@settings(max_examples=300, deadline=None)
@given(terms)
def test_any_schedule_sums_exactly(t: tuple) -> None:
    principal, rate, n, freq, unit, method = t
    try:
        schedule = build_schedule(principal, rate, n, freq, JAN, method=method,
                                  rounding_unit=unit)
    except ValidationError:
        # Only an amount too small for its unit and count of instalments is refused.
        assert principal < max(unit, 2) * n * n
        return
    assert len(schedule) == n
    assert sum(i.principal for i in schedule) == principal
    assert all(i.principal >= 0 and i.margin >= 0 and i.amount > 0 for i in schedule)
    if method == "flat":
        assert sum(i.margin for i in schedule) == flat_margin(principal, rate, n, freq)
    if unit > 1:
        # Rounded up to the unit while principal is left after it; the rest absorbs the rest.
        left = principal
        for i in schedule[:-1]:
            left -= i.principal
            if left > 0:
                assert i.amount % unit == 0


@settings(max_examples=300, deadline=None)
@given(terms, st.data())
def test_allocating_a_payment_never_creates_or_loses_a_rupiah(t: tuple,
                                                               data: st.DataObject) -> None:
    principal, rate, n, freq, unit, method = t
    try:
        schedule = build_schedule(principal, rate, n, freq, JAN, method=method,
                                  rounding_unit=unit)
    except ValidationError:
        return
    total_p = sum(i.principal for i in schedule)
    total_m = sum(i.margin for i in schedule)
    paid_p = data.draw(st.integers(0, total_p))
    paid_m = data.draw(st.integers(0, total_m))
    states = schedule_state(schedule, paid_p, paid_m)
    charges = [Charge(1, JAN, data.draw(st.integers(0, 50_000)))]
    owed = sum(s.left for s in states) + charges[0].left
    if owed == 0:
        return
    amount = data.draw(st.integers(1, owed))
    on = data.draw(st.dates(JAN - dt.timedelta(days=40), schedule[-1].due_on
                            + dt.timedelta(days=40)))
    order = data.draw(st.sampled_from(sorted(ALLOCATION_ORDERS)))
    result = allocate(amount, states, charges, on, order, advance=True)
    assert result.total == amount
    assert 0 <= result.principal <= total_p - paid_p
    assert 0 <= result.margin <= total_m - paid_m
    assert 0 <= sum(result.charges.values()) <= charges[0].left
    after = schedule_state(schedule, paid_p + result.principal, paid_m + result.margin)
    assert sum(s.left for s in after) == sum(s.left for s in states) - result.principal \
        - result.margin


def _states(paid_p: int = 0, paid_m: int = 0):
    schedule = build_schedule(10_000_000, 1200, 12, "bulanan", JAN)
    return schedule_state(schedule, paid_p, paid_m)


def test_allocation_pays_the_oldest_first_in_the_chosen_order() -> None:
    states = _states()
    on = dt.date(2026, 3, 31)  # three instalments due
    charge = [Charge(7, dt.date(2026, 3, 1), 25_000)]
    first = allocate(150_000, states, charge, on, "biaya-margin-pokok")
    assert first.charges == {7: 25_000} and first.margin == 100_000 and first.principal == 25_000
    second = allocate(150_000, states, charge, on, "pokok-margin-biaya")
    assert second.principal == 150_000 and second.margin == 0 and not second.charges


def test_a_payment_above_what_is_due_needs_an_explicit_advance() -> None:
    states = _states()
    on = dt.date(2026, 1, 31)
    with pytest.raises(ValidationError, match="uang muka|advance|jatuh tempo|fallen due"):
        allocate(933_334, states, [], on, "biaya-margin-pokok")
    ahead = allocate(933_334, states, [], on, "biaya-margin-pokok", advance=True)
    assert ahead.advance == 1 and ahead.total == 933_334
    with pytest.raises(ValidationError):
        allocate(11_200_001, states, [], on, "biaya-margin-pokok", advance=True)
    for bad in (0, -1, True):
        with pytest.raises(ValidationError):
            allocate(bad, states, [], on, "biaya-margin-pokok")


def test_days_overdue_and_arrears() -> None:
    states = _states(833_333, 100_000)  # the first instalment paid
    assert days_overdue(states, dt.date(2026, 2, 28)) == 0  # due today is not late
    assert days_overdue(states, dt.date(2026, 3, 10)) == 10
    assert arrears(states, dt.date(2026, 3, 31)) == (833_333 * 2, 200_000)


@pytest.mark.parametrize(("days", "five", "four"), [
    (0, "lancar", "lancar"), (1, "dpk", "lancar"), (90, "dpk", "lancar"),
    (91, "kurang_lancar", "kurang_lancar"), (120, "kurang_lancar", "kurang_lancar"),
    (121, "diragukan", "diragukan"), (180, "diragukan", "diragukan"), (181, "macet", "macet"),
])
def test_collectibility_classes(days: int, five: str, four: str) -> None:
    assert classify(days, CollectibilityRules()) == five
    assert classify(days, CollectibilityRules(classes=4)) == four


def test_reserve_npf_and_health() -> None:
    rules = CollectibilityRules()
    assert reserve(10_000_000, 0, "lancar", rules) == 50_000
    assert reserve(10_000_000, 4_000_000, "diragukan", rules) == 3_000_000
    assert reserve(10_000_000, 20_000_000, "macet", rules) == 0
    ratio = npf([("lancar", 90), ("dpk", 4), ("kurang_lancar", 3), ("macet", 3)])
    assert ratio == Fraction(6, 100)
    assert health(ratio) == health(Fraction(10, 100)) != health(Fraction(5, 100))
    assert npf([]) == 0
    with pytest.raises(ValidationError):
        CollectibilityRules(dpk_max=130)


def test_early_settlement_dsn_example() -> None:
    # Rp100 juta + Rp12 juta margin over 12 months, settled after month 6: the Rp6 juta
    # margin of months 7–12 is not charged.
    schedule = build_schedule(100_000_000, 1200, 12, "bulanan", JAN)
    paid = schedule[:6]
    states = schedule_state(schedule, sum(i.principal for i in paid),
                            sum(i.margin for i in paid))
    result = early_settlement(states, dt.date(2026, 7, 15))
    assert result.discount == 6_000_000
    assert result.margin == 0
    assert result.principal == 100_000_000 - sum(i.principal for i in paid)


def test_profit_share() -> None:
    assert profit_share(1_000_001, 40) == 400_000
    assert profit_share(-500_000, 40) == 0
