"""The deadlines of the demo cases, as the services would have created them.

:class:`DeadlineMaker` queues ``deadline`` rows (and the ``case_event`` rows of trigger events)
computed with the real engine (:func:`casedesk.domain.deadlines.compute`) over the database's own
work calendar and rules, with the steps and warnings stored exactly as
:mod:`casedesk.services.deadline_sync` stores them. The periods that run from the acceptance date
are met on the closing date ("已结案") when the case is closed; on open cases some have been
extended or suspended (审限扣除). :class:`~casedesk.services.demo.triggers.TriggerMaker` adds the
trigger events and their periods.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from casedesk.domain.deadline_rules import DeadlineRule
from casedesk.domain.deadlines import MET, OPEN, DeadlineState, compute
from casedesk.domain.periods import Period, Suspension
from casedesk.domain.work_calendar import WorkCalendar
from casedesk.services.deadline_sync import ACCEPTED, CLOSED_NOTE
from casedesk.services.demo.subjects import Subject
from casedesk.store.bulk import datetime_value

#: Chance that a deadline met after its last day had each needed extension approved in time.
EXTEND_WHEN_LATE = 0.85
#: Chance that an open deadline within a week of its last day (or past it) has been extended.
EXTEND_WHEN_NEAR = 0.5
#: Chance that an open trial or enforcement period has a suspension: near its end, or otherwise.
SUSPEND_WHEN_NEAR, SUSPEND_OTHERWISE = 0.25, 0.1
SUSPENSION_REASONS = ("公告期间", "鉴定期间")
#: 中止审理 entries of the timeline and the suspension (审限扣除) each records.
STAGE_SUSPENSIONS = {"因司法鉴定中止审理": "鉴定期间", "因当事人下落不明公告送达": "公告期间"}
EXTENSION_DOCUMENTS = {
    "enforcement.term": "延长执行期限审批表",
    "criminal.detention.request_arrest": "延长提请批准逮捕期限审批表",
    "criminal.custody.investigation": "批准延长侦查羁押期限决定书",
    "criminal.prosecution.review": "延长审查起诉期限审批表",
}
#: An open period without an event that ended it stays open while it is not past its last day
#: by more than this many days; older ones were dealt with on their last day.
RECENT = 15
#: A suspension as queued: (days, reason, recorded on as an ordinal).
Pause = tuple[int, str, int]
#: The measure or review a clock belongs to: (property measure, personal measure, custody
#: review) ids, at most one of them set.
Links = tuple[str | None, str | None, str | None]
NO_LINKS: Links = (None, None, None)


@dataclass(frozen=True)
class CaseFacts:
    """What the deadlines of one demo case depend on. Days are ordinals."""

    id: str
    family: str
    procedure: str
    accepted: int
    closed: int | None
    events: list[tuple[int, str, str]]  # (day, stage, note) of the stage entries
    stamps: list[str]  # creation time of each stage entry
    subjects: list[tuple[str, Subject]]  # (role, party)
    number: str = ""
    cause: str = ""
    court: str = ""
    type_code: str = ""
    amount: int | None = None  # amount in dispute (fen)
    costs: int | None = None  # 诉讼费 / 执行费 (fen)
    enterprise: bool = False  # 涉企: an enterprise takes part, or tagged so
    cleared: bool = False  # a 挂案 cleared after years (its transfer or 撤案 came late)


class DeadlineMaker:
    """Queues deadline rows into ``rows`` (the tables' row lists, shared with the case maker)."""

    def __init__(
        self,
        rng: random.Random,
        today: int,
        now: datetime,
        actor: str,
        calendar: WorkCalendar,
        rules: dict[str, DeadlineRule],
        rows: dict[str, list[tuple]],
        new_id: Callable[[], str],
        iso: Callable[[int], str],
    ):
        self.rng, self.today, self.now, self.actor = rng, today, now, actor
        self.calendar, self.rules, self.rows = calendar, rules, rows
        self.new_id, self.iso = new_id, iso
        self._due: dict[tuple, tuple[int, str, str]] = {}
        self._accepted: dict[tuple[str, str], list[DeadlineRule]] = {}
        self._term_rules: dict[tuple[str, str], DeadlineRule] = {}

    # -- computing ------------------------------------------------------------------------------
    def due(
        self, rule: DeadlineRule, start: int, used: int = 0, pauses: tuple[Pause, ...] = ()
    ) -> tuple[int, str, str]:
        """(last day, steps JSON, warnings JSON) as the services compute and store them."""
        key = (rule.id, rule.period, start, used, tuple([p[:2] for p in pauses]) if pauses else ())
        found = self._due.get(key)
        if found is None:
            suspensions = tuple(Suspension(days, reason) for days, reason, _on in pauses)
            state = DeadlineState(rule, date.fromordinal(start), rule.custody, used, suspensions)
            result = compute(state, self.calendar)
            found = self._due[key] = (
                result.day.toordinal(),
                json.dumps(result.steps, ensure_ascii=False),
                json.dumps(result.warnings, ensure_ascii=False),
            )
        return found

    def term(self, rule: DeadlineRule, spec: str) -> DeadlineRule:
        """The rule with the term chosen for one deadline (its ``period_spec``), as
        :func:`casedesk.services.deadline_sync.effective_rule` applies it."""
        if not spec or spec == rule.period.spec:
            return rule
        found = self._term_rules.get((rule.id, spec))
        if found is None:
            found = self._term_rules[rule.id, spec] = dataclasses.replace(
                rule, period=Period.parse(spec)
            )
        return found

    def stamp_on(self, day: int) -> str:
        """A creation time (UTC) in office hours of ``day``; never in the future."""
        if day >= self.today:
            return datetime_value(self.now - timedelta(seconds=5))
        second, micro = 3600 + int(self.rng.random() * 28800), int(self.rng.random() * 1e6)
        return (
            f"{self.iso(day)} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}."
            f"{micro:06d}"
        )

    @staticmethod
    def later(stamp: str, seconds: float) -> str:
        return datetime_value(datetime.fromisoformat(stamp) + timedelta(seconds=seconds))

    # -- queueing -------------------------------------------------------------------------------
    def event(
        self, case_id: str, day: int, trigger: str, note: str, stamp: str, at: str | None = None
    ) -> str:
        """Queue a trigger entry of the timeline (``at``: its time, for hours); returns its id."""
        event_id = self.new_id()
        self.rows["case_event"].append(
            (event_id, case_id, self.iso(day), "trigger", trigger, at, "", note, stamp,
             self.actor)
        )  # fmt: skip
        return event_id

    def add(
        self,
        case_id: str,
        rule: DeadlineRule,
        trigger: str,
        start: int,
        created: str,
        *,
        end: int | None = None,
        note: str = "",
        event_id: str | None = None,
        subject: str = "",
        round_: int = 1,
        pauses: tuple[Pause, ...] = (),
        may_suspend: bool = False,
        period_spec: str = "",
        links: Links = NO_LINKS,
        extend: int | None = None,
        start_at: str | None = None,
        row_id: str | None = None,
    ) -> int:
        """Queue a deadline of ``rule`` counted from ``start``: met on ``end`` with ``note``
        (extended first if that was late), or open when ``end`` is None (then perhaps extended,
        or with ``may_suspend`` suspended, as handlers do when the last day comes near).
        ``period_spec``: its own term; ``links``: the measure or review it belongs to;
        ``extend``: exactly this many extensions approved; ``start_at``: the time it runs from
        (a measure carried out at a time, as the service stores it); ``row_id``: its id when the
        caller must refer to it. Returns its last day."""
        rng, today = self.rng, self.today
        own = period_spec if period_spec and period_spec != rule.period.spec else ""
        base, rule = rule, self.term(rule, own)
        computed = self.due(rule, start, 0, pauses)
        due, paused = computed[0], pauses
        approvals: list[int] = []
        if extend is not None:
            approvals = [self._approval_day(start, self.due(rule, start, n)[0])
                         for n in range(extend)]  # fmt: skip
        elif end is not None:
            while due < end and len(approvals) < len(rule.extensions):
                if rng.random() >= EXTEND_WHEN_LATE:
                    break
                approvals.append(self._approval_day(start, due))
                due = self.due(rule, start, len(approvals), pauses)[0]
        else:
            near, roll = due <= today + 7, rng.random()
            if near and rule.extensions and roll < EXTEND_WHEN_NEAR:
                approvals.append(self._approval_day(start, due))
            elif may_suspend and roll < (SUSPEND_WHEN_NEAR if near else SUSPEND_OTHERWISE):
                on = min(start + 1 + int(rng.random() * max(min(today, due) - start, 1)), today)
                days = rng.randint(30, 60)
                pauses = (*pauses, (days, SUSPENSION_REASONS[int(rng.random() * 2)], on))
        if approvals or pauses is not paused:
            computed = self.due(rule, start, len(approvals), pauses)
        due, steps, warnings = computed
        log = entries = "[]"
        changed = end or 0
        if approvals:
            log = json.dumps([
                {"approver": ext.approver, "approved_on": self.iso(on),
                 "document": EXTENSION_DOCUMENTS.get(rule.id, "延长审限审批表"),
                 "period": ext.period.spec}
                for ext, on in zip(rule.extensions, approvals, strict=False)
            ], ensure_ascii=False)  # fmt: skip
            changed = max(changed, *approvals)
        if pauses:
            entries = json.dumps(
                [{"days": d, "reason": r, "recorded_on": self.iso(on)} for d, r, on in pauses],
                ensure_ascii=False,
            )
            changed = max(changed, *(p[2] for p in pauses))
        updated = max(created, self.stamp_on(changed)) if changed else created
        self.rows["deadline"].append((
            row_id or self.new_id(), case_id, base.id, trigger, event_id, subject, round_,
            self.iso(start), start_at, int(rule.custody), len(approvals), log, entries, "[]",
            self.iso(due), None, steps, warnings, MET if end else OPEN,
            self.iso(end) if end else None, note, created, self.actor, updated, 1, own, *links,
        ))  # fmt: skip
        return due

    def _approval_day(self, start: int, due: int) -> int:
        """An extension is approved in the last days before the last day, never in the future."""
        return min(max(start + 1, due - int(self.rng.random() * 6)), self.today)

    # -- the periods that run from the acceptance date ------------------------------------------
    def accepted(self, case: CaseFacts) -> None:
        """What :func:`casedesk.services.deadline_sync.sync_case_deadlines` creates for the case,
        met on the closing date when the case is closed."""
        key = (case.family, case.procedure)
        rules = self._accepted.get(key)
        if rules is None:
            rules = self._accepted[key] = [
                r
                for r in self.rules.values()
                if r.trigger == ACCEPTED and r.applies_to(case.family, case.procedure)
            ]
        if not rules:
            return
        halts = [(day, STAGE_SUSPENSIONS[note]) for day, _s, note in case.events
                 if note in STAGE_SUSPENSIONS]  # fmt: skip
        for rule in rules:
            pauses = tuple((self.rng.randint(30, 60), reason, day) for day, reason in halts)
            self.add(case.id, rule, ACCEPTED, case.accepted, case.stamps[0], end=case.closed,
                     note=CLOSED_NOTE if case.closed else "", pauses=pauses,
                     may_suspend=True)  # fmt: skip
