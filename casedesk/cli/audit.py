"""``casedesk audit verify [--db PATH]``: walk the audit chain and name the first broken record
(docs/audit.md). The database is opened read-only and never changed."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from casedesk.cli.common import db_parent, fail, resolve_db_path
from casedesk.store import cipher
from casedesk.store.audit_chain import check_anchor, verify_chain
from casedesk.store.database import StoreError, inspect_file, read_only


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "audit",
        help="审计记录：校验审计链",
        description="审计记录的防篡改校验。",
    )
    actions = p.add_subparsers(dest="audit_command", metavar="操作", required=True)
    v = actions.add_parser(
        "verify",
        parents=[db_parent()],
        help="按顺序校验全部审计记录的哈希链，指出第一条被破坏的记录",
        description="逐条重新计算每条审计记录的哈希值并核对与上一条的链接，最后核对链头。"
        "数据库以只读方式打开，不作任何改动。"
        "退出码：0 审计链完整，1 审计链被破坏（指出第一条断点），2 无法执行。",
    )
    v.add_argument(
        "--anchor",
        metavar="编号:哈希",
        action="append",
        default=[],
        help="此前留存的链头（校验结果中的“链头：第 N 条，哈希 …”）：核对该条记录的哈希值未变，"
        "以发现被整体改写的审计链。可多次给出",
    )
    v.set_defaults(func=run_verify)


def _anchors(values: list[str]) -> list[tuple[int, str]]:
    anchors = []
    for value in values:
        number, _, digest = value.partition(":")
        if not number.strip().isdigit() or len(digest.strip()) != 64:
            raise ValueError(f"留存的链头“{value}”格式不对，应为“编号:64位哈希值”")
        anchors.append((int(number), digest.strip()))
    return anchors


def run_verify(args: argparse.Namespace) -> int:
    path = resolve_db_path(getattr(args, "db", None))
    try:
        anchors = _anchors(args.anchor)
    except ValueError as exc:
        return fail(str(exc))
    if not path.exists():
        return fail(f"数据库文件“{path}”不存在")
    try:
        revision = inspect_file(path)
    except StoreError as exc:
        return fail(str(exc))
    if revision is None:
        return fail(f"“{path}”是空文件，不是 CaseDesk 数据库")
    shown = sys.stderr.isatty()

    def progress(checked: int) -> None:
        if shown:
            print(f"\r正在校验……已校验 {checked:,} 条", end="", file=sys.stderr, flush=True)

    try:
        with read_only(path) as conn:
            if not conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'audit_chain_head'"
            ).fetchone():
                return fail(
                    f"数据库“{path.name}”（结构版本 {revision}）尚未启用审计链：用 CaseDesk "
                    "打开一次即会升级，并按顺序为已有的审计记录建立哈希链。"
                )
            report = verify_chain(conn, progress)
            if report.ok:
                for record_id, digest in anchors:
                    broken = check_anchor(conn, record_id, digest)
                    if broken is not None:
                        report = dataclasses.replace(report, broken=broken)
                        break
    except cipher.database_errors() as exc:
        return fail(f"读取数据库“{path.name}”失败（{exc}）。文件未作任何改动。")
    finally:
        if shown:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
    print(f"数据库：{path}")
    print(report.summary())
    b = report.broken
    if b is not None:
        if b.record_id is not None:
            print(f"第一条断点：第 {b.record_id} 条记录，时间 {b.at}（UTC），操作人 {b.actor}")
        print(f"情况：{b.kind_name}")
        return 1
    if anchors:
        print(f"留存的链头（{len(anchors)} 个）均与现有记录相符。")
    return 0
