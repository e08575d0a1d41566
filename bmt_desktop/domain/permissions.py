"""Who may do what. The services check this table; the GUI only hides what it forbids.

The README's permission table is generated from ``PERMISSIONS`` (a test keeps them equal).
"""

from __future__ import annotations

from enum import StrEnum

from bmt_desktop.i18n import _


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    TELLER = "teller"
    AUDITOR = "auditor"


class Action(StrEnum):
    OFFICE_EDIT = "office.edit"
    USER_MANAGE = "user.manage"
    JOURNAL_POST = "journal.post"
    JOURNAL_REVERSE = "journal.reverse"
    PERIOD_CLOSE = "period.close"
    LEDGER_VIEW = "ledger.view"
    BOOK_VERIFY = "book.verify"
    BACKUP_RUN = "backup.run"
    BACKUP_RESTORE = "backup.restore"


PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.OFFICE_EDIT: frozenset({Role.ADMIN}),
    Action.USER_MANAGE: frozenset({Role.ADMIN}),
    Action.JOURNAL_POST: frozenset({Role.MANAGER}),
    Action.JOURNAL_REVERSE: frozenset({Role.MANAGER}),
    Action.PERIOD_CLOSE: frozenset({Role.MANAGER}),
    Action.LEDGER_VIEW: frozenset({Role.ADMIN, Role.MANAGER, Role.TELLER, Role.AUDITOR}),
    Action.BOOK_VERIFY: frozenset({Role.ADMIN, Role.MANAGER, Role.AUDITOR}),
    Action.BACKUP_RUN: frozenset({Role.ADMIN, Role.MANAGER}),
    Action.BACKUP_RESTORE: frozenset({Role.ADMIN}),
}

# Roles that may never write to the book, whatever the table says elsewhere.
READ_ONLY_ROLES = frozenset({Role.AUDITOR})


def role_label(role: Role) -> str:
    return {
        Role.ADMIN: _("Administrator"),
        Role.MANAGER: _("Manager"),
        Role.TELLER: _("Teller"),
        Role.AUDITOR: _("Auditor"),
    }[role]


def action_label(action: Action) -> str:
    return {
        Action.OFFICE_EDIT: _("Edit the office profile"),
        Action.USER_MANAGE: _("Manage users and roles"),
        Action.JOURNAL_POST: _("Post a general journal"),
        Action.JOURNAL_REVERSE: _("Reverse a posted journal"),
        Action.PERIOD_CLOSE: _("Close a period"),
        Action.LEDGER_VIEW: _("View the ledger and reports"),
        Action.BOOK_VERIFY: _("Verify the book"),
        Action.BACKUP_RUN: _("Back up the book"),
        Action.BACKUP_RESTORE: _("Restore the book from a backup"),
    }[action]


def is_allowed(role: Role, action: Action) -> bool:
    return role in PERMISSIONS[action]


def permission_table_markdown() -> str:
    """The permission table as Markdown, in the order of ``Action`` and ``Role``."""
    roles = list(Role)
    head = "| " + _("Action") + " | " + " | ".join(role_label(r) for r in roles) + " |"
    rule = "|---|" + "|".join(":-:" for _r in roles) + "|"
    rows = [
        f"| {action_label(a)} (`{a.value}`) | "
        + " | ".join("✔" if is_allowed(r, a) else "—" for r in roles)
        + " |"
        for a in Action
    ]
    return "\n".join([head, rule, *rows])
