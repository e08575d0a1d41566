"""The Pembiayaan tab driven as a teller, a manager and an auditor would (offscreen): apply
for a Kube through the form, approve as another user in the inbox, disburse, take an
instalment with its allocation shown, settle early; one's own submission cannot be approved;
an auditor sees no write action; the Kube's page lists its financing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from bmt_desktop.domain.errors import PermissionDenied
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.gui.tabs.financing_actions import DisburseDialog, RepayDialog, SettleDialog
from bmt_desktop.gui.tabs.financing_apply import ApplicationDialog, instalment_range
from bmt_desktop.gui.tabs.financing_common import pct_text
from bmt_desktop.gui.tabs.financing_tab import FinancingTab
from bmt_desktop.gui.tabs.kube_tab import KubeTab
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import financing as F
from bmt_desktop.services import financing_payments as P
from bmt_desktop.services.financing_queries import detail
from bmt_desktop.services.financing_state import facts
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book, open_book
from tests.conftest import session_of
from tests.helpers.gui_answers import Answers, stand_in
from tests.test_financing_queries import (
    disbursed,
    kube_application,
    kube_members,
    member_application,
    open_drawer,
)


@pytest.fixture
def teller(demo: Book) -> Session:
    return session_of(demo, "kasir")


@pytest.fixture
def manager(demo: Book) -> Session:
    return session_of(demo, "manajer")


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    person = stand_in(monkeypatch)
    monkeypatch.setattr("bmt_desktop.gui.tabs.financing_actions.ask_reason",
                        lambda _parent, _title, _text: person.reason)
    return person


def _until(qtbot, condition, timeout: int = 15_000) -> None:
    qtbot.waitUntil(condition, timeout=timeout)


def _enter(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _tab(qtbot, session: Session, worker: Worker) -> FinancingTab:
    tab = FinancingTab(session, worker)
    qtbot.addWidget(tab)
    tab.resize(1180, 760)
    tab.show()
    tab.refresh()
    _until(qtbot, lambda: not worker.busy() and not tab.list.busy)
    return tab


def _show(qtbot, tab: FinancingTab, financing_id: int) -> None:
    tab.show_financing(financing_id)
    _until(qtbot, lambda: tab.panel.file is not None and tab.panel.file.id == financing_id
           and not tab.panel.loading and not tab.worker.busy())


def _inbox_row(tab: FinancingTab, financing_id: int) -> int:
    rows = [tab.inbox.model.row_at(i) for i in range(tab.inbox.model.rowCount())]
    return next(i for i, d in enumerate(rows)
                if d.kind == "pengajuan" and d.financing_id == financing_id)


def _status(book: Book, financing_id: int) -> str:
    return book.raw().execute("SELECT status FROM financing WHERE id = ?",
                              (financing_id,)).fetchone()[0]


# ------------------------------------------------------------------------------ the whole way
def test_apply_approve_disburse_and_repay_through_the_window(
        qtbot, demo: Book, teller: Session, manager: Session, worker: Worker,
        answers: Answers) -> None:
    # Given the teller at the Pembiayaan tab opens a new application for Kube Mawar
    before = demo.raw().execute("SELECT count(*) FROM financing").fetchone()[0]
    tab = _tab(qtbot, teller, worker)
    _click(qtbot, tab.new_button)
    dialog = tab.form
    assert isinstance(dialog, ApplicationDialog)
    _until(qtbot, lambda: dialog.start is not None)
    qtbot.mouseClick(dialog.as_kube, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: dialog.shares.rowCount() == len(kube_members(teller, 1)))
    assert dialog.product.currentData() == "MRK"
    assert dialog.instalments.minimum() == 3 and dialog.instalments.maximum() == 24
    assert dialog.rate.minimum() == 12 and dialog.rate.maximum() == 24
    # When she types the amount, the shares follow it and the schedule is shown
    dialog.amount.edit.setFocus()
    qtbot.keyClicks(dialog.amount.edit, "5.000.000")
    assert dialog.shares_note.text() == _("Shares add up to {total}.").format(
        total="Rp5.000.000")
    assert dialog.preview.rowCount() == 12
    assert sum(i.principal for i in dialog.schedule) == 5_000_000
    # a share typed wrong is said at once, and the form refuses it
    dialog.shares.item(0, 1).setText("1.500.000")
    assert format_rupiah(500_000) in dialog.shares_note.text()
    qtbot.keyClicks(dialog.goods, "Bambu tali 300 batang")
    qtbot.keyClicks(dialog.supplier, "Pengrajin Cikole")
    qtbot.keyClicks(dialog.cost, "5000000")
    qtbot.keyClicks(dialog.purpose, "Modal usaha anyaman")
    _enter(qtbot, dialog.purpose)
    assert "Rp5.500.000" in dialog.error.text()
    assert demo.raw().execute("SELECT count(*) FROM financing").fetchone()[0] == before
    dialog.split_equally()
    # And Enter submits
    _enter(qtbot, dialog.purpose)
    _until(qtbot, lambda: dialog.result_value is not None)
    financing_id = dialog.result_value
    assert _status(demo, financing_id) == "pengajuan"
    _until(qtbot, lambda: tab.panel.file is not None and tab.panel.file.id == financing_id)
    assert tab.status == "pengajuan" and tab.list.selected().id == financing_id
    # the teller may not decide: she sees no Approve button
    assert not tab.panel.approve_button.isVisible()

    # When the manager approves it in the inbox (another user)
    boss = _tab(qtbot, manager, worker)
    boss.pages.setCurrentWidget(boss.inbox)
    _until(qtbot, lambda: boss.inbox.loaded and not worker.busy())
    waiting = boss.inbox.model.rowCount()
    assert boss.pages.tabText(boss.pages.indexOf(boss.inbox)) == _("Approvals ({n})").format(
        n=waiting)
    boss.inbox.view.selectRow(_inbox_row(boss, financing_id))
    answers.yes = True
    _click(qtbot, boss.inbox.approve_button)
    _until(qtbot, lambda: _status(demo, financing_id) == "disetujui")
    _until(qtbot, lambda: boss.inbox.model.rowCount() == waiting - 1)

    # Then the teller disburses it in cash from her drawer, the first due date typed
    open_drawer(teller)
    _show(qtbot, tab, financing_id)
    assert tab.panel.file.status == "disetujui"
    answers.yes = False  # no receipt now
    _click(qtbot, tab.panel.disburse_button)
    form = tab.panel.dialog
    assert isinstance(form, DisburseDialog)
    form.first_due.setText("15-12-2026")
    assert "15 Desember 2026" in form.preview.text()
    _enter(qtbot, form.first_due)
    _enter(qtbot, form.first_due)  # a second Enter posts nothing more
    _until(qtbot, lambda: form.result_value is not None)
    _until(qtbot, lambda: tab.panel.file is not None and tab.panel.file.status == "cair")
    assert demo.raw().execute("SELECT count(*) FROM journal WHERE request_id = ?",
                              (form.request_id,)).fetchone()[0] == 1
    assert tab.panel.file.first_due_on == dt.date(2026, 12, 15)

    # And takes an instalment: nothing has fallen due, so only an advance is accepted
    _click(qtbot, tab.panel.repay_button)
    pay = tab.panel.dialog
    assert isinstance(pay, RepayDialog)
    _until(qtbot, lambda: pay.quote is not None)
    member = kube_members(teller, 1)[1]
    pay.payer.setCurrentIndex(pay.payer.findData(member))
    pay.amount.edit.clear()
    qtbot.keyClicks(pay.amount.edit, "600.000")
    _until(qtbot, lambda: pay.allocation.text() != "")
    assert _("Mark it as an advance payment") in pay.allocation.text() or \
        "Rp600.000" in pay.allocation.text()
    pay.advance.setChecked(True)
    _until(qtbot, lambda: pay.allocation.text().startswith(_("principal {amount}").format(
        amount="")[:4]))
    assert _("of which {amount} in advance").format(amount="Rp600.000") in \
        pay.allocation.text()
    answers.yes = True
    _enter(qtbot, pay.amount.edit)
    _until(qtbot, lambda: len(answers.receipts) == 1)
    _until(qtbot, lambda: tab.panel.file is not None and len(tab.panel.file.postings) == 2)
    text = " ".join(p.extract_text() or "" for p in
                    PdfReader(io.BytesIO(answers.receipts[0])).pages)
    assert "Rp600.000" in text
    file = tab.panel.file
    assert file.postings[1].paid == 600_000 and file.postings[1].member_id == member
    assert {s.member_id: s.paid for s in file.shares}[member] == 600_000
    assert file.left_principal == facts(demo.raw(), financing_id).left_principal
    # the schedule page shows the first instalments paid
    assert tab.panel.schedule.row_at(0).left == 0


def test_early_settlement_shows_the_margin_not_charged(
        qtbot, demo: Book, teller: Session, manager: Session, worker: Worker,
        answers: Answers) -> None:
    fid = disbursed(teller, manager, member_application(teller))
    tab = _tab(qtbot, teller, worker)
    _show(qtbot, tab, fid)
    owed = tab.panel.file.owed
    _click(qtbot, tab.panel.settle_button)
    dialog = tab.panel.dialog
    assert isinstance(dialog, SettleDialog)
    _until(qtbot, lambda: dialog.ok_button.isEnabled())
    principal, margin, charges, discount = P.settlement_quote(teller, fid)
    assert discount > 0 and format_rupiah(discount) in dialog.figures.text()
    assert dialog.total.text() == format_rupiah(principal + margin + charges)
    _enter(qtbot, dialog.ok_button)
    _until(qtbot, lambda: _status(demo, fid) == "lunas")
    _until(qtbot, lambda: bool(answers.questions))  # the number told, the receipt offered
    _until(qtbot, lambda: tab.panel.file is not None and tab.panel.file.status == "lunas")
    assert owed - discount == principal + margin + charges
    assert tab.panel.file.margin_discount == discount
    assert not tab.panel.repay_button.isEnabled()


# ------------------------------------------------------------------------------ maker–checker
def test_a_manager_cannot_approve_their_own_submission(
        qtbot, demo: Book, teller: Session, manager: Session, worker: Worker,
        answers: Answers) -> None:
    own = member_application(manager)
    other = kube_application(teller, 1)
    tab = _tab(qtbot, manager, worker)
    tab.pages.setCurrentWidget(tab.inbox)
    _until(qtbot, lambda: tab.inbox.loaded and not worker.busy())
    tab.inbox.view.selectRow(_inbox_row(tab, own))
    assert not tab.inbox.approve_button.isEnabled()
    assert not tab.inbox.reject_button.isEnabled()
    assert tab.inbox.approve_button.toolTip() == _(
        "You submitted this; another manager must decide it.")
    tab.inbox.approve()  # even called directly, nothing is asked nor decided
    assert answers.questions == [] and _status(demo, own) == "pengajuan"
    tab.inbox.view.selectRow(_inbox_row(tab, other))
    assert tab.inbox.approve_button.isEnabled()
    # the panel says the same
    _show(qtbot, tab, own)
    assert tab.panel.approve_button.isVisible() and not tab.panel.approve_button.isEnabled()
    assert tab.panel.approve_button.toolTip()
    # and the service refuses it anyway
    with pytest.raises(PermissionDenied):
        F.decide(manager, own, True)
    # a rejection needs a reason; the other application is rejected from the panel
    _show(qtbot, tab, other)
    answers.reason = "Usaha belum berjalan"
    _click(qtbot, tab.panel.reject_button)
    _until(qtbot, lambda: _status(demo, other) == "ditolak")
    assert detail(manager, other).decision_reason == "Usaha belum berjalan"


# ------------------------------------------------------------------------------ read-only
@pytest.mark.parametrize("username", ["auditor", "kasir"])
def test_what_each_role_sees(qtbot, demo: Book, teller: Session, manager: Session,
                             worker: Worker, username: str) -> None:
    fid = disbursed(teller, manager, kube_application(teller, 1))
    kube_application(teller, 2, 3_000_000)
    tab = _tab(qtbot, session_of(demo, username), worker)
    _show(qtbot, tab, fid)
    shown = set(tab.panel.visible_actions())
    if username == "auditor":
        assert shown == set() and not tab.new_button.isVisible()
        assert not tab.products_button.isVisible() and not tab.panel.receipt_button.isVisible()
        assert tab.inbox.visible_actions() == []
        tab.new_application()
        assert tab.form is None
    else:
        assert not tab.products_button.isVisible() and tab.new_button.isVisible()
        assert _("Instalment…") in shown and _("Disburse…") in shown
        assert _("Approve") not in shown and _("Write off…") not in shown
        assert tab.inbox.visible_actions() == []
    # reading works for everyone: schedule, shares, the inbox and collectibility
    assert tab.panel.schedule.rowCount() == 12 and tab.panel.shares.rowCount() == 5
    tab.pages.setCurrentWidget(tab.collectibility)
    _until(qtbot, lambda: tab.collectibility.report is not None)
    report = tab.collectibility.report
    assert tab.collectibility.rows.rowCount() == len(report.rows) > 0
    assert _("NPF {npf} · {health}").format(npf=pct_text(report.npf, 2),
                                           health=report.health) == \
        tab.collectibility.headline.text()


def test_a_read_only_copy_hides_every_write(qtbot, demo: Book, teller: Session,
                                            manager: Session, worker: Worker) -> None:
    fid = disbursed(teller, manager, kube_application(teller, 1))
    demo.close()
    frozen = open_book(demo.path, read_only=True)
    try:
        tab = _tab(qtbot, session_of(frozen, "manajer"), worker)
        _show(qtbot, tab, fid)
        assert tab.panel.visible_actions() == [] and not tab.new_button.isVisible()
        assert not any(b.isVisible() for b in tab.panel.action_buttons())
        assert tab.inbox.visible_actions() == [] and not tab.products_button.isVisible()
    finally:
        frozen.close()


# ------------------------------------------------------------------------------ the form
def test_the_form_holds_the_products_ranges_and_asks_the_coordinator(
        qtbot, teller: Session, worker: Worker, answers: Answers) -> None:
    dialog = ApplicationDialog(teller, worker)
    qtbot.addWidget(dialog)
    dialog.show()
    _until(qtbot, lambda: dialog.start is not None)
    # a member of a Kube: the coordinator's approval is asked, what is lacking is said
    member = kube_members(teller, 1)[0]
    number = teller.book.raw().execute("SELECT number FROM member WHERE id = ?",
                                       (member,)).fetchone()[0]
    qtbot.keyClicks(dialog.member_find, number)
    _enter(qtbot, dialog.member_find)
    _until(qtbot, lambda: dialog.facts is not None)
    assert dialog.left.isRowVisible(dialog.coordinator_row)
    assert dialog.coordinator.text() != "" or dialog.facts.info.coordinator == ""
    assert dialog.facts.graduation  # the demo's groups have repaid no cycle yet
    codes = [dialog.product.itemData(i) for i in range(dialog.product.count())]
    assert "MRK" not in codes and "MRI" in codes  # a Kube-only product is not offered
    dialog.product.setCurrentIndex(codes.index("MRI"))
    assert dialog.left.isRowVisible(dialog.goods) and dialog.left.isRowVisible(dialog.rate)
    assert not dialog.left.isRowVisible(dialog.nisbah)
    assert dialog.frequency.count() == 1
    assert (dialog.instalments.minimum(), dialog.instalments.maximum()) == (6, 36)
    dialog.product.setCurrentIndex(codes.index("MDU"))
    assert dialog.left.isRowVisible(dialog.nisbah) and not dialog.left.isRowVisible(dialog.rate)
    assert (dialog.nisbah.minimum(), dialog.nisbah.maximum()) == (30, 50)
    qh = next(p for p in dialog.start.products if p.code == "QH")
    assert instalment_range(qh, "mingguan") == (1, 52)
    # the burden follows income and expenses
    dialog.product.setCurrentIndex(codes.index("MRI"))
    qtbot.keyClicks(dialog.amount.edit, "3000000")
    dialog.income.setText("")
    qtbot.keyClicks(dialog.income, "2000000")
    qtbot.keyClicks(dialog.expense, "1500000")
    assert "%" in dialog.burden.text() and "Rp500.000" in dialog.burden.text()
    # submitting without collateral is refused before the service is asked
    qtbot.keyClicks(dialog.purpose, "Mesin jahit")
    dialog.submit()
    assert dialog.error.text() == _("{product} needs collateral.").format(
        product="Murabahah Perorangan")
    dialog.new_collateral()
    dialog.collateral.item(0, 0).setText("BPKB motor")
    dialog.collateral.item(0, 1).setText("9.000.000")
    dialog.goods.setText("Mesin jahit")
    dialog.supplier.setText("Toko Sinar Jaya")
    dialog.cost.setText("3000000")
    dialog.submit()
    _until(qtbot, lambda: not dialog.busy)
    assert _("Not yet ready for individual financing: {missing}.").split(":")[0] in \
        dialog.error.text()
    # Esc closes the form; nothing was written
    count = teller.book.raw().execute("SELECT count(*) FROM financing").fetchone()[0]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert teller.book.raw().execute("SELECT count(*) FROM financing").fetchone()[0] == count


def test_the_akad_summary_is_printed_from_the_panel(
        qtbot, teller: Session, manager: Session, worker: Worker, answers: Answers,
        monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[bytes] = []
    monkeypatch.setattr("bmt_desktop.gui.tabs.financing_detail.show_document",
                        lambda pdf, _title, _parent: shown.append(pdf))
    fid = disbursed(teller, manager, kube_application(teller, 1))
    tab = _tab(qtbot, teller, worker)
    _show(qtbot, tab, fid)
    tab.panel.pages.setCurrentIndex(0)
    _click(qtbot, tab.panel.akad_button)
    _until(qtbot, lambda: bool(shown or answers.errors))
    assert answers.errors == [] and shown[0].startswith(b"%PDF")


def test_the_kube_page_lists_the_kubes_financing(qtbot, teller: Session, manager: Session,
                                                 worker: Worker, answers: Answers) -> None:
    fid = disbursed(teller, manager, kube_application(teller, 1))
    kube_application(teller, 2, 3_000_000)
    tab = KubeTab(teller, worker)
    qtbot.addWidget(tab)
    tab.resize(1180, 720)
    tab.show()
    tab.select(1)
    _until(qtbot, lambda: tab.detail.row is not None and tab.detail.row.id == 1
           and not tab.detail.loading and not worker.busy())
    page = tab.detail.financing_page
    tab.detail.pages.setCurrentWidget(page)
    _until(qtbot, lambda: page.list.model.rowCount() > 0 and not page.list.busy)
    assert page.list.rows()[0].id == fid and {r.kube_id for r in page.list.rows()} == {1}
    assert page.apply_button.isVisible()
    page.list.choose_row(0)
    _click(qtbot, page.open_button)
    _until(qtbot, lambda: page.dialog is not None and page.dialog.panel.file is not None)
    assert page.dialog.panel.file.id == fid
    page.dialog.close()


def test_the_table_models_pass_the_model_tester(qtmodeltester, qtbot, teller: Session,
                                                 manager: Session, worker: Worker) -> None:
    fid = disbursed(teller, manager, kube_application(teller, 1))
    P.repay(teller, fid, 300_000, advance=True)
    tab = _tab(qtbot, teller, worker)
    _show(qtbot, tab, fid)
    for model in (tab.list.model, tab.panel.schedule, tab.panel.postings, tab.panel.shares):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
