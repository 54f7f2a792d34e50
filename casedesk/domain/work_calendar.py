"""Which days are worked: the State Council's holiday notice for each year as data.

A day is off when it is a statutory holiday, or a Saturday or Sunday that is not a make-up
working day (调休上班). Xinjiang's ethnic holidays (肉孜节, 古尔邦节) are a separate class that
can be switched on (law.md §4.3). The calendar knows which years it has data for: a computation
touching another year still gets an answer (weekends only), but is marked unverified.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

HOLIDAY = "holiday"  # 法定节假日 (off)
MAKEUP_WORKDAY = "workday"  # 调休上班 (worked although a weekend)
NATIONAL = "national"
ETHNIC = "ethnic"  # 新疆少数民族节日 (自治区人民政府公布)

WEEKDAY_NAMES = "一二三四五六日"


@dataclass(frozen=True)
class SpecialDay:
    day: date
    kind: str  # HOLIDAY or MAKEUP_WORKDAY
    name: str  # 国庆节, 春节 …
    scope: str = NATIONAL  # NATIONAL or ETHNIC


@dataclass(frozen=True)
class WorkCalendar:
    """Special days by date, and the years whose holiday notice is known, per scope."""

    days: Mapping[date, SpecialDay] = field(default_factory=dict)
    years: frozenset[int] = frozenset()
    ethnic_days: Mapping[date, SpecialDay] = field(default_factory=dict)
    ethnic_years: frozenset[int] = frozenset()
    ethnic_enabled: bool = False

    @classmethod
    def build(
        cls,
        special: Iterable[SpecialDay],
        years: Iterable[int],
        ethnic_years: Iterable[int] = (),
        ethnic_enabled: bool = False,
    ) -> WorkCalendar:
        national, ethnic = {}, {}
        for d in special:
            (ethnic if d.scope == ETHNIC else national)[d.day] = d
        return cls(national, frozenset(years), ethnic, frozenset(ethnic_years), ethnic_enabled)

    def has_year(self, year: int) -> bool:
        """Whether this year's holidays are known (and, when switched on, the ethnic ones)."""
        return year in self.years and (not self.ethnic_enabled or year in self.ethnic_years)

    def special(self, day: date) -> SpecialDay | None:
        if self.ethnic_enabled and day in self.ethnic_days:
            return self.ethnic_days[day]
        return self.days.get(day)

    def is_workday(self, day: date) -> bool:
        special = self.special(day)
        if special is not None:
            return special.kind == MAKEUP_WORKDAY
        return day.weekday() < 5

    def why_off(self, day: date) -> str:
        """Why a day is not worked, in Chinese ("" when it is worked)."""
        special = self.special(day)
        if special is not None:
            if special.kind == MAKEUP_WORKDAY:
                return ""
            return (
                f"法定节假日（{special.name}）"
                if special.scope == NATIONAL
                else (f"少数民族节日（{special.name}）")
            )
        return f"休息日（星期{WEEKDAY_NAMES[day.weekday()]}）" if day.weekday() >= 5 else ""

    def next_workday(self, day: date) -> date:
        """The first working day after ``day``."""
        current = day + timedelta(days=1)
        while not self.is_workday(current):
            current += timedelta(days=1)
        return current
