"""Enforcement (执行) and the debtor credit list (失信被执行人): their words, the 到位率
arithmetic, the grace period and the term of a listing, and the checks each step must pass before
anything is saved.

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
from casedesk.domain.periods import add_months

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
#: Triggers recorded through the enforcement page, never as a bare event on the timeline (their
#: clocks belong to one listing or to the enforcement record).
ENFORCEMENT_TRIGGERS = frozenset({PERFORMED, TERMINATED, GRACE_GRANTED, LISTED, DELETION_GROUND})
#: After 终本, the network search is repeated for five years (法〔2016〕373号, law.md §3.4, M).
FOLLOWUP_YEARS = 5

# -- the credit list ------------------------------------------------------------------------------
#: 失信规定 第1条 (2017): the six grounds of listing, numbered as in the article.
LISTING_GROUNDS: dict[int, str] = {
    1: "有履行能力而拒不履行生效法律文书确定义务",
    2: "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    3: "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
    4: "违反财产报告制度",
    5: "违反限制消费令",
    6: "无正当理由拒不履行执行和解协议",
}
#: 失信规定 第2条: grounds (2)–(6) list for two years, extendable by one to three years in
#: serious cases; ground (1) has no term (until performance).
NO_TERM_GROUNDS = frozenset({1})
BASE_TERM_YEARS = 2
MAX_EXTRA_YEARS = 3
GRACE_MONTHS = (1, 2, 3)  # 法发〔2019〕35号: 一至三个月的宽限期

#: 失信规定 第10条 (and 第2条 提前删除, 第11条 纠正): why a listing is deleted.
DELETE_REASONS: dict[str, str] = {
    "履行完毕": "被执行人已履行生效法律文书确定的全部义务或已被执行完毕",
    "和解履行完毕": "当事人达成执行和解协议且已履行完毕",
    "申请执行人申请": "申请执行人书面申请删除，人民法院审查同意",
    "终本后查无财产": "终结本次执行程序后，经两次以上网络查控未发现可供执行的财产",
    "中止执行": "因审判监督或破产程序，人民法院依法裁定对失信被执行人中止执行",
    "不予执行": "人民法院依法裁定不予执行",
    "终结执行": "人民法院依法裁定终结执行",
    "期限届满": "纳入期限届满",
    "信用修复": "积极履行或主动纠正失信行为，提前删除（信用修复）",
    "纠正错误": "不应纳入失信名单，依法纠正",
}
#: Reasons that rest on the debtor's performance: the deletion cannot precede it.
PERFORMANCE_REASONS = frozenset({"履行完毕", "和解履行完毕"})
#: Reasons that need no 3-working-day clock first (decided and deleted at once).
IMMEDIATE_REASONS = frozenset({"信用修复", "纠正错误"})
LIFT_REASONS: tuple[str, ...] = ("履行完毕", "提供担保", "申请执行人同意", "纠正错误", "其他")

LISTING_CITE = "失信规定第1、2条"
DELETE_CITE = "失信规定第10条"
GRACE_CITE = "法发〔2019〕35号"


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


# -- grace period and term ----------------------------------------------------------------------
def grace_end(start: date, months: int) -> date:
    """The last day of a grace period of ``months`` months from ``start`` (not counted): the
    same day number, or the month's last day when there is none (民法典 第202条). The clock on
    the board moves a last day off a holiday; this is the day the calendar gives."""
    return add_months(start, months)


def listing_term_spec(ground: int, extra_years: int) -> str | None:
    """The period of the dishonest.term clock: none for ground (1), else two years plus the
    extension for serious cases (失信规定 第2条)."""
    if ground in NO_TERM_GROUNDS:
        return None
    return f"{BASE_TERM_YEARS + extra_years}y"


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


@dataclass(frozen=True)
class WarningDraft:
    debtor_party_id: str
    warned_on: date | None
    document_no: str = ""
    grace_months: int | None = None  # 1–3, or None: no grace period
    grace_from: date | None = None  # None: from the warning


@dataclass(frozen=True)
class ListingDraft:
    debtor_party_id: str
    listed_on: date | None  # the decision's date
    ground: int | None  # a key of LISTING_GROUNDS
    document_no: str = ""
    extra_years: int = 0  # serious cases: 1–3 more years (grounds 2–6)
    notes: str = ""


@dataclass(frozen=True)
class DeletionDraft:
    deleted_on: date | None
    reason: str
    document_no: str = ""
    note: str = ""


@dataclass(frozen=True)
class SpendingBanDraft:
    debtor_party_id: str
    ordered_on: date | None
    document_no: str = ""
    restricted_persons: str = ""  # 单位被执行人: 法定代表人、主要负责人、实际控制人 …
    notes: str = ""


# -- checks ----------------------------------------------------------------------------------------
def _day(errors: dict[str, str], name: str, label: str, day: date | None, today: date) -> None:
    if day is None:
        errors.setdefault(name, f"请填写{label}")
    elif day > today:
        errors.setdefault(name, f"{label}不能晚于今天")


def _texts(errors: dict[str, str], draft: object, fields: dict[str, str]) -> None:
    for name, label in fields.items():
        limit = LIMITS["notes"] if name in ("notes", "note", "result") else LIMITS["short"]
        _text_errors(errors, name, label, clean_text(getattr(draft, name)), limit)


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise FieldErrors(errors)


def check_enforcement(draft: EnforcementDraft, accepted_on: date, today: date) -> None:
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
    _texts(errors, draft, {"title_document_no": "执行依据文号", "title_organ": "作出机关",
                           "notes": "备注"})  # fmt: skip
    _raise(errors)


def check_payment(
    draft: PaymentDraft, accepted_on: date, remaining: int | None, today: date
) -> None:
    """A payment recovered: dated not before the case's acceptance, positive, and never more
    than what remains of the claim."""
    errors: dict[str, str] = {}
    _day(errors, "paid_on", "到位日期", draft.paid_on, today)
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
    _texts(errors, draft, {"payer": "付款人", "note": "备注"})
    _raise(errors)


def check_action(draft: ActionDraft, accepted_on: date, today: date) -> None:
    errors: dict[str, str] = {}
    if draft.kind not in ACTION_KINDS:
        errors["kind"] = "请选择执行措施（财产调查、网络查控、悬赏公告等）"
    _day(errors, "taken_on", "采取措施的日期", draft.taken_on, today)
    if draft.taken_on is not None and draft.taken_on < accepted_on:
        errors["taken_on"] = f"日期不能早于立案日期 {accepted_on}"
    _texts(errors, draft, {"result": "结果", "document_no": "文书编号"})
    _raise(errors)


def check_step_day(name: str, label: str, day: date | None, since: date, today: date) -> date:
    """A dated step (终本, 恢复执行, 结案 …) not before ``since`` nor after today."""
    errors: dict[str, str] = {}
    _day(errors, name, label, day, today)
    if day is not None and day < since and name not in errors:
        errors[name] = f"{label}不能早于 {since}"
    _raise(errors)
    assert day is not None
    return day


def check_closing(draft: ClosingDraft, since: date, today: date) -> None:
    errors: dict[str, str] = {}
    if draft.kind not in CLOSING_KINDS:
        errors["kind"] = "请选择结案方式（执行完毕、和解履行完毕、终结执行等）"
    _day(errors, "closed_on", "结案日期", draft.closed_on, today)
    if draft.closed_on is not None and draft.closed_on < since and "closed_on" not in errors:
        errors["closed_on"] = f"结案日期不能早于 {since}"
    _texts(errors, draft, {"document_no": "文书编号", "note": "备注"})
    _raise(errors)


def check_warning(draft: WarningDraft, accepted_on: date, today: date) -> date | None:
    """A 失信预警 with an optional grace period; returns the grace period's last day."""
    errors: dict[str, str] = {}
    if not clean_text(draft.debtor_party_id):
        errors["debtor_party_id"] = "请选择被执行人"
    _day(errors, "warned_on", "预警日期", draft.warned_on, today)
    if draft.warned_on is not None and draft.warned_on < accepted_on:
        errors["warned_on"] = f"预警日期不能早于立案日期 {accepted_on}"
    end = None
    if draft.grace_months is not None:
        if draft.grace_months not in GRACE_MONTHS:
            errors["grace_months"] = f"宽限期为一至三个月（{GRACE_CITE}）"
        start = draft.grace_from or draft.warned_on
        if draft.grace_from is not None and draft.warned_on and draft.grace_from < draft.warned_on:
            errors["grace_from"] = "宽限期不能早于预警日期起算"
        elif draft.grace_from is not None and draft.grace_from > today:
            errors["grace_from"] = "宽限期起算日不能晚于今天"
        if start is not None and not errors:
            end = grace_end(start, draft.grace_months)
    elif draft.grace_from is not None:
        errors["grace_months"] = "请选择宽限期的月数（一至三个月）"
    _texts(errors, draft, {"document_no": "预警文书编号"})
    _raise(errors)
    return end


def check_listing(
    draft: ListingDraft,
    accepted_on: date,
    today: date,
    *,
    grace_until: date | None = None,
    warned_on: date | None = None,
    performed_on: date | None = None,
) -> str | None:
    """A listing decision; returns the term's period spec (None: no term, ground (1)).

    Refused: a date within the grace period (the information is withheld until it ends,
    法发〔2019〕35号), before the warning, or after the debtor performed (nothing left to
    enforce); a ground outside 失信规定 第1条; an extension for ground (1) or beyond three
    years (第2条)."""
    errors: dict[str, str] = {}
    if not clean_text(draft.debtor_party_id):
        errors["debtor_party_id"] = "请选择被执行人"
    _day(errors, "listed_on", "纳入决定日期", draft.listed_on, today)
    day = draft.listed_on
    if day is not None and "listed_on" not in errors:
        if day < accepted_on:
            errors["listed_on"] = f"纳入决定日期不能早于立案日期 {accepted_on}"
        elif warned_on is not None and day < warned_on:
            errors["listed_on"] = f"纳入决定日期不能早于失信预警日期 {warned_on}"
        elif grace_until is not None and day <= grace_until:
            errors["listed_on"] = (
                f"宽限期至 {grace_until} 届满，宽限期内不得纳入失信名单（{GRACE_CITE}）；"
                "期满仍未履行的，方可纳入"
            )
        elif performed_on is not None and day >= performed_on:
            errors["listed_on"] = f"被执行人已于 {performed_on} 履行完毕，不得纳入失信名单"
    if draft.ground not in LISTING_GROUNDS:
        errors["ground"] = f"请选择纳入的情形（{LISTING_CITE}列举的六种之一）"
    if not 0 <= draft.extra_years <= MAX_EXTRA_YEARS:
        errors["extra_years"] = "情节严重的，纳入期限可延长一至三年（失信规定第2条）"
    elif draft.extra_years and draft.ground in NO_TERM_GROUNDS:
        errors["extra_years"] = "有履行能力而拒不履行的，纳入不设期限，无需延长（失信规定第2条）"
    _texts(errors, draft, {"document_no": "决定书文号", "notes": "备注"})
    _raise(errors)
    assert draft.ground is not None
    return listing_term_spec(draft.ground, draft.extra_years)


def check_deletion(
    draft: DeletionDraft,
    listed_on: date,
    today: date,
    *,
    performed_on: date | None = None,
    term_end: date | None = None,
) -> None:
    """A deletion: a reason of 失信规定 第10条 (or early deletion, correction), dated not before
    the listing nor before the performance it rests on."""
    errors: dict[str, str] = {}
    if draft.reason not in DELETE_REASONS:
        errors["reason"] = f"请选择删除的理由（{DELETE_CITE}）"
    _day(errors, "deleted_on", "删除日期", draft.deleted_on, today)
    day = draft.deleted_on
    if day is not None and "deleted_on" not in errors:
        if day < listed_on:
            errors["deleted_on"] = f"删除日期不能早于纳入日期 {listed_on}"
        elif draft.reason in PERFORMANCE_REASONS:
            if performed_on is None:
                errors["reason"] = "尚未登记被执行人履行完毕，不能以履行完毕为由删除"
            elif day < performed_on:
                errors["deleted_on"] = f"删除日期不能早于履行完毕的日期 {performed_on}"
        elif draft.reason == "期限届满":
            if term_end is None:
                errors["reason"] = (
                    "该失信信息不设纳入期限（有履行能力而拒不履行），不能以期限届满为由删除"
                )
            elif day < term_end:
                errors["deleted_on"] = f"纳入期限至 {term_end} 届满，届满前不能以期限届满为由删除"
    _texts(errors, draft, {"document_no": "文书编号", "note": "备注"})
    _raise(errors)


def check_ground_arising(reason: str, on: date | None, listed_on: date, today: date) -> date:
    """A deletion ground other than performance (recorded by a payment) that starts the
    3-working-day clock."""
    errors: dict[str, str] = {}
    if reason not in DELETE_REASONS or reason in IMMEDIATE_REASONS or reason in PERFORMANCE_REASONS:
        errors["reason"] = f"请选择删除的情形（{DELETE_CITE}；履行完毕请登记履行）"
    _day(errors, "on", "出现删除情形的日期", on, today)
    if on is not None and on < listed_on and "on" not in errors:
        errors["on"] = f"日期不能早于纳入日期 {listed_on}"
    _raise(errors)
    assert on is not None
    return on


def check_spending_ban(draft: SpendingBanDraft, accepted_on: date, today: date) -> None:
    errors: dict[str, str] = {}
    if not clean_text(draft.debtor_party_id):
        errors["debtor_party_id"] = "请选择被执行人"
    _day(errors, "ordered_on", "限制消费令日期", draft.ordered_on, today)
    if (
        draft.ordered_on is not None
        and draft.ordered_on < accepted_on
        and "ordered_on" not in errors
    ):
        errors["ordered_on"] = f"限制消费令日期不能早于立案日期 {accepted_on}"
    _texts(errors, draft, {"document_no": "文书编号", "restricted_persons": "受限制的人员",
                           "notes": "备注"})  # fmt: skip
    _raise(errors)


def check_lift(reason: str, on: date | None, ordered_on: date, today: date) -> date:
    errors: dict[str, str] = {}
    if reason not in LIFT_REASONS:
        errors["reason"] = "请选择解除限制消费的理由"
    _day(errors, "lifted_on", "解除日期", on, today)
    if on is not None and on < ordered_on and "lifted_on" not in errors:
        errors["lifted_on"] = f"解除日期不能早于限制消费令日期 {ordered_on}"
    _raise(errors)
    assert on is not None
    return on
