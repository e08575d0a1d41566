"""Shared fixtures: real SQLite books in temporary folders, real migrations, no mocks."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bmt_desktop.gui.worker import Worker  # noqa: E402
from bmt_desktop.services.auth import create_user, login  # noqa: E402
from bmt_desktop.services.demo import DEMO_PASSWORD, build_demo  # noqa: E402
from bmt_desktop.services.session import Session  # noqa: E402
from bmt_desktop.services.setup import init_book  # noqa: E402
from bmt_desktop.store.book import Book, open_book  # noqa: E402

PASSWORD = "rahasia-123"
TODAY = dt.date(2026, 11, 29)
END = TODAY  # the last day of the demo books' history


@pytest.fixture(autouse=True)
def settings_in_tmp(tmp_path: Path) -> Iterator[None]:
    """No test reads or writes this computer's real Qt settings."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("BMT Desktop Test")
    QCoreApplication.setApplicationName("BMT Desktop Test")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    yield


@pytest.fixture
def worker(qtbot) -> Iterator[Worker]:  # noqa: ANN001 - pytest-qt's fixture
    """The window's serial worker; drained after the test."""
    w = Worker()
    yield w
    w.wait()


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """Demo books by size, each built once per run; tests open copies."""
    built: dict[int, Path] = {}

    def template(members: int = 40) -> Path:
        if members not in built:
            path = tmp_path_factory.mktemp(f"demo{members}") / "demo.bmt"
            build_demo(path, members=members, years=1, end=END).book.close()
            built[members] = path
        return built[members]

    return template


def open_demo_copy(template: Path, folder: Path) -> Book:
    path = folder / "demo.bmt"
    shutil.copyfile(template, path)
    return open_book(path)


@pytest.fixture
def demo(demo_templates: Callable[[int], Path], tmp_path: Path) -> Iterator[Book]:
    """A 40-member demo book (users admin, manajer, kasir, auditor), open for writing."""
    book = open_demo_copy(demo_templates(40), tmp_path)
    yield book
    book.close()


def session_of(book: Book, username: str) -> Session:
    """A session for a user without the argon2 check: for tests about what a role may do,
    where logging in is not under test (login itself is tested in test_office_and_users)."""
    from bmt_desktop.domain.permissions import Role

    book.use()
    user_id, full_name, role = book.raw().execute(
        "SELECT id, full_name, role FROM user WHERE username = ?", (username,)).fetchone()
    return Session(book, user_id, username, full_name, Role(role), today=TODAY)


def demo_session(book: Book, username: str, password: str = DEMO_PASSWORD) -> Session:
    session = login(book, username, password)
    session.today = END
    return session


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    return tmp_path / "kantor.bmt"


@pytest.fixture(scope="session")
def template_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per run (argon2 is slow on purpose); each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "kantor.bmt"
    opened = init_book(path, office_name="BMT Uji Coba", admin_username="admin",
                       admin_password=PASSWORD)
    admin = login(opened, "admin", PASSWORD)
    create_user(admin, "manajer", "Manajer Uji", "manager", PASSWORD)
    create_user(admin, "kasir", "Kasir Uji", "teller", PASSWORD)
    create_user(admin, "auditor", "Auditor Uji", "auditor", PASSWORD)
    opened.close()
    return path


@pytest.fixture
def book(book_path: Path, template_book: Path) -> Iterator[Book]:
    """A fresh office book with an admin and one user of every other role, open for writing."""
    shutil.copyfile(template_book, book_path)
    opened = open_book(book_path)
    yield opened
    opened.close()


def _session(book: Book, username: str) -> Session:
    session = login(book, username, PASSWORD)
    session.today = TODAY
    return session


@pytest.fixture
def admin(book: Book) -> Session:
    return _session(book, "admin")


@pytest.fixture
def manager(book: Book) -> Session:
    return _session(book, "manajer")


@pytest.fixture
def teller(book: Book) -> Session:
    return _session(book, "kasir")


@pytest.fixture
def auditor(book: Book) -> Session:
    return _session(book, "auditor")


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's reporter
    from tests.helpers.figures import FIGURES, LABELS

    if FIGURES:
        terminalreporter.section("Keandalan: figures of this run")
        for key, label in LABELS.items():
            if FIGURES[key]:
                terminalreporter.write_line(f"{FIGURES[key]:>8}  {label}")
