"""节假日: the holiday data deadlines are counted with — the years known and where their data
comes from, each year's days, recording next year's notice and Xinjiang's ethnic holidays, and
the switch that makes the ethnic holidays count. Every change says how many deadlines moved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from casedesk.domain.dates import DateError
from casedesk.domain.errors import FieldErrors
from casedesk.domain.holiday_edit import KIND_LABELS, NAME_SUGGESTIONS, SCOPE_LABELS, check_days
from casedesk.domain.work_calendar import ETHNIC, HOLIDAY, NATIONAL
from casedesk.services.app import Services
from casedesk.services.holidays import PACKAGED, RECORDED, HolidayDayView, HolidayYearView
from casedesk.services.recalc import Recomputed
from casedesk.ui.cases.case_tabs import RecordTable
from casedesk.ui.ops import Failed, attempt
from casedesk.ui.qt import (
    QApplication,
    QCheckBox,
    QColor,
    QComboBox,
    QCursor,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.widgets.buttons import close_button, dialog_buttons
from casedesk.ui.widgets.fields import HINT_STYLE, FieldGrid
from casedesk.ui.widgets.inputs import DateField

ETHNIC_CHECK = "计算期限时计入新疆少数民族节日（肉孜节、古尔邦节）"
DONE_STYLE = "color: #2e7d32;"
UNVERIFIED = QColor("#b26a00")


def busy(call: Callable[..., Any]) -> Callable[..., Any]:
    """``call`` run under a wait cursor (recomputing many deadlines can take a moment)."""

    def run(*args: Any, **kwargs: Any) -> Any:
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            return call(*args, **kwargs)
        finally:
            QApplication.restoreOverrideCursor()

    return run


def compact(table: RecordTable) -> None:
    """Rows one line high, so that a year's days fit without scrolling."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)


def intro_text(first: int, last: int) -> str:
    return (
        "期限的最后一日遇法定节假日或休息日，顺延至节假日后的第一个工作日（民诉法第85条、"
        "刑诉法第105条，羁押期限除外）；以工作日计算的期限不计节假日、计入调休上班日。"
        f"软件随附国务院办公厅公布的{first}—{last}年放假安排。国务院办公厅每年秋季公布下一年的"
        "放假安排：通知公布后，请在此逐日录入放假日和调休上班日，再“标记本年已完整录入”。"
        "在此之前，涉及该年的期限照常计算（暂按周六、周日休息），但标为“未核实”并提示缺少哪一年。"
        "新疆少数民族节日由自治区人民政府每年公布，单独录入，是否计入由下方选项决定。"
    )


class DayDialog(QDialog):
    """新增 (or change) a holiday or make-up working day, or several consecutive ones."""

    def __init__(self, services: Services, scope: str, parent: QWidget | None = None,
                 day: HolidayDayView | None = None):  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(f"录入{SCOPE_LABELS[scope]}")
        self.setObjectName("holidayDayDialog")
        self.services, self.scope = services, scope
        self.result_value: Recomputed | None = None
        self.day = DateField()
        self.until = DateField(placeholder="连续多日时填写")
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(list(NAME_SUGGESTIONS[scope]))
        self.name.setCurrentText("")
        self.grid = FieldGrid()
        self.grid.add("day", "日期", self.day)
        self.grid.add("until", "至", self.until, hint="连续多日放假时填写最后一日，只录一日可不填")
        self.grid.add("kind", "类别", self.kind, hint="调休上班：周六或周日上班，计入工作日")
        self.grid.add("name", "名称", self.name)
        if day is not None:
            self.day.set_value(day.day)
            self.kind.setCurrentIndex(self.kind.findData(day.kind))
            self.name.setCurrentText(day.name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(dialog_buttons("保存", self.save, self.reject))
        self.resize(540, 280)

    def save(self) -> None:
        errors: dict[str, str] = {}
        values: dict[str, date | None] = {}
        for field, widget in (("day", self.day), ("until", self.until)):
            try:
                values[field] = widget.value()
            except DateError as exc:
                errors[field] = str(exc)
        for field in ("day", "until", "kind", "name"):
            self.grid.clear(field)
        if errors:  # an unreadable date: say what else is wrong too
            try:
                check_days(None, None, self.kind.currentData(), self.name.currentText().strip(),
                           self.scope)  # fmt: skip
            except FieldErrors as exc:
                errors |= {k: v for k, v in exc.errors.items() if k not in ("day", "until")}
        try:
            if errors:
                attempt(self, _raise, errors, grid=self.grid)
            self.result_value = attempt(
                self, busy(self.services.holidays.set_day), values["day"],
                self.kind.currentData(), self.name.currentText(), self.scope,
                until=values["until"], grid=self.grid,
            )  # fmt: skip
        except Failed:
            return
        self.accept()


def _raise(errors: dict[str, str]) -> None:
    raise FieldErrors(errors)


class MarkYearDialog(QDialog):
    """标记本年已完整录入: the notice's 文号 or source."""

    def __init__(self, services: Services, year: HolidayYearView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("标记本年已完整录入")
        self.setObjectName("markYearDialog")
        self.services, self.year = services, year
        self.result_value: Recomputed | None = None
        self.source = QLineEdit(year.source)
        self.source.setPlaceholderText(
            "如 国办发明电〔2026〕7号" if year.scope == NATIONAL else "如 新政办发〔2026〕×号"
        )
        self.grid = FieldGrid()
        counts = f"已录入放假 {year.holidays} 日、调休上班 {year.workdays} 日"
        self.grid.add("year", "年份", QLabel(f"{year.year}年 {SCOPE_LABELS[year.scope]}"),
                      hint=counts)  # fmt: skip
        self.grid.add(
            "source", "通知文号或来源", self.source,
            hint="标记即确认已按通知录入该年全部放假日和调休上班日；"
                 "此后涉及该年的期限计算结果不再标为“未核实”。",
        )  # fmt: skip
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(dialog_buttons("标记", self.save, self.reject))
        self.resize(520, 200)

    def save(self) -> None:
        mark = busy(self.services.holidays.mark_year)
        try:
            self.result_value = attempt(self, mark, self.year.year, self.year.scope,
                                        self.source.text(), grid=self.grid)  # fmt: skip
        except Failed:
            return
        self.accept()


class HolidaysDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("节假日")
        self.setObjectName("holidaysDialog")
        self.services = services
        self.changed = False
        self._years: dict[str, HolidayYearView] = {}
        self._days: dict[str, HolidayDayView] = {}
        packaged = [y.year for y in services.holidays.years(NATIONAL) if y.origin == PACKAGED]
        intro = QLabel(intro_text(min(packaged, default=0), max(packaged, default=0)))
        intro.setWordWrap(True)
        intro.setStyleSheet(HINT_STYLE)
        self.national = QRadioButton(SCOPE_LABELS[NATIONAL])
        self.ethnic = QRadioButton(SCOPE_LABELS[ETHNIC])
        self.national.setChecked(True)
        self.ethnic_check = QCheckBox(ETHNIC_CHECK)
        self.ethnic_check.setObjectName("ethnicCheck")
        self.ethnic_check.setChecked(services.holidays.ethnic_enabled())
        scope_row = QHBoxLayout()
        scope_row.addWidget(QLabel("范围："))
        scope_row.addWidget(self.national)
        scope_row.addWidget(self.ethnic)
        scope_row.addSpacing(24)
        scope_row.addWidget(self.ethnic_check)
        scope_row.addStretch(1)

        self.years_table = RecordTable(("年份", "来源", "状态"), "holidayYears")
        self.years_table.setMinimumWidth(330)
        compact(self.years_table)
        self.year_title = QLabel()
        self.year_title.setWordWrap(True)
        self.buttons = {
            label: QPushButton(label)
            for label in ("新增…", "删除", "标记本年已完整录入…", "取消标记")
        }
        button_row = QHBoxLayout()
        for button in self.buttons.values():
            button_row.addWidget(button)
        button_row.addStretch(1)
        self.days_table = RecordTable(("日期", "星期", "类别", "名称", "来源"), "holidayDays")
        compact(self.days_table)
        right = QVBoxLayout()
        right.addWidget(self.year_title)
        right.addLayout(button_row)
        right.addWidget(self.days_table, 1)
        body = QHBoxLayout()
        body.addWidget(self.years_table, 2)
        body.addLayout(right, 3)

        self.status = QLabel()
        self.status.setObjectName("holidayStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(DONE_STYLE)
        close = close_button(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(scope_row)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.resize(1000, 680)

        self.national.toggled.connect(lambda _on: self.reload_years())
        self.ethnic_check.toggled.connect(self._switch_ethnic)
        self.years_table.itemSelectionChanged.connect(self.reload_days)
        self.days_table.itemSelectionChanged.connect(self._enable)
        self.days_table.itemDoubleClicked.connect(lambda _item: self.edit_day())
        self.buttons["新增…"].clicked.connect(self.add_day)
        self.buttons["删除"].clicked.connect(self.remove_day)
        self.buttons["标记本年已完整录入…"].clicked.connect(self.mark_year)
        self.buttons["取消标记"].clicked.connect(self.unmark_year)
        self.reload_years()

    # -- state ----------------------------------------------------------------------------------
    @property
    def scope(self) -> str:
        return ETHNIC if self.ethnic.isChecked() else NATIONAL

    def selected_year(self) -> HolidayYearView | None:
        key = self.years_table.selected_id()
        return self._years.get(key) if key else None

    def selected_day(self) -> HolidayDayView | None:
        key = self.days_table.selected_id()
        return self._days.get(key) if key else None

    def select_year(self, year: int) -> None:
        for row in range(self.years_table.rowCount()):
            if self.years_table.item(row, 0).data(Qt.ItemDataRole.UserRole) == str(year):
                self.years_table.selectRow(row)
                return

    def reload_years(self, keep: int | None = None) -> None:
        current = self.selected_year()
        keep = keep or (current.year if current and current.scope == self.scope else None)
        views = self.services.holidays.years(self.scope)
        self._years = {str(v.year): v for v in views}
        self.years_table.fill([(str(v.year), (f"{v.year}年", v.origin_text, v.status))
                               for v in views])  # fmt: skip
        for row, view in enumerate(views):
            if not view.verified:
                self.years_table.item(row, 2).setForeground(UNVERIFIED)
        self.years_table.setColumnWidth(1, min(self.years_table.columnWidth(1), 200))
        self.select_year(keep or date.today().year + 1)
        self.reload_days()

    def reload_days(self) -> None:
        year = self.selected_year()
        days = self.services.holidays.days(year.year, year.scope) if year else []
        self._days = {d.day.isoformat(): d for d in days}
        self.days_table.fill(
            [
                (d.day.isoformat(), (d.day.isoformat(), d.weekday, d.kind_label, d.name,
                                     d.origin_label + (f"（{d.replaces}）" if d.replaces else "")))
                for d in days
            ]
        )  # fmt: skip
        for row, d in enumerate(days):
            if d.kind != HOLIDAY:
                self.days_table.item(row, 2).setForeground(QColor("#1565c0"))
        if year is None:
            self.year_title.setText("请在左侧选择年份")
        else:
            title = f"{year.year}年{SCOPE_LABELS[year.scope]}：{year.status}，{year.origin_text}"
            if not days:
                title += "。尚未录入任何日期：请点“新增…”按通知录入"
            if year.scope == ETHNIC and not self.ethnic_check.isChecked():
                title += "（目前计算期限时不计入，见上方选项）"
            self.year_title.setText(title)
        self._enable()

    def _enable(self) -> None:
        year = self.selected_year()
        self.buttons["删除"].setEnabled(self.selected_day() is not None)
        self.buttons["标记本年已完整录入…"].setEnabled(year is not None and
                                                       year.origin != PACKAGED)  # fmt: skip
        self.buttons["取消标记"].setEnabled(year is not None and year.origin == RECORDED)

    # -- actions --------------------------------------------------------------------------------
    def _done(self, result: Recomputed | None, keep: int | None = None) -> None:
        if result is None:
            return
        self.changed = True
        self.status.setText(result.message)
        self.reload_years(keep)

    def add_day(self) -> None:
        dialog = DayDialog(self.services, self.scope, self)
        if dialog.exec() and dialog.result_value is not None:
            keep = dialog.day.value()
            self._done(dialog.result_value, keep.year if keep else None)

    def edit_day(self) -> None:
        day = self.selected_day()
        if day is None:
            return
        dialog = DayDialog(self.services, self.scope, self, day)
        if dialog.exec():
            self._done(dialog.result_value)

    def remove_day(self) -> None:
        day = self.selected_day()
        if day is None:
            return
        if day.recorded:
            answer = QMessageBox.question(
                self, "删除", f"删除录入的 {day.day.isoformat()}（{day.kind_label}，{day.name}）？"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            result = attempt(self, busy(self.services.holidays.remove_day), day.day, day.scope)
        except Failed:
            return
        self._done(result)

    def mark_year(self) -> None:
        year = self.selected_year()
        if year is None:
            return
        dialog = MarkYearDialog(self.services, year, self)
        if dialog.exec():
            self._done(dialog.result_value)

    def unmark_year(self) -> None:
        year = self.selected_year()
        if year is None:
            return
        try:
            result = attempt(self, busy(self.services.holidays.unmark_year), year.year, year.scope)
        except Failed:
            return
        self._done(result)

    def _switch_ethnic(self, on: bool) -> None:
        try:
            result = attempt(self, busy(self.services.holidays.set_ethnic_enabled), on)
        except Failed:
            self.ethnic_check.blockSignals(True)
            self.ethnic_check.setChecked(not on)
            self.ethnic_check.blockSignals(False)
            return
        self._done(result)
