"""Financing from application to disbursement: products, applications for a Kube (joint
liability, every member's share) or for one member (graduation criteria, the coordinator's
approval), required training, maker–checker decisions, and the akad's disbursement through
the drawer or into savings with its schedule.

Payments, charges, rescheduling and write-off are in ``financing_payments``; reading a
financing's state in ``financing_state``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.domain.financing_schedule import (
    FREQUENCIES,
    build_schedule,
    first_due_after,
    flat_margin,
    frequency_label,
    term_months,
)
from bmt_desktop.domain.journal_rules import LineSpec, check_text
from bmt_desktop.domain.kube_stage import STAGES
from bmt_desktop.domain.money import MAX_AMOUNT, format_rupiah
from bmt_desktop.domain.permissions import Action, is_allowed
from bmt_desktop.i18n import _
from bmt_desktop.services import book_settings
from bmt_desktop.services.drawer import TELLER_CASH, existing_posting, post_cash
from bmt_desktop.services.financing_state import (
    ADMIN,
    ADMIN_INCOME,
    DEFERRED_MARGIN,
    DISBURSE,
    PROFIT_SHARING,
    RECEIVABLE,
    last_financing_journal,
)
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append
from bmt_desktop.store.ledger import JournalSpec, LedgerWriter, PostedJournal, closed_through

AKADS = ("murabahah", "mudharabah", "musyarakah", "ijarah", "qardh")


def _conn(session: Session):  # noqa: ANN202 - sqlite3.Connection
    return session.book.raw()


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# -------------------------------------------------------------------------------------- products
@dataclass(frozen=True)
class FinancingProduct:
    id: int
    code: str
    name: str
    akad: str
    method: str
    min_rate_bp: int
    max_rate_bp: int
    min_nisbah_pct: int
    max_nisbah_pct: int
    min_tenor_months: int
    max_tenor_months: int
    min_amount: int
    max_amount: int
    frequencies: tuple[str, ...]
    rounding_unit: int
    admin_fee: int
    tazir_amount: int
    collateral_required: bool
    required_training: tuple[str, ...]
    for_kube: bool
    for_individual: bool
    active: bool


_PRODUCT_COLUMNS = ("id", "code", "name", "akad", "method", "min_rate_bp", "max_rate_bp",
                    "min_nisbah_pct", "max_nisbah_pct", "min_tenor_months", "max_tenor_months",
                    "min_amount", "max_amount", "frequencies", "rounding_unit", "admin_fee",
                    "tazir_amount", "collateral_required", "required_training", "for_kube",
                    "for_individual", "active")


def _product(row: tuple) -> FinancingProduct:
    values = dict(zip(_PRODUCT_COLUMNS, row, strict=True))
    values["frequencies"] = tuple(f for f in values["frequencies"].split(",") if f)
    values["required_training"] = tuple(
        t.strip() for t in values["required_training"].split(",") if t.strip())
    for key in ("collateral_required", "for_kube", "for_individual", "active"):
        values[key] = bool(values[key])
    return FinancingProduct(**values)


def list_products(session: Session, *, active_only: bool = False) -> list[FinancingProduct]:
    session.require(Action.LEDGER_VIEW, writes=False)
    sql = f"SELECT {', '.join(_PRODUCT_COLUMNS)} FROM financing_product"
    if active_only:
        sql += " WHERE active = 1"
    return [_product(r) for r in _conn(session).execute(sql + " ORDER BY id")]


def get_product(session: Session, code: str) -> FinancingProduct:
    row = _conn(session).execute(
        f"SELECT {', '.join(_PRODUCT_COLUMNS)} FROM financing_product WHERE code = ?",
        (code,)).fetchone()
    if row is None:
        raise ValidationError(_("Financing product {code} does not exist.").format(
            code=str(code)[:20]))
    return _product(row)


_PRODUCT_EDITABLE = {"name", "method", "min_rate_bp", "max_rate_bp", "min_nisbah_pct",
                     "max_nisbah_pct", "min_tenor_months", "max_tenor_months", "min_amount",
                     "max_amount", "frequencies", "rounding_unit", "admin_fee", "tazir_amount",
                     "collateral_required", "required_training", "for_kube", "for_individual",
                     "active"}


def update_product(session: Session, code: str, **changes: object) -> FinancingProduct:
    """The manager sets a product's terms; financing already agreed keeps its own akad terms."""
    session.require(Action.FINANCING_PRODUCT)
    unknown = set(changes) - _PRODUCT_EDITABLE
    if unknown:
        raise ValidationError(_("Unknown product fields: {names}.").format(
            names=", ".join(sorted(unknown))))
    stored: dict[str, object] = {}
    for key, value in changes.items():
        if key == "name":
            stored[key] = check_text(value, _("Product name"), required=True, limit=100,
                                     single_line=True)
        elif key in ("collateral_required", "for_kube", "for_individual", "active"):
            if not isinstance(value, bool):
                raise ValidationError(_("{field} is yes or no.").format(field=key))
            stored[key] = int(value)
        elif key == "frequencies":
            values = tuple(value) if isinstance(value, (list, tuple)) else ()
            if not values or any(v not in FREQUENCIES for v in values):
                raise ValidationError(_("Choose at least one frequency: monthly, fortnightly, "
                                        "weekly."))
            stored[key] = ",".join(values)
        elif key == "required_training":
            from bmt_desktop.services import training

            text = ",".join(value) if isinstance(value, (list, tuple)) else str(value)
            stored[key] = ",".join(training.parse_requirement(text))
        elif key == "method":
            if value not in ("flat", "anuitas"):
                raise ValidationError(_("The margin method is flat or anuitas."))
            stored[key] = value
        elif not _whole(value) or not 0 <= value <= MAX_AMOUNT:  # type: ignore[operator]
            raise ValidationError(_("{field} has an invalid value.").format(field=key))
        else:
            stored[key] = value
    with session.book.transaction():
        product = get_product(session, code)
        merged = {**product.__dict__, **stored}
        if not (merged["min_rate_bp"] <= merged["max_rate_bp"] <= 10_000
                and merged["min_nisbah_pct"] <= merged["max_nisbah_pct"] <= 100
                and 1 <= merged["min_tenor_months"] <= merged["max_tenor_months"] <= 120
                and 1 <= merged["min_amount"] <= merged["max_amount"]
                and merged["rounding_unit"] in (1, 100, 500, 1000)):
            raise ValidationError(_("The product's ranges do not fit: each minimum must be at "
                                    "most its maximum (tenor 1–120 months, rate up to 100 %)."))
        before = {k: getattr(product, k) for k in stored}
        _conn(session).execute(
            f"UPDATE financing_product SET {', '.join(f'{k} = ?' for k in stored)} "
            "WHERE id = ?", (*stored.values(), product.id))
        append(_conn(session), session.actor, "financing_product.update", "financing_product",
               code, before={k: v if not isinstance(v, tuple) else ",".join(v)
                             for k, v in before.items()}, after=stored)
        return get_product(session, code)


# ---------------------------------------------------------------------------------- application
@dataclass
class Collateral:
    description: str
    value: int
    eligible_value: int


@dataclass
class ApplicationInput:
    product_code: str
    principal: int
    instalments: int
    frequency: str
    purpose: str
    member_id: int | None = None
    kube_id: int | None = None
    rate_bp: int = 0  # murabahah, ijarah
    nisbah_pct: int = 0  # mudharabah, musyarakah: the BMT's share of realised profit
    goods: str = ""
    supplier: str = ""
    cost_price: int = 0
    shares: Sequence[tuple[int, int]] = ()  # Kube: (member id, amount)
    collateral: Sequence[Collateral] = ()
    monthly_income: int | None = None  # None: the latest monitoring visit's figure
    monthly_expense: int = 0
    assessment: str = ""
    coordinator_name: str = ""
    coordinator_approved_on: dt.date | str | None = None
    applied_on: dt.date | None = None
    notes: list[str] = field(default_factory=list)


def _next_number(session: Session, year: int) -> str:
    conn = _conn(session)
    row = conn.execute("SELECT last_number FROM financing_sequence WHERE year = ?",
                       (year,)).fetchone()
    number = (row[0] if row else 0) + 1
    conn.execute("INSERT INTO financing_sequence (year, last_number) VALUES (?, ?) "
                 "ON CONFLICT (year) DO UPDATE SET last_number = excluded.last_number",
                 (year, number))
    return f"PMB-{year:04d}-{number:05d}"


def _date(value: object, field_name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(_("{field} is not a date.").format(field=field_name)) from None


def _check_terms(product: FinancingProduct, data: ApplicationInput) -> None:
    if not _whole(data.principal) or not 0 < data.principal <= MAX_AMOUNT:
        raise ValidationError(_("The financing amount must be a whole number of rupiah above 0."))
    if not product.min_amount <= data.principal <= product.max_amount:
        raise ValidationError(_("{product} finances {low} to {high}.").format(
            product=product.name, low=format_rupiah(product.min_amount),
            high=format_rupiah(product.max_amount)))
    if data.frequency not in product.frequencies:
        raise ValidationError(_("{product} is repaid {allowed}.").format(
            product=product.name,
            allowed=", ".join(frequency_label(f) for f in product.frequencies)))
    if not _whole(data.instalments) or not 1 <= data.instalments <= 520:
        raise ValidationError(_("The number of instalments must be from 1 to {n}.").format(n=520))
    months = term_months(data.instalments, data.frequency)
    if not product.min_tenor_months <= months <= product.max_tenor_months:
        raise ValidationError(_("{product} runs {low} to {high} months; {n} instalments "
                                "{freq} is {months} months.").format(
            product=product.name, low=product.min_tenor_months, high=product.max_tenor_months,
            n=data.instalments, freq=frequency_label(data.frequency), months=months))
    if product.akad in ("murabahah", "ijarah"):
        if not _whole(data.rate_bp) or not product.min_rate_bp <= data.rate_bp \
                <= product.max_rate_bp:
            raise ValidationError(_("The margin rate of {product} is {low} to {high} a "
                                    "year.").format(product=product.name,
                                                    low=_pct(product.min_rate_bp),
                                                    high=_pct(product.max_rate_bp)))
    elif data.rate_bp:
        raise ValidationError(_("{akad} has no margin rate.").format(akad=product.akad))
    if product.akad in PROFIT_SHARING:
        if not _whole(data.nisbah_pct) or not product.min_nisbah_pct <= data.nisbah_pct \
                <= product.max_nisbah_pct:
            raise ValidationError(_("The BMT's nisbah of {product} is {low} % to {high} "
                                    "%.").format(product=product.name,
                                                 low=product.min_nisbah_pct,
                                                 high=product.max_nisbah_pct))
    elif data.nisbah_pct:
        raise ValidationError(_("{akad} has no profit-sharing ratio.").format(akad=product.akad))


def _pct(bp: int) -> str:
    return f"{bp / 100:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " %"


def _applicant(session: Session, product: FinancingProduct, data: ApplicationInput
               ) -> list[int]:
    """The members whose training counts, after checking who may apply for what."""
    conn = _conn(session)
    if (data.member_id is None) == (data.kube_id is None):
        raise ValidationError(_("A financing is for one member or for one Kube."))
    if data.kube_id is not None:
        if not product.for_kube:
            raise ValidationError(_("{product} is not for Kube.").format(product=product.name))
        row = conn.execute("SELECT status FROM kube WHERE id = ?", (data.kube_id,)).fetchone()
        if row is None or row[0] != "aktif":
            raise ValidationError(_("Kube {id} does not exist or is dissolved.").format(
                id=data.kube_id))
        members = {m for (m,) in conn.execute(
            "SELECT member_id FROM kube_member WHERE kube_id = ? AND left_on IS NULL",
            (data.kube_id,))}
        if not data.shares:
            raise ValidationError(_("Give each member's share of the Kube's financing."))
        seen = set()
        for member_id, amount in data.shares:
            if member_id not in members:
                raise ValidationError(_("Member {id} is not a current member of this "
                                        "Kube.").format(id=member_id))
            if member_id in seen:
                raise ValidationError(_("A member's share is given twice."))
            seen.add(member_id)
            if not _whole(amount) or amount <= 0:
                raise ValidationError(_("Each share must be a whole number of rupiah above 0."))
        total = sum(a for _m, a in data.shares)
        if total != data.principal:
            raise ValidationError(_("The members' shares add up to {total}, not the financing "
                                    "of {principal}.").format(
                total=format_rupiah(total), principal=format_rupiah(data.principal)))
        return sorted(seen)
    if data.shares:
        raise ValidationError(_("Shares are given only for a Kube's financing."))
    if not product.for_individual:
        raise ValidationError(_("{product} is only for Kube.").format(product=product.name))
    row = conn.execute("SELECT status FROM member WHERE id = ?", (data.member_id,)).fetchone()
    if row is None or row[0] != "aktif":
        raise ValidationError(_("Member {id} does not exist or is no longer active.").format(
            id=data.member_id))
    _check_graduation(session, data)
    return [int(data.member_id)]  # type: ignore[arg-type]


def graduation_missing(session: Session, member_id: int) -> list[str]:
    """What a Kube member still lacks for individual financing (empty: none, or not in a
    Kube — members outside the Kube programme apply as ordinary members)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    conn = _conn(session)
    row = conn.execute("SELECT kube_id FROM kube_member WHERE member_id = ? AND left_on IS NULL",
                       (member_id,)).fetchone()
    if row is None:
        return []
    from bmt_desktop.services import kube as kube_service

    missing = []
    need_cycles = int(book_settings.get_setting(session.book, "individual_min_cycles"))
    (cycles,) = conn.execute(
        "SELECT count(*) FROM financing f JOIN financing_share s ON s.financing_id = f.id "
        "WHERE s.member_id = ? AND f.kube_id IS NOT NULL AND f.status = 'lunas'",
        (member_id,)).fetchone()
    if cycles < need_cycles:
        missing.append(_("{done} of {need} group financing cycles repaid").format(
            done=cycles, need=need_cycles))
    need_stage = book_settings.get_setting(session.book, "individual_min_stage")
    stage = kube_service.kube_stage(session, row[0]).stage
    if STAGES.index(stage) < STAGES.index(need_stage):
        missing.append(_("the Kube is at stage {stage}, {need} is needed").format(
            stage=stage, need=need_stage))
    return missing


def _check_graduation(session: Session, data: ApplicationInput) -> None:
    missing = graduation_missing(session, int(data.member_id))  # type: ignore[arg-type]
    in_kube = _conn(session).execute(
        "SELECT 1 FROM kube_member WHERE member_id = ? AND left_on IS NULL",
        (data.member_id,)).fetchone() is not None
    if in_kube:
        name = check_text(data.coordinator_name, _("Coordinator"), limit=100, single_line=True)
        if not name or data.coordinator_approved_on in (None, ""):
            missing.append(_("the Kube coordinator's recorded approval"))
    if missing:
        raise ValidationError(_("Not yet ready for individual financing: {missing}.").format(
            missing="; ".join(missing)))


def _check_training(session: Session, product: FinancingProduct, members: list[int]) -> None:
    if not product.required_training:
        return
    from bmt_desktop.services import training

    missing = training.missing_training(session, members, list(product.required_training))
    if missing:
        raise ValidationError(_("Required training not yet completed: {missing}.").format(
            missing="; ".join(missing[:10]) + (" …" if len(missing) > 10 else "")))


def apply(session: Session, data: ApplicationInput) -> int:
    """Enter and submit an application; it waits for a manager who is not the submitter."""
    session.require(Action.FINANCING_APPLY)
    product = get_product(session, data.product_code)
    if not product.active:
        raise ValidationError(_("{product} is no longer offered.").format(product=product.name))
    _check_terms(product, data)
    purpose = check_text(data.purpose, _("Financing purpose"), required=True, limit=500)
    goods = check_text(data.goods, _("Goods"), limit=300)
    supplier = check_text(data.supplier, _("Supplier"), limit=200, single_line=True)
    assessment = check_text(data.assessment, _("Assessment notes"), limit=4000)
    if product.akad == "murabahah":
        if not goods or not supplier:
            raise ValidationError(_("A murabahah names the goods and the supplier."))
        if not _whole(data.cost_price) or not data.principal <= data.cost_price <= MAX_AMOUNT:
            raise ValidationError(_("The cost price of the goods must be at least the financed "
                                    "amount (the rest is the member's down payment)."))
    elif data.cost_price:
        raise ValidationError(_("Only a murabahah has a cost price."))
    for item in data.collateral:
        check_text(item.description, _("Collateral"), required=True, limit=300)
        if not _whole(item.value) or not _whole(item.eligible_value) \
                or not 0 <= item.eligible_value <= item.value <= MAX_AMOUNT:
            raise ValidationError(_("A collateral's eligible value is between 0 and its "
                                    "value."))
    if product.collateral_required and not data.collateral:
        raise ValidationError(_("{product} needs collateral.").format(product=product.name))
    expense = data.monthly_expense
    if not _whole(expense) or not 0 <= expense <= MAX_AMOUNT:
        raise ValidationError(_("Monthly expenses must be whole rupiah, 0 or more."))
    income = data.monthly_income
    if income is not None and (not _whole(income) or not 0 <= income <= MAX_AMOUNT):
        raise ValidationError(_("Monthly income must be whole rupiah, 0 or more."))
    applied_on = data.applied_on or session.today
    if applied_on > session.today:
        raise ValidationError(_("An application cannot be dated in the future."))
    coordinator_on = None
    if data.coordinator_approved_on not in (None, ""):
        coordinator_on = _date(data.coordinator_approved_on, _("Coordinator's approval date"))
        if coordinator_on > session.today:
            raise ValidationError(_("The coordinator's approval cannot be dated in the "
                                    "future."))
    with session.book.transaction():
        members = _applicant(session, product, data)
        _check_training(session, product, members)
        if income is None:
            income = _latest_income(session, members)
        margin = flat_margin(data.principal, data.rate_bp, data.instalments, data.frequency) \
            if product.method == "flat" else 0
        conn = _conn(session)
        number = _next_number(session, applied_on.year)
        cursor = conn.execute(
            "INSERT INTO financing (number, product_id, akad, member_id, kube_id, purpose, "
            "goods, supplier, cost_price, principal, method, rate_bp, nisbah_pct, instalments, "
            "frequency, rounding_unit, margin_total, admin_fee, tazir_amount, monthly_income, "
            "monthly_expense, assessment, coordinator_name, coordinator_approved_on, "
            "applied_on, submitted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, product.id, product.akad, data.member_id, data.kube_id, purpose, goods,
             supplier, data.cost_price, data.principal, product.method, data.rate_bp,
             data.nisbah_pct, data.instalments, data.frequency, product.rounding_unit, margin,
             product.admin_fee, product.tazir_amount, income, expense, assessment,
             data.coordinator_name.strip(), coordinator_on.isoformat() if coordinator_on
             else None, applied_on.isoformat(), session.user_id))
        financing_id = int(cursor.lastrowid)
        conn.executemany("INSERT INTO financing_share (financing_id, member_id, amount) "
                         "VALUES (?, ?, ?)", [(financing_id, m, a) for m, a in data.shares])
        conn.executemany(
            "INSERT INTO financing_collateral (financing_id, description, value, "
            "eligible_value) VALUES (?, ?, ?, ?)",
            [(financing_id, c.description.strip(), c.value, c.eligible_value)
             for c in data.collateral])
        append(conn, session.actor, "financing.apply", "financing", financing_id,
               after={"number": number, "product": product.code, "principal": data.principal,
                      "member_id": data.member_id, "kube_id": data.kube_id,
                      "instalments": data.instalments, "frequency": data.frequency,
                      "rate_bp": data.rate_bp, "nisbah_pct": data.nisbah_pct})
        return financing_id


def _latest_income(session: Session, members: list[int]) -> int:
    """The household income the books know: the latest monitoring visit, else the income
    registered with the member."""
    marks = ", ".join("?" for _m in members)
    (total,) = _conn(session).execute(
        f"SELECT coalesce(sum(coalesce((SELECT v.monthly_income FROM monitoring_visit v "
        f"WHERE v.member_id = m.id ORDER BY v.visited_on DESC, v.id DESC LIMIT 1), "
        f"m.monthly_income, 0)), 0) FROM member m WHERE m.id IN ({marks})",
        members).fetchone()
    return int(total)


def _financing_row(session: Session, financing_id: int) -> dict:
    cursor = _conn(session).execute("SELECT * FROM financing WHERE id = ?", (financing_id,))
    row = cursor.fetchone()
    if row is None:
        raise ValidationError(_("Financing {id} does not exist.").format(id=financing_id))
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


def cancel(session: Session, financing_id: int, reason: str) -> None:
    """The submitter withdraws an application not yet decided; a manager may also cancel one
    that is approved but not disbursed."""
    session.require(Action.FINANCING_APPLY)
    reason = check_text(reason, _("Reason"), required=True, limit=500)
    with session.book.transaction():
        row = _financing_row(session, financing_id)
        if row["status"] not in ("pengajuan", "disetujui"):
            raise ValidationError(_("{number} is {status}; only an application not yet "
                                    "disbursed can be cancelled.").format(
                number=row["number"], status=row["status"]))
        manager = is_allowed(session.role, Action.FINANCING_APPROVE)
        if not manager and (row["status"] != "pengajuan"
                            or row["submitted_by"] != session.user_id):
            raise PermissionDenied(_("Only the one who submitted {number} may withdraw it "
                                     "while it waits; after approval only a manager may "
                                     "cancel it.").format(number=row["number"]))
        _conn(session).execute("UPDATE financing SET status = 'batal', decision_reason = ? "
                               "WHERE id = ?", (reason, financing_id))
        append(_conn(session), session.actor, "financing.cancel", "financing", financing_id,
               before={"status": row["status"]}, after={"status": "batal", "reason": reason})


def decide(session: Session, financing_id: int, approve: bool, reason: str = "") -> None:
    """Maker–checker: a manager who did not submit approves, or rejects with a reason."""
    session.require(Action.FINANCING_APPROVE)
    reason = check_text(reason, _("Reason"), required=not approve, limit=1000)
    with session.book.transaction():
        row = _financing_row(session, financing_id)
        if row["status"] != "pengajuan":
            raise ValidationError(_("{number} does not wait for a decision (it is "
                                    "{status}).").format(number=row["number"],
                                                         status=row["status"]))
        if row["submitted_by"] == session.user_id:
            raise PermissionDenied(_("You submitted {number}; another manager must decide "
                                     "it.").format(number=row["number"]))
        status = "disetujui" if approve else "ditolak"
        _conn(session).execute(
            "UPDATE financing SET status = ?, decided_by = ?, decided_on = ?, "
            "decision_reason = ? WHERE id = ?",
            (status, session.user_id, session.today.isoformat(), reason, financing_id))
        append(_conn(session), session.actor, f"financing.{'approve' if approve else 'reject'}",
               "financing", financing_id, before={"status": "pengajuan"},
               after={"status": status, "reason": reason})


# --------------------------------------------------------------------------------- disbursement
def _check_first_due(session: Session, first_due: dt.date, disbursed_on: dt.date) -> None:
    if first_due <= disbursed_on:
        raise ValidationError(_("The first instalment must fall due after the "
                                "disbursement."))
    if first_due > disbursed_on + dt.timedelta(days=366):
        raise ValidationError(_("The first instalment must fall due within a year."))
    closed = closed_through(_conn(session))
    if closed is not None and first_due <= closed:
        raise ValidationError(_("The first due date {date} is in a closed period.").format(
            date=format_date_id(first_due)))


def write_schedule(session: Session, financing_id: int, version: int, principal: int,
                   rate_bp: int, instalments: int, frequency: str, first_due: dt.date,
                   method: str, rounding_unit: int, *, margin_total: int | None,
                   paid_before: tuple[int, int], reason: str) -> list:
    schedule = build_schedule(principal, rate_bp, instalments, frequency, first_due,
                              method=method, rounding_unit=rounding_unit,
                              margin_total=margin_total)
    conn = _conn(session)
    conn.executemany(
        "INSERT INTO financing_schedule (financing_id, version, number, due_on, principal, "
        "margin) VALUES (?, ?, ?, ?, ?, ?)",
        [(financing_id, version, i.number, i.due_on.isoformat(), i.principal, i.margin)
         for i in schedule])
    conn.execute(
        "INSERT INTO financing_schedule_version (financing_id, version, started_on, "
        "paid_principal_before, paid_margin_before, last_journal_id, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (financing_id, version, session.today.isoformat(), paid_before[0], paid_before[1],
         last_financing_journal(conn, financing_id), reason))
    return schedule


def preview_schedule(session: Session, financing_id: int, first_due: dt.date | None = None
                     ) -> list:
    """The schedule the akad would have if disbursed today (for the akad and the form)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    row = _financing_row(session, financing_id)
    if row["schedule_version"] and row["status"] in ("cair", "lunas", "hapus_buku"):
        return [tuple(r) for r in _conn(session).execute(
            "SELECT number, due_on, principal, margin FROM financing_schedule "
            "WHERE financing_id = ? AND version = ? ORDER BY number",
            (financing_id, row["schedule_version"]))]
    first = first_due or first_due_after(session.today, row["frequency"])
    return [(i.number, i.due_on.isoformat(), i.principal, i.margin) for i in build_schedule(
        row["principal"], row["rate_bp"], row["instalments"], row["frequency"], first,
        method=row["method"], rounding_unit=row["rounding_unit"])]


def disburse(session: Session, financing_id: int, *, to: str = "tunai",
             savings_account_id: int | None = None, first_due: dt.date | None = None,
             request_id: str | None = None) -> PostedJournal:
    """Pay out an approved financing in cash through the drawer, or into the member's savings;
    the admin fee is taken from it; the schedule is fixed from the first due date."""
    session.require(Action.FINANCING_DISBURSE)
    if to not in ("tunai", "tabungan"):
        raise ValidationError(_("Disburse in cash (tunai) or into savings (tabungan)."))
    with session.book.transaction():
        done = existing_posting(session, request_id)
        if done is not None:
            return done
        row = _financing_row(session, financing_id)
        if row["status"] != "disetujui":
            raise ValidationError(_("{number} is {status}: only an approved financing is "
                                    "disbursed.").format(number=row["number"],
                                                         status=row["status"]))
        product = _product(_conn(session).execute(
            f"SELECT {', '.join(_PRODUCT_COLUMNS)} FROM financing_product WHERE id = ?",
            (row["product_id"],)).fetchone())
        members = [row["member_id"]] if row["member_id"] else [m for (m,) in _conn(session)
                   .execute("SELECT member_id FROM financing_share WHERE financing_id = ?",
                            (financing_id,))]
        _check_training(session, product, members)
        first = first_due or first_due_after(session.today, row["frequency"])
        _check_first_due(session, first, session.today)
        version = row["schedule_version"] + 1
        schedule = write_schedule(
            session, financing_id, version, row["principal"], row["rate_bp"],
            row["instalments"], row["frequency"], first, row["method"], row["rounding_unit"],
            margin_total=None, paid_before=(0, 0), reason=_("Akad"))
        margin = sum(i.margin for i in schedule)
        akad = row["akad"]
        fee = row["admin_fee"]
        if fee >= row["principal"]:
            raise ValidationError(_("The admin fee is not less than the financing."))
        member = row["member_id"]
        lines = [LineSpec(RECEIVABLE[akad], debit=row["principal"] + (
            margin if akad == "murabahah" else 0), memo=DISBURSE, member_id=member,
            financing_id=financing_id)]
        if akad == "murabahah" and margin:
            lines.append(LineSpec(DEFERRED_MARGIN, credit=margin, memo=DISBURSE,
                                  member_id=member, financing_id=financing_id))
        # A qardh comes from the Maal side, which never meets income in one journal: its real
        # admin cost is taken in a journal of its own.
        separate_fee = fee if akad == "qardh" else 0
        if fee and not separate_fee:
            lines.append(LineSpec(ADMIN_INCOME, credit=fee, memo=ADMIN, member_id=member,
                                  financing_id=financing_id))
        net = row["principal"] - fee + separate_fee
        description = _("Disbursement of {number} ({akad})").format(number=row["number"],
                                                                   akad=akad)
        if to == "tunai":
            lines.append(LineSpec(TELLER_CASH, credit=net))
            posted = post_cash(session, description, lines, request_id=request_id)
            if separate_fee:
                post_cash(session, _("Admin cost of {number}").format(number=row["number"]),
                          [LineSpec(TELLER_CASH, debit=separate_fee),
                           LineSpec(ADMIN_INCOME, credit=separate_fee, memo=ADMIN,
                                    member_id=member, financing_id=financing_id)],
                          request_id=f"{request_id}#adm" if request_id else None)
            account = None
        else:
            account = _savings_for(session, member, savings_account_id)
            code, kind = account
            lines.append(LineSpec(code, credit=net, memo="CAIR", member_id=member,
                                  savings_account_id=savings_account_id))
            writer = LedgerWriter(_conn(session))
            posted = writer.post(JournalSpec(session.today, description, lines, "PB",
                                             request_id=request_id), session.actor)
            if separate_fee:
                writer.post(JournalSpec(session.today, _("Admin cost of {number}").format(
                    number=row["number"]), [
                    LineSpec(code, debit=separate_fee, memo=ADMIN, member_id=member,
                             savings_account_id=savings_account_id),
                    LineSpec(ADMIN_INCOME, credit=separate_fee, memo=ADMIN, member_id=member,
                             financing_id=financing_id)], "PB"), session.actor)
            writer.flush()
        _conn(session).execute(
            "UPDATE financing SET status = 'cair', disbursed_on = ?, disbursed_to = ?, "
            "savings_account_id = ?, first_due_on = ?, schedule_version = ?, margin_total = ? "
            "WHERE id = ?", (session.today.isoformat(), to, savings_account_id if account
                             else None, first.isoformat(), version, margin, financing_id))
        append(_conn(session), session.actor, "financing.disburse", "financing", financing_id,
               after={"journal": posted.doc_number, "to": to, "first_due": first.isoformat(),
                      "margin": margin, "version": version})
        return posted


def _savings_for(session: Session, member_id: int | None, account_id: int | None
                 ) -> tuple[str, str]:
    if member_id is None:
        raise ValidationError(_("A Kube's financing is disbursed in cash."))
    row = _conn(session).execute(
        "SELECT a.code, p.kind, s.member_id, s.status FROM savings_account s "
        "JOIN savings_product p ON p.id = s.product_id JOIN account a ON a.id = p.account_id "
        "WHERE s.id = ?", (account_id,)).fetchone()
    if row is None or row[2] != member_id or row[3] != "aktif" \
            or row[1] not in ("sukarela", "tabungan"):
        raise ValidationError(_("Choose an active sukarela or tabungan account of the "
                                "member."))
    return row[0], row[1]


# -------------------------------------------------------------------------- opening balances
OPENING_EQUITY = "309"


@dataclass
class OpeningFinancing:
    """A financing running when the office moves in: what is left at the cut-over date, with
    the instalments still to come (their principal and margin sum to what is left)."""

    product_code: str
    member_id: int | None
    kube_id: int | None
    purpose: str
    schedule: Sequence[tuple[dt.date, int, int]]  # due date, principal, margin
    rate_bp: int = 0
    nisbah_pct: int = 0
    goods: str = ""
    shares: Sequence[tuple[int, int]] = ()
    original_number: str = ""


def open_migrated(session: Session, data: OpeningFinancing, cut_over: dt.date) -> int:
    """Record a running financing from the old books, posted against the opening-balance
    equity (309) on the cut-over date. Inside the caller's transaction, so that a whole
    import is one atomic step."""
    session.require(Action.FINANCING_APPLY)
    session.require(Action.JOURNAL_POST)
    if cut_over > session.today:
        raise ValidationError(_("The cut-over date cannot be in the future."))
    product = get_product(session, data.product_code)
    rows = list(data.schedule)
    if not rows:
        raise ValidationError(_("A running financing needs its remaining instalments."))
    if len(rows) > 520:
        raise ValidationError(_("The number of instalments must be from 1 to {n}.").format(
            n=520))
    last_due = None
    for due, principal, margin in rows:
        # Instalments already overdue at the cut-over come in as they are: the arrears, and
        # so the collectibility, carry over.
        if not isinstance(due, dt.date) or due < cut_over - dt.timedelta(days=3653):
            raise ValidationError(_("An instalment's due date is missing or more than ten "
                                    "years before the cut-over date."))
        if last_due is not None and due <= last_due:
            raise ValidationError(_("The instalments' due dates must rise."))
        last_due = due
        if not (_whole(principal) and _whole(margin)) or principal < 0 or margin < 0 \
                or principal + margin == 0 or principal + margin > MAX_AMOUNT:
            raise ValidationError(_("An instalment's principal and margin are whole rupiah, "
                                    "0 or more, not both 0."))
    principal_left = sum(r[1] for r in rows)
    margin_left = sum(r[2] for r in rows)
    if principal_left <= 0:
        raise ValidationError(_("Nothing of the principal is left: the financing is settled."))
    if margin_left and product.akad not in ("murabahah", "ijarah"):
        raise ValidationError(_("A {akad} has no margin in its instalments; its profit share "
                                "is reported per period.").format(akad=product.akad))
    if not _whole(data.rate_bp) or not 0 <= data.rate_bp <= 10_000 \
            or not _whole(data.nisbah_pct) or not 0 <= data.nisbah_pct <= 100:
        raise ValidationError(_("The margin rate is 0 % to 100 % a year and the nisbah 0 % to "
                                "100 %."))
    legacy = check_text(data.original_number, _("Old financing number"), limit=50,
                        single_line=True) or None
    if legacy and _conn(session).execute("SELECT 1 FROM financing WHERE legacy_number = ?",
                                         (legacy,)).fetchone():
        raise ValidationError(_("The old financing {number} has already been brought in.")
                              .format(number=legacy))
    frequency = _frequency_of([r[0] for r in rows])
    purpose = check_text(data.purpose or _("Opening balance"), _("Financing purpose"),
                         required=True, limit=500)
    terms = ApplicationInput(product.code, principal_left, len(rows), frequency, purpose,
                             member_id=data.member_id, kube_id=data.kube_id,
                             shares=data.shares)
    members = _applicant_for_opening(session, product, terms)
    conn = _conn(session)
    number = _next_number(session, cut_over.year)
    cursor = conn.execute(
        "INSERT INTO financing (number, product_id, akad, member_id, kube_id, status, purpose, "
        "goods, principal, method, rate_bp, nisbah_pct, instalments, frequency, "
        "rounding_unit, margin_total, applied_on, submitted_by, disbursed_on, disbursed_to, "
        "first_due_on, schedule_version, assessment, legacy_number) VALUES (?, ?, ?, ?, ?, "
        "'cair', ?, ?, ?, 'flat', ?, ?, ?, ?, 1, ?, ?, ?, ?, 'tunai', ?, 1, ?, ?)",
        (number, product.id, product.akad, data.member_id, data.kube_id, purpose,
         data.goods.strip(), principal_left, data.rate_bp, data.nisbah_pct, len(rows),
         frequency, margin_left, cut_over.isoformat(), session.user_id, cut_over.isoformat(),
         rows[0][0].isoformat(), _("Opening balance from {number}").format(
             number=legacy or "-"), legacy))
    financing_id = int(cursor.lastrowid)
    conn.executemany("INSERT INTO financing_share (financing_id, member_id, amount) "
                     "VALUES (?, ?, ?)", [(financing_id, m, a) for m, a in data.shares])
    conn.executemany(
        "INSERT INTO financing_schedule (financing_id, version, number, due_on, principal, "
        "margin) VALUES (?, 1, ?, ?, ?, ?)",
        [(financing_id, i, due.isoformat(), p, m) for i, (due, p, m) in enumerate(rows, 1)])
    conn.execute("INSERT INTO financing_schedule_version (financing_id, version, started_on, "
                 "reason) VALUES (?, 1, ?, ?)", (financing_id, cut_over.isoformat(),
                                                 _("Opening balance")))
    akad = product.akad
    lines = [LineSpec(RECEIVABLE[akad], debit=principal_left + (
        margin_left if akad == "murabahah" else 0), memo=DISBURSE, member_id=data.member_id,
        financing_id=financing_id)]
    if akad == "murabahah" and margin_left:
        lines.append(LineSpec(DEFERRED_MARGIN, credit=margin_left, memo=DISBURSE,
                              member_id=data.member_id, financing_id=financing_id))
    lines.append(LineSpec(OPENING_EQUITY, credit=principal_left, memo=DISBURSE,
                          member_id=data.member_id))
    writer = LedgerWriter(conn)
    writer.post(JournalSpec(cut_over, _("Opening balance of {number}").format(number=number),
                            lines), session.actor)
    writer.flush()
    append(conn, session.actor, "financing.opening", "financing", financing_id,
           after={"number": number, "principal": principal_left, "margin": margin_left,
                  "instalments": len(rows), "original": data.original_number,
                  "members": members})
    return financing_id


def _frequency_of(dates: Sequence[dt.date]) -> str:
    """The repayment frequency the due dates keep (weekly, fortnightly, else monthly)."""
    gaps = {(b - a).days for a, b in zip(dates, dates[1:], strict=False)}
    if gaps == {7}:
        return "mingguan"
    if gaps == {14}:
        return "dua_mingguan"
    return "bulanan"


def _applicant_for_opening(session: Session, product: FinancingProduct,
                           data: ApplicationInput) -> list[int]:
    """Who the migrated financing is for; graduation rules are not applied to history."""
    if (data.member_id is None) == (data.kube_id is None):
        raise ValidationError(_("A financing is for one member or for one Kube."))
    if data.member_id is not None:
        row = _conn(session).execute("SELECT status FROM member WHERE id = ?",
                                     (data.member_id,)).fetchone()
        if row is None or row[0] != "aktif":
            raise ValidationError(_("Member {id} does not exist or is no longer active.")
                                  .format(id=data.member_id))
        return [data.member_id]
    return _applicant(session, product, data)  # a Kube: its members' shares are checked
