"""``casedesk validate case-number|credit-code|id-number VALUE [--json]``."""

from __future__ import annotations

import argparse

from casedesk.cli.common import print_json
from casedesk.domain.identifiers import (
    validate_case_number,
    validate_credit_code,
    validate_id_number,
)

VALIDATORS = {
    "case-number": ("案号", validate_case_number),
    "credit-code": ("统一社会信用代码", validate_credit_code),
    "id-number": ("身份证号码", validate_id_number),
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="校验案号、统一社会信用代码或身份证号码",
        description="校验一个标识；有效时退出码为 0，无效时为 1。以“-”开头的值也按值校验。",
        dash_values=True,  # `validate case-number -x` checks "-x"
    )
    p.add_argument("kind", choices=list(VALIDATORS), help="标识种类")
    p.add_argument("value", help="要校验的值")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    label, validator = VALIDATORS[args.kind]
    result = validator(args.value)
    if args.json:
        print_json(result.as_json())
    elif result.valid:
        print(f"有效的{label}：{result.normalized}")
        for key, value in result.parts.items():
            if value not in (None, ""):
                print(f"  {key}: {value}")
        for warning in result.warnings:
            print(f"  注意：{warning}")
    else:
        print(f"无效的{label}：")
        for error in result.errors:
            print(f"  {error}")
    return 0 if result.valid else 1
