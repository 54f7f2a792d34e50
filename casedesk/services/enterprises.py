"""Enterprises as first-class records, reused across cases."""

from __future__ import annotations

import dataclasses
import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casedesk.domain.drafts import EnterpriseDraft, check_enterprise
from casedesk.domain.errors import FieldErrors
from casedesk.services.base import Service, apply, diff, guarded, parse_id
from casedesk.services.case_summary import refresh_subject_cases
from casedesk.services.dto import EnterpriseDetail, SaveResult, SubjectCase, SubjectMatch
from casedesk.services.errors import Conflict, NotFound
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.models import Case, CaseParty, Enterprise

FIELDS = tuple(f.name for f in dataclasses.fields(EnterpriseDraft))


def _column_values(d: EnterpriseDraft) -> dict:
    values = dataclasses.asdict(d)
    for key in ("credit_code", "ownership", "size"):
        values[key] = values[key] or None
    return values


def _ensure_unique_code(session: Session, code: str | None, own_id: uuid.UUID | None) -> None:
    if not code:
        return
    row = session.execute(
        select(Enterprise.id, Enterprise.name).where(Enterprise.credit_code == code)
    ).first()
    if row is not None and row.id != own_id:
        raise FieldErrors(
            {"credit_code": f"该统一社会信用代码已登记为“{row.name}”，请直接选用已有企业"}
        )


def insert_enterprise(
    uow: UnitOfWork, draft: EnterpriseDraft, case_id: uuid.UUID | None = None
) -> Enterprise:
    """Validate and add an enterprise inside an open unit of work (audited)."""
    d = check_enterprise(draft)
    values = _column_values(d)
    _ensure_unique_code(uow.session, values["credit_code"], None)
    now = audit.utcnow()
    enterprise = Enterprise(id=uuid.uuid4(), created_at=now, updated_at=now, **values)
    uow.session.add(enterprise)
    uow.session.flush()
    uow.audit(
        "create",
        "enterprise",
        enterprise.id,
        d.name,
        {k: (None, v) for k, v in values.items() if v},
        case_id,
    )
    return enterprise


def subject_cases(session: Session, condition) -> tuple[SubjectCase, ...]:  # type: ignore[no-untyped-def]
    rows = session.execute(
        select(
            Case.id, Case.case_number, CaseParty.role, Case.family, Case.cause, Case.stage,
            Case.accepted_on, Case.closed_on,
        )
        .join(CaseParty, CaseParty.case_id == Case.id)
        .where(condition, Case.deleted_at.is_(None))
        .order_by(Case.accepted_on.desc())
    )  # fmt: skip
    return tuple(SubjectCase(r[0].hex, *r[1:]) for r in rows)


class EnterpriseService(Service):
    @guarded("subject.edit", via=False)
    def create(self, draft: EnterpriseDraft) -> SaveResult:
        with self._uow() as uow:
            enterprise = insert_enterprise(uow, draft)
            uow.commit()
            return SaveResult(enterprise.id.hex)

    @guarded("subject.edit", via=False)
    def update(
        self, enterprise_id: str, draft: EnterpriseDraft, expected_version: int
    ) -> SaveResult:
        """Save an enterprise; the cases it takes part in are re-indexed for search."""
        with self._uow() as uow:
            s = uow.session
            enterprise = s.get(Enterprise, parse_id(enterprise_id, "企业"))
            if enterprise is None or enterprise.deleted_at is not None:
                raise NotFound("找不到该企业")
            if enterprise.version != expected_version:
                raise Conflict("该企业信息已被他人修改，请关闭后重新打开再编辑")
            d = check_enterprise(draft)
            values = _column_values(d)
            _ensure_unique_code(s, values["credit_code"], enterprise.id)
            changes = diff(enterprise, values)
            if changes:
                apply(enterprise, changes)
                enterprise.updated_at = audit.utcnow()
                s.flush()
                uow.audit("update", "enterprise", enterprise.id, d.name, changes)
                if changes.keys() & {"name", "credit_code"}:
                    refresh_subject_cases(uow, CaseParty.enterprise_id == enterprise.id)
                uow.commit()
            return SaveResult(enterprise.id.hex)

    @guarded("subject.read", via=False)
    def get(self, enterprise_id: str) -> EnterpriseDetail:
        with self._read() as s:
            e = s.get(Enterprise, parse_id(enterprise_id, "企业"))
            if e is None or e.deleted_at is not None:
                raise NotFound("找不到该企业")
            draft = EnterpriseDraft(
                **{k: getattr(e, k) or "" for k in FIELDS}  # type: ignore[arg-type]
            )
            return EnterpriseDetail(
                e.id.hex, e.version, draft, subject_cases(s, CaseParty.enterprise_id == e.id)
            )

    @guarded("subject.read", via=False)
    def find(self, text: str, limit: int = 20) -> list[SubjectMatch]:
        """Enterprises whose name contains ``text`` or whose credit code starts with it."""
        text = text.strip()
        if not text:
            return []
        with self._read() as s:
            rows = s.execute(
                select(
                    Enterprise.id,
                    Enterprise.name,
                    Enterprise.credit_code,
                    Enterprise.legal_representative,
                )
                .where(
                    Enterprise.deleted_at.is_(None),
                    or_(
                        Enterprise.name.contains(text, autoescape=True),
                        Enterprise.credit_code.startswith(text.upper(), autoescape=True),
                    ),
                )
                .order_by(Enterprise.name)
                .limit(limit)
            )
            return [
                SubjectMatch(
                    r[0].hex, "enterprise", r[1], r[2] or "", f"法定代表人：{r[3]}" if r[3] else ""
                )
                for r in rows
            ]
