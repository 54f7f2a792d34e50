"""``casedesk backup [--db PATH] [OUT]`` and ``casedesk restore BACKUP [--db PATH]``: a verified
backup with the SQLite backup API, and a restore that keeps the current file aside first."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from casedesk.cli.common import db_parent, fail, resolve_db_path
from casedesk.services import backups
from casedesk.services.app import Services
from casedesk.services.errors import ServiceError
from casedesk.store.backup import BackupError, backup_sqlite
from casedesk.store.backup_files import MANUAL, backup_name
from casedesk.store.database import StoreError, inspect_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup",
        help="备份数据库（SQLite 在线备份，写完后做完整性校验）",
        description="用 SQLite 在线备份接口备份数据库，写完后用 PRAGMA integrity_check 校验。"
        "给出 OUT 时写入该文件（OUT 是文件夹时在其中按名称规则命名）；"
        "省略 OUT 时写入备份设置中的备份文件夹，并按设置轮换旧备份。",
        parents=[db_parent()],
    )
    p.add_argument("out", nargs="?", metavar="OUT", help="备份文件或文件夹")
    p.set_defaults(func=run_backup)
    r = sub.add_parser(
        "restore",
        help="从备份恢复数据库（当前文件先改名保留）",
        description="校验备份（是 CaseDesk 备份且完整性校验通过）后，用 SQLite 在线备份接口写回"
        "数据库文件。当前文件连同其 -wal/-shm 先改名为“名称.替换前-日期-时间.sqlite3”保留，"
        "不删除、不修改。数据库正被使用时拒绝恢复。",
        parents=[db_parent()],
    )
    r.add_argument("backup", metavar="BACKUP", help="备份文件")
    r.set_defaults(func=run_restore)


def _source(args: argparse.Namespace) -> Path | str:
    """The database to back up, checked read-only; a message string when it cannot be."""
    path = resolve_db_path(getattr(args, "db", None)).resolve()
    if not path.is_file():
        return f"数据库文件“{path}”不存在"
    try:
        if inspect_file(path) is None:
            return f"“{path}”是空文件，没有可备份的内容"
    except StoreError as exc:
        return str(exc)
    return path


def run_backup(args: argparse.Namespace) -> int:
    path = _source(args)
    if isinstance(path, str):
        return fail(path)
    try:
        if args.out is None:
            services = Services.open(path, backup_dir=backups.load_settings().folder_for(path))
            try:
                done = backups.BackupService.for_services(services).backup_now()
            finally:
                services.close()
            out, removed = done.path, len(done.removed)
        else:
            out = Path(args.out).expanduser()
            if out.is_dir():
                out = out / backup_name(path, MANUAL, datetime.now())
            if out.exists():
                return fail(f"文件“{out}”已存在，未覆盖。请换一个文件名。")
            backup_sqlite(path, out)
            removed = 0
    except (StoreError, ServiceError, BackupError) as exc:
        return fail(str(exc))
    print(f"已备份到：{out}（{out.stat().st_size:,} 字节，完整性校验通过）")
    if removed:
        print(f"按轮换规则删除了 {removed} 份较旧的备份")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    path = resolve_db_path(getattr(args, "db", None)).expanduser().resolve()
    try:
        restored = backups.restore(Path(args.backup).expanduser(), path)
    except ServiceError as exc:
        return fail(str(exc))
    print(f"已从备份“{restored.backup}”恢复到：{restored.target}")
    if restored.aside is not None:
        print(f"原数据库已改名保留为：{restored.aside}")
    try:  # the restore is recorded in the restored database (upgrading it if it is older)
        settings = backups.load_settings()
        services = Services.open(path, backup_dir=settings.folder_for(path))
        try:
            backups.BackupService.for_services(services).record_restore(restored)
        finally:
            services.close()
    except (StoreError, ServiceError) as exc:
        return fail(f"已恢复，但打开恢复后的数据库时出错：{exc}", 1)
    return 0
