"""The person at the window's modal questions, previews and reason boxes, for GUI tests:
``Answers`` keeps what was asked and shown; ``stand_in`` puts it in place of the dialogs."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest


@dataclass
class Answers:
    yes: bool = False
    reason: str | None = None
    questions: list[str] = field(default_factory=list)
    receipts: list[bytes] = field(default_factory=list)
    reports: list[bytes] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def stand_in(monkeypatch: pytest.MonkeyPatch) -> Answers:
    """Questions, errors and the receipt preview answered by an ``Answers``."""
    person = Answers()

    def ask(_parent, text: str) -> bool:  # noqa: ANN001
        person.questions.append(text)
        return person.yes

    monkeypatch.setattr("bmt_desktop.gui.dialogs.ask_yes_no", ask)
    monkeypatch.setattr("bmt_desktop.gui.dialogs.show_error",
                        lambda _parent, text: person.errors.append(text))
    monkeypatch.setattr("bmt_desktop.gui.tabs.teller_forms.show_preview",
                        lambda pdf, _title, _parent: person.receipts.append(pdf))
    return person
