"""涉案企业合规改革 (compliance reform) as a dated state machine (law.md §5.2).

A compliance case (合规考察) belongs to a criminal case and one of its enterprises. It moves only
along :data:`TRANSITIONS`: started on application or ex officio and reviewed for eligibility
(适用条件: 认罪认罚, operating normally, voluntary, none of the exclusions); the decision to apply
the third-party mechanism (第三方监督评估机制); the third-party organisation formed; the
compliance plan submitted (revisions requested) and accepted, with the 考察期 starting — its
length set per case, as there is no national value; periodic reports; the evaluation (合格 /
不合格); a hearing; the procuratorate's decision; a 检察意见 to the competent authority after
不起诉 (刑诉法 第177条第3款) with its reply; closed. It may be terminated before the decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.field_types import check_types
from casedesk.domain.periods import Period, PeriodError, add_months

# -- states -----------------------------------------------------------------------------------
REVIEWING = "适用审查"
NOT_APPLIED = "不适用"
APPLIED = "已决定适用"
ORG_FORMED = "第三方组织已组建"
PLAN_SUBMITTED = "合规计划审查中"
EXAMINING = "考察中"
EVALUATED = "已评估"
HEARD = "已听证"
DECIDED = "已作出处理决定"
CLOSED = "已结案"
TERMINATED = "已终止"
STATES = (
    REVIEWING, APPLIED, ORG_FORMED, PLAN_SUBMITTED, EXAMINING, EVALUATED, HEARD, DECIDED,
    CLOSED, NOT_APPLIED, TERMINATED,
)  # fmt: skip
FINAL_STATES = frozenset({CLOSED, NOT_APPLIED, TERMINATED})

#: Step → (states it may be taken from, state it leads to; None: the state stays).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "apply": (frozenset({REVIEWING}), APPLIED),
    "reject": (frozenset({REVIEWING}), NOT_APPLIED),
    "form_org": (frozenset({APPLIED}), ORG_FORMED),
    "object_member": (frozenset({ORG_FORMED, PLAN_SUBMITTED, EXAMINING}), None),
    "replace_member": (frozenset({ORG_FORMED, PLAN_SUBMITTED, EXAMINING}), None),
    "submit_plan": (frozenset({ORG_FORMED}), PLAN_SUBMITTED),
    "request_revision": (frozenset({PLAN_SUBMITTED}), None),
    "accept_plan": (frozenset({PLAN_SUBMITTED}), EXAMINING),
    "receive_report": (frozenset({EXAMINING}), None),
    "inspect": (frozenset({EXAMINING}), None),
    "extend": (frozenset({EXAMINING}), None),
    "evaluate": (frozenset({EXAMINING}), EVALUATED),
    "hear": (frozenset({EVALUATED}), HEARD),
    "decide": (frozenset({EVALUATED, HEARD}), DECIDED),
    "send_opinion": (frozenset({DECIDED}), None),
    "record_reply": (frozenset({DECIDED}), None),
    "close": (frozenset({DECIDED}), CLOSED),
    "terminate": (frozenset({REVIEWING, APPLIED, ORG_FORMED, PLAN_SUBMITTED, EXAMINING}),
                  TERMINATED),
}  # fmt: skip
STEP_NAMES = {
    "apply": "决定适用第三方机制", "reject": "决定不适用", "form_org": "组建第三方组织",
    "object_member": "对组成人员提出异议", "replace_member": "更换组成人员",
    "submit_plan": "提交合规计划", "request_revision": "要求修改合规计划",
    "accept_plan": "合规计划通过，开始考察", "receive_report": "收到定期书面报告",
    "inspect": "第三方组织检查", "extend": "延长考察期", "evaluate": "合规考察书面报告",
    "hear": "听证", "decide": "作出处理决定", "send_opinion": "制发检察意见",
    "record_reply": "主管机关回复", "close": "结案", "terminate": "终止合规考察",
}  # fmt: skip

# -- words --------------------------------------------------------------------------------------
START_KINDS = ("企业申请", "辩护人申请", "依职权启动", "其他人员申请")
#: The conditions of application (指导意见 第4条; law.md §5.2): each must be ticked to apply.
CONDITIONS = {
    "admits_guilt": "涉案企业、个人认罪认罚",
    "operating_normally": "企业能够正常生产经营，承诺建立或者完善企业合规制度",
    "voluntary": "企业自愿适用第三方机制",
}
#: Exclusions (指导意见 第5条): any one of them and the mechanism does not apply.
EXCLUSIONS = (
    "个人为进行违法犯罪活动而设立公司、企业的",
    "公司、企业设立后以实施犯罪为主要活动的",
    "公司、企业人员盗用单位名义实施犯罪的",
    "涉嫌危害国家安全犯罪、恐怖活动犯罪的",
    "其他不宜适用的情形",
)
PROFESSIONS = ("律师", "注册会计师", "税务师", "环保专家", "行业专家", "政府部门工作人员", "其他")
RESULTS = ("合格", "不合格")
DECISIONS = (
    "不批准逮捕", "变更强制措施", "不起诉", "起诉并提出从宽处罚的量刑建议", "起诉", "其他",
)  # fmt: skip
#: The 检察意见 to the competent authority follows a 不起诉 (刑诉法 第177条第3款).
OPINION_AFTER = frozenset({"不起诉"})
#: 考察期 in months: no national value (law.md §5.2, L); local rules range ~2 months to 1 year.
EXAM_MONTHS = range(1, 13)
MAX_EXAM_MONTHS = 24  # with every extension: beyond it the entry is taken for a typing error


def step_to(state: str, step: str) -> str:
    """The state ``step`` leads to from ``state``; refused (field "step") when not allowed."""
    if step not in TRANSITIONS:
        raise FieldErrors({"step": f"未知的步骤：{step}"})
    sources, target = TRANSITIONS[step]
    if state not in sources:
        allowed = "、".join(s for s in STATES if s in sources)
        raise FieldErrors({
            "step": f"当前状态为“{state}”，不能{STEP_NAMES[step]}（须在{allowed}时进行）"
        })  # fmt: skip
    return target or state


def report_due_days(start: date, end: date, interval: Period) -> list[date]:
    """Last days of the periodic reports: every ``interval`` from the start of the 考察期, up
    to its end (the last report falls due on the last day at the latest)."""
    days: list[date] = []
    n = 1
    while True:
        if interval.unit == "d":
            due = date.fromordinal(start.toordinal() + interval.amount * n)
        else:
            due = add_months(start, interval.amount * n)
        if due >= end:
            days.append(end)
            return days
        days.append(due)
        n += 1


# -- drafts ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComplianceDraft:
    """A compliance case started on a criminal case for one of its enterprise parties."""

    enterprise_party_id: str
    start_kind: str
    started_on: date | None
    applicant: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ApplyDraft:
    decided_on: date | None
    conditions: frozenset[str] = frozenset()  # keys of CONDITIONS found to hold
    exclusions: frozenset[str] = frozenset()  # EXCLUSIONS found
    document_no: str = ""


@dataclass(frozen=True)
class MemberDraft:
    name: str
    profession: str
    unit: str = ""


@dataclass(frozen=True)
class OrgDraft:
    formed_on: date | None
    name: str
    members: tuple[MemberDraft, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PlanAcceptDraft:
    accepted_on: date | None
    exam_start: date | None
    exam_months: int | None
    report_interval: str = "1m"  # "30d", "1m", "2m" …


def _date(errors: dict[str, str], name: str, label: str, day: date | None, today: date,
          after: date | None = None, after_label: str = "") -> None:  # fmt: skip
    if day is None:
        errors[name] = f"请填写{label}"
    elif day > today:
        errors[name] = f"{label}不能晚于今天"
    elif after is not None and day < after:
        errors[name] = f"{label}不能早于{after_label}（{after}）"


def check_start(d: ComplianceDraft, today: date) -> None:
    check_types(d)
    errors: dict[str, str] = {}
    if not d.enterprise_party_id:
        errors["enterprise_party_id"] = "请选择涉案企业（本案当事人中的企业）"
    if d.start_kind not in START_KINDS:
        errors["start_kind"] = "请选择启动方式"
    elif d.start_kind != "依职权启动" and not clean_text(d.applicant):
        errors["applicant"] = "依申请启动的，请填写申请人"
    _date(errors, "started_on", "启动日期", d.started_on, today)
    if errors:
        raise FieldErrors(errors)


def check_apply(d: ApplyDraft, started_on: date, today: date) -> None:
    """All conditions must hold and no exclusion (指导意见 第4、5条)."""
    check_types(d)
    errors: dict[str, str] = {}
    _date(errors, "decided_on", "决定日期", d.decided_on, today, started_on, "启动日期")
    missing = [text for key, text in CONDITIONS.items() if key not in d.conditions]
    if missing:
        errors["conditions"] = "不符合适用条件：" + "；".join(missing)
    if d.exclusions:
        errors["exclusions"] = "存在不适用情形：" + "；".join(sorted(d.exclusions))
    if errors:
        raise FieldErrors(errors)


def check_org(d: OrgDraft, applied_on: date, today: date) -> None:
    check_types(d)
    errors: dict[str, str] = {}
    _date(errors, "formed_on", "组建日期", d.formed_on, today, applied_on, "决定适用日期")
    if not clean_text(d.name):
        errors["name"] = "请填写第三方组织名称"
    if not d.members:
        errors["members"] = "请至少登记一名组成人员"
    for m in d.members:
        if not clean_text(m.name):
            errors["members"] = "组成人员须填写姓名"
        elif m.profession not in PROFESSIONS:
            errors["members"] = f"请选择{m.name}的专业类别"
    if errors:
        raise FieldErrors(errors)


def check_accept(d: PlanAcceptDraft, submitted_on: date, today: date) -> Period:
    """The plan accepted and the 考察期 set; returns the report interval."""
    check_types(d)
    errors: dict[str, str] = {}
    _date(errors, "accepted_on", "计划通过日期", d.accepted_on, today, submitted_on, "计划提交日期")
    if d.exam_start is None:
        errors["exam_start"] = "请填写考察期开始日期"
    elif d.accepted_on is not None and d.exam_start < d.accepted_on:
        errors["exam_start"] = "考察期不能早于合规计划通过之日开始"
    if d.exam_months is None or d.exam_months not in EXAM_MONTHS:
        errors["exam_months"] = "考察期以月计，请填写1至12个月（各地规定不一，常见3至6个月）"
    interval = None
    try:
        interval = Period.parse(d.report_interval)
        if interval.unit not in ("d", "m") or interval.amount <= 0:
            raise ValueError
    except (PeriodError, ValueError):
        errors["report_interval"] = "报告周期如：30d（30日）、1m（1个月）"
    if errors:
        raise FieldErrors(errors)
    assert interval is not None
    return interval
