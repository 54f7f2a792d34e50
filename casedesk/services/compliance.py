"""Compliance reform (合规考察) on a criminal case: a dated state machine (domain/compliance.py),
each step one unit of work with its audit record; the 考察期, each periodic report and the
检察意见's reply run as deadlines on the case, so the board shows them."""

from __future__ import annotations

import json
import uuid
from datetime import date

from sqlalchemy import select

from casedesk.domain import compliance as cp
from casedesk.domain.deadlines import CANCELLED, MET, OPEN
from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.services.base import ANY_SCOPE, Service, guarded, parse_id
from casedesk.services.cases import load_case
from casedesk.services.compliance_dto import ComplianceRow, ComplianceView
from casedesk.services.compliance_records import (
    add_clock,
    add_entry,
    add_member,
    audit_step,
    check_day,
    end_clocks,
    find_member,
    last_day,
    load,
    set_step,
    touch,
)
from casedesk.services.compliance_views import compliance_rows, compliance_view
from casedesk.services.deadline_sync import close_deadline, load_context
from casedesk.services.lists import read_scope
from casedesk.store import audit
from casedesk.store.compliance_models import (
    ComplianceCase,
)
from casedesk.store.models import CaseParty, Deadline, Enterprise

FAMILIES = ("刑事", "检察监督")
EXAM_RULE, REPORT_RULE, OPINION_RULE = (
    "compliance.exam", "compliance.report", "procuratorial_opinion.reply",
)  # fmt: skip


class ComplianceService(Service):
    """Compliance cases of enterprises in criminal cases."""

    # -- reading ----------------------------------------------------------------------------------
    @guarded("case.read", via=ComplianceCase)
    def get(self, compliance_id: str, as_of: date | None = None) -> ComplianceView:
        with self._uow() as uow:
            c = load(uow, compliance_id)
            return compliance_view(uow.session, load_context(uow), c, as_of or date.today())

    @guarded("case.read")
    def for_case(self, case_id: str, as_of: date | None = None) -> list[ComplianceView]:
        with self._uow() as uow:
            case = load_case(uow.session, case_id)
            ctx, day = load_context(uow), as_of or date.today()
            rows = uow.session.scalars(
                select(ComplianceCase)
                .where(ComplianceCase.case_id == case.id)
                .order_by(ComplianceCase.started_on)
            ).all()
            return [compliance_view(uow.session, ctx, c, day) for c in rows]

    @guarded("case.read", via=ANY_SCOPE)
    def rows(self, state: str = "") -> list[ComplianceRow]:
        """Every compliance case (or those in ``state``) with what is due next."""
        with self._read() as s:
            return compliance_rows(s, state, read_scope(self.identity))

    # -- starting ---------------------------------------------------------------------------------
    @guarded("compliance.decide")
    def start(self, case_id: str, draft: cp.ComplianceDraft) -> str:
        """Start a compliance case (application or ex officio) for an enterprise of a criminal
        case: it is then reviewed for eligibility (适用审查)."""
        cp.check_start(draft, date.today())
        with self._uow() as uow:
            s = uow.session
            case = load_case(s, case_id)
            if case.family not in FAMILIES:
                raise FieldErrors({"case": "合规考察只适用于刑事案件（含检察监督案件）"})
            party = s.get(CaseParty, parse_id(draft.enterprise_party_id, "当事人"))
            if party is None or party.case_id != case.id or party.enterprise_id is None:
                raise FieldErrors({"enterprise_party_id": "涉案企业须为本案当事人中的企业"})
            open_case = s.scalar(
                select(ComplianceCase.id).where(
                    ComplianceCase.case_id == case.id,
                    ComplianceCase.enterprise_id == party.enterprise_id,
                    ComplianceCase.state.not_in(sorted(cp.FINAL_STATES)),
                )
            )
            if open_case is not None:
                raise FieldErrors({"enterprise_party_id": "该企业在本案已有进行中的合规考察"})
            now = audit.utcnow()
            c = ComplianceCase(
                id=uuid.uuid4(), case_id=case.id, enterprise_id=party.enterprise_id,
                state=cp.REVIEWING, start_kind=draft.start_kind,
                applicant=clean_text(draft.applicant), started_on=draft.started_on,
                notes=clean_text(draft.notes), created_by=self.actor, created_at=now,
                updated_at=now,
            )  # fmt: skip
            s.add(c)
            s.flush()
            name = s.get(Enterprise, party.enterprise_id).name  # type: ignore[union-attr]
            audit_step(uow, c, "create", f"启动合规考察 {name}", {
                "start_kind": (None, c.start_kind), "applicant": (None, c.applicant),
                "started_on": (None, c.started_on), "state": (None, c.state),
            })  # fmt: skip
            uow.commit()
            return c.id.hex

    @guarded("compliance.step", via=ComplianceCase)
    def apply(self, compliance_id: str, draft: cp.ApplyDraft) -> None:
        """决定适用第三方机制: every condition holds and no exclusion (指导意见 第4、5条)."""
        with self._uow() as uow:
            c = load(uow, compliance_id)
            state = cp.step_to(c.state, "apply")
            cp.check_apply(draft, c.started_on, date.today())
            set_step(uow, c, "apply", state, {
                "applied_on": draft.decided_on,
                "conditions": json.dumps(sorted(draft.conditions)),
                "apply_document": clean_text(draft.document_no),
            })  # fmt: skip

    @guarded("compliance.decide", via=ComplianceCase)
    def reject(self, compliance_id: str, on: date | None, reason: str) -> None:
        """决定不适用 (with the reason)."""
        with self._uow() as uow:
            c = load(uow, compliance_id)
            state = cp.step_to(c.state, "reject")
            day = check_day(on, "决定日期", c.started_on, "启动日期")
            if not clean_text(reason):
                raise FieldErrors({"reason": "请写明不适用的理由"})
            set_step(uow, c, "reject", state, {
                "applied_on": day, "ended_on": day, "end_reason": clean_text(reason),
            })  # fmt: skip

    # -- the third-party organisation -----------------------------------------------------------
    @guarded("compliance.step", via=ComplianceCase)
    def form_org(self, compliance_id: str, draft: cp.OrgDraft) -> None:
        with self._uow() as uow:
            c = load(uow, compliance_id)
            state = cp.step_to(c.state, "form_org")
            assert c.applied_on is not None
            cp.check_org(draft, c.applied_on, date.today())
            assert draft.formed_on is not None
            for m in draft.members:
                add_member(c, m, draft.formed_on)
            set_step(uow, c, "form_org", state, {
                "org_name": clean_text(draft.name), "org_formed_on": draft.formed_on,
                "member_names": "、".join(f"{m.name}（{m.profession}）" for m in draft.members),
            })  # fmt: skip

    @guarded("compliance.step", via=ComplianceCase)
    def object_member(self, compliance_id: str, member_id: str, on: date | None,
                      objection: str) -> None:  # fmt: skip
        """An objection or request for recusal (异议 / 回避申请) against a member."""
        with self._uow() as uow:
            c = load(uow, compliance_id)
            cp.step_to(c.state, "object_member")
            m = find_member(c, member_id)
            day = check_day(on, "提出异议日期", m.joined_on, "其加入日期")
            if not clean_text(objection):
                raise FieldErrors({"objection": "请写明异议或回避的理由"})
            m.objection, m.objected_on = clean_text(objection), day
            touch(uow, c, "object_member", {"member": (None, m.name),
                                                  "objection": (None, m.objection)})  # fmt: skip

    @guarded("compliance.step", via=ComplianceCase)
    def replace_member(self, compliance_id: str, member_id: str, on: date | None,
                       new: cp.MemberDraft) -> str:  # fmt: skip
        """The member leaves the organisation and ``new`` joins in their place."""
        with self._uow() as uow:
            c = load(uow, compliance_id)
            cp.step_to(c.state, "replace_member")
            m = find_member(c, member_id)
            if m.left_on is not None:
                raise FieldErrors({"member": f"{m.name}已被更换"})
            day = check_day(on, "更换日期", m.joined_on, "其加入日期")
            if not clean_text(new.name) or new.profession not in cp.PROFESSIONS:
                raise FieldErrors({"members": "请填写新成员的姓名并选择专业类别"})
            added = add_member(c, new, day)
            uow.session.flush()  # the new member's row first: the old one refers to it
            m.left_on, m.replaced_by_id = day, added.id
            touch(uow, c, "replace_member", {"member": (m.name, added.name)})
            return added.id.hex

    # -- the plan and the 考察期 ----------------------------------------------------------------
    @guarded("compliance.step", via=ComplianceCase)
    def submit_plan(self, compliance_id: str, on: date | None,
                    committed_on: date | None = None) -> None:  # fmt: skip
        """合规计划 submitted, with the completion date the enterprise commits to."""
        with self._uow() as uow:
            c = load(uow, compliance_id)
            state = cp.step_to(c.state, "submit_plan")
            day = check_day(on, "计划提交日期", *last_day(c))
            if committed_on is not None and committed_on <= day:
                raise FieldErrors({"committed_on": "承诺完成时限应晚于计划提交日期"})
            set_step(uow, c, "submit_plan", state, {
                "plan_submitted_on": day, "plan_committed_on": committed_on,
            })  # fmt: skip

    @guarded("compliance.decide", via=ComplianceCase)
    def request_revision(self, compliance_id: str, on: date | None, note: str) -> None:
        with self._uow() as uow:
            c = load(uow, compliance_id)
            cp.step_to(c.state, "request_revision")
            day = check_day(on, "修改意见日期", *last_day(c))
            if not clean_text(note):
                raise FieldErrors({"note": "请写明修改意见"})
            add_entry(uow, c, "修改意见", day, note=clean_text(note))
            touch(uow, c, "request_revision", {"revision": (None, clean_text(note))})

    @guarded("compliance.decide", via=ComplianceCase)
    def accept_plan(self, compliance_id: str, draft: cp.PlanAcceptDraft) -> None:
        """The plan accepted; the 考察期 starts with its length and the first report's clock."""
        with self._uow() as uow:
            c = load(uow, compliance_id)
            state = cp.step_to(c.state, "accept_plan")
            assert c.plan_submitted_on is not None
            interval = cp.check_accept(draft, c.plan_submitted_on, date.today())
            assert draft.exam_start is not None and draft.exam_months is not None
            ctx, case = load_context(uow), load_case(uow.session, c.case_id)
            exam = add_clock(uow, ctx, case, c, EXAM_RULE, draft.exam_start,
                               f"{draft.exam_months}m")  # fmt: skip
            c.exam_deadline_id = exam.id
            c.report_deadline_id = add_clock(
                uow, ctx, case, c, REPORT_RULE, draft.exam_start, interval.spec, exam.due_on
            ).id
            set_step(uow, c, "accept_plan", state, {
                "plan_accepted_on": draft.accepted_on, "exam_start": draft.exam_start,
                "exam_months": draft.exam_months, "report_interval": interval.spec,
            })  # fmt: skip

    @guarded("compliance.step", via=ComplianceCase)
    def receive_report(self, compliance_id: str, on: date | None, note: str = "") -> None:
        """A periodic report received: its clock is met (late when after its last day) and the
        next report's clock starts from that last day, up to the end of the 考察期."""
        with self._uow() as uow:
            c = load(uow, compliance_id)
            cp.step_to(c.state, "receive_report")
            s = uow.session
            clock = s.get(Deadline, c.report_deadline_id) if c.report_deadline_id else None
            if clock is None or clock.status != OPEN:
                raise FieldErrors({"on": "考察期内已无待收的定期报告"})
            day = check_day(on, "报告收到日期", c.exam_start, "考察期开始日期")
            close_deadline(uow, clock, MET, day, "已收到定期书面报告")
            add_entry(uow, c, "定期报告", day, due_on=clock.due_on, note=clean_text(note))
            end = s.get(Deadline, c.exam_deadline_id).due_on  # type: ignore[union-attr]
            c.report_deadline_id = None
            if clock.due_on < end:
                ctx, case = load_context(uow), load_case(s, c.case_id)
                c.report_deadline_id = add_clock(
                    uow, ctx, case, c, REPORT_RULE, clock.due_on, c.report_interval, end
                ).id
            late = "（逾期）" if day > clock.due_on else ""
            touch(uow, c, "receive_report", {"report": (None, f"{day}{late}")})

    @guarded("compliance.step", via=ComplianceCase)
    def inspect(self, compliance_id: str, on: date | None, note: str) -> None:
        with self._uow() as uow:
            c = load(uow, compliance_id)
            cp.step_to(c.state, "inspect")
            day = check_day(on, "检查日期", c.exam_start, "考察期开始日期")
            if not clean_text(note):
                raise FieldErrors({"note": "请写明检查情况"})
            add_entry(uow, c, "检查", day, note=clean_text(note))
            touch(uow, c, "inspect", {"inspection": (None, f"{day} {clean_text(note)}")})

    @guarded("compliance.decide", via=ComplianceCase)
    def extend(self, compliance_id: str, on: date | None, months: int | None,
               reason: str) -> None:  # fmt: skip
        """延长考察期 by ``months``: the 考察期 clock is counted again from its start."""
        with self._uow() as uow:
            c = load(uow, compliance_id)
            cp.step_to(c.state, "extend")
            day = check_day(on, "延长决定日期", c.exam_start, "考察期开始日期")
            total = (c.exam_months or 0) + (months or 0)
            if not months or months < 1:
                raise FieldErrors({"months": "请填写延长的月数"})
            if total > cp.MAX_EXAM_MONTHS:
                raise FieldErrors(
                    {"months": f"延长后考察期共{total}个月，超过{cp.MAX_EXAM_MONTHS}个月"}
                )
            if not clean_text(reason):
                raise FieldErrors({"reason": "请写明延长理由"})
            s = uow.session
            old = s.get(Deadline, c.exam_deadline_id)  # type: ignore[arg-type]
            assert old is not None and c.exam_start is not None
            close_deadline(uow, old, CANCELLED, day, f"考察期延长{months}个月，重新计算")
            ctx, case = load_context(uow), load_case(s, c.case_id)
            exam = add_clock(uow, ctx, case, c, EXAM_RULE, c.exam_start, f"{total}m")
            c.exam_deadline_id = exam.id
            add_entry(uow, c, "延长考察期", day, months=months, note=clean_text(reason))
            set_step(uow, c, "extend", c.state, {"exam_months": total})

    # -- the end ------------------------------------------------------------------------------
    @guarded("compliance.step", via=ComplianceCase)
    def evaluate(self, compliance_id: str, on: date | None, result: str, note: str = "") -> None:
        """合规考察书面报告 (合格 / 不合格): the 考察期 clock is met, reports no longer due."""
        with self._uow() as uow:
            c = load(uow, compliance_id)
            state = cp.step_to(c.state, "evaluate")
            day = check_day(on, "评估日期", *last_day(c))
            if result not in cp.RESULTS:
                raise FieldErrors({"result": "请选择评估结论（合格或不合格）"})
            end_clocks(uow, c, day, "第三方组织已出具合规考察书面报告")
            set_step(uow, c, "evaluate", state, {"evaluated_on": day, "result": result})

    @guarded("compliance.step", via=ComplianceCase)
    def hear(self, compliance_id: str, on: date | None, participants: str) -> None:
        with self._uow() as uow:
            c = load(uow, compliance_id)
            state = cp.step_to(c.state, "hear")
            day = check_day(on, "听证日期", *last_day(c))
            if not clean_text(participants):
                raise FieldErrors({"participants": "请填写参加听证的人员"})
            set_step(uow, c, "hear", state, {
                "hearing_on": day, "hearing_participants": clean_text(participants),
            })  # fmt: skip

    @guarded("compliance.decide", via=ComplianceCase)
    def decide(self, compliance_id: str, on: date | None, decision: str,
               document_no: str = "") -> None:  # fmt: skip
        with self._uow() as uow:
            c = load(uow, compliance_id)
            state = cp.step_to(c.state, "decide")
            day = check_day(on, "处理决定日期", *last_day(c))
            if decision not in cp.DECISIONS:
                raise FieldErrors({"decision": "请选择处理决定"})
            if decision == "不起诉" and c.result != "合格":
                raise FieldErrors({"decision": "合规考察评估不合格的，不能据此作出不起诉决定"})
            set_step(uow, c, "decide", state, {
                "decided_on": day, "decision": decision,
                "decision_document": clean_text(document_no),
            })  # fmt: skip

    @guarded("compliance.step", via=ComplianceCase)
    def send_opinion(self, compliance_id: str, on: date | None, authority: str) -> None:
        """检察意见 to the competent authority after 不起诉 (刑诉法 第177条第3款): its reply
        clock starts on the day it is served."""
        with self._uow() as uow:
            c = load(uow, compliance_id)
            cp.step_to(c.state, "send_opinion")
            if c.decision not in cp.OPINION_AFTER:
                raise FieldErrors({"step": "检察意见在作出不起诉决定后向主管机关提出"})
            if c.opinion_served_on is not None:
                raise FieldErrors({"step": "已制发检察意见"})
            day = check_day(on, "送达日期", *last_day(c))
            if not clean_text(authority):
                raise FieldErrors({"authority": "请填写主管机关"})
            ctx, case = load_context(uow), load_case(uow.session, c.case_id)
            c.opinion_deadline_id = add_clock(uow, ctx, case, c, OPINION_RULE, day, "").id
            set_step(uow, c, "send_opinion", c.state, {
                "opinion_authority": clean_text(authority), "opinion_served_on": day,
            })  # fmt: skip

    @guarded("compliance.step", via=ComplianceCase)
    def record_reply(self, compliance_id: str, on: date | None, reply: str) -> None:
        with self._uow() as uow:
            c = load(uow, compliance_id)
            cp.step_to(c.state, "record_reply")
            if c.opinion_served_on is None:
                raise FieldErrors({"step": "尚未制发检察意见"})
            day = check_day(on, "回复日期", c.opinion_served_on, "检察意见送达日期")
            clock = uow.session.get(Deadline, c.opinion_deadline_id)  # type: ignore[arg-type]
            if clock is not None and clock.status == OPEN:
                close_deadline(uow, clock, MET, day, "主管机关已回复")
            set_step(uow, c, "record_reply", c.state, {
                "opinion_replied_on": day, "opinion_reply": clean_text(reply),
            })  # fmt: skip

    @guarded("compliance.decide", via=ComplianceCase)
    def close(self, compliance_id: str, on: date | None) -> None:
        with self._uow() as uow:
            c = load(uow, compliance_id)
            state = cp.step_to(c.state, "close")
            if c.opinion_served_on is not None and c.opinion_replied_on is None:
                raise FieldErrors({"step": "检察意见尚未收到主管机关回复，不能结案"})
            after = max(d for d in (c.decided_on, c.opinion_replied_on) if d is not None)
            day = check_day(on, "结案日期", after, "此前最后一步的日期")
            set_step(uow, c, "close", state, {"ended_on": day})

    @guarded("compliance.decide", via=ComplianceCase)
    def terminate(self, compliance_id: str, on: date | None, reason: str) -> None:
        """终止 before the decision (the enterprise withdrew, broke its commitments …)."""
        with self._uow() as uow:
            c = load(uow, compliance_id)
            state = cp.step_to(c.state, "terminate")
            day = check_day(on, "终止日期", *last_day(c))
            if not clean_text(reason):
                raise FieldErrors({"reason": "请写明终止的理由"})
            end_clocks(uow, c, day, "合规考察已终止", CANCELLED)
            set_step(uow, c, "terminate", state, {
                "ended_on": day, "end_reason": clean_text(reason),
            })  # fmt: skip
