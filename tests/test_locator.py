"""The data folders are found the same way in a checkout, a wheel and a frozen build."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bmt_desktop.locator import DATA_FOLDERS, data_root, find_data_root

ROOT = Path(__file__).resolve().parents[1]


def _layout(base: Path) -> Path:
    for name in DATA_FOLDERS:
        (base / name).mkdir(parents=True)
    return base


def test_source_checkout_uses_the_repository_top(tmp_path: Path) -> None:
    _layout(tmp_path)
    package = tmp_path / "bmt_desktop"
    package.mkdir()
    assert find_data_root(package) == tmp_path


def test_installed_wheel_uses_the_data_inside_the_package(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "bmt_desktop"
    _layout(package / "_data")
    assert find_data_root(package) == package / "_data"


def test_frozen_build_uses_the_bundle_base(tmp_path: Path) -> None:
    bundle = _layout(tmp_path / "bundle")
    package = bundle / "bmt_desktop"
    package.mkdir()
    assert find_data_root(package, str(bundle)) == bundle


def test_missing_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="data folders"):
        find_data_root(tmp_path / "bmt_desktop")


def test_this_checkout_finds_its_folders() -> None:
    root = data_root()
    assert (root / "db" / "migrations" / "0001_core.sql").is_file()
    assert (root / "db" / "seed" / "chart_of_accounts.csv").is_file()
    assert (root / "resources" / "fonts" / "DejaVuSans.ttf").is_file()
    assert (root / "ui" / "login_dialog.ui").is_file()


@pytest.mark.slow
def test_the_wheel_carries_db_resources_and_ui(tmp_path: Path) -> None:
    # Given a wheel built from this checkout
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("bmt_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    # Then the data folders travel inside the package, where the locator looks
    for expected in (
        "bmt_desktop/_data/db/migrations/0001_core.sql",
        "bmt_desktop/_data/db/seed/chart_of_accounts.csv",
        "bmt_desktop/_data/resources/fonts/DejaVuSans.ttf",
        "bmt_desktop/_data/ui/login_dialog.ui",
    ):
        assert expected in names
    # And installing it elsewhere finds them from the installed package
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True,
    )
    probe = subprocess.run(
        [sys.executable, "-c", "from bmt_desktop.locator import data_root; print(data_root())"],
        env={"PYTHONPATH": str(target), "PATH": ""}, cwd=tmp_path, capture_output=True,
        text=True, check=True,
    )
    assert Path(probe.stdout.strip()) == target / "bmt_desktop" / "_data"
