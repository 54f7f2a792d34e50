"""The timeline and the case's stage, closing date and acceptance date stay consistent."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy.exc import OperationalError

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft, StageDraft
from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import PersonalMeasureDraft
from casedesk.domain.periods import add_months
from casedesk.services.unit_of_work import _translate


def civil(**kw) -> CaseDraft:  # type: ignore[no-untyped-def]
    values = {
        "case_number": "（2023）新01民初5号",
        "family": "民事",
        "accepted_on": date(2023, 2, 1),
    }
    return CaseDraft(**(values | kw))


def timeline(services, case_id) -> list[tuple[date, str]]:  # type: ignore[no-untyped-def]
    return [(e.occurred_on, e.stage) for e in services.cases.get(case_id).events]


def test_removing_the_closing_entry_reopens_the_case(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(civil()).id
    entry = services.timeline.record_stage(case_id, StageDraft(date(2023, 6, 1), "已结案"))
    assert services.cases.get(case_id).closed_on == date(2023, 6, 1)
    services.timeline.remove_entry(entry)
    detail = services.cases.get(case_id)
    assert (detail.stage, detail.closed_on) == ("立案审查", None)
    changes = services.cases.history(case_id)[0].changes
    assert ("closed_on", "结案日期", "2023-06-01", None) in changes


def test_a_later_open_stage_after_closing_reopens(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(
        CaseDraft("（2023）新01执9号", "执行", date(2023, 2, 1))
    ).id  # fmt: skip
    services.timeline.record_stage(case_id, StageDraft(date(2023, 5, 1), "执行完毕"))
    assert services.cases.get(case_id).closed_on == date(2023, 5, 1)
    services.timeline.record_stage(case_id, StageDraft(date(2023, 9, 1), "恢复执行"))
    detail = services.cases.get(case_id)
    assert (detail.stage, detail.closed_on) == ("恢复执行", None)


def test_a_case_registered_as_closed_needs_its_closing_date(services) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as info:
        services.cases.create(civil(stage="已结案"))
    assert info.value.errors == {"closed_on": "阶段为“已结案”时请填写结案日期"}
    case_id = services.cases.create(civil(stage=" 已结案 ", closed_on=date(2023, 8, 8))).id
    assert timeline(services, case_id) == [
        (date(2023, 2, 1), "立案审查"),
        (date(2023, 8, 8), "已结案"),
    ]
    assert services.cases.get(case_id).closed_on == date(2023, 8, 8)


def test_moving_the_acceptance_date_moves_the_acceptance_entry(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(civil()).id
    services.timeline.record_stage(case_id, StageDraft(date(2023, 3, 1), "审理中"))
    d = services.cases.get(case_id)
    services.cases.update(
        case_id, dataclasses.replace(d.to_draft(), accepted_on=date(2023, 1, 20)), d.version
    )
    assert timeline(services, case_id) == [
        (date(2023, 1, 20), "立案审查"),
        (date(2023, 3, 1), "审理中"),
    ]
    d = services.cases.get(case_id)
    with pytest.raises(FieldErrors) as info:
        services.cases.update(
            case_id, dataclasses.replace(d.to_draft(), accepted_on=date(2023, 4, 1)), d.version
        )
    assert "早于新收案日期" in info.value.errors["accepted_on"]
    assert timeline(services, case_id)[0] == (date(2023, 1, 20), "立案审查")  # nothing saved


def test_changing_the_family_relabels_the_acceptance_entry(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(CaseDraft("（2023）新01执3号", "民事", date(2023, 2, 1))).id
    d = services.cases.get(case_id)
    services.cases.update(case_id, dataclasses.replace(d.to_draft(), family="执行"), d.version)
    d = services.cases.get(case_id)
    assert (d.family, d.stage) == ("执行", "已立案")
    assert timeline(services, case_id) == [(date(2023, 2, 1), "已立案")]


def test_a_family_change_that_would_orphan_a_stage_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(civil()).id
    services.timeline.record_stage(case_id, StageDraft(date(2023, 3, 1), "中止审理"))
    d = services.cases.get(case_id)
    with pytest.raises(FieldErrors) as info:
        services.cases.update(case_id, dataclasses.replace(d.to_draft(), family="执行"), d.version)
    assert info.value.errors["family"].startswith("时间线中的阶段“中止审理”不属于执行案件")
    assert services.cases.get(case_id).family == "民事"


def test_adding_a_party_does_not_conflict_with_an_open_edit(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(civil()).id
    opened = services.cases.get(case_id)  # a clerk has the case page open
    services.parties.add(case_id, "原告", new_enterprise=EnterpriseDraft("新疆某某有限公司"))
    services.cases.update(
        case_id, dataclasses.replace(opened.to_draft(), cause="借款合同纠纷"), opened.version
    )
    detail = services.cases.get(case_id)
    assert detail.cause == "借款合同纠纷"
    assert [p.name for p in detail.parties] == ["新疆某某有限公司"]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("database is locked", "正被另一程序写入"),
        ("attempt to write a readonly database", "只读"),
        ("database or disk is full", "磁盘已满"),
    ],
)
def test_database_refusals_become_chinese_messages(message: str, expected: str) -> None:
    error = _translate(OperationalError("INSERT", {}, Exception(message)))
    assert expected in str(error) and "未保存任何内容" in str(error)


def test_correcting_a_trigger_date_recounts_its_periods(services) -> None:  # type: ignore[no-untyped-def]
    """Issue: "changing a trigger date … recomputes them". 刑诉法 第172条: 1 month to review for
    prosecution from receiving the case, counted again from the corrected day. (Entries written
    by a compulsory measure are corrected on the measure instead: test_personal_measures.)"""
    case_id = services.cases.create(
        CaseDraft("（2026）新01刑初3号", "刑事", date(2026, 1, 5))
    ).id  # fmt: skip
    [started] = services.deadlines.record_trigger(
        case_id, "prosecution_received", date(2026, 2, 10)
    )
    [deadline] = [d for d in services.deadlines.for_case(case_id) if d.id == started]
    assert deadline.due_on == date(2026, 3, 10)
    event = next(e for e in services.cases.get(case_id).events if e.kind == "trigger")
    services.timeline.move_entry(event.id, date(2026, 2, 12))
    [moved] = [d for d in services.deadlines.for_case(case_id) if d.id == deadline.id]
    assert (moved.start, moved.due_on) == ("2026-02-12", date(2026, 3, 12))
    changes = [h.changes for h in services.cases.history(case_id)[:2]]
    assert ("occurred_on", "日期", "2026-02-10", "2026-02-12") in changes[1]
    assert ("due_on", "届满日", "2026-03-10", "2026-03-12") in changes[0]


def test_correcting_the_closing_entry_moves_the_closing_date(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(civil()).id
    entry = services.timeline.record_stage(case_id, StageDraft(date(2023, 6, 1), "已结案"))
    services.timeline.move_entry(entry, date(2023, 6, 5))
    assert services.cases.get(case_id).closed_on == date(2023, 6, 5)


@pytest.mark.parametrize(
    ("day", "message"),
    [(date(2023, 1, 1), "日期不能早于收案日期 2023-02-01"), (None, "请填写日期")],
)
def test_a_corrected_date_is_checked(services, day, message) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(civil()).id
    entry = services.timeline.record_stage(case_id, StageDraft(date(2023, 3, 1), "审理中"))
    with pytest.raises(FieldErrors) as info:
        services.timeline.move_entry(entry, day)
    assert info.value.errors == {"occurred_on": message}


def test_the_board_reminds_ahead_by_the_rules_lead_time(services) -> None:  # type: ignore[no-untyped-def]
    """bail.max reminds 30 days ahead (rule data): 取保候审 ending in 20 days is on the board,
    a 3-month complaint reply due in 20 days is not (its earliest reminder is 14 days)."""
    today = date.today()
    case_id = services.cases.create(
        CaseDraft("（2026）新01刑初5号", "刑事", today - timedelta(days=400))
    ).id
    bail_start = add_months(today + timedelta(days=20), -12, criminal=True)
    party = services.parties.add(case_id, "犯罪嫌疑人", new_person=PersonDraft("王某"))
    services.personal_measures.add(
        case_id, PersonalMeasureDraft("取保候审", party, bail_start, guarantor="王父")
    )
    services.deadlines.record_trigger(case_id, "complaint_filed", today - timedelta(days=70))
    items = {i.rule_id: i for i in services.deadlines.board(today).items}
    assert "bail.max" in items and items["bail.max"].band == "later"
    assert 7 < items["bail.max"].days_left <= 30
    reply = next(
        d for d in services.deadlines.for_case(case_id) if d.rule_id == "complaint.result_reply"
    )
    assert 14 < reply.days_left <= 30 and "complaint.result_reply" not in items
