"""What the sub-commands share: where the database is, opening it, printing errors."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import platformdirs

ENV_DB = "CASEDESK_DB"
DB_FILENAME = "casedesk.sqlite3"


def data_dir() -> Path:
    """The user data folder (Linux ~/.local/share/CaseDesk, Windows %LOCALAPPDATA%\\CaseDesk)."""
    return platformdirs.user_data_path("CaseDesk", appauthor=False)


def resolve_db_path(arg: str | None) -> Path:
    """``--db PATH``, else ``$CASEDESK_DB``, else the database in the user data folder."""
    if arg:
        return Path(arg).expanduser()
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    return data_dir() / DB_FILENAME


def db_parent() -> argparse.ArgumentParser:
    """A parent parser adding ``--db`` to a sub-command."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=f"数据库文件（默认取环境变量 {ENV_DB}，否则为用户数据目录中的 {DB_FILENAME}）",
    )
    return parent


def fail(message: str, code: int = 2) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return code


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=None, default=str))
