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
    try:
        compact = stdnum_nik.validate(text)
        birth = stdnum_nik.get_birth_date(compact)
    except StdnumError:
        raise ValidationError(
            _("NIK {nik} is not valid: 16 digits with a real birth date are expected.").format(
                nik=text[:20] or "–")
        ) from None
    today = today or dt.date.today()
    if birth > today:  # stdnum guesses the century; a future date belongs to the last one
        birth = birth.replace(year=birth.year - 100)
    sex = "P" if int(compact[6:8]) > 40 else "L"
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
