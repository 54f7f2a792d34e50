"""The official layout of a suggestion document, shared by the DOCX and the PDF renderer.

GB/T 9704-2012 (law.md §7.4): A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so
the text block is 156 × 225 mm; 22 lines of 28 characters; title 2号小标宋 (22 pt), body
3号仿宋 (16 pt), headings 一、 黑体 and （一） 楷体; 主送 flush left one line below the title;
附件 one line below the body, two characters in; the date 右空四字 with the issuer centred over
it; 附注 (contact) two characters in below the date; 版记 (抄送) in 4号仿宋 between rules at
the foot of the last page; page numbers "— 1 —" in 4号宋体, 7 mm below the text block, odd
pages right and even pages left, one character in.

:func:`layout` turns each line of :func:`casedesk.domain.documents.document_lines` into a
:class:`Placed` line (font role, size, alignment, indents, space before), so that both files
are laid out by the same numbers and carry exactly the same text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from casedesk.domain import documents as d
from casedesk.domain.documents import Document, Line, document_lines
from casedesk.export.output import ExportError

# -- the page (points unless named otherwise) ------------------------------------------------------
MM = 72 / 25.4
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297  # A4
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
CHARS_PER_LINE, LINES_PER_PAGE = 28, 22
#: Line pitch in twips (1/20 pt): 225 mm / 22 lines = 579.8, rounded down so that 22 lines fit.
LINE_PITCH_TWIPS = 579
#: Word's docGrid w:charSpace (1/4096 pt added to the 16 pt pitch): 28 characters in 156 mm.
GRID_CHAR_SPACE_4096 = -849
LINE_PITCH = LINE_PITCH_TWIPS / 20
GRID_CHAR_SPACE = GRID_CHAR_SPACE_4096 / 4096
TEXT_WIDTH = (PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM) * MM  # 156 mm
TEXT_HEIGHT = (PAGE_HEIGHT_MM - TOP_MM - BOTTOM_MM) * MM  # 225 mm
#: Top edge of the page number's 一字线 below the text block.
PAGE_NUMBER_GAP_MM = 7

TITLE_SIZE, BODY_SIZE, SMALL_SIZE = 22.0, 16.0, 14.0  # 2号, 3号, 4号
CHAR = BODY_SIZE + GRID_CHAR_SPACE  # one character of body text on the grid
SMALL_CHAR = SMALL_SIZE

# -- font roles ------------------------------------------------------------------------------------
TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, PAGE_NUMBER_FONT = (
    "title", "body", "heading", "subheading", "page_number",
)  # fmt: skip
#: role -> the East Asian font a DOCX names, for Word or WPS on the reader's machine.
DOCX_FONTS = {
    TITLE_FONT: "方正小标宋简体",
    BODY_FONT: "仿宋_GB2312",
    HEADING_FONT: "黑体",
    SUBHEADING_FONT: "楷体_GB2312",
    PAGE_NUMBER_FONT: "宋体",
}
#: a DOCX font -> the face Word uses where it is not installed (w:altName in the font table).
DOCX_ALT_NAMES = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}
#: role -> its name in messages
ROLE_NAMES = {
    TITLE_FONT: "标题",
    BODY_FONT: "正文",
    HEADING_FONT: "一级标题",
    SUBHEADING_FONT: "二级标题",
    PAGE_NUMBER_FONT: "页码",
}

_ATTACHMENT_NUMBER = re.compile(r"\d+\. ")

LEFT, CENTER, RIGHT, JUSTIFY = "left", "center", "right", "justify"
#: Where a line goes: in the text flow, or in the 版记 block at the foot of the last page.
FLOW, FOOT = "flow", "foot"


@dataclass(frozen=True)
class Placed:
    """One line of the document with its typography (lengths in points)."""

    line: Line
    font: str  # a font role
    size: float
    align: str
    first_indent: float = 0.0  # from left_indent; negative: a hanging first line
    left_indent: float = 0.0
    right_indent: float = 0.0
    space_before: float = 0.0
    grid: bool = True  # on the 28-character grid (3号 text); titles and 4号 text are not
    keep_with_next: bool = False
    where: str = FLOW

    @property
    def text(self) -> str:
        return self.line.text

    @property
    def char_space(self) -> float:
        """Space added after each character (negative: the grid is tighter than the font)."""
        return GRID_CHAR_SPACE if self.grid else 0.0


def page_number_text(page: int) -> str:
    """ "— 1 —": Arabic digits with a 一字线 each side (GB/T 9704-2012 7.5)."""
    return f"— {page} —"


def width_in_chars(text: str) -> float:
    """Width in characters of the text's size: full-width characters 1, others ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def check_text(doc: Document) -> None:
    """Refuse text that cannot go into a document file (control characters)."""
    bad = sorted(
        {
            ch
            for line in document_lines(doc)
            for ch in line.text
            if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in "\t\n"
        }
    )
    if bad:
        codes = "、".join(f"U+{ord(ch):04X}" for ch in bad)
        raise ExportError(f"文书中含有无法排版的控制字符（{codes}），请删除后再导出。")


def _title_indent(text: str) -> float:
    """Side indent that makes a title of several lines wrap into lines of equal length."""
    chars = width_in_chars(text)
    room = math.floor(TEXT_WIDTH / TITLE_SIZE)  # 20 characters of 2号
    if chars <= room:
        return 0.0
    lines = math.ceil(chars / room)
    per_line = math.ceil(chars / lines)
    width = (per_line + 0.5) * TITLE_SIZE  # half a character to spare
    return max(0.0, (TEXT_WIDTH - width) / 2)


def layout(doc: Document) -> list[Placed]:
    """The lines of ``doc`` with their typography, in order."""
    placed: list[Placed] = []
    lines = document_lines(doc)
    date_line = next((line for line in lines if line.role == d.DATE), None)
    first_attachment = True
    for line in lines:
        role = line.role
        if role == d.TITLE:
            indent = _title_indent(line.text)
            placed.append(
                Placed(line, TITLE_FONT, TITLE_SIZE, CENTER, left_indent=indent,
                       right_indent=indent, grid=False, keep_with_next=True)
            )  # fmt: skip
        elif role == d.NUMBER:
            # 司法建议书: centred under the title like a 发文字号 (GB/T 9704 7.2.4); the
            # procuratorate's legal documents put the 文号 at the right.
            align = CENTER if doc.kind in d.COURT_KINDS else RIGHT
            placed.append(Placed(line, BODY_FONT, BODY_SIZE, align, keep_with_next=True))
        elif role == d.RECIPIENT:  # one line below the title, flush left
            placed.append(Placed(line, BODY_FONT, BODY_SIZE, JUSTIFY, space_before=LINE_PITCH))
        elif role in (d.BODY, d.BODY_HEADING, d.BODY_SUBHEADING):
            font = {d.BODY: BODY_FONT, d.BODY_HEADING: HEADING_FONT}.get(role, SUBHEADING_FONT)
            placed.append(
                Placed(line, font, BODY_SIZE, JUSTIFY, first_indent=2 * CHAR,
                       keep_with_next=role != d.BODY)
            )  # fmt: skip
        elif role == d.ATTACHMENT:  # "附件：1. …" two characters in, names aligned
            number = len(doc.attachments) > 1
            prefix = _ATTACHMENT_NUMBER.match(line.text.removeprefix("附件："))
            mark = prefix.group(0) if number and prefix else ""
            hang = (width_in_chars(mark) + (3 if first_attachment else 0)) * CHAR
            left = (5 + width_in_chars(mark)) * CHAR
            placed.append(
                Placed(line, BODY_FONT, BODY_SIZE, JUSTIFY, first_indent=-hang, left_indent=left,
                       space_before=LINE_PITCH if first_attachment else 0)
            )  # fmt: skip
            first_attachment = False
        elif role == d.SIGNATURE:  # centred over the date, room above for the seal
            right = 4 * CHAR
            if date_line is not None:
                gap = width_in_chars(date_line.text) - width_in_chars(line.text)
                right = max(0.0, right + gap / 2 * CHAR)
            placed.append(
                Placed(line, BODY_FONT, BODY_SIZE, RIGHT, right_indent=right,
                       space_before=2 * LINE_PITCH, keep_with_next=True)
            )  # fmt: skip
        elif role == d.DATE:  # 右空四字
            placed.append(Placed(line, BODY_FONT, BODY_SIZE, RIGHT, right_indent=4 * CHAR))
        elif role == d.CONTACT:  # 附注: two characters in, below the date
            placed.append(Placed(line, BODY_FONT, BODY_SIZE, JUSTIFY, first_indent=2 * CHAR))
        elif role == d.COPY_TO:  # 版记: one character in each side, wraps after "抄送："
            hang = 3 * SMALL_CHAR
            placed.append(
                Placed(line, BODY_FONT, SMALL_SIZE, JUSTIFY, first_indent=-hang,
                       left_indent=SMALL_CHAR + hang, right_indent=SMALL_CHAR, grid=False,
                       where=FOOT)
            )  # fmt: skip
        else:  # a role added to the model later: as body text
            placed.append(Placed(line, BODY_FONT, BODY_SIZE, JUSTIFY, first_indent=2 * CHAR))
    return placed


def roles_used(placed: list[Placed]) -> list[str]:
    """The font roles a document uses, page numbers included, in a stable order."""
    used = {p.font for p in placed} | {PAGE_NUMBER_FONT}
    return [role for role in DOCX_FONTS if role in used]
