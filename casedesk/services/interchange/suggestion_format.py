"""The suggestion documents of a case line and the numbering settings of the header
(docs/interchange.md §3.10): the keys of a suggestion (建议书) with its body blocks and follow-up
entries, of the header's counters, number patterns and wording templates, in the order they are
written, and the records they become once checked.

A suggestion carries its ``id`` (a UUID) and names its reply clock (``suggestion.reply``) by its
position in the line's ``deadlines`` (``reply_deadline``), as a credit listing names its clocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from casedesk.services.interchange.measure_format import Row

if TYPE_CHECKING:
    from casedesk.services.interchange.format import DeadlineRecord

SUGGESTION_KEYS = (
    "id", "kind", "subtype", "state", "issuer", "subject", "recipient", "blocks", "attachments",
    "copy_to", "source_cases", "contact", "signed_on", "year", "seq", "number", "served_way",
    "served_on", "served_receiver", "reply_deadline", "replied_on", "reply_summary", "adoption",
    "measures", "entries", "created_by", "created_at",
)  # fmt: skip
BLOCK_KEYS = ("kind", "text")
SUGGESTION_ENTRY_KEYS = ("id", "kind", "occurred_on", "note", "created_by", "created_at")
#: The clock a suggestion names: file key → (column, the rule the deadline must be of).
SUGGESTION_CLOCKS = {"reply_deadline": ("reply_deadline_id", "suggestion.reply")}

#: The header's lists of numbering settings, with the keys of their entries in order.
COUNTER_KEYS = ("unit", "kind", "year", "last_seq")
PATTERN_KEYS = ("unit", "kind", "pattern", "updated_by", "updated_at")
TEMPLATE_KEYS = ("unit", "kind", "opening", "reply", "closing", "updated_by", "updated_at")
SETTINGS_LISTS = {
    "suggestion_counters": COUNTER_KEYS,
    "suggestion_patterns": PATTERN_KEYS,
    "suggestion_templates": TEMPLATE_KEYS,
}

#: Known keys per kind of object (merged into format.KNOWN_KEYS).
SUGGESTION_KNOWN_KEYS = {
    "suggestion": frozenset(SUGGESTION_KEYS),
    "suggestion_block": frozenset(BLOCK_KEYS),
    "suggestion_entry": frozenset(SUGGESTION_ENTRY_KEYS),
    "suggestion_counter": frozenset(COUNTER_KEYS),
    "suggestion_pattern": frozenset(PATTERN_KEYS),
    "suggestion_template": frozenset(TEMPLATE_KEYS),
}

#: Number of a finalised suggestion: (issuing unit, kind, year, 序号).
NumberKey = tuple[str, str, int, int]


@dataclass(slots=True)
class SuggestionRecord(Row):
    """A checked suggestion: its key path in the line (for the importer's messages), its
    follow-up entries and its reply clock (column → the line's deadline record, once
    resolved)."""

    path: str = ""
    entries: list[Row] = field(default_factory=list)
    clocks: dict[str, DeadlineRecord] = field(default_factory=dict)

    @property
    def number_key(self) -> NumberKey | None:
        """(unit, kind, year, seq) once numbered; None for a draft."""
        v = self.values
        if v["seq"] is None:
            return None
        return (v["issuer"], v["kind"], v["year"], v["seq"])

    def rows(self) -> list[tuple[str, Row]]:
        """The record and its entries with their table names."""
        return [("suggestion", self), *(("suggestion_entry", e) for e in self.entries)]


@dataclass(slots=True)
class SuggestionSettings:
    """The header's checked numbering settings: column values per row of ``suggestion_counter``,
    ``suggestion_pattern`` and ``suggestion_template``."""

    counters: list[dict[str, Any]] = field(default_factory=list)
    patterns: list[dict[str, Any]] = field(default_factory=list)
    templates: list[dict[str, Any]] = field(default_factory=list)
