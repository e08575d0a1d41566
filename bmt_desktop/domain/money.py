"""Money is an ``int`` of whole rupiah (IDR has no minor unit). A float never touches it."""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import format_decimal

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.i18n import _

# Far above any real BMT figure, far below SQLite's 64-bit limit even when summed.
MAX_AMOUNT = 10**15

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


def format_rupiah(amount: int) -> str:
    """``1500000`` → ``"Rp1.500.000"``; negative amounts as ``"-Rp1.500.000"``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{format_decimal(abs(amount), locale='id_ID')}"


def parse_amount(value: object, *, field: str | None = None) -> int:
    """Return a positive whole-rupiah amount or raise a ValidationError naming the field.

    Accepts an ``int``, a ``Decimal`` without fraction, or text such as ``1500000``,
    ``1.500.000`` or ``Rp1.500.000``. Refuses floats, booleans, fractions, zero, negatives
    and amounts above ``MAX_AMOUNT``.
    """
    label = field or _("Amount")
    if isinstance(value, bool | float):
        raise ValidationError(_("{field} must be a whole number of rupiah.").format(field=label))
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise ValidationError(
                _("{field} must be a whole number of rupiah.").format(field=label)
            )
        amount = int(value)
    elif isinstance(value, int):
        amount = value
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        if text.lower().startswith("rp"):
            text = text[2:]
        negative = text.startswith("-")
        if negative:
            text = text[1:]
        if _GROUPED.match(text):
            text = text.replace(".", "")
        if not text.isdigit() or not text.isascii():
            raise ValidationError(
                _("{field} is not a number: {value!r}.").format(field=label, value=value[:40])
            )
        amount = -int(text) if negative else int(text)
    else:
        raise ValidationError(_("{field} is not a number.").format(field=label))
    if amount <= 0:
        raise ValidationError(_("{field} must be more than zero.").format(field=label))
    if amount > MAX_AMOUNT:
        raise ValidationError(
            _("{field} is too large (at most {max}).").format(
                field=label, max=format_rupiah(MAX_AMOUNT)
            )
        )
    return amount
