"""Code tables an administrator edits: court codes, case type codes, tags. Every edit audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from casedesk.domain.code_tables import TypeCode
from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.identifiers.case_number import court_code_errors, type_code_errors
from casedesk.domain.vocabulary import TYPE_FAMILY_TO_CASE_FAMILY
from casedesk.services.base import Service, court_codes, guarded, parse_id, type_codes
from casedesk.services.errors import NotFound, ServiceError
from casedesk.store.models import Case, CaseTag, CaseTypeCode, CourtCode, Tag

CONFIDENCE = ("H", "M", "L")
TYPE_FAMILIES = (*TYPE_FAMILY_TO_CASE_FAMILY, "司法救助", "司法制裁", "其他")


@dataclass(frozen=True)
class CodeRow:
    code: str
    name: str
    extra: str  # court: note; type: family
    confidence: str
    uses: int


@dataclass(frozen=True)
class TagRow:
    id: str
    name: str
    uses: int


class CodeTableService(Service):
    # -- for forms: the tables as the validators take them, without usage counts ---------------
    def type_code_map(self) -> dict[str, TypeCode]:
        with self._read() as s:
            return type_codes(s)

    def court_names(self) -> dict[str, str]:
        with self._read() as s:
            return court_codes(s)

    def tag_names(self) -> list[str]:
        with self._read() as s:
            return list(s.scalars(select(Tag.name).order_by(Tag.position, Tag.name)))

    # -- court codes ---------------------------------------------------------------------------
    def court_codes(self) -> list[CodeRow]:
        with self._read() as s:
            uses = dict(
                s.execute(select(Case.court_code, func.count()).group_by(Case.court_code)).all()
            )
            return [
                CodeRow(c.code, c.name, c.note, c.confidence, uses.get(c.code, 0))
                for c in s.scalars(select(CourtCode).order_by(CourtCode.code))
            ]

    @guarded("admin.code_tables", via=False)
    def save_court_code(self, code: str, name: str, note: str = "", confidence: str = "M") -> None:
        """Add a court code, or change the name of one (a code itself is added or deleted)."""
        code, name, note = clean_text(code), clean_text(name), clean_text(note)
        errors = {}
        if problems := court_code_errors(code):
            errors["code"] = "；".join(problems)
        if not name:
            errors["name"] = "请填写法院名称"
        if confidence not in CONFIDENCE:
            errors["confidence"] = "可信度应为 H、M 或 L"
        if errors:
            raise FieldErrors(errors)
        self._save(CourtCode, "court_code", code, name=name, note=note,
                   confidence=confidence)  # fmt: skip

    @guarded("admin.code_tables", via=False)
    def delete_court_code(self, code: str) -> None:
        self._delete(CourtCode, "court_code", code, Case.court_code == code)

    # -- case type codes -----------------------------------------------------------------------
    def type_codes(self) -> list[CodeRow]:
        with self._read() as s:
            uses = dict(
                s.execute(select(Case.type_code, func.count()).group_by(Case.type_code)).all()
            )
            return [
                CodeRow(t.code, t.name, t.family, t.confidence, uses.get(t.code, 0))
                for t in s.scalars(select(CaseTypeCode).order_by(CaseTypeCode.family))
            ]

    @guarded("admin.code_tables", via=False)
    def save_type_code(self, code: str, family: str, name: str, confidence: str = "M") -> None:
        code, name = clean_text(code), clean_text(name)
        errors = {}
        if problems := type_code_errors(code):
            errors["code"] = "；".join(problems)
        if family not in TYPE_FAMILIES:
            errors["family"] = "请选择类别"
        if not name:
            errors["name"] = "请填写名称"
        if confidence not in CONFIDENCE:
            errors["confidence"] = "可信度应为 H、M 或 L"
        if errors:
            raise FieldErrors(errors)
        self._save(CaseTypeCode, "case_type_code", code, family=family, name=name,
                   confidence=confidence)  # fmt: skip

    @guarded("admin.code_tables", via=False)
    def delete_type_code(self, code: str) -> None:
        self._delete(CaseTypeCode, "case_type_code", code, Case.type_code == code)

    # -- shared ---------------------------------------------------------------------------------
    def _save(self, model: type, entity: str, code: str, **values: str) -> None:
        with self._uow() as uow:
            s = uow.session
            row = s.get(model, code)
            if row is None:
                s.add(model(code=code, **values))
                uow.audit("create", entity, code, code, {k: (None, v) for k, v in values.items()})
            else:
                changes = {
                    k: (getattr(row, k), v) for k, v in values.items() if getattr(row, k) != v
                }
                if not changes:
                    return
                for k, (_o, v) in changes.items():
                    setattr(row, k, v)
                uow.audit("update", entity, code, code, changes)
            uow.commit()

    def _delete(self, model: type, entity: str, code: str, used) -> None:  # type: ignore[no-untyped-def]
        with self._uow() as uow:
            s = uow.session
            row = s.get(model, code)
            if row is None:
                raise NotFound(f"找不到代字“{code}”")
            count = s.scalar(select(func.count()).select_from(Case).where(used)) or 0
            if count:
                raise ServiceError(f"有 {count} 件案件使用代字“{code}”，不能删除")
            uow.audit("delete", entity, code, code, {"name": (row.name, None)})
            s.delete(row)
            uow.commit()

    # -- tags -----------------------------------------------------------------------------------
    def tags(self) -> list[TagRow]:
        with self._read() as s:
            uses = dict(
                s.execute(select(CaseTag.tag_id, func.count()).group_by(CaseTag.tag_id)).all()
            )
            return [
                TagRow(t.id.hex, t.name, uses.get(t.id, 0))
                for t in s.scalars(select(Tag).order_by(Tag.position, Tag.name))
            ]

    @guarded("admin.code_tables", via=False)
    def add_tag(self, name: str) -> str:
        name = self._tag_name(name)
        with self._uow() as uow:
            s = uow.session
            if s.scalar(select(Tag.id).where(Tag.name == name)):
                raise FieldErrors({"name": f"标签“{name}”已存在"})
            position = (s.scalar(select(func.max(Tag.position))) or 0) + 1
            tag = Tag(id=uuid.uuid4(), name=name, position=position)
            s.add(tag)
            uow.audit("create", "tag", tag.id, name, {"name": (None, name)})
            uow.commit()
            return tag.id.hex

    @guarded("admin.code_tables", via=False)
    def rename_tag(self, tag_id: str, name: str) -> None:
        name = self._tag_name(name)
        with self._uow() as uow:
            s = uow.session
            tag = s.get(Tag, parse_id(tag_id, "标签"))
            if tag is None:
                raise NotFound("找不到该标签")
            other = s.scalar(select(Tag.id).where(Tag.name == name))
            if other is not None and other != tag.id:
                raise FieldErrors({"name": f"标签“{name}”已存在"})
            if tag.name == name:
                return
            uow.audit("update", "tag", tag.id, name, {"name": (tag.name, name)})
            tag.name = name
            uow.commit()

    @guarded("admin.code_tables", via=False)
    def delete_tag(self, tag_id: str) -> None:
        with self._uow() as uow:
            s = uow.session
            tag = s.get(Tag, parse_id(tag_id, "标签"))
            if tag is None:
                raise NotFound("找不到该标签")
            count = s.scalar(select(func.count()).where(CaseTag.tag_id == tag.id)) or 0
            if count:
                raise ServiceError(f"有 {count} 件案件使用标签“{tag.name}”，请先从这些案件中移除")
            uow.audit("delete", "tag", tag.id, tag.name, {"name": (tag.name, None)})
            s.delete(tag)
            uow.commit()

    @staticmethod
    def _tag_name(name: str) -> str:
        name = clean_text(name)
        if not name:
            raise FieldErrors({"name": "请填写标签名称"})
        if len(name) > 40:
            raise FieldErrors({"name": "标签名称最多40个字"})
        return name
