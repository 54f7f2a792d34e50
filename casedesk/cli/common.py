"""What the sub-commands share: the parser that speaks Chinese, where the database is, its key,
printing errors.

An encrypted database's key comes from the environment variable ``CASEDESK_KEY`` (for scripts;
``casedesk encrypt`` also asks for it): :func:`resolve_db_path`, which every sub-command calls,
holds it in memory for the database it names, so opening, backing up and restoring that database
use it. The key is never printed, logged or written anywhere. :func:`derive_key_ahead` starts
deriving that key before the sub-commands (and the app) are even imported.

argparse's own messages are English; :class:`ChineseArgumentParser`, the class of every parser of
``casedesk`` and its sub-commands, says them in Chinese (usage, help headings, errors).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

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


def derive_key_ahead(argv: Sequence[str]) -> None:
    """With ``$CASEDESK_KEY`` set, start deriving it for the database ``argv`` names (``--db``,
    else as :func:`resolve_db_path`) in the background, while the rest of CaseDesk is imported
    (~0.7 s): the open then finds the key ready. Only reads the file's first 16 bytes."""
    key = env_key()
    if not key:
        return
    db = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--db" and i + 1 < len(argv):
            db = argv[i + 1]
        elif arg.startswith("--db="):
            db = arg.removeprefix("--db=")
    cipher.derive_ahead(resolve_db_path(db, use_key=False), key)


def db_parent() -> argparse.ArgumentParser:
    """A parent parser adding ``--db`` to a sub-command."""
    parent = argparse.ArgumentParser(add_help=False)  # merged into the "选项" of its users
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


# -- argparse in Chinese --------------------------------------------------------------------------


class _ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


#: argparse's messages for an argument (after "argument NAME: ") → Chinese; {name} is the
#: argument, the other fields come from the pattern. Checked in turn; the first match wins.
_ARGUMENT_PROBLEMS = [
    (r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)",
     "{name}的值“{value}”无效，可选：{choices}"),
    (r"expected one argument", "{name} 后面需要一个值"),
    (r"expected at most one argument", "{name} 最多接受一个值"),
    (r"expected at least one argument", "{name} 至少需要一个值"),
    (r"expected (?P<count>\d+) arguments?", "{name} 需要 {count} 个值"),
    (r"invalid (?P<type>\w+) value: (?P<value>.*)", "{name}的值“{value}”不是有效的{type}"),
    (r"ignored explicit argument (?P<value>.*)", "{name} 不接受值（“{value}”）"),
    (r"not allowed with argument (?P<other>.*)", "{name} 不能与 {other} 同时使用"),
    (r"(?P<message>.*[\u3400-\u9fff].*)", "{name}：{message}"),  # a type's own Chinese message
]  # fmt: skip
#: argparse's other messages → Chinese.
_PROBLEMS = [
    (r"the following arguments are required: (?P<names>.*)", "缺少必需的参数：{names}"),
    (r"one of the arguments (?P<names>.*) is required", "须给出以下参数之一：{names}"),
    (r"unrecognized arguments: (?P<args>.*)", "无法识别的参数：{args}"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<names>.*)",
     "选项 {option} 不明确，可能是：{names}"),
]  # fmt: skip
_TYPES = {"int": "整数", "float": "数字"}


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ``argparse.ArgumentParser`` that speaks Chinese: “用法：”, Chinese help headings and
    ``-h``, and errors (unknown option, missing argument, invalid choice …) written as the usage
    followed by “错误：…” in Chinese, exit code 2. Sub-parsers are of the same class.

    ``dash_values=True``: every argument that is not one of this parser's options is a value,
    even one starting with a dash (``casedesk validate case-number -x``).
    """

    def __init__(self, *args: Any, dash_values: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _ChineseHelpFormatter)
        super().__init__(*args, **kwargs)
        self.dash_values = dash_values
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if self.add_help:
            self._option_string_actions["-h"].help = "显示本帮助并退出"

    def _parse_optional(self, arg_string: str) -> Any:
        if self.dash_values and arg_string.split("=", 1)[0] not in self._option_string_actions:
            return None  # a value
        return super()._parse_optional(arg_string)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{self.in_chinese(message)}\n")

    def in_chinese(self, message: str) -> str:
        """argparse's English ``message`` said in Chinese (a message already in Chinese, e.g. from
        a sub-command, is kept)."""
        argument = re.fullmatch(r"argument (?P<name>.+?): (?P<problem>.*)", message, re.S)
        if argument:
            name = self._label(argument["name"])
            for pattern, text in _ARGUMENT_PROBLEMS:
                if found := re.fullmatch(pattern, argument["problem"], re.S):
                    return text.format(name=name, **self._fields(found))
            return f"{name}：参数有误（{argument['problem']}）"
        for pattern, text in _PROBLEMS:
            if found := re.fullmatch(pattern, message, re.S):
                return text.format(**self._fields(found))
        if re.search(r"[\u3400-\u9fff]", message):
            return message
        return f"命令行参数有误（{message}）"

    def _fields(self, found: re.Match[str]) -> dict[str, str]:
        fields = {k: v for k, v in found.groupdict().items() if v is not None}
        if "value" in fields:
            fields["value"] = _unquote(fields["value"])
        if "choices" in fields:
            fields["choices"] = "、".join(_unquote(c.strip()) for c in fields["choices"].split(","))
        if "names" in fields:
            names = [n for n in re.findall(r"\{[^}]*\}|[^\s,]+", fields["names"]) if n != "or"]
            fields["names"] = "、".join(self._label(n) for n in names)
        if "type" in fields:
            fields["type"] = _TYPES.get(fields["type"], fields["type"])
        return fields

    def _label(self, name: str) -> str:
        """An argument as the user knows it: an option as typed, a positional with its help (its
        name in the usage may be an English placeholder such as ``value``)."""
        for action in self._actions:
            if action.option_strings:
                continue
            names = {action.dest, action.metavar if isinstance(action.metavar, str) else None}
            if action.choices:
                names.add("{" + ",".join(map(str, action.choices)) + "}")
            if name in names and action.help and action.help != argparse.SUPPRESS:
                about = action.help.split("（")[0]
                return name if re.search(r"[\u3400-\u9fff]", name) else f"{name}（{about}）"
        return name
