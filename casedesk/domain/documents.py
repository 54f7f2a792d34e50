"""Suggestion documents (司法建议书, 检察建议书, 检察意见书, 补正材料一次性告知书) as data: one
model that both renderers (DOCX and PDF) turn into the same text, in the structure of law.md
§7.3 and the layout rules of GB/T 9704-2012 (law.md §7.4).

The body is a sequence of :class:`Block`: headings of two levels (numbered 一、 and （一） by
:func:`document_lines`, never typed), paragraphs, and numbered items (1. 2. … under their
heading). :func:`document_lines` gives the whole document as the lines a reader sees, each with
its role — the renderers lay them out; the tests compare both outputs with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from casedesk.domain.errors import FieldErrors
from casedesk.domain.field_types import check_text_arg, check_types

# -- kinds ----------------------------------------------------------------------------------------
JUDICIAL = "司法建议书"
PROCURATORIAL = "检察建议书"
OPINION = "检察意见书"
NOTICE = "补正材料一次性告知书"
#: Kind → its subtypes (law.md §7.1, §7.2); empty: none.
KINDS: dict[str, tuple[str, ...]] = {
    JUDICIAL: ("综合治理类", "类案", "个案"),
    PROCURATORIAL: ("再审检察建议", "纠正违法检察建议", "公益诉讼检察建议", "社会治理检察建议",
                    "其他检察建议"),
    OPINION: (),
    NOTICE: (),
}  # fmt: skip
#: Kinds a court issues (the others: a procuratorate); 补正告知 by either.
COURT_KINDS = frozenset({JUDICIAL})

# -- body -----------------------------------------------------------------------------------------
HEADING, SUBHEADING, PARAGRAPH, ITEM = "heading", "subheading", "paragraph", "item"
BLOCK_KINDS = (HEADING, SUBHEADING, PARAGRAPH, ITEM)
_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Block:
    kind: str  # BLOCK_KINDS
    text: str


@dataclass(frozen=True)
class Document:
    kind: str
    subtype: str
    issuer: str  # 发文机关 full name: 乌鲁木齐市天山区人民法院
    subject: str  # 事由, for the title: 加强建设工程领域农民工工资支付监管
    recipient: str  # 主送, full name
    blocks: tuple[Block, ...]
    number: str = ""  # 新01法建〔2026〕3号 (empty while a draft)
    attachments: tuple[str, ...] = ()
    signed_on: date | None = None
    contact: str = ""  # 联系人、电话
    copy_to: tuple[str, ...] = field(default_factory=tuple)  # 抄送


# -- the lines of a document ----------------------------------------------------------------------
TITLE, NUMBER, RECIPIENT, BODY_HEADING, BODY_SUBHEADING, BODY, ATTACHMENT, SIGNATURE, DATE = (
    "title", "number", "recipient", "heading", "subheading", "body", "attachment", "signature",
    "date",
)  # fmt: skip
CONTACT, COPY_TO = "contact", "copy_to"


@dataclass(frozen=True)
class Line:
    role: str  # TITLE, NUMBER, RECIPIENT, BODY_HEADING, BODY_SUBHEADING, BODY, ATTACHMENT …
    text: str


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (headings do not go past 99)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens - 1] + "十")
    return head + (_NUMERALS[ones - 1] if ones else "")


def date_text(day: date) -> str:
    """成文日期: 2026年11月26日, the year in full, no zero padding (GB/T 9704-2012 7.3.5.3)."""
    return f"{day.year}年{day.month}月{day.day}日"


def title_lines(doc: Document) -> list[str]:
    """The title: 司法建议书 as one line "××人民法院关于××的司法建议书" (2023 规定 附件2);
    the procuratorate's documents as the issuer over the kind (人民检察院法律文书格式)."""
    if doc.kind == JUDICIAL:
        about = f"关于{doc.subject}的" if doc.subject else ""
        return [f"{doc.issuer}{about}{doc.kind}"]
    return [doc.issuer, doc.kind]


def body_lines(blocks: tuple[Block, ...]) -> list[Line]:
    """The body with its numbering: headings 一、二、…; subheadings （一）（二）… counted again
    under each heading; items 1. 2. … counted again under each heading or subheading."""
    lines, heading, sub, item = [], 0, 0, 0
    for block in blocks:
        text = block.text.strip()
        if block.kind == HEADING:
            heading, sub, item = heading + 1, 0, 0
            lines.append(Line(BODY_HEADING, f"{chinese_numeral(heading)}、{text}"))
        elif block.kind == SUBHEADING:
            sub, item = sub + 1, 0
            lines.append(Line(BODY_SUBHEADING, f"（{chinese_numeral(sub)}）{text}"))
        elif block.kind == ITEM:
            item += 1
            lines.append(Line(BODY, f"{item}. {text}"))
        else:
            lines.append(Line(BODY, text))
    return lines


def document_lines(doc: Document) -> list[Line]:
    """Every line of the document as a reader sees it, in order."""
    lines = [Line(TITLE, t) for t in title_lines(doc)]
    if doc.number:
        lines.append(Line(NUMBER, doc.number))
    lines.append(Line(RECIPIENT, f"{doc.recipient}："))
    lines += body_lines(doc.blocks)
    if doc.attachments:
        if len(doc.attachments) == 1:
            lines.append(Line(ATTACHMENT, f"附件：{doc.attachments[0]}"))
        else:
            lines.append(Line(ATTACHMENT, f"附件：1. {doc.attachments[0]}"))
            lines += [Line(ATTACHMENT, f"{n}. {a}") for n, a in enumerate(doc.attachments[1:], 2)]
    lines.append(Line(SIGNATURE, doc.issuer))
    if doc.signed_on is not None:
        lines.append(Line(DATE, date_text(doc.signed_on)))
    if doc.contact:
        lines.append(Line(CONTACT, f"（联系人：{doc.contact}）"))
    if doc.copy_to:
        lines.append(Line(COPY_TO, f"抄送：{'，'.join(doc.copy_to)}。"))
    return lines


def plain_text(doc: Document) -> str:
    """The document's text, one line per line: what each rendering must contain."""
    return "\n".join(line.text for line in document_lines(doc))


# -- checks ---------------------------------------------------------------------------------------
def check_final(doc: Document) -> None:
    """What a document needs before it is finalised (numbered) and exported as issued."""
    check_types(doc)
    errors: dict[str, str] = {}
    if doc.kind not in KINDS:
        errors["kind"] = "请选择文书种类"
    elif KINDS[doc.kind] and doc.subtype not in KINDS[doc.kind]:
        errors["subtype"] = f"请选择{doc.kind}的类别（{'、'.join(KINDS[doc.kind])}）"
    if not doc.issuer.strip():
        errors["issuer"] = "请填写发文单位全称"
    if not doc.recipient.strip():
        errors["recipient"] = "请填写主送单位（被建议单位全称）"
    if doc.kind in (JUDICIAL, PROCURATORIAL) and not any(b.kind == ITEM for b in doc.blocks):
        errors["blocks"] = "建议书须至少有一项建议内容（编号的建议事项）"
    if not any(b.text.strip() for b in doc.blocks):
        errors["blocks"] = "正文不能为空"
    if doc.signed_on is None:
        errors["signed_on"] = "请填写成文日期"
    if any(b.kind not in BLOCK_KINDS for b in doc.blocks):
        errors["blocks"] = "正文段落类型有误"
    if errors:
        raise FieldErrors(errors)


# -- numbers --------------------------------------------------------------------------------------
_FIELD = re.compile(r"\{(\w+)\}")
#: Number patterns: {year} (in full) and {n} (no leading zeros) are filled in (GB/T 9704 7.2.4).
DEFAULT_PATTERNS = {
    JUDICIAL: "{court}法建〔{year}〕{n}号",
    PROCURATORIAL: "{abbr}检{dept}建〔{year}〕{n}号",
    OPINION: "{abbr}检{dept}意〔{year}〕{n}号",
    NOTICE: "{abbr}补告〔{year}〕{n}号",
}


def check_pattern(pattern: str) -> str:
    """A number pattern must hold the year in 〔〕 and the sequence number; other fields are
    filled in by the unit when the pattern is saved (only {year} and {n} remain)."""
    check_text_arg("pattern", pattern, "编号格式")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in pattern):
        raise FieldErrors({"pattern": "编号格式含有换行或不可见的控制字符"})
    fields = set(_FIELD.findall(pattern))
    if "year" not in fields:
        raise FieldErrors({"pattern": "编号格式须包含年度 {year}，如 新01法建〔{year}〕{n}号"})
    if "n" not in fields:
        raise FieldErrors({"pattern": "编号格式须包含序号 {n}"})
    if fields - {"year", "n"}:
        unknown = "、".join("{" + f + "}" for f in sorted(fields - {"year", "n"}))
        raise FieldErrors({"pattern": f"编号格式中 {unknown} 无法填写，请换成具体文字"})
    if "〔{year}〕" not in pattern:
        raise FieldErrors({"pattern": "年度须用六角括号〔〕括入，如〔{year}〕"})
    return pattern


def format_number(pattern: str, year: int, n: int) -> str:
    """新01法建〔{year}〕{n}号, 2026, 3 → 新01法建〔2026〕3号."""
    check_pattern(pattern)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise FieldErrors({"n": "序号应为正整数"})
    return pattern.replace("{year}", str(year)).replace("{n}", str(n))
