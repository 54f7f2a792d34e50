"""合规考察 tab of a criminal case: the compliance case of each enterprise, where it stands on
its path, the steps it may take now, its clocks beside the criminal clocks of the same case
(with a warning where the 考察期 outlasts one), the third-party organisation and the entries."""

from __future__ import annotations

from html import escape

from casedesk.domain import compliance as cp
from casedesk.services.app import Services
from casedesk.services.compliance import ComplianceService
from casedesk.services.compliance_dto import ComplianceView
from casedesk.ui.cases.permits import action_of, permit, refused
from casedesk.ui.compliance.dialogs import INTERVALS, StartDialog, StepDialog
from casedesk.ui.measures.models import Row
from casedesk.ui.measures.panels import Section
from casedesk.ui.measures.rows import CLOCK_HEADERS, GRAY, clock_row
from casedesk.ui.qt import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.widgets.case_tab import CaseRecordsTab

#: The path a compliance case walks (the side exits 不适用 / 已终止 are shown when taken).
PATH = (cp.REVIEWING, cp.APPLIED, cp.ORG_FORMED, cp.PLAN_SUBMITTED, cp.EXAMINING, cp.EVALUATED,
        cp.HEARD, cp.DECIDED, cp.CLOSED)  # fmt: skip
FAMILIES = ("刑事", "检察监督")
MEMBER_HEADERS = ("姓名", "专业", "工作单位", "加入", "异议", "状态")
ENTRY_HEADERS = ("日期", "事项", "最后一日", "说明")
#: The action of each step (a step is the name of the ComplianceService method it calls).
STEP_GUARDS = {step: action_of(getattr(ComplianceService, step)) for step in cp.STEP_NAMES}
START = action_of(ComplianceService.start)


def path_text(state: str) -> str:
    """The path as rich text: steps passed in grey, the current one bold."""
    if state in (cp.NOT_APPLIED, cp.TERMINATED):
        return f"<b style='color:#b00020'>{state}</b>"
    at = PATH.index(state)
    parts = []
    for n, s in enumerate(PATH):
        if n < at:
            parts.append(f"<span style='color:#777'>✓ {s}</span>")
        elif n == at:
            parts.append(f"<b style='color:#0b57d0'>● {s}</b>")
        else:
            parts.append(f"<span style='color:#999'>{s}</span>")
    return " → ".join(parts)


def facts_text(v: ComplianceView) -> str:
    """The dated facts so far, one line each."""
    lines = [
        f"启动：{v.started_on}，{v.start_kind}" + (f"（{v.applicant}）" if v.applicant else "")
    ]
    if v.applied_on and v.state != cp.NOT_APPLIED:
        doc = f"，{v.apply_document}" if v.apply_document else ""
        lines.append(f"决定适用第三方机制：{v.applied_on}{doc}")
    if v.org_formed_on:
        lines.append(f"第三方组织：{v.org_name}（{v.org_formed_on} 组建）")
    if v.plan_submitted_on:
        committed = f"，承诺 {v.plan_committed_on} 前完成" if v.plan_committed_on else ""
        lines.append(f"合规计划：{v.plan_submitted_on} 提交{committed}")
    if v.plan_accepted_on:
        lines.append(f"计划通过：{v.plan_accepted_on}")
    if v.exam_start:
        lines.append(
            f"考察期：{v.exam_start} 起 {v.exam_months} 个月，至 {v.exam_end}；"
            f"定期报告{INTERVALS.get(v.report_interval, v.report_interval)}一次"
        )
    if v.evaluated_on:
        lines.append(f"合规考察书面报告：{v.evaluated_on}，{v.result}")
    if v.hearing_on:
        lines.append(f"听证：{v.hearing_on}（{v.hearing_participants}）")
    if v.decided_on:
        doc = f"，{v.decision_document}" if v.decision_document else ""
        lines.append(f"处理决定：{v.decided_on}，{v.decision}{doc}")
    if v.opinion_served_on:
        reply = f"；{v.opinion_replied_on} 回复：{v.opinion_reply}" if v.opinion_replied_on else ""
        lines.append(f"检察意见：{v.opinion_served_on} 送达{v.opinion_authority}{reply}")
    if v.ended_on:
        why = f"（{v.end_reason}）" if v.end_reason else ""
        lines.append(f"{v.state}：{v.ended_on}{why}")
    return "<br>".join(escape(line) for line in lines)


class ComplianceTab(CaseRecordsTab):
    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None):
        super().__init__(services, case_id, parent)
        self.views: list[ComplianceView] = []
        self.choice = QComboBox()
        self.choice.setObjectName("complianceChoice")
        self.choice.currentIndexChanged.connect(lambda _i: self._show_current())
        self.start_button = QPushButton("启动合规考察…")
        self.start_button.setObjectName("startCompliance")
        self.start_button.clicked.connect(self.start)
        self.path = QLabel()
        self.path.setObjectName("compliancePath")
        self.path.setTextFormat(Qt.TextFormat.RichText)
        self.path.setWordWrap(True)
        self.steps = QHBoxLayout()
        self.step_buttons: dict[str, QPushButton] = {}
        self.warnings = QLabel()
        self.warnings.setObjectName("complianceWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #b00020;")
        self.facts = QLabel()
        self.facts.setObjectName("complianceFacts")
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setWordWrap(True)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.clocks = Section("合规考察期限", CLOCK_HEADERS, "complianceClocks")
        self.criminal = Section("同案刑事期限（羁押、审查起诉等）", CLOCK_HEADERS, "criminalClocks")
        self.members = Section("第三方组织组成人员", MEMBER_HEADERS, "complianceMembers")
        self.entries = Section("计划修改、定期报告、检查、延长", ENTRY_HEADERS, "complianceEntries")
        for section in (self.clocks, self.criminal, self.members, self.entries):
            section.end_buttons()

        top = QHBoxLayout()
        top.addWidget(QLabel("合规考察"))
        top.addWidget(self.choice)
        top.addStretch(1)
        top.addWidget(self.start_button)
        upper = QWidget()
        upper_row = QHBoxLayout(upper)
        upper_row.setContentsMargins(0, 0, 0, 0)
        upper_row.addWidget(self.facts, 2)
        clocks = QVBoxLayout()
        clocks.addWidget(self.clocks, 1)
        clocks.addWidget(self.criminal, 1)
        upper_row.addLayout(clocks, 3)
        lower = QWidget()
        lower_row = QHBoxLayout(lower)
        lower_row.setContentsMargins(0, 0, 0, 0)
        lower_row.addWidget(self.members, 1)
        lower_row.addWidget(self.entries, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setSizes([500, 300])
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.path)
        body.addLayout(self.steps)
        body.addWidget(self.warnings)
        body.addWidget(splitter, 1)
        self.empty = QLabel("本案尚无合规考察。对涉案企业可依申请或依职权启动合规考察。")
        self.empty.setObjectName("complianceEmpty")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.body, 1)

    # -- loading ----------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        current = select or self.current_id()
        self.views = self.services.compliance.for_case(self.case_id)
        self.stale = False
        self.choice.blockSignals(True)
        self.choice.clear()
        for v in self.views:
            self.choice.addItem(f"{v.enterprise_name}　{v.state}", v.id)
        if current and (index := self.choice.findData(current)) >= 0:
            self.choice.setCurrentIndex(index)
        self.choice.blockSignals(False)
        self.choice.setVisible(len(self.views) > 1)
        permit(self.start_button, refused(self.case, START), self.editable)
        self._show_current()

    def current_id(self) -> str | None:
        return self.choice.currentData() if self.choice.count() else None

    def current(self) -> ComplianceView | None:
        wanted = self.current_id()
        return next((v for v in self.views if v.id == wanted), None)

    def _show_current(self) -> None:
        v = self.current()
        self.empty.setVisible(v is None)
        self.body.setVisible(v is not None)
        if v is None:
            return
        self.path.setText(path_text(v.state))
        self.facts.setText(facts_text(v))
        self.warnings.setText("\n".join(f"⚠ {w}" for w in v.warnings))
        self.warnings.setVisible(bool(v.warnings))
        self.clocks.table.fill([clock_row(c) for c in v.clocks])
        self.criminal.table.fill([clock_row(c) for c in v.criminal_clocks])
        self.members.table.fill([
            Row(m.id, (m.name, m.profession, m.unit, str(m.joined_on),
                       f"{m.objected_on} {m.objection}" if m.objected_on else "",
                       f"已更换为{m.replaced_by}（{m.left_on}）" if m.left_on else "在任"),
                None if m.serving else GRAY)
            for m in v.members
        ])  # fmt: skip
        self.entries.table.fill([
            Row(e.id, (str(e.on), e.kind + ("（逾期）" if e.late else ""),
                       str(e.due_on or ""), e.note + (f"（{e.months}个月）" if e.months else "")))
            for e in v.entries
        ])  # fmt: skip
        self._step_buttons(v)

    def _step_buttons(self, v: ComplianceView) -> None:
        for button in self.step_buttons.values():
            self.steps.removeWidget(button)
            button.deleteLater()
        self.step_buttons = {}
        while self.steps.count():  # the stretch
            self.steps.takeAt(0)
        for step in v.steps:
            if step in ("send_opinion", "record_reply") and v.decision not in cp.OPINION_AFTER:
                continue
            if step == "send_opinion" and v.opinion_served_on is not None:
                continue
            if step == "record_reply" and (v.opinion_served_on is None or v.opinion_replied_on):
                continue
            button = QPushButton(f"{cp.STEP_NAMES[step]}…")
            button.setObjectName(f"step_{step}")
            permit(button, refused(self.case, STEP_GUARDS[step]), self.editable)
            button.clicked.connect(lambda _c=False, step=step: self.take(step))
            self.steps.addWidget(button)
            self.step_buttons[step] = button
        self.steps.addStretch(1)

    # -- acting -----------------------------------------------------------------------------------
    def start(self) -> bool:
        if self.case is None:
            self.case = self.services.cases.get(self.case_id)
        dialog = StartDialog(self.services, self.case, self)
        return self._run(dialog)

    def take(self, step: str) -> bool:
        v = self.current()
        if v is None:
            return False
        return self._run(StepDialog(self.services, v, step, self), v.id)

    def _run(self, dialog: QDialog, select: str | None = None) -> bool:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        result = getattr(dialog, "result_value", None)
        self.reload(result if isinstance(result, str) and isinstance(dialog, StartDialog)
                    else select)  # fmt: skip
        self.changed.emit()
        return True
