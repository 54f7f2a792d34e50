"""挂案 page: the ledger of criminal cases against enterprises that stand still past the
thresholds (待督办), are under supervision (督办中) or were closed off (已销号), with 挂牌督办,
销号 and the export a division head hands on. Read off the UI thread when shown and after a
change elsewhere; the counts go to the main window's tab title."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from casedesk.domain.stalled import CLOSED_OFF, PENDING, STATUSES, SUPERVISED
from casedesk.export.xlsx import DATE, INT
from casedesk.services.app import Services
from casedesk.services.stalled import LedgerRow
from casedesk.ui.bus import Bus
from casedesk.ui.measure_lists.export import ask_xlsx_path, export_in_background, exported_text
from casedesk.ui.measure_lists.loader import Loader
from casedesk.ui.measure_lists.table import (
    ALERT,
    MUTED_LOOK,
    Field,
    Look,
    RecordsModel,
    RecordsView,
)
from casedesk.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from casedesk.ui.stalled.dialogs import CloseOffDialog, SupervisionDialog
from casedesk.ui.widgets.fields import ERROR_STYLE, HINT_STYLE

LEDGER = "ledger"
ALL = "全部"
REFRESH_DELAY_MS = 250
LAW_TEXT = (
    "依据：最高人民检察院、公安部《关于公安机关办理经济犯罪案件的若干规定》第25条——"
    "解除强制措施之日起十二个月内，或者未采取强制措施、立案之日起二年内，仍未移送审查起诉"
    "或者依法作其他处理的，应当及时撤销案件（强制措施不含拘传）。"
)


def _due_passed(r: LedgerRow) -> bool:
    return (
        r.status == SUPERVISED
        and r.supervision_due is not None
        and (r.supervision_due < date.today())
    )


LEDGER_FIELDS: tuple[Field[LedgerRow], ...] = (
    Field("案号", lambda r: r.case_number, width=160),
    Field("案由", lambda r: r.cause, width=100),
    Field("承办人", lambda r: r.handler, width=80),
    Field("当事人", lambda r: r.parties, width=150),
    Field("阶段", lambda r: r.stage, width=64),
    Field("立案日", lambda r: r.filed_on, DATE, 86),
    Field("挂案情形", lambda r: short_label(r.threshold_label), width=180,
          tooltip=lambda r: r.threshold_label),
    Field("挂案天数", lambda r: r.days_stalled, INT, 64,
          tip="自立案（或强制措施解除、期满）之日起至今的天数；已销号的，至销号之日"),
    Field("状态", lambda r: r.status, width=60, alert=lambda r: r.status == PENDING),
    Field("督办单位", lambda r: r.supervising_unit, width=120),
    Field("责任单位", lambda r: r.responsible_unit, width=120),
    Field("督办期限", lambda r: r.supervision_due, DATE, 86, alert=_due_passed),
    Field("销号日期", lambda r: r.closed_on, DATE, 86),
)  # fmt: skip


def short_label(label: str) -> str:
    """The threshold's first clause (立案已满二年未采取强制措施); the detail line has it all."""
    return label.split("，")[0]


def row_id(r: LedgerRow) -> str:
    return f"{r.case_id}:{r.supervision_id}"


def _look(r: LedgerRow) -> Look | None:
    if r.status == CLOSED_OFF:
        return MUTED_LOOK
    return ALERT if _due_passed(r) else None


def detail_text(r: LedgerRow | None) -> str:
    """The selected row's particulars that the table has no room for."""
    if r is None:
        return "选择一行查看督办要求和销号情况；双击打开案件"
    parts = [f"{r.case_number}：{r.threshold_label}"]
    if r.since:
        parts.append(f"自 {r.since} 起计算，{r.flagged_from} 起列为挂案")
    if r.instructions:
        parts.append(f"督办要求：{r.instructions}")
    if r.closed_on:
        parts.append(f"{r.closed_on} 销号，办结方式：{r.outcome}，证明文书：{r.close_document}")
    return "；".join(parts)


class StalledPage(QWidget):
    counts_changed = Signal(dict)  # status → cases
    open_case = Signal(str)

    def __init__(self, services: Services, bus: Bus, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.bus = bus
        self.as_of = date.today()
        self.counts: dict[str, int] = {}
        self.loaded = False
        self.export_job: QProgressDialog | None = None
        self._reselect = ""
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("stalledStatus")
        for status in (ALL, *STATUSES):
            self.status_filter.addItem(status, "" if status == ALL else status)
        self.model: RecordsModel[LedgerRow] = RecordsModel(LEDGER_FIELDS, row_id, _look, self)
        self.table = RecordsView(self.model, "stalledTable")
        self.table.activated_row.connect(lambda r: self.open_case.emit(r.case_id))
        self.supervise_button = QPushButton("挂牌督办…")
        self.supervise_button.setObjectName("superviseStalled")
        self.close_off_button = QPushButton("销号…")
        self.close_off_button.setObjectName("closeOffStalled")
        refresh = QPushButton("刷新")
        self.export_button = QPushButton("导出Excel…")
        self.export_button.setObjectName("exportStalled")
        self.summary = QLabel()
        self.summary.setObjectName("stalledSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.detail = QLabel(detail_text(None))
        self.detail.setObjectName("stalledDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_status = QLabel()
        self.export_status.setObjectName("stalledExportStatus")
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        law = QLabel(LAW_TEXT)
        law.setWordWrap(True)
        law.setStyleSheet(HINT_STYLE)

        top = QHBoxLayout()
        top.addWidget(QLabel("状态"))
        top.addWidget(self.status_filter)
        top.addStretch(1)
        top.addWidget(self.supervise_button)
        top.addWidget(self.close_off_button)
        top.addWidget(refresh)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.detail, 1)
        foot.addWidget(self.export_status)
        layout.addLayout(foot)
        layout.addWidget(law)

        self.loader = Loader(self)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.status_filter.currentIndexChanged.connect(self._filter)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.model.modelReset.connect(self._selected)
        self.supervise_button.clicked.connect(self.supervise)
        self.close_off_button.clicked.connect(self.close_off)
        refresh.clicked.connect(self.reload)
        self.export_button.clicked.connect(lambda: self.export())
        bus.cases_changed.connect(self.refresh_later)
        bus.deadlines_changed.connect(self.refresh_later)
        bus.case_changed.connect(lambda _id: self.refresh_later())
        self._selected()

    # -- reading ----------------------------------------------------------------------------------
    def refresh_later(self) -> None:
        if self.isVisible():
            self._timer.start()

    def busy(self) -> bool:
        return self._timer.isActive() or self.loader.busy()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if not self.loader.busy():  # read afresh each time the tab is shown (days count on)
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        self._timer.stop()
        self.as_of = date.today()
        as_of, stalled = self.as_of, self.services.stalled
        self.loader.load(LEDGER, lambda: stalled.ledger(as_of))
        if not self.loaded:
            self.summary.setText("正在读取…")

    def _loaded(self, _key: str, rows: object) -> None:
        selected = self.table.selected_row()
        self.model.set_rows(rows)  # type: ignore[arg-type]
        if self._reselect:  # after 督办 or 销号 the row has a new status (and id)
            self.select_case(self._reselect)
            self._reselect = ""
        elif selected is not None:
            self.table.select_id(row_id(selected))
        self.loaded = True
        ledger = self.model.all_rows()
        self.counts = {s: sum(r.status == s for r in ledger) for s in STATUSES}
        self._show_summary()
        self.counts_changed.emit(dict(self.counts))

    def _failed(self, _key: str, error: object) -> None:
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setText(f"读取挂案台账失败：{error}")

    # -- showing ----------------------------------------------------------------------------------
    def set_status(self, status: str) -> None:
        self.status_filter.setCurrentIndex(max(self.status_filter.findData(status), 0))

    def _filter(self) -> None:
        wanted = self.status_filter.currentData() or ""
        self.model.set_filter((lambda r: r.status == wanted) if wanted else None)
        self._show_summary()

    def _show_summary(self) -> None:
        if not self.loaded:
            return
        self.summary.setStyleSheet("")
        c = self.counts
        late = sum(_due_passed(r) for r in self.model.all_rows())
        text = f"截至 {self.as_of:%Y年%m月%d日}：待督办 <b>{c[PENDING]}</b> 件，"
        text += f"督办中 {c[SUPERVISED]} 件"
        text += f"（其中 <b>{late}</b> 件已过督办期限）" if late else ""
        text += f"，已销号 {c[CLOSED_OFF]} 件"
        if self.model.rowCount() != len(self.model.all_rows()):
            text += f"；当前显示 {self.model.rowCount()} 件"
        self.summary.setText(text)

    def _selected(self) -> None:
        row = self.table.selected_row()
        self.supervise_button.setEnabled(row is not None and row.status == PENDING)
        self.close_off_button.setEnabled(row is not None and row.status == SUPERVISED)
        self.detail.setText(detail_text(row))

    def select_case(self, case_id: str, status: str = "") -> bool:
        """Select the case's row (of ``status`` when given; else its open one first)."""
        order = {SUPERVISED: 0, PENDING: 1, CLOSED_OFF: 2}
        found = [
            (order[r.status], n)
            for n, r in enumerate(self.model.rows())
            if r.case_id == case_id and (not status or r.status == status)
        ]
        if not found:
            return False
        self.table.selectRow(min(found)[1])
        return True

    # -- actions ----------------------------------------------------------------------------------
    def supervise(self) -> None:
        row = self.table.selected_row()
        if row is None or row.status != PENDING:
            return
        if SupervisionDialog(self.services, row, self).exec():
            self._changed(row.case_id)

    def close_off(self) -> None:
        row = self.table.selected_row()
        if row is None or row.status != SUPERVISED:
            return
        if CloseOffDialog(self.services, row, self).exec():
            self._changed(row.case_id)

    def _changed(self, case_id: str) -> None:
        """Read the ledger again with the case still selected."""
        self._reselect = case_id
        self.reload()

    def export(self, path: Path | None = None) -> None:
        """导出Excel…: the ledger under the chosen status, through the service."""
        status = self.status_filter.currentData() or ""
        name = "挂案台账" + (f"-{status}" if status else "")
        path = path or ask_xlsx_path(self, "导出挂案台账", name)
        if path is None:
            return
        as_of, stalled = self.as_of, self.services.stalled
        self.export_job = export_in_background(
            self, "导出挂案台账", path, lambda p: stalled.export_xlsx(p, as_of, status),
            self._exported, services=self.services,
        )  # fmt: skip

    def _exported(self, rows: int, path: Path) -> None:
        self.export_job = None
        self.export_status.setText(exported_text(rows, path))
