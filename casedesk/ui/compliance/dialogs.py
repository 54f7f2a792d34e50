"""The dialogs of a compliance case: starting one, and one dialog per step of the state machine
(its date and what the step records), refused at the field with nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from casedesk.domain import compliance as cp
from casedesk.domain.errors import FieldErrors
from casedesk.services.app import Services
from casedesk.services.compliance_dto import ComplianceView
from casedesk.services.dto import CaseDetail
from casedesk.ui.measures.forms import MeasureDialog, choice, read_date, today_field
from casedesk.ui.qt import QCheckBox, QComboBox, QGridLayout, QLineEdit, QVBoxLayout, QWidget
from casedesk.ui.widgets.inputs import DateField

#: Step → the label of its date.
DATE_LABELS = {
    "apply": "决定日期", "reject": "决定日期", "form_org": "组建日期",
    "object_member": "提出日期", "replace_member": "更换日期", "submit_plan": "提交日期",
    "request_revision": "提出日期", "accept_plan": "计划通过日期", "receive_report": "收到日期",
    "inspect": "检查日期", "extend": "决定日期", "evaluate": "报告日期", "hear": "听证日期",
    "decide": "决定日期", "send_opinion": "送达日期", "record_reply": "回复日期",
    "close": "结案日期", "terminate": "终止日期",
}  # fmt: skip
INTERVALS = {"15d": "每15日", "30d": "每30日", "1m": "每月", "2m": "每2个月", "3m": "每3个月"}
MEMBER_ROWS = 5


class Checks(QWidget):
    """A column of check boxes; ``value()`` the keys ticked."""

    def __init__(self, items: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes = {key: QCheckBox(text) for key, text in items.items()}
        for box in self.boxes.values():
            layout.addWidget(box)
        self.toggled = next(iter(self.boxes.values())).toggled  # one edit signal is enough

    def value(self) -> frozenset[str]:
        return frozenset(k for k, box in self.boxes.items() if box.isChecked())


class Members(QWidget):
    """Up to five members: name, profession, unit (empty rows are ignored)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.rows: list[tuple[QLineEdit, QComboBox, QLineEdit]] = []
        for n in range(MEMBER_ROWS):
            name, unit = QLineEdit(), QLineEdit()
            name.setPlaceholderText("姓名")
            unit.setPlaceholderText("工作单位")
            profession = choice(cp.PROFESSIONS, "专业类别")
            for column, widget in enumerate((name, profession, unit)):
                grid.addWidget(widget, n, column)
            self.rows.append((name, profession, unit))
        self.textChanged = self.rows[0][0].textChanged

    def value(self) -> tuple[cp.MemberDraft, ...]:
        return tuple(
            cp.MemberDraft(name.text(), profession.currentData() or "", unit.text())
            for name, profession, unit in self.rows
            if name.text().strip()
        )


class StartDialog(MeasureDialog):
    """启动合规考察 for an enterprise of the case."""

    def __init__(self, services: Services, case: CaseDetail, parent: QWidget | None = None):
        super().__init__("启动合规考察", "complianceStartDialog", parent)
        self.services, self.case = services, case
        self.set_head("依企业、辩护人等申请或依职权启动；启动后先审查是否符合适用条件")
        self.enterprise = QComboBox()
        self.enterprise.addItem("请选择", "")
        for p in case.parties:
            if p.kind == "enterprise":
                self.enterprise.addItem(f"{p.name}（{p.role}）", p.id)
        self.start_kind = choice(cp.START_KINDS, "请选择")
        self.applicant = QLineEdit()
        self.started_on = today_field()
        self.notes = QLineEdit()
        g = self.grid()
        self.add(g, "enterprise_party_id", "涉案企业", self.enterprise)
        self.add(g, "start_kind", "启动方式", self.start_kind)
        self.add(g, "applicant", "申请人", self.applicant)
        self.add(g, "started_on", "启动日期", self.started_on)
        self.add(g, "notes", "备注", self.notes)
        self.finish("启动")
        self.validate()
        self.resize(560, 300)

    def read(self) -> tuple[cp.ComplianceDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        draft = cp.ComplianceDraft(
            self.enterprise.currentData() or "", self.start_kind.currentData() or "",
            read_date(self.started_on, "started_on", errors), self.applicant.text(),
            self.notes.text(),
        )  # fmt: skip
        return draft, errors

    def check(self, value: cp.ComplianceDraft) -> None:
        cp.check_start(value, date.today())

    def submit(self, value: cp.ComplianceDraft) -> Any:
        return self.services.compliance.start(self.case.id, value)


class StepDialog(MeasureDialog):
    """One step of a compliance case: its date, and the fields the step records."""

    aliases: ClassVar[dict[str, str]] = {
        "decided_on": "on", "formed_on": "on", "accepted_on": "on", "started_on": "on",
    }  # fmt: skip

    def __init__(self, services: Services, view: ComplianceView, step: str,
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__(cp.STEP_NAMES[step], f"complianceStep_{step}", parent)
        self.services, self.view, self.step = services, view, step
        self.set_head(f"{view.enterprise_name}　当前状态：{view.state}")
        self.on: DateField = today_field()
        self.inputs: dict[str, QWidget] = {}
        g = self.grid()
        self.add(g, "on", DATE_LABELS[step], self.on)
        for name, label, widget, hint in self._fields(step):
            self.inputs[name] = widget
            self.add(g, name, label, widget, hint=hint)
        self.finish("确定")
        self.validate()
        self.resize(620 if step in ("apply", "form_org") else 540, 200)

    def _fields(self, step: str) -> list[tuple[str, str, QWidget, str]]:
        v = self.view
        serving = [m for m in v.members if m.serving]
        member = QComboBox()
        for m in serving:
            member.addItem(f"{m.name}（{m.profession}）", m.id)
        fields: dict[str, Callable[[], list[tuple[str, str, QWidget, str]]]] = {
            "apply": lambda: [
                ("conditions", "适用条件", Checks(cp.CONDITIONS), "三项条件须同时具备"),
                ("exclusions", "不适用情形", Checks({e: e for e in cp.EXCLUSIONS}),
                 "有其中之一的，不适用第三方机制"),
                ("document_no", "文书编号", QLineEdit(), ""),
            ],
            "reject": lambda: [("reason", "不适用理由", QLineEdit(), "")],
            "form_org": lambda: [
                ("name", "第三方组织", QLineEdit(), "如：某某涉案企业合规第三方监督评估组织"),
                ("members", "组成人员", Members(), "从专业人员名录库中选任"),
            ],
            "object_member": lambda: [
                ("member", "组成人员", member, ""),
                ("objection", "异议或回避理由", QLineEdit(), ""),
            ],
            "replace_member": lambda: [
                ("member", "被更换人员", member, ""),
                ("new_name", "新成员姓名", QLineEdit(), ""),
                ("profession", "专业类别", choice(cp.PROFESSIONS, "请选择"), ""),
                ("unit", "工作单位", QLineEdit(), ""),
            ],
            "submit_plan": lambda: [
                ("committed_on", "承诺完成时限", DateField(), "企业承诺完成整改的日期"),
            ],
            "request_revision": lambda: [("note", "修改意见", QLineEdit(), "")],
            "accept_plan": lambda: [
                ("exam_start", "考察期开始", today_field(), ""),
                ("exam_months", "考察期（月）", choice([str(n) for n in cp.EXAM_MONTHS], "请选择"),
                 "全国无统一期限，由第三方组织根据案情和企业承诺确定，常见3至6个月"),
                ("report_interval", "定期报告", self._intervals(), "企业提交定期书面报告的周期"),
            ],
            "receive_report": lambda: [("note", "报告内容摘要", QLineEdit(), "")],
            "inspect": lambda: [("note", "检查情况", QLineEdit(), "")],
            "extend": lambda: [
                ("months", "延长（月）", choice([str(n) for n in range(1, 7)], "请选择"), ""),
                ("reason", "延长理由", QLineEdit(), ""),
            ],
            "evaluate": lambda: [
                ("result", "评估结论", choice(cp.RESULTS, "请选择"), ""),
                ("note", "说明", QLineEdit(), ""),
            ],
            "hear": lambda: [
                ("participants", "参加人员", QLineEdit(), "如：第三方组织成员、人民监督员"),
            ],
            "decide": lambda: [
                ("decision", "处理决定", choice(cp.DECISIONS, "请选择"), ""),
                ("document_no", "文书编号", QLineEdit(), ""),
            ],
            "send_opinion": lambda: [
                ("authority", "主管机关", QLineEdit(), "如：某市市场监督管理局"),
            ],
            "record_reply": lambda: [("reply", "回复内容", QLineEdit(), "")],
            "close": lambda: [],
            "terminate": lambda: [("reason", "终止理由", QLineEdit(), "")],
        }  # fmt: skip
        return fields[step]()

    @staticmethod
    def _intervals() -> QComboBox:
        box = QComboBox()
        for spec, text in INTERVALS.items():
            box.addItem(text, spec)
        box.setCurrentIndex(box.findData("1m"))
        return box

    # -- reading --------------------------------------------------------------------------------
    def _text(self, name: str) -> str:
        widget = self.inputs[name]
        if isinstance(widget, QComboBox):
            return widget.currentData() or ""
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def read(self) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        values: dict[str, Any] = {"on": read_date(self.on, "on", errors)}
        for name, widget in self.inputs.items():
            if isinstance(widget, DateField):
                values[name] = read_date(widget, name, errors)
            elif isinstance(widget, Checks | Members):
                values[name] = widget.value()
            else:
                values[name] = self._text(name)
        return values, errors

    def check(self, value: dict[str, Any]) -> None:
        on, today = value["on"], date.today()
        if on is None:
            raise FieldErrors({"on": f"请填写{DATE_LABELS[self.step]}"})
        if on > today:
            raise FieldErrors({"on": f"{DATE_LABELS[self.step]}不能晚于今天"})
        if self.step == "apply":
            cp.check_apply(self._apply(value), self.view.started_on, today)
        elif self.step == "form_org":
            assert self.view.applied_on is not None
            cp.check_org(self._org(value), self.view.applied_on, today)
        elif self.step == "accept_plan":
            assert self.view.plan_submitted_on is not None
            cp.check_accept(self._accept(value), self.view.plan_submitted_on, today)

    @staticmethod
    def _apply(v: dict[str, Any]) -> cp.ApplyDraft:
        return cp.ApplyDraft(v["on"], v["conditions"], v["exclusions"], v["document_no"])

    @staticmethod
    def _org(v: dict[str, Any]) -> cp.OrgDraft:
        return cp.OrgDraft(v["on"], v["name"], v["members"])

    @staticmethod
    def _accept(v: dict[str, Any]) -> cp.PlanAcceptDraft:
        months = int(v["exam_months"]) if v["exam_months"] else None
        return cp.PlanAcceptDraft(v["on"], v["exam_start"], months, v["report_interval"])

    def submit(self, v: dict[str, Any]) -> Any:
        sv, cid, on = self.services.compliance, self.view.id, v["on"]
        step = self.step
        if step == "apply":
            return sv.apply(cid, self._apply(v))
        if step == "form_org":
            return sv.form_org(cid, self._org(v))
        if step == "accept_plan":
            return sv.accept_plan(cid, self._accept(v))
        if step == "replace_member":
            new = cp.MemberDraft(v["new_name"], v["profession"], v["unit"])
            return sv.replace_member(cid, v["member"], on, new)
        calls = {
            "reject": lambda: sv.reject(cid, on, v["reason"]),
            "object_member": lambda: sv.object_member(cid, v["member"], on, v["objection"]),
            "submit_plan": lambda: sv.submit_plan(cid, on, v["committed_on"]),
            "request_revision": lambda: sv.request_revision(cid, on, v["note"]),
            "receive_report": lambda: sv.receive_report(cid, on, v["note"]),
            "inspect": lambda: sv.inspect(cid, on, v["note"]),
            "extend": lambda: sv.extend(cid, on, int(v["months"]) if v["months"] else None,
                                        v["reason"]),
            "evaluate": lambda: sv.evaluate(cid, on, v["result"], v["note"]),
            "hear": lambda: sv.hear(cid, on, v["participants"]),
            "decide": lambda: sv.decide(cid, on, v["decision"], v["document_no"]),
            "send_opinion": lambda: sv.send_opinion(cid, on, v["authority"]),
            "record_reply": lambda: sv.record_reply(cid, on, v["reply"]),
            "close": lambda: sv.close(cid, on),
            "terminate": lambda: sv.terminate(cid, on, v["reason"]),
        }  # fmt: skip
        return calls[step]()
