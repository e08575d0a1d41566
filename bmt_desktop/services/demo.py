"""A believable demo book modelled on the Sukajaya case (domain.md §1), deterministic per seed.

Members of a village BMT in Sukajaya, Cadasari, Pandeglang pay simpanan pokok once, then
wajib (and often sukarela) at their Kube's monthly meeting; some withdraw; the office pays
salaries and costs, sweeps the teller's cash to the bank, and keeps the Maal fund apart.
Every journal goes through ``LedgerWriter`` (the same checks as a teller's posting), written
in bulk so that ``--members 50000 --years 10`` stays within minutes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bmt_desktop.domain.dates import check_posting_date, month_end
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.domain.permissions import Role
from bmt_desktop.i18n import _
from bmt_desktop.services import demo_financing, demo_kube, demo_training, year_end
from bmt_desktop.services import month_end as month_end_service
from bmt_desktop.services.auth import insert_user, login
from bmt_desktop.services.setup import init_book
from bmt_desktop.store.audit import SYSTEM, Actor, ChainWriter, fixed_clock
from bmt_desktop.store.book import Book
from bmt_desktop.store.ledger import JournalSpec, LedgerWriter

DEMO_PASSWORD = "demo1234"
# username, full name, role — documented in the README.
DEMO_USERS = (
    ("admin", "Dedi Supriadi", Role.ADMIN),
    ("manajer", "Hj. Siti Rohmah", Role.MANAGER),
    ("kasir", "Euis Nurhayati", Role.TELLER),
    ("auditor", "Drs. Ahmad Fauzi, Ak.", Role.AUDITOR),
)
MAX_MEMBERS = 200_000
MAX_YEARS = 30

POKOK = 100_000
WAJIB = 10_000
OPENING_CAPITAL = 50_000_000
TELLER_FLOAT = 5_000_000
CHUNK = 20_000  # journals per transaction

MALE = ["Asep", "Ujang", "Dede", "Endang", "Jajang", "Cecep", "Dadang", "Aep", "Iwan", "Ahmad", "Mamat", "Oman", "Udin", "Encep", "Usep", "Engkos", "Suhendi", "Rohman", "Saepul", "Iim", "Wawan", "Yayan", "Ade", "Agus"]
FEMALE = ["Siti", "Euis", "Neneng", "Imas", "Iis", "Enok", "Entin", "Yayah", "Cucu", "Ela", "Rohaeti", "Nurhayati", "Komariah", "Aisyah", "Popon", "Titin", "Onih", "Eti", "Nining", "Yeni", "Lilis", "Ai", "Tini"]
FAMILY = ["Sunarya", "Hidayat", "Suryana", "Rohmat", "Kurnia", "Mulyadi", "Saputra", "Permana", "Ruhiyat", "Hermawan", "Setiawan", "Sukmana", "Hasanudin", "Nurjaman", "Sobari", "Jaelani", "Ramdani", "Kusnadi", "Maulana", "Fauzi"]
OCCUPATIONS = (
    "Warung sayuran", "Warung kelontong", "Warung jajanan", "Pembuatan kompos", "Candak kulak",
    "Ternak ayam", "Ternak itik", "Petani", "Penjahit", "Pembuat tas", "Anyaman bambu",
)


@dataclass
class DemoResult:
    book: Book
    members: int
    journals: int
    chain_head: str


@dataclass
class _Member:
    id: int
    join: dt.date
    sukarela: int = 0
    saver: bool = False
    tm: int | None = None  # a tabungan mudharabah account, for every fourth member

    # Savings accounts: pokok, wajib and sukarela, numbered with the member.
    @property
    def sp(self) -> int:
        return 3 * self.id - 2

    @property
    def sw(self) -> int:
        return 3 * self.id - 1

    @property
    def ss(self) -> int:
        return 3 * self.id


def _nik(rng: random.Random, birth: dt.date, female: bool, used: set[str]) -> str:
    day = birth.day + (40 if female else 0)
    while True:
        # 36 Banten, 01 Pandeglang, 14 Cadasari; DDMMYY (+40 for women); serial.
        nik = f"360114{day:02d}{birth.month:02d}{birth.year % 100:02d}{rng.randint(1, 9999):04d}"
        if nik not in used:
            used.add(nik)
            return nik


def _make_members(book: Book, rng: random.Random, count: int, start: dt.date,
                  end: dt.date) -> list[_Member]:
    # Most join in the first months (the Kube of late 2004); the rest over the years.
    span = max((end - start).days - 31, 1)
    joins = sorted(
        start + dt.timedelta(days=rng.randint(0, min(90, span)) if i < count * 7 // 10
                             else rng.randint(0, span))
        for i in range(count)
    )
    used: set[str] = set()
    rows = []
    members = []
    for index, join in enumerate(joins, start=1):
        female = rng.random() < 0.6
        birth = dt.date(rng.randint(1955, 2000), rng.randint(1, 12), rng.randint(1, 28))
        name = f"{rng.choice(FEMALE if female else MALE)} {rng.choice(FAMILY)}"
        occupation = rng.choice(OCCUPATIONS)
        rows.append((
            index, f"AG-{index:06d}", name, _nik(rng, birth, female, used),
            "P" if female else "L", birth.isoformat(), f"{rng.randint(1, 8):03d}",
            f"{rng.randint(1, 2):03d}", "Sukajaya", "Cadasari", "Pandeglang",
            occupation, join.isoformat(), "aktif", f"08{rng.randint(1000000000, 9999999999)}",
            occupation, rng.randint(2, 7), int(rng.random() < 0.7),
            rng.randint(12, 50) * 50_000, name.lower(),
        ))
        members.append(_Member(index, join, saver=rng.random() < 0.55))
    columns = ("id", "number", "name", "nik", "sex", "birth_date", "rt", "rw", "desa",
               "kecamatan", "kabupaten", "occupation", "join_date", "status", "phone",
               "business_type", "household_size", "dtks", "monthly_income", "search_key")
    conn = book.raw()
    conn.executemany(
        f"INSERT INTO member ({', '.join(columns)}) VALUES ({', '.join('?' for _c in columns)})",
        rows,
    )
    # Every write is in the audit chain, the demo's registrations too.
    chain = ChainWriter(conn)
    chain.write([
        chain.entry(SYSTEM, "member.create", "member", row[0],
                    after=dict(zip(columns[1:-1], row[1:-1], strict=True)))
        for row in rows
    ])
    products = dict(conn.execute("SELECT code, id FROM savings_product"))
    accounts = [
        (account_id, f"{code}-{member.id:06d}", member.id, products[code],
         member.join.isoformat())
        for member in members
        for code, account_id in (("SP", member.sp), ("SW", member.sw), ("SS", member.ss))
    ]
    # Every fourth member also saves in a tabungan mudharabah, which month-end shares profit
    # with (its account numbers follow all the others).
    nisbah = conn.execute("SELECT nisbah_pct FROM savings_product WHERE code = 'TM'").fetchone()[0]
    next_id = 3 * len(members)
    tabungan = []
    for member in members:
        if member.id % 4 == 0:
            next_id += 1
            member.tm = next_id
            tabungan.append((next_id, f"TM-{member.id:06d}", member.id, products["TM"],
                             member.join.isoformat(), nisbah))
    accounts += [row[:5] for row in tabungan]
    conn.executemany(
        "INSERT INTO savings_account (id, number, member_id, product_id, opened_on) "
        "VALUES (?, ?, ?, ?, ?)", [a for a in accounts if not a[1].startswith("TM-")])
    conn.executemany(
        "INSERT INTO savings_account (id, number, member_id, product_id, opened_on, "
        "nisbah_pct) VALUES (?, ?, ?, ?, ?, ?)", tabungan)
    chain.write([
        chain.entry(SYSTEM, "savings.open", "savings_account", account[0],
                    after={"number": account[1], "member": f"AG-{account[2]:06d}"})
        for account in accounts
    ])
    return members


def _mark_passbooks_printed(book: Book, before: dt.date, lines_per_page: int = 20) -> None:
    """Passbooks were printed at every visit: all but this month's lines are in the books."""
    book.raw().execute(
        "UPDATE savings_account SET "
        "passbook_last_line_id = coalesce((SELECT max(l.id) FROM journal_line l JOIN journal j "
        "ON j.id = l.journal_id WHERE l.savings_account_id = savings_account.id "
        "AND j.date < ?1), 0), "
        "passbook_page = 1 + (SELECT count(*) FROM journal_line l JOIN journal j "
        "ON j.id = l.journal_id WHERE l.savings_account_id = savings_account.id "
        "AND j.date < ?1) / ?2, "
        "passbook_line = (SELECT count(*) FROM journal_line l JOIN journal j "
        "ON j.id = l.journal_id WHERE l.savings_account_id = savings_account.id "
        "AND j.date < ?1) % ?2",
        (before.isoformat(), lines_per_page),
    )


class _Poster:
    """Posts journals through one LedgerWriter, committing every ``CHUNK`` journals."""

    def __init__(self, book: Book, teller: Actor) -> None:
        self.book, self.teller = book, teller
        self.writer: LedgerWriter | None = None
        self.count = self.pending = 0
        self.clock_minutes = 0

    def post(self, day: dt.date, description: str, lines: list[LineSpec], kind: str = "KW",
             actor: Actor | None = None) -> None:
        if self.writer is None:
            self.book.db.begin()
            self.writer = LedgerWriter(self.book.raw())
        self.clock_minutes = (self.clock_minutes + 7) % 480
        stamp = dt.datetime.combine(day, dt.time(1, 0), tzinfo=dt.UTC) + dt.timedelta(
            minutes=self.clock_minutes
        )
        self.writer.post(JournalSpec(day, description, lines, kind), actor or self.teller,
                         created_at=stamp.isoformat(timespec="microseconds"))
        self.count += 1
        self.pending += 1
        if self.pending >= CHUNK:
            self.commit()

    def commit(self) -> None:
        if self.writer is not None:
            self.writer.flush()
            self.book.db.commit()
            self.writer = None
            self.pending = 0


def _months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def build_demo(
    path: str | Path,
    *,
    members: int = 150,
    years: int = 2,
    seed: int = 1,
    end: dt.date | None = None,
    progress: Callable[[float], None] | None = None,
) -> DemoResult:
    """Create the demo book at ``path``; same seed and end date → the same book and chain."""
    if not isinstance(members, int) or not 1 <= members <= MAX_MEMBERS:
        raise ValidationError(_("Members must be from 1 to {n}.").format(n=MAX_MEMBERS))
    if not isinstance(years, int) or not 1 <= years <= MAX_YEARS:
        raise ValidationError(_("Years must be from 1 to {n}.").format(n=MAX_YEARS))
    end = end or dt.date.today()
    check_posting_date(end, dt.date.today())
    start = dt.date(end.year - years, end.month, 1)
    rng = random.Random(seed)
    clock_day = [dt.datetime.combine(start, dt.time(0, 0), tzinfo=dt.UTC)]

    def clock() -> dt.datetime:
        clock_day[0] += dt.timedelta(seconds=1)
        return clock_day[0]

    with fixed_clock(clock):
        book = init_book(
            path,
            office_name="BMT Sukajaya Mandiri (DEMO)",
            admin_username=DEMO_USERS[0][0],
            admin_full_name=DEMO_USERS[0][1],
            admin_password=DEMO_PASSWORD,
            registration_number="DEMO/518.3/BH/KSPPS/2005",
            address="Jl. Raya Cadasari, Desa Sukajaya RT 002/RW 001, Kec. Cadasari, "
            "Kab. Pandeglang, Banten",
            is_demo=True,
        )
        try:
            with book.transaction():
                for username, full_name, role in DEMO_USERS[1:]:
                    insert_user(book, SYSTEM, username, full_name, role, DEMO_PASSWORD)
                people = _make_members(book, rng, members, start, end)
                # A second stream, so the Kube do not change the members' own history.
                kube_rng = random.Random(seed * 7919 + 1)
                kubes = demo_kube.create_kube(book.raw(), kube_rng, people, start)
                demo_training.create_training(book.raw(), random.Random(seed * 104_729 + 2), kubes, people, end)
            manager = login(book, "manajer", DEMO_PASSWORD)
            manager.today = end
            teller = login(book, "kasir", DEMO_PASSWORD).actor
            poster = _Poster(book, teller)
            # A stream of its own: the financing does not change the rest of the history.
            financing = demo_financing.FinancingHistory(
                book, random.Random(seed * 15_485_863 + 3), people, kubes, start, end, clock_day)
            _post_history(poster, manager.actor, people, rng, start, end, manager, clock_day,
                          progress, kubes, kube_rng, financing)
            with book.transaction():
                _mark_passbooks_printed(book, dt.date(end.year, end.month, 1))
                demo_kube.link_first_kube(book.raw(), kubes, end)
        except BaseException:
            # A half-built demo must not pass for a demo book on the next start.
            book.close()
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            raise
    head = book.raw().execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    # The financing's month-end reserve and write-offs are posted beside the poster.
    (journals,) = book.raw().execute("SELECT count(*) FROM journal").fetchone()
    return DemoResult(book, members, journals, head[0])


def _post_history(poster: _Poster, manager: Actor, people: list[_Member], rng: random.Random,
                  start: dt.date, end: dt.date, manager_session, clock_day,
                  progress: Callable[[float], None] | None,
                  kubes: list[demo_kube.DemoKube], kube_rng: random.Random,
                  financing: demo_financing.FinancingHistory | None = None) -> None:
    post = poster.post
    post(start, "Modal awal pendiri BMT", [LineSpec("103", debit=OPENING_CAPITAL),
                                          LineSpec("309", credit=OPENING_CAPITAL)], "JU", manager)
    post(start, "Kas awal di brankas", [LineSpec("101", debit=TELLER_FLOAT),
                                        LineSpec("103", credit=TELLER_FLOAT)], "JU", manager)
    months = _months(start, end)
    joined = 0
    active: list[_Member] = []
    bank = OPENING_CAPITAL - TELLER_FLOAT
    for index, (year, month) in enumerate(months):
        last_day = min(month_end(year, month), end)
        first_day = dt.date(year, month, 1)
        entries: list[tuple[dt.date, str, list[LineSpec], str, Actor | None]] = []
        while joined < len(people) and people[joined].join <= last_day:
            member = people[joined]
            joined += 1
            active.append(member)
            entries.append((max(member.join, first_day), f"Simpanan pokok AG-{member.id:06d}",
                            [LineSpec("102", debit=POKOK),
                             LineSpec("301", credit=POKOK, member_id=member.id,
                                      savings_account_id=member.sp, memo="SETOR")],
                            "KW", None))
        for member in active:
            # Kube meetings collect wajib quarterly; savers add sukarela; a few withdraw.
            if (month - member.join.month) % 3 == 0 and member.join < first_day:
                day = dt.date(year, month, min(last_day.day, 10 + member.id % 15))
                lines = [LineSpec("302", credit=3 * WAJIB, member_id=member.id,
                                  savings_account_id=member.sw, memo="SETOR")]
                extra = rng.choice((0, 10_000, 20_000, 25_000, 50_000, 100_000)) if member.saver else 0
                if extra and member.tm is not None:
                    lines.append(LineSpec("251", credit=extra, member_id=member.id,
                                          savings_account_id=member.tm, memo="SETOR"))
                elif extra:
                    lines.append(LineSpec("201", credit=extra, member_id=member.id,
                                          savings_account_id=member.ss, memo="SETOR"))
                    member.sukarela += extra
                lines.insert(0, LineSpec("102", debit=3 * WAJIB + extra))
                entries.append((day, f"Setoran wajib triwulan AG-{member.id:06d}", lines, "KW",
                                None))
            elif member.sukarela >= 50_000 and rng.random() < 0.03:
                amount = (member.sukarela // 2) // 5_000 * 5_000
                member.sukarela -= amount
                day = dt.date(year, month, min(last_day.day, 1 + member.id % 27))
                entries.append((day, f"Penarikan sukarela AG-{member.id:06d}",
                                [LineSpec("201", debit=amount, member_id=member.id,
                                          savings_account_id=member.ss, memo="TARIK"),
                                 LineSpec("102", credit=amount)], "KW", None))
        entries.extend(demo_kube.iks_entries(kubes, year, month, last_day, first_day))
        if financing:  # applications and disbursements of the month, then its instalments
            entries.extend(financing.entries(year, month, first_day, last_day))
        entries.sort(key=lambda e: e[0])
        # The month's counter cash: a float from the vault, back with the takings at month end
        # (the window's drawer does the same each day), so Kas Teller ends every month at 0.
        post(first_day, "Kas dari brankas ke laci teller",
             [LineSpec("102", debit=TELLER_FLOAT), LineSpec("101", credit=TELLER_FLOAT)], "JU",
             None)
        teller_cash = TELLER_FLOAT
        for day, description, lines, kind, actor in entries:
            post(day, description, lines, kind, actor)
            teller_cash += lines[0].debit if lines[0].account_code == "102" else -lines[-1].credit
        excess = teller_cash - TELLER_FLOAT
        lines = [LineSpec("101", debit=TELLER_FLOAT)]
        lines += [LineSpec("103", debit=excess)] if excess > 0 else []
        lines += ([LineSpec("102", credit=teller_cash)] if teller_cash > 0
                  else [LineSpec("102", debit=-teller_cash)] if teller_cash < 0 else [])
        lines += [LineSpec("103", credit=-excess)] if excess < 0 else []
        post(last_day, "Kas teller ke brankas, kelebihan disetor ke bank", lines, "JU", None)
        bank += excess
        salary = 1_500_000 + 2_000 * len(active)
        bank_share = bank * 3 // 1000
        post(last_day, f"Gaji pengelola {month:02d}/{year}",
             [LineSpec("521", debit=salary), LineSpec("103", credit=salary)], "JU", manager)
        post(last_day, f"Bagi hasil bank {month:02d}/{year}",
             [LineSpec("103", debit=bank_share), LineSpec("409", credit=bank_share)], "JU",
             manager)
        bank += bank_share - salary
        infak = 50_000 + 1_000 * rng.randint(0, max(1, len(active)))
        post(last_day, f"Infak dan sedekah anggota {month:02d}/{year}",
             [LineSpec("131", debit=infak), LineSpec("242", credit=infak)], "KW", None)
        if month == 9:  # zakat after the harvest
            zakat = 250_000 + 2_500 * len(active)
            post(last_day, f"Zakat hasil panen {year}",
                 [LineSpec("131", debit=zakat), LineSpec("241", credit=zakat)], "KW", None)
        poster.commit()
        with poster.book.transaction():
            demo_kube.record_month(poster.book.raw(), kube_rng, kubes, year, month, last_day,
                                   manager.user_id, index)
        if financing:  # the month's decisions, charges, write-offs and PPAP, before closing
            financing.close_month(year, month, last_day)
        # Every month but the last two goes through month-end (profit sharing, admin fees,
        # collectibility and PPAP, the close), and each December through year-end.
        if index < len(months) - 2:
            clock_day[0] = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(2, 0),
                                               tzinfo=dt.UTC)
            month_end_service.run_month_end(manager_session, year, month)
            if month == 12:
                year_end.run_year_end(manager_session, year)
        if progress:
            progress((index + 1) / len(months))
