"""The Kube's read-only lists for the screen: stimulant aid, bank linkages and monitoring
visits, read from the demo book."""

from __future__ import annotations

import pytest

from bmt_desktop.services import kube
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from tests.conftest import demo_session


@pytest.fixture
def manager(demo: Book) -> Session:
    return demo_session(demo, "manajer")


def _first(session: Session) -> kube.KubeRow:
    return kube.list_kube(session)[0]


def test_aid_list_has_the_demo_aid_of_the_kube_only(manager: Session) -> None:
    first, second = kube.list_kube(manager)[:2]
    rows = kube.aid_list(manager, first.id)
    assert len(rows) == 1
    aid = rows[0]
    assert (aid.kind, aid.source, aid.condition) == ("barang", "Kementerian Sosial RI", "baik")
    assert aid.value == 2_000_000 * first.members and aid.item
    assert aid.received_on > first.formed_on
    assert aid.outcome == "dipakai bersama untuk usaha kelompok"
    assert {a.id for a in kube.aid_list(manager, second.id)}.isdisjoint({aid.id})


def test_aid_list_is_newest_first_and_shows_an_outcome_update(manager: Session) -> None:
    row = _first(manager)
    newer = kube.record_aid(manager, row.id, "uang", "Modal usaha", 3_000_000,
                            "Dinas Sosial", "2026-11-20")
    rows = kube.aid_list(manager, row.id)
    assert [a.id for a in rows][0] == newer and len(rows) == 2
    kube.update_aid_outcome(manager, newer, "utuh", "dibelikan bahan dagangan")
    updated = kube.aid_list(manager, row.id)[0]
    assert (updated.kind, updated.value, updated.condition, updated.outcome) == (
        "uang", 3_000_000, "utuh", "dibelikan bahan dagangan")


def test_links_list_shows_the_linkages_newest_first(manager: Session) -> None:
    row = _first(manager)
    assert kube.links_list(manager, row.id) == []
    older = kube.link_bank(manager, row.id, "perantara", "BPRS Cilegon", "2026-05-01",
                           5_000_000, "ditolak")
    newer = kube.link_bank(manager, row.id, "langsung", "BRI Unit Cadasari", "2026-10-01",
                           10_000_000, "lunas")
    links = kube.links_list(manager, row.id)
    assert [link.id for link in links] == [newer, older]
    assert (links[0].model, links[0].bank, links[0].linked_on, links[0].amount,
            links[0].status) == ("langsung", "BRI Unit Cadasari", "2026-10-01", 10_000_000,
                                 "lunas")
    kube.update_link_status(manager, older, "usulan")
    assert kube.links_list(manager, row.id)[1].status == "usulan"
    assert kube.links_list(manager, kube.list_kube(manager)[1].id) == []


def test_visits_list_has_the_members_visits_newest_first(manager: Session) -> None:
    row = _first(manager)
    members = {m[1]: m[2] for m in kube.current_members(manager, row.id)}
    visits = kube.visits_list(manager, row.id)
    assert visits and {v.member_number for v in visits} <= set(members)
    assert all(members[v.member_number] == v.member_name for v in visits)
    days = [v.visited_on for v in visits]
    assert days == sorted(days, reverse=True)
    assert all(v.business_status in kube.BUSINESS_STATUSES and v.monthly_income > 0
               for v in visits)
    # a new visit comes first; a member of another Kube is not listed
    member_id = kube.current_members(manager, row.id)[0][0]
    new = kube.record_visit(manager, member_id, "2026-11-29", 0, "berhenti", "Tutup sementara")
    first = kube.visits_list(manager, row.id)[0]
    assert (first.id, first.monthly_income, first.business_status, first.notes) == (
        new, 0, "berhenti", "Tutup sementara")
    other = kube.list_kube(manager)[1]
    theirs = {v.id for v in kube.visits_list(manager, other.id)}
    assert theirs and theirs.isdisjoint({v.id for v in kube.visits_list(manager, row.id)})


def test_a_member_who_left_keeps_only_the_visits_while_in_the_kube(manager: Session) -> None:
    row = _first(manager)
    member_id, number, _name = kube.current_members(manager, row.id)[0]
    before = [v for v in kube.visits_list(manager, row.id) if v.member_number == number]
    kube.remove_member(manager, row.id, member_id, "2026-11-28")
    kube.record_visit(manager, member_id, "2026-11-29", 1_000_000, "berjalan")
    after = [v for v in kube.visits_list(manager, row.id) if v.member_number == number]
    assert [v.id for v in after] == [v.id for v in before if v.visited_on <= "2026-11-28"]


def test_the_lists_are_open_to_an_auditor(demo: Book) -> None:
    auditor = demo_session(demo, "auditor")
    row = _first(auditor)
    assert kube.aid_list(auditor, row.id) and kube.visits_list(auditor, row.id)
    assert kube.links_list(auditor, row.id) == []

