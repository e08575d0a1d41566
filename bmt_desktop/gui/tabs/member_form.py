"""The registration and edit form of a member (a dialog); the service checks, the form shows.

A valid NIK shows at once what it encodes (birth date and sex) and fills those fields while
they are empty; a typed value that contradicts it is flagged beside the field. OK hands the
data to the worker and stays disabled until the answer comes: one press, one registration.
A refusal appears in red under the form and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from babel.numbers import format_decimal
from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QCloseEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.domain.errors import BmtError, ValidationError
from bmt_desktop.domain.nik import NikInfo, parse_nik
from bmt_desktop.domain.permissions import Action, is_allowed
from bmt_desktop.gui.tabs.lazy_model import when_alive
from bmt_desktop.gui.worker import Worker
from bmt_desktop.i18n import _
from bmt_desktop.services.members import (
    MemberInput,
    MemberRow,
    get_member,
    register_member,
    update_member,
)
from bmt_desktop.services.savings import AccountRow, ProductRow, list_products, open_account
from bmt_desktop.services.session import Session

ERROR_STYLE = "color: #b00020;"
HINT_STYLE = "color: #555;"
OPEN_ON_JOINING = ("pokok", "wajib", "sukarela")  # accounts offered right after registering
NIK_DIGITS = 16
_DATE = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$")


def parse_typed_date(text: str, label: str | None = None) -> dt.date | None:
    """"14-06-1979", "14/6/1979", "14.06.1979", "14061979" or "1979-06-14"; empty is None.

    Raises ValidationError naming ``label`` (the birth date by default) for anything else.
    """
    text = text.strip()
    if not text:
        return None
    try:
        if match := _DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[4:]), int(text[2:4]), int(text[:2]))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("{field} is not a date: write it like 14-06-1979.").format(
            field=label or _("Birth date"))) from None


def typed_date(day: dt.date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def group_digits(amount: int) -> str:
    """``1500000`` → ``"1.500.000"``."""
    return format_decimal(amount, locale="id_ID")


def sex_label(sex: str) -> str:
    return {"L": _("male"), "P": _("female")}.get(sex, "–")


class RupiahEdit(QLineEdit):
    """Whole rupiah, shown as "Rp1.500.000" while typing; empty means not given."""

    def __init__(self) -> None:
        super().__init__()
        self.setPlaceholderText("Rp")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.textEdited.connect(self._regroup)

    def value(self) -> int | None:
        digits = "".join(ch for ch in self.text() if ch.isdigit() and ch.isascii())
        return int(digits) if digits else None

    def set_value(self, amount: int | None) -> None:
        self.setText("" if amount is None else "Rp" + group_digits(amount))

    def _regroup(self, text: str) -> None:
        before = sum(ch.isdigit() for ch in text[:self.cursorPosition()])
        digits = "".join(ch for ch in text if ch.isdigit() and ch.isascii()).lstrip("0")
        if not digits and any(ch == "0" for ch in text):
            digits = "0"
        shown = "Rp" + group_digits(int(digits[:13])) if digits else ""
        if shown == text:
            return
        self.setText(shown)
        position, seen = len(shown), 0
        for i, ch in enumerate(shown):
            if seen == before:
                position = i
                break
            seen += ch.isdigit()
        self.setCursorPosition(max(position, 2) if shown else 0)


@dataclass
class Registered:
    """A new member and the accounts opened for them (and why any could not be opened)."""

    member: MemberRow
    accounts: list[AccountRow] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def register_with_accounts(session: Session, data: MemberInput,
                           product_codes: list[str]) -> Registered:
    """Register, then open the chosen accounts (each its own service call, on the worker)."""
    result = Registered(register_member(session, data))
    for code in product_codes:
        try:
            result.accounts.append(open_account(session, result.member.id, code))
        except BmtError as error:
            result.failures.append(error.message)
    return result


def _digits_only(edit: QLineEdit, most: int) -> None:
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(rf"[0-9]{{0,{most}}}"),
                                                  edit))
    edit.setMaxLength(most)


class MemberForm(QDialog):
    """New member when ``member`` is None, else that member's data to change."""

    saved = Signal(object)  # Registered for a new member, MemberRow after a change

    def __init__(self, session: Session, worker: Worker, member: MemberRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.worker, self.member = session, worker, member
        self.busy = False
        self.result_value: Registered | MemberRow | None = None
        self._status = "aktif"
        self._nik_info: NikInfo | None = None
        self._auto_birth = ""
        self._auto_sex = ""
        self._products: dict[str, QCheckBox] = {}
        self.setWindowTitle(_("New member") if member is None else
                            _("Change the data of {name} ({number})").format(
                                name=member.name, number=member.number))
        self.setModal(True)
        self._build()
        self.setMinimumWidth(820)
        self._nik_changed()
        self._loading = True
        self.ok.setEnabled(False)
        if member is None:
            self.join_date.setText(typed_date(session.today))
            may_open = (is_allowed(session.role, Action.SAVINGS_OPEN)
                        and not session.book.read_only)
            self.accounts_box.setVisible(may_open)
            if may_open:
                self.worker.submit(list_products, session, on_done=self._products_loaded,
                                   on_error=self._load_failed)
            else:
                self._loaded()
        else:
            self.accounts_box.setVisible(False)
            self.worker.submit(get_member, session, member.id, on_done=self._member_loaded,
                               on_error=self._load_failed)

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.nik = QLineEdit()
        self.nik.setMaxLength(24)
        self.nik.setPlaceholderText(_("16 digits"))
        self.nik_hint = QLabel()
        self.nik_hint.setMinimumHeight(self.fontMetrics().height() + 2)
        self.sex = QComboBox()
        for code, text in (("", "–"), ("L", _("Male (L)")), ("P", _("Female (P)"))):
            self.sex.addItem(text, code)
        self.sex_flag = _flag()
        self.birth_place = QLineEdit()
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(_("DD-MM-YYYY"))
        self.birth_date.setMaxLength(10)
        self.birth_flag = _flag()
        self.kk_number = QLineEdit()
        _digits_only(self.kk_number, NIK_DIGITS)
        self.kk_number.setPlaceholderText(_("16 digits"))

        identity = QGroupBox(_("Identity"))
        form = _form(identity)
        form.addRow(_("Name"), self.name)
        form.addRow(_("NIK"), self.nik)
        form.addRow("", self.nik_hint)
        form.addRow(_("Sex"), _beside(self.sex, self.sex_flag))
        form.addRow(_("Birth place"), self.birth_place)
        form.addRow(_("Birth date"), _beside(self.birth_date, self.birth_flag))
        form.addRow(_("Family card number"), self.kk_number)

        self.rt, self.rw = QLineEdit(), QLineEdit()
        for edit in (self.rt, self.rw):
            _digits_only(edit, 3)
            edit.setMaximumWidth(60)
        self.desa, self.kecamatan, self.kabupaten = QLineEdit(), QLineEdit(), QLineEdit()
        self.phone = QLineEdit()
        _digits_only(self.phone, 15)
        rt_rw_row = QWidget()
        rt_rw = QHBoxLayout(rt_rw_row)
        rt_rw.setContentsMargins(0, 0, 0, 0)
        rt_rw.addWidget(self.rt)
        rt_rw.addWidget(QLabel(_("RW")))
        rt_rw.addWidget(self.rw)
        rt_rw.addStretch(1)
        address = QGroupBox(_("Address"))
        form = _form(address)
        form.addRow(_("RT"), rt_rw_row)
        form.addRow(_("Village"), self.desa)
        form.addRow(_("District"), self.kecamatan)
        form.addRow(_("Regency"), self.kabupaten)
        form.addRow(_("Phone"), self.phone)

        self.occupation, self.business_type = QLineEdit(), QLineEdit()
        self.household_size = QSpinBox()
        self.household_size.setRange(0, 50)
        self.household_size.setSpecialValueText("–")
        self.household_size.setSuffix(_(" people"))
        self.dtks = QCheckBox(_("Listed in the DTKS (social welfare data)"))
        self.monthly_income = RupiahEdit()
        self.heir = QLineEdit()
        self.join_date = QLineEdit()
        self.join_date.setPlaceholderText(_("DD-MM-YYYY"))
        self.join_date.setMaxLength(10)
        work = QGroupBox(_("Business and family"))
        form = _form(work)
        form.addRow(_("Occupation"), self.occupation)
        form.addRow(_("Business type"), self.business_type)
        form.addRow(_("Household size"), self.household_size)
        form.addRow("", self.dtks)
        form.addRow(_("Monthly income"), self.monthly_income)
        form.addRow(_("Heir"), self.heir)
        form.addRow(_("Join date"), self.join_date)

        self.accounts_box = QGroupBox(_("Savings accounts to open"))
        self.accounts_layout = QVBoxLayout(self.accounts_box)
        self.accounts_note = QLabel(_("Opened right after registering; the simpanan pokok is "
                                      "paid at the cash desk."))
        self.accounts_note.setWordWrap(True)
        self.accounts_note.setStyleSheet(HINT_STYLE)
        self.accounts_layout.addWidget(self.accounts_note)

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Register") if self.member is None else _("Save"))
        self.ok.setDefault(True)
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setText(_("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        groups = QWidget()
        grid = QGridLayout(groups)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(identity, 0, 0)
        grid.addWidget(address, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(work, 1, 0)
        grid.addWidget(self.accounts_box, 1, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(groups)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.nik.textChanged.connect(self._nik_changed)
        self.birth_date.textChanged.connect(self._check_against_nik)
        self.sex.currentIndexChanged.connect(self._check_against_nik)
        self._chain_tab_order()

    def tab_order(self) -> list[QWidget]:
        """The widgets in the order Tab visits them: down each group, then the buttons."""
        return [self.name, self.nik, self.sex, self.birth_place, self.birth_date,
                self.kk_number, self.rt, self.rw, self.desa, self.kecamatan, self.kabupaten,
                self.phone, self.occupation, self.business_type, self.household_size,
                self.dtks, self.monthly_income, self.heir, self.join_date,
                *self._products.values(), self.ok, self.cancel]

    def _chain_tab_order(self) -> None:
        order = self.tab_order()
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------------ loading
    @when_alive
    def _products_loaded(self, products: list[ProductRow]) -> None:
        for kind in OPEN_ON_JOINING:
            product = next((p for p in products if p.kind == kind and p.active), None)
            if product is None:
                continue
            box = QCheckBox(f"{product.name} ({product.code})")
            box.setChecked(True)
            self._products[product.code] = box
            self.accounts_layout.insertWidget(self.accounts_layout.count() - 1, box)
            box.show()  # now, not on the next turn of the event loop: Tab must find it
        self._chain_tab_order()
        self._loaded()

    @when_alive
    def _member_loaded(self, data: MemberInput) -> None:
        self._status = data.status
        self.name.setText(data.name)
        self.nik.setText(data.nik or "")
        self.sex.setCurrentIndex(max(0, self.sex.findData(data.sex or "")))
        self.birth_place.setText(data.birth_place or "")
        if data.birth_date:
            self.birth_date.setText(typed_date(dt.date.fromisoformat(str(data.birth_date))))
        self.kk_number.setText(data.kk_number or "")
        self.rt.setText((data.rt or "").lstrip("0") or data.rt or "")
        self.rw.setText((data.rw or "").lstrip("0") or data.rw or "")
        self.desa.setText(data.desa or "")
        self.kecamatan.setText(data.kecamatan or "")
        self.kabupaten.setText(data.kabupaten or "")
        self.phone.setText(data.phone or "")
        self.occupation.setText(data.occupation or "")
        self.business_type.setText(data.business_type or "")
        self.household_size.setValue(data.household_size or 0)
        self.dtks.setChecked(bool(data.dtks))
        self.monthly_income.set_value(data.monthly_income)
        self.heir.setText(data.heir or "")
        if data.join_date:
            self.join_date.setText(typed_date(dt.date.fromisoformat(str(data.join_date))))
        self._auto_birth, self._auto_sex = "", ""
        self._loaded()

    def _loaded(self) -> None:
        self._loading = False
        self.ok.setEnabled(True)
        self.name.setFocus()

    @when_alive
    def _load_failed(self, error: BaseException) -> None:
        self._loading = False
        self.show_error(str(error))

    # ------------------------------------------------------------------ the NIK
    def _nik_changed(self) -> None:
        text = self.nik.text().strip().replace(" ", "").replace(".", "")
        self._nik_info = None
        if not text:
            _say(self.nik_hint, _("The birth date and sex are read from the NIK."), HINT_STYLE)
        elif len(text) < NIK_DIGITS and text.isdigit():
            _say(self.nik_hint, _("{n} of 16 digits").format(n=len(text)), HINT_STYLE)
        else:
            try:
                info = parse_nik(text, today=self.session.today)
            except ValidationError as error:
                _say(self.nik_hint, error.message, ERROR_STYLE)
            else:
                self._nik_info = info
                _say(self.nik_hint, _("According to the NIK: born {date}, {sex}").format(
                    date=format_date_id(info.birth_date), sex=sex_label(info.sex)), HINT_STYLE)
                self._fill_from_nik(info)
        self._check_against_nik()

    def _fill_from_nik(self, info: NikInfo) -> None:
        """Fill birth date and sex while empty (or still as a previous NIK filled them)."""
        current = self.birth_date.text().strip()
        if not current or current == self._auto_birth:
            self._auto_birth = typed_date(info.birth_date)
            self.birth_date.setText(self._auto_birth)
        if self.sex.currentData() in ("", self._auto_sex):
            self._auto_sex = info.sex
            self.sex.setCurrentIndex(self.sex.findData(info.sex))

    def _check_against_nik(self) -> None:
        info = self._nik_info
        try:
            birth = parse_typed_date(self.birth_date.text())
        except ValidationError:
            _say(self.birth_flag, _("✗ write it like 14-06-1979"), ERROR_STYLE)
        else:
            wrong = info is not None and birth is not None and birth != info.birth_date
            _say(self.birth_flag, _("✗ the NIK says {date}").format(
                date=format_date_id(info.birth_date)) if wrong and info else "", ERROR_STYLE)
        sex = self.sex.currentData()
        wrong_sex = info is not None and sex and sex != info.sex
        _say(self.sex_flag, _("✗ the NIK says {sex}").format(
            sex=sex_label(info.sex)) if wrong_sex and info else "", ERROR_STYLE)

    # ------------------------------------------------------------------ saving
    def member_input(self) -> MemberInput:
        """What the form holds; raises ValidationError for a date that cannot be read."""
        return MemberInput(
            name=self.name.text(), nik=self.nik.text(), sex=self.sex.currentData() or "",
            birth_place=self.birth_place.text(),
            birth_date=parse_typed_date(self.birth_date.text()),
            kk_number=self.kk_number.text(), rt=self.rt.text(), rw=self.rw.text(),
            desa=self.desa.text(), kecamatan=self.kecamatan.text(),
            kabupaten=self.kabupaten.text(), phone=self.phone.text(),
            occupation=self.occupation.text(), business_type=self.business_type.text(),
            household_size=self.household_size.value() or None, dtks=self.dtks.isChecked(),
            monthly_income=self.monthly_income.value(), heir=self.heir.text(),
            join_date=parse_typed_date(self.join_date.text(), _("Join date")),
            status=self._status,
        )

    def chosen_products(self) -> list[str]:
        return [code for code, box in self._products.items() if box.isChecked()]

    def submit(self) -> None:
        """OK: hand the data to the worker once; the button stays off until the answer."""
        if self.busy or self._loading:
            return
        try:
            data = self.member_input()
        except ValidationError as error:
            self.show_error(error.message)
            return
        self.busy = True
        self.ok.setEnabled(False)
        self.error.setText("")
        if self.member is None:
            self.worker.submit(register_with_accounts, self.session, data,
                               self.chosen_products(), on_done=self._saved,
                               on_error=self._refused)
        else:
            self.worker.submit(update_member, self.session, self.member.id, data,
                               on_done=self._saved, on_error=self._refused)

    @when_alive
    def _saved(self, result: Registered | MemberRow) -> None:
        self.busy = False
        self.result_value = result
        self.saved.emit(result)
        super().accept()

    @when_alive
    def _refused(self, error: BaseException) -> None:
        self.busy = False
        self.ok.setEnabled(True)
        self.show_error(str(error))

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def accept(self) -> None:
        self.submit()

    def reject(self) -> None:
        if not self.busy:  # the registration is on its way: wait for its answer
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.busy:
            event.ignore()
        else:
            super().closeEvent(event)


def _form(box: QGroupBox) -> QFormLayout:
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return form


def _flag() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    return label


def _beside(field_widget: QWidget, flag: QLabel) -> QWidget:
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(field_widget, 1)
    line.addWidget(flag)
    return row


def _say(label: QLabel, text: str, style: str) -> None:
    label.setText(text)
    label.setStyleSheet(style)
