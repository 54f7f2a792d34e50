"""今日期限一览: the printable daily list of overdue and soon-due deadlines, as a PDF.

An internal sheet a clerk pins on the wall, not an official document (GB/T 9704 does not
apply): A4 portrait, 20 mm margins, one table per band (已逾期, 今日届满, 3日内届满, 7日内届满)
whose title bar and column header repeat when the band runs onto the next page, page numbers
"第 1 页 共 N 页" and who printed it when. Overdue rows are marked by a dark title bar with
white text and bold (filled and stroked) text, so they stand out in black and white too.

The caller (a service) builds a ``DailySheet`` from the deadline board; this module knows
nothing of the database. Every string is checked against the font's glyphs first: text the
font cannot show stops the export instead of printing boxes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from casedesk.domain import deadlines as bands
from casedesk.domain.deadlines import BAND_LABELS
from casedesk.domain.work_calendar import WEEKDAY_NAMES
from casedesk.export.fonts import (
    FontFace,
    FontSet,
    MissingGlyphsError,
    missing_glyphs,
    registered_fonts,
)
from casedesk.export.output import ExportReport, atomic_output

#: The sheet's groups, by their Chinese names (domain.deadlines.BAND_LABELS), in print order.
OVERDUE, TODAY, WITHIN_3, WITHIN_7 = (
    BAND_LABELS[b] for b in (bands.OVERDUE, bands.TODAY, bands.WITHIN_3, bands.WITHIN_7)
)
BANDS = (OVERDUE, TODAY, WITHIN_3, WITHIN_7)
TITLE = "今日期限一览"
EMPTY_MESSAGE = "今日无到期或逾期的期限"
COLUMNS = ("序号", "案号", "期限名称", "届满时间", "剩余", "承办人", "当事人")


def band_for(days_left: int) -> str | None:
    """The group of a deadline ``days_left`` days from today (negative: overdue); None after 7."""
    code = bands.band_of_days(days_left)
    return None if code == bands.LATER else BAND_LABELS[code]


@dataclass(frozen=True)
class SheetRow:
    """One deadline on the sheet."""

    band: str  # one of BANDS
    case_number: str  # 案号
    rule_name: str  # 期限名称
    due_on: date  # last day
    days_left: int  # negative when overdue
    handler: str = ""  # 承办人
    parties: str = ""  # 当事人, may be long: it wraps
    note: str = ""
    due_at: datetime | None = None  # for periods counted in hours

    def __post_init__(self) -> None:
        if self.band not in BANDS:
            raise ValueError(f"未知的期限分组“{self.band}”，应为：{'、'.join(BANDS)}")


@dataclass(frozen=True)
class DailySheet:
    """What the sheet shows. Rows are grouped by band and ordered by last day within a band."""

    as_of: date
    printed_by: str
    rows: tuple[SheetRow, ...] = ()
    unit: str = ""  # 乌鲁木齐市天山区人民法院
    filter_text: str = ""  # 承办人：李娜
    printed_at: datetime | None = None  # None: the time of rendering
    title: str = TITLE

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(self.rows))

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(BANDS, 0)
        for row in self.rows:
            counts[row.band] += 1
        return counts


def render_daily_sheet(sheet: DailySheet, out: Path) -> ExportReport:
    """Write ``sheet`` to ``out`` as a PDF with its Chinese fonts embedded.

    Raises ``FontNotFoundError`` when the machine has no embeddable Chinese font,
    ``MissingGlyphsError`` when some text has characters the font lacks, ``ExportError`` when
    the file cannot be written. On any error ``out`` is left as it was.
    """
    fonts = registered_fonts()
    printed_at = sheet.printed_at or datetime.now().replace(second=0, microsecond=0)
    builder = _Builder(sheet, fonts, printed_at)
    story = builder.story()
    furniture = builder.furniture()
    builder.check_glyphs()
    out = Path(out)
    with atomic_output(out) as fh:
        pages = _build(fh, story, furniture, sheet, fonts)
    return ExportReport(
        path=out, pages=pages, substitutions=fonts.substitutions, warnings=fonts.warnings
    )


# --- formatting --------------------------------------------------------------------------


def format_day(day: date) -> str:
    """2026年11月25日 星期三"""
    return f"{day.year}年{day.month}月{day.day}日 星期{WEEKDAY_NAMES[day.weekday()]}"


def _format_moment(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def _days_left_text(days: int) -> str:
    if days < 0:
        return f"逾期{-days}日"
    if days == 0:
        return "今日届满"
    return f"剩{days}日"


def _party_lines(parties: str) -> list[str]:
    """One party per line: lists come joined by "；" from the case register."""
    parts = (p.strip() for p in parties.replace(";", "；").replace("\n", "；").split("；"))
    return [p for p in parts if p]


def _due_text(row: SheetRow) -> str:
    text = row.due_on.isoformat()
    if row.due_at is not None:
        text += f"\n{row.due_at:%H:%M}"
    return text


def _sort_key(row: SheetRow) -> tuple[date, time]:
    return row.due_on, row.due_at.time() if row.due_at is not None else time.max


# --- layout ------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
# 序号 案号 期限名称(+备注) 届满时间 剩余 承办人 (mm); 当事人 takes the rest (35.5 mm).
# At 9 pt 案号 fits "（2026）新0102民初12345号", 期限名称 and 当事人 ten characters a line.
_WIDTHS_MM = (8, 44, 31.5, 18, 18, 15)  # 剩余 fits "逾期3432日" on one line
COLUMN_WIDTHS = (*(w * mm for w in _WIDTHS_MM), FRAME_WIDTH - sum(_WIDTHS_MM) * mm)

INK = colors.black
GREY_TEXT = colors.HexColor("#444444")
RULE = colors.HexColor("#777777")
HEADER_FILL = colors.HexColor("#E4E4E4")
STRIPE_FILL = colors.HexColor("#F4F4F4")
OVERDUE_ROW_FILL = colors.HexColor("#FBE9E9")
#: band -> (bar fill, bar text colour); darker means more urgent, also on a black-and-white printer
BAND_BARS = {
    OVERDUE: (colors.HexColor("#8B1010"), colors.white),
    TODAY: (colors.HexColor("#606060"), colors.white),
    WITHIN_3: (colors.HexColor("#B9B9B9"), INK),
    WITHIN_7: (colors.HexColor("#DEDEDE"), INK),
}


_PAD_TOP, _PAD_BOTTOM, _PAD_SIDE = 2.5, 3.0, 2.0
#: the tallest row that fits on a page below the band bar and the column header
_MAX_ROW_HEIGHT = PAGE_HEIGHT - 2 * MARGIN - 20 * mm


def _row_height(cells: Sequence[Any]) -> float:
    height = 0.0
    for cell, width in zip(cells, COLUMN_WIDTHS, strict=True):
        parts = cell if isinstance(cell, list) else [cell]
        inner = width - 2 * _PAD_SIDE
        height = max(height, sum(p.wrap(inner, PAGE_HEIGHT)[1] for p in parts))
    return height + _PAD_TOP + _PAD_BOTTOM


class _BoldParagraph(Paragraph):
    """A paragraph whose glyphs are filled and stroked (text render mode 2): bold without a
    bold font file, and bold on any printer."""

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setLineWidth(self.style.fontSize * 0.04)
        canv.setStrokeColor(self.style.textColor)
        mode = canv.beginText()
        mode.setTextRenderMode(2)
        canv.drawText(mode)  # the render mode stays set until restoreState
        super().draw()
        canv.restoreState()


class _Builder:
    """Turns a sheet into flowables, remembering every string and its font for the glyph check."""

    def __init__(self, sheet: DailySheet, fonts: FontSet, printed_at: datetime) -> None:
        self.sheet = sheet
        self.fonts = fonts
        self.printed_at = printed_at
        self.used: list[tuple[FontFace, str, str]] = []  # (font, where, text)
        body, heading = fonts.body.name, fonts.heading.name
        self.s_title = ParagraphStyle(
            "title", fontName=heading, fontSize=18, leading=24, alignment=TA_CENTER
        )
        self.s_sub = ParagraphStyle(
            "sub", fontName=body, fontSize=10, leading=14, alignment=TA_CENTER, textColor=INK
        )
        self.s_cell = ParagraphStyle(
            "cell", fontName=body, fontSize=9, leading=11.5, wordWrap="CJK", textColor=INK
        )
        self.s_cell_c = ParagraphStyle("cell_c", parent=self.s_cell, alignment=TA_CENTER)
        # reportlab lets a closing mark (、。）) hang past the line end: keep it inside the cell
        self.s_wrap = ParagraphStyle("wrap", parent=self.s_cell, rightIndent=2.5)
        self.s_note = ParagraphStyle(
            "note", parent=self.s_wrap, fontSize=8, leading=10.5, textColor=GREY_TEXT
        )
        self.s_head = ParagraphStyle(
            "head", parent=self.s_cell, fontName=heading, alignment=TA_CENTER
        )
        self.s_bar = ParagraphStyle(
            "bar", fontName=heading, fontSize=10.5, leading=13, alignment=TA_LEFT
        )
        self.s_empty = ParagraphStyle(
            "empty", fontName=body, fontSize=14, leading=20, alignment=TA_CENTER
        )

    # strings

    def para(self, text: str, style: ParagraphStyle, where: str, bold: bool = False) -> Paragraph:
        face = self.fonts.heading if style.fontName == self.fonts.heading.name else self.fonts.body
        self.used.append((face, where, text))
        markup = escape(text).replace("\n", "<br/>")
        return (_BoldParagraph if bold else Paragraph)(markup, style)

    def note_text(self, text: str, where: str) -> str:
        """A string the page furniture draws in the body font."""
        self.used.append((self.fonts.body, where, text))
        return text

    def check_glyphs(self) -> None:
        """Refuse to print text the fonts cannot show."""
        missing: dict[str, set[str]] = {}
        places: dict[str, list[str]] = {}
        for face, where, text in self.used:
            absent = missing_glyphs(text, face)
            if absent:
                missing.setdefault(face.display_name, set()).update(absent)
                places.setdefault(face.display_name, []).append(where)
        if not missing:
            return
        parts = []
        for font, chars in missing.items():
            where = "；".join(dict.fromkeys(places[font]))
            parts.append(f"字体“{font}”中没有这些字符：{'、'.join(sorted(chars))}（见：{where}）")
        raise MissingGlyphsError(
            "；".join(parts)
            + "。为避免 PDF 中出现方框，未生成文件。请改用常用字写法，或由管理员安装包含这些字符的"
            "字体（如 Windows 的宋体、黑体），或用环境变量 CASEDESK_FONT 指定字体。",
            set().union(*missing.values()),
        )

    # the story

    def story(self) -> list[Any]:
        sheet = self.sheet
        flow: list[Any] = [self.para(sheet.title, self.s_title, "标题", bold=True)]
        line = "　".join(
            part for part in (sheet.unit, format_day(sheet.as_of), sheet.filter_text) if part
        )
        flow.append(Spacer(1, 1.5 * mm))
        flow.append(self.para(line, self.s_sub, "副标题"))
        counts = sheet.counts()
        summary = "　".join(f"{band} {counts[band]} 件" for band in BANDS)
        summary += f"　合计 {len(sheet.rows)} 件"
        flow.append(self.para(summary, self.s_sub, "件数"))
        flow.append(Spacer(1, 5 * mm))
        if not sheet.rows:
            flow.append(self._empty_box())
            return flow
        number = 0
        for band in BANDS:
            rows = sorted((r for r in sheet.rows if r.band == band), key=_sort_key)
            if not rows:
                continue
            flow.append(self._band_table(band, rows, number))
            flow.append(Spacer(1, 4 * mm))
            number += len(rows)
        return flow

    def _empty_box(self) -> Table:
        box = Table(
            [[self.para(EMPTY_MESSAGE, self.s_empty, "空表提示")]],
            colWidths=[FRAME_WIDTH],
        )
        box.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.fonts.body.name),
                    ("BOX", (0, 0), (-1, -1), 0.8, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 14 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 14 * mm),
                ]
            )
        )
        return box

    def _band_table(self, band: str, rows: Sequence[SheetRow], first: int) -> Table:
        fill, ink = BAND_BARS[band]
        bar_style = ParagraphStyle(f"bar_{band}", parent=self.s_bar, textColor=ink)
        bar = self.para(f"{band}　{len(rows)} 件", bar_style, "分组标题", bold=True)
        header = [self.para(c, self.s_head, "表头") for c in COLUMNS]
        data: list[list[Any]] = [[bar] + [""] * (len(COLUMNS) - 1), header]
        overdue = band == OVERDUE
        for i, row in enumerate(rows, start=first + 1):
            where = f"{row.case_number or '（无案号）'} {row.rule_name}"
            rule: list[Paragraph] = [self.para(row.rule_name, self.s_wrap, f"{where} 的期限名称")]
            if row.note:
                rule.append(self.para(f"备注：{row.note}", self.s_note, f"{where} 的备注"))
            data.append(
                [
                    self.para(str(i), self.s_cell_c, where),
                    self.para(row.case_number, self.s_wrap, f"{where} 的案号", bold=overdue),
                    rule,
                    self.para(_due_text(row), self.s_cell_c, where),
                    self.para(_days_left_text(row.days_left), self.s_cell_c, where, bold=overdue),
                    self.para(row.handler, self.s_cell_c, f"{where} 的承办人"),
                    [
                        self.para(party, self.s_wrap, f"{where} 的当事人")
                        for party in _party_lines(row.parties)
                    ],
                ]
            )
        style: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.body.name),
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), fill),
            ("BACKGROUND", (0, 1), (-1, 1), HEADER_FILL),
            ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
            ("VALIGN", (0, 2), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PAD_SIDE),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PAD_SIDE),
            ("TOPPADDING", (0, 0), (-1, -1), _PAD_TOP),
            ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD_BOTTOM),
            ("LEFTPADDING", (0, 0), (-1, 0), 5),
            ("BOX", (0, 0), (-1, -1), 0.8, INK),
            ("INNERGRID", (0, 1), (-1, -1), 0.4, RULE),
            ("LINEBELOW", (0, 1), (-1, 1), 0.8, INK),
        ]
        if overdue:
            style.append(("BACKGROUND", (0, 2), (-1, -1), OVERDUE_ROW_FILL))
        else:
            style.append(("ROWBACKGROUNDS", (0, 2), (-1, -1), [colors.white, STRIPE_FILL]))
        # A row is split across pages only when it is taller than a page by itself, so that a
        # row normally keeps its case number next to its parties.
        giant = any(_row_height(cells) > _MAX_ROW_HEIGHT for cells in data[2:])
        table = Table(data, colWidths=list(COLUMN_WIDTHS), repeatRows=2, splitInRow=int(giant))
        table.setStyle(TableStyle(style))
        return table

    # page furniture (drawn once the page count is known)

    def furniture(self) -> Callable[[Canvas, int, int], None]:
        sheet = self.sheet
        body = self.fonts.body.name
        printed = self.note_text(
            f"打印人：{sheet.printed_by}　打印时间：{_format_moment(self.printed_at)}", "页脚"
        )
        running_left = self.note_text(f"{sheet.title}（续）", "页眉")
        running_right = self.note_text(
            "　".join(p for p in (sheet.unit, format_day(sheet.as_of)) if p), "页眉"
        )
        self.note_text("第 0123456789 页 共 页", "页码")

        running_short = format_day(sheet.as_of)

        def draw(canv: Canvas, page: int, pages: int) -> None:
            canv.saveState()
            canv.setFillColor(GREY_TEXT)
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.5)
            if page > 1:  # running head: a loose page still says what and when
                y = PAGE_HEIGHT - MARGIN + 6 * mm
                right = running_right
                room = FRAME_WIDTH - stringWidth(running_left, body, 8) - 6 * mm
                if stringWidth(right, body, 8) > room:
                    right = running_short
                canv.setFont(body, 8)
                canv.drawString(MARGIN, y, running_left)
                canv.drawRightString(PAGE_WIDTH - MARGIN, y, right)
                canv.line(MARGIN, y - 2 * mm, PAGE_WIDTH - MARGIN, y - 2 * mm)
            # foot, inside the 20 mm margin but clear of a printer's unprintable edge
            canv.line(MARGIN, MARGIN - 4 * mm, PAGE_WIDTH - MARGIN, MARGIN - 4 * mm)
            base = MARGIN - 9 * mm
            number = f"第 {page} 页 共 {pages} 页"
            canv.setFont(body, 9)
            canv.drawCentredString(PAGE_WIDTH / 2, base, number)
            size = _fitting_size(printed, body, 8, FRAME_WIDTH)
            room = (FRAME_WIDTH - stringWidth(number, body, 9)) / 2 - 4 * mm
            y = base if stringWidth(printed, body, size) <= room else base - 4.5 * mm
            canv.setFont(body, size)
            canv.drawString(MARGIN, y, printed)
            canv.restoreState()

        return draw


def _fitting_size(text: str, font: str, size: float, width: float) -> float:
    """``size``, or smaller so that ``text`` fits on one line of ``width``."""
    natural = stringWidth(text, font, size)
    return size if natural <= width else max(4.0, size * width / natural)


def _paging_canvas(
    furniture: Callable[[Canvas, int, int], None], page_count: list[int]
) -> type[Canvas]:
    """A canvas that holds its pages back until the document ends, so that each page can say
    "共 N 页"; the count is appended to ``page_count``."""

    class PagingCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            held = self._held_pages
            for number, state in enumerate(held, start=1):
                self.__dict__.update(state)
                furniture(self, number, len(held))
                Canvas.showPage(self)
            page_count.append(len(held))
            Canvas.save(self)

    return PagingCanvas


def _build(
    fh: BinaryIO,
    story: list[Any],
    furniture: Callable[[Canvas, int, int], None],
    sheet: DailySheet,
    fonts: FontSet,
) -> int:
    doc = BaseDocTemplate(
        fh,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{sheet.title} {sheet.as_of.isoformat()}",
        author=sheet.printed_by,
        subject=sheet.unit,
        creator="CaseDesk 涉企案件办案台",
        initialFontName=fonts.body.name,
        initialFontSize=9,
        initialLeading=11.5,
    )
    frame = Frame(
        MARGIN, MARGIN, FRAME_WIDTH, PAGE_HEIGHT - 2 * MARGIN, id="body",
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )  # fmt: skip
    doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame])])
    page_count: list[int] = []
    doc.build(story, canvasmaker=_paging_canvas(furniture, page_count))
    return page_count[0]
