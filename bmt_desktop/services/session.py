"""A logged-in user working on an open book; every service takes one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bmt_desktop.domain.errors import PermissionDenied, ReadOnlyBookError
from bmt_desktop.domain.permissions import (
    READ_ONLY_ROLES,
    Action,
    Role,
    action_label,
    is_allowed,
    role_label,
)
from bmt_desktop.i18n import _
from bmt_desktop.store.audit import Actor
from bmt_desktop.store.book import Book


@dataclass
class Session:
    book: Book
    user_id: int
    username: str
    full_name: str
    role: Role
    # The business date: what "today" is for postings (a setting later; the clock by default).
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.username)

    def require(self, action: Action, *, writes: bool = True) -> None:
        """Refuse unless the role may do ``action`` (and, for writes, the book is writable)."""
        self.book.use()
        if not is_allowed(self.role, action) or (writes and self.role in READ_ONLY_ROLES):
            raise PermissionDenied(
                _("User {user} ({role}) may not: {action}.").format(
                    user=self.username, role=role_label(self.role), action=action_label(action)
                )
            )
        if writes and self.book.read_only:
            raise ReadOnlyBookError(_("The book is open read-only; nothing was written."))
