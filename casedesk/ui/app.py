"""Starting the desktop app: Qt set up for Chinese, the database opened (or a clear message with
choices when it cannot be), the main window shown, demo data offered on a new database."""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType

from casedesk.cli.common import data_dir
from casedesk.services.app import Services
from casedesk.store.database import StoreError
from casedesk.ui.qt import (
    QApplication,
    QFileDialog,
    QFont,
    QLibraryInfo,
    QMessageBox,
    QTimer,
    QTranslator,
)
from casedesk.ui.settings import app_settings

#: When set, the app prints the seconds from process start to the shown window and quits
#: (used by ``make bench``).
STARTUP_PROBE = "CASEDESK_STARTUP_PROBE"
UI_FONTS = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
            "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei"]  # fmt: skip
log = logging.getLogger("casedesk")


def setup_application(app: QApplication) -> None:
    """Names, Chinese translations of Qt's own dialogs, and a CJK UI font."""
    app.setApplicationName("CaseDesk")
    app.setOrganizationName("CaseDesk")
    app.setApplicationDisplayName("CaseDesk 涉企案件办案台")
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, translations):
            app.installTranslator(translator)
    font = QFont(app.font())
    font.setFamilies([*UI_FONTS, font.family()])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)


def _setup_logging() -> Path:
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "casedesk.log"
    logging.basicConfig(
        filename=path, level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
    )
    return path


def _install_excepthook(log_path: Path) -> None:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("未处理的错误\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        QMessageBox.critical(
            None,
            "程序出错",
            f"CaseDesk 遇到意外错误：{exc}\n\n已保存的数据不受影响。"
            f"详细信息已记入日志：\n{log_path}",
        )

    sys.excepthook = hook


def open_services(path: Path) -> Services | None:
    """Open the database; when it cannot be opened, say why and offer another file or quit."""
    while True:
        try:
            return Services.open(path)
        except StoreError as exc:
            box = QMessageBox(QMessageBox.Icon.Warning, "无法打开数据库", str(exc))
            other = box.addButton("打开其他数据库…", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not other:
                return None
            name, _ = QFileDialog.getSaveFileName(
                None,
                "选择或新建数据库",
                str(path.parent),
                "CaseDesk 数据库 (*.sqlite3);;所有文件 (*)",
                options=QFileDialog.Option.DontConfirmOverwrite,
            )
            if not name:
                return None
            path = Path(name)


def _peak_rss_kb() -> int:
    try:
        import resource
    except ImportError:  # Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_app(db_path: Path) -> int:
    started = time.perf_counter()
    app = QApplication.instance() or QApplication(sys.argv)
    setup_application(app)
    _install_excepthook(_setup_logging())
    services = open_services(db_path)
    if services is None:
        return 2
    from casedesk.ui.main_window import MainWindow

    window = MainWindow(services, app_settings())
    window.show()
    if os.environ.get(STARTUP_PROBE):
        app.processEvents()
        print(f"CASEDESK_SHOWN {time.perf_counter() - started:.4f} {_peak_rss_kb()}", flush=True)
        QTimer.singleShot(0, app.quit)
    elif services.is_empty():
        QTimer.singleShot(0, lambda: window.data.offer_demo(first_start=True))
    else:
        QTimer.singleShot(0, window.announce_overdue)
    code = app.exec()
    services.close()
    return code
