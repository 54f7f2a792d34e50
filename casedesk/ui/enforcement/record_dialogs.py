"""The dialogs of an enforcement record: the title of enforcement and the claim, a payment, an
action, the dated steps (终结本次执行, 恢复执行, 履行完毕) and closing. Each checks as typed by
the rule the service runs; a refusal shows at the field and nothing is saved."""

from __future__ import annotations

from datetime import date
from typing import Any

from casedesk.domain import enforcement as en
from casedesk.domain.errors import FieldErrors
from casedesk.services.app import Services
from casedesk.services.dto import CaseDetail
from casedesk.services.enforcement_dto import EnforcementView
from casedesk.ui.enforcement.rows import yuan
from casedesk.ui.measures.forms import (
    MeasureDialog,
    choice,
    read_amount,
    read_date,
    set_choice,
    today_field,
)
from casedesk.ui.qt import QLineEdit, QWidget
from casedesk.ui.widgets.inputs import AmountField, DateField


class RecordDialog(MeasureDialog):
    """登记执行依据 (opens the record) or 修改执行依据 (corrects it, ``view`` given)."""

    def __init__(self, services: Services, case: CaseDetail, view: EnforcementView | None = None,
                 parent: QWidget | None = None):  # fmt: skip
        title = "修改执行依据" if view else "登记执行依据"
        super().__init__(title, "enforcementRecordDialog", parent)
        self.services, self.case, self.view = services, case, view
        self.set_head(f"{case.case_number}　立案 {case.accepted_on}")
        self.title_kind = choice(en.TITLE_KINDS, "请选择")
        self.title_document_no = QLineEdit()
        self.title_organ = QLineEdit()
        self.title_effective_on = DateField()
        self.claimed_fen = AmountField()
        self.notes = QLineEdit()
        if view is not None:
            set_choice(self.title_kind, view.title_kind)
            self.title_document_no.setText(view.title_document_no)
            self.title_organ.setText(view.title_organ)
            self.title_effective_on.set_value(view.title_effective_on)
            self.claimed_fen.set_value(view.claimed_fen)
            self.notes.setText(view.notes)
        elif case.amount_fen is not None:
            self.claimed_fen.set_value(case.amount_fen)
        g = self.grid()
        self.add(g, "title_kind", "执行依据", self.title_kind,
                 hint="判决书、调解书、仲裁裁决、公证债权文书等")  # fmt: skip
        self.add(g, "title_document_no", "文号", self.title_document_no,
                 hint="如：（2025）新01民初123号")  # fmt: skip
        self.add(g, "title_organ", "作出机关", self.title_organ)
        self.add(g, "title_effective_on", "生效日期", self.title_effective_on)
        self.add(g, "claimed_fen", "申请执行标的", self.claimed_fen,
                 hint="到位率 = 执行到位金额 ÷ 申请执行标的")  # fmt: skip
        self.add(g, "notes", "备注", self.notes)
        self.finish("保存")
        self.validate()
        self.resize(560, 320)

    def read(self) -> tuple[en.EnforcementDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        draft = en.EnforcementDraft(
            self.title_kind.currentData() or "", self.title_document_no.text(),
            self.title_organ.text(), read_date(self.title_effective_on, "title_effective_on",
                                               errors),
            read_amount(self.claimed_fen, "claimed_fen", errors), self.notes.text(),
        )  # fmt: skip
        return draft, errors

    def check(self, value: en.EnforcementDraft) -> None:
        en.check_enforcement(value, self.case.accepted_on, date.today())
        recovered = self.view.recovered_fen if self.view else 0
        if recovered and (value.claimed_fen is None or value.claimed_fen < recovered):
            raise FieldErrors({"claimed_fen": "申请执行标的不能少于已执行到位的金额"})

    def submit(self, value: en.EnforcementDraft) -> Any:
        if self.view is None:
            return self.services.enforcement.open_record(self.case.id, value)
        return self.services.enforcement.update_record(self.case.id, self.view.version, value)


class PaymentDialog(MeasureDialog):
    """登记到位款: never more than what remains; one that completes the claim records the
    performance (and starts the deletion clock of every listed debtor)."""

    def __init__(self, services: Services, view: EnforcementView, parent: QWidget | None = None):
        super().__init__("登记到位款", "enforcementPaymentDialog", parent)
        self.services, self.view = services, view
        self.set_head(
            f"申请执行标的 {yuan(view.claimed_fen)}，已到位 {yuan(view.recovered_fen)}，"
            f"尚未到位 {yuan(view.remaining_fen)}"
        )
        self.paid_on = today_field()
        self.amount_fen = AmountField()
        self.way = choice(en.PAYMENT_WAYS, current="主动履行")
        self.payer = QLineEdit()
        self.note = QLineEdit()
        g = self.grid()
        self.add(g, "paid_on", "到位日期", self.paid_on)
        self.add(g, "amount_fen", "到位金额", self.amount_fen)
        self.add(g, "way", "到位方式", self.way)
        self.add(g, "payer", "付款人", self.payer)
        self.add(g, "note", "备注", self.note)
        self.finish("登记")
        self.validate()
        self.resize(520, 300)

    def read(self) -> tuple[en.PaymentDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        draft = en.PaymentDraft(
            read_date(self.paid_on, "paid_on", errors),
            read_amount(self.amount_fen, "amount_fen", errors),
            self.payer.text(), self.way.currentData() or "", self.note.text(),
        )  # fmt: skip
        return draft, errors

    def refresh(self) -> None:
        """Say what the payment does to the claim (completes it, or what will remain)."""
        v, grid = self.view, self.fields["amount_fen"]
        hint = "执行款全部到位的，登记为履行完毕，并开始计算删除失信信息的期限"
        try:
            fen = self.amount_fen.value()
        except ValueError:
            fen = None
        if fen and v.remaining_fen is not None and 0 < fen <= v.remaining_fen:
            left = v.remaining_fen - fen
            hint = (f"登记后尚有 {yuan(left)} 未到位" if left else
                    "登记后执行款全部到位：记为履行完毕，失信信息应在三个工作日内删除")  # fmt: skip
        grid.set_hint("amount_fen", hint)

    def check(self, value: en.PaymentDraft) -> None:
        en.check_payment(value, self.view.accepted_on, self.view.remaining_fen, date.today())

    def submit(self, value: en.PaymentDraft) -> Any:
        return self.services.enforcement.add_payment(self.view.case_id, value)


class ActionDialog(MeasureDialog):
    """执行措施: 财产调查, 网络查控, 悬赏公告 … dated, with its result."""

    def __init__(self, services: Services, view: EnforcementView, kind: str = "",
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__("执行措施", "enforcementActionDialog", parent)
        self.services, self.view = services, view
        self.kind = choice(en.ACTION_KINDS, "请选择", kind)
        self.taken_on = today_field()
        self.result = QLineEdit()
        self.document_no = QLineEdit()
        g = self.grid()
        hint = "终结本次执行后，每六个月网络查控一次（法〔2016〕373号）"
        self.add(g, "kind", "措施", self.kind, hint=hint)
        self.add(g, "taken_on", "日期", self.taken_on)
        self.add(g, "result", "结果", self.result, hint="如：查询到银行存款 12,000 元，已冻结")
        self.add(g, "document_no", "文书编号", self.document_no)
        self.finish("登记")
        self.validate()
        self.resize(540, 280)

    def read(self) -> tuple[en.ActionDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        draft = en.ActionDraft(self.kind.currentData() or "",
                               read_date(self.taken_on, "taken_on", errors), self.result.text(),
                               self.document_no.text())  # fmt: skip
        return draft, errors

    def check(self, value: en.ActionDraft) -> None:
        en.check_action(value, self.view.accepted_on, date.today())

    def submit(self, value: en.ActionDraft) -> Any:
        return self.services.enforcement.add_action(self.view.case_id, value)


#: step → (title, the date's label, head, OK button)
STEPS = {
    "terminate": ("终结本次执行", "终结本次执行的日期",
                  "终本后每六个月网络查控一次，发现财产的，恢复执行", "终结本次执行"),
    "resume": ("恢复执行", "恢复执行的日期", "终本后的网络查控提醒随之结束", "恢复执行"),
    "perform": ("履行完毕", "履行完毕的日期",
                "被执行人直接向申请执行人履行等：已纳入失信名单的，三个工作日内删除",
                "登记"),
}  # fmt: skip


class StepDialog(MeasureDialog):
    """A dated step with a note: 终结本次执行, 恢复执行, 履行完毕."""

    def __init__(self, services: Services, view: EnforcementView, step: str,
                 parent: QWidget | None = None):  # fmt: skip
        title, label, head, action = STEPS[step]
        super().__init__(title, f"enforcementStep_{step}", parent)
        self.services, self.view, self.step = services, view, step
        self.label = label
        self.set_head(f"{view.case_number}　当前：{view.state}。{head}")
        self.on = today_field()
        self.note = QLineEdit()
        g = self.grid()
        self.add(g, "on", label.removesuffix("的日期") + "日期", self.on)
        self.add(g, "note", "说明", self.note)
        self.finish(action)
        self.validate()
        self.resize(520, 200)

    def since(self) -> date:
        v = self.view
        if self.step == "terminate":
            return max(d for d in (v.accepted_on, v.resumed_on) if d is not None)
        if self.step == "resume" and v.terminated_on is not None:
            return v.terminated_on
        return v.accepted_on

    def read(self) -> tuple[tuple[date | None, str], dict[str, str]]:
        errors: dict[str, str] = {}
        return (read_date(self.on, "on", errors), self.note.text()), errors

    def check(self, value: tuple[date | None, str]) -> None:
        en.check_step_day("on", self.label, value[0], self.since(), date.today())

    def submit(self, value: tuple[date | None, str]) -> Any:
        sv, case_id = self.services.enforcement, self.view.case_id
        on, note = value
        if self.step == "terminate":
            return sv.terminate(case_id, on, note)
        if self.step == "resume":
            return sv.resume(case_id, on, note)
        return sv.record_performance(case_id, on, note)


class ClosingDialog(MeasureDialog):
    """结案: 执行完毕, 和解履行完毕, 终结执行 …"""

    def __init__(self, services: Services, view: EnforcementView, parent: QWidget | None = None):
        super().__init__("结案", "enforcementClosingDialog", parent)
        self.services, self.view = services, view
        self.set_head(f"{view.case_number}　当前：{view.state}，到位率 {view.rate_text or '—'}")
        full = view.performed_on is not None or view.remaining_fen == 0
        self.kind = choice(en.CLOSING_KINDS, "请选择", "执行完毕" if full else "")
        self.closed_on = today_field()
        self.document_no = QLineEdit()
        self.note = QLineEdit()
        g = self.grid()
        self.add(g, "kind", "结案方式", self.kind,
                 hint="和解履行完毕、执行完毕的，同时登记为履行完毕")  # fmt: skip
        self.add(g, "closed_on", "结案日期", self.closed_on)
        self.add(g, "document_no", "文书编号", self.document_no)
        self.add(g, "note", "备注", self.note)
        self.finish("结案")
        self.validate()
        self.resize(540, 260)

    def read(self) -> tuple[en.ClosingDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        draft = en.ClosingDraft(read_date(self.closed_on, "closed_on", errors),
                                self.kind.currentData() or "", self.document_no.text(),
                                self.note.text())  # fmt: skip
        return draft, errors

    def check(self, value: en.ClosingDraft) -> None:
        v = self.view
        since = max(d for d in (v.accepted_on, v.terminated_on, v.resumed_on) if d)
        en.check_closing(value, since, date.today())
        left = v.remaining_fen
        if value.kind == "执行完毕" and v.performed_on is None and left:
            raise FieldErrors({"kind": f"尚有 {yuan(left)} 未执行到位，不能以执行完毕结案"
                                       "（和解履行的，请选“和解履行完毕”）"})  # fmt: skip

    def submit(self, value: en.ClosingDraft) -> Any:
        return self.services.enforcement.close(self.view.case_id, value)
