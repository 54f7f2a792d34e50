"""期限规则: every time limit CaseDesk computes, with its legal source and confidence; an
administrator adjusts the rules marked M or L and local service commitments (audited, and the
rule's open deadlines recomputed); rules checked against the statute (H) say why they are
locked."""

from __future__ import annotations

from casedesk.services.app import Services
from casedesk.services.rule_admin import CONFIDENCE_LABELS, RuleView, parse_extension_lines
from casedesk.ui.admin.holidays_dialog import DONE_STYLE, busy, compact
from casedesk.ui.cases.case_tabs import RecordTable
from casedesk.ui.ops import Failed, attempt
from casedesk.ui.qt import (
    QColor,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.widgets.buttons import close_button
from casedesk.ui.widgets.fields import ERROR_STYLE, HINT_STYLE, FieldGrid

HEADERS = ("编号", "名称", "起算事件", "期间", "延长", "依据", "可信度", "可修改")
#: Widest each column may start (the whole row fits the dialog; long cells show a tooltip).
COLUMN_WIDTHS = (220, 170, 140, 64, 200, 210, 56, 60)
INTRO = (
    "每条期限规则注明法律依据和可信度：H 已逐字核对法律条文；M 来自次级来源；L 为地方做法或待核实。"
    "可信度为 M、L 的规则和本地服务承诺可由管理员调整，修改记入审计日志，并立即重新计算该规则下"
    "进行中的期限；H 规则不能在软件中修改，法律修改时随软件升级更新。"
    "期间后带 * 的规则已由管理员修改。"
)


def detail_text(rule: RuleView) -> str:
    """The selected rule in full, as plain text."""
    period = rule.period_text + ("（羁押期限：届满日遇节假日不顺延）" if rule.custody else "")
    lines = [
        f"{rule.name}（{rule.id}）",
        f"起算：{rule.trigger_name}；适用：{rule.applies_to}",
        f"期间：{period}",
        "延长：" + ("".join(f"\n　{n}" for n in rule.extension_notes) or "不可延长"),
        "提醒：" + (f"届满前 {rule.reminders_text} 日" if rule.reminders else "不提醒"),
        f"依据：{rule.source}（可信度 {CONFIDENCE_LABELS.get(rule.confidence, rule.confidence)}）"
        + ("；本地服务承诺" if rule.local else ""),
    ]
    if rule.note:
        lines.append(f"说明：{rule.note}")
    if rule.overridden:
        at = (
            rule.overridden_at.astimezone().strftime("%Y-%m-%d %H:%M") if rule.overridden_at else ""
        )
        lines.append(f"已修改：{rule.overridden_by} 于 {at}；默认值为 {rule.default_text}")
    lines.append(f"进行中的期限：{rule.open_deadlines} 个")
    return "\n".join(lines)


class RulesDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("期限规则")
        self.setObjectName("rulesDialog")
        self.services = services
        self.changed = False
        self._rules: dict[str, RuleView] = {}
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setStyleSheet(HINT_STYLE)
        self.table = RecordTable(HEADERS, "ruleTable")
        compact(self.table)
        self.detail = QLabel()
        self.detail.setObjectName("ruleDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        detail_box = QGroupBox("规则详情")
        QVBoxLayout(detail_box).addWidget(self.detail)

        self.lock = QLabel()
        self.lock.setObjectName("ruleLock")
        self.lock.setWordWrap(True)
        self.lock.setStyleSheet(ERROR_STYLE)
        self.period = QLineEdit()
        self.extensions = QPlainTextEdit()
        self.extensions.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.reminders = QLineEdit()
        self.note = QLineEdit()
        self.grid = FieldGrid()
        self.grid.add("period", "期间", self.period,
                      hint="如 3d（日）、2m（月）、1y（年）、15wd（工作日）")  # fmt: skip
        self.grid.add("extensions", "延长", self.extensions,
                      hint="每行一次：期间 批准机关，如 1m 上一级人民检察院")  # fmt: skip
        self.grid.add("reminders", "提醒", self.reminders, hint="届满前几日提醒，如 7,3,1")
        self.grid.add("note", "说明", self.note)
        self.save_button = QPushButton("保存")
        self.reset_button = QPushButton("恢复默认值")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        self.form = QWidget()
        form_layout = QVBoxLayout(self.form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(self.grid)
        form_layout.addLayout(buttons)
        edit_box = QGroupBox("修改规则")
        edit_layout = QVBoxLayout(edit_box)
        edit_layout.addWidget(self.lock)
        edit_layout.addWidget(self.form)
        edit_layout.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(detail_box, 1)
        bottom.addWidget(edit_box, 1)

        self.status = QLabel()
        self.status.setObjectName("ruleStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(DONE_STYLE)
        close = close_button(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 3)
        layout.addLayout(bottom, 2)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.resize(1180, 800)

        self.table.itemSelectionChanged.connect(self.show_selected)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)
        self.reload()
        self.table.selectRow(0)

    # -- showing --------------------------------------------------------------------------------
    def selected(self) -> RuleView | None:
        key = self.table.selected_id()
        return self._rules.get(key) if key else None

    def select_rule(self, rule_id: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == rule_id:
                self.table.selectRow(row)
                return

    def reload(self) -> None:
        current = self.selected()
        views = self.services.rules.rules()
        self._rules = {v.id: v for v in views}
        self.table.blockSignals(True)
        self.table.fill(
            [
                (v.id, (v.id, v.name, v.trigger_name, v.period_text + ("*" if v.overridden else ""),
                        v.extensions_text, v.source, v.confidence, v.editable_label))
                for v in views
            ]
        )  # fmt: skip
        for row, view in enumerate(views):
            if not view.editable:
                for col in range(len(HEADERS)):
                    self.table.item(row, col).setForeground(QColor("#5f6368"))
            if view.overridden:
                self.table.item(row, 3).setToolTip(f"已修改，默认值为 {view.default_text}")
        for col, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), width))
            for row in range(self.table.rowCount()):
                item = self.table.item(row, col)
                item.setToolTip(item.toolTip() or item.text())
        self.table.blockSignals(False)
        if current is not None:
            self.select_rule(current.id)
        self.show_selected()

    def show_selected(self) -> None:
        rule = self.selected()
        if rule is None:
            self.detail.setText("请在上方选择一条规则")
            self.form.setEnabled(False)
            self.lock.setVisible(False)
            return
        self.detail.setText(detail_text(rule))
        prefix = "部分锁定：" if rule.editable else "已锁定："
        self.lock.setText(prefix + rule.locked_reason if rule.locked_reason else "")
        self.lock.setVisible(bool(rule.locked_reason))
        self.lock.setStyleSheet(ERROR_STYLE if not rule.editable else HINT_STYLE)
        self.form.setVisible(rule.editable)
        self.form.setEnabled(rule.editable)
        for name in ("period", "extensions", "reminders", "note"):
            self.grid.clear(name)
        self.period.setText(rule.period)
        self.period.setEnabled(not rule.period_locked)
        self.extensions.setPlainText(rule.extension_lines)
        self.reminders.setText(rule.reminders_text)
        self.note.setText(rule.note)
        self.reset_button.setEnabled(rule.overridden)

    # -- actions --------------------------------------------------------------------------------
    def save(self) -> None:
        rule = self.selected()
        if rule is None:
            return
        for name in ("period", "extensions", "reminders", "note"):
            self.grid.clear(name)
        steps = parse_extension_lines(self.extensions.toPlainText())
        update = busy(self.services.rules.update)
        try:
            result = attempt(self, update, rule.id, self.period.text(), steps,
                             self.reminders.text(), self.note.text(), grid=self.grid)  # fmt: skip
        except Failed:
            return
        self.changed = True
        self.reload()
        self.status.setText(f"“{rule.name}”：{result.message}")

    def reset(self) -> None:
        rule = self.selected()
        if rule is None or not rule.overridden:
            return
        answer = QMessageBox.question(
            self, "恢复默认值", f"将“{rule.name}”恢复为随软件提供的默认值？\n{rule.default_text}"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            result = attempt(self, busy(self.services.rules.reset), rule.id)
        except Failed:
            return
        self.changed = True
        self.reload()
        self.status.setText(f"“{rule.name}”已恢复默认值：{result.message}")
