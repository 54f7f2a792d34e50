"""导出Excel…: ask where, write the .xlsx off the UI thread behind a progress dialog, then say
how many rows went where (a failure is a Chinese message, never a traceback)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from casedesk.export.output import ExportError
from casedesk.services.app import Services
from casedesk.services.errors import ServiceError
from casedesk.ui.ops import warn
from casedesk.ui.qt import QFileDialog, QProgressDialog, QStandardPaths, QWidget
from casedesk.ui.tasks import run_in_background

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def ask_xlsx_path(parent: QWidget, title: str, name: str) -> Path | None:
    """The file to write (``name`` with today's date suggested); None when cancelled."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = str(Path(folder or ".") / f"{name}-{date.today():%Y%m%d}.xlsx")
    chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, XLSX_FILTER)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def export_in_background(
    parent: QWidget,
    title: str,
    path: Path,
    write: Callable[[Path], int],
    done: Callable[[int, Path], None],
    services: Services | None = None,
) -> QProgressDialog:
    """Run ``write(path)`` (returns the rows written) off the UI thread; ``done(rows, path)``
    after, on the UI thread. With ``services`` the export is audited (who exported what, where,
    how many rows)."""

    def written(rows: int) -> None:
        if services is not None:
            audit_export(parent, services, title, path, rows)
        done(rows, path)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, ExportError | ServiceError | OSError):
            warn(parent, str(exc), title)
        else:
            raise exc

    return run_in_background(parent, f"正在{title}", lambda _progress: write(path), written, failed)


def audit_export(parent: QWidget, services: Services, title: str, path: Path, rows: int) -> None:
    """Record that data left the program (等保: exports are audited); a failure is said."""
    try:
        services.audit.record_event(
            "export", f"{title}：{path.name}", {"file": str(path), "rows": rows}
        )
    except ServiceError as exc:
        warn(parent, f"文件已导出，但导出记录未能保存：{exc}", title)


def exported_text(rows: int, path: Path) -> str:
    return f"已导出 {rows:,} 行到 {path}"
