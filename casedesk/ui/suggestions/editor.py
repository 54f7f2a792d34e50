"""编辑建议书: the draft's heading fields, its body as blocks, attachments, contact, 抄送 and
signing date, beside a live preview of the whole text (the model's ``plain_text``, what both
renderers print) with the placeholders still unfilled and what finalising will still ask for.
Saved with the version it was read at: another desk's save first is a Chinese refusal."""

from __future__ import annotations

from typing import Any

from casedesk.domain import documents as dm
from casedesk.domain.doc_templates import check_complete, fill, unfilled
from casedesk.domain.errors import FieldErrors
from casedesk.services.app import Services
from casedesk.services.dto import CaseDetail
from casedesk.services.suggestions_dto import SuggestionDraft, SuggestionView
from casedesk.services.suggestions_records import check_draft
from casedesk.ui.measures.forms import MeasureDialog, choice, read_date
from casedesk.ui.qt import (
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.suggestions.widgets import BlocksEditor, LinesField, RecipientField
from casedesk.ui.widgets.buttons import dialog_buttons
from casedesk.ui.widgets.fields import ERROR_STYLE, HINT_STYLE, FieldGrid
from casedesk.ui.widgets.inputs import DateField

#: Where each part of the document is edited (for the lists of what is missing).
PART_NAMES = {
    "kind": "文书种类", "subtype": "类别", "issuer": "发文单位", "subject": "事由",
    "recipient": "主送单位", "blocks": "正文", "attachments": "附件", "signed_on": "成文日期",
    "contact": "联系人", "copy_to": "抄送", "source_cases": "关联案号", "pattern": "编号格式",
    "state": "状态",
}  # fmt: skip


def case_values(case: CaseDetail, issuer: str, recipient: str, subject: str) -> dict[str, str]:
    """The placeholders' values as saving fills them (services.suggestions_records)."""
    names = list(dict.fromkeys(p.name for p in case.parties))
    return {
        "案号": case.case_number, "案由": case.cause, "当事人": "、".join(names),
        "收案日期": dm.date_text(case.accepted_on),
        "结案日期": dm.date_text(case.closed_on) if case.closed_on else "",
        "承办人": case.handler, "发文单位": issuer, "主送单位": recipient, "事由": subject,
    }  # fmt: skip


def listed(errors: dict[str, str]) -> str:
    """FieldErrors as lines "· 主送单位：请填写…"."""
    return "\n".join(f"· {PART_NAMES.get(k, k)}：{v}" for k, v in errors.items())


class EditorDialog(MeasureDialog):
    """The draft editor; ``result_value`` the new version once saved."""

    def __init__(self, services: Services, view: SuggestionView, case: CaseDetail,
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__(f"编辑{view.kind}", "suggestionEditor", parent)
        self.services, self.view, self.case = services, view, case
        self.set_head(f"{view.kind}{'·' + view.subtype if view.subtype else ''}（草稿）"
                      f"　案号：{view.case_number}")  # fmt: skip
        subtypes = dm.KINDS[view.kind]
        self.subtype = choice(subtypes, "请选择", view.subtype) if subtypes else None
        self.issuer = QLineEdit(view.issuer)
        self.subject = QLineEdit(view.subject)
        self.subject.setPlaceholderText("建议事由，用于标题：关于××的司法建议书")
        self.recipient = RecipientField(services.suggestions.recipients(view.case_id))
        self.recipient.setText(view.recipient)
        self.signed_on = DateField()
        self.signed_on.set_value(view.signed_on)
        self.contact = QLineEdit(view.contact)
        self.contact.setPlaceholderText("联系人及电话")
        self.attachments = LinesField("每行一个附件名称", 2)
        self.attachments.set_value(view.attachments)
        self.copy_to = LinesField("每行一个抄送单位", 2)
        self.copy_to.set_value(view.copy_to)
        self.blocks = BlocksEditor()
        self.blocks.set_value(view.blocks)

        form = FieldGrid(columns=2)
        if self.subtype is not None:
            self.add(form, "subtype", "类别", self.subtype)
        self.add(form, "signed_on", "成文日期", self.signed_on, hint="定稿时须填写")
        self.add(form, "issuer", "发文单位", self.issuer, span=2)
        self.add(form, "subject", "事由", self.subject, span=2)
        self.add(form, "recipient", "主送单位", self.recipient, span=2)
        self.add(form, "blocks", "正文", self.blocks, span=2,
                 hint="标题、小标题和建议事项的序号自动编排，不必输入")  # fmt: skip
        self.add(form, "attachments", "附件", self.attachments)
        self.add(form, "copy_to", "抄送", self.copy_to)
        self.add(form, "contact", "联系人", self.contact, span=2)

        self.preview = QPlainTextEdit()
        self.preview.setObjectName("suggestionPreview")
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.missing = QLabel()
        self.missing.setObjectName("suggestionUnfilled")
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet(ERROR_STYLE)
        self.readiness = QLabel()
        self.readiness.setObjectName("suggestionReadiness")
        self.readiness.setWordWrap(True)
        self.readiness.setStyleSheet(HINT_STYLE)
        right = QWidget()
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(QLabel("预览（占位符按案件信息填写，保存时写入正文）："))
        side.addWidget(self.preview, 1)
        side.addWidget(self.missing)
        side.addWidget(self.readiness)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(form)
        splitter.addWidget(right)
        splitter.setSizes([640, 520])
        self.body.addWidget(splitter, 1)
        self.body.addWidget(dialog_buttons("保存", self.save, self.reject))
        self.validate()
        self.resize(1240, 820)

    # -- reading ----------------------------------------------------------------------------------
    def read(self) -> tuple[SuggestionDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        draft = SuggestionDraft(
            subtype=self.subtype.currentData() or "" if self.subtype is not None else "",
            issuer=self.issuer.text(), subject=self.subject.text(),
            recipient=self.recipient.text(), blocks=self.blocks.value(),
            attachments=self.attachments.value(),
            signed_on=read_date(self.signed_on, "signed_on", errors),
            contact=self.contact.text(), copy_to=self.copy_to.value(),
            source_cases=self.view.source_cases,
        )  # fmt: skip
        return draft, errors

    def document(self, draft: SuggestionDraft) -> dm.Document:
        """The draft as the document saving gives (placeholders filled where the case can)."""
        values = case_values(self.case, draft.issuer.strip(), draft.recipient.strip(),
                             draft.subject.strip())  # fmt: skip
        blocks = tuple(dm.Block(b.kind, fill(b.text.strip(), values).text) for b in draft.blocks)
        return dm.Document(
            kind=self.view.kind, subtype=draft.subtype, issuer=draft.issuer.strip(),
            subject=draft.subject.strip(), recipient=draft.recipient.strip(), blocks=blocks,
            number=self.view.number, attachments=draft.attachments, signed_on=draft.signed_on,
            contact=draft.contact.strip(), copy_to=draft.copy_to,
        )  # fmt: skip

    def preview_text(self) -> str:
        return dm.plain_text(self.document(self.read()[0]))

    def check(self, value: SuggestionDraft) -> None:
        check_draft(self.view.kind, value, self.case.accepted_on)

    def refresh(self) -> None:
        """The preview, the placeholders left and what finalising still needs."""
        doc = self.document(self.read()[0])
        text = dm.plain_text(doc)
        if text != self.preview.toPlainText():
            bar = self.preview.verticalScrollBar()
            at = bar.value()
            self.preview.setPlainText(text)
            bar.setValue(at)
        left = unfilled(doc)
        names = list(dict.fromkeys(n for found in left.values() for n in found))
        self.missing.setText(
            "未能填写的占位符：" + "、".join("{{" + n + "}}" for n in names)
            + "（案件中没有该项内容，请改为具体文字）" if names else ""
        )  # fmt: skip
        self.missing.setVisible(bool(names))
        needs: dict[str, str] = {}
        for rule in (check_complete, dm.check_final):
            try:
                rule(doc)
            except FieldErrors as exc:
                needs = exc.errors | needs
        self.readiness.setText("定稿前还须：\n" + listed(needs) if needs else "✓ 可以定稿")

    # -- saving -----------------------------------------------------------------------------------
    def submit(self, value: SuggestionDraft) -> Any:
        return self.services.suggestions.save_draft(self.view.id, self.view.version, value)

    def is_dirty(self) -> bool:
        draft = self.read()[0]
        v = self.view
        return (draft.subtype, draft.issuer, draft.subject, draft.recipient, draft.contact,
                draft.attachments, draft.copy_to, draft.signed_on, draft.blocks) != (
                v.subtype, v.issuer, v.subject, v.recipient, v.contact, v.attachments,
                v.copy_to, v.signed_on, v.blocks)  # fmt: skip

    def reject(self) -> None:
        if self.result() != self.DialogCode.Accepted and self.is_dirty():
            answer = QMessageBox.question(
                self, "放弃修改", f"{self.view.kind}草稿有未保存的修改，确定放弃吗？"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
