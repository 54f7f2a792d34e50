"""``casedesk validate case-number|credit-code|id-number VALUE [--json]``.

casedesk/cli/validate.py: exit code 0 when valid, 1 when not; ``--json`` prints
``{"valid": bool, "normalized": str|null, "parts": {...}, "errors": [str], ...}``."""

from __future__ import annotations

import json

import pytest

from casedesk import __version__
from casedesk.cli.main import main


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(["validate", *argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def check_shape(data: dict) -> None:
    assert {"valid", "normalized", "parts", "errors"} <= set(data)
    assert isinstance(data["valid"], bool)
    assert data["normalized"] is None or isinstance(data["normalized"], str)
    assert isinstance(data["parts"], dict)
    assert isinstance(data["errors"], list) and all(isinstance(e, str) for e in data["errors"])


@pytest.mark.parametrize(
    ("kind", "value", "normalized"),
    [
        pytest.param("case-number", "(2023)新01民初123号", "（2023）新01民初123号", id="案号"),
        pytest.param("credit-code", "91330100799655058b", "91330100799655058B", id="GB32100"),
        pytest.param("id-number", "110105491231002", "11010519491231002X", id="GB11643-15"),
    ],
)
def test_valid_values_json(capsys, kind: str, value: str, normalized: str) -> None:  # type: ignore[no-untyped-def]
    code, data = run_json(capsys, kind, value)
    check_shape(data)
    assert code == 0
    assert data["valid"] is True and data["normalized"] == normalized and data["errors"] == []


def test_case_number_parts_in_json(capsys) -> None:  # type: ignore[no-untyped-def]
    _code, data = run_json(capsys, "case-number", "（2019）最高法知民终1号")
    assert data["parts"] == {
        "year": 2019,
        "court_code": "最高法",
        "specialised_code": "知",
        "type_code": "民终",
        "type_family": "民事",
        "type_name": "民事二审",
        "sequence": 1,
    }


@pytest.mark.parametrize(
    ("kind", "value", "error"),
    [
        pytest.param(
            "case-number", "（2023）新01民初0123号", "案件编号“0123”不应以0开头", id="案号"
        ),
        pytest.param("credit-code", "914403001922038217", "校验码应为 6，实为 7", id="GB32100"),
        pytest.param("id-number", "110105194912310021", "校验码应为 X，实为 1", id="GB11643"),
    ],
)
def test_invalid_values_json(capsys, kind: str, value: str, error: str) -> None:  # type: ignore[no-untyped-def]
    code, data = run_json(capsys, kind, value)
    check_shape(data)
    assert code == 1
    assert data["valid"] is False
    assert data["normalized"] is None  # never a canonical form for an invalid value
    assert error in data["errors"]


def test_json_output_is_one_line_of_unescaped_chinese(capsys) -> None:  # type: ignore[no-untyped-def]
    main(["validate", "credit-code", "914403001922038217", "--json"])
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "校验码" in out and "\\u" not in out


def test_text_output_valid(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["validate", "id-number", "11010519491231002x"]) == 0
    out = capsys.readouterr().out
    assert "有效的身份证号码：11010519491231002X" in out
    assert "birth_date: 1949-12-31" in out


def test_text_output_invalid(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["validate", "credit-code", "9144030019220382S6"]) == 1
    out = capsys.readouterr().out
    assert "无效的统一社会信用代码" in out and "第17位“S”不是有效字符" in out


def test_text_output_shows_warnings(capsys) -> None:  # type: ignore[no-untyped-def]
    # GB 11714 nested check of 192203822 is wrong, the GB 32100 check char is right.
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    first17 = "91440300192203822"
    check = charset[
        (31 - sum(charset.index(c) * w for c, w in zip(first17, weights, strict=True)) % 31) % 31
    ]
    assert main(["validate", "credit-code", first17 + check]) == 0
    assert "注意：第9–17位组织机构代码的校验位与 GB 11714 不符" in capsys.readouterr().out


def test_unknown_kind_is_a_usage_error(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        main(["validate", "passport", "E12345678"])
    assert info.value.code == 2
    assert "passport" in capsys.readouterr().err


def test_version(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"CaseDesk {__version__}"
