"""Trigger events and deadlines in the case interchange file (docs/interchange.md §3.2, §3.3,
§6.6): every field kept through export → import, due dates recomputed by the importing database,
the periods an older file's data implies, and bad deadline entries refused line by line."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft, StageDraft
from casedesk.domain.measures import PersonalMeasureDraft
from casedesk.services.app import Services
from casedesk.services.demo import generate_demo
from casedesk.services.dto import DeadlineView
from casedesk.services.interchange import export_cases, import_cases
from casedesk.store.backup import backup_sqlite
from casedesk.store.models import AuditRecord, Case, CaseEvent, Deadline
from tests.test_interchange import CODE_A, IMPORTER, case, case_id, write

#: Deadline columns that are the database's own, not the case's data.
_OWN = {"id", "case_id", "source_event_id", "updated_at", "version"}
_COLUMNS = [c for c in Deadline.__table__.columns if c.name not in _OWN]
#: Where the status is in a row of :func:`deadline_rows`.
STATUS = 2 + [c.name for c in _COLUMNS].index("status")


@pytest.fixture
def fresh(template_db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A second, empty database."""
    sv = Services.open(backup_sqlite(template_db, tmp_path / "b.sqlite3"), IMPORTER)
    yield sv
    sv.close()


def deadline_rows(sv: Services) -> list[tuple]:
    """Every deadline with every column except the database's own ids and stamps; the event that
    started it is named by its date, trigger and note."""
    with sv.db.session() as s:
        events = {
            e.id: (e.occurred_on, e.occurred_at, e.trigger, e.note)
            for e in s.scalars(select(CaseEvent).where(CaseEvent.kind == "trigger"))
        }
        rows = s.execute(
            select(Case.case_number, Deadline.source_event_id, *_COLUMNS).join(
                Case, Case.id == Deadline.case_id
            )
        ).all()
    return sorted(
        ((number, events.get(source) if source else None, *rest) for number, source, *rest in rows),
        key=repr,
    )


def anonymous(view: DeadlineView) -> DeadlineView:
    """A deadline as the case page shows it, without the database's ids."""
    return dataclasses.replace(view, id="", case_id="")


def table_counts(sv: Services) -> tuple[int, int, int]:
    with sv.db.session() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(m)) or 0 for m in (Case, CaseEvent, Deadline)
        )


def written(sv: Services) -> tuple[int, ...]:
    """Rows in every table an import writes to (nothing may change when a file is refused)."""
    with sv.db.session() as s:
        audit = s.scalar(select(func.count()).select_from(AuditRecord)) or 0
    return (*table_counts(sv), audit)


def populate_deadlines(sv: Services) -> None:
    """Cases with trigger events and deadlines in every state: an acceptance period restarted,
    extended and suspended (open); complaint replies met and cancelled; a detention recorded to
    the minute; a prosecution review met by 退回补充侦查; an enforcement period met on closing."""
    civil = sv.cases.create(
        CaseDraft("（2023）新01民初200号", "民事", date(2023, 3, 1), "一审普通程序", "买卖合同纠纷")
    ).id
    sv.parties.add(civil, "原告", new_enterprise=EnterpriseDraft("新疆甲有限公司", CODE_A))
    (trial,) = sv.deadlines.for_case(civil)
    sv.deadlines.restart(trial.id, date(2023, 4, 3), "移送管辖，自收到案件之日起重新计算")
    sv.deadlines.extend(trial.id, "本院院长", date(2023, 9, 28), "延长审限审批表")
    sv.deadlines.suspend(trial.id, 30, "公告期间")
    sv.deadlines.record_trigger(
        civil, "complaint_filed", date(2023, 5, 10), note="反映久拖未结", subject="甲公司（来信）"
    )
    replies = {v.rule_id: v for v in sv.deadlines.for_case(civil)}
    sv.deadlines.meet(replies["complaint.procedural_reply"].id, date(2023, 5, 15), "已程序性回复")
    sv.deadlines.cancel(replies["complaint.result_reply"].id, "投诉人撤回投诉")
    criminal = sv.cases.create(
        CaseDraft("（2023）新01刑初8号", "刑事", date(2023, 5, 2), "一审普通程序")
    ).id
    suspect = sv.parties.add(criminal, "犯罪嫌疑人", new_person=PersonDraft("张三"))
    sv.personal_measures.add(criminal, PersonalMeasureDraft(
        "拘留", suspect, date(2023, 5, 3), datetime(2023, 5, 3, 10, 25)))  # fmt: skip
    sv.deadlines.record_trigger(criminal, "prosecution_received", date(2023, 6, 1))
    sv.deadlines.record_trigger(criminal, "returned_for_investigation", date(2023, 6, 20))
    enforcement = sv.cases.create(CaseDraft("（2024）新0102执45号", "执行", date(2024, 1, 10))).id
    sv.timeline.record_stage(enforcement, StageDraft(date(2024, 6, 1), "执行完毕", "履行完毕"))


# -- round trips ----------------------------------------------------------------------------


def test_trigger_events_and_deadlines_keep_every_field(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    populate_deadlines(services)
    rows = deadline_rows(services)
    assert {row[STATUS] for row in rows} == {"open", "met", "cancelled"}
    (trial,) = [
        v
        for v in services.deadlines.for_case(case_id(services, "（2023）新01民初200号"))
        if v.rule_id == "civil.first.ordinary"
    ]
    assert (trial.status, trial.extensions_used, trial.suspended_days) == ("open", 1, 30)
    assert trial.start == "2023-04-03"  # restarted

    out = tmp_path / "cases.jsonl"
    assert export_cases(services.db, out) == 3
    lines = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["version"] == 1
    criminal = json.loads(lines[1])
    triggers = [e for e in criminal["events"] if e["kind"] == "trigger"]
    assert [e["trigger"] for e in triggers] == [
        "detained", "prosecution_received", "returned_for_investigation",
    ]  # fmt: skip
    assert triggers[0]["occurred_at"] == "2023-05-03T10:25"
    detention = next(d for d in criminal["deadlines"] if d["trigger"] == "detained")
    assert criminal["events"][detention["source_event"]] == triggers[0]
    assert detention["start_at"] == "2023-05-03T10:25" and detention["subject"] == "张三"

    report = import_cases(fresh.db, IMPORTER, out)
    assert report.ok, report.errors
    assert not report.warnings, report.warnings
    assert report.deadlines == len(rows) == 8
    assert deadline_rows(fresh) == rows
    for number in ("（2023）新01民初200号", "（2023）新01刑初8号", "（2024）新0102执45号"):
        source = services.deadlines.for_case(case_id(services, number))
        copy = fresh.deadlines.for_case(case_id(fresh, number))
        assert source and [anonymous(v) for v in copy] == [anonymous(v) for v in source]
        assert [e.stage for e in fresh.cases.get(case_id(fresh, number)).events] == [
            e.stage for e in services.cases.get(case_id(services, number)).events
        ]
    # One audit record per deadline and trigger event, as the services write them.
    with fresh.db.session() as s:
        audited = Counter(
            s.execute(select(AuditRecord.entity_type, AuditRecord.label, AuditRecord.action))
        )
    assert audited[("deadline", "拘留后提请批准逮捕", "create")] == 1
    assert audited[("case_event", "刑事拘留", "create")] == 1
    assert sum(n for (kind, _l, _a), n in audited.items() if kind == "deadline") == 8
    # Exporting the copy gives the same case lines.
    again = tmp_path / "again.jsonl"
    export_cases(fresh.db, again)
    assert again.read_text(encoding="utf-8").splitlines()[1:] == lines[1:]


def test_demo_round_trip(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    generate_demo(services.db, 300, seed=1)
    out = tmp_path / "demo.jsonl"
    assert export_cases(services.db, out) == 300
    report = import_cases(fresh.db, IMPORTER, out)
    assert report.ok, report.errors[:5]
    cases, events, deadlines = table_counts(services)
    assert deadlines > 250 and events > cases * 5
    assert table_counts(fresh) == (cases, events, deadlines)
    assert (report.cases, report.events, report.deadlines) == (cases, events, deadlines)

    def states(sv: Services) -> Counter:
        columns = (Deadline.rule_id, Deadline.round, Deadline.status, Deadline.due_on,
                   Deadline.due_at, Deadline.closed_on)  # fmt: skip
        query = select(Case.case_number, *columns).join(Case, Case.id == Deadline.case_id)
        with sv.db.session() as s:
            return Counter(s.execute(query))

    before = states(services)
    # cancelled: clocks of a compliance case terminated, of reports no longer due …
    assert (
        {"open", "met"}
        <= {status for _n, _r, _k, status, *_ in before}
        <= {"open", "met", "cancelled"}
    )
    assert states(fresh) == before
    assert deadline_rows(fresh) == deadline_rows(services)


def test_due_dates_are_the_importing_database_s(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    populate_deadlines(services)
    out = tmp_path / "cases.jsonl"
    export_cases(services.db, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    civil = json.loads(lines[2])
    trial = next(d for d in civil["deadlines"] if d["rule_id"] == "civil.first.ordinary")
    right, trial["due_on"] = trial["due_on"], "2023-01-01"
    lines[2] = json.dumps(civil, ensure_ascii=False)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_cases(fresh.db, IMPORTER, out)
    assert report.ok, report.errors
    assert [w for w in report.warnings if "届满日" in w] == [
        "第3行：deadlines[0]：按本库的节假日和期限规则，“民事一审普通程序审限”的届满日为 "
        f"{right}（文件中为 2023-01-01）"
    ]
    assert deadline_rows(fresh) == deadline_rows(services)


# -- lines without deadlines ----------------------------------------------------------------


def test_old_file_gets_the_periods_its_data_implies(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A line without "deadlines" gets what registering the case and recording its trigger
    events through the services gives (here compared with exactly that)."""
    closing = [
        {"occurred_on": "2023-03-01", "stage": "立案审查"},
        {"occurred_on": "2023-09-30", "stage": "已结案"},
    ]
    detention = {"occurred_on": "2023-03-02", "kind": "trigger", "trigger": "detained",
                 "occurred_at": "2023-03-02T09:30", "note": "刑事拘留"}  # fmt: skip
    criminal = {"case_number": "（2023）新01刑初3号", "family": "刑事", "procedure": "一审普通程序"}
    src = write(
        tmp_path / "old.jsonl",
        case(1, procedure="一审普通程序"),
        case(2, procedure="一审普通程序", events=closing),
        case(3, **criminal, events=[{"occurred_on": "2023-03-01", "stage": "立案侦查"}, detention]),
    )
    report = import_cases(fresh.db, IMPORTER, src)
    assert report.ok, report.errors
    assert report.deadlines == 4

    for n, d in ((1, None), (2, date(2023, 9, 30))):
        sv_case = services.cases.create(
            CaseDraft(f"（2023）新01民初{n}号", "民事", date(2023, 3, 1), "一审普通程序")
        ).id
        if d is not None:
            services.timeline.record_stage(sv_case, StageDraft(d, "已结案"))
    sv_case = services.cases.create(
        CaseDraft("（2023）新01刑初3号", "刑事", date(2023, 3, 1), "一审普通程序")
    ).id
    suspect = services.parties.add(sv_case, "犯罪嫌疑人", new_person=PersonDraft("张三"))
    services.personal_measures.add(sv_case, PersonalMeasureDraft(
        "拘留", suspect, date(2023, 3, 2), datetime(2023, 3, 2, 9, 30)))  # fmt: skip

    def shown(sv: Services, number: str) -> list[tuple]:
        return [
            (v.rule_id, v.trigger, v.start, v.due, v.status, v.closed_on, v.close_note, v.round)
            for v in sv.deadlines.for_case(case_id(sv, number))
        ]

    for number in ("（2023）新01民初1号", "（2023）新01民初2号", "（2023）新01刑初3号"):
        assert shown(fresh, number) == shown(services, number), number
    assert shown(fresh, "（2023）新01民初2号")[0][4:7] == ("met", date(2023, 9, 30), "已结案")
    detained = next(r for r in deadline_rows(fresh) if r[1] is not None)
    assert detained[1] == (date(2023, 3, 2), datetime(2023, 3, 2, 9, 30), "detained", "刑事拘留")
    with fresh.db.session() as s:
        actions = Counter(
            s.execute(
                select(AuditRecord.action).where(AuditRecord.entity_type == "deadline")
            ).scalars()
        )
    assert actions == {"create": 4, "update": 1}  # created, and met when the case closed


def test_acceptance_periods_out_of_step_are_brought_in_line(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = write(tmp_path / "in.jsonl", case(1, procedure="一审普通程序", deadlines=[]))
    report = import_cases(fresh.db, IMPORTER, src)
    assert report.ok, report.errors
    assert report.deadlines == 1
    assert any(w.startswith("第2行：deadlines：自收案日期起算的期限") for w in report.warnings)
    (view,) = fresh.deadlines.for_case(case_id(fresh, "（2023）新01民初1号"))
    assert (view.rule_id, view.start, view.status) == ("civil.first.ordinary", "2023-03-01", "open")


# -- refusal --------------------------------------------------------------------------------

_STAGE = {"occurred_on": "2023-03-01", "stage": "立案侦查"}
_DETAINED = {"occurred_on": "2023-03-02", "kind": "trigger", "trigger": "detained"}


def criminal_line(n: int = 3, event: dict | None = None, **deadline: object) -> dict:
    """A criminal case line with a detention and its deadline (``deadline`` overrides keys)."""
    entry = {"rule_id": "criminal.detention.request_arrest", "trigger": "detained",
             "source_event": 1, "start_on": "2023-03-02", "status": "open"} | deadline  # fmt: skip
    return case(
        n, case_number=f"（2023）新01刑初{n}号", family="刑事", procedure="一审普通程序",
        events=[_STAGE, _DETAINED | (event or {})], deadlines=[entry],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        pytest.param(
            criminal_line(rule_id="criminal.no_such_rule"),
            "deadlines[0].rule_id：“criminal.no_such_rule”不是本程序的期限规则",
            id="unknown-rule",
        ),
        pytest.param(
            criminal_line(extensions_used=2),
            "deadlines[0].extensions_used：已延长 2 次，超过期限规则“拘留后提请批准逮捕”"
            "可延长的次数（1 次）",
            id="extensions-beyond-the-rule",
        ),
        pytest.param(
            criminal_line(status="done"),
            "deadlines[0].status：“done”不是期限的状态，应为 open（进行中）",
            id="bad-status",
        ),
        pytest.param(
            criminal_line(trigger="arrested"),
            "deadlines[0].trigger：“arrested”不是期限规则“拘留后提请批准逮捕”的起算事件"
            "（应为 detained：刑事拘留）",
            id="trigger-not-the-rule-s",
        ),
        pytest.param(
            criminal_line(source_event=0),
            "deadlines[0].source_event：events[0] 是阶段记录，不是期限事件",
            id="source-is-a-stage",
        ),
        pytest.param(
            criminal_line(source_event=5),
            "deadlines[0].source_event：events 中没有序号为 5 的记录",
            id="source-out-of-range",
        ),
        pytest.param(
            criminal_line(rule_id="criminal.arrest.review", trigger="arrest_requested"),
            "deadlines[0].source_event：events[1] 的事件“刑事拘留”不是本期限的起算事件",
            id="source-another-trigger",
        ),
        pytest.param(
            criminal_line(status="met"),
            "deadlines[0].closed_on：已完成的期限应有完成日期",
            id="met-without-date",
        ),
        pytest.param(
            criminal_line(start_on="2023-02-30"), "deadlines[0].start_on：日期应为", id="date"
        ),
        pytest.param(
            criminal_line(suspensions=[{"days": "30", "reason": "公告期间"}]),
            "deadlines[0].suspensions[0].days：应为不小于 1 的整数",
            id="suspension-days",
        ),
        pytest.param(
            criminal_line(extension_log={"approver": "院长"}),
            "deadlines[0].extension_log：应为数组",
            id="list-not-an-array",
        ),
        pytest.param(
            criminal_line(restarts=[{"reason": "改变管辖"}]),
            "deadlines[0].restarts[0].on：缺少必填项",
            id="restart-without-day",
        ),
        pytest.param(
            criminal_line(event={"trigger": "jailed"}),
            "events[1].trigger：“jailed”不是本程序认识的期限事件",
            id="unknown-trigger",
        ),
        pytest.param(
            criminal_line(event={"occurred_at": "2023-03-03T10:00"}),
            "events[1].occurred_at：时刻与日期 2023-03-02 不是同一天",
            id="trigger-time",
        ),
        pytest.param(
            case(3, events=[{"occurred_on": "2023-03-01", "stage": "立案审查", "trigger": "x"}]),
            "events[0].trigger：只有期限事件（kind 为 trigger）才有此项",
            id="stage-with-trigger",
        ),
        pytest.param(
            case(3, events=[{"occurred_on": "2023-03-01", "kind": "measure", "stage": "x"}]),
            "events[0].kind：未知的记录类型“measure”（版本 1 只有 stage 和 trigger）",
            id="unknown-kind",
        ),
    ],
)
def test_bad_deadline_entries_refuse_the_file(fresh, tmp_path: Path, bad, expected: str) -> None:  # type: ignore[no-untyped-def]
    before = written(fresh)
    src = write(tmp_path / "in.jsonl", criminal_line(1), case(2), bad, case(4))
    report = import_cases(fresh.db, IMPORTER, src)
    assert [e.line for e in report.errors] == [4], report.errors
    assert report.errors[0].message.startswith(expected), report.errors
    assert written(fresh) == before


def test_every_line_with_bad_deadlines_is_listed(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = written(fresh)
    src = write(
        tmp_path / "in.jsonl",
        criminal_line(1, rule_id="no.such", status="closed"),
        criminal_line(2),
        criminal_line(3, extensions_used=5),
    )
    report = import_cases(fresh.db, IMPORTER, src)
    assert [(e.line, e.message.split("：")[0]) for e in report.errors] == [
        (2, "deadlines[0].rule_id"),
        (2, "deadlines[0].status"),
        (4, "deadlines[0].extensions_used"),
    ]
    assert "未写入任何数据" in report.summary()
    assert written(fresh) == before
