"""The Kube's aid, bank linkage (PHBK) and monitoring-visit forms, and the manager's updates
of what became of the aid and of a linkage's status. Each runs one service call on the
serial worker: Enter confirms, Esc cancels."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.gui.tabs.kube_common import (
    HINT_STYLE,
    WARN_STYLE,
    DateField,
    FormDialog,
    Member,
    business_status_label,
    choice,
    date_text,
    line_edit,
    link_model_label,
    link_status_label,
)
from bmt_desktop.gui.tabs.teller_forms import (
    AmountField,
    Call,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import kube
from bmt_desktop.services.session import Session

# ---------------------------------------------------------------------------- aid, PHBK, visits


class AidDialog(FormDialog):
    def __init__(self, session: Session, worker: Worker, kube_row: kube.KubeRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Stimulant aid for {kube}").format(
            kube=kube_row.name), _("Save"), parent)
        self.kube_row = kube_row
        self.kind = choice([("barang", _("Goods (production tools)")), ("uang", _("Cash"))])
        self.item = line_edit(200, _("e.g. vegetable cart, sewing machine"))
        self.amount = AmountField()
        self.source = line_edit(200, _("e.g. Dinas Sosial, Kementerian Sosial"))
        self.received = DateField(session.today)
        self.condition = line_edit(200)
        self.outcome = line_edit(2000, _("What the Kube did with it"))
        self.form.addRow(_("Kind:"), self.kind)
        self.form.addRow(_("Item:"), self.item)
        self.form.addRow(_("Value:"), self.amount)
        self.form.addRow(_("Source:"), self.source)
        self.form.addRow(_("Date received:"), self.received)
        self.form.addRow(_("Condition:"), self.condition)
        self.form.addRow(_("What became of it:"), self.outcome)
        self.kind.setFocus()

    def call(self) -> Call:
        value = self.amount.read()
        if value is None:
            raise ValidationError(_("Check the value."))
        return (kube.record_aid, (self.kube_row.id, self.kind.currentData(), self.item.text(),
                                  value, self.source.text(),
                                  self.received.read(_("Date received")),
                                  self.condition.text(), self.outcome.text()), {})


class BankLinkDialog(FormDialog):
    def __init__(self, session: Session, worker: Worker, kube_row: kube.KubeRow,
                 missing: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Bank linkage (PHBK) of {kube}").format(
            kube=kube_row.name), _("Save"), parent)
        self.kube_row = kube_row
        self.model = choice([(m, link_model_label(m)) for m in kube.LINK_MODELS])
        self.bank = line_edit(100, _("e.g. Bank Muamalat, BRI Syariah"))
        self.linked = DateField(session.today)
        self.amount = AmountField()
        self.status = choice([(s, link_status_label(s)) for s in kube.LINK_STATUSES])
        self.form.addRow(_("Model:"), self.model)
        self.form.addRow(_("Bank:"), self.bank)
        self.form.addRow(_("Date:"), self.linked)
        self.form.addRow(_("Amount:"), self.amount)
        self.form.addRow(_("Status:"), self.status)
        if missing:
            note = QLabel(_("Not yet eligible: {what}.").format(what="; ".join(missing)))
            note.setWordWrap(True)
            note.setStyleSheet(WARN_STYLE)
            self.form.addRow(note)
        self.model.setFocus()

    def call(self) -> Call:
        value = self.amount.read()
        if value is None:
            raise ValidationError(_("Check the amount."))
        return (kube.link_bank, (self.kube_row.id, self.model.currentData(), self.bank.text(),
                                 self.linked.read(_("Date")), value,
                                 self.status.currentData()), {})


class VisitDialog(FormDialog):
    def __init__(self, session: Session, worker: Worker, members: Sequence[Member],
                 chosen: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Monitoring visit"), _("Save"), parent)
        self.member = choice([(str(m[0]), f"{m[2]} ({m[1]})") for m in members])
        if chosen is not None:
            self.member.setCurrentIndex(max(0, self.member.findData(str(chosen))))
        self.visited = DateField(session.today)
        self.amount = AmountField(allow_zero=True)
        self.business = choice([(s, business_status_label(s))
                                 for s in kube.BUSINESS_STATUSES])
        self.business.setCurrentIndex(1)
        self.notes = line_edit(2000, _("What the mentor saw and advised"))
        self.form.addRow(_("Member:"), self.member)
        self.form.addRow(_("Visit date:"), self.visited)
        self.form.addRow(_("Household income a month:"), self.amount)
        self.form.addRow(_("Business:"), self.business)
        self.form.addRow(_("Notes:"), self.notes)
        self.amount.setFocus()

    def call(self) -> Call:
        if self.member.currentData() is None:
            raise ValidationError(_("The Kube has no members yet."))
        income = self.amount.read()
        if income is None:
            raise ValidationError(_("Check the income."))
        return (kube.record_visit, (int(self.member.currentData()),
                                    self.visited.read(_("Visit date")), income,
                                    self.business.currentData(), self.notes.text()), {})


class AidOutcomeDialog(FormDialog):
    """The manager notes the aid's condition and what the Kube did with it (audited)."""

    def __init__(self, session: Session, worker: Worker, aid: kube.AidRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Condition and use of the aid"), _("Save"), parent)
        self.aid = aid
        about = QLabel(_("{item} from {source}, received {date} ({value}).").format(
            item=aid.item, source=aid.source, date=date_text(aid.received_on),
            value=format_rupiah(aid.value)))
        about.setWordWrap(True)
        about.setStyleSheet(HINT_STYLE)
        self.condition = line_edit(200, _("e.g. good, damaged, sold"))
        self.condition.setText(aid.condition)
        self.outcome = line_edit(2000, _("What the Kube did with it"))
        self.outcome.setText(aid.outcome)
        self.form.addRow(about)
        self.form.addRow(_("Condition:"), self.condition)
        self.form.addRow(_("What became of it:"), self.outcome)
        self.condition.setFocus()
        self.condition.selectAll()

    def call(self) -> Call:
        return (kube.update_aid_outcome, (self.aid.id, self.condition.text(),
                                          self.outcome.text()), {})


class LinkStatusDialog(FormDialog):
    """The manager moves a bank linkage on: proposed, running, repaid or refused."""

    def __init__(self, session: Session, worker: Worker, link: kube.LinkRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Status of the bank linkage"), _("Save"), parent)
        self.link = link
        about = QLabel(_("{bank}, {model}, {amount} since {date}.").format(
            bank=link.bank, model=link_model_label(link.model),
            amount=format_rupiah(link.amount), date=date_text(link.linked_on)))
        about.setWordWrap(True)
        about.setStyleSheet(HINT_STYLE)
        self.status = choice([(s, link_status_label(s)) for s in kube.LINK_STATUSES])
        self.status.setCurrentIndex(max(0, self.status.findData(link.status)))
        self.form.addRow(about)
        self.form.addRow(_("Status:"), self.status)
        self.status.setFocus()

    def call(self) -> Call:
        return kube.update_link_status, (self.link.id, self.status.currentData()), {}
