"""Inputs for dates and amounts typed the way clerks type them, with a calendar popup."""

from __future__ import annotations

from datetime import date

from casedesk.domain.amounts import format_amount, parse_amount
from casedesk.domain.dates import format_date, parse_date
from casedesk.ui.qt import (
    QCalendarWidget,
    QDate,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
    Signal,
)


class DateField(QWidget):
    """A date typed as text (2023-03-01, 2023/3/1, 20230301, 2023年3月1日) or picked."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None, placeholder: str = "年-月-日"):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line = QLineEdit()
        self.line.setPlaceholderText(placeholder)
        self.line.setMaxLength(20)
        self.line.textChanged.connect(self.edited)
        button = QToolButton()
        button.setText("▾")
        button.setToolTip("从日历中选择")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        self._calendar = QCalendarWidget()
        self._calendar.setGridVisible(True)
        self._calendar.clicked.connect(self._picked)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self._calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._before_popup)
        button.setMenu(menu)
        self._menu = menu
        layout.addWidget(self.line, 1)
        layout.addWidget(button)
        self.setFocusProxy(self.line)

    def value(self) -> date | None:
        """The date, ``None`` when empty; raises DateError when the text is not a date."""
        return parse_date(self.line.text())

    def set_value(self, value: date | None) -> None:
        self.line.setText(format_date(value))

    def text(self) -> str:
        return self.line.text()

    def _before_popup(self) -> None:
        try:
            current = self.value() or date.today()
        except ValueError:
            current = date.today()
        self._calendar.setSelectedDate(QDate(current.year, current.month, current.day))

    def _picked(self, qdate: QDate) -> None:
        self.set_value(date(qdate.year(), qdate.month(), qdate.day()))
        self._menu.hide()


class AmountField(QLineEdit):
    """An amount in yuan (12,345.67 / 120万 / 1.5亿); :meth:`value` gives fen."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("元，如 12,345.67 或 120万")
        self.setMaxLength(30)

    def value(self) -> int | None:
        return parse_amount(self.text())

    def set_value(self, fen: int | None) -> None:
        self.setText(format_amount(fen))
