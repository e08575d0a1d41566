"""The akad summary and the financing lines on receipts, on a real demo book.

One module-wide book is built through the services as the office would: the teller applies,
the manager decides, the teller opens a drawer and disburses, then payments come in. Each
test reads a copy of it; the PDFs are read back with pypdf.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from bmt_desktop.cli import main
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.hijri import hijri_date_id
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.terbilang import terbilang_rupiah
from bmt_desktop.printing.akad import AkadData, AkadInstalment, AkadPerson, render_akad
from bmt_desktop.services import book_settings
from bmt_desktop.services import financing as fin
from bmt_desktop.services import financing_payments as pay
from bmt_desktop.services.akad import akad_data, akad_pdf, find_financing, place_of
from bmt_desktop.services.documents import receipt_data, receipt_pdf
from bmt_desktop.services.drawer import close_drawer, current_drawer, open_drawer
from bmt_desktop.services.financing_state import facts
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book, open_book
from tests.conftest import END, demo_session, open_demo_copy

START = END - dt.timedelta(days=14)  # applied, decided and disbursed two weeks before END
DENOMINATIONS = (100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100)


@dataclass(frozen=True)
class Built:
    path: Path
    kube: int  # murabahah for Kube 1, 50 weekly instalments, disbursed
    anuitas: int  # individual anuitas murabahah, 12 monthly, disbursed, then settled early
    mudharabah: int  # approved, not disbursed: the akad is a simulation
    profit: int  # mudharabah disbursed, a profit share paid
    coordinated: int  # individual murabahah of a Kube member, with the coordinator
    pending: int
    rejected: int
    cancelled: int
    shares: tuple[tuple[int, int], ...]
    disbursement: str  # the Kube's disbursement voucher
    tazir_payment: str  # a Kube member pays the ta'zir
    kube_payment: str  # then the instalments due and the ta'widh
    advance: str  # an advance instalment of the anuitas financing
    profit_payment: str
    settlement: str  # the early settlement of the anuitas financing
    numbers: dict[int, str]  # financing id → number


def _counts(amount: int) -> dict[int, int]:
    counts = {}
    for unit in DENOMINATIONS:
        counts[unit], amount = divmod(amount, unit)
    assert amount == 0
    return counts


def _build(book: Book) -> Built:
    kasir, manajer = demo_session(book, "kasir"), demo_session(book, "manajer")
    kasir.today = manajer.today = START
    conn = book.raw()
    kube_members = [m for (m,) in conn.execute(
        "SELECT member_id FROM kube_member WHERE kube_id = 1 AND left_on IS NULL "
        "ORDER BY member_id")]
    loners = [m for (m,) in conn.execute(
        "SELECT id FROM member WHERE status = 'aktif' AND id NOT IN (SELECT member_id FROM "
        "kube_member WHERE left_on IS NULL) ORDER BY id")]
    other_kube_member = conn.execute(
        "SELECT member_id FROM kube_member WHERE kube_id = 2 AND left_on IS NULL "
        "ORDER BY member_id").fetchone()[0]
    shares = tuple((m, 1_000_000 + 250_000 * n) for n, m in enumerate(kube_members))
    total = sum(a for _m, a in shares)
    kube = fin.apply(kasir, fin.ApplicationInput(
        product_code="MRK", principal=total, instalments=50, frequency="mingguan",
        purpose="Modal warung sayuran bersama", kube_id=1, rate_bp=1800,
        goods="Etalase, timbangan dan stok sayuran awal",
        supplier="Toko Tani Makmur, Pasar Cadasari", cost_price=total + 750_000,
        shares=shares))
    anuitas = fin.apply(kasir, fin.ApplicationInput(
        product_code="MRA", principal=10_000_000, instalments=12, frequency="bulanan",
        purpose="Mesin jahit dan obras", member_id=loners[0], rate_bp=1500,
        goods="Mesin jahit dan mesin obras", supplier="CV Sinar Jaya, Pandeglang",
        cost_price=12_000_000,
        collateral=[fin.Collateral("BPKB sepeda motor Honda Beat 2019", 9_000_000, 6_000_000)]))
    mudharabah = fin.apply(kasir, fin.ApplicationInput(
        product_code="MDU", principal=6_000_000, instalments=12, frequency="bulanan",
        purpose="Usaha ternak itik petelur", member_id=loners[1], nisbah_pct=40))
    profit = fin.apply(kasir, fin.ApplicationInput(
        product_code="MDU", principal=3_000_000, instalments=6, frequency="bulanan",
        purpose="Warung kelontong", member_id=loners[2], nisbah_pct=30))
    book_settings.set_setting(manajer, "individual_min_cycles", "0")
    book_settings.set_setting(manajer, "individual_min_stage", "tumbuh")
    coordinated = fin.apply(kasir, fin.ApplicationInput(
        product_code="MRI", principal=4_000_000, instalments=12, frequency="bulanan",
        purpose="Gerobak dagang", member_id=other_kube_member, rate_bp=1200,
        goods="Gerobak dorong", supplier="Bengkel Las Jaya", cost_price=4_000_000,
        collateral=[fin.Collateral("Sertifikat tanah", 20_000_000, 15_000_000)],
        coordinator_name="Ibu Neneng Kurniasih", coordinator_approved_on=START))
    pending = fin.apply(kasir, fin.ApplicationInput(
        product_code="MDU", principal=2_000_000, instalments=6, frequency="bulanan",
        purpose="Menunggu keputusan", member_id=loners[3], nisbah_pct=40))
    rejected = fin.apply(kasir, fin.ApplicationInput(
        product_code="MDU", principal=2_000_000, instalments=6, frequency="bulanan",
        purpose="Ditolak", member_id=loners[4], nisbah_pct=40))
    cancelled = fin.apply(kasir, fin.ApplicationInput(
        product_code="MDU", principal=2_000_000, instalments=6, frequency="bulanan",
        purpose="Dibatalkan", member_id=loners[5], nisbah_pct=40))
    for financing_id in (kube, anuitas, mudharabah, profit, coordinated):
        fin.decide(manajer, financing_id, True)
    fin.decide(manajer, rejected, False, "Usaha belum berjalan")
    fin.cancel(kasir, cancelled, "Anggota mengundurkan diri")
    open_drawer(kasir, 50_000_000)
    disbursement = fin.disburse(kasir, kube).doc_number
    for financing_id in (anuitas, profit, coordinated):
        fin.disburse(kasir, financing_id)
    close_drawer(kasir, _counts(current_drawer(kasir).expected_cash))

    kasir.today = manajer.today = END
    pay.impose_tazir(manajer, kube, "Menunda angsuran padahal warung ramai")
    pay.record_tawidh(manajer, kube, 15_000, "Ongkos ojek penagihan ke rumah ketua")
    pay.report_profit(kasir, profit, END - dt.timedelta(days=1), 400_000)
    open_drawer(kasir, 5_000_000)
    # The ta'zir alone first: one journal may not hold social-fund money beside the margin
    # income (a gap of the services, reported), so it cannot ride on the instalment.
    tazir_payment = pay.repay(kasir, kube, 10_000, member_id=shares[0][0]).doc_number
    kube_payment = pay.repay(kasir, kube, pay.quote(kasir, kube).due_now,
                             member_id=shares[0][0]).doc_number
    advance = pay.repay(kasir, anuitas, 1_000_000, advance=True).doc_number
    profit_payment = pay.repay(kasir, profit, pay.quote(kasir, profit).due_now).doc_number
    settlement = pay.settle_early(kasir, anuitas).doc_number
    return Built(Path(book.path), kube, anuitas, mudharabah, profit, coordinated, pending,
                 rejected, cancelled, shares, disbursement, tazir_payment, kube_payment,
                 advance, profit_payment, settlement,
                 dict(conn.execute("SELECT id, number FROM financing")))


@pytest.fixture(scope="module")
def built(demo_templates: Callable[[int], Path],
          tmp_path_factory: pytest.TempPathFactory) -> Built:
    book = open_demo_copy(demo_templates(40), tmp_path_factory.mktemp("akad"))
    try:
        return _build(book)
    finally:
        book.close()


@pytest.fixture
def book(built: Built, tmp_path: Path) -> Book:
    path = tmp_path / "buku.bmt"
    shutil.copyfile(built.path, path)
    opened = open_book(path)
    yield opened
    opened.close()


@pytest.fixture
def teller(book: Book) -> Session:
    return demo_session(book, "kasir")


def _text(pdf: bytes) -> str:
    """The PDF's text with all runs of whitespace (line ends, no-break spaces) as one space."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _figure(value: int) -> str:
    return format_rupiah(value).removeprefix("Rp")


ROW = re.compile(r"(\d+) (\d{1,2} \w{3} \d{4}) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)")


def _number(text: str) -> int:
    return int(text.replace(".", ""))


def _doc(session: Session, financing_id: int) -> str:
    """A financing's number (the demo book may hold financing of its own before ours)."""
    return session.book.raw().execute("SELECT number FROM financing WHERE id = ?",
                                      (financing_id,)).fetchone()[0]


# --------------------------------------------------------------------------- the akad
def test_kube_murabahah_weekly_akad(teller: Session, built: Built) -> None:
    # Given the Kube's murabahah, disbursed, with 50 weekly instalments
    number = _doc(teller, built.kube)
    data = akad_data(teller, number)
    assert data.number == number and not data.simulation
    schedule = teller.book.raw().execute(
        "SELECT number, principal, margin FROM financing_schedule WHERE financing_id = ? "
        "AND version = 1 ORDER BY number", (built.kube,)).fetchall()
    principal, margin = sum(r[1] for r in schedule), sum(r[2] for r in schedule)
    assert len(schedule) == 50 and principal == 7_500_000
    # When it is printed
    pdf = akad_pdf(teller, built.kube)
    text = _text(pdf)
    # Then the akad, its fatwa and the price are there, in figures and in words
    assert "Ringkasan Akad Murabahah" in text and number in text
    assert ("Fatwa DSN-MUI No. 04/2000 tentang Murabahah dan No. 84/2012 tentang Metode "
            "Pengakuan Keuntungan Pembiayaan Murabahah") in text
    selling_price = 8_250_000 + margin
    assert margin == 1_298_077  # 7.500.000 × 18 % × 50/52, to the rupiah
    for figure in ("Rp8.250.000", "Rp750.000", "Rp7.500.000", format_rupiah(margin),
                   format_rupiah(selling_price), format_rupiah(principal + margin)):
        assert figure in text
    assert f"terbilang: {terbilang_rupiah(selling_price)}" in text
    assert f"terbilang: {terbilang_rupiah(principal + margin)}" in text
    assert "50 kali, mingguan" in text
    assert "Rp176.000 per angsuran, angsuran terakhir Rp174.077" in text
    # And every member with their share, under joint liability, the Kube's chair signs
    for member_id, amount in built.shares:
        name, number, nik = teller.book.raw().execute(
            "SELECT name, number, nik FROM member WHERE id = ?", (member_id,)).fetchone()
        assert re.search(rf"{re.escape(name)} {number} {nik} {re.escape(_figure(amount))}",
                         text), name
    assert "Tanggung renteng" in text and "tanggung renteng" in text
    assert f"Ketua {data.kube_name}" in text and data.kube_ketua in text
    # And the charges and early settlement as the akad fixes them
    assert "Rp10.000 untuk setiap angsuran yang terlambat" in text
    assert "dana sosial (Baitul Maal)" in text and "17/2000" in text
    assert "biaya riil penagihan" in text and "43/2004" in text
    assert "Margin angsuran yang belum jatuh tempo pada hari pelunasan tidak ditagih" in text
    assert "153/2022" in text
    # And the place and both dates of the akad, Hijri included
    assert f"Sukajaya, {START.day} November 2026" in text
    assert hijri_date_id(START) in text
    # And the whole schedule, whose rows add up to the printed totals
    rows = [tuple(_number(v) if i != 1 else v for i, v in enumerate(m.groups()))
            for m in ROW.finditer(text)]
    assert [r[0] for r in rows] == list(range(1, 51))
    assert sum(r[2] for r in rows) == principal and sum(r[3] for r in rows) == margin
    assert all(r[2] + r[3] == r[4] for r in rows)
    assert rows[-1][5] == 0 and rows[0][5] == principal + margin - rows[0][4]
    assert f"Total {_figure(principal)} {_figure(margin)} {_figure(principal + margin)}" in text
    # And it runs over numbered pages; nothing English is left
    pages = _pages(pdf)
    assert pages >= 2 and f"Halaman {pages} dari {pages}" in text
    assert "SIMULASI" not in text and "DEMO" in text
    for english in ("Akad summary", "First party", "in words", "instalment", "Signature"):
        assert english not in text


def test_individual_anuitas_akad(teller: Session, built: Built) -> None:
    text = _text(akad_pdf(teller, built.anuitas))
    rows = teller.book.raw().execute(
        "SELECT principal, margin FROM financing_schedule WHERE financing_id = ? AND version = 1 "
        "ORDER BY number", (built.anuitas,)).fetchall()
    margin = sum(m for _p, m in rows)
    assert margin == 830_639 and rows[0] == (778_000, 125_000)  # 10.000.000 × 15 %/12
    assert "15 % per tahun, anuitas (efektif)" in text
    assert "Rp903.000 per angsuran, angsuran terakhir Rp897.639" in text
    assert format_rupiah(12_000_000 + margin) in text
    assert f"terbilang: {terbilang_rupiah(12_000_000 + margin)}" in text
    assert "Rp2.000.000" in text  # the down payment
    member = teller.book.raw().execute(
        "SELECT m.name, m.nik, m.number FROM member m JOIN financing f ON f.member_id = m.id "
        "WHERE f.id = ?", (built.anuitas,)).fetchone()
    assert f"{member[0]}, no. anggota {member[2]}, NIK {member[1]}" in text
    assert "Kec. Cadasari, Kab. Pandeglang" in text
    assert "BPKB sepeda motor Honda Beat 2019 9.000.000 6.000.000" in text
    assert "Pihak Kedua, Anggota" in text and "Meterai" in text
    assert "Koordinator Kube" not in text and "Tanggung renteng" not in text
    assert f"Total 10.000.000 {_figure(margin)} {_figure(10_000_000 + margin)}" in text


def test_individual_kube_member_has_the_coordinator_sign(teller: Session,
                                                         built: Built) -> None:
    text = _text(akad_pdf(teller, built.coordinated))
    assert "Koordinator Kube Ibu Neneng Kurniasih" in text
    assert "Mengetahui" in text and text.count("Ibu Neneng Kurniasih") >= 2
    assert "pendamping Kube" in text


def test_mudharabah_not_disbursed_is_a_simulation(teller: Session, built: Built) -> None:
    # Given a mudharabah approved but not yet disbursed
    data = akad_data(teller, built.mudharabah)
    assert data.simulation and data.date == teller.today
    # Then its schedule is the preview of the financing service
    preview = fin.preview_schedule(teller, built.mudharabah)
    assert [(i.number, i.due_on.isoformat(), i.principal, i.margin) for i in data.schedule] \
        == [tuple(r) for r in preview]
    text = _text(akad_pdf(teller, built.mudharabah))
    assert "SIMULASI" in text and "Lampiran: Jadwal Angsuran (Simulasi)" in text
    assert "Ringkasan Akad Mudharabah" in text
    assert "Fatwa DSN-MUI No. 07/2000 tentang Pembiayaan Mudharabah (Qiradh)" in text
    assert "BMT 40 % : anggota 60 %" in text
    assert "ditanggung BMT sebagai pemilik modal" in text
    assert "Ta'widh" not in text and "tidak menetapkan ta'zir" in text
    assert "Rp500.000 per angsuran" in text and "Total 6.000.000" in text
    assert "belum dicairkan" in text


@pytest.mark.parametrize(("which", "words"), [
    ("pending", "masih berupa pengajuan"), ("rejected", "ditolak"),
    ("cancelled", "dibatalkan")])
def test_no_akad_without_an_approval(teller: Session, built: Built, which: str,
                                     words: str) -> None:
    with pytest.raises(ValidationError) as error:
        akad_pdf(teller, getattr(built, which))
    assert words in error.value.message and "PMB-2026-" in error.value.message


def test_unknown_financing_is_refused(teller: Session, built: Built) -> None:
    for key in ("PMB-1999-00001", "999999", "", "akad"):
        with pytest.raises(ValidationError) as error:
            find_financing(teller, key)
        assert "tidak ada" in error.value.message
    number = built.numbers[built.kube]
    assert find_financing(teller, f" {number.lower()} ") == built.kube
    assert find_financing(teller, str(built.kube)) == find_financing(teller, built.kube) \
        == built.kube


def test_a_long_weekly_schedule_runs_over_numbered_pages(teller: Session, built: Built
                                                         ) -> None:
    # 104 weekly instalments (two years, the longest a Kube murabahah runs)
    base = akad_data(teller, built.kube)
    schedule = tuple(AkadInstalment(n, dt.date(2027, 1, 4) + dt.timedelta(weeks=n - 1),
                                    72_000 if n < 104 else 7_500_000 - 72_000 * 103, 12_000)
                     for n in range(1, 105))
    data = AkadData(**{**base.__dict__, "schedule": schedule})
    pdf = render_akad(data)
    text = _text(pdf)
    pages = _pages(pdf)
    assert pages >= 3 and f"Halaman {pages} dari {pages}" in text
    assert [int(m.group(1)) for m in ROW.finditer(text)] == list(range(1, 105))
    assert text.count("Jatuh tempo Pokok (Rp)") >= 2  # the header repeats on each page
    assert render_akad(data) == pdf  # the same input gives the same bytes


def test_bad_akad_data_is_refused(teller: Session, built: Built) -> None:
    base = akad_data(teller, built.anuitas)
    with pytest.raises(ValueError):  # the schedule must add up to the financing
        render_akad(AkadData(**{**base.__dict__, "principal": base.principal + 1}))
    with pytest.raises(ValueError):  # one member or one Kube
        render_akad(AkadData(**{**base.__dict__, "kube_name": "Kube Mawar"}))
    with pytest.raises(ValueError):
        render_akad(AkadData(**{**base.__dict__, "member": AkadPerson("X"), "akad": "riba"}))


def test_place_of_the_office() -> None:
    assert place_of("Jl. Raya Cadasari, Desa Sukajaya RT 002/RW 001, Kec. Cadasari") \
        == "Sukajaya"
    assert place_of("Jl. Merdeka 1, Kec. Cadasari, Kab. Pandeglang") == "Cadasari"
    assert place_of("Jl. Merdeka 1, Kota Serang") == "Serang"
    assert place_of("") == ""


# --------------------------------------------------------------------------- command line
def test_print_akad_from_the_command_line(built: Built, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "akad" / "pmb.pdf"
    number = built.numbers[built.kube]
    assert main(["print", "akad", "--db", str(built.path), "--financing", number,
                 "--out", str(out)]) == 0
    assert number in _text(out.read_bytes())
    by_id = tmp_path / "id.pdf"
    assert main(["print", "akad", "--db", str(built.path), "--financing", str(built.anuitas),
                 "--out", str(by_id)]) == 0
    assert "Murabahah Anuitas" in _text(by_id.read_bytes())
    capsys.readouterr()
    # An unknown number or a financing without an akad: a message, exit 1, no file
    for key, words in (("PMB-2026-99999", "tidak ada"),
                       (built.numbers[built.pending], "pengajuan")):
        missing = tmp_path / f"x{key}.pdf"
        assert main(["print", "akad", "--db", str(built.path), "--financing", key,
                     "--out", str(missing)]) == 1
        err = capsys.readouterr().err
        assert err.startswith("Kesalahan:") and words in err and "Traceback" not in err
        assert not missing.exists()
    # Printing wrote nothing into the book
    assert main(["verify", "--db", str(built.path)]) == 0


# --------------------------------------------------------------------------- receipts
def test_kube_members_instalment_receipt(teller: Session, built: Built) -> None:
    data = receipt_data(teller, built.kube_payment, show_hijri=False)
    labels = dict(data.lines)
    assert data.kind_title == "Bukti Angsuran Pembiayaan"
    number = _doc(teller, built.kube)
    assert data.direction == "in" and data.purpose == \
        f"Angsuran pembiayaan murabahah {number}"
    assert list(labels) == ["Angsuran pokok", "Margin", "Ta'widh"]
    assert labels["Ta'widh"] == 15_000
    assert sum(labels.values()) == data.amount
    # The deferred-margin movements are the books' business, not the member's
    assert not any("Piutang" in label or "Ditangguhkan" in label for label in labels)
    f = facts(teller.book.raw(), built.kube)
    assert data.balance_label == "Sisa pembiayaan"
    assert data.balance_after == f.left_principal + f.left_margin
    assert not data.stamp_duty  # below Rp5.000.000
    name = teller.book.raw().execute("SELECT name FROM member WHERE id = ?",
                                     (built.shares[0][0],)).fetchone()[0]
    assert data.received_from.startswith(name)
    text = _text(receipt_pdf(teller, built.kube_payment))
    for part in ("Bukti Angsuran Pembiayaan", number, "Angsuran pokok",
                 "Ta'widh", "Sisa pembiayaan", format_rupiah(data.balance_after),
                 terbilang_rupiah(data.amount)):
        assert part in text
    assert "Meterai" not in text
    # The ta'zir paid on its own goes to the social fund, and says so
    tazir = receipt_data(teller, built.tazir_payment)
    assert tazir.lines == (("Ta'zir (dana sosial)", 10_000),) and tazir.amount == 10_000
    assert tazir.kind_title == "Bukti Pembayaran Pembiayaan"
    assert tazir.purpose == f"Pembayaran pembiayaan murabahah {number}"
    assert tazir.balance_after == data.balance_after + sum(labels.values()) - 15_000


def test_early_settlement_receipt_has_the_discount_and_the_stamp(teller: Session,
                                                                 built: Built) -> None:
    data = receipt_data(teller, built.settlement)
    labels = dict(data.lines)
    assert data.kind_title == "Bukti Pelunasan Pembiayaan"
    discount = teller.book.raw().execute("SELECT margin_discount FROM financing WHERE id = ?",
                                         (built.anuitas,)).fetchone()[0]
    assert discount > 0
    assert labels["Pelunasan dipercepat — potongan margin"] == -discount
    assert sum(labels.values()) == data.amount > 5_000_000
    assert data.stamp_duty and data.balance_after == 0
    text = _text(receipt_pdf(teller, built.settlement))
    assert "Meterai Rp10.000" in text and "Pelunasan dipercepat — potongan margin" in text
    assert f"Pelunasan dipercepat pembiayaan murabahah {_doc(teller, built.anuitas)}" in text


def test_advance_and_profit_share_receipts(teller: Session, built: Built) -> None:
    advance = receipt_data(teller, built.advance)
    assert dict(advance.lines) == {"Angsuran pokok": 778_000, "Margin": 222_000}
    assert advance.balance_after == 10_830_639 - 1_000_000
    share = receipt_data(teller, built.profit_payment)
    assert dict(share.lines) == {"Bagi hasil": 120_000}  # 400.000 × 30 %
    assert share.balance_after == 3_000_000  # the capital still out


def test_disbursement_voucher(teller: Session, built: Built) -> None:
    data = receipt_data(teller, built.disbursement)
    assert data.kind_title == "Bukti Pencairan Pembiayaan" and data.direction == "out"
    assert data.amount == 7_500_000 - 25_000
    assert dict(data.lines) == {"Pencairan pembiayaan": 7_500_000,
                                "Biaya administrasi": -25_000}
    kube = teller.book.raw().execute("SELECT name, code FROM kube WHERE id = 1").fetchone()
    assert data.received_from == f"{kube[0]} ({kube[1]})"
    assert data.balance_after == 7_500_000 + 1_298_077
    assert not data.stamp_duty


def test_savings_receipts_are_unchanged(teller: Session) -> None:
    # A receipt without financing lines keeps its title, lines and balance
    number = teller.book.raw().execute(
        "SELECT j.doc_number FROM journal j JOIN journal_line l ON l.journal_id = j.id "
        "WHERE j.doc_kind = 'KW' AND l.savings_account_id IS NOT NULL ORDER BY j.id "
        "LIMIT 1").fetchone()[0]
    data = receipt_data(teller, number)
    assert data.kind_title in ("Bukti Penerimaan Tunai", "Bukti Pembayaran Tunai")
    assert data.balance_label == "" and data.balance_after is not None
    assert not data.stamp_duty
