"""Inside a unit of work on an enforcement case: the debtor's place on the credit list (预警 and
宽限期, listing, the deletion clock and the deletion), 限制消费 orders, and what the debtor's
performance does to them. Called by :class:`casedesk.services.enforcement.EnforcementService`."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from casedesk.domain.credit_list import (
    ADULT_AGE,
    DELETE_REASONS,
    DeletionDraft,
    ListingDraft,
    SpendingBanDraft,
    WarningDraft,
    check_deletion,
    check_listing,
    check_warning,
    is_minor,
)
from casedesk.domain.deadlines import CANCELLED, MET, OPEN
from casedesk.domain.drafts import clean_text
from casedesk.domain.enforcement import (
    DEBTOR_ROLE,
    DELETE_RULE,
    DELETION_GROUND,
    GRACE_GRANTED,
    GRACE_RULE,
    LISTED,
    LISTING_TERM_RULE,
)
from casedesk.domain.errors import FieldErrors
from casedesk.services.deadline_sync import RuleContext, close_deadline, create_deadline
from casedesk.services.errors import ServiceError
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.enforcement_models import DishonestListing, SpendingBan
from casedesk.store.models import Case, CaseParty, Deadline, Person


def debtor_of(
    uow: UnitOfWork, case: Case, party_id: str
) -> tuple[uuid.UUID | None, uuid.UUID | None, str]:
    """(enterprise id, person id, name) of a 被执行人 of ``case``."""
    try:
        party = uow.session.get(CaseParty, uuid.UUID(clean_text(party_id)))
    except ValueError:
        party = None
    if party is None or party.case_id != case.id or party.role != DEBTOR_ROLE:
        raise FieldErrors({"debtor_party_id": "请选择本案的被执行人（企业或个人）"})
    if party.enterprise is not None:
        return party.enterprise.id, None, party.enterprise.name
    assert party.person is not None
    return None, party.person.id, party.person.name


def subject(name: str) -> str:
    return f"{name}（失信被执行人）"


def _same_debtor(row: DishonestListing | SpendingBan, debtor: tuple) -> bool:
    return (row.debtor_enterprise_id, row.debtor_person_id) == debtor[:2]


def open_listing(uow: UnitOfWork, case: Case, debtor: tuple) -> DishonestListing | None:
    """The debtor's listing record in this case not yet deleted (warned, listed or pending)."""
    rows = uow.session.scalars(
        select(DishonestListing).where(
            DishonestListing.case_id == case.id, DishonestListing.deleted_on.is_(None)
        )
    )
    return next((r for r in rows if _same_debtor(r, debtor)), None)


def _clock(uow: UnitOfWork, deadline_id: uuid.UUID | None) -> Deadline | None:
    row = uow.session.get(Deadline, deadline_id) if deadline_id else None
    return row if row is not None and row.status == OPEN else None


def _linked_clock(uow: UnitOfWork, *args: object, **kw: object) -> Deadline:
    """A new deadline, written before a listing links to it (the link is a plain foreign key the
    session does not order by)."""
    clock = create_deadline(uow, *args, **kw)  # type: ignore[arg-type]
    uow.session.flush()
    return clock


def _label(row: DishonestListing) -> str:
    return f"{row.debtor_name} 失信"


def warn(
    uow: UnitOfWork,
    ctx: RuleContext,
    case: Case,
    performed_on: date | None,
    draft: WarningDraft,
    today: date,
) -> DishonestListing:
    """失信预警, with a grace period (宽限期) whose clock goes on the board."""
    end = check_warning(draft, case.accepted_on, today)
    debtor = debtor_of(uow, case, draft.debtor_party_id)
    if performed_on is not None:
        raise ServiceError(f"被执行人已于 {performed_on} 履行完毕，无需失信预警")
    if open_listing(uow, case, debtor) is not None:
        raise FieldErrors({"debtor_party_id": f"“{debtor[2]}”在本案已有失信预警或失信记录"})
    assert draft.warned_on is not None
    now = audit.utcnow()
    row = DishonestListing(
        id=uuid.uuid4(),
        case_id=case.id,
        debtor_enterprise_id=debtor[0],
        debtor_person_id=debtor[1],
        debtor_name=debtor[2],
        warned_on=draft.warned_on,
        warning_document_no=clean_text(draft.document_no),
        document_no="",
        term_spec="",
        ground_reason="",
        delete_reason="",
        delete_document_no="",
        notes="",
        created_at=now,
        updated_at=now,
        created_by=uow.actor,
    )
    uow.session.add(row)
    changes = {"warned_on": (None, row.warned_on), "document_no": (None, row.warning_document_no)}
    if draft.grace_months is not None and end is not None:
        start = draft.grace_from or draft.warned_on
        clock = _linked_clock(
            uow,
            ctx,
            case,
            ctx.rules[GRACE_RULE],
            GRACE_GRANTED,
            start,
            period_spec=f"{draft.grace_months}m",
            subject=subject(debtor[2]),
        )
        row.grace_from, row.grace_months = start, draft.grace_months
        row.grace_end, row.grace_deadline_id = clock.due_on, clock.id
        changes |= {
            "grace_from": (None, start),
            "grace_months": (None, draft.grace_months),
            "grace_end": (None, clock.due_on),
        }
    uow.session.flush()
    uow.audit("create", "dishonest_listing", row.id, _label(row), changes, case.id)
    return row


def list_debtor(
    uow: UnitOfWork,
    ctx: RuleContext,
    case: Case,
    performed_on: date | None,
    draft: ListingDraft,
    today: date,
) -> DishonestListing:
    """The listing decision: ground, date, term clock (none for ground (1))."""
    debtor = (
        debtor_of(uow, case, draft.debtor_party_id) if clean_text(draft.debtor_party_id) else None
    )
    row = open_listing(uow, case, debtor) if debtor else None
    if row is not None and row.listed_on is not None:
        raise FieldErrors(
            {"debtor_party_id": f"“{row.debtor_name}”已于 {row.listed_on} 纳入失信名单"}
        )
    spec = check_listing(
        draft,
        case.accepted_on,
        today,
        grace_until=row.grace_end if row else None,
        warned_on=row.warned_on if row else None,
        performed_on=performed_on,
    )
    assert debtor is not None and draft.listed_on is not None and draft.ground is not None
    person = uow.session.get(Person, debtor[1]) if debtor[1] is not None else None
    if person is not None and is_minor(person.id_number, draft.listed_on):
        raise FieldErrors({"debtor_party_id": f"“{person.name}”在纳入决定之日未满{ADULT_AGE}周岁，"
                                              "不得纳入失信名单（失信规定第4条）"})  # fmt: skip
    now = audit.utcnow()
    action = "update"
    if row is None:
        action = "create"
        row = DishonestListing(
            id=uuid.uuid4(),
            case_id=case.id,
            debtor_enterprise_id=debtor[0],
            debtor_person_id=debtor[1],
            debtor_name=debtor[2],
            warning_document_no="",
            ground_reason="",
            delete_reason="",
            delete_document_no="",
            created_at=now,
            created_by=uow.actor,
        )
        uow.session.add(row)
    row.listed_on, row.ground = draft.listed_on, draft.ground
    row.document_no, row.notes = clean_text(draft.document_no), clean_text(draft.notes)
    row.term_spec, row.updated_at = spec or "", now
    grace = _clock(uow, row.grace_deadline_id)
    if grace is not None:
        close_deadline(uow, grace, MET, draft.listed_on, "宽限期满仍未履行，已纳入失信名单")
    if spec is not None:
        clock = _linked_clock(
            uow,
            ctx,
            case,
            ctx.rules[LISTING_TERM_RULE],
            LISTED,
            draft.listed_on,
            period_spec=spec,
            subject=subject(row.debtor_name),
        )
        row.term_end, row.term_deadline_id = clock.due_on, clock.id
    uow.session.flush()
    uow.audit(
        action,
        "dishonest_listing",
        row.id,
        _label(row),
        {
            "listed_on": (None, row.listed_on),
            "ground": (None, row.ground),
            "document_no": (None, row.document_no),
            "term_spec": (None, spec or "不设期限"),
            "term_end": (None, row.term_end),
        },
        case.id,
    )
    return row


def start_deletion(
    uow: UnitOfWork,
    ctx: RuleContext,
    case: Case,
    row: DishonestListing,
    on: date,
    reason: str,
    trigger: str,
    event_id: uuid.UUID | None,
) -> Deadline | None:
    """A deletion ground arose for a listed debtor: the 3-working-day clock starts (失信规定
    第10条). None when the listing is not (or no longer) on the list, or its clock runs."""
    if row.listed_on is None or row.deleted_on is not None or _clock(uow, row.delete_deadline_id):
        return None
    clock = _linked_clock(
        uow,
        ctx,
        case,
        ctx.rules[DELETE_RULE],
        trigger,
        on,
        event_id=event_id,
        subject=subject(row.debtor_name),
    )
    old = (row.ground_arose_on, row.ground_reason)
    row.ground_arose_on, row.ground_reason = on, reason
    row.delete_deadline_id, row.updated_at = clock.id, audit.utcnow()
    uow.audit(
        "update",
        "dishonest_listing",
        row.id,
        _label(row),
        {
            "ground_arose_on": (old[0], on),
            "ground_reason": (old[1], reason),
            "delete_due_on": (None, clock.due_on),
        },
        case.id,
    )
    return clock


def deletion_ground(
    uow: UnitOfWork, ctx: RuleContext, case: Case, row: DishonestListing, on: date, reason: str
) -> Deadline:
    if row.listed_on is None:
        raise ServiceError("该被执行人尚未纳入失信名单")
    if row.deleted_on is not None:
        raise ServiceError(f"该失信信息已于 {row.deleted_on} 删除")
    if _clock(uow, row.delete_deadline_id) is not None:
        raise ServiceError(
            f"已于 {row.ground_arose_on} 出现删除情形（{row.ground_reason}），删除期限正在计算"
        )
    clock = start_deletion(uow, ctx, case, row, on, reason, DELETION_GROUND, None)
    assert clock is not None
    return clock


def delete(
    uow: UnitOfWork,
    case: Case,
    row: DishonestListing,
    performed_on: date | None,
    draft: DeletionDraft,
    today: date,
) -> None:
    """Record the deletion: its clock is met, the term and grace clocks end."""
    if row.listed_on is None:
        raise ServiceError("该被执行人尚未纳入失信名单，无需删除")
    if row.deleted_on is not None:
        raise ServiceError(f"该失信信息已于 {row.deleted_on} 删除")
    check_deletion(draft, row.listed_on, today, performed_on=performed_on, term_end=row.term_end)
    assert draft.deleted_on is not None
    why = f"已删除失信信息（{draft.reason}）"
    for deadline_id, status in (
        (row.delete_deadline_id, MET),
        (row.term_deadline_id, MET),
        (row.grace_deadline_id, CANCELLED),
    ):
        clock = _clock(uow, deadline_id)
        if clock is not None:
            close_deadline(uow, clock, status, draft.deleted_on, why)
    row.deleted_on, row.delete_reason = draft.deleted_on, draft.reason
    row.delete_document_no, row.updated_at = clean_text(draft.document_no), audit.utcnow()
    if clean_text(draft.note):
        row.notes = "\n".join(x for x in (row.notes, clean_text(draft.note)) if x)
    uow.audit(
        "update",
        "dishonest_listing",
        row.id,
        _label(row),
        {
            "deleted_on": (None, row.deleted_on),
            "delete_reason": (None, DELETE_REASONS[draft.reason]),
            "delete_document_no": (None, row.delete_document_no),
        },
        case.id,
    )


def order_ban(uow: UnitOfWork, case: Case, draft: SpendingBanDraft) -> SpendingBan:
    debtor = debtor_of(uow, case, draft.debtor_party_id)
    bans = uow.session.scalars(select(SpendingBan).where(SpendingBan.case_id == case.id))
    if any(_same_debtor(b, debtor) and b.lifted_on is None for b in bans):
        raise FieldErrors({"debtor_party_id": f"对“{debtor[2]}”的限制消费令尚未解除"})
    assert draft.ordered_on is not None
    now = audit.utcnow()
    ban = SpendingBan(
        id=uuid.uuid4(),
        case_id=case.id,
        debtor_enterprise_id=debtor[0],
        debtor_person_id=debtor[1],
        debtor_name=debtor[2],
        ordered_on=draft.ordered_on,
        document_no=clean_text(draft.document_no),
        restricted_persons=clean_text(draft.restricted_persons),
        lift_reason="",
        notes=clean_text(draft.notes),
        created_at=now,
        updated_at=now,
        created_by=uow.actor,
    )
    uow.session.add(ban)
    uow.session.flush()
    uow.audit(
        "create",
        "spending_ban",
        ban.id,
        f"{ban.debtor_name} 限制消费",
        {
            "ordered_on": (None, ban.ordered_on),
            "document_no": (None, ban.document_no),
            "restricted_persons": (None, ban.restricted_persons),
        },
        case.id,
    )
    return ban
