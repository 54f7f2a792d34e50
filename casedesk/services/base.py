"""What every service shares: the database, the acting user, id parsing, field diffs."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casedesk.domain.code_tables import TypeCode
from casedesk.services.errors import NotFound
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store.database import Database
from casedesk.store.models import CaseTypeCode, CourtCode


class Service:
    """Base of the services: each public method is one unit of work done as ``actor``."""

    def __init__(self, db: Database, actor: str):
        self.db = db
        self.actor = actor

    def _uow(self) -> UnitOfWork:
        return UnitOfWork(self.db, self.actor)

    def _read(self) -> Session:
        return self.db.session()


def parse_id(value: str | uuid.UUID, what: str = "记录") -> uuid.UUID:
    """An id from its text form; an unreadable id is reported as not found."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFound(f"找不到该{what}（编号“{value}”无效）") from exc


def diff(obj: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Fields whose new value differs from the object's current one: {field: (old, new)}."""
    return {k: (getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v}


def apply(obj: Any, changes: dict[str, tuple[Any, Any]]) -> None:
    for key, (_old, new) in changes.items():
        setattr(obj, key, new)


def type_codes(session: Session) -> dict[str, TypeCode]:
    """The editable case-type-code table as the domain validators take it."""
    return {
        r.code: TypeCode(r.code, r.family, r.name, r.confidence)
        for r in session.scalars(select(CaseTypeCode))
    }


def court_codes(session: Session) -> dict[str, str]:
    """Court code → court name from the editable table."""
    return {c: n for c, n in session.execute(select(CourtCode.code, CourtCode.name))}
