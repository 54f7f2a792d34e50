"""期限规则 an administrator adjusts: rules law.md marks M or L, and local service commitments
(domain.deadline_rules). Rules checked word for word against the statute (H) are locked. Every
edit is audited (old → new) and recomputes the open deadlines of the rule in the same
transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from casedesk.domain.deadline_rules import TRIGGERS, DeadlineRule, Extension, default_rule_map
from casedesk.domain.deadlines import (
    DeadlineState,
    apply_override,
    check_rule_edit,
    compute,
)
from casedesk.domain.errors import FieldErrors
from casedesk.domain.periods import HOURS, Period, PeriodError
from casedesk.domain.work_calendar import WorkCalendar
from casedesk.services.base import Service, guarded
from casedesk.services.errors import NotFound, ServiceError
from casedesk.services.recalc import Recomputed, RecomputeError, recompute_open
from casedesk.store import audit
from casedesk.store.models import Deadline, RuleOverride, deadline_is_open

CONFIDENCE_LABELS = {"H": "H 已核对原文", "M": "M 次级来源", "L": "L 待核实"}


@dataclass(frozen=True)
class RuleView:
    id: str
    name: str
    trigger: str
    trigger_name: str
    period: str  # as typed: 7d, 2m, 15wd
    period_text: str  # 7日, 2个月, 15个工作日
    custody: bool
    extensions: tuple[tuple[str, str], ...]  # (period, approver)
    extension_notes: tuple[str, ...]  # each packaged step with its source and confidence
    reminders: tuple[int, ...]  # days before the last day
    source: str
    confidence: str  # H, M or L
    editable: bool
    note: str
    applies_to: str  # 民事、商事；一审普通程序 / 所有案件
    local: bool  # a local service commitment
    locked_reason: str  # why an H rule (or the H part of one) cannot be edited
    period_locked: bool  # only the M extension steps may change
    overridden: bool
    overridden_by: str
    overridden_at: datetime | None
    default_text: str  # the packaged values, shown while overridden
    open_deadlines: int

    @property
    def extensions_text(self) -> str:
        return extensions_text(self.extensions)

    @property
    def extension_lines(self) -> str:
        """The extensions one per line as the edit form takes them: "1m 上一级人民检察院"."""
        return "\n".join(f"{spec} {approver}" for spec, approver in self.extensions)

    @property
    def editable_label(self) -> str:
        if not self.editable:
            return "否"
        return "仅延长" if self.period_locked else "是"

    @property
    def reminders_text(self) -> str:
        return ",".join(str(d) for d in self.reminders)


def extensions_text(extensions: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    """ "延长1个月（上一级人民检察院批准）；…" or "不可延长"."""
    if not extensions:
        return "不可延长"
    return "；".join(f"{Period.parse(s)}（{a}批准）" for s, a in extensions)


def parse_extension_lines(text: str) -> list[tuple[str, str]]:
    """Extension steps typed one per line, "1m 上一级人民检察院" (period, a space, approver)."""
    steps = []
    for line in text.replace("\u3000", " ").splitlines():
        if line.strip():
            spec, _sep, approver = line.strip().partition(" ")
            steps.append((spec.strip(), approver.strip()))
    return steps


def _summary(rule: DeadlineRule) -> dict[str, str]:
    """The editable values as an audit record shows them."""
    return {
        "period": str(rule.period),
        "extensions": extensions_text([(e.period.spec, e.approver) for e in rule.extensions]),
        "reminders": ",".join(str(d) for d in rule.reminders) or "不提醒",
        "note": rule.note,
    }


def _applies_to(rule: DeadlineRule) -> str:
    parts = ["、".join(rule.families) if rule.families else "所有案件类别"]
    if rule.procedures:
        parts.append("、".join(rule.procedures))
    return "；".join(parts)


def _confidence(extension: Extension) -> str:
    return getattr(extension, "confidence", "H")


def period_locked(rule: DeadlineRule) -> bool:
    """A rule checked against the statute (H) that is editable only for an extension length
    the statute does not give (marked M or L): its period and its H steps stay as they are."""
    return rule.editable and rule.confidence == "H" and not rule.local


def _locked_parts(rule: DeadlineRule, values: dict) -> dict[str, str]:
    """What an edit may not change: the unit kind (hours or days), and on a rule whose period
    is H, the period, the number of extension steps and every H step."""
    errors: dict[str, str] = {}
    hours = rule.period.unit == HOURS
    period = Period.parse(values["period"])
    steps = [(Period.parse(spec), approver) for spec, approver in values["extensions"]]
    if (period.unit == HOURS) != hours:
        errors["period"] = (
            "本期限以小时计算，期间须以小时为单位（如 24h）"
            if hours
            else "本期限自某日起算，期间不能以小时为单位"
        )
    if any((p.unit == HOURS) != hours for p, _a in steps):
        errors["extensions"] = "延长的单位应与期间一致" + (
            "（小时）" if hours else "（不能以小时计）"
        )
    if not period_locked(rule):
        return errors
    if period != rule.period:
        errors["period"] = (
            f"期间{rule.period}依据已核实的法律条文（{rule.source}，H），不能修改；"
            "只能调整可信度为 M 的延长"
        )
    if len(steps) != len(rule.extensions):
        errors["extensions"] = f"本规则的延长共{len(rule.extensions)}次，不能增减"
        return errors
    for n, (ext, (p, approver)) in enumerate(zip(rule.extensions, steps, strict=True), start=1):
        if _confidence(ext) == "H" and (p, approver) != (ext.period, ext.approver):
            errors["extensions"] = (
                f"第{n}次延长（{ext.period}，{ext.approver}批准）依据已核实的法律条文，不能修改"
            )
            break
    return errors


class RuleService(Service):
    def rules(self) -> list[RuleView]:
        """Every rule with the administrator's edits applied, in the packaged order."""
        with self._read() as s:
            overrides = {o.rule_id: o for o in s.scalars(select(RuleOverride))}
            counts = dict(
                s.execute(
                    select(Deadline.rule_id, func.count())
                    .where(deadline_is_open())
                    .group_by(Deadline.rule_id)
                ).all()
            )
        return [
            self._view(rule, overrides.get(rule.id), counts.get(rule.id, 0))
            for rule in default_rule_map().values()
        ]

    def rule(self, rule_id: str) -> RuleView:
        for view in self.rules():
            if view.id == rule_id:
                return view
        raise NotFound(f"找不到期限规则“{rule_id}”")

    @staticmethod
    def _view(default: DeadlineRule, override: RuleOverride | None, open_count: int) -> RuleView:
        active = override is not None and default.editable
        rule = apply_override(default, json.loads(override.values or "{}")) if active else default
        locked = ""
        if not default.editable:
            locked = (
                f"“{default.name}”依据已逐字核对的法律条文（{default.source}，可信度 H），"
                "不能在软件中修改；法律修改时，随软件升级更新。"
            )
        elif period_locked(default):
            steps = "、".join(
                f"第{n}次" for n, e in enumerate(default.extensions, 1) if _confidence(e) != "H"
            )
            locked = (
                f"期间依据已核实的法律条文（{default.source}，H），不能修改；"
                f"法律未规定长度的{steps}延长（可信度 M）可以调整。"
            )
        at = override.updated_at if active and override else None
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        shown = _summary(default)
        return RuleView(
            id=rule.id,
            name=rule.name,
            trigger=rule.trigger,
            trigger_name=TRIGGERS.get(rule.trigger, rule.trigger),
            period=rule.period.spec,
            period_text=str(rule.period),
            custody=rule.custody,
            extensions=tuple((e.period.spec, e.approver) for e in rule.extensions),
            extension_notes=tuple(
                f"第{n}次：{e.period}（{e.approver}批准）"
                + (f"，依据{e.source}" if e.source else "")
                + f"，可信度 {_confidence(e)}"
                for n, e in enumerate(default.extensions, 1)
            ),
            reminders=rule.reminders,
            source=rule.source,
            confidence=rule.confidence,
            editable=default.editable,
            note=rule.note,
            applies_to=_applies_to(rule),
            local=rule.local,
            locked_reason=locked,
            period_locked=period_locked(default),
            overridden=active,
            overridden_by=override.updated_by if active and override else "",
            overridden_at=at,
            default_text=(
                f"期间 {shown['period']}；延长：{shown['extensions']}；提醒：{shown['reminders']}"
            ),
            open_deadlines=open_count,
        )

    @guarded("admin.rules", via=False)
    def update(
        self,
        rule_id: str,
        period: str,
        extensions: list[tuple[str, str]],
        reminders: str,
        note: str,
    ) -> Recomputed:
        """Store an administrator's edit of an M/L rule or local commitment (H rules are
        refused), audited, and recompute the rule's open deadlines."""
        default = self._default(rule_id)
        values = check_rule_edit(default, period, extensions, reminders, note)
        if errors := _locked_parts(default, values):
            raise FieldErrors(errors)
        values["period"] = Period.parse(values["period"]).spec
        values["extensions"] = [[Period.parse(s).spec, a] for s, a in values["extensions"]]
        new_rule = apply_override(default, values)
        try:  # a period so long that its last day is past year 9999 is a typo
            longest = DeadlineState(
                new_rule, date.today(), extensions_used=len(values["extensions"])
            )
            compute(longest, WorkCalendar())
        except PeriodError as exc:
            raise FieldErrors({"period": str(exc)}) from exc
        if _summary(new_rule) == _summary(default):
            return self.reset(rule_id, quiet=True)
        return self._store(default, new_rule, json.dumps(values, ensure_ascii=False))

    @guarded("admin.rules", via=False)
    def reset(self, rule_id: str, *, quiet: bool = False) -> Recomputed:
        """Back to the packaged values (audited), recomputing the rule's open deadlines."""
        default = self._default(rule_id)
        return self._store(default, default, None, quiet=quiet)

    def _default(self, rule_id: str) -> DeadlineRule:
        rule = default_rule_map().get(rule_id)
        if rule is None:
            raise NotFound(f"找不到期限规则“{rule_id}”")
        if not rule.editable:
            check_rule_edit(rule, "", [], "", "")  # raises the refusal with its reason
        return rule

    def _store(
        self, default: DeadlineRule, new_rule: DeadlineRule, values: str | None, quiet: bool = False
    ) -> Recomputed:
        """Write (or with ``values`` None remove) the override, audit old → new, recompute."""
        with self._uow() as uow:
            s = uow.session
            row = s.get(RuleOverride, default.id)
            old_rule = default
            if row is not None:
                old_rule = apply_override(default, json.loads(row.values or "{}"))
            old, new = _summary(old_rule), _summary(new_rule)
            changes = {k: (old[k], new[k]) for k in old if old[k] != new[k]}
            if values is None and row is None:
                if quiet:
                    return Recomputed(0, 0, 0, 0, "与默认值相同，没有修改。", skipped=True)
                raise ServiceError(f"“{default.name}”未曾修改，已是默认值")
            if values is not None and row is not None and not changes:
                return Recomputed(0, 0, 0, 0, "没有修改。", skipped=True)
            if values is None:
                s.delete(row)
                why = f"期限规则“{default.name}”已恢复默认值"
            else:
                if row is None:
                    row = RuleOverride(rule_id=default.id)
                    s.add(row)
                row.values, row.updated_at, row.updated_by = values, audit.utcnow(), self.actor
                why = f"期限规则“{default.name}”已修改"
            uow.audit("update", "deadline_rule", default.id, default.name, changes)
            try:
                result = recompute_open(uow, why, Deadline.rule_id == default.id)
            except RecomputeError as exc:
                raise FieldErrors({"period": str(exc)}) from exc
            uow.commit()
            return result
