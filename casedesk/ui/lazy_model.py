"""A table model that holds only the ordered keys of one query and fetches the rows it is asked
to paint, a block at a time (the pattern of Anki's card browser). Keys are whatever the list's
reader uses (small integers for cases, ids for enterprises)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from casedesk.ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
MISSING_TEXT = "（已删除）"


@dataclass(frozen=True)
class Column(Generic[Row]):
    key: str
    title: str
    text: Callable[[Any], str]
    align_right: bool = False
    sortable: bool = True
    width: int = 100


class LazyTableModel(QAbstractTableModel, Generic[Row]):
    """Rows are ``ids``; ``fetch(ids) -> {id: row}`` is called for blocks of visible rows."""

    BLOCK = 120
    CACHE_LIMIT = 4000

    def __init__(
        self,
        columns: Sequence[Column],
        fetch: Callable[[list[Any]], dict[Any, Row]],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.columns = list(columns)
        self._fetch = fetch
        self._ids: list[Any] = []
        self._rows: dict[Any, Row | None] = {}
        self._positions: dict[Any, int] | None = None

    # -- contents ---------------------------------------------------------------------------------
    def set_ids(self, ids: list[Any]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows.clear()
        self._positions = None
        self.endResetModel()

    def ids(self) -> list[Any]:
        return self._ids

    def id_at(self, row: int) -> Any:
        """The list key of a row."""
        return self._ids[row]

    def open_id_at(self, row: int) -> str:
        """The id a page for this row is opened with (the key itself unless overridden)."""
        return str(self._ids[row])

    def row_of(self, item_id: Any) -> int | None:
        if self._positions is None:
            self._positions = {i: n for n, i in enumerate(self._ids)}
        return self._positions.get(item_id)

    def row_data(self, row: int) -> Row | None:
        item_id = self._ids[row]
        if item_id not in self._rows:
            self._load_block(row)
        return self._rows.get(item_id)

    def forget(self, item_id: Any) -> None:
        """Drop a cached row so it is read again, and repaint it."""
        self._rows.pop(item_id, None)
        row = self.row_of(item_id)
        if row is not None:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def _load_block(self, row: int) -> None:
        if len(self._rows) > self.CACHE_LIMIT:
            self._rows.clear()
        start = max(0, row - self.BLOCK // 4)
        wanted = [i for i in self._ids[start : start + self.BLOCK] if i not in self._rows]
        found = self._fetch(wanted)
        for item_id in wanted:
            self._rows[item_id] = found.get(item_id)

    # -- Qt model interface -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column = self.columns[index.column()]
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.ForegroundRole):  # fmt: skip
            return None
        row = self.row_data(index.row())
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#9e9e9e")) if row is None else None
        if row is None:
            return MISSING_TEXT if index.column() == 0 else ""
        text = column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) > 20 else None
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].title
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
