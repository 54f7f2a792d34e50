"""The case interchange import (casedesk/services/interchange/importer.py) fed hostile files:
a valid export mutated at random key paths (a value of another JSON type; hostile text in a text
value), truncated lines, random JSON, huge numbers, deep nesting, a BOM, invalid UTF-8, random
bytes. A refused file is refused whole, with a Chinese message naming the line and the key path,
and the database is as it was (row counts of every table, the audit chain head); an accepted
one is imported with its text as written (docs/interchange.md §6.1: all or nothing)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casedesk.services.app import Services
from casedesk.services.demo.generate import generate_demo
from casedesk.services.errors import ServiceError
from casedesk.services.interchange import export_cases, import_cases
from casedesk.services.interchange.importer import ImportReport
from casedesk.store.backup import backup_sqlite
from tests.property.hostile import (
    EMOJI,
    SQL,
    TEMPLATES,
    assert_chinese,
    examples,
    hostile_text,
    note,
    snapshot,
)

#: The record kinds a case line carries: the corpus has one line of each.
RICH = (
    "property_measures",
    "personal_measures",
    "enforcement",
    "suggestions",
    "compliance_cases",
    "supervisions",
    "deadlines",
    "parties",
    "events",
)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> tuple[dict, list[str]]:
    """A demo database's export: its header and a few case lines, one for each kind of record
    a line may carry (measures, enforcement, suggestions, compliance …)."""
    folder = tmp_path_factory.mktemp("export")
    sv = Services.open(backup_sqlite(template_db, folder / "demo.sqlite3"), "演示数据")
    try:
        generate_demo(sv.db, 300, seed=7)
        export_cases(sv.db, folder / "all.jsonl")
    finally:
        sv.close()
    lines = (folder / "all.jsonl").read_text(encoding="utf-8").splitlines()
    header, cases = json.loads(lines[0]), lines[1:]
    chosen: dict[str, str] = {}
    for key in RICH:
        line = next((c for c in cases if json.loads(c).get(key)), None)
        if line is not None:
            chosen.setdefault(key, line)
    assert {"property_measures", "enforcement", "suggestions"} <= chosen.keys()
    return header, list(dict.fromkeys(chosen.values()))


class Target:
    """The database files are imported into: one per test, replaced by a fresh copy before the
    next import only after one was accepted (a refused one must leave it as it was)."""

    def __init__(self, template: Path, folder: Path):
        self.template, self.folder, self.n = template, folder, 0
        self.dirty = False
        self.sv = self._open()

    def _open(self) -> Services:
        self.n += 1
        return Services.open(
            backup_sqlite(self.template, self.folder / f"t{self.n}.sqlite3"), "导入员"
        )

    def fresh(self) -> None:
        self.sv.close()
        self.sv = self._open()
        self.dirty = False

    def write(self, content: bytes | str) -> Path:
        path = self.folder / "in.jsonl"
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path


@pytest.fixture
def target(template_db: Path, tmp_path: Path) -> Iterator[Target]:
    t = Target(template_db, tmp_path)
    yield t
    t.sv.close()


def dumps(value: Any) -> str:
    """JSON as the exporter writes it, but a lone surrogate as its ``\\udxxx`` escape (the only
    way a JSON writer can put one in a UTF-8 file)."""
    text = json.dumps(value, ensure_ascii=False)
    return text if not any("\ud800" <= c <= "\udfff" for c in text) else json.dumps(value)


def run_import(target: Target, content: bytes | str) -> ImportReport | None:
    """Import ``content``: the report, after checking that a refusal changed nothing and says
    why in Chinese (None: the whole import was refused with a ServiceError)."""
    if target.dirty:
        target.fresh()
    path = target.write(content)
    before = snapshot(target.sv.path)
    try:
        report = import_cases(target.sv.db, "导入员", path)
    except ServiceError as exc:
        assert_chinese(str(exc))
        assert snapshot(target.sv.path) == before
        note("refused: ServiceError")
        return None
    if report.errors:
        note("refused")
        assert snapshot(target.sv.path) == before, "a refused file changed the database"
        for error in report.errors:
            assert_chinese(str(error))
        assert_chinese(report.summary())
    else:
        note("imported")
        assert_chinese(report.summary())
        target.dirty = True
    for warning in report.warnings:
        assert_chinese(warning)
    return report


def one_case_file(header: dict, line: str | dict) -> str:
    """A file of the header and one case line (an object is written as the exporter does, but
    a lone surrogate as the ``\\udxxx`` escape a JSON writer gives it)."""
    head = dict(header, cases=1)
    return dumps(head) + "\n" + (line if isinstance(line, str) else dumps(line)) + "\n"


# -- key paths ----------------------------------------------------------------------------------
def paths(value: Any, prefix: str = "") -> Iterator[tuple[str, tuple, Any]]:
    """Every key path of a JSON value as the importer names it (``parties[0].enterprise.name``),
    with the steps to reach it and the value there."""
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path, (key,), item
            for sub, steps, v in paths(item, path):
                yield sub, (key, *steps), v
    elif isinstance(value, list):
        for i, item in enumerate(value):
            path = f"{prefix}[{i}]"
            yield path, (i,), item
            for sub, steps, v in paths(item, path):
                yield sub, (i, *steps), v


def replaced(value: Any, steps: tuple, new: Any) -> Any:
    copy = json.loads(json.dumps(value))
    here = copy
    for step in steps[:-1]:
        here = here[step]
    here[steps[-1]] = new
    return copy


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


#: JSON values of each kind (a mutation puts one of another kind in place of the original).
OTHER_VALUES: dict[str, list[Any]] = {
    "str": ["", "{{案号}}", "'; DROP TABLE case_file; --", "2023-02-30"],
    "number": [0, -1, 1.5, 2**64, 10**400, -(10**30)],
    "bool": [True, False],
    "list": [[], ["x"], [None], [[[]]]],
    "dict": [{}, {"type": "case"}, {"": None}],
}


def wrong_values(original: Any) -> list[Any]:
    kind = _kind(original)
    return [v for k, values in OTHER_VALUES.items() if k != kind for v in values]


def named(report: ImportReport, path: str) -> bool:
    """Whether an error of the case line names ``path`` or one of its ancestors (a problem of
    an object found at the object, e.g. a measure refused as a whole)."""
    texts = [e.message for e in report.errors if e.line == 2]
    parts = [path[:i] for i in range(len(path), 0, -1) if i == len(path) or path[i] in ".["]
    return any(p in t for t in texts for p in parts)


# -- mutations of a valid line ------------------------------------------------------------------
@examples(150)
@given(data=st.data())
def test_a_value_of_the_wrong_type_anywhere_refuses_the_file(
    exported: tuple[dict, list[str]], target: Target, data: st.DataObject
) -> None:
    """Any key of a valid case line given a value of another JSON type (text for a number, a
    number for text, an object for a list …): the file is refused, the message names the key
    path, the database is unchanged."""
    header, lines = exported
    line = json.loads(data.draw(st.sampled_from(lines), label="line"))
    path, steps, original = data.draw(st.sampled_from(list(paths(line))), label="path")
    new = data.draw(st.sampled_from(wrong_values(original)), label="value")
    if (original is None and new in ("", [], {})) or path in ("type",):
        return  # an empty value where none was given is no value (docs §4); type: not a case
    report = run_import(target, one_case_file(header, replaced(line, steps, new)))
    if report is None:
        return
    assert report.errors, f"{path}: {original!r} → {new!r} was imported"
    assert named(report, path), f"{path} not named in {[str(e) for e in report.errors]}"


HOSTILE_STRINGS = st.one_of(
    hostile_text(40),
    st.sampled_from(
        [*SQL, *TEMPLATES, *EMOJI, "\x00", "\ud800", "a\udfffb", "\u202e逆序", "案" * 5000]
    ),
)


#: Keys of free text, kept as written (trimmed): after an accepted import, exported the same.
FREE_TEXT = frozenset(
    {
        "notes",
        "note",
        "cause",
        "description",
        "address",
        "contact",
        "organ",
        "reason",
        "result",
        "instructions",
        "recipient",
        "subject",
        "applicant",
        "industry",
        "legal_representative",
        "account_no",
        "guarantor",
        "residence",
        "payer",
        "text",
        "document_no",
        "name",
    }
)


@examples(150)
@given(data=st.data())
def test_hostile_text_in_any_text_value_is_refused_or_kept(
    exported: tuple[dict, list[str]], target: Target, data: st.DataObject
) -> None:
    """Any text value of a valid case line replaced by hostile text (control characters, a
    lone surrogate, SQL, template syntax, emoji, RTL marks, 5000 characters): refused naming
    the path with the database unchanged, or imported — and then exported again as written."""
    header, lines = exported
    line = json.loads(data.draw(st.sampled_from(lines), label="line"))
    texts = [(p, s, v) for p, s, v in paths(line) if isinstance(v, str)]
    path, steps, _original = data.draw(st.sampled_from(texts), label="path")
    new = data.draw(HOSTILE_STRINGS, label="text")
    report = run_import(target, one_case_file(header, replaced(line, steps, new)))
    if report is None:
        return
    if report.errors:
        assert named(report, path), f"{path} not named in {[str(e) for e in report.errors]}"
        return
    key = path.rsplit(".", 1)[-1]
    if key in FREE_TEXT and new.strip():
        out = target.folder / "again.jsonl"
        export_cases(target.sv.db, out)
        again = json.loads(out.read_text(encoding="utf-8").splitlines()[1])
        strings = {v for _p, _s, v in paths(again) if isinstance(v, str)}
        assert new.strip() in strings, f"{path}: {new!r} not exported as imported"


# -- broken lines and files ---------------------------------------------------------------------
@examples(80)
@given(data=st.data())
def test_a_truncated_line_refuses_the_file_naming_the_line(
    exported: tuple[dict, list[str]], target: Target, data: st.DataObject
) -> None:
    header, lines = exported
    line = data.draw(st.sampled_from(lines))
    cut = data.draw(st.integers(1, len(line) - 1))
    report = run_import(target, one_case_file(header, line[:cut]))
    assert report is not None and report.errors
    assert any(e.line == 2 for e in report.errors)


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**80), 2**80),
        st.floats(allow_nan=False),
        hostile_text(10),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from(["type", "case_number", "parties", "events"]), hostile_text(6)
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=20,
)


@examples(100)
@given(value=JSON_VALUES, as_case=st.booleans())
def test_random_json_is_refused(
    exported: tuple[dict, list[str]], target: Target, value: Any, as_case: bool
) -> None:
    """Random JSON as a case line (with ``"type": "case"`` or without), or as the header."""
    header, _lines = exported
    if as_case and isinstance(value, dict):
        value = {**value, "type": "case"}
    text = dumps(value)
    content = one_case_file(header, text) if as_case else text + "\n"
    report = run_import(target, content)
    assert report is None or report.errors


@examples(60)
@given(content=st.binary(max_size=300))
@example(content=b"\xff\xfe{\x00}\x00")  # UTF-16
@example(content=b"PK\x03\x04" + b"\x00" * 40)  # a zip (an .xlsx) given as a case file
@example(content=b"")
def test_random_bytes_are_refused(target: Target, content: bytes) -> None:
    report = run_import(target, content)
    assert report is None or report.errors


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("deep nesting", lambda h, line: one_case_file(h, "[" * 100_000 + "]" * 100_000)),
        (
            "deep object",
            lambda h, line: one_case_file(
                h, '{"type":"case","parties":' + "[" * 5000 + "]" * 5000 + "}"
            ),
        ),
        (
            "huge number",
            lambda h, line: one_case_file(
                h, line.replace('"amount_fen":', '"amount_fen":1' + "0" * 5000 + ',"x":', 1)
            ),
        ),
        (
            "huge float",
            lambda h, line: one_case_file(h, json.dumps({**json.loads(line), "amount_fen": 1e308})),
        ),
        ("NaN", lambda h, line: one_case_file(h, line[:-1] + ',"costs_fen":NaN}')),
        ("BOM on a case line", lambda h, line: one_case_file(h, "\ufeff" + line)),
        ("invalid UTF-8", lambda h, line: one_case_file(h, line).encode() + b"\xc3\x28\n"),
        (
            "lone surrogate escape",
            lambda h, line: one_case_file(h, line.replace('"notes":', '"notes":"\\ud800","x":', 1)),
        ),
        (
            "surrogate escape in a key",
            lambda h, line: one_case_file(h, line[:-1] + ',"\\udc00":1}'),
        ),
        (
            "NUL escape in the 案号",
            lambda h, line: one_case_file(
                h, json.dumps({**json.loads(line), "case_number": "（2023）新01民初1号\u0000"})
            ),
        ),
        ("header only, announcing a case", lambda h, line: json.dumps(dict(h, cases=1)) + "\n"),
        ("two headers", lambda h, line: json.dumps(h) + "\n" + one_case_file(h, line)),
        ("CRLF and blank lines", lambda h, line: one_case_file(h, line).replace("\n", "\r\n\r\n")),
    ],
)
def test_broken_files_are_refused_or_read(
    exported: tuple[dict, list[str]], target: Target, name: str, build: Any
) -> None:
    """Files broken in ways a disk, a text editor or a script breaks them."""
    header, lines = exported
    line = next(x for x in lines if '"amount_fen":' in x and '"notes":' in x)
    report = run_import(target, build(header, line))
    if name == "CRLF and blank lines":
        assert report is not None and not report.errors  # docs §1: accepted
    else:
        assert report is None or report.errors, name


def test_a_lone_surrogate_is_refused_naming_its_path(
    exported: tuple[dict, list[str]], target: Target
) -> None:
    """Regression: ``"\\ud800"`` is valid JSON but no text — it passed every check and crashed
    the write (UnicodeEncodeError) or the printing of the report. It is refused, named."""
    header, lines = exported
    line = json.loads(lines[0])
    line["parties"][0][next(k for k in ("enterprise", "person") if line["parties"][0].get(k))][
        "name"
    ] = "甲\ud800公司"
    report = run_import(target, one_case_file(header, line))
    assert report is not None and report.errors
    assert named(report, "parties[0]")
    assert all("\ud800" not in str(e) for e in report.errors)


@pytest.mark.parametrize(
    ("where", "blank"),
    [("events", "occurred_on"), ("events", "stage"), ("parties", "role")],
)
def test_a_blank_required_value_is_refused_not_dropped(
    exported: tuple[dict, list[str]], target: Target, where: str, blank: str
) -> None:
    """Regression: ``"occurred_on": ""`` or ``"stage": ""`` dropped the event without a word
    (the file imported with a timeline entry missing, or was refused for a stage mismatch it
    did not have); ``"role": ""`` imported a party without a role. Each is refused, named."""
    header, lines = exported
    line = json.loads(lines[0])
    line[where][0][blank] = ""
    report = run_import(target, one_case_file(header, line))
    assert report is not None and report.errors
    assert any(f"{where}[0].{blank}：缺少必填项" in e.message for e in report.errors)
