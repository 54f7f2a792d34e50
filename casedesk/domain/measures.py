"""Compulsory measures (强制措施): their words, which rule sets each one's clock, and the checks a
measure, a renewal (续行) or a release must pass before anything is saved.

Sources: law.md §1.1–1.2 (personal measures, 刑诉法 第66–99、119条), §2 (property measures:
刑诉法 第141–145条, 公安规定 第243条, 民诉法解释 第485条, 查扣冻规定 第19、27条).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from casedesk.domain.drafts import LIMITS, _text_errors, clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.field_types import check_text_arg, check_types
from casedesk.domain.periods import Period, PeriodError

# -- property measures ----------------------------------------------------------------------------
PROPERTY_KINDS: tuple[str, ...] = ("查封", "扣押", "冻结", "扣留")
OBJECT_KINDS: tuple[str, ...] = ("不动产", "动产", "存款", "股权", "知识产权", "其他")
ORGAN_KINDS: tuple[str, ...] = ("人民法院", "人民检察院", "公安机关", "监察机关", "其他")

#: Rules whose period is a term after which the measure lapses by itself if not renewed
#: (查扣冻规定 第27条; 公安规定 第243条 "视为自动解冻"). Other property rules are reminders.
LAPSING_TERM_RULES = frozenset({
    "property.civil.freeze_deposit", "property.civil.seal_movable", "property.civil.seal_realty",
    "property.police.freeze_deposit", "property.police.freeze_other",
})  # fmt: skip
REVIEW_RULE = "property.criminal.review"
UNRELATED_RULE = "property.release_unrelated"

#: Longer terms a rule allows on approval, beyond its own period: a police freeze of deposits in
#: a 重大、复杂 case approved by the city-level police head runs one year (公安规定 第243条).
LONGER_TERMS: dict[str, tuple[str, str]] = {
    "property.police.freeze_deposit": ("1y", "重大、复杂案件经设区的市一级以上公安机关负责人批准"),
}

#: Each rule's trigger, for deadlines started by a property measure.
_CIVIL_RULE_BY_OBJECT = {
    "存款": "property.civil.freeze_deposit",
    "动产": "property.civil.seal_movable",
}


def property_term_rule(family: str, kind: str, object_kind: str, organ_kind: str) -> str:
    """The rule that sets a property measure's clock.

    Criminal cases: a police freeze of deposits runs 6 months (公安规定 第243条), of bonds,
    shares or fund units 2 years; 查封/扣押 has no statutory term (law.md §2.1, L), so it gets a
    periodic review reminder instead. Other cases (civil preservation and enforcement): deposits
    1 year, movables 2 years, real estate and other property rights 3 years (民诉法解释 第485条).
    """
    if family in ("刑事", "检察监督"):
        if kind == "冻结" and organ_kind == "公安机关":
            if object_kind == "存款":
                return "property.police.freeze_deposit"
            return "property.police.freeze_other"
        return REVIEW_RULE
    return _CIVIL_RULE_BY_OBJECT.get(object_kind, "property.civil.seal_realty")


def lapses(rule_id: str | None) -> bool:
    """Whether a measure under ``rule_id`` loses effect by itself when its term runs out."""
    return rule_id in LAPSING_TERM_RULES


# -- personal measures ---------------------------------------------------------------------------
PERSONAL_KINDS: tuple[str, ...] = ("拘传", "取保候审", "监视居住", "拘留", "逮捕")
CUSTODY_KINDS = frozenset({"拘留", "逮捕"})
#: The measures the 挂案 thresholds count (拘传 excluded: 2017 规定 第25条).
STALLED_COUNTED_KINDS = frozenset({"取保候审", "监视居住", "拘留", "逮捕"})

#: kind → (trigger, rule) of the clock a personal measure starts on execution/decision.
PERSONAL_CLOCKS: dict[str, tuple[str, str]] = {
    "拘传": ("summoned", "summon.max"),
    "取保候审": ("bail_decided", "bail.max"),
    "监视居住": ("surveillance_decided", "surveillance.max"),
    "拘留": ("detained", "criminal.detention.request_arrest"),
    "逮捕": ("arrested", "criminal.custody.investigation"),
}

#: Steps recorded on a measure of a person in custody, and the measure kinds they apply to.
#: The case's own periods that bound custody once the investigation's custody clocks are done:
#: the procuratorate's review for prosecution, the case sent back for supplementary
#: investigation, the first-instance trial (刑诉法 第172、175、208条). A person held in custody
#: is held within the one running for the stage the case is at.
CASE_CUSTODY_RULES = frozenset({
    "criminal.prosecution.review", "criminal.supplementary_investigation", "criminal.trial.first",
})  # fmt: skip
CUSTODY_STEPS: dict[str, tuple[str, frozenset[str]]] = {
    "arrest_requested": ("提请批准逮捕", frozenset({"拘留"})),
}

END_REASONS: tuple[str, ...] = ("变更", "解除", "释放", "期满", "撤销", "判决生效", "其他")

# -- custody-necessity review (羁押必要性审查) -------------------------------------------------
REVIEW_TRIGGERS: tuple[str, ...] = ("依职权", "申请", "看守所建议")
REVIEW_METHODS: tuple[str, ...] = ("书面审查", "公开审查")
REVIEW_CONCLUSIONS: tuple[str, ...] = ("继续羁押", "建议释放", "建议变更强制措施")
#: Conclusions sent to the case organ, whose reply is due in 10 days (刑诉法 第95条).
RECOMMENDATIONS = frozenset({"建议释放", "建议变更强制措施"})


# -- drafts ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PropertyMeasureDraft:
    kind: str
    object_kind: str
    start_on: date | None
    description: str = ""
    owner_party_id: str = ""  # a party of the case (enterprise or person)
    value_fen: int | None = None
    account_no: str = ""
    organ: str = ""
    organ_kind: str = ""
    document_no: str = ""
    term_spec: str = ""  # "" = the rule's period; else ≤ it (or an allowed longer term)
    live_use: bool = False
    live_use_note: str = ""
    notes: str = ""


@dataclass(frozen=True)
class RenewalDraft:
    decided_on: date | None
    organ: str = ""
    document_no: str = ""
    term_spec: str = ""  # "" = the same term as the rule's period


@dataclass(frozen=True)
class ReleaseDraft:
    released_on: date | None
    full: bool = True
    value_fen: int | None = None  # partial release: how much of the value
    reason: str = ""
    document_no: str = ""


@dataclass(frozen=True)
class PersonalMeasureDraft:
    kind: str
    person_party_id: str  # a person of the case
    decided_on: date | None
    executed_at: datetime | None = None  # 拘传, 拘留, 逮捕: when carried out
    organ: str = ""
    organ_kind: str = ""
    document_no: str = ""
    guarantor: str = ""  # 取保候审: 保证人 …
    deposit_fen: int | None = None  # … or 保证金
    designated_residence: bool = False  # 监视居住: 指定居所
    residence: str = ""
    notes: str = ""


@dataclass(frozen=True)
class MeasureEndDraft:
    ended_on: date | None
    reason: str = "解除"
    document_no: str = ""


@dataclass(frozen=True)
class CustodyReviewDraft:
    trigger: str
    started_on: date | None
    applicant: str = ""
    method: str = "书面审查"
    concluded_on: date | None = None
    conclusion: str = ""
    recipient: str = ""
    document_no: str = ""
    served_on: date | None = None
    notes: str = ""


def _no_future(
    errors: dict[str, str], name: str, label: str, day: date | None, today: date
) -> None:
    if day is not None and day > today and name not in errors:
        errors[name] = f"{label}不能晚于今天"


def _texts(errors: dict[str, str], draft: object, fields: dict[str, str]) -> None:
    for name, label in fields.items():
        limit = LIMITS["notes"] if name in ("notes", "description", "live_use_note") else 100
        _text_errors(errors, name, label, clean_text(getattr(draft, name)), limit)


def parse_term(spec: str) -> Period | None:
    """A term typed as 6m / 1y / 180d (None when empty); PeriodError when unreadable."""
    spec = clean_text(spec)
    return Period.parse(spec) if spec else None


def check_term(spec: str, rule_period: Period, rule_id: str) -> str:
    """The term to apply: the rule's period, a shorter one, or an allowed longer one
    (LONGER_TERMS). Raises FieldErrors on ``term_spec``."""
    check_text_arg("term_spec", spec, "期限")
    try:
        term = parse_term(spec)
    except PeriodError:
        raise FieldErrors({"term_spec": "期限格式应如 6m（月）、1y（年）、30d（日）"}) from None
    if term is None:
        return rule_period.spec
    if term.unit != rule_period.unit and not _comparable(term, rule_period):
        raise FieldErrors({"term_spec": f"期限单位应与规定一致（{rule_period}）"})
    longer = LONGER_TERMS.get(rule_id)
    if _months(term) > _months(rule_period) and not (longer and term.spec == longer[0]):
        raise FieldErrors({"term_spec": f"期限不得超过{rule_period}"})
    if term.amount <= 0:
        raise FieldErrors({"term_spec": "期限应大于0"})
    return term.spec


def _comparable(a: Period, b: Period) -> bool:
    return a.unit in ("m", "y") and b.unit in ("m", "y")


def _months(p: Period) -> float:
    return {"y": 12, "m": 1}.get(p.unit, 1 / 30) * p.amount


def check_property_measure(draft: PropertyMeasureDraft, today: date) -> PropertyMeasureDraft:
    check_types(draft)
    errors: dict[str, str] = {}
    if draft.kind not in PROPERTY_KINDS:
        errors["kind"] = "请选择措施种类（查封、扣押、冻结、扣留）"
    if draft.object_kind not in OBJECT_KINDS:
        errors["object_kind"] = "请选择财产类别"
    if draft.start_on is None:
        errors["start_on"] = "请填写措施开始日期"
    _no_future(errors, "start_on", "开始日期", draft.start_on, today)
    if draft.value_fen is not None and draft.value_fen < 0:
        errors["value_fen"] = "价值不能为负数"
    if draft.organ_kind and draft.organ_kind not in ORGAN_KINDS:
        errors["organ_kind"] = "请选择决定机关类别"
    if draft.live_use and not clean_text(draft.live_use_note):
        errors["live_use_note"] = "活封活扣的，请写明允许的使用方式"
    if not clean_text(draft.description):
        errors["description"] = "请描述被采取措施的财产"
    _texts(errors, draft, {"description": "财产描述", "account_no": "账号或登记号",
                           "organ": "决定机关", "document_no": "文书编号",
                           "live_use_note": "允许的使用方式", "notes": "备注"})  # fmt: skip
    if errors:
        raise FieldErrors(errors)
    return draft


def check_release(
    draft: ReleaseDraft, start_on: date, remaining_fen: int | None, today: date
) -> ReleaseDraft:
    """A release of a measure that began on ``start_on`` and of which ``remaining_fen`` is still
    held (None: value unknown)."""
    check_types(draft)
    errors: dict[str, str] = {}
    if draft.released_on is None:
        errors["released_on"] = "请填写解除日期"
    elif draft.released_on < start_on:
        errors["released_on"] = f"解除日期不能早于措施开始日期 {start_on}"
    _no_future(errors, "released_on", "解除日期", draft.released_on, today)
    if not draft.full:
        if draft.value_fen is None or draft.value_fen <= 0:
            errors["value_fen"] = "部分解除的，请填写解除部分的价值"
        elif remaining_fen is not None and draft.value_fen >= remaining_fen:
            errors["value_fen"] = "部分解除的价值应小于尚在控制中的价值；全部解除请选“全部解除”"
    if not clean_text(draft.reason):
        errors["reason"] = "请填写解除的理由"
    _texts(errors, draft, {"reason": "解除理由", "document_no": "文书编号"})
    if errors:
        raise FieldErrors(errors)
    return draft


def check_renewal(
    draft: RenewalDraft, term_end: date | None, rule_lapses: bool, today: date
) -> None:
    """A renewal (续行) must be decided on or before the last day of the current term: after it
    the measure has lost effect and a new measure must be recorded (查扣冻规定 第27条)."""
    check_types(draft)
    errors: dict[str, str] = {}
    if not rule_lapses or term_end is None:
        raise FieldErrors({"decided_on": "该措施没有法定期限，无需续行"})
    if draft.decided_on is None:
        errors["decided_on"] = "请填写续行决定日期"
    elif draft.decided_on > term_end:
        errors["decided_on"] = (
            f"原期限已于 {term_end} 届满，措施已自动失效，不能续行；请作为新的措施登记"
        )
    _no_future(errors, "decided_on", "续行决定日期", draft.decided_on, today)
    _texts(errors, draft, {"organ": "决定机关", "document_no": "文书编号"})
    if errors:
        raise FieldErrors(errors)


def check_personal_measure(draft: PersonalMeasureDraft, today: date) -> PersonalMeasureDraft:
    check_types(draft)
    errors: dict[str, str] = {}
    if draft.kind not in PERSONAL_KINDS:
        errors["kind"] = "请选择强制措施种类"
    if not draft.person_party_id:
        errors["person_party_id"] = "请选择被采取措施的人（须为本案当事人中的自然人）"
    if draft.decided_on is None:
        errors["decided_on"] = "请填写决定日期"
    _no_future(errors, "decided_on", "决定日期", draft.decided_on, today)
    if draft.executed_at is not None:
        if draft.decided_on is not None and draft.executed_at.date() < draft.decided_on:
            errors["executed_at"] = "执行时间不能早于决定日期"
        elif draft.executed_at.date() > today:
            errors["executed_at"] = "执行时间不能晚于今天"
    elif draft.kind == "拘传":
        errors["executed_at"] = "拘传按小时计算，请填写到案时间（精确到分钟）"
    if draft.kind == "取保候审":
        if not clean_text(draft.guarantor) and draft.deposit_fen is None:
            errors["guarantor"] = "取保候审应当提出保证人或者交纳保证金（刑诉法第68条）"
        if draft.guarantor and draft.deposit_fen is not None:
            errors["deposit_fen"] = "保证人与保证金只能选择一种（刑诉法第68条）"
        elif draft.deposit_fen is not None and draft.deposit_fen <= 0:
            errors["deposit_fen"] = "保证金应大于0"
    if draft.organ_kind and draft.organ_kind not in ORGAN_KINDS:
        errors["organ_kind"] = "请选择决定机关类别"
    _texts(errors, draft, {"organ": "决定机关", "document_no": "文书编号", "guarantor": "保证人",
                           "residence": "监视居住地点", "notes": "备注"})  # fmt: skip
    if errors:
        raise FieldErrors(errors)
    return draft


def check_measure_end(draft: MeasureEndDraft, started_on: date, today: date) -> None:
    check_types(draft)
    errors: dict[str, str] = {}
    if draft.ended_on is None:
        errors["ended_on"] = "请填写日期"
    elif draft.ended_on < started_on:
        errors["ended_on"] = f"日期不能早于措施开始日期 {started_on}"
    _no_future(errors, "ended_on", "日期", draft.ended_on, today)
    if draft.reason not in END_REASONS:
        errors["reason"] = "请选择结束方式"
    if errors:
        raise FieldErrors(errors)


def check_custody_review(draft: CustodyReviewDraft, custody_from: date, today: date) -> None:
    check_types(draft)
    errors: dict[str, str] = {}
    if draft.trigger not in REVIEW_TRIGGERS:
        errors["trigger"] = "请选择审查的启动方式"
    elif draft.trigger == "申请" and not clean_text(draft.applicant):
        errors["applicant"] = "依申请审查的，请填写申请人"
    if draft.method not in REVIEW_METHODS:
        errors["method"] = "请选择审查方式"
    if draft.started_on is None:
        errors["started_on"] = "请填写审查开始日期"
    elif draft.started_on < custody_from:
        errors["started_on"] = f"审查开始日期不能早于羁押开始日期 {custody_from}"
    _no_future(errors, "started_on", "开始日期", draft.started_on, today)
    if draft.conclusion and draft.conclusion not in REVIEW_CONCLUSIONS:
        errors["conclusion"] = "请选择审查结论"
    if draft.conclusion and draft.concluded_on is None:
        errors["concluded_on"] = "有审查结论的，请填写结论日期"
    if draft.concluded_on is not None:
        if not draft.conclusion:
            errors["conclusion"] = "请选择审查结论"
        if draft.started_on and draft.concluded_on < draft.started_on:
            errors["concluded_on"] = "结论日期不能早于审查开始日期"
        _no_future(errors, "concluded_on", "结论日期", draft.concluded_on, today)
    if draft.served_on is not None:
        if draft.conclusion not in RECOMMENDATIONS:
            errors["served_on"] = "只有释放或变更强制措施的建议需要送达并等待回复"
        elif not clean_text(draft.recipient):
            errors["recipient"] = "请填写建议送达的办案机关"
        elif draft.concluded_on and draft.served_on < draft.concluded_on:
            errors["served_on"] = "送达日期不能早于结论日期"
        _no_future(errors, "served_on", "送达日期", draft.served_on, today)
    _texts(errors, draft, {"applicant": "申请人", "recipient": "建议送达机关",
                           "document_no": "文书编号", "notes": "备注"})  # fmt: skip
    if errors:
        raise FieldErrors(errors)
