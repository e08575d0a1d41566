"""Reading one spreadsheet cell: text, digits, dates, whole rupiah, yes/no.

A cell comes from openpyxl (str, int, float, datetime, None) or from a CSV file (str). Each
reader returns a plain value or raises ValidationError with the reason in a few words; the
import adds the row and the column.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.money import MAX_AMOUNT, parse_amount
from bmt_desktop.i18n import N_, _

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]00:00(:00)?)?$")
_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE]\+?\d+$")
_ROUNDED = N_("the number was stored as a number and Excel rounded it (like 3,60114E+15); "
              "format the column as Text and type it again.")
YES = ("ya", "y", "yes", "1", "v", "x", "✓", "√", "hadir", "true", "benar")
NO = ("tidak", "t", "tdk", "no", "n", "0", "-", "false", "salah", "absen")


def norm(text: object) -> str:
    """A header compared without case, spaces or punctuation: "Tgl. Lahir" → "tgllahir"."""
    return re.sub(r"[^0-9a-z]+", "", str(text or "").lower())


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    """A cell as text; a whole number stays without ".0"."""
    if blank(value):
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def digits_text(value: object) -> str:
    """A number kept as text (NIK, family card, phone, RT). A 16-digit number typed into a
    number cell is rounded by Excel, so a decimal number is refused."""
    if blank(value):
        return ""
    if isinstance(value, bool):
        raise ValidationError(_("a number is expected here."))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 10**15:
            return str(int(value))
        raise ValidationError(_(_ROUNDED))
    raw = str(value).strip()
    if _SCIENTIFIC.match(raw):
        raise ValidationError(_(_ROUNDED))
    return raw


def date_or_none(value: object) -> dt.date | None:
    """A date cell, or text 2026-11-29, 29-11-2026, 29/11/2026 or 29.11.2026."""
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        raw = value.strip()
        if _ISO.match(raw):
            try:
                return dt.date.fromisoformat(raw[:10])
            except ValueError:
                pass
        match = _DATE.match(raw)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                pass
    raise ValidationError(_("{value} is not a date (write 29-11-2026 or 2026-11-29).").format(
        value=text(value)[:30] or "–"))


def date_required(value: object) -> dt.date:
    day = date_or_none(value)
    if day is None:
        raise ValidationError(_("the date is empty."))
    return day


def amount_or_none(value: object) -> int | None:
    """Whole rupiah, 0 or more: 1500000, "1.500.000", "Rp1.500.000", "Rp 1.500.000,00".
    Text that is not a number, fractions and negative amounts are refused."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("an amount in rupiah is expected, not yes/no."))
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(_("{value} is not a whole number of rupiah.").format(
                value=str(value)[:30]))
        amount = int(value)
    elif isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise ValidationError(_("{value} is not a whole number of rupiah.").format(
                value=str(value)[:30]))
        amount = int(value)
    elif isinstance(value, str):
        raw = value.strip().replace("\u00a0", " ")
        cleaned = re.sub(r",(-|0{1,2})$", "", raw.replace(" ", ""))
        if cleaned in ("0", "Rp0", "rp0", "-"):
            return 0
        try:
            amount = parse_amount(cleaned)
        except ValidationError:
            raise ValidationError(_("{value} is not an amount in whole rupiah (write 1500000 "
                                    "or 1.500.000).").format(value=raw[:30])) from None
    else:
        raise ValidationError(_("an amount in rupiah is expected."))
    if amount < 0:
        raise ValidationError(_("the amount may not be negative."))
    if amount > MAX_AMOUNT:
        raise ValidationError(_("the amount is too large."))
    return amount


def amount(value: object, *, positive: bool = False) -> int:
    """Whole rupiah where the cell may not be empty (0 allowed unless ``positive``)."""
    found = amount_or_none(value)
    if found is None:
        raise ValidationError(_("the amount is empty."))
    if positive and found <= 0:
        raise ValidationError(_("the amount must be more than zero."))
    return found


def whole_or_none(value: object, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high``."""
    if blank(value):
        return None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not low <= number <= high:
        raise ValidationError(_("{value} is not a whole number from {low} to {high}.").format(
            value=text(value)[:30], low=low, high=high))
    return number


def percent_bp(value: object) -> int:
    """A yearly rate in percent ("15", "1,5", "12.5 %") as basis points; empty is 0."""
    if blank(value):
        return 0
    if isinstance(value, bool):
        raise ValidationError(_("a percentage is expected."))
    raw = text(value).replace("%", "").replace(",", ".").strip()
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(_("{value} is not a percentage.").format(
            value=text(value)[:30])) from None
    bp = number * 100
    if not number.is_finite() or bp != bp.to_integral_value() or not 0 <= bp <= 10_000:
        raise ValidationError(_("{value} is not a percentage from 0 to 100 (at most two "
                                "decimals).").format(value=text(value)[:30]))
    return int(bp)


def yes_no(value: object) -> bool:
    """ya/tidak (also y/t, 1/0, ✓); empty is no."""
    if blank(value):
        return False
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValidationError(_("write ya or tidak, not {value}.").format(value=text(value)[:20]))
