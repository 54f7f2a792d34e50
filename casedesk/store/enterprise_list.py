"""Read side of the enterprise list: ordered ids from one query, rows fetched by id."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, func, or_, select, type_coerce

from casedesk.store.binds import Bind
from casedesk.store.models import Case, CaseParty, Enterprise


@dataclass(frozen=True)
class EnterpriseRow:
    id: str
    name: str
    credit_code: str
    ownership: str
    size: str
    industry: str
    legal_representative: str
    case_count: int


SORT_COLUMNS = {
    "name": Enterprise.name,
    "credit_code": Enterprise.credit_code,
    "ownership": Enterprise.ownership,
    "size": Enterprise.size,
    "industry": Enterprise.industry,
    "legal_representative": Enterprise.legal_representative,
}
_ID = type_coerce(Enterprise.id, String)


def enterprise_ids(
    bind: Bind, search: str = "", sort: str = "name", descending: bool = False
) -> list[str]:
    """Ids of live enterprises whose name contains ``search`` or whose code starts with it."""
    column = SORT_COLUMNS.get(sort, Enterprise.name)
    stmt = select(_ID).where(Enterprise.deleted_at.is_(None))
    text = search.strip()
    if text:
        stmt = stmt.where(
            or_(
                Enterprise.name.contains(text, autoescape=True),
                Enterprise.credit_code.startswith(text.upper(), autoescape=True),
            )
        )
    order = [column.desc(), Enterprise.id.desc()] if descending else [column, Enterprise.id]
    return list(bind.execute(stmt.order_by(*order)).scalars())


def enterprise_rows(bind: Bind, ids: list[str]) -> dict[str, EnterpriseRow]:
    if not ids:
        return {}
    counts = dict(
        bind.execute(
            select(
                type_coerce(CaseParty.enterprise_id, String),
                func.count(CaseParty.case_id.distinct()),
            )
            .join(Case, Case.id == CaseParty.case_id)
            .where(type_coerce(CaseParty.enterprise_id, String).in_(ids))
            .where(Case.deleted_at.is_(None))  # as on the enterprise page: live cases only
            .group_by(CaseParty.enterprise_id)
        ).all()
    )
    rows = bind.execute(
        select(
            _ID,
            Enterprise.name,
            Enterprise.credit_code,
            Enterprise.ownership,
            Enterprise.size,
            Enterprise.industry,
            Enterprise.legal_representative,
        ).where(_ID.in_(ids))
    )
    return {
        r[0]: EnterpriseRow(
            r[0], r[1], r[2] or "", r[3] or "", r[4] or "", r[5], r[6], counts.get(r[0], 0)
        )
        for r in rows
    }
