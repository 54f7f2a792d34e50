"""Entry point of ``casedesk``: without a sub-command it opens the desktop app."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from casedesk import __version__
from casedesk.cli import audit as audit_cli
from casedesk.cli import backup as backup_cli
from casedesk.cli import deadlines, demo, documents, encrypt, interchange, stalled, validate
from casedesk.cli.common import ENV_DB, resolve_db_path

COMMANDS = [validate, interchange, demo, deadlines, stalled, documents, backup_cli, audit_cli,
            encrypt]  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casedesk",
        description="CaseDesk 涉企案件办案台。不带子命令时打开桌面程序。",
    )
    parser.add_argument("--version", action="version", version=f"CaseDesk {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help=f"数据库文件（默认取环境变量 {ENV_DB}，否则为用户数据目录）"
    )
    sub = parser.add_subparsers(dest="command", metavar="子命令")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from casedesk.ui.app import run_app

        return run_app(resolve_db_path(args.db))
    try:
        return int(args.func(args))
    except BrokenPipeError:  # output piped into head and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
