"""Base of the enterprise and person forms: a field grid checked by a domain rule as typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casedesk.domain.errors import FieldErrors
from casedesk.ui.qt import QComboBox, QLineEdit, QVBoxLayout, QWidget, Signal
from casedesk.ui.widgets.fields import FieldGrid


class SubjectForm(QWidget):
    """Subclasses add their inputs in ``self.grid`` and map them in ``self.fields``."""

    changed = Signal()

    def __init__(self, check: Callable[[Any], Any], parent: QWidget | None = None):
        super().__init__(parent)
        self._check = check
        self.grid = FieldGrid(columns=2)
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        self._touched: set[str] = set()
        self._loaded: tuple = ()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid)
        layout.addStretch(1)

    def add_line(self, name: str, label: str, placeholder: str = "", span: int = 1) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        self._add(name, label, edit, span)
        edit.textChanged.connect(lambda _t, name=name: self._edited(name))
        return edit

    def add_choice(self, name: str, label: str, items: tuple[str, ...]) -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        box.addItem("未填写", "")
        for item in items:
            box.addItem(item, item)
        self._add(name, label, box, 1)
        box.currentIndexChanged.connect(lambda _i, name=name: self._edited(name))
        return box

    def _add(self, name: str, label: str, widget: QWidget, span: int) -> None:
        self.grid.add(name, label, widget, span=span)
        self.fields[name] = widget  # type: ignore[assignment]

    def values(self) -> dict[str, str]:
        return {
            name: (w.currentData() or "") if isinstance(w, QComboBox) else w.text()
            for name, w in self.fields.items()
        }

    def set_values(self, values: dict[str, str]) -> None:
        for name, widget in self.fields.items():
            value = values.get(name, "") or ""
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(value), 0))
            else:
                widget.setText(value)
        self._touched.clear()
        self._loaded = tuple(self.values().items())
        self.validate()

    def is_dirty(self) -> bool:
        return tuple(self.values().items()) != self._loaded

    def mark_saved(self) -> None:
        self._loaded = tuple(self.values().items())

    def validate(self, show_all: bool = False) -> bool:
        if show_all:
            self._touched.update(self.fields)
        try:
            self._check(self.draft())
            errors: dict[str, str] = {}
        except FieldErrors as exc:
            errors = exc.errors
        for name in self.fields:
            if name in errors and name in self._touched:
                self.grid.set_error(name, errors[name])
            else:
                self.grid.clear(name)
        self.after_validate(errors)
        return not errors

    def after_validate(self, errors: dict[str, str]) -> None:
        """Hook for hints on valid fields (e.g. what an identifier says)."""

    def draft(self) -> Any:  # pragma: no cover - subclasses
        raise NotImplementedError

    def _edited(self, name: str) -> None:
        self._touched.add(name)
        self.validate()
        self.changed.emit()
