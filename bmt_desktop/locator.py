"""Find the data folders (ui/, resources/, db/) in a source checkout, a wheel or a frozen build.

One rule for all three so that nothing else in the program guesses paths:
- frozen (PyInstaller): the folders sit in the bundle's base directory (``sys._MEIPASS``);
- installed wheel: they travel inside the package as ``bmt_desktop/_data/<name>``;
- source checkout or editable install: they sit at the top of the repository.

``BMT_DATA_DIR`` names the folder instead (and then only that folder): for the self-test of a
damaged installation and for trying a build's data without rebuilding it.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

DATA_FOLDERS = ("db", "resources", "ui")
DATA_DIR_ENV = "BMT_DATA_DIR"
_PACKAGE_DIR = Path(__file__).resolve().parent


def find_data_root(package_dir: Path, frozen_base: str | None = None,
                   override: str | None = None) -> Path:
    """Return the folder holding db/, resources/ and ui/ for a given package location;
    ``override`` (the ``BMT_DATA_DIR`` setting) is then the only place looked at."""
    candidates: list[Path] = []
    if override:
        candidates.append(Path(override))
    else:
        if frozen_base:
            candidates.append(Path(frozen_base))
        candidates.append(package_dir / "_data")
        candidates.append(package_dir.parent)
    for candidate in candidates:
        if all((candidate / name).is_dir() for name in DATA_FOLDERS):
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"BMT Desktop data folders (db, resources, ui) not found in: {tried}")


@cache
def data_root() -> Path:
    return find_data_root(_PACKAGE_DIR, getattr(sys, "_MEIPASS", None),
                          os.environ.get(DATA_DIR_ENV) or None)


def db_dir() -> Path:
    return data_root() / "db"


def resources_dir() -> Path:
    return data_root() / "resources"


def ui_dir() -> Path:
    return data_root() / "ui"
