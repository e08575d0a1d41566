"""The demo book's training, following the Sukajaya history (seed study, domain.md §5):
social guidance at the village hall while the groups form, ten days of management training
for the Kube officers and the BMT's staff at the provincial training centre, then four days
of skills practice at a local entrepreneur's workshop for each Kube — all before the
stimulant aid. Later members get their own social guidance shortly before the end of the
history, and a skills practice is planned after it. Deterministic for a given ``rng``.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

from bmt_desktop.services.demo_kube import DemoKube
from bmt_desktop.store.audit import SYSTEM, ChainWriter

COMPLETION_PCT = 80  # the setting's default when the demo is built
SOCIAL = ("DIRI", "KERJASAMA", "KOMUNIKASI", "KEPEMIMPINAN", "PRINSIP-KUBE")
MANAGEMENT = ("KEPEMIMPINAN", "ADART", "PENAHAPAN-LKM", "PINJAMAN", "PERMOHONAN-KREDIT",
              "PENGAWASAN-KREDIT", "PHBK", "KUNJUNGAN", "RTL")
# The local entrepreneur who teaches each kind of business at their own workshop.
WORKSHOPS = {
    "Warung sayuran": ("Kios sayur Bu Entin, Pasar Cadasari", "Ibu Entin Suhaeti"),
    "Pembuatan kompos": ("Rumah kompos Pak Engkos, Sukajaya", "Bapak Engkos Kosasih"),
    "Candak kulak": ("Toko grosir H. Mamat, Cadasari", "H. Mamat Rahmat"),
    "Ternak ayam": ("Peternakan ayam Pak Dadang, Kadubeureum", "Bapak Dadang Sunarya"),
    "Ternak itik": ("Peternakan itik Pak Udin, Sukajaya", "Bapak Udin Samsudin"),
    "Pertanian": ("Kebun Kelompok Tani Harapan, Sukajaya", "Bapak Usep Ruhiyat"),
    "Menjahit": ("Konveksi Bu Imas, Pandeglang", "Ibu Imas Masitoh"),
    "Pembuatan tas": ("Bengkel tas Pak Iwan, Cadasari", "Bapak Iwan Setiawan"),
    "Anyaman bambu": ("Sanggar anyam Bu Onih, Sukajaya", "Ibu Onih Komariah"),
    "Warung kelontong": ("Toko kelontong Pak Cecep, Sukajaya", "Bapak Cecep Hidayat"),
}


@dataclass
class _Session:
    title: str
    kind: str
    start: dt.date
    days: int
    venue: str
    trainer: str
    institution: str
    topics: Sequence[str]
    people: list[dict] = field(default_factory=list)  # participant columns, plus "absent"

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days - 1)


def create_training(conn: sqlite3.Connection, rng: random.Random, kubes: list[DemoKube],
                    people: Sequence, end: dt.date) -> None:
    """Write the demo's sessions with participants, attendance and scores; audited."""
    sessions: list[_Session] = []
    if kubes:
        formed = kubes[0].formed
        sessions.append(_social(rng, kubes, formed))
        sessions.append(_management(conn, rng, kubes, formed))
        sessions.extend(_skills(conn, rng, kubes, formed))
        in_kube = {m for kube in kubes for m in kube.members}
        start = end - dt.timedelta(days=45)
        newcomers = [p.id for p in people if p.id not in in_kube and p.join <= start][:25]
        if start > formed + dt.timedelta(days=60) and len(newcomers) >= 3:
            sessions.extend(_newcomers(rng, newcomers, start, end))
    topics = dict(conn.execute("SELECT code, id FROM training_topic"))
    (manager,) = conn.execute("SELECT id FROM user WHERE username = 'manajer'").fetchone()
    chain = ChainWriter(conn)
    audit = []
    for plan in sessions:
        capacity = max(10, -(-(len(plan.people) + 5) // 5) * 5)
        cursor = conn.execute(
            "INSERT INTO training_session (title, kind, start_date, end_date, venue, trainer, "
            "institution, capacity, completion_pct, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (plan.title, plan.kind, plan.start.isoformat(), plan.end.isoformat(), plan.venue,
             plan.trainer, plan.institution, capacity, COMPLETION_PCT, manager))
        session_id = int(cursor.lastrowid)
        conn.executemany("INSERT INTO training_session_topic (session_id, topic_id) "
                         "VALUES (?, ?)", [(session_id, topics[code]) for code in plan.topics])
        register = []
        for person in plan.people:
            absent = person.pop("absent", set())
            columns = ", ".join(person)
            cursor = conn.execute(
                f"INSERT INTO training_participant (session_id, {columns}) VALUES "
                f"(?, {', '.join('?' for _c in person)})", (session_id, *person.values()))
            for n in range(plan.days):
                day = plan.start + dt.timedelta(days=n)
                if day <= end:
                    register.append((cursor.lastrowid, day.isoformat(), int(n not in absent)))
        conn.executemany("INSERT INTO training_attendance (participant_id, day, present) "
                         "VALUES (?, ?, ?)", register)
        audit.append(chain.entry(SYSTEM, "training.session_create", "training_session",
                                 session_id, after={"title": plan.title, "kind": plan.kind,
                                                    "start_date": plan.start.isoformat(),
                                                    "participants": len(plan.people)}))
    chain.write(audit)


def _absent(rng: random.Random, days: int, chance: float) -> set[int]:
    return {n for n in range(days) if rng.random() < chance}


def _social(rng: random.Random, kubes: list[DemoKube], formed: dt.date) -> _Session:
    """Three days at the village hall; the groups and their officers are chosen on the last."""
    plan = _Session("Bimbingan sosial calon anggota Kube", "sosial",
                    formed - dt.timedelta(days=2), 3, "Balai Desa Sukajaya",
                    "Drs. Asep Saepudin", "Dinas Sosial Kabupaten Pandeglang", SOCIAL)
    for kube in kubes:
        for member in kube.members:
            plan.people.append({"role": "anggota", "member_id": member, "kube_id": kube.id,
                                "absent": _absent(rng, 3, 0.03)})
    return plan


def _management(conn: sqlite3.Connection, rng: random.Random, kubes: list[DemoKube],
                formed: dt.date) -> _Session:
    """Ten days for the officers and the BMT's managers, with pre- and post-tests."""
    plan = _Session("Pelatihan manajemen pengurus Kube dan pengelola LKM-BMT", "manajemen",
                    formed + dt.timedelta(days=2), 10,
                    "Balai Latihan Dinas Sosial dan Tenaga Kerja Provinsi Banten, Rangkasbitung",
                    "Tim PINBUK Provinsi Banten",
                    "Dinas Sosial dan Tenaga Kerja Provinsi Banten bersama PINBUK", MANAGEMENT)
    officers = conn.execute(
        f"SELECT kube_id, member_id FROM kube_officer WHERE kube_id IN "
        f"({', '.join('?' for _k in kubes)}) ORDER BY kube_id, id",
        [kube.id for kube in kubes]).fetchall()
    sick = rng.randrange(len(officers)) if officers else -1  # fell ill for three days
    for index, (kube_id, member_id) in enumerate(officers):
        absent = {4, 5, 6} if index == sick else _absent(rng, 10, 0.02)
        plan.people.append({"role": "pengurus", "member_id": member_id, "kube_id": kube_id,
                            "pre_score": rng.randint(7, 13) * 5,
                            "post_score": rng.randint(13, 19) * 5, "absent": absent})
    for (user_id,) in conn.execute("SELECT id FROM user WHERE username IN ('manajer', 'kasir') "
                                   "ORDER BY id"):
        plan.people.append({"role": "staf", "user_id": user_id,
                            "pre_score": rng.randint(10, 14) * 5,
                            "post_score": rng.randint(16, 20) * 5})
    plan.people.append({"role": "staf", "name": "Bapak Ujang Sobari (Sekretaris Desa Sukajaya)",
                        "pre_score": rng.randint(8, 12) * 5,
                        "post_score": rng.randint(14, 18) * 5})
    return plan


def _skills(conn: sqlite3.Connection, rng: random.Random, kubes: list[DemoKube],
            formed: dt.date) -> list[_Session]:
    """Four days at a local workshop for each Kube, in two weeks after the management
    training; everybody attends, so the aid can follow."""
    plans = []
    for index, kube in enumerate(kubes):
        name, business = conn.execute("SELECT name, business_type FROM kube WHERE id = ?",
                                      (kube.id,)).fetchone()
        venue, trainer = WORKSHOPS.get(business, ("Balai Desa Sukajaya", "Pengusaha setempat"))
        plan = _Session(f"Praktik keterampilan {business.lower()} — {name}", "keterampilan",
                        formed + dt.timedelta(days=14 + 5 * (index % 2)), 4, venue, trainer,
                        "BMT Sukajaya Mandiri bersama pengusaha setempat", ("USAHA",))
        for member in kube.members:
            plan.people.append({"role": "anggota", "member_id": member, "kube_id": kube.id,
                                "pre_score": rng.randint(6, 12) * 5,
                                "post_score": rng.randint(13, 19) * 5})
        plans.append(plan)
    return plans


def _newcomers(rng: random.Random, members: list[int], start: dt.date, end: dt.date
               ) -> list[_Session]:
    """Social guidance for members who joined after the groups formed, and the skills
    practice planned for them after the end of the history."""
    social = _Session("Bimbingan sosial anggota baru", "sosial", start, 3,
                      "Aula BMT Sukajaya Mandiri", "Ibu Neneng Kurniasih",
                      "BMT Sukajaya Mandiri", SOCIAL)
    for member in members:
        social.people.append({"role": "anggota", "member_id": member,
                              "absent": _absent(rng, 3, 0.08)})
    planned = _Session("Praktik keterampilan usaha anggota baru", "keterampilan",
                       end + dt.timedelta(days=12), 4, "Konveksi Bu Imas, Pandeglang",
                       "Ibu Imas Masitoh", "BMT Sukajaya Mandiri bersama pengusaha setempat",
                       ("USAHA",))
    for member in members[:12]:
        planned.people.append({"role": "anggota", "member_id": member})
    return [social, planned]
