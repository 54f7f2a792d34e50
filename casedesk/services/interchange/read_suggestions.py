"""Reading the suggestion documents of a case line and the numbering settings of the header
(docs/interchange.md §3.10): each suggestion (建议书) checked with the drafting form's rules
(``check_draft``), a finalised one with the finalising rules (``check_final``, nothing left to
fill, its number of the signing date's year), plus what its state implies — service, reply and
follow-up present exactly as far as it went, dated in order — every problem named by its key
path. The header's counters, number patterns and wording templates are checked as the
administrator's forms check them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from casedesk.domain import documents as dm
from casedesk.domain.doc_templates import Wording, check_complete, check_wording
from casedesk.domain.drafts import LIMITS
from casedesk.domain.errors import FieldErrors
from casedesk.services.interchange.checks import FieldReader, is_int, join, loads
from casedesk.services.interchange.clock_refs import ClockRefs
from casedesk.services.interchange.measure_format import Row
from casedesk.services.interchange.suggestion_format import (
    SUGGESTION_CLOCKS,
    SuggestionRecord,
    SuggestionSettings,
)
from casedesk.services.suggestions_admin import check_unit_kind
from casedesk.services.suggestions_dto import (
    ADOPTIONS,
    REMINDER,
    REPLIED,
    REVISIT,
    SERVED,
    SERVICE_WAYS,
    STATES,
    SuggestionDraft,
)
from casedesk.services.suggestions_records import check_draft, draft_values

if TYPE_CHECKING:
    from casedesk.services.interchange.format import ReadContext
    from casedesk.services.interchange.read_measures import MeasureReader

_NOTES = LIMITS["notes"]
_KINDS = tuple(dm.KINDS)
#: How far each state went: 0 drafted, 1 finalised (numbered), 2 served, 3 replied.
_STEP = dict(zip(STATES, range(len(STATES)), strict=True))
_MAX_NUMBER, _MAX_RECEIVER, _MAX_PATTERN, _MAX_ACTOR = 60, 100, 100, 100
_MAX_INT = 2**31 - 1
_TEXTS = ("issuer", "subject", "recipient", "contact")
_LISTS = ("attachments", "copy_to", "source_cases")
_SERVICE = {"served_way": "送达方式", "served_on": "送达日期", "served_receiver": "签收人"}
_REPLY = {"replied_on": "回复日期", "reply_summary": "回复内容摘要", "adoption": "采纳情况",
          "measures": "整改措施"}  # fmt: skip


class SuggestionReader:
    """Reads the ``suggestions`` of the case object ``m`` reads; their reply clocks go to
    ``refs``."""

    def __init__(self, m: MeasureReader, refs: ClockRefs):
        self.m, self.r, self.refs = m, m.r, refs

    def read(self) -> list[SuggestionRecord]:
        out = []
        for i, item in self.r.entries(self.m.obj, "", "suggestions"):
            if (record := self.suggestion(item, f"suggestions[{i}]")) is not None:
                out.append(record)
        return out

    def suggestion(self, obj: dict, path: str) -> SuggestionRecord | None:
        m, r, before = self.m, self.r, len(self.r.problems)
        r.known(obj, path, "suggestion")
        file_id = m.record_id(obj, path)
        kind = r.choice(obj, path, "kind", "文书种类", _KINDS, required=True)
        state = r.choice(obj, path, "state", "建议书的状态", STATES, required=True)
        step = _STEP.get(state, 0)
        draft = self.draft(obj, path, kind)
        signed_on = draft.signed_on if draft is not None else None
        year, seq, number = self.numbering(obj, path, state, signed_on)
        if draft is not None and step >= 1:
            doc = dm.Document(kind, draft.subtype, draft.issuer, draft.subject, draft.recipient,
                              draft.blocks, number, draft.attachments, draft.signed_on,
                              draft.contact, draft.copy_to)  # fmt: skip
            m.checked(path, dm.check_final, doc)
            m.checked(path, check_complete, doc)
        service = self.service(obj, path, state, signed_on)
        reply = self.reply(obj, path, state, service["served_on"])
        entries = self.entries(obj, path, state, service["served_on"])
        if obj.get("reply_deadline") is not None and state in _STEP and step < _STEP[SERVED]:
            r.problem(
                join(path, "reply_deadline"), f"状态为“{state}”的建议书尚未送达，不应有回复期限"
            )
        clocks = self.refs.read(obj, path, SUGGESTION_CLOCKS)
        stamps = m.stamps(obj, path)
        if len(r.problems) > before or draft is None:
            self.refs.drop(clocks)
            return None
        values = {
            "kind": kind, "state": state, **draft_values(draft), "year": year, "seq": seq,
            "number": number, **service, **reply, **stamps,
        }  # fmt: skip
        return SuggestionRecord(file_id, values, path=path, entries=entries, clocks=clocks)

    def draft(self, obj: dict, path: str, kind: str) -> SuggestionDraft | None:
        """What the clerk edits, checked as saving a draft checks it (None: not checkable)."""
        r = self.r
        blocks = []
        for i, item in r.entries(obj, path, "blocks"):
            where = f"{join(path, 'blocks')}[{i}]"
            r.known(item, where, "suggestion_block")
            block_kind = r.choice(item, where, "kind", "段落类型", dm.BLOCK_KINDS, required=True)
            blocks.append(dm.Block(block_kind, r.text(item, where, "text")))
        texts = {key: r.text(obj, path, key) for key in _TEXTS}
        lists = {key: tuple(r.items(obj, path, key, str)) for key in _LISTS}
        draft = SuggestionDraft(
            subtype=r.text(obj, path, "subtype").strip(), blocks=tuple(blocks),
            signed_on=r.date(obj, path, "signed_on"), **texts, **lists,
        )  # fmt: skip
        if kind not in dm.KINDS:
            return None
        try:
            return check_draft(kind, draft, self.m.case.accepted_on or date.min)
        except FieldErrors as exc:
            for key, message in exc.errors.items():
                r.problem(join(path, key), message)
            return None

    def numbering(
        self, obj: dict, path: str, state: str, signed_on: date | None
    ) -> tuple[int, int | None, str]:
        """(year, seq, number): a draft has none but its year; a finalised one is numbered in
        the year of its signing date, its number holding 〔year〕 and the 序号."""
        r = self.r
        year, seq = obj.get("year"), obj.get("seq")
        number = r.clean(obj, path, "number", "编号", _MAX_NUMBER)
        if year is None:
            year = signed_on.year if signed_on is not None else r.ctx.today.year
        elif not is_int(year) or not 1900 <= year <= 9999:
            r.problem(join(path, "year"), f"年度应为四位数的年份，实为 {year!r}")
            year = 0
        if _STEP.get(state, 0) == 0:
            for key, value in (("seq", seq), ("number", number)):
                if value:
                    r.problem(join(path, key), "草稿尚未定稿编号，不应有编号或序号")
            return year, None, ""
        if seq is None:
            r.problem(join(path, "seq"), f"状态为“{state}”的建议书应有序号")
        elif not is_int(seq) or not 1 <= seq <= _MAX_INT:
            r.problem(join(path, "seq"), f"序号应为正整数，实为 {seq!r}")
            seq = None
        if not number:
            r.problem(join(path, "number"), f"状态为“{state}”的建议书应有编号")
        if signed_on is not None and year and year != signed_on.year:
            r.problem(join(path, "year"),
                      f"编号按成文日期的年度编排，应为 {signed_on.year}，实为 {year}")  # fmt: skip
        elif number and year and is_int(seq):
            rest = number.replace(f"〔{year}〕", "", 1)
            if rest == number or str(seq) not in rest:
                r.problem(join(path, "number"),
                          f"编号“{number}”与年度 {year}、序号 {seq} 不符")  # fmt: skip
        return year, seq if is_int(seq) else None, number

    def service(self, obj: dict, path: str, state: str, signed_on: date | None) -> dict[str, Any]:
        """方式, date and receiver: all three once served, none before."""
        r = self.r
        values: dict[str, Any] = {
            "served_way": r.choice(obj, path, "served_way", "送达方式", SERVICE_WAYS),
            "served_on": self.m.day(obj, path, "served_on", "送达日期", signed_on, "成文日期"),
            "served_receiver": r.clean(obj, path, "served_receiver", "签收人", _MAX_RECEIVER),
        }
        self.as_far(path, state, _STEP[SERVED], values, _SERVICE, "已送达的建议书应有")
        return values

    def reply(self, obj: dict, path: str, state: str, served_on: date | None) -> dict[str, Any]:
        """The recipient's written reply: date, summary and adoption once replied, none before
        (the 整改措施 are optional)."""
        r = self.r
        values: dict[str, Any] = {
            "replied_on": self.m.day(obj, path, "replied_on", "回复日期", served_on, "送达日期"),
            "reply_summary": r.clean(obj, path, "reply_summary", "回复内容摘要", _NOTES),
            "adoption": r.choice(obj, path, "adoption", "采纳情况", ADOPTIONS),
            "measures": r.clean(obj, path, "measures", "整改措施", _NOTES),
        }
        self.as_far(path, state, _STEP[REPLIED], values, _REPLY, "已回复的建议书应有",
                    optional=("measures",))  # fmt: skip
        return values

    def as_far(self, path: str, state: str, step: int, values: dict[str, Any],
               labels: dict[str, str], needed: str,
               optional: tuple[str, ...] = ()) -> None:  # fmt: skip
        """Fields a state has once it reached ``step``, and must not have before."""
        if state not in _STEP:
            return
        reached = _STEP[state] >= step
        for key, label in labels.items():
            where = join(path, key)
            if where in self.r.problems:
                continue
            if reached and values[key] in (None, "") and key not in optional:
                self.r.problem(where, f"{needed}{label}")
            elif not reached and values[key] not in (None, ""):
                self.r.problem(where, f"状态为“{state}”的建议书不应有{label}")

    def entries(self, obj: dict, path: str, state: str, served_on: date | None) -> list[Row]:
        """催办 and 回访 records, each dated not before the service (a 回访 says what was found);
        none before the service."""
        m, r, out = self.m, self.r, []
        found = r.entries(obj, path, "entries")
        if found and state in _STEP and _STEP[state] < _STEP[SERVED]:
            r.problem(
                join(path, "entries"), f"状态为“{state}”的建议书尚未送达，不应有催办、回访记录"
            )
        for i, item in found:
            where, before = f"{join(path, 'entries')}[{i}]", len(r.problems)
            r.known(item, where, "suggestion_entry")
            entry_id = m.record_id(item, where)
            kind = r.choice(item, where, "kind", "跟踪记录类型", (REMINDER, REVISIT), required=True)
            day = m.day(item, where, "occurred_on", f"{kind or '记录'}日期", served_on, "送达日期",
                        required=True)  # fmt: skip
            note = r.clean(item, where, "note", "说明", _NOTES)
            if kind == REVISIT and not note:
                r.problem(join(where, "note"), "请写明回访情况")
            stamps = m.stamps(item, where)
            if len(r.problems) == before:
                out.append(
                    Row(entry_id, {"kind": kind, "occurred_on": day, "note": note, **stamps})
                )
        return out


def check_reply_clocks(r: FieldReader, records: list[SuggestionRecord]) -> None:
    """Once the line's deadlines are read: a reply clock starts on the day of service."""
    for record in records:
        clock = record.clocks.get("reply_deadline_id")
        served_on = record.values["served_on"]
        if clock is not None and clock.values["start_on"] != served_on:
            r.problem(join(record.path, "reply_deadline"),
                      f"回复期限应自送达日期 {served_on} 起算，所指期限的起算日为 "
                      f"{clock.values['start_on']}")  # fmt: skip


# -- the header's settings ------------------------------------------------------------------------
def read_settings(text: str, ctx: ReadContext) -> tuple[SuggestionSettings, list[str], list[str]]:
    """The numbering settings of a header line already read by ``read_header``: (settings,
    problems as "path：message", keys this version ignores)."""
    r, out = FieldReader(ctx), SuggestionSettings()
    obj = loads(text)
    seen: dict[tuple, str] = {}

    def unit_kind(item: dict, where: str, *more: Any) -> tuple | None:
        unit = r.text(item, where, "unit", required=True)
        kind = r.choice(item, where, "kind", "文书种类", _KINDS, required=True)
        try:
            unit = check_unit_kind(unit, kind)
        except FieldErrors as exc:
            for key, message in exc.errors.items():
                r.problem(join(where, key), message)
            return None
        key = (where.split("[")[0], unit, kind, *more)
        if key in seen:
            r.problem(where, f"与 {seen[key]} 重复")
            return None
        seen[key] = where
        return unit, kind

    def stamps(item: dict, where: str) -> dict[str, Any]:
        by = r.clean(item, where, "updated_by", "修改人", _MAX_ACTOR) or ctx.actor
        return {"updated_by": by, "updated_at": r.moment(item, where, "updated_at")}

    for i, item in r.entries(obj, "", "suggestion_counters"):
        where = f"suggestion_counters[{i}]"
        r.known(item, where, "suggestion_counter")
        year = item.get("year")
        if not is_int(year) or not 1900 <= year <= 9999:
            r.problem(join(where, "year"), f"年度应为四位数的年份，实为 {year!r}")
        last = r.integer(item, where, "last_seq", 0)
        if (named := unit_kind(item, where, year)) is not None and is_int(year):
            out.counters.append({"unit": named[0], "kind": named[1], "year": year,
                                 "last_seq": last})  # fmt: skip
    for i, item in r.entries(obj, "", "suggestion_patterns"):
        where = f"suggestion_patterns[{i}]"
        r.known(item, where, "suggestion_pattern")
        pattern = r.clean(item, where, "pattern", "编号格式", _MAX_PATTERN)
        try:
            dm.check_pattern(pattern)
        except FieldErrors as exc:
            r.problem(join(where, "pattern"), exc.errors["pattern"])
        if (named := unit_kind(item, where)) is not None:
            out.patterns.append({"unit": named[0], "kind": named[1], "pattern": pattern,
                                 **stamps(item, where)})  # fmt: skip
    for i, item in r.entries(obj, "", "suggestion_templates"):
        where = f"suggestion_templates[{i}]"
        r.known(item, where, "suggestion_template")
        texts = {k: r.text(item, where, k) for k in ("opening", "reply", "closing")}
        try:
            wording = check_wording(Wording(**texts))
        except FieldErrors as exc:
            for key, message in exc.errors.items():
                r.problem(join(where, key), message)
            wording = None
        if (named := unit_kind(item, where)) is not None and wording is not None:
            out.templates.append({"unit": named[0], "kind": named[1], "opening": wording.opening,
                                  "reply": wording.reply, "closing": wording.closing,
                                  **stamps(item, where)})  # fmt: skip
    problems = [f"{path}：{message}" for path, message in r.problems.items()]
    return out, problems, r.unknown
