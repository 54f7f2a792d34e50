"""案号 per 《最高人民法院关于人民法院案件案号的若干规定》
(法〔2015〕137号, amended by 法〔2018〕335号).

Format: （收案年度）+ 法院代字 + [专门审判代字] + 类型代字 + 案件编号 + 号,
e.g. （2023）新01民初123号.
The 法院代字 is validated by pattern only (law.md §8.1): 最高法, or a provincial abbreviation with
0, 2 (中级) or 4 (基层) digits. Unknown codes that fit the pattern produce a warning when a
court-code table is given. Type codes come from an editable table.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date

from casedesk.domain.code_tables import (
    PROVINCE_COURT_CODES,
    SPECIALISED_TRIAL_CODES,
    SUPREME_COURT_CODE,
    TypeCode,
    default_type_code_map,
)
from casedesk.domain.identifiers.result import Validation, fold_width, unreadable

EARLIEST_YEAR = 1949
_OPEN = "(（[［〔【"
_CLOSE = ")）]］〕】"
#: ASCII digits only (re.ASCII): digits of other scripts are not folded and must not be stored.
_SHAPE = re.compile(r"^（(?P<year>\d+)）(?P<body>[^\d（）][^（）]*?)(?P<seq>\d+)号$", re.ASCII)
_HAN = re.compile(r"^[\u4e00-\u9fa5]+$")


def normalize_case_number(raw: str) -> str:
    """Spaces removed, full-width digits to ASCII, any bracket around the year to （）."""
    text = fold_width(raw or "")
    text = "".join("（" if ch in _OPEN else "）" if ch in _CLOSE else ch for ch in text)
    return text


def _split_court(body: str) -> list[tuple[str, str]]:
    """Candidate (court code, rest) splits of the part between the year and the number."""
    if body.startswith(SUPREME_COURT_CODE):
        return [(SUPREME_COURT_CODE, body[len(SUPREME_COURT_CODE) :])]
    match = re.match(r"^([^\d]{1,2}?)(\d+)(.*)$", body, re.ASCII)
    if match and len(match.group(1)) <= 2:
        letters, digits, rest = match.groups()
        return [(letters + digits, rest)]
    return [(body[:n], body[n:]) for n in (1, 2) if len(body) > n]


def validate_case_number(
    raw: str,
    type_codes: Mapping[str, TypeCode] | None = None,
    court_codes: Collection[str] | None = None,
    today: date | None = None,
) -> Validation:
    """Validate a 案号 and split it into year, court code, specialised-trial code, type, number."""
    if (refused := unreadable(raw, "案号")) is not None:
        return refused
    today = today or date.today()
    types = type_codes if type_codes is not None else default_type_code_map()
    text = normalize_case_number(raw)
    if not text:
        return Validation(False, None, errors=["案号不能为空"])
    if "字第" in text:
        return Validation(
            False, text, errors=["这是2016年以前的旧式案号（含“字第”），请按现行格式填写"]
        )
    if not text.startswith("（"):
        return Validation(False, text, errors=["案号应以括号中的收案年度开头，如（2023）"])
    if not text.endswith("号"):
        return Validation(False, text, errors=["案号应以“号”结尾"])
    shape = _SHAPE.match(text)
    if shape is None:
        return Validation(
            False,
            text,
            errors=["案号格式应为（年度）法院代字类型代字编号号，如（2023）新01民初123号"],
        )

    errors: list[str] = []
    year_text, body, seq = shape.group("year"), shape.group("body"), shape.group("seq")
    year = int(year_text)
    if len(year_text) != 4:
        errors.append(f"收案年度应为4位数字，实为“{year_text}”")
    elif year < EARLIEST_YEAR or year > today.year:
        errors.append(f"收案年度{year}不在{EARLIEST_YEAR}–{today.year}年之间")
    if seq.startswith("0"):
        errors.append(f"案件编号“{seq}”不应以0开头")

    court = special = type_code = None
    for candidate, rest in _split_court(body):
        sp = rest[0] if rest[:1] in SPECIALISED_TRIAL_CODES and rest[1:] in types else ""
        if rest[len(sp) :] in types:
            court, special, type_code = candidate, sp or None, rest[len(sp) :]
            break
    if court is None:
        candidates = _split_court(body)
        rest = candidates[0][1] if candidates else body
        if rest and _HAN.match(rest):
            errors.append(f"类型代字“{rest}”不在案件类型代字表中")
        else:
            errors.append(f"无法从“{body}”中识别法院代字和类型代字")
    else:
        errors.extend(court_code_errors(court))

    warnings: list[str] = []
    if court and not errors and court_codes is not None and court not in court_codes:
        warnings.append(f"法院代字“{court}”不在法院代字表中，请核对")

    parts = {
        "year": year,
        "court_code": court,
        "specialised_code": special,
        "type_code": type_code,
        "type_family": types[type_code].family if type_code else None,
        "type_name": types[type_code].name if type_code else None,
        "sequence": int(seq),
    }
    return Validation(not errors, text, parts, errors, warnings)


def court_code_errors(court: str) -> list[str]:
    """Why ``court`` is not a well-formed 法院代字 (empty when it is)."""
    if court == SUPREME_COURT_CODE:
        return []
    if not court:
        return ["法院代字不能为空"]
    letters = court.rstrip("0123456789")
    digits = court[len(letters) :]
    errors = []
    if letters not in PROVINCE_COURT_CODES:
        errors.append(f"法院代字“{letters}”不是有效的高级法院代字")
    if len(digits) not in (0, 2, 4):
        errors.append(f"法院代字“{court}”的数字部分应为2位（中级法院）或4位（基层法院）")
    return errors


def type_code_errors(code: str) -> list[str]:
    """Why ``code`` is not a well-formed 类型代字 (one to four Chinese characters)."""
    if not _HAN.match(code or "") or len(code) > 4:
        return ["类型代字应为1至4个汉字"]
    return []
