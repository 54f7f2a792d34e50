"""Reading a ``casedesk-cases`` file line by line into checked records (docs/interchange.md).

Reading a line needs no database: the code tables, work calendar and deadline rules it is
checked against come in a :class:`ReadContext`. What only the database can tell (案号 already
registered, which enterprise an id or credit code names) is decided by
:mod:`casedesk.services.interchange.importer`.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import date, datetime

from casedesk.domain.deadline_rules import BEFORE_ACCEPTANCE, TRIGGERS
from casedesk.domain.drafts import (
    LIMITS,
    CaseDraft,
    EnterpriseDraft,
    PersonDraft,
    StageDraft,
    check_case,
    check_enterprise,
    check_person,
    check_role,
    check_stage,
)
from casedesk.domain.errors import FieldErrors
from casedesk.domain.vocabulary import CASE_FAMILIES, CLOSED_STAGES, stages_for
from casedesk.services.cases import ACCEPTANCE_NOTE
from casedesk.services.deadline_sync import applicable_rules
from casedesk.services.interchange.checks import (
    FieldReader,
    LineProblems,
    is_int,
    join,
    json_kind,
    loads,
)
from casedesk.services.interchange.clock_refs import ClockRefs
from casedesk.services.interchange.format import (
    CASE_TEXT_FIELDS,
    ENTERPRISE_FIELDS,
    EVENT_KINDS,
    FORMAT,
    GENERATOR,
    KNOWN_KEYS,
    PERSON_FIELDS,
    VERSION,
    CaseRecord,
    EventRecord,
    ReadContext,
    SubjectRecord,
)
from casedesk.services.interchange.measure_terms import align_terms
from casedesk.services.interchange.read_compliance import ComplianceReader
from casedesk.services.interchange.read_deadlines import needs_follow_up, read_deadlines
from casedesk.services.interchange.read_enforcement import EnforcementReader
from casedesk.services.interchange.read_listings import align_listing_terms
from casedesk.services.interchange.read_measures import MeasureReader
from casedesk.services.interchange.read_suggestions import SuggestionReader, check_reply_clocks

__all__ = ["LineProblems", "read_case", "read_header"]

#: The note of the second entry :meth:`CaseService.create` adds for a case registered later on.
REGISTERED_NOTE = "登记时的阶段"
_MAX_NUMBER = 40  # case_file.case_number column
_MAX_SEQUENCE = 2**31 - 1
_MAX_FEN = 2**63 - 1
_MAX_ACTOR = 100  # case_event.created_by column


def read_header(text: str) -> tuple[int, list[str]]:
    """The number of cases the header announces, and the header keys this version ignores.

    Raises :class:`LineProblems` with one clear reason when the line is not a header this
    version can read.
    """
    refused = LineProblems(
        [
            "这不是 CaseDesk 案件交换文件（第一行应为文件头，如 "
            f'{{"format": "{FORMAT}", "version": {VERSION}, …}}）'
        ]
    )
    try:
        obj = loads(text)
    except LineProblems:
        raise refused from None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise refused
    version = obj.get("version")
    if not is_int(version) or version < 1:
        raise LineProblems([f"文件头的 version 应为正整数，实为 {json.dumps(version)}"])
    if version > VERSION:
        raise LineProblems(
            [
                f"文件格式版本为 {version}，本程序（{GENERATOR}）只能读取版本 {VERSION}，"
                "请升级 CaseDesk 后再导入"
            ]
        )
    count = obj.get("cases")
    if not is_int(count) or count < 0:
        raise LineProblems([f"文件头的 cases（案件数）应为非负整数，实为 {json.dumps(count)}"])
    return count, sorted(k for k in obj if k not in KNOWN_KEYS["header"])


def read_case(text: str, ctx: ReadContext) -> CaseRecord:
    """Parse and check one case line; raises :class:`LineProblems` listing every problem."""
    obj = loads(text)
    if not isinstance(obj, dict):
        raise LineProblems(["每行应为一个 JSON 对象"])
    kind = obj.get("type")
    if kind != "case":
        shown = (
            "缺少 type"
            if kind is None
            else f"未知的记录类型 {json.dumps(kind, ensure_ascii=False)}"
        )
        raise LineProblems([f'type：{shown}（版本 {VERSION} 只有 "case"）'])
    return _CaseReader(obj, ctx).read()


class _CaseReader(FieldReader):
    """Reads one case object, collecting problems keyed by path (first problem per path wins)."""

    def __init__(self, obj: dict, ctx: ReadContext):
        super().__init__(ctx)
        self.obj = obj
        self.notes: list[str] = []  # doubts found while reading the events

    # -- the case -------------------------------------------------------------------------------
    def read(self) -> CaseRecord:
        obj, ctx = self.obj, self.ctx
        self.known(obj, "", "case")
        texts = {k: self.text(obj, "", k, required=k == "family") for k in CASE_TEXT_FIELDS}
        unit = None if obj.get("unit") is None else self.clean(obj, "", "unit", "所属部门", 100)
        if texts["family"] and texts["family"] not in CASE_FAMILIES:
            self.problem(
                "family", f"“{texts['family']}”不是案件类别，应为：{'、'.join(CASE_FAMILIES)}"
            )
        number = self.text(obj, "", "case_number", required=True)
        if len(number) > _MAX_NUMBER:
            self.problem("case_number", f"案号过长（最多{_MAX_NUMBER}个字）")
        amount = obj.get("amount_fen")
        if amount is not None and not is_int(amount):
            self.problem("amount_fen", f"标的额应为整数（单位：分），实为 {json_kind(amount)}")
            amount = None
        elif amount is not None and amount > _MAX_FEN:
            self.problem("amount_fen", "标的额过大")
            amount = None
        draft = CaseDraft(
            case_number=number,
            accepted_on=self.date(obj, "", "accepted_on", required=True),
            closed_on=self.date(obj, "", "closed_on"),
            amount_fen=amount,
            costs_fen=self.fen(obj, "", "costs_fen", "诉讼费用"),
            tags=tuple(self.items(obj, "", "tags", str)),
            **texts,
        )
        family_ok = draft.family in CASE_FAMILIES
        by_position = {
            i: event
            for i, e in self.entries(obj, "", "events")
            if (event := self.event(e, f"events[{i}]", draft, family_ok)) is not None
        }
        events = list(by_position.values())
        warnings = self.notes
        if family_ok and draft.accepted_on is not None:
            draft, events = self.timeline(draft, events, warnings)
        try:
            checked = check_case(draft, ctx.type_codes, ctx.court_codes, ctx.today)
            draft, parts = checked.draft, checked.parts
            warnings.extend(checked.warnings)
            if parts["sequence"] > _MAX_SEQUENCE:
                self.problem("case_number", "案件编号过大")
        except FieldErrors as exc:
            self.field_errors("", exc)
            parts = {}
        if missing := [t for t in draft.tags if t not in ctx.tags]:
            shown = "、".join(f"“{t}”" for t in missing)
            self.problem("tags", f"标签{shown}不在标签表中，请先由管理员在代码表中添加")
        parties = [
            party
            for i, p in enumerate(self.items(obj, "", "parties", dict))
            if (party := self.party(p, f"parties[{i}]")) is not None
        ]
        reader, refs = MeasureReader(self, obj, draft), ClockRefs(self)
        measures = reader.read()
        compliance = ComplianceReader(reader, refs).read()
        enforcement = EnforcementReader(reader, refs).read()
        suggestions = SuggestionReader(reader, refs).read()
        positions: dict = {}
        deadlines = read_deadlines(self, obj, draft, by_position, warnings, measures, positions)
        raw = obj.get("deadlines")
        refs.resolve(positions, len(raw) if isinstance(raw, list) else None)
        check_reply_clocks(self, suggestions)
        if self.problems:
            raise LineProblems(
                [f"{path}：{msg}" if path else msg for path, msg in self.problems.items()]
            )
        align_terms(measures, deadlines, warnings)
        if enforcement is not None:
            align_listing_terms(enforcement.listings, warnings)
        if measures and deadlines is None:
            warnings.append(
                "deadlines：文件未写明期限，强制措施的期限（羁押期限、查封冻结期限等）未随措施"
                "建立，请在案件的强制措施页核对"
            )
        if (compliance or enforcement) and deadlines is None:
            warnings.append(
                "deadlines：文件未写明期限，合规考察、失信名单的期限（考察期、宽限期等）未随"
                "记录建立，请在案件的合规考察页、执行页核对"
            )
        if deadlines is None and any(s.values["served_on"] for s in suggestions):
            warnings.append("deadlines：文件未写明期限，已送达建议书的回复期限未随记录建立，"
                            "请在案件的建议书页核对")  # fmt: skip
        record = CaseRecord(draft, parts, parties, events, warnings, self.unknown, deadlines)
        record.unit = unit
        record.suggestions = suggestions
        record.measures, record.compliance, record.enforcement = measures, compliance, enforcement
        record.follow_up = needs_follow_up(record, self.ctx, warnings)
        return record

    def party(self, obj: dict, path: str) -> tuple[str, SubjectRecord] | None:
        self.known(obj, path, "party")
        role = self.text(obj, path, "role", required=True)
        try:
            check_role(role)
        except FieldErrors:
            if role:
                self.problem(join(path, "role"), f"“{role}”不是有效的诉讼地位")
        subjects = [k for k in ("enterprise", "person") if obj.get(k) is not None]
        if len(subjects) != 1:
            self.problem(path, "应有且只有 enterprise 或 person 之一")
            return None
        kind = subjects[0]
        sub, where = obj[kind], join(path, kind)
        if not isinstance(sub, dict):
            self.problem(where, f"应为 JSON 对象，实为 {json_kind(sub)}")
            return None
        self.known(sub, where, kind)
        file_id = None
        raw_id = self.text(sub, where, "id")
        if raw_id:
            try:
                file_id = uuid.UUID(raw_id)
            except ValueError:
                self.problem(join(where, "id"), f"“{raw_id}”不是有效的编号（UUID）")
        names = ENTERPRISE_FIELDS if kind == "enterprise" else PERSON_FIELDS
        values = {k: self.text(sub, where, k, required=k == "name") for k in names}
        checked = self.ctx.checked_subjects
        memo = (kind, *values.values())
        if memo not in checked:
            try:
                if kind == "enterprise":
                    checked[memo] = check_enterprise(EnterpriseDraft(**values))
                else:
                    checked[memo] = check_person(PersonDraft(**values), self.ctx.today)
            except FieldErrors as exc:
                checked[memo] = exc
        draft = checked[memo]
        if isinstance(draft, FieldErrors):
            self.field_errors(where, draft)
            return None
        key = draft.credit_code if kind == "enterprise" else draft.id_number
        return role, SubjectRecord(kind, file_id, key, draft)

    def event(self, obj: dict, path: str, case: CaseDraft, family_ok: bool) -> EventRecord | None:
        self.known(obj, path, "event")
        kind = self.text(obj, path, "kind") or "stage"
        if kind not in EVENT_KINDS:
            shown = " 和 ".join(EVENT_KINDS)
            self.problem(
                join(path, "kind"), f"未知的记录类型“{kind}”（版本 {VERSION} 只有 {shown}）"
            )
            return None
        occurred_on = self.date(obj, path, "occurred_on", required=True)
        created_by = self.text(obj, path, "created_by").strip() or self.ctx.actor
        if len(created_by) > _MAX_ACTOR:
            self.problem(join(path, "created_by"), f"记录人过长（最多{_MAX_ACTOR}个字）")
        created_at = self.moment(obj, path, "created_at")
        if kind == "trigger":
            note = self.clean(obj, path, "note", "说明", LIMITS["notes"])
            return self.trigger(obj, path, case, occurred_on, note, created_by, created_at)
        for key in ("trigger", "occurred_at"):
            if obj.get(key) is not None:
                self.problem(join(path, key), "只有期限事件（kind 为 trigger）才有此项")
        stage = self.text(obj, path, "stage", required=True)
        note = self.text(obj, path, "note")
        if not family_ok or occurred_on is None or not stage:
            return None
        if stage not in stages_for(case.family):
            self.problem(join(path, "stage"), f"“{stage}”不是{case.family}案件的阶段")
        try:
            d = check_stage(
                StageDraft(occurred_on, stage, note), case.family, case.accepted_on, self.ctx.today
            )
        except FieldErrors as exc:
            self.field_errors(path, exc)
            return None
        return EventRecord(occurred_on, kind, d.stage, d.note, created_by, created_at)

    def trigger(
        self,
        obj: dict,
        path: str,
        case: CaseDraft,
        occurred_on: date | None,
        note: str,
        created_by: str,
        created_at: datetime,
    ) -> EventRecord | None:
        """A trigger event (期限事件): what happened, on which day (and at what local time)."""
        trigger = self.text(obj, path, "trigger", required=True)
        if trigger and trigger not in TRIGGERS:
            self.problem(join(path, "trigger"), f"“{trigger}”不是本程序认识的期限事件")
        at = self.local_time(obj, path, "occurred_at")
        if self.text(obj, path, "stage").strip():
            self.problem(join(path, "stage"), "期限事件不改变案件阶段，stage 应为空")
        if occurred_on is None or trigger not in TRIGGERS:
            return None
        if case.family in CASE_FAMILIES and not applicable_rules(
            self.ctx.rule_context, trigger, case.family, case.procedure.strip()
        ):
            self.notes.append(f"{path}：“{TRIGGERS[trigger]}”在{case.family}案件中不产生期限")
        if at is not None and at.date() != occurred_on:
            self.problem(join(path, "occurred_at"), f"时刻与日期 {occurred_on} 不是同一天")
        if occurred_on > self.ctx.today:
            self.problem(join(path, "occurred_on"), "日期不能晚于今天")
        accepted = case.accepted_on
        if accepted is not None and occurred_on < accepted and trigger not in BEFORE_ACCEPTANCE:
            self.problem(join(path, "occurred_on"), f"日期不能早于收案日期 {accepted.isoformat()}")
        return EventRecord(occurred_on, "trigger", "", note, created_by, created_at, trigger, at)

    def timeline(
        self, draft: CaseDraft, events: list[EventRecord], warnings: list[str]
    ) -> tuple[CaseDraft, list[EventRecord]]:
        """The case's stage is that of its latest stage event. A line without stage events gets
        the timeline :meth:`CaseService.create` starts (acceptance, then the stage given if later);
        a closing stage reached in the events fills in an empty closing date, as the timeline
        service does."""
        assert draft.accepted_on is not None
        stage = draft.stage.strip()
        if any(p.startswith("events") for p in self.problems):
            return draft, events  # refused anyway; the timeline is judged once its parts are valid
        stages = [e for e in events if e.kind == "stage"]
        if not stages:
            first = stages_for(draft.family)[0]
            stages = [self.generated(draft.accepted_on, first, ACCEPTANCE_NOTE)]
            if stage and stage != first:
                closed = stage in CLOSED_STAGES and draft.closed_on is not None
                day = draft.closed_on if closed else draft.accepted_on
                stages.append(self.generated(day, stage, REGISTERED_NOTE))  # type: ignore[arg-type]
            events = sorted([*stages, *events], key=lambda e: (e.occurred_on, e.created_at))
            return dataclasses.replace(draft, stage=stages[-1].stage), events
        events.sort(key=lambda e: (e.occurred_on, e.created_at))
        latest = [e for e in events if e.kind == "stage"][-1]
        if stage and stage != latest.stage:
            self.problem(
                "stage",
                f"与时间线最后的阶段“{latest.stage}”（{latest.occurred_on.isoformat()}）不一致",
            )
        closed_on = draft.closed_on
        if latest.stage in CLOSED_STAGES and closed_on is None:
            closed_on = latest.occurred_on
            warnings.append(f"阶段为“{latest.stage}”，结案日期按时间线填为 {closed_on.isoformat()}")
        return dataclasses.replace(draft, stage=latest.stage, closed_on=closed_on), events

    def generated(self, day: date, stage: str, note: str) -> EventRecord:
        return EventRecord(day, "stage", stage, note, self.ctx.actor, self.ctx.now)
