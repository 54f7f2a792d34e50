"""Property measures (查封/扣押/冻结/扣留): the term each one runs by, 续行 chains, releases, the
3-day release of property found unrelated to the case, the 超标的 check and the lists of
property under seizure (law.md §2; issue 4, items 1–2, 6 and 9)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal

import chinese_calendar
import pytest
from sqlalchemy import func, select

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import (
    REVIEW_RULE,
    UNRELATED_RULE,
    PropertyMeasureDraft,
    ReleaseDraft,
    RenewalDraft,
    property_term_rule,
)
from casedesk.services.errors import Conflict, ServiceError
from casedesk.services.measure_dto import ACTIVE, LAPSED, PARTLY_RELEASED, RELEASED
from casedesk.services.property_views import seizure_figures
from casedesk.store.models import (
    AuditRecord,
    Deadline,
    PropertyMeasure,
    PropertyRelease,
    PropertyRenewal,
)

ACTOR = "测试员"
NUMBERS = {
    "刑事": "（2025）新01刑初{}号",
    "民事": "（2025）新01民初{}号",
    "执行": "（2025）新01执{}号",
    "检察监督": "（2025）新01刑初{}号",
}


# -- helpers --------------------------------------------------------------------------------------
def new_case(sv, family: str = "执行", n: int = 1, **kw) -> str:  # type: ignore[no-untyped-def]
    number = NUMBERS[family].format(n)
    return sv.cases.create(CaseDraft(number, family, date(2025, 1, 2), **kw)).id


def new_owner(sv, case_id: str, name: str = "新疆天山建设有限公司", role: str = "被执行人") -> str:  # type: ignore[no-untyped-def]
    """A party of the case (an enterprise, or a person when ``name`` is short); its party id."""
    if len(name) <= 4:
        return sv.parties.add(case_id, role, new_person=PersonDraft(name))
    return sv.parties.add(case_id, role, new_enterprise=EnterpriseDraft(name))


def measure(owner: str, **kw) -> PropertyMeasureDraft:  # type: ignore[no-untyped-def]
    values = {"kind": "冻结", "object_kind": "存款", "start_on": date(2025, 3, 10),
              "description": "中国工商银行乌鲁木齐分行账户 6222 0000 1111", "owner_party_id": owner,
              "value_fen": 100_000_000, "organ": "乌鲁木齐市中级人民法院",
              "organ_kind": "人民法院", "document_no": "（2025）新01执1号之一"}  # fmt: skip
    return PropertyMeasureDraft(**(values | kw))


def last_audit_id(sv) -> int:  # type: ignore[no-untyped-def]
    with sv.db.session() as s:
        return s.scalar(select(func.max(AuditRecord.id))) or 0


def audits(sv, after: int) -> list[tuple[str, str, dict]]:  # type: ignore[no-untyped-def]
    """(action, entity type, changes) written after ``after``, all as the acting user."""
    with sv.db.session() as s:
        rows = s.scalars(
            select(AuditRecord).where(AuditRecord.id > after).order_by(AuditRecord.id)
        ).all()
    assert all(r.actor == ACTOR for r in rows)
    return [(r.action, r.entity_type, json.loads(r.changes)) for r in rows]


def count(sv, model) -> int:  # type: ignore[no-untyped-def]
    with sv.db.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def nothing_saved(sv, before: tuple) -> bool:  # type: ignore[no-untyped-def]
    return snapshot(sv) == before


def snapshot(sv) -> tuple:  # type: ignore[no-untyped-def]
    return (count(sv, PropertyMeasure), count(sv, PropertyRenewal), count(sv, PropertyRelease),
            count(sv, Deadline), last_audit_id(sv))  # fmt: skip


@pytest.fixture
def enforcement(services):  # type: ignore[no-untyped-def]
    """An enforcement case (claim 1,000,000.00 元) with an enterprise as 被执行人."""
    case_id = new_case(services, "执行", amount_fen=100_000_000)
    return case_id, new_owner(services, case_id)


# == which term a measure runs by ===============================================================
TERMS = [
    # family, kind, object, organ → rule, term, last day of a measure started 2025-03-10
    # 民诉法解释 第485条: deposits 1 year, movables 2 years, real estate and other rights 3 years
    ("执行", "冻结", "存款", "人民法院", "property.civil.freeze_deposit", "1y", date(2026, 3, 10)),
    ("民事", "冻结", "存款", "人民法院", "property.civil.freeze_deposit", "1y", date(2026, 3, 10)),
    ("执行", "查封", "动产", "人民法院", "property.civil.seal_movable", "2y", date(2027, 3, 10)),
    ("执行", "扣押", "动产", "人民法院", "property.civil.seal_movable", "2y", date(2027, 3, 10)),
    ("执行", "查封", "不动产", "人民法院", "property.civil.seal_realty", "3y", date(2028, 3, 10)),
    ("民事", "冻结", "股权", "人民法院", "property.civil.seal_realty", "3y", date(2028, 3, 10)),
    ("民事", "冻结", "知识产权", "人民法院", "property.civil.seal_realty", "3y", date(2028, 3, 10)),
    # 公安规定 第243条: a police freeze of deposits runs 6 months; of shares, bonds, funds 2 years
    ("刑事", "冻结", "存款", "公安机关", "property.police.freeze_deposit", "6m", date(2025, 9, 10)),
    ("检察监督", "冻结", "存款", "公安机关", "property.police.freeze_deposit", "6m",
     date(2025, 9, 10)),
    ("刑事", "冻结", "股权", "公安机关", "property.police.freeze_other", "2y", date(2027, 3, 10)),
    # 刑诉法 第141、145条: criminal 查封/扣押 has no statutory term → periodic review reminder
    ("刑事", "查封", "不动产", "公安机关", REVIEW_RULE, "6m", None),
    ("刑事", "扣押", "动产", "人民检察院", REVIEW_RULE, "6m", None),
]  # fmt: skip


@pytest.mark.parametrize(("family", "kind", "obj", "organ", "rule", "term", "end"), TERMS)
def test_each_measure_runs_by_its_rule(services, family, kind, obj, organ, rule, term, end) -> None:  # type: ignore[no-untyped-def]
    assert property_term_rule(family, kind, obj, organ) == rule
    case_id = new_case(services, family)
    owner = new_owner(services, case_id, role="其他")
    mid = services.property_measures.add(
        case_id, measure(owner, kind=kind, object_kind=obj, organ_kind=organ)
    )
    v = services.property_measures.get(mid, as_of=date(2025, 3, 10))
    assert (v.term_rule_id, v.term_spec, v.term_end, v.lapses) == (rule, term, end, end is not None)
    assert v.status == ACTIVE and v.owner_kind == "enterprise"
    [clock] = v.clocks
    assert (clock.rule_id, clock.start, clock.status) == (rule, "2025-03-10", "open")
    if end is not None:  # a lapsing term ends on its last day, even a rest day (查扣冻规定 第27条)
        assert clock.due_on == end
    else:  # the review reminder: 6 months later, 2025-09-10 a Wednesday
        assert clock.due_on == date(2025, 9, 10)


def test_a_term_longer_than_the_rule_is_refused_unless_allowed(services) -> None:  # type: ignore[no-untyped-def]
    case_id = new_case(services, "刑事")
    owner = new_owner(services, case_id, role="犯罪嫌疑单位")
    police = {"organ_kind": "公安机关", "organ": "乌鲁木齐市公安局"}
    before = snapshot(services)
    with pytest.raises(FieldErrors) as err:
        services.property_measures.add(case_id, measure(owner, term_spec="2y", **police))
    assert err.value.errors == {"term_spec": "期限不得超过6个月"}
    assert nothing_saved(services, before)
    # 公安规定 第243条: 重大、复杂 cases, approved by the city-level police head: one year
    mid = services.property_measures.add(case_id, measure(owner, term_spec="1y", **police))
    assert services.property_measures.get(mid).term_end == date(2026, 3, 10)
    # a shorter term than the rule's is the court's choice (民诉法解释 第485条 "不得超过")
    civil = new_case(services, "执行", n=2)
    mid = services.property_measures.add(civil, measure(new_owner(services, civil), term_spec="6m"))
    v = services.property_measures.get(mid)
    assert (v.term_spec, v.term_end, v.clocks[0].period_spec) == ("6m", date(2025, 9, 10), "6m")


# == recording ==================================================================================
def test_add_starts_the_clock_shown_on_the_board_and_is_audited(services, enforcement) -> None:  # type: ignore[no-untyped-def]
    case_id, owner = enforcement
    mark = last_audit_id(services)
    mid = services.property_measures.add(
        case_id, measure(owner, live_use=True, live_use_note="允许正常收付货款")
    )
    v = services.property_measures.get(mid, as_of=date(2026, 3, 1))
    assert (v.case_number, v.owner_name, v.value_fen, v.remaining_fen) == (
        "（2025）新01执1号", "新疆天山建设有限公司", 100_000_000, 100_000_000)  # fmt: skip
    assert (v.live_use, v.live_use_note, v.term_name) == (
        True, "允许正常收付货款", "冻结银行存款期限（民事）")  # fmt: skip
    board = services.deadlines.board(as_of=date(2026, 3, 5))
    [item] = [i for i in board.items if i.deadline_id == v.clocks[0].id]
    assert (item.due_on, item.case_number, item.band) == (date(2026, 3, 10), v.case_number, "7d")
    assert item.subject == "冻结存款：中国工商银行乌鲁木齐分行账户 6222 0000 1111"
    assert [(a, e) for a, e, _ in audits(services, mark)] == [
        ("create", "deadline"), ("create", "property_measure")]  # fmt: skip
    changes = audits(services, mark)[-1][2]
    assert changes["owner_name"] == [None, "新疆天山建设有限公司"]
    assert changes["term_end"] == [None, "2026-03-10"]
    assert "owner_enterprise_id" not in changes


def test_bad_measures_are_refused_at_their_fields(services, enforcement) -> None:  # type: ignore[no-untyped-def]
    case_id, owner = enforcement
    other = new_case(services, "执行", n=2)
    stranger = new_owner(services, other, "天山物流有限公司")
    before = snapshot(services)
    cases = [
        (measure(owner, value_fen=-1), {"value_fen": "价值不能为负数"}),
        (measure(""), {"owner_party_id": "请选择财产所有人（本案当事人）"}),
        (measure(stranger), {"owner_party_id": "财产所有人须为本案当事人（企业或个人）"}),
        (measure("not-an-id"), {"owner_party_id": "财产所有人须为本案当事人（企业或个人）"}),
        (measure(owner, start_on=None), {"start_on": "请填写措施开始日期"}),
        (measure(owner, live_use=True), {"live_use_note": "活封活扣的，请写明允许的使用方式"}),
        (measure(owner, kind="没收", value_fen=-5, owner_party_id=""),
         {"kind": "请选择措施种类（查封、扣押、冻结、扣留）", "value_fen": "价值不能为负数",
          "owner_party_id": "请选择财产所有人（本案当事人）"}),
    ]  # fmt: skip
    for draft, errors in cases:
        with pytest.raises(FieldErrors) as err:
            services.property_measures.add(case_id, draft)
        assert err.value.errors == errors
    assert nothing_saved(services, before)


def test_a_person_may_own_the_property(services) -> None:  # type: ignore[no-untyped-def]
    case_id = new_case(services, "刑事")
    owner = new_owner(services, case_id, "王伟", role="犯罪嫌疑人")
    mid = services.property_measures.add(
        case_id, measure(owner, kind="扣押", object_kind="动产", organ_kind="公安机关")
    )
    v = services.property_measures.get(mid)
    assert (v.owner_kind, v.owner_name, v.term_end, v.lapses) == ("person", "王伟", None, False)


# == 续行 ================================================================================
def test_renewal_chain_each_term_from_the_last_day_of_the_previous(services, enforcement) -> None:  # type: ignore[no-untyped-def]
    # 民诉法解释 第485条第2款: each renewal ≤ the same term, counted on from the previous one
    case_id, owner = enforcement
    mid = services.property_measures.add(case_id, measure(owner))
    assert services.property_measures.get(mid).term_end == date(2026, 3, 10)
    chain = [(date(2026, 3, 5), date(2027, 3, 10)), (date(2026, 11, 2), date(2028, 3, 10)),
             (date(2026, 11, 3), date(2029, 3, 10))]  # fmt: skip
    for seq, (decided, end) in enumerate(chain, start=1):
        mark = last_audit_id(services)
        services.property_measures.renew(
            mid, RenewalDraft(decided, organ="乌鲁木齐市中级人民法院", document_no=f"续{seq}")
        )
        v = services.property_measures.get(mid, as_of=decided)
        assert v.term_end == end and v.status == ACTIVE
        assert [e for _, e, _ in audits(services, mark)] == [
            "deadline", "deadline", "property_renewal", "property_measure"]  # fmt: skip
    assert [(r.seq, r.start_on, r.term_end, r.term_label, r.document_no) for r in v.renewals] == [
        (1, date(2026, 3, 10), date(2027, 3, 10), "1年", "续1"),
        (2, date(2027, 3, 10), date(2028, 3, 10), "1年", "续2"),
        (3, date(2028, 3, 10), date(2029, 3, 10), "1年", "续3"),
    ]
    assert [(c.round, c.start, c.due_on, c.status, c.close_note) for c in v.clocks] == [
        (1, "2025-03-10", date(2026, 3, 10), "met", "已续行"),
        (2, "2026-03-10", date(2027, 3, 10), "met", "已续行"),
        (3, "2027-03-10", date(2028, 3, 10), "met", "已续行"),
        (4, "2028-03-10", date(2029, 3, 10), "open", ""),
    ]


def test_a_renewal_after_the_term_lapsed_is_refused(services, enforcement) -> None:  # type: ignore[no-untyped-def]
    # 查扣冻规定 第27条: not renewed before expiry → the freeze loses effect by itself
    case_id, owner = enforcement
    mid = services.property_measures.add(case_id, measure(owner, start_on=date(2024, 1, 15)))
    pm = services.property_measures
    assert pm.get(mid, as_of=date(2025, 1, 15)).status == ACTIVE  # the last day still counts
    assert pm.get(mid, as_of=date(2025, 1, 16)).status == LAPSED
    before = snapshot(services)
    with pytest.raises(FieldErrors) as err:
        pm.renew(mid, RenewalDraft(date(2025, 1, 16)))
    assert err.value.errors == {
        "decided_on": "原期限已于 2025-01-15 届满，措施已自动失效，不能续行；请作为新的措施登记"
    }
    with pytest.raises(FieldErrors) as err:
        pm.renew(mid, RenewalDraft(date(2024, 6, 1), term_spec="2y"))
    assert err.value.errors == {"term_spec": "期限不得超过1年"}
    with pytest.raises(FieldErrors) as err:
        pm.renew(mid, RenewalDraft(date(2024, 1, 14)))
    assert err.value.errors == {"decided_on": "续行决定日期不能早于措施开始日期 2024-01-15"}
    assert nothing_saved(services, before)
    # the lapsed measure shows on the seizure check as 已失效, its value no longer counted
    check = pm.seizure_check(case_id, as_of=date(2025, 2, 1))
    assert (check.seized_fen, check.lapsed_count) == (0, 1)
    assert check.message.endswith("另有1项措施期限届满未续行，已失效")


def test_measures_without_statutory_term_or_released_are_not_renewed(services) -> None:  # type: ignore[no-untyped-def]
    case_id = new_case(services, "刑事")
    owner = new_owner(services, case_id, role="犯罪嫌疑单位")
    seal = services.property_measures.add(
        case_id, measure(owner, kind="查封", object_kind="不动产", organ_kind="公安机关")
    )
    with pytest.raises(FieldErrors) as err:
        services.property_measures.renew(seal, RenewalDraft(date(2025, 6, 1)))
    assert err.value.errors == {"decided_on": "该措施没有法定期限，无需续行"}
    services.property_measures.release(seal, ReleaseDraft(date(2025, 5, 1), reason="撤案"))
    with pytest.raises(ServiceError, match="已于 2025-05-01 全部解除"):
        services.property_measures.renew(seal, RenewalDraft(date(2025, 6, 1)))


# == release ====================================================================================
def test_partial_then_full_release(services, enforcement) -> None:  # type: ignore[no-untyped-def]
    case_id, owner = enforcement
    pm = services.property_measures
    mid = pm.add(case_id, measure(owner, value_fen=100_000_000))
    mark = last_audit_id(services)
    part = ReleaseDraft(date(2025, 6, 1), full=False, value_fen=30_000_000,
                        reason="超标的部分解除", document_no="（2025）新01执1号之二")  # fmt: skip
    pm.release(mid, part)
    v = pm.get(mid, as_of=date(2025, 6, 2))
    assert (v.status, v.released_fen, v.remaining_fen) == (PARTLY_RELEASED, 30_000_000, 70_000_000)
    assert [(a, e, c) for a, e, c in audits(services, mark)][-1] == (
        "update", "property_measure", {"released_fen": [0, 30_000_000]})  # fmt: skip
    with pytest.raises(FieldErrors) as err:  # a "partial" release of all that is left
        pm.release(mid, ReleaseDraft(date(2025, 6, 2), full=False, value_fen=70_000_000,
                                     reason="x"))  # fmt: skip
    assert set(err.value.errors) == {"value_fen"}
    mark = last_audit_id(services)
    pm.release(mid, ReleaseDraft(date(2025, 7, 1), reason="被执行人履行完毕"))
    v = pm.get(mid, as_of=date(2025, 7, 2))
    assert (v.status, v.released_on, v.remaining_fen) == (RELEASED, date(2025, 7, 1), 0)
    assert [(r.released_on, r.full, r.value_fen, r.reason) for r in v.releases] == [
        (date(2025, 6, 1), False, 30_000_000, "超标的部分解除"),
        (date(2025, 7, 1), True, 70_000_000, "被执行人履行完毕"),
    ]
    assert [(c.status, c.closed_on, c.close_note) for c in v.clocks] == [
        ("met", date(2025, 7, 1), "措施已解除")]  # fmt: skip
    assert [e for _, e, _ in audits(services, mark)] == [
        "deadline", "property_release", "property_measure"]  # fmt: skip
    assert v.clocks[0].id not in [i.deadline_id for i in services.deadlines.board(
        as_of=date(2026, 3, 9)).items]  # fmt: skip
    with pytest.raises(ServiceError, match="已于 2025-07-01 全部解除"):
        pm.release(mid, ReleaseDraft(date(2025, 7, 2), reason="重复"))


def test_release_before_the_start_is_refused_and_nothing_saved(services, enforcement) -> None:  # type: ignore[no-untyped-def]
    case_id, owner = enforcement
    mid = services.property_measures.add(case_id, measure(owner))
    before = snapshot(services)
    with pytest.raises(FieldErrors) as err:
        services.property_measures.release(mid, ReleaseDraft(date(2025, 3, 9), reason="执行完毕"))
    assert err.value.errors == {"released_on": "解除日期不能早于措施开始日期 2025-03-10"}
    with pytest.raises(FieldErrors) as err:
        services.property_measures.release(mid, ReleaseDraft(date(2025, 4, 1)))
    assert err.value.errors == {"reason": "请填写解除的理由"}
    assert nothing_saved(services, before)
    assert services.property_measures.get(mid, as_of=date(2025, 4, 1)).status == ACTIVE


# == 经查明与案件无关: release within 3 days ========================================
def test_unrelated_property_release_clock_over_national_day_2026(services) -> None:  # type: ignore[no-untyped-def]
    # 刑诉法 第145条: released within 3 days; the last day 2026-10-03 falls in the National Day
    # holiday (10-01 to 10-07 by the State Council's notice), so it moves to 10-08.
    assert all(chinese_calendar.is_holiday(date(2026, 10, d)) for d in range(1, 8))
    assert chinese_calendar.is_workday(date(2026, 10, 8))
    case_id = new_case(services, "刑事")
    owner = new_owner(services, case_id, role="犯罪嫌疑单位")
    pm = services.property_measures
    mid = pm.add(case_id, measure(owner, kind="查封", object_kind="不动产", organ_kind="公安机关",
                                  start_on=date(2026, 9, 1)))  # fmt: skip
    with pytest.raises(FieldErrors) as err:
        pm.mark_unrelated(mid, date(2026, 8, 31))
    assert err.value.errors == {"on": "查明日期不能早于措施开始日期 2026-09-01"}
    mark = last_audit_id(services)
    deadline_id = pm.mark_unrelated(mid, date(2026, 9, 30), "系案外人所有")
    assert [(a, e) for a, e, _ in audits(services, mark)] == [
        ("create", "deadline"), ("update", "property_measure")]  # fmt: skip
    assert audits(services, mark)[-1][2] == {
        "unrelated_on": [None, "2026-09-30"], "note": [None, "系案外人所有"]}  # fmt: skip
    v = pm.get(mid, as_of=date(2026, 10, 6))
    [clock] = [c for c in v.clocks if c.id == deadline_id]
    assert (clock.rule_id, clock.start, clock.due_on, clock.verified) == (
        UNRELATED_RULE, "2026-09-30", date(2026, 10, 8), True)  # fmt: skip
    assert v.unrelated_on == date(2026, 9, 30)
    board = services.deadlines.board(as_of=date(2026, 10, 6))
    [item] = [i for i in board.items if i.deadline_id == deadline_id]
    assert (item.due_on, item.days_left, item.name) == (
        date(2026, 10, 8),
        2,
        "与案件无关财产的解除",
    )
    with pytest.raises(ServiceError, match="已于 2026-09-30 查明与案件无关"):
        pm.mark_unrelated(mid, date(2026, 10, 1))
    with pytest.raises(ServiceError, match="查明与案件无关，应当解除"):
        pm.renew(mid, RenewalDraft(date(2026, 10, 1)))
    assert services.property_measures.seized_by_case(as_of=date(2026, 10, 6))[0].unrelated_open == 1
    pm.release(mid, ReleaseDraft(date(2026, 10, 9), reason="与案件无关"))  # one day late
    v = pm.get(mid, as_of=date(2026, 10, 9))
    assert {(c.rule_id, c.status, c.closed_on) for c in v.clocks} == {
        (REVIEW_RULE, "met", date(2026, 10, 9)),
        (UNRELATED_RULE, "met", date(2026, 10, 9)),
    }


def test_unrelated_is_refused_on_a_released_measure(services, enforcement) -> None:  # type: ignore[no-untyped-def]
    case_id, owner = enforcement
    mid = services.property_measures.add(case_id, measure(owner))
    with pytest.raises(FieldErrors) as err:
        services.property_measures.mark_unrelated(mid, None)
    assert err.value.errors == {"on": "请填写查明与案件无关的日期"}
    services.property_measures.release(mid, ReleaseDraft(date(2025, 4, 1), reason="撤回申请"))
    with pytest.raises(ServiceError, match="全部解除"):
        services.property_measures.mark_unrelated(mid, date(2025, 4, 2))


# == periodic review of criminal seizures ========================================================
def test_review_meets_the_reminder_and_counts_the_next_from_the_review(services) -> None:  # type: ignore[no-untyped-def]
    case_id = new_case(services, "刑事")
    owner = new_owner(services, case_id, role="犯罪嫌疑单位")
    pm = services.property_measures
    mid = pm.add(case_id, measure(owner, kind="扣押", object_kind="动产", organ_kind="公安机关",
                                  start_on=date(2025, 1, 10)))  # fmt: skip
    assert pm.get(mid).clocks[0].due_on == date(2025, 7, 10)
    mark = last_audit_id(services)
    pm.record_review(mid, date(2025, 7, 8), "仍需扣押")
    assert [e for _, e, _ in audits(services, mark)] == [
        "deadline", "deadline", "property_measure"]  # fmt: skip
    v = pm.get(mid)
    assert [(c.round, c.start, c.due_on, c.status, c.close_note) for c in v.clocks] == [
        (1, "2025-01-10", date(2025, 7, 10), "met", "仍需扣押"),
        (2, "2025-07-08", date(2026, 1, 8), "open", ""),
    ]
    with pytest.raises(FieldErrors) as err:
        pm.record_review(mid, date(2025, 7, 7))
    assert err.value.errors == {"on": "复查日期不能早于本轮复查期的起算日 2025-07-08"}
    freeze = pm.add(case_id, measure(owner, organ_kind="公安机关"))
    with pytest.raises(ServiceError, match="无需定期复查"):
        pm.record_review(freeze, date(2025, 4, 1))


# == correcting a measure =========================================================================
def test_update_corrects_particulars_and_recounts_an_untouched_term(services, enforcement) -> None:  # type: ignore[no-untyped-def]
    case_id, owner = enforcement
    pm = services.property_measures
    mid = pm.add(case_id, measure(owner))
    v = pm.get(mid)
    mark = last_audit_id(services)
    pm.update(mid, v.version, measure(owner, kind="查封", object_kind="动产",
                                      description="挖掘机两台", value_fen=80_000_000))  # fmt: skip
    v2 = pm.get(mid, as_of=date(2025, 3, 10))
    assert (v2.kind, v2.object_kind, v2.term_rule_id, v2.term_end) == (
        "查封", "动产", "property.civil.seal_movable", date(2027, 3, 10))  # fmt: skip
    [clock] = v2.clocks
    assert (clock.rule_id, clock.due_on, clock.subject) == (
        "property.civil.seal_movable", date(2027, 3, 10), "查封动产：挖掘机两台")  # fmt: skip
    changes = audits(services, mark)[-1][2]
    assert changes["kind"] == ["冻结", "查封"] and changes["value_fen"] == [100_000_000, 80_000_000]
    assert changes["term_rule_id"] == ["冻结银行存款期限（民事）", "查封、扣押动产期限（民事）"]
    assert changes["term_end"] == ["2026-03-10", "2027-03-10"]
    with pytest.raises(Conflict):
        pm.update(mid, v.version, measure(owner, description="旧版本"))
    mark = last_audit_id(services)
    pm.update(mid, v2.version, measure(owner, kind="查封", object_kind="动产",
                                       description="挖掘机两台", value_fen=80_000_000))  # fmt: skip
    assert last_audit_id(services) == mark  # no change, nothing written


def test_update_refuses_a_new_start_once_renewed(services, enforcement) -> None:  # type: ignore[no-untyped-def]
    case_id, owner = enforcement
    pm = services.property_measures
    mid = pm.add(case_id, measure(owner))
    pm.renew(mid, RenewalDraft(date(2026, 3, 1)))
    pm.release(mid, ReleaseDraft(date(2026, 4, 1), full=False, value_fen=40_000_000, reason="部分"))
    before = snapshot(services)
    version = pm.get(mid).version
    with pytest.raises(FieldErrors) as err:
        pm.update(mid, version, measure(owner, start_on=date(2025, 3, 11)))
    assert list(err.value.errors) == ["start_on"] and "续行" in err.value.errors["start_on"]
    with pytest.raises(FieldErrors) as err:
        pm.update(mid, version, measure(owner, value_fen=30_000_000))
    assert err.value.errors == {"value_fen": "价值不能小于已部分解除的价值（400,000.00元）"}
    assert nothing_saved(services, before)
    pm.update(mid, version, measure(owner, notes="账户内资金为工资款", live_use=True,
                                    live_use_note="允许发放工资"))  # fmt: skip
    v = pm.get(mid)
    assert (v.notes, v.live_use, v.term_end) == ("账户内资金为工资款", True, date(2027, 3, 10))


# == 超标的 ================================================================================
RATIO = Decimal("1.2")
OVERSEIZURE = [
    # seized, claim, costs, ratio → over, excess
    # 查扣冻规定 第19条: not clearly above claim + costs; the excess is what must be released
    (120_000_000, 100_000_000, None, RATIO, False, 0),  # exactly 1.2 × → not over
    (120_000_001, 100_000_000, None, RATIO, True, 20_000_001),  # one fen more → over
    # costs count: (1,000,000 + 100,000) × 1.2 = 1,320,000
    (132_000_000, 100_000_000, 10_000_000, RATIO, False, 0),
    (132_000_001, 100_000_000, 10_000_000, RATIO, True, 22_000_001),
    (383, 333, None, Decimal("1.15"), True, 50),  # 333 × 1.15 = 382.95: exact, no rounding
    (382, 333, None, Decimal("1.15"), False, 0),
    (1, 0, None, RATIO, True, 1),  # nothing owed: anything held is over
    (10**16, None, 5, RATIO, False, 0),  # no claim recorded: cannot judge
]  # fmt: skip


@pytest.mark.parametrize(("seized", "claim", "costs", "ratio", "over", "excess"), OVERSEIZURE)
def test_overseizure_arithmetic(seized, claim, costs, ratio, over, excess) -> None:  # type: ignore[no-untyped-def]
    check = seizure_figures("id", "号", seized, claim, costs, ratio, 0)
    assert (check.over, check.excess_fen, check.costs_fen) == (over, excess, costs or 0)
    if claim is None:
        assert check.message.endswith("标的额未填写，无法判断是否超标的")


def test_overseizure_message() -> None:
    check = seizure_figures("id", "号", 150_000_000, 100_000_000, 0, RATIO, 0)
    assert check.message == (
        "在控财产价值 1,500,000.00元，超过标的额及费用 1,000,000.00元的1.2倍，超出 500,000.00元"
    )
    check = seizure_figures("id", "号", 110_000_000, 100_000_000, 0, Decimal("1.50"), 2)
    assert check.message == ("在控财产价值 1,100,000.00元，未超过标的额及费用 1,000,000.00元的"
                             "1.5倍；另有2项措施期限届满未续行，已失效")  # fmt: skip


def test_seizure_check_counts_what_is_still_held_in_force(services) -> None:  # type: ignore[no-untyped-def]
    pm = services.property_measures
    case_id = new_case(services, "执行", amount_fen=100_000_000, costs_fen=10_000_000)
    owner = new_owner(services, case_id)
    # exactly (1,000,000 + 100,000) × 1.2 = 1,320,000 in force → not over
    a = pm.add(case_id, measure(owner, value_fen=100_000_000))
    pm.add(case_id, measure(owner, kind="查封", object_kind="不动产", value_fen=32_000_000))
    pm.add(case_id, measure(owner, value_fen=None, description="另一账户（余额不明）"))
    as_of = date(2025, 4, 1)
    check = pm.seizure_check(case_id, as_of)
    assert (check.seized_fen, check.claim_fen, check.costs_fen, check.over) == (
        132_000_000, 100_000_000, 10_000_000, False)  # fmt: skip
    # one fen more → over by what exceeds claim + costs
    b = pm.add(case_id, measure(owner, value_fen=1, description="零钱账户"))
    check = pm.seizure_check(case_id, as_of)
    assert (check.seized_fen, check.over, check.excess_fen) == (132_000_001, True, 22_000_001)
    assert [c.case_id for c in pm.overseized(as_of)] == [case_id]
    # released parts no longer count
    pm.release(a, ReleaseDraft(date(2025, 3, 20), full=False, value_fen=2, reason="部分解除"))
    assert pm.seizure_check(case_id, as_of).seized_fen == 131_999_999
    pm.release(b, ReleaseDraft(date(2025, 3, 20), reason="解除"))
    assert not pm.seizure_check(case_id, as_of).over and pm.overseized(as_of) == []
    # lapsed terms are not counted but reported (both deposit freezes end 2026-03-10)
    later = pm.seizure_check(case_id, date(2026, 3, 11))
    assert (later.seized_fen, later.lapsed_count) == (32_000_000, 2)
    # the administrator's ratio
    services.measure_settings.save("1.1", "60")
    check = pm.seizure_check(case_id, as_of)
    assert (check.ratio, check.over, check.excess_fen) == (Decimal("1.1"), True, 21_999_998)
    assert [c.case_id for c in pm.overseized(as_of)] == [case_id]


# == lists ====================================================================================
def test_lists_of_property_under_seizure(services) -> None:  # type: ignore[no-untyped-def]
    pm = services.property_measures
    as_of = date(2026, 6, 1)
    a = new_case(services, "执行", 1, amount_fen=100_000_000, handler="李法官")
    tianshan = new_owner(services, a, "新疆天山建设有限公司")
    wang = new_owner(services, a, "王伟", role="被执行人")
    pm.add(a, measure(tianshan, value_fen=80_000_000, start_on=date(2026, 1, 5)))
    pm.add(a, measure(tianshan, kind="查封", object_kind="不动产", value_fen=50_000_000,
                      live_use=True, live_use_note="允许继续经营"))  # fmt: skip
    pm.add(a, measure(wang, kind="查封", object_kind="动产", value_fen=1_000_000))
    b = new_case(services, "执行", 2, amount_fen=200_000_000)
    ent = services.cases.get(a).parties[0].subject_id
    tianshan_b = services.parties.add(b, "被执行人", enterprise_id=ent)
    lapsed = pm.add(b, measure(tianshan_b, value_fen=300_000_000, start_on=date(2025, 1, 2)))
    pm.add(b, measure(tianshan_b, kind="查封", object_kind="不动产", value_fen=100_000_000))
    released = pm.add(b, measure(tianshan_b, value_fen=5, description="已解除的账户"))
    pm.release(released, ReleaseDraft(date(2025, 4, 1), reason="解除"))
    c = new_case(services, "执行", 3)  # no claim recorded
    logistics = new_owner(services, c, "天山物流有限公司")
    pm.add(c, measure(logistics, kind="查封", object_kind="不动产", value_fen=10_000_000))
    d = new_case(services, "执行", 4, amount_fen=1)
    pm.add(d, measure(new_owner(services, d, "已删除案件公司"), value_fen=10**12))
    services.cases.delete(d)

    rows = pm.seized_by_case(as_of)
    assert [(r.case_id, r.measures, r.remaining_fen, r.lapsed, r.live_use) for r in rows] == [
        (a, 3, 131_000_000, 0, 1),
        (b, 1, 100_000_000, 1, 0),  # the lapsed freeze holds nothing any more (已失效)
        (c, 1, 10_000_000, 0, 0),
    ]
    assert rows[0].owners == "新疆天山建设有限公司、王伟" and rows[0].handler == "李法官"
    assert rows[0].next_term_end == date(2027, 1, 5)  # the deposit freeze started 2026-01-05
    assert rows[1].next_term_end == date(2028, 3, 10) and rows[0].unrelated_open == 0

    by_enterprise = pm.seized_by_enterprise(as_of)
    assert [(r.name, r.cases, r.measures, r.remaining_fen, r.lapsed, r.live_use)
            for r in by_enterprise] == [
        ("新疆天山建设有限公司", 2, 3, 230_000_000, 1, 1),
        ("天山物流有限公司", 1, 1, 10_000_000, 0, 0),
    ]  # fmt: skip

    flagged = pm.overseized(as_of)  # a: 1,310,000 > 1,000,000 × 1.2; b, c, d not
    assert [(f.case_id, f.seized_fen, f.excess_fen, f.over) for f in flagged] == [
        (a, 131_000_000, 31_000_000, True)]  # fmt: skip
    # the lapsed freeze of b: flagged as lapsed on its case
    assert pm.seizure_check(b, as_of).lapsed_count == 1
    assert pm.get(lapsed, as_of).status == LAPSED

    seized = pm.for_enterprise(ent, as_of)
    assert [(v.case_number, v.status) for v in seized] == [
        ("（2025）新01执1号", ACTIVE),  # in force first, by start date
        ("（2025）新01执2号", ACTIVE),
        ("（2025）新01执1号", ACTIVE),
        ("（2025）新01执2号", LAPSED),
        ("（2025）新01执2号", RELEASED),
    ]
    assert [v.case_number for v in pm.for_case(a, as_of)] == ["（2025）新01执1号"] * 3


# == case costs =================================================================================
def test_case_costs_round_trip_and_are_audited(services) -> None:  # type: ignore[no-untyped-def]
    case_id = new_case(services, "执行", amount_fen=100_000_000, costs_fen=1_380_000)
    detail = services.cases.get(case_id)
    assert detail.costs_fen == 1_380_000 and detail.to_draft().costs_fen == 1_380_000
    mark = last_audit_id(services)
    draft = detail.to_draft()
    services.cases.update(case_id, dataclasses.replace(draft, costs_fen=2_000_000), detail.version)
    assert services.cases.get(case_id).costs_fen == 2_000_000
    assert audits(services, mark)[-1][2] == {"costs_fen": [1_380_000, 2_000_000]}
    [entry] = [h for h in services.cases.history(case_id) if h.action == "update"]
    assert entry.changes[0][:2] == ("costs_fen", "诉讼费用")
    with pytest.raises(FieldErrors) as err:
        new_case(services, "执行", n=9, costs_fen=-1)
    assert err.value.errors == {"costs": "诉讼费用不能为负数"}
