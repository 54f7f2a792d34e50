"""Dialogs for deadlines: recording an event that starts periods, and the actions on one
deadline (完成, 延长, 扣除, 重新计算, 撤销). Each checks its fields where they are typed and
shows the service's refusal at the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from casedesk.domain.dates import DateError
from casedesk.domain.deadline_rules import TRIGGERS
from casedesk.domain.errors import FieldErrors
from casedesk.services.app import Services
from casedesk.services.dto import DeadlineView
from casedesk.ui.ops import Failed, attempt
from casedesk.ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.widgets.buttons import dialog_buttons
from casedesk.ui.widgets.fields import FieldGrid
from casedesk.ui.widgets.inputs import DateField


def _date(field: DateField, name: str, errors: dict[str, str]) -> date | None:
    try:
        return field.value()
    except DateError as exc:
        errors[name] = str(exc)
        return None


class TriggerDialog(QDialog):
    """记录期限事件: what happened and when; the periods it starts are listed as the user picks."""

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("记录期限事件")
        self.setObjectName("triggerDialog")
        self.services, self.case_id = services, case_id
        self.created: list[str] = []
        self._starts = services.deadlines.triggers_for(case_id)
        self.trigger = QComboBox()
        self.trigger.setObjectName("trigger")
        for code in self._starts:
            self.trigger.addItem(TRIGGERS[code], code)
        self.occurred_on = DateField()
        self.occurred_on.set_value(date.today())
        self.subject = QLineEdit()
        self.subject.setPlaceholderText("如：犯罪嫌疑人王某；某银行账户")
        self.note = QLineEdit()
        self.custody = QCheckBox("当事人在押：届满日遇节假日不顺延（刑诉法第105条第4款）")
        self.starts = QLabel()
        self.starts.setWordWrap(True)
        self.grid = FieldGrid()
        self.grid.add("trigger", "事件", self.trigger)
        self.grid.add("occurred_on", "日期", self.occurred_on)
        self.grid.add("subject", "涉及对象", self.subject)
        self.grid.add("note", "说明", self.note)
        self.grid.add("custody", "羁押", self.custody)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(self.starts)
        layout.addWidget(dialog_buttons("记录", self.save, self.reject))
        self.trigger.currentIndexChanged.connect(self._show_starts)
        self._show_starts()
        self.resize(560, 320)

    def _show_starts(self) -> None:
        code = self.trigger.currentData() or ""
        names = "、".join(self._starts.get(code, []))
        self.starts.setText(f"将开始计算：{names}" if names else "")
        rules = self.services.deadlines.rules_for_trigger(code)
        self.custody.setChecked(any(r.custody for r in rules))

    def save(self) -> None:
        errors: dict[str, str] = {}
        on = _date(self.occurred_on, "occurred_on", errors)
        if errors:
            self.grid.set_errors(errors)
            return
        try:
            self.created = attempt(
                self,
                self.services.deadlines.record_trigger,
                self.case_id,
                self.trigger.currentData() or "",
                on,
                note=self.note.text(),
                subject=self.subject.text(),
                custody=self.custody.isChecked(),
                grid=self.grid,
            )
        except Failed:
            return
        self.accept()


class ActionDialog(QDialog):
    """One action on one deadline: a few fields, then the service call."""

    def __init__(
        self,
        title: str,
        deadline: DeadlineView,
        fields: list[tuple[str, str, QWidget]],
        act: Callable[[dict], None],
        explain: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self._act = act
        self.inputs = {name: widget for name, _label, widget in fields}
        head = QLabel(
            f"{deadline.name}{('（' + deadline.subject + '）') if deadline.subject else ''}"
            f"　届满：{deadline.due}" + (f"\n{explain}" if explain else "")
        )
        head.setWordWrap(True)
        self.grid = FieldGrid()
        for name, label, widget in fields:
            self.grid.add(name, label, widget)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.grid)
        layout.addWidget(dialog_buttons("确定", self.save, self.reject))
        self.resize(520, 120 + 50 * len(fields))

    def values(self) -> dict:
        errors: dict[str, str] = {}
        values: dict = {}
        for name, widget in self.inputs.items():
            if isinstance(widget, DateField):
                values[name] = _date(widget, name, errors)
            elif isinstance(widget, QLineEdit):
                values[name] = widget.text()
        if errors:
            raise FieldErrors(errors)
        return values

    def save(self) -> None:
        try:
            values = attempt(self, self.values, grid=self.grid)
            attempt(self, self._act, values, grid=self.grid)
        except Failed:
            return
        self.accept()


def today_field() -> DateField:
    field = DateField()
    field.set_value(date.today())
    return field


def action_dialog(kind: str, services: Services, d: DeadlineView, parent: QWidget) -> ActionDialog:
    """The dialog for ``kind`` in 完成/延长/扣除/重新计算/撤销 on deadline ``d``."""
    dl = services.deadlines
    if kind == "meet":
        return ActionDialog("期限已完成", d, [("on", "完成日期", today_field()),
                                           ("note", "说明", QLineEdit())],
                            lambda v: dl.meet(d.id, v["on"], v["note"]), parent=parent)  # fmt: skip
    if kind == "extend":
        return ActionDialog(
            "延长期限", d,
            [("approver", "批准机关", QLineEdit()), ("approved_on", "批准日期", today_field()),
             ("document", "批准文书", QLineEdit())],
            lambda v: dl.extend(d.id, v["approver"], v["approved_on"], v["document"]),
            explain=f"本次：{d.next_extension}" if d.next_extension else "该期限没有可用的延长",
            parent=parent,
        )  # fmt: skip
    if kind == "suspend":
        days = QLineEdit()
        days.setPlaceholderText("天数")

        def suspend(v: dict) -> None:
            text = v["days"].strip()
            if not text.isdigit():
                raise FieldErrors({"days": "扣除天数应为正整数"})
            dl.suspend(d.id, int(text), v["reason"])

        return ActionDialog("扣除期间（不计入期限）", d,
                            [("days", "扣除天数", days), ("reason", "事由", QLineEdit())],
                            suspend, explain="如公告、鉴定、中止诉讼期间（民诉法解释第243条）",
                            parent=parent)  # fmt: skip
    if kind == "restart":
        return ActionDialog("重新计算期限", d, [("on", "新的起算日", today_field()),
                                            ("reason", "事由", QLineEdit())],
                            lambda v: dl.restart(d.id, v["on"], v["reason"]),
                            explain="如改变管辖、补充侦查完毕重新移送", parent=parent)  # fmt: skip
    return ActionDialog("撤销期限", d, [("reason", "撤销理由", QLineEdit())],
                        lambda v: dl.cancel(d.id, v["reason"]), parent=parent)  # fmt: skip
