"""Writing a checked case line's enforcement record (docs/interchange.md §6.8): rows for the
batch's executemany inserts — the record, its payments and actions, its listings with their
clocks and its 限制消费 orders — each with the audit record the enforcement service writes when a
user enters it (same entity, label and fields), plus its state when it went on."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from casedesk.services.interchange.enforcement_format import (
    LISTING_CLOCKS,
    DebtorRecord,
    EnforcementIn,
)
from casedesk.services.interchange.write_compliance import set_fields
from casedesk.store.enforcement_models import (
    DishonestListing,
    EnforcementAction,
    EnforcementPayment,
    EnforcementRecord,
    SpendingBan,
)

if TYPE_CHECKING:
    from casedesk.services.interchange.write import BatchWriter, Target

#: The enforcement tables in foreign-key order (after the deadlines).
ENFORCEMENT_TABLES = (
    EnforcementRecord, EnforcementPayment, EnforcementAction, DishonestListing, SpendingBan,
)  # fmt: skip
_RECORD_AUDITED = (
    "title_kind", "title_document_no", "title_organ", "title_effective_on", "claimed_fen",
    "notes", "recovered_fen", "performed_on", "terminated_on", "resumed_on", "closed_on",
    "close_kind", "close_document",
)  # fmt: skip
_LISTING_AUDITED = (
    "warned_on", "warning_document_no", "grace_from", "grace_months", "grace_end", "listed_on",
    "ground", "document_no", "term_spec", "term_end", "ground_arose_on", "ground_reason",
    "deleted_on", "delete_reason", "delete_document_no",
)  # fmt: skip
_BAN_AUDITED = ("ordered_on", "document_no", "restricted_persons", "lifted_on", "lift_reason")


class EnforcementWriter:
    """Adds the rows and audit records of a case's enforcement record to a :class:`BatchWriter`."""

    def __init__(self, writer: BatchWriter):
        self.w = writer
        self.count = 0

    def add(
        self,
        case_id: uuid.UUID,
        case_number: str,
        rec: EnforcementIn,
        parties: list[tuple[str, Target]],
    ) -> None:
        """``parties``: per party of the line, its kind and what it names."""
        w, stamps = self.w, {"updated_at": self.w.ctx.now, "version": 1}
        w.rows[EnforcementRecord].append(rec.values | {"id": rec.id, "case_id": case_id} | stamps)
        w.audit("create", "enforcement_record", rec.id, case_number,
                set_fields(rec.values, _RECORD_AUDITED), case_id)  # fmt: skip
        for p in rec.payments:
            w.rows[EnforcementPayment].append(p.values | {"id": p.id, "record_id": rec.id})
            w.audit("create", "enforcement_payment", p.id, f"{case_number} 执行到位",
                    {k: (None, p.values[k]) for k in ("paid_on", "amount_fen", "payer", "way")},
                    case_id)  # fmt: skip
        for a in rec.actions:
            w.rows[EnforcementAction].append(a.values | {"id": a.id, "record_id": rec.id})
            w.audit("create", "enforcement_action", a.id, f"{case_number} {a.values['kind']}",
                    {k: (None, a.values[k]) for k in ("kind", "taken_on", "result",
                                                      "document_no")},
                    case_id)  # fmt: skip
        for x in rec.listings:
            clocks = dict.fromkeys(column for column, _rule in LISTING_CLOCKS.values())
            clocks |= {column: d.id for column, d in x.clocks.items()}
            name = self._debtor(x, parties)
            w.rows[DishonestListing].append(x.values | clocks | {"case_id": case_id} | stamps)
            w.audit("create", "dishonest_listing", x.id, f"{name} 失信",
                    set_fields(x.values, _LISTING_AUDITED), case_id)  # fmt: skip
        for b in rec.bans:
            name = self._debtor(b, parties)
            w.rows[SpendingBan].append(b.values | {"case_id": case_id} | stamps)
            w.audit("create", "spending_ban", b.id, f"{name} 限制消费",
                    set_fields(b.values, _BAN_AUDITED), case_id)  # fmt: skip
        self.count += 1

    @staticmethod
    def _debtor(row: DebtorRecord, parties: list[tuple[str, Target]]) -> str:
        """Set the debtor's columns (and its name when the file gives none) on ``row``."""
        v = row.values
        enterprise = person = None
        if row.debtor is not None:
            kind, target = parties[row.debtor]
            enterprise, person = (target.id, None) if kind == "enterprise" else (None, target.id)
            v["debtor_name"] = v["debtor_name"] or target.name
        v |= {"id": row.id, "debtor_enterprise_id": enterprise, "debtor_person_id": person}
        return v["debtor_name"]
