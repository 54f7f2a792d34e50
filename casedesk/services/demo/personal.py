"""Personal measures of the demo criminal cases, as
:class:`~casedesk.services.personal_measures.PersonalMeasureService` records them: the main
suspect's chain follows the stage entries of the timeline (刑事拘留 → 提请批准逮捕 → 批准逮捕 …,
or 取保候审), each change ending one measure and starting the next (``changed_to_id``), with the
custody clocks met when the next step came (custody periods: no holiday roll-forward, the rule
engine's custody counting); other suspects are on 取保候审 or 监视居住; some persons under arrest
get a 羁押必要性审查 whose recommendation is answered (or not yet) within 10 days.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any

from casedesk.domain.deadline_rules import DeadlineRule
from casedesk.domain.deadlines import MET, DeadlineState, compute
from casedesk.domain.measures import PERSONAL_CLOCKS
from casedesk.services.demo import names as words
from casedesk.services.demo.deadlines import RECENT, CaseFacts
from casedesk.services.demo.measure_rows import Taken
from casedesk.services.demo.measure_words import DEPOSITS, GUARANTOR_RELATIONS
from casedesk.services.demo.reviews import ReviewMaker
from casedesk.services.demo.subjects import Subject
from casedesk.store.bulk import datetime_value

SUSPECTS = ("犯罪嫌疑人", "被告人")
_ORGAN_WORDS = {
    "拘传": "拘传",
    "取保候审": "取保",
    "监视居住": "监居",
    "拘留": "拘",
    "逮捕": "批捕",
}


class PersonalMaker(ReviewMaker):
    """Builds the personal measures of a criminal case (queued by :meth:`personal_rows`)."""

    def personal(self, case: CaseFacts, days: dict[str, int]) -> list[Taken]:
        """The measures of the suspects of a first-instance criminal case, in creation order."""
        suspects = [s for role, s in case.subjects if s[5] and role in SUSPECTS]
        chain: list[Taken] = []
        if not suspects:
            return chain
        self._suspect(case, suspects[0], days, chain)
        first = min((m.decided for m in chain if m.kind != "拘传"), default=None)
        if first is not None:
            for other in suspects[1:]:
                day = min(first + int(self.rng.random() * 6), self.today, case.closed or self.today)
                kind = "监视居住" if self.rng.random() < 0.25 else "取保候审"
                self._bail(case, chain, self._take(case, chain, kind, other, day), days)
        return chain

    def appeal_bail(self, case: CaseFacts) -> list[Taken]:
        """A second-instance (or retrial) court deciding 取保候审 for the appellant."""
        appellants = [s for role, s in case.subjects if s[5] and role == "上诉人"]
        chain: list[Taken] = []
        if appellants and self.rng.random() < 0.3:
            day = min(case.accepted + int(self.rng.random() * 8), self.today,
                      case.closed or self.today)  # fmt: skip
            m = self._take(case, chain, "取保候审", appellants[0], day, "人民法院")
            self._bail(case, chain, m, {})
        return chain

    # -- the main suspect ---------------------------------------------------------------------
    def _suspect(self, case: CaseFacts, person: Subject, days: dict[str, int],
                 chain: list[Taken]) -> None:  # fmt: skip
        rng, rules = self.rng, self.rules
        detained, bailed = days.get("刑事拘留"), days.get("取保候审")
        requested, arrested = days.get("提请批准逮捕"), days.get("批准逮捕")
        if detained is not None:
            summoned = (
                self._summon(case, chain, person, detained, True) if rng.random() < 0.06 else None
            )
            m = self._take(case, chain, "拘留", person, detained, prev=summoned)
            rule = rules["criminal.detention.request_arrest"]
            if requested is not None and requested >= detained:
                self._clock(case, m, rule, end=requested, note="已提请批准逮捕")
                # the step recorded on the 拘留 (CUSTODY_STEPS): its own timeline entry and clock
                review, created = rules["criminal.arrest.review"], self.stamp_on(requested)
                event = self.event(case.id, requested, "arrest_requested",
                                   f"提请批准逮捕：{person[1]}", created)  # fmt: skip
                step = {"event_id": event, "subject": person[1], "links": (None, m.id, None)}
                if arrested is not None and arrested >= requested:
                    self.add(case.id, review, "arrest_requested", requested, created,
                             end=arrested, note="已批准逮捕", **step)  # fmt: skip
                    self._arrest(case, chain, person, arrested, days, m)
                    return
                end = self._step_end(review, requested, _after(case, requested))
                self.add(case.id, review, "arrest_requested", requested, created, end=end,
                         note="已作出不批准逮捕决定" if end else "", **step)  # fmt: skip
            elif arrested is not None and arrested >= detained:
                self._clock(case, m, rule, end=arrested, note="已批准逮捕")
                self._arrest(case, chain, person, arrested, days, m)
                return
            else:
                end = self._step_end(rule, detained, _after(case, detained))
                self._clock(case, m, rule, end=end, note="已变更强制措施为取保候审" if end else "")
            if end is None:  # still detained (recent)
                return
            if rng.random() < 0.2:
                self._end(m, end, "释放")
                return
            bail = self._take(case, chain, "取保候审", person, end, prev=m)
            self._bail(case, chain, bail, days)
            return
        if bailed is not None:
            bail = self._take(case, chain, "取保候审", person, bailed)
            arrest = arrested if arrested is not None and arrested > bailed else None
            if arrest is None:
                self._bail(case, chain, bail, days)
            elif self._bail(case, chain, bail, days, arrest):
                self._arrest(case, chain, person, arrest, days, bail)
            elif bail.ended is not None and bail.ended <= arrest:  # ran out before the arrest
                self._arrest(case, chain, person, arrest, days, None)
            return
        if arrested is not None:
            self._arrest(case, chain, person, arrested, days, None)
        elif rng.random() < 0.12:  # questioned under 拘传, nothing more
            day = min(case.accepted + int(rng.random() * 20), self.today, case.closed or self.today)
            self._summon(case, chain, person, day, False)

    def _step_end(self, rule: DeadlineRule, start: int, later: int | None) -> int | None:
        """The day a custody step without a timeline entry ended: the next step or its last
        day, whichever came first; None while recent."""
        due = self.due(rule, start)[0]
        if later is not None:
            return max(start, min(due, later))
        return due if due < self.today - RECENT else None

    def _arrest(self, case: CaseFacts, chain: list[Taken], person: Subject, day: int,
                days: dict[str, int], prev: Taken | None) -> None:  # fmt: skip
        """逮捕 on ``day``: 侦查羁押 until the transfer (extended as needed, at most 7 months),
        custody on until the case ends, unless changed to 取保候审 (term ran out, or a review)."""
        rng, rule = self.rng, self.rules["criminal.custody.investigation"]
        m = self._take(case, chain, "逮捕", person, day, "人民检察院", prev=prev)
        transfer, ends = days.get("移送审查起诉"), case_end(case, days)
        longest = self.due(rule, day, len(rule.extensions))[0]
        forced: int | None = None
        inv_end: int | None = None
        custody_end: int | None = None
        inv_note, reason = "", "变更"
        if transfer is not None and transfer <= longest:
            inv_end, inv_note = transfer, "侦查终结，移送审查起诉"
            if ends is not None:
                custody_end, reason = ends[0], "判决生效" if ends[1] == "判决" else "释放"
            elif transfer < self.today - 400:  # stalled after the transfer: not kept in custody
                custody_end = min(transfer + 60 + int(rng.random() * 240), self.today - 30)
        else:
            n = len(rule.extensions)  # custody ran out: mostly every extension used first
            forced = n if rng.random() < 0.5 else int(rng.random() * (n + 1))
            last = self.due(rule, day, forced)[0]
            if transfer is not None or last < self.today - RECENT:
                inv_end, custody_end = last, last
                inv_note = "侦查羁押期限届满，变更强制措施为取保候审"
            else:
                forced = None
        change = self._review(case, m, person, day, custody_end, days)
        if change is not None and (custody_end is None or change[0] < custody_end):
            custody_end, reason = change
            if inv_end is None or custody_end < inv_end:
                inv_end, forced = custody_end, None
                inv_note = "已释放" if reason == "释放" else "已变更强制措施为取保候审"
        self._clock(case, m, rule, end=inv_end, note=inv_note, extend=forced)
        if custody_end is None:
            return
        if reason != "变更":
            self._end(m, custody_end, reason)
            return
        organ = "公安机关" if transfer is None or custody_end < transfer else "人民检察院"
        bail = self._take(case, chain, "取保候审", person, custody_end, organ, prev=m)
        self._bail(case, chain, bail, days)

    # -- 取保候审 and 监视居住 -------------------------------------------------------------------
    def _bail(self, case: CaseFacts, chain: list[Taken], m: Taken, days: dict[str, int],
              arrest: int | None = None) -> bool:  # fmt: skip
        """The term clock of a 取保候审 or 监视居住 and how it ended: changed to 逮捕 on
        ``arrest`` (returns True), decided again by the procuratorate on the transfer, ended with
        the case, or ran out (期满). Sets its ``term_end``."""
        rule = self.rules[PERSONAL_CLOCKS[m.kind][1]]
        start = m.decided
        due = m.term_end = self.due(rule, start)[0]
        transfer, ends = days.get("移送审查起诉"), case_end(case, days)
        if arrest is not None and arrest <= due:
            self._clock(case, m, rule, end=arrest, note="已变更为逮捕")
            return True
        if (transfer is not None and start < transfer <= min(due, self.today)
                and m.organ_kind == "公安机关" and self.rng.random() < 0.5):  # fmt: skip
            self._clock(case, m, rule, end=transfer, note="移送审查起诉，由人民检察院重新决定")
            again = self._take(case, chain, m.kind, m.person, transfer, "人民检察院", prev=m)
            again.guarantor, again.deposit = m.guarantor, m.deposit
            return self._bail(case, chain, again, days)
        if ends is not None and start <= ends[0] <= due:
            reason = "判决生效" if ends[1] == "判决" else "解除"
            word = "终止" if ends[1] == "判决" else "解除"
            self._clock(case, m, rule, end=ends[0], note=f"案件{ends[2]}，{m.kind}{word}")
            self._end(m, ends[0], reason)
        elif due < self.today - RECENT:
            self._clock(case, m, rule, end=due, note=f"{m.kind}期满，已解除")
            self._end(m, due, "期满")
        else:
            self._clock(case, m, rule)
        return False

    def _clock(self, case: CaseFacts, m: Taken, rule: DeadlineRule, **more: Any) -> int:
        """The clock a measure starts, from the day it was carried out (拘留, 逮捕: from the
        time, as the service stores it) or decided, its timeline entry as the source."""
        start_at = m.executed_at if m.kind in ("拘留", "逮捕") else None
        return self.add(case.id, rule, PERSONAL_CLOCKS[m.kind][0], m.decided, m.created,
                        event_id=m.event, subject=m.person[1], links=(None, m.id, None),
                        start_at=start_at, **more)  # fmt: skip

    # -- 拘传 -------------------------------------------------------------------------------------
    def _summon(self, case: CaseFacts, chain: list[Taken], person: Subject, day: int,
                then_detained: bool) -> Taken:  # fmt: skip
        """A 拘传 of some hours (summon.max, 12 hours counted from the hour of arrival)."""
        rng = self.rng
        m = self._take(case, chain, "拘传", person, day)
        at = datetime.fromisoformat(m.executed_at)
        hours = 2 + int(rng.random() * 6)
        rule = self.rules["summon.max"]
        due = compute(DeadlineState(rule, at, True), self.calendar)
        note = "拘传后刑事拘留" if then_detained else "讯问结束，解除拘传"
        left = at + timedelta(hours=hours)
        self.rows["deadline"].append((
            self.new_id(), case.id, rule.id, "summoned", m.event, person[1], 1, self.iso(day),
            m.executed_at, 1, 0, "[]", "[]", "[]", due.day.isoformat(), datetime_value(due.at),
            json.dumps(due.steps, ensure_ascii=False),
            json.dumps(due.warnings, ensure_ascii=False), MET, left.date().isoformat(), note,
            m.created, self.actor, m.created, 1, "", None, m.id, None,
        ))  # fmt: skip
        if not then_detained:
            self._end(m, left.date().toordinal(), "解除")
        return m

    # -- taking and ending measures -----------------------------------------------------------
    def _take(self, case: CaseFacts, chain: list[Taken], kind: str, person: Subject, day: int,
              organ_kind: str = "公安机关", prev: Taken | None = None) -> Taken:  # fmt: skip
        """A new measure decided on ``day``; ``prev`` is changed (变更) into it."""
        rng, organs = self.rng, self.organs(case.court)
        organ = {"公安机关": organs.police, "人民检察院": organs.procuratorate}.get(
            organ_kind, organs.court
        )
        word = _ORGAN_WORDS[kind] if organ_kind != "人民法院" else self.ruling_suffix()
        m = Taken(
            id=self.new_id(), case_id=case.id, kind=kind, person=person, decided=day,
            organ=organ, organ_kind=organ_kind, document=self.document(case, organ_kind, word, day),
        )  # fmt: skip
        m.created = self.stamp_on(day)
        if kind in ("拘传", "拘留", "逮捕"):
            minute = (8 * 60 if kind == "拘传" else 9 * 60) + int(rng.random() * 480)
            m.executed_at = f"{self.iso(day)} {minute // 60:02d}:{minute % 60:02d}:00.000000"
        elif kind == "取保候审":
            if rng.random() < 0.65:
                m.deposit = int(DEPOSITS(rng)) * 100
            else:
                surname, given = words.HAN_SURNAMES, words.HAN_MALE
                m.guarantor = (_pick(rng, surname) + _pick(rng, given)
                               + rng.choice(GUARANTOR_RELATIONS))  # fmt: skip
        elif kind == "监视居住":
            m.designated = rng.random() < 0.35
            m.residence = f"{organs.police}指定的居所" if m.designated else "犯罪嫌疑人住处"
        # the timeline shows what the measure did, as an entry of its trigger (as the service)
        note = f"{kind}：{person[1]}（{m.document}）"
        at = m.executed_at if kind in ("拘传", "拘留", "逮捕") else None
        m.event = self.event(case.id, day, PERSONAL_CLOCKS[kind][0], note, m.created, at)
        if prev is not None:
            self._end(prev, day, "变更")
            prev.changed_to, prev.end_document = m.id, m.document
        chain.append(m)
        return m

    @staticmethod
    def _end(m: Taken, day: int, reason: str) -> None:
        m.ended, m.end_reason, m.changed = day, reason, day


def _after(case: CaseFacts, day: int) -> int | None:
    """The day of the first stage entry after ``day``."""
    return next((d for d, _s, _n in case.events if d > day), None)


def case_end(case: CaseFacts, days: dict[str, int]) -> tuple[int, str, str] | None:
    """How the case ended for its suspects: (day, 判决/不起诉/撤案, words for a note)."""
    if "作出不起诉决定" in days:
        return days["作出不起诉决定"], "不起诉", "作出不起诉决定"
    if "撤销案件" in days:
        return days["撤销案件"], "撤案", "撤销"
    if case.closed is not None:
        return case.closed, "判决", "判决生效"
    return None


def _pick(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return pairs[int(rng.random() * len(pairs))][0]
