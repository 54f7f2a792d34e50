"""被查扣冻财产 on the enterprise page: everything seized from the enterprise across its cases,
with the value still held; lapsed measures (已失效) stand out; a double-click opens the case at
the measure."""

from __future__ import annotations

from collections.abc import Sequence

from casedesk.domain.amounts import format_amount
from casedesk.export.xlsx import AMOUNT, DATE
from casedesk.services.measure_dto import (
    ACTIVE,
    LAPSED,
    PARTLY_RELEASED,
    RELEASED,
    PropertyMeasureView,
)
from casedesk.ui.measure_lists.table import (
    ALERT,
    MUTED_LOOK,
    Field,
    Look,
    RecordsModel,
    RecordsView,
)
from casedesk.ui.qt import QLabel, Qt, QVBoxLayout, QWidget, Signal

IN_FORCE = (ACTIVE, PARTLY_RELEASED)


def unrelated_open(v: PropertyMeasureView) -> bool:
    return v.unrelated_on is not None and v.status in IN_FORCE


def status_text(v: PropertyMeasureView) -> str:
    if unrelated_open(v):
        return f"{v.status}（{v.unrelated_on} 查明与案件无关，待解除）"
    if v.status == RELEASED and v.released_on:
        return f"{v.status}（{v.released_on}）"
    return v.status


def _live_use(v: PropertyMeasureView) -> str:
    if not v.live_use:
        return ""
    return f"是：{v.live_use_note}" if v.live_use_note else "是"


def _look(v: PropertyMeasureView) -> Look | None:
    if v.status == LAPSED or unrelated_open(v):
        return ALERT
    return MUTED_LOOK if v.status == RELEASED else None


SEIZED_FIELDS: tuple[Field[PropertyMeasureView], ...] = (
    Field("案号", lambda v: v.case_number, width=170),
    Field("种类", lambda v: v.kind, width=44),
    Field("财产", lambda v: f"{v.object_kind}：{v.description}", width=300),
    Field("价值（元）", lambda v: v.value_fen, AMOUNT, 120, blank="不明"),
    Field("在控价值（元）", lambda v: v.remaining_fen if v.status in IN_FORCE else 0, AMOUNT,
          120, blank="不明", tip="尚未解除的价值；已解除、已失效的为 0"),
    Field("开始", lambda v: v.start_on, DATE, 90),
    Field("期限至", lambda v: v.term_end, DATE, 90, blank="无法定期限",
          tip="期限届满未续行的，措施自动失效（已失效）；刑事查封、扣押无法定期限，定期审查"),
    Field("状态", status_text, width=160, alert=lambda v: v.status == LAPSED or unrelated_open(v)),
    Field("活封活扣", _live_use, width=140),
)  # fmt: skip


def total_text(views: Sequence[PropertyMeasureView]) -> str:
    held = [v for v in views if v.status in IN_FORCE]
    total = sum(v.remaining_fen or 0 for v in held)
    unknown = sum(v.remaining_fen is None for v in held)
    lapsed = sum(v.status == LAPSED for v in views)
    released = sum(v.status == RELEASED for v in views)
    text = f"在控价值合计 <b>{format_amount(total)}</b> 元（在控 {len(held)} 项"
    text += f"，其中价值不明 {unknown} 项" if unknown else ""
    text += f"；已失效 <b>{lapsed}</b> 项" if lapsed else ""
    text += f"；已解除 {released} 项" if released else ""
    return text + "）。双击打开案件的强制措施页。"


class SeizedPropertySection(QWidget):
    open_measure = Signal(str, str)  # case id, measure id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model: RecordsModel[PropertyMeasureView] = RecordsModel(
            SEIZED_FIELDS, lambda v: v.id, _look, self
        )
        self.table = RecordsView(self.model, "enterpriseSeized")
        self.table.activated_row.connect(lambda v: self.open_measure.emit(v.case_id, v.id))
        self.total = QLabel()
        self.total.setObjectName("enterpriseSeizedTotal")
        self.total.setTextFormat(Qt.TextFormat.RichText)
        self.total.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.total)
        layout.addWidget(self.table, 1)

    def show_measures(self, views: Sequence[PropertyMeasureView]) -> None:
        self.model.set_rows(views)
        self.total.setText(total_text(views) if views else "未登记该企业被查封、扣押、冻结的财产。")
