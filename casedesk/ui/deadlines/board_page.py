"""期限 board: what is overdue, due today, within 3 and within 7 days — by handler (default:
the user's own name) and by kind; a double-click opens the case at the deadline."""

from __future__ import annotations

from datetime import date

from casedesk.domain.deadline_rules import DEFAULT_RULES
from casedesk.domain.deadlines import BAND_ORDER, LATER
from casedesk.services.app import Services
from casedesk.services.dto import Board
from casedesk.ui.bus import Bus
from casedesk.ui.cases.case_tabs import RecordTable
from casedesk.ui.deadlines.style import background, band_label, days_text, foreground
from casedesk.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

HEADERS = ("状态", "案号", "期限", "涉及对象", "届满", "剩余", "承办人", "当事人")
ALL = "全部"


class BoardPage(QWidget):
    print_requested = Signal()
    counts_changed = Signal(dict)

    def __init__(self, services: Services, bus: Bus, my_name: str = "", parent=None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.services, self.bus = services, bus
        self.board: Board | None = None
        self.print_job: object = None
        self._filled = False
        self.handler = QComboBox()
        self.handler.setObjectName("boardHandler")
        self.handler.setMinimumContentsLength(8)
        self.kind = QComboBox()
        self.kind.setObjectName("boardKind")
        self.kind.addItem("全部期限", "")
        for rule in DEFAULT_RULES:
            self.kind.addItem(rule.name, rule.id)
        self.summary = QLabel()
        self.summary.setObjectName("boardSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.reload)
        printing = QPushButton("打印今日期限一览…")
        printing.setObjectName("printBoard")
        printing.clicked.connect(self.print_requested)
        self.table = RecordTable(HEADERS, "boardTable")
        self.table.doubleClicked.connect(self._open)
        top = QHBoxLayout()
        top.addWidget(QLabel("承办人"))
        top.addWidget(self.handler)
        top.addWidget(QLabel("期限种类"))
        top.addWidget(self.kind)
        top.addStretch(1)
        top.addWidget(refresh)
        top.addWidget(printing)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.set_handlers(my_name)
        self.handler.currentIndexChanged.connect(self.reload)
        self.kind.currentIndexChanged.connect(self.reload)
        bus.deadlines_changed.connect(self.reload)
        bus.cases_changed.connect(self.reload)
        bus.case_changed.connect(lambda _id: self.reload())
        self.reload()

    def set_handlers(self, preferred: str = "") -> None:
        """Fill the handler choice; pick ``preferred`` (the user's own name) when present."""
        current = preferred or self.handler.currentData() or ""
        self.handler.blockSignals(True)
        self.handler.clear()
        self.handler.addItem(ALL, "")
        for name in self.services.case_list.handlers():
            self.handler.addItem(name, name)
        self.handler.setCurrentIndex(max(self.handler.findData(current), 0))
        self.handler.blockSignals(False)

    def reload(self) -> None:
        """Read the board; the table is filled now if visible, else when first shown (the
        counts are needed at start, thousands of table cells are not)."""
        self.board = self.services.deadlines.board(
            date.today(), self.handler.currentData() or "", self.kind.currentData() or ""
        )
        self._filled = False
        if self.isVisible():
            self._fill()
        board = self.board
        parts = [f"{band_label(b)} <b>{board.counts[b]}</b>" for b in BAND_ORDER if b != LATER]
        parts.append(f"7日后届满 {board.counts[LATER]}")
        self.summary.setText(f"{board.as_of:%Y年%m月%d日}　" + "　｜　".join(parts))
        self.counts_changed.emit(dict(board.counts))

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if not self._filled:
            self._fill()
        super().showEvent(event)

    def _fill(self) -> None:
        board = self.board
        if board is None:
            return
        self._filled = True
        self.table.fill([(i.deadline_id, self._cells(i)) for i in board.items])
        for r, item in enumerate(board.items):
            for c in range(self.table.columnCount()):
                cell = self.table.item(r, c)
                cell.setData(Qt.ItemDataRole.UserRole + 1, item.case_id)
                if (bg := background(item.band)) is not None:
                    cell.setBackground(bg)
                if (fg := foreground(item.band)) is not None:
                    cell.setForeground(fg)

    @staticmethod
    def _cells(i) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
        state = ("提前提醒" if i.band == LATER else band_label(i.band)) + (
            "" if i.verified else "（未核实）"
        )
        name = i.name + ("（在押）" if i.custody else "")
        left = days_text(i.days_left, i.band)
        return (state, i.case_number, name, i.subject, i.due, left, i.handler, i.parties)

    def _open(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        cell = self.table.item(row, 0)
        deadline_id = cell.data(Qt.ItemDataRole.UserRole)
        case_id = cell.data(Qt.ItemDataRole.UserRole + 1)
        self.bus.open_deadline.emit(case_id, deadline_id)
