"""Wording blocks of suggestion documents and the ``{{名称}}`` placeholders filled from case data.

An administrator edits three blocks per issuing unit and kind: the opening (问题来源), the
standard reply sentence (回复要求) and an optional closing. Drafting fills their placeholders
from the case; one that cannot be filled (the case lacks the value) is left in the draft and
listed, and :func:`check_complete` refuses a document that still holds one — it is reported
before export, never printed as ``{{…}}``.

Values are plain text: ``&``, ``<`` and quotes pass through unchanged (escaping for a file
format is the renderer's business), and a value is never filled again (a value that itself
reads ``{{案号}}`` stays as written).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from casedesk.domain.documents import (
    HEADING,
    ITEM,
    JUDICIAL,
    KINDS,
    NOTICE,
    OPINION,
    PARAGRAPH,
    PROCURATORIAL,
    Block,
    Document,
)
from casedesk.domain.errors import FieldErrors
from casedesk.domain.field_types import check_types

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

#: Placeholder → what fills it (shown to the administrator editing the blocks).
PLACEHOLDERS: dict[str, str] = {
    "案号": "本案案号",
    "案由": "案由或罪名",
    "当事人": "当事人（按诉讼地位排列）",
    "收案日期": "收案日期",
    "结案日期": "结案日期",
    "承办人": "承办人",
    "发文单位": "发文单位全称",
    "主送单位": "被建议单位全称",
    "事由": "建议事由",
}

OPENING, REPLY, CLOSING = "opening", "reply", "closing"
#: Wording block → its Chinese name (the FieldErrors key is the block).
WORDING_FIELDS = {OPENING: "开头语", REPLY: "回复要求", CLOSING: "结束语"}
MAX_WORDING = 2000


@dataclass(frozen=True)
class Wording:
    opening: str
    reply: str
    closing: str = ""


# law.md §7.3. The 司法建议书's reply sentence is the 2023 规定 附件2's (第8条: generally within
# two months); the 检察建议书's section 五 follows the 2019 规定's required content — the
# objection period is not fixed by the 规定 and is the unit's choice (七日 here, editable).
DEFAULT_WORDING: dict[str, Wording] = {
    JUDICIAL: Wording(
        "我院在审理{{当事人}}{{案由}}一案（{{案号}}）中，发现以下问题：",
        "请你单位在收到本建议书后及时研究，采取有效措施加以改进，并在两个月内向我院书面反馈"
        "工作进展情况。",
    ),
    PROCURATORIAL: Wording(
        "本院在办理{{当事人}}{{案由}}一案（{{案号}}）中，发现{{主送单位}}存在以下问题。",
        "如有异议，请于收到本检察建议书之日起七日内书面提出；请于收到本检察建议书之日起"
        "两个月内将处理、整改情况书面回复本院。",
    ),
    OPINION: Wording(
        "本院在办理{{当事人}}{{案由}}一案（{{案号}}）中，经审查认为：",
        "请于收到本检察意见书之日起两个月内将处理结果书面回复本院。",
    ),
    NOTICE: Wording(
        "你方提交的{{事由}}材料经审查尚需补正，现一次性告知需补正的材料如下：",
        "请于收到本告知书之日起十五日内补正上述材料；逾期未补正的，依照《最高人民法院关于"
        "人民法院登记立案若干问题的规定》第七条处理。",
    ),
}

_PROCURATORATE_BASIS = (
    "根据《中华人民共和国人民检察院组织法》第二十一条、《人民检察院检察建议工作规定》等规定，建议："
)

_OPINION_BASIS = "根据《中华人民共和国刑事诉讼法》第一百七十七条第三款的规定，提出如下检察意见："


def placeholders(text: str) -> list[str]:
    """The placeholder names in ``text``, in order, each once."""
    return list(dict.fromkeys(m.group(1) for m in _PLACEHOLDER.finditer(text)))


@dataclass(frozen=True)
class Filled:
    text: str
    missing: tuple[str, ...]  # placeholders left in ``text`` (no value for them)


def fill(text: str, values: Mapping[str, str]) -> Filled:
    """Fill each ``{{名称}}`` that has a non-empty value; the others stay and are listed."""
    missing: list[str] = []

    def one(m: re.Match[str]) -> str:
        value = values.get(m.group(1))
        value = value.strip() if isinstance(value, str) else ""  # no text: nothing to fill in
        if not value:
            missing.append(m.group(1))
            return m.group(0)
        return value

    filled = _PLACEHOLDER.sub(one, text)
    return Filled(filled, tuple(dict.fromkeys(missing)))


def fill_strict(text: str, values: Mapping[str, str], field: str = "text") -> str:
    """``text`` filled; a placeholder without a value is refused, named, at ``field``."""
    filled = fill(text, values)
    if filled.missing:
        raise FieldErrors({field: _missing_message(filled.missing)})
    return filled.text


def _missing_message(names: tuple[str, ...] | list[str]) -> str:
    marks = "、".join("{{" + n + "}}" for n in names)
    return f"占位符 {marks} 无法填写（案件中没有该项内容），请改为具体文字"


def check_wording(wording: Wording) -> Wording:
    """An administrator's blocks: known placeholders only, no stray braces, a reply sentence."""
    check_types(wording)
    errors: dict[str, str] = {}
    for key, label in WORDING_FIELDS.items():
        text = getattr(wording, key).strip()
        unknown = [n for n in placeholders(text) if n not in PLACEHOLDERS]
        if len(text) > MAX_WORDING:
            errors[key] = f"{label}过长（最多{MAX_WORDING}个字）"
        elif unknown:
            names = "、".join("{{" + n + "}}" for n in unknown)
            errors[key] = f"{label}中的占位符 {names} 不可用；可用：" + "、".join(
                "{{" + n + "}}" for n in PLACEHOLDERS
            )
        elif "{{" in _PLACEHOLDER.sub("", text) or "}}" in _PLACEHOLDER.sub("", text):
            errors[key] = f"{label}中的花括号不成对，占位符应写作 {{{{案号}}}}"
        elif any(unicodedata.category(ch) == "Cc" for ch in text):
            # each block is one paragraph of the draft, where a line break is refused
            errors[key] = f"{label}含有换行或不可见的控制字符，应为一段文字"
    if not wording.reply.strip():
        errors[REPLY] = "请填写回复要求（被建议单位书面回复的期限）"
    if errors:
        raise FieldErrors(errors)
    return Wording(wording.opening.strip(), wording.reply.strip(), wording.closing.strip())


@dataclass(frozen=True)
class DraftBody:
    blocks: tuple[Block, ...]
    missing: tuple[str, ...]  # placeholders left in the blocks


def draft_body(kind: str, wording: Wording, values: Mapping[str, str]) -> DraftBody:
    """The body of a new draft in the structure of its kind (law.md §7.3), with the wording
    blocks filled from ``values``; empty blocks are left for the clerk (finalising refuses
    them) and placeholders without a value are listed."""
    if kind not in KINDS:
        raise FieldErrors({"kind": "请选择文书种类"})
    opening, reply, closing = (fill(t, values) for t in
                               (wording.opening, wording.reply, wording.closing))  # fmt: skip

    def p(text: str) -> Block:
        return Block(PARAGRAPH, text)

    def h(text: str) -> Block:
        return Block(HEADING, text)

    def i(text: str) -> Block:
        return Block(ITEM, text)

    if kind == PROCURATORIAL:
        body = [
            h("问题来源"), p(opening.text),
            h("查明的事实及证据"), p(""),
            h("存在的问题"), p(""),
            h("建议内容及依据"), p(_PROCURATORATE_BASIS), i(""),
            h("异议期限与回复期限"), p(reply.text),
        ]  # fmt: skip
    elif kind == JUDICIAL:
        body = [p(opening.text), p(""), p("为此，特建议："), i(""), p(reply.text)]
    elif kind == OPINION:
        body = [p(opening.text), p(""), p(_OPINION_BASIS), i(""), p(reply.text)]
    else:
        body = [p(opening.text), i(""), p(reply.text)]
    if closing.text:
        body.append(p(closing.text))
    missing = tuple(dict.fromkeys(opening.missing + reply.missing + closing.missing))
    return DraftBody(tuple(body), missing)


def unfilled(doc: Document) -> dict[str, list[str]]:
    """Field → the placeholders still in it (subject, recipient, blocks, attachments …)."""
    texts = {
        "subject": [doc.subject],
        "recipient": [doc.recipient],
        "blocks": [b.text for b in doc.blocks],
        "attachments": list(doc.attachments),
        "contact": [doc.contact],
        "copy_to": list(doc.copy_to),
    }
    found = {}
    for key, values in texts.items():
        names = list(dict.fromkeys(n for t in values for n in placeholders(t)))
        if names:
            found[key] = names
    return found


def check_complete(doc: Document) -> None:
    """Nothing left to fill: no ``{{…}}`` anywhere, no empty paragraph or suggestion item."""
    check_types(doc)
    errors = {key: _missing_message(names) for key, names in unfilled(doc).items()}
    empty = [n for n, b in enumerate(doc.blocks, 1) if not b.text.strip()]
    if empty and "blocks" not in errors:
        where = "、".join(f"第{n}段" for n in empty)
        errors["blocks"] = f"正文{where}尚未填写内容，请填写或删除"
    if errors:
        raise FieldErrors(errors)
