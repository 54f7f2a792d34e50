"""Parties of a case: an enterprise or person (existing, or registered on the spot) in a role."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casedesk.domain.drafts import EnterpriseDraft, PersonDraft, check_role
from casedesk.domain.errors import FieldErrors
from casedesk.services.base import Service, guarded, parse_id
from casedesk.services.case_summary import refresh_case_parties
from casedesk.services.cases import load_case
from casedesk.services.enterprises import insert_enterprise
from casedesk.services.errors import NotFound, ServiceError
from casedesk.services.persons import insert_person
from casedesk.store import audit
from casedesk.store.compliance_models import ComplianceCase
from casedesk.store.enforcement_models import DishonestListing, SpendingBan
from casedesk.store.models import (
    CaseParty,
    CustodyReview,
    Enterprise,
    Person,
    PersonalMeasure,
)
from casedesk.store.recycle_bin import discard


class PartyService(Service):
    @guarded("case.edit")
    def add(
        self,
        case_id: str,
        role: str,
        *,
        enterprise_id: str | None = None,
        person_id: str | None = None,
        new_enterprise: EnterpriseDraft | None = None,
        new_person: PersonDraft | None = None,
    ) -> str:
        """Add one party to the case; a new enterprise or person is registered in the same
        transaction. Returns the party id."""
        if sum(x is not None for x in (enterprise_id, person_id, new_enterprise, new_person)) != 1:
            raise FieldErrors({"subject": "请选择或新建一个当事人（企业或个人）"})
        with self._uow() as uow:
            s = uow.session
            case = load_case(s, case_id)
            role = check_role(role)
            if new_enterprise is not None:
                enterprise = insert_enterprise(uow, new_enterprise, case.id)
            elif enterprise_id is not None:
                enterprise = s.get(Enterprise, parse_id(enterprise_id, "企业"))
                if enterprise is None or enterprise.deleted_at is not None:
                    raise NotFound("找不到该企业")
            else:
                enterprise = None
            if new_person is not None:
                person = insert_person(uow, new_person, case.id)
            elif person_id is not None:
                person = s.get(Person, parse_id(person_id, "个人"))
                if person is None or person.deleted_at is not None:
                    raise NotFound("找不到该个人")
            else:
                person = None
            subject = enterprise or person
            assert subject is not None
            for p in case.parties:
                if p.role == role and (p.enterprise_id or p.person_id) == subject.id:
                    raise FieldErrors({"subject": f"“{subject.name}”已以“{role}”列入本案"})
            position = (
                s.scalar(select(func.max(CaseParty.position)).where(CaseParty.case_id == case.id))
                or 0
            )
            party = CaseParty(
                id=uuid.uuid4(),
                role=role,
                position=position + 1,
                enterprise=enterprise,
                person=person,
            )
            case.parties.append(party)
            s.flush()
            uow.audit(
                "create",
                "case_party",
                party.id,
                f"{role} {subject.name}",
                {"role": (None, role), "subject": (None, subject.name)},
                case.id,
            )
            refresh_case_parties(uow, case)
            uow.commit()
            return party.id.hex

    @guarded("party.remove", via=CaseParty)
    def remove(self, party_id: str) -> None:
        """Remove a party from its case into the recycle bin (the enterprise or person record
        stays; casedesk.services.recycle_bin restores the party)."""
        with self._uow() as uow:
            s = uow.session
            party = s.get(CaseParty, parse_id(party_id, "当事人"))
            if party is None:
                raise NotFound("找不到该当事人")
            case = party.case
            name = (party.enterprise or party.person).name  # type: ignore[union-attr]
            if held := _records_of(s, party):
                raise ServiceError(
                    f"{name}在本案有 {held} 项人身强制措施、羁押必要性审查、合规考察或失信、"
                    "限制消费记录，不能移除。这些记录须能找到其所针对的当事人；"
                    "如登记有误，请先在相应页面更正。"
                )
            uow.audit(
                "delete",
                "case_party",
                party.id,
                f"{party.role} {name}",
                {"role": (party.role, None), "subject": (name, None)},
                case.id,
            )
            case.parties.remove(party)
            discard(
                s,
                party,
                case_id=case.id,
                label=f"{party.role} {name}",
                actor=self.actor,
                at=audit.utcnow(),
            )
            s.flush()
            refresh_case_parties(uow, case)
            uow.commit()


def _records_of(s: Session, party: CaseParty) -> int:
    """Records of the party's case that concern its enterprise or person and cannot be kept
    without it — personal measures, custody reviews, compliance cases, credit listings and
    限制消费 orders (a property measure keeps its owner's name instead) — unless the same
    enterprise or person stays a party of the case in another role."""
    if party.enterprise_id is not None:
        subject, same = party.enterprise_id, CaseParty.enterprise_id
        columns = (
            (ComplianceCase, ComplianceCase.enterprise_id),
            (DishonestListing, DishonestListing.debtor_enterprise_id),
            (SpendingBan, SpendingBan.debtor_enterprise_id),
        )
    else:
        subject, same = party.person_id, CaseParty.person_id
        columns = (
            (PersonalMeasure, PersonalMeasure.person_id),
            (CustodyReview, CustodyReview.person_id),
            (DishonestListing, DishonestListing.debtor_person_id),
            (SpendingBan, SpendingBan.debtor_person_id),
        )
    others = select(func.count()).where(
        CaseParty.case_id == party.case_id, CaseParty.id != party.id, same == subject
    )
    if s.scalar(others):
        return 0
    return sum(
        s.scalar(select(func.count()).where(table.case_id == party.case_id, column == subject)) or 0
        for table, column in columns
    )
