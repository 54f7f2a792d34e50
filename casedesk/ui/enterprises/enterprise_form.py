"""The enterprise form; the credit code is checked (GB 32100-2015) while it is typed."""

from __future__ import annotations

import dataclasses

from casedesk.domain.drafts import EnterpriseDraft, check_enterprise
from casedesk.domain.identifiers import validate_credit_code
from casedesk.domain.vocabulary import OWNERSHIPS, SIZES
from casedesk.ui.qt import QWidget
from casedesk.ui.subject_form import SubjectForm


class EnterpriseForm(SubjectForm):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(check_enterprise, parent)
        self.add_line("name", "企业名称", "营业执照上的全称", span=2)
        self.add_line("credit_code", "统一社会信用代码", "18位，小写字母亦可", span=2)
        self.add_choice("ownership", "所有制", OWNERSHIPS)
        self.add_choice("size", "企业规模", SIZES)
        self.add_line("industry", "所属行业")
        self.add_line("legal_representative", "法定代表人")
        self.add_line("address", "住所地", span=2)
        self.add_line("contact", "联系方式", span=2)

    def draft(self) -> EnterpriseDraft:
        return EnterpriseDraft(**self.values())

    def load(self, draft: EnterpriseDraft) -> None:
        self.set_values(dataclasses.asdict(draft))

    def after_validate(self, errors: dict[str, str]) -> None:
        code = self.values()["credit_code"]
        if code.strip() and "credit_code" not in errors:
            result = validate_credit_code(code)
            parts = result.parts
            text = " · ".join(
                x for x in (parts.get("registration_authority_name"),
                            parts.get("institution_category_name"),
                            f"区划 {parts.get('region_code')}") if x
            )  # fmt: skip
            if result.normalized != code:
                text = f"将保存为 {result.normalized}（{text}）"
            self.grid.set_hint("credit_code", text)
