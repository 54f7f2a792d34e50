"""执行 in the demo data: the enforcement record of every 首次执行 and 恢复执行 case, walked as
:class:`casedesk.services.enforcement.EnforcementService` records it and in step with the case's
timeline — the title of enforcement and the claim; the actions the timeline notes (网络查控,
财产调查, 现场调查) and some more (悬赏公告, 律师调查令, 审计调查, 公证取证); payments, so
that 到位率 runs from nothing to the whole claim; the debtor's performance on the 执行完毕 day
(the ``performed`` trigger, which meets the 执行期限), the closing (执行完毕, 和解履行完毕,
终结执行); 终本 on its day with the network searches every six months for five years, each
meeting its reminder and starting the next; and the credit list
(:mod:`~casedesk.services.demo.enforcement_credit`).

A 恢复执行 case is a case of its own here (执恢, its timeline from the 恢复执行 entry on), as
courts number it: its record runs like a first one. Records begin with the cases accepted in
the last :data:`RECORD_YEARS` years (as if the enforcement page came into use then; older 终本
cases would add ten searches each and slow the demo down).
"""

from __future__ import annotations

import json
from datetime import date

from casedesk.domain import enforcement as en
from casedesk.domain.periods import add_months
from casedesk.services.demo.deadlines import CaseFacts
from casedesk.services.demo.enforcement_credit import PERFORMED_NOTES, CreditMaker, Walk

#: Case types with an enforcement record.
RECORD_TYPES = frozenset({"执", "执恢"})
RECORD_YEARS = 6
_FINISHED, _TERMINATED, _ENDED = "执行完毕", en.TERMINATED_STAGE, "终结执行"
#: Timeline notes that are actions of the enforcement page, and what they found.
_NOTE_ACTIONS = {"网络查控": "网络查控", "查询不动产、车辆登记": "财产调查",
                 "现场调查财产": "现场调查", "财产调查": "财产调查"}  # fmt: skip
_RESULTS = {
    "网络查控": ("查询到银行账户{n}个，已冻结", "未发现可供执行的财产",
                 "查询到车辆{n}辆，已查封", "查询到银行存款，余额不足千元"),
    "财产调查": ("查询不动产、车辆登记信息，未发现登记财产", "查询到不动产一处，已查封",
                 "查询到车辆{n}辆，已查封"),
    "现场调查": ("到被执行人住所地及经营场所调查，未发现可供执行的财产",
                 "经营场所已停业，未发现可供执行的财产", "发现库存货物一批，已查封"),
    "悬赏公告": ("已在全国法院执行悬赏公告平台发布，暂无举报线索",
                 "经举报发现被执行人车辆一辆，已查封"),
    "律师调查令": ("申请执行人代理律师持调查令查询被执行人银行流水",
                   "申请执行人代理律师持调查令查询被执行人工商登记及股权"),
    "审计调查": ("委托会计师事务所审计被执行人财务状况，未发现隐匿、转移财产",),
    "公证取证": ("公证处对被执行人经营场所现状进行证据保全",),
}  # fmt: skip
#: Actions beyond the timeline's, with their chance on a case that ran (not paid at once).
_EXTRA_ACTIONS = (("悬赏公告", 0.12), ("律师调查令", 0.08), ("审计调查", 0.04), ("公证取证", 0.03))
_SEARCH_RESULT = "通过网络执行查控系统查询，未发现可供执行的财产"
_RESUMED_NOTE = "原执行案件终结本次执行程序后，申请执行人提供财产线索，申请恢复执行"


class EnforcementMaker(CreditMaker):
    """Queues the enforcement record of a 执行 case."""

    def enforcement(self, case: CaseFacts, days: dict[str, int]) -> None:
        if case.type_code not in RECORD_TYPES or case.accepted < self.today - 365 * RECORD_YEARS:
            return
        w = Walk(case, self.new_id(), self.stamp_on(case.accepted), case.amount, days,
                 [s for r, s in case.subjects if r == en.DEBTOR_ROLE])  # fmt: skip
        for day, stage, _note in case.events:
            if stage == _FINISHED and w.finished is None:
                w.finished = day
            elif stage == _TERMINATED and w.terminated is None:
                w.terminated = day
            elif stage == _ENDED and w.ended is None:
                w.ended = day
        self._actions(w)
        self._payments(w)
        if w.finished is not None:
            full = bool(w.claim) and w.recovered >= (w.claim or 0)
            w.close_kind = "执行完毕" if full or not w.claim else "和解履行完毕"
            self._perform(w, w.finished, "执行款全部到位" if full else w.close_kind)
        if w.terminated is not None:
            self._searches(w)
        self.plan_credit(w)
        day = self.recent_grounds(w, self._term_changed(w) if w.live else None)
        if day is not None:  # the debtor paid the rest in the last days
            assert w.claim is not None
            payer = w.debtors[0][1] if w.debtors else ""
            w.payments.append((day, w.claim - w.recovered, payer, "主动履行", ""))
            self._perform(w, day, "执行款全部到位")
            self.performed_now(w)
        self.plan_bans(w)
        if w.performed is not None:
            self._performed_rows(w)
        self.credit_rows(w)
        self._record_rows(w)

    # -- planning ---------------------------------------------------------------------------------
    def _result(self, kind: str) -> str:
        rng = self.rng
        return rng.choice(_RESULTS[kind]).format(n=rng.randint(1, 4)) if kind in _RESULTS else ""

    def _actions(self, w: Walk) -> None:
        """The actions the timeline notes, and some more while the case ran."""
        rng, case = self.rng, w.case
        for day, _stage, note in case.events:
            kind = _NOTE_ACTIONS.get(note)
            if kind is not None:
                w.actions.append((day, kind, self._result(kind), ""))
        if w.finished is not None and rng.random() < 0.7:  # paid without much searching
            return
        start = case.accepted + 10
        end = min(w.finished or w.terminated or w.ended or self.today, self.today)
        for kind, chance in _EXTRA_ACTIONS:
            if end > start and rng.random() < chance:
                if kind == "审计调查" and not any(not d[5] for d in w.debtors):
                    continue
                day = rng.randint(start, end)
                document = self.document(case, "人民法院", self.ruling_suffix(), day) if (
                    kind in ("悬赏公告", "律师调查令")) else ""  # fmt: skip
                w.actions.append((day, kind, self._result(kind), document))

    def _payments(self, w: Walk) -> None:
        """Money recovered before the case ends: forced transfers, auctions and instalments of
        a settlement; on the 执行完毕 day the rest of the claim (or, settled, the last
        instalment of a lesser sum)."""
        rng, today, claim, days = self.rng, self.today, w.claim, w.days
        if not claim:
            return
        payer = w.debtors[0][1] if w.debtors else ""
        end = w.finished or w.terminated or w.ended or today + 1
        parts: list[tuple[int, str, str]] = []  # day, payer, way
        if (day := days.get("扣划存款", days.get("冻结银行存款"))) is not None:
            parts.append((day + rng.randint(0, 15), payer, "强制扣划"))
        if (day := days.get("评估拍卖")) is not None:
            parts.append((day + rng.randint(30, 90), "", "拍卖变卖"))
        if (day := days.get("执行和解")) is not None:
            for _n in range(rng.randint(1, 4)):
                day += rng.randint(15, 45)
                parts.append((day, payer, "和解履行"))
        if w.terminated is not None and rng.random() < 0.35:
            first = min([a[0] for a in w.actions] or [w.case.accepted]) + rng.randint(3, 20)
            parts.append((first, payer, "强制扣划"))
        if w.ended is not None and "执行和解" not in days and rng.random() < 0.3:
            parts.append((w.case.accepted + rng.randint(10, 60), payer, "和解履行"))
        parts = sorted(p for p in parts if w.case.accepted <= p[0] < end and p[0] <= today)
        if w.finished is not None:  # the last one on the 执行完毕 day
            settled = "执行和解" in days and rng.random() < 0.5
            target = claim if not settled else max(int(claim * rng.uniform(0.55, 0.95)), 100)
            way = "和解履行" if settled else rng.choice(("主动履行", "主动履行", "强制扣划"))
            parts.append((w.finished, payer, way))
        else:
            target = int(claim * rng.uniform(0.05, 0.85)) if w.live else (
                int(claim * rng.uniform(0.02, 0.4)))  # fmt: skip
        if target < 100 * len(parts):
            parts = parts[-1:]
        if not parts or target <= 0:
            return
        weights = [rng.random() + 0.3 for _p in parts]
        total, left = sum(weights), target
        for n, (day, who, way) in enumerate(parts):
            if n == len(parts) - 1:
                amount = left
            else:
                amount = max(int(target * weights[n] / total) // 100 * 100, 100)
                amount = min(amount, left - 100 * (len(parts) - 1 - n))
            if amount <= 0:
                continue
            left -= amount
            w.payments.append((day, amount, who, way, ""))

    def _perform(self, w: Walk, day: int, note: str) -> None:
        w.performed, w.performed_note, w.event_id = day, note, self.new_id()
        stamp = next((s for (d, stage, _n), s in zip(w.case.events, w.case.stamps, strict=True)
                      if d == day and stage == _FINISHED), None)  # fmt: skip
        w.event_stamp = self.later(stamp, -120) if stamp else self.stamp_on(day)

    def _searches(self, w: Walk) -> None:
        """After 终本: the network search reminders, each met by the search made before (or a
        little after) its last day, the next counted from it, for five years (法〔2016〕373号);
        the last one open."""
        rng, today, case = self.rng, self.today, w.case
        assert w.terminated is not None
        rule = self.rules[en.FOLLOWUP_RULE]
        stop = add_months(date.fromordinal(w.terminated), 12 * en.FOLLOWUP_YEARS).toordinal()
        index = next(i for i, e in enumerate(case.events) if e[1] == _TERMINATED)
        event_id = self._stage_entry(case, index)
        start, created, round_ = w.terminated, case.stamps[index], 1
        while True:
            due = self.due(rule, start)[0]
            late = rng.random() < 0.08
            day = due + rng.randint(1, 20) if late else due - rng.randint(0, 25)
            done = day <= today
            self.add(case.id, rule, en.TERMINATED, start, created, end=day if done else None,
                     note="已网络查控" if done else "", event_id=event_id,
                     subject="终本后网络查控", round_=round_)  # fmt: skip
            if not done:
                return
            w.searches.append(day)
            w.actions.append((day, en.FOLLOWUP_ACTION, _SEARCH_RESULT, ""))
            if day >= stop:
                return
            start, created, event_id, round_ = day, self.stamp_on(day), None, round_ + 1

    def _stage_entry(self, case: CaseFacts, index: int) -> str:
        """The id of the case's stage entry ``index`` (queued just before its measures)."""
        rows = self.rows["case_event"]
        wanted = (case.id, self.iso(case.events[index][0]), "stage")
        stage = case.events[index][1]
        for n in range(len(rows) - 1, -1, -1):
            row = rows[n]
            if row[1:4] == wanted and row[6] == stage:
                return row[0]
        raise LookupError(stage)

    def _term_row(self, case: CaseFacts) -> int | None:
        rows = self.rows["deadline"]
        for n in range(len(rows) - 1, -1, -1):
            row = rows[n]
            if row[1] != case.id:
                return None
            if row[2] == en.TERM_RULE:
                return n
        return None

    def _term_changed(self, w: Walk) -> int | None:
        """The last day the 执行期限 was extended or suspended on (None: no such clock)."""
        n = self._term_row(w.case)
        if n is None:
            return None
        row = self.rows["deadline"][n]
        days = [e["approved_on"] for e in json.loads(row[11])]
        days += [e["recorded_on"] for e in json.loads(row[12])]
        return max([date.fromisoformat(d).toordinal() for d in days] or [w.case.accepted])

    # -- rows -------------------------------------------------------------------------------------
    def _performed_rows(self, w: Walk) -> None:
        """The ``performed`` entry of the timeline; it meets the 执行期限 (ENDS_ON_TRIGGER)."""
        assert w.performed is not None
        case = w.case
        self.rows["case_event"].append(
            (w.event_id, case.id, self.iso(w.performed), "trigger", en.PERFORMED, None, "",
             w.performed_note, w.event_stamp, self.actor)
        )  # fmt: skip
        n = self._term_row(case)
        if n is not None:
            row = self.rows["deadline"][n]
            self.rows["deadline"][n] = (
                *row[:18], "met", self.iso(w.performed), PERFORMED_NOTES[en.TERM_RULE],
                row[21], row[22], max(row[23], w.event_stamp), *row[24:],
            )  # fmt: skip

    def _title(self, case: CaseFacts) -> tuple[str, str, str, int]:
        """(kind, number, organ, effective day) of the title of enforcement."""
        rng, cause = self.rng, case.cause
        court = self.organs(case.court).court
        place = court.removesuffix("人民法院")
        city = place[: place.index("市") + 1] if "市" in place else place
        back = rng.randint(400, 1500) if case.type_code == "执恢" else rng.randint(20, 150)
        day = case.accepted - back
        year, n = date.fromordinal(day).year, rng.randint(1, 3000)
        abbr = self.organs(case.court).abbr
        if "调解书" in cause:
            return "调解书", f"（{year}）{case.court}民初{n}号", court, day
        if "劳动仲裁" in cause:
            return (
                "仲裁裁决",
                f"{abbr}劳人仲案字〔{year}〕{n}号",
                f"{place}劳动人事争议仲裁委员会",
                day,
            )
        if "仲裁" in cause:
            return "仲裁裁决", f"{abbr}仲裁字〔{year}〕{n}号", f"{city}仲裁委员会", day
        if "公证" in cause:
            return "公证债权文书", f"（{year}）{abbr}证经字第{n}号", f"{place}公证处", day
        word = "刑初" if "刑事" in cause else "民初"
        return "判决书", f"（{year}）{case.court}{word}{n}号", court, day

    def _record_rows(self, w: Walk) -> None:
        case, iso, actor = w.case, self.iso, self.actor
        kind, number, organ, effective = self._title(case)
        notes = _RESUMED_NOTE if case.type_code == "执恢" else ""
        closed = w.finished if w.finished is not None else w.ended
        close_document = ""
        if closed is not None:
            w.close_kind = w.close_kind or "终结执行"
            close_document = self.document(case, "人民法院", self.ruling_suffix(), closed)
        changed = [d for d in (w.performed, w.terminated, closed) if d is not None]
        changed += [p[0] for p in w.payments]
        self.rows["enforcement_record"].append((
            w.id, case.id, kind, number, organ, iso(effective), w.claim, w.recovered,
            iso(w.performed) if w.performed else None,
            iso(w.terminated) if w.terminated else None, None,
            iso(closed) if closed else None, w.close_kind if closed else "", close_document,
            notes, actor, w.created, self.updated(w.created, max(changed, default=None)), 1,
        ))  # fmt: skip
        self.audit(case, w.created, "enforcement_record", w.id, case.number, {
            "title_kind": kind, "title_document_no": number, "title_organ": organ,
            "title_effective_on": iso(effective), "claimed_fen": w.claim, "notes": notes,
        })  # fmt: skip
        label = f"{case.number} 执行到位"
        for day, amount, payer, way, note in w.payments:
            pay_id = self.new_id()
            stamp = w.event_stamp if day == w.performed else self.stamp_on(day)
            self.rows["enforcement_payment"].append(
                (pay_id, w.id, iso(day), amount, payer, way, note, stamp, actor)
            )
            self.audit(case, stamp, "enforcement_payment", pay_id, label, {
                "paid_on": iso(day), "amount_fen": amount, "payer": payer, "way": way,
            })  # fmt: skip
        audits, cache = self.rows["audit_record"], self.__dict__.setdefault("_action_json", {})
        for day, kind, result, document in sorted(w.actions):
            act_id, stamp, on = self.new_id(), self.stamp_on(day), iso(day)
            self.rows["enforcement_action"].append(
                (act_id, w.id, kind, on, result, document, stamp, actor)
            )
            # the create record, as audit() writes it (the many searches after 终本: quickly)
            parts = cache.get((kind, result, document))
            if parts is None:
                text = json.dumps({"kind": [None, kind], "taken_on": [None, "\0"],
                                   **({"result": [None, result]} if result else {}),
                                   **({"document_no": [None, document]} if document else {})},
                                  ensure_ascii=False)  # fmt: skip
                parts = cache[kind, result, document] = tuple(text.split("\\u0000"))
            dashed = f"{act_id[:8]}-{act_id[8:12]}-{act_id[12:16]}-{act_id[16:20]}-{act_id[20:]}"
            audits.append((stamp, actor, "create", "enforcement_action", dashed, case.id,
                           f"{case.number} {kind}", on.join(parts)))  # fmt: skip
