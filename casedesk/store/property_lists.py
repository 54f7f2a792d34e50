"""Read side of the property-measure lists: property under seizure by case and by enterprise, the
超标的 candidates, and one case's seized total. Aggregated in SQL over the measures not released
(the partial index ``ix_property_measure_active``), never row by row in Python.

A measure is *in force* when it is not released and its term has not run out; it has *lapsed*
(已失效) when its term ran out without renewal (``term_end < as_of``; ``term_end`` is set only for
terms that lapse by themselves, 查扣冻规定 第27条, 公安规定 第243条).

The lists keep the cases the reader may see (``scope``, :mod:`casedesk.store.case_scope`),
checked on each case row once its measures are aggregated.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import NamedTuple

from sqlalchemy import (
    ColumnElement,
    Float,
    Row,
    String,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
)

from casedesk.store.binds import Bind, connection_of
from casedesk.store.case_scope import EVERYTHING, CaseScope, case_in_scope
from casedesk.store.models import Case, Enterprise, PropertyMeasure

PM = PropertyMeasure
#: Separates owner names inside one aggregated string (never typed in a name).
_SEP = "\x1f"


def _not_released() -> ColumnElement[bool]:
    return PM.released_on.is_(None)


def _lapsed(as_of: date) -> ColumnElement[bool]:
    """True when the term ran out (NULL, i.e. not true, for measures without a term)."""
    return PM.term_end < as_of


def _in_force(as_of: date) -> ColumnElement[bool]:
    return or_(PM.term_end.is_(None), PM.term_end >= as_of)


def _remaining() -> ColumnElement[int]:
    """Value still held by one measure (0 when its value is unknown)."""
    return func.coalesce(PM.value_fen, 0) - PM.released_fen


def _names(bind: Bind, column: ColumnElement[str]) -> ColumnElement[str]:
    """The values of ``column`` in a group, as one string split by ``_SEP``."""
    if connection_of(bind).dialect.name == "postgresql":  # pragma: no cover - no server here
        return func.string_agg(column, literal(_SEP))
    return func.group_concat(column, _SEP)


def split_names(joined: str | None) -> str:
    """An aggregated name string as shown: each name once, joined with "、"."""
    if not joined:
        return ""
    if _SEP not in joined:
        return joined
    return "、".join(dict.fromkeys(joined.split(_SEP)))


class CaseSeizure(NamedTuple):
    """One case's seized total against its claim (the 超标的 figures before the exact check)."""

    case_id: str
    case_number: str
    claim_fen: int | None
    costs_fen: int | None
    seized_fen: int
    lapsed: int


def _figures(as_of: date) -> list:
    """Per group of measures not released: how many, how many lapsed (已失效), the value still
    held by those in force, those in force kept in use (活封活扣), the next last day of a term.
    One comparison with ``as_of`` per figure (a measure without term is never lapsed)."""
    lapsed = _lapsed(as_of)
    return [
        func.count().label("n"),
        func.count(case((lapsed, 1))).label("lapsed"),
        func.coalesce(func.sum(case((lapsed, 0), else_=_remaining())), 0).label("remaining"),
        func.count(case((lapsed, None), (PM.live_use.is_(True), 1))).label("live_use"),
        func.min(case((PM.term_end >= as_of, PM.term_end))).label("next_end"),
    ]


def seized_by_case(bind: Bind, as_of: date, scope: CaseScope = EVERYTHING) -> list[Row]:
    """Live cases (of ``scope``) with measures not released (in force, or lapsed), most value
    held first: case id, case number, handler, owners (joined by ``_SEP``: see
    :func:`split_names`), measures in force, value they hold, measures lapsed, in force 活封活扣,
    found unrelated, next last day of a term — the fields of the service's ``SeizedByCase``.

    Aggregated over the partial index of measures not released, then joined to the cases:
    one case lookup per case, not per measure."""
    per_case = (
        select(
            PM.case_id.label("case_id"),
            _names(bind, PM.owner_name).label("owners"),
            *_figures(as_of),
            func.count(PM.unrelated_on).label("unrelated"),
        )
        .where(_not_released())
        .group_by(PM.case_id)
        .subquery()
    )
    g = per_case.c
    stmt = (
        select(
            type_coerce(g.case_id, String),
            Case.case_number,
            Case.handler,
            g.owners,
            g.n - g.lapsed,
            g.remaining,
            g.lapsed,
            g.live_use,
            g.unrelated,
            g.next_end,
        )
        .join(Case, Case.id == g.case_id)
        .where(Case.deleted_at.is_(None), *case_in_scope(scope))
        .order_by(g.remaining.desc(), Case.case_number)
    )
    return list(connection_of(bind).execute(stmt).all())


def seized_by_enterprise(bind: Bind, as_of: date, scope: CaseScope = EVERYTHING) -> list[Row]:
    """Enterprises owning property under measures not released, across their live cases (of
    ``scope``), most
    value held first: enterprise id, name, credit code (or None), cases, measures in force,
    value they hold, measures lapsed, in force 活封活扣, next last day of a term."""
    # per (case, owner) first, on the index of measures not released; then the live cases
    per_pair = (
        select(PM.case_id.label("case_id"), PM.owner_enterprise_id.label("owner"), *_figures(as_of))
        .where(_not_released())
        .group_by(PM.case_id, PM.owner_enterprise_id)
        .having(PM.owner_enterprise_id.is_not(None))  # after grouping: the index stays in use
        .subquery()
    )
    p = per_pair.c
    per_owner = (
        select(
            p.owner,
            func.count().label("cases"),
            func.sum(p.n - p.lapsed).label("measures"),
            func.sum(p.remaining).label("remaining"),
            func.sum(p.lapsed).label("lapsed"),
            func.sum(p.live_use).label("live_use"),
            func.min(p.next_end).label("next_end"),
        )
        .join(Case, Case.id == p.case_id)
        .where(Case.deleted_at.is_(None), *case_in_scope(scope))
        .group_by(p.owner)
        .subquery()
    )
    o = per_owner.c
    stmt = (
        select(
            type_coerce(o.owner, String),
            Enterprise.name,
            Enterprise.credit_code,
            o.cases,
            o.measures,
            o.remaining,
            o.lapsed,
            o.live_use,
            o.next_end,
        )
        .join(Enterprise, Enterprise.id == o.owner)
        .order_by(o.remaining.desc(), Enterprise.name)
    )
    return list(connection_of(bind).execute(stmt).all())


def overseized_candidates(
    bind: Bind, as_of: date, ratio: float, scope: CaseScope = EVERYTHING
) -> list[CaseSeizure]:
    """Live cases (of ``scope``) with a claim whose seized value in force is at least about
    (claim + costs) × ``ratio`` (compared in floating point with a little slack: the caller
    makes the exact check on these few rows), with their lapsed measures counted."""
    ran_out = _lapsed(as_of)
    per_case = (
        select(
            PM.case_id.label("case_id"),
            func.coalesce(
                func.sum(case((ran_out, 0), else_=PM.value_fen - PM.released_fen)), 0
            ).label("seized"),
            func.count(case((ran_out, 1))).label("lapsed"),
        )
        .where(_not_released())
        .group_by(PM.case_id)
        .subquery()
    )
    g = per_case.c
    base = Case.amount_fen + func.coalesce(Case.costs_fen, 0)
    stmt = (
        select(
            type_coerce(Case.id, String),
            Case.case_number,
            Case.amount_fen,
            Case.costs_fen,
            g.seized,
            g.lapsed,
        )
        .join(Case, Case.id == g.case_id)
        .where(
            g.seized > 0,
            Case.deleted_at.is_(None),
            *case_in_scope(scope),
            Case.amount_fen.is_not(None),
            cast(g.seized, Float) >= cast(base, Float) * (ratio * (1 - 1e-9)),
        )
    )
    return [CaseSeizure(*r) for r in connection_of(bind).execute(stmt).all()]


def case_seizure(bind: Bind, case_id: uuid.UUID, as_of: date) -> tuple[int, int]:
    """(value still seized by the case's measures in force, its measures lapsed unreleased)."""
    ran_out = _lapsed(as_of)
    stmt = select(
        func.coalesce(func.sum(case((ran_out, 0), else_=_remaining())), 0),
        func.count(case((ran_out, 1))),
    ).where(_not_released(), PM.case_id == case_id)
    seized, lapsed = connection_of(bind).execute(stmt).one()
    return int(seized), int(lapsed)
