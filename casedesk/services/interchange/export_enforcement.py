"""Exporting the enforcement records (执行) of a batch of cases (docs/interchange.md §3.9): the
record with its payments, actions, credit listings and 限制消费 orders, each an object with the
keys of :mod:`~casedesk.services.interchange.enforcement_format` in their order. Debtors are named
by their position in the case's ``parties``, a listing's clocks by their position in its
``deadlines``; ``state`` is where the record stands (written for the reader, checked on import)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from casedesk.services.enforcement_views import record_state
from casedesk.services.interchange.enforcement_format import (
    ACTION_KEYS,
    BAN_KEYS,
    ENFORCEMENT_KEYS,
    LISTING_CLOCKS,
    LISTING_KEYS,
    PAYMENT_KEYS,
)
from casedesk.services.interchange.export_compliance import DeadlinePositions
from casedesk.services.interchange.export_measures import PartyPositions, Shape
from casedesk.store.enforcement_models import (
    DishonestListing,
    EnforcementAction,
    EnforcementPayment,
    EnforcementRecord,
    SpendingBan,
)
from casedesk.store.models import Case

_LISTS = ("payments", "actions", "listings", "spending_bans")
_RECORD = Shape(EnforcementRecord, ENFORCEMENT_KEYS, ("state", *_LISTS), 1)
_STEPS: tuple[tuple[str, Any, Shape, tuple], ...] = (
    ("payments", EnforcementPayment, Shape(EnforcementPayment, PAYMENT_KEYS, (), 0),
     (EnforcementPayment.paid_on, EnforcementPayment.created_at)),
    ("actions", EnforcementAction, Shape(EnforcementAction, ACTION_KEYS, (), 0),
     (EnforcementAction.taken_on, EnforcementAction.created_at)),
)  # fmt: skip
_LISTING = Shape(DishonestListing, LISTING_KEYS, ("debtor_party", *LISTING_CLOCKS), 1)
_BAN = Shape(SpendingBan, BAN_KEYS, ("debtor_party",), 1)


class EnforcementExport:
    """The enforcement records of batches of cases, by 案号."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def _rows(self, model: Any, ids: Sequence, *order: Any) -> list:
        return self.conn.execute(
            select(Case.case_number, *model.__table__.columns)
            .select_from(model)
            .join(Case, Case.id == model.case_id)
            .where(model.case_id.in_(ids))
            .order_by(*order, model.created_at, model.id)
        ).all()

    def records(
        self, ids: Sequence, parties: PartyPositions, deadlines: DeadlinePositions
    ) -> dict[str, dict]:
        """案号 → the enforcement record of that case (cases without one are left out)."""
        records = self._rows(EnforcementRecord, ids)
        found: dict[str, dict] = {}
        if not records:
            return found
        lists: dict[str, dict[str, list]] = defaultdict(lambda: {k: [] for k in _LISTS})
        for key, model, shape, order in _STEPS:
            for r in self.conn.execute(
                select(Case.case_number, *model.__table__.columns)
                .select_from(model)
                .join(EnforcementRecord, EnforcementRecord.id == model.record_id)
                .join(Case, Case.id == EnforcementRecord.case_id)
                .where(EnforcementRecord.case_id.in_(ids))
                .order_by(*order, model.id)
            ):
                lists[r.case_number][key].append(shape.obj(r[1:]))
        for r in self._rows(DishonestListing, ids):
            debtor = r.debtor_enterprise_id or r.debtor_person_id
            clocks = {
                key: deadlines.get(getattr(r, column))
                for key, (column, _rule) in LISTING_CLOCKS.items()
            }
            lists[r.case_number]["listings"].append(
                _LISTING.obj(r, debtor_party=parties.get(r.case_number, {}).get(debtor), **clocks)
            )
        for r in self._rows(SpendingBan, ids, SpendingBan.ordered_on):
            debtor = r.debtor_enterprise_id or r.debtor_person_id
            lists[r.case_number]["spending_bans"].append(
                _BAN.obj(r, debtor_party=parties.get(r.case_number, {}).get(debtor))
            )
        for r in records:
            state = record_state(r.terminated_on, r.resumed_on, r.closed_on)
            found[r.case_number] = _RECORD.obj(r, state=state, **lists[r.case_number])
        return found
