"""Every service × every role: allowed or refused exactly as the permission table says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from bmt_desktop.domain.errors import PermissionDenied
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.domain.permissions import PERMISSIONS, Action, Role, is_allowed
from bmt_desktop.services import auth, ledger, maintenance, office
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from tests.conftest import PASSWORD, TODAY

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
    manager = auth.login(book, "manajer", PASSWORD)
    manager.today = TODAY
    return manager


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
}


def test_every_action_has_a_service_call() -> None:
    assert set(CALLS) == set(Action) == set(PERMISSIONS)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_permission_matrix(book: Book, tmp_path: Path, role: Role, action: Action) -> None:
    # Given a journal to reverse, posted by the manager
    manager = auth.login(book, "manajer", PASSWORD)
    manager.today = TODAY
    ledger.post_journal(manager, dt.date(2026, 11, 2), "Jurnal awal",
                        [LineSpec("101", debit=5000), LineSpec("301", credit=5000)])
    session = auth.login(book, USERS[role], PASSWORD)
    session.today = TODAY
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
