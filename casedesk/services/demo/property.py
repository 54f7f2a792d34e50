"""Property measures of the demo cases, as
:class:`~casedesk.services.property_measures.PropertyMeasureService` records them.

Civil, commercial and enforcement cases: the court's preservation or enforcement 冻结 of
deposits (1 year), 查封/扣押 of movables (2 years) and 查封 of real estate or 冻结 of other
property rights (3 years) against the debtor, renewed (续行) while the case needs them, released
when it ends — or lapsed (已失效) when nobody renewed them. Criminal cases: the police's 冻结 of
deposits (6 months, 续冻) and 扣押/查封 without a statutory term (periodic review reminders),
some property found unrelated to the case (3-day release clock), released when the case ends.
Values are sized against the claim so that a small share of cases is 超标的.
"""

from __future__ import annotations

from collections.abc import Callable

from casedesk.domain.measures import REVIEW_RULE, UNRELATED_RULE
from casedesk.services.demo import measure_words as mw
from casedesk.services.demo.deadlines import RECENT, CaseFacts
from casedesk.services.demo.measure_rows import Held
from casedesk.services.demo.property_objects import ObjectMaker

#: Chance that a case with measures still in force is 超标的 (the rest is kept below the
#: ratio), and the default ratio the lists use.
OVERSEIZED_SHARE, RATIO = 0.12, 1.2
#: Chance that a term running out is renewed: case still open, or closed without release.
RENEW_OPEN, RENEW_AFTER_CLOSE, RENEW_TERMINATED = 0.88, 0.1, 0.75
#: Debtor roles in the order an owner is looked for.
_DEBTORS = ("被执行人", "被告", "被申请人", "被上诉人", "上诉人")
_SUSPECT_UNITS = ("犯罪嫌疑单位", "被告单位")
#: Notes of the timeline on which a court froze or sealed property.
_MEASURE_NOTES = ("诉讼保全", "冻结银行存款", "查封不动产", "查封财产")
_LAPSED = "期限届满未续行，措施已自动失效"
_RELEASED = "措施已解除"


def _chance(type_code: str, yuan: float, noted: bool) -> float:
    """Chance that a civil or enforcement case has property measures."""
    if noted or type_code in ("财保", "执保"):
        return 1.0
    size = 0 if yuan < 30_000 else 1 if yuan < 300_000 else 2 if yuan < 3_000_000 else 3
    if type_code == "民初":
        return (0.25, 0.6, 0.8, 0.9)[size]
    if type_code in ("执", "执恢"):
        return (0.45, 0.8, 0.9, 0.95)[size]
    return {"民终": 0.06, "民申": 0.03, "民再": 0.03}.get(type_code, 0.0)


def _count(random: Callable[[], float], type_code: str, amount_fen: int) -> int:
    """How many measures a civil or enforcement case has: enforcement's 网络查控 freezes the
    accounts found at several banks at once and seals what else the debtor has."""
    big = amount_fen >= 3_000_000
    if type_code in ("执", "执恢", "执保"):
        return 2 + int(random() * (4 if big else 2))
    if not big:
        return 1
    return 1 + (random() < 0.6) + (random() < 0.3) + (random() < 0.1)


class PropertyMaker(ObjectMaker):
    """Builds the property measures of a case (queued by :meth:`property_rows`)."""

    # -- civil, commercial and enforcement ------------------------------------------------------
    def civil_property(self, case: CaseFacts, days: dict[str, int]) -> list[Held]:
        rng, today = self.rng, self.today
        if not case.amount:
            return []
        noted = [days[n] for n in _MEASURE_NOTES if n in days]
        if rng.random() >= _chance(case.type_code, case.amount / 100, bool(noted)):
            return []
        debtors = [s for role in _DEBTORS for r, s in case.subjects
                   if r == role and (s[5] or s[3] is not None)]  # fmt: skip
        if not debtors:
            return []
        count = _count(rng.random, case.type_code, case.amount)
        latest = min(today, case.closed or today)
        first = min(noted) if noted else min(case.accepted + int(rng.random() * 15), latest)
        notes = {n for _d, _s, n in case.events}
        terminated = "未发现可供执行的财产，终结本次执行程序" in notes
        held = []
        court = self.organs(case.court).court
        for i in range(count):
            owner = debtors[0] if i == 0 else debtors[int(rng.random() * len(debtors))]
            start = first if i == 0 else min(first + int(rng.random() * 45), latest)
            m = self._civil_object(case, owner, start, i == 0)
            m.organ, m.organ_kind = court, "人民法院"
            m.document = self.document(case, "人民法院", self.ruling_suffix(), start)
            end, reason = self._civil_end(case, m, notes, terminated)
            renew = RENEW_OPEN if case.closed is None or end is not None else (
                RENEW_TERMINATED if terminated or case.type_code == "财保" else RENEW_AFTER_CLOSE
            )  # fmt: skip
            self._terms(case, m, end, reason, renew)
            self._partial(m, mw.PARTIAL_RELEASES)
            held.append(m)
        return held

    def _civil_end(self, case: CaseFacts, m: Held, notes: set[str],
                   terminated: bool) -> tuple[int | None, str]:  # fmt: skip
        """The day the measure was released (None: not released) and why."""
        rng, today = self.rng, self.today
        kind = m.kind
        if case.type_code == "财保":  # serves a suit filed afterwards
            if rng.random() < 0.85:
                reasons = mw.CIVIL_RELEASES["担保"] + mw.CIVIL_RELEASES["调解"]
                return m.start + 90 + int(rng.random() * 610), rng.choice(reasons).format(kind=kind)
            return None, ""
        if case.closed is None:
            if rng.random() < 0.08:
                day = m.start + 20 + int(rng.random() * max(today - m.start - 20, 1))
                return day, rng.choice(mw.CIVIL_RELEASES["担保"]).format(kind=kind)
            return None, ""
        if terminated and rng.random() >= 0.5:  # 终本: kept on the property, renewed
            return None, ""
        if rng.random() >= 0.97:
            return None, ""
        if any("执行完毕" in n for n in notes):
            outcome = "执行完毕"
        elif any("调解" in n for n in notes):
            outcome = "调解"
        elif any("撤诉" in n for n in notes):
            outcome = "撤诉"
        else:
            outcome = "判决"
        reason = rng.choice(mw.CIVIL_RELEASES[outcome]).format(kind=kind)
        return max(case.closed, m.start) + int(rng.random() * 21), reason

    # -- criminal ---------------------------------------------------------------------------------
    def criminal_property(self, case: CaseFacts, days: dict[str, int],
                          ends: tuple[int, str, str] | None) -> list[Held]:  # fmt: skip
        """Property seized by the police in a criminal case (``ends``: how the case ended)."""
        rng, today = self.rng, self.today
        units = [s for r, s in case.subjects if r in _SUSPECT_UNITS and not s[5]]
        persons = [s for r, s in case.subjects if s[5] and r in ("犯罪嫌疑人", "被告人")]
        owners = units + persons
        if not owners:
            return []
        police = self.organs(case.court).police
        latest = min(today, case.closed or today)
        first = days.get("刑事拘留") or days.get("取保候审") or case.accepted
        plan: list[tuple[str, str]] = []
        if rng.random() < (0.65 if units else 0.45):
            plan.append(("冻结", "存款"))
            if units and rng.random() < 0.35:
                plan.append(("冻结", "存款"))
        if rng.random() < 0.55:
            plan.append(("扣押", "动产"))
        if rng.random() < (0.3 if units else 0.1):
            plan.append(("查封", "不动产"))
        if units and rng.random() < 0.1:
            plan.append(("冻结", "股权"))
        held = []
        for kind, object_kind in plan:
            owner = owners[int(rng.random() * len(owners))]
            if object_kind == "股权" or (object_kind == "不动产" and units and rng.random() < 0.7):
                owner = units[0] if units else owner
            start = min(first + int(rng.random() * 25), latest)
            m = self._criminal_object(case, owner, start, kind, object_kind)
            m.organ, m.organ_kind = police, "公安机关"
            word = {"冻结": "冻财", "查封": "查封", "扣押": "扣"}[kind]
            m.document = self.document(case, "公安机关", word, start)
            end, reason = self._criminal_end(case, m, ends, bool(units))
            released = self._unrelated(case, m, end)
            if released is not None and (end is None or released < end):
                end, reason = released, mw.UNRELATED_REASON
            if m.rule_id == REVIEW_RULE:
                self._reviews(case, m, end, reason)
            else:
                stale = case.closed is None and m.start < today - 730
                self._terms(case, m, end, reason, 0.7 if stale else RENEW_OPEN)
            if m.unrelated_on is not None:
                self._unrelated_clock(case, m)
            self._partial(m, mw.CRIMINAL_PARTIAL, 0.06)
            held.append(m)
        return held

    def _criminal_end(self, case: CaseFacts, m: Held, ends: tuple[int, str, str] | None,
                      enterprise: bool) -> tuple[int | None, str]:  # fmt: skip
        rng, today = self.rng, self.today
        if ends is not None:
            lag = int(rng.random() * (4 if ends[1] != "判决" else 21))
            return max(ends[0], m.start) + lag, mw.CRIMINAL_RELEASES[ends[1]]
        if enterprise and rng.random() < 0.08 and m.start < today - 30:
            day = m.start + 20 + int(rng.random() * (today - m.start - 20))
            return day, mw.CRIMINAL_RELEASES["担保"]
        return None, ""

    def _unrelated(self, case: CaseFacts, m: Held, end: int | None) -> int | None:
        """Maybe 经查明与案件无关 (sets ``unrelated_on``): returns the day the property was
        released for it — mostly within the 3 days, a few late, a few not yet (None)."""
        rng, today = self.rng, self.today
        found = None
        recent = end is None and case.closed is None and rng.random() < 0.25
        if recent:
            found = max(today - int(rng.random() * 21), m.start + 1)
        elif rng.random() < 0.08:
            found = m.start + 7 + int(rng.random() * 150)
        if found is None or found > today or (end is not None and found >= end):
            return None
        m.unrelated_on = found
        roll = rng.random()
        released: int | None = None
        if roll < (0.65 if recent else 0.8):
            released = found + int(rng.random() * 4)
        elif roll < (0.85 if recent else 0.93) or found < today - 60:
            released = found + 4 + int(rng.random() * 12)
        return released if released is not None and released <= today else None

    def _unrelated_clock(self, case: CaseFacts, m: Held) -> None:
        """The 3-day release clock (刑诉法 第145条) from ``unrelated_on``: met on the release,
        or on the last day of a freeze that ran out meanwhile (no renewal after the finding)."""
        found, rule = m.unrelated_on, self.rules[UNRELATED_RULE]
        end, note = m.released_on, "已解除并退还"
        if end is None and m.term_end is not None and found <= m.term_end < self.today:
            end, note = m.term_end, "冻结期限届满未续行，已自动解除"
        self.add(case.id, rule, rule.trigger, found, self.stamp_on(found), end=end,
                 note=note if end else "", subject=m.subject, links=(m.id, None, None))  # fmt: skip

    # -- the clocks: terms with renewals, or review reminders -----------------------------------
    def _terms(self, case: CaseFacts, m: Held, end: int | None, reason: str, renew: float) -> None:
        """The term clocks of a lapsing measure: one per term, the renewals (续行) chained from
        each last day; released on ``end`` (when not None, and not after today), or lapsed.
        No renewal once the property was found unrelated to the case."""
        rng, today, rule = self.rng, self.today, self.rules[m.rule_id]
        if end is not None and end > today:
            end = None
        term = self.term(rule, m.term_spec)
        start, created, n = m.start, m.created, 1

        def clock(end: int | None = None, note: str = "") -> None:
            self.add(case.id, rule, rule.trigger, start, created, end=end, note=note,
                     subject=m.subject, round_=n, period_spec=m.term_spec,
                     links=(m.id, None, None))  # fmt: skip

        while True:
            due = self.due(term, start)[0]
            if end is not None and end <= due:
                clock(end, _RELEASED)
                m.term_end = due
                self._release(case, m, end, reason)
                return
            decided = max(start + 1, due - 3 - int(rng.random() * 22))
            barred = m.unrelated_on is not None and decided >= m.unrelated_on
            running = due >= today
            if running and (decided > today or end is not None or barred
                            or rng.random() >= 0.35 * renew):  # fmt: skip
                clock()
                m.term_end = due
                return
            # lapsed (已失效); property later found unrelated was still held then
            if not running and (barred or (m.unrelated_on is None and rng.random() >= renew)):
                recent = due >= today - RECENT
                clock(None if recent else due, "" if recent else _LAPSED)
                m.term_end = due
                return
            clock(decided, "已续行")
            word = self.ruling_suffix() if m.organ_kind == "人民法院" else "续冻"
            following = self.due(term, due)[0]
            m.renewals.append((decided, self.document(case, m.organ_kind, word, decided), due,
                               following))  # fmt: skip
            m.changed = decided
            start, created, n = due, self.stamp_on(decided), n + 1

    def _reviews(self, case: CaseFacts, m: Held, end: int | None, reason: str) -> None:
        """Review reminders of a criminal seizure without statutory term: each review meets the
        reminder and starts the next from its day; the last one runs until release."""
        rng, today, rule = self.rng, self.today, self.rules[REVIEW_RULE]
        if end is not None and end > today:
            end = None
        start, created, n = m.start, m.created, 1

        def clock(end: int | None = None, note: str = "") -> None:
            self.add(case.id, rule, rule.trigger, start, created, end=end, note=note,
                     subject=m.subject, round_=n, links=(m.id, None, None))  # fmt: skip

        while True:
            due = self.due(rule, start)[0]
            roll = rng.random()
            if roll < 0.8:
                on: int | None = max(start + 1, due - int(rng.random() * 14))
            elif roll < 0.93:
                on = due + 1 + int(rng.random() * 40)
            else:
                on = None  # not reviewed: the reminder stays open
            if end is not None and (on is None or end <= on):
                clock(end, _RELEASED)
                self._release(case, m, end, reason)
                return
            if on is None or on > today:
                clock()
                return
            clock(on, rng.choice(mw.REVIEW_NOTES))
            m.changed = on
            start, created, n = on, self.stamp_on(on), n + 1

    def _release(self, case: CaseFacts, m: Held, day: int, reason: str) -> None:
        m.released_on, m.release_reason, m.changed = day, reason, day
        m.release_document = self.release_document(case, m, day)

    def _partial(self, m: Held, reasons: tuple[str, ...], chance: float = 0.08) -> None:
        """Maybe a partial release while the measure ran (its value is settled later)."""
        rng = self.rng
        last = min(m.released_on or self.today, m.term_end or self.today)
        if m.value and last - m.start > 40 and rng.random() < chance:
            day = m.start + 10 + int(rng.random() * (last - m.start - 20))
            m.partial = (day, 0.2 + 0.4 * rng.random(), rng.choice(reasons))
            m.changed = max(m.changed or 0, day)

    # -- 超标的 ---------------------------------------------------------------------------------
    def settle_values(self, case: CaseFacts, held: list[Held]) -> None:
        """Keep the value still seized below (claim + costs) × ratio, except in a few cases
        (超标的), where it is 1.4 to 3.8 times the claim (查扣冻规定 第19条)."""
        if not case.amount or not held:
            return
        claim = case.amount + (case.costs or 0)
        live = [m for m in held if m.value and m.in_force(self.today)]
        if not live:
            return

        def kept(m: Held) -> float:  # what a partial release left seized
            return m.value * (1 - (m.partial[1] if m.partial else 0))

        total = sum(kept(m) for m in live)
        rng = self.rng
        if rng.random() < OVERSEIZED_SHARE:
            target = claim * RATIO * (1.15 + 2 * rng.random())
        elif total > claim * 1.1:
            target = claim * (0.4 + 0.7 * rng.random())
        else:
            return
        factor = target / total
        for m in live:
            m.value = max(int(m.value * factor) // 100 * 100, 100)
