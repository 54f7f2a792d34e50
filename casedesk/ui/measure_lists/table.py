"""A table of service rows (plain dataclasses) held whole in memory: the lists of measures and
the 挂案 ledger are hundreds to a few thousand rows, read at once. Columns are described once
(:class:`Field`) and serve the screen (text, alignment, sorting, highlighting) and the .xlsx
export (the column's kind: dates stay dates, amounts stay amounts)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from casedesk.domain.amounts import format_amount
from casedesk.domain.deadlines import OVERDUE
from casedesk.export.xlsx import AMOUNT, DATE, INT, NUMBER, TEXT, Column, Table
from casedesk.ui.deadlines.style import background, foreground
from casedesk.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QBrush,
    QColor,
    QFont,
    QHeaderView,
    QKeySequence,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QShortcut,
    Qt,
    QTableView,
    QWidget,
    Signal,
)

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ALERT_BACKGROUND: QBrush = background(OVERDUE)  # type: ignore[assignment]
ALERT_FOREGROUND: QBrush = foreground(OVERDUE)  # type: ignore[assignment]
MUTED = QBrush(QColor("#757575"))
MAX_COLUMN_WIDTH = 320


@dataclass(frozen=True)
class Field(Generic[R]):
    """One column: its title, the row's value, and what kind of value it is (export.xlsx kinds:
    text, date, int, amount in 分, number)."""

    title: str
    value: Callable[[R], Any]
    kind: str = TEXT
    width: int = 90
    blank: str = ""  # shown when the value is None
    alert: Callable[[R], bool] | None = None  # the cell in red when true
    tip: str = ""  # the header's tooltip: what the column means
    export_width: int = 40  # the widest the .xlsx column may grow (characters)
    tooltip: Callable[[R], str] | None = None  # the cell's tooltip (default: long text in full)

    def text(self, row: R) -> str:
        return display(self.kind, self.value(row), self.blank)


def display(kind: str, value: Any, blank: str = "") -> str:
    """A value as the table shows it."""
    if value is None:
        return blank
    if kind == AMOUNT:
        return format_amount(value)
    if kind == DATE and isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _sort_key(value: Any) -> tuple:
    """Empty values last in ascending order; numbers, dates and text each among themselves."""
    if value is None or value == "":
        return (1, 0, "")
    if isinstance(value, bool):
        return (0, 0, int(value))
    if isinstance(value, int | float | Decimal):
        return (0, 0, value)
    if isinstance(value, date):
        return (0, 1, value.toordinal())
    return (0, 2, str(value))


@dataclass(frozen=True)
class Look:
    """How a whole row stands out (None: as usual)."""

    background: QBrush | None = None
    foreground: QBrush | None = None
    bold: bool = False


ALERT = Look(background=ALERT_BACKGROUND)
MUTED_LOOK = Look(foreground=MUTED)


class RecordsModel(QAbstractTableModel, Generic[R]):
    """Rows of one service list; sortable by any column; an optional filter hides rows (the
    rows behind it stay, so switching the filter needs no new read)."""

    def __init__(
        self,
        fields: Sequence[Field[R]],
        id_of: Callable[[R], str],
        look: Callable[[R], Look | None] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.fields = list(fields)
        self._id_of = id_of
        self._look = look
        self._all: list[R] = []
        self._rows: list[R] = []
        self._keep: Callable[[R], bool] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # -- contents ---------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._rows = self._visible()
        self.endResetModel()

    def set_filter(self, keep: Callable[[R], bool] | None) -> None:
        self.beginResetModel()
        self._keep = keep
        self._rows = self._visible()
        self.endResetModel()

    def _visible(self) -> list[R]:
        rows = [r for r in self._all if self._keep is None or self._keep(r)]
        if self._sort is not None:
            column, order = self._sort
            value = self.fields[column].value
            rows.sort(key=lambda r: _sort_key(value(r)),
                      reverse=order == Qt.SortOrder.DescendingOrder)  # fmt: skip
        return rows

    def all_rows(self) -> list[R]:
        return list(self._all)

    def rows(self) -> list[R]:
        """The rows shown, in the order shown."""
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, row_id: str) -> int | None:
        return next((n for n, r in enumerate(self._rows) if self._id_of(r) == row_id), None)

    def to_table(self, title: str, subtitle: str = "", sheet_name: str = "") -> Table:
        """The rows shown as an .xlsx sheet (values, not texts: dates and amounts stay typed)."""
        columns = [Column(f.title, f.kind, f.export_width) for f in self.fields]
        rows = [tuple(_export_value(f, r) for f in self.fields) for r in self._rows]
        return Table(title, columns, rows, subtitle, sheet_name)

    # -- QAbstractTableModel ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.fields):
            return None
        row, field = self._rows[index.row()], self.fields[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return field.text(row)
        if role == ID_ROLE:
            return self._id_of(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            if field.tooltip is not None:
                return field.tooltip(row) or None
            text = field.text(row)
            return text if len(text) > 8 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT) if field.kind in (AMOUNT, INT, NUMBER) else None
        look = self._look(row) if self._look is not None else None
        alert = field.alert is not None and field.alert(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return ALERT_FOREGROUND if alert else look.foreground if look else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return look.background if look else None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if alert or (look is not None and look.bold) else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.fields):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.fields[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.fields[section].tip or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.fields):
            return
        self.layoutAboutToBeChanged.emit()
        ids = [self._id_of(r) for r in self._rows]
        old = self.persistentIndexList()
        self._sort = (column, order)
        self._rows = self._visible()
        position = {self._id_of(r): n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old, [self.index(position[ids[i.row()]], i.column()) for i in old]
        )
        self.layoutChanged.emit()


def _export_value(field: Field, row: Any) -> Any:
    value = field.value(row)
    if field.kind == TEXT:
        return display(TEXT, value, field.blank)
    return value


class RecordsView(QTableView):
    """A read-only, sortable table; double-click or Enter opens the row."""

    activated_row = Signal(object)

    def __init__(self, model: RecordsModel, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.records = model
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        # no sort indicator: the rows keep the service's order until a header is clicked
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for n, field in enumerate(model.fields):
            title = header.fontMetrics().horizontalAdvance(field.title) + 28
            self.setColumnWidth(n, min(max(field.width, title), MAX_COLUMN_WIDTH))
        self.doubleClicked.connect(lambda index: self._activate(index.row()))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # only while the table has focus
            shortcut = QShortcut(QKeySequence(key), self, self._activate_current)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)

    def selected_row(self) -> Any:
        index = self.currentIndex()
        selected = self.selectionModel().selectedRows() if self.selectionModel() else []
        return self.records.row_at(selected[0].row() if selected else index.row())

    def select_id(self, row_id: str) -> bool:
        row = self.records.row_of(row_id)
        if row is None:
            return False
        self.selectRow(row)
        self.scrollTo(self.records.index(row, 0))
        return True

    def _activate_current(self) -> None:
        if self.currentIndex().isValid():
            self._activate(self.currentIndex().row())

    def _activate(self, row: int) -> None:
        record = self.records.row_at(row)
        if record is not None:
            self.activated_row.emit(record)
