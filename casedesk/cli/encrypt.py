"""``casedesk encrypt [--db PATH] OUT``: an encrypted copy (SQLCipher) of a plain database;
``casedesk encrypt --new OUT``: a new, empty encrypted database. The key comes from
``CASEDESK_KEY`` or is asked twice (not shown while typed); it is never printed or stored."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from casedesk.cli.common import ENV_KEY, db_parent, env_key, fail, resolve_db_path
from casedesk.domain.errors import FieldErrors
from casedesk.store import cipher
from casedesk.store.backup import BackupError
from casedesk.store.database import StoreError, open_database

LOST_KEY = (
    "请妥善保管密钥：密钥丢失后数据库及其备份都无法打开，任何人（包括 CaseDesk 的开发者）"
    "都无法找回。"
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "encrypt",
        help="生成数据库的加密副本，或新建加密数据库（SQLCipher）",
        description="把未加密的数据库（--db）加密写入新文件 OUT，原数据库不作改动；"
        "或用 --new 在 OUT 新建一个空的加密数据库。密钥取环境变量 "
        f"{ENV_KEY}，未设置时提示输入两次（输入时不显示）。密钥至少 "
        f"{cipher.MIN_KEY_LENGTH} 个字符。需要安装加密组件：pip install 'casedesk[encryption]'。",
        parents=[db_parent()],
    )
    p.add_argument("out", metavar="OUT", help="加密数据库文件（不能已存在）")
    p.add_argument("--new", action="store_true", help="新建空的加密数据库，不复制 --db")
    p.set_defaults(func=run)


def read_new_key() -> str:
    """The key from ``$CASEDESK_KEY``, else typed twice; ValueError (Chinese) when it cannot
    be had or may not protect a database."""
    key = env_key()
    if key is None:
        if not sys.stdin.isatty():
            raise ValueError(f"请输入密钥：在终端中运行，或用环境变量 {ENV_KEY} 提供")
        key = getpass.getpass("请输入密钥（输入时不显示）：")
        if getpass.getpass("请再次输入密钥：") != key:
            raise ValueError("两次输入的密钥不一致，未作任何改动")
    problem = cipher.new_key_problem(key)
    if problem:
        raise ValueError(f"{problem}，未作任何改动")
    return key


def run(args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    if not cipher.available():
        return fail("没有安装加密组件 sqlcipher3（pip install 'casedesk[encryption]'）。")
    if out.exists() and out.stat().st_size > 0:
        return fail(f"文件“{out}”已存在，未覆盖。请换一个文件名。")
    try:
        key = read_new_key()
    except ValueError as exc:
        return fail(str(exc))
    if args.new:
        try:
            open_database(out, key=key).close()
        except StoreError as exc:
            return fail(str(exc))
        print(f"已新建加密数据库：{out.resolve()}")
        print(LOST_KEY)
        return 0
    source = resolve_db_path(getattr(args, "db", None), use_key=False)
    print("正在生成加密副本……", file=sys.stderr, flush=True)
    from casedesk.store.encrypt import encrypt_database

    try:
        written = encrypt_database(source, out, key)
    except FieldErrors as exc:
        return fail("；".join(exc.errors.values()))
    except (StoreError, BackupError) as exc:
        return fail(str(exc))
    print(f"已生成加密副本：{written}（{written.stat().st_size:,} 字节，完整性校验通过）")
    print(
        f"原数据库“{source}”未作改动，仍未加密。确认加密副本能用密钥打开后，"
        "请改用加密副本，并安全删除原文件及其未加密的备份。"
    )
    print(LOST_KEY)
    return 0
