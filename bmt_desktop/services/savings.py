"""Savings: products, accounts, and the teller's deposits, withdrawals, transfers and dues.

Each teller posting passes through the teller's open drawer, is one journal with the
member's savings account on its line, and happens once per button press (``request_id``).
The passbook code of a line is kept in its memo (SETOR, TARIK, PB, …).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.domain.money import MAX_AMOUNT, format_rupiah, parse_amount
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services.drawer import TELLER_CASH, existing_posting, post_cash
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append
from bmt_desktop.store.ledger import JournalSpec, LedgerWriter, PostedJournal
from bmt_desktop.store.models import Member, SavingsAccount, SavingsProduct

# Passbook codes, printed in the book's Sandi column.
SETOR, TARIK, PINDAH, KOREKSI, BAGI_HASIL, ADMIN = "SETOR", "TARIK", "PB", "KOR", "BH", "ADM"
ONE_PER_MEMBER = ("pokok", "wajib", "sukarela", "tabungan")
WITHDRAWABLE = ("sukarela", "tabungan", "deposito")


@dataclass(frozen=True)
class ProductRow:
    code: str
    name: str
    kind: str
    account_code: str
    fixed_amount: int
    min_balance: int
    admin_fee: int
    dormant_days: int
    nisbah_pct: int
    term_months: int | None
    early_penalty_pct: int
    active: bool


@dataclass(frozen=True)
class AccountRow:
    id: int
    number: str
    member_id: int
    member_number: str
    member_name: str
    product_code: str
    product_name: str
    kind: str
    balance: int
    min_balance: int
    status: str
    opened_on: str
    nisbah_pct: int
    maturity_date: str | None

    @property
    def available(self) -> int:
        """What may be withdrawn now (pokok and wajib only on exit)."""
        if self.kind not in WITHDRAWABLE or self.status != "aktif":
            return 0
        return max(0, self.balance - self.min_balance)


def _product_row(p: SavingsProduct) -> ProductRow:
    return ProductRow(p.code, p.name, p.kind, p.account.code, p.fixed_amount, p.min_balance,
                      p.admin_fee, p.dormant_days, p.nisbah_pct, p.term_months,
                      p.early_penalty_pct, bool(p.active))


def list_products(session: Session) -> list[ProductRow]:
    session.require(Action.LEDGER_VIEW, writes=False)
    return [_product_row(p) for p in SavingsProduct.select().order_by(SavingsProduct.id)]


_EDITABLE = {"name", "fixed_amount", "min_balance", "admin_fee", "dormant_days", "nisbah_pct",
             "term_months", "early_penalty_pct", "active"}


def update_product(session: Session, code: str, **changes: object) -> ProductRow:
    """The manager sets a product's terms; nisbah already agreed on open accounts stays."""
    session.require(Action.SAVINGS_PRODUCT)
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise ValidationError(_("Unknown product fields: {names}.").format(
            names=", ".join(sorted(unknown))))
    for key, value in changes.items():
        if key == "name":
            if not isinstance(value, str) or not value.strip() or len(value) > 100:
                raise ValidationError(_("The product name must be filled in."))
        elif key == "active":
            if not isinstance(value, bool):
                raise ValidationError(_("Active is yes or no."))
        elif key == "term_months" and value is None:
            continue
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0 \
                or value > MAX_AMOUNT or (key in ("nisbah_pct", "early_penalty_pct")
                                          and value > 100):
            raise ValidationError(_("{field} has an invalid value.").format(field=key))
    with session.book.transaction():
        product = SavingsProduct.get_or_none(SavingsProduct.code == code)
        if product is None:
            raise ValidationError(_("Savings product {code} does not exist.").format(code=code))
        before = {k: getattr(product, k) for k in changes}
        SavingsProduct.update(**changes).where(SavingsProduct.id == product.id).execute()
        append(session.book.raw(), session.actor, "savings_product.update", "savings_product",
               code, before=before, after=changes)
        return _product_row(SavingsProduct.get_by_id(product.id))


def _account_row(a: SavingsAccount) -> AccountRow:
    p, m = a.product, a.member
    return AccountRow(a.id, a.number, m.id, m.number, m.name, p.code, p.name, p.kind,
                      int(a.balance), int(p.min_balance), a.status, a.opened_on, a.nisbah_pct,
                      a.maturity_date)


def _accounts():
    return (SavingsAccount.select(SavingsAccount, SavingsProduct, Member)
            .join(SavingsProduct).switch(SavingsAccount).join(Member))


def find_account(session: Session, number: str) -> AccountRow:
    session.require(Action.LEDGER_VIEW, writes=False)
    account = _accounts().where(SavingsAccount.number == (number or "").strip().upper()).first()
    if account is None:
        raise ValidationError(_("Savings account {number} does not exist.").format(
            number=(number or "")[:30]))
    return _account_row(account)


def member_accounts(session: Session, member_id: int) -> list[AccountRow]:
    session.require(Action.LEDGER_VIEW, writes=False)
    return [_account_row(a) for a in
            _accounts().where(SavingsAccount.member == member_id).order_by(SavingsAccount.id)]


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _active_member(member_id: int) -> Member:
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        raise ValidationError(_("Member {id} does not exist.").format(id=member_id))
    if member.status == "keluar":
        raise ValidationError(_("{name} has left the BMT.").format(name=member.name))
    return member


def open_account(session: Session, member_id: int, product_code: str) -> AccountRow:
    """Open a savings account; one pokok, wajib, sukarela and tabungan per member."""
    session.require(Action.SAVINGS_OPEN)
    with session.book.transaction():
        member = _active_member(member_id)
        product = SavingsProduct.get_or_none(SavingsProduct.code == product_code)
        if product is None or not product.active:
            raise ValidationError(_("Savings product {code} is not available.").format(
                code=product_code))
        if product.kind in ONE_PER_MEMBER and SavingsAccount.select().where(
                (SavingsAccount.member == member.id) & (SavingsAccount.product == product.id)
                & (SavingsAccount.status == "aktif")).exists():
            raise ValidationError(_("{name} already has a {product} account.").format(
                name=member.name, product=product.name))
        account = SavingsAccount.create(
            number=_next_account_number(product), member=member.id, product=product.id,
            opened_on=session.today.isoformat(), nisbah_pct=product.nisbah_pct,
            maturity_date=_add_months(session.today, product.term_months).isoformat()
            if product.term_months else None,
        )
        append(session.book.raw(), session.actor, "savings.open", "savings_account", account.id,
               after={"number": account.number, "member": member.number,
                      "product": product.code, "nisbah_pct": product.nisbah_pct})
        return _account_row(_accounts().where(SavingsAccount.id == account.id).get())


def _next_account_number(product: SavingsProduct) -> str:
    (count,) = SavingsAccount._meta.database.connection().execute(
        "SELECT count(*) FROM savings_account WHERE product_id = ?", (product.id,)).fetchone()
    seq = int(count) + 1
    while SavingsAccount.select().where(
            SavingsAccount.number == f"{product.code}-{seq:06d}").exists():
        seq += 1
    return f"{product.code}-{seq:06d}"


def _account_for_posting(number: str) -> SavingsAccount:
    account = _accounts().where(SavingsAccount.number == (number or "").strip().upper()).first()
    if account is None:
        raise ValidationError(_("Savings account {number} does not exist.").format(
            number=(number or "")[:30]))
    if account.status != "aktif":
        raise ValidationError(_("Savings account {number} is closed.").format(
            number=account.number))
    if account.member.status == "keluar":
        raise ValidationError(_("{name} has left the BMT.").format(name=account.member.name))
    return account


def _account_line(account: SavingsAccount, *, debit: int = 0, credit: int = 0,
                  code: str) -> LineSpec:
    return LineSpec(account.product.account.code, debit=debit, credit=credit, memo=code,
                    member_id=account.member_id, savings_account_id=account.id)


def check_whole_months(value: int, monthly: int) -> None:
    """Simpanan wajib is paid in whole months (one or several at once)."""
    if monthly and value % monthly:
        raise ValidationError(_("Simpanan wajib is {amount} a month: pay whole months.")
                              .format(amount=format_rupiah(monthly)))


def _check_matured(session: Session, account: SavingsAccount) -> None:
    if account.product.kind == "deposito" and account.maturity_date \
            and session.today.isoformat() < account.maturity_date:
        raise ValidationError(_("The deposito matures on {date}; an early withdrawal "
                                "needs the manager.").format(
            date=format_date_id(dt.date.fromisoformat(account.maturity_date))))


def deposit(session: Session, account_number: str, amount: object, *,
            request_id: str | None = None) -> PostedJournal:
    """Cash into a member's savings account (pokok and wajib through their own buttons)."""
    session.require(Action.CASH_TRANSACTION)
    value = parse_amount(amount)
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return done
        account = _account_for_posting(account_number)
        kind = account.product.kind
        if kind == "pokok":
            return _pay_pokok(session, account, value, request_id)
        if kind == "deposito" and account.balance > 0:
            raise ValidationError(_("A deposito takes one placement; open a new one."))
        if kind == "wajib":
            check_whole_months(value, int(account.product.fixed_amount))
        return post_cash(
            session,
            _("Deposit to {number} ({name})").format(number=account.number,
                                                     name=account.member.name),
            [LineSpec(TELLER_CASH, debit=value), _account_line(account, credit=value, code=SETOR)],
            request_id=request_id,
        )


def _pay_pokok(session: Session, account: SavingsAccount, value: int,
               request_id: str | None) -> PostedJournal:
    fixed = int(account.product.fixed_amount)
    if account.balance > 0:
        raise ValidationError(_("{name} has already paid the simpanan pokok.").format(
            name=account.member.name))
    if fixed and value != fixed:
        raise ValidationError(_("The simpanan pokok is {amount}.").format(
            amount=format_rupiah(fixed)))
    return post_cash(
        session, _("Simpanan pokok of {name}").format(name=account.member.name),
        [LineSpec(TELLER_CASH, debit=value), _account_line(account, credit=value, code=SETOR)],
        request_id=request_id,
    )


def withdraw(session: Session, account_number: str, amount: object, *,
             request_id: str | None = None) -> PostedJournal:
    """Cash out of a sukarela, tabungan or matured deposito; never below the minimum."""
    session.require(Action.CASH_TRANSACTION)
    value = parse_amount(amount)
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return done
        account = _account_for_posting(account_number)
        product = account.product
        if product.kind not in WITHDRAWABLE:
            raise ValidationError(
                _("{product} is returned only when the member leaves.").format(
                    product=product.name))
        _check_matured(session, account)
        available = max(0, int(account.balance) - int(product.min_balance))
        if value > available:
            raise ValidationError(
                _("Only {available} can be withdrawn (balance {balance}, minimum {minimum}).")
                .format(available=format_rupiah(available),
                        balance=format_rupiah(int(account.balance)),
                        minimum=format_rupiah(int(product.min_balance))))
        return post_cash(
            session,
            _("Withdrawal from {number} ({name})").format(number=account.number,
                                                          name=account.member.name),
            [_account_line(account, debit=value, code=TARIK),
             LineSpec(TELLER_CASH, credit=value)],
            request_id=request_id,
        )


def transfer(session: Session, from_number: str, to_number: str, amount: object, *,
             request_id: str | None = None) -> PostedJournal:
    """Move money between two accounts of the same member (no cash)."""
    session.require(Action.CASH_TRANSACTION)
    value = parse_amount(amount)
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return done
        source = _account_for_posting(from_number)
        target = _account_for_posting(to_number)
        if source.id == target.id:
            raise ValidationError(_("Choose two different accounts."))
        if source.member_id != target.member_id:
            raise ValidationError(_("A transfer is only between a member's own accounts."))
        if source.product.kind not in WITHDRAWABLE or target.product.kind in ("pokok",
                                                                               "deposito"):
            raise ValidationError(_("This transfer is not allowed for these products."))
        if target.product.kind == "wajib":
            check_whole_months(value, int(target.product.fixed_amount))
        _check_matured(session, source)
        available = max(0, int(source.balance) - int(source.product.min_balance))
        if value > available:
            raise ValidationError(_("Only {available} can be moved from {number}.").format(
                available=format_rupiah(available), number=source.number))
        writer = LedgerWriter(session.book.raw())
        posted = writer.post(JournalSpec(
            session.today,
            _("Transfer {source} → {target} ({name})").format(
                source=source.number, target=target.number, name=source.member.name),
            [_account_line(source, debit=value, code=PINDAH),
             _account_line(target, credit=value, code=PINDAH)],
            "PB", request_id=request_id), session.actor)
        writer.flush()
        return posted


@dataclass(frozen=True)
class WajibStatus:
    monthly: int
    months_due: int
    months_paid: int
    arrears_months: int
    arrears_amount: int


def wajib_status(session: Session, member_id: int) -> WajibStatus:
    """Simpanan wajib: months due since joining (the join month counts) against months paid."""
    session.require(Action.LEDGER_VIEW, writes=False)
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        raise ValidationError(_("Member {id} does not exist.").format(id=member_id))
    product = SavingsProduct.get(SavingsProduct.kind == "wajib")
    monthly = int(product.fixed_amount)
    if member.status == "keluar":
        return WajibStatus(monthly, 0, 0, 0, 0)  # settled at the exit: nothing is owed
    joined = dt.date.fromisoformat(member.join_date)
    end = dt.date.fromisoformat(member.exit_date) if member.exit_date else session.today
    due = max(0, (end.year - joined.year) * 12 + end.month - joined.month + 1)
    account = SavingsAccount.get_or_none((SavingsAccount.member == member_id)
                                         & (SavingsAccount.product == product.id))
    # Wajib is never withdrawn before exit, so the balance is what was paid.
    paid_amount = int(account.balance) if account is not None else 0
    paid = paid_amount // monthly if monthly else 0
    arrears = max(0, due - paid)
    return WajibStatus(monthly, due, paid, arrears, arrears * monthly)


def pay_wajib(session: Session, member_id: int, months: int, *,
              request_id: str | None = None) -> PostedJournal:
    """Pay ``months`` of simpanan wajib at the fixed monthly amount."""
    session.require(Action.CASH_TRANSACTION)
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 120:
        raise ValidationError(_("Pay from 1 to 120 months of simpanan wajib."))
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return done
        product = SavingsProduct.get(SavingsProduct.kind == "wajib")
        account = SavingsAccount.get_or_none((SavingsAccount.member == member_id)
                                             & (SavingsAccount.product == product.id))
        if account is None:
            raise ValidationError(_("The member has no simpanan wajib account."))
        account = _account_for_posting(account.number)
        value = int(product.fixed_amount) * months
        return post_cash(
            session, _("Simpanan wajib of {name}, {months} months").format(
                name=account.member.name, months=months),
            [LineSpec(TELLER_CASH, debit=value), _account_line(account, credit=value, code=SETOR)],
            request_id=request_id,
        )
