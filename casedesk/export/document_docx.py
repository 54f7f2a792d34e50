"""A suggestion document as a Word file (.docx) in the official layout (python-docx).

Same text and layout as the PDF (both come from :func:`document_layout.layout`): A4, margins
37/35/28/26 mm, a 28 × 22 character grid (``w:docGrid``), 2号 方正小标宋简体 title, 3号
仿宋_GB2312 body, 一、 黑体 and （一） 楷体_GB2312 headings, "— 1 —" page numbers in 4号 宋体
(odd pages right, even pages left: separate even-page footers), the 抄送 block between rules
floated to the foot of the last page.

python-docx's ``font.name`` sets only the Latin font (``w:ascii``/``w:hAnsi``); Word and WPS
pick Chinese text's face from ``w:eastAsia``, which is set here on every run, on the Normal
style and on the document defaults (whose theme fonts are removed, as they would win). The font
table names a stand-in for each face an office PC may lack (仿宋_GB2312 → 仿宋).
"""

from __future__ import annotations

import math
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Mm, Pt, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

from casedesk.domain.documents import Document, title_lines
from casedesk.export.document_layout import (
    BODY_FONT,
    BODY_SIZE,
    BOTTOM_MM,
    CENTER,
    CHAR,
    DOCX_ALT_NAMES,
    DOCX_FONTS,
    FOOT,
    GRID_CHAR_SPACE_4096,
    JUSTIFY,
    LEFT,
    LEFT_MM,
    LINE_PITCH,
    LINE_PITCH_TWIPS,
    LINES_PER_PAGE,
    PAGE_HEIGHT_MM,
    PAGE_NUMBER_FONT,
    PAGE_NUMBER_GAP_MM,
    PAGE_WIDTH_MM,
    RIGHT,
    RIGHT_MM,
    SMALL_CHAR,
    SMALL_SIZE,
    TEXT_WIDTH,
    TOP_MM,
    Placed,
    check_text,
    layout,
    width_in_chars,
)
from casedesk.export.output import ExportReport, atomic_output

ALIGNMENTS = {
    LEFT: WD_ALIGN_PARAGRAPH.LEFT,
    CENTER: WD_ALIGN_PARAGRAPH.CENTER,
    RIGHT: WD_ALIGN_PARAGRAPH.RIGHT,
    JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY,
}
#: 版记 rules in eighths of a point: 0.35 mm ≈ 1 pt, 0.25 mm ≈ ¾ pt (GB/T 9704-2012 7.4.1)
THICK_RULE_8THS, THIN_RULE_8THS = 8, 6
#: From the page's foot to the footer line: its 一字线 7 mm below the text block.
FOOTER_DISTANCE_MM = BOTTOM_MM - PAGE_NUMBER_GAP_MM - 3


def render_document_docx(doc: Document, out: Path) -> ExportReport:
    """Write ``doc`` to ``out`` as a .docx; ``out`` is replaced only when the file is complete.

    The report's page count is what the 28 × 22 grid gives (Word paginates the file itself).
    """
    check_text(doc)
    placed = layout(doc)
    document = build_docx(doc, placed)
    out = Path(out)
    with atomic_output(out) as fh:
        document.save(fh)
    return ExportReport(path=out, pages=grid_pages(placed))


def build_docx(doc: Document, placed: list[Placed]) -> DocxDocument:
    document = docx.Document()
    _defaults(document)
    _page(document)
    body = [p for p in placed if p.where != FOOT]
    foot = [p for p in placed if p.where == FOOT]
    for p in body:
        _paragraph(document.add_paragraph(), p)
    if foot:
        _foot_block(document, foot)
    _footers(document)
    _font_table(document)
    props = document.core_properties
    props.title = "".join(title_lines(doc))
    props.author = doc.issuer
    props.subject = doc.kind
    props.comments = "CaseDesk 涉企案件办案台"
    return document


# -- fonts and defaults ----------------------------------------------------------------------------


def set_fonts(rpr: CT_RPr, name: str, size: float | None = None) -> None:
    """Latin and East Asian font (and size) on a run's or a style's ``w:rPr``."""
    fonts = rpr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        if attr.lower().endswith("theme"):  # a theme font would win over the name
            del fonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), name)
    if size is None:
        return
    half_points = str(round(size * 2))
    sz = rpr.get_or_add_sz()
    sz.set(qn("w:val"), half_points)
    cs = rpr.find(qn("w:szCs"))
    if cs is None:
        cs = OxmlElement("w:szCs")
        sz.addnext(cs)  # the schema wants it right after w:sz
    cs.set(qn("w:val"), half_points)


def _defaults(document: DocxDocument) -> None:
    styles = document.styles.element
    body_font = DOCX_FONTS[BODY_FONT]
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    set_fonts(rpr, body_font, BODY_SIZE)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    spacing = ppr.find(qn("w:spacing"))
    for attr in list(spacing.attrib):
        del spacing.attrib[attr]
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(LINE_PITCH_TWIPS))
    spacing.set(qn("w:lineRule"), "exact")
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    set_fonts(normal.element.get_or_add_rPr(), body_font, BODY_SIZE)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Twips(LINE_PITCH_TWIPS)
    pf.widow_control = False  # lines stay on the grid, as in the PDF


def _page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(GRID_CHAR_SPACE_4096))


def _font_table(document: DocxDocument) -> None:
    """Declare the Chinese faces (GB2312 charset) with the face to use where one is missing."""
    part = next(
        p for p in document.part.package.iter_parts() if p.partname.endswith("fontTable.xml")
    )
    root = etree.fromstring(part.blob)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name in dict.fromkeys(DOCX_FONTS.values()):
        if name in present:
            continue
        alt = DOCX_ALT_NAMES.get(name)
        alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
        root.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}">{alt_xml}<w:charset w:val="86"/>'
                '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
            )
        )
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- paragraphs ------------------------------------------------------------------------------------


def _paragraph(paragraph: Paragraph, p: Placed) -> None:
    pf = paragraph.paragraph_format
    pf.alignment = ALIGNMENTS[p.align]
    if p.left_indent:
        pf.left_indent = Pt(p.left_indent)
    if p.right_indent:
        pf.right_indent = Pt(p.right_indent)
    if p.first_indent:
        pf.first_line_indent = Pt(p.first_indent)
    if p.space_before:
        pf.space_before = Pt(p.space_before)
    if p.keep_with_next:
        pf.keep_with_next = True
    if not p.grid:  # titles and 4号 text keep their own character width
        ppr = paragraph._p.get_or_add_pPr()
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        ppr.insert(0, snap)
        _sort_ppr(ppr)
    run = paragraph.add_run(p.text)
    set_fonts(run._r.get_or_add_rPr(), DOCX_FONTS[p.font], p.size)


#: the order of w:pPr children the schema requires (those written here)
_PPR_ORDER = [
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:widowControl", "w:pBdr",
    "w:snapToGrid", "w:spacing", "w:ind", "w:jc", "w:rPr",
]  # fmt: skip


def _sort_ppr(ppr: etree._Element) -> None:
    rank = {qn(tag): i for i, tag in enumerate(_PPR_ORDER)}
    children = sorted(ppr, key=lambda el: rank.get(el.tag, len(rank)))
    for el in children:
        ppr.append(el)


def _foot_block(document: DocxDocument, lines: list[Placed]) -> None:
    """The 版记: a one-column table floated to the foot of the last page, thick rules above
    and below, thin rules between its entries. It is placed before the last paragraph, which
    anchors it to the last page without a trailing paragraph that could spill to a new page."""
    table = document.add_table(rows=len(lines), cols=1)
    tbl = table._tbl
    tblpr = tbl.tblPr
    float_at_foot = parse_xml(
        f'<w:tblpPr {nsdecls("w")} w:leftFromText="0" w:rightFromText="0" w:topFromText="0" '
        'w:bottomFromText="0" w:vertAnchor="margin" w:horzAnchor="margin" w:tblpYSpec="bottom"/>'
    )
    for old in tblpr.findall(qn("w:tblW")):  # python-docx's "auto" width
        tblpr.remove(old)
    width = round(TEXT_WIDTH * 20)
    tblpr.append(float_at_foot)
    tblpr.append(parse_xml(f'<w:tblOverlap {nsdecls("w")} w:val="never"/>'))
    tblpr.append(parse_xml(f'<w:tblW {nsdecls("w")} w:w="{width}" w:type="dxa"/>'))
    inner = f'<w:insideH w:val="single" w:sz="{THIN_RULE_8THS}" w:space="0" w:color="000000"/>'
    rule = f'w:val="single" w:sz="{THICK_RULE_8THS}" w:space="0" w:color="000000"'
    tblpr.append(
        parse_xml(
            f'<w:tblBorders {nsdecls("w")}><w:top {rule}/><w:left w:val="nil"/>'
            f'<w:bottom {rule}/><w:right w:val="nil"/>{inner}'
            '<w:insideV w:val="nil"/></w:tblBorders>'
        )
    )
    tblpr.append(
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/>'
            '<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        )
    )
    _sort_tblpr(tblpr)
    for row, p in zip(table.rows, lines, strict=True):
        cell = row.cells[0]
        cell.width = Twips(width)
        _paragraph(cell.paragraphs[0], p)
    last = document.paragraphs[-1]._p
    last.addprevious(tbl)


_TBLPR_ORDER = [
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
]  # fmt: skip


def _sort_tblpr(tblpr: etree._Element) -> None:
    rank = {qn(tag): i for i, tag in enumerate(_TBLPR_ORDER)}
    for el in sorted(tblpr, key=lambda el: rank.get(el.tag, len(rank))):
        tblpr.append(el)


# -- page numbers ----------------------------------------------------------------------------------


def _footers(document: DocxDocument) -> None:
    """ "— 1 —" in 4号宋体: odd pages right, even pages left, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    for footer, align in ((section.footer, RIGHT), (section.even_page_footer, LEFT)):
        paragraph = footer.paragraphs[0]
        pf = paragraph.paragraph_format
        pf.alignment = ALIGNMENTS[align]
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align == RIGHT:
            pf.right_indent = Pt(SMALL_CHAR)
        else:
            pf.left_indent = Pt(SMALL_CHAR)
        ppr = paragraph._p.get_or_add_pPr()
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        ppr.insert(0, snap)
        _sort_ppr(ppr)
        _page_field(paragraph)


def _page_field(paragraph: Paragraph) -> None:
    font = DOCX_FONTS[PAGE_NUMBER_FONT]

    def run(text: str = "") -> etree._Element:
        r = paragraph.add_run(text)._r
        set_fonts(r.get_or_add_rPr(), font, SMALL_SIZE)
        return r

    run("— ")
    run().append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    instr = parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>')
    run().append(instr)
    run().append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    run("1")
    run().append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
    run(" —")


# -- pages -----------------------------------------------------------------------------------------


def grid_pages(placed: list[Placed]) -> int:
    """Pages the text takes on the 28 × 22 grid (lines of 3号 text; 版记 at the foot)."""
    lines = 0.0
    for p in placed:
        size_chars = p.size / BODY_SIZE
        room = (TEXT_WIDTH - p.left_indent - p.right_indent) / CHAR
        first = -p.first_indent / CHAR
        chars = width_in_chars(p.text) * size_chars - first
        lines += max(1, math.ceil(chars / room)) + p.space_before / LINE_PITCH
    return max(1, math.ceil(lines / LINES_PER_PAGE))
