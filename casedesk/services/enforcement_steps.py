"""Inside a unit of work on an enforcement record: reading it, the stage entries of 终本, 恢复执行
and closing, the debtor's performance (the ``performed`` trigger and the deletion clocks it
starts) and the follow-up searches after 终本."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from casedesk.domain.deadline_rules import TRIGGERS
from casedesk.domain.deadlines import CANCELLED, MET, OPEN
from casedesk.domain.drafts import clean_text
from casedesk.domain.enforcement import (
    FOLLOWUP_RULE,
    FOLLOWUP_YEARS,
    PERFORMED,
    TERMINATED,
    EnforcementDraft,
)
from casedesk.domain.periods import add_months
from casedesk.services import enforcement_credit as credit
from casedesk.services.deadline_sync import (
    RuleContext,
    close_deadline,
    create_deadline,
    load_context,
    start_trigger_periods,
)
from casedesk.services.errors import ServiceError
from casedesk.services.timeline import follow_stage
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.enforcement_models import DishonestListing, EnforcementRecord
from casedesk.store.models import Case, CaseEvent, Deadline


def record_of(uow: UnitOfWork, case: Case) -> EnforcementRecord | None:
    return uow.session.scalar(select(EnforcementRecord).where(EnforcementRecord.case_id == case.id))


def record_values(d: EnforcementDraft) -> dict:
    return {
        "title_kind": d.title_kind,
        "title_document_no": clean_text(d.title_document_no),
        "title_organ": clean_text(d.title_organ),
        "title_effective_on": d.title_effective_on,
        "claimed_fen": d.claimed_fen,
        "notes": clean_text(d.notes),
    }


def open_clocks(uow: UnitOfWork, case: Case, rule_id: str) -> list[Deadline]:
    return list(
        uow.session.scalars(
            select(Deadline).where(
                Deadline.case_id == case.id, Deadline.rule_id == rule_id, Deadline.status == OPEN
            )
        )
    )


def stage(uow: UnitOfWork, case: Case, stage: str, day: date, note: str) -> CaseEvent:
    """A stage entry on the case's timeline, the case following it (closing or reopening)."""
    event = CaseEvent(
        id=uuid.uuid4(),
        case=case,
        occurred_on=day,
        kind="stage",
        stage=stage,
        note=clean_text(note),
        created_at=audit.utcnow(),
        created_by=uow.actor,
    )
    uow.session.add(event)
    uow.session.flush()
    uow.audit(
        "create",
        "case_event",
        event.id,
        f"{stage} {day}",
        {"occurred_on": (None, day), "stage": (None, stage), "note": (None, event.note)},
        case.id,
    )
    follow_stage(uow, case)
    return event


def perform(
    uow: UnitOfWork, ctx: RuleContext, case: Case, rec: EnforcementRecord, day: date, note: str
) -> None:
    """Record the performance: the ``performed`` trigger on the timeline (meeting
    enforcement.term, the follow-up searches and any grace period: ENDS_ON_TRIGGER) and, for every
    listed debtor not yet deleted, the 3-working-day deletion clock."""
    if rec.performed_on is not None:
        raise ServiceError(f"已于 {rec.performed_on} 登记履行完毕")
    rec.performed_on, rec.updated_at = day, audit.utcnow()
    uow.audit(
        "update",
        "enforcement_record",
        rec.id,
        case.case_number,
        {"performed_on": (None, day)},
        case.id,
    )
    event = CaseEvent(
        id=uuid.uuid4(),
        case=case,
        occurred_on=day,
        kind="trigger",
        trigger=PERFORMED,
        stage="",
        note=note,
        created_at=audit.utcnow(),
        created_by=uow.actor,
    )
    uow.session.add(event)
    uow.session.flush()
    uow.audit(
        "create",
        "case_event",
        event.id,
        TRIGGERS[PERFORMED],
        {"trigger": (None, TRIGGERS[PERFORMED]), "occurred_on": (None, day), "note": (None, note)},
        case.id,
    )
    existing = list(uow.session.scalars(select(Deadline).where(Deadline.case_id == case.id)))
    start_trigger_periods(uow, ctx, case, event, [], existing)
    listings = uow.session.scalars(
        select(DishonestListing).where(
            DishonestListing.case_id == case.id, DishonestListing.deleted_on.is_(None)
        )
    )
    for row in listings:
        credit.start_deletion(uow, ctx, case, row, day, "履行完毕", PERFORMED, event.id)


def followed_up(uow: UnitOfWork, case: Case, rec: EnforcementRecord, day: date) -> None:
    """A network search after 终本 meets the open reminder; the next one runs from it while
    within five years of 终本."""
    clocks = open_clocks(uow, case, FOLLOWUP_RULE)
    if not clocks or rec.terminated_on is None or day < rec.terminated_on:
        return
    ctx = load_context(uow)
    for row in clocks:
        close_deadline(uow, row, MET, day, "已网络查控")
    if day < add_months(rec.terminated_on, 12 * FOLLOWUP_YEARS):
        rounds = uow.session.scalars(
            select(Deadline.id).where(
                Deadline.case_id == case.id,
                Deadline.rule_id == FOLLOWUP_RULE,
                Deadline.status != CANCELLED,
            )
        ).all()
        create_deadline(
            uow,
            ctx,
            case,
            ctx.rules[FOLLOWUP_RULE],
            TERMINATED,
            day,
            subject="终本后网络查控",
            round_=len(rounds) + 1,
        )
