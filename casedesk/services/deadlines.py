"""Deadline use cases: record what happened on a case and the periods it starts; meet, extend,
suspend, restart or cancel a deadline; the board of what is due. Every change audited."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from sqlalchemy import select

from casedesk.domain.deadline_rules import (
    BEFORE_ACCEPTANCE,
    PAGE_TRIGGERS,
    TRIGGERS,
    DeadlineRule,
)
from casedesk.domain.deadlines import (
    BAND_ORDER,
    CANCELLED,
    LATER,
    MET,
    OPEN,
    STATUS_LABELS,
    band,
)
from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.services.base import ANY_SCOPE, Service, guarded, parse_id
from casedesk.services.calendar_source import rules_from
from casedesk.services.cases import load_case
from casedesk.services.deadline_sync import (
    RuleContext,
    append_entry,
    applicable_rules,
    close_deadline,
    load_context,
    recompute,
    rule_name,
    start_trigger_periods,
)
from casedesk.services.dto import Board, BoardItem, DeadlineView
from casedesk.services.errors import NotFound, ServiceError
from casedesk.services.lists import read_scope
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.deadline_board import count_open_after, open_deadlines
from casedesk.store.models import Case, CaseEvent, Deadline, deadline_is_open


def _when(day: date, at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else day.isoformat()


def deadline_view(row: Deadline, ctx: RuleContext, as_of: date) -> DeadlineView:
    """One deadline as the case page, the measure tab and the board show it."""
    rule = ctx.rules.get(row.rule_id)
    used = row.extensions_used
    next_ext = ""
    if rule is not None and used < len(rule.extensions):
        ext = rule.extensions[used]
        next_ext = f"延长{ext.period}（{ext.approver}批准）"
    suspended = sum(int(s["days"]) for s in json.loads(row.suspensions or "[]"))
    restarts = json.loads(row.restarts or "[]")
    start = restarts[-1]["on"].replace("T", " ") if restarts else _when(row.start_on, row.start_at)
    warnings = tuple(json.loads(row.warnings or "[]"))
    return DeadlineView(
        id=row.id.hex,
        case_id=row.case_id.hex,
        rule_id=row.rule_id,
        name=rule.name if rule else row.rule_id,
        trigger=TRIGGERS.get(row.trigger, row.trigger),
        subject=row.subject,
        round=row.round,
        start=start,
        due=_when(row.due_on, row.due_at),
        due_on=row.due_on,
        status=row.status,
        status_label=STATUS_LABELS.get(row.status, row.status),
        band=band(row.due_on, as_of) if row.status == OPEN else "",
        days_left=(row.due_on - as_of).days,
        custody=row.custody,
        verified=not warnings,
        steps=tuple(json.loads(row.steps or "[]")),
        warnings=warnings,
        source=rule.source if rule else "",
        confidence=rule.confidence if rule else "",
        extensions_used=used,
        next_extension=next_ext,
        suspended_days=suspended,
        closed_on=row.closed_on,
        close_note=row.close_note,
        property_measure_id=row.property_measure_id.hex if row.property_measure_id else "",
        personal_measure_id=row.personal_measure_id.hex if row.personal_measure_id else "",
        custody_review_id=row.custody_review_id.hex if row.custody_review_id else "",
        period_spec=row.period_spec,
    )


class DeadlineService(Service):
    # -- reading ----------------------------------------------------------------------------------
    @guarded("case.read")
    def for_case(self, case_id: str, as_of: date | None = None) -> list[DeadlineView]:
        """The case's deadlines: open ones first, earliest last day first."""
        as_of = as_of or date.today()
        with self._uow() as uow:
            ctx = load_context(uow)
            rows = uow.session.scalars(
                select(Deadline).where(Deadline.case_id == parse_id(case_id, "案件"))
            ).all()
            views = [deadline_view(r, ctx, as_of) for r in rows]
        return sorted(views, key=lambda v: (v.status != OPEN, v.due_on, v.name))

    @guarded("case.read")
    def triggers_for(self, case_id: str) -> dict[str, list[str]]:
        """Events that start a period on this case → the names of the periods they start
        (without those recorded through another page: PAGE_TRIGGERS)."""
        with self._uow() as uow:
            case = load_case(uow.session, case_id)
            family, procedure = case.family, case.procedure
            ctx = load_context(uow)
        found: dict[str, list[str]] = {}
        for rule in ctx.rules.values():
            if rule.trigger == "accepted" or rule.trigger in PAGE_TRIGGERS:
                continue
            if rule.applies_to(family, procedure):
                found.setdefault(rule.trigger, []).append(rule.name)
        return {t: found[t] for t in TRIGGERS if t in found}

    def rules_for_trigger(self, trigger: str) -> list[DeadlineRule]:
        """The rules a trigger starts (whatever the case), for showing what it will do."""
        with self._uow() as uow:
            rules = load_context(uow).rules
        return [r for r in rules.values() if r.trigger == trigger]

    @guarded("case.read", via=ANY_SCOPE)
    def board(
        self,
        as_of: date | None = None,
        handler: str = "",
        rule_id: str = "",
        everything: bool = False,
    ) -> Board:
        """Open deadlines overdue or due within seven days, and those further off whose rule's
        reminder lead time has come (e.g. 30 days before 取保候审 ends); ``everything``: all
        open ones. With the counts of every band."""
        as_of = as_of or date.today()
        week = as_of + timedelta(days=7)
        scope = read_scope(self.identity)  # the cases the user may read
        with self._read() as s:
            leads = {r.id: max(r.reminders, default=0) for r in rules_from(s).values()}
            # each rule's reminders reach as far as its own lead; the rest stop at seven days
            reach = {rid: as_of + timedelta(days=lead) for rid, lead in leads.items() if lead > 7}
            rows = open_deadlines(s, None if everything else week, handler, rule_id, reach, scope)
            # the list stops at seven days: those after it are counted in SQL
            later = None if everything else count_open_after(s, week, handler, rule_id, scope)
        items = tuple(
            BoardItem(
                deadline_id=r.deadline_id,
                case_id=r.case_id,
                rule_id=r.rule_id,
                case_number=r.case_number,
                name=rule_name(r.rule_id),
                subject=r.subject,
                due=_when(r.due_on, r.due_at),
                due_on=r.due_on,
                days_left=(r.due_on - as_of).days,
                band=band(r.due_on, as_of),
                handler=r.handler,
                parties=r.parties,
                custody=r.custody,
                verified=r.warnings in ("", "[]"),
                measure_kind=r.measure_kind,
                measure_id=r.measure_id,
            )
            for r in rows
        )
        counts = dict.fromkeys(BAND_ORDER, 0)
        for item in items:
            counts[item.band] += 1
        if later is not None:
            counts[LATER] = later
        return Board(as_of, handler, counts, items)

    # -- recording what happened ------------------------------------------------------------------
    @guarded("event.record")
    def record_trigger(
        self,
        case_id: str,
        trigger: str,
        on: date | None,
        at: datetime | None = None,
        *,
        note: str = "",
        subject: str = "",
        custody: bool | None = None,
    ) -> list[str]:
        """Record that ``trigger`` happened on the case; returns the ids of the deadlines it
        started. A trigger that starts nothing on this case is refused, and so is one whose
        periods belong to a measure, a compliance case or an enforcement record (PAGE_TRIGGERS:
        recorded on that page)."""
        if trigger not in TRIGGERS:
            raise FieldErrors({"trigger": "请选择事件"})
        if (page := PAGE_TRIGGERS.get(trigger)) is not None:
            what = "措施" if page == "强制措施" else "记录"
            raise FieldErrors({"trigger": f"“{TRIGGERS[trigger]}”请在“{page}”页登记"
                                          f"（该期限随{what}计算）"})  # fmt: skip
        if on is None and at is None:
            raise FieldErrors({"occurred_on": "请填写事件发生的日期"})
        day = at.date() if at else on
        assert day is not None
        if day > date.today():
            raise FieldErrors({"occurred_on": "事件日期不能晚于今天"})
        with self._uow() as uow:
            s = uow.session
            case = load_case(s, case_id)
            if day < case.accepted_on and trigger not in BEFORE_ACCEPTANCE:
                raise FieldErrors({"occurred_on": f"事件日期不能早于收案日期 {case.accepted_on}"})
            ctx = load_context(uow)
            rules = applicable_rules(ctx, trigger, case.family, case.procedure)
            if not rules:
                raise FieldErrors(
                    {"trigger": f"“{TRIGGERS[trigger]}”在{case.family}案件中不产生期限"}
                )
            existing = list(s.scalars(select(Deadline).where(Deadline.case_id == case.id)))
            for rule in rules:
                rounds = [d for d in existing if d.rule_id == rule.id and d.status != CANCELLED]
                if rule.max_rounds and len(rounds) >= rule.max_rounds:
                    raise FieldErrors({"trigger": f"{rule.name}以{rule.max_rounds}次为限（"
                                       f"{rule.source}），本案已有{len(rounds)}次"})  # fmt: skip
            event = CaseEvent(
                case=case, occurred_on=day, occurred_at=at, kind="trigger", trigger=trigger,
                note=clean_text(note), stage="", created_at=audit.utcnow(), created_by=self.actor,
            )  # fmt: skip
            s.add(event)
            s.flush()
            uow.audit("create", "case_event", event.id, TRIGGERS[trigger],
                      {"trigger": (None, TRIGGERS[trigger]), "occurred_on": (None, at or day),
                       "note": (None, event.note)}, case.id)  # fmt: skip
            started = start_trigger_periods(
                uow, ctx, case, event, rules, existing, subject=clean_text(subject), custody=custody
            )
            created = [row.id.hex for row in started]
            uow.commit()
            return created

    # -- acting on one deadline -----------------------------------------------------------------
    def _open_row(self, uow: UnitOfWork, deadline_id: str) -> Deadline:
        row = uow.session.get(Deadline, parse_id(deadline_id, "期限"))
        if row is None:
            raise NotFound("找不到该期限")
        if row.status != OPEN:
            raise ServiceError(f"该期限已{STATUS_LABELS[row.status]}，不能再操作")
        case = uow.session.get(Case, row.case_id)
        if case is None or case.deleted_at is not None:
            raise NotFound("该期限所属的案件已删除")
        return row

    @guarded("event.record", via=Deadline)
    def meet(self, deadline_id: str, on: date | None, note: str = "") -> None:
        """Mark the deadline done on ``on`` (e.g. 已立案, 已回复, 已删除失信信息)."""
        if on is None:
            raise FieldErrors({"on": "请填写完成日期"})
        if on > date.today():
            raise FieldErrors({"on": "完成日期不能晚于今天"})
        with self._uow() as uow:
            row = self._open_row(uow, deadline_id)
            if on < row.start_on:
                raise FieldErrors({"on": f"完成日期不能早于起算日 {row.start_on}"})
            close_deadline(uow, row, MET, on, clean_text(note))
            uow.commit()

    @guarded("deadline.cancel", via=Deadline)
    def cancel(self, deadline_id: str, reason: str) -> None:
        if not clean_text(reason):
            raise FieldErrors({"reason": "请说明撤销的理由"})
        with self._uow() as uow:
            row = self._open_row(uow, deadline_id)
            close_deadline(uow, row, CANCELLED, date.today(), clean_text(reason))
            uow.commit()

    @guarded("deadline.extend.approve", via=Deadline)
    def extend(self, deadline_id: str, approver: str, approved_on: date | None,
               document: str = "") -> None:  # fmt: skip
        """Apply the rule's next extension step, approved by ``approver`` on ``approved_on``."""
        errors = {}
        if not clean_text(approver):
            errors["approver"] = "延长须经批准：请填写批准机关或批准人"
        if approved_on is None:
            errors["approved_on"] = "请填写批准日期"
        elif approved_on > date.today():
            errors["approved_on"] = "批准日期不能晚于今天"
        if errors:
            raise FieldErrors(errors)
        with self._uow() as uow:
            ctx = load_context(uow)
            row = self._open_row(uow, deadline_id)
            rule = ctx.rules[row.rule_id]
            if row.extensions_used >= len(rule.extensions):
                raise ServiceError(f"“{rule.name}”没有可用的延长（已延长{row.extensions_used}次）")
            if approved_on > row.due_on:  # type: ignore[operator]
                raise FieldErrors({"approved_on": f"期限已于 {row.due_on} 届满，不能再延长"})
            step = rule.extensions[row.extensions_used]
            append_entry(row, "extension_log", {
                "approver": clean_text(approver), "approved_on": str(approved_on),
                "document": clean_text(document), "period": step.period.spec,
            })  # fmt: skip
            row.extensions_used += 1
            uow.audit("update", "deadline", row.id, rule.name,
                      {"extensions_used": (row.extensions_used - 1, row.extensions_used),
                       "note": (None, f"{step.period}，{clean_text(approver)}批准")},
                      row.case_id)  # fmt: skip
            recompute(uow, ctx, row)
            uow.commit()

    @guarded("deadline.suspend", via=Deadline)
    def suspend(self, deadline_id: str, days: int, reason: str) -> None:
        """Not count ``days`` days (审限扣除: 公告, 鉴定, 中止 …)."""
        errors = {}
        if days <= 0:
            errors["days"] = "扣除天数应大于0"
        if not clean_text(reason):
            errors["reason"] = "请填写扣除的事由（如公告、鉴定、中止诉讼）"
        if errors:
            raise FieldErrors(errors)
        with self._uow() as uow:
            ctx = load_context(uow)
            row = self._open_row(uow, deadline_id)
            append_entry(row, "suspensions", {"days": days, "reason": clean_text(reason),
                            "recorded_on": str(date.today())})  # fmt: skip
            uow.audit("update", "deadline", row.id, rule_name(row.rule_id),
                      {"suspension": (None, f"{clean_text(reason)} {days}日")},
                      row.case_id)  # fmt: skip
            recompute(uow, ctx, row)
            uow.commit()

    @guarded("deadline.restart", via=Deadline)
    def restart(self, deadline_id: str, on: date | None, reason: str) -> None:
        """Count the period again from ``on`` (改变管辖, 补充侦查后重新移送 …)."""
        errors = {}
        if on is None:
            errors["on"] = "请填写重新计算的起算日"
        elif on > date.today():
            errors["on"] = "起算日不能晚于今天"
        if not clean_text(reason):
            errors["reason"] = "请填写重新计算的事由"
        if errors:
            raise FieldErrors(errors)
        with self._uow() as uow:
            ctx = load_context(uow)
            row = self._open_row(uow, deadline_id)
            if on < row.start_on:  # type: ignore[operator]
                raise FieldErrors({"on": f"重新计算的起算日不能早于原起算日 {row.start_on}"})
            append_entry(row, "restarts", {"on": str(on), "reason": clean_text(reason)})
            row.extensions_used, row.suspensions = 0, "[]"
            uow.audit("update", "deadline", row.id, rule_name(row.rule_id),
                      {"restart": (None, f"{on} {clean_text(reason)}")}, row.case_id)  # fmt: skip
            recompute(uow, ctx, row)
            uow.commit()

    @guarded("admin.rules", via=False)
    def recompute_open(self, why: str = "节假日或期限规则已修改") -> int:
        """Recompute every open deadline (after holiday data or a rule changed); returns how
        many last days moved."""
        with self._uow() as uow:
            ctx = load_context(uow)
            rows = uow.session.scalars(select(Deadline).where(deadline_is_open())).all()
            moved = sum(recompute(uow, ctx, row, why) for row in rows)
            uow.commit()
            return moved
