"""挂牌督办 and 销号 of a 挂案: each dialog checks what is typed, shows the service's refusal at
its field, and saves nothing until everything is right."""

from __future__ import annotations

from datetime import date

from casedesk.domain.dates import DateError
from casedesk.domain.stalled import OUTCOMES, CloseOffDraft, SupervisionDraft
from casedesk.services.app import Services
from casedesk.services.stalled import LedgerRow
from casedesk.ui.ops import Failed, attempt
from casedesk.ui.qt import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.widgets.buttons import dialog_buttons
from casedesk.ui.widgets.fields import HINT_STYLE, FieldGrid
from casedesk.ui.widgets.inputs import DateField

LAW = "依据：最高人民检察院、公安部《关于公安机关办理经济犯罪案件的若干规定》第25条"


def _dates(grid: FieldGrid, fields: dict[str, DateField]) -> dict[str, date | None] | None:
    """The typed dates, or None after showing which ones are not dates."""
    values: dict[str, date | None] = {}
    errors: dict[str, str] = {}
    for name, field in fields.items():
        try:
            values[name] = field.value()
        except DateError as exc:
            errors[name] = str(exc)
    if errors:
        grid.set_errors(errors)
        return None
    return values


def _heading(row: LedgerRow) -> QLabel:
    label = QLabel(
        f"<b>{row.case_number}</b>　{row.cause}　承办人：{row.handler or '—'}<br>"
        f"挂案情形：{row.threshold_label}"
        + (f"（自 {row.since} 起，已 {row.days_stalled} 日）" if row.since else "")
    )
    label.setWordWrap(True)
    return label


def _text_box(lines: int, parent: QWidget) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(parent.fontMetrics().height() * lines + 14)
    return box


class SupervisionDialog(QDialog):
    """挂牌督办: who supervises, who must act, from when and by when, and what is required."""

    def __init__(self, services: Services, row: LedgerRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("挂牌督办")
        self.setObjectName("supervisionDialog")
        self.services, self.row = services, row
        self.supervision_id = ""
        self.supervising_unit = QLineEdit()
        self.supervising_unit.setPlaceholderText("如：乌鲁木齐市人民检察院")
        self.responsible_unit = QLineEdit()
        self.responsible_unit.setPlaceholderText("如：乌鲁木齐市公安局经济犯罪侦查支队")
        self.started_on = DateField()
        self.started_on.set_value(date.today())
        self.due_on = DateField()
        self.instructions = _text_box(3, self)
        self.grid = FieldGrid()
        self.grid.add("supervising_unit", "督办单位", self.supervising_unit)
        self.grid.add("responsible_unit", "责任单位", self.responsible_unit,
                      hint="负责推进办结的办案单位")  # fmt: skip
        self.grid.add("started_on", "督办开始日期", self.started_on)
        self.grid.add("due_on", "督办期限", self.due_on,
                      hint="责任单位应在此日前依法办结（移送起诉、撤案等）并报告")  # fmt: skip
        self.grid.add("instructions", "督办要求", self.instructions)
        law = QLabel(LAW)
        law.setStyleSheet(HINT_STYLE)
        law.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(row))
        layout.addWidget(self.grid)
        layout.addWidget(law)
        layout.addWidget(dialog_buttons("挂牌督办", self.save, self.reject))
        self.resize(600, 420)

    def save(self) -> None:
        for name in ("supervising_unit", "responsible_unit", "started_on", "due_on",
                     "instructions"):  # fmt: skip
            self.grid.clear(name)
        days = _dates(self.grid, {"started_on": self.started_on, "due_on": self.due_on})
        if days is None:
            return
        draft = SupervisionDraft(
            supervising_unit=self.supervising_unit.text(),
            responsible_unit=self.responsible_unit.text(),
            started_on=days["started_on"],
            due_on=days["due_on"],
            instructions=self.instructions.toPlainText(),
        )
        try:
            self.supervision_id = attempt(
                self, self.services.stalled.supervise, self.row.case_id, draft, grid=self.grid
            )
        except Failed:
            return
        self.accept()


class CloseOffDialog(QDialog):
    """销号: the day, how the case ended and the document that proves it."""

    def __init__(self, services: Services, row: LedgerRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("销号")
        self.setObjectName("closeOffDialog")
        self.services, self.row = services, row
        self.closed_on = DateField()
        self.closed_on.set_value(date.today())
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome")
        self.outcome.addItem("（请选择）", "")
        for outcome in OUTCOMES:
            self.outcome.addItem(outcome, outcome)
        self.document = QLineEdit()
        self.document.setPlaceholderText("如：乌公（经）撤案字〔2026〕12号撤销案件决定书")
        self.note = _text_box(3, self)
        self.grid = FieldGrid()
        self.grid.add("closed_on", "销号日期", self.closed_on)
        self.grid.add("outcome", "办结方式", self.outcome)
        self.grid.add("document", "证明文书", self.document, hint="文书名称及文号")
        self.grid.add("note", "说明", self.note)
        supervised = QLabel(
            f"督办单位：{row.supervising_unit}　责任单位：{row.responsible_unit}　"
            f"督办期限：{row.supervision_due or '—'}"
        )
        supervised.setWordWrap(True)
        supervised.setStyleSheet(HINT_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(row))
        layout.addWidget(supervised)
        layout.addWidget(self.grid)
        layout.addWidget(dialog_buttons("销号", self.save, self.reject))
        self.resize(600, 400)

    def save(self) -> None:
        for name in ("closed_on", "outcome", "document", "note"):
            self.grid.clear(name)
        days = _dates(self.grid, {"closed_on": self.closed_on})
        if days is None:
            return
        draft = CloseOffDraft(
            closed_on=days["closed_on"],
            outcome=self.outcome.currentData() or "",
            document=self.document.text(),
            note=self.note.toPlainText(),
        )
        try:
            attempt(self, self.services.stalled.close_off, self.row.supervision_id, draft,
                    grid=self.grid)  # fmt: skip
        except Failed:
            return
        self.accept()
