"""Reading the enforcement record of a case line (docs/interchange.md §3.9): the record of a 执行
case with its payments and actions, checked as the enforcement forms check them
(``casedesk.domain.enforcement``) — each payment against what remained of the claim then — plus
what the record's dates imply (its ``state``, the performance a full recovery records); its
listings and 限制消费 orders in :mod:`~casedesk.services.interchange.read_listings`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from casedesk.domain import enforcement as en
from casedesk.domain.drafts import LIMITS
from casedesk.services.enforcement_dto import CLOSED, RUNNING, TERMINATED
from casedesk.services.enforcement_views import record_state
from casedesk.services.interchange.checks import join, json_kind
from casedesk.services.interchange.clock_refs import ClockRefs
from casedesk.services.interchange.enforcement_format import EnforcementIn
from casedesk.services.interchange.measure_format import Row
from casedesk.services.interchange.read_listings import ListingReader

if TYPE_CHECKING:
    from casedesk.services.interchange.read_measures import MeasureReader

_SHORT, _NOTES = LIMITS["short"], LIMITS["notes"]
_TEXTS = {
    "title_document_no": ("执行依据文号", _SHORT), "title_organ": ("作出机关", _SHORT),
    "close_document": ("结案文书", _SHORT), "notes": ("备注", _NOTES),
}  # fmt: skip
_PAYMENT_TEXTS = {"payer": ("付款人", LIMITS["name"]), "note": ("备注", _NOTES)}
_ACTION_TEXTS = {"result": ("结果", _NOTES), "document_no": ("文书编号", _SHORT)}
_STATES = (RUNNING, TERMINATED, CLOSED)
_DAYS = (
    ("performed_on", "履行完毕日期"), ("terminated_on", "终结本次执行日期"),
    ("resumed_on", "恢复执行日期"), ("closed_on", "结案日期"),
)  # fmt: skip
#: Closing kinds that rest on the debtor's performance (recorded when closing, if not before).
_PERFORMED_KINDS = frozenset({"执行完毕", "和解履行完毕"})


class EnforcementReader:
    """Reads the ``enforcement`` of the case object ``m`` reads; the listings' clock references
    go to ``refs``."""

    def __init__(self, m: MeasureReader, refs: ClockRefs):
        self.m, self.r, self.refs = m, m.r, refs

    def read(self) -> EnforcementIn | None:
        m, r, path = self.m, self.r, "enforcement"
        obj = m.obj.get(path)
        if obj is None:
            return None
        if not isinstance(obj, dict):
            r.problem(path, f"应为 JSON 对象或 null，实为 {json_kind(obj)}")
            return None
        before = len(r.problems)
        r.known(obj, path, "enforcement")
        file_id = m.record_id(obj, path, "enforcement_record")
        family = m.case.family
        if family and family != en.FAMILY:
            r.problem(path, f"只有执行案件才能登记执行信息（本案为{family}案件）")
        accepted = m.case.accepted_on or date.min
        kind = r.choice(obj, path, "title_kind", "执行依据", en.TITLE_KINDS, required=True)
        t = m.texts(obj, path, _TEXTS)
        effective = r.date(obj, path, "title_effective_on")
        claimed = r.fen(obj, path, "claimed_fen", "申请执行标的")
        draft = en.EnforcementDraft(kind, t["title_document_no"], t["title_organ"], effective,
                                    claimed, t["notes"])  # fmt: skip
        m.checked(path, en.check_enforcement, draft, accepted, m.today)
        after = (accepted, "立案日期")
        days = {key: m.day(obj, path, key, label, *after) for key, label in _DAYS}
        close_kind = r.choice(obj, path, "close_kind", "结案方式", tuple(en.CLOSING_KINDS))
        self.dates(obj, path, days, close_kind, t["close_document"])
        payments, recovered = self.payments(obj, path, accepted, claimed)
        self.recovered(obj, path, recovered, claimed, days["performed_on"])
        actions = self.actions(obj, path, accepted)
        listings = ListingReader(m, self.refs, accepted, days["performed_on"])
        found = listings.listings(obj, path), listings.bans(obj, path)
        stamps = m.stamps(obj, path)
        if len(r.problems) > before:
            return None
        values = {"title_kind": kind, "title_effective_on": effective, "claimed_fen": claimed,
                  "recovered_fen": recovered, **t, **days, "close_kind": close_kind,
                  **stamps}  # fmt: skip
        return EnforcementIn(file_id, values, payments, actions, *found)

    def dates(self, obj: dict, path: str, days: dict[str, date | None], close_kind: str,
              document: str) -> None:  # fmt: skip
        """终本, 恢复执行, closing and performance: each with what it needs, and ``state``
        where they leave the record."""
        r = self.r
        performed, terminated = days["performed_on"], days["terminated_on"]
        if days["resumed_on"] is not None and terminated is None:
            r.problem(join(path, "resumed_on"), "没有终结本次执行程序，不应有恢复执行日期")
        if terminated is not None and performed is not None and terminated > performed:
            r.problem(join(path, "terminated_on"),
                      f"被执行人已于 {performed} 履行完毕，不能终结本次执行程序")  # fmt: skip
        if days["closed_on"] is not None and not close_kind:
            r.problem(join(path, "close_kind"), "已结案的，请写明结案方式")
        elif days["closed_on"] is None and (close_kind or document):
            r.problem(join(path, "closed_on"), "写明结案方式或结案文书的，应有结案日期")
        if close_kind in _PERFORMED_KINDS and performed is None:
            r.problem(join(path, "performed_on"), f"以{close_kind}结案的，应有履行完毕日期")
        state = record_state(terminated, days["resumed_on"], days["closed_on"])
        shown = r.choice(obj, path, "state", "执行案件的状态", _STATES)
        if shown and shown != state and join(path, "state") not in r.problems:
            r.problem(join(path, "state"), f"按终本、恢复执行和结案日期，状态应为“{state}”，"
                                           f"实为“{shown}”")  # fmt: skip

    def payments(self, obj: dict, path: str, accepted: date, claimed: int | None
                 ) -> tuple[list[Row], int]:  # fmt: skip
        """The payments in order, each no more than what remained of the claim then; with the
        sum recovered."""
        m, r = self.m, self.r
        out, recovered = [], 0
        for i, item in r.entries(obj, path, "payments"):
            where, before = f"{join(path, 'payments')}[{i}]", len(r.problems)
            r.known(item, where, "payment")
            row_id = m.record_id(item, where)
            paid_on = r.date(item, where, "paid_on", required=True)
            amount = r.fen(item, where, "amount_fen", "到位金额")
            way = r.choice(item, where, "way", "到位方式", en.PAYMENT_WAYS, default="主动履行")
            t = m.texts(item, where, _PAYMENT_TEXTS)
            left = en.remaining_fen(recovered, claimed)
            draft = en.PaymentDraft(paid_on, amount, t["payer"], way, t["note"])
            m.checked(where, en.check_payment, draft, accepted, left, m.today)
            stamps = m.stamps(item, where)
            if len(r.problems) == before:
                recovered += amount or 0
                out.append(Row(row_id, {"paid_on": paid_on, "amount_fen": amount, "way": way,
                                        **t, **stamps}))  # fmt: skip
        return out, recovered

    def recovered(self, obj: dict, path: str, recovered: int, claimed: int | None,
                  performed: date | None) -> None:  # fmt: skip
        """``recovered_fen`` is the sum of the payments; a claim recovered in full records the
        performance."""
        r, where = self.r, join(path, "recovered_fen")
        shown = r.fen(obj, path, "recovered_fen", "已执行到位金额")
        if (
            shown is not None
            and shown != recovered
            and not any(p.startswith(join(path, "payments")) for p in r.problems)
        ):
            r.problem(where, f"已执行到位金额应为各笔到位款之和 {recovered}，实为 {shown}")
        if claimed and recovered >= claimed and performed is None:
            r.problem(join(path, "performed_on"), "执行款已全部到位，应有履行完毕日期")

    def actions(self, obj: dict, path: str, accepted: date) -> list[Row]:
        m, r, out = self.m, self.r, []
        for i, item in r.entries(obj, path, "actions"):
            where, before = f"{join(path, 'actions')}[{i}]", len(r.problems)
            r.known(item, where, "action")
            row_id = m.record_id(item, where)
            kind = r.choice(item, where, "kind", "执行措施", en.ACTION_KINDS, required=True)
            taken_on = r.date(item, where, "taken_on", required=True)
            t = m.texts(item, where, _ACTION_TEXTS)
            draft = en.ActionDraft(kind, taken_on, t["result"], t["document_no"])
            m.checked(where, en.check_action, draft, accepted, m.today)
            stamps = m.stamps(item, where)
            if len(r.problems) == before:
                out.append(Row(row_id, {"kind": kind, "taken_on": taken_on, **t, **stamps}))
        return out
