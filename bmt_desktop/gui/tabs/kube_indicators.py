"""The Kube's stage, its success indicators and the income chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from bmt_desktop.domain.kube_stage import STAGES, stage_label
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.gui.tabs.kube_chart import IncomeChart
from bmt_desktop.gui.tabs.kube_common import (
    HINT_STYLE,
    WARN_STYLE,
    button_bar,
    pct_change,
    text_label,
)
from bmt_desktop.gui.tabs.kube_pages import KubeFile, Page
from bmt_desktop.gui.tabs.teller_forms import (
    GOOD_STYLE,
)
from bmt_desktop.i18n import _
from bmt_desktop.services.kube import KubeRow

if TYPE_CHECKING:
    from bmt_desktop.gui.tabs.kube_tab import KubeDetail


class IndicatorsPage(Page):
    """The stage in force, what is met and missing, the success indicators and the chart."""

    def __init__(self, detail: KubeDetail) -> None:
        super().__init__(detail)
        self.stage = text_label("font-size: 12pt; font-weight: bold;")
        self.override = text_label(WARN_STYLE)
        self.met = text_label(GOOD_STYLE)
        self.missing = text_label(WARN_STYLE)
        self.stage_button = self.button(_("Override the stage…"), detail.override_stage,
                                        Action.KUBE_STAGE)
        self.values: dict[str, QLabel] = {}
        numbers = QWidget()
        grid = QGridLayout(numbers)
        grid.setContentsMargins(0, 6, 0, 0)
        grid.setVerticalSpacing(4)
        for row, (key, title) in enumerate((
                ("trained", _("Knowledge and skills")), ("problems", _("Problems solved")),
                ("income", _("Family income")), ("savings", _("Members' savings")),
                ("iks", _("IKS balance")), ("bank", _("Bank linkage")))):
            name = QLabel(title)
            name.setStyleSheet(HINT_STYLE)
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.values[key] = text_label()
            grid.addWidget(name, row, 0)
            grid.addWidget(self.values[key], row, 1)
        grid.setColumnStretch(1, 1)
        self.chart = IncomeChart()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.stage)
        column.addWidget(self.override)
        column.addWidget(self.met)
        column.addWidget(self.missing)
        column.addWidget(button_bar(self.stage_button))
        heading = QLabel(_("Success indicators"))
        heading.setStyleSheet("font-weight: bold;")
        column.addWidget(heading)
        column.addWidget(numbers)
        column.addStretch(1)
        scroll = QScrollArea()  # a small window scrolls the read-outs rather than clip them
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.viewport().setAutoFillBackground(False)  # the tab page's colour shows through
        left.setAutoFillBackground(False)
        self.scroll = scroll
        layout = QHBoxLayout(self)
        layout.addWidget(scroll, 5)
        layout.addWidget(self.chart, 6)

    def show_file(self, row: KubeRow, file: KubeFile) -> None:
        stage, found = file.stage, file.indicators
        self.stage.setText(_("Stage: {stage}").format(stage=stage_label(stage.stage)))
        if stage.override_reason:
            self.override.setText(_("Set by the manager (the books show {computed}): "
                                    "{reason}").format(
                computed=stage_label(stage.computed.stage), reason=stage.override_reason))
        self.override.setVisible(bool(stage.override_reason))
        self.met.setText("\n".join(f"✔ {text}" for text in stage.computed.met))
        self.met.setVisible(bool(stage.computed.met))
        if stage.computed.missing:
            following = STAGES[min(STAGES.index(stage.computed.stage) + 1, len(STAGES) - 1)]
            self.missing.setText(_("Missing for {stage}:").format(
                stage=stage_label(following)) + "\n" + "\n".join(
                f"✘ {text}" for text in stage.computed.missing))
        else:
            self.missing.setText(_("Every condition of the highest stage is met."))
        trained = (_("waiting for the training module") if found.trained is None else
                   _("{n} of {members} members trained").format(n=found.trained,
                                                                members=found.members))
        raised, solved = found.problems_raised, found.problems_solved
        self.values["trained"].setText(trained)
        self.values["problems"].setText(
            _("{solved} of {raised} raised ({pct} %)").format(
                solved=solved, raised=raised, pct=100 * solved // raised)
            if raised else _("no problems recorded yet"))
        self.values["income"].setText(_("{before} at entry → {after} now ({change})").format(
            before=format_rupiah(found.income_baseline), after=format_rupiah(found.income_latest),
            change=pct_change(found.income_baseline, found.income_latest)))
        self.values["savings"].setText(format_rupiah(found.savings_total))
        self.values["iks"].setText(format_rupiah(found.iks_balance))
        self.values["bank"].setText(found.bank_linkage or _("not linked with a bank yet"))
        self.chart.set_points(file.series)
