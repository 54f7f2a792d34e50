"""What the case page's record tabs (合规考察, 执行, 建议书) share: the case is handed over each
time it is read again, and the tab reads its own records only when it is shown."""

from __future__ import annotations

from casedesk.services.app import Services
from casedesk.services.dto import CaseDetail
from casedesk.ui.qt import QWidget, Signal


class CaseRecordsTab(QWidget):
    """A tab of one case's records, read when shown; subclasses give :meth:`reload`."""

    changed = Signal()  # something was recorded: the case's deadlines (and lists) changed

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.case_id = services, case_id
        self.case: CaseDetail | None = None
        self.editable = True
        self.stale = True

    def show_case(self, case: CaseDetail, editable: bool = True) -> None:
        """The case was (re)read: reload now when shown, else when next shown."""
        self.case, self.editable = case, editable
        self.stale = True
        if self.isVisible():
            self.reload()

    def ensure_loaded(self) -> None:
        if self.stale:
            self.reload()

    def reload(self, select: str | None = None) -> None:
        raise NotImplementedError
