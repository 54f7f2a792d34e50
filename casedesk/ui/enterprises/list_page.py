"""The enterprise list: find by name or credit-code prefix, sort by any column."""

from __future__ import annotations

from casedesk.services.app import Services
from casedesk.services.lists import EnterpriseRow
from casedesk.ui.bus import Bus
from casedesk.ui.lazy_model import Column, LazyTableModel
from casedesk.ui.qt import QHBoxLayout, QLabel, QLineEdit, QSettings, QTimer, QVBoxLayout, QWidget
from casedesk.ui.widgets.table import ListTable

ENTERPRISE_COLUMNS: list[Column[EnterpriseRow]] = [
    Column("name", "企业名称", lambda r: r.name, width=260),
    Column("credit_code", "统一社会信用代码", lambda r: r.credit_code, width=170),
    Column("ownership", "所有制", lambda r: r.ownership, width=60),
    Column("size", "规模", lambda r: r.size, width=50),
    Column("industry", "所属行业", lambda r: r.industry, width=120),
    Column("legal_representative", "法定代表人", lambda r: r.legal_representative, width=90),
    Column("case_count", "涉案数", lambda r: str(r.case_count), True, sortable=False, width=60),
]


class EnterpriseListPage(QWidget):
    def __init__(self, services: Services, bus: Bus, settings: QSettings, parent=None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.services = services
        self.sort_key = "name"
        self.descending = False
        self.search = QLineEdit()
        self.search.setObjectName("enterpriseSearch")
        self.search.setPlaceholderText("按企业名称或统一社会信用代码查找")
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        self.model: LazyTableModel[EnterpriseRow] = LazyTableModel(
            ENTERPRISE_COLUMNS, services.enterprise_list.rows, self
        )
        self.table = ListTable(self.model, settings, "enterpriseList")
        self.table.setObjectName("enterpriseTable")
        self.table.set_sort(self.sort_key, self.descending)
        self.table.sort_requested.connect(self._sort)
        self.table.activated_id.connect(bus.open_enterprise)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._timer.start)
        bus.enterprise_changed.connect(self.model.forget)
        bus.case_changed.connect(lambda _id: self.reload())
        self._loaded = False

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if not self._loaded:  # the list is read when first shown, not at start-up
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        selected = self.table.selected_id()
        ids = self.services.enterprise_list.ids(self.search.text(), self.sort_key, self.descending)
        self.model.set_ids(ids)
        self.count.setText(f"共 {len(ids):,} 家")
        self._loaded = True
        if selected:
            self.table.select_id(selected)

    def _sort(self, key: str, descending: bool) -> None:
        self.sort_key, self.descending = key, descending
        self.reload()
