"""App-wide notifications: after a write, the page that made it says what changed and every
view that shows it refreshes itself (nobody calls "refresh everything")."""

from __future__ import annotations

from casedesk.ui.qt import QObject, Signal


class Bus(QObject):
    case_changed = Signal(str)  # a case's data (or its parties, timeline) changed
    cases_changed = Signal()  # cases were added or removed
    enterprise_changed = Signal(str)
    code_tables_changed = Signal()
    open_case = Signal(str)
    open_enterprise = Signal(str)
    deadlines_changed = Signal()
    open_deadline = Signal(str, str)  # case id, deadline id
