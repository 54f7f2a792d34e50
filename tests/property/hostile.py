"""Hostile input for the property tests (issue 7, point 7), and what every refusal must look like.

Strategies: text a clerk (or a file) could hand CaseDesk — overlong strings, control characters
with NUL, lone surrogates, SQL and template syntax, full-width and mixed-width digits, RTL and
zero-width marks, emoji — values of the wrong type where text is expected, dates at and past the
edges of the calendar and of the holiday data. Checks: a refusal carries a clear Chinese message
(never empty, never a Python repr); a refused write leaves the database as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from casedesk.domain.errors import FieldErrors


def note(what: str) -> None:
    """Count outcomes (refused, saved …) in hypothesis' statistics; a plain test has none."""
    with contextlib.suppress(InvalidArgument):
        event(what)


def examples(n: int) -> settings:
    """``n`` examples per run (times ``HYPOTHESIS_SCALE`` when hunting bugs): the whole property
    suite stays within a minute."""
    return settings(max_examples=n * int(os.environ.get("HYPOTHESIS_SCALE", "1")))


# -- hostile text ---------------------------------------------------------------------------------
SQL = (
    "'; DROP TABLE case_file; --",
    '" OR 1=1 --',
    "1; DELETE FROM audit_record WHERE 1=1",
    "Robert'); DROP TABLE person;--",
    "' UNION SELECT login, password_hash FROM user_account --",
    '王伟" OR ""="',
    'NEAR(王 伟) AND * OR "',  # FTS5 query syntax
)
TEMPLATES = (
    "{{案号}}",
    "{{ 案由 }}",
    "{{当事人}}{{不存在}}",
    "{% for x in cases %}{{x}}{% endfor %}",
    "{{",
    "}}",
    "{{{{案号}}}}",
    "{year}",
    "{n}",
    "〔{year}〕{n}号",
    "{0}",
    "%s",
    "%(name)s",
    "${案号}",
    "{{案号",
    "案号}}",
    "{{\n案号}}",
)
CONTROL = (
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\x0b",
    "\x0c",
)
SURROGATES = ("\ud800", "\udbff", "\udc00", "\udfff", "\udcff", "a\ud83d", "\ude00b")
MARKS = (
    "\u202e",
    "\u202d",
    "\u200f",
    "\u200e",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u00ad",
    "\u2028",
    "\u2029",
    "\u3000",
    "\u00a0",
    "e\u0301",
    "\u0300",
)
EMOJI = ("😀", "👨‍👩‍👧‍👦", "🇨🇳", "⚖️", "𠀀", "𪚥", "\U0010ffff", "\ue000")
DIGITS = (
    "（２０２３）新０１民初１２３号",
    "（２0２３）新0１民初1２３号",
    "２０２３－０３－０１",
    "٢٠٢٣",
    "²",
    "①",
    "Ⅻ",
    "一二三",
    "〇",
    "１２,３４５.６７",
    "－１",
    "1e400",
    "NaN",
    "Infinity",
    "-0",
    "0x1F",
    "1_000",
    "9" * 30,
    "0" * 25 + "1",
)
CHINESE = (
    "（2023）新01民初123号",
    "新疆甲有限公司",
    "买卖合同纠纷",
    "王法官",
    "乌鲁木齐市天山区",
    "91650100MA7000001X",
    "650102198001011234",
    "2023-03-01",
    "120万",
    "6m",
)
FIXED = (
    "",
    " ",
    "　",
    *SQL,
    *TEMPLATES,
    *CONTROL,
    *SURROGATES,
    *MARKS,
    *EMOJI,
    *DIGITS,
    *CHINESE,
)


def _every_codepoint() -> st.SearchStrategy[str]:
    """Any code point, surrogates and private use included (hypothesis leaves out Cs)."""
    return st.one_of(
        st.characters(codec=None, exclude_categories=()),
        st.sampled_from([c for c in (*SURROGATES, *CONTROL, *MARKS) if len(c) == 1]),
    )


def overlong(n: int = 20_000) -> st.SearchStrategy[str]:
    """Very long text: one character or pattern repeated, or a valid value padded."""
    return st.one_of(
        st.sampled_from(["案", "9", "a", " ", "\x00", "（", "号", "{{案号}}", "😀"]).map(
            lambda s: s * (n // len(s))
        ),
        st.sampled_from(CHINESE).map(lambda s: s + "1" * n + "号"),
        st.just("（2023）新" + "1" * n + "a号"),  # backtracking bait for a case-number pattern
        st.just("（" + "2" * 5000 + "）新01民初1号"),  # more digits than int() converts
    )


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Text that is hostile in one of the ways issue 7 names, or a mix of them."""
    piece = st.one_of(st.sampled_from(FIXED), st.text(_every_codepoint(), max_size=8))
    return st.one_of(
        st.sampled_from(FIXED),
        st.text(_every_codepoint(), max_size=max_size),
        st.lists(piece, min_size=1, max_size=6).map("".join),
        overlong(),
    )


class Opaque:
    """An object of no type any field expects (its repr must never reach a message)."""

    def __repr__(self) -> str:
        return "<Opaque object at 0xdeadbeef>"


def wrong_type() -> st.SearchStrategy[Any]:
    """A value of another type where text is expected."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.lists(st.text(max_size=3), max_size=3),
        st.tuples(st.integers()),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
        st.binary(max_size=8),
        st.just(date(2023, 3, 1)),
        st.just(datetime(2023, 3, 1, 10, 30)),
        st.builds(Opaque),
    )


def not_text() -> st.SearchStrategy[Any]:
    """A wrong type that is not None (None is "empty" for the identifier validators)."""
    return wrong_type().filter(lambda v: v is not None)


def text_or_wrong(max_size: int = 60) -> st.SearchStrategy[Any]:
    return st.one_of(hostile_text(max_size), wrong_type())


@st.composite
def mostly(draw: st.DrawFn, good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> Any:
    """Three times in four a ``good`` value, else a ``bad`` one (``one_of`` would flatten a
    ``bad`` made of many alternatives and draw ``good`` rarely)."""
    return draw(bad) if draw(st.integers(0, 3)) == 0 else draw(good)


# -- hostile dates --------------------------------------------------------------------------------
EDGE_DATES = (
    date.min,
    date(1, 12, 31),
    date(1949, 10, 1),
    date(2004, 1, 1),
    date(2026, 12, 31),
    date(2027, 1, 1),
    date(2030, 2, 28),
    date(2100, 12, 31),
    date(9999, 12, 1),
    date.max,
)


def any_day() -> st.SearchStrategy[date]:
    return st.one_of(st.sampled_from(EDGE_DATES), st.dates())


def day_or_wrong() -> st.SearchStrategy[Any]:
    """A date, None, a datetime where a date is expected, or something else entirely."""
    return st.one_of(any_day(), st.none(), st.datetimes(), wrong_type())


DATE_TEXTS = (
    "2023-02-30",
    "2023年2月30日",
    "2023/2/29",
    "2024-02-29",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2023-13-01",
    "2023-00-10",
    "20230230",
    "２０２３－０２－３０",
    "2023-3-1-",
    "2023--03-01",
    "2023-03-01T10:00",
    "2023-03-01 ",
    "-2023-03-01",
    "2023.3.1",
    "2023年3月1",
    "二〇二三年三月一日",
    "٢٠٢٣-٠٣-٠١",
    "2023-03-01\x00",
    "2023-0３-01",
)


def date_text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(DATE_TEXTS), hostile_text(20))


# -- what a refusal must look like ----------------------------------------------------------------
_CJK = re.compile(r"[\u3400-\u9fff]")
_REPR = ("Traceback", "NoneType", "object at 0x", "<class ", "Error(")


def assert_chinese(message: object, *, echoed: str = "") -> None:
    """A message fit to show a user: text, not empty, in Chinese, without a Python repr and
    printable as UTF-8. ``echoed``: the hostile value, which a message may quote as typed."""
    assert isinstance(message, str), f"message is {type(message).__name__}, not text"
    assert message.strip(), "empty message"
    assert _CJK.search(message), f"no Chinese in message: {message!r}"
    rest = message.replace(echoed, "") if echoed else message
    for marker in _REPR:
        assert marker not in rest, f"Python repr in message: {message!r}"
    message.encode("utf-8")  # a lone surrogate here would crash whatever prints it


def assert_field_errors(exc: FieldErrors, *, echoed: str = "") -> None:
    """Every field named, every message clear."""
    assert exc.errors, "FieldErrors without any field"
    for key, message in exc.errors.items():
        assert isinstance(key, str) and key, f"field key {key!r}"
        assert_chinese(message, echoed=echoed)
    assert_chinese(str(exc), echoed=echoed)


def clean_stored_text(value: str) -> None:
    """Text that was accepted for storage: valid Unicode, no control characters but line breaks
    and tabs."""
    value.encode("utf-8")
    assert not any(ord(c) < 32 and c not in "\n\t" for c in value), repr(value)
    assert "\x7f" not in value


# -- the database before and after ----------------------------------------------------------------
def snapshot(path: Path) -> dict[str, Any]:
    """Row counts of every table and the audit chain head, read on a connection of its own."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " ORDER BY name"
            )
        ]
        counts: dict[str, Any] = {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
        }
        counts["<audit chain head>"] = conn.execute(
            "SELECT last_id, last_hash, records FROM audit_chain_head"
        ).fetchall()
        return counts
    finally:
        conn.close()


# -- drafts with hostile fields -------------------------------------------------------------------
def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _hostile_for(hint: Any) -> st.SearchStrategy[Any]:
    """Hostile values for a field declared as ``hint`` (its own type's edges, and other types)."""
    text = repr(hint)
    if "tuple[" in text or "frozenset[" in text:
        return st.one_of(
            st.lists(text_or_wrong(20), max_size=3).map(tuple),
            st.lists(text_or_wrong(20), max_size=3).map(
                lambda xs: frozenset(x for x in xs if _hashable(x)) if "frozenset" in text else xs
            ),
            wrong_type(),
        )
    if "datetime.datetime" in text:
        return st.one_of(st.datetimes(), day_or_wrong())
    if "datetime.date" in text:
        return day_or_wrong()
    if hint is bool:
        return st.one_of(st.booleans(), wrong_type())
    if "int" in text:
        return st.one_of(
            st.integers(-(2**70), 2**70), st.sampled_from([0, -1, 2**63, 2**31]), wrong_type()
        )
    return text_or_wrong()


def hostile_draft(cls: type, **good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Instances of the draft ``cls``: all fields plausible (``good``, else the field's default),
    or one field hostile — so that a weird value that is valid gets saved and read back — or
    several hostile at once."""
    import dataclasses
    import typing

    hints = typing.get_type_hints(cls)
    plausible, hostile = {}, {}
    for f in dataclasses.fields(cls):
        if f.name in good:
            plausible[f.name] = good[f.name]
        elif f.default is not dataclasses.MISSING:
            plausible[f.name] = st.just(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            plausible[f.name] = st.builds(f.default_factory)
        else:
            plausible[f.name] = _hostile_for(hints[f.name])
        hostile[f.name] = _hostile_for(hints[f.name])
    names = list(plausible)

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        mode = draw(st.sampled_from(["plausible", "one", "one", "several"]))
        if mode == "plausible":
            chosen: set[str] = set()
        elif mode == "one":
            chosen = {draw(st.sampled_from(names))}
        else:
            chosen = set(draw(st.lists(st.sampled_from(names), unique=True)))
        return cls(**{n: draw(hostile[n] if n in chosen else plausible[n]) for n in names})

    return build()
