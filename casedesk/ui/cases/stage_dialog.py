"""记录阶段变更: a dated stage change on the case's timeline."""

from __future__ import annotations

from datetime import date

from casedesk.domain.dates import DateError
from casedesk.domain.drafts import StageDraft, check_stage
from casedesk.domain.errors import FieldErrors
from casedesk.domain.vocabulary import stages_for
from casedesk.services.app import Services
from casedesk.services.dto import CaseDetail, EventView
from casedesk.ui.ops import Failed, attempt
from casedesk.ui.qt import QComboBox, QDialog, QLineEdit, QVBoxLayout, QWidget
from casedesk.ui.widgets.buttons import dialog_buttons
from casedesk.ui.widgets.fields import FieldGrid
from casedesk.ui.widgets.inputs import DateField


class StageDialog(QDialog):
    def __init__(self, services: Services, case: CaseDetail, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("记录阶段变更")
        self.setObjectName("stageDialog")
        self.services = services
        self.case = case
        self.occurred_on = DateField()
        self.occurred_on.set_value(date.today())
        self.stage = QComboBox()
        self.stage.setObjectName("stageChoice")
        stages = stages_for(case.family)
        for stage in stages:
            self.stage.addItem(stage, stage)
        if case.stage in stages and stages.index(case.stage) + 1 < len(stages):
            self.stage.setCurrentIndex(stages.index(case.stage) + 1)
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：开庭审理、送达判决书")
        self.grid = FieldGrid()
        self.grid.add("occurred_on", "日期", self.occurred_on)
        self.grid.add("stage", "阶段", self.stage, hint=f"当前阶段：{case.stage}")
        self.grid.add("note", "说明", self.note)
        buttons = dialog_buttons("记录", self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(buttons)
        self.occurred_on.edited.connect(self._check)
        self.resize(460, 220)

    def draft(self) -> StageDraft:
        try:
            day = self.occurred_on.value()
        except DateError as exc:
            raise FieldErrors({"occurred_on": str(exc)}) from exc
        return StageDraft(day, self.stage.currentData() or "", self.note.text())

    def _check(self) -> None:
        try:
            check_stage(self.draft(), self.case.family, self.case.accepted_on)
            self.grid.clear("occurred_on")
        except FieldErrors as exc:
            if "occurred_on" in exc.errors:
                self.grid.set_error("occurred_on", exc.errors["occurred_on"])
            else:
                self.grid.clear("occurred_on")

    def save(self) -> None:
        try:
            draft = attempt(self, self.draft, grid=self.grid)
            attempt(self, self.services.timeline.record_stage, self.case.id, draft, grid=self.grid)
        except Failed:
            return
        self.accept()


class MoveEntryDialog(QDialog):
    """更正日期 of a timeline entry (the periods an event started are counted again)."""

    def __init__(self, services: Services, entry: EventView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("更正日期")
        self.setObjectName("moveEntryDialog")
        self.services, self.entry = services, entry
        self.occurred_on = DateField()
        self.occurred_on.set_value(entry.occurred_on)
        self.grid = FieldGrid()
        hint = "该事件产生的期限将按新日期重新计算" if entry.kind == "trigger" else ""
        self.grid.add("occurred_on", entry.stage or "日期", self.occurred_on, hint=hint)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(dialog_buttons("更正", self.save, self.reject))
        self.resize(420, 150)

    def save(self) -> None:
        try:
            day = self.occurred_on.value()
        except DateError as exc:
            self.grid.set_error("occurred_on", str(exc))
            return
        try:
            attempt(self, self.services.timeline.move_entry, self.entry.id, day, grid=self.grid)
        except Failed:
            return
        self.accept()
