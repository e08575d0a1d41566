"""A session's register: participants down, the session's days across as checkboxes, then
the pre- and post-test scores, the days present and whether the participant completed.

Changes wait in the model until they are saved in one service call (all or nothing). Space
ticks the current day cell, typing a number edits a score, a day's header ticks the whole
day. Days still to come, cancelled sessions and read-only users see the register only.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from bmt_desktop.domain.dates import format_date_id
from bmt_desktop.i18n import _
from bmt_desktop.services import training
from bmt_desktop.services.training import Mark, ParticipantRow, Score, SessionDetail

_Index = QModelIndex | QPersistentModelIndex
FIXED = 3  # No., name, Kube (or staff)
NAME_WIDTH = 220  # pixels at most for the name column
CHANGED = QColor("#fff4ce")
LATER = QColor("#eeeeee")
DONE = QColor("#1b7f3b")
NOT_DONE = QColor("#8a4b00")


def day_header(day: dt.date) -> str:
    """``Rab`` over ``18 Feb``: weekday and date in two lines, narrow enough for a checkbox."""
    return format_date(day, "EEE", locale="id") + "\n" + format_date(day, "d MMM", locale="id")


class RegisterModel(QAbstractTableModel):
    """The register of one session with the changes not yet saved."""

    changed = Signal()  # something was ticked or typed (or the changes were dropped)
    refused = Signal(str)  # a typed score was not accepted: the message for the user

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: SessionDetail | None = None
        self.today = dt.date.today()
        self.editable = False
        self.marks: dict[tuple[int, str], bool] = {}
        self.scores: dict[int, tuple[int | None, int | None]] = {}

    # ------------------------------------------------------------------ content
    def show_detail(self, detail: SessionDetail | None, today: dt.date, editable: bool) -> None:
        """Show ``detail``; the same session read again keeps the changes not yet saved."""
        marks: dict[tuple[int, str], bool] = {}
        scores: dict[int, tuple[int | None, int | None]] = {}
        if detail is not None and self.detail is not None and detail.row.id == self.detail.row.id:
            saved = {p.id: (p.pre_score, p.post_score) for p in detail.participants}
            marks = {key: value for key, value in self.marks.items()
                     if key[0] in saved and detail.attendance.get(key) != value}
            scores = {key: pair for key, pair in self.scores.items()
                      if key in saved and saved[key] != pair}
        self.beginResetModel()
        self.detail, self.today = detail, today
        self.editable = editable and detail is not None and detail.row.status != "batal"
        self.marks, self.scores = marks, scores
        self.endResetModel()
        self.changed.emit()

    @property
    def days(self) -> list[dt.date]:
        return self.detail.days if self.detail is not None else []

    @property
    def participants(self) -> list[ParticipantRow]:
        return self.detail.participants if self.detail is not None else []

    def has_changes(self) -> bool:
        return bool(self.marks or self.scores)

    def pending_marks(self) -> list[Mark]:
        return [Mark(pid, day, present) for (pid, day), present in sorted(self.marks.items())]

    def pending_scores(self) -> list[Score]:
        return [Score(pid, pre, post) for pid, (pre, post) in sorted(self.scores.items())]

    def present(self, person: ParticipantRow, day: dt.date) -> bool | None:
        """Present, absent, or None when the day is not recorded."""
        key = (person.id, day.isoformat())
        if key in self.marks:
            return self.marks[key]
        assert self.detail is not None
        return self.detail.attendance.get(key)

    def score(self, person: ParticipantRow) -> tuple[int | None, int | None]:
        return self.scores.get(person.id, (person.pre_score, person.post_score))

    def present_days(self, person: ParticipantRow) -> int:
        return sum(1 for day in self.days if self.present(person, day))

    def completed(self, person: ParticipantRow) -> bool:
        assert self.detail is not None
        return training.is_complete(self.present_days(person), len(self.days),
                                    self.detail.row.completion_pct)

    def day_of(self, column: int) -> dt.date | None:
        index = column - FIXED
        return self.days[index] if 0 <= index < len(self.days) else None

    def column_of(self, name: str) -> int:
        return FIXED + len(self.days) + ("pre", "post", "present", "result").index(name)

    def person(self, row: int) -> ParticipantRow:
        return self.participants[row]

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.participants)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.detail is None else FIXED + len(self.days) + 4

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or self.detail is None:
            return None
        day = self.day_of(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if day is not None:
                return day_header(day)
            fixed = (_("No."), _("Name"), _("Kube"))
            if section < FIXED:
                return fixed[section]
            return (_("Pre"), _("Post"), _("Present"), _("Result"))[
                section - FIXED - len(self.days)]
        if role == Qt.ItemDataRole.ToolTipRole and day is not None:
            return format_date_id(day, weekday=True) + (
                "\n" + _("Click to mark everyone present on this day.") if self.day_open(day)
                else "")
        return None

    def day_open(self, day: dt.date) -> bool:
        return self.editable and day <= self.today

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        day = self.day_of(index.column())
        if day is not None and self.day_open(day):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if self.editable and index.column() in (self.column_of("pre"), self.column_of("post")):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.participants):
            return None
        person = self.person(index.row())
        column = index.column()
        day = self.day_of(column)
        if day is not None:
            return self._day_data(person, day, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(person, index.row(), column)
        if role == Qt.ItemDataRole.EditRole:
            pre, post = self.score(person)
            value = pre if column == self.column_of("pre") else post
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column not in (1, 2):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.column_of("result"):
            return QBrush(DONE if self.completed(person) else NOT_DONE)
        if role == Qt.ItemDataRole.BackgroundRole and column in (
                self.column_of("pre"), self.column_of("post")) and person.id in self.scores:
            return QBrush(CHANGED)
        return None

    def _text(self, person: ParticipantRow, row: int, column: int) -> str:
        if column == 0:
            return str(row + 1)
        if column == 1:
            return person.name + (f" ({person.number})" if person.number else "")
        if column == 2:
            if person.role == "pengurus":
                return f"{person.kube_name} · {training.role_label(person.role)}"
            return person.kube_name or (training.role_label(person.role)
                                        if person.role == "staf" else "–")
        pre, post = self.score(person)
        if column == self.column_of("pre"):
            return "–" if pre is None else str(pre)
        if column == self.column_of("post"):
            return "–" if post is None else str(post)
        present, days = self.present_days(person), len(self.days)
        if column == self.column_of("present"):
            return f"{present}/{days} · {training.attendance_pct(present, days)} %"
        if self.completed(person):
            return _("completed")
        assert self.detail is not None
        return _("not yet") if self.detail.row.end_date >= self.today.isoformat() \
            else _("not completed")

    def _day_data(self, person: ParticipantRow, day: dt.date, role: int) -> object:
        present = self.present(person, day)
        if role == Qt.ItemDataRole.CheckStateRole:
            if day > self.today and present is None:
                return None
            return Qt.CheckState.Checked if present else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            if (person.id, day.isoformat()) in self.marks:
                return QBrush(CHANGED)
            return QBrush(LATER) if day > self.today else None
        if role == Qt.ItemDataRole.ToolTipRole:
            when = format_date_id(day)
            if day > self.today:
                return _("{name}, {date}: the day has not come yet.").format(
                    name=person.name, date=when)
            state = (_("present") if present else _("absent") if present is False
                     else _("not recorded yet"))
            return f"{person.name}, {when}: {state}"
        return None

    def setData(self, index: _Index, value: object,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self.flags(index) & (
                Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable):
            return False
        person = self.person(index.row())
        day = self.day_of(index.column())
        if day is not None and role == Qt.ItemDataRole.CheckStateRole:
            self._mark(person, day, Qt.CheckState(value) == Qt.CheckState.Checked)
            return True
        if day is None and role == Qt.ItemDataRole.EditRole:
            return self._type_score(person, index.column(), str(value or "").strip())
        return False

    def _mark(self, person: ParticipantRow, day: dt.date, present: bool) -> None:
        key = (person.id, day.isoformat())
        assert self.detail is not None
        if self.detail.attendance.get(key) == present:
            self.marks.pop(key, None)
        else:
            self.marks[key] = present
        row = self.participants.index(person)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.changed.emit()

    def _type_score(self, person: ParticipantRow, column: int, text: str) -> bool:
        if text and (not text.isdigit() or not 0 <= int(text) <= 100):
            self.refused.emit(_("{name}: a score is a whole number from 0 to 100, not "
                                "“{text}”.").format(name=person.name, text=text[:10]))
            return False
        value = int(text) if text else None
        pre, post = self.score(person)
        pair = (value, post) if column == self.column_of("pre") else (pre, value)
        if pair == (person.pre_score, person.post_score):
            self.scores.pop(person.id, None)
        else:
            self.scores[person.id] = pair
        row = self.participants.index(person)
        self.dataChanged.emit(self.index(row, column), self.index(row, column))
        self.changed.emit()
        return True

    def mark_day(self, column: int, present: bool = True) -> bool:
        """Everyone present (or absent) on the day of ``column``; False for no open day."""
        day = self.day_of(column)
        if day is None or not self.day_open(day) or not self.participants:
            return False
        for person in self.participants:
            self._mark(person, day, present)
        return True

    def drop_changes(self) -> None:
        self.beginResetModel()
        self.marks.clear()
        self.scores.clear()
        self.endResetModel()
        self.changed.emit()


class RegisterView(QTableView):
    """The register table: a day's header marks the day, Space ticks, digits type a score."""

    def __init__(self, model: RegisterModel) -> None:
        super().__init__()
        self.setModel(model)
        self.setObjectName("trainingRegister")
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._header_clicked)
        model.modelReset.connect(self._stretch_name)

    def _stretch_name(self) -> None:
        """Every column as wide as it needs, the name column at most NAME_WIDTH."""
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if self.model().columnCount() > 1:  # a long name is cut rather than the days hidden
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
            self.resizeColumnToContents(1)
            header.resizeSection(1, min(header.sectionSize(1), NAME_WIDTH))

    def _header_clicked(self, column: int) -> None:
        model = self.model()
        assert isinstance(model, RegisterModel)
        model.mark_day(column)

    def current_person(self) -> ParticipantRow | None:
        index = self.currentIndex()
        model = self.model()
        assert isinstance(model, RegisterModel)
        return model.person(index.row()) if index.isValid() else None
