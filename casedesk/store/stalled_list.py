"""Read side of the 挂案 ledger: the few criminal cases that can be stalled, narrowed in SQL, with
their counted personal measures, filing days and supervision records fetched in one query each.
Whether a case is flagged is decided by :mod:`casedesk.domain.stalled` on these rows.

A candidate is a live, open 刑事 case whose stage has not moved forward
(domain.stalled.STALLED_STAGES), involving an enterprise (an enterprise party in any role, or the
tag 涉企), and which can have passed a threshold by ``cutoff``: filed (or accepted) on or before
it, or with a counted measure decided on or before it (a measure ends after it was decided).
The ledger shows the cases the reader may see (``scope``: :mod:`casedesk.store.case_scope`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, String, and_, exists, func, or_, select, type_coerce

from casedesk.domain.measures import STALLED_COUNTED_KINDS
from casedesk.domain.stalled import ENTERPRISE_TAG, STALLED_STAGES
from casedesk.domain.vocabulary import CLOSED_STAGES
from casedesk.store.binds import Bind, connection_of
from casedesk.store.case_scope import EVERYTHING, CaseScope, case_in_scope
from casedesk.store.models import (
    Case,
    CaseEvent,
    CaseParty,
    CaseTag,
    PersonalMeasure,
    StalledSupervision,
    Tag,
)

FAMILY = "刑事"
FILING_TRIGGER = "case_filed_criminal"
_CHUNK = 500

PM = PersonalMeasure
SS = StalledSupervision


class CaseRow(NamedTuple):
    case_id: str  # hex
    case_number: str
    cause: str
    handler: str
    parties: str
    stage: str
    accepted_on: date


class MeasureRow(NamedTuple):
    case_id: str
    kind: str
    decided_on: date
    term_end: date | None
    ended_on: date | None


class SupervisionRow(NamedTuple):
    id: str
    case_id: str
    threshold: str
    supervising_unit: str
    responsible_unit: str
    started_on: date
    due_on: date
    instructions: str
    closed_on: date | None
    outcome: str
    close_document: str
    # the case's list data
    case_number: str
    cause: str
    handler: str
    parties: str
    stage: str
    accepted_on: date


_CASE_COLUMNS = (
    type_coerce(Case.id, String).label("case_id"),
    Case.case_number,
    Case.cause,
    Case.handler,
    Case.parties_summary,
    Case.stage,
    Case.accepted_on,
)


def enterprise_involved() -> ColumnElement[bool]:
    """The case has an enterprise party (any role) or carries the tag 涉企."""
    party = exists().where(CaseParty.case_id == Case.id, CaseParty.enterprise_id.is_not(None))
    tagged = exists().where(
        CaseTag.case_id == Case.id, CaseTag.tag_id == Tag.id, Tag.name == ENTERPRISE_TAG
    )
    return or_(party, tagged)


def _counted() -> ColumnElement[bool]:
    return PM.kind.in_(sorted(STALLED_COUNTED_KINDS))


def _filing() -> ColumnElement[bool]:
    return and_(CaseEvent.kind == "trigger", CaseEvent.trigger == FILING_TRIGGER)


def candidate_cases(
    bind: Bind, cutoff: date, case_id: uuid.UUID | None = None, scope: CaseScope = EVERYTHING
) -> list[CaseRow]:
    """Cases (of ``scope``) that may be flagged by ``cutoff`` (see the module's docstring), by
    case number; with ``case_id``: that case if it is one."""
    could_have_passed = or_(
        Case.accepted_on <= cutoff,
        exists().where(PM.case_id == Case.id, _counted(), PM.decided_on <= cutoff),
        exists().where(CaseEvent.case_id == Case.id, _filing(), CaseEvent.occurred_on <= cutoff),
    )
    stmt = (
        select(*_CASE_COLUMNS)
        .where(
            Case.family == FAMILY,
            Case.deleted_at.is_(None),
            Case.closed_on.is_(None),
            Case.stage.in_(STALLED_STAGES),
            enterprise_involved(),
            could_have_passed,
            *case_in_scope(scope),
        )
        .order_by(Case.case_number)
    )
    if case_id is not None:
        stmt = stmt.where(Case.id == case_id)
    return list(map(CaseRow._make, connection_of(bind).execute(stmt)))


def supervisions(
    bind: Bind, case_id: uuid.UUID | None = None, scope: CaseScope = EVERYTHING
) -> list[SupervisionRow]:
    """Supervision records of live cases (of ``scope``; of one case with ``case_id``), oldest
    first."""
    stmt = (
        select(
            type_coerce(SS.id, String),
            type_coerce(SS.case_id, String),
            SS.threshold,
            SS.supervising_unit,
            SS.responsible_unit,
            SS.started_on,
            SS.due_on,
            SS.instructions,
            SS.closed_on,
            SS.outcome,
            SS.close_document,
            *_CASE_COLUMNS[1:],
        )
        .join(Case, Case.id == SS.case_id)
        .where(Case.deleted_at.is_(None), *case_in_scope(scope))
        .order_by(SS.started_on, SS.created_at)
    )
    if case_id is not None:
        stmt = stmt.where(SS.case_id == case_id)
    return list(map(SupervisionRow._make, connection_of(bind).execute(stmt)))


def _chunks(case_ids: Iterable[str]) -> Iterable[list[uuid.UUID]]:
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), _CHUNK):
        yield [uuid.UUID(i) for i in ids[start : start + _CHUNK]]


def counted_measures(bind: Bind, case_ids: Iterable[str]) -> dict[str, list[MeasureRow]]:
    """Case id → its personal measures that the thresholds count (not 拘传)."""
    found: dict[str, list[MeasureRow]] = {}
    conn = connection_of(bind)
    for chunk in _chunks(case_ids):
        stmt = select(
            type_coerce(PM.case_id, String), PM.kind, PM.decided_on, PM.term_end, PM.ended_on
        ).where(PM.case_id.in_(chunk), _counted())
        for row in conn.execute(stmt):
            found.setdefault(row[0], []).append(MeasureRow._make(row))
    return found


def filing_days(bind: Bind, case_ids: Iterable[str]) -> dict[str, date]:
    """Case id → the day its 刑事立案 was recorded (the earliest, if recorded more than once)."""
    found: dict[str, date] = {}
    conn = connection_of(bind)
    for chunk in _chunks(case_ids):
        stmt = (
            select(type_coerce(CaseEvent.case_id, String), func.min(CaseEvent.occurred_on))
            .where(CaseEvent.case_id.in_(chunk), _filing())
            .group_by(CaseEvent.case_id)
        )
        found.update({k: _day(v) for k, v in conn.execute(stmt)})
    return found


def open_supervision_id(bind: Bind, case_id: uuid.UUID) -> str | None:
    """The case's supervision not yet closed off, if any."""
    stmt = select(type_coerce(SS.id, String)).where(SS.case_id == case_id, SS.closed_on.is_(None))
    return connection_of(bind).execute(stmt.limit(1)).scalar()


class CaseFacts(NamedTuple):
    family: str
    closed: bool
    stage: str
    enterprise_involved: bool
    accepted_on: date


def case_facts(bind: Bind, case_id: uuid.UUID) -> CaseFacts | None:
    """What makes a live case a candidate or not (to say why it is not one); None when there is
    no such live case."""
    stmt = select(
        Case.family,
        or_(Case.closed_on.is_not(None), Case.stage.in_(sorted(CLOSED_STAGES))),
        Case.stage,
        enterprise_involved(),
        Case.accepted_on,
    ).where(Case.id == case_id, Case.deleted_at.is_(None))
    row = connection_of(bind).execute(stmt).one_or_none()
    if row is None:
        return None
    return CaseFacts(row[0], bool(row[1]), row[2], bool(row[3]), row[4])


def _day(value: date | str) -> date:
    """A date from an aggregate (SQLite may hand MIN() of a date column back as text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)
