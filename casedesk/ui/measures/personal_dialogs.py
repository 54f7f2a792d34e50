"""Dialogs for personal measures (拘传/取保候审/监视居住/拘留/逮捕): recording one, 变更 to
another (拘留 → 逮捕 …), ending it (解除/释放 …) and the steps of the custody chain
(提请批准逮捕)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import (
    CUSTODY_KINDS,
    CUSTODY_STEPS,
    END_REASONS,
    ORGAN_KINDS,
    PERSONAL_KINDS,
    MeasureEndDraft,
    PersonalMeasureDraft,
    check_measure_end,
    check_personal_measure,
)
from casedesk.services.app import Services
from casedesk.services.dto import CaseDetail
from casedesk.services.measure_dto import PersonalMeasureView
from casedesk.ui.measures.forms import (
    MeasureDialog,
    TimeField,
    choice,
    party_choice,
    read_amount,
    read_date,
    read_moment,
    set_choice,
    today_field,
)
from casedesk.ui.measures.rows import executed_text
from casedesk.ui.qt import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QWidget,
)
from casedesk.ui.widgets.fields import FieldGrid
from casedesk.ui.widgets.inputs import AmountField, DateField

EXECUTED_HINTS = {
    "拘传": "拘传按小时计算（最长12小时，刑诉法第119条）：请填写到案的日期和时间",
    "拘留": "执行拘留的日期，时间可不填",
    "逮捕": "执行逮捕的日期，时间可不填",
}


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return box


def measure_label(v: PersonalMeasureView) -> str:
    executed = f"，执行 {when}" if (when := executed_text(v)) else ""
    return f"{v.person_name}：{v.kind}（决定 {v.decided_on}{executed}）"


class PersonalFields:
    """The fields of one personal measure, added to ``dialog``: the common ones, 执行时间 (拘传,
    拘留, 逮捕), 保证人/保证金 (取保候审), 指定居所 (监视居住)."""

    def __init__(
        self,
        dialog: MeasureDialog,
        case: CaseDetail,
        kind: str,
        kinds: tuple[str, ...] = PERSONAL_KINDS,
        person_party_id: str = "",
    ):
        self.dialog = dialog
        self.kind = choice(kinds, current=kind)
        self.person = party_choice(case, persons_only=True, blank="请选择")
        if person_party_id:
            set_choice(self.person, person_party_id)
            self.person.setEnabled(False)
        self.decided_on = today_field()
        self.organ = QLineEdit()
        self.organ.setPlaceholderText("如：某市公安局；某区人民检察院")
        self.organ_kind = choice(ORGAN_KINDS, "请选择")
        self.document_no = QLineEdit()
        self.executed_on = DateField()
        self.executed_time = TimeField()
        self.by_guarantor = QRadioButton("保证人")
        self.by_guarantor.setChecked(True)
        self.by_deposit = QRadioButton("保证金")
        self.guarantor = QLineEdit()
        self.deposit = AmountField()
        self.designated = QCheckBox("指定居所监视居住")
        self.residence = QLineEdit()
        self.notes = QLineEdit()

        d = dialog
        main = d.grid()
        d.add(main, "kind", "措施种类", self.kind)
        d.add(main, "person_party_id", "被采取措施的人", self.person)
        d.add(main, "decided_on", "决定日期", self.decided_on)
        self.executed_grid = d.grid()
        d.add(
            self.executed_grid,
            "executed_at",
            "执行时间",
            _row(self.executed_on, self.executed_time),
        )
        self.bail_grid = d.grid()
        d.add(self.bail_grid, "bail_by", "保证方式", _row(self.by_guarantor, self.by_deposit))
        d.add(self.bail_grid, "guarantor", "保证人", self.guarantor)
        d.add(self.bail_grid, "deposit_fen", "保证金", self.deposit)
        self.surveillance_grid = d.grid()
        d.add(self.surveillance_grid, "designated_residence", "居所", self.designated)
        d.add(self.surveillance_grid, "residence", "监视居住地点", self.residence)
        rest = d.grid()
        d.add(rest, "organ", "决定机关", self.organ)
        d.add(rest, "organ_kind", "机关类别", self.organ_kind)
        d.add(rest, "document_no", "文书编号", self.document_no)
        d.add(rest, "notes", "备注", self.notes)
        for widget in (self.executed_on, self.executed_time):
            signal = widget.edited if isinstance(widget, DateField) else widget.textChanged
            signal.connect(lambda *_a: d.field_edited("executed_at"))
        self.by_guarantor.toggled.connect(lambda *_a: d.field_edited("bail_by"))
        self._align((main, self.executed_grid, self.bail_grid, self.surveillance_grid, rest))

    @staticmethod
    def _align(grids: tuple[FieldGrid, ...]) -> None:
        """The same label column width on every grid, so the inputs line up."""
        for grid in grids:
            grid.layout().setColumnMinimumWidth(0, 96)

    def refresh(self) -> None:
        kind = self.kind.currentData() or ""
        self.executed_grid.setVisible(kind in EXECUTED_HINTS)
        self.dialog.fields["executed_at"].set_hint("executed_at", EXECUTED_HINTS.get(kind, ""))
        self.bail_grid.setVisible(kind == "取保候审")
        self.surveillance_grid.setVisible(kind == "监视居住")
        self.guarantor.setEnabled(self.by_guarantor.isChecked())
        self.deposit.setEnabled(self.by_deposit.isChecked())
        self.residence.setEnabled(kind == "监视居住")

    def read(self, errors: dict[str, str]) -> PersonalMeasureDraft:
        kind = self.kind.currentData() or ""
        executed_at: datetime | None = None
        if kind in EXECUTED_HINTS:
            executed_at = read_moment(self.executed_on, self.executed_time, "executed_at", errors)
            if kind == "拘传" and executed_at and not self.executed_time.text().strip():
                errors["executed_at"] = "拘传按小时计算，请填写到案时间（精确到分钟）"
        bail = kind == "取保候审"
        deposit = (
            read_amount(self.deposit, "deposit_fen", errors)
            if bail and self.by_deposit.isChecked()
            else None
        )
        return PersonalMeasureDraft(
            kind=kind,
            person_party_id=self.person.currentData() or "",
            decided_on=read_date(self.decided_on, "decided_on", errors),
            executed_at=executed_at,
            organ=self.organ.text(),
            organ_kind=self.organ_kind.currentData() or "",
            document_no=self.document_no.text(),
            guarantor=self.guarantor.text() if bail and self.by_guarantor.isChecked() else "",
            deposit_fen=deposit,
            designated_residence=kind == "监视居住" and self.designated.isChecked(),
            residence=self.residence.text() if kind == "监视居住" else "",
            notes=self.notes.text(),
        )


class PersonalMeasureDialog(MeasureDialog):
    """新增人身强制措施 (kind preset) on a person of the case."""

    aliases: ClassVar[dict[str, str]] = {
        "person_id": "person_party_id",
        "executed_on": "executed_at",
    }

    def __init__(
        self,
        services: Services,
        case: CaseDetail,
        kind: str = "拘留",
        parent: QWidget | None = None,
    ):
        super().__init__(f"新增人身强制措施：{kind}", "personalMeasureDialog", parent)
        self.services, self.case = services, case
        self.form = PersonalFields(self, case, kind)
        self.finish("保存")
        self.validate()
        self.resize(560, 420)

    def refresh(self) -> None:
        self.form.refresh()

    def read(self) -> tuple[PersonalMeasureDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        return self.form.read(errors), errors

    def check(self, value: PersonalMeasureDraft) -> None:
        check_personal_measure(value, date.today())

    def submit(self, value: PersonalMeasureDraft) -> Any:
        return self.services.personal_measures.add(self.case.id, value)


class ChangeDialog(MeasureDialog):
    """变更: this measure ends on the day (reason 变更) and the new one is recorded for the same
    person (拘留 → 逮捕, 逮捕 → 取保候审 …)."""

    aliases: ClassVar[dict[str, str]] = {
        "ended_on": "on",
        "executed_on": "executed_at",
        "document": "end_document",
    }

    def __init__(
        self,
        services: Services,
        case: CaseDetail,
        view: PersonalMeasureView,
        parent: QWidget | None = None,
    ):
        super().__init__("变更强制措施", "changeDialog", parent)
        self.services, self.case, self.view = services, case, view
        self.set_head(f"原措施　{measure_label(view)}")
        self.on = today_field()
        self.end_document = QLineEdit()
        self.end_document.setPlaceholderText("如：提请批准逮捕书、批准逮捕决定书、变更决定书")
        self._last_on = self.on.text()
        self.on.edited.connect(self._follow)  # before checking: the new decision moves with it
        head = self.grid()
        self.add(head, "on", "变更日期", self.on)
        self.add(head, "end_document", "变更文书", self.end_document)
        head.layout().setColumnMinimumWidth(0, 96)
        kinds = tuple(k for k in PERSONAL_KINDS if k != view.kind)
        preset = (
            "逮捕" if view.kind == "拘留" else ("取保候审" if view.kind in CUSTODY_KINDS else "")
        )
        party = next((p.id for p in case.parties if p.subject_id == view.person_id), "")
        self.form = PersonalFields(self, case, preset or kinds[0], kinds, party)
        self.finish("变更")
        self.validate()
        self.resize(560, 480)

    def _follow(self) -> None:
        if self.form.decided_on.text() == self._last_on:
            self.form.decided_on.line.blockSignals(True)
            self.form.decided_on.line.setText(self.on.text())
            self.form.decided_on.line.blockSignals(False)
        self._last_on = self.on.text()

    def refresh(self) -> None:
        self.form.refresh()

    def read(self) -> tuple[tuple[date | None, PersonalMeasureDraft, str], dict[str, str]]:
        errors: dict[str, str] = {}
        on = read_date(self.on, "on", errors)
        return (on, self.form.read(errors), self.end_document.text()), errors

    def check(self, value: tuple[date | None, PersonalMeasureDraft, str]) -> None:
        on, new, _doc = value
        errors: dict[str, str] = {}
        for check in (
            lambda: check_measure_end(
                MeasureEndDraft(on, "变更"), self.view.decided_on, date.today()
            ),
            lambda: check_personal_measure(new, date.today()),
        ):
            try:
                check()
            except FieldErrors as exc:
                errors |= {self.aliases.get(k, k): v for k, v in exc.errors.items()}
        if errors:
            raise FieldErrors(errors)

    def submit(self, value: tuple[date | None, PersonalMeasureDraft, str]) -> Any:
        on, new, document = value
        return self.services.personal_measures.change(self.view.id, on, new, document)


class EndDialog(MeasureDialog):
    """解除 / 释放 / 期满 …: the measure ends and its open clocks are met."""

    aliases: ClassVar[dict[str, str]] = {"on": "ended_on"}

    def __init__(
        self, services: Services, view: PersonalMeasureView, parent: QWidget | None = None
    ):
        super().__init__("解除/释放", "endDialog", parent)
        self.services, self.view = services, view
        self.set_head(measure_label(view) + "\n变更为其他措施的，请用“变更”。")
        reasons = tuple(r for r in END_REASONS if r != "变更")
        self.ended_on = today_field()
        self.reason = choice(reasons, current="释放" if view.in_custody else "解除")
        self.document_no = QLineEdit()
        g = self.grid()
        self.add(g, "ended_on", "日期", self.ended_on)
        self.add(g, "reason", "方式", self.reason)
        self.add(g, "document_no", "文书编号", self.document_no)
        self.finish("确定")
        self.validate()
        self.resize(480, 240)

    def read(self) -> tuple[MeasureEndDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        draft = MeasureEndDraft(
            ended_on=read_date(self.ended_on, "ended_on", errors),
            reason=self.reason.currentData() or "",
            document_no=self.document_no.text(),
        )
        return draft, errors

    def check(self, value: MeasureEndDraft) -> None:
        check_measure_end(value, self.view.decided_on, date.today())

    def submit(self, value: MeasureEndDraft) -> Any:
        return self.services.personal_measures.end(self.view.id, value)


class StepDialog(MeasureDialog):
    """A step of the custody chain on a measure (提请批准逮捕 on a 拘留)."""

    aliases: ClassVar[dict[str, str]] = {"step": "on"}

    def __init__(
        self,
        services: Services,
        view: PersonalMeasureView,
        step: str = "arrest_requested",
        parent: QWidget | None = None,
    ):
        label = CUSTODY_STEPS[step][0]
        super().__init__(label, "stepDialog", parent)
        self.services, self.view, self.step = services, view, step
        self.set_head(measure_label(view))
        self.on = today_field()
        self.at = TimeField()
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：提请批准逮捕书文号")
        g = self.grid()
        self.add(g, "on", f"{label}日期", self.on)
        self.add(g, "at", "时间", self.at, hint="可不填")
        self.add(g, "note", "说明", self.note)
        self.finish("登记")
        self.validate()
        self.resize(480, 240)

    def read(self) -> tuple[tuple[date | None, datetime | None, str], dict[str, str]]:
        errors: dict[str, str] = {}
        on = read_date(self.on, "on", errors)
        at = None
        try:
            clock = self.at.value()
            at = datetime.combine(on, clock) if on and clock else None
        except ValueError as exc:
            errors["at"] = str(exc)
        return (on, at, self.note.text()), errors

    def check(self, value: tuple[date | None, datetime | None, str]) -> None:
        on = value[0]
        began = self.view.executed_on or self.view.decided_on
        if on is None:
            raise FieldErrors({"on": "请填写日期"})
        if on > date.today():
            raise FieldErrors({"on": "日期不能晚于今天"})
        if on < began:
            raise FieldErrors({"on": f"日期不能早于措施开始日期 {began}"})

    def submit(self, value: tuple[date | None, datetime | None, str]) -> Any:
        on, at, note = value
        return self.services.personal_measures.record_step(self.view.id, self.step, on, at, note)
