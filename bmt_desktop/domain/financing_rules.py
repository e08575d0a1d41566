"""What a financing owes and how a payment is shared out: arrears, allocation, collectibility,
reserves (PPAP), early settlement and profit sharing. Pure functions over whole rupiah.

The state of a schedule is derived from what was paid in total per component (principal,
margin): each component fills the instalments oldest first. Because every allocation order
pays each component oldest first, the totals say exactly which instalment is paid, and a
reversal (which lowers a total) needs no bookkeeping of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.financing_schedule import Instalment
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.i18n import N_, _

# Components of a payment, in the words of the allocation-order setting.
CHARGES, MARGIN, PRINCIPAL = "biaya", "margin", "pokok"
ALLOCATION_ORDERS = {
    "biaya-margin-pokok": (CHARGES, MARGIN, PRINCIPAL),
    "biaya-pokok-margin": (CHARGES, PRINCIPAL, MARGIN),
    "margin-pokok-biaya": (MARGIN, PRINCIPAL, CHARGES),
    "pokok-margin-biaya": (PRINCIPAL, MARGIN, CHARGES),
}


@dataclass(frozen=True, slots=True)
class InstalmentState:
    number: int
    due_on: dt.date
    principal: int
    margin: int
    paid_principal: int
    paid_margin: int

    @property
    def left_principal(self) -> int:
        return self.principal - self.paid_principal

    @property
    def left_margin(self) -> int:
        return self.margin - self.paid_margin

    @property
    def left(self) -> int:
        return self.left_principal + self.left_margin

    @property
    def paid(self) -> bool:
        return self.left == 0


def _fill(amounts: Sequence[int], paid: int) -> list[int]:
    out = []
    for amount in amounts:
        part = min(amount, max(0, paid))
        out.append(part)
        paid -= part
    return out


def schedule_state(schedule: Sequence[Instalment], paid_principal: int,
                   paid_margin: int) -> list[InstalmentState]:
    """Each instalment with what of it is paid, given the totals paid per component."""
    principal = _fill([i.principal for i in schedule], paid_principal)
    margin = _fill([i.margin for i in schedule], paid_margin)
    return [InstalmentState(i.number, i.due_on, i.principal, i.margin, p, m)
            for i, p, m in zip(schedule, principal, margin, strict=True)]


def days_overdue(states: Iterable[InstalmentState], on: dt.date) -> int:
    """Days since the oldest instalment fell due unpaid (one due today is not yet late)."""
    late = [s.due_on for s in states if s.left and s.due_on < on]
    return (on - min(late)).days if late else 0


def arrears(states: Iterable[InstalmentState], on: dt.date) -> tuple[int, int]:
    """(principal, margin) fallen due up to and including ``on`` and not paid."""
    due = [s for s in states if s.due_on <= on]
    return sum(s.left_principal for s in due), sum(s.left_margin for s in due)


# ------------------------------------------------------------------------------------ allocation
@dataclass(frozen=True, slots=True)
class Charge:
    id: int
    charged_on: dt.date
    left: int


@dataclass(frozen=True)
class Allocation:
    principal: int = 0
    margin: int = 0
    charges: Mapping[int, int] = field(default_factory=dict)  # charge id → rupiah
    advance: int = 0  # of principal + margin, the part paid before it fell due

    @property
    def total(self) -> int:
        return self.principal + self.margin + sum(self.charges.values())


def allocate(amount: int, states: Sequence[InstalmentState], charges: Sequence[Charge],
             on: dt.date, order: str, *, advance: bool = False) -> Allocation:
    """Share a payment over what is owed: charges first or last as the office's order says,
    instalments fallen due oldest first (margin and principal in that order); then, only when ``advance`` is asked for, the coming
    instalments in turn. A payment above what may be paid is refused, never kept."""
    if order not in ALLOCATION_ORDERS:
        raise ValidationError(_("Unknown allocation order {order}.").format(order=order))
    sequence = ALLOCATION_ORDERS[order]
    rank = {c: i for i, c in enumerate(sequence)}
    # Charges come before or after all instalments; instalments go oldest first, and within
    # one instalment margin and principal come in the order's sequence.
    charge_group = 0 if sequence[0] == CHARGES else 2
    items: list[tuple[int, dt.date, int, int, str, int]] = []  # group, date, rank, key, kind
    for s in states:
        for kind, left in ((MARGIN, s.left_margin), (PRINCIPAL, s.left_principal)):
            if left:
                items.append((1, s.due_on, rank[kind], s.number, kind, left))
    for c in charges:
        if c.left:
            items.append((charge_group, c.charged_on, 0, c.id, CHARGES, c.left))
    items.sort()
    due_now = [item for item in items if item[1] <= on or item[4] == CHARGES]
    later = [item for item in items if not (item[1] <= on or item[4] == CHARGES)]
    owed_now = sum(item[5] for item in due_now)
    owed_all = owed_now + sum(item[5] for item in later)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError(_("The payment must be a whole number of rupiah above 0."))
    if amount > owed_all:
        raise ValidationError(_("{amount} is more than everything still owed ({owed}).").format(
            amount=format_rupiah(amount), owed=format_rupiah(owed_all)))
    if amount > owed_now and not advance:
        raise ValidationError(_("{amount} is more than what has fallen due ({due}). Mark it as "
                                "an advance payment to pay coming instalments.").format(
            amount=format_rupiah(amount), due=format_rupiah(owed_now)))
    principal = margin = paid_ahead = 0
    taken: dict[int, int] = {}
    left = amount
    for position, (_group, _day, _rank, key, kind, owed) in enumerate(due_now + later):
        if not left:
            break
        part = min(left, owed)
        left -= part
        if position >= len(due_now):
            paid_ahead += part
        if kind == CHARGES:
            taken[key] = part
        elif kind == MARGIN:
            margin += part
        else:
            principal += part
    return Allocation(principal, margin, taken, paid_ahead)


# ------------------------------------------------------------------------------ early settlement
@dataclass(frozen=True, slots=True)
class Settlement:
    principal: int  # all the principal left
    margin: int  # margin of instalments fallen due by the settlement date, still unpaid
    discount: int  # margin of instalments not yet due, unpaid: not charged (DSN 153/2022)
    prepaid: int = 0  # margin of instalments not yet due, paid ahead: credited back

    @property
    def total(self) -> int:
        """What the member pays now (negative: what the BMT pays back)."""
        return self.principal + self.margin - self.prepaid


def early_settlement(states: Sequence[InstalmentState], on: dt.date) -> Settlement:
    """Everything left of the principal, and margin only for the periods that have passed;
    margin paid ahead for periods not yet passed counts towards the principal."""
    return Settlement(
        sum(s.left_principal for s in states),
        sum(s.left_margin for s in states if s.due_on <= on),
        sum(s.left_margin for s in states if s.due_on > on),
        sum(s.paid_margin for s in states if s.due_on > on),
    )


# ------------------------------------------------------------------------------- collectibility
CLASSES = ("lancar", "dpk", "kurang_lancar", "diragukan", "macet")
CLASS_LABELS = {"lancar": N_("Current"), "dpk": N_("Special mention"),
                "kurang_lancar": N_("Substandard"), "diragukan": N_("Doubtful"),
                "macet": N_("Loss")}
NON_PERFORMING = ("kurang_lancar", "diragukan", "macet")


@dataclass(frozen=True)
class CollectibilityRules:
    """Day bounds and reserve rates (settings). Four-class mode (Kemenkop Juknis 15/2021)
    has no DPK: what would be DPK stays Lancar."""

    classes: int = 5
    dpk_max: int = 90
    kl_max: int = 120
    d_max: int = 180
    # PPAP in basis points of outstanding less eligible collateral, per class.
    ppap_bp: Mapping[str, int] = field(default_factory=lambda: {
        "lancar": 50, "dpk": 300, "kurang_lancar": 1_000, "diragukan": 5_000, "macet": 10_000})

    def __post_init__(self) -> None:
        if self.classes not in (4, 5):
            raise ValidationError(_("Collectibility has four or five classes."))
        if not 0 < self.dpk_max < self.kl_max < self.d_max:
            raise ValidationError(_("The collectibility day bounds must rise: DPK < KL < D."))
        if set(self.ppap_bp) != set(CLASSES) or any(
                not 0 <= v <= 10_000 for v in self.ppap_bp.values()):
            raise ValidationError(_("Each class needs a reserve rate from 0 % to 100 %."))


def classify(days: int, rules: CollectibilityRules) -> str:
    if days <= 0:
        return "lancar"
    if days <= rules.dpk_max:
        return "dpk" if rules.classes == 5 else "lancar"
    if days <= rules.kl_max:
        return "kurang_lancar"
    if days <= rules.d_max:
        return "diragukan"
    return "macet"


def class_label(name: str) -> str:
    return _(CLASS_LABELS[name])


def reserve(outstanding: int, collateral: int, klass: str, rules: CollectibilityRules) -> int:
    """PPAP of one financing: the class's rate of what the collateral does not cover."""
    base = max(0, outstanding - max(0, collateral))
    return int((Fraction(base * rules.ppap_bp[klass], 10_000) + Fraction(1, 2)) // 1)


def npf(rows: Iterable[tuple[str, int]]) -> Fraction:
    """(KL + D + M outstanding) ÷ total outstanding, from (class, outstanding) rows."""
    total = bad = 0
    for klass, outstanding in rows:
        total += outstanding
        if klass in NON_PERFORMING:
            bad += outstanding
    return Fraction(bad, total) if total else Fraction(0)


def health(ratio: Fraction) -> str:
    """Juknis 15/2021: ≤ 5 % Sehat, ≤ 10 % Cukup Sehat, ≤ 15 % Kurang Sehat, else Tidak Sehat."""
    if ratio <= Fraction(5, 100):
        return _("Healthy")
    if ratio <= Fraction(10, 100):
        return _("Fairly healthy")
    if ratio <= Fraction(15, 100):
        return _("Less healthy")
    return _("Unhealthy")


# ------------------------------------------------------------------------------- profit sharing
def profit_share(realised_profit: int, nisbah_pct: int) -> int:
    """The BMT's share of a period's realised profit; a loss gives no share (the capital
    owner bears a loss not caused by negligence). Rounded down, in the member's favour."""
    if realised_profit <= 0:
        return 0
    return realised_profit * nisbah_pct // 100
