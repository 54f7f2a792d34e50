"""The enforcement record of a case line (docs/interchange.md §3.9): the keys of the record of a
执行 case, its payments, actions, credit listings (失信) and 限制消费 orders, in the order they
are written, and the records a checked line's enforcement becomes.

A listing names its clocks (grace period, term, deletion) by their position in the line's
``deadlines`` (``grace_deadline``, ``term_deadline``, ``delete_deadline``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from casedesk.domain.enforcement import DELETE_RULE, GRACE_RULE, LISTING_TERM_RULE
from casedesk.services.interchange.measure_format import Row

if TYPE_CHECKING:
    from casedesk.services.interchange.format import DeadlineRecord

ENFORCEMENT_KEYS = (
    "id", "state", "title_kind", "title_document_no", "title_organ", "title_effective_on",
    "claimed_fen", "recovered_fen", "performed_on", "terminated_on", "resumed_on", "closed_on",
    "close_kind", "close_document", "notes", "payments", "actions", "listings", "spending_bans",
    "created_by", "created_at",
)  # fmt: skip
PAYMENT_KEYS = ("id", "paid_on", "amount_fen", "payer", "way", "note", "created_by", "created_at")
ACTION_KEYS = ("id", "kind", "taken_on", "result", "document_no", "created_by", "created_at")
LISTING_KEYS = (
    "id", "debtor_party", "debtor_name", "warned_on", "warning_document_no", "grace_from",
    "grace_months", "grace_end", "grace_deadline", "listed_on", "ground", "document_no",
    "term_spec", "term_end", "term_deadline", "ground_arose_on", "ground_reason",
    "delete_deadline", "deleted_on", "delete_reason", "delete_document_no", "notes",
    "created_by", "created_at",
)  # fmt: skip
BAN_KEYS = (
    "id", "debtor_party", "debtor_name", "ordered_on", "document_no", "restricted_persons",
    "lifted_on", "lift_reason", "notes", "created_by", "created_at",
)  # fmt: skip
#: The clocks a listing names: file key → (column, the rule the deadline must be of).
LISTING_CLOCKS = {
    "grace_deadline": ("grace_deadline_id", GRACE_RULE),
    "term_deadline": ("term_deadline_id", LISTING_TERM_RULE),
    "delete_deadline": ("delete_deadline_id", DELETE_RULE),
}

#: Known keys per kind of object (merged into format.KNOWN_KEYS).
ENFORCEMENT_KNOWN_KEYS = {
    "enforcement": frozenset(ENFORCEMENT_KEYS),
    "payment": frozenset(PAYMENT_KEYS),
    "action": frozenset(ACTION_KEYS),
    "listing": frozenset(LISTING_KEYS),
    "spending_ban": frozenset(BAN_KEYS),
}


@dataclass(slots=True)
class DebtorRecord(Row):
    """A listing or 限制消费 order: its debtor (a position in the line's ``parties``; None: no
    longer a party, only ``debtor_name`` kept) and, for a listing, its clocks once resolved."""

    debtor: int | None = None
    clocks: dict[str, DeadlineRecord] = field(default_factory=dict)


@dataclass(slots=True)
class EnforcementIn(Row):
    """The checked enforcement record of a case line."""

    payments: list[Row] = field(default_factory=list)
    actions: list[Row] = field(default_factory=list)
    listings: list[DebtorRecord] = field(default_factory=list)
    bans: list[DebtorRecord] = field(default_factory=list)

    def rows(self) -> list[tuple[str, Row]]:
        """The record and its parts with their table names."""
        return [
            ("enforcement_record", self),
            *(("enforcement_payment", p) for p in self.payments),
            *(("enforcement_action", a) for a in self.actions),
            *(("dishonest_listing", x) for x in self.listings),
            *(("spending_ban", b) for b in self.bans),
        ]
