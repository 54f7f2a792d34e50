"""Inside a unit of work on a compliance case: loading it, checking a step's date, its clocks,
members and entries, and writing a step with its audit record."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from casedesk.domain import compliance as cp
from casedesk.domain.deadlines import CANCELLED, MET, OPEN
from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.services.base import parse_id
from casedesk.services.cases import load_case
from casedesk.services.deadline_sync import RuleContext, close_deadline, create_deadline
from casedesk.services.errors import NotFound
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.compliance_models import (
    ComplianceCase,
    ComplianceClock,
    ComplianceEntry,
    ComplianceMember,
)
from casedesk.store.models import Case, Deadline, Enterprise


def load(uow: UnitOfWork, compliance_id: str) -> ComplianceCase:
    c = uow.session.get(ComplianceCase, parse_id(compliance_id, "合规考察"))
    if c is None:
        raise NotFound("找不到该合规考察记录")
    load_case(uow.session, c.case_id)  # the case must be live
    return c


def check_day(on: date | None, label: str, after: date | None, after_label: str) -> date:
    if on is None:
        raise FieldErrors({"on": f"请填写{label}"})
    if on > date.today():
        raise FieldErrors({"on": f"{label}不能晚于今天"})
    if after is not None and on < after:
        raise FieldErrors({"on": f"{label}不能早于{after_label}（{after}）"})
    return on


def last_day(c: ComplianceCase) -> tuple[date, str]:
    """The latest dated step so far: a later step may not be dated before it."""
    steps = (
        (c.started_on, "启动日期"), (c.applied_on, "决定适用日期"),
        (c.org_formed_on, "第三方组织组建日期"), (c.plan_submitted_on, "计划提交日期"),
        (c.plan_accepted_on, "计划通过日期"), (c.exam_start, "考察期开始日期"),
        (c.evaluated_on, "评估日期"), (c.hearing_on, "听证日期"), (c.decided_on, "处理决定日期"),
        (c.opinion_served_on, "检察意见送达日期"),
    )  # fmt: skip
    return max(((d, label) for d, label in steps if d is not None), key=lambda x: x[0])


def add_clock(uow: UnitOfWork, ctx: RuleContext, case: Case, c: ComplianceCase, rule_id: str,
           start: date, spec: str, not_after: date | None = None) -> Deadline:  # fmt: skip
    """A clock of the compliance case (named after its enterprise on the board); a report
    due after the end of the 考察期 is due on that end instead."""
    rule = ctx.rules[rule_id]
    subject = uow.session.get(Enterprise, c.enterprise_id).name  # type: ignore[union-attr]
    row = create_deadline(uow, ctx, case, rule, rule.trigger, start, subject=subject,
                          period_spec=spec)  # fmt: skip
    if not_after is not None and row.due_on > not_after:
        whole = (not_after - start).days
        close_deadline(uow, row, CANCELLED, start, "末次报告以考察期届满日为限")
        row = create_deadline(uow, ctx, case, rule, rule.trigger, start, subject=subject,
                              period_spec=f"{whole}d")  # fmt: skip
    uow.session.flush()  # the deadline row first: the link refers to it
    uow.session.add(ComplianceClock(compliance_id=c.id, deadline_id=row.id))
    return row


def end_clocks(uow: UnitOfWork, c: ComplianceCase, day: date, note: str,
                status: str = MET) -> None:  # fmt: skip
    for clock_id in (c.exam_deadline_id, c.report_deadline_id):
        clock = uow.session.get(Deadline, clock_id) if clock_id else None
        if clock is not None and clock.status == OPEN:
            reports = clock.id == c.report_deadline_id
            close_deadline(uow, clock, CANCELLED if reports else status, day, note)


def find_member(c: ComplianceCase, member_id: str) -> ComplianceMember:
    wanted = parse_id(member_id, "组成人员")
    for m in c.members:
        if m.id == wanted:
            return m
    raise NotFound("找不到该组成人员")


def add_member(c: ComplianceCase, m: cp.MemberDraft, on: date) -> ComplianceMember:
    member = ComplianceMember(
        id=uuid.uuid4(), position=len(c.members) + 1, name=clean_text(m.name),
        profession=m.profession, unit=clean_text(m.unit), joined_on=on,
    )  # fmt: skip
    c.members.append(member)
    return member


def add_entry(uow: UnitOfWork, c: ComplianceCase, kind: str, on: date, **kw: Any) -> None:
    c.entries.append(ComplianceEntry(
        id=uuid.uuid4(), kind=kind, position=len(c.entries) + 1, occurred_on=on,
        created_by=uow.actor, **kw,
    ))  # fmt: skip


def set_step(uow: UnitOfWork, c: ComplianceCase, step: str, state: str,
         values: dict[str, Any]) -> None:  # fmt: skip
    """Write the step's values (columns of the row; other keys are only audited) and the
    new state, audit, commit."""
    changes = {}
    for key, value in values.items():
        old = getattr(c, key, None)
        if hasattr(ComplianceCase, key):
            setattr(c, key, value)
        if old != value:
            changes[key] = (old, value)
    if state != c.state:
        changes["state"] = (c.state, state)
        c.state = state
    touch(uow, c, step, changes)


def touch(uow: UnitOfWork, c: ComplianceCase, step: str,
           changes: dict[str, tuple[Any, Any]]) -> None:  # fmt: skip
    c.updated_at = audit.utcnow()
    uow.session.flush()
    audit_step(uow, c, "update", cp.STEP_NAMES[step], changes)
    uow.commit()


def audit_step(uow: UnitOfWork, c: ComplianceCase, action: str, label: str,
           changes: dict[str, tuple[Any, Any]]) -> None:  # fmt: skip
    uow.audit(action, "compliance_case", c.id, label, changes, c.case_id)
