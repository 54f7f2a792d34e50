"""The national holiday data CaseDesk ships with: the chinesecalendar package (the State
Council's notices as published, from 2004). An administrator adds later years in the app."""

from __future__ import annotations

from functools import cache

import chinese_calendar

from casedesk.domain.work_calendar import HOLIDAY, MAKEUP_WORKDAY, SpecialDay

#: chinesecalendar's English names → the names in the State Council's notice.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _name(holiday: object) -> str:
    value = getattr(holiday, "value", holiday)
    english = value[0] if isinstance(value, tuple) else str(value)
    return HOLIDAY_NAMES.get(english, english)


@cache
def packaged_days() -> tuple[SpecialDay, ...]:
    """Holidays and make-up working days of every year chinesecalendar knows."""
    days = [SpecialDay(d, HOLIDAY, _name(h)) for d, h in chinese_calendar.holidays.items()]
    days += [SpecialDay(d, MAKEUP_WORKDAY, _name(h)) for d, h in chinese_calendar.workdays.items()]
    return tuple(sorted(days, key=lambda s: s.day))


@cache
def packaged_years() -> frozenset[int]:
    """The years chinesecalendar has a notice for."""
    return frozenset(d.year for d in chinese_calendar.holidays)
