"""Entry point of ``casedesk``: without a sub-command it opens the desktop app.

The sub-commands are imported when the parser is built, after :func:`derive_key_ahead` has
started deriving the key of an encrypted database (``CASEDESK_KEY``): importing them (and
SQLAlchemy, the services …) takes longer than the derivation, which runs meanwhile.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

from casedesk import __version__
from casedesk.cli.common import ENV_DB, ChineseArgumentParser, derive_key_ahead, resolve_db_path

#: The modules of casedesk/cli that register sub-commands, in the order of the help.
COMMANDS = ("validate", "interchange", "demo", "deadlines", "stalled", "documents", "backup",
            "audit", "encrypt")  # fmt: skip


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="casedesk",
        description="CaseDesk 涉企案件办案台。不带子命令时打开桌面程序。",
    )
    parser.add_argument(
        "--version", action="version", version=f"CaseDesk {__version__}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--db", metavar="PATH", help=f"数据库文件（默认取环境变量 {ENV_DB}，否则为用户数据目录）"
    )
    sub = parser.add_subparsers(dest="command", metavar="子命令")
    for name in COMMANDS:
        importlib.import_module(f"casedesk.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    derive_key_ahead(argv)
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
