"""The credit list of an enforcement case (失信被执行人, 限制消费): each action one unit of work
with its audit record; the rules in :mod:`casedesk.domain.enforcement`, the writing in
:mod:`casedesk.services.enforcement_credit`."""

from __future__ import annotations

from datetime import date

from casedesk.domain.credit_list import (
    DeletionDraft,
    ListingDraft,
    SpendingBanDraft,
    WarningDraft,
    check_ground_arising,
    check_lift,
    check_spending_ban,
)
from casedesk.services import enforcement_credit as credit
from casedesk.services import enforcement_steps as steps
from casedesk.services.base import Service, guarded, parse_id
from casedesk.services.cases import load_case
from casedesk.services.deadline_sync import load_context
from casedesk.services.errors import NotFound, ServiceError
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.enforcement_models import DishonestListing, EnforcementRecord, SpendingBan
from casedesk.store.models import Case


def load_record(uow: UnitOfWork, case_id: str) -> tuple[Case, EnforcementRecord]:
    """The live case and its enforcement record (refused when none was opened)."""
    case = load_case(uow.session, case_id)
    rec = steps.record_of(uow, case)
    if rec is None:
        raise ServiceError("本案尚未登记执行信息")
    return case, rec


class CreditListSteps(Service):
    # -- the credit list --------------------------------------------------------------------------
    @guarded("credit.list")
    def warn(self, case_id: str, draft: WarningDraft) -> str:
        """失信预警 of a debtor, with an optional grace period of one to three months (its clock
        on the board). Returns the listing record's id."""
        with self._uow() as uow:
            case, rec = load_record(uow, case_id)
            row = credit.warn(uow, load_context(uow), case, rec.performed_on, draft, date.today())
            uow.commit()
            return row.id.hex

    @guarded("credit.list")
    def list_debtor(self, case_id: str, draft: ListingDraft) -> str:
        """纳入失信名单: refused within the grace period, after performance, with a ground
        outside 第1条; the term's clock starts (none for ground (1)). Returns the listing id."""
        with self._uow() as uow:
            case, rec = load_record(uow, case_id)
            ctx = load_context(uow)
            row = credit.list_debtor(uow, ctx, case, rec.performed_on, draft, date.today())
            uow.commit()
            return row.id.hex

    @guarded("credit.delete", via=DishonestListing)
    def deletion_ground(self, listing_id: str, on: date | None, reason: str) -> str:
        """Another ground of deletion arose (终结执行, 不予执行 …, 失信规定 第10条): the
        3-working-day clock starts. Returns the deadline id."""
        with self._uow() as uow:
            row, case = self._listing(uow, listing_id)
            if row.listed_on is None:
                raise ServiceError("该被执行人尚未纳入失信名单")
            day = check_ground_arising(reason, on, row.listed_on, date.today())
            clock = credit.deletion_ground(uow, load_context(uow), case, row, day, reason)
            uow.commit()
            return clock.id.hex

    @guarded("credit.delete", via=DishonestListing)
    def delete_listing(self, listing_id: str, draft: DeletionDraft) -> None:
        """Record the deletion; its clock is met (and the term's)."""
        with self._uow() as uow:
            row, case = self._listing(uow, listing_id)
            rec = steps.record_of(uow, case)
            performed = rec.performed_on if rec is not None else None
            credit.delete(uow, case, row, performed, draft, date.today())
            uow.commit()

    @guarded("credit.list")
    def order_spending_ban(self, case_id: str, draft: SpendingBanDraft) -> str:
        """限制消费令 against a debtor of the case. Returns its id."""
        with self._uow() as uow:
            case, _rec = load_record(uow, case_id)
            check_spending_ban(draft, case.accepted_on, date.today())
            ban = credit.order_ban(uow, case, draft)
            uow.commit()
            return ban.id.hex

    @guarded("credit.delete", via=SpendingBan)
    def lift_spending_ban(self, ban_id: str, on: date | None, reason: str) -> None:
        with self._uow() as uow:
            ban = uow.session.get(SpendingBan, parse_id(ban_id, "限制消费令"))
            if ban is None:
                raise NotFound("找不到该限制消费令")
            case = load_case(uow.session, ban.case_id)
            if ban.lifted_on is not None:
                raise ServiceError(f"该限制消费令已于 {ban.lifted_on} 解除")
            day = check_lift(reason, on, ban.ordered_on, date.today())
            ban.lifted_on, ban.lift_reason, ban.updated_at = day, reason, audit.utcnow()
            uow.audit(
                "update",
                "spending_ban",
                ban.id,
                f"{ban.debtor_name} 限制消费",
                {"lifted_on": (None, day), "lift_reason": (None, reason)},
                case.id,
            )
            uow.commit()

    def _listing(self, uow: UnitOfWork, listing_id: str) -> tuple[DishonestListing, Case]:
        row = uow.session.get(DishonestListing, parse_id(listing_id, "失信记录"))
        if row is None:
            raise NotFound("找不到该失信记录")
        return row, load_case(uow.session, row.case_id)
