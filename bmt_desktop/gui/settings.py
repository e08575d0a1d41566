"""Settings of this computer (QSettings): last book, idle lock, language, window state.

Settings of the office (products, rules) live in the book; these belong to the PC.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

from bmt_desktop import APP_NAME

DEFAULT_IDLE_MINUTES = 15
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}


def init_application_names() -> None:
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)


class AppSettings:
    def __init__(self) -> None:
        self._settings = QSettings()

    def _get(self, key: str, default: object, kind: type) -> object:
        value = self._settings.value(key, default)
        try:
            return kind(value)
        except (TypeError, ValueError):
            return default

    @property
    def last_book(self) -> Path | None:
        value = str(self._get("book/last", "", str))
        return Path(value) if value else None

    @last_book.setter
    def last_book(self, path: Path | None) -> None:
        self._settings.setValue("book/last", str(path) if path else "")

    @property
    def idle_minutes(self) -> int:
        minutes = int(self._get("session/idle_minutes", DEFAULT_IDLE_MINUTES, int))
        return minutes if 1 <= minutes <= 240 else DEFAULT_IDLE_MINUTES

    @idle_minutes.setter
    def idle_minutes(self, minutes: int) -> None:
        self._settings.setValue("session/idle_minutes", int(minutes))

    @property
    def language(self) -> str:
        language = str(self._get("ui/language", "id", str))
        return language if language in LANGUAGES else "id"

    @language.setter
    def language(self, language: str) -> None:
        self._settings.setValue("ui/language", language if language in LANGUAGES else "id")

    @property
    def backup_folder(self) -> Path:
        """Where automatic backups go (a USB drive, say); the user's data folder by default."""
        from bmt_desktop.paths import backups_dir

        value = str(self._get("backup/folder", "", str))
        return Path(value) if value else backups_dir()

    @backup_folder.setter
    def backup_folder(self, folder: Path | None) -> None:
        self._settings.setValue("backup/folder", str(folder) if folder else "")

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry = self._settings.value("window/geometry")
        state = self._settings.value("window/state")
        return (geometry if isinstance(geometry, QByteArray) else None,
                state if isinstance(state, QByteArray) else None)

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._settings.setValue("window/geometry", geometry)
        self._settings.setValue("window/state", state)

    def sync(self) -> None:
        self._settings.sync()
