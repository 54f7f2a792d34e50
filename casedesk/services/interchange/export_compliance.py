"""Exporting the compliance cases (合规考察) of a batch of cases (docs/interchange.md §3.8): Core
queries per batch of case ids, like the measures, each record an object with the keys of
:mod:`~casedesk.services.interchange.compliance_format` in their order. The enterprise is named
by its position in the case's ``parties``, the current clocks by their position in its
``deadlines``."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from casedesk.services.interchange.compliance_format import (
    COMPLIANCE_CLOCKS,
    COMPLIANCE_ENTRY_KEYS,
    COMPLIANCE_KEYS,
    MEMBER_KEYS,
)
from casedesk.services.interchange.export_measures import PartyPositions, Shape
from casedesk.store.compliance_models import ComplianceCase, ComplianceEntry, ComplianceMember
from casedesk.store.models import Case

#: Deadline id → its position in its case's ``deadlines``.
DeadlinePositions = dict[uuid.UUID, int]

_GIVEN = ("enterprise_party", "conditions", *COMPLIANCE_CLOCKS, "members", "entries")
_CASE = Shape(ComplianceCase, COMPLIANCE_KEYS, _GIVEN, 1)
_PARTS: tuple[tuple[str, Any, Shape, tuple], ...] = (
    ("members", ComplianceMember,
     Shape(ComplianceMember, MEMBER_KEYS, (), 0, {"replaced_by": "replaced_by_id"}),
     (ComplianceMember.position,)),
    ("entries", ComplianceEntry, Shape(ComplianceEntry, COMPLIANCE_ENTRY_KEYS, (), 0),
     (ComplianceEntry.occurred_on, ComplianceEntry.position)),
)  # fmt: skip


def _conditions(text: str) -> list[str]:
    return json.loads(text) if text else []


class ComplianceExport:
    """The compliance cases of batches of cases, by 案号."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def lists(
        self, ids: Sequence, parties: PartyPositions, deadlines: DeadlinePositions
    ) -> dict[str, list[dict]]:
        """案号 → the compliance cases of that case, oldest first (by ``started_on``)."""
        rows = self.conn.execute(
            select(Case.case_number, *ComplianceCase.__table__.columns)
            .select_from(ComplianceCase)
            .join(Case, Case.id == ComplianceCase.case_id)
            .where(ComplianceCase.case_id.in_(ids))
            .order_by(ComplianceCase.started_on, ComplianceCase.created_at, ComplianceCase.id)
        ).all()
        found: dict[str, list[dict]] = defaultdict(list)
        if not rows:
            return found
        parts: dict[uuid.UUID, dict[str, list]] = defaultdict(
            lambda: {"members": [], "entries": []}
        )
        for key, model, shape, order in _PARTS:
            for r in self.conn.execute(
                select(model.__table__)
                .join(ComplianceCase, ComplianceCase.id == model.compliance_id)
                .where(ComplianceCase.case_id.in_(ids))
                .order_by(*order, model.id)
            ):
                parts[r.compliance_id][key].append(shape.obj(r))
        for r in rows:
            clocks = {
                key: deadlines.get(getattr(r, column))
                for key, (column, _rule) in COMPLIANCE_CLOCKS.items()
            }
            found[r.case_number].append(
                _CASE.obj(
                    r,
                    enterprise_party=parties.get(r.case_number, {}).get(r.enterprise_id),
                    conditions=_conditions(r.conditions),
                    **clocks,
                    **(parts.get(r.id) or {"members": [], "entries": []}),
                )
            )
        return found
