"""Property measures as the case page, the enterprise page and the lists show them: their status
(在控 / 部分解除 / 已解除 / 已失效), chains of renewals and releases, clocks, and the 超标的
figures with their sentence."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from casedesk.domain.amounts import format_amount
from casedesk.domain.measures import lapses
from casedesk.domain.periods import Period, PeriodError
from casedesk.services.calendar_source import calendar_from, rules_from
from casedesk.services.deadline_sync import RuleContext
from casedesk.services.deadlines import deadline_view
from casedesk.services.dto import DeadlineView
from casedesk.services.measure_dto import (
    ACTIVE,
    LAPSED,
    PARTLY_RELEASED,
    RELEASED,
    PropertyMeasureView,
    ReleaseView,
    RenewalView,
    SeizureCheck,
)
from casedesk.store.models import Case, Deadline, PropertyMeasure

_ORDER = {ACTIVE: 0, PARTLY_RELEASED: 0, LAPSED: 1, RELEASED: 2}


def status_of(m: PropertyMeasure, as_of: date) -> str:
    """已解除 when released in full; 已失效 when its term ran out without renewal (查扣冻规定
    第27条); 部分解除 when part of its value was released; else 在控."""
    if m.released_on is not None:
        return RELEASED
    if lapses(m.term_rule_id) and m.term_end is not None and m.term_end < as_of:
        return LAPSED
    if m.released_fen > 0:
        return PARTLY_RELEASED
    return ACTIVE


def measure_label(m: PropertyMeasure) -> str:
    """How the audit trail names a measure, e.g. 冻结存款 新疆天山建设有限公司."""
    return f"{m.kind}{m.object_kind} {m.owner_name}".strip()


def sort_key(v: PropertyMeasureView) -> tuple:
    """In force first, then lapsed, then released; each by start date."""
    return (_ORDER.get(v.status, 3), v.start_on, v.case_number, v.id)


def term_label(spec: str) -> str:
    try:
        return str(Period.parse(spec)) if spec else ""
    except PeriodError:
        return spec


def load_views(
    session: Session, as_of: date, where: ColumnElement[bool]
) -> list[PropertyMeasureView]:
    """The measures of live cases matching ``where``, with their chains and clocks."""
    rows = session.execute(
        select(PropertyMeasure, Case.case_number)
        .join(Case, Case.id == PropertyMeasure.case_id)
        .where(where, Case.deleted_at.is_(None))
        .options(selectinload(PropertyMeasure.renewals), selectinload(PropertyMeasure.releases))
    ).all()
    if not rows:
        return []
    ids = [m.id for m, _ in rows]
    clocks: dict[uuid.UUID, list[Deadline]] = {}
    for start in range(0, len(ids), 500):
        for d in session.scalars(
            select(Deadline)
            .where(Deadline.property_measure_id.in_(ids[start : start + 500]))
            .order_by(Deadline.start_on, Deadline.round, Deadline.created_at)
        ):
            clocks.setdefault(d.property_measure_id, []).append(d)  # type: ignore[arg-type]
    ctx = RuleContext(calendar_from(session), rules_from(session))
    return [
        _view(m, number, [deadline_view(d, ctx, as_of) for d in clocks.get(m.id, [])], ctx, as_of)
        for m, number in rows
    ]


def _view(
    m: PropertyMeasure,
    case_number: str,
    clocks: list[DeadlineView],
    ctx: RuleContext,
    as_of: date,
) -> PropertyMeasureView:
    rule = ctx.rules.get(m.term_rule_id or "")
    status = status_of(m, as_of)
    if m.value_fen is None:
        remaining = None
    else:
        remaining = 0 if m.released_on is not None else m.value_fen - m.released_fen
    owner_kind, owner_id = "", ""
    if m.owner_enterprise_id is not None:
        owner_kind, owner_id = "enterprise", m.owner_enterprise_id.hex
    elif m.owner_person_id is not None:
        owner_kind, owner_id = "person", m.owner_person_id.hex
    return PropertyMeasureView(
        id=m.id.hex,
        version=m.version,
        case_id=m.case_id.hex,
        case_number=case_number,
        kind=m.kind,
        object_kind=m.object_kind,
        description=m.description,
        owner_kind=owner_kind,
        owner_id=owner_id,
        owner_name=m.owner_name,
        value_fen=m.value_fen,
        released_fen=m.released_fen,
        remaining_fen=remaining,
        account_no=m.account_no,
        organ=m.organ,
        organ_kind=m.organ_kind,
        document_no=m.document_no,
        start_on=m.start_on,
        term_rule_id=m.term_rule_id or "",
        term_name=rule.name if rule else (m.term_rule_id or ""),
        term_spec=m.term_spec,
        term_end=m.term_end,
        lapses=lapses(m.term_rule_id),
        status=status,
        live_use=m.live_use,
        live_use_note=m.live_use_note,
        unrelated_on=m.unrelated_on,
        released_on=m.released_on,
        notes=m.notes,
        renewals=tuple(
            RenewalView(
                r.seq,
                r.decided_on,
                r.organ,
                r.document_no,
                r.term_spec,
                term_label(r.term_spec),
                r.start_on,
                r.term_end,
            )
            for r in m.renewals
        ),
        releases=tuple(
            ReleaseView(r.released_on, r.full, r.value_fen, r.reason, r.document_no)
            for r in m.releases
        ),
        clocks=tuple(clocks),
    )


def _yuan(fen: int) -> str:
    return f"{format_amount(fen)}元"


def seizure_figures(
    case_id: str,
    case_number: str,
    seized_fen: int,
    claim_fen: int | None,
    costs_fen: int | None,
    ratio: Decimal,
    lapsed: int,
) -> SeizureCheck:
    """超标的 (查扣冻规定 第19条): the value still seized is over when it is strictly greater than
    (claim + costs) × ratio, compared exactly (integers and Decimal, never floats). The excess
    is what exceeds the claim and costs themselves: what should be released."""
    costs = costs_fen or 0
    shown_ratio = format(ratio.normalize(), "f")
    if claim_fen is None:
        over, excess = False, 0
        message = f"在控财产价值 {_yuan(seized_fen)}；标的额未填写，无法判断是否超标的"
    else:
        base = claim_fen + costs
        over = Decimal(seized_fen) > Decimal(base) * ratio
        excess = seized_fen - base if over else 0
        if over:
            message = (
                f"在控财产价值 {_yuan(seized_fen)}，超过标的额及费用 {_yuan(base)}的"
                f"{shown_ratio}倍，超出 {_yuan(excess)}"
            )
        else:
            message = (
                f"在控财产价值 {_yuan(seized_fen)}，未超过标的额及费用 {_yuan(base)}的"
                f"{shown_ratio}倍"
            )
    if lapsed:
        message += f"；另有{lapsed}项措施期限届满未续行，已失效"
    return SeizureCheck(
        case_id=case_id,
        case_number=case_number,
        seized_fen=seized_fen,
        claim_fen=claim_fen,
        costs_fen=costs,
        ratio=ratio,
        over=over,
        excess_fen=excess,
        lapsed_count=lapsed,
        message=message,
    )
