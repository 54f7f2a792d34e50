"""Compliance cases (合规考察) in the case interchange file (docs/interchange.md §3.8, §6.10): every
field of a compliance case with its members and entries, and its clocks — the deadlines linked
to it (``compliance_case``) and its current 考察期, report and 检察意见 clocks (positions in
``deadlines``) — kept through export → import → export; bad records refused with their key path
and nothing written; files without these keys still imported. Sources: 《关于建立涉案企业合规第三方
监督评估机制的指导意见（试行）》 第4、5条; 刑诉法 第177条第3款 (law.md §5)."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casedesk.domain import compliance as cp
from casedesk.services.app import Services
from casedesk.services.interchange import export_cases, import_cases
from casedesk.store.backup import backup_sqlite
from casedesk.store.compliance_models import (
    ComplianceCase,
    ComplianceClock,
    ComplianceEntry,
    ComplianceMember,
)
from casedesk.store.models import AuditRecord, Deadline
from tests.test_compliance import ALL_CONDITIONS, ago, examining, started
from tests.test_interchange import IMPORTER, case, case_id, write
from tests.test_interchange_deadlines import anonymous, written

TABLES = (ComplianceCase, ComplianceMember, ComplianceEntry, ComplianceClock)


@pytest.fixture
def fresh(template_db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A second, empty database."""
    sv = Services.open(backup_sqlite(template_db, tmp_path / "b.sqlite3"), IMPORTER)
    yield sv
    sv.close()


def all_rows(sv: Services) -> tuple[int, ...]:
    with sv.db.session() as s:
        counts = tuple(s.scalar(select(func.count()).select_from(m)) or 0 for m in TABLES)
    return (*written(sv), *counts)


def populate(sv: Services) -> dict[str, str]:
    """Compliance cases in several states (3 criminal cases): under review; not applied;
    examining with a member objected to and replaced, reports received (one late), an inspection
    and an extension; closed after 不起诉 with the 检察意见 answered; terminated; evaluated and
    heard. State → compliance id."""
    c = sv.compliance
    _case, reviewing = started(sv, 1)
    _case, rejected = started(sv, 2)
    c.reject(rejected, ago(140), "企业不能正常生产经营")
    _case, exam = examining(sv, 3, months=3, interval="1m", start=100)
    member = c.get(exam).members[0]
    c.object_member(exam, member.id, ago(95), "与涉案企业存在业务往来")
    c.replace_member(exam, member.id, ago(90), cp.MemberDraft("赵律师", "律师", "另一律师事务所"))
    c.receive_report(exam, ago(72), "第一次书面报告")
    c.receive_report(exam, ago(30), "第二次书面报告（逾期）")
    c.inspect(exam, ago(25), "现场检查财务制度执行情况")
    c.extend(exam, ago(20), 2, "整改尚未完成")
    _case, closed = examining(sv, 4, months=2, interval="30d", start=110)
    c.receive_report(closed, ago(80))
    c.evaluate(closed, ago(45), "合格", "整改到位")
    c.hear(closed, ago(40), "侦查机关、第三方组织、企业代表")
    c.decide(closed, ago(35), "不起诉", "乌检刑不诉〔2026〕5号")
    c.send_opinion(closed, ago(30), "乌鲁木齐市市场监督管理局")
    c.record_reply(closed, ago(10), "已予以行政处罚")
    c.close(closed, ago(5))
    _case, stopped = examining(sv, 5, months=3, start=60)
    c.terminate(stopped, ago(10), "企业未按计划整改")
    _case, heard = examining(sv, 6, months=2, start=90)
    c.evaluate(heard, ago(20), "不合格")
    c.hear(heard, ago(15), "第三方组织、企业代表")
    return {cp.REVIEWING: reviewing, cp.NOT_APPLIED: rejected, cp.EXAMINING: exam,
            cp.CLOSED: closed, cp.TERMINATED: stopped, cp.HEARD: heard}  # fmt: skip


def views(sv: Services) -> list:
    """Every compliance case as its page shows it, without the database's own ids."""
    out = []
    for row in sv.compliance.rows():
        v = sv.compliance.get(row.id)
        out.append(dataclasses.replace(
            v, case_id="", clocks=tuple(anonymous(x) for x in v.clocks),
            criminal_clocks=tuple(anonymous(x) for x in v.criminal_clocks),
        ))  # fmt: skip
    return sorted(out, key=lambda v: v.id)


def current_clocks(sv: Services) -> list[tuple]:
    """Each compliance case's current clocks, by rule, start, round and state."""
    out = []
    with sv.db.session() as s:
        for c in s.scalars(select(ComplianceCase)):
            for column in ("exam_deadline_id", "report_deadline_id", "opinion_deadline_id"):
                d = s.get(Deadline, getattr(c, column)) if getattr(c, column) else None
                out.append((c.id, column, d and (d.rule_id, d.start_on, d.round, d.status)))
    return sorted(out, key=repr)


def test_compliance_cases_keep_every_field(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = populate(services)
    assert {services.compliance.get(x).state for x in ids.values()} == set(ids)
    out = tmp_path / "cases.jsonl"
    assert export_cases(services.db, out) == 6
    lines = out.read_text(encoding="utf-8").splitlines()
    line = next(json.loads(x) for x in lines[1:] if ids[cp.EXAMINING] in x)
    (exam,) = line["compliance_cases"]
    assert exam["state"] == cp.EXAMINING and exam["conditions"] == sorted(ALL_CONDITIONS)
    assert exam["enterprise_party"] == 0 and exam["exam_months"] == 5
    assert exam["members"][0]["replaced_by"] == exam["members"][2]["id"]
    assert [e["kind"] for e in exam["entries"]] == ["定期报告", "定期报告", "检查", "延长考察期"]
    clock = line["deadlines"][exam["exam_deadline"]]
    assert (clock["rule_id"], clock["compliance_case"], clock["period_spec"]) == (
        "compliance.exam", ids[cp.EXAMINING], "5m",
    )  # fmt: skip
    linked = [d for d in line["deadlines"] if d["compliance_case"] == ids[cp.EXAMINING]]
    assert len(linked) == 5  # the first 考察期 (cancelled on extension), its successor, 3 reports

    report = import_cases(fresh.db, IMPORTER, out)
    assert report.ok, report.errors
    assert not report.warnings, report.warnings
    assert report.compliance == 6 and "合规考察 6 件" in report.summary()
    assert views(fresh) == views(services)
    assert current_clocks(fresh) == current_clocks(services)
    assert all_rows(fresh)[-4:] == all_rows(services)[-4:]
    with fresh.db.session() as s:
        created = (AuditRecord.entity_type == "compliance_case", AuditRecord.action == "create")
        audited = s.scalar(select(func.count()).select_from(AuditRecord).where(*created))
    assert audited == 6
    # A report still due is on the board of the copy as on the original's.
    number = line["case_number"]
    assert [d.rule_id for d in fresh.deadlines.for_case(case_id(fresh, number))] == [
        d.rule_id for d in services.deadlines.for_case(case_id(services, number))
    ]
    again = tmp_path / "again.jsonl"
    export_cases(fresh.db, again)
    assert again.read_text(encoding="utf-8").splitlines()[1:] == lines[1:]


def test_a_next_report_counting_from_a_day_still_to_come(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A report received before its last day: the next one counts from that last day, which
    may be after today — its clock is imported although it starts in the future."""
    _case, cid = examining(services, 1, months=3, interval="1m", start=20)
    services.compliance.receive_report(cid, ago(1), "提前报送")
    out = tmp_path / "cases.jsonl"
    export_cases(services.db, out)
    line = json.loads(out.read_text(encoding="utf-8").splitlines()[1])
    due = line["deadlines"][line["compliance_cases"][0]["report_deadline"]]
    assert due["start_on"] > ago(0).isoformat()
    report = import_cases(fresh.db, IMPORTER, out)
    assert report.ok, report.errors
    assert current_clocks(fresh) == current_clocks(services)


# -- older files ------------------------------------------------------------------------------


def test_a_file_without_compliance_keys_still_imports(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A version-1 file from before compliance: no compliance_cases, deadlines without the
    link; the clocks come across as the case's own deadlines."""
    populate(services)
    out = tmp_path / "cases.jsonl"
    export_cases(services.db, out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()[1:]]
    for line in lines:
        del line["compliance_cases"], line["enforcement"]
        for d in line["deadlines"]:
            del d["compliance_case"]
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "old.jsonl", *lines))
    assert report.ok, report.errors
    assert not [w for w in report.warnings if "已忽略" in w]
    assert report.compliance == 0 and "合规考察" not in report.summary()
    assert all_rows(fresh)[-4:] == (0, 0, 0, 0)
    with services.db.session() as s, fresh.db.session() as f:
        count = select(func.count()).select_from(Deadline)
        assert f.scalar(count) == s.scalar(count)
    old = case(1, case_number="（2025）新01刑初9号", family="刑事")
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "older.jsonl", old))
    assert report.ok, report.errors


# -- refusal ----------------------------------------------------------------------------------


def _set(path: str, value: object) -> Callable[[dict], None]:
    """Set ``value`` at a dotted key path of the line (list indices as numbers)."""

    def change(line: dict) -> None:
        *parents, last = path.split(".")
        target: object = line
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]  # type: ignore[index]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value  # type: ignore[index]

    return change


def _clock_of_other_rule(line: dict) -> None:
    c = line["compliance_cases"][0]
    c["exam_deadline"] = c["opinion_deadline"]


def _linked_to_nothing(line: dict) -> None:
    c = line["compliance_cases"][0]
    line["deadlines"][c["exam_deadline"]]["compliance_case"] = "0" * 31 + "9"


C = "compliance_cases.0"
BAD = [
    # the states of the state machine (指导意见; domain/compliance.py)
    (_set(f"{C}.state", "已起诉"),
     "compliance_cases[0].state：“已起诉”不是合规考察的状态"),
    (_set(f"{C}.enterprise_party", 9),
     "compliance_cases[0].enterprise_party：parties 中没有序号为 9 的当事人"),
    # 指导意见 第3条: the mechanism applies to an enterprise (单位)
    (_set(f"{C}.enterprise_party", 1),
     "enterprise_party：parties[1] 不是企业"),
    (_set(f"{C}.exam_deadline", 99),
     "exam_deadline：deadlines 中没有序号为 99"),
    (_clock_of_other_rule,
     "compliance_cases[0].exam_deadline：deadlines["),
    (_linked_to_nothing,
     "compliance_case：compliance_cases 中没有编号为 " + "0" * 31 + "9"),
    # a step skipped: 已结案 needs the decision (刑诉法 第177条)
    (_set(f"{C}.decided_on", None),
     "compliance_cases[0].decided_on：状态为“已结案”的合规考察应有处理决定日期"),
    (_set(f"{C}.hearing_on", "2020-01-01"),
     "compliance_cases[0].hearing_on：听证日期不能早于"),
    # 不起诉 rests on a passed evaluation
    (_set(f"{C}.result", "不合格"),
     "compliance_cases[0].decision：合规考察评估不合格的，不能据此作出不起诉决定"),
    # 指导意见 第4条: every condition must hold to apply the mechanism
    (_set(f"{C}.conditions", ["admits_guilt"]),
     "compliance_cases[0].conditions：不符合适用条件"),
    (_set(f"{C}.exam_months", 30),
     "compliance_cases[0].exam_months：考察期应为 1 至 24 的整数"),
    (_set(f"{C}.members.0.profession", "医生"),
     "compliance_cases[0].members[0].profession：“医生”不是专业类别"),
    (_set(f"{C}.members.0.position", 3),
     "compliance_cases[0].members[0].position：组成人员应依次编号"),
    (_set(f"{C}.entries.0.kind", "约谈"),
     "compliance_cases[0].entries[0].kind：“约谈”不是记录类型"),
    (_set(f"{C}.opinion_replied_on", None),
     "compliance_cases[0].opinion_replied_on：检察意见尚未收到主管机关回复，不能结案"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "expected"), BAD, ids=[b[1].split("：")[0] for b in BAD])
def test_bad_compliance_records_refuse_the_file(  # type: ignore[no-untyped-def]
    services, fresh, tmp_path: Path, change, expected: str
) -> None:
    ids = populate(services)
    out = tmp_path / "cases.jsonl"
    export_cases(services.db, out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()[1:]]
    at = next(i for i, x in enumerate(lines) if x["compliance_cases"]
              and x["compliance_cases"][0]["id"] == ids[cp.CLOSED])  # fmt: skip
    bad = copy.deepcopy(lines[at])
    change(bad)
    lines[at] = bad
    before = all_rows(fresh)
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "in.jsonl", *lines))
    assert {e.line for e in report.errors} == {at + 2}, report.errors
    assert any(expected in e.message for e in report.errors), report.errors
    assert all_rows(fresh) == before


def test_compliance_on_a_civil_case_refused(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    line = case(1, case_number="（2025）新01民初9号", family="民事", parties=[
        {"role": "被告", "enterprise": {"name": "甲公司"}}],
        compliance_cases=[{"enterprise_party": 0, "state": cp.REVIEWING, "start_kind": "依职权启动",
                           "started_on": (ago(0) - timedelta(days=3)).isoformat()}],
    )  # fmt: skip
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "in.jsonl", line))
    assert [e.message for e in report.errors] == [
        "compliance_cases[0]：合规考察只适用于刑事案件（含检察监督案件），本案为民事案件"
    ]
