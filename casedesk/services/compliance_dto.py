"""What the compliance service hands to the UI: plain frozen dataclasses, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from casedesk.services.dto import DeadlineView


@dataclass(frozen=True)
class MemberView:
    id: str
    name: str
    profession: str
    unit: str
    joined_on: date
    objection: str
    objected_on: date | None
    left_on: date | None  # replaced on
    replaced_by: str  # the new member's name, "" if not replaced

    @property
    def serving(self) -> bool:
        return self.left_on is None


@dataclass(frozen=True)
class EntryView:
    id: str
    kind: str  # 修改意见 / 定期报告 / 检查 / 延长考察期
    on: date
    due_on: date | None  # a report's last day
    late: bool  # a report received after its last day
    months: int | None  # an extension's length
    note: str


@dataclass(frozen=True)
class ComplianceView:
    id: str
    case_id: str
    case_number: str
    enterprise_id: str
    enterprise_name: str
    state: str
    steps: tuple[str, ...]  # steps allowed now (TRANSITIONS keys)
    start_kind: str
    applicant: str
    started_on: date
    conditions: tuple[str, ...]  # CONDITIONS keys found to hold
    applied_on: date | None
    apply_document: str
    org_name: str
    org_formed_on: date | None
    plan_submitted_on: date | None
    plan_committed_on: date | None
    plan_accepted_on: date | None
    exam_start: date | None
    exam_months: int | None
    exam_end: date | None
    report_interval: str
    evaluated_on: date | None
    result: str
    hearing_on: date | None
    hearing_participants: str
    decided_on: date | None
    decision: str
    decision_document: str
    opinion_authority: str
    opinion_served_on: date | None
    opinion_replied_on: date | None
    opinion_reply: str
    ended_on: date | None
    end_reason: str
    notes: str
    members: tuple[MemberView, ...]
    entries: tuple[EntryView, ...]
    clocks: tuple[DeadlineView, ...]  # the compliance case's own: 考察期, reports, 检察意见
    criminal_clocks: tuple[DeadlineView, ...]  # the case's open custody and prosecution clocks
    warnings: tuple[str, ...]  # where the 考察期 outlasts a criminal clock


class ComplianceRow(NamedTuple):
    """One compliance case in the list: its state and what is due next."""

    id: str
    case_id: str
    case_number: str
    enterprise_name: str
    state: str
    started_on: date
    exam_end: date | None
    next_step: str  # what is expected next, in words
    next_due: date | None  # the nearest open clock's last day
    handler: str
