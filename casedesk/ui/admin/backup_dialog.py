"""管理 → 备份与恢复: the backup folder and rotation counts (refused at their field, e.g. a folder
that cannot be written), the backups of this database with date, kind, schema version and size,
立即备份 off the UI thread with progress, and 从备份恢复… — after a confirmation the dialog closes
and the main window asks the app to close the database, restore and open it again."""

from __future__ import annotations

from pathlib import Path

from casedesk.services.backups import BackupDone, BackupFile, BackupService
from casedesk.services.errors import ServiceError
from casedesk.ui.ops import Failed, attempt, warn
from casedesk.ui.qt import (
    QAbstractItemView,
    QDesktopServices,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from casedesk.ui.tasks import run_in_background
from casedesk.ui.widgets.buttons import close_button
from casedesk.ui.widgets.fields import HINT_STYLE, FieldGrid

EXPLANATION = (
    "备份用 SQLite 在线备份接口写入（不是复制文件），写完后做完整性校验"
    "（PRAGMA integrity_check），校验通过才保留。每天第一次启动时自动备份一次，"
    "升级数据库结构前也自动备份。轮换：保留最近若干天每天最新的一份、若干周每周一份、"
    "若干月每月一份，更早的自动删除（升级前的备份保留最近 3 份）。"
    "建议把备份文件夹设在另一块磁盘或移动存储上：磁盘损坏时，同一块磁盘上的备份也会一并丢失。"
)
COLUMNS = ["时间", "类型", "结构版本", "大小", "状态", "文件名"]


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size / 1024:.0f} KB"


class BackupDialog(QDialog):
    def __init__(self, services, parent: QWidget | None = None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setWindowTitle("备份与恢复")
        self.setObjectName("backupDialog")
        self.service = BackupService.for_services(services)
        self.database = services.path
        #: The backup the administrator confirmed to restore (the caller restores it).
        self.restore_from: Path | None = None
        self.last_backup: BackupDone | None = None
        self.backups: list[BackupFile] = []
        settings = self.service.settings()
        intro = QLabel(EXPLANATION)
        intro.setWordWrap(True)
        intro.setStyleSheet(HINT_STYLE)
        self.folder = QLineEdit(str(settings.folder) if settings.folder else "")
        self.folder.setObjectName("backupFolder")
        self.folder.setPlaceholderText(f"默认：{self.database.parent / 'backups'}")
        choose = QPushButton("选择…")
        choose.clicked.connect(self.choose_folder)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.folder, 1)
        line.addWidget(choose)
        self.counts = {}
        self.grid = FieldGrid()
        self.grid.add("folder", "备份文件夹", row, hint="留空则使用数据库旁的 backups 文件夹")
        for key, label, value in (("daily", "按天保留（份）", settings.daily),
                                  ("weekly", "按周保留（份）", settings.weekly),
                                  ("monthly", "按月保留（份）", settings.monthly)):  # fmt: skip
            edit = QLineEdit(str(value))
            edit.setObjectName(f"keep_{key}")
            edit.setMaxLength(4)
            self.counts[key] = edit
            self.grid.add(key, label, edit)
        save = QPushButton("保存设置")
        save.setObjectName("saveBackupSettings")
        save.clicked.connect(self.save_settings)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("backupTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel("")
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        self.backup_button = QPushButton("立即备份")
        self.backup_button.setObjectName("backupNow")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("从选中的备份恢复…")
        self.restore_button.setObjectName("restoreSelected")
        self.restore_button.clicked.connect(self.restore_selected)
        other = QPushButton("从其他备份文件恢复…")
        other.clicked.connect(self.restore_other)
        reveal = QPushButton("打开备份文件夹")
        reveal.clicked.connect(self.open_folder)
        actions = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, other, reveal):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.grid)
        layout.addWidget(save)
        layout.addWidget(QLabel(f"数据库“{self.database.name}”的备份："))
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(close_button(self.reject))
        self.resize(860, 620)
        self.reload()

    # -- settings ---------------------------------------------------------------------------------
    def choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(
            self, "选择备份文件夹", self.folder.text() or str(self.service.folder())
        )
        if name:
            self.folder.setText(name)

    def save_settings(self) -> bool:
        for name in ("folder", *self.counts):
            self.grid.clear(name)
        try:
            attempt(self, self.service.save_settings, self.folder.text(),
                    *(self.counts[k].text() for k in ("daily", "weekly", "monthly")),
                    grid=self.grid)  # fmt: skip
        except Failed:
            return False
        self.status.setText(f"备份设置已保存。备份文件夹：{self.service.folder()}")
        self.reload()
        return True

    # -- list -------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.backups = self.service.list()
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            cells = [b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), b.kind, b.revision or "—",
                     _size(b.size), b.problem or "可用", b.name]  # fmt: skip
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 4 and b.problem:
                    item.setToolTip(b.problem)
                self.table.setItem(row, col, item)
        self.restore_button.setEnabled(bool(self.backups))
        if self.backups:
            self.table.selectRow(0)

    def selected(self) -> BackupFile | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def open_folder(self) -> None:
        folder = self.service.folder()
        if not folder.is_dir():
            warn(self, f"备份文件夹“{folder}”还不存在：第一次备份时会创建它。")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- backup now -------------------------------------------------------------------------------
    def backup_now(self) -> None:
        self.backup_button.setEnabled(False)
        self.status.setText("正在备份…")
        self._task = run_in_background(
            self, "正在备份", lambda progress: self.service.backup_now(progress),
            self._backed_up, self._backup_failed,
        )  # fmt: skip

    def _backed_up(self, done: BackupDone) -> None:
        self.last_backup = done
        self.backup_button.setEnabled(True)
        removed = f"；按轮换规则删除了 {len(done.removed)} 份较旧的备份" if done.removed else ""
        self.status.setText(f"已备份并通过完整性校验：{done.path}（{_size(done.size)}）{removed}")
        self.reload()

    def _backup_failed(self, exc: BaseException) -> None:
        self.backup_button.setEnabled(True)
        self.status.setText(f"备份失败：{exc}")
        warn(self, str(exc), "备份失败")

    # -- restore ----------------------------------------------------------------------------------
    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            warn(self, "请先在列表中选中一份备份。")
            return
        if backup.problem:
            warn(self, f"这份备份不能用于恢复：{backup.problem}")
            return
        self._confirm(backup.path, backup.taken_at.strftime("%Y年%m月%d日 %H:%M"))

    def restore_other(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "选择备份文件", str(self.service.folder()),
            "CaseDesk 备份 (*.sqlite3);;所有文件 (*)",
        )  # fmt: skip
        if name:
            self._confirm(Path(name), "")

    def _confirm(self, backup: Path, when: str) -> None:
        try:
            self.service.check_restore(backup)
        except ServiceError as exc:
            warn(self, str(exc), "不能恢复")
            return
        dated = f"（{when}）" if when else ""
        answer = QMessageBox.question(
            self,
            "从备份恢复",
            f"用备份“{backup.name}”{dated}替换当前数据库“{self.database.name}”？\n\n"
            "恢复前会对备份做完整性校验。当前数据库文件将改名为"
            f"“{self.database.stem}.替换前-日期-时间{self.database.suffix}”保留，不会删除。"
            "恢复时程序会关闭并重新打开数据库：请先保存正在编辑的内容。"
            "备份之后录入的数据不在恢复后的数据库中。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from = backup
            self.accept()
