"""What the service property tests share: a write checked for a clean refusal, and the case
the examples of one test work on (one database per test, see conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from casedesk.domain.drafts import CaseDraft
from casedesk.domain.errors import FieldErrors
from casedesk.services.app import Services
from casedesk.services.errors import ServiceError
from tests.property.hostile import assert_chinese, assert_field_errors, note, snapshot

T = TypeVar("T")


def write(sv: Services, action: Callable[[], T]) -> T | None:
    """Run a write: its result, or None after checking the refusal was clean — a Chinese
    message, and nothing written (row counts and audit chain head as before)."""
    before = snapshot(sv.path)
    try:
        result = action()
    except FieldErrors as exc:
        assert_field_errors(exc)
        note(f"refused: {sorted(exc.errors)[0]}")
    except ServiceError as exc:
        assert_chinese(str(exc))
        note(f"refused: {type(exc).__name__}")
    else:
        note("saved")
        return result
    assert snapshot(sv.path) == before, "a refused write changed the database"
    return None


def new_case(sv: Services, number: str = "（2024）新01民初1号", **kw: Any) -> str:
    draft = CaseDraft(
        number, kw.pop("family", "民事"), kw.pop("accepted_on", date(2024, 1, 10)), **kw
    )
    return sv.cases.create(draft).id


_BASE: dict[str, str] = {}


def base_case(sv: Services) -> str:
    """One case per database, made at the first example that needs it."""
    key = str(sv.path)
    if key not in _BASE:
        _BASE[key] = new_case(sv, "（2004）新01民初1号", accepted_on=date(2004, 1, 5))
    return _BASE[key]
