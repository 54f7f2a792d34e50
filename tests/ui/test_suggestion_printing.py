"""Printing a 建议书 from the app (issue 6, point 6): the exported PDF's pages rasterised at their
true size (the GB/T 9704 margins measured from the paper's edges), previewed in Qt's print
preview, printed through the print dialog's range and copies, and each print audited on the
case's history."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4 as A4_POINTS

from casedesk.domain import documents as dm
from casedesk.export.document_pdf import render_document_pdf
from casedesk.export.document_samples import sample
from casedesk.export.output import ExportError
from casedesk.export.pdf_pages import page_count, render_pages
from casedesk.ui.qt import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from casedesk.ui.suggestions import printing
from tests.ui.test_suggestions_tab import case_id, drafted, open_tab, yes  # noqa: F401

MM_PER_INCH = 25.4


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> tuple[Path, int]:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("print") / "sample.pdf"
    report = render_document_pdf(sample(dm.JUDICIAL), out)
    return out, report.pages


def dark_rows(image) -> list[int]:  # type: ignore[no-untyped-def]
    """Rows of a grayscale page image that carry ink."""
    rows = []
    for y in range(image.height):
        row = image.pixels[y * image.stride : y * image.stride + image.width]
        if min(row) < 128:
            rows.append(y)
    return rows


def test_pages_are_rendered_at_their_size_with_the_official_margins(sample_pdf):  # type: ignore[no-untyped-def]
    pdf, pages = sample_pdf
    dpi = 72
    images = list(render_pages(pdf, dpi))
    assert len(images) == pages == page_count(pdf) and pages > 1
    first = images[0]
    assert abs(first.width - A4_POINTS[0]) <= 1 and abs(first.height - A4_POINTS[1]) <= 1
    ink = dark_rows(first)
    # GB/T 9704-2012: the text block starts 37 mm below the top edge; the page number "— 1 —"
    # sits 7 mm below the text block, so nothing is inked in the last 20 mm.
    top_mm = ink[0] / dpi * MM_PER_INCH
    bottom_mm = (first.height - ink[-1]) / dpi * MM_PER_INCH
    assert 36 <= top_mm <= 40, top_mm
    assert 20 <= bottom_mm <= 30, bottom_mm


def test_a_page_that_does_not_exist_is_refused(sample_pdf):  # type: ignore[no-untyped-def]
    pdf, pages = sample_pdf
    with pytest.raises(ExportError, match=f"只有 {pages} 页"):
        list(render_pages(pdf, 36, [pages + 1]))


def test_an_unreadable_pdf_is_reported_in_chinese(tmp_path):  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not a pdf")
    with pytest.raises(ExportError, match="无法读取 PDF 文件"):
        page_count(bad)


def pdf_printer(out: Path) -> QPrinter:
    printer = printing.make_printer("测试")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    return printer


@pytest.mark.parametrize(("pages_asked", "expected"), [((0, 0), None), ((2, 3), 2), ((3, 99), -1)])
def test_printing_follows_the_dialog_page_range(qtbot, sample_pdf, tmp_path, pages_asked,  # type: ignore[no-untyped-def]
                                                 expected):  # fmt: skip
    pdf, pages = sample_pdf
    out = tmp_path / "printed.pdf"
    printer = pdf_printer(out)
    printer.setFromTo(*pages_asked)
    count, preview = printing.paint_pdf(printer, pdf, pages)
    want = {None: pages, -1: pages - 2}.get(expected, expected)
    assert (count, preview) == (want, False)
    reader = PdfReader(out)
    assert len(reader.pages) == want
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - A4_POINTS[0]) < 1 and abs(float(box.height) - A4_POINTS[1]) < 1


def test_print_from_the_tab_previews_prints_and_audits(qtbot, services, case_id, tmp_path, yes):  # type: ignore[no-untyped-def]  # noqa: F811
    sid = drafted(services, case_id)
    number = services.suggestions.finalise(sid)
    tab = open_tab(qtbot, services, case_id)
    assert tab.buttons["print"].isEnabled()
    assert tab.print_document()
    job = tab.print_job
    qtbot.waitUntil(lambda: job.dialog is not None, timeout=30_000)
    dialog = job.dialog
    assert isinstance(dialog, QPrintPreviewDialog) and number in dialog.windowTitle()
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() == job.report.pages, timeout=10_000)
    assert job.printed == 0  # the preview is not a print
    assert not any(e.action == "print" for e in services.cases.history(case_id))

    out = tmp_path / "paper.pdf"
    job.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    job.printer.setOutputFileName(str(out))
    job.printer.setCopyCount(2)
    preview.print_()
    assert job.printed == job.report.pages == len(PdfReader(out).pages)
    assert "打印 2 份" in tab.status.text()
    printed = [e for e in services.cases.history(case_id) if e.action == "print"]
    assert len(printed) == 1 and number in printed[0].label and "2 份" in printed[0].label
    folder = job.folder
    dialog.reject()
    assert not folder.exists()  # the temporary PDF is removed with the dialog
    assert yes == []


def test_print_is_refused_while_placeholders_remain(qtbot, services, case_id, yes):  # type: ignore[no-untyped-def]  # noqa: F811
    sid = services.suggestions.new_draft(case_id, dm.JUDICIAL, "个案", recipient="某局")
    view = services.suggestions.get(sid)
    blocks = (*view.blocks, dm.Block(dm.PARAGRAPH, "结案于{{结案日期}}"))
    services.suggestions.save_draft(
        sid, view.version, dataclasses.replace(view.draft, blocks=blocks)
    )
    tab = open_tab(qtbot, services, case_id)
    assert not tab.print_document() and tab.print_job is None
    assert "尚不能打印" in yes[0] and "{{结案日期}}" in yes[0]
