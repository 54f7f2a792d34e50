"""The open database and its main window for as long as the app runs: the daily backup taken off
the UI thread at the first start of a day, a restore from the app (close, restore, reopen in a new
window), and closing down."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from casedesk.services import backups
from casedesk.services.app import Services
from casedesk.services.backups import BackupDone, BackupService
from casedesk.services.errors import ServiceError
from casedesk.ui.accounts.session import sign_in_at_start
from casedesk.ui.qt import QApplication, QMessageBox, QObject, QThreadPool, Signal
from casedesk.ui.settings import app_settings

if TYPE_CHECKING:
    from casedesk.ui.main_window import MainWindow

log = logging.getLogger("casedesk")


class _BackupRelay(QObject):
    """Hands the daily backup's outcome from its thread to the UI thread."""

    done = Signal(object)
    failed = Signal(object)


class Workspace(QObject):
    """The open database and its main window. A restore closes both, replaces the file with the
    database closed, then opens it again: a new Services and a new MainWindow over the restored
    file (the old window and its pages, which held the old session factory, are discarded)."""

    def __init__(self, services: Services):
        super().__init__()
        self.services = services
        self.window: MainWindow | None = None
        self._daily: threading.Thread | None = None
        self._cancel = backups.Cancel()
        self._relay = _BackupRelay()
        self._relay.done.connect(self._daily_done)
        self._relay.failed.connect(self._daily_failed)

    def show(self) -> MainWindow:
        from casedesk.ui.main_window import MainWindow

        window = MainWindow(self.services, app_settings())
        window.restore_requested.connect(self.restore)
        window.show()
        if self.services.db.checked:
            window.statusBar().showMessage(
                "上次未正常关闭：已检查数据库完整性，未发现问题。", 30_000
            )
        self.window = window
        return window

    # -- the daily backup ---------------------------------------------------------------------
    def start_daily_backup(self) -> None:
        """On the first start of a day, back up off the UI thread and say so in the status bar."""
        service = BackupService.for_services(self.services)
        try:
            due = service.daily_due()
        except OSError:
            due = True
        if not due or self.window is None:
            return
        self.window.statusBar().showMessage("正在进行今日自动备份…")

        def run() -> None:
            try:
                self._relay.done.emit(service.daily_backup(cancel=self._cancel))
            except Exception as exc:  # reported on the UI thread
                self._relay.failed.emit(exc)

        self._daily = threading.Thread(target=run, name="casedesk-daily-backup")
        self._daily.start()

    def _daily_done(self, done: BackupDone | None) -> None:
        if self.window is not None and done is not None:
            self.window.statusBar().showMessage(
                f"今日自动备份已完成并通过校验：{done.path}（{done.size / 1_048_576:.1f} MB）",
                30_000,
            )

    def _daily_failed(self, exc: BaseException) -> None:
        log.warning("自动备份失败：%s", exc)
        if self.window is None or self._cancel.cancelled:
            return
        self.window.statusBar().showMessage(f"自动备份失败：{exc}", 60_000)
        QMessageBox.warning(
            self.window,
            "自动备份失败",
            f"今日自动备份没有完成：{exc}\n\n可在“管理 → 备份与恢复”中更改备份文件夹或立即备份。",
        )

    def wait_for_backup(self, cancel: bool = False) -> None:
        """Wait for the daily backup; with ``cancel`` stop it first (its integrity check stops
        at once; a stopped backup is not kept, and the next start of the day takes it again)."""
        if self._daily is not None:
            if cancel:
                self._cancel()
            self._daily.join()
            self._daily = None

    # -- restore ------------------------------------------------------------------------------
    def restore(self, backup: str) -> None:
        """Close the window and the database, restore ``backup`` into the file (kept aside
        first), then open the file again in a new window."""
        from casedesk.ui.app import busy, open_services  # the start's open (app.py imports us)

        app = QApplication.instance()
        old = self.window
        if old is None:
            return
        app.setQuitOnLastWindowClosed(False)
        try:
            if not old.close():
                return  # unsaved work the user chose to keep: nothing done
            self.wait_for_backup(cancel=True)
            QThreadPool.globalInstance().waitForDone()
            path = self.services.path
            self.services.close()
            restored = None
            try:
                restored = busy("正在校验并恢复备份…", lambda: backups.restore(Path(backup), path))
            except ServiceError as exc:
                QMessageBox.warning(None, "无法恢复", str(exc))
            services = open_services(path)
            who = self.services.identity.user  # signed in before: sign in to the restored file
            if services is None or (who and not sign_in_at_start(services, who.login)):
                app.quit()
                return
            self.services = services
            if restored is not None:
                BackupService.for_services(services).record_restore(restored)
            window = self.show()
            old.deleteLater()
            if restored is not None:
                aside = f"，原文件另存为 {restored.aside.name}" if restored.aside else ""
                window.statusBar().showMessage(
                    f"已从备份 {restored.backup.name} 恢复{aside}", 60_000
                )
        finally:
            app.setQuitOnLastWindowClosed(True)

    def close(self) -> None:
        self.wait_for_backup(cancel=True)
        QThreadPool.globalInstance().waitForDone()
        self.services.accounts.sign_out()
        self.services.close()
