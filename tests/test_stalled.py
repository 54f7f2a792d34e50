"""挂案 (law.md §9): the thresholds of 最高检·公安部《关于公安机关办理经济犯罪案件的若干规定》
（公通字〔2017〕25号）第25条 at their boundaries, the ledger (待督办 / 督办中 / 已销号), and
挂牌督办 and 销号 with their checks and audit records.

Periods are counted as the deadline engine counts them: the trigger day is not counted
(刑诉法 第105条第2款), months by 刑诉法解释 第202条, and the last day is never moved off a
holiday (the rules' roll_forward=False). A case is flagged from the day after the last day."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casedesk.domain import stalled
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft, StageDraft
from casedesk.domain.errors import FieldErrors
from casedesk.domain.periods import Period
from casedesk.domain.stalled import (
    AFTER_MEASURE,
    NO_MEASURE,
    CloseOffDraft,
    MeasureSpan,
    SupervisionDraft,
)
from casedesk.services.errors import NotFound, ServiceError
from casedesk.store import audit
from casedesk.store.models import AuditRecord, CaseParty, PersonalMeasure, StalledSupervision

TODAY = date.today()


def d(text: str) -> date:
    return date.fromisoformat(text)


# == domain: the thresholds at their boundaries ================================================


def bail(start: str, term_end: str, ended: str | None = None) -> MeasureSpan:
    return MeasureSpan("取保候审", d(start), d(term_end), d(ended) if ended else None)


FLAG_CASES = [
    # (b) no measure: 2 years from filing (第25条第1款第2项); last day not flagged, next day is.
    pytest.param("2024-03-15", [], "2026-03-15", None, id="no-measure-last-day"),
    pytest.param("2024-03-15", [], "2026-03-16", (NO_MEASURE, "2024-03-15", "2026-03-16", 731),
                 id="no-measure-next-day"),
    # filed on 29 Feb: two years end on 28 Feb 2026 (no 29 Feb; 刑诉法解释 第202条 month end)
    pytest.param("2024-02-29", [], "2026-02-28", None, id="feb29-last-day"),
    pytest.param("2024-02-29", [], "2026-03-01", (NO_MEASURE, "2024-02-29", "2026-03-01", 731),
                 id="feb29-next-day"),
    # the last day on a rest day is not moved: 2026-10-03 is 国庆节, flagged 2026-10-04
    pytest.param("2024-10-03", [], "2026-10-04", (NO_MEASURE, "2024-10-03", "2026-10-04", 731),
                 id="holiday-not-rolled"),
    # 拘传 is not a 强制措施 for 第25条: a case with only 拘传 counts as without measure
    pytest.param("2024-03-15", [MeasureSpan("拘传", d("2024-04-01"), None, d("2024-04-01"))],
                 "2026-03-16", (NO_MEASURE, "2024-03-15", "2026-03-16", 731), id="summon-only"),
    # (a) 12 months after the measure ended (第25条第1款第1项): 拘留 released on 4 May 2024
    pytest.param("2024-03-15", [MeasureSpan("拘留", d("2024-05-01"), None, d("2024-05-04"))],
                 "2025-05-04", None, id="after-release-last-day"),
    pytest.param("2024-03-15", [MeasureSpan("拘留", d("2024-05-01"), None, d("2024-05-04"))],
                 "2025-05-05", (AFTER_MEASURE, "2024-05-04", "2025-05-05", 366),
                 id="after-release-next-day"),
    # the latest end counts: 拘留 → 取保候审 released on 4 Nov 2024
    pytest.param("2024-03-15", [MeasureSpan("拘留", d("2024-05-01"), None, d("2024-05-04")),
                                bail("2024-05-04", "2025-05-04", "2024-11-04")],
                 "2025-11-05", (AFTER_MEASURE, "2024-11-04", "2025-11-05", 366),
                 id="latest-end-counts"),
    # bail whose 12-month maximum (刑诉法 第79条) ran out without release: it ended on term_end
    pytest.param("2023-01-05", [bail("2023-01-10", "2024-01-10")], "2025-01-10", None,
                 id="bail-expired-last-day"),
    pytest.param("2023-01-05", [bail("2023-01-10", "2024-01-10")], "2025-01-11",
                 (AFTER_MEASURE, "2024-01-10", "2025-01-11", 367), id="bail-expired-next-day"),
    # … while a bail lifted (late) counts from the day it was lifted (解除之日)
    pytest.param("2023-01-05", [bail("2023-01-10", "2024-01-10", "2024-06-30")], "2025-07-01",
                 (AFTER_MEASURE, "2024-06-30", "2025-07-01", 366), id="late-release"),
    # a release recorded for a later day than asked about: the expired term counts meanwhile
    pytest.param("2023-01-05", [bail("2023-01-10", "2024-01-10", "2025-06-30")], "2025-01-11",
                 (AFTER_MEASURE, "2024-01-10", "2025-01-11", 367), id="release-after-as-of"),
    # 监视居住 (6 months maximum) expired the same way
    pytest.param("2023-01-05", [MeasureSpan("监视居住", d("2023-02-01"), d("2023-08-01"))],
                 "2024-08-02", (AFTER_MEASURE, "2023-08-01", "2024-08-02", 367),
                 id="surveillance-expired"),
    # month end in criminal procedure: ended 28 Feb 2023 → last day 29 Feb 2024 (刑诉法解释 第202条)
    pytest.param("2022-12-01", [MeasureSpan("拘留", d("2023-02-20"), None, d("2023-02-28"))],
                 "2024-02-29", None, id="month-end-last-day"),
    pytest.param("2022-12-01", [MeasureSpan("拘留", d("2023-02-20"), None, d("2023-02-28"))],
                 "2024-03-01", (AFTER_MEASURE, "2023-02-28", "2024-03-01", 367),
                 id="month-end-next-day"),
    # a measure decided after the day asked about was not taken yet
    pytest.param("2023-01-05", [MeasureSpan("逮捕", d("2025-06-01"))], "2025-01-06",
                 (NO_MEASURE, "2023-01-05", "2025-01-06", 732), id="measure-later-ignored"),
]  # fmt: skip


@pytest.mark.parametrize(("filed", "measures", "as_of", "expected"), FLAG_CASES)
def test_flag_boundaries(
    filed: str, measures: list[MeasureSpan], as_of: str, expected: tuple | None
) -> None:
    got = stalled.flag(d(filed), measures, d(as_of))
    if expected is None:
        assert got is None
        return
    threshold, since, flagged_from, days = expected
    assert got is not None
    assert (got.threshold, got.since, got.flagged_from, got.days) == (
        threshold, d(since), d(flagged_from), days,
    )  # fmt: skip
    assert got.days_over == 0  # every expected case is the first flagged day


@pytest.mark.parametrize(
    ("measures", "as_of"),
    [
        pytest.param([MeasureSpan("逮捕", d("2023-02-01"))], "2030-01-01", id="arrest-no-end"),
        pytest.param([MeasureSpan("拘留", d("2023-02-01"))], "2030-01-01", id="detention-no-end"),
        pytest.param([bail("2023-02-01", "2024-02-01")], "2024-02-01", id="bail-on-its-last-day"),
        pytest.param([MeasureSpan("取保候审", d("2023-02-01"))], "2030-01-01",
                     id="bail-without-term"),
        pytest.param([bail("2023-02-01", "2024-02-01", "2024-03-01")], "2024-02-01",
                     id="release-after-as-of"),
        pytest.param([MeasureSpan("拘留", d("2023-02-01"), None, d("2023-02-04")),
                      MeasureSpan("逮捕", d("2023-02-04"))], "2030-01-01",
                     id="one-of-several-in-force"),
    ],
)  # fmt: skip
def test_a_measure_in_force_stops_the_clock(measures: list[MeasureSpan], as_of: str) -> None:
    # 第25条 counts from the measure's end: while one is in force the case is not a 挂案.
    assert stalled.evaluate(d("2023-01-05"), measures, d(as_of)) is None
    assert stalled.flag(d("2023-01-05"), measures, d(as_of)) is None


def test_state_before_the_threshold() -> None:
    state = stalled.evaluate(d("2025-01-10"), [], d("2026-01-10"))
    assert state is not None and not state.flagged
    assert (state.since, state.flagged_from, state.days) == (d("2025-01-10"), d("2027-01-11"), 365)


def test_periods_come_from_the_caller() -> None:
    # an administrator's period (rule table) replaces the packaged one, and names it in the label
    got = stalled.flag(d("2024-03-15"), [], d("2025-03-16"), no_measure_period=Period(1, "y"))
    assert got is not None and got.flagged_from == d("2025-03-16")
    assert got.label == "立案已满一年未采取强制措施，未移送起诉、不起诉或撤案"


@pytest.mark.parametrize(
    ("threshold", "label"),
    [
        (NO_MEASURE, "立案已满二年未采取强制措施，未移送起诉、不起诉或撤案"),
        (AFTER_MEASURE, "强制措施解除或期满已满十二个月，未移送起诉、不起诉或撤案"),
    ],
)
def test_labels(threshold: str, label: str) -> None:
    assert stalled.threshold_label(threshold) == label


@pytest.mark.parametrize(
    ("n", "words"), [(1, "一"), (2, "二"), (10, "十"), (12, "十二"), (24, "二十四"), (100, "100")]
)
def test_chinese_numbers(n: int, words: str) -> None:
    assert stalled.chinese_number(n) == words


@pytest.mark.parametrize("period", [Period(2, "y"), Period(12, "m"), Period(18, "m")])
def test_shortest_days_is_a_lower_bound(period: Period) -> None:
    # the SQL narrowing must never drop a case the exact check would flag
    start = date(2020, 1, 1)
    spans = []
    while start < date(2024, 12, 31):
        spans.append((stalled.last_day(start, period) - start).days)
        start += timedelta(days=1)
    assert stalled.shortest_days(period) <= min(spans)


# == domain: supervision and close-off checks ==================================================

GOOD_SUP = SupervisionDraft("乌鲁木齐市人民检察院", "天山区公安分局", TODAY, TODAY + timedelta(30))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"supervising_unit": "  "}, "supervising_unit", "请填写督办单位"),
        ({"responsible_unit": ""}, "responsible_unit", "请填写责任单位"),
        ({"started_on": None}, "started_on", "请填写督办日期"),
        ({"started_on": TODAY + timedelta(1)}, "started_on", "不能晚于今天"),
        ({"due_on": None}, "due_on", "请填写督办期限"),
        ({"due_on": TODAY - timedelta(1)}, "due_on", "不能早于督办日期"),
        ({"supervising_unit": "院" * 101}, "supervising_unit", "过长"),
        ({"instructions": "限期\x07"}, "instructions", "控制字符"),
    ],
)
def test_supervision_checks(changes: dict, field: str, message: str) -> None:
    import dataclasses

    with pytest.raises(FieldErrors) as info:
        stalled.check_supervision(dataclasses.replace(GOOD_SUP, **changes), TODAY)
    assert field in info.value.errors and message in info.value.errors[field]


def test_supervision_check_trims() -> None:
    d_ = stalled.check_supervision(
        SupervisionDraft(" 市检察院 ", " 分局 ", TODAY, TODAY, " 一月内报告 "), TODAY
    )
    assert (d_.supervising_unit, d_.responsible_unit, d_.instructions) == (
        "市检察院", "分局", "一月内报告",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("draft", "field", "message"),
    [
        (CloseOffDraft(None, "撤案", "撤销案件决定书"), "closed_on", "请填写销号日期"),
        (CloseOffDraft(d("2026-01-09"), "撤案", "撤销案件决定书"), "closed_on", "不能早于督办日期"),
        (CloseOffDraft(TODAY + timedelta(1), "撤案", "撤案决定书"), "closed_on", "不能晚于今天"),
        (CloseOffDraft(TODAY, "结案", "文书"), "outcome", "请选择办结方式"),
        (CloseOffDraft(TODAY, "撤案", " "), "document", "销号须附证明文书"),
    ],
)  # fmt: skip
def test_close_off_checks(draft: CloseOffDraft, field: str, message: str) -> None:
    with pytest.raises(FieldErrors) as info:
        stalled.check_close_off(draft, d("2026-01-10"), TODAY)
    assert field in info.value.errors and message in info.value.errors[field]


def test_outcomes() -> None:
    # law.md §9 销号: 撤案, 移送起诉, 不起诉 or a judgment
    assert stalled.OUTCOMES == ("撤案", "移送审查起诉", "不起诉", "判决", "其他")


# == the ledger through the services ===========================================================

_numbers = iter(range(1, 10_000))


def criminal_case(  # type: ignore[no-untyped-def]
    services,
    accepted: str,
    *,
    enterprise: bool = True,
    tags: tuple[str, ...] = (),
    family: str = "刑事",
    filed: str | None = None,
) -> str:
    """A case with a suspect (and an enterprise suspect unless ``enterprise`` is False); its
    刑事立案 recorded on ``filed`` when given."""
    n = next(_numbers)
    number = f"（2022）新01刑初{n}号" if family == "刑事" else f"（2022）新01民初{n}号"
    case_id = services.cases.create(
        CaseDraft(number, family, d(accepted), cause="合同诈骗罪", handler="李明", tags=tags)
    ).id
    if enterprise:
        services.parties.add(case_id, "犯罪嫌疑单位", new_enterprise=EnterpriseDraft(f"某{n}公司"))
    services.parties.add(case_id, "犯罪嫌疑人", new_person=PersonDraft(f"张{n}"))
    if filed:
        services.deadlines.record_trigger(case_id, "case_filed_criminal", d(filed))
    return case_id


def add_measure(  # type: ignore[no-untyped-def]
    services, case_id: str, kind: str, decided: str, term_end: str | None = None,
    ended: str | None = None,
) -> None:  # fmt: skip
    """A personal measure row written directly (the measure service is built elsewhere)."""
    now = audit.utcnow()
    with services.db.session() as s:
        party = s.scalars(
            select(CaseParty).where(
                CaseParty.case_id == uuid.UUID(case_id), CaseParty.person_id.is_not(None)
            )
        ).first()
        s.add(PersonalMeasure(
            case_id=uuid.UUID(case_id), person_id=party.person_id, person_name="张某", kind=kind,
            decided_on=d(decided), term_end=d(term_end) if term_end else None,
            ended_on=d(ended) if ended else None, created_at=now, updated_at=now,
        ))  # fmt: skip
        s.commit()


def by_case(rows) -> dict:  # type: ignore[no-untyped-def]
    return {r.case_id: r for r in rows}


@pytest.fixture
def world(services):  # type: ignore[no-untyped-def]
    """Cases on each side of the candidate rules (as of today: old dates are flagged for good,
    recent ones are given relative to today)."""
    c = {
        "filed": criminal_case(services, "2023-01-10", filed="2023-03-01"),
        "accepted_only": criminal_case(services, "2023-02-01"),
        "tagged": criminal_case(services, "2023-02-01", enterprise=False, tags=("涉企",)),
        "no_enterprise": criminal_case(services, "2023-02-01", enterprise=False),
        "civil": criminal_case(services, "2023-02-01", family="民事"),
        "recent": criminal_case(services, (TODAY - timedelta(400)).isoformat()),
        "in_custody": criminal_case(services, "2023-02-01"),
        "after_bail": criminal_case(services, "2023-02-01"),
        "bail_recent": criminal_case(services, "2023-02-01"),
        "prosecution": criminal_case(services, "2023-02-01"),
        "closed": criminal_case(services, "2023-02-01"),
        "deleted": criminal_case(services, "2023-02-01"),
        "summoned": criminal_case(services, "2023-02-01"),
    }
    add_measure(services, c["in_custody"], "逮捕", "2023-02-10")
    add_measure(services, c["after_bail"], "取保候审", "2023-02-10", "2024-02-10", "2023-11-01")
    bail_on = TODAY - timedelta(100)
    add_measure(services, c["bail_recent"], "取保候审", bail_on.isoformat(),
                (bail_on + timedelta(365)).isoformat())  # fmt: skip
    add_measure(services, c["summoned"], "拘传", "2023-02-10", ended="2023-02-10")
    services.timeline.record_stage(c["prosecution"], StageDraft(d("2024-01-05"), "审查起诉"))
    services.timeline.record_stage(c["closed"], StageDraft(d("2024-01-05"), "撤案"))
    services.cases.delete(c["deleted"])
    return c


def test_ledger_candidates(services, world) -> None:  # type: ignore[no-untyped-def]
    rows = by_case(services.stalled.ledger(TODAY))
    flagged = {name for name, cid in world.items() if uuid.UUID(cid).hex in rows}
    assert flagged == {"filed", "accepted_only", "tagged", "after_bail", "summoned"}
    filed = rows[uuid.UUID(world["filed"]).hex]
    # the 刑事立案 event, not the acceptance date, starts the two years
    assert (filed.filed_on, filed.since, filed.flagged_from) == (
        d("2023-03-01"), d("2023-03-01"), d("2025-03-02"),
    )  # fmt: skip
    assert filed.days_stalled == (TODAY - d("2023-03-01")).days
    assert (filed.threshold, filed.status, filed.stage) == (NO_MEASURE, "待督办", "立案侦查")
    assert filed.threshold_label.startswith("立案已满二年未采取强制措施")
    assert "某" in filed.parties and filed.handler == "李明" and filed.cause == "合同诈骗罪"
    after = rows[uuid.UUID(world["after_bail"]).hex]
    assert (after.threshold, after.since, after.flagged_from) == (
        AFTER_MEASURE, d("2023-11-01"), d("2024-11-02"),
    )  # fmt: skip
    summoned = rows[uuid.UUID(world["summoned"]).hex]
    assert summoned.threshold == NO_MEASURE  # 拘传 does not count
    days = [r.days_stalled for r in services.stalled.ledger(TODAY)]
    assert days == sorted(days, reverse=True)


def test_ledger_on_an_earlier_day(services, world) -> None:  # type: ignore[no-untyped-def]
    # 2025-03-01 is the last day of the "filed" case's two years: not yet flagged
    rows = by_case(services.stalled.ledger(d("2025-03-01")))
    assert uuid.UUID(world["filed"]).hex not in rows
    assert uuid.UUID(world["filed"]).hex in by_case(services.stalled.ledger(d("2025-03-02")))


def test_status_filter_and_bad_status(services, world) -> None:  # type: ignore[no-untyped-def]
    assert len(services.stalled.ledger(TODAY, "待督办")) == 5
    assert services.stalled.ledger(TODAY, "督办中") == []
    with pytest.raises(FieldErrors) as info:
        services.stalled.ledger(TODAY, "全部")
    assert "status" in info.value.errors


def supervision(**kw) -> SupervisionDraft:  # type: ignore[no-untyped-def]
    values = {"supervising_unit": "乌鲁木齐市人民检察院", "responsible_unit": "天山区公安分局",
              "started_on": TODAY, "due_on": TODAY + timedelta(30),
              "instructions": "一个月内依法作出处理并报告"}  # fmt: skip
    return SupervisionDraft(**(values | kw))


def count(services, model) -> int:  # type: ignore[no-untyped-def]
    with services.db.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_supervise_and_close_off(services, world) -> None:  # type: ignore[no-untyped-def]
    case_id = world["filed"]
    sup_id = services.stalled.supervise(case_id, supervision())
    row = services.stalled.flag_for_case(case_id, TODAY)
    assert row is not None and row.status == "督办中" and row.supervision_id == sup_id
    assert (row.supervising_unit, row.responsible_unit, row.supervision_due) == (
        "乌鲁木齐市人民检察院", "天山区公安分局", TODAY + timedelta(30),
    )  # fmt: skip
    assert row.threshold == NO_MEASURE and row.instructions == "一个月内依法作出处理并报告"
    pending = {r.case_id for r in services.stalled.ledger(TODAY, "待督办")}
    assert uuid.UUID(case_id).hex not in pending
    with pytest.raises(ServiceError, match="已在挂牌督办中"):
        services.stalled.supervise(case_id, supervision())

    # the case moves forward: still 督办中 (waiting for 销号), showing its current stage
    services.timeline.record_stage(case_id, StageDraft(TODAY, "审查起诉"))
    [row] = services.stalled.ledger(TODAY, "督办中")
    assert (row.case_id, row.stage) == (uuid.UUID(case_id).hex, "审查起诉")

    services.stalled.close_off(sup_id, CloseOffDraft(TODAY, "移送审查起诉", "起诉意见书"))
    [row] = services.stalled.ledger(TODAY, "已销号")
    assert (row.status, row.closed_on, row.outcome, row.close_document) == (
        "已销号", TODAY, "移送审查起诉", "起诉意见书",
    )  # fmt: skip
    assert row.days_stalled == (TODAY - d("2023-03-01")).days
    with pytest.raises(ServiceError, match="已于"):
        services.stalled.close_off(sup_id, CloseOffDraft(TODAY, "撤案", "撤销案件决定书"))

    with services.db.session() as s:
        records = s.scalars(
            select(AuditRecord).where(AuditRecord.entity_type == "stalled_supervision")
        ).all()
    assert [r.action for r in records] == ["create", "update"]
    created, closed = (json.loads(r.changes) for r in records)
    assert created["supervising_unit"] == [None, "乌鲁木齐市人民检察院"]
    assert created["due_on"] == [None, (TODAY + timedelta(30)).isoformat()]
    assert closed["outcome"] == [None, "移送审查起诉"]
    assert closed["close_document"] == [None, "起诉意见书"]
    assert all(r.case_id == uuid.UUID(case_id) for r in records)


def test_closed_off_case_is_not_pending_again(services, world) -> None:  # type: ignore[no-untyped-def]
    # 销号 with the case still standing in 立案侦查 (e.g. 其他: provincial approval to go on)
    case_id = world["accepted_only"]
    sup_id = services.stalled.supervise(case_id, supervision())
    services.stalled.close_off(sup_id, CloseOffDraft(TODAY, "其他", "省级公安机关批准继续侦查"))
    rows = [r for r in services.stalled.ledger(TODAY) if r.case_id == uuid.UUID(case_id).hex]
    assert [r.status for r in rows] == ["已销号"]
    assert services.stalled.flag_for_case(case_id, TODAY).status == "已销号"  # type: ignore[union-attr]
    # it may be put under supervision again while it still meets the threshold
    services.stalled.supervise(case_id, supervision())
    statuses = sorted(
        r.status for r in services.stalled.ledger(TODAY) if r.case_id == rows[0].case_id
    )
    assert statuses == ["已销号", "督办中"]
    assert services.stalled.flag_for_case(case_id, TODAY).status == "督办中"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("recent", "尚未达到挂案标准"),
        ("in_custody", "正在执行的强制措施（逮捕）"),
        ("bail_recent", "正在执行的强制措施（取保候审）"),
        ("no_enterprise", "不涉及企业"),
        ("civil", "只有刑事案件"),
        ("prosecution", "已进入“审查起诉”阶段"),
        ("closed", "已结案"),
    ],
)
def test_supervise_refuses_with_the_reason(services, world, name: str, message: str) -> None:  # type: ignore[no-untyped-def]
    before = count(services, StalledSupervision), count(services, AuditRecord)
    with pytest.raises(ServiceError, match=re.escape(message)):
        services.stalled.supervise(world[name], supervision())
    assert (count(services, StalledSupervision), count(services, AuditRecord)) == before


def test_supervise_refuses_a_deleted_case_and_bad_fields(services, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.stalled.supervise(world["deleted"], supervision())
    with pytest.raises(FieldErrors) as info:
        services.stalled.supervise(world["filed"], supervision(responsible_unit="", due_on=None))
    assert set(info.value.errors) == {"responsible_unit", "due_on"}
    assert count(services, StalledSupervision) == 0


def test_close_off_bad_input_saves_nothing(services, world) -> None:  # type: ignore[no-untyped-def]
    sup_id = services.stalled.supervise(world["filed"], supervision())
    before = count(services, AuditRecord)
    with pytest.raises(FieldErrors) as info:
        services.stalled.close_off(sup_id, CloseOffDraft(TODAY - timedelta(1), "结案", ""))
    assert set(info.value.errors) == {"closed_on", "outcome", "document"}
    assert info.value.errors["document"] == "销号须附证明文书"
    assert count(services, AuditRecord) == before
    assert services.stalled.flag_for_case(world["filed"], TODAY).status == "督办中"  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        services.stalled.close_off(uuid.uuid4().hex, CloseOffDraft(TODAY, "撤案", "决定书"))


def test_flag_for_case(services, world) -> None:  # type: ignore[no-untyped-def]
    row = services.stalled.flag_for_case(world["tagged"], TODAY)
    assert row is not None and (row.status, row.threshold) == ("待督办", NO_MEASURE)
    assert services.stalled.flag_for_case(world["in_custody"], TODAY) is None
    assert services.stalled.flag_for_case(world["recent"], TODAY) is None


def test_supervised_case_with_a_new_measure_keeps_its_threshold(services, world) -> None:  # type: ignore[no-untyped-def]
    case_id = world["accepted_only"]
    services.stalled.supervise(case_id, supervision())
    add_measure(services, case_id, "拘留", TODAY.isoformat())  # in force: the stall stopped
    row = services.stalled.flag_for_case(case_id, TODAY)
    assert row is not None and row.status == "督办中"
    assert (row.threshold, row.since, row.days_stalled) == (NO_MEASURE, None, 0)
    assert row.threshold_label.startswith("立案已满二年")


def test_ledger_of_an_earlier_day_shows_the_supervision_as_it_stood(services, world) -> None:  # type: ignore[no-untyped-def]
    case_id = uuid.UUID(world["tagged"]).hex
    started = TODAY - timedelta(10)
    sup_id = services.stalled.supervise(world["tagged"], supervision(started_on=started))
    services.stalled.close_off(sup_id, CloseOffDraft(TODAY, "撤案", "撤销案件决定书"))

    def status_on(day: date) -> list[str]:
        return [r.status for r in services.stalled.ledger(day) if r.case_id == case_id]

    assert status_on(TODAY) == ["已销号"]
    assert status_on(TODAY - timedelta(1)) == ["督办中"]  # not yet closed off
    assert status_on(started) == ["督办中"]
    assert status_on(started - timedelta(1)) == ["待督办"]  # not yet supervised
