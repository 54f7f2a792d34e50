"""The case list: search as you type, filters, sortable and configurable columns."""

from __future__ import annotations

import time

from casedesk.domain.dates import DateError
from casedesk.domain.vocabulary import CASE_FAMILIES, STAGES
from casedesk.services.app import Services
from casedesk.services.lists import CaseFilter
from casedesk.ui.bus import Bus
from casedesk.ui.cases.list_model import HIDDEN_BY_DEFAULT, CaseTableModel
from casedesk.ui.qt import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSettings,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.widgets.inputs import DateField
from casedesk.ui.widgets.table import ListTable

ALL = "全部"


def _combo(items: list[str], name: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    box.addItem(ALL, "")
    for item in items:
        box.addItem(item, item)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return box


class CaseListPage(QWidget):
    def __init__(self, services: Services, bus: Bus, settings: QSettings, parent=None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.services = services
        self.bus = bus
        self.sort_key = "accepted_on"
        self.descending = True
        self.last_query_ms = 0.0

        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText(
            "搜索案号、企业名称、信用代码、当事人、案由、备注…（Ctrl+F）"
        )
        self.search.setClearButtonEnabled(True)
        self.family = _combo(list(CASE_FAMILIES), "familyFilter")
        stages = list(dict.fromkeys(s for family in STAGES.values() for s in family))
        self.stage = _combo(stages, "stageFilter")
        self.handler = _combo(services.case_list.handlers(), "handlerFilter")
        self.handler.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.handler.setMinimumContentsLength(6)
        self.tag = _combo(services.code_tables.tag_names(), "tagFilter")
        self.date_from = DateField(placeholder="收案日期自")
        self.date_to = DateField(placeholder="至")
        for field in (self.date_from, self.date_to):
            field.setMaximumWidth(130)
        self.open_only = QCheckBox("仅未结案")
        clear = QPushButton("清除筛选")
        clear.clicked.connect(self.clear_filters)
        self.count = QLabel()
        self.count.setObjectName("caseCount")
        self.filter_error = QLabel()
        self.filter_error.setStyleSheet("color: #c62828;")

        self.model = CaseTableModel(services.case_list, self)
        self.table = ListTable(self.model, settings, "caseList", HIDDEN_BY_DEFAULT)
        self.table.setObjectName("caseTable")
        self.table.set_sort(self.sort_key, self.descending)
        self.table.sort_requested.connect(self._sort)
        self.table.activated_id.connect(bus.open_case)

        filters = QHBoxLayout()
        for label, widget in (("类别", self.family), ("阶段", self.stage),
                              ("承办人", self.handler), ("标签", self.tag)):  # fmt: skip
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(QLabel("收案"))
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("—"))
        filters.addWidget(self.date_to)
        filters.addWidget(self.open_only)
        filters.addWidget(clear)
        filters.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.filter_error)
        layout.addWidget(self.table, 1)
        self.filter_error.hide()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._timer.start)
        for box in (self.family, self.stage, self.handler, self.tag):
            box.currentIndexChanged.connect(self._timer.start)
        self.date_from.edited.connect(self._timer.start)
        self.date_to.edited.connect(self._timer.start)
        self.open_only.toggled.connect(self._timer.start)
        bus.case_changed.connect(self._case_changed)
        bus.cases_changed.connect(self._cases_changed)
        bus.enterprise_changed.connect(lambda _id: self.reload())
        bus.code_tables_changed.connect(self._refresh_tag_filter)
        self.reload()

    def current_filter(self) -> CaseFilter:
        """The filter as set in the widgets; raises DateError for a mistyped date."""
        return CaseFilter(
            search=self.search.text(),
            family=self.family.currentData() or "",
            stage=self.stage.currentData() or "",
            handler=self.handler.currentData() or "",
            tag=self.tag.currentData() or "",
            accepted_from=self.date_from.value(),
            accepted_to=self.date_to.value(),
            open_only=self.open_only.isChecked(),
        )

    def reload(self) -> None:
        """Run the list query again with the current filter and sort, keeping the selection."""
        try:
            case_filter = self.current_filter()
        except DateError as exc:
            self.filter_error.setText(f"收案日期：{exc}")
            self.filter_error.show()
            return
        self.filter_error.hide()
        selected = self.table.selected_id()
        started = time.perf_counter()
        ids = self.services.case_list.keys(case_filter, self.sort_key, self.descending)
        self.model.set_ids(ids)
        self.last_query_ms = (time.perf_counter() - started) * 1000
        self.count.setText(f"共 {len(ids):,} 件")
        if selected:
            self.table.select_id(selected)

    def clear_filters(self) -> None:
        for box in (self.family, self.stage, self.handler, self.tag):
            box.setCurrentIndex(0)
        self.date_from.set_value(None)
        self.date_to.set_value(None)
        self.open_only.setChecked(False)
        self.search.clear()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _sort(self, key: str, descending: bool) -> None:
        self.sort_key, self.descending = key, descending
        self.reload()

    def _case_changed(self, _case_id: str) -> None:
        # A saved edit may move the case (sorted by the changed column) or take it out of the
        # filter: read the list again, keeping the selection and the scroll position.
        self._refresh_handler_filter()
        scroll = self.table.verticalScrollBar().value()
        self.reload()
        self.table.verticalScrollBar().setValue(scroll)

    def _cases_changed(self) -> None:
        self._refresh_handler_filter()
        self.reload()

    def _refresh_handler_filter(self) -> None:
        handlers = self.services.case_list.handlers()
        current = [self.handler.itemData(i) for i in range(1, self.handler.count())]
        if handlers != current:
            self._reset_combo(self.handler, handlers)

    def _refresh_tag_filter(self) -> None:
        self._reset_combo(self.tag, self.services.code_tables.tag_names())

    @staticmethod
    def _reset_combo(box: QComboBox, items: list[str]) -> None:
        chosen = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(ALL, "")
        for item in items:
            box.addItem(item, item)
        index = box.findData(chosen)
        box.setCurrentIndex(max(index, 0))
        box.blockSignals(False)
