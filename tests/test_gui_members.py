"""The Anggota tab driven as a person would (offscreen): search, scroll, register, act."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.gui.page_setup import DocumentKind
from bmt_desktop.gui.tabs import member_detail, member_form
from bmt_desktop.gui.tabs.member_form import MemberForm
from bmt_desktop.gui.tabs.members_tab import MembersTab
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import documents, drawer, savings
from bmt_desktop.services.ledger import current_chain_head
from bmt_desktop.services.members import search_members
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book, open_book
from tests.conftest import demo_session, open_demo_copy

END = dt.date(2026, 11, 29)
MEMBERS = 650  # more than one page of the search (500)
NEW_NIK = "3201015406790001"  # West Java, a woman born 14 June 1979 (the demo's are Banten)


@pytest.fixture
def demo(demo_templates, tmp_path: Path) -> Iterator[Book]:  # noqa: ANN001
    """More members than one page of the search."""
    book = open_demo_copy(demo_templates(MEMBERS), tmp_path)
    yield book
    book.close()


_session = demo_session


def _tab(qtbot, session: Session, worker: Worker) -> MembersTab:
    tab = MembersTab(session, worker)
    qtbot.addWidget(tab)
    tab.resize(1180, 700)
    tab.show()
    tab.refresh()
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and not tab.model.busy)
    return tab


def _rows(tab: MembersTab) -> list:
    return [tab.model.row_at(i) for i in range(tab.model.rowCount())]


def _search(qtbot, tab: MembersTab, text: str) -> None:
    """Type into the search box like a person (the list follows after a short pause)."""
    tab.search.clear()
    qtbot.keyClicks(tab.search, text)
    qtbot.waitUntil(lambda: tab.model.text == text and not tab.model.busy)


def _show_member(qtbot, tab: MembersTab, nik: str) -> None:
    tab.search.clear()
    qtbot.keyClicks(tab.search, nik)
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.detail.file is not None and tab.detail.row is not None
                    and tab.detail.row.nik == nik and not tab.detail.busy)


def _open_form(qtbot, tab: MembersTab) -> MemberForm:
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    form = tab.form
    assert form is not None
    qtbot.waitUntil(form.ok.isEnabled)
    return form


def _fill_new_member(qtbot, form: MemberForm, nik: str = NEW_NIK) -> None:
    qtbot.keyClicks(form.name, "Siti Aminah")
    qtbot.keyClicks(form.nik, nik)
    qtbot.keyClicks(form.birth_place, "Pandeglang")
    qtbot.keyClicks(form.rt, "3")
    qtbot.keyClicks(form.rw, "1")
    qtbot.keyClicks(form.desa, "Sukajaya")
    qtbot.keyClicks(form.occupation, "Pedagang sayur")
    qtbot.keyClicks(form.monthly_income, "1500000")


def _member_count(session: Session) -> int:
    return search_members(session).total


# ------------------------------------------------------------------ searching and the list


def test_search_by_part_of_a_name_by_nik_and_by_neighbourhood(qtbot, demo: Book,
                                                              worker: Worker) -> None:
    # Given the tab on a book of 650 members
    tab = _tab(qtbot, _session(demo, "kasir"), worker)
    assert tab.count.text() == "500 dari 650 anggota"
    first = tab.model.row_at(2)
    # When part of a name is typed, in another case
    part = first.name.split()[-1][1:5].upper()
    _search(qtbot, tab, part)
    # Then every member shown carries it
    assert tab.model.rowCount() > 1
    assert all(part.lower() in row.name.lower() for row in _rows(tab))
    # A NIK finds the one member, whose page opens
    _search(qtbot, tab, first.nik)
    assert [row.id for row in _rows(tab)] == [first.id]
    qtbot.waitUntil(lambda: tab.detail.file is not None)
    assert first.name in tab.detail.title.text()
    assert tab.count.text() == "1 dari 1 anggota"
    # "rt 3" finds the neighbourhood
    _search(qtbot, tab, "rt 3")
    assert tab.model.rowCount() > 10
    assert all(row.address.startswith("RT 003/") for row in _rows(tab))


def test_the_list_fetches_the_next_page_when_scrolled_to_the_end(qtbot, demo: Book,
                                                                 worker: Worker) -> None:
    tab = _tab(qtbot, _session(demo, "kasir"), worker)
    assert (tab.model.rowCount(), tab.model.total) == (500, MEMBERS)
    assert tab.model.canFetchMore()
    # When the teller scrolls to the end
    tab.table.scrollToBottom()
    qtbot.waitUntil(lambda: tab.model.rowCount() == MEMBERS)
    # Then the rest arrives, in member-number order, each member once
    numbers = [row.number for row in _rows(tab)]
    assert numbers == sorted(numbers) and len(set(numbers)) == MEMBERS
    assert not tab.model.canFetchMore()
    assert tab.count.text() == "650 dari 650 anggota"


def test_a_newer_search_is_never_overwritten_by_an_older_answer(qtbot, demo: Book,
                                                                worker: Worker) -> None:
    tab = _tab(qtbot, _session(demo, "kasir"), worker)
    shown: list[str] = []
    tab.model.loaded.connect(lambda first: shown.append(tab.model.text) if first else None)
    # Given a next page on its way, and then two searches typed quickly
    tab.model.fetchMore()
    tab.model.search("zzz-nobody")
    tab.model.search("rt 3")
    qtbot.waitUntil(lambda: not tab.model.busy)
    worker.wait()
    qtbot.wait(50)
    # Then only the newest result was ever shown, without the late page appended
    assert shown == ["rt 3"]
    assert all(row.address.startswith("RT 003/") for row in _rows(tab))
    assert tab.model.rowCount() == min(500, tab.model.total)


def test_ctrl_f_focuses_the_search_and_enter_goes_to_the_list(qtbot, demo: Book,
                                                             worker: Worker) -> None:
    tab = _tab(qtbot, _session(demo, "kasir"), worker)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.search.hasFocus()
    qtbot.keyClicks(tab.search, "rt 3")
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.table.hasFocus() and tab.detail.file is not None)
    assert tab.selected() is not None and tab.selected().address.startswith("RT 003/")


@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.qt_log_ignore("propagateSizeHints")
@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "python-tester"])
def test_the_lazy_model_passes_the_model_tester(qtbot, qtmodeltester, demo: Book,
                                                worker: Worker, force_py: bool) -> None:
    tab = _tab(qtbot, _session(demo, "kasir"), worker)
    qtmodeltester.check(tab.model, force_py=force_py)
    # the tester keeps watching while pages are appended and searches reset the model
    tab.model.fetchMore()
    qtbot.waitUntil(lambda: tab.model.rowCount() == MEMBERS)
    tab.model.search("rt 2")
    qtbot.waitUntil(lambda: tab.model.text == "rt 2" and not tab.model.busy)


# ------------------------------------------------------------------ registering


def test_register_a_member_through_the_form(qtbot, demo: Book, worker: Worker) -> None:
    session = _session(demo, "kasir")
    tab = _tab(qtbot, session, worker)
    before = _member_count(session)
    form = _open_form(qtbot, tab)
    assert form.windowTitle() == "Anggota baru"
    _fill_new_member(qtbot, form)
    # The NIK tells birth date and sex at once, and fills them
    assert form.nik_hint.text() == "Menurut NIK: lahir 14 Juni 1979, perempuan"
    assert form.birth_date.text() == "14-06-1979"
    assert form.sex.currentData() == "P"
    assert form.monthly_income.text() == "Rp1.500.000"
    assert [box.isChecked() for box in form._products.values()] == [True, True, True]
    # When the teller presses Enter
    with qtbot.waitSignal(form.accepted):
        qtbot.keyClick(form.occupation, Qt.Key.Key_Return)
    # Then the member is in the list, chosen, with SP, SW and SS open
    qtbot.waitUntil(lambda: tab.detail.file is not None and tab.detail.row is not None
                    and tab.detail.row.nik == NEW_NIK)
    assert _member_count(session) == before + 1
    assert [row.nik for row in _rows(tab)] == [NEW_NIK]
    new = _rows(tab)[0]
    assert new.address == "RT 003/RW 001, Sukajaya"
    accounts = savings.member_accounts(session, new.id)
    assert sorted(a.product_code for a in accounts) == ["SP", "SS", "SW"]
    assert tab.detail.accounts.rowCount() == 3
    assert "terdaftar sebagai anggota" in tab.detail.message.text()
    assert tab.detail.values["income"].text() == "Rp1.500.000"


@pytest.mark.parametrize("case", ["invalid nik", "duplicate nik", "birth date"])
def test_a_refused_registration_shows_why_and_writes_nothing(qtbot, demo: Book, worker: Worker,
                                                             case: str) -> None:
    session = _session(demo, "kasir")
    tab = _tab(qtbot, session, worker)
    existing = tab.model.row_at(2)
    head = current_chain_head(demo)
    count = _member_count(session)
    form = _open_form(qtbot, tab)
    nik = {"invalid nik": "3601149913790001", "duplicate nik": existing.nik,
           "birth date": NEW_NIK}[case]
    _fill_new_member(qtbot, form, nik)
    if case == "birth date":
        form.birth_date.clear()
        qtbot.keyClicks(form.birth_date, "15-06-1979")
        # the contradiction is flagged beside the field before anything is sent
        assert form.birth_flag.text() == "✗ menurut NIK 14 Juni 1979"
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.error.text() != "" and form.ok.isEnabled())
    expected = {
        "invalid nik": "NIK 3601149913790001 tidak sah: harus 16 angka dengan tanggal lahir "
                       "yang benar.",
        "duplicate nik": f"NIK {existing.nik} sudah terdaftar atas nama {existing.name} "
                         f"({existing.number}).",
        "birth date": "Tanggal lahir 15 Juni 1979 tidak sesuai NIK, yang menyebut "
                      "14 Juni 1979.",
    }[case]
    assert form.error.text() == expected
    if case == "invalid nik":
        assert form.nik_hint.text() == expected
    assert form.isVisible()
    assert current_chain_head(demo) == head
    assert _member_count(session) == count


def test_pressing_ok_twice_registers_once(qtbot, demo: Book, worker: Worker,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    session = _session(demo, "kasir")
    tab = _tab(qtbot, session, worker)
    count = _member_count(session)
    calls: list[str] = []
    real = member_form.register_with_accounts

    def register(session: Session, data, codes):
        calls.append(data.nik)
        return real(session, data, codes)

    monkeypatch.setattr(member_form, "register_with_accounts", register)
    form = _open_form(qtbot, tab)
    _fill_new_member(qtbot, form)
    with qtbot.waitSignal(form.accepted):
        qtbot.keyClick(form.name, Qt.Key.Key_Return)
        assert not form.ok.isEnabled()
        qtbot.keyClick(form.name, Qt.Key.Key_Return)
        qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)
        form.submit()
    worker.wait()
    qtbot.wait(50)
    assert calls == [NEW_NIK]  # one press went to the worker; the others were ignored
    assert _member_count(session) == count + 1
    assert len(search_members(session, NEW_NIK).rows) == 1
    assert form.error.text() == ""


def test_escape_cancels_the_form_and_writes_nothing(qtbot, demo: Book, worker: Worker) -> None:
    session = _session(demo, "kasir")
    tab = _tab(qtbot, session, worker)
    head = current_chain_head(demo)
    form = _open_form(qtbot, tab)
    _fill_new_member(qtbot, form)
    with qtbot.waitSignal(form.rejected):
        qtbot.keyClick(form.name, Qt.Key.Key_Escape)
    assert current_chain_head(demo) == head


def test_tab_walks_the_form_in_reading_order(qtbot, demo: Book, worker: Worker) -> None:
    tab = _tab(qtbot, _session(demo, "kasir"), worker)
    form = _open_form(qtbot, tab)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.waitUntil(form.name.hasFocus)
    seen = [form.focusWidget()]
    for _step in form.tab_order()[1:]:
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
        seen.append(form.focusWidget())
    assert [w.objectName() or type(w).__name__ for w in seen] == [
        w.objectName() or type(w).__name__ for w in form.tab_order()]
    assert seen == form.tab_order()


def test_change_a_members_data(qtbot, demo: Book, worker: Worker) -> None:
    session = _session(demo, "kasir")
    tab = _tab(qtbot, session, worker)
    member = tab.model.row_at(2)
    _show_member(qtbot, tab, member.nik)
    qtbot.mouseClick(tab.detail.edit_button, Qt.MouseButton.LeftButton)
    form = tab.detail.form
    assert form is not None
    qtbot.waitUntil(form.ok.isEnabled)
    assert form.name.text() == member.name and form.nik.text() == member.nik
    form.phone.clear()
    qtbot.keyClicks(form.phone, "081234567890")
    with qtbot.waitSignal(form.accepted):
        qtbot.keyClick(form.phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.detail.values["phone"].text() == "081234567890")


# ------------------------------------------------------------------ the member's page


def test_the_page_shows_accounts_and_wajib_arrears(qtbot, demo: Book, worker: Worker) -> None:
    session = _session(demo, "kasir")
    tab = _tab(qtbot, session, worker)
    member = tab.model.row_at(2)
    _show_member(qtbot, tab, member.nik)
    status = savings.wajib_status(session, member.id)
    assert status.arrears_months > 0
    arrears = format_rupiah(status.arrears_amount)
    assert tab.detail.wajib.text() == f"Tunggakan wajib: {status.arrears_months} bulan ({arrears})"
    accounts = savings.member_accounts(session, member.id)
    shown = [[tab.detail.accounts.index(r, c).data() for c in range(4)]
             for r in range(tab.detail.accounts.rowCount())]
    assert shown == [[a.number, a.product_name, format_rupiah(a.balance), "aktif"]
                     for a in accounts]
    assert tab.detail.values["nik"].text() == member.nik


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        ("kasir", {"edit", "open", "passbook", "replace", "statement"}),
        ("manajer", {"edit", "open", "exit", "passbook", "replace", "statement"}),
        ("auditor", {"statement"}),
    ],
)
def test_each_role_sees_only_its_actions(qtbot, demo: Book, worker: Worker, username: str,
                                         visible: set[str]) -> None:
    tab = _tab(qtbot, _session(demo, username), worker)
    _show_member(qtbot, tab, tab.model.row_at(0).nik)
    buttons = {"edit": tab.detail.edit_button, "open": tab.detail.open_button,
               "exit": tab.detail.exit_button, "passbook": tab.detail.passbook_button,
               "replace": tab.detail.replace_button, "statement": tab.detail.statement_button}
    assert {name for name, b in buttons.items() if b.isVisible()} == visible
    assert tab.new_button.isVisible() == (username != "auditor")


def test_an_auditor_on_a_read_only_copy_sees_no_write_button(qtbot, demo: Book,
                                                             worker: Worker) -> None:
    demo.close()
    frozen = open_book(demo.path, read_only=True)
    try:
        for username in ("auditor", "manajer"):
            tab = _tab(qtbot, _session(frozen, username), worker)
            _show_member(qtbot, tab, tab.model.row_at(0).nik)
            assert not tab.new_button.isVisible()
            assert tab.detail.visible_actions() == [_("This month's statement…")]
            assert [b for b in tab.detail.action_buttons() if b.isVisible()] == [
                tab.detail.statement_button]
            tab.new_member()  # Ctrl+N does nothing either
            assert tab.form is None
    finally:
        frozen.close()


def _with_savings(session: Session, number: str, deposits: int) -> None:
    drawer.open_drawer(session, 10_000_000)
    for i in range(deposits):
        savings.deposit(session, number, 10_000 + i * 1_000)


def test_print_the_passbook_and_confirm_the_lines(qtbot, demo: Book, worker: Worker,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    session = _session(demo, "kasir")
    tab = _tab(qtbot, session, worker)
    member = tab.model.row_at(4)
    account = next(a for a in savings.member_accounts(session, member.id) if a.kind == "sukarela")
    _with_savings(session, account.number, 23)  # one page holds 20 lines
    previews: list[tuple[bytes, str, DocumentKind]] = []
    infos: list[str] = []
    questions: list[str] = []
    monkeypatch.setattr(member_detail, "show_preview",
                        lambda _p, pdf, title, kind: previews.append((pdf, title, kind)) or 1)
    monkeypatch.setattr("bmt_desktop.gui.dialogs.show_info", lambda _p, text: infos.append(text))
    monkeypatch.setattr("bmt_desktop.gui.dialogs.ask_yes_no",
                        lambda _p, text: questions.append(text) or True)
    _show_member(qtbot, tab, member.nik)
    tab.detail.accounts_view.selectRow(
        next(i for i in range(tab.detail.accounts.rowCount())
             if tab.detail.accounts.row_at(i).number == account.number))
    pending = documents.passbook_state(session, account.number).pending
    assert pending == 23
    qtbot.mouseClick(tab.detail.passbook_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: documents.passbook_state(session, account.number).pending == 0)
    # the teller was told to turn to page 2 when the printer stops, saw the preview, was asked
    assert infos == ["Masukkan buku tabungan pada halaman 1: pencetakan mulai di baris 1.\n\n"
                     "Baris berlanjut ke halaman 2: saat printer berhenti, balik halaman lalu "
                     "masukkan buku lagi."]
    assert [(pdf[:4], kind) for pdf, _t, kind in previews] == [(b"%PDF", DocumentKind.PASSBOOK)]
    assert questions == ["Apakah baris tercetak dengan benar?"]
    state = documents.passbook_state(session, account.number)
    assert (state.position.page, state.position.line) == (2, 3)
    qtbot.waitUntil(lambda: "halaman 2, baris 3" in tab.detail.message.text())


def test_lines_answered_as_misprinted_stay_unprinted(qtbot, demo: Book, worker: Worker,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    session = _session(demo, "kasir")
    tab = _tab(qtbot, session, worker)
    member = tab.model.row_at(0)
    account = next(a for a in savings.member_accounts(session, member.id) if a.kind == "wajib")
    monkeypatch.setattr(member_detail, "show_preview", lambda *_args: 1)
    monkeypatch.setattr("bmt_desktop.gui.dialogs.ask_yes_no", lambda _p, _text: False)
    head = current_chain_head(demo)
    pending = documents.passbook_state(session, account.number).pending
    assert pending > 0
    _show_member(qtbot, tab, member.nik)
    tab.detail.accounts_view.selectRow(1)
    assert tab.detail.selected_account().number == account.number
    qtbot.mouseClick(tab.detail.passbook_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "belum dicetak" in tab.detail.message.text())
    assert documents.passbook_state(session, account.number).pending == pending
    assert current_chain_head(demo) == head


def test_this_months_statement_opens_an_a4_preview(qtbot, demo: Book, worker: Worker,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    tab = _tab(qtbot, _session(demo, "auditor"), worker)
    previews: list[tuple[bytes, str, DocumentKind]] = []
    monkeypatch.setattr(member_detail, "show_preview",
                        lambda _p, pdf, title, kind: previews.append((pdf, title, kind)) or 0)
    _show_member(qtbot, tab, tab.model.row_at(0).nik)
    qtbot.mouseClick(tab.detail.statement_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(previews))
    pdf, title, kind = previews[0]
    assert pdf.startswith(b"%PDF") and kind is DocumentKind.A4
    assert title.startswith("Rekening koran SP-") and title.endswith("November 2026")


def test_open_another_account(qtbot, demo: Book, worker: Worker,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    session = _session(demo, "kasir")
    tab = _tab(qtbot, session, worker)
    member = tab.model.row_at(0)
    offered: list[list[str]] = []

    def choose(_parent, _title, _label, items: list[str]) -> int:
        offered.append(items)
        return next(i for i, text in enumerate(items) if text.endswith("(TM)"))

    monkeypatch.setattr(member_detail, "ask_choice", choose)
    _show_member(qtbot, tab, member.nik)
    qtbot.mouseClick(tab.detail.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.detail.accounts.rowCount() == 4)
    assert not any(text.endswith(("(SP)", "(SW)", "(SS)")) for text in offered[0])
    opened = demo.raw().execute(
        "SELECT s.number FROM savings_account s JOIN savings_product p ON p.id = s.product_id "
        "WHERE s.member_id = ? AND p.code = 'TM'", (member.id,)).fetchone()[0]
    assert opened in tab.detail.message.text()


def test_replace_the_passbook(qtbot, demo: Book, worker: Worker,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    session = _session(demo, "kasir")
    tab = _tab(qtbot, session, worker)
    member = tab.model.row_at(0)
    previews: list[str] = []
    monkeypatch.setattr(member_detail, "ask_text", lambda *_args: "Buku hilang")
    monkeypatch.setattr(member_detail, "show_preview",
                        lambda _p, _pdf, title, _kind: previews.append(title) or 0)
    _show_member(qtbot, tab, member.nik)
    number = tab.detail.selected_account().number
    serial = documents.passbook_state(session, number).serial
    qtbot.mouseClick(tab.detail.replace_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(previews))
    assert documents.passbook_state(session, number).serial == serial + 1
    assert previews == [f"Halaman identitas buku tabungan baru {number}"]


def test_a_member_leaves_after_confirming(qtbot, demo: Book, worker: Worker,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    session = _session(demo, "manajer")
    drawer.open_drawer(session, 10_000_000)
    tab = _tab(qtbot, session, worker)
    member = tab.model.row_at(0)
    total = sum(a.balance for a in savings.member_accounts(session, member.id))
    questions: list[str] = []
    monkeypatch.setattr("bmt_desktop.gui.dialogs.ask_yes_no",
                        lambda _p, text: questions.append(text) or True)
    monkeypatch.setattr(member_detail, "ask_text", lambda *_args: "Pindah ke Serang")
    _show_member(qtbot, tab, member.nik)
    qtbot.mouseClick(tab.detail.exit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.detail.file is not None
                    and tab.detail.file.data.status == "keluar")
    assert format_rupiah(total) in questions[0]
    assert "(keluar)" in tab.detail.title.text()
    assert not tab.detail.exit_button.isEnabled() and not tab.detail.open_button.isEnabled()
    assert all(a.status == "tutup" for a in savings.member_accounts(session, member.id))
    qtbot.waitUntil(lambda: _rows(tab)[0].status == "keluar")


def test_a_cancelled_exit_writes_nothing(qtbot, demo: Book, worker: Worker,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    session = _session(demo, "manajer")
    tab = _tab(qtbot, session, worker)
    monkeypatch.setattr("bmt_desktop.gui.dialogs.ask_yes_no", lambda _p, _text: False)
    asked: list[str] = []
    monkeypatch.setattr(member_detail, "ask_text", lambda *args: asked.append(args[2]))
    head = current_chain_head(demo)
    _show_member(qtbot, tab, tab.model.row_at(0).nik)
    qtbot.mouseClick(tab.detail.exit_button, Qt.MouseButton.LeftButton)
    assert asked == [] and current_chain_head(demo) == head


def test_birth_date_shown_in_indonesian(qtbot, demo: Book, worker: Worker) -> None:
    session = _session(demo, "kasir")
    tab = _tab(qtbot, session, worker)
    member = tab.model.row_at(0)
    _show_member(qtbot, tab, member.nik)
    data = tab.detail.file.data
    assert format_date_id(dt.date.fromisoformat(str(data.birth_date))) in \
        tab.detail.values["birth"].text()
