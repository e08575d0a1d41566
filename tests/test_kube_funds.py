"""A Kube's group funds (IKS, group savings) at the counter; aid outcome and PHBK status."""

from __future__ import annotations

import pytest

from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.services import drawer, kube, ledger
from bmt_desktop.store.verify import verify_book
from tests.conftest import demo_session


def test_group_funds_take_in_and_pay_out_never_more_than_held(demo) -> None:
    teller = demo_session(demo, "kasir")
    kube_id = kube.list_kube(teller)[0].id
    before = kube.group_fund_balance(teller, kube_id, "tabungan")
    drawer.open_drawer(teller, 0)
    kube.group_fund_deposit(teller, kube_id, "tabungan", "250.000", "Bendahara Kube",
                            request_id="r-1")
    kube.group_fund_deposit(teller, kube_id, "tabungan", "250.000", "Bendahara Kube",
                            request_id="r-1")  # a second press posts nothing
    assert kube.group_fund_balance(teller, kube_id, "tabungan") == before + 250_000
    head = ledger.current_chain_head(demo)
    with pytest.raises(ValidationError):
        kube.group_fund_payout(teller, kube_id, "tabungan", before + 250_001, "Beli bahan")
    for bad in (0, -5, "abc", 10**16):
        with pytest.raises(ValidationError):
            kube.group_fund_deposit(teller, kube_id, "iks", bad, "X")
    with pytest.raises(ValidationError):
        kube.group_fund_deposit(teller, kube_id, "arisan", 1000, "X")
    assert ledger.current_chain_head(demo) == head
    kube.group_fund_payout(teller, kube_id, "tabungan", 100_000, "Beli bahan bersama")
    assert kube.group_fund_balance(teller, kube_id, "tabungan") == before + 150_000
    assert verify_book(demo.path).ok


def test_aid_outcome_and_phbk_status_are_the_managers_and_audited(demo) -> None:
    manager, teller = demo_session(demo, "manajer"), demo_session(demo, "kasir")
    (aid_id,) = demo.raw().execute("SELECT min(id) FROM stimulant_aid").fetchone()
    with pytest.raises(PermissionDenied):
        kube.update_aid_outcome(teller, aid_id, "rusak", "dijual")
    kube.update_aid_outcome(manager, aid_id, "rusak ringan", "diperbaiki dengan dana IKS")
    row = demo.raw().execute("SELECT condition, outcome FROM stimulant_aid WHERE id = ?",
                             (aid_id,)).fetchone()
    assert row == ("rusak ringan", "diperbaiki dengan dana IKS")
    (action,) = demo.raw().execute(
        "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert action == "kube.aid_update"
    with pytest.raises(ValidationError):
        kube.update_aid_outcome(manager, 999_999, "", "")
    with pytest.raises(ValidationError):
        kube.update_link_status(manager, 999_999, "lunas")


def test_a_collection_sheet_gives_a_group_receipt_and_one_per_member(demo) -> None:
    from bmt_desktop.services.documents import receipt_data

    teller = demo_session(demo, "kasir")
    kube_id = kube.list_kube(teller)[0].id
    members = [m[0] for m in kube.current_members(teller, kube_id)]
    drawer.open_drawer(teller, 0)
    saved = kube.hold_meeting(
        teller, kube.MeetingInput(kube_id, teller.today, present=members),
        [kube.SheetRow(members[0], wajib=10_000, iks=2_000),
         kube.SheetRow(members[1], sukarela=5_000, iks=2_000)], request_id="rapat-1")
    group = receipt_data(teller, saved.posted.doc_number)
    assert group.amount == 19_000 and "2" in group.received_from
    own = receipt_data(teller, saved.posted.doc_number, member_id=members[1])
    assert own.amount == 7_000 and own.number == group.number
    with pytest.raises(ValidationError):
        receipt_data(teller, saved.posted.doc_number, member_id=members[2])
    # the same press again records no second meeting
    again = kube.hold_meeting(
        teller, kube.MeetingInput(kube_id, teller.today, present=members),
        [kube.SheetRow(members[0], wajib=10_000)], request_id="rapat-1")
    assert again.meeting_id is None and again.posted.doc_number == saved.posted.doc_number
