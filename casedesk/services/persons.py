"""Natural persons as first-class records, reused across cases."""

from __future__ import annotations

import dataclasses
import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casedesk.domain.drafts import PersonDraft, check_person
from casedesk.domain.errors import FieldErrors
from casedesk.services.base import Service, apply, diff, guarded, parse_id
from casedesk.services.case_summary import refresh_subject_cases
from casedesk.services.dto import PersonDetail, SaveResult, SubjectMatch
from casedesk.services.enterprises import subject_cases
from casedesk.services.errors import Conflict, NotFound
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.models import CaseParty, Person

FIELDS = tuple(f.name for f in dataclasses.fields(PersonDraft))


def _column_values(d: PersonDraft) -> dict:
    return dataclasses.asdict(d) | {"id_number": d.id_number or None}


def _ensure_unique_number(session: Session, number: str | None, own_id: uuid.UUID | None) -> None:
    if not number:
        return
    row = session.execute(select(Person.id, Person.name).where(Person.id_number == number)).first()
    if row is not None and row.id != own_id:
        raise FieldErrors({"id_number": f"该身份证号码已登记为“{row.name}”，请直接选用已有人员"})


def insert_person(uow: UnitOfWork, draft: PersonDraft, case_id: uuid.UUID | None = None) -> Person:
    """Validate and add a person inside an open unit of work (audited)."""
    d = check_person(draft)
    values = _column_values(d)
    _ensure_unique_number(uow.session, values["id_number"], None)
    now = audit.utcnow()
    person = Person(id=uuid.uuid4(), created_at=now, updated_at=now, **values)
    uow.session.add(person)
    uow.session.flush()
    uow.audit(
        "create",
        "person",
        person.id,
        d.name,
        {k: (None, v) for k, v in values.items() if v},
        case_id,
    )
    return person


class PersonService(Service):
    @guarded("subject.edit", via=False)
    def create(self, draft: PersonDraft) -> SaveResult:
        with self._uow() as uow:
            person = insert_person(uow, draft)
            uow.commit()
            return SaveResult(person.id.hex)

    @guarded("subject.edit", via=False)
    def update(self, person_id: str, draft: PersonDraft, expected_version: int) -> SaveResult:
        with self._uow() as uow:
            s = uow.session
            person = s.get(Person, parse_id(person_id, "个人"))
            if person is None or person.deleted_at is not None:
                raise NotFound("找不到该个人")
            if person.version != expected_version:
                raise Conflict("该人员信息已被他人修改，请关闭后重新打开再编辑")
            d = check_person(draft)
            values = _column_values(d)
            _ensure_unique_number(s, values["id_number"], person.id)
            changes = diff(person, values)
            if changes:
                apply(person, changes)
                person.updated_at = audit.utcnow()
                s.flush()
                uow.audit("update", "person", person.id, d.name, changes)
                if changes.keys() & {"name", "id_number"}:
                    refresh_subject_cases(uow, CaseParty.person_id == person.id)
                uow.commit()
            return SaveResult(person.id.hex)

    @guarded("subject.read", via=False)
    def get(self, person_id: str) -> PersonDetail:
        with self._read() as s:
            p = s.get(Person, parse_id(person_id, "个人"))
            if p is None or p.deleted_at is not None:
                raise NotFound("找不到该个人")
            draft = PersonDraft(**{k: getattr(p, k) or "" for k in FIELDS})
            return PersonDetail(
                p.id.hex, p.version, draft, subject_cases(s, CaseParty.person_id == p.id)
            )

    @guarded("subject.read", via=False)
    def find(self, text: str, limit: int = 20) -> list[SubjectMatch]:
        """Persons whose name contains ``text`` or whose ID number starts with it."""
        text = text.strip()
        if not text:
            return []
        with self._read() as s:
            rows = s.execute(
                select(Person.id, Person.name, Person.id_number)
                .where(
                    Person.deleted_at.is_(None),
                    or_(
                        Person.name.contains(text, autoescape=True),
                        Person.id_number.startswith(text.upper(), autoescape=True),
                    ),
                )
                .order_by(Person.name)
                .limit(limit)
            )
            return [SubjectMatch(r[0].hex, "person", r[1], r[2] or "") for r in rows]
