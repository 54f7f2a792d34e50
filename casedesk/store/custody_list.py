"""Read side of the list of persons in custody: active 拘留 / 逮捕 measures of live cases, when
custody began (the start of the 拘留 → 逮捕 chain), their last 羁押必要性审查 and their nearest
open clock (or, once the measure's own clocks are done, the period of the case's stage) — one
SQL statement, whatever the number of cases; of the cases the reader may see
(:mod:`casedesk.store.case_scope`)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, Date, String, func, select, type_coerce

from casedesk.domain.measures import CASE_CUSTODY_RULES, CUSTODY_KINDS
from casedesk.store.binds import Bind, connection_of
from casedesk.store.case_scope import EVERYTHING, CaseScope, case_in_scope
from casedesk.store.models import Case, CustodyReview, Deadline, PersonalMeasure


class CustodyListRow(NamedTuple):
    measure_id: str
    case_id: str
    case_number: str
    person_id: str
    person_name: str
    kind: str
    custody_from: date
    last_review_on: date | None
    clock_rule_id: str | None
    clock_due: date | None


def in_custody(bind: Bind, as_of: date, scope: CaseScope = EVERYTHING) -> list[CustodyListRow]:
    """Active 拘留 / 逮捕 measures of live cases (of ``scope``), in no particular order.
    ``custody_from`` follows the 变更 links back while the measure before was custody too; the
    last review is the latest one of that person in that case begun between then and
    ``as_of``."""
    m, c = PersonalMeasure.__table__, Case.__table__
    kinds = sorted(CUSTODY_KINDS)
    # the partial index ix_personal_measure_active (ended_on IS NULL) finds the active ones
    anchor = (
        select(m.c.id.label("measure_id"), m.c.id.label("link_id"), m.c.case_id.label("case_id"))
        .join(c, c.c.id == m.c.case_id)
        .where(
            m.c.ended_on.is_(None),
            m.c.kind.in_(kinds),
            c.c.deleted_at.is_(None),
            *case_in_scope(scope, c.c),
        )
    )
    chain = anchor.cte("custody_chain", recursive=True)
    before = m.alias("before")
    # Each step finds the custody measure changed into the link (NULL: the chain began there).
    # A scalar subquery rather than a join: SQLite would build a Bloom filter over the whole
    # table at every step of the recursion (~8× slower). UNION stops on a (corrupt) cycle.
    previous = (
        select(before.c.id)
        .where(
            before.c.case_id == chain.c.case_id,  # indexed; a chain never leaves its case
            before.c.changed_to_id == chain.c.link_id,
            before.c.kind.in_(kinds),
        )
        .limit(1)
        .scalar_subquery()
    )
    chain = chain.union(
        select(chain.c.measure_id, previous, chain.c.case_id).where(chain.c.link_id.is_not(None))
    )
    link = m.alias("link")
    origin = (
        select(
            chain.c.measure_id,
            func.min(func.coalesce(link.c.executed_on, link.c.decided_on)).label("custody_from"),
        )
        .join(link, link.c.id == chain.c.link_id)
        .group_by(chain.c.measure_id)
        .subquery("origin")
    )
    r, d = CustodyReview.__table__, Deadline.__table__
    last_review = (
        select(func.max(r.c.started_on))
        .where(
            r.c.case_id == m.c.case_id,
            r.c.person_id == m.c.person_id,
            r.c.started_on >= origin.c.custody_from,
            r.c.started_on <= as_of,
        )
        .scalar_subquery()
    )
    nearest = (
        select(d.c.rule_id, d.c.due_on)
        .where(d.c.personal_measure_id == m.c.id, d.c.status == "open")
        .order_by(d.c.due_on, d.c.due_at)
        .limit(1)
    )
    # none left (after the transfer for prosecution): the period of the stage the case is at
    stage = (
        select(d.c.rule_id, d.c.due_on)
        .where(
            d.c.case_id == m.c.case_id,
            d.c.status == "open",
            d.c.rule_id.in_(sorted(CASE_CUSTODY_RULES)),
        )
        .order_by(d.c.start_on.desc())
        .limit(1)
    )

    def clock(column: str) -> ColumnElement:
        return func.coalesce(
            nearest.with_only_columns(d.c[column]).scalar_subquery(),
            stage.with_only_columns(d.c[column]).scalar_subquery(),
        )

    stmt = select(
        type_coerce(m.c.id, String),
        type_coerce(m.c.case_id, String),
        c.c.case_number,
        type_coerce(m.c.person_id, String),
        m.c.person_name,
        m.c.kind,
        origin.c.custody_from,
        last_review,
        clock("rule_id"),
        type_coerce(clock("due_on"), Date),
    ).select_from(m.join(origin, origin.c.measure_id == m.c.id).join(c, c.c.id == m.c.case_id))
    return list(map(CustodyListRow._make, connection_of(bind).execute(stmt)))
