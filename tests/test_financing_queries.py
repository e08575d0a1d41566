"""The financing lists and files read from a real demo book: the pipeline's rows and counts,
the set-based figures agree with ``facts()`` whatever was paid, members' shares of what is
owed add up to the rupiah, the decisions waiting, and collectibility with NPF."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.financing_rules import health, npf
from bmt_desktop.services import drawer, kube, savings
from bmt_desktop.services import financing as F
from bmt_desktop.services import financing_payments as P
from bmt_desktop.services.financing import ApplicationInput, Collateral
from bmt_desktop.services.financing_queries import (
    ARREARS,
    applicant_info,
    collectibility_report,
    detail,
    pending_decisions,
    search_financing,
    split_by_shares,
    status_counts,
)
from bmt_desktop.services.financing_state import facts, overdue_days
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from tests.conftest import END, session_of

FREE = 31  # a demo household in no Kube: may apply for individual financing


@pytest.fixture
def teller(demo: Book) -> Session:
    return session_of(demo, "kasir")


@pytest.fixture
def manager(demo: Book) -> Session:
    return session_of(demo, "manajer")


# ------------------------------------------------------------------------------ shared helpers
def kube_members(session: Session, kube_id: int) -> list[int]:
    return [m[0] for m in kube.current_members(session, kube_id)]


def kube_application(session: Session, kube_id: int, amount: int = 5_000_000, *,
                     shares: list[int] | None = None, instalments: int = 12,
                     frequency: str = "bulanan", rate_bp: int = 1800) -> int:
    members = kube_members(session, kube_id)
    if shares is None:
        shares = split_by_shares(amount, [1] * len(members))
    return F.apply(session, ApplicationInput(
        "MRK", amount, instalments, frequency, "Modal usaha kelompok", kube_id=kube_id,
        rate_bp=rate_bp, goods="Bahan baku anyaman", supplier="Toko Sinar Jaya",
        cost_price=amount, shares=list(zip(members, shares, strict=False)),
        monthly_income=6_000_000, monthly_expense=3_000_000))


def member_application(session: Session, member_id: int = FREE, amount: int = 3_000_000,
                       instalments: int = 12) -> int:
    return F.apply(session, ApplicationInput(
        "MRI", amount, instalments, "bulanan", "Mesin jahit", member_id=member_id,
        rate_bp=1500, goods="Mesin jahit", supplier="Toko Sinar Jaya", cost_price=amount,
        collateral=[Collateral("BPKB motor", 9_000_000, 6_000_000)],
        monthly_income=4_000_000, monthly_expense=2_500_000))


def open_drawer(session: Session, cash: int = 20_000_000) -> None:
    if drawer.current_drawer(session) is None:
        drawer.open_drawer(session, cash)


def disbursed(teller: Session, manager: Session, financing_id: int) -> int:
    F.decide(manager, financing_id, True)
    open_drawer(teller)
    F.disburse(teller, financing_id)
    return financing_id


def later(session: Session, days: int) -> Session:
    """The same user reading the book ``days`` after the business date (nothing is written)."""
    return Session(session.book, session.user_id, session.username, session.full_name,
                   session.role, today=session.today + dt.timedelta(days=days))


# ------------------------------------------------------------------------------------ the list
def _ids(page) -> list[int]:  # noqa: ANN001 - a FinancingPage
    return [r.id for r in page.rows]


def test_the_pipeline_lists_counts_and_finds(teller: Session, manager: Session) -> None:
    # Given the demo's financing, and three more: applied, applied by the manager, disbursed
    before = status_counts(teller)
    total = search_financing(teller).total
    applied = kube_application(teller, 1)
    own = member_application(manager)
    running = disbursed(teller, manager, kube_application(teller, 2, 3_000_000))

    counts = status_counts(teller)
    assert counts["pengajuan"] == before["pengajuan"] + 2
    assert counts["cair"] == before["cair"] + 1 and counts["disetujui"] == before["disetujui"]
    assert counts[ARREARS] == before[ARREARS]
    page = search_financing(teller, "pengajuan")
    assert page.total == counts["pengajuan"] and {applied, own} <= set(_ids(page))
    assert all(r.status == "pengajuan" for r in page.rows)
    everything = search_financing(teller)
    assert everything.total == total + 3 and _ids(everything)[:3] == [running, own, applied]
    row = everything.rows[0]
    assert row.applicant == "Kube Melati" and row.applicant_code == "KUBE-002"
    assert row.outstanding == 3_000_000 and row.days_overdue == 0 and row.klass == "lancar"
    assert row.next_due_on == dt.date(2026, 12, 29)
    assert row.next_due_amount == facts(teller.book.raw(), running).states[0].left
    pending = everything.rows[2]
    assert pending.outstanding == 0 and pending.klass is None and pending.next_due_on is None

    # text: a Kube's name, a member's number, the financing's number
    mawar = search_financing(teller, text="mawar")
    assert applied in _ids(mawar) and {r.applicant for r in mawar.rows} == {"Kube Mawar"}
    assert own in _ids(search_financing(teller, text="AG-000031"))
    assert _ids(search_financing(teller, text=row.number)) == [running]
    by_kube = search_financing(teller, kube_id=2)
    assert running in _ids(by_kube) and {r.kube_id for r in by_kube.rows} == {2}
    assert status_counts(teller, kube_id=1)["pengajuan"] == \
        sum(1 for r in search_financing(teller, "pengajuan", kube_id=1).rows)
    # a member of a Kube finds the Kube's financing too (a share)
    member = kube_members(teller, 2)[0]
    assert running in _ids(search_financing(teller, member_id=member))
    # paging
    first = search_financing(teller, limit=2)
    second = search_financing(teller, offset=2, limit=2)
    assert len(first.rows) == len(second.rows) == 2
    assert _ids(first) + _ids(second) == _ids(everything)[:4]
    with pytest.raises(ValidationError):
        search_financing(teller, "bogus")

    waiting = {(d.kind, d.id): d for d in pending_decisions(manager)}
    assert ("pengajuan", applied) in waiting and ("pengajuan", own) in waiting
    assert waiting[("pengajuan", own)].submitted_by_id == manager.user_id
    assert waiting[("pengajuan", applied)].submitted_by == "Euis Nurhayati"
    first_line = F.preview_schedule(teller, applied)[0]
    assert waiting[("pengajuan", applied)].instalment == first_line[2] + first_line[3]


def test_the_auditor_reads_everything(teller: Session, manager: Session, demo: Book) -> None:
    fid = disbursed(teller, manager, kube_application(teller, 1))
    auditor = session_of(demo, "auditor")
    assert search_financing(auditor).rows[0].id == fid
    assert detail(auditor, fid).number == search_financing(auditor).rows[0].number
    assert status_counts(auditor) == status_counts(teller)
    assert pending_decisions(auditor) == pending_decisions(teller)
    assert fid in {r.financing_id for r in collectibility_report(auditor).rows}


# ------------------------------------------------------------------ the set-based figures agree
def _assert_rows_agree(session: Session) -> None:
    conn = session.book.raw()
    rows = search_financing(session).rows
    for row in rows:
        f = facts(conn, row.id)
        if row.status in ("cair", "lunas", "hapus_buku"):
            assert row.outstanding == f.left_principal, row
        if row.status == "cair":
            assert row.days_overdue == overdue_days(f, session.today), row
            open_lines = [s for s in f.states if s.left]
            assert row.next_due_on == (open_lines[0].due_on if open_lines else None), row
            assert row.next_due_amount == (open_lines[0].left if open_lines else 0), row
            assert row.arrears == sum(s.left for s in f.states if s.due_on <= session.today)
        file = detail(session, row.id)
        assert (file.days_overdue, file.next_due_on, file.arrears) == (
            row.days_overdue, row.next_due_on, row.arrears)
        assert file.left_principal == row.outstanding
    reserves = {r.financing_id: r for r in P.reserve_rows(session)}
    report = collectibility_report(session)
    assert {r.financing_id for r in report.rows} == set(reserves)
    for r in report.rows:
        expected = reserves[r.financing_id]
        assert (r.outstanding, r.collateral, r.days, r.klass, r.reserve) == (
            expected.outstanding, expected.collateral, expected.days, expected.klass,
            expected.reserve), r
    late = search_financing(session, ARREARS).rows
    assert [r.id for r in late] == [r.id for r in sorted(
        (r for r in rows if r.days_overdue > 0), key=lambda r: (-r.days_overdue, -r.id))]
    assert status_counts(session)[ARREARS] == len(late)


def test_the_list_agrees_with_facts_whatever_was_paid(teller: Session,
                                                      manager: Session) -> None:
    weekly = disbursed(teller, manager, kube_application(teller, 1, 2_600_000, instalments=26,
                                                         frequency="mingguan"))
    monthly = disbursed(teller, manager, kube_application(teller, 2, 3_000_000))
    settled = disbursed(teller, manager, kube_application(teller, 3, 1_200_000, instalments=6))
    written = disbursed(teller, manager, kube_application(teller, 4, 1_000_000, instalments=3))
    rescheduled = disbursed(teller, manager, kube_application(teller, 5, 2_000_000))
    P.repay(teller, weekly, 250_000, advance=True)  # ahead of time: the first instalments
    P.repay(teller, monthly, 100_000, advance=True)  # part of the first instalment
    P.settle_early(teller, settled)
    assert facts(teller.book.raw(), settled).status == "lunas"
    P.repay(teller, rescheduled, 300_000, advance=True)
    request = P.request_reschedule(teller, rescheduled, 18, "bulanan", END + dt.timedelta(40),
                                   "Panen gagal")
    P.decide_reschedule(manager, request, True)
    assert detail(teller, rescheduled).versions[0].version == 1

    for days in (0, 20, 45, 100, 200, 400):
        _assert_rows_agree(later(teller, days))

    # a long time later the 3-month financing is Macet and is written off
    far = later(manager, 300)
    assert next(r for r in search_financing(far, ARREARS).rows if r.id == written).klass \
        == "macet"
    P.write_off(far, written, "Anggota pindah tanpa alamat")
    row = next(r for r in search_financing(far).rows if r.id == written)
    assert row.status == "hapus_buku" and row.outstanding == 0 and row.days_overdue == 0
    file = detail(far, written)
    assert file.written_off == 1_000_000 and file.postings[-1].kind == "hapus_buku"
    _assert_rows_agree(far)


# ------------------------------------------------------------------------------- shares exactly
def test_members_shares_of_what_is_owed_add_up_to_the_rupiah(teller: Session,
                                                              manager: Session) -> None:
    members = kube_members(teller, 1)
    amounts = [1_000_001, 1_333_333, 666_666, 500_000, 500_000][:len(members)]
    fid = disbursed(teller, manager, kube_application(teller, 1, sum(amounts), shares=amounts))
    P.repay(teller, fid, 123_457, advance=True, member_id=members[0])
    P.repay(teller, fid, 77_777, advance=True, member_id=members[2])
    P.repay(teller, fid, 10_000, advance=True)  # the group, no member named

    file = detail(teller, fid)
    f = facts(teller.book.raw(), fid)
    assert file.left_principal == f.left_principal
    assert sum(s.outstanding for s in file.shares) == f.left_principal
    assert sum(s.owed for s in file.shares) == f.owed == file.owed
    for share in file.shares:
        exact = Fraction(share.amount * f.left_principal, f.principal)
        assert abs(share.outstanding - exact) < 1
    paid = {s.member_id: s.paid for s in file.shares}
    assert paid[members[0]] == 123_457 and paid[members[2]] == 77_777
    assert paid[members[1]] == 0 and file.group_paid == 10_000
    kinds = [(p.kind, p.member_name) for p in file.postings]
    assert kinds[0] == ("pencairan", "")
    assert kinds[1][0] == "angsuran" and kinds[1][1]
    assert file.postings[1].paid == 123_457
    assert file.postings[0].disbursed == sum(amounts) and file.postings[0].admin_fee == 25_000


@given(st.integers(0, 10**12), st.lists(st.integers(1, 10**9), min_size=1, max_size=25))
def test_split_by_shares_is_exact(total: int, weights: list[int]) -> None:
    parts = split_by_shares(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - Fraction(total * weight, whole)) < 1


# ----------------------------------------------------------------------------- one file, more
def test_a_file_keeps_charges_reschedules_and_history(teller: Session,
                                                      manager: Session) -> None:
    fid = disbursed(teller, manager, kube_application(teller, 1))
    late = later(manager, 60)
    charge = P.impose_tazir(late, fid, "Sengaja menunda padahal mampu")
    P.record_tawidh(manager, fid, 35_000, "Ongkos penagihan 2 kali")
    P.waive_charge(manager, charge, "Ternyata sakit")
    P.request_reschedule(teller, fid, 18, "bulanan", END + dt.timedelta(days=30), "Gagal panen")
    file = detail(teller, fid)
    assert [(c.kind, c.amount, c.waived) for c in file.charges] == [
        ("tawidh", 35_000, False), ("tazir", 10_000, True)]  # by date: the ta'zir is later
    assert file.charges[1].waive_reason == "Ternyata sakit" and file.charges_left == 35_000
    assert file.waiting_reschedule is not None and file.reschedules[0].requested_by
    actions = [h.action for h in file.history]
    assert actions[:3] == ["financing.apply", "financing.approve", "financing.disburse"]
    assert {"financing.tazir", "financing.tawidh", "financing.waive",
            "financing.reschedule_request"} <= set(actions)
    assert file.submitted_by == "Euis Nurhayati" and file.decided_by == "Hj. Siti Rohmah"
    waiting = [d for d in pending_decisions(manager) if d.financing_id == fid]
    assert [d.kind for d in waiting] == ["jadwal_ulang"]
    assert waiting[0].principal == file.left_principal and waiting[0].instalment > 0


# ------------------------------------------------------------------------------ collectibility
def test_collectibility_totals_npf_and_health(teller: Session, manager: Session) -> None:
    first = disbursed(teller, manager, kube_application(teller, 1))
    late = disbursed(teller, manager, kube_application(teller, 2, 3_000_000))
    on_time = disbursed(teller, manager, member_application(teller))
    P.repay(teller, on_time, 1_000_000, advance=True)
    P.repay(teller, first, 4_000_000, advance=True)
    report = collectibility_report(later(teller, 160))
    by_id = {r.financing_id: r for r in report.rows}
    assert report.rows[0].days >= report.rows[-1].days
    assert {by_id[first].klass, by_id[on_time].klass} == {"lancar", "dpk"}
    assert 0 < report.npf < 1
    assert report.outstanding == sum(r.outstanding for r in report.rows)
    assert report.reserve == sum(t.reserve for t in report.totals)
    assert report.npf == npf((r.klass, r.outstanding) for r in report.rows)
    assert report.health == health(report.npf)
    assert by_id[on_time].collateral == 6_000_000 and by_id[late].klass == "diragukan"
    assert [t.klass for t in report.totals] == ["lancar", "dpk", "kurang_lancar",
                                                "diragukan", "macet"]


def test_applicant_info_reads_income_kube_and_coordinator(teller: Session) -> None:
    member = kube_members(teller, 1)[0]
    info = applicant_info(teller, member_id=member)
    assert info.kube_id == 1 and info.kube_name == "Kube Mawar"
    group = applicant_info(teller, kube_id=1)
    assert [m[0] for m in group.members] == kube_members(teller, 1)
    assert group.income >= info.income
    assert applicant_info(teller, member_id=FREE).kube_id is None
    assert savings.member_accounts(teller, FREE)  # savings to disburse into
