"""The Pelatihan tab driven as a teller, a manager and an auditor would (offscreen): find
sessions, tick the attendance register with the keyboard, type scores, save, print a
certificate, add participants, plan a session, read a member's record and the reports, and
keep the curriculum."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from bmt_desktop.gui.tabs.training_forms import AddMembersDialog, SessionDialog, TopicDialog
from bmt_desktop.gui.tabs.training_grid import RegisterModel
from bmt_desktop.gui.tabs.training_tab import TrainingTab
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import training
from bmt_desktop.services.session import Session
from bmt_desktop.store.book import Book, open_book
from tests.conftest import END, session_of

FREE = list(range(31, 41))  # the demo's households in no Kube


@pytest.fixture
def teller(demo: Book) -> Session:
    return session_of(demo, "kasir")


@pytest.fixture
def manager(demo: Book) -> Session:
    return session_of(demo, "manajer")


@dataclass
class Person:
    """Stands in for the person at the modal questions and the certificate preview."""

    yes: bool = True
    questions: list[str] = field(default_factory=list)
    certificates: list[bytes] = field(default_factory=list)


@pytest.fixture
def person(monkeypatch: pytest.MonkeyPatch) -> Person:
    someone = Person()

    def ask(_parent, text: str) -> bool:
        someone.questions.append(text)
        return someone.yes

    monkeypatch.setattr("bmt_desktop.gui.dialogs.ask_yes_no", ask)
    monkeypatch.setattr("bmt_desktop.gui.tabs.training_tab.show_certificate",
                        lambda pdf, _title, _parent: someone.certificates.append(pdf))
    return someone


def _until(qtbot, condition, timeout: int = 15_000) -> None:
    qtbot.waitUntil(condition, timeout=timeout)


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _tab(qtbot, session: Session, worker: Worker, session_id: int | None = None
         ) -> TrainingTab:
    tab = TrainingTab(session, worker)
    qtbot.addWidget(tab)
    tab.resize(1180, 720)
    tab.show()
    if session_id is None:
        tab.refresh()
        _until(qtbot, lambda: tab.sessions.loaded and not tab.panel.loading)
    else:
        _show(qtbot, tab, session_id)
    return tab


def _show(qtbot, tab: TrainingTab, session_id: int) -> None:
    tab.sessions.select(session_id)
    _until(qtbot, lambda: tab.panel.file is not None and tab.panel.file.row.id == session_id
           and not tab.panel.loading and not tab.worker.busy())


def _this_week(session: Session, members: list[int], capacity: int = 12) -> int:
    """A three-day skills practice ending today, with ``members`` on its list."""
    session_id = training.create_session(session, training.SessionInput(
        "Praktik keterampilan menjahit", "keterampilan", END - dt.timedelta(days=2), END,
        "Konveksi Bu Imas", "Ibu Imas Masitoh", "BMT Sukajaya Mandiri", capacity, ["USAHA"]))
    for member_id in members:
        training.add_participant(session, session_id, member_id)
    return session_id


def _cell(model: RegisterModel, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


# ---------------------------------------------------------------------------- the sessions
def test_sessions_by_date_with_filters_and_the_register(qtbot, qtmodeltester, teller: Session,
                                                       worker: Worker) -> None:
    tab = _tab(qtbot, teller, worker)
    page = tab.sessions
    every = training.list_sessions(teller)
    assert page.model.rowCount() == len(every) and page.model.row_at(0).id == every[0].id
    assert _("{n} sessions").format(n=len(every)) in page.count.text()

    page.kind.setCurrentIndex(page.kind.findData("manajemen"))
    _until(qtbot, lambda: page.model.rowCount() == 1 and tab.panel.file is not None
           and tab.panel.file.row.kind == "manajemen" and not tab.panel.loading)
    model = tab.panel.model
    assert model.columnCount() == 3 + 10 + 4
    assert model.rowCount() == tab.panel.file.row.participants
    qtmodeltester.check(model)
    ill = next(r for r in range(model.rowCount()) if not model.person(r).completed)
    assert _cell(model, ill, model.column_of("present")) == "7/10 · 70 %"
    assert _cell(model, ill, model.column_of("result")) == _("not completed")
    assert _("Completed with at least {pct} % attendance ({n} of {days} days). "
             "{people} of {capacity} places taken.").split("{")[0] in tab.panel.rule.text()

    page.kind.setCurrentIndex(0)
    page.search.setText("kompos")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    _until(qtbot, lambda: page.model.rowCount() == 1
           and "kompos" in page.model.row_at(0).title)
    page.search.clear()
    page.year.setCurrentIndex(page.year.findData(END.year + 1))
    _until(qtbot, lambda: page.model.rowCount() == 0)
    _until(qtbot, lambda: tab.panel.stack.currentWidget() is tab.panel.empty)


def test_attendance_is_ticked_with_the_keyboard_scored_and_saved(qtbot, teller: Session,
                                                                 worker: Worker,
                                                                 person: Person) -> None:
    session_id = _this_week(teller, FREE[:3])
    tab = _tab(qtbot, teller, worker, session_id)
    panel, model, view = tab.panel, tab.panel.model, tab.panel.view
    first_day = 3
    assert model.flags(model.index(0, first_day)) & Qt.ItemFlag.ItemIsUserCheckable
    assert not panel.save_button.isEnabled()

    view.setFocus()
    view.setCurrentIndex(model.index(0, first_day))
    qtbot.keyClick(view, Qt.Key.Key_Space)  # Space ticks the current day
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert _cell(model, 0, first_day, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert _cell(model, 0, first_day + 1, Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.Checked
    # today's header ticks everybody on that day
    view.horizontalHeader().sectionClicked.emit(first_day + 2)
    assert all(model.present(model.person(r), END) for r in range(3))
    # a score typed into the pre-test cell
    view.setCurrentIndex(model.index(0, model.column_of("pre")))
    qtbot.keyClicks(view, "4")  # typing opens the editor with the first digit
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "4"
    qtbot.keyClicks(editor, "5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn
    _until(qtbot, lambda: _cell(model, 0, model.column_of("pre")) == "45")
    assert _cell(model, 0, model.column_of("result")) == _("completed")
    assert panel.save_button.isEnabled() and _("Not saved yet: {n} changes.").format(
        n=6) == panel.message.text()

    _click(qtbot, panel.save_button)

    _until(qtbot, lambda: not model.has_changes() and panel.message.text() == _(
        "Saved: {n} changes.").format(n=6))
    people = {p.member_id: p for p in training.session_detail(teller, session_id).participants}
    assert people[FREE[0]].present_days == 3 and people[FREE[0]].pre_score == 45
    assert people[FREE[0]].completed and people[FREE[1]].present_days == 1


def test_a_wrong_score_is_refused_in_the_register(qtbot, teller: Session, worker: Worker
                                                  ) -> None:
    session_id = _this_week(teller, FREE[:1])
    tab = _tab(qtbot, teller, worker, session_id)
    model = tab.panel.model

    accepted = model.setData(model.index(0, model.column_of("post")), "150")

    assert not accepted and not model.has_changes()
    assert "100" in tab.panel.message.text() and not tab.panel.save_button.isEnabled()
    assert model.setData(model.index(0, model.column_of("post")), "")  # empty: not taken


def test_leaving_a_session_with_changes_offers_to_save_them(qtbot, teller: Session,
                                                            worker: Worker,
                                                            person: Person) -> None:
    session_id = _this_week(teller, FREE[:2])
    tab = _tab(qtbot, teller, worker, session_id)
    model = tab.panel.model
    model.mark_day(3 + 2)  # today
    tab.refresh()  # F5, or coming back to the tab, keeps what is not saved yet
    _until(qtbot, lambda: not tab.worker.busy() and not tab.panel.loading)
    assert len(model.marks) == 2 and tab.panel.save_button.isEnabled()
    other = next(r for r in training.list_sessions(teller) if r.id != session_id)

    _show(qtbot, tab, other.id)

    assert person.questions and "Praktik keterampilan menjahit" in person.questions[0]
    _until(qtbot, lambda: training.get_session(teller, session_id).present_slots == 2)


def test_the_certificate_of_one_who_completed_and_no_other(qtbot, teller: Session,
                                                           worker: Worker,
                                                           person: Person) -> None:
    management = next(r for r in training.list_sessions(teller) if r.kind == "manajemen")
    tab = _tab(qtbot, teller, worker, management.id)
    panel, model = tab.panel, tab.panel.model
    done = next(r for r in range(model.rowCount()) if model.person(r).completed)
    ill = next(r for r in range(model.rowCount()) if not model.person(r).completed)

    panel.view.setCurrentIndex(model.index(done, 1))
    _click(qtbot, panel.certificate_button)
    _until(qtbot, lambda: len(person.certificates) == 1)
    text = PdfReader(io.BytesIO(person.certificates[0])).pages[0].extract_text()
    assert model.person(done).name in " ".join(text.split())

    panel.view.setCurrentIndex(model.index(ill, 1))
    _click(qtbot, panel.certificate_button)
    _until(qtbot, lambda: model.person(ill).name in panel.message.text())
    assert len(person.certificates) == 1


# ---------------------------------------------------------------------------- participants
def test_members_are_found_and_added_until_the_session_is_full(qtbot, teller: Session,
                                                               worker: Worker) -> None:
    session_id = _this_week(teller, [], capacity=1)
    tab = _tab(qtbot, teller, worker, session_id)
    panel = tab.panel
    name = teller.book.raw().execute("SELECT name FROM member WHERE id = ?",
                                     (FREE[0],)).fetchone()[0]

    _click(qtbot, panel.add_members_button)
    dialog = panel.dialog
    assert isinstance(dialog, AddMembersDialog)
    qtbot.keyClicks(dialog.search, "AG-0000" + str(FREE[0]))
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    _until(qtbot, lambda: dialog.found.rowCount() == 1)
    _click(qtbot, dialog.ok_button)
    _until(qtbot, lambda: dialog.info.text() == _("{name} takes part.").format(name=name))
    _until(qtbot, lambda: panel.model.rowCount() == 1 and not panel.loading)
    # the next one does not fit
    qtbot.keyClicks(dialog.search, "AG-0000" + str(FREE[1]))
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    _until(qtbot, lambda: dialog.found.rowCount() == 1)
    _click(qtbot, dialog.ok_button)
    _until(qtbot, lambda: dialog.error.text() != "")
    assert "1" in dialog.error.text()
    assert training.get_session(teller, session_id).participants == 1
    dialog.reject()


def test_a_new_session_is_planned_from_the_form(qtbot, teller: Session, worker: Worker
                                               ) -> None:
    tab = _tab(qtbot, teller, worker)
    _click(qtbot, tab.sessions.new_button)
    _until(qtbot, lambda: isinstance(tab.sessions.form, SessionDialog))
    form = tab.sessions.form
    assert isinstance(form, SessionDialog)
    qtbot.keyClicks(form.title, "Bimbingan sosial RW 02")
    form.kind.setCurrentIndex(form.kind.findData("sosial"))
    assert set(form.chosen_topics()) == {"DIRI", "KERJASAMA", "KOMUNIKASI", "KEPEMIMPINAN",
                                         "PRINSIP-KUBE"}
    for edit, text in ((form.first, "07-12-2026"), (form.last, "09-12-2026")):
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.keyClicks(form.venue, "Balai Desa Sukajaya")

    _click(qtbot, form.ok_button)

    _until(qtbot, lambda: tab.panel.file is not None
           and tab.panel.file.row.title == "Bimbingan sosial RW 02" and not tab.panel.loading)
    row = tab.panel.file.row
    assert (row.start_date, row.end_date, row.kind, row.completion_pct) == (
        "2026-12-07", "2026-12-09", "sosial", 80)
    assert tab.panel.model.rowCount() == 0


def test_a_wrong_session_stays_in_the_form_with_the_reason(qtbot, teller: Session,
                                                           worker: Worker) -> None:
    tab = _tab(qtbot, teller, worker)
    _click(qtbot, tab.sessions.new_button)
    _until(qtbot, lambda: isinstance(tab.sessions.form, SessionDialog))
    form = tab.sessions.form
    qtbot.keyClicks(form.title, "Terlalu lama")
    form.last.setText("31-12-2026")  # a month
    count = len(training.list_sessions(teller))

    _click(qtbot, form.ok_button)

    _until(qtbot, lambda: form.error.text() != "")
    assert "15" in form.error.text() and form.isVisible()
    assert len(training.list_sessions(teller)) == count
    form.reject()


# ---------------------------------------------------------------------------- other pages
def test_a_members_record_opens_a_session(qtbot, teller: Session, worker: Worker) -> None:
    tab = _tab(qtbot, teller, worker)
    tab.pages.setCurrentWidget(tab.record)
    page = tab.record
    qtbot.keyClicks(page.search, "AG-000001")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    _until(qtbot, lambda: page.record.rowCount() > 0)
    first = page.record.row_at(0)

    page.sessions.doubleClicked.emit(page.record.index(0, 0))

    assert tab.pages.currentWidget() is tab.sessions
    _until(qtbot, lambda: tab.panel.file is not None
           and tab.panel.file.row.id == first.session_id)


def test_the_three_reports(qtbot, teller: Session, worker: Worker) -> None:
    tab = _tab(qtbot, teller, worker)
    tab.pages.setCurrentWidget(tab.reports)
    page = tab.reports
    _until(qtbot, lambda: page.loaded and page.models["sessions"].rowCount() > 0)
    page.choice.setCurrentIndex(page.choice.findData("kube"))
    _until(qtbot, lambda: page.models["kube"].rowCount() > 0)
    assert page.stack.currentWidget() is page.views["kube"]
    page.choice.setCurrentIndex(page.choice.findData("untrained"))
    _until(qtbot, lambda: page.models["untrained"].rowCount() > 0)
    assert not page.period.isVisible() and page.filter.isVisible()
    _until(qtbot, lambda: page.which.count() > 4)  # the kinds and the topics
    page.which.setCurrentIndex(page.which.findData("topic:PHBK"))
    _until(qtbot, lambda: page.models["untrained"].rowCount() == len(
        _untrained(teller, "PHBK")))


def _untrained(session: Session, topic: str) -> list:
    from bmt_desktop.services.training_reports import untrained_members

    return untrained_members(session, topic=topic)


def test_the_manager_keeps_the_curriculum(qtbot, manager: Session, teller: Session,
                                          worker: Worker) -> None:
    tab = _tab(qtbot, manager, worker)
    tab.pages.setCurrentWidget(tab.curriculum)
    page = tab.curriculum
    _until(qtbot, lambda: page.model.rowCount() == 14)
    assert "USAHA" in page.rules_text.text() and "80 %" in page.rules_text.text()
    _click(qtbot, page.add_button)
    dialog = page.dialog
    assert isinstance(dialog, TopicDialog)
    qtbot.keyClicks(dialog.code, "pembukuan")
    qtbot.keyClicks(dialog.name, "Pembukuan usaha sederhana")
    _click(qtbot, dialog.ok_button)
    _until(qtbot, lambda: page.model.rowCount() == 15)
    assert page.message.text() == _("Topic added.")

    other = _tab(qtbot, teller, worker)
    assert not any(b.isVisible() for b in other.curriculum.buttons)


def test_the_auditor_and_a_read_only_copy_see_no_write(qtbot, demo: Book,
                                                       worker: Worker) -> None:
    demo.close()
    frozen = open_book(demo.path, read_only=True)
    try:
        for username, printing in (("auditor", False), ("manajer", True)):
            tab = _tab(qtbot, session_of(frozen, username), worker)
            panel = tab.panel
            assert panel.file is not None and panel.model.rowCount() >= 0
            assert not tab.sessions.new_button.isVisible()
            assert panel.visible_actions() == ([_("Print certificate…")] if printing else [])
            assert not any(b.isVisible() for b in tab.curriculum.buttons)
            model = panel.model
            assert not any(model.flags(model.index(r, c)) & (
                Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable)
                for r in range(model.rowCount()) for c in range(model.columnCount()))
    finally:
        frozen.close()
