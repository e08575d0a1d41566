"""Instalment schedules for financing, in whole rupiah, that always sum exactly.

Two ways of spreading a murabahah margin (Fatwa DSN 84/2012, PSAK 102):

- **flat** (proporsional): margin = principal × annual rate × years, the same each period;
- **anuitas** (efektif): equal instalments, the margin of each period on what is outstanding.

Offices round an instalment up to Rp100, Rp500 or Rp1.000; the last instalment absorbs the
rest. Whatever the rounding, Σ principal equals the principal and Σ margin the total margin:
every instalment is built from what is still owed, never from a rounded share.
Rates are in basis points per year (1200 = 12 % p.a.) so that no float enters the books.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.money import MAX_AMOUNT
from bmt_desktop.i18n import N_, _

# Periods per year of each repayment frequency.
FREQUENCIES = {"bulanan": 12, "dua_mingguan": 26, "mingguan": 52}
FREQUENCY_LABELS = {"bulanan": N_("monthly"), "dua_mingguan": N_("fortnightly"),
                    "mingguan": N_("weekly")}
METHODS = ("flat", "anuitas")
ROUNDING_UNITS = (1, 100, 500, 1000)
MAX_INSTALMENTS = 520  # ten years of weekly instalments
MAX_RATE_BP = 10_000  # 100 % a year: far above any akad, far below an overflow


@dataclass(frozen=True, slots=True)
class Instalment:
    number: int
    due_on: dt.date
    principal: int
    margin: int

    @property
    def amount(self) -> int:
        return self.principal + self.margin


def _half_up(value: Fraction) -> int:
    """Round to whole rupiah, halves up (the convention of Indonesian receipts)."""
    return int((value + Fraction(1, 2)) // 1)


def _round_up(value: int | Fraction, unit: int) -> int:
    return int(-(-Fraction(value) // unit)) * unit


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def due_dates(first_due: dt.date, count: int, frequency: str) -> list[dt.date]:
    """Due dates from the first one; monthly dates keep the first date's day of the month."""
    if frequency == "bulanan":
        return [add_months(first_due, i) for i in range(count)]
    step = 7 if frequency == "mingguan" else 14
    return [first_due + dt.timedelta(days=step * i) for i in range(count)]


def first_due_after(start: dt.date, frequency: str) -> dt.date:
    """The first due date one period after ``start`` (the disbursement)."""
    return due_dates(start, 2, frequency)[1]


def term_months(instalments: int, frequency: str) -> int:
    """The tenor in whole months (rounded up) that a product's tenor range is checked against."""
    periods = FREQUENCIES[frequency]
    return -(-instalments * 12 // periods)


def check_terms(principal: object, rate_bp: object, instalments: object, frequency: object,
                rounding_unit: object, method: object) -> None:
    """Refuse terms no schedule can be built from, with a message that names the field."""
    def whole(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    if not whole(principal) or not 0 < principal <= MAX_AMOUNT:  # type: ignore[operator]
        raise ValidationError(_("The financing amount must be a whole number of rupiah above 0."))
    if not whole(rate_bp) or not 0 <= rate_bp <= MAX_RATE_BP:  # type: ignore[operator]
        raise ValidationError(_("The margin rate must be between 0 % and 100 % a year."))
    if not whole(instalments) or not 1 <= instalments <= MAX_INSTALMENTS:  # type: ignore[operator]
        raise ValidationError(_("The number of instalments must be from 1 to {n}.").format(
            n=MAX_INSTALMENTS))
    if frequency not in FREQUENCIES:
        raise ValidationError(_("The repayment frequency is monthly, fortnightly or weekly."))
    if rounding_unit not in ROUNDING_UNITS:
        raise ValidationError(_("Instalments are rounded to Rp1, Rp100, Rp500 or Rp1.000."))
    if method not in METHODS:
        raise ValidationError(_("The margin method is flat or anuitas."))


def flat_margin(principal: int, rate_bp: int, instalments: int, frequency: str) -> int:
    """Principal × annual rate × years, to the rupiah."""
    return _half_up(Fraction(principal * rate_bp * instalments,
                             10_000 * FREQUENCIES[frequency]))


def build_schedule(principal: int, rate_bp: int, instalments: int, frequency: str,
                   first_due: dt.date, *, method: str = "flat", rounding_unit: int = 1,
                   margin_total: int | None = None) -> list[Instalment]:
    """The instalments of a financing. ``margin_total`` (flat only) spreads a margin fixed
    elsewhere, e.g. the unpaid margin of a rescheduled murabahah, instead of computing it."""
    check_terms(principal, rate_bp, instalments, frequency, rounding_unit, method)
    dates = due_dates(first_due, instalments, frequency)
    if method == "anuitas" and margin_total is None:
        parts = _annuity_parts(principal, rate_bp, instalments, frequency, rounding_unit)
    else:
        margin = flat_margin(principal, rate_bp, instalments, frequency) \
            if margin_total is None else margin_total
        if isinstance(margin, bool) or not isinstance(margin, int) or not 0 <= margin \
                <= MAX_AMOUNT:
            raise ValidationError(_("The margin must be a whole number of rupiah, 0 or more."))
        parts = _flat_parts(principal, margin, instalments, rounding_unit)
    return [Instalment(i + 1, dates[i], p, m) for i, (p, m) in enumerate(parts)]


def _flat_parts(principal: int, margin: int, n: int, unit: int) -> list[tuple[int, int]]:
    """Equal margin each period; the instalment (rounded up to ``unit``) takes the principal."""
    margin_each = margin // n
    # Whole rupiah: the remainder goes to the last instalment; rounded: the instalment goes up.
    instalment = (principal + margin) // n if unit == 1 \
        else _round_up(Fraction(principal + margin, n), unit)
    parts = []
    left_principal, left_margin = principal, margin
    for i in range(n):
        if i == n - 1:
            parts.append((left_principal, left_margin))
            break
        m = margin_each
        p = min(left_principal, max(0, instalment - m))
        parts.append((p, m))
        left_principal -= p
        left_margin -= m
    _check_parts(parts)
    return parts


def _annuity_parts(principal: int, rate_bp: int, n: int, frequency: str,
                   unit: int) -> list[tuple[int, int]]:
    rate = Fraction(rate_bp, 10_000 * FREQUENCIES[frequency])
    if rate == 0:
        return _flat_parts(principal, 0, n, unit)
    exact = principal * rate / (1 - 1 / (1 + rate) ** n)
    instalment = _round_up(exact, unit) if unit > 1 else _half_up(exact)
    parts = []
    outstanding = principal
    for i in range(n):
        m = _half_up(outstanding * rate)
        p = outstanding if i == n - 1 else min(outstanding, max(0, instalment - m))
        parts.append((p, m))
        outstanding -= p
    _check_parts(parts)
    return parts


def _check_parts(parts: list[tuple[int, int]]) -> None:
    # A rounding unit larger than the loan can leave nothing for the last instalments.
    if any(p + m <= 0 for p, m in parts):
        raise ValidationError(_("An instalment would be Rp0: the amount is too small for "
                                "this rounding unit and number of instalments. Choose a "
                                "smaller unit or fewer instalments."))


def frequency_label(frequency: str) -> str:
    return _(FREQUENCY_LABELS[frequency])
