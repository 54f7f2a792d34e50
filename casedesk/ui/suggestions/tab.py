"""建议书 tab of a case (every family): the case's suggestion documents with their state, the
selected one's text as it will print and its follow-up (service, reply clock, 催办, 回访), and
the actions its state allows — new, edit, finalise, export, serve, reply, 催办, 回访, delete."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from casedesk.domain import documents as dm
from casedesk.domain.errors import FieldErrors
from casedesk.export.output import ExportReport
from casedesk.services.app import Services
from casedesk.services.dto import CaseDetail
from casedesk.services.errors import ServiceError
from casedesk.services.suggestions import SuggestionService as Service
from casedesk.services.suggestions_dto import (
    DRAFT,
    FINAL,
    OVERDUE,
    REMINDER,
    REPLIED,
    REVISIT,
    SERVED,
    SuggestionView,
)
from casedesk.ui.cases.permits import action_of, permit, refused
from casedesk.ui.measures.models import Row
from casedesk.ui.measures.panels import Section
from casedesk.ui.measures.rows import GRAY, RED
from casedesk.ui.ops import Failed, attempt, warn
from casedesk.ui.qt import (
    QDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.suggestions import export, printing
from casedesk.ui.suggestions.dialogs import EntryDialog, NewDialog, ReplyDialog, ServeDialog
from casedesk.ui.suggestions.editor import EditorDialog, listed
from casedesk.ui.widgets.case_tab import CaseRecordsTab

HEADERS = ("种类", "编号", "主送单位", "状态", "送达", "回复期限", "回复")
ENTRY_HEADERS = ("日期", "事项", "说明", "登记人")
EMPTY = "本案尚无建议书。“新建建议书…”按本案信息起草司法建议书、检察建议书或检察意见书。"
#: Button → the states it acts on.
ACTIONS: dict[str, tuple[str, ...]] = {
    "edit": (DRAFT,), "finalise": (DRAFT,), "docx": (DRAFT, FINAL, SERVED, OVERDUE, REPLIED),
    "pdf": (DRAFT, FINAL, SERVED, OVERDUE, REPLIED),
    "print": (DRAFT, FINAL, SERVED, OVERDUE, REPLIED), "serve": (FINAL,),
    "reply": (SERVED, OVERDUE), "remind": (SERVED, OVERDUE), "revisit": (SERVED, OVERDUE, REPLIED),
    "delete": (DRAFT,),
}  # fmt: skip
#: Button → the action of the SuggestionService method it ends in (exports and prints are
#: recorded through record_output).
GUARDS = {key: action_of(method) for key, method in (
    ("new", Service.new_draft), ("edit", Service.save_draft), ("finalise", Service.finalise),
    ("docx", Service.record_output), ("pdf", Service.record_output),
    ("print", Service.record_output), ("serve", Service.serve), ("reply", Service.record_reply),
    ("remind", Service.remind), ("revisit", Service.revisit), ("delete", Service.delete_draft),
)}  # fmt: skip


def to_document(v: SuggestionView) -> dm.Document:
    return dm.Document(
        kind=v.kind, subtype=v.subtype, issuer=v.issuer, subject=v.subject,
        recipient=v.recipient, blocks=v.blocks, number=v.number, attachments=v.attachments,
        signed_on=v.signed_on, contact=v.contact, copy_to=v.copy_to,
    )  # fmt: skip


def suggestion_row(v: SuggestionView) -> Row:
    kind = v.kind + (f"·{v.subtype}" if v.subtype else "")
    served = f"{v.served_on} {v.served_way}" if v.served_on else ""
    replied = f"{v.replied_on} {v.adoption}" if v.replied_on else ""
    colour = RED if v.state == OVERDUE else GRAY if v.state == DRAFT else None
    cells = (kind, v.number or "草稿", v.recipient or "（未填写）", v.state, served,
             str(v.reply_due_on or ""), replied)  # fmt: skip
    return Row(v.id, cells, colour)


def follow_up_text(v: SuggestionView) -> str:
    """The selected document's life so far, one line each (rich text)."""
    lines = [f"<b>{escape(v.kind)}　{escape(v.number or '（未编号）')}</b>　{escape(v.state)}"]
    if v.signed_on:
        lines.append(f"成文日期：{v.signed_on}")
    if v.served_on:
        who = escape(v.served_receiver)
        lines.append(f"送达：{v.served_on}，{escape(v.served_way)}，签收人 {who}")
    if v.reply_due_on and not v.replied_on:
        style = " style='color:#c62828'" if v.state == OVERDUE else ""
        lines.append(f"<span{style}>书面回复期限：{v.reply_due_on}"
                     f"{'（已逾期）' if v.state == OVERDUE else ''}</span>")  # fmt: skip
    if v.replied_on:
        late = "（逾期回复）" if v.reply_due_on and v.replied_on > v.reply_due_on else ""
        lines.append(f"回复：{v.replied_on}{late}，{escape(v.adoption)}")
        lines.append(f"回复内容：{escape(v.reply_summary)}")
        if v.measures:
            lines.append(f"整改措施：{escape(v.measures)}")
    if v.unfilled and v.state == DRAFT:
        names = "、".join("{{" + n + "}}" for n in v.unfilled)
        lines.append(f"<span style='color:#c62828'>尚未填写的占位符：{escape(names)}</span>")
    return "<br>".join(lines)


class SuggestionsTab(CaseRecordsTab):
    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None):
        super().__init__(services, case_id, parent)
        self.views: list[SuggestionView] = []
        self.export_job: object = None
        self.print_job: printing.PrintJob | None = None
        self.list = Section("本案建议书", HEADERS, "suggestionList")
        self.buttons: dict[str, QPushButton] = {}
        self.new_button = self.list.button("新建建议书…", "newSuggestion", self.new)
        acts: list[tuple[str, str, Callable[[], object]]] = [
            ("edit", "编辑…", self.edit), ("finalise", "定稿…", self.finalise),
            ("docx", "导出DOCX…", lambda: self.export(export.DOCX)),
            ("pdf", "导出PDF…", lambda: self.export(export.PDF)),
            ("print", "打印…", self.print_document),
            ("serve", "送达…", self.serve), ("reply", "登记回复…", self.reply),
            ("remind", "催办…", lambda: self.entry(REMINDER)),
            ("revisit", "回访…", lambda: self.entry(REVISIT)),
        ]  # fmt: skip
        for key, label, act in acts:
            self.buttons[key] = self.list.button(label, f"suggestion_{key}", act)
        self.list.end_buttons()
        self.buttons["delete"] = self.list.button("删除草稿", "suggestion_delete", self.delete)
        self.list.table.doubleClicked.connect(lambda _i: self._open_selected())
        self.list.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_current())

        self.preview = QPlainTextEdit()
        self.preview.setObjectName("suggestionText")
        self.preview.setReadOnly(True)
        self.facts = QLabel()
        self.facts.setObjectName("suggestionFacts")
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setWordWrap(True)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.entries = Section("催办、回访", ENTRY_HEADERS, "suggestionEntries")
        self.entries.end_buttons()
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.facts)
        side_layout.addWidget(self.entries, 1)
        text = QWidget()
        text_layout = QVBoxLayout(text)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.addWidget(QLabel("全文（与导出的文件文字相同）："))
        text_layout.addWidget(self.preview, 1)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.setChildrenCollapsible(False)
        lower.addWidget(text)
        lower.addWidget(side)
        lower.setSizes([600, 400])
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.list)
        splitter.addWidget(lower)
        splitter.setSizes([260, 500])
        self.empty = QLabel(EMPTY)
        self.empty.setObjectName("suggestionsEmpty")
        self.empty.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("suggestionStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self.lower = lower

    # -- loading ----------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        current = select or self.current_id()
        self.views = self.services.suggestions.for_case(self.case_id)
        self.stale = False
        self.list.table.fill([suggestion_row(v) for v in self.views], current)
        if self.views and self.list.table.selected_id() is None:
            self.list.table.select_id(self.views[-1].id)
        self.empty.setVisible(not self.views)
        permit(self.new_button, refused(self.case, GUARDS["new"]), self.editable)
        self._show_current()

    def current_id(self) -> str | None:
        return self.list.table.selected_id()

    def current(self) -> SuggestionView | None:
        wanted = self.current_id()
        return next((v for v in self.views if v.id == wanted), None)

    def _show_current(self) -> None:
        v = self.current()
        for key, button in self.buttons.items():
            state = self.editable and v is not None and v.state in ACTIONS[key]
            permit(button, refused(self.case, GUARDS[key]), state)
        self.lower.setVisible(v is not None)
        if v is None:
            return
        self.preview.setPlainText(dm.plain_text(to_document(v)))
        self.facts.setText(follow_up_text(v))
        self.entries.table.fill([Row(e.id, (str(e.on), e.kind, e.note, e.created_by))
                                 for e in v.entries])  # fmt: skip

    def _open_selected(self) -> None:
        v, allowed = self.current(), self.editable and not refused(self.case, GUARDS["edit"])
        if v is not None and v.state == DRAFT and allowed:
            self.edit()

    # -- acting -----------------------------------------------------------------------------------
    def _case(self) -> CaseDetail:
        if self.case is None:
            self.case = self.services.cases.get(self.case_id)
        return self.case

    def _run(self, dialog: QDialog, select: str | None, clocks: bool = False) -> bool:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self.reload(select)  # another desk may have changed it meanwhile
            return False
        self.reload(select)
        if clocks:
            self.changed.emit()
        return True

    def new(self) -> bool:
        dialog = NewDialog(self.services, self._case(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.reload(dialog.result_value)
        return self.edit()

    def edit(self) -> bool:
        v = self.current()
        if v is None or v.state != DRAFT:
            return False
        return self._run(EditorDialog(self.services, v, self._case(), self), v.id)

    def finalise(self) -> bool:
        v = self.current()
        if v is None:
            return False
        answer = QMessageBox.question(
            self, f"定稿{v.kind}",
            f"定稿后按发文单位、种类和年度编号，正文锁定，不能再修改。\n\n确定将致"
            f"{v.recipient or '（未填写主送单位）'}的{v.kind}定稿吗？",
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            number = self.services.suggestions.finalise(v.id, v.version)
        except FieldErrors as exc:
            warn(self, f"{v.kind}尚不能定稿：\n{listed(exc.errors)}\n\n请先在“编辑”中补充。",
                 f"定稿{v.kind}")  # fmt: skip
            self.reload(v.id)
            return False
        except ServiceError as exc:  # changed or deleted meanwhile
            warn(self, str(exc), f"定稿{v.kind}")
            self.reload(v.id)
            return False
        self.reload(v.id)
        self.status.setText(f"已定稿，编号 {number}")
        return True

    def export(self, fmt: str, path=None) -> bool:  # type: ignore[no-untyped-def]
        v = self.current()
        if v is None:
            return False

        def done(report: ExportReport) -> None:
            self.export_job = None
            self.status.setText(report.message)

        self.export_job = export.export_document(self, self.services, v, fmt, done, path)
        return self.export_job is not None

    def print_document(self) -> bool:
        """打印…: preview, then the system's print dialog (printer, copies, pages)."""
        v = self.current()
        if v is None:
            return False

        def done(label: str) -> None:
            self.status.setText(f"已{label}")
            self.reload(v.id)

        self.print_job = printing.print_document(self, self.services, v, done)
        return self.print_job is not None

    def serve(self) -> bool:
        v = self.current()
        return v is not None and self._run(ServeDialog(self.services, v, self), v.id, True)

    def reply(self) -> bool:
        v = self.current()
        return v is not None and self._run(ReplyDialog(self.services, v, self), v.id, True)

    def entry(self, kind: str) -> bool:
        v = self.current()
        return v is not None and self._run(EntryDialog(self.services, v, kind, self), v.id)

    def delete(self) -> bool:
        v = self.current()
        if v is None or v.state != DRAFT:
            return False
        answer = QMessageBox.question(
            self,
            "删除草稿",
            f"确定删除致{v.recipient or '（未填写主送单位）'}的{v.kind}草稿吗？\n"
            "删除后可在回收站恢复。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            attempt(self, self.services.suggestions.delete_draft, v.id)
        except Failed:
            self.reload()
            return False
        self.reload()
        return True
