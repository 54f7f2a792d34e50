"""The 强制措施 tab of a case page: property measures with the 超标的 line, personal measures,
羁押必要性审查, and for the selected measure its clocks and its chain (续行 and releases; the
custody chain). Every action opens its dialog; after a change the page is told (``changed``)
so the 期限 tab, the board and the lists refresh."""

from __future__ import annotations

from datetime import date

from casedesk.domain.deadline_rules import TRIGGERS
from casedesk.domain.deadlines import OPEN
from casedesk.domain.measures import (
    CUSTODY_KINDS,
    CUSTODY_STEPS,
    PERSONAL_KINDS,
    PROPERTY_KINDS,
    REVIEW_RULE,
)
from casedesk.services.app import Services
from casedesk.services.custody_reviews import CustodyReviewService as Reviews
from casedesk.services.deadlines import DeadlineService
from casedesk.services.dto import CaseDetail, DeadlineView
from casedesk.services.measure_dto import (
    LAPSED,
    RELEASED,
    CustodyReviewView,
    PersonalMeasureView,
    PropertyMeasureView,
    SeizureCheck,
)
from casedesk.services.personal_measures import MEASURE_FAMILIES
from casedesk.services.personal_measures import PersonalMeasureService as People
from casedesk.services.property_measures import PropertyMeasureService as Property
from casedesk.ui.cases.permits import action_of, allow_all, permit
from casedesk.ui.deadlines.dialogs import action_dialog
from casedesk.ui.measures.panels import DetailPanel, Section, SeizureLine
from casedesk.ui.measures.personal_dialogs import (
    ChangeDialog,
    EndDialog,
    PersonalMeasureDialog,
    StepDialog,
)
from casedesk.ui.measures.property_dialogs import (
    PropertyMeasureDialog,
    ReleaseDialog,
    RenewalDialog,
    ReviewDoneDialog,
    UnrelatedDialog,
)
from casedesk.ui.measures.review_dialogs import ReplyDialog, ReviewDialog
from casedesk.ui.measures.rows import (
    PERSONAL_HEADERS,
    PROPERTY_AMOUNTS,
    PROPERTY_HEADERS,
    REVIEW_HEADERS,
    chain_of,
    open_clocks,
    personal_chain,
    personal_row,
    property_chain,
    property_row,
    review_row,
    stage_clock,
)
from casedesk.ui.qt import (
    QDialog,
    QEvent,
    QHBoxLayout,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

STEP = "arrest_requested"  # 提请批准逮捕 on a 拘留
#: Button → the action of the service method its dialog ends in.
GUARDS = {name: action_of(method) for name, method in (
    ("add_property", Property.add), ("renew", Property.renew), ("release", Property.release),
    ("unrelated", Property.mark_unrelated), ("review_done", Property.record_review),
    ("edit_property", Property.update), ("add_personal", People.add),
    ("step", People.record_step), ("change", People.change), ("end", People.end),
    ("extend", DeadlineService.extend), ("add_review", Reviews.add),
    ("edit_review", Reviews.update), ("reply", Reviews.record_reply),
)}  # fmt: skip


class MeasuresTab(QWidget):
    changed = Signal()  # a measure was recorded or changed
    title_changed = Signal(str)

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.case_id = services, case_id
        self.case: CaseDetail | None = None
        self.editable = True
        self.stale = True
        self.seizure: SeizureCheck | None = None
        self.properties: dict[str, PropertyMeasureView] = {}
        self.personals: dict[str, PersonalMeasureView] = {}
        self.reviews: dict[str, CustodyReviewView] = {}
        self._focus = ""  # "property" / "personal": whose detail is shown

        self.property_box = Section(
            "财产强制措施", PROPERTY_HEADERS, "propertyTable", PROPERTY_AMOUNTS
        )
        self.seizure_line = SeizureLine()
        self.property_box.body.insertWidget(0, self.seizure_line)
        box = self.property_box
        self.add_property_button, self.property_menu = box.menu_button(
            "新增财产措施 ▾", "addProperty", PROPERTY_KINDS, self.add_property
        )
        self.renew_button = box.button("续行…", "renewProperty", self.renew)
        self.release_button = box.button("解除…", "releaseProperty", self.release)
        self.unrelated_button = box.button("查明与案件无关…", "unrelated", self.mark_unrelated)
        self.review_done_button = box.button("复查…", "reviewProperty", self.record_review)
        self.edit_property_button = box.button("修改…", "editProperty", self.edit_property)
        box.end_buttons()

        self.personal_box = box = Section("人身强制措施", PERSONAL_HEADERS, "personalTable")
        self.add_personal_button, self.personal_menu = box.menu_button(
            "新增人身措施 ▾", "addPersonal", PERSONAL_KINDS, self.add_personal
        )
        self.step_button = box.button(
            f"{CUSTODY_STEPS[STEP][0]}…", "requestArrest", self.request_arrest
        )
        self.change_button = box.button("变更…", "changePersonal", self.change)
        self.end_button = box.button("解除/释放…", "endPersonal", self.end)
        self.extend_button = box.button("延长羁押…", "extendCustody", self.extend)
        box.end_buttons()

        self.review_box = box = Section("羁押必要性审查", REVIEW_HEADERS, "reviewTable")
        self.add_review_button = box.button("新增审查…", "addReview", self.add_review)
        self.edit_review_button = box.button("修改审查…", "editReview", self.edit_review)
        self.reply_button = box.button("登记回复…", "replyReview", self.reply)
        box.end_buttons()

        self.detail = DetailPanel()
        self.property_table = self.property_box.table
        self.personal_table = self.personal_box.table
        self.personal_table.max_width = 340  # the running clock with its name and days left
        self.review_table = self.review_box.table
        self.clock_table = self.detail.clocks
        self.property_model = self.property_box.model
        self.personal_model = self.personal_box.model
        self.review_model = self.review_box.model
        self.clock_model = self.detail.clock_model
        self.people = QWidget()  # personal measures and reviews: criminal cases only
        people = QHBoxLayout(self.people)
        people.setContentsMargins(0, 0, 0, 0)
        people.addWidget(self.personal_box, 3)
        people.addWidget(self.review_box, 2)
        # three bands the user may resize; their first heights in proportion (4 : 4 : 3)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("measuresSplitter")
        self.splitter.setChildrenCollapsible(False)
        for index, (widget, share) in enumerate(
            ((self.property_box, 4), (self.people, 4), (self.detail, 3))
        ):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(index, share)
        self.splitter.setSizes([400, 400, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.property_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._selected("property")
        )
        self.personal_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._selected("personal")
        )
        self.review_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.clock_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.property_table.doubleClicked.connect(lambda _i: self.edit_property())
        self._update_buttons()

    # -- loading ----------------------------------------------------------------------------------
    def show_measures(self, case: CaseDetail, editable: bool = True) -> None:
        """The case was (re)read: reload now when shown, else when next shown."""
        self.case, self.editable = case, editable
        self.people.setVisible(case.family in MEASURE_FAMILIES)
        self.stale = True
        if self.isVisible():
            self.reload()
        else:
            self._update_buttons()

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def ensure_loaded(self) -> None:
        if self.stale and self.case is not None:
            self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the case's measures, reviews and 超标的 figures again."""
        if self.case is None:
            self.case = self.services.cases.get(self.case_id)
        if select is None:
            current = self.current_property() or self.current_personal()
            select = current.id if current else None
        review = self.review_table.selected_id()
        pm, people = self.services.property_measures, self.services.personal_measures
        properties = pm.for_case(self.case_id)
        personals = people.for_case(self.case_id)
        reviews = self.services.custody_reviews.for_case(self.case_id)
        self.seizure = pm.seizure_check(self.case_id)
        self.stale = False
        self.properties = {v.id: v for v in properties}
        self.personals = {v.id: v for v in personals}
        self.reviews = {r.id: r for r in reviews}
        kinds = {v.id: v.kind for v in personals}
        stage = None  # once the investigation's clocks are done, custody runs within the stage's
        if any(v.active and v.in_custody and not open_clocks(v.clocks) for v in personals):
            stage = stage_clock(self.services.deadlines.for_case(self.case_id))
        today = date.today()
        self.property_table.fill([property_row(v) for v in properties], select)
        self.personal_table.fill([personal_row(v, kinds, stage) for v in personals], select)
        self.review_table.fill([review_row(r, today) for r in reviews], review or select)
        self.seizure_line.show_check(self.seizure)
        if select in self.properties or select in self.personals:
            self._selected("property" if select in self.properties else "personal")
        else:
            self._show_detail()
        self.title_changed.emit(self.title())

    def title(self) -> str:
        count = sum(v.status != RELEASED for v in self.properties.values()) + sum(
            v.active for v in self.personals.values()
        )
        return f"强制措施（{count}）" if count else "强制措施"

    def show_measure(self, measure_id: str) -> bool:
        """Select a property or personal measure (and show its detail)."""
        self.ensure_loaded()
        for table, which in ((self.property_table, "property"), (self.personal_table, "personal")):
            if table.select_id(measure_id):
                self._selected(which)
                return True
        return False

    # -- selection and detail ---------------------------------------------------------------------
    def current_property(self) -> PropertyMeasureView | None:
        pid = self.property_table.selected_id() if self._focus == "property" else None
        return self.properties.get(pid) if pid else None

    def current_personal(self) -> PersonalMeasureView | None:
        mid = self.personal_table.selected_id() if self._focus == "personal" else None
        return self.personals.get(mid) if mid else None

    def current_review(self) -> CustodyReviewView | None:
        rid = self.review_table.selected_id()
        return self.reviews.get(rid) if rid else None

    def _selected(self, which: str) -> None:
        table = self.property_table if which == "property" else self.personal_table
        if table.selected_id() is None:
            if self._focus == which:
                self._focus = ""
                self._show_detail()
            return
        self._focus = which
        other = self.personal_table if which == "property" else self.property_table
        other.blockSignals(True)
        other.selectionModel().blockSignals(True)
        other.clearSelection()
        other.selectionModel().blockSignals(False)
        other.blockSignals(False)
        self._show_detail()

    def _show_detail(self) -> None:
        p, m = self.current_property(), self.current_personal()
        if p is not None:
            self.detail.show_measure(f"{p.kind}　{p.description}", p.clocks, property_chain(p))
        elif m is not None:
            chain = personal_chain(m, self.personals)
            self.detail.show_measure(f"{m.person_name}　{m.kind}", m.clocks, chain)
        else:
            self.detail.show_measure("", (), "")
        self._update_buttons()

    def clock(self) -> DeadlineView | None:
        """The clock 延长羁押 applies to: the one selected, else the first that can be
        extended."""
        m = self.current_personal()
        if m is None or not m.active:
            return None
        chosen = self.clock_table.selected_id()
        candidates = [c for c in m.clocks if c.status == OPEN and c.next_extension]
        picked = next((c for c in candidates if c.id == chosen), None)
        return picked or (candidates[0] if candidates and chosen is None else None)

    def review_target(self) -> PersonalMeasureView | None:
        """The custody measure a new review is about: the selected one, else the only one."""
        m = self.current_personal()
        if m is not None:
            return m if m.active and m.in_custody else None
        held = [v for v in self.personals.values() if v.active and v.in_custody]
        return held[0] if len(held) == 1 else None

    def custody_from(self, m: PersonalMeasureView) -> date:
        held = [self.personals[i] for i in chain_of(m, self.personals)]
        days = [v.executed_on or v.decided_on for v in held if v.kind in CUSTODY_KINDS]
        return min(days) if days else m.executed_on or m.decided_on

    def _update_buttons(self) -> None:
        """Enable each button the selection's state and the user's roles allow."""
        on = self.editable and self.case is not None and not self.stale
        no = self.case.refusal if self.case is not None else allow_all
        p, m, r = self.current_property(), self.current_personal(), self.current_review()
        held = p is not None and p.released_on is None and p.status != RELEASED
        active = m is not None and m.active
        step_done = m is not None and any(c.trigger == TRIGGERS[STEP] for c in m.clocks)
        awaiting = r is not None and r.served_on is not None and r.replied_on is None
        states = {
            "add_property": on, "add_personal": on, "release": on and held,
            "renew": on and held and p.lapses and p.status != LAPSED,  # type: ignore[union-attr]
            "unrelated": on and held and p.unrelated_on is None,  # type: ignore[union-attr]
            "review_done": on and held and p.term_rule_id == REVIEW_RULE,  # type: ignore[union-attr]
            "edit_property": on and p is not None, "change": on and active, "end": on and active,
            "step": on and active and m.kind in CUSTODY_STEPS[STEP][1] and not step_done,  # type: ignore[union-attr]
            "extend": on and self.clock() is not None,
            "add_review": on and self.review_target() is not None,
            "edit_review": on and r is not None, "reply": on and awaiting,
        }  # fmt: skip
        for name, state in states.items():
            permit(getattr(self, f"{name}_button"), no(GUARDS[name]), bool(state))

    # -- actions ----------------------------------------------------------------------------------
    def _run(self, dialog: QDialog, select: str | None = None) -> bool:
        """Run ``dialog``; when it saved, reload with ``select`` (else what it made) selected
        and tell the page."""
        if not dialog.exec():
            return False
        made = getattr(dialog, "result_value", None)
        self.reload(select or (made if isinstance(made, str) and made else None))
        self.changed.emit()
        return True

    def add_property(self, kind: str) -> bool:
        assert self.case is not None
        return self._run(PropertyMeasureDialog(self.services, self.case, kind, parent=self))

    def edit_property(self) -> None:
        p, case = self.current_property(), self.case
        if p and case and self.editable and not case.refusal(GUARDS["edit_property"]):
            self._run(PropertyMeasureDialog(self.services, case, view=p, parent=self), p.id)

    def renew(self) -> None:
        if p := self.current_property():
            self._run(RenewalDialog(self.services, p, self), p.id)

    def release(self) -> None:
        if p := self.current_property():
            self._run(ReleaseDialog(self.services, p, self), p.id)

    def mark_unrelated(self) -> None:
        if p := self.current_property():
            self._run(UnrelatedDialog(self.services, p, self), p.id)

    def record_review(self) -> None:
        if p := self.current_property():
            self._run(ReviewDoneDialog(self.services, p, self), p.id)

    def add_personal(self, kind: str) -> bool:
        assert self.case is not None
        return self._run(PersonalMeasureDialog(self.services, self.case, kind, self))

    def request_arrest(self) -> None:
        if m := self.current_personal():
            self._run(StepDialog(self.services, m, STEP, self), m.id)

    def change(self) -> None:
        if (m := self.current_personal()) and self.case:
            self._run(ChangeDialog(self.services, self.case, m, self))

    def end(self) -> None:
        if m := self.current_personal():
            self._run(EndDialog(self.services, m, self), m.id)

    def extend(self) -> None:
        m, clock = self.current_personal(), self.clock()
        if m is not None and clock is not None:
            self._run(action_dialog("extend", self.services, clock, self), m.id)

    def add_review(self) -> None:
        if m := self.review_target():
            self._run(ReviewDialog(self.services, m, self.custody_from(m), parent=self))

    def edit_review(self) -> None:
        r = self.current_review()
        m = self.personals.get(r.measure_id) if r else None
        if r is not None and m is not None:
            self._run(ReviewDialog(self.services, m, self.custody_from(m), r, self), r.id)

    def reply(self) -> None:
        if r := self.current_review():
            self._run(ReplyDialog(self.services, r, self), r.id)
