"""``casedesk validate KIND VALUE [--json]`` fed hostile values: exit code 0 (valid) or 1
(invalid) and nothing else, never a traceback, every line printable, in Chinese."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casedesk.cli.main import main
from tests.property.hostile import assert_chinese, examples, hostile_text

KINDS = ("case-number", "credit-code", "id-number")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(argv)
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out


@examples(150)
@given(kind=st.sampled_from(KINDS), value=hostile_text(40), as_json=st.booleans())
@example(kind="case-number", value="（2023）新01民初123号", as_json=False)
@example(kind="case-number", value="\udcff\udcfe", as_json=False)  # bytes not UTF-8 in argv
@example(kind="credit-code", value="\udcff" * 18, as_json=True)
@example(kind="id-number", value="-" + "1" * 17, as_json=False)
@example(kind="case-number", value="（2023）新" + "1" * 20_000 + "a号", as_json=False)
def test_validate_exits_0_or_1_and_says_why(
    capsys: pytest.CaptureFixture[str], kind: str, value: str, as_json: bool
) -> None:
    """The value comes after ``--``, so one starting with a dash is a value too. A lone
    surrogate is what Python makes of argument bytes that are not UTF-8."""
    argv = ["validate", kind, *(["--json"] if as_json else []), "--", value]
    code, out = _run(capsys, argv)
    assert code in (0, 1)
    if as_json:
        result = json.loads(out)
        assert result["valid"] is (code == 0)
        for message in result["errors"] + result["warnings"]:
            assert_chinese(message)
    else:
        assert _CJK.search(out.splitlines()[0])
        if code == 1:
            for line in out.splitlines()[1:]:
                assert_chinese(line)


@pytest.mark.parametrize(
    ("argv", "valid"),
    [
        (["validate", "case-number", "-x"], False),
        (["validate", "case-number", "-x", "--json"], False),
        (["validate", "id-number", "--json", "-" + "1" * 17], False),
        (["validate", "credit-code", "--", "-h"], False),
        (["validate", "case-number", "-（2023）新01民初1号"], False),
        (["validate", "case-number", "--json", "（2023）新01民初1号"], True),
    ],
)
def test_a_value_starting_with_a_dash_is_a_value(
    capsys: pytest.CaptureFixture[str], argv: list[str], valid: bool
) -> None:
    """Not taken for an unknown option (argparse would exit 2 with an English usage error)."""
    code, out = _run(capsys, argv)
    assert code == (0 if valid else 1)
    if "--json" in argv:
        assert json.loads(out)["valid"] is valid
    else:
        assert _CJK.search(out.splitlines()[0])
