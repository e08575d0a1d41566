"""The manager's inbox: applications and rescheduling requests waiting for a decision, with
the figures a decision needs. Approve and Reject are off (with a tooltip) on what the user
submitted: another manager decides it; the services refuse it anyway."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.gui import dialogs
from bmt_desktop.gui.tabs import financing_actions as actions
from bmt_desktop.gui.tabs.drawer_dialogs import may
from bmt_desktop.gui.tabs.financing_common import (
    OVERDUE_FG,
    ColouredModel,
    date_text,
    freq_text,
    money,
    pct_text,
    selected_row,
    table,
    terms_text,
)
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.rows_model import Column
from bmt_desktop.gui.tabs.teller_forms import ERROR_STYLE, GOOD_STYLE, error_text
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import financing, financing_payments
from bmt_desktop.services.financing_queries import PendingDecision, pending_decisions
from bmt_desktop.services.session import Session

HINT_STYLE = "color: #555;"


def kind_label(kind: str) -> str:
    return {"pengajuan": _("application"), "jadwal_ulang": _("rescheduling")}.get(kind, kind)


class ApprovalsPage(QWidget):
    """The decisions waiting; ``open_requested`` asks the tab to show a financing."""

    open_requested = Signal(int)  # financing id
    decided = Signal(int)  # financing id: the pipeline reloads
    counted = Signal(int)  # how many wait

    def __init__(self, session: Session, worker: Worker, max_burden_pct: int = 40) -> None:
        super().__init__()
        self.session, self.worker = session, worker
        self.max_burden_pct = max_burden_pct
        self.busy = False
        self.loaded = False
        self._asked = 0
        self.model = ColouredModel([
            Column(_("Kind"), lambda d: kind_label(d.kind)),
            Column(_("Number"), lambda d: d.number),
            Column(_("Applicant"), lambda d: d.applicant),
            Column(_("Product"), lambda d: d.product_name),
            Column(_("Amount"), lambda d: money(d.principal), lambda d: d.principal, True),
            Column(_("Terms"), lambda d: terms_text(d.rate_bp, d.nisbah_pct, d.akad)),
            Column(_("Instalments"), lambda d: f"{d.instalments} × {freq_text(d.frequency)}"),
            Column(_("Instalment"), lambda d: money(d.instalment), lambda d: d.instalment,
                   True),
            Column(_("Burden"), lambda d: pct_text(d.burden) if d.burden is not None
                   else _("no surplus"), lambda d: d.burden or 0, True),
            Column(_("Submitted by"), lambda d: d.submitted_by),
            Column(_("On"), lambda d: date_text(d.submitted_on),
                   lambda d: d.submitted_on.isoformat()),
        ], self._colour, self)
        self.view = table(self.model, 2)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count = QLabel()
        self.count.setStyleSheet(HINT_STYLE)
        self.message = QLabel()
        self.message.setWordWrap(True)
        allowed = may(session, Action.FINANCING_APPROVE)
        self.approve_button = self._button(_("Approve"), self.approve, allowed)
        self.reject_button = self._button(_("Reject…"), self.reject, allowed)
        self.open_button = self._button(_("Show in the list"), self.open_selected, True)
        bar = QWidget()
        line = QHBoxLayout(bar)
        line.setContentsMargins(0, 0, 0, 0)
        for widget in (self.approve_button, self.reject_button, self.open_button):
            line.addWidget(widget)
        line.addStretch(1)
        line.addWidget(self.count)
        intro = QLabel(_("Applications and rescheduling wait here for a manager who did not "
                         "submit them. A burden above {pct} % of the household's monthly "
                         "surplus is shown in red.").format(pct=max_burden_pct))
        intro.setWordWrap(True)
        intro.setStyleSheet(HINT_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.about)
        layout.addWidget(bar)
        layout.addWidget(self.message)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.view.activated.connect(lambda _index: self.open_selected())
        self._enable()

    def _colour(self, d: PendingDecision) -> tuple[Any, Any]:
        heavy = d.burden is None or d.burden * 100 > self.max_burden_pct
        return None, OVERDUE_FG if heavy else None

    def _button(self, text: str, slot: Callable[[], None], allowed: bool) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        button.setVisible(allowed)
        button.setProperty("allowed", allowed)
        return button

    def visible_actions(self) -> list[str]:
        return [b.text() for b in (self.approve_button, self.reject_button)
                if b.property("allowed")]

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        self._asked += 1
        asked = self._asked
        self.worker.submit(pending_decisions, self.session,
                           on_done=lambda rows: self._loaded(asked, rows),
                           on_error=lambda e: self.say(error_text(e), ERROR_STYLE))

    @when_alive
    def _loaded(self, asked: int, rows: list[PendingDecision]) -> None:
        if asked != self._asked:
            return
        keep = self.selected()
        self.model.set_rows(rows)
        self.loaded = True
        self.count.setText(_("{n} waiting").format(n=len(rows)))
        target = next((i for i, d in enumerate(rows) if keep is not None
                       and (d.kind, d.id) == (keep.kind, keep.id)), 0 if rows else -1)
        if target >= 0:
            self.view.selectRow(target)
        self._enable()
        self.counted.emit(len(rows))

    def selected(self) -> PendingDecision | None:
        return selected_row(self.view)

    def _enable(self) -> None:
        d = self.selected()
        self.about.setText("" if d is None else _("{what} {number}, {name}: {text}").format(
            what=kind_label(d.kind).capitalize(), number=d.number, name=d.applicant,
            text=d.text))
        own = d is not None and d.submitted_by_id == self.session.user_id
        self.approve_button.setEnabled(not self.busy and d is not None and not own)
        self.reject_button.setEnabled(not self.busy and d is not None and not own)
        tip = _("You submitted this; another manager must decide it.") if own else ""
        self.approve_button.setToolTip(tip)
        self.reject_button.setToolTip(tip)
        self.open_button.setEnabled(d is not None)

    def say(self, text: str, style: str = GOOD_STYLE) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)

    # ------------------------------------------------------------------ deciding
    def _decide(self, d: PendingDecision, approve: bool, reason: str) -> None:
        if d.kind == "pengajuan":
            fn: Callable[..., Any] = financing.decide
        else:
            fn = financing_payments.decide_reschedule
        self.busy = True
        self._enable()
        self.say("")
        self.worker.submit(fn, self.session, d.id, approve, reason,
                           on_done=lambda _none: self._decided(d, approve),
                           on_error=self._refused)

    @when_alive
    def _decided(self, d: PendingDecision, approve: bool) -> None:
        self.busy = False
        word = _("approved") if approve else _("rejected")
        self.say(_("{what} {number} {word}.").format(
            what=kind_label(d.kind).capitalize(), number=d.number, word=word))
        self.decided.emit(d.financing_id)
        self.refresh()

    @when_alive
    def _refused(self, error: BaseException) -> None:
        self.busy = False
        self._enable()
        self.say(error_text(error), ERROR_STYLE)
        dialogs.show_error(self, error_text(error))

    def approve(self) -> None:
        d = self.selected()
        if d is None or d.submitted_by_id == self.session.user_id:
            return
        question = _("Approve the {what} of {number} for {name}: {amount}, {n} × {freq}, "
                     "instalment {instalment}?").format(
            what=kind_label(d.kind), number=d.number, name=d.applicant,
            amount=format_rupiah(d.principal), n=d.instalments, freq=freq_text(d.frequency),
            instalment=format_rupiah(d.instalment))
        if dialogs.ask_yes_no(self, question):
            self._decide(d, True, "")

    def reject(self) -> None:
        d = self.selected()
        if d is None or d.submitted_by_id == self.session.user_id:
            return
        reason = actions.ask_reason(self, _("Reject {number}").format(number=d.number),
                                    _("Why is it rejected?"))
        if reason:
            self._decide(d, False, reason)

    def open_selected(self) -> None:
        d = self.selected()
        if d is not None:
            self.open_requested.emit(d.financing_id)
