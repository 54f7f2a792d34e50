"""居民身份证号码, GB 11643-1999 (law.md §8.4), including the 15-digit legacy form."""

from __future__ import annotations

from datetime import date

from casedesk.domain.identifiers.result import Validation, fold_width, unreadable

#: Wᵢ = 2^(18−i) mod 11 for positions 1–17.
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK = "10X98765432"
_DIGITS = frozenset("0123456789")

#: First two digits of the address code: provinces (GB/T 2260), 港澳台 (81–83), and 9 for the
#: 2023 外国人永久居留身份证.
PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
}  # fmt: skip
EARLIEST_BIRTH_YEAR = 1880


def id_number_check_char(first17: str) -> str:
    """The check character (position 18) for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return _CHECK[total % 11]


def _birth_date(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def validate_id_number(raw: str, today: date | None = None) -> Validation:
    """Validate a 居民身份证号码; ``x`` is accepted for ``X``; 15-digit numbers are upgraded."""
    if (refused := unreadable(raw, "身份证号码")) is not None:
        return refused
    today = today or date.today()
    number = fold_width(raw or "").upper()
    if not number:
        return Validation(False, None, errors=["身份证号码不能为空"])

    legacy = len(number) == 15
    if legacy:
        if not set(number) <= _DIGITS:
            return Validation(False, number, errors=["15位旧身份证号码应全为数字"])
        first17 = number[:6] + "19" + number[6:]
        number18 = first17 + id_number_check_char(first17)
    elif len(number) == 18:
        if not set(number[:17]) <= _DIGITS:
            bad = next(i for i, ch in enumerate(number[:17], start=1) if ch not in _DIGITS)
            return Validation(False, number, errors=[f"第{bad}位应为数字，实为“{number[bad - 1]}”"])
        if number[17] not in _DIGITS and number[17] != "X":
            return Validation(False, number, errors=[f"第18位应为数字或 X，实为“{number[17]}”"])
        number18 = number
    else:
        return Validation(
            False, number, errors=[f"身份证号码应为18位（或15位旧号码），实为{len(number)}位"]
        )

    errors: list[str] = []
    province = number18[:2]
    if province not in PROVINCE_CODES and province[0] != "9":
        errors.append(f"地址码开头“{province}”不是有效的省级行政区划代码")
    birth_text = number18[6:14]
    birth = _birth_date(birth_text)
    if birth is None:
        errors.append(f"出生日期“{birth_text}”不是有效日期")
    elif birth > today:
        errors.append(f"出生日期 {birth.isoformat()} 晚于今天")
    elif birth.year < EARLIEST_BIRTH_YEAR:
        errors.append(f"出生日期 {birth.isoformat()} 早于{EARLIEST_BIRTH_YEAR}年")
    if not legacy:
        expected = id_number_check_char(number18[:17])
        if number18[17] != expected:
            errors.append(f"校验码应为 {expected}，实为 {number18[17]}")

    sequence = int(number18[14:17])
    parts = {
        "address_code": number18[:6],
        "birth_date": birth.isoformat() if birth else None,
        "sequence": number18[14:17],
        "gender": "男" if sequence % 2 else "女",
        "check_char": number18[17],
        "legacy_15": legacy,
    }
    return Validation(not errors, number18, parts, errors)
