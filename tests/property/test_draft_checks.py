"""Every ``check_*`` of a draft the user submits (case, enterprise, person, stage, measures,
custody review, compliance, enforcement, credit list, 挂案 supervision, holidays, deadline rules)
fed drafts whose fields are hostile or of the wrong type: each answers — the normalised draft, or
``FieldErrors`` naming the field with a Chinese message — and never crashes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casedesk.domain import compliance as co
from casedesk.domain import credit_list as cl
from casedesk.domain import enforcement as en
from casedesk.domain import measures as me
from casedesk.domain import stalled as sd
from casedesk.domain.deadline_rules import default_rule_map
from casedesk.domain.deadlines import check_rule_edit
from casedesk.domain.drafts import (
    LIMITS,
    CaseDraft,
    EnterpriseDraft,
    PersonDraft,
    StageDraft,
    check_case,
    check_enterprise,
    check_person,
    check_role,
    check_stage,
)
from casedesk.domain.errors import FieldErrors
from casedesk.domain.holiday_edit import check_days, check_mark
from casedesk.domain.periods import Period
from casedesk.domain.vocabulary import CASE_FAMILIES, OWNERSHIPS, PARTY_ROLES, SIZES, stages_for
from tests.property.hostile import (
    assert_field_errors,
    clean_stored_text,
    day_or_wrong,
    examples,
    hostile_draft,
    hostile_text,
    text_or_wrong,
    wrong_type,
)

TODAY = date(2026, 6, 15)
PAST = st.dates(min_value=date(2000, 1, 1), max_value=TODAY)


def answers(check: Callable[[], Any]) -> Any:
    """Run a check: its result, or None after asserting its refusal is a clear one."""
    try:
        return check()
    except FieldErrors as exc:
        assert_field_errors(exc)
        return None


# -- case, enterprise, person, stage, role ----------------------------------------------------
CASE_NUMBERS = st.builds(
    lambda y, n: f"（{y}）新01民初{n}号", st.integers(2000, TODAY.year), st.integers(1, 10**6)
)
CASES = hostile_draft(
    CaseDraft,
    case_number=CASE_NUMBERS,
    family=st.sampled_from(CASE_FAMILIES),
    accepted_on=PAST,
    procedure=st.sampled_from(["", "一审普通程序"]),
    cause=st.sampled_from(["", "买卖合同纠纷"]),
    handler=st.sampled_from(["", "王法官"]),
    amount_fen=st.one_of(st.none(), st.integers(0, 10**15)),
    tags=st.sampled_from([(), ("涉企",)]),
)


@examples(300)
@given(draft=CASES)
@example(draft=CaseDraft("（2023）新01民初1号", "民事", date(2023, 3, 1), handler=None))  # type: ignore[arg-type]
@example(draft=CaseDraft("（2023）新01民初1号", "民事", date(2023, 3, 1), cause=12))  # type: ignore[arg-type]
@example(draft=CaseDraft(["（2023）新01民初1号"], "民事", date(2023, 3, 1)))  # type: ignore[arg-type]
@example(draft=CaseDraft("（2023）新01民初1号", "民事", date(2023, 3, 1), tags=("涉企", None)))  # type: ignore[arg-type]
@example(draft=CaseDraft("（2023）新01民初1号", "民事", date(2023, 3, 1), notes="\ud800"))
def test_check_case_answers_every_draft(draft: CaseDraft) -> None:
    checked = answers(lambda: check_case(draft, today=TODAY))
    if checked is None:
        return
    d = checked.draft
    for value in (d.case_number, d.procedure, d.cause, d.handler, d.notes, *d.tags):
        clean_stored_text(value)
    assert len(d.cause) <= LIMITS["name"] and len(d.notes) <= LIMITS["notes"]
    assert d.accepted_on is not None and d.accepted_on <= TODAY
    assert d.family in CASE_FAMILIES
    # what was accepted is accepted again as it is: checking is idempotent
    assert check_case(d, today=TODAY).draft == d


ENTERPRISES = hostile_draft(
    EnterpriseDraft,
    name=st.sampled_from(["新疆甲有限公司", "乙商行"]),
    ownership=st.sampled_from(("", *OWNERSHIPS)),
    size=st.sampled_from(("", *SIZES)),
)


@examples(200)
@given(draft=ENTERPRISES)
@example(draft=EnterpriseDraft("甲公司", credit_code=91650100))  # type: ignore[arg-type]
@example(draft=EnterpriseDraft(None))  # type: ignore[arg-type]
@example(draft=EnterpriseDraft("甲公司", ownership=["民营"]))  # type: ignore[arg-type]
def test_check_enterprise_answers_every_draft(draft: EnterpriseDraft) -> None:
    d = answers(lambda: check_enterprise(draft))
    if d is None:
        return
    for value in (d.name, d.credit_code, d.industry, d.legal_representative, d.address, d.contact):
        clean_stored_text(value)
    assert d.name and len(d.name) <= LIMITS["name"]
    assert check_enterprise(d) == d


PERSONS = hostile_draft(PersonDraft, name=st.sampled_from(["李四", "买买提·艾力"]))


@examples(150)
@given(draft=PERSONS)
@example(draft=PersonDraft("李四", id_number=650102198001011234))  # type: ignore[arg-type]
def test_check_person_answers_every_draft(draft: PersonDraft) -> None:
    d = answers(lambda: check_person(draft, TODAY))
    if d is None:
        return
    for value in (d.name, d.id_number, d.contact, d.address):
        clean_stored_text(value)
    assert check_person(d, TODAY) == d


@examples(150)
@given(
    draft=hostile_draft(StageDraft, occurred_on=PAST, stage=st.sampled_from(stages_for("民事"))),
    accepted_on=st.one_of(st.none(), PAST),
)
@example(draft=StageDraft(date(2023, 3, 1), "已立案", note=None), accepted_on=None)  # type: ignore[arg-type]
def test_check_stage_answers_every_draft(draft: StageDraft, accepted_on: date | None) -> None:
    d = answers(lambda: check_stage(draft, "民事", accepted_on, TODAY))
    if d is not None:
        clean_stored_text(d.note)
        assert d.stage in stages_for("民事")


@examples(100)
@given(role=st.one_of(st.sampled_from(PARTY_ROLES), text_or_wrong()))
def test_check_role_answers_every_role(role: Any) -> None:
    assert answers(lambda: check_role(role)) in (None, *PARTY_ROLES)


# -- measures and custody reviews -------------------------------------------------------------
PROPERTY = hostile_draft(
    me.PropertyMeasureDraft,
    kind=st.sampled_from(me.PROPERTY_KINDS),
    object_kind=st.sampled_from(me.OBJECT_KINDS),
    start_on=PAST,
    description=st.just("房产一处"),
    organ_kind=st.sampled_from(("", *me.ORGAN_KINDS)),
)
PERSONAL = hostile_draft(
    me.PersonalMeasureDraft,
    kind=st.sampled_from(me.PERSONAL_KINDS),
    person_party_id=st.just("p1"),
    decided_on=PAST,
)
REVIEW = hostile_draft(
    me.CustodyReviewDraft,
    trigger=st.sampled_from(me.REVIEW_TRIGGERS),
    started_on=PAST,
    method=st.sampled_from(me.REVIEW_METHODS),
    conclusion=st.sampled_from(("", *me.REVIEW_CONCLUSIONS)),
)
MEASURE_CHECKS: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], Any]]] = {
    "property": (PROPERTY, lambda d: me.check_property_measure(d, TODAY)),
    "release": (
        hostile_draft(me.ReleaseDraft, released_on=PAST, reason=st.just("无关")),
        lambda d: me.check_release(d, date(2020, 1, 1), 10_000, TODAY),
    ),
    "renewal": (
        hostile_draft(me.RenewalDraft, decided_on=PAST),
        lambda d: me.check_renewal(d, date(2026, 1, 1), True, TODAY),
    ),
    "personal": (PERSONAL, lambda d: me.check_personal_measure(d, TODAY)),
    "end": (
        hostile_draft(me.MeasureEndDraft, ended_on=PAST),
        lambda d: me.check_measure_end(d, date(2020, 1, 1), TODAY),
    ),
    "review": (REVIEW, lambda d: me.check_custody_review(d, date(2020, 1, 1), TODAY)),
}


@pytest.mark.parametrize("name", list(MEASURE_CHECKS))
@examples(120)
@given(data=st.data())
def test_measure_checks_answer_every_draft(name: str, data: st.DataObject) -> None:
    strategy, check = MEASURE_CHECKS[name]
    draft = data.draw(strategy)
    answers(lambda: check(draft))


@examples(150)
@given(spec=text_or_wrong(), rule=st.sampled_from(["6m", "1y", "3d", "15wd", "24h"]))
@example(spec="9" * 5000 + "m", rule="6m")
@example(spec=["6m"], rule="6m")
def test_check_term_answers_every_term(spec: Any, rule: str) -> None:
    term = answers(
        lambda: me.check_term(spec, Period.parse(rule), "property.police.freeze_deposit")
    )
    if term is not None:
        Period.parse(term)


# -- compliance, enforcement, credit list, 挂案 -----------------------------------------------
def _member(name: str) -> co.MemberDraft:
    return co.MemberDraft(name, sorted(co.PROFESSIONS)[0] if co.PROFESSIONS else "")


OTHER_CHECKS: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], Any]]] = {
    "compliance.start": (
        hostile_draft(
            co.ComplianceDraft,
            enterprise_party_id=st.just("e1"),
            start_kind=st.sampled_from(co.START_KINDS),
            started_on=PAST,
        ),
        lambda d: co.check_start(d, TODAY),
    ),
    "compliance.apply": (
        hostile_draft(co.ApplyDraft, decided_on=PAST, conditions=st.just(frozenset(co.CONDITIONS))),
        lambda d: co.check_apply(d, date(2020, 1, 1), TODAY),
    ),
    "compliance.org": (
        hostile_draft(
            co.OrgDraft,
            formed_on=PAST,
            name=st.just("第三方组织"),
            members=st.lists(
                st.one_of(st.builds(_member, hostile_text()), hostile_draft(co.MemberDraft)),
                max_size=3,
            ).map(tuple),
        ),
        lambda d: co.check_org(d, date(2020, 1, 1), TODAY),
    ),
    "compliance.accept": (
        hostile_draft(
            co.PlanAcceptDraft,
            accepted_on=PAST,
            exam_start=PAST,
            exam_months=st.integers(0, 13),
            report_interval=st.sampled_from(["1m", "30d"]),
        ),
        lambda d: co.check_accept(d, date(2020, 1, 1), TODAY),
    ),
    "enforcement": (
        hostile_draft(en.EnforcementDraft, title_kind=st.sampled_from(en.TITLE_KINDS)),
        lambda d: en.check_enforcement(d, date(2024, 1, 1), TODAY),
    ),
    "payment": (
        hostile_draft(en.PaymentDraft, paid_on=PAST, amount_fen=st.integers(1, 10**6)),
        lambda d: en.check_payment(d, date(2020, 1, 1), 10**6, TODAY),
    ),
    "action": (
        hostile_draft(en.ActionDraft, kind=st.sampled_from(en.ACTION_KINDS), taken_on=PAST),
        lambda d: en.check_action(d, date(2020, 1, 1), TODAY),
    ),
    "closing": (
        hostile_draft(en.ClosingDraft, closed_on=PAST),
        lambda d: en.check_closing(d, date(2020, 1, 1), TODAY),
    ),
    "credit.warning": (
        hostile_draft(
            cl.WarningDraft,
            debtor_party_id=st.just("d1"),
            warned_on=PAST,
            grace_months=st.sampled_from([None, 1, 2, 3]),
        ),
        lambda d: cl.check_warning(d, date(2020, 1, 1), TODAY),
    ),
    "credit.listing": (
        hostile_draft(
            cl.ListingDraft,
            debtor_party_id=st.just("d1"),
            listed_on=PAST,
            ground=st.sampled_from(sorted(cl.LISTING_GROUNDS)),
        ),
        lambda d: cl.check_listing(d, date(2020, 1, 1), TODAY),
    ),
    "credit.deletion": (
        hostile_draft(
            cl.DeletionDraft, deleted_on=PAST, reason=st.sampled_from(sorted(cl.DELETE_REASONS))
        ),
        lambda d: cl.check_deletion(d, date(2020, 1, 1), TODAY),
    ),
    "credit.ban": (
        hostile_draft(cl.SpendingBanDraft, debtor_party_id=st.just("d1"), ordered_on=PAST),
        lambda d: cl.check_spending_ban(d, date(2020, 1, 1), TODAY),
    ),
    "stalled.supervision": (
        hostile_draft(
            sd.SupervisionDraft,
            supervising_unit=st.just("院"),
            responsible_unit=st.just("刑庭"),
            started_on=PAST,
            due_on=PAST,
        ),
        lambda d: sd.check_supervision(d, TODAY),
    ),
    "stalled.close_off": (
        hostile_draft(
            sd.CloseOffDraft,
            closed_on=PAST,
            outcome=st.sampled_from(sd.OUTCOMES),
            document=st.just("撤案决定书"),
        ),
        lambda d: sd.check_close_off(d, date(2020, 1, 1), TODAY),
    ),
}


@pytest.mark.parametrize("name", list(OTHER_CHECKS))
@examples(80)
@given(data=st.data())
def test_other_checks_answer_every_draft(name: str, data: st.DataObject) -> None:
    strategy, check = OTHER_CHECKS[name]
    draft = data.draw(strategy)
    answers(lambda: check(draft))


DAY_CHECKS: dict[str, Callable[[Any, Any], Any]] = {
    "enforcement.step": lambda reason, on: en.check_step_day(
        "on", "终本日期", on, date(2020, 1, 1), TODAY
    ),
    "credit.ground": lambda reason, on: cl.check_ground_arising(
        reason, on, date(2020, 1, 1), TODAY
    ),
    "credit.lift": lambda reason, on: cl.check_lift(reason, on, date(2020, 1, 1), TODAY),
}


@pytest.mark.parametrize("name", list(DAY_CHECKS))
@examples(80)
@given(
    reason=st.one_of(st.sampled_from([*cl.DELETE_REASONS, *cl.LIFT_REASONS]), text_or_wrong()),
    on=st.one_of(PAST, day_or_wrong()),
)
@example(reason="履行完毕", on=datetime(2024, 3, 1, 10, 30))  # compared with a date: TypeError
@example(reason=["履行完毕"], on=date(2024, 3, 1))  # looked up in a dict: unhashable
def test_dated_steps_answer_every_day(name: str, reason: Any, on: Any) -> None:
    answers(lambda: DAY_CHECKS[name](reason, on))


# -- holidays and deadline rules (administrator's input) ---------------------------------------
@examples(150)
@given(
    day=st.one_of(PAST, day_or_wrong()),
    until=st.one_of(st.none(), PAST, day_or_wrong()),
    kind=st.sampled_from(["holiday", "workday", "", "假"]),
    name=text_or_wrong(),
    scope=st.sampled_from(["national", "ethnic", "", None]),
)
@example(
    day=datetime(2030, 5, 1, 0, 0),
    until=date(2030, 5, 3),
    kind="holiday",
    name="劳动节",
    scope="national",
)
@example(day=date(2030, 5, 1), until=None, kind="holiday", name="劳动\x00节", scope="national")
@example(day=date(2030, 5, 1), until=None, kind=["holiday"], name="劳动节", scope=["national"])
def test_check_days_answers_every_entry(
    day: Any, until: Any, kind: str, name: Any, scope: Any
) -> None:
    days = answers(lambda: check_days(day, until, kind, name, scope))
    if days is not None:
        assert all(isinstance(d, date) for d in days)
        clean_stored_text(name)


@examples(100)
@given(
    year=st.one_of(st.integers(-(10**6), 10**6), wrong_type()),
    scope=st.sampled_from(["national", "ethnic", "x"]),
    source=text_or_wrong(),
)
@example(year=None, scope="national", source="国办发明电〔2029〕1号")  # None <= int: TypeError
@example(year=2030, scope="national", source=12)
def test_check_mark_answers_every_entry(year: Any, scope: str, source: Any) -> None:
    answers(lambda: check_mark(year, scope, source))


EDITABLE = next(r for r in default_rule_map().values() if r.editable)


@examples(150)
@given(
    period=st.one_of(st.sampled_from(["6m", "30d"]), text_or_wrong()),
    extensions=st.one_of(
        st.lists(
            st.tuples(
                st.one_of(st.just("1m"), text_or_wrong()),
                st.one_of(st.just("院长"), text_or_wrong()),
            ),
            max_size=2,
        ),
        wrong_type(),
    ),
    reminders=st.one_of(
        st.sampled_from(["7,3,1", "7，3", "²", "１２", "٣", "9" * 5000]), text_or_wrong()
    ),
    note=text_or_wrong(),
)
@example(period="6m", extensions=[], reminders="²", note="")  # "²".isdigit(): int() crashed
@example(period="6m", extensions=[], reminders="9" * 5000, note="")
def test_check_rule_edit_answers_every_edit(
    period: Any, extensions: Any, reminders: Any, note: Any
) -> None:
    values = answers(lambda: check_rule_edit(EDITABLE, period, extensions, reminders, note))
    if values is not None:
        Period.parse(values["period"])
        assert all(isinstance(d, int) and 0 <= d < 10**6 for d in values["reminders"])
        clean_stored_text(values["note"])
