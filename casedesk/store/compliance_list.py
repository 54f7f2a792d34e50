"""Read side of the 合规考察 list: each compliance case of a live case with its case, enterprise
and its current clocks' last days and states — one statement, plain tuples; of the cases the
reader may see (:mod:`casedesk.store.case_scope`)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import aliased

from casedesk.store.binds import Bind, connection_of
from casedesk.store.case_scope import EVERYTHING, CaseScope, case_in_scope
from casedesk.store.compliance_models import ComplianceCase
from casedesk.store.models import Case, Deadline, Enterprise, case_is_live

CC = ComplianceCase


class ComplianceListRow(NamedTuple):
    id: str
    case_id: str
    case_number: str
    handler: str
    enterprise_name: str
    state: str
    started_on: date
    exam_due: date | None
    exam_status: str | None
    report_due: date | None
    report_status: str | None
    opinion_due: date | None
    opinion_status: str | None


def compliance_list(
    bind: Bind, state: str = "", scope: CaseScope = EVERYTHING
) -> list[ComplianceListRow]:
    """Compliance cases of live cases (of ``scope``; of one ``state``, or all), in no particular
    order."""
    exam, report, opinion = aliased(Deadline), aliased(Deadline), aliased(Deadline)
    stmt = (
        select(
            type_coerce(CC.id, String),
            type_coerce(CC.case_id, String),
            Case.case_number,
            Case.handler,
            Enterprise.name,
            CC.state,
            CC.started_on,
            exam.due_on,
            exam.status,
            report.due_on,
            report.status,
            opinion.due_on,
            opinion.status,
        )
        .join(Case, Case.id == CC.case_id)
        .join(Enterprise, Enterprise.id == CC.enterprise_id)
        .outerjoin(exam, exam.id == CC.exam_deadline_id)
        .outerjoin(report, report.id == CC.report_deadline_id)
        .outerjoin(opinion, opinion.id == CC.opinion_deadline_id)
        .where(case_is_live(CC.case_id))  # the compliance cases drive the query
        .where(*case_in_scope(scope))  # checked on each one's case, already looked up
    )
    if state:
        stmt = stmt.where(CC.state == state)
    return list(map(ComplianceListRow._make, connection_of(bind).execute(stmt)))
