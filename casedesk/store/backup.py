"""Backups with the SQLite online backup API (never a file copy: a copy of a live WAL database
can miss committed pages or mix old and new ones), verified, and restored.

A backup is written to ``NAME.partial``, checked with ``PRAGMA integrity_check`` and only then
renamed: a file with a backup's name is always complete and was good when written. Every check
here opens backups read-only and "immutable", so no -wal/-shm appear in the backup folder. Names,
listing and rotation: :mod:`casedesk.store.backup_files`.

An encrypted database (SQLCipher) is backed up into a file keyed with the same key (and the same
salt) before the copy, so its backups are encrypted with its key; they are checked and restored
with that key, and a backup the key does not open is refused. ``key=None`` everywhere means the
key remembered for the database (:mod:`casedesk.store.cipher`), ``""`` none.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from casedesk.store import cipher
from casedesk.store.backup_files import STAMP, UPGRADE, backup_name, usable
from casedesk.store.database import (
    EncryptedDatabase,
    NotEncrypted,
    StoreError,
    WrongKey,
    inspect_file,
)

#: Pages copied per step when progress is reported (4 MiB at the default page size).
STEP_PAGES = 1024
SIDE_FILES = ("-wal", "-shm", "-journal")
Progress = Callable[[int, int], None]


class BackupError(OSError):
    """A backup or a restore could not be done; ``str(error)`` is a Chinese message. Nothing was
    changed: no half-written backup is left, no existing backup or database was touched."""


def _folder_error(folder: Path, exc: BaseException) -> BackupError:
    why = getattr(exc, "strerror", None) or str(exc)
    return BackupError(f"备份文件夹“{folder}”无法写入（{why}）。未作任何改动，请选择其他文件夹。")


_READ_ONLY = "mode=ro&immutable=1"


def _key(path: Path, key: str | None) -> str | None:
    return cipher.key_for(path) if key is None else (key or None)


class Cancel:
    """Lets another thread stop a backup (the app closing): the integrity check stops at once,
    the copy (one step, a few seconds even for a big file) at its end; nothing is kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watched: set[sqlite3.Connection] = set()
        self.cancelled = False

    def __call__(self) -> None:
        with self._lock:
            self.cancelled = True
            for conn in self._watched:
                conn.interrupt()

    def check(self) -> None:
        if self.cancelled:
            raise BackupError("备份已取消，未保存。")

    @contextlib.contextmanager
    def watching(self, conn: sqlite3.Connection) -> Iterator[None]:
        with self._lock:
            self._watched.add(conn)
        try:
            yield
        finally:
            with self._lock:
                self._watched.discard(conn)


def integrity_problems(
    path: Path, limit: int = 5, cancel: Cancel | None = None, key: str | None = None
) -> list[str]:
    """``PRAGMA integrity_check`` of a closed file, read-only: [] when it is sound. An encrypted
    file is checked with ``key``."""
    cancel = cancel or Cancel()
    try:
        conn = cipher.open_file(path, _key(path, key), _READ_ONLY)
        try:
            with cancel.watching(conn):
                cancel.check()
                rows = [r[0] for r in conn.execute(f"PRAGMA integrity_check({int(limit)})")]
        finally:
            conn.close()
    except cipher.errors() as exc:
        cancel.check()
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def backup_sqlite(
    source: Path,
    destination: Path,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    key: str | None = None,
) -> Path:
    """Copy the database at ``source`` into a new file ``destination`` and verify it.

    The copy is a snapshot (one read transaction) unless ``progress`` is given: then it goes in
    steps of :data:`STEP_PAGES` pages, and a write by another connection between two steps makes
    SQLite start over, so use progress only while nothing else writes. An encrypted ``source``
    (``key``, default: its remembered key) gives a backup encrypted with the same key.
    """
    key = _key(source, key)
    folder = destination.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _folder_error(folder, exc) from exc
    if cancel is not None:
        cancel.check()
    partial = destination.with_name(destination.name + ".partial")
    try:
        partial.unlink(missing_ok=True)
        dst = cipher.open_file(partial, key, salt=cipher.read_salt(source))
    except (OSError, *cipher.errors()) as exc:
        raise _folder_error(folder, exc) from exc
    try:
        _copy_from(source, dst, progress, key)
    except cipher.errors() as exc:
        dst.close()
        _remove(partial)
        if "disk" in str(exc) and "full" in str(exc):
            raise _folder_error(folder, exc) from exc
        raise BackupError(
            f"读取数据库“{source.name}”时出错（{exc}），数据库可能已损坏。未写入备份。"
        ) from exc
    dst.close()
    try:
        problems = integrity_problems(partial, cancel=cancel, key=key or "")
    except BackupError:
        _remove(partial)
        raise
    if problems:
        _remove(partial)
        raise BackupError(
            f"备份校验未通过（{'；'.join(problems[:3])}）：数据库“{source.name}”可能已损坏。"
            "未保存这份备份，已有的备份未作改动；请从最近的完好备份恢复。"
        )
    try:
        partial.replace(destination)
    except OSError as exc:
        _remove(partial)
        raise _folder_error(folder, exc) from exc
    return destination


def _copy_from(
    source: Path, dst: sqlite3.Connection, progress: Progress | None, key: str | None
) -> None:
    """Back up ``source`` into ``dst``. The source connection may not write (query_only); it is
    an ordinary connection so that, closing last, SQLite removes the -wal/-shm it made. In a
    folder that cannot be written it falls back to a read-only connection."""
    if not source.is_file():
        raise sqlite3.OperationalError(f"找不到数据库文件 {source}")
    try:
        src = cipher.open_file(source, key)
        try:
            src.execute("PRAGMA query_only=1")
            src.backup(dst, **_steps(progress))
            return
        finally:
            src.close()
    except cipher.errors() as exc:
        if "readonly" not in str(exc) and "unable to open" not in str(exc):
            raise
    src = cipher.open_file(source, key, "mode=ro")
    try:
        src.backup(dst, **_steps(progress))
    finally:
        src.close()


def _steps(progress: Progress | None) -> dict[str, Any]:
    """The backup in one step (a snapshot), or in steps reporting (pages done, pages)."""
    if progress is None:
        return {}
    return {
        "pages": STEP_PAGES,
        "sleep": 0,
        "progress": lambda _status, left, total: progress(total - left, total),
    }


def _remove(*paths: Path) -> None:
    """Delete files we wrote (and SQLite's side files of them); what cannot be deleted stays."""
    for path in paths:
        for side in ("", *SIDE_FILES):
            with contextlib.suppress(OSError):
                Path(f"{path}{side}").unlink(missing_ok=True)


def take_backup(
    database: Path,
    folder: Path,
    kind: str,
    when: datetime | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    key: str | None = None,
) -> Path:
    """A verified backup of ``database`` in ``folder``, named for its kind and time."""
    name = backup_name(database, kind, when or datetime.now())
    return backup_sqlite(database, folder / name, progress, cancel, key)


def backup_before_upgrade(
    path: Path, revision: str, backup_dir: Path, key: str | None = None
) -> Path:
    """A backup of ``path`` named after its schema revision and the time, before an upgrade."""
    name = backup_name(path, UPGRADE, datetime.now(), revision)
    key = _key(path, key)
    if key:
        return backup_sqlite(path, backup_dir / name, key=key)
    return backup_sqlite(path, backup_dir / name)


# -- restore ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    target: Path
    backup: Path
    revision: str
    aside: Path | None  # where the replaced file now is (None when there was none)


def check_restorable(backup: Path, key: str | None = None) -> str:
    """The schema revision of a CaseDesk backup that may be restored, or :class:`BackupError`.
    With ``key`` (the database's) the backup must be encrypted with it; without, not encrypted."""
    if not backup.is_file():
        raise BackupError(f"找不到备份文件“{backup}”。未作任何改动。")
    try:
        inspect_file(backup, key=key or "")
    except WrongKey as exc:
        raise BackupError(
            f"备份“{backup.name}”无法用当前数据库的密钥打开：密钥不正确或文件不是加密的 "
            "CaseDesk 数据库。未作任何改动，请选择用同一密钥加密的备份。"
        ) from exc
    except NotEncrypted as exc:
        raise BackupError(
            f"备份“{backup.name}”没有加密，而当前数据库是加密的：恢复它会使数据库不再加密。"
            "未作任何改动。"
        ) from exc
    except EncryptedDatabase as exc:
        raise BackupError(
            f"备份“{backup.name}”已加密：此数据库已加密，请输入密钥（命令行中用环境变量 "
            "CASEDESK_KEY 提供）。未作任何改动。"
        ) from exc
    except StoreError:
        pass  # said below, as for any backup
    revision, problem = usable(backup, key or "")
    if revision is None or problem:
        raise BackupError(f"“{backup.name}”不是可用的 CaseDesk 备份：{problem}。未作任何改动。")
    return revision


def in_use_elsewhere(path: Path) -> bool:
    """Another process has the WAL database at ``path`` open (Linux: each SQLite connection
    holds a read lock on byte 128 of the ``-shm`` file; F_GETLK asks without taking it). On
    Windows a file in use cannot be renamed, which the restore reports instead."""
    shm = Path(f"{path}-shm")
    if not sys.platform.startswith("linux") or not shm.exists():
        return False
    import fcntl
    import struct

    layout = "hhqqi4x"  # struct flock on Linux: type, whence, start, len, pid
    try:
        with shm.open("rb") as fh:
            query = struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, 128, 1, 0)
            answer = fcntl.fcntl(fh.fileno(), fcntl.F_GETLK, query)
    except OSError:
        return False
    return struct.unpack(layout, answer)[0] != fcntl.F_UNLCK


def aside_name(target: Path, when: datetime) -> Path:
    """``casedesk.替换前-20260105-101500.sqlite3`` next to ``casedesk.sqlite3`` (never taken)."""
    base = f"{target.stem}.替换前-{when.strftime(STAMP)}"
    candidate, n = target.with_name(base + target.suffix), 1
    while any(Path(f"{candidate}{s}").exists() for s in ("", *SIDE_FILES)):
        n += 1
        candidate = target.with_name(f"{base}-{n}{target.suffix}")
    return candidate


def restore_backup(
    backup: Path,
    target: Path,
    progress: Progress | None = None,
    now: datetime | None = None,
    key: str | None = None,
) -> Restored:
    """Replace the database at ``target`` (which must be closed) with ``backup``.

    The backup is checked first (a CaseDesk file this version can open, ``integrity_check``
    passed) and written with the backup API next to the target. Only then is the current file
    renamed aside, its ``-wal``/``-shm`` with it (the WAL first, so no WAL of the old file can
    ever sit beside the restored one), and the new file renamed into place. The old file is
    never modified. Any refusal leaves everything as it was. ``key`` (default: the key
    remembered for ``target``) must open the backup; the restored file is encrypted with it.
    """
    backup, target = Path(backup).resolve(), Path(target).expanduser().resolve()
    if backup == target:
        raise BackupError("不能用数据库文件自身恢复自身。未作任何改动。")
    key = _key(target, key)
    revision = check_restorable(backup, key)
    problems = integrity_problems(backup, key=key or "")
    if problems:
        raise BackupError(
            f"备份“{backup.name}”已损坏（完整性校验未通过：{'；'.join(problems[:3])}）。"
            "未作任何改动，请选择其他备份。"
        )
    if in_use_elsewhere(target):
        raise BackupError(
            f"数据库“{target.name}”正被其他程序（可能是另一个 CaseDesk）打开，不能替换。"
            "请先关闭它。未作任何改动。"
        )
    incoming = target.with_name(target.name + ".restoring")
    _remove(incoming)
    try:
        src = cipher.open_file(backup, key, _READ_ONLY)
        try:
            dst = cipher.open_file(incoming, key, salt=cipher.read_salt(backup))
            try:
                src.backup(dst, **_steps(progress))
            finally:
                dst.close()
        finally:
            src.close()
    except (OSError, *cipher.errors()) as exc:
        _remove(incoming)
        raise _folder_error(target.parent, exc) from exc
    written = integrity_problems(incoming, 1, key=key or "")
    if written:
        _remove(incoming)
        raise BackupError(f"写入的恢复文件校验未通过（{written[0]}）。未作任何改动。")
    aside = _move_aside(target, now or datetime.now(), incoming)
    try:
        incoming.replace(target)
    except OSError as exc:
        _move_back(target, aside)
        _remove(incoming)
        raise _folder_error(target.parent, exc) from exc
    return Restored(target, backup, revision, aside)


def _move_aside(target: Path, when: datetime, incoming: Path) -> Path | None:
    """Rename the target with its side files (side files first); undo on failure."""
    present = [s for s in SIDE_FILES if Path(f"{target}{s}").exists()]
    if not target.exists() and not present:
        return None
    aside = aside_name(target, when)
    moved: list[str] = []
    try:
        for side in [*present, ""]:
            if side == "" and not target.exists():
                continue
            os.replace(f"{target}{side}", f"{aside}{side}")
            moved.append(side)
    except OSError as exc:
        for side in reversed(moved):
            os.replace(f"{aside}{side}", f"{target}{side}")
        _remove(incoming)
        raise BackupError(
            f"无法把当前数据库“{target.name}”改名保留（{exc.strerror or exc}），"
            "它可能正被其他程序使用。未作任何改动。"
        ) from exc
    return aside


def _move_back(target: Path, aside: Path | None) -> None:
    if aside is None:
        return
    for side in ("", *SIDE_FILES):
        if Path(f"{aside}{side}").exists():
            os.replace(f"{aside}{side}", f"{target}{side}")
