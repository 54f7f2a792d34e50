"""The period engine, table by table (law.md §4; DESIGN.md "Period counting").

Every expected date below was worked out by hand from the rule cited in its row and from the
State Council's holiday notices for 2025 and 2026 (国办发明电〔2024〕12号, 国办发明电〔2025〕7号),
not by running the engine. Each row carries its legal source in ``law``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from casedesk.domain.holidays import packaged_days, packaged_years
from casedesk.domain.periods import (
    DAYS,
    HOURS,
    MONTHS,
    WORKDAYS,
    YEARS,
    Period,
    PeriodError,
    Suspension,
    add_months,
    compute_due,
)
from casedesk.domain.work_calendar import (
    ETHNIC,
    HOLIDAY,
    MAKEUP_WORKDAY,
    SpecialDay,
    WorkCalendar,
)

#: The calendar CaseDesk ships: chinesecalendar's copy of the State Council's notices.
CAL = WorkCalendar.build(packaged_days(), packaged_years())

CJK = re.compile(r"[\u4e00-\u9fff]")


def d(text: str) -> date:
    return date.fromisoformat(text)


def span(first: str, last: str) -> list[date]:
    start, end = d(first), d(last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# -- the holiday data itself: the 2025 and 2026 notices ----------------------------------------

#: (year, holiday name(s), first day off, last day off) as the notices publish them.
NOTICE_HOLIDAYS = {
    # 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）
    2025: [
        (("元旦",), "2025-01-01", "2025-01-01"),
        (("春节",), "2025-01-28", "2025-02-04"),
        (("清明节",), "2025-04-04", "2025-04-06"),
        (("劳动节",), "2025-05-01", "2025-05-05"),
        (("端午节",), "2025-05-31", "2025-06-02"),
        # 国庆节、中秋节：10月1日至8日（中秋 10月6日 falls inside the week）
        (("国庆节", "中秋节"), "2025-10-01", "2025-10-08"),
    ],
    # 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）
    2026: [
        (("元旦",), "2026-01-01", "2026-01-03"),
        (("春节",), "2026-02-15", "2026-02-23"),
        (("清明节",), "2026-04-04", "2026-04-06"),
        (("劳动节",), "2026-05-01", "2026-05-05"),
        (("端午节",), "2026-06-19", "2026-06-21"),
        (("中秋节",), "2026-09-25", "2026-09-27"),
        (("国庆节",), "2026-10-01", "2026-10-07"),
    ],
}

#: 调休上班: weekend days that are worked.
NOTICE_MAKEUP_DAYS = {
    2025: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    2026: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_packaged_calendar_matches_the_state_council_notice(year: int) -> None:
    """《全国年节及纪念日放假办法》(2024修订) + the year's notice (law.md §4.3)."""
    assert CAL.has_year(year)
    expected_off: dict[date, tuple[str, ...]] = {}
    for names, first, last in NOTICE_HOLIDAYS[year]:
        for day in span(first, last):
            expected_off[day] = names
    packaged_off = {s.day for s in packaged_days() if s.day.year == year and s.kind == HOLIDAY}
    assert packaged_off == set(expected_off)
    for day, names in expected_off.items():
        assert not CAL.is_workday(day), day
        assert CAL.special(day).name in names, day  # type: ignore[union-attr]
    packaged_makeup = {
        s.day for s in packaged_days() if s.day.year == year and s.kind == MAKEUP_WORKDAY
    }
    assert packaged_makeup == {d(x) for x in NOTICE_MAKEUP_DAYS[year]}
    for text in NOTICE_MAKEUP_DAYS[year]:
        assert d(text).weekday() >= 5 and CAL.is_workday(d(text)), text


# -- Period.parse ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "amount", "unit", "shown"),
    [
        # 民诉法 第85条第1款: 期间以时、日、月、年计算; 刑诉法 第105条第1款: 时、日、月
        ("3d", 3, DAYS, "3日"),
        ("3日", 3, DAYS, "3日"),
        ("3天", 3, DAYS, "3日"),
        (" 7 d ", 7, DAYS, "7日"),
        ("2m", 2, MONTHS, "2个月"),
        ("2个月", 2, MONTHS, "2个月"),
        ("6月", 6, MONTHS, "6个月"),
        ("1y", 1, YEARS, "1年"),
        ("3年", 3, YEARS, "3年"),
        ("12h", 12, HOURS, "12小时"),
        ("24小时", 24, HOURS, "24小时"),
        # 失信规定 第10条 三个工作日; 行政许可法 第82条 (working days by analogy)
        ("3wd", 3, WORKDAYS, "3个工作日"),
        ("15个工作日", 15, WORKDAYS, "15个工作日"),
        ("15工作日", 15, WORKDAYS, "15个工作日"),
    ],
)
def test_period_parse(spec: str, amount: int, unit: str, shown: str) -> None:
    period = Period.parse(spec)
    assert (period.amount, period.unit) == (amount, unit)
    assert str(period) == shown
    assert Period.parse(period.spec) == period


@pytest.mark.parametrize(
    "spec", ["", "3", "d", "3x", "3 weeks", "1.5m", "-1d", "3dd", "三日", "半个月", "3d3d"]
)
def test_period_parse_rejects_bad_specs_in_chinese(spec: str) -> None:
    with pytest.raises(PeriodError) as error:
        Period.parse(spec)
    assert CJK.search(str(error.value))
    assert "3d" in str(error.value)  # the message shows what a period looks like


def test_period_of_zero_is_refused() -> None:
    with pytest.raises(PeriodError, match="期间应大于0"):
        Period.parse("0d")


def test_period_error_is_a_value_error() -> None:
    assert issubclass(PeriodError, ValueError)


# -- calendar-day periods and the holiday roll-forward -----------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    law: str
    start: str
    spec: str
    due: str
    custody: bool = False
    criminal: bool = False
    roll_forward: bool = True


def params(cases: list[Case]) -> list:
    return [pytest.param(c, id=c.id) for c in cases]


def run(case: Case):  # type: ignore[no-untyped-def]
    return compute_due(
        d(case.start),
        Period.parse(case.spec),
        CAL,
        custody=case.custody,
        criminal=case.criminal,
        roll_forward=case.roll_forward,
    )


DAY_CASES = [
    # The issue's example: 3 Oct 2026 is 国庆节, 10/1–10/7 off, 8 Oct (Thu) is worked.
    Case("issue-3d-from-sep30-rolls-past-national-day", "民诉法 第85条第3款；刑诉法 第105条第3款",
         "2026-09-30", "3d", "2026-10-08"),
    # ... but a custody period ends on its last day: "不得因节假日而延长".
    Case("issue-3d-custody-ends-on-oct3", "刑诉法 第105条第4款",
         "2026-09-30", "3d", "2026-10-03", custody=True),
    # The trigger day is not counted: 2 Mar (Mon) + 3 → 5 Mar (Thu).
    Case("trigger-day-not-counted", "民诉法 第85条第2款；刑诉法 第105条第2款；民诉法解释 第125条",
         "2026-03-02", "3d", "2026-03-05"),
    # Holidays inside a period are counted; only the last day matters: 28 Sep + 15 → 13 Oct.
    Case("holidays-inside-are-counted", "民诉法 第85条第3款（仅最后一日顺延）",
         "2026-09-28", "15d", "2026-10-13"),
    Case("10d-ending-in-national-week", "民诉法 第85条第3款",
         "2026-09-25", "10d", "2026-10-08"),
    # 春节 2025: 1/28–2/4 off; 31 Jan is inside, 5 Feb (Wed) the first working day.
    Case("spring-2025-last-day-inside-rolls", "民诉法 第85条第3款",
         "2025-01-24", "7d", "2025-02-05"),
    Case("spring-2025-custody-not-rolled", "刑诉法 第105条第4款",
         "2025-01-24", "7d", "2025-01-31", custody=True),
    # 春节 2026: 2/15–2/23 off; 17 Feb is inside, 24 Feb (Tue) the first working day.
    Case("spring-2026-last-day-inside-rolls", "民诉法 第85条第3款；刑诉法 第105条第3款",
         "2026-02-10", "7d", "2026-02-24", criminal=True),
    Case("spring-2026-custody-not-rolled", "刑诉法 第105条第4款",
         "2026-02-10", "7d", "2026-02-17", custody=True),
    # Ordinary weekends: 休息日 roll to Monday.
    Case("ordinary-saturday-to-monday", "民诉法 第85条第3款（休息日）",
         "2026-03-04", "3d", "2026-03-09"),
    Case("ordinary-sunday-to-monday", "民诉法 第85条第3款（休息日）",
         "2026-03-05", "3d", "2026-03-09"),
    Case("ordinary-sunday-custody-kept", "刑诉法 第91条第3款；第105条第4款",
         "2026-03-01", "7d", "2026-03-08", custody=True),
    # 调休上班 weekend days are working days: a last day on one is not moved.
    Case("makeup-saturday-2026-02-28-kept", "民诉法 第85条第3款；2026年放假通知（2月28日上班）",
         "2026-02-25", "3d", "2026-02-28"),
    Case("makeup-saturday-2025-02-08-kept", "民诉法 第85条第3款；2025年放假通知（2月8日上班）",
         "2025-02-05", "3d", "2025-02-08"),
    Case("makeup-saturday-2025-10-11-kept", "民诉法 第85条第3款；2025年放假通知（10月11日上班）",
         "2025-10-08", "3d", "2025-10-11"),
    Case("makeup-sunday-2025-04-27-kept", "民诉法 第85条第3款；2025年放假通知（4月27日上班）",
         "2025-04-24", "3d", "2025-04-27"),
    Case("makeup-saturday-2026-05-09-kept", "民诉法 第85条第3款；2026年放假通知（5月9日上班）",
         "2026-05-06", "3d", "2026-05-09"),
    Case("makeup-sunday-2026-09-20-kept", "民诉法 第85条第3款；2026年放假通知（9月20日上班）",
         "2026-09-17", "3d", "2026-09-20"),
    # Rolling forward can land on a make-up Sunday: 元旦 2026 is 1/1–1/3, 4 Jan (Sun) worked.
    Case("new-year-2026-rolls-onto-makeup-sunday", "民诉法 第85条第3款；2026年放假通知",
         "2025-12-29", "3d", "2026-01-04"),
    Case("labour-day-2025", "民诉法 第85条第3款；2025年放假通知（5月1日至5日）",
         "2025-04-28", "3d", "2025-05-06"),
    Case("labour-day-2026", "民诉法 第85条第3款；2026年放假通知（5月1日至5日）",
         "2026-04-28", "3d", "2026-05-06"),
    Case("mid-autumn-2026", "民诉法 第85条第3款；2026年放假通知（9月25日至27日）",
         "2026-09-22", "3d", "2026-09-28"),
    Case("mid-autumn-inside-national-week-2025",
         "民诉法 第85条第3款；2025年放假通知（10月1日至8日）", "2025-10-03", "3d", "2025-10-09"),
    # A term that lapses by itself keeps its last day (roll_forward False).
    Case("no-roll-forward-keeps-holiday", "民诉法解释 第485条；查扣冻规定 第27条（到期自动失效）",
         "2026-09-30", "3d", "2026-10-03", roll_forward=False),
]  # fmt: skip


@pytest.mark.parametrize("case", params(DAY_CASES))
def test_calendar_day_periods(case: Case) -> None:
    due = run(case)
    assert due.day == d(case.due), case.law
    assert due.at is None
    assert due.verified and due.warnings == []
    assert due.text() == case.due


# -- working-day periods ---------------------------------------------------------------------

WORKDAY_CASES = [
    # 10/1–10/7 off, 10/8 Thu (1), 10/9 Fri (2), 10/10 Sat 调休上班 (3).
    Case("national-2026-ends-on-makeup-saturday",
         "失信规定 第10条（三个工作日）；law.md §4.2 第4项", "2026-09-30", "3wd", "2026-10-10"),
    # 9/27 Sat off, 9/28 Sun 调休 (1), 9/29 (2), 9/30 (3), 10/1–10/8 off, 10/9 (4), 10/10 (5).
    Case("national-2025-counts-makeup-sunday-before",
         "law.md §4.2 第4项；行政许可法 第82条（类推）", "2025-09-26", "5wd", "2025-10-10"),
    # 10/1–10/8 off, 10/9 (1), 10/10 (2), 10/11 Sat 调休 (3).
    Case("national-2025-ends-on-makeup-saturday", "失信规定 第10条；law.md §4.2 第4项",
         "2025-09-30", "3wd", "2025-10-11"),
    # 9/20 Sun 调休 (1), 9/21–9/24 (2–5), 中秋 9/25–27, 9/28–9/30 (6–8), 国庆, 10/8 (9), 10/9 (10).
    Case("mid-autumn-and-national-2026", "law.md §4.2 第4项；2026年放假通知",
         "2026-09-18", "10wd", "2026-10-09"),
    # 2/13 Fri (1), 2/14 Sat 调休 (2), 2/15–2/23 off, 2/24 Tue (3).
    Case("spring-2026", "law.md §4.2 第4项；2026年放假通知",
         "2026-02-12", "3wd", "2026-02-24"),
    # 1/25 Sat off, 1/26 Sun 调休 (1), 1/27 (2), 1/28–2/4 off, 2/5 Wed (3).
    Case("spring-2025", "law.md §4.2 第4项；2025年放假通知",
         "2025-01-24", "3wd", "2025-02-05"),
    Case("ordinary-weekend", "law.md §4.2 第4项", "2026-03-06", "3wd", "2026-03-11"),
]  # fmt: skip


@pytest.mark.parametrize("case", params(WORKDAY_CASES))
def test_working_day_periods(case: Case) -> None:
    due = run(case)
    assert due.day == d(case.due), case.law
    assert CAL.is_workday(due.day)
    assert due.verified


def test_working_days_explain_skipped_holidays_and_makeup_days() -> None:
    # law.md §4.2 第4项: skip holidays, count 调休上班; the explanation names both.
    due = compute_due(d("2026-09-30"), Period.parse("3wd"), CAL)
    assert "其间不计非工作日 7 日：10月1日—10月7日（国庆节）" in due.steps
    assert "调休上班日计入工作日：10月10日" in due.steps


def test_working_days_name_every_holiday_of_a_mixed_span() -> None:
    # 2025: 9/27 Sat off; 10/1–10/8 are 国庆节 with 中秋节 on 10/6.
    due = compute_due(d("2025-09-26"), Period.parse("5wd"), CAL)
    assert (
        "其间不计非工作日 9 日：9月27日（休息日）、10月1日—10月8日（国庆节、中秋节）" in due.steps
    )
    assert "调休上班日计入工作日：9月28日" in due.steps
    # 2024: Sat 8 and Sun 9 June are ordinary rest days, 10 June is 端午节: name it too.
    due = compute_due(d("2024-06-07"), Period.parse("1wd"), CAL)
    assert due.day == d("2024-06-11")
    assert "其间不计非工作日 3 日：6月8日—6月10日（休息日、端午节）" in due.steps


# -- months and years ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "civil", "criminal", "law"),
    [
        ("2025-01-31", 1, "2025-02-28", "2025-02-28",
         "民法典 第202条；刑诉法解释 第202条（无对应日→月末）"),
        ("2024-01-31", 1, "2024-02-29", "2024-02-29", "同上，闰年 2024"),
        ("2025-03-31", 1, "2025-04-30", "2025-04-30", "同上"),
        ("2026-01-30", 1, "2026-02-28", "2026-02-28", "同上"),
        ("2025-02-28", 1, "2025-03-28", "2025-03-31",
         "民法典 第202条（对应日）；刑诉法解释 第202条（月末→月末）"),
        ("2024-02-29", 1, "2024-03-29", "2024-03-31", "同上，闰年月末"),
        ("2024-02-28", 1, "2024-03-28", "2024-03-28", "2024年2月28日不是月末"),
        ("2026-04-30", 1, "2026-05-30", "2026-05-31", "民法典 第202条；刑诉法解释 第202条"),
        ("2025-11-30", 3, "2026-02-28", "2026-02-28", "跨年，无对应日→月末"),
        ("2025-12-15", 2, "2026-02-15", "2026-02-15", "跨年，对应日"),
        ("2025-08-31", 6, "2026-02-28", "2026-02-28", "民诉法 第152条 六个月"),
        ("2024-02-29", 12, "2025-02-28", "2025-02-28", "一年 = 十二个月，自闰日起"),
        ("2023-02-28", 12, "2024-02-28", "2024-02-29", "刑诉法解释 第202条：月末→闰年月末"),
        ("2026-01-15", 7, "2026-08-15", "2026-08-15", "刑诉法 第156–159条 合计七个月"),
    ],
)  # fmt: skip
def test_add_months(start: str, months: int, civil: str, criminal: str, law: str) -> None:
    assert add_months(d(start), months) == d(civil), law
    assert add_months(d(start), months, criminal=True) == d(criminal), law


MONTH_CASES = [
    # 31 Jan + 1 month → 28 Feb 2026, a Saturday worked under the 2026 notice: not moved.
    Case("jan31-to-feb28-makeup-saturday-kept", "民法典 第202条；民诉法 第85条第3款",
         "2026-01-31", "1m", "2026-02-28"),
    Case("jan31-leap-year-to-feb29", "民法典 第202条", "2024-01-31", "1m", "2024-02-29"),
    Case("mar31-to-apr30", "民法典 第202条", "2026-03-31", "1m", "2026-04-30"),
    Case("mar31-to-apr30-criminal", "刑诉法解释 第202条", "2026-03-31", "1m", "2026-04-30",
         criminal=True),
    Case("feb28-civil-corresponding-day", "民法典 第202条", "2025-02-28", "1m", "2025-03-28"),
    Case("feb28-criminal-month-end", "刑诉法解释 第202条", "2025-02-28", "1m", "2025-03-31",
         criminal=True),
    Case("feb28-custody-counts-as-criminal", "刑诉法解释 第202条；刑诉法 第105条第4款",
         "2025-02-28", "1m", "2025-03-31", custody=True),
    Case("year-from-feb29-2024", "民法典 第202条（无对应日→月末）",
         "2024-02-29", "1y", "2025-02-28"),
    Case("year-from-feb28-2023-criminal", "刑诉法解释 第202条", "2023-02-28", "1y", "2024-02-29",
         criminal=True),
    Case("3m-ending-on-makeup-saturday", "民诉法 第164条；2026年放假通知（2月28日上班）",
         "2025-11-28", "3m", "2026-02-28"),
    # 1 Mar + 2 months = 1 May 2026, 劳动节: rolled unless in custody.
    Case("2m-ending-on-labour-day-rolled", "刑诉法 第105条第3款", "2026-03-01", "2m",
         "2026-05-06", criminal=True),
    Case("2m-ending-on-labour-day-custody", "刑诉法 第156条；第105条第4款", "2026-03-01", "2m",
         "2026-05-01", custody=True),
]  # fmt: skip


@pytest.mark.parametrize("case", params(MONTH_CASES))
def test_month_and_year_periods(case: Case) -> None:
    due = run(case)
    assert due.day == d(case.due), case.law
    assert due.verified


def test_criminal_month_end_rule_is_explained() -> None:
    due = compute_due(d("2025-02-28"), Period.parse("1m"), CAL, criminal=True)
    assert any("刑诉法解释第202条" in step for step in due.steps)
    civil = compute_due(d("2025-02-28"), Period.parse("1m"), CAL)
    assert not any("第202条" in step for step in civil.steps)


# -- hours ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "spec", "end", "law"),
    [
        # 刑诉法 第119条 拘传 12 h; counted from the next whole hour (民诉法解释 第125条).
        ("2026-03-01T10:25", "12h", "2026-03-01T23:00", "刑诉法 第119条；民诉法解释 第125条"),
        ("2026-03-01T10:00", "12h", "2026-03-01T23:00", "民诉法解释 第125条（从次时起算）"),
        # 特别重大、复杂: 24 h, across midnight.
        ("2026-03-01T10:25", "24h", "2026-03-02T11:00", "刑诉法 第119条"),
        ("2026-03-01T23:59", "12h", "2026-03-02T12:00", "民诉法解释 第125条"),
        # 诉前保全 48 h: an hour period is not moved off a holiday (only a last *day* is).
        ("2026-09-30T16:40", "48h", "2026-10-02T17:00", "民诉法 第104条；民诉法 第85条第3款"),
    ],
)
def test_hour_periods(start: str, spec: str, end: str, law: str) -> None:
    due = compute_due(datetime.fromisoformat(start), Period.parse(spec), CAL)
    assert due.at == datetime.fromisoformat(end), law
    assert due.day == due.at.date()
    assert due.text() == end.replace("T", " ")
    assert "次时" in due.steps[0]


def test_hours_need_a_time_of_day() -> None:
    with pytest.raises(PeriodError, match="起算的时刻"):
        compute_due(d("2026-03-01"), Period.parse("12h"), CAL)


def test_hours_extend_only_by_hours() -> None:
    start = datetime(2026, 3, 1, 10, 25)
    due = compute_due(start, Period.parse("12h"), CAL, extensions=[Period.parse("12h")])
    assert due.at == datetime(2026, 3, 2, 11, 0)
    with pytest.raises(PeriodError, match="只能按小时延长"):
        compute_due(start, Period.parse("12h"), CAL, extensions=[Period.parse("1d")])
    with pytest.raises(PeriodError, match="按日扣除"):
        compute_due(start, Period.parse("12h"), CAL, suspensions=[Suspension(2, "鉴定")])


def test_day_period_cannot_be_extended_by_hours() -> None:
    with pytest.raises(PeriodError, match="小时"):
        compute_due(d("2026-03-01"), Period.parse("3d"), CAL, extensions=[Period.parse("12h")])


def test_a_time_of_day_on_a_day_period_counts_from_the_next_day() -> None:
    due = compute_due(datetime(2026, 9, 30, 15, 0), Period.parse("3d"), CAL)
    assert (due.day, due.at) == (d("2026-10-08"), None)


# -- extensions ---------------------------------------------------------------------------------

CUSTODY_EXTENSIONS = [Period.parse(s) for s in ("1m", "2m", "2m")]  # 第156、158、159条


@pytest.mark.parametrize(
    ("arrested", "extensions", "due"),
    [
        # 15 Jan + 2 months = 15 Mar (Sun: custody, kept).
        ("2026-01-15", 0, "2026-03-15"),
        ("2026-01-15", 1, "2026-04-15"),
        ("2026-01-15", 2, "2026-06-15"),
        # 2 + 1 + 2 + 2 = 7 months → 15 Aug 2026, a Saturday: custody, kept.
        ("2026-01-15", 3, "2026-08-15"),
        # From a month's last day every step ends on a month's last day (刑诉法解释 第202条):
        # 31 Jan → 31 Mar → 30 Apr → 30 Jun → 31 Aug, the same as 7 months from 31 Jan.
        ("2026-01-31", 3, "2026-08-31"),
        # 3 Mar + 7 months = 3 Oct 2026, 国庆节: custody ends that day all the same.
        ("2026-03-03", 3, "2026-10-03"),
    ],
)
def test_custody_extensions_chain_to_seven_months(arrested: str, extensions: int, due: str) -> None:
    """刑诉法 第156条 (2m, +1m), 第158条 (+2m), 第159条 (+2m); 第105条第4款 at the end."""
    result = compute_due(
        d(arrested),
        Period.parse("2m"),
        CAL,
        custody=True,
        extensions=CUSTODY_EXTENSIONS[:extensions],
    )
    assert result.day == d(due)
    if extensions == 3:
        assert result.day == add_months(d(arrested), 7, criminal=True)
        assert sum(1 for s in result.steps if s.startswith("延长 ")) == 3


def test_custody_exception_applies_after_the_last_extension() -> None:
    # 刑诉法 第105条第4款: only the final last day matters, and in custody it is never moved.
    custody = compute_due(
        d("2026-03-03"), Period.parse("2m"), CAL, custody=True, extensions=CUSTODY_EXTENSIONS
    )
    assert custody.day == d("2026-10-03")
    assert "羁押期限不因节假日延长（刑诉法第105条第4款）" in custody.steps[-1]
    assert "国庆节" in custody.steps[-1]
    # Without custody (e.g. 取保候审 in the same case) the same end rolls to 8 Oct.
    free = compute_due(
        d("2026-03-03"), Period.parse("2m"), CAL, criminal=True, extensions=CUSTODY_EXTENSIONS
    )
    assert free.day == d("2026-10-08")


def test_extension_counts_from_the_unrolled_last_day() -> None:
    # 刑诉法 第172条第1款: 审查起诉 1 month, +15 days. 10 Mar + 1m = 10 Apr (Fri);
    # + 15 days = 25 Apr (Sat) → 27 Apr (Mon), not in custody.
    due = compute_due(
        d("2026-03-10"), Period.parse("1m"), CAL, criminal=True, extensions=[Period.parse("15d")]
    )
    assert due.day == d("2026-04-27")
    # 拘留 3 days + 4 days (刑诉法 第91条): 27 Sep → 30 Sep → 4 Oct (Sun, 国庆节), in custody.
    due = compute_due(
        d("2026-09-27"), Period.parse("3d"), CAL, custody=True, extensions=[Period.parse("4d")]
    )
    assert due.day == d("2026-10-04")


def test_civil_extension_six_plus_six_months() -> None:
    # 民诉法 第152条: 6 months from 立案, +6 months with the president's approval.
    due = compute_due(d("2025-03-10"), Period.parse("6m"), CAL, extensions=[Period.parse("6m")])
    assert due.day == d("2026-03-10")


# -- suspensions (审限扣除) ----------------------------------------------------------------------


def test_suspension_moves_the_last_day() -> None:
    # 民诉法 第152条 6 months from 2 Mar 2026 → 2 Sep (Wed); 鉴定 20 days not counted
    # (民诉法解释 第243条) → 22 Sep (Tue).
    base = compute_due(d("2026-03-02"), Period.parse("6m"), CAL)
    assert base.day == d("2026-09-02")
    due = compute_due(
        d("2026-03-02"), Period.parse("6m"), CAL, suspensions=[Suspension(20, "鉴定期间")]
    )
    assert due.day == d("2026-09-22")
    assert "扣除鉴定期间 20 日：2026-09-02 → 2026-09-22" in due.steps


def test_suspensions_add_up() -> None:
    # 民诉法解释 第243条: 公告 30 days + 鉴定 15 days = 45: 2 Sep + 45 = 17 Oct (Sat) → 19 Oct.
    due = compute_due(
        d("2026-03-02"),
        Period.parse("6m"),
        CAL,
        suspensions=[Suspension(30, "公告期间"), Suspension(15, "鉴定期间")],
    )
    assert due.day == d("2026-10-19")


def test_suspension_onto_a_holiday_is_rolled() -> None:
    # 民诉法解释 第243条 + 民诉法 第85条第3款: 2 Sep + 公告 30 days = 2 Oct (国庆节) → 8 Oct.
    due = compute_due(
        d("2026-03-02"), Period.parse("6m"), CAL, suspensions=[Suspension(30, "公告期间")]
    )
    assert due.day == d("2026-10-08")
    assert "顺延至 2026-10-08" in due.steps[-1]
    assert "国庆节" in due.steps[-1]


def test_suspension_in_custody_is_not_rolled() -> None:
    # 刑诉法 第149条: 精神病鉴定 not counted. 15 Jan + 2m = 15 Mar; + 48 days = 2 May
    # (劳动节): a custody period still ends on it (第105条第4款).
    due = compute_due(
        d("2026-01-15"),
        Period.parse("2m"),
        CAL,
        custody=True,
        suspensions=[Suspension(48, "精神病鉴定期间")],
    )
    assert due.day == d("2026-05-02")


def test_zero_day_suspension_changes_nothing() -> None:
    due = compute_due(d("2026-03-02"), Period.parse("6m"), CAL, suspensions=[Suspension(0, "公告")])
    assert due.day == d("2026-09-02")
    assert not any("扣除" in s for s in due.steps)


# -- terms that do not roll forward ------------------------------------------------------------


def test_freeze_term_ends_on_a_holiday_without_rolling() -> None:
    # 民诉法解释 第485条: 冻结银行存款 ≤ 1 year; lapses by itself (查扣冻规定 第27条).
    kept = compute_due(d("2025-10-01"), Period.parse("1y"), CAL, roll_forward=False)
    assert kept.day == d("2026-10-01")
    assert "本期限不顺延" in kept.steps[-1]
    rolled = compute_due(d("2025-10-01"), Period.parse("1y"), CAL)
    assert rolled.day == d("2026-10-08")


# -- restarts ---------------------------------------------------------------------------------


def test_restart_after_supplementary_investigation_gives_a_fresh_period() -> None:
    """刑诉法 第175条第3款: after 退回补充侦查 the 审查起诉 period restarts; the caller passes
    the day the case comes back, and the engine counts a whole new period from it."""
    review, back = Period.parse("1m"), Period.parse("1m")  # 第172条 / 第175条第3款
    received = compute_due(d("2026-03-10"), review, CAL, criminal=True)
    assert received.day == d("2026-04-10")
    # Returned on 25 Mar: 补充侦查 within 1 month → 25 Apr (Sat) → 27 Apr (Mon).
    returned = compute_due(d("2026-03-25"), back, CAL, criminal=True)
    assert returned.day == d("2026-04-27")
    # Sent back on 20 Apr: a full month again → 20 May (Wed). Not the 16 days that were
    # left (which would end on 6 May), and not the old 10 Apr.
    restarted = compute_due(d("2026-04-20"), review, CAL, criminal=True)
    assert restarted.day == d("2026-05-20")
    assert restarted.steps[0].startswith("自 2026-04-20 的次日起计算 1个月")


def test_restart_after_change_of_jurisdiction() -> None:
    # 刑诉法 第172条第2款 / 第208条第2款: counted from the day the new organ receives the case.
    due = compute_due(d("2026-06-22"), Period.parse("2m"), CAL, criminal=True)
    assert due.day == d("2026-08-24")  # 22 Aug is a Saturday


# -- a year without holiday data --------------------------------------------------------------


def calendar_for(years: set[int]) -> WorkCalendar:
    """The packaged calendar cut down to ``years``: what a machine without later notices has."""
    return WorkCalendar.build([s for s in packaged_days() if s.day.year in years], years)


def test_period_ending_in_a_year_without_data_is_unverified() -> None:
    # law.md §4.3, DESIGN.md rule 5: never silently weekends-only.
    cal = calendar_for({2026})
    due = compute_due(d("2026-06-15"), Period.parse("1y"), cal)
    assert due.day == d("2027-06-15")  # a Tuesday; a date is still given
    assert not due.verified
    assert len(due.warnings) == 1
    assert "2027年" in due.warnings[0] and "节假日" in due.warnings[0]


def test_known_years_are_verified() -> None:
    due = compute_due(d("2026-06-15"), Period.parse("3m"), calendar_for({2026}))
    assert due.verified and due.warnings == []


def test_roll_forward_into_a_year_without_data_is_unverified() -> None:
    # 30 Dec 2028 is a Saturday, 31 Dec a Sunday: the next working day is in 2029.
    cal = WorkCalendar.build([], {2028})
    due = compute_due(d("2028-12-27"), Period.parse("3d"), cal)
    assert due.day == d("2029-01-01")
    assert not due.verified
    assert len(due.warnings) == 1 and "2029年" in due.warnings[0]


def test_missing_year_treats_weekends_only_but_says_so() -> None:
    # Only 2025 known: 2 Jan 2026 (really 元旦) is taken as an ordinary Friday, with a warning.
    cal = calendar_for({2025})
    due = compute_due(d("2025-12-30"), Period.parse("3d"), cal)
    assert due.day == d("2026-01-02")
    assert not due.verified and "2026年" in due.warnings[0]


def test_working_days_through_a_year_without_data() -> None:
    # 31 Dec 2026 (1), 1 Jan 2027 (2, unknown), 4, 5, 6 Jan (3–5).
    due = compute_due(d("2026-12-30"), Period.parse("5wd"), calendar_for({2026}))
    assert due.day == d("2027-01-06")
    assert [w[:5] for w in due.warnings] == ["2027年"]


def test_custody_in_a_year_without_data_still_warns() -> None:
    due = compute_due(d("2027-01-01"), Period.parse("2m"), calendar_for({2026}), custody=True)
    assert due.day == d("2027-03-01")
    assert not due.verified


def test_packaged_calendar_knows_2025_and_2026() -> None:
    assert {2024, 2025, 2026} <= packaged_years()


# -- ethnic holidays (law.md §4.3, [L]) ----------------------------------------------------------

RUZI = SpecialDay(d("2026-03-20"), HOLIDAY, "肉孜节", ETHNIC)  # a Friday


def ethnic_calendar(enabled: bool, ethnic_years: tuple[int, ...] = (2026,)) -> WorkCalendar:
    return WorkCalendar.build([*packaged_days(), RUZI], packaged_years(), ethnic_years, enabled)


def test_ethnic_holiday_counts_only_when_switched_on() -> None:
    off = ethnic_calendar(enabled=False)
    assert off.is_workday(RUZI.day) and off.special(RUZI.day) is None
    assert compute_due(d("2026-03-17"), Period.parse("3d"), off).day == d("2026-03-20")
    on = ethnic_calendar(enabled=True)
    assert not on.is_workday(RUZI.day)
    due = compute_due(d("2026-03-17"), Period.parse("3d"), on)
    assert due.day == d("2026-03-23")  # Fri holiday, then the weekend
    assert "少数民族节日（肉孜节）" in due.steps[-1]
    assert due.verified


def test_ethnic_holiday_in_working_days() -> None:
    start, spec = d("2026-03-19"), Period.parse("2wd")
    assert compute_due(start, spec, ethnic_calendar(enabled=False)).day == d("2026-03-23")
    assert compute_due(start, spec, ethnic_calendar(enabled=True)).day == d("2026-03-24")


def test_ethnic_year_is_needed_only_when_switched_on() -> None:
    assert ethnic_calendar(enabled=False, ethnic_years=()).has_year(2026)
    assert not ethnic_calendar(enabled=True, ethnic_years=()).has_year(2026)
    assert ethnic_calendar(enabled=True).has_year(2026)
    due = compute_due(d("2026-03-02"), Period.parse("3d"), ethnic_calendar(True, ()))
    assert due.day == d("2026-03-05")
    assert not due.verified and "2026年" in due.warnings[0]


# -- the explanation --------------------------------------------------------------------------


def test_steps_of_the_issue_example() -> None:
    due = compute_due(d("2026-09-30"), Period.parse("3d"), CAL)
    assert due.steps == [
        "自 2026-09-30 的次日起计算 3日，期间届满日为 2026-10-03",
        "最后一日 2026-10-03 为法定节假日（国庆节），顺延至 2026-10-08",
    ]


def test_steps_name_the_holiday_and_the_rest_day() -> None:
    spring = compute_due(d("2026-02-10"), Period.parse("7d"), CAL)
    assert "法定节假日（春节），顺延至 2026-02-24" in spring.steps[-1]
    saturday = compute_due(d("2026-03-04"), Period.parse("3d"), CAL)
    assert "休息日（星期六），顺延至 2026-03-09" in saturday.steps[-1]
    mid_autumn = compute_due(d("2025-10-03"), Period.parse("3d"), CAL)
    assert "法定节假日（中秋节），顺延至 2025-10-09" in mid_autumn.steps[-1]


def test_steps_of_a_makeup_day_say_nothing_about_rolling() -> None:
    due = compute_due(d("2026-02-25"), Period.parse("3d"), CAL)
    assert due.steps == ["自 2026-02-25 的次日起计算 3日，期间届满日为 2026-02-28"]


# -- inputs that are not periods --------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "spec", "suspend"),
    [
        (date(2026, 9, 30), "99999y", 0),
        (date(9999, 12, 30), "3d", 0),
        (date(2026, 9, 30), "3d", 10**12),
        (datetime(2026, 9, 30, 10, 25), "99999999h", 0),
    ],
)
def test_out_of_range_dates_are_period_errors(start: date, spec: str, suspend: int) -> None:
    suspensions = [Suspension(suspend, "期间")] if suspend else []
    with pytest.raises(PeriodError, match="超出") as error:
        compute_due(start, Period.parse(spec), CAL, suspensions=suspensions)
    assert CJK.search(str(error.value))


@pytest.mark.parametrize(
    ("start", "rule_args", "expected"),
    [
        # 刑诉法 第156、158、159条: 2 + 1 + 2 + 2 = 7 months of custody at most. Chaining each
        # extension from the previous last day would reach 2026-08-31 (04-30 is a month end);
        # counting the 7 months from the start gives 08-30 — never a day more in custody.
        pytest.param(date(2026, 1, 30), ("2m", ["1m", "2m", "2m"], True), date(2026, 8, 30),
                     id="custody-7-months-from-start-xingsufa-156-159"),
        # 民诉法 第152条: 6 + 6 months from 立案, counted together (民法典 第202条).
        pytest.param(date(2025, 8, 31), ("6m", ["6m"], False), date(2026, 8, 31),
                     id="civil-12-months-from-start-minsufa-152"),
    ],
)  # fmt: skip
def test_month_extensions_count_from_the_start_in_total(
    start: date, rule_args: tuple, expected: date
) -> None:
    base, extensions, custody = rule_args
    due = compute_due(
        start,
        Period.parse(base),
        WorkCalendar.build(packaged_days(), packaged_years()),
        custody=custody,
        criminal=custody,
        extensions=[Period.parse(e) for e in extensions],
    )
    assert due.day == expected
    assert "自起算日累计" in due.steps[-1] or "自起算日累计" in due.steps[-2]


def test_missing_ethnic_year_names_the_ethnic_notice() -> None:
    """With ethnic holidays switched on, a year whose national notice is known but whose
    肉孜节/古尔邦节 dates are not (law.md §4.3) is unverified — and the warning says which
    notice is missing, not the State Council's."""
    cal = WorkCalendar.build(
        packaged_days(), packaged_years(), ethnic_years=(), ethnic_enabled=True
    )
    due = compute_due(date(2026, 3, 2), Period.parse("10d"), cal)
    assert not due.verified
    assert due.warnings == [
        "2026年的新疆少数民族节日（肉孜节、古尔邦节）尚未录入，计算结果未经核实，"
        "请管理员在“节假日”中按自治区人民政府的通知录入"
    ]
