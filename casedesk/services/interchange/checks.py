"""Reading typed values out of one line's JSON objects, collecting every problem by key path
(docs/interchange.md §4): the base of the case and deadline readers."""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from datetime import UTC, date, datetime
from typing import Any

from casedesk.domain.errors import FieldErrors
from casedesk.domain.periods import Period, PeriodError
from casedesk.services.interchange.format import KNOWN_KEYS, ReadContext

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$")
#: Case-draft error keys that differ from the file's key.
_CASE_KEYS = {"amount": "amount_fen", "costs": "costs_fen"}
_MAX_FEN = 2**63 - 1


class LineProblems(Exception):
    """A line that cannot be imported; ``problems`` are Chinese reasons, each naming its key."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("；".join(problems))


def loads(text: str) -> Any:
    """Parse one line; raises :class:`LineProblems` with a Chinese reason."""
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise LineProblems([f"不是有效的 JSON（第{exc.colno}列：{exc.msg}）"]) from None
    except (ValueError, RecursionError) as exc:
        raise LineProblems([f"不是有效的 JSON（{exc}）"]) from None
    if _SURROGATE_ESCAPE.search(text) and (where := _surrogate_at(value)) is not None:
        raise LineProblems([f"{where or '该行'}：含有无法识别的字符（不成对的 Unicode 代理项 "
                            "\\ud800–\\udfff），请在原系统中改正后重新导出"])  # fmt: skip
    return value


#: A ``\\uD800``–``\\uDFFF`` escape: valid JSON, but alone it is no character — it can be
#: neither stored in the database nor printed (a pair of them, an emoji, is fine).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _surrogate_at(value: Any) -> str | None:
    """The key path of the first text (a value, or a key: then its object's path) holding a
    lone surrogate; None when there is none."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= ch <= "\udfff" for ch in item):
                return path
        elif isinstance(item, dict):
            if any(any("\ud800" <= ch <= "\udfff" for ch in key) for key in item):
                return path
            stack.extend((join(path, k), v) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", v) for i, v in reversed(list(enumerate(item))))
    return None


def _no_constant(name: str) -> Any:
    raise ValueError(f"不允许 {name}")


class FieldReader:
    """Typed access to the objects of one line; the first problem per key path wins."""

    def __init__(self, ctx: ReadContext):
        self.ctx = ctx
        self.problems: dict[str, str] = {}
        self.unknown: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.setdefault(path, message)

    def field_errors(self, base: str, exc: FieldErrors) -> None:
        for key, message in exc.errors.items():
            self.problem(join(base, _CASE_KEYS.get(key, key) if not base else key), message)

    def known(self, obj: dict, path: str, kind: str) -> None:
        self.unknown.extend(join(path, k) for k in obj if k not in KNOWN_KEYS[kind])

    def text(self, obj: dict, path: str, key: str, required: bool = False) -> str:
        """A text value; missing, null or blank is "" (a problem when ``required``: a record
        without it would be dropped or kept half-empty)."""
        value = obj.get(key)
        if value is None:
            if required:
                self.problem(join(path, key), "缺少必填项")
            return ""
        if not isinstance(value, str):
            self.problem(join(path, key), f"应为文本，实为 {json_kind(value)}")
            return ""
        if required and not value.strip():
            self.problem(join(path, key), "缺少必填项")
        return value

    def clean(self, obj: dict, path: str, key: str, label: str, limit: int) -> str:
        """Trimmed text of at most ``limit`` characters, without control characters other than
        line breaks and tabs (as the entry forms check them)."""
        value = self.text(obj, path, key).strip()
        if len(value) > limit:
            self.problem(join(path, key), f"{label}过长（最多{limit}个字，实为{len(value)}个）")
        elif any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
            self.problem(join(path, key), f"{label}含有不可见的控制字符")
        return value

    def date(self, obj: dict, path: str, key: str, required: bool = False) -> date | None:
        value = self.text(obj, path, key, required)
        if not value:
            return None
        try:
            if not _ISO_DATE.match(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.problem(join(path, key), f"日期应为 YYYY-MM-DD 格式的有效日期，实为“{value}”")
            return None

    def moment(self, obj: dict, path: str, key: str) -> datetime:
        """A recording time in UTC (a time without offset is UTC); missing: the import's time."""
        value = self.text(obj, path, key)
        if not value:
            return self.ctx.now
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.problem(join(path, key), f"时间应为 ISO 8601 格式，实为“{value}”")
            return self.ctx.now
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    def local_time(self, obj: dict, path: str, key: str) -> datetime | None:
        """A local clock time without offset, ``YYYY-MM-DDTHH:MM`` (seconds allowed)."""
        value = self.text(obj, path, key)
        if not value:
            return None
        try:
            if not _LOCAL_TIME.match(value):
                raise ValueError
            return datetime.fromisoformat(value)
        except ValueError:
            self.problem(
                join(path, key),
                f"时刻应为 YYYY-MM-DDTHH:MM 格式的本地时间（不带时区），实为“{value}”",
            )
            return None

    def integer(self, obj: dict, path: str, key: str, default: int, minimum: int = 0) -> int:
        value = obj.get(key)
        if value is None:
            return default
        if not is_int(value) or value < minimum or value > 2**31 - 1:
            self.problem(join(path, key), f"应为不小于 {minimum} 的整数，实为 {json_kind(value)}")
            return default
        return value

    def fen(self, obj: dict, path: str, key: str, label: str) -> int | None:
        """An amount in 分: a non-negative integer, or None when missing or null."""
        value = obj.get(key)
        if value is None:
            return None
        if not is_int(value):
            self.problem(join(path, key), f"{label}应为整数（单位：分），实为 {json_kind(value)}")
            return None
        if value < 0:
            self.problem(join(path, key), f"{label}不能为负数")
            return None
        if value > _MAX_FEN:
            self.problem(join(path, key), f"{label}过大")
            return None
        return value

    def ident(self, obj: dict, path: str, key: str, required: bool = False) -> uuid.UUID | None:
        """A record's id (any UUID spelling), or None when missing or null."""
        value = self.text(obj, path, key, required)
        if not value:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            self.problem(join(path, key), f"“{value}”不是有效的编号（UUID）")
            return None

    def choice(
        self, obj: dict, path: str, key: str, label: str, choices: tuple[str, ...], **kw: Any
    ) -> str:
        """Text that must be one of ``choices`` ("" allowed unless ``required``; ``default``
        for a missing key)."""
        value = self.text(obj, path, key, kw.get("required", False)).strip()
        value = value or kw.get("default", "")
        if value and value not in choices:
            self.problem(join(path, key), f"“{value}”不是{label}，应为：{'、'.join(choices)}")
        return value

    def period(self, obj: dict, path: str, key: str, required: bool = False) -> str:
        """A period as the rules write it (6m, 1y, 30d, 12h, or 6个月 …), in the rules' spelling;
        "" when none."""
        value = self.text(obj, path, key, required).strip()
        if not value:
            return ""
        try:
            return Period.parse(value).spec
        except PeriodError as exc:
            self.problem(join(path, key), str(exc))
            return value

    def boolean(self, obj: dict, path: str, key: str, default: bool) -> bool:
        value = obj.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(join(path, key), f"应为 true 或 false，实为 {json_kind(value)}")
            return default
        return value

    def entries(self, obj: dict, path: str, key: str) -> list[tuple[int, dict]]:
        """The objects of an array with their positions in it (other items are problems)."""
        return self._array(obj, path, key, dict)

    def items(self, obj: dict, path: str, key: str, kind: type) -> list:
        return [item for _i, item in self._array(obj, path, key, kind)]

    def _array(self, obj: dict, path: str, key: str, kind: type = dict) -> list[tuple[int, Any]]:
        value = obj.get(key)
        if value is None:
            return []
        where = join(path, key)
        if not isinstance(value, list):
            self.problem(where, f"应为数组，实为 {json_kind(value)}")
            return []
        good = []
        for i, item in enumerate(value):
            if isinstance(item, kind):
                good.append((i, item))
            else:
                expected = "文本" if kind is str else "JSON 对象"
                self.problem(f"{where}[{i}]", f"应为{expected}，实为 {json_kind(item)}")
        return good


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int | float):
        return f"数字 {value}"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, list):
        return "数组"
    if isinstance(value, dict):
        return "JSON 对象"
    return "null"
