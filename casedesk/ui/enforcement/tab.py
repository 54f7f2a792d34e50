"""执行 tab of an enforcement case: the title of enforcement, the claim and what was recovered
(到位率), where the case stands (执行中 / 终结本次执行 / 已结案), its clocks and those of every
debtor on the way to or off the credit list (宽限期, 纳入期限, the 3-working-day deletion), the
payments, the actions and the 限制消费 orders. Every step opens its dialog; after a change the
page is told (``changed``) so the 期限 tab, the board and the lists refresh."""

from __future__ import annotations

from casedesk.domain.enforcement import ACTION_KINDS
from casedesk.services.app import Services
from casedesk.services.dto import CaseDetail
from casedesk.services.enforcement import EnforcementService as Service
from casedesk.services.enforcement_dto import CLOSED, RUNNING, TERMINATED, EnforcementView
from casedesk.ui.cases.permits import action_of, permit, refused
from casedesk.ui.enforcement.credit_dialogs import (
    DeletionDialog,
    DeletionGroundDialog,
    LiftBanDialog,
    ListingDialog,
    SpendingBanDialog,
    WarningDialog,
    listed,
)
from casedesk.ui.enforcement.record_dialogs import (
    ActionDialog,
    ClosingDialog,
    PaymentDialog,
    RecordDialog,
    StepDialog,
)
from casedesk.ui.enforcement.rows import (
    ACTION_HEADERS,
    BAN_HEADERS,
    DEBTOR_PREFIX,
    LISTING_HEADERS,
    PAYMENT_AMOUNTS,
    PAYMENT_HEADERS,
    action_row,
    ban_row,
    clock_rows,
    debtor_rows,
    facts_text,
    figures_text,
    payment_row,
    state_text,
)
from casedesk.ui.measures.panels import Section
from casedesk.ui.measures.rows import CLOCK_HEADERS
from casedesk.ui.qt import (
    QColor,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.widgets.case_tab import CaseRecordsTab

FAMILY = "执行"
#: Button → the action of the EnforcementService method its dialog ends in.
GUARDS = {name: action_of(method) for name, method in (
    ("open", Service.open_record), ("update", Service.update_record),
    ("perform", Service.record_performance), ("terminate", Service.terminate),
    ("resume", Service.resume), ("close", Service.close), ("payment", Service.add_payment),
    ("action", Service.add_action), ("warn", Service.warn), ("list", Service.list_debtor),
    ("ground", Service.deletion_ground), ("delete", Service.delete_listing),
    ("ban", Service.order_spending_ban), ("lift", Service.lift_spending_ban),
)}  # fmt: skip
EMPTY = "本案尚未登记执行依据。登记执行依据和申请执行标的后，可登记到位款、执行措施和失信信息。"


class EnforcementTab(CaseRecordsTab):
    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None):
        super().__init__(services, case_id, parent)
        self.view: EnforcementView | None = None

        self.state = QLabel()
        self.state.setObjectName("enforcementState")
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.figures = QLabel()
        self.figures.setObjectName("enforcementFigures")
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.figures.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setObjectName("enforcementFacts")
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setWordWrap(True)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.record_button = self._button("登记执行依据…", "openRecord", self.edit_record)
        self.perform_button = self._button("履行完毕…", "recordPerformance",
                                           lambda: self.step("perform"))  # fmt: skip
        self.terminate_button = self._button("终结本次执行…", "terminate",
                                             lambda: self.step("terminate"))  # fmt: skip
        self.resume_button = self._button("恢复执行…", "resume", lambda: self.step("resume"))
        self.close_button = self._button("结案…", "closeEnforcement", self.close_case)

        self.clocks = Section("执行期限与失信期限", CLOCK_HEADERS, "enforcementClocks")
        self.clocks.end_buttons()
        self.clocks.table.max_width = 320  # the clock's name carries the debtor's
        self.listings = box = Section("被执行人与失信名单", LISTING_HEADERS, "listingTable")
        self.warn_button = box.button("失信预警/宽限期…", "warnDebtor", self.warn)
        self.list_button = box.button("纳入失信名单…", "listDebtor", self.list_debtor)
        self.ground_button = box.button("出现删除情形…", "deletionGround", self.deletion_ground)
        self.delete_button = box.button("删除失信信息/信用修复…", "deleteListing", self.delete)
        box.end_buttons()
        self.payments = box = Section("执行到位款", PAYMENT_HEADERS, "paymentTable",
                                      PAYMENT_AMOUNTS)  # fmt: skip
        self.payment_button = box.button("登记到位款…", "addPayment", self.add_payment)
        box.end_buttons()
        self.actions = box = Section("执行措施", ACTION_HEADERS, "actionTable")
        self.action_button, _menu = box.menu_button("登记执行措施 ▾", "addAction", ACTION_KINDS,
                                                    self.add_action)  # fmt: skip
        box.end_buttons()
        self.bans = box = Section("限制消费", BAN_HEADERS, "banTable")
        self.ban_button = box.button("限制消费令…", "orderBan", self.order_ban)
        self.lift_button = box.button("解除限制消费…", "liftBan", self.lift_ban)
        box.end_buttons()

        head = QHBoxLayout()
        head.addWidget(QLabel("执行状态："))
        head.addWidget(self.state)
        head.addSpacing(24)
        head.addWidget(self.figures, 1)
        steps = QHBoxLayout()
        for button in (self.record_button, self.perform_button, self.terminate_button,
                       self.resume_button, self.close_button):  # fmt: skip
            steps.addWidget(button)
        steps.addStretch(1)
        upper = QWidget()
        upper_row = QHBoxLayout(upper)
        upper_row.setContentsMargins(0, 0, 0, 0)
        upper_row.addWidget(self.facts, 2)
        upper_row.addWidget(self.clocks, 5)
        self.lower = QTabWidget()
        self.lower.setObjectName("enforcementLower")
        for section in (self.payments, self.actions, self.bans):
            section.setTitle("")
            section.setFlat(True)
            self.lower.addTab(section, "")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        for part in (upper, self.listings, self.lower):
            splitter.addWidget(part)
        splitter.setSizes([250, 230, 260])
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(head)
        body.addWidget(splitter, 1)
        self.empty = QLabel(EMPTY)
        self.empty.setObjectName("enforcementEmpty")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(steps)
        layout.addWidget(self.empty)
        layout.addWidget(self.body, 1)

    @staticmethod
    def _button(label: str, name: str, act: object) -> QPushButton:
        button = QPushButton(label)
        button.setObjectName(name)
        button.clicked.connect(lambda _c=False: act())  # type: ignore[operator]
        return button

    # -- loading ----------------------------------------------------------------------------------
    def show_case(self, case: CaseDetail, editable: bool = True) -> None:
        """The case was (re)read: reload now when shown, else when next shown."""
        self.case, self.editable = case, editable
        self.stale = True
        if self.isVisible() and case.family == FAMILY:
            self.reload()

    def reload(self, select: str | None = None) -> None:
        self.view = self.services.enforcement.get(self.case_id)
        self.stale = False
        v = self.view
        self.empty.setVisible(v is None)
        self.body.setVisible(v is not None)
        self.record_button.setText("修改执行依据…" if v else "登记执行依据…")
        self._enable()
        if v is None:
            return
        self.state.setText(state_text(v))
        self.figures.setText(figures_text(v))
        self.facts.setText(facts_text(v))
        self.clocks.table.fill(clock_rows(v), self.clocks.table.selected_id())
        self.listings.table.fill(debtor_rows(v), self.listings.table.selected_id())
        self.payments.table.fill([payment_row(p) for p in v.payments])
        self.actions.table.fill([action_row(a) for a in v.actions])
        self.bans.table.fill([ban_row(b) for b in v.bans], self.bans.table.selected_id())
        to_lift = sum(b.to_lift for b in v.bans)
        lift = f"，应解除 {to_lift}" if to_lift else ""
        for index, text in enumerate((f"执行到位款（{len(v.payments)}）",
                                      f"执行措施（{len(v.actions)}）",
                                      f"限制消费（{len(v.bans)}{lift}）")):  # fmt: skip
            self.lower.setTabText(index, text)
        self.lower.tabBar().setTabTextColor(2, QColor("#b71c1c" if to_lift else "black"))

    def _enable(self) -> None:
        """Enable each button the record's state and the user's roles allow."""
        v, on = self.view, self.editable
        record = "open" if v is None else "update"
        permit(self.record_button, refused(self.case, GUARDS[record]),
               on and (v is None or v.state != CLOSED))  # fmt: skip
        if v is None:
            return
        running = v.state != CLOSED
        debtors = bool(v.debtors)
        states = {
            "perform": on and running and v.performed_on is None,
            "terminate": on and v.state == RUNNING and v.performed_on is None,
            "resume": on and v.state == TERMINATED,
            "close": on and running,
            "payment": on and running and v.remaining_fen != 0,
            "action": on,
            "warn": on and debtors and v.performed_on is None,
            "list": on and debtors and v.performed_on is None,
            "ground": on and bool(listed(v, pending=False)),
            "delete": on and bool(listed(v)),
            "ban": on and debtors and running,
            "lift": on and any(b.lifted_on is None for b in v.bans),
        }
        for name, state in states.items():
            permit(getattr(self, f"{name}_button"), refused(self.case, GUARDS[name]), state)

    # -- what is selected -------------------------------------------------------------------------
    def selected_party(self) -> str:
        """The party id of the debtor selected in the credit table ("" when none)."""
        selected, v = self.listings.table.selected_id() or "", self.view
        if selected.startswith(DEBTOR_PREFIX):
            return selected.removeprefix(DEBTOR_PREFIX)
        row = next((x for x in v.listings if x.id == selected), None) if v else None
        if row is None or v is None:
            return ""
        who = (row.debtor_kind, row.debtor_id)
        return next((d.party_id for d in v.debtors if (d.kind, d.subject_id) == who), "")

    def selected_listing(self) -> str:
        selected = self.listings.table.selected_id() or ""
        return "" if selected.startswith(DEBTOR_PREFIX) else selected

    # -- acting -----------------------------------------------------------------------------------
    def edit_record(self) -> bool:
        if self.case is None:
            self.case = self.services.cases.get(self.case_id)
        return self._run(RecordDialog(self.services, self.case, self.view, self))

    def add_payment(self) -> bool:
        return self.view is not None and self._run(PaymentDialog(self.services, self.view, self))

    def add_action(self, kind: str = "") -> bool:
        return self.view is not None and self._run(
            ActionDialog(self.services, self.view, kind, self)
        )

    def step(self, step: str) -> bool:
        return self.view is not None and self._run(StepDialog(self.services, self.view, step, self))

    def close_case(self) -> bool:
        return self.view is not None and self._run(ClosingDialog(self.services, self.view, self))

    def warn(self) -> bool:
        return self.view is not None and self._run(
            WarningDialog(self.services, self.view, self.selected_party(), self)
        )

    def list_debtor(self) -> bool:
        return self.view is not None and self._run(
            ListingDialog(self.services, self.view, self.selected_party(), self)
        )

    def deletion_ground(self) -> bool:
        return self.view is not None and self._run(
            DeletionGroundDialog(self.services, self.view, self.selected_listing(), self)
        )

    def delete(self) -> bool:
        return self.view is not None and self._run(
            DeletionDialog(self.services, self.view, self.selected_listing(), self)
        )

    def order_ban(self) -> bool:
        return self.view is not None and self._run(
            SpendingBanDialog(self.services, self.view, self.selected_party(), self)
        )

    def lift_ban(self) -> bool:
        return self.view is not None and self._run(
            LiftBanDialog(self.services, self.view, self.bans.table.selected_id() or "", self)
        )

    def _run(self, dialog: QDialog) -> bool:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.reload()
        self.changed.emit()
        return True
