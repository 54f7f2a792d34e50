"""The inputs of the suggestion editor: the body as a list of blocks (headings 一、, subheadings
（一）, paragraphs, numbered suggestion items — numbered by the model, never typed), a recipient
typed or chosen from the case's enterprises, and a list typed one item a line."""

from __future__ import annotations

from collections.abc import Sequence

from casedesk.domain import documents as dm
from casedesk.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)

#: Block kind → what the clerk sees.
BLOCK_NAMES = {
    dm.HEADING: "标题（一、）",
    dm.SUBHEADING: "小标题（（一））",
    dm.PARAGRAPH: "段落",
    dm.ITEM: "建议事项（1.）",
}
PREVIEW_CHARS = 60  # of a block in the list (its whole text is edited below)


class BlocksEditor(QWidget):
    """The body: a list of blocks; the selected one's kind and text edited below the list;
    添加 (after the selected one), 删除, 上移, 下移. A line break typed in the text starts a new
    paragraph of the same kind. ``textChanged`` on every change."""

    textChanged = Signal()  # the dialog's edit signal (any change of the body)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._blocks: list[dm.Block] = []
        self.list = QListWidget()
        self.list.setObjectName("suggestionBlocks")
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._selected)
        self.kind = QComboBox()
        self.kind.setObjectName("blockKind")
        for kind, name in BLOCK_NAMES.items():
            self.kind.addItem(name, kind)
        self.kind.currentIndexChanged.connect(self._kind_edited)
        self.text = QPlainTextEdit()
        self.text.setObjectName("blockText")
        self.text.setPlaceholderText("本段文字（回车另起一段）")
        self.text.setMaximumHeight(110)
        self.text.textChanged.connect(self._text_edited)
        add = QToolButton()
        add.setText("添加 ▾")
        add.setObjectName("addBlock")
        add.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(add)
        for kind, name in BLOCK_NAMES.items():
            menu.addAction(name, lambda kind=kind: self.add_block(kind))
        add.setMenu(menu)
        self.remove_button = self._button("删除", "removeBlock", self.remove_current)
        self.up_button = self._button("上移", "moveBlockUp", lambda: self.move_current(-1))
        self.down_button = self._button("下移", "moveBlockDown", lambda: self.move_current(1))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        for button in (self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        edit = QHBoxLayout()
        edit.addWidget(QLabel("类型："))
        edit.addWidget(self.kind)
        edit.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addLayout(edit)
        layout.addWidget(self.text)
        self._update_buttons()

    def _button(self, label: str, name: str, act) -> QPushButton:  # type: ignore[no-untyped-def]
        button = QPushButton(label)
        button.setObjectName(name)
        button.clicked.connect(lambda _c=False: act())
        return button

    # -- value ------------------------------------------------------------------------------------
    def value(self) -> tuple[dm.Block, ...]:
        return tuple(self._blocks)

    def set_value(self, blocks: Sequence[dm.Block]) -> None:
        self._blocks = list(blocks)
        self._refresh_list(0 if self._blocks else -1)

    def current(self) -> int:
        return self.list.currentRow()

    # -- editing ----------------------------------------------------------------------------------
    def add_block(self, kind: str, text: str = "") -> None:
        """A new block after the selected one (at the end when none), selected for typing."""
        at = self.current() + 1 if self.current() >= 0 else len(self._blocks)
        self._blocks.insert(at, dm.Block(kind, text))
        self._refresh_list(at)
        self.text.setFocus()
        self.textChanged.emit()

    def remove_current(self) -> None:
        at = self.current()
        if at < 0:
            return
        del self._blocks[at]
        self._refresh_list(min(at, len(self._blocks) - 1))
        self.textChanged.emit()

    def move_current(self, step: int) -> None:
        at = self.current()
        to = at + step
        if at < 0 or not 0 <= to < len(self._blocks):
            return
        self._blocks[at], self._blocks[to] = self._blocks[to], self._blocks[at]
        self._refresh_list(to)
        self.textChanged.emit()

    def set_current_text(self, text: str) -> None:
        """Replace the selected block's text (as typing it would)."""
        self.text.setPlainText(text)

    def set_current_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def _kind_edited(self, _index: int) -> None:
        at = self.current()
        if at < 0 or self.kind.currentData() == self._blocks[at].kind:
            return
        self._blocks[at] = dm.Block(self.kind.currentData(), self._blocks[at].text)
        self._relabel()
        self.textChanged.emit()

    def _text_edited(self) -> None:
        at = self.current()
        if at < 0:
            return
        text = self.text.toPlainText()
        kind = self._blocks[at].kind
        if "\n" in text:  # Enter: the rest becomes new blocks of the same kind
            first, *rest = text.split("\n")
            self._blocks[at] = dm.Block(kind, first)
            for n, part in enumerate(rest, 1):
                self._blocks.insert(at + n, dm.Block(kind, part))
            self._refresh_list(at + len(rest))
            self.textChanged.emit()
            return
        self._blocks[at] = dm.Block(kind, text)
        self._relabel()
        self.textChanged.emit()

    # -- showing ----------------------------------------------------------------------------------
    def labels(self) -> list[str]:
        """Each block as the list shows it: with the number it will carry in the document."""
        lines = dm.body_lines(tuple(dm.Block(b.kind, b.text or " ") for b in self._blocks))
        out = []
        for block, line in zip(self._blocks, lines, strict=True):
            text = line.text.strip() if block.text.strip() else f"{line.text.strip()}（待填写）"
            if block.kind == dm.PARAGRAPH and not block.text.strip():
                text = "（空段落，待填写）"
            if len(text) > PREVIEW_CHARS:
                text = text[:PREVIEW_CHARS] + "…"
            prefix = {dm.HEADING: "", dm.SUBHEADING: "　", dm.ITEM: "　　", dm.PARAGRAPH: "　¶ "}
            out.append(prefix[block.kind] + text)
        return out

    def _refresh_list(self, select: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems(self.labels())
        self.list.blockSignals(False)
        self.list.setCurrentRow(select)
        self._selected(select)

    def _relabel(self) -> None:
        for n, label in enumerate(self.labels()):
            self.list.item(n).setText(label)

    def _selected(self, at: int) -> None:
        has = 0 <= at < len(self._blocks)
        for widget in (self.kind, self.text):
            widget.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(self._blocks[at].kind) if has else -1)
        self.text.setPlainText(self._blocks[at].text if has else "")
        for widget in (self.kind, self.text):
            widget.blockSignals(False)
        self.kind.setEnabled(has)
        self.text.setEnabled(has)
        self._update_buttons()

    def _update_buttons(self) -> None:
        at = self.current()
        self.remove_button.setEnabled(at >= 0)
        self.up_button.setEnabled(at > 0)
        self.down_button.setEnabled(0 <= at < len(self._blocks) - 1)


class RecipientField(QWidget):
    """主送单位: typed, or chosen (▾) from the case's enterprises."""

    def __init__(self, choices: Sequence[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.line = QLineEdit()
        self.line.setObjectName("recipient")
        self.line.setPlaceholderText("被建议单位全称，如：乌鲁木齐市住房和城乡建设局")
        self.textChanged = self.line.textChanged
        button = QToolButton()
        button.setText("本案企业 ▾")
        button.setToolTip("从本案当事人中的企业选择")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        for _id, name in choices:
            menu.addAction(name, lambda name=name: self.line.setText(name))
        button.setMenu(menu)
        button.setEnabled(bool(choices))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(button)
        self.setFocusProxy(self.line)

    def text(self) -> str:
        return self.line.text()

    def setText(self, text: str) -> None:  # as QLineEdit
        self.line.setText(text)


class LinesField(QPlainTextEdit):
    """A list typed one item a line (附件, 抄送)."""

    def __init__(self, placeholder: str, lines: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 12)

    def value(self) -> tuple[str, ...]:
        return tuple(t.strip() for t in self.toPlainText().split("\n") if t.strip())

    def set_value(self, items: Sequence[str]) -> None:
        self.setPlainText("\n".join(items))
