"""Append-only audit records, written in the transaction of the change they describe, each
chained to the one before it when it is inserted (casedesk.store.audit_hash, docs/audit.md)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casedesk.store.models import AuditRecord


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    label: str
    changes: dict[str, list[Any]]


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A stored time with its zone: times are stored in UTC (see utcnow), and SQLite hands them
    back without a zone."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        value = as_utc(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def add_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | str,
    label: str = "",
    changes: dict[str, tuple[Any, Any]] | None = None,
    case_id: uuid.UUID | None = None,
) -> None:
    """Queue one audit record on ``session``; it commits or rolls back with the change."""
    payload = {k: [_plain(old), _plain(new)] for k, (old, new) in (changes or {}).items()}
    session.add(
        AuditRecord(
            at=utcnow(),
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            case_id=case_id,
            label=label[:200],
            changes=json.dumps(payload, ensure_ascii=False),
        )
    )


def history(
    session: Session, *, case_id: uuid.UUID | None = None, entity_id: uuid.UUID | None = None
) -> list[AuditRow]:
    """Audit rows of a case (and everything recorded against it) or of one entity, newest first."""
    conditions = []
    if case_id is not None:
        conditions.append(AuditRecord.case_id == case_id)
    if entity_id is not None:
        conditions.append(AuditRecord.entity_id == str(entity_id))
    stmt = select(AuditRecord).where(or_(*conditions)).order_by(AuditRecord.id.desc())
    return [
        AuditRow(
            as_utc(r.at),
            r.actor,
            r.action,
            r.entity_type,
            r.entity_id,
            r.label,
            json.loads(r.changes or "{}"),
        )
        for r in session.scalars(stmt)
    ]
