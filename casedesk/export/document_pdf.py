"""A suggestion document as a PDF in the official layout, its Chinese faces embedded.

Same text and layout as the DOCX (both come from :func:`document_layout.layout`): A4, the
GB/T 9704 text block, 22 lines of 28 characters, 小标宋 title, 仿宋 body, 黑体 and 楷体
headings, "— 1 —" page numbers in 宋体 alternating right and left, the 抄送 block between rules
at the foot of the last page. Faces the machine lacks are replaced as
:mod:`casedesk.export.document_fonts` decides; the replacements are written into the PDF's
Keywords and returned in the report. Text a face cannot show is refused before anything is
written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from casedesk.domain import documents as d
from casedesk.domain.documents import Document
from casedesk.export.document_fonts import DocumentFonts, document_fonts
from casedesk.export.document_layout import (
    BOTTOM_MM,
    FOOT,
    LEFT_MM,
    LINE_PITCH,
    MM,
    PAGE_NUMBER_FONT,
    PAGE_NUMBER_GAP_MM,
    ROLE_NAMES,
    SMALL_CHAR,
    SMALL_SIZE,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TITLE_FONT,
    Placed,
    check_text,
    layout,
    page_number_text,
    roles_used,
)
from casedesk.export.fonts import MissingGlyphsError, missing_glyphs
from casedesk.export.grid_text import Chain, FootBlock, GridText
from casedesk.export.output import ExportReport, atomic_output

THICK_RULE, THIN_RULE = 0.35 * MM, 0.25 * MM  # 版记 rules (GB/T 9704-2012 7.4.1)
PAGE_NUMBER_DIGITS = "— 0123456789"
CREATOR = "CaseDesk 涉企案件办案台"


def render_document_pdf(doc: Document, out: Path) -> ExportReport:
    """Write ``doc`` to ``out`` as a PDF; the report names the faces that replaced others.

    Raises ``FontNotFoundError`` when the machine has no embeddable Chinese font,
    ``MissingGlyphsError`` when some text has characters no chosen face can show, and
    ``ExportError`` when the file cannot be written; ``out`` is then left as it was.
    """
    check_text(doc)
    fonts = document_fonts()
    placed = layout(doc)
    check_glyphs(placed, fonts)
    substitutions = fonts.substitutions(roles_used(placed))
    story = _story(placed, fonts)
    out = Path(out)
    with atomic_output(out) as fh:
        pages = _build(fh, story, doc, fonts, substitutions)
    return ExportReport(path=out, pages=pages, substitutions=substitutions, warnings=fonts.warnings)


def check_glyphs(placed: list[Placed], fonts: DocumentFonts) -> None:
    """Refuse text the faces cannot show (it would print as boxes), naming the characters."""
    missing: dict[str, set[str]] = {}
    places: dict[str, list[str]] = {}
    checks = [(p.font, p.text, _where(p)) for p in placed]
    checks.append((PAGE_NUMBER_FONT, PAGE_NUMBER_DIGITS, ROLE_NAMES[PAGE_NUMBER_FONT]))
    for role, text, where in checks:
        face = fonts.face(role)
        absent = missing_glyphs(text, face)
        if absent:
            missing.setdefault(face.display_name, set()).update(absent)
            places.setdefault(face.display_name, []).append(where)
    if not missing:
        return
    parts = []
    for font, chars in missing.items():
        shown = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in sorted(chars))
        where = "；".join(dict.fromkeys(places[font]))
        parts.append(f"字体“{font}”中没有这些字符：{shown}（见：{where}）")
    raise MissingGlyphsError(
        "；".join(parts)
        + "。为避免 PDF 中出现方框，未生成文件。请改用常用字写法，或由管理员安装包含这些字符的"
        "字体（如 Windows 的仿宋、宋体、黑体），或用环境变量 CASEDESK_FONT 指定字体。",
        set().union(*missing.values()),
    )


def _where(p: Placed) -> str:
    text = p.text if len(p.text) <= 12 else p.text[:12] + "…"
    return f"{ROLE_NAMES[p.font]}“{text}”"


def _story(placed: list[Placed], fonts: DocumentFonts) -> list[Flowable]:
    title_stroke = 0.0 if fonts.is_asked_face(TITLE_FONT) else 0.5  # a heavier stand-in
    flow: list[GridText] = []
    foot: list[GridText] = []
    for p in placed:
        face = fonts.face(p.font)
        stroke = title_stroke if p.font == TITLE_FONT else 0.0
        item = GridText(p, face.name, LINE_PITCH, stroke=stroke)
        item.keepWithNext = False  # kept by Chain below, a few lines rather than all
        (foot if p.where == FOOT else flow).append(item)
    story: list[Flowable] = []
    # the issuer and the date stay with the end of the text above them (the seal touches it)
    sign = next((i for i, p in enumerate(placed) if p.line.role == d.SIGNATURE), len(flow))
    start = sign - 1
    while start > 0 and placed[start].line.role == d.ATTACHMENT:  # the 附件说明 too
        start -= 1
    tail = flow[start:] if start >= 0 else []
    chain: list[GridText] = []
    for item in flow[: len(flow) - len(tail)]:
        chain.append(item)
        if not item.placed.keep_with_next:  # headings, title: with what follows
            story.append(chain[0] if len(chain) == 1 else Chain(chain, split_last=True))
            chain = []
    if chain:
        tail = chain + tail
    if tail:
        story.append(Chain(tail, split_last=False))
    if foot:
        block = FootBlock(foot, THICK_RULE, THIN_RULE)
        block.spaceBefore = LINE_PITCH
        story.append(block)
    return story


def _page_furniture(fonts: DocumentFonts) -> Any:
    face = fonts.face(PAGE_NUMBER_FONT).name
    left = LEFT_MM * MM
    right = left + TEXT_WIDTH
    # the 一字线 (about a third of the size above the baseline) 7 mm below the text block
    baseline = (BOTTOM_MM - PAGE_NUMBER_GAP_MM) * MM - 0.33 * SMALL_SIZE

    def draw(canv: Canvas, _doc: BaseDocTemplate) -> None:
        page = canv.getPageNumber()
        text = page_number_text(page)
        canv.saveState()
        canv.setFont(face, SMALL_SIZE)
        if page % 2:  # odd pages: right, one character in
            canv.drawRightString(right - SMALL_CHAR, baseline, text)
        else:  # even pages: left, one character in
            canv.drawString(left + SMALL_CHAR, baseline, text)
        canv.restoreState()

    return draw


def _build(
    fh: BinaryIO,
    story: list[Flowable],
    doc: Document,
    fonts: DocumentFonts,
    substitutions: tuple[str, ...],
) -> int:
    title = "".join(d.title_lines(doc))
    keywords = "字体替换：" + "；".join(substitutions) if substitutions else "字体：均为规定字体"
    template = BaseDocTemplate(
        fh,
        pagesize=A4,
        leftMargin=LEFT_MM * MM,
        rightMargin=A4[0] - LEFT_MM * MM - TEXT_WIDTH,
        topMargin=A4[1] - BOTTOM_MM * MM - TEXT_HEIGHT,
        bottomMargin=BOTTOM_MM * MM,
        title=title,
        author=doc.issuer,
        subject=f"{doc.kind}（{doc.subtype}）" if doc.subtype else doc.kind,
        keywords=keywords,
        creator=CREATOR,
        initialFontName=fonts.face("body").name,
        initialFontSize=16,
        initialLeading=LINE_PITCH,
    )
    frame = Frame(
        LEFT_MM * MM, BOTTOM_MM * MM, TEXT_WIDTH, TEXT_HEIGHT + 0.01, id="text",
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )  # fmt: skip
    template.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=_page_furniture(fonts))]
    )
    template.build(story)
    return template.page
