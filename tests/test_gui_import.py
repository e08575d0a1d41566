"""The import wizard driven as a person would (offscreen): choose a file, see its columns,
change what a column is read as, check it (the report names row and problem), import it;
the Kube tab's collection sheet buttons; the File menu entries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from bmt_desktop.gui import field_sheet_actions, import_dialog
from bmt_desktop.gui.import_dialog import ImportDialog
from bmt_desktop.gui.main_window import MainWindow
from bmt_desktop.gui.settings import AppSettings
from bmt_desktop.gui.tabs.kube_tab import KubeTab
from bmt_desktop.gui.worker import Worker
from bmt_desktop.services import drawer, field_sheet
from bmt_desktop.services.office import get_profile
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book
from tests.conftest import END, session_of
from tests.helpers.spreadsheets import snapshot, xlsx

ANI, BUDI = "3601145206790001", "3601140101800002"


def _until(qtbot, condition, timeout: int = 15_000) -> None:  # noqa: ANN001
    qtbot.waitUntil(condition, timeout=timeout)


def _click(qtbot, button) -> None:  # noqa: ANN001
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _wizard(qtbot, session: Session, worker: Worker, path: Path,  # noqa: ANN001
            monkeypatch: pytest.MonkeyPatch, **options: object) -> ImportDialog:
    monkeypatch.setattr(import_dialog, "choose_file", lambda _parent: str(path))
    monkeypatch.setattr(import_dialog, "confirm", lambda _parent, _text: True)
    dialog = ImportDialog(session, worker, **options)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    _click(qtbot, dialog.choose_button)
    _until(qtbot, lambda: not dialog.busy and bool(dialog.data))
    return dialog


def _checked(qtbot, dialog: ImportDialog) -> None:  # noqa: ANN001
    _click(qtbot, dialog.check_button)
    _until(qtbot, lambda: not dialog.busy and dialog.report is not None)


def test_members_checked_mapped_and_imported(qtbot, book: Book, worker: Worker,  # noqa: ANN001
                                             tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    teller = session_of(book, "kasir")
    path = tmp_path / "anggota.xlsx"
    path.write_bytes(xlsx(("Data", [["Nama Lengkap", "Kolom B", "Desa"],
                                    ["Ani Suryani", ANI, "Sukajaya"],
                                    ["Budi", "12345", "Sukajaya"],
                                    ["Ani Lagi", ANI, "Cadasari"]])))
    dialog = _wizard(qtbot, teller, worker, path, monkeypatch)
    # Given the preview: one row of "read as" choices above the file's own rows
    assert dialog.grid.rowCount() == 4 and dialog.grid.columnCount() == 3
    first = dialog.grid.cellWidget(0, 0)
    assert isinstance(first, QComboBox) and first.currentData() == "name"
    nik_column = dialog.grid.cellWidget(0, 1)
    assert nik_column.currentData() == ""
    _checked(qtbot, dialog)
    assert [(p.row, p.column) for p in dialog.problem_rows()] == [(1, "NIK")]
    assert not dialog.import_button.isEnabled()

    # When the person says the second column is the NIK, the check names the bad rows
    nik_column.setCurrentIndex(nik_column.findData("nik"))
    assert dialog.report is None and not dialog.import_button.isEnabled()
    before = snapshot(book)
    _checked(qtbot, dialog)
    assert sorted((p.row, p.column) for p in dialog.problem_rows()) == [(3, "Kolom B"),
                                                                        (4, "Kolom B")]
    assert "NIK" in dialog.summary.text() or "masalah" in dialog.summary.text().lower() \
        or "problems" in dialog.summary.text()
    assert snapshot(book) == before
    assert not dialog.import_button.isEnabled()

    # Then with a corrected file the check passes, shows what is written, and it imports
    path.write_bytes(xlsx(("Data", [["Nama Lengkap", "Kolom B"], ["Ani Suryani", ANI],
                                    ["Budi", BUDI]])))
    _click(qtbot, dialog.choose_button)
    _until(qtbot, lambda: not dialog.busy and bool(dialog.data))
    dialog.grid.cellWidget(0, 1).setCurrentIndex(dialog.grid.cellWidget(0, 1).findData("nik"))
    _checked(qtbot, dialog)
    assert dialog.report.ok and dialog.written.rowCount() == 2
    assert dialog.import_button.isEnabled()
    _click(qtbot, dialog.import_button)
    _until(qtbot, lambda: not dialog.busy and dialog.done_importing)
    assert "AG-000001" in dialog.summary.text()
    assert not dialog.import_button.isEnabled() and not dialog.check_button.isEnabled()
    assert book.raw().execute("SELECT count(*) FROM member").fetchone() == (2,)


def test_opening_balances_with_several_sheets(qtbot, book: Book, worker: Worker,  # noqa: ANN001
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    manager = session_of(book, "manajer")
    path = tmp_path / "saldo.xlsx"
    path.write_bytes(xlsx(
        ("Simpanan", [["Anggota (NIK atau nomor)", "Produk", "Saldo"], [ANI, "SW", "banyak"]]),
        ("Akun", [["Kode Akun", "Debit", "Kredit"], ["101", 1_000_000, None],
                  ["999", 5, None]])))
    dialog = _wizard(qtbot, manager, worker, path, monkeypatch, kind="opening_balances")
    assert dialog.cut_over.isVisible() and dialog.sheet.isVisible()
    assert [dialog.sheet.itemText(i) for i in range(dialog.sheet.count())] == ["Simpanan",
                                                                               "Akun"]
    dialog.sheet.setCurrentIndex(1)
    assert dialog.grid.cellWidget(0, 0).currentData() == "account"
    dialog.cut_over.setText("31-10-2026")
    _checked(qtbot, dialog)
    assert {(p.sheet, p.row) for p in dialog.problem_rows()} == {("Simpanan", 2),
                                                                 ("Akun", 3)}
    assert not dialog.import_button.isEnabled()


def test_the_kube_tab_exports_and_imports_the_sheet(qtbot, demo: Book,  # noqa: ANN001
                                                   worker: Worker, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    teller = session_of(demo, "kasir")
    drawer.open_drawer(teller, 0)
    kube_id, code = demo.raw().execute(
        "SELECT k.id, k.code FROM kube k WHERE NOT EXISTS (SELECT 1 FROM kube_meeting m "
        "WHERE m.kube_id = k.id AND m.held_on = ?) AND EXISTS (SELECT 1 FROM kube_member "
        "km WHERE km.kube_id = k.id AND km.left_on IS NULL) ORDER BY k.id LIMIT 1",
        (END.isoformat(),)).fetchone()
    out = tmp_path / "lembar.xlsx"
    monkeypatch.setattr(field_sheet_actions, "ask_meeting_date", lambda _p, day: day)
    monkeypatch.setattr(import_dialog, "choose_save_path", lambda *_a: str(out))
    tab = KubeTab(teller, worker)
    qtbot.addWidget(tab)
    tab.resize(1180, 720)
    tab.show()
    tab.refresh()
    _until(qtbot, lambda: tab.loaded and not tab.detail.loading)
    tab.select(kube_id)
    _until(qtbot, lambda: tab.detail.row is not None and tab.detail.row.id == kube_id
           and not tab.detail.loading and not worker.busy())
    page = tab.detail.meetings_page
    tab.detail.pages.setCurrentWidget(page)
    _click(qtbot, page.export_button)
    _until(qtbot, lambda: out.exists() and not worker.busy())
    assert str(out) in tab.detail.message.text()
    from tests.test_field_sheet import fill, member_rows

    rows = member_rows(out.read_bytes())
    out.write_bytes(fill(out.read_bytes(), {str(rows[0]["Nomor Anggota"]): {
        "Hadir (ya/tidak)": "ya", "IKS": 2_000}}))
    monkeypatch.setattr(import_dialog, "choose_file", lambda _parent: str(out))
    monkeypatch.setattr(import_dialog, "confirm", lambda _parent, _text: True)
    _click(qtbot, page.import_button)
    dialog = tab.detail.dialog
    assert isinstance(dialog, ImportDialog) and dialog.current_kind == "collection_sheet"
    _until(qtbot, lambda: dialog.report is not None and not dialog.busy)
    assert dialog.report.ok, dialog.report.lines()
    assert dialog.written.rowCount() == len(rows)
    _click(qtbot, dialog.import_button)
    _until(qtbot, lambda: dialog.done_importing and not dialog.busy)
    assert dialog.report.journals and code in dialog.summary.text()
    dialog.reject()
    _until(qtbot, lambda: not worker.busy() and not tab.detail.loading)
    assert any(m[6] == dialog.report.journals[0] for m in tab.detail.file.meetings)
    # The same sheet again: refused before anything is written.
    again = ImportDialog(teller, worker, kind="collection_sheet", kube_id=kube_id)
    qtbot.addWidget(again)
    again.open_path(str(out))
    _until(qtbot, lambda: again.report is not None and not again.busy)
    assert not again.report.ok and not again.import_button.isEnabled()
    assert field_sheet.sheet_rows(teller, kube_id)[0][3] is not None


@pytest.mark.parametrize(("username", "visible"), [("kasir", True), ("auditor", False)])
def test_the_file_menu_offers_import_to_those_who_may(qtbot, book: Book,  # noqa: ANN001
                                                      worker: Worker, username: str,
                                                      visible: bool) -> None:
    session = session_of(book, username)
    window = MainWindow(session, get_profile(book), worker, AppSettings(), None)
    qtbot.addWidget(window)
    assert window.import_action.isVisible() is visible
    assert window.export_members_action.isVisible()
    window._checker.wait()


def test_the_member_list_is_exported(qtbot, book: Book, worker: Worker,  # noqa: ANN001
                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bmt_desktop.services.members import MemberInput, register_member

    teller = session_of(book, "kasir")
    register_member(teller, MemberInput("Ani Suryani", ANI))
    said: list[str] = []
    monkeypatch.setattr("bmt_desktop.gui.dialogs.show_info", lambda _p, text: said.append(text))
    for name in ("anggota.csv", "anggota"):
        target = tmp_path / name
        monkeypatch.setattr(import_dialog, "choose_save_path", lambda *_a, t=target: str(t))
        import_dialog.export_member_list(teller, worker)
        _until(qtbot, lambda: not worker.busy() and len(said) >= 1)
        said.clear()
    assert "Ani Suryani" in (tmp_path / "anggota.csv").read_text(encoding="utf-8-sig")
    assert (tmp_path / "anggota.xlsx").read_bytes()[:2] == b"PK"


def test_the_default_cut_over_is_the_last_month_end() -> None:
    assert import_dialog._month_end_before(dt.date(2026, 11, 29)) == dt.date(2026, 10, 31)
