"""Identifier rules (law.md §8).

- 案号: 《最高人民法院关于人民法院案件案号的若干规定》 (法〔2015〕137号,
  amended by 法〔2018〕335号), law.md §8.1.
- 统一社会信用代码: GB 32100-2015, law.md §8.3.
- 居民身份证号码: GB 11643-1999, law.md §8.4.

Check characters are computed here from the weights printed in the standards, not with the
functions under test.
"""

from __future__ import annotations

from datetime import date

import pytest

from casedesk.domain.identifiers import (
    credit_code_check_char,
    id_number_check_char,
    validate_case_number,
    validate_credit_code,
    validate_id_number,
)

TODAY = date(2026, 6, 1)

# -- independent implementations of the check characters, straight from the standards ----------

#: GB 32100-2015 §4.2: the 31 code characters, value = position in this string.
GB32100_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: GB 32100-2015 §4.3 / law.md §8.3: weights of positions 1–17 as printed.
GB32100_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
#: GB 11643-1999 §7.1 / law.md §8.4: weights of positions 1–17 as printed.
GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
#: GB 11643-1999: Y = S mod 11 → check character.
GB11643_CHECK = dict(enumerate(["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]))


def gb32100_check(first17: str) -> str:
    total = sum(GB32100_CHARSET.index(c) * w for c, w in zip(first17, GB32100_WEIGHTS, strict=True))
    value = 31 - total % 31
    return GB32100_CHARSET[0 if value == 31 else value]


def gb11643_check(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, GB11643_WEIGHTS, strict=True))
    return GB11643_CHECK[total % 11]


def with_credit_check(first17: str) -> str:
    return first17 + gb32100_check(first17)


def with_id_check(first17: str) -> str:
    return first17 + gb11643_check(first17)


def wrong_id_check(first17: str) -> str:
    right = gb11643_check(first17)
    return first17 + ("1" if right != "1" else "2")


# -- weights: the implementation's tables agree with the printed ones -----------------------


def test_weights_of_both_standards_match_the_printed_tables() -> None:
    from casedesk.domain.identifiers import credit_code, id_number

    assert list(credit_code.WEIGHTS) == GB32100_WEIGHTS  # GB 32100-2015
    assert credit_code.CHARSET == GB32100_CHARSET
    assert list(id_number.WEIGHTS) == GB11643_WEIGHTS  # GB 11643-1999


@pytest.mark.parametrize(
    "first17",
    ["91440300192203821", "91330100799655058", "91110000100006485", "91650100MA7X4LQP8"],
)
def test_credit_check_char_function_agrees_with_the_standard(first17: str) -> None:
    assert credit_code_check_char(first17) == gb32100_check(first17)  # GB 32100-2015 §4.3


@pytest.mark.parametrize(
    "first17", ["11010519491231002", "65010219800101123", "65290119991231456", "44030420000229001"]
)
def test_id_check_char_function_agrees_with_the_standard(first17: str) -> None:
    assert id_number_check_char(first17) == gb11643_check(first17)  # GB 11643-1999 §7


# == 案号 =====================================================================================


def case_number(raw: str, **kw):  # type: ignore[no-untyped-def]
    return validate_case_number(raw, today=TODAY, **kw)


@pytest.mark.parametrize(
    ("raw", "normalized", "parts"),
    [
        pytest.param(
            "（2023）新01民初123号",
            "（2023）新01民初123号",
            (2023, "新01", None, "民初", 123),
            id="案号规定-中级法院-law8.1-example",
        ),
        pytest.param(
            "（2018）新01行初100号",
            "（2018）新01行初100号",
            (2018, "新01", None, "行初", 100),
            id="案号规定-law8.1-spot-checked-乌鲁木齐中院",
        ),
        pytest.param(
            "（2019）最高法知民终1号",
            "（2019）最高法知民终1号",
            (2019, "最高法", "知", "民终", 1),
            id="法〔2018〕335号-最高法-专门审判代字知",
        ),
        pytest.param(
            "（2023）新民终5号",
            "（2023）新民终5号",
            (2023, "新", None, "民终", 5),
            id="案号规定-高级法院-0-digits",
        ),
        pytest.param(
            "（2023）新0102执恢12号",
            "（2023）新0102执恢12号",
            (2023, "新0102", None, "执恢", 12),
            id="案号规定-基层法院-4-digits-执恢",
        ),
        pytest.param(
            "（2024）兵08刑终3号",
            "（2024）兵08刑终3号",
            (2024, "兵08", None, "刑终", 3),
            id="案号规定-兵团分院下中院",
        ),
        pytest.param(
            "（2023）新01民辖终3号",
            "（2023）新01民辖终3号",
            (2023, "新01", None, "民辖终", 3),
            id="案号规定-three-character-type-code",
        ),
        pytest.param(
            "（2023）新0102民诉前调7号",
            "（2023）新0102民诉前调7号",
            (2023, "新0102", None, "民诉前调", 7),
            id="案号规定-four-character-type-code",
        ),
        pytest.param(
            "（2023）新01知民初1号",
            "（2023）新01知民初1号",
            (2023, "新01", "知", "民初", 1),
            id="法〔2018〕335号-知-in-an-intermediate-court",
        ),
        pytest.param(
            "（2023）内0102民初1号",
            "（2023）内0102民初1号",
            (2023, "内0102", None, "民初", 1),
            id="案号规定-内蒙古=内",
        ),
        pytest.param(
            "（2022）新0102执9号",
            "（2022）新0102执9号",
            (2022, "新0102", None, "执", 9),
            id="案号规定-one-character-type-code-执",
        ),
        # Normalisation: the year's parentheses are full-width in practice (law.md §8.1).
        pytest.param(
            "(2023)新01民初123号",
            "（2023）新01民初123号",
            (2023, "新01", None, "民初", 123),
            id="normalise-half-width-brackets",
        ),
        pytest.param(
            "〔2023〕新01民初123号",
            "（2023）新01民初123号",
            (2023, "新01", None, "民初", 123),
            id="normalise-六角括号",
        ),
        pytest.param(
            "[2023]新01民初123号",
            "（2023）新01民初123号",
            (2023, "新01", None, "民初", 123),
            id="normalise-square-brackets",
        ),
        pytest.param(
            " （2023） 新01 民初 123号 ",
            "（2023）新01民初123号",
            (2023, "新01", None, "民初", 123),
            id="normalise-stray-ascii-spaces",
        ),
        pytest.param(
            "（2023）\u3000新01民初\u3000123号",
            "（2023）新01民初123号",
            (2023, "新01", None, "民初", 123),
            id="normalise-full-width-space-U+3000",
        ),
        pytest.param(
            "（２０２３）新０１民初１２３号",
            "（2023）新01民初123号",
            (2023, "新01", None, "民初", 123),
            id="normalise-full-width-digits",
        ),
    ],
)
def test_valid_case_numbers(raw: str, normalized: str, parts: tuple) -> None:
    result = case_number(raw)
    assert result.valid, result.errors
    assert result.errors == []
    assert result.normalized == normalized
    year, court, special, type_code, seq = parts
    assert result.parts["year"] == year
    assert result.parts["court_code"] == court
    assert result.parts["specialised_code"] == special
    assert result.parts["type_code"] == type_code
    assert result.parts["sequence"] == seq


def test_case_number_type_family_and_name_come_from_the_table() -> None:
    result = case_number("（2023）新01执保4号")
    assert (result.parts["type_family"], result.parts["type_name"]) == ("执行", "财产保全执行")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param("", "案号不能为空", id="empty"),
        pytest.param("   \u3000", "案号不能为空", id="only-spaces"),
        pytest.param(
            "（2023）新1民初1号", "法院代字“新1”的数字部分应为2位", id="案号规定-court-1-digit"
        ),
        pytest.param(
            "（2023）新012民初1号", "法院代字“新012”的数字部分应为2位", id="案号规定-court-3-digits"
        ),
        pytest.param(
            "（2023）新01021民初1号",
            "的数字部分应为2位（中级法院）或4位（基层法院）",
            id="案号规定-court-5-digits",
        ),
        pytest.param(
            "（2023）X01民初1号", "法院代字“X”不是有效的高级法院代字", id="unknown-province-latin"
        ),
        pytest.param(
            "（2023）港01民初1号", "法院代字“港”不是有效的高级法院代字", id="unknown-province-港"
        ),
        pytest.param(
            "（2023）新01民哈1号", "类型代字“民哈”不在案件类型代字表中", id="unknown-type-code"
        ),
        pytest.param(
            "（2023）新01民初0123号", "案件编号“0123”不应以0开头", id="案号规定-no-padding"
        ),
        pytest.param(
            "（2015）新01民初字第123号", "旧式案号（含“字第”）", id="pre-2016-字第-format"
        ),
        pytest.param("（2027）新01民初1号", "收案年度2027不在1949–2026年之间", id="future-year"),
        pytest.param("（1948）新01民初1号", "收案年度1948不在1949–2026年之间", id="too-early"),
        pytest.param("（23）新01民初1号", "收案年度应为4位数字，实为“23”", id="two-digit-year"),
        pytest.param("（2023）新01民初123", "案号应以“号”结尾", id="missing-号"),
        pytest.param("2023新01民初123号", "案号应以括号中的收案年度开头", id="no-year-brackets"),
        pytest.param(
            "（2023）新01民初号", "案号格式应为（年度）法院代字类型代字编号号", id="no-sequence"
        ),
        pytest.param(
            "（2023）01民初1号", "案号格式应为（年度）法院代字类型代字编号号", id="no-court-letters"
        ),
    ],
)
def test_invalid_case_numbers(raw: str, message: str) -> None:
    result = case_number(raw)
    assert not result.valid
    assert any(message in e for e in result.errors), result.errors
    assert result.message  # one line for the field
    assert result.as_json()["normalized"] is None


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("（٢٠٢٣）新01民初1号", id="arabic-indic-year"),
        pytest.param("（2023）新01民初١号", id="arabic-indic-sequence"),
        pytest.param("（2023）新٠١民初1号", id="arabic-indic-court-digits"),
    ],
)
def test_case_number_digits_other_than_ascii_or_full_width_are_refused(raw: str) -> None:
    # A stored 案号 must be canonical (ASCII digits) or the unique index would let the same
    # number in twice; digits from other scripts are not folded, so they must be refused.
    result = case_number(raw)
    assert not result.valid
    assert result.errors


def test_case_number_future_year_uses_the_given_today() -> None:
    assert case_number("（2026）新01民初1号").valid
    assert not validate_case_number("（2026）新01民初1号", today=date(2025, 12, 31)).valid


def test_unknown_court_code_in_table_is_a_warning_not_an_error() -> None:
    table = {"新", "新01"}
    known = case_number("（2023）新01民初1号", court_codes=table)
    assert known.valid and known.warnings == []
    unknown = case_number("（2023）新0199民初1号", court_codes=table)
    assert unknown.valid
    assert unknown.warnings == ["法院代字“新0199”不在法院代字表中，请核对"]
    # Without a table, no warning at all.
    assert case_number("（2023）新0199民初1号").warnings == []


def test_invalid_court_code_gives_no_table_warning() -> None:
    result = case_number("（2023）新1民初1号", court_codes={"新01"})
    assert not result.valid and result.warnings == []


def test_type_codes_come_from_the_given_table() -> None:
    from casedesk.domain.code_tables import TypeCode

    table = {"民初": TypeCode("民初", "民事", "民事一审", "H")}
    assert case_number("（2023）新01民初1号", type_codes=table).valid
    result = case_number("（2023）新01刑初1号", type_codes=table)
    assert not result.valid
    assert "类型代字“刑初”不在案件类型代字表中" in result.errors


# == 统一社会信用代码 =========================================================================

REAL_CODES = ["914403001922038216", "91330100799655058B", "91110000100006485K"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_are_valid(code: str) -> None:
    result = validate_credit_code(code)
    assert result.valid, result.errors
    assert result.normalized == code
    assert code[17] == gb32100_check(code[:17])  # the test's own computation agrees
    assert result.parts["registration_authority"] == "9"
    assert result.parts["institution_category"] == "1"
    assert result.parts["region_code"] == code[2:8]
    assert result.parts["organization_code"] == code[8:17]
    assert result.parts["check_char"] == code[17]


def test_generated_credit_code_with_letters_in_subject_id_is_valid() -> None:
    code = with_credit_check("91650100MA7X4LQP8")  # Xinjiang region 650100
    result = validate_credit_code(code)
    assert result.valid, result.errors
    assert result.parts["region_code"] == "650100"


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        pytest.param("91330100799655058b", "91330100799655058B", id="lower-case-check-char"),
        pytest.param("91650100ma7x4lqp8", None, id="lower-case-everywhere"),
        pytest.param("９１４４０３００１９２２０３８２１６", "914403001922038216", id="full-width"),
        pytest.param(" 9144 0300 1922 0382 16\u3000", "914403001922038216", id="spaces"),
    ],
)
def test_credit_code_normalisation(raw: str, normalized: str | None) -> None:
    if normalized is None:  # the lower-case generated code
        upper = raw.upper()
        raw = raw + gb32100_check(upper).lower()
        normalized = upper + gb32100_check(upper)
    result = validate_credit_code(raw)
    assert result.valid, result.errors
    assert result.normalized == normalized


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param("914403001922038217", "校验码应为 6，实为 7", id="GB32100-wrong-check"),
        pytest.param("91330100799655058C", "校验码应为 B，实为 C", id="GB32100-wrong-check-letter"),
        pytest.param("91330100799655058", "统一社会信用代码应为18位，实为17位", id="17-chars"),
        pytest.param("9133010079965505811", "统一社会信用代码应为18位，实为19位", id="19-chars"),
        pytest.param("", "统一社会信用代码不能为空", id="empty"),
        pytest.param("9144030019220382I6", "第17位“I”不是有效字符", id="GB32100-no-I"),
        pytest.param("9144030019220382O6", "第17位“O”不是有效字符", id="GB32100-no-O"),
        pytest.param("9144030019220382S6", "第17位“S”不是有效字符", id="GB32100-no-S"),
        pytest.param("9144030019220382V6", "第17位“V”不是有效字符", id="GB32100-no-V"),
        pytest.param("Z14403001922038216", "第1位“Z”不是有效字符", id="GB32100-no-Z"),
        pytest.param("9144030019220382-6", "第17位“-”不是有效字符", id="punctuation"),
    ],
)
def test_invalid_credit_codes(raw: str, message: str) -> None:
    result = validate_credit_code(raw)
    assert not result.valid
    assert any(message in e for e in result.errors), result.errors
    assert result.as_json()["normalized"] is None


def test_forbidden_letters_message_names_the_excluded_set() -> None:
    result = validate_credit_code("9144030019220382S6")
    assert result.errors == ["第17位“S”不是有效字符（代码中不使用 I、O、S、V、Z）"]


@pytest.mark.parametrize(
    ("first17", "message"),
    [
        pytest.param("X1440300192203821", "第1位登记管理部门代码“X”无效", id="GB32100-pos1"),
        pytest.param("0144030019220382A", "第1位登记管理部门代码“0”无效", id="GB32100-pos1-zero"),
        pytest.param(
            "9A440300192203821", "第2位机构类别代码“A”对登记管理部门“9”无效", id="GB32100-pos2"
        ),
        pytest.param(
            "9144A300192203821",
            "第3–8位登记管理机关行政区划码应为6位数字，实为“44A300”",
            id="GB32100-pos3-8-region-not-digits",
        ),
    ],
)
def test_credit_code_structure_errors_even_with_a_correct_check_char(
    first17: str, message: str
) -> None:
    result = validate_credit_code(with_credit_check(first17))
    assert not result.valid
    assert message in result.errors
    assert not any("校验码" in e for e in result.errors)  # the check char itself is right


def test_nested_organization_code_check_is_a_warning() -> None:
    # GB 11714: 19220382 → check 1 (real); changing it keeps GB 32100 valid but warns.
    result = validate_credit_code(with_credit_check("91440300192203822"))
    assert result.valid
    assert result.warnings == ["第9–17位组织机构代码的校验位与 GB 11714 不符"]
    assert validate_credit_code("914403001922038216").warnings == []


# == 居民身份证号码 ===========================================================================


def id_number(raw: str):  # type: ignore[no-untyped-def]
    return validate_id_number(raw, today=TODAY)


def test_standard_example_is_valid() -> None:
    result = id_number("11010519491231002X")  # GB 11643-1999 example
    assert result.valid, result.errors
    assert result.normalized == "11010519491231002X"
    assert result.parts["address_code"] == "110105"
    assert result.parts["birth_date"] == "1949-12-31"
    assert result.parts["sequence"] == "002"
    assert result.parts["gender"] == "女"  # even sequence = female (GB 11643-1999 §6.3)
    assert result.parts["legacy_15"] is False
    assert gb11643_check("11010519491231002") == "X"


def test_odd_sequence_is_male() -> None:
    result = id_number(with_id_check("65010219800101123"))
    assert result.valid and result.parts["gender"] == "男"


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        pytest.param("11010519491231002x", "11010519491231002X", id="lower-case-x"),
        pytest.param("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", id="full-width"),
        pytest.param(" 110105 19491231 002X ", "11010519491231002X", id="spaces"),
        pytest.param("110105491231002", "11010519491231002X", id="GB11643-15-digit-example"),
    ],
)
def test_id_number_normalisation(raw: str, normalized: str) -> None:
    result = id_number(raw)
    assert result.valid, result.errors
    assert result.normalized == normalized


@pytest.mark.parametrize("legacy", ["650102800101123", "440304751231004", "110105000101001"])
def test_legacy_15_digit_number_becomes_18_with_computed_check(legacy: str) -> None:
    # Pre-1999 numbers: insert "19" before the 6-digit birth date and compute the check.
    first17 = legacy[:6] + "19" + legacy[6:]
    result = id_number(legacy)
    assert result.valid, result.errors
    assert result.normalized == first17 + gb11643_check(first17)
    assert result.parts["legacy_15"] is True


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param(
            with_id_check("11010519490230002"), "出生日期“19490230”不是有效日期", id="0230"
        ),
        pytest.param(
            with_id_check("11010519991301002"), "出生日期“19991301”不是有效日期", id="month-13"
        ),
        pytest.param(
            with_id_check("11010519990229002"),
            "出生日期“19990229”不是有效日期",
            id="19990229-1999-not-leap",
        ),
        pytest.param(
            with_id_check("11010519000229002"),
            "出生日期“19000229”不是有效日期",
            id="19000229-1900-not-leap-century",
        ),
        pytest.param("110105490230002", "出生日期“19490230”不是有效日期", id="legacy-0230"),
        pytest.param(
            with_id_check("11010520260602002"),
            "出生日期 2026-06-02 晚于今天",
            id="birth-after-today",
        ),
        pytest.param(
            "110105194912310021", "校验码应为 X，实为 1", id="GB11643-wrong-check-standard-example"
        ),
        pytest.param("1101051949123100", "应为18位（或15位旧号码），实为16位", id="16-digits"),
        pytest.param("11010519491231002XX", "应为18位（或15位旧号码），实为19位", id="19-chars"),
        pytest.param("", "身份证号码不能为空", id="empty"),
        pytest.param("1101051949A231002X", "第11位应为数字，实为“A”", id="letter-inside"),
        pytest.param("11010519491231002Y", "第18位应为数字或 X，实为“Y”", id="bad-check-letter"),
        pytest.param("11010549123100X", "15位旧身份证号码应全为数字", id="legacy-with-letter"),
        pytest.param(
            with_id_check("00010519491231002"),
            "地址码开头“00”不是有效的省级行政区划代码",
            id="GB2260-bad-province",
        ),
    ],
)
def test_invalid_id_numbers(raw: str, message: str) -> None:
    result = id_number(raw)
    assert not result.valid
    assert any(message in e for e in result.errors), result.errors
    assert result.as_json()["normalized"] is None


def test_wrong_check_char_message_uses_the_computed_character() -> None:
    first17 = "65290119991231456"
    expected = gb11643_check(first17)
    wrong = wrong_id_check(first17)
    result = id_number(wrong)
    assert result.errors == [f"校验码应为 {expected}，实为 {wrong[17]}"]


def test_20000229_is_a_valid_birth_date_2000_is_leap() -> None:
    result = id_number(with_id_check("11010520000229002"))
    assert result.valid, result.errors
    assert result.parts["birth_date"] == "2000-02-29"


def test_birth_date_today_is_allowed_and_future_depends_on_today() -> None:
    number = with_id_check("65010220260601001")
    assert validate_id_number(number, today=date(2026, 6, 1)).valid
    assert not validate_id_number(number, today=date(2026, 5, 31)).valid


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("1101051949123100²X", id="superscript-two-in-18"),
        pytest.param("11010549123100²", id="superscript-two-in-15"),
        pytest.param("110105١٩٤٩1231002X", id="arabic-indic-digits"),
    ],
)
def test_id_number_with_non_ascii_digits_is_refused_not_crashing(raw: str) -> None:
    result = id_number(raw)
    assert not result.valid
    assert result.errors and all(isinstance(e, str) for e in result.errors)


@pytest.mark.parametrize(
    "first17",
    [
        pytest.param("81000019900101001", id="港澳台居民居住证-81"),
        pytest.param("83000019900101002", id="港澳台居民居住证-83"),
        pytest.param("93310019900101003", id="外国人永久居留身份证-9"),
    ],
)
def test_other_residents_use_the_same_algorithm(first17: str) -> None:
    assert id_number(with_id_check(first17)).valid  # law.md §8.4 "Other residents"
