"""Read side of the deadline board: open deadlines by last day, with their case's list data —
of the cases the reader may see (:mod:`casedesk.store.case_scope`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import String, case, func, literal, select, type_coerce

from casedesk.store.binds import Bind, connection_of
from casedesk.store.case_scope import EVERYTHING, CaseScope, case_in_scope, within
from casedesk.store.models import Case, Deadline, case_is_live, deadline_is_open


class BoardRow(NamedTuple):
    """One open deadline with its case's list data (a tuple: the board may hold thousands)."""

    deadline_id: str
    case_id: str
    case_number: str
    rule_id: str
    subject: str
    due_on: date
    due_at: datetime | None
    handler: str
    parties: str
    custody: bool
    warnings: str
    measure_kind: str  # MEASURE_KINDS: whose clock the deadline is, "" for the case's own
    measure_id: str  # that measure's or review's id (hex), ""


#: The deadline's link (Deadline.property_measure_id …) → BoardRow.measure_kind.
MEASURE_KINDS = ("property", "personal", "custody_review")


def open_deadlines(
    bind: Bind,
    until: date | None = None,
    handler: str = "",
    rule_id: str = "",
    until_by_rule: dict[str, date] | None = None,
    scope: CaseScope = EVERYTHING,
) -> list[BoardRow]:
    """Open deadlines of the live cases of ``scope`` whose last day is on or before ``until``
    (all when None) — or, for the rules in ``until_by_rule``, on or before that rule's own day
    (reminders that start earlier) — earliest first. The days are compared on the index alone,
    before any case is looked up."""
    stmt = (
        select(
            type_coerce(Deadline.id, String).label("deadline_id"),
            type_coerce(Case.id, String).label("case_id"),
            Case.case_number,
            Deadline.rule_id,
            Deadline.subject,
            Deadline.due_on,
            Deadline.due_at,
            Case.handler,
            Case.parties_summary,
            Deadline.custody,
            Deadline.warnings,
            *_measure_columns(),
        )
        .join(Case, Case.id == Deadline.case_id)
        # the scope is checked on each deadline's case, looked up for the list anyway
        .where(deadline_is_open(), Case.deleted_at.is_(None), *case_in_scope(scope))
        .order_by(Deadline.due_on, Deadline.due_at, Case.case_number)
    )
    if until is not None:
        horizon = max([until, *(until_by_rule or {}).values()])
        stmt = stmt.where(Deadline.due_on <= horizon)
        if until_by_rule:
            limit = case(
                *((Deadline.rule_id == rid, day) for rid, day in until_by_rule.items()),
                else_=until,
            )
            stmt = stmt.where(Deadline.due_on <= limit)
    if handler:
        stmt = stmt.where(Case.handler == handler)
    if rule_id:
        stmt = stmt.where(Deadline.rule_id == rule_id)
    # Through the connection, not the session: plain rows, without the ORM's result handling.
    conn = connection_of(bind)
    return list(map(BoardRow._make, conn.execute(stmt)))


def _measure_columns() -> tuple:
    """measure_kind and measure_id from whichever link the deadline has (at most one)."""
    links = (Deadline.property_measure_id, Deadline.personal_measure_id, Deadline.custody_review_id)
    kind = case(
        *(
            (link.is_not(None), literal(name))
            for link, name in zip(links, MEASURE_KINDS, strict=True)
        ),
        else_=literal(""),
    )
    return kind, func.coalesce(type_coerce(func.coalesce(*links), String), literal(""))


def count_open_after(
    bind: Bind, after: date, handler: str = "", rule_id: str = "", scope: CaseScope = EVERYTHING
) -> int:
    """Open deadlines of the cases of ``scope`` whose last day is later than ``after``."""
    stmt = (
        select(func.count())
        .select_from(Deadline)
        .where(deadline_is_open(), Deadline.due_on > after)
    )
    if handler:  # the handler is on the case: look each one up
        stmt = stmt.join(Case, Case.id == Deadline.case_id).where(
            Case.deleted_at.is_(None), Case.handler == handler
        )
    elif scope.everything:  # answered from the board's index alone
        stmt = stmt.where(case_is_live(Deadline.case_id))
    # the scope's live cases as a set (read in order from their unit's index), each deadline
    # of the index probed in it: no case looked up
    stmt = stmt.where(*within(scope, Deadline.case_id))
    if rule_id:
        stmt = stmt.where(Deadline.rule_id == rule_id)
    return bind.scalar(stmt) or 0
