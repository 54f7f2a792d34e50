"""The case page's tabs besides basic information: parties, timeline, history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from casedesk.domain.amounts import format_amount
from casedesk.services.dto import EventView, HistoryEntry, PartyView
from casedesk.services.labels import ACTION_LABELS
from casedesk.services.parties import PartyService
from casedesk.services.timeline import TimelineService
from casedesk.ui.cases.permits import Refusal, action_of, allow_all, permit
from casedesk.ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

KIND_LABELS = {"stage": "阶段变更", "trigger": "期限事件"}
#: The actions behind the buttons: those the service methods they call are guarded with.
ADD_PARTY, REMOVE_PARTY = action_of(PartyService.add), action_of(PartyService.remove)
RECORD_STAGE = action_of(TimelineService.record_stage)
MOVE_ENTRY = action_of(TimelineService.move_entry)
REMOVE_ENTRY = action_of(TimelineService.remove_entry)


def local_time(value: datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def format_value(key: str, value: Any) -> str:
    """An audited value as the history shows it."""
    if value is None or value == "":
        return ""
    if key == "amount_fen" and isinstance(value, int):
        return f"{format_amount(value)} 元"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if key in ("deleted_at",) and isinstance(value, str):
        return local_time(datetime.fromisoformat(value))
    return str(value)


class RecordTable(QTableWidget):
    """A small read-only table of records, one id per row."""

    def __init__(self, headers: Sequence[str], name: str, parent: QWidget | None = None):
        super().__init__(0, len(headers), parent)
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)

    def fill(self, rows: Sequence[tuple[str, Sequence[str]]]) -> None:
        self.setRowCount(len(rows))
        for r, (row_id, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row_id)
                if len(text) > 20:
                    item.setToolTip(text)
                self.setItem(r, c, item)
        self.resizeColumnsToContents()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def selected_id(self) -> str | None:
        items = self.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None


def _buttons(*labels: str) -> tuple[QHBoxLayout, list[QPushButton]]:
    row = QHBoxLayout()
    buttons = [QPushButton(label) for label in labels]
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row, buttons


class PartiesTab(QWidget):
    add_requested = Signal()
    remove_requested = Signal(str)  # party id
    open_requested = Signal(object)  # PartyView

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = RecordTable(
            ("诉讼地位", "类型", "名称", "统一社会信用代码/身份证号码"), "partyTable"
        )
        row, (self.add_button, self.remove_button, self.open_button) = _buttons(
            "添加当事人…", "移除", "查看/编辑"
        )
        self.add_button.setObjectName("addParty")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)
        self._parties: dict[str, PartyView] = {}
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button.clicked.connect(self._remove)
        self.open_button.clicked.connect(self._open)
        self.table.doubleClicked.connect(lambda _i: self._open())

    def show_parties(self, parties: Sequence[PartyView], editable: bool,
                     refusal: Refusal = allow_all) -> None:  # fmt: skip
        """Show the parties; ``refusal`` (``CaseDetail.refusal``) disables what the user's
        roles do not allow."""
        self._parties = {p.id: p for p in parties}
        kinds = {"enterprise": "企业", "person": "个人"}
        self.table.fill([(p.id, (p.role, kinds[p.kind], p.name, p.identifier)) for p in parties])
        permit(self.add_button, refusal(ADD_PARTY), editable)
        permit(self.remove_button, refusal(REMOVE_PARTY), editable)

    def _remove(self) -> None:
        if party_id := self.table.selected_id():
            self.remove_requested.emit(party_id)

    def _open(self) -> None:
        if party_id := self.table.selected_id():
            self.open_requested.emit(self._parties[party_id])


class TimelineTab(QWidget):
    record_requested = Signal()
    remove_requested = Signal(str)
    move_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        headers = ("日期", "类别", "阶段或事件", "说明", "记录人", "记录时间")
        self.table = RecordTable(headers, "timelineTable")
        row, (self.record_button, self.move_button, self.remove_button) = _buttons(
            "记录阶段变更…", "更正日期…", "删除记录"
        )
        self.record_button.setObjectName("recordStage")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)
        self.record_button.clicked.connect(self.record_requested)
        self.remove_button.clicked.connect(self._remove)
        self.move_button.clicked.connect(self._move)

    def show_events(self, events: Sequence[EventView], editable: bool,
                    refusal: Refusal = allow_all) -> None:  # fmt: skip
        """Show the timeline, newest first; ``refusal`` as for the parties."""
        rows = [
            (
                e.id,
                (
                    e.occurred_on.isoformat(),
                    KIND_LABELS.get(e.kind, e.kind),
                    e.stage,
                    e.note,
                    e.created_by,
                    local_time(e.created_at),
                ),
            )
            for e in reversed(events)
        ]
        self.table.fill(rows)
        permit(self.record_button, refusal(RECORD_STAGE), editable)
        permit(self.move_button, refusal(MOVE_ENTRY), editable)
        permit(self.remove_button, refusal(REMOVE_ENTRY), editable)

    def _remove(self) -> None:
        if event_id := self.table.selected_id():
            self.remove_requested.emit(event_id)

    def _move(self) -> None:
        if event_id := self.table.selected_id():
            self.move_requested.emit(event_id)


class HistoryTab(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = RecordTable(
            ("时间", "操作人", "操作", "对象", "字段", "原值", "新值"), "historyTable"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def show_history(self, entries: Sequence[HistoryEntry]) -> None:
        rows = []
        for n, e in enumerate(entries):
            head = (local_time(e.at), e.actor, ACTION_LABELS.get(e.action, e.action))
            target = f"{e.entity} {e.label}".strip()
            if not e.changes:
                rows.append((str(n), (*head, target, "", "", "")))
            for key, label, old, new in e.changes:
                rows.append(
                    (str(n), (*head, target, label, format_value(key, old), format_value(key, new)))
                )
        self.table.fill(rows)
