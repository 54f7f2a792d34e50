"""The 期限 tab of a case page: every deadline of the case with its band, how it was computed,
and the actions on it."""

from __future__ import annotations

from casedesk.domain.deadlines import OPEN
from casedesk.services.app import Services
from casedesk.services.deadlines import DeadlineService
from casedesk.services.dto import DeadlineView
from casedesk.ui.cases.case_tabs import RecordTable
from casedesk.ui.cases.permits import Refusal, action_of, allow_all, permit
from casedesk.ui.deadlines.dialogs import TriggerDialog, action_dialog
from casedesk.ui.deadlines.style import background, band_label, days_text, foreground
from casedesk.ui.qt import (
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

HEADERS = ("期限", "涉及对象", "起算事件", "起算", "届满", "剩余", "状态")
ACTIONS = (("meet", "完成…"), ("extend", "延长…"), ("suspend", "扣除…"),
           ("restart", "重新计算…"), ("cancel", "撤销…"))  # fmt: skip
#: Button → the action of the DeadlineService method it ends in (each kind is a method's name).
GUARDS = {kind: action_of(getattr(DeadlineService, kind)) for kind, _label in ACTIONS}
RECORD = action_of(DeadlineService.record_trigger)


class DeadlinesTab(QWidget):
    changed = Signal()

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.case_id = services, case_id
        self.views: dict[str, DeadlineView] = {}
        self.table = RecordTable(HEADERS, "deadlineTable")
        self.details = QPlainTextEdit()
        self.details.setObjectName("deadlineDetails")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(150)
        self.record_button = QPushButton("记录期限事件…")
        self.record_button.setObjectName("recordTrigger")
        self.record_button.clicked.connect(self.record)
        row = QHBoxLayout()
        row.addWidget(self.record_button)
        self.buttons: dict[str, QPushButton] = {}
        for kind, label in ACTIONS:
            button = QPushButton(label)
            button.setObjectName(f"deadline_{kind}")
            button.clicked.connect(lambda _c=False, kind=kind: self.act(kind))
            self.buttons[kind] = button
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        self.table.itemSelectionChanged.connect(self._selected)
        self.editable = True
        self.refusal: Refusal = allow_all

    def show_deadlines(self, editable: bool = True, select: str | None = None,
                       refusal: Refusal | None = None) -> None:  # fmt: skip
        """Read the case's deadlines again; ``refusal`` (``CaseDetail.refusal``, kept until
        the page passes another) disables what the user's roles do not allow."""
        self.editable = editable
        if refusal is not None:
            self.refusal = refusal
        keep = select or self.table.selected_id()
        views = self.services.deadlines.for_case(self.case_id)
        self.views = {v.id: v for v in views}
        self.table.fill([(v.id, self._cells(v)) for v in views])
        for r, v in enumerate(views):
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if v.status == OPEN:
                    if (bg := background(v.band)) is not None:
                        item.setBackground(bg)
                    if (fg := foreground(v.band)) is not None:
                        item.setForeground(fg)
                else:
                    item.setForeground(Qt.GlobalColor.gray)
        permit(self.record_button, self.refusal(RECORD), editable)
        if keep and keep in self.views:
            self.select(keep)
        self._selected()

    def _cells(self, v: DeadlineView) -> tuple[str, ...]:
        name = v.name + (f"（第{v.round}次）" if v.round > 1 else "")
        if v.status == OPEN:
            state = band_label(v.band) + ("" if v.verified else "，未核实")
            left = days_text(v.days_left, v.band)
        else:
            state = f"{v.status_label} {v.closed_on or ''}".strip()
            left = ""
        return (name, v.subject, v.trigger, v.start, v.due, left, state)

    def select(self, deadline_id: str) -> None:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == deadline_id:
                self.table.selectRow(r)
                self.table.scrollToItem(self.table.item(r, 0))
                return

    def current(self) -> DeadlineView | None:
        deadline_id = self.table.selected_id()
        return self.views.get(deadline_id) if deadline_id else None

    def _selected(self) -> None:
        v = self.current()
        is_open = v is not None and v.status == OPEN and self.editable
        for kind, button in self.buttons.items():
            state = is_open and (kind != "extend" or bool(v and v.next_extension))
            permit(button, self.refusal(GUARDS[kind]), state)
        if v is None:
            self.details.setPlainText("")
            return
        lines = [f"{v.name}　依据：{v.source}［{v.confidence}］"]
        if v.custody:
            lines.append("羁押期间：届满日遇节假日不顺延")
        lines += [f"· {s}" for s in v.steps]
        lines += [f"⚠ {w}" for w in v.warnings]
        if v.next_extension:
            lines.append(f"可申请：{v.next_extension}")
        if v.close_note:
            lines.append(f"说明：{v.close_note}")
        self.details.setPlainText("\n".join(lines))

    def record(self) -> None:
        dialog = TriggerDialog(self.services, self.case_id, self)
        if dialog.exec():
            self.show_deadlines(self.editable, dialog.created[0] if dialog.created else None)
            self.changed.emit()

    def act(self, kind: str) -> None:
        v = self.current()
        if v is None:
            return
        if action_dialog(kind, self.services, v, self).exec():
            self.show_deadlines(self.editable, v.id)
            self.changed.emit()
