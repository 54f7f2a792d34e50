"""Personal measures (人身强制措施) and their custody clocks: each measure starts the clock of its
rule, custody periods end on their last day even on a holiday (刑诉法 第105条第4款), the chain
拘留 → 提请批准逮捕 → 审查批准逮捕 → 逮捕后侦查羁押 (第91、156条) with the extensions of
第156、158、159条, and bad input refused at the field with nothing saved."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from casedesk.domain.deadline_rules import MEASURE_TRIGGERS, TRIGGERS
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import MeasureEndDraft, PersonalMeasureDraft
from casedesk.services.errors import ServiceError
from casedesk.store.models import AuditRecord, CaseEvent, Deadline, PersonalMeasure

ACCEPTED = date(2025, 6, 1)


def d(text: str) -> date:
    return date.fromisoformat(text)


def criminal_case(services, n: int = 1, family: str = "刑事", name: str = "王某"):  # type: ignore[no-untyped-def]
    """A case with one person party (犯罪嫌疑人); returns (case id, party id)."""
    number = f"（2025）新01刑初{n}号"
    case_id = services.cases.create(CaseDraft(number, family, ACCEPTED)).id
    party = services.parties.add(case_id, "犯罪嫌疑人", new_person=PersonDraft(name))
    return case_id, party


def pm(kind: str, party: str, decided: str, executed: datetime | None = None, **kw):  # type: ignore[no-untyped-def]
    return PersonalMeasureDraft(kind, party, d(decided), executed, **kw)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def rows(sv) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    """Rows of every table a measure action writes to (nothing may change when it is refused)."""
    with sv.db.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model)) or 0
            for model in (PersonalMeasure, Deadline, CaseEvent, AuditRecord)
        )


def open_clocks(view) -> list[tuple[str, date]]:  # type: ignore[no-untyped-def]
    return [(c.rule_id, c.due_on) for c in view.clocks if c.status == "open"]


# -- each measure's clock ----------------------------------------------------------------------


KEPT = "羁押期限不因节假日延长（刑诉法第105条第4款）"


@pytest.mark.parametrize(
    ("kind", "decided", "executed", "rule_id", "due", "off_day"),
    [
        # 刑诉法 第156条: 2 months of custody after arrest; 刑诉法解释 第202条 (as
        # domain/periods.add_months implements it): from a month's last day to the last day of
        # the end month. 31 Oct 2026 is a Saturday: custody is not moved (第105条第4款).
        ("逮捕", "2026-08-30", at("2026-08-31T10:00"), "criminal.custody.investigation",
         "2026-10-31", KEPT),
        # 28 Feb 2026 is a Saturday worked in lieu of 春节 (调休): a working day
        ("逮捕", "2025-12-31", None, "criminal.custody.investigation", "2026-02-28", ""),
        ("逮捕", "2026-01-31", None, "criminal.custody.investigation", "2026-03-31", ""),
        # not a month end: the same day number two months on
        ("逮捕", "2026-07-30", None, "criminal.custody.investigation", "2026-09-30", ""),
        # 刑诉法 第91条: 3 days to request arrest, counted from the day after the detention.
        # 1 Oct 2026 is 国庆节: custody ends that day all the same (第105条第4款).
        ("拘留", "2026-09-28", at("2026-09-28T21:40"), "criminal.detention.request_arrest",
         "2026-10-01", KEPT),
        ("拘留", "2026-02-13", None, "criminal.detention.request_arrest", "2026-02-16", KEPT),
        # 刑诉法 第79条: 取保候审 at most 12 months from the decision. Not custody: a last day on
        # a holiday moves to the next working day (第105条第4款, first clause).
        ("取保候审", "2025-09-15", None, "bail.max", "2026-09-15", ""),
        ("取保候审", "2025-10-01", None, "bail.max", "2026-10-08", "顺延至 2026-10-08"),
        # 刑诉法 第79条: 监视居住 at most 6 months; from a month end to a month end.
        ("监视居住", "2026-03-31", None, "surveillance.max", "2026-09-30", ""),
    ],
)  # fmt: skip
def test_each_measure_starts_the_clock_of_its_rule(  # type: ignore[no-untyped-def]
    services, kind, decided, executed, rule_id, due, off_day
) -> None:
    case_id, party = criminal_case(services)
    extra = {"deposit_fen": 500_000} if kind == "取保候审" else {}
    measure_id = services.personal_measures.add(
        case_id, pm(kind, party, decided, executed, **extra)
    )
    view = services.personal_measures.get(measure_id)
    [clock] = view.clocks
    assert (clock.rule_id, clock.due_on, clock.status) == (rule_id, d(due), "open")
    assert clock.personal_measure_id == measure_id and clock.subject == "王某"
    custody = kind in ("拘留", "逮捕")
    assert clock.custody == view.in_custody == custody and view.active
    # the maximum term of 取保候审 / 监视居住 is kept on the measure
    assert view.term_end == (None if custody else d(due))
    if off_day:
        assert any(off_day in step for step in clock.steps), clock.steps
    else:
        assert not any("最后一日" in step for step in clock.steps), clock.steps


def test_summons_runs_twelve_hours_from_the_next_hour(services) -> None:  # type: ignore[no-untyped-def]
    """刑诉法 第119条: 拘传 at most 12 hours; counted from the next hour (第105条第2款)."""
    case_id, party = criminal_case(services)
    measure_id = services.personal_measures.add(
        case_id, pm("拘传", party, "2026-03-03", at("2026-03-03T10:25"))
    )
    [clock] = services.personal_measures.get(measure_id).clocks
    assert clock.rule_id == "summon.max"
    assert (clock.start, clock.due) == ("2026-03-03 10:25", "2026-03-03 23:00")
    with pytest.raises(FieldErrors) as info:  # hours need the time of arrival
        services.personal_measures.add(case_id, pm("拘传", party, "2026-03-04"))
    assert set(info.value.errors) == {"executed_at"}


def test_the_timeline_shows_the_measure(services) -> None:  # type: ignore[no-untyped-def]
    case_id, party = criminal_case(services)
    services.personal_measures.add(
        case_id, pm("逮捕", party, "2026-08-31", document_no="乌公捕字〔2026〕12号")
    )
    events = [e for e in services.cases.get(case_id).events if e.kind == "trigger"]
    assert [(e.occurred_on, e.stage) for e in events] == [(d("2026-08-31"), "执行逮捕")]
    assert "王某" in events[0].note and "乌公捕字〔2026〕12号" in events[0].note
    history = services.cases.history(case_id)
    created = next(h for h in history if h.label == "逮捕 王某")
    assert created.action == "create" and created.actor == "测试员"
    assert ("document_no", "乌公捕字〔2026〕12号") in {(k, new) for k, _, _, new in created.changes}


def test_the_measure_s_timeline_entry_is_corrected_on_the_measure(services) -> None:  # type: ignore[no-untyped-def]
    # Moving or removing the entry on the timeline would leave the measure and its clock
    # disagreeing: the timeline refuses and points to the 强制措施 tab.
    case_id, party = criminal_case(services)
    services.personal_measures.add(case_id, pm("逮捕", party, "2026-08-31"))
    entry = next(e for e in services.cases.get(case_id).events if e.kind == "trigger")
    before = rows(services)
    with pytest.raises(ServiceError, match="强制措施"):
        services.timeline.move_entry(entry.id, d("2026-08-30"))
    with pytest.raises(ServiceError, match="强制措施"):
        services.timeline.remove_entry(entry.id)
    assert rows(services) == before


def test_a_procuratorial_supervision_case_takes_measures_too(services) -> None:  # type: ignore[no-untyped-def]
    case_id, party = criminal_case(services, family="检察监督")
    measure_id = services.personal_measures.add(case_id, pm("拘留", party, "2026-09-28"))
    [clock] = services.personal_measures.get(measure_id).clocks
    assert clock.due_on == d("2026-10-01")


# -- the custody chain -------------------------------------------------------------------------


def test_detention_request_review_and_arrest_chain(services) -> None:  # type: ignore[no-untyped-def]
    """拘留 (第91条第1款: 3 days to request arrest) → 提请批准逮捕 (第91条第3款: 7 days to
    decide, in custody) → 变更为逮捕 (第156条: 2 months)."""
    sv = services.personal_measures
    case_id, party = criminal_case(services)
    detention = sv.add(case_id, pm("拘留", party, "2026-09-28", at("2026-09-28T09:30")))
    [review] = sv.record_step(detention, "arrest_requested", d("2026-09-30"))
    view = sv.get(detention)
    assert [(c.rule_id, c.status, c.close_note) for c in view.clocks] == [
        ("criminal.detention.request_arrest", "met", "已提请批准逮捕"),
        ("criminal.arrest.review", "open", ""),
    ]
    # 30 Sep + 7 days = 7 Oct, a National Day holiday: custody, kept (第105条第4款)
    assert view.clocks[1].id == review and view.clocks[1].due_on == d("2026-10-07")
    arrest = sv.change(
        detention, d("2026-10-05"),
        pm("逮捕", "", "2026-10-05", at("2026-10-05T16:00")), "乌检捕〔2026〕7号",
    )  # fmt: skip
    old, new = sv.get(detention), sv.get(arrest)
    assert (old.ended_on, old.end_reason, old.end_document) == (
        d("2026-10-05"), "变更", "乌检捕〔2026〕7号",
    )  # fmt: skip
    assert (old.changed_to_id, new.changed_from_id) == (arrest, detention)
    assert not old.active and not old.in_custody and new.in_custody
    assert old.clocks[1].status == "met" and old.clocks[1].close_note == "变更为逮捕"
    # 5 Oct + 2 months = 5 Dec 2026, a Saturday: kept
    assert open_clocks(new) == [("criminal.custody.investigation", d("2026-12-05"))]
    assert [v.kind for v in sv.for_case(case_id)] == ["逮捕", "拘留"]  # active first
    labels = [e.stage for e in services.cases.get(case_id).events if e.kind == "trigger"]
    assert labels == ["刑事拘留", "收到提请批准逮捕书", "执行逮捕"]


def test_arrest_then_bail_keeps_the_person(services) -> None:  # type: ignore[no-untyped-def]
    sv = services.personal_measures
    case_id, party = criminal_case(services)
    _, other = criminal_case(services, 2, name="李某")
    services.parties.add(case_id, "犯罪嫌疑人", new_person=PersonDraft("赵某"))
    zhao = next(p.id for p in services.cases.get(case_id).parties if p.name == "赵某")
    arrest = sv.add(case_id, pm("逮捕", party, "2026-03-10"))
    before = rows(services)
    for party_id in (zhao, other):  # another person of the case, a person of another case
        with pytest.raises(FieldErrors) as info:
            sv.change(arrest, d("2026-04-01"), pm("取保候审", party_id, "2026-04-01",
                                                  guarantor="王父"))  # fmt: skip
        assert set(info.value.errors) == {"person_party_id"}
    assert rows(services) == before
    bail = sv.change(arrest, d("2026-04-01"), pm("取保候审", party, "2026-04-01", guarantor="王父"))
    view = sv.get(bail)
    assert (view.kind, view.guarantor, view.term_end) == ("取保候审", "王父", d("2027-04-01"))
    assert not sv.get(arrest).active and not view.in_custody


def test_three_extensions_give_seven_months(services) -> None:  # type: ignore[no-untyped-def]
    """刑诉法 第156条 (+1 month, 上一级人民检察院), 第158条 (+2), 第159条 (+2): 7 months in all,
    counted from the arrest: 31 Mar → 31 May → 30 Jun → 31 Aug → 31 Oct (month ends)."""
    case_id, party = criminal_case(services)
    arrest = services.personal_measures.add(case_id, pm("逮捕", party, "2026-03-31"))
    [clock] = services.personal_measures.get(arrest).clocks
    assert clock.due_on == d("2026-05-31")
    steps = [("乌鲁木齐市人民检察院", "2026-05-25", "2026-06-30"),
             ("新疆维吾尔自治区人民检察院", "2026-06-25", "2026-08-31"),
             ("新疆维吾尔自治区人民检察院", "2026-08-25", "2026-10-31")]  # fmt: skip
    for approver, approved, due in steps:
        services.deadlines.extend(clock.id, approver, d(approved), "批准延长侦查羁押期限决定书")
        [clock] = services.personal_measures.get(arrest).clocks
        assert clock.due_on == d(due)
    assert clock.extensions_used == 3 and clock.next_extension == ""
    with pytest.raises(ServiceError, match="没有可用的延长"):
        services.deadlines.extend(clock.id, "最高人民检察院", d("2026-10-20"))


def test_an_extension_without_approval_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    case_id, party = criminal_case(services)
    arrest = services.personal_measures.add(case_id, pm("逮捕", party, "2026-03-31"))
    [clock] = services.personal_measures.get(arrest).clocks
    before = rows(services)
    with pytest.raises(FieldErrors) as info:
        services.deadlines.extend(clock.id, "  ", d("2026-05-25"))
    assert info.value.errors == {"approver": "延长须经批准：请填写批准机关或批准人"}
    with pytest.raises(FieldErrors) as info:
        services.deadlines.extend(clock.id, "乌鲁木齐市人民检察院", None)
    assert set(info.value.errors) == {"approved_on"}
    assert rows(services) == before
    [clock] = services.personal_measures.get(arrest).clocks
    assert (clock.extensions_used, clock.due_on) == (0, d("2026-05-31"))


# -- case-level periods: 审查起诉, 退回补充侦查 ---------------------------------------------------


def test_a_third_supplementary_investigation_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    """刑诉法 第175条第3款: 退回补充侦查 at most twice; 审查起诉 restarts after each return."""
    case_id, party = criminal_case(services)
    services.personal_measures.add(case_id, pm("逮捕", party, "2026-01-10"))
    dl = services.deadlines
    dl.record_trigger(case_id, "prosecution_received", d("2026-03-01"))
    dl.record_trigger(case_id, "returned_for_investigation", d("2026-03-20"))
    dl.record_trigger(case_id, "prosecution_received", d("2026-04-18"))
    dl.record_trigger(case_id, "returned_for_investigation", d("2026-05-10"))
    before = rows(services)
    with pytest.raises(FieldErrors) as info:
        dl.record_trigger(case_id, "returned_for_investigation", d("2026-06-20"))
    assert info.value.errors["trigger"].startswith("退回补充侦查以2次为限")
    assert "第175条第3款" in info.value.errors["trigger"]
    assert rows(services) == before
    rounds = [v.round for v in dl.for_case(case_id) if v.rule_id.endswith("investigation")
              and v.rule_id != "criminal.custody.investigation"]  # fmt: skip
    assert sorted(rounds) == [1, 2]


@pytest.mark.parametrize("trigger", sorted(MEASURE_TRIGGERS))
def test_measure_triggers_go_through_the_measure(services, trigger: str) -> None:  # type: ignore[no-untyped-def]
    case_id, _ = criminal_case(services)
    before = rows(services)
    with pytest.raises(FieldErrors) as info:
        services.deadlines.record_trigger(case_id, trigger, d("2026-03-01"))
    assert info.value.errors == {
        "trigger": f"“{TRIGGERS[trigger]}”请在“强制措施”页登记（该期限随措施计算）"
    }
    assert rows(services) == before
    assert trigger not in services.deadlines.triggers_for(case_id)


def test_the_event_list_keeps_case_level_triggers(services) -> None:  # type: ignore[no-untyped-def]
    case_id, _ = criminal_case(services)
    starts = services.deadlines.triggers_for(case_id)
    assert {"prosecution_received", "returned_for_investigation"} <= set(starts)
    assert not set(starts) & MEASURE_TRIGGERS


# -- bad input ---------------------------------------------------------------------------------


def test_measures_belong_to_criminal_cases_and_their_persons(services) -> None:  # type: ignore[no-untyped-def]
    sv = services.personal_measures
    civil = services.cases.create(CaseDraft("（2025）新01民初1号", "民事", ACCEPTED)).id
    civil_party = services.parties.add(civil, "被告", new_person=PersonDraft("张某"))
    case_id, _ = criminal_case(services)
    firm = services.parties.add(case_id, "犯罪嫌疑单位", new_enterprise=EnterpriseDraft("某公司"))
    before = rows(services)
    with pytest.raises(FieldErrors) as info:  # 司法拘留 in a civil case is not recorded here
        sv.add(civil, pm("拘留", civil_party, "2026-03-01"))
    assert set(info.value.errors) == {"kind"} and "刑事" in info.value.errors["kind"]
    for party_id in (firm, civil_party, "not-an-id", ""):
        with pytest.raises(FieldErrors) as info:
            sv.add(case_id, pm("拘留", party_id, "2026-03-01"))
        assert set(info.value.errors) == {"person_party_id"}
    assert rows(services) == before


def test_one_active_measure_per_person(services) -> None:  # type: ignore[no-untyped-def]
    sv = services.personal_measures
    case_id, party = criminal_case(services)
    bail = sv.add(case_id, pm("取保候审", party, "2026-03-01", deposit_fen=1_000_000))
    before = rows(services)
    with pytest.raises(FieldErrors) as info:
        sv.add(case_id, pm("逮捕", party, "2026-05-01"))
    assert "变更" in info.value.errors["person_party_id"]
    assert rows(services) == before
    sv.end(bail, MeasureEndDraft(d("2026-04-30"), "解除", "乌公解保字〔2026〕3号"))
    ended = sv.get(bail)
    assert (ended.ended_on, ended.end_reason, ended.active) == (d("2026-04-30"), "解除", False)
    assert [(c.status, c.closed_on, c.close_note) for c in ended.clocks] == [
        ("met", d("2026-04-30"), "解除")
    ]
    sv.add(case_id, pm("逮捕", party, "2026-05-01"))
    with pytest.raises(ServiceError, match="不能再变更或解除"):
        sv.change(bail, d("2026-05-02"), pm("监视居住", party, "2026-05-02"))
    with pytest.raises(ServiceError):
        sv.end(bail, MeasureEndDraft(d("2026-05-02"), "释放"))


@pytest.mark.parametrize(
    ("end", "field"),
    [
        (MeasureEndDraft(d("2026-09-27"), "释放"), "ended_on"),  # before the detention
        (MeasureEndDraft(None, "释放"), "ended_on"),
        (MeasureEndDraft(date(2099, 1, 1), "释放"), "ended_on"),
        (MeasureEndDraft(d("2026-10-01"), "随便"), "reason"),
        (MeasureEndDraft(d("2026-10-01"), "变更"), "reason"),  # 变更 records the new measure
    ],
)
def test_a_bad_release_is_refused_at_the_field(services, end, field) -> None:  # type: ignore[no-untyped-def]
    case_id, party = criminal_case(services)
    detention = services.personal_measures.add(case_id, pm("拘留", party, "2026-09-28"))
    before = rows(services)
    with pytest.raises(FieldErrors) as info:
        services.personal_measures.end(detention, end)
    assert set(info.value.errors) == {field}
    assert rows(services) == before
    assert services.personal_measures.get(detention).active


def test_release_before_a_recorded_step_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    sv = services.personal_measures
    case_id, party = criminal_case(services)
    detention = sv.add(case_id, pm("拘留", party, "2026-09-28"))
    sv.record_step(detention, "arrest_requested", d("2026-10-01"))
    with pytest.raises(FieldErrors) as info:
        sv.end(detention, MeasureEndDraft(d("2026-09-30"), "释放"))
    assert "2026-10-01" in info.value.errors["ended_on"]
    sv.end(detention, MeasureEndDraft(d("2026-10-06"), "释放", "不批准逮捕决定书"))
    assert open_clocks(sv.get(detention)) == []


@pytest.mark.parametrize(
    ("kind", "step", "on", "field"),
    [
        ("拘留", "released", d("2026-09-29"), "step"),  # unknown step
        ("逮捕", "arrest_requested", d("2026-09-29"), "step"),  # 提请批准逮捕 is for a 拘留
        ("拘留", "arrest_requested", d("2026-09-27"), "on"),  # before the detention
        ("拘留", "arrest_requested", None, "on"),
    ],
)
def test_bad_steps_are_refused(services, kind, step, on, field) -> None:  # type: ignore[no-untyped-def]
    case_id, party = criminal_case(services)
    measure_id = services.personal_measures.add(case_id, pm(kind, party, "2026-09-28"))
    before = rows(services)
    with pytest.raises(FieldErrors) as info:
        services.personal_measures.record_step(measure_id, step, on)
    assert set(info.value.errors) == {field}
    assert rows(services) == before


def test_a_step_is_recorded_once(services) -> None:  # type: ignore[no-untyped-def]
    sv = services.personal_measures
    case_id, party = criminal_case(services)
    detention = sv.add(case_id, pm("拘留", party, "2026-09-28"))
    sv.record_step(detention, "arrest_requested", d("2026-09-30"))
    before = rows(services)
    with pytest.raises(FieldErrors) as info:
        sv.record_step(detention, "arrest_requested", d("2026-10-01"))
    assert set(info.value.errors) == {"step"}
    assert rows(services) == before


def test_a_change_dated_before_the_measure_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    sv = services.personal_measures
    case_id, party = criminal_case(services)
    detention = sv.add(case_id, pm("拘留", party, "2026-09-28"))
    before = rows(services)
    for on in (d("2026-09-27"), None):
        with pytest.raises(FieldErrors) as info:
            sv.change(detention, on, pm("逮捕", party, "2026-09-30"))
        assert set(info.value.errors) == {"on"}
    with pytest.raises(FieldErrors) as info:  # the new measure is checked too
        sv.change(detention, d("2026-09-30"), pm("逮捕", party, "2099-01-01"))
    assert set(info.value.errors) == {"decided_on"}
    assert rows(services) == before


def test_bail_needs_a_guarantor_or_a_deposit(services) -> None:  # type: ignore[no-untyped-def]
    """刑诉法 第68条: 保证人 or 保证金, not both."""
    case_id, party = criminal_case(services)
    base = pm("取保候审", party, "2026-03-01")
    before = rows(services)
    for draft, field in ((base, "guarantor"),
                         (dataclasses.replace(base, guarantor="王父", deposit_fen=100_000),
                          "deposit_fen")):  # fmt: skip
        with pytest.raises(FieldErrors) as info:
            services.personal_measures.add(case_id, draft)
        assert field in info.value.errors
    assert rows(services) == before


def test_a_person_under_a_measure_cannot_be_removed_from_the_case(services) -> None:  # type: ignore[no-untyped-def]
    case_id, party = criminal_case(services)
    services.personal_measures.add(case_id, pm("取保候审", party, "2026-03-02", guarantor="王某某"))
    before = rows(services)
    with pytest.raises(ServiceError, match="王某在本案有 1 项人身强制措施"):
        services.parties.remove(party)
    assert rows(services) == before
    assert [p.id for p in services.cases.get(case_id).parties] == [party]
    other = services.parties.add(case_id, "犯罪嫌疑人", new_person=PersonDraft("李某"))
    services.parties.remove(other)  # without measures: removed as before
    person = services.cases.get(case_id).parties[0].subject_id
    second = services.parties.add(case_id, "被告人", person_id=person)
    services.parties.remove(second)  # 王某 stays a party as 犯罪嫌疑人
    assert [p.id for p in services.cases.get(case_id).parties] == [party]


def test_transfer_for_prosecution_ends_the_investigation_custody_clock(services) -> None:  # type: ignore[no-untyped-def]
    """逮捕后侦查羁押 (第156条) runs until the investigation ends and the case is transferred
    (第162条); from then the person is held within the 审查起诉 period (第172条), which the
    transfer starts."""
    case_id, party = criminal_case(services)
    arrest = services.personal_measures.add(
        case_id, pm("逮捕", party, "2026-03-02", at("2026-03-02T10:00"))
    )
    assert open_clocks(services.personal_measures.get(arrest)) == [
        ("criminal.custody.investigation", d("2026-05-02"))
    ]
    services.deadlines.record_trigger(case_id, "prosecution_received", d("2026-04-20"))
    view = services.personal_measures.get(arrest)
    assert open_clocks(view) == [] and view.in_custody
    (clock,) = view.clocks
    assert (clock.status, clock.closed_on) == ("met", d("2026-04-20"))
    assert "移送审查起诉" in clock.close_note
    case_clocks = {
        c.rule_id: c.due_on for c in services.deadlines.for_case(case_id) if c.status == "open"
    }
    assert case_clocks["criminal.prosecution.review"] == d("2026-05-20")


@pytest.mark.parametrize(
    ("measures", "due", "custody"),
    [
        # in custody on the day of the transfer: 1 Oct (国庆) stays the last day (第105条第4款)
        ([("逮捕", "2026-07-01", None)], "2026-10-01", True),
        ([("拘留", "2026-08-28", None)], "2026-10-01", True),
        # not held: on bail, released before, or arrested only after the transfer → 8 Oct
        ([("取保候审", "2026-07-01", None)], "2026-10-08", False),
        ([("逮捕", "2026-07-01", "2026-08-20")], "2026-10-08", False),
        ([("逮捕", "2026-09-02", None)], "2026-10-08", False),
        ([], "2026-10-08", False),
    ],
)
def test_prosecution_review_is_a_custody_period_when_someone_is_held(  # type: ignore[no-untyped-def]
    services, measures, due, custody
) -> None:
    """审查起诉 one month from 1 Sep 2026 (第172条) ends on 1 Oct, National Day."""
    case_id, party = criminal_case(services)
    for kind, decided, released in measures:
        extra = {"guarantor": "王某某"} if kind == "取保候审" else {}
        mid = services.personal_measures.add(case_id, pm(kind, party, decided, **extra))
        if released:
            services.personal_measures.end(mid, MeasureEndDraft(d(released), "释放"))
    services.deadlines.record_trigger(case_id, "prosecution_received", d("2026-09-01"))
    (review,) = [
        c for c in services.deadlines.for_case(case_id)
        if c.rule_id == "criminal.prosecution.review"
    ]  # fmt: skip
    assert (review.due_on, review.custody) == (d(due), custody)
