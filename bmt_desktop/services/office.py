"""The office profile: name, legal registration, address, logo, fiscal year start."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import check_text
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append
from bmt_desktop.store.book import Book
from bmt_desktop.store.models import Office

MAX_LOGO_BYTES = 512 * 1024
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


@dataclass(frozen=True)
class OfficeProfile:
    name: str
    registration_number: str
    address: str
    fiscal_year_start_month: int
    is_demo: bool
    has_logo: bool


def get_profile(book: Book) -> OfficeProfile:
    book.use()
    office = Office.get_by_id(1)
    return OfficeProfile(
        office.name, office.registration_number, office.address,
        office.fiscal_year_start_month, bool(office.is_demo), office.logo is not None,
    )


def get_logo(book: Book) -> bytes | None:
    book.use()
    logo = Office.get_by_id(1).logo
    return bytes(logo) if logo is not None else None


def update_profile(
    session: Session,
    *,
    name: str | None = None,
    registration_number: str | None = None,
    address: str | None = None,
    fiscal_year_start_month: int | None = None,
    logo: bytes | None = None,
) -> OfficeProfile:
    """Change the given fields; the audit log keeps before and after."""
    session.require(Action.OFFICE_EDIT)
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = check_text(name, _("Office name"), required=True, limit=200)
    if registration_number is not None:
        changes["registration_number"] = check_text(
            registration_number, _("Registration number"), limit=100
        )
    if address is not None:
        changes["address"] = check_text(address, _("Address"), limit=500)
    if fiscal_year_start_month is not None:
        if not isinstance(fiscal_year_start_month, int) or not 1 <= fiscal_year_start_month <= 12:
            raise ValidationError(_("The fiscal year starts in a month from 1 to 12."))
        changes["fiscal_year_start_month"] = fiscal_year_start_month
    if logo is not None:
        if len(logo) > MAX_LOGO_BYTES or not logo.startswith(_IMAGE_MAGIC):
            raise ValidationError(_("The logo must be a PNG or JPEG image of at most 512 KB."))
        changes["logo"] = logo
    if not changes:
        return get_profile(session.book)
    with session.book.transaction():
        office = Office.get_by_id(1)
        before = {k: getattr(office, k) for k in changes}
        Office.update(**changes).where(Office.id == 1).execute()
        shown = {k: v for k, v in changes.items() if k != "logo"}
        if "logo" in changes:
            shown["logo_sha256"] = hashlib.sha256(logo or b"").hexdigest()
            before["logo"] = "…" if before["logo"] else None
        append(session.book.raw(), session.actor, "office.update", "office", 1,
               before=before, after=shown)
    return get_profile(session.book)
