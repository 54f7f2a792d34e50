"""Exporting the suggestion documents (建议书) of a batch of cases and the numbering settings
(docs/interchange.md §3.10): Core queries per batch of case ids, like the other records, each
suggestion an object with the keys of :mod:`~casedesk.services.interchange.suggestion_format` in
their order — its body blocks and lists as arrays, its follow-up entries, its reply clock named
by its position in the case's ``deadlines``; and, for the header, every counter, number pattern
and wording template of the database."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from casedesk.services.interchange.export_compliance import DeadlinePositions
from casedesk.services.interchange.export_measures import Shape
from casedesk.services.interchange.suggestion_format import (
    COUNTER_KEYS,
    PATTERN_KEYS,
    SUGGESTION_CLOCKS,
    SUGGESTION_ENTRY_KEYS,
    SUGGESTION_KEYS,
    TEMPLATE_KEYS,
)
from casedesk.store.models import Case
from casedesk.store.suggestion_models import (
    Suggestion,
    SuggestionCounter,
    SuggestionEntry,
    SuggestionPattern,
    SuggestionTemplate,
)

#: Columns holding JSON lists, written as arrays.
_LISTS = ("blocks", "attachments", "copy_to", "source_cases")
_SUGGESTION = Shape(Suggestion, SUGGESTION_KEYS, (*_LISTS, *SUGGESTION_CLOCKS, "entries"), 1)
_ENTRY = Shape(SuggestionEntry, SUGGESTION_ENTRY_KEYS, (), 0)
_SETTINGS: tuple[tuple[str, Any, Shape], ...] = (
    ("suggestion_counters", SuggestionCounter, Shape(SuggestionCounter, COUNTER_KEYS, (), 0)),
    ("suggestion_patterns", SuggestionPattern, Shape(SuggestionPattern, PATTERN_KEYS, (), 0)),
    ("suggestion_templates", SuggestionTemplate, Shape(SuggestionTemplate, TEMPLATE_KEYS, (), 0)),
)


class SuggestionExport:
    """The suggestion documents of batches of cases, by 案号."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def lists(self, ids: Sequence, deadlines: DeadlinePositions) -> dict[str, list[dict]]:
        """案号 → the suggestions of that case, in the order they were drafted."""
        rows = self.conn.execute(
            select(Case.case_number, *Suggestion.__table__.columns)
            .select_from(Suggestion)
            .join(Case, Case.id == Suggestion.case_id)
            .where(Suggestion.case_id.in_(ids))
            .order_by(Suggestion.created_at, Suggestion.id)
        ).all()
        found: dict[str, list[dict]] = defaultdict(list)
        if not rows:
            return found
        entries: dict[uuid.UUID, list[dict]] = defaultdict(list)
        for r in self.conn.execute(
            select(SuggestionEntry.__table__)
            .join(Suggestion, Suggestion.id == SuggestionEntry.suggestion_id)
            .where(Suggestion.case_id.in_(ids))
            .order_by(SuggestionEntry.occurred_on, SuggestionEntry.created_at, SuggestionEntry.id)
        ):
            entries[r.suggestion_id].append(_ENTRY.obj(r))
        for r in rows:
            clocks = {
                key: deadlines.get(getattr(r, column))
                for key, (column, _rule) in SUGGESTION_CLOCKS.items()
            }
            lists = {key: json.loads(getattr(r, key) or "[]") for key in _LISTS}
            found[r.case_number].append(
                _SUGGESTION.obj(r, **lists, **clocks, entries=entries.get(r.id, []))
            )
        return found


def settings(conn: Connection) -> dict[str, list[dict]]:
    """The header's numbering settings: every counter (by unit, kind and year), number pattern
    and wording template (by unit and kind)."""
    out = {}
    for key, model, shape in _SETTINGS:
        order = [model.unit, model.kind] + ([model.year] if model is SuggestionCounter else [])
        out[key] = [shape.obj(r) for r in conn.execute(select(model.__table__).order_by(*order))]
    return out
