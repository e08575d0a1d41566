"""The bad-input corpus: every service a teller or manager drives, and the imports, fed
negative, zero and too-large amounts, text in number fields, far past and future dates,
closed periods, emoji, 10 000-character names, quotes and SQL-looking text, malformed files.
Each is refused with a clear Indonesian message, and the book is exactly as it was (row
counts of every table, account balances, the chain head).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest

from bmt_desktop.domain.errors import BmtError
from bmt_desktop.services import (
    drawer,
    financing,
    financing_payments,
    importing,
    kube,
    maal,
    members,
    month_end,
    report_model,
    savings,
    training,
)
from bmt_desktop.services.ledger import current_chain_head
from bmt_desktop.store.book import Book
from tests.conftest import END, demo_session
from tests.helpers.figures import count

HUGE = 10**15 + 1
AMOUNTS = [-1, 0, HUGE, "abc", "1.5", 1.5, True, None, "Rp-5.000", "١٠٠", "1e9", "🙂"]
TEXTS = ["", "   ", "x" * 10_000, "🙂🙂🙂" * 200, "a\x00b", "line\x07bell"]
DATES = [dt.date(1800, 1, 1), dt.date(2999, 1, 1), "31-02-2026", "kemarin", 20261129]
# Indonesian messages: no English glue words (the catalog has them all translated).
ENGLISH = re.compile(r"\b(the|must|is|are|not|cannot|only|should|with|from|of)\b")


class World:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.teller = demo_session(book, "kasir")
        self.manager = demo_session(book, "manajer")
        drawer.open_drawer(self.teller, 20_000_000)
        conn = book.raw()
        self.account = conn.execute(
            "SELECT s.number FROM savings_account s JOIN savings_product p ON p.id = "
            "s.product_id WHERE p.kind = 'sukarela' AND s.status = 'aktif' ORDER BY s.id "
            "LIMIT 1").fetchone()[0]
        self.member = conn.execute("SELECT id FROM member WHERE status = 'aktif' AND id NOT "
                                   "IN (SELECT member_id FROM kube_member) ORDER BY id "
                                   "LIMIT 1").fetchone()[0]
        self.kube = conn.execute("SELECT id FROM kube ORDER BY id LIMIT 1").fetchone()[0]
        self.running = conn.execute("SELECT id FROM financing WHERE status = 'cair' "
                                    "ORDER BY id LIMIT 1").fetchone()[0]
        self.approved = financing.apply(self.teller, _application(self))
        financing.decide(self.manager, self.approved, True)
        self.own = financing.apply(self.manager, _application(self))  # the manager submits


def _snapshot(book: Book) -> tuple:
    conn = book.raw()
    tables = [t for (t,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return (current_chain_head(book),
            tuple((t, conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                  for t in sorted(tables)),
            tuple(conn.execute("SELECT code, balance FROM account ORDER BY code")),
            tuple(conn.execute("SELECT id, balance FROM savings_account ORDER BY id")))


def _member(name: object = "Siti Aminah", nik: object = "3601145206790001",
            birth: object = None) -> members.MemberInput:
    return members.MemberInput(name=name, nik=nik, birth_date=birth)  # type: ignore[arg-type]


def _application(w: World, **changes: object) -> financing.ApplicationInput:
    values = dict(product_code="MRI", principal=5_000_000, instalments=12,
                  frequency="bulanan", purpose="Modal", member_id=w.member, rate_bp=1500,
                  goods="Etalase", supplier="Toko", cost_price=5_000_000,
                  collateral=[financing.Collateral("BPKB", 6_000_000, 4_000_000)])
    values.update(changes)
    return financing.ApplicationInput(**values)  # type: ignore[arg-type]


def _xlsx_garbage() -> bytes:
    return b"PK\x03\x04" + b"\x00" * 100  # a zip header and nothing else


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


Case = tuple[str, Callable[[World], object]]
CASES: list[Case] = []
for value in AMOUNTS:
    CASES += [
        (f"setoran {value!r}", lambda w, v=value: savings.deposit(w.teller, w.account, v)),
        (f"penarikan {value!r}", lambda w, v=value: savings.withdraw(w.teller, w.account, v)),
        (f"zakat {value!r}", lambda w, v=value: maal.receive(w.teller, "zakat", "Hamba", v)),
        (f"angsuran {value!r}", lambda w, v=value: financing_payments.repay(
            w.teller, w.running, v)),
        (f"pembiayaan {value!r}", lambda w, v=value: financing.apply(
            w.teller, _application(w, principal=v, cost_price=v))),
    ]
for text in TEXTS:
    CASES += [
        (f"nama anggota {text[:12]!r}", lambda w, t=text: members.register_member(
            w.teller, _member(name=t))),
        (f"nama Kube {text[:12]!r}", lambda w, t=text: kube.create_kube(
            w.teller, kube.KubeInput(name=t, formed_on=END))),
        (f"keperluan {text[:12]!r}", lambda w, t=text: financing.apply(
            w.teller, _application(w, purpose=t))),
        (f"NIK {text[:12]!r}", lambda w, t=text: members.register_member(
            w.teller, _member(nik=t))),
        (f"penyetor zakat {text[:12]!r}", lambda w, t=text: maal.receive(
            w.teller, "zakat", t, 10_000)),
    ]
for day in DATES:
    CASES += [
        (f"tanggal lahir {day!r}", lambda w, d=day: members.register_member(
            w.teller, _member(birth=d))),
        (f"pelatihan {day!r}", lambda w, d=day: training.create_session(
            w.teller, training.SessionInput("Uji", "sosial", d, d, topics=["DIRI"]))),
        (f"kunjungan {day!r}", lambda w, d=day: kube.record_visit(
            w.teller, w.member, d, 1_000_000, "berjalan")),
    ]
CASES += [
    ("tutup bulan masa depan", lambda w: month_end.run_month_end(w.manager, 2099, 1)),
    ("tutup bulan yang sudah ditutup", lambda w: month_end.run_month_end(w.manager, 2026, 1)),
    ("periode laporan masa depan", lambda w: report_model.parse_report_period(
        "2099-01", today=END)),
    ("laporan tak dikenal", lambda w: report_model.build(w.manager, "DROP TABLE", END, END)),
    ("jatuh tempo di periode tertutup", lambda w: financing.disburse(
        w.teller, w.approved, first_due=dt.date(2026, 1, 5))),
    ("jatuh tempo sebelum pencairan", lambda w: financing.disburse(
        w.teller, w.approved, first_due=END)),
    ("memutuskan yang sudah disetujui", lambda w: financing.decide(
        w.manager, w.approved, True)),
    ("penyetuju sama dengan pengaju", lambda w: financing.decide(w.manager, w.own, True)),
    ("produk tak dikenal", lambda w: financing.apply(w.teller, _application(
        w, product_code="'; DELETE FROM financing;--"))),
    ("impor: bukan lembar kerja", lambda w: _refused(importing.import_members(
        w.teller, b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, dry_run=False, file_name="x.xlsx"))),
    ("impor: zip rusak", lambda w: _refused(importing.import_members(
        w.teller, _xlsx_garbage(), dry_run=False, file_name="x.xlsx"))),
    ("impor: berkas kosong", lambda w: _refused(importing.import_members(
        w.teller, b"", dry_run=False, file_name="x.csv"))),
    ("impor: kolom hilang", lambda w: _refused(importing.import_members(
        w.teller, _csv("Nama;Alamat\nSiti;Sukajaya\n"), dry_run=False, file_name="x.csv"))),
    ("impor: NIK ganda dan teks SQL", lambda w: _refused(importing.import_members(
        w.teller, _csv("Nama;NIK\nSiti;3601145206790001\n\"Robert'); DROP TABLE member;--\";"
                       "3601145206790001\n"), dry_run=False, file_name="x.csv"))),
]


def _refused(report: object) -> None:
    """An import returns its report; a refusal is a report with problems and nothing
    committed (the caller's snapshot proves nothing was written)."""
    assert not report.ok and not report.committed  # type: ignore[attr-defined]
    messages = [p.message for p in report.problems]  # type: ignore[attr-defined]
    for message in messages:
        assert not ENGLISH.search(message), message
    raise BmtError(messages[0])


@pytest.fixture(scope="module")
def corpus_book(demo_templates, tmp_path_factory) -> Book:  # noqa: ANN001
    import shutil

    from bmt_desktop.store.book import open_book

    folder = tmp_path_factory.mktemp("corpus")
    path = folder / "demo.bmt"
    shutil.copyfile(demo_templates(40), path)
    book = open_book(path)
    yield book
    book.close()


@pytest.fixture(scope="module")
def world(corpus_book: Book) -> World:
    return World(corpus_book)


@pytest.mark.parametrize(("label", "call"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_writes_nothing(world: World, label: str,
                                                 call: Callable[[World], object]) -> None:
    before = _snapshot(world.book)
    with pytest.raises(BmtError) as refused:
        call(world)
    message = refused.value.message
    assert message.strip() and len(message) < 2_000
    assert not ENGLISH.search(message), message
    count("bad_inputs")
    assert _snapshot(world.book) == before


def test_the_session_still_works_after_the_corpus(world: World) -> None:
    posted = savings.deposit(world.teller, world.account, 10_000)
    assert posted.total == 10_000


@pytest.mark.parametrize("name", ["Robert'); DROP TABLE member;--", 'Siti "Ibu" O\'Neil',
                                  "Dewi 🌾 Lestari"])
def test_quotes_and_sql_looking_names_are_kept_verbatim(world: World, name: str) -> None:
    nik = {0: "3601145206790002", 1: "3601145206790003", 2: "3601145206790004"}[
        ["Robert'); DROP TABLE member;--", 'Siti "Ibu" O\'Neil',
         "Dewi 🌾 Lestari"].index(name)]
    row = members.register_member(world.teller, _member(name=name, nik=nik))
    assert members.get_member(world.teller, row.id).name == name
    assert world.book.raw().execute("SELECT count(*) FROM member").fetchone()[0] > 40
