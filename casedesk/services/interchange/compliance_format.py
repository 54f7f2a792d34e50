"""The compliance cases of a case line (docs/interchange.md §3.8): the keys of a compliance case
(合规考察), its members and entries, in the order they are written, and the records a checked
line's compliance cases become.

A compliance case carries its ``id`` (a UUID): the deadlines that are its clocks name it
(``compliance_case`` in a deadline), and it names its current clocks by their position in the
line's ``deadlines`` (``exam_deadline``, ``report_deadline``, ``opinion_deadline``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from casedesk.services.interchange.measure_format import Row

if TYPE_CHECKING:
    from casedesk.services.interchange.format import DeadlineRecord

COMPLIANCE_KEYS = (
    "id", "enterprise_party", "state", "start_kind", "applicant", "started_on", "conditions",
    "applied_on", "apply_document", "org_name", "org_formed_on", "plan_submitted_on",
    "plan_committed_on", "plan_accepted_on", "exam_start", "exam_months", "report_interval",
    "exam_deadline", "report_deadline", "evaluated_on", "result", "hearing_on",
    "hearing_participants", "decided_on", "decision", "decision_document", "opinion_authority",
    "opinion_served_on", "opinion_deadline", "opinion_replied_on", "opinion_reply", "ended_on",
    "end_reason", "notes", "members", "entries", "created_by", "created_at",
)  # fmt: skip
MEMBER_KEYS = (
    "id", "position", "name", "profession", "unit", "joined_on", "objection", "objected_on",
    "left_on", "replaced_by",
)  # fmt: skip
COMPLIANCE_ENTRY_KEYS = (
    "id", "kind", "position", "occurred_on", "due_on", "months", "note", "created_by",
)  # fmt: skip
#: The clocks a compliance case names: file key → (column, the rule the deadline must be of).
COMPLIANCE_CLOCKS = {
    "exam_deadline": ("exam_deadline_id", "compliance.exam"),
    "report_deadline": ("report_deadline_id", "compliance.report"),
    "opinion_deadline": ("opinion_deadline_id", "procuratorial_opinion.reply"),
}
#: A deadline's link to the compliance case whose clock it is (a ``compliance_clock`` row).
COMPLIANCE_LINK = "compliance_case"

#: Known keys per kind of object (merged into format.KNOWN_KEYS).
COMPLIANCE_KNOWN_KEYS = {
    "compliance_case": frozenset(COMPLIANCE_KEYS),
    "compliance_member": frozenset(MEMBER_KEYS),
    "compliance_entry": frozenset(COMPLIANCE_ENTRY_KEYS),
}


@dataclass(slots=True)
class MemberRecord(Row):
    replaced_by: MemberRecord | None = None


@dataclass(slots=True)
class ComplianceRecord(Row):
    """A checked compliance case: its enterprise (a position in the line's ``parties``), members,
    entries, and its current clocks (column → the line's deadline record, once resolved)."""

    enterprise: int = 0
    members: list[MemberRecord] = field(default_factory=list)
    entries: list[Row] = field(default_factory=list)
    clocks: dict[str, DeadlineRecord] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, Row]]:
        """The record, its members and entries with their table names."""
        return [
            ("compliance_case", self),
            *(("compliance_member", m) for m in self.members),
            *(("compliance_entry", e) for e in self.entries),
        ]
