"""建议书设置: the issuing units' full names, and per unit and kind the number pattern (checked
as typed with the rule the service applies, an example number shown) and the wording blocks
(开头语, 回复要求, 结束语) with the ``{{名称}}`` placeholders they may use. A refusal shows at its
field and nothing is saved; switching to another unit or kind with unsaved edits asks first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from casedesk.domain import documents as dm
from casedesk.domain.doc_templates import (
    CLOSING,
    OPENING,
    PLACEHOLDERS,
    REPLY,
    WORDING_FIELDS,
    Wording,
    check_wording,
)
from casedesk.domain.errors import FieldErrors
from casedesk.services.app import Services
from casedesk.services.errors import ServiceError
from casedesk.services.suggestions_admin import UNIT_LIMIT, check_unit_kind
from casedesk.ui.measures.forms import MeasureDialog, choice
from casedesk.ui.ops import ask_to_save, warn
from casedesk.ui.qt import QComboBox, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QWidget
from casedesk.ui.widgets.fields import HINT_STYLE

PATTERN_HINT = "须含年度〔{year}〕和序号 {n}，如 新01法建〔{year}〕{n}号；{court} 自动填为本院代码"
PATTERN_LIMIT = 100
PLACEHOLDER_TEXT = "可用占位符（起草时从案件填入，无法填写的会在导出前提示）：" + "；".join(
    "{{" + name + "}}＝" + what for name, what in PLACEHOLDERS.items()
)


@dataclass(frozen=True)
class Settings:
    """What the dialog shows: the unit names and one unit's pattern and wording for a kind."""

    court: str
    procuratorate: str
    unit: str
    kind: str
    pattern: str
    wording: Wording


def _blank(value: Settings) -> bool:
    """No unit chosen and nothing typed for one: the form only sets the unit names."""
    return (
        not value.unit
        and not value.pattern
        and not any((value.wording.opening, value.wording.reply, value.wording.closing))
    )


def _text_box(lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(22 * lines + 12)
    return box


class SuggestionSettingsDialog(MeasureDialog):
    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__("建议书设置", "suggestionSettingsDialog", parent)
        self.services = services
        self.codes = services.code_tables.court_names()  # code → court name
        self._loading = False
        names = services.suggestions.unit_names()
        self.saved_names = (names.court, names.procuratorate)
        self.loaded: Settings | None = None  # the unit/kind as last loaded or saved
        self.set_head(
            "发文单位全称用于新起草的建议书；编号格式与文书模板按“发文单位 + 文书种类”分别设置，"
            "定稿时按格式编号（每个单位、种类、年度从 1 起连续编号）。"
        )
        self.court = QLineEdit(names.court)
        self.court.setObjectName("courtName")
        self.procuratorate = QLineEdit(names.procuratorate)
        self.procuratorate.setObjectName("procuratorateName")
        for box in (self.court, self.procuratorate):
            box.setMaxLength(UNIT_LIMIT + 20)
        units = self.grid()
        self.add(units, "court", "本院全称（法院）", self.court,
                 hint="留空时取法院代码表中案件所属法院的名称")  # fmt: skip
        self.add(units, "procuratorate", "本院全称（检察院）", self.procuratorate,
                 hint="如 乌鲁木齐市人民检察院")  # fmt: skip

        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.setObjectName("unit")
        # the unit names, then the courts of the code table, those with the most cases first
        courts = sorted(services.code_tables.court_codes(), key=lambda c: -c.uses)
        for name in dict.fromkeys([*self.saved_names, *(c.name for c in courts)]):
            if name:
                self.unit.addItem(name)
        self.kind = choice(dm.KINDS)
        self.kind.setObjectName("kind")
        self.pattern = QLineEdit()
        self.pattern.setObjectName("pattern")
        self.pattern.setMaxLength(PATTERN_LIMIT + 20)
        self.blocks = {key: _text_box(4 if key == REPLY else 3) for key in WORDING_FIELDS}
        for key, box in self.blocks.items():
            box.setObjectName(f"wording_{key}")
        per_kind = self.grid()
        self.add(per_kind, "unit", "发文单位", self.unit)
        self.add(per_kind, "kind", "文书种类", self.kind)
        self.add(per_kind, "pattern", "编号格式", self.pattern, hint=PATTERN_HINT)
        self.add(per_kind, OPENING, "开头语", self.blocks[OPENING],
                 hint="问题来源，如 我院在审理{{当事人}}{{案由}}一案（{{案号}}）中……")  # fmt: skip
        self.add(per_kind, REPLY, "回复要求", self.blocks[REPLY],
                 hint="标准回复语句：回复期限、异议期限")  # fmt: skip
        self.add(per_kind, CLOSING, "结束语", self.blocks[CLOSING], hint="可不填")
        self.placeholders = QLabel(PLACEHOLDER_TEXT)
        self.placeholders.setObjectName("placeholders")
        self.placeholders.setWordWrap(True)
        self.placeholders.setStyleSheet(HINT_STYLE)
        self.body.addWidget(self.placeholders)
        self.finish("保存")
        self.resize(760, 720)

        procuratorate_first = not names.court and bool(names.procuratorate)
        if procuratorate_first:
            self.unit.setCurrentText(names.procuratorate)
            self.kind.setCurrentIndex(self.kind.findData(dm.PROCURATORIAL))
        self.unit.activated.connect(lambda _i: self.switch())
        self.unit.lineEdit().editingFinished.connect(self.switch)
        self.kind.currentIndexChanged.connect(lambda _i: self.switch())
        for box in (self.court, self.procuratorate):
            box.editingFinished.connect(self._offer_unit)
        self.load()

    def _offer_unit(self) -> None:
        """A unit name typed above becomes a choice of 发文单位."""
        for name in (self.court.text().strip(), self.procuratorate.text().strip()):
            if name and self.unit.findText(name) < 0:
                self.unit.addItem(name)

    # -- loading ----------------------------------------------------------------------------------
    def load(self) -> None:
        """Show the pattern and wording of the unit and kind now chosen."""
        unit, kind = self.unit.currentText().strip(), self.kind.currentData()
        pattern, wording = "", Wording("", "")
        try:
            check_unit_kind(unit, kind)
        except FieldErrors:
            pass
        else:
            pattern = self.services.suggestions.pattern(unit, kind).pattern
            view = self.services.suggestions.template(unit, kind)
            wording = Wording(view.opening, view.reply, view.closing)
        self._loading = True
        try:
            self.pattern.setText(pattern)
            for key, box in self.blocks.items():
                box.setPlainText(getattr(wording, key))
        finally:
            self._loading = False
        self.loaded = Settings(self.court.text().strip(), self.procuratorate.text().strip(),
                               unit, kind, pattern, wording)  # fmt: skip
        self.touched -= {"pattern", *WORDING_FIELDS}
        self.validate()

    def switch(self) -> None:
        """Another unit or kind chosen: ask about unsaved edits of the one shown, then load."""
        previous = self.loaded
        chosen = (self.unit.currentText().strip(), self.kind.currentData())
        if previous is None or chosen == (previous.unit, previous.kind):
            return
        if self.dirty(previous):
            answer = ask_to_save(self, f"{previous.unit}{previous.kind}的设置")
            if answer == QMessageBox.StandardButton.Cancel:
                self._show_unit_kind(previous.unit, previous.kind)
                return
            if answer == QMessageBox.StandardButton.Save:
                self._show_unit_kind(previous.unit, previous.kind)
                if not self.apply():
                    return
                self._show_unit_kind(*chosen)
        self.load()

    def _show_unit_kind(self, unit: str, kind: str) -> None:
        for box in (self.unit, self.kind):
            box.blockSignals(True)
        self.unit.setCurrentText(unit)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        for box in (self.unit, self.kind):
            box.blockSignals(False)

    def dirty(self, against: Settings | None = None) -> bool:
        loaded = against or self.loaded
        if loaded is None:
            return False
        value, _ = self.read()  # the unit names stay in the form whatever unit is shown
        return value.pattern != loaded.pattern or value.wording != loaded.wording

    def field_edited(self, name: str) -> None:
        if not self._loading:
            super().field_edited(name)

    # -- the form ---------------------------------------------------------------------------------
    def read(self) -> tuple[Settings, dict[str, str]]:
        wording = Wording(*(self.blocks[k].toPlainText().strip() for k in (OPENING, REPLY,
                                                                            CLOSING)))  # fmt: skip
        loaded = self.loaded
        unit = loaded.unit if loaded else self.unit.currentText().strip()
        kind = loaded.kind if loaded else self.kind.currentData()
        return Settings(self.court.text().strip(), self.procuratorate.text().strip(), unit,
                        kind, self.pattern.text().strip(), wording), {}  # fmt: skip

    def filled_pattern(self, value: Settings) -> str:
        """The pattern as the service saves it: {court} → the unit's court code, if it has one."""
        code = next((c for c, name in self.codes.items() if name == value.unit), "")
        return value.pattern.replace("{court}", code) if code else value.pattern

    def refresh(self) -> None:
        value, _ = self.read()
        try:
            pattern = dm.check_pattern(self.filled_pattern(value))
        except FieldErrors:
            self.fields["pattern"].set_hint("pattern", PATTERN_HINT)
            return
        example = dm.format_number(pattern, date.today().year, 1)
        self.fields["pattern"].set_hint("pattern", f"例：{example}")

    def check(self, value: Settings) -> None:
        errors: dict[str, str] = {}
        for key in ("court", "procuratorate"):
            text = getattr(value, key)
            if len(text) > UNIT_LIMIT or "\n" in text:
                errors[key] = f"单位名称应为一行，最多{UNIT_LIMIT}个字"
        if _blank(value):  # only the unit names are being set
            if errors:
                raise FieldErrors(errors)
            return
        try:
            check_unit_kind(value.unit, value.kind)
        except FieldErrors as exc:
            errors |= exc.errors
        if not value.pattern:
            errors["pattern"] = "请填写编号格式，如 新01法建〔{year}〕{n}号"
        else:
            try:
                dm.check_pattern(self.filled_pattern(value))
            except FieldErrors as exc:
                errors |= exc.errors
            if "pattern" not in errors and len(self.filled_pattern(value)) > PATTERN_LIMIT:
                errors["pattern"] = f"编号格式过长（最多{PATTERN_LIMIT}个字）"
        try:
            check_wording(value.wording)
        except FieldErrors as exc:
            errors |= exc.errors
        if errors:
            raise FieldErrors(errors)

    def submit(self, value: Settings) -> dict[str, Any]:
        """Save what changed: the unit names, the pattern, the wording (each audited)."""
        saved: dict[str, Any] = {}
        sv = self.services.suggestions
        if (value.court, value.procuratorate) != self.saved_names:
            saved["units"] = sv.set_unit_names(value.court, value.procuratorate)
            self.saved_names = (value.court, value.procuratorate)
        loaded = self.loaded
        if _blank(value):
            return saved
        if loaded is None or value.pattern != loaded.pattern:
            saved["pattern"] = sv.set_pattern(value.unit, value.kind, value.pattern)
        if loaded is None or value.wording != loaded.wording:
            saved["template"] = sv.set_template(value.unit, value.kind, value.wording)
        return saved

    def apply(self) -> bool:
        """Check and save the form without closing; False (errors at their fields) if refused."""
        if not self.validate(show_all=True):
            if self.shown:
                self.fields[self.shown[0]].input(self.shown[0]).setFocus()
            return False
        value, _ = self.read()
        try:
            self.result_value = self.submit(value)
        except FieldErrors as exc:
            self.show_errors(exc.errors)
            return False
        except ServiceError as exc:
            warn(self, str(exc))
            return False
        self.loaded = Settings(value.court, value.procuratorate, value.unit, value.kind,
                               value.pattern, value.wording)  # fmt: skip
        return True

    def save(self) -> None:
        if self.apply():
            self.accept()
