"""The compulsory measures of a case line (docs/interchange.md §3.4–3.7): the keys of each kind
of record, in the order they are written, and the records a checked line's measures become.

Measures, renewals, releases, reviews and supervision records carry their ``id`` (a UUID) so
that references within a line (a 变更 to another measure, a review of a measure, a deadline that
is a measure's clock) and later imports keep naming the same record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

#: The case line's keys for its measures, in the order they are written (before ``deadlines``).
MEASURE_LISTS = ("property_measures", "personal_measures", "custody_reviews", "supervisions")

PROPERTY_KEYS = (
    "id", "kind", "object_kind", "description", "owner_party", "owner_name", "value_fen",
    "account_no", "organ", "organ_kind", "document_no", "start_on", "term_rule_id", "term_spec",
    "term_end", "live_use", "live_use_note", "unrelated_on", "released_fen", "released_on",
    "notes", "renewals", "releases", "created_by", "created_at",
)  # fmt: skip
RENEWAL_KEYS = (
    "id", "seq", "decided_on", "organ", "document_no", "term_spec", "start_on", "term_end",
    "created_by", "created_at",
)  # fmt: skip
RELEASE_KEYS = (
    "id", "released_on", "full", "value_fen", "reason", "document_no", "created_by",
    "created_at",
)  # fmt: skip
PERSONAL_KEYS = (
    "id", "person_party", "person_name", "kind", "organ", "organ_kind", "document_no",
    "decided_on", "executed_on", "executed_at", "guarantor", "deposit_fen",
    "designated_residence", "residence", "term_end", "ended_on", "end_reason", "end_document",
    "changed_to", "notes", "created_by", "created_at",
)  # fmt: skip
REVIEW_KEYS = (
    "id", "measure", "trigger", "applicant", "started_on", "method", "concluded_on",
    "conclusion", "recipient", "document_no", "served_on", "replied_on", "reply", "notes",
    "created_by", "created_at",
)  # fmt: skip
SUPERVISION_KEYS = (
    "id", "threshold", "supervising_unit", "responsible_unit", "started_on", "due_on",
    "instructions", "closed_on", "outcome", "close_document", "close_note", "created_by",
    "created_at",
)  # fmt: skip
#: A deadline's link to the measure or review whose clock it is: file key → deadline column.
DEADLINE_LINKS = {
    "property_measure": "property_measure_id",
    "personal_measure": "personal_measure_id",
    "custody_review": "custody_review_id",
}

#: Known keys per kind of object (merged into format.KNOWN_KEYS).
MEASURE_KNOWN_KEYS = {
    "property_measure": frozenset(PROPERTY_KEYS),
    "renewal": frozenset(RENEWAL_KEYS),
    "release": frozenset(RELEASE_KEYS),
    "personal_measure": frozenset(PERSONAL_KEYS),
    "custody_review": frozenset(REVIEW_KEYS),
    "supervision": frozenset(SUPERVISION_KEYS),
}


@dataclass(slots=True)
class Row:
    """One checked record: its id (the file's, or a new one) and its column values.

    ``id`` may be replaced by the importer when the receiving database already holds a record
    with the file's id; references go through the record objects, so they follow.
    """

    id: uuid.UUID
    values: dict[str, Any]


@dataclass(slots=True)
class PropertyRecord(Row):
    #: The position in the line's ``parties`` of the owner (None: not a party of the case).
    owner: int | None = None
    renewals: list[Row] = field(default_factory=list)
    releases: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class PersonalRecord(Row):
    person: int = 0  # position in the line's ``parties`` (a person)
    changed_to: PersonalRecord | None = None


@dataclass(slots=True)
class ReviewRecord(Row):
    measure: PersonalRecord | None = None


@dataclass(slots=True)
class MeasureRecords:
    """The checked measures of one case line."""

    property: list[PropertyRecord] = field(default_factory=list)
    personal: list[PersonalRecord] = field(default_factory=list)
    reviews: list[ReviewRecord] = field(default_factory=list)
    supervisions: list[Row] = field(default_factory=list)
    #: file id → record, per kind a deadline can be the clock of (None: it has problems).
    index: dict[str, dict[uuid.UUID, Row | None]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.property or self.personal or self.reviews or self.supervisions)

    def rows(self) -> list[tuple[str, Row]]:
        """Every record with its kind (for the importer's id checks)."""
        out: list[tuple[str, Row]] = []
        for m in self.property:
            out.append(("property_measure", m))
            out.extend(("property_renewal", r) for r in m.renewals)
            out.extend(("property_release", r) for r in m.releases)
        out.extend(("personal_measure", m) for m in self.personal)
        out.extend(("custody_review", r) for r in self.reviews)
        out.extend(("stalled_supervision", r) for r in self.supervisions)
        return out
