"""建议书年度统计: the year's figures by issuing unit and kind (issued, served, replied, of them
late, overdue, adopted / partly / not), with a total row, as a court or procuratorate reports
them; exported to .xlsx off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from casedesk.export.xlsx import INT, TEXT, Column, Table, write_xlsx
from casedesk.services.app import Services
from casedesk.services.suggestions_dto import Statistics, StatRow
from casedesk.ui.measure_lists.export import ask_xlsx_path, export_in_background, exported_text
from casedesk.ui.qt import (
    QAbstractTableModel,
    QComboBox,
    QDialog,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.widgets.buttons import close_button

FIRST_YEAR = 2015
Index = QModelIndex | QPersistentModelIndex

#: Column title, what it holds (xlsx kind), how to read it from a row.
COLUMNS: tuple[tuple[str, str, Callable[[StatRow], Any]], ...] = (
    ("发文单位", TEXT, lambda r: r.issuer),
    ("文书种类", TEXT, lambda r: r.kind),
    ("发出", INT, lambda r: r.issued),
    ("送达", INT, lambda r: r.served),
    ("已回复", INT, lambda r: r.replied),
    ("其中逾期回复", INT, lambda r: r.replied_late),
    ("逾期未回复", INT, lambda r: r.overdue),
    ("采纳", INT, lambda r: r.adopted),
    ("部分采纳", INT, lambda r: r.partly_adopted),
    ("未采纳", INT, lambda r: r.not_adopted),
    ("回复率", TEXT, lambda r: f"{r.reply_rate:.0%}" if r.served else "—"),
)


class StatisticsModel(QAbstractTableModel):
    """The year's rows and the total row (last, bold)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[StatRow] = []

    def set_statistics(self, stats: Statistics) -> None:
        self.beginResetModel()
        self.rows = [*stats.rows, stats.total]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, (_title, kind, get) = self.rows[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(get(row))
        if role == Qt.ItemDataRole.TextAlignmentRole and kind == INT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() == len(self.rows) - 1:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][0] if 0 <= section < len(COLUMNS) else None
        return str(section + 1)

    def to_table(self, year: int) -> Table:
        return Table(
            f"{year}年度建议书统计",
            [Column(title, kind) for title, kind, _get in COLUMNS],
            [[get(row) for _title, _kind, get in COLUMNS] for row in self.rows],
            subtitle=f"截至 {date.today().isoformat()}；草稿不计，按成文日期所在年度统计",
            sheet_name=f"{year}年度统计",
        )


class StatisticsDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None, year: int = 0):
        super().__init__(parent)
        self.setWindowTitle("建议书年度统计")
        self.setObjectName("suggestionStatisticsDialog")
        self.services = services
        self.export_job: Any = None
        this_year = date.today().year
        self.year = QComboBox()
        self.year.setObjectName("year")
        for y in range(this_year, FIRST_YEAR - 1, -1):
            self.year.addItem(f"{y}年", y)
        self.year.setCurrentIndex(max(self.year.findData(year or this_year), 0))
        self.export_button = QPushButton("导出Excel…")
        self.export_button.setObjectName("exportStatistics")
        self.export_button.clicked.connect(lambda: self.export())
        self.model = StatisticsModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setObjectName("statisticsTable")
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # 发文单位
        self.view.verticalHeader().setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("statisticsStatus")
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度："))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(close_button(self.reject))
        self.year.currentIndexChanged.connect(lambda _i: self.load())
        self.resize(980, 480)
        self.load()

    def chosen_year(self) -> int:
        return int(self.year.currentData())

    def load(self) -> None:
        stats = self.services.suggestions.statistics(self.chosen_year())
        self.model.set_statistics(stats)
        total = stats.total
        self.status.setText(
            f"{stats.year}年共发出 {total.issued} 件，送达 {total.served} 件，"
            f"已回复 {total.replied} 件，逾期未回复 {total.overdue} 件（草稿不计）"
        )

    def export(self, path: Path | None = None) -> None:
        year = self.chosen_year()
        path = path or ask_xlsx_path(self, "导出建议书年度统计", f"建议书统计-{year}")
        if path is None:
            return
        table = self.model.to_table(year)
        self.export_job = export_in_background(
            self,
            "导出建议书年度统计",
            path,
            lambda p: write_xlsx(p, table),
            self._exported,
            services=self.services,
        )

    def _exported(self, rows: int, path: Path) -> None:
        self.export_job = None
        self.status.setText(exported_text(rows, path))
