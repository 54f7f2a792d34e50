"""Personal measures (拘传/取保候审/监视居住/拘留/逮捕) on a person of a case and the custody
clocks they start, chained by their rules (拘留 → 提请批捕 → 审查批捕 → 逮捕后侦查羁押 …).
Each change is one unit of work with its audit record; clocks are deadlines linked to the
measure (the case-wide 审查起诉 / 退回补充侦查 / trial periods stay on the case)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from casedesk.domain.deadline_rules import TRIGGERS
from casedesk.domain.deadlines import CANCELLED, ENDS_ON_TRIGGER, MET, OPEN
from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import (
    CUSTODY_KINDS,
    CUSTODY_STEPS,
    PERSONAL_CLOCKS,
    MeasureEndDraft,
    PersonalMeasureDraft,
    check_measure_end,
    check_personal_measure,
)
from casedesk.services.base import Service, guarded, parse_id
from casedesk.services.cases import load_case
from casedesk.services.deadline_sync import (
    RuleContext,
    close_deadline,
    create_deadline,
    load_context,
)
from casedesk.services.deadlines import deadline_view
from casedesk.services.dto import DeadlineView
from casedesk.services.errors import NotFound, ServiceError
from casedesk.services.measure_dto import PersonalMeasureView
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.models import Case, CaseEvent, CaseParty, Deadline, Person, PersonalMeasure

#: Case families whose persons can be under a criminal compulsory measure (刑诉法 第六章).
MEASURE_FAMILIES = ("刑事", "检察监督")
#: Measures whose clock is their legal maximum term (刑诉法 第79条): kept as ``term_end``.
TERM_KINDS = frozenset({"取保候审", "监视居住"})


# -- shared with the custody reviews -----------------------------------------------------------
def start_of(m: PersonalMeasure) -> date:
    """The day a measure took effect: executed, else decided."""
    return m.executed_on or m.decided_on


def load_measure(session: Session, measure_id: str) -> PersonalMeasure:
    m = session.get(PersonalMeasure, parse_id(measure_id, "强制措施"))
    if m is None:
        raise NotFound("找不到该强制措施")
    case = session.get(Case, m.case_id)
    if case is None or case.deleted_at is not None:
        raise NotFound("该强制措施所属的案件已删除")
    return m


def custody_from(session: Session, m: PersonalMeasure) -> date:
    """When the custody ending in ``m`` began: follow the 变更 links back while the measure
    before was also custody (拘留 then 逮捕 counts from the 拘留)."""
    start, current, seen = start_of(m), m, {m.id}
    while True:
        before = session.scalar(
            select(PersonalMeasure).where(
                PersonalMeasure.case_id == current.case_id,
                PersonalMeasure.changed_to_id == current.id,
            )
        )
        if before is None or before.kind not in CUSTODY_KINDS or before.id in seen:
            return start
        start, current = min(start, start_of(before)), before
        seen.add(before.id)


def ensure_active(m: PersonalMeasure) -> None:
    if m.ended_on is not None:
        raise ServiceError(f"该{m.kind}已于 {m.ended_on} {m.end_reason}，不能再变更或解除")


def _clock_rows(session: Session, m: PersonalMeasure) -> list[Deadline]:
    rows = session.scalars(select(Deadline).where(Deadline.personal_measure_id == m.id)).all()
    return sorted(rows, key=_start_key)


def _start_key(row: Deadline) -> tuple[datetime, datetime]:
    return (row.start_at or datetime.combine(row.start_on, time.min), row.created_at)


def _timeline_entry(uow: UnitOfWork, case: Case, trigger: str, day: date,
                    at: datetime | None, note: str) -> CaseEvent:  # fmt: skip
    """The timeline shows what a measure did, as a 期限事件 of its trigger."""
    event = CaseEvent(
        id=uuid.uuid4(), case=case, occurred_on=day, occurred_at=at, kind="trigger",
        trigger=trigger, note=note, stage="", created_at=audit.utcnow(), created_by=uow.actor,
    )  # fmt: skip
    uow.session.add(event)
    uow.session.flush()
    uow.audit("create", "case_event", event.id, TRIGGERS[trigger],
              {"trigger": (None, TRIGGERS[trigger]), "occurred_on": (None, at or day),
               "note": (None, note)}, case.id)  # fmt: skip
    return event


def _check_day(errors: dict[str, str], field: str, day: date | None, earliest: date) -> None:
    if day is None:
        errors[field] = "请填写日期"
    elif day > date.today():
        errors[field] = "日期不能晚于今天"
    elif day < earliest:
        errors[field] = f"日期不能早于该措施开始日期 {earliest}"


def _measure_view(m: PersonalMeasure, case: Case, changed_from: uuid.UUID | None,
                  clocks: list[DeadlineView]) -> PersonalMeasureView:  # fmt: skip
    return PersonalMeasureView(
        id=m.id.hex, version=m.version, case_id=case.id.hex, case_number=case.case_number,
        person_id=m.person_id.hex, person_name=m.person_name, kind=m.kind, organ=m.organ,
        organ_kind=m.organ_kind, document_no=m.document_no, decided_on=m.decided_on,
        executed_at=m.executed_at, executed_on=m.executed_on, guarantor=m.guarantor,
        deposit_fen=m.deposit_fen, designated_residence=m.designated_residence,
        residence=m.residence, term_end=m.term_end, ended_on=m.ended_on,
        end_reason=m.end_reason, end_document=m.end_document,
        changed_to_id=m.changed_to_id.hex if m.changed_to_id else "",
        changed_from_id=changed_from.hex if changed_from else "",
        active=m.ended_on is None, in_custody=m.ended_on is None and m.kind in CUSTODY_KINDS,
        notes=m.notes, clocks=tuple(clocks),
    )  # fmt: skip


class PersonalMeasureService(Service):
    # -- reading ----------------------------------------------------------------------------------
    @guarded("case.read")
    def for_case(self, case_id: str, as_of: date | None = None) -> list[PersonalMeasureView]:
        """The case's personal measures: active first, then by decision date."""
        with self._uow() as uow:
            case = load_case(uow.session, case_id)
            rows = uow.session.scalars(
                select(PersonalMeasure).where(PersonalMeasure.case_id == case.id)
            ).all()
            views = self._views(uow, case, list(rows), as_of or date.today())
        return sorted(
            views, key=lambda v: (not v.active, v.decided_on, v.executed_on or v.decided_on)
        )

    @guarded("case.read", via=PersonalMeasure)
    def get(self, measure_id: str, as_of: date | None = None) -> PersonalMeasureView:
        with self._uow() as uow:
            m = load_measure(uow.session, measure_id)
            case = load_case(uow.session, m.case_id)
            return self._views(uow, case, [m], as_of or date.today())[0]

    def _views(self, uow: UnitOfWork, case: Case, rows: list[PersonalMeasure],
               as_of: date) -> list[PersonalMeasureView]:  # fmt: skip
        s = uow.session
        ctx = load_context(uow)
        ids = [m.id for m in rows]
        clocks: dict[uuid.UUID, list[Deadline]] = {i: [] for i in ids}
        for row in s.scalars(select(Deadline).where(Deadline.personal_measure_id.in_(ids))):
            clocks[row.personal_measure_id].append(row)  # type: ignore[index]
        changed_from = {
            to: frm
            for frm, to in s.execute(
                select(PersonalMeasure.id, PersonalMeasure.changed_to_id).where(
                    PersonalMeasure.case_id == case.id, PersonalMeasure.changed_to_id.is_not(None)
                )
            )
        }
        return [_measure_view(m, case, changed_from.get(m.id), [
            deadline_view(r, ctx, as_of) for r in sorted(clocks[m.id], key=_start_key)
        ]) for m in rows]  # fmt: skip

    # -- recording --------------------------------------------------------------------------------
    @guarded("measure.record")
    def add(self, case_id: str, draft: PersonalMeasureDraft) -> str:
        """Record a measure and start its clock. Returns its id."""
        d = check_personal_measure(draft, date.today())
        with self._uow() as uow:
            case = load_case(uow.session, case_id)
            if case.family not in MEASURE_FAMILIES:
                raise FieldErrors({"kind": f"人身强制措施只适用于刑事、检察监督案件；{case.family}"
                                           "案件中的司法拘留等不在此登记"})  # fmt: skip
            person_id = self._person(uow.session, case, d.person_party_id)
            self._ensure_none_active(uow.session, case, person_id)
            m = self._insert(uow, load_context(uow), case, person_id, d)
            uow.commit()
            return m.id.hex

    def _person(self, session: Session, case: Case, party_id: str) -> uuid.UUID:
        """The person behind ``party_id``, which must be a person party of ``case``."""
        try:
            party = session.get(CaseParty, uuid.UUID(str(party_id)))
        except ValueError:
            party = None
        if party is None or party.case_id != case.id or party.person_id is None:
            raise FieldErrors(
                {"person_party_id": "请选择被采取措施的人（须为本案当事人中的自然人）"}
            )
        return party.person_id

    def _ensure_none_active(self, session: Session, case: Case, person_id: uuid.UUID,
                            but: uuid.UUID | None = None) -> None:  # fmt: skip
        stmt = select(PersonalMeasure).where(
            PersonalMeasure.case_id == case.id,
            PersonalMeasure.person_id == person_id,
            PersonalMeasure.ended_on.is_(None),
        )
        if but is not None:
            stmt = stmt.where(PersonalMeasure.id != but)
        active = session.scalars(stmt).first()
        if active is not None:
            raise FieldErrors({"person_party_id": (
                f"{active.person_name}已有进行中的{active.kind}（{start_of(active)}起）；"
                f"改采其他措施的，请在该措施上选择“变更”"
            )})  # fmt: skip

    def _insert(self, uow: UnitOfWork, ctx: RuleContext, case: Case, person_id: uuid.UUID,
                d: PersonalMeasureDraft) -> PersonalMeasure:  # fmt: skip
        """Add the measure ``d`` (checked), its timeline entry and its clock (audited)."""
        person = uow.session.get(Person, person_id)
        assert person is not None and d.decided_on is not None
        now = audit.utcnow()
        bail, residence = d.kind == "取保候审", d.kind == "监视居住"
        m = PersonalMeasure(
            id=uuid.uuid4(), case_id=case.id, person_id=person.id, person_name=person.name,
            kind=d.kind, organ=clean_text(d.organ), organ_kind=d.organ_kind,
            document_no=clean_text(d.document_no), decided_on=d.decided_on,
            executed_at=d.executed_at,
            executed_on=d.executed_at.date() if d.executed_at else None,
            guarantor=clean_text(d.guarantor) if bail else "",
            deposit_fen=d.deposit_fen if bail else None,
            designated_residence=d.designated_residence and residence,
            residence=clean_text(d.residence) if residence else "",
            term_end=None, ended_on=None, end_reason="", end_document="", changed_to_id=None,
            notes=clean_text(d.notes), created_by=uow.actor, created_at=now, updated_at=now,
        )  # fmt: skip
        uow.session.add(m)
        uow.session.flush()
        trigger, rule_id = PERSONAL_CLOCKS[d.kind]
        # 拘传 runs in hours from the moment of arrival; the others from the day carried out
        # (拘留, 逮捕) or decided (取保候审, 监视居住); the day itself is not counted.
        start: date | datetime = (
            d.executed_at if d.executed_at and d.kind not in TERM_KINDS else d.decided_on
        )
        day = start.date() if isinstance(start, datetime) else start
        note = f"{d.kind}：{person.name}" + (f"（{m.document_no}）" if m.document_no else "")
        at = start if isinstance(start, datetime) else None
        event = _timeline_entry(uow, case, trigger, day, at, note)
        clock = create_deadline(uow, ctx, case, ctx.rules[rule_id], trigger, start,
                                event_id=event.id, subject=person.name,
                                personal_measure_id=m.id)  # fmt: skip
        if d.kind in TERM_KINDS:
            m.term_end = clock.due_on
        values = {
            "kind": m.kind, "person": m.person_name, "organ": m.organ, "document_no": m.document_no,
            "decided_on": m.decided_on, "executed_at": m.executed_at, "guarantor": m.guarantor,
            "deposit_fen": m.deposit_fen, "residence": m.residence, "term_end": m.term_end,
            "notes": m.notes,
        }  # fmt: skip
        uow.audit("create", "personal_measure", m.id, f"{m.kind} {m.person_name}",
                  {k: (None, v) for k, v in values.items() if v not in (None, "")},
                  case.id)  # fmt: skip
        if m.designated_residence:
            uow.audit("update", "personal_measure", m.id, f"{m.kind} {m.person_name}",
                      {"designated_residence": (False, True)}, case.id)  # fmt: skip
        return m

    @guarded("measure.record", via=PersonalMeasure)
    def record_step(
        self, measure_id: str, step: str, on: date | None, at: datetime | None = None,
        note: str = "",
    ) -> list[str]:  # fmt: skip
        """A step of the custody chain on this measure (e.g. ``arrest_requested`` on a 拘留):
        meets the clock it ends, starts the next. Returns the new deadline ids."""
        if step not in CUSTODY_STEPS:
            raise FieldErrors({"step": "请选择羁押环节"})
        label, kinds = CUSTODY_STEPS[step]
        day = at.date() if at else on
        with self._uow() as uow:
            s = uow.session
            m = load_measure(s, measure_id)
            if m.kind not in kinds:
                raise FieldErrors({"step": f"“{label}”只适用于{'、'.join(sorted(kinds))}"})
            ensure_active(m)
            errors: dict[str, str] = {}
            _check_day(errors, "on", day, start_of(m))
            if errors:
                raise FieldErrors(errors)
            assert day is not None
            ctx = load_context(uow)
            rules = [r for r in ctx.rules.values() if r.trigger == step]
            clocks = _clock_rows(s, m)
            if any(c.trigger == step and c.status != CANCELLED for c in clocks):
                raise FieldErrors({"step": f"该{m.kind}已登记“{label}”"})
            case = load_case(s, m.case_id)
            for rule_id, why in ENDS_ON_TRIGGER.get(step, ()):
                for row in clocks:
                    if row.rule_id == rule_id and row.status == OPEN:
                        close_deadline(uow, row, MET, day, why)
            text = clean_text(note) or f"{label}：{m.person_name}"
            event = _timeline_entry(uow, case, step, day, at, text)
            created = []
            for rule in rules:
                created.append(create_deadline(uow, ctx, case, rule, step, at or day,
                                               event_id=event.id, subject=m.person_name,
                                               personal_measure_id=m.id))  # fmt: skip
            uow.audit("update", "personal_measure", m.id, f"{m.kind} {m.person_name}",
                      {"step": (None, f"{day} {label}")}, case.id)  # fmt: skip
            uow.commit()
            return [row.id.hex for row in created]

    @guarded("measure.release", via=PersonalMeasure)
    def change(self, measure_id: str, on: date | None, new: PersonalMeasureDraft,
               document_no: str = "") -> str:  # fmt: skip
        """变更: end this measure on ``on`` (reason 变更) and record ``new`` for the same person
        (e.g. 拘留 → 逮捕, 逮捕 → 取保候审). Returns the new measure's id."""
        with self._uow() as uow:
            s = uow.session
            m = load_measure(s, measure_id)
            ensure_active(m)
            case = load_case(s, m.case_id)
            if not new.person_party_id:  # the same person, as a party of the case
                party = next((p for p in case.parties if p.person_id == m.person_id), None)
                if party is not None:
                    new = dataclasses.replace(new, person_party_id=party.id.hex)
            d = check_personal_measure(new, date.today())
            if self._person(s, case, d.person_party_id) != m.person_id:
                raise FieldErrors(
                    {"person_party_id": f"变更后的措施应针对同一人（{m.person_name}）"}
                )
            clocks = _clock_rows(s, m)
            self._check_end(MeasureEndDraft(on, "变更", document_no), m, clocks, "on")
            assert on is not None
            why = f"变更为{d.kind}"
            for row in clocks:
                if row.status == OPEN:
                    close_deadline(uow, row, MET, on, why)
            before = (m.ended_on, m.end_reason, m.end_document)
            m.ended_on, m.end_reason, m.end_document = on, "变更", clean_text(document_no)
            m.updated_at = audit.utcnow()
            s.flush()
            self._ensure_none_active(s, case, m.person_id, but=m.id)
            created = self._insert(uow, load_context(uow), case, m.person_id, d)
            m.changed_to_id = created.id
            uow.audit("update", "personal_measure", m.id, f"{m.kind} {m.person_name}",
                      {"ended_on": (before[0], on), "end_reason": (before[1], "变更"),
                       "end_document": (before[2], m.end_document),
                       "changed_to": (None, f"{created.kind} {created.person_name}")},
                      case.id)  # fmt: skip
            uow.commit()
            return created.id.hex

    @guarded("measure.release", via=PersonalMeasure)
    def end(self, measure_id: str, draft: MeasureEndDraft) -> None:
        """解除 / 释放 / 期满 …: the measure ends and its open clocks are met."""
        if draft.reason == "变更":
            raise FieldErrors({"reason": "变更强制措施请使用“变更”，以便登记变更后的措施"})
        with self._uow() as uow:
            s = uow.session
            m = load_measure(s, measure_id)
            ensure_active(m)
            clocks = _clock_rows(s, m)
            self._check_end(draft, m, clocks, "ended_on")
            assert draft.ended_on is not None
            for row in clocks:
                if row.status == OPEN:
                    close_deadline(uow, row, MET, draft.ended_on, draft.reason)
            changes = {
                "ended_on": (m.ended_on, draft.ended_on),
                "end_reason": (m.end_reason, draft.reason),
                "end_document": (m.end_document, clean_text(draft.document_no)),
            }
            m.ended_on, m.end_reason = draft.ended_on, draft.reason
            m.end_document, m.updated_at = clean_text(draft.document_no), audit.utcnow()
            uow.audit("update", "personal_measure", m.id, f"{m.kind} {m.person_name}", changes,
                      m.case_id)  # fmt: skip
            uow.commit()

    def _check_end(self, draft: MeasureEndDraft, m: PersonalMeasure, clocks: list[Deadline],
                   field: str) -> None:  # fmt: skip
        """The end (or 变更) day: not before the measure began nor before a step recorded on it;
        errors named ``field``."""
        try:
            check_measure_end(draft, start_of(m), date.today())
        except FieldErrors as exc:
            raise FieldErrors({field if k == "ended_on" else k: v
                               for k, v in exc.errors.items()}) from None  # fmt: skip
        assert draft.ended_on is not None
        latest = max((c.start_on for c in clocks if c.status == OPEN), default=start_of(m))
        if draft.ended_on < latest:
            raise FieldErrors({field: f"日期不能早于该措施最近一次登记的环节 {latest}"})
