"""Turning enforcement rows into the plain views the enforcement page shows (inside a read)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casedesk.domain.credit_list import (
    LISTING_GROUNDS,
)
from casedesk.domain.deadlines import OPEN
from casedesk.domain.enforcement import (
    APPLICANT_ROLE,
    DEBTOR_ROLE,
    FOLLOWUP_RULE,
    TERM_RULE,
    format_rate,
    recovery_rate,
    remaining_fen,
)
from casedesk.domain.periods import Period
from casedesk.services.deadline_sync import RuleContext
from casedesk.services.deadlines import deadline_view
from casedesk.services.enforcement_dto import (
    CLOSED,
    DELETED,
    IN_GRACE,
    LISTED,
    PENDING_DELETION,
    PERFORMED_UNLISTED,
    RUNNING,
    TERMINATED,
    WARNED,
    ActionView,
    DebtorView,
    EnforcementView,
    ListingView,
    PaymentView,
    SpendingBanView,
)
from casedesk.store.enforcement_models import DishonestListing, EnforcementRecord, SpendingBan
from casedesk.store.models import Case, Deadline


def record_state(
    terminated_on: date | None, resumed_on: date | None, closed_on: date | None
) -> str:
    if closed_on is not None:
        return CLOSED
    if terminated_on is not None and (resumed_on is None or resumed_on < terminated_on):
        return TERMINATED
    return RUNNING


def listing_state(row: DishonestListing, performed_on: date | None, as_of: date) -> str:
    if row.deleted_on is not None:
        return DELETED
    if row.listed_on is not None:
        return PENDING_DELETION if row.ground_arose_on is not None else LISTED
    if performed_on is not None:
        return PERFORMED_UNLISTED
    if row.grace_end is not None and as_of <= row.grace_end:
        return IN_GRACE
    return WARNED


def term_label(spec: str, listed: bool) -> str:
    if not listed:
        return ""
    return str(Period.parse(spec)) if spec else "不设期限（至履行完毕）"


def _hex(value: uuid.UUID | None) -> str:
    return value.hex if value else ""


def listing_view(
    row: DishonestListing,
    performed_on: date | None,
    clocks: dict[uuid.UUID, Deadline],
    ctx: RuleContext,
    as_of: date,
) -> ListingView:
    own = [
        clocks[i]
        for i in (row.grace_deadline_id, row.term_deadline_id, row.delete_deadline_id)
        if i in clocks
    ]
    delete = clocks.get(row.delete_deadline_id) if row.delete_deadline_id else None
    return ListingView(
        id=row.id.hex,
        version=row.version,
        case_id=row.case_id.hex,
        debtor_kind="enterprise" if row.debtor_enterprise_id else "person",
        debtor_id=_hex(row.debtor_enterprise_id or row.debtor_person_id),
        debtor_name=row.debtor_name,
        state=listing_state(row, performed_on, as_of),
        warned_on=row.warned_on,
        warning_document_no=row.warning_document_no,
        grace_from=row.grace_from,
        grace_months=row.grace_months,
        grace_end=row.grace_end,
        listed_on=row.listed_on,
        ground=row.ground,
        ground_label=f"第1条第{row.ground}项：{LISTING_GROUNDS[row.ground]}" if row.ground else "",
        document_no=row.document_no,
        term_spec=row.term_spec,
        term_label=term_label(row.term_spec, row.listed_on is not None),
        term_end=row.term_end,
        ground_arose_on=row.ground_arose_on,
        ground_reason=row.ground_reason,
        delete_due_on=delete.due_on if delete is not None and delete.status == OPEN else None,
        deleted_on=row.deleted_on,
        delete_reason=row.delete_reason,
        delete_document_no=row.delete_document_no,
        notes=row.notes,
        clocks=tuple(deadline_view(d, ctx, as_of) for d in own),
    )


def enforcement_view(
    s: Session, ctx: RuleContext, case: Case, rec: EnforcementRecord, as_of: date
) -> EnforcementView:
    deadlines = {d.id: d for d in s.scalars(select(Deadline).where(Deadline.case_id == case.id))}
    listings = s.scalars(
        select(DishonestListing)
        .where(DishonestListing.case_id == case.id)
        .order_by(DishonestListing.created_at)
    ).all()
    bans = s.scalars(
        select(SpendingBan).where(SpendingBan.case_id == case.id).order_by(SpendingBan.ordered_on)
    ).all()
    people = tuple(
        DebtorView(
            p.id.hex,
            p.role,
            "enterprise" if p.enterprise else "person",
            _hex(p.enterprise_id or p.person_id),
            (p.enterprise or p.person).name,  # type: ignore[union-attr]
        )
        for p in case.parties
        if p.role in (APPLICANT_ROLE, DEBTOR_ROLE)
    )
    rate = recovery_rate(rec.recovered_fen, rec.claimed_fen)
    own_clocks = [d for d in deadlines.values() if d.rule_id in (TERM_RULE, FOLLOWUP_RULE)]
    own_clocks.sort(key=lambda d: (d.status != OPEN, d.due_on))
    return EnforcementView(
        id=rec.id.hex,
        version=rec.version,
        case_id=case.id.hex,
        case_number=case.case_number,
        accepted_on=case.accepted_on,
        state=record_state(rec.terminated_on, rec.resumed_on, rec.closed_on),
        title_kind=rec.title_kind,
        title_document_no=rec.title_document_no,
        title_organ=rec.title_organ,
        title_effective_on=rec.title_effective_on,
        claimed_fen=rec.claimed_fen,
        recovered_fen=rec.recovered_fen,
        remaining_fen=remaining_fen(rec.recovered_fen, rec.claimed_fen),
        rate=rate,
        rate_text=format_rate(rate, rec.performed_on is not None or None),
        performed_on=rec.performed_on,
        terminated_on=rec.terminated_on,
        resumed_on=rec.resumed_on,
        closed_on=rec.closed_on,
        close_kind=rec.close_kind,
        close_document=rec.close_document,
        notes=rec.notes,
        applicants=tuple(p for p in people if p.role == APPLICANT_ROLE),
        debtors=tuple(p for p in people if p.role == DEBTOR_ROLE),
        payments=tuple(
            PaymentView(p.id.hex, p.paid_on, p.amount_fen, p.payer, p.way, p.note)
            for p in rec.payments
        ),
        actions=tuple(
            ActionView(a.id.hex, a.kind, a.taken_on, a.result, a.document_no) for a in rec.actions
        ),
        listings=tuple(
            listing_view(row, rec.performed_on, deadlines, ctx, as_of) for row in listings
        ),
        bans=tuple(
            SpendingBanView(
                b.id.hex,
                b.debtor_name,
                b.ordered_on,
                b.document_no,
                b.restricted_persons,
                b.lifted_on,
                b.lift_reason,
                rec.performed_on is not None and b.lifted_on is None,
            )
            for b in bans
        ),
        clocks=tuple(deadline_view(d, ctx, as_of) for d in own_clocks),
    )
