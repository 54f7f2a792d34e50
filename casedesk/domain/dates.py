"""Dates as clerks type them: 2023-03-01, 2023/3/1, 2023.3.1, 20230301, 2023年3月1日."""

from __future__ import annotations

import re
from datetime import date

from casedesk.domain.identifiers.result import fold_width

_SEPARATED = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class DateError(ValueError):
    """The text is not a date; ``str(error)`` is the Chinese message."""


def parse_date(text: str) -> date | None:
    """A date from typed text; empty text gives ``None``."""
    if text is not None and not isinstance(text, str):
        raise DateError("日期应填写为文字，如 2023-03-01")
    raw = fold_width(text or "")
    if not raw:
        return None
    match = _SEPARATED.match(raw) or _COMPACT.match(raw)
    if match is None:
        raise DateError("日期格式应为 2023-03-01（也可写作 2023/3/1、20230301 或 2023年3月1日）")
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateError(f"{year}年{month}月{day}日不是有效日期") from exc


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""
