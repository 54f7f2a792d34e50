"""The dialogs of the credit list (失信被执行人) and of 限制消费: 失信预警 with its grace
period, the listing decision, a deletion ground arising, the deletion (or 信用修复), the
限制消费令 and its lifting. Checked as typed by the service's own rules; a refusal shows at the
field and nothing is saved."""

from __future__ import annotations

from datetime import date
from typing import Any

from casedesk.domain import credit_list as cl
from casedesk.domain.errors import FieldErrors
from casedesk.domain.periods import Period
from casedesk.services.app import Services
from casedesk.services.enforcement_dto import (
    LISTED,
    PENDING_DELETION,
    EnforcementView,
    ListingView,
    SpendingBanView,
)
from casedesk.ui.measures.forms import MeasureDialog, choice, read_date, set_choice, today_field
from casedesk.ui.qt import QComboBox, QLineEdit, QWidget
from casedesk.ui.widgets.inputs import DateField

KINDS = {"enterprise": "企业", "person": "个人"}


def debtor_choice(view: EnforcementView, party_id: str = "") -> QComboBox:
    """The case's 被执行人 (name and kind), data the party id."""
    box = QComboBox()
    box.addItem("请选择", "")
    for d in view.debtors:
        box.addItem(f"{d.name}（{KINDS.get(d.kind, d.kind)}）", d.party_id)
    if party_id:
        set_choice(box, party_id)
    elif len(view.debtors) == 1:
        box.setCurrentIndex(1)
    return box


def open_listing(view: EnforcementView, party_id: str) -> ListingView | None:
    """The debtor's listing record not yet deleted (warned, listed or pending deletion)."""
    debtor = next((d for d in view.debtors if d.party_id == party_id), None)
    if debtor is None:
        return None
    who = (debtor.kind, debtor.subject_id)
    rows = (x for x in view.listings if x.deleted_on is None)
    return next((x for x in rows if (x.debtor_kind, x.debtor_id) == who), None)


def listing_choice(listings: list[ListingView], current: str = "") -> QComboBox:
    box = QComboBox()
    for x in listings:
        box.addItem(f"{x.debtor_name}（{x.state}，{x.listed_on} 纳入）", x.id)
    if current:
        set_choice(box, current)
    return box


def listed(view: EnforcementView, pending: bool = True) -> list[ListingView]:
    """Listings on the list (``pending``: those whose deletion is pending too)."""
    states = (LISTED, PENDING_DELETION) if pending else (LISTED,)
    return [x for x in view.listings if x.state in states]


class WarningDialog(MeasureDialog):
    """失信预警, with a grace period of one to three months before any listing."""

    def __init__(self, services: Services, view: EnforcementView, party_id: str = "",
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__("失信预警 / 宽限期", "warningDialog", parent)
        self.services, self.view = services, view
        self.set_head("向被执行人发出失信预警；可给予一至三个月的宽限期，宽限期内不纳入失信名单"
                      f"（{cl.GRACE_CITE}）")  # fmt: skip
        self.debtor = debtor_choice(view, party_id)
        self.warned_on = today_field()
        self.document_no = QLineEdit()
        self.grace_months = QComboBox()
        self.grace_months.addItem("不给予宽限期", None)
        for n in cl.GRACE_MONTHS:
            self.grace_months.addItem(f"{n}个月", n)
        self.grace_from = DateField()
        g = self.grid()
        self.add(g, "debtor_party_id", "被执行人", self.debtor)
        self.add(g, "warned_on", "预警日期", self.warned_on)
        self.add(g, "document_no", "预警文书编号", self.document_no)
        self.add(g, "grace_months", "宽限期", self.grace_months)
        self.add(g, "grace_from", "宽限期起算", self.grace_from, hint="留空则自预警之日起算")
        self.finish("登记")
        self.validate()
        self.resize(560, 320)

    def read(self) -> tuple[cl.WarningDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        draft = cl.WarningDraft(
            self.debtor.currentData() or "", read_date(self.warned_on, "warned_on", errors),
            self.document_no.text(), self.grace_months.currentData(),
            read_date(self.grace_from, "grace_from", errors),
        )  # fmt: skip
        return draft, errors

    def refresh(self) -> None:
        months = self.grace_months.currentData()
        self.grace_from.setEnabled(months is not None)
        hint = ""
        try:
            start = self.grace_from.value() or self.warned_on.value()
        except ValueError:
            start = None
        if months is not None and start is not None:
            end = cl.grace_end(start, months)
            hint = f"宽限期至 {end} 届满（遇节假日顺延），期满仍未履行的方可纳入"
        self.fields["grace_months"].set_hint("grace_months", hint)

    def check(self, value: cl.WarningDraft) -> None:
        cl.check_warning(value, self.view.accepted_on, date.today())
        if self.view.performed_on is not None:
            raise FieldErrors(
                {"warned_on": f"被执行人已于 {self.view.performed_on} 履行完毕，无需失信预警"}
            )
        row = open_listing(self.view, value.debtor_party_id)
        if row is not None:
            raise FieldErrors(
                {"debtor_party_id": f"“{row.debtor_name}”在本案已有失信预警或失信记录"}
            )

    def submit(self, value: cl.WarningDraft) -> Any:
        return self.services.enforcement.warn(self.view.case_id, value)


class ListingDialog(MeasureDialog):
    """纳入失信名单: the ground (失信规定 第1条), the decision's date and the term."""

    def __init__(self, services: Services, view: EnforcementView, party_id: str = "",
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__("纳入失信名单", "listingDialog", parent)
        self.services, self.view = services, view
        self.set_head("宽限期内、被执行人已履行完毕的，不得纳入")
        self.debtor = debtor_choice(view, party_id)
        self.listed_on = today_field()
        self.ground = QComboBox()
        self.ground.addItem("请选择", None)
        for n, text in cl.LISTING_GROUNDS.items():
            self.ground.addItem(f"第{n}项：{text}", n)
        self.extra_years = QComboBox()
        self.extra_years.addItem("不延长", 0)
        for n in range(1, cl.MAX_EXTRA_YEARS + 1):
            self.extra_years.addItem(f"情节严重，延长{n}年", n)
        self.document_no = QLineEdit()
        self.notes = QLineEdit()
        g = self.grid()
        self.add(g, "debtor_party_id", "被执行人", self.debtor)
        self.add(g, "listed_on", "纳入决定日期", self.listed_on)
        self.add(g, "ground", "纳入情形", self.ground, hint=f"{cl.LISTING_CITE}列举的六种情形")
        self.add(g, "extra_years", "纳入期限", self.extra_years)
        self.add(g, "document_no", "决定书文号", self.document_no)
        self.add(g, "notes", "备注", self.notes)
        self.finish("纳入")
        self.validate()
        self.resize(680, 340)

    def read(self) -> tuple[cl.ListingDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        draft = cl.ListingDraft(
            self.debtor.currentData() or "", read_date(self.listed_on, "listed_on", errors),
            self.ground.currentData(), self.document_no.text(),
            self.extra_years.currentData() or 0, self.notes.text(),
        )  # fmt: skip
        return draft, errors

    def refresh(self) -> None:
        ground = self.ground.currentData()
        no_term = ground in cl.NO_TERM_GROUNDS
        if no_term and self.extra_years.currentIndex():
            self.extra_years.setCurrentIndex(0)
        self.extra_years.setEnabled(not no_term)
        if ground is None:
            hint = "第2至6项纳入二年，情节严重的可延长一至三年；第1项不设期限"
        elif no_term:
            hint = "有履行能力而拒不履行的，不设纳入期限，至履行完毕（失信规定第2条）"
        else:
            spec = cl.listing_term_spec(ground, self.extra_years.currentData() or 0)
            hint = f"纳入期限{Period.parse(spec or '2y')}（失信规定第2条）"
        self.fields["extra_years"].set_hint("extra_years", hint)

    def check(self, value: cl.ListingDraft) -> None:
        row = open_listing(self.view, value.debtor_party_id)
        if row is not None and row.listed_on is not None:
            raise FieldErrors(
                {"debtor_party_id": f"“{row.debtor_name}”已于 {row.listed_on} 纳入失信名单"}
            )
        cl.check_listing(value, self.view.accepted_on, date.today(),
                         grace_until=row.grace_end if row else None,
                         warned_on=row.warned_on if row else None,
                         performed_on=self.view.performed_on)  # fmt: skip

    def submit(self, value: cl.ListingDraft) -> Any:
        return self.services.enforcement.list_debtor(self.view.case_id, value)


GROUND_REASONS = [r for r in cl.DELETE_REASONS
                  if r not in cl.IMMEDIATE_REASONS | cl.PERFORMANCE_REASONS]  # fmt: skip


class DeletionGroundDialog(MeasureDialog):
    """出现删除情形 (终结执行, 不予执行 …, 失信规定 第10条): the 3-working-day clock starts."""

    def __init__(self, services: Services, view: EnforcementView, listing_id: str = "",
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__("出现删除情形", "deletionGroundDialog", parent)
        self.services, self.view = services, view
        self.set_head("出现删除情形之日起三个工作日内删除失信信息（失信规定第10条）；"
                      "被执行人履行完毕的，请登记到位款或履行完毕")  # fmt: skip
        self.choices = listed(view, pending=False)
        self.listing = listing_choice(self.choices, listing_id)
        self.reason = choice(GROUND_REASONS, "请选择")
        self.on = today_field()
        g = self.grid()
        self.add(g, "listing", "失信被执行人", self.listing)
        self.add(g, "reason", "删除情形", self.reason)
        self.add(g, "on", "出现日期", self.on)
        self.finish("登记")
        self.validate()
        self.resize(600, 260)

    def read(self) -> tuple[tuple[str, str, date | None], dict[str, str]]:
        errors: dict[str, str] = {}
        value = (self.listing.currentData() or "", self.reason.currentData() or "",
                 read_date(self.on, "on", errors))  # fmt: skip
        return value, errors

    def refresh(self) -> None:
        reason = self.reason.currentData() or ""
        self.fields["reason"].set_hint("reason", cl.DELETE_REASONS.get(reason, ""))

    def check(self, value: tuple[str, str, date | None]) -> None:
        row = next((x for x in self.choices if x.id == value[0]), None)
        if row is None or row.listed_on is None:
            raise FieldErrors({"listing": "请选择已纳入失信名单的被执行人"})
        cl.check_ground_arising(value[1], value[2], row.listed_on, date.today())

    def submit(self, value: tuple[str, str, date | None]) -> Any:
        return self.services.enforcement.deletion_ground(value[0], value[2], value[1])


class DeletionDialog(MeasureDialog):
    """删除失信信息 (its clock met), or 信用修复: early deletion for active performance."""

    def __init__(self, services: Services, view: EnforcementView, listing_id: str = "",
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__("删除失信信息 / 信用修复", "deletionDialog", parent)
        self.services, self.view = services, view
        self.set_head("登记删除后，删除期限随之完成")
        self.choices = listed(view)
        self.listing = listing_choice(self.choices, listing_id)
        self.reason = choice(cl.DELETE_REASONS, "请选择")
        self.deleted_on = today_field()
        self.document_no = QLineEdit()
        self.note = QLineEdit()
        g = self.grid()
        self.add(g, "listing", "失信被执行人", self.listing)
        self.add(g, "reason", "删除理由", self.reason)
        self.add(g, "deleted_on", "删除日期", self.deleted_on)
        self.add(g, "document_no", "文书编号", self.document_no)
        self.add(g, "note", "备注", self.note)
        self.listing.currentIndexChanged.connect(lambda _i: self._suggest())
        self._suggest()
        self.finish("删除")
        self.validate()
        self.resize(600, 320)

    def _suggest(self) -> None:
        """Performed: 履行完毕; another ground arose: that ground."""
        row = self.row(self.listing.currentData() or "")
        if row is None:
            return
        if self.view.performed_on is not None:
            set_choice(self.reason, "履行完毕")
        elif row.ground_reason in cl.DELETE_REASONS:
            set_choice(self.reason, row.ground_reason)

    def row(self, listing_id: str) -> ListingView | None:
        return next((x for x in self.choices if x.id == listing_id), None)

    def read(self) -> tuple[tuple[str, cl.DeletionDraft], dict[str, str]]:
        errors: dict[str, str] = {}
        draft = cl.DeletionDraft(read_date(self.deleted_on, "deleted_on", errors),
                                 self.reason.currentData() or "", self.document_no.text(),
                                 self.note.text())  # fmt: skip
        return (self.listing.currentData() or "", draft), errors

    def refresh(self) -> None:
        reason = self.reason.currentData() or ""
        self.fields["reason"].set_hint("reason", cl.DELETE_REASONS.get(reason, ""))

    def check(self, value: tuple[str, cl.DeletionDraft]) -> None:
        row = self.row(value[0])
        if row is None or row.listed_on is None:
            raise FieldErrors({"listing": "请选择已纳入失信名单的被执行人"})
        cl.check_deletion(value[1], row.listed_on, date.today(),
                          performed_on=self.view.performed_on, term_end=row.term_end)  # fmt: skip

    def submit(self, value: tuple[str, cl.DeletionDraft]) -> Any:
        return self.services.enforcement.delete_listing(*value)


class SpendingBanDialog(MeasureDialog):
    """限制消费令 against a debtor (for an enterprise: its 法定代表人 and others named)."""

    def __init__(self, services: Services, view: EnforcementView, party_id: str = "",
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__("限制消费令", "spendingBanDialog", parent)
        self.services, self.view = services, view
        self.debtor = debtor_choice(view, party_id)
        self.ordered_on = today_field()
        self.document_no = QLineEdit()
        self.restricted_persons = QLineEdit()
        self.notes = QLineEdit()
        g = self.grid()
        self.add(g, "debtor_party_id", "被执行人", self.debtor)
        self.add(g, "ordered_on", "决定日期", self.ordered_on)
        self.add(g, "document_no", "文书编号", self.document_no)
        self.add(g, "restricted_persons", "受限制的人员", self.restricted_persons,
                 hint="被执行人为单位的：法定代表人、主要负责人、影响债务履行的直接责任人员、"
                      "实际控制人")  # fmt: skip
        self.add(g, "notes", "备注", self.notes)
        self.finish("登记")
        self.validate()
        self.resize(600, 300)

    def read(self) -> tuple[cl.SpendingBanDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        draft = cl.SpendingBanDraft(
            self.debtor.currentData() or "", read_date(self.ordered_on, "ordered_on", errors),
            self.document_no.text(), self.restricted_persons.text(), self.notes.text(),
        )  # fmt: skip
        return draft, errors

    def check(self, value: cl.SpendingBanDraft) -> None:
        cl.check_spending_ban(value, self.view.accepted_on, date.today())

    def submit(self, value: cl.SpendingBanDraft) -> Any:
        return self.services.enforcement.order_spending_ban(self.view.case_id, value)


class LiftBanDialog(MeasureDialog):
    """解除限制消费 (被执行人履行完毕的，应当解除: 限制消费规定 第9条)."""

    def __init__(self, services: Services, view: EnforcementView, ban_id: str = "",
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__("解除限制消费", "liftBanDialog", parent)
        self.services, self.view = services, view
        self.choices: list[SpendingBanView] = [b for b in view.bans if b.lifted_on is None]
        self.ban = QComboBox()
        for b in self.choices:
            self.ban.addItem(f"{b.debtor_name}（{b.ordered_on} {b.document_no}）".strip(), b.id)
        if ban_id:
            set_choice(self.ban, ban_id)
        self.reason = choice(cl.LIFT_REASONS, "请选择",
                             "履行完毕" if view.performed_on is not None else "")  # fmt: skip
        self.lifted_on = today_field()
        g = self.grid()
        self.add(g, "ban", "限制消费令", self.ban)
        self.add(g, "reason", "解除理由", self.reason)
        self.add(g, "lifted_on", "解除日期", self.lifted_on)
        self.finish("解除")
        self.validate()
        self.resize(560, 240)

    def read(self) -> tuple[tuple[str, str, date | None], dict[str, str]]:
        errors: dict[str, str] = {}
        value = (self.ban.currentData() or "", self.reason.currentData() or "",
                 read_date(self.lifted_on, "lifted_on", errors))  # fmt: skip
        return value, errors

    def check(self, value: tuple[str, str, date | None]) -> None:
        ban = next((b for b in self.choices if b.id == value[0]), None)
        if ban is None:
            raise FieldErrors({"ban": "请选择尚未解除的限制消费令"})
        cl.check_lift(value[1], value[2], ban.ordered_on, date.today())

    def submit(self, value: tuple[str, str, date | None]) -> Any:
        return self.services.enforcement.lift_spending_ban(value[0], value[2], value[1])
