"""Running a service call from the UI: errors become Chinese messages at the field or in a box,
never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from casedesk.domain.errors import FieldErrors
from casedesk.services.errors import ServiceError
from casedesk.ui.qt import QMessageBox, QWidget
from casedesk.ui.widgets.fields import FieldGrid

T = TypeVar("T")


class Failed(Exception):
    """Raised by :func:`attempt` after the user was told what went wrong."""


def warn(parent: QWidget | None, text: str, title: str = "无法完成") -> None:
    QMessageBox.warning(parent, title, text)


def ask_to_save(parent: QWidget | None, what: str) -> QMessageBox.StandardButton:
    """ "…有未保存的修改，是否保存？" with 保存 (default), 不保存 and 取消."""
    return QMessageBox.question(
        parent,
        "未保存的修改",
        f"{what}有未保存的修改，是否保存？",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )


def attempt(
    parent: QWidget | None,
    call: Callable[..., T],
    *args: Any,
    grid: FieldGrid | None = None,
    **kwargs: Any,
) -> T:
    """Run ``call``; on a rule violation show the reason (at its field when ``grid`` has one)
    and raise :class:`Failed`."""
    try:
        return call(*args, **kwargs)
    except FieldErrors as exc:
        rest = grid.set_errors(exc.errors) if grid is not None else list(exc.errors.values())
        if rest:
            warn(parent, "\n".join(rest), "请更正")
        raise Failed(str(exc)) from exc
    except ServiceError as exc:
        warn(parent, str(exc))
        raise Failed(str(exc)) from exc
