"""打印今日期限一览: the board as it stands, to a PDF with its fonts embedded, opened in the
system's PDF viewer for printing."""

from __future__ import annotations

from pathlib import Path

from casedesk.domain.deadlines import BAND_LABELS, LATER
from casedesk.export.daily_sheet import DailySheet, SheetRow, render_daily_sheet
from casedesk.export.output import ExportError, ExportReport
from casedesk.services.app import Services
from casedesk.ui.deadlines.board_page import BoardPage
from casedesk.ui.measure_lists.export import audit_export
from casedesk.ui.qt import (
    QDesktopServices,
    QFileDialog,
    QMessageBox,
    QStandardPaths,
    QUrl,
    QWidget,
)
from casedesk.ui.tasks import Progress, run_in_background


def sheet_from_board(page: BoardPage, printed_by: str) -> DailySheet:
    """The board's current view (its handler and kind filters) as a printable sheet."""
    board = page.board
    assert board is not None
    filters = []
    if page.handler.currentData():
        filters.append(f"承办人：{page.handler.currentText()}")
    if page.kind.currentData():
        filters.append(f"期限：{page.kind.currentText()}")
    rows = tuple(
        SheetRow(
            band=BAND_LABELS[i.band],
            case_number=i.case_number,
            rule_name=i.name + (f"（{i.subject}）" if i.subject else ""),
            due_on=i.due_on,
            days_left=i.days_left,
            handler=i.handler,
            parties=i.parties,
            note=("在押" if i.custody else "") + ("" if i.verified else " 未核实"),
        )
        for i in board.items
        if i.band != LATER  # the sheet is what is due within seven days
    )
    return DailySheet(board.as_of, printed_by, rows, filter_text="　".join(filters))


def print_daily_sheet(parent: QWidget, services: Services, page: BoardPage) -> None:
    sheet = sheet_from_board(page, services.actor)
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = str(Path(folder or ".") / f"今日期限一览-{sheet.as_of.isoformat()}.pdf")
    name, _ = QFileDialog.getSaveFileName(parent, "保存今日期限一览", suggested, "PDF (*.pdf)")
    if not name:
        return
    out = Path(name)

    def work(_progress: Progress) -> ExportReport:
        return render_daily_sheet(sheet, out)

    def done(report: ExportReport) -> None:
        audit_export(parent, services, "导出今日期限一览", report.path, report.pages)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(report.path)))
        # which face replaced which (e.g. 仿宋 → 文泉驿微米黑) is said, not asked about
        status = getattr(parent, "statusBar", None)
        if status is not None:
            status().showMessage(report.message, 15_000)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, ExportError | OSError):
            QMessageBox.warning(parent, "无法生成今日期限一览", str(exc))
        else:
            raise exc

    # the page keeps the job (and its signals) alive until it reports
    page.print_job = run_in_background(parent, "正在生成今日期限一览", work, done, failed)
