"""The akad summary (ringkasan akad) of a financing, on A4 with the house template.

:func:`render_akad` takes an :class:`AkadData` of plain values and lays out: the parties
(a member, or a Kube with every member's share under joint liability), the akad and its
fatwa basis, the price or the profit-sharing terms with the amounts in words, the charges
(ta'zir to the social fund, ta'widh as real cost), early settlement, collateral, the
signatures with the place, date and Hijri date, and the full instalment schedule as an
attachment whose totals sum exactly. A financing not yet disbursed is marked SIMULASI: its
schedule is the preview. The same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from babel.dates import format_date
from babel.numbers import format_decimal
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.financing_schedule import FREQUENCIES, frequency_label
from bmt_desktop.domain.hijri import hijri_date_id
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.stamp_duty import STAMP_DUTY
from bmt_desktop.domain.terbilang import terbilang_rupiah
from bmt_desktop.i18n import N_, _
from bmt_desktop.printing.fonts import register_fonts
from bmt_desktop.printing.layout import (
    BAD,
    HEADER_FILL,
    MUTED,
    Letterhead,
    build_report,
    data_table,
    report_styles,
    text,
)

WIDTH = 180 * mm  # A4 less the two 15 mm margins
LABEL_WIDTH = 52 * mm
CELL_PADDING = 4
AMOUNT_SIZE = 8.5
SCHEDULE_SIZE = 8  # 50 weekly instalments fit on one page

AKADS = ("murabahah", "mudharabah", "musyarakah", "ijarah", "qardh")
AKAD_NAMES = {"murabahah": "Murabahah", "mudharabah": "Mudharabah",
              "musyarakah": "Musyarakah", "ijarah": "Ijarah", "qardh": "Qardh"}
# The fatwa of the National Sharia Board (DSN-MUI) each akad rests on.
FATWA = {
    "murabahah": N_("Fatwa DSN-MUI No. 04/2000 on Murabahah and No. 84/2012 on the method "
                    "of recognising the profit of murabahah financing"),
    "mudharabah": N_("Fatwa DSN-MUI No. 07/2000 on Mudharabah (Qiradh) financing"),
    "musyarakah": N_("Fatwa DSN-MUI No. 08/2000 on Musyarakah financing"),
    "ijarah": N_("Fatwa DSN-MUI No. 09/2000 on Ijarah financing"),
    "qardh": N_("Fatwa DSN-MUI No. 19/2001 on Al-Qardh"),
}
OBJECT_HEADINGS = {"murabahah": N_("Goods and selling price"),
                   "mudharabah": N_("Capital and profit sharing"),
                   "musyarakah": N_("Capital and profit sharing"),
                   "ijarah": N_("Leased asset and rent"), "qardh": N_("The loan")}
METHOD_LABELS = {"flat": N_("flat (proportional)"), "anuitas": N_("annuity (effective)")}
PROFIT_SHARING = ("mudharabah", "musyarakah")
DEBT_AKADS = ("murabahah", "ijarah")  # ta'widh applies only to these (Fatwa DSN 43/2004)


@dataclass(frozen=True)
class AkadPerson:
    """A member as the akad names them."""

    name: str
    number: str = ""
    nik: str = ""
    address: str = ""
    occupation: str = ""


@dataclass(frozen=True)
class AkadShare:
    """A Kube member's share of the group's financing."""

    person: AkadPerson
    amount: int


@dataclass(frozen=True)
class AkadCollateral:
    description: str
    value: int
    eligible_value: int


@dataclass(frozen=True)
class AkadInstalment:
    number: int
    due_on: dt.date
    principal: int
    margin: int

    @property
    def amount(self) -> int:
        return self.principal + self.margin


@dataclass(frozen=True)
class AkadData:
    """Everything printed on the akad summary; names and texts are final."""

    office_name: str
    office_registration: str
    office_address: str
    is_demo: bool
    number: str  # e.g. "PMB-2026-00001"
    akad: str  # one of AKADS
    product_name: str
    simulation: bool  # not yet disbursed: the schedule is a preview
    date: dt.date  # of the akad (the disbursement), or of the print for a simulation
    place: str  # where it is signed, e.g. "Sukajaya"; may be empty
    principal: int
    frequency: str  # bulanan, dua_mingguan, mingguan
    schedule: tuple[AkadInstalment, ...]
    purpose: str
    manager: str  # signs for the BMT
    printed_at: dt.datetime
    member: AkadPerson | None = None  # an individual financing
    kube_name: str = ""  # a Kube's financing
    kube_code: str = ""
    kube_address: str = ""
    kube_ketua: str = ""
    shares: tuple[AkadShare, ...] = ()
    coordinator: str = ""  # the Kube coordinator who approved an individual financing
    coordinator_approved_on: dt.date | None = None
    goods: str = ""
    supplier: str = ""
    cost_price: int = 0  # murabahah: the price the BMT pays the supplier
    method: str = "flat"
    rate_bp: int = 0  # margin (murabahah) or rent (ijarah) per year, in basis points
    nisbah_pct: int = 0  # the BMT's share of realised profit (mudharabah, musyarakah)
    admin_fee: int = 0
    tazir_amount: int = 0
    collateral: tuple[AkadCollateral, ...] = ()
    disbursed_to: str = ""  # "tunai", "tabungan" or "" (not yet)
    savings_account: str = ""
    rescheduled: bool = False  # a later schedule replaced this one
    show_hijri: bool = True
    logo: bytes | None = None

    @property
    def is_kube(self) -> bool:
        return self.member is None

    @property
    def margin_total(self) -> int:
        return sum(i.margin for i in self.schedule)

    @property
    def owed(self) -> int:
        """What the member repays over the schedule."""
        return self.principal + self.margin_total

    @property
    def down_payment(self) -> int:
        return self.cost_price - self.principal

    @property
    def selling_price(self) -> int:
        """Murabahah: cost price plus margin, fixed at the akad."""
        return self.cost_price + self.margin_total


# ------------------------------------------------------------------------------ styles, helpers
@cache
def _styles() -> dict[str, ParagraphStyle]:
    base = report_styles()
    regular, bold = register_fonts()
    return {
        "clause": ParagraphStyle("akad-clause", parent=base.body, alignment=TA_JUSTIFY,
                                 spaceAfter=3),
        "plain": ParagraphStyle("akad-plain", parent=base.body, spaceAfter=3),
        "item": ParagraphStyle("akad-item", parent=base.body, alignment=TA_JUSTIFY,
                               leftIndent=5 * mm, bulletIndent=0, spaceAfter=2.5),
        "notice": ParagraphStyle("akad-notice", parent=base.body, fontName=bold,
                                 textColor=BAD, alignment=TA_CENTER),
        "sign": ParagraphStyle("akad-sign", parent=base.body, alignment=TA_CENTER),
        "sign_name": ParagraphStyle("akad-sign-name", parent=base.body, fontName=bold,
                                    alignment=TA_CENTER),
        "place": ParagraphStyle("akad-place", parent=base.body, alignment=TA_RIGHT),
        "words": ParagraphStyle("akad-words", parent=base.cell, fontName=regular,
                                textColor=MUTED),
        "code": ParagraphStyle("akad-code", parent=base.cell, wordWrap="CJK"),
        "heading": ParagraphStyle("akad-heading", parent=base.heading, keepWithNext=1),
        "head_right": ParagraphStyle("akad-head-right", parent=base.cell_bold,
                                     alignment=TA_RIGHT),
    }


def _rich(template: str, **values: object) -> str:
    """The translated ``template`` escaped for a Paragraph, its values in bold."""
    return text(template).format(**{k: f"<b>{text(v)}</b>" for k, v in values.items()})


def _amount(value: int) -> str:
    return format_decimal(value, locale="id_ID")


def _short_date(day: dt.date) -> str:
    return format_date(day, "d MMM y", locale="id")


def _pct(bp: int) -> str:
    """1800 → "18 %", 1250 → "12,5 %"."""
    return f"{bp / 100:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " %"


def _words(amount: int) -> str:
    return _("in words: {words}").format(words=terbilang_rupiah(amount))


def akad_title(akad: str) -> str:
    return _("Akad summary: {akad}").format(akad=AKAD_NAMES[akad])


def _check(data: AkadData) -> None:
    if data.akad not in AKADS:
        raise ValueError(f"unknown akad: {data.akad!r}")
    if data.frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency: {data.frequency!r}")
    if not data.schedule:
        raise ValueError("an akad needs its schedule")
    if sum(i.principal for i in data.schedule) != data.principal:
        raise ValueError("the schedule's principal does not add up to the financing")
    if (data.member is None) == (not data.kube_name):
        raise ValueError("an akad is for one member or for one Kube")
    if data.shares and sum(s.amount for s in data.shares) != data.principal:
        raise ValueError("the members' shares do not add up to the financing")
    if data.akad == "murabahah" and data.cost_price < data.principal:
        raise ValueError("the cost price is below the financed amount")


def _key_values(rows: Sequence[tuple[str, str, str]]) -> Table:
    """Label, value and (muted, below the value) a note such as the amount in words."""
    styles = report_styles()
    cells = []
    for label, value, note in rows:
        content: list[Flowable] = [Paragraph(text(value), styles.cell)]
        if note:
            content.append(Paragraph(text(note), _styles()["words"]))
        cells.append([Paragraph(text(label), styles.cell_bold), content])
    table = data_table(cells, [LABEL_WIDTH, WIDTH - LABEL_WIDTH], header=False)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), HEADER_FILL)]))
    return table


def _heading(number: int, title: str) -> Paragraph:
    return Paragraph(text(f"{number}. {title}"), _styles()["heading"])


def _clause(markup: str) -> Paragraph:
    return Paragraph(markup, _styles()["clause"])


def _items(markups: Sequence[str]) -> list[Flowable]:
    return [Paragraph(m, _styles()["item"], bulletText="•") for m in markups]


# ---------------------------------------------------------------------------------- the parties
def _date_line(data: AkadData) -> str:
    day = format_date_id(data.date, weekday=True)
    hijri = hijri_date_id(data.date) if data.show_hijri else ""
    return _("{date} ({hijri})").format(date=day, hijri=hijri) if hijri else day


def _opening(data: AkadData) -> list[Flowable]:
    where = _(", in {place}").format(place=data.place) if data.place else ""
    return [_clause(text(_("On {date}{where}, the undersigned:").format(
        date=_date_line(data), where=where)))]


def _person_text(person: AkadPerson) -> str:
    parts = [person.name]
    if person.number:
        parts.append(_("member no. {number}").format(number=person.number))
    if person.nik:
        parts.append(_("NIK {nik}").format(nik=person.nik))
    if person.occupation:
        parts.append(person.occupation)
    if person.address:
        parts.append(_("living at {address}").format(address=person.address))
    return ", ".join(parts)


def _parties(data: AkadData) -> list[Flowable]:
    office = data.office_name
    if data.office_registration:
        office += ", " + _("registration no. {number}").format(
            number=data.office_registration)
    if data.office_address:
        office += ", " + _("at {address}").format(address=" ".join(data.office_address.split()))
    first = _("{office}, represented by {manager} as manager; hereafter the BMT.").format(
        office=office, manager=data.manager or "…")
    if data.member is not None:
        second = _("{person}; hereafter the Member.").format(person=_person_text(data.member))
    else:
        kube = f"{data.kube_name} ({data.kube_code})" if data.kube_code else data.kube_name
        where = _(", at {address}").format(address=data.kube_address) \
            if data.kube_address else ""
        second = _("{kube}, a joint business group (Kube){where}, represented by {ketua} as "
                   "its chair, together with all its members listed in this akad, who are "
                   "jointly liable; hereafter the Kube.").format(
            kube=kube, where=where, ketua=data.kube_ketua or "…")
    rows = [(_("First party"), first, ""), (_("Second party"), second, "")]
    if data.member is not None and data.coordinator:
        approved = _("approved on {date}").format(
            date=format_date_id(data.coordinator_approved_on)) \
            if data.coordinator_approved_on else ""
        rows.append((_("Kube coordinator"), data.coordinator, approved))
    party = _("the Kube") if data.is_kube else _("the Member")
    return [
        _key_values(rows),
        Spacer(1, 2 * mm),
        _clause(text(_("The parties agree on a {akad} akad between the BMT and {party} on "
                       "the following terms.").format(akad=AKAD_NAMES[data.akad],
                                                      party=party))),
    ]


# --------------------------------------------------------------------------------- the terms
def _object_rows(data: AkadData) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = [
        (_("Product"), f"{data.product_name} ({AKAD_NAMES[data.akad]})", ""),
        (_("Purpose"), data.purpose, ""),
    ]
    if data.goods:
        rows.append((_("Goods") if data.akad != "ijarah" else _("Leased asset"),
                     data.goods, ""))
    if data.supplier:
        rows.append((_("Supplier"), data.supplier, ""))
    if data.akad == "murabahah":
        rows += [
            (_("Cost price of the goods"), format_rupiah(data.cost_price), ""),
            (_("Down payment"), format_rupiah(data.down_payment),
             _("paid by the member: cost price less the financed amount")
             if data.down_payment else ""),
            (_("Financed by the BMT"), format_rupiah(data.principal), ""),
            (_("Margin"), format_rupiah(data.margin_total),
             _("{rate} a year, {method}").format(rate=_pct(data.rate_bp),
                                                 method=_(METHOD_LABELS[data.method]))),
            (_("Total selling price"), format_rupiah(data.selling_price),
             _words(data.selling_price)),
            (_("To be repaid in instalments"), format_rupiah(data.owed), _words(data.owed)),
        ]
    elif data.akad in PROFIT_SHARING:
        rows.append((_("Capital from the BMT"), format_rupiah(data.principal),
                     _words(data.principal)))
        rows.append((_("Profit-sharing ratio (nisbah)"),
                     _("BMT {bmt} % : member {member} %").format(
                         bmt=data.nisbah_pct, member=100 - data.nisbah_pct), ""))
    elif data.akad == "ijarah":
        rows += [
            (_("Value of the leased asset"), format_rupiah(data.principal), ""),
            (_("Rent (ujrah)"), format_rupiah(data.margin_total),
             _("{rate} a year").format(rate=_pct(data.rate_bp))),
            (_("Total to be paid"), format_rupiah(data.owed), _words(data.owed)),
        ]
    else:  # qardh
        rows.append((_("Benevolent loan"), format_rupiah(data.principal),
                     _words(data.principal)))
    return rows


def _repayment_rows(data: AkadData) -> list[tuple[str, str, str]]:
    first, last = data.schedule[0], data.schedule[-1]
    amounts = [i.amount for i in data.schedule]
    if len(set(amounts[:-1])) <= 1 and len(amounts) > 1:
        each = _("{amount} each, the last one {last}").format(
            amount=format_rupiah(amounts[0]), last=format_rupiah(amounts[-1])) \
            if amounts[-1] != amounts[0] else _("{amount} each").format(
                amount=format_rupiah(amounts[0]))
    elif len(amounts) == 1:
        each = format_rupiah(amounts[0])
    else:
        each = _("{low} to {high}, as in the schedule").format(
            low=format_rupiah(min(amounts)), high=format_rupiah(max(amounts)))
    rows = [
        (_("Instalments"), _("{n} instalments, {frequency}").format(
            n=len(data.schedule), frequency=frequency_label(data.frequency)), ""),
        (_("Instalment"), each, ""),
        (_("Due dates"), _("{first} to {last}").format(
            first=format_date_id(first.due_on), last=format_date_id(last.due_on)), ""),
    ]
    if data.disbursed_to == "tabungan" and data.savings_account:
        paid = _("into savings account {account}").format(account=data.savings_account)
    elif data.disbursed_to == "tunai":
        paid = _("in cash at the counter")
    else:
        paid = _("not yet disbursed")
    net = data.principal - data.admin_fee
    rows.append((_("Disbursement"), paid, _("{net} after the admin fee").format(
        net=format_rupiah(net)) if data.admin_fee else ""))
    return rows


def _terms(data: AkadData) -> list[Flowable]:
    out: list[Flowable] = []
    n = 1
    out += [_heading(n, _("Basis of the akad")),
            Paragraph(_rich(_("This akad follows {fatwa}."), fatwa=_(FATWA[data.akad])),
                      _styles()["plain"])]
    n += 1
    out += [_heading(n, _(OBJECT_HEADINGS[data.akad])), _key_values(_object_rows(data))]
    if data.akad == "murabahah":
        out.append(Spacer(1, 2 * mm))
        out.append(_clause(_rich(_(
            "The BMT buys the goods from the supplier and sells them to {party} at the "
            "total selling price above. The selling price is fixed at the akad and does not "
            "change for the whole term, whatever happens to prices."),
            party=_("the Kube") if data.is_kube else _("the Member"))))
    elif data.akad in PROFIT_SHARING:
        out.append(Spacer(1, 2 * mm))
        out += _profit_sharing(data)
    elif data.akad == "ijarah":
        out.append(Spacer(1, 2 * mm))
        out.append(_clause(text(_("The BMT leases the asset for the term of the akad; the "
                                  "rent is fixed at the akad."))))
    else:
        out.append(Spacer(1, 2 * mm))
        out.append(_clause(text(_(
            "The loan comes from the social funds of the Baitul Maal. Only the amount "
            "borrowed is repaid, with no addition; an admin fee covers no more than the "
            "real cost."))))
    n += 1
    out += [_heading(n, _("Repayment")), _key_values(_repayment_rows(data))]
    n += 1
    out += [_heading(n, _("Costs, late payment and early settlement")), *_items(_charges(data))]
    n += 1
    out += [_heading(n, _("Collateral")), *_collateral(data)]
    if data.is_kube:
        n += 1
        out += [_heading(n, _("Members' shares and joint liability (tanggung renteng)")),
                *_shares(data)]
    n += 1
    out += [_heading(n, _("Other terms")), *_items([
        text(_("The instalment schedule attached is part of this akad.")),
        text(_("The member reports on the business and lets the BMT's staff and the Kube's "
               "mentor visit it.") if data.is_kube or data.coordinator
             else _("The member reports on the business and lets the BMT's staff visit it.")),
        text(_("A dispute is settled by deliberation (musyawarah); if no agreement is "
               "reached, before the Religious Court (Pengadilan Agama).")),
    ])]
    return out


def _profit_sharing(data: AkadData) -> list[Flowable]:
    share = _("BMT {bmt} % : member {member} %").format(bmt=data.nisbah_pct,
                                                       member=100 - data.nisbah_pct)
    items = [_rich(_("Realised profit is shared by the nisbah {nisbah}, on the profit the "
                     "member reports for each period; no fixed return is promised."),
                   nisbah=share)]
    if data.akad == "mudharabah":
        items.append(text(_(
            "The BMT (shahibul maal) provides all the capital and the member (mudharib) runs "
            "the business. A loss not caused by the member's negligence or breach of the "
            "akad is borne by the BMT as the owner of the capital; a loss caused by "
            "negligence or breach is borne by the member.")))
    else:
        items.append(text(_(
            "The BMT and the member both put capital into the business. A loss is borne by "
            "each party in proportion to its share of the capital.")))
    items.append(text(_("The capital is returned by the schedule attached.")))
    return _items(items)


def _charges(data: AkadData) -> list[str]:
    items = []
    if data.admin_fee:
        items.append(_rich(_("Admin fee: {fee}, taken from the disbursement."),
                           fee=format_rupiah(data.admin_fee)))
    else:
        items.append(text(_("No admin fee.")))
    if data.tazir_amount:
        items.append(_rich(_(
            "Ta'zir: a member who is able to pay but delays on purpose pays {amount} for each "
            "late instalment. It is never charged for hardship, and it goes entirely to the "
            "social fund (Baitul Maal), never to the BMT's income (Fatwa DSN-MUI No. "
            "17/2000)."), amount=format_rupiah(data.tazir_amount)))
    else:
        items.append(text(_("This akad sets no ta'zir for late payment.")))
    if data.akad in DEBT_AKADS:
        items.append(text(_(
            "Ta'widh: for a late payment the BMT may claim only the real, provable cost of "
            "collecting it, never an estimated loss or lost profit (Fatwa DSN-MUI No. "
            "43/2004).")))
    if data.akad == "murabahah":
        items.append(text(_(
            "Early settlement: the member may settle at any time. The margin of instalments "
            "not yet due on the day of settlement is not charged; only the principal left, "
            "the margin of the instalments already due and any charges owed are paid "
            "(Fatwa DSN-MUI No. 153/2022).")))
    elif data.akad == "ijarah":
        items.append(text(_(
            "Early settlement: the member may settle at any time; the rent of instalments "
            "not yet due on the day of settlement is not charged.")))
    elif data.akad in PROFIT_SHARING:
        items.append(text(_(
            "Early settlement: the member may return the capital at any time, with the "
            "BMT's share of the profit of the periods already reported.")))
    else:
        items.append(text(_("Early settlement: the loan may be repaid at any time, with "
                            "nothing added.")))
    return items


def _collateral(data: AkadData) -> list[Flowable]:
    if not data.collateral:
        return [_clause(text(_("No collateral.")))]
    styles = report_styles()
    right = _styles()["head_right"]
    rows: list[list] = [[Paragraph(text(_("No.")), styles.cell_bold),
                         Paragraph(text(_("Description")), styles.cell_bold),
                         Paragraph(text(_("Value (Rp)")), right),
                         Paragraph(text(_("Eligible value (Rp)")), right)]]
    for index, item in enumerate(data.collateral, start=1):
        rows.append([str(index), Paragraph(text(item.description), styles.cell),
                     _amount(item.value), _amount(item.eligible_value)])
    table = data_table(rows, [12 * mm, 88 * mm, 40 * mm, 40 * mm])
    table.setStyle(TableStyle([("ALIGN", (2, 1), (3, -1), "RIGHT"),
                               ("ALIGN", (0, 1), (0, -1), "CENTER"),
                               ("VALIGN", (0, 0), (-1, 0), "BOTTOM")]))
    return [table, Spacer(1, 1.5 * mm), _clause(text(_(
        "The collateral is held by the BMT until the financing is settled and is returned "
        "then.")))]


def _shares(data: AkadData) -> list[Flowable]:
    styles = report_styles()
    _regular, bold = register_fonts()
    rows: list[list] = [[_("No."), _("Name"), _("Member no."), _("NIK"), _("Share (Rp)"),
                         _("Signature")]]
    for index, share in enumerate(data.shares, start=1):
        rows.append([str(index), Paragraph(text(share.person.name), styles.cell),
                     share.person.number, Paragraph(text(share.person.nik), _styles()["code"]),
                     _amount(share.amount), f"{index}. ……………"])
    total = sum(s.amount for s in data.shares)
    rows.append(["", Paragraph(text(_("Total")), styles.cell_bold), "", "", _amount(total),
                 ""])
    table = data_table(rows, [10 * mm, 52 * mm, 24 * mm, 36 * mm, 28 * mm, 30 * mm])
    table.setStyle(TableStyle([
        ("ALIGN", (4, 0), (4, -1), "RIGHT"),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("VALIGN", (0, 1), (-1, -2), "MIDDLE"),
        ("TOPPADDING", (0, 1), (-1, -2), 7),
        ("BOTTOMPADDING", (0, 1), (-1, -2), 7),
        ("FONT", (4, -1), (4, -1), bold, AMOUNT_SIZE),
        ("BACKGROUND", (0, -1), (-1, -1), HEADER_FILL),
    ]))
    return [table, Spacer(1, 2 * mm), _clause(text(_(
        "Tanggung renteng: every member repays their own share through the Kube, and all "
        "members together are jointly liable for the whole financing. When a member does "
        "not pay, the other members cover the instalment and the Kube settles it with "
        "that member.")))]


# ---------------------------------------------------------------------------------- signatures
class _StampBox(Flowable):
    """A dashed place for the meterai where the member signs."""

    def __init__(self, width: float = 26 * mm, height: float = 16 * mm) -> None:
        super().__init__()
        self.width, self.height = width, height

    def wrap(self, _avail_width: float, _avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        regular, _bold = register_fonts()
        c = self.canv
        c.saveState()
        c.setStrokeColor(MUTED)
        c.setLineWidth(0.6)
        c.setDash(3, 2)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        c.setDash()
        c.setFillColor(MUTED)
        c.setFont(regular, 7.5)
        c.drawCentredString(self.width / 2, self.height / 2 + 1.5, _("Stamp duty"))
        c.drawCentredString(self.width / 2, self.height / 2 - 8, format_rupiah(STAMP_DUTY))
        c.restoreState()


def _signature_cell(role: str, name: str, title: str, *, stamp: bool = False) -> list:
    styles = _styles()
    cell: list[Flowable] = [Paragraph(text(role), styles["sign"])]
    if stamp:
        box = _StampBox()
        box.hAlign = "CENTER"
        cell += [Spacer(1, 2 * mm), box, Spacer(1, 3 * mm)]
    else:
        cell.append(Spacer(1, 21 * mm))  # as tall as the stamp box with its gaps
    cell.append(Paragraph(text(name.strip() or "(………………………………)"), styles["sign_name"]))
    if title:
        cell.append(Paragraph(text(title), styles["sign"]))
    return cell


def _signatures(data: AkadData) -> list[Flowable]:
    styles = _styles()
    place = f"{data.place}, " if data.place else ""
    lines = [Paragraph(text(place + format_date_id(data.date)), styles["place"])]
    hijri = hijri_date_id(data.date) if data.show_hijri else ""
    if hijri:
        lines.append(Paragraph(text(hijri), styles["place"]))
    if data.is_kube:
        second = _signature_cell(_("Second party, for the Kube"), data.kube_ketua,
                                 _("Chair of {kube}").format(kube=data.kube_name), stamp=True)
    else:
        assert data.member is not None
        second = _signature_cell(_("Second party, the Member"), data.member.name,
                                 data.member.number, stamp=True)
    first = _signature_cell(_("First party, for the BMT"), data.manager, _("Manager"))
    cells = [second]
    if data.member is not None and data.coordinator:
        cells.append(_signature_cell(_("Acknowledged by"), data.coordinator,
                                     _("Kube coordinator")))
    cells.append(first)
    width = WIDTH / len(cells)
    table = Table([cells], colWidths=[width] * len(cells))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    return [Spacer(1, 4 * mm), KeepTogether([*lines, Spacer(1, 3 * mm), table])]


# ------------------------------------------------------------------------------------ schedule
def _schedule(data: AkadData) -> list[Flowable]:
    styles = report_styles()
    regular, bold = register_fonts()
    with_margin = data.akad in ("murabahah", "ijarah") or data.margin_total > 0
    margin_label = _("Rent (Rp)") if data.akad == "ijarah" else _("Margin (Rp)")
    principal_label = _("Capital (Rp)") if data.akad in PROFIT_SHARING else _("Principal (Rp)")
    header = [_("No."), _("Due date"), principal_label]
    if with_margin:
        header += [margin_label, _("Instalment (Rp)")]
    header.append(_("Remaining (Rp)"))
    rows: list[list] = [header]
    left = data.owed
    for item in data.schedule:
        left -= item.amount
        row = [str(item.number), _short_date(item.due_on), _amount(item.principal)]
        if with_margin:
            row += [_amount(item.margin), _amount(item.amount)]
        row.append(_amount(left))
        rows.append(row)
    total = ["", Paragraph(text(_("Total")), styles.cell_bold),
             _amount(sum(i.principal for i in data.schedule))]
    if with_margin:
        total += [_amount(data.margin_total), _amount(data.owed)]
    total.append("")
    rows.append(total)
    if with_margin:
        widths = [14 * mm, 34 * mm, 33 * mm, 31 * mm, 33 * mm, 35 * mm]
    else:
        widths = [14 * mm, 50 * mm, 58 * mm, 58 * mm]
    commands: list[tuple] = [
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("FONT", (0, 1), (-1, -1), regular, SCHEDULE_SIZE),
        ("TOPPADDING", (0, 1), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 1.2),
        ("FONT", (2, -1), (-1, -1), bold, SCHEDULE_SIZE),
        ("BACKGROUND", (0, -1), (-1, -1), HEADER_FILL),
    ]
    # A figure too wide for its column gets a smaller font rather than running out of it.
    for row_index, row in enumerate(rows[1:], start=1):
        for column in range(2, len(row)):
            cell = row[column]
            if not isinstance(cell, str) or not cell:
                continue
            font = bold if row_index == len(rows) - 1 else regular
            room = widths[column] - 2 * CELL_PADDING
            size = SCHEDULE_SIZE
            while size > 5 and stringWidth(cell, font, size) > room:
                size -= 0.5
            if size != SCHEDULE_SIZE:
                commands.append(("FONT", (column, row_index), (column, row_index), font, size))
    table = data_table(rows, widths)
    table.setStyle(TableStyle(commands))
    title = _("Attachment: instalment schedule")
    if data.simulation:
        title = _("Attachment: instalment schedule (simulation)")
    out: list[Flowable] = [Paragraph(text(title), _styles()["heading"])]
    if data.simulation:
        out.append(_clause(text(_(
            "Simulation: the due dates and amounts are what the schedule would be if the "
            "financing were disbursed on {date}; the binding schedule is fixed at the "
            "disbursement.").format(date=format_date_id(data.date)))))
    if data.rescheduled:
        out.append(_clause(text(_(
            "This is the schedule of the akad; the financing was rescheduled later and the "
            "new schedule is kept beside it."))))
    out.append(table)
    # A schedule that fits on a page is not split; a longer one runs on, its header repeated.
    return [CondPageBreak(40 * mm), KeepTogether(out)]


def _simulation_notice() -> Flowable:
    box = Table([[Paragraph(text(_("SIMULATION — not yet disbursed. The schedule is a "
                                   "preview; this summary binds only when signed at the "
                                   "disbursement.")), _styles()["notice"])]],
                colWidths=[WIDTH])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, BAD),
                             ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fdf0f2")),
                             ("TOPPADDING", (0, 0), (-1, -1), 5),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return box


def render_akad(data: AkadData) -> bytes:
    """The akad summary as an A4 PDF (several pages for a long schedule, numbered)."""
    _check(data)
    story: list[Flowable] = []
    if data.simulation:
        story += [_simulation_notice(), Spacer(1, 3 * mm)]
    story += _opening(data)
    story += _parties(data)
    story += _terms(data)
    story += _signatures(data)
    story += _schedule(data)
    letterhead = Letterhead(data.office_name, data.office_registration, data.office_address,
                            data.is_demo, data.logo)
    party = data.member.name if data.member is not None else data.kube_name
    subtitle = _("No. {number} · {product} · {party}").format(
        number=data.number, product=data.product_name, party=party)
    if data.simulation:
        subtitle += " · " + _("SIMULATION")
    return build_report(story, letterhead=letterhead, title=akad_title(data.akad),
                        subtitle=subtitle, printed_at=data.printed_at)
