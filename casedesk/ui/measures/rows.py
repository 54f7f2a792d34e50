"""How measures, their clocks and their chains read on the 强制措施 tab: table rows (with the
deadline board's colours) and the detail text (renewals and releases of a property measure,
the custody chain of a personal one)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time

from casedesk.domain.amounts import format_amount
from casedesk.domain.deadlines import OPEN, OVERDUE, band
from casedesk.domain.measures import CASE_CUSTODY_RULES, LONGER_TERMS, REVIEW_RULE, lapses
from casedesk.domain.periods import Period, PeriodError
from casedesk.services.dto import DeadlineView
from casedesk.services.measure_dto import (
    ACTIVE,
    LAPSED,
    PARTLY_RELEASED,
    RELEASED,
    CustodyReviewView,
    PersonalMeasureView,
    PropertyMeasureView,
)
from casedesk.services.rule_admin import RuleView
from casedesk.ui.deadlines.style import background, band_label, days_text, foreground
from casedesk.ui.measures.models import Row
from casedesk.ui.qt import QBrush, Qt

PROPERTY_HEADERS = (
    "种类",
    "财产类别",
    "描述",
    "所有人",
    "价值（元）",
    "在控价值（元）",
    "决定机关/文书",
    "开始",
    "期限至",
    "状态",
    "活封活扣",
)
PROPERTY_AMOUNTS = (4, 5)
PERSONAL_HEADERS = ("人员", "措施", "决定 / 执行", "期限至（计时）", "状态")
REVIEW_HEADERS = ("人员", "启动方式", "开始", "方式", "结论", "送达", "回复期限", "回复")
CLOCK_HEADERS = ("期限", "起算", "最后一日", "剩余", "状态", "依据")
GRAY = QBrush(Qt.GlobalColor.gray)
RED = foreground(OVERDUE)
PINK = background(OVERDUE)


def amount(fen: int | None) -> str:
    return format_amount(fen) if fen is not None else "—"


def open_clocks(clocks: Iterable[DeadlineView]) -> list[DeadlineView]:
    """Open clocks, the one that ends first first."""
    return sorted((c for c in clocks if c.status == OPEN), key=lambda c: (c.due_on, c.due))


def _band_colours(clock: DeadlineView | None) -> tuple[QBrush | None, QBrush | None]:
    if clock is None:
        return None, None
    return foreground(clock.band), background(clock.band)


def term_label(spec: str) -> str:
    try:
        return str(Period.parse(spec)) if spec else ""
    except PeriodError:
        return spec


# -- property -------------------------------------------------------------------------------------
def property_status(v: PropertyMeasureView) -> str:
    if v.unrelated_on and v.status in (ACTIVE, PARTLY_RELEASED, LAPSED):
        return f"{v.status}·查明无关"
    return v.status


def property_row(v: PropertyMeasureView) -> Row:
    clocks = open_clocks(v.clocks)
    first = clocks[0] if clocks else None
    if v.term_end is not None:
        term = v.term_end.isoformat()
    elif first is not None:
        term = f"复查 {first.due}"
    else:
        term = "无法定期限"
    organ = "　".join(x for x in (v.organ, v.document_no) if x)
    cells = (
        v.kind,
        v.object_kind,
        v.description,
        v.owner_name,
        amount(v.value_fen),
        amount(v.remaining_fen) if v.status != RELEASED else "0.00",
        organ,
        v.start_on.isoformat(),
        term,
        property_status(v),
        "是" if v.live_use else "",
    )
    if v.status == LAPSED:
        return Row(v.id, cells, RED, PINK, tooltip=f"期限已于 {v.term_end} 届满，未续行，已失效")
    if v.status == RELEASED:
        return Row(v.id, cells, GRAY)
    fg, bg = _band_colours(first)
    tip = f"{first.name}：{first.due}（{days_text(first.days_left, first.band)}）" if first else ""
    return Row(v.id, cells, fg, bg, tooltip=tip)


def property_chain(v: PropertyMeasureView) -> str:
    """The measure, its original term, each 续行 and each release, in order."""
    lines = [
        f"{v.kind}{v.object_kind}：{v.description}"
        + (f"（所有人：{v.owner_name}）" if v.owner_name else "")
    ]
    if v.account_no:
        lines.append(f"账号/登记号：{v.account_no}")
    lines.append(
        f"价值：{amount(v.value_fen)} 元；已解除 {amount(v.released_fen)} 元；"
        f"尚在控 {amount(v.remaining_fen)} 元"
    )
    if v.term_name:
        lines.append(f"期限规则：{v.term_name}" + ("（期满未续行的自动失效）" if v.lapses else ""))
    first_end = v.renewals[0].start_on if v.renewals else v.term_end
    spec = term_label(v.term_spec)
    if first_end is not None:
        lines.append(f"原期限：{v.start_on} 起{('，' + spec) if spec else ''}，至 {first_end}")
    else:
        lines.append(f"开始：{v.start_on}（法律未规定期限，定期复查）")
    for r in v.renewals:
        by = "，".join(x for x in (r.organ, r.document_no) if x)
        lines.append(
            f"续行{r.seq}：{r.decided_on} 决定{('（' + by + '）') if by else ''}，"
            f"{r.term_label}，{r.start_on} 起至 {r.term_end}"
        )
    for rel in v.releases:
        what = "全部解除" if rel.full else f"部分解除 {amount(rel.value_fen)} 元"
        doc = f"（{rel.document_no}）" if rel.document_no else ""
        lines.append(f"{what}：{rel.released_on}，{rel.reason}{doc}")
    if v.unrelated_on:
        lines.append(f"经查明与案件无关：{v.unrelated_on}")
    if v.status == LAPSED:
        lines.append(f"⚠ 期限已于 {v.term_end} 届满，未续行，措施已失效")
    if v.live_use:
        lines.append(f"活封活扣：{v.live_use_note}")
    if v.notes:
        lines.append(f"备注：{v.notes}")
    return "\n".join(lines)


# -- personal -------------------------------------------------------------------------------------
def executed_text(v: PersonalMeasureView) -> str:
    if v.executed_at is not None and v.executed_at.time() != time(0, 0):
        return f"{v.executed_at:%Y-%m-%d %H:%M}"
    return v.executed_on.isoformat() if v.executed_on else ""


def personal_status(v: PersonalMeasureView, kinds: Mapping[str, str]) -> str:
    if v.active:
        return "在押" if v.in_custody else "执行中"
    if v.end_reason == "变更" and v.changed_to_id in kinds:
        return f"已变更为{kinds[v.changed_to_id]} {v.ended_on or ''}".strip()
    return f"{v.end_reason or '已结束'} {v.ended_on or ''}".strip()


def stage_clock(case_clocks: Sequence[DeadlineView]) -> DeadlineView | None:
    """The case's period custody now runs within (审查起诉, 退回补充侦查, 一审): the open one
    begun last, i.e. the stage the case is at."""
    running = [c for c in case_clocks if c.status == OPEN and c.rule_id in CASE_CUSTODY_RULES]
    return max(running, key=lambda c: c.start, default=None)


def personal_row(
    v: PersonalMeasureView, kinds: Mapping[str, str], stage: DeadlineView | None = None
) -> Row:
    """``kinds``: measure id → kind, to say what a measure was changed to; ``stage``: the
    case's period a person in custody is held within once the measure's own clocks are done
    (:func:`stage_clock`)."""
    executed = executed_text(v)
    if executed.startswith(v.decided_on.isoformat()):  # carried out the day it was decided
        executed = executed[len(v.decided_on.isoformat()) :].strip() or "当日"
    decided = f"{v.decided_on} / {executed}" if executed else v.decided_on.isoformat()
    clocks = open_clocks(v.clocks) if v.active else []
    first = clocks[0] if clocks else None
    if first is None and v.active and v.in_custody:
        first = stage
    if first is not None:
        term = f"{first.name}：{first.due}（{days_text(first.days_left, first.band)}）"
    else:
        term = v.term_end.isoformat() if v.term_end and v.active else ""
    cells = (v.person_name, v.kind, decided, term, personal_status(v, kinds))
    if not v.active:
        return Row(v.id, cells, GRAY)
    fg, bg = _band_colours(first)
    return Row(v.id, cells, fg, bg)


def chain_of(v: PersonalMeasureView, by_id: Mapping[str, PersonalMeasureView]) -> list[str]:
    """Ids of the measures chained by 变更 through ``v``, first to last."""
    first, seen = v, {v.id}
    while first.changed_from_id in by_id and first.changed_from_id not in seen:
        first = by_id[first.changed_from_id]
        seen.add(first.id)
    chain = [first.id]
    while (nxt := by_id[chain[-1]].changed_to_id) in by_id and nxt not in chain:
        chain.append(nxt)
    return chain


def clock_line(c: DeadlineView) -> str:
    if c.status == OPEN:
        state = days_text(c.days_left, c.band)
    else:
        state = f"{c.status_label} {c.closed_on or ''}".strip()
    extended = f"，已延长{c.extensions_used}次" if c.extensions_used else ""
    return f"{c.name}：{c.start} 起，至 {c.due}，{state}{extended}"


def personal_chain(v: PersonalMeasureView, by_id: Mapping[str, PersonalMeasureView]) -> str:
    """The custody chain (changed_from → this → changed_to), each with its clocks and their
    extensions; ▶ marks the measure selected."""
    lines = []
    for n, mid in enumerate(chain_of(v, by_id), 1):
        m = by_id[mid]
        executed = executed_text(m)
        head = f"{'▶' if m.id == v.id else '　'} {n}. {m.kind}　决定 {m.decided_on}"
        head += f"，执行 {executed}" if executed else ""
        head += "　（执行中）" if m.active else f"　{m.end_reason} {m.ended_on or ''}".rstrip()
        lines.append(head)
        details = [
            f"决定机关：{m.organ}" if m.organ else "",
            f"文书：{m.document_no}" if m.document_no else "",
            f"保证人：{m.guarantor}" if m.guarantor else "",
            f"保证金：{amount(m.deposit_fen)} 元" if m.deposit_fen is not None else "",
            ("指定居所监视居住" if m.designated_residence else "")
            + (f"（{m.residence}）" if m.residence else ""),
        ]
        if any(details):
            lines.append("　　　" + "；".join(d for d in details if d))
        for c in m.clocks:
            lines.append(f"　　　· {clock_line(c)}")
            lines += [f"　　　　　{s}" for s in c.steps if s.startswith("延长")]
    return "\n".join(lines)


# -- reviews and clocks ---------------------------------------------------------------------------
def review_row(r: CustodyReviewView, today: date) -> Row:
    replied = f"{r.replied_on} {r.reply}".strip() if r.replied_on else ""
    waiting = r.reply_due is not None and r.replied_on is None
    left = band(r.reply_due, today) if waiting else ""  # type: ignore[arg-type]
    if waiting:
        replied = "待回复（" + days_text((r.reply_due - today).days, left) + "）"  # type: ignore[operator]
    cells = (
        r.person_name,
        r.trigger + (f"（{r.applicant}）" if r.applicant else ""),
        r.started_on.isoformat(),
        r.method,
        r.conclusion or "审查中",
        f"{r.recipient} {r.served_on}".strip() if r.served_on else "",
        r.reply_due.isoformat() if r.reply_due else "",
        replied,
    )
    return Row(r.id, cells, foreground(left), background(left))


def clock_row(c: DeadlineView) -> Row:
    name = c.name + (f"（第{c.round}次）" if c.round > 1 else "")
    name += f"，已延长{c.extensions_used}次" if c.extensions_used else ""
    if c.status == OPEN:
        left = days_text(c.days_left, c.band)
        state = band_label(c.band) + ("" if c.verified else "，未核实")
        fg, bg = _band_colours(c)
    else:
        left, state = "", f"{c.status_label} {c.closed_on or ''}".strip()
        fg, bg = GRAY, None
    tip = "\n".join([*c.steps, *(f"⚠ {w}" for w in c.warnings)])
    return Row(c.id, (name, c.start, c.due, left, state, c.source), fg, bg, tooltip=tip)


# -- property dialogs ------------------------------------------------------------------------------
def yuan(fen: int | None) -> str:
    return f"{format_amount(fen)} 元" if fen is not None else "未记载"


def measure_title(v: PropertyMeasureView) -> str:
    return f"{v.kind}{v.object_kind}：{v.description}" + (
        f"（{v.owner_name}）" if v.owner_name else ""
    )


def term_text(rule: RuleView | None, rule_id: str) -> str:
    """冻结银行存款期限（民事）：1年（民事诉讼法解释第485条）, and what happens at its end."""
    if rule is None:
        return ""
    text = f"{rule.name}：{rule.period_text}（{plain_source(rule.source)}）"
    if rule_id == REVIEW_RULE:
        return text + "；法律未规定期限，到期提醒复查"
    if lapses(rule_id):
        text += "；期满未续行的自动失效"
    if rule_id in LONGER_TERMS:
        spec, condition = LONGER_TERMS[rule_id]
        text += f"；{condition}的，可为{Period.parse(spec)}"
    return text


def plain_source(source: str) -> str:
    """《民事诉讼法解释》第485条 → 民诉法解释第485条 style: the title marks dropped."""
    return source.replace("《", "").replace("》", "")
