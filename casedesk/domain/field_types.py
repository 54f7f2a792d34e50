"""The first check of every draft: each field holds a value of its declared type.

A form always hands the checks text, dates and numbers; a file being imported, a script or a
bug may hand them anything — None where text belongs, a number, a list, a date and time where a
date belongs, text holding a lone surrogate (no character at all: it can be neither stored nor
printed), a whole number beyond the database's 64 bits. Those are refused here, naming the
field, before any rule looks at them: a rule (or the database) that met them would crash
instead of answering.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any

from casedesk.domain.errors import FieldErrors
from casedesk.domain.identifiers.result import has_surrogate

#: How a type is named to the user.
_EXPECTED = {
    str: "文字",
    int: "整数",
    bool: "“是”或“否”",
    date: "日期",
    datetime: "日期和时刻",
    type(None): "空",
}


_COLLECTIONS = (tuple, list, frozenset, set)


def _actual(value: object) -> str:
    """What the user (or the file) gave, in words: never its repr."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "“是”或“否”"
    if isinstance(value, int):
        return "数字"
    if isinstance(value, float):
        return "小数"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, datetime):
        return "日期和时刻"
    if isinstance(value, date):
        return "日期"
    if isinstance(value, _COLLECTIONS):
        return "一组值"
    if isinstance(value, dict):
        return "键值对"
    if isinstance(value, bytes | bytearray):
        return "二进制数据"
    return "无法识别的值"


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _options(hint: Any) -> tuple[Any, ...]:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return typing.get_args(hint)
    return (hint,)


def _fits(value: object, hint: Any) -> bool:
    """Whether ``value`` is of type ``hint`` at the top level (items are checked apart)."""
    for option in _options(hint):
        origin = typing.get_origin(option) or option
        if option is type(None):
            if value is None:
                return True
        elif origin is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return True
        elif origin is date:
            if isinstance(value, date) and not isinstance(value, datetime):
                return True
        elif origin in _COLLECTIONS:  # a list where a tuple is declared is the same to the rules
            if isinstance(value, _COLLECTIONS):
                return True
        elif isinstance(origin, type) and isinstance(value, origin):
            return True
    return False


def _item_hint(hint: Any) -> Any | None:
    """The type of the items of a ``tuple[X, ...]`` or ``frozenset[X]`` field (None: none)."""
    for option in _options(hint):
        args = typing.get_args(option)
        if typing.get_origin(option) in _COLLECTIONS and args:
            return args[0]
    return None


def _expected(hint: Any) -> str:
    names = []
    for option in _options(hint):
        origin = typing.get_origin(option) or option
        if origin in _EXPECTED:
            names.append(_EXPECTED[origin])
        elif origin in _COLLECTIONS:
            names.append("一组值")
        else:
            names.append("一项记录")
    shown = [n for n in names if n != "空"]
    return "、".join(shown) + ("（或不填）" if "空" in names else "")


def _problem(value: object, hint: Any) -> str:
    """Why ``value`` does not fit ``hint`` ("" when it fits), items and nested records included."""
    if not _fits(value, hint):
        return f"内容类型有误：应为{_expected(hint)}，实为{_actual(value)}"
    if isinstance(value, str):
        if has_surrogate(value):
            return "含有无法识别的字符（不完整的编码），请删除后重新输入"
        return ""
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        return "数值过大，超出可以保存的范围"
    item = _item_hint(hint)
    if item is not None and isinstance(value, _COLLECTIONS):
        for n, each in enumerate(value, start=1):
            if why := _problem(each, item):
                return f"第{n}项{why}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return next(iter(type_errors(value).values()), "")
    return ""


def type_errors(draft: object) -> dict[str, str]:
    """Field → why its value is not of the field's declared type (empty: all fit)."""
    hints = _hints(type(draft))
    errors: dict[str, str] = {}
    for f in dataclasses.fields(draft):  # type: ignore[arg-type]
        if why := _problem(getattr(draft, f.name), hints[f.name]):
            errors[f.name] = why
    return errors


def check_types(draft: object) -> None:
    """Refuse (``FieldErrors`` naming each field) a draft holding a value of the wrong type."""
    if errors := type_errors(draft):
        raise FieldErrors(errors)


def text_problem(value: object) -> str:
    """Why ``value`` cannot be taken as text ("" when it can): another type, a lone surrogate."""
    return _problem(value, str)


def day_problem(value: object) -> str:
    """Why ``value`` cannot be taken as a date ("" when it can, None included)."""
    return _problem(value, date | None)


def check_text_arg(name: str, value: object, label: str) -> None:
    """The same for one text argument that is not part of a draft."""
    if why := text_problem(value):
        raise FieldErrors({name: f"{label}{why}"})
