"""The demo book's Kube: ten groups of about ten households across RW 01–02 and RT 1–8 with
the Sukajaya businesses, formed when the programme started, meeting monthly, collecting the
solidarity levy (IKS), visited quarterly, with rising incomes and one bank linkage."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from dataclasses import dataclass, field

from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.store.audit import SYSTEM, Actor, ChainWriter

KUBE = (
    ("Kube Mawar", "Warung sayuran", "Etalase dan timbangan"),
    ("Kube Melati", "Pembuatan kompos", "Mesin pencacah kompos"),
    ("Kube Anggrek", "Candak kulak", "Gerobak dorong"),
    ("Kube Kenanga", "Ternak ayam", "Kandang dan 100 ekor bibit ayam"),
    ("Kube Dahlia", "Ternak itik", "Kandang dan 80 ekor bibit itik"),
    ("Kube Cempaka", "Pertanian", "Pompa air dan cangkul"),
    ("Kube Flamboyan", "Menjahit", "Dua mesin jahit"),
    ("Kube Teratai", "Pembuatan tas", "Mesin jahit kulit"),
    ("Kube Sedap Malam", "Anyaman bambu", "Peralatan anyam dan bahan bambu"),
    ("Kube Kamboja", "Warung kelontong", "Rak dan modal barang"),
)
IKS_PER_MEETING = 2_000
PROBLEMS = (
    ("Harga bahan baku naik", "Membeli bersama lewat bendahara"),
    ("Anggota terlambat setor", "Ketua mengunjungi anggota"),
    ("Pemasaran sepi", "Titip jual di warung desa"),
    ("Alat rusak", "Diperbaiki dengan dana IKS"),
)


@dataclass
class DemoKube:
    id: int
    code: str
    formed: dt.date
    members: list[int] = field(default_factory=list)


def create_kube(conn: sqlite3.Connection, rng: random.Random, people: list, start: dt.date
                ) -> list[DemoKube]:
    """Form the groups from the earliest members, neighbours together; audited."""
    chain = ChainWriter(conn)
    audit = []
    formed = start + dt.timedelta(days=95)
    founders = sorted((p for p in people if p.join <= formed),
                      key=lambda p: conn.execute("SELECT rw, rt FROM member WHERE id = ?",
                                                 (p.id,)).fetchone() + (p.id,))
    count = min(len(KUBE), len(founders) // 5)
    if not count:
        return []
    cursor = conn.execute(
        "INSERT INTO kube_federation (name, level, coordinator, supervisor, formed_on) "
        "VALUES (?, 'desa', ?, ?, ?)",
        ("Federasi Kube Sukajaya", "Bapak H. Oman Rohmat", "Dinas Sosial Kab. Pandeglang",
         formed.isoformat()))
    federation = cursor.lastrowid
    audit.append(chain.entry(SYSTEM, "kube_federation.create", "kube_federation", federation,
                             after={"name": "Federasi Kube Sukajaya"}))
    size = min(10, len(founders) // count)
    kubes = []
    for index in range(count):
        name, business, item = KUBE[index]
        group = founders[index * size:(index + 1) * size]
        rw, rt = conn.execute("SELECT rw, rt FROM member WHERE id = ?", (group[0].id,)).fetchone()
        code = f"KUBE-{index + 1:03d}"
        cursor = conn.execute(
            "INSERT INTO kube (code, name, business_type, rt, rw, desa, formed_on, status, "
            "federation_id, pendamping) VALUES (?, ?, ?, ?, ?, 'Sukajaya', ?, 'aktif', ?, ?)",
            (code, name, business, rt, rw, formed.isoformat(), federation,
             "Ibu Neneng Kurniasih (pendamping)"))
        kube = DemoKube(int(cursor.lastrowid), code, formed, [p.id for p in group])
        kubes.append(kube)
        conn.executemany("INSERT INTO kube_member (kube_id, member_id, joined_on) "
                         "VALUES (?, ?, ?)", [(kube.id, m, formed.isoformat())
                                              for m in kube.members])
        for role, member in zip(("ketua", "sekretaris", "bendahara"), kube.members, strict=False):
            conn.execute("INSERT INTO kube_officer (kube_id, member_id, role, term_start) "
                         "VALUES (?, ?, ?, ?)", (kube.id, member, role, formed.isoformat()))
        conn.execute(
            "INSERT INTO stimulant_aid (kube_id, kind, item, value, source, received_on, "
            "condition, outcome) VALUES (?, 'barang', ?, ?, 'Kementerian Sosial RI', ?, "
            "'baik', 'dipakai bersama untuk usaha kelompok')",
            (kube.id, item, 2_000_000 * len(kube.members),
             (formed + dt.timedelta(days=30)).isoformat()))
        audit.append(chain.entry(SYSTEM, "kube.create", "kube", kube.id,
                                 after={"code": code, "name": name, "members": len(group)}))
    chain.write(audit)
    return kubes


def meeting_day(kube: DemoKube, year: int, month: int, last_day: dt.date) -> dt.date:
    return dt.date(year, month, min(last_day.day, 5 + kube.id))


def iks_entries(kubes: list[DemoKube], year: int, month: int, last_day: dt.date,
                first_day: dt.date) -> list[tuple[dt.date, str, list[LineSpec], str, Actor | None]]:
    """Each meeting collects the solidarity levy from every member present (most are)."""
    entries = []
    for kube in kubes:
        day = meeting_day(kube, year, month, last_day)
        if day <= kube.formed or day < first_day:
            continue
        total = IKS_PER_MEETING * len(kube.members)
        entries.append((day, f"IKS pertemuan {kube.code} {month:02d}/{year}",
                        [LineSpec("102", debit=total),
                         LineSpec("205", credit=total, memo="IKS", kube_id=kube.id)],
                        "KW", None))
        if month == 12 and kube.id % 2:
            # Before the new year the levy helps a poor family outside the group.
            help_given = 10 * IKS_PER_MEETING * len(kube.members) // 2
            entries.append((last_day, f"IKS {kube.code} untuk keluarga miskin {year}",
                            [LineSpec("205", debit=help_given, memo="IKS", kube_id=kube.id),
                             LineSpec("102", credit=help_given)], "KW", None))
    return entries


def record_month(conn: sqlite3.Connection, rng: random.Random, kubes: list[DemoKube],
                 year: int, month: int, last_day: dt.date, visitor: int, months_since: int
                 ) -> None:
    """The month's meetings with attendance and, each quarter, the mentor's visits."""
    chain = ChainWriter(conn)
    audit = []
    for kube in kubes:
        day = meeting_day(kube, year, month, last_day)
        if day <= kube.formed:
            continue
        journal = conn.execute(  # by date first: the journal_date index keeps it quick
            "SELECT id FROM journal WHERE date = ? AND description = ?",
            (day.isoformat(), f"IKS pertemuan {kube.code} {month:02d}/{year}")).fetchone()
        raised = rng.choice((0, 0, 1, 1, 2))
        solved = min(raised, rng.choice((0, 1, 1, 2)))
        problem, solution = rng.choice(PROBLEMS)
        cursor = conn.execute(
            "INSERT INTO kube_meeting (kube_id, held_on, problems, solutions, decisions, "
            "problems_raised, problems_solved, journal_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (kube.id, day.isoformat(), problem if raised else "", solution if solved else "",
             "Setoran IKS dan simpanan dicatat bendahara", raised, solved,
             journal[0] if journal else None))
        meeting = cursor.lastrowid
        conn.executemany(
            "INSERT INTO kube_attendance (meeting_id, member_id, present) VALUES (?, ?, ?)",
            [(meeting, member, int(rng.random() < 0.88)) for member in kube.members])
        audit.append(chain.entry(SYSTEM, "kube.meeting", "kube_meeting", meeting,
                                 after={"kube": kube.code, "held_on": day.isoformat()}))
        if months_since % 3 == 0:
            for member in kube.members:
                (baseline,) = conn.execute("SELECT monthly_income FROM member WHERE id = ?",
                                           (member,)).fetchone()
                # Incomes rise with the business: a few per cent a quarter, unevenly.
                growth = 1 + 0.03 * months_since / 3 * rng.uniform(0.4, 1.4)
                income = int(baseline * growth) // 10_000 * 10_000
                status = "berkembang" if growth > 1.2 else "berjalan"
                cursor = conn.execute(
                    "INSERT INTO monitoring_visit (member_id, visited_on, monthly_income, "
                    "business_status, notes, visited_by) VALUES (?, ?, ?, ?, ?, ?)",
                    (member, last_day.isoformat(), income, status,
                     "Kunjungan pendamping", visitor))
                audit.append(chain.entry(SYSTEM, "kube.visit", "monitoring_visit",
                                         cursor.lastrowid,
                                         after={"member_id": member, "income": income}))
    chain.write(audit)


def link_first_kube(conn: sqlite3.Connection, kubes: list[DemoKube], end: dt.date) -> None:
    """After four years the strongest group borrows from a bank under PHBK."""
    if not kubes or (end - kubes[0].formed).days < 4 * 365:
        return
    day = kubes[0].formed + dt.timedelta(days=4 * 365 + 30)
    cursor = conn.execute(
        "INSERT INTO bank_linkage (kube_id, model, bank, linked_on, amount, status) "
        "VALUES (?, 'tanggung_renteng', 'BRI Unit Cadasari', ?, 25000000, 'berjalan')",
        (kubes[0].id, day.isoformat()))
    chain = ChainWriter(conn)
    chain.write([chain.entry(SYSTEM, "kube.phbk", "bank_linkage", cursor.lastrowid,
                             after={"kube": kubes[0].code, "bank": "BRI Unit Cadasari"})])
