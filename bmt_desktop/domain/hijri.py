"""The Hijri date printed beside the Gregorian one: "19 Jumadilakhir 1448 H".

hijridate follows the Umm al-Qura calendar; the local start of a month (rukyat) may differ
by a day, which is why the Hijri date is only ever printed beside the Gregorian one.
"""

from __future__ import annotations

import datetime as dt

from hijridate import Gregorian

# Spelling of the Indonesian standard (KBBI), Muharram first.
HIJRI_MONTHS = (
    "Muharram", "Safar", "Rabiulawal", "Rabiulakhir", "Jumadilawal", "Jumadilakhir",
    "Rajab", "Syakban", "Ramadan", "Syawal", "Zulkaidah", "Zulhijah",
)


def hijri_date_id(day: dt.date) -> str:
    """``date(2026, 11, 29)`` → ``"19 Jumadilakhir 1448 H"``; ``""`` outside hijridate's range."""
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    return f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year} H"
