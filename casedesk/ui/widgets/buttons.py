"""The button row at the foot of a dialog: one action and 取消."""

from __future__ import annotations

from collections.abc import Callable

from casedesk.ui.qt import QDialogButtonBox


def dialog_buttons(
    action: str, on_action: Callable[[], None], on_cancel: Callable[[], None]
) -> QDialogButtonBox:
    """``action`` (e.g. "保存(&S)") as the default button, then 取消."""
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(action)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(on_action)
    box.rejected.connect(on_cancel)
    return box


def close_button(on_close: Callable[[], None]) -> QDialogButtonBox:
    """A single 关闭 button for dialogs that save as they go."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
    box.rejected.connect(on_close)
    return box
