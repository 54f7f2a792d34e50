"""A small read-only table model for the measure tables (rows built by the tab, one id each),
and the view that shows it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from casedesk.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QBrush,
    QHeaderView,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTableView,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
MAX_WIDTH = 240  # a long description is cut (its tooltip shows it whole)


@dataclass(frozen=True)
class Row:
    id: str
    cells: tuple[str, ...]
    foreground: QBrush | None = None  # the whole row
    background: QBrush | None = None
    cell_foreground: dict[int, QBrush] = field(default_factory=dict)  # column → brush
    tooltip: str = ""


class RowsModel(QAbstractTableModel):
    """Rows of text with their colours; ``UserRole`` gives the row's id."""

    def __init__(
        self, headers: Sequence[str], right: Sequence[int] = (), parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.headers = tuple(headers)
        self._right = frozenset(right)  # columns aligned right (amounts)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def id_at(self, row: int) -> str | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, row_id: str) -> int | None:
        return next((n for n, r in enumerate(self._rows) if r.id == row_id), None)

    def text(self, row: int, column: int) -> str:
        return self._rows[row].cells[column]

    # -- QAbstractTableModel ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if not 0 <= column < len(self.headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[column] if column < len(row.cells) else ""
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole:
            return row.cell_foreground.get(column, row.foreground)
        if role == Qt.ItemDataRole.BackgroundRole:
            return row.background
        if role == Qt.ItemDataRole.ToolTipRole:
            text = row.cells[column] if column < len(row.cells) else ""
            return row.tooltip or (text if len(text) > 16 else None)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if column in self._right else LEFT)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None


class RowsView(QTableView):
    """A read-only, single-row-selection view of a :class:`RowsModel`."""

    def __init__(self, model: RowsModel, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setModel(model)
        self.rows_model = model
        self.max_width = MAX_WIDTH  # widest a column is made to fit its content
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setHighlightSections(False)

    def fill(self, rows: Sequence[Row], select: str | None = None) -> None:
        """Show ``rows`` and select the row ``select`` when it is there."""
        self.rows_model.set_rows(rows)
        self.resizeColumnsToContents()
        for column in range(self.rows_model.columnCount()):
            if self.columnWidth(column) > self.max_width:
                self.setColumnWidth(column, self.max_width)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        if select is not None:
            self.select_id(select)

    def selected_id(self) -> str | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return self.rows_model.id_at(rows[0].row()) if rows else None

    def select_id(self, row_id: str) -> bool:
        row = self.rows_model.row_of(row_id)
        if row is None:
            return False
        self.selectRow(row)
        self.scrollTo(self.rows_model.index(row, 0))
        return True
