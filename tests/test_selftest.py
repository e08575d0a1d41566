"""``bmt-desktop --self-test`` and the packaging around it (spec, Inno Setup, workflow).

The frozen build itself is made and self-tested by ``bash installer/build_linux.sh`` (about
half a minute, too slow for every run); here the same self-test runs from source, once whole
and twice on damaged data folders, and the packaging files are checked for what they must say.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bmt_desktop.locator import DATA_DIR_ENV, DATA_FOLDERS, find_data_root

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "version"]


def _self_test(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8",
                   **env}
    return subprocess.run([sys.executable, "-m", "bmt_desktop.cli", "--self-test"],
                          capture_output=True, text=True, encoding="utf-8", env=environment,
                          cwd=ROOT, timeout=300)


def _copy_data(target: Path) -> Path:
    for name in DATA_FOLDERS:
        shutil.copytree(ROOT / name, target / name)
    return target


# --------------------------------------------------------------------------- the self-test


def test_self_test_passes_and_speaks_indonesian() -> None:
    # When the self-test runs on this checkout
    result = _self_test()
    # Then every check passed, each said so on its own line, in Indonesian
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("BMT Desktop") and "uji mandiri" in lines[0].lower()
    checks = [line for line in lines if line.startswith("[")]
    assert len(checks) == 19
    assert all(line.startswith("[OK] ") for line in checks), result.stdout
    assert any("Buku BMT Ümi" in line for line in checks)  # spaces and a non-ASCII letter
    assert any("Rp125.000" in line for line in checks)
    assert "Uji mandiri berhasil" in lines[-1]
    assert "Traceback" not in result.stderr


def test_a_missing_font_fails_with_an_indonesian_reason(tmp_path: Path) -> None:
    # Given data folders whose bold font is missing
    data = _copy_data(tmp_path / "data BMT")
    (data / "resources" / "fonts" / "DejaVuSans-Bold.ttf").unlink()
    # When the self-test runs on them
    result = _self_test(**{DATA_DIR_ENV: str(data)})
    # Then it exits 1 and names the check and the missing file, in Indonesian
    assert result.returncode == 1, result.stdout + result.stderr
    failed = [line for line in result.stdout.splitlines() if line.startswith("[GAGAL]")]
    assert failed, result.stdout
    assert failed[0].startswith("[GAGAL] Font: tidak ada: ")
    assert "DejaVuSans-Bold.ttf" in failed[0]
    assert "Uji mandiri GAGAL" in result.stdout.splitlines()[-1]
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_data_folders_fail_without_a_traceback(tmp_path: Path) -> None:
    # Given a data folder that holds nothing
    empty = tmp_path / "kosong"
    empty.mkdir()
    # When the self-test runs on it
    result = _self_test(**{DATA_DIR_ENV: str(empty)})
    # Then it exits 1, says where it looked, and skips what needs the data
    assert result.returncode == 1, result.stdout + result.stderr
    first = next(line for line in result.stdout.splitlines() if line.startswith("["))
    assert str(empty) in first
    assert "Traceback" not in result.stdout + result.stderr


def test_the_locator_override_is_the_only_place_looked_at(tmp_path: Path) -> None:
    for name in DATA_FOLDERS:
        (tmp_path / "elsewhere" / name).mkdir(parents=True)
    assert find_data_root(ROOT / "bmt_desktop", None, str(tmp_path / "elsewhere")) == \
        tmp_path / "elsewhere"
    with pytest.raises(FileNotFoundError, match="kosong"):
        find_data_root(ROOT / "bmt_desktop", None, str(tmp_path / "kosong"))


# --------------------------------------------------------------------------- packaging files


def test_the_spec_is_python_and_reads_the_version_from_pyproject() -> None:
    spec = (INSTALLER / "bmt_desktop.spec").read_text(encoding="utf-8")
    ast.parse(spec)
    assert 'PYPROJECT["project"]["version"]' in spec
    assert "installer" in spec and "entry.py" in spec
    for folder in DATA_FOLDERS:
        assert f'"{folder}"' in spec
    for unwanted in ("QtWebEngineCore", "Qt3DCore", "QtMultimedia", "QtQuick", "QtQml"):
        assert f'"{unwanted}"' in spec  # in the exclusion list
    assert (ROOT / "resources" / "icons" / "bmt-desktop.ico").is_file()
    entry = (INSTALLER / "entry.py").read_text(encoding="utf-8")
    assert entry.index("freeze_support()") < entry.index("from bmt_desktop.cli import main")


def test_the_inno_setup_script_installs_per_user_and_keeps_the_books() -> None:
    iss = (INSTALLER / "bmt_desktop.iss").read_text(encoding="utf-8")
    setup = dict(re.findall(r"^(\w+)=(.*)$", iss, flags=re.MULTILINE))
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"] == r"{autopf}\{#AppName}"
    assert setup["AppVersion"] == "{#AppVersion}"
    assert "#error" in iss  # no version, no installer
    assert r'"{localappdata}\BMT Desktop"' in iss  # the data folder named on uninstall
    assert "{autoprograms}" in iss and "{autodesktop}" in iss and "desktopicon" in iss
    assert "compiler:Default.isl,Indonesian.isl" in iss
    assert "[UninstallDelete]" not in iss  # nothing of the user's data is removed
    # The data folder the uninstaller names is the one the program uses.
    assert r"%LOCALAPPDATA%\BMT Desktop\buku" in (ROOT / "README.md").read_text(encoding="utf-8")
    # Inno Setup reads these files in the system code page when they are not UTF-8.
    for name in ("bmt_desktop.iss", "Indonesian.isl"):
        (INSTALLER / name).read_bytes().decode("ascii")


def test_the_indonesian_messages_override_known_messages() -> None:
    isl = (INSTALLER / "Indonesian.isl").read_text(encoding="ascii")
    assert "LanguageID=$0421" in isl
    names = re.findall(r"^(\w+)=", isl, flags=re.MULTILINE)
    assert len(names) == len(set(names))
    for name in ("ButtonNext", "ButtonInstall", "WelcomeLabel1", "FinishedLabel",
                 "UninstalledAll", "CreateDesktopIcon", "LaunchProgram"):
        assert name in names


def test_the_build_scripts_pass_the_version_and_run_the_self_test() -> None:
    ps1 = (INSTALLER / "build_windows.ps1").read_text(encoding="utf-8")
    assert "pyproject.toml" in ps1 and "/DAppVersion=$version" in ps1
    assert r"dist\bmt-desktop\bmt-desktop.exe" in ps1 and "--self-test" in ps1
    sh = (INSTALLER / "build_linux.sh").read_text(encoding="utf-8")
    assert "QT_QPA_PLATFORM=offscreen" in sh and "--self-test" in sh


def test_the_windows_workflow_builds_tests_and_uploads_the_installer() -> None:
    text = (ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")
    for needed in ("runs-on: windows-latest", 'python-version: "3.11"',
                   'pip install -e ".[test]" pyinstaller', "QT_QPA_PLATFORM: offscreen",
                   "pytest", r".\installer\build_windows.ps1", "innosetup",
                   "actions/upload-artifact", "path: dist/installer/*.exe"):
        assert needed in text, needed
    try:
        import yaml
    except ImportError:  # not a test dependency: the text checks above stand
        return
    workflow = yaml.safe_load(text)
    assert {job["runs-on"] for job in workflow["jobs"].values()} == {"windows-latest"}
