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
    MEMBER_REGISTER = "member.register"
    MEMBER_EXIT = "member.exit"
    SAVINGS_PRODUCT = "savings.product"
    SAVINGS_OPEN = "savings.open"
    CASH_TRANSACTION = "cash.transaction"
    DRAWER_OPERATE = "drawer.operate"
    DRAWER_APPROVE = "drawer.approve"
    MAAL_RECEIVE = "maal.receive"
    MAAL_PROPOSE = "maal.propose"
    MAAL_APPROVE = "maal.approve"
    PASSBOOK_PRINT = "passbook.print"
    SETTINGS_EDIT = "settings.edit"
    KUBE_MANAGE = "kube.manage"
    KUBE_MEETING = "kube.meeting"
    KUBE_STAGE = "kube.stage"
    KUBE_AID = "kube.aid"
    TRAINING_CURRICULUM = "training.curriculum"
    TRAINING_RECORD = "training.record"
    FINANCING_PRODUCT = "financing.product"
    FINANCING_APPLY = "financing.apply"
    FINANCING_APPROVE = "financing.approve"
    FINANCING_DISBURSE = "financing.disburse"
    FINANCING_WRITE_OFF = "financing.write_off"


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
    Action.MEMBER_REGISTER: frozenset({Role.TELLER, Role.MANAGER}),
    Action.MEMBER_EXIT: frozenset({Role.MANAGER}),
    Action.SAVINGS_PRODUCT: frozenset({Role.MANAGER}),
    Action.SAVINGS_OPEN: frozenset({Role.TELLER, Role.MANAGER}),
    Action.CASH_TRANSACTION: frozenset({Role.TELLER, Role.MANAGER}),
    Action.DRAWER_OPERATE: frozenset({Role.TELLER, Role.MANAGER}),
    Action.DRAWER_APPROVE: frozenset({Role.MANAGER}),
    Action.MAAL_RECEIVE: frozenset({Role.TELLER, Role.MANAGER}),
    Action.MAAL_PROPOSE: frozenset({Role.TELLER, Role.MANAGER}),
    Action.MAAL_APPROVE: frozenset({Role.MANAGER}),
    Action.PASSBOOK_PRINT: frozenset({Role.TELLER, Role.MANAGER}),
    Action.SETTINGS_EDIT: frozenset({Role.MANAGER}),
    Action.KUBE_MANAGE: frozenset({Role.TELLER, Role.MANAGER}),
    Action.KUBE_MEETING: frozenset({Role.TELLER, Role.MANAGER}),
    Action.KUBE_STAGE: frozenset({Role.MANAGER}),
    Action.KUBE_AID: frozenset({Role.MANAGER}),
    Action.TRAINING_CURRICULUM: frozenset({Role.MANAGER}),
    Action.TRAINING_RECORD: frozenset({Role.TELLER, Role.MANAGER}),
    Action.FINANCING_PRODUCT: frozenset({Role.MANAGER}),
    Action.FINANCING_APPLY: frozenset({Role.TELLER, Role.MANAGER}),
    Action.FINANCING_APPROVE: frozenset({Role.MANAGER}),
    Action.FINANCING_DISBURSE: frozenset({Role.TELLER, Role.MANAGER}),
    Action.FINANCING_WRITE_OFF: frozenset({Role.MANAGER}),
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
        Action.MEMBER_REGISTER: _("Register and edit members"),
        Action.MEMBER_EXIT: _("Settle a member's exit"),
        Action.SAVINGS_PRODUCT: _("Set up savings products"),
        Action.SAVINGS_OPEN: _("Open savings accounts"),
        Action.CASH_TRANSACTION: _("Take deposits and pay withdrawals"),
        Action.DRAWER_OPERATE: _("Open and close a cash drawer"),
        Action.DRAWER_APPROVE: _("Approve a cash difference"),
        Action.MAAL_RECEIVE: _("Receive zakat, infak and sedekah"),
        Action.MAAL_PROPOSE: _("Propose a Maal distribution"),
        Action.MAAL_APPROVE: _("Approve a Maal distribution"),
        Action.PASSBOOK_PRINT: _("Print receipts and passbooks"),
        Action.SETTINGS_EDIT: _("Change the office's settings"),
        Action.KUBE_MANAGE: _("Register Kube, their members and officers"),
        Action.KUBE_MEETING: _("Record meetings, collection sheets and visits"),
        Action.KUBE_STAGE: _("Override a Kube's stage"),
        Action.KUBE_AID: _("Record stimulant aid and bank linkage"),
        Action.TRAINING_CURRICULUM: _("Edit the training curriculum"),
        Action.TRAINING_RECORD: _("Record training sessions, participants and attendance"),
        Action.FINANCING_PRODUCT: _("Set up financing products"),
        Action.FINANCING_APPLY: _("Enter and submit financing applications"),
        Action.FINANCING_APPROVE: _("Approve financing, rescheduling and waivers"),
        Action.FINANCING_DISBURSE: _("Disburse approved financing"),
        Action.FINANCING_WRITE_OFF: _("Write off financing"),
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
