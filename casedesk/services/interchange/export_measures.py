"""Exporting the compulsory measures of a batch of cases (docs/interchange.md §3.4–3.7): Core
queries per batch of case ids, like the exporter's other related records, so an export of the
whole database stays streaming. Each record is an object with the keys of
:mod:`~casedesk.services.interchange.measure_format` in their order."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Uuid, select

from casedesk.services.interchange.format import day_text, local_text, moment_text
from casedesk.services.interchange.measure_format import (
    MEASURE_LISTS,
    PERSONAL_KEYS,
    PROPERTY_KEYS,
    RELEASE_KEYS,
    RENEWAL_KEYS,
    REVIEW_KEYS,
    SUPERVISION_KEYS,
)
from casedesk.store.measure_models import (
    CustodyReview,
    PersonalMeasure,
    PropertyMeasure,
    PropertyRelease,
    PropertyRenewal,
    StalledSupervision,
)
from casedesk.store.models import Case

#: 案号 → subject (enterprise or person) id → its first position in the case's ``parties``.
PartyPositions = dict[str, dict[uuid.UUID, int]]
#: Keys whose values are local clock times (written without offset).
_LOCAL = frozenset({"executed_at"})
#: File keys whose column is named otherwise (references by id).
_COLUMNS = {"changed_to": "changed_to_id", "measure": "measure_id"}


def _hex(value: uuid.UUID) -> str:
    return value.hex


def _moment(value: datetime) -> str:
    return moment_text(value)


def _converter(key: str, column: Any) -> Callable[[Any], Any] | None:
    """How a column's value is written: ids as hex, dates as YYYY-MM-DD, times as local clock
    times or UTC instants; None: as it is."""
    kind = column.type
    if isinstance(kind, Uuid):
        return _hex
    if isinstance(kind, DateTime):
        return local_text if key in _LOCAL else _moment
    if isinstance(kind, Date):
        return day_text
    return None


class Shape:
    """Writing the rows of one query as objects with ``keys`` in order: the row's columns, or
    values the caller gives (``given``). Worked out once per kind of record, not per row.
    ``offset``: the number of columns the query selects before the model's; ``renamed``: file
    keys whose column is named otherwise."""

    def __init__(
        self,
        model: Any,
        keys: Sequence[str],
        given: Sequence[str],
        offset: int,
        renamed: dict[str, str] | None = None,
    ):
        columns = {c.name: (i + offset, c) for i, c in enumerate(model.__table__.columns)}
        renamed = _COLUMNS | (renamed or {})
        self.plan: list[tuple[str, int | None, Callable[[Any], Any] | None]] = []
        for k in keys:
            if k in given:
                self.plan.append((k, None, None))
            else:
                index, column = columns[renamed.get(k, k)]
                self.plan.append((k, index, _converter(k, column)))

    def obj(self, row: Any, **given: Any) -> dict[str, Any]:
        out = {}
        for key, index, convert in self.plan:
            if index is None:
                out[key] = given[key]
            else:
                value = row[index]
                out[key] = convert(value) if convert is not None and value is not None else value
        return out


# Rows of the measure tables come after the case number (offset 1); renewals and releases alone.
_PROPERTY = Shape(PropertyMeasure, PROPERTY_KEYS, ("owner_party", "renewals", "releases"), 1)
_PERSONAL = Shape(PersonalMeasure, PERSONAL_KEYS, ("person_party",), 1)
_REVIEW = Shape(CustodyReview, REVIEW_KEYS, (), 1)
_SUPERVISION = Shape(StalledSupervision, SUPERVISION_KEYS, (), 1)
_CHAINS = (
    ("renewals", PropertyRenewal, Shape(PropertyRenewal, RENEWAL_KEYS, (), 0),
     (PropertyRenewal.seq,)),
    ("releases", PropertyRelease, Shape(PropertyRelease, RELEASE_KEYS, (), 0),
     (PropertyRelease.released_on,)),
)  # fmt: skip


class MeasureExport:
    """The measures, reviews and supervision records of batches of cases, by 案号."""

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

    def lists(self, ids: Sequence, positions: PartyPositions) -> dict[str, dict[str, list]]:
        """案号 → {"property_measures": [...], "personal_measures": [...], "custody_reviews":
        [...], "supervisions": [...]} for the cases ``ids``."""
        found: dict[str, dict[str, list]] = defaultdict(lambda: {k: [] for k in MEASURE_LISTS})
        self._property(ids, positions, found)
        for r in self._rows(PersonalMeasure, ids, PersonalMeasure.decided_on):
            person = positions.get(r.case_number, {}).get(r.person_id)
            found[r.case_number]["personal_measures"].append(_PERSONAL.obj(r, person_party=person))
        for r in self._rows(CustodyReview, ids, CustodyReview.started_on):
            found[r.case_number]["custody_reviews"].append(_REVIEW.obj(r))
        for r in self._rows(StalledSupervision, ids, StalledSupervision.started_on):
            found[r.case_number]["supervisions"].append(_SUPERVISION.obj(r))
        return found

    def _property(
        self, ids: Sequence, positions: PartyPositions, found: dict[str, dict[str, list]]
    ) -> None:
        measures = self._rows(PropertyMeasure, ids, PropertyMeasure.start_on)
        if not measures:
            return
        chains: dict[uuid.UUID, dict[str, list]] = defaultdict(
            lambda: {"renewals": [], "releases": []}
        )
        for key, model, shape, order in _CHAINS:
            rows = self.conn.execute(
                select(model.__table__)
                .join(PropertyMeasure, PropertyMeasure.id == model.measure_id)
                .where(PropertyMeasure.case_id.in_(ids))
                .order_by(*order, model.created_at, model.id)
            ).all()
            for r in rows:
                chains[r.measure_id][key].append(shape.obj(r))
        for r in measures:
            owner = r.owner_enterprise_id or r.owner_person_id
            chain = chains.get(r.id) or {"renewals": [], "releases": []}
            owner_party = positions.get(r.case_number, {}).get(owner)
            found[r.case_number]["property_measures"].append(
                _PROPERTY.obj(r, owner_party=owner_party, **chain)
            )
