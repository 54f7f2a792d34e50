"""The dialogs of a suggestion's life besides the editor: a new draft (kind, subtype,
recipient), service (方式, date, receiver), the reply (date, summary, adoption, measures), and a
催办 or 回访 entry. Checked as typed, refused at the field with nothing saved."""

from __future__ import annotations

from datetime import date
from typing import Any

from casedesk.domain import documents as dm
from casedesk.domain.errors import FieldErrors
from casedesk.services.app import Services
from casedesk.services.dto import CaseDetail
from casedesk.services.suggestions_dto import (
    ADOPTIONS,
    REMINDER,
    REVISIT,
    SERVICE_WAYS,
    SuggestionView,
)
from casedesk.ui.measures.forms import MeasureDialog, choice, read_date, today_field
from casedesk.ui.qt import QComboBox, QLineEdit, QPlainTextEdit, QWidget
from casedesk.ui.suggestions.widgets import RecipientField

KIND_HINTS = {
    dm.JUDICIAL: "人民法院在审判、执行中发现有关单位存在的问题，向其提出（综合治理类、类案、个案）",
    dm.PROCURATORIAL: "人民检察院依法向有关单位提出（再审、纠正违法、公益诉讼、社会治理等）",
    dm.OPINION: "人民检察院对不起诉人需要给予行政处罚、处分的，向主管机关提出",
    dm.NOTICE: "起诉、申请材料不符合形式要求的，一次性告知需要补正的全部内容",
}  # fmt: skip


def _day_check(on: date | None, label: str, after: date | None, after_label: str) -> None:
    if on is None:
        raise FieldErrors({"on": f"请填写{label}"})
    if on > date.today():
        raise FieldErrors({"on": f"{label}不能晚于今天"})
    if after is not None and on < after:
        raise FieldErrors({"on": f"{label}不能早于{after_label}（{after}）"})


class NewDialog(MeasureDialog):
    """新建建议书: the draft's kind, subtype and recipient; the rest is filled from the case.
    ``result_value`` the new draft's id."""

    def __init__(self, services: Services, case: CaseDetail, parent: QWidget | None = None):
        super().__init__("新建建议书", "suggestionNewDialog", parent)
        self.services, self.case = services, case
        self.set_head(f"案号：{case.case_number}　发文单位、案件事实和日期从本案填写，"
                      "正文可在编辑中修改")  # fmt: skip
        self.kind = choice(dm.KINDS, "请选择")
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.subtype = QComboBox()
        self.recipient = RecipientField(services.suggestions.recipients(case.id))
        self.subject = QLineEdit()
        self.subject.setPlaceholderText(f"默认：{case.cause}案件中发现的问题" if case.cause else "")
        g = self.grid()
        self.add(g, "kind", "文书种类", self.kind)
        self.add(g, "subtype", "类别", self.subtype)
        self.add(g, "recipient", "主送单位", self.recipient, hint="可稍后在编辑中填写")
        self.add(g, "subject", "事由", self.subject)
        self.finish("新建")
        self._kind_changed()
        self.validate()
        self.resize(640, 300)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData() or ""
        self.subtype.clear()
        subtypes = dm.KINDS.get(kind, ())
        if subtypes:
            self.subtype.addItem("请选择", "")
            for s in subtypes:
                self.subtype.addItem(s, s)
        else:
            self.subtype.addItem("（无）", "")
        self.subtype.setEnabled(bool(subtypes))
        self.fields["kind"].set_hint("kind", KIND_HINTS.get(kind, ""))

    def read(self) -> tuple[dict[str, str], dict[str, str]]:
        return {
            "kind": self.kind.currentData() or "",
            "subtype": self.subtype.currentData() or "",
            "recipient": self.recipient.text().strip(),
            "subject": self.subject.text().strip(),
        }, {}

    def check(self, value: dict[str, str]) -> None:
        errors = {}
        if value["kind"] not in dm.KINDS:
            errors["kind"] = "请选择文书种类"
        elif dm.KINDS[value["kind"]] and not value["subtype"]:
            errors["subtype"] = f"请选择{value['kind']}的类别"
        if len(value["recipient"]) > 200:
            errors["recipient"] = "主送单位过长（最多200个字）"
        if errors:
            raise FieldErrors(errors)

    def submit(self, value: dict[str, str]) -> Any:
        return self.services.suggestions.new_draft(
            self.case.id, value["kind"], value["subtype"], recipient=value["recipient"],
            subject=value["subject"],
        )  # fmt: skip


class ServeDialog(MeasureDialog):
    """送达: the way, the day (the two-month reply clock starts) and who signed for it."""

    def __init__(self, services: Services, view: SuggestionView, parent: QWidget | None = None):
        super().__init__(f"送达{view.kind}", "suggestionServeDialog", parent)
        self.services, self.view = services, view
        self.set_head(f"{view.number}　主送：{view.recipient}\n"
                      "送达之日起计算两个月的书面回复期限，显示在期限看板上")  # fmt: skip
        self.way = choice(SERVICE_WAYS, "请选择")
        self.on = today_field()
        self.receiver = QLineEdit()
        self.receiver.setPlaceholderText("签收人姓名、职务；宣告送达的，到场人员")
        g = self.grid()
        self.add(g, "way", "送达方式", self.way)
        self.add(g, "on", "送达日期", self.on)
        self.add(g, "receiver", "签收人", self.receiver)
        self.finish("送达")
        self.validate()
        self.resize(560, 260)

    def read(self) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        on = read_date(self.on, "on", errors)
        return {"way": self.way.currentData() or "", "on": on,
                "receiver": self.receiver.text().strip()}, errors  # fmt: skip

    def check(self, value: dict[str, Any]) -> None:
        errors = {}
        if value["way"] not in SERVICE_WAYS:
            errors["way"] = "请选择送达方式"
        if not value["receiver"]:
            errors["receiver"] = "请填写签收人（或宣告送达的到场人员）"
        try:
            _day_check(value["on"], "送达日期", self.view.signed_on, "成文日期")
        except FieldErrors as exc:
            errors |= exc.errors
        if errors:
            raise FieldErrors(errors)

    def submit(self, value: dict[str, Any]) -> Any:
        return self.services.suggestions.serve(
            self.view.id, value["way"], value["on"], value["receiver"]
        )


class ReplyDialog(MeasureDialog):
    """登记回复: the recipient's written reply, whether it adopted the suggestions, and what it
    did; the reply clock is met (late when after its last day)."""

    def __init__(self, services: Services, view: SuggestionView, parent: QWidget | None = None):
        super().__init__("登记回复", "suggestionReplyDialog", parent)
        self.services, self.view = services, view
        due = f"，回复期限至 {view.reply_due_on}" if view.reply_due_on else ""
        self.set_head(f"{view.number}　主送：{view.recipient}\n{view.served_on} 送达{due}")
        self.on = today_field()
        self.adoption = choice(ADOPTIONS, "请选择")
        self.summary = QPlainTextEdit()
        self.summary.setFixedHeight(80)
        self.measures = QPlainTextEdit()
        self.measures.setFixedHeight(80)
        self.measures.setPlaceholderText("被建议单位采取的整改措施（可不填）")
        g = self.grid()
        self.add(g, "on", "回复日期", self.on)
        self.add(g, "adoption", "采纳情况", self.adoption)
        self.add(g, "summary", "回复内容摘要", self.summary)
        self.add(g, "measures", "整改措施", self.measures)
        self.finish("登记")
        self.validate()
        self.resize(600, 380)

    def read(self) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        on = read_date(self.on, "on", errors)
        return {"on": on, "adoption": self.adoption.currentData() or "",
                "summary": self.summary.toPlainText().strip(),
                "measures": self.measures.toPlainText().strip()}, errors  # fmt: skip

    def check(self, value: dict[str, Any]) -> None:
        errors = {}
        if not value["summary"]:
            errors["summary"] = "请填写回复内容摘要"
        if value["adoption"] not in ADOPTIONS:
            errors["adoption"] = "请选择采纳情况"
        try:
            _day_check(value["on"], "回复日期", self.view.served_on, "送达日期")
        except FieldErrors as exc:
            errors |= exc.errors
        if errors:
            raise FieldErrors(errors)

    def submit(self, value: dict[str, Any]) -> Any:
        return self.services.suggestions.record_reply(
            self.view.id, value["on"], value["summary"], value["adoption"], value["measures"]
        )


class EntryDialog(MeasureDialog):
    """催办 (a reminder to a recipient that has not replied) or 回访 (a visit to see how the
    suggestion is carried out)."""

    def __init__(self, services: Services, view: SuggestionView, kind: str,
                 parent: QWidget | None = None):  # fmt: skip
        assert kind in (REMINDER, REVISIT)
        super().__init__(f"{kind}", f"suggestionEntry_{kind}", parent)
        self.services, self.view, self.kind = services, view, kind
        self.set_head(f"{view.number}　主送：{view.recipient}")
        self.on = today_field()
        self.note = QLineEdit()
        self.note.setPlaceholderText("催办方式、对方答复" if kind == REMINDER else "回访情况")
        g = self.grid()
        self.add(g, "on", f"{kind}日期", self.on)
        self.add(g, "note", "说明" if kind == REMINDER else "回访情况", self.note)
        self.finish("登记")
        self.validate()
        self.resize(560, 200)

    def read(self) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        return {"on": read_date(self.on, "on", errors), "note": self.note.text().strip()}, errors

    def check(self, value: dict[str, Any]) -> None:
        errors = {}
        if self.kind == REVISIT and not value["note"]:
            errors["note"] = "请写明回访情况"
        try:
            _day_check(value["on"], f"{self.kind}日期", self.view.served_on, "送达日期")
        except FieldErrors as exc:
            errors |= exc.errors
        if errors:
            raise FieldErrors(errors)

    def submit(self, value: dict[str, Any]) -> Any:
        sv = self.services.suggestions
        if self.kind == REMINDER:
            return sv.remind(self.view.id, value["on"], value["note"])
        return sv.revisit(self.view.id, value["on"], value["note"])
