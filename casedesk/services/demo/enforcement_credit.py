"""The debtor credit list in the demo data (失信被执行人, 限制消费), as
:mod:`casedesk.services.enforcement_credit` records it: 失信预警 with a grace period of one to
three months (its clock met by the listing or by the debtor's performance), listings on the
grounds of 失信规定 第1条 — mostly (1) and (4) — with their term (none for ground (1)), and the
3-working-day deletion once the debtor performed or another ground arose (after 终本 two network
searches that found nothing, 终结执行, the applicant's request), recorded mostly in time, a few
late, some still pending and some overdue; deletions when a term ran out and early deletions
for active performance (信用修复); 限制消费 orders, lifted after performance.

:class:`Walk` is one enforcement record while it is built; :class:`CreditMaker` plans its
listings and orders and queues their rows. Days are ordinals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casedesk.domain import credit_list as cl
from casedesk.domain import enforcement as en
from casedesk.domain.deadlines import ENDS_ON_TRIGGER
from casedesk.services.demo.deadlines import RECENT, CaseFacts
from casedesk.services.demo.measure_rows import MeasureRows
from casedesk.services.demo.names import Pick
from casedesk.services.demo.subjects import Subject

#: Share of the cases without a listing on their timeline whose debtor is warned (失信预警):
#: closed ones, and those still running.
WARN_SHARE, LIVE_WARN_SHARE = 0.25, 0.5
#: Every CYCLE-th debtor still on the list when the demo's today comes saw a deletion ground
#: arise in the last days: pending deletions and overdue ones, even among 2,000 cases.
CYCLE = 5
_RECENT_DAYS = (30, 0, 9, 2, 16, 1)
_LISTING_NOTE, _BAN_NOTE = "纳入失信被执行人名单", "限制高消费"
_NOTICE = "发出执行通知书、报告财产令"
#: Grounds of 失信规定 第1条: after 终本 (no property found), and where the debtor could pay.
_GROUNDS_TERMINATED = Pick(((4, 50), (1, 30), (3, 8), (5, 6), (6, 3), (2, 3)))
_GROUNDS_PAYING = Pick(((1, 70), (4, 20), (5, 5), (6, 5)))
_GRACE_MONTHS = Pick(((1, 4), (2, 3.5), (3, 2.5)))
_UNIT_RESTRICTED = "法定代表人、主要负责人、实际控制人"
#: What recording the performance notes on the periods it meets.
PERFORMED_NOTES = dict(ENDS_ON_TRIGGER[en.PERFORMED])


@dataclass
class Listing:
    """One debtor on the way to, on and off the credit list."""

    debtor: Subject
    warned: int | None = None
    grace_months: int | None = None
    grace_due: int | None = None
    listed: int | None = None
    ground: int | None = None
    extra: int = 0
    term_spec: str = ""
    term_due: int | None = None
    document: str = ""
    arose: int | None = None  # a deletion ground arose (the clock starts)
    arose_reason: str = ""
    by_performance: bool = False
    delete_due: int | None = None
    deleted: int | None = None
    delete_reason: str = ""
    delete_document: str = ""


@dataclass
class Ban:
    debtor: Subject
    ordered: int
    document: str
    lifted: int | None = None
    lift_reason: str = ""


@dataclass
class Walk:
    """An enforcement record while it is built."""

    case: CaseFacts
    id: str
    created: str
    claim: int | None
    days: dict[str, int]
    debtors: list[Subject]
    terminated: int | None = None  # 终本
    ended: int | None = None  # 终结执行
    finished: int | None = None  # the 执行完毕 entry
    performed: int | None = None
    performed_note: str = ""
    event_id: str = ""  # the performed trigger's entry
    event_stamp: str = ""
    close_kind: str = ""
    payments: list[tuple[int, int, str, str, str]] = field(default_factory=list)
    actions: list[tuple[int, str, str, str]] = field(default_factory=list)
    searches: list[int] = field(default_factory=list)  # network searches after 终本
    listings: list[Listing] = field(default_factory=list)
    bans: list[Ban] = field(default_factory=list)

    @property
    def recovered(self) -> int:
        return sum(p[1] for p in self.payments)

    @property
    def live(self) -> bool:
        """Neither closed nor terminated (the case still 执行中)."""
        return self.finished is None and self.terminated is None and self.ended is None


class CreditMaker(MeasureRows):
    """Plans the credit listings and 限制消费 orders of an enforcement record."""

    def plan_credit(self, w: Walk) -> None:
        """Warnings, listings and their natural deletion grounds (performance, 终本 searches,
        终结执行, term run out, 信用修复); orders and their lifting are planned by
        :meth:`plan_bans` once the performance is known."""
        rng, today, case = self.rng, self.today, w.case
        if not w.debtors:
            return
        noted = w.days.get(_LISTING_NOTE)
        targets: list[tuple[Subject, int | None, bool]] = []  # debtor, noted day, direct
        if noted is not None:
            targets.append((w.debtors[0], noted, False))
            if len(w.debtors) > 1 and rng.random() < 0.4:
                targets.append((w.debtors[1], noted, False))
        elif rng.random() < (LIVE_WARN_SHARE if w.live else WARN_SHARE):
            targets.append((w.debtors[0], None, False))
        elif w.terminated is not None and rng.random() < 0.35:  # listed on the 终本 day
            targets.append((w.debtors[0], w.terminated, True))
        for debtor, day, direct in targets:
            lst = Listing(debtor)
            if day is not None and not direct:
                self._warn_before(case, lst, day)
            elif day is None and not self._warn(w, lst):
                continue
            listed = day
            if listed is None:  # after the grace period, unless the debtor paid first
                assert lst.grace_due is not None
                listed = lst.grace_due + rng.randint(1, 15)
                if w.finished is not None and (listed >= w.finished or rng.random() < 0.4):
                    listed = None
            if w.ended is not None and (listed is None or listed >= w.ended):
                continue  # ended before it came to a listing: no warning recorded either
            if listed is not None and listed <= today:
                self._list(w, lst, listed)
            if lst.warned is not None or lst.listed is not None:
                w.listings.append(lst)
        for lst in w.listings:
            if lst.listed is not None:
                self._natural_deletion(w, lst)

    def _warn_before(self, case: CaseFacts, lst: Listing, listed: int) -> None:
        """A warning before a listing on a known day: with a grace period that ended before it
        where one fits, else without one, or none at all."""
        rng, roll = self.rng, self.rng.random()
        rule = self.rules[en.GRACE_RULE]
        if roll < 0.6:
            for months in (_GRACE_MONTHS(rng), 1):
                warned = listed - 30 * months - rng.randint(3, 20)
                due = self.due(self.term(rule, f"{months}m"), warned)[0]
                if warned >= case.accepted + 3 and due < listed:
                    lst.warned, lst.grace_months, lst.grace_due = warned, months, due
                    return
        if roll < 0.75 and (warned := listed - rng.randint(5, 20)) >= case.accepted:
            lst.warned = warned

    def _warn(self, w: Walk, lst: Listing) -> bool:
        """A warning with a grace period some days after the 执行通知书 (False: none fits)."""
        rng, case = self.rng, w.case
        warned = w.days.get(_NOTICE, case.accepted) + rng.randint(5, 30)
        end = w.finished or w.ended or self.today
        if warned > min(end, self.today) or (w.finished is not None and warned >= w.finished):
            return False
        months = _GRACE_MONTHS(rng)
        lst.warned, lst.grace_months = warned, months
        lst.grace_due = self.due(self.term(self.rules[en.GRACE_RULE], f"{months}m"), warned)[0]
        return True

    def _list(self, w: Walk, lst: Listing, day: int) -> None:
        rng = self.rng
        paying = w.terminated is None and _LISTING_NOTE not in w.days
        lst.listed, lst.ground = day, (_GROUNDS_PAYING if paying else _GROUNDS_TERMINATED)(rng)
        if lst.ground in (2, 3) and rng.random() < 0.4:
            lst.extra = rng.randint(1, cl.MAX_EXTRA_YEARS)
        lst.term_spec = cl.listing_term_spec(lst.ground, lst.extra) or ""
        if lst.term_spec:
            rule = self.term(self.rules[en.LISTING_TERM_RULE], lst.term_spec)
            lst.term_due = self.due(rule, day)[0]
        lst.document = self.document(w.case, "人民法院", self.ruling_suffix(), day)

    def _natural_deletion(self, w: Walk, lst: Listing) -> None:
        """The first deletion ground of a listing and the deletion (失信规定 第10条)."""
        rng, today = self.rng, self.today
        assert lst.listed is not None
        grounds: list[tuple[int, str]] = []
        if w.performed is not None and w.performed > lst.listed:
            grounds.append((w.performed, "履行完毕"))
        if len(w.searches) >= 2 and w.searches[1] >= lst.listed and rng.random() < 0.5:
            grounds.append((w.searches[1], "终本后查无财产"))
        if w.ended is not None and w.ended >= lst.listed and rng.random() < 0.9:
            grounds.append((w.ended, "终结执行"))
        first = min(grounds) if grounds else None
        if (
            lst.term_due is not None
            and lst.term_due < today - RECENT
            and (first is None or lst.term_due < first[0])
        ):
            lst.deleted, lst.delete_reason = (
                min(lst.term_due + rng.randint(0, 10), today),
                "期限届满",
            )
        elif first is not None:
            self._arise(w, lst, *first)
            assert lst.delete_due is not None
            roll = rng.random()
            if roll < 0.75:
                day: int | None = rng.randint(first[0], lst.delete_due)
            elif roll < 0.96:
                day = lst.delete_due + rng.randint(1, 15)
            else:
                day = None  # forgotten: overdue
            if day is not None and day <= today:
                reason = "和解履行完毕" if w.close_kind == "和解履行完毕" else first[1]
                lst.deleted, lst.delete_reason = day, reason
        elif w.terminated is None and rng.random() < 0.05:  # early deletion for performing
            day = lst.listed + rng.randint(60, 400)
            if day <= min(today, w.ended or today):
                lst.deleted, lst.delete_reason = day, "信用修复"
        if lst.deleted is not None:
            lst.delete_document = self.document(w.case, "人民法院", self.ruling_suffix(),
                                                lst.deleted)  # fmt: skip

    def _arise(self, w: Walk, lst: Listing, day: int, reason: str) -> None:
        lst.arose, lst.arose_reason = day, reason
        lst.by_performance = reason == "履行完毕"
        lst.delete_due = self.due(self.rules[en.DELETE_RULE], day)[0]

    def recent_grounds(self, w: Walk, not_before: int | None) -> int | None:
        """Every CYCLE-th debtor still listed saw a deletion ground arise in the last days, the
        deletion not recorded yet: on a live case the debtor paid the rest (returns that day:
        the performance, which starts the clock of every debtor listed; ``not_before``: the
        first day it may come, None: it may not), else the applicant asked for it or (after
        终本) two searches found nothing."""
        today = self.today
        for lst in w.listings:
            if lst.listed is None or lst.deleted is not None or lst.arose is not None:
                continue
            n = self.__dict__["_credit_n"] = self.__dict__.get("_credit_n", 0) + 1
            if n % CYCLE:
                continue
            day = today - _RECENT_DAYS[n // CYCLE % len(_RECENT_DAYS)]
            if day < lst.listed:
                continue
            latest = max([p[0] for p in w.payments]
                         + [x.listed or x.warned or 0 for x in w.listings])  # fmt: skip
            if not_before is not None and w.live and w.claim and day > max(latest, not_before):
                return day
            searched = sum(1 for s in w.searches if s <= day)
            self._arise(w, lst, day, "终本后查无财产" if searched >= 2 else "申请执行人申请")
        return None

    def performed_now(self, w: Walk) -> None:
        """The performance on a live case starts the clock of every debtor still listed."""
        assert w.performed is not None
        for lst in w.listings:
            if lst.listed is not None and lst.deleted is None and lst.arose is None:
                self._arise(w, lst, w.performed, "履行完毕")

    def plan_bans(self, w: Walk) -> None:
        """限制消费令: on the day the timeline notes one, with every listing (限制消费规定 第1条:
        a listed debtor is restricted), and for some paying debtors; lifted after performance
        (第9条) or 终结执行, kept after 终本."""
        rng, today = self.rng, self.today
        wanted: dict[str, int] = {}
        if (noted := w.days.get(_BAN_NOTE)) is not None and w.debtors:
            wanted[w.debtors[0][0]] = noted
        for lst in w.listings:
            if lst.listed is not None:
                wanted.setdefault(lst.debtor[0], lst.listed)
        if w.debtors and not wanted and w.terminated is None and rng.random() < 0.2:
            day = w.days.get(_NOTICE, w.case.accepted) + rng.randint(5, 30)
            if day <= today and (w.performed is None or day < w.performed):
                wanted[w.debtors[0][0]] = day
        for debtor in w.debtors:
            day = wanted.get(debtor[0])
            if day is None:
                continue
            ban = Ban(debtor, day, self.document(w.case, "人民法院", self.ruling_suffix(), day))
            lift, reason = None, ""
            if w.performed is not None and rng.random() < 0.9:
                lift, reason = max(w.performed, day) + rng.randint(0, 7), "履行完毕"
            elif w.ended is not None:
                lift, reason = max(w.ended, day) + rng.randint(0, 10), "申请执行人同意"
            elif w.live and rng.random() < 0.04:
                lift, reason = day + rng.randint(20, 200), "提供担保"
            if lift is not None and lift <= today:
                ban.lifted, ban.lift_reason = lift, reason
            w.bans.append(ban)

    # -- rows -------------------------------------------------------------------------------------
    def credit_rows(self, w: Walk) -> None:
        """Queue the listings with their clocks, and the orders, each with its create record."""
        case, iso = w.case, self.iso
        for lst in w.listings:
            self._listing_rows(w, lst)
        for ban in w.bans:
            ban_id, person = self.new_id(), ban.debtor[5]
            created = self.stamp_on(ban.ordered)
            restricted = "" if person else _UNIT_RESTRICTED
            self.rows["spending_ban"].append((
                ban_id, case.id, None if person else ban.debtor[0],
                ban.debtor[0] if person else None, ban.debtor[1], iso(ban.ordered), ban.document,
                restricted,
                iso(ban.lifted) if ban.lifted else None, ban.lift_reason, "", self.actor, created,
                self.updated(created, ban.lifted), 1,
            ))  # fmt: skip
            self.audit(case, created, "spending_ban", ban_id, f"{ban.debtor[1]} 限制消费", {
                "ordered_on": iso(ban.ordered), "document_no": ban.document,
                "restricted_persons": restricted,
            })  # fmt: skip

    def _listing_rows(self, w: Walk, lst: Listing) -> None:
        case, iso, name = w.case, self.iso, lst.debtor[1]
        subject = f"{name}（失信被执行人）"
        first = lst.warned if lst.warned is not None else lst.listed
        assert first is not None
        created = self.stamp_on(first)
        why = f"已删除失信信息（{lst.delete_reason}）"
        grace_id = term_id = delete_id = None
        if lst.grace_months is not None:
            assert lst.warned is not None
            end, note = lst.listed, "宽限期满仍未履行，已纳入失信名单"
            if end is None and w.performed is not None:
                end, note = w.performed, PERFORMED_NOTES[en.GRACE_RULE]
            grace_id = self.new_id()
            self.add(case.id, self.rules[en.GRACE_RULE], en.GRACE_GRANTED, lst.warned, created,
                     end=end, note=note if end else "", subject=subject,
                     period_spec=f"{lst.grace_months}m", extend=0, row_id=grace_id)  # fmt: skip
        if lst.term_spec:
            assert lst.listed is not None
            term_id = self.new_id()
            self.add(case.id, self.rules[en.LISTING_TERM_RULE], en.LISTED, lst.listed,
                     self.stamp_on(lst.listed), end=lst.deleted,
                     note=why if lst.deleted else "", subject=subject, period_spec=lst.term_spec,
                     extend=0, row_id=term_id)  # fmt: skip
        if lst.arose is not None:
            delete_id = self.new_id()
            trigger, event = (en.PERFORMED, w.event_id) if lst.by_performance else (
                en.DELETION_GROUND, None)  # fmt: skip
            stamp = w.event_stamp if lst.by_performance else self.stamp_on(lst.arose)
            self.add(case.id, self.rules[en.DELETE_RULE], trigger, lst.arose, stamp,
                     end=lst.deleted, note=why if lst.deleted else "", event_id=event,
                     subject=subject, extend=0, row_id=delete_id)  # fmt: skip
        listing_id = self.new_id()
        last = max(d for d in (lst.warned, lst.listed, lst.arose, lst.deleted) if d is not None)
        grace_from = iso(lst.warned) if lst.grace_months and lst.warned else None
        self.rows["dishonest_listing"].append((
            listing_id, case.id, None if lst.debtor[5] else lst.debtor[0],
            lst.debtor[0] if lst.debtor[5] else None, name,
            iso(lst.warned) if lst.warned is not None else None, "", grace_from, lst.grace_months,
            iso(lst.grace_due) if lst.grace_due is not None else None,
            iso(lst.listed) if lst.listed is not None else None, lst.ground, lst.document,
            lst.term_spec, iso(lst.term_due) if lst.term_due is not None else None,
            iso(lst.arose) if lst.arose is not None else None, lst.arose_reason,
            iso(lst.deleted) if lst.deleted is not None else None, lst.delete_reason,
            lst.delete_document, "", grace_id, term_id, delete_id, self.actor, created,
            self.updated(created, last), 1,
        ))  # fmt: skip
        if lst.warned is not None:  # created by the warning
            values: dict[str, object] = {
                "warned_on": iso(lst.warned), "document_no": "", "grace_from": grace_from,
                "grace_months": lst.grace_months,
                "grace_end": iso(lst.grace_due) if lst.grace_due is not None else None,
            }  # fmt: skip
        else:  # created by the listing
            assert lst.listed is not None
            values = {
                "listed_on": iso(lst.listed), "ground": lst.ground, "document_no": lst.document,
                "term_spec": lst.term_spec or "不设期限",
                "term_end": iso(lst.term_due) if lst.term_due is not None else None,
            }  # fmt: skip
        self.audit(case, created, "dishonest_listing", listing_id, f"{name} 失信", values)
