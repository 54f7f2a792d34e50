"""Exporting the live cases to a ``casedesk-cases`` file (docs/interchange.md).

Cases are read in batches with Core queries inside one read transaction, so the file is a
consistent snapshot; it is written to a temporary file beside the target and renamed into place
only when complete.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import DBAPIError

from casedesk.services.errors import ServiceError
from casedesk.services.interchange.compliance_format import COMPLIANCE_LINK
from casedesk.services.interchange.export_compliance import ComplianceExport, DeadlinePositions
from casedesk.services.interchange.export_enforcement import EnforcementExport
from casedesk.services.interchange.export_measures import MeasureExport, PartyPositions
from casedesk.services.interchange.export_suggestions import SuggestionExport, settings
from casedesk.services.interchange.format import (
    ENTERPRISE_FIELDS,
    ENTRY_KEYS,
    PERSON_FIELDS,
    Progress,
    cyclic_gc_paused,
    day_text,
    dumps,
    header,
    local_text,
    moment_text,
)
from casedesk.services.interchange.measure_format import DEADLINE_LINKS, MEASURE_LISTS
from casedesk.store import audit
from casedesk.store.compliance_models import ComplianceCase, ComplianceClock
from casedesk.store.database import Database
from casedesk.store.models import (
    Case,
    CaseEvent,
    CaseParty,
    CaseTag,
    Deadline,
    Enterprise,
    Person,
    Tag,
)

BATCH = 1000

_CASE_COLUMNS = (
    Case.id, Case.case_number, Case.family, Case.procedure, Case.cause, Case.handler, Case.unit,
    Case.accepted_on, Case.closed_on, Case.stage, Case.amount_fen, Case.costs_fen, Case.notes,
)  # fmt: skip
_EVENT_COLUMNS = (
    CaseEvent.id, CaseEvent.occurred_on, CaseEvent.kind, CaseEvent.stage, CaseEvent.trigger,
    CaseEvent.occurred_at, CaseEvent.note, CaseEvent.created_by, CaseEvent.created_at,
)  # fmt: skip
_DEADLINE_COLUMNS = (
    Deadline.id, Deadline.rule_id, Deadline.trigger, Deadline.source_event_id,
    Deadline.property_measure_id, Deadline.personal_measure_id, Deadline.custody_review_id,
    Deadline.subject, Deadline.round, Deadline.period_spec, Deadline.start_on, Deadline.start_at,
    Deadline.custody, Deadline.extensions_used, Deadline.extension_log, Deadline.suspensions,
    Deadline.restarts, Deadline.status, Deadline.closed_on, Deadline.close_note, Deadline.due_on,
    Deadline.due_at, Deadline.created_by, Deadline.created_at,
)  # fmt: skip


def export_cases(db: Database, out: Path, progress: Progress | None = None) -> int:
    """Write every live case, in 案号 order, to ``out``; returns the number of cases written."""
    out = Path(out)
    partial = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        with (
            partial.open("x", encoding="utf-8", newline="\n") as fh,
            db.engine.connect() as conn,
            cyclic_gc_paused(),
        ):
            total = conn.scalar(
                select(func.count()).select_from(Case).where(Case.deleted_at.is_(None))
            )
            head = header(total or 0, audit.utcnow()) | settings(conn)
            fh.write(dumps(head) + "\n")
            written = 0
            for batch in _case_batches(conn):
                for case in batch:
                    fh.write(dumps(case) + "\n")
                written += len(batch)
                if progress:
                    progress("正在导出", written, total or 0)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, out)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ServiceError(f"无法写入文件“{out}”：{exc.strerror or exc}") from exc
        if isinstance(exc, DBAPIError):
            raise ServiceError(f"读取数据库失败，未写出文件（{exc.orig}）") from exc
        raise
    return written


def _case_batches(conn: Connection) -> Iterator[list[dict]]:
    """Lists of case objects, ``BATCH`` at a time, in 案号 order."""
    result = conn.execute(
        select(*_CASE_COLUMNS)
        .where(Case.deleted_at.is_(None))
        .order_by(Case.year, Case.court_code, Case.type_code, Case.sequence, Case.case_number)
    )
    related, measures = _Related(conn), MeasureExport(conn)
    compliance, enforcement = ComplianceExport(conn), EnforcementExport(conn)
    suggestions = SuggestionExport(conn)
    none = {key: [] for key in MEASURE_LISTS}
    while rows := result.fetchmany(BATCH):
        ids = [r.id for r in rows]
        (parties, party_positions), tags = related.parties(ids), related.tags(ids)
        events, positions = related.events(ids)
        lists = measures.lists(ids, party_positions)
        deadlines, clock_positions = related.deadlines(ids, positions)
        reform = compliance.lists(ids, party_positions, clock_positions)
        records = enforcement.records(ids, party_positions, clock_positions)
        documents = suggestions.lists(ids, clock_positions)
        yield [
            {
                "type": "case",
                "case_number": r.case_number,
                "family": r.family,
                "procedure": r.procedure,
                "cause": r.cause,
                "handler": r.handler,
                "unit": r.unit,
                "accepted_on": day_text(r.accepted_on),
                "closed_on": day_text(r.closed_on),
                "stage": r.stage,
                "amount_fen": r.amount_fen,
                "costs_fen": r.costs_fen,
                "notes": r.notes,
                "tags": tags.get(r.case_number, []),
                "parties": parties.get(r.case_number, []),
                "events": events.get(r.case_number, []),
                **lists.get(r.case_number, none),
                "compliance_cases": reform.get(r.case_number, []),
                "enforcement": records.get(r.case_number),
                "suggestions": documents.get(r.case_number, []),
                "deadlines": deadlines.get(r.case_number, []),
            }
            for r in rows
        ]


class _Related:
    """The parties, events, deadlines and tags of a batch of cases, grouped by 案号 (unique, and
    text compares without turning every row's case id into a UUID). Enterprises and persons are
    fetched once per export: most take part in several cases."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.subjects: dict[str, dict[uuid.UUID, dict]] = {"enterprise": {}, "person": {}}

    def parties(self, ids: Sequence) -> tuple[dict[str, list[dict]], PartyPositions]:
        """The parties of each case, and where each enterprise or person first appears in them
        (measures name their owner or person by that position)."""
        rows = self.conn.execute(
            select(Case.case_number, CaseParty.role, CaseParty.enterprise_id, CaseParty.person_id)
            .select_from(CaseParty)
            .join(Case, Case.id == CaseParty.case_id)
            .where(CaseParty.case_id.in_(ids))
            .order_by(CaseParty.position)
        ).all()
        enterprises = self._subjects("enterprise", {r.enterprise_id for r in rows})
        persons = self._subjects("person", {r.person_id for r in rows})
        found: dict[str, list[dict]] = defaultdict(list)
        positions: PartyPositions = defaultdict(dict)
        for number, role, enterprise_id, person_id in rows:
            positions[number].setdefault(enterprise_id or person_id, len(found[number]))
            if enterprise_id is not None:
                found[number].append({"role": role, "enterprise": enterprises[enterprise_id]})
            else:
                found[number].append({"role": role, "person": persons[person_id]})
        return found, positions

    def _subjects(self, kind: str, ids: set) -> dict[uuid.UUID, dict]:
        """Enterprise (person) objects: their id, then their fields ("" for unknown)."""
        known = self.subjects[kind]
        model, names = (Enterprise, ENTERPRISE_FIELDS) if kind == "enterprise" else (
            Person, PERSON_FIELDS)  # fmt: skip
        missing = [i for i in ids if i is not None and i not in known]
        for start in range(0, len(missing), BATCH):
            for sid, *values in self.conn.execute(
                select(model.id, *(getattr(model, k) for k in names)).where(
                    model.id.in_(missing[start : start + BATCH])
                )
            ):
                known[sid] = {"id": sid.hex} | {
                    k: v or "" for k, v in zip(names, values, strict=True)
                }
        return known

    def events(self, ids: Sequence) -> tuple[dict[str, list[dict]], dict[uuid.UUID, int]]:
        """The events of each case, oldest first, and each event's position in its list."""
        rows = self.conn.execute(
            select(Case.case_number, *_EVENT_COLUMNS)
            .select_from(CaseEvent)
            .join(Case, Case.id == CaseEvent.case_id)
            .where(CaseEvent.case_id.in_(ids))
            .order_by(CaseEvent.occurred_on, CaseEvent.created_at, CaseEvent.id)
        ).all()
        found: dict[str, list[dict]] = defaultdict(list)
        positions: dict[uuid.UUID, int] = {}
        for number, event_id, occurred_on, kind, stage, trigger, at, note, by, created in rows:
            event = {"occurred_on": occurred_on.isoformat(), "kind": kind, "stage": stage}
            if kind == "trigger":
                event |= {"trigger": trigger, "occurred_at": local_text(at)}
            event |= {"note": note, "created_by": by, "created_at": moment_text(created)}
            positions[event_id] = len(found[number])
            found[number].append(event)
        return found, positions

    def deadlines(
        self, ids: Sequence, positions: dict[uuid.UUID, int]
    ) -> tuple[dict[str, list[dict]], DeadlinePositions]:
        """The deadlines of each case in the order they were created, and each deadline's
        position in its case's list; ``source_event`` is the position of the event that started
        one in the case's ``events``, ``compliance_case`` the compliance case whose clock it
        is."""
        clocks = dict(
            self.conn.execute(
                select(ComplianceClock.deadline_id, ComplianceClock.compliance_id)
                .join(ComplianceCase, ComplianceCase.id == ComplianceClock.compliance_id)
                .where(ComplianceCase.case_id.in_(ids))
                .order_by(ComplianceClock.compliance_id)
            ).all()
        )
        rows = self.conn.execute(
            select(Case.case_number, *_DEADLINE_COLUMNS)
            .select_from(Deadline)
            .join(Case, Case.id == Deadline.case_id)
            .where(Deadline.case_id.in_(ids))
            .order_by(Deadline.created_at, Deadline.rule_id, Deadline.round, Deadline.start_on)
        ).all()
        found: dict[str, list[dict]] = defaultdict(list)
        at: DeadlinePositions = {}
        for r in rows:
            source = r.source_event_id
            at[r.id] = len(found[r.case_number])
            found[r.case_number].append(
                {
                    "rule_id": r.rule_id,
                    "trigger": r.trigger,
                    "source_event": positions.get(source) if source is not None else None,
                    **{key: _hex(getattr(r, column)) for key, column in DEADLINE_LINKS.items()},
                    COMPLIANCE_LINK: _hex(clocks.get(r.id)),
                    "subject": r.subject,
                    "round": r.round,
                    "period_spec": r.period_spec,
                    "start_on": r.start_on.isoformat(),
                    "start_at": local_text(r.start_at),
                    "custody": bool(r.custody),
                    "extensions_used": r.extensions_used,
                    **{name: _entries(getattr(r, name)) for name in ENTRY_KEYS},
                    "status": r.status,
                    "closed_on": day_text(r.closed_on),
                    "close_note": r.close_note,
                    "due_on": r.due_on.isoformat(),
                    "due_at": local_text(r.due_at),
                    "created_by": r.created_by,
                    "created_at": moment_text(r.created_at),
                }
            )
        return found, at

    def tags(self, ids: Sequence) -> dict[str, list[str]]:
        rows = self.conn.execute(
            select(Case.case_number, Tag.name)
            .select_from(CaseTag)
            .join(Tag, Tag.id == CaseTag.tag_id)
            .join(Case, Case.id == CaseTag.case_id)
            .where(CaseTag.case_id.in_(ids))
            .order_by(Tag.position, Tag.name)
        ).all()
        found: dict[str, list[str]] = defaultdict(list)
        for number, name in rows:
            found[number].append(name)
        return found


def _hex(value: uuid.UUID | None) -> str | None:
    return value.hex if value is not None else None


def _entries(value: str | None) -> list:
    """A deadline's JSON list (extensions, suspensions, restarts) as an array."""
    return json.loads(value or "[]")
