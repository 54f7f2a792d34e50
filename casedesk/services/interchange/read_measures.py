"""Reading the compulsory measures of a case line (docs/interchange.md §3.4–3.7): personal
measures, custody-necessity reviews and 挂案 supervision records here, property measures in
:mod:`~casedesk.services.interchange.read_property`. Each record is checked with the entry
forms' rules (``casedesk.domain.measures``, ``casedesk.domain.stalled``) plus the references
between records, every problem named by its key path."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from casedesk.domain.drafts import LIMITS, CaseDraft
from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import (
    CUSTODY_KINDS,
    END_REASONS,
    ORGAN_KINDS,
    PERSONAL_KINDS,
    REVIEW_CONCLUSIONS,
    REVIEW_METHODS,
    REVIEW_TRIGGERS,
    CustodyReviewDraft,
    MeasureEndDraft,
    PersonalMeasureDraft,
    check_custody_review,
    check_measure_end,
    check_personal_measure,
)
from casedesk.services.interchange.checks import FieldReader, is_int, join
from casedesk.services.interchange.measure_format import (
    MeasureRecords,
    PersonalRecord,
    ReviewRecord,
    Row,
)
from casedesk.services.interchange.read_property import PropertyReader
from casedesk.services.interchange.read_supervisions import read_supervisions
from casedesk.services.personal_measures import MEASURE_FAMILIES

_MAX_ACTOR = 100  # created_by columns
_SHORT, _NOTES = LIMITS["short"], LIMITS["notes"]
_PERSONAL_TEXTS = {
    "person_name": ("姓名", _SHORT), "organ": ("决定机关", _SHORT),
    "document_no": ("文书编号", _SHORT), "guarantor": ("保证人", _SHORT),
    "residence": ("监视居住地点", 200), "end_document": ("结束文书", _SHORT),
    "notes": ("备注", _NOTES),
}  # fmt: skip
_REVIEW_TEXTS = {
    "applicant": ("申请人", _SHORT), "recipient": ("建议送达机关", _SHORT),
    "document_no": ("文书编号", _SHORT), "reply": ("回复", _NOTES), "notes": ("备注", _NOTES),
}  # fmt: skip
#: Draft error keys that differ from the file's key.
_PERSON_KEYS = {"person_party_id": "person_party"}
_END_KEYS = {"reason": "end_reason"}


def read_measures(r: FieldReader, obj: dict, case: CaseDraft) -> MeasureRecords:
    """The checked measures, reviews and supervision records of a case object (problems go to
    ``r``); empty when the line has none."""
    return MeasureReader(r, obj, case).read()


class MeasureReader:
    """Reads the measure lists of one case object; shared helpers for the property reader."""

    def __init__(self, r: FieldReader, obj: dict, case: CaseDraft):
        self.r, self.obj, self.case, self.today = r, obj, case, r.ctx.today
        raw = obj.get("parties")
        self.parties: list[Any] = raw if isinstance(raw, list) else []
        self.ids: dict[uuid.UUID, str] = {}  # file id → where it was first seen
        #: file id → record, per kind that can be referenced (None: the record has problems)
        self.index: dict[str, dict[uuid.UUID, Row | None]] = defaultdict(dict)

    def read(self) -> MeasureRecords:
        r, obj = self.r, self.obj
        prop = PropertyReader(self)
        out = MeasureRecords()
        for i, item in r.entries(obj, "", "property_measures"):
            if (m := prop.read(item, f"property_measures[{i}]")) is not None:
                out.property.append(m)
        pending = []
        for i, item in r.entries(obj, "", "personal_measures"):
            path = f"personal_measures[{i}]"
            record, changed_to = self.personal(item, path)
            pending.append((record, changed_to, path))
            if record is not None:
                out.personal.append(record)
        for record, changed_to, path in pending:
            self.link_change(record, changed_to, path)
        out.reviews = [
            review
            for i, item in r.entries(obj, "", "custody_reviews")
            if (review := self.review(item, f"custody_reviews[{i}]")) is not None
        ]
        out.supervisions = read_supervisions(self)
        out.index = self.index
        return out

    # -- shared ---------------------------------------------------------------------------------
    def record_id(self, obj: dict, path: str, kind: str = "") -> uuid.UUID:
        """The record's id from the file (a new one when it has none); ``kind`` registers it for
        references (as a record with problems until the caller stores the record)."""
        file_id = self.r.ident(obj, path, "id")
        if file_id is None:
            return uuid.uuid4()
        if file_id in self.ids:
            self.r.problem(join(path, "id"), f"编号与 {self.ids[file_id]} 重复")
        else:
            self.ids[file_id] = path
            if kind:
                self.index[kind][file_id] = None
        return file_id

    def register(self, kind: str, obj: dict, record: Row) -> None:
        if obj.get("id") is not None and self.index[kind].get(record.id, 0) is None:
            self.index[kind][record.id] = record

    def party(self, obj: dict, path: str, key: str, person_only: bool) -> int | None:
        """The position in the line's ``parties`` of the party ``key`` names."""
        value, where = obj.get(key), join(path, key)
        if value is None:
            if person_only:
                self.r.problem(where, "缺少必填项")
            return None
        if not is_int(value) or value < 0:
            tail = "" if person_only else "或 null"
            self.r.problem(where, f"应为当事人在 parties 中的序号（从 0 起）{tail}")
            return None
        if value >= len(self.parties):
            self.r.problem(where, f"parties 中没有序号为 {value} 的当事人（本案共 "
                                  f"{len(self.parties)} 个当事人）")  # fmt: skip
            return None
        party = self.parties[value]
        if person_only and not (isinstance(party, dict) and party.get("person") is not None):
            self.r.problem(where, f"parties[{value}] 不是自然人：人身强制措施只能针对本案当事人"
                                  "中的自然人")  # fmt: skip
            return None
        return value

    def day(
        self,
        obj: dict,
        path: str,
        key: str,
        label: str,
        earliest: date | None = None,
        after: str = "",
        required: bool = False,
        future: bool = False,
    ) -> date | None:
        """A date not after today (unless ``future``) and not before ``earliest`` (``after``
        names it)."""
        value = self.r.date(obj, path, key, required)
        if value is None:
            return None
        if not future and value > self.today:
            self.r.problem(join(path, key), f"{label}不能晚于今天")
        elif earliest is not None and value < earliest:
            self.r.problem(join(path, key), f"{label}不能早于{after} {earliest}")
        return value

    def texts(self, obj: dict, path: str, fields: dict[str, tuple[str, int]]) -> dict[str, str]:
        return {k: self.r.clean(obj, path, k, label, limit) for k, (label, limit) in fields.items()}

    def stamps(self, obj: dict, path: str) -> dict[str, Any]:
        """Who recorded it and when (kept on import; default: the importing user, now)."""
        by = self.r.text(obj, path, "created_by").strip() or self.r.ctx.actor
        if len(by) > _MAX_ACTOR:
            self.r.problem(join(path, "created_by"), f"记录人过长（最多{_MAX_ACTOR}个字）")
        return {"created_by": by, "created_at": self.r.moment(obj, path, "created_at")}

    def checked(
        self, path: str, check: Any, *args: Any, keys: dict[str, str] | None = None
    ) -> None:
        """Run an entry form's check; its problems named by the file's keys (``keys`` maps the
        draft's field names that differ)."""
        try:
            check(*args)
        except FieldErrors as exc:
            for key, message in exc.errors.items():
                self.r.problem(join(path, (keys or {}).get(key, key)), message)

    # -- personal measures ----------------------------------------------------------------------
    def personal(self, obj: dict, path: str) -> tuple[PersonalRecord | None, uuid.UUID | None]:
        r, before = self.r, len(self.r.problems)
        r.known(obj, path, "personal_measure")
        file_id = self.record_id(obj, path, "personal_measure")
        person = self.party(obj, path, "person_party", person_only=True)
        kind = r.choice(obj, path, "kind", "人身强制措施的种类", PERSONAL_KINDS, required=True)
        family = self.case.family
        if kind and family and family not in MEASURE_FAMILIES:
            r.problem(
                join(path, "kind"), f"人身强制措施只适用于刑事、检察监督案件，本案为{family}案件"
            )
        organ_kind = r.choice(obj, path, "organ_kind", "决定机关类别", ORGAN_KINDS)
        t = self.texts(obj, path, _PERSONAL_TEXTS)
        decided_on = self.day(obj, path, "decided_on", "决定日期", required=True)
        executed_on = self.day(obj, path, "executed_on", "执行日期", decided_on, "决定日期")
        executed_at = r.local_time(obj, path, "executed_at")
        if executed_at and executed_on and executed_at.date() != executed_on:
            r.problem(join(path, "executed_at"), f"时刻与执行日期 {executed_on} 不是同一天")
        if executed_at is not None and executed_on is None:
            executed_on = executed_at.date()  # as the service records it
        start = executed_on or decided_on
        deposit = r.fen(obj, path, "deposit_fen", "保证金")
        designated = r.boolean(obj, path, "designated_residence", False)
        term_end = self.day(obj, path, "term_end", "最长期限届满日", start, "措施开始日期",
                            future=True)  # fmt: skip
        ended_on = self.day(obj, path, "ended_on", "结束日期")
        end_reason = r.choice(obj, path, "end_reason", "结束方式", END_REASONS)
        if ended_on is not None and start is not None:
            draft = MeasureEndDraft(ended_on, end_reason, t["end_document"])
            self.checked(path, check_measure_end, draft, start, self.today, keys=_END_KEYS)
        elif end_reason and ended_on is None:
            r.problem(join(path, "ended_on"), "写明结束方式的，应填写结束日期")
        changed_to = r.ident(obj, path, "changed_to")
        stamps = self.stamps(obj, path)
        draft = PersonalMeasureDraft(
            kind, "" if person is None else "-", decided_on, executed_at, t["organ"], organ_kind,
            t["document_no"], t["guarantor"], deposit, designated, t["residence"], t["notes"],
        )  # fmt: skip
        self.checked(path, check_personal_measure, draft, self.today, keys=_PERSON_KEYS)
        if len(r.problems) > before or person is None:
            return None, changed_to
        values = {
            "person_name": t["person_name"], "kind": kind, "organ": t["organ"],
            "organ_kind": organ_kind, "document_no": t["document_no"], "decided_on": decided_on,
            "executed_on": executed_on, "executed_at": executed_at, "guarantor": t["guarantor"],
            "deposit_fen": deposit, "designated_residence": designated,
            "residence": t["residence"], "term_end": term_end, "ended_on": ended_on,
            "end_reason": end_reason, "end_document": t["end_document"], "notes": t["notes"],
            **stamps,
        }  # fmt: skip
        record = PersonalRecord(file_id, values, person=person)
        self.register("personal_measure", obj, record)
        return record, changed_to

    def link_change(
        self, record: PersonalRecord | None, target_id: uuid.UUID | None, path: str
    ) -> None:
        """``changed_to``: the measure this one was changed into (变更), in the same case."""
        if target_id is None:
            return
        where, measures = join(path, "changed_to"), self.index["personal_measure"]
        if target_id not in measures:
            self.r.problem(where, f"personal_measures 中没有编号为 {target_id.hex} 的措施")
            return
        target = measures[target_id]
        if record is None or target is None:
            return  # problems of their own
        if target is record:
            self.r.problem(where, "措施不能变更为其自身")
        elif target.person != record.person:
            self.r.problem(where, "变更后的措施应针对同一人")
        elif record.values["end_reason"] != "变更":
            self.r.problem(join(path, "end_reason"), "变更为其他措施的，结束方式应为“变更”")
        else:
            record.changed_to = target
            seen, current = {id(record)}, target
            while current is not None:
                if id(current) in seen:
                    self.r.problem(where, "变更记录首尾相接，形成循环")
                    record.changed_to = None
                    return
                seen.add(id(current))
                current = current.changed_to

    def custody_from(self, measure: PersonalRecord) -> date:
        """When the custody ending in ``measure`` began: back along the 变更 links while the
        measure before was also custody (as personal_measures.custody_from)."""
        before = {id(m.changed_to): m for m in self.index_personal() if m.changed_to is not None}
        current, seen = measure, {id(measure)}
        start = _start(measure)
        while (prev := before.get(id(current))) is not None:
            if prev.values["kind"] not in CUSTODY_KINDS or id(prev) in seen:
                break
            seen.add(id(prev))
            start, current = min(start, _start(prev)), prev
        return start

    def index_personal(self) -> list[PersonalRecord]:
        return [m for m in self.index["personal_measure"].values() if isinstance(m, PersonalRecord)]

    # -- custody reviews ------------------------------------------------------------------------
    def review(self, obj: dict, path: str) -> ReviewRecord | None:
        r, before = self.r, len(self.r.problems)
        r.known(obj, path, "custody_review")
        file_id = self.record_id(obj, path, "custody_review")
        measure = self.reviewed_measure(obj, path)
        trigger = r.choice(obj, path, "trigger", "审查的启动方式", REVIEW_TRIGGERS, required=True)
        method = r.choice(obj, path, "method", "审查方式", REVIEW_METHODS, default="书面审查")
        conclusion = r.choice(obj, path, "conclusion", "审查结论", REVIEW_CONCLUSIONS)
        t = self.texts(obj, path, _REVIEW_TEXTS)
        started_on = r.date(obj, path, "started_on", required=True)
        concluded_on, served_on = r.date(obj, path, "concluded_on"), r.date(obj, path, "served_on")
        replied_on = r.date(obj, path, "replied_on")
        draft = CustodyReviewDraft(
            trigger, started_on, t["applicant"], method, concluded_on, conclusion, t["recipient"],
            t["document_no"], served_on, t["notes"],
        )  # fmt: skip
        custody = self.custody_from(measure) if measure is not None else date.min
        self.checked(path, check_custody_review, draft, custody, self.today)
        ended = measure.values["ended_on"] if measure is not None else None
        if ended is not None and started_on is not None and started_on > ended:
            r.problem(join(path, "started_on"), f"该{measure.values['kind']}已于 {ended} 结束，"  # type: ignore[union-attr]
                                                "审查开始日期不能晚于羁押结束之日")  # fmt: skip
        if replied_on is not None:
            where = join(path, "replied_on")
            if served_on is None:
                r.problem(where, "建议尚未送达（无 served_on），不应有回复日期")
            elif replied_on < served_on:
                r.problem(where, f"回复日期不能早于建议送达日期 {served_on}")
            elif replied_on > self.today:
                r.problem(where, "回复日期不能晚于今天")
            if not t["reply"]:
                r.problem(join(path, "reply"), "有回复日期的，请写明办案机关的回复（处理情况）")
        stamps = self.stamps(obj, path)
        if len(r.problems) > before or measure is None:
            return None
        values = {
            "trigger": trigger, "applicant": t["applicant"], "started_on": started_on,
            "method": method, "concluded_on": concluded_on, "conclusion": conclusion,
            "recipient": t["recipient"], "document_no": t["document_no"], "served_on": served_on,
            "replied_on": replied_on, "reply": t["reply"], "notes": t["notes"], **stamps,
        }  # fmt: skip
        record = ReviewRecord(file_id, values, measure=measure)
        self.register("custody_review", obj, record)
        return record

    def reviewed_measure(self, obj: dict, path: str) -> PersonalRecord | None:
        """The custody measure (拘留, 逮捕) a review is of, named by its id."""
        measure_id, where = self.r.ident(obj, path, "measure", required=True), join(path, "measure")
        if measure_id is None:
            return None
        measures = self.index["personal_measure"]
        if measure_id not in measures:
            self.r.problem(where, f"personal_measures 中没有编号为 {measure_id.hex} 的措施")
            return None
        measure = measures[measure_id]
        if not isinstance(measure, PersonalRecord):
            return None
        if measure.values["kind"] not in CUSTODY_KINDS:
            self.r.problem(where, "羁押必要性审查只适用于被拘留、逮捕（在押）的人；"
                                  f"该措施为{measure.values['kind']}")  # fmt: skip
            return None
        return measure


def _start(m: PersonalRecord) -> date:
    return m.values["executed_on"] or m.values["decided_on"]
