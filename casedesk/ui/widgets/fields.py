"""A grid of labelled inputs, each with a message line under it that says what is wrong."""

from __future__ import annotations

from casedesk.ui.qt import QGridLayout, QLabel, Qt, QWidget

ERROR_STYLE = "color: #c62828;"
WARNING_STYLE = "color: #b26a00;"
HINT_STYLE = "color: #5f6368;"


class FieldGrid(QWidget):
    """Rows of ``label | input`` with a message under each input (hidden while empty)."""

    def __init__(self, parent: QWidget | None = None, columns: int = 1):
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(2)
        self._columns = columns
        self._count = 0
        self._inputs: dict[str, QWidget] = {}
        self._messages: dict[str, QLabel] = {}
        self._hints: dict[str, str] = {}

    def add(self, name: str, label: str, widget: QWidget, hint: str = "", span: int = 1) -> None:
        """Add an input under ``name``; ``hint`` shows while there is no error."""
        col = (self._count % self._columns) * 2
        if col + span * 2 > self._columns * 2:
            self._count += self._columns - self._count % self._columns
            col = 0
        row = (self._count // self._columns) * 2
        caption = QLabel(label + "：")
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        caption.setBuddy(widget)
        message = QLabel(hint)
        message.setWordWrap(True)
        message.setStyleSheet(HINT_STYLE)
        message.setVisible(bool(hint))
        message.setObjectName(f"message_{name}")
        self._grid.addWidget(caption, row, col)
        self._grid.addWidget(widget, row, col + 1, 1, span * 2 - 1)
        self._grid.addWidget(message, row + 1, col + 1, 1, span * 2 - 1)
        self._inputs[name], self._messages[name], self._hints[name] = widget, message, hint
        self._count += span

    def input(self, name: str) -> QWidget:
        return self._inputs[name]

    def message(self, name: str) -> str:
        """The message currently shown under ``name`` ("" when none)."""
        label = self._messages[name]
        return "" if label.isHidden() else label.text()

    def set_error(self, name: str, text: str) -> None:
        self._show(name, text, ERROR_STYLE)

    def set_warning(self, name: str, text: str) -> None:
        self._show(name, text, WARNING_STYLE)

    def set_hint(self, name: str, text: str) -> None:
        self._hints[name] = text
        self._show(name, text, HINT_STYLE)

    def clear(self, name: str) -> None:
        self._show(name, self._hints.get(name, ""), HINT_STYLE)

    def set_errors(self, errors: dict[str, str], focus: bool = True) -> list[str]:
        """Show each error at its field; returns the messages that have no field here."""
        unplaced = []
        first = None
        for name, text in errors.items():
            if name in self._messages:
                self.set_error(name, text)
                first = first or name
            else:
                unplaced.append(text)
        if focus and first:
            self._inputs[first].setFocus()
        return unplaced

    def has_errors(self) -> bool:
        return any(
            not lbl.isHidden() and lbl.styleSheet() == ERROR_STYLE
            for lbl in self._messages.values()
        )

    def _show(self, name: str, text: str, style: str) -> None:
        label = self._messages[name]
        label.setText(text)
        label.setStyleSheet(style)
        label.setVisible(bool(text))
