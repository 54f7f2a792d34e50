"""One case: basic information, parties, timeline, deadlines, compulsory measures, compliance
(criminal cases), enforcement (执行 cases), suggestion documents and history in tabs."""

from __future__ import annotations

from casedesk.services.app import Services
from casedesk.services.cases import CaseService
from casedesk.services.dto import CaseDetail, PartyView
from casedesk.services.errors import NotFound
from casedesk.ui.bus import Bus
from casedesk.ui.cases.case_form import CaseForm
from casedesk.ui.cases.case_tabs import HistoryTab, PartiesTab, TimelineTab
from casedesk.ui.cases.party_dialog import PartyDialog
from casedesk.ui.cases.permits import action_of, permit
from casedesk.ui.cases.recycle_bin import RecycleBinDialog
from casedesk.ui.cases.stage_dialog import MoveEntryDialog, StageDialog
from casedesk.ui.compliance.tab import FAMILIES as COMPLIANCE_FAMILIES
from casedesk.ui.compliance.tab import ComplianceTab
from casedesk.ui.deadlines.case_tab import DeadlinesTab
from casedesk.ui.enforcement.tab import FAMILY as ENFORCEMENT_FAMILY
from casedesk.ui.enforcement.tab import EnforcementTab
from casedesk.ui.measures.case_tab import MeasuresTab
from casedesk.ui.ops import Failed, ask_to_save, attempt
from casedesk.ui.persons.person_dialog import PersonDialog
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
from casedesk.ui.suggestions.tab import SuggestionsTab

(TAB_BASIC, TAB_PARTIES, TAB_TIMELINE, TAB_DEADLINES, TAB_MEASURES, TAB_COMPLIANCE,
 TAB_ENFORCEMENT, TAB_SUGGESTIONS, TAB_HISTORY) = range(9)  # fmt: skip
#: The actions behind the basic-information buttons (saving checks ``case.edit`` for the fields
#: and ``case.assign`` for a new handler: CaseService.update).
EDIT, ASSIGN = action_of(CaseService.update), "case.assign"
DELETE, RESTORE = action_of(CaseService.delete), action_of(CaseService.restore)


class CasePage(QWidget):
    title_changed = Signal(str)

    def __init__(self, services: Services, bus: Bus, case_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.bus = bus
        self.case_id = case_id
        self.detail: CaseDetail = services.cases.get(case_id)

        self.heading = QLabel()
        self.heading.setObjectName("caseHeading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.subheading = QLabel()
        self.subheading.setStyleSheet("color: #5f6368;")
        self.deleted_banner = QLabel("该案件已删除（在回收站中）。")
        self.deleted_banner.setStyleSheet("background: #fdecea; color: #c62828; padding: 6px;")
        self.read_only_banner = QLabel()
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet("background: #eef3fb; color: #1a4480; padding: 6px;")
        self.restore_button = QPushButton("恢复该案件")
        self.restore_button.clicked.connect(self.restore)

        self.form = CaseForm(services, new=False)
        self.save_button = QPushButton("保存 (Ctrl+S)")
        self.save_button.setObjectName("saveCase")
        self.revert_button = QPushButton("撤销修改")
        self.delete_button = QPushButton("删除案件…")
        self.bin_button = QPushButton("回收站…")
        self.bin_button.setToolTip("本案已删除的时间线记录、当事人和建议书草稿，可恢复")
        self.bin_button.clicked.connect(self.open_recycle_bin)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.delete_button.clicked.connect(self.delete)
        basic = QWidget()
        basic_buttons = QHBoxLayout()
        basic_buttons.addWidget(self.save_button)
        basic_buttons.addWidget(self.revert_button)
        basic_buttons.addStretch(1)
        basic_buttons.addWidget(self.bin_button)
        basic_buttons.addWidget(self.delete_button)
        basic_layout = QVBoxLayout(basic)
        basic_layout.addWidget(self.form, 1)
        basic_layout.addLayout(basic_buttons)

        self.parties = PartiesTab()
        self.timeline = TimelineTab()
        self.deadlines = DeadlinesTab(services, case_id)
        self.measures = MeasuresTab(services, case_id)
        self.compliance = ComplianceTab(services, case_id)
        self.enforcement = EnforcementTab(services, case_id)
        self.suggestions = SuggestionsTab(services, case_id)
        self.history = HistoryTab()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("caseTabs")
        self.tabs.addTab(basic, "基本信息")
        self.tabs.addTab(self.parties, "当事人")
        self.tabs.addTab(self.timeline, "时间线")
        self.tabs.addTab(self.deadlines, "期限")
        self.tabs.addTab(self.measures, "强制措施")
        self.tabs.addTab(self.compliance, "合规考察")
        self.tabs.addTab(self.enforcement, "执行")
        self.tabs.addTab(self.suggestions, "建议书")
        self.tabs.addTab(self.history, "历史记录")

        banner = QHBoxLayout()
        banner.addWidget(self.deleted_banner, 1)
        banner.addWidget(self.restore_button)
        banner.addWidget(self.read_only_banner, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addLayout(banner)
        layout.addWidget(self.tabs, 1)

        self.form.changed.connect(self._update_buttons)
        self.parties.add_requested.connect(self.add_party)
        self.parties.remove_requested.connect(self.remove_party)
        self.parties.open_requested.connect(self.open_party)
        self.timeline.record_requested.connect(self.record_stage)
        self.timeline.remove_requested.connect(self.remove_event)
        self.timeline.move_requested.connect(self.move_event)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.deadlines.changed.connect(self._deadlines_changed)
        self.measures.changed.connect(self._measures_changed)
        self.compliance.changed.connect(self._measures_changed)
        self.enforcement.changed.connect(self._measures_changed)
        self.suggestions.changed.connect(self._measures_changed)
        self.measures.title_changed.connect(lambda text: self.tabs.setTabText(TAB_MEASURES, text))
        self._show(self.detail)

    # -- showing ----------------------------------------------------------------------------------
    def title(self) -> str:
        return self.detail.case_number + (" *" if self.is_dirty() else "")

    def _show(self, detail: CaseDetail) -> None:
        self.detail = detail
        self.form.load(detail)
        self.heading.setText(detail.case_number)
        parts = [detail.family, detail.procedure, detail.cause, f"阶段：{detail.stage}"]
        if detail.court_name:
            parts.insert(0, detail.court_name)
        if detail.handler:
            parts.append(f"承办人：{detail.handler}")
        self.subheading.setText("　·　".join(p for p in parts if p))
        editable, no = not detail.deleted, detail.refusal
        self.deleted_banner.setVisible(detail.deleted)
        self.restore_button.setVisible(detail.deleted)
        # a case the user may read but not edit says so once, not only button by button
        self.read_only_banner.setVisible(not detail.deleted and bool(no(EDIT)))
        self.read_only_banner.setText(f"{no(EDIT)}其他灰色的按钮，鼠标停在按钮上可见由谁进行。")
        permit(self.restore_button, no(RESTORE))
        self.form.setEnabled(editable)
        self.form.set_permits(no(EDIT), no(ASSIGN))
        permit(self.delete_button, no(DELETE), editable)
        self.parties.show_parties(detail.parties, editable, no)
        self.timeline.show_events(detail.events, editable, no)
        self.deadlines.show_deadlines(editable, refusal=no)
        self.measures.show_measures(detail, editable)
        self.compliance.show_case(detail, editable)
        self.tabs.setTabVisible(TAB_COMPLIANCE, detail.family in COMPLIANCE_FAMILIES)
        self.enforcement.show_case(detail, editable)
        self.tabs.setTabVisible(TAB_ENFORCEMENT, detail.family == ENFORCEMENT_FAMILY)
        self.suggestions.show_case(detail, editable)
        if self.tabs.currentIndex() == TAB_HISTORY:
            self.history.show_history(self.services.cases.history(self.case_id))
        self._update_buttons()

    def reload(self) -> None:
        try:
            self._show(self.services.cases.get(self.case_id))
        except NotFound as exc:
            QMessageBox.warning(self, "案件", str(exc))

    def _tab_changed(self, index: int) -> None:
        if index == TAB_HISTORY:
            self.history.show_history(self.services.cases.history(self.case_id))
        elif index == TAB_MEASURES:
            self.measures.ensure_loaded()
        elif index == TAB_COMPLIANCE:
            self.compliance.ensure_loaded()
        elif index == TAB_ENFORCEMENT:
            self.enforcement.ensure_loaded()
        elif index == TAB_SUGGESTIONS:
            self.suggestions.ensure_loaded()

    def _update_buttons(self) -> None:
        dirty, no = self.is_dirty(), self.detail.refusal
        refused = no(EDIT) if no(EDIT) and no(ASSIGN) else ""  # one of them lets a change save
        permit(self.save_button, refused, dirty and not self.detail.deleted)
        self.revert_button.setEnabled(dirty)
        self.title_changed.emit(self.title())

    # -- basic information ------------------------------------------------------------------------
    def is_dirty(self) -> bool:
        return self.form.is_dirty()

    def save(self) -> bool:
        """Save the basic information; True when saved (or nothing to save)."""
        if not self.is_dirty():
            return True
        if not self.form.validate(show_all=True):
            self.tabs.setCurrentIndex(TAB_BASIC)
            return False
        try:
            draft = attempt(self, self.form.draft, grid=self.form.grid)
            attempt(
                self,
                self.services.cases.update,
                self.case_id,
                draft,
                self.detail.version,
                grid=self.form.grid,
            )
        except Failed:
            self.tabs.setCurrentIndex(TAB_BASIC)
            return False
        self.form.mark_saved()
        self._changed()
        return True

    def revert(self) -> None:
        self._show(self.detail)

    def delete(self) -> None:
        answer = QMessageBox.question(
            self,
            "删除案件",
            f"确定删除案件 {self.detail.case_number} 吗？\n"
            "删除后可在回收站（编辑 → 回收站）恢复，内容和历史记录都保留。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            attempt(self, self.services.cases.delete, self.case_id)
        except Failed:
            return
        self.reload()
        self.bus.cases_changed.emit()

    def restore(self) -> None:
        try:
            attempt(self, self.services.cases.restore, self.case_id)
        except Failed:
            return
        self.reload()
        self.bus.cases_changed.emit()

    # -- parties and timeline ---------------------------------------------------------------------
    def add_party(self) -> None:
        if not self.settle():
            return
        dialog = PartyDialog(self.services, self.case_id, self.detail.family, self)
        if dialog.exec():
            self._changed()

    def remove_party(self, party_id: str) -> None:
        if not self.settle():
            return
        party = next(p for p in self.detail.parties if p.id == party_id)
        answer = QMessageBox.question(
            self,
            "移除当事人",
            f"确定从本案移除{party.role}“{party.name}”吗？\n移除后可在回收站恢复。",
        )
        if answer == QMessageBox.StandardButton.Yes:
            try:
                attempt(self, self.services.parties.remove, party_id)
            except Failed:
                return
            self._changed()

    def open_party(self, party: PartyView) -> None:
        if party.kind == "enterprise":
            self.bus.open_enterprise.emit(party.subject_id)
        elif self.settle() and PersonDialog(self.services, party.subject_id, self).exec():
            self._changed()

    def record_stage(self) -> None:
        if not self.settle():
            return
        if StageDialog(self.services, self.detail, self).exec():
            self._changed()

    def move_event(self, event_id: str) -> None:
        """Correct an entry's date; the periods a 期限事件 started are counted again."""
        if not self.settle():
            return
        entry = next(e for e in self.detail.events if e.id == event_id)
        dialog = MoveEntryDialog(self.services, entry, self)
        if dialog.exec():
            self._changed()
            self.bus.deadlines_changed.emit()

    def remove_event(self, event_id: str) -> None:
        if not self.settle():
            return
        entry = next(e for e in self.detail.events if e.id == event_id)
        more = "由它起算的期限将撤销，恢复时重新打开。" if entry.kind == "trigger" else ""
        answer = QMessageBox.question(
            self, "删除记录", f"确定删除这条时间线记录吗？\n删除后可在回收站恢复。{more}"
        )
        if answer == QMessageBox.StandardButton.Yes:
            try:
                attempt(self, self.services.timeline.remove_entry, event_id)
            except Failed:
                return
            self._changed()
            self.bus.deadlines_changed.emit()

    def open_recycle_bin(self) -> None:
        """This case's recycle bin; what comes back shows here (and in the other views)."""
        dialog = RecycleBinDialog(self.services, self.bus, self.case_id, self)
        dialog.exec()
        if dialog.touched and not self.is_dirty():
            self.reload()
            self.bus.deadlines_changed.emit()

    def settle(self) -> bool:
        """Before leaving the page or writing elsewhere: save or discard pending edits.

        Returns False when the user chose to stay (cancel) or saving failed.
        """
        if not self.is_dirty():
            return True
        self.tabs.setCurrentIndex(TAB_BASIC)
        answer = ask_to_save(self, f"案件 {self.detail.case_number} 的基本信息")
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.revert()
            return True
        return False

    def show_deadline(self, deadline_id: str) -> None:
        """Bring the 期限 tab forward with this deadline selected."""
        self.tabs.setCurrentIndex(TAB_DEADLINES)
        self.deadlines.select(deadline_id)

    def show_measure(self, measure_id: str) -> bool:
        """Bring the 强制措施 tab forward with this property or personal measure selected."""
        self.tabs.setCurrentIndex(TAB_MEASURES)
        return self.measures.show_measure(measure_id)

    def _deadlines_changed(self) -> None:
        self.detail = self.services.cases.get(self.case_id)
        self.timeline.show_events(self.detail.events, not self.detail.deleted, self.detail.refusal)
        self.measures.show_measures(self.detail, not self.detail.deleted)
        self.bus.deadlines_changed.emit()

    def _measures_changed(self) -> None:
        """A measure was recorded: its clocks are on the 期限 tab, the board and the lists."""
        self.detail = self.services.cases.get(self.case_id)
        self.timeline.show_events(self.detail.events, not self.detail.deleted, self.detail.refusal)
        self.deadlines.show_deadlines(not self.detail.deleted, refusal=self.detail.refusal)
        self.bus.case_changed.emit(self.case_id)
        self.bus.deadlines_changed.emit()

    def _changed(self) -> None:
        """Re-read the case after a write and tell the other views."""
        self._show(self.services.cases.get(self.case_id))
        self.bus.case_changed.emit(self.case_id)
