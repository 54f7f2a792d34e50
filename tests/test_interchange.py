"""The case interchange file (docs/interchange.md; casedesk/services/interchange/ and
casedesk/cli/interchange.py): export → import round trip, all-or-nothing refusal with every bad
line named, matching of enterprises and persons, audit records, the two commands."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from casedesk.cli.main import main
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft, StageDraft
from casedesk.domain.identifiers import credit_code_check_char, id_number_check_char
from casedesk.services.app import Services
from casedesk.services.dto import CaseDetail
from casedesk.services.errors import ServiceError
from casedesk.services.interchange import export_cases, import_cases
from casedesk.services.lists import CaseFilter
from casedesk.store.backup import backup_sqlite
from casedesk.store.models import AuditRecord, Case, Enterprise, Person

IMPORTER = "导入员"
CODE_A = "91650100MA7000001" + credit_code_check_char("91650100MA7000001")
CODE_B = "91650100MA7000002" + credit_code_check_char("91650100MA7000002")
ID_P = "65010219800101123" + id_number_check_char("65010219800101123")


# -- helpers --------------------------------------------------------------------------------


@pytest.fixture
def fresh(template_db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A second, empty database."""
    sv = Services.open(backup_sqlite(template_db, tmp_path / "b.sqlite3"), IMPORTER)
    yield sv
    sv.close()


def populate(sv: Services) -> None:
    """Three live cases sharing enterprises and a person, one deleted case."""
    a = sv.enterprises.create(
        EnterpriseDraft(
            "新疆甲有限公司", CODE_A, "民营", "小", "制造业", "张甲", "乌鲁木齐", "0991"
        )
    ).id
    first = sv.cases.create(
        CaseDraft(
            "（2023）新01民初123号", "民事", date(2023, 3, 1), "一审普通程序", "买卖合同纠纷",
            "王法官", amount_fen=1_234_567, tags=("涉企", "涉外"), notes="第一行\n第二行",
        )
    ).id  # fmt: skip
    sv.parties.add(first, "原告", enterprise_id=a)
    sv.parties.add(first, "被告", new_person=PersonDraft("李四", ID_P, "139", "天山区"))
    sv.parties.add(first, "第三人", new_enterprise=EnterpriseDraft("无代码商行"))
    sv.timeline.record_stage(first, StageDraft(date(2023, 3, 5), "已立案", "立案"))
    sv.timeline.record_stage(first, StageDraft(date(2023, 4, 1), "审理中"))
    second = sv.cases.create(CaseDraft("（2024）新0102执45号", "执行", date(2024, 1, 10))).id
    detail = sv.cases.get(first)
    no_code = next(p.subject_id for p in detail.parties if p.name == "无代码商行")
    person = next(p.subject_id for p in detail.parties if p.kind == "person")
    sv.parties.add(second, "申请执行人", enterprise_id=a)
    sv.parties.add(second, "被执行人", enterprise_id=no_code)
    sv.parties.add(second, "案外人", person_id=person)
    sv.timeline.record_stage(second, StageDraft(date(2024, 6, 1), "执行完毕", "履行完毕"))
    third = sv.cases.create(CaseDraft("（2023）新01刑初7号", "刑事", date(2023, 5, 2))).id
    sv.parties.add(third, "被告单位", new_enterprise=EnterpriseDraft("乙公司", CODE_B))
    gone = sv.cases.create(CaseDraft("（2023）新01民初999号", "民事", date(2023, 6, 1))).id
    sv.cases.delete(gone)


def case_id(sv: Services, number: str) -> str:
    with sv.db.session() as s:
        return s.scalar(select(Case.id).where(Case.case_number == number)).hex


def comparable(detail: CaseDetail) -> CaseDetail:
    """A case without the ids and version that are the database's own."""
    return dataclasses.replace(
        detail,
        id="",
        version=0,
        parties=tuple(dataclasses.replace(p, id="") for p in detail.parties),
        events=tuple(dataclasses.replace(e, id="") for e in detail.events),
    )


def counts(sv: Services) -> tuple[int, int, int, int]:
    with sv.db.session() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Case, AuditRecord, Enterprise, Person)
        )


def write(path: Path, *lines: object, header: dict | None = None) -> Path:
    """A file of a header (announcing the case lines) and lines (objects or raw text)."""
    cases = sum(1 for line in lines if not isinstance(line, str) or line.startswith("{"))
    head = header or {"format": "casedesk-cases", "version": 1, "cases": cases}
    text = [json.dumps(head, ensure_ascii=False)]
    text += [
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    ]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def case(n: int = 1, **over: object) -> dict:
    """A valid case line."""
    return {
        "type": "case",
        "case_number": f"（2023）新01民初{n}号",
        "family": "民事",
        "accepted_on": "2023-03-01",
        "parties": [{"role": "原告", "enterprise": {"name": "丙公司", "credit_code": CODE_B}}],
    } | over


# -- round trip -----------------------------------------------------------------------------


def test_round_trip_keeps_every_field(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    populate(services)
    out = tmp_path / "cases.jsonl"
    assert export_cases(services.db, out) == 3
    lines = out.read_text(encoding="utf-8").splitlines()
    head = json.loads(lines[0])
    assert head["format"] == "casedesk-cases" and head["version"] == 1 and head["cases"] == 3
    numbers = [json.loads(line)["case_number"] for line in lines[1:]]
    # 案号 order, as the case list sorts them: year, court code, type code, number.
    assert numbers == ["（2023）新01刑初7号", "（2023）新01民初123号", "（2024）新0102执45号"]

    report = import_cases(fresh.db, IMPORTER, out)
    assert report.ok, report.errors
    assert (report.cases, report.parties, report.enterprises_created, report.persons_created) == (
        3, 7, 3, 1,
    )  # fmt: skip
    for number in numbers:
        source = services.cases.get(case_id(services, number))
        copy = fresh.cases.get(case_id(fresh, number))
        assert comparable(copy) == comparable(source)
    # Enterprises and persons keep their ids, so shared ones stay shared.
    assert counts(fresh)[2:] == (3, 1)
    for kind in ("enterprise", "person"):
        with services.db.session() as s:
            model = Enterprise if kind == "enterprise" else Person
            for sid in s.scalars(select(model.id)):
                get = fresh.enterprises.get if kind == "enterprise" else fresh.persons.get
                other = services.enterprises.get if kind == "enterprise" else services.persons.get
                assert get(sid.hex).draft == other(sid.hex).draft
                assert len(get(sid.hex).cases) == len(other(sid.hex).cases)
    # The list summary and the search index are right.
    rows = fresh.case_list.rows(fresh.case_list.keys(CaseFilter(), "case_number", False))
    source_rows = services.case_list.rows(
        services.case_list.keys(CaseFilter(), "case_number", False)
    )
    assert sorted(r.parties_summary for r in rows.values()) == sorted(
        r.parties_summary for r in source_rows.values()
    )
    assert len(fresh.case_list.ids(CaseFilter(search="甲有限"), "case_number", False)) == 2
    assert len(fresh.case_list.ids(CaseFilter(search=ID_P[-6:]), "case_number", False)) == 2
    # Exporting the copy gives the same case lines.
    again = tmp_path / "again.jsonl"
    export_cases(fresh.db, again)
    assert again.read_text(encoding="utf-8").splitlines()[1:] == lines[1:]


def test_import_writes_audit_records_as_the_importer(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    two_events = [
        {"occurred_on": "2023-03-01", "stage": "立案审查", "created_by": "书记员"},
        {"occurred_on": "2023-03-02", "stage": "已立案"},
    ]
    src = write(
        tmp_path / "in.jsonl",
        case(1, events=two_events, tags=["涉企"]),
        case(2, parties=[{"role": "被告", "person": {"name": "赵六", "id_number": ID_P}}]),
    )
    calls: list[tuple[str, int, int]] = []
    report = import_cases(fresh.db, IMPORTER, src, progress=lambda *a: calls.append(a))
    assert report.ok, report.errors
    assert calls[-1] == ("正在导入", 2, 2)
    with fresh.db.session() as s:
        rows = s.execute(select(AuditRecord.actor, AuditRecord.entity_type, AuditRecord.action))
        kinds = Counter((entity, action) for actor, entity, action in rows if actor == IMPORTER)
        assert s.scalar(select(func.count()).select_from(AuditRecord)) == sum(kinds.values())
    assert kinds == {
        ("case", "create"): 2,
        ("case_party", "create"): 2,
        ("case_event", "create"): 3,  # two from the file, the acceptance entry of case 2
        ("enterprise", "create"): 1,
        ("person", "create"): 1,
    }
    history = fresh.cases.history(case_id(fresh, "（2023）新01民初1号"))
    assert {h.entity for h in history} == {"案件", "当事人", "时间线", "企业"}
    detail = fresh.cases.get(case_id(fresh, "（2023）新01民初1号"))
    assert [e.created_by for e in detail.events] == ["书记员", IMPORTER]
    assert detail.stage == "已立案" and detail.tags == ("涉企",)


# -- refusal --------------------------------------------------------------------------------


BAD_CODE = CODE_A[:-1] + ("0" if CODE_A[-1] != "0" else "1")


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        pytest.param(
            case(
                3, parties=[{"role": "原告", "enterprise": {"name": "丁", "credit_code": BAD_CODE}}]
            ),
            f"parties[0].enterprise.credit_code：校验码应为 {CODE_A[-1]}，实为 {BAD_CODE[-1]}",
            id="credit-code",
        ),
        pytest.param(case(3, accepted_on="2023-02-30"), "accepted_on：日期应为", id="date"),
        pytest.param(case(3, family="民事X"), "family：“民事X”不是案件类别", id="family"),
        pytest.param(case(1), "案号 （2023）新01民初1号 与第2行重复", id="duplicate-in-file"),
        pytest.param('{"type": "case", "case_number": ', "不是有效的 JSON", id="malformed-json"),
        pytest.param(
            case(3, tags=["不存在的标签"]), "tags：标签“不存在的标签”不在标签表中", id="tag"
        ),
        pytest.param(case(3, type="measure"), "type：未知的记录类型", id="type"),
        pytest.param(case(3, amount_fen=12.5), "amount_fen：标的额应为整数", id="amount"),
        pytest.param(case(3, parties=[{"role": "原告"}]), "parties[0]：应有且只有", id="subject"),
        pytest.param(
            case(3, stage="已结案", events=[{"occurred_on": "2023-03-01", "stage": "立案审查"}]),
            "stage：与时间线最后的阶段“立案审查”（2023-03-01）不一致",
            id="stage",
        ),
        pytest.param(
            case(3, events=[{"occurred_on": "2023-02-01", "stage": "已立案"}]),
            "events[0].occurred_on：日期不能早于收案日期 2023-03-01",
            id="event-date",
        ),
        pytest.param(
            case(3, parties=[{"role": "原告", "person": {"id": "a" * 32, "name": "钱七"}}] * 2),
            "parties[1]：“钱七”已以“原告”列入本案",
            id="party-twice",
        ),
    ],
)
def test_one_bad_line_refuses_the_whole_file(services, tmp_path: Path, bad, expected: str) -> None:  # type: ignore[no-untyped-def]
    before = counts(services)
    src = write(tmp_path / "in.jsonl", case(1), case(2), bad, case(4))
    report = import_cases(services.db, IMPORTER, src)
    assert not report.ok
    assert [e.line for e in report.errors] == [4], report.errors
    assert expected in report.errors[0].message, report.errors
    assert str(report.errors[0]).startswith("第4行：")
    assert counts(services) == before


def test_every_bad_line_is_listed_and_case_numbers_in_the_database(
    services, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    services.cases.create(CaseDraft("（2023）新01民初2号", "民事", date(2023, 3, 1)))
    before = counts(services)
    src = write(
        tmp_path / "in.jsonl",
        case(1),
        "",  # blank lines are skipped but counted
        case(2),
        case(3, accepted_on="2023-3-1", family="未知"),
        header={"format": "casedesk-cases", "version": 1, "cases": 4},
    )
    report = import_cases(services.db, IMPORTER, src)
    assert [(e.line, e.message.split("：")[0]) for e in report.errors] == [
        (1, "文件头声明有 4 件案件，文件中实有 3 行案件记录（文件可能不完整）"),
        (4, "案号 （2023）新01民初2号 已存在"),
        (5, "family"),
        (5, "accepted_on"),
    ]
    assert counts(services) == before
    assert "未写入任何数据" in report.summary()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"", "是空的", id="empty"),
        pytest.param(b"\n  \n", "是空的", id="blank"),
        pytest.param(
            '{"format": "casedesk-cases", "version": 1, "cases": 0}\n{"名称": "甲"}\n'.encode(
                "gbk"
            ),
            "不是 UTF-8 编码",
            id="not-utf8",
        ),
        pytest.param(json.dumps(case(1)).encode(), "这不是 CaseDesk 案件交换文件", id="no-header"),
        pytest.param(b"\x00\x01binary", "这不是 CaseDesk 案件交换文件", id="binary"),
        pytest.param(
            b'{"format": "casedesk-cases", "version": 2, "cases": 0}',
            "文件格式版本为 2，本程序（CaseDesk",
            id="newer-version",
        ),
        pytest.param(
            b'{"format": "casedesk-cases", "version": "1", "cases": 0}',
            "version 应为正整数",
            id="version-type",
        ),
    ],
)
def test_unreadable_files_get_one_clear_error(
    services, tmp_path: Path, content: bytes, expected: str
) -> None:  # type: ignore[no-untyped-def]
    before = counts(services)
    src = tmp_path / "in.jsonl"
    src.write_bytes(content)
    report = import_cases(services.db, IMPORTER, src)
    assert len(report.errors) == 1, report.errors
    assert expected in str(report.errors[0])
    assert counts(services) == before


def test_missing_file_is_a_service_error(services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="无法读取文件"):
        import_cases(services.db, IMPORTER, tmp_path / "missing.jsonl")


# -- what an import decides -----------------------------------------------------------------


def test_enterprises_and_persons_are_matched_by_id_then_identifier(
    services, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    known = services.enterprises.create(EnterpriseDraft("已登记企业", CODE_A)).id
    person = services.persons.create(PersonDraft("已登记个人", ID_P)).id
    new_id = "0" * 31 + "1"
    src = write(
        tmp_path / "in.jsonl",
        case(1, parties=[
            {"role": "原告", "enterprise": {"id": known, "name": "文件中的名称"}},
            {"role": "被告", "enterprise": {"id": new_id, "name": "新企业"}},
            {"role": "第三人", "person": {"name": "李", "id_number": ID_P.lower()}},
        ]),
        case(2, parties=[
            {"role": "原告", "enterprise": {"name": "别名", "credit_code": CODE_A}},
            {"role": "被告", "enterprise": {"id": new_id, "name": "新企业"}},
            {"role": "第三人", "enterprise": {"name": "无代码企业"}},
            {"role": "案外人", "enterprise": {"name": "无代码企业"}},
        ]),
    )  # fmt: skip
    report = import_cases(services.db, IMPORTER, src)
    assert report.ok, report.errors
    assert (report.enterprises_matched, report.enterprises_created) == (1, 3)
    assert (report.persons_matched, report.persons_created) == (1, 0)
    first = services.cases.get(case_id(services, "（2023）新01民初1号"))
    second = services.cases.get(case_id(services, "（2023）新01民初2号"))
    assert [p.subject_id for p in first.parties] == [known, new_id, person]
    assert first.parties[0].name == "已登记企业"  # the database record wins
    assert [p.subject_id for p in second.parties][:2] == [known, new_id]
    assert second.parties[2].subject_id != second.parties[3].subject_id


def test_deleted_enterprise_is_not_a_party(services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    services.enterprises.create(EnterpriseDraft("已注销企业", CODE_B))
    with services.db.engine.begin() as conn:  # no service deletes enterprises yet
        conn.execute(update(Enterprise).values(deleted_at=datetime.now(UTC)))
    before = counts(services)
    report = import_cases(services.db, IMPORTER, write(tmp_path / "in.jsonl", case(1)))
    assert [str(e) for e in report.errors] == [
        "第2行：parties[0].enterprise：企业“已注销企业”已被删除，不能作为当事人"
    ]
    assert counts(services) == before


def test_timeline_rules(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    closing = [
        {"occurred_on": "2023-03-01", "stage": "立案审查"},
        {"occurred_on": "2023-09-30", "stage": "已结案", "note": "调解结案"},
    ]
    src = write(
        tmp_path / "in.jsonl",
        case(1),
        case(2, stage="审理中"),
        case(3, events=list(reversed(closing)), measures=[{"kind": "查封"}]),
    )
    report = import_cases(fresh.db, IMPORTER, src)
    assert report.ok, report.errors
    plain, later, closed = (
        fresh.cases.get(case_id(fresh, f"（2023）新01民初{n}号")) for n in (1, 2, 3)
    )
    assert plain.stage == "立案审查" and [e.stage for e in plain.events] == ["立案审查"]
    assert later.stage == "审理中" and [e.stage for e in later.events] == ["立案审查", "审理中"]
    assert closed.stage == "已结案" and closed.closed_on == date(2023, 9, 30)
    assert any("结案日期按时间线填为 2023-09-30" in w for w in report.warnings)
    assert any("measures" in w and "第4行" in w for w in report.warnings)


def test_export_leaves_no_partial_file_on_failure(services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    populate(services)
    with pytest.raises(ServiceError, match="无法写入文件"):
        export_cases(services.db, tmp_path / "missing-folder" / "out.jsonl")
    out = tmp_path / "out.jsonl"
    out.write_text("old", encoding="utf-8")

    def stop(_phase: str, _done: int, _total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_cases(services.db, out, progress=stop)
    assert out.read_text(encoding="utf-8") == "old"
    assert not list(tmp_path.glob("*.partial"))


# -- command line ---------------------------------------------------------------------------


def test_cli_export_and_import(
    capsys, services, db_path: Path, template_db: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    populate(services)
    out = tmp_path / "cases.jsonl"
    assert main(["export-cases", "--db", str(db_path), str(out)]) == 0
    assert "已导出 3 件案件" in capsys.readouterr().out
    other = backup_sqlite(template_db, tmp_path / "other.sqlite3")
    assert main(["import-cases", "--db", str(other), str(out)]) == 0
    assert "导入 3 件案件" in capsys.readouterr().out
    assert main(["import-cases", "--db", str(other), str(out)]) == 1
    err = capsys.readouterr().err
    assert "未写入任何数据" in err
    assert "第3行：案号 （2023）新01民初123号 已存在" in err
    assert "第4行：案号 （2024）新0102执45号 已存在" in err


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["import-cases", "{db}", "{missing}"], id="import-missing-file"),
        pytest.param(["export-cases", "{missing}.sqlite3", "{out}"], id="export-missing-db"),
        pytest.param(["export-cases", "{db}", "{missing}/out.jsonl"], id="export-bad-folder"),
        pytest.param(["import-cases", "{notdb}", "{out}"], id="import-not-a-database"),
    ],
)
def test_cli_failures_exit_2(capsys, db_path: Path, tmp_path: Path, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    notdb = tmp_path / "notes.txt"
    notdb.write_text("不是数据库", encoding="utf-8")
    places = {"db": str(db_path), "missing": str(tmp_path / "missing"), "out": str(notdb),
              "notdb": str(notdb)}  # fmt: skip
    command, db, path = (a.format(**places) for a in argv)
    assert main([command, "--db", db, path]) == 2
    assert capsys.readouterr().err.startswith("错误：")
