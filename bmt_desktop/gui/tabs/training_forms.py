"""The Pelatihan tab's forms: a session (new or changed), participants (members found by
name, a Kube's households or officers, BMT staff), a curriculum topic and the office's
training rules. Each small form runs one service call on the serial worker: Enter confirms,
Esc cancels. The member search stays open for the next person.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.gui.tabs.kube_common import (
    HINT_STYLE,
    DateField,
    FormDialog,
    choice,
    hbox,
    line_edit,
)
from bmt_desktop.gui.tabs.member_picker import MemberPickerDialog, Work
from bmt_desktop.gui.tabs.teller_forms import GOOD_STYLE, Call
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import training
from bmt_desktop.services.book_settings import set_setting
from bmt_desktop.services.kube import KubeRow
from bmt_desktop.services.members import MemberRow
from bmt_desktop.services.session import Session
from bmt_desktop.services.training import SessionDetail, TopicRow


def kind_items() -> list[tuple[str, str]]:
    return [(kind, training.kind_label(kind)) for kind in training.KINDS]


# ---------------------------------------------------------------------------- a session


class SessionDialog(FormDialog):
    """A new session, or the one in ``detail`` to change (its threshold stays)."""

    def __init__(self, session: Session, worker: Worker, topics: Sequence[TopicRow],
                 detail: SessionDetail | None = None, parent: QWidget | None = None) -> None:
        title = (_("New training session") if detail is None
                 else _("Change “{title}”").format(title=detail.row.title))
        super().__init__(session, worker, title, _("Save"), parent)
        self.detail = detail
        self.all_topics = list(topics)
        self.title = line_edit(150, _("e.g. Praktik keterampilan menjahit"))
        self.kind = choice(kind_items())
        self.first = DateField(session.today)
        self.last = DateField(session.today)
        self.venue = line_edit(150, _("e.g. Balai Desa Sukajaya, a member's workshop"))
        self.trainer = line_edit(150, _("Name of the trainer"))
        self.institution = line_edit(150, _("e.g. PINBUK, Dinas Sosial, a local entrepreneur"))
        self.capacity = QSpinBox()
        self.capacity.setRange(1, training.MAX_CAPACITY)
        self.capacity.setValue(30)
        self.notes = line_edit(2000)
        self.topics = QListWidget()
        self.topics.setMinimumSize(440, 260)
        chosen = {t.code for t in detail.topics} if detail else set()
        shown = [t for t in topics if t.active or t.code in chosen]
        for topic in shown:
            item = QListWidgetItem(f"{topic.name} ({topic.code})")
            item.setToolTip(training.kind_label(topic.kind))
            item.setData(Qt.ItemDataRole.UserRole, topic.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if topic.code in chosen
                               else Qt.CheckState.Unchecked)
            self.topics.addItem(item)
        self.form.addRow(_("Title:"), self.title)
        self.form.addRow(_("Kind:"), self.kind)
        self.form.addRow(_("Days:"), hbox(self.first, QLabel(_("to")), self.last,
                                         QLabel(_("(1 to {n} days)").format(n=training.MAX_DAYS))))
        self.form.addRow(_("Venue:"), self.venue)
        self.form.addRow(_("Trainer:"), self.trainer)
        self.form.addRow(_("Institution:"), self.institution)
        self.form.addRow(_("Capacity:"), self.capacity)
        self.form.addRow(_("Topics:"), self.topics)
        self.form.addRow(_("Notes:"), self.notes)
        if detail is not None:
            row = detail.row
            self.title.setText(row.title)
            self.kind.setCurrentIndex(max(0, self.kind.findData(row.kind)))
            self.first.setText(_typed(row.start_date))
            self.last.setText(_typed(row.end_date))
            self.venue.setText(row.venue)
            self.trainer.setText(row.trainer)
            self.institution.setText(row.institution)
            self.capacity.setValue(row.capacity)
            self.notes.setText(detail.notes)
        else:
            self.kind.currentIndexChanged.connect(self._suggest_topics)
            self._suggest_topics()
        self.title.setFocus()

    def _suggest_topics(self) -> None:
        """A new session ticks the topics of its kind until the user ticks otherwise."""
        kind = self.kind.currentData()
        codes = {t.code for t in self.all_topics if t.kind == kind and t.active}
        for index in range(self.topics.count()):
            item = self.topics.item(index)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in codes else Qt.CheckState.Unchecked)

    def chosen_topics(self) -> list[str]:
        return [self.topics.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.topics.count())
                if self.topics.item(i).checkState() == Qt.CheckState.Checked]

    def call(self) -> Call:
        data = training.SessionInput(
            self.title.text(), self.kind.currentData(), self.first.read(_("First day")),
            self.last.read(_("Last day")), self.venue.text(), self.trainer.text(),
            self.institution.text(), self.capacity.value(), self.chosen_topics(),
            self.notes.text())
        if self.detail is None:
            return training.create_session, (data,), {}
        return training.edit_session, (self.detail.row.id, data), {}


def _typed(iso: str) -> str:
    day, month, year = iso[8:10], iso[5:7], iso[0:4]
    return f"{day}-{month}-{year}"


# ---------------------------------------------------------------------------- participants


class AddMembersDialog(MemberPickerDialog):
    """Find members by name, number or NIK and add them one after another."""

    added = Signal(str)  # the name of the member added

    def __init__(self, session: Session, worker: Worker, detail: SessionDetail,
                 parent: QWidget | None = None) -> None:
        self.detail = detail
        super().__init__(session, worker, _("Participants of “{title}”").format(
            title=detail.row.title), {p.member_id for p in detail.participants
                                      if p.member_id}, _("takes part"), parent)
        self.info.setStyleSheet(GOOD_STYLE)

    def add(self, member: MemberRow) -> Work | None:
        return (training.add_participant, (self.session, self.detail.row.id, member.id),
                lambda _id: self._added(member))

    def _added(self, member: MemberRow) -> None:
        self.info.setText(_("{name} takes part.").format(name=member.name))
        self.added.emit(member.name)


class KubeParticipantsDialog(FormDialog):
    """A Kube's officers in office, or all its households, at once."""

    def __init__(self, session: Session, worker: Worker, detail: SessionDetail,
                 kubes: Sequence[KubeRow], parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Kube participants of “{title}”").format(
            title=detail.row.title), _("Add"), parent)
        self.detail = detail
        self.kube = choice([(str(k.id), f"{k.code} · {k.name} ({k.members})") for k in kubes])
        self.officers = QRadioButton(_("its officers in office (ketua, sekretaris, "
                                       "bendahara)"))
        self.households = QRadioButton(_("all its households"))
        (self.officers if detail.row.kind == "manajemen" else self.households).setChecked(True)
        free = detail.row.capacity - detail.row.participants
        note = QLabel(_("Room for {n} more; those already taking part are skipped.").format(
            n=free))
        note.setStyleSheet(HINT_STYLE)
        self.form.addRow(_("Kube:"), self.kube)
        self.form.addRow(_("Add:"), self.officers)
        self.form.addRow("", self.households)
        self.form.addRow(note)
        self.kube.setFocus()

    def call(self) -> Call:
        if self.kube.currentData() is None:
            raise ValidationError(_("There is no Kube yet."))
        return (training.add_kube_members, (self.detail.row.id, int(self.kube.currentData())),
                {"officers_only": self.officers.isChecked()})


class StaffDialog(FormDialog):
    """BMT staff by their user account, or a guest (a village official) by name."""

    def __init__(self, session: Session, worker: Worker, detail: SessionDetail,
                 users: Sequence[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Staff in “{title}”").format(
            title=detail.row.title), _("Add"), parent)
        self.detail = detail
        self.user = choice([("", _("(someone else: type the name)")),
                            *[(str(uid), name) for uid, name in users]])
        self.name = line_edit(100, _("e.g. Bapak Ujang (Sekretaris Desa)"))
        self.form.addRow(_("User:"), self.user)
        self.form.addRow(_("Or name:"), self.name)
        self.user.currentIndexChanged.connect(
            lambda _i: self.name.setEnabled(not self.user.currentData()))
        self.user.setFocus()

    def call(self) -> Call:
        user = self.user.currentData()
        if user:
            return training.add_staff, (self.detail.row.id,), {"user_id": int(user)}
        return training.add_staff, (self.detail.row.id,), {"name": self.name.text()}


# ---------------------------------------------------------------------------- curriculum


class TopicDialog(FormDialog):
    """A new topic, or ``topic`` to change (its code stays)."""

    def __init__(self, session: Session, worker: Worker, topic: TopicRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("New topic") if topic is None
                         else _("Topic {code}").format(code=topic.code), _("Save"), parent)
        self.topic = topic
        self.code = line_edit(20, _("e.g. PEMBUKUAN"))
        self.name = line_edit(150, _("e.g. Pembukuan usaha sederhana"))
        self.kind = choice(kind_items())
        self.description = line_edit(500)
        if topic is not None:
            self.code.setText(topic.code)
            self.code.setEnabled(False)
            self.name.setText(topic.name)
            self.kind.setCurrentIndex(max(0, self.kind.findData(topic.kind)))
            self.description.setText(topic.description)
        self.form.addRow(_("Code:"), self.code)
        self.form.addRow(_("Topic:"), self.name)
        self.form.addRow(_("Kind:"), self.kind)
        self.form.addRow(_("Description:"), self.description)
        (self.name if topic is not None else self.code).setFocus()

    def call(self) -> Call:
        if self.topic is None:
            return (training.add_topic, (self.code.text(), self.name.text(),
                                         self.kind.currentData(), self.description.text()), {})
        return (training.edit_topic, (self.topic.id, self.name.text(), self.kind.currentData(),
                                      self.description.text()), {})


def save_rules(session: Session, completion_pct: int, aid_required: str) -> None:
    """The two training settings (the requirement first: it is the one that can be wrong)."""
    set_setting(session, "aid_required_training", aid_required)
    set_setting(session, "training_completion_pct", str(completion_pct))


class RulesDialog(FormDialog):
    def __init__(self, session: Session, worker: Worker, rules: training.Rules,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, worker, _("Training rules"), _("Save"), parent)
        self.pct = QSpinBox()
        self.pct.setRange(1, 100)
        self.pct.setSuffix(" %")
        self.pct.setValue(rules.completion_pct)
        self.aid = line_edit(100, _("topic codes, e.g. USAHA, PRINSIP-KUBE"))
        self.aid.setText(", ".join(t.code for t in rules.aid_required))
        note = QLabel(_("The attendance a participant needs applies to sessions created from "
                        "now on. Stimulant aid waits until every household of the Kube has "
                        "completed the topics named; leave it empty to require none."))
        note.setWordWrap(True)
        note.setStyleSheet(HINT_STYLE)
        self.form.addRow(_("Completed with attendance of at least:"), self.pct)
        self.form.addRow(_("Training before stimulant aid:"), self.aid)
        self.form.addRow(note)
        self.pct.setFocus()

    def call(self) -> Call:
        return save_rules, (self.pct.value(), self.aid.text()), {}
