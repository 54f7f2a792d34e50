"""Plain values about enforcement (执行) and the credit list (失信被执行人) that the services hand
out; list rows are tuples (a list may hold thousands)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from casedesk.services.dto import DeadlineView

#: Where an enforcement record stands.
RUNNING, TERMINATED, CLOSED = "执行中", "终结本次执行", "已结案"
#: Where a debtor stands on the way to, on and off the credit list.
WARNED, IN_GRACE, LISTED, PENDING_DELETION, DELETED, PERFORMED_UNLISTED = (
    "已预警", "宽限期内", "已纳入", "待删除", "已删除", "已履行，未纳入",
)  # fmt: skip


@dataclass(frozen=True)
class DebtorView:
    party_id: str
    role: str  # 申请执行人 / 被执行人
    kind: str  # "enterprise" / "person"
    subject_id: str
    name: str


@dataclass(frozen=True)
class PaymentView:
    id: str
    paid_on: date
    amount_fen: int
    payer: str
    way: str
    note: str


@dataclass(frozen=True)
class ActionView:
    id: str
    kind: str
    taken_on: date
    result: str
    document_no: str


@dataclass(frozen=True)
class ListingView:
    id: str
    version: int
    case_id: str
    debtor_kind: str  # "enterprise" / "person"
    debtor_id: str
    debtor_name: str
    state: str  # WARNED / IN_GRACE / LISTED / PENDING_DELETION / DELETED / PERFORMED_UNLISTED
    warned_on: date | None
    warning_document_no: str
    grace_from: date | None
    grace_months: int | None
    grace_end: date | None
    listed_on: date | None
    ground: int | None
    ground_label: str  # 失信规定 第1条 (n) …
    document_no: str
    term_spec: str  # "" = no term
    term_label: str  # "2年", "不设期限（至履行完毕）"
    term_end: date | None
    ground_arose_on: date | None  # a deletion ground (performance …) arose
    ground_reason: str
    delete_due_on: date | None  # the 3-working-day clock's last day, while open
    deleted_on: date | None
    delete_reason: str
    delete_document_no: str
    notes: str
    clocks: tuple[DeadlineView, ...] = ()


@dataclass(frozen=True)
class SpendingBanView:
    id: str
    debtor_name: str
    ordered_on: date
    document_no: str
    restricted_persons: str
    lifted_on: date | None
    lift_reason: str
    #: The debtor performed and the order still stands: it must be lifted (限制消费规定 第9条).
    to_lift: bool


@dataclass(frozen=True)
class EnforcementView:
    id: str
    version: int
    case_id: str
    case_number: str
    accepted_on: date
    state: str  # RUNNING / TERMINATED / CLOSED
    title_kind: str
    title_document_no: str
    title_organ: str
    title_effective_on: date | None
    claimed_fen: int | None
    recovered_fen: int
    remaining_fen: int | None
    rate: Decimal | None  # 到位率 as a fraction (None: no claim)
    rate_text: str  # "66.7%"
    performed_on: date | None
    terminated_on: date | None
    resumed_on: date | None
    closed_on: date | None
    close_kind: str
    close_document: str
    notes: str
    applicants: tuple[DebtorView, ...] = ()
    debtors: tuple[DebtorView, ...] = ()
    payments: tuple[PaymentView, ...] = ()
    actions: tuple[ActionView, ...] = ()
    listings: tuple[ListingView, ...] = ()
    bans: tuple[SpendingBanView, ...] = ()
    clocks: tuple[DeadlineView, ...] = ()  # enforcement.term, the 终本 follow-up searches


class EnforcementRow(NamedTuple):
    """One enforcement case in the list by 到位率 and age."""

    case_id: str
    case_number: str
    handler: str
    parties: str
    accepted_on: date
    age_days: int  # days since acceptance
    claimed_fen: int | None
    recovered_fen: int
    rate: Decimal | None
    rate_text: str
    state: str


class ListedDebtor(NamedTuple):
    """A debtor on the credit list (listed, not deleted)."""

    listing_id: str
    case_id: str
    case_number: str
    handler: str
    debtor_name: str
    ground: int
    listed_on: date
    document_no: str
    term_end: date | None  # None: no term (ground 1)
    ground_arose_on: date | None  # a deletion ground arose: deletion pending


class PendingDeletion(NamedTuple):
    """A listing whose deletion is due (performed or another ground) and not yet recorded."""

    listing_id: str
    case_id: str
    case_number: str
    handler: str
    debtor_name: str
    ground_arose_on: date
    ground_reason: str
    deadline_id: str
    due_on: date
    days_left: int  # negative: overdue
