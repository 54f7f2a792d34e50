"""Documents, their number patterns and wording templates, logins, passwords, roles and search
queries fed hostile input: template syntax in the case data never fills twice nor leaks a
placeholder, a pattern either numbers cleanly or is refused, password and login checks name the
problem in Chinese, a role list is read or refused, a search query never reaches FTS as syntax."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casedesk.domain import documents as dm
from casedesk.domain import passwords as pw
from casedesk.domain.doc_templates import (
    DEFAULT_WORDING,
    PLACEHOLDERS,
    Wording,
    check_complete,
    check_wording,
    draft_body,
    fill,
    fill_strict,
    placeholders,
)
from casedesk.domain.errors import FieldErrors
from casedesk.domain.roles import ROLE_NAMES, roles_from
from casedesk.domain.search_text import query_terms, term_match
from tests.property.hostile import (
    TEMPLATES,
    assert_chinese,
    assert_field_errors,
    clean_stored_text,
    examples,
    hostile_draft,
    hostile_text,
    text_or_wrong,
    wrong_type,
)

NAMES = sorted(PLACEHOLDERS)
#: Case data as hostile as a clerk's typing: template syntax, SQL, control characters …
VALUES = st.dictionaries(
    st.one_of(st.sampled_from(NAMES), hostile_text(10)),
    st.one_of(hostile_text(), st.sampled_from(TEMPLATES), wrong_type()),
    max_size=6,
)
TEMPLATE_TEXT = st.lists(
    st.one_of(
        st.sampled_from([f"{{{{{n}}}}}" for n in NAMES]),
        st.sampled_from(TEMPLATES),
        hostile_text(12),
    ),
    max_size=8,
).map("".join)


@examples(200)
@given(text=TEMPLATE_TEXT, values=VALUES)
@example(text="{{案号}}", values={"案号": "{{案由}}", "案由": "买卖合同纠纷"})
@example(text="{{案号}}{{案由}}", values={"案号": 2023, "案由": None})  # not text: missing
def test_fill_fills_each_placeholder_once_and_lists_the_rest(text: str, values: dict) -> None:
    filled = fill(text, values)
    expected_missing = [
        n for n in placeholders(text) if not (isinstance(values.get(n), str) and values[n].strip())
    ]
    assert list(filled.missing) == expected_missing
    # a value is never filled again: expanding the template by hand gives the same text
    by_hand = re.sub(
        r"\{\{\s*([^{}]*?)\s*\}\}",
        lambda m: values[m.group(1)].strip() if m.group(1) not in expected_missing else m.group(0),
        text,
    )
    assert filled.text == by_hand
    try:
        strict = fill_strict(text, values, "opening")
    except FieldErrors as exc:
        assert expected_missing and list(exc.errors) == ["opening"]
        assert_field_errors(exc, echoed="".join(expected_missing))
    else:
        assert not expected_missing and strict == filled.text


WORDINGS = hostile_draft(
    Wording,
    opening=st.sampled_from([w.opening for w in DEFAULT_WORDING.values()]),
    reply=st.sampled_from([w.reply for w in DEFAULT_WORDING.values()]),
)


@examples(200)
@given(wording=WORDINGS, values=VALUES, kind=st.sampled_from(sorted(dm.KINDS)))
@example(wording=Wording("本院在办理{{案号}}一案中\n发现：", "请回复"), values={}, kind=dm.JUDICIAL)
@example(wording=Wording(None, "请回复"), values={}, kind=dm.JUDICIAL)  # type: ignore[arg-type]
def test_wording_is_checked_then_drafts_a_body(wording: Wording, values: dict, kind: str) -> None:
    """An administrator's wording: refused naming the block, or accepted — and then every draft
    made from it has one paragraph per block (no line break for the clerk's check to refuse),
    with exactly the placeholders that had no value still in it."""
    try:
        checked = check_wording(wording)
    except FieldErrors as exc:
        assert_field_errors(exc, echoed="".join(placeholders(str(wording))))
        return
    for block in (checked.opening, checked.reply, checked.closing):
        clean_stored_text(block)
        assert "\n" not in block and "\t" not in block
    body = draft_body(kind, checked, values)
    for name in body.missing:
        assert name in PLACEHOLDERS
    texts = " ".join(b.text for b in body.blocks)
    assert set(placeholders(texts)) >= set(body.missing)


BLOCKS = st.lists(
    st.one_of(
        st.builds(dm.Block, st.sampled_from(dm.BLOCK_KINDS), st.sampled_from(["建议加强管理", ""])),
        hostile_draft(dm.Block, kind=st.sampled_from(dm.BLOCK_KINDS)),
    ),
    max_size=5,
).map(tuple)
DOCUMENTS = hostile_draft(
    dm.Document,
    kind=st.sampled_from(sorted(dm.KINDS)),
    subtype=st.just("个案"),
    issuer=st.just("乌鲁木齐市天山区人民法院"),
    subject=st.just("农民工工资"),
    recipient=st.just("某建设公司"),
    blocks=BLOCKS,
    signed_on=st.just(date(2026, 3, 1)),
)


@examples(200)
@given(doc=DOCUMENTS)
@example(doc=dm.Document(dm.JUDICIAL, "个案", None, "", "某公司", ()))  # type: ignore[arg-type]
@example(doc=dm.Document(dm.JUDICIAL, "个案", "法院", "", "某公司", (dm.Block("item", None),)))  # type: ignore[arg-type]
def test_a_document_is_finalised_or_told_what_is_missing(doc: dm.Document) -> None:
    for check in (dm.check_final, check_complete):
        try:
            check(doc)
        except FieldErrors as exc:
            assert_field_errors(exc, echoed="".join(placeholders(str(doc))))
    try:
        dm.check_final(doc)
        check_complete(doc)
    except FieldErrors:
        return
    lines = dm.document_lines(doc)  # what both renderers lay out
    assert all("{{" not in line.text for line in lines)


PATTERNS = st.one_of(
    st.sampled_from([*dm.DEFAULT_PATTERNS.values(), "新01法建〔{year}〕{n}号", "〔{year}〕{n}"]),
    st.lists(
        st.one_of(
            st.sampled_from(["〔{year}〕", "{n}", "{year}", "{court}", "{{n}}", "号", "{", "}"]),
            hostile_text(8),
        ),
        max_size=6,
    ).map("".join),
    text_or_wrong(),
)


@examples(200)
@given(pattern=PATTERNS, year=st.integers(1, 9999), n=st.integers(-5, 10**9))
@example(pattern="新01法建〔{year}〕{n}号\n", year=2026, n=1)
@example(pattern=None, year=2026, n=1)
@example(pattern="新01法建〔{year}〕{n}号", year=2026, n=0)  # was ValueError(0), no message
def test_number_patterns_number_cleanly_or_are_refused(pattern: Any, year: int, n: int) -> None:
    try:
        checked = dm.check_pattern(pattern)
    except FieldErrors as exc:
        assert list(exc.errors) == ["pattern"]
        assert_field_errors(exc, echoed=pattern if isinstance(pattern, str) else "")
        return
    clean_stored_text(checked)
    try:
        number = dm.format_number(checked, year, n)
    except FieldErrors as exc:
        assert n < 1
        assert_field_errors(exc)
        return
    assert f"〔{year}〕" in number and str(n) in number
    assert "{year}" not in number and "{n}" not in number


# -- logins, passwords, roles -------------------------------------------------------------------
@examples(200)
@given(login=text_or_wrong(40))
@example(login="zhang.san")
@example(login="张三")
def test_check_login_names_each_problem(login: Any) -> None:
    problems = pw.check_login(login)
    for message in problems:
        assert_chinese(message)
    if not problems:
        assert re.fullmatch(r"[A-Za-z0-9._-]{3,32}", login)


@examples(200)
@given(
    password=st.one_of(text_or_wrong(140), st.from_regex(r"\A[ -~]{0,20}\Z")),
    login=st.one_of(st.just("zhang.san"), text_or_wrong(20)),
)
@example(password="Abcdefg1", login=None)  # type: ignore[arg-type]
@example(password="Zhang.San-2026", login="zhang.san")
def test_check_password_names_each_problem(password: Any, login: Any) -> None:
    problems = pw.check_password(password, login)
    for message in problems:
        assert_chinese(message)
    if not problems:
        assert isinstance(password, str) and 8 <= len(password) <= pw.MAX_LENGTH
        assert password.isascii() and password.isprintable()


@examples(100)
@given(values=st.dictionaries(st.sampled_from(sorted(pw.SETTINGS)), text_or_wrong(10), max_size=4))
@example(values={"idle_lock_minutes": "9" * 5000})  # int() refused 4300+ digits: ValueError
def test_policy_values_are_read_or_refused(values: dict) -> None:
    try:
        policy = pw.policy_from(values)
    except FieldErrors as exc:
        assert_field_errors(exc)
    else:
        for name, (_label, low, high, _why) in pw.SETTINGS.items():
            assert low <= getattr(policy, name) <= high


@examples(150)
@given(
    names=st.one_of(
        st.lists(
            st.one_of(st.sampled_from([*ROLE_NAMES, *ROLE_NAMES.values()]), text_or_wrong(10)),
            max_size=4,
        ),
        text_or_wrong(10),
    )
)
@example(names=None)
@example(names=[None])
@example(names=[{"role": "admin"}])
def test_roles_are_read_or_refused(names: Any) -> None:
    try:
        roles = roles_from(names)
    except FieldErrors as exc:
        assert list(exc.errors) == ["roles"]
        assert_field_errors(
            exc,
            echoed="".join(n.strip() for n in names if isinstance(n, str))
            if isinstance(names, list)
            else "",
        )
    else:
        assert roles <= ROLE_NAMES.keys()


# -- search queries -----------------------------------------------------------------------------
@examples(200)
@given(query=hostile_text(80))
@example(query='"王伟" OR 1=1 NEAR(a b) * ^')
def test_search_terms_cannot_carry_fts_syntax(query: str) -> None:
    """Whatever is typed into the search box, each term handed to FTS5 is letters, digits and
    Chinese characters in quotes: no operator, quote or column filter gets through."""
    for term in query_terms(query):
        assert re.fullmatch(r"[0-9a-z\u3007\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+", term)
        _index, match = term_match(term)
        assert match == f'"{term}"'


@pytest.mark.parametrize("kind", sorted(dm.KINDS))
def test_default_wordings_pass_their_own_check(kind: str) -> None:
    assert check_wording(DEFAULT_WORDING[kind]) == DEFAULT_WORDING[kind]
