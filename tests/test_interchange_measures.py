"""Compulsory measures in the case interchange file (docs/interchange.md §3.4–3.7, §6.7): property
measures with their renewals and releases, personal measures with their 变更 chain, custody
reviews, 挂案 supervision, the deadlines that are their clocks, and the case's costs — kept through
export → import → export; bad measure entries refused line by line with nothing written; files
without these keys still imported."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.measures import (
    CustodyReviewDraft,
    MeasureEndDraft,
    PersonalMeasureDraft,
    PropertyMeasureDraft,
    ReleaseDraft,
    RenewalDraft,
)
from casedesk.domain.periods import add_months
from casedesk.domain.stalled import CloseOffDraft, SupervisionDraft
from casedesk.services.app import Services
from casedesk.services.interchange import export_cases, exporter, import_cases
from casedesk.store.backup import backup_sqlite
from casedesk.store.measure_models import (
    CustodyReview,
    PersonalMeasure,
    PropertyMeasure,
    PropertyRelease,
    PropertyRenewal,
    StalledSupervision,
)
from casedesk.store.models import AuditRecord, Case, Deadline
from tests.test_interchange import CODE_A, CODE_B, IMPORTER, case, case_id, write
from tests.test_interchange_deadlines import deadline_rows, written

MEASURE_TABLES = (
    PropertyMeasure, PropertyRenewal, PropertyRelease, PersonalMeasure, CustodyReview,
    StalledSupervision,
)  # fmt: skip


@pytest.fixture
def fresh(template_db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A second, empty database."""
    sv = Services.open(backup_sqlite(template_db, tmp_path / "b.sqlite3"), IMPORTER)
    yield sv
    sv.close()


def measure_rows(sv: Services) -> dict[str, list[tuple]]:
    """Every row of the measure tables with every column but the database's own stamps; the case
    named by its 案号."""
    out = {}
    with sv.db.session() as s:
        numbers = dict(s.execute(select(Case.id, Case.case_number)).all())
        for model in MEASURE_TABLES:
            columns = [
                c for c in model.__table__.columns if c.name not in ("updated_at", "version")
            ]
            rows = s.execute(select(*columns)).all()
            out[model.__tablename__] = sorted(
                (tuple(numbers.get(v, v) if c.name == "case_id" else v
                       for c, v in zip(columns, row, strict=True)) for row in rows),
                key=repr,
            )  # fmt: skip
    return out


def all_rows(sv: Services) -> tuple[int, ...]:
    """Rows in every table an import writes to, measures included."""
    with sv.db.session() as s:
        counts = tuple(s.scalar(select(func.count()).select_from(m)) or 0 for m in MEASURE_TABLES)
    return (*written(sv), *counts)


def populate_measures(sv: Services) -> None:
    """Measures of every kind: a civil freeze renewed twice and released in part, a real-estate
    seal released in full, a police freeze approved for 1 year, a criminal seizure reviewed and
    one found unrelated and released; 拘留 → 提请批捕 → 变更 to 逮捕 with a custody review
    served and answered; 取保候审 on a deposit, ended; 拘传; a 挂案 supervised, closed off and
    supervised again; costs on the civil case."""
    ps, pm = sv.property_measures, sv.personal_measures
    civil = sv.cases.create(
        CaseDraft("（2024）新01民初88号", "民事", date(2024, 3, 1), "一审普通程序", "买卖合同纠纷",
                  amount_fen=50_000_000, costs_fen=420_000)
    ).id  # fmt: skip
    sv.parties.add(civil, "原告", new_enterprise=EnterpriseDraft("新疆甲有限公司", CODE_A))
    debtor = sv.parties.add(civil, "被告", new_enterprise=EnterpriseDraft("乙公司", CODE_B))
    owner = sv.parties.add(civil, "被告", new_person=PersonDraft("李四"))
    freeze = ps.add(civil, PropertyMeasureDraft(
        "冻结", "存款", date(2024, 3, 5), "工商银行账户 6222 0000 1111", debtor, 30_000_000,
        "6222000011112222", "本院", "人民法院", "（2024）新01民初88号之一"))  # fmt: skip
    ps.renew(freeze, RenewalDraft(date(2025, 2, 20), "本院", "（2024）新01民初88号之二"))
    ps.renew(freeze, RenewalDraft(date(2026, 2, 24), "本院", "（2024）新01民初88号之三", "6m"))
    ps.release(freeze, ReleaseDraft(date(2025, 6, 3), False, 8_000_000, "提供部分担保", "之四"))
    seal = ps.add(civil, PropertyMeasureDraft(
        "查封", "不动产", date(2024, 3, 6), "乌鲁木齐市天山区某路 1 号房产", owner, 20_000_000,
        "新(2020)乌鲁木齐市不动产权第 0001 号", "本院", "人民法院", live_use=True,
        live_use_note="允许继续居住", notes="活封"))  # fmt: skip
    ps.release(seal, ReleaseDraft(date(2024, 9, 1), False, 5_000_000, "部分清偿"))
    ps.release(seal, ReleaseDraft(date(2024, 12, 2), True, None, "调解结案", "解封裁定"))

    criminal = sv.cases.create(
        CaseDraft("（2025）新01刑初7号", "刑事", date(2025, 3, 3), "侦查", "合同诈骗罪")
    ).id
    unit = sv.parties.add(criminal, "犯罪嫌疑单位", new_enterprise=EnterpriseDraft("丙公司"))
    suspect = sv.parties.add(criminal, "犯罪嫌疑人", new_person=PersonDraft("张三"))
    bailed = sv.parties.add(criminal, "犯罪嫌疑人", new_person=PersonDraft("王五"))
    summoned = sv.parties.add(criminal, "犯罪嫌疑人", new_person=PersonDraft("赵六"))
    police = {"organ": "乌鲁木齐市公安局", "organ_kind": "公安机关"}
    ps.add(criminal, PropertyMeasureDraft(
        "冻结", "存款", date(2025, 3, 5), "建设银行对公账户", unit, 9_000_000, "6500123",
        document_no="乌公（刑）冻财字〔2025〕12号", term_spec="1y", **police))  # fmt: skip
    seized = ps.add(criminal, PropertyMeasureDraft(
        "扣押", "动产", date(2025, 3, 6), "小型轿车一辆", suspect, 12_000_000, "新A12345",
        **police))  # fmt: skip
    ps.record_review(seized, date(2025, 9, 1), "仍需扣押")
    unrelated = ps.add(criminal, PropertyMeasureDraft(
        "扣押", "动产", date(2025, 3, 6), "笔记本电脑", suspect, 600_000, **police))  # fmt: skip
    ps.mark_unrelated(unrelated, date(2025, 4, 30), "经查系其亲属所有")
    ps.release(unrelated, ReleaseDraft(date(2025, 5, 6), True, None, "与案件无关", "发还清单"))

    detention = pm.add(criminal, PersonalMeasureDraft(
        "拘留", suspect, date(2025, 3, 4), datetime(2025, 3, 4, 10, 25),
        document_no="乌公（刑）拘字〔2025〕317号", **police))  # fmt: skip
    pm.record_step(detention, "arrest_requested", date(2025, 3, 10))
    arrest = pm.change(detention, date(2025, 3, 14), PersonalMeasureDraft(
        "逮捕", suspect, date(2025, 3, 14), datetime(2025, 3, 14, 16, 0),
        organ="乌鲁木齐市人民检察院", organ_kind="人民检察院"), "乌检刑批〔2025〕41号")  # fmt: skip
    review = sv.custody_reviews.add(arrest, CustodyReviewDraft(
        "申请", date(2025, 5, 6), "张三的辩护人", "公开审查", date(2025, 5, 20),
        "建议变更强制措施", "乌鲁木齐市公安局", "乌检羁审〔2025〕3号",
        date(2025, 5, 21)))  # fmt: skip
    sv.custody_reviews.record_reply(review, date(2025, 5, 28), "已变更为取保候审")
    bail = pm.add(criminal, PersonalMeasureDraft(
        "取保候审", bailed, date(2025, 3, 20), deposit_fen=5_000_000, **police))  # fmt: skip
    pm.end(bail, MeasureEndDraft(date(2025, 9, 1), "解除", "解除取保候审决定书"))
    pm.add(criminal, PersonalMeasureDraft(
        "拘传", summoned, date(2025, 3, 5), datetime(2025, 3, 5, 9, 0), **police))  # fmt: skip

    stalled = sv.cases.create(
        CaseDraft("（2022）新01刑初5号", "刑事", date(2022, 6, 1), "侦查", "非法吸收公众存款罪")
    ).id
    sv.parties.add(stalled, "犯罪嫌疑单位", new_enterprise=EnterpriseDraft("丁公司"))
    first = sv.stalled.supervise(stalled, SupervisionDraft(
        "乌鲁木齐市人民检察院", "乌鲁木齐市公安局经侦支队", date(2025, 2, 1), date(2025, 5, 1),
        "限期查明事实，依法处理"))  # fmt: skip
    sv.stalled.close_off(first, CloseOffDraft(date(2025, 4, 20), "其他", "情况说明", "补充侦查"))
    sv.stalled.supervise(stalled, SupervisionDraft(
        "自治区人民检察院", "乌鲁木齐市公安局", date(2025, 6, 1), date(2025, 9, 1)))  # fmt: skip


# -- round trip -----------------------------------------------------------------------------


@pytest.mark.parametrize("batch", [exporter.BATCH, 1])
def test_measures_keep_every_field(  # type: ignore[no-untyped-def]
    services, fresh, tmp_path: Path, monkeypatch, batch: int
) -> None:
    monkeypatch.setattr(exporter, "BATCH", batch)  # 1: each case's measures from its own batch
    populate_measures(services)
    source = measure_rows(services)
    assert {k: len(v) for k, v in source.items()} == {
        "property_measure": 5, "property_renewal": 2, "property_release": 4,
        "personal_measure": 4, "custody_review": 1, "stalled_supervision": 2,
    }  # fmt: skip
    out = tmp_path / "cases.jsonl"
    assert export_cases(services.db, out) == 3
    lines = out.read_text(encoding="utf-8").splitlines()
    civil = json.loads(lines[2])
    assert civil["costs_fen"] == 420_000
    freeze = civil["property_measures"][0]
    assert [r["seq"] for r in freeze["renewals"]] == [1, 2]
    assert (freeze["released_fen"], freeze["owner_party"]) == (8_000_000, 1)
    criminal = json.loads(lines[3])
    arrest = next(m for m in criminal["personal_measures"] if m["kind"] == "逮捕")
    detention = next(m for m in criminal["personal_measures"] if m["kind"] == "拘留")
    assert detention["changed_to"] == arrest["id"]
    assert criminal["custody_reviews"][0]["measure"] == arrest["id"]
    linked = [d for d in criminal["deadlines"] if d["personal_measure"] == detention["id"]]
    assert {d["rule_id"] for d in linked} == {
        "criminal.detention.request_arrest", "criminal.arrest.review",
    }  # fmt: skip
    police = next(d for d in criminal["deadlines"] if d["period_spec"] == "1y")
    assert police["rule_id"] == "property.police.freeze_deposit"

    report = import_cases(fresh.db, IMPORTER, out)
    assert report.ok, report.errors
    assert not report.warnings, report.warnings
    assert report.measures == 9 and "强制措施 9 项" in report.summary()
    assert measure_rows(fresh) == source
    assert deadline_rows(fresh) == deadline_rows(services)
    # What the services show is the same, figures and clocks included.
    for number in ("（2024）新01民初88号", "（2025）新01刑初7号"):
        a, b = case_id(services, number), case_id(fresh, number)
        assert fresh.property_measures.seizure_check(b).message == (
            services.property_measures.seizure_check(a).message
        )
        assert [v.status for v in fresh.property_measures.for_case(b)] == [
            v.status for v in services.property_measures.for_case(a)
        ]
    assert [(r.person_name, r.last_review_on) for r in fresh.custody_reviews.in_custody()] == [
        (r.person_name, r.last_review_on) for r in services.custody_reviews.in_custody()
    ]
    assert [(r.status, r.case_number) for r in fresh.stalled.ledger()] == [
        (r.status, r.case_number) for r in services.stalled.ledger()
    ]
    # The import is audited like the services' own entries.
    with fresh.db.session() as s:
        audited = dict(
            s.execute(
                select(AuditRecord.entity_type, func.count())
                .where(AuditRecord.action == "create")
                .group_by(AuditRecord.entity_type)
            ).all()
        )
    assert {k: audited.get(k) for k in source} == {k: len(v) for k, v in source.items()}
    again = tmp_path / "again.jsonl"
    export_cases(fresh.db, again)
    assert again.read_text(encoding="utf-8").splitlines()[1:] == lines[1:]


def test_ids_in_use_get_new_ones_and_links_follow(services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    populate_measures(services)
    out = tmp_path / "cases.jsonl"
    export_cases(services.db, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    criminal = json.loads(lines[3])
    criminal["case_number"] = "（2025）新01刑初8号"
    write(out, criminal)
    before = measure_rows(services)
    report = import_cases(services.db, IMPORTER, out)
    assert report.ok, report.errors
    # 3 property measures, 1 release, 4 personal measures, 1 review
    assert sum("已改用新编号" in w for w in report.warnings) == 9
    copy_id = uuid.UUID(case_id(services, "（2025）新01刑初8号"))
    with services.db.session() as s:
        measures = set(s.scalars(select(PersonalMeasure.id).where(
            PersonalMeasure.case_id == copy_id)))  # fmt: skip
        changed = s.scalars(select(PersonalMeasure.changed_to_id).where(
            PersonalMeasure.case_id == copy_id, PersonalMeasure.changed_to_id.is_not(None)
        )).all()  # fmt: skip
        clocks = s.scalars(select(Deadline.personal_measure_id).where(
            Deadline.case_id == copy_id, Deadline.personal_measure_id.is_not(None)
        )).all()  # fmt: skip
        reviewed = s.scalar(select(CustodyReview.measure_id).where(
            CustodyReview.case_id == copy_id))  # fmt: skip
    assert len(measures) == 4 and set(changed) | set(clocks) | {reviewed} <= measures
    assert not measures & {row[0] for row in before["personal_measure"]}


# -- older files ------------------------------------------------------------------------------


def test_a_file_without_measure_keys_still_imports(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A version-1 file from before the measures: no costs, no measure lists, deadlines without
    a link or their own term."""
    old = case(
        1, case_number="（2023）新01刑初3号", family="刑事", procedure="一审普通程序",
        events=[{"occurred_on": "2023-03-01", "stage": "立案侦查"},
                {"occurred_on": "2023-03-02", "kind": "trigger", "trigger": "detained"}],
        deadlines=[{"rule_id": "criminal.detention.request_arrest", "source_event": 1,
                    "start_on": "2023-03-02", "status": "met", "closed_on": "2023-03-04"}],
    )  # fmt: skip
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "old.jsonl", old, case(2)))
    assert report.ok, report.errors
    assert not [w for w in report.warnings if "已忽略" in w]
    assert report.measures == 0 and "强制措施" not in report.summary()
    with fresh.db.session() as s:
        assert s.scalars(select(Case.costs_fen)).all() == [None, None]
        (row,) = s.scalars(select(Deadline).where(Deadline.trigger == "detained")).all()
        assert (row.period_spec, row.personal_measure_id) == ("", None)
    assert all(not n for n in all_rows(fresh)[-6:])


# -- refusal ----------------------------------------------------------------------------------

FREEZE, DETAIN, ARREST, BAIL, REVIEW = (uuid.UUID(int=n).hex for n in range(1, 6))


def measure_line(n: int = 1) -> dict:
    """A valid criminal case line with a measure of each kind."""
    police = {"organ": "乌鲁木齐市公安局", "organ_kind": "公安机关"}
    return case(
        n, case_number=f"（2025）新01刑初{n}号", family="刑事", procedure="侦查",
        accepted_on="2025-03-01", costs_fen=0,
        parties=[{"role": "犯罪嫌疑单位", "enterprise": {"name": "丙公司", "credit_code": CODE_B}},
                 {"role": "犯罪嫌疑人", "person": {"name": "张三"}},
                 {"role": "犯罪嫌疑人", "person": {"name": "王五"}}],
        events=[{"occurred_on": "2025-03-01", "stage": "立案侦查"}],
        property_measures=[{
            "id": FREEZE, "kind": "冻结", "object_kind": "存款", "description": "对公账户",
            "owner_party": 0, "value_fen": 1_000_000, "start_on": "2025-03-05",
            "term_rule_id": "property.police.freeze_deposit", "term_spec": "6m",
            "term_end": "2026-03-05", **police,
            "renewals": [{"seq": 1, "decided_on": "2025-09-01", "term_spec": "6m",
                          "start_on": "2025-09-05", "term_end": "2026-03-05"}],
            "releases": [{"released_on": "2025-05-01", "full": False, "value_fen": 200_000,
                          "reason": "部分解冻"}],
        }],
        personal_measures=[
            {"id": DETAIN, "person_party": 1, "kind": "拘留", "decided_on": "2025-03-04",
             "executed_at": "2025-03-04T10:25", "ended_on": "2025-03-10", "end_reason": "变更",
             "changed_to": ARREST, **police},
            {"id": ARREST, "person_party": 1, "kind": "逮捕", "decided_on": "2025-03-10",
             "executed_at": "2025-03-10T09:00"},
            {"id": BAIL, "person_party": 2, "kind": "取保候审", "decided_on": "2025-03-20",
             "deposit_fen": 5_000_000, **police},
        ],
        custody_reviews=[{"id": REVIEW, "measure": ARREST, "trigger": "依职权",
                          "started_on": "2025-04-01"}],
        supervisions=[{"supervising_unit": "市检察院", "responsible_unit": "市公安局",
                       "started_on": "2025-06-01", "due_on": "2025-09-01"}],
        deadlines=[{"rule_id": "property.police.freeze_deposit", "property_measure": FREEZE,
                    "start_on": "2025-09-05", "round": 2, "status": "open"}],
    )  # fmt: skip


def test_the_measure_line_imports(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "in.jsonl", measure_line()))
    assert report.ok, report.errors
    assert report.warnings == [], report.warnings
    (view,) = fresh.property_measures.for_case(case_id(fresh, "（2025）新01刑初1号"))
    assert (view.id, view.released_fen, view.remaining_fen) == (FREEZE, 200_000, 800_000)
    assert [c.rule_id for c in view.clocks] == ["property.police.freeze_deposit"]
    measures = fresh.personal_measures.for_case(case_id(fresh, "（2025）新01刑初1号"))
    assert {m.kind: m.changed_to_id for m in measures}["拘留"] == ARREST


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


def _release(**over: object) -> Callable[[dict], None]:
    return _set("property_measures.0.releases.0", {
        "released_on": "2025-05-01", "full": False, "value_fen": 200_000, "reason": "部分解冻",
    } | over)  # fmt: skip


BAD = [
    ("property_measures.0.kind", "没收",
     "property_measures[0].kind：“没收”不是财产强制措施的种类，应为：查封、扣押、冻结、扣留"),
    ("property_measures.0.object_kind", "现金",
     "property_measures[0].object_kind：“现金”不是财产类别，应为：不动产、动产"),
    ("property_measures.0.organ_kind", "税务机关",
     "property_measures[0].organ_kind：“税务机关”不是决定机关类别"),
    ("property_measures.0.start_on", "2025/3/5",
     "property_measures[0].start_on：日期应为 YYYY-MM-DD 格式的有效日期，实为“2025/3/5”"),
    ("property_measures.0.value_fen", 12.5,
     "property_measures[0].value_fen：价值应为整数（单位：分），实为 数字 12.5"),
    ("property_measures.0.value_fen", -100, "property_measures[0].value_fen：价值不能为负数"),
    ("property_measures.0.owner_party", 5,
     "property_measures[0].owner_party：parties 中没有序号为 5 的当事人（本案共 3 个当事人）"),
    ("property_measures.0.term_rule_id", "property.no_such",
     "property_measures[0].term_rule_id：“property.no_such”不是本程序的期限规则"),
    # what is still held is the value less what was released (超标的, 刑诉法 第145条)
    ("property_measures.0.released_fen", 100,
     "property_measures[0].released_fen：已部分解除的价值应为各部分解除记录之和 200000，实为 100"),
    ("property_measures.0.released_on", "2025-06-01",
     "property_measures[0].released_on：已全部解除的措施应有全部解除记录"),
    # 刑诉法 第145条 / 查扣冻规定: a release cannot precede the measure it lifts
    (_release(released_on="2025-03-01"), None,
     "property_measures[0].releases[0].released_on：解除日期不能早于措施开始日期 2025-03-05"),
    (_release(value_fen=1_000_000), None,
     "property_measures[0].releases[0].value_fen：部分解除的价值应小于尚在控制中的价值"),
    (_release(value_fen="20万"), None,
     "property_measures[0].releases[0].value_fen：解除部分的价值应为整数（单位：分），实为 文本"),
    ("property_measures.0.renewals.0.term_end", "2025-08-01",
     "property_measures[0].renewals[0].term_end：续行期限届满日不能早于续行起算日 2025-09-05"),
    # 查扣冻规定 第27条: after the term ran out the measure lapsed; it cannot be renewed
    ("property_measures.0.renewals.0.decided_on", "2025-09-08",
     "property_measures[0].renewals[0].decided_on：原期限已于 2025-09-05 届满，措施已自动失效"),
    ("property_measures.0.renewals.0.seq", 2,
     "property_measures[0].renewals[0].seq：续行应依次编号：此处应为 1，实为 2"),
    # 刑诉法 第66条: the measures of Chapter 6 are taken against 犯罪嫌疑人、被告人 — persons
    ("personal_measures.2.person_party", 0,
     "personal_measures[2].person_party：parties[0] 不是自然人：人身强制措施只能针对本案当事人"),
    ("personal_measures.2.person_party", 3,
     "personal_measures[2].person_party：parties 中没有序号为 3 的当事人"),
    ("personal_measures.2.kind", "监禁",
     "personal_measures[2].kind：“监禁”不是人身强制措施的种类，应为：拘传、取保候审"),
    # 刑诉法 第68条: 保证金 is an amount of money
    ("personal_measures.2.deposit_fen", "5000000",
     "personal_measures[2].deposit_fen：保证金应为整数（单位：分），实为 文本"),
    ("personal_measures.2.decided_on", "2025-02-30",
     "personal_measures[2].decided_on：日期应为 YYYY-MM-DD 格式的有效日期"),
    ("personal_measures.0.changed_to", uuid.UUID(int=99).hex,
     f"personal_measures[0].changed_to：personal_measures 中没有编号为 {uuid.UUID(int=99).hex} "
     "的措施"),
    # 刑诉法 第96条: a measure is changed for the same suspect
    ("personal_measures.0.changed_to", BAIL,
     "personal_measures[0].changed_to：变更后的措施应针对同一人"),
    ("personal_measures.0.end_reason", "解除",
     "personal_measures[0].end_reason：变更为其他措施的，结束方式应为“变更”"),
    ("personal_measures.0.ended_on", "2025-03-01",
     "personal_measures[0].ended_on：日期不能早于措施开始日期 2025-03-04"),
    # 刑诉法 第95条: the custody review concerns a person in custody (拘留, 逮捕)
    ("custody_reviews.0.measure", BAIL,
     "custody_reviews[0].measure：羁押必要性审查只适用于被拘留、逮捕（在押）的人；该措施为取保候审"),
    ("custody_reviews.0.measure", uuid.UUID(int=98).hex,
     "custody_reviews[0].measure：personal_measures 中没有编号为"),
    ("custody_reviews.0.conclusion", "释放",
     "custody_reviews[0].conclusion：“释放”不是审查结论，应为：继续羁押、建议释放、建议变更强制措施"),
    ("custody_reviews.0.started_on", "2025-03-02",
     "custody_reviews[0].started_on：审查开始日期不能早于羁押开始日期 2025-03-04"),
    ("supervisions.0.outcome", "结案",
     "supervisions[0].outcome：“结案”不是办结方式，应为：撤案、移送审查起诉"),
    ("supervisions.0.due_on", "2025-05-01",
     "supervisions[0].due_on：督办期限不能早于督办日期 2025-06-01"),
    ("deadlines.0.property_measure", uuid.UUID(int=97).hex,
     "deadlines[0].property_measure：property_measures 中没有编号为"),
    ("deadlines.0.period_spec", "六个月", "deadlines[0].period_spec：无法识别期间“六个月”"),
    ("costs_fen", -1, "costs_fen：诉讼费用不能为负数"),
    ("costs_fen", 1.5, "costs_fen：诉讼费用应为整数（单位：分），实为 数字 1.5"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("where", "value", "expected"), BAD, ids=[b[2].split("：")[0] for b in BAD]
)
def test_bad_measure_entries_refuse_the_file(  # type: ignore[no-untyped-def]
    fresh, tmp_path: Path, where, value, expected: str
) -> None:
    before = all_rows(fresh)
    bad = copy.deepcopy(measure_line(3))
    (where if callable(where) else _set(where, value))(bad)
    src = write(tmp_path / "in.jsonl", measure_line(1), measure_line(2), bad, measure_line(4))
    report = import_cases(fresh.db, IMPORTER, src)
    assert {e.line for e in report.errors} == {4}, report.errors
    assert any(e.message.startswith(expected) for e in report.errors), report.errors
    assert all_rows(fresh) == before


def test_more_refusals_of_references(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A personal measure in a civil case, a deadline linked twice, an id given twice, a second
    open supervision; every problem of every line listed, nothing written."""
    civil = measure_line(1)
    civil |= {"case_number": "（2025）新01民初1号", "family": "民事", "procedure": "",
              "events": [], "custody_reviews": []}  # fmt: skip
    twice = measure_line(2)
    twice["deadlines"][0]["personal_measure"] = ARREST
    twice["personal_measures"][2]["id"] = DETAIN
    twice["supervisions"].append(twice["supervisions"][0])
    before = all_rows(fresh)
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "in.jsonl", civil, twice))
    assert [str(e) for e in report.errors] == [
        "第2行：personal_measures[0].kind：人身强制措施只适用于刑事、检察监督案件，本案为民事案件",
        "第2行：personal_measures[1].kind：人身强制措施只适用于刑事、检察监督案件，本案为民事案件",
        "第2行：personal_measures[2].kind：人身强制措施只适用于刑事、检察监督案件，本案为民事案件",
        "第3行：personal_measures[2].id：编号与 personal_measures[0] 重复",
        "第3行：supervisions[1]：同一案件只能有一项未销号的督办（supervisions[0] 尚未销号）",
        "第3行：deadlines[0].personal_measure：一个期限只能属于一项措施或审查"
        "（已有 property_measure）",
    ]
    assert all_rows(fresh) == before


def test_measures_without_deadlines_are_noted(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    line = measure_line(1)
    del line["deadlines"]
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "in.jsonl", line))
    assert report.ok, report.errors
    assert any("deadlines：文件未写明期限，强制措施的期限" in w for w in report.warnings)


def test_a_renewal_counts_from_a_day_still_to_come(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A 续行 decided before the term ran out counts from the term's last day, which may be
    after today: its clock is imported although it starts in the future (公安规定 第243条)."""
    today = date.today()
    start = today - timedelta(days=170)
    first_end = add_months(start, 6, criminal=True)
    assert first_end > today
    second_end = add_months(first_end, 6, criminal=True)
    line = measure_line(1)
    freeze = line["property_measures"][0]
    freeze |= {"start_on": start.isoformat(), "term_end": second_end.isoformat(), "releases": [],
               "renewals": [{"seq": 1, "decided_on": (today - timedelta(days=2)).isoformat(),
                             "term_spec": "6m", "start_on": first_end.isoformat(),
                             "term_end": second_end.isoformat()}]}  # fmt: skip
    clock = {"rule_id": "property.police.freeze_deposit", "property_measure": FREEZE}
    line["deadlines"] = [
        clock | {"start_on": start.isoformat(), "status": "met",
                 "closed_on": (today - timedelta(days=2)).isoformat(), "close_note": "已续行"},
        clock | {"start_on": first_end.isoformat(), "round": 2, "status": "open"},
    ]  # fmt: skip
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "in.jsonl", line))
    assert report.ok, report.errors
    assert report.warnings == []
    (view,) = fresh.property_measures.for_case(case_id(fresh, "（2025）新01刑初1号"))
    assert view.term_end == second_end
    assert [(c.status, c.due) for c in view.clocks] == [
        ("met", first_end.isoformat()),
        ("open", second_end.isoformat()),
    ]
    # Any other deadline starting after today is still refused.
    line["case_number"] = "（2025）新01刑初2号"
    line["deadlines"][1].pop("property_measure")
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "in.jsonl", line))
    assert [e.message for e in report.errors] == ["deadlines[1].start_on：起算日不能晚于今天"]


def test_a_term_end_follows_this_database_s_clock(fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    line = measure_line(1)
    line["property_measures"][0]["term_end"] = "2026-03-01"
    report = import_cases(fresh.db, IMPORTER, write(tmp_path / "in.jsonl", line))
    assert report.ok, report.errors
    assert report.warnings == [
        "第2行：property_measures[0].term_end：按本库的节假日和期限规则，期限届满日为 2026-03-05"
        "（文件中为 2026-03-01）"
    ]
    (view,) = fresh.property_measures.for_case(case_id(fresh, "（2025）新01刑初1号"))
    assert view.term_end == view.renewals[-1].term_end == date(2026, 3, 5)


def test_an_owner_no_longer_a_party_keeps_the_name(services, fresh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    populate_measures(services)
    civil = case_id(services, "（2024）新01民初88号")
    (owner,) = [p for p in services.cases.get(civil).parties if p.name == "李四"]
    services.parties.remove(owner.id)
    out = tmp_path / "cases.jsonl"
    export_cases(services.db, out)
    line = json.loads(out.read_text(encoding="utf-8").splitlines()[2])
    seal = next(m for m in line["property_measures"] if m["kind"] == "查封")
    assert (seal["owner_party"], seal["owner_name"]) == (None, "李四")
    report = import_cases(fresh.db, IMPORTER, out)
    assert report.ok, report.errors
    with fresh.db.session() as s:
        row = s.scalar(select(PropertyMeasure).where(PropertyMeasure.kind == "查封"))
        assert (row.owner_name, row.owner_person_id, row.owner_enterprise_id) == (
            "李四",
            None,
            None,
        )
    again = tmp_path / "again.jsonl"
    export_cases(fresh.db, again)
    assert (
        again.read_text(encoding="utf-8").splitlines()[1:]
        == (out.read_text(encoding="utf-8").splitlines()[1:])
    )
