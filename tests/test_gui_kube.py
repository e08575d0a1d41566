"""The Kube tab driven as a teller, a manager and an auditor would (offscreen): register a
Kube, add its households, choose officers, hold a meeting with its collection sheet, record
visits, override the stage, and read the indicators and the income chart."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from bmt_desktop.domain.kube_stage import stage_label
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.gui.tabs.kube_aid import AidOutcomeDialog, LinkStatusDialog
from bmt_desktop.gui.tabs.kube_chart import IncomeChart, month_number
from bmt_desktop.gui.tabs.kube_forms import (
    AddMemberDialog,
    MeetingDialog,
    NewKubeDialog,
    OfficerDialog,
    StageDialog,
    VisitDialog,
)
from bmt_desktop.gui.tabs.kube_funds import FundDepositDialog, FundPayoutDialog
from bmt_desktop.gui.tabs.kube_tab import KubeTab
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import drawer, kube
from bmt_desktop.services.ledger import current_chain_head
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book, open_book
from tests.conftest import demo_session
from tests.helpers.gui_answers import Answers, stand_in

FREE = list(range(31, 41))  # the demo's households that are in no Kube yet
WAJIB = "Simpanan wajib is {amount} a month: pay whole months."


@pytest.fixture
def teller(demo: Book) -> Session:
    return demo_session(demo, "kasir")


@pytest.fixture
def manager(demo: Book) -> Session:
    return demo_session(demo, "manajer")


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    person = stand_in(monkeypatch)
    return person


def _until(qtbot, condition, timeout: int = 15_000) -> None:
    qtbot.waitUntil(condition, timeout=timeout)


def _enter(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _journals(book: Book) -> int:
    return book.raw().execute("SELECT count(*) FROM journal").fetchone()[0]


def _kube_with(session: Session, members: list[int], name: str = "Kube Bambu Rukun",
               desa: str = "Sukajaya") -> int:
    kube_id = kube.create_kube(session, kube.KubeInput(
        name, "Anyaman bambu", "5", "2", desa, "2026-06-01", "Ibu Euis Rohaeti"))
    for member_id in members:
        kube.add_member(session, kube_id, member_id, "2026-06-01")
    return kube_id


def _tab(qtbot, session: Session, worker: Worker, kube_id: int | None = None) -> KubeTab:
    tab = KubeTab(session, worker)
    qtbot.addWidget(tab)
    tab.resize(1180, 720)
    tab.show()
    if kube_id is None:
        tab.refresh()
        _until(qtbot, lambda: tab.loaded and not tab.detail.loading)
    else:
        _show(qtbot, tab, kube_id)
    return tab


def _show(qtbot, tab: KubeTab, kube_id: int) -> None:
    tab.select(kube_id)
    _until(qtbot, lambda: tab.detail.row is not None and tab.detail.row.id == kube_id
           and not tab.detail.loading and not tab.worker.busy())


def _meeting(qtbot, tab: KubeTab, ready: bool = True) -> MeetingDialog:
    tab.detail.pages.setCurrentWidget(tab.detail.meetings_page)
    _click(qtbot, tab.detail.meetings_page.new_button)
    dialog = tab.detail.dialog
    assert isinstance(dialog, MeetingDialog)
    _until(qtbot, lambda: dialog.drawer_note.text() != _("Checking your cash drawer…"))
    assert dialog.lines[0].wajib.isEnabled() == ready
    return dialog


def _type_amounts(qtbot, dialog: MeetingDialog, amounts: dict[int, tuple[str, str, str]]
                  ) -> None:
    """Type each line's wajib, sukarela and IKS, Enter moving on as a teller does."""
    for number, values in amounts.items():
        line = dialog.lines[number - 1]
        for edit, text in zip(line.amounts, values, strict=True):
            edit.setFocus()
            if text:
                qtbot.keyClicks(edit, text)
            _enter(qtbot, edit)


# ---------------------------------------------------------------------------- the register


def test_a_kube_is_registered_through_the_form(qtbot, demo: Book, teller: Session,
                                               worker: Worker, answers: Answers) -> None:
    tab = _tab(qtbot, teller, worker)
    before = tab.model.rowCount()
    assert before == len(kube.list_kube(teller))
    _click(qtbot, tab.new_button)
    form = tab.form
    assert isinstance(form, NewKubeDialog)
    assert form.focusWidget() in (form.name, None)
    # Esc cancels without writing
    head = current_chain_head(demo)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible() and current_chain_head(demo) == head
    # When the teller fills the form and presses Enter
    tab.new_kube()
    form = tab.form
    qtbot.keyClicks(form.name, "Kube Bambu Rukun")
    qtbot.keyClicks(form.business, "Anyaman bambu")
    qtbot.keyClicks(form.rt, "5")
    qtbot.keyClicks(form.rw, "2")
    qtbot.keyClicks(form.desa, "Sukajaya")
    qtbot.keyClicks(form.pendamping, "Ibu Euis Rohaeti")
    _enter(qtbot, form.pendamping)
    _until(qtbot, lambda: form.result_value is not None)
    # Then the new Kube is in the list, chosen, with its stage and no members yet
    _until(qtbot, lambda: tab.selected() is not None and tab.selected().id == form.result_value
           and not tab.detail.loading)
    row = tab.selected()
    assert tab.model.rowCount() == before + 1
    assert (row.name, row.rt, row.rw, row.members, row.pendamping) == (
        "Kube Bambu Rukun", "005", "002", 0, "Ibu Euis Rohaeti")
    assert tab.model.data(tab.model.index(tab.model.rowCount() - 1, 5)) == stage_label(
        "belum")
    assert tab.detail.message.text() == _("Kube registered. Add its members next.")
    assert not form.isVisible()


def test_members_are_found_and_added_and_one_of_another_kube_is_refused(
        qtbot, demo: Book, teller: Session, worker: Worker, answers: Answers) -> None:
    kube_id = _kube_with(teller, [], desa="Cadasari")
    tab = _tab(qtbot, teller, worker, kube_id)
    _click(qtbot, tab.detail.members_page.add_button)
    dialog = tab.detail.dialog
    assert isinstance(dialog, AddMemberDialog)
    # When the teller finds a free household by name and presses Enter twice
    qtbot.keyClicks(dialog.search, "Ade Sukmana")
    _enter(qtbot, dialog.search)
    _until(qtbot, lambda: dialog.found.rowCount() > 0)
    assert dialog.table.hasFocus() or dialog.focusWidget() is dialog.table
    _enter(qtbot, dialog.table)
    _until(qtbot, lambda: dialog.info.text() != "")
    # Then they are in, and the village warning of add_member is shown
    warning = _("{name} lives in {village}, not in {kube_village}.").format(
        name="Ade Sukmana", village="Sukajaya", kube_village="Cadasari")
    assert warning in dialog.info.text()
    assert [m[2] for m in kube.current_members(teller, kube_id)] == ["Ade Sukmana"]
    _until(qtbot, lambda: tab.detail.members_page.model.rowCount() == 1)
    assert warning in tab.detail.message.text()
    # When a household already in another Kube is chosen
    other = kube.list_kube(teller)[0]
    member = kube.current_members(teller, other.id)[0]
    head = current_chain_head(demo)
    qtbot.keyClicks(dialog.search, member[1])
    _enter(qtbot, dialog.search)
    _until(qtbot, lambda: dialog.found.rowCount() == 1)
    _enter(qtbot, dialog.table)
    _until(qtbot, lambda: dialog.error.text() != "")
    # Then the Indonesian refusal is shown and nothing is written
    assert dialog.error.text() == _(
        "{name} is already in {kube}; a household belongs to one Kube at a time.").format(
        name=member[2], kube=other.name)
    assert "satu KK hanya boleh di satu Kube" in dialog.error.text()
    assert current_chain_head(demo) == head
    assert len(kube.current_members(teller, kube_id)) == 1
    # Done closes the dialog (Esc too)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_officers_are_chosen_among_the_members(qtbot, teller: Session, worker: Worker,
                                               answers: Answers) -> None:
    kube_id = _kube_with(teller, FREE[:5])
    tab = _tab(qtbot, teller, worker, kube_id)
    page = tab.detail.officers_page
    tab.detail.pages.setCurrentWidget(page)
    assert page.model.rowCount() == 0
    for count, (role, member_id) in enumerate((("ketua", 31), ("bendahara", 33)), start=1):
        _click(qtbot, page.set_button)
        dialog = tab.detail.dialog
        assert isinstance(dialog, OfficerDialog)
        dialog.role.setCurrentIndex(dialog.role.findData(role))
        dialog.member.setCurrentIndex(dialog.member.findData(str(member_id)))
        _enter(qtbot, dialog.start)
        _until(qtbot, lambda d=dialog: not d.isVisible())
        _until(qtbot, lambda n=count: page.model.rowCount() == n)
    assert [(o[0], o[3]) for o in kube.officers(teller, kube_id)] == [
        ("ketua", None), ("bendahara", None)]
    assert page.note.text() == _("Still to choose: {roles}.").format(
        roles=_("Secretary (sekretaris)"))
    roles = tab.detail.members_page.roles
    assert set(roles.values()) == {_("Chair (ketua)"), _("Treasurer (bendahara)")}


def test_a_member_leaves_on_the_date_typed(qtbot, teller: Session, worker: Worker,
                                           answers: Answers) -> None:
    kube_id = _kube_with(teller, FREE[:5])
    tab = _tab(qtbot, teller, worker, kube_id)
    page = tab.detail.members_page
    _click(qtbot, page.remove_button)  # nobody chosen: the panel says so
    assert tab.detail.message.text() == _("Choose the member who leaves in the list first.")
    page.view.selectRow(2)
    leaving = page.selected()
    _click(qtbot, page.remove_button)
    dialog = tab.detail.dialog
    dialog.left.selectAll()
    qtbot.keyClicks(dialog.left, "31-13-2026")  # not a date: refused beside the form
    _enter(qtbot, dialog.left)
    assert dialog.error.text() != "" and dialog.isVisible()
    dialog.left.selectAll()
    qtbot.keyClicks(dialog.left, "28-11-2026")
    _enter(qtbot, dialog.left)
    _until(qtbot, lambda: not dialog.isVisible())
    _until(qtbot, lambda: page.model.rowCount() == 4)
    assert leaving[0] not in [m[0] for m in kube.current_members(teller, kube_id)]
    assert tab.detail.message.text() == _("{name} has left the Kube.").format(name=leaving[2])


# ---------------------------------------------------------------------------- meetings


def test_a_meeting_with_its_collection_sheet_posts_one_journal(
        qtbot, demo: Book, teller: Session, worker: Worker, answers: Answers) -> None:
    kube_id = _kube_with(teller, FREE)
    drawer.open_drawer(teller, 0)
    tab = _tab(qtbot, teller, worker, kube_id)
    before, cash = _journals(demo), drawer.current_drawer(teller).expected_cash
    dialog = _meeting(qtbot, tab)
    assert dialog.drawer_note.text() == _("The sheet's money goes into your cash drawer.")
    assert len(dialog.lines) == 10
    # When the teller marks one absent, types the problems and the sheet
    dialog.lines[3].present.setChecked(False)
    dialog.raised.setValue(2)
    dialog.solved.setValue(1)
    qtbot.keyClicks(dialog.problems, "Harga bambu naik")
    qtbot.keyClicks(dialog.decisions, "Membeli bambu bersama")
    _type_amounts(qtbot, dialog, {n: ("10.000", "5000" if n % 2 else "", "2.000")
                                  for n in range(1, 11)})
    # Then the lines, the columns and the sheet add up, in figures and words
    assert dialog.lines[0].total.text() == "Rp17.000"
    assert dialog.lines[1].total.text() == "Rp12.000"
    assert [label.text() for label in dialog.column_totals] == [
        "Rp100.000", "Rp25.000", "Rp20.000"]
    assert dialog.grand_total.text() == "Rp145.000"
    assert dialog.words.text() == "seratus empat puluh lima ribu rupiah"
    assert dialog.attendance.text() == _("{present} of {members} present").format(
        present=9, members=10)
    # Enter on the last field reaches OK; Enter there saves, once
    assert dialog.focusWidget() is dialog.ok_button
    answers.yes = True  # print the group receipt
    _enter(qtbot, dialog.ok_button)
    _enter(qtbot, dialog.ok_button)
    _until(qtbot, lambda: dialog.result_value is not None)
    _until(qtbot, lambda: len(answers.receipts) == 1)
    _until(qtbot, lambda: not dialog.isVisible())
    posted = dialog.result_value.posted
    assert posted.total == 145_000
    assert _journals(demo) == before + 1
    assert drawer.current_drawer(teller).expected_cash == cash + 145_000
    held = kube.meetings(teller, kube_id)
    assert [(m[2], m[3], m[4], m[5], m[6]) for m in held] == [(9, 10, 2, 1, posted.doc_number)]
    receipt = " ".join(" ".join((p.extract_text() or "")
                                for p in PdfReader(io.BytesIO(answers.receipts[0])).pages)
                       .split())
    assert posted.doc_number in receipt and "Rp145.000" in receipt
    # the meetings list shows the sheet's document number
    page = tab.detail.meetings_page
    _until(qtbot, lambda: page.model.rowCount() == 1)
    assert page.model.data(page.model.index(0, 4)) == posted.doc_number
    assert posted.doc_number in tab.detail.message.text()


def test_a_wrong_wajib_amount_is_refused_naming_the_line(
        qtbot, demo: Book, teller: Session, worker: Worker, answers: Answers) -> None:
    kube_id = _kube_with(teller, FREE)
    drawer.open_drawer(teller, 0)
    tab = _tab(qtbot, teller, worker, kube_id)
    head, before = current_chain_head(demo), _journals(demo)
    dialog = _meeting(qtbot, tab)
    _type_amounts(qtbot, dialog, {1: ("10.000", "", ""), 2: ("15.000", "", "2.000")})
    _click(qtbot, dialog.ok_button)
    _until(qtbot, lambda: dialog.error.text() != "")
    name = dialog.lines[1].member[2]
    assert dialog.error.text() == _("Line {line} ({name}): {problem}").format(
        line=2, name=name, problem=_(WAJIB).format(amount="Rp10.000"))
    assert dialog.error.text().startswith("Baris 2")
    # nothing is written: not the meeting, not the sheet
    assert current_chain_head(demo) == head and _journals(demo) == before
    assert kube.meetings(teller, kube_id) == []
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    # corrected, the same screen saves
    line = dialog.lines[1].wajib
    line.selectAll()
    qtbot.keyClicks(line, "20.000")
    _click(qtbot, dialog.ok_button)
    _until(qtbot, lambda: dialog.result_value is not None)
    assert dialog.result_value.posted.total == 32_000
    assert _journals(demo) == before + 1


def test_a_line_for_a_member_not_in_the_kube_is_refused(
        qtbot, demo: Book, teller: Session, worker: Worker, answers: Answers) -> None:
    kube_id = _kube_with(teller, FREE)
    drawer.open_drawer(teller, 0)
    tab = _tab(qtbot, teller, worker, kube_id)
    dialog = _meeting(qtbot, tab)
    # Given a household that left the Kube while the sheet was being typed
    gone = dialog.lines[2].member
    kube.remove_member(teller, kube_id, gone[0])
    head, before = current_chain_head(demo), _journals(demo)
    dialog.lines[2].present.setChecked(False)
    _type_amounts(qtbot, dialog, {1: ("10.000", "", ""), 3: ("10.000", "", "")})
    _click(qtbot, dialog.ok_button)
    _until(qtbot, lambda: dialog.error.text() != "")
    assert dialog.error.text() == _("Line {line} ({name}): {problem}").format(
        line=3, name=gone[2], problem=_("not a member of this Kube on the meeting's date."))
    assert current_chain_head(demo) == head and _journals(demo) == before
    assert kube.meetings(teller, kube_id) == []


def test_with_the_drawer_closed_the_screen_says_so_and_records_the_meeting_only(
        qtbot, demo: Book, teller: Session, worker: Worker, answers: Answers) -> None:
    kube_id = _kube_with(teller, FREE[:6])
    tab = _tab(qtbot, teller, worker, kube_id)
    before = _journals(demo)
    dialog = _meeting(qtbot, tab, ready=False)
    assert dialog.drawer_note.text() == _(
        "Your cash drawer is not open, so the collection sheet cannot be posted. Open it in "
        "the Kas tab first; a meeting without money can still be recorded.")
    assert all(not edit.isEnabled() for line in dialog.lines for edit in line.amounts)
    # Enter from the date runs down the form to OK; OK records the meeting alone
    dialog.date.setFocus()
    for _step in range(6):
        _enter(qtbot, dialog.focusWidget())
    assert dialog.focusWidget() is dialog.ok_button
    _enter(qtbot, dialog.ok_button)
    _until(qtbot, lambda: dialog.result_value is not None)
    assert dialog.result_value.posted is None and _journals(demo) == before
    assert [(m[2], m[6]) for m in kube.meetings(teller, kube_id)] == [(6, None)]
    page = tab.detail.meetings_page
    _until(qtbot, lambda: page.model.rowCount() == 1)
    assert page.model.data(page.model.index(0, 4)) == _("no money collected")


# ---------------------------------------------------------------------------- visits, stage


def test_a_visit_is_recorded_for_the_chosen_member(qtbot, teller: Session, worker: Worker,
                                                   answers: Answers) -> None:
    kube_id = _kube_with(teller, FREE[:5])
    tab = _tab(qtbot, teller, worker, kube_id)
    page = tab.detail.visits_page
    tab.detail.pages.setCurrentWidget(page)
    page.view.selectRow(1)
    _click(qtbot, page.visit_button)
    dialog = tab.detail.dialog
    assert isinstance(dialog, VisitDialog)
    assert dialog.member.currentData() == str(FREE[1])
    qtbot.keyClicks(dialog.amount.edit, "2.400.000")
    assert dialog.amount.figure.text() == "Rp2.400.000"
    _enter(qtbot, dialog.amount.edit)
    _until(qtbot, lambda: not dialog.isVisible())
    series = kube.income_series(teller, kube_id)
    assert series[-1] == (teller.today.isoformat()[:7], 2_400_000)
    _until(qtbot, lambda: page.months.rowCount() == len(series))


def test_a_manager_overrides_the_stage_with_a_reason(qtbot, demo: Book, teller: Session,
                                                     manager: Session, worker: Worker,
                                                     answers: Answers) -> None:
    kube_id = _kube_with(manager, FREE[:5])
    assert not _tab(qtbot, teller, worker, kube_id).detail.indicators_page.stage_button \
        .property("allowed")  # a teller may not
    tab = _tab(qtbot, manager, worker, kube_id)
    page = tab.detail.indicators_page
    tab.detail.pages.setCurrentWidget(page)
    assert page.stage.text() == _("Stage: {stage}").format(stage=stage_label("belum"))
    _click(qtbot, page.stage_button)
    dialog = tab.detail.dialog
    assert isinstance(dialog, StageDialog)
    dialog.stage.setCurrentIndex(dialog.stage.findData("tumbuh"))
    # without a reason it is refused, nothing written
    head = current_chain_head(demo)
    _enter(qtbot, dialog.reason)
    _until(qtbot, lambda: dialog.error.text() != "")
    assert current_chain_head(demo) == head
    qtbot.keyClicks(dialog.reason, "Pendamping menilai kelompok sudah berjalan")
    _enter(qtbot, dialog.reason)
    _until(qtbot, lambda: not dialog.isVisible())
    _until(qtbot, lambda: page.stage.text() == _("Stage: {stage}").format(
        stage=stage_label("tumbuh")))
    assert "Pendamping menilai kelompok sudah berjalan" in page.override.text()
    assert kube.kube_stage(manager, kube_id).override_reason is not None
    _until(qtbot, lambda: tab.selected().stage == "tumbuh")


@pytest.mark.parametrize(("username", "hidden"), [
    ("kasir", {_("Override the stage…"), _("Record stimulant aid…"), _("Link with a bank…"),
               _("Record condition/use…"), _("Change status…")}),
    ("manajer", set()),
    ("auditor", "all"),
])
def test_each_role_sees_the_buttons_it_may_use(qtbot, demo: Book, worker: Worker,
                                               username: str, hidden: set[str] | str) -> None:
    session = demo_session(demo, username)
    tab = _tab(qtbot, session, worker)
    assert tab.selected() is not None
    every = [b.text() for p in tab.detail.all_pages() for b in p.buttons]
    shown = tab.detail.visible_actions()
    if hidden == "all":
        assert shown == [] and not tab.new_button.isVisible()
    else:
        assert set(every) - set(shown) == hidden and tab.new_button.isVisible()


def test_an_auditor_on_a_read_only_copy_sees_no_write_button(qtbot, demo: Book,
                                                             worker: Worker) -> None:
    demo.close()
    frozen = open_book(demo.path, read_only=True)
    try:
        for username in ("auditor", "manajer"):
            tab = _tab(qtbot, demo_session(frozen, username), worker)
            assert tab.model.rowCount() > 0 and tab.detail.file is not None
            assert not tab.new_button.isVisible()
            assert tab.detail.visible_actions() == []
            assert not any(b.isVisible() for p in tab.detail.all_pages() for b in p.buttons)
            tab.new_kube()  # Ctrl+N does nothing either
            assert tab.form is None
            # the reading still works: the indicators and the chart are shown
            assert tab.detail.indicators_page.chart.values()
    finally:
        frozen.close()


def test_the_chart_holds_the_points_of_income_series(qtbot, teller: Session, worker: Worker,
                                                     answers: Answers) -> None:
    kube_id = _kube_with(teller, FREE)
    for member_id in FREE:
        for month, income in (("07", 1_500_000), ("09", 1_650_000), ("11", 1_800_000)):
            kube.record_visit(teller, member_id, f"2026-{month}-15",
                              income + 10_000 * (member_id - 30), "berjalan")
    tab = _tab(qtbot, teller, worker, kube_id)
    series = kube.income_series(teller, kube_id)
    assert len(series) == 4
    chart = tab.detail.indicators_page.chart
    assert chart.points == series
    assert [y for _x, y in chart.values()] == [float(v) for _m, v in series]
    assert [x for x, _y in chart.values()] == [float(month_number(m)) for m, _v in series]
    labels = chart.axis_y.categoriesLabels()
    assert labels and all(label.startswith("Rp") and "." in label for label in labels)
    assert chart.axis_x.categoriesLabels()[-1] == "Nov 2026"
    assert chart.axis_x.titleText() == _("Month") and chart.axis_x.titleText() != "Month"
    found = kube.indicators(teller, kube_id)
    assert found.income_latest == series[-1][1]
    income = tab.detail.indicators_page.values["income"].text()
    assert "Rp1.855.000" in income and "%" in income


def test_the_entry_point_is_drawn_beside_a_visit_of_the_same_month(qtbot) -> None:
    chart = IncomeChart()
    qtbot.addWidget(chart)
    chart.set_points([("2026-02", 1_440_000), ("2026-02", 1_480_000), ("2026-05", 1_505_000)])
    february = float(month_number("2026-02"))
    assert chart.values() == [(february - 0.5, 1_440_000.0), (february, 1_480_000.0),
                              (february + 3, 1_505_000.0)]
    assert chart.entry.name() == _("At entry: {amount}").format(amount="Rp1.440.000")
    assert chart.axis_x.categoriesLabels() == ["Feb 2026", "Mei 2026"]
    chart.set_points([])
    assert chart.values() == [] and chart.chart().title() == _(
        "No income recorded yet: the chart starts with the first monitoring visit.")


# ---------------------------------------------------------------------------- aid, PHBK, funds


def _cell(model, row: int, column: int) -> str:
    return model.data(model.index(row, column))


def test_the_aid_and_linkage_tables_list_the_demo_rows(qtbot, manager: Session,
                                                        worker: Worker, answers: Answers) -> None:
    first = kube.list_kube(manager)[0]
    kube.link_bank(manager, first.id, "tanggung_renteng", "BRI Unit Cadasari", "2026-10-01",
                   25_000_000, "lunas")
    tab = _tab(qtbot, manager, worker, first.id)
    page = tab.detail.aid_page
    tab.detail.pages.setCurrentWidget(page)
    aid = kube.aid_list(manager, first.id)
    assert page.aid.rowCount() == len(aid) == 1
    assert [_cell(page.aid, 0, c) for c in range(7)] == [
        "6 Maret 2026", _("goods"), aid[0].item, "Rp10.000.000", "Kementerian Sosial RI",
        "baik", "dipakai bersama untuk usaha kelompok"]
    assert page.links.rowCount() == 1
    assert [_cell(page.links, 0, c) for c in range(5)] == [
        "1 Oktober 2026", "BRI Unit Cadasari", _("joint liability (tanggung renteng)"),
        "Rp25.000.000", _("repaid")]
    assert page.phbk.text() != ""
    # another Kube shows its own aid, and no linkage
    second = kube.list_kube(manager)[1]
    _show(qtbot, tab, second.id)
    assert page.links.rowCount() == 0 and not page.status_button.isEnabled()
    assert _cell(page.aid, 0, 2) == kube.aid_list(manager, second.id)[0].item


def test_a_manager_records_what_became_of_the_aid(qtbot, demo: Book, manager: Session,
                                                  worker: Worker, answers: Answers) -> None:
    first = kube.list_kube(manager)[0]
    tab = _tab(qtbot, manager, worker, first.id)
    page = tab.detail.aid_page
    tab.detail.pages.setCurrentWidget(page)
    assert page.outcome_button.text() == "Catat kondisi/pemanfaatan…"
    _click(qtbot, page.outcome_button)
    dialog = tab.detail.dialog
    assert isinstance(dialog, AidOutcomeDialog)
    assert dialog.condition.text() == "baik"  # what is recorded, ready to change
    dialog.condition.selectAll()
    qtbot.keyClicks(dialog.condition, "rusak ringan")
    dialog.outcome.selectAll()
    qtbot.keyClicks(dialog.outcome, "Etalase diperbaiki bersama, dipakai lagi")
    _enter(qtbot, dialog.outcome)
    _until(qtbot, lambda: not dialog.isVisible())
    _until(qtbot, lambda: _cell(page.aid, 0, 5) == "rusak ringan")
    assert _cell(page.aid, 0, 6) == "Etalase diperbaiki bersama, dipakai lagi"
    assert kube.aid_list(manager, first.id)[0].condition == "rusak ringan"
    assert tab.detail.message.text() == _("Condition and use of the aid saved.")
    (action,) = demo.raw().execute("SELECT count(*) FROM audit_log WHERE action = "
                                   "'kube.aid_update'").fetchone()
    assert action == 1


def test_a_manager_changes_the_status_of_a_bank_linkage(qtbot, manager: Session,
                                                        worker: Worker, answers: Answers) -> None:
    first = kube.list_kube(manager)[0]
    link = kube.link_bank(manager, first.id, "langsung", "BPRS Cilegon", "2026-09-01",
                          5_000_000, "ditolak")
    tab = _tab(qtbot, manager, worker, first.id)
    page = tab.detail.aid_page
    tab.detail.pages.setCurrentWidget(page)
    assert page.status_button.text() == "Ubah status…"
    _click(qtbot, page.status_button)
    dialog = tab.detail.dialog
    assert isinstance(dialog, LinkStatusDialog) and dialog.status.currentData() == "ditolak"
    dialog.status.setCurrentIndex(dialog.status.findData("usulan"))
    _click(qtbot, dialog.ok_button)
    _until(qtbot, lambda: not dialog.isVisible())
    _until(qtbot, lambda: _cell(page.links, 0, 4) == _("proposed"))
    assert kube.links_list(manager, first.id)[0].id == link
    assert kube.links_list(manager, first.id)[0].status == "usulan"


def test_the_visit_history_lists_the_members_visits(qtbot, teller: Session, worker: Worker,
                                                    answers: Answers) -> None:
    first = kube.list_kube(teller)[0]
    tab = _tab(qtbot, teller, worker, first.id)
    page = tab.detail.visits_page
    visits = kube.visits_list(teller, first.id)
    assert page.history.rowCount() == len(visits) > 0
    latest = visits[0]
    assert [_cell(page.history, 0, c) for c in range(3)] == [
        "29 November 2026", latest.member_number, latest.member_name]
    assert _cell(page.history, 0, 3) == format_rupiah(latest.monthly_income)
    assert page.count.text() == _("{n} visits").format(n=len(visits))


def _funds(qtbot, tab: KubeTab):
    page = tab.detail.funds_page
    tab.detail.pages.setCurrentWidget(page)
    return page


def _fund_dialog(qtbot, tab: KubeTab, button, kind):
    _click(qtbot, button)
    dialog = tab.detail.dialog
    assert isinstance(dialog, kind)
    _until(qtbot, lambda: dialog.drawer_note.text() != _("Checking your cash drawer…"))
    return dialog


def test_a_group_fund_deposit_posts_one_journal_and_the_balance_follows(
        qtbot, demo: Book, teller: Session, worker: Worker, answers: Answers) -> None:
    first = kube.list_kube(teller)[0]
    drawer.open_drawer(teller, 0)
    tab = _tab(qtbot, teller, worker, first.id)
    page = _funds(qtbot, tab)
    iks = kube.group_fund_balance(teller, first.id, "iks")
    assert page.values["iks"].text() == format_rupiah(iks)
    assert not page.drawer_note.isVisible()
    before, cash = _journals(demo), drawer.current_drawer(teller).expected_cash
    dialog = _fund_dialog(qtbot, tab, page.deposit_button, FundDepositDialog)
    request_id = dialog.request_id
    assert dialog.ok_button.isEnabled() and dialog.fund.currentData() == "iks"
    qtbot.keyClicks(dialog.payer, "Ibu Siti (bendahara)")
    qtbot.keyClicks(dialog.amount.edit, "150.000")
    answers.yes = True  # print the receipt
    _enter(qtbot, dialog.amount.edit)
    _enter(qtbot, dialog.amount.edit)  # a second press posts nothing new
    _until(qtbot, lambda: dialog.result_value is not None)
    _until(qtbot, lambda: len(answers.receipts) == 1)
    _until(qtbot, lambda: not dialog.isVisible())
    assert dialog.request_id == request_id
    assert _journals(demo) == before + 1
    assert drawer.current_drawer(teller).expected_cash == cash + 150_000
    _until(qtbot, lambda: page.values["iks"].text() == format_rupiah(iks + 150_000))
    assert kube.group_fund_balance(teller, first.id, "iks") == iks + 150_000
    assert dialog.result_value.doc_number in tab.detail.message.text()
    receipt = " ".join(" ".join((p.extract_text() or "")
                                for p in PdfReader(io.BytesIO(answers.receipts[0])).pages)
                       .split())
    assert "Rp150.000" in receipt


def test_a_payout_above_the_fund_is_refused_and_writes_nothing(
        qtbot, demo: Book, teller: Session, worker: Worker, answers: Answers) -> None:
    first = kube.list_kube(teller)[0]
    drawer.open_drawer(teller, 0)
    tab = _tab(qtbot, teller, worker, first.id)
    page = _funds(qtbot, tab)
    saved = kube.group_fund_balance(teller, first.id, "tabungan")
    iks = kube.group_fund_balance(teller, first.id, "iks")
    head, before = current_chain_head(demo), _journals(demo)
    dialog = _fund_dialog(qtbot, tab, page.payout_button, FundPayoutDialog)
    assert dialog.holds.text() == _("The fund holds {amount}.").format(
        amount=format_rupiah(iks))
    qtbot.keyClicks(dialog.purpose, "Bantuan keluarga miskin")
    qtbot.keyClicks(dialog.amount.edit, str(iks + 10_000))
    _enter(qtbot, dialog.amount.edit)
    _until(qtbot, lambda: dialog.error.text() != "")
    assert dialog.error.text() == _("The fund holds only {amount}.").format(
        amount=format_rupiah(iks))
    assert dialog.error.text().startswith("Dana hanya berisi")
    assert current_chain_head(demo) == head and _journals(demo) == before
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    assert kube.group_fund_balance(teller, first.id, "tabungan") == saved
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and current_chain_head(demo) == head


def test_with_the_drawer_closed_the_funds_page_says_so(qtbot, demo: Book, teller: Session,
                                                       worker: Worker, answers: Answers) -> None:
    first = kube.list_kube(teller)[0]
    tab = _tab(qtbot, teller, worker, first.id)
    page = _funds(qtbot, tab)
    assert page.drawer_note.isVisible()
    assert page.drawer_note.text().startswith("Laci kas Anda belum dibuka")
    assert not page.deposit_button.isEnabled() and not page.payout_button.isEnabled()
    # a form opened anyway (the drawer closed meanwhile) says so and keeps OK off
    head = current_chain_head(demo)
    dialog = FundDepositDialog(teller, worker, tab.detail.row, {}, tab)
    qtbot.addWidget(dialog)
    dialog.show()
    _until(qtbot, lambda: dialog.drawer_note.text() != _("Checking your cash drawer…"))
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.payer, "Ibu Siti")
    qtbot.keyClicks(dialog.amount.edit, "10.000")
    _enter(qtbot, dialog.amount.edit)
    assert current_chain_head(demo) == head and dialog.result_value is None
