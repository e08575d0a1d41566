"""Passbook printer settings are kept per PC and decide where the lines go."""

from __future__ import annotations

import datetime as dt

from bmt_desktop.gui.passbook_settings import (
    PassbookPrinterDialog,
    passbook_layout,
    save_passbook_layout,
)
from bmt_desktop.printing.passbook import (
    PassbookEntry,
    PassbookLayout,
    PassbookPosition,
    plan_passbook,
)


def _entries(n: int) -> list[PassbookEntry]:
    return [PassbookEntry(i, dt.date(2026, 11, 29), "SETOR", 0, 1000, 1000 * i)
            for i in range(1, n + 1)]


def test_defaults_until_saved_then_the_saved_values(qtbot) -> None:
    assert passbook_layout() == PassbookLayout()
    save_passbook_layout(PassbookLayout(lines_per_page=30, left_offset_mm=2.5))
    layout = passbook_layout()
    assert layout.lines_per_page == 30 and layout.left_offset_mm == 2.5
    # 25 new lines from line 0: one page with 30 lines, two pages with 20
    assert len(plan_passbook(_entries(25), PassbookPosition(1, 0), layout).pages) == 1
    assert len(plan_passbook(_entries(25), PassbookPosition(1, 0), PassbookLayout()).pages) == 2


def test_the_dialog_saves_what_the_teller_sets(qtbot) -> None:
    dialog = PassbookPrinterDialog()
    qtbot.addWidget(dialog)
    dialog.boxes["lines_per_page"].setValue(24)
    dialog.boxes["top_offset_mm"].setValue(-1.5)
    dialog.save()
    assert passbook_layout().lines_per_page == 24
    assert passbook_layout().top_offset_mm == -1.5
