"""What every report is made of, whatever it shows: columns, rows, totals and notes over a
period, so that one PDF layout and one exporter (XLSX, CSV, JSON) serve them all.

Reports register themselves by their stable command-line name (``trial-balance``, …); the
CLI, the Laporan tab and the tests look them up in ``REPORTS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from bmt_desktop.domain.dates import format_date_id, month_end
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.i18n import _

KINDS = ("text", "money", "int", "date", "pct")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"
    width: float = 1.0  # relative width in the PDF


@dataclass(frozen=True)
class Chart:
    title: str
    series: list[tuple[str, int | float]]
    unit: str = ""  # "Rp", "%", "" — how values are labelled


@dataclass
class Report:
    name: str
    title: str
    start: dt.date
    end: dt.date
    columns: list[Column]
    rows: list[dict[str, object]] = field(default_factory=list)
    totals: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    landscape: bool = False
    # Row keys with a style: "_style" = "heading" | "subtotal" | "total" (PDF emphasis only).

    @property
    def period(self) -> str:
        """The period as the command line writes it: YYYY-MM, or YYYY for a whole year."""
        if self.start == dt.date(self.end.year, 1, 1) and self.end == dt.date(
                self.end.year, 12, 31) and self.name in YEARLY:
            return f"{self.end.year:04d}"
        return f"{self.end.year:04d}-{self.end.month:02d}"

    @property
    def period_label(self) -> str:
        if self.start == self.end:
            return format_date_id(self.end)
        return _("{start} to {end}").format(start=format_date_id(self.start),
                                            end=format_date_id(self.end))


Builder = Callable[..., Report]  # (session, start, end) -> Report


@dataclass(frozen=True)
class ReportSpec:
    name: str
    title: str
    builder: Builder
    yearly: bool = False  # the period is a year (YYYY)


REPORTS: dict[str, ReportSpec] = {}
YEARLY: set[str] = set()


def register(name: str, title: str, *, yearly: bool = False) -> Callable[[Builder], Builder]:
    def decorate(builder: Builder) -> Builder:
        REPORTS[name] = ReportSpec(name, title, builder, yearly)
        if yearly:
            YEARLY.add(name)
        return builder
    return decorate


def parse_report_period(text: str, *, yearly: bool = False,
                        today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """'2026-11' → 1–30 November 2026; '2026-11-29' → that day; '2026' (or any month of it,
    for a yearly report) → the year. A period that has not begun is refused."""
    value = str(text or "").strip()
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 1 and 1990 <= parts[0] <= 9999:
            start, end = dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
        elif len(parts) == 3 and not yearly:
            start = end = dt.date.fromisoformat(value)  # one day (the daily cash of a day)
        elif len(parts) == 2 and 1990 <= parts[0] <= 9999 and 1 <= parts[1] <= 12 \
                and len(value.split("-")[1]) == 2:
            if yearly:
                start, end = dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
            else:
                start, end = dt.date(parts[0], parts[1], 1), month_end(parts[0], parts[1])
        else:
            raise ValueError(value)
    except ValueError:
        raise ValidationError(_("{text} is not a period; write YYYY-MM, e.g. 2026-11.").format(
            text=value[:20])) from None
    if today is not None and start > today:
        raise ValidationError(_("The period {period} is in the future.").format(
            period=value[:20]))
    return start, end


def report_names() -> list[str]:
    _load()
    return sorted(REPORTS)


def build(session: object, name: str, start: dt.date, end: dt.date) -> Report:
    _load()
    spec = REPORTS.get(name)
    if spec is None:
        raise ValidationError(_("Unknown report {name}; the reports are: {names}.").format(
            name=str(name)[:40], names=", ".join(sorted(REPORTS))))
    return spec.builder(session, start, end)


def _load() -> None:
    # The report modules register on import; imported here so that callers need one name.
    from bmt_desktop.services import (
        reports_accounting,  # noqa: F401
        reports_ledger,  # noqa: F401
        reports_programme,  # noqa: F401
    )
