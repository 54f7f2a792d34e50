"""The administrator's side of suggestion documents: the issuing units' names, the number
pattern and the wording blocks per unit and kind — each save one audited unit of work."""

from __future__ import annotations

import re
import unicodedata

from casedesk.domain import documents as dm
from casedesk.domain.doc_templates import Wording, check_wording
from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.field_types import check_text_arg, text_problem
from casedesk.services.base import Service, guarded
from casedesk.services.suggestions_dto import PatternView, TemplateView, UnitNames
from casedesk.services.suggestions_records import (
    COURT_UNIT_KEY,
    PROCURATORATE_UNIT_KEY,
    court_code_of,
    pattern_for,
    unit_names,
    wording_for,
)
from casedesk.store import audit
from casedesk.store.models import AppSetting
from casedesk.store.suggestion_models import SuggestionPattern, SuggestionTemplate

UNIT_LIMIT = 100


def check_unit_kind(unit: str, kind: str) -> str:
    check_text_arg("unit", unit, "发文单位")
    unit = clean_text(unit)
    errors = {}
    if not unit:
        errors["unit"] = "请填写发文单位全称"
    elif len(unit) > UNIT_LIMIT or any(unicodedata.category(c) == "Cc" for c in unit):
        errors["unit"] = f"发文单位名称应为一行，最多{UNIT_LIMIT}个字"
    if not isinstance(kind, str) or kind not in dm.KINDS:
        errors["kind"] = "请选择文书种类"
    if errors:
        raise FieldErrors(errors)
    return unit


class SuggestionAdmin(Service):
    """Units, number patterns and wording blocks (the administrator's settings)."""

    # -- the issuing units ------------------------------------------------------------------------
    def unit_names(self) -> UnitNames:
        with self._read() as s:
            return unit_names(s)

    @guarded("admin.settings", via=False)
    def set_unit_names(self, court: str, procuratorate: str) -> UnitNames:
        """The full names drafts take as issuer: the court's (else the court code table's name
        of the case's court) and the procuratorate's."""
        for key, value in (("court", court), ("procuratorate", procuratorate)):
            check_text_arg(key, value, "单位名称")
        new = UnitNames(clean_text(court), clean_text(procuratorate))
        for key, value in (("court", new.court), ("procuratorate", new.procuratorate)):
            # the issuer of every new draft, where a control character is refused
            if len(value) > UNIT_LIMIT or any(unicodedata.category(c) == "Cc" for c in value):
                raise FieldErrors({key: f"单位名称应为一行，最多{UNIT_LIMIT}个字"})
        with self._uow() as uow:
            s, changes = uow.session, {}
            for key, value in ((COURT_UNIT_KEY, new.court), (PROCURATORATE_UNIT_KEY,
                                                              new.procuratorate)):  # fmt: skip
                row = s.get(AppSetting, key)
                if (row.value if row else "") != value:
                    changes[key] = (row.value if row else "", value)
                    row = row or AppSetting(key=key)
                    row.value = value
                    s.add(row)
            if changes:
                uow.audit("update", "app_setting", "suggestions.unit", "建议书发文单位", changes)
            uow.commit()
        return new

    # -- number patterns --------------------------------------------------------------------------
    def pattern(self, unit: str, kind: str) -> PatternView:
        unit = check_unit_kind(unit, kind)
        with self._read() as s:
            pattern, saved = pattern_for(s, unit, kind)
        return PatternView(unit, kind, pattern, saved)

    @guarded("admin.settings", via=False)
    def set_pattern(
        self, unit: str, kind: str, pattern: str, fields: dict[str, str] | None = None
    ) -> PatternView:
        """Save the unit's pattern for the kind, e.g. ``{abbr}检{dept}建〔{year}〕{n}号`` with
        fields {"abbr": "乌", "dept": "民"} → 乌检民建〔{year}〕{n}号. A court's {court} is its
        code in the court code table when not given. Checked with ``check_pattern``."""
        unit = check_unit_kind(unit, kind)
        check_text_arg("pattern", pattern, "编号格式")
        text = clean_text(pattern)
        if not text:
            raise FieldErrors({"pattern": "请填写编号格式，如 新01法建〔{year}〕{n}号"})
        if fields is not None and (
            not isinstance(fields, dict)
            or not all(isinstance(k, str) and re.fullmatch(r"\w+", k) for k in fields)
        ):
            raise FieldErrors({"pattern": "编号格式中的代字有误，请直接填写完整的编号格式"})
        with self._uow() as uow:
            s = uow.session
            given = dict(fields or {})
            code = court_code_of(s, unit)
            if code:
                given.setdefault("court", code)
            for name, value in given.items():
                value = clean_text(value)
                if text_problem(value) or not value or any(ch in value for ch in "{}〔〕\n"):
                    raise FieldErrors({name: f"“{{{name}}}”应填写单位代字，如 乌、民、新01"})
                text = text.replace("{" + name + "}", value)
            text = dm.check_pattern(text)
            if len(text) > 100:
                raise FieldErrors({"pattern": "编号格式过长（最多100个字）"})
            row = s.get(SuggestionPattern, (unit, kind))
            old = row.pattern if row else ""
            row = row or SuggestionPattern(unit=unit, kind=kind)
            row.pattern, row.updated_at, row.updated_by = text, audit.utcnow(), self.actor
            s.add(row)
            uow.audit("update", "suggestion_pattern", f"{unit}/{kind}", f"{unit}{kind}编号格式",
                      {"pattern": (old, text)})  # fmt: skip
            uow.commit()
        return PatternView(unit, kind, text, True)

    # -- wording blocks ---------------------------------------------------------------------------
    def template(self, unit: str, kind: str) -> TemplateView:
        unit = check_unit_kind(unit, kind)
        with self._read() as s:
            wording, saved = wording_for(s, unit, kind)
        return TemplateView(unit, kind, wording.opening, wording.reply, wording.closing, saved)

    @guarded("admin.settings", via=False)
    def set_template(self, unit: str, kind: str, wording: Wording) -> TemplateView:
        """Save the unit's wording blocks for the kind (placeholders checked)."""
        unit = check_unit_kind(unit, kind)
        wording = check_wording(wording)
        with self._uow() as uow:
            s = uow.session
            row = s.get(SuggestionTemplate, (unit, kind))
            old, _saved = wording_for(s, unit, kind)
            row = row or SuggestionTemplate(unit=unit, kind=kind)
            row.opening, row.reply, row.closing = wording.opening, wording.reply, wording.closing
            row.updated_at, row.updated_by = audit.utcnow(), self.actor
            s.add(row)
            changes = {k: (getattr(old, k), getattr(wording, k))
                       for k in ("opening", "reply", "closing")
                       if getattr(old, k) != getattr(wording, k)}  # fmt: skip
            uow.audit("update", "suggestion_template", f"{unit}/{kind}", f"{unit}{kind}文书模板",
                      changes)  # fmt: skip
            uow.commit()
        return TemplateView(unit, kind, wording.opening, wording.reply, wording.closing, True)
