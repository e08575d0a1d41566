"""The Kas tab driven as a teller and a manager would (offscreen): open the drawer, post
through the small forms with the keyboard, close with a count, approve a difference, Maal."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.gui.tabs.drawer_dialogs import CountDialog, MaalDistributionsDialog
from bmt_desktop.gui.tabs.drawer_tab import CLOSED, OPEN, WAITING, DrawerTab
from bmt_desktop.gui.tabs.teller_forms import (
    DepositDialog,
    MaalProposeDialog,
    MaalReceiveDialog,
    TransferDialog,
    WajibDialog,
    WithdrawDialog,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import drawer, ledger, savings
from bmt_desktop.services.drawer_report import drawer_report_data
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book, open_book
from tests.conftest import demo_session  # noqa: E402
from tests.helpers.gui_answers import Answers, stand_in

END = dt.date(2026, 11, 29)
WORDS = "satu juta lima ratus ribu rupiah"


_session = demo_session


@pytest.fixture
def teller(demo: Book) -> Session:
    return _session(demo, "kasir")


@pytest.fixture
def manager(demo: Book) -> Session:
    return _session(demo, "manajer")


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    person = stand_in(monkeypatch)
    monkeypatch.setattr("bmt_desktop.gui.tabs.drawer_dialogs.show_report",
                        lambda pdf, _title, _parent: person.reports.append(pdf))
    monkeypatch.setattr("bmt_desktop.gui.tabs.drawer_dialogs.ask_reason",
                        lambda _parent, _text: person.reason)
    return person


def _account(session: Session, product: str = "SS", member_id: int = 1) -> str:
    """The member's account of ``product`` (opened when the demo has none)."""
    for row in savings.member_accounts(session, member_id):
        if row.product_code == product and row.status == "aktif":
            return row.number
    return savings.open_account(session, member_id, product).number


def _until(qtbot, condition, timeout: int = 15_000) -> None:
    """Wait for the worker's answer; generous, for a busy test machine."""
    qtbot.waitUntil(condition, timeout=timeout)


def _settle(qtbot, worker: Worker) -> None:
    _until(qtbot, lambda: not worker.busy())


def _tab(qtbot, session: Session, worker: Worker) -> DrawerTab:
    tab = DrawerTab(session, worker)
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    tab.refresh()
    _until(qtbot, lambda: tab.data is not None)
    return tab


def _press(qtbot, tab: DrawerTab, key: Qt.Key) -> None:
    """A function key on the tab, as the teller presses it with the window in front."""
    tab.activateWindow()
    _until(qtbot, tab.isActiveWindow)
    qtbot.keyClick(tab, key)


def _enter(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def _open(qtbot, tab: DrawerTab, worker: Worker, amount: str = "2.000.000") -> None:
    assert tab.stack.currentIndex() == CLOSED
    qtbot.keyClicks(tab.opening.edit, amount)
    _enter(qtbot, tab.opening.edit)
    _until(qtbot, lambda: tab.stack.currentIndex() == OPEN)
    _settle(qtbot, worker)


def _choose(qtbot, lookup, text: str) -> None:
    qtbot.keyClicks(lookup.edit, text)
    _enter(qtbot, lookup.edit)
    _until(qtbot, lambda: lookup.account is not None or lookup.error.text() != "")
    assert lookup.error.text() == ""


def _journals(book: Book) -> int:
    return book.raw().execute("SELECT count(*) FROM journal").fetchone()[0]


# ---------------------------------------------------------------------------- opening


def test_the_closed_drawer_opens_with_the_counted_cash(qtbot, teller: Session, worker: Worker,
                                                        answers: Answers) -> None:
    tab = _tab(qtbot, teller, worker)
    assert tab.stack.currentIndex() == CLOSED and "Rp" in tab.balance.text()
    assert not tab.buttons["deposit"].isEnabled() and not tab.buttons["close"].isEnabled()
    _open(qtbot, tab, worker)
    assert tab.balance.text() == _("Cash in your drawer: {amount}").format(
        amount="Rp2.000.000")
    assert tab.buttons["deposit"].isEnabled() and tab.buttons["close"].isEnabled()
    state = drawer.current_drawer(teller)
    assert state is not None and state.opening_cash == 2_000_000


def test_deposit_typed_with_dots_posts_once_however_often_enter_is_pressed(
        qtbot, demo: Book, teller: Session, worker: Worker, answers: Answers) -> None:
    number = _account(teller)
    tab = _tab(qtbot, teller, worker)
    _open(qtbot, tab, worker)
    before = _journals(demo)
    # When the teller presses F2, finds the account and types the amount
    _press(qtbot, tab, Qt.Key.Key_F2)
    dialog = tab.dialog
    assert isinstance(dialog, DepositDialog)
    _choose(qtbot, dialog.account, number)
    assert dialog.amount.edit.hasFocus() or dialog.focusWidget() is dialog.amount.edit
    qtbot.keyClicks(dialog.amount.edit, "1.500.000")
    # Then the words and the figure are shown as typed
    assert dialog.amount.words.text() == WORDS
    assert dialog.amount.figure.text() == "Rp1.500.000"
    # And Enter pressed twice quickly posts one journal
    _enter(qtbot, dialog.amount.edit)
    assert not dialog.ok_button.isEnabled()
    _enter(qtbot, dialog.amount.edit)
    _until(qtbot, lambda: dialog.result_value is not None)
    _settle(qtbot, worker)
    assert _journals(demo) == before + 1
    (count,) = demo.raw().execute("SELECT count(*) FROM journal WHERE request_id = ?",
                                  (dialog.request_id,)).fetchone()
    assert count == 1
    # the number is told and the receipt offered; the panel shows the movement
    assert any(dialog.result_value.doc_number in q for q in answers.questions)
    _until(qtbot, lambda: tab.model.rowCount() == 1)
    assert tab.balance.text() == _("Cash in your drawer: {amount}").format(
        amount="Rp3.500.000")
    # the same request again (a late retry) posts nothing new
    again = savings.deposit(teller, number, 1_500_000, request_id=dialog.request_id)
    assert again.doc_number == dialog.result_value.doc_number
    assert _journals(demo) == before + 1


def test_the_receipt_shows_the_number_the_figure_and_the_words(
        qtbot, teller: Session, worker: Worker, answers: Answers) -> None:
    number = _account(teller)
    tab = _tab(qtbot, teller, worker)
    _open(qtbot, tab, worker)
    answers.yes = True
    tab.deposit()
    dialog = tab.dialog
    _choose(qtbot, dialog.account, number)
    qtbot.keyClicks(dialog.amount.edit, "1500000")
    _enter(qtbot, dialog.amount.edit)
    _until(qtbot, lambda: len(answers.receipts) == 1)
    _until(qtbot, lambda: not dialog.isVisible())
    text = " ".join((page.extract_text() or "")
                    for page in PdfReader(io.BytesIO(answers.receipts[0])).pages)
    flat = " ".join(text.split())
    assert dialog.result_value.doc_number in flat
    assert "Rp1.500.000" in flat
    assert WORDS in flat.lower()


def test_a_zero_negative_or_text_amount_is_refused(qtbot, demo: Book, teller: Session,
                                                   worker: Worker, answers: Answers) -> None:
    number = _account(teller)
    tab = _tab(qtbot, teller, worker)
    _open(qtbot, tab, worker)
    head = ledger.current_chain_head(demo)
    tab.deposit()
    dialog = tab.dialog
    _choose(qtbot, dialog.account, number)
    for typed, message in (
        ("0", _("{field} must be more than zero.").format(field=_("Amount"))),
        ("-5000", _("{field} must be more than zero.").format(field=_("Amount"))),
        ("abc", _("{field} is not a number: {value!r}.").format(field=_("Amount"),
                                                                value="abc")),
        ("", _("{field} must be filled in.").format(field=_("Amount"))),
    ):
        dialog.amount.edit.clear()
        qtbot.keyClicks(dialog.amount.edit, typed)
        assert dialog.amount.words.text() == ""
        _enter(qtbot, dialog.amount.edit)
        assert dialog.amount.error.text() == message
        assert dialog.ok_button.isEnabled() and not worker.busy()
    assert dialog.result_value is None and dialog.isVisible()
    assert ledger.current_chain_head(demo) == head
    # Esc cancels the form
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_withdrawal_over_what_is_available_is_refused_in_indonesian(
        qtbot, demo: Book, teller: Session, worker: Worker, answers: Answers) -> None:
    number = _account(teller)
    row = savings.find_account(teller, number)
    tab = _tab(qtbot, teller, worker)
    _open(qtbot, tab, worker)
    head = ledger.current_chain_head(demo)
    _press(qtbot, tab, Qt.Key.Key_F3)
    dialog = tab.dialog
    assert isinstance(dialog, WithdrawDialog)
    _choose(qtbot, dialog.account, number)
    assert format_rupiah(row.available) in dialog.account.info.text()
    qtbot.keyClicks(dialog.amount.edit, format_rupiah(row.available + 500_000))
    _enter(qtbot, dialog.amount.edit)
    _until(qtbot, lambda: dialog.error.text() != "")
    assert dialog.error.text() == _(
        "Only {available} can be withdrawn (balance {balance}, minimum {minimum})."
    ).format(available=format_rupiah(row.available), balance=format_rupiah(row.balance),
             minimum=format_rupiah(row.min_balance))
    assert dialog.error.text().startswith("Hanya")
    assert dialog.ok_button.isEnabled() and dialog.result_value is None
    assert ledger.current_chain_head(demo) == head


def test_a_member_is_found_by_name_and_one_of_their_accounts_chosen(
        qtbot, teller: Session, worker: Worker, answers: Answers) -> None:
    _account(teller)
    member = savings.member_accounts(teller, 1)[0].member_name
    tab = _tab(qtbot, teller, worker)
    _open(qtbot, tab, worker)
    tab.deposit()
    dialog = tab.dialog
    qtbot.keyClicks(dialog.account.edit, member.split()[0] + " " + member.split()[-1])
    _enter(qtbot, dialog.account.edit)
    _until(qtbot, lambda: dialog.account.account is not None)
    assert dialog.account.account.member_name == member
    if dialog.account.choices.isVisible():  # more than one account: ↓ and Enter pick one
        qtbot.keyClick(dialog.account.choices, Qt.Key.Key_Down)
        chosen = dialog.account.account
        _enter(qtbot, dialog.account.choices)
        assert dialog.account.account == chosen
    assert member in dialog.account.info.text()


def test_a_deposit_with_the_drawer_closed_is_refused(qtbot, demo: Book, teller: Session,
                                                     worker: Worker, answers: Answers) -> None:
    number = _account(teller)
    tab = _tab(qtbot, teller, worker)
    head = ledger.current_chain_head(demo)
    _press(qtbot, tab, Qt.Key.Key_F2)
    assert tab.dialog is None  # the key does nothing while the drawer is closed
    dialog = DepositDialog(teller, worker, tab)  # a form left open from before is refused
    qtbot.addWidget(dialog)
    dialog.show()
    _choose(qtbot, dialog.account, number)
    qtbot.keyClicks(dialog.amount.edit, "50.000")
    _enter(qtbot, dialog.amount.edit)
    _until(qtbot, lambda: dialog.error.text() != "")
    assert dialog.error.text() == _("Your cash drawer is not open. Open it first (Kas tab).")
    assert ledger.current_chain_head(demo) == head


def test_simpanan_wajib_is_paid_by_the_month(qtbot, demo: Book, teller: Session,
                                             worker: Worker, answers: Answers) -> None:
    number = _account(teller, "SW")
    member_id = savings.find_account(teller, number).member_id
    status = savings.wajib_status(teller, member_id)
    tab = _tab(qtbot, teller, worker)
    _open(qtbot, tab, worker)
    _press(qtbot, tab, Qt.Key.Key_F4)
    dialog = tab.dialog
    assert isinstance(dialog, WajibDialog)
    _choose(qtbot, dialog.account, number)
    _until(qtbot, lambda: dialog.status is not None)
    assert dialog.months.value() == max(1, status.arrears_months)
    dialog.months.setValue(3)
    assert dialog.total.text() == format_rupiah(3 * status.monthly)
    _enter(qtbot, dialog.months)
    _until(qtbot, lambda: dialog.result_value is not None)
    assert dialog.result_value.total == 3 * status.monthly
    _settle(qtbot, worker)
    assert savings.wajib_status(teller, member_id).months_paid == status.months_paid + 3


def test_a_transfer_moves_money_between_a_members_accounts(
        qtbot, demo: Book, teller: Session, worker: Worker, answers: Answers) -> None:
    source, target = _account(teller, "SS"), _account(teller, "SW")
    tab = _tab(qtbot, teller, worker)
    _open(qtbot, tab, worker)
    savings.deposit(teller, source, 500_000)
    before = savings.find_account(teller, target).balance
    cash = drawer.current_drawer(teller).expected_cash
    tab.transfer()
    dialog = tab.dialog
    assert isinstance(dialog, TransferDialog)
    _choose(qtbot, dialog.source, source)
    _choose(qtbot, dialog.target, target)
    assert dialog.focusWidget() in (dialog.amount.edit, None)
    qtbot.keyClicks(dialog.amount.edit, "100.000")
    _enter(qtbot, dialog.amount.edit)
    _until(qtbot, lambda: dialog.result_value is not None or dialog.error.text() != "")
    assert (dialog.error.text(), dialog.amount.error.text()) == ("", "")
    _settle(qtbot, worker)
    assert savings.find_account(teller, target).balance == before + 100_000
    assert drawer.current_drawer(teller).expected_cash == cash  # no cash moved


def test_a_drawer_left_open_from_yesterday_is_closed_before_work(
        qtbot, demo: Book, worker: Worker, answers: Answers) -> None:
    yesterday = _session(demo, "kasir")
    yesterday.today = END - dt.timedelta(days=1)
    drawer.open_drawer(yesterday, 100_000)
    tab = _tab(qtbot, _session(demo, "kasir"), worker)
    assert tab.stack.currentIndex() == OPEN
    assert tab.message.text() == _(
        "Your cash drawer is still open for {date}. Close it before working today."
    ).format(date=format_date_id(yesterday.today))
    tab.close_drawer()
    dialog = tab.dialog
    dialog.pieces[100_000].setValue(1)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: tab.stack.currentIndex() == CLOSED)
    assert tab.message.text() == ""


# ---------------------------------------------------------------------------- closing


def _count(qtbot, dialog: CountDialog, pieces: dict[int, int]) -> None:
    """Type the pieces row by row, Enter moving down, then Enter on the OK button."""
    for value, spin in dialog.pieces.items():
        if value in pieces:
            spin.selectAll()
            qtbot.keyClicks(spin, str(pieces[value]))
        _enter(qtbot, spin)
    assert dialog.focusWidget() is dialog.ok_button or not dialog.isActiveWindow()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_an_exact_count_closes_the_drawer(qtbot, teller: Session, worker: Worker,
                                          answers: Answers) -> None:
    tab = _tab(qtbot, teller, worker)
    _open(qtbot, tab, worker, "2.150.000")
    _press(qtbot, tab, Qt.Key.Key_F9)
    dialog = tab.dialog
    assert isinstance(dialog, CountDialog)
    answers.yes = True  # print the end-of-day report
    dialog.pieces[100_000].selectAll()
    qtbot.keyClicks(dialog.pieces[100_000], "21")
    assert dialog.difference.text() == _("{amount} (short)").format(amount="-Rp50.000")
    assert "#b00020" in dialog.difference.styleSheet()
    dialog.pieces[50_000].selectAll()
    qtbot.keyClicks(dialog.pieces[50_000], "1")
    assert dialog.counted.text() == "Rp2.150.000"
    assert "#1b7f3b" in dialog.difference.styleSheet()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: dialog.result_state is not None)
    assert dialog.result_state.status == "tutup"
    _until(qtbot, lambda: len(answers.reports) == 1)
    _until(qtbot, lambda: tab.stack.currentIndex() == CLOSED)
    assert drawer.current_drawer(teller) is None
    report = " ".join(" ".join((p.extract_text() or "")
                               for p in PdfReader(io.BytesIO(answers.reports[0])).pages).split())
    assert "Rp2.150.000" in report and _("Teller") in report and _("Manager") in report


def test_a_short_count_waits_then_the_manager_approves(qtbot, demo: Book, teller: Session,
                                                       manager: Session, worker: Worker,
                                                       answers: Answers) -> None:
    tab = _tab(qtbot, teller, worker)
    assert not tab.approvals.isVisible()  # a teller approves nothing
    _open(qtbot, tab, worker)
    tab.close_drawer()
    dialog = tab.dialog
    answers.yes = True  # yes, close with the difference; yes, print the report
    _count(qtbot, dialog, {100_000: 19, 10_000: 9})
    _until(qtbot, lambda: dialog.result_state is not None)
    assert dialog.result_state.status == "menunggu"
    assert dialog.result_state.difference == -10_000
    _until(qtbot, lambda: tab.stack.currentIndex() == WAITING)
    assert "menunggu persetujuan manajer" in tab.waiting.text()
    _settle(qtbot, worker)
    # Then the manager sees it waiting and approves the difference
    boss = _tab(qtbot, manager, worker)
    assert boss.approvals.isVisible()
    _until(qtbot, lambda: boss.pending_model.rowCount() == 1)
    boss.select_pending(dialog.result_state.id)
    answers.yes = False  # asked to confirm, the manager first says no: nothing happens
    qtbot.mouseClick(boss.approve_button, Qt.MouseButton.LeftButton)
    assert not worker.busy() and boss.pending_model.rowCount() == 1
    answers.yes = True
    qtbot.mouseClick(boss.approve_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: boss.pending_model.rowCount() == 0)
    assert drawer.current_drawer(teller) is None
    tab.refresh()
    _until(qtbot, lambda: tab.stack.currentIndex() == CLOSED)


def test_no_one_approves_the_difference_of_their_own_drawer(
        qtbot, manager: Session, worker: Worker, answers: Answers) -> None:
    tab = _tab(qtbot, manager, worker)
    _open(qtbot, tab, worker, "100.000")
    tab.close_drawer()
    dialog = tab.dialog
    answers.yes = True
    _count(qtbot, dialog, {50_000: 1})
    _until(qtbot, lambda: dialog.result_state is not None)
    _until(qtbot, lambda: tab.pending_model.rowCount() == 1)
    tab.select_pending(dialog.result_state.id)
    qtbot.mouseClick(tab.approve_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: tab.approval_message.text() != "")
    assert tab.approval_message.text() == _(
        "You cannot approve the difference of your own drawer.")
    assert drawer.current_drawer(manager).status == "menunggu"


def test_the_report_data_holds_the_movements_and_the_count(teller: Session,
                                                           manager: Session) -> None:
    number = _account(teller)
    state = drawer.open_drawer(teller, 1_000_000)
    savings.deposit(teller, number, 400_000)
    savings.withdraw(teller, number, 150_000)
    data = drawer_report_data(teller, state.id)
    assert [(m.cash_in, m.cash_out) for m in data.movements] == [(400_000, 0), (0, 150_000)]
    assert (data.opening_cash, data.cash_in, data.cash_out, data.expected_cash) == (
        1_000_000, 400_000, 150_000, 1_250_000)
    assert data.counts is None and data.difference is None
    drawer.close_drawer(teller, {100_000: 12, 20_000: 2})
    drawer.approve_difference(manager, state.id)
    data = drawer_report_data(teller, state.id)
    assert dict(data.counts) == {value: {100_000: 12, 20_000: 2}.get(value, 0)
                                 for value in drawer.DENOMINATIONS}
    assert (data.counted_cash, data.difference, data.status) == (1_240_000, -10_000, "tutup")
    assert data.approved_by == manager.full_name
    assert len(data.movements) == 2  # the transfers from and back to the vault are not


# ---------------------------------------------------------------------------- Maal


def test_maal_received_proposed_approved_and_paid(qtbot, demo: Book, teller: Session,
                                                  manager: Session, worker: Worker,
                                                  answers: Answers) -> None:
    tab = _tab(qtbot, teller, worker)
    _open(qtbot, tab, worker)
    # zakat received at the counter (F6)
    _press(qtbot, tab, Qt.Key.Key_F6)
    receive = tab.dialog
    assert isinstance(receive, MaalReceiveDialog)
    qtbot.keyClicks(receive.payer, "H. Dadang Suryana")
    qtbot.keyClicks(receive.amount.edit, "250.000")
    _enter(qtbot, receive.amount.edit)
    _until(qtbot, lambda: receive.result_value is not None)
    _settle(qtbot, worker)
    # a distribution proposed by the teller (F8, then Propose)
    _press(qtbot, tab, Qt.Key.Key_F8)
    listing = tab.dialog
    assert isinstance(listing, MaalDistributionsDialog)
    assert not listing.approve_button.isVisible() and listing.propose_button.isVisible()
    qtbot.mouseClick(listing.propose_button, Qt.MouseButton.LeftButton)
    proposal = listing.proposal
    assert isinstance(proposal, MaalProposeDialog)
    qtbot.keyClicks(proposal.recipient, "Ibu Warsih")
    qtbot.keyClicks(proposal.purpose, "Biaya berobat")
    qtbot.keyClicks(proposal.amount.edit, "200.000")
    _enter(qtbot, proposal.amount.edit)
    _until(qtbot, lambda: proposal.result_value is not None)
    _settle(qtbot, worker)
    distribution = proposal.result_value.id
    _until(qtbot, lambda: listing.model.rowCount() > 0)
    listing.reject()
    _settle(qtbot, worker)
    # the manager approves; a rejection without a reason is refused
    boss = MaalDistributionsDialog(manager, worker)
    qtbot.addWidget(boss)
    boss.show()
    _until(qtbot, lambda: boss.model.rowCount() > 0)
    assert boss.approve_button.isVisible() and boss.reject_button.isVisible()
    boss.select(distribution)
    answers.reason = ""
    qtbot.mouseClick(boss.reject_button, Qt.MouseButton.LeftButton)
    assert boss.message.text() == _("{field} must be filled in.").format(field=_("Reason"))
    qtbot.mouseClick(boss.approve_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: boss.selected() is not None
                    and boss.selected().status == "disetujui")
    _settle(qtbot, worker)
    # the teller pays it from the drawer
    answers.yes = True
    tab.maal_distributions()
    listing = tab.dialog
    _until(qtbot, lambda: listing.model.rowCount() > 0)
    listing.select(distribution)
    assert listing.pay_button.isEnabled()
    before = drawer.current_drawer(teller).cash_out
    qtbot.mouseClick(listing.pay_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: listing.selected() is not None
                    and listing.selected().status == "dibayar")
    _until(qtbot, lambda: len(answers.receipts) == 1)
    _settle(qtbot, worker)
    assert drawer.current_drawer(teller).cash_out == before + 200_000


def test_a_rejection_needs_a_reason(qtbot, teller: Session, manager: Session, worker: Worker,
                                    answers: Answers) -> None:
    from bmt_desktop.services import maal

    row = maal.propose(teller, "infak", "Pak Ujang", "Perbaikan rumah", 100_000)
    boss = MaalDistributionsDialog(manager, worker)
    qtbot.addWidget(boss)
    boss.show()
    _until(qtbot, lambda: boss.model.rowCount() > 0)
    boss.select(row.id)
    answers.reason = "Belum diverifikasi"
    qtbot.mouseClick(boss.reject_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: boss.selected() is not None and boss.selected().status == "ditolak")
    assert boss.selected().reason == "Belum diverifikasi"
    assert boss.selected().decided_by == "manajer"


# ---------------------------------------------------------------------------- roles


def test_a_read_only_book_hides_every_write(qtbot, demo: Book, worker: Worker,
                                            answers: Answers) -> None:
    demo.close()
    frozen = open_book(demo.path, read_only=True)
    try:
        tab = _tab(qtbot, _session(frozen, "manajer"), worker)
        writes = [b for name, b in tab.buttons.items() if name != "maal"]
        assert all(not b.isVisible() for b in writes)
        assert not tab.open_box.isVisible() and not tab.approvals.isVisible()
        assert "Rp" in tab.balance.text()
        _settle(qtbot, worker)
    finally:
        frozen.close()


def test_the_auditor_sees_the_tab_but_no_action(qtbot, demo: Book, worker: Worker,
                                                answers: Answers) -> None:
    tab = _tab(qtbot, _session(demo, "auditor"), worker)
    assert [name for name, b in tab.buttons.items() if b.isVisible()] == ["maal"]
    assert tab.closed_note.isVisible() and not tab.open_box.isVisible()
