"""Plain values about compulsory measures, reviews and 挂案 that the services hand out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from casedesk.services.dto import DeadlineView

#: Status words of a property measure (what the lists and the tab show).
ACTIVE, PARTLY_RELEASED, RELEASED, LAPSED = "在控", "部分解除", "已解除", "已失效"


@dataclass(frozen=True)
class RenewalView:
    seq: int
    decided_on: date
    organ: str
    document_no: str
    term_spec: str
    term_label: str  # e.g. "1年"
    start_on: date
    term_end: date


@dataclass(frozen=True)
class ReleaseView:
    released_on: date
    full: bool
    value_fen: int | None
    reason: str
    document_no: str


@dataclass(frozen=True)
class PropertyMeasureView:
    id: str
    version: int
    case_id: str
    case_number: str
    kind: str
    object_kind: str
    description: str
    owner_kind: str  # "enterprise" / "person" / ""
    owner_id: str
    owner_name: str
    value_fen: int | None
    released_fen: int
    remaining_fen: int | None  # value still held (None: value unknown)
    account_no: str
    organ: str
    organ_kind: str
    document_no: str
    start_on: date
    term_rule_id: str
    term_name: str  # the rule's name, e.g. 冻结银行存款期限（民事）
    term_spec: str
    term_end: date | None  # None: no statutory term (periodic review instead)
    lapses: bool  # loses effect by itself at term_end unless renewed
    status: str  # ACTIVE / PARTLY_RELEASED / RELEASED / LAPSED
    live_use: bool
    live_use_note: str
    unrelated_on: date | None
    released_on: date | None
    notes: str
    renewals: tuple[RenewalView, ...] = ()
    releases: tuple[ReleaseView, ...] = ()
    clocks: tuple[DeadlineView, ...] = ()  # its deadlines: term, review, 3-day release


@dataclass(frozen=True)
class SeizureCheck:
    """超标的 figures of one case: value still seized against the claim plus costs."""

    case_id: str
    case_number: str
    seized_fen: int
    claim_fen: int | None  # amount in dispute or in enforcement (None: not recorded)
    costs_fen: int
    ratio: Decimal  # the administrator's threshold
    over: bool
    excess_fen: int  # seized − (claim + costs) when over (what could be released), else 0
    lapsed_count: int  # measures whose term ran out without renewal (已失效)
    message: str  # one Chinese sentence with the figures


@dataclass(frozen=True)
class PersonalMeasureView:
    id: str
    version: int
    case_id: str
    case_number: str
    person_id: str
    person_name: str
    kind: str
    organ: str
    organ_kind: str
    document_no: str
    decided_on: date
    executed_at: datetime | None
    executed_on: date | None
    guarantor: str
    deposit_fen: int | None
    designated_residence: bool
    residence: str
    term_end: date | None  # legal maximum (取保候审 12 months, 监视居住 6 months)
    ended_on: date | None
    end_reason: str
    end_document: str
    changed_to_id: str
    changed_from_id: str
    active: bool
    in_custody: bool  # an active 拘留 or 逮捕
    notes: str
    clocks: tuple[DeadlineView, ...] = ()  # its deadlines, the custody chain in order


@dataclass(frozen=True)
class CustodyReviewView:
    id: str
    version: int
    case_id: str
    measure_id: str
    person_name: str
    trigger: str
    applicant: str
    started_on: date
    method: str
    concluded_on: date | None
    conclusion: str
    recipient: str
    document_no: str
    served_on: date | None
    replied_on: date | None
    reply: str
    reply_due: date | None  # last day of the 10-day reply (custody_review.reply)
    notes: str


@dataclass(frozen=True)
class MeasureSettings:
    """What an administrator sets for the measure lists."""

    overseizure_ratio: Decimal  # seized value above (claim + costs) × ratio is 超标的
    review_interval_days: int  # in custody with no 羁押必要性审查 for this many days: listed


# -- list rows ----------------------------------------------------------------------------------
# The two seized-property lists hold a row per case or enterprise with property under seizure
# (~15,000 on the reference dataset): tuples, as the board's rows, are made ~4× faster than
# frozen dataclasses.
class SeizedByCase(NamedTuple):
    """Property still under seizure in one case (measures in force, or lapsed and not released)."""

    case_id: str
    case_number: str
    handler: str
    owners: str  # owners' names, joined with "、"
    measures: int  # measures in force
    remaining_fen: int  # value still held by measures in force
    lapsed: int  # measures whose term ran out without renewal (已失效) and not yet released
    live_use: int  # of them 活封活扣
    unrelated_open: int  # found unrelated and not yet released
    next_term_end: date | None  # the earliest last day of a term among them


class SeizedByEnterprise(NamedTuple):
    enterprise_id: str
    name: str
    credit_code: str
    cases: int
    measures: int
    remaining_fen: int
    lapsed: int
    live_use: int
    next_term_end: date | None


@dataclass(frozen=True)
class CustodyRow:
    """A person in custody (an active 拘留 or 逮捕) and when custody was last reviewed."""

    measure_id: str
    case_id: str
    case_number: str
    person_id: str
    person_name: str
    kind: str
    custody_from: date  # executed (or decided) day of the first custody measure in the chain
    days_in_custody: int
    last_review_on: date | None
    days_since_review: int  # since the last review, or since custody began
    review_overdue: bool  # days_since_review > the administrator's interval
    clock_name: str  # the measure's open clock nearest its end ("" if none)
    clock_due: date | None
