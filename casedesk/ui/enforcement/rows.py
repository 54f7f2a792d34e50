"""How an enforcement record reads on the 执行 tab: the figures and dated facts, and the rows of
its tables (payments, actions, debtors on the way to and off the credit list, 限制消费 orders,
clocks), coloured like the deadline board."""

from __future__ import annotations

from dataclasses import replace
from html import escape

from casedesk.domain.deadlines import OPEN
from casedesk.domain.enforcement import DELETE_RULE
from casedesk.services.dto import DeadlineView
from casedesk.services.enforcement_dto import (
    CLOSED,
    DELETED,
    PENDING_DELETION,
    TERMINATED,
    ActionView,
    DebtorView,
    EnforcementView,
    ListingView,
    PaymentView,
    SpendingBanView,
)
from casedesk.ui.deadlines.style import days_text
from casedesk.ui.measures.models import Row
from casedesk.ui.measures.rows import GRAY, RED, amount, clock_row

PAYMENT_HEADERS = ("到位日期", "金额（元）", "到位方式", "付款人", "备注")
PAYMENT_AMOUNTS = (1,)
ACTION_HEADERS = ("日期", "执行措施", "结果", "文书编号")
LISTING_HEADERS = ("被执行人", "状态", "失信预警", "宽限期至", "纳入日期", "纳入情形",
                   "纳入期限", "删除情形", "删除最后一日", "剩余", "删除日期")  # fmt: skip
BAN_HEADERS = ("被执行人", "决定日期", "文书编号", "受限制的人员", "解除")
NOT_LISTED = "未预警、未纳入"
#: A debtor without any listing record has a row whose id says so (no listing to act on).
DEBTOR_PREFIX = "debtor:"
STATE_COLOURS = {TERMINATED: "#e65100", CLOSED: "#5f6368"}


def yuan(fen: int | None) -> str:
    return f"{amount(fen)} 元" if fen is not None else "未登记"


def state_text(v: EnforcementView) -> str:
    """执行中 / 终结本次执行（date）/ 已结案（执行完毕，date）, as rich text."""
    colour = STATE_COLOURS.get(v.state, "#0b57d0")
    if v.state == CLOSED:
        text = f"{v.state}（{v.close_kind}，{v.closed_on}）"
    elif v.state == TERMINATED:
        text = f"{v.state}（{v.terminated_on}）"
    elif v.performed_on:
        text = f"{v.state}（{v.performed_on} 履行完毕，待结案）"
    else:
        text = v.state + (f"（{v.resumed_on} 恢复执行）" if v.resumed_on else "")
    return f"<b style='color:{colour}'>{escape(text)}</b>"


def figures_text(v: EnforcementView) -> str:
    """申请执行标的 · 已到位 · 未到位 · 到位率, one line of rich text."""
    rate = v.rate_text or "—（未登记标的）"
    parts = [
        f"申请执行标的 <b>{yuan(v.claimed_fen)}</b>",
        f"已到位 <b>{yuan(v.recovered_fen)}</b>",
        f"未到位 <b>{yuan(v.remaining_fen)}</b>",
        f"到位率 <b style='font-size:13pt'>{escape(rate)}</b>",
    ]
    return "　·　".join(parts)


def _names(people: tuple[DebtorView, ...]) -> str:
    return "、".join(p.name for p in people) or "（未登记）"


def facts_text(v: EnforcementView) -> str:
    """The title of enforcement, the parties and the dated steps, one line each."""
    title = " ".join(x for x in (v.title_kind, v.title_document_no) if x)
    if v.title_organ:
        title += f"，{v.title_organ}"
    if v.title_effective_on:
        title += f"，{v.title_effective_on} 生效"
    lines = [
        f"执行依据：{title}",
        f"立案：{v.accepted_on}",
        f"申请执行人：{_names(v.applicants)}",
        f"被执行人：{_names(v.debtors)}",
    ]
    if v.performed_on:
        lines.append(f"履行完毕：{v.performed_on}")
    if v.terminated_on:
        lines.append(f"终结本次执行：{v.terminated_on}")
    if v.resumed_on:
        lines.append(f"恢复执行：{v.resumed_on}")
    if v.closed_on:
        doc = f"，{v.close_document}" if v.close_document else ""
        lines.append(f"结案：{v.closed_on}，{v.close_kind}{doc}")
    if v.notes:
        lines.append(f"备注：{v.notes}")
    return "<br>".join(escape(line) for line in lines)


# -- rows -----------------------------------------------------------------------------------------
def payment_row(p: PaymentView) -> Row:
    return Row(p.id, (str(p.paid_on), amount(p.amount_fen), p.way, p.payer, p.note))


def action_row(a: ActionView) -> Row:
    return Row(a.id, (str(a.taken_on), a.kind, a.result, a.document_no))


def deletion_clock(listing: ListingView) -> DeadlineView | None:
    """The listing's open 3-working-day deletion clock (失信规定 第10条)."""
    return next((c for c in listing.clocks if c.rule_id == DELETE_RULE and c.status == OPEN), None)


def _date(value: object) -> str:
    return str(value) if value else ""


def listing_row(v: ListingView) -> Row:
    grace = f"{v.grace_end}（{v.grace_months}个月）" if v.grace_end else ""
    ground = f"第{v.ground}项" if v.ground else ""
    term = v.term_label + (f"，至 {v.term_end}" if v.term_end else "")
    arose = f"{v.ground_arose_on} {v.ground_reason}" if v.ground_arose_on else ""
    clock = deletion_clock(v)
    left = days_text(clock.days_left, clock.band) if clock is not None else ""
    deleted = f"{v.deleted_on}（{v.delete_reason}）" if v.deleted_on else ""
    cells = (v.debtor_name, v.state, _date(v.warned_on), grace, _date(v.listed_on), ground, term,
             arose, _date(v.delete_due_on), left, deleted)  # fmt: skip
    tip = "\n".join(x for x in (v.ground_label, v.document_no and f"决定书：{v.document_no}",
                                v.notes) if x)  # fmt: skip
    if v.state == DELETED:
        return Row(v.id, cells, GRAY, tooltip=tip)
    if v.state == PENDING_DELETION and clock is not None:
        row = clock_row(clock)
        return Row(v.id, cells, row.foreground, row.background, tooltip=tip)
    return Row(v.id, cells, tooltip=tip)


def debtor_rows(v: EnforcementView) -> list[Row]:
    """Every listing record, then the debtors that have none."""
    rows = [listing_row(x) for x in v.listings]
    seen = {(x.debtor_kind, x.debtor_id) for x in v.listings}
    for d in v.debtors:
        if (d.kind, d.subject_id) not in seen:
            cells = (d.name, NOT_LISTED, *("",) * (len(LISTING_HEADERS) - 2))
            rows.append(Row(DEBTOR_PREFIX + d.party_id, cells, GRAY))
    return rows


def ban_row(b: SpendingBanView) -> Row:
    if b.lifted_on:
        return Row(b.id, (b.debtor_name, str(b.ordered_on), b.document_no, b.restricted_persons,
                          f"{b.lifted_on} 解除（{b.lift_reason}）"), GRAY)  # fmt: skip
    lift = "应予解除（已履行完毕，限制消费规定第9条）" if b.to_lift else "未解除"
    cells = (b.debtor_name, str(b.ordered_on), b.document_no, b.restricted_persons, lift)
    return Row(b.id, cells, cell_foreground={4: RED} if b.to_lift else {})


def all_clocks(v: EnforcementView) -> list[DeadlineView]:
    """The record's clocks (执行期限, 终本 follow-up searches) and every listing's (宽限期, 纳入
    期限, 删除), each named with its debtor; open ones first, the nearest first."""
    clocks = list(v.clocks)
    for listing in v.listings:
        clocks += [replace(c, name=f"{c.name}：{listing.debtor_name}") for c in listing.clocks]
    clocks.sort(key=lambda c: (c.status != OPEN, c.due_on))
    return clocks


def clock_rows(v: EnforcementView) -> list[Row]:
    return [clock_row(c) for c in all_clocks(v)]
