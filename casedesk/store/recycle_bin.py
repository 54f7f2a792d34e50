"""The recycle bin (回收站): records deleted from a case — a timeline entry, a party, a 建议书
draft — kept whole, every column and their child rows, so that restoring puts back the same
record under the same id (issue 7, point 2: deletions are soft and restorable).

A case itself is soft-deleted in place (``case_file.deleted_at``): every list already reads only
live cases. A timeline entry, a party or a suggestion is read by some forty queries — the case
page, the stage, the deadlines, the search text, the lists, the interchange — so a ``deleted_at``
on those tables would be a filter to forget in each. They move into the bin instead: the live
tables hold only live rows, and the bin holds what left them, with who deleted it and when.
The audit trail records the deletion and the restoring as well (docs/audit.md).

Imported by :mod:`casedesk.store.models`, so one metadata holds every table.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, Uuid, inspect, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from casedesk.store.models import Base, _uuid


class BinEntry(Base):
    """One deleted record: its table and id, what it was (``label``, as the bin lists it), the
    whole row and its children as JSON (``payload``), who deleted it and when."""

    __tablename__ = "recycle_bin"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    entity: Mapped[str] = mapped_column(String(30))  # the table: case_event, case_party …
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    label: Mapped[str] = mapped_column(String(300), default="")
    #: {"row": {column: value}, "children": {table: [row, …]}, "links": {…}}
    payload: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    deleted_by: Mapped[str] = mapped_column(String(100))


def _model_of(table: str) -> type:
    for mapper in Base.registry.mappers:
        if mapper.class_.__tablename__ == table:
            return mapper.class_
    raise ValueError(f"no model for table {table!r}")


def snapshot(row: Any) -> dict[str, Any]:
    """Every column of ``row`` as JSON-ready values (by the mapper, so a column added later is
    kept too)."""
    values: dict[str, Any] = {}
    for attr in inspect(type(row)).column_attrs:
        value = getattr(row, attr.key)
        if isinstance(value, uuid.UUID):
            value = value.hex
        elif isinstance(value, date | datetime):
            value = value.isoformat()
        values[attr.key] = value
    return values


def revive(model: type, values: dict[str, Any]) -> Any:
    """A new instance of ``model`` from a :func:`snapshot` (columns unknown today are skipped)."""
    kept: dict[str, Any] = {}
    for attr in inspect(model).column_attrs:
        if attr.key not in values:
            continue
        value, kind = values[attr.key], attr.columns[0].type
        if value is not None:
            if isinstance(kind, Uuid):
                value = uuid.UUID(value)
            elif isinstance(kind, DateTime):
                value = datetime.fromisoformat(value)
            elif isinstance(kind, Date):
                value = date.fromisoformat(value)
        kept[attr.key] = value
    return model(**kept)


def discard(
    session: Session,
    row: Any,
    *,
    case_id: uuid.UUID,
    label: str,
    actor: str,
    at: datetime,
    children: dict[str, list[Any]] | None = None,
    links: dict[str, Any] | None = None,
) -> BinEntry:
    """Move ``row`` (and ``children``, rows of other tables that go with it) into the bin and
    delete it from its table. ``links``: what restoring needs beyond the rows (e.g. the
    deadlines the deletion cancelled). The caller audits, in the same transaction."""
    payload = {
        "row": snapshot(row),
        "children": {t: [snapshot(c) for c in rows] for t, rows in (children or {}).items()},
        "links": links or {},
    }
    entry = BinEntry(
        id=uuid.uuid4(),
        case_id=case_id,
        entity=type(row).__tablename__,
        record_id=row.id,
        label=label[:300],
        payload=json.dumps(payload, ensure_ascii=False),
        deleted_at=at,
        deleted_by=actor,
    )
    session.add(entry)
    session.delete(row)
    return entry


def continue_version(session: Session, row: Any, deleted_version: int | None) -> None:
    """After the restored ``row`` was inserted (which starts an optimistic-lock version at 1),
    carry on from the version it had when deleted, so an editor still open on the older text
    is told it changed rather than saving over it."""
    column = inspect(type(row)).version_id_col
    if column is None or deleted_version is None:
        return
    table = type(row).__table__
    session.execute(
        update(table).where(table.c.id == row.id).values({column.key: deleted_version + 1})
    )
    session.expire(row)


def contents(entry: BinEntry) -> tuple[Any, dict[str, list[Any]], dict[str, Any]]:
    """The deleted row, its children (new instances, not yet added) and the links."""
    payload = json.loads(entry.payload)
    row = revive(_model_of(entry.entity), payload["row"])
    children = {
        table: [revive(_model_of(table), c) for c in rows]
        for table, rows in payload["children"].items()
    }
    return row, children, payload.get("links", {})
