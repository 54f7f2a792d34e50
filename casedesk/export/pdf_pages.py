"""The pages of a PDF as images, for printing and print preview.

Printing goes through the very PDF the export writes (same layout, same embedded faces), so a
printed 建议书 is the exported one, page for page. PDFium (through pypdfium2) rasterises each page
in grayscale at the resolution asked; the UI paints the images onto the printer one page at a
time, so a long document never holds all its pages at print resolution in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from casedesk.export.output import ExportError

POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class PageImage:
    """One page in 8-bit grayscale: ``stride`` bytes per row, ``height`` rows."""

    number: int  # 1-based
    width: int
    height: int
    stride: int
    pixels: bytes
    width_pt: float  # the page's size in points (A4: 595.3 × 841.9)
    height_pt: float


def _open(pdf: Path):  # type: ignore[no-untyped-def]
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(str(pdf))
    except (pypdfium2.PdfiumError, OSError) as exc:
        raise ExportError(f"无法读取 PDF 文件“{Path(pdf).name}”：{exc}") from exc


def page_count(pdf: Path) -> int:
    """How many pages ``pdf`` has."""
    doc = _open(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def render_pages(pdf: Path, dpi: float, pages: Iterable[int] | None = None) -> Iterator[PageImage]:
    """The pages of ``pdf`` (1-based numbers, all when None) rendered at ``dpi``, in order."""
    if dpi <= 0:
        raise ValueError("dpi must be positive")
    doc = _open(pdf)
    try:
        numbers = list(pages) if pages is not None else list(range(1, len(doc) + 1))
        for number in numbers:
            if not 1 <= number <= len(doc):
                raise ExportError(f"PDF 只有 {len(doc)} 页，没有第 {number} 页。")
            page = doc[number - 1]
            try:
                width_pt, height_pt = page.get_size()
                bitmap = page.render(
                    scale=dpi / POINTS_PER_INCH, grayscale=True, optimize_mode="print"
                )
                try:
                    yield PageImage(
                        number=number,
                        width=bitmap.width,
                        height=bitmap.height,
                        stride=bitmap.stride,
                        pixels=bytes(bitmap.buffer),
                        width_pt=width_pt,
                        height_pt=height_pt,
                    )
                finally:
                    bitmap.close()
            finally:
                page.close()
    finally:
        doc.close()
