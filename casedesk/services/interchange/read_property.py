"""Reading the property measures of a case line (docs/interchange.md §3.4): each measure with
its renewals (续行) and releases (解除), checked as the entry forms check them
(``casedesk.domain.measures``) — a release replayed against the value still held, a renewal
decided before the term it renews ran out — and the measure's own totals against its chain."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from casedesk.domain.drafts import LIMITS
from casedesk.domain.measures import (
    OBJECT_KINDS,
    ORGAN_KINDS,
    PROPERTY_KINDS,
    PropertyMeasureDraft,
    ReleaseDraft,
    check_property_measure,
    check_release,
)
from casedesk.services.interchange.checks import join
from casedesk.services.interchange.measure_format import PropertyRecord, Row

if TYPE_CHECKING:
    from casedesk.services.interchange.read_measures import MeasureReader

_SHORT, _NOTES = LIMITS["short"], LIMITS["notes"]
_TEXTS = {
    "description": ("财产描述", _NOTES), "owner_name": ("财产所有人", 200),
    "account_no": ("账号或登记号", _SHORT), "organ": ("决定机关", _SHORT),
    "document_no": ("文书编号", _SHORT), "live_use_note": ("允许的使用方式", _NOTES),
    "notes": ("备注", _NOTES),
}  # fmt: skip
_STEP_TEXTS = {"organ": ("决定机关", _SHORT), "document_no": ("文书编号", _SHORT)}
_RELEASE_TEXTS = {"reason": ("解除理由", _NOTES), "document_no": ("文书编号", _SHORT)}


class PropertyReader:
    """Reads property measure objects into the problems of their line's reader."""

    def __init__(self, m: MeasureReader):
        self.m, self.r = m, m.r

    def read(self, obj: dict, path: str) -> PropertyRecord | None:
        m, r, before = self.m, self.r, len(self.r.problems)
        r.known(obj, path, "property_measure")
        file_id = m.record_id(obj, path, "property_measure")
        kind = r.choice(obj, path, "kind", "财产强制措施的种类", PROPERTY_KINDS, required=True)
        object_kind = r.choice(obj, path, "object_kind", "财产类别", OBJECT_KINDS, required=True)
        organ_kind = r.choice(obj, path, "organ_kind", "决定机关类别", ORGAN_KINDS)
        owner = m.party(obj, path, "owner_party", person_only=False)
        t = m.texts(obj, path, _TEXTS)
        value = r.fen(obj, path, "value_fen", "价值")
        start_on = m.day(obj, path, "start_on", "开始日期", required=True)
        rule_id = r.text(obj, path, "term_rule_id").strip() or None
        if rule_id is not None and rule_id not in r.ctx.rule_context.rules:
            r.problem(join(path, "term_rule_id"), f"“{rule_id}”不是本程序的期限规则")
        term_spec = r.period(obj, path, "term_spec")
        term_end = m.day(obj, path, "term_end", "期限届满日", start_on, "措施开始日期", future=True)
        live_use = r.boolean(obj, path, "live_use", False)
        after = (start_on, "措施开始日期")
        unrelated_on = m.day(obj, path, "unrelated_on", "查明与案件无关的日期", *after)
        released_on = m.day(obj, path, "released_on", "解除日期", *after)
        released_fen = r.fen(obj, path, "released_fen", "已部分解除的价值")
        stamps = m.stamps(obj, path)
        draft = PropertyMeasureDraft(
            kind, object_kind, start_on, t["description"], "", value, t["account_no"], t["organ"],
            organ_kind, t["document_no"], term_spec, live_use, t["live_use_note"], t["notes"],
        )  # fmt: skip
        m.checked(path, check_property_measure, draft, m.today)
        renewals = [
            renewal
            for i, item in r.entries(obj, path, "renewals")
            if (renewal := self.renewal(item, f"{join(path, 'renewals')}[{i}]", i + 1, start_on))
        ]
        checked = len(r.problems)
        releases, partial, full_on = self.releases(obj, path, start_on, value)
        if len(r.problems) > checked:
            pass  # the totals are judged once the releases themselves are valid
        elif released_fen is None:
            released_fen = partial
        elif released_fen != partial:
            r.problem(
                join(path, "released_fen"),
                f"已部分解除的价值应为各部分解除记录之和 {partial}，实为 {released_fen}",
            )
        if len(r.problems) > checked:
            pass
        elif full_on is not None and obj.get("released_on") is None:
            released_on = full_on
        elif released_on != full_on and join(path, "released_on") not in r.problems:
            r.problem(
                join(path, "released_on"),
                f"应与全部解除记录的日期 {full_on} 一致"
                if full_on
                else "已全部解除的措施应有全部解除记录（releases 中 full 为 true 的一条）",
            )
        if len(r.problems) > before:
            return None
        values = {
            "kind": kind, "object_kind": object_kind, "description": t["description"],
            "owner_name": t["owner_name"], "value_fen": value, "account_no": t["account_no"],
            "organ": t["organ"], "organ_kind": organ_kind, "document_no": t["document_no"],
            "start_on": start_on, "term_rule_id": rule_id, "term_spec": term_spec,
            "term_end": term_end, "live_use": live_use,
            "live_use_note": t["live_use_note"] if live_use else "",
            "unrelated_on": unrelated_on, "released_fen": released_fen,
            "released_on": released_on, "notes": t["notes"], **stamps,
        }  # fmt: skip
        record = PropertyRecord(file_id, values, owner=owner, renewals=renewals, releases=releases)
        m.register("property_measure", obj, record)
        return record

    def renewal(self, obj: dict, where: str, seq: int, start: date | None) -> Row | None:
        """One 续行: decided on or before the last day of the term it renews (its ``start_on``),
        running from that day to ``term_end``."""
        m, r, before = self.m, self.r, len(self.r.problems)
        r.known(obj, where, "renewal")
        row_id = m.record_id(obj, where)
        number = r.integer(obj, where, "seq", seq, minimum=1)
        if number != seq and join(where, "seq") not in r.problems:
            r.problem(join(where, "seq"), f"续行应依次编号：此处应为 {seq}，实为 {number}")
        decided_on = m.day(obj, where, "decided_on", "续行决定日期", start, "措施开始日期",
                           required=True)  # fmt: skip
        t = m.texts(obj, where, _STEP_TEXTS)
        term_spec = r.period(obj, where, "term_spec", required=True)
        start_on = r.date(obj, where, "start_on", required=True)
        term_end = r.date(obj, where, "term_end", required=True)
        if start_on is not None and term_end is not None and term_end < start_on:
            r.problem(join(where, "term_end"), f"续行期限届满日不能早于续行起算日 {start_on}")
        if decided_on is not None and start_on is not None and decided_on > start_on:
            r.problem(join(where, "decided_on"), f"原期限已于 {start_on} 届满，措施已自动失效，"
                                                 "不能续行；请作为新的措施登记")  # fmt: skip
        stamps = m.stamps(obj, where)
        if len(r.problems) > before:
            return None
        return Row(row_id, {"seq": seq, "decided_on": decided_on, **t, "term_spec": term_spec,
                            "start_on": start_on, "term_end": term_end, **stamps})  # fmt: skip

    def releases(
        self, obj: dict, path: str, start: date | None, value: int | None
    ) -> tuple[list[Row], int, date | None]:
        """The releases in the order they were made, each checked against the value still held
        then; with the total released in part and the day of the full release (if any)."""
        m, r = self.m, self.r
        rows, partial, full_on = [], 0, None
        for i, item in r.entries(obj, path, "releases"):
            where, before = f"{join(path, 'releases')}[{i}]", len(r.problems)
            r.known(item, where, "release")
            row_id = m.record_id(item, where)
            released_on = r.date(item, where, "released_on", required=True)
            full = r.boolean(item, where, "full", True)
            amount = r.fen(item, where, "value_fen", "解除部分的价值")
            t = m.texts(item, where, _RELEASE_TEXTS)
            if full_on is not None:
                r.problem(where, f"全部解除（{full_on}）之后不应再有解除记录")
            if start is not None:
                remaining = None if value is None else value - partial
                draft = ReleaseDraft(released_on, full, amount, t["reason"], t["document_no"])
                m.checked(where, check_release, draft, start, remaining, m.today)
            stamps = m.stamps(item, where)
            if len(r.problems) > before:
                continue
            if full:
                full_on = released_on
            else:
                partial += amount or 0
            rows.append(Row(row_id, {"released_on": released_on, "full": full,
                                     "value_fen": amount, **t, **stamps}))  # fmt: skip
        return rows, partial, full_on
