"""Reading compliance cases: one case as the page shows it (with the criminal clocks of the same
case beside its own, and where the 考察期 outlasts them), and the list by state."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casedesk.domain.compliance import (
    APPLIED,
    DECIDED,
    EVALUATED,
    EXAMINING,
    HEARD,
    ORG_FORMED,
    PLAN_SUBMITTED,
    REVIEWING,
    STATES,
    TRANSITIONS,
)
from casedesk.domain.deadlines import OPEN
from casedesk.domain.measures import CASE_CUSTODY_RULES
from casedesk.services.compliance_dto import ComplianceRow, ComplianceView, EntryView, MemberView
from casedesk.services.deadline_sync import RuleContext
from casedesk.services.deadlines import deadline_view
from casedesk.store.case_scope import EVERYTHING, CaseScope
from casedesk.store.compliance_list import compliance_list
from casedesk.store.compliance_models import ComplianceCase, ComplianceClock
from casedesk.store.models import Case, Deadline, Enterprise

#: The case's clocks a 考察期 is weighed against (law.md §5.2: it stops none of them).
CRIMINAL_LIMITS = CASE_CUSTODY_RULES | {
    "criminal.custody.investigation", "criminal.arrest.review", "bail.max", "surveillance.max",
}  # fmt: skip
#: What is expected next in each state (the list's "next step").
NEXT_STEP = {
    REVIEWING: "审查是否适用",
    APPLIED: "组建第三方组织",
    ORG_FORMED: "提交合规计划",
    PLAN_SUBMITTED: "审查合规计划",
    EXAMINING: "定期报告 / 考察期届满评估",
    EVALUATED: "听证或作出处理决定",
    HEARD: "作出处理决定",
    DECIDED: "检察意见回复 / 结案",
}


def _own_clocks(s: Session, c: ComplianceCase) -> list[Deadline]:
    """Every clock it started, current and past, in the order they began."""
    return list(
        s.scalars(
            select(Deadline)
            .join(ComplianceClock, ComplianceClock.deadline_id == Deadline.id)
            .where(ComplianceClock.compliance_id == c.id)
            .order_by(Deadline.start_on, Deadline.created_at)
        )
    )


def exam_end(s: Session, c: ComplianceCase) -> date | None:
    if c.exam_deadline_id is None:
        return None
    row = s.get(Deadline, c.exam_deadline_id)
    return row.due_on if row is not None else None


def compliance_view(s: Session, ctx: RuleContext, c: ComplianceCase, as_of: date) -> ComplianceView:
    case = s.get(Case, c.case_id)
    enterprise = s.get(Enterprise, c.enterprise_id)
    assert case is not None and enterprise is not None
    own = [deadline_view(r, ctx, as_of) for r in _own_clocks(s, c)]
    criminal = [
        deadline_view(r, ctx, as_of)
        for r in s.scalars(
            select(Deadline)
            .where(
                Deadline.case_id == c.case_id,
                Deadline.status == OPEN,
                Deadline.rule_id.in_(sorted(CRIMINAL_LIMITS)),
            )
            .order_by(Deadline.due_on)
        )
    ]
    end = exam_end(s, c)
    warnings = []
    if end is not None and c.state == EXAMINING:
        for clock in criminal:
            if clock.due_on < end:
                who = f"（{clock.subject}）" if clock.subject else ""
                warnings.append(
                    f"考察期届满日 {end} 晚于{clock.name}{who}的最后一日 {clock.due_on}："
                    "考察期不中止该期限，请及时变更强制措施、延长或退回补充侦查"
                )
    names = {m.id: m.name for m in c.members}
    members = tuple(
        MemberView(
            m.id.hex,
            m.name,
            m.profession,
            m.unit,
            m.joined_on,
            m.objection,
            m.objected_on,
            m.left_on,
            names.get(m.replaced_by_id, "") if m.replaced_by_id else "",
        )
        for m in c.members
    )
    entries = tuple(
        EntryView(
            e.id.hex,
            e.kind,
            e.occurred_on,
            e.due_on,
            e.due_on is not None and e.occurred_on > e.due_on,
            e.months,
            e.note,
        )
        for e in c.entries
    )
    return ComplianceView(
        id=c.id.hex, case_id=c.case_id.hex, case_number=case.case_number,
        enterprise_id=c.enterprise_id.hex, enterprise_name=enterprise.name, state=c.state,
        steps=tuple(step for step, (sources, _to) in TRANSITIONS.items() if c.state in sources),
        start_kind=c.start_kind, applicant=c.applicant, started_on=c.started_on,
        conditions=tuple(json.loads(c.conditions or "[]")), applied_on=c.applied_on,
        apply_document=c.apply_document, org_name=c.org_name, org_formed_on=c.org_formed_on,
        plan_submitted_on=c.plan_submitted_on, plan_committed_on=c.plan_committed_on,
        plan_accepted_on=c.plan_accepted_on, exam_start=c.exam_start, exam_months=c.exam_months,
        exam_end=end, report_interval=c.report_interval, evaluated_on=c.evaluated_on,
        result=c.result, hearing_on=c.hearing_on, hearing_participants=c.hearing_participants,
        decided_on=c.decided_on, decision=c.decision, decision_document=c.decision_document,
        opinion_authority=c.opinion_authority, opinion_served_on=c.opinion_served_on,
        opinion_replied_on=c.opinion_replied_on, opinion_reply=c.opinion_reply,
        ended_on=c.ended_on, end_reason=c.end_reason, notes=c.notes, members=members,
        entries=entries, clocks=tuple(own), criminal_clocks=tuple(criminal),
        warnings=tuple(warnings),
    )  # fmt: skip


def compliance_rows(
    s: Session, state: str = "", scope: CaseScope = EVERYTHING
) -> list[ComplianceRow]:
    """Compliance cases of live cases (of ``scope``; of one state, or all), in the order of the
    states, then the nearest open clock first."""
    rows = []
    for r in compliance_list(s, state, scope):
        clocks = ((r.exam_due, r.exam_status), (r.report_due, r.report_status),
                  (r.opinion_due, r.opinion_status))  # fmt: skip
        next_due = min((due for due, status in clocks if status == OPEN), default=None)
        rows.append(ComplianceRow(
            r.id, r.case_id, r.case_number, r.enterprise_name, r.state, r.started_on, r.exam_due,
            NEXT_STEP.get(r.state, ""), next_due, r.handler,
        ))  # fmt: skip
    order = {s: i for i, s in enumerate(STATES)}
    return sorted(rows, key=lambda r: (order[r.state], r.next_due or date.max, r.case_number))
