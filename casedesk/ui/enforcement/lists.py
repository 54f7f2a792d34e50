"""The 执行 page's lists: enforcement cases by 到位率 and age (those past the six-month term
stand out), debtors on the credit list, deletions pending (with their last day) and deletions
overdue (in red). A double-click opens the case at its 执行 tab."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from casedesk.domain.amounts import format_amount
from casedesk.domain.credit_list import (
    DELETE_CITE,
    LISTING_GROUNDS,
)
from casedesk.domain.enforcement import (
    format_rate,
    recovery_rate,
)
from casedesk.domain.periods import add_months
from casedesk.export.xlsx import AMOUNT, DATE, INT, NUMBER
from casedesk.services.enforcement_dto import (
    RUNNING,
    TERMINATED,
    EnforcementRow,
    ListedDebtor,
    PendingDeletion,
)
from casedesk.services.measure_dto import MeasureSettings
from casedesk.ui.measure_lists.lists import ListSpec
from casedesk.ui.measure_lists.table import ALERT_BACKGROUND, ALERT_FOREGROUND, Field, Look

BY_RECOVERY, LISTED, PENDING, OVERDUE = "by_recovery", "listed", "pending", "overdue"
OPENS = "enforcement"
TERM_MONTHS = 6  # enforcement.term: 法发〔2006〕35号 第1条
RED = Look(background=ALERT_BACKGROUND, foreground=ALERT_FOREGROUND)
LONG = Look(bold=True)
HINT = "双击打开案件的执行页"


def _long_running(r: EnforcementRow) -> bool:
    """Still running past the six-month term of enforcement."""
    return r.state == RUNNING and add_months(r.accepted_on, TERM_MONTHS) < date.today()


def _rate(r: EnforcementRow) -> Decimal | None:
    return Decimal(r.rate_text.rstrip("%")) if r.rate_text else None


def _recovery_summary(rows: Sequence[EnforcementRow], _settings: MeasureSettings) -> str:
    claimed = sum(r.claimed_fen or 0 for r in rows if r.claimed_fen)
    recovered = sum(r.recovered_fen for r in rows if r.claimed_fen)
    overall = format_rate(recovery_rate(recovered, claimed)) or "—"
    long_running = sum(_long_running(r) for r in rows)
    terminated = sum(r.state == TERMINATED for r in rows)
    return (
        f"未结执行案件 {len(rows)} 件（其中终结本次执行 {terminated} 件），申请执行标的合计 "
        f"{format_amount(claimed)} 元，已到位 {format_amount(recovered)} 元，总到位率 {overall}；"
        f"超过六个月仍在执行的 <b>{long_running}</b> 件"
    )


BY_RECOVERY_FIELDS: tuple[Field[EnforcementRow], ...] = (
    Field("案号", lambda r: r.case_number, width=170),
    Field("当事人", lambda r: r.parties, width=340, export_width=60),
    Field("状态", lambda r: r.state, width=100),
    Field("立案日期", lambda r: r.accepted_on, DATE, 90),
    Field("已立案天数", lambda r: r.age_days, INT, 80, alert=_long_running,
          tip="自立案至今的天数；执行中超过六个月执行期限的以红色显示（法发〔2006〕35号 第1条）"),
    Field("申请执行标的（元）", lambda r: r.claimed_fen, AMOUNT, 140, blank="未登记"),
    Field("已到位（元）", lambda r: r.recovered_fen, AMOUNT, 130),
    Field("到位率（%）", _rate, NUMBER, 80, tip="执行到位金额 ÷ 申请执行标的"),
    Field("承办人", lambda r: r.handler, width=90),
)  # fmt: skip


def _ground(n: int) -> str:
    return f"第{n}项：{LISTING_GROUNDS.get(n, '')}"


def _listed_summary(rows: Sequence[ListedDebtor], _settings: MeasureSettings) -> str:
    pending = sum(r.ground_arose_on is not None for r in rows)
    no_term = sum(r.term_end is None for r in rows)
    return (
        f"失信被执行人 {len(rows)} 个（不设期限 {no_term} 个），其中 <b>{pending}</b> 个已出现"
        f"删除情形、应在三个工作日内删除（{DELETE_CITE}）"
    )


LISTED_FIELDS: tuple[Field[ListedDebtor], ...] = (
    Field("被执行人", lambda r: r.debtor_name, width=220),
    Field("案号", lambda r: r.case_number, width=170),
    Field("纳入日期", lambda r: r.listed_on, DATE, 90),
    Field("纳入情形", lambda r: f"第{r.ground}项", width=70,
          tooltip=lambda r: _ground(r.ground), tip="失信规定 第1条列举的情形"),
    Field("决定书文号", lambda r: r.document_no, width=220),
    Field("纳入期限至", lambda r: r.term_end, DATE, 100, blank="不设期限"),
    Field("出现删除情形", lambda r: r.ground_arose_on, DATE, 100,
          tip="被执行人履行完毕等删除情形出现之日；应在三个工作日内删除"),
    Field("承办人", lambda r: r.handler, width=90),
)  # fmt: skip


def _overdue(r: PendingDeletion) -> bool:
    return r.days_left < 0


def _pending_summary(rows: Sequence[PendingDeletion], _settings: MeasureSettings) -> str:
    overdue = sum(_overdue(r) for r in rows)
    return (
        f"待删除失信信息 {len(rows)} 条，其中 <b>{overdue}</b> 条已逾期"
        f"（出现删除情形之日起三个工作日内删除，{DELETE_CITE}）"
    )


def _overdue_summary(rows: Sequence[PendingDeletion], _settings: MeasureSettings) -> str:
    return (
        f"逾期未删除的失信信息 <b>{len(rows)}</b> 条：已超过三个工作日仍未登记删除（{DELETE_CITE}）"
    )


DELETION_FIELDS: tuple[Field[PendingDeletion], ...] = (
    Field("被执行人", lambda r: r.debtor_name, width=220),
    Field("案号", lambda r: r.case_number, width=170),
    Field("删除情形", lambda r: r.ground_reason, width=160),
    Field("出现日期", lambda r: r.ground_arose_on, DATE, 90),
    Field("最后一日", lambda r: r.due_on, DATE, 90, alert=_overdue,
          tip="出现删除情形之日起第三个工作日"),
    Field("剩余天数", lambda r: r.days_left, INT, 70, alert=_overdue,
          tip="距最后一日的天数；负数为已逾期的天数"),
    Field("承办人", lambda r: r.handler, width=90),
)  # fmt: skip

ENFORCEMENT_LISTS: tuple[ListSpec, ...] = (
    ListSpec(BY_RECOVERY, "执行案件（按到位率）", "件", BY_RECOVERY_FIELDS, lambda r: r.case_id,
             lambda r: LONG if _long_running(r) else None,
             lambda sv, day: sv.enforcement.by_recovery(day),
             _recovery_summary, OPENS, HINT),
    ListSpec(LISTED, "失信名单", "个", LISTED_FIELDS, lambda r: r.listing_id, lambda r: None,
             lambda sv, _day: sv.enforcement.listed_debtors(), _listed_summary, OPENS, HINT),
    ListSpec(PENDING, "待删除", "条", DELETION_FIELDS, lambda r: r.listing_id,
             lambda r: RED if _overdue(r) else None,
             lambda sv, day: sv.enforcement.pending_deletions(day), _pending_summary, OPENS,
             HINT),
    ListSpec(OVERDUE, "逾期未删除", "条", DELETION_FIELDS, lambda r: r.listing_id,
             lambda r: RED, lambda sv, day: sv.enforcement.overdue_deletions(day),
             _overdue_summary, OPENS, HINT),
)  # fmt: skip
