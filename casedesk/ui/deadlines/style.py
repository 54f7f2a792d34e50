"""How a deadline's band looks: the same colours on the board and on the case page, readable
in black and white too (the band is always also written out)."""

from __future__ import annotations

from casedesk.domain.deadlines import BAND_LABELS, OVERDUE, TODAY, WITHIN_3, WITHIN_7
from casedesk.ui.qt import QBrush, QColor

BACKGROUND = {
    OVERDUE: QColor("#fdecea"),
    TODAY: QColor("#ffe0b2"),
    WITHIN_3: QColor("#fff3e0"),
    WITHIN_7: QColor("#fff8e1"),
}
FOREGROUND = {OVERDUE: QColor("#b71c1c")}


def background(band: str) -> QBrush | None:
    color = BACKGROUND.get(band)
    return QBrush(color) if color is not None else None


def foreground(band: str) -> QBrush | None:
    color = FOREGROUND.get(band)
    return QBrush(color) if color is not None else None


def days_text(days_left: int, band: str) -> str:
    """ "逾期 3 日" / "今日届满" / "剩余 5 日"."""
    if band == OVERDUE or days_left < 0:
        return f"逾期 {-days_left} 日"
    if days_left == 0:
        return "今日届满"
    return f"剩余 {days_left} 日"


def band_label(band: str) -> str:
    return BAND_LABELS.get(band, "")
