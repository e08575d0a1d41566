"""The one balance check every journal passes before it is written."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bmt_desktop.domain.errors import UnbalancedJournalError, ValidationError
from bmt_desktop.domain.money import MAX_AMOUNT, format_rupiah
from bmt_desktop.i18n import _

MAX_LINES = 500
MAX_TEXT = 500


@dataclass(frozen=True, slots=True)
class LineSpec:
    """One journal line: exactly one of ``debit``/``credit`` is a positive integer."""

    account_code: str
    debit: int = 0
    credit: int = 0
    memo: str = ""
    member_id: int | None = None
    savings_account_id: int | None = None
    kube_id: int | None = None
    financing_id: int | None = None


@dataclass(frozen=True, slots=True)
class AccountInfo:
    id: int
    code: str
    name: str
    type: str
    fund: str
    is_header: bool
    active: bool


def check_text(value: str, field: str, *, required: bool = False, limit: int = MAX_TEXT,
               single_line: bool = False) -> str:
    """Trimmed text within ``limit``; no control characters (nor line breaks when single-line)."""
    if not isinstance(value, str):
        raise ValidationError(_("{field} must be text.").format(field=field))
    text = value.strip()
    if required and not text:
        raise ValidationError(_("{field} must be filled in.").format(field=field))
    if len(text) > limit:
        raise ValidationError(
            _("{field} is too long (at most {limit} characters).").format(field=field, limit=limit)
        )
    allowed = "" if single_line else "\t\n"
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
        raise ValidationError(_("{field} contains control characters.").format(field=field))
    return text


def _check_amount(value: object, line_no: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            _("Line {line}: the amount must be a whole number of rupiah.").format(line=line_no)
        )
    if value < 0:
        raise ValidationError(_("Line {line}: the amount is negative.").format(line=line_no))
    if value > MAX_AMOUNT:
        raise ValidationError(_("Line {line}: the amount is too large.").format(line=line_no))
    return value


def check_journal(lines: Sequence[LineSpec], accounts: Mapping[str, AccountInfo]) -> int:
    """Refuse a journal that does not balance or misuses accounts; return its total.

    Rules: at least one debit and one credit line; each line exactly one positive amount;
    Σ debit = Σ credit; every account exists, is active and is not a header; Maal (social
    fund) accounts never meet income or expense accounts in one journal, because Maal money
    never counts as the BMT's income (PSAK 101).
    """
    if not lines:
        raise UnbalancedJournalError(_("A journal needs at least two lines."))
    if len(lines) > MAX_LINES:
        raise ValidationError(_("A journal has too many lines."))
    total_debit = total_credit = 0
    funds: set[str] = set()
    types: set[str] = set()
    for number, line in enumerate(lines, start=1):
        debit = _check_amount(line.debit, number)
        credit = _check_amount(line.credit, number)
        if (debit == 0) == (credit == 0):
            raise ValidationError(
                _("Line {line}: fill in either a debit or a credit amount, not both.").format(
                    line=number
                )
            )
        account = accounts.get(line.account_code)
        if account is None:
            raise ValidationError(
                _("Line {line}: account {code} does not exist.").format(
                    line=number, code=line.account_code
                )
            )
        if account.is_header:
            raise ValidationError(
                _("Line {line}: account {code} is a heading and takes no postings.").format(
                    line=number, code=account.code
                )
            )
        if not account.active:
            raise ValidationError(
                _("Line {line}: account {code} is no longer active.").format(
                    line=number, code=account.code
                )
            )
        check_text(line.memo, _("Line memo"))
        total_debit += debit
        total_credit += credit
        funds.add(account.fund)
        types.add(account.type)
    if total_debit == 0 or total_credit == 0:
        raise UnbalancedJournalError(_("A journal needs at least one debit and one credit line."))
    if total_debit != total_credit:
        raise UnbalancedJournalError(
            _("The journal does not balance: debit {debit}, credit {credit}.").format(
                debit=format_rupiah(total_debit), credit=format_rupiah(total_credit)
            )
        )
    if "maal" in funds and types & {"income", "expense"}:
        raise ValidationError(
            _("Maal (social fund) money may not be booked as income or expense of the BMT.")
        )
    return total_debit
