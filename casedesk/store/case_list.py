"""Read side of the case list: ordered ids from one SQL query, and rows fetched by id.

Sorting, filtering, searching and counting all happen in SQL; nothing here loads ORM objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, String, exists, select, type_coerce
from sqlalchemy.orm import Session

from casedesk.store.models import Case, CaseTag, Tag
from casedesk.store.search import search_condition


@dataclass(frozen=True)
class CaseFilter:
    """What the user narrowed the list to; empty values do not filter."""

    search: str = ""
    family: str = ""
    stage: str = ""
    handler: str = ""
    tag: str = ""
    accepted_from: date | None = None
    accepted_to: date | None = None
    open_only: bool = False


@dataclass(frozen=True)
class CaseRow:
    id: str
    case_number: str
    family: str
    procedure: str
    cause: str
    parties_summary: str
    handler: str
    accepted_on: date
    closed_on: date | None
    stage: str
    amount_fen: int | None
    updated_at: datetime
    tags: str


#: Sortable list columns: key → ORDER BY columns. The key is also the CaseRow field shown.
SORT_COLUMNS = {
    "case_number": (Case.year, Case.court_code, Case.type_code, Case.sequence),
    "family": (Case.family,),
    "procedure": (Case.procedure,),
    "cause": (Case.cause,),
    "parties_summary": (Case.parties_summary,),
    "handler": (Case.handler,),
    "accepted_on": (Case.accepted_on,),
    "closed_on": (Case.closed_on,),
    "stage": (Case.stage,),
    "amount_fen": (Case.amount_fen,),
    "updated_at": (Case.updated_at,),
}
_ID = type_coerce(Case.id, String)


def _where(f: CaseFilter, sqlite: bool) -> list:
    conditions = [Case.deleted_at.is_(None)]
    if f.search.strip():
        conditions.append(search_condition(f.search, sqlite))
    if f.family:
        conditions.append(Case.family == f.family)
    if f.stage:
        conditions.append(Case.stage == f.stage)
    if f.handler:
        conditions.append(Case.handler == f.handler)
    if f.tag:
        conditions.append(
            exists()
            .where(CaseTag.case_id == Case.id)
            .where(CaseTag.tag_id == select(Tag.id).where(Tag.name == f.tag).scalar_subquery())
        )
    if f.accepted_from:
        conditions.append(Case.accepted_on >= f.accepted_from)
    if f.accepted_to:
        conditions.append(Case.accepted_on <= f.accepted_to)
    if f.open_only:
        conditions.append(Case.closed_on.is_(None))
    return conditions


def case_ids(
    bind: Session | Connection,
    case_filter: CaseFilter = CaseFilter(),
    sort: str = "accepted_on",
    descending: bool = True,
) -> list[str]:
    """Ids of the matching live cases in display order (ties broken by id)."""
    columns = SORT_COLUMNS.get(sort, SORT_COLUMNS["accepted_on"])
    order = [c.desc() if descending else c.asc() for c in (*columns, Case.id)]
    sqlite = _dialect(bind) == "sqlite"
    stmt = select(_ID).where(*_where(case_filter, sqlite)).order_by(*order)
    return list(bind.execute(stmt).scalars())


def case_rows(bind: Session | Connection, ids: list[str]) -> dict[str, CaseRow]:
    """The list rows of these cases, keyed by id (ids that no longer exist are left out)."""
    if not ids:
        return {}
    rows = bind.execute(
        select(
            _ID,
            Case.case_number,
            Case.family,
            Case.procedure,
            Case.cause,
            Case.parties_summary,
            Case.handler,
            Case.accepted_on,
            Case.closed_on,
            Case.stage,
            Case.amount_fen,
            Case.updated_at,
        ).where(_ID.in_(ids))
    ).all()
    tags: dict[str, list[str]] = {}
    for cid, name in bind.execute(
        select(type_coerce(CaseTag.case_id, String), Tag.name)
        .join(Tag, Tag.id == CaseTag.tag_id)
        .where(type_coerce(CaseTag.case_id, String).in_(ids))
        .order_by(Tag.position)
    ):
        tags.setdefault(cid, []).append(name)
    return {r[0]: CaseRow(*r, tags="、".join(tags.get(r[0], []))) for r in rows}


def handlers(bind: Session | Connection) -> list[str]:
    """Distinct handlers of live cases, for the filter."""
    stmt = (
        select(Case.handler)
        .where(Case.deleted_at.is_(None), Case.handler != "")
        .group_by(Case.handler)
        .order_by(Case.handler)
    )
    return list(bind.execute(stmt).scalars())


def _dialect(bind: Session | Connection) -> str:
    return bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name
