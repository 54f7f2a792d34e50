"""Enforcement (执行) below the UI: the record of a 执行 case, payments and 到位率, performance
recorded through the deadline machinery, actions, 终本 with its follow-up searches, 恢复执行,
closing, the list by 到位率 and age, and bad input refused with nothing saved (law.md §3.4;
issue 5, items 3 and 8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.enforcement import (
    ActionDraft,
    ClosingDraft,
    EnforcementDraft,
    PaymentDraft,
    format_rate,
    recovery_rate,
)
from casedesk.domain.errors import FieldErrors
from casedesk.services.enforcement_dto import CLOSED, RUNNING, TERMINATED
from casedesk.services.errors import ServiceError
from casedesk.store.enforcement_models import EnforcementPayment, EnforcementRecord
from casedesk.store.models import AuditRecord, CaseEvent

ACCEPTED = date(2026, 1, 5)


# -- helpers --------------------------------------------------------------------------------------
def new_case(sv, n: int = 1, family: str = "执行", accepted: date = ACCEPTED) -> str:  # type: ignore[no-untyped-def]
    number = f"（2026）新01执{n}号" if family == "执行" else f"（2026）新01民初{n}号"
    return sv.cases.create(CaseDraft(number, family, accepted, handler="王法官")).id


def enforcement_case(sv, n: int = 1, claimed: int | None = 100_000_00, **kw) -> dict:  # type: ignore[no-untyped-def]
    """A 执行 case with an applicant, an enterprise debtor and a person debtor, and its record."""
    case_id = new_case(sv, n, **kw)
    applicant = sv.parties.add(
        case_id, "申请执行人", new_enterprise=EnterpriseDraft(f"申请人公司{n}")
    )
    firm = sv.parties.add(
        case_id, "被执行人", new_enterprise=EnterpriseDraft(f"新疆天山建材有限公司{n}")
    )
    person = sv.parties.add(case_id, "被执行人", new_person=PersonDraft(f"张{n}"))
    draft = EnforcementDraft("判决书", f"（2025）新01民初{n}号", "乌鲁木齐市中级人民法院",
                             date(2025, 12, 1), claimed)  # fmt: skip
    sv.enforcement.open_record(case_id, draft)
    return {"case": case_id, "applicant": applicant, "firm": firm, "person": person}


def count(sv, model) -> int:  # type: ignore[no-untyped-def]
    with sv.db.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def clocks(sv, case_id: str, rule_id: str) -> list:  # type: ignore[no-untyped-def]
    return [d for d in sv.deadlines.for_case(case_id) if d.rule_id == rule_id]


# -- 到位率 arithmetic ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("recovered", "claimed", "rate", "text"),
    [
        (0, 100_00, Decimal(0), "0.0%"),
        (1, 3, Decimal(1) / Decimal(3), "33.3%"),
        (2, 3, Decimal(2) / Decimal(3), "66.7%"),  # half up
        (1, 2000, Decimal("0.0005"), "0.1%"),  # 0.05% rounds half up
        (99_950, 100_000, Decimal("0.9995"), "99.9%"),  # not complete: never reads 100.0%
        (100_000, 100_000, Decimal(1), "100.0%"),
        (50_000_00, None, None, ""),  # no claim recorded: no rate
        (0, 0, None, ""),  # claim of zero: no rate
    ],
)
def test_recovery_rate(
    recovered: int, claimed: int | None, rate: Decimal | None, text: str
) -> None:
    # 到位率 = 执行到位金额 ÷ 申请执行标的 (exact fractions, integer fen, never float)
    assert recovery_rate(recovered, claimed) == rate
    assert format_rate(recovery_rate(recovered, claimed)) == text


# -- the record -----------------------------------------------------------------------------------
def test_record_of_an_enforcement_case(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    view = services.enforcement.get(ids["case"], date(2026, 3, 1))
    assert view is not None and view.state == RUNNING
    assert (view.title_kind, view.title_effective_on, view.claimed_fen) == (
        "判决书", date(2025, 12, 1), 100_000_00)  # fmt: skip
    assert [a.name for a in view.applicants] == ["申请人公司1"]
    assert {d.name for d in view.debtors} == {"新疆天山建材有限公司1", "张1"}
    assert (view.rate, view.rate_text, view.remaining_fen) == (Decimal(0), "0.0%", 100_000_00)
    # the 6-month term runs from acceptance (法发〔2006〕35号 第1条), made by the case service
    (term,) = [c for c in view.clocks if c.rule_id == "enforcement.term"]
    assert term.due_on == date(2026, 7, 6)  # 2026-07-05 is a Sunday: next working day


def test_only_one_record_and_only_for_enforcement_cases(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    with pytest.raises(ServiceError, match="已登记"):
        services.enforcement.open_record(ids["case"], EnforcementDraft("判决书"))
    civil = new_case(services, 9, family="民事")
    with pytest.raises(ServiceError, match="只有执行案件"):
        services.enforcement.open_record(civil, EnforcementDraft("判决书"))


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (EnforcementDraft("判决"), "title_kind"),
        (EnforcementDraft("调解书", title_effective_on=date(2026, 2, 1)), "title_effective_on"),
        (EnforcementDraft("仲裁裁决", claimed_fen=-1), "claimed_fen"),
    ],
)
def test_bad_record_refused_nothing_saved(services, draft, field) -> None:  # type: ignore[no-untyped-def]
    case_id = new_case(services)
    with pytest.raises(FieldErrors) as err:
        services.enforcement.open_record(case_id, draft)
    assert field in err.value.errors
    assert count(services, EnforcementRecord) == 0


# -- payments -------------------------------------------------------------------------------------
def test_payments_accumulate_and_give_the_rate(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services, claimed=300_00)
    services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 2, 1), 100_00, "张1"))
    services.enforcement.add_payment(
        ids["case"], PaymentDraft(date(2026, 3, 1), 100_00, way="强制扣划")
    )
    view = services.enforcement.get(ids["case"])
    assert [p.amount_fen for p in view.payments] == [100_00, 100_00]
    assert (view.recovered_fen, view.remaining_fen, view.rate_text) == (200_00, 100_00, "66.7%")
    assert view.performed_on is None


def test_payment_larger_than_what_remains_refused(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services, claimed=1_000_00)
    services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 2, 1), 600_00))
    before = (count(services, EnforcementPayment), count(services, AuditRecord))
    with pytest.raises(FieldErrors) as err:
        services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 2, 2), 400_01))
    assert err.value.errors["amount_fen"] == ("到位金额 400.01 元超出尚未执行到位的金额 400.00 元")
    assert (count(services, EnforcementPayment), count(services, AuditRecord)) == before
    assert services.enforcement.get(ids["case"]).recovered_fen == 600_00


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (PaymentDraft(None, 100), "paid_on"),
        (PaymentDraft(date(2025, 12, 31), 100), "paid_on"),  # before acceptance
        (PaymentDraft(date(2099, 1, 1), 100), "paid_on"),  # in the future
        (PaymentDraft(date(2026, 2, 1), 0), "amount_fen"),
        (PaymentDraft(date(2026, 2, 1), None), "amount_fen"),
        (PaymentDraft(date(2026, 2, 1), 100, way="现金"), "way"),
    ],
)
def test_bad_payment_refused(services, draft, field) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    with pytest.raises(FieldErrors) as err:
        services.enforcement.add_payment(ids["case"], draft)
    assert field in err.value.errors
    assert count(services, EnforcementPayment) == 0


def test_payment_without_a_claim_has_no_cap_and_no_rate(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services, claimed=None)
    services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 2, 1), 5_000_000_00))
    view = services.enforcement.get(ids["case"])
    assert (view.rate, view.rate_text, view.performed_on) == (None, "", None)


def test_payment_completing_the_claim_records_performance(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services, claimed=500_00)
    services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 3, 2), 200_00))
    services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 3, 9), 300_00))
    view = services.enforcement.get(ids["case"])
    assert (view.performed_on, view.rate_text, view.remaining_fen) == (
        date(2026, 3, 9), "100.0%", 0)  # fmt: skip
    # the ``performed`` trigger is on the timeline and met enforcement.term (ENDS_ON_TRIGGER)
    with services.db.session() as s:
        triggers = s.scalars(select(CaseEvent.trigger).where(CaseEvent.kind == "trigger")).all()
    assert triggers == ["performed"]
    (term,) = clocks(services, ids["case"], "enforcement.term")
    assert (term.status, term.closed_on) == ("met", date(2026, 3, 9))
    # nothing more can be paid, nor performance recorded twice
    with pytest.raises(FieldErrors, match=r"尚未执行到位的金额 0\.00 元"):
        services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 3, 10), 1))
    with pytest.raises(ServiceError, match="已于 2026-03-09 登记履行完毕"):
        services.enforcement.record_performance(ids["case"], date(2026, 3, 10))


def test_claim_cannot_drop_below_what_was_recovered(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services, claimed=1_000_00)
    services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 2, 1), 600_00))
    view = services.enforcement.get(ids["case"])
    with pytest.raises(FieldErrors, match="不能少于已执行到位"):
        services.enforcement.update_record(
            ids["case"], view.version, EnforcementDraft("判决书", claimed_fen=500_00)
        )
    services.enforcement.update_record(
        ids["case"], view.version, EnforcementDraft("调解书", claimed_fen=800_00)
    )
    after = services.enforcement.get(ids["case"])
    assert (after.title_kind, after.claimed_fen, after.rate_text) == ("调解书", 800_00, "75.0%")


# -- actions, 终本, 恢复执行, closing -------------------------------------------------------------
def test_actions_are_dated_with_their_result(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    services.enforcement.add_action(
        ids["case"], ActionDraft("悬赏公告", date(2026, 2, 3), "已在执行悬赏公告平台发布")
    )
    services.enforcement.add_action(ids["case"], ActionDraft("财产调查", date(2026, 1, 20), "无"))
    view = services.enforcement.get(ids["case"])
    assert [(a.kind, a.taken_on) for a in view.actions] == [
        ("财产调查", date(2026, 1, 20)), ("悬赏公告", date(2026, 2, 3))]  # fmt: skip
    with pytest.raises(FieldErrors) as err:
        services.enforcement.add_action(ids["case"], ActionDraft("搜查", date(2025, 1, 1)))
    assert set(err.value.errors) == {"kind", "taken_on"}


def test_termination_starts_follow_up_searches_and_resumption_stops_them(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    services.enforcement.terminate(ids["case"], date(2026, 4, 30), "无可供执行财产")
    view = services.enforcement.get(ids["case"])
    assert view.state == TERMINATED
    case = services.cases.get(ids["case"])
    assert (case.stage, case.closed_on) == ("终结本次执行", date(2026, 4, 30))
    # 终本规定 (法〔2016〕373号): network search at least every six months after 终本
    (first,) = clocks(services, ids["case"], "enforcement.followup_search")
    assert (first.status, first.due_on) == ("open", date(2026, 10, 30))
    # a network search meets it and starts the next one from the search
    services.enforcement.add_action(ids["case"], ActionDraft("网络查控", date(2026, 9, 1), "无"))
    old, new = sorted(clocks(services, ids["case"], "enforcement.followup_search"),
                      key=lambda c: c.round)  # fmt: skip
    assert (old.status, old.closed_on) == ("met", date(2026, 9, 1))
    assert (new.status, new.round, new.due_on) == ("open", 2, date(2027, 3, 1))
    with pytest.raises(ServiceError, match="已于 2026-04-30 终结本次执行"):
        services.enforcement.terminate(ids["case"], date(2026, 5, 1))
    # 恢复执行: the case reopens, the reminders stop
    with pytest.raises(FieldErrors, match="不能早于 2026-04-30"):
        services.enforcement.resume(ids["case"], date(2026, 4, 1))
    services.enforcement.resume(ids["case"], date(2026, 10, 12), "发现财产线索")
    assert services.enforcement.get(ids["case"]).state == RUNNING
    case = services.cases.get(ids["case"])
    assert (case.stage, case.closed_on) == ("恢复执行", None)
    statuses = {c.status for c in clocks(services, ids["case"], "enforcement.followup_search")}
    assert statuses == {"met", "cancelled"}


def test_closing_as_fully_executed_needs_the_money(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services, claimed=1_000_00)
    services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 2, 1), 400_00))
    with pytest.raises(FieldErrors, match=r"尚有 600\.00 元未执行到位"):
        services.enforcement.close(ids["case"], ClosingDraft(date(2026, 3, 1), "执行完毕"))
    assert services.enforcement.get(ids["case"]).closed_on is None
    # a settlement performed closes it and records the performance
    services.enforcement.close(ids["case"], ClosingDraft(date(2026, 3, 1), "和解履行完毕"))
    view = services.enforcement.get(ids["case"])
    assert (view.state, view.close_kind, view.performed_on) == (
        CLOSED, "和解履行完毕", date(2026, 3, 1))  # fmt: skip
    assert services.cases.get(ids["case"]).stage == "执行完毕"
    with pytest.raises(ServiceError, match="已于 2026-03-01 结案"):
        services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 3, 2), 1))


def test_every_write_is_audited_as_the_actor(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services, claimed=100_00)
    services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 2, 1), 100_00))
    with services.db.session() as s:
        kinds = s.scalars(
            select(AuditRecord.entity_type).where(AuditRecord.actor == "测试员")
        ).all()
    for kind in ("enforcement_record", "enforcement_payment", "case_event", "deadline"):
        assert kind in kinds


# -- the list by 到位率 and age -------------------------------------------------------------------
def test_list_by_rate_then_age(services) -> None:  # type: ignore[no-untyped-def]
    low = enforcement_case(services, 1, claimed=1_000_00, accepted=date(2026, 3, 1))
    old = enforcement_case(services, 2, claimed=1_000_00, accepted=date(2026, 1, 5))
    half = enforcement_case(services, 3, claimed=1_000_00)
    none = enforcement_case(services, 4, claimed=None)
    done = enforcement_case(services, 5, claimed=100_00)
    services.enforcement.add_payment(half["case"], PaymentDraft(date(2026, 3, 1), 500_00))
    services.enforcement.add_payment(done["case"], PaymentDraft(date(2026, 3, 1), 100_00))
    services.enforcement.close(done["case"], ClosingDraft(date(2026, 3, 5), "执行完毕"))
    rows = services.enforcement.by_recovery(date(2026, 5, 1))
    assert [r.case_id for r in rows] == [old["case"], low["case"], half["case"], none["case"]]
    assert [r.rate_text for r in rows] == ["0.0%", "0.0%", "50.0%", ""]
    assert [r.age_days for r in rows[:2]] == [116, 61]
    everything = services.enforcement.by_recovery(date(2026, 5, 1), include_closed=True)
    assert everything[-2].case_id == done["case"] and everything[-2].state == CLOSED


def test_deleted_case_leaves_the_list(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    assert [r.case_id for r in services.enforcement.by_recovery()] == [ids["case"]]
    services.cases.delete(ids["case"])
    assert services.enforcement.by_recovery() == []


@pytest.mark.parametrize(
    ("trigger", "page"),
    [
        ("performed", "执行"),
        ("listed_dishonest", "执行"),
        ("enforcement_terminated", "执行"),
        ("grace_granted", "执行"),
        ("compliance_exam_started", "合规考察"),
        ("opinion_served", "合规考察"),
    ],
)
def test_page_triggers_are_not_bare_timeline_events(services, trigger: str, page: str) -> None:  # type: ignore[no-untyped-def]
    """Their clocks belong to a listing, the enforcement record or a compliance case: recorded
    on that page, never offered on the timeline."""
    family = "刑事" if page == "合规考察" else "执行"
    number = "（2026）新01刑初77号" if page == "合规考察" else "（2026）新01执77号"
    case_id = services.cases.create(CaseDraft(number, family, date(2026, 1, 5))).id
    with pytest.raises(FieldErrors, match=f"请在“{page}”页登记"):
        services.deadlines.record_trigger(case_id, trigger, date(2026, 2, 2))
    assert trigger not in services.deadlines.triggers_for(case_id)
