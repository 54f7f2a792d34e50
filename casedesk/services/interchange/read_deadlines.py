"""Reading the deadlines of a case line (docs/interchange.md §3.3): each checked against the
importing database's rules, its last day computed with that database's calendar and rules as
:func:`casedesk.services.deadline_sync.recompute` computes it."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from casedesk.domain.deadline_rules import TRIGGERS, DeadlineRule
from casedesk.domain.deadlines import CANCELLED, MET, OPEN, compute
from casedesk.domain.drafts import LIMITS, CaseDraft
from casedesk.domain.enforcement import (
    DELETE_RULE,
    DELETION_GROUND,
    TERMINATED_STAGE,
)
from casedesk.domain.periods import Period, PeriodError
from casedesk.services.deadline_sync import (
    ACCEPTED,
    CLOSED_NOTE,
    applicable_rules,
    state_of,
    store_due,
)
from casedesk.services.interchange.checks import FieldReader, is_int, join
from casedesk.services.interchange.compliance_format import COMPLIANCE_LINK
from casedesk.services.interchange.format import (
    DEADLINE_STATUSES,
    ENTRY_KEYS,
    CaseRecord,
    DeadlineRecord,
    EventRecord,
    ReadContext,
)
from casedesk.services.interchange.measure_format import DEADLINE_LINKS, MeasureRecords, Row
from casedesk.store.models import Deadline

_MAX_ACTOR = 100  # deadline.created_by column
_MAX_SUBJECT = 200  # deadline.subject column
_STATUS_NAMES = "open（进行中）、met（已完成）或 cancelled（已撤销）"


def read_deadlines(
    r: FieldReader,
    obj: dict,
    case: CaseDraft,
    events: dict[int, EventRecord],
    warnings: list[str],
    measures: MeasureRecords | None = None,
    positions: dict[int, DeadlineRecord] | None = None,
) -> list[DeadlineRecord] | None:
    """The checked ``deadlines`` of a case object, or None when it has none (the key missing
    or null). ``events`` are the case's checked events by their position in its ``events``;
    ``measures`` its checked measures (and compliance cases, in their ``index``), whose clocks
    deadlines may be; ``positions`` receives each checked deadline by its position in the
    line's ``deadlines``."""
    if obj.get("deadlines") is None:
        return None
    raw = obj.get("events")
    reader = _DeadlineReader(r, case, events, len(raw) if isinstance(raw, list) else 0, warnings)
    reader.measures = measures if measures is not None else MeasureRecords()
    out = []
    for i, item in r.entries(obj, "", "deadlines"):
        if (deadline := reader.read(item, f"deadlines[{i}]")) is not None:
            out.append(deadline)
            if positions is not None:
                positions[i] = deadline
    return out


def needs_follow_up(record: CaseRecord, ctx: ReadContext, warnings: list[str]) -> bool:
    """Whether the import has deadlines to add or bring in line once the case is written: those
    its data implies when the line has none (periods from the acceptance date, and from its
    trigger events), or acceptance periods out of step with the case as
    :func:`~casedesk.services.deadline_sync.sync_case_deadlines` keeps them."""
    case = record.draft
    accepted = applicable_rules(ctx.rule_context, ACCEPTED, case.family, case.procedure)
    if record.deadlines is None:
        return bool(accepted) or any(e.kind == "trigger" for e in record.events)
    if _out_of_step(case, record.deadlines, {r.id for r in accepted}):
        warnings.append(
            "deadlines：自收案日期起算的期限与案件不一致，已按本库的期限规则补建或调整"
            "（见案件的期限和修改记录）"
        )
        return True
    return False


def _out_of_step(case: CaseDraft, deadlines: list[DeadlineRecord], applicable: set[str]) -> bool:
    """Whether ``sync_case_deadlines`` would change the acceptance periods of the case."""
    seen = set()
    for d in deadlines:
        v = d.values
        if v["trigger"] != ACCEPTED or v["status"] == CANCELLED:
            continue
        seen.add(d.rule.id)
        if d.rule.id not in applicable:
            if v["status"] == OPEN:
                return True
        elif (
            (v["start_on"] != case.accepted_on and v["restarts"] == "[]")
            or (case.closed_on is not None and v["status"] == OPEN)
            or (case.closed_on is None and v["status"] == MET and v["close_note"] == CLOSED_NOTE)
        ):
            return True
    return bool(applicable - seen)


class _DeadlineReader:
    """Reads the deadline objects of one case line into the problems of its reader."""

    def __init__(
        self,
        r: FieldReader,
        case: CaseDraft,
        events: dict[int, EventRecord],
        count: int,
        warnings: list[str],
    ):
        self.r, self.case, self.events, self.count, self.warnings = r, case, events, count, warnings
        self.measures = MeasureRecords()

    def read(self, obj: dict, path: str) -> DeadlineRecord | None:
        r, ctx = self.r, self.r.ctx
        before = len(r.problems)
        r.known(obj, path, "deadline")
        rule_id = r.text(obj, path, "rule_id", required=True)
        rule = ctx.rule_context.rules.get(rule_id)
        if rule_id and rule is None:
            r.problem(join(path, "rule_id"), f"“{rule_id}”不是本程序的期限规则")
        trigger = r.text(obj, path, "trigger")
        other = rule is not None and trigger in _OTHER_TRIGGERS.get(rule.id, ())
        if rule is not None and trigger and trigger != rule.trigger and not other:
            r.problem(
                join(path, "trigger"),
                f"“{trigger}”不是期限规则“{rule.name}”的起算事件"
                f"（应为 {rule.trigger}：{TRIGGERS.get(rule.trigger, '')}）",
            )
        trigger = rule.trigger if rule is not None and not other else trigger
        source = self.source(obj, path, trigger)
        link = self.link(obj, path)
        start_on = r.date(obj, path, "start_on", required=True)
        start_at = r.local_time(obj, path, "start_at")
        if start_on is not None:
            if start_at is not None and start_at.date() != start_on:
                r.problem(join(path, "start_at"), f"时刻与起算日 {start_on} 不是同一天")
            # a 续行 counts from the last day of the term it renews, which may be still to come;
            # so does the next compliance report after one received before its last day
            renewed = link is not None and link[0] in ("property_measure_id", COMPLIANCE_LINK)
            if start_on > ctx.today and not renewed:
                r.problem(join(path, "start_on"), "起算日不能晚于今天")
        used = r.integer(obj, path, "extensions_used", 0)
        if rule is not None and used > len(rule.extensions):
            r.problem(
                join(path, "extensions_used"),
                f"已延长 {used} 次，超过期限规则“{rule.name}”可延长的次数"
                f"（{len(rule.extensions)} 次）",
            )
        status = r.text(obj, path, "status") or OPEN
        if status not in DEADLINE_STATUSES:
            r.problem(join(path, "status"), f"“{status}”不是期限的状态，应为 {_STATUS_NAMES}")
        closed_on = r.date(obj, path, "closed_on")
        if status == MET and closed_on is None:
            r.problem(join(path, "closed_on"), "已完成的期限应有完成日期")
        elif status == OPEN and closed_on is not None:
            r.problem(join(path, "closed_on"), "进行中的期限不应有完成日期")
        elif closed_on is not None and closed_on > ctx.today:
            # a report clock replaced at once (its last report capped at the end of the 考察期)
            # is cancelled on its start, which may be still to come
            replaced = link is not None and link[0] == COMPLIANCE_LINK and status == CANCELLED
            if not (replaced and closed_on == start_on):
                r.problem(join(path, "closed_on"), "日期不能晚于今天")
        created_by = r.text(obj, path, "created_by").strip() or ctx.actor
        if len(created_by) > _MAX_ACTOR:
            r.problem(join(path, "created_by"), f"记录人过长（最多{_MAX_ACTOR}个字）")
        values: dict[str, Any] = {
            "rule_id": rule_id,
            "trigger": trigger,
            "subject": r.clean(obj, path, "subject", "涉及对象", _MAX_SUBJECT),
            "round": r.integer(obj, path, "round", 1, minimum=1),
            "period_spec": self.period_spec(obj, path, rule),
            "start_on": start_on,
            "start_at": start_at,
            "custody": r.boolean(obj, path, "custody", rule.custody if rule else False),
            "extensions_used": used,
            **{name: self.entries(obj, path, name, start_on) for name in ENTRY_KEYS},
            "status": status,
            "closed_on": closed_on,
            "close_note": r.clean(obj, path, "close_note", "说明", LIMITS["notes"]),
            "created_by": created_by,
            "created_at": r.moment(obj, path, "created_at"),
        }
        shown_on, shown_at = r.date(obj, path, "due_on"), r.local_time(obj, path, "due_at")
        shown = shown_at or shown_on
        if len(r.problems) > before or rule is None:
            return None
        if not self.due(values, rule, path):
            return None
        computed = values["due_at"] or values["due_on"]
        if shown is not None and shown != computed:
            self.warnings.append(
                f"{path}：按本库的节假日和期限规则，“{rule.name}”的届满日为 {_shown(computed)}"
                f"（文件中为 {_shown(shown)}）"
            )
        return DeadlineRecord(rule, source, values, link)

    def link(self, obj: dict, path: str) -> tuple[str, Row] | None:
        """The measure, review or compliance case whose clock the deadline is, named by its id
        (at most one)."""
        keys = [key for key in _LISTS if obj.get(key) is not None]
        if len(keys) > 1:
            self.r.problem(join(path, keys[1]), f"一个期限只能属于一项措施或审查（已有 {keys[0]}）")
            return None
        if not keys:
            return None
        key = keys[0]
        target_id = self.r.ident(obj, path, key)
        if target_id is None:
            return None
        records = self.measures.index.get(key, {})
        if target_id not in records:
            self.r.problem(join(path, key), f"{_LISTS[key]} 中没有编号为 {target_id.hex} 的记录")
            return None
        record = records[target_id]  # None: that record has problems of its own
        return (DEADLINE_LINKS.get(key, key), record) if record is not None else None

    def period_spec(self, obj: dict, path: str, rule: DeadlineRule | None) -> str:
        """The term applied instead of the rule's period ("" for the rule's own), stored as
        :func:`~casedesk.services.deadline_sync.create_deadline` stores it."""
        spec = self.r.period(obj, path, "period_spec")
        return "" if rule is not None and spec == rule.period.spec else spec

    def source(self, obj: dict, path: str, trigger: str) -> EventRecord | None:
        """The trigger event that started the deadline, named by its position in ``events``."""
        index, where = obj.get("source_event"), join(path, "source_event")
        if index is None:
            return None
        if not is_int(index) or index < 0:
            self.r.problem(where, "应为起算事件在 events 中的序号（从 0 起）或 null")
            return None
        if index >= self.count:
            self.r.problem(where, f"events 中没有序号为 {index} 的记录")
            return None
        event = self.events.get(index)  # None: that entry has problems of its own
        if (
            event is not None
            and event.kind == "stage"
            and event.stage == _STAGE_SOURCES.get(trigger)
        ):
            return event
        if event is not None and event.kind != "trigger":
            self.r.problem(where, f"events[{index}] 是阶段记录，不是期限事件")
        elif event is not None and trigger and event.trigger != trigger:
            shown = TRIGGERS.get(event.trigger or "", event.trigger)
            self.r.problem(
                where,
                f"events[{index}] 的事件“{shown}”不是本期限的起算事件“{TRIGGERS.get(trigger)}”",
            )
        return event

    def entries(self, obj: dict, path: str, name: str, start_on: date | None) -> str:
        """One of the deadline's lists as the services store it (JSON text), each entry with its
        keys in their order; every entry checked."""
        r, clean = self.r, []
        for i, item in r.entries(obj, path, name):
            where = f"{join(path, name)}[{i}]"
            r.known(item, where, name)
            entry: dict[str, Any] = {}
            for key in ENTRY_KEYS[name]:
                if item.get(key) is not None or key in _REQUIRED[name]:
                    required = key in _REQUIRED[name]
                    entry[key] = self.entry_value(item, where, key, required, start_on)
            clean.append(entry)
        return json.dumps(clean, ensure_ascii=False)

    def entry_value(
        self, item: dict, where: str, key: str, required: bool, start_on: date | None
    ) -> Any:
        r = self.r
        if key == "days":
            days = r.integer(item, where, key, 0, minimum=1)
            if item.get(key) is None:
                r.problem(join(where, key), "缺少必填项")
            return days
        value = r.text(item, where, key, required)
        if key in ("approved_on", "recorded_on"):
            r.date(item, where, key)
        elif key == "on" and value:
            on = r.local_time(item, where, key) if "T" in value else r.date(item, where, key)
            day = on.date() if isinstance(on, datetime) else on
            if day is not None and start_on is not None and day < start_on:
                r.problem(join(where, key), f"重新计算的起算日不能早于原起算日 {start_on}")
        elif key == "period" and value:
            try:
                Period.parse(value)
            except PeriodError as exc:
                r.problem(join(where, key), str(exc))
        return value.strip()

    def due(self, values: dict[str, Any], rule: DeadlineRule, path: str) -> bool:
        """Compute the last day into ``values`` as ``recompute`` does; False when it cannot be
        computed (a problem of the line)."""
        row = Deadline(**values)
        dues = self.r.ctx.dues
        try:
            state = state_of(row, rule)
            due = dues.get(state)
            if due is None:
                due = dues[state] = compute(state, self.r.ctx.rule_context.calendar)
        except PeriodError as exc:
            self.r.problem(path, f"无法计算“{rule.name}”的届满日：{exc}")
            return False
        store_due(row, due)
        values.update(due_on=row.due_on, due_at=row.due_at, steps=row.steps, warnings=row.warnings)
        return True


_LISTS = {
    "property_measure": "property_measures",
    "personal_measure": "personal_measures",
    "custody_review": "custody_reviews",
    COMPLIANCE_LINK: "compliance_cases",
}
#: Triggers a rule's deadline may carry besides the rule's own: the 3-working-day deletion of a
#: listing runs from performance or from another ground of deletion (失信规定 第10条).
_OTHER_TRIGGERS = {DELETE_RULE: frozenset({DELETION_GROUND})}
#: Triggers whose deadline starts from a stage entry of the timeline: the follow-up searches
#: from the 终本 entry.
_STAGE_SOURCES = {"enforcement_terminated": TERMINATED_STAGE}
_REQUIRED = {
    "extension_log": ("approver", "approved_on"),
    "suspensions": ("days", "reason"),
    "restarts": ("on",),
}


def _shown(value: date | datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value.isoformat()
