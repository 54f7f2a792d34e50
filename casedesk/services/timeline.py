"""The case timeline: dated stage changes. The case's stage is that of its latest stage entry;
reaching a closing stage fills in the closing date if it is empty."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casedesk.domain.deadline_rules import BEFORE_ACCEPTANCE, TRIGGERS
from casedesk.domain.deadlines import CANCELLED, OPEN
from casedesk.domain.drafts import StageDraft, check_stage
from casedesk.domain.errors import FieldErrors
from casedesk.domain.vocabulary import CLOSED_STAGES
from casedesk.services.base import Service, guarded, parse_id
from casedesk.services.cases import load_case
from casedesk.services.deadline_sync import (
    close_deadline,
    has_restarted,
    load_context,
    recompute,
    sync_case_deadlines,
)
from casedesk.services.errors import NotFound, ServiceError
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.models import Case, CaseEvent, Deadline
from casedesk.store.recycle_bin import discard

#: The note of a period cancelled because the entry that started it was deleted.
ENTRY_REMOVED = "起算事件的记录已删除"


class TimelineService(Service):
    @guarded("event.record")
    def record_stage(self, case_id: str, draft: StageDraft) -> str:
        """Record that the case reached a stage on a date; returns the new entry's id."""
        with self._uow() as uow:
            s = uow.session
            case = load_case(s, case_id)
            d = check_stage(draft, case.family, case.accepted_on)
            event = CaseEvent(
                id=uuid.uuid4(),
                case=case,
                occurred_on=d.occurred_on,
                kind="stage",
                stage=d.stage,
                note=d.note,
                created_at=audit.utcnow(),
                created_by=self.actor,
            )
            s.add(event)
            s.flush()
            uow.audit(
                "create",
                "case_event",
                event.id,
                f"{d.stage} {d.occurred_on}",
                {
                    "occurred_on": (None, d.occurred_on),
                    "stage": (None, d.stage),
                    "note": (None, d.note),
                },
                case.id,
            )
            follow_stage(uow, case)
            uow.commit()
            return event.id.hex

    @guarded("event.record", via=CaseEvent)
    def move_entry(self, event_id: str, on: date | None) -> None:
        """Correct the date of a timeline entry. The periods a 期限事件 started are counted
        again from the new date (those restarted since keep their restart day)."""
        if on is None:
            raise FieldErrors({"occurred_on": "请填写日期"})
        if on > date.today():
            raise FieldErrors({"occurred_on": "日期不能晚于今天"})
        with self._uow() as uow:
            s = uow.session
            event = s.get(CaseEvent, parse_id(event_id, "时间线记录"))
            if event is None:
                raise NotFound("找不到该时间线记录")
            _refuse_measure_entry(s, event)
            case = event.case
            early_ok = event.kind == "trigger" and event.trigger in BEFORE_ACCEPTANCE
            if on < case.accepted_on and not early_ok:
                raise FieldErrors({"occurred_on": f"日期不能早于收案日期 {case.accepted_on}"})
            if on == event.occurred_on:
                return
            old = event.occurred_on
            event.occurred_on = on
            if event.occurred_at is not None:
                event.occurred_at = datetime.combine(on, event.occurred_at.time())
            label = TRIGGERS.get(event.trigger or "", event.stage)
            uow.audit("update", "case_event", event.id, label, {"occurred_on": (old, on)}, case.id)
            if event.kind == "trigger":
                ctx = load_context(uow)
                started = s.scalars(
                    select(Deadline).where(
                        Deadline.source_event_id == event.id, Deadline.status != CANCELLED
                    )
                ).all()
                for row in started:
                    if has_restarted(row):
                        continue
                    row.start_on, row.start_at = on, event.occurred_at
                    recompute(uow, ctx, row, "起算事件的日期已更正")
            else:
                if event.stage in CLOSED_STAGES and case.closed_on == old:
                    case.closed_on = on  # the case closed on the corrected day
                    uow.audit("update", "case", case.id, case.case_number,
                              {"closed_on": (old, on)}, case.id)  # fmt: skip
                s.flush()
                follow_stage(uow, case)
            uow.commit()

    @guarded("event.delete", via=CaseEvent)
    def remove_entry(self, event_id: str) -> None:
        """Move a mistaken timeline entry to the recycle bin; the periods it started are
        cancelled (restoring the entry reopens them: casedesk.services.recycle_bin)."""
        with self._uow() as uow:
            s = uow.session
            event = s.get(CaseEvent, parse_id(event_id, "时间线记录"))
            if event is None:
                raise NotFound("找不到该时间线记录")
            _refuse_measure_entry(s, event)
            case = event.case
            stage_entries = [e for e in case.events if e.kind == "stage"]
            if event.kind == "stage" and len(stage_entries) <= 1:
                raise ServiceError("这是案件唯一的阶段记录，不能删除")
            uow.audit(
                "delete",
                "case_event",
                event.id,
                entry_label(event),
                {
                    "occurred_on": (event.occurred_on, None),
                    "stage": (event.stage, None),
                    "note": (event.note, None),
                },
                case.id,
            )
            started = s.scalars(select(Deadline).where(Deadline.source_event_id == event.id)).all()
            cancelled = [row for row in started if row.status == OPEN]
            for row in cancelled:  # its periods have lost their starting point
                close_deadline(uow, row, CANCELLED, date.today(), ENTRY_REMOVED)
            case.events.remove(event)
            discard(
                s,
                event,
                case_id=case.id,
                label=entry_label(event),
                actor=self.actor,
                at=audit.utcnow(),
                links={
                    "deadlines": [row.id.hex for row in started],
                    "cancelled": [row.id.hex for row in cancelled],
                },
            )
            s.flush()
            follow_stage(uow, case)
            uow.commit()


def entry_label(event: CaseEvent) -> str:
    """A timeline entry as the history and the recycle bin name it."""
    what = event.stage
    if event.kind == "trigger":
        what = TRIGGERS.get(event.trigger or "", event.stage)
    return f"{what or '时间线记录'} {event.occurred_on}"


def follow_stage(uow: UnitOfWork, case: Case) -> None:
    """Set the case's stage from its latest stage entry. Reaching a closing stage fills in an empty
    closing date; leaving the closing stages (the closing entry removed, or a later stage such as
    恢复执行 recorded) reopens the case."""
    latest = uow.session.execute(
        select(CaseEvent.stage, CaseEvent.occurred_on)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind == "stage")
        .order_by(CaseEvent.occurred_on.desc(), CaseEvent.created_at.desc())
        .limit(1)
    ).first()
    if latest is None:
        return
    changes = {}
    if latest.stage != case.stage:
        changes["stage"] = (case.stage, latest.stage)
        case.stage = latest.stage
    if latest.stage in CLOSED_STAGES and case.closed_on is None:
        changes["closed_on"] = (None, latest.occurred_on)
        case.closed_on = latest.occurred_on
    elif (
        latest.stage not in CLOSED_STAGES
        and "stage" in changes
        and changes["stage"][0] in CLOSED_STAGES
        and case.closed_on is not None
    ):
        changes["closed_on"] = (case.closed_on, None)
        case.closed_on = None
    if changes:
        case.updated_at = audit.utcnow()
        uow.audit("update", "case", case.id, case.case_number, changes, case.id)
    if "closed_on" in changes:
        uow.session.flush()
        sync_case_deadlines(uow, case)


def _refuse_measure_entry(session: Session, event: CaseEvent) -> None:
    """An entry a compulsory measure wrote (拘留, 逮捕, 提请批准逮捕 …) is corrected on the measure
    itself: moving or removing it here would leave the measure and its clock disagreeing."""
    if event.kind != "trigger":
        return
    linked = session.scalar(
        select(Deadline.id)
        .where(
            Deadline.source_event_id == event.id,
            or_(
                Deadline.property_measure_id.is_not(None),
                Deadline.personal_measure_id.is_not(None),
                Deadline.custody_review_id.is_not(None),
            ),
        )
        .limit(1)
    )
    if linked is not None:
        raise ServiceError("该记录由强制措施生成，请在案件的“强制措施”页修改或解除该措施")
