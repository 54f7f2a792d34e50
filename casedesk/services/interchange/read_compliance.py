"""Reading the compliance cases of a case line (docs/interchange.md §3.8): each compliance case
(合规考察) with its third-party organisation's members and its entries, checked with the entry
forms' rules (``casedesk.domain.compliance``) plus what its state implies — the steps taken to
reach it dated, in order, and no later step — every problem named by its key path."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import TYPE_CHECKING

from casedesk.domain import compliance as cp
from casedesk.domain.drafts import LIMITS
from casedesk.services.compliance import FAMILIES
from casedesk.services.interchange.checks import is_int, join
from casedesk.services.interchange.clock_refs import ClockRefs
from casedesk.services.interchange.compliance_format import (
    COMPLIANCE_CLOCKS,
    ComplianceRecord,
    MemberRecord,
)
from casedesk.services.interchange.measure_format import Row

if TYPE_CHECKING:
    from casedesk.services.interchange.read_measures import MeasureReader

_SHORT, _NAME, _NOTES = LIMITS["short"], LIMITS["name"], LIMITS["notes"]
_TEXTS = {
    "applicant": ("申请人", _SHORT), "apply_document": ("适用决定文书", _SHORT),
    "org_name": ("第三方组织名称", _NAME), "hearing_participants": ("听证参加人员", _NOTES),
    "decision_document": ("处理决定文书", _SHORT), "opinion_authority": ("主管机关", _SHORT),
    "opinion_reply": ("主管机关回复", _NOTES), "end_reason": ("理由", _NOTES),
    "notes": ("备注", _NOTES),
}  # fmt: skip
#: The dated steps in the order they are taken (each not before those before it).
_ORDER = (
    ("started_on", "启动日期"), ("applied_on", "决定适用日期"),
    ("org_formed_on", "第三方组织组建日期"), ("plan_submitted_on", "计划提交日期"),
    ("plan_accepted_on", "计划通过日期"), ("exam_start", "考察期开始日期"),
    ("evaluated_on", "评估日期"), ("hearing_on", "听证日期"), ("decided_on", "处理决定日期"),
    ("opinion_served_on", "检察意见送达日期"), ("opinion_replied_on", "回复日期"),
    ("ended_on", "结束日期"),
)  # fmt: skip
_LABELS = dict(_ORDER)
#: The steps along the path, and how many of them each state has taken.
_PATH = (
    "started_on", "applied_on", "org_formed_on", "plan_submitted_on", "plan_accepted_on",
    "evaluated_on", "hearing_on", "decided_on",
)  # fmt: skip
_DONE = {
    cp.REVIEWING: 1, cp.APPLIED: 2, cp.ORG_FORMED: 3, cp.PLAN_SUBMITTED: 4, cp.EXAMINING: 5,
    cp.EVALUATED: 6, cp.HEARD: 7, cp.DECIDED: 8, cp.CLOSED: 8,
}  # fmt: skip
_ENTRY_KINDS = ("修改意见", "定期报告", "检查", "延长考察期")
_MEMBER_TEXTS = {"name": ("姓名", _SHORT), "unit": ("单位", _NAME), "objection": ("异议", _NOTES)}
_START_KEYS = {"enterprise_party_id": "enterprise_party"}
_APPLY_KEYS = {"decided_on": "applied_on"}


class ComplianceReader:
    """Reads the ``compliance_cases`` of the case object ``m`` reads; their clock references
    go to ``refs``."""

    def __init__(self, m: MeasureReader, refs: ClockRefs):
        self.m, self.r, self.refs = m, m.r, refs

    def read(self) -> list[ComplianceRecord]:
        out = []
        for i, item in self.r.entries(self.m.obj, "", "compliance_cases"):
            if (record := self.case(item, f"compliance_cases[{i}]")) is not None:
                out.append(record)
        return out

    def case(self, obj: dict, path: str) -> ComplianceRecord | None:
        m, r, before = self.m, self.r, len(self.r.problems)
        r.known(obj, path, "compliance_case")
        file_id = m.record_id(obj, path, "compliance_case")
        family = m.case.family
        if family and family not in FAMILIES:
            r.problem(path, f"合规考察只适用于刑事案件（含检察监督案件），本案为{family}案件")
        enterprise = m.party(obj, path, "enterprise_party", person_only=False)
        if enterprise is None and obj.get("enterprise_party") is None:
            r.problem(join(path, "enterprise_party"), "缺少必填项")
        elif enterprise is not None and not _is_enterprise(m.parties[enterprise]):
            message = f"parties[{enterprise}] 不是企业：合规考察针对本案当事人中的企业"
            r.problem(join(path, "enterprise_party"), message)
        state = r.choice(obj, path, "state", "合规考察的状态", cp.STATES, required=True)
        start_kind = r.choice(obj, path, "start_kind", "启动方式", cp.START_KINDS, required=True)
        t = m.texts(obj, path, _TEXTS)
        days = {
            key: m.day(
                obj, path, key, label, future=key == "exam_start", required=key == "started_on"
            )
            for key, label in _ORDER
        }
        start = cp.ComplianceDraft("-", start_kind, days["started_on"], t["applicant"])
        m.checked(path, cp.check_start, start, m.today, keys=_START_KEYS)
        if state in cp.STATES:
            self.steps(path, state, days)
        conditions = self.conditions(obj, path)
        applied = days["applied_on"] is not None and state != cp.NOT_APPLIED
        if applied and days["started_on"] is not None:
            draft = cp.ApplyDraft(days["applied_on"], conditions, frozenset(), t["apply_document"])
            m.checked(path, cp.check_apply, draft, days["started_on"], m.today, keys=_APPLY_KEYS)
        committed = m.day(obj, path, "plan_committed_on", "承诺完成时限", future=True)
        if committed is not None and days["plan_submitted_on"] is None:
            r.problem(join(path, "plan_committed_on"), "尚未提交合规计划，不应有承诺完成时限")
        elif committed is not None and committed <= days["plan_submitted_on"]:  # type: ignore[operator]
            r.problem(join(path, "plan_committed_on"), "承诺完成时限应晚于计划提交日期")
        exam = self.exam(obj, path, days)
        result = r.choice(obj, path, "result", "评估结论", cp.RESULTS)
        decision = r.choice(obj, path, "decision", "处理决定", cp.DECISIONS)
        self.outcome(path, state, t, days, result, decision)
        record = ComplianceRecord(file_id, {}, enterprise=enterprise or 0)
        record.members = self.members(obj, path, days["org_formed_on"])
        record.entries = self.entries(obj, path, days["started_on"])
        record.clocks = self.refs.read(obj, path, COMPLIANCE_CLOCKS, owner=record)
        stamps = m.stamps(obj, path)
        if len(r.problems) > before or enterprise is None:
            self.refs.drop(record.clocks)
            return None
        record.values = {
            "state": state, "start_kind": start_kind, **t, **days, **exam,
            "conditions": json.dumps(sorted(conditions)) if conditions else "",
            "plan_committed_on": committed, "result": result,
            "decision": decision, **stamps,
        }  # fmt: skip
        m.register("compliance_case", obj, record)
        return record

    def steps(self, path: str, state: str, days: dict[str, date | None]) -> None:
        """The steps ``state`` implies: taken (dated) or not yet, and dated in order."""
        r = self.r
        if state == cp.NOT_APPLIED:
            need = allowed = {"started_on", "applied_on", "ended_on"}
        elif state == cp.TERMINATED:
            need, allowed = {"started_on", "ended_on"}, {*_PATH[:5], "ended_on"}
            gap = next((k for k in _PATH[:5] if days[k] is None), None)
            for key in _PATH[_PATH.index(gap) + 1 : 5] if gap else ():
                if days[key] is not None:
                    r.problem(join(path, key), f"尚无{_LABELS[gap]}，不应有{_LABELS[key]}")
        else:
            done = set(_PATH[: _DONE[state]])
            need = done - ({"hearing_on"} if state in (cp.DECIDED, cp.CLOSED) else set())
            allowed = done | ({"ended_on"} if state == cp.CLOSED else set())
            need |= {"ended_on"} if state == cp.CLOSED else set()
        for key in (*_PATH, "ended_on"):
            if key in need and days[key] is None:
                r.problem(join(path, key), f"状态为“{state}”的合规考察应有{_LABELS[key]}")
            elif key not in allowed and days[key] is not None:
                r.problem(join(path, key), f"状态为“{state}”的合规考察不应有{_LABELS[key]}")
        latest: tuple[date, str] | None = None
        for key, label in _ORDER:
            day = days[key]
            if day is None:
                continue
            if latest is not None and day < latest[0]:
                r.problem(join(path, key), f"{label}不能早于{latest[1]}（{latest[0]}）")
            elif latest is None or day > latest[0]:
                latest = (day, label)

    def conditions(self, obj: dict, path: str) -> frozenset[str]:
        found = set()
        for i, key in enumerate(self.r.items(obj, path, "conditions", str)):
            if key not in cp.CONDITIONS:
                shown = "、".join(cp.CONDITIONS)
                self.r.problem(f"{join(path, 'conditions')}[{i}]",
                               f"“{key}”不是适用条件，应为：{shown}")  # fmt: skip
            found.add(key)
        return frozenset(found)

    def exam(self, obj: dict, path: str, days: dict[str, date | None]) -> dict:
        """The 考察期: its length in months (with the extensions) and the report interval, set
        when the plan was accepted."""
        r, where = self.r, join(path, "exam_months")
        months = obj.get("exam_months")
        if months is not None and (not is_int(months) or not 1 <= months <= cp.MAX_EXAM_MONTHS):
            r.problem(where, f"考察期应为 1 至 {cp.MAX_EXAM_MONTHS} 的整数（月），实为 {months}")
            months = None
        interval = r.period(obj, path, "report_interval")
        if interval and interval[-1] not in "dm":
            r.problem(join(path, "report_interval"), "报告周期如：30d（30日）、1m（1个月）")
        accepted = days["plan_accepted_on"] is not None
        for key, value in (("exam_start", days["exam_start"]), ("exam_months", months),
                           ("report_interval", interval)):  # fmt: skip
            if accepted and not value:
                r.problem(join(path, key), "合规计划已通过的，应有考察期开始日期、月数和报告周期")
            elif value and not accepted:
                r.problem(join(path, key), "合规计划尚未通过，不应有考察期")
        return {"exam_months": months, "report_interval": interval}

    def outcome(self, path: str, state: str, t: dict[str, str], days: dict[str, date | None],
                result: str, decision: str) -> None:  # fmt: skip
        """The evaluation, hearing, decision and 检察意见, each with what it needs."""
        r = self.r
        pairs = (
            ("evaluated_on", "result", result, "请选择评估结论（合格或不合格）"),
            ("hearing_on", "hearing_participants", t["hearing_participants"],
             "请填写参加听证的人员"),
            ("decided_on", "decision", decision, "请选择处理决定"),
            ("opinion_served_on", "opinion_authority", t["opinion_authority"], "请填写主管机关"),
        )  # fmt: skip
        for day_key, key, value, message in pairs:
            if days[day_key] is not None and not value:
                r.problem(join(path, key), message)
            elif days[day_key] is None and value:
                r.problem(join(path, key), f"没有{_LABELS[day_key]}，不应有此项")
        if decision == "不起诉" and result and result != "合格":
            r.problem(join(path, "decision"), "合规考察评估不合格的，不能据此作出不起诉决定")
        if days["opinion_served_on"] is not None and decision and decision not in cp.OPINION_AFTER:
            r.problem(join(path, "opinion_served_on"), "检察意见在作出不起诉决定后向主管机关提出")
        if days["opinion_replied_on"] is not None and days["opinion_served_on"] is None:
            r.problem(join(path, "opinion_replied_on"), "尚未制发检察意见，不应有回复日期")
        if state == cp.CLOSED and days["opinion_served_on"] and not days["opinion_replied_on"]:
            r.problem(join(path, "opinion_replied_on"), "检察意见尚未收到主管机关回复，不能结案")
        if state in (cp.NOT_APPLIED, cp.TERMINATED) and not t["end_reason"]:
            r.problem(join(path, "end_reason"), "请写明不适用或终止的理由")

    def members(self, obj: dict, path: str, formed_on: date | None) -> list[MemberRecord]:
        """The members in the order of their ``position`` (1, 2, …); a replacement names the
        member who took the place (``replaced_by``)."""
        m, r = self.m, self.r
        out: list[MemberRecord] = []
        by_id: dict[uuid.UUID, MemberRecord | None] = {}
        links: list[tuple[MemberRecord | None, uuid.UUID, str]] = []
        for i, item in r.entries(obj, path, "members"):
            where, before = f"{join(path, 'members')}[{i}]", len(r.problems)
            r.known(item, where, "compliance_member")
            member_id = m.record_id(item, where)
            by_id[member_id] = None
            position = r.integer(item, where, "position", i + 1, minimum=1)
            if position != i + 1 and join(where, "position") not in r.problems:
                r.problem(
                    join(where, "position"),
                    f"组成人员应依次编号：此处应为 {i + 1}，实为 {position}",
                )
            if formed_on is None:
                r.problem(where, "尚未组建第三方组织，不应有组成人员")
            t = m.texts(item, where, _MEMBER_TEXTS)
            if not t["name"]:
                r.problem(join(where, "name"), "缺少必填项")
            profession = r.choice(
                item, where, "profession", "专业类别", cp.PROFESSIONS, required=True
            )
            joined = m.day(item, where, "joined_on", "加入日期", formed_on, "第三方组织组建日期",
                           required=True)  # fmt: skip
            objected = m.day(item, where, "objected_on", "提出异议日期", joined, "其加入日期")
            if (objected is None) != (not t["objection"]):
                r.problem(join(where, "objection"), "异议与提出异议日期应同时填写")
            left = m.day(item, where, "left_on", "更换日期", joined, "其加入日期")
            replaced_by = r.ident(item, where, "replaced_by")
            if (left is None) != (replaced_by is None):
                r.problem(join(where, "replaced_by"), "被更换的成员应同时有更换日期和接替的成员")
            if len(r.problems) > before:
                if replaced_by is not None:
                    links.append((None, replaced_by, where))
                continue
            member = MemberRecord(member_id, {"position": position, **t, "profession": profession,
                                              "joined_on": joined, "objected_on": objected,
                                              "left_on": left})  # fmt: skip
            by_id[member_id] = member
            out.append(member)
            if replaced_by is not None:
                links.append((member, replaced_by, where))
        for member, target_id, where in links:
            if target_id not in by_id:
                r.problem(
                    join(where, "replaced_by"), f"members 中没有编号为 {target_id.hex} 的成员"
                )
            elif by_id[target_id] is member:
                r.problem(join(where, "replaced_by"), "成员不能由其自身接替")
            elif member is not None:
                member.replaced_by = by_id[target_id]
        return out

    def entries(self, obj: dict, path: str, started_on: date | None) -> list[Row]:
        """Plan revisions, periodic reports (received, with their last day), inspections and
        extensions of the 考察期, each dated."""
        m, r = self.m, self.r
        out, positions = [], {}
        for i, item in r.entries(obj, path, "entries"):
            where, before = f"{join(path, 'entries')}[{i}]", len(r.problems)
            r.known(item, where, "compliance_entry")
            entry_id = m.record_id(item, where)
            kind = r.choice(item, where, "kind", "记录类型", _ENTRY_KINDS, required=True)
            position = r.integer(item, where, "position", i + 1, minimum=1)
            if position in positions:
                r.problem(join(where, "position"), f"与 {positions[position]} 的 position 重复")
            positions.setdefault(position, where)
            occurred = m.day(item, where, "occurred_on", "日期", started_on, "启动日期",
                             required=True)  # fmt: skip
            due = r.date(item, where, "due_on")
            if kind == "定期报告" and due is None:
                r.problem(join(where, "due_on"), "定期报告应有报告期限（due_on）")
            months = obj_months = item.get("months")
            if obj_months is not None and (not is_int(obj_months) or obj_months < 1):
                r.problem(join(where, "months"), f"延长的月数应为正整数，实为 {obj_months}")
                months = None
            if kind == "延长考察期" and months is None and join(where, "months") not in r.problems:
                r.problem(join(where, "months"), "请填写延长的月数")
            note = r.clean(item, where, "note", "说明", _NOTES)
            by = m.stamps(item, where)["created_by"]
            if len(r.problems) == before:
                values = {"kind": kind, "position": position, "occurred_on": occurred,
                          "due_on": due, "months": months, "note": note,
                          "created_by": by}  # fmt: skip
                out.append(Row(entry_id, values))
        return out


def _is_enterprise(party: object) -> bool:
    return isinstance(party, dict) and party.get("enterprise") is not None
