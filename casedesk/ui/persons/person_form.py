"""The person form; the ID number is checked (GB 11643-1999) while it is typed."""

from __future__ import annotations

import dataclasses

from casedesk.domain.drafts import PersonDraft, check_person
from casedesk.domain.identifiers import validate_id_number
from casedesk.ui.qt import QWidget
from casedesk.ui.subject_form import SubjectForm


class PersonForm(SubjectForm):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(check_person, parent)
        self.add_line("name", "姓名", span=2)
        self.add_line("id_number", "身份证号码", "18位（或15位旧号码），可不填", span=2)
        self.add_line("contact", "联系方式", span=2)
        self.add_line("address", "住址", span=2)

    def draft(self) -> PersonDraft:
        return PersonDraft(**self.values())

    def load(self, draft: PersonDraft) -> None:
        self.set_values(dataclasses.asdict(draft))

    def after_validate(self, errors: dict[str, str]) -> None:
        number = self.values()["id_number"]
        if number.strip() and "id_number" not in errors:
            result = validate_id_number(number)
            parts = result.parts
            text = f"出生日期 {parts['birth_date']} · {parts['gender']}"
            if result.normalized != number:
                text = f"将保存为 {result.normalized}（{text}）"
            self.grid.set_hint("id_number", text)
