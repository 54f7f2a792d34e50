"""Trigger events of the demo cases and the periods they start, as recorded through
:meth:`casedesk.services.deadlines.DeadlineService.record_trigger`: the prosecution clocks of
criminal cases (审查起诉, 退回补充侦查), dated on their stage entries; complaints (投诉举报) and
their replies; judicial and procuratorial suggestions (建议书) and the recipients' replies. The
clocks of compulsory measures (custody, bail, property terms) come with the measures
(:mod:`~casedesk.services.demo.measures`), not as bare trigger events.

Most periods are met — on the stage entry that ended them, or, without one, when the next step
came or on their last day — and those still running are open, a few past their last day.
"""

from __future__ import annotations

from collections.abc import Callable

from casedesk.domain.deadline_rules import DeadlineRule
from casedesk.domain.deadlines import ENDS_ON_TRIGGER
from casedesk.domain.documents import JUDICIAL, PROCURATORIAL
from casedesk.services.demo.deadlines import RECENT, CaseFacts
from casedesk.services.demo.measures import MeasureMaker
from casedesk.services.demo.suggestions import SuggestionMaker

CRIMINAL_SHARE = 0.6  # criminal cases whose prosecution clocks are recorded
COMPLAINT_SHARE = 0.02
SUGGESTION_SHARE = 0.012  # closed cases after which the court served a judicial suggestion

_DISPOSALS = {"提起公诉": "已提起公诉", "作出不起诉决定": "已作出不起诉决定",
              "撤销案件": "已撤销案件"}  # fmt: skip
_RETURNED = dict(ENDS_ON_TRIGGER["returned_for_investigation"])["criminal.prosecution.review"]
_RESUBMITTED = "补充侦查完毕，重新移送审查起诉"
_CHANNELS = {True: ("12309中国检察网", "来信", "来访"),
             False: ("12368诉讼服务热线", "来信", "来访", "网上诉讼服务平台")}  # fmt: skip
_COMPLAINTS = (
    "反映案件久拖未结", "反映查封、冻结财产超出标的额，影响企业正常经营", "反映承办人未及时回复",
    "反映对方当事人转移财产", "要求尽快审结案件", "反映执行款未及时发放",
)  # fmt: skip
#: A trigger entry recorded on a stage entry's day: (day, its creation time, the deadline's
#: event id and subject).
Recorded = tuple[int, str, dict[str, str]]
_SUGGESTION_FAMILIES = frozenset({"民事", "商事", "行政", "执行", "破产"})


class TriggerMaker(MeasureMaker, SuggestionMaker):
    """Adds, for each case, its acceptance periods, its compulsory measures with their clocks,
    and the trigger events with theirs."""

    def for_case(self, case: CaseFacts) -> None:
        self.accepted(case)
        self.measures(case)
        if case.family == "刑事":
            self._criminal(case)
        rng = self.rng
        if case.family == "检察监督":
            self._procuratorial_suggestion(case)
        elif (
            case.closed is not None
            and case.family in _SUGGESTION_FAMILIES
            and rng.random() < SUGGESTION_SHARE
        ):
            self._judicial_suggestion(case, case.closed + rng.randint(3, 30))
        if rng.random() < COMPLAINT_SHARE:
            self._complaint(case)

    def _settle(
        self, rule: DeadlineRule, start: int, later: int | None, note: str
    ) -> tuple[int | None, str]:
        """The end of a period no entry of the timeline ended: the next step (``later``) or its
        last day, whichever came first; still open while recent."""
        due = self.due(rule, start)[0]
        if later is not None:
            return max(start, min(due, later)), note
        if due < self.today - RECENT:
            return due, note
        return None, ""

    # -- criminal cases -------------------------------------------------------------------------
    def _criminal(self, case: CaseFacts) -> None:
        """The case-wide clocks of the prosecution (the custody clocks belong to the measures)."""
        events = case.events
        first: dict[str, int] = {}
        for i, (_day, _stage, note) in enumerate(events):
            first.setdefault(note, i)
        if "移送审查起诉" not in first or self.rng.random() >= CRIMINAL_SHARE:
            return

        def record(note: str, trigger: str, text: str) -> Recorded:
            i = first[note]
            stamp = self.later(case.stamps[i], 20 + self.rng.random() * 30)
            event_id = self.event(case.id, events[i][0], trigger, text, stamp)
            return events[i][0], stamp, {"event_id": event_id, "subject": ""}

        self._prosecution(case, first, record)

    def _prosecution(
        self, case: CaseFacts, first: dict[str, int], record: Callable[..., Recorded]
    ) -> None:
        """审查起诉, 退回补充侦查 and the second 审查起诉 after it."""
        events, rules, rng = case.events, self.rules, self.rng
        review, extra = (
            rules["criminal.prosecution.review"],
            rules["criminal.supplementary_investigation"],
        )
        disposal = next(((d, _DISPOSALS[n]) for d, _s, n in events if n in _DISPOSALS), None)
        day, stamp, src = record("移送审查起诉", "prosecution_received", "受理移送审查起诉")
        returned = events[first["退回补充侦查"]][0] if "退回补充侦查" in first else None
        if returned is not None:
            end, note = returned, _RETURNED
        else:
            end, note = disposal or self._settle(review, day, None, "审查起诉终结")
        self.add(case.id, review, "prosecution_received", day, stamp, end=end, note=note, **src)
        if returned is None:
            return
        day, stamp, src = record(
            "退回补充侦查", "returned_for_investigation", "退回公安机关补充侦查"
        )
        if disposal is None or disposal[0] <= returned:
            end, note = self._settle(extra, day, None, "补充侦查完毕")
            self.add(case.id, extra, "returned_for_investigation", day, stamp, end=end, note=note,
                     **src)  # fmt: skip
            return
        again = returned + max(1, min(rng.randint(12, 30), disposal[0] - returned - 1))
        self.add(case.id, extra, "returned_for_investigation", day, stamp, end=again,
                 note=_RESUBMITTED, **src)  # fmt: skip
        stamp = self.stamp_on(again)
        event_id = self.event(case.id, again, "prosecution_received", _RESUBMITTED, stamp)
        self.add(case.id, review, "prosecution_received", again, stamp, end=disposal[0],
                 note=disposal[1], event_id=event_id, round_=2)  # fmt: skip

    # -- suggestions and complaints -------------------------------------------------------------
    def _reply(
        self, start: int, on_time: tuple[int, int], late: tuple[int, int], p_late: float,
        p_never: float = 0.0, horizon: int = 0,
    ) -> int | None:  # fmt: skip
        """The day a reply came, or None while it has not (yet) come."""
        roll = self.rng.random()
        if roll < p_never and start >= self.today - horizon:
            return None
        low, high = late if roll > 1 - p_late else on_time
        end = start + self.rng.randint(low, high)
        return end if end <= self.today else None

    def _procuratorial_suggestion(self, case: CaseFacts) -> None:
        issued = next((d for d, _s, note in case.events if note == "提出检察建议"), None)
        if issued is not None:
            organs = self.organs(case.court)  # the supervised court, or the area's regulator
            if case.procedure == "公益诉讼":
                recipient = organs.police.removesuffix("公安局") + "市场监督管理局"
                subtype = "公益诉讼检察建议"
            else:
                recipient, subtype = organs.court, "纠正违法检察建议"
            start = issued + self.rng.randint(1, 7)
            self.suggestion(case, PROCURATORIAL, start, recipient, subtype)

    def _judicial_suggestion(self, case: CaseFacts, start: int) -> None:
        bodies = [s for _r, s in case.subjects if not s[5] and s[3] is None]  # public bodies
        firms = [s for _r, s in case.subjects if not s[5] and s[3] is not None]
        recipient = (bodies or firms)[0][1] if bodies or firms else "有关行业主管部门"
        self.suggestion(case, JUDICIAL, start, recipient)

    def _complaint(self, case: CaseFacts) -> None:
        rng = self.rng
        span = (case.closed or self.today) - case.accepted
        if span < 3:
            return
        start = case.accepted + rng.randint(3, span)
        channels = _CHANNELS[case.family == "检察监督"]
        who = case.subjects[int(rng.random() * len(case.subjects))][1][1]
        subject = f"{who}（{channels[int(rng.random() * len(channels))]}）"
        stamp = self.stamp_on(start)
        text = _COMPLAINTS[int(rng.random() * len(_COMPLAINTS))]
        event_id = self.event(case.id, start, "complaint_filed", text, stamp)
        src = {"event_id": event_id, "subject": subject}
        first = self._reply(start, (1, 7), (8, 15), 0.06)
        self.add(case.id, self.rules["complaint.procedural_reply"], "complaint_filed", start,
                 stamp, end=first, note="已程序性回复" if first else "", **src)  # fmt: skip
        result = self._reply(start, (15, 85), (93, 130), 0.08, p_never=0.12, horizon=150)
        if result is not None and first is not None:
            result = max(result, first)
        self.add(case.id, self.rules["complaint.result_reply"], "complaint_filed", start,
                 stamp, end=result, note="已答复办理结果" if result else "", **src)  # fmt: skip
