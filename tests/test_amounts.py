"""Money amounts (casedesk/domain/amounts.py): yuan text → integer fen, and back.

1 元 = 100 分; 1 万 = 10⁴ 元; 1 亿 = 10⁸ 元.
"""

from __future__ import annotations

import pytest

from casedesk.domain.amounts import MAX_FEN, AmountError, format_amount, parse_amount

WAN = 10_000 * 100  # fen in one 万元
YI = 100_000_000 * 100  # fen in one 亿元


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("12,345.67", 12_345 * 100 + 67),
        ("12345.67", 12_345 * 100 + 67),
        ("120万", 120 * WAN),
        ("120万元", 120 * WAN),
        ("1.5亿元", 15 * YI // 10),
        ("1.5亿", 15 * YI // 10),
        ("0.0001万", 100),  # 1 元
        ("0.000001万", 1),  # 0.01 元 = 1 分
        ("100元", 100 * 100),
        ("0", 0),
        ("0.01", 1),
        ("100.00", 100 * 100),
        ("１２３４５．６７", 12_345 * 100 + 67),  # full-width digits and point
        ("１２０万", 120 * WAN),
        ("12，345", 12_345 * 100),  # full-width comma
        (" 12 345.6 ", 12_345 * 100 + 60),
        ("12345。6", 12_345 * 100 + 60),  # 。 typed for the point
    ],
)
def test_parse_amount(text: str, fen: int) -> None:
    assert parse_amount(text) == fen


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_amount_is_none(text: str | None) -> None:
    assert parse_amount(text) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5", "金额不能为负数"),
        ("－5", "金额应为数字"),  # full-width minus: refused as well
        ("abc", "金额应为数字"),
        ("¥100", "金额应为数字"),
        ("1e5", "金额应为数字"),
        ("1.2.3", "金额应为数字"),
        (".5", "金额应为数字"),
        ("1万亿", "金额应为数字"),
        ("1.234", "金额最多精确到分（两位小数）"),
        ("0.0000001万", "金额最多精确到分（两位小数）"),  # 0.001 元
        ("1000000000000000", "金额过大"),
    ],
)
def test_parse_amount_errors(text: str, message: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    assert message in str(info.value)


def test_largest_amount_below_the_limit() -> None:
    assert parse_amount("999999999999999.99") == MAX_FEN - 1


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (None, ""),
        (0, "0.00"),
        (5, "0.05"),
        (100, "1.00"),
        (123_456_789, "1,234,567.89"),
        (120 * WAN, "1,200,000.00"),
        (-150, "-1.50"),
        (-5, "-0.05"),
    ],
)
def test_format_amount(fen: int | None, text: str) -> None:
    assert format_amount(fen) == text


@pytest.mark.parametrize("fen", [0, 1, 99, 100, 1_234_567, 10**16 + 1])
def test_format_then_parse_round_trips(fen: int) -> None:
    assert parse_amount(format_amount(fen)) == fen


@pytest.mark.parametrize("text", ["1,5", "12,34", "1,2345", ",123", "1,234,56"])
def test_commas_must_group_thousands(text: str) -> None:
    """A decimal comma (1,5 meaning 1.5) must not be silently read as fifteen."""
    with pytest.raises(AmountError, match="千位分隔符"):
        parse_amount(text)
