"""Reading a ``casedesk-cases`` file line by line into checked records (docs/interchange.md).

Reading a line needs no database: the code tables it is checked against come in a
:class:`ReadContext`. What only the database can tell (案号 already registered, which enterprise an
id or credit code names) is decided by :mod:`casedesk.services.interchange.importer`.
"""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from datetime import UTC, date, datetime
from typing import Any

from casedesk.domain.drafts import (
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

#: The note of the second entry :meth:`CaseService.create` adds for a case registered later on.
REGISTERED_NOTE = "登记时的阶段"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_NUMBER = 40  # case_file.case_number column
_MAX_SEQUENCE = 2**31 - 1
_MAX_FEN = 2**63 - 1
_MAX_ACTOR = 100  # case_event.created_by column
#: Case-draft error keys that differ from the file's key.
_CASE_KEYS = {"amount": "amount_fen"}


class LineProblems(Exception):
    """A line that cannot be imported; ``problems`` are Chinese reasons, each naming its key."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("；".join(problems))


def loads(text: str) -> Any:
    """Parse one line; raises :class:`LineProblems` with a Chinese reason."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise LineProblems([f"不是有效的 JSON（第{exc.colno}列：{exc.msg}）"]) from None
    except (ValueError, RecursionError) as exc:
        raise LineProblems([f"不是有效的 JSON（{exc}）"]) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"不允许 {name}")


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
    if not _is_int(version) or version < 1:
        raise LineProblems([f"文件头的 version 应为正整数，实为 {json.dumps(version)}"])
    if version > VERSION:
        raise LineProblems(
            [
                f"文件格式版本为 {version}，本程序（{GENERATOR}）只能读取版本 {VERSION}，"
                "请升级 CaseDesk 后再导入"
            ]
        )
    count = obj.get("cases")
    if not _is_int(count) or count < 0:
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


class _CaseReader:
    """Reads one case object, collecting problems keyed by path (first problem per path wins)."""

    def __init__(self, obj: dict, ctx: ReadContext):
        self.obj, self.ctx = obj, ctx
        self.problems: dict[str, str] = {}
        self.unknown: list[str] = []

    # -- typed access ---------------------------------------------------------------------------
    def problem(self, path: str, message: str) -> None:
        self.problems.setdefault(path, message)

    def field_errors(self, base: str, exc: FieldErrors) -> None:
        for key, message in exc.errors.items():
            self.problem(_join(base, _CASE_KEYS.get(key, key) if not base else key), message)

    def known(self, obj: dict, path: str, kind: str) -> None:
        self.unknown.extend(_join(path, k) for k in obj if k not in KNOWN_KEYS[kind])

    def text(self, obj: dict, path: str, key: str, required: bool = False) -> str:
        """A text value; missing or null is "" (a problem when ``required``)."""
        value = obj.get(key)
        if value is None:
            if required:
                self.problem(_join(path, key), "缺少必填项")
            return ""
        if not isinstance(value, str):
            self.problem(_join(path, key), f"应为文本，实为 {_json_kind(value)}")
            return ""
        return value

    def date(self, obj: dict, path: str, key: str, required: bool = False) -> date | None:
        value = self.text(obj, path, key, required)
        if not value:
            return None
        try:
            if not _ISO_DATE.match(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.problem(_join(path, key), f"日期应为 YYYY-MM-DD 格式的有效日期，实为“{value}”")
            return None

    def moment(self, obj: dict, path: str, key: str) -> datetime:
        value = self.text(obj, path, key)
        if not value:
            return self.ctx.now
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.problem(_join(path, key), f"时间应为 ISO 8601 格式，实为“{value}”")
            return self.ctx.now
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    def items(self, obj: dict, path: str, key: str, kind: type) -> list:
        value = obj.get(key)
        if value is None:
            return []
        where = _join(path, key)
        if not isinstance(value, list):
            self.problem(where, f"应为数组，实为 {_json_kind(value)}")
            return []
        good = []
        for i, item in enumerate(value):
            if isinstance(item, kind):
                good.append(item)
            else:
                expected = "文本" if kind is str else "JSON 对象"
                self.problem(f"{where}[{i}]", f"应为{expected}，实为 {_json_kind(item)}")
        return good

    # -- the case -------------------------------------------------------------------------------
    def read(self) -> CaseRecord:
        obj, ctx = self.obj, self.ctx
        self.known(obj, "", "case")
        texts = {k: self.text(obj, "", k, required=k == "family") for k in CASE_TEXT_FIELDS}
        if texts["family"] and texts["family"] not in CASE_FAMILIES:
            self.problem(
                "family", f"“{texts['family']}”不是案件类别，应为：{'、'.join(CASE_FAMILIES)}"
            )
        number = self.text(obj, "", "case_number", required=True)
        if len(number) > _MAX_NUMBER:
            self.problem("case_number", f"案号过长（最多{_MAX_NUMBER}个字）")
        amount = obj.get("amount_fen")
        if amount is not None and not _is_int(amount):
            self.problem("amount_fen", f"标的额应为整数（单位：分），实为 {_json_kind(amount)}")
            amount = None
        elif amount is not None and amount > _MAX_FEN:
            self.problem("amount_fen", "标的额过大")
            amount = None
        draft = CaseDraft(
            case_number=number,
            accepted_on=self.date(obj, "", "accepted_on", required=True),
            closed_on=self.date(obj, "", "closed_on"),
            amount_fen=amount,
            tags=tuple(self.items(obj, "", "tags", str)),
            **texts,
        )
        family_ok = draft.family in CASE_FAMILIES
        events = [
            event
            for i, e in enumerate(self.items(obj, "", "events", dict))
            if (event := self.event(e, f"events[{i}]", draft, family_ok)) is not None
        ]
        warnings: list[str] = []
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
        if self.problems:
            raise LineProblems(
                [f"{path}：{msg}" if path else msg for path, msg in self.problems.items()]
            )
        return CaseRecord(draft, parts, parties, events, warnings, self.unknown)

    def party(self, obj: dict, path: str) -> tuple[str, SubjectRecord] | None:
        self.known(obj, path, "party")
        role = self.text(obj, path, "role", required=True)
        try:
            check_role(role)
        except FieldErrors:
            if role:
                self.problem(_join(path, "role"), f"“{role}”不是有效的诉讼地位")
        subjects = [k for k in ("enterprise", "person") if obj.get(k) is not None]
        if len(subjects) != 1:
            self.problem(path, "应有且只有 enterprise 或 person 之一")
            return None
        kind = subjects[0]
        sub, where = obj[kind], _join(path, kind)
        if not isinstance(sub, dict):
            self.problem(where, f"应为 JSON 对象，实为 {_json_kind(sub)}")
            return None
        self.known(sub, where, kind)
        file_id = None
        raw_id = self.text(sub, where, "id")
        if raw_id:
            try:
                file_id = uuid.UUID(raw_id)
            except ValueError:
                self.problem(_join(where, "id"), f"“{raw_id}”不是有效的编号（UUID）")
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
            self.problem(
                _join(path, "kind"), f"未知的记录类型“{kind}”（版本 {VERSION} 只有 stage）"
            )
        occurred_on = self.date(obj, path, "occurred_on", required=True)
        stage = self.text(obj, path, "stage", required=True)
        note = self.text(obj, path, "note")
        created_by = self.text(obj, path, "created_by").strip() or self.ctx.actor
        if len(created_by) > _MAX_ACTOR:
            self.problem(_join(path, "created_by"), f"记录人过长（最多{_MAX_ACTOR}个字）")
        created_at = self.moment(obj, path, "created_at")
        if not family_ok or occurred_on is None or not stage:
            return None
        if stage not in stages_for(case.family):
            self.problem(_join(path, "stage"), f"“{stage}”不是{case.family}案件的阶段")
        try:
            d = check_stage(
                StageDraft(occurred_on, stage, note), case.family, case.accepted_on, self.ctx.today
            )
        except FieldErrors as exc:
            self.field_errors(path, exc)
            return None
        return EventRecord(occurred_on, kind, d.stage, d.note, created_by, created_at)

    def timeline(
        self, draft: CaseDraft, events: list[EventRecord], warnings: list[str]
    ) -> tuple[CaseDraft, list[EventRecord]]:
        """The case's stage is that of its latest stage event. A line without events gets the
        timeline :meth:`CaseService.create` starts (acceptance, then the stage given if later);
        a closing stage reached in the events fills in an empty closing date, as the timeline
        service does."""
        assert draft.accepted_on is not None
        stage = draft.stage.strip()
        if any(p.startswith("events") for p in self.problems):
            return draft, events  # refused anyway; the timeline is judged once its parts are valid
        if not events:
            first = stages_for(draft.family)[0]
            events = [self.generated(draft.accepted_on, first, ACCEPTANCE_NOTE)]
            if stage and stage != first:
                closed = stage in CLOSED_STAGES and draft.closed_on is not None
                day = draft.closed_on if closed else draft.accepted_on
                events.append(self.generated(day, stage, REGISTERED_NOTE))  # type: ignore[arg-type]
            return dataclasses.replace(draft, stage=events[-1].stage), events
        events.sort(key=lambda e: (e.occurred_on, e.created_at))
        latest = events[-1]
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


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int | float):
        return f"数字 {value}"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, list):
        return "数组"
    if isinstance(value, dict):
        return "JSON 对象"
    return "null"
