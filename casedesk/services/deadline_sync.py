"""Creating and recomputing deadline rows inside an open unit of work — shared by the deadline
service and by the case and timeline services (the acceptance date starts the trial periods;
closing the case meets them)."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select

from casedesk.domain.deadline_rules import DEFAULT_RULES, TRIGGERS, DeadlineRule
from casedesk.domain.deadlines import CANCELLED, ENDS_ON_TRIGGER, MET, OPEN, DeadlineState, compute
from casedesk.domain.measures import CASE_CUSTODY_RULES, CUSTODY_KINDS
from casedesk.domain.periods import Due, Period, Suspension
from casedesk.domain.work_calendar import WorkCalendar
from casedesk.services.calendar_source import calendar_from, rules_from
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.models import Case, CaseEvent, Deadline, PersonalMeasure

ACCEPTED = "accepted"
RULE_NAMES = {r.id: r.name for r in DEFAULT_RULES}


def rule_name(rule_id: str) -> str:
    """A rule's Chinese name (its id when unknown), for labels and audit records."""
    return RULE_NAMES.get(rule_id, rule_id)


def has_restarted(row: Deadline) -> bool:
    """Whether the period was counted again from a later day (重新计算)."""
    return bool(json.loads(row.restarts or "[]"))


def append_entry(row: Deadline, field: str, entry: dict) -> None:
    """Add ``entry`` to one of the deadline's JSON logs (extension_log, suspensions, restarts)."""
    entries = json.loads(getattr(row, field) or "[]")
    entries.append(entry)
    setattr(row, field, json.dumps(entries, ensure_ascii=False))


CLOSED_NOTE = "已结案"


@dataclass(frozen=True)
class RuleContext:
    calendar: WorkCalendar
    rules: dict[str, DeadlineRule]


def load_context(uow: UnitOfWork) -> RuleContext:
    return RuleContext(calendar_from(uow.session), rules_from(uow.session))


def applicable_rules(
    ctx: RuleContext, trigger: str, family: str, procedure: str
) -> list[DeadlineRule]:
    """The rules whose periods ``trigger`` starts on a case of this family and procedure."""
    return [
        r for r in ctx.rules.values() if r.trigger == trigger and r.applies_to(family, procedure)
    ]


def effective_rule(row: Deadline, rule: DeadlineRule) -> DeadlineRule:
    """The rule as it applies to this deadline: with the term chosen for it (``period_spec``,
    e.g. a freeze for 6 months of the rule's 1 year, or a police freeze approved for 1 year)."""
    if row.period_spec and row.period_spec != rule.period.spec:
        return dataclasses.replace(rule, period=Period.parse(row.period_spec))
    return rule


def state_of(row: Deadline, rule: DeadlineRule) -> DeadlineState:
    rule = effective_rule(row, rule)
    restarts = json.loads(row.restarts or "[]")
    if restarts:
        last = restarts[-1]["on"]
        start: date | datetime = (
            datetime.fromisoformat(last) if "T" in last else date.fromisoformat(last)
        )
    else:
        start = row.start_at or row.start_on
    suspensions = tuple(
        Suspension(int(s["days"]), s["reason"]) for s in json.loads(row.suspensions or "[]")
    )
    return DeadlineState(rule, start, row.custody, row.extensions_used, suspensions)


def store_due(row: Deadline, due: Due) -> None:
    row.due_on, row.due_at = due.day, due.at
    row.steps = json.dumps(due.steps, ensure_ascii=False)
    row.warnings = json.dumps(due.warnings, ensure_ascii=False)


def create_deadline(
    uow: UnitOfWork,
    ctx: RuleContext,
    case: Case,
    rule: DeadlineRule,
    trigger: str,
    start: date | datetime,
    *,
    custody: bool | None = None,
    event_id: uuid.UUID | None = None,
    subject: str = "",
    round_: int = 1,
    period_spec: str = "",
    property_measure_id: uuid.UUID | None = None,
    personal_measure_id: uuid.UUID | None = None,
    custody_review_id: uuid.UUID | None = None,
) -> Deadline:
    """A new open deadline of ``rule`` on ``case`` counted from ``start`` (audited); linked to
    the measure or review whose clock it is, and with its own term when ``period_spec`` is
    given (see :func:`effective_rule`)."""
    now = audit.utcnow()
    custody = rule.custody if custody is None else custody
    row = Deadline(
        id=uuid.uuid4(),
        case_id=case.id,
        rule_id=rule.id,
        trigger=trigger,
        source_event_id=event_id,
        subject=subject,
        round=round_,
        period_spec=period_spec if period_spec != rule.period.spec else "",
        property_measure_id=property_measure_id,
        personal_measure_id=personal_measure_id,
        custody_review_id=custody_review_id,
        start_on=start.date() if isinstance(start, datetime) else start,
        start_at=start if isinstance(start, datetime) else None,
        custody=custody,
        extensions_used=0,
        status=OPEN,
        created_at=now,
        created_by=uow.actor,
        updated_at=now,
    )
    store_due(row, compute(state_of(row, rule), ctx.calendar))
    uow.session.add(row)
    uow.audit(
        "create",
        "deadline",
        row.id,
        rule.name,
        {"rule": (None, rule.name), "start_on": (None, start), "due_on": (None, row.due_on)},
        case.id,
    )
    return row


def recompute(uow: UnitOfWork, ctx: RuleContext, row: Deadline, why: str = "") -> bool:
    """Recompute a deadline's last day; True (and audited) when it moved."""
    rule = ctx.rules.get(row.rule_id)
    if rule is None:
        return False
    due = compute(state_of(row, rule), ctx.calendar)
    old_day, old_at = row.due_on, row.due_at
    store_due(row, due)
    if (old_day, old_at) == (due.day, due.at):
        return False
    row.updated_at = audit.utcnow()
    changes = {"due_on": (old_day, due.day)}
    if why:
        changes["note"] = (None, why)
    uow.audit("update", "deadline", row.id, rule.name, changes, row.case_id)
    return True


def close_deadline(uow: UnitOfWork, row: Deadline, status: str, on: date | None, note: str) -> None:
    """Meet (MET) or cancel (CANCELLED) an open deadline, audited."""
    assert status in (MET, CANCELLED)
    old = (row.status, row.closed_on, row.close_note)
    row.status, row.closed_on, row.close_note = status, on, note
    row.updated_at = audit.utcnow()
    uow.audit(
        "update",
        "deadline",
        row.id,
        rule_name(row.rule_id),
        {"status": (old[0], status), "closed_on": (old[1], on), "close_note": (old[2], note)},
        row.case_id,
    )


def reopen_deadline(uow: UnitOfWork, row: Deadline, why: str = "") -> None:
    """Open a met or cancelled deadline again (what closed it was undone), audited with
    ``why``; the caller recomputes it if its start may have moved."""
    old = (row.status, row.closed_on, row.close_note)
    row.status, row.closed_on, row.close_note = OPEN, None, ""
    row.updated_at = audit.utcnow()
    changes = {"status": (old[0], OPEN), "closed_on": (old[1], None), "close_note": (old[2], "")}
    if why:
        changes["note"] = (None, why)
    uow.audit("update", "deadline", row.id, rule_name(row.rule_id), changes, row.case_id)


def held_in_custody(uow: UnitOfWork, case: Case, rule: DeadlineRule, day: date) -> bool | None:
    """True when ``rule`` is a period of the case that bounds custody (审查起诉, 退回补充侦查,
    一审) and someone of the case is held (拘留 or 逮捕) on ``day``: its last day is then kept
    even on a holiday (刑诉法 第105条第4款). None: the rule's own setting."""
    if rule.id not in CASE_CUSTODY_RULES:
        return None
    m = PersonalMeasure
    held = uow.session.scalar(
        select(m.id)
        .where(
            m.case_id == case.id,
            m.kind.in_(sorted(CUSTODY_KINDS)),
            func.coalesce(m.executed_on, m.decided_on) <= day,
            or_(m.ended_on.is_(None), m.ended_on > day),
        )
        .limit(1)
    )
    return True if held is not None else None


def start_trigger_periods(
    uow: UnitOfWork,
    ctx: RuleContext,
    case: Case,
    event: CaseEvent,
    rules: list[DeadlineRule],
    existing: list[Deadline],
    *,
    subject: str = "",
    custody: bool | None = None,
) -> list[Deadline]:
    """What recording the trigger ``event`` does to the case's deadlines (``existing``): the
    periods it ends are met (ENDS_ON_TRIGGER), an open period of a rule recorded again is
    cancelled and counted afresh, and each of ``rules`` starts a period (its round counted).
    Returns the new deadlines."""
    trigger, day = event.trigger or "", event.occurred_on
    for rule_id, why in ENDS_ON_TRIGGER.get(trigger, ()):
        for row in existing:
            if row.rule_id == rule_id and row.status == OPEN:
                close_deadline(uow, row, MET, day, why)
    created = []
    for rule in rules:
        for row in existing:  # a period recorded again starts afresh (重新计算)
            if row.rule_id == rule.id and row.status == OPEN and not rule.max_rounds:
                close_deadline(uow, row, CANCELLED, day, f"{TRIGGERS[trigger]}，期限重新计算")
        n = sum(1 for d in existing if d.rule_id == rule.id and d.status != CANCELLED)
        start = event.occurred_at or day
        held = custody if custody is not None else held_in_custody(uow, case, rule, day)
        row = create_deadline(uow, ctx, case, rule, trigger, start, custody=held,
                              event_id=event.id, subject=subject, round_=n + 1)  # fmt: skip
        created.append(row)
    return created


def sync_case_deadlines(
    uow: UnitOfWork,
    case: Case,
    ctx: RuleContext | None = None,
    *,
    rows: Sequence[Deadline] | None = None,
) -> list[Deadline]:
    """Keep the periods that run from the case's acceptance in line with the case: created for
    the rules that apply to its family and procedure, moved with its acceptance date, cancelled
    when no longer applicable, met when the case closes and reopened when it reopens. Returns
    the deadlines it created. ``rows``: the case's acceptance deadlines when the caller knows
    them (none for a case it has just written), else they are read."""
    ctx = ctx or load_context(uow)
    applicable = {r.id: r for r in applicable_rules(ctx, ACCEPTED, case.family, case.procedure)}
    if rows is None:
        rows = uow.session.scalars(
            select(Deadline).where(Deadline.case_id == case.id, Deadline.trigger == ACCEPTED)
        ).all()
    seen = set()
    for row in rows:
        if row.status == CANCELLED:
            continue
        seen.add(row.rule_id)
        if row.rule_id not in applicable:
            if row.status == OPEN:
                close_deadline(uow, row, CANCELLED, None, "案件类别或程序已变更，本期限不再适用")
            continue
        if row.start_on != case.accepted_on and not has_restarted(row):
            old = row.start_on
            row.start_on = case.accepted_on
            uow.audit("update", "deadline", row.id, rule_name(row.rule_id),
                      {"start_on": (old, case.accepted_on)}, case.id)  # fmt: skip
            recompute(uow, ctx, row)
        if case.closed_on is not None and row.status == OPEN:
            close_deadline(uow, row, MET, case.closed_on, CLOSED_NOTE)
        elif case.closed_on is None and row.status == MET and row.close_note == CLOSED_NOTE:
            reopen_deadline(uow, row)
    created = []
    for rule_id, rule in applicable.items():
        if rule_id not in seen:
            held = held_in_custody(uow, case, rule, case.accepted_on)
            row = create_deadline(uow, ctx, case, rule, ACCEPTED, case.accepted_on, custody=held)
            if case.closed_on is not None:
                close_deadline(uow, row, MET, case.closed_on, CLOSED_NOTE)
            created.append(row)
    return created
