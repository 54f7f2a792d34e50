"""Reading the credit listings (失信被执行人) and 限制消费 orders of a case line's enforcement
record (docs/interchange.md §3.9), checked as the credit forms check them
(``casedesk.domain.enforcement``): the warning and its grace period, the listing after it with
its ground and term, the deletion ground and the deletion; a debtor has at most one listing not
deleted and one order not lifted. A listing's grace and term end follow its clocks as this
database computes them (:func:`align_listing_terms`)."""

from __future__ import annotations

import re
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from casedesk.domain import credit_list as cl
from casedesk.domain.deadlines import CANCELLED
from casedesk.domain.drafts import LIMITS
from casedesk.services.interchange.checks import is_int, join
from casedesk.services.interchange.clock_refs import ClockRefs
from casedesk.services.interchange.enforcement_format import LISTING_CLOCKS, DebtorRecord

if TYPE_CHECKING:
    from casedesk.services.interchange.read_measures import MeasureReader

_SHORT, _NOTES = LIMITS["short"], LIMITS["notes"]
_LISTING_TEXTS = {
    "debtor_name": ("被执行人名称", LIMITS["name"]),
    "warning_document_no": ("预警文书编号", _SHORT), "document_no": ("决定书文号", _SHORT),
    "ground_reason": ("删除情形", 20), "delete_document_no": ("删除文书编号", _SHORT),
    "notes": ("备注", _NOTES),
}  # fmt: skip
_BAN_TEXTS = {
    "debtor_name": ("被执行人名称", LIMITS["name"]), "document_no": ("文书编号", _SHORT),
    "restricted_persons": ("受限制的人员", _NOTES), "notes": ("备注", _NOTES),
}  # fmt: skip
_TERM = re.compile(r"^(\d+)y$")
_TERM_RULE = (
    "纳入期限为二年，情节严重的延长一至三年（2y 至 5y）；有履行能力而拒不履行的不设期限"
    '（""）（失信规定第2条）'
)
_LISTING_KEYS = {"debtor_party_id": "debtor_party", "extra_years": "term_spec"}
_BAN_KEYS = {"debtor_party_id": "debtor_party", "reason": "lift_reason"}


class ListingReader:
    """Reads the ``listings`` and ``spending_bans`` of an enforcement object."""

    def __init__(self, m: MeasureReader, refs: ClockRefs, accepted: date, performed: date | None):
        self.m, self.r, self.refs = m, m.r, refs
        self.accepted, self.performed = accepted, performed

    def debtor(self, obj: dict, path: str, name: str) -> int | None:
        """The debtor: a party of the case (null: no longer one, its name kept)."""
        debtor = self.m.party(obj, path, "debtor_party", person_only=False)
        if debtor is None and obj.get("debtor_party") is None and not name:
            self.r.problem(join(path, "debtor_party"), "缺少必填项（或写明 debtor_name）")
        return debtor

    def listings(self, obj: dict, path: str) -> list[DebtorRecord]:
        m, r = self.m, self.r
        out, open_at = [], {}
        for i, item in r.entries(obj, path, "listings"):
            where, before = f"{join(path, 'listings')}[{i}]", len(r.problems)
            r.known(item, where, "listing")
            row_id = m.record_id(item, where)
            t = m.texts(item, where, _LISTING_TEXTS)
            debtor = self.debtor(item, where, t["debtor_name"])
            warned = m.day(item, where, "warned_on", "预警日期", self.accepted, "立案日期")
            grace = self.grace(item, where, warned)
            listed = m.day(item, where, "listed_on", "纳入决定日期")
            ground, spec, term_end = self.listing(item, where, listed, warned, grace, t)
            arose = m.day(item, where, "ground_arose_on", "出现删除情形的日期", listed, "纳入日期")
            if (arose is None) != (not t["ground_reason"]):
                r.problem(join(where, "ground_reason"), "出现删除情形的日期与情形应同时填写")
            deleted = m.day(item, where, "deleted_on", "删除日期")
            reason = r.text(item, where, "delete_reason").strip()
            for key, value in (("ground_arose_on", arose), ("deleted_on", deleted)):
                if value is not None and listed is None:
                    r.problem(join(where, key), "尚未纳入失信名单，不应有此项")
            if (deleted is not None or reason or t["delete_document_no"]) and listed is not None:
                draft = cl.DeletionDraft(deleted, reason, t["delete_document_no"])
                check = partial(cl.check_deletion, performed_on=self.performed, term_end=term_end)
                m.checked(where, check, draft, listed, m.today)
            key = debtor if debtor is not None else t["debtor_name"]
            if deleted is None and key in open_at:
                r.problem(
                    where, f"同一被执行人只能有一项未删除的失信记录（{open_at[key]} 尚未删除）"
                )
            elif deleted is None:
                open_at[key] = where
            if warned is None and listed is None:
                r.problem(where, "失信记录应有预警日期或纳入决定日期")
            record = DebtorRecord(row_id, {}, debtor=debtor)
            record.clocks = self.refs.read(item, where, LISTING_CLOCKS)
            stamps = m.stamps(item, where)
            if len(r.problems) > before:
                self.refs.drop(record.clocks)
                continue
            record.values = {
                **t, "warned_on": warned, **grace, "listed_on": listed, "ground": ground,
                "term_spec": spec, "term_end": term_end, "ground_arose_on": arose,
                "deleted_on": deleted, "delete_reason": reason, **stamps,
            }  # fmt: skip
            out.append(record)
        return out

    def grace(self, obj: dict, path: str, warned: date | None) -> dict:
        """The grace period (宽限期) of one to three months after the warning."""
        m, r = self.m, self.r
        months = obj.get("grace_months")
        start = m.day(obj, path, "grace_from", "宽限期起算日", warned, "预警日期")
        end = r.date(obj, path, "grace_end")
        if months is None:
            if start is not None or end is not None:
                r.problem(join(path, "grace_months"), "请选择宽限期的月数（一至三个月）")
            return {"grace_from": None, "grace_months": None, "grace_end": None}
        if not is_int(months) or months not in cl.GRACE_MONTHS:
            r.problem(join(path, "grace_months"), f"宽限期为一至三个月（{cl.GRACE_CITE}）")
        if warned is None:
            r.problem(join(path, "warned_on"), "有宽限期的，应有预警日期")
        for key, value in (("grace_from", start), ("grace_end", end)):
            if value is None:
                r.problem(join(path, key), "有宽限期的，应有起算日和届满日")
        if start is not None and end is not None and end <= start:
            r.problem(join(path, "grace_end"), f"宽限期届满日应晚于起算日 {start}")
        return {"grace_from": start, "grace_months": months, "grace_end": end}

    def listing(self, obj: dict, path: str, listed: date | None, warned: date | None,
                grace: dict, t: dict[str, str]) -> tuple[int | None, str, date | None]:  # fmt: skip
        """The listing decision: ground, term (2 years, 1–3 more for serious cases, none for
        ground (1)) and its end; checked after the warning and grace period, before the
        performance (失信规定 第1、2条)."""
        m, r = self.m, self.r
        ground, spec = obj.get("ground"), r.period(obj, path, "term_spec")
        term_end = r.date(obj, path, "term_end")
        if listed is None:
            for key, value in (("ground", ground), ("term_spec", spec), ("term_end", term_end)):
                if value:
                    r.problem(join(path, key), "尚未纳入失信名单，不应有此项")
            return None, "", None
        if ground is not None and not (is_int(ground) and ground in cl.LISTING_GROUNDS):
            r.problem(join(path, "ground"), f"“{ground}”不是纳入失信名单的情形，应为 1 至 6"
                                            f"（{cl.LISTING_CITE}）")  # fmt: skip
            ground = None
        extra = 0
        if ground is not None and (matched := _TERM.match(spec)):
            extra = int(matched[1]) - cl.BASE_TERM_YEARS
        expected = cl.listing_term_spec(ground, extra) if ground is not None else None
        if ground is not None and not (
            0 <= extra <= cl.MAX_EXTRA_YEARS and spec == (expected or "")
        ):
            r.problem(join(path, "term_spec"), _TERM_RULE)
        elif spec and term_end is None:
            r.problem(join(path, "term_end"), "有纳入期限的，应有期限届满日")
        elif not spec and term_end is not None:
            r.problem(join(path, "term_end"), "不设纳入期限的，不应有期限届满日")
        draft = cl.ListingDraft("-", listed, ground, t["document_no"], max(extra, 0), t["notes"])
        check = partial(cl.check_listing, grace_until=grace["grace_end"], warned_on=warned,
                        performed_on=self.performed)  # fmt: skip
        m.checked(path, check, draft, self.accepted, m.today, keys=_LISTING_KEYS)
        return ground, spec, term_end

    def bans(self, obj: dict, path: str) -> list[DebtorRecord]:
        m, r = self.m, self.r
        out, open_at = [], {}
        for i, item in r.entries(obj, path, "spending_bans"):
            where, before = f"{join(path, 'spending_bans')}[{i}]", len(r.problems)
            r.known(item, where, "spending_ban")
            row_id = m.record_id(item, where)
            t = m.texts(item, where, _BAN_TEXTS)
            debtor = self.debtor(item, where, t["debtor_name"])
            ordered = r.date(item, where, "ordered_on", required=True)
            draft = cl.SpendingBanDraft("-", ordered, t["document_no"], t["restricted_persons"],
                                        t["notes"])  # fmt: skip
            m.checked(where, cl.check_spending_ban, draft, self.accepted, m.today, keys=_BAN_KEYS)
            lifted = r.date(item, where, "lifted_on")
            reason = r.text(item, where, "lift_reason").strip()
            if (lifted is not None or reason) and ordered is not None:
                m.checked(where, cl.check_lift, reason, lifted, ordered, m.today, keys=_BAN_KEYS)
            key = debtor if debtor is not None else t["debtor_name"]
            if lifted is None and key in open_at:
                r.problem(
                    where, f"同一被执行人只能有一项未解除的限制消费令（{open_at[key]} 尚未解除）"
                )
            elif lifted is None:
                open_at[key] = where
            stamps = m.stamps(item, where)
            if len(r.problems) == before:
                values = {**t, "ordered_on": ordered, "lifted_on": lifted, "lift_reason": reason,
                          **stamps}  # fmt: skip
                out.append(DebtorRecord(row_id, values, debtor=debtor))
        return out


def align_listing_terms(listings: list[DebtorRecord], warnings: list[str]) -> None:
    """A listing's ``grace_end`` and ``term_end`` are the last days of its grace and term clocks
    (the services set them so): when this database computes a clock's last day otherwise, the
    listing follows, with a note."""
    for i, row in enumerate(listings):
        for key, column in (("grace_end", "grace_deadline_id"), ("term_end", "term_deadline_id")):
            clock = row.clocks.get(column)
            if clock is None or clock.values["status"] == CANCELLED:
                continue
            old, due = row.values[key], clock.values["due_on"]
            if old != due:
                row.values[key] = due
                warnings.append(f"enforcement.listings[{i}].{key}：按本库的节假日和期限规则，"
                                f"期限届满日为 {due}（文件中为 {old or '空'}）")  # fmt: skip
