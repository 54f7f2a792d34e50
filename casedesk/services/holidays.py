"""节假日 as data an administrator edits (law.md §4.3).

The national holidays come with the software (chinesecalendar, the State Council's notices as
published) for the years it covers; an administrator records later years from the notice the
国务院办公厅 publishes each autumn, and Xinjiang's ethnic holidays (肉孜节, 古尔邦节) as a
separate class that can be switched on. A year counts as verified once its notice is entered
completely (packaged, or marked by the administrator). Every change is audited and recomputes
the open deadlines it touches in the same transaction.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.holiday_edit import (
    KIND_LABELS,
    SCOPE_LABELS,
    STATUTORY_DAYS,
    check_days,
    check_mark,
    check_scope,
)
from casedesk.domain.holidays import packaged_days, packaged_years
from casedesk.domain.work_calendar import (
    ETHNIC,
    HOLIDAY,
    MAKEUP_WORKDAY,
    NATIONAL,
    WEEKDAY_NAMES,
    SpecialDay,
)
from casedesk.services.base import Service, guarded
from casedesk.services.calendar_source import ETHNIC_SETTING
from casedesk.services.errors import NotFound, ServiceError
from casedesk.services.recalc import Recomputed, recompute_open
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store.models import AppSetting, Deadline, HolidayDay, HolidayYear

PACKAGED, RECORDED = "随软件提供", "管理员录入"


@dataclass(frozen=True)
class HolidayYearView:
    year: int
    scope: str
    origin: str  # PACKAGED, RECORDED (marked complete) or "" (not complete)
    source: str  # the notice's 文号 or source as the administrator entered it
    verified: bool  # computations touching this year are verified
    holidays: int
    workdays: int
    recorded: int  # days the administrator recorded (in a packaged year: changes)

    @property
    def origin_text(self) -> str:
        if self.origin == PACKAGED:
            return PACKAGED + (f"（管理员修改 {self.recorded} 日）" if self.recorded else "")
        if self.origin == RECORDED:
            return f"{RECORDED}：{self.source}"
        return f"录入中（已录入 {self.recorded} 日）" if self.recorded else "尚无数据"

    @property
    def status(self) -> str:
        return "已核实" if self.verified else "未核实"


@dataclass(frozen=True)
class HolidayDayView:
    day: date
    scope: str
    kind: str  # HOLIDAY or MAKEUP_WORKDAY
    name: str
    recorded: bool  # False: packaged with the software
    replaces: str = ""  # a recorded day over a packaged one: what the software said

    @property
    def weekday(self) -> str:
        return f"星期{WEEKDAY_NAMES[self.day.weekday()]}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def origin_label(self) -> str:
        return "管理员" if self.recorded else "随软件"


def _describe(day: SpecialDay | HolidayDay) -> str:
    return f"{KIND_LABELS[day.kind]}（{day.name}）"


def _span_text(first: date, last: date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()}至{last.isoformat()}"


def _day_key(day: date, scope: str) -> str:
    return f"{scope}:{day.isoformat()}"


def _packaged_map() -> dict[date, SpecialDay]:
    return {d.day: d for d in packaged_days()}


def _merged(session: Session) -> dict[str, dict[date, HolidayDayView]]:
    """Every special day by scope: packaged national days, overridden by the recorded ones."""
    merged: dict[str, dict[date, HolidayDayView]] = {NATIONAL: {}, ETHNIC: {}}
    packaged = _packaged_map()
    for d in packaged.values():
        merged[NATIONAL][d.day] = HolidayDayView(d.day, NATIONAL, d.kind, d.name, False)
    for row in session.scalars(select(HolidayDay)):
        old = packaged.get(row.day) if row.scope == NATIONAL else None
        replaces = f"随软件：{_describe(old)}" if old else ""
        view = HolidayDayView(row.day, row.scope, row.kind, row.name, True, replaces)
        merged.setdefault(row.scope, {})[row.day] = view
    return merged


def _year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


class HolidayService(Service):
    # -- reading ----------------------------------------------------------------------------------
    def years(self, scope: str | None = None) -> list[HolidayYearView]:
        """Every year known (newest first), national then ethnic, with where its data comes
        from; next year is always listed so that its missing notice shows."""
        with self._read() as s:
            merged = _merged(s)
            marks = {
                (y, sc): src
                for y, sc, src in s.execute(
                    select(HolidayYear.year, HolidayYear.scope, HolidayYear.source)
                )
            }
        packaged = packaged_years()
        next_year = date.today().year + 1
        views = []
        for sc in (NATIONAL, ETHNIC):
            if scope is not None and sc != scope:
                continue
            days = merged.get(sc, {}).values()
            kinds = Counter((d.day.year, d.kind) for d in days)
            recorded = Counter(d.day.year for d in days if d.recorded)
            known = {y for y, _k in kinds} | {y for y, s2 in marks if s2 == sc}
            known |= {next_year - 1, next_year}
            if sc == NATIONAL:
                known |= packaged
            for year in sorted(known, reverse=True):
                is_packaged = sc == NATIONAL and year in packaged
                marked = (year, sc) in marks
                origin = PACKAGED if is_packaged else RECORDED if marked else ""
                views.append(
                    HolidayYearView(
                        year,
                        sc,
                        origin,
                        marks.get((year, sc), ""),
                        is_packaged or marked,
                        kinds[(year, HOLIDAY)],
                        kinds[(year, MAKEUP_WORKDAY)],
                        recorded[year],
                    )
                )
        return views

    def days(self, year: int, scope: str = NATIONAL) -> list[HolidayDayView]:
        """The holidays and make-up working days of ``year``: packaged and recorded."""
        check_scope(scope)
        with self._read() as s:
            merged = _merged(s).get(scope, {})
        return sorted((v for d, v in merged.items() if d.year == year), key=lambda v: v.day)

    def ethnic_enabled(self) -> bool:
        """Whether computations count Xinjiang's ethnic holidays."""
        with self._read() as s:
            row = s.get(AppSetting, ETHNIC_SETTING)
            return bool(row and row.value == "1")

    # -- recording days ---------------------------------------------------------------------------
    @guarded("admin.holidays", via=False)
    def set_day(
        self,
        day: date | None,
        kind: str,
        name: str,
        scope: str = NATIONAL,
        *,
        until: date | None = None,
    ) -> Recomputed:
        """Record ``day`` (through ``until`` for several days) as a holiday or a make-up working
        day, replacing what was there (a recorded day wins over a packaged one)."""
        name = clean_text(name)
        packaged = _packaged_map() if scope == NATIONAL else {}
        holidays = {d for d, p in packaged.items() if p.kind == HOLIDAY}
        span = check_days(day, until, kind, name, scope, holidays)
        day, last = span[0], span[-1]
        with self._uow() as uow:
            s = uow.session
            changed = 0
            for d in span:
                row = s.get(HolidayDay, (d, scope))
                current = row or packaged.get(d)
                if current is not None and (current.kind, current.name) == (kind, name):
                    continue
                label = f"{d.isoformat()} {name}（{SCOPE_LABELS[scope]}）"
                if row is None:
                    s.add(HolidayDay(day=d, scope=scope, kind=kind, name=name))
                    changes = {"kind": (None, KIND_LABELS[kind]), "name": (None, name)}
                    if current is not None:
                        changes["note"] = (None, f"替换随软件提供的数据：{_describe(current)}")
                    uow.audit("create", "holiday", _day_key(d, scope), label, changes)
                else:
                    changes = {}
                    if row.kind != kind:
                        changes["kind"] = (KIND_LABELS[row.kind], KIND_LABELS[kind])
                    if row.name != name:
                        changes["name"] = (row.name, name)
                    row.kind, row.name = kind, name
                    uow.audit("update", "holiday", _day_key(d, scope), label, changes)
                changed += 1
            if not changed:
                where = "随软件提供的数据中" if day in packaged else "录入的数据中"
                already = f"“{name}”{KIND_LABELS[kind]}"
                message = f"{_span_text(day, last)}在{where}已是{already}，无须再录入"
                raise FieldErrors({"day": message})
            why = f"节假日安排已修改：{_span_text(day, last)} {name}（{KIND_LABELS[kind]}）"
            result = self._recompute(uow, scope, why, day, last)
            uow.commit()
            return result

    @guarded("admin.holidays", via=False)
    def remove_day(self, day: date, scope: str = NATIONAL) -> Recomputed:
        """Remove a recorded day (a packaged day cannot be removed, only overridden)."""
        check_scope(scope)
        packaged = _packaged_map().get(day) if scope == NATIONAL else None
        with self._uow() as uow:
            s = uow.session
            row = s.get(HolidayDay, (day, scope))
            if row is None:
                if packaged is not None:
                    other = KIND_LABELS[
                        HOLIDAY if packaged.kind == MAKEUP_WORKDAY else MAKEUP_WORKDAY
                    ]
                    raise ServiceError(
                        f"{day.isoformat()}（{_describe(packaged)}）是随软件提供的国务院办公厅"
                        f"放假通知数据，不能删除。如该日的安排有变，请“新增”同一日期并选择"
                        f"“{other}”：管理员录入的数据优先于随软件提供的数据。"
                    )
                raise NotFound(f"{day.isoformat()}没有录入的{SCOPE_LABELS[scope]}")
            label = f"{day.isoformat()} {row.name}（{SCOPE_LABELS[scope]}）"
            uow.audit(
                "delete",
                "holiday",
                _day_key(day, scope),
                label,
                {"kind": (KIND_LABELS[row.kind], None), "name": (row.name, None)},
            )
            why = f"节假日安排已修改：删除 {day.isoformat()} {row.name}（{KIND_LABELS[row.kind]}）"
            s.delete(row)
            result = self._recompute(uow, scope, why, day, day)
            uow.commit()
        if packaged is not None:
            return _with_note(result, f"该日恢复为随软件提供的安排：{_describe(packaged)}。")
        return result

    # -- marking a year complete ------------------------------------------------------------------
    @guarded("admin.holidays", via=False)
    def mark_year(self, year: int, scope: str, source: str) -> Recomputed:
        """Declare ``year``'s notice entered completely (``source``: its 文号 or where it was
        published): computations touching the year become verified."""
        check_scope(scope)
        source = clean_text(source)
        check_mark(year, scope, source)
        if scope == NATIONAL and year in packaged_years():
            raise ServiceError(f"{year}年的放假安排随软件提供，已是完整数据，无须标记")
        with self._uow() as uow:
            s = uow.session
            first, last = _year_span(year)
            holidays = s.scalars(
                select(HolidayDay.day).where(
                    HolidayDay.scope == scope,
                    HolidayDay.kind == HOLIDAY,
                    HolidayDay.day.between(first, last),
                )
            ).all()
            if not holidays:
                raise FieldErrors(
                    {
                        "year": f"{year}年尚未录入任何{SCOPE_LABELS[scope]}的放假日，"
                        "请先按通知录入各日，再标记已完整录入"
                    }
                )
            row = s.get(HolidayYear, (year, scope))
            label = f"{year}年{SCOPE_LABELS[scope]}"
            if row is None:
                s.add(HolidayYear(year=year, scope=scope, source=source))
                uow.audit("create", "holiday", f"{scope}:{year}", label, {"source": (None, source)})
            elif row.source == source:
                return Recomputed(0, 0, 0, 0, "没有修改。", skipped=True)
            else:
                uow.audit(
                    "update", "holiday", f"{scope}:{year}", label, {"source": (row.source, source)}
                )
                row.source = source
            note = ""
            if scope == NATIONAL and len(holidays) < STATUTORY_DAYS:
                note = (
                    f"注意：{year}年只录入了 {len(holidays)} 个放假日，少于法定节假日的"
                    f"{STATUTORY_DAYS}天，请核对是否已按通知全部录入。"
                )
            why = f"{year}年{SCOPE_LABELS[scope]}已标记为完整录入（{source}）"
            result = self._recompute(uow, scope, why, first, last, note)
            uow.commit()
            return result

    @guarded("admin.holidays", via=False)
    def unmark_year(self, year: int, scope: str) -> Recomputed:
        """Withdraw the mark: computations touching the year become unverified again."""
        check_scope(scope)
        if scope == NATIONAL and year in packaged_years():
            raise ServiceError(f"{year}年的放假安排随软件提供，不能取消")
        with self._uow() as uow:
            row = uow.session.get(HolidayYear, (year, scope))
            if row is None:
                raise ServiceError(f"{year}年的{SCOPE_LABELS[scope]}未标记为已完整录入")
            uow.audit(
                "delete",
                "holiday",
                f"{scope}:{year}",
                f"{year}年{SCOPE_LABELS[scope]}",
                {"source": (row.source, None)},
            )
            uow.session.delete(row)
            why = f"{year}年{SCOPE_LABELS[scope]}已取消完整录入的标记"
            result = self._recompute(uow, scope, why, *_year_span(year))
            uow.commit()
            return result

    # -- the ethnic switch ------------------------------------------------------------------------
    @guarded("admin.holidays", via=False)
    def set_ethnic_enabled(self, on: bool) -> Recomputed:
        """Switch counting Xinjiang's ethnic holidays on or off; recomputes every open deadline."""
        new = "1" if on else "0"
        with self._uow() as uow:
            s = uow.session
            row = s.get(AppSetting, ETHNIC_SETTING)
            old = row.value if row is not None else "0"
            if old == new:
                return Recomputed(0, 0, 0, 0, "没有修改。", skipped=True)
            if row is None:
                row = AppSetting(key=ETHNIC_SETTING, value=new)
                s.add(row)
            row.value = new
            words = {"1": "计入", "0": "不计入"}
            uow.audit(
                "update",
                "setting",
                ETHNIC_SETTING,
                "计算期限时计入新疆少数民族节日",
                {"value": (words.get(old, old), words[new])},
            )
            note = ""
            if on and not s.scalar(select(HolidayYear.year).where(HolidayYear.scope == ETHNIC)):
                note = (
                    "注意：尚无标记为完整录入的少数民族节日年份，涉及的年份都将标为未核实；"
                    "请在“新疆少数民族节日”中录入自治区人民政府公布的日期并标记完整录入。"
                )
            why = "计算期限时" + ("计入" if on else "不再计入") + "新疆少数民族节日"
            result = recompute_open(uow, why, note=note)
            uow.commit()
            return result

    # -- shared -----------------------------------------------------------------------------------
    def _recompute(
        self, uow: UnitOfWork, scope: str, why: str, first: date, last: date, note: str = ""
    ) -> Recomputed:
        """Recompute the open deadlines whose span reaches [first, last]: a day can only move a
        deadline counted from before it whose (rolled-forward) last day is on or after it."""
        if scope == ETHNIC:
            row = uow.session.get(AppSetting, ETHNIC_SETTING)
            if not (row and row.value == "1"):
                off = "已保存。计算期限时未计入少数民族节日，进行中的期限不受影响。"
                return Recomputed(0, 0, 0, 0, off + note, skipped=True)
        return recompute_open(
            uow, why, Deadline.start_on <= last, Deadline.due_on >= first, note=note
        )


def _with_note(result: Recomputed, note: str) -> Recomputed:
    return dataclasses.replace(result, note=result.note + note)
