"""Every service × every role: allowed or refused exactly as the permission table says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from bmt_desktop.domain.errors import PermissionDenied
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.domain.permissions import PERMISSIONS, Action, Role, is_allowed
from bmt_desktop.services import (
    auth,
    book_settings,
    documents,
    drawer,
    financing,
    financing_payments,
    kube,
    ledger,
    maal,
    maintenance,
    member_exit,
    members,
    office,
    savings,
    training,
)
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from tests.conftest import PASSWORD, TODAY, session_of

USERS = {Role.ADMIN: "admin", Role.MANAGER: "manajer", Role.TELLER: "kasir",
         Role.AUDITOR: "auditor"}


def _post(session: Session, tmp: Path) -> object:
    return ledger.post_journal(session, TODAY, "Uji izin",
                               [LineSpec("101", debit=1000), LineSpec("301", credit=1000)])


def _reverse(session: Session, tmp: Path) -> object:
    return ledger.reverse_journal(session, 1, "uji izin")


def _restore(session: Session, tmp: Path) -> object:
    folder = tmp / "cadangan"
    if not folder.exists():  # the backup is made by the test set-up's manager
        maintenance.backup(_manager_of(session.book), folder)
    (copy,) = folder.glob("*.bmt")
    return maintenance.restore(session, copy)


def _manager_of(book: Book) -> Session:
    manager = session_of(book, "manajer")
    return manager


# ---- the teller's world: a member with accounts, a teller drawer, Maal money, a proposal

NIK = "3601141803951501"


def _login(book: Book, username: str) -> Session:
    session = session_of(book, username)
    session.today = TODAY
    return session


def _ensure_drawer(session: Session) -> None:
    if drawer.current_drawer(session) is None:
        drawer.open_drawer(session, 0)


def _world(book: Book) -> dict[str, object]:
    """Made by the manager and the teller before the role under test acts."""
    manager, teller = _login(book, "manajer"), _login(book, "kasir")
    member = members.register_member(teller, members.MemberInput(name="Asep", nik=NIK))
    account = savings.open_account(teller, member.id, "SS")
    drawer.open_drawer(teller, 0)
    savings.deposit(teller, account.number, 50_000)
    maal.receive(teller, "infak", "Hamba Allah", 40_000)
    proposal = maal.propose(teller, "infak", "Bu Onih", "Sekolah", 10_000)
    return {"member": member.id, "account": account.number, "proposal": proposal.id,
            "manager": manager, "teller": teller}


def _pending_drawer(book: Book, world: dict[str, object]) -> int:
    teller = world["teller"]
    state = drawer.close_drawer(teller, {100: 1})  # Rp100 more than expected: waits
    return state.id


WORLD: dict[str, object] = {}


def _deposit(session: Session, tmp: Path) -> object:
    session.require(Action.CASH_TRANSACTION)
    _ensure_drawer(session)
    return savings.deposit(session, WORLD["account"], 1_000)


def _maal_receive(session: Session, tmp: Path) -> object:
    session.require(Action.MAAL_RECEIVE)
    _ensure_drawer(session)
    return maal.receive(session, "zakat", "Hamba Allah", 1_000)


def _kube_for(session: Session, action: Action) -> int:
    """A Kube to act on, made only when the role may act: a refused role gets an id that does
    not exist, so its refusal is the service's own and nothing is written before it."""
    if not is_allowed(session.role, action):
        return 1
    maker = session if is_allowed(session.role, Action.KUBE_MANAGE) \
        else _manager_of(session.book)
    return kube.create_kube(maker, kube.KubeInput(name="Kube Uji Izin", formed_on=TODAY))


def _application(session: Session) -> financing.ApplicationInput:
    return financing.ApplicationInput(
        "MRI", 2_000_000, 6, "bulanan", "Uji izin", member_id=WORLD["member"], rate_bp=1200,
        goods="Mesin jahit", supplier="Toko Jaya", cost_price=2_000_000,
        collateral=[financing.Collateral("BPKB", 3_000_000, 2_000_000)])


def _financing_for(session: Session, action: Action, status: str) -> int:
    """A financing in ``status`` made by the teller (and decided by the manager), only when
    the role may act; a refused role gets an id that does not exist."""
    if not is_allowed(session.role, action):
        return 1
    teller, manager = WORLD["teller"], _login(session.book, "manajer")
    fid = financing.apply(teller, _application(teller))
    if status != "pengajuan":
        financing.decide(manager, fid, True)
    if status == "cair":
        account = session.book.raw().execute(
            "SELECT id FROM savings_account WHERE number = ?", (WORLD["account"],)).fetchone()[0]
        financing.disburse(teller, fid, to="tabungan", savings_account_id=account)
    return fid


def _write_off(session: Session, tmp: Path) -> object:
    fid = _financing_for(session, Action.FINANCING_WRITE_OFF, "cair")
    session.today = TODAY + dt.timedelta(days=400)  # Macet by then
    return financing_payments.write_off(session, fid, "Uji izin")


CALLS: dict[Action, Callable[[Session, Path], object]] = {
    Action.OFFICE_EDIT: lambda s, t: office.update_profile(s, address="Jl. Baru"),
    Action.USER_MANAGE: lambda s, t: auth.create_user(s, "baru", "Baru", "teller", PASSWORD),
    Action.JOURNAL_POST: _post,
    Action.JOURNAL_REVERSE: _reverse,
    Action.PERIOD_CLOSE: lambda s, t: ledger.close_period(s, 2026, 10),
    Action.LEDGER_VIEW: lambda s, t: ledger.trial_balance(s),
    Action.BOOK_VERIFY: lambda s, t: maintenance.verify(s),
    Action.BACKUP_RUN: lambda s, t: maintenance.backup(s, t / "cadangan"),
    Action.BACKUP_RESTORE: _restore,
    Action.MEMBER_REGISTER: lambda s, t: members.register_member(
        s, members.MemberInput(name="Siti", nik="3601145406791782")),
    Action.MEMBER_EXIT: lambda s, t: member_exit.exit_member(s, WORLD["member2"], "pindah"),
    Action.SAVINGS_PRODUCT: lambda s, t: savings.update_product(s, "SS", min_balance=5_000),
    Action.SAVINGS_OPEN: lambda s, t: savings.open_account(s, WORLD["member"], "TM"),
    Action.CASH_TRANSACTION: _deposit,
    Action.DRAWER_OPERATE: lambda s, t: drawer.current_drawer(s) or drawer.open_drawer(s, 0)
    if s.role is not Role.TELLER else drawer.close_drawer(s, {}),
    Action.DRAWER_APPROVE: lambda s, t: drawer.approve_difference(s, WORLD["pending"]),
    Action.MAAL_RECEIVE: _maal_receive,
    Action.MAAL_PROPOSE: lambda s, t: maal.propose(s, "infak", "Pak Oman", "Obat", 5_000),
    Action.MAAL_APPROVE: lambda s, t: maal.decide(s, WORLD["proposal"], True),
    Action.PASSBOOK_PRINT: lambda s, t: documents.passbook_pending(s, WORLD["account"]),
    Action.SETTINGS_EDIT: lambda s, t: book_settings.set_setting(
        s, "member_number_pattern", "A-{seq:05d}"),
    Action.KUBE_MANAGE: lambda s, t: kube.create_kube(
        s, kube.KubeInput(name="Kube Mawar", desa="Sukajaya", formed_on=TODAY)),
    Action.KUBE_MEETING: lambda s, t: kube.record_visit(
        s, WORLD["member"], TODAY, 1_500_000, "berjalan"),
    Action.KUBE_STAGE: lambda s, t: kube.override_stage(
        s, _kube_for(s, Action.KUBE_STAGE), "tumbuh", "Uji izin"),
    Action.KUBE_AID: lambda s, t: kube.record_aid(
        s, _kube_for(s, Action.KUBE_AID), "barang", "Mesin jahit", 2_000_000, "Kemensos", TODAY),
    Action.TRAINING_CURRICULUM: lambda s, t: training.add_topic(
        s, "UJI-IZIN", "Topik uji izin", "sosial"),
    Action.TRAINING_RECORD: lambda s, t: training.create_session(s, training.SessionInput(
        "Pelatihan uji izin", "sosial", TODAY, TODAY, topics=["DIRI"])),
    Action.FINANCING_PRODUCT: lambda s, t: financing.update_product(s, "MRI", admin_fee=40_000),
    Action.FINANCING_APPLY: lambda s, t: financing.apply(s, _application(s)),
    Action.FINANCING_APPROVE: lambda s, t: financing.decide(
        s, _financing_for(s, Action.FINANCING_APPROVE, "pengajuan"), True),
    Action.FINANCING_DISBURSE: lambda s, t: financing.disburse(
        s, _financing_for(s, Action.FINANCING_DISBURSE, "disetujui"), to="tabungan",
        savings_account_id=s.book.raw().execute(
            "SELECT id FROM savings_account WHERE number = ?", (WORLD["account"],)).fetchone()[0]),
    Action.FINANCING_WRITE_OFF: _write_off,
}


def test_every_action_has_a_service_call() -> None:
    assert set(CALLS) == set(Action) == set(PERMISSIONS)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_permission_matrix(book: Book, tmp_path: Path, role: Role, action: Action) -> None:
    # Given a journal to reverse, posted by the manager
    manager = session_of(book, "manajer")
    ledger.post_journal(manager, dt.date(2026, 11, 2), "Jurnal awal",
                        [LineSpec("101", debit=5000), LineSpec("301", credit=5000)])
    session = session_of(book, USERS[role])
    session.today = TODAY
    head = ledger.current_chain_head(book)
    WORLD.clear()
    WORLD.update(_world(book))
    teller = WORLD["teller"]
    WORLD["member2"] = members.register_member(
        teller, members.MemberInput(name="Oman", nik="3601141203800002")).id
    if action is Action.DRAWER_APPROVE:
        WORLD["pending"] = _pending_drawer(book, WORLD)
    head = ledger.current_chain_head(book)
    # When the role calls the service
    if action is Action.BACKUP_RESTORE:
        maintenance.backup(manager, tmp_path / "cadangan")
    if is_allowed(role, action):
        CALLS[action](session, tmp_path)
    else:
        with pytest.raises(PermissionDenied):
            CALLS[action](session, tmp_path)
        # Then a refusal writes nothing
        assert ledger.current_chain_head(book) == head
