"""Checks of an administrator's holiday entries (law.md §4.3): pure, with Chinese messages keyed
by the field they concern."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from datetime import date, timedelta

from casedesk.domain.errors import FieldErrors
from casedesk.domain.field_types import day_problem, text_problem
from casedesk.domain.work_calendar import ETHNIC, HOLIDAY, MAKEUP_WORKDAY, NATIONAL, WEEKDAY_NAMES

SCOPE_LABELS = {NATIONAL: "全国法定节假日", ETHNIC: "新疆少数民族节日"}
KIND_LABELS = {HOLIDAY: "放假", MAKEUP_WORKDAY: "调休上班"}
NAME_SUGGESTIONS = {
    NATIONAL: ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"),
    ETHNIC: ("肉孜节", "古尔邦节"),
}
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_SPAN_DAYS = 31
NAME_LIMIT, SOURCE_LIMIT = 40, 200
#: 《全国年节及纪念日放假办法》(2024修订): 13 statutory days; a notice lists at least these.
STATUTORY_DAYS = 13


def check_scope(scope: str) -> None:
    if not isinstance(scope, str) or scope not in SCOPE_LABELS:
        raise FieldErrors({"scope": "请选择范围：全国法定节假日或新疆少数民族节日"})


def _control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _year_error(year: int) -> str:
    if not isinstance(year, int) or isinstance(year, bool):
        return "年份应为整数"
    return "" if FIRST_YEAR <= year <= LAST_YEAR else f"年份应在{FIRST_YEAR}年至{LAST_YEAR}年之间"


def check_days(
    day: date | None,
    until: date | None,
    kind: str,
    name: str,
    scope: str,
    packaged_holidays: Collection[date] = (),
) -> list[date]:
    """The days an entry covers (``day`` through ``until``), or FieldErrors: a date and a name
    are required, the kind is 放假 or 调休上班, and a make-up working day is a Saturday or
    Sunday (a weekday is a working day already) — except on a weekday that the packaged data
    makes a holiday, which a working day recorded on the same date overrides."""
    check_scope(scope)
    errors: dict[str, str] = {}
    if why := day_problem(day):
        errors["day"] = f"日期{why}"
    elif day is None:
        errors["day"] = "请填写日期"
    elif message := _year_error(day.year):
        errors["day"] = message
    if why := day_problem(until):
        errors["until"] = f"结束日期{why}"
    elif day is not None and until is not None and "day" not in errors:
        if until < day:
            errors["until"] = "结束日期不能早于开始日期"
        elif (until - day).days >= MAX_SPAN_DAYS:
            errors["until"] = f"一次最多录入连续{MAX_SPAN_DAYS}日"
    if not isinstance(kind, str) or kind not in KIND_LABELS:
        errors["kind"] = "请选择类别：放假或调休上班"
    if why := text_problem(name):
        errors["name"] = f"名称{why}"
    elif not name:
        errors["name"] = f"请填写节日名称，如 {'古尔邦节' if scope == ETHNIC else '劳动节'}"
    elif len(name) > NAME_LIMIT:
        errors["name"] = f"名称最多{NAME_LIMIT}个字"
    elif _control(name):
        errors["name"] = "名称含有换行或不可见的控制字符"
    span: list[date] = []
    if day is not None and not errors.keys() & {"day", "until"}:
        span = [day + timedelta(days=n) for n in range(((until or day) - day).days + 1)]
        weekdays = [d for d in span if d.weekday() < 5 and d not in packaged_holidays]
        if kind == MAKEUP_WORKDAY and weekdays:
            d, weekday = weekdays[0], WEEKDAY_NAMES[weekdays[0].weekday()]
            errors["day"] = (
                f"调休上班日应为星期六或星期日：{d.isoformat()}是星期{weekday}，本来就是工作日"
            )
    if errors:
        raise FieldErrors(errors)
    return span


def check_mark(year: int, scope: str, source: str) -> None:
    """Marking a year complete needs a plausible year and the notice's 文号 or source."""
    check_scope(scope)
    errors: dict[str, str] = {}
    if message := _year_error(year):
        errors["year"] = message
    if why := text_problem(source):
        errors["source"] = f"文号或来源{why}"
    elif not source:
        errors["source"] = (
            "请填写放假通知的文号或来源，如 国办发明电〔2026〕×号"
            if scope == NATIONAL
            else "请填写自治区人民政府通知的文号或来源"
        )
    elif len(source) > SOURCE_LIMIT:
        errors["source"] = f"文号或来源最多{SOURCE_LIMIT}个字"
    elif _control(source):
        errors["source"] = "文号或来源含有换行或不可见的控制字符"
    if errors:
        raise FieldErrors(errors)
