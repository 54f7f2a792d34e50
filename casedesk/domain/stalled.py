"""挂案: when a criminal case against an enterprise (or its managers) counts as stalled, and the
checks of its supervision (挂牌督办) and close-off (销号).

Source: 最高人民检察院、公安部《关于公安机关办理经济犯罪案件的若干规定》（公通字〔2017〕25号）
第25条 (law.md §9). The case must be 撤销 when

- (a) a compulsory measure was lifted (解除) and 12 months later the case has still not been sent
  for prosecution or otherwise dealt with — the 2020 clearance criteria read this for 取保候审 and
  监视居住 as "the legal term expired", so a bail whose 12-month maximum ran out without release
  ends on its last day;
- (b) no measure was ever taken and 2 years after filing (立案) nothing has happened.

"强制措施" here excludes 拘传 (measures.STALLED_COUNTED_KINDS). Periods are counted as the
deadline engine counts them (the trigger day is not counted; months by 刑诉法解释 第202条) and are
never moved off a holiday (the rules have ``roll_forward=False``): the case is flagged from the day
after the period's last day. Which cases are candidates at all (family 刑事, open, stage not moved
forward, an enterprise involved) is decided by the store's query; this module decides the flag.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from casedesk.domain.drafts import LIMITS, _text_errors, clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.field_types import check_types
from casedesk.domain.measures import STALLED_COUNTED_KINDS
from casedesk.domain.periods import DAYS, MONTHS, YEARS, Period, PeriodError, add_months

NO_MEASURE = "stalled.no_measure"
AFTER_MEASURE = "stalled.after_measure"
#: The packaged periods (the rules in domain.deadline_rules; the service passes the rule table's).
NO_MEASURE_PERIOD = Period(2, YEARS)
AFTER_MEASURE_PERIOD = Period(12, MONTHS)

#: Stages in which a criminal case has not moved forward (no 移送审查起诉, 不起诉 or 撤案); ""
#: for a case registered without a stage.
STALLED_STAGES: tuple[str, ...] = ("立案侦查", "审查逮捕", "")
#: Measures with a legal maximum: past its last day the measure has expired (刑诉法 第79条).
TERM_KINDS = frozenset({"取保候审", "监视居住"})
#: The tag that marks a case as enterprise-related when no enterprise is a party.
ENTERPRISE_TAG = "涉企"

# -- ledger vocabulary -----------------------------------------------------------------------------
PENDING, SUPERVISED, CLOSED_OFF = "待督办", "督办中", "已销号"
STATUSES: tuple[str, ...] = (PENDING, SUPERVISED, CLOSED_OFF)
#: How a supervised case ended (销号): law.md §9 "撤案, 移送起诉, 不起诉 or a judgment".
OUTCOMES: tuple[str, ...] = ("撤案", "移送审查起诉", "不起诉", "判决", "其他")

_DIGITS = "零一二三四五六七八九"
_UNIT_WORDS = {DAYS: "日", MONTHS: "个月", YEARS: "年"}


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals (二, 十二, 二十四); larger numbers in digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def period_words(period: Period) -> str:
    """Period words: "二年", "十二个月", "730日"."""
    amount = str(period.amount) if period.unit == DAYS else chinese_number(period.amount)
    return amount + _UNIT_WORDS.get(period.unit, period.unit)


def threshold_label(threshold: str, period: Period | None = None) -> str:
    """The Chinese words of a threshold, naming its period."""
    if threshold == NO_MEASURE:
        words = period_words(period or NO_MEASURE_PERIOD)
        return f"立案已满{words}未采取强制措施，未移送起诉、不起诉或撤案"
    if threshold == AFTER_MEASURE:
        words = period_words(period or AFTER_MEASURE_PERIOD)
        return f"强制措施解除或期满已满{words}，未移送起诉、不起诉或撤案"
    return threshold


def last_day(start: date, period: Period, criminal: bool = True) -> date:
    """The last day of ``period`` counted from ``start`` (not counted), never moved off a
    holiday: "3日" from 1 March is 4 March; months by 刑诉法解释 第202条 when ``criminal``."""
    if period.unit == DAYS:
        return start + timedelta(days=period.amount)
    if period.unit in (MONTHS, YEARS):
        months = period.amount * (12 if period.unit == YEARS else 1)
        return add_months(start, months, criminal)
    raise PeriodError(f"挂案期间应以日、月或年计（不能为{period}）")


def shortest_days(period: Period) -> int:
    """A lower bound on the days ``period`` spans from any start: used to narrow the candidate
    cases in SQL before the exact check here."""
    if period.unit == DAYS:
        return period.amount
    months = period.amount * (12 if period.unit == YEARS else 1)
    return max(0, months * 365 // 12 - 4)


# -- the flag --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MeasureSpan:
    """A personal measure as the thresholds see it."""

    kind: str  # 拘传 / 取保候审 / 监视居住 / 拘留 / 逮捕
    started_on: date  # decided (or executed)
    term_end: date | None = None  # 取保候审 / 监视居住: the legal maximum's last day
    ended_on: date | None = None  # released, lifted, changed …

    @property
    def counted(self) -> bool:
        return self.kind in STALLED_COUNTED_KINDS

    def end(self, as_of: date) -> date | None:
        """The day the measure ended by ``as_of`` (None: still in force): the day it was lifted
        (解除之日, 第25条第1款第1项), or for a 取保候审 or 监视居住 not lifted by then whose legal
        maximum has passed (刑诉法 第79条), that maximum's last day."""
        if self.ended_on is not None and self.ended_on <= as_of:
            return self.ended_on
        if self.kind in TERM_KINDS and self.term_end is not None and self.term_end < as_of:
            return self.term_end
        return None


@dataclass(frozen=True)
class StalledState:
    """How long a case has been standing still (no counted measure in force)."""

    threshold: str  # NO_MEASURE or AFTER_MEASURE
    label: str
    since: date  # filing day, or the day the latest counted measure ended
    flagged_from: date  # the day after the period's last day
    days: int  # as_of − since
    flagged: bool  # as_of ≥ flagged_from

    @property
    def days_over(self) -> int:
        """Days since the threshold was passed (0 on ``flagged_from``)."""
        return self.days - (self.flagged_from - self.since).days


def in_force(measures: Iterable[MeasureSpan], as_of: date) -> list[MeasureSpan]:
    """The counted measures taken by ``as_of`` and still in force on it."""
    return [m for m in measures if m.counted and m.started_on <= as_of and m.end(as_of) is None]


def evaluate(
    filed_on: date,
    measures: Iterable[MeasureSpan],
    as_of: date,
    no_measure_period: Period = NO_MEASURE_PERIOD,
    after_measure_period: Period = AFTER_MEASURE_PERIOD,
    criminal: bool = True,
) -> StalledState | None:
    """The running stall of a case filed on ``filed_on`` with ``measures``, as of ``as_of``;
    None while a counted measure is in force. Measures decided after ``as_of`` and 拘传 are
    ignored."""
    taken = [m for m in measures if m.counted and m.started_on <= as_of]
    if not taken:
        threshold, since, period = NO_MEASURE, filed_on, no_measure_period
    else:
        ends = [m.end(as_of) for m in taken]
        if any(e is None for e in ends):
            return None
        threshold, since, period = AFTER_MEASURE, max(e for e in ends if e), after_measure_period
    flagged_from = last_day(since, period, criminal) + timedelta(days=1)
    return StalledState(
        threshold=threshold,
        label=threshold_label(threshold, period),
        since=since,
        flagged_from=flagged_from,
        days=(as_of - since).days,
        flagged=as_of >= flagged_from,
    )


def flag(
    filed_on: date,
    measures: Iterable[MeasureSpan],
    as_of: date,
    no_measure_period: Period = NO_MEASURE_PERIOD,
    after_measure_period: Period = AFTER_MEASURE_PERIOD,
    criminal: bool = True,
) -> StalledState | None:
    """The case's 挂案 flag as of ``as_of``, or None when no threshold has been passed."""
    state = evaluate(filed_on, measures, as_of, no_measure_period, after_measure_period, criminal)
    return state if state is not None and state.flagged else None


# -- supervision and close-off ---------------------------------------------------------------------
@dataclass(frozen=True)
class SupervisionDraft:
    supervising_unit: str
    responsible_unit: str
    started_on: date | None
    due_on: date | None
    instructions: str = ""


@dataclass(frozen=True)
class CloseOffDraft:
    closed_on: date | None
    outcome: str  # one of OUTCOMES
    document: str = ""
    note: str = ""


def check_supervision(draft: SupervisionDraft, today: date) -> SupervisionDraft:
    """挂牌督办 names who supervises, who must act and by when (law.md §9, practice)."""
    check_types(draft)
    errors: dict[str, str] = {}
    d = SupervisionDraft(
        supervising_unit=clean_text(draft.supervising_unit),
        responsible_unit=clean_text(draft.responsible_unit),
        started_on=draft.started_on,
        due_on=draft.due_on,
        instructions=clean_text(draft.instructions),
    )
    if not d.supervising_unit:
        errors["supervising_unit"] = "请填写督办单位"
    if not d.responsible_unit:
        errors["responsible_unit"] = "请填写责任单位"
    if d.started_on is None:
        errors["started_on"] = "请填写督办日期"
    elif d.started_on > today:
        errors["started_on"] = "督办日期不能晚于今天"
    if d.due_on is None:
        errors["due_on"] = "请填写督办期限"
    elif d.started_on is not None and d.due_on < d.started_on:
        errors["due_on"] = f"督办期限不能早于督办日期 {d.started_on}"
    short = LIMITS["short"]
    _text_errors(errors, "supervising_unit", "督办单位", d.supervising_unit, short)
    _text_errors(errors, "responsible_unit", "责任单位", d.responsible_unit, short)
    _text_errors(errors, "instructions", "督办要求", d.instructions, LIMITS["notes"])
    if errors:
        raise FieldErrors(errors)
    return d


def check_close_off(draft: CloseOffDraft, started_on: date, today: date) -> CloseOffDraft:
    """销号: how the case ended, when, and the document that proves it."""
    check_types(draft)
    errors: dict[str, str] = {}
    d = CloseOffDraft(
        closed_on=draft.closed_on,
        outcome=clean_text(draft.outcome),
        document=clean_text(draft.document),
        note=clean_text(draft.note),
    )
    if d.closed_on is None:
        errors["closed_on"] = "请填写销号日期"
    elif d.closed_on < started_on:
        errors["closed_on"] = f"销号日期不能早于督办日期 {started_on}"
    elif d.closed_on > today:
        errors["closed_on"] = "销号日期不能晚于今天"
    if d.outcome not in OUTCOMES:
        errors["outcome"] = f"请选择办结方式（{'、'.join(OUTCOMES)}）"
    if not d.document:
        errors["document"] = "销号须附证明文书"
    _text_errors(errors, "document", "证明文书", d.document, 200)
    _text_errors(errors, "note", "备注", d.note, LIMITS["notes"])
    if errors:
        raise FieldErrors(errors)
    return d
