"""``casedesk demo --cases N [--db PATH] [--seed S]``: fill an empty database with demo data."""

from __future__ import annotations

import argparse
import sys

from casedesk.cli.common import db_parent, fail, resolve_db_path
from casedesk.services.demo import generate_demo
from casedesk.services.errors import ServiceError
from casedesk.store.database import StoreError, open_database


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，实为“{text}”")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        parents=[db_parent()],
        help="在空数据库中生成演示数据",
        description=(
            "生成逼真的演示数据：近十年的涉企案件及其企业、个人、当事人、时间线、期限、标签和检索索引。"
            "只能写入尚无案件的数据库；同一种子生成相同的数据。"
        ),
    )
    p.add_argument("--cases", type=_positive, required=True, metavar="N", help="案件数")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="随机种子（默认 1）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = resolve_db_path(getattr(args, "db", None))

    def progress(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\r已生成 {done}/{total} 件案件", end=end, file=sys.stderr, flush=True)
        if done == total:
            print("正在建立索引并提交…", file=sys.stderr, flush=True)

    try:
        db = open_database(path)
    except StoreError as exc:
        return fail(str(exc))
    try:
        summary = generate_demo(db, args.cases, seed=args.seed, progress=progress)
    except ServiceError as exc:
        return fail(str(exc))
    finally:
        db.close()
    print(
        f"已在 {db.path} 生成演示数据：{summary.cases} 件案件、{summary.enterprises} 家企业、"
        f"{summary.persons} 名个人、{summary.parties} 名当事人、{summary.events} 条时间线记录、"
        f"{summary.deadlines} 个期限，用时 {summary.seconds:.1f} 秒"
    )
    return 0
