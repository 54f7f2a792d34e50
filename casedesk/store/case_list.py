"""Read side of the case list: ordered list keys, and rows fetched by key.

Filtering and sorting happen in SQL (one query over the partial list indexes returns the keys in
display order); a search is answered by the FTS indexes as a set of keys, and the ordered keys
are narrowed to that set. The reader's :class:`~casedesk.store.case_scope.CaseScope` (the cases
of their unit …) is one more condition: the sort index is still walked, each key probed in the
small set of the visible cases' keys. Nothing here loads ORM objects.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, String, false, select, type_coerce

from casedesk.store.binds import Bind, connection_of
from casedesk.store.case_scope import EVERYTHING, CaseScope, within
from casedesk.store.models import Case, CaseTag, Tag
from casedesk.store.search import search_keys


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

    def without_search(self) -> CaseFilter:
        return dataclasses.replace(self, search="")


@dataclass(frozen=True)
class CaseRow:
    key: int
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


def _where(f: CaseFilter, scope: CaseScope = EVERYTHING) -> list:
    conditions = [Case.deleted_at.is_(None), *within(scope, Case.list_key, "list_key")]
    if f.family:
        conditions.append(Case.family == f.family)
    if f.stage:
        conditions.append(Case.stage == f.stage)
    if f.handler:
        # A name no save could store (a lone surrogate cannot be encoded) matches no case.
        storable = f.handler.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        conditions.append(Case.handler == f.handler if storable == f.handler else false())
    if f.tag:
        tag_id = select(Tag.id).where(Tag.name == f.tag).scalar_subquery()
        conditions.append(Case.id.in_(select(CaseTag.case_id).where(CaseTag.tag_id == tag_id)))
    if f.accepted_from:
        conditions.append(Case.accepted_on >= f.accepted_from)
    if f.accepted_to:
        conditions.append(Case.accepted_on <= f.accepted_to)
    if f.open_only:
        conditions.append(Case.closed_on.is_(None))
    return conditions


def ordered_keys(
    bind: Bind,
    case_filter: CaseFilter,
    sort: str = "accepted_on",
    descending: bool = True,
    scope: CaseScope = EVERYTHING,
) -> list[int]:
    """Keys of the live cases of ``scope`` passing the filter (its search ignored), in display
    order.

    Ties are broken by list key, in the same direction, so the order is total and every sort is a
    walk of one partial index.
    """
    return _first_column(bind, ordered_statement(case_filter, sort, descending, scope))


def ordered_statement(
    case_filter: CaseFilter, sort: str, descending: bool, scope: CaseScope = EVERYTHING
) -> Select:
    """The query of :func:`ordered_keys` (its plan is pinned by tests/test_query_plans.py)."""
    columns = SORT_COLUMNS.get(sort, SORT_COLUMNS["accepted_on"])
    order = [c.desc() if descending else c.asc() for c in (*columns, Case.list_key)]
    return select(Case.list_key).where(*_where(case_filter, scope)).order_by(*order)


def _first_column(bind: Bind, stmt: Select) -> list:
    """The first column of every row. On SQLite the statement runs on the driver directly:
    for 150,000 keys that halves the time SQLAlchemy's result processing would take."""
    conn = connection_of(bind)
    if conn.dialect.name != "sqlite":
        return list(conn.execute(stmt).scalars())
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    values = compiled.construct_params()
    params = [_plain(values[name]) for name in compiled.positiontup or ()]
    driver = conn.connection.driver_connection
    return [row[0] for row in driver.execute(str(compiled), params)]


def _plain(value: object) -> object:
    """A bound value as SQLAlchemy stores it on SQLite (dates and times as text)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value.isoformat() if isinstance(value, date) else value


def narrow(keys: list[int], matches: set[int] | None) -> list[int]:
    """The ordered keys that are in ``matches`` (all of them when there is no search)."""
    if matches is None:
        return keys
    return list(filter(matches.__contains__, keys))


def case_keys(
    bind: Bind, case_filter: CaseFilter = CaseFilter(), sort: str = "accepted_on",
    descending: bool = True, scope: CaseScope = EVERYTHING,
) -> list[int]:  # fmt: skip
    """Keys of the matching live cases of ``scope`` in display order."""
    return narrow(
        ordered_keys(bind, case_filter, sort, descending, scope),
        search_keys(bind, case_filter.search),
    )


def case_rows(bind: Bind, keys: list[int]) -> dict[int, CaseRow]:
    """The list rows of these cases, keyed by list key (keys no longer present are left out)."""
    if not keys:
        return {}
    rows = bind.execute(
        select(
            Case.list_key,
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
        ).where(Case.list_key.in_(keys))
    ).all()
    tags: dict[int, list[str]] = {}
    for key, name in bind.execute(
        select(Case.list_key, Tag.name)
        .join(CaseTag, CaseTag.case_id == Case.id)
        .join(Tag, Tag.id == CaseTag.tag_id)
        .where(Case.list_key.in_(keys))
        .order_by(Tag.position)
    ):
        tags.setdefault(key, []).append(name)
    return {r[0]: CaseRow(*r, tags="、".join(tags.get(r[0], []))) for r in rows}


def key_of(bind: Bind, case_id: str | uuid.UUID) -> int | None:
    """The list key of a case."""
    value = case_id if isinstance(case_id, uuid.UUID) else uuid.UUID(str(case_id))
    return bind.scalar(select(Case.list_key).where(Case.id == value))


def ids_of(bind: Bind, keys: list[int]) -> list[str]:
    """The case ids (hex) of list keys, in the same order."""
    found: dict[int, str] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(bind.execute(select(Case.list_key, _ID).where(Case.list_key.in_(chunk))).all())
    return [found[k] for k in keys if k in found]


def handlers(bind: Bind, scope: CaseScope = EVERYTHING) -> list[str]:
    """Distinct handlers of the live cases of ``scope``, for the filter."""
    stmt = (
        select(Case.handler)
        .where(
            Case.deleted_at.is_(None), Case.handler != "", *within(scope, Case.list_key, "list_key")
        )
        .group_by(Case.handler)
        .order_by(Case.handler)
    )
    return list(bind.execute(stmt).scalars())
