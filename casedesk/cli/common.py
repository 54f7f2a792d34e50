"""What the sub-commands share: where the database is, its key, opening it, printing errors.

An encrypted database's key comes from the environment variable ``CASEDESK_KEY`` (for scripts;
``casedesk encrypt`` also asks for it): :func:`resolve_db_path`, which every sub-command calls,
holds it in memory for the database it names, so opening, backing up and restoring that database
use it. The key is never printed, logged or written anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import platformdirs

from casedesk.store import cipher

ENV_DB = "CASEDESK_DB"
ENV_KEY = "CASEDESK_KEY"
DB_FILENAME = "casedesk.sqlite3"


def data_dir() -> Path:
    """The user data folder (Linux ~/.local/share/CaseDesk, Windows %LOCALAPPDATA%\\CaseDesk)."""
    return platformdirs.user_data_path("CaseDesk", appauthor=False)


def resolve_db_path(arg: str | None, use_key: bool = True) -> Path:
    """``--db PATH``, else ``$CASEDESK_DB``, else the database in the user data folder. With
    ``use_key`` a key in ``$CASEDESK_KEY`` is held (in memory) for that database."""
    if arg:
        path = Path(arg).expanduser()
    elif os.environ.get(ENV_DB):
        path = Path(os.environ[ENV_DB]).expanduser()
    else:
        path = data_dir() / DB_FILENAME
    key = env_key()
    if use_key and key:
        cipher.remember(path, key)
    return path


def env_key() -> str | None:
    """The key in ``$CASEDESK_KEY`` (None when unset or empty)."""
    return os.environ.get(ENV_KEY) or None


def db_parent() -> argparse.ArgumentParser:
    """A parent parser adding ``--db`` to a sub-command."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=f"数据库文件（默认取环境变量 {ENV_DB}，否则为用户数据目录中的 {DB_FILENAME}）；"
        f"加密的数据库的密钥取环境变量 {ENV_KEY}",
    )
    return parent


def fail(message: str, code: int = 2) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return code


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=None, default=str))
