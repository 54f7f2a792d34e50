"""The pieces of the 强制措施 tab: a titled section (a row of action buttons over a table), the
超标的 line with its badge, and the detail panel (clocks and chain of the selected measure)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from casedesk.services.dto import DeadlineView
from casedesk.services.measure_dto import SeizureCheck
from casedesk.ui.measures.models import RowsModel, RowsView
from casedesk.ui.measures.rows import CLOCK_HEADERS, clock_row
from casedesk.ui.qt import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

BADGE_STYLE = "background: #c62828; color: white; font-weight: bold; padding: 2px 8px;"
OVER_STYLE = "color: #b71c1c;"
NOTHING_SELECTED = "选中一项措施，查看其期限，以及续行、解除或羁押的链条。"


class Section(QGroupBox):
    """A titled group: action buttons, then a table."""

    def __init__(self, title: str, headers: Sequence[str], name: str, right: Sequence[int] = (),
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__(title, parent)
        self.model = RowsModel(headers, right)
        self.table = RowsView(self.model, name)
        self.buttons = QHBoxLayout()
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.buttons)
        self.body.addWidget(self.table, 1)

    def button(self, label: str, name: str, act: Callable[[], object]) -> QPushButton:
        button = QPushButton(label)
        button.setObjectName(name)
        button.clicked.connect(lambda _c=False: act())
        self.buttons.addWidget(button)
        return button

    def menu_button(self, label: str, name: str, kinds: Sequence[str],
                    act: Callable[[str], object]) -> tuple[QPushButton, QMenu]:  # fmt: skip
        """A button whose menu offers each of ``kinds``; choosing one calls ``act(kind)``."""
        button = QPushButton(label)
        button.setObjectName(name)
        menu = QMenu(button)
        for kind in kinds:
            action = menu.addAction(kind)
            action.triggered.connect(lambda _c=False, kind=kind: act(kind))
        button.setMenu(menu)
        self.buttons.addWidget(button)
        return button, menu

    def end_buttons(self) -> None:
        self.buttons.addStretch(1)


class SeizureLine(QWidget):
    """超标的 figures of the case, with a red badge when over the administrator's ratio."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.badge = QLabel("超标的")
        self.badge.setObjectName("overBadge")
        self.badge.setStyleSheet(BADGE_STYLE)
        self.badge.setVisible(False)
        self.text = QLabel()
        self.text.setObjectName("seizureLine")
        self.text.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.badge)
        row.addWidget(self.text, 1)

    def show_check(self, check: SeizureCheck) -> None:
        text = check.message
        if check.lapsed_count and "失效" not in text:
            text += f"；已失效未续行 {check.lapsed_count} 项"
        self.text.setText(text)
        self.text.setStyleSheet(OVER_STYLE if check.over else "")
        self.badge.setVisible(check.over)


class DetailPanel(QGroupBox):
    """The selected measure: its clocks (最后一日, 剩余, rule and source) and its chain."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("详情", parent)
        self.title = QLabel(NOTHING_SELECTED)
        self.title.setObjectName("measureTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.clock_model = RowsModel(CLOCK_HEADERS)
        self.clocks = RowsView(self.clock_model, "measureClocks")
        self.chain = QPlainTextEdit()
        self.chain.setObjectName("measureChain")
        self.chain.setReadOnly(True)
        clocks = QVBoxLayout()
        clocks.addWidget(QLabel("期限："))
        clocks.addWidget(self.clocks, 1)
        chain = QVBoxLayout()
        chain.addWidget(QLabel("链条："))
        chain.addWidget(self.chain, 1)
        row = QHBoxLayout()
        row.addLayout(clocks, 3)
        row.addLayout(chain, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(row, 1)

    def show_measure(self, title: str, clocks: Sequence[DeadlineView], chain: str) -> None:
        self.title.setText(title or NOTHING_SELECTED)
        self.clocks.fill([clock_row(c) for c in clocks], self.clocks.selected_id())
        self.chain.setPlainText(chain)
