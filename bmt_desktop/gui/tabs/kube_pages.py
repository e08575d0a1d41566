"""The sub-tabs of the chosen Kube: members, officers, meetings, aid and PHBK, visits and
financing, with what the worker reads for them in one go (``KubeFile``). The indicators are
in kube_indicators, the group funds in kube_funds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.gui import field_sheet_actions
from bmt_desktop.gui.tabs.drawer_dialogs import may
from bmt_desktop.gui.tabs.financing_apply import ApplicationDialog
from bmt_desktop.gui.tabs.financing_detail import FinancingDialog
from bmt_desktop.gui.tabs.financing_list import FinancingList
from bmt_desktop.gui.tabs.kube_aid import AidOutcomeDialog, LinkStatusDialog
from bmt_desktop.gui.tabs.kube_chart import month_label
from bmt_desktop.gui.tabs.kube_common import (
    HINT_STYLE,
    WARN_STYLE,
    Member,
    business_status_label,
    button_bar,
    date_text,
    link_model_label,
    link_status_label,
    role_label,
    table_view,
    text_label,
)
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import (
    ERROR_STYLE,
    GOOD_STYLE,
)
from bmt_desktop.i18n import _
from bmt_desktop.services import kube
from bmt_desktop.services.book_settings import get_setting
from bmt_desktop.services.drawer import current_drawer
from bmt_desktop.services.kube import Indicators, KubeRow, KubeStage
from bmt_desktop.services.session import Session

if TYPE_CHECKING:
    from bmt_desktop.gui.tabs.kube_tab import KubeDetail

# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class KubeFile:
    """Everything the detail shows about one Kube (read in one go on the worker)."""

    members: list[Member]
    officers: list[tuple[str, str, str, str | None]]
    meetings: list[tuple]
    stage: KubeStage
    indicators: Indicators
    series: list[tuple[str, int]]
    phbk_missing: list[str]
    aid_received: bool
    size: tuple[int, int]  # the office's rule for the households in a Kube
    aid: list[kube.AidRow]
    links: list[kube.LinkRow]
    visits: list[kube.VisitRow]
    funds: dict[str, int]  # balance of each group fund (iks, tabungan)
    drawer_ready: bool  # the user's cash drawer is open for today


def load_kube_file(session: Session, kube_id: int) -> KubeFile:
    return KubeFile(kube.current_members(session, kube_id), kube.officers(session, kube_id),
                    kube.meetings(session, kube_id), kube.kube_stage(session, kube_id),
                    kube.indicators(session, kube_id), kube.income_series(session, kube_id),
                    kube.phbk_eligibility(session, kube_id),
                    kube.kube_facts(session, kube_id).aid_received,
                    (int(get_setting(session.book, "kube_min_members")),
                     int(get_setting(session.book, "kube_max_members"))),
                    kube.aid_list(session, kube_id), kube.links_list(session, kube_id),
                    kube.visits_list(session, kube_id),
                    {fund: kube.group_fund_balance(session, kube_id, fund)
                     for fund in kube.GROUP_FUNDS}, drawer_ready(session))


def drawer_ready(session: Session) -> bool:
    """The user's cash drawer is open for today's business (group money needs it)."""
    state = current_drawer(session)
    return (state is not None and state.status == "buka"
            and state.business_date == session.today.isoformat())


# --------------------------------------------------------------------------- the sub-tabs


class Page(QWidget):
    """A sub-tab: a few read-outs and the buttons the role may use."""

    def __init__(self, detail: KubeDetail) -> None:
        super().__init__()
        self.detail = detail
        self.buttons: list[QPushButton] = []

    def button(self, text: str, slot: Callable[[], None], action: Action) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        allowed = may(self.detail.session, action)
        button.setVisible(allowed)
        button.setProperty("allowed", allowed)
        self.buttons.append(button)
        return button

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        raise NotImplementedError


class MembersPage(Page):
    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.roles: dict[str, str] = {}
        self.model = RowsModel([
            Column(_("Member"), lambda m: m[1]),
            Column(_("Name"), lambda m: m[2]),
            Column(_("Officer"), lambda m: self.roles.get(m[2], "")),
        ])
        self.model.setParent(self)
        self.view = table_view(self.model, 1)
        self.note = text_label(HINT_STYLE)
        self.add_button = self.button(_("Add members…"), detail.add_members, Action.KUBE_MANAGE)
        self.remove_button = self.button(_("Leaves the Kube…"), detail.remove_member,
                                         Action.KUBE_MANAGE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addWidget(button_bar(self.add_button, self.remove_button))

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        self.roles = {name: role_label(role) for role, name, _start, end in file.officers
                      if end is None}
        self.model.set_rows(file.members)
        self.note.setText(_("{n} households. A Kube has {low} to {high} households from one "
                            "village; a household belongs to one Kube at a time.").format(
            n=len(file.members), low=file.size[0], high=file.size[1]))

    def selected(self) -> Member | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None


class OfficersPage(Page):
    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.model = RowsModel([
            Column(_("Role"), lambda o: role_label(o[0])),
            Column(_("Name"), lambda o: o[1]),
            Column(_("Term start"), lambda o: date_text(o[2])),
            Column(_("Term end"), lambda o: date_text(o[3]) if o[3] else _("in office")),
        ])
        self.model.setParent(self)
        self.view = table_view(self.model, 1)
        self.note = text_label(HINT_STYLE)
        self.set_button = self.button(_("Set an officer…"), detail.set_officer,
                                      Action.KUBE_MANAGE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addWidget(button_bar(self.set_button))

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        self.model.set_rows(file.officers)
        serving = {o[0] for o in file.officers if o[3] is None}
        missing = [role_label(r) for r in kube.OFFICER_ROLES if r not in serving]
        self.note.setText(_("Still to choose: {roles}.").format(roles=", ".join(missing))
                          if missing else _("Chair, secretary and treasurer are in office."))
        self.set_button.setEnabled(bool(file.members))


class MeetingsPage(Page):
    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.model = RowsModel([
            Column(_("Date"), lambda m: date_text(m[1])),
            Column(_("Present"), lambda m: _("{present} of {members}").format(
                present=m[2], members=m[3]), numeric=True),
            Column(_("Problems raised"), lambda m: str(m[4]), numeric=True),
            Column(_("Solved"), lambda m: str(m[5]), numeric=True),
            Column(_("Collection sheet"), lambda m: m[6] or _("no money collected")),
        ])
        self.model.setParent(self)
        self.view = table_view(self.model, 4)
        self.new_button = self.button(_("New meeting…"), detail.new_meeting,
                                      Action.KUBE_MEETING)
        # The field collection sheet (issue 12): out for the mentor, back in once filled.
        self.export_button = self.button(_("Export collection sheet…"),
                                         lambda: field_sheet_actions.export_sheet(detail),
                                         Action.KUBE_MEETING)
        self.import_button = self.button(_("Import collection sheet…"),
                                         lambda: field_sheet_actions.import_sheet(detail),
                                         Action.KUBE_MEETING)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(button_bar(self.new_button, self.export_button, self.import_button))

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        self.model.set_rows(file.meetings)
        self.new_button.setEnabled(bool(file.members))
        self.export_button.setEnabled(bool(file.members))


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold;")
    return label


def column(*parts: QWidget | tuple[QWidget, int]) -> QWidget:
    """Widgets one under the other in their own widget; (widget, stretch) grows."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        widget, stretch = part if isinstance(part, tuple) else (part, 0)
        layout.addWidget(widget, stretch)
    return box


def scrolled(page: QWidget, content: QWidget) -> None:
    """Fill the page with ``content`` that scrolls in a small window rather than making the
    whole window taller (the tab's least height is the window's)."""
    scroll = QScrollArea()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.viewport().setAutoFillBackground(False)  # the tab page's colour shows through
    content.setAutoFillBackground(False)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(scroll)


def aid_kind_label(kind: str) -> str:
    return {"barang": _("goods"), "uang": _("cash")}.get(kind, kind)


class AidPage(Page):
    """The stimulant aid received and the bank linkages, with the manager's updates."""

    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.aid = RowsModel([
            Column(_("Received"), lambda a: date_text(a.received_on)),
            Column(_("Kind"), lambda a: aid_kind_label(a.kind)),
            Column(_("Item"), lambda a: a.item),
            Column(_("Value"), lambda a: format_rupiah(a.value), lambda a: a.value,
                   numeric=True),
            Column(_("Source"), lambda a: a.source),
            Column(_("Condition"), lambda a: a.condition or "–"),
            Column(_("What became of it"), lambda a: a.outcome or "–"),
        ])
        self.aid.setParent(self)
        self.aid_view = table_view(self.aid, 6)
        self.links = RowsModel([
            Column(_("Date"), lambda k: date_text(k.linked_on)),
            Column(_("Bank"), lambda k: k.bank),
            Column(_("Model"), lambda k: link_model_label(k.model)),
            Column(_("Amount"), lambda k: format_rupiah(k.amount), lambda k: k.amount,
                   numeric=True),
            Column(_("Status"), lambda k: link_status_label(k.status)),
        ])
        self.links.setParent(self)
        self.links_view = table_view(self.links, 1)
        for view in (self.aid_view, self.links_view):  # the tab's height is the window's
            view.setMinimumHeight(view.verticalHeader().defaultSectionSize() * 2 + 4)
        self.phbk = text_label(wrap=False)  # a wrapped label would make the page scroll
        self.phbk.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.aid_button = self.button(_("Record stimulant aid…"), detail.record_aid,
                                      Action.KUBE_AID)
        self.outcome_button = self.button(_("Record condition/use…"), self.record_outcome,
                                          Action.KUBE_AID)
        self.link_button = self.button(_("Link with a bank…"), detail.link_bank,
                                       Action.KUBE_AID)
        self.status_button = self.button(_("Change status…"), self.change_status,
                                         Action.KUBE_AID)
        self.aid_view.doubleClicked.connect(lambda _index: self._double(self.outcome_button))
        self.links_view.doubleClicked.connect(lambda _index: self._double(self.status_button))
        links = QWidget()
        side = QHBoxLayout(links)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(column((self.links_view, 1),
                              button_bar(self.link_button, self.status_button)), 3)
        side.addWidget(column(heading(_("PHBK eligibility")), (self.phbk, 1)), 2)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(heading(_("Stimulant aid")))
        layout.addWidget(self.aid_view, 2)
        layout.addWidget(button_bar(self.aid_button, self.outcome_button))
        layout.addWidget(heading(_("Bank linkage (PHBK)")))
        layout.addWidget(links, 2)
        scrolled(self, content)

    @staticmethod
    def _double(button: QPushButton) -> None:
        if button.property("allowed"):
            button.click()

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        for model, view, rows in ((self.aid, self.aid_view, file.aid),
                                  (self.links, self.links_view, file.links)):
            model.set_rows(rows)
            if rows:
                view.selectRow(0)
        self.outcome_button.setEnabled(bool(file.aid))
        self.status_button.setEnabled(bool(file.links))
        if file.phbk_missing:
            self.phbk.setText(_("Not yet eligible. Missing:") + "\n" + "\n".join(
                f"✘ {what}" for what in file.phbk_missing))
            self.phbk.setStyleSheet(WARN_STYLE)
        else:
            self.phbk.setText(_("Eligible for a bank linkage (PHBK)."))
            self.phbk.setStyleSheet(GOOD_STYLE)

    def selected_aid(self) -> kube.AidRow | None:
        rows = self.aid_view.selectionModel().selectedRows()
        return self.aid.row_at(rows[0].row()) if rows else None

    def selected_link(self) -> kube.LinkRow | None:
        rows = self.links_view.selectionModel().selectedRows()
        return self.links.row_at(rows[0].row()) if rows else None

    def record_outcome(self) -> None:
        aid = self.selected_aid()
        if aid is None:
            self.detail.say(_("Choose the aid in the list first."), ERROR_STYLE)
            return
        self.detail.open_form(AidOutcomeDialog(self.detail.session, self.detail.worker, aid,
                                               self.detail),
                              lambda _none: self.detail.after_change(
                                  _("Condition and use of the aid saved.")))

    def change_status(self) -> None:
        link = self.selected_link()
        if link is None:
            self.detail.say(_("Choose the bank linkage in the list first."), ERROR_STYLE)
            return
        self.detail.open_form(LinkStatusDialog(self.detail.session, self.detail.worker, link,
                                               self.detail),
                              lambda _none: self.detail.after_change(
                                  _("Status of the bank linkage saved.")))


class VisitsPage(Page):
    """The visit history on the left; the members to visit and the monthly averages right."""

    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.history = RowsModel([
            Column(_("Date"), lambda v: date_text(v.visited_on)),
            Column(_("Member"), lambda v: v.member_number),
            Column(_("Name"), lambda v: v.member_name),
            Column(_("Income a month"), lambda v: format_rupiah(v.monthly_income),
                   lambda v: v.monthly_income, numeric=True),
            Column(_("Business"), lambda v: business_status_label(v.business_status)),
            Column(_("Notes"), lambda v: v.notes or "–"),
        ])
        self.history.setParent(self)
        self.history_view = table_view(self.history, 5)
        self.model = RowsModel([
            Column(_("Member"), lambda m: m[1]),
            Column(_("Name"), lambda m: m[2]),
        ])
        self.model.setParent(self)
        self.view = table_view(self.model, 1)
        self.months = RowsModel([
            Column(_("Month"), lambda p: month_label(p[0]) if p is not self.first
                   else _("at entry ({month})").format(month=month_label(p[0]))),
            Column(_("Average income"), lambda p: format_rupiah(p[1]), numeric=True),
        ])
        self.months.setParent(self)
        self.first: tuple[str, int] | None = None
        self.months_view = table_view(self.months, 0)
        self.visit_button = self.button(_("Record a visit…"), detail.record_visit,
                                        Action.KUBE_MEETING)
        self.view.doubleClicked.connect(lambda _index: self._visit())
        self.count = text_label(HINT_STYLE, wrap=False)
        left = column(heading(_("Visit history")), (self.history_view, 1),
                      button_bar(self.count))
        right = column(text_label(wrap=False, text=_("Choose a member for a new visit:")),
                       (self.view, 3), button_bar(self.visit_button),
                       text_label(wrap=False, text=_("Average income by visit month:")),
                       (self.months_view, 2))
        content = QWidget()
        layout = QHBoxLayout(content)
        layout.addWidget(left, 2)
        layout.addWidget(right, 1)
        scrolled(self, content)

    def _visit(self) -> None:
        if self.visit_button.property("allowed"):
            self.detail.record_visit()

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        self.history.set_rows(file.visits)
        self.count.setText(_("{n} visits").format(n=len(file.visits)))
        self.model.set_rows(file.members)
        self.first = file.series[0] if file.series else None
        self.months.set_rows(file.series)
        self.visit_button.setEnabled(bool(file.members))

    def selected(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row())[0] if rows else None


class FinancingPage(Page):
    """The Kube's financing (group financing with joint liability); Enter or a double click
    opens one, and a new application for the Kube starts here."""

    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.list = FinancingList(detail.session, detail.worker, kube_id=-1,
                                  show_applicant=False)
        self.list.activated.connect(self._open)
        self.apply_button = self.button(_("New application…"), self._apply,
                                        Action.FINANCING_APPLY)
        self.open_button = QPushButton(_("Open…"))
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(lambda _checked=False: self._open(self.list.selected()))
        self.dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(button_bar(self.open_button, self.apply_button))

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        self.list.set_kube(row.id)

    def _open(self, row: object) -> None:
        if row is None:
            return
        self.dialog = FinancingDialog(self.detail.session, self.detail.worker, row, self)
        self.dialog.panel.changed.connect(lambda _id: self.list.reload())
        self.dialog.open()

    def _apply(self) -> None:
        if self.detail.row is None:
            return
        self.dialog = ApplicationDialog(self.detail.session, self.detail.worker, self,
                                        kube_id=self.detail.row.id)
        self.dialog.succeeded.connect(lambda _id: self.list.reload())
        self.dialog.open()
