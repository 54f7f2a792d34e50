"""强制措施 page: persons in custody (and who has gone too long without a 羁押必要性审查),
property under seizure by case and by enterprise, and the 超标的 cases. The lists are read off
the UI thread when the page is shown and again after a change elsewhere; each exports to .xlsx;
a double-click opens the case at its 强制措施 tab (or the enterprise)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from casedesk.export.xlsx import write_xlsx
from casedesk.services.app import Services
from casedesk.services.measure_dto import MeasureSettings
from casedesk.ui.bus import Bus
from casedesk.ui.measure_lists.export import ask_xlsx_path, export_in_background, exported_text
from casedesk.ui.measure_lists.lists import CUSTODY, LISTS, ListSpec
from casedesk.ui.measure_lists.loader import Loader
from casedesk.ui.measure_lists.table import RecordsModel, RecordsView
from casedesk.ui.qt import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QStackedWidget,
    Qt,
    QTabBar,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from casedesk.ui.widgets.fields import ERROR_STYLE, HINT_STYLE

REFRESH_DELAY_MS = 250  # changes come in bursts (a measure, its clocks, the case): read once


class MeasureListsPage(QWidget):
    """A page of lists (the 强制措施 lists by default; the 合规考察 and 执行 pages pass theirs)."""

    open_measure = Signal(str, str)  # case id, measure id ("" for the case's whole tab)
    open_enterprise = Signal(str)
    open_case = Signal(str, str)  # case id, the ListSpec.opens of the list ("compliance" …)

    def __init__(self, services: Services, bus: Bus, parent: QWidget | None = None,
                 lists: Sequence[ListSpec] = LISTS):  # fmt: skip
        super().__init__(parent)
        self.services = services
        self.lists = tuple(lists)
        self.settings: MeasureSettings | None = None
        self.as_of = date.today()
        self.export_job: QProgressDialog | None = None
        self._loaded: set[str] = set()
        self.specs = {spec.key: spec for spec in self.lists}
        self.models: dict[str, RecordsModel] = {}
        self.views: dict[str, RecordsView] = {}

        self.selector = QTabBar()
        self.selector.setObjectName("measureListSelector")
        self.selector.setExpanding(False)
        self.selector.setDrawBase(False)
        self.stack = QStackedWidget()
        for spec in self.lists:
            model = RecordsModel(spec.fields, spec.id_of, spec.look, self)
            view = RecordsView(model, f"measureList_{spec.key}")
            view.activated_row.connect(lambda row, spec=spec: self._open(spec, row))
            self.models[spec.key], self.views[spec.key] = model, view
            self.selector.addTab(spec.label)
            self.stack.addWidget(view)
        self.summary = QLabel()
        self.summary.setObjectName("measureListSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.unreviewed = QCheckBox("仅显示超过 60 天未审查")
        self.unreviewed.setObjectName("onlyUnreviewed")
        self.unreviewed.toggled.connect(self._filter_custody)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.reload)
        self.export_button = QPushButton("导出Excel…")
        self.export_button.setObjectName("exportMeasureList")
        self.export_button.clicked.connect(lambda: self.export())
        self.hint = QLabel()
        self.hint.setStyleSheet(HINT_STYLE)
        self.status = QLabel()
        self.status.setObjectName("measureListStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QHBoxLayout()
        top.addWidget(self.selector)
        top.addStretch(1)
        top.addWidget(self.unreviewed)
        top.addWidget(refresh)
        top.addWidget(self.export_button)
        foot = QHBoxLayout()
        foot.addWidget(self.hint)
        foot.addStretch(1)
        foot.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        layout.addLayout(foot)

        self.loader = Loader(self)
        self.loader.loaded.connect(self._loaded_list)
        self.loader.failed.connect(self._failed_list)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.selector.currentChanged.connect(self._show_list)
        bus.cases_changed.connect(self.refresh_later)
        bus.deadlines_changed.connect(self.refresh_later)
        bus.case_changed.connect(lambda _id: self.refresh_later())
        bus.enterprise_changed.connect(lambda _id: self.refresh_later())
        self._show_list(0)

    # -- reading ----------------------------------------------------------------------------------
    def current(self) -> ListSpec:
        return self.lists[self.selector.currentIndex()]

    def show_list(self, key: str) -> None:
        self.selector.setCurrentIndex(next(i for i, s in enumerate(self.lists) if s.key == key))

    def refresh_later(self) -> None:
        """Something changed: read again soon if shown, else when next shown."""
        if self.isVisible():
            self._timer.start()

    def busy(self) -> bool:
        return self._timer.isActive() or self.loader.busy()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if not self.loader.busy():  # read afresh each time the tab is shown (days count on)
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        """Read every list again (off the UI thread)."""
        self._timer.stop()
        self.as_of = date.today()
        services, as_of = self.services, self.as_of
        for spec in self.lists:
            self.loader.load(
                spec.key,
                lambda spec=spec: (services.measure_settings.get(), spec.read(services, as_of)),
            )
        if self.current().key not in self._loaded:
            self.summary.setStyleSheet("")
            self.summary.setText("正在读取…")

    def _loaded_list(self, key: str, result: object) -> None:
        settings, rows = result  # type: ignore[misc]
        self.settings = settings
        view = self.views[key]
        selected = view.selected_row()
        model = self.models[key]
        model.set_rows(rows)
        if selected is not None:
            view.select_id(self.specs[key].id_of(selected))
        self._loaded.add(key)
        self.unreviewed.setText(f"仅显示超过 {settings.review_interval_days} 天未审查")
        self._update_tab(key)
        if key == self.current().key:
            self._show_summary()

    def _failed_list(self, key: str, error: object) -> None:
        if key == self.current().key:
            self.summary.setStyleSheet(ERROR_STYLE)
            self.summary.setText(f"读取“{self.specs[key].label}”失败：{error}")

    # -- showing ----------------------------------------------------------------------------------
    def _update_tab(self, key: str) -> None:
        index = next(i for i, s in enumerate(self.lists) if s.key == key)
        self.selector.setTabText(index, f"{self.lists[index].label}（{self.count(key)}）")

    def count(self, key: str) -> int:
        """Rows in the list (all of them, whatever the filter shows)."""
        return len(self.models[key].all_rows())

    def _show_list(self, index: int) -> None:
        spec = self.lists[index]
        self.stack.setCurrentIndex(index)
        self.unreviewed.setVisible(spec.key == CUSTODY)
        self.hint.setText(spec.hint + "；单击列标题排序")
        self.status.clear()
        self._show_summary()

    def _show_summary(self) -> None:
        spec = self.current()
        if spec.key not in self._loaded or self.settings is None:
            return
        self.summary.setStyleSheet("")
        model = self.models[spec.key]
        text = spec.summary(model.all_rows(), self.settings)
        shown = model.rowCount()
        if shown != self.count(spec.key):
            text += f"；当前显示 {shown} {spec.unit}"
        self.summary.setText(f"截至 {self.as_of:%Y年%m月%d日}：{text}")

    def _filter_custody(self, only: bool) -> None:
        self.models[CUSTODY].set_filter((lambda r: r.review_overdue) if only else None)
        self._show_summary()

    def _open(self, spec: ListSpec, row: object) -> None:
        if spec.opens == "enterprise":
            self.open_enterprise.emit(row.enterprise_id)  # type: ignore[attr-defined]
        elif spec.opens != "case":
            self.open_case.emit(row.case_id, spec.opens)  # type: ignore[attr-defined]
        else:
            measure_id = getattr(row, "measure_id", "")
            self.open_measure.emit(row.case_id, measure_id)  # type: ignore[attr-defined]

    # -- export -----------------------------------------------------------------------------------
    def export(self, path: Path | None = None) -> None:
        """导出Excel…: the list as shown (filter and order) to an .xlsx file."""
        spec = self.current()
        model = self.models[spec.key]
        title = f"{spec.label}一览"
        path = path or ask_xlsx_path(self, f"导出{spec.label}", spec.label.replace("·", "-"))
        if path is None:
            return
        note = (
            "（仅超过审查间隔未审查的）"
            if spec.key == CUSTODY and self.unreviewed.isChecked()
            else ""
        )
        subtitle = f"截至 {self.as_of.isoformat()}，共 {model.rowCount()} {spec.unit}{note}"
        table = model.to_table(title + note, subtitle, spec.label)
        self.export_job = export_in_background(
            self,
            f"导出{spec.label}",
            path,
            lambda p: write_xlsx(p, table),
            self._exported,
            services=self.services,
        )

    def _exported(self, rows: int, path: Path) -> None:
        self.export_job = None
        self.status.setText(exported_text(rows, path))
