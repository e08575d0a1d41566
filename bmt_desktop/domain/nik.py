"""NIK (Nomor Induk Kependudukan): 16 digits; the birth date and sex it encodes (domain §8)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.i18n import _


@dataclass(frozen=True)
class NikInfo:
    nik: str
    birth_date: dt.date
    sex: str  # "L" or "P": 40 is added to the day for women
    region: str  # PPRRSS


def parse_nik(value: str, *, today: dt.date | None = None) -> NikInfo:
    """Validate a NIK with python-stdnum and read what it encodes; refuse with a clear message."""
    text = (value or "").strip().replace(" ", "").replace(".", "")
    invalid = ValidationError(
        _("NIK {nik} is not valid: 16 digits with a real birth date are expected.").format(
            nik=text[:20] or "–"))
    try:
        compact = stdnum_nik.validate(text)
    except StdnumError:
        raise invalid from None
    # Read the date ourselves: stdnum takes the day modulo 40 (so 81 passes as 1) and tries
    # the 1900s first (so a child born in 2005 would be 1905).
    day, month, yy = int(compact[6:8]), int(compact[8:10]), int(compact[10:12])
    sex = "P" if day > 40 else "L"
    day -= 40 if day > 40 else 0
    today = today or dt.date.today()
    birth = None
    for year in (2000 + yy, 1900 + yy):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            raise invalid from None
        if candidate <= today:
            birth = candidate
            break
    if birth is None or not 1 <= day <= 31:
        raise invalid
    return NikInfo(compact, birth, sex, compact[:6])


def check_nik_matches(info: NikInfo, birth_date: dt.date | None, sex: str | None) -> None:
    """The typed birth date and sex must agree with the NIK."""
    if birth_date is not None and birth_date != info.birth_date:
        raise ValidationError(
            _("The birth date {typed} does not match the NIK, which says {nik_date}.").format(
                typed=format_date_id(birth_date), nik_date=format_date_id(info.birth_date))
        )
    if sex and sex != info.sex:
        raise ValidationError(
            _("The sex does not match the NIK, which says {sex}.").format(
                sex=_("female") if info.sex == "P" else _("male"))
        )
