"""Counting legal periods (law.md §4; DESIGN.md "Period counting").

- The trigger day (or hour) is not counted (民诉法 第85条, 刑诉法 第105条第2款).
- Months end on the same day number; with no such day, on the month's last day (民法典
  第202条). In criminal procedure a period starting on a month's last day ends on the last day
  of the end month (刑诉法解释 第202条): 2月28日 + 1个月 is 3月28日 in a civil case but 3月31日
  in a criminal one. A year is twelve months; 半个月 is 15 days.
- A last day that is a holiday or rest day moves to the next working day (民诉法 第85条第3款)
  — except custody periods, which end on their last day regardless (刑诉法 第105条第4款).
- Working-day periods skip weekends and holidays and count make-up working days.
- Suspensions (审限扣除) add their days; extensions add their step to the end; a restart
  counts again from its own day.

Every step is explained in Chinese, so the user can see how the date was reached.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from casedesk.domain.identifiers.result import has_surrogate
from casedesk.domain.work_calendar import WorkCalendar

HOURS, DAYS, WORKDAYS, MONTHS, YEARS = "h", "d", "wd", "m", "y"
UNIT_NAMES = {HOURS: "小时", DAYS: "日", WORKDAYS: "个工作日", MONTHS: "个月", YEARS: "年"}
_SPEC = re.compile(r"^\s*(\d+)\s*(h|d|wd|m|y|小时|日|天|个工作日|工作日|个月|月|年)\s*$")
_UNIT_WORDS = {"小时": HOURS, "日": DAYS, "天": DAYS, "个工作日": WORKDAYS, "工作日": WORKDAYS,
               "个月": MONTHS, "月": MONTHS, "年": YEARS}  # fmt: skip


#: The largest number a period may have: beyond any period the law sets (9999 days are 27
#: years), small enough that counting it one working day at a time takes no time.
MAX_AMOUNT = 9999


class PeriodError(ValueError):
    """A period cannot be read or computed; ``str(error)`` is the Chinese message."""


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str

    @classmethod
    def parse(cls, spec: str) -> Period:
        """``3d``, ``2m``, ``1y``, ``15wd``, ``12h`` (or 3日, 2个月, 15个工作日, 12小时)."""
        if spec is not None and not isinstance(spec, str):
            raise PeriodError("期间应填写为文字，如 3d（日）、2m（月）、1y（年）")
        match = _SPEC.match(spec or "")
        if match is None:
            shown = f"“{spec}”" if spec and len(spec) <= 20 and not has_surrogate(spec) else ""
            raise PeriodError(
                f"无法识别期间{shown}：应为数字加单位，如 3d（日）、2m（月）、1y（年）、"
                "15wd（工作日）、12h（小时）"
            )
        digits = match.group(1).lstrip("0") or "0"
        if len(digits) > len(str(MAX_AMOUNT)) or int(digits) > MAX_AMOUNT:
            raise PeriodError(f"期间过长（数字超出上限 {MAX_AMOUNT}）")
        amount, unit = int(digits), _UNIT_WORDS.get(match.group(2), match.group(2))
        if amount <= 0:
            raise PeriodError("期间应大于0")
        return cls(amount, unit)

    @property
    def spec(self) -> str:
        return f"{self.amount}{self.unit}"

    def __str__(self) -> str:
        return f"{self.amount}{UNIT_NAMES[self.unit]}"


@dataclass(frozen=True)
class Suspension:
    """Days not counted (审限扣除: 公告, 鉴定, 中止 …)."""

    days: int
    reason: str


@dataclass(frozen=True)
class Due:
    """The end of a period: a date, or for hour periods a date and time."""

    day: date
    at: datetime | None  # set for hour periods
    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        """False when a year without holiday data was involved."""
        return not self.warnings

    def text(self) -> str:
        return self.at.strftime("%Y-%m-%d %H:%M") if self.at else self.day.isoformat()


def _months(period: Period) -> int | None:
    """A month or year period in months; None for other units."""
    if period.unit == MONTHS:
        return period.amount
    if period.unit == YEARS:
        return period.amount * 12
    return None


def add_months(start: date, months: int, criminal: bool = False) -> date:
    """Same day number ``months`` later, or the month's last day when there is none; with
    ``criminal``, a start on a month's last day ends on a month's last day (刑诉法解释 第202条)."""
    month_index = start.year * 12 + start.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    start_last = calendar.monthrange(start.year, start.month)[1]
    if criminal and start.day == start_last:
        return date(year, month, last)
    return date(year, month, min(start.day, last))


def _missing_year(year: int, cal: WorkCalendar) -> str:
    """Which holiday data of ``year`` is missing, and where it comes from."""
    if year not in cal.years:
        return (
            f"{year}年的节假日安排尚无数据，计算结果未经核实（该年暂按周六、周日休息计算），"
            "请管理员在“节假日”中录入国务院办公厅的放假通知"
        )
    return (
        f"{year}年的新疆少数民族节日（肉孜节、古尔邦节）尚未录入，计算结果未经核实，"
        "请管理员在“节假日”中按自治区人民政府的通知录入"
    )


class _Counter:
    def __init__(self, cal: WorkCalendar, criminal: bool):
        self.cal = cal
        self.criminal = criminal
        self.steps: list[str] = []
        self.missing: set[int] = set()

    def note_year(self, year: int) -> None:
        if not self.cal.has_year(year):
            self.missing.add(year)

    def add(self, start: date, period: Period) -> date:
        if period.unit == DAYS:
            return start + timedelta(days=period.amount)
        if period.unit in (MONTHS, YEARS):
            months = period.amount * (12 if period.unit == YEARS else 1)
            return add_months(start, months, self.criminal)
        if period.unit == WORKDAYS:
            return self._add_workdays(start, period.amount)
        raise PeriodError(f"此处不能使用以{UNIT_NAMES[period.unit]}计的期间")

    def _add_workdays(self, start: date, count: int) -> date:
        current, counted, skipped, makeup = start, 0, [], []
        while counted < count:
            current += timedelta(days=1)
            self.note_year(current.year)
            if self.cal.is_workday(current):
                counted += 1
                if current.weekday() >= 5:
                    makeup.append(current)
            else:
                skipped.append(current)
        if skipped:
            self.steps.append(f"其间不计非工作日 {len(skipped)} 日：{_spans(skipped, self.cal)}")
        if makeup:
            shown = "、".join(f"{d.month}月{d.day}日" for d in makeup)
            self.steps.append(f"调休上班日计入工作日：{shown}")
        return current


def compute_due(
    start: date | datetime,
    period: Period,
    cal: WorkCalendar,
    *,
    custody: bool = False,
    criminal: bool = False,
    roll_forward: bool = True,
    extensions: Sequence[Period] = (),
    suspensions: Sequence[Suspension] = (),
) -> Due:
    """The last day of ``period`` counted from ``start`` (which is itself not counted).

    ``custody``: a period in custody, whose last day is never moved; it is counted as a
    criminal one. ``criminal``: months follow 刑诉法解释 第202条. ``roll_forward`` False keeps a
    last day that is off (terms that lapse by themselves, such as a freeze).
    """
    try:
        if period.unit == HOURS:
            return _hours(start, period, extensions, suspensions)
        return _days(start, period, cal, custody, criminal, roll_forward, extensions, suspensions)
    except PeriodError:
        raise
    except (OverflowError, ValueError) as exc:  # past year 9999: a typo, not a period
        raise PeriodError("期间过长，届满日超出可以计算的日期范围") from exc


def _days(
    start: date | datetime,
    period: Period,
    cal: WorkCalendar,
    custody: bool,
    criminal: bool,
    roll_forward: bool,
    extensions: Sequence[Period],
    suspensions: Sequence[Suspension],
) -> Due:
    counter = _Counter(cal, criminal or custody)
    day = start.date() if isinstance(start, datetime) else start
    due = counter.add(day, period)
    counter.steps.insert(
        0, f"自 {day.isoformat()} 的次日起计算 {period}，期间届满日为 {due.isoformat()}"
    )
    if (
        period.unit in (MONTHS, YEARS)
        and counter.criminal
        and due != add_months(day, period.amount * (12 if period.unit == YEARS else 1))
    ):
        counter.steps.append("起算日为月末，按刑诉法解释第202条至届满月的最后一日")
    # Month extensions count from the start in total (2+1+2+2 = 7 months of custody): chaining
    # them from each new last day could add a day at a month end, which custody must not.
    months = _months(period)
    for extension in extensions:
        before = due
        if months is not None and _months(extension) is not None:
            months += _months(extension) or 0
            due = add_months(day, months, counter.criminal)
            total = f"（自起算日累计 {months}个月）"
        else:
            months, total = None, ""
            due = counter.add(due, extension)
        counter.steps.append(f"延长 {extension}{total}：{before.isoformat()} → {due.isoformat()}")
    for suspension in suspensions:
        if suspension.days:
            before, due = due, due + timedelta(days=suspension.days)
            counter.steps.append(
                f"扣除{suspension.reason} {suspension.days} 日："
                f"{before.isoformat()} → {due.isoformat()}"
            )
    counter.note_year(due.year)
    off = cal.why_off(due)
    if off:
        if custody:
            counter.steps.append(
                f"最后一日 {due.isoformat()} 为{off}，羁押期限不因节假日延长（刑诉法第105条第4款）"
            )
        elif roll_forward:
            moved = cal.next_workday(due)
            for year in range(due.year, moved.year + 1):
                counter.note_year(year)
            counter.steps.append(f"最后一日 {due.isoformat()} 为{off}，顺延至 {moved.isoformat()}")
            due = moved
        else:
            counter.steps.append(f"最后一日 {due.isoformat()} 为{off}，本期限不顺延")
    warnings = [_missing_year(year, cal) for year in sorted(counter.missing)]
    return Due(due, None, counter.steps, warnings)


def _hours(
    start: date | datetime,
    period: Period,
    extensions: Sequence[Period],
    suspensions: Sequence[Suspension],
) -> Due:
    if not isinstance(start, datetime):
        raise PeriodError("以小时计算的期间须给出起算的时刻，如 2026-03-01T10:25")
    if any(s.days for s in suspensions):
        raise PeriodError("以小时计算的期间不能按日扣除")
    first = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    hours = period.amount + sum(e.amount for e in extensions if e.unit == HOURS)
    if any(e.unit != HOURS for e in extensions):
        raise PeriodError("以小时计算的期间只能按小时延长")
    end = first + timedelta(hours=hours)
    steps = [
        f"自 {start:%Y-%m-%d %H:%M} 的次时（{first:%H:%M}）起计算 {hours}小时，"
        f"届满时刻为 {end:%Y-%m-%d %H:%M}"
    ]
    return Due(end.date(), end, steps, [])


def _spans(days: list[date], cal: WorkCalendar) -> str:
    """Consecutive days grouped, each group naming every holiday in it:
    "10月1日—10月8日（国庆节、中秋节）、10月11日（休息日）"."""
    groups: list[list[date]] = []
    for d in days:
        if groups and (d - groups[-1][-1]).days == 1:
            groups[-1].append(d)
        else:
            groups.append([d])
    parts = []
    for group in groups:
        first, last = group[0], group[-1]
        names = [s.name if (s := cal.special(d)) is not None else "休息日" for d in group]
        label = "、".join(dict.fromkeys(names))
        span = f"{first.month}月{first.day}日"
        if last != first:
            span += f"—{last.month}月{last.day}日"
        parts.append(f"{span}（{label}）")
    return "、".join(parts)
