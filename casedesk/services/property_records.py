"""Inside a unit of work on a property measure: checking a draft against its case (owner, rule,
term), naming the measure in clocks and audit records, and counting its clock again when its
particulars are corrected."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casedesk.domain.deadline_rules import DeadlineRule
from casedesk.domain.deadlines import MET, OPEN
from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import (
    OBJECT_KINDS,
    PROPERTY_KINDS,
    PropertyMeasureDraft,
    check_property_measure,
    check_term,
    lapses,
    property_term_rule,
)
from casedesk.services.deadline_sync import RuleContext, recompute
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store.models import Case, CaseParty, Deadline, PropertyMeasure

#: Fields of a measure that decide its clock: changed only while nothing was done on it.
TERM_FIELDS = ("kind", "object_kind", "organ_kind", "start_on", "term_spec")
#: Columns not written to the audit record as such (the owner's name stands for them).
_OWNER_IDS = ("owner_enterprise_id", "owner_person_id")
CORRECTED = "措施登记更正"


def owner_of(
    session: Session, case: Case, party_id: str
) -> tuple[uuid.UUID | None, uuid.UUID | None, str]:
    """(enterprise id, person id, name) of the owner, who must be a party of ``case``."""
    if not isinstance(party_id, str) or not clean_text(party_id):
        raise FieldErrors({"owner_party_id": "请选择财产所有人（本案当事人）"})
    try:
        party = session.get(CaseParty, uuid.UUID(party_id.strip()))
    except ValueError:
        party = None
    if party is None or party.case_id != case.id:
        raise FieldErrors({"owner_party_id": "财产所有人须为本案当事人（企业或个人）"})
    if party.enterprise is not None:
        return party.enterprise.id, None, party.enterprise.name
    assert party.person is not None
    return None, party.person.id, party.person.name


def _values(d: PropertyMeasureDraft, owner: tuple) -> dict:
    return {
        "kind": d.kind,
        "object_kind": d.object_kind,
        "description": clean_text(d.description),
        "owner_enterprise_id": owner[0],
        "owner_person_id": owner[1],
        "owner_name": owner[2],
        "value_fen": d.value_fen,
        "account_no": clean_text(d.account_no),
        "organ": clean_text(d.organ),
        "organ_kind": d.organ_kind,
        "document_no": clean_text(d.document_no),
        "start_on": d.start_on,
        "live_use": d.live_use,
        "live_use_note": clean_text(d.live_use_note) if d.live_use else "",
        "notes": clean_text(d.notes),
    }


def checked_values(
    session: Session, ctx: RuleContext, case: Case, draft: PropertyMeasureDraft
) -> tuple[dict, DeadlineRule]:
    """The measure's column values and the rule of its clock (the administrator's version of
    it, from ``ctx``), or FieldErrors naming every bad field at once: the draft's own checks,
    the owner and the term (at most the rule's period, or an allowed longer one)."""
    errors: dict[str, str] = {}
    try:
        check_property_measure(draft, date.today())
    except FieldErrors as exc:
        errors.update(exc.errors)
    owner: tuple = (None, None, "")
    try:
        owner = owner_of(session, case, draft.owner_party_id)
    except FieldErrors as exc:
        errors.update(exc.errors)
    rule, term = None, ""
    if draft.kind in PROPERTY_KINDS and draft.object_kind in OBJECT_KINDS:
        rule = ctx.rules[
            property_term_rule(case.family, draft.kind, draft.object_kind, draft.organ_kind)
        ]
        try:
            term = check_term(draft.term_spec, rule.period, rule.id)
        except FieldErrors as exc:
            errors.update(exc.errors)
    if errors:
        raise FieldErrors(errors)
    assert rule is not None
    return _values(draft, owner) | {"term_rule_id": rule.id, "term_spec": term}, rule


def subject_of(m: PropertyMeasure) -> str:
    """What the measure's clocks say they concern, e.g. 冻结存款：工商银行账户 6222…"""
    text = m.description.replace("\n", " ")
    short = text if len(text) <= 40 else text[:39] + "…"
    return f"{m.kind}{m.object_kind}：{short}"[:200]


def audited(values: dict) -> dict:
    """Changes as the audit record keeps them (owner by name, not by id)."""
    return {k: v for k, v in values.items() if k not in _OWNER_IDS}


def clocks_of(session: Session, measure_id: uuid.UUID) -> list[Deadline]:
    """The measure's deadlines, oldest first."""
    return list(
        session.scalars(
            select(Deadline)
            .where(Deadline.property_measure_id == measure_id)
            .order_by(Deadline.start_on, Deadline.round, Deadline.created_at)
        )
    )


def day_until_today(field: str, label: str, day: date | None) -> date:
    """``day`` when given and not in the future, else FieldErrors at ``field``."""
    if day is None:
        raise FieldErrors({field: f"请填写{label}"})
    if day > date.today():
        raise FieldErrors({field: f"{label}不能晚于今天"})
    return day


def recount_term(
    uow: UnitOfWork,
    ctx: RuleContext,
    m: PropertyMeasure,
    rule: DeadlineRule,
    values: dict,
    clocks: list[Deadline],
) -> date | None:
    """Count the measure's clock again under its corrected particulars (``values``: the new
    rule, start and term); returns the new last day of its term (None when it does not lapse).
    Refused once something was done on the measure: a 续行, review, release or finding of
    unrelatedness makes the record history, and a wrong one is released and recorded anew."""
    done = (
        m.renewals or m.releases or m.unrelated_on or m.released_on
        or any(c.status == MET for c in clocks)
    )  # fmt: skip
    if done:
        field = next((f for f in TERM_FIELDS if values[f] != getattr(m, f)), "start_on")
        raise FieldErrors({field: "该措施已有续行、复查、解除或无关认定记录，不能再更改种类、"
                                  "财产类别、决定机关类别、开始日期或期限；如登记有误，"
                                  "请解除后重新登记"})  # fmt: skip
    row = next((c for c in clocks if c.status == OPEN and c.rule_id == m.term_rule_id), None)
    if row is None:
        return None
    old_rule = ctx.rules.get(row.rule_id)
    old = (old_rule.name if old_rule else row.rule_id, row.start_on, row.period_spec)
    row.rule_id, row.trigger, row.start_on = rule.id, rule.trigger, values["start_on"]
    row.period_spec = values["term_spec"] if values["term_spec"] != rule.period.spec else ""
    uow.audit("update", "deadline", row.id, rule.name,
              {"rule": (old[0], rule.name), "start_on": (old[1], row.start_on),
               "period": (old[2], row.period_spec), "note": (None, CORRECTED)},
              m.case_id)  # fmt: skip
    recompute(uow, ctx, row, CORRECTED)
    return row.due_on if lapses(rule.id) else None
