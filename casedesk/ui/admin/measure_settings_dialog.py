"""强制措施设置: the two thresholds an administrator sets for the measure lists — the 超标的
ratio and how long a person may stay in custody without a 羁押必要性审查 before being listed.
Both are checked by the service and refused at their field; the change is audited."""

from __future__ import annotations

from casedesk.services.app import Services
from casedesk.services.measure_dto import MeasureSettings
from casedesk.ui.ops import Failed, attempt
from casedesk.ui.qt import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget
from casedesk.ui.widgets.buttons import dialog_buttons
from casedesk.ui.widgets.fields import HINT_STYLE, FieldGrid

RATIO_TEXT = (
    "<b>超标的比例</b>：一个案件中正在执行的查封、扣押、冻结财产的价值（已解除、已失效的不计），"
    "超过“标的额（争议金额或执行标的）＋诉讼费、执行费等费用”乘以这个比例时，该案列入“超标的”清单，"
    "提示承办人依法解除超出部分。法律只规定查封、扣押、冻结的财产不得“明显超出”应当履行的义务"
    "（查扣冻规定 第19条；民诉法 第253条），具体比例由本院确定。例如 1.2 表示超出 20% 以上即提示；"
    "可填 1 到 10 之间的数。"
)
INTERVAL_TEXT = (
    "<b>羁押必要性审查间隔</b>：逮捕后，检察机关仍应当对羁押的必要性进行审查（刑诉法 第95条）。"
    "在押人员自最近一次羁押必要性审查（未审查过的，自羁押之日）起超过这个天数仍未审查的，"
    "在“在押人员”清单中以红色标出，并可单独筛选。法律未规定审查间隔，由本院确定；"
    "可填 1 到 365 之间的整数。"
)


def _explanation(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


class MeasureSettingsDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("强制措施设置")
        self.setObjectName("measureSettingsDialog")
        self.services = services
        self.saved: MeasureSettings | None = None
        current = services.measure_settings.get()
        self.ratio = QLineEdit(f"{current.overseizure_ratio:f}")
        self.ratio.setObjectName("overseizureRatio")
        self.ratio.setMaxLength(12)
        self.interval = QLineEdit(str(current.review_interval_days))
        self.interval.setObjectName("reviewInterval")
        self.interval.setMaxLength(6)
        self.grid = FieldGrid()
        self.grid.add("overseizure_ratio", "超标的比例（倍）", self.ratio,
                      hint="如 1.2：在控价值超过（标的额＋费用）× 1.2 即列为超标的")  # fmt: skip
        self.grid.add("review_interval_days", "羁押必要性审查间隔（天）", self.interval,
                      hint="如 60：在押人员超过 60 天未审查即提示")  # fmt: skip
        layout = QVBoxLayout(self)
        layout.addWidget(_explanation(RATIO_TEXT))
        layout.addWidget(_explanation(INTERVAL_TEXT))
        layout.addSpacing(6)
        layout.addWidget(self.grid)
        layout.addStretch(1)
        layout.addWidget(dialog_buttons("保存", self.save, self.reject))
        self.resize(620, 440)

    def save(self) -> None:
        for name in ("overseizure_ratio", "review_interval_days"):
            self.grid.clear(name)
        try:
            self.saved = attempt(self, self.services.measure_settings.save, self.ratio.text(),
                                 self.interval.text(), grid=self.grid)  # fmt: skip
        except Failed:
            return
        self.accept()
