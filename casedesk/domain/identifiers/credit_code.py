"""统一社会信用代码, GB 32100-2015 (law.md §8.3).

18 characters: registration authority (1), institution category (1), administrative division of
the registering authority (6 digits, GB/T 2260), subject identifier = 组织机构代码 (9, GB 11714),
check character (1).
"""

from __future__ import annotations

from casedesk.domain.identifiers.result import Validation, fold_width, unreadable

#: The 31 symbols of GB 32100-2015; a symbol's value is its index (no I, O, S, V, Z).
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Wᵢ = 3^(i−1) mod 31 for positions 1–17.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

#: 登记管理部门代码 (position 1) as amended after 2015.
REGISTRATION_AUTHORITIES = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "市场监督管理（工商）",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

#: 机构类别代码 (position 2) for the authorities whose categories the standard lists.
INSTITUTION_CATEGORIES = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
}

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code_check_char(first17: str) -> str:
    """The check character (position 18) for the first 17 characters."""
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    value = (31 - total % 31) % 31
    return CHARSET[value]


def organization_code_check_char(first8: str) -> str:
    """GB 11714 check character of a 组织机构代码 for its first 8 characters."""

    def value(ch: str) -> int:
        return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10

    total = sum(value(ch) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return {10: "X", 11: "0"}.get(c9, str(c9))


def validate_credit_code(raw: str) -> Validation:
    """Validate a 统一社会信用代码; lower case, full-width letters and spaces are accepted."""
    if (refused := unreadable(raw, "统一社会信用代码")) is not None:
        return refused
    code = fold_width(raw or "").upper()
    if not code:
        return Validation(False, None, errors=["统一社会信用代码不能为空"])
    if len(code) != 18:
        return Validation(False, code, errors=[f"统一社会信用代码应为18位，实为{len(code)}位"])

    errors: list[str] = []
    for pos, ch in enumerate(code, start=1):
        if ch not in CHARSET:
            if ch in "IOSVZ":
                errors.append(f"第{pos}位“{ch}”不是有效字符（代码中不使用 I、O、S、V、Z）")
            else:
                errors.append(f"第{pos}位“{ch}”不是有效字符（只能是数字或大写字母）")
    if errors:
        return Validation(False, code, errors=errors)

    authority, category, region = code[0], code[1], code[2:8]
    if authority not in REGISTRATION_AUTHORITIES:
        errors.append(f"第1位登记管理部门代码“{authority}”无效")
    categories = INSTITUTION_CATEGORIES.get(authority)
    if categories is not None and category not in categories:
        errors.append(f"第2位机构类别代码“{category}”对登记管理部门“{authority}”无效")
    if not region.isdigit():
        errors.append(f"第3–8位登记管理机关行政区划码应为6位数字，实为“{region}”")

    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        errors.append(f"校验码应为 {expected}，实为 {code[17]}")

    warnings: list[str] = []
    org = code[8:17]
    if (
        org[:8].isalnum()
        and org[8] in "0123456789X"
        and organization_code_check_char(org[:8]) != org[8]
    ):
        warnings.append("第9–17位组织机构代码的校验位与 GB 11714 不符")
    parts = {
        "registration_authority": authority,
        "registration_authority_name": REGISTRATION_AUTHORITIES.get(authority),
        "institution_category": category,
        "institution_category_name": (categories or {}).get(category),
        "region_code": region,
        "organization_code": org,
        "check_char": code[17],
    }
    return Validation(not errors, code, parts, errors, warnings)
