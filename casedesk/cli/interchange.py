"""``casedesk export-cases [--db PATH] OUT.jsonl`` and
``casedesk import-cases [--db PATH] IN.jsonl``: the case interchange file (docs/interchange.md)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from casedesk.cli.common import db_parent, fail, resolve_db_path
from casedesk.services.app import Services
from casedesk.services.errors import ServiceError
from casedesk.services.interchange import export_cases, import_cases
from casedesk.store.database import StoreError

#: Warnings printed after a successful import; the rest are counted.
SHOWN_WARNINGS = 20


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export-cases",
        parents=[db_parent()],
        help="把全部案件导出为案件交换文件（JSON Lines）",
        description="按案号顺序把全部未删除的案件导出为案件交换文件。成功时退出码为 0。",
    )
    p.add_argument("out", metavar="OUT.jsonl", help="要写入的文件（已存在时将被替换）")
    p.set_defaults(func=run_export)
    p = sub.add_parser(
        "import-cases",
        parents=[db_parent()],
        help="从案件交换文件（JSON Lines）导入案件",
        description="先检查文件的每一行；全部无误才导入（一次事务），有任何一行有误则不导入任何数据。"
        "退出码：0 已导入，1 文件被拒绝（每行问题列在标准错误输出），2 无法执行。",
    )
    p.add_argument("src", metavar="IN.jsonl", help="要导入的案件交换文件")
    p.set_defaults(func=run_import)


def run_export(args: argparse.Namespace) -> int:
    path = resolve_db_path(getattr(args, "db", None))
    if not path.exists():
        return fail(f"数据库文件“{path}”不存在")
    started = time.perf_counter()
    try:
        services = Services.open(path)
        try:
            count = export_cases(services.db, Path(args.out))
        finally:
            services.close()
    except (StoreError, ServiceError) as exc:
        return fail(str(exc))
    print(f"已导出 {count} 件案件到“{args.out}”，用时 {time.perf_counter() - started:.1f} 秒。")
    return 0


def run_import(args: argparse.Namespace) -> int:
    path = resolve_db_path(getattr(args, "db", None))
    try:
        services = Services.open(path)
        try:
            report = import_cases(services.db, services.actor, Path(args.src))
        finally:
            services.close()
    except (StoreError, ServiceError) as exc:
        return fail(str(exc))
    if not report.ok:
        print(report.summary(), file=sys.stderr)  # names the problem when there is only one
        for error in report.errors if len(report.errors) > 1 else ():
            print(f"  {error}", file=sys.stderr)
        return 1
    print(report.summary())
    for warning in report.warnings[:SHOWN_WARNINGS]:
        print(f"  注意：{warning}")
    if len(report.warnings) > SHOWN_WARNINGS:
        print(f"  另有 {len(report.warnings) - SHOWN_WARNINGS} 条提示未列出。")
    return 0
