"""``casedesk stalled``: the 挂案 ledger — flagged, supervised and closed-off criminal cases
involving an enterprise, with the threshold that fired (2017 规定 第25条, law.md §9)."""

from __future__ import annotations

import argparse
import unicodedata
from datetime import date
from pathlib import Path

from casedesk.cli.common import db_parent, fail, print_json, resolve_db_path
from casedesk.domain.dates import DateError, parse_date
from casedesk.domain.stalled import STATUSES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "stalled",
        help="列出挂案台账（立案满二年未采取强制措施、强制措施解除满一年未移送起诉等）",
        description="按《关于公安机关办理经济犯罪案件的若干规定》第25条列出涉企刑事挂案，"
        "以及挂牌督办和销号情况。",
        parents=[db_parent()],
    )
    p.add_argument("--as-of", metavar="DATE", help="以该日为今天（默认今天）")
    p.add_argument("--status", metavar="STATUS", default="",
                   help=f"只列该状态的案件：{'、'.join(STATUSES)}")  # fmt: skip
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--xlsx", metavar="FILE", help="同时导出为 Excel 文件（.xlsx）")
    p.set_defaults(func=run_stalled)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def row_json(r) -> dict:  # type: ignore[no-untyped-def]
    """One ledger row as the JSON output shows it."""
    return {
        "case_number": r.case_number,
        "cause": r.cause,
        "handler": r.handler,
        "parties": r.parties,
        "stage": r.stage,
        "filed_on": _day(r.filed_on),
        "threshold": r.threshold,
        "threshold_label": r.threshold_label,
        "since": _day(r.since),
        "flagged_from": _day(r.flagged_from),
        "days_stalled": r.days_stalled,
        "status": r.status,
        "supervision_id": r.supervision_id,
        "supervising_unit": r.supervising_unit,
        "responsible_unit": r.responsible_unit,
        "supervision_due": _day(r.supervision_due),
        "instructions": r.instructions,
        "closed_on": _day(r.closed_on),
        "outcome": r.outcome,
        "close_document": r.close_document,
    }


def display_width(text: str) -> int:
    """Terminal columns: Chinese (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


HEADERS = ("状态", "挂案天数", "案号", "阶段", "立案日", "挂案情形", "督办期限", "销号日期")


def _table(rows: list) -> list[str]:  # type: ignore[type-arg]
    cells = [HEADERS] + [
        (r.status, str(r.days_stalled), r.case_number, r.stage or "—", _day(r.filed_on) or "",
         r.threshold_label, _day(r.supervision_due) or "—", _day(r.closed_on) or "—")
        for r in rows
    ]  # fmt: skip
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(HEADERS))]
    lines = []
    for row in cells:
        padded = [c + " " * (w - display_width(c)) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(padded).rstrip())
    return lines


def run_stalled(args: argparse.Namespace) -> int:
    from casedesk.export.output import ExportError
    from casedesk.services.app import Services
    from casedesk.services.errors import ServiceError
    from casedesk.store.database import StoreError

    try:
        as_of = parse_date(args.as_of) if args.as_of else date.today()
    except DateError as exc:
        return fail(f"--as-of：{exc}")
    if args.status and args.status not in STATUSES:
        return fail(f"--status 应为 {'、'.join(STATUSES)} 之一，不能为“{args.status}”")
    path = resolve_db_path(getattr(args, "db", None))
    if not path.exists():
        return fail(f"数据库文件“{path}”不存在")
    try:
        services = Services.open(path)
    except StoreError as exc:
        return fail(str(exc))
    try:
        rows = services.stalled.ledger(as_of, args.status)
        if args.xlsx:
            services.stalled.export_xlsx(Path(args.xlsx), as_of, args.status)
    except (ServiceError, ExportError) as exc:
        return fail(str(exc))
    finally:
        services.close()
    if args.json:
        print_json([row_json(r) for r in rows])
        return 0
    counts = {s: sum(r.status == s for r in rows) for s in STATUSES}
    summary = "，".join(
        f"{s} {n}" for s, n in counts.items() if not args.status or s == args.status
    )
    print(f"{as_of.isoformat()} 挂案台账：共 {len(rows)} 件（{summary}）")
    if rows:
        print("\n".join(_table(rows)))
    if args.xlsx:
        print(f"已导出：{args.xlsx}")
    return 0
