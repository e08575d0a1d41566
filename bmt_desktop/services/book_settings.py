"""Settings of the office kept in the book (they travel with it): member number pattern, …"""

from __future__ import annotations

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.financing_rules import ALLOCATION_ORDERS
from bmt_desktop.domain.journal_rules import check_text
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append
from bmt_desktop.store.book import Book
from bmt_desktop.store.models import Setting

DEFAULTS = {
    "member_number_pattern": "AG-{seq:06d}",
    "receipt_hijri": "ya",  # print the Hijri date beside the date on receipts: ya / tidak
    # Kube size: 5–20 households (Permensos 2/2019); outside it a warning, or a refusal when
    # the hard limit is on.
    "kube_min_members": "5",
    "kube_max_members": "20",
    "kube_hard_limit": "tidak",
    # PHBK eligibility: years active and the lowest stage.
    "phbk_min_years": "4",
    "phbk_min_stage": "berkembang",
    # Training: the least attendance (per cent of a session's days) that completes it, copied
    # into each new session; the topic codes a Kube's members complete before stimulant aid.
    "training_completion_pct": "80",
    "aid_required_training": "USAHA",
    # Financing. Graduation from group to individual financing: group financing cycles the
    # member repaid and the lowest stage of the Kube (the coordinator's approval is recorded
    # on the application).
    "individual_min_cycles": "1",
    "individual_min_stage": "berkembang",
    # How a payment is shared out: charges first or last, then margin/principal by instalment.
    "financing_allocation_order": "biaya-margin-pokok",
    # Instalment above this share of the household's monthly surplus: a warning to approvers.
    "financing_max_burden_pct": "40",
    # Collectibility: 5 classes (OJK) or 4 (Kemenkop Juknis 15/2021, no DPK); the upper day
    # bounds of DPK, KL and D; PPAP percent per class (L, DPK, KL, D, M).
    "collectibility_classes": "5",
    "collectibility_days": "90,120,180",
    "ppap_pct": "0.5,3,10,50,100",
    # SHU distribution by the AD/ART, percent of the year's SHU (sums to 100), and the
    # members' share split into jasa usaha (JUA, the rest is jasa modal, JMA).
    "shu_reserve_pct": "40",
    "shu_members_pct": "40",
    "shu_board_pct": "10",
    "shu_education_pct": "5",
    "shu_social_pct": "5",
    "shu_jua_pct": "60",
}


# Settings that name required training (comma-separated topic codes; empty: none).
TRAINING_REQUIREMENT_KEYS: tuple[str, ...] = ("aid_required_training",)


def get_setting(book: Book, key: str) -> str:
    book.use()
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row is not None else DEFAULTS[key]


def _check(key: str, value: str) -> str:
    if key not in DEFAULTS:
        raise ValidationError(_("Unknown setting {key}.").format(key=key))
    value = check_text(value, key, required=key not in TRAINING_REQUIREMENT_KEYS, limit=100)
    if key in TRAINING_REQUIREMENT_KEYS:
        from bmt_desktop.services.training import parse_requirement  # it reads settings too

        return ",".join(parse_requirement(value))
    if key == "training_completion_pct" and (
            not value.isdigit() or not 0 < int(value) <= 100):
        raise ValidationError(_("{key} is a whole number from 1 to 100.").format(key=key))
    if key in ("kube_min_members", "kube_max_members", "phbk_min_years") and (
            not value.isdigit() or not 0 < int(value) <= 1000):
        raise ValidationError(_("{key} is a whole number from 1 to 1000.").format(key=key))
    if key in ("individual_min_cycles", "financing_max_burden_pct", "shu_reserve_pct",
               "shu_members_pct", "shu_board_pct", "shu_education_pct", "shu_social_pct",
               "shu_jua_pct") and (
            not value.isdigit() or not 0 <= int(value) <= 100):
        raise ValidationError(_("{key} is a whole number from 0 to 100.").format(key=key))
    if key == "individual_min_stage" and value not in ("tumbuh", "berkembang", "maju"):
        raise ValidationError(_("Choose tumbuh, berkembang or maju."))
    if key == "financing_allocation_order" and value not in ALLOCATION_ORDERS:
        raise ValidationError(_("Choose one of: {orders}.").format(
            orders=", ".join(sorted(ALLOCATION_ORDERS))))
    if key == "collectibility_classes" and value not in ("4", "5"):
        raise ValidationError(_("Collectibility has four or five classes."))
    if key in ("collectibility_days", "ppap_pct"):
        _check_collectibility(key, value)
    if key == "phbk_min_stage" and value not in ("tumbuh", "berkembang", "maju"):
        raise ValidationError(_("Choose tumbuh, berkembang or maju."))
    if key in ("receipt_hijri", "kube_hard_limit") and value not in ("ya", "tidak"):
        raise ValidationError(_("Choose ya or tidak."))
    if key == "member_number_pattern":
        try:
            sample = value.format(seq=1)
        except (KeyError, IndexError, ValueError):
            sample = ""
        if "{seq" not in value or not sample:
            raise ValidationError(
                _("The member number pattern needs {{seq}}, e.g. AG-{{seq:06d}}.").format())
    return value


def _check_collectibility(key: str, value: str) -> None:
    parts = [p.strip() for p in value.split(",")]
    if key == "collectibility_days":
        if len(parts) != 3 or not all(p.isdigit() for p in parts) \
                or not 0 < int(parts[0]) < int(parts[1]) < int(parts[2]) <= 10_000:
            raise ValidationError(_("Give three rising day bounds for DPK, KL and D, e.g. "
                                    "90,120,180."))
        return
    try:
        rates = [float(p) for p in parts]
    except ValueError:
        rates = []
    if len(rates) != 5 or not all(0 <= r <= 100 for r in rates) \
            or any(len(p.partition(".")[2]) > 2 for p in parts):
        raise ValidationError(_("Give five reserve percentages (L, DPK, KL, D, M), e.g. "
                                "0.5,3,10,50,100."))


def set_setting(session: Session, key: str, value: str) -> None:
    session.require(Action.SETTINGS_EDIT)
    value = _check(key, value)
    with session.book.transaction():
        before = get_setting(session.book, key)
        Setting.insert(key=key, value=value).on_conflict_replace().execute()
        append(session.book.raw(), session.actor, "setting.update", "setting", key,
               before={key: before}, after={key: value})
