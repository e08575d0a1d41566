"""What a Windows PC brings: user folders with spaces and non-ASCII letters, a second program
holding the book, the data folder apart from the install folder, high-DPI screens.

Run through the command line in a separate process, as the installed program runs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bmt_desktop import paths
from bmt_desktop.store.book import open_book

ROOT = Path(__file__).resolve().parents[1]
FOLDER = "Buku BMT Ümi"
PASSWORD = "kata-sandi-umi-1"


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BMT_PASSWORD": PASSWORD, "BMT_NEW_PASSWORD": PASSWORD,
           "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "bmt_desktop.cli", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT,
                          timeout=120)


@pytest.fixture(scope="module")
def umi_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("profil") / "Users" / "Ümi Kalsūm" / FOLDER
    folder.mkdir(parents=True)
    path = folder / "kantor Ümi.bmt"
    result = _cli("init", "--db", path, "--office", "BMT Ümi Sejahtera", "--user", "admin")
    assert result.returncode == 0, result.stderr
    return path


def test_a_book_in_a_folder_with_spaces_and_non_ascii_letters(umi_book: Path) -> None:
    # verify (read-only URI), backup (backup API into another such folder) and the auditor's
    # snapshot all take the path as the person typed it
    assert _cli("verify", "--db", umi_book).returncode == 0
    backups = umi_book.parent / "cadangan Ümi"
    result = _cli("backup", "--db", umi_book, "--to", backups)
    assert result.returncode == 0, result.stderr
    assert len(list(backups.glob("*.bmt"))) == 1
    snapshot = umi_book.parent / "salinan auditor" / "salinan Ümi.bmt"
    result = _cli("snapshot", "--db", umi_book, "--out", snapshot)
    assert result.returncode == 0, result.stderr
    assert snapshot.is_file() and Path(str(snapshot) + ".sha256").is_file()
    assert _cli("verify", "--db", snapshot).returncode == 0


def test_a_held_book_names_its_holder_in_indonesian(umi_book: Path) -> None:
    # Given the book open for writing in this process (the teller's program)
    book = open_book(umi_book)
    try:
        # When another program wants to write to it
        result = _cli("user", "add", "--db", umi_book, "--user", "admin", "--username",
                      "kasir", "--name", "Kasir Ümi", "--role", "teller")
    finally:
        book.close()
    # Then it is refused with who holds it: this computer, this process
    assert result.returncode != 0
    assert "Buku sedang ditulis oleh" in result.stderr, result.stderr
    assert socket.gethostname() in result.stderr and str(os.getpid()) in result.stderr
    assert "Traceback" not in result.stderr
    # And once the holder is gone the same command goes through
    result = _cli("user", "add", "--db", umi_book, "--user", "admin", "--username", "kasir",
                  "--name", "Kasir Ümi", "--role", "teller")
    assert result.returncode == 0, result.stderr


def test_books_live_in_the_user_data_folder_not_beside_the_program() -> None:
    program = Path(sys.executable).resolve().parent
    for folder in (paths.books_dir(), paths.backups_dir()):
        assert paths.APP_DIR_NAME in folder.parts
        assert program not in folder.parents


def test_nothing_turns_high_dpi_scaling_off() -> None:
    # Qt 6 scales for high-DPI screens by itself (per monitor on Windows); nothing may stop it.
    offenders = []
    for path in (ROOT / "bmt_desktop").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for marker in ("QT_ENABLE_HIGHDPI_SCALING", "QT_SCALE_FACTOR", "QT_AUTO_SCREEN_SCALE",
                       "AA_DisableHighDpiScaling", "HighDpiScaleFactorRoundingPolicy",
                       "SetProcessDpiAware"):
            if marker in text:
                offenders.append(f"{path.relative_to(ROOT)}: {marker}")
    assert offenders == []


def test_a_windows_share_gets_a_uri_sqlite_accepts() -> None:
    from pathlib import PureWindowsPath

    from bmt_desktop.store import book as book_module

    class Share(type(PureWindowsPath())):  # resolve() of a share stays a share
        def resolve(self):  # noqa: ANN201
            return self

    uri = book_module.read_only_uri(Share(r"\\server\share\buku\kantor.bmt"))
    assert uri.startswith("file:////server/share/buku/kantor.bmt?mode=ro")
