"""The command line's own errors in Chinese (casedesk/cli/common.py, ChineseArgumentParser):
an unknown option, a missing argument, an invalid choice … in any sub-command print that
sub-command's usage and “错误：” with a Chinese message on stderr, and exit with code 2; nothing
of argparse's English is left."""

from __future__ import annotations

import argparse
import re

import pytest

from casedesk.cli.common import ChineseArgumentParser
from casedesk.cli.main import build_parser, main

CJK = re.compile(r"[\u3400-\u9fff]")
#: What argparse says in English (any of it left = not translated).
ENGLISH = re.compile(
    r"usage:|error:|invalid choice|required|unrecognized|expected|ambiguous|not allowed"
    r"|ignored explicit|positional arguments|options:|show this help"
)


def refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[str, str]:
    """(usage line, error line) of a refused command line; exit code 2, nothing on stdout."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    out = capsys.readouterr()
    assert stopped.value.code == 2
    assert out.out == ""
    assert not ENGLISH.search(out.err), out.err
    lines = out.err.strip().splitlines()
    assert lines[0].startswith("用法：casedesk"), out.err
    assert lines[-1].startswith("错误：") and CJK.search(lines[-1][3:]), out.err
    return lines[0], lines[-1]


@pytest.mark.parametrize(
    ("argv", "usage", "error"),
    [
        # an unknown sub-command / action: invalid choice, with the choices
        (["nosuch"], "casedesk [-h]", "错误：子命令的值“nosuch”无效，可选：validate、"),
        (["audit", "frob"], "casedesk audit", "错误：操作的值“frob”无效，可选：verify"),
        (["validate", "foo", "1"], "casedesk validate",
         "错误：kind（标识种类）的值“foo”无效，可选：case-number、credit-code、id-number"),
        (["export-document", "--sample", "x", "--format", "odt", "out.odt"],
         "casedesk export-document", "错误：--format的值“odt”无效，可选：docx、pdf"),
        # missing arguments: named as in the usage, with what they are
        (["validate"], "casedesk validate",
         "错误：缺少必需的参数：kind（标识种类）、value（要校验的值）"),
        (["validate", "case-number"], "casedesk validate",
         "错误：缺少必需的参数：value（要校验的值）"),
        (["audit"], "casedesk audit", "错误：缺少必需的参数：操作"),
        (["demo"], "casedesk demo", "错误：缺少必需的参数：--cases"),
        (["restore"], "casedesk restore", "错误：缺少必需的参数：BACKUP（备份文件）"),
        (["export-document", "out.pdf"], "casedesk export-document",
         "错误：须给出以下参数之一：--sample、--id"),
        # an option without its value
        (["--db"], "casedesk [-h]", "错误：--db 后面需要一个值"),
        (["stalled", "--db"], "casedesk stalled", "错误：--db 后面需要一个值"),
        (["board", "--as-of"], "casedesk board", "错误：--as-of 后面需要一个值"),
        # unknown options
        (["--bogus"], "casedesk [-h]", "错误：无法识别的参数：--bogus"),
        (["validate", "case-number", "1", "--bogus"], "casedesk [-h]",
         "错误：无法识别的参数：--bogus"),
        (["stalled", "--bogus", "-q"], "casedesk [-h]", "错误：无法识别的参数：--bogus -q"),
        # values of the wrong kind, options that exclude each other, an abbreviation
        (["demo", "--cases", "1", "--seed", "abc"], "casedesk demo",
         "错误：--seed的值“abc”不是有效的整数"),
        (["demo", "--cases", "abc"], "casedesk demo", "错误：--cases：应为正整数，实为“abc”"),
        (["validate", "case-number", "1", "--json=yes"], "casedesk validate",
         "错误：--json 不接受值（“yes”）"),
        (["export-document", "--sample", "a", "--id", "b", "o.pdf"], "casedesk export-document",
         "错误：--id 不能与 --sample 同时使用"),
        (["deadline", "--c"], "casedesk deadline",
         "错误：选项 --c 不明确，可能是：--custody、--criminal"),
    ],
)  # fmt: skip
def test_argparse_errors_are_said_in_chinese(
    capsys: pytest.CaptureFixture[str], argv: list[str], usage: str, error: str
) -> None:
    usage_line, error_line = refused(capsys, argv)
    assert usage_line.startswith(f"用法：{usage}")
    assert error_line.startswith(error), error_line


def _sub_commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", sorted(_sub_commands()))
def test_every_sub_command_refuses_an_unknown_option_in_chinese(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Whatever it lacks or does not know comes first, the message is Chinese; a sub-command
    with actions of its own (audit verify) too."""
    argv = [command, "verify"] if command == "audit" else [command]
    usage, error = refused(capsys, [*argv, "--no-such-option"])
    assert usage.startswith("用法：casedesk")
    assert "--no-such-option" in error or "缺少必需的参数" in error or "须给出" in error


@pytest.mark.parametrize("command", ["", *sorted(_sub_commands())])
def test_help_is_in_chinese(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*([command] if command else []), "--help"])
    out = capsys.readouterr().out
    assert stopped.value.code == 0
    assert out.startswith("用法：casedesk") and "显示本帮助并退出" in out
    assert not ENGLISH.search(out), out


@pytest.mark.parametrize(
    ("message", "chinese"),
    [
        # Python 3.11 quotes the choices; 3.12 and later do not
        ("argument kind: invalid choice: 'x' (choose from 'case-number', 'id-number')",
         "kind（标识种类）的值“x”无效，可选：case-number、id-number"),
        ("argument kind: invalid choice: 'x' (choose from case-number, id-number)",
         "kind（标识种类）的值“x”无效，可选：case-number、id-number"),
        # 3.12 and later name a positional with choices by them
        ("the following arguments are required: {case-number,id-number}, value",
         "缺少必需的参数：{case-number,id-number}（标识种类）、value（要校验的值）"),
        ("argument --n: expected 2 arguments", "--n 需要 2 个值"),
        ("argument --n: expected at least one argument", "--n 至少需要一个值"),
        ("argument --n: expected at most one argument", "--n 最多接受一个值"),
        ("argument --n: invalid float value: 'a'", "--n的值“a”不是有效的数字"),
        ("one of the arguments --a --b is required", "须给出以下参数之一：--a、--b"),
        ("argument --n: something new", "--n：参数有误（something new）"),
        ("something new", "命令行参数有误（something new）"),
        ("数据库文件不存在", "数据库文件不存在"),  # a sub-command's own message is kept
    ],
)  # fmt: skip
def test_the_translation_table(message: str, chinese: str) -> None:
    parser = ChineseArgumentParser(prog="casedesk validate")
    parser.add_argument("kind", choices=["case-number", "id-number"], help="标识种类")
    parser.add_argument("value", help="要校验的值")
    assert parser.in_chinese(message) == chinese


def test_a_value_starting_with_a_dash_is_a_value_only_where_asked() -> None:
    """``dash_values`` (validate): anything that is not the parser's own option is a value;
    elsewhere a dash still starts an option."""
    values = ChineseArgumentParser(dash_values=True)
    values.add_argument("value")
    values.add_argument("--json", action="store_true")
    assert vars(values.parse_args(["-x", "--json"])) == {"value": "-x", "json": True}
    assert vars(values.parse_args(["--", "--json"])) == {"value": "--json", "json": False}
    options = ChineseArgumentParser()
    options.add_argument("value")
    with pytest.raises(SystemExit):
        options.parse_args(["-x"])
