"""``casedesk deadline`` (one computation, explained) and ``casedesk rules`` (the rule table)."""

from __future__ import annotations

import argparse
from datetime import date, datetime

from casedesk.cli.common import db_parent, fail, print_json, resolve_db_path
from casedesk.domain.dates import DateError, parse_date
from casedesk.domain.deadline_rules import TRIGGERS, DeadlineRule
from casedesk.domain.periods import Period, PeriodError, Suspension, compute_due
from casedesk.services.calendar_source import load_calendar, load_rules


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "deadline",
        help="计算一个期限的届满日并说明计算过程",
        description="按期间计算规则计算届满日。--period 与 --rule 二选一。",
    )
    p.add_argument("--from", dest="start", required=True, metavar="DATE",
                   help="起算日（2026-09-30）或时刻（2026-09-30T10:25），不计入")  # fmt: skip
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--period", metavar="SPEC", help="期间：3d、2m、1y、15wd（工作日）、12h")
    what.add_argument("--rule", metavar="ID", help="按规则计算，如 civil.first.ordinary")
    p.add_argument("--custody", action="store_true",
                   help="羁押期间：届满日遇节假日不顺延（刑诉法第105条第4款）")  # fmt: skip
    p.add_argument("--criminal", action="store_true", help="按刑诉法解释第202条计算月份")
    p.add_argument("--suspend", type=int, default=0, metavar="DAYS",
                   help="扣除的天数（审限扣除）")  # fmt: skip
    p.add_argument("--extensions", type=int, default=0, metavar="N",
                   help="与 --rule 同用：计入该规则的前 N 次延长")  # fmt: skip
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                   help="读取该数据库中管理员录入的节假日和规则修改")  # fmt: skip
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=run_deadline)

    b = sub.add_parser("board", help="列出进行中的期限（已逾期、今日届满、即将届满）",
                       parents=[db_parent()])  # fmt: skip
    b.add_argument("--as-of", metavar="DATE", help="以该日为今天（默认今天）")
    b.add_argument("--handler", metavar="NAME", default="", help="只列该承办人的期限")
    b.add_argument("--json", action="store_true", help="以 JSON 输出")
    b.set_defaults(func=run_board)

    r = sub.add_parser("rules", help="列出期限规则及其法律依据")
    r.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS)
    r.add_argument("--json", action="store_true", help="以 JSON 输出")
    r.set_defaults(func=run_rules)


def _start(text: str) -> date | datetime:
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    try:
        day = parse_date(text)
    except DateError as exc:
        raise PeriodError(f"起算日“{text}”应写作 2026-09-30 或 2026-09-30T10:25") from exc
    if day is None:
        raise PeriodError("请给出起算日")
    return day


def run_deadline(args: argparse.Namespace) -> int:
    db = getattr(args, "db", None)
    try:
        start = _start(args.start)
        cal = load_calendar(db)
        extensions: list[Period] = []
        if args.extensions < 0:
            return fail("延长次数不能为负数")
        if args.extensions and not args.rule:
            return fail("--extensions 只能与 --rule 同用（按规则计入延长）")
        if args.rule:
            rule = load_rules(db).get(args.rule)
            if rule is None:
                return fail(f"没有编号为“{args.rule}”的期限规则（casedesk rules 列出全部规则）")
            if args.extensions > len(rule.extensions):
                return fail(f"规则“{rule.name}”只有 {len(rule.extensions)} 次延长")
            period = rule.period
            extensions = [e.period for e in rule.extensions[: args.extensions]]
            custody, criminal, roll = args.custody or rule.custody, rule.criminal, rule.roll_forward
        else:
            period = Period.parse(args.period)
            custody, criminal, roll = args.custody, args.criminal, True
        if args.suspend < 0:
            return fail("扣除天数不能为负数")
        due = compute_due(
            start, period, cal, custody=custody, criminal=criminal, roll_forward=roll,
            extensions=extensions,
            suspensions=[Suspension(args.suspend, "期间")] if args.suspend else [],
        )  # fmt: skip
    except PeriodError as exc:
        return fail(str(exc))
    if args.json:
        print_json({"due": due.at.isoformat(timespec="minutes") if due.at else due.day.isoformat(),
                    "steps": due.steps, "warnings": due.warnings})  # fmt: skip
    else:
        print(f"届满：{due.text()}")
        for step in due.steps:
            print(f"  {step}")
        for warning in due.warnings:
            print(f"  注意：{warning}")
    return 0


def rule_json(rule: DeadlineRule) -> dict:
    return {
        "id": rule.id,
        "name": rule.name,
        "trigger": rule.trigger,
        "trigger_name": TRIGGERS.get(rule.trigger, rule.trigger),
        "period": rule.period.spec,
        "custody": rule.custody,
        "criminal": rule.criminal,
        "roll_forward": rule.roll_forward,
        "extensions": [
            {"period": e.period.spec, "approver": e.approver, "source": e.source}
            for e in rule.extensions
        ],
        "max_rounds": rule.max_rounds,
        "reminders": list(rule.reminders),
        "families": list(rule.families),
        "procedures": list(rule.procedures),
        "source": rule.source,
        "confidence": rule.confidence,
        "editable": rule.editable,
        "note": rule.note,
    }


def run_rules(args: argparse.Namespace) -> int:
    rules = load_rules(getattr(args, "db", None))
    if args.json:
        print_json([rule_json(r) for r in rules.values()])
        return 0
    for r in rules.values():
        ext = "；".join(f"延长{e.period}（{e.approver}）" for e in r.extensions)
        flags = "，羁押期间不顺延" if r.custody else ""
        print(f"{r.id}  {r.name}：{TRIGGERS.get(r.trigger, r.trigger)}后 {r.period}{flags}"
              f"{'；' + ext if ext else ''}")  # fmt: skip
        print(f"    依据：{r.source}［{r.confidence}］")
    return 0


STATUS = {"overdue": "overdue", "today": "due"}  # every other band is "upcoming"


def run_board(args: argparse.Namespace) -> int:
    from casedesk.services.app import Services
    from casedesk.services.errors import ServiceError
    from casedesk.store.database import StoreError

    try:
        as_of = parse_date(args.as_of) if args.as_of else date.today()
    except DateError as exc:
        return fail(f"--as-of：{exc}")
    path = resolve_db_path(getattr(args, "db", None))
    if not path.exists():
        return fail(f"数据库文件“{path}”不存在")
    try:
        services = Services.open(path)
    except StoreError as exc:
        return fail(str(exc))
    try:
        board = services.deadlines.board(as_of, args.handler, everything=True)
    except ServiceError as exc:
        return fail(str(exc))
    finally:
        services.close()
    rows = [
        {"case_number": i.case_number, "rule_id": i.rule_id, "rule": i.name,
         "subject": i.subject, "due": i.due, "days_left": i.days_left,
         "status": STATUS.get(i.band, "upcoming"), "handler": i.handler,
         "verified": i.verified, "measure_kind": i.measure_kind, "measure_id": i.measure_id}
        for i in board.items
    ]  # fmt: skip
    if args.json:
        print_json({"as_of": as_of.isoformat(), "counts": board.counts, "deadlines": rows})
        return 0
    labels = {"overdue": "已逾期", "due": "今日届满", "upcoming": "进行中"}
    counts = board.counts
    print(f"{as_of.isoformat()}：已逾期 {counts['overdue']}，今日届满 {counts['today']}，"
          f"共 {len(rows)} 个进行中的期限")  # fmt: skip
    for r in rows:
        print(f"{labels[r['status']]}\t{r['due']}\t{r['case_number']}\t{r['rule']}\t{r['handler']}")
    return 0
