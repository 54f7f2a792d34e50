"""Use cases (casedesk/services/): one unit of work per action, each write audited with who,
what and old → new (DESIGN.md "Architecture": every write goes through a service in one
transaction, together with its audit record)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft, StageDraft
from casedesk.domain.errors import FieldErrors
from casedesk.services.errors import Conflict, NotFound, ServiceError
from casedesk.services.lists import CaseFilter, CaseListReader
from casedesk.store.models import AuditRecord, Case, Enterprise, Person

ACTOR = "测试员"
ACCEPTED = date(2023, 3, 1)


# -- helpers --------------------------------------------------------------------------------


def credit_code(first17: str) -> str:
    """GB 32100-2015: append the check character computed from the printed weights."""
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    value = 31 - sum(charset.index(c) * w for c, w in zip(first17, weights, strict=True)) % 31
    return first17 + charset[value % 31]


def id_number(first17: str) -> str:
    """GB 11643-1999: append the check character computed from the printed weights."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return (
        first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]
    )


def list_row(services, case_id):  # type: ignore[no-untyped-def]
    """The case list's row of a case."""
    key = services.case_list.key_of(case_id)
    return services.case_list.rows([key])[key]


def draft(n: int = 1, **kw) -> CaseDraft:  # type: ignore[no-untyped-def]
    values = {"case_number": f"（2023）新01民初{n}号", "family": "民事", "accepted_on": ACCEPTED}
    return CaseDraft(**(values | kw))


def last_audit_id(sv) -> int:  # type: ignore[no-untyped-def]
    with sv.db.session() as s:
        return s.scalar(select(func.max(AuditRecord.id))) or 0


def audits(sv, after: int = 0) -> list[tuple[str, str, dict]]:  # type: ignore[no-untyped-def]
    """(action, entity_type, {field: [old, new]}) of audit records after ``after``, in order.
    Also checks that every one of them was written as the acting user."""
    with sv.db.session() as s:
        rows = s.scalars(
            select(AuditRecord).where(AuditRecord.id > after).order_by(AuditRecord.id)
        ).all()
    assert all(r.actor == ACTOR for r in rows), [r.actor for r in rows]
    return [(r.action, r.entity_type, json.loads(r.changes)) for r in rows]


def count(sv, model) -> int:  # type: ignore[no-untyped-def]
    with sv.db.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


# == CaseService ==============================================================================


def test_create_case(services) -> None:  # type: ignore[no-untyped-def]
    result = services.cases.create(
        draft(
            cause="买卖合同纠纷",
            handler="王法官",
            amount_fen=1_200_000,
            tags=("涉企", "涉外"),
            procedure="一审普通程序",
        )
    )
    assert result.warnings == ()
    d = services.cases.get(result.id)
    assert (d.case_number, d.family, d.cause, d.handler) == (
        "（2023）新01民初1号",
        "民事",
        "买卖合同纠纷",
        "王法官",
    )
    assert (d.accepted_on, d.closed_on, d.amount_fen) == (ACCEPTED, None, 1_200_000)
    assert d.tags == ("涉企", "涉外")
    assert d.stage == "立案审查"  # first stage of 民事 (vocabulary.STAGES)
    assert d.court_name == "乌鲁木齐市中级人民法院" and d.type_name == "民事一审"
    assert d.version == 1 and not d.deleted
    [event] = d.events
    assert (event.occurred_on, event.stage, event.note, event.created_by) == (
        ACCEPTED,
        "立案审查",
        "收案",
        ACTOR,
    )
    with services.db.session() as s:  # 案号 parts stored for sorting
        case = s.scalars(select(Case)).one()
        assert (case.year, case.court_code, case.type_code, case.sequence) == (
            2023,
            "新01",
            "民初",
            1,
        )
    [(action, entity, changes), deadline] = audits(services)
    # the trial period of 民事一审普通程序 starts with acceptance (民诉法 第152条: 6 months)
    assert deadline == (
        "create",
        "deadline",
        {"rule": [None, "民事一审普通程序审限"], "start_on": [None, "2023-03-01"],
         "due_on": [None, "2023-09-01"]},
    )  # fmt: skip
    assert (action, entity) == ("create", "case")
    assert changes == {
        "case_number": [None, "（2023）新01民初1号"],
        "family": [None, "民事"],
        "procedure": [None, "一审普通程序"],
        "cause": [None, "买卖合同纠纷"],
        "handler": [None, "王法官"],
        "accepted_on": [None, "2023-03-01"],
        "amount_fen": [None, 1_200_000],
        "stage": [None, "立案审查"],
        "tags": [None, ["涉企", "涉外"]],
    }


def test_create_normalises_the_case_number_and_returns_warnings(services) -> None:  # type: ignore[no-untyped-def]
    result = services.cases.create(
        draft(case_number="(2023)新0199民初 7号", accepted_on=date(2024, 1, 5), stage="审理中")
    )
    assert set(result.warnings) == {
        "法院代字“新0199”不在法院代字表中，请核对",
        "案号收案年度（2023）与收案日期的年份（2024）不一致",
    }
    d = services.cases.get(result.id)
    assert d.case_number == "（2023）新0199民初7号"
    # the timeline starts with acceptance; the stage given at registration follows it
    assert d.stage == "审理中"
    assert [(e.occurred_on, e.stage) for e in d.events] == [
        (date(2024, 1, 5), "立案审查"),
        (date(2024, 1, 5), "审理中"),
    ]
    assert d.court_name == ""


def test_create_refuses_invalid_drafts_and_writes_nothing(services) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as info:
        services.cases.create(draft(case_number="（2023）新01民初0号", amount_fen=-1))
    assert set(info.value.errors) == {"case_number", "amount"}
    assert count(services, Case) == 0 and count(services, AuditRecord) == 0


def test_duplicate_case_number_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    services.cases.create(draft(1))
    for number in ("（2023）新01民初1号", "(2023)新01民初1号", "〔２０２３〕新01民初1号"):
        with pytest.raises(FieldErrors) as info:
            services.cases.create(draft(case_number=number))
        assert info.value.errors == {"case_number": "案号 （2023）新01民初1号 已存在"}
    assert count(services, Case) == 1


def test_duplicate_of_a_deleted_case_says_it_is_in_the_recycle_bin(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    services.cases.delete(case_id)
    with pytest.raises(FieldErrors) as info:
        services.cases.create(draft(1))
    assert info.value.errors["case_number"] == (
        "案号 （2023）新01民初1号 已存在（该案件已删除，可在回收站中恢复）"
    )


def test_unknown_tag_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as info:
        services.cases.create(draft(tags=("涉企", "不存在的标签")))
    assert info.value.errors == {"tags": "标签“不存在的标签”不在标签表中"}
    assert count(services, Case) == 0


def test_update_case_records_old_and_new_values(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1, amount_fen=100, tags=("涉企",))).id
    before = services.cases.get(case_id)
    mark = last_audit_id(services)
    new = dataclasses.replace(
        before.to_draft(),
        case_number="（2023）新01民终9号",
        cause="借款合同纠纷",
        amount_fen=250,
        closed_on=date(2023, 6, 30),
        tags=("涉企", "涉外"),
    )
    services.cases.update(case_id, new, before.version)
    after = services.cases.get(case_id)
    assert after.version == before.version + 1
    assert (after.case_number, after.cause, after.amount_fen, after.closed_on) == (
        "（2023）新01民终9号",
        "借款合同纠纷",
        250,
        date(2023, 6, 30),
    )
    assert after.type_name == "民事二审"
    with services.db.session() as s:
        assert s.scalars(select(Case.type_code)).one() == "民终"
        assert s.scalars(select(Case.sequence)).one() == 9
    assert audits(services, mark) == [
        (
            "update",
            "case",
            {
                "case_number": ["（2023）新01民初1号", "（2023）新01民终9号"],
                "cause": ["", "借款合同纠纷"],
                "closed_on": [None, "2023-06-30"],
                "amount_fen": [100, 250],
                "tags": [["涉企"], ["涉企", "涉外"]],
            },
        )
    ]


def test_update_without_changes_writes_nothing(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1, tags=("涉企", "涉外"))).id
    d = services.cases.get(case_id)
    mark = last_audit_id(services)
    services.cases.update(case_id, d.to_draft(), d.version)
    # The same tags in another order are the same tags.
    services.cases.update(
        case_id, dataclasses.replace(d.to_draft(), tags=("涉外", "涉企")), d.version
    )
    assert audits(services, mark) == []
    assert services.cases.get(case_id).version == d.version


def test_stale_version_is_a_conflict(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    d = services.cases.get(case_id)
    services.cases.update(case_id, dataclasses.replace(d.to_draft(), cause="甲"), d.version)
    mark = last_audit_id(services)
    with pytest.raises(Conflict) as info:
        services.cases.update(case_id, dataclasses.replace(d.to_draft(), cause="乙"), d.version)
    assert "已被他人修改" in str(info.value)
    assert services.cases.get(case_id).cause == "甲"
    assert audits(services, mark) == []


def test_update_to_an_existing_case_number_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    services.cases.create(draft(1))
    case_id = services.cases.create(draft(2)).id
    d = services.cases.get(case_id)
    with pytest.raises(FieldErrors) as info:
        services.cases.update(
            case_id, dataclasses.replace(d.to_draft(), case_number="（2023）新01民初1号"), d.version
        )
    assert info.value.errors == {"case_number": "案号 （2023）新01民初1号 已存在"}


def test_delete_and_restore(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    keep_id = services.cases.create(draft(2)).id
    mark = last_audit_id(services)
    services.cases.delete(case_id)
    assert services.case_list.ids(CaseFilter(), "accepted_on", True) == [keep_id]
    assert services.case_list.total() == 1
    assert services.cases.get(case_id).deleted  # still readable (recycle bin)
    with pytest.raises(ServiceError, match="该案件已删除"):
        services.cases.delete(case_id)
    d = services.cases.get(case_id)
    with pytest.raises(NotFound):
        services.cases.update(case_id, d.to_draft(), d.version)
    services.cases.restore(case_id)
    assert not services.cases.get(case_id).deleted
    assert services.case_list.total() == 2
    with pytest.raises(ServiceError, match="该案件未被删除"):
        services.cases.restore(case_id)
    records = audits(services, mark)
    assert [(a, e) for a, e, _ in records] == [("delete", "case"), ("restore", "case")]
    deleted_at = records[0][2]["deleted_at"]
    assert deleted_at[0] is None and deleted_at[1]  # None → the time
    assert (
        records[1][2]["deleted_at"][0] == deleted_at[1] and records[1][2]["deleted_at"][1] is None
    )


@pytest.mark.parametrize("bad_id", ["nonsense", "00000000000000000000000000000000"])
def test_unknown_case_is_not_found(services, bad_id: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound) as info:
        services.cases.get(bad_id)
    assert "找不到该案件" in str(info.value)
    with pytest.raises(NotFound):
        services.cases.delete(bad_id)


def test_history_is_newest_first_with_chinese_labels(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    services.parties.add(case_id, "原告", new_person=PersonDraft("王伟"))
    d = services.cases.get(case_id)
    services.cases.update(case_id, dataclasses.replace(d.to_draft(), handler="李法官"), d.version)
    history = services.cases.history(case_id)
    assert [(h.action, h.entity) for h in history] == [
        ("update", "案件"),
        ("create", "当事人"),
        ("create", "个人"),
        ("create", "案件"),
    ]
    assert all(h.actor == ACTOR for h in history)
    assert history[0].changes == [("handler", "承办人", "", "李法官")]
    assert history[0].at >= history[-1].at and history[0].at.tzinfo is not None


# == PartyService ============================================================================

CODE_1 = credit_code("91650100MA77TKB1X")
CODE_2 = credit_code("91650102MA79XYW3Q")


def test_add_parties_existing_and_new(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    ent_id = services.enterprises.create(EnterpriseDraft("新疆天山建设有限公司", CODE_1)).id
    per_id = services.persons.create(PersonDraft("王伟", "11010519491231002X")).id
    mark = last_audit_id(services)
    services.parties.add(case_id, "原告", enterprise_id=ent_id)
    services.parties.add(case_id, "被告", person_id=per_id)
    services.parties.add(case_id, "第三人", new_enterprise=EnterpriseDraft("天山物流有限公司"))
    services.parties.add(
        case_id, "第三人", new_person=PersonDraft(" 李娜 ", id_number("65010219800101123"))
    )
    d = services.cases.get(case_id)
    assert [(p.role, p.kind, p.name) for p in d.parties] == [
        ("原告", "enterprise", "新疆天山建设有限公司"),
        ("被告", "person", "王伟"),
        ("第三人", "enterprise", "天山物流有限公司"),
        ("第三人", "person", "李娜"),
    ]
    assert d.parties[0].identifier == CODE_1 and d.parties[0].subject_id == ent_id
    assert d.parties[1].identifier == "11010519491231002X"
    assert d.parties[2].identifier == ""
    with services.db.session() as s:
        assert (
            s.scalar(select(Case.parties_summary))
            == "新疆天山建设有限公司、王伟、天山物流有限公司、李娜"
        )
    assert list_row(services, case_id).parties_summary.startswith("新疆天山建设")
    assert count(services, Enterprise) == 2 and count(services, Person) == 2
    assert [(a, e, c) for a, e, c in audits(services, mark)] == [
        (
            "create",
            "case_party",
            {"role": [None, "原告"], "subject": [None, "新疆天山建设有限公司"]},
        ),
        ("create", "case_party", {"role": [None, "被告"], "subject": [None, "王伟"]}),
        ("create", "enterprise", {"name": [None, "天山物流有限公司"]}),
        ("create", "case_party", {"role": [None, "第三人"], "subject": [None, "天山物流有限公司"]}),
        (
            "create",
            "person",
            {"name": [None, "李娜"], "id_number": [None, id_number("65010219800101123")]},
        ),
        ("create", "case_party", {"role": [None, "第三人"], "subject": [None, "李娜"]}),
    ]


def test_same_subject_in_the_same_role_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    ent_id = services.enterprises.create(EnterpriseDraft("新疆天山建设有限公司", CODE_1)).id
    services.parties.add(case_id, "被告", enterprise_id=ent_id)
    with pytest.raises(FieldErrors) as info:
        services.parties.add(case_id, "被告", enterprise_id=ent_id)
    assert info.value.errors == {"subject": "“新疆天山建设有限公司”已以“被告”列入本案"}
    services.parties.add(case_id, "被申请人", enterprise_id=ent_id)  # another role is fine
    assert len(services.cases.get(case_id).parties) == 2


def test_new_enterprise_with_a_registered_credit_code_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    services.enterprises.create(EnterpriseDraft("新疆天山建设有限公司", CODE_1))
    mark = last_audit_id(services)
    with pytest.raises(FieldErrors) as info:
        services.parties.add(
            case_id, "被告", new_enterprise=EnterpriseDraft("天山建设", CODE_1.lower())
        )
    assert info.value.errors == {
        "credit_code": "该统一社会信用代码已登记为“新疆天山建设有限公司”，请直接选用已有企业"
    }
    assert count(services, Enterprise) == 1 and services.cases.get(case_id).parties == ()
    assert audits(services, mark) == []


def test_new_person_with_a_registered_id_number_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    services.persons.create(PersonDraft("王伟", "11010519491231002X"))
    with pytest.raises(FieldErrors) as info:
        services.parties.add(case_id, "被告", new_person=PersonDraft("王 伟", "110105491231002"))
    assert info.value.errors == {"id_number": "该身份证号码已登记为“王伟”，请直接选用已有人员"}
    assert count(services, Person) == 1


@pytest.mark.parametrize(
    "kw",
    [
        pytest.param({}, id="none"),
        pytest.param(
            {"new_person": PersonDraft("甲"), "new_enterprise": EnterpriseDraft("乙")}, id="two"
        ),
    ],
)
def test_exactly_one_subject_is_required(services, kw: dict) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    with pytest.raises(FieldErrors) as info:
        services.parties.add(case_id, "被告", **kw)
    assert info.value.errors == {"subject": "请选择或新建一个当事人（企业或个人）"}


def test_bad_role_and_unknown_subject(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    with pytest.raises(FieldErrors) as info:
        services.parties.add(case_id, "路人", new_person=PersonDraft("甲"))
    assert info.value.errors == {"role": "请选择诉讼地位"}
    assert count(services, Person) == 0
    with pytest.raises(NotFound, match="找不到该企业"):
        services.parties.add(case_id, "被告", enterprise_id="0" * 32)
    with pytest.raises(NotFound, match="找不到该个人"):
        services.parties.add(case_id, "被告", person_id="0" * 32)


def test_remove_party_updates_summary_and_keeps_the_subject(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    services.parties.add(case_id, "原告", new_enterprise=EnterpriseDraft("甲公司"))
    services.parties.add(case_id, "被告", new_person=PersonDraft("王伟"))
    party = services.cases.get(case_id).parties[0]
    mark = last_audit_id(services)
    services.parties.remove(party.id)
    d = services.cases.get(case_id)
    assert [p.name for p in d.parties] == ["王伟"]
    assert list_row(services, case_id).parties_summary == "王伟"
    assert services.enterprises.get(party.subject_id).draft.name == "甲公司"
    assert services.enterprises.get(party.subject_id).cases == ()
    assert audits(services, mark) == [
        ("delete", "case_party", {"role": ["原告", None], "subject": ["甲公司", None]})
    ]
    with pytest.raises(NotFound):
        services.parties.remove(party.id)


def test_summary_lists_each_name_once_and_follows_renames(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    person_id = services.persons.create(PersonDraft("王伟")).id
    services.parties.add(case_id, "原告", person_id=person_id)
    services.parties.add(case_id, "申请人", person_id=person_id)
    services.parties.add(case_id, "被告", new_enterprise=EnterpriseDraft("乙公司"))
    summary = list_row(services, case_id).parties_summary
    assert summary == "王伟、乙公司"
    p = services.persons.get(person_id)
    services.persons.update(person_id, dataclasses.replace(p.draft, name="王伟明"), p.version)
    assert list_row(services, case_id).parties_summary == "王伟明、乙公司"


# == TimelineService ==========================================================================


def stage(on: date, name: str, note: str = "") -> StageDraft:
    return StageDraft(on, name, note)


def test_stage_follows_the_latest_entry(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    mark = last_audit_id(services)
    services.timeline.record_stage(case_id, stage(date(2023, 4, 1), "审理中", "开庭"))
    assert services.cases.get(case_id).stage == "审理中"
    # An entry dated earlier than the latest does not move the stage.
    services.timeline.record_stage(case_id, stage(date(2023, 3, 10), "已立案"))
    d = services.cases.get(case_id)
    assert d.stage == "审理中"
    assert [e.stage for e in d.events] == ["立案审查", "已立案", "审理中"]  # by date
    assert audits(services, mark) == [
        (
            "create",
            "case_event",
            {
                "occurred_on": [None, "2023-04-01"],
                "stage": [None, "审理中"],
                "note": [None, "开庭"],
            },
        ),
        ("update", "case", {"stage": ["立案审查", "审理中"]}),
        (
            "create",
            "case_event",
            {"occurred_on": [None, "2023-03-10"], "stage": [None, "已立案"], "note": [None, ""]},
        ),
    ]


def test_closing_stage_fills_the_closing_date(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    mark = last_audit_id(services)
    services.timeline.record_stage(case_id, stage(date(2023, 9, 1), "已结案"))
    d = services.cases.get(case_id)
    assert (d.stage, d.closed_on) == ("已结案", date(2023, 9, 1))
    assert audits(services, mark)[-1] == (
        "update",
        "case",
        {"stage": ["立案审查", "已结案"], "closed_on": [None, "2023-09-01"]},
    )
    assert services.case_list.ids(CaseFilter(open_only=True), "accepted_on", True) == []


def test_closing_stage_keeps_a_closing_date_already_entered(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1, closed_on=date(2023, 8, 1))).id
    services.timeline.record_stage(case_id, stage(date(2023, 9, 1), "已结案"))
    assert services.cases.get(case_id).closed_on == date(2023, 8, 1)


def test_criminal_closing_stages(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(case_number="（2023）新01刑初5号", family="刑事")).id
    services.timeline.record_stage(case_id, stage(date(2023, 5, 1), "不起诉"))
    assert services.cases.get(case_id).closed_on == date(2023, 5, 1)


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        pytest.param(
            stage(ACCEPTED - timedelta(days=1), "审理中"),
            "occurred_on",
            "日期不能早于收案日期 2023-03-01",
            id="before-acceptance",
        ),
        pytest.param(
            stage(date.today() + timedelta(days=1), "审理中"),
            "occurred_on",
            "日期不能晚于今天",
            id="future",
        ),
        pytest.param(
            stage(date(2023, 4, 1), "执行中"),
            "stage",
            "请选择民事案件的阶段",
            id="stage-of-another-family",
        ),
    ],
)
def test_record_stage_refusals(services, entry: StageDraft, field: str, message: str) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    mark = last_audit_id(services)
    with pytest.raises(FieldErrors) as info:
        services.timeline.record_stage(case_id, entry)
    assert info.value.errors == {field: message}
    assert len(services.cases.get(case_id).events) == 1
    assert audits(services, mark) == []


def test_remove_entry(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    only = services.cases.get(case_id).events[0].id
    with pytest.raises(ServiceError) as info:
        services.timeline.remove_entry(only)
    assert str(info.value) == "这是案件唯一的阶段记录，不能删除"
    entry = services.timeline.record_stage(case_id, stage(date(2023, 4, 1), "审理中"))
    mark = last_audit_id(services)
    services.timeline.remove_entry(entry)
    d = services.cases.get(case_id)
    assert d.stage == "立案审查" and len(d.events) == 1
    assert audits(services, mark) == [
        (
            "delete",
            "case_event",
            {"occurred_on": ["2023-04-01", None], "stage": ["审理中", None], "note": ["", None]},
        ),
        ("update", "case", {"stage": ["审理中", "立案审查"]}),
    ]
    with pytest.raises(NotFound):
        services.timeline.remove_entry(entry)


def test_timeline_on_a_deleted_case_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(draft(1)).id
    services.cases.delete(case_id)
    with pytest.raises(NotFound):
        services.timeline.record_stage(case_id, stage(date(2023, 4, 1), "审理中"))


# == EnterpriseService / PersonService =======================================================


def test_enterprise_create_update_get_find(services) -> None:  # type: ignore[no-untyped-def]
    mark = last_audit_id(services)
    ent_id = services.enterprises.create(
        EnterpriseDraft(
            "新疆天山建设有限公司", CODE_1.lower(), "民营", "中", legal_representative="张三"
        )
    ).id
    e = services.enterprises.get(ent_id)
    assert e.draft.credit_code == CODE_1 and e.version == 1 and e.cases == ()
    services.enterprises.update(
        ent_id, dataclasses.replace(e.draft, size="大", industry="建筑业"), e.version
    )
    e2 = services.enterprises.get(ent_id)
    assert (e2.draft.size, e2.draft.industry, e2.version) == ("大", "建筑业", 2)
    assert audits(services, mark) == [
        (
            "create",
            "enterprise",
            {
                "name": [None, "新疆天山建设有限公司"],
                "credit_code": [None, CODE_1],
                "ownership": [None, "民营"],
                "size": [None, "中"],
                "legal_representative": [None, "张三"],
            },
        ),
        ("update", "enterprise", {"size": ["中", "大"], "industry": ["", "建筑业"]}),
    ]
    services.enterprises.create(EnterpriseDraft("天山物流有限公司", CODE_2))
    services.enterprises.create(EnterpriseDraft("昆仑商贸有限公司"))
    assert [m.name for m in services.enterprises.find("天山")] == sorted(
        ["新疆天山建设有限公司", "天山物流有限公司"]
    )
    assert [m.name for m in services.enterprises.find(CODE_2[:10].lower())] == ["天山物流有限公司"]
    assert services.enterprises.find("9165")[0].kind == "enterprise"
    assert len(services.enterprises.find("有限公司", limit=2)) == 2
    assert services.enterprises.find("  ") == []
    assert services.enterprises.find("天山建设")[0].detail == "法定代表人：张三"


def test_enterprise_update_conflict_and_duplicate_code(services) -> None:  # type: ignore[no-untyped-def]
    a = services.enterprises.create(EnterpriseDraft("甲公司", CODE_1)).id
    b = services.enterprises.create(EnterpriseDraft("乙公司", CODE_2)).id
    eb = services.enterprises.get(b)
    with pytest.raises(FieldErrors) as info:
        services.enterprises.update(b, dataclasses.replace(eb.draft, credit_code=CODE_1), 1)
    assert info.value.errors == {
        "credit_code": "该统一社会信用代码已登记为“甲公司”，请直接选用已有企业"
    }
    services.enterprises.update(b, dataclasses.replace(eb.draft, name="乙有限公司"), 1)
    with pytest.raises(Conflict):
        services.enterprises.update(b, dataclasses.replace(eb.draft, name="丙公司"), 1)
    assert services.enterprises.get(b).draft.name == "乙有限公司"
    with pytest.raises(NotFound):
        services.enterprises.get("0" * 32)
    assert services.enterprises.get(a).draft.credit_code == CODE_1


def test_enterprise_and_person_list_their_live_cases(services) -> None:  # type: ignore[no-untyped-def]
    c1 = services.cases.create(draft(1, cause="买卖合同纠纷", accepted_on=date(2023, 3, 1))).id
    c2 = services.cases.create(draft(2, accepted_on=date(2023, 5, 1))).id
    c3 = services.cases.create(draft(3)).id
    ent = services.enterprises.create(EnterpriseDraft("甲公司")).id
    per = services.persons.create(PersonDraft("王伟")).id
    services.parties.add(c1, "原告", enterprise_id=ent)
    services.parties.add(c2, "被告", enterprise_id=ent)
    services.parties.add(c3, "被告", enterprise_id=ent)
    services.parties.add(c2, "第三人", person_id=per)
    services.cases.delete(c3)
    cases = services.enterprises.get(ent).cases
    assert [(c.case_id, c.role) for c in cases] == [(c2, "被告"), (c1, "原告")]  # newest first
    assert cases[1].cause == "买卖合同纠纷" and cases[1].stage == "立案审查"
    assert [(c.case_id, c.role) for c in services.persons.get(per).cases] == [(c2, "第三人")]
    # The enterprise list counts the same live cases the enterprise page lists.
    assert services.enterprise_list.rows([ent])[ent].case_count == 2
    services.cases.restore(c3)
    assert services.enterprise_list.rows([ent])[ent].case_count == 3


def test_person_create_update_get_find(services) -> None:  # type: ignore[no-untyped-def]
    mark = last_audit_id(services)
    pid = services.persons.create(PersonDraft(" 王伟 ", "110105491231002", "13800000000")).id
    p = services.persons.get(pid)
    assert p.draft == PersonDraft("王伟", "11010519491231002X", "13800000000", "")
    services.persons.update(pid, dataclasses.replace(p.draft, address="乌鲁木齐市"), p.version)
    assert audits(services, mark) == [
        (
            "create",
            "person",
            {
                "name": [None, "王伟"],
                "id_number": [None, "11010519491231002X"],
                "contact": [None, "13800000000"],
            },
        ),
        ("update", "person", {"address": ["", "乌鲁木齐市"]}),
    ]
    with pytest.raises(Conflict):
        services.persons.update(pid, dataclasses.replace(p.draft, address="x"), p.version)
    other = services.persons.create(PersonDraft("王伟明", id_number("65010219800101123"))).id
    with pytest.raises(FieldErrors) as info:
        services.persons.update(other, PersonDraft("王伟明", "11010519491231002x"), 1)
    assert info.value.errors == {"id_number": "该身份证号码已登记为“王伟”，请直接选用已有人员"}
    assert [m.name for m in services.persons.find("王伟")] == ["王伟", "王伟明"]
    assert [m.name for m in services.persons.find("110105")] == ["王伟"]
    assert [m.name for m in services.persons.find("6501021980")] == ["王伟明"]
    with pytest.raises(NotFound):
        services.persons.get("nonsense")


def test_invalid_enterprise_and_person_drafts_write_nothing(services) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as info:
        services.enterprises.create(EnterpriseDraft("甲公司", "914403001922038217"))
    assert info.value.errors == {"credit_code": "校验码应为 6，实为 7"}
    with pytest.raises(FieldErrors):
        services.persons.create(PersonDraft("", "11010519491231002X"))
    assert count(services, Enterprise) == 0 and count(services, Person) == 0
    assert count(services, AuditRecord) == 0


# == CodeTableService ==========================================================================


def test_court_codes_add_edit_delete(services) -> None:  # type: ignore[no-untyped-def]
    ct = services.code_tables
    # A court not in the table: the case is saved with a warning.
    assert services.cases.create(draft(case_number="（2023）新4004民初1号")).warnings == (
        "法院代字“新4004”不在法院代字表中，请核对",
    )
    mark = last_audit_id(services)
    ct.save_court_code("新4004", "霍城县人民法院", confidence="L")
    row = next(r for r in ct.court_codes() if r.code == "新4004")
    assert (row.name, row.confidence, row.uses) == ("霍城县人民法院", "L", 1)
    assert services.cases.create(draft(case_number="（2023）新4004民初2号")).warnings == ()
    ct.save_court_code("新4004", "霍城县人民法院（待核）", confidence="L")
    ct.save_court_code("新4004", "霍城县人民法院（待核）", confidence="L")  # no change
    with pytest.raises(ServiceError) as info:
        ct.delete_court_code("新4004")
    assert str(info.value) == "有 2 件案件使用代字“新4004”，不能删除"
    ct.save_court_code("新4005", "测试法院")
    ct.delete_court_code("新4005")
    assert "新4005" not in {r.code for r in ct.court_codes()}
    with pytest.raises(NotFound):
        ct.delete_court_code("新4005")
    assert audits(services, mark)[:1] == [
        (
            "create",
            "court_code",
            {"name": [None, "霍城县人民法院"], "note": [None, ""], "confidence": [None, "L"]},
        ),
    ]
    assert [(a, e) for a, e, _ in audits(services, mark)] == [
        ("create", "court_code"),
        ("create", "case"),
        ("update", "court_code"),
        ("create", "court_code"),
        ("delete", "court_code"),
    ]
    assert audits(services, mark)[2][2] == {"name": ["霍城县人民法院", "霍城县人民法院（待核）"]}


@pytest.mark.parametrize(
    ("args", "errors"),
    [
        pytest.param(
            ("新1", "某法院"),
            {"code": "法院代字“新1”的数字部分应为2位（中级法院）或4位（基层法院）"},
            id="digits",
        ),
        pytest.param(
            ("港01", "某法院"), {"code": "法院代字“港”不是有效的高级法院代字"}, id="province"
        ),
        pytest.param(("新01", " "), {"name": "请填写法院名称"}, id="name"),
        pytest.param(("", "某法院"), {"code": "法院代字不能为空"}, id="empty"),
    ],
)
def test_court_code_refusals(services, args: tuple, errors: dict) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as info:
        services.code_tables.save_court_code(*args)
    assert info.value.errors == errors


def test_court_code_confidence_must_be_h_m_or_l(services) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as info:
        services.code_tables.save_court_code("新4006", "某法院", confidence="X")
    assert info.value.errors == {"confidence": "可信度应为 H、M 或 L"}


def test_type_codes_add_edit_delete(services) -> None:  # type: ignore[no-untyped-def]
    ct = services.code_tables
    with pytest.raises(FieldErrors) as info:
        services.cases.create(draft(case_number="（2023）新01民新1号"))
    assert "类型代字“民新”不在案件类型代字表中" in info.value.errors["case_number"]
    mark = last_audit_id(services)
    ct.save_type_code("民新", "民事", "测试类型")
    case_id = services.cases.create(draft(case_number="（2023）新01民新1号")).id
    assert services.cases.get(case_id).type_name == "测试类型"
    ct.save_type_code("民新", "民事", "测试类型二")
    assert next(r for r in ct.type_codes() if r.code == "民新").name == "测试类型二"
    with pytest.raises(ServiceError, match="有 1 件案件使用代字“民新”，不能删除"):
        ct.delete_type_code("民新")
    ct.save_type_code("民旧", "民事", "待删")
    ct.delete_type_code("民旧")
    assert [(a, e, c) for a, e, c in audits(services, mark) if e == "case_type_code"] == [
        (
            "create",
            "case_type_code",
            {"family": [None, "民事"], "name": [None, "测试类型"], "confidence": [None, "M"]},
        ),
        ("update", "case_type_code", {"name": ["测试类型", "测试类型二"]}),
        (
            "create",
            "case_type_code",
            {"family": [None, "民事"], "name": [None, "待删"], "confidence": [None, "M"]},
        ),
        ("delete", "case_type_code", {"name": ["待删", None]}),
    ]


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        pytest.param(("AB", "民事", "x"), "code", "类型代字应为1至4个汉字", id="latin"),
        pytest.param(("民事初审案", "民事", "x"), "code", "类型代字应为1至4个汉字", id="too-long"),
        pytest.param(("民新", "民商", "x"), "family", "请选择类别", id="family"),
        pytest.param(("民新", "民事", ""), "name", "请填写名称", id="name"),
        pytest.param(
            ("民新", "民事", "x", "Q"), "confidence", "可信度应为 H、M 或 L", id="confidence"
        ),
    ],
)
def test_type_code_refusals(services, args: tuple, field: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as info:
        services.code_tables.save_type_code(*args)
    assert info.value.errors == {field: message}
    assert "民新" not in {r.code for r in services.code_tables.type_codes()}


def test_tags_add_rename_delete(services) -> None:  # type: ignore[no-untyped-def]
    ct = services.code_tables
    mark = last_audit_id(services)
    tag_id = ct.add_tag(" 重点督办 ")
    names = [t.name for t in ct.tags()]
    assert names[-1] == "重点督办"  # appended after the seeded tags
    with pytest.raises(FieldErrors) as info:
        ct.add_tag("重点督办")
    assert info.value.errors == {"name": "标签“重点督办”已存在"}
    with pytest.raises(FieldErrors) as info:
        ct.add_tag("  ")
    assert info.value.errors == {"name": "请填写标签名称"}
    with pytest.raises(FieldErrors) as info:
        ct.add_tag("标" * 41)
    assert info.value.errors == {"name": "标签名称最多40个字"}
    ct.rename_tag(tag_id, "挂牌督办")
    with pytest.raises(FieldErrors) as info:
        ct.rename_tag(tag_id, "涉企")
    assert info.value.errors == {"name": "标签“涉企”已存在"}
    case_id = services.cases.create(draft(1, tags=("挂牌督办",))).id
    assert next(t for t in ct.tags() if t.id == tag_id).uses == 1
    with pytest.raises(ServiceError) as err:
        ct.delete_tag(tag_id)
    assert str(err.value) == "有 1 件案件使用标签“挂牌督办”，请先从这些案件中移除"
    d = services.cases.get(case_id)
    services.cases.update(case_id, dataclasses.replace(d.to_draft(), tags=()), d.version)
    ct.delete_tag(tag_id)
    assert "挂牌督办" not in [t.name for t in ct.tags()]
    assert [(a, e, c) for a, e, c in audits(services, mark) if e == "tag"] == [
        ("create", "tag", {"name": [None, "重点督办"]}),
        ("update", "tag", {"name": ["重点督办", "挂牌督办"]}),
        ("delete", "tag", {"name": ["挂牌督办", None]}),
    ]


# == CaseListReader ===========================================================================

# (number parts, family, procedure, handler, cause, accepted_on, closed_on, amount_fen, tags,
#  party) — ties, empty strings and NULLs on purpose.
LIST_CASES = [
    (
        (2023, "新01", "民初", 9),
        "民事",
        "一审普通程序",
        "王法官",
        "买卖合同纠纷",
        date(2023, 3, 1),
        None,
        500,
        ("涉企",),
        "甲公司",
    ),
    (
        (2023, "新01", "民初", 10),
        "民事",
        "一审简易程序",
        "李法官",
        "借款合同纠纷",
        date(2023, 3, 1),
        date(2023, 9, 1),
        None,
        (),
        "乙公司",
    ),
    (
        (2023, "新01", "民初", 100),
        "商事",
        "一审普通程序",
        "王法官",
        "股权转让纠纷",
        date(2023, 12, 31),
        None,
        120_000,
        ("涉企", "涉外"),
        "",
    ),
    (
        (2022, "新0102", "执", 5),
        "执行",
        "首次执行",
        "张法官",
        "申请执行",
        date(2022, 6, 15),
        date(2023, 1, 10),
        0,
        (),
        "丙公司",
    ),
    (
        (2024, "新", "刑终", 2),
        "刑事",
        "二审",
        "李法官",
        "合同诈骗",
        date(2024, 2, 29),
        None,
        None,
        ("涉企",),
        "丁某",
    ),
    (
        (2023, "兵08", "民终", 3),
        "民事",
        "",
        "",
        "租赁合同纠纷",
        date(2023, 1, 1),
        None,
        99,
        (),
        "甲公司",
    ),
    (
        (2023, "新0102", "民初", 9),
        "民事",
        "一审普通程序",
        "王法官",
        "买卖合同纠纷",
        date(2023, 3, 1),
        date(2023, 3, 1),
        500,
        (),
        "",
    ),
]
#: The first stage of each family (vocabulary.STAGES), which a new case starts in.
FIRST_STAGE = {"民事": "立案审查", "商事": "立案审查", "执行": "已立案", "刑事": "立案侦查"}


@pytest.fixture
def listed(services):  # type: ignore[no-untyped-def]
    """Seven cases with known values: {id: {column: value}}; the first one moved to 审理中."""
    known = {}
    for (
        parts,
        family,
        procedure,
        handler,
        cause,
        accepted,
        closed,
        amount,
        tags,
        party,
    ) in LIST_CASES:
        year, court, type_code, seq = parts
        case_id = services.cases.create(
            CaseDraft(
                f"（{year}）{court}{type_code}{seq}号",
                family,
                accepted,
                procedure=procedure,
                cause=cause,
                handler=handler,
                closed_on=closed,
                amount_fen=amount,
                tags=tags,
            )
        ).id
        if party.endswith("公司"):
            services.parties.add(case_id, "被告", new_enterprise=EnterpriseDraft(party))
        elif party:
            services.parties.add(case_id, "被告人", new_person=PersonDraft(party))
        known[case_id] = {
            "parts": parts,
            "family": family,
            "procedure": procedure,
            "handler": handler,
            "cause": cause,
            "accepted_on": accepted,
            "closed_on": closed,
            "amount_fen": amount,
            "tags": tags,
            "parties_summary": party,
            "stage": FIRST_STAGE[family],
        }
    first = next(iter(known))
    services.timeline.record_stage(first, StageDraft(date(2023, 4, 1), "审理中"))
    known[first]["stage"] = "审理中"
    return known


def ids(services, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return services.case_list.ids(CaseFilter(**kw), "accepted_on", True)


def test_filters(services, listed) -> None:  # type: ignore[no-untyped-def]
    def expect(pred) -> set[str]:  # type: ignore[no-untyped-def]
        return {cid for cid, v in listed.items() if pred(v)}

    assert set(ids(services, family="民事")) == expect(lambda v: v["family"] == "民事")
    assert set(ids(services, handler="王法官")) == expect(lambda v: v["handler"] == "王法官")
    assert set(ids(services, tag="涉企")) == expect(lambda v: "涉企" in v["tags"])
    assert set(ids(services, tag="涉外")) == expect(lambda v: "涉外" in v["tags"])
    assert ids(services, tag="破产") == []
    assert set(ids(services, open_only=True)) == expect(lambda v: v["closed_on"] is None)
    # Date range, both ends inclusive.
    lo, hi = date(2023, 3, 1), date(2023, 12, 31)
    assert set(ids(services, accepted_from=lo, accepted_to=hi)) == expect(
        lambda v: lo <= v["accepted_on"] <= hi
    )
    assert set(ids(services, accepted_from=date(2024, 1, 1))) == expect(
        lambda v: v["accepted_on"] >= date(2024, 1, 1)
    )
    assert set(ids(services, stage="审理中")) == {next(iter(listed))}
    assert set(ids(services, stage="立案审查")) == expect(lambda v: v["stage"] == "立案审查")
    assert len(ids(services, stage="立案审查")) == 4
    combined = ids(services, family="民事", handler="王法官", open_only=True)
    assert set(combined) == expect(
        lambda v: v["family"] == "民事" and v["handler"] == "王法官" and v["closed_on"] is None
    )
    assert services.case_list.handlers() == sorted({"王法官", "李法官", "张法官"})
    assert services.case_list.total() == len(LIST_CASES)


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("key", CaseListReader.SORT_KEYS)
def test_sorting_by_every_key(services, listed, key: str, descending: bool) -> None:  # type: ignore[no-untyped-def]
    got = services.case_list.ids(CaseFilter(), key, descending)
    assert set(got) == set(listed)
    list_keys = {cid: services.case_list.key_of(cid) for cid in listed}
    rows = services.case_list.rows(list(list_keys.values()))
    updated = {cid: rows[k].updated_at for cid, k in list_keys.items()}

    def value(cid: str):  # type: ignore[no-untyped-def]
        if key == "case_number":
            return listed[cid]["parts"]  # (year, court, type, number): number compared as int
        if key == "updated_at":
            return updated[cid]  # the only column not known in advance
        return listed[cid][key]

    def sort_key(cid: str):  # type: ignore[no-untyped-def]
        v = value(cid)
        # SQLite sorts NULL before every value ascending; ties are broken by the list key
        # (registration order).
        return (v is not None, v if v is not None else 0, list_keys[cid])

    assert got == sorted(listed, key=sort_key, reverse=descending)


def test_updated_at_sort_puts_the_last_edited_case_first(services, listed) -> None:  # type: ignore[no-untyped-def]
    last = list(listed)[3]
    d = services.cases.get(last)
    services.cases.update(last, dataclasses.replace(d.to_draft(), notes="刚改过"), d.version)
    assert services.case_list.ids(CaseFilter(), "updated_at", True)[0] == last


def test_case_number_sorts_numbers_as_numbers(services, listed) -> None:  # type: ignore[no-untyped-def]
    got = services.case_list.ids(CaseFilter(), "case_number", False)
    numbers = [list_row(services, cid).case_number for cid in got]
    i9, i10, i100 = (numbers.index(f"（2023）新01民初{n}号") for n in (9, 10, 100))
    assert i9 < i10 < i100


def test_unknown_sort_key_falls_back_to_accepted_on(services, listed) -> None:  # type: ignore[no-untyped-def]
    assert services.case_list.ids(CaseFilter(), "nonsense", True) == services.case_list.ids(
        CaseFilter(), "accepted_on", True
    )


def test_rows_carry_list_columns(services, listed) -> None:  # type: ignore[no-untyped-def]
    keys = {cid: services.case_list.key_of(cid) for cid in listed}
    rows = services.case_list.rows([*keys.values(), 10**9])  # an unknown key is left out
    assert set(rows) == set(keys.values())
    for cid, v in listed.items():
        row = rows[keys[cid]]
        assert row.id == cid
        year, court, type_code, seq = v["parts"]
        assert row.case_number == f"（{year}）{court}{type_code}{seq}号"
        assert (row.family, row.procedure, row.handler, row.cause, row.stage) == (
            v["family"],
            v["procedure"],
            v["handler"],
            v["cause"],
            v["stage"],
        )
        assert (row.accepted_on, row.closed_on, row.amount_fen) == (
            v["accepted_on"],
            v["closed_on"],
            v["amount_fen"],
        )
        assert row.parties_summary == v["parties_summary"]
        assert row.tags == "、".join(v["tags"])
    assert services.case_list.rows([]) == {}
