"""The Qt binding itself: PySide6 6.12.0 on Python 3.11 drops a reference to None on every call
of a method returning nothing, and a long session then aborts ("none_dealloc"). pyproject.toml
excludes that release; this test catches a release with the same fault."""

from __future__ import annotations

import sys

from casedesk.ui.qt import QLabel


def test_calling_qt_methods_does_not_leak_references_to_none(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel("期限")
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("今日期限一览")
    assert sys.getrefcount(None) - before > -100
