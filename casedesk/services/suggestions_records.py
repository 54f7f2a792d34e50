"""Inside a unit of work on a suggestion document: loading it, its text as the domain document,
checking what the clerk typed, the case data its placeholders are filled from, the issuing
unit's name, pattern and wording, and the number counter."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from casedesk.domain import documents as dm
from casedesk.domain.doc_templates import DEFAULT_WORDING, Wording
from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.field_types import check_types
from casedesk.services.base import parse_id
from casedesk.services.errors import NotFound
from casedesk.services.suggestions_dto import SuggestionDraft, UnitNames
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.models import AppSetting, Case, CourtCode
from casedesk.store.suggestion_models import (
    Suggestion,
    SuggestionCounter,
    SuggestionPattern,
    SuggestionTemplate,
)

COURT_UNIT_KEY, PROCURATORATE_UNIT_KEY = "suggestions.unit.court", "suggestions.unit.procuratorate"
LIMITS = {"issuer": 100, "subject": 200, "recipient": 200, "contact": 200, "line": 200,
          "block": 5000, "blocks": 200}  # fmt: skip
FIELD_NAMES = {"issuer": "发文单位", "subject": "事由", "recipient": "主送单位",
               "contact": "联系人、电话"}  # fmt: skip


def load(session: Session, suggestion_id: str) -> Suggestion:
    row = session.get(Suggestion, parse_id(suggestion_id, "建议书"))
    if row is None:
        raise NotFound("找不到该建议书，可能已被删除")
    case = session.get(Case, row.case_id)
    if case is None or case.deleted_at is not None:
        raise NotFound("该建议书所属案件已被删除")
    return row


# -- text -----------------------------------------------------------------------------------------
def blocks_json(blocks: tuple[dm.Block, ...]) -> str:
    return json.dumps([{"kind": b.kind, "text": b.text} for b in blocks], ensure_ascii=False)


def blocks_of(row: Suggestion) -> tuple[dm.Block, ...]:
    return tuple(dm.Block(b["kind"], b["text"]) for b in json.loads(row.blocks or "[]"))


def texts_json(texts: tuple[str, ...]) -> str:
    return json.dumps(list(texts), ensure_ascii=False)


def texts_of(value: str) -> tuple[str, ...]:
    return tuple(json.loads(value or "[]"))


def to_document(row: Suggestion) -> dm.Document:
    """The suggestion as the model both renderers take."""
    return dm.Document(
        kind=row.kind, subtype=row.subtype, issuer=row.issuer, subject=row.subject,
        recipient=row.recipient, blocks=blocks_of(row), number=row.number,
        attachments=texts_of(row.attachments), signed_on=row.signed_on, contact=row.contact,
        copy_to=texts_of(row.copy_to),
    )  # fmt: skip


def _bad_chars(text: str, multiline: bool = False) -> bool:
    allowed = "\n" if multiline else ""
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def check_draft(kind: str, draft: SuggestionDraft, accepted_on: date) -> SuggestionDraft:
    """What the clerk typed, cleaned; FieldErrors naming each bad field. A draft may still lack
    the recipient, items and date (finalising asks for them)."""
    check_types(draft)
    errors: dict[str, str] = {}
    if draft.subtype and draft.subtype not in dm.KINDS[kind]:
        errors["subtype"] = f"{kind}没有“{draft.subtype}”这一类别"
    elif dm.KINDS[kind] and not draft.subtype:
        errors["subtype"] = f"请选择{kind}的类别（{'、'.join(dm.KINDS[kind])}）"
    values = {key: clean_text(getattr(draft, key)) for key in FIELD_NAMES}
    for key, label in FIELD_NAMES.items():
        if len(values[key]) > LIMITS[key]:
            errors[key] = f"{label}过长（最多{LIMITS[key]}个字）"
        elif _bad_chars(values[key]):
            errors[key] = f"{label}含有换行或不可见的控制字符"
    blocks = tuple(dm.Block(b.kind, clean_text(b.text)) for b in draft.blocks)
    if len(blocks) > LIMITS["blocks"]:
        errors["blocks"] = f"正文段落过多（最多{LIMITS['blocks']}段）"
    for n, b in enumerate(blocks, 1):
        if b.kind not in dm.BLOCK_KINDS:
            errors["blocks"] = f"正文第{n}段的类型有误"
        elif len(b.text) > LIMITS["block"]:
            errors["blocks"] = f"正文第{n}段过长（每段最多{LIMITS['block']}个字）"
        elif _bad_chars(b.text):
            errors["blocks"] = f"正文第{n}段含有换行或控制字符：换段请新增一段"
    lists = {"attachments": ("附件", draft.attachments), "copy_to": ("抄送单位", draft.copy_to),
             "source_cases": ("关联案号", draft.source_cases)}  # fmt: skip
    cleaned: dict[str, tuple[str, ...]] = {}
    for key, (label, items) in lists.items():
        cleaned[key] = tuple(t for t in (clean_text(x) for x in items) if t)
        if any(len(t) > LIMITS["line"] or _bad_chars(t) for t in cleaned[key]):
            errors[key] = f"{label}每项应为一行，最多{LIMITS['line']}个字"
    if draft.signed_on is not None and draft.signed_on < accepted_on:
        errors["signed_on"] = f"成文日期不能早于收案日期（{accepted_on}）"
    if errors:
        raise FieldErrors(errors)
    return SuggestionDraft(
        subtype=draft.subtype, blocks=blocks, signed_on=draft.signed_on, **values, **cleaned
    )


def draft_values(draft: SuggestionDraft) -> dict[str, Any]:
    """The draft as the row's column values."""
    return {
        "subtype": draft.subtype, "issuer": draft.issuer, "subject": draft.subject,
        "recipient": draft.recipient, "blocks": blocks_json(draft.blocks),
        "attachments": texts_json(draft.attachments), "signed_on": draft.signed_on,
        "contact": draft.contact, "copy_to": texts_json(draft.copy_to),
        "source_cases": texts_json(draft.source_cases),
    }  # fmt: skip


def draft_year(signed_on: date | None) -> int:
    """A draft's year: of its signing date, else this year."""
    return (signed_on or date.today()).year


def check_day(on: date | None, label: str, after: date | None, after_label: str) -> date:
    if on is None:
        raise FieldErrors({"on": f"请填写{label}"})
    if on > date.today():
        raise FieldErrors({"on": f"{label}不能晚于今天"})
    if after is not None and on < after:
        raise FieldErrors({"on": f"{label}不能早于{after_label}（{after}）"})
    return on


# -- case data and the issuing unit ---------------------------------------------------------------
def one_line(text: str) -> str:
    """Case data on one line: the case's forms allow line breaks and tabs (a cause, a name), a
    paragraph of a suggestion does not (``check_draft``) — each run of them becomes one space."""
    return " ".join(text.split()) if isinstance(text, str) else text


def case_values(case: Case, issuer: str, recipient: str, subject: str) -> dict[str, str]:
    """The values of the placeholders (doc_templates.PLACEHOLDERS) for this case, each on one
    line (it fills part of a paragraph)."""
    names = [(p.enterprise or p.person).name for p in case.parties]  # type: ignore[union-attr]
    values = {
        "案号": case.case_number, "案由": case.cause, "当事人": "、".join(dict.fromkeys(names)),
        "收案日期": dm.date_text(case.accepted_on),
        "结案日期": dm.date_text(case.closed_on) if case.closed_on else "",
        "承办人": case.handler, "发文单位": issuer, "主送单位": recipient, "事由": subject,
    }  # fmt: skip
    return {key: one_line(value) for key, value in values.items()}


def unit_names(session: Session) -> UnitNames:
    court, proc = (
        session.get(AppSetting, COURT_UNIT_KEY),
        session.get(AppSetting, PROCURATORATE_UNIT_KEY),
    )
    return UnitNames(court.value if court else "", proc.value if proc else "")


def default_issuer(session: Session, case: Case, kind: str) -> str:
    """The issuing unit: a court's kinds from the unit setting, else the court code table's
    name of the case's court; a procuratorate's from the unit setting."""
    names = unit_names(session)
    if kind in dm.COURT_KINDS or kind == dm.NOTICE:
        return (
            names.court
            or session.scalar(select(CourtCode.name).where(CourtCode.code == case.court_code))
            or ""
        )
    return names.procuratorate


def court_code_of(session: Session, unit: str) -> str:
    """The court code (新01) of a unit named in the court code table; "" when not a court there."""
    return session.scalar(select(CourtCode.code).where(CourtCode.name == unit).limit(1)) or ""


def default_pattern(session: Session, unit: str, kind: str, fallback_court: str = "") -> str:
    """The kind's default pattern with the unit's court code filled in (a court's kinds only);
    "" when the unit must set its own (a procuratorate's abbreviation is not in any table)."""
    if kind not in dm.COURT_KINDS and kind != dm.NOTICE:
        return ""
    code = court_code_of(session, unit) or fallback_court
    if not code:
        return ""
    return dm.DEFAULT_PATTERNS[kind].replace("{court}", code).replace("{abbr}", code)


def pattern_for(
    session: Session, unit: str, kind: str, fallback_court: str = ""
) -> tuple[str, bool]:
    """(pattern, saved): the unit's saved pattern, else its default."""
    row = session.get(SuggestionPattern, (unit, kind))
    if row is not None:
        return row.pattern, True
    return default_pattern(session, unit, kind, fallback_court), False


def wording_for(session: Session, unit: str, kind: str) -> tuple[Wording, bool]:
    """(wording, saved): the unit's saved blocks for the kind, else the kind's defaults."""
    row = session.get(SuggestionTemplate, (unit, kind))
    if row is not None:
        return Wording(row.opening, row.reply, row.closing), True
    return DEFAULT_WORDING[kind], False


# -- numbers --------------------------------------------------------------------------------------
def lock_counter(session: Session, unit: str, kind: str, year: int) -> None:
    """Make sure the counter row exists. As the first statement of a transaction this write takes
    the database's write lock at once (SQLite: like BEGIN IMMEDIATE), so whatever is read after
    it is current and no other desk can number meanwhile."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(SuggestionCounter)
        .values(unit=unit, kind=kind, year=year, last_seq=0)
        .on_conflict_do_nothing()
    )


def next_seq(session: Session, unit: str, kind: str, year: int) -> int:
    """The next number of (unit, kind, year), counted in this transaction: a finalising that
    rolls back gives its number back (no gap). Numbers already used (e.g. imported) are skipped."""
    key = (SuggestionCounter.unit == unit, SuggestionCounter.kind == kind,
           SuggestionCounter.year == year)  # fmt: skip
    used = (
        session.scalar(
            select(func.max(Suggestion.seq)).where(
                Suggestion.issuer == unit, Suggestion.kind == kind, Suggestion.year == year
            )
        )
        or 0
    )
    current = session.scalar(select(SuggestionCounter.last_seq).where(*key).with_for_update())
    seq = max(current or 0, used) + 1
    session.execute(
        update(SuggestionCounter)
        .where(*key)
        .values(last_seq=seq)
        .execution_options(synchronize_session=False)
    )
    return seq


# -- writing --------------------------------------------------------------------------------------
def draft_label(row: Suggestion) -> str:
    """A draft as the recycle bin names it: kind, 事由 and 主送."""
    to = f"主送{row.recipient}" if row.recipient else ""
    about = "，".join(x for x in (row.subject, to) if x)
    return f"{row.kind}草稿" + (f"（{about}）" if about else "")


def audit_row(uow: UnitOfWork, row: Suggestion, action: str, label: str,
              changes: dict[str, tuple[Any, Any]]) -> None:  # fmt: skip
    uow.audit(action, "suggestion", row.id, f"{row.kind} {label}".strip(), changes, row.case_id)


def write(uow: UnitOfWork, row: Suggestion, label: str, values: dict[str, Any]) -> None:
    """Set the row's columns, audit what changed, commit."""
    changes = {k: (getattr(row, k), v) for k, v in values.items() if getattr(row, k) != v}
    for key, (_old, new) in changes.items():
        setattr(row, key, new)
    row.updated_at = audit.utcnow()
    uow.session.flush()
    audit_row(uow, row, "update", label, changes)
    uow.commit()
