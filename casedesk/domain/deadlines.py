"""A deadline's state and how it is computed, the board's bands, and administrator edits of
rules — pure rules over casedesk.domain.periods and casedesk.domain.deadline_rules."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime

from casedesk.domain.deadline_rules import DeadlineRule, Extension
from casedesk.domain.errors import FieldErrors
from casedesk.domain.field_types import text_problem
from casedesk.domain.periods import Due, Period, PeriodError, Suspension, compute_due
from casedesk.domain.work_calendar import WorkCalendar

OPEN, MET, CANCELLED = "open", "met", "cancelled"
STATUS_LABELS = {OPEN: "进行中", MET: "已完成", CANCELLED: "已撤销"}

OVERDUE, TODAY, WITHIN_3, WITHIN_7, LATER = "overdue", "today", "3d", "7d", "later"
BAND_LABELS = {
    OVERDUE: "已逾期",
    TODAY: "今日届满",
    WITHIN_3: "3日内届满",
    WITHIN_7: "7日内届满",
    LATER: "7日后届满",
}
BAND_ORDER = (OVERDUE, TODAY, WITHIN_3, WITHIN_7, LATER)

#: Recording these triggers ends the open deadlines of the listed rules on the same case.
ENDS_ON_TRIGGER: dict[str, tuple[tuple[str, str], ...]] = {
    "returned_for_investigation": (
        ("criminal.prosecution.review",
         "退回补充侦查；补充侦查完毕移送后审查起诉期限重新计算（刑诉法第175条第3款）"),
    ),
    "prosecution_received": (
        ("criminal.custody.investigation",
         "侦查终结，移送审查起诉；此后羁押在审查起诉期限内（刑诉法第162、172条）"),
    ),
    "performed": (
        ("enforcement.term", "被执行人已履行完毕"),
        ("enforcement.followup_search", "被执行人已履行完毕，无需再查控"),
        ("dishonest.grace", "被执行人已在宽限期内履行完毕"),
    ),
    "arrest_requested": (("criminal.detention.request_arrest", "已提请批准逮捕"),),
    "arrested": (("criminal.arrest.review", "已批准逮捕"),),
}  # fmt: skip


def band(due: date, as_of: date) -> str:
    """Where a last day stands on the board on ``as_of``."""
    return band_of_days((due - as_of).days)


def band_of_days(days: int) -> str:
    """The band of a last day ``days`` days away (negative: overdue)."""
    if days < 0:
        return OVERDUE
    if days == 0:
        return TODAY
    if days <= 3:
        return WITHIN_3
    if days <= 7:
        return WITHIN_7
    return LATER


@dataclass(frozen=True)
class DeadlineState:
    """What a deadline's last day depends on."""

    rule: DeadlineRule
    start: date | datetime
    custody: bool = False
    extensions_used: int = 0
    suspensions: tuple[Suspension, ...] = ()


def compute(state: DeadlineState, cal: WorkCalendar) -> Due:
    rule = state.rule
    used = rule.extensions[: state.extensions_used]
    return compute_due(
        state.start,
        rule.period,
        cal,
        custody=state.custody or rule.custody,
        criminal=rule.criminal,
        roll_forward=rule.roll_forward,
        extensions=[e.period for e in used],
        suspensions=state.suspensions,
    )


# -- administrator edits of M/L rules ------------------------------------------------------------
EDITABLE_FIELDS = ("period", "extensions", "reminders", "note")


def apply_override(rule: DeadlineRule, values: dict) -> DeadlineRule:
    """The rule with an administrator's stored edits (unknown or bad values are ignored)."""
    changes: dict = {}
    try:
        if "period" in values:
            changes["period"] = Period.parse(values["period"])
        if "extensions" in values:
            old = rule.extensions
            changes["extensions"] = tuple(
                _edited_extension(Period.parse(spec), approver, old[n] if n < len(old) else None)
                for n, (spec, approver) in enumerate(values["extensions"])
            )
        if "reminders" in values:
            changes["reminders"] = tuple(int(d) for d in values["reminders"])
    except (PeriodError, TypeError, ValueError):
        return rule
    if "note" in values:
        changes["note"] = str(values["note"])
    return dataclasses.replace(rule, **changes)


def _edited_extension(period: Period, approver: str, before: Extension | None) -> Extension:
    """An extension step as an administrator set it: unchanged steps keep their source and
    confidence; changed or new ones say who set them (M)."""
    if before is not None and (before.period, before.approver) == (period, approver):
        return before
    source = (before.source + "；" if before and before.source else "") + "管理员修改"
    return Extension(period, approver, source, "M")


def check_rule_edit(
    rule: DeadlineRule,
    period: str,
    extensions: list[tuple[str, str]],
    reminders: str,
    note: str,
) -> dict:
    """Validate an edit of ``rule``; returns the values to store or raises FieldErrors."""
    errors: dict[str, str] = {}
    if not rule.editable:
        raise FieldErrors({"rule": f"“{rule.name}”依据已核实的法律条文（H），不能修改"})
    texts = {"period": ("期间", period), "reminders": ("提醒天数", reminders),
             "note": ("说明", note)}  # fmt: skip
    for key, (label, value) in texts.items():
        if why := text_problem(value):
            errors[key] = f"{label}{why}"
    if isinstance(extensions, str) or not isinstance(extensions, list | tuple):
        errors["extensions"] = "延长的内容类型有误"
    if errors:
        raise FieldErrors(errors)
    if any((ord(ch) < 32 and ch not in "\n\t") or ch == "\x7f" for ch in note):
        errors["note"] = "说明含有不可见的控制字符"
    try:
        Period.parse(period)
    except PeriodError as exc:
        errors["period"] = str(exc)
    clean_ext = []
    for n, step in enumerate(extensions, start=1):
        spec, approver = step if isinstance(step, list | tuple) and len(step) == 2 else (None, None)
        if text_problem(spec) or text_problem(approver):
            errors["extensions"] = f"第{n}次延长的内容类型有误"
            break
        try:
            Period.parse(spec)
        except PeriodError as exc:
            errors["extensions"] = f"第{n}次延长：{exc}"
            break
        if not approver.strip():
            errors["extensions"] = f"第{n}次延长：请填写批准机关"
            break
        clean_ext.append([spec.strip(), approver.strip()])
    days: list[int] = []
    for part in reminders.replace("，", ",").split(","):
        if part.strip():
            # isdecimal, not isdigit: "²" is a digit that int() refuses; a day count has ≤ 4
            if not part.strip().isdecimal() or len(part.strip()) > 4:
                errors["reminders"] = "提醒天数应为用逗号分隔的整数，如 7,3,1"
                break
            days.append(int(part))
    if errors:
        raise FieldErrors(errors)
    return {
        "period": period.strip(),
        "extensions": clean_ext,
        "reminders": sorted(set(days), reverse=True),
        "note": note.strip(),
    }
