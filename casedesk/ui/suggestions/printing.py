"""打印…: the document is written as the PDF the export writes (off the UI thread), shown in Qt's
print preview (zoom, one or facing pages, page setup) and printed from there through the
system's print dialog (printer, copies, page range). The pages printed are the PDF's pages, so
paper and file are the same document; each print is audited with its copies and printer.

Pages are rasterised by PDFium at 150 dpi for the preview and at the printer's resolution (at
most 600 dpi) for printing, one page at a time, drawn at their true size from the paper's
top-left corner (the GB/T 9704 margins are measured from the paper's edges); on paper smaller
than A4 they are scaled down to fit, never stretched.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from casedesk.domain.documents import Document
from casedesk.domain.errors import FieldErrors
from casedesk.export.output import ExportError, ExportReport
from casedesk.export.pdf_pages import POINTS_PER_INCH, render_pages
from casedesk.services.app import Services
from casedesk.services.errors import ServiceError
from casedesk.services.suggestions_dto import SuggestionView
from casedesk.ui.ops import warn
from casedesk.ui.qt import (
    QImage,
    QPageLayout,
    QPageSize,
    QPaintEngine,
    QPainter,
    QPrinter,
    QPrintPreviewDialog,
    QRectF,
    QWidget,
)
from casedesk.ui.suggestions.editor import listed
from casedesk.ui.tasks import run_in_background

PREVIEW_DPI = 150
MAX_PRINT_DPI = 600


def make_printer(document_name: str) -> QPrinter:
    """A printer set for the official layout: A4 portrait, the whole sheet addressable."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setDocName(document_name)
    printer.setCopyCount(1)
    return printer


def is_preview(painter: QPainter) -> bool:
    """Qt's preview records the pages as pictures; a real print goes to a printer or PDF."""
    engine = painter.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Picture


def _pages(printer: QPrinter, total: int) -> list[int]:
    """The page numbers the print dialog's range asks for (all when none was chosen)."""
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 and last <= 0:
        return list(range(1, total + 1))
    first = max(first, 1)
    last = min(last if last > 0 else total, total)
    return list(range(first, last + 1))


def paint_pdf(printer: QPrinter, pdf: Path, total: int) -> tuple[int, bool]:
    """Paint the pages of ``pdf`` onto ``printer``: how many were painted, and whether it was
    for the preview (rather than the printer)."""
    painter = QPainter()
    if not painter.begin(printer):
        raise ExportError("无法开始打印：打印机不可用或打印文件无法写入。")
    try:
        preview = is_preview(painter)
        dpi = PREVIEW_DPI if preview else min(printer.resolution(), MAX_PRINT_DPI)
        device_dpi = printer.resolution()
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        count = 0
        for image in render_pages(pdf, dpi, _pages(printer, total)):
            if count:
                printer.newPage()
            qimage = QImage(
                image.pixels, image.width, image.height, image.stride,
                QImage.Format.Format_Grayscale8,
            )  # fmt: skip
            width = image.width_pt / POINTS_PER_INCH * device_dpi
            height = image.height_pt / POINTS_PER_INCH * device_dpi
            scale = min(1.0, paper.width() / width, paper.height() / height)
            painter.drawImage(QRectF(0, 0, width * scale, height * scale), qimage)
            count += 1
        return count, preview
    finally:
        painter.end()


def copies_text(printer: QPrinter) -> str:
    name = printer.printerName() or (
        f"PDF 文件 {printer.outputFileName()}" if printer.outputFileName() else "默认打印机"
    )
    return f"{printer.copyCount()} 份，{name}"


class PrintJob:
    """One 打印… from the tab: the temporary PDF, the preview dialog, what was printed."""

    def __init__(self, parent: QWidget, services: Services, view: SuggestionView,
                 done: Callable[[str], None]) -> None:  # fmt: skip
        self.parent = parent
        self.services = services
        self.view = view
        self.done = done
        self.folder = Path(tempfile.mkdtemp(prefix="casedesk-print-"))
        self.pdf = self.folder / "print.pdf"
        self.report: ExportReport | None = None
        self.dialog: QPrintPreviewDialog | None = None
        self.printer: QPrinter | None = None
        self.printed = 0

    def start(self, doc: Document) -> object:
        from casedesk.export.document_pdf import render_document_pdf

        return run_in_background(
            self.parent, "准备打印", lambda _p: render_document_pdf(doc, self.pdf),
            self._preview, self._failed,
        )  # fmt: skip

    def _failed(self, exc: BaseException) -> None:
        self.cleanup()
        if isinstance(exc, ExportError | OSError):
            warn(self.parent, str(exc), "打印")
        else:
            raise exc

    def _preview(self, report: ExportReport) -> None:
        from casedesk.ui.suggestions.export import file_name

        self.report = report
        self.printer = make_printer(file_name(self.view))
        self.dialog = QPrintPreviewDialog(self.printer, self.parent)
        self.dialog.setWindowTitle(f"打印预览 — {self.view.number or self.view.kind + '（草稿）'}")
        self.dialog.resize(900, 1000)
        self.dialog.paintRequested.connect(self._paint)
        self.dialog.finished.connect(lambda _r: self._finish())
        self.dialog.open()

    def _paint(self, printer: QPrinter) -> None:
        try:
            count, preview = paint_pdf(printer, self.pdf, self.report.pages if self.report else 1)
        except ExportError as exc:
            warn(self.parent, str(exc), "打印")
            return
        if not preview:
            self.printed = count
            self._record(printer, count)

    def _record(self, printer: QPrinter, pages: int) -> None:
        label = f"打印 {copies_text(printer)}，每份 {pages} 页"
        try:
            self.services.suggestions.record_output(self.view.id, "print", label)
        except ServiceError as exc:
            warn(self.parent, f"已打印，但打印记录未能保存：{exc}", "打印")
        self.done(label)

    def _finish(self) -> None:
        self.cleanup()

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def print_document(parent: QWidget, services: Services, view: SuggestionView,
                   done: Callable[[str], None]) -> PrintJob | None:  # fmt: skip
    """打印…: refused (with what is missing) while placeholders or empty paragraphs remain."""
    try:
        doc = services.suggestions.document(view.id)
    except FieldErrors as exc:
        warn(parent, f"{view.kind}尚不能打印：\n{listed(exc.errors)}\n\n请先在“编辑”中补充。",
             "打印")  # fmt: skip
        return None
    except ServiceError as exc:
        warn(parent, str(exc), "打印")
        return None
    job = PrintJob(parent, services, view, done)
    job.start(doc)
    return job
