"""代码表: court codes, case type codes and tags, edited by an administrator (audited)."""

from __future__ import annotations

from collections.abc import Callable

from casedesk.services.app import Services
from casedesk.services.code_tables import CONFIDENCE, TYPE_FAMILIES
from casedesk.ui.cases.case_tabs import RecordTable
from casedesk.ui.ops import Failed, attempt
from casedesk.ui.qt import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from casedesk.ui.widgets.buttons import close_button, dialog_buttons
from casedesk.ui.widgets.fields import FieldGrid

CONFIDENCE_HINT = "H 已核对原文；M 次级来源；L 待核实"
COURT_NOTE = (
    "法院代字按《最高人民法院关于人民法院案件案号的若干规定》及最高法公布的代字表维护。"
    "行政区划调整而法院未调整的，沿用原代字。"
)
CODE_HEADERS = ("代字", "名称", "备注/类别", "可信度", "案件数")


def _code_rows(rows: list) -> list:  # type: ignore[type-arg]
    return [(r.code, (r.code, r.name, r.extra, r.confidence, str(r.uses))) for r in rows]


class CodeEditDialog(QDialog):
    """Add or edit one code: the code (fixed when editing), name, note/family, confidence."""

    def __init__(self, title: str, extra_label: str, extra_choices: tuple[str, ...] | None,
                 save: Callable[..., None], values: tuple[str, str, str, str] | None,
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(title)
        self._save = save
        self.code = QLineEdit()
        self.name = QLineEdit()
        self.extra: QLineEdit | QComboBox
        if extra_choices:
            self.extra = QComboBox()
            self.extra.addItems(list(extra_choices))
        else:
            self.extra = QLineEdit()
        self.confidence = QComboBox()
        self.confidence.addItems(list(CONFIDENCE))
        if values:
            code, name, extra, confidence = values
            self.code.setText(code)
            self.code.setReadOnly(True)
            self.name.setText(name)
            if isinstance(self.extra, QComboBox):
                self.extra.setCurrentText(extra)
            else:
                self.extra.setText(extra)
            self.confidence.setCurrentText(confidence)
        self.grid = FieldGrid()
        self.grid.add("code", "代字", self.code)
        self.grid.add("name", "名称", self.name)
        self.grid.add("extra", extra_label, self.extra)
        self.grid.add(
            "confidence", "可信度", self.confidence, hint="H 已核对原文；M 次级来源；L 待核实"
        )
        buttons = dialog_buttons("保存", self.accept_values, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(buttons)

    def accept_values(self) -> None:
        extra = self.extra.currentText() if isinstance(self.extra, QComboBox) else self.extra.text()
        grid = self.grid
        try:
            attempt(self, self._save, self.code.text(), self.name.text(), extra,
                    self.confidence.currentText(), grid=grid)  # fmt: skip
        except Failed:
            return
        self.accept()


class _TablePanel(QWidget):
    changed = Signal()

    def __init__(self, headers: tuple[str, ...], name: str, note: str):
        super().__init__()
        self.table = RecordTable(headers, name)
        row = QHBoxLayout()
        self.buttons = {label: QPushButton(label) for label in ("新增…", "编辑…", "删除")}
        for button in self.buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        hint = QLabel(note)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6368;")
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.table)


class CodeTablesDialog(QDialog):
    """The three editable tables in tabs."""

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("代码表")
        self.services = services
        self.changed = False
        ct = services.code_tables
        self.courts = _TablePanel(
            ("代字", "法院名称", "备注", "可信度", "案件数"), "courtCodes",
            "法院代字按《最高人民法院关于人民法院案件案号的若干规定》及最高法公布的代字表维护。"
            "行政区划调整而法院未调整的，沿用原代字。",
        )  # fmt: skip
        self.types = _TablePanel(
            ("代字", "名称", "类别", "可信度", "案件数"),
            "typeCodes",
            "案件类型代字（如 民初、执恢）。",
        )
        self.tags = _TablePanel(("标签", "案件数"), "tags", "案件标签，可在案件列表中筛选。")
        tabs = QTabWidget()
        tabs.addTab(self.courts, "法院代字")
        tabs.addTab(self.types, "类型代字")
        tabs.addTab(self.tags, "标签")
        close = close_button(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(close)
        self.resize(760, 520)

        def save_court(code: str, name: str, note: str, confidence: str) -> None:
            ct.save_court_code(code, name, note, confidence)

        def save_type(code: str, name: str, family: str, confidence: str) -> None:
            ct.save_type_code(code, family, name, confidence)

        def court_dialog(values=None) -> CodeEditDialog:  # type: ignore[no-untyped-def]
            return CodeEditDialog("法院代字", "备注", None, save_court, values, self)

        def type_dialog(values=None) -> CodeEditDialog:  # type: ignore[no-untyped-def]
            return CodeEditDialog("类型代字", "类别", TYPE_FAMILIES, save_type, values, self)

        self._wire(self.courts, court_dialog, ct.delete_court_code)
        self._wire(self.types, type_dialog, ct.delete_type_code)
        self.tags.buttons["新增…"].clicked.connect(self._add_tag)
        self.tags.buttons["编辑…"].clicked.connect(self._rename_tag)
        self.tags.buttons["删除"].clicked.connect(lambda: self._delete(self.tags, ct.delete_tag))
        self.reload()

    def reload(self) -> None:
        ct = self.services.code_tables
        self.courts.table.fill(
            [
                (r.code, (r.code, r.name, r.extra, r.confidence, str(r.uses)))
                for r in ct.court_codes()
            ]
        )
        self.types.table.fill(
            [
                (r.code, (r.code, r.name, r.extra, r.confidence, str(r.uses)))
                for r in ct.type_codes()
            ]
        )
        self.tags.table.fill([(t.id, (t.name, str(t.uses))) for t in ct.tags()])

    def _wire(self, panel: _TablePanel, make: Callable, delete: Callable[[str], None]) -> None:
        def add() -> None:
            if make().exec():
                self._after_change()

        def edit() -> None:
            row = panel.table.currentRow()
            if row < 0:
                return
            cells = [panel.table.item(row, c).text() for c in range(4)]
            values = (cells[0], cells[1], cells[2], cells[3])
            if make(values).exec():
                self._after_change()

        panel.buttons["新增…"].clicked.connect(add)
        panel.buttons["编辑…"].clicked.connect(edit)
        panel.buttons["删除"].clicked.connect(lambda: self._delete(panel, delete))

    def _delete(self, panel: _TablePanel, delete: Callable[[str], None]) -> None:
        key = panel.table.selected_id()
        if key is None:
            return
        try:
            attempt(self, delete, key)
        except Failed:
            return
        self._after_change()

    def _add_tag(self) -> None:
        name, ok = QInputDialog.getText(self, "新增标签", "标签名称：")
        if ok:
            try:
                attempt(self, self.services.code_tables.add_tag, name)
            except Failed:
                return
            self._after_change()

    def _rename_tag(self) -> None:
        tag_id = self.tags.table.selected_id()
        row = self.tags.table.currentRow()
        if tag_id is None or row < 0:
            return
        old = self.tags.table.item(row, 0).text()
        name, ok = QInputDialog.getText(self, "修改标签", "标签名称：", text=old)
        if ok:
            try:
                attempt(self, self.services.code_tables.rename_tag, tag_id, name)
            except Failed:
                return
            self._after_change()

    def _after_change(self) -> None:
        self.changed = True
        self.reload()
