"""Plain values the services hand to the UI and the command line (no ORM objects leak out)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, NamedTuple

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft


@dataclass(frozen=True)
class PartyView:
    id: str
    role: str
    kind: str  # "enterprise" or "person"
    subject_id: str
    name: str
    identifier: str  # credit code or ID number, "" when unknown


@dataclass(frozen=True)
class EventView:
    id: str
    occurred_on: date
    kind: str
    stage: str
    note: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class CaseDetail:
    id: str
    version: int
    case_number: str
    family: str
    procedure: str
    cause: str
    handler: str
    accepted_on: date
    closed_on: date | None
    stage: str
    amount_fen: int | None
    notes: str
    court_name: str
    type_name: str
    tags: tuple[str, ...] = ()
    parties: tuple[PartyView, ...] = ()
    events: tuple[EventView, ...] = ()
    deleted: bool = False
    costs_fen: int | None = None  # 诉讼费 / 执行费 (the 超标的 check adds them to the amount)
    #: The 庭/部门 the case belongs to (read-only: set at registration and by a change of
    #: handler; "" when it belongs to no unit yet).
    unit: str = ""
    #: What the signed-in user may not do on this case: action of the permission table →
    #: the table's reason in Chinese (naming who may). Empty for the system identity.
    refusals: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)

    def refusal(self, action: str) -> str:
        """Why the signed-in user may not do ``action`` on this case ("" when allowed)."""
        return self.refusals.get(action, "")

    def to_draft(self) -> CaseDraft:
        return CaseDraft(
            case_number=self.case_number,
            family=self.family,
            accepted_on=self.accepted_on,
            procedure=self.procedure,
            cause=self.cause,
            handler=self.handler,
            closed_on=self.closed_on,
            amount_fen=self.amount_fen,
            tags=self.tags,
            notes=self.notes,
            costs_fen=self.costs_fen,
        )


@dataclass(frozen=True)
class SubjectCase:
    """A case an enterprise or person takes part in."""

    case_id: str
    case_number: str
    role: str
    family: str
    cause: str
    stage: str
    accepted_on: date
    closed_on: date | None


@dataclass(frozen=True)
class EnterpriseDetail:
    id: str
    version: int
    draft: EnterpriseDraft
    cases: tuple[SubjectCase, ...] = ()


@dataclass(frozen=True)
class PersonDetail:
    id: str
    version: int
    draft: PersonDraft
    cases: tuple[SubjectCase, ...] = ()


@dataclass(frozen=True)
class SubjectMatch:
    """An enterprise or person found by name or identifier, for pickers."""

    id: str
    kind: str
    name: str
    identifier: str
    detail: str = ""


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    entity: str
    label: str
    changes: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # key, label, old, new


@dataclass(frozen=True)
class SaveResult:
    id: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeadlineView:
    """One deadline as the case page and the board show it."""

    id: str
    case_id: str
    rule_id: str
    name: str
    trigger: str  # Chinese name of the trigger event
    subject: str
    round: int
    start: str  # date, or date and time for hour periods
    due: str
    due_on: date
    status: str  # open / met / cancelled
    status_label: str
    band: str  # overdue / today / 3d / 7d / later ("" when not open)
    days_left: int
    custody: bool
    verified: bool
    steps: tuple[str, ...]
    warnings: tuple[str, ...]
    source: str
    confidence: str
    extensions_used: int
    next_extension: str  # "延长1个月（上一级人民检察院批准）" or ""
    suspended_days: int
    closed_on: date | None
    close_note: str
    #: The measure or review whose clock it is ("" for the case's own periods).
    property_measure_id: str = ""
    personal_measure_id: str = ""
    custody_review_id: str = ""
    period_spec: str = ""  # the term applied when not the rule's own period


class BoardItem(NamedTuple):
    """One open deadline on the board (a tuple: the board may hold tens of thousands)."""

    deadline_id: str
    case_id: str
    rule_id: str
    case_number: str
    name: str
    subject: str
    due: str
    due_on: date
    days_left: int
    band: str
    handler: str
    parties: str
    custody: bool
    verified: bool
    #: Whose clock this is: "property", "personal" (measure) or "custody_review", "" for the
    #: case's own deadlines; and that measure's or review's id.
    measure_kind: str = ""
    measure_id: str = ""


@dataclass(frozen=True)
class Board:
    as_of: date
    handler: str
    counts: dict[str, int]  # band → number of open deadlines
    items: tuple[BoardItem, ...]  # overdue and due within seven days, earliest first
