"""Suggestion documents (建议书) in the case interchange file (docs/interchange.md §3.10, §6.11):
every field of a suggestion with its body, service, reply and 催办 / 回访 entries, its reply clock
(a position in ``deadlines``), and the header's counters, number patterns and wording templates —
kept through export → import → export, numbering going on after the import without a duplicate;
bad records refused with their key path and nothing written; files without these keys still
imported. Sources: 《关于综合治理类司法建议工作若干问题的规定》(法释〔2023〕11号) 第6条 (统一编号)、
第8条 (reply within two months); 《人民检察院检察建议工作规定》 (content, service, reply); GB/T
9704-2012 7.2.4 (发文字号: 〔year〕, 序号 without leading zeros) — law.md §7."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casedesk.domain import documents as dm
from casedesk.domain.doc_templates import Wording
from casedesk.services.app import Services
from casedesk.services.demo import generate_demo
from casedesk.services.interchange import export_cases, import_cases
from casedesk.services.suggestions_dto import DRAFT, FINAL, OVERDUE, REPLIED, SERVED
from casedesk.store.backup import backup_sqlite
from casedesk.store.models import AuditRecord, Deadline
from casedesk.store.suggestion_models import (
    Suggestion,
    SuggestionCounter,
    SuggestionEntry,
    SuggestionPattern,
    SuggestionTemplate,
)
from tests.test_interchange import IMPORTER, case_id, write
from tests.test_interchange_deadlines import written
from tests.test_suggestions import COURT, PROCURATORATE, ago, finalised, new_case, ready

TABLES = (Suggestion, SuggestionEntry, SuggestionCounter, SuggestionPattern, SuggestionTemplate)
FIRM = 'A&B <国际> "丝路"有限公司'
PROC_WORDING = Wording("本院在办理{{案号}}一案中发现以下问题。", "请于两个月内书面回复本院。",
                       "特此建议。")  # fmt: skip


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
    """Suggestions in every state on two civil cases (新01), and a procuratorate's with its own
    number pattern and wording: a draft; a finalised one; one served; one served 100 days ago
    and not answered (overdue) with a 催办; a 综合治理类 one with attachments, 抄送, related
    cases and contact, served, reminded, answered (部分采纳) and revisited; a complaint's
    clocks beside them. State → id."""
    s = sv.suggestions
    first = new_case(sv, 1, cause="合同纠纷 & <其他>", firm=FIRM)
    second = new_case(sv, 2)
    draft = s.new_draft(first, dm.JUDICIAL, "个案", recipient=FIRM)
    final = finalised(sv, first)
    served = finalised(sv, first)
    s.serve(served, "电子送达", ago(10), "某局")
    overdue = finalised(sv, second)
    s.serve(overdue, "宣告送达", ago(100), "某局局长等")
    s.remind(overdue, ago(30), "电话催办")
    replied = s.new_draft(second, dm.JUDICIAL, "综合治理类")
    ready(sv, replied)
    view = s.get(replied)
    s.save_draft(replied, view.version, dataclasses.replace(
        view.draft, attachments=("相关判决书",), copy_to=("某市人民政府", "某局党组"),
        source_cases=("（2025）新01民初1号",), contact="王法官 0991-1234567"))  # fmt: skip
    s.finalise(replied)
    s.serve(replied, "直接送达", ago(80), "办公室张某")
    s.remind(replied, ago(20), "书面催办")
    s.record_reply(replied, ago(10), "已整改", "部分采纳", "建立联席机制")
    s.revisit(replied, ago(5), "回访整改落实情况良好")
    sv.deadlines.record_trigger(second, "complaint_filed", ago(30), subject="某公司（来信）")
    s.set_unit_names("", PROCURATORATE)
    s.set_pattern(PROCURATORATE, dm.PROCURATORIAL, "{abbr}检{dept}建〔{year}〕{n}号",
                  {"abbr": "乌", "dept": "民"})  # fmt: skip
    s.set_template(PROCURATORATE, dm.PROCURATORIAL, PROC_WORDING)
    proc = s.new_draft(second, dm.PROCURATORIAL, "社会治理检察建议", recipient="某区市场监督管理局")
    ready(sv, proc, ago(60), recipient="某区市场监督管理局")
    s.finalise(proc)
    s.serve(proc, "直接送达", ago(50), "局办公室")
    s.record_reply(proc, ago(40), "已按建议整改", "采纳")
    return {DRAFT: draft, FINAL: final, SERVED: served, OVERDUE: overdue, REPLIED: replied,
            "检察建议": proc}  # fmt: skip


def views(sv: Services) -> list:
    """Every suggestion as its page shows it, without what is the database's own (version,
    change time, the case's and the clock's ids)."""
    out = []
    for row in sv.suggestions.ledger():
        v = sv.suggestions.get(row.id)
        out.append(dataclasses.replace(
            v, version=0, case_id="", updated_at=None,
            reply_deadline_id="clock" if v.reply_deadline_id else "",
        ))  # fmt: skip
    return sorted(out, key=lambda v: v.id)


def ledger(sv: Services) -> list:
    rows = (dataclasses.replace(r, case_id="") for r in sv.suggestions.ledger())
    return sorted(rows, key=lambda r: r.id)


def settings(sv: Services) -> list[tuple]:
    with sv.db.session() as s:
        return sorted(
            (m.__tablename__, *(getattr(r, c.name) for c in m.__table__.columns))
            for m in (SuggestionCounter, SuggestionPattern, SuggestionTemplate)
            for r in s.scalars(select(m))
        )


def lines_of(path: Path) -> tuple[dict, list[str]]:
    """The header without its export time, and the case lines."""
    head, *lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(head)
    del header["exported_at"]
    return header, lines


def test_suggestions_keep_every_field(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = populate(services)
    assert {r.state for r in services.suggestions.ledger()} == {DRAFT, FINAL, SERVED, OVERDUE,
                                                                 REPLIED}  # fmt: skip
    out = tmp_path / "cases.jsonl"
    assert export_cases(services.db, out) == 2
    header, lines = lines_of(out)
    assert [c["pattern"] for c in header["suggestion_patterns"]] == ["乌检民建〔{year}〕{n}号"]
    assert header["suggestion_templates"][0]["closing"] == "特此建议。"
    assert {(c["unit"], c["last_seq"]) for c in header["suggestion_counters"]} == {
        (COURT, 4), (PROCURATORATE, 1)}  # fmt: skip
    line = next(json.loads(x) for x in lines if ids[REPLIED] in x)
    replied = next(x for x in line["suggestions"] if x["id"] == ids[REPLIED])
    assert (replied["state"], replied["seq"], replied["number"]) == (
        REPLIED, 4, "新01法建〔2025〕4号")  # fmt: skip
    assert replied["copy_to"] == ["某市人民政府", "某局党组"] and replied["blocks"][0]["kind"]
    assert [e["kind"] for e in replied["entries"]] == ["催办", "回访"]
    clock = line["deadlines"][replied["reply_deadline"]]
    # 2023 规定 第8条: the reply clock (two months) starts on the day of service
    assert (clock["rule_id"], clock["start_on"], clock["status"]) == (
        "suggestion.reply", replied["served_on"], "met")  # fmt: skip

    report = import_cases(fresh.db, IMPORTER, out)
    assert report.ok, report.errors
    assert not report.warnings, report.warnings
    assert report.suggestions == 6 and "建议书 6 份" in report.summary()
    assert views(fresh) == views(services)
    assert ledger(fresh) == ledger(services)
    assert fresh.suggestions.statistics(2025) == services.suggestions.statistics(2025)
    assert settings(fresh) == settings(services)
    assert fresh.suggestions.get(ids[OVERDUE]).state == OVERDUE  # the board's clock came along
    with fresh.db.session() as s:
        created = (AuditRecord.entity_type == "suggestion", AuditRecord.action == "create")
        assert s.scalar(select(func.count()).select_from(AuditRecord).where(*created)) == 6
    again = tmp_path / "again.jsonl"
    export_cases(fresh.db, again)
    assert lines_of(again) == (header, lines)

    # Numbering goes on after the imported numbers, in both databases alike (2023 规定 第6条).
    for sv in (services, fresh):
        number = case_id(sv, "（2025）新01民初1号")
        sid = finalised(sv, number)
        assert sv.suggestions.get(sid).number == "新01法建〔2025〕5号"
        sv.suggestions.set_unit_names("", PROCURATORATE)  # a setting, not in the file
        proc = sv.suggestions.new_draft(number, dm.PROCURATORIAL, "其他检察建议", recipient="某局")
        ready(sv, proc, ago(60))
        assert sv.suggestions.finalise(proc) == f"乌检民建〔{ago(60).year}〕2号"
        assert sv.suggestions.get(proc).blocks[1].text.startswith("本院在办理（2025）新01民初1号")


def test_demo_round_trip(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    generate_demo(services.db, 300, seed=1)
    out = tmp_path / "demo.jsonl"
    export_cases(services.db, out)
    header, lines = lines_of(out)
    found = [s for x in lines for s in json.loads(x)["suggestions"]]
    assert len(found) >= 5 and all(s["reply_deadline"] is not None for s in found)
    assert header["suggestion_counters"] and header["suggestion_patterns"]
    report = import_cases(fresh.db, IMPORTER, out)
    assert report.ok, report.errors[:5]
    assert report.suggestions == len(found)
    assert views(fresh) == views(services) and settings(fresh) == settings(services)
    again = tmp_path / "again.jsonl"
    export_cases(fresh.db, again)
    assert lines_of(again) == (header, lines)


# -- older files ------------------------------------------------------------------------------


def test_a_file_without_suggestions_still_imports(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A version-1 file from before suggestions: no ``suggestions``, no header settings; the
    reply clocks come across as the case's own deadlines."""
    populate(services)
    out = tmp_path / "cases.jsonl"
    export_cases(services.db, out)
    lines = [json.loads(x) for x in lines_of(out)[1]]
    for line in lines:
        del line["suggestions"]
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "old.jsonl", *lines))
    assert report.ok, report.errors
    assert not [w for w in report.warnings if "已忽略" in w]
    assert report.suggestions == 0 and "建议书" not in report.summary()
    assert all_rows(fresh)[-5:] == (0, 0, 0, 0, 0)
    with services.db.session() as s, fresh.db.session() as f:
        count = select(func.count()).select_from(Deadline)
        assert f.scalar(count) == s.scalar(count)


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
    s = line["suggestions"][0]
    s["reply_deadline"] = next(
        i for i, d in enumerate(line["deadlines"]) if d["rule_id"] != "suggestion.reply"
    )


def _served_later(line: dict) -> None:
    s = line["suggestions"][0]
    s["served_on"] = (date.fromisoformat(s["served_on"]) + timedelta(days=1)).isoformat()


def _no_items(line: dict) -> None:
    s = line["suggestions"][0]
    s["blocks"] = [b for b in s["blocks"] if b["kind"] != dm.ITEM]


S = "suggestions.0"
BAD = [
    (_set(f"{S}.state", "已撤回"),
     "suggestions[0].state：“已撤回”不是建议书的状态"),
    (_set(f"{S}.kind", "司法意见书"),
     "suggestions[0].kind：“司法意见书”不是文书种类"),
    (_set(f"{S}.subtype", "个别类"),
     "suggestions[0].subtype：司法建议书没有“个别类”这一类别"),
    # 2023 规定 第6条: a suggestion issued is numbered
    (_set(f"{S}.number", ""),
     "suggestions[0].number：状态为“已回复”的建议书应有编号"),
    (_set(f"{S}.seq", None),
     "suggestions[0].seq：状态为“已回复”的建议书应有序号"),
    (_set(f"{S}.seq", 0),
     "suggestions[0].seq：序号应为正整数"),
    # GB/T 9704-2012 7.2.4: the number holds the year of the document in 〔〕
    (_set(f"{S}.year", 2024),
     "suggestions[0].year：编号按成文日期的年度编排，应为 2025"),
    (_set(f"{S}.number", "新01法建〔2024〕4号"),
     "suggestions[0].number：编号“新01法建〔2024〕4号”与年度 2025、序号 4 不符"),
    # finalising needs the recipient, the suggestion items, nothing left to fill (issue 6)
    (_set(f"{S}.recipient", ""),
     "suggestions[0].recipient：请填写主送单位"),
    (_no_items,
     "suggestions[0].blocks：建议书须至少有一项建议内容"),
    (_set(f"{S}.blocks.0.text", "{{结案日期}}审结。"),
     "suggestions[0].blocks：占位符 {{结案日期}} 无法填写"),
    (_set(f"{S}.blocks.0.kind", "table"),
     "suggestions[0].blocks[0].kind：“table”不是段落类型"),
    (_set(f"{S}.signed_on", "2020-01-01"),
     "suggestions[0].signed_on：成文日期不能早于收案日期"),
    # service (检察建议工作规定: written service or 宣告送达) after the signing date
    (_set(f"{S}.served_way", "托人带去"),
     "suggestions[0].served_way：“托人带去”不是送达方式"),
    (_set(f"{S}.served_on", "2025-03-05"),
     "suggestions[0].served_on：送达日期不能早于成文日期"),
    (_set(f"{S}.served_receiver", ""),
     "suggestions[0].served_receiver：已送达的建议书应有签收人"),
    # the recipient's written reply (人民检察院组织法 第21条; 2023 规定 第8条)
    (_set(f"{S}.adoption", ""),
     "suggestions[0].adoption：已回复的建议书应有采纳情况"),
    (_set(f"{S}.replied_on", "2099-01-01"),
     "suggestions[0].replied_on：回复日期不能晚于今天"),
    (_set(f"{S}.state", FINAL),
     "suggestions[0].served_way：状态为“已定稿”的建议书不应有送达方式"),
    (_set(f"{S}.state", DRAFT),
     "suggestions[0].seq：草稿尚未定稿编号，不应有编号或序号"),
    (_set(f"{S}.reply_deadline", 99),
     "suggestions[0].reply_deadline：deadlines 中没有序号为 99 的期限"),
    (_clock_of_other_rule,
     "suggestions[0].reply_deadline：deadlines["),
    (_served_later,
     "suggestions[0].reply_deadline：回复期限应自送达日期"),
    (_set(f"{S}.entries.0.kind", "约谈"),
     "suggestions[0].entries[0].kind：“约谈”不是跟踪记录类型"),
    (_set(f"{S}.entries.1.note", ""),
     "suggestions[0].entries[1].note：请写明回访情况"),
    (_set(f"{S}.entries.0.occurred_on", "2025-01-01"),
     "suggestions[0].entries[0].occurred_on：催办日期不能早于送达日期"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "expected"), BAD, ids=[b[1].split("：")[0] for b in BAD])
def test_bad_suggestions_refuse_the_file(  # type: ignore[no-untyped-def]
    services, fresh, tmp_path: Path, change, expected: str
) -> None:
    ids = populate(services)
    out = tmp_path / "cases.jsonl"
    export_cases(services.db, out)
    lines = [json.loads(x) for x in lines_of(out)[1]]
    at = next(i for i, x in enumerate(lines) if any(s["id"] == ids[REPLIED]
                                                    for s in x["suggestions"]))  # fmt: skip
    bad = copy.deepcopy(lines[at])
    bad["suggestions"].sort(key=lambda s: s["id"] != ids[REPLIED])  # the replied one first
    change(bad)
    lines[at] = bad
    before = all_rows(fresh)
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "in.jsonl", *lines))
    assert {e.line for e in report.errors} == {at + 2}, report.errors
    assert any(expected in e.message for e in report.errors), report.errors
    assert all_rows(fresh) == before


def test_a_number_used_twice_is_refused(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """One number per issuing unit, kind, year and 序号 (2023 规定 第6条): twice in the file,
    or already in the receiving database, refuses the line; nothing is written."""
    ids = populate(services)
    out = tmp_path / "cases.jsonl"
    export_cases(services.db, out)
    lines = [json.loads(x) for x in lines_of(out)[1]]
    first = next(i for i, x in enumerate(lines) if any(s["id"] == ids[FINAL]
                                                       for s in x["suggestions"]))  # fmt: skip
    second = 1 - first
    dup = copy.deepcopy(lines)
    twin = next(s for s in dup[second]["suggestions"] if s["id"] == ids[OVERDUE])
    at = dup[second]["suggestions"].index(twin)
    taken = next(s for s in dup[first]["suggestions"] if s["id"] == ids[FINAL])
    twin["seq"], twin["number"] = taken["seq"], taken["number"]
    before = all_rows(fresh)
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "dup.jsonl", *dup))
    where = f"suggestions[{dup[first]['suggestions'].index(taken)}]"
    assert [str(e) for e in report.errors] == [
        f"第{second + 2}行：suggestions[{at}].seq：{COURT}2025年司法建议书第1号与第{first + 2}行 "
        f"{where} 重复"
    ]
    assert all_rows(fresh) == before
    # The same numbers already in the database: a case imported before under another 案号.
    assert import_cases(fresh.db, IMPORTER, out).ok
    again = copy.deepcopy(lines[first])
    again["case_number"] = "（2025）新01民初9号"
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "again.jsonl", again))
    assert (
        "本库案件 （2025）新01民初1号 的建议书（新01法建〔2025〕1号）使用"
        in report.errors[0].message
    )
    assert report.errors[0].message.startswith(
        f"suggestions[{dup[first]['suggestions'].index(taken)}]"
    )


# -- the header's settings ----------------------------------------------------------------------


def test_bad_settings_refuse_the_file(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The administrator's forms' rules: a pattern holds 〔{year}〕 and {n} (GB/T 9704-2012
    7.2.4); wording blocks only known placeholders and a reply sentence; known kinds."""
    head = {
        "format": "casedesk-cases", "version": 1, "cases": 0,
        "suggestion_counters": [{"unit": COURT, "kind": "司法建议", "year": 2025, "last_seq": 3}],
        "suggestion_patterns": [{"unit": PROCURATORATE, "kind": dm.PROCURATORIAL,
                                 "pattern": "乌检民建〔2026〕{n}号"}],
        "suggestion_templates": [{"unit": COURT, "kind": dm.JUDICIAL, "opening": "{{法官}}",
                                  "reply": ""}],
    }  # fmt: skip
    before = all_rows(fresh)
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "in.jsonl", header=head))
    messages = [str(e) for e in report.errors]
    assert messages[0].startswith("第1行：suggestion_counters[0].kind：“司法建议”不是文书种类")
    assert "第1行：suggestion_patterns[0].pattern：编号格式须包含年度 {year}" in messages[1]
    assert "suggestion_templates[0].opening：开头语中的占位符 {{法官}} 不可用" in messages[2]
    assert "suggestion_templates[0].reply：请填写回复要求" in messages[3]
    assert all_rows(fresh) == before


def test_settings_of_the_database_are_kept_and_counters_never_go_down(  # type: ignore[no-untyped-def]
    services, fresh, tmp_path: Path
) -> None:
    """The receiving database keeps its own pattern (a note says so); a counter already further
    stays there, so no number is given twice."""
    populate(services)
    out = tmp_path / "cases.jsonl"
    export_cases(services.db, out)
    fresh.suggestions.set_pattern(PROCURATORATE, dm.PROCURATORIAL, "乌检建〔{year}〕{n}号")
    with fresh.db.session() as s:
        s.add(SuggestionCounter(unit=COURT, kind=dm.JUDICIAL, year=2025, last_seq=9))
        s.commit()
    report = import_cases(fresh.db, IMPORTER, out)
    assert report.ok, report.errors
    assert report.warnings == [
        f"文件头 suggestion_patterns[0]：本库已设置{PROCURATORATE}检察建议书的编号格式，"
        "沿用本库的设置，未采用文件中的"
    ]
    assert (
        fresh.suggestions.pattern(PROCURATORATE, dm.PROCURATORIAL).pattern
        == "乌检建〔{year}〕{n}号"
    )
    sid = finalised(fresh, case_id(fresh, "（2025）新01民初1号"))
    assert fresh.suggestions.get(sid).number == "新01法建〔2025〕10号"
