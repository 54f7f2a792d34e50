"""登记新案件: the case form in a dialog; on success the new case opens at its parties."""

from __future__ import annotations

from casedesk.services.app import Services
from casedesk.ui.cases.case_form import CaseForm
from casedesk.ui.ops import Failed, attempt
from casedesk.ui.qt import QDialog, QMessageBox, QVBoxLayout, QWidget
from casedesk.ui.widgets.buttons import dialog_buttons


class NewCaseDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("登记新案件")
        self.setObjectName("newCaseDialog")
        self.services = services
        self.case_id: str | None = None
        self.form = CaseForm(services, new=True)
        self.buttons = dialog_buttons("保存(&S)", self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.resize(720, 520)

    def save(self) -> None:
        if not self.form.validate(show_all=True):
            return
        try:
            draft = attempt(self, self.form.draft, grid=self.form.grid)
            result = attempt(self, self.services.cases.create, draft, grid=self.form.grid)
        except Failed:
            return
        self.case_id = result.id
        self.form.mark_saved()
        self.accept()

    def reject(self) -> None:
        if self.form.is_dirty():
            answer = QMessageBox.question(
                self,
                "放弃登记",
                "已填写的内容尚未保存，确定放弃吗？",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
