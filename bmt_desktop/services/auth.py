"""Users, roles and passwords (argon2id)."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bmt_desktop.domain.errors import AuthenticationError, ValidationError
from bmt_desktop.domain.journal_rules import check_text
from bmt_desktop.domain.permissions import Action, Role
from bmt_desktop.i18n import _
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import SYSTEM, Actor, append, utc_now
from bmt_desktop.store.book import Book
from bmt_desktop.store.models import User

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD = 8
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError(
            _("The password must have at least {n} characters.").format(n=MIN_PASSWORD)
        )
    if len(password) > 256:
        raise ValidationError(_("The password is too long."))
    return password


def check_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not _USERNAME.match(name):
        raise ValidationError(
            _(
                "User name {name!r} is not valid: 2–32 lowercase letters, digits, dot, dash or "
                "underscore, starting with a letter."
            ).format(name=str(username)[:40])
        )
    return name


def _parse_role(role: str | Role) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ValidationError(
            _("Unknown role {role!r}; choose one of: {roles}.").format(
                role=str(role)[:20], roles=", ".join(r.value for r in Role)
            )
        ) from None


def insert_user(book: Book, actor: Actor, username: str, full_name: str, role: str | Role,
                password: str) -> int:
    """Write a user inside the caller's transaction (used by setup and by ``create_user``)."""
    name = check_username(username)
    role = _parse_role(role)
    full = check_text(full_name, _("Full name"), required=True, limit=100)
    _check_password(password)
    if User.select().where(User.username == name).exists():
        raise ValidationError(_("User name {name} is already taken.").format(name=name))
    user = User.create(
        username=name, full_name=full, role=role.value, password_hash=hash_password(password),
        active=True, created_at=utc_now(),
    )
    append(
        book.raw(), actor, "user.create", "user", user.id,
        after={"username": name, "full_name": full, "role": role.value, "active": True},
    )
    return int(user.id)


def create_user(session: Session, username: str, full_name: str, role: str | Role,
                password: str) -> int:
    session.require(Action.USER_MANAGE)
    with session.book.transaction():
        return insert_user(session.book, session.actor, username, full_name, role, password)


def set_user_active(session: Session, username: str, active: bool) -> None:
    session.require(Action.USER_MANAGE)
    with session.book.transaction():
        user = User.get_or_none(User.username == (username or "").strip().lower())
        if user is None:
            raise ValidationError(_("User {name} does not exist.").format(name=username))
        if user.id == session.user_id and not active:
            raise ValidationError(_("You cannot deactivate your own account."))
        before = bool(user.active)
        User.update(active=active).where(User.id == user.id).execute()
        append(session.book.raw(), session.actor, "user.update", "user", user.id,
               before={"active": before}, after={"active": active})


def change_password(session: Session, old: str, new: str) -> None:
    if session.book.read_only:
        session.require(Action.LEDGER_VIEW)  # raises the read-only message
    with session.book.transaction():
        user = User.get_by_id(session.user_id)
        _verify(user.password_hash, old)
        User.update(password_hash=hash_password(_check_password(new))).where(
            User.id == user.id
        ).execute()
        append(session.book.raw(), session.actor, "user.password", "user", user.id,
               after={"password": "diubah"})


def _verify(stored: str, password: str) -> None:
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        raise AuthenticationError(_("Wrong user name or password.")) from None


def login(book: Book, username: str, password: str) -> Session:
    """Check the password and return a session; the same message for any failure."""
    book.use()
    user = User.get_or_none(User.username == (username or "").strip().lower())
    if user is None:
        _hasher.hash("x" * MIN_PASSWORD)  # spend the same time as a real check
        raise AuthenticationError(_("Wrong user name or password."))
    _verify(user.password_hash, password or "")
    if not user.active:
        raise AuthenticationError(_("The account {name} is deactivated.").format(name=user.username))
    return Session(book, int(user.id), user.username, user.full_name, Role(user.role))


def system_actor() -> Actor:
    return SYSTEM
