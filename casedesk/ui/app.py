"""Starting the desktop app: Qt set up for Chinese, the database opened (or a clear message with
the choices that make sense when it cannot be: restore the newest good backup, retry, open
another, quit; the key of an encrypted file asked for), the main window shown through the
:class:`~casedesk.ui.workspace.Workspace` (which also takes the daily backup and restores from the
app), the audit chain's quick check, demo data offered on a new database."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from casedesk.cli.common import data_dir
from casedesk.domain.errors import FieldErrors
from casedesk.services import backups
from casedesk.services.app import Services
from casedesk.services.backups import BackupFile, BackupService, Restored
from casedesk.services.errors import ServiceError
from casedesk.store.database import (
    DamagedDatabase,
    EncryptedDatabase,
    LockedDatabase,
    StoreError,
    UpgradeBackupFailed,
    WrongKey,
    closed_uncleanly,
)
from casedesk.ui.accounts.session import sign_in_at_start
from casedesk.ui.open_key import ask_key
from casedesk.ui.qt import (
    QApplication,
    QFileDialog,
    QFont,
    QLibraryInfo,
    QMessageBox,
    QObject,
    QProgressDialog,
    QTimer,
    QTranslator,
    QWidget,
    Signal,
)
from casedesk.ui.workspace import Workspace

T = TypeVar("T")

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
        if isinstance(exc, ServiceError):  # a refusal (e.g. not permitted) no dialog caught
            log.info("未被界面处理的拒绝：%s", exc)
            QMessageBox.warning(None, "无法完成", str(exc))
            return
        log.error("未处理的错误\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        QMessageBox.critical(
            None,
            "程序出错",
            f"CaseDesk 遇到意外错误：{exc}\n\n已保存的数据不受影响。"
            f"详细信息已记入日志：\n{log_path}",
        )

    sys.excepthook = hook


def busy(text: str, work: Callable[[], T]) -> T:
    """Run ``work`` off the UI thread and return its result (or raise its error). Quick work
    shows nothing; after half a second a busy dialog says what is going on."""
    outcome: dict[str, Any] = {}
    finished = threading.Event()
    relay = _Relay()

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the UI thread below
            outcome["error"] = exc
        finished.set()
        relay.finished.emit()

    thread = threading.Thread(target=run, name="casedesk-busy")
    thread.start()
    if not finished.wait(0.5):
        dialog = QProgressDialog(text, "", 0, 0)
        dialog.setWindowTitle("CaseDesk")
        dialog.setCancelButton(None)
        relay.finished.connect(dialog.accept)  # queued to the UI thread: the dialog receives it
        if not finished.is_set():  # else the signal went before it was connected
            dialog.exec()
        dialog.deleteLater()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


class _Relay(QObject):
    finished = Signal()


def _open(path: Path) -> Services:
    """Services.open with the backup folder of the settings (for the backup before an upgrade).
    Off the UI thread: the check after an unclean close or an upgrade can take seconds."""
    folder = backups.load_settings().folder_for(path)
    text = "正在打开数据库…"
    if path.is_file() and closed_uncleanly(path):
        text = "数据库上次未正常关闭（或正被另一个 CaseDesk 使用），正在检查完整性…"
    return busy(text, lambda: Services.open(path, backup_dir=folder))


def _when(backup: BackupFile) -> str:
    return backup.taken_at.strftime("%Y年%m月%d日 %H:%M")


def _ask(path: Path, exc: StoreError, backup: BackupFile | None) -> str:
    """The refusal with the choices that make sense for it: "restore", "retry", "folder",
    "other" or "quit"."""
    text = str(exc)
    if backup is not None:
        text += (
            f"\n\n最近的完好备份：{backup.name}（{_when(backup)}，{backup.kind}备份）。"
            "恢复前会先做完整性校验；当前文件将改名为“…替换前-日期-时间”保留，不会被修改或删除。"
        )
    box = QMessageBox(QMessageBox.Icon.Warning, "无法打开数据库", text)
    choices = {}
    if backup is not None:
        choices["restore"] = box.addButton(
            "从最近的完好备份恢复", QMessageBox.ButtonRole.AcceptRole
        )
    if isinstance(exc, LockedDatabase | UpgradeBackupFailed):
        choices["retry"] = box.addButton("重试", QMessageBox.ButtonRole.AcceptRole)
    if isinstance(exc, UpgradeBackupFailed):
        choices["folder"] = box.addButton("更改备份文件夹…", QMessageBox.ButtonRole.AcceptRole)
    choices["other"] = box.addButton("打开其他数据库…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return next((k for k, b in choices.items() if box.clickedButton() is b), "quit")


def _choose_backup_folder(path: Path) -> None:
    settings = backups.load_settings()
    name = QFileDialog.getExistingDirectory(None, "选择备份文件夹", str(settings.folder_for(path)))
    if not name:
        return
    try:
        backups.write_settings(replace(settings, folder=Path(name)), path)
    except (FieldErrors, ServiceError) as exc:
        QMessageBox.warning(None, "无法使用该文件夹", str(exc))


def open_services(path: Path) -> Services | None:
    """Open the database; when it cannot be opened, say why and offer what makes sense: restore
    the newest good backup (a damaged file), retry (a locked file), another file, or quit. An
    encrypted file asks for its key first (again after a wrong one)."""
    rejected: list[Path] = []  # backups that failed their full check in this session
    restored: Restored | None = None
    while True:
        try:
            services = _open(path)
        except StoreError as exc:
            wrong = isinstance(exc, WrongKey)
            if (wrong or isinstance(exc, EncryptedDatabase)) and ask_key(path, wrong):
                continue  # the key is held for the file: the next try opens with it
            backup = None
            if isinstance(exc, DamagedDatabase):
                backup = backups.newest_good_backup(path, exclude=rejected)
            choice = _ask(path, exc, backup)
            if choice == "retry":
                continue
            if choice == "folder":
                _choose_backup_folder(path)
                continue
            if choice == "restore" and backup is not None:
                restored = _restore_at_start(path, backup, rejected)
                continue
            if choice != "other":
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
            path, rejected, restored = Path(name), [], None
            continue
        if restored is not None:
            BackupService.for_services(services).record_restore(restored)
        return services


def _restore_at_start(path: Path, backup: BackupFile, rejected: list[Path]) -> Restored | None:
    try:
        restored = busy(f"正在校验并恢复备份“{backup.name}”…",
                         lambda: backups.restore(backup.path, path))  # fmt: skip
    except ServiceError as exc:
        rejected.append(backup.path)
        QMessageBox.warning(None, "无法恢复", str(exc))
        return None
    aside = f"\n损坏的文件已改名保留为：{restored.aside}（未作修改）。" if restored.aside else ""
    QMessageBox.information(
        None, "已恢复", f"已从备份“{backup.name}”（{_when(backup)}）恢复数据库。{aside}"
    )
    return restored


def _peak_rss_kb() -> int:
    try:
        import resource
    except ImportError:  # Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def warn_if_audit_broken(parent: QWidget | None, services: Services) -> bool:
    """The start-up quick check of the audit chain (a few ms); says what broke where. True when
    the chain is whole."""
    check = services.audit.quick_check()
    if not check.ok:
        QMessageBox.warning(
            parent, "审计记录校验未通过",
            f"{check.message}\n\n请勿继续修改数据，并请管理员用“casedesk audit verify”全面检查。",
        )  # fmt: skip
    return check.ok


def run_app(db_path: Path) -> int:
    started = time.perf_counter()
    app = QApplication.instance() or QApplication(sys.argv)
    setup_application(app)
    _install_excepthook(_setup_logging())
    services = open_services(db_path)
    if services is None:
        return 2
    probing = bool(os.environ.get(STARTUP_PROBE))  # the bench measures the start, no sign-in
    if not probing and not sign_in_at_start(services):
        services.close()
        return 2
    workspace = Workspace(services)
    window = workspace.show()
    if probing:  # no daily backup: the probe measures the start alone
        app.processEvents()
        print(f"CASEDESK_SHOWN {time.perf_counter() - started:.4f} {_peak_rss_kb()}", flush=True)
        QTimer.singleShot(0, app.quit)
    else:
        QTimer.singleShot(0, workspace.start_daily_backup)
        QTimer.singleShot(0, lambda: warn_if_audit_broken(window, services))
        if services.is_empty() and services.identity.may("admin.settings"):
            QTimer.singleShot(0, lambda: window.data.offer_demo(first_start=True))
        else:
            QTimer.singleShot(0, window.announce_overdue)
    code = app.exec()
    workspace.close()
    return code
