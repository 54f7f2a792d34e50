"""The suggestion-document model: numbering of headings and items, the date as written, the
title of each kind, the lines both renderers print, what finalising needs, and number patterns
(GB/T 9704-2012 7.2.4, 7.3.3, 7.3.5; 2023 综合治理类司法建议规定 附件2; law.md §7.3–7.4)."""

from __future__ import annotations

from datetime import date

import pytest

from casedesk.domain import documents as dm
from casedesk.domain.errors import FieldErrors


def doc(**kw) -> dm.Document:  # type: ignore[no-untyped-def]
    values = dict(
        kind=dm.JUDICIAL, subtype="综合治理类", issuer="乌鲁木齐市天山区人民法院",
        subject="加强农民工工资支付监管", recipient="乌鲁木齐市天山区人力资源和社会保障局",
        blocks=(dm.Block(dm.PARAGRAPH, "我院在审理案件中发现……"), dm.Block(dm.HEADING, "建议"),
                dm.Block(dm.ITEM, "建立台账"), dm.Block(dm.ITEM, "定期检查")),
        signed_on=date(2026, 11, 26),
    )  # fmt: skip
    return dm.Document(**(values | kw))


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五")]
)
def test_chinese_numerals(n: int, text: str) -> None:
    assert dm.chinese_numeral(n) == text


@pytest.mark.parametrize(
    ("day", "text"),
    [(date(2026, 1, 5), "2026年1月5日"), (date(2026, 11, 26), "2026年11月26日")],
)
def test_date_without_zero_padding(day: date, text: str) -> None:  # GB/T 9704-2012 7.3.5.3
    assert dm.date_text(day) == text


def test_headings_subheadings_and_items_are_numbered_and_counted_again() -> None:
    blocks = (
        dm.Block(dm.HEADING, "问题来源"), dm.Block(dm.PARAGRAPH, "本院在办理……中发现"),
        dm.Block(dm.HEADING, "建议内容及依据"), dm.Block(dm.SUBHEADING, "完善制度"),
        dm.Block(dm.ITEM, "甲"), dm.Block(dm.ITEM, "乙"), dm.Block(dm.SUBHEADING, "加强监督"),
        dm.Block(dm.ITEM, "丙"),
    )  # fmt: skip
    assert [line.text for line in dm.body_lines(blocks)] == [
        "一、问题来源", "本院在办理……中发现", "二、建议内容及依据", "（一）完善制度",
        "1. 甲", "2. 乙", "（二）加强监督", "1. 丙",
    ]  # fmt: skip


def test_titles_of_each_kind() -> None:
    assert dm.title_lines(doc()) == [
        "乌鲁木齐市天山区人民法院关于加强农民工工资支付监管的司法建议书"
    ]
    procuratorial = doc(kind=dm.PROCURATORIAL, issuer="乌鲁木齐市天山区人民检察院")
    assert dm.title_lines(procuratorial) == ["乌鲁木齐市天山区人民检察院", "检察建议书"]


def test_lines_of_a_document() -> None:
    d = doc(
        number="新0102法建〔2026〕3号",
        attachments=("案件情况汇总", "调研报告"),
        contact="李娜 0991-1234567",
        copy_to=("天山区人民政府", "天山区人大常委会"),
    )
    roles = [(line.role, line.text) for line in dm.document_lines(d)]
    assert roles[1:3] == [(dm.NUMBER, "新0102法建〔2026〕3号"),
                          (dm.RECIPIENT, "乌鲁木齐市天山区人力资源和社会保障局：")]  # fmt: skip
    assert (dm.ATTACHMENT, "附件：1. 案件情况汇总") in roles and (
        dm.ATTACHMENT,
        "2. 调研报告",
    ) in roles
    assert roles[-4:] == [
        (dm.SIGNATURE, "乌鲁木齐市天山区人民法院"), (dm.DATE, "2026年11月26日"),
        (dm.CONTACT, "（联系人：李娜 0991-1234567）"),
        (dm.COPY_TO, "抄送：天山区人民政府，天山区人大常委会。"),
    ]  # fmt: skip
    assert dm.plain_text(d).splitlines() == [text for _r, text in roles]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recipient": " "}, "recipient"),
        ({"signed_on": None}, "signed_on"),
        ({"blocks": (dm.Block(dm.PARAGRAPH, "只有说明"),)}, "blocks"),  # no suggestion
        ({"subtype": "其他"}, "subtype"),
        ({"issuer": ""}, "issuer"),
    ],
)
def test_finalising_needs_recipient_suggestions_and_date(changes: dict, field: str) -> None:
    with pytest.raises(FieldErrors) as err:
        dm.check_final(doc(**changes))
    assert field in err.value.errors
    dm.check_final(doc())  # the complete one passes


@pytest.mark.parametrize(
    ("pattern", "year", "n", "number"),
    [
        ("新01法建〔{year}〕{n}号", 2026, 3, "新01法建〔2026〕3号"),
        ("乌检民建〔{year}〕{n}号", 2026, 12, "乌检民建〔2026〕12号"),
        ("乌检民建〔{year}〕{n}号", 2027, 1, "乌检民建〔2027〕1号"),  # no leading zeros
    ],
)
def test_numbers_from_patterns(pattern: str, year: int, n: int, number: str) -> None:
    assert dm.format_number(pattern, year, n) == number


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("新01法建〔2026〕{n}号", "年度"),
        ("新01法建〔{year}〕号", "序号"),
        ("新01法建[{year}]{n}号", "六角括号"),
        ("{court}法建〔{year}〕{n}号", "{court}"),
    ],
)
def test_bad_patterns_are_refused(pattern: str, message: str) -> None:
    with pytest.raises(FieldErrors) as err:
        dm.check_pattern(pattern)
    assert message in err.value.errors["pattern"]
