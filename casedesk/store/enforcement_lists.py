"""Read side of the enforcement lists: enforcement cases by 到位率 and age, debtors on the credit
list, deletions pending and overdue. Sorted and filtered in SQL; rows are plain tuples. Each
keeps the cases the reader may see (``scope``: :mod:`casedesk.store.case_scope`), checked on
the case row each record is joined to."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import Float, String, cast, func, literal_column, select, type_coerce

from casedesk.store.binds import Bind, connection_of
from casedesk.store.case_scope import EVERYTHING, CaseScope, case_in_scope
from casedesk.store.enforcement_models import DishonestListing, EnforcementRecord
from casedesk.store.models import Case, Deadline, case_is_live

ER, DL = EnforcementRecord, DishonestListing


class RecoveryRow(NamedTuple):
    case_id: str
    case_number: str
    handler: str
    parties: str
    accepted_on: date
    claimed_fen: int | None
    recovered_fen: int
    performed_on: date | None
    terminated_on: date | None
    resumed_on: date | None
    closed_on: date | None


class ListedRow(NamedTuple):
    listing_id: str
    case_id: str
    case_number: str
    handler: str
    debtor_name: str
    ground: int
    listed_on: date
    document_no: str
    term_end: date | None
    ground_arose_on: date | None


class PendingRow(NamedTuple):
    listing_id: str
    case_id: str
    case_number: str
    handler: str
    debtor_name: str
    ground_arose_on: date
    ground_reason: str
    deadline_id: str
    due_on: date


def _hex(column):  # type: ignore[no-untyped-def]
    return type_coerce(column, String)


def by_recovery(
    bind: Bind, include_closed: bool = False, scope: CaseScope = EVERYTHING
) -> list[RecoveryRow]:
    """Enforcement records of live cases (of ``scope``), lowest 到位率 first (those without a
    claim last), then the oldest first."""
    rate = cast(ER.recovered_fen, Float) / func.nullif(ER.claimed_fen, 0)
    stmt = (
        select(
            _hex(Case.id),
            Case.case_number,
            Case.handler,
            Case.parties_summary,
            Case.accepted_on,
            ER.claimed_fen,
            ER.recovered_fen,
            ER.performed_on,
            ER.terminated_on,
            ER.resumed_on,
            ER.closed_on,
        )
        .join(Case, Case.id == ER.case_id)
        # the records drive the query (a condition on the case would make SQLite walk all cases)
        .where(case_is_live(ER.case_id), *case_in_scope(scope))
        .order_by(rate.is_(None), rate, Case.accepted_on, Case.case_number)
    )
    if not include_closed:
        stmt = stmt.where(ER.closed_on.is_(None))
    return list(map(RecoveryRow._make, connection_of(bind).execute(stmt)))


def _active() -> object:
    """``deleted_on IS NULL`` written out: SQLite uses the partial index only then."""
    return literal_column("dishonest_listing.deleted_on IS NULL")


def listed_debtors(bind: Bind, scope: CaseScope = EVERYTHING) -> list[ListedRow]:
    """Debtors listed and not deleted (in cases of ``scope``), the latest listing first."""
    stmt = (
        select(
            _hex(DL.id),
            _hex(Case.id),
            Case.case_number,
            Case.handler,
            DL.debtor_name,
            DL.ground,
            DL.listed_on,
            DL.document_no,
            DL.term_end,
            DL.ground_arose_on,
        )
        .join(Case, Case.id == DL.case_id)
        .where(
            _active(), DL.listed_on.is_not(None), Case.deleted_at.is_(None), *case_in_scope(scope)
        )
        .order_by(DL.listed_on.desc(), Case.case_number, DL.debtor_name)
    )
    return list(map(ListedRow._make, connection_of(bind).execute(stmt)))


def pending_deletions(
    bind: Bind, overdue_on: date | None = None, scope: CaseScope = EVERYTHING
) -> list[PendingRow]:
    """Listings (in cases of ``scope``) whose 3-working-day deletion clock is open (performed or
    another ground arose, deletion not recorded), the earliest last day first; with
    ``overdue_on``, only those whose last day is before it."""
    stmt = (
        select(
            _hex(DL.id),
            _hex(Case.id),
            Case.case_number,
            Case.handler,
            DL.debtor_name,
            DL.ground_arose_on,
            DL.ground_reason,
            _hex(Deadline.id),
            Deadline.due_on,
        )
        .join(Deadline, Deadline.id == DL.delete_deadline_id)
        .join(Case, Case.id == DL.case_id)
        .where(
            _active(),
            Deadline.status == literal_column("'open'"),
            Case.deleted_at.is_(None),
            *case_in_scope(scope),
        )
        .order_by(Deadline.due_on, Case.case_number, DL.debtor_name)
    )
    if overdue_on is not None:
        stmt = stmt.where(Deadline.due_on < overdue_on)
    return list(map(PendingRow._make, connection_of(bind).execute(stmt)))
