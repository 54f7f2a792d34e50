"""Edit a registered person (name, ID number, contact, address)."""

from __future__ import annotations

from casedesk.services.app import Services
from casedesk.ui.ops import Failed, attempt
from casedesk.ui.persons.person_form import PersonForm
from casedesk.ui.qt import QDialog, QLabel, QVBoxLayout, QWidget
from casedesk.ui.widgets.buttons import dialog_buttons


class PersonDialog(QDialog):
    def __init__(self, services: Services, person_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("编辑个人信息")
        self.services = services
        self.detail = services.persons.get(person_id)
        self.form = PersonForm()
        self.form.load(self.detail.draft)
        cases = "、".join(c.case_number for c in self.detail.cases[:5])
        more = f"等 {len(self.detail.cases)} 件" if len(self.detail.cases) > 5 else ""
        note = QLabel(f"涉及案件：{cases}{more}" if cases else "尚未涉及案件")
        note.setWordWrap(True)
        buttons = dialog_buttons("保存", self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def save(self) -> None:
        if not self.form.validate(show_all=True):
            return
        try:
            attempt(
                self,
                self.services.persons.update,
                self.detail.id,
                self.form.draft(),
                self.detail.version,
                grid=self.form.grid,
            )
        except Failed:
            return
        self.accept()
