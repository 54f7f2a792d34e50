"""Money amounts: parsed from what a clerk types, kept as integer fen (分) to stay exact."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext

from casedesk.domain.identifiers.result import fold_width

_UNITS = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "": Decimal(1)}
#: Digits, optionally grouped by thousands (1,234,567), then decimals, 万/亿 and 元.
_SHAPE = re.compile(
    r"^(?P<num>(?:[0-9]{1,3}(?:[,，][0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)(?P<unit>亿|万)?元?$", re.ASCII
)
MAX_FEN = 10**17  # one quadrillion yuan: beyond any claim, inside a signed 64-bit column


class AmountError(ValueError):
    """The text is not an amount; ``str(error)`` is the Chinese message."""


def parse_amount(text: str) -> int | None:
    """Yuan text (``12,345.6``, ``120万``, ``1.5亿元``) to fen; empty text gives ``None``."""
    if text is not None and not isinstance(text, str):
        raise AmountError("金额应填写为文字，如 12,345.67 或 120万")
    raw = fold_width(text or "").replace("。", ".").replace("．", ".")
    if not raw:
        return None
    if raw.startswith("-"):
        raise AmountError("金额不能为负数")
    match = _SHAPE.match(raw)
    if match is None:
        raise AmountError(
            "金额应为数字（千位分隔符须每三位一个），可带“万”“亿”“元”，如 12,345.67 或 120万"
        )
    digits = match.group("num").replace(",", "").replace("，", "")
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guarantees a number
        raise AmountError("金额应为数字") from exc
    with localcontext() as exact:  # as many digits as typed: a fraction of a fen is never rounded
        exact.prec = len(digits) + 20
        fen = value * _UNITS[match.group("unit") or ""] * 100
    if fen != fen.to_integral_value():
        raise AmountError("金额最多精确到分（两位小数）")
    if fen >= MAX_FEN:
        raise AmountError("金额过大")
    return int(fen)


def format_amount(fen: int | None) -> str:
    """Fen to ``1,234,567.89`` (empty for ``None``)."""
    if fen is None:
        return ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{yuan:,}.{cents:02d}"
