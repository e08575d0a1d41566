"""Where books and backups live: the user's data folder (AppData on Windows), never the
install folder."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

APP_DIR_NAME = "BMT Desktop"


def data_home() -> Path:
    return user_data_path(APP_DIR_NAME, appauthor=False, ensure_exists=False)


def books_dir() -> Path:
    return data_home() / "buku"


def backups_dir() -> Path:
    return data_home() / "cadangan"


def default_book() -> Path:
    return books_dir() / "kantor.bmt"


def demo_book() -> Path:
    return books_dir() / "demo.bmt"
