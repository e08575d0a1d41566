"""Settings of this computer: the idle lock and the program's language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.gui.settings import LANGUAGES, AppSettings
from bmt_desktop.i18n import _

MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 240
WIDTH = 480
NOTE_STYLE = "color: #5f6368;"


class SettingsDialog(QDialog):
    """OK writes the settings; Cancel and Esc leave them as they were."""

    def __init__(self, settings: AppSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else AppSettings()
        self._initial_language = self.settings.language
        self.language_changed = False
        self.setWindowTitle(_("Settings"))

        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        self.idle_minutes.setSuffix(" " + _("minutes"))
        self.idle_minutes.setValue(self.settings.idle_minutes)
        self.idle_minutes.setAccelerated(True)
        self.idle_minutes.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.idle_minutes.setMinimumWidth(self.idle_minutes.sizeHint().width() + 24)

        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(self._initial_language)))
        self.language.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

        idle_note = QLabel(_("Without keyboard or mouse input for this long, the program locks "
                             "and asks for the password again."))
        language_note = QLabel(_("A change of language applies after the program is "
                                 "restarted."))
        for note in (idle_note, language_note):
            note.setWordWrap(True)
            note.setStyleSheet(NOTE_STYLE)

        form = QFormLayout()
        form.addRow(_("Lock after"), self.idle_minutes)
        form.addRow("", idle_note)
        form.addRow(_("Language"), self.language)
        form.addRow("", language_note)
        self.backup_folder = QLineEdit(str(self.settings.backup_folder))
        form.addRow(_("Backup folder"), self.backup_folder)
        backup_note = QLabel(_("A verified backup is made when a book closes and once a day; "
                               "the newest of 7 days, 4 weeks and 12 months are kept."))
        backup_note.setWordWrap(True)
        form.addRow("", backup_note)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 12)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setTabOrder(self.idle_minutes, self.language)
        self.idle_minutes.setFocus()
        # Tall enough for the wrapped notes at this width.
        layout.activate()
        self.resize(WIDTH, max(layout.totalHeightForWidth(WIDTH),
                               layout.totalMinimumSize().height()))

    def save(self) -> None:
        self.settings.idle_minutes = self.idle_minutes.value()
        folder = self.backup_folder.text().strip()
        self.settings.backup_folder = Path(folder) if folder else None
        language = str(self.language.currentData())
        self.settings.language = language
        self.settings.sync()
        self.language_changed = language != self._initial_language
        self.accept()
