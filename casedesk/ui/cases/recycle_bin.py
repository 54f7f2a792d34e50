"""The recycle bin (回收站): deleted cases, timeline entries, parties and 建议书 drafts of the cases
the user may read, newest first, each restorable by whoever may delete that kind of record — the
rest are listed with the reason they are not (the services decide; casedesk.services.recycle_bin).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casedesk.services.app import Services
from casedesk.services.recycle_bin import KINDS, BinItem
from casedesk.ui.bus import Bus
from casedesk.ui.ops import Failed, attempt
from casedesk.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QBrush,
    QColor,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex

#: (header, width, the cell's text)
COLUMNS: list[tuple[str, int, Callable[[BinItem], str]]] = [
    ("删除时间", 140, lambda i: i.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M")),
    ("类别", 90, lambda i: i.kind_label),
    ("案号", 190, lambda i: i.case_number),
    ("内容", 300, lambda i: i.label),
    ("删除人", 130, lambda i: i.deleted_by),
    ("可否恢复", 160, lambda i: state_text(i)),
]


def state_text(item: BinItem) -> str:
    """The last column: 可恢复, or in a few words why not (the full reason is the tooltip)."""
    if not item.refusal:
        return "可恢复"
    if item.case_deleted and item.kind != "case" and "请先恢复" in item.refusal:
        return "须先恢复案件"
    return "无权恢复"


class BinModel(QAbstractTableModel):
    """The bin's items as a table; the item of a row is ``item(row)``."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._items: list[BinItem] = []

    def set_items(self, items: list[BinItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> BinItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None or not 0 <= index.column() < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][2](item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.refusal or f"{item.kind_label}：{item.label}"
        if role == Qt.ItemDataRole.ForegroundRole and item.refusal:
            return QBrush(QColor("#757575"))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][0]
        return None


class RecycleBinDialog(QDialog):
    """The whole bin, or one case's (``case_id``). Restoring tells the other views (the bus);
    ``touched`` holds the cases whose records came back, for the pages open on them."""

    def __init__(
        self, services: Services, bus: Bus, case_id: str = "", parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.services, self.bus, self.case_id = services, bus, case_id
        self.touched: set[str] = set()
        self.setWindowTitle("回收站" + ("（本案）" if case_id else ""))
        self.resize(1040, 520)
        intro = QLabel(
            "删除的案件、时间线记录、当事人和建议书草稿保存在这里，内容完整。"
            "有权删除该类记录的人员可以恢复；恢复后记录回到原处，删除和恢复都记入操作记录。"
        )
        intro.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.setObjectName("binKind")
        self.kind.addItem("全部", "")
        for key, (label, _action) in KINDS.items():
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(self._filter)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("类别"))
        top.addWidget(self.kind)
        top.addStretch(1)
        top.addWidget(self.count)
        self.model = BinModel(self)
        self.table = QTableView()
        self.table.setObjectName("binTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for n, (_header, width, _text) in enumerate(COLUMNS):
            self.table.setColumnWidth(n, width)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(lambda _index: self.open_case())
        self.reason = QLabel()
        self.reason.setObjectName("binReason")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #8a4b00;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("恢复")
        self.open_button = QPushButton("打开案件")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore)
        self.open_button.clicked.connect(self.open_case)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self._all: list[BinItem] = []
        self.reload()

    def reload(self) -> None:
        read = self.services.recycle_bin
        try:
            self._all = (
                attempt(self, read.items_of_case, self.case_id)
                if self.case_id
                else (attempt(self, read.items))
            )
        except Failed:
            self._all = []
        self._filter()

    def _filter(self) -> None:
        kind = self.kind.currentData() or ""
        shown = [i for i in self._all if not kind or i.kind == kind]
        self.model.set_items(shown)
        self.count.setText(f"共 {len(shown)} 项" if shown else "回收站中没有记录")
        if shown:
            self.table.selectRow(0)
        self._selected()

    def selected(self) -> BinItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _selected(self, *_args: object) -> None:
        item = self.selected()
        self.restore_button.setEnabled(item is not None and not item.refusal)
        self.restore_button.setToolTip(item.refusal if item is not None else "")
        self.open_button.setEnabled(item is not None)
        self.reason.setText(item.refusal if item is not None else "")

    def restore(self) -> None:
        item = self.selected()
        if item is None or item.refusal:
            return
        restore: dict[str, Callable[[str], object]] = {
            "case": self.services.cases.restore,
            "case_event": self.services.recycle_bin.restore_entry,
            "case_party": self.services.recycle_bin.restore_party,
            "suggestion": self.services.recycle_bin.restore_draft,
        }
        try:
            attempt(self, restore[item.kind], item.id)
        except Failed:
            self.reload()  # it may have been restored or changed meanwhile
            return
        self.touched.add(item.case_id)
        self.bus.case_changed.emit(item.case_id)
        if item.kind == "case":
            self.bus.cases_changed.emit()
        self.reload()

    def open_case(self) -> None:
        item = self.selected()
        if item is None:
            return
        self.bus.open_case.emit(item.case_id)
        self.accept()
