"""The list table used by every list screen: sort by header click (in SQL), choose columns by
right-clicking the header, open a row with double-click or Enter; layout remembered."""

from __future__ import annotations

from typing import Any

from casedesk.ui.lazy_model import ID_ROLE, LazyTableModel
from casedesk.ui.qt import (
    QAbstractItemView,
    QHeaderView,
    QKeySequence,
    QMenu,
    QPoint,
    QSettings,
    QShortcut,
    Qt,
    QTableView,
    QWidget,
    Signal,
)


class ListTable(QTableView):
    sort_requested = Signal(str, bool)  # column key, descending
    activated_id = Signal(str)

    def __init__(
        self,
        model: LazyTableModel,
        settings: QSettings,
        settings_key: str,
        hidden_by_default: tuple[str, ...] = (),
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._model = model
        self._settings = settings
        self._key = settings_key
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSectionsMovable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        for n, column in enumerate(model.columns):
            self.setColumnWidth(n, column.width)
            self.setColumnHidden(n, column.key in hidden_by_default)
        state = settings.value(f"{settings_key}/header")
        if state is not None:
            header.restoreState(state)
        header.sectionClicked.connect(self._header_clicked)
        self.doubleClicked.connect(lambda index: self._activate(index.row()))
        QShortcut(QKeySequence(Qt.Key.Key_Return), self, self._activate_current)
        QShortcut(QKeySequence(Qt.Key.Key_Enter), self, self._activate_current)
        self._sort_key = ""
        self._descending = False

    # -- sorting --------------------------------------------------------------------------------
    def set_sort(self, key: str, descending: bool) -> None:
        """Show the sort indicator on ``key``'s column (the query is the page's business)."""
        self._sort_key, self._descending = key, descending
        for n, column in enumerate(self._model.columns):
            if column.key == key:
                order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
                self.horizontalHeader().blockSignals(True)
                self.horizontalHeader().setSortIndicator(n, order)
                self.horizontalHeader().blockSignals(False)

    def _header_clicked(self, section: int) -> None:
        column = self._model.columns[section]
        if not column.sortable:
            self.set_sort(self._sort_key, self._descending)
            return
        descending = not self._descending if column.key == self._sort_key else False
        self.set_sort(column.key, descending)
        self.sort_requested.emit(column.key, descending)

    # -- columns --------------------------------------------------------------------------------
    def _column_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addSection("显示的列")
        for n, column in enumerate(self._model.columns):
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(n))
            action.setEnabled(n != 0)  # the first column identifies the row
            action.toggled.connect(lambda on, n=n: self._show_column(n, on))
        menu.exec(self.horizontalHeader().mapToGlobal(pos))

    def _show_column(self, section: int, visible: bool) -> None:
        self.setColumnHidden(section, not visible)
        if visible and self.columnWidth(section) < 20:
            self.setColumnWidth(section, self._model.columns[section].width)
        self.save_state()

    def save_state(self) -> None:
        self._settings.setValue(f"{self._key}/header", self.horizontalHeader().saveState())

    # -- rows -----------------------------------------------------------------------------------
    def selected_id(self) -> Any:
        """The list key of the current row (None when there is none)."""
        index = self.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_id(self, item_id: Any) -> None:
        row = self._model.row_of(item_id)
        if row is not None:
            self.selectRow(row)
            self.scrollTo(self._model.index(row, 0))

    def _activate_current(self) -> None:
        if self.currentIndex().isValid():
            self._activate(self.currentIndex().row())

    def _activate(self, row: int) -> None:
        if 0 <= row < self._model.rowCount() and (item_id := self._model.open_id_at(row)):
            self.activated_id.emit(item_id)
