"""Backups as the administrator sees them: settings, backup now, the daily backup, the list, and
restore (with the database closed) — the UI and the command line call this, never store/backup.

The settings live in a small JSON file in the user data folder, not in the database: the dialog
shown when a database cannot be opened needs the backup folder before any database is open.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs

from casedesk.domain.errors import FieldErrors
from casedesk.services.base import Service
from casedesk.services.errors import ServiceError
from casedesk.store import backup as store
from casedesk.store import backup_files as files
from casedesk.store import cipher
from casedesk.store.backup import BackupError, Cancel, Progress, Restored
from casedesk.store.backup_files import DAILY, MANUAL, UPGRADE, BackupFile, Rotation

__all__ = [
    "DAILY",
    "MANUAL",
    "UPGRADE",
    "BackupError",
    "BackupFile",
    "BackupService",
    "BackupSettings",
    "Cancel",
    "Restored",
    "newest_good_backup",
    "restore",
]  # fmt: skip

SETTINGS_FILE = "backup-settings.json"
#: What an administrator may choose for each rotation count: (smallest, largest).
LIMITS = {"daily": (1, 60), "weekly": (0, 52), "monthly": (0, 120)}
LABELS = {"daily": "按天保留", "weekly": "按周保留", "monthly": "按月保留"}


def settings_path() -> Path:
    """The settings file in the user data folder (the folder of cli.common.data_dir)."""
    return platformdirs.user_data_path("CaseDesk", appauthor=False) / SETTINGS_FILE


@dataclass(frozen=True)
class BackupSettings:
    folder: Path | None = None  # None: a "backups" folder next to the database
    daily: int = 7
    weekly: int = 4
    monthly: int = 12

    @property
    def rotation(self) -> Rotation:
        return Rotation(self.daily, self.weekly, self.monthly)

    def folder_for(self, database: Path) -> Path:
        return self.folder if self.folder is not None else Path(database).parent / "backups"


@dataclass(frozen=True)
class BackupDone:
    path: Path
    size: int
    removed: tuple[Path, ...]  # older backups the rotation deleted


def load_settings(config: Path | None = None) -> BackupSettings:
    """The saved settings; the defaults when there is no file or it cannot be read."""
    try:
        raw = json.loads((config or settings_path()).read_text(encoding="utf-8"))
        folder = raw.get("folder") or None
        counts = {k: int(raw.get(k, getattr(BackupSettings, k))) for k in LIMITS}
    except (OSError, ValueError, TypeError, AttributeError):
        return BackupSettings()
    if any(not lo <= counts[k] <= hi for k, (lo, hi) in LIMITS.items()):
        return BackupSettings(Path(folder) if folder else None)
    return BackupSettings(Path(folder) if folder else None, **counts)


def check_writable(folder: Path) -> None:
    """Create ``folder`` if needed and write a test file in it; FieldErrors when that fails."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".casedesk-test-"):
            pass
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise FieldErrors(
            {"folder": f"文件夹“{folder}”无法写入（{why}）。设置未更改，请选择其他文件夹。"}
        ) from exc


def check_settings(folder_text: str, daily: str, weekly: str, monthly: str) -> BackupSettings:
    """Typed values → settings, or FieldErrors in Chinese at each field ("" folder = default)."""
    errors: dict[str, str] = {}
    counts: dict[str, int] = {}
    for key, text in (("daily", daily), ("weekly", weekly), ("monthly", monthly)):
        lo, hi = LIMITS[key]
        try:
            counts[key] = int(str(text).strip())
        except ValueError:
            errors[key] = f"{LABELS[key]}份数应为整数（{lo}到{hi}）"
            continue
        if not lo <= counts[key] <= hi:
            errors[key] = f"{LABELS[key]}份数应在{lo}到{hi}之间"
    folder = folder_text.strip()
    if folder and not Path(folder).expanduser().is_absolute():
        errors["folder"] = "请填写完整路径（如 D:\\CaseDesk备份），或留空使用默认文件夹"
    if errors:
        raise FieldErrors(errors)
    return BackupSettings(Path(folder).expanduser() if folder else None, **counts)


def write_settings(settings: BackupSettings, database: Path, config: Path | None = None) -> None:
    """Check that the folder can be written, then write the settings file atomically."""
    check_writable(settings.folder_for(database))
    target = config or settings_path()
    data = {
        "folder": str(settings.folder) if settings.folder else None,
        "daily": settings.daily,
        "weekly": settings.weekly,
        "monthly": settings.monthly,
    }
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".backup-settings-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
        os.replace(tmp, target)
    except OSError as exc:
        raise ServiceError(f"无法保存备份设置（{exc.strerror or exc}）。设置未更改。") from exc


def search_folders(database: Path, config: Path | None = None) -> list[Path]:
    """Where backups of ``database`` may be: the chosen folder, and the default next to it
    (backups taken before an upgrade by a command that was not told the chosen folder)."""
    chosen = load_settings(config).folder_for(database)
    return list(dict.fromkeys([chosen, Path(database).parent / "backups"]))


def newest_good_backup(
    database: Path, config: Path | None = None, exclude: Sequence[Path] = ()
) -> BackupFile | None:
    """The newest backup of ``database`` that opens as a CaseDesk file (usable with no database
    open: the damaged-file dialog asks this)."""
    return files.newest_good(search_folders(database, config), Path(database), exclude)


def restore(backup: Path, database: Path, progress: Progress | None = None) -> Restored:
    """Restore ``backup`` into ``database``, which must be closed; the current file is kept
    aside. Raises :class:`ServiceError` with the reason, nothing changed."""
    try:
        return store.restore_backup(Path(backup), Path(database), progress)
    except BackupError as exc:
        raise ServiceError(str(exc)) from exc


class BackupService(Service):
    """Backups of the open database, acting as ``actor``; ``config`` names the settings file.
    Changing the settings, backing up on demand and restoring are the administrator's
    (``admin.backup`` / ``admin.restore`` in the permission table)."""

    def __init__(self, db, actor, config: Path | None = None):  # type: ignore[no-untyped-def]
        super().__init__(db, actor)
        self.config = config

    @classmethod
    def for_services(cls, services: Any) -> BackupService:
        """The service acting as whoever ``services`` acts as (the signed-in user)."""
        return cls(services.db, getattr(services, "identity", services.actor))

    def settings(self) -> BackupSettings:
        return load_settings(self.config)

    def folder(self) -> Path:
        return self.settings().folder_for(self.db.path)

    def save_settings(self, folder: str, daily: str, weekly: str, monthly: str) -> BackupSettings:
        """Check and save the settings (audited in the open database)."""
        self._require("admin.backup")
        old, new = self.settings(), check_settings(folder, daily, weekly, monthly)
        write_settings(new, self.db.path, self.config)
        changes = {
            k: (str(getattr(old, k) or ""), str(getattr(new, k) or ""))
            for k in ("folder", "daily", "weekly", "monthly")
            if getattr(old, k) != getattr(new, k)
        }
        if changes:
            with self._uow() as uow:
                uow.audit("update", "backup_settings", "backup_settings", "备份设置", changes)
                uow.commit()
        return new

    def list(self) -> list[BackupFile]:
        """The backups of this database in the backup folder, newest first."""
        return files.list_backups(self.folder(), self.db.path)

    def backup_now(self, progress: Progress | None = None) -> BackupDone:
        """A verified backup on demand, then the rotation; audited like an export of all data."""
        self._require("admin.backup")
        done = self._take(MANUAL, datetime.now(), progress)
        with self._uow() as uow:
            uow.audit("backup", "database", "database", f"备份到 {done.path}"[:200],
                      {"file": (None, done.path.name), "size": (None, done.size)})  # fmt: skip
            uow.commit()
        return done

    def daily_due(self, now: datetime | None = None) -> bool:
        """No backup of this database was taken today (any kind counts)."""
        day = (now or datetime.now()).date()
        return not files.has_backup_on(self.folder(), self.db.path, day)

    def daily_backup(
        self, now: datetime | None = None, cancel: Cancel | None = None
    ) -> BackupDone | None:
        """The automatic backup at the first start of a day (None when one exists already)."""
        if not self.daily_due(now):
            return None
        return self._take(DAILY, now or datetime.now(), None, cancel)

    def check_restore(self, backup: Path) -> str:
        """Before the app closes the database for a restore: may this user restore, and is
        ``backup`` a CaseDesk backup at all (the cheap checks)? Returns its schema revision. The
        backup of an encrypted database must open with its key."""
        self._require("admin.restore")
        try:
            return store.check_restorable(Path(backup), cipher.key_for(self.db.path))
        except BackupError as exc:
            raise ServiceError(str(exc)) from exc

    def rotate(self) -> list[Path]:
        settings = self.settings()
        return files.rotate(settings.folder_for(self.db.path), self.db.path, settings.rotation)

    def record_restore(self, restored: Restored) -> None:
        """Audit a restore in the restored database, once it is open again."""
        aside = restored.aside.name if restored.aside else None
        with self._uow() as uow:
            uow.audit("restore", "database", "database", f"从备份恢复：{restored.backup.name}",
                      {"backup": (None, str(restored.backup)), "kept_aside": (None, aside),
                       "revision": (None, restored.revision)})  # fmt: skip
            uow.commit()

    def _take(
        self, kind: str, when: datetime, progress: Progress | None, cancel: Cancel | None = None
    ) -> BackupDone:
        settings = self.settings()
        folder = settings.folder_for(self.db.path)
        try:
            path = store.take_backup(self.db.path, folder, kind, when, progress, cancel)
        except BackupError as exc:
            raise ServiceError(str(exc)) from exc
        removed = files.rotate(folder, self.db.path, settings.rotation)
        return BackupDone(path, path.stat().st_size, tuple(removed))
