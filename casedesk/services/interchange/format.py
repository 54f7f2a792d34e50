"""The ``casedesk-cases`` JSON Lines interchange format (docs/interchange.md): its constants,
the records a checked case line becomes, and writing a line."""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from casedesk import __version__
from casedesk.domain.code_tables import TypeCode
from casedesk.domain.deadline_rules import DeadlineRule
from casedesk.domain.deadlines import CANCELLED, MET, OPEN, DeadlineState
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.periods import Due
from casedesk.services.deadline_sync import RuleContext
from casedesk.services.interchange.compliance_format import (
    COMPLIANCE_KNOWN_KEYS,
    COMPLIANCE_LINK,
    ComplianceRecord,
)
from casedesk.services.interchange.enforcement_format import ENFORCEMENT_KNOWN_KEYS, EnforcementIn
from casedesk.services.interchange.measure_format import (
    DEADLINE_LINKS,
    MEASURE_KNOWN_KEYS,
    MEASURE_LISTS,
    MeasureRecords,
    Row,
)
from casedesk.services.interchange.suggestion_format import (
    SETTINGS_LISTS,
    SUGGESTION_KNOWN_KEYS,
    SuggestionRecord,
)

#: ``progress(phase, done, total)``, called after each batch of cases an export or import handles:
#: ``phase`` is a Chinese label (正在导出 / 正在导入), ``total`` the number of cases expected.
Progress = Callable[[str, int, int], None]

FORMAT = "casedesk-cases"
#: The major version this CaseDesk writes and the highest it reads.
VERSION = 1
GENERATOR = f"CaseDesk {__version__}"

ENTERPRISE_FIELDS = (
    "name", "credit_code", "ownership", "size", "industry", "legal_representative", "address",
    "contact",
)  # fmt: skip
PERSON_FIELDS = ("name", "id_number", "contact", "address")
CASE_TEXT_FIELDS = ("family", "procedure", "cause", "handler", "stage", "notes")
EVENT_KINDS = ("stage", "trigger")
DEADLINE_STATUSES = (OPEN, MET, CANCELLED)
#: The keys of a deadline object, in the order they are written.
DEADLINE_KEYS = (
    "rule_id", "trigger", "source_event", *DEADLINE_LINKS, COMPLIANCE_LINK, "subject", "round",
    "period_spec", "start_on", "start_at", "custody", "extensions_used", "extension_log",
    "suspensions", "restarts", "status", "closed_on", "close_note", "due_on", "due_at",
    "created_by", "created_at",
)  # fmt: skip
#: The keys of the entries of a deadline's lists, in the order the services write them.
ENTRY_KEYS = {
    "extension_log": ("approver", "approved_on", "document", "period"),
    "suspensions": ("days", "reason", "recorded_on"),
    "restarts": ("on", "reason"),
}

#: The keys version 1 knows in each kind of object; others are ignored (and reported).
KNOWN_KEYS = {
    "header": frozenset(
        {"format", "version", "exported_at", "generator", "cases", *SETTINGS_LISTS}
    ),
    "case": frozenset(
        {"type", "case_number", "accepted_on", "closed_on", "amount_fen", "tags", "parties"}
        | {"costs_fen", "events", "deadlines", *MEASURE_LISTS, *CASE_TEXT_FIELDS, "unit"}
        | {"compliance_cases", "enforcement", "suggestions"}
    ),
    "party": frozenset({"role", "enterprise", "person"}),
    "enterprise": frozenset({"id", *ENTERPRISE_FIELDS}),
    "person": frozenset({"id", *PERSON_FIELDS}),
    "event": frozenset(
        {"occurred_on", "kind", "stage", "trigger", "occurred_at", "note", "created_by"}
        | {"created_at"}
    ),
    "deadline": frozenset(DEADLINE_KEYS),
    **{name: frozenset(keys) for name, keys in ENTRY_KEYS.items()},
    **MEASURE_KNOWN_KEYS,
    **COMPLIANCE_KNOWN_KEYS,
    **ENFORCEMENT_KNOWN_KEYS,
    **SUGGESTION_KNOWN_KEYS,
}


@dataclass(frozen=True)
class ReadContext:
    """What a line is checked against: the database's code tables, today, the importing user."""

    type_codes: Mapping[str, TypeCode]
    court_codes: Collection[str]
    tags: Mapping[str, uuid.UUID]  # tag name → id
    today: date
    now: datetime
    actor: str
    #: The database's work calendar and deadline rules: due dates are computed with them.
    rule_context: RuleContext
    #: Enterprises and persons already checked in this file (most appear in many cases).
    checked_subjects: dict[tuple, Any] = field(default_factory=dict, compare=False)
    #: Last days already computed in this import (most periods start on shared days).
    dues: dict[DeadlineState, Due] = field(default_factory=dict, compare=False)
    #: The unit of each account by display name and by login: a case line without ``unit`` is
    #: imported into its handler's unit (docs/interchange.md §6.12).
    handler_units: Mapping[str, str] = field(default_factory=dict, compare=False)

    def unit_of(self, handler: str) -> str:
        """The unit of the account a handler's name names ("" when none)."""
        name = handler.strip()
        return self.handler_units.get(name) or self.handler_units.get(name.casefold(), "")


@dataclass(slots=True)
class SubjectRecord:
    """An enterprise or person named by a party: its file id, identifier and checked fields."""

    kind: str  # "enterprise" or "person"
    file_id: uuid.UUID | None
    key: str  # credit code or ID number, "" when none
    draft: EnterpriseDraft | PersonDraft


@dataclass(slots=True)
class EventRecord:
    occurred_on: date
    kind: str  # "stage" or "trigger"
    stage: str  # "" for a trigger
    note: str
    created_by: str
    created_at: datetime  # UTC
    trigger: str | None = None  # a key of TRIGGERS, for a trigger
    occurred_at: datetime | None = None  # local time, for a trigger recorded to the minute
    id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(slots=True)
class DeadlineRecord:
    """One checked deadline of a case line: its rule, the event that started it, and the
    ``deadline`` column values, with the last day computed by this database."""

    rule: DeadlineRule
    source: EventRecord | None
    values: dict[str, Any]
    #: The measure, review or compliance case whose clock it is: (deadline column — or
    #: ``compliance_case`` for a ``compliance_clock`` row —, its record).
    link: tuple[str, Row] | None = None
    #: The id it is written with (compliance cases, listings and suggestions refer to it).
    id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(slots=True)
class CaseRecord:
    """One checked case line: ``draft.stage`` is the stage of the latest stage event, and
    ``events`` are in timeline order (those registering adds when the line had none)."""

    draft: CaseDraft
    parts: dict
    parties: list[tuple[str, SubjectRecord]]
    events: list[EventRecord]
    warnings: list[str] = field(default_factory=list)
    unknown_keys: list[str] = field(default_factory=list)
    #: The file's deadlines; None when the line has none (older files, ledgers from elsewhere).
    deadlines: list[DeadlineRecord] | None = None
    #: The import adds the deadlines the case's data implies, or brings its acceptance periods
    #: in line with the case, as the services would (see importer).
    follow_up: bool = False
    #: The case's compulsory measures, reviews and supervision records.
    measures: MeasureRecords = field(default_factory=MeasureRecords)
    #: The case's compliance cases and its enforcement record (None: none).
    compliance: list[ComplianceRecord] = field(default_factory=list)
    enforcement: EnforcementIn | None = None
    #: The case's suggestion documents (建议书).
    suggestions: list[SuggestionRecord] = field(default_factory=list)
    #: The 庭/部门 the file gives (None: the line has no ``unit``; the handler's account decides).
    unit: str | None = None

    def record_rows(self) -> list[tuple[str, Row]]:
        """Every record that keeps the file's id, with its table name (for the importer's id
        checks)."""
        rows = self.measures.rows()
        for c in self.compliance:
            rows += c.rows()
        if self.enforcement is not None:
            rows += self.enforcement.rows()
        for s in self.suggestions:
            rows += s.rows()
        return rows


def header(count: int, exported_at: datetime) -> dict[str, Any]:
    """The first line of a file holding ``count`` cases."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at.astimezone(UTC).isoformat(timespec="seconds"),
        "generator": GENERATOR,
        "cases": count,
    }


def day_text(value: date | None) -> str | None:
    """A date as the file writes it (``YYYY-MM-DD``), None as null."""
    return value.isoformat() if value else None


def local_text(value: datetime | None) -> str | None:
    """A local clock time (trigger times, hour periods), to the minute, without offset."""
    if value is None:
        return None
    return value.isoformat(timespec="auto" if value.second or value.microsecond else "minutes")


def moment_text(value: datetime) -> str:
    """A stored time as ISO 8601 in UTC (SQLite keeps UTC times without their zone)."""
    if value.tzinfo is None:
        return value.isoformat() + "+00:00"
    return value.astimezone(UTC).isoformat()


def dumps(obj: dict[str, Any]) -> str:
    """One line of the file (UTF-8 text, Chinese kept readable, no spaces)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a bulk export or import.

    Those build and drop millions of small dicts; the collector would otherwise walk every live
    object again and again (about a quarter of the run time). Reference counting still frees
    them — no cycles are made — and the collector resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
