"""Writing checked case records in batches: plain rows for executemany inserts, each created
case, party, event, deadline, enterprise and person with its audit record
(docs/interchange.md)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from casedesk.domain.deadline_rules import TRIGGERS
from casedesk.domain.deadlines import OPEN
from casedesk.domain.drafts import EnterpriseDraft, PersonDraft
from casedesk.services.case_summary import party_summary
from casedesk.services.interchange.format import (
    ENTERPRISE_FIELDS,
    PERSON_FIELDS,
    CaseRecord,
    DeadlineRecord,
    EventRecord,
    ReadContext,
    SubjectRecord,
)
from casedesk.services.interchange.measure_format import DEADLINE_LINKS
from casedesk.services.interchange.write_compliance import COMPLIANCE_TABLES, ComplianceWriter
from casedesk.services.interchange.write_enforcement import ENFORCEMENT_TABLES, EnforcementWriter
from casedesk.services.interchange.write_measures import MEASURE_TABLES, MeasureWriter
from casedesk.services.interchange.write_suggestions import SUGGESTION_TABLES, SuggestionWriter
from casedesk.store.models import (
    AuditRecord,
    Case,
    CaseEvent,
    CaseParty,
    CaseTag,
    Deadline,
    Enterprise,
    Person,
)
from casedesk.store.search import next_list_key, reindex_cases

_CASE_FIELDS = (
    "case_number", "family", "procedure", "cause", "handler", "accepted_on", "closed_on",
    "stage", "amount_fen", "costs_fen", "notes",
)  # fmt: skip
_EVENT_FIELDS = (
    "id", "occurred_on", "kind", "stage", "note", "created_by", "created_at", "trigger",
    "occurred_at",
)  # fmt: skip
#: Enterprise and person columns that hold NULL, not "", when unknown (unique or a choice).
_NULL_WHEN_EMPTY = frozenset({"credit_code", "ownership", "size", "id_number"})


@dataclass(slots=True)
class Target:
    """The enterprise or person a party names: one in the database, or one this import adds."""

    id: uuid.UUID
    name: str
    new: bool
    key: str = ""  # credit code or ID number
    deleted: bool = False


class BatchWriter:
    """Collects the rows of a batch of cases and inserts them in foreign-key order."""

    def __init__(self, actor: str, ctx: ReadContext):
        self.actor, self.ctx = actor, ctx
        #: Columns every new case, enterprise and person starts with.
        self.stamps = {
            "deleted_at": None,
            "created_at": ctx.now,
            "updated_at": ctx.now,
            "version": 1,
        }
        self.cases = self.parties = self.events = self.deadlines = 0
        self.created = {"enterprise": 0, "person": 0}
        self.measures = MeasureWriter(self)
        self.compliance, self.enforcement = ComplianceWriter(self), EnforcementWriter(self)
        self.suggestions = SuggestionWriter(self)
        self._reset()

    def _reset(self) -> None:
        self.case_ids: list[uuid.UUID] = []
        self.rows: dict[Any, list[dict]] = {
            t: []
            for t in (
                Enterprise,
                Person,
                Case,
                CaseTag,
                CaseParty,
                CaseEvent,
                *MEASURE_TABLES,
                Deadline,
                *COMPLIANCE_TABLES,
                *ENFORCEMENT_TABLES,
                *SUGGESTION_TABLES,
                AuditRecord,
            )
        }

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: uuid.UUID,
        label: str,
        changes: dict[str, tuple[Any, Any]],
        case_id: uuid.UUID,
    ) -> None:
        """An audit record as :func:`casedesk.store.audit.add_audit` writes it."""
        payload = {k: [old, new] for k, (old, new) in changes.items()}
        self.rows[AuditRecord].append(
            {
                "at": self.ctx.now,
                "actor": self.actor,
                "action": action,
                "entity_type": entity,
                "entity_id": str(entity_id),
                "case_id": case_id,
                "label": label[:200],
                "changes": json.dumps(payload, ensure_ascii=False, default=_iso),
            }
        )

    def add(self, record: CaseRecord, targets: list[tuple[Target, bool]]) -> uuid.UUID:
        """Collect one case with its tags, parties, events, deadlines and audit records;
        ``targets`` says per party what it names and whether that enterprise or person is created
        here. Returns the new case's id."""
        d, case_id = record.draft, uuid.uuid4()
        values = {k: getattr(d, k) for k in _CASE_FIELDS}
        # the file's unit, else the handler's (as CaseService.create; the system has no unit)
        values["unit"] = self.ctx.unit_of(d.handler) if record.unit is None else record.unit
        shown = values | {"tags": d.tags}
        self.audit(
            "create",
            "case",
            case_id,
            d.case_number,
            {k: (None, v) for k, v in shown.items() if v not in (None, "", ())},
            case_id,
        )
        names = [
            self.party(case_id, position, role, subject, *target)
            for position, ((role, subject), target) in enumerate(
                zip(record.parties, targets, strict=True), start=1
            )
        ]
        self.rows[Case].append(
            values
            | {k: record.parts[k] for k in ("year", "court_code", "type_code", "sequence")}
            | {"id": case_id, "parties_summary": party_summary(names)}
            | self.stamps
        )
        self.rows[CaseTag].extend({"case_id": case_id, "tag_id": self.ctx.tags[t]} for t in d.tags)
        for e in record.events:
            self.event(case_id, e)
        kinds = [subject.kind for _role, subject in record.parties]
        named = [(kind, target) for kind, (target, _new) in zip(kinds, targets, strict=True)]
        if record.measures:
            self.measures.add(case_id, d.case_number, record.measures, named)
        for deadline in record.deadlines or ():
            self.deadline(case_id, deadline)
        if record.compliance:
            self.compliance.add(case_id, record.compliance, named, record.deadlines or [])
        if record.enforcement is not None:
            self.enforcement.add(case_id, d.case_number, record.enforcement, named)
        if record.suggestions:
            self.suggestions.add(case_id, record.suggestions)
        self.case_ids.append(case_id)
        self.parties += len(record.parties)
        self.events += len(record.events)
        self.deadlines += len(record.deadlines or ())
        return case_id

    def event(self, case_id: uuid.UUID, e: EventRecord) -> None:
        """A timeline entry, audited as the timeline (stage) or deadline (trigger) service does."""
        self.rows[CaseEvent].append(
            {"case_id": case_id} | {k: getattr(e, k) for k in _EVENT_FIELDS}
        )
        if e.kind == "trigger":
            label = TRIGGERS[e.trigger or ""]
            changes = {
                "trigger": (None, label),
                "occurred_on": (None, e.occurred_at or e.occurred_on),
                "note": (None, e.note),
            }
        else:
            label = f"{e.stage} {e.occurred_on}"
            changes = {
                "occurred_on": (None, e.occurred_on),
                "stage": (None, e.stage),
                "note": (None, e.note),
            }
        self.audit("create", "case_event", e.id, label, changes, case_id)

    def deadline(self, case_id: uuid.UUID, d: DeadlineRecord) -> None:
        """A deadline of the file, audited as :func:`~casedesk.services.deadline_sync.
        create_deadline` audits a new one, with its state when it is not simply open."""
        deadline_id, v = d.id, d.values
        links = dict.fromkeys(DEADLINE_LINKS.values())
        if d.link is not None and d.link[0] in links:  # a compliance clock: its own table
            links[d.link[0]] = d.link[1].id
        self.rows[Deadline].append(
            v
            | {"id": deadline_id, "case_id": case_id}
            | {"source_event_id": d.source.id if d.source else None}
            | links
            | {"updated_at": self.ctx.now, "version": 1}
        )
        changes = {
            "rule": (None, d.rule.name),
            "start_on": (None, v["start_at"] or v["start_on"]),
            "due_on": (None, v["due_on"]),
        }
        if v["extensions_used"]:
            changes["extensions_used"] = (None, v["extensions_used"])
        if v["status"] != OPEN:
            changes["status"] = (None, v["status"])
            changes["closed_on"] = (None, v["closed_on"])
            changes["close_note"] = (None, v["close_note"])
        self.audit("create", "deadline", deadline_id, d.rule.name, changes, case_id)

    def party(
        self,
        case_id: uuid.UUID,
        position: int,
        role: str,
        subject: SubjectRecord,
        target: Target,
        create: bool,
    ) -> str:
        """Add one party, and its enterprise or person when it is created here."""
        target_id = target.id
        if create:
            values = _subject_values(subject.draft)
            model = Enterprise if subject.kind == "enterprise" else Person
            self.rows[model].append(values | {"id": target_id} | self.stamps)
            self.audit(
                "create",
                subject.kind,
                target_id,
                subject.draft.name,
                {k: (None, v) for k, v in values.items() if v},
                case_id,
            )
            self.created[subject.kind] += 1
        name = target.name
        party_id = uuid.uuid4()
        self.rows[CaseParty].append(
            {
                "id": party_id,
                "case_id": case_id,
                "role": role,
                "position": position,
                "enterprise_id": target_id if subject.kind == "enterprise" else None,
                "person_id": target_id if subject.kind == "person" else None,
            }
        )
        self.audit(
            "create",
            "case_party",
            party_id,
            f"{role} {name}",
            {"role": (None, role), "subject": (None, name)},
            case_id,
        )
        return name

    def flush(self, session: Session) -> None:
        """Insert the collected rows, index the batch's cases for search, start a new batch."""
        conn = session.connection()
        first = next_list_key(conn)
        for offset, row in enumerate(self.rows[Case]):
            row["list_key"] = first + offset
        for model, rows in self.rows.items():  # in foreign-key order
            if rows:
                conn.execute(model.__table__.insert(), rows)
        self.measures.flush(conn)
        self.compliance.flush(conn)
        if self.case_ids:
            reindex_cases(session, self.case_ids)
        self.cases += len(self.case_ids)
        self._reset()


def _subject_values(draft: EnterpriseDraft | PersonDraft) -> dict[str, Any]:
    """Column values of a checked enterprise or person: an empty identifier or choice is NULL."""
    names = ENTERPRISE_FIELDS if isinstance(draft, EnterpriseDraft) else PERSON_FIELDS
    return {k: getattr(draft, k) or (None if k in _NULL_WHEN_EMPTY else "") for k in names}


def _iso(value: Any) -> str:
    """Dates in audit changes as ISO text (tuples already become JSON arrays)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot record {type(value).__name__} in an audit record")
