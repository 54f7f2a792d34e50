"""The deadlines an imported case's data implies, made by the services' own functions once a batch
of cases is written (docs/interchange.md §6.6).

A line without ``deadlines`` (an older file, a ledger from elsewhere) gets the periods that run
from its acceptance date from :func:`~casedesk.services.deadline_sync.sync_case_deadlines` (met on
the closing date when the case is closed), then those of its trigger events in timeline order as
recording each of them would have started them
(:func:`~casedesk.services.deadline_sync.start_trigger_periods`). A line with deadlines whose
acceptance periods are out of step with the case has them brought in line by
``sync_case_deadlines``.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from casedesk.domain.deadline_rules import TRIGGERS
from casedesk.domain.deadlines import CANCELLED
from casedesk.services.deadline_sync import (
    RuleContext,
    applicable_rules,
    start_trigger_periods,
    sync_case_deadlines,
)
from casedesk.services.interchange.format import CaseRecord, EventRecord
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store.models import Case, CaseEvent, Deadline

#: (line number, id of the written case, its record)
Written = tuple[int, uuid.UUID, CaseRecord]


def add_implied_deadlines(
    uow: UnitOfWork, ctx: RuleContext, written: list[Written], warnings: list[str]
) -> int:
    """Add (and audit) the deadlines of these written cases' follow-up; returns how many were
    created. Notes for ``warnings`` name the line."""
    if not written:
        return 0
    session = uow.session
    ids = [case_id for _n, case_id, _r in written]
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
    created = 0
    # Each case's own rows are either written already or returned by the calls below, so the
    # batch is flushed once at the end rather than before every query.
    with session.no_autoflush:
        for number, case_id, record in written:
            case = cases[case_id]
            new = record.deadlines is None  # the case has no deadlines yet
            rows = sync_case_deadlines(uow, case, ctx, rows=[] if new else None)
            if new:
                rows += _trigger_periods(uow, ctx, case, record.events, rows, number, warnings)
            created += len(rows)
    session.flush()
    session.expunge_all()  # the next batch starts with an empty identity map
    return created


def _trigger_periods(
    uow: UnitOfWork,
    ctx: RuleContext,
    case: Case,
    events: list[EventRecord],
    existing: list[Deadline],
    number: int,
    warnings: list[str],
) -> list[Deadline]:
    """The periods of the case's trigger events, recorded one after another in timeline order."""
    existing, created = list(existing), []
    for e in events:
        if e.kind != "trigger" or e.trigger is None:
            continue
        rules = applicable_rules(ctx, e.trigger, case.family, case.procedure)
        full = [
            rule
            for rule in rules
            if rule.max_rounds
            and sum(1 for d in existing if d.rule_id == rule.id and d.status != CANCELLED)
            >= rule.max_rounds
        ]
        if full:  # recording it would have been refused
            warnings.append(
                f"第{number}行：{e.occurred_on}的“{TRIGGERS[e.trigger]}”未产生期限："
                f"{full[0].name}以{full[0].max_rounds}次为限"
            )
            continue
        if not rules:
            continue
        event = CaseEvent(
            id=e.id, occurred_on=e.occurred_on, occurred_at=e.occurred_at, trigger=e.trigger
        )
        new = start_trigger_periods(uow, ctx, case, event, rules, existing)
        existing += new
        created += new
    return created
