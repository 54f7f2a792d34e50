"""What a user submits for a case, an enterprise, a person, a party or a stage change, and the
rules each must satisfy before anything is saved.

``check_*`` functions return the normalised draft (identifiers in canonical form) or raise
:class:`FieldErrors` naming every bad field with a Chinese message.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from casedesk.domain.code_tables import TypeCode
from casedesk.domain.errors import FieldErrors
from casedesk.domain.field_types import check_types, text_problem
from casedesk.domain.identifiers import (
    validate_case_number,
    validate_credit_code,
    validate_id_number,
)
from casedesk.domain.vocabulary import (
    CASE_FAMILIES,
    CLOSED_STAGES,
    OWNERSHIPS,
    PARTY_ROLES,
    SIZES,
    TYPE_FAMILY_TO_CASE_FAMILY,
    stages_for,
)

LIMITS = {"name": 200, "short": 100, "notes": 10_000}


@dataclass(frozen=True)
class CaseDraft:
    case_number: str
    family: str
    accepted_on: date | None
    procedure: str = ""
    cause: str = ""
    handler: str = ""
    closed_on: date | None = None
    amount_fen: int | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""
    stage: str = ""  # initial stage on create; ignored on update (stages change by event)
    #: 诉讼费 / 执行费 to be covered besides the amount (weighed in the 超标的 check).
    costs_fen: int | None = None


@dataclass(frozen=True)
class CheckedCase:
    draft: CaseDraft
    parts: dict
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EnterpriseDraft:
    name: str
    credit_code: str = ""
    ownership: str = ""
    size: str = ""
    industry: str = ""
    legal_representative: str = ""
    address: str = ""
    contact: str = ""


@dataclass(frozen=True)
class PersonDraft:
    name: str
    id_number: str = ""
    contact: str = ""
    address: str = ""


@dataclass(frozen=True)
class StageDraft:
    occurred_on: date | None
    stage: str
    note: str = ""


def clean_text(value: str | None) -> str:
    """Trimmed text with line breaks kept and other control characters refused by checks.
    A value that is not text is handed on as it is, for the checks to refuse naming its field."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def _text_errors(errors: dict[str, str], name: str, label: str, value: str, limit: int) -> None:
    if why := text_problem(value):
        errors[name] = f"{label}{why}"
    elif len(value) > limit:
        errors[name] = f"{label}过长（最多{limit}个字，实为{len(value)}个）"
    elif any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
        errors[name] = f"{label}含有不可见的控制字符"


def check_case(
    draft: CaseDraft,
    type_codes: Mapping[str, TypeCode] | None = None,
    court_codes: Collection[str] | None = None,
    today: date | None = None,
) -> CheckedCase:
    """Validate a case draft; returns it normalised, with the 案号 parts and any warnings."""
    check_types(draft)
    today = today or date.today()
    errors: dict[str, str] = {}
    warnings: list[str] = []
    number = validate_case_number(draft.case_number, type_codes, court_codes, today)
    if not number.valid:
        errors["case_number"] = number.message
    warnings.extend(number.warnings)

    if draft.family not in CASE_FAMILIES:
        errors["family"] = "请选择案件类别"
    elif number.valid:
        suggested = TYPE_FAMILY_TO_CASE_FAMILY.get(number.parts["type_family"] or "")
        allowed = {suggested, "商事"} if suggested == "民事" else {suggested}
        if suggested and draft.family not in allowed | {"检察监督", "其他"}:
            warnings.append(
                f"案号类型代字“{number.parts['type_code']}”属{number.parts['type_family']}案件，"
                f"与案件类别“{draft.family}”不一致"
            )

    if draft.accepted_on is None:
        errors["accepted_on"] = "请填写收案日期"
    elif draft.accepted_on > today:
        errors["accepted_on"] = "收案日期不能晚于今天"
    elif number.valid and draft.accepted_on.year != number.parts["year"]:
        warnings.append(
            f"案号收案年度（{number.parts['year']}）与收案日期的年份（{draft.accepted_on.year}）不一致"
        )
    if draft.closed_on is not None:
        if draft.accepted_on is not None and draft.closed_on < draft.accepted_on:
            errors["closed_on"] = "结案日期不能早于收案日期"
        elif draft.closed_on > today:
            errors["closed_on"] = "结案日期不能晚于今天"
    if draft.amount_fen is not None and draft.amount_fen < 0:
        errors["amount"] = "标的额不能为负数"
    if draft.costs_fen is not None and draft.costs_fen < 0:
        errors["costs"] = "诉讼费用不能为负数"
    stage = clean_text(draft.stage)
    if stage and draft.family in CASE_FAMILIES and stage not in stages_for(draft.family):
        errors["stage"] = f"“{stage}”不是{draft.family}案件的阶段"
    elif stage in CLOSED_STAGES and draft.closed_on is None and "closed_on" not in errors:
        errors["closed_on"] = f"阶段为“{stage}”时请填写结案日期"

    cleaned = dataclasses.replace(
        draft,
        case_number=number.normalized or draft.case_number,
        procedure=clean_text(draft.procedure),
        cause=clean_text(draft.cause),
        handler=clean_text(draft.handler),
        notes=clean_text(draft.notes),
        tags=tuple(dict.fromkeys(t.strip() for t in draft.tags if t.strip())),
        stage=stage,
    )
    _text_errors(errors, "procedure", "程序", cleaned.procedure, LIMITS["short"])
    _text_errors(errors, "cause", "案由/罪名", cleaned.cause, LIMITS["name"])
    _text_errors(errors, "handler", "承办人", cleaned.handler, LIMITS["short"])
    _text_errors(errors, "notes", "备注", cleaned.notes, LIMITS["notes"])
    if errors:
        raise FieldErrors(errors)
    return CheckedCase(cleaned, number.parts, warnings)


def check_enterprise(draft: EnterpriseDraft) -> EnterpriseDraft:
    """Validate an enterprise; the credit code is optional but must be valid when given."""
    check_types(draft)
    errors: dict[str, str] = {}
    name = clean_text(draft.name)
    if not name:
        errors["name"] = "请填写企业名称"
    _text_errors(errors, "name", "企业名称", name, LIMITS["name"])
    code = ""
    if clean_text(draft.credit_code):
        result = validate_credit_code(draft.credit_code)
        if result.valid:
            code = result.normalized or ""
        else:
            errors["credit_code"] = result.message
    if draft.ownership and draft.ownership not in OWNERSHIPS:
        errors["ownership"] = "所有制应为：" + "、".join(OWNERSHIPS)
    if draft.size and draft.size not in SIZES:
        errors["size"] = "企业规模应为：" + "、".join(SIZES)
    fields = {
        "industry": "所属行业",
        "legal_representative": "法定代表人",
        "address": "住所地",
        "contact": "联系方式",
    }
    values = {k: clean_text(getattr(draft, k)) for k in fields}
    for key, label in fields.items():
        _text_errors(errors, key, label, values[key], LIMITS["name"])
    if errors:
        raise FieldErrors(errors)
    return EnterpriseDraft(name, code, draft.ownership, draft.size, **values)


def check_person(draft: PersonDraft, today: date | None = None) -> PersonDraft:
    """Validate a person; the ID number is optional but must be valid when given."""
    check_types(draft)
    errors: dict[str, str] = {}
    name = clean_text(draft.name)
    if not name:
        errors["name"] = "请填写姓名"
    _text_errors(errors, "name", "姓名", name, LIMITS["short"])
    number = ""
    if clean_text(draft.id_number):
        result = validate_id_number(draft.id_number, today)
        if result.valid:
            number = result.normalized or ""
        else:
            errors["id_number"] = result.message
    contact, address = clean_text(draft.contact), clean_text(draft.address)
    _text_errors(errors, "contact", "联系方式", contact, LIMITS["name"])
    _text_errors(errors, "address", "住址", address, LIMITS["name"])
    if errors:
        raise FieldErrors(errors)
    return PersonDraft(name, number, contact, address)


def check_role(role: str) -> str:
    """A party role must come from the role list."""
    if role not in PARTY_ROLES:
        raise FieldErrors({"role": "请选择诉讼地位"})
    return role


def check_stage(
    draft: StageDraft, family: str, accepted_on: date | None, today: date | None = None
) -> StageDraft:
    """A stage change needs a date within the case's life and a stage of its family."""
    check_types(draft)
    today = today or date.today()
    errors: dict[str, str] = {}
    if draft.occurred_on is None:
        errors["occurred_on"] = "请填写日期"
    elif draft.occurred_on > today:
        errors["occurred_on"] = "日期不能晚于今天"
    elif accepted_on is not None and draft.occurred_on < accepted_on:
        errors["occurred_on"] = f"日期不能早于收案日期 {accepted_on.isoformat()}"
    if draft.stage not in stages_for(family):
        errors["stage"] = f"请选择{family}案件的阶段"
    note = clean_text(draft.note)
    _text_errors(errors, "note", "说明", note, LIMITS["notes"])
    if errors:
        raise FieldErrors(errors)
    return StageDraft(draft.occurred_on, draft.stage, note)
