"""Writes through the services on a real database with hostile drafts — cases, enterprises,
persons, parties, the timeline, property and personal measures: each is refused with a clear
Chinese message and the database unchanged (row counts of every table and the audit chain head
compared before and after), or saved — and then read back as it was saved.

One database per test (``services`` acts as the system, as the command line does); each example
checks the "unchanged" invariant on its own refusal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casedesk.domain import measures as me
from casedesk.domain.drafts import (
    CaseDraft,
    EnterpriseDraft,
    PersonDraft,
    StageDraft,
    check_case,
    check_enterprise,
    check_person,
    check_stage,
)
from casedesk.domain.vocabulary import (
    CASE_FAMILIES,
    DEFAULT_TAGS,
    OWNERSHIPS,
    PARTY_ROLES,
    stages_for,
)
from casedesk.services.app import Services
from casedesk.services.lists import CaseFilter
from tests.property.hostile import examples, hostile_draft, mostly, text_or_wrong
from tests.property.writes import base_case, new_case, write

TODAY = date.today()
PAST = st.dates(min_value=date(2004, 1, 1), max_value=TODAY)


# -- cases ------------------------------------------------------------------------------------
CASE_NUMBERS = st.builds(
    lambda y, court, kind, n: f"（{y}）{court}{kind}{n}号",
    st.integers(2004, TODAY.year),
    st.sampled_from(["新01", "新0102"]),
    st.sampled_from(["民初", "刑初", "执"]),
    st.integers(1, 10**9),
)
TAGS = st.lists(st.sampled_from(DEFAULT_TAGS), max_size=2, unique=True).map(tuple)
CASES = hostile_draft(
    CaseDraft,
    case_number=CASE_NUMBERS,
    family=st.sampled_from(CASE_FAMILIES),
    accepted_on=PAST,
    procedure=st.sampled_from(["", "一审普通程序"]),
    cause=st.sampled_from(["", "买卖合同纠纷"]),
    handler=st.sampled_from(["", "王法官"]),
    amount_fen=st.one_of(st.none(), st.integers(0, 10**15)),
    tags=TAGS,
    notes=st.sampled_from(["", "第一行\n第二行"]),
)


def _as_saved(draft: CaseDraft) -> CaseDraft:
    return check_case(draft).draft


@examples(120)
@given(draft=CASES)
@example(draft=CaseDraft("（2024）新01民初7号", "民事", date(2024, 1, 2), notes="\ud800"))
@example(draft=CaseDraft("（2024）新01民初8号", "民事", date(2024, 1, 2), tags=("\ud800",)))
@example(draft=CaseDraft("（2024）新01民初9号", "民事", date(2024, 1, 2), handler=None))  # type: ignore[arg-type]
@example(draft=CaseDraft("（2024）新01民初10号", "民事", datetime(2024, 1, 2, 8, 0)))
@example(
    draft=CaseDraft("（2024）新01民初11号'; DROP TABLE case_file; --", "民事", date(2024, 1, 2))
)
@example(
    draft=CaseDraft(
        "（2024）新01民初12号",
        "民事",
        date(2024, 1, 2),
        cause="'; DROP TABLE case_file; --",
        notes="{{案号}}{% for %}",
    )
)
@example(
    draft=CaseDraft("（2024）新01民初13号", "民事", date(2024, 1, 2), costs_fen=2**63)
)  # OverflowError
@example(draft=CaseDraft("（2024）新01民初14号", "民事", date(2024, 1, 2), amount_fen=-(2**64)))
def test_case_create_refused_cleanly_or_read_back(services: Services, draft: CaseDraft) -> None:
    saved = write(services, lambda: services.cases.create(draft))
    if saved is None:
        return
    expected = _as_saved(draft)
    got = services.cases.get(saved.id)
    for name in (
        "case_number",
        "family",
        "procedure",
        "cause",
        "handler",
        "accepted_on",
        "closed_on",
        "amount_fen",
        "notes",
        "costs_fen",
    ):
        assert getattr(got, name) == getattr(expected, name), name
    assert set(got.tags) == set(expected.tags)
    assert got.stage == (expected.stage or stages_for(expected.family)[0])
    hits = services.case_list.ids(CaseFilter(search=expected.case_number), "accepted_on", True)
    assert saved.id in hits


@examples(80)
@given(draft=CASES)
def test_case_update_refused_cleanly_or_read_back(services: Services, draft: CaseDraft) -> None:
    case_id = base_case(services)
    before = services.cases.get(case_id)
    saved = write(services, lambda: services.cases.update(case_id, draft, before.version))
    after = services.cases.get(case_id)
    if saved is None:
        assert after == before, "a refused update changed the case"
        return
    expected = _as_saved(draft)
    for name in (
        "case_number",
        "family",
        "procedure",
        "cause",
        "handler",
        "accepted_on",
        "closed_on",
        "amount_fen",
        "notes",
        "costs_fen",
    ):
        assert getattr(after, name) == getattr(expected, name), name


# -- enterprises, persons, parties, timeline --------------------------------------------------
ENTERPRISES = hostile_draft(
    EnterpriseDraft,
    name=st.sampled_from(["新疆甲有限公司", "乙商行"]),
    ownership=st.sampled_from(("", *OWNERSHIPS)),
)
PERSONS = hostile_draft(PersonDraft, name=st.sampled_from(["李四", "买买提·艾力"]))


@examples(100)
@given(draft=ENTERPRISES)
@example(draft=EnterpriseDraft("甲公司\ud800"))
@example(draft=EnterpriseDraft("Robert'); DROP TABLE enterprise;--"))
def test_enterprise_create_refused_cleanly_or_read_back(
    services: Services, draft: EnterpriseDraft
) -> None:
    saved = write(services, lambda: services.enterprises.create(draft))
    if saved is not None:
        assert services.enterprises.get(saved.id).draft == check_enterprise(draft)


@examples(100)
@given(draft=PERSONS)
@example(draft=PersonDraft("李四", address="\x00"))
def test_person_create_refused_cleanly_or_read_back(services: Services, draft: PersonDraft) -> None:
    saved = write(services, lambda: services.persons.create(draft))
    if saved is not None:
        assert services.persons.get(saved.id).draft == check_person(draft)


@examples(60)
@given(
    role=mostly(st.sampled_from(PARTY_ROLES), text_or_wrong()),
    subject=st.one_of(ENTERPRISES, PERSONS),
)
def test_party_add_refused_cleanly_or_read_back(
    services: Services, role: Any, subject: Any
) -> None:
    case_id = base_case(services)
    kw = (
        {"new_enterprise": subject}
        if isinstance(subject, EnterpriseDraft)
        else {"new_person": subject}
    )
    party_id = write(services, lambda: services.parties.add(case_id, role, **kw))
    if party_id is not None:
        party = next(p for p in services.cases.get(case_id).parties if p.id == party_id)
        assert party.role == role and party.name == subject.name.strip()


STAGES = hostile_draft(
    StageDraft,
    occurred_on=st.dates(date(2004, 1, 5), TODAY),
    stage=st.sampled_from(stages_for("民事")),
)


@examples(80)
@given(draft=STAGES)
@example(draft=StageDraft(date(2024, 1, 5), "已立案", "{{案号}}'; DROP TABLE case_event; --"))
def test_stage_record_refused_cleanly_or_read_back(services: Services, draft: StageDraft) -> None:
    case_id = base_case(services)
    event_id = write(services, lambda: services.timeline.record_stage(case_id, draft))
    if event_id is not None:
        event = next(e for e in services.cases.get(case_id).events if e.id == event_id)
        expected = check_stage(draft, "民事", date(2004, 1, 5))
        assert (event.occurred_on, event.stage, event.note) == (
            expected.occurred_on,
            expected.stage,
            expected.note,
        )


# -- property and personal measures -----------------------------------------------------------
def _owner(sv: Services, case_id: str) -> str:
    detail = sv.cases.get(case_id)
    if not detail.parties:
        sv.parties.add(case_id, "被告", new_enterprise=EnterpriseDraft("被保全企业有限公司"))
        detail = sv.cases.get(case_id)
    return detail.parties[0].id


@examples(80)
@given(data=st.data())
def test_property_measure_add_refused_cleanly_or_read_back(
    services: Services, data: st.DataObject
) -> None:
    case_id = base_case(services)
    owner = _owner(services, case_id)
    draft = data.draw(
        hostile_draft(
            me.PropertyMeasureDraft,
            kind=st.sampled_from(me.PROPERTY_KINDS),
            object_kind=st.sampled_from(me.OBJECT_KINDS),
            start_on=st.dates(date(2004, 1, 5), TODAY),
            description=st.just("房产一处"),
            owner_party_id=st.just(owner),
            organ_kind=st.sampled_from(("", *me.ORGAN_KINDS)),
            value_fen=st.integers(0, 10**12),
        )
    )
    measure_id = write(services, lambda: services.property_measures.add(case_id, draft))
    if measure_id is None:
        return
    view = services.property_measures.get(measure_id)
    for name in ("kind", "object_kind", "value_fen", "organ_kind", "start_on", "live_use"):
        assert getattr(view, name) == getattr(draft, name), name
    for name in ("description", "account_no", "organ", "document_no", "notes"):
        assert getattr(view, name) == getattr(draft, name).strip(), name


@pytest.mark.parametrize("owner", [None, 12, ["x"], date(2024, 1, 5)])
def test_a_property_measure_whose_owner_is_not_an_id_is_refused(
    services: Services, owner: Any
) -> None:
    """Regression: the owner's party id was stripped as text before any check (AttributeError)."""
    case_id = base_case(services)
    draft = me.PropertyMeasureDraft(
        "查封", "不动产", date(2024, 2, 1), "房产一处", owner_party_id=owner
    )
    assert write(services, lambda: services.property_measures.add(case_id, draft)) is None


@examples(60)
@given(data=st.data())
def test_personal_measure_add_refused_cleanly_or_read_back(
    services: Services, data: st.DataObject
) -> None:
    case_id = _criminal_case(services)
    person = services.parties.add(
        case_id, "被告人", new_person=PersonDraft("张三")
    )  # one measure each
    draft = data.draw(
        hostile_draft(
            me.PersonalMeasureDraft,
            kind=st.sampled_from(me.PERSONAL_KINDS),
            person_party_id=st.just(person),
            decided_on=st.just(date(2024, 1, 20)),
            executed_at=st.just(datetime(2024, 2, 1, 9, 30)),
            deposit_fen=st.integers(1, 10**8),
        )
    )
    measure_id = write(services, lambda: services.personal_measures.add(case_id, draft))
    if measure_id is None:
        return
    view = services.personal_measures.get(measure_id)
    for name in ("kind", "decided_on", "executed_at", "organ_kind"):
        assert getattr(view, name) == getattr(draft, name), name
    for name in ("organ", "document_no"):
        assert getattr(view, name) == getattr(draft, name).strip(), name
    if draft.kind == "取保候审":  # the particulars of one kind are kept with that kind only
        assert (view.guarantor, view.deposit_fen) == (draft.guarantor.strip(), draft.deposit_fen)
    if draft.kind == "监视居住":
        assert view.residence == draft.residence.strip()


_CRIMINAL: dict[str, str] = {}


def _criminal_case(sv: Services) -> str:
    key = str(sv.path)
    if key not in _CRIMINAL:
        _CRIMINAL[key] = new_case(
            sv, "（2024）新01刑初1号", family="刑事", accepted_on=date(2024, 1, 5)
        )
    return _CRIMINAL[key]
