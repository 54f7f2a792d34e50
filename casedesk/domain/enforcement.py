"""Enforcement (执行): its words, the 到位率 arithmetic and the checks each step must pass
before anything is saved. The credit list (失信被执行人, 限制消费) is in
:mod:`casedesk.domain.credit_list`.

Sources: law.md §3.4 (法发〔2006〕35号 第1条; 终本规定 法〔2016〕373号), §6.1 (失信规定
法释〔2017〕7号 第1、2、10条; 宽限期: 法发〔2019〕35号), §6.2 (限制消费规定 第9条), §6.3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from casedesk.domain.amounts import format_amount
from casedesk.domain.drafts import LIMITS, _text_errors, clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.field_types import check_types, day_problem

APPLICANT_ROLE, DEBTOR_ROLE = "申请执行人", "被执行人"
FAMILY = "执行"

#: 执行依据 (title of enforcement).
TITLE_KINDS: tuple[str, ...] = ("判决书", "裁定书", "调解书", "仲裁裁决", "公证债权文书", "其他")
#: How money came in.
PAYMENT_WAYS: tuple[str, ...] = (
    "主动履行", "强制扣划", "拍卖变卖", "以物抵债", "和解履行", "其他",
)  # fmt: skip
#: Actions taken to find and reach assets (law.md §3.4, §6.3).
ACTION_KINDS: tuple[str, ...] = (
    "财产调查", "网络查控", "现场调查", "悬赏公告", "律师调查令", "审计调查", "公证取证",
    "限制出境", "司法拘留", "罚款", "其他",
)  # fmt: skip
#: The action whose record answers the reminder to search again after 终本.
FOLLOWUP_ACTION = "网络查控"
#: How an enforcement case is closed (the case stage it reaches: vocabulary.STAGES["执行"]).
CLOSING_KINDS: dict[str, str] = {
    "执行完毕": "执行完毕",
    "和解履行完毕": "执行完毕",
    "终结执行": "终结执行",
    "不予执行": "已结案",
    "驳回申请": "已结案",
    "销案": "已结案",
}
TERMINATED_STAGE, RESUMED_STAGE = "终结本次执行", "恢复执行"

# -- rules and triggers ------------------------------------------------------------------------
TERM_RULE = "enforcement.term"
FOLLOWUP_RULE = "enforcement.followup_search"
GRACE_RULE = "dishonest.grace"
LISTING_TERM_RULE = "dishonest.term"
DELETE_RULE = "dishonest.delete_after_performance"
PERFORMED = "performed"
TERMINATED = "enforcement_terminated"
GRACE_GRANTED = "grace_granted"
LISTED = "listed_dishonest"
DELETION_GROUND = "dishonest_deletion_ground"
#: After 终本, the network search is repeated for five years (法〔2016〕373号, law.md §3.4, M).
FOLLOWUP_YEARS = 5


# -- 到位率 --------------------------------------------------------------------------------
def recovery_rate(recovered_fen: int, claimed_fen: int | None) -> Decimal | None:
    """到位率: the share of the claim recovered, exact (a Decimal fraction); None when no claim
    is recorded or it is zero."""
    if not claimed_fen:
        return None
    return Decimal(recovered_fen) / Decimal(claimed_fen)


def format_rate(rate: Decimal | None, complete: bool | None = None) -> str:
    """The rate as a percentage with one decimal ("66.7%"), "" for no rate. Half-up rounding,
    except that a claim not fully recovered never reads 100.0%."""
    if rate is None:
        return ""
    shown = (rate * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if complete is None:
        complete = rate >= 1
    if shown >= 100 and not complete:
        shown = Decimal("99.9")
    return f"{shown}%"


def remaining_fen(recovered_fen: int, claimed_fen: int | None) -> int | None:
    """What is still to be recovered (None: no claim recorded)."""
    return None if claimed_fen is None else max(claimed_fen - recovered_fen, 0)


# -- drafts ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EnforcementDraft:
    title_kind: str
    title_document_no: str = ""
    title_organ: str = ""  # 作出执行依据的机关
    title_effective_on: date | None = None
    claimed_fen: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class PaymentDraft:
    paid_on: date | None
    amount_fen: int | None
    payer: str = ""
    way: str = "主动履行"
    note: str = ""


@dataclass(frozen=True)
class ActionDraft:
    kind: str
    taken_on: date | None
    result: str = ""
    document_no: str = ""


@dataclass(frozen=True)
class ClosingDraft:
    closed_on: date | None
    kind: str = "执行完毕"
    document_no: str = ""
    note: str = ""


# -- checks ----------------------------------------------------------------------------------------
def need_day(errors: dict[str, str], name: str, label: str, day: date | None, today: date) -> None:
    """``name``'s error when its day is missing or after ``today`` (a first error stays)."""
    if day is None:
        errors.setdefault(name, f"请填写{label}")
    elif why := day_problem(day):
        errors.setdefault(name, f"{label}{why}")
    elif day > today:
        errors.setdefault(name, f"{label}不能晚于今天")


def check_texts(errors: dict[str, str], draft: object, fields: dict[str, str]) -> None:
    """Errors of the draft's text fields (too long, control characters), by field."""
    for name, label in fields.items():
        limit = LIMITS["notes"] if name in ("notes", "note", "result") else LIMITS["short"]
        _text_errors(errors, name, label, clean_text(getattr(draft, name)), limit)


def raise_if(errors: dict[str, str]) -> None:
    """Refuse with ``errors`` if there are any."""
    if errors:
        raise FieldErrors(errors)


def check_enforcement(draft: EnforcementDraft, accepted_on: date, today: date) -> None:
    check_types(draft)
    errors: dict[str, str] = {}
    if draft.title_kind not in TITLE_KINDS:
        errors["title_kind"] = "请选择执行依据（判决书、调解书、仲裁裁决、公证债权文书等）"
    if draft.title_effective_on is not None:
        if draft.title_effective_on > accepted_on:
            errors["title_effective_on"] = f"执行依据的生效日期不能晚于立案日期 {accepted_on}"
        elif draft.title_effective_on > today:
            errors["title_effective_on"] = "生效日期不能晚于今天"
    if draft.claimed_fen is not None and draft.claimed_fen < 0:
        errors["claimed_fen"] = "申请执行标的不能为负数"
    check_texts(errors, draft, {"title_document_no": "执行依据文号", "title_organ": "作出机关",
                           "notes": "备注"})  # fmt: skip
    raise_if(errors)


def check_payment(
    draft: PaymentDraft, accepted_on: date, remaining: int | None, today: date
) -> None:
    """A payment recovered: dated not before the case's acceptance, positive, and never more
    than what remains of the claim."""
    check_types(draft)
    errors: dict[str, str] = {}
    need_day(errors, "paid_on", "到位日期", draft.paid_on, today)
    if draft.paid_on is not None and draft.paid_on < accepted_on:
        errors["paid_on"] = f"到位日期不能早于立案日期 {accepted_on}"
    if draft.amount_fen is None or draft.amount_fen <= 0:
        errors["amount_fen"] = "请填写到位金额（大于0）"
    elif remaining is not None and draft.amount_fen > remaining:
        errors["amount_fen"] = (
            f"到位金额 {format_amount(draft.amount_fen)} 元超出尚未执行到位的金额 "
            f"{format_amount(remaining)} 元"
        )
    if draft.way not in PAYMENT_WAYS:
        errors["way"] = "请选择到位方式"
    check_texts(errors, draft, {"payer": "付款人", "note": "备注"})
    raise_if(errors)


def check_action(draft: ActionDraft, accepted_on: date, today: date) -> None:
    check_types(draft)
    errors: dict[str, str] = {}
    if draft.kind not in ACTION_KINDS:
        errors["kind"] = "请选择执行措施（财产调查、网络查控、悬赏公告等）"
    need_day(errors, "taken_on", "采取措施的日期", draft.taken_on, today)
    if draft.taken_on is not None and draft.taken_on < accepted_on:
        errors["taken_on"] = f"日期不能早于立案日期 {accepted_on}"
    check_texts(errors, draft, {"result": "结果", "document_no": "文书编号"})
    raise_if(errors)


def check_step_day(name: str, label: str, day: date | None, since: date, today: date) -> date:
    """A dated step (终本, 恢复执行, 结案 …) not before ``since`` nor after today."""
    errors: dict[str, str] = {}
    need_day(errors, name, label, day, today)
    if day is not None and name not in errors and day < since:
        errors[name] = f"{label}不能早于 {since}"
    raise_if(errors)
    assert day is not None
    return day


def check_closing(draft: ClosingDraft, since: date, today: date) -> None:
    check_types(draft)
    errors: dict[str, str] = {}
    if draft.kind not in CLOSING_KINDS:
        errors["kind"] = "请选择结案方式（执行完毕、和解履行完毕、终结执行等）"
    need_day(errors, "closed_on", "结案日期", draft.closed_on, today)
    if draft.closed_on is not None and draft.closed_on < since and "closed_on" not in errors:
        errors["closed_on"] = f"结案日期不能早于 {since}"
    check_texts(errors, draft, {"document_no": "文书编号", "note": "备注"})
    raise_if(errors)
