"""The demo book's financing (issue 6), deterministic per seed, written month by month with
the rest of the demo's history so that every posting lands in a period still open.

The Sukajaya model (domain.md §3, the seed study): a Kube borrows first, as a group with joint
liability (murabahah MRK, weekly or fortnightly, every member's share), cycle after cycle;
members of a Kube at stage Berkembang or above who repaid a group cycle graduate to individual
financing with the Kube coordinator's recorded approval. Members outside the Kube borrow
individually (murabahah, a few mudharabah with monthly profit reports, ijarah, qardhul hasan
from the Maal side). Most pay on time, some a little late; a few fall into Kurang Lancar,
Diragukan or Macet, one Macet financing is written off and something recovered later; one
member settles early with the margin of the months not yet passed not charged, one in
hardship has a ta'zir waived and is rescheduled, a wilful late payer pays a ta'zir (to the
social fund) and a ta'widh; on the last day the manager's inbox holds applications waiting,
one was rejected, one approved waits for its akad.

Applications, decisions, cancellations, ta'zir, ta'widh, waivers, profit reports,
rescheduling and write-off go through the financing services with the session's date set to
the historical day (and the audit clock to that day). Disbursement, repayment, early
settlement and recovery need a teller's open drawer in the services; here they are posted in
the demo's bulk history (cash without a drawer, like the rest of the demo's history) from the
same rules: the schedule by ``build_schedule`` written as ``financing.write_schedule`` writes
it, payments shared out by ``allocate`` and booked by ``payment_lines`` (a ta'zir in a journal
of its own, as the services post it), the state carried by ``FinancingFacts.after``, the lines
of a disbursement, an early settlement and a recovery as ``disburse``, ``settle_early`` and
``recover`` build them. The month-end PPAP is computed with the domain's ``classify`` and
``reserve`` as ``post_reserve`` does. When its own money falls short of what the Kube, the
graduates and the cases above need, the BMT borrows (account 204) from a local figure; an
ordinary member applies only when the bank can lend.

Kube KUBE-001 (the strongest, which later borrows from a bank under PHBK) has no financing at
the BMT; the financing services' tests use it as a Kube with no group financing yet.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from bmt_desktop.domain.dates import month_end
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.financing_rules import (
    Allocation,
    allocate,
    classify,
    early_settlement,
    reserve,
    schedule_state,
)
from bmt_desktop.domain.financing_schedule import (
    add_months,
    build_schedule,
    first_due_after,
)
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Role
from bmt_desktop.i18n import _
from bmt_desktop.services import book_settings, financing, financing_payments
from bmt_desktop.services.demo_kube import DemoKube
from bmt_desktop.services.drawer import TELLER_CASH
from bmt_desktop.services.financing_state import (
    ADMIN,
    ADMIN_INCOME,
    DEFERRED_MARGIN,
    DISBURSE,
    DISCOUNT,
    INCOME,
    MARGIN,
    PPAP_EXPENSE,
    PPAP_RESERVE,
    RECEIVABLE,
    RECOVERY,
    RECOVERY_INCOME,
    FinancingFacts,
    collectibility_rules,
    facts,
)
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import Actor, ChainWriter
from bmt_desktop.store.book import Book
from bmt_desktop.store.ledger import JournalSpec, LedgerWriter

Entry = tuple[dt.date, str, list[LineSpec], str, Actor | None]
_AUTO = object()

# Individual financings of ordinary members: about one per this many members, at most MAX.
MEMBERS_PER_FINANCING = 4
MAX_ROUTINE = 4_000
# The bank account the BMT lends from keeps this much beyond the month's salaries.
BANK = "103"
SAFETY = 1_000_000
# When its own money falls short, the BMT borrows from a local figure (qardh to the BMT).
FUNDING = "204"
FUNDING_UNIT = 5_000_000
FUNDING_TEXT = "Pinjaman modal (qardh) dari H. Oman Rohmat untuk pembiayaan anggota, diterima tunai"

# What an ordinary member finances, by business: purpose, goods, supplier.
BUSINESS = {
    "Warung sayuran": ("Tambah modal warung sayuran", "Etalase sayur dan timbangan digital",
                       "Toko Alat Dagang Cadasari"),
    "Warung kelontong": ("Tambah stok warung kelontong", "Stok sembako dan rak besi",
                         "Grosir H. Mamat Cadasari"),
    "Warung jajanan": ("Modal warung jajanan", "Gerobak dan peralatan masak",
                       "Toko Besi Sukajaya"),
    "Pembuatan kompos": ("Modal usaha kompos", "Mesin pencacah dan terpal",
                         "UD Sinar Tani Pandeglang"),
    "Candak kulak": ("Modal candak kulak hasil bumi", "Sepeda motor bekas untuk angkut barang",
                     "Dealer Motor Bekas Cadasari"),
    "Ternak ayam": ("Tambah kandang dan bibit ayam", "Bibit ayam kampung, pakan dan kandang",
                    "Poultry Shop Pandeglang"),
    "Ternak itik": ("Tambah bibit itik", "Bibit itik dan pakan tiga bulan",
                    "Peternakan Itik Pak Udin"),
    "Petani": ("Modal tanam padi", "Pupuk, bibit padi dan pompa air", "UD Sinar Tani Pandeglang"),
    "Penjahit": ("Tambah mesin jahit", "Mesin jahit portable dan obras", "Toko Mesin Jahit Serang"),
    "Pembuat tas": ("Modal bahan tas", "Bahan kulit sintetis dan aksesoris tas",
                    "Toko Bahan Tas Tanah Abang"),
    "Anyaman bambu": ("Modal bahan anyaman", "Bambu tali dan pewarna", "Pengepul Bambu Cadasari"),
}
KUBE_GOODS = {
    "Warung sayuran": "Sayuran dan etalase bersama",
    "Pembuatan kompos": "Bahan kompos dan karung",
    "Candak kulak": "Hasil bumi untuk dijual ke pasar",
    "Ternak ayam": "Bibit ayam dan pakan",
    "Ternak itik": "Bibit itik dan pakan",
    "Pertanian": "Pupuk dan bibit",
    "Menjahit": "Kain dan benang",
    "Pembuatan tas": "Bahan tas",
    "Anyaman bambu": "Bambu dan pewarna",
    "Warung kelontong": "Stok barang kelontong",
}
COLLATERAL = (
    ("BPKB sepeda motor", 1.6, 60),
    ("Sertifikat tanah pekarangan (SHM)", 3.0, 50),
    ("Akta jual beli sawah", 2.5, 50),
    ("BPKB sepeda motor dan surat keterangan usaha", 1.4, 60),
)


@dataclass(eq=False)  # a loan is itself: lists find it by identity, not by comparing fields
class _Loan:
    """One financing's story: its application, how it is repaid, what happens to it."""

    key: int
    story: str
    product: str
    applied_on: dt.date
    principal: int
    instalments: int
    frequency: str
    rng: random.Random
    decided_on: dt.date | None = None  # None: still waiting for the manager
    approve: bool = True
    disburse_on: dt.date | None = None  # None: not disbursed by the end
    member_id: int | None = None
    kube: DemoKube | None = None
    shares: list[tuple[int, int]] = field(default_factory=list)
    rate_bp: int = 0
    nisbah_pct: int = 0
    purpose: str = ""
    goods: str = ""
    supplier: str = ""
    cost_price: int = 0
    collateral: list[financing.Collateral] = field(default_factory=list)
    income: int | None = None
    expense: int = 0
    assessment: str = ""
    coordinator: str = ""
    coordinator_on: dt.date | None = None
    reason: str = ""
    priority: int = 2  # who is paid out first when the bank is short (lowest first)
    graduate: bool = False
    # Filled in as the history is written.
    id: int | None = None
    number: str = ""
    f: FinancingFacts | None = None
    eligible: int = 0
    plan: list[tuple[dt.date, int, str, int]] = field(default_factory=list)
    events: list[tuple[dt.date, int, str, object]] = field(default_factory=list)
    first_unpaid: dt.date | None = None
    settled_on: dt.date | None = None
    settled_early: tuple[int, int] | None = None  # settled early: (discount, prepaid)
    disbursed: bool = False
    tazir_id: int | None = None
    reschedule_id: int | None = None
    waited: int = 0  # months the akad waited for the bank's money
    deferred: int = 0  # months the member put off applying

    @property
    def kube_id(self) -> int | None:
        return self.kube.id if self.kube else None


def _stamp(day: dt.date, seconds: int = 0) -> str:
    moment = dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)
    return (moment + dt.timedelta(seconds=seconds)).isoformat(timespec="microseconds")


def _round(amount: float, unit: int = 50_000) -> int:
    return max(unit, int(amount) // unit * unit)


class FinancingHistory:
    """Plans the financing at once from ``rng``, then writes it as the months go by:
    ``entries`` (before the month's postings) and ``close_month`` (after them, before the
    month is closed)."""

    def __init__(self, book: Book, rng: random.Random, people: Sequence, kubes: list[DemoKube],
                 start: dt.date, end: dt.date, clock_day: list[dt.datetime]) -> None:
        self.book, self.rng, self.start, self.end = book, rng, start, end
        self.clock_day = clock_day
        conn = book.raw()
        users = {name: (uid, full) for uid, name, full in conn.execute(
            "SELECT id, username, full_name FROM user WHERE username IN ('kasir', 'manajer')")}
        self.teller = Session(book, users["kasir"][0], "kasir", users["kasir"][1], Role.TELLER,
                              today=start)
        self.manager = Session(book, users["manajer"][0], "manajer", users["manajer"][1],
                               Role.MANAGER, today=start)
        self.order = book_settings.get_setting(book, "financing_allocation_order")
        self.rules = collectibility_rules(book)
        self.products = {p.code: p for p in financing.list_products(self.manager)}
        self.members = {mid: (name, occupation, income) for mid, name, occupation, income in
                        conn.execute("SELECT id, name, occupation, monthly_income FROM member")}
        self.joined = {p.id: p.join for p in people}
        self.member_count = len(people)
        # A small book lends small amounts: its capital is the founders' and a few savings.
        self.small = self.member_count < 100
        self.kubes = kubes
        self.in_kube = {m: k for k in kubes for m in k.members}
        self.ketua = {k.id: self.members[k.members[0]][0] for k in kubes if k.members}
        self.business = dict(conn.execute("SELECT id, business_type FROM kube"))
        # Months from the second on: the first month's postings are still being written when
        # its financing would start, and members have only just joined.
        self.first_open = add_months(start, 1)
        self.busy: dict[int, list[tuple[dt.date, dt.date]]] = {}
        self.loans: list[_Loan] = []
        self._plan()
        self.to_apply = sorted(self.loans, key=lambda loan: (loan.applied_on, loan.key))
        self.to_decide: list[_Loan] = []
        self.approved: list[_Loan] = []
        self.active: list[_Loan] = []
        self.recovering: list[_Loan] = []  # written off, still paying something back
        self.tick = 0  # minutes into the office day of the services' acts
        self.month_disbursed: list[_Loan] = []
        self.month_settled: list[_Loan] = []

    # ------------------------------------------------------------------------------ planning
    def _new(self, story: str, product: str, applied_on: dt.date, principal: int,
             instalments: int, frequency: str, **values: object) -> _Loan:
        rng = random.Random(self.rng.getrandbits(64))
        p = self.products[product]
        decided = values.pop("decided_on", _AUTO)
        if decided is _AUTO:
            decided = applied_on + dt.timedelta(days=rng.randint(1, 4))
        disburse = values.pop("disburse_on", _AUTO)
        if disburse is _AUTO:
            disburse = decided + dt.timedelta(days=rng.randint(1, 6)) if decided else None
        loan = _Loan(len(self.loans), story, product, applied_on, principal, instalments,
                     frequency, rng, decided_on=decided, disburse_on=disburse, **values)
        if p.akad in ("murabahah", "ijarah") and not loan.rate_bp:
            loan.rate_bp = rng.randrange(max(p.min_rate_bp, 1500), min(p.max_rate_bp, 2100) + 1,
                                         100)
        if p.akad in ("mudharabah", "musyarakah") and not loan.nisbah_pct:
            loan.nisbah_pct = rng.choice(range(p.min_nisbah_pct, p.max_nisbah_pct + 1, 5))
        if loan.member_id is not None:
            name, occupation, income = self.members[loan.member_id]
            purpose, goods, supplier = BUSINESS.get(occupation, BUSINESS["Warung kelontong"])
            loan.purpose = loan.purpose or purpose
            if p.akad == "murabahah":
                loan.goods = loan.goods or goods
                loan.supplier = loan.supplier or supplier
                # The member pays the rest of the goods' price as a down payment.
                loan.cost_price = loan.cost_price or principal + principal * rng.choice(
                    (0, 10, 20)) // 100
            elif p.akad == "ijarah":
                loan.purpose = "Sewa peralatan usaha: " + goods.lower()
            loan.income = income
            loan.expense = income * rng.randint(35, 55) // 100
            loan.assessment = loan.assessment or (
                f"Survei usaha {occupation.lower()} di rumah anggota: usaha berjalan, "
                f"pendapatan sekitar {format_rupiah(income)} sebulan; angsuran sesuai "
                "kemampuan.")
            if p.collateral_required or (p.akad == "murabahah" and principal >= 5_000_000):
                what, times, pct = rng.choice(COLLATERAL)
                value = _round(principal * times, 100_000)
                loan.collateral = [financing.Collateral(f"{what} a.n. {name}", value,
                                                        value * pct // 100)]
                loan.eligible = value * pct // 100
        self.loans.append(loan)
        return loan

    def _free(self, member: int, begin: dt.date, until: dt.date) -> bool:
        return all(until < a or b < begin for a, b in self.busy.get(member, ()))

    def _hold(self, member: int, begin: dt.date, until: dt.date) -> None:
        self.busy.setdefault(member, []).append((begin, until))

    def _plan(self) -> None:
        graduates = self._plan_kube()
        ordinary = [m for m in sorted(self.joined) if m not in self.in_kube]
        self._plan_specials(ordinary, graduates)
        self._plan_graduates(graduates)
        self._plan_routine(ordinary)
        self._plan_inbox(ordinary, graduates)

    def _day_between(self, rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
        if high <= low:
            return low
        return low + dt.timedelta(days=rng.randint(0, (high - low).days))

    def _plan_kube(self) -> dict[int, tuple[DemoKube, dt.date]]:
        """Group cycles for every Kube but the first; returns who may graduate and from when."""
        rng, end = self.rng, self.end
        financed = self.kubes[1:] if len(self.kubes) > 1 else self.kubes
        graduates: dict[int, tuple[DemoKube, dt.date]] = {}
        for index, kube in enumerate(financed):
            if len(kube.members) < 2:
                continue
            frequency = "mingguan" if rng.random() < 0.6 else "dua_mingguan"
            step = 7 if frequency == "mingguan" else 14
            applied = max(kube.formed + dt.timedelta(days=rng.randint(20, 40)), self.first_open)
            share = rng.choice((300_000, 350_000, 400_000) if self.small
                               else (300_000, 400_000, 500_000))
            cycle = 1
            while applied <= end:
                count = (13 if step == 7 else 7) if cycle == 1 else (26 if step == 7 else 13)
                decided = applied + dt.timedelta(days=rng.randint(1, 4))
                disburse = decided + dt.timedelta(days=rng.randint(2, 6))
                last_due = disburse + dt.timedelta(days=step * count)
                running = last_due >= end
                story = "kube_telat" if running and index == len(financed) - 1 else "kube"
                shares = [(m, share) for m in kube.members]
                loan = self._new(
                    story, "MRK", applied, share * len(kube.members), count, frequency,
                    kube=kube, shares=shares, rate_bp=1800, decided_on=decided,
                    disburse_on=disburse, priority=0,
                    purpose=f"Modal usaha bersama {kube.code}: {self.business[kube.id]} "
                            f"(siklus {cycle}, tanggung renteng)",
                    goods=KUBE_GOODS.get(self.business[kube.id], "Bahan usaha kelompok"),
                    supplier="Pasar Cadasari", cost_price=share * len(kube.members),
                    assessment=f"Diajukan lewat pengurus {kube.code}; seluruh anggota hadir "
                               "dan sepakat menanggung bersama.")
                if decided > end:
                    loan.decided_on = None
                if cycle == 1 and last_due < end - dt.timedelta(days=40):
                    # Who repaid this cycle may apply alone from the month after it ends.
                    after = month_end(last_due.year, last_due.month) + dt.timedelta(days=1)
                    for member in kube.members[1:]:
                        graduates[member] = (kube, after)
                if running or disburse > end:
                    break
                applied = last_due + dt.timedelta(days=rng.randint(7, 21))
                share = min(1_500_000, share + rng.choice(
                    (50_000, 100_000) if self.small else (50_000, 100_000, 150_000)))
                cycle += 1
        return graduates

    def _take_graduate(self, graduates: dict[int, tuple[DemoKube, dt.date]], latest: dt.date
                       ) -> tuple[int, DemoKube, dt.date] | None:
        found = [(m, k, d) for m, (k, d) in graduates.items()
                 if d <= latest and self._free(m, d, self.end)]
        if not found:
            return None
        member, kube, earliest = self.rng.choice(found)
        del graduates[member]
        return member, kube, earliest

    def _graduate_values(self, rng: random.Random, kube: DemoKube, applied: dt.date) -> dict:
        return {"coordinator": f"{self.ketua[kube.id]} (Ketua {kube.code})",
                "coordinator_on": applied - dt.timedelta(days=rng.randint(1, 5)),
                "graduate": True, "priority": 1}

    def _plan_specials(self, ordinary: list[int],
                       graduates: dict[int, tuple[DemoKube, dt.date]]) -> None:
        """The cases a demo must show, each placed where the history leaves room for it."""
        end = self.end
        days = dt.timedelta
        # story, product, latest disbursement, principal, instalments, may a graduate take it
        specials = (
            ("hapus", "MRI", end - days(225), 2_500_000, 10, False),
            ("macet", "MRI", end - days(218), 2_000_000, 10, False),
            ("diragukan", "MRI", end - days(158), 2_000_000, 10, False),
            ("kurang_lancar", "MRI", end - days(126), 2_000_000, 10, False),
            ("sulit", "MRI", end - days(118), 2_000_000, 10, True),
            ("sengaja", "MRI", end - days(100), 2_000_000, 8, True),
            ("lunas_cepat", "MRI", end - days(80), 2_500_000, 10, True),
            ("dpk", "MRA", end - days(50), 2_000_000, 8, True),
            ("tepat", "MDU", end - days(70), 2_000_000, 6, True),
            ("tepat", "MDU", end - days(70), 1_500_000, 6, True),
            ("tepat", "IJR", end - days(45), 1_500_000, 6, True),
            ("tepat", "QH", end - days(20), 500_000, 10, False),
            ("tepat", "QH", end - days(20), 300_000, 6, False),
        )
        for story, product, latest, principal, count, graduate_may in specials:
            rng = random.Random(self.rng.getrandbits(64))
            latest_apply = latest - days(8)
            found = [m for m in ordinary
                     if max(self.joined[m] + days(14), self.first_open) <= latest_apply
                     and self._free(m, self.first_open, end)]
            values: dict = {}
            if found:
                member = rng.choice(found)
                earliest = max(self.joined[member] + days(14), self.first_open)
            elif graduate_may and (taken := self._take_graduate(graduates, latest_apply)):
                member, kube, earliest = taken
                values = {"kube_member_of": kube}
            else:
                continue
            # As late as the story allows: what it shows is still fresh on the last day.
            applied = self._day_between(rng, max(earliest, latest_apply - days(45)),
                                        latest_apply)
            frequency = "mingguan" if product == "QH" and count > 6 else "bulanan"
            if values:
                kube = values.pop("kube_member_of")
                values.update(self._graduate_values(rng, kube, applied))
            decided = applied + days(rng.randint(1, 3))
            values["priority"] = -1
            self._new(story, product, applied, principal, count, frequency, member_id=member,
                      decided_on=decided, disburse_on=decided + days(rng.randint(1, 4)),
                      **values)
            self._hold(member, applied, end)

    def _plan_graduates(self, graduates: dict[int, tuple[DemoKube, dt.date]]) -> None:
        """A quarter or so of those who may graduate take an individual financing, one by
        one over the years; one of them pays a little late."""
        rng, end = self.rng, self.end
        late_one = True
        for member, (kube, earliest) in sorted(graduates.items()):
            if rng.random() > (0.2 if self.small else 0.3) \
                    or earliest > end - dt.timedelta(days=20):
                continue
            # Members graduate one by one over the years, not all at once.
            applied = self._day_between(rng, earliest, end - dt.timedelta(days=15))
            if not self._free(member, applied, end):
                continue
            product = rng.choice(("MRI", "MRI", "MRA"))
            principal = rng.choice((2_000_000, 2_500_000, 3_000_000) if self.small
                                   else (2_000_000, 3_000_000, 4_000_000, 5_000_000))
            story = "telat" if late_one and rng.random() < 0.5 else "tepat"
            late_one = late_one and story != "telat"
            loan_rng = random.Random(rng.getrandbits(64))
            self._new(story, product, applied, principal, rng.choice((6, 9, 12, 18)), "bulanan",
                      member_id=member, **self._graduate_values(loan_rng, kube, applied))
            self._hold(member, applied, end)
            del graduates[member]

    def _plan_routine(self, ordinary: list[int]) -> None:
        """Ordinary members' financing across the years, about one per four members."""
        rng, end = self.rng, self.end
        wanted = min(MAX_ROUTINE, self.member_count // MEMBERS_PER_FINANCING) - len(self.loans)
        if wanted <= 0 or not ordinary:
            return
        latest = end - dt.timedelta(days=20)
        for _index in range(wanted):
            for _attempt in range(4):
                member = rng.choice(ordinary)
                earliest = max(self.joined[member] + dt.timedelta(days=14), self.first_open)
                if earliest > latest:
                    continue
                applied = self._day_between(rng, earliest, latest)
                roll = rng.random()
                product = ("MRI" if roll < 0.72 else "MRA" if roll < 0.86 else
                           "MDU" if roll < 0.89 else "IJR" if roll < 0.94 else "QH")
                count = rng.choice((6, 6, 9, 10, 12, 12, 18, 24))
                if product == "QH":
                    count = rng.choice((3, 4, 6, 10))
                until = add_months(applied, count + 3)
                if not self._free(member, applied, until):
                    continue
                principal = (rng.choice((200_000, 300_000, 500_000, 750_000, 1_000_000))
                             if product == "QH" else rng.choice(
                                 (2_000_000, 2_500_000, 3_000_000, 4_000_000, 5_000_000,
                                  7_500_000, 10_000_000)))
                roll = rng.random()
                story = "tepat" if roll < 0.79 else "telat" if roll < 0.995 else "berhenti"
                if product in ("MDU", "QH"):
                    story = "tepat"
                self._new(story, product, applied, principal, count, "bulanan",
                          member_id=member)
                self._hold(member, applied, end if story == "berhenti" else until)
                break

    def _plan_inbox(self, ordinary: list[int],
                    graduates: dict[int, tuple[DemoKube, dt.date]]) -> None:
        """The manager's inbox on the last day: applications waiting, one rejected, one
        approved waiting for its akad."""
        rng, end = self.rng, self.end
        low = max(dt.date(end.year, end.month, 1), end - dt.timedelta(days=12))
        if low < self.first_open:
            return
        waiting = min(20, 2 + self.member_count // 2_500)
        free = [m for m in ordinary if self.joined[m] + dt.timedelta(days=14) <= low
                and self._free(m, low, end)]
        for kind in ["reject", "approve"] + ["wait"] * waiting:
            applied = self._day_between(rng, low, end)
            values: dict = {"decided_on": None, "disburse_on": None}
            if kind != "wait":
                values["decided_on"] = self._day_between(rng, applied, end)
                values["approve"] = kind == "approve"
            if kind == "reject":
                values["reason"] = ("Kapasitas angsuran belum mencukupi: pengeluaran rumah "
                                    "tangga lebih dari separuh pendapatan.")
            # Some of the waiting applications come from Kube members graduating.
            taken = None
            if not free or (kind == "wait" and rng.random() < 0.3):
                taken = self._take_graduate(graduates, applied)
            loan_rng = random.Random(rng.getrandbits(64))
            if taken:
                member, kube, _earliest = taken
                values.update(self._graduate_values(loan_rng, kube, applied))
                product = "MRA"
            elif free:
                member = free.pop(rng.randrange(len(free)))
                product = rng.choice(("MRI", "MRI", "MDU"))
            else:
                continue
            values.setdefault("priority", 1)  # waits on the last day whatever the bank holds
            self._new("tepat", product, applied, rng.choice((2_000_000, 3_000_000, 5_000_000)),
                      rng.choice((6, 10, 12)), "bulanan", member_id=member, **values)
            self._hold(member, applied, end)

    # --------------------------------------------------------------------------- the month
    def entries(self, year: int, month: int, first_day: dt.date, last_day: dt.date
                ) -> list[Entry]:
        """Apply, decide and disburse what falls in the month (before the month's postings:
        the journals' lines name these financings), and return the month's postings."""
        conn = self.book.raw()
        out: list[Entry] = []
        if conn.in_transaction:  # the first month: the opening postings are still buffered
            return out
        self.month_disbursed, self.month_settled = [], []
        with self.book.transaction():
            self._applications(first_day, last_day)
            self._disbursements(first_day, last_day, out)
            for loan in [*self.active, *self.recovering]:
                self._payments(loan, last_day, out)
        return out

    def _at(self, day: dt.date, action: Callable[[], object]) -> object:
        """Run a service as on ``day``: its audit entries carry that day's time."""
        saved = self.clock_day[0]
        self.tick = (self.tick + 1) % 480
        self.clock_day[0] = dt.datetime.combine(day, dt.time(8, 0), tzinfo=dt.UTC) \
            + dt.timedelta(minutes=self.tick)
        self.teller.today = self.manager.today = day
        try:
            return action()
        finally:
            self.clock_day[0] = saved

    def _money(self, first_day: dt.date, last_day: dt.date) -> tuple[int, int]:
        """What the bank may lend this month beyond the salaries and a margin, and what is
        kept for the cases the demo must show, due within two months."""
        (bank,) = self.book.raw().execute(
            "SELECT balance FROM account WHERE code = ?", (BANK,)).fetchone()
        horizon = last_day + dt.timedelta(days=60)
        ahead = sum(loan.principal for loan in self.loans if loan.priority < 0
                    and not loan.disbursed and loan.disburse_on is not None
                    and first_day <= loan.disburse_on <= horizon)
        return bank - SAFETY - 1_500_000 - 2_000 * self.member_count, ahead

    def _postpone(self, loan: _Loan) -> None:
        """The member applies a month later (or, after three months, not at all)."""
        def later(day: dt.date | None) -> dt.date | None:
            return add_months(day, 1) if day else None

        loan.deferred += 1
        loan.applied_on = add_months(loan.applied_on, 1)
        loan.coordinator_on = later(loan.coordinator_on)
        loan.decided_on, loan.disburse_on = later(loan.decided_on), later(loan.disburse_on)
        if loan.deferred <= 3 and loan.applied_on <= self.end:
            bisect.insort(self.to_apply, loan, key=lambda x: (x.applied_on, x.key))

    def _applications(self, first_day: dt.date, last_day: dt.date) -> None:
        """The month's applications and decisions, in date order, through the services.
        An ordinary member applies only when the BMT has the money to lend this month."""
        budget, ahead = self._money(first_day, last_day)
        room = budget - ahead - sum(loan.principal for loan in self.approved) - sum(
            loan.principal for loan in self.to_decide if loan.decided_on and loan.approve)
        due: list[tuple[dt.date, int, str, _Loan]] = []
        while self.to_apply and self.to_apply[0].applied_on <= last_day:
            loan = self.to_apply.pop(0)
            due.append((loan.applied_on, loan.key, "apply", loan))
        keep = []
        for loan in self.to_decide:
            if loan.decided_on is not None and loan.decided_on <= last_day:
                due.append((loan.decided_on, loan.key, "decide", loan))
            else:
                keep.append(loan)
        self.to_decide = keep
        due.sort(key=lambda item: (item[0], item[1], item[2]))
        index = 0
        while index < len(due):
            day, _key, kind, loan = due[index]
            index += 1
            if kind == "apply":
                if loan.priority > 1 and loan.principal > room:
                    self._postpone(loan)
                    continue
                if not self._apply(loan):
                    continue
                room -= loan.principal if loan.priority > 1 else 0
                if loan.decided_on is not None and loan.decided_on <= last_day:
                    position = bisect.bisect(due, (loan.decided_on, loan.key, "decide"),
                                             lo=index, key=lambda item: item[:3])
                    due.insert(position, (loan.decided_on, loan.key, "decide", loan))
                else:
                    self.to_decide.append(loan)
                continue
            self._at(day, lambda loan=loan: financing.decide(
                self.manager, loan.id, loan.approve, loan.reason))
            if loan.approve and loan.disburse_on is not None:
                self.approved.append(loan)

    def _apply(self, loan: _Loan) -> bool:
        data = financing.ApplicationInput(
            product_code=loan.product, principal=loan.principal,
            instalments=loan.instalments, frequency=loan.frequency, purpose=loan.purpose,
            member_id=loan.member_id, kube_id=loan.kube_id, rate_bp=loan.rate_bp,
            nisbah_pct=loan.nisbah_pct, goods=loan.goods, supplier=loan.supplier,
            cost_price=loan.cost_price, shares=loan.shares, collateral=loan.collateral,
            monthly_income=loan.income, monthly_expense=loan.expense,
            assessment=loan.assessment, coordinator_name=loan.coordinator,
            coordinator_approved_on=loan.coordinator_on, applied_on=loan.applied_on)
        try:
            loan.id = int(self._at(loan.applied_on,
                                   lambda: financing.apply(self.teller, data)))  # type: ignore[arg-type]
        except ValidationError:
            if not loan.graduate:
                raise
            # Not yet ready (the Kube's stage): the member asks again a month later.
            self._postpone(loan)
            return False
        (loan.number,) = self.book.raw().execute(
            "SELECT number FROM financing WHERE id = ?", (loan.id,)).fetchone()
        return True

    def _disbursements(self, first_day: dt.date, last_day: dt.date, out: list[Entry]) -> None:
        """Pay out the akad of the month as far as the bank allows. The Kube, the graduates
        and the cases the demo must show are paid out on time, with a loan to the BMT in
        the month its own money falls short; an ordinary member's akad waits a month, and
        after two months the member withdraws the application."""
        due = sorted((loan for loan in self.approved if loan.disburse_on <= last_day),
                     key=lambda loan: (loan.priority, loan.disburse_on, loan.key))
        if not due:
            return
        budget, ahead = self._money(first_day, last_day)
        firm = [loan for loan in due if loan.priority <= 1]
        need = sum(loan.principal - self.products[loan.product].admin_fee for loan in firm)
        if need > budget:
            amount = -(-(need - budget + SAFETY) // FUNDING_UNIT) * FUNDING_UNIT
            day = max(first_day, min(loan.disburse_on for loan in firm))
            out.append((day, FUNDING_TEXT, [LineSpec(TELLER_CASH, debit=amount),
                                            LineSpec(FUNDING, credit=amount)],
                        "JU", self.manager.actor))
            budget += amount
        ahead -= sum(loan.principal for loan in firm if loan.priority < 0)
        for loan in due:
            net = loan.principal - self.products[loan.product].admin_fee
            if loan.priority > 1 and net > budget - ahead:
                # The bank cannot pay it out this month: the akad waits for the next.
                loan.waited += 1
                later = add_months(loan.disburse_on, 1)
                loan.disburse_on = later if later > last_day else last_day + dt.timedelta(1)
                if loan.waited > 2 or loan.disburse_on > self.end:
                    self.approved.remove(loan)
                    if loan.waited > 2:
                        day = min(self.end, last_day)
                        # Approved already: only a manager may cancel the akad.
                        self._at(day, lambda loan=loan: financing.cancel(
                            self.manager, loan.id, "Dana BMT belum tersedia; anggota menarik "
                                                   "pengajuannya"))
                continue
            budget -= net
            self.approved.remove(loan)
            self._disburse(loan, max(loan.disburse_on, first_day), out)

    def _disburse(self, loan: _Loan, day: dt.date, out: list[Entry]) -> None:
        """What ``financing.disburse`` writes for a cash disbursement, without the drawer."""
        product = self.products[loan.product]
        first = first_due_after(day, loan.frequency)
        schedule = self._write_schedule(loan, day, first)
        margin = sum(i.margin for i in schedule)
        akad, fee, member = product.akad, product.admin_fee, loan.member_id
        lines = [LineSpec(RECEIVABLE[akad], debit=loan.principal + (
            margin if akad == "murabahah" else 0), memo=DISBURSE, member_id=member,
            financing_id=loan.id)]
        if akad == "murabahah" and margin:
            lines.append(LineSpec(DEFERRED_MARGIN, credit=margin, memo=DISBURSE,
                                  member_id=member, financing_id=loan.id))
        # A qardh comes from the Maal side, which never meets income in one journal: its
        # real admin cost is taken in a journal of its own.
        separate_fee = fee if akad == "qardh" else 0
        if fee and not separate_fee:
            lines.append(LineSpec(ADMIN_INCOME, credit=fee, memo=ADMIN, member_id=member,
                                  financing_id=loan.id))
        lines.append(LineSpec(TELLER_CASH, credit=loan.principal - fee + separate_fee))
        out.append((day, _("Disbursement of {number} ({akad})").format(
            number=loan.number, akad=akad), lines, "KW", None))
        if separate_fee:
            out.append((day, _("Admin cost of {number}").format(number=loan.number),
                        [LineSpec(TELLER_CASH, debit=separate_fee),
                         LineSpec(ADMIN_INCOME, credit=separate_fee, memo=ADMIN,
                                  member_id=member, financing_id=loan.id)], "KW", None))
        conn = self.book.raw()
        conn.execute(
            "UPDATE financing SET status = 'cair', disbursed_on = ?, disbursed_to = 'tunai', "
            "savings_account_id = NULL, first_due_on = ?, schedule_version = ?, "
            "margin_total = ? WHERE id = ?", (day.isoformat(), first.isoformat(), 1, margin,
                                             loan.id))
        loan.disburse_on, loan.disbursed = day, True
        # What ``facts`` reads back from the rows just written (nothing paid yet).
        loan.f = FinancingFacts(
            id=loan.id, number=loan.number, akad=akad, status="cair", member_id=member,
            kube_id=loan.kube_id, principal=loan.principal, margin_total=margin,
            margin_discount=0, version=1, paid_principal=0, paid_margin=0, written_off=0,
            recovered=0, schedule=schedule, states=schedule_state(schedule, 0, 0), charges=[])
        loan.first_unpaid = first
        self._story(loan)
        self.active.append(loan)
        self.month_disbursed.append(loan)

    def _write_schedule(self, loan: _Loan, day: dt.date, first: dt.date) -> list:
        """What ``financing.write_schedule`` writes for the akad's schedule (version 1).
        Its own lookup of the financing's last journal reads every journal of the book to
        find none (a financing not yet disbursed has none), far too slow for a bulk load."""
        product = self.products[loan.product]
        schedule = build_schedule(loan.principal, loan.rate_bp, loan.instalments,
                                  loan.frequency, first, method=product.method,
                                  rounding_unit=product.rounding_unit)
        conn = self.book.raw()
        conn.executemany(
            "INSERT INTO financing_schedule (financing_id, version, number, due_on, principal, "
            "margin) VALUES (?, ?, ?, ?, ?, ?)",
            [(loan.id, 1, i.number, i.due_on.isoformat(), i.principal, i.margin)
             for i in schedule])
        conn.execute(
            "INSERT INTO financing_schedule_version (financing_id, version, started_on, "
            "paid_principal_before, paid_margin_before, last_journal_id, reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (loan.id, 1, day.isoformat(), 0, 0, None, _("Akad")))
        return schedule

    # ------------------------------------------------------------------------- the stories
    def _due_plan(self, loan: _Loan, delay: Callable[[], int], *, start: int = 0,
                  stop: int | None = None, not_before: dt.date | None = None) -> None:
        """Pay dates: each instalment from ``start`` on its due date plus ``delay()`` days,
        never earlier than the one before (nor than ``not_before``), until ``stop``."""
        schedule = loan.f.schedule
        last = not_before or loan.disburse_on
        # Who stops paying pays each instalment before the first one left unpaid falls due.
        limit = schedule[stop].due_on - dt.timedelta(days=1) \
            if stop is not None and stop < len(schedule) else dt.date.max
        for index, item in enumerate(schedule):
            if index < start:
                continue
            if stop is not None and index >= stop:
                break
            day = max(min(item.due_on + dt.timedelta(days=delay()), limit), last)
            if day > self.end:
                break
            if not loan.plan or loan.plan[-1][0] != day:
                loan.plan.append((day, 1, "due", 0))
            last = day

    def _index_due(self, loan: _Loan, low: dt.date, high: dt.date, *, last: bool = False
                   ) -> int | None:
        found = [i for i, item in enumerate(loan.f.schedule) if low <= item.due_on <= high]
        if not found:
            return None
        return found[-1] if last else found[0]

    def _story(self, loan: _Loan) -> None:
        rng, end, story = loan.rng, self.end, loan.story
        days = dt.timedelta
        schedule = loan.f.schedule

        def on_time() -> int:
            return 0 if rng.random() < 0.85 else rng.randint(1, 4)

        def late() -> int:
            return rng.randint(3, 35) if rng.random() < 0.7 else 0

        if story == "kube":
            self._due_plan(loan, lambda: 0)
        elif story == "kube_telat":
            self._due_plan(loan, lambda: rng.choice((0, 0, 3, 6, 10)))
        elif story == "telat":
            self._due_plan(loan, late)
        elif story in ("tepat", "dpk"):
            stop = None
            if story == "dpk":
                stop = self._index_due(loan, end - days(60), end - days(5), last=True)
            self._due_plan(loan, on_time, stop=stop)
            if loan.product == "MDU":
                self._profit_reports(loan)
        elif story == "hapus":
            # Never paid: the member left the village; written off once Macet, a little
            # recovered from the family later.
            write_off = schedule[0].due_on + days(rng.randint(183, 186))
            if write_off <= end - days(12):
                loan.events.append((write_off, 9, "write_off",
                                    "Anggota pindah ke luar kota, usaha tutup; penagihan "
                                    "tidak berhasil"))
                recover = self._day_between(rng, write_off + days(8),
                                            min(end, write_off + days(45)))
                loan.plan.append((recover, 1, "recover", _round(loan.principal * 0.1)))
        elif story == "macet":
            stop = self._index_due(loan, loan.disburse_on, end - days(181), last=True)
            self._due_plan(loan, on_time, stop=stop if stop is not None else 0)
        elif story == "diragukan":
            stop = self._index_due(loan, end - days(180), end - days(121))
            self._due_plan(loan, on_time, stop=stop)
        elif story == "kurang_lancar":
            stop = self._index_due(loan, end - days(120), end - days(91))
            self._due_plan(loan, on_time, stop=stop)
        elif story == "berhenti":
            stop = loan.rng.randint(1, max(1, len(schedule) - 1))
            self._due_plan(loan, late, stop=stop)
            missed = schedule[stop].due_on if stop < len(schedule) else None
            if missed is not None:
                day = missed + days(rng.randint(185, 240))
                write_off = month_end(day.year, day.month)
                if write_off <= end:
                    loan.events.append((write_off, 9, "write_off",
                                        "Usaha bangkrut, anggota tidak sanggup membayar"))
                    if rng.random() < 0.5 and write_off + days(10) <= end:
                        loan.plan.append((self._day_between(
                            rng, write_off + days(10), min(end, write_off + days(90))), 1,
                            "recover", _round(loan.principal * rng.choice((0.05, 0.1, 0.2)))))
        elif story == "sulit":
            self._hardship(loan)
        elif story == "sengaja":
            self._wilful(loan)
        elif story == "lunas_cepat":
            # A few instalments on time, then the rest at once, before the next falls due.
            fits = [k for k in range(1, min(5, len(schedule) - 1))
                    if schedule[k - 1].due_on + days(15) <= end]
            k = rng.choice(fits[1:] or fits) if fits else None
            if k is None:
                self._due_plan(loan, on_time)
            else:
                self._due_plan(loan, lambda: 0, stop=k)
                loan.plan.append((schedule[k - 1].due_on + days(rng.randint(5, 15)), 1,
                                  "settle", 0))
        loan.plan.sort()
        loan.events.sort(key=lambda event: event[:2])

    def _hardship(self, loan: _Loan) -> None:
        """Pays, then the harvest fails: a ta'zir is imposed for the late instalment, waived
        when the hardship is known, and the rest is rescheduled over more months."""
        schedule, days, end = loan.f.schedule, dt.timedelta, self.end
        k = next((k for k in (2, 1) if k < len(schedule) - 1
                  and schedule[k].due_on + days(17) <= end), None)
        if k is None:
            self._due_plan(loan, lambda: 0)
            return
        impose = schedule[k].due_on + days(10)
        waive, approve = impose + days(4), impose + days(7)
        self._due_plan(loan, lambda: 0, stop=k)
        loan.events += [
            (impose, 1, "tazir", "Terlambat membayar angsuran lebih dari sepekan"),
            (waive, 2, "waive", "Gagal panen karena banjir; anggota tidak mampu, bukan "
                                "sengaja menunda"),
            (waive, 3, "reschedule_request", (len(schedule) - k + 4, "Gagal panen karena "
                                              "banjir; angsuran diperpanjang empat bulan",
                                              add_months(approve, 1))),
            (approve, 4, "reschedule_decide", "Disetujui komite: usaha masih berjalan, "
                                              "kemampuan angsur turun sementara"),
        ]

    def _wilful(self, loan: _Loan) -> None:
        """Able to pay but delays: a ta'zir (to the social fund) and the real cost of the
        collection visit (ta'widh); both paid with the arrears early the next month."""
        schedule, days, end, rng = loan.f.schedule, dt.timedelta, self.end, loan.rng
        k = 1
        missed = schedule[k].due_on
        impose = month_end(missed.year, missed.month)
        if (impose - missed).days < 7:
            nxt = impose + days(1)
            impose = month_end(nxt.year, nxt.month)
        pay = impose + days(rng.randint(3, 8))
        if pay > end or len(schedule) < 3:
            self._due_plan(loan, lambda: 0)
            return
        self._due_plan(loan, lambda: 0, stop=k)
        loan.events += [
            (impose, 1, "tazir", "Mampu membayar tetapi sengaja menunda setelah ditagih dua "
                                 "kali"),
            (impose, 2, "tawidh", (35_000, "Biaya nyata kunjungan penagihan ke rumah anggota "
                                           "(transport petugas dua kali)")),
        ]
        self._due_plan(loan, lambda: 0 if rng.random() < 0.8 else rng.randint(1, 3), start=k,
                       not_before=pay)

    def _profit_reports(self, loan: _Loan) -> None:
        """Mudharabah: the member reports each month's realised profit at the month's end;
        the BMT's share by the nisbah falls due with the next instalment."""
        rng = loan.rng
        last_due = loan.f.schedule[-1].due_on
        day = month_end(loan.disburse_on.year, loan.disburse_on.month)
        if (day - loan.disburse_on).days < 10:
            nxt = day + dt.timedelta(days=1)
            day = month_end(nxt.year, nxt.month)
        while day < last_due and day <= self.end:
            base = loan.principal * rng.randint(25, 60) // 1000
            profit = -rng.randint(1, 4) * 25_000 if rng.random() < 0.1 else base // 1000 * 1000
            loan.events.append((day, 5, "profit", profit))
            nxt = day + dt.timedelta(days=1)
            day = month_end(nxt.year, nxt.month)

    # ---------------------------------------------------------------------------- payments
    def _payments(self, loan: _Loan, last_day: dt.date, out: list[Entry]) -> None:
        while loan.plan and loan.plan[0][0] <= last_day and loan.f.status == "cair":
            day, _order, kind, amount = loan.plan.pop(0)
            if kind == "due":
                self._pay_due(loan, day, out)
            elif kind == "settle":
                self._settle(loan, day, out)
        while loan.plan and loan.plan[0][0] <= last_day and loan.f.status == "hapus_buku":
            day, _order, kind, amount = loan.plan.pop(0)
            if kind == "recover":
                self._recover(loan, day, amount, out)

    def _post(self, f: FinancingFacts, day: dt.date, description: str,
              lines: list[LineSpec], out: list[Entry]) -> None:
        """What the services' ``_post_payment`` posts for a payment in cash: the lines with
        the cash the member pays; a ta'zir, social-fund money that never meets income in one
        journal, as a second journal of its own."""
        maal = [line for line in lines if line.account_code in financing_payments.MAAL_ACCOUNTS]
        rest = [line for line in lines if line.account_code not in financing_payments.MAAL_ACCOUNTS]
        for part, text in ((rest, description),
                           (maal, _("Ta'zir of {number} (social fund)").format(number=f.number))):
            if not part:
                continue
            value = sum(line.credit - line.debit for line in part)
            # Money paid back to the member (never in these stories) goes last, where the
            # demo's month-end count of the teller's cash looks for cash paid out.
            out.append((day, text, [LineSpec(TELLER_CASH, debit=value), *part] if value >= 0
                        else [*part, LineSpec(TELLER_CASH, credit=-value)], "KW", None))

    def _pay_due(self, loan: _Loan, day: dt.date, out: list[Entry]) -> None:
        """Everything fallen due, charges included, shared out in the office's order."""
        f = loan.f
        due = f.charges_left + sum(s.left for s in f.states if s.due_on <= day)
        if due:
            allocation = allocate(due, f.states, f.open_charges(), day, self.order)
            self._post(f, day, _("Instalment of {number}").format(number=f.number),
                       financing_payments.payment_lines(f, allocation, f.member_id), out)
            loan.f = f.after(allocation)
        self._after_payment(loan, day)

    def _after_payment(self, loan: _Loan, day: dt.date) -> None:
        loan.first_unpaid = next((s.due_on for s in loan.f.states if s.left), None)
        if loan.f.owed == 0:
            loan.f = replace(loan.f, status="lunas")
            loan.settled_on = day
            self.active.remove(loan)
            self.month_settled.append(loan)

    def _settle(self, loan: _Loan, day: dt.date, out: list[Entry]) -> None:
        """What ``settle_early`` posts: the principal left, the margin of periods passed and
        the charges; the margin of periods not yet passed is not charged."""
        f = loan.f
        result = early_settlement(f.states, day)
        allocation = Allocation(result.principal, result.margin,
                                {c.id: c.left for c in f.open_charges()})
        lines = financing_payments.payment_lines(f, allocation, f.member_id)
        if result.discount and f.akad == "murabahah":
            lines += [LineSpec(DEFERRED_MARGIN, debit=result.discount, memo=DISCOUNT,
                               member_id=f.member_id, financing_id=f.id),
                      LineSpec(RECEIVABLE[f.akad], credit=result.discount, memo=DISCOUNT,
                               member_id=f.member_id, financing_id=f.id)]
        if result.prepaid:  # margin paid ahead for periods not passed: back out of income
            lines.append(LineSpec(INCOME[f.akad], debit=result.prepaid, memo=MARGIN,
                                  member_id=f.member_id, financing_id=f.id))
        self._post(f, day, _("Early settlement of {number}").format(number=f.number), lines,
                   out)
        not_charged = result.discount + result.prepaid
        self.book.raw().execute("UPDATE financing SET margin_discount = margin_discount + ? "
                                "WHERE id = ?", (not_charged, f.id))
        after = f.after(allocation)
        loan.f = replace(after, paid_margin=after.paid_margin - result.prepaid,
                         margin_discount=f.margin_discount + not_charged)
        loan.settled_early = (result.discount, result.prepaid)
        loan.plan.clear()
        self._after_payment(loan, day)

    def _recover(self, loan: _Loan, day: dt.date, amount: int, out: list[Entry]) -> None:
        f = loan.f
        amount = min(amount, f.written_off - f.recovered)
        if amount <= 0:
            return
        out.append((day, _("Recovery on written-off {number}").format(number=f.number),
                    [LineSpec(TELLER_CASH, debit=amount),
                     LineSpec(financing_payments.BENEVOLENCE_FUND if f.akad == "qardh"
                              else RECOVERY_INCOME, credit=amount, memo=RECOVERY,
                              member_id=f.member_id, financing_id=f.id)], "KW", None))
        loan.f = replace(f, recovered=f.recovered + amount)

    # ------------------------------------------------------------------------ month's end
    def close_month(self, year: int, month: int, last_day: dt.date) -> None:
        """After the month's postings: the audit of disbursements and settlements, the
        manager's and teller's acts of the month through the services, the PPAP reserve at
        the month's end (before a write-off on that day draws on it)."""
        if not self.loans:
            return
        conn = self.book.raw()
        with self.book.transaction():
            self._audit_month(conn)
        events = sorted(((day, order, loan.key, kind, payload, loan)
                         for loan in self.active for day, order, kind, payload in loan.events
                         if day <= last_day), key=lambda event: event[:3])
        for loan in {event[5].key: event[5] for event in events}.values():
            loan.events = [event for event in loan.events if event[0] > last_day]
        # A write-off on the month's last day draws on that day's reserve.
        late = [event for event in events if event[0] == last_day
                and event[3] in ("write_off", "profit")]
        for day, _order, _key, kind, payload, loan in events:
            if not (day == last_day and kind in ("write_off", "profit")):
                self._event(loan, day, kind, payload)
        self._reserve(last_day)
        for day, _order, _key, kind, payload, loan in late:
            self._event(loan, day, kind, payload)

    def _audit_month(self, conn) -> None:  # noqa: ANN001 - sqlite3.Connection
        chain = ChainWriter(conn)
        rows = []
        teller = self.teller.actor
        if self.month_disbursed:
            ids = [loan.id for loan in self.month_disbursed]
            docs = dict(conn.execute(
                f"SELECT l.financing_id, j.doc_number FROM journal_line l JOIN journal j "
                f"ON j.id = l.journal_id WHERE l.financing_id IN ({','.join('?' * len(ids))}) "
                f"AND l.memo = ?", (*ids, DISBURSE)))
            for seconds, loan in enumerate(self.month_disbursed):
                rows.append(chain.entry(
                    teller, "financing.disburse", "financing", loan.id,
                    after={"journal": docs[loan.id], "to": "tunai",
                           "first_due": loan.f.schedule[0].due_on.isoformat(),
                           "margin": loan.f.margin_total, "version": 1},
                    ts=_stamp(loan.disburse_on, 60 + seconds)))
        for seconds, loan in enumerate(self.month_settled):
            if loan.settled_early is not None:
                (doc,) = conn.execute(
                    "SELECT doc_number FROM journal WHERE date = ? AND description = ?",
                    (loan.settled_on.isoformat(), _("Early settlement of {number}").format(
                        number=loan.number))).fetchone()
                discount, prepaid = loan.settled_early
                rows.append(chain.entry(
                    teller, "financing.early_settlement", "financing", loan.id,
                    after={"journal": doc, "discount": discount, "prepaid_margin": prepaid},
                    ts=_stamp(loan.settled_on, 120 + seconds)))
            conn.execute("UPDATE financing SET status = 'lunas', closed_on = ? WHERE id = ?",
                         (loan.settled_on.isoformat(), loan.id))
            rows.append(chain.entry(teller, "financing.settled", "financing", loan.id,
                                    before={"status": "cair"}, after={"status": "lunas"},
                                    ts=_stamp(loan.settled_on, 121 + seconds)))
        chain.write(rows)
        self.month_disbursed, self.month_settled = [], []

    def _event(self, loan: _Loan, day: dt.date, kind: str, payload: object) -> None:
        """One act of the manager or the teller, through its service, as on ``day``."""
        if loan.f.status != "cair":
            return
        manager, teller, fid = self.manager, self.teller, loan.id
        if kind == "tazir":
            loan.tazir_id = self._at(day, lambda: financing_payments.impose_tazir(
                manager, fid, str(payload)))
        elif kind == "tawidh":
            amount, reason = payload  # type: ignore[misc]
            self._at(day, lambda: financing_payments.record_tawidh(manager, fid, amount, reason))
        elif kind == "waive":
            self._at(day, lambda: financing_payments.waive_charge(manager, loan.tazir_id,
                                                                  str(payload)))
        elif kind == "reschedule_request":
            count, reason, first = payload  # type: ignore[misc]
            loan.reschedule_id = self._at(day, lambda: financing_payments.request_reschedule(
                teller, fid, count, "bulanan", first, reason))
        elif kind == "reschedule_decide":
            self._at(day, lambda: financing_payments.decide_reschedule(
                manager, loan.reschedule_id, True, str(payload)))
        elif kind == "write_off":
            late = loan.first_unpaid
            if late is None or (day - late).days <= self.rules.d_max:
                # Not Macet yet: the manager waits for the month it is.
                later = late + dt.timedelta(days=self.rules.d_max + 1) if late else None
                if later is not None and month_end(later.year, later.month) <= self.end:
                    loan.events.append((month_end(later.year, later.month), 9, kind, payload))
                return
            self._at(day, lambda: financing_payments.write_off(manager, fid, str(payload)))
        elif kind == "profit":
            self._at(day, lambda: financing_payments.report_profit(teller, fid, day, payload))
        loan.f = facts(self.book.raw(), fid)
        loan.first_unpaid = next((s.due_on for s in loan.f.states if s.left), None)
        if kind == "reschedule_decide":
            # The new schedule, paid on time from its first due date.
            loan.plan = [p for p in loan.plan if p[2] == "recover"]
            self._due_plan(loan, lambda: 0 if loan.rng.random() < 0.85
                           else loan.rng.randint(1, 3), not_before=day)
        if loan.f.status == "hapus_buku":
            self.active.remove(loan)
            self.recovering.append(loan)

    def _reserve(self, last_day: dt.date) -> None:
        """The month-end PPAP, as ``post_reserve`` would post it: each running financing's
        collectibility on the day, its reserve rate of what the collateral does not cover."""
        required = 0
        for loan in self.active:
            late = loan.first_unpaid
            days = (last_day - late).days if late is not None and late < last_day else 0
            required += reserve(loan.f.left_principal, loan.eligible, classify(days, self.rules),
                                self.rules)
        conn = self.book.raw()
        (held,) = conn.execute("SELECT -balance FROM account WHERE code = ?",
                               (PPAP_RESERVE,)).fetchone()
        change = required - held
        if not change:
            return
        lines = [LineSpec(PPAP_EXPENSE, debit=change), LineSpec(PPAP_RESERVE, credit=change)] \
            if change > 0 else [LineSpec(PPAP_RESERVE, debit=-change),
                                LineSpec(PPAP_EXPENSE, credit=-change)]
        with self.book.transaction():
            writer = LedgerWriter(conn)
            writer.post(JournalSpec(last_day, _("PPAP reserve to {amount}").format(
                amount=format_rupiah(required)), lines), self.manager.actor,
                created_at=_stamp(last_day, 8 * 3600))
            writer.flush()
