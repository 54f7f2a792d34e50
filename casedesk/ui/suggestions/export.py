"""导出DOCX… / 导出PDF…: the document is read (refused, with what is missing, while placeholders
or empty paragraphs remain), the file chosen (the document number as its name), written off the
UI thread behind a progress dialog; then the faces that replaced others are said and the file
can be opened in the system viewer."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from casedesk.domain.documents import Document
from casedesk.domain.errors import FieldErrors
from casedesk.export.output import ExportError, ExportReport
from casedesk.services.app import Services
from casedesk.services.errors import ServiceError
from casedesk.services.suggestions_dto import SuggestionView
from casedesk.ui.ops import warn
from casedesk.ui.qt import (
    QDesktopServices,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QStandardPaths,
    QUrl,
    QWidget,
)
from casedesk.ui.suggestions.editor import listed
from casedesk.ui.tasks import run_in_background

DOCX, PDF = "docx", "pdf"
FORMATS = {DOCX: ("DOCX", "Word 文档 (*.docx)"), PDF: ("PDF", "PDF 文件 (*.pdf)")}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def renderer(fmt: str) -> Callable[[Document, Path], ExportReport]:
    """The renderer of ``fmt`` (imported when first used: reportlab is slow to load)."""
    if fmt == DOCX:
        from casedesk.export.document_docx import render_document_docx

        return render_document_docx
    from casedesk.export.document_pdf import render_document_pdf

    return render_document_pdf


def file_name(view: SuggestionView) -> str:
    """The document number (a draft: its kind and 草稿), without characters a file name
    cannot hold."""
    name = view.number or f"{view.kind}（草稿）{view.recipient}".strip()
    return _UNSAFE.sub("_", name)[:120] or "建议书"


def ask_path(parent: QWidget, view: SuggestionView, fmt: str) -> Path | None:
    label, pattern = FORMATS[fmt]
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = str(Path(folder or ".") / f"{file_name(view)}.{fmt}")
    chosen, _ = QFileDialog.getSaveFileName(parent, f"导出{label}", suggested, pattern)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == f".{fmt}" else path.with_name(f"{path.name}.{fmt}")


def report_text(report: ExportReport) -> str:
    """What the export did, with each face that replaced an official one on its own line."""
    text = f"已导出 {report.pages} 页：{report.path}"
    if report.substitutions:
        faces = "\n".join(f"· {s}" for s in report.substitutions)
        text += f"\n\n本机缺少公文字体，已替换：\n{faces}"
    if report.warnings:
        text += "\n\n" + "\n".join(f"⚠ {w}" for w in report.warnings)
    return text


def offer_open(parent: QWidget, report: ExportReport) -> None:
    """Say what was written; open it in the system viewer when the user wants."""
    answer = QMessageBox.question(
        parent, "导出完成", report_text(report) + "\n\n是否用系统默认程序打开？",
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
        QMessageBox.StandardButton.Open,
    )  # fmt: skip
    if answer == QMessageBox.StandardButton.Open:
        open_file(parent, report.path)


def open_file(parent: QWidget, path: Path) -> bool:
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    warn(parent, f"无法打开 {path}：本机没有可打开该类文件的程序", "打开文件")
    return False


def export_document(
    parent: QWidget,
    services: Services,
    view: SuggestionView,
    fmt: str,
    done: Callable[[ExportReport], None],
    path: Path | None = None,
) -> QProgressDialog | None:
    """Export ``view`` as ``fmt``; ``done(report)`` on the UI thread once written (after the
    user was told). None when refused or cancelled."""
    label = FORMATS[fmt][0]
    try:
        doc = services.suggestions.document(view.id)
    except FieldErrors as exc:
        warn(parent, f"{view.kind}尚不能导出：\n{listed(exc.errors)}\n\n请先在“编辑”中补充。",
             f"导出{label}")  # fmt: skip
        return None
    except ServiceError as exc:
        warn(parent, str(exc), f"导出{label}")
        return None
    path = path or ask_path(parent, view, fmt)
    if path is None:
        return None
    render = renderer(fmt)

    def finished(report: ExportReport) -> None:
        try:  # the file is written: its export is recorded in the case's history
            services.suggestions.record_output(view.id, "export", f"导出{label} {report.path}")
        except ServiceError as exc:
            warn(parent, f"文件已导出，但导出记录未能保存：{exc}", f"导出{label}")
        offer_open(parent, report)
        done(report)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, ExportError | OSError):
            warn(parent, str(exc), f"导出{label}")
        else:
            raise exc

    return run_in_background(
        parent, f"导出{label}", lambda _progress: render(doc, path), finished, failed
    )
