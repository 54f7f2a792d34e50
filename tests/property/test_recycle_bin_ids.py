"""The recycle bin with hostile ids (issue 7, point 7): whatever reaches its restore and list
methods — text of any kind, wrong types, ids of nothing or of another kind of record — is refused
with a Chinese message and nothing written."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from casedesk.domain.drafts import StageDraft
from casedesk.services.app import Services
from tests.property.hostile import examples, hostile_text, wrong_type
from tests.property.writes import base_case, write


def _calls(sv: Services) -> dict[str, Any]:
    return {
        "restore_entry": sv.recycle_bin.restore_entry,
        "restore_party": sv.recycle_bin.restore_party,
        "restore_draft": sv.recycle_bin.restore_draft,
        "restore_case": sv.cases.restore,
        "items_of_case": sv.recycle_bin.items_of_case,
    }


@examples(60)
@given(key=st.one_of(hostile_text(), wrong_type(), st.uuids(), st.uuids().map(str)))
@example(key="")
@example(key="' OR 1=1 --")
@example(key="{case_id}")
def test_any_id_is_refused_cleanly(services: Services, key: Any) -> None:
    base_case(services)
    for name, call in _calls(services).items():
        assert write(services, lambda call=call: call(key)) is None, name


def test_an_id_of_another_kind_is_not_restored_as_this_kind(services: Services) -> None:
    case_id = base_case(services)
    entry = services.timeline.record_stage(case_id, StageDraft(date(2004, 2, 1), "审理中"))
    services.timeline.remove_entry(entry)
    (item,) = [i for i in services.recycle_bin.items_of_case(case_id) if i.kind == "case_event"]
    for name in ("restore_party", "restore_draft"):
        assert write(services, lambda name=name: _calls(services)[name](item.id)) is None
    services.recycle_bin.restore_entry(item.id)
