"""What the signed-in user may do on a case, shown up front (issue 7, point 2).

The case page gets from ``CaseService.get`` the actions of the permission table the user may
not do on the case, each with the table's reason (``CaseDetail.refusal(action)``). Every tab
passes a button's refusal here: a refused button is disabled and its tooltip and status tip
say why and who may instead. This spares the user a refusal after the click; the services
still check every call themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casedesk.services.dto import CaseDetail
from casedesk.ui.qt import QPalette, QWidget

_TOOL_TIP, _STATUS_TIP = "permitToolTip", "permitStatusTip"


def _normal(widget: QWidget, key: str, current: str) -> str:
    """The tip the widget had before any refusal (kept on the widget the first time)."""
    kept = widget.property(key)
    if kept is None:
        widget.setProperty(key, current)
        return current
    return str(kept)


def permit(widget: QWidget, refusal: str, enabled_otherwise: bool = True) -> None:
    """Enable ``widget`` when its state allows it (``enabled_otherwise``) and the user's roles
    do (``refusal`` empty); a refused widget is disabled and tells why in its tooltip and status
    tip. When allowed again, the widget's own tips come back."""
    tool_tip = _normal(widget, _TOOL_TIP, widget.toolTip())
    status_tip = _normal(widget, _STATUS_TIP, widget.statusTip())
    widget.setEnabled(enabled_otherwise and not refusal)
    widget.setToolTip(refusal or tool_tip)
    widget.setStatusTip(refusal or status_tip)


def permit_field(widget: QWidget, refusal: str) -> None:
    """A form field the user may not change: read-only where the widget can be (a line or text
    edit keeps its text selectable), else disabled; the tooltip says why."""
    set_read_only = getattr(widget, "setReadOnly", None)
    if set_read_only is None:
        permit(widget, refusal)
        return
    tool_tip = _normal(widget, _TOOL_TIP, widget.toolTip())
    set_read_only(bool(refusal))
    widget.setToolTip(refusal or tool_tip)
    if refusal:  # shaded like a disabled field, so it does not look open for typing
        palette = QPalette(widget.palette())
        palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
        widget.setPalette(palette)
    else:
        widget.setPalette(QPalette())  # the inherited colours again


def action_of(method: Callable[..., Any]) -> str:
    """The action of the permission table a service method is guarded with (``@guarded``)."""
    action = getattr(method, "__action__", None)
    if not isinstance(action, str):
        raise ValueError(f"{getattr(method, '__qualname__', method)!r} is not guarded")
    return action


#: A case's refusal lookup (``CaseDetail.refusal``): action → reason, "" when allowed.
Refusal = Callable[[str], str]


def allow_all(_action: str) -> str:
    """The lookup before a case is shown (and for the system identity): nothing refused."""
    return ""


def refused(case: CaseDetail | None, action: str) -> str:
    """Why the user may not do ``action`` on ``case`` ("" when allowed, or no case shown yet)."""
    return case.refusal(action) if case is not None else ""
