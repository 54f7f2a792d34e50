"""Chinese text set on the official grid for the PDF: line breaking and the platypus flowables.

reportlab's ``Paragraph`` neither justifies Chinese text (it stretches only spaces) nor sets the
28-characters-a-line grid of GB/T 9704. :class:`GridText` does both: characters advance by the
font's width plus the grid's character space (16 pt characters at a 15.79 pt pitch, as Word's
``docGrid w:charSpace="-849"``), full lines are justified by spreading the remaining space over
the characters, and lines break by the Chinese rules (避头尾): no line starts with a closing mark
(，。、）》” …) and none ends with an opening mark (（《“ …). Runs of Latin letters and digits
(2026, 0991-1234567) are not broken. The text goes into the PDF as text, never as markup, so
``&``, ``<`` and quotes need no escaping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from casedesk.export.document_layout import CENTER, JUSTIFY, RIGHT, TEXT_HEIGHT, Placed

#: may not begin a line
NO_START = frozenset("，。、；：！？）》〉」』】〕〗”’…—·％%,.;:!?)]}>")
#: may not end a line
NO_END = frozenset("（《〈「『【〔〖“‘([{<")


def tokens(text: str) -> list[str]:
    """Units that are never split: one Chinese character, a space, or a run of other
    characters (a number, a Latin word, "0991-1234567")."""
    out: list[str] = []
    for ch in text:
        latin = ch.isascii() and not ch.isspace()
        if latin and out and out[-1][-1].isascii() and not out[-1][-1].isspace():
            out[-1] += ch
        else:
            out.append(ch)
    return out


@dataclass(frozen=True)
class SetLine:
    """One typeset line: its text, where it starts, and the character space that fills it."""

    text: str
    x: float  # from the left edge of the frame
    char_space: float


class Setter:
    """Breaks the text of one :class:`Placed` line into lines of a given width."""

    def __init__(self, placed: Placed, font_name: str) -> None:
        self.placed = placed
        self.font = font_name
        self.size = placed.size
        self.cs = placed.char_space

    def width(self, text: str) -> float:
        """Visible width: each character's advance plus the character space between them."""
        if not text:
            return 0.0
        return stringWidth(text, self.font, self.size) + self.cs * (len(text) - 1)

    def lines(self, frame_width: float) -> list[SetLine]:
        p = self.placed
        inner = frame_width - p.left_indent - p.right_indent
        out: list[SetLine] = []
        for part in p.text.replace("\t", " ").split("\n"):
            broken = self._break(part, inner, p.first_indent)
            for i, text in enumerate(broken):
                indent = p.first_indent if i == 0 else 0.0
                last = i == len(broken) - 1
                out.append(self._place(text, inner - indent, p.left_indent + indent, last))
        return out

    def _break(self, text: str, inner: float, first_indent: float) -> list[str]:
        pending = tokens(text)
        lines: list[str] = []
        while pending:
            room = inner - (first_indent if not lines else 0.0)
            line: list[str] = []
            while pending:
                candidate = "".join([*line, pending[0]])
                if line and self.width(candidate.rstrip()) > room:
                    break
                line.append(pending.pop(0))
            # 避头尾: move characters down rather than start a line with a closing mark or end
            # one with an opening mark (as long as something stays on the line)
            while pending and len(line) > 1 and pending[0][0] in NO_START:
                pending.insert(0, line.pop())
            while pending and len(line) > 1 and line[-1][-1] in NO_END:
                pending.insert(0, line.pop())
            while pending and pending[0].isspace():  # no line starts with a space
                pending.pop(0)
            lines.append("".join(line).rstrip())
        return lines or [""]

    def _place(self, text: str, room: float, x: float, last: bool) -> SetLine:
        align = self.placed.align
        natural = self.width(text)
        if align == JUSTIFY and not last and len(text) > 1:
            extra = (room - natural) / (len(text) - 1)
            return SetLine(text, x, self.cs + extra)
        if align == CENTER:
            x += (room - natural) / 2
        elif align == RIGHT:
            x += room - natural
        return SetLine(text, x, self.cs)


class GridText(Flowable):
    """One :class:`Placed` line of the document, on the grid, splittable across pages."""

    def __init__(
        self,
        placed: Placed,
        font_name: str,
        leading: float,
        lines: Sequence[SetLine] | None = None,
        space_before: float | None = None,
        stroke: float = 0.0,
    ) -> None:
        super().__init__()
        self.placed = placed
        self.font_name = font_name
        self.leading = leading
        self.fixed = list(lines) if lines is not None else None  # a piece of a split
        self._cache: tuple[float, list[SetLine]] | None = None
        self.set_lines: list[SetLine] = []
        self.spaceBefore = placed.space_before if space_before is None else space_before
        self.keepWithNext = placed.keep_with_next
        self.stroke = stroke  # > 0: glyphs also stroked (a bolder face for the title)

    def _lines(self, avail_width: float) -> list[SetLine]:
        if self.fixed is not None:
            return self.fixed
        if self._cache is None or self._cache[0] != avail_width:
            self._cache = (avail_width, Setter(self.placed, self.font_name).lines(avail_width))
        return self._cache[1]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.set_lines = self._lines(avail_width)
        self.height = len(self.set_lines) * self.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self._lines(avail_width)
        fit = int((avail_height + 1e-6) // self.leading)
        if fit <= 0 or fit >= len(lines):
            return []
        return [self._piece(lines[:fit], self.spaceBefore), self._piece(lines[fit:], 0.0)]

    def line_count(self, avail_width: float) -> int:
        return len(self._lines(avail_width))

    def split_at(self, avail_width: float, count: int) -> tuple[GridText, GridText]:
        """The first ``count`` lines and the rest."""
        lines = self._lines(avail_width)
        return self._piece(lines[:count], self.spaceBefore), self._piece(lines[count:], 0.0)

    def _piece(self, lines: Sequence[SetLine], space_before: float) -> GridText:
        piece = GridText(
            self.placed, self.font_name, self.leading, lines, space_before, self.stroke
        )
        piece.keepWithNext = False if space_before else self.keepWithNext
        return piece

    def draw(self) -> None:
        canv = self.canv
        size = self.placed.size
        # the em box (from 0.12 em below the baseline) centred in the line
        drop = (self.leading - size) / 2 + 0.12 * size
        canv.saveState()
        if self.stroke:
            canv.setLineWidth(self.stroke)
        for i, line in enumerate(self.set_lines):
            if not line.text:
                continue
            text = canv.beginText(line.x, self.height - (i + 1) * self.leading + drop)
            text.setFont(self.font_name, size)
            text.setCharSpace(line.char_space)
            if self.stroke:
                text.setTextRenderMode(2)
            text.textOut(line.text)
            canv.drawText(text)
        canv.restoreState()


MIN_LINES = 2  # lines of a paragraph kept with a heading above it or the signature below it


class Chain(Flowable):
    """Lines that stay on one page with part of a paragraph: headings with at least the first
    two lines of the paragraph that follows them (``split_last``), or the issuer and date with
    at least the last two lines of the text above them (the seal must touch the text).
    """

    def __init__(self, parts: Sequence[GridText], split_last: bool) -> None:
        super().__init__()
        self.parts = list(parts)
        self.split_last = split_last
        self.spaceBefore = self.parts[0].spaceBefore

    def _gaps(self) -> list[float]:
        return [0.0] + [p.spaceBefore for p in self.parts[1:]]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        heights = [p.wrap(avail_width, avail_height)[1] for p in self.parts]
        self.height = sum(heights) + sum(self._gaps())
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        pieces = self._split(avail_width, avail_height)
        if not pieces and avail_height >= TEXT_HEIGHT - 1:  # taller than a page: give up keeping
            return list(self.parts)
        return pieces

    def _split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        leading = self.parts[0].leading
        if self.split_last:
            *fixed, last = self.parts
            used = sum(p.height for p in fixed) + sum(self._gaps())
            count = last.line_count(avail_width)
            fit = int((avail_height - used + 1e-6) // leading)
            if fit < min(MIN_LINES, count) or fit >= count:
                return []
            head, tail = last.split_at(avail_width, fit)
            return [Chain([*fixed, head], split_last=True), tail]
        first, *rest = self.parts
        count = first.line_count(avail_width)
        fit = min(int((avail_height + 1e-6) // leading), count - MIN_LINES)
        if fit <= 0:
            return []
        head, tail = first.split_at(avail_width, fit)
        return [head, Chain([tail, *rest], split_last=False)]

    def draw(self) -> None:
        y = self.height
        for part, gap in zip(self.parts, self._gaps(), strict=True):
            y -= gap + part.height
            part.drawOn(self.canv, 0, y)


class FootBlock(Flowable):
    """The 版记 (抄送): lines between a thick rule above and below, at the foot of the page.

    It takes all the height left on the page and draws itself at the bottom; when it does not
    fit below the text, it goes to the foot of the next page.
    """

    def __init__(self, parts: Sequence[GridText], thick: float, thin: float) -> None:
        super().__init__()
        self.parts = list(parts)
        self.thick, self.thin = thick, thin

    def _content_height(self, avail_width: float) -> float:
        return sum(p.wrap(avail_width, 1e9)[1] for p in self.parts)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.content = self._content_height(avail_width)
        self.height = max(avail_height, self.content)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        top = self.content
        canv.saveState()
        canv.setStrokeColorRGB(0, 0, 0)
        for y, width in ((top, self.thick), (0.0, self.thick)):
            canv.setLineWidth(width)
            canv.line(0, y, self.width, y)
        y = top
        for i, part in enumerate(self.parts):
            if i:  # a thin rule between the entries of the 版记
                canv.setLineWidth(self.thin)
                canv.line(0, y, self.width, y)
            y -= part.height
            part.drawOn(canv, 0, y)
        canv.restoreState()
