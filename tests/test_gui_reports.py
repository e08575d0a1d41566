"""The Laporan tab driven as a manager, a teller and an auditor would (offscreen, on the
40-member demo book: closed through September 2026, today 29 November 2026)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.gui.tabs.month_end_dialog import MonthEndDialog, YearEndDialog
from bmt_desktop.gui.tabs.report_batch import StatementBatchDialog
from bmt_desktop.gui.tabs.reports_tab import ReportsTab
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import drawer, ledger, statement_batch
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book, open_book
from tests.conftest import demo_session

MONEY = re.compile(r"^-?\d{1,3}(\.\d{3})*$")


@dataclass
class Person:
    """Answers the modal questions: the save dialog, the folder, yes/no, the previews."""

    yes: bool = True
    save_to: list[str] = field(default_factory=list)
    suggested: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    previews: list[tuple[bytes, str]] = field(default_factory=list)


@pytest.fixture
def person(monkeypatch: pytest.MonkeyPatch) -> Person:
    who = Person()

    def save_path(_parent, suggested: str, filters, _selected):  # noqa: ANN001, ANN202
        who.suggested.append(suggested)
        return (who.save_to.pop(0), filters[0]) if who.save_to else None

    def ask(_parent, text: str) -> bool:
        who.questions.append(text)
        return who.yes

    monkeypatch.setattr("bmt_desktop.gui.tabs.report_common.ask_save_path", save_path)
    monkeypatch.setattr("bmt_desktop.gui.tabs.report_common.show_preview",
                        lambda pdf, title, _parent: who.previews.append((pdf, title)))
    monkeypatch.setattr("bmt_desktop.gui.dialogs.ask_yes_no", ask)
    monkeypatch.setattr("bmt_desktop.gui.dialogs.show_error",
                        lambda _parent, text: who.errors.append(text))
    return who


@pytest.fixture
def manager(demo: Book) -> Session:
    return demo_session(demo, "manajer")


def _until(qtbot, condition, timeout: int = 15_000) -> None:  # noqa: ANN001
    qtbot.waitUntil(condition, timeout=timeout)


def _tab(qtbot, session: Session, worker: Worker) -> ReportsTab:  # noqa: ANN001
    tab = ReportsTab(session, worker)
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    return tab


def _show(qtbot, tab: ReportsTab, name: str) -> None:  # noqa: ANN001
    tab.choose(name)
    qtbot.keyClick(tab.tree, Qt.Key.Key_Return)
    _until(qtbot, lambda: not tab.page.busy)


def _cells(tab: ReportsTab) -> list[list[str]]:
    model = tab.page.table.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


# ---------------------------------------------------------------------------- show


def test_the_balance_sheet_shows_in_indonesian_formats(qtbot, qtmodeltester, manager: Session,
                                                       worker: Worker, person: Person) -> None:
    tab = _tab(qtbot, manager, worker)
    # Given the current month is chosen by default
    assert tab.page.period.value() == (2026, 11)
    # When the manager chooses the balance sheet and presses Enter
    _show(qtbot, tab, "balance-sheet")
    report = tab.page.report
    assert report is not None and report.name == "balance-sheet"
    assert report.totals["balanced"] is True
    # Then the table shows its rows with 1.500.000 amounts on the right, headings in bold
    model = tab.page.table.model()
    qtmodeltester.check(model)
    rows = _cells(tab)
    amounts = [row[2] for row in rows if row[2]]
    assert amounts and all(MONEY.match(a) for a in amounts), amounts
    assert model.headerData(2, Qt.Orientation.Horizontal) == _("Amount") + " (Rp)"
    assert model.index(1, 2).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    heading = next(i for i, row in enumerate(report.rows) if row.get("_style") == "heading")
    assert model.index(heading, 1).data(Qt.ItemDataRole.FontRole).bold()
    assert tab.page.heading.text() == f"{report.title} — {format_date_id(dt.date(2026, 11, 30))}"
    assert person.errors == []


def test_dates_read_as_words_and_notes_show_below(qtbot, manager: Session, worker: Worker,
                                                  person: Person) -> None:
    tab = _tab(qtbot, manager, worker)
    _show(qtbot, tab, "daily-cash")
    dates = {row[0] for row in _cells(tab) if row[0]}
    assert "1 November 2026" in dates
    assert tab.page.notes.isVisible()
    assert tab.page.report.notes[0][:30] in tab.page.notes.toPlainText()


def test_the_list_is_searched_by_typing(qtbot, manager: Session, worker: Worker,
                                        person: Person) -> None:
    tab = _tab(qtbot, manager, worker)
    tab.tree.setFocus()
    # letters typed on the list go into the search field
    qtbot.keyClicks(tab.tree, "kolek")
    assert tab.search.text() == "kolek"
    shown = [item for item in tab._items(visible_only=True)]
    assert len(shown) == 1 and tab.tree.currentItem() is shown[0]
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    _until(qtbot, lambda: tab.page.report is not None)
    assert tab.page.report.name == "collectibility"
    assert "npf_pct" in tab.page.report.totals


def test_a_future_period_is_refused_with_the_services_message(qtbot, manager: Session,
                                                              worker: Worker,
                                                              person: Person) -> None:
    tab = _tab(qtbot, manager, worker)
    tab.choose("income-statement")
    tab.page.period.month.setCurrentIndex(11)  # December 2026
    qtbot.keyClick(tab.page.period.month, Qt.Key.Key_Return)
    assert tab.page.status.text() == _("The period {period} is in the future.").format(
        period="2026-12")
    assert tab.page.report is None and tab.page.table.model().rowCount() == 0
    # a yearly report chooses a year only
    tab.choose("shu")
    assert not tab.page.period.month.isVisibleTo(tab.page)
    tab.page.period.year.setValue(2025)
    qtbot.keyClick(tab.page.period.year, Qt.Key.Key_Return)
    _until(qtbot, lambda: tab.page.report is not None)
    assert tab.page.report.period == "2025"


# ---------------------------------------------------------------------------- files


def test_preview_and_export_to_every_format(qtbot, manager: Session, worker: Worker,
                                            person: Person, tmp_path: Path) -> None:
    tab = _tab(qtbot, manager, worker)
    tab.choose("balance-sheet")
    qtbot.mouseClick(tab.page.preview_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: len(person.previews) == 1)
    assert person.previews[0][0].startswith(b"%PDF")
    for ext in ("pdf", "xlsx", "csv", "json"):
        target = tmp_path / f"neraca.{ext}"
        person.save_to.append(str(target))
        qtbot.mouseClick(tab.page.export_button, Qt.MouseButton.LeftButton)
        _until(qtbot, lambda t=target: t.exists() and not tab.page.busy)
        assert tab.page.status.text() == _("Saved to {path}.").format(path=target)
    assert Path(person.suggested[0]).name == _("balance-sheet") + "-2026-11.xlsx"
    data = json.loads((tmp_path / "neraca.json").read_text(encoding="utf-8"))
    assert {"report", "period", "rows", "totals"} <= set(data)
    assert data["report"] == "balance-sheet" and data["period"] == "2026-11"
    assert (tmp_path / "neraca.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "neraca.xlsx").read_bytes().startswith(b"PK")
    # a name without a known extension gets the chosen file type's
    person.save_to.append(str(tmp_path / "tanpa-akhiran"))
    qtbot.mouseClick(tab.page.export_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: (tmp_path / "tanpa-akhiran.xlsx").exists())
    # a folder that does not exist: the service's message, nothing written
    missing = tmp_path / "tidak-ada" / "neraca.csv"
    person.save_to.append(str(missing))
    qtbot.mouseClick(tab.page.export_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: len(person.errors) == 1)
    assert person.errors[0] == _("The folder {folder} does not exist.").format(
        folder=missing.parent)
    assert not missing.parent.exists()


# ---------------------------------------------------------------------------- batch


def _batch(qtbot, session: Session, worker: Worker, folder: Path) -> StatementBatchDialog:  # noqa: ANN001
    dialog = StatementBatchDialog(session, worker)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.folder.setText(str(folder))
    return dialog


def test_the_batch_writes_every_members_statement(qtbot, manager: Session, worker: Worker,
                                                  tmp_path: Path) -> None:
    dialog = _batch(qtbot, manager, worker, tmp_path)
    assert dialog.period.value() == (2026, 10)  # last month by default
    expected = len(statement_batch.statement_data(manager, 2026, 10))
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)  # Enter starts
    _until(qtbot, lambda: dialog.result_value is not None)
    files = sorted(tmp_path.glob("*.pdf"))
    assert len(files) == expected > 0
    assert dialog.result_value.cancelled is False
    assert _("Done. Files written: {n}, in {folder}.").format(
        n=expected, folder=tmp_path) in dialog.status.text()
    # one combined file
    combined = tmp_path / "gabungan"
    combined.mkdir()
    dialog.folder.setText(str(combined))
    dialog.combined.setChecked(True)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: not dialog.running)
    assert [p.name for p in combined.iterdir()] == [statement_batch.combined_name(2026, 10)]


def test_cancel_stops_the_batch_and_keeps_what_was_written(qtbot, manager: Session,
                                                           worker: Worker, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    dialog = _batch(qtbot, manager, worker, tmp_path)
    rendered = []
    real = statement_batch.render_statements

    def render(piece):  # noqa: ANN001, ANN202 - the person presses Cancel after the third
        rendered.append(piece)
        if len(rendered) == 3:
            dialog.handle.cancel()
        return real(piece)

    monkeypatch.setattr(statement_batch, "render_statements", render)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.cancel_button.isEnabled() and not dialog.start_button.isEnabled()
    _until(qtbot, lambda: dialog.result_value is not None)
    assert dialog.result_value.cancelled is True
    assert len(list(tmp_path.glob("*.pdf"))) == 3 == len(dialog.result_value.files)
    assert dialog.status.text().startswith(_("Cancelled. Files written before stopping: "
                                             "{n}, in {folder}.").format(n=3, folder=tmp_path))
    assert dialog.start_button.isEnabled()


def test_the_batch_refuses_a_future_month(qtbot, manager: Session, worker: Worker,
                                          tmp_path: Path) -> None:
    out = tmp_path / "keluar"
    out.mkdir()
    dialog = _batch(qtbot, manager, worker, out)
    dialog.period.set_period(2026, 12)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: not dialog.running and dialog.status.text() != "" and
           "2026-12" in dialog.status.text())
    assert dialog.status.text() == _("The period {period} is in the future.").format(
        period="2026-12")
    assert list(out.iterdir()) == []


# ---------------------------------------------------------------------------- closings


def _month_end(qtbot, session: Session, worker: Worker) -> MonthEndDialog:  # noqa: ANN001
    dialog = MonthEndDialog(session, worker)
    qtbot.addWidget(dialog)
    dialog.show()
    _until(qtbot, lambda: dialog.check is not None)
    return dialog


def test_month_end_shows_the_problems_while_a_drawer_is_open(qtbot, demo: Book,
                                                             manager: Session, worker: Worker,
                                                             person: Person) -> None:
    # Given a teller's drawer of 31 October left open
    teller = demo_session(demo, "kasir")
    teller.today = dt.date(2026, 10, 31)
    drawer.open_drawer(teller, 0)
    # When the manager opens Tutup bulan (October, the next open month, by default)
    dialog = _month_end(qtbot, manager, worker)
    assert dialog.period.value() == (2026, 10)
    # Then the pre-check names the drawer and Run stays disabled; Enter does nothing
    assert _("The drawer of {user} of {date} is still open.").format(
        user="kasir", date=format_date_id(dt.date(2026, 10, 31))) in dialog.problems.text()
    assert not dialog.run_button.isEnabled()
    qtbot.keyClick(dialog.period.month, Qt.Key.Key_Return)
    assert person.questions == [] and ledger.closed_until(demo) == dt.date(2026, 9, 30)
    # November has not ended: the service says so
    dialog.period.set_period(2026, 11)
    _until(qtbot, lambda: dialog.check is not None)
    assert format_date_id(dt.date(2026, 11, 30)) in dialog.problems.text()
    assert not dialog.run_button.isEnabled()


def test_month_end_runs_when_clear_and_prints_the_closing_report(qtbot, demo: Book,
                                                                 manager: Session,
                                                                 worker: Worker,
                                                                 person: Person) -> None:
    dialog = _month_end(qtbot, manager, worker)
    assert dialog.check.problems == [] and dialog.run_button.isEnabled()
    # the person first says no: nothing happens
    person.yes = False
    qtbot.keyClick(dialog.period.month, Qt.Key.Key_Return)
    assert len(person.questions) == 1 and ledger.closed_until(demo) == dt.date(2026, 9, 30)
    person.yes = True
    qtbot.keyClick(dialog.period.month, Qt.Key.Key_Return)
    _until(qtbot, lambda: bool(dialog.lines))
    assert ledger.closed_until(demo) == dt.date(2026, 10, 31)
    head = ledger.current_chain_head(demo)[1]
    assert any(head in line for line in dialog.lines)
    assert head in dialog.result.toPlainText()
    assert not dialog.run_button.isEnabled() and dialog.report_button.isVisible()
    qtbot.mouseClick(dialog.report_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: len(person.previews) == 1)
    pdf, title = person.previews[0]
    assert pdf.startswith(b"%PDF") and "2026" in title
    # Esc closes
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_year_end_shows_the_services_refusal_and_the_shu_figures(qtbot, manager: Session,
                                                                  worker: Worker,
                                                                  person: Person) -> None:
    dialog = YearEndDialog(manager, worker)
    qtbot.addWidget(dialog)
    dialog.show()
    _until(qtbot, lambda: dialog.check is not None)
    assert dialog.period.value()[0] == 2025
    assert dialog.check.problems and not dialog.run_button.isEnabled()
    assert "SHU" in dialog.facts.text()
    dialog.period.year.setValue(2026)
    _until(qtbot, lambda: dialog.check is not None)
    assert _("Close December {year} first (month-end).").format(year=2026) in \
        dialog.problems.text()


@pytest.mark.parametrize("username", ["kasir", "auditor"])
def test_only_the_manager_sees_the_closings(qtbot, demo: Book, worker: Worker,
                                           username: str, person: Person) -> None:
    tab = _tab(qtbot, demo_session(demo, username), worker)
    assert not tab.month_end_button.isVisible() and not tab.year_end_button.isVisible()
    assert tab.batch_button.isVisible()
    manager_tab = _tab(qtbot, demo_session(demo, "manajer"), worker)
    assert manager_tab.month_end_button.isVisible() and manager_tab.year_end_button.isVisible()


def test_a_read_only_copy_hides_the_closings_but_shows_reports(qtbot, demo: Book,
                                                              worker: Worker,
                                                              person: Person) -> None:
    demo.close()
    frozen = open_book(demo.path, read_only=True)
    try:
        tab = _tab(qtbot, demo_session(frozen, "manajer"), worker)
        assert not tab.month_end_button.isVisible() and not tab.year_end_button.isVisible()
        _show(qtbot, tab, "trial-balance")
        assert tab.page.report is not None
        assert tab.page.report.totals["debit"] == tab.page.report.totals["credit"]
        tab.show_verify()
        assert tab.pages.currentWidget() is tab.verify
    finally:
        worker.wait()
        frozen.close()
