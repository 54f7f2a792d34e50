"""Dialogs for property measures (查封/扣押/冻结/扣留): recording or correcting one (with the
term its rule gives, shown as the kind, object and organ are chosen), 续行, 解除, the finding
that the property is unrelated to the case, and a periodic 复查."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import (
    OBJECT_KINDS,
    ORGAN_KINDS,
    PROPERTY_KINDS,
    PropertyMeasureDraft,
    ReleaseDraft,
    RenewalDraft,
    check_property_measure,
    check_release,
    check_renewal,
    property_term_rule,
)
from casedesk.services.app import Services
from casedesk.services.dto import CaseDetail
from casedesk.services.measure_dto import PropertyMeasureView
from casedesk.ui.measures.forms import (
    MeasureDialog,
    choice,
    party_choice,
    read_amount,
    read_date,
    set_choice,
    term_errors,
    today_field,
    together,
)
from casedesk.ui.measures.rows import measure_title, term_text, yuan
from casedesk.ui.qt import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)
from casedesk.ui.widgets.inputs import AmountField, DateField

CRIMINAL = ("刑事", "检察监督")
#: The object most often meant by each kind (the user can change it).
DEFAULT_OBJECT = {"冻结": "存款", "查封": "不动产", "扣押": "动产", "扣留": "动产"}
ACCOUNT_HINTS = {
    "存款": "开户行及账号",
    "不动产": "不动产权证号或登记号",
    "股权": "公司名称及出资额",
    "动产": "车牌号、编号等",
    "知识产权": "专利号、商标注册号等",
}


class PropertyMeasureDialog(MeasureDialog):
    """新增 (kind preset) or 修改 a property measure."""

    aliases: ClassVar[dict[str, str]] = {"owner_id": "owner_party_id", "owner": "owner_party_id"}

    def __init__(
        self,
        services: Services,
        case: CaseDetail,
        kind: str = "",
        view: PropertyMeasureView | None = None,
        parent: QWidget | None = None,
    ):
        kind = view.kind if view else kind or PROPERTY_KINDS[0]
        title = f"修改财产强制措施（{view.kind}）" if view else f"新增财产强制措施：{kind}"
        super().__init__(title, "propertyMeasureDialog", parent)
        self.services, self.case, self.view = services, case, view
        self.rules = {r.id: r for r in services.rules.rules()}
        self.kind = choice(PROPERTY_KINDS, current=kind)
        self.object_kind = choice(OBJECT_KINDS, "请选择", DEFAULT_OBJECT.get(kind, ""))
        self.description = QLineEdit()
        self.description.setPlaceholderText("如：某银行账户内存款；某路某号房产；车辆")
        self.owner = party_choice(case, blank="请选择")
        self.value = AmountField()
        self.account_no = QLineEdit()
        self.organ = QLineEdit()
        self.organ_kind = choice(
            ORGAN_KINDS, "请选择", "公安机关" if case.family in CRIMINAL else "人民法院"
        )
        self.document_no = QLineEdit()
        self.start_on = today_field()
        self.term_spec = QLineEdit()
        self.term_spec.setPlaceholderText("留空按规定期限；或如 6m（月）、1y（年）")
        self.live_use = QCheckBox("活封活扣（允许被执行人、所有人继续使用）")
        self.live_use_note = QLineEdit()
        self.live_use_note.setPlaceholderText("如：允许继续生产经营使用厂房设备，不得转让、抵押")
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(60)
        g = self.grid(columns=2)
        self.add(g, "kind", "种类", self.kind)
        self.add(g, "object_kind", "财产类别", self.object_kind)
        self.add(g, "description", "财产描述", self.description, span=2)
        self.add(g, "owner_party_id", "所有人", self.owner)
        self.add(g, "value_fen", "价值", self.value)
        self.add(g, "account_no", "账号/登记号", self.account_no)
        self.add(g, "document_no", "文书编号", self.document_no)
        self.add(g, "organ", "决定机关", self.organ)
        self.add(g, "organ_kind", "机关类别", self.organ_kind)
        self.add(g, "start_on", "开始日期", self.start_on)
        self.add(g, "term_spec", "期限", self.term_spec, span=2)
        self.add(g, "live_use", "活封活扣", self.live_use, span=2)
        self.add(g, "live_use_note", "允许的使用方式", self.live_use_note, span=2)
        self.add(g, "notes", "备注", self.notes, span=2)
        if view is not None:
            self._load(view)
        self.finish("保存")
        self.validate()
        self.resize(760, 460)

    def _load(self, v: PropertyMeasureView) -> None:
        set_choice(self.object_kind, v.object_kind)
        self.description.setText(v.description)
        owner = next((p.id for p in self.case.parties if p.subject_id == v.owner_id), "")
        set_choice(self.owner, owner)
        self.value.set_value(v.value_fen)
        self.account_no.setText(v.account_no)
        self.organ.setText(v.organ)
        set_choice(self.organ_kind, v.organ_kind)
        self.document_no.setText(v.document_no)
        self.start_on.set_value(v.start_on)
        rule = self.rules.get(v.term_rule_id)
        self.term_spec.setText("" if rule and rule.period == v.term_spec else v.term_spec)
        self.live_use.setChecked(v.live_use)
        self.live_use_note.setText(v.live_use_note)
        self.notes.setPlainText(v.notes)

    def rule_id(self) -> str:
        return property_term_rule(
            self.case.family,
            self.kind.currentData() or "",
            self.object_kind.currentData() or "",
            self.organ_kind.currentData() or "",
        )

    def refresh(self) -> None:
        self.live_use_note.setEnabled(self.live_use.isChecked())
        object_kind = self.object_kind.currentData() or ""
        self.account_no.setPlaceholderText(ACCOUNT_HINTS.get(object_kind, "账号、登记号或编号"))
        if not object_kind:
            self.fields["term_spec"].set_hint("term_spec", "选择财产类别后显示适用的期限规则")
            return
        rule_id = self.rule_id()
        self.fields["term_spec"].set_hint("term_spec", term_text(self.rules.get(rule_id), rule_id))

    def read(self) -> tuple[PropertyMeasureDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        draft = PropertyMeasureDraft(
            kind=self.kind.currentData() or "",
            object_kind=self.object_kind.currentData() or "",
            start_on=read_date(self.start_on, "start_on", errors),
            description=self.description.text(),
            owner_party_id=self.owner.currentData() or "",
            value_fen=read_amount(self.value, "value_fen", errors),
            account_no=self.account_no.text(),
            organ=self.organ.text(),
            organ_kind=self.organ_kind.currentData() or "",
            document_no=self.document_no.text(),
            term_spec=self.term_spec.text().strip(),
            live_use=self.live_use.isChecked(),
            live_use_note=self.live_use_note.text() if self.live_use.isChecked() else "",
            notes=self.notes.toPlainText(),
        )
        return draft, errors

    def check(self, value: PropertyMeasureDraft) -> None:
        rule_id = self.rule_id()
        more = term_errors(value.term_spec, self.rules.get(rule_id), rule_id)
        together(lambda: check_property_measure(value, date.today()), more)

    def submit(self, value: PropertyMeasureDraft) -> Any:
        pm = self.services.property_measures
        if self.view is not None:
            return pm.update(self.view.id, self.view.version, value)
        return pm.add(self.case.id, value)


class RenewalDialog(MeasureDialog):
    """续行: one more term from the current term's last day."""

    def __init__(
        self, services: Services, view: PropertyMeasureView, parent: QWidget | None = None
    ):
        super().__init__("续行", "renewalDialog", parent)
        self.services, self.view = services, view
        self.rule = next((r for r in services.rules.rules() if r.id == view.term_rule_id), None)
        self.set_head(
            f"{measure_title(view)}\n当前期限至 {view.term_end or '—'}（{view.term_name}）；"
            "续行应在期限届满前决定，届满未续行的措施已失效，须作为新措施登记。"
        )
        self.decided_on = today_field()
        self.organ = QLineEdit(view.organ)
        self.document_no = QLineEdit()
        self.term_spec = QLineEdit()
        self.term_spec.setPlaceholderText("留空按规定期限")
        g = self.grid()
        self.add(g, "decided_on", "决定日期", self.decided_on)
        self.add(g, "organ", "决定机关", self.organ)
        self.add(g, "document_no", "文书编号", self.document_no)
        period = f"{self.rule.period_text}" if self.rule else "规定期限"
        self.add(
            g, "term_spec", "续行期限", self.term_spec, hint=f"留空为{period}，自原期限届满日起算"
        )
        self.finish("续行")
        self.validate()
        self.resize(560, 300)

    def read(self) -> tuple[RenewalDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        draft = RenewalDraft(
            decided_on=read_date(self.decided_on, "decided_on", errors),
            organ=self.organ.text(),
            document_no=self.document_no.text(),
            term_spec=self.term_spec.text().strip(),
        )
        return draft, errors

    def check(self, value: RenewalDraft) -> None:
        more = term_errors(value.term_spec, self.rule, self.view.term_rule_id)
        together(
            lambda: check_renewal(value, self.view.term_end, self.view.lapses, date.today()), more
        )

    def submit(self, value: RenewalDraft) -> Any:
        return self.services.property_measures.renew(self.view.id, value)


class ReleaseDialog(MeasureDialog):
    """解除: in full, or part of the value."""

    def __init__(
        self, services: Services, view: PropertyMeasureView, parent: QWidget | None = None
    ):
        super().__init__("解除财产强制措施", "releaseDialog", parent)
        self.services, self.view = services, view
        self.set_head(
            f"{measure_title(view)}\n开始于 {view.start_on}；价值 {yuan(view.value_fen)}，"
            f"尚在控 {yuan(view.remaining_fen)}"
        )
        self.whole = QRadioButton("全部解除")
        self.whole.setChecked(True)
        self.part = QRadioButton("部分解除")
        scope = QWidget()
        row = QHBoxLayout(scope)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.whole)
        row.addWidget(self.part)
        row.addStretch(1)
        self.value = AmountField()
        self.released_on = today_field()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：已提供担保；经查明与案件无关；案件已审结")
        self.document_no = QLineEdit()
        g = self.grid()
        self.add(g, "full", "范围", scope)
        self.add(g, "value_fen", "解除部分价值", self.value)
        self.add(g, "released_on", "解除日期", self.released_on)
        self.add(g, "reason", "理由", self.reason)
        self.add(g, "document_no", "文书编号", self.document_no)
        self.whole.toggled.connect(lambda *_a: self.field_edited("full"))
        self.finish("解除")
        self.validate()
        self.resize(560, 320)

    def refresh(self) -> None:
        self.value.setEnabled(self.part.isChecked())

    def read(self) -> tuple[ReleaseDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        full = self.whole.isChecked()
        value = None if full else read_amount(self.value, "value_fen", errors)
        draft = ReleaseDraft(
            released_on=read_date(self.released_on, "released_on", errors),
            full=full,
            value_fen=value,
            reason=self.reason.text(),
            document_no=self.document_no.text(),
        )
        return draft, errors

    def check(self, value: ReleaseDraft) -> None:
        check_release(value, self.view.start_on, self.view.remaining_fen, date.today())

    def submit(self, value: ReleaseDraft) -> Any:
        return self.services.property_measures.release(self.view.id, value)


class _DatedNoteDialog(MeasureDialog):
    """A date (not before the measure began, not in the future) and a note."""

    aliases: ClassVar[dict[str, str]] = {"unrelated_on": "on", "reviewed_on": "on"}
    date_label, note_label, action = "日期", "说明", "确定"

    def __init__(
        self,
        title: str,
        name: str,
        services: Services,
        view: PropertyMeasureView,
        hint: str,
        parent: QWidget | None = None,
    ):
        super().__init__(title, name, parent)
        self.services, self.view = services, view
        self.set_head(f"{measure_title(view)}\n开始于 {view.start_on}")
        self.on: DateField = today_field()
        self.note = QLineEdit()
        g = self.grid()
        self.add(g, "on", self.date_label, self.on, hint=hint)
        self.add(g, "note", self.note_label, self.note)
        self.finish(self.action)
        self.validate()
        self.resize(540, 240)

    def read(self) -> tuple[tuple[date | None, str], dict[str, str]]:
        errors: dict[str, str] = {}
        return (read_date(self.on, "on", errors), self.note.text()), errors

    def check(self, value: tuple[date | None, str]) -> None:
        on = value[0]
        if on is None:
            raise FieldErrors({"on": f"请填写{self.date_label}"})
        if on > date.today():
            raise FieldErrors({"on": f"{self.date_label}不能晚于今天"})
        if on < self.view.start_on:
            raise FieldErrors({"on": f"{self.date_label}不能早于措施开始日期 {self.view.start_on}"})


class UnrelatedDialog(_DatedNoteDialog):
    """经查明与案件无关: starts the 3-day release clock (刑诉法 第145条)."""

    date_label, note_label, action = "查明日期", "说明", "登记"

    def __init__(
        self, services: Services, view: PropertyMeasureView, parent: QWidget | None = None
    ):
        super().__init__(
            "查明与案件无关",
            "unrelatedDialog",
            services,
            view,
            "经查明确实与案件无关的，应在三日以内解除并退还（刑诉法第145条）；届满日遇节假日顺延",
            parent,
        )

    def submit(self, value: tuple[date | None, str]) -> Any:
        return self.services.property_measures.mark_unrelated(self.view.id, *value)


class ReviewDoneDialog(_DatedNoteDialog):
    """复查 of a criminal seizure without statutory term: the next reminder runs from it."""

    date_label, note_label, action = "复查日期", "复查情况", "登记"

    def __init__(
        self, services: Services, view: PropertyMeasureView, parent: QWidget | None = None
    ):
        super().__init__(
            "定期复查",
            "reviewDoneDialog",
            services,
            view,
            "复查查封、扣押是否仍有必要；下一次复查提醒自本次复查日起算",
            parent,
        )

    def submit(self, value: tuple[date | None, str]) -> Any:
        return self.services.property_measures.record_review(self.view.id, *value)
