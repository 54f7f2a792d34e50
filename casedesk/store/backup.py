"""Backups with the SQLite online backup API (never a file copy: a copy of a live WAL database
can miss committed pages)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy the database at ``source`` into a new file ``destination`` and verify it."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            ok = dst.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if ok != "ok":
        partial.unlink(missing_ok=True)
        raise OSError(f"备份文件校验失败：{ok}")
    partial.replace(destination)
    return destination


def backup_before_upgrade(path: Path, revision: str, backup_dir: Path) -> Path:
    """A backup of ``path`` named after its schema revision and the time, before an upgrade."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return backup_sqlite(path, backup_dir / f"{path.stem}-升级前-{revision}-{stamp}.sqlite3")
