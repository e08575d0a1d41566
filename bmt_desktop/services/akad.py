"""The akad summary (ringkasan akad) of a financing, read from the book; nothing is written.

A financing that is approved (the schedule is the preview, marked as a simulation) or was
disbursed (the akad's own schedule, version 1, kept even after a rescheduling) has one; an
application not yet decided, a rejected or a cancelled one has none.
"""

from __future__ import annotations

import datetime as dt
import re

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.printing.akad import (
    AkadCollateral,
    AkadData,
    AkadInstalment,
    AkadPerson,
    AkadShare,
    render_akad,
)
from bmt_desktop.services.financing import preview_schedule
from bmt_desktop.services.office import get_logo, get_profile
from bmt_desktop.services.session import Session

# Where the akad is signed: the village (desa/kelurahan) of the office's address, else its
# district or regency.
_PLACE_PATTERNS = (
    r"\b(?:Desa|Kelurahan|Kel\.)\s+([^,]+?)(?=\s+RT\b|\s+RW\b|,|$)",
    r"\b(?:Kecamatan|Kec\.)\s+([^,]+?)(?=,|$)",
    r"\b(?:Kabupaten|Kab\.|Kota)\s+([^,]+?)(?=,|$)",
)


def place_of(address: str) -> str:
    """``"Jl. Raya, Desa Sukajaya RT 002/RW 001, Kec. Cadasari"`` → ``"Sukajaya"``."""
    flat = " ".join(address.split())
    for pattern in _PLACE_PATTERNS:
        found = re.search(pattern, flat, flags=re.IGNORECASE)
        if found and found.group(1).strip():
            return found.group(1).strip()
    return ""


def _address(rt: str, rw: str, desa: str, kecamatan: str = "", kabupaten: str = "") -> str:
    parts = []
    if rt or rw:
        parts.append(f"RT\u00a0{rt or '–'}/RW\u00a0{rw or '–'}")  # kept on one line
    if desa:
        parts.append(desa)
    if kecamatan:
        parts.append(f"Kec. {kecamatan}")
    if kabupaten:
        known = kabupaten.lower().startswith(("kab", "kota"))
        parts.append(kabupaten if known else f"Kab. {kabupaten}")
    return ", ".join(parts)


def find_financing(session: Session, key: object) -> int:
    """The id of a financing given by its number (``PMB-2026-00001``) or its numeric id."""
    session.require(Action.LEDGER_VIEW, writes=False)
    value = str(key if key is not None else "").strip()
    conn = session.book.raw()
    row = None
    if value.isdigit():
        row = conn.execute("SELECT id FROM financing WHERE id = ?", (int(value),)).fetchone()
    if row is None and value:
        row = conn.execute("SELECT id FROM financing WHERE number = ?",
                           (value.upper(),)).fetchone()
    if row is None:
        raise ValidationError(_("Financing {number} does not exist.").format(
            number=value[:30] or "–"))
    return int(row[0])


def _refuse(number: str, status: str) -> None:
    if status == "pengajuan":
        raise ValidationError(_("{number} is still an application waiting for a decision; "
                                "its akad summary is printed once it is approved.").format(
            number=number))
    if status == "ditolak":
        raise ValidationError(_("{number} was rejected: it has no akad to print.").format(
            number=number))
    if status == "batal":
        raise ValidationError(_("{number} was cancelled: it has no akad to print.").format(
            number=number))


def _person(row: tuple) -> AkadPerson:
    name, number, nik, rt, rw, desa, kecamatan, kabupaten, occupation = row
    return AkadPerson(name, number, nik or "", _address(rt, rw, desa, kecamatan, kabupaten),
                      occupation or "")


_PERSON_COLUMNS = ("m.name, m.number, m.nik, m.rt, m.rw, m.desa, m.kecamatan, m.kabupaten, "
                   "m.occupation")


def _frequency_of(dates: list[dt.date], fallback: str) -> str:
    """The frequency of a stored schedule, from the gap between its first two due dates."""
    if len(dates) < 2:
        return fallback
    gap = (dates[1] - dates[0]).days
    return {7: "mingguan", 14: "dua_mingguan"}.get(gap, "bulanan")


def akad_data(session: Session, financing: object, *,
              printed_at: dt.datetime | None = None) -> AkadData:
    """What the akad summary of a financing shows (by number or id)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    financing_id = find_financing(session, financing)
    conn = session.book.raw()
    cursor = conn.execute(
        "SELECT f.*, p.name AS product_name, u.full_name AS manager_name, "
        "s.number AS savings_number FROM financing f "
        "JOIN financing_product p ON p.id = f.product_id "
        "LEFT JOIN user u ON u.id = f.decided_by "
        "LEFT JOIN savings_account s ON s.id = f.savings_account_id WHERE f.id = ?",
        (financing_id,))
    row = dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))
    _refuse(row["number"], row["status"])
    simulation = row["status"] == "disetujui"
    frequency = row["frequency"]
    if simulation:
        day = session.today
        rows = preview_schedule(session, financing_id)
    else:
        day = dt.date.fromisoformat(row["disbursed_on"])
        rows = conn.execute(
            "SELECT number, due_on, principal, margin FROM financing_schedule "
            "WHERE financing_id = ? AND version = 1 ORDER BY number",
            (financing_id,)).fetchall()
    schedule = tuple(AkadInstalment(n, dt.date.fromisoformat(str(d)), p, m)
                     for n, d, p, m in rows)
    if row["schedule_version"] > 1:  # a rescheduling rewrote the row's instalments/frequency
        frequency = _frequency_of([i.due_on for i in schedule], frequency)

    member = None
    kube_name = kube_code = kube_address = ketua = ""
    shares: tuple[AkadShare, ...] = ()
    if row["member_id"] is not None:
        member = _person(conn.execute(f"SELECT {_PERSON_COLUMNS} FROM member m WHERE m.id = ?",
                                      (row["member_id"],)).fetchone())
    else:
        kube_name, kube_code, rt, rw, desa = conn.execute(
            "SELECT name, code, rt, rw, desa FROM kube WHERE id = ?",
            (row["kube_id"],)).fetchone()
        kube_address = _address(rt, rw, desa)
        found = conn.execute(
            "SELECT m.name FROM kube_officer o JOIN member m ON m.id = o.member_id "
            "WHERE o.kube_id = ? AND o.role = 'ketua' AND o.term_start <= ? "
            "AND (o.term_end IS NULL OR o.term_end >= ?) ORDER BY o.term_start DESC LIMIT 1",
            (row["kube_id"], day.isoformat(), day.isoformat())).fetchone() or conn.execute(
            "SELECT m.name FROM kube_officer o JOIN member m ON m.id = o.member_id "
            "WHERE o.kube_id = ? AND o.role = 'ketua' ORDER BY o.term_start DESC LIMIT 1",
            (row["kube_id"],)).fetchone()
        ketua = found[0] if found else ""
        shares = tuple(
            AkadShare(_person(r[:-1]), r[-1]) for r in conn.execute(
                f"SELECT {_PERSON_COLUMNS}, s.amount FROM financing_share s "
                "JOIN member m ON m.id = s.member_id WHERE s.financing_id = ? ORDER BY s.id",
                (financing_id,)))
    collateral = tuple(AkadCollateral(d, v, e) for d, v, e in conn.execute(
        "SELECT description, value, eligible_value FROM financing_collateral "
        "WHERE financing_id = ? ORDER BY id", (financing_id,)))
    profile = get_profile(session.book)
    approved = row["coordinator_approved_on"]
    return AkadData(
        office_name=profile.name, office_registration=profile.registration_number,
        office_address=profile.address, is_demo=profile.is_demo,
        number=row["number"], akad=row["akad"], product_name=row["product_name"],
        simulation=simulation, date=day, place=place_of(profile.address),
        principal=row["principal"], frequency=frequency, schedule=schedule,
        purpose=row["purpose"], manager=row["manager_name"] or "",
        printed_at=printed_at or dt.datetime.now().replace(microsecond=0),
        member=member, kube_name=kube_name, kube_code=kube_code, kube_address=kube_address,
        kube_ketua=ketua, shares=shares,
        coordinator=row["coordinator_name"] if member is not None else "",
        coordinator_approved_on=dt.date.fromisoformat(approved) if approved else None,
        goods=row["goods"], supplier=row["supplier"], cost_price=row["cost_price"],
        method=row["method"], rate_bp=row["rate_bp"], nisbah_pct=row["nisbah_pct"],
        admin_fee=row["admin_fee"], tazir_amount=row["tazir_amount"], collateral=collateral,
        disbursed_to=row["disbursed_to"] or "", savings_account=row["savings_number"] or "",
        rescheduled=row["schedule_version"] > 1, logo=get_logo(session.book),
    )


def akad_pdf(session: Session, financing: object, *,
             printed_at: dt.datetime | None = None) -> bytes:
    """The akad summary as an A4 PDF."""
    return render_akad(akad_data(session, financing, printed_at=printed_at))
