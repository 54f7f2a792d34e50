"""Writing a checked case line's compulsory measures (docs/interchange.md §6.8): rows for the
batch's executemany inserts, each record with the audit record the measure services write when
a user enters it (same entity, label and fields), plus its state when it is not simply new (a
release, an end, a close-off)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, update

from casedesk.services.interchange.measure_format import (
    MeasureRecords,
    PersonalRecord,
    PropertyRecord,
    ReviewRecord,
    Row,
)
from casedesk.store.measure_models import (
    CustodyReview,
    PersonalMeasure,
    PropertyMeasure,
    PropertyRelease,
    PropertyRenewal,
    StalledSupervision,
)

if TYPE_CHECKING:
    from casedesk.services.interchange.write import BatchWriter, Target

#: The measure tables in foreign-key order (after the case and its parties, before deadlines).
MEASURE_TABLES = (
    PropertyMeasure, PropertyRenewal, PropertyRelease, PersonalMeasure, CustodyReview,
    StalledSupervision,
)  # fmt: skip
_PROPERTY_AUDITED = (
    "kind", "object_kind", "description", "owner_name", "value_fen", "account_no", "organ",
    "organ_kind", "document_no", "start_on", "live_use", "live_use_note", "notes", "term_spec",
)  # fmt: skip
_PROPERTY_STATE = ("unrelated_on", "released_fen", "released_on")
_PERSONAL_AUDITED = (
    "kind", "person", "organ", "document_no", "decided_on", "executed_at", "guarantor",
    "deposit_fen", "residence", "term_end", "notes",
)  # fmt: skip
_PERSONAL_STATE = ("designated_residence", "ended_on", "end_reason", "end_document")
_REVIEW_AUDITED = (
    "trigger", "applicant", "started_on", "method", "concluded_on", "conclusion", "recipient",
    "document_no", "served_on", "notes", "replied_on", "reply",
)  # fmt: skip
_SUPERVISION_AUDITED = (
    "threshold", "supervising_unit", "responsible_unit", "started_on", "due_on", "instructions",
    "closed_on", "outcome", "close_document", "close_note",
)  # fmt: skip


def _set(values: dict[str, Any], keys: tuple[str, ...]) -> dict[str, tuple[None, Any]]:
    """Create changes for the fields that are set (as the services audit a new record)."""
    return {k: (None, values[k]) for k in keys if values.get(k) not in (None, "", 0, False)}


class MeasureWriter:
    """Adds the rows and audit records of a case's measures to a :class:`BatchWriter`."""

    def __init__(self, writer: BatchWriter):
        self.w = writer
        #: (measure id, id of the measure it was changed into): set once both rows exist.
        self.changes: list[dict[str, uuid.UUID]] = []
        self.persons: dict[int, uuid.UUID] = {}  # id(personal record) → its person's id
        self.count = 0
        rules = writer.ctx.rule_context.rules
        self.rule_names = {rule_id: rule.name for rule_id, rule in rules.items()}

    def add(
        self,
        case_id: uuid.UUID,
        case_number: str,
        measures: MeasureRecords,
        parties: list[tuple[str, Target]],
    ) -> None:
        """``parties``: per party of the line, its kind (enterprise/person) and what it names."""
        self.persons = {}
        for m in measures.property:
            self.property(case_id, m, parties)
        for p in measures.personal:
            self.personal(case_id, p, parties)
        for r in measures.reviews:
            self.review(case_id, r)
        for s in measures.supervisions:
            self.supervision(case_id, case_number, s)
        self.count += len(measures.property) + len(measures.personal)

    def _row(self, table: Any, record: Row, extra: dict[str, Any], stamped: bool = True) -> None:
        row = record.values | extra | {"id": record.id}
        if stamped:
            row |= {"updated_at": self.w.ctx.now, "version": 1}
        self.w.rows[table].append(row)

    def property(
        self, case_id: uuid.UUID, m: PropertyRecord, parties: list[tuple[str, Target]]
    ) -> None:
        v = m.values
        enterprise = person = None
        if m.owner is not None:
            kind, target = parties[m.owner]
            enterprise, person = (target.id, None) if kind == "enterprise" else (None, target.id)
            v["owner_name"] = v["owner_name"] or target.name
        self._row(PropertyMeasure, m, {"case_id": case_id, "owner_enterprise_id": enterprise,
                                       "owner_person_id": person})  # fmt: skip
        label = f"{v['kind']}{v['object_kind']} {v['owner_name']}".strip()
        changes = _set(v, _PROPERTY_AUDITED)
        if v["term_rule_id"]:
            rule_id = v["term_rule_id"]
            changes["term_rule_id"] = (None, self.rule_names.get(rule_id, rule_id))
        changes["term_end"] = (None, v["term_end"])
        changes |= _set(v, _PROPERTY_STATE)
        self.w.audit("create", "property_measure", m.id, label, changes, case_id)
        for r in m.renewals:
            self._row(PropertyRenewal, r, {"measure_id": m.id}, stamped=False)
            rv = r.values
            self.w.audit("create", "property_renewal", r.id, f"{label} 第{rv['seq']}次续行",
                         {k: (None, rv[k]) for k in ("decided_on", "term_spec", "start_on",
                                                     "term_end", "organ", "document_no")},
                         case_id)  # fmt: skip
        for r in m.releases:
            self._row(PropertyRelease, r, {"measure_id": m.id}, stamped=False)
            rv = r.values
            self.w.audit("create", "property_release", r.id,
                         f"{label} {'全部解除' if rv['full'] else '部分解除'}",
                         {k: (None, rv[k]) for k in ("released_on", "full", "value_fen",
                                                     "reason", "document_no")},
                         case_id)  # fmt: skip

    def personal(
        self, case_id: uuid.UUID, p: PersonalRecord, parties: list[tuple[str, Target]]
    ) -> None:
        v = p.values
        target = parties[p.person][1]
        v["person_name"] = v["person_name"] or target.name
        self._row(PersonalMeasure, p, {"case_id": case_id, "person_id": target.id,
                                       "changed_to_id": None})  # fmt: skip
        self.persons[id(p)] = target.id
        if p.changed_to is not None:
            self.changes.append({"b_id": p.id, "b_to": p.changed_to.id})
        label = f"{v['kind']} {v['person_name']}"
        changes = _set(v | {"person": v["person_name"]}, _PERSONAL_AUDITED)
        changes |= _set(v, _PERSONAL_STATE)
        if p.changed_to is not None:
            to = p.changed_to.values
            changes["changed_to"] = (None, f"{to['kind']} {to['person_name'] or target.name}")
        self.w.audit("create", "personal_measure", p.id, label, changes, case_id)

    def review(self, case_id: uuid.UUID, r: ReviewRecord) -> None:
        measure = r.measure
        assert measure is not None
        self._row(CustodyReview, r, {"case_id": case_id, "measure_id": measure.id,
                                     "person_id": self.persons[id(measure)]})  # fmt: skip
        self.w.audit("create", "custody_review", r.id,
                     f"羁押必要性审查 {measure.values['person_name']}",
                     _set(r.values, _REVIEW_AUDITED), case_id)  # fmt: skip

    def supervision(self, case_id: uuid.UUID, case_number: str, s: Row) -> None:
        self._row(StalledSupervision, s, {"case_id": case_id})
        self.w.audit("create", "stalled_supervision", s.id, f"挂牌督办 {case_number}",
                     _set(s.values, _SUPERVISION_AUDITED), case_id)  # fmt: skip

    def flush(self, conn: Connection) -> None:
        """Link the measures changed into others (their rows are all inserted by now)."""
        if self.changes:
            table = PersonalMeasure.__table__
            conn.execute(
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values(changed_to_id=bindparam("b_to")),
                self.changes,
            )
        self.changes = []
