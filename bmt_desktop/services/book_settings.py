"""Settings of the office kept in the book (they travel with it): member number pattern, …"""

from __future__ import annotations

from bmt_desktop.domain.errors import ValidationError
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
}


def get_setting(book: Book, key: str) -> str:
    book.use()
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row is not None else DEFAULTS[key]


def _check(key: str, value: str) -> str:
    if key not in DEFAULTS:
        raise ValidationError(_("Unknown setting {key}.").format(key=key))
    value = check_text(value, key, required=True, limit=100)
    if key in ("kube_min_members", "kube_max_members", "phbk_min_years") and (
            not value.isdigit() or not 0 < int(value) <= 1000):
        raise ValidationError(_("{key} is a whole number from 1 to 1000.").format(key=key))
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


def set_setting(session: Session, key: str, value: str) -> None:
    session.require(Action.SETTINGS_EDIT)
    value = _check(key, value)
    with session.book.transaction():
        before = get_setting(session.book, key)
        Setting.insert(key=key, value=value).on_conflict_replace().execute()
        append(session.book.raw(), session.actor, "setting.update", "setting", key,
               before={key: before}, after={key: value})
