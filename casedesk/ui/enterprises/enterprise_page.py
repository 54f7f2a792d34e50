"""One enterprise: its record (editable), every case it takes part in, and everything seized
from it (查封、扣押、冻结) across those cases."""

from __future__ import annotations

from casedesk.domain.dates import format_date
from casedesk.services.app import Services
from casedesk.services.dto import EnterpriseDetail, SubjectCase
from casedesk.ui.bus import Bus
from casedesk.ui.cases.case_tabs import RecordTable
from casedesk.ui.enterprises.enterprise_form import EnterpriseForm
from casedesk.ui.measure_lists.enterprise_seized import IN_FORCE, SeizedPropertySection
from casedesk.ui.ops import Failed, ask_to_save, attempt
from casedesk.ui.qt import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)


def _case_cells(c: SubjectCase) -> tuple[str, ...]:
    accepted, closed = format_date(c.accepted_on), format_date(c.closed_on)
    return (c.case_number, c.role, c.family, c.cause, c.stage, accepted, closed)


TAB_CASES, TAB_SEIZED = range(2)


class EnterprisePage(QWidget):
    title_changed = Signal(str)
    open_measure = Signal(str, str)  # case id, property measure id

    def __init__(
        self, services: Services, bus: Bus, enterprise_id: str, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.services = services
        self.bus = bus
        self.enterprise_id = enterprise_id
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.form = EnterpriseForm()
        self.save_button = QPushButton("保存 (Ctrl+S)")
        self.save_button.setObjectName("saveEnterprise")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("撤销修改")
        self.revert_button.clicked.connect(lambda: self._show(self.detail))
        self.cases = RecordTable(
            ("案号", "诉讼地位", "类别", "案由/罪名", "阶段", "收案日期", "结案日期"),
            "enterpriseCases",
        )
        self.cases.doubleClicked.connect(self._open_case)
        self.seized = SeizedPropertySection()
        self.seized.open_measure.connect(self.open_measure)
        self.sections = QTabWidget()
        self.sections.setObjectName("enterpriseSections")
        self.sections.addTab(self.cases, "涉及案件")
        self.sections.addTab(self.seized, "被查扣冻财产")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.sections, 1)
        self.form.changed.connect(self._update_buttons)
        bus.case_changed.connect(lambda _id: self.reload() if not self.is_dirty() else None)
        self.detail: EnterpriseDetail = services.enterprises.get(enterprise_id)
        self._show(self.detail)

    def title(self) -> str:
        name = self.detail.draft.name
        return (name if len(name) <= 14 else name[:13] + "…") + (" *" if self.is_dirty() else "")

    def _show(self, detail: EnterpriseDetail) -> None:
        self.detail = detail
        self.form.load(detail.draft)
        self.heading.setText(detail.draft.name)
        self.sections.setTabText(TAB_CASES, f"涉及案件（{len(detail.cases)} 件）")
        self.cases.fill([(c.case_id, _case_cells(c)) for c in detail.cases])
        self._show_seized()
        self._update_buttons()

    def _show_seized(self) -> None:
        views = self.services.property_measures.for_enterprise(self.enterprise_id)
        self.seized.show_measures(views)
        held = sum(v.status in IN_FORCE for v in views)
        self.sections.setTabText(TAB_SEIZED, f"被查扣冻财产（在控 {held} 项）" if held else
                                 "被查扣冻财产")  # fmt: skip

    def reload(self) -> None:
        self._show(self.services.enterprises.get(self.enterprise_id))

    def is_dirty(self) -> bool:
        return self.form.is_dirty()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.is_dirty())
        self.revert_button.setEnabled(self.is_dirty())
        self.title_changed.emit(self.title())

    def save(self) -> bool:
        if not self.is_dirty():
            return True
        if not self.form.validate(show_all=True):
            return False
        try:
            attempt(
                self,
                self.services.enterprises.update,
                self.enterprise_id,
                self.form.draft(),
                self.detail.version,
                grid=self.form.grid,
            )
        except Failed:
            return False
        self.form.mark_saved()
        self.reload()
        self.bus.enterprise_changed.emit(self.enterprise_id)
        return True

    def settle(self) -> bool:
        """Save or discard pending edits before the page closes; False to stay."""
        if not self.is_dirty():
            return True
        answer = ask_to_save(self, f"企业“{self.detail.draft.name}”")
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _open_case(self) -> None:
        if case_id := self.cases.selected_id():
            self.bus.open_case.emit(case_id)
