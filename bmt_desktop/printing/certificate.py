"""The training certificate (sertifikat) of a participant who completed a session, on A4.

:func:`render_certificate` takes a :class:`CertificateData` of plain values and lays it out
with the house report template (letterhead, title, footer, DEMO mark on demo books). The
service decides who gets one; this module only draws it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from babel.dates import format_date
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.i18n import _
from bmt_desktop.printing.fonts import register_fonts
from bmt_desktop.printing.layout import (
    MUTED,
    Letterhead,
    build_report,
    data_table,
    report_styles,
    text,
)

WIDTH = 180 * mm  # A4 less the two 15 mm margins


@dataclass(frozen=True)
class CertificateData:
    office_name: str
    office_address: str
    office_registration: str
    is_demo: bool
    number: str
    participant_name: str
    participant_detail: str  # member number, Kube, or BMT staff
    title: str
    kind_label: str
    start: dt.date
    end: dt.date
    venue: str
    institution: str
    trainer: str
    topics: tuple[str, ...]
    days: int
    present_days: int
    completion_pct: int
    printed_at: dt.datetime
    pre_score: int | None = None
    post_score: int | None = None
    logo: bytes | None = None


def format_date_range(start: dt.date, end: dt.date) -> str:
    """``12–15 Februari 2026``, ``28 Februari – 3 Maret 2026``, or one day."""
    if start == end:
        return format_date_id(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date_id(end)}"
    if start.year == end.year:
        return f"{format_date(start, 'd MMMM', locale='id')} – {format_date_id(end)}"
    return f"{format_date_id(start)} – {format_date_id(end)}"


@cache
def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = register_fonts()
    body = report_styles().body
    centre = ParagraphStyle("bmt-cert-centre", parent=body, alignment=TA_CENTER, fontSize=11,
                            leading=15)
    return {
        "centre": centre,
        "muted": ParagraphStyle("bmt-cert-muted", parent=centre, fontSize=9.5, leading=13,
                                textColor=MUTED),
        "name": ParagraphStyle("bmt-cert-name", parent=centre, fontName=bold, fontSize=22,
                               leading=27),
        "title": ParagraphStyle("bmt-cert-title", parent=centre, fontName=bold, fontSize=15,
                                leading=19),
        "sign": ParagraphStyle("bmt-cert-sign", parent=body, alignment=TA_CENTER,
                               fontName=regular, fontSize=10, leading=13),
    }


def _topics(data: CertificateData) -> Flowable:
    styles = report_styles()
    rows: list[list] = [[_("No."), _("Topic")]]
    rows += [[str(n), Paragraph(text(name), styles.cell)]
             for n, name in enumerate(data.topics, start=1)]
    table = data_table(rows, [12 * mm, WIDTH - 12 * mm])
    table.setStyle(TableStyle([("ALIGN", (0, 0), (0, -1), "RIGHT")]))
    return table


def _result(data: CertificateData) -> str:
    pct = 100 * data.present_days // data.days if data.days else 0
    parts = [_("Attendance {present} of {days} days ({pct} %); completion needs at least "
               "{needed} %.").format(present=data.present_days, days=data.days, pct=pct,
                                     needed=data.completion_pct)]
    if data.pre_score is not None or data.post_score is not None:
        def shown(score: int | None) -> str:
            return "–" if score is None else str(score)

        parts.append(_("Pre-test score {pre}, post-test score {post}.").format(
            pre=shown(data.pre_score), post=shown(data.post_score)))
    return " ".join(parts)


def _signatures(data: CertificateData) -> Flowable:
    style = _styles()["sign"]
    blank = Spacer(1, 18 * mm)
    left = [Paragraph(text(_("Trainer")), style), blank,
            Paragraph(text(f"( {data.trainer or '.' * 40} )"), style)]
    right = [Paragraph(text(format_date_id(data.end)), style),
             Paragraph(text(_("Organiser, {office}").format(office=data.office_name)), style),
             blank, Paragraph(text("( " + "." * 40 + " )"), style)]
    table = Table([[left, right]], colWidths=[WIDTH / 2, WIDTH / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 4),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 4)]))
    return table


def render_certificate(data: CertificateData) -> bytes:
    """The certificate as an A4 PDF (one page for up to about twenty topics)."""
    styles = _styles()
    when = _("{kind} · {dates} ({days} days)").format(
        kind=data.kind_label[:1].upper() + data.kind_label[1:], dates=format_date_range(data.start, data.end), days=data.days)
    where = [part for part in (
        _("at {venue}").format(venue=data.venue) if data.venue else "",
        _("organised by {institution}").format(institution=data.institution)
        if data.institution else "") if part]
    story: list[Flowable] = [
        Spacer(1, 8 * mm),
        Paragraph(text(_("This certificate is given to")), styles["centre"]),
        Spacer(1, 4 * mm),
        Paragraph(text(data.participant_name), styles["name"]),
    ]
    if data.participant_detail:
        story.append(Paragraph(text(data.participant_detail), styles["muted"]))
    story += [
        Spacer(1, 7 * mm),
        Paragraph(text(_("who has completed the training")), styles["centre"]),
        Spacer(1, 2 * mm),
        Paragraph(text(data.title), styles["title"]),
        Spacer(1, 2 * mm),
        Paragraph(text(when), styles["centre"]),
    ]
    if where:
        story.append(Paragraph(text(", ".join(where)), styles["centre"]))
    story += [
        Spacer(1, 8 * mm),
        Paragraph(text(_("Topics")), report_styles().heading),
        _topics(data),
        Spacer(1, 4 * mm),
        Paragraph(text(_result(data)), report_styles().body),
        Spacer(1, 12 * mm),
        KeepTogether(_signatures(data)),
    ]
    letterhead = Letterhead(data.office_name, data.office_registration, data.office_address,
                            data.is_demo, data.logo)
    return build_report(story, letterhead=letterhead, title=_("CERTIFICATE"),
                        subtitle=_("No. {number}").format(number=data.number),
                        printed_at=data.printed_at)
