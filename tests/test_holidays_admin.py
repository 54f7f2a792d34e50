"""节假日 as data: an administrator records next year's notice and Xinjiang's ethnic holidays;
every change is audited and recomputes the open deadlines it touches."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from casedesk.domain.drafts import CaseDraft
from casedesk.domain.errors import FieldErrors
from casedesk.domain.work_calendar import ETHNIC, HOLIDAY, MAKEUP_WORKDAY, NATIONAL
from casedesk.services.errors import ServiceError
from casedesk.store.models import AuditRecord, HolidayDay

NOTICE = "国办发明电〔2026〕7号"


def _audits(services, entity: str) -> list[AuditRecord]:  # type: ignore[no-untyped-def]
    with services.db.session() as s:
        stmt = select(AuditRecord).where(AuditRecord.entity_type == entity)
        return list(s.scalars(stmt.order_by(AuditRecord.id)))


def _trial(services, case_id: str):  # type: ignore[no-untyped-def]
    (view,) = [v for v in services.deadlines.for_case(case_id) if v.rule_id.startswith("civil")]
    return view


@pytest.fixture
def case_2027(services) -> str:  # type: ignore[no-untyped-def]
    """A civil case whose 6-month trial period ends on 2027-05-02, a year with no data yet."""
    draft = CaseDraft("（2026）新01民初5号", "民事", date(2026, 11, 2), procedure="一审普通程序")
    return services.cases.create(draft).id


def test_years_show_where_the_data_comes_from(services):  # type: ignore[no-untyped-def]
    years = {(y.year, y.scope): y for y in services.holidays.years()}
    packaged = years[(2026, NATIONAL)]
    assert packaged.verified and packaged.origin_text == "随软件提供"
    assert packaged.holidays >= 13 and packaged.workdays > 0
    missing = years[(2027, NATIONAL)]
    assert not missing.verified and missing.status == "未核实"
    assert missing.origin_text == "尚无数据"
    assert not years[(2027, ETHNIC)].verified
    assert {y.scope for y in services.holidays.years(ETHNIC)} == {ETHNIC}


def test_days_of_a_packaged_year(services):  # type: ignore[no-untyped-def]
    days = {d.day: d for d in services.holidays.days(2026)}
    national_day = days[date(2026, 10, 1)]
    assert (national_day.kind_label, national_day.name) == ("放假", "国庆节")
    assert national_day.weekday == "星期四" and national_day.origin_label == "随软件"
    assert days[date(2026, 10, 10)].kind_label == "调休上班"
    assert services.holidays.days(2026, ETHNIC) == []


def test_recording_next_years_notice_moves_and_verifies_the_deadline(services, case_2027):  # type: ignore[no-untyped-def]
    before = _trial(services, case_2027)
    assert before.due == "2027-05-03"  # 2027-05-02 is a Sunday: weekends only
    assert not before.verified and "2027年" in before.warnings[0]

    result = services.holidays.set_day(
        date(2027, 5, 1), HOLIDAY, "劳动节", NATIONAL, until=date(2027, 5, 5)
    )
    assert result.moved == 1
    assert "已重新计算，1 个期限的届满日有变化" in result.message
    moved = _trial(services, case_2027)
    assert moved.due == "2027-05-06" and not moved.verified  # the year is not complete yet

    result = services.holidays.mark_year(2027, NATIONAL, NOTICE)
    assert (result.moved, result.verified) == (0, 1)
    assert "少于法定节假日的13天" in result.message  # five days only: a hint to check
    after = _trial(services, case_2027)
    assert after.verified and after.warnings == ()
    assert any("劳动节" in step and "顺延至 2027-05-06" in step for step in after.steps)

    year = next(y for y in services.holidays.years(NATIONAL) if y.year == 2027)
    assert year.verified and year.origin_text == f"管理员录入：{NOTICE}" and year.recorded == 5
    days = services.holidays.days(2027)
    assert [d.day.day for d in days] == [1, 2, 3, 4, 5]
    assert all(d.origin_label == "管理员" for d in days)

    audits = _audits(services, "holiday")
    assert [a.action for a in audits] == ["create"] * 6
    assert {a.actor for a in audits} == {"测试员"}
    assert json.loads(audits[0].changes) == {"kind": [None, "放假"], "name": [None, "劳动节"]}
    assert audits[0].entity_id == "national:2027-05-01"
    assert json.loads(audits[-1].changes) == {"source": [None, NOTICE]}
    moves = [a for a in _audits(services, "deadline") if a.action == "update"]
    assert len(moves) == 1 and "劳动节" in json.loads(moves[0].changes)["note"][1]


def test_unmarking_a_year_makes_its_deadlines_unverified_again(services, case_2027):  # type: ignore[no-untyped-def]
    services.holidays.set_day(date(2027, 5, 1), HOLIDAY, "劳动节", until=date(2027, 5, 5))
    services.holidays.mark_year(2027, NATIONAL, NOTICE)
    result = services.holidays.unmark_year(2027, NATIONAL)
    assert result.unverified == 1 and "变为未核实" in result.message
    assert not _trial(services, case_2027).verified
    assert _audits(services, "holiday")[-1].action == "delete"
    with pytest.raises(ServiceError, match="未标记"):
        services.holidays.unmark_year(2027, NATIONAL)


def test_removing_a_recorded_day_moves_the_deadline_back(services, case_2027):  # type: ignore[no-untyped-def]
    services.holidays.set_day(date(2027, 5, 1), HOLIDAY, "劳动节", until=date(2027, 5, 5))
    for n in (5, 4, 3):
        services.holidays.remove_day(date(2027, 5, n))
    assert _trial(services, case_2027).due == "2027-05-03"
    assert [a.action for a in _audits(services, "holiday")][-3:] == ["delete"] * 3


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        ((None, HOLIDAY, "劳动节"), "day", "请填写日期"),
        ((date(2027, 5, 1), "rest", "劳动节"), "kind", "放假或调休上班"),
        ((date(2027, 5, 1), HOLIDAY, "  "), "name", "请填写节日名称"),
        ((date(2027, 5, 1), HOLIDAY, "节" * 41), "name", "最多40个字"),
        ((date(2027, 5, 6), MAKEUP_WORKDAY, "劳动节"), "day", "星期六或星期日"),
        ((date(1999, 5, 1), HOLIDAY, "劳动节"), "day", "年份应在"),
    ],
)
def test_day_validation_messages(services, args, field, words):  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as caught:
        services.holidays.set_day(*args)
    assert words in caught.value.errors[field]
    assert _audits(services, "holiday") == []


def test_a_range_is_checked_as_a_whole(services):  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as caught:
        services.holidays.set_day(date(2027, 5, 5), HOLIDAY, "劳动节", until=date(2027, 5, 1))
    assert "不能早于开始日期" in caught.value.errors["until"]
    with pytest.raises(FieldErrors) as caught:
        services.holidays.set_day(date(2027, 5, 1), HOLIDAY, "劳动节", until=date(2027, 7, 1))
    assert "最多录入连续31日" in caught.value.errors["until"]
    with pytest.raises(FieldErrors) as caught:  # 5月8日 Saturday is fine, 5月10日 Monday is not
        services.holidays.set_day(
            date(2027, 5, 8), MAKEUP_WORKDAY, "劳动节", until=date(2027, 5, 10)
        )
    assert "2027-05-10是星期一" in caught.value.errors["day"]


def test_a_packaged_day_cannot_be_removed_but_can_be_overridden(services):  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match=r"随软件提供.*不能删除.*调休上班"):
        services.holidays.remove_day(date(2026, 10, 1))
    with pytest.raises(FieldErrors, match="已是“国庆节”放假"):
        services.holidays.set_day(date(2026, 10, 1), HOLIDAY, "国庆节")
    # A weekday holiday of the packaged notice can be made a working day by recording it.
    services.holidays.set_day(date(2026, 10, 1), MAKEUP_WORKDAY, "国庆节")
    day = next(d for d in services.holidays.days(2026) if d.day == date(2026, 10, 1))
    assert day.kind_label == "调休上班" and day.replaces == "随软件：放假（国庆节）"
    audit = _audits(services, "holiday")[-1]
    assert "替换随软件提供的数据" in json.loads(audit.changes)["note"][1]
    year = next(y for y in services.holidays.years(NATIONAL) if y.year == 2026)
    assert year.origin_text == "随软件提供（管理员修改 1 日）"
    result = services.holidays.remove_day(date(2026, 10, 1))
    assert "恢复为随软件提供的安排：放假（国庆节）" in result.message
    day = next(d for d in services.holidays.days(2026) if d.day == date(2026, 10, 1))
    assert day.kind_label == "放假" and day.origin_label == "随软件"


def test_recording_a_day_again_replaces_it(services):  # type: ignore[no-untyped-def]
    services.holidays.set_day(date(2027, 10, 1), HOLIDAY, "国庆")
    services.holidays.set_day(date(2027, 10, 1), HOLIDAY, "国庆节")
    (day,) = services.holidays.days(2027)
    assert day.name == "国庆节"
    assert json.loads(_audits(services, "holiday")[-1].changes) == {"name": ["国庆", "国庆节"]}
    with pytest.raises(FieldErrors, match="录入的数据中已是"):
        services.holidays.set_day(date(2027, 10, 1), HOLIDAY, "国庆节")


def test_marking_a_year_needs_its_source_and_days(services):  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as caught:
        services.holidays.mark_year(2027, NATIONAL, " ")
    assert "文号" in caught.value.errors["source"]
    with pytest.raises(FieldErrors) as caught:
        services.holidays.mark_year(2027, NATIONAL, NOTICE)
    assert "尚未录入任何" in caught.value.errors["year"]
    with pytest.raises(ServiceError, match="随软件提供"):
        services.holidays.mark_year(2026, NATIONAL, NOTICE)
    with pytest.raises(ServiceError, match="不能取消"):
        services.holidays.unmark_year(2026, NATIONAL)
    assert _audits(services, "holiday") == []


def test_ethnic_holidays_count_only_when_switched_on(services):  # type: ignore[no-untyped-def]
    # A trial period ending on Wednesday 2026-05-27, recorded as 古尔邦节 for Xinjiang.
    draft = CaseDraft("（2025）新01民初9号", "民事", date(2025, 11, 27), procedure="一审普通程序")
    case_id = services.cases.create(draft).id
    assert _trial(services, case_id).due == "2026-05-27"
    assert not services.holidays.ethnic_enabled()

    result = services.holidays.set_day(
        date(2026, 5, 26), HOLIDAY, "古尔邦节", ETHNIC, until=date(2026, 5, 28)
    )
    assert result.moved == 0 and "未计入少数民族节日" in result.message
    assert _trial(services, case_id).due == "2026-05-27"
    assert services.holidays.days(2026, ETHNIC)[0].name == "古尔邦节"

    result = services.holidays.set_ethnic_enabled(True)
    assert services.holidays.ethnic_enabled()
    assert result.moved == 1 and "尚无标记为完整录入的少数民族节日年份" in result.message
    moved = _trial(services, case_id)
    assert moved.due == "2026-05-29" and not moved.verified
    assert any("少数民族节日（古尔邦节）" in step for step in moved.steps)

    result = services.holidays.mark_year(2026, ETHNIC, "新政办发〔2026〕1号")
    assert result.verified == 1 and _trial(services, case_id).verified

    (setting,) = _audits(services, "setting")
    assert setting.actor == "测试员"
    assert json.loads(setting.changes) == {"value": ["不计入", "计入"]}
    assert services.holidays.set_ethnic_enabled(True).message == "没有修改。"

    result = services.holidays.set_ethnic_enabled(False)
    assert result.moved == 1 and _trial(services, case_id).due == "2026-05-27"


def test_a_failed_recompute_leaves_nothing_behind(services, case_2027, monkeypatch):  # type: ignore[no-untyped-def]
    import casedesk.services.recalc as recalc

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk gone")

    monkeypatch.setattr(recalc, "recompute", boom)
    with pytest.raises(RuntimeError):
        services.holidays.set_day(date(2027, 5, 1), HOLIDAY, "劳动节")
    with services.db.session() as s:
        assert s.scalars(select(HolidayDay)).all() == []
    assert _audits(services, "holiday") == []
