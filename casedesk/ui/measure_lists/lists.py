"""The four lists of the 强制措施 page: what each shows, how it is read, how its rows stand out
and what its summary line says."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from casedesk.domain.amounts import format_amount
from casedesk.export.xlsx import AMOUNT, DATE, INT, NUMBER
from casedesk.services.app import Services
from casedesk.services.measure_dto import (
    CustodyRow,
    MeasureSettings,
    SeizedByCase,
    SeizedByEnterprise,
    SeizureCheck,
)
from casedesk.ui.measure_lists.table import ALERT, Field, Look

CUSTODY, BY_CASE, BY_ENTERPRISE, OVERSEIZED = "custody", "by_case", "by_enterprise", "overseized"


@dataclass(frozen=True)
class ListSpec:
    key: str
    label: str  # the selector's label
    unit: str  # 人 / 件 / 家
    fields: tuple[Field, ...]
    id_of: Callable[[Any], str]
    look: Callable[[Any], Look | None]
    read: Callable[[Services, date], list]
    summary: Callable[[Sequence[Any], MeasureSettings], str]
    opens: str  # what a double-click opens: "case" or "enterprise"
    hint: str


def _custody_read(services: Services, as_of: date) -> list[CustodyRow]:
    return services.custody_reviews.in_custody(as_of)


def _custody_summary(rows: Sequence[CustodyRow], settings: MeasureSettings) -> str:
    overdue = sum(r.review_overdue for r in rows)
    return (
        f"在押 {len(rows)} 人，其中 <b>{overdue}</b> 人超过 {settings.review_interval_days} 日"
        "未进行羁押必要性审查（刑诉法 第95条：逮捕后仍应当对羁押的必要性进行审查）"
    )


CUSTODY_FIELDS: tuple[Field[CustodyRow], ...] = (
    Field("案号", lambda r: r.case_number, width=170),
    Field("人员", lambda r: r.person_name, width=130),
    Field("措施", lambda r: r.kind, width=50),
    Field("羁押起算", lambda r: r.custody_from, DATE, 90,
          tip="本次羁押（拘留或逮捕）开始执行之日"),
    Field("羁押天数", lambda r: r.days_in_custody, INT, 70),
    Field("最近审查", lambda r: r.last_review_on, DATE, 90, blank="未审查",
          tip="最近一次羁押必要性审查的开始日期"),
    Field("距上次审查天数", lambda r: r.days_since_review, INT, 110,
          alert=lambda r: r.review_overdue,
          tip="自最近一次羁押必要性审查（未审查的，自羁押起算）至今的天数；"
              "超过管理员设定的天数以红色显示"),
    Field("当前期限", lambda r: r.clock_name, width=170, tip="该措施进行中、最先届满的期限"),
    Field("最后一日", lambda r: r.clock_due, DATE, 90,
          alert=lambda r: r.clock_due is not None and r.clock_due < date.today(),
          tip="羁押期限届满日不因节假日顺延（刑诉法 第105条第4款）"),
)  # fmt: skip


def _by_case_summary(rows: Sequence[SeizedByCase], _settings: MeasureSettings) -> str:
    total = sum(r.remaining_fen for r in rows)
    lapsed, unrelated = sum(r.lapsed for r in rows), sum(r.unrelated_open for r in rows)
    return (
        f"{len(rows)} 件案件有被查封、扣押、冻结的财产，在控价值合计 {format_amount(total)} 元；"
        f"期限届满未续行（已失效）未解除 <b>{lapsed}</b> 项，"
        f"经查明与案件无关待解除 <b>{unrelated}</b> 项"
    )


BY_CASE_FIELDS: tuple[Field[SeizedByCase], ...] = (
    Field("案号", lambda r: r.case_number, width=170),
    Field("承办人", lambda r: r.handler, width=110),
    Field("财产所有人", lambda r: r.owners, width=220),
    Field("在控措施", lambda r: r.measures, INT, 70, tip="正在执行的查封、扣押、冻结措施数"),
    Field("在控价值（元）", lambda r: r.remaining_fen, AMOUNT, 130),
    Field("已失效", lambda r: r.lapsed, INT, 60, alert=lambda r: r.lapsed > 0,
          tip="期限届满未续行、自动失效而尚未办理解除的措施数"),
    Field("活封活扣", lambda r: r.live_use, INT, 70, tip="允许继续使用的（活封活扣）措施数"),
    Field("无关待解除", lambda r: r.unrelated_open, INT, 84,
          alert=lambda r: r.unrelated_open > 0,
          tip="经查明与案件无关、尚未解除的措施数：应在三日内解除"),
    Field("最近届满", lambda r: r.next_term_end, DATE, 90, tip="在控措施中最早届满的期限"),
)  # fmt: skip


def _by_enterprise_summary(rows: Sequence[SeizedByEnterprise], _s: MeasureSettings) -> str:
    total = sum(r.remaining_fen for r in rows)
    return (
        f"{len(rows)} 家企业有财产被查封、扣押、冻结，在控价值合计 {format_amount(total)} 元；"
        f"其中活封活扣 {sum(r.live_use for r in rows)} 项，已失效未解除 "
        f"<b>{sum(r.lapsed for r in rows)}</b> 项"
    )


BY_ENTERPRISE_FIELDS: tuple[Field[SeizedByEnterprise], ...] = (
    Field("企业名称", lambda r: r.name, width=240),
    Field("统一社会信用代码", lambda r: r.credit_code, width=170),
    Field("涉及案件", lambda r: r.cases, INT, 70),
    Field("在控措施", lambda r: r.measures, INT, 70),
    Field("在控价值（元）", lambda r: r.remaining_fen, AMOUNT, 130),
    Field("已失效", lambda r: r.lapsed, INT, 60, alert=lambda r: r.lapsed > 0,
          tip="期限届满未续行、自动失效而尚未办理解除的措施数"),
    Field("活封活扣", lambda r: r.live_use, INT, 70),
    Field("最近届满", lambda r: r.next_term_end, DATE, 90),
)  # fmt: skip


def seized_ratio(c: SeizureCheck) -> Decimal | None:
    """在控价值 ÷ (标的额 + 费用), two decimals; None without a claim to compare with."""
    base = (c.claim_fen or 0) + c.costs_fen
    if c.claim_fen is None or base <= 0:
        return None
    return (Decimal(c.seized_fen) / Decimal(base)).quantize(Decimal("0.01"))


def _overseized_summary(rows: Sequence[SeizureCheck], settings: MeasureSettings) -> str:
    excess = sum(r.excess_fen for r in rows)
    return (
        f"<b>{len(rows)}</b> 件案件超标的：在控价值超过（标的额＋费用）×"
        f" {settings.overseizure_ratio:f}，超出金额合计 {format_amount(excess)} 元"
        "（依查扣冻规定 第19条，查封、扣押、冻结的财产价值不得明显超出债权额及执行费用）"
    )


OVERSEIZED_FIELDS: tuple[Field[SeizureCheck], ...] = (
    Field("案号", lambda r: r.case_number, width=170),
    Field("在控价值（元）", lambda r: r.seized_fen, AMOUNT, 130),
    Field("标的额（元）", lambda r: r.claim_fen, AMOUNT, 120, blank="未登记"),
    Field("费用（元）", lambda r: r.costs_fen, AMOUNT, 100),
    Field("比例", seized_ratio, NUMBER, 60,
          tip="在控价值 ÷（标的额＋费用）；超过管理员设定的超标的比例即列入"),
    Field("超出金额（元）", lambda r: r.excess_fen, AMOUNT, 130, alert=lambda r: r.over,
          tip="在控价值超出（标的额＋费用）的部分，可以解除"),
    Field("已失效措施", lambda r: r.lapsed_count, INT, 80, alert=lambda r: r.lapsed_count > 0),
    Field("说明", lambda r: r.message, width=420, export_width=60),
)  # fmt: skip

LISTS: tuple[ListSpec, ...] = (
    ListSpec(CUSTODY, "在押人员", "人", CUSTODY_FIELDS, lambda r: r.measure_id,
             lambda r: ALERT if r.review_overdue else None, _custody_read, _custody_summary,
             "case", "双击打开案件的强制措施页"),
    ListSpec(BY_CASE, "查扣冻财产·按案件", "件", BY_CASE_FIELDS, lambda r: r.case_id,
             lambda r: ALERT if r.unrelated_open else None,
             lambda sv, day: sv.property_measures.seized_by_case(day), _by_case_summary,
             "case", "双击打开案件的强制措施页"),
    ListSpec(BY_ENTERPRISE, "查扣冻财产·按企业", "家", BY_ENTERPRISE_FIELDS,
             lambda r: r.enterprise_id, lambda r: None,
             lambda sv, day: sv.property_measures.seized_by_enterprise(day),
             _by_enterprise_summary, "enterprise", "双击打开企业页，查看该企业被查扣冻的全部财产"),
    ListSpec(OVERSEIZED, "超标的", "件", OVERSEIZED_FIELDS, lambda r: r.case_id,
             lambda r: None, lambda sv, day: sv.property_measures.overseized(day),
             _overseized_summary, "case", "双击打开案件的强制措施页"),
)  # fmt: skip
