"""Indonesian dates: "29 November 2026", "Minggu, 29 November 2026"."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.i18n import _

# Bookkeeping before this is not plausible for a BMT (the first ones were founded in the 1990s).
EARLIEST_DATE = dt.date(1990, 1, 1)


def format_date_id(day: dt.date, *, weekday: bool = False) -> str:
    pattern = "EEEE, d MMMM y" if weekday else "d MMMM y"
    return format_date(day, pattern, locale="id")


def parse_date(value: object, *, field: str | None = None) -> dt.date:
    """Accept a ``date`` or ISO text ``YYYY-MM-DD``; refuse anything else with a clear message."""
    label = field or _("Date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(
        _("{field} is not a valid date (use YYYY-MM-DD): {value!r}.").format(
            field=label, value=str(value)[:40]
        )
    )


def check_posting_date(day: dt.date, today: dt.date) -> None:
    """A posting date may not lie in the future nor before ``EARLIEST_DATE``."""
    if day > today:
        raise ValidationError(
            _("The date {date} is in the future.").format(date=format_date_id(day))
        )
    if day < EARLIEST_DATE:
        raise ValidationError(
            _("The date {date} is too far in the past.").format(date=format_date_id(day))
        )


def month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)
