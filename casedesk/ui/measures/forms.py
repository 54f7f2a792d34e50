"""What every measure dialog shares: fields on one or more grids, checked as the user types by
the same domain rule the service runs, and one service call on OK whose refusal shows at the
field (the dialog stays open, nothing is saved)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from typing import Any, ClassVar

from casedesk.domain.amounts import AmountError
from casedesk.domain.dates import DateError
from casedesk.domain.errors import FieldErrors
from casedesk.domain.identifiers.result import fold_width
from casedesk.domain.measures import check_term
from casedesk.domain.periods import Period, PeriodError
from casedesk.services.dto import CaseDetail
from casedesk.services.errors import ServiceError
from casedesk.services.rule_admin import RuleView
from casedesk.ui.ops import warn
from casedesk.ui.qt import QComboBox, QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget
from casedesk.ui.widgets.buttons import dialog_buttons
from casedesk.ui.widgets.fields import FieldGrid
from casedesk.ui.widgets.inputs import AmountField, DateField

_TIME = re.compile(r"^([01]?[0-9]|2[0-3])[:：.]?([0-5][0-9])$")


class TimeField(QLineEdit):
    """A time of day typed as 09:30 (or 0930, 9:30)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("时:分，如 09:30")
        self.setMaxLength(8)
        self.setMaximumWidth(120)

    def value(self) -> time | None:
        """The time, ``None`` when empty; raises ValueError with a Chinese message."""
        raw = fold_width(self.text()).replace(" ", "")
        if not raw:
            return None
        match = _TIME.match(raw)
        if match is None:
            raise ValueError("时间格式应为 时:分，如 09:30 或 21:05")
        return time(int(match.group(1)), int(match.group(2)))

    def set_value(self, value: time | None) -> None:
        self.setText(value.strftime("%H:%M") if value else "")


def read_date(field: DateField, name: str, errors: dict[str, str]) -> date | None:
    try:
        return field.value()
    except DateError as exc:
        errors[name] = str(exc)
        return None


def read_amount(field: AmountField, name: str, errors: dict[str, str]) -> int | None:
    try:
        return field.value()
    except AmountError as exc:
        errors[name] = str(exc)
        return None


def read_moment(
    day: DateField, clock: TimeField, name: str, errors: dict[str, str]
) -> datetime | None:
    """A date and an optional time of day (midnight when the time is left empty)."""
    on = read_date(day, name, errors)
    try:
        at = clock.value()
    except ValueError as exc:
        errors.setdefault(name, str(exc))
        return None
    if on is None:
        if at is not None and name not in errors:
            errors[name] = "填写了时间的，请同时填写日期"
        return None
    return datetime.combine(on, at or time(0, 0))


def choice(items: Iterable[str], blank: str = "", current: str = "") -> QComboBox:
    """A combo of words whose data is the word; ``blank`` adds a first, empty choice."""
    box = QComboBox()
    if blank:
        box.addItem(blank, "")
    for item in items:
        box.addItem(item, item)
    if current:
        box.setCurrentIndex(max(box.findData(current), 0))
    return box


def set_choice(box: QComboBox, value: str) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


def party_choice(case: CaseDetail, persons_only: bool = False, blank: str = "") -> QComboBox:
    """The case's parties (name and role), data the party id."""
    box = QComboBox()
    if blank:
        box.addItem(blank, "")
    for party in case.parties:
        if persons_only and party.kind != "person":
            continue
        box.addItem(f"{party.name}（{party.role}）", party.id)
    return box


def today_field(value: date | None = None) -> DateField:
    field = DateField()
    field.set_value(value or date.today())
    return field


class MeasureDialog(QDialog):
    """A form over grids of named fields. Subclasses give :meth:`read` (the value and the
    fields that could not be read), :meth:`check` (the domain rule) and :meth:`submit` (the
    service call, whose result is kept in ``result_value``)."""

    #: A field name the service may use → the field that shows it here.
    aliases: ClassVar[dict[str, str]] = {}

    def __init__(self, title: str, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName(name)
        self.result_value: Any = None
        self.fields: dict[str, FieldGrid] = {}
        self.touched: set[str] = set()
        self.shown: list[str] = []  # fields showing an error now, in order
        self._checking = False
        self.head = QLabel()
        self.head.setObjectName("dialogHead")
        self.head.setWordWrap(True)
        self.head.setVisible(False)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.head)

    # -- building ---------------------------------------------------------------------------------
    def set_head(self, text: str) -> None:
        self.head.setText(text)
        self.head.setVisible(bool(text))

    def grid(self, columns: int = 1) -> FieldGrid:
        grid = FieldGrid(columns=columns)
        self.body.addWidget(grid)
        return grid

    def add(
        self, grid: FieldGrid, name: str, label: str, widget: QWidget, hint: str = "", span: int = 1
    ) -> None:
        grid.add(name, label, widget, hint=hint, span=span)
        self.fields[name] = grid
        signal = _edit_signal(widget)
        if signal is not None:
            signal.connect(lambda *_a, name=name: self.field_edited(name))

    def finish(self, action: str = "保存") -> None:
        self.body.addStretch(1)
        self.body.addWidget(dialog_buttons(action, self.save, self.reject))

    def message(self, name: str) -> str:
        """What the field ``name`` says now (error, warning or hint)."""
        return self.fields[name].message(name)

    # -- subclasses -------------------------------------------------------------------------------
    def read(self) -> tuple[Any, dict[str, str]]:
        raise NotImplementedError

    def check(self, value: Any) -> None:
        """The domain rule the service will apply; raises FieldErrors."""

    def submit(self, value: Any) -> Any:
        raise NotImplementedError

    def refresh(self) -> None:
        """Update what depends on the fields (hints, enabled fields) before checking."""

    # -- checking ---------------------------------------------------------------------------------
    def field_edited(self, name: str) -> None:
        if self._checking:
            return
        self.touched.add(name)
        self.validate()

    def validate(self, show_all: bool = False) -> bool:
        """Check every field; show errors at touched fields (all with ``show_all``). Fields
        that cannot be read (a date or amount that is not one) always say so."""
        self._checking = True
        try:
            self.refresh()
            value, unreadable = self.read()
            errors: dict[str, str] = {}
            try:
                self.check(value)
            except FieldErrors as exc:
                errors = self._placed(exc.errors)
        finally:
            self._checking = False
        errors |= unreadable
        self.shown = []
        for name, grid in self.fields.items():
            visible = grid.input(name).isVisibleTo(self)
            if (
                name in errors
                and visible
                and (show_all or name in self.touched or name in unreadable)
            ):
                grid.set_error(name, errors[name])
                self.shown.append(name)
            else:
                grid.clear(name)
        self.fit_height()
        return not errors

    def fit_height(self) -> None:
        """Grow to show every message in full: a message that wraps onto a second line needs
        the height for the dialog's width, which the layout does not take by itself."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        needed = max(needed, layout.totalSizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _placed(self, errors: dict[str, str]) -> dict[str, str]:
        return {self.aliases.get(k, k): v for k, v in errors.items()}

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show ``errors`` at their fields (focus on the first); the rest in a message box."""
        rest, first = [], None
        for name, text in self._placed(errors).items():
            grid = self.fields.get(name)
            if grid is None or not grid.input(name).isVisibleTo(self):
                rest.append(text)
                continue
            grid.set_error(name, text)
            first = first or name
        if first:
            self.fields[first].input(first).setFocus()
        self.fit_height()
        if rest:
            warn(self, "\n".join(rest), "请更正")

    def save(self) -> None:
        if not self.validate(show_all=True):
            if self.shown:
                self.fields[self.shown[0]].input(self.shown[0]).setFocus()
            else:  # a rule about a field this dialog does not show
                _value, unreadable = self.read()
                try:
                    self.check(_value)
                except FieldErrors as exc:
                    self.show_errors(exc.errors | unreadable)
            return
        value, _unreadable = self.read()
        try:
            self.result_value = self.submit(value)
        except FieldErrors as exc:
            self.show_errors(exc.errors)
            return
        except ServiceError as exc:
            warn(self, str(exc))
            return
        self.accept()


def _edit_signal(widget: QWidget) -> Any:
    if isinstance(widget, DateField):
        return widget.edited
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    for attr in ("toggled", "textChanged"):
        if hasattr(widget, attr):
            return getattr(widget, attr)
    return None


def term_errors(spec: str, rule: RuleView | None, rule_id: str) -> dict[str, str]:
    if rule is None:
        return {}
    try:
        check_term(spec, Period.parse(rule.period), rule_id)
    except (FieldErrors, PeriodError) as exc:
        return exc.errors if isinstance(exc, FieldErrors) else {"term_spec": str(exc)}
    return {}


def together(check: Callable[[], object], more: dict[str, str]) -> None:
    """Run the domain ``check``; raise one FieldErrors with its messages and ``more``."""
    errors = dict(more)
    try:
        check()
    except FieldErrors as exc:
        errors = exc.errors | errors
    if errors:
        raise FieldErrors(errors)
