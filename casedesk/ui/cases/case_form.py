"""The basic information of a case, as a form that checks every field while it is typed.

The form runs the same domain rules the service enforces (casedesk.domain.drafts.check_case),
so what it says at a field is exactly why saving would be refused.
"""

from __future__ import annotations

from casedesk.domain.amounts import AmountError, format_amount
from casedesk.domain.dates import DateError
from casedesk.domain.drafts import CaseDraft, check_case
from casedesk.domain.errors import FieldErrors
from casedesk.domain.identifiers import validate_case_number
from casedesk.domain.vocabulary import (
    CASE_FAMILIES,
    TYPE_FAMILY_TO_CASE_FAMILY,
    procedures_for,
    stages_for,
)
from casedesk.services.app import Services
from casedesk.services.dto import CaseDetail
from casedesk.ui.cases.permits import permit_field
from casedesk.ui.qt import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)
from casedesk.ui.widgets.fields import FieldGrid
from casedesk.ui.widgets.inputs import AmountField, DateField

TAG_COLUMNS = 4


class CaseForm(QWidget):
    changed = Signal()

    def __init__(self, services: Services, new: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.new = new
        self._types = services.code_tables.type_code_map()
        self._courts = services.code_tables.court_names()
        self._touched: set[str] = set()
        self._loaded: tuple | None = None
        self._loading = False

        self.case_number = QLineEdit()
        self.case_number.setObjectName("caseNumber")
        self.case_number.setPlaceholderText("如 （2023）新01民初123号，半角括号亦可")
        self.family = QComboBox()
        self.family.setObjectName("family")
        self.family.addItem("请选择", "")
        for family in CASE_FAMILIES:
            self.family.addItem(family, family)
        self.procedure = QComboBox()
        self.procedure.setEditable(True)
        self.stage = QComboBox()
        self.stage.setObjectName("stage")
        self.cause = QLineEdit()
        self.cause.setObjectName("cause")
        self.handler = QComboBox()
        self.handler.setEditable(True)
        self.handler.addItems(["", *services.case_list.handlers()])
        self.accepted_on = DateField()
        self.accepted_on.setObjectName("acceptedOn")
        self.closed_on = DateField()
        self.closed_on.setObjectName("closedOn")
        self.amount = AmountField()
        self.amount.setObjectName("amount")
        self.costs = AmountField()
        self.costs.setObjectName("costs")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setMaximumHeight(90)
        self.tag_boxes: dict[str, QCheckBox] = {}
        tags = QWidget()
        tag_grid = QGridLayout(tags)
        tag_grid.setContentsMargins(0, 0, 0, 0)
        for n, tag in enumerate(services.code_tables.tag_names()):
            box = QCheckBox(tag)
            self.tag_boxes[tag] = box
            tag_grid.addWidget(box, n // TAG_COLUMNS, n % TAG_COLUMNS)
            box.toggled.connect(self._edited)

        self.grid = FieldGrid(columns=2)
        self.grid.add("case_number", "案号", self.case_number, span=2)
        self.grid.add("family", "案件类别", self.family)
        self.grid.add("procedure", "程序", self.procedure)
        self.grid.add("cause", "案由/罪名", self.cause)
        self.grid.add("handler", "承办人", self.handler)
        self.grid.add("accepted_on", "收案日期", self.accepted_on)
        self.grid.add("closed_on", "结案日期", self.closed_on)
        if new:
            self.grid.add("stage", "当前阶段", self.stage)
        self.grid.add("amount", "标的额", self.amount)
        self.grid.add("costs", "诉讼费用（元）", self.costs)
        self.grid.add("tags", "标签", tags, span=2)
        self.grid.add("notes", "备注", self.notes, span=2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid)
        layout.addStretch(1)

        self.family.currentIndexChanged.connect(self._family_changed)
        for name, signal in (
            ("case_number", self.case_number.textChanged),
            ("family", self.family.currentIndexChanged),
            ("procedure", self.procedure.currentTextChanged),
            ("stage", self.stage.currentIndexChanged),
            ("cause", self.cause.textChanged),
            ("handler", self.handler.currentTextChanged),
            ("accepted_on", self.accepted_on.edited),
            ("closed_on", self.closed_on.edited),
            ("amount", self.amount.textChanged),
            ("costs", self.costs.textChanged),
            ("notes", self.notes.textChanged),
        ):
            signal.connect(lambda *_a, name=name: self._edited(name))
        self._family_changed()
        self._loaded = self._snapshot()

    # -- loading and reading ----------------------------------------------------------------------
    def load(self, detail: CaseDetail) -> None:
        self._loading = True
        self.case_number.setText(detail.case_number)
        self.family.setCurrentIndex(max(self.family.findData(detail.family), 0))
        self.procedure.setCurrentText(detail.procedure)
        self.cause.setText(detail.cause)
        self.handler.setCurrentText(detail.handler)
        self.accepted_on.set_value(detail.accepted_on)
        self.closed_on.set_value(detail.closed_on)
        self.amount.set_value(detail.amount_fen)
        self.costs.set_value(detail.costs_fen)
        self.notes.setPlainText(detail.notes)
        for name, box in self.tag_boxes.items():
            box.setChecked(name in detail.tags)
        self._loading = False
        self._touched.clear()
        self._loaded = self._snapshot()
        self.validate()

    def set_permits(self, edit_refusal: str, assign_refusal: str) -> None:
        """Fields the user may not change are read-only, their tooltip saying why: every field
        but the handler when editing is refused (case.edit), the handler when assigning is
        (case.assign)."""
        for widget in (self.case_number, self.family, self.procedure, self.cause,
                       self.accepted_on, self.closed_on, self.amount, self.costs, self.notes,
                       *self.tag_boxes.values()):  # fmt: skip
            permit_field(widget, edit_refusal)
        permit_field(self.handler, assign_refusal)

    def is_dirty(self) -> bool:
        return self._snapshot() != self._loaded

    def mark_saved(self) -> None:
        self._loaded = self._snapshot()

    def draft(self) -> CaseDraft:
        """The draft as typed; raises FieldErrors for dates or amounts that cannot be read."""
        draft, unreadable = self._read()
        if unreadable:
            raise FieldErrors(unreadable)
        return draft

    def _read(self) -> tuple[CaseDraft, dict[str, str]]:
        """The draft with unreadable dates or amounts left empty, and why they are unreadable."""
        errors: dict[str, str] = {}
        values: dict = {
            "accepted_on": None, "closed_on": None, "amount_fen": None, "costs_fen": None,
        }  # fmt: skip
        for name, field in (("accepted_on", self.accepted_on), ("closed_on", self.closed_on)):
            try:
                values[name] = field.value()
            except DateError as exc:
                errors[name] = str(exc)
        for name, key, amount in (("amount", "amount_fen", self.amount),
                                  ("costs", "costs_fen", self.costs)):  # fmt: skip
            try:
                values[key] = amount.value()
            except AmountError as exc:
                errors[name] = str(exc)
        draft = CaseDraft(
            case_number=self.case_number.text(),
            family=self.family.currentData() or "",
            procedure=self.procedure.currentText(),
            cause=self.cause.text(),
            handler=self.handler.currentText(),
            notes=self.notes.toPlainText(),
            tags=tuple(n for n, box in self.tag_boxes.items() if box.isChecked()),
            stage=(self.stage.currentData() or "") if self.new else "",
            **values,
        )
        return draft, errors

    # -- checking as the user types ---------------------------------------------------------------
    def validate(self, show_all: bool = False) -> bool:
        """Check every field; show messages for touched fields (all with ``show_all``)."""
        if show_all:
            self._touched.update(
                ("case_number", "family", "accepted_on", "closed_on", "amount", "costs")
            )
        draft, unreadable = self._read()
        errors: dict[str, str] = {}
        warnings: list[str] = []
        try:
            warnings = check_case(draft, self._types, self._courts).warnings
        except FieldErrors as exc:
            errors = exc.errors
        errors |= unreadable  # "not a date" says more than "please fill in"
        for name in ("case_number", "family", "procedure", "cause", "handler", "accepted_on",
                     "closed_on", "amount", "costs", "notes", "tags", "stage"):  # fmt: skip
            if name == "stage" and not self.new:
                continue
            if name in errors and (name in self._touched or name in ("amount", "costs")):
                self.grid.set_error(name, errors[name])
            else:
                self.grid.clear(name)
        if "case_number" not in errors:
            self._case_number_hint(warnings)
        return not errors

    def _case_number_hint(self, warnings: list[str]) -> None:
        number = validate_case_number(self.case_number.text(), self._types, self._courts)
        if not number.valid:
            return
        parts = number.parts
        court = self._courts.get(parts["court_code"], "")
        text = " · ".join(x for x in (court, parts["type_name"]) if x)
        if number.normalized != self.case_number.text():
            text = f"将保存为 {number.normalized}" + (f"（{text}）" if text else "")
        if warnings:
            self.grid.set_warning("case_number", "；".join([*warnings, text] if text else warnings))
        else:
            self.grid.set_hint("case_number", text)

    def _edited(self, name: str = "") -> None:
        if self._loading:
            return
        if name:
            self._touched.add(name)
        if name == "case_number" and self.new and "family" not in self._touched:
            self._suggest_family()
        self.validate()
        field = {"amount": self.amount, "costs": self.costs}.get(name)
        if field is not None and not self.grid.message(name):
            try:
                fen = field.value()
                self.grid.set_hint(name, f"{format_amount(fen)} 元" if fen is not None else "")
            except AmountError:
                pass
        self.changed.emit()

    def _suggest_family(self) -> None:
        number = validate_case_number(self.case_number.text(), self._types, self._courts)
        family = TYPE_FAMILY_TO_CASE_FAMILY.get(number.parts.get("type_family") or "", "")
        if number.valid and family:
            self._loading = True
            self.family.setCurrentIndex(self.family.findData(family))
            self._loading = False
            self._family_changed()

    def _family_changed(self) -> None:
        family = self.family.currentData() or "其他"
        current = self.procedure.currentText()
        self.procedure.blockSignals(True)
        self.procedure.clear()
        self.procedure.addItems(["", *procedures_for(family)])
        self.procedure.setCurrentText(current)
        self.procedure.blockSignals(False)
        self.stage.blockSignals(True)
        self.stage.clear()
        for stage in stages_for(family):
            self.stage.addItem(stage, stage)
        self.stage.blockSignals(False)

    def _snapshot(self) -> tuple:
        return (
            self.case_number.text(), self.family.currentData(), self.procedure.currentText(),
            self.cause.text(), self.handler.currentText(), self.accepted_on.text(),
            self.closed_on.text(), self.amount.text(), self.costs.text(), self.notes.toPlainText(),
            tuple(n for n, b in self.tag_boxes.items() if b.isChecked()),
        )  # fmt: skip
