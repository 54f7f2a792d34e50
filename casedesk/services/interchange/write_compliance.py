"""Writing a checked case line's compliance cases (docs/interchange.md §6.8): rows for the batch's
executemany inserts — the compliance case with its current clocks, its members and entries, a
``compliance_clock`` row per deadline that is its clock — and the audit record the compliance
service writes when a user starts one, with its state and the steps' fields when it went on."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, update

from casedesk.services.interchange.compliance_format import (
    COMPLIANCE_CLOCKS,
    COMPLIANCE_LINK,
    ComplianceRecord,
)
from casedesk.services.interchange.format import DeadlineRecord
from casedesk.store.compliance_models import (
    ComplianceCase,
    ComplianceClock,
    ComplianceEntry,
    ComplianceMember,
)

if TYPE_CHECKING:
    from casedesk.services.interchange.write import BatchWriter, Target

#: The compliance tables in foreign-key order (after the deadlines).
COMPLIANCE_TABLES = (ComplianceCase, ComplianceMember, ComplianceEntry, ComplianceClock)
_AUDITED = (
    "start_kind", "applicant", "started_on", "state", "applied_on", "apply_document",
    "org_name", "org_formed_on", "plan_submitted_on", "plan_committed_on", "plan_accepted_on",
    "exam_start", "exam_months", "report_interval", "evaluated_on", "result", "hearing_on",
    "hearing_participants", "decided_on", "decision", "decision_document", "opinion_authority",
    "opinion_served_on", "opinion_replied_on", "opinion_reply", "ended_on", "end_reason",
)  # fmt: skip


def set_fields(values: dict[str, Any], keys: tuple[str, ...]) -> dict[str, tuple[None, Any]]:
    """Create changes for the fields that are set (as the services audit a new record)."""
    return {k: (None, values[k]) for k in keys if values.get(k) not in (None, "")}


class ComplianceWriter:
    """Adds the rows and audit records of a case's compliance cases to a :class:`BatchWriter`."""

    def __init__(self, writer: BatchWriter):
        self.w = writer
        #: (member id, id of the member who replaced them): set once both rows exist.
        self.replaced: list[dict[str, uuid.UUID]] = []
        self.count = 0

    def add(
        self,
        case_id: uuid.UUID,
        records: list[ComplianceRecord],
        parties: list[tuple[str, Target]],
        deadlines: list[DeadlineRecord],
    ) -> None:
        """``parties``: per party of the line, its kind and what it names."""
        rows, now = self.w.rows, self.w.ctx.now
        for c in records:
            target = parties[c.enterprise][1]
            clocks = dict.fromkeys(column for column, _rule in COMPLIANCE_CLOCKS.values())
            clocks |= {column: d.id for column, d in c.clocks.items()}
            rows[ComplianceCase].append(
                c.values | clocks | {"id": c.id, "case_id": case_id, "enterprise_id": target.id,
                                     "updated_at": now, "version": 1}
            )  # fmt: skip
            for m in c.members:
                rows[ComplianceMember].append(
                    m.values | {"id": m.id, "compliance_id": c.id, "replaced_by_id": None}
                )
                if m.replaced_by is not None:
                    self.replaced.append({"b_id": m.id, "b_to": m.replaced_by.id})
            for e in c.entries:
                rows[ComplianceEntry].append(e.values | {"id": e.id, "compliance_id": c.id})
            changes = set_fields(c.values, _AUDITED)
            if c.members:
                names = "、".join(f"{m.values['name']}（{m.values['profession']}）"
                                 for m in c.members)  # fmt: skip
                changes["member_names"] = (None, names)
            self.w.audit("create", "compliance_case", c.id, f"启动合规考察 {target.name}",
                         changes, case_id)  # fmt: skip
        rows[ComplianceClock].extend(
            {"compliance_id": d.link[1].id, "deadline_id": d.id}
            for d in deadlines
            if d.link is not None and d.link[0] == COMPLIANCE_LINK
        )
        self.count += len(records)

    def flush(self, conn: Connection) -> None:
        """Link the members replaced to those who took their place (all rows inserted by now)."""
        if self.replaced:
            table = ComplianceMember.__table__
            conn.execute(
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values(replaced_by_id=bindparam("b_to")),
                self.replaced,
            )
        self.replaced = []
