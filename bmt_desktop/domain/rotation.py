"""Which backups to keep: the newest of each of the last 7 days, 4 weeks and 12 months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12


def backups_to_keep(
    stamps: Iterable[dt.datetime],
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
) -> set[dt.datetime]:
    """Grandfather-father-son rotation over backup times; the newest backup is always kept."""
    ordered = sorted(set(stamps), reverse=True)
    keep: set[dt.datetime] = set(ordered[:1])
    for key, limit in (
        (lambda t: t.date(), daily),
        (lambda t: tuple(t.isocalendar())[:2], weekly),
        (lambda t: (t.year, t.month), monthly),
    ):
        seen: set[object] = set()
        for stamp in ordered:
            bucket = key(stamp)
            if bucket in seen:
                continue
            if len(seen) >= limit:
                break
            seen.add(bucket)
            keep.add(stamp)
    return keep
