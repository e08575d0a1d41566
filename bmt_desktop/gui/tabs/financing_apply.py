"""The financing application form: for one member or for a Kube (every member's share, joint
liability), a product whose ranges hold the rate or nisbah, the tenor and the frequency, the
goods and supplier of a murabahah, collateral, the household's income and expenses with the
instalment's burden, the Kube coordinator's approval of a member's individual financing, and
the schedule the akad would have, built as the figures are typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.financing_schedule import (
    FREQUENCIES,
    Instalment,
    build_schedule,
    first_due_after,
    term_months,
)
from bmt_desktop.domain.money import format_rupiah, parse_amount
from bmt_desktop.gui.tabs.financing_common import (
    WARN_FG,
    date_text,
    freq_text,
    money,
    pct_text,
    rate_text,
    table,
)
from bmt_desktop.gui.tabs.kube_common import DateField, FormDialog, line_edit
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.tabs.member_form import RupiahEdit, group_digits
from bmt_desktop.gui.tabs.rows_model import Column, RowsModel
from bmt_desktop.gui.tabs.teller_forms import (
    ERROR_STYLE,
    GOOD_STYLE,
    WORDS_STYLE,
    AmountField,
    Call,
    EnterKey,
    error_text,
)
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services import book_settings, financing, kube, training
from bmt_desktop.services.financing import ApplicationInput, Collateral, FinancingProduct
from bmt_desktop.services.financing_queries import (
    ApplicantInfo,
    applicant_info,
    burden_of,
    split_by_shares,
)
from bmt_desktop.services.kube import KubeRow
from bmt_desktop.services.members import MemberRow, search_members
from bmt_desktop.services.session import Session

HINT_STYLE = "color: #555;"
MAX_FOUND = 20
MARGIN_AKAD = ("murabahah", "ijarah")
PROFIT_SHARING = ("mudharabah", "musyarakah")


@dataclass
class Start:
    """What the form reads once when it opens."""

    products: list[FinancingProduct]
    kubes: list[KubeRow]
    max_burden_pct: int


def load_start(session: Session) -> Start:
    return Start(financing.list_products(session, active_only=True),
                 [k for k in kube.list_kube(session) if k.status == "aktif"],
                 int(book_settings.get_setting(session.book, "financing_max_burden_pct")))


@dataclass
class ApplicantFacts:
    info: ApplicantInfo
    graduation: list[str] = field(default_factory=list)  # what a Kube member still lacks
    training: list[str] = field(default_factory=list)  # required training not completed


def applicant_facts(session: Session, member_id: int | None, kube_id: int | None,
                    required: tuple[str, ...]) -> ApplicantFacts:
    """The applicant's income, Kube, coordinator, graduation and training (on the worker)."""
    info = applicant_info(session, member_id=member_id, kube_id=kube_id)
    members = [member_id] if member_id is not None else [m[0] for m in info.members]
    graduation = financing.graduation_missing(session, member_id) if member_id else []
    missing = training.missing_training(session, members, list(required)) \
        if required and members else []
    return ApplicantFacts(info, graduation, missing)


def instalment_range(product: FinancingProduct, frequency: str) -> tuple[int, int]:
    """The fewest and most instalments whose tenor fits the product's range of months."""
    fitting = [n for n in range(1, 521)
               if product.min_tenor_months <= term_months(n, frequency)
               <= product.max_tenor_months]
    return (fitting[0], fitting[-1]) if fitting else (1, 1)


def _money_item(amount: int | None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if amount is None else group_digits(amount))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _fixed_item(text: str, key: int | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if key is not None:
        item.setData(Qt.ItemDataRole.UserRole, key)
    return item


def _grid(headers: list[str], stretch: int) -> QTableWidget:
    grid = QTableWidget(0, len(headers))
    grid.setHorizontalHeaderLabels(headers)
    grid.verticalHeader().setVisible(False)
    grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    grid.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
    grid.setTabKeyNavigation(False)
    header = grid.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    grid.verticalHeader().setDefaultSectionSize(grid.fontMetrics().height() + 10)
    return grid


def _cell_amount(grid: QTableWidget, row: int, column: int, label: str,
                 allow_empty: bool = False) -> int | None:
    item = grid.item(row, column)
    text = item.text().strip() if item is not None else ""
    if not text:
        if allow_empty:
            return None
        raise ValidationError(_("{field} must be filled in.").format(field=label))
    if text in ("0", "Rp0"):
        return 0
    return parse_amount(text, field=label)


class ApplicationDialog(FormDialog):
    """Enter and submit an application; a manager who did not submit it decides."""

    def __init__(self, session: Session, worker: Worker, parent: QWidget | None = None, *,
                 kube_id: int | None = None) -> None:
        super().__init__(session, worker, _("New financing application"), _("Submit"), parent)
        self.start: Start | None = None
        self.facts: ApplicantFacts | None = None
        self.members_found: list[MemberRow] = []
        self.member: MemberRow | None = None
        self.schedule: list[Instalment] = []
        self._want_kube = kube_id
        self._asked = 0
        self._income_touched = False
        self._shares_typed = False  # the shares follow the amount until someone types one

        # ---- who applies
        self.as_member = QRadioButton(_("A member"))
        self.as_kube = QRadioButton(_("A Kube (joint liability)"))
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.as_member)
        self.kind_group.addButton(self.as_kube)
        (self.as_kube if kube_id is not None else self.as_member).setChecked(True)
        kinds = QWidget()
        line = QHBoxLayout(kinds)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.as_member)
        line.addWidget(self.as_kube)
        line.addStretch(1)
        self.member_find = line_edit(100, _("Member's number or name, then Enter"))
        self.member_choice = QComboBox()
        self.member_choice.setVisible(False)
        member_box = QWidget()
        column = QVBoxLayout(member_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.member_find)
        column.addWidget(self.member_choice)
        self.kube_choice = QComboBox()
        self.applicant_note = self._note()

        # ---- the product and its terms
        self.product = QComboBox()
        self.product_note = self._note()
        self.amount = AmountField()
        self.frequency = QComboBox()
        self.instalments = QSpinBox()
        self.instalments.setRange(1, 520)
        self.tenor_note = QLabel()
        self.tenor_note.setStyleSheet(HINT_STYLE)
        tenor = QWidget()
        line = QHBoxLayout(tenor)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.instalments)
        line.addWidget(self.tenor_note, 1)
        self.rate = QDoubleSpinBox()
        self.rate.setDecimals(2)
        self.rate.setSingleStep(0.5)
        self.rate.setSuffix(" %")
        self.rate.setLocale(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia))
        self.nisbah = QSpinBox()
        self.nisbah.setSuffix(" %")
        self.goods = line_edit(300, _("e.g. 1 sewing machine, brand and type"))
        self.supplier = line_edit(200, _("e.g. Toko Sinar Jaya, Pandeglang"))
        self.cost = RupiahEdit()
        self.purpose = line_edit(500, _("e.g. working capital for the stall"))
        self.income = RupiahEdit()
        self.expense = RupiahEdit()
        self.burden = self._note()
        self.coordinator = line_edit(100, _("Name of the Kube's coordinator (ketua)"))
        self.coordinator_on = DateField(session.today)
        coordinator = QWidget()
        line = QHBoxLayout(coordinator)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.coordinator, 1)
        on_label = QLabel(_("on"))
        line.addWidget(on_label)
        line.addWidget(self.coordinator_on)
        self.assessment = QPlainTextEdit()
        self.assessment.setTabChangesFocus(True)
        self.assessment.setPlaceholderText(_("The officer's assessment: character, business, "
                                             "repayment capacity"))
        self.assessment.setMaximumHeight(self.fontMetrics().height() * 4)

        left = QFormLayout()
        left.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.left = left
        left.addRow(_("Applicant:"), kinds)
        left.addRow(_("Member:"), member_box)
        left.addRow(_("Kube:"), self.kube_choice)
        left.addRow("", self.applicant_note)
        left.addRow(_("Product:"), self.product)
        left.addRow("", self.product_note)
        left.addRow(_("Amount:"), self.amount)
        left.addRow(_("Frequency:"), self.frequency)
        left.addRow(_("Instalments:"), tenor)
        left.addRow(_("Margin rate a year:"), self.rate)
        left.addRow(_("BMT's nisbah:"), self.nisbah)
        left.addRow(_("Goods:"), self.goods)
        left.addRow(_("Supplier:"), self.supplier)
        left.addRow(_("Cost price of the goods:"), self.cost)
        left.addRow(_("Purpose:"), self.purpose)
        left.addRow(_("Income a month:"), self.income)
        left.addRow(_("Expenses a month:"), self.expense)
        left.addRow(_("Instalment burden:"), self.burden)
        left.addRow(_("Coordinator's approval:"), coordinator)
        left.addRow(_("Assessment:"), self.assessment)
        self.member_row, self.kube_row = member_box, self.kube_choice
        self.coordinator_row = coordinator

        # ---- shares, collateral, schedule
        self.shares = _grid([_("Member"), _("Share")], 0)
        self.shares.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.shares.setColumnWidth(1, self.fontMetrics().horizontalAdvance("100.000.000.000")
                                   + 24)
        self.split_button = QPushButton(_("Split equally"))
        self.split_button.setAutoDefault(False)
        self.shares_note = self._note()
        self.shares_box = QGroupBox(_("Members' shares (the Kube stands guarantor for all)"))
        box = QVBoxLayout(self.shares_box)
        box.addWidget(self.shares, 1)
        box.addWidget(self._row(self.split_button, self.shares_note))
        self.collateral = _grid([_("Description"), _("Value"), _("Eligible value")], 0)
        for column in (1, 2):
            self.collateral.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Fixed)
            self.collateral.setColumnWidth(column, self.shares.columnWidth(1))
        self.add_collateral = QPushButton(_("Add collateral"))
        self.remove_collateral = QPushButton(_("Remove"))
        for button in (self.add_collateral, self.remove_collateral, self.split_button):
            button.setAutoDefault(False)
        self.collateral_box = QGroupBox(_("Collateral"))
        box = QVBoxLayout(self.collateral_box)
        box.addWidget(self.collateral, 1)
        box.addWidget(self._row(self.add_collateral, self.remove_collateral))
        self.preview_note = self._note(WORDS_STYLE)
        self.preview = RowsModel([
            Column(_("No."), lambda i: str(i.number), numeric=True),
            Column(_("Due date"), lambda i: date_text(i.due_on)),
            Column(_("Principal"), lambda i: money(i.principal), numeric=True),
            Column(_("Margin"), lambda i: money(i.margin), numeric=True),
            Column(_("Instalment"), lambda i: money(i.amount), numeric=True),
        ], self)
        self.preview_view = table(self.preview, 1)
        self.preview_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        preview_box = QGroupBox(_("Schedule if disbursed today"))
        box = QVBoxLayout(preview_box)
        box.addWidget(self.preview_note)
        box.addWidget(self.preview_view, 1)

        left_side = QWidget()
        left_column = QVBoxLayout(left_side)
        left_column.addLayout(left)
        left_column.addStretch(1)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setWidget(left_side)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        scroller.setMinimumWidth(left_side.sizeHint().width() + 30)
        right_side = QWidget()
        right = QVBoxLayout(right_side)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.shares_box, 3)
        right.addWidget(self.collateral_box, 2)
        right.addWidget(preview_box, 4)
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(scroller, 5)
        columns.addWidget(right_side, 4)
        layout = self.layout()
        layout.insertWidget(0, body, 1)
        for index in range(layout.count()):
            if layout.itemAt(index).spacerItem() is not None:
                layout.setStretch(index, 0)
        self.resize(1180, 780)

        # ---- behaviour
        self.as_member.toggled.connect(lambda _on: self._kind_changed())
        EnterKey(self.member_find, self.find_member)
        self.member_find.textEdited.connect(lambda _t: self._forget_member())
        self.member_choice.currentIndexChanged.connect(self._member_picked)
        self.kube_choice.currentIndexChanged.connect(lambda _i: self._load_applicant())
        self.product.currentIndexChanged.connect(lambda _i: self._product_changed())
        self.frequency.currentIndexChanged.connect(lambda _i: self._frequency_changed())
        for signal in (self.amount.changed, self.instalments.valueChanged,
                       self.rate.valueChanged):
            signal.connect(lambda *_a: self._update())
        self.income.textEdited.connect(lambda _t: self._income_edited())
        self.expense.textEdited.connect(lambda _t: self._update_burden())
        self.shares.itemChanged.connect(lambda _item: self._share_typed())
        self.amount.changed.connect(self._amount_changed)
        self.collateral.itemChanged.connect(lambda _item: self._collateral_changed())
        self.split_button.clicked.connect(self.split_equally)
        self.add_collateral.clicked.connect(self.new_collateral)
        self.remove_collateral.clicked.connect(self.drop_collateral)
        order = [self.as_member, self.as_kube, self.member_find, self.member_choice,
                 self.kube_choice, self.product, self.amount.edit, self.frequency,
                 self.instalments, self.rate, self.nisbah, self.goods, self.supplier, self.cost,
                 self.purpose, self.income, self.expense, self.coordinator,
                 self.coordinator_on, self.assessment, self.shares, self.split_button,
                 self.collateral, self.add_collateral, self.remove_collateral,
                 self.ok_button, self.buttons.button(self.buttons.StandardButton.Cancel)]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._kind_changed()
        worker.submit(load_start, session, on_done=self._started,
                      on_error=lambda e: self.error.setText(error_text(e)))

    # ------------------------------------------------------------------ small helpers
    def _note(self, style: str = HINT_STYLE) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet(style)
        return label

    def _row(self, *widgets: QWidget) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            line.addWidget(widget, 1 if isinstance(widget, QLabel) else 0)
        if not any(isinstance(w, QLabel) for w in widgets):
            line.addStretch(1)
        return row

    @property
    def for_kube(self) -> bool:
        return self.as_kube.isChecked()

    def selected_product(self) -> FinancingProduct | None:
        code = self.product.currentData()
        if self.start is None or code is None:
            return None
        return next((p for p in self.start.products if p.code == code), None)

    # ------------------------------------------------------------------ loading
    @when_alive
    def _started(self, start: Start) -> None:
        self.start = start
        self.kube_choice.blockSignals(True)
        for row in start.kubes:
            self.kube_choice.addItem(f"{row.code} · {row.name} ({row.members})", row.id)
        self.kube_choice.blockSignals(False)
        if self._want_kube is not None:
            self.kube_choice.setCurrentIndex(max(0, self.kube_choice.findData(self._want_kube)))
        self._fill_products()
        if self.for_kube:
            self._load_applicant()
            self.product.setFocus()
        else:
            self.member_find.setFocus()

    def _kind_changed(self) -> None:
        kube_kind = self.for_kube
        self.left.setRowVisible(self.member_row, not kube_kind)
        self.left.setRowVisible(self.kube_row, kube_kind)
        self.shares_box.setVisible(kube_kind)
        self.facts = None
        self.applicant_note.clear()
        self._show_coordinator()
        if self.start is not None:
            self._fill_products()
            self._load_applicant()

    def _fill_products(self) -> None:
        if self.start is None:
            return
        keep = self.product.currentData()
        self.product.blockSignals(True)
        self.product.clear()
        for p in self.start.products:
            if (p.for_kube if self.for_kube else p.for_individual):
                self.product.addItem(f"{p.name} ({p.code})", p.code)
        index = self.product.findData(keep)
        self.product.setCurrentIndex(index if index >= 0 else 0)
        self.product.blockSignals(False)
        self._product_changed()

    def find_member(self) -> None:
        text = self.member_find.text().strip()
        if not text:
            return
        self._asked += 1
        asked = self._asked
        self.applicant_note.setStyleSheet(HINT_STYLE)
        self.applicant_note.setText(_("Looking up…"))
        self.worker.submit(search_members, self.session, text, MAX_FOUND,
                           on_done=lambda found: self._found(asked, found.rows),
                           on_error=lambda e: self._note_error(error_text(e)))

    @when_alive
    def _found(self, asked: int, rows: list[MemberRow]) -> None:
        if asked != self._asked:
            return
        rows = [r for r in rows if r.status == "aktif"]
        self.members_found = rows
        if not rows:
            self._note_error(_("No active member found for “{text}”.").format(
                text=self.member_find.text()[:40]))
            return
        self.member_choice.blockSignals(True)
        self.member_choice.clear()
        for row in rows:
            self.member_choice.addItem(f"{row.number} · {row.name} · {row.address}", row.id)
        self.member_choice.blockSignals(False)
        self.member_choice.setVisible(len(rows) > 1)
        self.member_choice.setCurrentIndex(0)
        self._member_picked(0)
        (self.member_choice if len(rows) > 1 else self.product).setFocus()

    def _member_picked(self, index: int) -> None:
        if 0 <= index < len(self.members_found):
            self.member = self.members_found[index]
            if len(self.members_found) == 1:
                self.member_find.setText(f"{self.member.number} · {self.member.name}")
            self._load_applicant()

    def _forget_member(self) -> None:
        self.member = None
        self.facts = None
        self.member_choice.setVisible(False)
        self.applicant_note.clear()
        self._show_coordinator()

    def _note_error(self, text: str) -> None:
        self.applicant_note.setStyleSheet(ERROR_STYLE)
        self.applicant_note.setText(text)

    def _load_applicant(self) -> None:
        product = self.selected_product()
        required = product.required_training if product is not None else ()
        member_id = None if self.for_kube else (self.member.id if self.member else None)
        kube_id = self.kube_choice.currentData() if self.for_kube else None
        if member_id is None and kube_id is None:
            return
        self._asked += 1
        asked = self._asked
        self.worker.submit(applicant_facts, self.session, member_id, kube_id, required,
                           on_done=lambda facts: self._applicant(asked, facts),
                           on_error=lambda e: self._note_error(error_text(e)))

    @when_alive
    def _applicant(self, asked: int, facts: ApplicantFacts) -> None:
        if asked != self._asked:
            return
        self.facts = facts
        info = facts.info
        lines, problem = [], bool(facts.training)
        if self.for_kube:
            lines.append(_("{n} members").format(n=len(info.members)))
            self._fill_shares(info.members)
        elif info.kube_id is not None:
            lines.append(_("Member of {kube}: individual financing needs the coordinator's "
                           "approval.").format(kube=info.kube_name))
            if facts.graduation:
                problem = True
                lines.append(_("Not yet ready: {missing}.").format(
                    missing="; ".join(facts.graduation)))
            if not self.coordinator.text():
                self.coordinator.setText(info.coordinator)
        else:
            lines.append(_("Not in a Kube."))
        if facts.training:
            lines.append(_("Required training not yet completed: {missing}.").format(
                missing="; ".join(facts.training[:5])))
        lines.append(_("Income from the latest visit: {amount}").format(
            amount=format_rupiah(info.income)) if info.income_known
            else _("No income recorded yet."))
        if not self._income_touched and info.income_known:
            self.income.set_value(info.income)
        self.applicant_note.setStyleSheet(ERROR_STYLE if problem else HINT_STYLE)
        self.applicant_note.setText("\n".join(lines))
        self._show_coordinator()
        self._update_burden()

    def _show_coordinator(self) -> None:
        needed = (not self.for_kube and self.facts is not None
                  and self.facts.info.kube_id is not None)
        self.left.setRowVisible(self.coordinator_row, needed)

    def _income_edited(self) -> None:
        self._income_touched = True
        self._update_burden()

    # ------------------------------------------------------------------ the product's ranges
    def _product_changed(self) -> None:
        product = self.selected_product()
        if product is None:
            self.product_note.setText(_("No product is offered for this kind of applicant.")
                                      if self.start is not None else "")
            return
        akad = product.akad
        notes = [_("{low} to {high}, {tmin}–{tmax} months").format(
            low=format_rupiah(product.min_amount), high=format_rupiah(product.max_amount),
            tmin=product.min_tenor_months, tmax=product.max_tenor_months)]
        if akad in MARGIN_AKAD:
            notes.append(_("margin {low} to {high} a year ({method})").format(
                low=rate_text(product.min_rate_bp), high=rate_text(product.max_rate_bp),
                method=product.method))
        if akad in PROFIT_SHARING:
            notes.append(_("nisbah {low}–{high} % for the BMT").format(
                low=product.min_nisbah_pct, high=product.max_nisbah_pct))
        notes.append(_("admin fee {fee}").format(fee=format_rupiah(product.admin_fee)))
        if product.collateral_required:
            notes.append(_("collateral required"))
        self.product_note.setText(" · ".join(notes))
        self.rate.setRange(product.min_rate_bp / 100, product.max_rate_bp / 100)
        self.nisbah.setRange(product.min_nisbah_pct, product.max_nisbah_pct)
        self.left.setRowVisible(self.rate, akad in MARGIN_AKAD)
        self.left.setRowVisible(self.nisbah, akad in PROFIT_SHARING)
        for widget in (self.goods, self.supplier, self.cost):
            self.left.setRowVisible(widget, akad == "murabahah")
        keep = self.frequency.currentData()
        self.frequency.blockSignals(True)
        self.frequency.clear()
        for key in FREQUENCIES:
            if key in product.frequencies:
                self.frequency.addItem(freq_text(key), key)
        index = self.frequency.findData(keep)
        if index < 0:
            index = max(0, self.frequency.findData("bulanan"))
        self.frequency.setCurrentIndex(index)
        self.frequency.blockSignals(False)
        self._frequency_changed()
        if self.facts is not None and product.required_training:
            self._load_applicant()

    def _frequency_changed(self) -> None:
        product = self.selected_product()
        frequency = self.frequency.currentData()
        if product is None or frequency is None:
            return
        low, high = instalment_range(product, frequency)
        wanted = self.instalments.value()
        self.instalments.blockSignals(True)
        self.instalments.setRange(low, high)
        year = min(high, max(low, FREQUENCIES[frequency]))
        self.instalments.setValue(wanted if low <= wanted <= high and wanted > 1 else year)
        self.instalments.blockSignals(False)
        self._update()

    # ------------------------------------------------------------------ the live figures
    def _terms(self) -> tuple[FinancingProduct, int, int, int, str] | None:
        product = self.selected_product()
        frequency = self.frequency.currentData()
        amount = self.amount.value()
        if product is None or frequency is None or amount is None:
            return None
        rate = round(self.rate.value() * 100) if product.akad in MARGIN_AKAD else 0
        return product, amount, rate, self.instalments.value(), frequency

    def _update(self) -> None:
        frequency = self.frequency.currentData()
        if frequency is not None:
            self.tenor_note.setText(_("× {freq} = {months} months").format(
                freq=freq_text(frequency), months=term_months(self.instalments.value(),
                                                              frequency)))
        terms = self._terms()
        self.schedule = []
        if terms is None:
            self.preview.set_rows([])
            self.preview_note.setStyleSheet(WORDS_STYLE)
            self.preview_note.setText(_("Type the amount to see the schedule."))
        else:
            product, amount, rate, count, frequency = terms
            try:
                self.schedule = build_schedule(
                    amount, rate, count, frequency,
                    first_due_after(self.session.today, frequency), method=product.method,
                    rounding_unit=product.rounding_unit)
            except ValidationError as error:
                self.preview.set_rows([])
                self.preview_note.setStyleSheet(ERROR_STYLE)
                self.preview_note.setText(error.message)
            else:
                self.preview.set_rows(self.schedule)
                margin = sum(i.margin for i in self.schedule)
                text = _("Instalment {amount} · margin {margin} · total repaid {total}\n"
                         "Admin fee {fee} · paid out {net}").format(
                    amount=format_rupiah(self.schedule[0].amount), margin=format_rupiah(margin),
                    total=format_rupiah(amount + margin), fee=format_rupiah(product.admin_fee),
                    net=format_rupiah(max(0, amount - product.admin_fee)))
                if not product.min_amount <= amount <= product.max_amount:
                    self.preview_note.setStyleSheet(ERROR_STYLE)
                    text = _("{product} finances {low} to {high}.").format(
                        product=product.name, low=format_rupiah(product.min_amount),
                        high=format_rupiah(product.max_amount)) + "\n" + text
                else:
                    self.preview_note.setStyleSheet(WORDS_STYLE)
                self.preview_note.setText(text)
        self._update_shares()
        self._update_burden()

    def _update_burden(self) -> None:
        frequency = self.frequency.currentData()
        if not self.schedule or frequency is None:
            self.burden.setStyleSheet(HINT_STYLE)
            self.burden.setText("–")
            return
        income, expense = self.income.value() or 0, self.expense.value() or 0
        ratio = burden_of(self.schedule[0].amount, frequency, income, expense)
        limit = self.start.max_burden_pct if self.start is not None else 40
        if ratio is None:
            self.burden.setStyleSheet(ERROR_STYLE)
            self.burden.setText(_("No surplus: expenses are not below income."))
            return
        over = ratio * 100 > limit
        self.burden.setStyleSheet(ERROR_STYLE if over else GOOD_STYLE)
        self.burden.setText(_("{pct} of the monthly surplus {surplus} (limit {limit} %)").format(
            pct=pct_text(ratio), surplus=format_rupiah(income - expense), limit=limit))

    # ------------------------------------------------------------------ shares
    def _fill_shares(self, members: list[tuple[int, str, str]]) -> None:
        self.shares.blockSignals(True)
        self.shares.setRowCount(len(members))
        for row, (member_id, number, name) in enumerate(members):
            self.shares.setItem(row, 0, _fixed_item(f"{name} ({number})", member_id))
            self.shares.setItem(row, 1, _money_item(None))
        self.shares.blockSignals(False)
        self._shares_typed = False
        self.split_equally()
        self._update_shares()

    def _share_typed(self) -> None:
        self._shares_typed = True
        self._update_shares()

    def _amount_changed(self) -> None:
        if self.for_kube and not self._shares_typed:
            self.split_equally()

    def split_equally(self) -> None:
        amount = self.amount.value()
        count = self.shares.rowCount()
        if not amount or not count:
            return
        self.shares.blockSignals(True)
        for row, part in enumerate(split_by_shares(amount, [1] * count)):
            self.shares.setItem(row, 1, _money_item(part))
        self.shares.blockSignals(False)
        self._update_shares()

    def share_values(self) -> list[tuple[int, int]]:
        """(member id, amount) of every member with a share (raises ValidationError)."""
        out = []
        for row in range(self.shares.rowCount()):
            value = _cell_amount(self.shares, row, 1, self.shares.item(row, 0).text(),
                                 allow_empty=True)
            if value:
                out.append((int(self.shares.item(row, 0).data(Qt.ItemDataRole.UserRole)),
                            value))
        return out

    def _update_shares(self) -> None:
        if not self.for_kube:
            return
        amount = self.amount.value() or 0
        try:
            total = sum(v for _m, v in self.share_values())
        except ValidationError as error:
            self.shares_note.setStyleSheet(ERROR_STYLE)
            self.shares_note.setText(error.message)
            return
        if total == amount:
            self.shares_note.setStyleSheet(GOOD_STYLE)
            self.shares_note.setText(_("Shares add up to {total}.").format(
                total=format_rupiah(total)))
        else:
            self.shares_note.setStyleSheet(ERROR_STYLE)
            self.shares_note.setText(_("Shares add up to {total}: {difference} {what}.").format(
                total=format_rupiah(total), difference=format_rupiah(abs(amount - total)),
                what=_("short") if total < amount else _("too much")))

    # ------------------------------------------------------------------ collateral
    def new_collateral(self) -> None:
        row = self.collateral.rowCount()
        self.collateral.blockSignals(True)
        self.collateral.insertRow(row)
        self.collateral.setItem(row, 0, QTableWidgetItem(""))
        self.collateral.setItem(row, 1, _money_item(None))
        self.collateral.setItem(row, 2, _money_item(None))
        self.collateral.blockSignals(False)
        self.collateral.setCurrentCell(row, 0)
        self.collateral.setFocus()
        self.collateral.editItem(self.collateral.item(row, 0))

    def drop_collateral(self) -> None:
        row = self.collateral.currentRow()
        if row >= 0:
            self.collateral.removeRow(row)

    def _collateral_changed(self) -> None:
        for row in range(self.collateral.rowCount()):
            for column in (1, 2):
                item = self.collateral.item(row, column)
                if item is None:
                    continue
                item.setForeground(self.palette().text())
                try:
                    _cell_amount(self.collateral, row, column, "", allow_empty=True)
                except ValidationError:
                    item.setForeground(WARN_FG)

    def collateral_values(self) -> list[Collateral]:
        out = []
        for row in range(self.collateral.rowCount()):
            item = self.collateral.item(row, 0)
            description = item.text().strip() if item is not None else ""
            value = _cell_amount(self.collateral, row, 1, _("Value of the collateral"),
                                 allow_empty=True)
            eligible = _cell_amount(self.collateral, row, 2, _("Eligible value"),
                                    allow_empty=True)
            if not description and value is None:
                continue
            if not description:
                raise ValidationError(_("Describe collateral number {n}.").format(n=row + 1))
            if value is None:
                raise ValidationError(_("Give the value of the collateral {name}.").format(
                    name=description[:40]))
            out.append(Collateral(description, value, value if eligible is None else eligible))
        return out

    # ------------------------------------------------------------------ submitting
    def call(self) -> Call:
        product = self.selected_product()
        if product is None:
            raise ValidationError(_("Choose a product."))
        amount = self.amount.value()
        if amount is None:
            self.amount.edit.setFocus()
            raise ValidationError(_("{field} must be filled in.").format(field=_("Amount")))
        if not product.min_amount <= amount <= product.max_amount:
            self.amount.edit.setFocus()
            raise ValidationError(_("{product} finances {low} to {high}.").format(
                product=product.name, low=format_rupiah(product.min_amount),
                high=format_rupiah(product.max_amount)))
        member_id = kube_id = None
        shares: list[tuple[int, int]] = []
        if self.for_kube:
            kube_id = self.kube_choice.currentData()
            if kube_id is None:
                raise ValidationError(_("Choose the Kube."))
            shares = self.share_values()
            total = sum(v for _m, v in shares)
            if total != amount:
                self.shares.setFocus()
                raise ValidationError(_("The members' shares add up to {total}, not the "
                                        "financing of {principal}.").format(
                    total=format_rupiah(total), principal=format_rupiah(amount)))
        else:
            if self.member is None:
                self.member_find.setFocus()
                raise ValidationError(_("Choose the member: type a number or name and press "
                                        "Enter."))
            member_id = self.member.id
        collateral = self.collateral_values()
        if product.collateral_required and not collateral:
            self.add_collateral.setFocus()
            raise ValidationError(_("{product} needs collateral.").format(product=product.name))
        if not self.purpose.text().strip():
            self.purpose.setFocus()
            raise ValidationError(_("{field} must be filled in.").format(field=_("Purpose")))
        coordinator_on = None
        needs_coordinator = self.left.isRowVisible(self.coordinator_row)
        if needs_coordinator and self.coordinator.text().strip():
            coordinator_on = self.coordinator_on.read(_("Coordinator's approval date"))
        akad = product.akad
        terms = self._terms()
        assert terms is not None
        data = ApplicationInput(
            product.code, amount, self.instalments.value(), self.frequency.currentData(),
            self.purpose.text(), member_id=member_id, kube_id=kube_id, rate_bp=terms[2],
            nisbah_pct=self.nisbah.value() if akad in PROFIT_SHARING else 0,
            goods=self.goods.text() if akad == "murabahah" else "",
            supplier=self.supplier.text() if akad == "murabahah" else "",
            cost_price=(self.cost.value() or 0) if akad == "murabahah" else 0,
            shares=shares, collateral=collateral, monthly_income=self.income.value(),
            monthly_expense=self.expense.value() or 0,
            assessment=self.assessment.toPlainText(),
            coordinator_name=self.coordinator.text() if needs_coordinator else "",
            coordinator_approved_on=coordinator_on)
        return financing.apply, (data,), {}
