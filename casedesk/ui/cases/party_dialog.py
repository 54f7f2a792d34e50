"""添加当事人: choose a role, then pick an enterprise or person already registered (search by
name or identifier) or register a new one on the spot."""

from __future__ import annotations

from casedesk.domain.identifiers import validate_credit_code, validate_id_number
from casedesk.domain.vocabulary import PARTY_ROLES
from casedesk.services.app import Services
from casedesk.services.dto import SubjectMatch
from casedesk.ui.enterprises.enterprise_form import EnterpriseForm
from casedesk.ui.ops import Failed, attempt
from casedesk.ui.persons.person_form import PersonForm
from casedesk.ui.qt import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.widgets.buttons import dialog_buttons

ROLE_HINTS = {
    "刑事": ("犯罪嫌疑单位", "犯罪嫌疑人", "被告单位", "被告人", "被害单位", "被害人"),
    "执行": ("申请执行人", "被执行人", "案外人"),
    "破产": ("债务人", "债权人", "管理人", "申请人"),
}
NEW_NOTE = "未选中已登记的当事人时，按下方信息新建。"


class PartyDialog(QDialog):
    def __init__(
        self, services: Services, case_id: str, family: str, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle("添加当事人")
        self.setObjectName("partyDialog")
        self.services = services
        self.case_id = case_id
        self.party_id: str | None = None

        self.role = QComboBox()
        self.role.setObjectName("role")
        preferred = ROLE_HINTS.get(family, ("原告", "被告", "第三人"))
        for role in (*preferred, *(r for r in PARTY_ROLES if r not in preferred)):
            self.role.addItem(role, role)
        self.as_enterprise = QRadioButton("企业")
        self.as_enterprise.setChecked(True)
        self.as_person = QRadioButton("个人")
        self.search = QLineEdit()
        self.search.setObjectName("subjectSearch")
        self.search.setPlaceholderText("输入名称、统一社会信用代码或身份证号码查找已登记的当事人")
        self.matches = QListWidget()
        self.matches.setObjectName("subjectMatches")
        self.matches.setMaximumHeight(130)
        self.enterprise_form = EnterpriseForm()
        self.person_form = PersonForm()
        self.forms = QStackedWidget()
        self.forms.addWidget(self.enterprise_form)
        self.forms.addWidget(self.person_form)
        self.choice_note = QLabel(NEW_NOTE)
        self.choice_note.setStyleSheet("color: #5f6368;")

        kind = QHBoxLayout()
        kind.addWidget(QLabel("诉讼地位："))
        kind.addWidget(self.role)
        kind.addSpacing(20)
        kind.addWidget(self.as_enterprise)
        kind.addWidget(self.as_person)
        kind.addStretch(1)
        buttons = dialog_buttons("添加", self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(kind)
        layout.addWidget(self.search)
        layout.addWidget(self.matches)
        layout.addWidget(self.choice_note)
        layout.addWidget(self.forms)
        layout.addWidget(buttons)
        self.resize(640, 560)

        self.as_enterprise.toggled.connect(self._kind_changed)
        self.search.textChanged.connect(self._find)
        self.matches.itemSelectionChanged.connect(self._selection_changed)

    def is_enterprise(self) -> bool:
        return self.as_enterprise.isChecked()

    def selected(self) -> SubjectMatch | None:
        items = self.matches.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _kind_changed(self) -> None:
        self.forms.setCurrentIndex(0 if self.is_enterprise() else 1)
        self._find()

    def _find(self) -> None:
        text = self.search.text().strip()
        self.matches.clear()
        if not text:
            return
        finder = self.services.enterprises if self.is_enterprise() else self.services.persons
        for match in finder.find(text):
            label = f"{match.name}　{match.identifier}　{match.detail}".strip()
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, match)
            self.matches.addItem(item)
        if self.matches.count() == 0:
            self._prefill_new(text)

    def _prefill_new(self, text: str) -> None:
        """Nothing found: carry what was typed into the form for a new record."""
        if self.is_enterprise():
            field = "credit_code" if validate_credit_code(text).valid else "name"
            self.enterprise_form.fields[field].setText(text)  # type: ignore[union-attr]
        else:
            field = "id_number" if validate_id_number(text).valid else "name"
            self.person_form.fields[field].setText(text)  # type: ignore[union-attr]

    def _selection_changed(self) -> None:
        match = self.selected()
        self.forms.setEnabled(match is None)
        self.choice_note.setText(
            f"将添加已登记的“{match.name}”。"
            if match
            else "未选中已登记的当事人时，按下方信息新建。"
        )

    def save(self) -> None:
        role = self.role.currentData()
        match = self.selected()
        try:
            if match is not None:
                key = "enterprise_id" if match.kind == "enterprise" else "person_id"
                self.party_id = attempt(
                    self, self.services.parties.add, self.case_id, role, **{key: match.id}
                )
            else:
                form = self.enterprise_form if self.is_enterprise() else self.person_form
                if not form.validate(show_all=True):
                    return
                key = "new_enterprise" if self.is_enterprise() else "new_person"
                self.party_id = attempt(
                    self,
                    self.services.parties.add,
                    self.case_id,
                    role,
                    grid=form.grid,
                    **{key: form.draft()},
                )
        except Failed:
            return
        self.accept()
