"""Derived case data kept by the services: the list's party summary and the search text."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm.attributes import set_committed_value

from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.models import Case, CaseParty
from casedesk.store.search import reindex_cases

SUMMARY_LIMIT = 400


def party_summary(names: list[str]) -> str:
    """Party names in order, each once, joined by 、 and cut to fit the list column."""
    summary = "、".join(dict.fromkeys(names))
    if len(summary) > SUMMARY_LIMIT:
        summary = summary[: SUMMARY_LIMIT - 1] + "…"
    return summary


def refresh_case_parties(uow: UnitOfWork, case: Case) -> None:
    """Recompute the list summary and search text after the parties changed.

    Derived data is written without bumping the case's edit version: someone editing the case's
    basic information meanwhile (or a renamed enterprise elsewhere) is not a conflict.
    """
    names = [(p.enterprise or p.person).name for p in case.parties]  # type: ignore[union-attr]
    summary, now = party_summary(names), audit.utcnow()
    uow.session.flush()
    uow.session.execute(
        update(Case.__table__)
        .where(Case.__table__.c.id == case.id)
        .values(parties_summary=summary, updated_at=now)
    )
    set_committed_value(case, "parties_summary", summary)
    set_committed_value(case, "updated_at", now)
    reindex_cases(uow.session, [case.id])


def refresh_subject_cases(uow: UnitOfWork, condition: ColumnElement[bool]) -> None:
    """After an enterprise or person changed its name or identifier: refresh its cases."""
    cases = uow.session.scalars(
        select(Case).join(CaseParty, CaseParty.case_id == Case.id).where(condition).distinct()
    ).all()
    for case in cases:
        refresh_case_parties(uow, case)
