"""Financing services on a real demo book: application rules, maker–checker, disbursement,
repayment and allocation, early settlement, charges, rescheduling, collectibility, write-off,
reversal, the collection sheet, and bad input that writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.domain.money import MAX_AMOUNT
from bmt_desktop.services import drawer, financing_payments, kube, ledger
from bmt_desktop.services import financing as fin
from bmt_desktop.services.auth import create_user
from bmt_desktop.services.book_settings import set_setting
from bmt_desktop.services.financing import ApplicationInput, Collateral
from bmt_desktop.services.financing_state import facts
from bmt_desktop.services.kube import MeetingInput, SheetRow
from bmt_desktop.services.ledger import current_chain_head
from bmt_desktop.services.member_exit import open_obligations
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from bmt_desktop.store.verify import verify_book
from tests.conftest import END, demo_session

FLOAT = 50_000_000
COUNTED = ("journal", "journal_line", "audit_log", "financing", "financing_schedule",
           "financing_share", "financing_collateral", "financing_charge",
           "financing_reschedule", "financing_profit_report")


class World:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.teller = demo_session(book, "kasir")
        self.manager = demo_session(book, "manajer")
        drawer.open_drawer(self.teller, FLOAT)
        conn = book.raw()
        self.kube_id = conn.execute(
            "SELECT kube_id FROM kube_member WHERE left_on IS NULL GROUP BY kube_id "
            "ORDER BY kube_id LIMIT 1").fetchone()[0]
        self.kube_members = [m for (m,) in conn.execute(
            "SELECT member_id FROM kube_member WHERE kube_id = ? AND left_on IS NULL "
            "ORDER BY member_id", (self.kube_id,))]
        self.loner = conn.execute(
            "SELECT id FROM member WHERE status = 'aktif' AND id NOT IN (SELECT member_id FROM "
            "kube_member WHERE left_on IS NULL) ORDER BY id LIMIT 1").fetchone()[0]

    def go_to(self, day: dt.date) -> None:
        """Close the teller's drawer (a manager settles any odd rupiah) and open it on ``day``."""
        state = drawer.current_drawer(self.teller)
        if state is not None and state.status == "buka":
            hundreds = state.expected_cash // 100
            state = drawer.close_drawer(self.teller, {100: hundreds})
        if state is not None and state.status == "menunggu":
            drawer.approve_difference(self.manager, state.id)
        self.teller.today = self.manager.today = day
        drawer.open_drawer(self.teller, FLOAT)

    def individual(self, **changes: object) -> ApplicationInput:
        values = dict(product_code="MRI", principal=10_000_000, instalments=12,
                      frequency="bulanan", purpose="Modal warung sembako", member_id=self.loner,
                      rate_bp=1200, goods="Etalase dan stok sembako", supplier="Toko Makmur",
                      cost_price=11_000_000,
                      collateral=[Collateral("BPKB motor", 8_000_000, 5_000_000)])
        values.update(changes)
        return ApplicationInput(**values)  # type: ignore[arg-type]

    def group(self, principal: int = 5_000_000, **changes: object) -> ApplicationInput:
        count = len(self.kube_members)
        shares = [(m, principal // count) for m in self.kube_members]
        shares[0] = (shares[0][0], shares[0][1] + principal - sum(a for _m, a in shares))
        values = dict(product_code="MRK", principal=principal, instalments=25,
                      frequency="mingguan", purpose="Modal usaha bersama",
                      kube_id=self.kube_id, rate_bp=1800, goods="Bahan baku",
                      supplier="Pasar Induk", cost_price=principal, shares=shares)
        values.update(changes)
        return ApplicationInput(**values)  # type: ignore[arg-type]

    def running(self, data: ApplicationInput | None = None, **disburse: object) -> int:
        fid = fin.apply(self.teller, data or self.individual())
        fin.decide(self.manager, fid, True)
        fin.disburse(self.teller, fid, **disburse)  # type: ignore[arg-type]
        return fid


@pytest.fixture
def world(demo: Book) -> Iterator[World]:
    yield World(demo)


def snapshot(book: Book) -> tuple:
    conn = book.raw()
    return (current_chain_head(book),
            tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED),
            tuple(conn.execute("SELECT id, status, schedule_version, margin_discount "
                               "FROM financing ORDER BY id")),
            tuple(conn.execute("SELECT code, balance FROM account ORDER BY code")))


def test_the_worked_flat_example_end_to_end(world: World) -> None:
    fid = world.running()
    f = facts(world.book.raw(), fid)
    assert [i.amount for i in f.schedule] == [934_000] * 11 + [11_200_000 - 11 * 934_000]
    assert f.margin_total == 1_200_000 and f.left_principal == 10_000_000
    tb = dict(world.book.raw().execute(
        "SELECT code, balance FROM account WHERE code IN ('111', '112', '405')"))
    assert tb["111"] >= 11_200_000 and tb["112"] <= -1_200_000
    world.go_to(f.schedule[0].due_on)
    financing_payments.repay(world.teller, fid, 934_000)
    after = facts(world.book.raw(), fid)
    assert after.paid_margin == 100_000 and after.paid_principal == 834_000
    assert after.states[0].paid
    assert verify_book(world.book.path).ok


def test_maker_checker(world: World, demo: Book) -> None:
    fid = fin.apply(world.teller, world.individual())
    with pytest.raises(PermissionDenied):
        fin.decide(world.teller, fid, True)  # a teller may not approve at all
    own = fin.apply(world.manager, world.individual())
    before = snapshot(demo)
    with pytest.raises(PermissionDenied, match="(?i)manajer lain|another manager"):
        fin.decide(world.manager, own, True)
    assert snapshot(demo) == before
    admin = demo_session(demo, "admin")
    create_user(admin, "manajer2", "Wakil Manajer", "manager", "rahasia-kuat-1")
    second = demo_session(demo, "manajer2", "rahasia-kuat-1")
    second.today = world.manager.today
    fin.decide(second, own, True)
    with pytest.raises(ValidationError):
        fin.decide(second, own, True)  # decided already
    with pytest.raises(ValidationError, match="(?i)alasan|Reason"):
        fin.decide(world.manager, fid, False, "")
    fin.decide(world.manager, fid, False, "Usaha belum berjalan")
    with pytest.raises(ValidationError):
        fin.disburse(world.teller, fid)  # rejected


def test_disbursement_before_approval_is_refused(world: World, demo: Book) -> None:
    fid = fin.apply(world.teller, world.individual())
    before = snapshot(demo)
    with pytest.raises(ValidationError, match="(?i)disetujui|approved"):
        fin.disburse(world.teller, fid)
    assert snapshot(demo) == before


@pytest.mark.parametrize(("changes", "match"), [
    ({"rate_bp": 3000}, "(?i)margin"),
    ({"rate_bp": 500}, "(?i)margin"),
    ({"instalments": 60}, "(?i)bulan|months"),
    ({"instalments": 3}, "(?i)bulan|months"),
    ({"frequency": "mingguan"}, "(?i)diangsur|repaid"),
    ({"principal": 0}, "(?i)jumlah|amount"),
    ({"principal": -5}, "(?i)jumlah|amount"),
    ({"principal": MAX_AMOUNT + 1}, "(?i)jumlah|amount"),
    ({"principal": "10000000"}, "(?i)jumlah|amount"),
    ({"principal": 500_000_000}, "(?i)membiayai|finances"),
    ({"goods": ""}, "(?i)barang|goods"),
    ({"cost_price": 9_000_000}, "(?i)harga pokok|cost price"),
    ({"collateral": []}, "(?i)agunan|collateral"),
    ({"collateral": [Collateral("Sawah", 1_000, 5_000)]}, "(?i)agunan|collateral"),
    ({"purpose": "   "}, "(?i)tujuan|purpose"),
    ({"purpose": "x" * 10_000}, "(?i)panjang|long"),
    ({"member_id": 999_999}, "(?i)tidak ada|does not exist"),
    ({"product_code": "XYZ"}, "(?i)XYZ"),
    ({"nisbah_pct": 40}, "(?i)nisbah|profit-sharing"),
    ({"applied_on": END + dt.timedelta(days=3)}, "(?i)masa depan|future"),
])
def test_bad_applications_write_nothing(world: World, demo: Book, changes: dict,
                                        match: str) -> None:
    before = snapshot(demo)
    with pytest.raises(ValidationError, match=match):
        fin.apply(world.teller, world.individual(**changes))
    assert snapshot(demo) == before


def test_kube_shares_must_add_up_and_be_members(world: World, demo: Book) -> None:
    before = snapshot(demo)
    data = world.group()
    bad = list(data.shares)
    bad[0] = (bad[0][0], bad[0][1] + 1)
    with pytest.raises(ValidationError, match="(?i)Rp5.000.001|5.000.001"):
        fin.apply(world.teller, world.group(shares=bad))
    with pytest.raises(ValidationError, match="(?i)anggota|member"):
        fin.apply(world.teller, world.group(shares=[(world.loner, 5_000_000)]))
    with pytest.raises(ValidationError):
        fin.apply(world.teller, world.individual(product_code="MRK", frequency="mingguan",
                                                 instalments=25, collateral=[]))
    assert snapshot(demo) == before


def test_individual_financing_of_a_kube_member_needs_graduation(world: World) -> None:
    member = world.kube_members[0]
    data = world.individual(member_id=member)
    with pytest.raises(ValidationError) as refused:
        fin.apply(world.teller, data)
    assert "siklus" in refused.value.message or "cycles" in refused.value.message
    assert "koordinator" in refused.value.message.lower() \
        or "coordinator" in refused.value.message
    set_setting(world.manager, "individual_min_cycles", "0")
    set_setting(world.manager, "individual_min_stage", "tumbuh")
    fid = fin.apply(world.teller, world.individual(
        member_id=member, coordinator_name="Ketua Kube", coordinator_approved_on=END))
    assert fid


def test_required_training_is_named(world: World) -> None:
    from bmt_desktop.services import training

    codes = [c for (c,) in world.book.raw().execute("SELECT code FROM training_topic")]
    topic = next(c for c in codes
                 if training.missing_training(world.teller, [world.loner], [c]))
    fin.update_product(world.manager, "MRI", required_training=[topic])
    before = snapshot(world.book)
    with pytest.raises(ValidationError, match="(?i)pelatihan|training") as refused:
        fin.apply(world.teller, world.individual())
    assert training.missing_training(world.teller, [world.loner], [topic])[0] \
        in refused.value.message
    assert snapshot(world.book) == before


def test_repayment_allocation_partial_and_advance(world: World, demo: Book) -> None:
    fid = world.running()
    f = facts(demo.raw(), fid)
    world.go_to(f.schedule[1].due_on + dt.timedelta(days=3))  # two instalments due
    quote = financing_payments.quote(world.teller, fid)
    assert quote.due_now == 2 * 934_000
    before = snapshot(demo)
    with pytest.raises(ValidationError, match="(?i)uang muka|advance|jatuh tempo"):
        financing_payments.repay(world.teller, fid, quote.due_now + 1)
    with pytest.raises(ValidationError):
        financing_payments.repay(world.teller, fid, f.owed + 1, advance=True)
    for bad in (0, -1, 1.5, "100", True, MAX_AMOUNT + 1):
        with pytest.raises(ValidationError):
            financing_payments.repay(world.teller, fid, bad)
    assert snapshot(demo) == before
    financing_payments.repay(world.teller, fid, 150_000)  # partial: margin first
    partial = facts(demo.raw(), fid)
    assert (partial.paid_margin, partial.paid_principal) == (100_000, 50_000)
    financing_payments.repay(world.teller, fid, quote.due_now - 150_000 + 10_000, advance=True)
    ahead = facts(demo.raw(), fid)
    assert ahead.states[0].paid and ahead.states[1].paid
    assert ahead.states[2].paid_margin == 10_000
    assert verify_book(demo.path).ok


def test_double_submit_posts_once(world: World, demo: Book) -> None:
    fid = fin.apply(world.teller, world.individual())
    fin.decide(world.manager, fid, True)
    first = fin.disburse(world.teller, fid, request_id="cair-1")
    again = fin.disburse(world.teller, fid, request_id="cair-1")
    assert first.doc_number == again.doc_number
    world.go_to(facts(demo.raw(), fid).schedule[0].due_on)
    one = financing_payments.repay(world.teller, fid, 934_000, request_id="bayar-1")
    two = financing_payments.repay(world.teller, fid, 934_000, request_id="bayar-1")
    assert one.id == two.id
    assert facts(demo.raw(), fid).paid_principal == 834_000


def test_early_settlement_does_not_charge_future_margin(world: World, demo: Book) -> None:
    fid = world.running()
    f = facts(demo.raw(), fid)
    for i in range(6):
        world.go_to(f.schedule[i].due_on)
        financing_payments.repay(world.teller, fid, f.schedule[i].amount)
    world.go_to(f.schedule[5].due_on + dt.timedelta(days=10))
    principal, margin, charges, discount = financing_payments.settlement_quote(world.teller, fid)
    assert discount == 600_000 and margin == 0 and charges == 0
    assert principal == 10_000_000 - sum(i.principal for i in f.schedule[:6])
    financing_payments.settle_early(world.teller, fid)
    done = facts(demo.raw(), fid)
    assert done.status == "lunas" and done.owed == 0 and done.margin_discount == 600_000
    tb = dict(demo.raw().execute("SELECT code, balance FROM account WHERE code IN ('111','112')"))
    (receivable,) = demo.raw().execute(
        "SELECT coalesce(sum(debit - credit), 0) FROM journal_line WHERE financing_id = ? AND "
        "account_id = (SELECT id FROM account WHERE code = '111')", (fid,)).fetchone()
    assert receivable == 0 and isinstance(tb["111"], int)
    with pytest.raises(ValidationError, match="(?i)lunas|settled"):
        financing_payments.repay(world.teller, fid, 1_000)
    assert verify_book(demo.path).ok


def test_collectibility_tazir_waiver_and_write_off(world: World, demo: Book) -> None:
    fid = world.running()
    f = facts(demo.raw(), fid)
    first_due = f.schedule[0].due_on
    with pytest.raises(ValidationError, match="(?i)menunggak|overdue"):
        financing_payments.impose_tazir(world.manager, fid, "Sengaja menunda")
    for days, klass in ((1, "dpk"), (95, "kurang_lancar"), (150, "diragukan"), (200, "macet")):
        rows = {r.financing_id: r for r in financing_payments.reserve_rows(
            world.manager, first_due + dt.timedelta(days=days))}
        assert rows[fid].klass == klass and rows[fid].days == days
    set_setting(world.manager, "collectibility_classes", "4")
    rows = {r.financing_id: r for r in financing_payments.reserve_rows(
        world.manager, first_due + dt.timedelta(days=30))}
    assert rows[fid].klass == "lancar"
    set_setting(world.manager, "collectibility_classes", "5")
    world.go_to(first_due + dt.timedelta(days=20))
    tazir = financing_payments.impose_tazir(world.manager, fid, "Mampu tetapi menunda")
    financing_payments.record_tawidh(world.manager, fid, 35_000, "Ongkos penagihan ke rumah")
    with pytest.raises(ValidationError):
        financing_payments.record_tawidh(world.manager, fid, 0, "x")
    financing_payments.waive_charge(world.manager, tazir, "Gagal panen")
    with pytest.raises(ValidationError):
        financing_payments.waive_charge(world.manager, tazir, "lagi")
    financing_payments.repay(world.teller, fid, 35_000)  # the ta'widh first (charges first)
    after = facts(demo.raw(), fid)
    assert after.charges_left == 0 and after.paid_margin == 0
    (tawidh,) = demo.raw().execute(
        "SELECT -balance FROM account WHERE code = '404'").fetchone()
    assert tawidh >= 35_000
    with pytest.raises(ValidationError, match="(?i)Macet"):
        financing_payments.write_off(world.manager, fid, "Usaha tutup")
    world.go_to(first_due + dt.timedelta(days=200))
    financing_payments.post_reserve(world.manager)
    posted = financing_payments.write_off(world.manager, fid, "Usaha tutup, anggota pindah")
    gone = facts(demo.raw(), fid)
    assert gone.status == "hapus_buku" and gone.written_off == 10_000_000
    with pytest.raises(ValidationError, match="(?i)dihapusbukukan|written off"):
        financing_payments.repay(world.teller, fid, 100_000)
    financing_payments.recover(world.teller, fid, 400_000)
    with pytest.raises(ValidationError):
        financing_payments.recover(world.teller, fid, 10_000_000)
    assert facts(demo.raw(), fid).recovered == 400_000
    assert posted.total > 0 and verify_book(demo.path).ok


def test_reschedule_keeps_the_old_schedule_and_adds_no_margin(world: World, demo: Book) -> None:
    fid = world.running()
    f = facts(demo.raw(), fid)
    world.go_to(f.schedule[0].due_on)
    financing_payments.repay(world.teller, fid, f.schedule[0].amount)
    left = facts(demo.raw(), fid)
    first = f.schedule[0].due_on + dt.timedelta(days=40)
    request = financing_payments.request_reschedule(world.teller, fid, 18, "bulanan", first,
                                                    "Usaha sepi musim hujan")
    with pytest.raises(ValidationError):
        financing_payments.request_reschedule(world.teller, fid, 18, "bulanan", first, "lagi")
    with pytest.raises(PermissionDenied):
        financing_payments.decide_reschedule(world.teller, request, True)
    financing_payments.decide_reschedule(world.manager, request, True, "Disetujui komite")
    new = facts(demo.raw(), fid)
    assert new.version == 2 and len(new.schedule) == 18
    assert sum(i.principal for i in new.schedule) == left.left_principal
    assert sum(i.margin for i in new.schedule) == left.left_margin
    (old_rows,) = demo.raw().execute("SELECT count(*) FROM financing_schedule WHERE "
                                     "financing_id = ? AND version = 1", (fid,)).fetchone()
    assert old_rows == 12
    with pytest.raises(Exception, match="(?i)immutable"):
        demo.raw().execute("DELETE FROM financing_schedule WHERE financing_id = ?", (fid,))
    assert all(s.paid_principal == 0 for s in new.states)
    world.go_to(first)
    financing_payments.repay(world.teller, fid, new.schedule[0].amount)
    assert facts(demo.raw(), fid).states[0].paid


def test_a_due_date_in_a_closed_period_is_refused(world: World, demo: Book) -> None:
    fid = fin.apply(world.teller, world.individual())
    fin.decide(world.manager, fid, True)
    before = snapshot(demo)
    with pytest.raises(ValidationError, match="(?i)ditutup|closed|setelah|after"):
        fin.disburse(world.teller, fid, first_due=dt.date(2026, 9, 15))
    assert snapshot(demo) == before


def test_reversal_is_newest_first_and_restores_the_state(world: World, demo: Book) -> None:
    fid = world.running()
    f = facts(demo.raw(), fid)
    world.go_to(f.schedule[0].due_on)
    one = financing_payments.repay(world.teller, fid, 500_000)
    two = financing_payments.repay(world.teller, fid, 434_000)
    with pytest.raises(ValidationError, match="(?i)terbaru|newest"):
        ledger.reverse_journal(world.manager, one.id, "Salah input")
    ledger.reverse_journal(world.manager, two.id, "Salah input")
    assert facts(demo.raw(), fid).paid_principal + facts(demo.raw(), fid).paid_margin == 500_000
    ledger.reverse_journal(world.manager, one.id, "Salah input")
    assert facts(demo.raw(), fid).paid_principal == 0
    disbursement = demo.raw().execute(
        "SELECT journal_id FROM journal_line WHERE financing_id = ? AND memo = 'CAIR' "
        "ORDER BY journal_id LIMIT 1", (fid,)).fetchone()[0]
    drawer.open_drawer(world.manager, FLOAT)  # the cash comes back at the manager's counter
    ledger.reverse_journal(world.manager, disbursement, "Akad batal")
    assert facts(demo.raw(), fid).status == "disetujui"
    fin.disburse(world.teller, fid)
    assert facts(demo.raw(), fid).version == 2
    assert verify_book(demo.path).ok


def test_kube_financing_on_the_collection_sheet(world: World, demo: Book) -> None:
    fid = world.running(world.group())
    f = facts(demo.raw(), fid)
    assert len(f.schedule) == 25 and sum(i.principal for i in f.schedule) == 5_000_000
    world.go_to(f.schedule[0].due_on)
    rows = [SheetRow(m, angsuran=f.schedule[0].amount // len(world.kube_members))
            for m in world.kube_members]
    saved = kube.hold_meeting(world.teller, MeetingInput(
        world.kube_id, world.teller.today, present=world.kube_members),
        rows)
    assert saved.posted is not None
    after = facts(demo.raw(), fid)
    assert after.paid_principal + after.paid_margin == sum(r.angsuran for r in rows)
    per_member = dict(demo.raw().execute(
        "SELECT member_id, sum(credit) FROM journal_line WHERE financing_id = ? AND memo IN "
        "('POKOK', 'MARGIN') GROUP BY member_id", (fid,)))
    assert set(per_member) == set(world.kube_members)
    assert open_obligations(world.teller, world.kube_members[0])
    outsider_sheet = [SheetRow(world.kube_members[0], angsuran=f.owed + 1)]
    with pytest.raises(ValidationError, match="(?i)Baris 1|Line 1"):
        kube.hold_meeting(world.teller, MeetingInput(world.kube_id, world.teller.today, []),
                          outsider_sheet)


def test_profit_sharing_financing(world: World, demo: Book) -> None:
    data = world.individual(product_code="MDU", rate_bp=0, nisbah_pct=40, goods="",
                            supplier="", cost_price=0, collateral=[])
    fid = world.running(data)
    with pytest.raises(ValidationError):
        financing_payments.report_profit(world.teller, fid, END + dt.timedelta(days=5), 100)
    share = financing_payments.report_profit(world.teller, fid, END, 1_000_000)
    assert share == 400_000
    with pytest.raises(ValidationError):
        financing_payments.report_profit(world.teller, fid, END, 1_000_000)
    assert financing_payments.report_profit(world.teller, fid, END - dt.timedelta(days=30),
                                            -200_000) == 0
    financing_payments.repay(world.teller, fid, 400_000)
    (income,) = demo.raw().execute(
        "SELECT sum(credit) FROM journal_line WHERE financing_id = ? AND memo LIKE "
        "'BAGI_HASIL#%'", (fid,)).fetchone()
    assert income == 400_000


def test_qardh_comes_from_the_maal_side(world: World, demo: Book) -> None:
    data = world.individual(product_code="QH", principal=1_000_000, instalments=10,
                            rate_bp=0, goods="", supplier="", cost_price=0, collateral=[])
    fid = world.running(data)
    (maal,) = demo.raw().execute(
        "SELECT sum(debit) FROM journal_line WHERE financing_id = ? AND account_id = "
        "(SELECT id FROM account WHERE code = '132')", (fid,)).fetchone()
    assert maal == 1_000_000
    assert facts(demo.raw(), fid).margin_total == 0


def test_disbursement_into_savings(world: World, demo: Book) -> None:
    account = demo.raw().execute(
        "SELECT s.id, s.balance FROM savings_account s JOIN savings_product p ON "
        "p.id = s.product_id WHERE s.member_id = ? AND p.kind IN ('sukarela', 'tabungan') "
        "AND s.status = 'aktif' LIMIT 1", (world.loner,)).fetchone()
    fid = fin.apply(world.teller, world.individual())
    fin.decide(world.manager, fid, True)
    fin.disburse(world.teller, fid, to="tabungan", savings_account_id=account[0])
    (balance,) = demo.raw().execute("SELECT balance FROM savings_account WHERE id = ?",
                                    (account[0],)).fetchone()
    assert balance == account[1] + 10_000_000 - 50_000  # less the admin fee


def test_auditor_and_read_only_write_nothing(world: World, demo: Book) -> None:
    auditor: Session = demo_session(demo, "auditor")
    with pytest.raises(PermissionDenied):
        fin.apply(auditor, world.individual())
    assert fin.list_products(auditor)


def test_opening_balance_of_a_running_financing(world: World, demo: Book) -> None:
    cut = END
    rows = [(cut + dt.timedelta(days=30 * i), 400_000, 50_000) for i in range(1, 6)]
    data = fin.OpeningFinancing("MRI", world.loner, None, "Modal warung (buku lama)", rows,
                                rate_bp=1500, original_number="LAMA-17")
    with demo.transaction():
        fid = fin.open_migrated(world.manager, data, cut)
    f = facts(demo.raw(), fid)
    assert (f.left_principal, f.left_margin, f.status) == (2_000_000, 250_000, "cair")
    (equity,) = demo.raw().execute(
        "SELECT sum(credit) FROM journal_line WHERE account_id = (SELECT id FROM account "
        "WHERE code = '309') AND journal_id IN (SELECT journal_id FROM journal_line WHERE "
        "financing_id = ?)", (fid,)).fetchone()
    assert equity == 2_000_000
    world.go_to(rows[0][0])
    financing_payments.repay(world.teller, fid, 450_000)
    assert facts(demo.raw(), fid).states[0].paid
    for bad in (fin.OpeningFinancing("MRI", world.loner, None, "x",
                                      [(cut, 1, 1), (cut - dt.timedelta(days=1), 1, 1)]),
                fin.OpeningFinancing("MRI", world.loner, None, "x", rows,
                                     original_number="LAMA-17"),  # brought in already
                fin.OpeningFinancing("MDU", world.loner, None, "x", rows)):  # margin
        before = snapshot(demo)
        with pytest.raises(ValidationError), demo.transaction():
            fin.open_migrated(world.manager, bad, cut)
        assert snapshot(demo) == before
    # Arrears at the cut-over come in as they are: weekly, 20 days overdue.
    late = [(cut - dt.timedelta(days=20) + dt.timedelta(days=7 * i), 100_000, 0)
            for i in range(10)]
    with demo.transaction():
        overdue = fin.open_migrated(world.manager, fin.OpeningFinancing(
            "QH", world.loner, None, "Qardh lama", late), cut - dt.timedelta(days=1))
    rows_on = {r.financing_id: r for r in financing_payments.reserve_rows(world.manager, cut)}
    assert rows_on[overdue].days == 20 and rows_on[overdue].klass == "dpk"
    assert demo.raw().execute("SELECT frequency FROM financing WHERE id = ?",
                              (overdue,)).fetchone()[0] == "mingguan"
    assert verify_book(demo.path).ok


def test_tazir_is_paid_with_the_instalment_in_its_own_journal(world: World, demo: Book) -> None:
    fid = world.running()
    f = facts(demo.raw(), fid)
    world.go_to(f.schedule[0].due_on + dt.timedelta(days=10))
    financing_payments.impose_tazir(world.manager, fid, "Mampu tetapi menunda")
    posted = financing_payments.repay(world.teller, fid, 25_000 + 934_000,
                                      request_id="bayar-tazir")
    again = financing_payments.repay(world.teller, fid, 25_000 + 934_000,
                                     request_id="bayar-tazir")
    assert again.id == posted.id
    after = facts(demo.raw(), fid)
    assert after.charges_left == 0 and after.states[0].paid
    (fund,) = demo.raw().execute("SELECT -balance FROM account WHERE code = '244'").fetchone()
    assert fund >= 25_000
    assert verify_book(demo.path).ok


def test_early_settlement_credits_margin_paid_ahead(world: World, demo: Book) -> None:
    fid = world.running()
    f = facts(demo.raw(), fid)
    world.go_to(f.schedule[0].due_on)
    financing_payments.repay(world.teller, fid, 3 * 934_000, advance=True)  # 3 instalments
    world.go_to(f.schedule[0].due_on + dt.timedelta(days=5))
    principal, margin, charges, not_charged = financing_payments.settlement_quote(
        world.teller, fid)
    assert not_charged == 11 * 100_000  # months 2–12: unpaid and paid-ahead margin alike
    assert principal == 10_000_000 - 3 * 834_000 - 200_000
    (before,) = demo.raw().execute("SELECT balance FROM account WHERE code = '401'").fetchone()
    financing_payments.settle_early(world.teller, fid)
    (after,) = demo.raw().execute("SELECT balance FROM account WHERE code = '401'").fetchone()
    assert -(after - before) == -200_000  # the prepaid margin is taken back out of income
    done = facts(demo.raw(), fid)
    assert done.status == "lunas" and done.owed == 0
    tb = dict(demo.raw().execute(
        "SELECT a.code, sum(l.debit - l.credit) FROM journal_line l JOIN account a ON "
        "a.id = l.account_id WHERE l.financing_id = ? AND a.code IN ('111', '112') "
        "GROUP BY a.code", (fid,)))
    assert tb == {"111": 0, "112": 0}
    assert verify_book(demo.path).ok


def test_qardh_loss_falls_on_the_benevolence_fund(world: World, demo: Book) -> None:
    data = world.individual(product_code="QH", principal=1_000_000, instalments=10,
                            rate_bp=0, goods="", supplier="", cost_price=0, collateral=[])
    fid = world.running(data)
    first = facts(demo.raw(), fid).schedule[0].due_on
    world.go_to(first + dt.timedelta(days=200))
    financing_payments.write_off(world.manager, fid, "Meninggal dunia, ahli waris tidak mampu")
    financing_payments.recover(world.teller, fid, 100_000)
    used = dict(demo.raw().execute(
        "SELECT a.code, sum(l.debit - l.credit) FROM journal_line l JOIN account a ON "
        "a.id = l.account_id WHERE l.financing_id = ? GROUP BY a.code", (fid,)))
    assert used["243"] == 1_000_000 - 100_000 and "511" not in used
    assert verify_book(demo.path).ok
