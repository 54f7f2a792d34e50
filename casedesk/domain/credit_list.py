"""The debtor credit list (失信被执行人) and 限制消费: the grounds and term of a listing, the grace
period, the reasons of deletion, and the checks of a warning, listing, deletion and order.

Sources: law.md §6.1 (失信规定 法释〔2017〕7号 第1、2、10条; 宽限期: 法发〔2019〕35号), §6.2
(限制消费规定 第9条).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casedesk.domain.drafts import clean_text
from casedesk.domain.enforcement import check_texts, need_day, raise_if
from casedesk.domain.field_types import check_types
from casedesk.domain.identifiers.id_number import validate_id_number
from casedesk.domain.periods import add_months

#: 失信规定 第4条: a minor is not listed (law.md §6.1, M).
ADULT_AGE = 18

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


# -- drafts ---------------------------------------------------------------------------------------
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


# -- checks ---------------------------------------------------------------------------------------
def check_warning(draft: WarningDraft, accepted_on: date, today: date) -> date | None:
    """A 失信预警 with an optional grace period; returns the grace period's last day."""
    check_types(draft)
    errors: dict[str, str] = {}
    if not clean_text(draft.debtor_party_id):
        errors["debtor_party_id"] = "请选择被执行人"
    need_day(errors, "warned_on", "预警日期", draft.warned_on, today)
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
    check_texts(errors, draft, {"document_no": "预警文书编号"})
    raise_if(errors)
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
    check_types(draft)
    errors: dict[str, str] = {}
    if not clean_text(draft.debtor_party_id):
        errors["debtor_party_id"] = "请选择被执行人"
    need_day(errors, "listed_on", "纳入决定日期", draft.listed_on, today)
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
    check_texts(errors, draft, {"document_no": "决定书文号", "notes": "备注"})
    raise_if(errors)
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
    check_types(draft)
    errors: dict[str, str] = {}
    if draft.reason not in DELETE_REASONS:
        errors["reason"] = f"请选择删除的理由（{DELETE_CITE}）"
    need_day(errors, "deleted_on", "删除日期", draft.deleted_on, today)
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
    check_texts(errors, draft, {"document_no": "文书编号", "note": "备注"})
    raise_if(errors)


def check_ground_arising(reason: str, on: date | None, listed_on: date, today: date) -> date:
    """A deletion ground other than performance (recorded by a payment) that starts the
    3-working-day clock."""
    errors: dict[str, str] = {}
    if (
        not isinstance(reason, str)
        or reason not in DELETE_REASONS
        or reason in IMMEDIATE_REASONS
        or reason in PERFORMANCE_REASONS
    ):
        errors["reason"] = f"请选择删除的情形（{DELETE_CITE}；履行完毕请登记履行）"
    need_day(errors, "on", "出现删除情形的日期", on, today)
    if on is not None and "on" not in errors and on < listed_on:
        errors["on"] = f"日期不能早于纳入日期 {listed_on}"
    raise_if(errors)
    assert on is not None
    return on


def check_spending_ban(draft: SpendingBanDraft, accepted_on: date, today: date) -> None:
    check_types(draft)
    errors: dict[str, str] = {}
    if not clean_text(draft.debtor_party_id):
        errors["debtor_party_id"] = "请选择被执行人"
    need_day(errors, "ordered_on", "限制消费令日期", draft.ordered_on, today)
    if (
        draft.ordered_on is not None
        and draft.ordered_on < accepted_on
        and "ordered_on" not in errors
    ):
        errors["ordered_on"] = f"限制消费令日期不能早于立案日期 {accepted_on}"
    check_texts(errors, draft, {"document_no": "文书编号", "restricted_persons": "受限制的人员",
                           "notes": "备注"})  # fmt: skip
    raise_if(errors)


def check_lift(reason: str, on: date | None, ordered_on: date, today: date) -> date:
    errors: dict[str, str] = {}
    if reason not in LIFT_REASONS:
        errors["reason"] = "请选择解除限制消费的理由"
    need_day(errors, "lifted_on", "解除日期", on, today)
    if on is not None and "lifted_on" not in errors and on < ordered_on:
        errors["lifted_on"] = f"解除日期不能早于限制消费令日期 {ordered_on}"
    raise_if(errors)
    assert on is not None
    return on


def is_minor(id_number: str | None, on: date) -> bool:
    """Whether the holder of a valid 身份证号码 is under 18 on ``on`` (unknown: False)."""
    if not id_number:
        return False
    found = validate_id_number(id_number, on)
    if not found.valid or not found.parts.get("birth_date"):
        return False
    born = date.fromisoformat(found.parts["birth_date"])
    try:
        adult = born.replace(year=born.year + ADULT_AGE)
    except ValueError:  # born on 29 February: adult on 1 March
        adult = date(born.year + ADULT_AGE, 3, 1)
    return on < adult
